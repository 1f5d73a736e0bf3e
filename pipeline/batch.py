"""Walk folders and turn every file into a record or an error record, in parallel.

Bad input never crashes a batch and is never lost: `process_file` returns a
`Document` or an `ErrorRecord` for every path, and `ingest` writes each to
exactly one of `documents.jsonl` and `errors.jsonl`; `tasks.jsonl` repeats
each task with its letter's number, issuer, date and subject, for trackers.

`ingest` is parallel, resumable and idempotent:

- files go to worker processes in batches (`vanban.pipeline.runner`: a local process
  pool, or a Dask cluster with `engine="dask"`); records are appended to the
  outputs, in the order the files were found, as their batch completes;
- `OUT/manifest` (`vanban.pipeline.manifest`) holds every input's real path (its
  folder's links resolved), sha256, size, times and inode, outcome and record
  ids. A second run skips files it holds unchanged,
  processes new ones, replaces the records of changed ones, and with
  `prune` drops those of files that are gone; `force` redoes everything,
  and so does a run with other options or another version of vanban. A run
  interrupted anyhow (Ctrl-C, kill -9, a power cut) resumes where it stopped,
  with no record lost or written twice;
- the same letter in two files (same `doc_id`) is recorded for each file;
  all but its primary copy (the best source, then the first recorded:
  `vanban.pipeline.copies`) with `duplicate_of` naming the primary's file, and
  tasks.jsonl holds the primary's tasks only: a letter's tasks once;
- the outputs belong to the run: one that another program wrote to is kept
  aside as found and rebuilt from the manifest (`vanban.pipeline.outputs`).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import sqlite3
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from vanban.pipeline import pool_server
from vanban.pipeline.copies import source_rank
from vanban.pipeline.files import display_path, sha256_file
from vanban.pipeline.i18n import error_message, language, set_language, tr, translate
from vanban.pipeline.limits import MIN_MEMORY_MB, Limits, memory_error
from vanban.pipeline.manifest import (
    DOCS,
    ERRORS,
    OUTPUTS,
    TASKS,
    Compaction,
    Entry,
    Manifest,
    OutputLock,
    SpanReader,
    manifest_error,
)
from vanban.pipeline.outputs import Outputs, keep_folder
from vanban.pipeline.runner import (
    Engine,
    FileResult,
    LocalEngine,
    Options,
    batches_of,
    outside,
    run_ordered,
    stamp,
    start_forkserver,
)
from vanban.schemas import ErrorCode, Retry, UsageError, VanbanError

if TYPE_CHECKING:  # the record models are the workers' (`vanban.schemas` says why)
    from vanban.schemas import Document, ErrorRecord

_SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}

BATCH_FILES = 32  # files per task: scheduling costs little beside the work
BATCH_BYTES = 4 << 20  # … and about this many bytes: big scans go a few at a time
CHECKPOINT_SECONDS = 1.0  # how often the manifest commits what was written
# Errors that come from the file itself are kept while the file is unchanged
# (a file that ran past --timeout, or a blank scan, would only fail the same
# way again), those of a limit until the limits change; any other error (a
# crash, a missing OCR or converter, an unreadable file) is tried again on the
# next run. The policy is the code's (`ErrorCode.retry`).
KEEP_ERRORS = frozenset(c for c in ErrorCode if c.retry is not Retry.NEXT_RUN)
LIMIT_ERRORS = frozenset(c for c in ErrorCode if c.retry is Retry.LIMITS_CHANGED)
# Manifest note: a letter got a second primary copy (a better source); `_settle_copies` clears it.
UNSETTLED = "copies_unsettled"
TMP_DIR = ".tmp"  # under --out: the workers' temporary files and notes, removed after the run


def iter_files(
    folder: Path,
    *,
    skip: Path | None = None,
    notes: list[str] | None = None,
    inside: tuple[str, ...] | None = None,
    unreadable: list[str] | None = None,
) -> Iterator[Path]:
    """Every file below `folder`, sorted; not entering `skip` (the output folder
    when it lies inside) nor hidden folders.

    Symbolic links to folders are followed, each folder once: a link back to
    a folder already walked (a loop) is not, and is said in `notes`. Whatever
    else the folder holds (links to nothing, pipes, sockets) is yielded, so
    that it gets an error record rather than disappearing. With `inside` (the
    input folders' real paths), a link to a folder outside them is not
    followed, and said in `notes`. A folder that cannot be entered (no
    permission, a path too long) is said in `notes` and listed in `unreadable`.
    """

    def cannot_enter(exc: OSError) -> None:
        where = display_path(exc.filename if exc.filename is not None else folder)
        if unreadable is not None:
            unreadable.append(str(exc.filename if exc.filename is not None else folder))
        if notes is not None:
            notes.append(
                tr(
                    "The folder '{where}' could not be read ({reason}): its files "
                    "are not in the outputs, and --prune keeps their earlier records. Ask for "
                    "access (or shorten the path), then run the same command again.",
                    where=where,
                    reason=exc.strerror or exc,
                )
            )

    if os.path.isfile(folder):  # a letter given by itself
        yield Path(folder)
        return
    skipped = os.path.realpath(skip) if skip is not None else None
    seen: set[tuple[int, int]] = set()
    try:
        st = os.stat(folder)
        seen.add((st.st_dev, st.st_ino))
    except OSError:
        pass
    for root, dirs, files in os.walk(folder, followlinks=True, onerror=cannot_enter):
        keep = []
        for d in sorted(dirs):
            full = os.path.join(root, d)
            if d.startswith(".") or (skipped is not None and os.path.realpath(full) == skipped):
                continue
            try:
                st = os.stat(full)
            except OSError as exc:  # a link to nothing, or a loop os.walk saw as a folder
                if exc.errno not in (errno.ENOENT, errno.ELOOP):  # too deep, no access
                    cannot_enter(exc)
                continue
            if inside is not None and outside(full, inside):
                if notes is not None:
                    notes.append(
                        tr(
                            "'{folder}' is a symbolic link to a folder outside the "
                            "folders given: not followed (--follow-links-outside follows it).",
                            folder=display_path(full),
                        )
                    )
                continue
            if (st.st_dev, st.st_ino) in seen:
                if notes is not None:
                    real, here = os.path.realpath(full), os.path.realpath(root)
                    loop = here == real or here.startswith(real.rstrip(os.sep) + os.sep)
                    notes.append(
                        tr(
                            "'{folder}' leads back to a folder that holds it (a "
                            "symbolic link loop): not followed.",
                            folder=display_path(full),
                        )
                        if loop
                        else tr(
                            "'{folder}' is another way to a folder already "
                            "read: its files are read once.",
                            folder=display_path(full),
                        )
                    )
                continue
            seen.add((st.st_dev, st.st_ino))
            keep.append(d)
        dirs[:] = keep
        for name in sorted(files):
            if name in _SKIP_NAMES or name.startswith((".", "~$")):
                continue
            yield Path(root) / name


def _safe_sha(path: Path) -> str | None:
    """The file's sha256, or None when it is not a regular file that can be read
    (a named pipe would block the reader forever)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        return sha256_file(path)
    except OSError:
        return None


def error_record(
    path: Path | str, code: ErrorCode, message: str | VanbanError, **params: object
) -> ErrorRecord:
    """A file's error record; its sha256 unless it timed out (no second long read).

    `message` is an error of vanban, or an English template filled from `params`:
    the record's message is in the run's language (`vanban.pipeline.i18n`)."""
    from vanban.schemas import ErrorRecord, ErrorSource

    # No second long read of a file that timed out; nothing read outside the folders.
    sha = None if code in {ErrorCode.TIMEOUT, ErrorCode.LINK_OUTSIDE} else _safe_sha(Path(path))
    text = (
        error_message(message) if isinstance(message, VanbanError) else translate(message, params)
    )
    return ErrorRecord(
        source=ErrorSource(path=display_path(path), sha256=sha), error=code, message=text
    )


def task_rows(doc: Document) -> list[dict[str, Any]]:
    """One row per task for a tracker: the task with its letter's identity beside it."""
    from vanban.schemas import TaskRow

    letter = {
        "schema_version": doc.schema_version,
        "producer": doc.producer,
        "doc_id": doc.doc_id,
        "source_path": doc.source.path,
        "doc_type": doc.doc_type,
        "number": doc.number,
        "issuer": doc.issuer.name if doc.issuer else None,
        "issued_date": doc.issued_date,
        "subject": doc.subject,
        "duplicate_of": doc.duplicate_of,
    }
    # Validated as a `TaskRow`: a row never drifts from its schema (task_row.schema.json).
    return [
        TaskRow.model_validate({**letter, **dict(t)}).model_dump(mode="json") for t in doc.tasks
    ]


def process_file(
    path: Path,
    *,
    successor_as_of: str | None = None,
    limits: Limits | None = None,
    redact: bool = False,
) -> Document | ErrorRecord:
    """One file's record, or its error record: never raises for a bad file.

    `limits` bounds the file's size and pages (time and memory are watched by
    the worker, `vanban.pipeline.runner`); `redact` masks personal data.
    """
    # Imported here, not at the top: the main process of `ingest` never reads a
    # letter, and the extractors' import (their patterns compiled) is most of a
    # run's fixed cost; the workers' forkserver imports them once, before forking.
    from vanban.pipeline.extract import extract
    from vanban.pipeline.load import load
    from vanban.pipeline.successors import add_successors

    try:
        doc = extract(load(path, limits))
        if successor_as_of:
            doc = add_successors(doc, successor_as_of)
        if redact:
            from vanban.pipeline.redact import redact_document

            doc = redact_document(doc)
        return doc
    except MemoryError:
        return error_record(path, ErrorCode.TOO_LARGE, memory_error(limits or Limits(), path))
    except VanbanError as exc:
        return error_record(path, exc.code, exc)
    except PermissionError:
        return error_record(
            path,
            ErrorCode.UNREADABLE,
            "The file cannot be read (permission denied): ask for access or copy it elsewhere.",
        )
    except Exception as exc:  # a bug of ours must not stop the batch
        why = f"{type(exc).__name__}: {exc}"
        return error_record(
            path,
            ErrorCode.INTERNAL_ERROR,
            "vanban failed on this file ({why}). Please report it with the file.",
            why=why,
        )


@dataclass
class Summary:
    """What one `ingest` run did. `files` counts the files processed in this run;
    those skipped as unchanged are in `skipped`."""

    files: int = 0
    documents: int = 0
    errors: int = 0
    tasks: int = 0  # rows written to tasks.jsonl: a letter's tasks once
    pages: int = 0
    needs_ocr: int = 0
    seconds: float = 0.0
    error_codes: dict[str, int] = field(default_factory=dict)
    ocr_pages: int = 0
    bytes: int = 0  # size of the files processed
    skipped: int = 0  # unchanged since the run that recorded them
    replaced: int = 0  # files whose earlier records were removed (changed, retried)
    pruned: int = 0  # files gone from the folders whose records were dropped (--prune)
    missing: int = 0  # files gone from the folders whose records were kept
    unreadable_folders: int = 0  # folders that could not be entered: the run is incomplete
    duplicates: int = 0  # records marked `duplicate_of` their letter's primary copy
    batches: int = 0  # tasks sent to the workers
    retried: int = 0  # files run again alone after their worker died
    engine: str = "local"
    workers: int = 0
    worker_peak_rss_mb: float = 0.0  # the largest peak resident memory of a worker
    recovered_bytes: int = 0  # uncommitted output of an interrupted run, cut off
    touched: list[str] = field(default_factory=list)  # outputs another program wrote to
    touched_copy: str | None = None  # the folder where they were kept as found
    damaged_records: int = 0  # files whose records another program damaged: read again
    interrupted: bool = False
    notes: list[str] = field(default_factory=list)
    # What OUT holds after the run, this run's records and the earlier ones kept
    # (a second run over unchanged files processes none and holds them all).
    documents_in_out: int = 0
    tasks_in_out: int = 0
    errors_in_out: int = 0
    lang: str = "en"  # the language of the notes and of this run's error messages
    # The manifest's `seq` before this run recorded its first file: settling copies
    # corrects the counts by the files recorded after it (not written to summary.json).
    first_seq: int = field(default=0, repr=False)

    @property
    def letters_per_s(self) -> float:
        return self.files / self.seconds if self.seconds else 0.0

    @property
    def mb_per_s(self) -> float:
        return self.bytes / 1e6 / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        del d["first_seq"]
        d["letters_per_s"] = round(self.letters_per_s, 2)
        d["mb_per_s"] = round(self.mb_per_s, 4)
        d["seconds"] = round(self.seconds, 3)
        return d


def code_fingerprint() -> str:
    """A hash of the code and data that make the records (pipeline, extractors,
    schemas, the agency registry): records made by other code are redone."""
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for folder in ("pipeline", "extractors", "schemas", "data/registry"):
        base = root / folder
        for path in sorted(base.rglob("*")) if base.is_dir() else []:
            # Not the message catalogs: a translation changes no record worth a re-run.
            if (
                path.is_file()
                and not {"__pycache__", "locale"} & set(path.parts)
                and path.suffix != ".pyc"
            ):
                h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


def _mark_duplicate_document(line: str, first: str) -> str:
    """A documents.jsonl line with `duplicate_of` set to `first` (the primary's path)."""
    tail = ',"duplicate_of":null}'
    if line.endswith(tail):  # `duplicate_of` is the last field of a Document
        return line[: -len("null}")] + json.dumps(first, ensure_ascii=False) + "}"
    d = json.loads(line)
    d["duplicate_of"] = first
    return json.dumps(d, ensure_ascii=False, separators=(",", ":"))


def _rank_of_line(line: str) -> int:
    """The source rank (`vanban.pipeline.copies.source_rank`) of a documents.jsonl line."""
    return source_rank(json.loads(line)["source"])


def _read_document_line(outputs: Outputs, entry: Entry) -> str | None:
    """A recorded file's documents.jsonl line (written, maybe not yet committed),
    verified against its sum wherever it moved; None when another program
    damaged it (the outputs are then rebuilt at the end of the run)."""
    outputs.flush()
    with SpanReader(outputs.manifest.db, outputs.out / OUTPUTS[DOCS], DOCS) as reader:
        data = reader.read(*entry.spans[DOCS])
    return None if data is None else data.decode("utf-8").rstrip("\n")


def _primary_of(res: FileResult, manifest: Manifest, outputs: Outputs) -> str | None:
    """The file holding the primary copy of `res`'s letter, or None when `res` is
    a primary: the first file of its letter, or a better source than the primary
    so far (a DOCX after the scan of the same letter). A letter with two
    primaries is noted in the manifest and settled at the end of the run
    (`_settle_copies`)."""
    holder = manifest.holder(res.doc_id) if res.doc_id else None
    if holder is None or res.document is None:
        return holder
    rank = res.rank if res.rank is not None else _rank_of_line(res.document)
    known = outputs.ranks.get(holder)  # the holder's, when this run wrote its line
    if known is not None and rank >= known:
        return holder  # no better a source: the holder's line need not be read back
    entry = manifest.get(holder)
    if entry is None:
        return holder
    line = _read_document_line(outputs, entry)
    if line is not None and rank < _rank_of_line(line):
        manifest.set_meta(UNSETTLED, "1")  # committed with this file's row
        return None
    return holder


def _contested(manifest: Manifest) -> list[list[Entry]]:
    """The recorded files of each letter that has more than one primary, or a copy
    naming a file that is not its letter's primary, in the order they were recorded."""
    ids = [
        row[0]
        for row in manifest.db.execute(
            "SELECT doc_id FROM files WHERE doc_id IS NOT NULL AND duplicate_of IS NULL"
            " AND outcome = 'document' GROUP BY doc_id HAVING COUNT(*) > 1"
            " UNION SELECT c.doc_id FROM files c WHERE c.outcome = 'document'"
            " AND c.duplicate_of IS NOT NULL AND NOT EXISTS (SELECT 1 FROM files p"
            " WHERE p.path = c.duplicate_of AND p.duplicate_of IS NULL"
            " AND p.outcome = 'document')"
        )
    ]
    groups = []
    for doc_id in ids:
        paths = manifest.db.execute(
            "SELECT path FROM files WHERE doc_id = ? AND outcome = 'document' ORDER BY seq",
            (doc_id,),
        ).fetchall()
        groups.append([e for (p,) in paths if (e := manifest.get(p)) is not None])
    return groups


def _restatements(outputs: Outputs, group: list[Entry]) -> list[tuple[Entry, str]] | None:
    """The copies of one letter to record again as copies of its best source, with
    their new documents.jsonl lines; None when a line of theirs was damaged by another
    program (the outputs are rebuilt, and the letter settled after)."""
    read = [_read_document_line(outputs, e) for e in group]
    lines = [line for line in read if line is not None]
    if len(lines) < len(group):
        return None
    order = range(len(group))
    best = min(order, key=lambda i: (_rank_of_line(lines[i]), group[i].duplicate_of is not None, i))
    shown = display_path(group[best].path)
    return [
        (
            replace(group[i], duplicate_of=group[best].path),
            _mark_duplicate_document(lines[i], shown),
        )
        for i in order
        if i != best and (group[i].duplicate_of != group[best].path or group[i].spans[TASKS][1])
    ]


def _settle_copies(out: Path, manifest: Manifest, outputs: Outputs, summary: Summary) -> Outputs:
    """Each letter's best source becomes its only primary: the other copies are
    recorded again as its duplicates, their tasks removed from tasks.jsonl (by a
    compaction, so only in a run that recorded a better copy after a worse one).

    Returns the outputs, reopened when they were compacted. A kill in between
    leaves those copies out of the manifest: the next run reads them again.
    """
    if manifest.get_meta(UNSETTLED) != "1":
        return outputs
    groups = _contested(manifest)
    found = [_restatements(outputs, group) for group in groups]
    restate = [r for group in found if group is not None for r in group]
    if None in found:
        # A copy's line was damaged (edited in place, same length, so no checkpoint saw
        # it): the outputs are rebuilt at the end of this run, and the copies settled by
        # a run after that; the flag stays up until they are.
        manifest.begin()
        manifest.set_touched(DOCS, "a record changed in place")
        manifest.commit()
        return outputs
    if not restate:
        manifest.begin()
        manifest.set_meta(UNSETTLED, "0")
        manifest.commit()
        return outputs
    manifest.begin()
    outputs.checkpoint()
    for entry, _ in restate:
        manifest.drop(entry.path)
    manifest.commit()
    outputs.close()
    _compact(out, manifest, summary)
    outputs = Outputs(out, manifest)
    manifest.begin()
    for entry, line in restate:
        spans = (
            outputs.write(DOCS, [line]),
            (outputs.lengths[TASKS], 0, ""),
            (outputs.lengths[ERRORS], 0, ""),
        )
        manifest.put(replace(entry, spans=spans))
    manifest.set_meta(UNSETTLED, "0")
    outputs.checkpoint()
    manifest.commit()
    # A copy this run already counted as one is not counted twice; tasks rows
    # are taken off the count only for primaries this run wrote (a primary of an
    # earlier run was never in it; a copy wrote none).
    before = {e.path: e for group in groups for e in group}
    this_run = [before[e.path] for e, _ in restate if before[e.path].seq > summary.first_seq]
    copies = [e for e in this_run if e.duplicate_of is not None]
    summary.duplicates += len(restate) - len(copies)
    wrote = sum(len(e.record_ids) - 1 for e in this_run if e.duplicate_of is None)
    summary.tasks = max(0, summary.tasks - wrote)
    return outputs


class _Stop:
    """Ctrl-C (SIGINT) and SIGTERM set a flag that the run checks between
    batches; a second Ctrl-C stops at once."""

    def __init__(self) -> None:
        self.flag = False
        self._saved: dict[int, Any] = {}

    def __call__(self) -> bool:
        return self.flag

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.flag and signum == signal.SIGINT:
            raise KeyboardInterrupt
        self.flag = True

    def __enter__(self) -> _Stop:
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._saved[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._saved.items():
            signal.signal(sig, handler)


def _make_engine(
    engine: str, workers: int, scheduler: str | None, local_directory: str | None = None
) -> Engine:
    if engine == "local":
        return LocalEngine(workers)
    try:
        from vanban.pipeline.runner_dask import DaskEngine
    except ImportError as exc:
        raise UsageError(
            "--engine dask needs Dask distributed: pip install 'dask[distributed]'."
        ) from exc
    return DaskEngine(workers, scheduler, local_directory)


def _write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        f.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def ingest(
    folders: Path | list[Path],
    out: Path,
    *,
    on_file: Callable[[Path, FileResult], None] | None = None,
    on_start: Callable[[int, int], None] | None = None,
    successor_as_of: str | None = None,
    workers: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    force: bool = False,
    prune: bool = False,
    batch_size: int = BATCH_FILES,
    processor: str | None = None,
    limits: Limits | None = None,
    redact: bool = False,
    own_tmp: bool = False,
    follow_links_outside: bool = False,
    lang: str | None = None,
) -> Summary:
    """Process every file below `folders` into `out`; see the module doc.

    `limits` bounds each file's size, pages, time and memory (`vanban.pipeline.limits`;
    default `Limits()`); `redact` masks personal data in every record. Workers
    keep their temporary files under `OUT/.tmp`, removed at the end; with
    `own_tmp` this process does too (for a process that runs one ingest, as
    the CLI: the pool's forkserver keeps its socket there).

    Symbolic links that lead outside the folders are not followed (a file gets
    a `link_outside` error record) unless `follow_links_outside`. A file given
    in `folders` is read as if it were alone in a folder.

    The notes and the error records' messages are in `lang` (`vi`, `en`; default:
    the language in use, `vanban.pipeline.i18n`), recorded as the summary's `lang`.

    `on_start(to_process, skipped)` is called once the folders are walked,
    `on_file(path, result)` as each file's records are written. `workers`
    defaults to the usable cores (for Dask, to the cluster's worker threads).
    `processor` (`module:function`) replaces the per-file function, for tests.
    """
    folders = [Path(f) for f in (folders if isinstance(folders, list) else [folders])]
    out = Path(out)
    for folder in folders:
        if not folder.is_dir() and not folder.is_file():
            raise UsageError(
                "'{folder}' is not a folder or a file: give the folder that holds the "
                "letters, or a letter.",
                folder=folder,
            )
    for folder in folders:
        if os.path.realpath(folder) == os.path.realpath(out):
            raise UsageError(
                "--out '{out}' is a folder of letters given: its outputs would "
                "be read as letters on the next run. Choose another --out folder (one inside "
                "it, such as its 'vanban-out', is left out of the walk).",
                out=display_path(out),
            )
    if engine not in {"local", "dask"}:
        raise UsageError("Unknown engine '{engine}': use local or dask.", engine=engine)
    if scheduler and engine != "dask":
        raise UsageError("--scheduler goes with --engine dask.")
    if engine == "dask" and scheduler:
        # Remote workers do not share our working directory.
        folders = [f.resolve() for f in folders]
    if batch_size < 1:
        raise UsageError("--batch-size must be at least 1.")
    if limits is not None and limits.max_memory_mb and limits.max_memory_mb < MIN_MEMORY_MB:
        raise UsageError(
            "--max-memory-mb {mb} leaves a worker no room to read a file: "
            "give at least {least} (a few hundred for scans), or 0 for no limit.",
            mb=limits.max_memory_mb,
            least=MIN_MEMORY_MB,
        )
    nworkers = workers or len(os.sched_getaffinity(0))
    if nworkers < 1:
        raise UsageError("--workers must be at least 1.")
    try:
        out.mkdir(parents=True, exist_ok=True)
        lock = OutputLock(out)
    except UsageError:
        raise
    except OSError as exc:
        raise UsageError(
            "Cannot write to '{out}': {reason}. Choose another --out folder.",
            out=out,
            reason=exc.strerror,
        ) from exc
    tmp = out / TMP_DIR
    saved_tmp, saved_lang = tempfile.tempdir, language()
    run_lang = set_language(lang or saved_lang)
    try:
        if force:
            (out / "manifest").unlink(missing_ok=True)
        pool_server.clear_tmp(tmp)  # left by a killed run
        (tmp / "workers").mkdir(parents=True, exist_ok=True)
        pool_server.socket_folder(tmp / "main" if own_tmp else None)
        local = engine == "local"
        if local and not (out / "manifest").exists():
            # A first run (or --force) reads every letter found: the workers'
            # server starts now, its import overlapping the walk. A later run
            # may have nothing to read; it starts the server when it has.
            start_forkserver()
        return _ingest(
            folders,
            out,
            on_file=on_file,
            on_start=on_start,
            options=Options(
                successor_as_of=successor_as_of,
                processor=processor or Options.processor,
                ocr_threads=None
                if engine == "dask" and scheduler
                else max(1, len(os.sched_getaffinity(0)) // nworkers),
                limits=limits if limits is not None else Limits(),
                redact=redact,
                lang=run_lang,
                tmp_dir=str(tmp.resolve()) if not scheduler else None,
                status_dir=str((tmp / "workers").resolve()) if local else None,
                inside=None
                if follow_links_outside
                else tuple(os.path.realpath(f) for f in folders),
            ),
            workers=nworkers,
            engine=engine,
            scheduler=scheduler,
            prune=prune,
            batch_size=batch_size,
        )
    except OSError as exc:
        raise UsageError(
            "Cannot write to '{out}': {reason}. Free some space or choose "
            "another --out folder, then run the same command again to resume.",
            out=out,
            reason=exc.strerror or exc,
        ) from exc
    except sqlite3.Error as exc:
        raise manifest_error(exc, out / "manifest") from exc
    finally:
        set_language(saved_lang)
        if own_tmp:
            tempfile.tempdir = saved_tmp
        shutil.rmtree(tmp, ignore_errors=True)
        lock.release()


def _ingest(
    folders: list[Path],
    out: Path,
    *,
    on_file: Callable[[Path, FileResult], None] | None,
    on_start: Callable[[int, int], None] | None,
    options: Options,
    workers: int,
    engine: str,
    scheduler: str | None,
    prune: bool,
    batch_size: int,
) -> Summary:
    summary = Summary(engine=engine, lang=options.lang or language())
    t0 = time.perf_counter()
    manifest = Manifest(out / "manifest", out / TMP_DIR / "manifest.work")
    outputs: Outputs | None = None
    try:
        outputs = Outputs(out, manifest)
        manifest.take_lost()  # files whose records were lost: the walk finds them as new
        summary.recovered_bytes = 0 if manifest.created else outputs.recovered
        if outputs.rebuilt is not None:
            _say_touched(summary, outputs.found, outputs.rebuilt)
        elif summary.recovered_bytes:
            summary.notes.append(
                tr(
                    "Resumed an interrupted run: {n} bytes of records "
                    "it had not committed were removed; their files are read again.",
                    n=summary.recovered_bytes,
                )
            )
        fingerprint = json.dumps(
            {
                "code": code_fingerprint(),
                "successor_as_of": options.successor_as_of,
                "redact": options.redact,
            }
        )
        if manifest.get_meta("fingerprint") != fingerprint:
            if manifest.count():
                summary.notes.append(
                    tr(
                        "The records were made by another version of vanban or with other "
                        "options: every file is read again."
                    )
                )
            manifest.begin()
            manifest.reset()
            manifest.set_meta("fingerprint", fingerprint)
            manifest.commit()
            outputs.truncate_all()
        limits = json.dumps(asdict(options.limits))
        limits_changed = manifest.get_meta("limits") != limits
        _plan(
            folders,
            out,
            manifest,
            summary,
            prune,
            retry_limited=limits_changed,
            inside=options.inside,
        )
        if limits_changed:
            manifest.begin()
            manifest.set_meta("limits", limits)
            manifest.commit()
        outputs.close()
        summary.replaced = _compact(out, manifest, summary).removed - summary.pruned
        manifest.requeue(manifest.take_lost())  # read again in this run
        outputs = Outputs(out, manifest)  # reopened: the compaction replaced the files
        todo, _ = manifest.todo_count()
        summary.first_seq = manifest.last_seq
        if on_start:
            on_start(todo, summary.skipped)
        if todo:
            _run(
                todo,
                manifest,
                outputs,
                summary,
                options,
                workers,
                engine,
                scheduler,
                batch_size,
                on_file,
            )
        outputs = _settle_copies(out, manifest, outputs, summary)
        summary.missing = 0 if prune else manifest.unseen()
        for _ in range(2):  # after Ctrl-C: by the next run
            if summary.interrupted:
                break
            outputs, todo = _rebuild_after_run(out, manifest, outputs, summary)
            if not todo:
                break
            run = (workers, engine, scheduler, batch_size, on_file)
            _run(todo, manifest, outputs, summary, options, *run)
            outputs = _settle_copies(out, manifest, outputs, summary)
        totals = manifest.totals()
        summary.documents_in_out, summary.tasks_in_out, summary.errors_in_out = totals
    finally:
        if outputs is not None:
            outputs.close()
        manifest.close()
    summary.seconds = time.perf_counter() - t0
    _write_json_atomic(out / "summary.json", summary.to_dict())
    return summary


def _compact(out: Path, manifest: Manifest, summary: Summary) -> Compaction:
    """Remove the dropped files' records from the outputs (`Manifest.compact`),
    saying so when another program had changed them since they were checked."""
    compaction = manifest.compact(out, keep=keep_folder(out))
    if compaction.misplaced:
        found = {
            name: compaction.reasons.get(name, "records not as the run wrote them")
            for name in compaction.misplaced
        }
        _say_touched(summary, found, compaction)
    return compaction


def _rebuild_after_run(
    out: Path, manifest: Manifest, outputs: Outputs, summary: Summary
) -> tuple[Outputs, int]:
    """The outputs rebuilt if another program wrote to them during the run, and
    the files whose records it damaged left to do (how many)."""
    if outputs.touched():
        outputs.close()
        outputs = Outputs(out, manifest)
        if outputs.rebuilt is not None:
            _say_touched(summary, outputs.found, outputs.rebuilt)
    lost = manifest.take_lost()
    return outputs, manifest.requeue(lost, only=True) if lost else 0


def _say_touched(summary: Summary, found: dict[str, str], rebuilt: Compaction) -> None:
    """Tell the clerk which outputs another program changed, where they are kept as
    found, and how many files are read again because their records were damaged."""
    folder = rebuilt.kept
    if folder is not None:
        summary.touched_copy = str(folder)
    summary.damaged_records += len(rebuilt.lost)
    again = (
        tr("; {n} files whose records were damaged are read again", n=len(rebuilt.lost))
        if rebuilt.lost
        else ""
    )
    for name, why in found.items():
        summary.touched.append(name)
        kept = (
            tr(
                "a copy of it as it was is kept in '{folder}', and ",
                folder=display_path(folder),
            )
            if folder is not None and (folder / name).exists()
            else ""
        )
        summary.notes.append(
            tr(
                "'{name}' was changed by another program ({why}). The outputs belong to "
                "vanban's runs (copy them before editing them), so {kept}it was rebuilt "
                "from the manifest and the letters{again}.",
                name=name,
                why=why,
                kept=kept,
                again=again,
            )
        )


def _plan(
    folders: list[Path],
    out: Path,
    manifest: Manifest,
    summary: Summary,
    prune: bool,
    *,
    retry_limited: bool = False,
    inside: tuple[str, ...] | None = None,
) -> None:
    """Walk the folders: what to process, what to skip, which records to drop.
    `retry_limited`: the limits changed, so files that went past them are redone."""
    manifest.start_plan()
    ocr_now: bool | None = None
    manifest.begin()
    unreadable: list[str] = []
    walked = (
        p
        for folder in folders
        for p in iter_files(
            folder, skip=out, notes=summary.notes, inside=inside, unreadable=unreadable
        )
    )
    real_dirs: dict[str, str] = {}
    for found in walked:
        # A file is known by its folder's real path: the same folder given twice
        # (`corpus`, `./corpus/g1`, through a link) yields each file once.
        parent = str(found.parent)
        if parent not in real_dirs:
            if len(real_dirs) > 10_000:
                real_dirs.clear()
            real_dirs[parent] = os.path.realpath(parent)
        path = Path(real_dirs[parent]) / found.name
        key = str(path)
        if not manifest.see(key):
            continue  # found twice (overlapping folders)
        try:
            st = path.stat()
            size, mtime_ns, stamped = st.st_size, st.st_mtime_ns, stamp(st)
        except OSError:
            size = mtime_ns = -1
            stamped = ""
        entry = manifest.get(key)
        if entry is None:
            manifest.add_todo(key, max(size, 0))
            continue
        redo = entry.outcome == "error" and (
            entry.error not in KEEP_ERRORS or (retry_limited and entry.error in LIMIT_ERRORS)
        )
        if not redo and entry.needs_ocr:  # a scan read before OCR was installed
            if ocr_now is None:
                from vanban.pipeline.ocr import tesseract_problem

                ocr_now = tesseract_problem() is None
            redo = ocr_now
        if not redo and (size, mtime_ns, stamped) != (entry.size, entry.mtime_ns, entry.stamp):
            # Also a letter replaced with its size and time kept (`cp -p`): its
            # change time or inode differs; the hash decides.
            sha = _safe_sha(path)
            if sha is not None and sha == entry.sha256:
                manifest.touch(key, size, mtime_ns, stamped)  # copied or touched, not changed
            else:
                redo = True
        if redo:
            manifest.drop(key)
            manifest.add_todo(key, max(size, 0))
        else:
            summary.skipped += 1
    summary.unreadable_folders = len(unreadable)
    if prune:
        # Keys are real paths: so are the folders whose records are kept.
        kept = [os.path.realpath(u) for u in unreadable]
        summary.pruned = manifest.drop_unseen(keep_under=kept)
    summary.skipped -= manifest.drop_duplicates_of_dropped()
    manifest.commit()


def _run(
    todo: int,
    manifest: Manifest,
    outputs: Outputs,
    summary: Summary,
    options: Options,
    workers: int,
    engine_name: str,
    scheduler: str | None,
    batch_size: int,
    on_file: Callable[[Path, FileResult], None] | None,
) -> None:
    engine = _make_engine(engine_name, workers, scheduler, options.tmp_dir)
    summary.workers = engine.workers
    last = time.monotonic()

    def checkpoint() -> None:
        outputs.checkpoint()
        manifest.commit()
        manifest.begin()

    with _Stop() as stop:
        finished = False
        try:
            manifest.begin()
            # A few files are spread over every worker: several batches each.
            size = max(1, min(batch_size, -(-todo // (4 * engine.workers))))
            batches = batches_of(
                manifest.todo(), size, BATCH_BYTES, total=todo, workers=engine.workers
            )
            ahead = 2 * engine.workers + 2
            run = run_ordered(
                engine, batches, options, ahead=ahead, ahead_files=ahead * size, stop=stop
            )
            for output in run:
                summary.batches += 1
                summary.retried += output.retried
                summary.worker_peak_rss_mb = max(
                    summary.worker_peak_rss_mb, output.peak_rss_kb / 1024
                )
                for res in output.results:
                    _commit(res, manifest, outputs, summary)
                    if on_file:
                        on_file(Path(res.path), res)
                outputs.flush()
                if time.monotonic() - last >= CHECKPOINT_SECONDS:
                    checkpoint()
                    last = time.monotonic()
            summary.interrupted = stop()
            checkpoint()
            manifest.commit()
            finished = True
        finally:
            if finished and not summary.interrupted:
                engine.close()
            else:
                engine.abort()
    if summary.interrupted:
        summary.notes.append(
            tr(
                "Interrupted: the records written so far are kept; run the same command "
                "again to process the rest."
            )
        )


def _commit(res: FileResult, manifest: Manifest, outputs: Outputs, summary: Summary) -> None:
    """Write one file's records and its manifest row (committed at the next checkpoint)."""
    first = None
    doc_lines: list[str] = []
    task_lines = res.tasks
    if res.document is not None and res.doc_id is not None:
        first = _primary_of(res, manifest, outputs)
        if first is None:
            doc_lines = [res.document]
        else:
            doc_lines = [_mark_duplicate_document(res.document, display_path(first))]
            task_lines = []  # tasks.jsonl holds each letter's tasks once: its primary's
            summary.duplicates += 1
    spans = (
        outputs.write(DOCS, doc_lines),
        outputs.write(TASKS, task_lines),
        outputs.write(ERRORS, [res.error] if res.error is not None else []),
    )
    manifest.put(
        Entry(
            path=res.path,
            sha256=res.sha256,
            size=res.size,
            mtime_ns=res.mtime_ns,
            stamp=res.stamp,
            outcome="document" if doc_lines else "error",
            error=res.error_code,
            doc_id=res.doc_id,
            record_ids=([res.doc_id] if res.doc_id else []) + res.task_ids,
            duplicate_of=first,
            needs_ocr=res.needs_ocr,
            spans=spans,
        )
    )
    summary.files += 1
    summary.bytes += res.size
    if doc_lines:
        if res.rank is not None and first is None:  # a copy is never a holder
            outputs.keep_rank(res.path, res.rank)
        summary.documents += 1
        summary.tasks += len(task_lines)
        summary.pages += res.pages
        summary.ocr_pages += res.ocr_pages
        summary.needs_ocr += int(res.needs_ocr)
    else:
        summary.errors += 1
        code = res.error_code or "error"
        summary.error_codes[code] = summary.error_codes.get(code, 0) + 1
