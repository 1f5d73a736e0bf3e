"""Load a Word (.docx) letter as `RawText`: the printed body, in reading order.

Real letters keep most of their header and footer in borderless tables
(issuer | motto, `Số:` + `V/v` | place and date, `Nơi nhận:` | signer), and
their `1.`, `a)` item markers in Word's numbering rather than in the text. So
the body is walked element by element (what `Document.iter_inner_content()`
does, plus content controls and custom-XML wrappers it steps over): each
paragraph is one line (a `<w:br/>` inside it starts a new one), each table is
read row by row and cell by cell, every cell's lines together, so two columns
never interleave. List markers are rebuilt by `vanban.pipeline.docx_numbering`. Page
headers and footers, footnotes and comments live in other parts and are not
part of the letter's body.

Every table (`w:tbl`, nested ones too, outer first) is also handed on as a
`TableHint` (`RawText.tables`): each cell the span of the lines printed for it,
markers included, without the newline after it; a nested table's text lies
inside its outer cell's span. A cell merged across columns (`gridSpan`, legacy
`hMerge`) appears once, its number of columns in `TableHint.across`. A cell continuing a vertical merge (`vMerge`) stays in
its row as an empty span, so that cell j of a row is still column j (a lead
agency merged down several task rows), and is listed in `TableHint.merged`:
its text is in the cell above, and belongs to this row too.

Hostile files: python-docx parses every XML part with its own
`lxml.etree.XMLParser(resolve_entities=False)` (lxml's defaults add
`no_network=True`, `load_dtd=False`, no `huge_tree`), so a DOCTYPE cannot pull
in a file or a URL and entity expansion cannot blow up; relationships with
`TargetMode="External"` are kept as strings and never opened; and parts are
read from the ZIP only, never from paths outside it. We parse no XML
ourselves. The archive is also checked before python-docx unpacks it all into
memory (zip bombs).
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.opc.parts.coreprops import CorePropertiesPart
from docx.oxml.ns import qn
from lxml import etree

from vanban.pipeline.docx_numbering import Element, Numbering, StyleSheet, on_off
from vanban.pipeline.legacy_encoding import FontEncoding, converted_note, font_encoding
from vanban.schemas import CorruptFile, ErrorCode, LoadError, Phrase, RawText, UnsupportedFormat
from vanban.schemas.text import Span, TableHint

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 .doc, and encrypted .docx
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
# A letter with scanned attachments can reach tens of MB; python-docx holds
# every part in memory, so refuse what no letter needs.
_MAX_UNPACKED = 512 * 1024 * 1024

_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_P, _TBL, _TR, _TC, _R, _T = (qn(t) for t in ("w:p", "w:tbl", "w:tr", "w:tc", "w:r", "w:t"))
_PPR, _RPR, _TCPR = qn("w:pPr"), qn("w:rPr"), qn("w:tcPr")
_TXBX = qn("w:txbxContent")
_ALT_CONTENT, _MC_CHOICE, _MC_FALLBACK = (
    f"{{{_MC}}}{t}" for t in ("AlternateContent", "Choice", "Fallback")
)
# Containers that only wrap blocks, rows or cells (content controls, custom XML).
_WRAPPERS = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")}
# Inside a paragraph: what is not printed, or printed elsewhere.
_INLINE_SKIP = {
    _PPR,
    _RPR,
    qn("w:del"),  # tracked deletion: we read the letter with changes accepted
    qn("w:moveFrom"),
    qn("w:sdtPr"),
    qn("w:sdtEndPr"),
    qn("w:customXmlPr"),
    qn("w:smartTagPr"),
    _MC_FALLBACK,  # same content as its mc:Choice, for older readers
}
_TRACKED = {qn("w:ins"), qn("w:del"), qn("w:moveFrom"), qn("w:moveTo")}
_CHARS = {
    qn("w:tab"): " ",
    qn("w:ptab"): " ",
    qn("w:br"): "\n",  # line, page and column breaks all end a printed line
    qn("w:cr"): "\n",
    qn("w:noBreakHyphen"): "-",
    qn("w:softHyphen"): "",
}
_SYM = qn("w:sym")
_SOFT_HYPHEN, _RFONTS = qn("w:softHyphen"), qn("w:rFonts")
_VANISH, _CAPS = "w:vanish", "w:caps"


def load_docx(path: Path) -> RawText:
    """Read a .docx letter; `CorruptFile`/`LoadError` with a clerk's message if it is not one."""
    try:
        return _load_docx(path)
    except (
        AttributeError,
        TypeError,
        ValueError,
        KeyError,
        IndexError,
        NotImplementedError,
        RuntimeError,
        EOFError,
        zipfile.BadZipFile,
    ) as exc:
        # A part of the wrong kind, a missing body, a ZIP zipfile cannot unpack:
        # python-docx and our reader meet what no rule foresaw.
        raise _damaged(path, exc) from exc


