"""Repair OCR misspellings in short header values from the letter's own words.

OCR of scans drops or swaps diacritics (`kiêm tra` for `kiểm tra`, `kê
hoạch` for `kế hoạch`). The same words usually appear correctly many times
in the body, so a word is replaced only when the letter itself shows a much
more frequent spelling with the same letters (or, after the same preceding
word, one letter away). Nothing is invented: every replacement is a word the
page prints elsewhere.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

from vanban.extractors.text_utils import fold

_WORD = re.compile(r"[^\W\d_]+")
# The motto unaccented (`CONG HOA`, `Doc lap`), each a whole word: the look-behind comes
# after the first letter (`\bCONG` as `C(?<!\wC)`), so that the engine skips at C speed to
# the next `C` or `D` of the letter instead of testing a word boundary at every position.
_UNACCENTED_MOTTO = re.compile(r"C(?<!\wC)ONG HOA\b|D(?<!\wD)oc lap\b")


def looks_ocr(metadata: dict[str, str], text: str) -> bool:
    """The text came from OCR: the file says so, or the motto is unaccented."""
    if metadata.get("ocr") == "true" or metadata.get("original_format", "").lower() in {
        "pdf",
        "image",
        "scan",
    }:
        return True
    # Each match holds one of two phrases: most letters print neither (`str.find`, issue 16).
    if "ONG HOA" not in text and "oc lap" not in text:
        return False
    return _UNACCENTED_MOTTO.search(text) is not None


class Vocabulary:
    def __init__(self, text: str) -> None:
        words = [w.lower() for w in _WORD.findall(text)]
        self.counts = Counter(words)
        # Each distinct word folded once, not once for each time it is printed (issue 16).
        folded = {w: fold(w) for w in self.counts}
        self.by_fold: dict[str, list[str]] = {}
        for w in self.counts:
            self.by_fold.setdefault(folded[w], []).append(w)
        self.after: dict[str, Counter[str]] = {}
        for a, b in itertools.pairwise(words):
            self.after.setdefault(folded[a], Counter())[b] += 1

    def best(
        self, word: str, prev: str | None, is_syllable: Callable[[str], bool] | None = None
    ) -> str:
        low = word.lower()
        n = self.counts.get(low, 0)
        forms = self.by_fold.get(fold(low), [])
        if is_syllable is not None:
            # A clean page's word the language has is what the letter says: only a word no
            # syllable spells is a typo to mend.
            spelt = low if is_syllable(low) else self._spelt(low, forms, is_syllable)
            return word if spelt == low else _same_case(word, spelt)
        top = max(forms, key=lambda f: self.counts[f], default=low)
        if top != low and self.counts[top] >= 3 and self.counts[top] >= 3 * max(n, 1):
            return _same_case(word, top)
        if prev is not None and n <= 1:
            follow = self.after.get(fold(prev), Counter())
            near = [
                (c, f)
                for f, c in follow.items()
                if c >= 3 and f != low and _one_apart(fold(f), fold(low))
            ]
            if near:
                return _same_case(word, max(near)[1])
        return word

    def _spelt(self, low: str, forms: list[str], is_syllable: Callable[[str], bool]) -> str:
        """A word no syllable of the language spells (`tac`) is the syllable with its
        letters that the letter prints at least twice, twice as often as any other such
        syllable (`tác`, not `tạc`); else it stays as read."""
        spelt = sorted((f for f in forms if is_syllable(f)), key=self.counts.__getitem__)
        if not spelt or self.counts[spelt[-1]] < 2:
            return low
        if len(spelt) > 1 and self.counts[spelt[-1]] < 2 * self.counts[spelt[-2]]:
            return low
        return spelt[-1]


def _one_apart(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _same_case(orig: str, new: str) -> str:
    if orig.isupper():
        return new.upper()
    if orig[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


@lru_cache(maxsize=8)
def _vocabulary(text: str) -> Vocabulary:
    return Vocabulary(text)


def repair(text: str, value: str, is_syllable: Callable[[str], bool] | None = None) -> str:
    """`value` with each word replaced by the letter's better-attested spelling; with
    `is_syllable` (the language's syllables: a clean page), only the words no syllable
    spells (`tac`), each by the one syllable of its letters the letter prints (`_spelt`)."""
    vocab = _vocabulary(text)
    out: list[str] = []
    pos = 0
    prev: str | None = None
    for m in _WORD.finditer(value):
        out.append(value[pos : m.start()])
        out.append(vocab.best(m.group(0), prev, is_syllable))
        prev = m.group(0)
        pos = m.end()
    out.append(value[pos:])
    return "".join(out)
