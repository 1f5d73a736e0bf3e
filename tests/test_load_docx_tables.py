"""DOCX tables handed on as `TableHint`s: one per `w:tbl`, each cell the span of its text."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.table import Table

from tests.docx_letters import (
    LETTER_3722,
    add_list,
    add_list_definition,
    build_letter_docx,
    fill_cell,
    nested_tables_docx,
    number_paragraph,
)
from vanban.pipeline.load import load
from vanban.pipeline.load_docx import load_docx
from vanban.schemas import TableHint

HEADER = ["STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"]
# (STT, content paragraphs, lead, partners, deadline); lead None continues the cell above.
TASKS: list[tuple[str, list[str], str | None, str, str]] = [
    (
        "1",
        ["Rà soát hồ sơ Dự án kéo dài tuyến Metro"],
        "Bộ Xây dựng",
        "Bộ Tài chính",
        "Tháng 5/2026",
    ),
    (
        "2",
        ["Hoàn thiện cơ chế đặc thù", "Báo cáo Thủ tướng Chính phủ kết quả"],
        "Bộ Tư pháp",
        "Bộ Công an",
        "Quý II/2026",
    ),
    ("3", ["Hướng dẫn trình tự, thủ tục"], None, "UBND tỉnh Đồng Nai", "Năm 2026"),
]


def cells(raw_text: str, table: TableHint) -> list[list[str]]:
    return [[raw_text[s:e] for s, e in row] for row in table.rows]


def _task_table(document: docx.document.Document) -> Table:
    """The task table: header, a section row merged across, 3 Word-numbered tasks."""
    table = document.add_table(rows=2 + len(TASKS), cols=len(HEADER))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, HEADER, strict=True):
        fill_cell(cell, [title], bold=1)
    section = table.cell(1, 0).merge(table.cell(1, len(HEADER) - 1))  # gridSpan
    fill_cell(section, ["I. NHIỆM VỤ CHUNG"], bold=1)
    num_id = add_list(document, add_list_definition(document, (("decimal", "%1."),)))
    for i, (stt, content, lead, partners, deadline) in enumerate(TASKS, start=2):
        fill_cell(table.cell(i, 0), [stt])
        fill_cell(table.cell(i, 1), content)
        number_paragraph(table.cell(i, 1).paragraphs[0], num_id)
        if lead is None:
            table.cell(i - 1, 2).merge(table.cell(i, 2))  # vMerge: the lead agency runs on
        else:
            fill_cell(table.cell(i, 2), [lead])
        fill_cell(table.cell(i, 3), [partners])
        fill_cell(table.cell(i, 4), [deadline])
    return table


def task_letter(path: Path) -> Path:
    """LETTER_3722 (2×2 header table, 1×2 footer table) with the task table before the footer."""
    build_letter_docx(path, LETTER_3722)
    document = docx.Document(str(path))
    footer = document.tables[-1]
    footer._tbl.addprevious(_task_table(document)._tbl)
    document.save(str(path))
    return path


def test_header_task_table_and_footer_are_three_hints_cell_by_cell(tmp_path: Path) -> None:
    raw = load_docx(task_letter(tmp_path / "tasks.docx"))
    assert [t.source for t in raw.tables] == ["docx"] * 3
    header, tasks, footer = raw.tables
    assert cells(raw.text, header) == [
        ["\n".join(LETTER_3722.issuer), "\n".join(LETTER_3722.motto)],
        ["\n".join([LETTER_3722.number, *LETTER_3722.subject]), LETTER_3722.place_date],
    ]
    assert cells(raw.text, tasks) == [
        HEADER,
        ["I. NHIỆM VỤ CHUNG"],  # merged across all columns: one cell
        [
            "1",
            "1. Rà soát hồ sơ Dự án kéo dài tuyến Metro",
            "Bộ Xây dựng",
            "Bộ Tài chính",
            "Tháng 5/2026",
        ],
        [
            "2",
            "2. Hoàn thiện cơ chế đặc thù\nBáo cáo Thủ tướng Chính phủ kết quả",
            "Bộ Tư pháp",
            "Bộ Công an",
            "Quý II/2026",
        ],
        # The vertically merged lead agency stays as an empty cell: columns keep their place.
        ["3", "3. Hướng dẫn trình tự, thủ tục", "", "UBND tỉnh Đồng Nai", "Năm 2026"],
    ]
    assert cells(raw.text, footer) == [
        ["\n".join(LETTER_3722.cc), "\n".join(LETTER_3722.signature)]
    ]


def test_vertical_merge_continuation_is_an_empty_span_after_the_text_so_far(tmp_path: Path) -> None:
    raw = load_docx(task_letter(tmp_path / "tasks.docx"))
    s, e = raw.tables[1].rows[4][2]
    before = raw.tables[1].rows[4][1]
    assert s == e == before[1]  # right after the cell before it, inside the text


def test_vertical_merge_continuation_is_listed_as_merged_through_normalisation(
    tmp_path: Path,
) -> None:
    """The continuing cell is marked, so that its row can take the text of the cell above
    (the lead agency of row 3 is row 2's); cells that are only empty are not."""
    path = task_letter(tmp_path / "tasks.docx")
    assert load_docx(path).tables[1].merged == {(4, 2)}
    assert load(path).text_doc().tables[1].merged == {(4, 2)}


def test_a_cell_merged_across_columns_says_how_many_it_covers(tmp_path: Path) -> None:
    """The section row, one cell over the five columns, is listed with its width."""
    path = task_letter(tmp_path / "tasks.docx")
    assert load_docx(path).tables[1].across == {(1, 0): len(HEADER)}
    assert load(path).text_doc().tables[1].across == {(1, 0): len(HEADER)}


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_normalised_spans_hold_the_same_cell_text(tmp_path: Path) -> None:
    path = task_letter(tmp_path / "tasks.docx")
    raw = load_docx(path)
    doc = load(path).text_doc()
    assert [len(t.rows) for t in doc.tables] == [2, 5, 1]
    for raw_table, table in zip(raw.tables, doc.tables, strict=True):
        # Normalisation may join a cell's wrapped lines: compare words, not line breaks.
        want = [[_flat(c) for c in row] for row in cells(raw.text, raw_table)]
        assert [[_flat(c) for c in row] for row in cells(doc.text, table)] == want
    assert cells(doc.text, doc.tables[1])[1] == ["I. NHIỆM VỤ CHUNG"]


def test_nested_table_is_its_own_hint_inside_its_outer_cell(tmp_path: Path) -> None:
    path = nested_tables_docx(tmp_path / "nested.docx")

    raw = load_docx(path)
    outer_hint, inner_hint = raw.tables  # document order: outer first
    assert cells(raw.text, outer_hint) == [
        ["ô gộp ngang", "ô gộp dọc"],
        ["trước bảng lồng\nlồng trái\nlồng phải\n\nsau bảng lồng", "ô thường", ""],
    ]
    assert cells(raw.text, inner_hint) == [["lồng trái", "lồng phải"]]
    (outer_s, outer_e), (inner_s, _), (_, inner_e) = outer_hint.rows[1][0], *inner_hint.rows[0]
    assert outer_s < inner_s < inner_e < outer_e


def test_letter_without_tables_has_no_hints(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Kính gửi: Bộ Xây dựng")
    document.add_paragraph("Đề nghị Bộ Xây dựng báo cáo trước ngày 10/5/2026.")
    path = tmp_path / "plain.docx"
    document.save(str(path))
    raw = load_docx(path)
    assert raw.tables == []
    assert load(path).text_doc().tables == []
