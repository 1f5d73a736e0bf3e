"""Header fields from letters laid out the ways converters and scanners leave them."""

import pytest

from vanban.extractors.frame import find_frame
from vanban.extractors.header import clean_number, extract_header, number_parts
from vanban.extractors.metadata_hints import file_name_seq
from vanban.pipeline.normalize import normalize
from vanban.schemas import TextDoc

PLAIN = """BỘ Y TẾ
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 1234/BYT-KHTC
V/v tăng cường phòng, chống dịch bệnh mùa mưa
Hà Nội, ngày 5 tháng 6 năm 2024
Kính gửi: Sở Y tế các tỉnh, thành phố trực thuộc Trung ương.
Bộ Y tế đề nghị các Sở Y tế thực hiện."""

# A markdown table as converters leave it: number and V/v in one cell.
TABLE = """| BỘ NỘI VỤ ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc --------------- |
|---|---|
| Số: 77/BNV-TCBC V/v hướng dẫn tinh giản biên chế | Hà Nội, ngày 02 tháng 01 năm 2019 |

Kính gửi: Ủy ban nhân dân tỉnh Long An

Nội dung."""

TYPED = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG NINH
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 45/KH-UBND
Quảng Ninh, ngày 15 tháng 3 năm 2025
KẾ HOẠCH
TRIỂN KHAI CHUYỂN ĐỔI SỐ
TRÊN ĐỊA BÀN TỈNH NĂM 2025
Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị, Ủy ban nhân dân tỉnh ban hành Kế hoạch."""

# Two columns merged on one line, as OCR of a scan gives them.
MERGED = """BỘ TÀI CHÍNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỔNG CỤC THUẾ Độc lập - Tự do - Hạnh phúc
Số: 2188 /TCT-CS Hà Nội, ngày 20 tháng 5 năm 2019
V/v chính sách thuế
giá trị gia tăng.
Kính gửi: Cục Thuế tỉnh Bình Dương."""

DECISION = """THỦ TƯỚNG CHÍNH PHỦ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 99/QĐ-TTg
Hà Nội, ngày 1 tháng 2 năm 2026
QUYẾT ĐỊNH
Phê duyệt Đề án phát triển nguồn nhân lực
THỦ TƯỚNG CHÍNH PHỦ
Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;"""

BLANK = """ỦY BAN NHÂN DÂN
THÀNH PHỐ HÀ NỘI
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: /TB-UBND
Hà Nội, ngày tháng năm
THÔNG BÁO
Về việc treo cờ Tổ quốc
Nhân dịp Quốc khánh, Ủy ban nhân dân Thành phố đề nghị các cơ quan treo cờ."""

# A web page around the letter: its metadata must not be taken.
WEB = """Số hiệu:
999/ABC-XYZ
Loại văn bản:
Công điện
THỦ TƯỚNG CHÍNH PHỦ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 12/CĐ-TTg
Hà Nội, ngày 3 tháng 10 năm 2025
CÔNG ĐIỆN
VỀ VIỆC TẬP TRUNG ỨNG PHÓ BÃO SỐ 10
THỦ TƯỚNG CHÍNH PHỦ điện:
- Chủ tịch Ủy ban nhân dân các tỉnh, thành phố;"""

# A page read column by column: the whole left column (issuer, Số) first.
COLUMNS = """BỘ CÔNG THƯƠNG

Số: 21/2026/TT-BCT

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Hà Nội, ngày 28 tháng 4 năm 2026

THÔNG TƯ
Bãi bỏ một phần khoản 2 Điều 1 của Thông tư số 18/2025/TT-BCT

