"""Comparison keys of ANNOTATION.md §2 and the task alignment of §5, for the scorer.

Values are compared as keys, never as printed text: two spellings that the
guideline calls equal must give the same key, and nothing else may.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TypeVar

from vanban.pipeline.spelling import token_normalize

T = TypeVar("T")

_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
_EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$")
_PUNCT = re.compile(r"[\W_]+")
_SUBJECT_PREFIX = re.compile(r"^về(?:\s+việc)?\b")
# Greedy `.+` takes the last `tỉnh`/`thành phố`, so only the trailing province goes.
_TRAILING_PROVINCE = re.compile(r"^(.+) (?:tỉnh|thành phố) (.+)$")
_COMMITTEES = ("ủy ban nhân dân", "hội đồng nhân dân")
# `Công an tỉnh` (§4's canonical form for a province's unit) = `Công an tỉnh Lào Cai`.
_TRAILING_LEVEL = re.compile(r"^(.+) (?:tỉnh|thành phố)$")

AgencyKey = tuple[str, str | None]  # (name without province, province or None)


def normalize(value: str | None) -> str:
    """NFC, case folded, one tone-mark placement, single spaces, no edge punctuation."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", value).casefold()
    # token_normalize moves the tone mark (`hoà` -> `hòa`, `uỷ` -> `ủy`) one word at a time.
    text = _WORD.sub(lambda m: token_normalize(m.group(0)), text)
    text = _SPACE.sub(" ", unicodedata.normalize("NFC", text))
    return _EDGE_PUNCT.sub("", text)


def number_key(value: str | None) -> str:
    """A số/ký hiệu: OCR and typists put stray spaces inside (`57- NQ/TW`)."""
    return _SPACE.sub("", normalize(value))


def subject_key(value: str | None) -> str:
    """A trích yếu: the guideline makes a leading `Về việc`/`Về` optional."""
    return _EDGE_PUNCT.sub("", _SUBJECT_PREFIX.sub("", normalize(value)))


def agency_key(value: str | None) -> AgencyKey | None:
    """An agency name or group code, split from its trailing province.

    The province is kept, not dropped: `Sở Y tế` must equal `Sở Y tế tỉnh Lào
    Cai`, but `Sở Xây dựng tỉnh Gia Lai` must not equal `Sở Xây dựng tỉnh Đắk
    Lắk` (both appear in one recipient list); `agencies_match` decides.
    """
    if value is None or not value.strip():
        return None
    if value.strip().startswith("@"):
        return value.strip().casefold(), None
    name = _PUNCT.sub(" ", normalize(value)).strip()
    if not name.startswith(_COMMITTEES):
        m = _TRAILING_LEVEL.match(name)
        if m:
            return m.group(1), None
        m = _TRAILING_PROVINCE.match(name)
        if m:
            return m.group(1), m.group(2)
    return name, None


def agencies_match(a: AgencyKey, b: AgencyKey) -> bool:
    return a[0] == b[0] and (a[1] == b[1] or a[1] is None or b[1] is None)


def match_sets(
    pred: Sequence[T], gold: Sequence[T], same: Callable[[T, T], bool]
) -> list[tuple[int, int]]:
    """A maximum one-to-one matching (pred index, gold index) of two small sets.

    Augmenting paths rather than a greedy pass: with a lenient equality such as
    `agencies_match` one item may fit several, and greedy could undercount.
    """
    owner: dict[int, int] = {}  # gold index -> pred index

    def place(i: int, seen: set[int]) -> bool:
        for j, g in enumerate(gold):
            if j not in seen and same(pred[i], g):
                seen.add(j)
                if j not in owner or place(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(pred)):
        place(i, set())
    return sorted((i, j) for j, i in owner.items())


def words(text: str | None) -> Counter[str]:
    return Counter(_WORD.findall(normalize(text)))


def align(pred: Sequence[str], gold: Sequence[str]) -> list[tuple[int, int]]:
    """Align task texts one to one by word overlap (ANNOTATION.md §5).

    A pair qualifies when the shared words are at least half of the shorter
    text's words; the best ratio is taken first, ties by gold then predicted
    order, so identical lists align in order.
    """
    pred_words = [words(t) for t in pred]
    gold_words = [words(t) for t in gold]
    candidates: list[tuple[float, int, int]] = []
    for i, pw in enumerate(pred_words):
        for j, gw in enumerate(gold_words):
            shared = sum((pw & gw).values())
            shorter = min(pw.total(), gw.total())
            if shared and 2 * shared >= shorter:
                candidates.append((-shared / shorter, j, i))
    pairs: list[tuple[int, int]] = []
    used_pred: set[int] = set()
    used_gold: set[int] = set()
    for _, j, i in sorted(candidates):
        if i not in used_pred and j not in used_gold:
            used_pred.add(i)
            used_gold.add(j)
            pairs.append((i, j))
    return sorted(pairs)
