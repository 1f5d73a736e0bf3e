"""The case-blind patterns of `tasks` that `_is_task_text` tries over a whole item are tried only
where one of their words is printed (issue 16, `text_utils.may_hold`): every match holds one,
in some case, so skipping the texts that hold none changes no answer."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vanban.extractors import lexicon, tasks
from vanban.extractors.agencies import AgencyRegistry
from vanban.extractors.structure import Item, parse_items
from vanban.extractors.text_utils import may_hold

PIECES = [
    "Sở Y tế ",
    "chịu trách nhiệm ",
    "CHỊU TRÁCH NHIỆM ",
    "trước ",
    "về ",
    "để ",
    "Để ",
    "biết",
    "BIẾT",
    "rõ",
    "tham khảo",
    "được ",
    "làm việc theo chế độ kiêm nhiệm",
    "HOẠT ĐỘNG THEO NGUYÊN TẮC",
    "tự giải thể",
    "được sử dụng con dấu",
    "là cơ quan thường trực",
    ".",
    "/.",
    " (",
    ")",
    ", ",
    "ı",
]
TEXTS = st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join)


def test_every_working_rule_holds_one_of_the_filter_words() -> None:
    rules = lexicon.words("working_rules")
    assert all(any(w in rule.split() for w in tasks._WORKING_RULE_WORDS) for rule in rules)


@given(TEXTS)
def test_a_text_that_only_informs_holds_the_words_of_know_only(text: str) -> None:
    if tasks._KNOW_ONLY.search(text):
        assert may_hold(text.lower(), "để") and may_hold(text.lower(), *tasks._KNOW_WORDS)


@given(TEXTS)
def test_a_working_rule_or_a_liability_holds_its_words(text: str) -> None:
    if tasks._WORKING_RULE.search(text):
        assert may_hold(text.lower(), *tasks._WORKING_RULE_WORDS)
    if tasks._LIABILITY.match(text):
        assert may_hold(text.lower(), "chịu trách nhiệm")


def test_the_filters_leave_the_rules_answers_as_they_were() -> None:
    assert not tasks._is_task_text(
        "Ủy ban nhân dân tỉnh sao gửi Nghị định đến các cơ quan để BIẾT."
    )
    assert tasks._states_norm("Ban Chỉ đạo LÀM VIỆC THEO CHẾ ĐỘ kiêm nhiệm.")
    assert tasks._only_liability("Giám đốc Sở Y tế CHỊU TRÁCH NHIỆM trước Ủy ban nhân dân tỉnh.")


# `_QUOTE` as it was spelled, opening on a look-behind: the pattern that opens on the line break
# or colon it needs finds the same quotations from any start.
_QUOTE_SPELLED = re.compile(r"(?:(?<=\n)|(?<=:))[ \t]*(?:“[^“”]{200,}”|\"[^\"\n]{200,}\")", re.S)
QUOTE_PIECES = ["\n", ":", " ", "\t", "“", "”", '"', "x" * 100, "y" * 150, "a"]


@given(
    st.lists(st.sampled_from(QUOTE_PIECES), max_size=12).map("".join),
    st.integers(min_value=0, max_value=4),
)
def test_the_quotations_found_are_those_of_the_look_behind_pattern(text: str, start: int) -> None:
    spelled = [m.span() for m in _QUOTE_SPELLED.finditer(text, start)]
    assert [m.span("q") for m in tasks._QUOTE.finditer(text, max(0, start - 1))] == spelled


def test_an_item_s_heading_text_is_read_once_per_item(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "1. Kiểm tra   an toàn\n   thực phẩm  \n"
    item = parse_items(text, 0, len(text)).children[0]
    ctx = tasks.TaskContext(text, lambda t, s, e: [], [], None, None, "doc", (), None, [])
    reads: list[int] = []
    own_text = tasks._own_text

    def counted(ctx: tasks.TaskContext, item: Item) -> tuple[int, int]:
        reads.append(item.text_start)
        return own_text(ctx, item)

    monkeypatch.setattr(tasks, "_own_text", counted)
    assert (
        tasks._heading_text(ctx, item)
        == tasks._heading_text(ctx, item)
        == ("Kiểm tra an toàn thực phẩm")
    )
    assert len(reads) == 1


def test_the_bodies_named_in_a_text_are_blanked_whole_and_the_rest_kept() -> None:
    text = "Sở Y tế tổ chức kiểm tra; Văn phòng Bộ bố trí kinh phí."
    ctx = tasks.TaskContext(
        text, AgencyRegistry.default().find, [], None, None, "doc", (), None, []
    )
    blanked = tasks._without_bodies(ctx, 0, len(text))
    assert blanked == " " * 7 + " tổ chức kiểm tra; " + " " * 12 + " bố trí kinh phí."
