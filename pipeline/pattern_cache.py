"""The compiled programs of regular expressions, kept beside the bytecode so
that the pool's forkserver does not parse and compile the same patterns again
at every run (issue 16: a run's fixed cost).

The server's import of the pipeline is most of a run's fixed cost, and parsing
and compiling the extractors' module-level patterns (~490) was over 40 % of it.
`re` makes a pattern in two steps: Python code parses it and turns it into a
program (a list of integers), then `_sre.compile` makes the pattern object from
that program. The program depends only on the pattern, its flags and the
interpreter (its `re` and `_sre`, its Unicode tables), so it is kept, with the
interpreter's identity, in a file beside this module's bytecode (where
`PYTHONPYCACHEPREFIX` puts it, or `__pycache__`), and the next run makes each
pattern from it by `_sre.compile` alone: the call `re` makes, with the same
arguments, so the same pattern object (`Pattern.__eq__` compares the programs;
`tests/test_pattern_cache.py` checks every kept program against `re`'s).

Only the server uses it, while it imports and makes what every letter needs
(`server_first` installs it, `preload` saves and removes it): a worker compiles
as `re` does, so that the patterns a letter builds for itself (a run of its odd
words) are neither kept in memory nor written. The file is written only when
what was compiled took longer than writing it does: a pattern built in a
set's order differs from run to run and is compiled each time. Like bytecode,
nothing is written when `sys.dont_write_bytecode` is set or the folder is not
writable, and a file of another interpreter is ignored.
"""

from __future__ import annotations

import _sre
import contextlib
import marshal
import os
import sys
import time
import unicodedata
from array import array
from importlib.util import cache_from_source
from re import _compiler  # type: ignore[attr-defined]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# This file's layout: raised when `Program` changes.
FORMAT = 1
# What makes a program valid: this layout, the interpreter's build, its engine and its
# Unicode tables.
IDENTITY = (
    FORMAT,
    sys.version,
    _sre.MAGIC,
    _sre.CODESIZE,
    unicodedata.unidata_version,
    array("I").itemsize,
)
# DEBUG (128) prints the program when it is compiled: left to `re`.
_DEBUG = 128
# CPU seconds of compiling that make writing the file worth it (the file of ~550
# programs, ~0.9 MB, takes ~10 ms to write).
SAVE_AFTER = 0.02

Key = tuple[str | bytes, int]
# The program's words as bytes (`array("I")`): a tenth of the memory of a list of ints.
Program = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]

_ORIGINAL = _compiler.compile
# A word of a program: `_sre`'s code words are unsigned and 32 bits wide (CODESIZE 4).
_WORD = "I"


def cache_path() -> str:
    """The file beside this module's bytecode."""
    folder = os.path.dirname(cache_from_source(__file__))
    return os.path.join(folder, f"re-programs.{sys.implementation.cache_tag}.marshal")


class ProgramCache:
    """The programs read from the file, and those compiled since."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.programs: dict[Key, Program] = {}
        self.used: set[Key] = set()
        self.compiled = 0  # patterns not found in the file
        self.unsaved_s = 0.0  # CPU seconds of compiling since the file was read or written
        with contextlib.suppress(Exception):
            with open(path, "rb") as f:
                # Read whole: `marshal.load` reads a file object a few bytes at a time.
                identity, programs = marshal.loads(f.read())
            if identity == IDENTITY and isinstance(programs, dict):
                self.programs = programs

    def compile(self, pattern: Any, flags: int = 0) -> Any:
        """`re._compiler.compile`, from the kept program when there is one."""
        if not isinstance(pattern, (str, bytes)) or flags & _DEBUG:
            return _ORIGINAL(pattern, flags)
        key = (pattern, int(flags))
        self.used.add(key)
        program = self.programs.get(key)
        if program is not None:
            try:
                return _make(pattern, program)
            except Exception:  # not a program this module wrote: compiled as `re` does
                pass
        start = time.thread_time()
        program = _program(pattern, flags)
        self.unsaved_s += time.thread_time() - start
        self.programs[key] = program
        self.compiled += 1
        return _make(pattern, program)

    def save(self) -> None:
        """Write the programs this process used (those of rules since changed are
        dropped), when compiling took longer than writing does; a temporary file
        renamed, so that a reader never sees half of one."""
        if sys.dont_write_bytecode or self.unsaved_s < SAVE_AFTER:
            return
        self.unsaved_s = 0.0
        kept = {key: self.programs[key] for key in self.used}
        temporary = f"{self.path}.{os.getpid()}"
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            with open(temporary, "wb") as f:
                f.write(marshal.dumps((IDENTITY, kept)))
            os.replace(temporary, self.path)
        except (OSError, ValueError):
            with contextlib.suppress(OSError):
                os.remove(temporary)


def _program(pattern: str | bytes, flags: int) -> Program:
    """What `re._compiler.compile` passes to `_sre.compile` (Python 3.11)."""
    parsed = _compiler._parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (
        int(flags | parsed.state.flags),
        array(_WORD, code).tobytes(),
        parsed.state.groups - 1,
        groupindex,
        tuple(indexgroup),
    )


def _make(pattern: str | bytes, program: Program) -> Any:
    """The pattern object, as `re._compiler.compile` makes it from its program."""
    flags, words, groups, groupindex, indexgroup = program
    code = array(_WORD, words).tolist()
    return _sre.compile(pattern, flags, code, groups, dict(groupindex), indexgroup)


def _same_as_re() -> bool:
    """Whether this interpreter's `re` makes its patterns as `_program` reads it
    (its internals may change with its version): a pattern of named groups,
    classes and a scoped flag made both ways."""
    probe = r"(?P<a>\w+)\s+(?i:b|c)[^\W\d]*(?P<z>x)?$"
    try:
        made = _make(probe, _program(probe, 0))
        return bool(made == _ORIGINAL(probe, 0) and made.groupindex == {"a": 1, "z": 2})
    except Exception:
        return False


_installed: ProgramCache | None = None


def install() -> ProgramCache | None:
    """Make every pattern of this process through the cache from now on (None
    when this interpreter's `re` is not the one it reads)."""
    global _installed
    if _installed is None and _same_as_re():
        _installed = ProgramCache(cache_path())
        _compiler.compile = _installed.compile
    return _installed


# What the cache did before it was removed: the patterns compiled (not read from
# the file) and made in all (the tests read it in a worker).
made: tuple[int, int] | None = None


def save_and_remove() -> None:
    """Keep what this process compiled, if the cache is installed and that is worth
    it, and compile as `re` does from now on."""
    global _installed, made
    if _installed is not None:
        _installed.save()
        _compiler.compile = _ORIGINAL
        made = (_installed.compiled, len(_installed.used))
        _installed = None
