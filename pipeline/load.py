"""Load any supported file into a `LoadedDocument`: normalised text + source facts.

Format loaders (`load_text`, `vanban.pipeline.load_docx`, `vanban.pipeline.load_pdf`) turn
bytes into a `RawText`; `normalize` then makes the one text that every span of
the record points into.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from vanban.pipeline.files import display_path, sha256_file
from vanban.pipeline.legacy_encoding import decode_legacy, repair, repair_raw
from vanban.pipeline.limits import TEXT_SUFFIXES, Limits, check_pages, check_size, check_text_memory
from vanban.pipeline.md_tables import find_tables
from vanban.pipeline.normalize import Normalized, normalize
from vanban.schemas import (
    CorruptFile,
    ErrorCode,
    LoadError,
    Phrase,
    RawText,
    TextDoc,
    UnsupportedFormat,
    VanbanError,
)

# Scans saved as images: read by OCR (`vanban.pipeline.ocr`), as scanned PDF pages are.
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
SUPPORTED = TEXT_SUFFIXES | {".docx", ".pdf", ".doc", ".rtf", ".odt"} | IMAGE_SUFFIXES


@dataclass
class LoadedDocument:
    path: Path
    sha256: str
    raw: RawText
    normalized: Normalized

    @property
    def text(self) -> str:
        return self.normalized.text

    def text_doc(self) -> TextDoc:
        return TextDoc(
            self.normalized.text,
            dict(self.raw.metadata),
            self.normalized.map_tables(self.raw.tables),
        )


_FRONT_MATTER = re.compile(r"\A\s*---\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
_YAML_PAIR = re.compile(r'^([A-Za-z_][\w-]*):\s*"?(.*?)"?\s*$', re.M)


def decode_text(data: bytes, notes: list[str] | None = None) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or a legacy Vietnamese 8-bit encoding.

    TCVN3, VNI, VISCII and Windows-1258 bytes, mojibake, and TCVN3/VNI letters
    saved as Unicode are turned into Unicode by `vanban.pipeline.legacy_encoding`;
    what was done is added to `notes` (the loader's warnings).
    """
    found: list[str] = []
    text = _decode(data, found)
    if not found:  # Unicode as stored, but perhaps mojibake or TCVN3/VNI letters
        repaired = repair(text)
        text = repaired.text
        found.extend(repaired.notes)
    if notes is not None:
        notes.extend(found)
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    """The text of UTF-16 saved without its byte-order mark (some Windows tools):
    a zero byte in most characters' high half, on one side, and text throughout."""
    if len(data) % 2:
        return None
    sample = data[:8192]
    half = len(sample) // 2
    for encoding, zeros in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        if zeros.count(0) < half * 0.3:
            continue
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not any(c < " " and c not in "\n\r\t" for c in text[:4096]):  # no C0 control
            return text
    return None


