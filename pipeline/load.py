"""Load any supported file into a `LoadedDocument`: normalised text + source facts.

Format loaders (`load_text`, `pipeline.load_docx`, `pipeline.load_pdf`) turn
bytes into a `RawText`; `normalize` then makes the one text that every span of
the record points into.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.legacy_encoding import decode_legacy, repair, repair_raw
from pipeline.normalize import Normalized, normalize
from schemas import CorruptFile, LoadError, RawText, TextDoc, UnsupportedFormat

TEXT_SUFFIXES = {".txt", ".md", ".text"}
# Scans saved as images: read by OCR (`pipeline.ocr`), as scanned PDF pages are.
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
        return TextDoc(self.normalized.text, dict(self.raw.metadata))


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


_FRONT_MATTER = re.compile(r"\A\s*---\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
_YAML_PAIR = re.compile(r'^([A-Za-z_][\w-]*):\s*"?(.*?)"?\s*$', re.M)


def decode_text(data: bytes, notes: list[str] | None = None) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or a legacy Vietnamese 8-bit encoding.

    TCVN3, VNI, VISCII and Windows-1258 bytes, mojibake, and TCVN3/VNI letters
    saved as Unicode are turned into Unicode by `pipeline.legacy_encoding`;
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


def _decode(data: bytes, notes: list[str]) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if b"\x00" in data[:4096]:
            raise LoadError(
                "This file is binary, not text: check that it is really a letter saved as .txt.",
                code="not_text",
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
                code="unknown_encoding",
            ) from exc
        return text


def load_text(path: Path) -> RawText:
    notes: list[str] = []
    text = decode_text(path.read_bytes(), notes)
    metadata: dict[str, str] = {}
    m = _FRONT_MATTER.match(text)
    if m:
        metadata = {k: v for k, v in _YAML_PAIR.findall(m.group(1))}
    return RawText(text=text, format="txt", metadata=metadata, warnings=notes)


def load_raw(path: Path) -> RawText:
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return load_text(path)
    if suffix == ".docx":
        from pipeline.load_docx import load_docx

        # Legacy-font runs are converted by font; this catches text pasted in
        # without its font (TCVN3/VNI letters, mojibake).
        return repair_raw(load_docx(path))
    if suffix in {".doc", ".rtf", ".odt"}:
        from pipeline.convert import load_converted

        return repair_raw(load_converted(path))
    if suffix == ".pdf":
        from pipeline.load_pdf import load_pdf

        return load_pdf(path)
    if suffix in IMAGE_SUFFIXES:
        from pipeline.ocr import load_image

        return load_image(path)
    raise UnsupportedFormat(
        f"Files of type '{suffix or 'without extension'}' are not read. "
        f"Convert it to one of {', '.join(sorted(SUPPORTED))} and retry."
    )


def load(path: Path | str) -> LoadedDocument:
    """Read and normalise one file; raises `LoadError` subclasses on bad input."""
    path = Path(path)
    if not path.is_file():
        raise LoadError(f"'{path}' is not a readable file.", code="not_found")
    digest = sha256_file(path)
    if path.stat().st_size == 0:
        raise CorruptFile(
            "The file is empty (0 bytes): obtain the letter again.", code="empty_file"
        )
    raw = load_raw(path)
    raw.metadata.setdefault("file_name", path.name)
    if raw.needs_ocr:  # scanned pages or an image: OCR them when Tesseract is there
        from pipeline.ocr import apply_ocr

        raw = apply_ocr(raw, path)
    normalized = normalize(
        raw.text,
        markup=raw.format == "txt",
        join_wraps=raw.format not in {"docx", "doc", "rtf", "odt"},
    )
    return LoadedDocument(path=path, sha256=digest, raw=raw, normalized=normalized)
