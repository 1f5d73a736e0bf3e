"""Rule: a table whose rows are tasks gives one task per row (ANNOTATION §3
rule 6: `STT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian
hoàn thành` gives one task per row).

Reads a `Table` node whose columns have roles (`tables.py`): the content
cell is the task's text, the lead column its lead (both `chủ trì` and
`thực hiện` when both are given), the coordinate column its coordinate, the
deadline column its deadline (read by the deadline grammar on that cell
alone), a monitor column (`Cơ quan theo dõi, đôn đốc`) its monitor, which
is neither lead nor coordinate. A row with no lead cell, or one naming no
body, falls back to the issuer (§3, lead: "otherwise … the lead is the
issuer"). A row with fewer cells than the header (a merged section row,
`I | KIỆN TOÀN …`) is a heading, not a task; its period is the time of the
rows below that have none of their own (§6, heading times). A lead, coordinate or
time cell merged down over several rows belongs to every row it spans: a Word
table marks it (`vMerge`); a crawl prints it in its top row only, so a numbered
row with fewer cells than the header lacks it, and its cells are placed by what
they hold (a time in the time column). A cell printed empty stays empty. A row
with no number and no cell but a content that opens with a bullet (`| | - … | | |`)
is a point of the row above, not a row of its own (§3 rule 2); nor is a row with no
number whose content goes on in lower case (`| | và … | | Sở X | | |`): it is the rest
of the row above, broken over a page break (§3 rule 1).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from vanban.extractors import rules as R
from vanban.extractors.actors import (
    LIEN_QUAN,
    cell_roles,
    cited_issuer,
    drop_sections,
    unique_agencies,
)
from vanban.extractors.deadlines import (
    cell_day,
    cell_relative,
    heading_deadline,
    task_deadline,
    task_recurrence,
)
from vanban.extractors.tables import Table
from vanban.schemas import Agency, Deadline, Task

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


_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,3})*\.?")
_SECTION = re.compile(r"(?:[IVXL]{1,6}|[A-ZĐ])\.?")


def row_tasks(ctx: RowContext, table: Table, part: str | None = None) -> list[Task]:
    """One task per row of a task table."""
    out: list[Task] = []
    state = _Rows()
    for i, row in enumerate(table.body_rows(), start=table.body_start):
        kind = _row_kind(table, ctx.text, i, row)
        if kind == "section":
            state.section = _cell_text(ctx.text, row[0]).rstrip(".")
            state.time = _section_time(ctx, row)
            state.number, state.repeats = "", 0
            continue
        if _group_row(table, i, ctx.text, row) or _heads_subrows(table, i, ctx.text):
            # `| 1 | Nhóm nhiệm vụ về thể chế |` over rows `1.1`, `1.2`: a heading (§6
            # sections by heading), its period the time of the rows below without one, its
            # lead (if it names one) the lead of those with none (§3 rule 2: sub-items
            # inherit the lead-in's agencies).
            state.time, state.lead = _section_time(ctx, row), _group_lead(ctx, table, row)
            continue
        if _names_columns(ctx.text, table, row):
            R.not_a_task(_row_span(row), R.TABLE_HEAD_ROW)
            continue
        aligned = _aligned(ctx, table, i, kind)
        if out and (content := _content_point(ctx.text, table, aligned)) is not None:
            # `| | - Tổ chức hội nghị … | | |` under row 1: a point of row 1's content (§3
            # rule 2: content points of one work; rule 1: what follows an item belongs to it).
            prev = out[-1]
            out[-1] = prev.model_copy(
                update={"text": prev.text + "\n" + _cell_text(ctx.text, content)}
            )
            continue
        if out and _continues_row(ctx.text, table, i, aligned, state):
            R.not_a_task(_row_span(row), R.TABLE_ROW_BROKEN)
            out[-1] = _continued(ctx, table, out[-1], aligned)
            continue
        cells = _merged_down(table, i, row, aligned, state)
        if kind == "continued" or _continues_number(table, cells, state):
            # Cells merged down from the row above (a rowspan) are that row's.
            number = table.column("number")
            cells = [
                c if (c is not None and c[1] > c[0]) or j == number else p
                for j, (c, p) in enumerate(zip(cells, state.cells, strict=False))
            ]
        state.cells = cells
        task = _row_task(ctx, table, cells, state, part)
        if task is not None:
            out.append(task)
    return out


_BULLET = re.compile(r"[*_\s]*[-–+•]\s")


def _content_point(text: str, table: Table, cells: list[Span | None]) -> Span | None:
    """The content cell of a row with no number and no other cell, which opens with a
    bullet; else None."""
    col = table.column("content")
    if col is None or col >= len(cells):
        return None
    content = cells[col]
    if content is None or content[1] <= content[0] or not _BULLET.match(text, content[0]):
        return None
    others = all(c is None or c[1] <= c[0] for i, c in enumerate(cells) if i != col)
    return content if others else None


def _continues_row(text: str, table: Table, i: int, cells: list[Span | None], state: _Rows) -> bool:
    """A row broken over a page break (§3 rule 1: what follows an item without a marker
    belongs to it, also across a page break): no number, under a numbered row, and a
    content that goes on in lower case (`| | và cơ sở dữ liệu … | | |`); a row of its own
    opens with a capital (`Xây dựng …`). Where the loader saw the page break (a PDF, whose
    row Word split over two pages), the first row of the new page with no number of its
    own is the rest of the row above, whatever it holds (the last `- …` points of its
    content, the last bodies of its coordinate list), unless the row above was itself one
    merged down under a number (a group of rows, which goes on). Anywhere, a row that holds
    only coordinating bodies is the rest of the row above (`_only_partners`)."""
    number, content = table.column("number"), table.column("content")
    if number is None or content is None or content >= len(cells) or not state.number:
        return False
    own, cell = cells[number] if number < len(cells) else None, cells[content]
    if own is not None and own[1] > own[0]:
        return False
    if i in table.breaks and (i, number) not in table.merged and not state.repeats:
        return any(c is not None and c[1] > c[0] for c in cells)
    if cell is None or cell[1] <= cell[0]:
        return _only_partners(table, cells)
    first = _cell_text(text, cell)[:1]
    return first.isalpha() and first.islower()


def _group_row(table: Table, i: int, text: str, row: list[Span]) -> bool:
    """A numbered row of a Word or ruled PDF table whose second cell is merged across every
    column after the number: a group heading over the rows below, not a task. (A crawl's
    short row may instead have lost cells merged down, so crawls are left out.)"""
    width = len(table.roles)
    if table.source not in ("pdf", "docx") or len(row) != 2 or width < 4:
        return False
    if not _NUMBER.fullmatch(_cell_text(text, row[0])) or row[1][1] <= row[1][0]:
        return False
    return table.source == "pdf" or table.across.get((i, 1)) == width - 1


# The number of a sub-row by letter (`a`, `b)`, `đ.`): an item's sub-items (§3: `a)`, `b)`).
_LETTER_NUMBER = re.compile(r"[a-zđ][).]?")


def _heads_subrows(table: Table, i: int, text: str) -> bool:
    """A numbered row (`| 2 | **Nhóm nhiệm vụ về …** | | |`, also one that fills its lead or
    time: `| 2 | Cải cách tổ chức bộ máy | Sở X | | |`) over a row numbered as its
    sub-item (`2.1`, or `a` as an item's `a)`), or over a bulleted row with cells of its own
    (`| | - Rà soát … | Sở Y | | Quý III/2025 |`): a group heading, as when its cell is
    merged across (§3 rule 2: the sub-items are the tasks, the lead-in is none)."""
    number, content = table.column("number"), table.column("content")
    row = table.rows[i]
    if number is None or content is None or i + 1 >= len(table.rows):
        return False
    own = _cell_text(text, row[number]).rstrip(".") if number < len(row) else ""
    below = table.rows[i + 1]
    under = _cell_text(text, below[number]) if number < len(below) else ""
    if not own.isdigit():
        return False
    return (
        (under.startswith(own + ".") and len(under) > len(own) + 1)
        or bool(_LETTER_NUMBER.fullmatch(under))
        or (not under and i + 1 not in table.breaks and _bulleted_row(table, below, text))
    )


def _group_lead(ctx: RowContext, table: Table, row: list[Span]) -> list[Agency] | None:
    """The bodies a group heading's lead cells name, for the rows below it; None if none."""
    found = [a for lead_part, _ in _lead_cell_roles(ctx, table, row) for a in lead_part]
    lead = [a for a in found if not cited_issuer(ctx.text, a)]
    return lead or None


def _lead_cell_roles(
    ctx: RowContext, table: Table, cells: Sequence[Span | None]
) -> list[tuple[list[Agency], list[Agency]]]:
    """What each filled lead cell of a row gives (`cell_roles`): the bodies that lead, and
    the coordinating part a lead cell may give too (`Sở A chủ trì, phối hợp với Sở B`)."""
    return [
        cell_roles(ctx.text, c, ctx.find)
        for i, r in enumerate(table.roles)
        if r == "lead" and i < len(cells) and (c := cells[i]) is not None and c[1] > c[0]
    ]


def _bulleted_row(table: Table, row: list[Span], text: str) -> bool:
    """A row whose content opens with a bullet and which fills its own lead or time cell: a
    sub-item of the row above with cells of its own, not a point of its content (nor the
    rest of a row broken over a page, whose points and partners go on under no number)."""
    content = table.column("content")
    if content is None or content >= len(row) or not _BULLET.match(text, row[content][0]):
        return False
    return any(
        c[1] > c[0]
        for j, c in enumerate(row)
        if j < len(table.roles) and table.roles[j] in ("lead", "deadline")
    )


def _only_partners(table: Table, cells: list[Span | None]) -> bool:
    """A row with no number, work, lead nor time of its own, only coordinating bodies
    (`| | | | Sở B | |` under `… | Sở A, | …`): the rest of the coordinate list
    of the row above, not a task (a task is its work and its lead, §3 rule 6)."""
    filled = {table.roles[j] for j, c in enumerate(cells[: len(table.roles)]) if c and c[1] > c[0]}
    return filled == {"coordinate"}


def _row_span(row: list[Span]) -> Span:
    filled = [c for c in row if c[1] > c[0]] or row
    return (filled[0][0], filled[-1][1]) if filled else (0, 0)


def _names_columns(text: str, table: Table, row: list[Span]) -> bool:
    """A body row that numbers the columns (`(1) | (2) | (3) …`, `1 | 2 | 3 …`) or prints
    a row of the header again (a crawl of a table over pages, a header of one or two rows):
    not a row of tasks."""
    cells = [_cell_text(text, c).casefold() for c in row]
    if len(cells) >= 3 and all(re.fullmatch(rf"\(?{k + 1}\)?", c) for k, c in enumerate(cells)):
        return True
    if table.header is None or sum(1 for c in cells if c) < 2:
        return False
    heads = table.rows[: table.header + 1]
    return any(cells == [_cell_text(text, c).casefold() for c in head] for head in heads)


def _continued(ctx: RowContext, table: Table, prev: Task, cells: list[Span | None]) -> Task:
    """`prev` with the rest of its row printed after a page break: the content goes on
    (a point of it on a line of its own), a body named in a lead or coordinate cell of the
    rest is that row's too, and so is a time, when the row had none."""

    def found(role: str) -> list[Agency]:
        return [
            a
            for j, r in enumerate(table.roles)
            if r == role and j < len(cells) and (c := cells[j]) is not None and c[1] > c[0]
            for a in ctx.find(ctx.text, *c)
        ]

    content = cells[table.column("content") or 0]
    more = _cell_text(ctx.text, content) if content is not None else ""
    glue = "\n" if _BULLET.match(more) else " "
    due, col = prev.deadline, table.column("deadline")
    if due is None and col is not None and col < len(cells) and (c := cells[col]) and c[1] > c[0]:
        due = _cell_deadline(ctx, c)
    lead, coordinate = found("lead"), found("coordinate")
    return prev.model_copy(
        update={
            "text": prev.text + glue + more if more else prev.text,
            "deadline": due,
            "lead": unique_agencies(lead if prev.lead_default and lead else prev.lead + lead),
            "coordinate": unique_agencies(prev.coordinate + coordinate),
            "lead_default": prev.lead_default and not lead,
        }
    )


@dataclass
class _Rows:
    """What a row inherits from the rows above it."""

    section: str = ""
    number: str = ""
    repeats: int = 0
    time: Deadline | None = None
    lead: list[Agency] | None = None
    cells: list[Span | None] = field(default_factory=list)


def _cell_text(text: str, cell: Span) -> str:
    return _MARKUP.sub("", text[cell[0] : cell[1]]).strip()


def _row_kind(table: Table, text: str, i: int, row: list[Span]) -> str:
    """`data` (cells in column order), `section` (a merged heading row: `I |
    KIỆN TOÀN …`) or `continued` (a row under the number of the row above,
    merged down: its cells start at the content column). A Word row short only
    by the cells it merges across (`| | - Tổ chức hội nghị … |` spanning the
    columns after the number) keeps its number cell: it is data, its points are
    the content of the row above (§3 rule 6; rule 2: content points of one work)."""
    first = _cell_text(text, row[0]) if row else ""
    if _SECTION.fullmatch(first) or len(row) == 1:
        return "section"
    needed = max(table.column(r) or 0 for r in ("content", "lead", "deadline")) + 1
    if len(row) >= needed or _NUMBER.fullmatch(first) or table.fills_header(i):
        return "data"
    return "continued"


def _aligned(ctx: RowContext, table: Table, i: int, kind: str) -> list[Span | None]:
    """The row's cells by column: a continued row's first cell is the content. A row
    of a web crawl shorter than the header lost the cells merged down from the row
    above (HTML prints a rowspan's cell in its top row only; a Word table keeps a
    merged cell's place, and its short rows are cells merged across): after the
    content, each cell goes to the next column it fits, a time to the time column, a
    cell naming a body past the time column; the columns skipped stay None (absent).
    A cell a Word table merges across columns counts in the first of them."""
    row = table.rows[i]
    start = 0 if kind == "data" else (table.column("content") or 0)
    cells: list[Span | None] = [None] * start + list(row)
    width = len(table.roles)
    if kind == "data" and (cols := table.columns_of(i)) != list(range(len(row))):
        placed: list[Span | None] = [None] * width
        for col, span in zip(cols, row, strict=True):
            placed[col] = span
        return placed
    content, due = table.column("content"), table.column("deadline")
    if (
        table.source not in _CRAWLED
        or len(cells) >= width
        or content is None
        or len(cells) <= content + 1
    ):
        return cells + [None] * (width - len(cells))
    out: list[Span | None] = cells[: content + 1] + [None] * (width - content - 1)
    col = content + 1
    for cell in cells[content + 1 :]:
        if cell is not None and due is not None and due >= col and _is_time(ctx, cell):
            col = due
        elif col == due and due + 1 < width and cell and ctx.find(ctx.text, *cell):
            col += 1
        if col >= width:
            return cells + [None] * (width - len(cells))  # more cells than columns left
        out[col] = cell
        col += 1
    return out


# Tables printed by a web crawl (`vanban.pipeline.md_tables`) or one cell per paragraph
# (`vanban.pipeline.line_tables`), whose short rows lost cells merged down.
_CRAWLED = frozenset({"markdown", "pipe_lines", "cell_paragraphs"})


def _is_time(ctx: RowContext, cell: Span) -> bool:
    return cell[1] > cell[0] and _cell_deadline(ctx, cell) is not None


def _merged_down(
    table: Table, i: int, row: list[Span], cells: list[Span | None], state: _Rows
) -> list[Span | None]:
    """A cell merged down from the row above holds that row's text: a lead, coordinate
    or time cell spanning several task rows belongs to each of them (§3 rule 6: one task
    per row, with its lead, coordinate and time). Merged are the cells a Word table marks
    (`vMerge`) and those a crawl's short row lacks (`_aligned`); an empty cell printed as
    such is only empty. The number and content cells are the row's own."""
    own = {table.column("number"), table.column("content")}
    content = table.column("content") or 0
    short = table.source in _CRAWLED and content + 1 < len(row) < len(table.roles)
    cols = table.columns_of(i)
    merged = {cols[j] for r, j in table.merged if r == i and j < len(cols)}
    return [
        state.cells[j]
        if j not in own and j < len(state.cells) and (j in merged or (short and c is None))
        else c
        for j, c in enumerate(cells)
    ]


def _continues_number(table: Table, cells: list[Span | None], state: _Rows) -> bool:
    """A row whose number cell is empty, under a numbered row: merged down from it."""
    col = table.column("number")
    if col is None or not state.cells or col >= len(cells):
        return False
    c = cells[col]
    return (c is None or c[1] <= c[0]) and bool(state.number)


def _row_task(
    ctx: RowContext, table: Table, cells: list[Span | None], state: _Rows, part: str | None
) -> Task | None:
    def filled(i: int | None) -> Span | None:
        c = cells[i] if i is not None and i < len(cells) else None
        return c if c is not None and c[1] > c[0] else None

    content = filled(table.column("content"))
    if content is None:
        return None
    lead_cols = [i for i, r in enumerate(table.roles) if r == "lead"]
    roles = _lead_cell_roles(ctx, table, cells)
    found = [a for lead_part, _ in roles for a in lead_part]
    partners = [a for _, part in roles for a in part]
    lead = [a for a in found if not cited_issuer(ctx.text, a)]
    if found and not lead:
        # `Theo phân công tại Phương án số … của UBND tỉnh`: the bodies a cited document
        # assigns, which this letter does not name (§3 lead and coordinate: `@lien-quan`).
        lead = [Agency(name=LIEN_QUAN, code=LIEN_QUAN, raw=found[0].raw, span=found[0].span)]
    if not lead and not any(filled(i) for i in lead_cols) and state.lead is not None:
        lead = state.lead  # a lead cell merged down from the row above
    state.lead = lead
    due_cell = filled(table.column("deadline"))
    due = _cell_deadline(ctx, due_cell) if due_cell else state.time
    coordinate = filled(table.column("coordinate"))
    # `Cơ quan theo dõi, đôn đốc`: who follows the row up, neither lead nor coordinate.
    monitor = [
        a
        for i, r in enumerate(table.roles)
        if r == "monitor" and (c := filled(i))
        for a in ctx.find(ctx.text, *c)
    ]
    label = _label(ctx.text, filled(table.column("number")), state)
    return Task(
        task_id=f"{ctx.doc_id}:{label}",
        label=label,
        text=ctx.text[content[0] : content[1]],
        span=content,
        lead=unique_agencies(lead) or ctx.default_lead,
        coordinate=unique_agencies(
            [
                *(drop_sections(ctx.text, ctx.find(ctx.text, *coordinate)) if coordinate else []),
                *partners,
            ]
        ),
        monitor=unique_agencies(monitor),
        deadline=due,
        part=part,
        lead_default=not lead,
        rules=[
            str(R.TABLE_ROW),
            str(R.LEAD_COLUMN if lead else R.LEAD_NO_COLUMN),
            *([] if due is None else [str(R.DUE_COLUMN if due_cell else R.DUE_SECTION_ROW)]),
        ],
    )


_BARE_YEAR = re.compile(r"(?:19|20)\d{2}")


def _cell_deadline(ctx: RowContext, cell: Span) -> Deadline | None:
    """The time column read by the deadline grammar; a bare year there (`2025`)
    is that year, whose last day it means (§3: `năm 2025` → 2025-12-31)."""
    due = task_deadline(ctx.text, *cell, doc_date=ctx.doc_date)
    raw = ctx.text[cell[0] : cell[1]]
    if due is None and _BARE_YEAR.fullmatch(raw.strip("* ")):
        year = raw.strip("* ")
        s = cell[0] + raw.index(year)
        return Deadline(date=f"{year}-12-31", relation="by_end_of", raw=year, span=(s, s + 4))
    # No date: the column may hold a day without its year (`30/11`), say the work recurs
    # (`Hằng tháng`, `Trước ngày 25 hằng quý`), or give a time limit counted from an event
    # (`05 ngày làm việc`).
    return (
        due
        or cell_day(ctx.text, *cell, doc_date=ctx.doc_date)
        or task_recurrence(ctx.text, *cell, doc_date=ctx.doc_date)
        or cell_relative(ctx.text, *cell, doc_date=ctx.doc_date)
    )


def _label(text: str, number: Span | None, state: _Rows) -> str:
    """`I.2`; a row under the number above (merged down) is `I.2b`, `I.2b3` …"""
    if number is not None:
        state.number, state.repeats = _cell_text(text, number).rstrip("."), 0
    else:
        state.repeats += 1
    own = state.number or "r"
    if state.repeats:
        own += "b" if state.repeats == 1 else f"b{state.repeats}"
    return f"{state.section}.{own}" if state.section else own


def _section_time(ctx: RowContext, row: list[Span]) -> Deadline | None:
    """A section row's period for the rows below: a due time anywhere in the row, else
    a period dating the work its heading cell names (`| I | NHIỆM VỤ QUÝ IV/2025 |`,
    §6 Heading times)."""
    s, e = row[0][0], row[-1][1]
    if e <= s:
        return None
    due = task_deadline(ctx.text, s, e, doc_date=ctx.doc_date)
    heads = (heading_deadline(ctx.text, a, b, doc_date=ctx.doc_date) for a, b in row if b > a)
    return due or next((h for h in heads if h is not None), None)