def _load_docx(path: Path) -> RawText:
    _check_package(path)
    document = _open(path)
    part = document.part
    styles = StyleSheet(_part_element(part, RT.STYLES))
    reader = _BodyReader(styles, Numbering(_part_element(part, RT.NUMBERING), styles))
    reader.blocks(document.element.body)
    return RawText(
        text="\n".join(reader.lines),
        format="docx",
        metadata=_metadata(document),
        warnings=reader.warnings,
        tables=reader.tables,
    )


def _check_package(path: Path) -> None:
    """Recognise what is not a .docx package before python-docx tries, and say what it is."""
    try:
        with path.open("rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise LoadError(
            "'{name}' could not be read: {reason}.", name=path.name, reason=exc.strerror
        ) from exc
    if head.startswith(_OLE_MAGIC):
        if _ENCRYPTED_STREAM in path.read_bytes():
            raise LoadError(
                "'{name}' is protected by a password. Open it in Word, remove the "
                "password (File > Info > Protect Document) and save it again as .docx.",
                code=ErrorCode.ENCRYPTED_DOCX,
                name=path.name,
            )
        raise LoadError(
            "'{name}' is an old Word 97-2003 document (.doc) with a .docx name. "
            "Open it in Word and use Save As > Word Document (.docx), or convert it with "
            "LibreOffice (soffice --headless --convert-to docx), then retry.",
            code=ErrorCode.LEGACY_DOC,
            name=path.name,
        )
    if not zipfile.is_zipfile(path):
        stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if stripped.startswith(b"{\\rtf"):
            what = Phrase("an RTF document with a .docx name")
        elif stripped.startswith(b"<"):
            what = Phrase("a web page or XML file with a .docx name")
        else:
            what = Phrase(
                "not a Word document (a .docx is a ZIP package); it may be damaged or cut short"
            )
        raise CorruptFile(
            "'{name}' is {what}. Open it in Word and save it as Word Document (.docx), "
            "or obtain the letter again.",
            code=ErrorCode.CORRUPT_DOCX,
            name=path.name,
            what=what,
        )
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _damaged(path, exc) from exc
    names = {info.filename for info in infos}
    kind = _zip_kind(names)
    # Not an Office package at all, or a workbook, presentation or ODF file.
    if "[Content_Types].xml" not in names or (
        kind and not any(n.startswith("word/") for n in names)
    ):
        raise CorruptFile(
            "'{name}' is {kind}, not a Word document. "
            "Check that the right file was attached, or save the letter as .docx.",
            code=ErrorCode.CORRUPT_DOCX,
            name=path.name,
            kind=kind or Phrase("a ZIP archive"),
        )
    if sum(info.file_size for info in infos) > _MAX_UNPACKED:
        raise CorruptFile(
            "'{name}' unpacks to more than {mb} MB, more than any letter: "
            "check the file, or save the letter again without embedded media.",
            code=ErrorCode.DOCX_TOO_LARGE,
            name=path.name,
            mb=_MAX_UNPACKED >> 20,
        )


def _zip_kind(names: set[str]) -> Phrase | None:
    """What a ZIP that is not a Word document is, when it is something a clerk would know."""
    if "xl/workbook.xml" in names:
        return Phrase("an Excel workbook")
    if "ppt/presentation.xml" in names:
        return Phrase("a PowerPoint presentation")
    if "mimetype" in names or "content.xml" in names:
        return Phrase("an OpenDocument (LibreOffice) file")
    return None


