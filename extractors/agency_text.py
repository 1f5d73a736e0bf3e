"""Text helpers for the agency registry: a folded copy with offsets, tokens, a token trie, casing.

Matching runs on a copy of the text folded by `text_utils.fold_key` (lower
case, one tone-mark placement, one dash; accents kept). That fold has the same
length as an NFC input, so every offset found in it is an offset into the
original text. Input that is not NFC gets an explicit index map instead.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import accumulate
from typing import Any

from vanban.extractors import lexicon
from vanban.extractors.text_utils import fold_key, fold_key_nfc

# A footnote mark printed as superscript digits (`Sở X²`) is a token of its own, not
# part of the word it is glued to: the body's name ends before it (ANNOTATION §4: a body is
# named as printed, and the mark is no part of its name).
_SUPERSCRIPTS = "\u00b9\u00b2\u00b3\u2070-\u2079"
TOKEN_RE = re.compile(rf"[^\W{_SUPERSCRIPTS}]+|[{_SUPERSCRIPTS}]+|[^\w\s]")
_TOKEN_SPLIT = re.compile(f"({TOKEN_RE.pattern})")
_FOOTNOTE_MARK = re.compile(f"[{_SUPERSCRIPTS}]+")


def is_footnote_mark(tok: str) -> bool:
    """A token of superscript digits (`²`): a footnote mark, no word of a name."""
    return _FOOTNOTE_MARK.fullmatch(tok) is not None


@dataclass(frozen=True)
class Folded:
    """The folded text, its tokens, and the way back to original offsets."""

    text: str
    key: str
    index: Sequence[int] | None  # key offset → text offset; None when identical
    toks: list[str]
    starts: list[int]
    ends: list[int]
    # Each token's bounds in the original text (`orig` of `starts`, `ends`), mapped
    # once: the matcher asks for them tens of times per token.
    text_starts: list[int]
    text_ends: list[int]

    def orig(self, pos: int) -> int:
        return pos if self.index is None else self.index[pos]

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Original `[start, end)` of tokens i..j-1."""
        return self.text_starts[i], self.text_ends[j - 1]

    def is_cap(self, i: int) -> bool:
        """Is token i printed with a capital first letter (or a digit)? No
        token past the last one is (a name that ends in `và`)."""
        if i >= len(self.toks):
            return False
        c = self.text[self.text_starts[i]]
        return c.isupper() or (c.isdigit() and not is_footnote_mark(c))

    def gap(self, i: int) -> str:
        """The original text between token i-1 and token i."""
        if i <= 0 or i >= len(self.toks):
            return ""
        return self.text[self.text_ends[i - 1] : self.text_starts[i]]


def fold_text(text: str) -> Folded:
    index: list[int] | None = None
    if unicodedata.is_normalized("NFC", text):
        key = fold_key_nfc(text)
    else:
        # Compose base + combining marks one cluster at a time, remembering where
        # each composed character came from.
        chars: list[str] = []
        index = []
        i = 0
        while i < len(text):
            j = i + 1
            while j < len(text) and unicodedata.combining(text[j]):
                j += 1
            comp = unicodedata.normalize("NFC", text[i:j])
            if len(comp) == 1:
                chars.append(comp)
                index.append(i)
            else:
                chars.extend(text[i:j])
                index.extend(range(i, j))
            i = j
        index.append(len(text))
        key = fold_key_nfc("".join(chars))
    # Gap, token, gap, token, …, gap in one split; their running lengths are each
    # token's start and end (no Python step per token: a letter has thousands).
    parts = _TOKEN_SPLIT.split(key)
    bounds = list(accumulate(map(len, parts)))
    toks, starts, ends = parts[1::2], bounds[0:-1:2], bounds[1::2]
    if index is None:  # the key's offsets are the text's
        return Folded(text, key, index, toks, starts, ends, starts, ends)
    text_starts = [index[x] for x in starts]
    return Folded(text, key, index, toks, starts, ends, text_starts, [index[x] for x in ends])


def tokens(text: str) -> tuple[str, ...]:
    return tuple(TOKEN_RE.findall(fold_key(text)))


# --- token trie -------------------------------------------------------------

_END = ""  # no token is empty, so "" marks the end of a phrase


