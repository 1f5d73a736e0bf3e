import re
import unicodedata
from array import array

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import budget
from vanban.pipeline.normalize import (
    _MD_PIPE,
    _TRAILING,
    _aligned,
    _edge_spaces,
    _in_capitals,
    _pipe_spans,
    _Rewriter,
    normalize,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ủy ban nhân dân tỉnh Khánh Hoà", "Ủy ban nhân dân tỉnh Khánh Hòa"),
        ("Uỷ ban", "Ủy ban"),
        ("hoá học", "hóa học"),
        ("**THÔNG BÁO**", "THÔNG BÁO"),
        ("# VĂN PHÒNG CHÍNH PHỦ", "VĂN PHÒNG CHÍNH PHỦ"),
        ("| Số: 1/TB | Hà Nội |\n|---|---|", "Số: 1/TB\nHà Nội"),
        ("H<sub>2</sub>O", "H 2 O"),
        ("a&amp;b", "a&b"),
        ("Dòng một\r\nDòng hai\rBa", "Dòng một\nDòng hai\nBa"),
        ("trước ngày **26/11/2025 **", "trước ngày 26/11/2025"),
        ("cơ quan thuộc\nchính phủ", "cơ quan thuộc chính phủ"),
        ("Kính gửi:\n- Bộ Y tế;", "Kính gửi:\n- Bộ Y tế;"),
        (
            "1. Giao Bộ Tư pháp có ý kiến về\na) thẩm quyền\nb) trình tự",
            "1. Giao Bộ Tư pháp có ý kiến về\na) thẩm quyền\nb) trình tự",
        ),
        ("các nội dung sau\nđ) kinh phí", "các nội dung sau\nđ) kinh phí"),
        ("a\x00b\x07c", "abc"),
        ("x   y\t\tz  ", "x y z"),
        ('---\ntitle: "CV 1"\n---\nSố: 1/TB', "Số: 1/TB"),
    ],
)
def test_normalize_cleans_markup_and_unifies_spelling(raw: str, expected: str) -> None:
    assert normalize(raw).text == expected


def test_normalize_composes_nfd_text() -> None:
    raw = unicodedata.normalize("NFD", "Quyết định của Thủ tướng Chính phủ")
    out = normalize(raw, markup=False)
    assert out.text == "Quyết định của Thủ tướng Chính phủ"
    assert unicodedata.is_normalized("NFC", out.text)


@pytest.mark.parametrize(
    "raw",
    [
        "**Số:** 8664/VPCP-KGVX\n| Hà Nội, ngày 14 tháng 9 năm 2025 |",
        unicodedata.normalize("NFD", "Kính gửi: Ủy ban nhân dân tỉnh Đắk Lắk"),
        "# Tiêu đề\n\n1. Bộ Khoa học và Công nghệ chủ trì,\nphối hợp với các bộ.",
    ],
)
def test_every_normalised_char_maps_back_to_its_source(raw: str) -> None:
    out = normalize(raw)
    assert len(out.to_source) == len(out.text)
    for i, ch in enumerate(out.text):
        src = out.to_source[i]
        assert 0 <= src <= len(raw)
        if ch.isalnum() and ch.isascii():
            # ASCII letters and digits are never rewritten: same char at source.
            assert raw[src] == ch
    # Offsets never run backwards: spans map to ordered source spans.
    assert list(out.to_source) == sorted(out.to_source)


def test_source_span_of_a_word_covers_the_printed_word() -> None:
    raw = "**Số:** 8664/VPCP-KGVX"
    out = normalize(raw)
    start = out.text.index("8664")
    s, e = out.source_span(start, start + len("8664/VPCP-KGVX"))
    assert raw[s:e] == "8664/VPCP-KGVX"


