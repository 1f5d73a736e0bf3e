"""The case-blind patterns of `actors` that are tried at every position of a window are tried
only where one of their words is printed (issue 16, `text_utils.may_hold`): every match holds
one of those words, in some case, so skipping the others changes no answer."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vanban.extractors import actors
from vanban.extractors.agencies import AgencyRegistry
from vanban.extractors.text_utils import may_hold
from vanban.schemas import Agency

FILTERED = [
    (actors._APPOSITION, ("thường trực",)),
    (actors._REPORT, actors._REPORT_WORDS),
    (actors._ASKS, actors._ASK_WORDS),
    (actors._COORD, actors._COORD_FIRST),
    (actors._COORD_LIST, actors._COORD_FIRST),
    (actors._COORD_ORGAN, actors._COORD_FIRST),
    (actors._COORD_ANY, actors._COORD_FIRST),
    (actors._AS_FOLLOWS, ("như sau",)),
]
PIECES = [
    "phối hợp",
    "PHỐI HỢP",
    "như sau",
    "NHƯ SAU",
    "Phối  hợp",
    "phối hợp chặt chẽ",
    "với",
    "VỚI",
    "kết hợp",
    "cùng với",
    "chủ trì cùng",
    "thường trực",
    "THƯỜNG TRỰC",
    "là ",
    "cơ quan ",
    "báo cáo",
    "Gửi về",
    "trình",
    "đề xuất với",
    "Đề Nghị",
    "YÊU CẦU",
    "giao",
    "Giao cho",
    "mời",
    "phân công",
    "các Sở: ",
    "Ban Chỉ đạo ",
    "Sở Y tế",
    " ",
    "\n",
    ",",
    ":",
    "ı",
]


@pytest.mark.parametrize(
    ("pattern", "words"), FILTERED, ids=lambda p: getattr(p, "pattern", "")[:20]
)
@given(text=st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join))
def test_every_match_of_a_filtered_pattern_holds_one_of_its_words(
    pattern: re.Pattern[str], words: tuple[str, ...], text: str
) -> None:
    if pattern.search(text):
        assert may_hold(text.lower(), *words)


def find(text: str, s: int, e: int) -> list[Agency]:
    return AgencyRegistry.default().find(text, s, e)


@pytest.mark.parametrize(
    "text",
    [
        "Sở Y tế chủ trì, PHỐI HỢP VỚI Sở Tài chính kiểm tra an toàn thực phẩm.",
        "Sở Y tế chủ trì, phối hợp với Sở Tài chính kiểm tra an toàn thực phẩm.",
    ],
)
def test_a_coordinate_word_in_capitals_still_names_the_partner(text: str) -> None:
    read = actors.clause_actors(text, 0, len(text), find, recipients=[])
    assert [a.name for a in read.lead] == ["Sở Y tế"]
    assert [a.name for a in read.coordinate] == ["Sở Tài chính"]


# `names_only`'s test as it was spelled: what is left once the links are removed is nothing.
_LINKS = re.compile(r"\b(?:và|các|cơ quan chủ trì|chủ trì|gồm)\b|[\W\d_]", re.I)
LINK_PIECES = ["và", "VÀ", "các", "cơ quan chủ trì", "chủ trì", "gồm", " ", ",", "1", "_", "x"]


@given(
    st.lists(st.sampled_from([*LINK_PIECES, "cácx", "vàcác", ":", "ı"]), max_size=8).map("".join)
)
def test_a_rest_of_links_only_is_what_removing_the_links_leaves_empty(rest: str) -> None:
    found = [m.lastgroup for m in actors._LINK_OR_LETTER.finditer(rest)]
    assert ("word" not in found) == (not _LINKS.sub("", rest))


def test_a_heading_of_bodies_names_only_them_and_a_predicate_does_not() -> None:
    heading = "Sở Y tế và Sở Tài chính:"
    bodies = find(heading, 0, len(heading))
    assert actors.names_only(heading, 0, len(heading), bodies)
    sentence = "Sở Y tế và Sở Tài chính kiểm tra."
    assert not actors.names_only(sentence, 0, len(sentence), find(sentence, 0, len(sentence)))


class _Untried:
    """A pattern that must not be tried."""

    def finditer(self, *args: object) -> object:
        raise AssertionError("tried")

    def search(self, *args: object) -> object:
        raise AssertionError("tried")


def test_a_span_without_a_colon_is_not_scanned_for_monitor_labels(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "Sở Y tế kiểm tra, đôn đốc các cơ sở thực hiện.\nCơ quan theo dõi: Sở Nội vụ."
    labels = actors.monitor_labels(text, 0, len(text), find)
    assert [m.group("label") for m in labels] == ["Cơ quan theo dõi"]
    monkeypatch.setattr(actors, "_LINE_LABEL", _Untried())
    assert actors.monitor_labels(text, 0, text.index("\n"), find) == []


def test_a_clause_without_nhu_sau_is_not_scanned_for_it(monkeypatch: pytest.MonkeyPatch) -> None:
    assert actors._introduces_list("Bộ Y tế hướng dẫn các nội dung NHƯ SAU")
    monkeypatch.setattr(actors, "_AS_FOLLOWS", _Untried())
    assert not actors._introduces_list("Sở Y tế kiểm tra an toàn thực phẩm.")
    assert actors._introduces_list("Sở Y tế thực hiện các nội dung sau:")


READER_COORD = ["phối hợp với", "PHỐI HỢP VỚI", "phối hợp chặt chẽ với", "cùng", "Ủy ban"]
READER_WORDS = ["Tỉnh", "tỉnh", "TỈNH", "Thành phố", "thành phố", "Quý", "QUÝ", "quý", "Sở"]
READER_TAILS = ["thực hiện", "Ủy ban", "cơ quan", " ", "", "\n"]


@given(
    st.sampled_from(READER_COORD),
    st.sampled_from([" ", "  ", "\n"]),
    st.sampled_from(READER_WORDS),
    st.sampled_from([" ", ""]),
    st.sampled_from(READER_TAILS),
    st.integers(0, 6),
)
def test_a_span_where_the_reader_is_coordinate_passes_the_prefilter(
    coord: str, gap: str, word: str, space: str, tail: str, cut: int
) -> None:
    """`_may_name_reader` lets through every span where `_COORD_READER` finds a match (its
    look-ahead stops at the span's end, which `cut` moves into the words)."""
    text = f"Sở Y tế {coord}{gap}{word}{space}{tail}"
    end = max(0, len(text) - cut)
    if actors._COORD_READER.search(text, 0, end):
        assert actors._may_name_reader(text, 0, end)


def test_a_span_naming_no_reader_is_not_scanned() -> None:
    text = "Sở Y tế phối hợp với Sở Tài chính kiểm tra."
    assert not actors._may_name_reader(text, 0, len(text))
    assert actors._may_name_reader("phối hợp với Tỉnh thực hiện", 0, 27)
