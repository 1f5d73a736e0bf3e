"""Load a PDF letter into `RawText` (format "pdf").

Everything is read with pypdfium2 (PDFium): about 3 ms a page for the text,
and a few ms more for the character boxes of the pages whose layout matters.
pdfplumber is not used: it parses the file a second time in Python (~120 ms a
page) and its `page.annots` recurses forever on the signed chinhphu.vn PDFs.

Per page, in two passes:

1. Text of every page in content order. Annotations that draw something
   (signature widgets, form fields) are first flattened into the page, so the
   text also holds what they show: the digital-signature stamp of chinhphu.vn
   scans, and the number and date that Hà Nội's signing system lays over the
   printed `Số: /TB-UBND` and `Hà Nội, ngày tháng năm`. (Annotations that
   draw only images, a signature's picture, add nothing to read: their page is
   not flattened, which would cost a second load of it.) Stamp lines are cut
   out and parsed into `Signature`s. A page left with (almost) no text under a
   page-sized image is a scan that needs OCR.
2. Reading order from character boxes (`vanban.pipeline.pdf_layout`) on the pages
   where content order is not enough: the first page (two-column header), the
   page with the `Nơi nhận:` list (two-column footer), pages with
   annotation text (values placed where they sit) and pages with a ruled
   table. Other pages keep PDFium's text, which is already in reading order
   for a single column.

Ruled tables come from the page's own path objects: thin filled rectangles
(each subpath of a path object a shape of its own) and stroked straight
segments are the rulings, `pdf_layout.find_grids` cuts them into cells, and
each cell's text is emitted as one block of lines, row by row;
`RawText.tables` holds the cells' spans (`TableHint`, source "pdf"). A table
ruled between its rows only (no vertical ruling) takes its column borders
from the strips no word crosses (`pdf_layout.band_grid`). A table continued
on the next page (same columns) is one hint, its repeated header rows left
out of the hint and the row that opens each page listed (`TableHint.breaks`). pdfplumber's table finder found the
same cells on the built tables but costs 60-100 ms a page (the scan here:
2-5 ms), and it takes the stacked highlight fills of a real letter for a
table (benchmarks/PDF_TABLES.md).

Where a form-field value goes: into the printed line its glyphs overlap by at
least half their height (the nearest such line, within three heights), at the
place its horizontal centre falls among that line's words. It attaches to the
`/` or `-` printed beside the blank and is spaced from words, so `453` over
`Số: /TB-UBND` reads `Số: 453/TB-UBND` and `29` over `ngày tháng` reads
`ngày 29 tháng` (`vanban.pipeline.pdf_layout._place_overlay`). A text field with a
/V value but no appearance is placed the same way from its rectangle.

Then page numbers go, pages are joined line after line (the normaliser joins a
paragraph split by a page break) and lines split at a hyphen are rejoined.
"""

from __future__ import annotations

import ctypes
import re
import struct
import threading
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from vanban.pipeline.pdf_layout import (
    Band,
    Box,
    Grid,
    Segment,
    TableText,
    Word,
    band_grid,
    find_bands,
    find_grids,
    is_page_number,
    read_blocks,
    words_from_chars,
)
from vanban.schemas import CorruptFile, ErrorCode, LoadError, RawText, Signature, TableHint

# PDFium is not thread-safe, not even across documents: threads of one process
# (a Dask worker's, say) take turns; processes run in parallel.
_PDFIUM_LOCK = threading.Lock()
# Fewer letters than this on a page under a page-sized image: a scan. (A stray
# printed page number or receipt mark should not hide a scanned page.)
_SCAN_MAX_LETTERS = 20
_SCAN_MIN_IMAGE_AREA = 0.5  # share of the page an image must cover to be a scan
# A filled or stroked shape no thicker than this (points) is a ruling; a
# thicker filled one is shading or a highlight, never a border.
_MAX_RULE_WIDTH = 3.0
_MAX_FORM_DEPTH = 3  # form XObjects nested deeper than this are not searched for rulings
# A page drawn with more paths than this is a drawing or a map, not a letter
# with a table: it is not searched (and a hostile file cannot make it slow).
_MAX_PATHS = 3000
_METADATA_KEYS = (
    "Title",
    "Author",
    "Subject",
    "Keywords",
    "Creator",
    "Producer",
    "CreationDate",
    "ModDate",
)

# The digital-signature stamp (`Người ký: … / Email: … / Cơ quan: … / Thời gian
# ký: …`): a run of lines that start with a stamp key, with a signer and a time.
_STAMP_KEYS = r"Người ký|Ký bởi|E-?mail|Cơ quan|Tổ chức|Chức vụ|Thời gian ký|Ngày ký|Ký ngày"
_STAMP_LINE = re.compile(rf"^\s*(?:{_STAMP_KEYS})\s*:", re.I)
_STAMP_FIELD = re.compile(
    rf"({_STAMP_KEYS})\s*:\s*(.*?)\s*(?=(?:{_STAMP_KEYS})\s*:|\Z)", re.I | re.S
)
_STAMP_SIGNER = {"người ký", "ký bởi"}
_STAMP_ORG = {"cơ quan", "tổ chức"}
_STAMP_TIME = {"thời gian ký", "ngày ký", "ký ngày"}
_DMY_TIME = re.compile(
    r"(?P<d>\d{1,2})[./-](?P<m>\d{1,2})[./-](?P<y>\d{4})"
    r"(?:[ T,]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?"
    r"(?:\s*(?:GMT|UTC)?\s*(?P<tz>[+-]\d{1,2}:?\d{2}))?"
)
_PDF_DATE = re.compile(
    r"D:(?P<y>\d{4})(?P<m>\d{2})?(?P<d>\d{2})?(?P<H>\d{2})?(?P<M>\d{2})?(?P<S>\d{2})?"
    r"(?:(?P<z>Z)|(?P<sign>[+-])(?P<tzh>\d{2})'?(?P<tzm>\d{2})?'?)?"
)
_CC_LINE = re.compile(r"^\s*Nơi nhận\s*:?", re.M)