def _decode(data: bytes, notes: list[str]) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if b"\x00" in data[:4096]:
            wide = _utf16_without_bom(data)
            if wide is not None:
                notes.append("The file is UTF-16 text without a byte-order mark: read as such.")
                return wide
            raise LoadError(
                "This file is binary, not text: check that it is really a letter saved as .txt.",
                code=ErrorCode.NOT_TEXT,
            ) from exc
        legacy = decode_legacy(data)  # TCVN3, VNI, VISCII, Windows-1258
        if legacy is not None:
            notes.extend(legacy.notes)
            return legacy.text
        # Most of the file is UTF-8 with a few bad bytes: keep it, mark them.
        text = data.decode("utf-8", errors="replace")
        if text.count("\ufffd") > max(8, len(text) // 100):
            raise LoadError(
                "The text is not in UTF-8 or UTF-16, nor in a Vietnamese legacy encoding "
                "(TCVN3, VNI, VISCII, Windows-1258). Save it again as UTF-8 (Unicode) and retry.",
                code=ErrorCode.UNKNOWN_ENCODING,
            ) from exc
        return text


def load_text(path: Path) -> RawText:
    notes: list[str] = []
    text = decode_text(path.read_bytes(), notes)
    metadata: dict[str, str] = {}
    m = _FRONT_MATTER.match(text)
    if m:
        metadata = {k: v for k, v in _YAML_PAIR.findall(m.group(1))}
    return RawText(
        text=text, format="txt", metadata=metadata, warnings=notes, tables=find_tables(text)
    )


# What a file's first bytes say it is, as the suffix that reads it.
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", ".png", "a PNG image"),
    (b"\xff\xd8\xff", ".jpg", "a JPEG image"),
    (b"II*\x00", ".tif", "a TIFF image"),
    (b"MM\x00*", ".tif", "a TIFF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".doc", "a Word 97-2003 document"),
    (b"{\\rtf", ".rtf", "an RTF document"),
)


def sniff(path: Path) -> tuple[str, str] | None:
    """(suffix, what) of a file by its content, for the kinds we read; None when
    the content says nothing (plain text, junk)."""
    try:
        with path.open("rb") as f:
            head = f.read(1024)
    except OSError:
        return None
    for magic, suffix, what in _MAGIC:
        if head.startswith(magic):
            return suffix, what
    if b"%PDF-" in head:
        return ".pdf", "a PDF"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
            return None
        if "word/document.xml" in names:
            return ".docx", "a Word document (.docx)"
        if "content.xml" in names and "mimetype" in names:
            return ".odt", "an OpenDocument text (.odt)"
    return None


def _family(suffix: str) -> str:
    return {".jpeg": ".jpg", ".tiff": ".tif"}.get(suffix, suffix)


def load_raw(path: Path, limits: Limits | None = None) -> RawText:
    """The file's text before normalisation, read by what it holds: a file whose
    name says one format and whose content another (a scan saved as `.txt`, a
    PDF without extension) is read by its content, with a warning."""
    suffix = path.suffix.lower()
    found = sniff(path)
    # A .docx in an OLE envelope is password-protected: load_docx says so.
    if (
        found is not None
        and _family(found[0]) != _family(suffix)
        and not (suffix == ".docx" and found[0] == ".doc")
    ):
        named = f"named '{suffix}'" if suffix else "without extension"
        raw = _load_as(path, found[0], limits)
        raw.warnings.insert(
            0,
            f"The file is {named} but holds {found[1]}: it was read as such. Rename it "
            f"'{path.stem}{found[0]}' so that other programs open it too.",
        )
        return raw
    return _load_as(path, suffix, limits)


def _load_as(path: Path, suffix: str, limits: Limits | None) -> RawText:
    if suffix in TEXT_SUFFIXES:
        return load_text(path)
    if suffix == ".docx":
        from vanban.pipeline.load_docx import load_docx

        # Legacy-font runs are converted by font; this catches text pasted in
        # without its font (TCVN3/VNI letters, mojibake).
        return repair_raw(load_docx(path))
    if suffix in {".doc", ".rtf", ".odt"}:
        from vanban.pipeline.convert import load_converted

        return repair_raw(load_converted(path, suffix))
    if suffix == ".pdf":
        from vanban.pipeline.load_pdf import load_pdf

        return load_pdf(path, max_pages=limits.max_pages if limits else None)
    if suffix in IMAGE_SUFFIXES:
        from vanban.pipeline.ocr import load_image

        raw = load_image(path)
        if limits and raw.pages:
            check_pages(
                raw.pages, limits, what=VanbanError("{kind} image", kind=suffix[1:].upper())
            )
        return raw
    raise UnsupportedFormat(
        "Files of type '{suffix}' are not read. Convert it to one of {formats} and retry.",
        suffix=suffix or Phrase("without extension"),
        formats=", ".join(sorted(SUPPORTED)),
    )


def _permission_denied(path: Path) -> LoadError:
    return LoadError(
        "'{name}' cannot be opened (permission denied): ask for access to it, "
        "or copy it somewhere readable.",
        code=ErrorCode.UNREADABLE,
        name=path.name,
    )


def file_problem(path: Path) -> LoadError | None:
    """Why `path` is not a regular file that can be read, in words a clerk can act on."""
    try:
        st = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return LoadError(
                "'{name}' is a symbolic link that leads back to itself (a loop), not a "
                "letter: remove the link, or point it at the file it was meant for.",
                code=ErrorCode.SYMLINK_LOOP,
                name=path.name,
            )
        if exc.errno == errno.ENOENT and os.path.islink(path):
            return LoadError(
                "'{name}' is a symbolic link to '{target}', which does not "
                "exist: copy the letter itself into the folder, or repair the link.",
                code=ErrorCode.BROKEN_LINK,
                name=path.name,
                target=os.readlink(path),
            )
        if exc.errno in (errno.EACCES, errno.EPERM):
            return _permission_denied(path)
        return LoadError(
            "'{name}' cannot be read ({reason}): it may have been moved or deleted during the run.",
            code=ErrorCode.NOT_FOUND,
            name=path.name,
            reason=exc.strerror,
        )
    if stat.S_ISREG(st.st_mode):
        return None
    kind = (
        Phrase("a folder")
        if stat.S_ISDIR(st.st_mode)
        else Phrase("a named pipe (FIFO)")
        if stat.S_ISFIFO(st.st_mode)
        else Phrase("a socket")
        if stat.S_ISSOCK(st.st_mode)
        else Phrase("a device")
    )
    return LoadError(
        "'{name}' is {kind}, not a file: it holds no letter. Remove it from the folder.",
        code=ErrorCode.NOT_A_FILE,
        name=path.name,
        kind=kind,
    )


def load(path: Path | str, limits: Limits | None = None) -> LoadedDocument:
    """Read and normalise one file; raises `LoadError` subclasses on bad input
    (`LimitExceeded` past the size and page `limits`)."""
    path = Path(path)
    problem = file_problem(path)
    if problem is not None:
        raise problem
    size = path.stat().st_size
    if size == 0:
        raise CorruptFile(
            "The file is empty (0 bytes): obtain the letter again.", code=ErrorCode.EMPTY_FILE
        )
    if limits is not None:
        check_size(size, limits)
        check_text_memory(size, path.suffix, limits)
    try:
        digest = sha256_file(path)
    except PermissionError as exc:
        raise _permission_denied(path) from exc
    raw = load_raw(path, limits)
    raw.metadata.setdefault("file_name", display_path(path.name))
    if raw.needs_ocr:  # scanned pages or an image: OCR them when Tesseract is there
        from vanban.pipeline.ocr import apply_ocr

        raw = apply_ocr(raw, path)
    normalized = normalize(
        raw.text,
        markup=raw.format == "txt",
        join_wraps=raw.format not in {"docx", "doc", "rtf", "odt"},
    )
    if not raw.needs_ocr and not normalized.text.strip():
        if raw.format in {"docx", "doc", "rtf", "odt"}:
            raise LoadError(
                "The document's body holds no text: it is blank, or its text is only in "
                "the page header or footer, text boxes or pictures, which are not read. "
                "Open it and put the letter in the body, or save it as PDF.",
                code=ErrorCode.NO_TEXT,
            )
        raise LoadError(
            "The file holds no text: it is blank, or a scan that OCR could not read. "
            "Open it to check it; scan a paper letter again at 300 dpi.",
            code=ErrorCode.NO_TEXT,
        )
    return LoadedDocument(path=path, sha256=digest, raw=raw, normalized=normalized)
