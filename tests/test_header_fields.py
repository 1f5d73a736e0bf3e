"""Header fields, issuer, signer and recipients in layouts crawls and scans leave.

Every letter here is invented for the rule it pins (ANNOTATION.md §2, §4, §6);
every span a value is read from must show that value (`text[s:e]`, with a
value read over a line break joined on one line).
"""

from __future__ import annotations

import pytest

from vanban.extractors.agencies import AgencyRegistry
from vanban.extractors.frame import find_frame
from vanban.extractors.header import Header, extract_header
from vanban.extractors.recipients import extract_recipients
from vanban.extractors.signer import extract_signer
from vanban.pipeline.extract import extract_text_doc
from vanban.pipeline.normalize import normalize
from vanban.schemas import Agency, Document, Signer, Source, TextDoc


def _doc(raw: str) -> TextDoc:
    return TextDoc(normalize(raw).text)


def _one_line(s: str) -> str:
    return " ".join(s.split())


def _header(raw: str) -> tuple[TextDoc, Header]:
    doc = _doc(raw)
    h = extract_header(doc, find_frame(doc))
    for field in ("place", "subject"):
        if field in h.spans:
            s, e = h.spans[field]
            assert _one_line(doc.text[s:e]) == getattr(h, field), field
    if "issued_date" in h.spans:
        s, e = h.spans["issued_date"]
        assert doc.text[s:e].startswith("ngày")
    return doc, h


def _letter(raw: str) -> Document:
    d = extract_text_doc(_doc(raw), Source(path="x.txt", format="txt", sha256="0" * 64))
    for a in [d.issuer, *d.recipients]:
        if a is not None and a.span is not None:
            assert d.text[a.span[0] : a.span[1]] == a.raw
    return d


def _signer(footer: str) -> Signer:
    doc = _doc("Sở Nội vụ đề nghị các đơn vị thực hiện nghiêm túc./.\n" + footer)
    signer = extract_signer(doc, find_frame(doc))
    assert signer is not None
    assert signer.name_span is not None
    assert doc.text[slice(*signer.name_span)] == signer.name
    if signer.title_span is not None:
        assert signer.title is not None
        printed = _one_line(doc.text[slice(*signer.title_span)])
        assert printed.casefold() == signer.title.casefold()
    return signer


# -- place and date (§2 `place`, `issued_date`; §1 garbled dates) ----------------

WRAPPED_PLACE = """ỦY BAN NHÂN DÂN
THÀNH PHỐ CẦN THƠ

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 512/UBND-KT
V/v rà soát bến khách ngang sông

Thành phố Cần
Thơ, ngày 9 tháng 10 năm 2024

Kính gửi: Sở Xây dựng.

Ủy ban nhân dân Thành phố đề nghị Sở Xây dựng rà soát các bến khách."""


def test_a_place_the_column_wrapped_over_two_lines_is_read_whole() -> None:
    _, h = _header(WRAPPED_PLACE)
    assert (h.place, h.issued_date) == ("Thành phố Cần Thơ", "2024-10-09")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("khách ngang sông\n\nThành phố Cần\nThơ", "khách ngang sông\nThành phố Cần\nThơ"),
        ("Thành phố Cần\nThơ, ngày", "Thành phố Cần\n\nThơ, ngày"),
    ],
    ids=["no-blank-line-after-the-subject", "each-line-a-paragraph"],
)
def test_a_wrapped_place_is_read_whole_and_is_no_part_of_the_subject(
    before: str, after: str
) -> None:
    """The place's first half is neither the trích yếu's last line nor lost, with or
    without blank lines around the lines (ANNOTATION §2 `place`, `subject`)."""
    _, h = _header(WRAPPED_PLACE.replace(before, after))
    assert (h.place, h.issued_date) == ("Thành phố Cần Thơ", "2024-10-09")
    assert h.subject == "rà soát bến khách ngang sông"


def test_a_line_of_other_words_above_the_date_is_not_part_of_the_place() -> None:
    raw = WRAPPED_PLACE.replace("Thành phố Cần\nThơ, ngày", "theo đề nghị của Sở\nCần Thơ, ngày")
    _, h = _header(raw)
    assert h.place == "Cần Thơ"


def test_a_month_printed_with_its_digits_spaced_is_that_month() -> None:
    raw = """BỘ NỘI VỤ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 77/BNV-TCBC
Hà Nội, ngày 14 tháng 0 8 năm 2019
V/v tinh giản biên chế
Kính gửi: Ủy ban nhân dân tỉnh Long An."""
    _, h = _header(raw)
    assert (h.place, h.issued_date) == ("Hà Nội", "2019-08-14")


def test_an_ocr_place_whose_capital_was_misread_is_the_known_place() -> None:
    # OCR reads the capital H of the first word as `l`: the place is still
    # read from its line's start, and one letter from a known place is that place.
    raw = """BO NOI VU
CONG HOA XA HOI CHU NGHIA VIET NAM
Doc lap - Tu do - Hanh phuc
Số: 77/BNV-TCBC

là Nội, ngày 14 tháng 8 năm 2019

V/v tinh giản biên chế
Kính gửi: Các đơn vị thuộc Bộ.

Bộ đề nghị các đơn vị rà soát biên chế./."""
    assert _letter(raw).place == "Hà Nội"


# -- type and trích yếu (§2 `doc_type`, `subject`) --------------------------------