# Line-end hyphens. PDFium itself joins a line ending in a hyphen (or soft
# hyphen) to the next line when a letter follows, and marks the hyphen U+FFFE;
# it cannot tell which of the two it was, so the context decides below.
_FLAGGED_HYPHEN = re.compile(r"\ufffe[ \t]*(?:\n[ \t]*)?")
_LETTERS_BEFORE = re.compile(r"[^\W\d_]*\Z")
_LETTERS_AFTER = re.compile(r"[^\W\d_]*")
_SOFT_HYPHEN_BREAK = re.compile(r"\u00ad[ \t]*\n[ \t]*")
# A hyphen glued to its word at a line end, the next line going on without a
# space (`5969/QĐ-` + `UBND`, `2021-` + `2025`): one token cut by the wrap.
# (The hyphen is matched first and the character before it looked at after:
# the search then skips to each hyphen instead of testing every position.)
_GLUED_HYPHEN_BREAK = re.compile(r"([-–])(?<=[^\s\-–][-–])[ \t]*\n[ \t]*(?=\w)")


Block = str | TableText  # a line of a page, or a table's cells


@dataclass
class _Page:
    number: int  # 1-based
    text: str  # PDFium text, one character per text-page index
    overlay_from: int  # index of the first character drawn by an annotation
    stamps: list[tuple[int, int]] = field(default_factory=list)  # [start, end) of stamp lines
    extra: list[Word] = field(default_factory=list)  # field values with no drawn text
    signatures: list[Signature] = field(default_factory=list)
    boxes: list[Box] | None = None  # character boxes, taken where layout is needed
    grids: list[Grid] = field(default_factory=list)  # ruled tables
    bands: list[Band] = field(default_factory=list)  # tables ruled between rows only
    scan: bool = False

    def kept(self, start: int = 0) -> str:
        """The text from `start` on, without the stamps."""
        pieces, pos = [], start
        for s, e in self.stamps:
            if e > pos:
                pieces.append(self.text[pos : max(pos, s)])
                pos = e
        pieces.append(self.text[pos:])
        return "".join(pieces)

    @property
    def has_overlay(self) -> bool:
        return bool(self.kept(self.overlay_from).strip()) or bool(self.extra)


def load_pdf(path: Path, *, max_pages: int | None = None) -> RawText:
    """Read a PDF; more than `max_pages` pages is `LimitExceeded` (before any is read)."""
    path = Path(path)
    _check_envelope(path)
    with _PDFIUM_LOCK:
        pages, texts, metadata = _read(path, max_pages)
    return _report(pages, texts, metadata)


def _read(
    path: Path, max_pages: int | None = None
) -> tuple[list[_Page], list[list[Block]], dict[str, str]]:
    doc = _open(path)
    try:
        count = len(doc)
        if count == 0:
            raise CorruptFile(
                "The PDF has no pages: obtain the letter again or ask the sender to re-export it.",
                code=ErrorCode.CORRUPT_PDF,
            )
        if max_pages:
            from vanban.pipeline.limits import Limits, check_pages

            check_pages(count, Limits(max_pages=max_pages))
        pages: list[_Page] = []
        seen_text = False
        for i in range(count):
            page = _read_page(doc, i, first_text=not seen_text)
            seen_text = seen_text or (not page.scan and bool(page.kept().strip()))
            pages.append(page)
        return pages, _page_lines(doc, pages), _metadata(doc)
    except pdfium.PdfiumError as exc:
        raise CorruptFile(
            "Part of the PDF is damaged and cannot be read: obtain the file again, or ask "
            "the sender to export it to PDF once more.",
            code=ErrorCode.CORRUPT_PDF,
        ) from exc
    finally:
        doc.close()


def _report(pages: list[_Page], texts: list[list[Block]], metadata: dict[str, str]) -> RawText:
    count = len(pages)
    text, tables = _compose([block for blocks in texts for block in blocks])
    warnings: list[str] = []
    scans = [p.number for p in pages if p.scan]
    if scans:
        metadata["ocr_pages"] = ",".join(map(str, scans))
        if len(scans) == count:
            warnings.append(
                "The PDF is a scanned image without a text layer: run OCR on it to read the letter."
            )
        else:
            listed = ", ".join(map(str, scans))
            warnings.append(
                f"Page(s) {listed} of the PDF are scanned images without text: "
                "run OCR on them, the text read so far lacks them."
            )
    return RawText(
        text=text,
        format="pdf",
        pages=count,
        metadata=metadata,
        signatures=[s for p in pages for s in p.signatures],
        needs_ocr=bool(scans),
        warnings=warnings,
        tables=tables,
    )


