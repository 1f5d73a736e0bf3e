"""Tables of a letter (bảng) and the roles of their columns.

Loaders hand on the tables they saw (`TextDoc.tables`: DOCX tables, markdown
pipe rows, ruled PDF tables). Here each gets its header row recognised and
its columns mapped to roles from `data/lexicon/table_roles.tsv`: `content`
(nội dung, nhiệm vụ), `lead` (cơ quan chủ trì), `coordinate` (cơ quan phối
hợp), `deadline` (thời gian hoàn thành), `product` (sản phẩm), `monitor`
(theo dõi), `note`, `number` (STT), `target` (chỉ tiêu).

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

    @property
    def span(self) -> Span:
        cells = [c for row in self.rows for c in row if c[1] > c[0]]
        if not cells:
            return (0, 0)
        return (min(s for s, _ in cells), max(e for _, e in cells))

    @property
    def is_task_table(self) -> bool:
        """Rows are tasks: a content column beside a lead or deadline column."""
        roles = set(self.roles)
        return "content" in roles and bool(roles & {"lead", "deadline"}) and "target" not in roles

    def column(self, role: str) -> int | None:
        return self.roles.index(role) if role in self.roles else None

    def body_rows(self) -> list[list[Span]]:
        return self.rows[(self.header + 1) if self.header is not None else 0 :]


def fold_cell(text: str) -> str:
    """A header cell as the lexicon spells it: lower case, NFC, no markup, one space."""
    text = unicodedata.normalize("NFC", text).casefold()
    return " ".join(re.sub(r"[*_:()\[\]]", " ", text).split())


@cache
def _roles() -> tuple[tuple[str, str], ...]:
    return tuple((r["role"], r["phrase"]) for r in lexicon.rows("table_roles"))


def cell_role(text: str) -> str:
    """The role a header cell names (`Cơ quan chủ trì` → `lead`), or ""."""
    cell = fold_cell(text)
    for role, phrase in _roles():
        if cell == phrase or cell.startswith(phrase + " ") or cell.startswith(phrase + ","):
            return role
    return ""


def _header(text: str, rows: list[list[Span]]) -> tuple[int | None, list[str]]:
    """The first of the top rows in which two cells or more name a role."""
    for i, row in enumerate(rows[:3]):
        roles = [cell_role(text[s:e]) for s, e in row]
        if sum(1 for r in roles if r) >= 2:
            return i, roles
    return None, []


def read_tables(doc: TextDoc) -> list[Table]:
    """Every table the loader handed on, with its header row and column roles."""
    out = []
    for hint in doc.tables:
        rows = [row for row in hint.rows if row]
        if not rows:
            continue
        header, roles = _header(doc.text, rows)
        out.append(Table(rows, hint.source, header, roles))
    return out
