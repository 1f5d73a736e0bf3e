"""A short name the letter defines (`… (sau đây gọi tắt là Ban Chỉ đạo)`) is looked for only in
the spans where its first word is printed, in some case (issue 16): the answers are those of
looking everywhere."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vanban.extractors.actors import (
    _BRACKETED,
    _NAMED_AS,
    _starts_within,
    _word_starts,
    with_named_bodies,
)
from vanban.extractors.agencies import AgencyRegistry
from vanban.extractors.text_utils import after_blanks
from vanban.schemas import Agency

LETTER = (
    "Thành lập Ban Chỉ đạo chuyển đổi số tỉnh Quảng Nam (sau đây gọi tắt là Ban Chỉ đạo).\n"
    "1. Ban Chỉ đạo có nhiệm vụ chỉ đạo chuyển đổi số.\n"
    "2. Sở Y tế báo cáo kết quả.\n"
    "3. BAN CHỈ ĐẠO tổng kết hằng năm.\n"
)


def find(text: str, s: int, e: int) -> list[Agency]:
    return AgencyRegistry.default().find(text, s, e)


def spans_named(text: str, line: int) -> list[str]:
    start = sum(len(x) + 1 for x in text.split("\n")[:line])
    end = start + len(text.split("\n")[line])
    return [text[slice(*a.span)] for a in with_named_bodies(text, find)(text, start, end) if a.span]


@pytest.mark.parametrize(("line", "named"), [(1, "Ban Chỉ đạo"), (3, "BAN CHỈ ĐẠO")])
def test_the_short_name_is_read_in_a_span_that_prints_it_in_any_case(line: int, named: str) -> None:
    assert named in spans_named(LETTER, line)


def test_a_span_without_the_short_name_gets_only_the_registry_s_bodies() -> None:
    assert spans_named(LETTER, 2) == ["Sở Y tế"]


def test_a_word_is_found_in_any_case_and_anywhere_when_the_text_has_odd_letters() -> None:
    (starts,) = _word_starts("Ban x BAN y bAn", ["Ban"])
    assert starts == [0, 6, 12]
    assert _starts_within(starts, 3, 5, 9) and not _starts_within(starts, 3, 1, 8)
    assert _word_starts("Ban ı", ["Ban"]) == [None]  # `ı` is `i` to the engine, not to `lower`
    assert _starts_within(None, 3, 0, 1)


# The brackets as they were spelled, the blanks before them opening the pattern: the patterns
# that open on `(` give the same matches from the blanks on (`after_blanks`).
_SPELLED = [
    (_BRACKETED, re.compile(r"[ \t]*\(([^()\n]{2,60})\)")),
    (
        _NAMED_AS,
        re.compile(
            r"[ \t]*\(\s*(?:sau đây\s+)?(?:được\s+)?gọi\s+(?:tắt\s+)?là\s*:?\s*"
            r"(?P<term>[A-ZĐÀ-Ỹ][^()\n,;:]{1,40}?)\s*\)"
        ),
    ),
]
PIECES = ["(", ")", " ", "\t", "\n", "ab", "Sở X", " sau đây gọi tắt là ", "gọi là ", "Ban", ","]


@given(st.lists(st.sampled_from(PIECES), max_size=10).map("".join))
def test_a_bracket_starts_at_the_blanks_before_it_as_spelled(text: str) -> None:
    for fast, spelled in _SPELLED:
        found = [(s, m.end(), m.groups()) for s, m in after_blanks(fast, text)]
        assert found == [(m.start(), m.end(), m.groups()) for m in spelled.finditer(text)]