PARTY_NOTICE = """ĐẢNG BỘ TỈNH X
BAN THƯỜNG VỤ
*
Số 152-TB/TU
ĐẢNG CỘNG SẢN VIỆT NAM
X, ngày 3 tháng 4 năm 2025

THÔNG BÁO KẾT LUẬN
CỦA BAN THƯỜNG VỤ TỈNH ỦY
về công tác chuẩn bị đại hội
-----

Ngày 1 tháng 4 năm 2025, Ban Thường vụ họp và kết luận như sau:

1. Ban Tổ chức hoàn thiện đề án nhân sự."""


def test_a_party_notice_gives_its_number_type_and_subject() -> None:
    # ANNOTATION §6 Party notices: `THÔNG BÁO KẾT LUẬN` / `CỦA …` is a Thông báo
    # whose subject is `Kết luận của …`; the number is printed `Số 152-TB/TU`.
    _, h = _header(PARTY_NOTICE)
    assert (h.number, h.doc_type) == ("152-TB/TU", "Thông báo")
    assert h.subject == "KẾT LUẬN CỦA BAN THƯỜNG VỤ TỈNH ỦY về công tác chuẩn bị đại hội"


def test_a_number_without_colon_is_read_only_at_a_line_start() -> None:
    _, h = _header(PARTY_NOTICE.replace("Số 152-TB/TU", "theo Số 152-TB/TU"))
    assert h.number is None


def test_a_date_inside_a_subject_in_capitals_does_not_end_it() -> None:
    raw = """ỦY BAN NHÂN DÂN
TỈNH BẾN TRE
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 301/QĐ-UBND
Bến Tre, ngày 2 tháng 4 năm 2024

QUYẾT ĐỊNH

BAN HÀNH KẾ HOẠCH THỰC HIỆN QUYẾT ĐỊNH SỐ
15/QĐ-TTG NGÀY 10 THÁNG 01 NĂM 2024 CỦA THỦ TƯỚNG CHÍNH PHỦ

ỦY BAN NHÂN DÂN TỈNH BẾN TRE

Căn cứ Luật Tổ chức chính quyền địa phương;"""
    _, h = _header(raw)
    assert h.doc_type == "Quyết định"
    assert h.subject == (
        "BAN HÀNH KẾ HOẠCH THỰC HIỆN QUYẾT ĐỊNH SỐ 15/QĐ-TTG NGÀY 10 THÁNG 01 NĂM 2024"
        " CỦA THỦ TƯỚNG CHÍNH PHỦ"
    )


def test_a_subject_in_capitals_printed_a_line_a_paragraph_is_read_whole() -> None:
    """A crawl or a converter may print each line of the trích yếu as a paragraph:
    it is the line(s) after the type name, joined (ANNOTATION §2 `subject`), up to
    the telegram's `… điện:` line or the body."""
    notice = """VĂN PHÒNG CHÍNH PHỦ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 45/TB-VPCP
Hà Nội, ngày 3 tháng 6 năm 2025

THÔNG BÁO

KẾT LUẬN CỦA PHÓ THỦ TƯỚNG CHÍNH PHỦ TẠI BUỔI LÀM VIỆC

VỚI LÃNH ĐẠO TỈNH SƠN LA

Ngày 28 tháng 5 năm 2025, Phó Thủ tướng Chính phủ đã làm việc với lãnh đạo tỉnh
Sơn La về tình hình kinh tế - xã hội."""
    _, h = _header(notice)
    assert (
        h.subject
        == "KẾT LUẬN CỦA PHÓ THỦ TƯỚNG CHÍNH PHỦ TẠI BUỔI LÀM VIỆC VỚI LÃNH ĐẠO TỈNH SƠN LA"
    )
    telegram = """THỦ TƯỚNG CHÍNH PHỦ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 98/CĐ-TTg
Hà Nội, ngày 20 tháng 9 năm 2025

CÔNG ĐIỆN

VỀ VIỆC CHỦ ĐỘNG ỨNG PHÓ VỚI BÃO

SỐ 8 NĂM 2025

THỦ TƯỚNG CHÍNH PHỦ điện:
- Bộ trưởng các Bộ: Quốc phòng, Công an;
- Chủ tịch Ủy ban nhân dân các tỉnh ven biển."""
    _, h = _header(telegram)
    assert h.subject == "VỀ VIỆC CHỦ ĐỘNG ỨNG PHÓ VỚI BÃO SỐ 8 NĂM 2025"


def test_a_vv_label_alone_on_its_line_takes_the_next_line_as_subject() -> None:
    raw = """VĂN PHÒNG CHÍNH PHỦ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 4021/VPCP-NN
V/v
Đề án phát triển giống cây lâm nghiệp chất lượng cao

Hà Nội, ngày 6 tháng 5 năm 2024

Kính gửi: Bộ Nông nghiệp và Phát triển nông thôn."""
    _, h = _header(raw)
    assert (h.doc_type, h.subject) == (
        "Công văn",
        "Đề án phát triển giống cây lâm nghiệp chất lượng cao",
    )


FLATTENED = """Văn bản Quyet dinh 88
ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH -------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc ---------------
Số: 88/QĐ-UBND Hòa Bình, ngày 2 tháng 3 năm 2023 QUYẾT ĐỊNH VỀ VIỆC CÔNG BỐ DANH MỤC THỦ TỤC HÀNH CHÍNH {tail}ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
Xét đề nghị của Giám đốc Sở Tư pháp.
QUYẾT ĐỊNH
Điều 1. Công bố kèm theo Quyết định này danh mục thủ tục hành chính."""


def test_a_type_name_glued_after_the_date_is_the_type_and_its_subject_follows() -> None:
    _, h = _header(FLATTENED.format(tail=""))
    assert (h.doc_type, h.number, h.place, h.issued_date) == (
        "Quyết định",
        "88/QĐ-UBND",
        "Hòa Bình",
        "2023-03-02",
    )
    # The authority line the crawl ran into the subject is not part of it.
    assert h.subject == "VỀ VIỆC CÔNG BỐ DANH MỤC THỦ TỤC HÀNH CHÍNH"


