"""Tesseract itself: one call, `tesseract_tsv(image, psm=, dpi=)`, and whether it can run.

Three ways to call it, the first that works here:

- in this process, through the C API of the system's `libtesseract` (the
  library the `tesseract` binary runs on, so the same text as the binary
  gives), by ctypes;
- in this process, through tesserocr's `PyTessBaseAPI`, where no system
  library is found: its wheel bundles its own libtesseract (5.5, whose text
  differs from 5.3's in a few words a page) and reads the system's language
  data (`tesseract-ocr-vie`, under `/usr/share/tesseract-ocr/*/tessdata` or
  `$TESSDATA_PREFIX`);
- the `tesseract` binary, one process per call, the model loaded each time:
  when neither loads (a warning says so, once), or when `VANBAN_TESSERACT`
  names a binary (the user chose one).

In this process the Vietnamese model is loaded once per API object, and the
objects are kept for the process's life, one per thread reading at a time (a
pool, so that the threads of the next file find them loaded). Both libraries
release the GIL while Tesseract works, so pages still read in parallel
threads. Every way gives Tesseract's `tsv` output (header line first) with
the same page segmentation mode, resolution and `OMP_THREAD_LIMIT=1`
(OpenMP threads only fight each other when pages run in parallel).
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import glob
import io
import os
import shutil
import signal
import subprocess
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from queue import Empty, SimpleQueue
from typing import Any, Protocol

from PIL import Image

from vanban.schemas import ErrorCode, LoadError

TESSERACT_ENV = "VANBAN_TESSERACT"
INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-vie"
LANG = "vie"
PAGE_TIMEOUT = 300  # seconds for one Tesseract run
TSV_HEADER = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\t"
    "left\ttop\twidth\theight\tconf\ttext\n"
)
# Where Debian, Fedora and a source build put the language data.
_TESSDATA_GLOBS = (
    "/usr/share/tesseract-ocr/*/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
)


def tesseract_tsv(image: Image.Image, *, psm: int, dpi: int) -> str:
    """One Tesseract reading of a grey image: its `tsv` output."""
    if _in_process() is not None:
        return _api_tsv(image, psm=psm, dpi=dpi)
    binary = tesseract_binary()
    if binary is None:
        raise LoadError("Tesseract OCR is not installed.", code=ErrorCode.OCR_UNAVAILABLE)
    return _cli_tsv(binary, image, psm=psm, dpi=dpi)


def engine() -> str:
    """What reads the scans here: `libtesseract 5.3.0`, `tesserocr 5.5.4` or
    `tesseract /usr/bin/tesseract` (the binary)."""
    make = _in_process()
    if make is None:
        return f"tesseract {tesseract_binary()}"
    with _api() as api:
        return api.version


# --- is it there? ----------------------------------------------------------------------


def tesseract_binary() -> str | None:
    """The Tesseract executable: `$VANBAN_TESSERACT`, else `tesseract` on PATH."""
    name = os.environ.get(TESSERACT_ENV) or "tesseract"
    return shutil.which(name)


def tesseract_problem() -> str | None:
    """Why OCR cannot run here (a message with the fix), or None when it can."""
    problem = tesseract_error()
    return problem.message if problem else None


def tesseract_error() -> LoadError | None:
    """Why OCR cannot run here, as the error to raise, or None when it can."""
    if _in_process() is not None:
        return None
    binary = tesseract_binary()
    if binary is None:
        return LoadError(
            "Tesseract OCR is not installed, so the scanned pages were not read. "
            "Install it ({hint}) and load the file again.",
            code=ErrorCode.OCR_UNAVAILABLE,
            hint=INSTALL_HINT,
        )
    if LANG not in _languages(binary):
        return LoadError(
            "Tesseract has no Vietnamese language data, so the scanned pages were not "
            "read. Install it ({hint}) and load the file again.",
            code=ErrorCode.OCR_UNAVAILABLE,
            hint=INSTALL_HINT,
        )
    return None


def _in_process() -> Callable[[], _Api] | None:
    """How to make an API object in this process, or None when the binary is
    to be used (`VANBAN_TESSERACT` given, or no library loads here)."""
    if os.environ.get(TESSERACT_ENV):
        return None
    return _api_maker(os.environ.get("TESSDATA_PREFIX", ""))


def _api_maker(prefix: str) -> Callable[[], _Api] | None:
    """`_first_maker` under the lock that makes APIs: two threads starting at once
    do not both load a model to find out."""
    with _INIT_LOCK:
        return _first_maker(prefix)


@lru_cache(maxsize=4)
def _first_maker(prefix: str) -> Callable[[], _Api] | None:
    """The first library that loads the Vietnamese model; the API made to
    find out is kept for the first reading."""
    why = []
    for make in (_LibTesseract.make, _Tesserocr.make):
        try:
            _IDLE.put(make())
        except _Unavailable as exc:
            why.append(str(exc))
            continue
        return make
    warnings.warn(
        f"Tesseract cannot run in this process ({'; '.join(why)}): scans are read by "
        "the tesseract binary, one process per reading, slower (pip install tesserocr).",
        RuntimeWarning,
        stacklevel=4,
    )
    return None


def tessdata() -> str | None:
    """The system's Vietnamese language data folder (`$TESSDATA_PREFIX` first)."""
    prefix = os.environ.get("TESSDATA_PREFIX", "")
    candidates = [Path(prefix)] if prefix else []
    candidates += [Path(p) for g in _TESSDATA_GLOBS for p in sorted(glob.glob(g), reverse=True)]
    for folder in candidates:
        if (folder / f"{LANG}.traineddata").is_file():
            return str(folder)
    return None


