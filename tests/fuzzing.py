"""Helpers of the property tests: budgets, a time limit, byte mutations.

`budget(n)` is `n` examples under the `ci` Hypothesis profile (see
`tests/conftest.py`) and proportionally more under a longer one (`fuzz`), so
a test slow per example keeps its small share of the budget everywhere.
"""

from __future__ import annotations

import hashlib
import signal
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import FrameType
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st


def budget(ci: int, *, most: int | None = None) -> settings:
    """`ci` examples under the ci profile; under a longer profile as many more as its
    `max_examples` is larger than ci's, but at most `most`."""
    current, base = settings.default, settings.get_profile("ci")
    assert current is not None, "no Hypothesis profile loaded (tests/conftest.py)"
    scale = current.max_examples / base.max_examples
    n = max(ci, round(ci * scale))
    if most is not None:
        n = min(n, max(ci, most))
    return settings(max_examples=n)


class TimeLimit(Exception):
    """Raised into code that runs past its time limit (a hang)."""


@contextmanager
def within(seconds: float, what: str) -> Iterator[None]:
    """Fail if the block runs longer than `seconds` (SIGALRM: the main thread, POSIX).

    The signal interrupts Python code and waits for C code to return; code
    that catches every exception cannot hide a timeout: it is checked after.
    """
    fired: list[bool] = []

    def alarm(signum: int, frame: FrameType | None) -> None:
        fired.append(True)
        raise TimeLimit(f"{what} ran longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if fired:
        raise AssertionError(f"{what} ran longer than {seconds:g} s (its timeout was caught)")


# -- byte mutations of real files ----------------------------------------------------

# Bytes that mean something to one format or another: encodings' marks,
# PDF and ZIP structure, big numbers, XML and RTF syntax.
TOKENS: tuple[bytes, ...] = (
    b"\x00",
    b"\xff",
    b"\x80",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\r",
    b"\r\n",
    b"\n\n\n",
    b"\x0c",
    b"%PDF-1.7\n",
    b"%%EOF",
    b"obj",
    b"endobj",
    b"stream\n",
    b"endstream",
    b"xref\n",
    b"trailer",
    b"startxref\n",
    b"<<",
    b">>",
    b"[",
    b"]",
    b"(",
    b")",
    b"\\",
    b" R ",
    b"/Length 0",
    b"/Type /Page",
    b"/Count 4294967296",
    b"9999999999",
    b"-1",
    b"0",
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"<",
    b">",
    b"</w:p>",
    b"&#0;",
    b"&#55296;",
    b"{\\rtf1",
    b"\\bin99999999 ",
    b"{",
    b"}",
    "Số:".encode(),
    "Nơi nhận:".encode(),
    b"\xc3\xa1",
    b"\xe1\xbb",
)


def position(size: int) -> st.SearchStrategy[int]:
    """An offset in a file of `size` bytes, often near its start (headers) or its end
    (trailers, ZIP directories)."""
    near_end = st.integers(0, min(size, 4096)).map(lambda k: size - k)
    return st.one_of(st.integers(0, size), st.integers(0, min(size, 1024)), near_end)


_OPS = ("flip", "truncate", "insert", "delete", "duplicate", "token", "overwrite")


class Mutant(bytes):
    """Bytes that print as what was done to make them, not as megabytes of data."""

    steps: tuple[str, ...]

    def __new__(cls, data: bytes, steps: Sequence[str] = ()) -> Mutant:
        self = super().__new__(cls, data)
        self.steps = tuple(steps)
        return self

    def __repr__(self) -> str:
        digest = hashlib.sha256(self).hexdigest()[:12]
        return f"<{len(self)} bytes sha256:{digest}… {'; '.join(self.steps)}>"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(repr(self))

    def then(self, step: str, data: bytes | None = None) -> Mutant:
        """These bytes (or `data`) with one more step noted."""
        steps = [*self.steps, step]
        return Mutant(bytes(self) if data is None else data, steps)


def seed(name: str, data: bytes) -> Mutant:
    return Mutant(data, [f"seed {name}"])


def _short(data: bytes) -> str:
    return repr(data) if len(data) <= 40 else repr(data[:40])[:-1] + "…'"


@st.composite
def mutated(
    draw: st.DrawFn, seed: bytes, *, most: int = 4, tokens: Sequence[bytes] = TOKENS
) -> Mutant:
    """`seed` with 1 to `most` byte-level mutations: flips, truncation,
    insertion, deletion, a duplicated chunk, a meaningful token."""
    data = bytearray(seed)
    steps = list(seed.steps) if isinstance(seed, Mutant) else []
    for _ in range(draw(st.integers(1, most))):
        op = draw(st.sampled_from(_OPS))
        i = draw(position(len(data)))
        if op == "flip":
            if data:
                k = min(i, len(data) - 1)
                bits = draw(st.integers(1, 255))
                data[k] ^= bits
                steps.append(f"byte {k} ^= {bits:#04x}")
        elif op == "truncate":
            del data[i:]
            steps.append(f"cut at {i}")
        elif op == "insert":
            new = draw(st.binary(min_size=1, max_size=64))
            data[i:i] = new
            steps.append(f"insert {_short(new)} at {i}")
        elif op == "delete":
            n = draw(st.integers(1, 4096))
            del data[i : i + n]
            steps.append(f"delete {n} at {i}")
        elif op == "duplicate":
            j = min(len(data), i + draw(st.integers(1, 4096)))
            at = draw(st.integers(0, len(data)))
            data[at:at] = data[i:j]
            steps.append(f"copy [{i}:{j}] to {at}")
        else:
            token = draw(st.sampled_from(tokens))
            end = i + len(token) if op == "overwrite" else i
            data[i:end] = token
            steps.append(f"{op} {_short(token)} at {i}")
    return Mutant(bytes(data), steps)