Căn cứ Luật Ban hành văn bản quy phạm pháp luật số 64/2025/QH15;"""

CASES = {
    "plain": (
        PLAIN,
        "Công văn",
        "1234/BYT-KHTC",
        "Hà Nội",
        "2024-06-05",
        "tăng cường phòng, chống dịch bệnh mùa mưa",
        ["BỘ Y TẾ"],
    ),
    "table": (
        TABLE,
        "Công văn",
        "77/BNV-TCBC",
        "Hà Nội",
        "2019-01-02",
        "hướng dẫn tinh giản biên chế",
        ["BỘ NỘI VỤ"],
    ),
    "typed": (
        TYPED,
        "Kế hoạch",
        "45/KH-UBND",
        "Quảng Ninh",
        "2025-03-15",
        "TRIỂN KHAI CHUYỂN ĐỔI SỐ TRÊN ĐỊA BÀN TỈNH NĂM 2025",
        ["ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NINH"],
    ),
    "merged": (
        MERGED,
        "Công văn",
        "2188/TCT-CS",
        "Hà Nội",
        "2019-05-20",
        "chính sách thuế giá trị gia tăng",
        ["BỘ TÀI CHÍNH", "TỔNG CỤC THUẾ"],
    ),
    "decision": (
        DECISION,
        "Quyết định",
        "99/QĐ-TTg",
        "Hà Nội",
        "2026-02-01",
        "Phê duyệt Đề án phát triển nguồn nhân lực",
        ["THỦ TƯỚNG CHÍNH PHỦ"],
    ),
    "blank": (
        BLANK,
        "Thông báo",
        None,
        "Hà Nội",
        None,
        "Về việc treo cờ Tổ quốc",
        ["ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI"],
    ),
    "web": (
        WEB,
        "Công điện",
        "12/CĐ-TTg",
        "Hà Nội",
        "2025-10-03",
        "VỀ VIỆC TẬP TRUNG ỨNG PHÓ BÃO SỐ 10",
        ["THỦ TƯỚNG CHÍNH PHỦ"],
    ),
}


def _doc(raw: str) -> TextDoc:
    return TextDoc(normalize(raw).text)


@pytest.mark.parametrize("name", list(CASES))
def test_header_fields_are_read_in_every_layout(name: str) -> None:
    raw, doc_type, number, place, date, subject, issuer_lines = CASES[name]
    doc = _doc(raw)
    h = extract_header(doc, find_frame(doc))
    assert (h.doc_type, h.number, h.place, h.issued_date, h.subject) == (
        doc_type,
        number,
        place,
        date,
        subject,
    )
    assert [doc.text[s:e] for s, e in h.issuer_lines] == issuer_lines


@pytest.mark.parametrize("name", list(CASES))
def test_every_header_span_points_at_its_printed_value(name: str) -> None:
    doc = _doc(CASES[name][0])
    h = extract_header(doc, find_frame(doc))
    for field, (s, e) in h.spans.items():
        printed = doc.text[s:e]
        assert 0 <= s < e <= len(doc.text)
        if field == "number":
            assert clean_number(printed) == h.number or h.number is None
        elif field == "place":
            assert printed == h.place
        elif field == "issued_date":
            assert printed.startswith("ngày")
        elif field == "subject":
            assert " ".join(printed.split()) == h.subject


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("57- NQ/TW", "57-NQ/TW"),
        ("42/QD- TCT", "42/QĐ-TCT"),
        ("146/2018/ND-CP", "146/2018/NĐ-CP"),
        ("10/HD-BTC", "10/HD-BTC"),
        ("318/BXD−KHTC", "318/BXD-KHTC"),  # a PDF's minus sign
        ("2051/SGDĐT‑GDPT", "2051/SGDĐT-GDPT"),  # Word's non-breaking hyphen
        ("77∕UBND-NC", "77/UBND-NC"),  # a division slash
    ],
)
def test_clean_number_removes_spaces_and_restores_the_d_bar_in_codes(
    raw: str, expected: str
) -> None:
    assert clean_number(raw) == expected


@pytest.mark.parametrize(
    ("number", "seq", "year", "type_code", "issuer_code", "unit_code"),
    [
        ("5969/QĐ-UBND", "5969", None, "QĐ", "UBND", None),
        ("8664/VPCP-KGVX", "8664", None, None, "VPCP", "KGVX"),
        ("86/2019/QH14", "86", 2019, "QH14", None, None),
        ("17317-CV/VPTW", "17317", None, "CV", "VPTW", None),
        ("146/2018/NĐ-CP", "146", 2018, "NĐ", "CP", None),
        ("46B/TB-VPCP", "46B", None, "TB", "VPCP", None),
    ],
)
def test_number_parts(
    number: str,
    seq: str,
    year: int | None,
    type_code: str | None,
    issuer_code: str | None,
    unit_code: str | None,
) -> None:
    p = number_parts(number)
    assert (p.seq, p.year, p.type_code, p.issuer_code, p.unit_code) == (
        seq,
        year,
        type_code,
        issuer_code,
        unit_code,
    )


def test_garbled_number_and_date_are_taken_from_the_file_title_when_they_agree() -> None:
    raw = """BỘ TÀI CHÍNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỔNG CỤC THUẾ Độc lập - Tự do - Hạnh phúc
