"""Rule: a table whose rows are tasks gives one task per row (ANNOTATION §3
rule 6: `STT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian
hoàn thành` gives one task per row).

Reads a `Table` node whose columns have roles (`tables.py`): the content
cell is the task's text, the lead column its lead (both `chủ trì` and
`thực hiện` when both are given), the coordinate column its coordinate, the
deadline column its deadline (read by the deadline grammar on that cell
alone). A row with no lead cell, or one naming no body, falls back to the
issuer (§3, lead: "otherwise … the lead is the issuer"). A row with fewer
cells than the header (a merged section row, `I | KIỆN TOÀN …`) is a
heading, not a task; its period is the time of the rows below that have
none of their own (§6, heading times).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from extractors.actors import unique_agencies
from extractors.deadlines import task_deadline
from extractors.tables import Table
from schemas import Agency, Deadline, Task

Span = tuple[int, int]
FindAgencies = Callable[[str, int, int], list[Agency]]

_MARKUP = re.compile(r"[*_]+")


@dataclass
class RowContext:
    text: str
    find: FindAgencies
    default_lead: list[Agency]  # the issuer, unless a rule named another body
    doc_date: str | None
    doc_id: str


def _cell(row: list[Span], col: int | None) -> Span | None:
    if col is None or col >= len(row):
        return None
    s, e = row[col]
    return (s, e) if e > s else None


def _agencies(ctx: RowContext, cell: Span | None) -> list[Agency]:
    return ctx.find(ctx.text, *cell) if cell else []


def _is_section(table: Table, row: list[Span]) -> bool:
    """A merged heading row: fewer cells than the header, or only its first two filled."""
    if len(row) < len(table.roles):
        return True
    filled = [i for i, (s, e) in enumerate(row) if e > s]
    return bool(filled) and max(filled) <= 1 and table.column("content") not in (None, 0, 1)


def row_tasks(ctx: RowContext, table: Table, part: str | None = None) -> list[Task]:
    """One task per row of a task table."""
    content = table.column("content")
    lead_cols = [i for i, r in enumerate(table.roles) if r == "lead"]
    coordinate = table.column("coordinate")
    deadline = table.column("deadline")
    number = table.column("number")
    out: list[Task] = []
    previous_lead: list[Agency] = []
    section_time: Deadline | None = None
    for i, row in enumerate(table.body_rows()):
        if _is_section(table, row):
            section_time = _section_time(ctx, row)
            continue
        cell = _cell(row, content)
        if cell is None:
            continue
        lead = [a for c in lead_cols for a in _agencies(ctx, _cell(row, c))]
        # A lead cell merged down from the row above (a Word vMerge) is empty here.
        if not lead and table.source == "docx" and all(_cell(row, c) is None for c in lead_cols):
            lead = previous_lead
        previous_lead = lead
        due_cell = _cell(row, deadline)
        due = task_deadline(ctx.text, *due_cell, doc_date=ctx.doc_date) if due_cell else None
        if due is None and due_cell is None:
            due = section_time
        label = _label(ctx.text, _cell(row, number)) or f"r{i + 1}"
        out.append(
            Task(
                task_id=f"{ctx.doc_id}:{label}",
                label=label,
                text=ctx.text[cell[0] : cell[1]],
                span=cell,
                lead=unique_agencies(lead) or ctx.default_lead,
                coordinate=unique_agencies(_agencies(ctx, _cell(row, coordinate))),
                deadline=due,
                part=part,
            )
        )
    return out


def _section_time(ctx: RowContext, row: list[Span]) -> Deadline | None:
    s, e = row[0][0], row[-1][1]
    return task_deadline(ctx.text, s, e, doc_date=ctx.doc_date) if e > s else None


def _label(text: str, cell: Span | None) -> str:
    if cell is None:
        return ""
    return _MARKUP.sub("", text[cell[0] : cell[1]]).strip().rstrip(".")
