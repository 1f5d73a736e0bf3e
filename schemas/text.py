"""The two in-memory shapes of a letter's text.

`RawText` is what a format loader (txt, docx, pdf) hands to the normaliser:
plain text in reading order, one line per printed line or paragraph.
`TextDoc` is what extractors read: the normalised text, which every span of
the record points into, and the file's own metadata.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from schemas.records import Signature


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


@dataclass
class TextDoc:
    """Normalised text plus metadata; extractors are functions of this."""

    text: str
    metadata: dict[str, str] = field(default_factory=dict)

    @cached_property
    def lines(self) -> list[tuple[int, int]]:
        """`[start, end)` of every line (without its newline)."""
        spans = []
        pos = 0
        for line in self.text.split("\n"):
            spans.append((pos, pos + len(line)))
            pos += len(line) + 1
        return spans

    def line_text(self, i: int) -> str:
        s, e = self.lines[i]
        return self.text[s:e]