Số: §Ø0 /TCT-TTr Hà Nội, ngày AF tháng 4Ô năm 2016
V/v tăng cường công tác thanh tra"""
    doc = TextDoc(normalize(raw).text, {"title": "CV 1016 01 17 CV 4800171016TCTTang cuong"})
    h = extract_header(doc, find_frame(doc))
    assert (h.number, h.issued_date) == ("4800/TCT-TTr", "2016-10-17")
    assert any("file title" in w for w in h.warnings)
    # The warning says what the page showed: here no readable numeral.
    assert any("page shows 'an unreadable numeral'" in w for w in h.warnings), h.warnings


def test_file_title_is_ignored_when_its_date_disagrees_with_the_page() -> None:
    doc = TextDoc(normalize(PLAIN).text, {"title": "CV 99905062023 other"})
    h = extract_header(doc, find_frame(doc))
    assert (h.number, h.issued_date) == ("1234/BYT-KHTC", "2024-06-05")


@pytest.mark.parametrize(
    ("file_name", "code", "seq"),
    [
        ("qd_729_ttg.pdf", "QĐ-TTg", "729"),
        ("TB-453-UBND.pdf", "TB-UBND", "453"),
        ("025.txt", "TB-UBND", None),  # the name does not carry the code
        ("qd_729_730_ttg.pdf", "QĐ-TTg", None),  # two numerals: no guess
        ("kh_2026_ubnd.pdf", "KH-UBND", None),  # a year is not a numeral of the number
        ("cv_1770_tct_ttkt.pdf", "TCT-TTKT", "1770"),  # four digits that are no year
        ("qd_205_ttg.pdf", "QĐ-TTg", "205"),  # a numeral that starts as a year does
    ],
)
def test_file_name_gives_a_missing_numeral_only_when_it_carries_the_printed_code(
    file_name: str, code: str, seq: str | None
) -> None:
    assert file_name_seq(file_name, code) == seq


def test_a_printed_number_is_never_replaced_by_the_file_name() -> None:
    doc = TextDoc(normalize(PLAIN).text, {"file_name": "cv_999_byt_khtc.txt"})
    assert extract_header(doc, find_frame(doc)).number == "1234/BYT-KHTC"


def test_an_ocr_garbled_head_word_still_opens_a_unit_of_the_issuer_block() -> None:
    # `TONG CVC` is `TỔNG CỤC` with one letter misread: the letter spells the word
    # right in its body often enough for `ocr_fix.repair` to read it back.
    raw = """BỘ AN TOÀN
