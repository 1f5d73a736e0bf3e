"""Tables printed one row per line with tab-separated cells (bảng cách nhau bằng tab).

A table copied out of Word or a PDF viewer into plain text keeps each row on a line
and puts a tab between its cells (`STT⇥Nhiệm vụ⇥Cơ quan chủ trì⇥Cơ quan phối hợp⇥
Thời gian hoàn thành`, then `1⇥Tuyên truyền …⇥Sở A⇥Sở B⇥Tháng 6/2025`). ANNOTATION §3
rule 6 reads a task table one task per row, so such a table is handed on as a table
(`TableHint`, source `tab_lines`), as its pipe or cell-per-line printings are.

A row is a line with two tabs or more between its words (three cells or more; two tabs
side by side leave an empty cell between them). The table is a run of such lines whose
first, the header, names at least the content and the lead of a task (lexicon
`table_roles`, as the other printings require): tabs that only align a letter's header or
signature block (`ỦY BAN NHÂN DÂN⇥⇥CỘNG HÒA …`) make no table.
"""

from __future__ import annotations

from vanban.extractors.tables import cell_role
from vanban.schemas.text import Span, TableHint

# The roles a header must name (ANNOTATION §3 rule 6: what is done, and who leads).
_NEEDED = frozenset({"content", "lead"})
_MIN_CELLS = 3


def find_tab_tables(text: str, lines: list[Span], used: list[bool]) -> list[TableHint]:
    """Tab-separated tables among the lines not `used` by other tables (module doc)."""
    tables: list[TableHint] = []
    rows: list[list[Span]] = []
    for (s, e), taken in zip(lines, used, strict=True):
        row = None if taken else _tab_row(text, s, e)
        if row is not None and (rows or _is_header(text, row)):
            rows.append(row)
            continue
        if len(rows) > 1:
            tables.append(TableHint(rows, "tab_lines"))
        rows = [row] if row is not None and _is_header(text, row) else []
    if len(rows) > 1:
        tables.append(TableHint(rows, "tab_lines"))
    return tables


def _tab_row(text: str, start: int, end: int) -> list[Span] | None:
    """The cells of a line with two tabs or more inside its words; None for other lines."""
    line = text[start:end]
    lead = len(line) - len(line.lstrip())
    trail = len(line.rstrip())
    if line.count("\t", lead, trail) < _MIN_CELLS - 1:
        return None
    cells: list[Span] = []
    pos = start + lead
    for part in line[lead:trail].split("\t"):
        s = pos + len(part) - len(part.lstrip())
        e = pos + len(part.rstrip())
        cells.append((s, max(s, e)))
        pos += len(part) + 1
    return cells


def _is_header(text: str, row: list[Span]) -> bool:
    """A header row: every cell filled, naming a task's content and its lead."""
    if any(e <= s for s, e in row):
        return False
    roles = {cell_role(text[s:e]) for s, e in row}
    return roles >= _NEEDED
