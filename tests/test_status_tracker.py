"""`vanban status` for a tracker: no task before its letter, tasks marked done,
the four statuses trackers report, each task once per agency."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from vanban.pipeline.batch import ingest
from vanban.pipeline.export import read_documents
from vanban.pipeline.status import read_done, status_rows, task_status
from vanban.schemas import Agency, Deadline, Document, Source, Task, UsageError

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "data" / "corpus" / "dev" / "raw"
DUE_STATUSES = {"overdue", "due_soon", "not_yet_due"}


def _agency(name: str) -> Agency:
    return Agency(name=name, code=name if name.startswith("@") else None, raw=name)


def _task(label: str, lead: list[str], due: str | None) -> Task:
    return Task(
        task_id=f"d:{label}",
        label=label,
        text=f"Việc {label}.",
        span=(0, 1),
        lead=[_agency(a) for a in lead],
        deadline=Deadline(date=due, raw=due, span=(0, 1)) if due else None,
    )


def _doc(
    tasks: list[Task], issued: str = "2026-04-28", issuer: str = "Văn phòng Chính phủ"
) -> Document:
    return Document(
        doc_id="d",
        source=Source(path="made.txt", format="txt", sha256="0"),
        text="x",
        number="3722/VPCP-CN",
        issuer=_agency(issuer),
        issued_date=issued,
        tasks=tasks,
    )


def test_a_task_is_not_due_before_its_letter_is_issued() -> None:
    task = _task("1", ["Bộ Xây dựng"], "2026-05-10")
    assert task_status(task, date(2026, 1, 11), 7, "2026-04-28").status == "not_issued"
    assert task_status(task, date(2026, 4, 28), 7, "2026-04-28").status == "not_yet_due"
    doc = _doc([task])
    assert status_rows([doc], date(2026, 1, 11)) == []
    [row] = status_rows([doc], date(2026, 1, 11), show_all=True)
    assert (row.status, row.tracker_status) == ("not_issued", None)


def test_done_tasks_leave_the_list() -> None:
    doc = _doc(
        [_task("1", ["Bộ Xây dựng"], "2026-05-10"), _task("2", ["Bộ Tư pháp"], "2026-05-20")]
    )
    rows = status_rows([doc], date(2026, 5, 1), done={"d:1": None})
    assert [r.task_id for r in rows] == ["d:2"]
    shown = status_rows([doc], date(2026, 5, 1), done={"d:1": None}, show_all=True)
    assert [(r.task_id, r.status) for r in shown] == [("d:2", "not_yet_due"), ("d:1", "done")]


@pytest.mark.parametrize(
    ("due", "done", "as_of", "expected"),
    [
        ("2026-05-10", {"d:1": "2026-05-09"}, "2026-06-01", "completed_on_time"),
        ("2026-05-10", {"d:1": "2026-05-10"}, "2026-06-01", "completed_on_time"),
        ("2026-05-10", {"d:1": "2026-05-12"}, "2026-06-01", "completed_late"),
        ("2026-05-10", {"d:1": None}, "2026-05-05", "completed_on_time"),  # done by then
        ("2026-05-10", {"d:1": None}, "2026-06-01", None),  # when, it does not say
        ("2026-05-10", {}, "2026-05-10", "open_within_deadline"),
        ("2026-05-10", {}, "2026-05-11", "open_overdue"),
        (None, {}, "2026-05-11", None),
    ],
)
def test_the_four_statuses_trackers_report(
    due: str | None, done: dict[str, str | None], as_of: str, expected: str | None
) -> None:
    doc = _doc([_task("1", ["Bộ Xây dựng"], due)])
    [row] = status_rows([doc], date.fromisoformat(as_of), done=done, show_all=True)
    assert row.tracker_status == expected


def test_a_ministry_leading_beside_its_group_is_listed_once() -> None:
    doc = _doc(
        [_task("1", ["Bộ Quốc phòng", "@bo-nganh"], "2026-05-10")],
        issuer="Bộ Quốc phòng",
    )
    rows = status_rows([doc], date(2026, 5, 1), agency="Bộ Quốc phòng")
    assert [(r.agency, r.via_group) for r in rows] == [("Bộ Quốc phòng", None)]
    only_group = _doc([_task("1", ["@bo-nganh", "@bo-nganh"], "2026-05-10")])
    rows = status_rows([only_group], date(2026, 5, 1), agency="Bộ Quốc phòng")
    assert [(r.agency, r.via_group) for r in rows] == [("Bộ Quốc phòng", "@bo-nganh")]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("done.txt", "d:1\n\nd:2\n"),
        ("done.csv", "task_id,done_date\nd:1,2026-05-09\nd:2,\n"),
        ("plain.csv", "d:1,2026-05-09\nd:2\n"),
        ("list.json", '["d:1", "d:2"]'),
        ("objects.json", '[{"task_id": "d:1", "done_date": "2026-05-09"}, {"task_id": "d:2"}]'),
        ("map.json", '{"d:1": "2026-05-09", "d:2": null}'),
    ],
)
def test_done_files_take_ids_csv_or_json(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    done = read_done(path)
    assert set(done) == {"d:1", "d:2"} and done["d:2"] is None
    assert done["d:1"] in (None, "2026-05-09")


def test_a_done_file_with_a_bad_date_says_so(tmp_path: Path) -> None:
    path = tmp_path / "done.csv"
    path.write_text("task_id,done_date\nd:1,9 tháng 5\n", encoding="utf-8")
    with pytest.raises(UsageError, match="--done"):
        read_done(path)


def _status(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vanban", "status", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


@pytest.fixture(scope="module")
def dev_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The dev corpus's letters (text files), read once for these tests."""
    folder = tmp_path_factory.mktemp("dev")
    for path in sorted(DEV.glob("*.txt")):
        shutil.copy(path, folder / path.name)
    out = tmp_path_factory.mktemp("out")
    ingest(folder, out, workers=2)
    return out


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_status_over_the_dev_corpus_lists_no_task_of_a_letter_not_yet_issued(dev_run: Path) -> None:
    dates = sorted({d.issued_date for d in read_documents(dev_run) if d.issued_date})
    as_of = dates[len(dates) // 2]  # some letters come later
    later = {d.doc_id for d in read_documents(dev_run) if (d.issued_date or "") > as_of and d.tasks}
    assert later
    run = _status(str(dev_run), "--as-of", as_of, "--format", "csv")
    assert run.returncode == 0, run.stderr
    rows = _csv_rows(run.stdout)
    assert rows and not [r for r in rows if r["doc_id"] in later]
    every = _csv_rows(_status(str(dev_run), "--as-of", as_of, "--format", "csv", "--all").stdout)
    assert {r["status"] for r in every if r["doc_id"] in later} == {"not_issued"}
    assert not [r for r in every if r["issued_date"] > as_of and r["status"] in DUE_STATUSES]


def test_done_removes_tasks_from_the_dev_corpus_status(dev_run: Path, tmp_path: Path) -> None:
    before = json.loads(_status(str(dev_run), "--as-of", "2026-12-31", "--format", "json").stdout)
    ids = sorted({t["task_id"] for a in before["agencies"] for t in a["tasks"]})
    done = tmp_path / "done.json"
    done.write_text(json.dumps(ids[::2]), encoding="utf-8")
    args = ("--as-of", "2026-12-31", "--format", "json", "--done", str(done))
    after = json.loads(_status(str(dev_run), *args).stdout)
    left = sorted({t["task_id"] for a in after["agencies"] for t in a["tasks"]})
    assert left == ids[1::2]


def test_as_of_defaults_to_today_and_formats_are_checked(tmp_path: Path) -> None:
    (tmp_path / "documents.jsonl").write_text(
        _doc([_task("1", ["Bộ Xây dựng"], "2026-05-10")], issued="2020-01-01").model_dump_json()
        + "\n",
        encoding="utf-8",
    )
    run = _status(str(tmp_path), "--format", "json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["as_of"] == date.today().isoformat()
    table = _status(str(tmp_path), "--format", "table", "--as-of", "2026-05-01")
    assert table.returncode == 0 and "Bộ Xây dựng" in table.stdout
    bad = _status(str(tmp_path), "--format", "xml")
    assert bad.returncode == 2 and "table, json or csv" in bad.stderr
