"""`looks_ocr`: a letter whose motto is printed without its accents came from OCR."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import budget
from vanban.extractors.ocr_fix import looks_ocr

# The definition: the unaccented motto as whole words.
_DEFINITION = re.compile(r"\bCONG HOA\b|\bDoc lap\b")


@given(
    st.lists(
        st.sampled_from(["CONG HOA", "Doc lap", "C", "D", "Đ", "x", "1", "_", " ", "\n", "-", "S"]),
        max_size=12,
    ).map("".join)
)
@budget(100)
def test_the_unaccented_motto_is_found_as_whole_words(text: str) -> None:
    assert looks_ocr({}, text) == bool(_DEFINITION.search(text))


def test_a_motto_glued_to_a_word_is_not_the_motto() -> None:
    assert looks_ocr({}, "CỘNG HÒA XÃ HỘI\nCONG HOA XA HOI")
    assert not looks_ocr({}, "XCONG HOA, ĐDoc lap, CONG HOAS")
