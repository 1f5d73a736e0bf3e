"""Digests of the records of known letters: a speed change must leave every byte as it was.

    python scripts/records_digest.py            # rewrite benchmarks/records_digest.tsv
    python scripts/records_digest.py --check    # compare, list the letters that differ

The letters: `data/samples` and the dev corpus (`data/corpus/dev/raw`, and the
PDFs of `data/corpus/dev/pdf` with a text layer; scans are left out: their
records follow the installed Tesseract), plus *variants* of a few dev letters
written in a temporary folder, so that the repair and normalisation paths that
clean UTF-8 never takes are covered too: decomposed (NFD), old tone placement
(`hoà`), CRLF line ends, mojibake (UTF-8 read as Windows-1252), TCVN3 bytes and
TCVN3 letters saved as UTF-8.

Each row is a letter, the digest of its record as `ingest` writes it
(`Document.model_dump_json()`) and the digest of its `--redact` record.
`tests/test_records_digest.py` recomputes every row. When a change of output
is *meant* (an extractor made more accurate), rerun this script and commit the
table with the change: the diff then shows which letters' records changed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from vanban.pipeline.batch import process_file  # noqa: E402
from vanban.pipeline.legacy_encoding import _CP1252_PUNCTUATION, _TCVN3_BYTES  # noqa: E402
from vanban.pipeline.redact import redact_document  # noqa: E402
from vanban.schemas import Document  # noqa: E402

TABLE = ROOT / "benchmarks" / "records_digest.tsv"
HEADER = "letter\trecord\tredacted\n"
SCANS = frozenset({"cv_3722_scan.pdf", "cv_3722_metro.pdf", "qd_729_ttg.pdf"})
VARIANT_SOURCES = ("001.txt", "007.txt", "013.txt", "020.txt", "024.txt", "cv_152_bkhcn.txt")
VARIANTS = "variants"  # the folder name the variants' records print


def letters() -> list[str]:
    """The real letters, as paths relative to the repository (what their records print)."""
    found = [
        *(ROOT / "data" / "samples").iterdir(),
        *(ROOT / "data" / "corpus" / "dev" / "raw").iterdir(),
        *(ROOT / "data" / "corpus" / "dev" / "pdf").glob("*.pdf"),
    ]
    keep = [p for p in found if p.suffix in {".txt", ".docx", ".pdf"} and p.name not in SCANS]
    return sorted(str(p.relative_to(ROOT)) for p in keep)


def old_tones(text: str) -> str:
    """`hòa` -> `hoà`, `ủy` -> `uỷ`: the tone on the second vowel, as older letters wrote it."""
    tones = "\u0300\u0301\u0309\u0303\u0323"
    for first, second in (("o", "a"), ("o", "e"), ("u", "y"), ("O", "A"), ("U", "Y")):
        for tone in tones:
            new = unicodedata.normalize("NFC", first + tone + second)
            old = unicodedata.normalize("NFC", first + second + tone)
            text = text.replace(new, old)
    return text


_TO_TCVN3 = {letter: chr(b) for b, letter in _TCVN3_BYTES.items()}


def _tcvn3_surface(text: str) -> str:
    """The text as a TCVN3 font's bytes read as Latin-1 (no upper-case toned letters in TCVN3)."""
    out = []
    for ch in text:
        code = _TO_TCVN3.get(ch) or _TO_TCVN3.get(ch.lower())
        out.append(code if code else ch if ord(ch) < 0x80 else "?")
    return "".join(out)


def _mojibake(text: str) -> str:
    return text.encode("utf-8").decode("latin-1").translate(_CP1252_PUNCTUATION)


_MAKERS: dict[str, Callable[[str], bytes]] = {
    "nfd": lambda t: unicodedata.normalize("NFD", t).encode("utf-8"),
    "old_tones": lambda t: old_tones(t).encode("utf-8"),
    "crlf": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    "mojibake": lambda t: _mojibake(t).encode("utf-8"),
    "tcvn3": lambda t: _tcvn3_surface(t).encode("latin-1"),
    "tcvn3_text": lambda t: _tcvn3_surface(t).encode("utf-8"),
}


def variant_names() -> list[str]:
    return sorted(f"{VARIANTS}/{kind}--{source}" for source in VARIANT_SOURCES for kind in _MAKERS)


def _source_of(name: str) -> Path:
    for folder in ("data/corpus/dev/raw", "data/samples"):
        if (ROOT / folder / name).exists():
            return ROOT / folder / name
    raise FileNotFoundError(name)


@contextmanager
def variants() -> Iterator[Path]:
    """A folder holding `variants/…`: the variants written from their dev letters."""
    with tempfile.TemporaryDirectory(prefix="vanban-digest-") as tmp:
        folder = Path(tmp) / VARIANTS
        folder.mkdir()
        for name in variant_names():
            kind, _, source = Path(name).name.partition("--")
            text = _source_of(source).read_text(encoding="utf-8")
            (folder / Path(name).name).write_bytes(_MAKERS[kind](text))
        yield Path(tmp)


def _sha(data: str) -> str:
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:20]


def digest(path: str, base: Path = ROOT) -> tuple[str, str]:
    """Digests of the record of `path` (relative to `base`) and of its redacted record."""
    cwd = os.getcwd()
    os.chdir(base)  # the record prints the path as given
    try:
        rec = process_file(Path(path))
    finally:
        os.chdir(cwd)
    plain = rec.model_dump_json()
    redacted = redact_document(rec).model_dump_json() if isinstance(rec, Document) else plain
    return _sha(plain), _sha(redacted)


def compute() -> dict[str, tuple[str, str]]:
    rows = {name: digest(name) for name in letters()}
    with variants() as base:
        rows |= {name: digest(name, base) for name in variant_names()}
    return rows


def read_table(path: Path = TABLE) -> dict[str, tuple[str, str]]:
    rows = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        name, plain, redacted = line.split("\t")
        rows[name] = (plain, redacted)
    return rows


def write_table(rows: dict[str, tuple[str, str]], path: Path = TABLE) -> None:
    body = "".join(f"{name}\t{p}\t{r}\n" for name, (p, r) in sorted(rows.items()))
    path.write_text(HEADER + body, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="compare with the table, write nothing")
    args = ap.parse_args(argv)
    rows = compute()
    if not args.check:
        write_table(rows)
        print(f"wrote {len(rows)} digests to {TABLE.relative_to(ROOT)}")
        return 0
    old = read_table()
    changed = sorted(n for n in rows.keys() | old.keys() if rows.get(n) != old.get(n))
    for name in changed:
        print(f"differs: {name}")
    print(f"{len(rows) - len(changed)} of {len(rows)} records as in {TABLE.relative_to(ROOT)}")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
