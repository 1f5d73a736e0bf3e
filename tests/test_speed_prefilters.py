"""The cheap exact tests that let the extractors pass over what cannot match (issue 16) decide
as the work they stand in for: each is checked against that work."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from pytest import MonkeyPatch

from vanban.extractors import actors, lexicon, ocr_fix, references, structure, tasks, text_utils
from vanban.pipeline import extract
from vanban.schemas.text import TextDoc

DEV = Path(__file__).resolve().parents[1] / "data" / "corpus" / "dev" / "raw"

# A line of each marker style, its first character to be replaced.
_LINES = [
    "Điều 2. Giao Sở X",
    "II. Nhiệm vụ",
    "1.2 Nội dung",
    "1. Nội dung",
    "3 - Nội dung",
    "Thứ hai, các bộ",
    "Hoạt động 1: Rà soát",
    "Nhiệm vụ 2. Rà soát",
    "giải pháp 3: Rà soát",
    "(2) Rà soát",
    "(a) Rà soát",
    "(iv) Rà soát",
    "a) Rà soát",
    "©) Rà soát",
    "- Rà soát",
    "+ Rà soát",
    "• Rà soát",
    "* Rà soát",
]
_ODD = "ıİſKÅ٣१"


def test_a_marker_pattern_is_tried_on_every_first_character_it_can_open_on() -> None:
    chars = [chr(c) for c in range(0x3000)] + list(_ODD)
    nouns = [f"{w} 1: Rà soát" for w in lexicon.words("item_nouns")]
    for line in _LINES + nouns:
        for c in chars:
            changed = c + line[1:]
            tried = {s for s, _ in structure._patterns_at(changed[:1])}
            for style, pattern in structure._PATTERNS:
                if pattern.match(changed):
                    assert style in tried, (style, changed)


def test_a_marker_is_what_every_pattern_tried_in_turn_finds(monkeypatch: MonkeyPatch) -> None:
    lines = [ln.lstrip() for p in sorted(DEV.glob("*.txt")) for ln in p.read_text().splitlines()]
    lines += [c + line[1:] for line in _LINES for c in "ĐIVX19Tt(abc©-+•*HhNnGgÐđ "]

    def read(line: str) -> tuple[str, str] | None:
        found = structure._marker(line)
        return (found[0], found[1].group(0)) if found else None

    mine = [read(line) for line in lines]
    monkeypatch.setattr(structure, "_patterns_at", lambda first: structure._PATTERNS)
    assert mine == [read(line) for line in lines]
    assert sum(m is not None for m in mine) > 100


def test_a_head_printed_alone_is_found_where_its_first_word_is() -> None:
    for path in sorted(DEV.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for head, pattern in actors._SHORT_HEADS:
            first = head.split()[0]
            for t in (text, text.replace(f"{head} ", f"{head}, "), f"các {head} và {head}"):
                assert actors._printed_at_word(pattern, first, t) == (
                    pattern.search(t) is not None
                ), (path.name, head)


def _fold_by_sub(s: str) -> str:
    """`fold` as it read before (one `sub`, no cache)."""
    s = unicodedata.normalize("NFD", s.lower()).replace("đ", "d").replace("ð", "d")
    s = re.sub("[\u0300-\u036f]+", "", s)
    marks = [c for c in set(s) if unicodedata.category(c) == "Mn"]
    return s.translate(dict.fromkeys(map(ord, marks))) if marks else s


@given(st.text(alphabet="aAđĐðơƠớỚạẶ ,.-\n\u0301\u0323\u20d0ıİſ", max_size=120))
def test_fold_is_the_fold_by_one_sub(s: str) -> None:
    assert text_utils.fold(s) == _fold_by_sub(s)
    assert text_utils.fold(s * 3) == _fold_by_sub(s * 3)  # past the cached length too


@given(st.text(alphabet="abıſ\u0307İK ", max_size=30))
def test_may_hold_holds_where_an_odd_letter_is(low: str) -> None:
    odd = re.search("[ıſ\u0307]", low) is not None
    assert text_utils.may_hold(low) == odd
    assert text_utils.may_hold(low, "zz") == odd


def test_an_unaccented_motto_is_found_as_before() -> None:
    for text in ("CONG HOA XA HOI", "Doc lap - Tu do", "xCONG HOA", "CỘNG HÒA", "Độc lập"):
        assert ocr_fix.looks_ocr({}, text) == (
            ocr_fix._UNACCENTED_MOTTO.search(text) is not None
        ), text


_REF_BEFORE = re.compile(
    references._REF.pattern.replace(
        r"(?P<num>\d(?<![\w/.:-]\d)\d{0,5}", r"(?=\d)(?<![\w/.:-])(?P<num>\d{1,6}", 1
    )
)


@given(st.text(alphabet="0123456789/-.:aQĐĐUBND \n", max_size=60), st.integers(0, 5))
def test_a_reference_is_found_where_the_pattern_opening_on_a_look_ahead_found_it(
    text: str, start: int
) -> None:
    assert _REF_BEFORE.pattern != references._REF.pattern
    assert [m.span("num") for m in references._REF.finditer(text, start)] == [
        m.span("num") for m in _REF_BEFORE.finditer(text, start)
    ]


def test_the_dev_letters_references_are_found_as_before() -> None:
    for path in sorted(DEV.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert [m.span("num") for m in references._REF.finditer(text)] == [
            m.span("num") for m in _REF_BEFORE.finditer(text)
        ], path.name


@given(st.text(alphabet="ab \n\r", max_size=40))
def test_a_texts_lines_are_its_lines_read_one_by_one(text: str) -> None:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    assert TextDoc(text).lines == spans


def _assigns_in_heading_by_pattern(head: str) -> bool:
    clause = re.split(r"[.;:]", head, maxsplit=1)[0]
    verb = tasks._ASSIGNING_VERB.search(clause)
    return verb is not None and "," in clause[3 : verb.start()]


def test_a_heading_that_assigns_is_told_as_by_the_pattern() -> None:
    lines = [ln for p in sorted(DEV.glob("*.txt")) for ln in p.read_text().splitlines()]
    lines += ["Căn cứ Điều 1, Sở A, UBND huyện B CÓ TRÁCH NHIỆM:", "Sở A, Sở B chủ trì; x"]
    lines += ["Sở A, Sở B Chủ trı̀:", "Sở A, Sở B chủ trì"]
    assert [tasks._assigns_in_heading(h) for h in lines] == [
        _assigns_in_heading_by_pattern(h) for h in lines
    ]
    assert tasks._assigns_in_heading("Căn cứ Điều 1, Sở A, UBND huyện B có trách nhiệm:")


def test_a_closing_is_told_as_without_the_asking_words_test(monkeypatch: MonkeyPatch) -> None:
    texts = [ln for p in sorted(DEV.glob("*.txt")) for ln in p.read_text().splitlines()]
    texts += [
        "Đề nghị các đơn vị nghiêm túc triển khai thực hiện.",
        "ĐỀ NGHỊ các đơn vị triển khai thực hiện./.",
        "Các đơn vị triển khai thực hiện.",
    ]
    mine = [tasks._carries_out_document(t) for t in texts]
    monkeypatch.setattr(tasks, "_ASK_WORDS_CLOSING", ("",))  # `may_hold` then always holds
    assert mine == [tasks._carries_out_document(t) for t in texts]
    assert mine[-3] and mine[-2]


def _past_public_by_pattern(text: str, start: int, at: int) -> bool:
    m = actors._PAST_PUBLIC.search(text, start, at)
    return m is not None and not actors._ANY_WORK.search(m.group("public"))


def test_a_mention_past_the_public_is_told_as_by_the_pattern() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(DEV.glob("*.txt"))]
    texts.append("Sở A phối hợp với các doanh nghiệp, người dân và Sở B triển khai.")
    for text in texts:
        for at in range(0, len(text), 7):
            start = max(0, at - 100)
            assert actors._coordinates_past_public(text, start, at) == _past_public_by_pattern(
                text, start, at
            )
    text = texts[-1]
    assert actors._coordinates_past_public(text, 0, text.index("Sở B"))


def _printed_pattern_before(key: str) -> str:
    return r"(?<!\w)" + r"\s+".join(map(re.escape, key.split())) + r"(?!\w)"


@given(
    st.text(alphabet="ab ", min_size=0, max_size=8),
    st.text(alphabet="ab .\n_1", max_size=40),
)
def test_a_spelling_is_found_where_the_pattern_opening_on_a_look_behind_found_it(
    key: str, folded: str
) -> None:
    assert [m.span() for m in re.finditer(extract._printed_pattern(key), folded)] == [
        m.span() for m in re.finditer(_printed_pattern_before(key), folded)
    ]


def test_the_dev_letters_names_are_found_as_before() -> None:
    for path in sorted(DEV.glob("*.txt")):
        folded = text_utils.fold(path.read_text(encoding="utf-8"))
        pairs = {" ".join(w) for w in zip(folded.split(), folded.split()[1:], strict=False)}
        for key in sorted(pairs)[::40]:  # a sample: each key reads the whole letter twice
            if key.split()[0].isalpha():
                assert [m.span() for m in re.finditer(extract._printed_pattern(key), folded)] == [
                    m.span() for m in re.finditer(_printed_pattern_before(key), folded)
                ], key
