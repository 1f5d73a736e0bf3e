"""`cell_role` keeps its definition when made faster: the first phrase of the lexicon
(`table_roles.tsv`) that is the folded cell, or opens it before a space or a comma."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from vanban.extractors import lexicon
from vanban.extractors.tables import cell_role, fold_cell

PHRASES = [r["phrase"] for r in lexicon.rows("table_roles")]


def _role_by_definition(text: str) -> str:
    cell = fold_cell(text)
    for r in lexicon.rows("table_roles"):
        phrase = r["phrase"]
        if cell == phrase or cell.startswith(phrase + " ") or cell.startswith(phrase + ","):
            return r["role"]
    return ""


CELLS = st.builds(
    lambda head, cut, tail: head[: len(head) - cut] + tail,
    st.sampled_from([*PHRASES, "", "Ghi chú", "STT"]).map(str.upper) | st.sampled_from(PHRASES),
    st.integers(0, 3),
    st.sampled_from(["", " ", ",", ", ", ":", "x", " thực hiện", "/đơn vị phối hợp", "\n(1)"]),
)


@given(CELLS)
def test_a_cell_names_the_role_of_the_first_phrase_that_is_it_or_opens_it(text: str) -> None:
    assert cell_role(text) == _role_by_definition(text)


def test_a_header_cell_names_its_role() -> None:
    assert cell_role("Cơ quan chủ trì") == "lead"
    assert cell_role("Cơ quan/đơn vị phối hợp") == "coordinate"
    assert cell_role("Nội dung công việc") not in {"lead", "coordinate"}


# Cells as a letter's lines open: markup and blanks before the words, a slash, a
# phrase in capitals or decomposed (`C` + U+0301 …), a bullet or a number.
LINE_OPENINGS = st.builds(
    lambda lead, words, form: lead + form(words),
    st.sampled_from(["", " ", "**", "(", "[", "_", ":", " *", "\u00a0", "/", " / ", "|", "- "]),
    st.sampled_from([*PHRASES, "1. Nội dung", "a) Cơ quan", "Ủy ban", "Ước tính", "x"]),
    st.sampled_from([str, str.upper, str.title, lambda w: unicodedata.normalize("NFD", w)]),
)


@given(LINE_OPENINGS)
def test_a_line_is_told_as_its_folded_cell_tells_it(text: str) -> None:
    assert cell_role(text) == _role_by_definition(text)
