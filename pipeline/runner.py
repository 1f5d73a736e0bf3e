"""Running the per-file function over many files: batches, workers, lost workers.

The worker side is `run_batch(paths, options)`: it calls `run_file` on each
path, which calls the per-file function (`vanban.pipeline.batch.process_file`) and
turns its record into JSON lines (`FileResult`). Records are serialised in the
worker, so the main process only writes lines.

The main side is `run_ordered(engine, batches, …)`: it keeps a bounded number
of batches in flight on an `Engine` — a local process pool (`LocalEngine`) or
a Dask cluster (`vanban.pipeline.runner_dask.DaskEngine`) — and yields their results
in the order the batches were made, so that outputs and duplicate marks do not
depend on which worker finished first.

When a worker dies (a PDF or OCR library crashing, the kernel killing it for
memory), its batch fails; a process pool even breaks whole
(`BrokenProcessPool`) and is replaced. The files of a failed batch are then
run again, each alone (`Engine.isolate`): those that fail again alone are
recorded as error records (`worker_crashed`), the others as usual. Each file
is thus retried once.

Per-file limits (`vanban.pipeline.limits`) wrap `run_file`'s call of the per-file
function: a file that runs too long or takes too much memory ends in an error
record (`timeout`, `too_large`). Each worker notes the file it is reading; when
a local worker dies, the file it was reading is blamed at once (its record
says why: killed, crashed, stuck past the time limit) and is not run again;
the other files of the lost batches are run again, each alone.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import resource
import signal
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from vanban.pipeline import pool_server
from vanban.pipeline.i18n import set_language
from vanban.pipeline.limits import (
    Limits,
    death_error,
    guard,
    memory_error,
    note_reading,
    reading_of,
    timeout_error,
)
from vanban.schemas import ErrorCode, LimitExceeded, VanbanError

if TYPE_CHECKING:  # the record models are the workers' (`vanban.schemas` says why)
    from vanban.schemas import Document, ErrorRecord

OCR_WORKERS_ENV = (
    "VANBAN_OCR_WORKERS"  # vanban.pipeline.ocr.WORKERS_ENV, without importing OCR here
)
_USER_OCR_WORKERS = os.environ.get(OCR_WORKERS_ENV)
_POLL = 0.2  # seconds between looks at the stop flag while waiting


@dataclass(frozen=True)
class Options:
    """What every worker needs to process a file (sent with each batch)."""

    successor_as_of: str | None = None
    # The per-file function, as `module:function`; tests put in one that crashes.
    processor: str = "vanban.pipeline.batch:process_file"
    # Pages OCR'd at once within one file (VANBAN_OCR_WORKERS); None: vanban.pipeline.ocr decides.
    ocr_threads: int | None = None
    limits: Limits = field(default_factory=Limits)
    redact: bool = False  # mask personal data in the records (`vanban.pipeline.redact`)
    # Where workers keep temporary files (under --out, removed after the run) and
    # note the file each is reading; None: the system's temporary folder, no notes.
    tmp_dir: str | None = None
    status_dir: str | None = None
    # The input folders' real paths: a file whose real path lies outside them
    # (a symbolic link to /etc/passwd) is not read. None: no such check.
    inside: tuple[str, ...] | None = None
    # The language of the error records' messages (`vi`, `en`; None: the locale's).
    lang: str | None = None


def outside(path: str | Path, folders: tuple[str, ...]) -> bool:
    """`path` resolves to somewhere outside every one of `folders` (real paths)."""
    real = os.path.realpath(path)
    return not any(real == f or real.startswith(f.rstrip(os.sep) + os.sep) for f in folders)


@dataclass
class FileResult:
    """One input file's outcome, ready to write: its records as JSON lines."""

    path: str
    size: int
    mtime_ns: int
    sha256: str | None
    document: str | None = None  # documents.jsonl line
    tasks: list[str] = field(default_factory=list)  # tasks.jsonl lines
    error: str | None = None  # errors.jsonl line
    error_code: str | None = None
    doc_id: str | None = None
    task_ids: list[str] = field(default_factory=list)
    pages: int = 0
    ocr_pages: int = 0
    needs_ocr: bool = False
    seconds: float = 0.0
    stamp: str = ""  # `stamp` of the file when it was read
    # The document's source rank (`vanban.pipeline.copies.source_rank`), so that
    # the main process need not parse the line to rank copies; None: not given.
    rank: int | None = None


