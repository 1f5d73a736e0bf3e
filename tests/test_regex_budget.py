"""No pattern of the load and extract path stalls a worker (issue 17, finding 3).

A pattern that backtracks super-linearly holds a worker until `--timeout`
(600 s by default) on a line that a scan's garbage text layer or a crawl's
table easily holds. Here adversarial strings — a short unit of the characters
the patterns work on, repeated — of 10⁴ characters (`make test`, profile
`ci`) or 10⁵ (`make fuzz`) go through:

- every compiled pattern of the modules that read a file and extract its
  record, each fed what it sees: the raw text for the loaders and
  `normalize`, the normalised text for the extractors;
- the whole of `load` and `extract`, as a letter's body and alone.

The budgets are generous (a linear pass over 10⁵ characters takes
milliseconds): they catch a quadratic or exponential pattern, not a slow
machine. `within` raises into the regex engine, which Python 3.11 interrupts.
"""

from __future__ import annotations

import contextlib
import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

import vanban.extractors
from tests.fuzzing import budget, within
from vanban.pipeline.normalize import _LINE_END_BLANKS, normalize

LONG = hsettings.default is not None and (
    hsettings.default.max_examples > hsettings.get_profile("ci").max_examples
)
LENGTH = 100_000 if LONG else 10_000
# Seconds for one pattern over one string, and for a whole file.
PATTERN_BUDGET = 2.0
FILE_BUDGET = 120.0 if LONG else 30.0

LOAD_MODULES = [
    "vanban.pipeline.normalize",
    "vanban.pipeline.md_tables",
    "vanban.pipeline.legacy_encoding",
    "vanban.pipeline.crawl_noise",
    "vanban.pipeline.load",
]
EXTRACT_MODULES = [
    *sorted(
        "vanban.extractors." + m.name for m in pkgutil.iter_modules(vanban.extractors.__path__)
    ),
    "vanban.pipeline.extract",
    "vanban.pipeline.redact",
]

# The characters the patterns work on: blanks, line breaks, capitals with and
# without marks, digits, the punctuation of numbers, dates, items and tables.
ALPHABET = " \t\n|-–.,;:/()*_#<>&'\"Aaạ1ĐđHNộngàythánmăI)"
UNITS = st.text(alphabet=ALPHABET, min_size=1, max_size=4)
# What the red-team pass found, and what such patterns choke on.
KNOWN = [" ", "\t", "\n", " \n", "A", "A\n", "Aa ", "| ", "-|", "- |", "1", "1/", "ĐA ", "A1", "yà"]


ROOT = Path(__file__).resolve().parent.parent
SOURCES = {
    p: p.read_text(encoding="utf-8")
    for d in ("pipeline", "extractors")
    for p in (ROOT / d).glob("*.py")
}


def _anchored(module: str, attr: str) -> bool:
    """The code only ever tries the pattern at one place (`.match`, `.fullmatch`),
    never scans a text with it (`.search`, `.finditer`, `.sub`, handed on…)."""
    own = ROOT / (module.removeprefix("vanban.").replace(".", "/") + ".py")
    sources = [SOURCES[own]] if attr.startswith("_") else list(SOURCES.values())
    uses = [u for src in sources for u in re.findall(rf"\b{attr}\b(?!\s*=[^=])(\.\w+\()?", src)]
    return bool(uses) and all(u in {".match(", ".fullmatch("} for u in uses)


def _patterns(modules: list[str]) -> list[tuple[str, re.Pattern[str], bool]]:
    found = []
    for name in modules:
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                found.append((f"{name}.{attr}", value, _anchored(name, attr)))
    return found


LOAD_PATTERNS = _patterns(LOAD_MODULES)
EXTRACT_PATTERNS = _patterns(EXTRACT_MODULES)


# Patterns the code applies only to a short window of the text: exercised on
# windows of that length (where the window is cut).
WINDOWS = {
    "vanban.extractors.deadlines._PLACE_DATE": 50,  # _Left.place_date: text[-50:]
    "vanban.extractors.deadlines._CITE_NUM": 60,  # _Left.cited: text[-60:]
    "vanban.extractors.deadlines._LAST_BOUND": 160,  # _clause_left: 160 characters
}
# A pattern that runs on what an earlier pass left: fed that.
SEES = {"vanban.pipeline.normalize._MD_TABLE_RULE": lambda s: _LINE_END_BLANKS.sub("", s)}


