"""Task tables in the physical forms provincial offices print them in PDF (ANNOTATION §3
rule 6: one task per row, its lead, coordinate and time from the row's own cells).

Each form is a letter drawn with PDFium by `tests.pdf_forms` (a DejaVu font, ruled cells),
read end to end through `load` and `extract`: a table over three pages with its header
printed again on each page or not, a row Word splits over a page break, cells of many
lines, merged cells (a section row across the columns, a lead cell down over rows, the
two-row header `Đơn vị thực hiện` over `Chủ trì | Phối hợp`), a row numbering the columns,
landscape pages, columns in another order, product and note columns that must not leak into
the lead, a table in an appendix after a decision's signature. The forms not read yet are
strict xfails, each saying what happens instead. A table ruled between its rows only, with
no vertical ruling, takes its columns from the strips no word crosses
(`pdf_layout.band_grid`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.pdf_forms import Cell, Form, Table, cell, row_of
from tests.task_letters import due, names
from vanban.pipeline.extract import extract
from vanban.pipeline.load import load
from vanban.schemas import Task

# The letter is dated 5/3/2026: its rows are due from April to December 2026.
LEADS = ["Sở Tài chính", "Sở Y tế", "Sở Xây dựng", "Sở Nội vụ", "Sở Tư pháp", "Công an tỉnh"]
PARTNERS = ["Sở Tư pháp", "Sở Nội vụ", "Công an tỉnh", "Sở Y tế", "Sở Xây dựng", "Sở Tài chính"]
MONTH_END = {4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}

HEADER = [row_of("STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian\nhoàn thành")]
WIDTHS = [30, 210, 90, 100, 70]
# `Đơn vị thực hiện` merged across two columns over `Chủ trì | Phối hợp`; the other header
# cells merged down over both rows.
TWO_ROW_HEADER = [
    [
        Cell(["STT"], rows=2),
        Cell(["Nội dung"], rows=2),
        Cell(["Đơn vị thực hiện"], cols=2),
        Cell(["Thời gian", "hoàn thành"], rows=2),
    ],
    [cell("Chủ trì"), cell("Phối hợp")],
]

Row = tuple[str, list[str], str, list[str], str]  # number, content lines, lead, partners, time
Expected = tuple[str, list[str], list[str], str | None]  # label, lead, coordinate, deadline


def rows(
    n: int, partners: int = 1, points: int = 0, sep: str = ";"
) -> tuple[list[Row], list[Expected]]:
    """n task rows: each a content line (and `- …` points), a lead, `partners` coordinating
    bodies one per line, a month; and the task each must give."""
    out: list[Row] = []
    expected: list[Expected] = []
    for i in range(n):
        month = 4 + i % 9
        content = [f"Xây dựng đề án số {i + 1} về chuyển đổi số"]
        content += [f"- nội dung thành phần {k}" for k in range(1, points + 1)]
        lead = LEADS[i % 6]
        others = [b for k in range(partners) if (b := PARTNERS[(i + k) % 6]) != lead]
        others = others or [PARTNERS[(i + 1) % 6]]
        out.append((str(i + 1), content, lead, [b + sep for b in others], f"Tháng {month}/2026"))
        expected.append((str(i + 1), [lead], others, f"2026-{month:02d}-{MONTH_END[month]}"))
    return out, expected


def cells(table_rows: list[Row]) -> list[list[Cell]]:
    return [[cell(n), Cell(c), cell(lead), Cell(co), cell(t)] for n, c, lead, co, t in table_rows]


def view(tasks: list[Task]) -> list[Expected]:
    return [(t.label, names(t.lead), names(t.coordinate), due(t)) for t in tasks]


FormMaker = Callable[[Path], tuple[Form, list[Expected]]]


def header_at_page_foot(font: Path, repeat: bool) -> tuple[Form, list[Expected]]:
    """The header row alone at the foot of the first page, the rows on the next."""
    r, e = rows(6)
    table = Table(WIDTHS, HEADER, cells(r), repeat_head=repeat)
    return Form(font, table, top_table=110), e


def three_pages(font: Path, repeat: bool) -> tuple[Form, list[Expected]]:
    r, e = rows(40)
    return Form(font, Table(WIDTHS, HEADER, cells(r), repeat_head=repeat)), e


def split_rows(font: Path, repeat: bool) -> tuple[Form, list[Expected]]:
    """Rows of nine lines: Word breaks the one at the foot of a page, its last `- …` points
    and coordinating bodies printed at the top of the next page under no number."""
    r, e = rows(12, partners=5, points=8, sep="" if repeat else ",")
    return Form(font, Table(WIDTHS, HEADER, cells(r), repeat_head=repeat, split_rows=True)), e


def split_coordinate_list(font: Path) -> tuple[Form, list[Expected]]:
    """Only the coordinate list goes on past the page break, the content already ended."""
    r, e = rows(12, partners=6, points=1, sep="")
    r = [(n, c, lead, [*co, "Ủy ban nhân dân các xã"], t) for n, c, lead, co, t in r]
    e = [(label, lead, [*co, "@cap-xa"], d) for label, lead, co, d in e]
    n, c, lead, co, t = r[4]
    r[4] = (n, c[:1], lead, ["Văn phòng", "UBND tỉnh;", *co], t)
    e[4] = (e[4][0], e[4][1], ["Văn phòng Ủy ban nhân dân tỉnh", *e[4][2]], e[4][3])
    return Form(font, Table(WIDTHS, HEADER, cells(r), split_rows=True)), e


def sections(font: Path) -> tuple[Form, list[Expected]]:
    """Section rows `I | NHIỆM VỤ CHUNG` merged across the four other columns."""
    body: list[list[Cell]] = []
    expected: list[Expected] = []
    for number, title in (("I", "NHIỆM VỤ CHUNG"), ("II", "NHIỆM VỤ CỤ THỂ")):
        body.append([cell(number), Cell([title], cols=4)])
        r, e = rows(3)
        body += cells(r)
        expected += [(f"{number}.{label}", lead, co, d) for label, lead, co, d in e]
    return Form(font, Table(WIDTHS, HEADER, body)), expected


def numbered_groups(font: Path) -> tuple[Form, list[Expected]]:
    """Group rows `1 | Nhóm nhiệm vụ về …` merged across the other columns, over rows
    numbered `1.1`, `1.2`: headings, not tasks."""
    body: list[list[Cell]] = []
    expected: list[Expected] = []
    for g, title in ((1, "Nhóm nhiệm vụ về thể chế"), (2, "Nhóm nhiệm vụ về hạ tầng số")):
        body.append([cell(str(g)), Cell([title], cols=4)])
        r, e = rows(2)
        for k, ((_, c, lead, co, t), (_, el, ec, ed)) in enumerate(zip(r, e, strict=True), 1):
            body.append([cell(f"{g}.{k}"), Cell(c), cell(lead), Cell(co), cell(t)])
            expected.append((f"{g}.{k}", el, ec, ed))
    return Form(font, Table(WIDTHS, HEADER, body)), expected


def lead_merged_down(font: Path) -> tuple[Form, list[Expected]]:
    """One lead cell merged down over the first three rows, printed once."""
    r, e = rows(4)
    body = cells(r)
    body[0][2] = Cell(["Sở Tài chính"], rows=3)
    del body[1][2], body[2][2]
    for i in range(3):
        label, _, co, d = e[i]
        e[i] = (label, ["Sở Tài chính"], [b for b in co if b != "Sở Tài chính"], d)
    return Form(font, Table(WIDTHS, HEADER, body)), e


def two_row_header(font: Path, n: int, repeat: bool = True) -> tuple[Form, list[Expected]]:
    r, e = rows(n)
    return Form(font, Table(WIDTHS, TWO_ROW_HEADER, cells(r), repeat_head=repeat)), e


def columns_numbered(font: Path, marks: list[str], head: list[list[Cell]], n: int):
    """A row under the header numbering the columns (`(1) | (2) | …`), printed on each page."""
    r, e = rows(n)
    return Form(font, Table(WIDTHS, [*head, row_of(*marks)], cells(r))), e


def time_before_agencies(font: Path) -> tuple[Form, list[Expected]]:
    """`STT | Nội dung | Thời gian | Chủ trì | Phối hợp | Sản phẩm`: the product names a body."""
    r, e = rows(5)
    head = [row_of("STT", "Nội dung", "Thời gian", "Chủ trì", "Phối hợp", "Sản phẩm")]
    body = [
        [cell(n), Cell(c), cell(t), cell(lead), Cell(co), cell(f"Báo cáo của {lead}")]
        for n, c, lead, co, t in r
    ]
    return Form(font, Table([28, 170, 70, 80, 90, 92], head, body)), e


def output_column(font: Path) -> tuple[Form, list[Expected]]:
    """`Kết quả đầu ra` between the work and its bodies, naming the provincial committee."""
    r, e = rows(5)
    head = [
        row_of(
            "TT", "Nhiệm vụ", "Kết quả đầu ra", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn"
        )
    ]
    body = [
        [cell(n), Cell(c), cell("Quyết định của", "UBND tỉnh"), cell(lead), Cell(co), cell(t)]
        for n, c, lead, co, t in r
    ]
    return Form(font, Table([25, 160, 80, 85, 90, 70], head, body)), e


def note_column(font: Path) -> tuple[Form, list[Expected]]:
    """`Ghi chú` naming the body that compiles the results."""
    r, e = rows(5)
    head = [
        row_of(
            "STT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian", "Ghi chú"
        )
    ]
    body = [
        [cell(n), Cell(c), cell(lead), Cell(co), cell(t), cell("Sở Tài chính", "tổng hợp")]
        for n, c, lead, co, t in r
    ]
    return Form(font, Table([25, 170, 80, 90, 70, 75], head, body)), e


def no_number_column(font: Path) -> tuple[Form, list[Expected]]:
    """`Nội dung | Chủ trì | Phối hợp | Thời gian`: rows without a number (labels not compared)."""
    r, e = rows(4)
    e = [("", *x[1:]) for x in e]
    head = [row_of("Nội dung", "Chủ trì", "Phối hợp", "Thời gian")]
    body = [[Cell(c), cell(lead), Cell(co), cell(t)] for _, c, lead, co, t in r]
    return Form(font, Table([240, 90, 110, 70], head, body)), e


def appendix(font: Path, caption: bool = True) -> tuple[Form, list[Expected]]:
    """A decision's articles and signature, then `PHỤ LỤC` with the table on a new page;
    its title in capitals, with its `(Kèm theo …)` caption or without."""
    r, e = rows(6)
    articles = [
        "QUYẾT ĐỊNH:",
        "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch chuyển đổi số năm 2026.",
        "Điều 2. Quyết định có hiệu lực kể từ ngày ký.",
        "Điều 3. Chánh Văn phòng UBND tỉnh, Giám đốc các Sở và các cơ quan",
        "có liên quan chịu trách nhiệm thi hành Quyết định này./.",
    ]
    title = [
        "PHỤ LỤC",
        "DANH MỤC NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2026",
        "(Kèm theo Quyết định số 12/QĐ-UBND ngày 5/3/2026 của UBND tỉnh)",
    ][: 3 if caption else 2]
    form = Form(
        font,
        Table(WIDTHS, HEADER, cells(r)),
        lead_in=[],
        before=articles,
        appendix_title=title,
        number="Số: 12/QĐ-UBND",
    )
    return form, e


def ruled(
    font: Path, rules: str, n: int = 4, repeat: bool = True, partners: int = 1, points: int = 0
) -> tuple[Form, list[Expected]]:
    """Borders drawn as one path object (`one-path`), rulings between the rows only
    (`horizontal`), or none: columns aligned by position."""
    r, e = rows(n, partners=partners, points=points, sep="" if partners > 1 else ";")
    return Form(font, Table(WIDTHS, HEADER, cells(r), rules=rules, repeat_head=repeat)), e


def footnote_marks(font: Path) -> tuple[Form, list[Expected]]:
    r, e = rows(4)
    body = cells(r)
    body[0][2] = cell("Sở Tài chính (1)")
    body[1][3] = cell("Sở Nội vụ*")
    body[2][2] = cell("Sở Xây dựng²")
    return Form(font, Table(WIDTHS, HEADER, body)), e


def gap(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=reason)


FORMS = [
    pytest.param(lambda f: rows_form(f, 4), id="ruled-one-page"),
    pytest.param(lambda f: three_pages(f, True), id="three-pages-header-repeated"),
    pytest.param(lambda f: three_pages(f, False), id="three-pages-header-not-repeated"),
    pytest.param(
        lambda f: header_at_page_foot(f, False), id="header-row-alone-at-the-foot-of-a-page"
    ),
    pytest.param(
        lambda f: header_at_page_foot(f, True),
        id="header-row-alone-at-the-foot-of-a-page-and-repeated",
    ),
    pytest.param(
        lambda f: multiline(f), id="coordinate-cell-of-five-lines-content-of-six-bullet-lines"
    ),
    pytest.param(lambda f: split_rows(f, True), id="row-split-over-page-break-header-repeated"),
    pytest.param(lambda f: split_rows(f, False), id="row-split-over-page-break-no-header"),
    pytest.param(split_coordinate_list, id="row-split-only-its-coordinate-list-goes-on"),
    pytest.param(lambda f: landscape(f), id="landscape-pages"),
    pytest.param(sections, id="section-rows-merged-across"),
    pytest.param(numbered_groups, id="numbered-group-rows-merged-across"),
    pytest.param(lead_merged_down, id="lead-cell-merged-down-over-three-rows"),
    pytest.param(lambda f: two_row_header(f, 5), id="two-row-header-chu-tri-phoi-hop"),
    pytest.param(lambda f: two_row_header(f, 30), id="two-row-header-repeated-on-each-page"),
    pytest.param(
        lambda f: two_row_header(f, 30, repeat=False), id="two-row-header-on-first-page-only"
    ),
    pytest.param(
        lambda f: columns_numbered(f, ["(1)", "(2)", "(3)", "(4)", "(5)"], HEADER, 5),
        id="row-numbering-the-columns-in-brackets",
    ),
    pytest.param(
        lambda f: columns_numbered(f, ["1", "2", "3", "4", "5"], HEADER, 25),
        id="row-numbering-the-columns-on-each-page",
    ),
    pytest.param(
        lambda f: columns_numbered(f, ["1", "2", "3", "4", "5"], TWO_ROW_HEADER, 30),
        id="two-row-header-and-numbering-row-on-each-page",
    ),
    pytest.param(time_before_agencies, id="time-before-agencies-and-a-product-column"),
    pytest.param(output_column, id="output-column-naming-a-body"),
    pytest.param(note_column, id="note-column-naming-a-body"),
    pytest.param(no_number_column, id="no-number-column"),
    pytest.param(appendix, id="appendix-after-a-decisions-signature"),
    pytest.param(lambda f: appendix(f, False), id="appendix-title-without-caption"),
    pytest.param(
        lambda f: ruled(f, "one-path", 30), id="borders-as-thin-rectangles-of-one-path-object"
    ),
    pytest.param(lambda f: ruled(f, "horizontal"), id="horizontal-rules-only"),
    pytest.param(
        lambda f: ruled(f, "horizontal", 40, repeat=False),
        id="horizontal-rules-only-three-pages-no-header-repeated",
    ),
    pytest.param(
        lambda f: ruled(f, "horizontal", 12, partners=5, points=5),
        id="horizontal-rules-only-cells-of-many-lines",
    ),
    pytest.param(
        lambda f: ruled(f, "none"),
        id="no-rules-aligned-columns",
        marks=gap("§3 rule 6: columns aligned by position alone are not read as a table"),
    ),
    # §4: a superscript footnote mark is no part of the body's name (`Sở Xây dựng²`).
    pytest.param(footnote_marks, id="footnote-marks-after-a-body"),
]


def rows_form(font: Path, n: int) -> tuple[Form, list[Expected]]:
    r, e = rows(n)
    return Form(font, Table(WIDTHS, HEADER, cells(r))), e


def multiline(font: Path) -> tuple[Form, list[Expected]]:
    r, e = rows(12, partners=5, points=5, sep="")
    return Form(font, Table(WIDTHS, HEADER, cells(r))), e


def landscape(font: Path) -> tuple[Form, list[Expected]]:
    r, e = rows(20)
    return Form(font, Table([30, 330, 130, 150, 100], HEADER, cells(r)), landscape=True), e


@pytest.mark.parametrize("make", FORMS)
def test_each_row_of_a_pdf_task_table_is_one_task_with_its_own_cells(
    make: FormMaker, font: Path, tmp_path: Path
) -> None:
    form, expected = make(font)
    doc = extract(load(form.save(tmp_path / "form.pdf")))
    for task in doc.tasks:
        # The span is where the row's content is printed; a row broken over a page break
        # goes on in the task's text past it.
        assert task.text.startswith(doc.text[slice(*task.span)]), task.label
    got = view(doc.tasks)
    if all(label == "" for label, *_ in expected):
        got = [("", *g[1:]) for g in got]
    assert got == expected


def test_a_row_split_over_a_page_break_keeps_its_points_in_its_text(
    font: Path, tmp_path: Path
) -> None:
    """The `- …` points printed on the next page are the same task's, on lines of their own."""
    form, _ = split_rows(font, True)
    doc = extract(load(form.save(tmp_path / "split.pdf")))
    texts = [t.text for t in doc.tasks]
    assert len(texts) == 12
    assert all(t.count("\n- nội dung thành phần") == 8 for t in texts)


def test_a_pdf_table_over_pages_marks_the_rows_that_open_a_page(font: Path, tmp_path: Path) -> None:
    """The loader says where the page breaks fall, its repeated header rows left out."""
    form, _ = two_row_header(font, 30)
    doc = load(form.save(tmp_path / "pages.pdf")).text_doc()
    [table] = doc.tables
    assert table.breaks
    for i in table.breaks:
        first = doc.text[slice(*table.rows[i][0])]
        assert first.isdigit(), first


def test_a_header_over_one_ruled_off_block_of_text_is_not_a_table(
    font: Path, tmp_path: Path
) -> None:
    """Three rulings, a header row and one block under it (booktabs): no table of rows, so
    no row is made of the whole block."""
    form, _ = ruled(font, "horizontal", 1)
    doc = load(form.save(tmp_path / "block.pdf")).text_doc()
    assert doc.tables == []
