"""One letter once: which of the files holding the same letter is its primary copy.

The same letter often comes in several files (a born-digital DOCX and the
scan of its signed paper, a copy in each folder it was sent to); they share
a `doc_id`. The primary copy is the best source, then the first recorded:

1. a text layer (a DOCX, a text file, a PDF with its text) before OCR (a scan
   read by Tesseract), before a scan that could not be read (`needs_ocr`);
2. among equals, the one recorded first (`vanban ingest` marks it so).

`vanban ingest` marks the other copies `duplicate_of` the primary and writes
the primary's tasks only to tasks.jsonl; `one_letter_once` applies the same
rule when records are read, so every consumer (exports, status, notebooks,
the review page) counts a letter once and can show where its copies are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the main process of `ingest` ranks lines, without pydantic
    from vanban.schemas import Document, Source

TEXT, OCR, UNREAD = 0, 1, 2  # source ranks: lower is better


def source_rank(source: Source | Mapping[str, Any]) -> int:
    """How good a source is for its letter's text: TEXT, OCR or UNREAD (lower is better)."""
    if isinstance(source, Mapping):  # read from a line of documents.jsonl
        needs_ocr, ocr = bool(source.get("needs_ocr")), bool(source.get("ocr"))
    else:
        needs_ocr, ocr = source.needs_ocr, source.ocr
    return UNREAD if needs_ocr else OCR if ocr else TEXT


def one_letter_once(docs: Iterable[Document]) -> list[Document]:
    """Each letter once: its primary copy, with `copies` listing the other files
    that hold it (in the order read) and `duplicate_of` null. Letters keep the
    order of their first copy."""
    groups: dict[str, list[tuple[int, Document]]] = {}
    for i, d in enumerate(docs):
        groups.setdefault(d.doc_id, []).append((i, d))
    letters: list[Document] = []
    for group in groups.values():
        if len(group) == 1 and group[0][1].duplicate_of is None:
            letters.append(group[0][1])
            continue
        # Best source, then the copy ingest marked primary, then the first read.
        _, best = min(
            group, key=lambda x: (source_rank(x[1].source), x[1].duplicate_of is not None, x[0])
        )
        copies = [d.source.path for _, d in group if d is not best]
        letters.append(best.model_copy(update={"copies": copies, "duplicate_of": None}))
    return letters
