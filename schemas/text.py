"""The two in-memory shapes of a letter's text.

`RawText` is what a format loader (txt, docx, pdf) hands to the normaliser:
plain text in reading order, one line per printed line or paragraph.
`TextDoc` is what extractors read: the normalised text, which every span of
the record points into, and the file's own metadata.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate
from operator import add
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the text shapes do not import pydantic (`vanban.schemas`)
    from vanban.schemas.records import Signature

Span = tuple[int, int]


@dataclass
class TableHint:
    """A table as a loader saw it (bảng): rows of cells, each cell a `[start, end)`
    span of the text it belongs to — the loader's text in `RawText.tables`, the
    normalised text in `TextDoc.tables` (the normaliser maps them).

    `rows[i][j]` is cell j of row i; a cell merged across columns appears once
    (a section row such as `I | KIỆN TOÀN …` has fewer cells than the header).
    `source` says how the table was printed: `markdown` (pipe rows), `pipe_lines`
    (a crawl that put every `|` on its own line), `cell_lines` / `cell_paragraphs` (one cell per
    line or per paragraph, as a PDF text layer or a copy from Word prints it), `docx`, `pdf`.
    `merged` holds the `(i, j)` of the cells that continue a cell merged down from
    the row above (a DOCX `w:vMerge`): each stays in its row as an empty span, so
    cell j is still column j, and its text is that of the cell above, which it is.
    """

    rows: list[list[Span]]
    source: str = ""
    merged: set[tuple[int, int]] = field(default_factory=set)
    # `(i, j)` → the number of grid columns cell j of row i covers, when more than one
    # (a DOCX `w:gridSpan`); a cell not listed covers one.
    across: dict[tuple[int, int], int] = field(default_factory=dict)
    # Indices of the rows that open a new page (a PDF table going on over a page break,
    # its repeated header left out): what such a row lacks in its number cell may be the
    # rest of the row above, broken by the page.
    breaks: set[int] = field(default_factory=set)


@dataclass
class RawText:
    text: str
    format: str
    pages: int | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    signatures: list[Signature] = field(default_factory=list)
    needs_ocr: bool = False
    ocr: bool = False
    warnings: list[str] = field(default_factory=list)
    # Tables the loader recognised, in offsets of `text` (see TableHint).
    tables: list[TableHint] = field(default_factory=list)


@dataclass
class TextDoc:
    """Normalised text plus metadata; extractors are functions of this."""

    text: str
    metadata: dict[str, str] = field(default_factory=dict)
    # Tables handed on by the loader, in offsets of the normalised `text`.
    tables: list[TableHint] = field(default_factory=list)

    @cached_property
    def lines(self) -> list[tuple[int, int]]:
        """`[start, end)` of every line (without its newline): line `i` starts after the
        lengths of the lines before it and their `i` newlines (running sums, at C speed)."""
        lengths = list(map(len, self.text.split("\n")))
        starts = list(map(add, accumulate(lengths, initial=0), range(len(lengths))))
        return list(zip(starts, map(add, starts, lengths), strict=True))

    def line_text(self, i: int) -> str:
        s, e = self.lines[i]
        return self.text[s:e]
