"""Table hints for text and markdown letters (bảng trong công văn .txt/.md).

Web crawls of thuvienphapluat.vn print a letter's tables (bảng) in two ways;
`find_tables` finds both, and tables printed one cell per line
(`vanban.pipeline.line_tables`), and says where the cells are, as spans of the
loader's text. Which table holds tasks is decided downstream.

`markdown`: one row per line, `| a | b | c |`. The separator row `|---|---|`
is not a row and may be missing. A line is a row when it has pipes at both
ends, or at least two pipes inside it (`a | b | c`); an escaped `\\|` is text.
Consecutive rows make one table; a blank or any other line ends it.

`pipe_lines`: the same table hard-wrapped so that every `|` stands on a line
of its own, each cell's text (perhaps over several lines, in `**bold**`)
between two of them. A blank line ends such a table: crawls never put one
inside a cell, and put one between most tables and the text around them.

Rows of a `pipe_lines` table (dòng, ô). A row opens with `|` and closes with
`|`, so `|` on consecutive lines is either the end of one row and the start of
the next, or an empty cell. The width (số cột) is read first, taking every
`|` + `|` as the end of a row and any further `|` lines as its empty cells: it
is that of the widest of the first rows (the header, which may span two rows
with cells merged across columns) up to the first numbered row, which counts
too. Then, for a row of c cells in a table of width w and r consecutive `|`
lines before the next cell's text:

- c + r > w: the row ends; r - 2 empty cells fill it up to w, any left over
  open the next row;
- else, if the next cell looks like the start of a row (số thứ tự `1`, `12`,
  `1.1`, a roman `II` or `II.1` perhaps in `**`, a letter `a`) and more cells
  follow it after a single `|`: the row ends, short (its cells were merged
  across columns, or down from the row above); a number alone is a value;
- else, if the cells up to the next `|` + `|` would not fit in the row: the row
  ends (a continuation row of a merged cell, which carries no number);
- else the `|` lines hold r - 1 empty cells of the same row.

A complete row whose closing `|` is followed by text ends the table: that
text (a heading, the letter's body) is no cell. When a table of the same width
(3 columns or more) starts right after that one piece of text with a numbered
row, it is the same table, and the piece is left out (a crawl's `…` line).

The letter's own header (cơ quan ban hành | quốc hiệu), recipients (Kính gửi |
list) and footer (Nơi nhận | người ký) are two-column tables of this style
too, which crawls glue to the tables and text around them without a blank
line. So a row whose second cell is the quốc hiệu (CỘNG HÒA XÃ HỘI CHỦ NGHĨA
VIỆT NAM) or whose first cell starts with `Kính gửi` or `Nơi nhận` begins a
new table of two columns, and ends the table before it; a first row cut short
that way, with no `|` + `|` in it, is a one-row table of two columns as well
(the cells after the second are the letter's text).

A table needs two non-empty cells and a row of two cells: anything else (a
stray `|` in a sentence) is no table. Every step is one pass over the lines,
or over one line, with no regex that can backtrack: the time is linear in the
length of the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from itertools import pairwise

from vanban.pipeline.line_tables import find_line_tables, trim_span
from vanban.pipeline.tab_tables import find_tab_tables
from vanban.schemas.text import Span, TableHint

# Kinds of line: a `|` alone, a blank line, anything else.
_PIPE, _BLANK, _TEXT = "pipe", "blank", "text"

# A `|` or an escaped character, so that `\|` is read as one token and skipped.
_PIPE_TOKEN = re.compile(r"\\.|\|", re.S)
_SEPARATOR_CHARS = frozenset("|-: \t\r")
# A row's first cell when the row is numbered: 1, 12, 1.1, II, II.1, a, b).
_ROW_NUMBER = re.compile(r"(?:(?:\d{1,3}|[IVXLC]{1,7})(?:\.\d{1,2}){0,3}|[A-Za-zĐđ])[.)]?")
# Header rows (and first numbered row) read to find a table's width.
_HEADER_ROWS = 4
# Enough of a cell's start to recognise the quốc hiệu, `Kính gửi` or `Nơi nhận`.
_HEAD = 80


def find_tables(text: str) -> list[TableHint]:
    """Tables of a text or markdown letter, in offsets of `text` (see module doc)."""
    lines = _line_spans(text)
    kinds = [_kind(text[s:e]) for s, e in lines]
    used = [False] * len(lines)
    tables = []
    for block in _blocks(text, lines, kinds):
        for table in _BlockParser(text, lines, block).tables():
            tables.append(TableHint(table.rows, "pipe_lines"))
            used[table.first_line : table.last_line + 1] = [True] * (
                table.last_line + 1 - table.first_line
            )
    markdown = _markdown_tables(text, lines, kinds, used)
    for hint in markdown:
        first, last = hint.rows[0][0][0], hint.rows[-1][-1][1]
        used = [u or (s <= last and e >= first) for u, (s, e) in zip(used, lines, strict=True)]
    # A table printed one row per line, its cells apart by tabs (a copy from Word's).
    tabbed = find_tab_tables(text, lines, used)
    for hint in tabbed:
        first, last = hint.rows[0][0][0], hint.rows[-1][-1][1]
        used = [u or (s <= last and e >= first) for u, (s, e) in zip(used, lines, strict=True)]
    # A table printed one cell per line (a PDF text layer's, a copy from Word's).
    tables += markdown + tabbed + find_line_tables(text, lines, used)
    tables.sort(key=lambda t: t.rows[0][0][0])
    return tables


def _line_spans(text: str) -> list[Span]:
    """`[start, end)` of every line, without its `\\n` (a `\\r` stays, as white space)."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _kind(line: str) -> str:
    stripped = line.strip()
    if stripped == "|":
        return _PIPE
    return _TEXT if stripped else _BLANK


