"""Ruled tables in digital PDFs: pdfplumber's table finder against our grid
from PDFium's path objects (`vanban.pipeline.load_pdf`), on PDFs built here with a
known truth and on the real dev letter.

    python -m benchmarks.bench_pdf_tables [--runs N] [--out FILE] [--keep DIR]

Cases (each a letter page or more with a task table `STT | Nội dung | Cơ
quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành`, a borderless
two-column header above it and body text around it):

- `pdfium_stroked`: drawn with PDFium, borders as stroked line paths, cells
  wrapped over 2-3 lines, section rows merged across four columns, one lead
  agency merged across two rows;
- `pdfium_filled`: the same table, borders as 0.5 pt filled rectangles (as
  Word's "Save as PDF" draws them);
- `libreoffice`: a DOCX built with python-docx (Table Grid style, merged
  cells, text that LibreOffice wraps itself, a table over two pages)
  converted by `soffice --headless --convert-to pdf` (skipped without it);
- `real_hanoi_kh_173`: data/corpus/dev/pdf/hanoi_kh_173_festival.pdf, which
  has no table (only underlines and highlight fills): any cell is a false one.

A cell is its text with white space collapsed; precision and recall count
cells (as a multiset) of every table found against the truth. A table over a
page break is one table for us and one per page for pdfplumber: cells count
the same either way. Time is the median of `--runs` runs, per page: for
pdfplumber, opening the file and `find_tables()` + `extract()` on every page;
for ours, the ruling scan + `find_grids` every page pays, and the whole
`load_pdf` (text, boxes, tables) for comparison.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402
import pypdfium2.raw as pdfium_c  # noqa: E402

from vanban.pipeline.load_pdf import _rulings, load_pdf  # noqa: E402
from vanban.pipeline.pdf_layout import find_grids  # noqa: E402

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
REAL = ROOT / "data" / "corpus" / "dev" / "pdf" / "hanoi_kh_173_festival.pdf"
HEADER = ["STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"]

Truth = list[list[list[str]]]  # tables -> rows -> cell texts

# --- a table spec: rows of cells (first column, columns spanned, rows spanned, lines)


@dataclass
class Cell:
    col: int
    lines: list[str]
    cols: int = 1
    rows: int = 1


TASK_ROWS: list[list[Cell]] = [
    [
        Cell(0, ["STT"]),
        Cell(1, ["Nội dung"]),
        Cell(2, ["Cơ quan chủ trì"]),
        Cell(3, ["Cơ quan phối hợp"]),
        Cell(4, ["Thời gian", "hoàn thành"]),
    ],
    [Cell(0, ["I"]), Cell(1, ["KIỆN TOÀN TỔ CHỨC BỘ MÁY"], cols=4)],
    [
        Cell(0, ["1"]),
        Cell(1, ["Rà soát, sắp xếp các phòng chuyên", "môn thuộc Ủy ban nhân dân quận"]),
        Cell(2, ["Sở Nội vụ"], rows=2),
        Cell(3, ["UBND các quận,", "huyện"]),
        Cell(4, ["Quý II/2026"]),
    ],
    [
        Cell(0, ["2"]),
        Cell(1, ["Xây dựng đề án vị trí việc làm"]),
        Cell(3, ["Sở Tài chính"]),
        Cell(4, ["Tháng 6/2026"]),
    ],
    [Cell(0, ["II"]), Cell(1, ["CẢI CÁCH HÀNH CHÍNH"], cols=4)],
    [
        Cell(0, ["3"]),
        Cell(
            1, ["Công bố danh mục thủ tục hành", "chính được chuẩn hóa trên Cổng", "dịch vụ công"]
        ),
        Cell(2, ["Văn phòng UBND", "thành phố"]),
        Cell(3, ["Các sở, ngành"]),
        Cell(4, ["Trước ngày", "30/6/2026"]),
    ],
]
WIDTHS = [32, 190, 100, 100, 88]


def spec_truth(rows: list[list[Cell]]) -> Truth:
    return [[[" ".join(c.lines) for c in row] for row in rows]]


# --- PDFs drawn with PDFium ------------------------------------------------------


class Canvas:
    def __init__(self) -> None:
        self.doc = pdfium.PdfDocument.new()
        data = FONT.read_bytes()
        self._data = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
        self.font = pdfium_c.FPDFText_LoadFont(
            self.doc, self._data, len(data), pdfium_c.FPDF_FONT_TRUETYPE, True
        )
        self.page = self.doc.new_page(595, 842)

    def text(self, s: str, x: float, y: float, size: float = 10, center: bool = False) -> None:
        obj = pdfium_c.FPDFPageObj_CreateTextObj(self.doc, self.font, size)
        wide = ctypes.create_string_buffer((s + "\0").encode("utf-16-le"))
        pdfium_c.FPDFText_SetText(obj, ctypes.cast(wide, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
        if center:
            x -= 0.27 * size * len(s)  # about half the width, enough for a header column
        pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
        pdfium_c.FPDFPage_InsertObject(self.page, obj)

    def line(self, x0: float, y0: float, x1: float, y1: float, filled: bool) -> None:
        if filled:  # a 0.5 pt filled rectangle
            w, h = max(x1 - x0, 0.5), max(y1 - y0, 0.5)
            obj = pdfium_c.FPDFPageObj_CreateNewRect(x0 - 0.25, y0 - 0.25, w, h)
            pdfium_c.FPDFPath_SetDrawMode(obj, pdfium_c.FPDF_FILLMODE_WINDING, False)
        else:
            obj = pdfium_c.FPDFPageObj_CreateNewPath(x0, y0)
            pdfium_c.FPDFPath_LineTo(obj, x1, y1)
            pdfium_c.FPDFPageObj_SetStrokeWidth(obj, 0.6)
            pdfium_c.FPDFPath_SetDrawMode(obj, pdfium_c.FPDF_FILLMODE_NONE, True)
        pdfium_c.FPDFPage_InsertObject(self.page, obj)

    def save(self, path: Path) -> Path:
        self.page.gen_content()
        self.doc.save(path)
        return path


def draw_table(
    c: Canvas, rows: list[list[Cell]], widths: list[float], x: float, top: float, filled: bool
) -> float:
    """Draw the table with its top-left at (x, top); the y of its bottom."""
    lead = 13.0
    lefts = [x + sum(widths[:k]) for k in range(len(widths) + 1)]
    heights = [max(len(cell.lines) for cell in row if cell.rows == 1) * lead + 8 for row in rows]
    tops = [top - sum(heights[:k]) for k in range(len(rows) + 1)]
    for i, row in enumerate(rows):
        for cell in row:
            x0, x1 = lefts[cell.col], lefts[cell.col + cell.cols]
            y1, y0 = tops[i], tops[i + cell.rows]
            for k, line in enumerate(cell.lines):
                c.text(line, x0 + 4, y1 - 4 - 10 - k * lead)
            c.line(x0, y1, x1, y1, filled)
            c.line(x0, y0, x1, y0, filled)
            c.line(x0, y0, x0, y1, filled)
            c.line(x1, y0, x1, y1, filled)
    return tops[-1]


def letter_head(c: Canvas, underline: bool) -> None:
    """A borderless two-column header and a title (not a table)."""
    c.text("ỦY BAN NHÂN DÂN", 150, 790, 10.5, center=True)
    c.text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 410, 790, 10, center=True)
    c.text("THÀNH PHỐ HÀ NỘI", 150, 776, 10.5, center=True)
    c.text("Độc lập - Tự do - Hạnh phúc", 410, 776, 11, center=True)
    if underline:
        c.line(345, 771, 475, 771, filled=False)
        c.line(120, 771, 180, 771, filled=False)
    c.text("Số: 173/KH-UBND", 150, 750, 11, center=True)
    c.text("Hà Nội, ngày 28 tháng 4 năm 2026", 410, 750, 11, center=True)
    c.text("KẾ HOẠCH", 297, 715, 12, center=True)
    c.text("Các nhiệm vụ cụ thể được giao như sau:", 60, 690, 11)


def pdfium_case(path: Path, filled: bool) -> Path:
    c = Canvas()
    letter_head(c, underline=True)
    bottom = draw_table(c, TASK_ROWS, WIDTHS, 50, 675, filled)
    c.text("Các cơ quan, đơn vị báo cáo kết quả trước ngày 15/7/2026.", 60, bottom - 25, 11)
    return c.save(path)


# --- a DOCX converted by LibreOffice ----------------------------------------------

LO_TASKS = [
    (
        "Rà soát, sắp xếp các phòng chuyên môn, đơn vị sự nghiệp công lập thuộc "
        "Ủy ban nhân dân các quận, huyện, thị xã bảo đảm tinh gọn, hiệu lực, hiệu quả",
        "Sở Nội vụ",
        "UBND các quận, huyện, thị xã",
        "Quý II/2026",
    ),
    (
        "Xây dựng đề án vị trí việc làm và cơ cấu ngạch công chức",
        "Sở Nội vụ",
        "Sở Tài chính",
        "Tháng 6/2026",
    ),
    (
        "Công bố danh mục thủ tục hành chính được chuẩn hóa trên Cổng dịch vụ "
        "công quốc gia và Cổng dịch vụ công thành phố",
        "Văn phòng UBND thành phố",
        "Các sở, ngành",
        "Trước ngày 30/6/2026",
    ),
    (
        "Triển khai hệ thống thông tin giải quyết thủ tục hành chính dùng chung",
        "Sở Khoa học và Công nghệ",
        "Văn phòng UBND thành phố",
        "Năm 2026",
    ),
    (
        "Kiểm tra công tác cải cách hành chính tại các sở, ngành và UBND cấp huyện",
        "Sở Nội vụ",
        "Các cơ quan liên quan",
        "Quý III/2026",
    ),
]


def lo_truth() -> Truth:
    rows = [HEADER]
    n = 0
    for section in range(4):
        rows.append([["I", "II", "III", "IV"][section], f"NHÓM NHIỆM VỤ SỐ {section + 1}"])
        for k, (content, lead, partner, when) in enumerate(LO_TASKS):
            n += 1
            if section == 0 and k == 1:  # lead merged with the row above
                rows.append([str(n), content, partner, when])
            else:
                rows.append([str(n), content, lead, partner, when])
    return [rows]


def build_docx(path: Path) -> Path:
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    d = docx.Document()
    d.styles["Normal"].font.name = "DejaVu Serif"
    d.styles["Normal"].font.size = Pt(11)
    head = d.add_table(rows=2, cols=2)  # borderless: the default style prints none
    for r, (left, right) in enumerate(
        [
            ("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập"),
            ("Số: 173/KH-UBND", "Hà Nội, ngày 28 tháng 4 năm 2026"),
        ]
    ):
        head.cell(r, 0).text, head.cell(r, 1).text = left, right
    d.add_paragraph("KẾ HOẠCH")
    d.add_paragraph("Các nhiệm vụ cụ thể được giao như sau:")
    truth = lo_truth()[0]
    widths = [Cm(1.2), Cm(6.5), Cm(3.2), Cm(3.2), Cm(2.6)]
    table = d.add_table(rows=len(truth), cols=5)
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid LibreOffice lays out from
        for cell in column.cells:
            cell.width = width
    for i, texts in enumerate(truth):
        cells = table.rows[i].cells
        if len(texts) == 2:  # a section row: one cell over four columns
            cells[0].text = texts[0]
            cells[1].merge(cells[4]).text = texts[1]
            continue
        slots = (0, 1, 3, 4) if len(texts) == 4 else range(5)
        for j, t in zip(slots, texts, strict=True):
            cells[j].text = t
        if len(texts) == 4:  # lead agency merged with the row above
            top = table.rows[i - 1].cells[2]
            lead = top.text
            top.merge(cells[2]).text = lead
    for row in table.rows:
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(tr_pr.makeelement(qn("w:cantSplit"), {}))  # a row stays on one page
    d.add_paragraph("Các cơ quan, đơn vị báo cáo kết quả trước ngày 15/7/2026.")
    d.save(path)
    return path


def libreoffice_case(path: Path) -> Path | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    source = build_docx(path.with_suffix(".docx"))
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(path.parent), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return path


# --- the two methods -------------------------------------------------------------


def norm(text: str | None) -> str:
    return " ".join((text or "").split())


def plumber_tables(path: Path) -> Truth:
    import pdfplumber

    out: Truth = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for table in page.find_tables():
                rows = [[norm(c) for c in row if c is not None] for row in table.extract()]
                out.append([row for row in rows if row])
    return out


def ours_tables(path: Path) -> Truth:
    raw = load_pdf(path)
    return [[[norm(raw.text[s:e]) for s, e in row] for row in t.rows] for t in raw.tables]


def ours_detect(path: Path) -> int:
    """Only what every page pays: the ruling scan and the grid."""
    doc = pdfium.PdfDocument(path)
    try:
        found = 0
        for i in range(len(doc)):
            page = doc[i]
            found += len(find_grids(_rulings(page)))
            page.close()
        return found
    finally:
        doc.close()


def score(found: Truth, truth: Truth) -> dict[str, float | int]:
    got = Counter(c for table in found for row in table for c in row)
    want = Counter(c for table in truth for row in table for c in row)
    hit = sum((got & want).values())
    n_got, n_want = sum(got.values()), sum(want.values())
    rows_got = Counter(tuple(row) for table in found for row in table)
    rows_want = Counter(tuple(row) for table in truth for row in table)
    return {
        "tables": len(found),
        "rows_exact": f"{sum((rows_got & rows_want).values())}/{sum(rows_want.values())}",
        "rows_found": sum(rows_got.values()),
        "cells_found": n_got,
        "cells_true": n_want,
        "precision": round(hit / n_got, 3) if n_got else 1.0,
        "recall": round(hit / n_want, 3) if n_want else 1.0,
        "missed": sorted((want - got).elements())[:6],
        "extra": sorted((got - want).elements())[:6],
    }


def ms_per_page(fn: Callable[[Path], object], path: Path, pages: int, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn(path)
        times.append(time.perf_counter() - t)
    return round(1000 * statistics.median(times) / pages, 2)


def cases(work: Path) -> list[tuple[str, Path, Truth]]:
    out = [
        ("pdfium_stroked", pdfium_case(work / "stroked.pdf", False), spec_truth(TASK_ROWS)),
        ("pdfium_filled", pdfium_case(work / "filled.pdf", True), spec_truth(TASK_ROWS)),
    ]
    lo = libreoffice_case(work / "task_table.pdf")
    if lo is not None:
        out.append(("libreoffice", lo, lo_truth()))
    if REAL.exists():
        out.append(("real_hanoi_kh_173", REAL, []))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", type=Path, help="write the results as JSON here")
    ap.add_argument("--keep", type=Path, help="keep the generated PDFs in this folder")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        results = []
        for name, path, truth in cases(work):
            pages = len(pdfium.PdfDocument(path))
            row = {"case": name, "pages": pages}
            row["pdfplumber"] = score(plumber_tables(path), truth)
            row["pdfplumber"]["ms_page"] = ms_per_page(plumber_tables, path, pages, args.runs)
            row["ours"] = score(ours_tables(path), truth)
            row["ours"]["ms_page_detect"] = ms_per_page(ours_detect, path, pages, args.runs)
            row["ours"]["ms_page_load_pdf"] = ms_per_page(load_pdf, path, pages, args.runs)
            results.append(row)
            print(json.dumps(row, ensure_ascii=False))
    if args.out:
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
