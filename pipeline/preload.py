"""Imported by the pool's forkserver after the pipeline: what every letter needs
on first use is made there once, before any worker is forked.

The agency registry (read and indexed, ~50 ms) and the version the records
name as their `producer` were made by each worker for its first letter; a
worker forked from the server has them, and starts with nothing to do but
read its letters (`ctypes`, which `runner._init_worker` uses, is imported here
too). So are the tables of the toneless repairs every letter's normalisation
runs (`ocr_correct.make_tables`, ~60 ms) and the deadline grammars (compiled on
first use, ~70 ms when not read from `pattern_cache`, which keeps them too:
a worker's first letter compiled ~50 patterns, ~0.1 s).

The server ends at once when the main process has ended (`_end_at_once`).
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes  # noqa: F401
import gc
import logging
import os
import sys

from vanban.extractors import deadlines
from vanban.extractors.agencies import AgencyRegistry
from vanban.pipeline import legacy_encoding, ocr_correct, pattern_cache
from vanban.schemas import producer


def _end_at_once() -> None:
    """The server's exit, without the interpreter's tear-down of the pipeline's
    modules (~50 ms of CPU): the server holds the command's stdout and stderr,
    so a caller that reads them (a pipe, `subprocess.run(capture_output=True)`)
    would wait that long after the command ended. The server has nothing to
    save or remove (no finaliser, no child of its own: its workers end by
    `os._exit` too; the main process removes its socket's folder); logging
    and the streams are flushed."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(0)


def _imported_by_the_server() -> bool:
    """This module is imported by multiprocessing's forkserver (its `main`), not
    by a process that only imports it (whose exit it must not cut short)."""
    from multiprocessing import forkserver

    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code is forkserver.main.__code__:
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False


if _imported_by_the_server():
    # Registered last, run first (atexit's order): multiprocessing's exit call, which
    # it skips, would find no finaliser and no child process in the server.
    atexit.register(_end_at_once)

try:
    AgencyRegistry.default()
    producer()
    ocr_correct.make_tables()
    legacy_encoding.syllable_piece("a")  # its pattern
    for alts in {a for a, _ in deadlines._OPENING.values()} | {deadlines._DIGIT_ALTS}:
        deadlines._core(alts)  # every grammar a time's opening word leads to
except Exception:  # a server that failed here would start no worker: each worker
    pass  # meets the error again with its first letter, and records it
# The patterns it compiled, for the next run's server; a worker compiles as `re` does.
pattern_cache.save_and_remove()

# A worker's young objects are collected after this many allocations, not 700 (issue 16).
YOUNG_COLLECTED_AFTER = 7000


def _settle() -> None:
    """What the server made (the pipeline's modules, their patterns, the registry: ~42,000
    objects the collector tracks) lives as long as every worker: frozen (`gc.freeze`), a
    worker's full collections no longer walk it, nor write into the pages it shares with
    the server. A letter makes and drops objects by the hundred thousand, few of them in
    cycles: its young generation is collected ten times less often. Over the 63 dev text
    letters in one process, three steady passes: the collector's time 150 -> 30 ms a pass
    (of ~2.2 s), peak RSS 64 -> 65 MB. Records are the same: the collector only frees
    objects no one can reach. The collector was paused while the server imported
    (`server_first`): it is set going again here, the import's few cycles (~1,500
    objects) frozen with the rest rather than looked for by a full pass (~16 ms)."""
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTED_AFTER, *gc.get_threshold()[1:])
    gc.enable()


if _imported_by_the_server():
    _settle()  # last: what the server made is all there
