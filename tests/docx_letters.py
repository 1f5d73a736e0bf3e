"""Build Vietnamese official letters as .docx, laid out the way offices do in Word.

The header is a borderless two-column table (issuer and `Số:`/`V/v` on the
left; motto and place/date on the right), the footer another (`Nơi nhận:`
list | signature block), and body items are Word auto-numbered paragraphs
(`1.` at level 0, `a)` at level 1) defined in numbering.xml, so the markers
are not in the text: exactly what `vanban.pipeline.load_docx` must cope with.

`reading_lines(letter)` is the same letter as plain text in reading order,
the oracle the loader's output is compared with.

Rebuild the sample letters for `make run`:

    .venv/bin/python -m tests.docx_letters data/samples
"""

from __future__ import annotations

import re
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus" / "dev" / "raw"
# Fixed ZIP timestamps, so rebuilding an unchanged sample gives the same bytes.
_ZIP_TIME = (2026, 1, 1, 0, 0, 0)


@dataclass
class Item:
    """A body paragraph numbered by Word: level 0 prints `1.`, level 1 `a)`."""

    text: str
    level: int = 0


@dataclass
class Letter:
    issuer: list[str]  # header, top left: "VĂN PHÒNG CHÍNH PHỦ", "-------"
    motto: list[str]  # header, top right: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", ...
    number: str  # header, bottom left: "Số: 3722/VPCP-CN"
    subject: list[str]  # under the number: "V/v ..."
    place_date: str  # header, bottom right: "Hà Nội, ngày 28 tháng 4 năm 2026"
    recipients: list[str]  # "Kính gửi:" and its list, as printed
    body: list[str | Item]
    cc: list[str]  # footer left: "Nơi nhận:" and its list
    signature: list[str]  # footer right; "" is the blank space left for signing
    title: str = ""  # core properties
    author: str = ""
    created: datetime | None = None
    page_header: str = ""  # text of the Word page header (not part of the letter)


LETTER_3722 = Letter(
    issuer=["VĂN PHÒNG CHÍNH PHỦ", "-------"],
    motto=["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "---------------"],
    number="Số: 3722/VPCP-CN",
    subject=["V/v cơ chế đặc thù xây dựng công trình khẩn cấp đối với Dự án kéo dài tuyến Metro"],
    place_date="Hà Nội, ngày 28 tháng 4 năm 2026",
    recipients=[
        "Kính gửi:",
        "- Các Bộ: Công an, Tư pháp, Tài chính, Xây dựng;",
        "- Ủy ban nhân dân tỉnh Đồng Nai.",
    ],
    body=[
        "Xét đề nghị của Ủy ban nhân dân tỉnh Đồng Nai tại văn bản số 92/TTr-UBND ngày "
        "21 tháng 4 năm 2026, Phó Thủ tướng Thường trực Chính phủ có ý kiến như sau:",
        Item("Giao Bộ Xây dựng chủ trì, phối hợp với các cơ quan liên quan:"),
        Item("rà soát hồ sơ Dự án trước ngày 10 tháng 5 năm 2026;", 1),
        Item("báo cáo Thủ tướng Chính phủ kết quả rà soát.", 1),
        Item("Giao Bộ Tư pháp có ý kiến về cơ chế đặc thù:"),
        Item("về thẩm quyền ban hành;", 1),
        Item("về trình tự, thủ tục.", 1),
        "Văn phòng Chính phủ thông báo để các Bộ, cơ quan biết, thực hiện./.",
    ],
    cc=["Nơi nhận:", "- Như trên;", "- Thủ tướng, các PTTg (để b/c);", "- Lưu: VT, CN."],
    signature=["KT. BỘ TRƯỞNG, CHỦ NHIỆM", "PHÓ CHỦ NHIỆM", "", "", "Phạm Mạnh Cường"],
    title="Cơ chế đặc thù Dự án Metro",
    author="Văn phòng Chính phủ",
    created=datetime(2026, 4, 28, 8, 30),
)


def nested_tables_docx(path: Path) -> Path:
    """A table with a cell merged across, one merged down and a table nested in a
    cell, then a paragraph: the shapes a reader of Word tables must get right."""
    document = docx.Document()
    outer = document.add_table(rows=2, cols=3)
    outer.cell(0, 0).merge(outer.cell(0, 1)).text = "ô gộp ngang"  # gridSpan
    outer.cell(0, 2).merge(outer.cell(1, 2)).text = "ô gộp dọc"  # vMerge
    cell = outer.cell(1, 0)
    cell.text = "trước bảng lồng"
    inner = cell.add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "lồng trái"
    inner.cell(0, 1).text = "lồng phải"
    cell.add_paragraph("sau bảng lồng")
    outer.cell(1, 1).text = "ô thường"
    document.add_paragraph("sau bảng")
    document.save(str(path))
    return path


def body_lines(body: Sequence[str | Item]) -> list[str]:
    """Body as printed: Word's `%1.` at level 0 and `%2)` at level 1 (a..z, restarting)."""
    lines: list[str] = []
    counts = [0, 0]
    for entry in body:
        if isinstance(entry, Item):
            counts[entry.level] += 1
            if entry.level == 0:
                counts[1] = 0
                lines.append(f"{counts[0]}. {entry.text}")
            else:
                lines.append(f"{chr(ord('a') + counts[1] - 1)}) {entry.text}")
        else:
            lines.append(entry)
    return lines


def reading_lines(letter: Letter) -> list[str]:
    """The letter as text in reading order: what the loader should give."""
    return [
        *letter.issuer,
        *letter.motto,
        letter.number,
        *letter.subject,
        letter.place_date,
        *letter.recipients,
        *body_lines(letter.body),
        *letter.cc,
        *letter.signature,
    ]


# -- Word numbering definitions, written into numbering.xml with python-docx's oxml


def add_list_definition(
    document: DocxDocument,
    levels: Sequence[tuple[str, str]] = (("decimal", "%1."), ("lowerLetter", "%2)")),
    *,
    start: int = 1,
) -> int:
    """Add a `w:abstractNum` with `(numFmt, lvlText)` per level; return its id."""
    numbering = document.part.numbering_part.element
    existing = numbering.findall(qn("w:abstractNum"))
    abstract_id = max((int(a.get(qn("w:abstractNumId"))) for a in existing), default=-1) + 1
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:suff w:val="space"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="0" w:firstLine="{567 * (i + 1)}"/></w:pPr></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        f'<w:multiLevelType w:val="multilevel"/>{lvls}</w:abstractNum>'
    )
    # Schema order: every w:abstractNum before the first w:num.
    if existing:
        existing[-1].addnext(abstract)
    else:
        first_num = numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
    return abstract_id


