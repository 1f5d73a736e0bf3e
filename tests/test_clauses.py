"""Where `_clauses` cuts a paragraph into clauses: a blank line after a preposition or a
comma is layout, the sentence runs on (ANNOTATION §3 rule 1), spaces on that line or not."""

from __future__ import annotations

import pytest

from vanban.extractors.actors import _clauses


@pytest.mark.parametrize("blank", ["\n\n", "\n  \n", "\n\t\n"])
def test_a_blank_line_after_a_preposition_ends_no_clause(blank: str) -> None:
    text = f"Sở Y tế đăng ký với{blank}Bộ Y tế về việc cấp phép hoạt động."
    assert _clauses(text, 0, len(text)) == [(0, len(text))]


@pytest.mark.parametrize("blank", ["\n\n", "\n  \n"])
def test_a_blank_line_after_a_full_sentence_ends_the_clause(blank: str) -> None:
    text = f"Sở Y tế hoàn thành báo cáo.{blank}Bộ Y tế tổng hợp kết quả."
    assert len(_clauses(text, 0, len(text))) == 2
