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

from pipeline.normalize import Normalized, normalize
from schemas import CorruptFile, LoadError, RawText, TextDoc, UnsupportedFormat

TEXT_SUFFIXES = {".txt", ".md", ".text"}
SUPPORTED = TEXT_SUFFIXES | {".docx", ".pdf"}


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


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; else a clear error."""
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
        # Most of the file is UTF-8 with a few bad bytes: keep it, mark them.
        text = data.decode("utf-8", errors="replace")
        if text.count("\ufffd") > max(8, len(text) // 100):
            raise LoadError(
                "The text is not in UTF-8 or UTF-16. Save it again as UTF-8 (Unicode) and retry.",
                code="unknown_encoding",
            ) from exc
        return text


def load_text(path: Path) -> RawText:
    text = decode_text(path.read_bytes())
    metadata: dict[str, str] = {}
    m = _FRONT_MATTER.match(text)
    if m:
        metadata = {k: v for k, v in _YAML_PAIR.findall(m.group(1))}
    return RawText(text=text, format="txt", metadata=metadata)


def load_raw(path: Path) -> RawText:
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return load_text(path)
    if suffix == ".docx":
        from pipeline.load_docx import load_docx

        return load_docx(path)
    if suffix == ".pdf":
        from pipeline.load_pdf import load_pdf

        return load_pdf(path)
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
    normalized = normalize(raw.text, markup=raw.format == "txt", join_wraps=raw.format != "docx")
    return LoadedDocument(path=path, sha256=digest, raw=raw, normalized=normalized)
