"""Tables of a letter (bảng) and the roles of their columns.

Loaders hand on the tables they saw (`TextDoc.tables`: DOCX tables, markdown
pipe rows, ruled PDF tables). Here each gets its header row recognised and
its columns mapped to roles from `data/lexicon/table_roles.tsv`: `content`
(nội dung, nhiệm vụ), `lead` (cơ quan chủ trì), `coordinate` (cơ quan phối
hợp), `deadline` (thời gian hoàn thành), `product` (sản phẩm), `monitor`
(theo dõi), `note`, `number` (STT), `target` (chỉ tiêu). A header of two rows
(`Cơ quan thực hiện` merged over `Chủ trì | Phối hợp`) takes its roles from both.

A task table (ANNOTATION §3 rule 6) has a content column and a lead or
deadline column; a table of targets (`Chỉ tiêu`, §6) is not one, even with a
responsible-unit column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from vanban.extractors import lexicon
from vanban.schemas import TextDoc

Span = tuple[int, int]


@dataclass
class Table:
    """A table node: its rows of cell spans, its header row and column roles."""

    rows: list[list[Span]]
    source: str = ""
    header: int | None = None  # index of the header row in `rows`
    roles: list[str] = field(default_factory=list)  # role of each column ("" unknown)
    # (i, j) of the cells continuing a cell merged down from row i - 1 (`TableHint.merged`)
    merged: set[tuple[int, int]] = field(default_factory=set)
    # (i, j) → the number of grid columns cell j of row i covers, when more than one
    across: dict[tuple[int, int], int] = field(default_factory=dict)
    # rows that open a new page (`TableHint.breaks`)
    breaks: set[int] = field(default_factory=set)

    @property
    def span(self) -> Span:
        cells = [c for row in self.rows for c in row if c[1] > c[0]]
        if not cells:
            return (0, 0)
        return (min(s for s, _ in cells), max(e for _, e in cells))

    @property
    def is_task_table(self) -> bool:
        """Rows are tasks: a content column beside a lead or deadline column; not a table of
        targets (§6) nor one of results, a column of scores, ranks or rates and no due time
        (`Điểm đạt được`, `Xếp hạng`, `Tỷ lệ`: findings, §3 rule 3)."""
        roles = set(self.roles)
        results = "measure" in roles and "deadline" not in roles
        return (
            "content" in roles
            and bool(roles & {"lead", "deadline"})
            and "target" not in roles
            and not results
        )

    def columns_of(self, i: int) -> list[int]:
        """The column of each cell of row i: a cell merged across columns pushes the cells
        after it along, when the row then fills the header exactly; else cell j is column j."""
        row, at, out = self.rows[i], 0, []
        for j in range(len(row)):
            out.append(at)
            at += self.across.get((i, j), 1)
        return out if at == len(self.roles) and at > len(row) else list(range(len(row)))

    def fills_header(self, i: int) -> bool:
        """Row i is short only because the table merged some of its cells across columns
        (`across`, a Word table's `gridSpan`): with them it covers every column of the header."""
        width = sum(self.across.get((i, j), 1) for j in range(len(self.rows[i])))
        return width == len(self.roles) and width > len(self.rows[i])

    def column(self, role: str) -> int | None:
        return self.roles.index(role) if role in self.roles else None

    def body_rows(self) -> list[list[Span]]:
        return self.rows[self.body_start :]

    @property
    def body_start(self) -> int:
        """The index in `rows` of the first row under the header."""
        return (self.header + 1) if self.header is not None else 0


def fold_cell(text: str) -> str:
    """A header cell as the lexicon spells it: lower case, NFC, no markup, one space; a slash
    between nouns is a comma (`Cơ quan/đơn vị phối hợp`)."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = re.sub(r"\s*/\s*", ", ", text)
    return " ".join(re.sub(r"[*_:()\[\]]", " ", text).split())


@cache
def _roles() -> tuple[tuple[str, str], ...]:
    return tuple((r["role"], r["phrase"]) for r in lexicon.rows("table_roles"))


@cache
def _roles_by_first() -> dict[str, tuple[tuple[str, str], ...]]:
    """`_roles()` by their phrase's first character, each in the lexicon's order (a phrase
    that starts no other way cannot start the cell); "" for the phrases that start none."""
    firsts = {phrase[:1] for _, phrase in _roles()}
    return {
        c: tuple((role, phrase) for role, phrase in _roles() if phrase[:1] in {c, ""})
        for c in firsts | {""}
    }


@cache
def _opening_no_phrase() -> re.Pattern[str]:
    """A cell whose first character as `fold_cell` keeps it opens no phrase of the lexicon,
    told without folding the cell: after blanks and markup, nothing, or a plain ASCII
    character that is no phrase's first letter in either case (its own NFC, its case fold its
    lower case), with no mark after it to compose with. Most lines of a letter are told so
    (`|`, `-`, `1.`, `a)`, a blank line). The character cannot be one of the blanks or the
    markup: the pattern then reads the one character that the fold keeps first."""
    firsts = {c for c in _roles_by_first() if c}
    skipped = set("*_:()[]") | {chr(n) for n in range(128) if chr(n).isspace()}
    plain = "".join(f"\\x{n:02x}" for n in range(128) if chr(n).lower() not in firsts | skipped)
    return re.compile(rf"[\s*_:()\[\]]*(?:\Z|[{plain}](?:\Z|[\x00-\x7f]))")


def cell_role(text: str) -> str:
    """The role a header cell names (`Cơ quan chủ trì` → `lead`), or "": the first phrase of
    the lexicon that is the cell or opens it before a space or a comma."""
    if _opening_no_phrase().match(text) and not _roles_by_first()[""]:
        return ""  # (a phrase of no words would open every cell)
    cell = fold_cell(text)
    by_first = _roles_by_first()
    for role, phrase in by_first.get(cell[:1], by_first[""]):
        n = len(phrase)
        if cell.startswith(phrase) and (len(cell) == n or cell[n] in " ,"):
            return role
    return ""


def _header(text: str, rows: list[list[Span]]) -> tuple[int | None, list[str]]:
    """The first of the top rows in which two cells or more name a role; with the row under
    it when that row splits a merged cell (`Cơ quan thực hiện` over `Chủ trì | Phối hợp`)."""
    for i, row in enumerate(rows[:3]):
        roles = [cell_role(text[s:e]) for s, e in row]
        if sum(1 for r in roles if r) >= 2:
            if i + 1 < len(rows) and (split := _split_header(text, roles, rows[i + 1])):
                return i + 1, split
            if i + 2 < len(rows) and (split := _split_alone(text, roles, rows[i + 1 : i + 3])):
                return i + 1, split
            return i, roles
    return None, []


def _split_header(text: str, roles: list[str], under: list[Span]) -> list[str] | None:
    """The roles of a two-row header, by the cells of its second row, or None when `under`
    does not split a merged cell of the first. A blank cell under a cell merged down keeps
    that cell's role; a run of named cells splits one merged cell, each taking its own role
    (`Chủ trì` → lead, `Phối hợp` → coordinate) or the merged cell's."""
    cells = [text[s:e].strip() for s, e in under]
    if len(cells) == len(roles):
        return _split_in_place(roles, cells)
    if len(cells) < len(roles) or not any(cell_role(c) for c in cells):
        return None
    out: list[str] = []
    k = -1
    for j, cell in enumerate(cells):
        if not cell or j == 0 or not cells[j - 1]:
            k += 1  # a new cell of the first row
        if k >= len(roles):
            return None
        out.append((cell_role(cell) or roles[k]) if cell else roles[k])
    return out if k == len(roles) - 1 else None


