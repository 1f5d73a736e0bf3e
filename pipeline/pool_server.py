"""The local pool's forkserver: what it imports, where its socket goes, and its
start before the command's options are parsed.

Workers are forked from a server that imported the pipeline once (no import
per worker, and no fork of a main process that runs threads: the progress bar,
Dask). This module imports only the standard library, so that the `vanban`
command can start the server before it imports typer and rich and parses its
options (that parse imports pydantic): the server's import of the pipeline,
most of a run's fixed cost, then overlaps them (`start_early`).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import tempfile
from pathlib import Path

# Not `typing`'s: this module is imported before the server starts (issue 16).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from multiprocessing.context import ForkServerContext

# What the server imports before it forks a worker.
PRELOAD = [
    "vanban.pipeline.server_first",
    "vanban.pipeline.batch",
    "vanban.pipeline.extract",
    "vanban.pipeline.runner",
    "vanban.pipeline.preload",
]
# A socket's path has at most 107 bytes; the forkserver's is `DIR/listener-xxxxxxxx`,
# in multiprocessing's own `TMPDIR/pymp-xxxxxxxx` when it makes one.
SOCKET_DIR_MAX = 107 - len("/listener-xxxxxxxx")
SOCKET_TMPDIR_MAX = SOCKET_DIR_MAX - len("/pymp-xxxxxxxx")


def context() -> ForkServerContext:
    import multiprocessing as mp

    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def start() -> None:
    """Start the server now: its import of the pipeline then goes on while this
    process does the rest of its setup, and the pool forks its first worker
    from it at once."""
    from multiprocessing import forkserver

    context()  # what it imports
    forkserver.ensure_running()


def socket_folder(own: Path | None) -> None:
    """Where the server puts its socket (multiprocessing's temporary folder,
    chosen once per process): in `own` (under OUT) when given and short
    enough, else the system's, else a new folder in /tmp; a socket's path must
    stay under 108 bytes, and a deep TMPDIR would make every run fail."""
    import multiprocessing.process as mp_process

    config = mp_process.current_process()._config  # type: ignore[attr-defined]
    if config.get("tempdir") is not None:
        return  # chosen already: a forkserver may be running from it
    if own is not None and len(os.fsencode(own.resolve())) <= SOCKET_DIR_MAX:
        own.mkdir()
        tempfile.tempdir = str(own.resolve())
        # Set as multiprocessing's own, it is not removed at exit: `ingest` removes it.
        config["tempdir"] = tempfile.tempdir
        return
    if len(os.fsencode(tempfile.gettempdir())) <= SOCKET_TMPDIR_MAX:
        return
    with contextlib.suppress(OSError):
        short = tempfile.mkdtemp(prefix="vanban-", dir="/tmp")
        atexit.register(shutil.rmtree, short, True)
        config["tempdir"] = short


def ingest_options(args: list[str]) -> tuple[Path, bool, str] | None:
    """OUT, `--force` and `--engine` of an `ingest` command line (the arguments
    after the program), read before typer parses it; None when it is no
    `ingest` or OUT is not given plainly (`--out X`, `--out=X`, `-o X`): the
    server then starts as `ingest` decides, after the parse."""
    if args[:1] != ["ingest"] or "--help" in args:
        return None
    out, force, engine = "", False, "local"
    rest = iter(args[1:])
    for arg in rest:
        if arg == "--":
            break
        name, eq, value = arg.partition("=")
        if eq and not name.startswith("--"):
            continue  # `-o=X` is OUT `=X` to click: left to typer
        if name in {"--out", "-o", "--engine"}:
            value = value if eq else next(rest, "")
            if name == "--engine":
                engine = value
            else:
                out = value
        elif arg == "--force":
            force = True
    return (Path(out), force, engine) if out else None


def start_early(args: list[str]) -> bool:
    """Start the server for the `vanban` command line `args` before typer parses
    it, where `ingest` would start it at once (`batch.ingest`: a first run or
    `--force`, on this machine), and only where OUT has no `OUT/.tmp` in it (what a
    run going on or a killed run left there is `ingest`'s to handle, once it holds
    OUT's lock). Its socket is in `OUT/.tmp/server-PID`, which `ingest` keeps
    (`clear_tmp`) and removes at its end. A new OUT (its parent a folder already:
    a first run) is made for it; a command that fails its checks removes on exit
    what was made (the server folder, `.tmp`, a new OUT left empty), and the
    server ends with it. True when started."""
    global _early
    options = ingest_options(args)
    if options is None or _early is not None:
        return False
    out, force, engine = options
    if engine != "local" or not (force or not (out / "manifest").exists()):
        return False
    tmp = out / ".tmp"
    folder = tmp / f"server-{os.getpid()}"
    if tmp.exists() or len(os.fsencode(folder.resolve())) > SOCKET_DIR_MAX:
        return False
    made = None  # OUT, when this process makes it (a first run into a new folder)
    if not out.is_dir():
        made = _new_folder(out)
        if made is None:
            return False
    try:
        tmp.mkdir()
    except OSError:
        _remove_early(None, made)
        return False
    _early = folder.resolve()
    atexit.register(_remove_early, _early, made)
    socket_folder(folder)
    start()
    return True


def _new_folder(out: Path) -> Path | None:
    """OUT made now, its parent a folder already (a first run); None when it cannot
    be (`ingest` then says why, or makes the parents)."""
    if not out.parent.is_dir():
        return None
    try:
        out.mkdir()
    except OSError:
        return None
    return out.resolve()


_early: Path | None = None  # this process's server folder, when `start_early` made one


def clear_tmp(tmp: Path) -> None:
    """`tmp` (OUT/.tmp) emptied of what a killed run left, but for this process's
    server folder (`start_early`)."""
    if _early is None or _early.parent != tmp.resolve():
        shutil.rmtree(tmp, ignore_errors=True)
        return
    with contextlib.suppress(OSError):
        for child in tmp.iterdir():
            if child.name == _early.name:
                continue
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink()


def _remove_early(folder: Path | None, made: Path | None = None) -> None:
    """At exit: the server folder, OUT/.tmp when nothing else is left in it, and
    OUT when this process made it and nothing is left in it (the command failed
    its checks before `ingest` wrote a thing)."""
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
        with contextlib.suppress(OSError):
            folder.parent.rmdir()
    if made is not None:
        with contextlib.suppress(OSError):
            made.rmdir()
