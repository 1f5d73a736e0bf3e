"""Rules that read an item's bodies only when a cheap test of its words lets them matter
(issue 16): the answer is the same, the agency scan is spared for most items."""

from __future__ import annotations

import re
import unicodedata

import pytest

from vanban.extractors import lexicon, tasks
from vanban.extractors.agencies import AgencyRegistry
from vanban.extractors.structure import Item, parse_items
from vanban.extractors.text_utils import may_hold
from vanban.schemas import Agency


class CountedFind:
    """The registry's `find`, with the spans it was asked for."""

    def __init__(self) -> None:
        self.asked: list[tuple[int, int]] = []

    def __call__(self, text: str, s: int, e: int) -> list[Agency]:
        self.asked.append((s, e))
        return AgencyRegistry.default().find(text, s, e)


def context(text: str, issuer: str | None = None) -> tuple[tasks.TaskContext, CountedFind]:
    find = CountedFind()
    body = Agency(name=issuer, raw=issuer) if issuer else None
    return tasks.TaskContext(text, find, [], body, None, "doc", (), None, []), find


def test_the_issuers_own_proposal_is_told_from_a_request_to_a_body() -> None:
    own = "Bộ Tài chính đề xuất điều chuyển kế hoạch vốn năm 2026 cho các dự án."
    asks = "Bộ Tài chính đề nghị Sở Xây dựng điều chuyển kế hoạch vốn năm 2026."
    for text, proposes in ((own, True), (asks, False)):
        ctx, _ = context(text, "Bộ Tài chính")
        assert tasks._issuer_proposes(ctx, 0, len(text)) is proposes


def test_an_item_with_no_proposal_word_is_no_proposal_and_its_bodies_are_not_read() -> None:
    text = "Bộ Tài chính tổng hợp kế hoạch vốn năm 2026 của các bộ, ngành, địa phương."
    ctx, find = context(text, "Bộ Tài chính")
    assert not tasks._issuer_proposes(ctx, 0, len(text))
    assert find.asked == []


def _item(text: str) -> Item:
    """The letter's first item, with its unmarked paragraphs."""
    item = parse_items(text, 0, len(text)).children[0]
    assert len(item.paragraphs) == 2
    return item


def test_paragraphs_under_a_topic_heading_that_open_with_their_actors_are_read() -> None:
    text = (
        "1. Công tác triển khai\n"
        "Sở Y tế chủ trì kiểm tra an toàn thực phẩm tại các chợ.\n"
        "Sở Công Thương chủ trì kiểm tra giá cả các mặt hàng thiết yếu.\n"
    )
    ctx, _ = context(text)
    paras = tasks._topic_paragraphs(ctx, _item(text))
    assert [text[p.text_start : p.end].split()[:2] for p in paras] == [
        ["Sở", "Y"],
        ["Sở", "Công"],
    ]


def test_an_item_that_opens_with_a_sentence_has_no_topic_paragraphs_nor_reads_bodies() -> None:
    text = (
        "1. Các sở thực hiện nghiêm các nội dung sau.\n"
        "Sở Y tế chủ trì kiểm tra an toàn thực phẩm tại các chợ.\n"
        "Sở Công Thương chủ trì kiểm tra giá cả các mặt hàng thiết yếu.\n"
    )
    ctx, find = context(text)
    assert tasks._topic_paragraphs(ctx, _item(text)) == []
    assert find.asked == []


def test_the_closing_that_carries_out_the_letter_is_read_in_any_case() -> None:
    # The patterns of `_carries_out_document` are tried only where their words are, in any case.
    for closing in (
        "Đề nghị các đơn vị triển khai thực hiện nghiêm túc.",
        "ĐỀ NGHỊ CÁC ĐƠN VỊ TRIỂN KHAI THỰC HIỆN NGHIÊM TÚC.",
        "Các sở, ngành tổ chức thực hiện Kế hoạch này.",
        "Các sở, ngành triển khai thực hiện Kế hoạch.",
    ):
        assert tasks._carries_out_document(closing), closing
    assert not tasks._carries_out_document("Sở Y tế kiểm tra an toàn thực phẩm tại các chợ.")


def test_a_letter_sent_along_is_information_in_any_case_and_work_is_still_work() -> None:
    # `_transmits_only` is tried only where a transmitting verb's first word is (`first_words`).
    for sent in (
        "Ủy ban nhân dân tỉnh sao gửi Nghị định số 12/2026/NĐ-CP đến các cơ quan, đơn vị.",
        "ỦY BAN NHÂN DÂN TỈNH SAO GỬI NGHỊ ĐỊNH SỐ 12/2026/NĐ-CP ĐẾN CÁC CƠ QUAN, ĐƠN VỊ.",
        "Thực hiện chỉ đạo của Bộ, Sở Y tế chuyển Công văn số 15/BYT-KCB đến các bệnh viện.",
    ):
        assert not tasks._is_task_text(sent), sent
    assert tasks._is_task_text("Sở Y tế kiểm tra an toàn thực phẩm tại các chợ trên địa bàn.")