def test_a_head_and_the_issuer_run_into_a_flattened_subject_are_cut_off() -> None:
    raw = """BỘ Y TẾ -------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc ---------------
Số: 41/QĐ-BYT Hà Nội, ngày 8 tháng 1 năm 2024 QUYẾT ĐỊNH BAN HÀNH HƯỚNG DẪN CHẨN ĐOÁN BỆNH SỐT XUẤT HUYẾT BỘ TRƯỞNG BỘ Y TẾ
Căn cứ Nghị định số 95/2022/NĐ-CP của Chính phủ;"""
    _, h = _header(raw)
    assert (h.doc_type, h.subject) == (
        "Quyết định",
        "BAN HÀNH HƯỚNG DẪN CHẨN ĐOÁN BỆNH SỐT XUẤT HUYẾT",
    )


def test_a_body_the_flattened_subject_names_after_a_preposition_stays_in_it() -> None:
    _, h = _header(FLATTENED.format(tail="CỦA "))
    assert h.subject == (
        "VỀ VIỆC CÔNG BỐ DANH MỤC THỦ TỤC HÀNH CHÍNH CỦA ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH"
    )


# -- issuer (§2 `issuer`, §6 Stripped header) -----------------------------------


def test_the_motto_glued_into_the_issuer_block_is_no_part_of_the_issuer() -> None:
    d = _letter("""ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH KIÊN GIANG Độc lập - Tự do - Hạnh phúc

Số: 140/UBND-VX Kiên Giang, ngày 3 tháng 2 năm 2026
V/v tổ chức Tết trồng cây

Kính gửi: Sở Nông nghiệp và Môi trường

Ủy ban nhân dân tỉnh giao Sở Nông nghiệp và Môi trường tổ chức Tết trồng cây./.""")
    assert d.issuer is not None
    assert d.issuer.name == "Ủy ban nhân dân tỉnh Kiên Giang"


def test_an_issuer_block_printed_without_its_marks_is_the_provinces_committee() -> None:
    # OCR or a converter that drops the marks: `UY BAN NHAN DAN / TINH YEN BAI`.
    d = _letter("""UY BAN NHAN DAN
TINH YEN BAI
CONG HOA XA HOI CHU NGHIA VIET NAM
Độc lập - Tự do - Hạnh phúc

Số: 88/UBND-NN Yên Bái, ngày 3 tháng 2 năm 2025
V/v phòng chống rét cho gia súc

Kính gửi: Sở Nông nghiệp và Phát triển nông thôn

Ủy ban nhân dân tỉnh giao Sở Nông nghiệp và Phát triển nông thôn hướng dẫn chống rét./.""")
    assert d.issuer is not None and d.issuer.known
    assert d.issuer.name == "Ủy ban nhân dân tỉnh Yên Bái"


STRIPPED_UBND = """Kính gửi:
- Các sở, ban, ngành tỉnh;
- Các đơn vị sự nghiệp công lập trực thuộc Ủy ban nhân dân tỉnh.

Căn cứ Quyết định số 25/QĐ-UBND ngày 3 tháng 1 năm 2026 của Ủy ban nhân dân tỉnh Quảng Trị;

Ủy ban nhân dân tỉnh yêu cầu các cơ quan, đơn vị rà soát biên chế, báo cáo Sở Nội vụ trước ngày 20 tháng 3 năm 2026./.

Nơi nhận:
- Như trên;
- Bộ Nội vụ;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Hoàng Văn Lực"""


def test_a_letter_without_header_is_issued_by_the_body_its_signature_speaks_for() -> None:
    d = _letter(STRIPPED_UBND)
    assert (d.doc_type, d.number, d.place, d.issued_date) == (None, None, None, None)
    assert d.issuer is not None
    assert d.issuer.name == "Ủy ban nhân dân tỉnh Quảng Trị"
    # Known to be the People's Committee, its own units are `@don-vi-truc-thuoc` (§4).
    assert [a.code or a.name for a in d.recipients] == ["@so-nganh", "@don-vi-truc-thuoc"]


def test_a_ministry_letter_without_header_names_itself_more_than_its_addressee() -> None:
    d = _letter("""Kính gửi: Bộ Tài chính.

Ngày 2 tháng 3 năm 2026, Bộ Tài chính có văn bản số 101/BTC-NSNN đề nghị góp ý.
Bộ Công Thương có ý kiến như sau: thống nhất với dự thảo. Bộ Công Thương đề nghị
bổ sung nguồn kinh phí. Bộ Công Thương kính gửi Bộ Tài chính tổng hợp./.

Nơi nhận:
- Như trên;
- Bộ Tư pháp;
- Lưu: VT, KHTC.

KT. BỘ TRƯỞNG
THỨ TRƯỞNG
Đinh Quốc Toản""")
    assert d.issuer is not None
    assert d.issuer.name == "Bộ Công Thương"
    assert [a.name for a in d.recipients] == ["Bộ Tài chính"]


def test_a_letter_with_its_header_keeps_the_issuer_block() -> None:
    raw = "BỘ Y TẾ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    d = _letter(raw + STRIPPED_UBND)
    assert d.issuer is not None
    assert d.issuer.name == "Bộ Y tế"


# -- recipients (§2 `recipients`, §4 distributive lists) -------------------------


