"""`fold` and `capitals` keep their meaning when made faster: the plain definitions
(drop every combining mark after NFD; count letters and upper-case letters) decide."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from vanban.extractors.text_utils import capitals, fold

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)) | st.sampled_from("ĐđÐðỦủẬậ\u0301\u1dc0Ⅷ"),
    max_size=200,
)


def _fold_by_definition(s: str) -> str:
    s = unicodedata.normalize("NFD", s.lower()).replace("đ", "d").replace("ð", "d")
    return "".join(c for c in s if unicodedata.category(c) != "Mn")


@given(TEXT)
def test_fold_drops_every_combining_mark_as_its_definition_says(s: str) -> None:
    assert fold(s) == _fold_by_definition(s)


@given(TEXT)
def test_capitals_counts_letters_and_their_upper_case_share(s: str) -> None:
    letters = [c for c in s if c.isalpha()]
    share = sum(c.isupper() for c in letters) / len(letters) if letters else 0.0
    assert capitals(s) == (len(letters), share)


def test_fold_of_a_vietnamese_name() -> None:
    assert fold("Ủy ban nhân dân tỉnh Đắk Lắk") == "uy ban nhan dan tinh dak lak"