@dataclass
class BatchOutput:
    results: list[FileResult]
    peak_rss_kb: int = 0  # the worker process's peak resident memory so far
    retried: int = 0  # files run again alone after their worker was lost


# --- the worker side ------------------------------------------------------------------


_PROCESSORS: dict[str, Callable[..., Document | ErrorRecord]] = {}


def _processor(name: str) -> Callable[..., Document | ErrorRecord]:
    fn = _PROCESSORS.get(name)
    if fn is None:
        module, _, attr = name.partition(":")
        fn = getattr(importlib.import_module(module), attr)
        _PROCESSORS[name] = fn
    return fn


def _call(path: Path, options: Options) -> Document | ErrorRecord:
    """The per-file function, within the per-file time and memory limits."""
    from vanban.schemas import ErrorRecord

    fn = _processor(options.processor)
    limits = options.limits
    if options.inside is not None and outside(path, options.inside):
        return _error_record(
            path,
            ErrorCode.LINK_OUTSIDE,
            "'{name}' is a symbolic link to '{target}', outside the "
            "folders given: not read. Copy the letter into the folder, or run again with "
            "--follow-links-outside if the link is meant.",
            name=path.name,
            target=os.path.realpath(path),
        )
    try:
        with guard(limits) as watched:
            rec = fn(
                path,
                successor_as_of=options.successor_as_of,
                limits=limits,
                redact=options.redact,
            )
    except LimitExceeded as exc:
        return _error_record(path, exc.code, exc)
    except MemoryError:
        return _error_record(path, ErrorCode.TOO_LARGE, memory_error(limits, path))
    if watched.timed_out and not (isinstance(rec, ErrorRecord) and rec.error == ErrorCode.TIMEOUT):
        # The alarm went off inside a library that turned it into its own error.
        return _error_record(path, ErrorCode.TIMEOUT, timeout_error(limits))
    return rec


def _error_record(
    path: Path | str, code: ErrorCode, message: str | VanbanError, **params: object
) -> ErrorRecord:
    from vanban.pipeline.batch import error_record

    return error_record(path, code, message, **params)


def stamp(st: os.stat_result) -> str:
    """What changes when a file is replaced even with its size and modification
    time kept (`cp -p`, `rsync -a`, `unzip`): its change time, device and inode."""
    return f"{st.st_ctime_ns}:{st.st_dev}:{st.st_ino}"


def _stat(path: str) -> tuple[int, int, str]:
    """(size, mtime_ns, stamp) of `path`; zeros when it cannot be read."""
    try:
        st = os.stat(path)
    except OSError:
        return 0, 0, ""
    return st.st_size, st.st_mtime_ns, stamp(st)


def run_file(path: str, options: Options) -> FileResult:
    """Process one file into a `FileResult`; never raises for a bad file."""
    size, mtime_ns, stamped = _stat(path)
    start = time.perf_counter()
    note_reading(options.status_dir, path)
    rec = _call(Path(path), options)
    note_reading(options.status_dir, None)
    res = result_of(path, rec, size, mtime_ns, stamped)
    res.seconds = time.perf_counter() - start
    return res


