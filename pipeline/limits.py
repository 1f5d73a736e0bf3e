"""Per-file limits on size, pages, time and memory, so that no file hangs a batch.

Size and pages are checked before the work (`check_size`, and `load_pdf`
counts pages before reading them). Time and memory are watched while a worker
reads a file (`guard`):

- time: at `timeout` seconds an alarm interrupts the Python code reading the
  file (`LimitExceeded`, code `timeout`); a library stuck in C code does not
  see the alarm, so a watchdog thread ends the whole worker process at the
  hard limit with `EXIT_TIMEOUT`, after killing its child processes (OCR
  when it runs the binary, LibreOffice); OCR in the worker gives up a reading
  just after the alarm (`vanban.pipeline.ocr_engine`);
- memory: the worker's data segment may grow by `max_memory_mb` while it reads
  one file (RLIMIT_DATA, Tesseract's own in the worker included, inherited
  by the OCR and LibreOffice processes it starts); past it an allocation
  fails (`MemoryError` in Python, a crash in a C library).

The worker notes the file it is reading (`note_reading`), so that when it
dies the main process knows which file killed it and why (`death_record`).
"""

from __future__ import annotations

import contextlib
import math
import os
import resource
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from vanban.schemas import ErrorCode, LimitExceeded, VanbanError

EXIT_TIMEOUT = 124  # as coreutils' timeout(1)
_WATCH_EVERY = 0.25  # seconds


@dataclass(frozen=True)
class Limits:
    """How much one file may take. `None` (or 0) switches a limit off."""

    timeout: float | None = 600.0  # seconds to read one file, OCR included
    max_memory_mb: int | None = 2048  # memory a worker may add while reading one file
    max_size_mb: float | None = 100.0  # a letter is rarely above a few MB, even scanned
    max_pages: int | None = 1000  # pages of a PDF

    def hard_timeout(self) -> float | None:
        """When the watchdog ends the worker: the alarm had its chance."""
        return self.timeout * 1.25 + 2.0 if self.timeout else None


# The least `max_memory_mb` a worker can read anything in: the watchdog's
# thread alone maps an 8 MB stack, counted in the data segment.
MIN_MEMORY_MB = 16

NO_LIMITS = Limits(timeout=None, max_memory_mb=None, max_size_mb=None, max_pages=None)


def _mb(n: float) -> str:
    return f"{n:,.0f} MB" if n >= 10 else f"{n:.1f} MB"


def check_size(size: int, limits: Limits) -> None:
    if limits.max_size_mb and size > limits.max_size_mb * 1e6:
        raise LimitExceeded(
            "The file is {size}, above the limit of {limit} per "
            "file (--max-size-mb). A letter is rarely that big: check that this is a letter "
            "(not an archive, a video or a whole register); if it is, raise --max-size-mb.",
            code=ErrorCode.TOO_LARGE,
            size=_mb(size / 1e6),
            limit=_mb(limits.max_size_mb),
        )


def check_pages(pages: int, limits: Limits, what: str | VanbanError = "PDF") -> None:
    """`what` names the kind of file: `PDF`, `TIFF image` (an error, to be translated)."""
    if limits.max_pages and pages > limits.max_pages:
        raise LimitExceeded(
            "The {what} has {pages:,} pages, above the limit of {limit:,} pages per "
            "file (--max-pages, which counts the pages of PDFs and images). It is probably "
            "a bound collection, not one letter: split it into its letters, or raise --max-pages.",
            code=ErrorCode.TOO_LARGE,
            what=what,
            pages=pages,
            limit=limits.max_pages,
        )


def timeout_error(limits: Limits) -> LimitExceeded:
    return LimitExceeded(
        "Reading this file took longer than the limit of {limit:g} s per file "
        "(--timeout) and was stopped. A very long scan can need more: raise --timeout; "
        "otherwise the file is probably damaged: open it to check it, or obtain it again.",
        code=ErrorCode.TIMEOUT,
        limit=limits.timeout or 0,
    )


