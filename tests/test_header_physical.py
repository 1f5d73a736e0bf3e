"""Number and trích yếu (ANNOTATION.md §2 `number`, `subject`) read from the physical
forms letters come in: Word files whose header is a borderless two-column table and
whose paragraphs stand with no blank line between them, and PDFs drawn as offices
print them. Each letter is invented and built in the test; `load` then `extract`
read it end to end, as a batch does. Text forms of the same behaviours are rows of
`tests/header_cases.tsv`.
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement

from tests.docx_letters import borderless, fill_cell, new_letter_document
from tests.test_load_pdf import Builder
from vanban.pipeline.extract import extract
from vanban.pipeline.load import load
from vanban.schemas import Document

ISSUER = ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG BÌNH", "-------"]
MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "---------------"]
DATE = "Quảng Bình, ngày 9 tháng 3 năm 2027"
CLOSE = ["Ủy ban nhân dân tỉnh đề nghị các sở, ngành triển khai thực hiện./."]
CC = ["Nơi nhận:", "- Như trên;", "- Lưu: VT."]
SIGN = ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Lê Văn Bình"]


def _docx(path: Path, rows: list[tuple[list[str], list[str]]], paragraphs: list[str]) -> Document:
    """A Word letter: the header table `rows` (left cell | right cell), then one
    paragraph a line (no blank paragraphs, as Word letters are typed), then the
    footer table; read back through `load` and `extract`."""
    document = new_letter_document()
    header = borderless(document.add_table(rows=len(rows), cols=2))
    for i, (left, right) in enumerate(rows):
        fill_cell(header.cell(i, 0), left)
        fill_cell(header.cell(i, 1), right, align=WD_ALIGN_PARAGRAPH.RIGHT)
    for line in [*paragraphs, *CLOSE]:
        document.add_paragraph(line)
    footer = borderless(document.add_table(rows=1, cols=2))
    fill_cell(footer.cell(0, 0), CC, align=WD_ALIGN_PARAGRAPH.LEFT)
    fill_cell(footer.cell(0, 1), SIGN)
    document.save(str(path))
    return extract(load(path))


def test_a_word_plan_whose_title_in_capitals_runs_straight_into_its_first_section(
    tmp_path: Path,
) -> None:
    # Word keeps no blank line between the trích yếu and the heading of the first
    # section when the heading carries no number of its own.
    doc = _docx(
        tmp_path / "kh.docx",
        [(ISSUER, MOTTO), (["Số: 41/KH-UBND"], [DATE])],
        [
            "KẾ HOẠCH",
            "THỰC HIỆN CÔNG TÁC DÂN TỘC",
            "TRÊN ĐỊA BÀN TỈNH NĂM 2027",
            "MỤC ĐÍCH, YÊU CẦU",
            "Bảo đảm triển khai đồng bộ, hiệu quả.",
        ],
    )
    assert (doc.number, doc.doc_type) == ("41/KH-UBND", "Kế hoạch")
    assert doc.subject == "THỰC HIỆN CÔNG TÁC DÂN TỘC TRÊN ĐỊA BÀN TỈNH NĂM 2027"


def test_a_word_number_typed_with_a_non_breaking_hyphen_is_whole(tmp_path: Path) -> None:
    # Ctrl+Shift+- keeps `KT` on the line of `UBND`: Word stores a w:noBreakHyphen.
    document = new_letter_document()
    header = borderless(document.add_table(rows=2, cols=2))
    fill_cell(header.cell(0, 0), ISSUER)
    fill_cell(header.cell(0, 1), MOTTO)
    cell = header.cell(1, 0).paragraphs[0]
    cell.add_run("Số: 615/UBND")
    cell.add_run()._r.append(OxmlElement("w:noBreakHyphen"))
    cell.add_run("KT")
    header.cell(1, 0).add_paragraph("V/v rà soát nhu cầu vốn năm 2027")
    fill_cell(header.cell(1, 1), [DATE])
    document.add_paragraph("Kính gửi: Sở Tài chính.")
    document.add_paragraph(CLOSE[0])
    path = tmp_path / "cv.docx"
    document.save(str(path))
    doc = extract(load(path))
    assert (doc.number, doc.subject) == ("615/UBND-KT", "rà soát nhu cầu vốn năm 2027")


def test_a_word_telegram_marked_urgent_keeps_its_subject(tmp_path: Path) -> None:
    doc = _docx(
        tmp_path / "cd.docx",
        [(ISSUER, MOTTO), (["Số: 03/CĐ-UBND"], [DATE])],
        [
            "CÔNG ĐIỆN HỎA TỐC",
            "Về việc ứng phó với áp thấp nhiệt đới",
            "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH điện:",
            "- Chủ tịch Ủy ban nhân dân các huyện, thị xã, thành phố.",
        ],
    )
    assert (doc.doc_type, doc.subject) == ("Công điện", "Về việc ứng phó với áp thấp nhiệt đới")


def test_a_pdf_number_whose_hyphen_is_a_minus_sign_is_whole(font: Path, tmp_path: Path) -> None:
    # Some PDF producers print the code's hyphen as U+2212; PDFium gives it back as such.
    b = Builder(font)
    page = b.page()
    for text, x, y in [
        ("BỘ XÂY DỰNG", 150, 790),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 410, 790),
        ("-------", 150, 776),
        ("Độc lập - Tự do - Hạnh phúc", 410, 776),
        ("Số: 2207/BXD−QLN", 150, 750),
        ("Hà Nội, ngày 9 tháng 3 năm 2027", 410, 750),
        ("V/v hướng dẫn phát triển nhà ở xã hội", 150, 736),
        ("Kính gửi: Ủy ban nhân dân các tỉnh, thành phố.", 297, 700),
    ]:
        b.text(page, text, x, y, 11, center=True)
    b.text(page, "Bộ Xây dựng đề nghị các địa phương thực hiện./.", 70, 670, 12)
    doc = extract(load(b.save(tmp_path / "cv.pdf")))
    assert (doc.number, doc.subject) == ("2207/BXD-QLN", "hướng dẫn phát triển nhà ở xã hội")