def test_spelling_table_gives_what_underthesea_token_normalize_gives() -> None:
    from underthesea.pipeline.text_normalize.token_normalize import token_normalize as theirs

    from vanban.pipeline import spelling

    path = spelling._rule_file()
    assert path is not None, "underthesea's rule file was not found: the slow import is used"
    tables = spelling._read_tables(path)
    assert tables is not None
    _chars, tokens = tables
    words = {*tokens, *tokens.values(), "Ðà", "ðoàn", "khánh", "Hoà", "nghành", "quí", "hoàhoà"}
    words |= {unicodedata.normalize("NFD", w) for w in list(words)}
    words |= {w[:-1] for w in list(words)} | {w + "x" for w in list(words)}
    assert [w for w in sorted(words) if spelling.token_normalize(w) != theirs(w)] == []


def test_reading_a_letter_imports_no_underthesea() -> None:
    """underthesea's import (its taggers, numpy, joblib: ~0.5 s, ~90 MB) was paid by
    every worker for one table; the table is read from its file instead."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from vanban.pipeline.normalize import normalize\n"
        "from vanban.pipeline.crawl_noise import _dictionary\n"
        "assert normalize('Ủy ban tỉnh Khánh Hoà, nghành y tế').text == "
        "'Ủy ban tỉnh Khánh Hòa, ngành y tế'\n"
        "assert 'hòa' in _dictionary()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'underthesea'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# An invented letter, one printed line a list entry (DESIGN: normalise once, at load).
_LETTER_LINES = [
    "ỦY BAN NHÂN DÂN",
    "TỈNH HÀ TĨNH",
    "Số: 12/UBND-VX",
    "Hà Tĩnh, ngày 14 tháng 10 năm 2025",
    "V/v rà soát hồ sơ cán bộ",
    "Kính gửi: Sở Nội vụ",
    "1. Sở Nội vụ rà soát hồ sơ cán bộ, công chức",
    "của các cơ quan, báo cáo trước ngày 30/10/2025.",
    "2. Sở Tài chính bố trí kinh phí.",
    "Trân trọng./.",
]


def test_a_double_spaced_text_reads_as_the_same_text_single_spaced() -> None:
    """A blank line after every line is layout (a text layer, a crawl): the same
    letter with and without it is one text, its wrapped line joined as usual."""
    single = normalize("\n".join(_LETTER_LINES)).text
    assert normalize("\n\n".join(_LETTER_LINES)).text == single
    assert "công chức của các cơ quan" in single


def test_a_double_spaced_text_keeps_its_paragraph_breaks_as_blank_lines() -> None:
    head, tail = "\n\n".join(_LETTER_LINES[:6]), "\n\n".join(_LETTER_LINES[6:])
    out = normalize(head + "\n\n\n\n" + tail).text
    assert (
        out == "\n".join(_LETTER_LINES[:6]) + "\n\n" + normalize("\n".join(_LETTER_LINES[6:])).text
    )


def test_a_text_with_some_paragraph_breaks_keeps_them() -> None:
    raw = "\n".join(_LETTER_LINES[:6]) + "\n\n" + "\n\n".join(_LETTER_LINES[6:])
    assert normalize(raw).text.count("\n\n") == 4


# A page's text layer, each line cut at the page's width (about 70 columns).
_WRAPPED_PAGE = """CÔNG ĐIỆN
VỀ VIỆC CHỦ ĐỘNG ỨNG PHÓ VỚI MƯA LŨ TẠI CÁC TỈNH MIỀN TRUNG NĂM 2025 VÀ
BỘ CÔNG THƯƠNG điện:
1. Đề nghị Ủy ban nhân dân các tỉnh chỉ đạo các cơ quan chức năng trên
địa bàn rà soát, kiểm tra an toàn các công trình thủy điện, hồ chứa và
Tập đoàn Điện lực Việt Nam bảo đảm cung cấp điện an toàn, ổn định cho
các hoạt động chỉ đạo, điều hành phòng, chống thiên tai, báo cáo trước
30/9/2025 về tình hình thực hiện và đề xuất các giải pháp khắc phục cho
Bộ Công Thương để tổng hợp, báo cáo Thủ tướng Chính phủ theo quy định.
2. Tập đoàn Dầu khí Việt Nam chỉ đạo các đơn vị thành viên bảo đảm an
toàn các công trình dầu khí trên biển, sẵn sàng lực lượng, phương tiện
ứng cứu sự cố khi có yêu cầu của cơ quan có thẩm quyền tại địa phương.
Các đơn vị liên quan khẩn trương triển khai thực hiện nghiêm túc các
nội dung nêu trên, báo cáo kết quả về Bộ Công Thương để theo dõi, chỉ
đạo kịp thời trong quá trình thực hiện Công điện này tại các địa bàn."""


def test_lines_that_fill_a_pages_width_are_joined_whatever_the_next_word() -> None:
    """A name or a date broken at the end of a printed line reads whole; items,
    lines in capitals and lines that end a sentence keep their line ends."""
    out = normalize(_WRAPPED_PAGE).text
    assert "hồ chứa và Tập đoàn Điện lực Việt Nam" in out
    assert "báo cáo trước 30/9/2025 về" in out
    assert "khắc phục cho Bộ Công Thương" in out
    lines = out.split("\n")
    assert lines[:3] == _WRAPPED_PAGE.split("\n")[:3]
    assert [line[:2] for line in lines[3:]] == ["1.", "2.", "Cá"]
    assert lines[-1].endswith("tại các địa bàn.")


def test_long_paragraphs_of_any_length_are_no_wrapped_page() -> None:
    """A crawl's or a word processor's paragraphs have no common width: a long
    line that ends without a stop is the line the letter printed."""
    raw = "\n".join(
        [
            "V/v triển khai Thông báo kết luận về phát triển khoa học, công nghệ",
            "Hà Nội, ngày 28 tháng 10 năm 2025",
        ]
        + [
            f"{n}. Bộ Khoa học và Công nghệ {'chủ trì, phối hợp với các bộ, ngành ' * n}"
            "hoàn thành việc rà soát."
            for n in range(1, 12)
        ]
    )
    assert normalize(raw).text.split("\n")[:2] == raw.split("\n")[:2]


def test_a_field_or_a_paragraph_opening_after_a_full_line_keeps_its_line() -> None:
    """The date line, `Kính gửi:` and a paragraph's opening words (`Căn cứ`) open
    parts of the letter: a full line above them is no wrapped line."""
    header = [
        "Số: 17/BCT-ĐTĐL",
        "V/v chủ động ứng phó với mưa lũ, bảo đảm an toàn hồ đập tại miền Trung",
        "Hà Nội, ngày 19 tháng 9 năm 2025",
        "Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương ven biển",
        "Căn cứ Luật Phòng, chống thiên tai ngày 19 tháng 6 năm 2013 đã được sửa đổi",
        "Thực hiện chỉ đạo của Thủ tướng Chính phủ, Bộ Công Thương đề nghị như sau:",
    ]
    out = normalize("\n".join(header) + "\n" + _WRAPPED_PAGE.split("\n", 2)[2]).text
    assert out.split("\n")[: len(header)] == header
    assert "hồ chứa và Tập đoàn Điện lực Việt Nam" in out


@given(st.text(alphabet="ab \n*", max_size=60), st.data())
def test_cut_deletes_spans_and_keeps_every_other_characters_offset(
    text: str, data: st.DataObject
) -> None:
    """`_Rewriter.cut` (the few lines or separators crawl noise drops) deletes exactly
    its spans: the characters left are those outside them, each at its own offset."""
    bounds = sorted(data.draw(st.sets(st.integers(0, len(text)), max_size=6)))
    spans = [(s, e) for s, e in zip(bounds[::2], bounds[1::2], strict=False) if s < e]
    kept = [i for i in range(len(text)) if not any(s <= i < e for s, e in spans)]
    rw = _Rewriter(text)
    rw.cut(spans)
    assert rw.text == "".join(text[i] for i in kept)
    assert list(rw.map) == kept


@given(st.text(alphabet="ab \n*", max_size=60), st.data())
def test_put_replaces_each_character_it_is_given_and_keeps_every_offset(
    text: str, data: st.DataObject
) -> None:
    """`_Rewriter.put` (the line breaks of wrapped lines made spaces) changes exactly the
    characters at its positions, each to its one character; every offset stays its own."""
    at = sorted(data.draw(st.sets(st.integers(0, max(0, len(text) - 1)), max_size=6)))
    at = [i for i in at if i < len(text)]
    rw = _Rewriter(text)
    rw.put(at, "#")
    assert rw.text == "".join("#" if i in at else c for i, c in enumerate(text))
    assert list(rw.map) == list(range(len(text)))


def test_a_new_map_counts_every_offset_whatever_the_letters_length() -> None:
    """The kept offsets grow by doubling (and are not kept past `_KEPT`): every length
    before, at and after a growth still gets 0, 1, 2 … n-1."""
    from array import array

    from vanban.pipeline.normalize import _KEPT, _identity

    for n in (0, 1, 5, 3, 100, 4097, 70_000, 10, _KEPT, _KEPT + 3):
        assert _identity(n) == array("q", range(n))


def _mostly_capitals(line: str) -> bool:
    """What `_in_capitals` means: at least 70 % of the line's letters are capitals."""
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) * 10 >= len(letters) * 7