# Memory a text file takes while it is read, per byte of the file (measured:
# 40–55; the text, its normalised copy, the offset maps and the tree).
TEXT_MEMORY_FACTOR = 60
TEXT_SUFFIXES = frozenset({".txt", ".md", ".text"})


def check_text_memory(size: int, suffix: str, limits: Limits) -> None:
    """A text file too big to read within --max-memory-mb, said before it is read."""
    need_mb = size * TEXT_MEMORY_FACTOR / (1 << 20)
    if suffix.lower() in TEXT_SUFFIXES and limits.max_memory_mb and need_mb > limits.max_memory_mb:
        raise LimitExceeded(
            "The text file is {size}; reading text takes about "
            "{factor} times its size in memory, more than the "
            "{limit:,} MB allowed per file (--max-memory-mb). Split it into "
            "its letters, or raise --max-memory-mb to {need}.",
            code=ErrorCode.TOO_LARGE,
            size=_mb(size / 1e6),
            factor=TEXT_MEMORY_FACTOR,
            limit=limits.max_memory_mb,
            need=math.ceil(need_mb / 256) * 256,
        )


def memory_error(limits: Limits, path: str | Path | None = None) -> LimitExceeded:
    if path is not None and Path(path).suffix.lower() in TEXT_SUFFIXES:
        why = VanbanError(
            "Text takes about {factor} times its size in memory: split the file "
            "into its letters, or raise --max-memory-mb.",
            factor=TEXT_MEMORY_FACTOR,
        )
    else:
        why = VanbanError(
            "It may be a compressed bomb or a damaged file; if it is a genuine letter "
            "(a huge scan), raise --max-memory-mb."
        )
    return LimitExceeded(
        "Reading this file needed more than the {limit:,} MB of memory allowed "
        "per file (--max-memory-mb) and was stopped. {why}",
        code=ErrorCode.TOO_LARGE,
        limit=limits.max_memory_mb or 0,
        why=why,
    )


# --- the worker side --------------------------------------------------------------------


class _Watch:
    """The file a worker is reading and when it must be done (one per process)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.deadline: float | None = None
        self.thread: threading.Thread | None = None

    def start(self, hard: float | None) -> None:
        with self.lock:
            self.deadline = time.monotonic() + hard if hard else None
            if self.deadline is not None and self.thread is None:
                self.thread = threading.Thread(
                    target=self._run, name="vanban-watchdog", daemon=True
                )
                self.thread.start()

    def stop(self) -> None:
        with self.lock:
            self.deadline = None

    def _run(self) -> None:
        while True:
            time.sleep(_WATCH_EVERY)
            with self.lock:
                late = self.deadline is not None and time.monotonic() > self.deadline
            if late:
                kill_children()
                os._exit(EXIT_TIMEOUT)


_WATCH = _Watch()


class _Alarm(BaseException):
    """Not an `Exception`: the `except Exception` of a loader must not swallow it."""


_FIRED = [False]


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    _FIRED[0] = True
    raise _Alarm


def _data_size() -> int | None:
    """This process's data segment in bytes (what RLIMIT_DATA limits)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


@dataclass
class Guarded:
    timed_out: bool = False


@contextlib.contextmanager
def guard(limits: Limits) -> Iterator[Guarded]:
    """Watch time and memory while one file is read in this (worker) process.

    Raises `LimitExceeded` (`timeout`) from the alarm; `timed_out` tells the
    caller that the alarm fired even if something swallowed it.
    """
    state = Guarded()
    use_alarm = bool(limits.timeout) and threading.current_thread() is threading.main_thread()
    saved_handler = None
    saved_rlimit = None
    if limits.max_memory_mb:
        used = _data_size()
        if used is not None:
            soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
            want = used + limits.max_memory_mb * (1 << 20)
            if hard != resource.RLIM_INFINITY:
                want = min(want, hard)
            with contextlib.suppress(ValueError, OSError):
                resource.setrlimit(resource.RLIMIT_DATA, (want, hard))
                saved_rlimit = (soft, hard)
    _FIRED[0] = False
    _WATCH.start(limits.hard_timeout())
    try:
        if use_alarm and limits.timeout:
            saved_handler = signal.signal(signal.SIGALRM, _on_alarm)
            signal.setitimer(signal.ITIMER_REAL, limits.timeout)
        try:
            yield state
        except _Alarm:
            state.timed_out = True
            raise timeout_error(limits) from None
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            if saved_handler is not None:
                signal.signal(signal.SIGALRM, saved_handler)
            state.timed_out = state.timed_out or _FIRED[0]
        _WATCH.stop()
        if saved_rlimit is not None:
            with contextlib.suppress(ValueError, OSError):
                resource.setrlimit(resource.RLIMIT_DATA, saved_rlimit)


