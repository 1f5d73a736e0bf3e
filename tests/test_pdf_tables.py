"""Ruled tables in digital PDFs handed on as `TableHint`s (source "pdf").

PDFs are drawn here with PDFium: Vietnamese text at chosen points (a DejaVu
TrueType font, `fonts-dejavu-core`) and table borders as stroked lines or
thin filled rectangles, the two ways producers draw them.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from tests.test_load_pdf import Builder as PdfBuilder
from vanban.pipeline.extract import extract
from vanban.pipeline.load import load
from vanban.pipeline.load_pdf import load_pdf
from vanban.pipeline.pdf_layout import find_grids
from vanban.schemas import TableHint

HEADER = ["STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"]
# The header as printed: the last column is too narrow for its title.
HEADER_LINES = [[h] for h in HEADER[:-1]] + [["Thời gian", "hoàn thành"]]
# Cells as printed lines; the content of task 1 wraps over two lines.
TASKS = [
    [
        ["1"],
        ["Rà soát hồ sơ Dự án kéo dài tuyến", "đường sắt đô thị số 1 đến Bình Dương"],
        ["Bộ Xây dựng"],
        ["Bộ Tài chính"],
        ["Tháng 5/2026"],
    ],
    [["2"], ["Hoàn thiện cơ chế đặc thù"], ["Bộ Tư pháp"], ["Bộ Công an"], ["Quý II/2026"]],
    [["3"], ["Hướng dẫn trình tự, thủ tục"], ["Sở Xây dựng"], ["UBND tỉnh Đồng Nai"], ["Năm 2026"]],
]
WIDTHS = [32, 200, 95, 110, 78]


class Builder(PdfBuilder):
    """The loader tests' PDF builder, with table borders and a smaller default size."""

    def text(self, page: pdfium.PdfPage, s: str, x: float, y: float, size: float = 10) -> None:
        super().text(page, s, x, y, size)

    def rule(self, page: pdfium.PdfPage, x0: float, y0: float, x1: float, y1: float, filled: bool):
        if filled:  # Word draws borders as thin filled rectangles
            obj = pdfium_c.FPDFPageObj_CreateNewRect(x0, y0, max(x1 - x0, 0.5), max(y1 - y0, 0.5))
            pdfium_c.FPDFPath_SetDrawMode(obj, pdfium_c.FPDF_FILLMODE_WINDING, False)
        else:
            obj = pdfium_c.FPDFPageObj_CreateNewPath(x0, y0)
            pdfium_c.FPDFPath_LineTo(obj, x1, y1)
            pdfium_c.FPDFPath_SetDrawMode(obj, pdfium_c.FPDF_FILLMODE_NONE, True)
        pdfium_c.FPDFPage_InsertObject(page, obj)

    def table(
        self, page: pdfium.PdfPage, rows: list[list[list[str]]], top: float, filled: bool = False
    ) -> float:
        """A fully ruled table from x = 50 down from `top`; the y of its bottom."""
        lefts = [50 + sum(WIDTHS[:k]) for k in range(len(WIDTHS) + 1)]
        y = top
        for row in rows:
            height = 13 * max(len(cell) for cell in row) + 8
            for j, cell in enumerate(row):
                for k, line in enumerate(cell):
                    self.text(page, line, lefts[j] + 4, y - 14 - 13 * k)
            self.rule(page, 50, y, lefts[-1], y, filled)
            y -= height
        self.rule(page, 50, y, lefts[-1], y, filled)
        for x in lefts:
            self.rule(page, x, y, x, top, filled)
        return y

    def head(self, page: pdfium.PdfPage) -> None:
        """A borderless two-column header (issuer | motto), the motto underlined."""
        self.text(page, "ỦY BAN NHÂN DÂN", 95, 790, 11)
        self.text(page, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 320, 790, 11)
        self.text(page, "TỈNH ĐỒNG NAI", 110, 776, 11)
        self.text(page, "Độc lập - Tự do - Hạnh phúc", 350, 776, 11)
        self.rule(page, 350, 771, 500, 771, filled=False)
        self.text(page, "Số: 12/KH-UBND", 100, 750, 11)
        self.text(page, "Đồng Nai, ngày 5 tháng 3 năm 2026", 330, 750, 11)
        self.text(page, "Các nhiệm vụ cụ thể như sau:", 60, 715, 11)


def cells(text: str, table: TableHint) -> list[list[str]]:
    return [[text[s:e] for s, e in row] for row in table.rows]


def joined(rows: list[list[list[str]]]) -> list[list[str]]:
    return [[" ".join(cell) for cell in row] for row in rows]


@pytest.mark.parametrize("filled", [False, True], ids=["stroked", "filled"])
def test_ruled_task_table_gives_cells_in_normalised_text(
    font: Path, tmp_path: Path, filled: bool
) -> None:
    b = Builder(font)
    page = b.page()
    b.head(page)
    bottom = b.table(page, [HEADER_LINES, *TASKS], 700, filled)
    b.text(page, "Các cơ quan báo cáo kết quả trước ngày 30/6/2026.", 60, bottom - 25, 11)
    doc = load(b.save(tmp_path / "table.pdf")).text_doc()
    [table] = doc.tables
    assert table.source == "pdf"
    assert cells(doc.text, table) == [HEADER, *joined(TASKS)]
    # The wrapped cell is one block of lines in the loader's text, not
    # interleaved with its neighbours.
    raw = load_pdf(tmp_path / "table.pdf")
    assert cells(raw.text, raw.tables[0])[1][1] == "\n".join(TASKS[0][1])
    assert "Các cơ quan báo cáo kết quả trước ngày 30/6/2026." in doc.text