def _split_alone(text: str, roles: list[str], rows: list[list[Span]]) -> list[str] | None:
    """A second header row printed with only the cells that split a merged cell of the
    first, the cells merged down left out (a crawl of `rowspan`, `colspan`): `STT | Nội dung
    | Đơn vị thực hiện | Thời gian` over `Chủ trì | Phối hợp`, or `Thời gian` over `Bắt đầu
    | Kết thúc`. Its cells all name a role, one of them that of the cell they split (the
    first such); the row under them is as wide as the header with the split cell in their
    place."""
    under, data = rows
    cells = [text[s:e].strip() for s, e in under]
    named = [cell_role(c) for c in cells]
    if not 2 <= len(cells) < len(roles) or not all(named):
        return None
    js = [j for j, r in enumerate(roles) if r in named and r != "note"]
    if not js or len(data) != len(roles) - 1 + len(cells):
        return None
    j = js[0]
    return roles[:j] + named + roles[j + 1 :]


def _split_in_place(roles: list[str], cells: list[str]) -> list[str] | None:
    """A merged cell printed as itself and blank cells beside it (`Đơn vị thực hiện | |`
    over `Chủ trì | Phối hợp`): a second row whose cells all name a role, one of them under a
    blank header cell or a role other than its own, gives those columns its roles."""
    named = [j for j, c in enumerate(cells) if c]
    if not named or not all(cell_role(cells[j]) for j in named):
        return None
    if all(roles[j] == cell_role(cells[j]) for j in named):
        return None
    return [cell_role(c) if c else roles[j] for j, c in enumerate(cells)]


def read_tables(doc: TextDoc) -> list[Table]:
    """Every table the loader handed on, with its header row and column roles."""
    out = []
    for hint in doc.tables:
        kept = [i for i, row in enumerate(hint.rows) if row]
        if not kept:
            continue
        rows = [hint.rows[i] for i in kept]
        at = {old: new for new, old in enumerate(kept)}
        merged = {(at[i], j) for i, j in hint.merged if i in at}
        across = {(at[i], j): n for (i, j), n in hint.across.items() if i in at}
        breaks = {at[i] for i in hint.breaks if i in at}
        header, roles = _header(doc.text, rows)
        out.append(Table(rows, hint.source, header, roles, merged, across, breaks))
    return out