@lru_cache(maxsize=4)
def _languages(binary: str) -> frozenset[str]:
    try:
        proc = subprocess.run(
            [binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in proc.stdout.splitlines()[1:])


def ocr_failed(why: str) -> LoadError:
    return LoadError(
        "OCR of the scanned pages failed ({why}). Check that Tesseract works "
        "(`tesseract --version`, {hint}) and try again.",
        code=ErrorCode.OCR_FAILED,
        why=why,
        hint=INSTALL_HINT,
    )


# --- in this process ---------------------------------------------------------------------


class _Unavailable(Exception):
    """This library cannot read Vietnamese here (the message says why)."""


class _Api(Protocol):
    version: str

    def close(self) -> None:
        """Free the model (at exit: libtesseract reports what is left as leaks)."""

    def tsv(self, gray: Image.Image, psm: int, dpi: int) -> str | None:
        """Tesseract's `tsv` rows (no header) of a grey image; None when it
        gave up (past the deadline)."""


# Idle API objects, each with the model loaded; a thread takes one for a
# reading and puts it back. Never more objects than threads reading at once.
_IDLE: SimpleQueue[_Api] = SimpleQueue()
_INIT_LOCK = threading.Lock()


@atexit.register
def _close_idle() -> None:
    while True:
        try:
            _IDLE.get_nowait().close()
        except Empty:
            return


@contextmanager
def _api() -> Iterator[_Api]:
    try:
        api = _IDLE.get_nowait()
    except Empty:
        api = _new_api()
    try:
        yield api
    finally:
        _IDLE.put(api)


def _new_api() -> _Api:
    make = _in_process()
    if make is None:  # pragma: no cover - callers asked first
        raise ocr_failed("Tesseract cannot run in this process")
    with _INIT_LOCK:
        try:
            return make()
        except _Unavailable as exc:
            raise ocr_failed(str(exc)) from exc


def _api_tsv(image: Image.Image, *, psm: int, dpi: int) -> str:
    gray = image if image.mode == "L" else image.convert("L")
    with _api() as api:
        tsv = api.tsv(gray, psm, dpi)
    if tsv is None:
        raise ocr_failed(f"Tesseract took more than {PAGE_TIMEOUT} s on a page")
    return TSV_HEADER + tsv


def _deadline_ms() -> int:
    """When a reading gives up: at the page limit, or just after the file's own
    time limit (the alarm of `vanban.pipeline.limits.guard`), which cannot
    interrupt Tesseract in C code but is heard as soon as it returns."""
    left = signal.getitimer(signal.ITIMER_REAL)[0]
    seconds = min(PAGE_TIMEOUT, left + 1.0) if left > 0 else PAGE_TIMEOUT
    return max(1, round(seconds * 1000))


# Set on every API: `--dpi` of the binary; Tesseract's notes (`Detected 12
# diacritics`) kept off the user's terminal, as the binary's stderr is.
def _variables(dpi: int) -> dict[str, str]:
    return {"user_defined_dpi": str(dpi), "debug_file": os.devnull}


def _one_openmp_thread() -> None:
    """OpenMP reads its limit once, when the library loads: set it before."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")


class _LibTesseract:
    """The system's libtesseract through its C API (`capi.h`), by ctypes."""

    _lib: Any = None

    def __init__(self, handle: int) -> None:
        self._handle = handle
        self.version = f"libtesseract {self._lib.TessVersion().decode()}"

    @classmethod
    def make(cls) -> _LibTesseract:
        lib = cls._load()
        handle = lib.TessBaseAPICreate()
        datapath = tessdata()
        if lib.TessBaseAPIInit3(handle, datapath and datapath.encode(), LANG.encode()) != 0:
            lib.TessBaseAPIDelete(handle)
            raise _Unavailable("libtesseract has no Vietnamese language data")
        return cls(handle)

    @classmethod
    def _load(cls) -> Any:
        if cls._lib is None:
            _one_openmp_thread()
            names = ["libtesseract.so.5", ctypes.util.find_library("tesseract")]
            for name in filter(None, names):
                try:
                    cls._lib = _declare(ctypes.CDLL(name))
                    break
                except (OSError, AttributeError):
                    continue
            else:
                raise _Unavailable("no libtesseract 5 found")
        return cls._lib

    def close(self) -> None:
        self._lib.TessBaseAPIDelete(self._handle)

    def tsv(self, gray: Image.Image, psm: int, dpi: int) -> str | None:
        lib, h = self._lib, self._handle
        lib.TessBaseAPISetPageSegMode(h, psm)
        for name, value in _variables(dpi).items():
            lib.TessBaseAPISetVariable(h, name.encode(), value.encode())
        lib.TessBaseAPISetImage(h, gray.tobytes(), gray.width, gray.height, 1, gray.width)
        monitor = lib.TessMonitorCreate()
        text = None
        try:
            lib.TessMonitorSetDeadlineMSecs(monitor, _deadline_ms())
            if lib.TessBaseAPIRecognize(h, monitor) != 0:
                return None  # gave up at the deadline: the page is cleared below all the same
            text = lib.TessBaseAPIGetTsvText(h, 0)
            return ctypes.string_at(text).decode("utf-8", "replace") if text else None
        finally:
            # Freed whatever ends the reading (an alarm of the time limit included).
            lib.TessMonitorDelete(monitor)
            if text:
                lib.TessDeleteText(text)
            lib.TessBaseAPIClear(h)


def _declare(lib: ctypes.CDLL) -> ctypes.CDLL:
    """The C API's signatures (pointers must not be cut to C ints)."""
    p, i, s = ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p
    signatures: dict[str, tuple[Any, list[Any]]] = {
        "TessVersion": (s, []),
        "TessBaseAPICreate": (p, []),
        "TessBaseAPIDelete": (None, [p]),
        "TessBaseAPIInit3": (i, [p, s, s]),
        "TessBaseAPISetPageSegMode": (None, [p, i]),
        "TessBaseAPISetVariable": (i, [p, s, s]),
        "TessBaseAPISetImage": (None, [p, s, i, i, i, i]),
        "TessBaseAPIRecognize": (i, [p, p]),
        "TessBaseAPIGetTsvText": (p, [p, i]),
        "TessBaseAPIClear": (None, [p]),
        "TessDeleteText": (None, [p]),
        "TessMonitorCreate": (p, []),
        "TessMonitorDelete": (None, [p]),
        "TessMonitorSetDeadlineMSecs": (None, [p, i]),
    }
    for name, (restype, argtypes) in signatures.items():
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = restype, argtypes
    return lib


class _Tesserocr:
    """tesserocr's `PyTessBaseAPI` (its own bundled libtesseract)."""

    def __init__(self, api: Any, version: str) -> None:
        self._api = api
        self.version = f"tesserocr {version}"

    @classmethod
    def make(cls) -> _Tesserocr:
        _one_openmp_thread()
        try:
            import tesserocr
        except ImportError as exc:
            raise _Unavailable(f"tesserocr cannot be imported: {exc}") from exc
        datapath = tessdata()
        if datapath is None:
            raise _Unavailable("no Vietnamese language data found for tesserocr")
        try:
            api = tesserocr.PyTessBaseAPI(path=datapath, lang=LANG)
        except RuntimeError as exc:
            raise _Unavailable(f"tesserocr cannot load the Vietnamese data: {exc}") from exc
        return cls(api, tesserocr.tesseract_version().split()[1])

    def close(self) -> None:
        self._api.End()

    def tsv(self, gray: Image.Image, psm: int, dpi: int) -> str | None:
        api = self._api
        api.SetPageSegMode(psm)
        for name, value in _variables(dpi).items():
            api.SetVariable(name, value)
        api.SetImageBytes(gray.tobytes(), gray.width, gray.height, 1, gray.width)
        try:
            done = api.Recognize(_deadline_ms())
            return api.GetTSVText(0) if done else None
        finally:
            api.Clear()


# --- in a process: the binary ------------------------------------------------------------


def _cli_tsv(binary: str, image: Image.Image, *, psm: int, dpi: int) -> str:
    buf = io.BytesIO()
    image.save(buf, "PNG", compress_level=1)  # fast; the pipe is local
    cmd = [binary, "stdin", "stdout", "-l", LANG, "--psm", str(psm), "--dpi", str(dpi), "tsv"]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        proc = subprocess.run(
            cmd,
            input=buf.getvalue(),
            capture_output=True,
            env=env,
            timeout=PAGE_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ocr_failed(f"Tesseract took more than {PAGE_TIMEOUT} s on a page") from exc
    except OSError as exc:
        raise ocr_failed(f"Tesseract could not be started: {exc.strerror or exc}") from exc
    if proc.returncode != 0:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = lines[-1] if lines else f"exit status {proc.returncode}"
        raise ocr_failed(f"Tesseract stopped: {detail}")
    return proc.stdout.decode("utf-8", "replace")
