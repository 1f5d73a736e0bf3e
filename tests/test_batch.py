"""Parallel, resumable, idempotent `ingest`: re-runs, kill -9 and Ctrl-C, crashing files.

Everything here is real: a process pool of two workers, a `vanban ingest`
subprocess killed with SIGKILL part-way and interrupted with SIGINT, a worker
process that dies on a file. The inputs are copies of the short dev letters
(about 15 ms each), so a whole run takes a second or two.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import psutil
import pytest

from vanban.pipeline.batch import (
    _mark_duplicate_document,
    ingest,
    process_file,
)
from vanban.pipeline.runner import batches_of
from vanban.schemas import Document, ErrorRecord

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "corpus" / "dev" / "raw"
# Short dev letters: a few ms to 40 ms each.
SHORT = ["000_0284457f90b6ede2", "002", "003_3070b849d0d1c768", "024", "025", "027", "034"]
OUTPUTS = ("documents.jsonl", "tasks.jsonl", "errors.jsonl")


def crashing_process_file(path: Path, **options: Any) -> Document | ErrorRecord:
    """`process_file`, except that a file named `*crash*` kills the worker process."""
    if "crash" in path.name:
        os.kill(os.getpid(), signal.SIGKILL)
    return process_file(path, **options)


def registry_made_before(path: Path, **options: Any) -> Document | ErrorRecord:
    """An error record saying whether the agency registry was made before this
    file came (by the forkserver the worker was forked from)."""
    from vanban.extractors.agencies import _default
    from vanban.pipeline.batch import error_record
    from vanban.schemas import ErrorCode

    made = "made" if _default.cache_info().currsize else "not made"
    return error_record(path, ErrorCode.INTERNAL_ERROR, f"registry {made}")


def gc_settled_before(path: Path, **options: Any) -> Document | ErrorRecord:
    """An error record saying how the worker's collector was set when this file came."""
    import gc

    from vanban.pipeline.batch import error_record
    from vanban.schemas import ErrorCode

    frozen = "frozen" if gc.get_freeze_count() else "not frozen"
    enabled = "collecting" if gc.isenabled() else "not collecting"
    message = f"{frozen} {gc.get_threshold()[0]} {enabled}"
    return error_record(path, ErrorCode.INTERNAL_ERROR, message)


def lines(out: Path, name: str) -> list[dict[str, Any]]:
    path = out / name
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def letters(folder: Path, copies: int) -> list[Path]:
    """`copies` copies of each short dev letter, in sub-folders, plus bad files."""
    made = []
    for i in range(copies):
        sub = folder / f"d{i:03d}"
        sub.mkdir(parents=True)
        for name in SHORT:
            made.append(sub / f"{name}.txt")
            shutil.copyfile(RAW / f"{name}.txt", made[-1])
    (folder / "empty.txt").write_bytes(b"")
    (folder / "sheet.xlsx").write_bytes(b"PK\x03\x04junk")
    return made


def check_outputs(folder: Path, out: Path) -> None:
    """Every input in exactly one record; records equal `process_file`'s; a copy of a
    letter is marked a duplicate of the first copy (the same source, a text file); the
    manifest agrees with the outputs."""
    inputs = sorted(str(p) for p in folder.rglob("*") if p.is_file())
    docs, rows, errs = (lines(out, name) for name in OUTPUTS)
    outputs = sorted([d["source"]["path"] for d in docs] + [e["source"]["path"] for e in errs])
    assert outputs == inputs  # none lost, none twice
    assert {Path(e["source"]["path"]).name for e in errs} == {"empty.txt", "sheet.xlsx"}
    first: dict[str, str] = {}
    for d in docs:
        first[d["doc_id"]] = min(first.get(d["doc_id"], d["source"]["path"]), d["source"]["path"])
    expected: dict[str, dict[str, Any]] = {}  # by content
    for d in docs:
        path = d["source"]["path"]
        ref = expected.get(d["source"]["sha256"])
        if ref is None:
            ref = expected[d["source"]["sha256"]] = json.loads(
                process_file(Path(path)).model_dump_json()
            )
        assert d["duplicate_of"] == (None if first[d["doc_id"]] == path else first[d["doc_id"]])
        assert d == {
            **ref,
            "source": {**ref["source"], "path": path},
            "duplicate_of": d["duplicate_of"],
        }
    # tasks.jsonl holds each letter's tasks once: its primary copy's.
    primaries = [d for d in docs if d["duplicate_of"] is None]
    assert len(rows) == sum(len(d["tasks"]) for d in primaries)
    assert sorted((r["source_path"], r["task_id"]) for r in rows) == sorted(
        (d["source"]["path"], t["task_id"]) for d in primaries for t in d["tasks"]
    )
    db = sqlite3.connect(out / "manifest")
    try:
        recorded = dict(db.execute("SELECT path, outcome FROM files").fetchall())
    finally:
        db.close()
    assert sorted(recorded) == inputs
    assert sum(v == "error" for v in recorded.values()) == len(errs)


def descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def wait_gone(procs: list[psutil.Process], timeout: float = 15.0) -> list[psutil.Process]:
    """The processes still running (not zombies) after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    alive = procs
    while alive and time.monotonic() < deadline:
        alive = [p for p in alive if _running(p)]
        time.sleep(0.1)
    return alive


def _running(p: psutil.Process) -> bool:
    try:
        return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def start_ingest(folder: Path, out: Path) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "vanban.pipeline.cli", "ingest", str(folder), "--out", str(out)]
    cmd += ["--workers", "2", "--batch-size", "3", "--quiet"]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_for_records(proc: subprocess.Popen[bytes], out: Path, at_least: int) -> int:
    """Wait until documents.jsonl holds `at_least` lines; how many it holds then."""
    deadline = time.monotonic() + 120
    path = out / "documents.jsonl"
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the run ended before it could be interrupted"
        n = path.read_bytes().count(b"\n") if path.exists() else 0
        if n >= at_least:
            return n
        time.sleep(0.02)
    raise AssertionError("no records were written")


def test_kill_9_then_ctrl_c_then_resume_loses_and_repeats_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    made = letters(folder, 60)  # 420 letters and 2 bad files
    out = tmp_path / "out"

    # 1. kill -9 of the main process, part-way.
    proc = start_ingest(folder, out)
    wait_for_records(proc, out, 40)
    children = descendants(proc.pid)
    assert children, "no worker processes"
    proc.kill()
    proc.wait(timeout=10)
    assert not (out / "summary.json").exists()
    at_kill = (out / "documents.jsonl").read_bytes().count(b"\n")
    assert at_kill < len(made)
    assert wait_gone(children) == [], "worker processes outlived the killed run"

    # 2. Resume, and stop it with Ctrl-C (SIGINT) part-way.
    db = sqlite3.connect(out / "manifest")
    committed = db.execute("SELECT COUNT(*) FROM files").fetchone()[0]
    db.close()
    proc = start_ingest(folder, out)
    before = wait_for_records(proc, out, at_kill + 30)  # past the cut tail: processing
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr.decode()
    if b"still exiting" in stderr:  # `cli.exit_within` ended it: show where it waited
        warnings.warn(stderr.decode(errors="replace"), stacklevel=1)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["interrupted"] is True
    assert summary["skipped"] == committed
    assert before <= committed + summary["documents"] < len(made)

    # 3. Resume to the end: every file once, records as a clean run makes them.
    proc = start_ingest(folder, out)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 1, stderr.decode()  # done; the 2 bad files are error records
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["skipped"] + summary["files"] == len(made) + 2
    check_outputs(folder, out)


def test_rerun_skips_unchanged_replaces_changed_and_prunes_only_when_asked(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    made = letters(folder, 2)
    out = tmp_path / "out"
    first = ingest(folder, out, workers=2)
    assert (first.files, first.errors, first.skipped) == (len(made) + 2, 2, 0)
    assert first.duplicates == len(SHORT)  # the second copy of each letter
    before = {name: (out / name).read_bytes() for name in OUTPUTS}
    assert json.loads((out / "summary.json").read_text())["files"] == len(made) + 2

    # Unchanged: nothing is processed and the outputs stay byte for byte.
    again = ingest(folder, out, workers=2)
    assert (again.files, again.skipped) == (0, len(made) + 2)
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == before
    os.utime(made[0])  # touched, not changed: skipped after a hash
    assert ingest(folder, out, workers=2).files == 0

    # Changed: its old records are replaced, never duplicated. It is the first
    # copy of its letter: the copy marked its duplicate is processed again too.
    changed = made[1]
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("Hà Nội", "Đà Nẵng", 1), encoding="utf-8"
    )
    third = ingest(folder, out, workers=2)
    assert (third.files, third.replaced, third.skipped) == (2, 2, len(made))
    docs = lines(out, "documents.jsonl")
    assert len(docs) == len(made)
    [rec] = [d for d in docs if d["source"]["path"] == str(changed)]
    assert rec["place"] == "Đà Nẵng"
    assert rec == json.loads(process_file(changed).model_dump_json())

    # Gone: kept until --prune.
    gone = made[2]
    gone.unlink()
    fourth = ingest(folder, out, workers=2)
    assert (fourth.files, fourth.missing) == (0, 1)
    assert str(gone) in {d["source"]["path"] for d in lines(out, "documents.jsonl")}
    fifth = ingest(folder, out, workers=2, prune=True)
    assert (fifth.files, fifth.pruned) == (1, 1)  # its copy is now the first
    assert str(gone) not in {d["source"]["path"] for d in lines(out, "documents.jsonl")}
    check_outputs(folder, out)

    # --force: everything again, the same records.
    kept = {name: (out / name).read_bytes() for name in OUTPUTS}
    forced = ingest(folder, out, workers=1, force=True)
    assert (forced.files, forced.skipped) == (len(made) + 1, 0)
    assert sorted(lines(out, "documents.jsonl"), key=str) == sorted(
        [json.loads(x) for x in kept["documents.jsonl"].decode().splitlines()], key=str
    )


def test_manifest_holds_path_sha_outcome_and_record_ids(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    made = letters(folder, 1)
    out = tmp_path / "out"
    ingest(folder, out, workers=2)
    db = sqlite3.connect(out / "manifest")
    rows = db.execute("SELECT path, sha256, outcome, error, record_ids FROM files").fetchall()
    db.close()
    by_path = {r[0]: r for r in rows}
    docs = {d["source"]["path"]: d for d in lines(out, "documents.jsonl")}
    for path in made:
        _, sha, outcome, error, ids = by_path[str(path)]
        doc = docs[str(path)]
        assert (sha, outcome, error) == (doc["source"]["sha256"], "document", None)
        assert json.loads(ids) == [doc["doc_id"], *(t["task_id"] for t in doc["tasks"])]
    assert by_path[str(folder / "empty.txt")][2:4] == ("error", "empty_file")


def test_a_killed_runs_tail_and_a_half_done_compaction_are_repaired(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    made = letters(folder, 1)
    out = tmp_path / "out"
    ingest(folder, out, workers=2)
    clean = {name: (out / name).read_bytes() for name in OUTPUTS}

    # What a kill -9 leaves: lines past the committed lengths, one half written.
    with (out / "documents.jsonl").open("ab") as f:
        f.write(clean["documents.jsonl"].splitlines(keepends=True)[0])
        f.write(b'{"schema_version": "1.0", "doc_')
    (out / "tasks.jsonl.compact").write_bytes(b"stray copy of an uncommitted compaction")
    resumed = ingest(folder, out, workers=2)
    assert resumed.files == 0 and resumed.recovered_bytes > 0
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == clean
    assert not (out / "tasks.jsonl.compact").exists()

    # A kill between the compaction's commit and its replacing the outputs.
    text = made[0].read_text(encoding="utf-8")
    made[0].write_text(text + "\nthêm một dòng\n", encoding="utf-8")
    import vanban.pipeline.manifest as manifest_module

    finish = manifest_module.finish_compaction

    def killed(manifest: manifest_module.Manifest, out: Path) -> None:
        if (out / "documents.jsonl.compact").exists():
            raise KeyboardInterrupt
        finish(manifest, out)

    monkeypatch.setattr(manifest_module, "finish_compaction", killed)
    with pytest.raises(KeyboardInterrupt):
        ingest(folder, out, workers=2)
    monkeypatch.undo()
    assert (out / "documents.jsonl.compact").exists()
    made[0].write_text(text, encoding="utf-8")
    final = ingest(folder, out, workers=2)
    assert final.files == 1 and not (out / "documents.jsonl.compact").exists()
    assert {name: (out / name).read_bytes() for name in OUTPUTS} != clean  # moved to the end
    check_outputs(folder, out)


def test_a_file_that_kills_its_worker_is_recorded_as_an_error_and_the_rest_are_read(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    made = letters(folder, 2)
    (folder / "d000" / "crash.txt").write_text("Số: 1/UBND", encoding="utf-8")
    out = tmp_path / "out"
    summary = ingest(
        folder,
        out,
        workers=2,
        batch_size=4,
        processor="tests.test_batch:crashing_process_file",
    )
    errs = {Path(e["source"]["path"]).name: e for e in lines(out, "errors.jsonl")}
    assert errs["crash.txt"]["error"] == "worker_crashed"
    assert "killed (SIGKILL)" in errs["crash.txt"]["message"]
    assert summary.documents == len(made) and summary.retried >= 4
    # The crash file aside, the outputs are those of a run without it.
    (folder / "d000" / "crash.txt").unlink()
    ingest(folder, out, workers=2, prune=True)
    check_outputs(folder, out)


def test_batches_hold_every_file_once_and_cap_files_and_bytes() -> None:
    files = [(f"f{i}", 10) for i in range(10)] + [("big", 100), ("g", 1)]
    batches = list(batches_of(files, 4, 50))
    assert [p for b in batches for p in b] == [p for p, _ in files]
    assert max(len(b) for b in batches) == 4
    assert ["big"] in batches  # over the byte cap: alone


def test_duplicate_marks_only_touch_the_key() -> None:
    doc = process_file(RAW / "024.txt")
    assert isinstance(doc, Document)
    doc.subject = 'x "duplicate_of": null, y'  # the key's text inside a value
    line = _mark_duplicate_document(doc.model_dump_json(), "a/ö.txt")
    assert json.loads(line) == {
        **json.loads(doc.model_dump_json()),
        "duplicate_of": "a/ö.txt",
    }


def test_an_output_folder_inside_the_input_is_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    made = letters(folder, 1)
    first = ingest(folder, folder / "out", workers=1)
    again = ingest(folder, folder / "out", workers=1)
    assert first.files == len(made) + 2
    assert (again.files, again.skipped) == (0, len(made) + 2)


def test_the_main_process_does_not_import_the_extractors() -> None:
    """`ingest`'s main process reads no letter: the extractors' import (most of a
    run's fixed cost) is left to the workers' forkserver, and underthesea to no one."""
    code = (
        "import sys\n"
        "import vanban.pipeline.cli, vanban.pipeline.batch\n"
        "print(sorted({m.split('.')[0] if m.startswith('underthesea') else m\n"
        "    for m in sys.modules if m.startswith(('vanban.extractors', 'underthesea'))}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_main_process_imports_no_record_model_and_no_loader() -> None:
    """What only a worker needs is left to the workers' forkserver: the record
    models (pydantic), the loader and its normaliser, the holidays of a due
    date in working days, the lookup of vanban's version."""
    code = (
        "import sys\n"
        "import vanban, vanban.pipeline.cli, vanban.pipeline.batch\n"
        "heavy = ('pydantic', 'vanban.schemas.records', 'vanban.pipeline.load',\n"
        "    'vanban.pipeline.normalize', 'holidays', 'importlib.metadata')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_new_manifest_is_set_up_in_one_transaction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its tables, the columns added since the first format and the format are
    one commit (each statement on its own was one: a few disk syncs each)."""
    import vanban.pipeline.manifest as manifest

    statements: list[str] = []
    connect = sqlite3.connect

    def traced(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        db = connect(*args, **kwargs)
        db.set_trace_callback(statements.append)
        return db

    monkeypatch.setattr(manifest.sqlite3, "connect", traced)
    m = manifest.Manifest(tmp_path / "manifest")
    m.close()
    writes = [
        i
        for i, s in enumerate(statements)
        if s.lstrip().upper().startswith(("CREATE", "ALTER", "INSERT")) and "work." not in s
    ]
    begin = next(i for i, s in enumerate(statements) if s.lstrip().upper().startswith("BEGIN"))
    commits = [i for i, s in enumerate(statements) if s.strip().upper() == "COMMIT"]
    assert len(writes) >= 5 and len(commits) == 1
    assert begin < writes[0] and writes[-1] < commits[0]
    reopened = manifest.Manifest(tmp_path / "manifest")
    assert not reopened.created and reopened.get_meta("format") == manifest.FORMAT
    reopened.close()


def test_a_worker_starts_with_the_agency_registry_made(tmp_path: Path) -> None:
    """The forkserver makes what every letter needs on first use (the registry:
    ~50 ms) once, before it forks the workers; none makes it again."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Kính gửi: Sở Y tế.\n", encoding="utf-8")
    ingest(folder, tmp_path / "out", workers=1, processor="tests.test_batch:registry_made_before")
    assert [e["message"] for e in lines(tmp_path / "out", "errors.jsonl")] == ["registry made"]


def test_a_worker_starts_with_the_servers_objects_frozen(tmp_path: Path) -> None:
    """What the forkserver made is out of the workers' collections, and their young
    objects are collected less often (`preload._settle`), and its collector, paused
    while the server imported (`server_first`), collects; a process that only imports
    the preload module keeps its collector as it was."""
    from vanban.pipeline.preload import YOUNG_COLLECTED_AFTER

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Kính gửi: Sở Y tế.\n", encoding="utf-8")
    ingest(folder, tmp_path / "out", workers=1, processor="tests.test_batch:gc_settled_before")
    messages = [e["message"] for e in lines(tmp_path / "out", "errors.jsonl")]
    assert messages == [f"frozen {YOUNG_COLLECTED_AFTER} collecting"]
    alone = (
        "import gc, vanban.pipeline.preload\nprint(gc.get_freeze_count(), gc.get_threshold()[0])"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    plain = subprocess.run(
        [sys.executable, "-c", alone], capture_output=True, text=True, check=True, env=env
    )
    assert plain.stdout.split() == ["0", "700"]


def test_the_workers_server_ends_without_tearing_its_modules_down(tmp_path: Path) -> None:
    """The forkserver holds the command's stdout and stderr: when the main process
    has ended, it ends at once (what it printed flushed), without the interpreter's
    tear-down of the pipeline, which a caller reading the output would wait for.
    A process that only imports the preload module exits as usual."""
    (tmp_path / "noted.py").write_text(
        "import atexit\natexit.register(print, 'torn down')\nprint('preloaded', end=' ')\n",
        encoding="utf-8",
    )
    code = (
        "import multiprocessing as mp\n"
        "ctx = mp.get_context('forkserver')\n"
        "ctx.set_forkserver_preload(['noted', 'vanban.pipeline.preload'])\n"
        "p = ctx.Process(target=print)\n"
        "p.start()\n"
        "p.join()\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    server = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert server.stdout.split() == ["preloaded"]
    alone = "import noted, vanban.pipeline.preload\n"
    plain = subprocess.run(
        [sys.executable, "-c", alone], capture_output=True, text=True, check=True, env=env
    )
    assert plain.stdout.split() == ["preloaded", "torn", "down"]


def test_the_workers_server_starts_early_on_a_first_run_and_not_on_a_run_with_nothing_to_read(
    tmp_path: Path,
) -> None:
    """A first run starts the forkserver as soon as OUT is set up (its import of
    the pipeline overlaps the walk); a run that skips every file starts none (it
    would outlive the command, holding its output open, for nothing)."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(RAW / "025.txt", folder / "025.txt")
    code = (
        "import sys\n"
        "from multiprocessing import forkserver\n"
        "from vanban.pipeline.batch import ingest\n"
        "up = []\n"
        "def walked(todo, skipped):  # before any file is sent to a worker\n"
        "    up.append(forkserver._forkserver._forkserver_pid is not None)\n"
        "s = ingest(sys.argv[1], sys.argv[2], workers=1, on_start=walked)\n"
        "print(s.files, s.skipped, *up)\n"
    )
    args = [sys.executable, "-c", code, str(folder), str(tmp_path / "out")]
    first = subprocess.run(args, capture_output=True, text=True, check=True)
    again = subprocess.run(args, capture_output=True, text=True, check=True)
    assert first.stdout.split() == ["1", "0", "True"]
    assert again.stdout.split() == ["0", "1", "False"]
