"""A file's path as the records print it, and its sha256: what `ingest`'s main
process needs of a letter, which it never reads (`vanban.pipeline.load` does,
in the workers; importing it here would add its normaliser to every run's start)."""

from __future__ import annotations

import hashlib
from pathlib import Path


def display_path(path: Path | str) -> str:
    """The path as records print it: bytes of a file name that are not UTF-8 (an
    archive unpacked from an old ZIP) written as `\\xf4`, since JSON holds only text."""
    text = str(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