def _repeat(unit: str, n: int = LENGTH) -> str:
    return (unit * (n // len(unit) + 1))[:n]


def _exercise(name: str, pattern: re.Pattern[str], anchored: bool, text: str) -> None:
    """The pattern used as its module uses it: tried at the start of every line
    when only ever tried at one place, else scanning the whole text."""
    window = WINDOWS.get(name)
    if window is not None:
        text = text[-window:]
    text = SEES.get(name, str)(text)
    with within(PATTERN_BUDGET, f"{name} over {len(text):,} characters"):
        if anchored:
            pos = 0
            while pos <= len(text):
                pattern.match(text, pos)
                pattern.fullmatch(text, pos)
                pos = text.find("\n", pos) + 1 or len(text) + 1
        else:
            for _ in pattern.finditer(text):
                pass


def _normalized(text: str) -> str:
    return normalize(text).text


def test_the_audit_sees_the_patterns() -> None:
    names = {n for n, _, _ in LOAD_PATTERNS + EXTRACT_PATTERNS}
    assert {"vanban.pipeline.normalize._MD_PIPE", "vanban.extractors.header._DATE"} <= names
    assert len(names) > 150


def test_the_reported_stalls_are_gone() -> None:
    """The reproductions of the report: 20,000 blanks before a pipe's row, a table
    of dashes and pipes, blank lines, one line of 90 capitals before a date."""
    from vanban.pipeline.extract import extract_text_doc
    from vanban.schemas import Source

    with within(5, "normalize of 20,000 blanks"):
        normalize(" " * 20_000 + "x")
    with within(5, "normalize of a table of dashes and pipes"):
        normalize(("|" + "-" * 30) * 3_000 + "\n")
    with within(5, "normalize of 20,000 blank lines and a rule"):
        normalize("\n" * 20_000 + "|---|")
    capitals = "CÔNG VĂN\n" + "A" * 90 + "\nHà Nội, ngày 5 tháng 6 năm 2024\n"
    with within(5, "the date of a letter after a line of 90 capitals"):
        doc = normalize(capitals)
        from vanban.schemas import TextDoc

        record = extract_text_doc(
            TextDoc(doc.text, {}, []), Source(path="x.txt", format="txt", sha256="0")
        )
    assert record.issued_date == "2024-06-05"


def _every_pattern_on(unit: str) -> None:
    """The load patterns on the raw repeated text, the extract patterns on it normalised."""
    raw = _repeat(unit)
    for name, pattern, anchored in LOAD_PATTERNS:
        _exercise(name, pattern, anchored, raw)
    text = _normalized(raw)
    for name, pattern, anchored in EXTRACT_PATTERNS:
        _exercise(name, pattern, anchored, text)


@pytest.mark.parametrize("unit", KNOWN)
def test_known_runs_through_every_pattern(unit: str) -> None:
    _every_pattern_on(unit)


@budget(20)
@given(unit=UNITS)
def test_every_pattern_is_linear_on_repeated_units(unit: str) -> None:
    _every_pattern_on(unit)


LETTER_HEAD = (
    "BỘ NỘI VỤ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 12/BNV-VP\n"
    "Hà Nội, ngày 5 tháng 6 năm 2024\nCÔNG VĂN\nV/v thử\nKính gửi: Bộ Tài chính\n"
)


@budget(10, most=40)
@given(unit=UNITS, framed=st.booleans())
def test_a_file_of_repeated_units_is_read_within_budget(
    tmp_path_factory: pytest.TempPathFactory, unit: str, framed: bool
) -> None:
    from vanban.pipeline.extract import extract
    from vanban.pipeline.load import load
    from vanban.schemas import VanbanError

    body = _repeat(unit)
    path: Path = tmp_path_factory.mktemp("units") / "letter.txt"
    path.write_text(LETTER_HEAD + body + "\nNơi nhận:\n- Như trên;\n" if framed else body)
    # No text, not text: an error record, suppressed.
    with (
        within(FILE_BUDGET, f"load and extract of {unit!r} × {LENGTH:,}"),
        contextlib.suppress(VanbanError),
    ):
        extract(load(path))
