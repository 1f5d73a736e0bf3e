"""Small text helpers shared by extractors: case, accents, spans."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from vanban.extractors import lexicon

_STRIP = " \t\n.,;:-–—_*•+"


# What `re.IGNORECASE` matches to a letter of a Vietnamese word that `str.lower` does not
# lower to it: dotless `ı` and long `ſ` (matched to `i`, `s`), and `İ`, which lowers to `i`
# and a combining dot above.
_CASE_ODD = ("ı", "ſ", "\u0307")


def may_hold(low: str, *words: str) -> bool:
    """Could a case-insensitive pattern that matches only text holding one of `words` (lower
    case, written as in the pattern) match a text whose `str.lower()` is `low`? A substring test
    before a pattern that is tried at every position of the text (issue 16): False only when
    none of the words is there in any case. (A loop, not `any` over a generator: the rules ask
    it thousands of times a letter, and the generator cost more than the searches.)"""
    for w in words:
        if w in low:
            return True
    # Each odd character by `str.find` (a search of one character, ~30 times faster than a
    # class of three tried at every position: asked ~330 times a letter, issue 16).
    dotless, long_s, dot_above = _CASE_ODD  # no generator: see above
    return dotless in low or long_s in low or dot_above in low


def strip_span(text: str, start: int, end: int, chars: str = _STRIP) -> tuple[int, int]:
    """Shrink `[start, end)` so it neither starts nor ends with `chars`."""
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


class PerText:
    """What was read over spans of one text, kept until another text comes.

    The extractors ask again for spans of the letter they read (an item, then
    the item it belongs to, then again when its task is emitted): a rule asks
    `PerText.of(text)` for the results of that text's spans, so each is read
    once per letter and nothing is kept once the next letter comes (a worker's
    memory stays flat). Results stored must never be changed by a caller.
    """

    def __init__(self) -> None:
        self._current: tuple[str | None, dict[Any, Any]] = (None, {})

    def of(self, text: str) -> dict[Any, Any]:
        current = self._current
        if current[0] is not text:  # one tuple swapped at once: a text never gets another's
            current = (text, {})
            self._current = current
        return current[1]


# Folding. Two keys, because two questions are asked of a text:
# * `fold`: could these words be the same when accents are lost? (OCR drops
#   or swaps diacritics, some sites print none): lower case, no marks, đ → d.
# * `fold_key`: are these the same words, spelled with either tone placement
#   (`hoà`/`hòa`) or dash? Accents kept, for the agency gazetteer.
# Both keep the length of an NFC input, so an offset found in the key is an
# offset into the text.


_COMBINING = re.compile("[\u0300-\u036f]+")


def fold(s: str) -> str:
    """Lower case without diacritics (đ, and ð that OCR prints for it, → d).

    For matching OCR'd or unaccented text; as long as an NFC input.
    """
    # A short text (a word, a name: ~19,000 a pass over the dev letters, ~5,700 distinct) is
    # folded once (issue 16); a long one is not kept.
    return _fold_short(s) if len(s) <= 64 else _fold(s)


@lru_cache(maxsize=2048)
def _fold_short(s: str) -> str:
    return _fold(s)


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFD", s.lower()).replace("đ", "d").replace("ð", "d")
    # Vietnamese marks are all in U+0300–U+036F: dropped by one pattern (`str.translate`
    # looked up every character of a long text in a dict), the text between them joined
    # (a third faster than `sub`, which builds its result match by match). Any other mark is
    # found among the distinct characters left, not by a Python step per character.
    s = "".join(_COMBINING.split(s))
    if s.isascii():
        return s
    marks = [c for c in set(s) if unicodedata.category(c) == "Mn"]
    return s.translate(dict.fromkeys(map(ord, marks))) if marks else s


# Old-style tone placement → the style used in canonical names (`Hòa`, `Ủy`).
# The vowel pair is the same syllable either way, so folding both spellings to
# one form never merges two different words.
_TONE_PAIRS = {
    "oà": "òa",
    "oá": "óa",
    "oả": "ỏa",
    "oã": "õa",
    "oạ": "ọa",
    "oè": "òe",
    "oé": "óe",
    "oẻ": "ỏe",
    "oẽ": "õe",
    "oẹ": "ọe",
    "uỳ": "ùy",
    "uý": "úy",
    "uỷ": "ủy",
    "uỹ": "ũy",
    "uỵ": "ụy",
}
_TONE_RE = re.compile("|".join(_TONE_PAIRS))
_OLD_TONES = {new: old for old, new in _TONE_PAIRS.items()}
_OLD_TONES |= {
    new[0].upper() + new[1:]: old[0].upper() + old[1:] for old, new in _TONE_PAIRS.items()
}
_OLD_TONE_RE = re.compile("|".join(_OLD_TONES))


def old_tones(s: str) -> str:
    """`s` with the old-style tone placement (`hỏa tốc` → `hoả tốc`, `Ủy ban` → `Uỷ ban`):
    a pattern of words from the lexicon also matches text not yet normalised."""
    return _OLD_TONE_RE.sub(lambda m: _OLD_TONES[m.group()], s)


# Dashes and odd spaces that letters use interchangeably.
_CHAR_MAP = {
    "–": "-",
    "—": "-",
    "‑": "-",
    "‐": "-",
    "−": "-",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
}


def _same_dashes(text: str) -> str:
    """`_CHAR_MAP` applied: one `replace` per character the text holds. `str.translate`
    with a table looks up every character in Python's dict (a whole letter is folded
    once per letter, and that cost more than the rest of the fold)."""
    for odd, usual in _CHAR_MAP.items():
        if odd in text:
            text = text.replace(odd, usual)
    return text


def fold_key_nfc(text: str) -> str:
    """`fold_key` of text already in NFC, character for character (same length)."""
    low = text.lower()
    if len(low) != len(text):  # e.g. 'İ' lowers to two characters
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return _TONE_RE.sub(lambda m: _TONE_PAIRS[m.group()], _same_dashes(low))


def fold_key(text: str) -> str:
    """Lower case, accents kept, one tone placement and one dash: `Uỷ ban–Hoà giải` → `ủy ban-hòa giải`.

    The key the agency gazetteer matches on. Accents stay because names differ
    by them only (`bàn`, `bán`, `ban` are three words), and the
    key of NFC text is as long as the text, so offsets into it are offsets into
    the text.
    """
    return fold_key_nfc(unicodedata.normalize("NFC", text))


def capitals(s: str) -> tuple[int, float]:
    """How many letters `s` holds, and the share of them in upper case (0.0 when none)."""
    letters = "".join(filter(str.isalpha, s))  # builtins over the string: no Python loop
    return len(letters), (sum(map(str.isupper, letters)) / len(letters) if letters else 0.0)


def is_upper_line(s: str, threshold: float = 0.85) -> bool:
    n, share = capitals(s)
    return n >= 2 and share >= threshold


def in_capitals(s: str) -> bool:
    """A title printed in capitals (`TỔ CHỨC THỰC HIỆN`): four letters or more, all upper case.
    (`str.isupper` of the letters first: it is False, at C speed, for most lines, and True
    whenever each letter is upper case; then each letter, as `capitals` counts them, since
    `isupper` passes over letters without case.)"""
    letters = "".join(filter(str.isalpha, s))
    return len(letters) >= 4 and letters.isupper() and all(map(str.isupper, letters))


def sentence_case(s: str) -> str:
    """`PHÓ CHỦ NHIỆM` → `Phó chủ nhiệm` (only the first letter kept upper)."""
    s = s.strip()
    if not s:
        return s
    low = s.lower()
    return low[0].upper() + low[1:]


# Positions of officials (lexicon `official_titles`, column `position`).
_TITLE_LIST = lexicon.selected("official_titles", "position")
_TITLE_EXACT = {t.lower(): t for t in _TITLE_LIST}
# Without accents `Thứ trưởng` and `Thủ trưởng` collide: the deputy
# minister signs letters, the head of an agency rarely does.
_TITLE_FOLDED = {fold(t): t for t in reversed(_TITLE_LIST)}


def title_case_position(s: str) -> str:
    """Normal case of a position line: `PHÓ TONG CUC TRUONG` → `Phó Tổng cục trưởng`.

    Known positions are matched without accents (OCR drops them); others get
    sentence case.
    """
    plain = re.sub(r"\s+", " ", s.lower()).strip(" ,.")
    if plain in _TITLE_EXACT:
        return _TITLE_EXACT[plain]
    key = fold(plain)
    if key in _TITLE_FOLDED:
        return _TITLE_FOLDED[key]
    return sentence_case(re.sub(r"\s+", " ", s).strip(" ,."))


def after_blanks(pattern: re.Pattern[str], text: str) -> Iterator[tuple[int, re.Match[str]]]:
    """The matches of `pattern` in `text`, each with its start moved back over the blanks
    before it (not into the match before): what `[ \t]*` opening the pattern would match,
    which the engine tried at every position of the letter (issue 16)."""
    floor = 0
    for m in pattern.finditer(text):
        start = m.start()
        while start > floor and text[start - 1] in " \t":
            start -= 1
        floor = m.end()
        yield start, m
