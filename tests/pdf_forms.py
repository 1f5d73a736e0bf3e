"""Task tables laid out in PDF the ways provincial offices print them (ANNOTATION §3 rule 6).

`Form` writes a letter with PDFium (the loader tests' `Builder`): the two-column header, a
lead-in line, a table, closing lines and the signature block, flowing over pages. The table
is rows of `Cell`s, HTML-like (a cell merged over rows or columns appears once, in its top
left place, and the places it covers are left out of the rows under or beside it), ruled
in full (each cell's box, so a merged cell has no ruling across it), with horizontal rules
only, or with none (columns aligned by position alone). A table taller than the page goes
on on the next one, its header row printed again or not, and a row that does not fit is
either moved whole to the next page or split there line by line, as Word does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from tests.test_pdf_tables import Builder

LINE = 13  # points from one line of a cell to the next
PAD = 8  # a row's height beyond its lines
CHAR = 0.6  # a generous average glyph width, as a fraction of the font size
MARGIN = 60  # bottom margin: a row that would reach lower goes on to the next page


@dataclass
class Cell:
    lines: list[str]
    rows: int = 1  # rowspan
    cols: int = 1  # colspan
    size: float = 10


def cell(*lines: str, rows: int = 1, cols: int = 1) -> Cell:
    return Cell(list(lines), rows, cols)


def row_of(*cells: str | Cell) -> list[Cell]:
    """A row from plain strings (one line each, `\\n` splitting lines) and `Cell`s."""
    return [c if isinstance(c, Cell) else Cell(c.split("\n")) for c in cells]


@dataclass
class Table:
    widths: list[float]
    head: list[list[Cell]]  # header rows (repeated on each page when `repeat_head`)
    body: list[list[Cell]]
    # "full" (each border a path of its own), "one-path" (all borders of a page's rows thin
    # filled rectangles in one path object), "horizontal" (between rows only), "none"
    rules: str = "full"
    repeat_head: bool = True
    split_rows: bool = False  # a row that does not fit is split over the page break
    x0: float = 50


@dataclass
class Form:
    """A letter around one task table; `landscape` pages for the table's pages."""

    font: Path
    table: Table
    lead_in: list[str] = field(default_factory=lambda: ["Các nhiệm vụ cụ thể như sau:"])
    after: list[str] = field(default_factory=list)  # lines after the table
    # Lines before the table's title, and the signature printed before it (an appendix).
    before: list[str] = field(default_factory=list)
    appendix_title: list[str] = field(default_factory=list)
    landscape: bool = False
    top_table: float | None = None  # where the table starts on its first page
    number: str = "Số: 12/KH-UBND"

    def save(self, path: Path) -> Path:
        b = Builder(self.font)
        page = b.page()
        _head(b, page, self.number)
        y = 715.0
        for line in self.before:
            y = _paragraph(b, page, line, y)
        if self.appendix_title:
            y = _signature(b, page, y)
            page = self._page(b)
            y = 800.0 if not self.landscape else 560.0
            for line in self.appendix_title:
                b.text(page, line, 60, y, 11)
                y -= 16
        for line in self.lead_in:
            y = _paragraph(b, page, line, y)
        if self.top_table is not None:
            y = self.top_table
        page, y = _draw(b, page, self.table, y - 4, lambda: self._page(b), self._top())
        y -= 20
        for line in self.after:
            if y < MARGIN + 20:
                page, y = self._page(b), self._top()
            y = _paragraph(b, page, line, y)
        if not self.appendix_title:
            if y < 200:
                page, y = self._page(b), self._top()
            _signature(b, page, y)
        return b.save(path)

    def _page(self, b: Builder) -> pdfium.PdfPage:
        return b.page(842, 595) if self.landscape else b.page()

    def _top(self) -> float:
        return 560.0 if self.landscape else 800.0