def _damaged(path: Path, exc: BaseException) -> CorruptFile:
    detail = f"{type(exc).__name__}: {exc}"[:160]  # for whoever the clerk forwards it to
    return CorruptFile(
        "'{name}' is a damaged Word file and cannot be read ({detail}). "
        "Open it in Word, which can often repair it, and save it again; or obtain the letter again.",
        code=ErrorCode.CORRUPT_DOCX,
        name=path.name,
        detail=detail,
    )


def _open(path: Path) -> DocxDocument:
    try:
        return docx.Document(str(path))
    except ValueError as exc:
        # python-docx refuses a main part that is not a plain document: a
        # macro-enabled document (.docm) or a template (.dotx, .dotm).
        if "content type" in str(exc):
            raise UnsupportedFormat(
                "'{name}' is a Word template or macro-enabled document, not a .docx. "
                "Open it in Word and use Save As > Word Document (.docx).",
                name=path.name,
            ) from exc
        raise _damaged(path, exc) from exc
    except MemoryError:
        raise
    except Exception as exc:
        # python-docx trusts the package's structure: a malformed part fails
        # as PackageNotFoundError, KeyError, XMLSyntaxError, but also as an
        # AttributeError deep inside it. Any failure here means the package
        # cannot be read, and the clerk's answer is the same.
        rels = _read_member(path, "_rels/.rels")
        if b"purl.oclc.org/ooxml" in rels:
            raise UnsupportedFormat(
                "'{name}' is saved as 'Strict Open XML Document'. Open it in Word and "
                "save it as Word Document (.docx).",
                name=path.name,
            ) from exc
        raise _damaged(path, exc) from exc


def _read_member(path: Path, name: str) -> bytes:
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.read(name)
    except (KeyError, zipfile.BadZipFile, zlib.error, OSError):
        return b""


def _part_element(part: Part, reltype: str) -> Element | None:
    """The XML root of a related part, or None; never the empty part python-docx would invent."""
    try:
        related = part.part_related_by(reltype)
    except KeyError:
        return None
    element = getattr(related, "element", None)
    return element if isinstance(element, etree._Element) else None


def _metadata(document: DocxDocument) -> dict[str, str]:
    # `document.core_properties` makes up a default part ("Word Document",
    # "python-docx") when the file has none: look for the real one first.
    try:
        core = document.part.package.part_related_by(RT.CORE_PROPERTIES)
    except KeyError:
        return {}
    if not isinstance(core, CorePropertiesPart):
        return {}
    props = core.core_properties
    metadata = {"title": (props.title or "").strip(), "author": (props.author or "").strip()}
    created = props.created
    if created is not None:
        if created.tzinfo is None:  # python-docx gives W3CDTF times as naive UTC
            created = created.replace(tzinfo=UTC)
        metadata["created"] = created.isoformat()
    return {k: v for k, v in metadata.items() if v}