def add_list(
    document: DocxDocument, abstract_id: int, start_overrides: dict[int, int] | None = None
) -> int:
    """Add a list instance (`w:num`) of a definition; return its numId."""
    num = document.part.numbering_part.element.add_num(abstract_id)
    for ilvl, value in (start_overrides or {}).items():
        num.add_lvlOverride(ilvl=ilvl).add_startOverride(value)
    return int(num.numId)


def number_paragraph(paragraph: Paragraph, num_id: int, level: int = 0) -> Paragraph:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id
    return paragraph


# -- layout


def borderless(table: Table) -> Table:
    """No borders, whatever the table style says (header and footer tables print none)."""
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblBorders")):
        tbl_pr.remove(old)
    edges = "".join(
        f'<w:{edge} w:val="nil"/>'
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    borders = parse_xml(f"<w:tblBorders {nsdecls('w')}>{edges}</w:tblBorders>")
    # Word rejects a file whose tblPr children are out of schema order.
    tbl_pr.insert_element_before(
        borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption"
    )
    return table


def fill_cell(
    cell: _Cell,
    lines: Sequence[str],
    *,
    bold: int = 0,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
) -> None:
    """One paragraph per line; the first `bold` lines bold."""
    for i, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        paragraph.alignment = align
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(line)
        run.bold = i < bold
        run.italic = italic


def _two_columns(document: DocxDocument, rows: int, widths: tuple[float, float]) -> Table:
    table = borderless(document.add_table(rows=rows, cols=2))
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    return table


def new_letter_document() -> DocxDocument:
    """A4, margins and font of Decree 30/2020 (Times New Roman 14)."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.top_margin = section.bottom_margin = Cm(2)
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Times New Roman")
    return document


def build_letter_docx(path: Path | str, letter: Letter) -> Path:
    """Write `letter` as a .docx laid out like a real Word letter; return the path."""
    path = Path(path)
    document = new_letter_document()
    if letter.page_header:
        document.sections[0].header.paragraphs[0].text = letter.page_header

    header = _two_columns(document, 2, (6.0, 10.0))
    fill_cell(header.cell(0, 0), letter.issuer, bold=len(letter.issuer))
    fill_cell(header.cell(0, 1), letter.motto, bold=len(letter.motto))
    fill_cell(header.cell(1, 0), [letter.number, *letter.subject])
    fill_cell(header.cell(1, 1), [letter.place_date], italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT)

    for line in letter.recipients:
        document.add_paragraph(line).paragraph_format.left_indent = Cm(2)

    num_id = None
    if any(isinstance(entry, Item) for entry in letter.body):
        num_id = add_list(document, add_list_definition(document))
    for entry in letter.body:
        if isinstance(entry, Item):
            assert num_id is not None
            number_paragraph(document.add_paragraph(entry.text), num_id, entry.level)
        else:
            document.add_paragraph(entry).paragraph_format.first_line_indent = Cm(1)

    footer = _two_columns(document, 1, (8.0, 8.0))
    fill_cell(footer.cell(0, 0), letter.cc, bold=1, align=WD_ALIGN_PARAGRAPH.LEFT)
    if letter.signature:
        fill_cell(footer.cell(0, 1), letter.signature, bold=len(letter.signature))

    core = document.core_properties
    core.title, core.author = letter.title, letter.author
    core.comments = ""
    if letter.created is not None:
        core.created = core.modified = letter.created
    document.save(str(path))
    _fix_zip_times(path)
    return path


def _fix_zip_times(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            archive.writestr(zipfile.ZipInfo(info.filename, _ZIP_TIME), data, zipfile.ZIP_DEFLATED)


# -- real letters (corpus text) to `Letter`

_MOTTO = re.compile(r"^CỘNG H[OÒ][AÀ] XÃ HỘI", re.I)
_PLACE_DATE = re.compile(r"^[^,]{2,40}, ngày \d")
_ITEM = re.compile(r"^(\d+)\.\s+(.*)$|^([a-z])\)\s+(.*)$")


def letter_from_text(text: str) -> Letter:
    """Split a plain-text letter (header lines, body, `Nơi nhận:`, signer) into a `Letter`.

    Made for the layout of the dev corpus: issuer lines, motto, `Số:`, `V/v`
    lines, place and date, `Kính gửi:` with `-` lines, body, `Nơi nhận:` with
    `-` lines, signer. Blank lines are dropped except inside the signature.
    """
    lines = [line.strip() for line in text.splitlines()]
    motto_at = next(i for i, line in enumerate(lines) if _MOTTO.match(line))
    number_at = next(i for i in range(motto_at, len(lines)) if lines[i].startswith("Số"))
    date_at = next(i for i in range(number_at, len(lines)) if _PLACE_DATE.match(lines[i]))
    cc_at = next(i for i in range(date_at, len(lines)) if lines[i].startswith("Nơi nhận"))
    cc_end = cc_at + 1
    while cc_end < len(lines) and lines[cc_end].startswith(("-", "+")):
        cc_end += 1

    def solid(start: int, end: int) -> list[str]:
        return [line for line in lines[start:end] if line]

    body = solid(date_at + 1, cc_at)
    recipients = []
    if body and body[0].startswith("Kính gửi"):
        recipients.append(body.pop(0))
        while body and body[0].startswith(("-", "+")):
            recipients.append(body.pop(0))
    signature = (
        "\n".join(lines[cc_end:]).strip("\n").split("\n") if solid(cc_end, len(lines)) else []
    )
    subject = solid(number_at + 1, date_at)
    issuer = solid(0, motto_at)
    return Letter(
        issuer=issuer,
        motto=solid(motto_at, number_at),
        number=lines[number_at],
        subject=subject,
        place_date=lines[date_at],
        recipients=recipients,
        body=_numbered(body),
        cc=lines[cc_at:cc_end],
        signature=signature,
        title=" ".join(subject).removeprefix("V/v ").strip(),
        author=issuer[0],
    )


def _numbered(lines: list[str]) -> list[str | Item]:
    """Typed `1.`/`a)` items become Word-numbered, if Word would print the same markers."""
    body: list[str | Item] = []
    for line in lines:
        m = _ITEM.match(line)
        if m is None:
            body.append(line)
        elif m.group(1):
            body.append(Item(m.group(2), 0))
        else:
            body.append(Item(m.group(4), 1))
    # `đ)` after `d)`, or numbering that skips, is not what Word would print: keep it typed.
    return body if body_lines(body) == lines else list(lines)


# sample file -> (corpus letter, creation date for its core properties)
SAMPLE_SOURCES = {
    "cv_3722_vpcp.docx": ("024.txt", datetime(2026, 4, 28)),
    "cv_8664_vpcp.docx": ("000_0284457f90b6ede2.txt", datetime(2025, 9, 14)),
}


def build_samples(out_dir: Path | str) -> list[Path]:
    """The sample letters of `make run`, from the real letters of the dev corpus."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    built = []
    for name, (source, created) in SAMPLE_SOURCES.items():
        letter = letter_from_text((CORPUS / source).read_text(encoding="utf-8"))
        letter.created = created
        built.append(build_letter_docx(out_dir / name, letter))
    return built


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    for path in build_samples(args[0] if args else ROOT / "data" / "samples"):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