def _recipients(raw: str, issuer: str) -> list[Agency]:
    doc = _doc(raw)
    registry = AgencyRegistry.default()
    ctx = registry.context_for(registry.canonical(issuer), date="2025-10-01", parent=None)
    found = extract_recipients(
        doc, find_frame(doc), lambda t, s, e: registry.find(t, s, e, context=ctx)
    )
    for a in found:
        assert a.span is not None
        assert doc.text[a.span[0] : a.span[1]] == a.raw
    return found


TELEGRAM = """BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 12/CĐ-BNNMT
Hà Nội, ngày 1 tháng 10 năm 2025
CÔNG ĐIỆN
VỀ VIỆC ỨNG PHÓ VỚI BÃO SỐ 11
BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG điện:
- Các Cục: Thủy lợi, Quản lý đê điều và Phòng chống thiên tai, Lâm nghiệp và Kiểm lâm;
- Các Sở: Nông nghiệp và Môi trường, Xây dựng.
Để chủ động ứng phó với bão số 11, Bộ yêu cầu các đơn vị thực hiện."""


def test_a_distributive_list_of_units_names_each_unit() -> None:
    found = _recipients(TELEGRAM, "Bộ Nông nghiệp và Môi trường")
    assert [a.name for a in found] == [
        "Cục Thủy lợi",
        "Cục Quản lý đê điều và Phòng chống thiên tai",
        "Cục Lâm nghiệp và Kiểm lâm",
        "Sở Nông nghiệp và Môi trường",
        "Sở Xây dựng",
    ]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (  # the sentence goes on after the last item
            "Các Vụ: Pháp chế, Tổ chức cán bộ chủ trì rà soát các quy định.",
            ["Vụ Pháp chế", "Vụ Tổ chức cán bộ"],
        ),
        (  # `và` joins two known units
            "Các Sở: Y tế, Tài chính và Nội vụ phối hợp thực hiện.",
            ["Sở Y tế", "Sở Tài chính", "Sở Nội vụ"],
        ),
        (  # without a colon `các Sở` is the collective (§4)
            "Đề nghị các Sở, ban, ngành thực hiện.",
            ["@so-nganh"],
        ),
    ],
)
def test_a_distributive_list_reads_its_items_only(text: str, names: list[str]) -> None:
    registry = AgencyRegistry.default()
    ctx = registry.context_for(registry.canonical("Ủy ban nhân dân tỉnh Gia Lai"), date=None)
    found = registry.find(text, context=ctx)
    assert [a.code or a.name for a in found] == names
    assert all(a.span and text[a.span[0] : a.span[1]] == a.raw for a in found)


KINH_GUI = """VĂN PHÒNG CHÍNH PHỦ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 902/VPCP-KTTH
V/v điều hành giá xăng dầu
Hà Nội, ngày 5 tháng 2 năm 2026
Kính gửi: Bộ trưởng
Bộ Công Thương
Xét đề nghị của Bộ Công Thương tại Tờ trình số 55/TTr-BCT về giá xăng dầu, Thủ tướng
Chính phủ có ý kiến như sau: Bộ Công Thương chủ trì điều hành giá xăng dầu."""


def test_a_line_that_opens_the_body_is_not_the_end_of_a_wrapped_entry() -> None:
    found = _recipients(KINH_GUI, "Văn phòng Chính phủ")
    assert [a.name for a in found] == ["Bộ Công Thương"]


def test_a_group_heading_a_list_of_named_bodies_is_no_recipient_of_its_own() -> None:
    raw = KINH_GUI.replace(
        "Kính gửi: Bộ trưởng\nBộ Công Thương\n",
        "Kính gửi: Các đơn vị liên quan: Bộ Công Thương, Bộ Tài chính.\n\n",
    )
    found = _recipients(raw, "Văn phòng Chính phủ")
    assert [a.code or a.name for a in found] == ["Bộ Công Thương", "Bộ Tài chính"]


def test_the_copies_under_the_list_are_not_recipients() -> None:
    raw = KINH_GUI.replace(
        "Kính gửi: Bộ trưởng\nBộ Công Thương\n",
        "Kính gửi:\n- Bộ Công Thương;\n- Đồng kính gửi: Thủ tướng Chính phủ.\n\n",
    )
    assert [a.name for a in _recipients(raw, "Văn phòng Chính phủ")] == ["Bộ Công Thương"]


def test_the_body_units_belong_to_is_not_itself_addressed() -> None:
    raw = KINH_GUI.replace(
        "Kính gửi: Bộ trưởng\nBộ Công Thương\n",
        "Kính gửi:\n- Các cơ quan chuyên môn, cơ quan hành chính khác thuộc Ủy ban nhân dân"
        " tỉnh;\n- Ủy ban nhân dân các xã, phường.\n\n",
    )
    found = _recipients(raw, "Ủy ban nhân dân tỉnh Gia Lai")
    assert [a.code or a.name for a in found] == ["@so-nganh", "@cap-xa"]


# -- signer (§2 `signer`) -------------------------------------------------------


