"""The cheap tests that let the per-letter repairs of load pass over what cannot need them
(issue 16) decide as the repairs would: the toneless-name walk over the words that open a
name, the look-alike digits and quarter numerals where a digit or a numeral touches one, the
cell-per-line tables where a line holds a first row's number, `one_spelling` where a body
is unknown. Each is checked against the reading it stands in for."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vanban.pipeline import line_tables, ocr_correct
from vanban.pipeline.load import load
from vanban.pipeline.md_tables import _line_spans

DEV = Path(__file__).resolve().parents[1] / "data" / "corpus" / "dev" / "raw"


# --- toneless registry names -------------------------------------------------------------


def _walk_every_word(text: str) -> list[tuple[int, int, str]]:
    """`toneless_names` as it read before its filters: every word's fold, every pair tried, the
    words found one match at a time (not by its split)."""
    table, pairs = ocr_correct._registry_phrases(), ocr_correct._registry_pairs()
    found = list(ocr_correct._TOKEN.finditer(text))
    tokens = ([t.group(0) for t in found], [t.start() for t in found], [t.end() for t in found])
    folded = [ocr_correct.fold(t.group(0)) for t in found]
    edits: list[tuple[int, int, str]] = []
    free = 0
    for i, pair in enumerate(pairwise(folded)):
        if i >= free and pair in pairs:
            free = i + ocr_correct._name_at(text, tokens, folded, i, table[pair[0]], edits)
    return edits


def test_the_common_letters_are_the_tokens_letters() -> None:
    common, other = ocr_correct._common_words()
    for low, high in ocr_correct._COMMON:
        for code in range(low, high + 1):
            c = chr(code)
            assert bool(common.fullmatch(c)) == bool(ocr_correct._TOKEN.fullmatch(c)), hex(code)
            assert other.search(c) is None
    assert other.search("Р") and other.search("≥") and other.search("\ufffd")


_CHARS = "aAđĐơƠớỚtTạ ,.-\n\t019_ıİſKÅРﬁ≥\u0301\u2028\ufffd"


@given(st.text(alphabet=_CHARS, max_size=40))
def test_the_words_found_are_the_tokens(text: str) -> None:
    assert [m.span() for m in ocr_correct._tokens_of(text).finditer(text)] == [
        m.span() for m in ocr_correct._TOKEN.finditer(text)
    ]


_NAME_WORDS = [
    "Sở", "Sơ", "So", "SỞ", "SO", "Tài", "Tai", "TAI", "chính", "chinh", "CHINH", "Ủy", "Uy",
    "UY", "ban", "nhân", "nhan", "dân", "dan", "tỉnh", "tinh", "TINH", "Hòa", "Hoa", "HOA",
    "Bình", "Binh", "BINH", "Hà", "Ha", "Nội", "Nôi", "Noi", "Bộ", "Bo", "BO", "Công", "Cong",
    "an", "Việt", "Viet", "Nam", "Tập", "Tap", "đoàn", "doan", "Dầu", "Dâu", "Dau", "khí", "khi",
    "Cục", "Cuc", "Thuế", "Thuê", "Thue", "Xây", "Xay", "dựng", "dụng", "dung", "Văn", "Van",
    "hóa", "hoa", "Thể", "The", "thao", "và", "va", "Du", "lịch", "lich",
]  # fmt: skip
_GLUE = [" ", " ", " ", "\n", ", ", " - ", ": ", "1 ", "Р "]


@given(st.lists(st.tuples(st.sampled_from(_NAME_WORDS), st.sampled_from(_GLUE)), max_size=30))
def test_the_names_repaired_are_those_of_the_walk_over_every_word(
    words: list[tuple[str, str]],
) -> None:
    text = "".join(w + g for w, g in words)
    assert ocr_correct.toneless_names(text) == _walk_every_word(text)


def test_the_dev_letters_names_are_those_of_the_walk_over_every_word() -> None:
    for path in sorted(DEV.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        for text in (raw, load(path).text):
            assert ocr_correct.toneless_names(text) == _walk_every_word(text), path.name


def test_a_name_ending_the_text_is_set_back() -> None:
    # Fewer words left than the longest name of its first word: a shorter name is read.
    assert ocr_correct.toneless_names("Giao Bộ Tai chinh") == [(8, 11, "Tài"), (12, 17, "chính")]


def test_a_name_read_without_its_marks_is_set_back() -> None:
    text = "Giao Sở Tai chính chủ trì; UBND TINH HOA BINH phối hợp."
    fixed = [text[s:e] + ">" + new for s, e, new in ocr_correct.toneless_names(text)]
    assert "Tai>Tài" in fixed and "TINH>TỈNH" in fixed


# --- toneless group phrases ----------------------------------------------------------------


def _groups_by_matches(text: str) -> list[tuple[int, int, str]]:
    """`toneless_groups` as it read before it shared `toneless_names`' words: a match object a
    word, every word folded, the phrases' first words sought one word at a time."""
    forms = ocr_correct._group_forms()
    pairs = {(k[0], k[1]) for k in forms}
    lengths = sorted({len(k) for k in forms}, reverse=True)
    tokens = list(ocr_correct._TOKEN.finditer(text))
    folded = [ocr_correct.fold(t.group(0)) for t in tokens]
    edits: list[tuple[int, int, str]] = []
    after = 0
    for i in range(len(folded) - 1):
        if i < after or (folded[i], folded[i + 1]) not in pairs:
            continue
        for n in lengths:
            alike = forms.get(tuple(folded[i : i + n]))
            span = tokens[i : i + n]
            if not alike or not ocr_correct._adjacent(text, span, alike[0].commas):
                continue
            found = [t.group(0) for t in span]
            fixes = {
                tuple(
                    k
                    for k, (f, w) in enumerate(zip(found, e.words, strict=True))
                    if not ocr_correct._same_word(f.lower(), w)
                ): e
                for e in alike
                if all(
                    ocr_correct._lost_marks(f, w) is not None
                    for f, w in zip(found, e.words, strict=True)
                )
            }
            if len(fixes) == 1 and len(k := next(iter(fixes))) == 1:
                t = span[k[0]]
                edits.append(
                    (t.start(), t.end(), ocr_correct._cased(t.group(0), fixes[k].words[k[0]]))
                )
            after = i + n
            break
    return edits


