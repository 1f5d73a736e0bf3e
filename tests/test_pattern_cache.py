"""The patterns the forkserver and its workers make from kept programs are the
patterns `re` makes (`vanban.pipeline.pattern_cache`, issue 16)."""

from __future__ import annotations

import importlib
import json
import marshal
import os
import pkgutil
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import vanban.extractors
import vanban.pipeline
from vanban.pipeline import pattern_cache
from vanban.pipeline.pattern_cache import ProgramCache

ROOT = Path(__file__).resolve().parent.parent


def _module_patterns() -> list[re.Pattern[Any]]:
    """Every module-level pattern of the extractors and the pipeline."""
    found = []
    for package in (vanban.extractors, vanban.pipeline):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            found += [v for v in vars(module).values() if isinstance(v, re.Pattern)]
    return found


def _same(made: re.Pattern[Any], pattern: re.Pattern[Any]) -> bool:
    # `Pattern.__eq__` compares the pattern, its flags and its program.
    return (
        made == pattern and made.groups == pattern.groups and made.groupindex == pattern.groupindex
    )


def test_every_pattern_is_made_from_its_kept_program_as_re_makes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Compiled, written, read back and made again: the pattern `re` makes."""
    patterns = _module_patterns()
    assert len(patterns) > 400
    path = str(tmp_path / "programs.marshal")
    cache = ProgramCache(path)
    assert all(_same(cache.compile(p.pattern, p.flags), p) for p in patterns)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(pattern_cache, "SAVE_AFTER", 0.0)
    cache.save()
    again = ProgramCache(path)
    assert again.programs.keys() == cache.programs.keys()
    assert all(_same(again.compile(p.pattern, p.flags), p) for p in patterns)
    assert again.compiled == 0


def test_a_file_of_another_interpreter_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "programs.marshal"
    kept = ProgramCache(str(path))
    kept.compile(r"\d+", 0)
    other = ("another Python", *pattern_cache.IDENTITY[1:])
    path.write_bytes(marshal.dumps((other, kept.programs)))
    assert ProgramCache(str(path)).programs == {}
    path.write_bytes(b"not a marshal file")
    assert ProgramCache(str(path)).programs == {}


def test_a_program_that_cannot_be_made_is_compiled_again(tmp_path: Path) -> None:
    path = tmp_path / "programs.marshal"
    bad = {(r"\d+", 0): (0, b"\x00", 0, {}, ())}
    path.write_bytes(marshal.dumps((pattern_cache.IDENTITY, bad)))
    cache = ProgramCache(str(path))
    assert cache.compile(r"\d+", 0) == re.compile(r"\d+") and cache.compiled == 1


def test_nothing_is_written_without_bytecode_nor_for_a_little_compiling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "programs.marshal"
    cache = ProgramCache(str(path))
    cache.compile(r"(?P<word>\w+)", 0)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    cache.save()  # far less than SAVE_AFTER of compiling
    assert not path.exists()
    monkeypatch.setattr(pattern_cache, "SAVE_AFTER", 0.0)
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    cache.save()
    assert not path.exists()
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    cache.save()
    assert ProgramCache(str(path)).programs.keys() == {(r"(?P<word>\w+)", 0)}


# A processor reporting in an error record what the server's cache did (the patterns
# it compiled, those it made in all) and whether the worker compiles as `re` does. In a
# module of its own: this one imports pytest, which the worker would import.
CACHE_STATE = """
import json, re
from vanban.pipeline import pattern_cache
from vanban.pipeline.batch import error_record
from vanban.schemas import ErrorCode

def cache_state(path, **options):
    as_re = re._compiler.compile is pattern_cache._ORIGINAL and not pattern_cache._installed
    state = {"as_re": as_re, "made": pattern_cache.made}
    return error_record(path, ErrorCode.INTERNAL_ERROR, json.dumps(state))
"""


def test_the_workers_server_keeps_its_programs_for_the_next_run(tmp_path: Path) -> None:
    """A first run's server compiles the pipeline's patterns and keeps their programs
    beside the bytecode; the next run's server reads them, and compiles few (those
    built in a set's order, which changes from run to run); a worker compiles as `re`
    does (the patterns a letter builds for itself are not kept)."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Kính gửi: Sở Y tế.\n", encoding="utf-8")
    (tmp_path / "cache_state.py").write_text(CACHE_STATE, encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
        "PYTHONPYCACHEPREFIX": str(tmp_path / "pyc"),
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    code = (
        "import sys\nfrom pathlib import Path\nfrom vanban.pipeline.batch import ingest\n"
        "ingest(Path(sys.argv[1]), Path(sys.argv[2]), workers=1, force=True,"
        " processor='cache_state:cache_state')\n"
    )
    states = []
    for _ in range(2):
        out = tmp_path / "out"
        subprocess.run([sys.executable, "-c", code, str(folder), str(out)], env=env, check=True)
        error = json.loads((out / "errors.jsonl").read_text(encoding="utf-8"))
        states.append(json.loads(error["message"]))
    assert [s["as_re"] for s in states] == [True, True]
    (compiled, made), (compiled_again, made_again) = (s["made"] for s in states)
    assert made > 450 and compiled > 450 and made_again == made
    assert compiled_again < 20, states
    assert list((tmp_path / "pyc").rglob("re-programs.*.marshal"))