def result_of(
    path: str, rec: Document | ErrorRecord, size: int, mtime_ns: int, stamped: str = ""
) -> FileResult:
    from vanban.schemas import ErrorRecord

    if isinstance(rec, ErrorRecord):
        return FileResult(
            path=path,
            size=size,
            mtime_ns=mtime_ns,
            stamp=stamped,
            sha256=rec.source.sha256,
            error=rec.model_dump_json(),
            error_code=rec.error,
        )
    from vanban.pipeline.batch import task_rows
    from vanban.pipeline.copies import source_rank

    src = rec.source
    ocr_pages = 0
    if src.ocr:
        listed = [n for n in src.metadata.get("ocr_pages", "").split(",") if n.strip()]
        ocr_pages = len(listed) or (src.pages or 0)
    return FileResult(
        path=path,
        size=size,
        mtime_ns=mtime_ns,
        stamp=stamped,
        sha256=src.sha256,
        document=rec.model_dump_json(),
        tasks=[json.dumps(row, ensure_ascii=False) for row in task_rows(rec)],
        doc_id=rec.doc_id,
        task_ids=[t.task_id for t in rec.tasks],
        pages=src.pages or 0,
        ocr_pages=ocr_pages,
        needs_ocr=src.needs_ocr,
        rank=source_rank(src),
    )


def run_batch(paths: list[str], options: Options) -> BatchOutput:
    """A worker's task: every file of a batch, in order."""
    if _USER_OCR_WORKERS is None and options.ocr_threads is not None:
        os.environ[OCR_WORKERS_ENV] = str(options.ocr_threads)
    if options.tmp_dir and os.path.isdir(options.tmp_dir):
        # Temporary files of this process and of the programs it starts (OCR,
        # LibreOffice) stay under --out, and go with it even after a kill -9.
        os.environ["TMPDIR"] = options.tmp_dir
        tempfile.tempdir = options.tmp_dir
    if options.lang:
        set_language(options.lang)
    results = [run_file(p, options) for p in paths]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return BatchOutput(results, peak_rss_kb=int(peak))


def _error_result(
    path: str, code: ErrorCode, message: str | VanbanError, **params: object
) -> FileResult:
    return result_of(path, _error_record(path, code, message, **params), *_stat(path))


def died_result(path: str, exitcode: int | None, limits: Limits) -> FileResult:
    """The error record of a file whose worker died while reading it (`exitcode`)."""
    exc = death_error(exitcode, limits)
    return _error_result(path, exc.code, exc)


def crashed_result(path: str, why: str, *, lost: bool = True) -> FileResult:
    """The error record of a file whose worker died twice, the second time with it
    alone (`lost`); else of a file whose task failed twice some other way."""
    if lost:
        return _error_result(
            path,
            ErrorCode.WORKER_CRASHED,
            "The process reading this file died, twice: with its batch, then with this "
            "file alone ({why}). The file probably makes a PDF, image or OCR library "
            "crash, or needs more memory than the machine has: open it to check it, "
            "or obtain it again. The other files were read.",
            why=why,
        )
    return _error_result(
        path,
        ErrorCode.INTERNAL_ERROR,
        "vanban failed on this file ({why}). Please report it with the file.",
        why=why,
    )


# --- engines ----------------------------------------------------------------------------


class Engine(Protocol):
    """Where batches run: a local process pool or a Dask cluster."""

    name: str
    workers: int
    generation: int  # bumped whenever the workers are replaced after a crash

    def submit(self, paths: list[str], options: Options) -> Future[BatchOutput]: ...

    def lost(self, exc: BaseException, generation: int) -> str | None:
        """Why a batch failed when it was its worker dying (None for another failure);
        replaces the workers when needed."""
        ...

    def isolate(
        self, paths: list[str], options: Options, stop: Callable[[], bool]
    ) -> list[FileResult | BaseException]:
        """Run each file alone; per file its result or what went wrong."""
        ...

    def close(self) -> None: ...

    def abort(self) -> None:
        """Stop at once (Ctrl-C): running work is dropped, every process ended."""
        ...


def _init_worker(main_pid: int) -> None:
    # The forkserver pauses its collector while it imports (`server_first`) and
    # sets it going once it has made everything (`preload`); a worker collects
    # even if that import failed half-way.
    gc.enable()
    # Ctrl-C in a terminal reaches the whole process group: the main process
    # decides what to do; a worker must not die half-way through a file.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A worker never writes to the caller: holding its stdout or stderr open
    # would keep a supervisor that captures them (and so the main process, a
    # zombie it never reaps) waiting after a kill -9 of the main process.
    # Results and errors go back through the pool's queues.
    _detach_output()
    # A worker holds both ends of the pool's queues, so it would wait for
    # work forever once the main process is gone (kill -9): it ends itself.
    # Its parent is the pool's forkserver, which ends when the main process
    # does (its pipe from the main process closes): the kernel then kills the
    # worker. The check after setting the signal covers a parent gone before.
    parent = os.getppid()
    _die_with_parent()
    if not _lineage_holds(parent, main_pid):
        os._exit(1)
    threading.Thread(target=_exit_with, args=(parent, main_pid), daemon=True).start()


