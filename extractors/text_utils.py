"""Small text helpers shared by extractors: case, accents, spans."""

from __future__ import annotations

import re
import unicodedata

_STRIP = " \t\n.,;:-–—_*•+"


def strip_span(text: str, start: int, end: int, chars: str = _STRIP) -> tuple[int, int]:
    """Shrink `[start, end)` so it neither starts nor ends with `chars`."""
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


def fold(s: str) -> str:
    """Lower case without diacritics (đ → d): for matching OCR'd or unaccented text."""
    s = unicodedata.normalize("NFD", s.lower()).replace("đ", "d")
    return "".join(c for c in s if unicodedata.category(c) != "Mn")


def is_upper_line(s: str, threshold: float = 0.85) -> bool:
    letters = [c for c in s if c.isalpha()]
    if len(letters) < 2:
        return False
    return sum(c.isupper() for c in letters) / len(letters) >= threshold


def sentence_case(s: str) -> str:
    """`PHÓ CHỦ NHIỆM` → `Phó chủ nhiệm` (only the first letter kept upper)."""
    s = s.strip()
    if not s:
        return s
    low = s.lower()
    return low[0].upper() + low[1:]


_TITLE_LIST = [
    "Thủ tướng",
    "Phó Thủ tướng",
    "Bộ trưởng",
    "Thứ trưởng",
    "Chủ nhiệm",
    "Phó Chủ nhiệm",
    "Chủ tịch",
    "Phó Chủ tịch",
    "Giám đốc",
    "Phó Giám đốc",
    "Tổng cục trưởng",
    "Phó Tổng cục trưởng",
    "Cục trưởng",
    "Phó Cục trưởng",
    "Vụ trưởng",
    "Phó Vụ trưởng",
    "Chánh Văn phòng",
    "Phó Chánh Văn phòng",
    "Tổng Giám đốc",
    "Phó Tổng Giám đốc",
    "Trưởng ban",
    "Phó Trưởng ban",
    "Bí thư",
    "Phó Bí thư",
    "Chánh Thanh tra",
    "Phó Chánh Thanh tra",
    "Tổng Thư ký",
    "Viện trưởng",
    "Phó Viện trưởng",
    "Hiệu trưởng",
    "Giám đốc Sở",
    "Thủ trưởng",
]
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
