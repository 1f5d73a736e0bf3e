"""The workers' server started before the `vanban` command parses its options."""

from __future__ import annotations

from pathlib import Path

import pytest

from vanban.pipeline import pool_server
from vanban.pipeline.pool_server import ingest_options, start_early


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
def started(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    calls: list[bool] = []
    monkeypatch.setattr(pool_server, "start", lambda: calls.append(True))
    monkeypatch.setattr(pool_server, "socket_folder", lambda own: None)
    return calls


def test_a_first_ingest_starts_the_server_before_the_parse(
    tmp_path: Path, started: list[bool]
) -> None:
    assert start_early(["ingest", "in", "--out", str(tmp_path / "out")])
    assert started == [True]


def test_a_later_ingest_leaves_the_server_to_ingest_unless_forced(
    tmp_path: Path, started: list[bool]
) -> None:
    """A run over an OUT with a manifest may have nothing to read: `ingest` starts
    the server when it has (an early server would only be waited for)."""
    (tmp_path / "manifest").write_bytes(b"")
    assert not start_early(["ingest", "in", "--out", str(tmp_path)])
    assert started == []
    assert start_early(["ingest", "in", "--out", str(tmp_path), "--force"])
    assert started == [True]


def test_a_dask_ingest_starts_no_local_server(tmp_path: Path, started: list[bool]) -> None:
    assert not start_early(["ingest", "in", "--out", str(tmp_path), "--engine", "dask"])
    assert started == []
