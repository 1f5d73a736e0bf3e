"""Where `_clauses` cuts a paragraph into clauses: a blank line after a preposition or a
comma is layout, the sentence runs on (ANNOTATION §3 rule 1), spaces on that line or not."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vanban.extractors.actors import _CLAUSE_BREAK, _clauses

# The clause breaks spelled one alternative after another, as `_clauses` read them before each
# branch opened on its own character (issue 16): the fast pattern must find the same breaks.
_SPELLED = re.compile(
    r"(?P<pg>\n(?:[ \t]*\n)*[ \t]*\d{1,3}[ \t]*\n(?:[ \t]*\n)*)|"
    r";|(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])|\n[ \t]*\n|,\s*(?=đồng thời\s)|(?P<nl>\n)"
)
_PIECES = ["\n", " ", "\t", ";", ".", "!", "?", ",", "1", "12", "A", "Đ", "a", "đồng thời "]


@pytest.mark.parametrize("blank", ["\n\n", "\n  \n", "\n\t\n"])
def test_a_blank_line_after_a_preposition_ends_no_clause(blank: str) -> None:
    text = f"Sở Y tế đăng ký với{blank}Bộ Y tế về việc cấp phép hoạt động."
    assert _clauses(text, 0, len(text)) == [(0, len(text))]


@pytest.mark.parametrize("blank", ["\n\n", "\n  \n"])
def test_a_blank_line_after_a_full_sentence_ends_the_clause(blank: str) -> None:
    text = f"Sở Y tế hoàn thành báo cáo.{blank}Bộ Y tế tổng hợp kết quả."
    assert len(_clauses(text, 0, len(text))) == 2


def _breaks(pattern: re.Pattern[str], text: str) -> list[tuple[int, int, str, str | None]]:
    out = []
    for m in pattern.finditer(text):
        g = "ws" if m.lastgroup == "ws" else 0
        out.append((m.start(g), m.end(), m.group(g), None if g else m.lastgroup))
    return out


@given(st.lists(st.sampled_from(_PIECES), max_size=16).map("".join))
def test_the_clause_breaks_are_those_of_the_spelled_out_alternatives(text: str) -> None:
    assert _breaks(_CLAUSE_BREAK, text) == _breaks(_SPELLED, text)


def test_a_sentence_stop_before_a_capital_breaks_after_the_stop() -> None:
    text = "Sở Y tế hoàn thành báo cáo.  Bộ Y tế tổng hợp; Sở Tài chính phối hợp."
    assert _clauses(text, 0, len(text)) == [(0, 27), (29, 45), (46, len(text))]