def test_the_first_words_of_a_list_are_those_its_alternation_matches_on() -> None:
    words = lexicon.first_words("transmit_verbs")
    assert {"sao", "gửi", "chuyển"} <= set(words)
    pattern = re.compile(lexicon.alternation("transmit_verbs"), re.I)
    for phrase in lexicon.words("transmit_verbs"):
        match = pattern.search(phrase.upper())
        assert match and may_hold(match.group().lower(), *words)


@pytest.mark.parametrize(
    ("opening", "by_agency"),
    [
        (("Sở Y tế", "Sở Công Thương", "Kiểm tra"), True),
        (("Kiểm tra", "Tổng hợp", "Sở Y tế"), False),
    ],
)
def test_a_section_assigns_by_agency_when_two_thirds_of_its_items_open_with_one(
    opening: tuple[str, str, str], by_agency: bool
) -> None:
    # Counted only until the answer is known: the third item's bodies are not read.
    text = "I. NHIỆM VỤ\n" + "".join(
        f"{k}. {words} thực hiện kiểm tra an toàn thực phẩm.\n"
        for k, words in enumerate(opening, 1)
    )
    ctx, find = context(text)
    section = parse_items(text, 0, len(text)).children[0]
    assert tasks._assigns_by_agency(ctx, section) is by_agency
    third = section.children[2]
    assert all(s < third.text_start for s, _ in find.asked)


def _forms(text: str) -> list[str]:
    """`text` as letters print it and as `re.IGNORECASE` still reads it: upper case, the odd
    letters it matches to `i`, `s` and `k` (`İ`, `ı`, `ſ`, the Kelvin sign), decomposed."""
    up = text.upper()
    return [
        text,
        up,
        text.title(),
        up.replace("I", "İ"),
        text.replace("i", "ı"),
        text.replace("s", "ſ"),
        up.replace("K", "\u212a"),
        unicodedata.normalize("NFD", text),
        unicodedata.normalize("NFD", up),
    ]


# Each pattern a prefilter guards, the words it is guarded by (as `tasks.py` passes them), and
# texts it matches.
_GUARDED = [
    (
        tasks._APPLY_ABOVE,
        tasks._APPLY_NOUNS,
        ["nghiên cứu các quy định nêu trên", "căn cứ hướng dẫn tại Công văn số 12/BYT-KCB"],
    ),
    (
        tasks._WORK_OF_A_PART,
        tasks._PART_NOUNS,
        ["chủ trì thực hiện nhiệm vụ tại điểm 1 Mục II", "các công việc ở khoản 2"],
    ),
    (
        tasks._BARE_EXECUTE,
        tasks._EXECUTE_WORDS,
        ["Đề nghị các đơn vị nghiêm túc triển khai thực hiện.", "yêu cầu tổ chức thực hiện"],
    ),
    (
        tasks._THIS_DOC,
        tasks._THIS_DOC_WORDS,
        ["thực hiện Kế hoạch này", "triển khai các nội dung nêu trên", "nội dung hướng dẫn"],
    ),
    (
        tasks._THE_DOC_END,
        tasks._DOC_END_WORDS,
        ["Các sở tổ chức, triển khai thực hiện Kế hoạch.", "triển khai Chỉ thị trên địa bàn"],
    ),
    (
        tasks._transmits_only(),
        lexicon.first_words("transmit_verbs"),
        [f"Sở Y tế {verb} Công văn số 15/BYT-KCB" for verb in lexicon.words("transmit_verbs")],
    ),
]


@pytest.mark.parametrize(
    ("pattern", "words", "texts"),
    _GUARDED,
    ids=["apply_above", "work_of_a_part", "bare_execute", "this_doc", "the_doc_end", "transmits"],
)
def test_a_prefilter_never_says_no_where_its_pattern_matches(
    pattern: re.Pattern[str], words: tuple[str, ...], texts: list[str]
) -> None:
    # `may_hold` false means the pattern is not tried: in every form it still reads, the
    # pattern's match and `may_hold` agree (and the plain form does match).
    for text in texts:
        assert pattern.search(text), text
        for form in _forms(text):
            if pattern.search(form):
                assert may_hold(form.lower(), *words), form
