"""`ingest --engine dask`: the same records on a real Dask cluster, no process left behind.

One test starts a `LocalCluster` itself and gives its address, as for a
cluster of several machines (`--scheduler tcp://…`); the other lets `ingest`
start and close its own, with a file that kills its Dask worker.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import psutil
import pytest

from tests.test_batch import OUTPUTS, RAW, SHORT, lines, wait_gone
from vanban.pipeline.batch import ingest

pytest.importorskip("distributed")

DEV = RAW.parent


def new_processes(before: set[int]) -> list[psutil.Process]:
    return [p for p in psutil.Process().children(recursive=True) if p.pid not in before]


def test_the_dev_corpus_on_a_local_cluster_gives_the_local_pools_records(tmp_path: Path) -> None:
    from distributed import LocalCluster

    folders = [DEV / "raw", DEV / "pdf"]
    local = ingest(folders, tmp_path / "local", workers=2)
    letters = len(list((DEV / "gold").glob("*.json")))
    assert local.documents == letters and local.ocr_pages > 0  # the scans were read

    before = {p.pid for p in psutil.Process().children(recursive=True)}
    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0"
    )
    try:
        started = new_processes(before)
        assert len(started) >= 2  # the worker processes (and their nannies)
        summary = ingest(
            folders, tmp_path / "dask", engine="dask", scheduler=cluster.scheduler_address
        )
    finally:
        cluster.close()
    assert wait_gone(started) == [], "processes of the cluster outlived it"
    assert (summary.engine, summary.workers, summary.files) == ("dask", 2, local.files)
    assert summary.batches > 2  # the files went to the workers in several batches
    for name in OUTPUTS:
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()
    report = json.loads((tmp_path / "dask" / "summary.json").read_text(encoding="utf-8"))
    assert report["engine"] == "dask" and report["documents"] == local.documents


def test_a_lost_dask_worker_has_its_files_retried_once_then_recorded_as_errors(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    for i in range(2):
        (folder / f"d{i}").mkdir(parents=True)
        for name in SHORT:
            shutil.copyfile(RAW / f"{name}.txt", folder / f"d{i}" / f"{name}.txt")
    (folder / "d0" / "crash.txt").write_text("Số: 1/UBND", encoding="utf-8")
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    summary = ingest(
        folder,
        tmp_path / "out",
        engine="dask",
        workers=2,
        batch_size=4,
        processor="tests.test_batch:crashing_process_file",
    )
    # The LocalCluster that ingest started is closed, with every process it started.
    assert wait_gone(new_processes(before)) == []
    errs = lines(tmp_path / "out", "errors.jsonl")
    assert [(Path(e["source"]["path"]).name, e["error"]) for e in errs] == [
        ("crash.txt", "worker_crashed")
    ]
    assert summary.documents == 2 * len(SHORT)
    assert summary.retried >= 2  # the crash file and its batch mates, run again alone
