"""The index of role phrases' last words never hides a role phrase from `_role_mentions`."""

from __future__ import annotations

import pytest

from vanban.extractors.actors import _ROLE, _may_hold_role

LETTERS = [
    "1. Sở Y tế là cơ quan chủ trì; các cơ quan phối hợp gồm Sở Tài chính.",
    "Sở Xây dựng là CƠ QUAN CHỦ TRÌ thực hiện, Sở Nội vụ là Cơ quan\nPhối   hợp thực hiện.",
    "Giao đơn vị được giao chủ trì báo cáo; cơ quan, đơn vị phối hợp cung cấp số liệu.",
    "Các Bộ, ngành chủ trì, phối hợp với UBND tỉnh triển khai.",
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