@pytest.mark.parametrize(
    ("footer", "name", "title"),
    [
        (  # the block glued on one line, an appendix after it
            "Nơi nhận: - Như trên; - Lưu: VT.\nTL. BỘ TRƯỞNG VỤ TRƯỞNG VỤ PHÁP CHẾ - THANH TRA"
            " Trần Minh Khoa\n\nPHỤ LỤC SỐ LIỆU\n\n1. Tình hình thực hiện năm 2025\n- Báo cáo"
            " Tổng hợp Số Liệu\n" + "- Chỉ tiêu.\n" * 8,
            "Trần Minh Khoa",
            "Vụ trưởng Vụ Pháp chế - Thanh tra",
        ),
        (  # a form glued after the name, a site's trailer after the block
            "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT.\nCỤC TRƯỞNG PHÓ CỤC TRƯỞNG Phan Thanh Hà"
            " TÊN ĐƠN VỊ:……\nĐỊA CHỈ:....\nCông điện 5/CĐ-BXD năm 2025 do Bộ Xây dựng điện\n"
            "Văn bản này chưa cập nhật nội dung Tiếng Anh",
            "Phan Thanh Hà",
            "Phó Cục trưởng",
        ),
        (  # one position line naming two offices, without an authority
            "Nơi nhận:\n- Như trên;\n- Lưu: VT, KTTH (2b). Minh Anh BỘ TRƯỞNG, CHỦ NHIỆM"
            " Đào Quang Vinh",
            "Đào Quang Vinh",
            "Bộ trưởng, Chủ nhiệm",
        ),
        (  # a collective's block flattened on one line (a crawl's table cell)
            "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN CHỦ TỊCH Trương Văn An",
            "Trương Văn An",
            "Chủ tịch",
        ),
        (  # the Nơi nhận column merged beside the block
            "Nơi nhận: TL. CHỦ TỊCH\n- Như trên; CHÁNH VĂN PHÒNG\n- Chủ tịch UBND tỉnh;\n"
            "- Lưu: VT, NC.\n\nLê Hải Yến",
            "Lê Hải Yến",
            "Chánh Văn phòng",
        ),
    ],
)
def test_signer_read_from_the_block_wherever_the_text_goes_on(
    footer: str, name: str, title: str
) -> None:
    signer = _signer(footer)
    assert (signer.name, signer.title) == (name, title)


_LONG_LIST = "".join(f"- Phòng chuyên môn số {k};\n\n" for k in range(1, 17))


def test_a_name_after_a_long_copy_list_with_blank_lines_is_the_signer() -> None:
    # OCR reads the two columns line by line: the position beside `Nơi nhận:`,
    # a blank line between every entry, the name after the whole list.
    signer = _signer(f"Nơi nhận: GIÁM ĐỐC\n{_LONG_LIST}- Lưu: VT.\n\nTrần Thu Hà")
    assert (signer.name, signer.title) == ("Trần Thu Hà", "Giám đốc")


def test_a_sites_title_line_after_the_signature_is_no_part_of_the_block() -> None:
    """A crawl prints its own title for the letter after the signature (`Công điện
    12/CĐ-BXD năm 2025 …`, any type name and number): notes added by a site are
    ignored (ANNOTATION §3), so its last words are no signer."""
    footer = (
        "Nơi nhận:\n\n- Như trên;\n\n- Lưu: VT.\n\nKT. BỘ TRƯỞNG\n\nTHỨ TRƯỞNG\n\n"
        "Trần Văn Bình\n\nCông điện 12/CĐ-BXD năm 2025 ứng phó mưa lũ tại khu vực Trung Bộ do"
        " Bộ Xây dựng điện Văn bản\nnày chưa cập nhật nội dung Tiếng Anh"
    )
    signer = _signer(footer)
    assert (signer.name, signer.title) == ("Trần Văn Bình", "Thứ trưởng")


def test_a_position_line_cut_at_its_start_is_the_one_position_it_ends() -> None:
    # A scan whose seal covers the first word of the position: `TƯỚNG` can
    # only end `THỦ TƯỚNG`; `TRƯỞNG` ends many positions and gives none.
    foot = "Nơi nhận:\n- Như Điều 3;\n- Lưu: VT.\n{}\nLê Văn Minh"
    doc = _doc("Thủ tướng quyết định./.\n" + foot.format("TƯỚNG"))
    signer = extract_signer(doc, find_frame(doc))
    assert signer is not None
    assert (signer.name, signer.title) == ("Lê Văn Minh", "Thủ tướng")
    doc = _doc("Bộ quyết định./.\n" + foot.format("TRƯỞNG"))
    assert extract_signer(doc, find_frame(doc)) is None


def test_an_ocr_title_after_stamp_residue_with_a_subject_under_it_is_the_type() -> None:
    # A receipt stamp OCR'd onto the title's line, a blank line inside the
    # wrapped trích yếu (ANNOTATION §2 `doc_type`, `subject`).
    raw = """THỦ TƯỚNG CHÍNH PHỦ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hà Nội, ngày 5 tháng 3 năm 2024
ĐẾN Số: ... CHỈ THỊ
Về tăng cường công tác phòng cháy

trong mùa khô năm 2024

Thời gian qua, công tác phòng cháy đã đạt kết quả."""
    _, h = _header(raw)
    assert (h.doc_type, h.subject) == (
        "Chỉ thị",
        "Về tăng cường công tác phòng cháy trong mùa khô năm 2024",
    )
    _, h = _header(raw.replace("Về tăng", "Tăng"))
    assert h.doc_type is None


# -- Party letters, small offices, `Về việc` (§2, §6 Party notices) ---------------

PARTY_DIRECTIVE = """ĐẢNG BỘ TỈNH HÀ TĨNH                 ĐẢNG CỘNG SẢN VIỆT NAM
TỈNH ỦY
*                          Hà Tĩnh, ngày 03 tháng 6 năm 2025
Số 31-CT/TU

CHỈ THỊ
của Ban Thường vụ Tỉnh ủy
về công tác phòng, chống lãng phí

Thời gian qua, công tác này có chuyển biến.
1. Các cấp ủy quán triệt chủ trương của Đảng.
2. Ủy ban Kiểm tra Tỉnh ủy kiểm tra việc thực hiện.

T/M BAN THƯỜNG VỤ
BÍ THƯ
Trần Văn Tú"""