class Trie:
    """Phrases as token sequences → payloads; longest match from a position."""

    def __init__(self) -> None:
        self.root: dict[str, Any] = {}

    def add(self, toks: Iterable[str], payload: object) -> None:
        node = self.root
        for t in toks:
            node = node.setdefault(t, {})
        bucket = node.setdefault(_END, [])
        if payload not in bucket:
            bucket.append(payload)

    def longest(
        self, toks: Sequence[str], i: int, stop: int, node: dict[str, Any] | None = None
    ) -> tuple[int, list[Any]] | None:
        """(end token, payloads) of the longest phrase starting at token i; from `node`
        (a phrase's words walked already) instead of the root when given."""
        node = self.root if node is None else node
        best: tuple[int, list[Any]] | None = None
        j = i
        while j < stop:
            nxt = node.get(toks[j])
            if nxt is None:
                break
            node = nxt
            j += 1
            if _END in node:
                best = (j, node[_END])
        return best

    def longest_after(
        self, head: Sequence[str], toks: Sequence[str], k: int, stop: int
    ) -> tuple[int, list[Any]] | None:
        """`longest` over `head` followed by `toks[k:stop]`, from the first of `head`: a name read
        with its kind word before it (`Sở` + `X`). No list of the two is made: a copy
        of the rest of the span for each item of a list was linear in the span's length."""
        node = self.root
        best: tuple[int, list[Any]] | None = None
        n = 0
        for t in head:
            nxt = node.get(t)
            if nxt is None:
                return best
            node = nxt
            n += 1
            if _END in node:
                best = (n, node[_END])
        rest = self.longest(toks, k, stop, node)
        return best if rest is None else (n + rest[0] - k, rest[1])

    def all_matches(self, toks: Sequence[str], i: int, stop: int) -> list[tuple[int, list[Any]]]:
        """Every phrase starting at token i, shortest first."""
        node = self.root
        out: list[tuple[int, list[Any]]] = []
        j = i
        while j < stop:
            nxt = node.get(toks[j])
            if nxt is None:
                break
            node = nxt
            j += 1
            if _END in node:
                out.append((j, node[_END]))
        return out


# --- pattern expansion --------------------------------------------------------


def expand(pattern: str, macros: dict[str, str] | None = None) -> list[str]:
    """Expand `[optional]` and `{a|b}` (nestable) and `<macro>` into strings."""
    if macros:
        for _ in range(3):  # macros may use macros
            for name, body in macros.items():
                pattern = pattern.replace(f"<{name}>", body)

    def parse(s: str, pos: int, closer: str | None) -> tuple[list[list[str]], int]:
        # Returns alternatives (each a list of string pieces) up to `closer`.
        alts: list[list[str]] = [[""]]
        while pos < len(s):
            c = s[pos]
            if c == closer:
                return alts, pos + 1
            if c == "|" and closer == "}":
                alts.append([""])
                pos += 1
                continue
            if c in "[{":
                inner, pos = parse(s, pos + 1, "]" if c == "[" else "}")
                options = [x for alt in inner for x in alt]
                if c == "[":
                    options.append("")
                alts[-1] = [a + o for a in alts[-1] for o in options]
                continue
            alts[-1] = [a + c for a in alts[-1]]
            pos += 1
        return alts, pos

    alts, _ = parse(pattern, 0, None)
    out = []
    for alt in alts:
        for s in alt:
            s = " ".join(s.split())
            if s and s not in out:
                out.append(s)
    return out


# --- normal casing of printed names -------------------------------------------

# Words of a name's type part: `Trung tâm`, `Câu lạc bộ`… are written with a
# capital on the first word only; the proper part starts with a capital
# (`Ban` + `Quản lý dự án …`, `Cục` + `Quản lý X …`).
TYPE_WORDS = lexicon.selected("body_heads", "type")
_TYPE_TOKS = sorted((tuple(t.split()) for t in TYPE_WORDS), key=len, reverse=True)
# Proper names kept capitalised inside a name, besides the provinces (lexicon `proper_words`).
PROPER_NAMES = lexicon.words("proper_words")


@cache
def _proper_names() -> tuple[tuple[str, ...], ...]:
    """`PROPER_NAMES` folded to words, once (`normal_case` compared them on every call)."""
    return tuple(tuple(fold_key(p).split()) for p in PROPER_NAMES)


@lru_cache(maxsize=8)
def _names_longest_first(proper: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The proper names `normal_case` capitalises, with `proper` (the registry's provinces),
    folded to words, longest first: made once per list, not on every call."""
    names = [*_proper_names(), *(tuple(fold_key(p).split()) for p in proper)]
    return tuple(sorted(names, key=len, reverse=True))


def normal_case(printed: str, proper: Iterable[str] = ()) -> str:
    """Normal Vietnamese capitalisation of a name printed in capitals.

    `TRUNG TÂM CHUYỂN ĐỔI SỐ TỈNH X` → `Trung tâm Chuyển đổi số tỉnh X`.
    Names already in mixed case are returned as printed (white space collapsed).
    """
    words = printed.split()
    if not words:
        return ""
    letters = [c for c in printed if c.isalpha()]
    if letters and not all(c.isupper() for c in letters):
        return " ".join(words)
    low = [w.lower() for w in words]
    out = list(low)
    n_type = 1
    for type_toks in _TYPE_TOKS:
        if tuple(low[: len(type_toks)]) == type_toks:
            n_type = len(type_toks)
            break
    out[0] = out[0][:1].upper() + out[0][1:]
    if n_type < len(out) and out[n_type][:1].isalpha():
        out[n_type] = out[n_type][:1].upper() + out[n_type][1:]
    folded = [fold_key(w) for w in low]
    present = set(folded)
    for name in _names_longest_first(tuple(proper)):
        if not name or name[0] not in present:
            continue  # no word of the name starts here: it capitalises nothing
        k = len(name)
        for s in range(len(out) - k + 1):
            if tuple(folded[s : s + k]) == name:
                for t in range(s, s + k):
                    out[t] = out[t][:1].upper() + out[t][1:]
    return " ".join(out)