def _children(parent: Element, tag: str) -> Iterator[Element]:
    """Children `tag` of `parent`, looking through content controls and custom XML."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _continues(tc: Element, merge: str) -> bool:
    """A cell continuing a `w:vMerge` (its text is in the cell above) or a legacy `w:hMerge`."""
    tc_pr = tc.find(_TCPR)
    found = tc_pr.find(qn(merge)) if tc_pr is not None else None
    return found is not None and found.get(qn("w:val"), "continue") == "continue"


def _grid_span(tc: Element) -> int:
    """How many grid columns a cell covers (`w:gridSpan`), 1 when unsaid or unreadable."""
    tc_pr = tc.find(_TCPR)
    span = tc_pr.find(qn("w:gridSpan")) if tc_pr is not None else None
    value = span.get(qn("w:val"), "1") if span is not None else "1"
    return int(value) if value.isdigit() and 0 < int(value) < 64 else 1


def _text_of(t: Element) -> str:
    # Text after an unresolved entity reference is that reference's tail;
    # the reference itself (resolve_entities=False) contributes nothing.
    return (t.text or "") + "".join(child.tail or "" for child in t)


class _BodyReader:
    """Collects the printed lines of a body, in reading order."""

    def __init__(self, styles: StyleSheet, numbering: Numbering) -> None:
        self.lines: list[str] = []
        self.warnings: list[str] = []
        self.tables: list[TableHint] = []
        self._next = 0  # offset in the joined text where the next line starts
        self._styles = styles
        self._numbering = numbering
        self._props: dict[tuple[str | None, str | None, str], bool] = {}
        self._fonts: dict[tuple[str | None, str | None], str | None] = {}
        self._tracked = False

    def blocks(self, container: Element) -> None:
        for child in container:
            tag = child.tag
            if tag == _P:
                self._paragraph(child)
            elif tag == _TBL:
                self._table(child)
            elif tag in _WRAPPERS:
                self.blocks(child)
            elif tag == _ALT_CONTENT:
                self.blocks(_choice(child))
            elif tag == qn("w:altChunk"):
                self._warn(
                    "Part of the letter is an embedded document (altChunk) that was not read: "
                    "open the file in Word and save it again to merge it."
                )

    def _table(self, tbl: Element) -> None:
        hint = TableHint([], source="docx")
        self.tables.append(hint)  # before its nested tables: hints in document order
        for tr in _children(tbl, _TR):
            row: list[Span] = []
            for tc in _children(tr, _TC):
                if _continues(tc, "w:hMerge"):
                    continue  # printed once, in the cell it continues
                if (width := _grid_span(tc)) > 1:
                    hint.across[(len(hint.rows), len(row))] = width
                if _continues(tc, "w:vMerge"):
                    hint.merged.add((len(hint.rows), len(row)))
                    row.append(self._here())
                else:
                    row.append(self._cell(tc))
            hint.rows.append(row)

    def _cell(self, tc: Element) -> Span:
        start = self._next
        self.blocks(tc)
        if self._next == start:
            return self._here()  # only hidden paragraphs: nothing printed
        return start, self._next - 1  # without the newline that follows the cell

    def _here(self) -> Span:
        """An empty span at the end of the text so far (always inside the final text)."""
        end = max(self._next - 1, 0)
        return end, end

    def _emit(self, line: str) -> None:
        self.lines.append(line)
        self._next += len(line) + 1

    def _paragraph(self, p: Element) -> None:
        ppr = p.find(_PPR)
        style_id = self._paragraph_style(ppr)
        pieces: list[str] = []
        boxes: list[Element] = []
        self._inline(p, style_id, pieces, boxes)
        text = "".join(pieces)
        mark_rpr = ppr.find(_RPR) if ppr is not None else None
        if not text and self._prop(mark_rpr, style_id, _VANISH):
            return  # a hidden empty paragraph prints nothing, not even a blank line
        marker = self._numbering.marker(p)
        self._emit(f"{marker} {text}" if marker else text)
        # Text boxes anchored here (a stamp, a boxed `Số:`) print as their own lines.
        for box in boxes:
            self.blocks(box)

    def _paragraph_style(self, ppr: Element | None) -> str | None:
        style = ppr.find(qn("w:pStyle")) if ppr is not None else None
        if style is not None:
            return style.get(qn("w:val"))
        return self._styles.default_paragraph

    def _inline(
        self, parent: Element, style_id: str | None, out: list[str], boxes: list[Element]
    ) -> None:
        for child in parent:
            tag = child.tag
            if not isinstance(tag, str):
                continue  # comments, processing instructions, entity references
            if tag in _TRACKED:
                self._note_tracked()
            if tag in _INLINE_SKIP:
                continue
            if tag == _R:
                self._run(child, style_id, out, boxes)
            elif tag == _ALT_CONTENT:
                self._inline(_choice(child), style_id, out, boxes)
            else:
                # Hyperlinks, insertions, fields, smart tags, inline content controls.
                self._inline(child, style_id, out, boxes)

    def _run(self, r: Element, style_id: str | None, out: list[str], boxes: list[Element]) -> None:
        rpr = r.find(_RPR)
        if self._prop(rpr, style_id, _VANISH):
            return
        caps = self._prop(rpr, style_id, _CAPS)
        # A run in a TCVN3/VNI font (`.VnTime`, `VNI-Times`) is collected whole and
        # converted to Unicode before `caps`: upper-casing TCVN3's `µ` (à) gives Greek `Μ`.
        legacy = font_encoding(self._font(rpr, style_id))
        pieces = out if legacy is None else []
        for child in r:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == _T:
                text = _text_of(child)
                pieces.append(text.upper() if caps and legacy is None else text)
            elif tag == _SOFT_HYPHEN and legacy is not None:
                pieces.append("\xad")  # the byte of TCVN3's `ư`, which Word keeps as a soft hyphen
            elif tag in _CHARS:
                pieces.append(_CHARS[tag])
            elif tag == _SYM:
                pieces.append(_symbol(child))
            elif tag != _RPR:
                # Drawings, VML shapes: only their text boxes carry text.
                boxes.extend(_text_boxes(child))
        if legacy is not None:
            out.append(self._legacy_text("".join(pieces), legacy, caps))

    def _legacy_text(self, text: str, legacy: FontEncoding, caps: bool) -> str:
        converted = legacy.convert(text)
        if converted != text.replace("\xad", ""):
            self._warn(converted_note(legacy.name))
        return converted.upper() if caps else converted

    def _font(self, rpr: Element | None, style_id: str | None) -> str | None:
        """The run's font for non-ASCII text: direct, else character style, paragraph style, defaults."""
        direct = _font_of(rpr)
        if direct is not None:
            return direct
        rstyle = rpr.find(qn("w:rStyle")) if rpr is not None else None
        run_style = rstyle.get(qn("w:val")) if rstyle is not None else None
        key = (run_style, style_id)
        if key not in self._fonts:
            self._fonts[key] = self._styled_font(run_style, style_id)
        return self._fonts[key]

    def _styled_font(self, run_style: str | None, style_id: str | None) -> str | None:
        for chain_start in (run_style, style_id):
            for style in self._styles.chain(chain_start):
                font = _font_of(style.find(_RPR))
                if font is not None:
                    return font
        return _font_of(self._styles.run_defaults)

    def _prop(self, rpr: Element | None, style_id: str | None, name: str) -> bool:
        """A run toggle (`w:caps`, `w:vanish`): direct, else character style, else paragraph style."""
        direct = on_off(rpr.find(qn(name))) if rpr is not None else None
        if direct is not None:
            return direct
        run_style = None
        if rpr is not None:
            rstyle = rpr.find(qn("w:rStyle"))
            run_style = rstyle.get(qn("w:val")) if rstyle is not None else None
        key = (run_style, style_id, name)
        if key not in self._props:
            self._props[key] = self._styled_prop(run_style, style_id, name)
        return self._props[key]

    def _styled_prop(self, run_style: str | None, style_id: str | None, name: str) -> bool:
        for chain_start in (run_style, style_id):
            for style in self._styles.chain(chain_start):
                value = on_off(style.find(f"{_RPR}/{qn(name)}"))
                if value is not None:
                    return value
        defaults = self._styles.run_defaults
        return bool(on_off(defaults.find(qn(name)))) if defaults is not None else False

    def _note_tracked(self) -> None:
        if not self._tracked:
            self._tracked = True
            self._warn("The letter has tracked changes: it was read with all changes accepted.")

    def _warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)