def kill_children() -> None:
    """Kill this process's children (Tesseract, LibreOffice) and their process groups."""
    me = os.getpid()
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else []:
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if ppid != me:
            continue
        pid = int(entry.name)
        with contextlib.suppress(OSError):
            if os.getpgid(pid) == pid:  # its own group: LibreOffice's helpers too
                os.killpg(pid, signal.SIGKILL)
            else:
                os.kill(pid, signal.SIGKILL)


_NOTES: dict[str, int] = {}  # folder -> this worker's open note file


def note_reading(folder: str | None, path: str | None) -> None:
    """Write which file this worker is reading (None: none), for `reading_of`.
    The note stays open: rewriting it costs microseconds, not a file creation."""
    if not folder:
        return
    with contextlib.suppress(OSError):
        fd = _NOTES.get(folder)
        if fd is None:
            name = os.path.join(folder, str(os.getpid()))
            fd = _NOTES[folder] = os.open(name, os.O_WRONLY | os.O_CREAT, 0o600)
        data = os.fsencode(path) if path else b""
        os.pwrite(fd, data, 0)
        os.ftruncate(fd, len(data))


def reading_of(folder: str | None, pid: int | None) -> str | None:
    """The file a (dead) worker was reading, from `note_reading`."""
    if not folder or pid is None:
        return None
    try:
        with open(os.path.join(folder, str(pid)), "rb") as f:
            return os.fsdecode(f.read()) or None
    except OSError:
        return None


# --- the main side: why a worker died ------------------------------------------------------


def death_record(exitcode: int | None, limits: Limits) -> tuple[ErrorCode, str]:
    """(error code, English message) for a file whose worker died with `exitcode`."""
    exc = death_error(exitcode, limits)
    return exc.code, exc.message


def death_error(exitcode: int | None, limits: Limits) -> VanbanError:
    """The error of a file whose worker died with `exitcode` while reading it."""
    if exitcode == EXIT_TIMEOUT and limits.timeout:
        return timeout_error(limits)
    memory = (
        VanbanError(
            " It may also have needed more than the {mb:,} MB of memory allowed "
            "per file (--max-memory-mb).",
            mb=limits.max_memory_mb,
        )
        if limits.max_memory_mb
        else ""
    )
    if exitcode is not None and exitcode < 0:
        sig = -exitcode
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = f"signal {sig}"
        if sig == signal.SIGKILL:
            return VanbanError(
                "The process reading this file was killed (SIGKILL) while reading it: by the "
                "system when memory ran out, or by someone. The other files were read. Run the "
                "same command again to retry this one; if it is killed again, it needs more "
                "memory than the machine has.",
                code=ErrorCode.WORKER_CRASHED,
            )
        return VanbanError(
            "The process reading this file crashed ({name}): a PDF, image or OCR library "
            "cannot handle it.{memory} Open the file to check it, or obtain it again; the "
            "other files were read.",
            code=ErrorCode.WORKER_CRASHED,
            name=name,
            memory=memory,
        )
    return VanbanError(
        "The process reading this file ended abruptly (exit status {status}).{memory} "
        "Open the file to check it, or obtain it again; the other files were read.",
        code=ErrorCode.WORKER_CRASHED,
        status=exitcode,
        memory=memory,
    )
