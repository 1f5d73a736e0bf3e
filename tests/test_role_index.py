"""The index of role phrases' last words never hides a role phrase from `_role_mentions`."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vanban.extractors.actors import _ROLE, _ROLE_TAIL_WORDS, _may_hold_role, _role_tail_starts

LETTERS = [
    "1. Sở Y tế là cơ quan chủ trì; các cơ quan phối hợp gồm Sở Tài chính.",
    "Sở Xây dựng là CƠ QUAN CHỦ TRÌ thực hiện, Sở Nội vụ là Cơ quan\nPhối   hợp thực hiện.",
    "Giao đơn vị được giao chủ trì báo cáo; cơ quan, đơn vị phối hợp cung cấp số liệu.",
    "Các Bộ, ngành chủ trì, phối hợp với UBND tỉnh triển khai.",
]

# Pieces of role phrases in any case, blanks, and letters `str.lower` reads otherwise than `re.I`.
PIECES = [
    "phối",
    "PHỐI",
    "Phối",
    "hợp",
    "HỢP",
    "chủ",
    "CHỦ",
    "trì",
    "TRÌ",
    " ",
    "\n",
    "ı",
    "İ",
    "x",
]


@pytest.mark.parametrize("text", LETTERS)
def test_every_span_holding_a_role_phrase_is_read(text: str) -> None:
    for start in range(len(text)):
        for end in range(start + 1, len(text) + 1):
            if _ROLE.search(text, start, end):
                assert _may_hold_role(text, start, end), (start, end)


def test_a_span_without_the_roles_last_words_is_skipped() -> None:
    text = "Sở Y tế báo cáo kết quả. Cơ quan chủ trì tổng hợp."
    assert not _may_hold_role(text, 0, text.index("."))
    assert _may_hold_role(text, text.index("Cơ"), len(text))


@given(st.lists(st.sampled_from(PIECES), max_size=10).map("".join))
def test_the_role_words_found_in_the_lowered_letter_are_those_found_case_blind(text: str) -> None:
    assert _role_tail_starts(text) == [m.start() for m in _ROLE_TAIL_WORDS.finditer(text)]
