"""Walk a folder and turn every file into a record or an error record.

Bad input never crashes a batch and is never lost: `process_file` returns a
`Document` or an `ErrorRecord` for every path, and `ingest` writes each to
exactly one of `documents.jsonl` and `errors.jsonl`; `tasks.jsonl` repeats
each task with its letter's number, issuer, date and subject, for trackers.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.extract import extract
from pipeline.load import load, sha256_file
from pipeline.successors import add_successors
from schemas import Document, ErrorRecord, ErrorSource, UsageError, VanbanError

_SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


def iter_files(folder: Path) -> Iterator[Path]:
    """Every regular file below `folder`, sorted, following no symlinked dirs."""
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name in _SKIP_NAMES or name.startswith((".", "~$")):
                continue
            yield Path(root) / name


def _safe_sha(path: Path) -> str | None:
    try:
        return sha256_file(path)
    except OSError:
        return None


def task_rows(doc: Document) -> list[dict[str, Any]]:
    """One row per task for a tracker: the task with its letter's identity beside it."""
    letter = {
        "doc_id": doc.doc_id,
        "source_path": doc.source.path,
        "doc_type": doc.doc_type,
        "number": doc.number,
        "issuer": doc.issuer.name if doc.issuer else None,
        "issued_date": doc.issued_date,
        "subject": doc.subject,
    }
    return [{**letter, **t.model_dump(mode="json")} for t in doc.tasks]


def process_file(path: Path, *, successor_as_of: str | None = None) -> Document | ErrorRecord:
    try:
        doc = extract(load(path))
        return add_successors(doc, successor_as_of) if successor_as_of else doc
    except VanbanError as exc:
        return ErrorRecord(
            source=ErrorSource(path=str(path), sha256=_safe_sha(path)),
            error=exc.code,
            message=exc.message,
        )
    except PermissionError:
        return ErrorRecord(
            source=ErrorSource(path=str(path), sha256=None),
            error="unreadable",
            message="The file cannot be read (permission denied): ask for access or copy it elsewhere.",
        )
    except Exception as exc:  # a bug of ours must not stop the batch
        return ErrorRecord(
            source=ErrorSource(path=str(path), sha256=_safe_sha(path)),
            error="internal_error",
            message=f"vanban failed on this file ({type(exc).__name__}: {exc}). Please report it with the file.",
        )


@dataclass
class Summary:
    files: int = 0
    documents: int = 0
    errors: int = 0
    tasks: int = 0
    pages: int = 0
    needs_ocr: int = 0
    seconds: float = 0.0
    error_codes: dict[str, int] = field(default_factory=dict)


def ingest(
    folders: Path | list[Path],
    out: Path,
    *,
    on_file: Callable[[Path, Document | ErrorRecord], None] | None = None,
    successor_as_of: str | None = None,
) -> Summary:
    folders = [Path(f) for f in (folders if isinstance(folders, list) else [folders])]
    out = Path(out)
    for folder in folders:
        if not folder.is_dir():
            raise UsageError(f"'{folder}' is not a folder: give the folder that holds the letters.")
    try:
        out.mkdir(parents=True, exist_ok=True)
        docs_f = (out / "documents.jsonl").open("w", encoding="utf-8")
        errs_f = (out / "errors.jsonl").open("w", encoding="utf-8")
        tasks_f = (out / "tasks.jsonl").open("w", encoding="utf-8")
    except OSError as exc:
        raise UsageError(
            f"Cannot write to '{out}': {exc.strerror}. Choose another --out folder."
        ) from exc
    summary = Summary()
    t0 = time.perf_counter()
    with docs_f, errs_f, tasks_f:
        for path in (p for folder in folders for p in iter_files(folder)):
            rec = process_file(path, successor_as_of=successor_as_of)
            summary.files += 1
            if isinstance(rec, Document):
                docs_f.write(rec.model_dump_json() + "\n")
                for row in task_rows(rec):
                    tasks_f.write(json.dumps(row, ensure_ascii=False) + "\n")
                summary.documents += 1
                summary.tasks += len(rec.tasks)
                summary.pages += rec.source.pages or 0
                summary.needs_ocr += int(rec.source.needs_ocr)
            else:
                errs_f.write(rec.model_dump_json() + "\n")
                summary.errors += 1
                summary.error_codes[rec.error] = summary.error_codes.get(rec.error, 0) + 1
            docs_f.flush()
            errs_f.flush()
            tasks_f.flush()
            if on_file:
                on_file(path, rec)
    summary.seconds = time.perf_counter() - t0
    return summary