def test_a_party_directive_reads_its_number_and_lower_case_subject() -> None:
    # §2 `subject`: the line(s) after the type name; a Party letter prints
    # `Số 31-CT/TU` without a colon and its trích yếu in lower case.
    _, h = _header(PARTY_DIRECTIVE)
    assert (h.number, h.doc_type) == ("31-CT/TU", "Chỉ thị")
    assert h.subject == "của Ban Thường vụ Tỉnh ủy về công tác phòng, chống lãng phí"


def test_a_party_committee_under_its_provincial_party_body_is_that_provinces() -> None:
    # §6 Party notices: a province's `Tỉnh ủy` is scored as its People's Committee;
    # the unit `TỈNH ỦY` names no place and takes the one of the unit above it.
    d = _letter(PARTY_DIRECTIVE)
    assert d.issuer is not None and d.issuer.name == "Ủy ban nhân dân tỉnh Hà Tĩnh"


def test_a_party_signature_block_with_a_slash_mark_ends_the_body() -> None:
    # §2 `signer`: `T/M` is the authority line; the letter has neither `Nơi
    # nhận` nor a closing formula, and the block is not the last item's text.
    d = _letter(PARTY_DIRECTIVE)
    assert d.signer is not None
    assert (d.signer.name, d.signer.title, d.signer.authority) == (
        "Trần Văn Tú",
        "Bí thư",
        "T/M BAN THƯỜNG VỤ",
    )
    assert [t.text.endswith("kiểm tra việc thực hiện.") for t in d.tasks][-1]


OFFICE_LETTER = """UBND HUYỆN KIM SƠN
PHÒNG NÔNG NGHIỆP VÀ MÔI TRƯỜNG
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 87/PNNMT
Kim Sơn, ngày 11 tháng 3 năm 2025
Về việc ra quân làm thủy lợi đầu xuân
Kính gửi: Ủy ban nhân dân các xã, thị trấn.
Phòng đề nghị Ủy ban nhân dân các xã ra quân làm thủy lợi trước ngày 30/3/2025.
Nơi nhận:
- Như trên;
- Lưu: VT.
TRƯỞNG PHÒNG
Lê Văn Khánh"""


def test_a_about_line_where_vv_stands_is_the_subject() -> None:
    # §2 `subject`: the text after `V/v`; `Về việc …` in the same place of the
    # header is the same trích yếu.
    _, h = _header(OFFICE_LETTER)
    assert h.subject == "ra quân làm thủy lợi đầu xuân"


def test_a_head_of_office_signs_as_truong_phong() -> None:
    # §2 `signer`: the position line directly above the name.
    d = _letter(OFFICE_LETTER)
    assert d.signer is not None
    assert (d.signer.name, d.signer.title) == ("Lê Văn Khánh", "Trưởng phòng")


def test_a_subject_in_capitals_ends_before_the_first_section_of_the_body() -> None:
    # §2 `subject`: the line(s) after the type name, not the body's `I. MỤC ĐÍCH`.
    _, h = _header(
        "BỘ CÔNG THƯƠNG\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 12/KH-BCT\nHà Nội, ngày 06 tháng 01 năm 2025\nKẾ HOẠCH\n"
        "THỰC HIỆN CHƯƠNG TRÌNH TIẾT KIỆM NĂNG LƯỢNG\nGIAI ĐOẠN 2025 - 2030\n"
        "I. MỤC ĐÍCH, YÊU CẦU\n1. Nâng cao hiệu quả sử dụng năng lượng.\n"
    )
    assert h.subject == "THỰC HIỆN CHƯƠNG TRÌNH TIẾT KIỆM NĂNG LƯỢNG GIAI ĐOẠN 2025 - 2030"


# -- what OCR does to a header (§2; OCR confusions in one table) ------------------

OCR_HEADER = """BỘ TÀI CHÍNH                              CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỔNG CỤC THUẾ                                  Độc lập - Tự do - Hạnh phúc

Số: 2207/TCT-KK                          Hà Nội, ngày 4 tháng 6 năm 2021
V/v hướng dẫn khai thuế
đối với hộ kinh doanh

Kính gửi: Cục Thuế các tỉnh, thành phố trực thuộc Trung ương.

Tổng cục Thuế đề nghị Cục Thuế các tỉnh, thành phố hướng dẫn hộ kinh doanh khai thuế.

Nơi nhận:
- Như trên;
- Lưu: VT, KK.
KT. TỔNG CỤC TRƯỞNG
PHÓ TỔNG CỤC TRƯỞNG
Đặng Ngọc Minh"""


@pytest.mark.parametrize(
    ("printed", "read"),
    [("Số: 2207/", "S6: 2207/"), ("Số: 2207/", "Số: 22O7/"), ("Số: 2207/", "Số: l207/")],
)
def test_a_numeral_ocr_misread_is_the_number_the_page_shows(printed: str, read: str) -> None:
    _, h = _header(OCR_HEADER.replace(printed, read))
    assert h.number == ("1207/TCT-KK" if "l207" in read else "2207/TCT-KK")


def test_a_vv_whose_slash_ocr_misread_still_opens_the_subject() -> None:
    _, h = _header(OCR_HEADER.replace("V/v", "Vív"))
    assert h.subject == "hướng dẫn khai thuế đối với hộ kinh doanh"


def test_a_place_printed_without_its_marks_is_the_known_place() -> None:
    d = _letter(OCR_HEADER.replace("Hà Nội, ngày", "Ha Noi, ngày"))
    assert d.place == "Hà Nội"


