"""The workers' server started before the `vanban` command parses its options."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from vanban.pipeline import pool_server
from vanban.pipeline.pool_server import clear_tmp, ingest_options, start_early

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["ingest", "in", "--out", "o"], (Path("o"), False, "local")),
        (["ingest", "in", "--out=o", "--force"], (Path("o"), True, "local")),
        (["ingest", "-o", "o", "-w", "1", "--engine", "dask"], (Path("o"), False, "dask")),
        (["ingest", "--engine=dask", "in", "-o", "o"], (Path("o"), False, "dask")),
    ],
)
def test_an_ingest_command_line_gives_its_out_force_and_engine(
    args: list[str], expected: tuple[Path, bool, str]
) -> None:
    assert ingest_options(args) == expected


@pytest.mark.parametrize(
    "args",
    [
        ["status", "--out", "o"],  # not ingest
        ["ingest", "in"],  # no OUT: typer's error to give
        ["ingest", "in", "--out", "o", "--help"],
        ["ingest", "in", "-o=o"],  # click reads OUT `=o`: left to it
        ["ingest", "in", "--", "--out", "o"],  # after `--`: a folder named `--out`
        [],
    ],
)
def test_a_command_line_read_otherwise_is_left_to_typer(args: list[str]) -> None:
    assert ingest_options(args) is None


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The folders the server would have put its socket in (it is not started)."""
    calls: list[Path] = []
    monkeypatch.setattr(pool_server, "_early", None)
    monkeypatch.setattr(pool_server, "start", lambda: None)
    monkeypatch.setattr(pool_server, "socket_folder", lambda own: calls.append(own))
    monkeypatch.setattr(pool_server.atexit, "register", lambda *a: None)
    return calls


@pytest.fixture
def short_tmp() -> Iterator[Path]:
    """A folder with a short path: a socket's path must stay under 108 bytes, and
    pytest's own folders (with xdist's worker name and the test's) may not."""
    folder = Path(tempfile.mkdtemp(prefix="vb-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_a_first_ingest_starts_the_server_under_out_before_the_parse(
    short_tmp: Path, started: list[Path]
) -> None:
    out = short_tmp / "out"
    out.mkdir()
    assert start_early(["ingest", "in", "--out", str(out)])
    assert started == [out / ".tmp" / f"server-{os.getpid()}"]


def test_a_first_run_makes_its_new_out_for_the_server(short_tmp: Path, started: list[Path]) -> None:
    """A first run into a folder that does not exist yet starts the server too (the
    most common first run); the folder's parent must be a folder already."""
    out = short_tmp / "new"
    assert start_early(["ingest", "in", "--out", str(out)])
    assert started == [out / ".tmp" / f"server-{os.getpid()}"]
    assert (out / ".tmp").is_dir()


def test_no_out_is_made_under_a_parent_that_does_not_exist(
    short_tmp: Path, started: list[Path]
) -> None:
    """Parents are `ingest`'s to make, once the options are checked."""
    assert not start_early(["ingest", "in", "--out", str(short_tmp / "a" / "out")])
    assert not (short_tmp / "a").exists()
    assert started == []


def test_an_out_with_a_tmp_folder_is_left_to_ingest(tmp_path: Path, started: list[Path]) -> None:
    """A run going on, or a killed run's leftovers: only `ingest`, holding OUT's lock,
    may touch them."""
    (tmp_path / ".tmp").mkdir()
    assert not start_early(["ingest", "in", "--out", str(tmp_path)])
    assert started == []


def test_a_later_ingest_leaves_the_server_to_ingest_unless_forced(
    short_tmp: Path, started: list[Path]
) -> None:
    """A run over an OUT with a manifest may have nothing to read: `ingest` starts
    the server when it has (an early server would only be waited for)."""
    (short_tmp / "manifest").write_bytes(b"")
    assert not start_early(["ingest", "in", "--out", str(short_tmp)])
    assert started == []
    assert start_early(["ingest", "in", "--out", str(short_tmp), "--force"])
    assert len(started) == 1


def test_a_dask_ingest_starts_no_local_server(tmp_path: Path, started: list[Path]) -> None:
    assert not start_early(["ingest", "in", "--out", str(tmp_path), "--engine", "dask"])
    assert started == []


def test_ingest_clears_out_tmp_but_the_early_servers_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp = tmp_path / ".tmp"
    (tmp / "server-7").mkdir(parents=True)
    (tmp / "server-7" / "listener-x").write_bytes(b"")
    (tmp / "workers").mkdir()
    (tmp / "manifest.work").write_bytes(b"")
    monkeypatch.setattr(pool_server, "_early", (tmp / "server-7").resolve())
    clear_tmp(tmp)
    assert sorted(p.name for p in tmp.rglob("*")) == ["listener-x", "server-7"]
    monkeypatch.setattr(pool_server, "_early", None)
    clear_tmp(tmp)
    assert not tmp.exists()


def _vanban(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "vanban", *args], cwd=cwd, env=env, capture_output=True, text=True
    )


def test_an_ingest_started_early_reads_its_letters_and_leaves_no_tmp(short_tmp: Path) -> None:
    (short_tmp / "in").mkdir()
    (short_tmp / "in" / "a.txt").write_text(
        "BỘ Y TẾ\nSố: 1/BYT-KH\nHà Nội, ngày 5 tháng 3 năm 2025\n\n"
        "1. Sở Y tế báo cáo kết quả trước ngày 30/6/2025.\n",
        encoding="utf-8",
    )
    (short_tmp / "out").mkdir()
    res = _vanban("ingest", "in", "--out", "out", "--quiet", "--workers", "1", cwd=short_tmp)
    assert res.returncode == 0, res.stderr
    assert (short_tmp / "out" / "documents.jsonl").read_text(encoding="utf-8").count("\n") == 1
    assert not (short_tmp / "out" / ".tmp").exists()


def test_an_ingest_into_a_new_out_reads_its_letters(short_tmp: Path) -> None:
    (short_tmp / "in").mkdir()
    (short_tmp / "in" / "a.txt").write_text(
        "BỘ Y TẾ\nSố: 1/BYT-KH\nHà Nội, ngày 5 tháng 3 năm 2025\n\n"
        "1. Sở Y tế báo cáo kết quả trước ngày 30/6/2025.\n",
        encoding="utf-8",
    )
    res = _vanban("ingest", "in", "--out", "new", "--quiet", "--workers", "1", cwd=short_tmp)
    assert res.returncode == 0, res.stderr
    assert (short_tmp / "new" / "documents.jsonl").read_text(encoding="utf-8").count("\n") == 1
    assert not (short_tmp / "new" / ".tmp").exists()


def test_a_new_out_made_early_is_removed_when_the_command_fails_its_checks(
    short_tmp: Path,
) -> None:
    res = _vanban("ingest", "missing", "--out", "new", "--quiet", cwd=short_tmp)
    assert res.returncode == 2
    assert not (short_tmp / "new").exists()


def test_an_ingest_that_fails_its_checks_leaves_out_as_it_was(short_tmp: Path) -> None:
    (short_tmp / "out").mkdir()
    res = _vanban("ingest", "missing", "--out", "out", "--quiet", cwd=short_tmp)
    assert res.returncode == 2
    assert list((short_tmp / "out").iterdir()) == []