@given(st.text(alphabet="aAđĐêẾỳỲ 1,.ΣσİKǅ²", max_size=60))
@budget(200)
def test_a_heading_in_capitals_is_told_from_a_sentence_as_by_its_letters(line: str) -> None:
    assert _in_capitals(line) == _mostly_capitals(line)


@pytest.mark.parametrize(
    "line, capitals",
    [
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True),
        ("V/v triển khai thực hiện Nghị quyết số 12/NQ-CP", False),
        ("ỦY BAN NHÂN DÂN tỉnh", True),
        ("2025 - 2030", False),
        # A quarter of its characters ASCII lower case, under 30 %: still in capitals.
        ("TỔNG CỤC abc", True),
    ],
)
def test_lines_in_capitals(line: str, capitals: bool) -> None:
    assert _in_capitals(line) is capitals


@given(st.text(alphabet=" \na\t", max_size=40))
@budget(200)
def test_spaces_at_line_edges_are_the_runs_the_pattern_matches(text: str) -> None:
    assert _edge_spaces(text) == [m.span() for m in _TRAILING.finditer(text)]


@given(
    st.lists(
        st.sampled_from(["a", "|", " ", "\t", "\n", "K", "\u212a", "é", "e\u0301"]), max_size=30
    ).map("".join)
)
@budget(200)
def test_replacements_map_each_character_as_the_alignment_does(text: str) -> None:
    # A one-character replacement takes the offset `_aligned` gives it.
    rw = _Rewriter(text)
    rw.sub(re.compile(r"[ \t|K\u212a]+"), "K")
    expected: list[int] = []
    pos = 0
    for m in re.finditer(r"[ \t|K\u212a]+", text):
        expected += range(pos, m.start())
        expected += (
            [m.start()]
            if m.group(0) == "K"
            else list(_aligned(m.group(0), "K", array("q", range(m.start(), m.end())), array("q")))
        )
        pos = m.end()
    expected += range(pos, len(text))
    assert list(rw.map) == expected