def test_a_signer_name_whose_last_word_wrapped_to_its_own_line_is_whole() -> None:
    d = _letter(OCR_HEADER.replace("Đặng Ngọc Minh", "Đặng Ngọc\nMinh"))
    assert d.signer is not None and d.signer.name == "Đặng Ngọc Minh"
    assert d.signer.name_span is not None
    assert _one_line(d.text[slice(*d.signer.name_span)]) == "Đặng Ngọc Minh"


def test_a_recipient_on_the_line_under_kinh_gui_without_a_bullet_is_read() -> None:
    # §2 `recipients`: the `Kính gửi:` entries, also when the one entry stands alone on
    # the next line with no dash before it.
    d = _letter(
        "BỘ TÀI CHÍNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 1234/BTC-NSNN\nV/v bổ sung dự toán\nHà Nội, ngày 12 tháng 3 năm 2025\n"
        "Kính gửi:\nỦy ban nhân dân tỉnh Hà Tĩnh.\n"
        "Bộ Tài chính đề nghị Ủy ban nhân dân tỉnh rà soát nhu cầu kinh phí, gửi Bộ trước "
        "ngày 30/3/2025.\nNơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n"
        "Võ Thành Hưng"
    )
    assert [r.name for r in d.recipients] == ["Ủy ban nhân dân tỉnh Hà Tĩnh"]


_PLAN_HEAD = """ỦY BAN NHÂN DÂN
THÀNH PHỐ HẢI PHÒNG
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 88/KH-UBND
Hải Phòng, ngày
12 tháng 3 năm 2025
KẾ HOẠCH
THỰC HIỆN CÁC NHIỆM VỤ THUỘC
CHƯƠNG TRÌNH MỤC TIÊU QUỐC GIA XÂY DỰNG NÔNG THÔN MỚI
TRÊN ĐỊA BÀN THÀNH PHỐ
"""
# The body as a PDF text layer prints it: its lines together, a blank line between paragraphs.
_PLAN_BODY = """
Thực hiện Quyết định số 12/QĐ-TTg ngày 05 tháng 01 năm 2025 của Thủ tướng Chính phủ,
Ủy ban nhân dân thành phố ban hành Kế hoạch thực hiện với các nội dung như sau:

I. MỤC ĐÍCH, YÊU CẦU

1. Triển khai kịp thời, đồng bộ và hiệu quả các nhiệm vụ, giải pháp của Chương trình
trên địa bàn thành phố, bảo đảm đúng tiến độ và chất lượng đã đề ra trong năm 2025.

2. Xác định cụ thể nội dung công việc, thời hạn hoàn thành và trách nhiệm của các
sở, ban, ngành và Ủy ban nhân dân các xã, phường trong tổ chức thực hiện."""


@pytest.mark.parametrize(
    "raw",
    [_PLAN_HEAD + _PLAN_BODY, _PLAN_HEAD.replace("\n", "\n\n") + _PLAN_BODY],
    ids=["lines-together", "a-blank-line-after-each-header-line"],
)
def test_a_header_reads_the_same_with_a_blank_line_after_each_line(raw: str) -> None:
    """Where the lines of a header break, and whether a blank line stands between them, is
    layout (ANNOTATION §2 `place`, `issued_date`, `subject`): the day under `ngày` is the
    date's, and a title line opening with `CHƯƠNG TRÌNH` or `MỤC TIÊU` goes on the title
    (a chapter or section heading carries its number: `CHƯƠNG I`, `MỤC 2`)."""
    _, h = _header(raw)
    assert (h.place, h.issued_date) == ("Hải Phòng", "2025-03-12")
    assert h.subject == (
        "THỰC HIỆN CÁC NHIỆM VỤ THUỘC CHƯƠNG TRÌNH MỤC TIÊU QUỐC GIA XÂY DỰNG NÔNG THÔN MỚI "
        "TRÊN ĐỊA BÀN THÀNH PHỐ"
    )


@pytest.mark.parametrize("gap", ["\n", "\n\n"], ids=["next-line", "after-a-blank-line"])
def test_a_title_alone_after_kinh_gui_takes_the_body_on_the_next_line(gap: str) -> None:
    """`Kính gửi: Bộ trưởng` / `Bộ Công Thương`: a title alone names no one; the body it heads
    follows, a blank line between or not (§2 `recipients`; the blank is layout)."""
    d = _letter(
        "VĂN PHÒNG CHÍNH PHỦ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 9120/VPCP-CN\nV/v lộ trình sử dụng nhiên liệu sinh học\n"
        "Hà Nội, ngày 25 tháng 11 năm 2025\n\n"
        f"Kính gửi: Bộ trưởng{gap}Bộ Công Thương\n"
        "Xét đề nghị của Bộ Công Thương tại Tờ trình số 8798/TTr-BCT, Phó Thủ tướng Chính\n"
        "phủ có ý kiến như sau: Bộ Công Thương chủ trì, phối hợp với các bộ liên quan\n"
        "rà soát lộ trình phối trộn nhiên liệu sinh học, báo cáo Thủ tướng Chính phủ\n"
        "trong tháng 12 năm 2025.\n"
        "Văn phòng Chính phủ thông báo để Bộ Công Thương biết, thực hiện./.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. BỘ TRƯỞNG, CHỦ NHIỆM\nPHÓ CHỦ NHIỆM\n"
        "Trần Văn Nam"
    )
    assert [r.name for r in d.recipients] == ["Bộ Công Thương"]