def _choice(alternate: Element) -> Element:
    """The first `mc:Choice` of an `mc:AlternateContent` (else its fallback)."""
    for tag in (_MC_CHOICE, _MC_FALLBACK):
        found = alternate.find(tag)
        if found is not None:
            return found
    return alternate


def _text_boxes(el: Element) -> Iterator[Element]:
    """Outermost text boxes under a drawing, skipping the duplicate in mc:Fallback."""
    for child in el:
        if not isinstance(child.tag, str) or child.tag == _MC_FALLBACK:
            continue
        if child.tag == _TXBX:
            yield child
        else:
            yield from _text_boxes(child)


def _font_of(rpr: Element | None) -> str | None:
    """`w:rFonts` of a run or style: the font for characters past ASCII (`w:hAnsi`), else `w:ascii`.

    None when it names none, so the style or default below decides; "" for a
    theme font, which is a Unicode font and ends the search.
    """
    fonts = rpr.find(_RFONTS) if rpr is not None else None
    if fonts is None:
        return None
    if fonts.get(qn("w:hAnsiTheme")) or fonts.get(qn("w:asciiTheme")):
        return ""
    return fonts.get(qn("w:hAnsi")) or fonts.get(qn("w:ascii"))


def _symbol(sym: Element) -> str:
    """A `w:sym` character; symbol-font glyphs (private use area) have no text meaning."""
    try:
        code = int(sym.get(qn("w:char"), ""), 16)
    except ValueError:
        return ""
    if 0xE000 <= code <= 0xF8FF or 0xD800 <= code <= 0xDFFF or not 0 < code <= 0x10FFFF:
        return ""
    return chr(code)