def _valid(rows: list[list[Span]]) -> bool:
    """Two non-empty cells and a row of two: less is a stray `|`, not a table."""
    filled = sum(1 for row in rows for s, e in row if e > s)
    return filled >= 2 and max(len(row) for row in rows) >= 2


# -- markdown: one row per line ---------------------------------------------


def _markdown_tables(
    text: str, lines: list[Span], kinds: list[str], used: list[bool]
) -> list[TableHint]:
    tables: list[TableHint] = []
    rows: list[list[Span]] = []
    for i, (s, e) in enumerate(lines):
        row = None if used[i] or kinds[i] != _TEXT else _markdown_row(text, s, e)
        if row is not None:
            if row:  # a separator row (empty list) joins the table but is no row
                rows.append(row)
            continue
        if rows and _valid(rows):
            tables.append(TableHint(rows, "markdown"))
        rows = []
    if rows and _valid(rows):
        tables.append(TableHint(rows, "markdown"))
    return tables


def _markdown_row(text: str, start: int, end: int) -> list[Span] | None:
    """The cells of a markdown row line; `[]` for a separator row; None for other lines."""
    if text.find("|", start, end) < 0:
        return None
    start, end = trim_span(text, start, end)
    if set(text[start:end]) <= _SEPARATOR_CHARS:
        return [] if "-" in text[start:end] else None
    pipes = [m.start() for m in _PIPE_TOKEN.finditer(text, start, end) if m.group() == "|"]
    lead = pipes[0] == start if pipes else False
    trail = pipes[-1] == end - 1 if pipes else False
    inner = len(pipes) - lead - trail
    if inner < 2 and not (lead and trail and len(pipes) >= 2):
        return None
    # Without an edge pipe the row's edge is the line's edge.
    bounds = ([] if lead else [start - 1]) + pipes + ([] if trail else [end])
    return [trim_span(text, a + 1, b) for a, b in pairwise(bounds)]


# -- pipe_lines: every `|` on a line of its own ------------------------------


@dataclass
class _Block:
    """`|` lines and the text between them, up to a blank line.

    `runs[i]` are the consecutive `|` lines (indexes) before `segs[i]`, the
    text of one cell; `runs[-1]` are those after the last one.
    """

    runs: list[list[int]] = field(default_factory=lambda: [[]])
    segs: list[Span] = field(default_factory=list)


@dataclass
class _Table:
    rows: list[list[Span]]
    width: int
    first_line: int
    last_line: int
    # Ended by text after a complete row (perhaps a stray line inside it).
    stray_end: bool = False


def _blocks(text: str, lines: list[Span], kinds: list[str]) -> list[_Block]:
    blocks: list[_Block] = []
    block: _Block | None = None
    pending: tuple[int, int] | None = None  # first and last text line since the last `|`
    for i, kind in enumerate(kinds):
        if kind == _PIPE:
            if block is None:
                block = _Block()
            elif pending is not None:
                block.segs.append(trim_span(text, lines[pending[0]][0], lines[pending[1]][1]))
                block.runs.append([])
            block.runs[-1].append(i)
            pending = None
        elif kind == _TEXT:
            if block is not None:  # text before a block's first `|` is no cell
                pending = (pending[0] if pending else i, i)
        else:
            if block is not None and block.segs:
                blocks.append(block)
            block, pending = None, None
    if block is not None and block.segs:
        blocks.append(block)
    return blocks