# --- opening -----------------------------------------------------------------


def _check_envelope(path: Path) -> None:
    """Refuse what is not a whole PDF before PDFium tries to repair it.

    PDFium rebuilds a cut-off file from what is left, and for a signed PDF
    (saved in increments) that silently yields an older revision, without the
    number and date fields. A PDF ends with `%%EOF` (readers look in the last
    1 KB; trailing NULs and blanks are allowed).
    """
    try:
        with path.open("rb") as f:
            head = f.read(1024)
            size = f.seek(0, 2)
            f.seek(max(0, size - 8192))
            tail = f.read()
    except OSError as exc:
        raise LoadError.unreadable(path, exc) from exc
    if b"%PDF-" not in head:
        raise CorruptFile(
            "This file is not a PDF although its name ends in .pdf (it may be a web page or "
            "an error message saved by mistake): download or copy the letter again.",
            code=ErrorCode.CORRUPT_PDF,
        )
    if b"%%EOF" not in tail.rstrip(b"\x00\t\n\x0c\r ")[-1024:]:
        raise CorruptFile(
            "The PDF is incomplete: its end is missing, so the download or copy was cut "
            "short. Obtain the file again.",
            code=ErrorCode.CORRUPT_PDF,
        )


def _open(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise LoadError(
                "The PDF is protected by a password: ask the sender for an unprotected copy.",
                code=ErrorCode.ENCRYPTED,
            ) from exc
        if exc.err_code == pdfium_c.FPDF_ERR_SECURITY:
            raise LoadError(
                "The PDF is encrypted with a method that cannot be opened: ask the sender "
                "for an unprotected copy.",
                code=ErrorCode.ENCRYPTED,
            ) from exc
        raise CorruptFile(
            "The PDF is damaged and cannot be read: obtain the file again, or ask the "
            "sender to export it to PDF once more.",
            code=ErrorCode.CORRUPT_PDF,
        ) from exc
    except OSError as exc:
        raise LoadError.unreadable(path, exc) from exc


def _load_page(doc: pdfium.PdfDocument, index: int) -> pdfium.PdfPage:
    try:
        return doc[index]
    except pdfium.PdfiumError as exc:
        raise CorruptFile(
            "Page {page} of the PDF is damaged and cannot be read: obtain the file "
            "again, or ask the sender to export it to PDF once more.",
            code=ErrorCode.CORRUPT_PDF,
            page=index + 1,
        ) from exc


# --- pass 1: text, annotations, stamps, scans ---------------------------------


def _read_page(doc: pdfium.PdfDocument, index: int, *, first_text: bool) -> _Page:
    page = _load_page(doc, index)
    try:
        draws, pictures, values = _annotations(page)
        textpage = page.get_textpage()
        text = _text(textpage)
        overlay_from = len(text)
        # Annotations that draw only pictures (a signature's image) would add
        # nothing to the text, rulings or boxes: flattening them (and loading
        # the page again) is only needed where their images may make the page
        # a scan.
        if draws or (pictures and _few_letters(_unstamped(text), [])):
            textpage.close()
            if (
                pdfium_c.FPDFPage_Flatten(page, pdfium_c.FLAT_NORMALDISPLAY)
                == pdfium_c.FLATTEN_SUCCESS
            ):
                # The annotations' appearance is appended to the page content,
                # so the page's own text comes first and the annotation text
                # after it. A page is reloaded to see its flattened content.
                page.close()
                page = _load_page(doc, index)
            textpage = page.get_textpage()
            flat = _text(textpage)
            # In an unexpected order, everything is laid out as page content.
            overlay_from = len(text) if flat.startswith(text) else len(flat)
            text = flat
        try:
            result = _Page(index + 1, text, overlay_from)
            result.signatures = _cut_stamps(text, result.stamps)
            _add_field_values(result, values)
            kept = result.kept()
            width, height = page.get_size()
            result.scan = _few_letters(kept, result.extra) and _has_page_image(page, width * height)
            # Character boxes where reading order needs them (see the module
            # docstring); rotated pages keep content order.
            upright = not result.scan and page.get_rotation() % 360 == 0
            if upright and kept.strip():
                rulings = _rulings(page)
                result.grids = find_grids(rulings)
                result.bands = [] if result.grids else find_bands(rulings)
            layout = first_text or result.has_overlay or _CC_LINE.search(kept) is not None
            if (layout or result.grids or result.bands) and upright:
                result.boxes = _boxes(textpage, text)
            return result
        finally:
            textpage.close()
    finally:
        page.close()


_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(textpage: pdfium.PdfTextPage) -> str:
    """The page's text, exactly one character per text-page index.

    A line-end hyphen that PDFium joined to the next line comes out as
    U+FFFE (see `_repair_breaks`).
    """
    count = textpage.count_chars()
    text: str = textpage.get_text_range(0, count)
    if len(text) != count:  # characters outside the BMP: go one by one
        codes = (pdfium_c.FPDFText_GetUnicode(textpage, i) for i in range(count))
        text = "".join("\ufffe" if c == 2 else chr(c) for c in codes)
    # Half a surrogate pair (a broken ToUnicode map) cannot be written as JSON.
    return _SURROGATE.sub("\ufffd", text)


_NO_BOX: Box = (0.0, 0.0, 0.0, 0.0)


def _unchecked(function: Any) -> Callable[..., int]:
    """A PDFium function of pypdfium2 that returns an int, called without
    ctypes' check of each argument against pypdfium2's declared types (two
    thirds of the cost of a call): for calls made once per character, given
    only a `c_void_p` handle, ints and `byref` structures."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    assert address, "a PDFium function that is not loaded"
    return ctypes.CFUNCTYPE(ctypes.c_int)(address)


_LOOSE_BOX = _unchecked(pdfium_c.FPDFText_GetLooseCharBox)


def _by_address(function: Any, restype: Any, *argtypes: Any) -> Callable[..., Any]:
    """A PDFium function of pypdfium2 taking and returning handles as plain
    addresses (`c_void_p`): for the calls made once per page object, which
    pypdfium2's typed pointers make cost twice as much."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    assert address, "a PDFium function that is not loaded"
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_HANDLE = ctypes.c_void_p
_COUNT_OBJECTS = _by_address(pdfium_c.FPDFPage_CountObjects, ctypes.c_int, _HANDLE)
_GET_OBJECT = _by_address(pdfium_c.FPDFPage_GetObject, _HANDLE, _HANDLE, ctypes.c_int)
_COUNT_FORM_OBJECTS = _by_address(pdfium_c.FPDFFormObj_CountObjects, ctypes.c_int, _HANDLE)
_GET_FORM_OBJECT = _by_address(pdfium_c.FPDFFormObj_GetObject, _HANDLE, _HANDLE, ctypes.c_ulong)
_OBJECT_TYPE = _by_address(pdfium_c.FPDFPageObj_GetType, ctypes.c_int, _HANDLE)
_GET_MATRIX = _by_address(pdfium_c.FPDFPageObj_GetMatrix, ctypes.c_int, _HANDLE, _HANDLE)
_DRAW_MODE = _by_address(pdfium_c.FPDFPath_GetDrawMode, ctypes.c_int, _HANDLE, _HANDLE, _HANDLE)
_COUNT_SEGMENTS = _by_address(pdfium_c.FPDFPath_CountSegments, ctypes.c_int, _HANDLE)
_GET_SEGMENT = _by_address(pdfium_c.FPDFPath_GetPathSegment, _HANDLE, _HANDLE, ctypes.c_int)
_SEGMENT_POINT = _by_address(pdfium_c.FPDFPathSegment_GetPoint, ctypes.c_int, *[_HANDLE] * 3)
_SEGMENT_TYPE = _by_address(pdfium_c.FPDFPathSegment_GetType, ctypes.c_int, _HANDLE)
_SEGMENT_CLOSE = _by_address(pdfium_c.FPDFPathSegment_GetClose, ctypes.c_int, _HANDLE)
_RECT = struct.Struct("4f")  # FS_RECTF: left, top, right, bottom


def _boxes(textpage: pdfium.PdfTextPage, text: str) -> list[Box]:
    """One box per character of `text`; white space gets an empty box (it
    only ends a word, `words_from_chars` never reads its box)."""
    rect = pdfium_c.FS_RECTF()
    ref = ctypes.byref(rect)
    handle = ctypes.c_void_p(ctypes.cast(textpage.raw, ctypes.c_void_p).value)
    loose_box = _LOOSE_BOX
    read = _RECT.unpack_from
    boxes: list[Box] = []
    append = boxes.append
    for i, ch in enumerate(text):
        if ch.isspace():
            append(_NO_BOX)
            continue
        # The loose box spans the font's ascent to descent: lines of one font
        # size get equal heights whatever their letters.
        loose_box(handle, i, ref)
        left, top, right, bottom = read(rect)
        append((left, bottom, right, top))
    return boxes


def _add_field_values(page: _Page, values: list[tuple[Box, str]]) -> None:
    """Field values with no appearance of their own (a viewer draws them from
    /V): placed at the field's rectangle, as if drawn there."""
    shown = page.kept(page.overlay_from).replace(" ", "")
    for (x0, y0, x1, y1), value in values:
        if value.replace(" ", "") not in shown:
            h = y1 - y0
            right = min(x1, x0 + 0.55 * h * len(value))  # about the width of the text
            page.extra.append(Word(value, x0, y0, right, y1, overlay=True))


def _unstamped(text: str) -> str:
    """`text` without its signature-stamp lines (`_Page.kept`)."""
    probe = _Page(0, text, len(text))
    _cut_stamps(text, probe.stamps)
    return probe.kept()


def _annotations(page: pdfium.PdfPage) -> tuple[bool, bool, list[tuple[Box, str]]]:
    """Whether any annotation draws an appearance with more than images in
    it, whether any draws only images; text values of form fields."""
    values: list[tuple[Box, str]] = []
    drawn: list[tuple[int, bool]] = []  # annotations with an appearance: index, text value
    for k in range(pdfium_c.FPDFPage_GetAnnotCount(page)):
        annot = pdfium_c.FPDFPage_GetAnnot(page, k)
        if not annot:
            continue
        try:
            subtype = pdfium_c.FPDFAnnot_GetSubtype(annot)
            if subtype in (pdfium_c.FPDF_ANNOT_LINK, pdfium_c.FPDF_ANNOT_POPUP):
                continue
            value = _field_value(annot) if subtype == pdfium_c.FPDF_ANNOT_WIDGET else ""
            if pdfium_c.FPDFAnnot_HasKey(annot, b"AP"):
                drawn.append((k, bool(value)))
            rect = pdfium_c.FS_RECTF()
            if value and pdfium_c.FPDFAnnot_GetRect(annot, ctypes.byref(rect)):
                x0, x1 = sorted((rect.left, rect.right))
                y0, y1 = sorted((rect.bottom, rect.top))
                if y1 > y0:
                    values.append(((x0, y0, x1, y1), value))
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    if not drawn:
        return False, False, values
    # A field with a text value shows it: no appearance need be read (each
    # costs PDFium a parse) to know that the page is to be flattened.
    if any(valued for _, valued in drawn) or not all(
        _draws_only_images_at(page, k) for k, _ in drawn
    ):
        return True, False, values
    return False, True, values


def _draws_only_images_at(page: pdfium.PdfPage, index: int) -> bool:
    annot = pdfium_c.FPDFPage_GetAnnot(page, index)
    try:
        return bool(annot) and _draws_only_images(annot)
    finally:
        if annot:
            pdfium_c.FPDFPage_CloseAnnot(annot)


def _draws_only_images(annot: object) -> bool:
    """The annotation's appearance holds images and nothing else (no text, no
    path). An appearance chosen by state (`/AS`), or one PDFium cannot read,
    is taken to draw more."""
    if pdfium_c.FPDFAnnot_HasKey(annot, b"AS"):
        return False
    count = pdfium_c.FPDFAnnot_GetObjectCount(annot)
    get = pdfium_c.FPDFAnnot_GetObject
    return count > 0 and _images_only((get(annot, k) for k in range(count)), 0)


def _images_only(objs: Iterable[object], depth: int) -> bool:
    kind_of = pdfium_c.FPDFPageObj_GetType
    for obj in objs:
        kind = kind_of(obj)
        if kind == _FORM and depth < _MAX_FORM_DEPTH:
            get = pdfium_c.FPDFFormObj_GetObject
            inner = (get(obj, k) for k in range(pdfium_c.FPDFFormObj_CountObjects(obj)))
            if not _images_only(inner, depth + 1):
                return False
        elif kind != pdfium_c.FPDF_PAGEOBJ_IMAGE:
            return False
    return True


def _field_value(annot: object) -> str:
    """A text field's /V, from the widget or (inherited) from its parent field."""
    value = _string_value(annot, b"V")
    if value or pdfium_c.FPDFAnnot_HasKey(annot, b"V"):
        return value
    parent = pdfium_c.FPDFAnnot_GetLinkedAnnot(annot, b"Parent")
    if not parent:
        return ""
    try:
        return _string_value(parent, b"V")
    finally:
        pdfium_c.FPDFPage_CloseAnnot(parent)


def _string_value(annot: object, key: bytes) -> str:
    # Only a string /V is a text value (a check box's is a name, a
    # signature's a dictionary).
    if pdfium_c.FPDFAnnot_GetValueType(annot, key) != pdfium_c.FPDF_OBJECT_STRING:
        return ""
    size = pdfium_c.FPDFAnnot_GetStringValue(annot, key, None, 0)
    if size <= 2:
        return ""
    buf = (ctypes.c_ushort * (size // 2))()
    pdfium_c.FPDFAnnot_GetStringValue(annot, key, buf, size)
    return bytes(buf).decode("utf-16-le", errors="replace").rstrip("\x00").strip()


def _few_letters(text: str, extra: list[Word]) -> bool:
    count = sum(len(w.text) for w in extra)
    for ch in text:
        count += ch.isalpha()
        if count >= _SCAN_MAX_LETTERS:
            return False
    return count < _SCAN_MAX_LETTERS


def _has_page_image(page: pdfium.PdfPage, page_area: float) -> bool:
    if page_area <= 0:
        return False
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3):
        x0, y0, x1, y1 = obj.get_bounds()
        if (x1 - x0) * (y1 - y0) >= _SCAN_MIN_IMAGE_AREA * page_area:
            return True
    return False


def _cut_stamps(text: str, stamps: list[tuple[int, int]]) -> list[Signature]:
    """Record the lines of each signature stamp in `stamps` and parse them."""
    signatures: list[Signature] = []
    run: list[tuple[int, int]] = []
    spans = [(m.start(), m.end()) for m in re.finditer(r"[^\r\n]+", text)]
    for k, (s, e) in enumerate([*spans, (len(text), len(text))]):
        # A stamp line has a colon, which no NFC composition makes: most lines are
        # passed over without normalising them.
        if (
            k < len(spans)
            and ":" in text[s:e]
            and _STAMP_LINE.match(unicodedata.normalize("NFC", text[s:e]))
        ):
            run.append((s, e))
            continue
        if run:
            block = "\n".join(unicodedata.normalize("NFC", text[a:b]).strip() for a, b in run)
            signature = _parse_stamp(block)
            if signature is not None:
                signatures.append(signature)
                stamps.extend(run)
            run = []
    return signatures


def _parse_stamp(block: str) -> Signature | None:
    fields: dict[str, str] = {}
    for m in _STAMP_FIELD.finditer(block):
        fields.setdefault(m.group(1).lower(), " ".join(m.group(2).split()))
    signer = next((fields[k] for k in _STAMP_SIGNER if fields.get(k)), None)
    when = next((fields[k] for k in _STAMP_TIME if fields.get(k)), None)
    if signer is None or when is None:
        return None  # a lone `Email:` or `Cơ quan:` line is letter text
    organization = next((fields[k] for k in _STAMP_ORG if fields.get(k)), None)
    return Signature(
        signer=signer, organization=organization, signed_at=_stamp_time(when), raw=block
    )


def _stamp_time(value: str) -> str | None:
    """`28.04.2026 15:49:15 +07:00` -> `2026-04-28T15:49:15+07:00`."""
    m = _DMY_TIME.search(value)
    if not m:
        return None
    try:
        moment = datetime(
            int(m["y"]),
            int(m["m"]),
            int(m["d"]),
            int(m["H"] or 0),
            int(m["M"] or 0),
            int(m["S"] or 0),
        )
    except ValueError:
        return None
    iso = moment.date().isoformat() if m["H"] is None else moment.isoformat()
    if m["H"] is not None and m["tz"]:
        tz = m["tz"].replace(":", "")
        iso += f"{tz[0]}{int(tz[1:-2]):02d}:{tz[-2:]}"
    return iso


# --- pass 2: reading order ----------------------------------------------------


def _page_lines(doc: pdfium.PdfDocument, pages: list[_Page]) -> list[list[Block]]:
    text_pages = [p for p in pages if not p.scan and p.kept().strip()]
    header = text_pages[0].number if text_pages else 0
    with_cc = [p.number for p in text_pages if _CC_LINE.search(p.kept())]
    footer = with_cc[-1] if with_cc else (text_pages[-1].number if text_pages else 0)
    out: list[list[Block]] = []
    for p in pages:
        if p.number == footer and p.boxes is None and not p.scan:
            _take_boxes(doc, p)
        tabled = p.grids or p.bands
        if p.boxes is not None and (p.number in (header, footer) or p.has_overlay or tabled):
            dropped = [False] * len(p.text)
            for s, e in p.stamps:
                dropped[s:e] = [True] * (e - s)
            words = words_from_chars(p.text, p.boxes, overlay_from=p.overlay_from, dropped=dropped)
            # A table ruled between rows only may go on from the page before.
            last = out[-1][-1] if out and out[-1] else None
            going_on = isinstance(last, TableText) and last.aligned
            grids = p.grids + [
                g for b in p.bands if (g := band_grid(b, words, going_on=going_on)) is not None
            ]
            blocks: list[Block] = read_blocks(
                [*words, *p.extra],
                header=p.number == header,
                footer=p.number == footer,
                grids=grids,
            )
        else:
            blocks = list(_content_lines(p))
        out.append([_trimmed(b) for b in blocks if not isinstance(b, str) or b.strip()])
    return out


def _trimmed(block: Block) -> Block:
    if isinstance(block, str):
        return block.rstrip()
    rows = [[[s.strip() for s in cell if s.strip()] for cell in row] for row in block.rows]
    return TableText(rows, block.columns, block.merged, block.aligned)


def _take_boxes(doc: pdfium.PdfDocument, p: _Page) -> None:
    """Boxes for a footer page found only after pass 1 (no `Nơi nhận:` list)."""
    page = _load_page(doc, p.number - 1)
    try:
        if page.get_rotation() % 360:
            return
        textpage = page.get_textpage()
        try:
            if textpage.count_chars() == len(p.text):  # the text of pass 1
                p.boxes = _boxes(textpage, p.text)
        finally:
            textpage.close()
    finally:
        page.close()


def _content_lines(p: _Page) -> list[str]:
    lines = [line.strip() for line in re.split(r"\r\n|\r|\n", p.kept())]
    lines = [line for line in lines if line]
    while lines and is_page_number(lines[0]):
        lines.pop(0)
    while lines and is_page_number(lines[-1]):
        lines.pop()
    lines += [w.text for w in p.extra]
    return lines


# --- the text and its tables ----------------------------------------------------


class _Text:
    """The letter's text as it is joined, chunk by chunk, one chunk a line."""

    def __init__(self) -> None:
        self.chunks: list[str] = []
        self.end = 0  # length of the text so far

    def add(self, chunk: str) -> tuple[int, int]:
        start = self.end + 1 if self.chunks else 0
        self.chunks.append(chunk)
        self.end = start + len(chunk)
        return start, self.end


def _compose(blocks: list[Block]) -> tuple[str, list[TableHint]]:
    """Join the blocks line after line; each table cell's lines form one
    chunk whose span is recorded. Breaks are repaired inside a run of lines
    and inside a cell, never across a cell's edge (a cell's `2021-` does not
    join the next cell's `2025`)."""
    out = _Text()
    tables: list[TableHint] = []
    run: list[str] = []
    last: TableText | None = None  # the table just emitted, if nothing came after it
    first: TableText | None = None  # the first page of that table
    for k, block in enumerate(blocks):
        if isinstance(block, str):
            run.append(block)
            last = None
            continue
        continued = last is not None and _continues(last, block)
        nxt = blocks[k + 1] if k + 1 < len(blocks) else None
        goes_on = isinstance(nxt, TableText) and _continues(block, nxt)
        if len(block.rows) < 2 and not continued and not goes_on:
            # One ruled row on its own is boxed text, not a table; but a header row left
            # alone at the foot of a page starts the table the next page goes on with.
            run += [line for cell in block.rows[0] for line in cell]
            last = None
            continue
        if run:
            out.add(_repair_breaks("\n".join(run)))
            run = []
        rows = [[_cell(out, cell) for cell in row] for row in block.rows]
        if last is not None and first is not None and continued:
            # The same table over a page break; repeated header rows are not data rows.
            skip = _repeated_head(first, block)
            at = len(tables[-1].rows) - skip
            tables[-1].breaks.add(len(tables[-1].rows))
            tables[-1].rows += rows[skip:]
            tables[-1].merged |= {(at + i, j) for i, j in block.merged if i >= skip}
        else:
            tables.append(TableHint(rows, source="pdf", merged=set(block.merged)))
            first = block
        last = block
    if run:
        out.add(_repair_breaks("\n".join(run)))
    return "\n".join(out.chunks), tables


def _cell(out: _Text, lines: list[str]) -> tuple[int, int]:
    if not lines:  # an empty cell: an empty span where it would be, no blank line
        return out.end, out.end
    return out.add(_repair_breaks("\n".join(lines)))


def _repeated_head(first: TableText, block: TableText) -> int:
    """How many of `block`'s top rows repeat the top rows of the table's first page (a
    header of one, two or three rows printed again on each page); a data row is left."""
    k = 0
    while (
        k < min(3, len(first.rows), len(block.rows) - 1)
        and block.rows[k]
        and [_flat(c) for c in block.rows[k]] == [_flat(c) for c in first.rows[k]]
    ):
        k += 1
    return k


def _flat(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())


def _continues(prev: TableText, table: TableText) -> bool:
    """The same column rulings; for columns set by alignment (no vertical rulings), the
    same number of columns, each border within half the narrowest column of the other."""
    a, b = prev.columns, table.columns
    if len(a) != len(b):
        return False
    slack = 2.0
    if prev.aligned or table.aligned:
        slack = min(y - x for x, y in pairwise(a)) / 2
    return all(abs(x - y) <= slack for x, y in zip(a, b, strict=True))


# --- ruling lines ------------------------------------------------------------------

_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1, 0, 0, 1, 0, 0)
_PATH = pdfium_c.FPDF_PAGEOBJ_PATH
_FORM = pdfium_c.FPDF_PAGEOBJ_FORM


def _rulings(page: pdfium.PdfPage) -> list[Segment]:
    """Horizontal and vertical rulings drawn by the page's path objects."""
    paths = _paths(page)
    if len(paths) > _MAX_PATHS:
        return []
    out: list[Segment] = []
    for obj, m in paths:
        _path_rulings(obj, m, out)
    return out


def _paths(page: pdfium.PdfPage) -> list[tuple[int, _Matrix]]:
    """The page's path objects (their addresses), with their matrix to page
    space, in order (at most `_MAX_PATHS` + 1: the walk stops where the page is
    a drawing)."""
    handle = ctypes.cast(page.raw, ctypes.c_void_p).value
    out: list[tuple[int, _Matrix]] = []
    _walk(handle, _COUNT_OBJECTS(handle), _GET_OBJECT, _IDENTITY, 0, out)
    return out


def _walk(
    parent: int | None,
    count: int,
    get: Callable[[int | None, int], int | None],
    outer: _Matrix,
    depth: int,
    out: list[tuple[int, _Matrix]],
) -> bool:
    """Add the path objects among `parent`'s `count` objects and inside their
    form XObjects to `out`; False once `out` holds more than `_MAX_PATHS`.

    A letter's page holds hundreds of text objects: each is only typed, by its
    address, so that walking them costs little beside loading the page."""
    for k in range(count):
        obj = get(parent, k)
        if not obj:
            continue  # no object there: PDFium would type it unknown
        kind = _OBJECT_TYPE(obj)
        if kind == _PATH:
            out.append((obj, _times(_matrix(obj), outer)))
            if len(out) > _MAX_PATHS:
                return False
        elif kind == _FORM and depth < _MAX_FORM_DEPTH:
            m = _times(_matrix(obj), outer)
            if not _walk(obj, _COUNT_FORM_OBJECTS(obj), _GET_FORM_OBJECT, m, depth + 1, out):
                return False
    return True


def _path_rulings(obj: int, m: _Matrix, out: list[Segment]) -> None:
    """A thin shape is one ruling along its middle (Word draws borders as thin
    filled rectangles); a stroked shape gives each straight axis-parallel
    side (cell frames, lines). Each subpath is a shape: some producers draw all
    of a table's borders as thin rectangles of one path object."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not _DRAW_MODE(obj, ctypes.addressof(fill), ctypes.addressof(stroke)):
        return
    if fill.value == pdfium_c.FPDF_FILLMODE_NONE and not stroke.value:
        return  # a clipping path: draws nothing
    shapes: list[list[Segment]] = []
    for side, opens in _sides(obj, m):
        if opens or not shapes:
            shapes.append([])
        shapes[-1].append(side)
    for sides in shapes:
        _shape_rulings(sides, bool(stroke.value), out)


def _shape_rulings(sides: list[Segment], stroked: bool, out: list[Segment]) -> None:
    x0 = min(min(s[0], s[2]) for s in sides)
    x1 = max(max(s[0], s[2]) for s in sides)
    y0 = min(min(s[1], s[3]) for s in sides)
    y1 = max(max(s[1], s[3]) for s in sides)
    if y1 - y0 <= _MAX_RULE_WIDTH < x1 - x0:
        out.append((x0, (y0 + y1) / 2, x1, (y0 + y1) / 2))
    elif x1 - x0 <= _MAX_RULE_WIDTH < y1 - y0:
        out.append(((x0 + x1) / 2, y0, (x0 + x1) / 2, y1))
    elif stroked:
        for ax, ay, bx, by in sides:
            if abs(ay - by) < 0.5:
                out.append((min(ax, bx), ay, max(ax, bx), ay))
            elif abs(ax - bx) < 0.5:
                out.append((ax, min(ay, by), ax, max(ay, by)))


def _sides(obj: int, m: _Matrix) -> list[tuple[Segment, bool]]:
    """The straight segments of a path, in page space (curves are skipped), each with
    whether it is the first of a subpath."""
    x, y = ctypes.c_float(), ctypes.c_float()
    at_x, at_y = ctypes.addressof(x), ctypes.addressof(y)
    a, b, c, d, e, f = m
    out: list[tuple[Segment, bool]] = []
    start = prev = None
    opens = True
    for k in range(_COUNT_SEGMENTS(obj)):
        seg = _GET_SEGMENT(obj, k)
        if not seg or not _SEGMENT_POINT(seg, at_x, at_y):
            continue
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        kind = _SEGMENT_TYPE(seg)
        if kind == pdfium_c.FPDF_SEGMENT_LINETO and prev is not None:
            out.append(((*prev, *point), opens))
            opens = False
        elif kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start, opens = point, True
        prev = point
        if _SEGMENT_CLOSE(seg) and start is not None and prev != start:
            out.append(((*prev, *start), opens))
            prev, opens = start, False
    return out


def _matrix(obj: int) -> _Matrix:
    fm = pdfium_c.FS_MATRIX()
    if not _GET_MATRIX(obj, ctypes.addressof(fm)):
        return _IDENTITY
    return (fm.a, fm.b, fm.c, fm.d, fm.e, fm.f)


def _times(inner: _Matrix, outer: _Matrix) -> _Matrix:
    """`inner` then `outer` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    )