def test_table_over_a_page_break_is_one_hint_without_repeated_header(
    font: Path, tmp_path: Path
) -> None:
    b = Builder(font)
    b.table(b.page(), [HEADER_LINES, TASKS[0], TASKS[1]], 700)
    b.table(b.page(), [HEADER_LINES, TASKS[2]], 800)
    doc = load(b.save(tmp_path / "two_pages.pdf")).text_doc()
    [table] = doc.tables
    assert cells(doc.text, table) == [HEADER, *joined(TASKS)]


def test_pdf_without_table_gives_no_hints(font: Path, tmp_path: Path) -> None:
    b = Builder(font)
    page = b.page()
    b.head(page)
    b.text(page, "Ủy ban nhân dân tỉnh đề nghị các sở, ngành triển khai thực hiện.", 60, 690, 11)
    raw = load_pdf(b.save(tmp_path / "plain.pdf"))
    assert raw.tables == []
    assert "Ủy ban nhân dân tỉnh đề nghị" in raw.text


def test_borderless_two_column_header_is_not_a_ruled_table(font: Path, tmp_path: Path) -> None:
    b = Builder(font)
    page = b.page()
    b.head(page)  # two columns, one underline, no other ruling
    doc = load(b.save(tmp_path / "header.pdf")).text_doc()
    assert doc.tables == []
    lines = doc.text.split("\n")
    # Still read column by column, as without tables.
    assert lines[:3] == ["ỦY BAN NHÂN DÂN", "TỈNH ĐỒNG NAI", "Số: 12/KH-UBND"]


# --- the grid on made-up rulings --------------------------------------------------


def frame(x0: float, y0: float, x1: float, y1: float) -> list[tuple[float, float, float, float]]:
    return [(x0, y0, x1, y0), (x0, y1, x1, y1), (x0, y0, x0, y1), (x1, y0, x1, y1)]


def test_grid_keeps_merged_cells_once() -> None:
    # Three columns, three rows; row 2 is one cell across the last two
    # columns, and the first column's cell spans rows 2 and 3.
    segments = [
        *frame(0, 0, 300, 90),
        (0, 60, 300, 60),  # under the header row
        (100, 30, 300, 30),  # between rows 2 and 3, not under the merged first cell
        (100, 0, 100, 90),
        (200, 60, 200, 90),  # header only
        (200, 0, 200, 30),  # row 3 only
    ]
    [grid] = find_grids(segments)
    assert grid.rows == [
        [(0, 60, 100, 90), (100, 60, 200, 90), (200, 60, 300, 90)],
        [(0, 0, 100, 60), (100, 30, 300, 60)],
        # The first column's cell again, as an empty box on row 3's top edge.
        [(0, 30, 100, 30), (100, 0, 200, 30), (200, 0, 300, 30)],
    ]
    assert grid.merged == {(2, 0)}


def test_grid_ignores_underlines_and_a_framed_paragraph() -> None:
    underlines = [(10, 700, 120, 700), (300, 700, 450, 700)]
    framed = frame(50, 400, 500, 450)
    assert find_grids([*underlines, *framed]) == []


def merged_down_table(b: Builder, page: pdfium.PdfPage, top: float) -> None:
    """The task table with TASKS[1]'s coordinate and time cells merged down over TASKS[2]'s
    row: no ruling between those two cells, their text printed once, in the top one."""
    rows = [HEADER_LINES, *TASKS]
    rows[3] = [TASKS[2][0], TASKS[2][1], TASKS[2][2], [], []]
    lefts = [50 + sum(WIDTHS[:k]) for k in range(len(WIDTHS) + 1)]
    y = top
    for i, row in enumerate(rows):
        height = 13 * max(len(cell) for cell in row) + 8
        for j, cell in enumerate(row):
            for k, line in enumerate(cell):
                b.text(page, line, lefts[j] + 4, y - 14 - 13 * k)
        # Above the last row, the ruling stops where the merged cells begin.
        b.rule(page, 50, y, lefts[3] if i == 3 else lefts[-1], y, False)
        y -= height
    b.rule(page, 50, y, lefts[-1], y, False)
    for x in lefts:
        b.rule(page, x, y, x, top, False)


def test_cells_merged_down_keep_their_columns_and_are_marked(font: Path, tmp_path: Path) -> None:
    """A cell spanning two rows is printed in the top one; the row below keeps an empty
    cell in its place, marked as merged, so its time is still in the time column."""
    b = Builder(font)
    page = b.page()
    b.head(page)
    merged_down_table(b, page, 700)
    doc = load(b.save(tmp_path / "merged.pdf")).text_doc()
    [table] = doc.tables
    assert cells(doc.text, table)[3] == [*joined([TASKS[2][:3]])[0], "", ""]
    assert table.merged == {(3, 3), (3, 4)}


def test_a_pdf_cell_merged_down_gives_its_coordinate_and_time_to_every_row_it_spans(
    font: Path, tmp_path: Path
) -> None:
    """§3 rule 6, one task per row with its lead, coordinate and time: the cells merged
    down from task 2 belong to task 3 too."""
    b = Builder(font)
    page = b.page()
    b.head(page)
    merged_down_table(b, page, 700)
    doc = extract(load(b.save(tmp_path / "merged.pdf")))
    assert [
        (t.label, [a.name for a in t.coordinate], t.deadline and t.deadline.date) for t in doc.tasks
    ] == [
        ("1", ["Bộ Tài chính"], "2026-05-31"),
        ("2", ["Bộ Công an"], "2026-06-30"),
        ("3", ["Bộ Công an"], "2026-06-30"),
    ]