_GROUP_WORDS = [
    "các", "cac", "CÁC", "xã", "xa", "XA", "phường", "phuong", "thị", "thi", "trấn", "tran",
    "tập", "tap", "đoàn", "doan", "tổng", "tông", "tong", "công", "cong", "ty", "nhà", "nha",
    "nước", "nuoc", "Ủy", "ban", "nhân", "dân", "sở", "ban", "ngành",
]  # fmt: skip


@given(st.lists(st.tuples(st.sampled_from(_GROUP_WORDS), st.sampled_from(_GLUE)), max_size=30))
def test_the_groups_repaired_are_those_read_by_matches(words: list[tuple[str, str]]) -> None:
    text = "".join(w + g for w, g in words)
    assert ocr_correct.toneless_groups(text) == _groups_by_matches(text)
    found = ocr_correct.words_of(text)
    assert ocr_correct.toneless_groups(text, found) == _groups_by_matches(text)


def test_the_dev_letters_groups_are_those_read_by_matches() -> None:
    for path in sorted(DEV.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        for text in (raw, load(path).text):
            assert ocr_correct.toneless_groups(text) == _groups_by_matches(text), path.name


def test_the_registrys_phrases_are_read_as_by_matches() -> None:
    """`_new_phrase` (one split) reads a name's words and commas as match objects did."""
    names = [
        *ocr_correct._registry_names(),
        *(
            form
            for row in ocr_correct._registry_rows("groups.csv")
            for form in ocr_correct.expand(row["pattern"], ocr_correct.MACROS)
        ),
        "Sở Văn hóa, Thể thao và Du lịch",
        ", Bộ  Y tế ,",
    ]
    for name in names:
        found = list(ocr_correct._TOKEN.finditer(name))
        phrase = ocr_correct._new_phrase(name, set(), 0)
        assert phrase is not None
        assert phrase.words == [m.group(0) for m in found]
        assert phrase.commas == ["," in name[a.end() : b.start()] for a, b in pairwise(found)]


def test_the_words_shared_are_the_tokens() -> None:
    text = "Ủy ban nhân dân các xa, phường; Р Sở Tai chính 12a\n"
    found = ocr_correct.words_of(text)
    tokens = list(ocr_correct._TOKEN.finditer(text))
    assert found.words == [t.group(0) for t in tokens]
    assert (found.starts, found.ends) == ([t.start() for t in tokens], [t.end() for t in tokens])
    assert found.folded == [ocr_correct.fold(w) for w in found.words]


# --- look-alike digits and quarters ------------------------------------------------------

_SPELLED_LOOK_ALIKE = re.compile(r"\d[OIl]|[OIl]\d")


@given(st.text(alphabet="0189OIlLo| \n/-٣", max_size=20))
def test_a_digit_beside_a_look_alike_is_found_as_spelled(text: str) -> None:
    fast = ocr_correct.NUMBER_LOOK_ALIKE.search(text)
    spelled = _SPELLED_LOOK_ALIKE.search(text)
    assert (fast and fast.span()) == (spelled and spelled.span())


def test_q_and_u_match_only_themselves_ignoring_case() -> None:
    for code in range(0x110000):
        c = chr(code)
        if re.fullmatch("(?i:q)", c):
            assert c in "qQ"
        if re.fullmatch("(?i:u)", c):
            assert c in "uU"
        if re.fullmatch("(?i:[ýyíi])", c):
            assert re.fullmatch(r"\w", c)


_QUARTER_PIECES = ["quý", "Quy", "QUÝ", "qui", "quá", " ", "\t", "I", "V", "l", "|", "/", "2026"]


@given(st.lists(st.sampled_from([*_QUARTER_PIECES, ")", "\n", "x"]), max_size=12).map("".join))
def test_a_quarter_set_back_holds_its_hint(text: str) -> None:
    changed = ocr_correct.QUARTER.sub(ocr_correct.quarter, text) != text
    assert not changed or ocr_correct.QUARTER_LOOK_ALIKE.search(text)


def test_a_quarter_read_with_a_look_alike_is_hinted() -> None:
    assert ocr_correct.QUARTER_LOOK_ALIKE.search("trong quý Il/2026")
    assert not ocr_correct.QUARTER_LOOK_ALIKE.search("trong quý III/2026, quy định")


# --- cell-per-line tables ----------------------------------------------------------------

_LINE_PIECES = ["1", "0", "I", "V", "X", ".", "*", " ", "\t", "\r", "\u2028", "٣", "١", "a", "-"]


@given(st.lists(st.sampled_from(_LINE_PIECES), max_size=8).map("".join))
def test_a_first_rows_number_line_is_seen(line: str) -> None:
    if line_tables._number(line) in ((0, 1), (1, 0)):
        for text in (line, f"x\n{line}", f"{line}\ny", f"x\n{line}\ny"):
            assert line_tables.may_open_a_row(text), repr(line)


_HEADER = ["STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"]
_CELLS = [*_HEADER, "1", "2", "I", "**1.**", "1 .", "Sở Tài chính", "Quý III/2025", "", "x"]


@given(st.lists(st.sampled_from(_CELLS), max_size=14))
def test_a_text_without_a_first_row_holds_no_table(cells: list[str]) -> None:
    text = "\n".join(cells)
    lines = _line_spans(text)
    found = line_tables.find_line_tables(text, lines, [False] * len(lines))
    if not line_tables.may_open_a_row(text):
        assert found == []


@pytest.mark.parametrize("number", ["1", "**1**", "1.", " *1.* "])
def test_a_table_with_its_first_row_is_read(number: str) -> None:
    text = "\n".join([*_HEADER, number, "Xây dựng kế hoạch", "Sở Tài chính", "Sở Y tế", "2025"])
    lines = _line_spans(text)
    assert len(line_tables.find_line_tables(text, lines, [False] * len(lines))) == 1


# --- one spelling per body -----------------------------------------------------------------


def test_one_spelling_gives_back_every_body_the_registry_knows_or_codes() -> None:
    from vanban.pipeline.batch import process_file
    from vanban.pipeline.extract import _agencies, _unknown, one_spelling
    from vanban.schemas import Document

    for path in sorted(DEV.glob("*.txt"))[:8]:
        doc = process_file(path)
        assert isinstance(doc, Document)
        fix = one_spelling(doc)
        for a in _agencies(doc):
            assert _unknown(a) or fix(a) is a