@pytest.mark.parametrize("gap", ["\n", "\n\n"], ids=["lines-together", "a-blank-line-between"])
def test_an_issuer_block_merged_with_the_motto_reads_the_same_past_a_blank_line(gap: str) -> None:
    """`ỦY BAN NHÂN DÂN   CỘNG HÒA …` / `TỈNH LÂM ĐỒNG   Độc lập …`: the two columns run onto one
    line each; a blank line between the block's lines is layout, the block is the province's
    committee either way (§2 `issuer`)."""
    d = _letter(
        f"ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM{gap}"
        f"TỈNH LÂM ĐỒNG Độc lập - Tự do - Hạnh phúc{gap}"
        "Số: 215/UBND-NC Lâm Đồng, ngày 10 tháng 02 năm 2026\n"
        "V/v triển khai Công văn số 427/BCA-C04 của Bộ Công an\n\n"
        "Kính gửi: Công an tỉnh\n\n"
        "Chủ tịch Ủy ban nhân dân tỉnh giao Công an tỉnh nghiên cứu, triển khai rà soát, đề\n"
        "xuất theo yêu cầu tại Công văn số 427/BCA-C04 và gửi trực tiếp văn bản cho Bộ Công\n"
        "an theo thời gian quy định; đồng thời gửi Ủy ban nhân dân tỉnh biết, theo dõi./.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT, NC.\nTL. CHỦ TỊCH\nCHÁNH VĂN PHÒNG\nĐỗ Văn Sơn"
    )
    assert d.issuer is not None
    assert d.issuer.name == "Ủy ban nhân dân tỉnh Lâm Đồng"


@pytest.mark.parametrize("gap", ["\n", "\n\n"], ids=["lines-together", "a-blank-line-between"])
def test_a_signature_block_reads_the_same_with_blank_lines_between_its_lines(gap: str) -> None:
    """`TM. ỦY BAN NHÂN DÂN` / `CHỦ TỊCH` / name: a blank line between the block's lines is
    layout; the position is still the line under the authority (§2 `signer`)."""
    footer = gap.join(["Nơi nhận:", "- Như trên;", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN"])
    signer = _signer(footer + gap + "CHỦ TỊCH" + gap + "Trương Văn An")
    assert (signer.name, signer.title, signer.authority) == (
        "Trương Văn An",
        "Chủ tịch",
        "TM. ỦY BAN NHÂN DÂN",
    )


@pytest.mark.parametrize("gap", ["\n\n", "\n"], ids=["after-a-blank-line", "lines-together"])
def test_the_body_under_kinh_gui_is_no_wrapped_entry_with_or_without_a_blank_line(
    gap: str,
) -> None:
    """`Kính gửi: Công an tỉnh` / `Ủy ban nhân dân tỉnh nhận được Công văn số … của` / `Bộ
    Công an …`, as a page prints it, its lines broken at the measure: a line carried over
    by a break is never much longer than the line it left, so the long line under the
    entry is the body's first, whether a blank line stands between or not (§2 `recipients`:
    the entries after `Kính gửi:`, not the bodies the first paragraph names)."""
    d = _letter(
        "ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\nSố: 415/UBND-NC\nV/v triển khai Công văn số 310/BCA-C04\n"
        "Lâm Đồng, ngày 12 tháng 3 năm 2025\nKính gửi: Công an tỉnh"
        + gap
        + "Ủy ban nhân dân tỉnh nhận được Công văn số 310/BCA-C04 ngày 02/3/2025 của\n"
        "Bộ Công an về việc triển khai công tác phòng, chống ma túy năm 2025.\n"
        "Chủ tịch Ủy ban nhân dân tỉnh giao Công an tỉnh nghiên cứu, triển khai thực hiện.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn Hùng"
    )
    assert [r.name for r in d.recipients] == ["Công an tỉnh"]


def test_a_kinh_gui_line_ending_on_a_comma_goes_on_in_a_longer_line() -> None:
    """`Kính gửi: Sở Y tế, Sở Tài chính,` / `Sở Giáo dục và Đào tạo, Sở Nội vụ, Ủy ban nhân
    dân các huyện.`: the comma says the list goes on, however long the next line (§2
    `recipients`: every entry after `Kính gửi:`)."""
    d = _letter(
        "ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\nSố: 415/UBND-VX\nV/v phòng, chống dịch sốt xuất huyết\n"
        "Lâm Đồng, ngày 12 tháng 3 năm 2025\nKính gửi: Sở Y tế, Sở Tài chính,\n"
        "Sở Giáo dục và Đào tạo, Sở Nội vụ, Ủy ban nhân dân các huyện.\n"
        "Chủ tịch Ủy ban nhân dân tỉnh giao Sở Y tế chủ trì triển khai công tác phòng dịch.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn Hùng"
    )
    assert [r.name for r in d.recipients][:4] == [
        "Sở Y tế",
        "Sở Tài chính",
        "Sở Giáo dục và Đào tạo",
        "Sở Nội vụ",
    ]


def test_the_southern_kinh_goi_opens_the_recipients_list() -> None:
    """`Kính gởi:` is the southern spelling of `Kính gửi:` (lexicon `address_openings`):
    its entries are the letter's recipients (ANNOTATION §2 recipients)."""
    raw = (
        "ỦY BAN NHÂN DÂN\nTỈNH VĨNH LONG\nSố: 12/UBND-VX\nV/v tăng cường kiểm tra\n\n"
        "Kính gởi:\n- Sở Y tế;\n- Sở Công Thương.\n\n"
        "Ủy ban nhân dân tỉnh đề nghị Sở Y tế kiểm tra an toàn thực phẩm.\n"
    )
    found = _recipients(raw, "Ủy ban nhân dân tỉnh Vĩnh Long")
    assert [a.name for a in found] == ["Sở Y tế", "Sở Công Thương"]