class _BlockParser:
    """Reads the rows of one block's tables (rules in the module docstring)."""

    def __init__(self, text: str, lines: list[Span], block: _Block) -> None:
        self.text = text
        self.lines = lines
        self.runs = block.runs
        self.segs = block.segs

    def tables(self) -> list[_Table]:
        out: list[_Table] = []
        i = 0
        while i < len(self.segs):
            table, i = self._table(i)
            if out and self._continues(out[-1], table):
                out[-1].rows += table.rows
                out[-1].last_line = table.last_line
                out[-1].stray_end = table.stray_end
            else:
                out.append(table)
        return [t for t in out if _valid(t.rows)]

    def _table(self, i: int) -> tuple[_Table, int]:
        """The table whose first row opens with the `|` before `segs[i]`, and
        the index of the cell where the next one may start."""
        width = 2 if self._letter_layout(i) else self._header_width(i)
        rows: list[list[Span]] = []
        row = [self.segs[i]]
        nxt = i + 1
        while nxt < len(self.segs):
            run = self.runs[nxt]
            if self._letter_layout(nxt):
                rows.append(row + self._empties(run, 1, min(len(run) - 2, width - len(row))))
                return self._made(rows, width, i, run[0]), nxt
            if len(run) == 1:
                if len(row) < width:
                    row.append(self.segs[nxt])
                    nxt += 1
                    continue
                rows.append(row)  # a complete row, then text: segs[nxt] is outside
                return self._made(rows, width, i, run[0], stray_end=True), nxt + 1
            if self._ends_row(len(row), width, nxt):
                fill = min(len(run) - 2, width - len(row))
                rows.append(row + self._empties(run, 1, fill))
                lead = min(len(run) - 2 - fill, width - 1)
                row = [*self._empties(run, 1 + fill, lead), self.segs[nxt]]
            else:
                row += [*self._empties(run, 1, len(run) - 1), self.segs[nxt]]
            nxt += 1
        last = self.runs[nxt]  # the block's last `|` lines close the row
        rows.append(row + self._empties(last, 1, min(len(last) - 1, width - len(row))))
        return self._made(rows, width, i, last[-1]), nxt

    def _header_width(self, i: int) -> int:
        """The width of a table starting at `segs[i]`: its widest row among the
        header rows and the first numbered row, each split at `|` + `|` (a
        header may span rows, with cells merged across columns), after at most
        `_HEADER_ROWS` rows. `|` lines past the pair are the row's empty cells."""
        width, cells, rows = 0, 1, 0
        numbered = _numbered(self.text, self.segs[i])
        for j in range(i + 1, len(self.segs)):
            pipes = len(self.runs[j])
            if pipes == 1 and self._letter_layout(j):
                # A first row cut by the letter's header or footer is a one-row
                # table like them, of two columns (`Kính gửi` | recipients).
                return max(width, min(cells, 2) if rows == 0 else cells)
            if pipes == 1:
                cells += 1
                continue
            width = max(width, cells + pipes - 2)
            rows += 1
            if numbered or rows == _HEADER_ROWS or self._letter_layout(j):
                return width
            numbered = _numbered(self.text, self.segs[j])
            cells = 1
        return max(width, cells + len(self.runs[-1]) - 1)  # closed by the block's last `|`

    def _made(self, rows: list[list[Span]], width: int, i: int, last: int, **kw: bool) -> _Table:
        return _Table(rows, width, self.runs[i][-1], last, **kw)

    def _ends_row(self, cells: int, width: int, nxt: int) -> bool:
        """Whether the `|` lines before `segs[nxt]` end the row of `cells` cells."""
        pipes = len(self.runs[nxt])
        if cells + pipes > width:
            return True
        chunk = self._chunk(nxt, width)
        # A row number is followed by its row's text: a number alone is a value.
        if chunk >= 2 and _numbered(self.text, self.segs[nxt]):
            return True
        return cells + pipes - 1 + chunk > width

    def _chunk(self, nxt: int, cap: int) -> int:
        """How many cells from `segs[nxt]` on are parted by single `|` lines
        (up to `cap` + 1: enough to know they overflow a row)."""
        count, j = 1, nxt + 1
        while j < len(self.segs) and len(self.runs[j]) == 1 and count <= cap:
            count += 1
            j += 1
        return count

    def _empties(self, run: list[int], first: int, count: int) -> list[Span]:
        """Empty cells at the `|` lines `run[first:first + count]` that close them."""
        starts = (self.lines[line][0] for line in run[first : first + max(count, 0)])
        return [(s, s) for s in starts]

    def _letter_layout(self, i: int) -> bool:
        """Whether a row opening at `segs[i]` is a letter's header (issuer |
        quốc hiệu), its recipients (Kính gửi | list) or its footer (Nơi nhận |
        signer): a table of its own."""
        if _head(self.text, self.segs[i]).startswith(("nơi nhận", "kính gửi")):
            return True
        j = i + 1
        if j >= len(self.segs) or len(self.runs[j]) != 1:
            return False
        head = _head(self.text, self.segs[j])
        return head.startswith(("cộng hòa xã hội", "cộng hoà xã hội"))

    def _continues(self, before: _Table, table: _Table) -> bool:
        """`table` is the rest of `before`, past one stray piece of text."""
        return (
            before.stray_end
            and before.width >= 3
            and table.width == before.width
            and _numbered(self.text, table.rows[0][0])
        )


def _head(text: str, span: Span) -> str:
    """The start of a cell as plain words: no `*`, one space, NFC, lower case."""
    s, e = span
    words = text[s : min(e, s + _HEAD)].replace("*", " ").split()
    return unicodedata.normalize("NFC", " ".join(words)).casefold()


def _numbered(text: str, span: Span) -> bool:
    """Whether a cell holds a row number (số thứ tự): 1, 12, 1.1, II, **III**, a."""
    s, e = span
    if e - s > 20:
        return False
    return _ROW_NUMBER.fullmatch(text[s:e].replace("*", "").strip()) is not None