def _detach_output() -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    os.close(null)


_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """SIGKILL when the parent process ends (Linux; elsewhere the watch thread)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _parent_of(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def _lineage_holds(parent: int, main_pid: int) -> bool:
    """The worker's parent is still the one it was forked by, and that one is the
    main process or a child of it (the forkserver). A zombie's pid still answers
    `os.kill(pid, 0)`; an orphan is given another parent, so this tells."""
    if os.getppid() != parent:
        return False
    return parent == main_pid or _parent_of(parent) in (main_pid, None)


def _exit_with(parent: int, main_pid: int) -> None:
    while True:
        time.sleep(0.5)
        if not _lineage_holds(parent, main_pid):
            os._exit(1)


_context = pool_server.context
start_forkserver = pool_server.start


class LocalEngine:
    """A `ProcessPoolExecutor` of `workers` processes on this machine."""

    name = "local"

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.generation = 0
        self._ctx = _context()
        self._pool = self._new(workers)
        self._alone: ProcessPoolExecutor | None = None
        self._status_dir: str | None = None
        self._limits = Limits()
        # Files whose worker died reading them: path -> the worker's exit code.
        self.blamed: dict[str, int | None] = {}

    def _new(self, n: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=n, mp_context=self._ctx, initializer=_init_worker, initargs=(os.getpid(),)
        )

    def submit(self, paths: list[str], options: Options) -> Future[BatchOutput]:
        self._status_dir, self._limits = options.status_dir, options.limits
        try:
            return self._pool.submit(run_batch, paths, options)
        except BrokenProcessPool:
            self._replace()
            return self._pool.submit(run_batch, paths, options)

    def _replace(self) -> None:
        self._blame(self._pool)
        _shutdown(self._pool)
        self._pool = self._new(self.workers)
        self.generation += 1

    def lost(self, exc: BaseException, generation: int) -> str | None:
        if not isinstance(exc, BrokenProcessPool):
            return None
        if generation == self.generation:  # the pool still in use is the broken one
            self._replace()
        return "a worker process ended abruptly"

    def isolate(
        self, paths: list[str], options: Options, stop: Callable[[], bool]
    ) -> list[FileResult | BaseException]:
        # One file at a time, in a pool of its own: when it breaks, the file
        # running in it is the one that broke it.
        out: list[FileResult | BaseException] = []
        for path in paths:
            if stop():
                raise InterruptedError
            if path in self.blamed:  # its worker died reading it: not run again
                out.append(died_result(path, self.blamed.pop(path), options.limits))
                continue
            if self._alone is None:
                self._alone = self._new(1)
            fut = self._alone.submit(run_batch, [path], options)
            while not fut.done():
                if stop():
                    raise InterruptedError
                wait([fut], timeout=_POLL)
            try:
                out.append(fut.result().results[0])
            except BrokenProcessPool:
                codes = [_exitcode(p) for p in _processes(self._alone)]
                _shutdown(self._alone)
                self._alone = None
                out.append(died_result(path, next((c for c in codes if c), None), options.limits))
            except Exception as exc:
                out.append(exc)
        return out

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        if self._alone is not None:
            self._alone.shutdown(wait=True)

    def abort(self) -> None:
        _shutdown(self._pool)
        if self._alone is not None:
            _shutdown(self._alone)

    def _blame(self, pool: ProcessPoolExecutor) -> None:
        """Note the files that the dead workers of a broken pool were reading.

        The pool terminates its other workers (SIGTERM) once one has died:
        those died of the breakage, not of their file.
        """
        for p in _processes(pool):
            if p.is_alive() or p.exitcode in (None, 0, -signal.SIGTERM):
                continue
            path = reading_of(self._status_dir, p.pid)
            if path:
                self.blamed[path] = p.exitcode


def _processes(pool: ProcessPoolExecutor) -> list[Any]:
    # The pool's worker processes (a private attribute, stable since Python 3.2).
    return list((getattr(pool, "_processes", None) or {}).values())


def _exitcode(process: Any) -> int | None:
    process.join(timeout=2)
    return process.exitcode


def _shutdown(pool: ProcessPoolExecutor) -> None:
    """End a pool now: queued work is cancelled, running workers are killed."""
    processes = _processes(pool)
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        if p.is_alive():
            p.kill()
    for p in processes:
        p.join(timeout=5)


# --- the main side ------------------------------------------------------------------------


def batches_of(
    files: Iterable[tuple[str, int]],
    max_files: int,
    max_bytes: int,
    *,
    total: int = 0,
    workers: int = 1,
) -> Iterator[list[str]]:
    """Consecutive batches of at most `max_files` files and about `max_bytes` bytes
    (a batch of big scans is small), each file in exactly one batch.

    Given the `total` number of files, batches shrink toward the end, to at most
    the files left over twice the `workers`: the last batches are of a file or
    two, so no worker idles long while another finishes a big one."""
    batch: list[str] = []
    size = 0
    limit = _batch_limit(max_files, total, workers)
    for path, n in files:
        if batch and (len(batch) >= limit or size + n > max_bytes):
            yield batch
            total -= len(batch)
            batch, size = [], 0
            limit = _batch_limit(max_files, total, workers)
        batch.append(path)
        size += n
    if batch:
        yield batch


def _batch_limit(max_files: int, left: int, workers: int) -> int:
    """The size of the next batch: at most the files left over twice the workers, so that
    the last batches shrink to single files and no worker waits idle for another's batch."""
    if left <= 0:  # no total given, or more files than it said
        return max_files
    return max(1, min(max_files, -(-left // (2 * workers))))


def _room(batches: int, files: int, ahead: int, ahead_files: int) -> bool:
    # Batches of big scans are small too; but the results of each wait here for
    # the batches before it, and all are run again file by file when a worker
    # dies: at most three times as many.
    return batches < ahead or (files < ahead_files and batches < 3 * ahead)


def run_ordered(
    engine: Engine,
    batches: Iterator[list[str]],
    options: Options,
    *,
    ahead: int,
    ahead_files: int = 0,
    stop: Callable[[], bool],
) -> Iterator[BatchOutput]:
    """Run `batches` on `engine`, at most `ahead` at once — or up to three times
    as many while they hold fewer than `ahead_files` files together (the small
    last batches of `batches_of`: a worker that ran through them is not left
    waiting while the first is still running); results in batch order.

    A batch that fails is run again file by file (see the module doc). When
    `stop()` turns true the generator ends; the batches still running are
    dropped (the caller aborts the engine).
    """
    pending: deque[tuple[list[str], Future[BatchOutput], int]] = deque()
    files = 0  # in the pending batches
    more = True
    while True:
        while more and _room(len(pending), files, ahead, ahead_files) and not stop():
            batch = next(batches, None)
            if batch is None:
                more = False
                break
            pending.append((batch, engine.submit(batch, options), engine.generation))
            files += len(batch)
        if not pending or stop():
            return
        paths, fut, generation = pending[0]
        if not fut.done():
            wait([fut], timeout=_POLL)
            continue
        pending.popleft()
        files -= len(paths)
        try:
            yield fut.result()
            continue
        except Exception as exc:
            engine.lost(exc, generation)  # replaces the workers when they are broken
        try:
            alone = engine.isolate(paths, options, stop)
        except InterruptedError:
            return
        results: list[FileResult] = []
        for path, r in zip(paths, alone, strict=True):
            if isinstance(r, FileResult):
                results.append(r)
                continue
            lost = engine.lost(r, -1)
            results.append(
                crashed_result(path, lost or f"{type(r).__name__}: {r}", lost=lost is not None)
            )
        yield BatchOutput(results, retried=len(paths))