TONG CVC ĐO LƯỜNG
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 12/TCĐL-KH
V/v kiểm tra đo lường
Hà Nội, ngày 5 tháng 6 năm 2024
Kính gửi: Các đơn vị trực thuộc.
Tổng cục Đo lường đề nghị các đơn vị kiểm tra. Tổng cục Đo lường tổng hợp.
Tổng cục Đo lường báo cáo Bộ."""
    doc = TextDoc(normalize(raw).text, metadata={"ocr": "true"})
    h = extract_header(doc, find_frame(doc))
    assert [doc.text[s:e] for s, e in h.issuer_lines] == ["BỘ AN TOÀN", "TONG CVC ĐO LƯỜNG"]


def test_a_body_line_ending_in_the_word_so_does_not_extend_the_header() -> None:
    # `… về chuyển đổi số.` closes a sentence of the plan's first section: it is no `Số:` line,
    # so the body (with `I. MỤC ĐÍCH, YÊU CẦU` and `1. Mục đích`) starts under the title.
    raw = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG NINH
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 150/KH-UBND
Quảng Ninh, ngày 20 tháng 8 năm 2025

KẾ HOẠCH
Triển khai chuyển đổi số năm 2025

I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
- Nâng cao nhận thức của cán bộ, công chức về chuyển đổi số.
- Về kinh tế số: phát triển doanh nghiệp công nghệ số.
II. NHIỆM VỤ
1. Sở Nội vụ tổ chức bồi dưỡng kỹ năng số."""
    doc = TextDoc(normalize(raw).text)
    frame = find_frame(doc)
    assert frame.body_start <= doc.text.index("I. MỤC ĐÍCH, YÊU CẦU")
    assert extract_header(doc, frame).number == "150/KH-UBND"


def test_a_place_merged_into_the_number_line_is_cut_off_on_the_text_last_line() -> None:
    # OCR merged the two columns on one line, and the text ends there (a header alone): the
    # code still ends before the place (ANNOTATION §2 `number`, `place`).
    raw = "UBND TỈNH HÀ TĨNH\nVĂN PHÒNG\nSố: 1234/UBND-KT - Hà Tĩnh, ngày 05 tháng 3 năm 2025"
    doc = TextDoc(normalize(raw).text, {})
    h = extract_header(doc, find_frame(doc))
    assert (h.number, h.place, h.issued_date) == ("1234/UBND-KT", "Hà Tĩnh", "2025-03-05")


def test_a_date_line_whose_place_holds_a_dot_ends_the_header_like_any_date_line() -> None:
    # `TP. Hồ Chí Minh, ngày …`: the dot keeps the place out of the place-and-date pattern, yet
    # the short line with its `ngày … tháng` is the header's date line (ANNOTATION §2 `place`,
    # `issued_date`), so the body opens under it, not on it, with no `Kính gửi` in between.
    raw = """ỦY BAN NHÂN DÂN
THÀNH PHỐ HỒ CHÍ MINH
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 1234/UBND-KT
V/v kiểm tra các cơ sở khám bệnh, chữa bệnh
TP. Hồ Chí Minh, ngày 12 tháng 3 năm 2025
Ủy ban nhân dân Thành phố đề nghị Sở Y tế kiểm tra các cơ sở khám bệnh, chữa bệnh./."""
    doc = TextDoc(normalize(raw).text)
    frame = find_frame(doc)
    assert frame.body_start == doc.text.index("Ủy ban nhân dân Thành phố đề nghị")


@pytest.mark.parametrize(
    ("date_line", "warned"),
    [
        ("Hà Nội, ngày      tháng 12 năm 2025", True),
        ("Hà Nội, ngày 05 tháng 12 năm 2025", False),
    ],
)
def test_a_date_line_with_its_day_left_blank_warns_and_a_whole_one_does_not(
    date_line: str, warned: bool
) -> None:
    # A letter prepared for signing leaves the day blank: the date is null (ANNOTATION §2
    # `issued_date`) and the record says why; a whole date line gives no such warning.
    doc = TextDoc(normalize(PLAIN.replace("Hà Nội, ngày 5 tháng 6 năm 2024", date_line)).text)
    h = extract_header(doc, find_frame(doc))
    assert h.place == "Hà Nội"
    assert (h.issued_date is None) is warned
    assert any("issued_date" in w for w in h.warnings) is warned, h.warnings