@given(st.text(alphabet=" \t|a\n", max_size=40))
@budget(200)
def test_table_pipes_are_found_from_the_pipes_as_the_pattern_finds_them(text: str) -> None:
    assert list(_pipe_spans(text)) == [m.span() for m in _MD_PIPE.finditer(text)]


def test_a_sentences_line_opening_with_a_time_and_date_is_the_rest_of_the_line_above() -> None:
    # `… trước 17 giờ 00` / `phút, ngày 20 tháng 10 năm 2025.`: shaped like a place and date
    # line whose place OCR lower-cased (`là Nội, ngày …`), but no word of it is in capitals.
    raw = "\n".join(_LETTER_LINES[:6]) + (
        "\n1. Sở Nội vụ rà soát hồ sơ cán bộ, báo cáo Ủy ban nhân dân tỉnh trước 17 giờ 00"
        "\nphút, ngày 20 tháng 10 năm 2025.\nTrân trọng./."
    )
    assert "17 giờ 00 phút, ngày 20" in normalize(raw).text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("hoàn thành trước ngày 2l/0l/2026.", "hoàn thành trước ngày 21/01/2026."),
        (
            "thực hiện Nghị quyết số 0l/NQ-CP của Chính phủ",
            "thực hiện Nghị quyết số 01/NQ-CP của Chính phủ",
        ),
        ("Số: 3l7/TB-UBND", "Số: 317/TB-UBND"),
        ("báo cáo trong quý l/2026.", "báo cáo trong quý I/2026."),
        ("xong trước ngày l5 tháng l2 năm 2025", "xong trước ngày 15 tháng 12 năm 2025"),
        # Not a number: a unit after digits, a formula, a quarter already right.
        ("mỗi hộ 5l nước; khí O2; quý II/2026", "mỗi hộ 5l nước; khí O2; quý II/2026"),
    ],
)
def test_a_number_or_date_misread_by_ocr_is_read_as_meant_in_any_text(
    raw: str, expected: str
) -> None:
    assert normalize(raw).text == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # ANNOTATION §4 (`Các Bộ: Công an, Quốc phòng, …` names each ministry), §1 (garbled
        # values as meant): the items of a distributive list in a typed text, their marks
        # lost or a letter misread, are the registry's short names.
        (
            "phối hợp với các Bộ: Tai chinh, Xây dụng và các cơ quan liên quan rà soát.",
            "phối hợp với các Bộ: Tài chính, Xây dựng và các cơ quan liên quan rà soát.",
        ),
        (
            "Các Bộ: Kế hoạch và Đầu. tư, Nội vu có trách nhiệm hướng dẫn.",
            "Các Bộ: Kế hoạch và Đầu tư, Nội vụ có trách nhiệm hướng dẫn.",
        ),
        # printed right (case apart): left as printed
        (
            "Giao các Bộ: Công thương, Y tế triển khai.",
            "Giao các Bộ: Công thương, Y tế triển khai.",
        ),
    ],
)
def test_a_typed_distributive_list_is_set_back_to_the_short_names(raw: str, expected: str) -> None:
    assert normalize(raw).text == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # ANNOTATION §4 (a collective is its group code), §1 (garbled values as meant): one
        # word of a registry group's phrase printed with its marks lost is set back.
        (
            "phối hợp với Ủy ban nhân dân các xa, phường rà soát bản đồ.",
            "phối hợp với Ủy ban nhân dân các xã, phường rà soát bản đồ.",
        ),
        (
            "Tổng Giám đốc các tập đoàn, tông công ty nhà nước chủ động thực hiện.",
            "Tổng Giám đốc các tập đoàn, tổng công ty nhà nước chủ động thực hiện.",
        ),
        # a text printing no marks at all: more than one word to set back, left as read
        ("cac xa, phuong thuc hien", "cac xa, phuong thuc hien"),
        # printed right: left
        ("Ủy ban nhân dân các xã, phường thực hiện.", "Ủy ban nhân dân các xã, phường thực hiện."),
    ],
)
def test_one_word_of_a_group_phrase_gets_its_marks_back(raw: str, expected: str) -> None:
    assert normalize(raw).text == expected