def _head(b: Builder, page: pdfium.PdfPage, number: str) -> None:
    """The two-column header, issuer | motto, down to y = 750."""
    b.text(page, "ỦY BAN NHÂN DÂN", 95, 790, 11)
    b.text(page, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 320, 790, 11)
    b.text(page, "TỈNH ĐỒNG NAI", 110, 776, 11)
    b.text(page, "Độc lập - Tự do - Hạnh phúc", 350, 776, 11)
    b.rule(page, 350, 771, 500, 771, filled=False)
    b.text(page, number, 100, 750, 11)
    b.text(page, "Đồng Nai, ngày 5 tháng 3 năm 2026", 330, 750, 11)


def _paragraph(b: Builder, page: pdfium.PdfPage, line: str, y: float) -> float:
    b.text(page, line, 60, y, 11)
    return y - 16


def _signature(b: Builder, page: pdfium.PdfPage, y: float) -> float:
    """`Nơi nhận:` on the left, the signature block on the right."""
    y -= 10
    left = ["Nơi nhận:", "- Như trên;", "- Lưu: VT."]
    right = ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "", "Nguyễn Văn An"]
    for k, line in enumerate(left):
        b.text(page, line, 60, y - 14 * k, 9)
    for k, line in enumerate(right):
        if line:
            b.text(page, line, 380, y - 14 * k, 11)
    return y - 14 * len(right)


# --- the table -------------------------------------------------------------------


@dataclass
class _Placed:
    cell: Cell
    row: int
    col: int


def _place(rows: list[list[Cell]]) -> list[list[_Placed]]:
    """Each row's cells with their grid column, HTML-like."""
    taken: set[tuple[int, int]] = set()
    out: list[list[_Placed]] = []
    for i, row in enumerate(rows):
        col, placed = 0, []
        for c in row:
            while (i, col) in taken:
                col += 1
            placed.append(_Placed(c, i, col))
            for di in range(c.rows):
                for dj in range(c.cols):
                    taken.add((i + di, col + dj))
            col += c.cols
        out.append(placed)
    return out


def _wrapped(rows: list[list[_Placed]], lefts: list[float]) -> list[list[_Placed]]:
    """Each cell's lines wrapped at word boundaries to its width, as a word processor does."""
    for row in rows:
        for p in row:
            room = lefts[p.col + p.cell.cols] - lefts[p.col] - 8
            most = max(int(room / (CHAR * p.cell.size)), 1)
            lines: list[str] = []
            for line in p.cell.lines:
                cur = ""
                for word in line.split(" "):
                    if cur and len(cur) + 1 + len(word) > most:
                        lines.append(cur)
                        cur = word
                    else:
                        cur = f"{cur} {word}" if cur else word
                lines.append(cur)
            p.cell = Cell(lines, p.cell.rows, p.cell.cols, p.cell.size)
    return rows


def _heights(rows: list[list[_Placed]]) -> list[float]:
    heights = [
        float(max([LINE * len(p.cell.lines) + PAD for p in row if p.cell.rows == 1] or [LINE]))
        for row in rows
    ]
    for row in rows:
        for p in row:
            if p.cell.rows > 1:
                need = LINE * len(p.cell.lines) + PAD
                have = sum(heights[p.row : p.row + p.cell.rows])
                if need > have:
                    heights[p.row + p.cell.rows - 1] += need - have
    return heights


def _draw(
    b: Builder,
    page: pdfium.PdfPage,
    t: Table,
    top: float,
    new_page,
    page_top: float,
) -> tuple[pdfium.PdfPage, float]:
    """Draw the table from `top`, going on to new pages; the page and y where it ends."""
    lefts = [t.x0 + sum(t.widths[:k]) for k in range(len(t.widths) + 1)]
    head = _wrapped(_place(t.head), lefts)
    body = _wrapped(_place(t.body), lefts)
    # A block of rows that must stay on one page: a cell merged down keeps its rows together.
    blocks: list[list[int]] = []
    reach = -1
    for i, row in enumerate(body):
        if i > reach:
            blocks.append([])
        blocks[-1].append(i)
        reach = max([reach, i, *(i + p.cell.rows - 1 for p in row)])
    y = _draw_rows(b, page, t, lefts, head, _heights(head), top)
    heights = _heights(body)
    for block in blocks:
        need = sum(heights[i] for i in block)
        if y - need < MARGIN:
            if t.split_rows and len(block) == 1 and y - MARGIN > 2 * LINE + PAD:
                fit = _split_row(b, page, t, lefts, body[block[0]], y)
                page = new_page()
                y = page_top
                if t.repeat_head:
                    y = _draw_rows(b, page, t, lefts, head, _heights(head), y)
                rest = _rest_of(body[block[0]], fit)
                y = _draw_rows(b, page, t, lefts, [rest], _heights([rest]), y)
                continue
            page = new_page()
            y = page_top
            if t.repeat_head:
                y = _draw_rows(b, page, t, lefts, head, _heights(head), y)
        rows = [body[i] for i in block]
        y = _draw_rows(b, page, t, lefts, rows, [heights[i] for i in block], y)
    return page, y