def _repair_breaks(text: str) -> str:
    text = _FLAGGED_HYPHEN.sub(_flagged_hyphen, text)
    text = _SOFT_HYPHEN_BREAK.sub("", text).replace("\u00ad", "")
    return _GLUED_HYPHEN_BREAK.sub(r"\1", text)


def _flagged_hyphen(m: re.Match[str]) -> str:
    """A hyphen PDFium joined across a line end: a dash, or a word break.

    Vietnamese syllables are never split by hyphenation, so a hyphen next to
    a capital, a digit or an accented syllable is a real dash (`QĐ-UBND`,
    `Covid-19`, `tế-xã`) and stays. Only between two runs of plain lowercase
    ASCII letters (`infor-mation`, a soft hyphen in a foreign word) is it a
    word break, dropped.
    """
    before = _LETTERS_BEFORE.search(m.string, max(0, m.start() - 40), m.start())
    after = _LETTERS_AFTER.match(m.string, m.end())
    b = before.group() if before else ""
    a = after.group() if after else ""
    if b and a and (b + a).isascii() and b.islower() and a.islower():
        return ""
    return "-"


def _metadata(doc: pdfium.PdfDocument) -> dict[str, str]:
    """Document info strings; dates as ISO 8601."""
    metadata: dict[str, str] = {}
    for key in _METADATA_KEYS:
        try:
            value = doc.get_metadata_value(key)
        except (pdfium.PdfiumError, UnicodeDecodeError):  # not UTF-16: not worth a refusal
            continue
        if not isinstance(value, str) or not value.strip():
            continue
        value = " ".join(value.split())
        if key.endswith("Date"):
            value = _pdf_date(value) or value
        metadata[key] = value
    return metadata


def _pdf_date(value: str) -> str | None:
    """`D:20260428154352+07'00'` -> `2026-04-28T15:43:52+07:00`."""
    m = _PDF_DATE.match(value)
    if not m:
        return None
    try:
        moment = datetime(
            int(m["y"]),
            int(m["m"] or 1),
            int(m["d"] or 1),
            int(m["H"] or 0),
            int(m["M"] or 0),
            int(m["S"] or 0),
        )
    except ValueError:
        return None
    iso = moment.isoformat()
    if m["z"]:
        iso += "+00:00"
    elif m["sign"]:
        iso += f"{m['sign']}{m['tzh']}:{m['tzm'] or '00'}"
    return iso