def _split_row(
    b: Builder, page: pdfium.PdfPage, t: Table, lefts: list[float], row: list[_Placed], y: float
) -> int:
    """Draw the lines of a row that fit above the margin; how many lines that is."""
    fit = int((y - MARGIN - PAD) // LINE)
    shown = [_Placed(Cell(p.cell.lines[:fit], 1, p.cell.cols), 0, p.col) for p in row]
    _draw_rows(b, page, t, lefts, [shown], [float(y - MARGIN)], y)
    return fit


def _rest_of(row: list[_Placed], fit: int) -> list[_Placed]:
    return [_Placed(Cell(p.cell.lines[fit:], 1, p.cell.cols), 0, p.col) for p in row]


def _draw_rows(
    b: Builder,
    page: pdfium.PdfPage,
    t: Table,
    lefts: list[float],
    rows: list[list[_Placed]],
    heights: list[float],
    top: float,
) -> float:
    base = rows[0][0].row if rows and rows[0] else 0
    tops = [top - sum(heights[:k]) for k in range(len(heights) + 1)]
    right = lefts[-1]
    borders: list[tuple[float, float, float, float]] = []
    for row in rows:
        for p in row:
            i = p.row - base
            x0, x1 = lefts[p.col], lefts[p.col + p.cell.cols]
            y0, y1 = tops[min(i + p.cell.rows, len(heights))], tops[i]
            for k, line in enumerate(p.cell.lines):
                b.text(page, line, x0 + 4, y1 - 14 - LINE * k, p.cell.size)
            if t.rules == "full":
                b.rule(page, x0, y1, x1, y1, False)
                b.rule(page, x0, y0, x1, y0, False)
                b.rule(page, x0, y0, x0, y1, False)
                b.rule(page, x1, y0, x1, y1, False)
            borders += [(x0, y1, x1, y1), (x0, y0, x1, y0), (x0, y0, x0, y1), (x1, y0, x1, y1)]
    if t.rules == "one-path":
        _one_path(page, borders)
    if t.rules == "horizontal":
        for y in tops:
            b.rule(page, lefts[0], y, right, y, False)
    return tops[-1]


def _one_path(page: pdfium.PdfPage, borders: list[tuple[float, float, float, float]]) -> None:
    """Every border a thin filled rectangle, all of them subpaths of one path object."""
    x0, y0, x1, y1 = borders[0]
    obj = pdfium_c.FPDFPageObj_CreateNewPath(x0, y0)
    for k, (x0, y0, x1, y1) in enumerate(borders):
        x1, y1 = max(x1, x0 + 0.5), max(y1, y0 + 0.5)
        if k:
            pdfium_c.FPDFPath_MoveTo(obj, x0, y0)
        pdfium_c.FPDFPath_LineTo(obj, x1, y0)
        pdfium_c.FPDFPath_LineTo(obj, x1, y1)
        pdfium_c.FPDFPath_LineTo(obj, x0, y1)
        pdfium_c.FPDFPath_Close(obj)
    pdfium_c.FPDFPath_SetDrawMode(obj, pdfium_c.FPDF_FILLMODE_WINDING, False)
    pdfium_c.FPDFPage_InsertObject(page, obj)
