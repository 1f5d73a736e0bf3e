"""`vanban status`: where each agency's tasks stand on a date, computed, never stored."""

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from vanban.pipeline.status import STATUSES, status_frame, status_json, status_rows, task_status
from vanban.schemas import Agency, Deadline, Document, Source, Task

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 3, 10)


def _agency(name: str) -> Agency:
    code = name if name.startswith("@") else None
    return Agency(name=name, code=code, raw=name, span=None)


def _task(label: str, text: str, lead: list[str], deadline: Deadline | None = None) -> Task:
    return Task(
        task_id=f"d:{label}",
        label=label,
        text=text,
        span=(0, 1),
        lead=[_agency(a) for a in lead],
        deadline=deadline,
    )


def _due(day: str, recurrence: str | None = None) -> Deadline:
    return Deadline(date=day, recurrence=recurrence, raw=day, span=(0, 1))


def _doc(tasks: list[Task], issued: str = "2026-02-01") -> Document:
    return Document(
        doc_id="d",
        source=Source(path="made/by-hand.txt", format="txt", sha256="0"),
        text="x",
        number="12/UBND-VP",
        issued_date=issued,
        tasks=tasks,
    )


@pytest.mark.parametrize(
    ("deadline", "text", "expected", "days_left"),
    [
        (_due("2026-03-09"), "Báo cáo kết quả.", "overdue", -1),
        (_due("2026-03-10"), "Báo cáo kết quả.", "due_soon", 0),
        (_due("2026-03-17"), "Báo cáo kết quả.", "due_soon", 7),
        (_due("2026-03-18"), "Báo cáo kết quả.", "not_yet_due", 8),
        (None, "Tổ chức tuyên truyền sâu rộng trong nhân dân.", "no_deadline", None),
        # Recurring work has no date but its recurrence (filled by the extractor).
        (
            Deadline(recurrence="monthly", raw="Định kỳ hằng tháng", span=(0, 18)),
            "Định kỳ hằng tháng báo cáo kết quả về Sở Nội vụ.",
            "recurring",
            None,
        ),
        (_due("2026-01-31", recurrence="monthly"), "Báo cáo hằng tháng.", "recurring", None),
    ],
)
def test_status_buckets_by_deadline_and_date(
    deadline: Deadline | None, text: str, expected: str, days_left: int | None
) -> None:
    st = task_status(_task("1", text, ["Sở Nội vụ"], deadline), AS_OF, 7, "2026-02-01")
    assert (st.status, st.days_left) == (expected, days_left)


def test_the_same_record_changes_status_with_the_date_only() -> None:
    task = _task("1", "Hoàn thành trước ngày 31/3/2026.", ["Sở Tài chính"], _due("2026-03-31"))
    seen = [task_status(task, date(2026, m, 1), 7).status for m in (1, 3, 4)]
    assert seen == ["not_yet_due", "not_yet_due", "overdue"]
    assert "status" not in task.model_dump()


def test_rows_are_per_lead_agency_and_a_task_without_lead_is_kept() -> None:
    doc = _doc(
        [
            _task("1", "Việc một.", ["Sở Nội vụ", "Sở Tư pháp"], _due("2026-03-01")),
            _task("2", "Việc hai.", [], _due("2026-04-30")),
        ]
    )
    rows = status_rows([doc], AS_OF)
    assert [(r.agency, r.label, r.status) for r in rows] == [
        ("(no lead agency)", "2", "not_yet_due"),
        ("Sở Nội vụ", "1", "overdue"),
        ("Sở Tư pháp", "1", "overdue"),
    ]


def test_agency_filter_takes_any_spelling_and_finds_tasks_given_to_its_group() -> None:
    doc = _doc(
        [
            _task("1", "Việc của Bộ.", ["Bộ Khoa học và Công nghệ"], _due("2026-03-12")),
            _task("2", "Việc của các Bộ.", ["@bo-nganh"], _due("2026-02-20")),
            _task("3", "Việc của các tỉnh.", ["@dia-phuong"], _due("2026-02-20")),
            _task("4", "Việc của Bộ khác.", ["Bộ Tài chính"], _due("2026-02-20")),
        ]
    )
    rows = status_rows([doc], AS_OF, agency="Bộ KH&CN")
    assert {(r.label, r.agency, r.via_group, r.status) for r in rows} == {
        ("1", "Bộ Khoa học và Công nghệ", None, "due_soon"),
        ("2", "Bộ Khoa học và Công nghệ", "@bo-nganh", "overdue"),
    }
    provincial = status_rows([doc], AS_OF, agency="UBND tỉnh Nghệ An")
    assert [(r.label, r.via_group) for r in provincial] == [("3", "@dia-phuong")]


def test_json_counts_every_status_per_agency() -> None:
    doc = _doc(
        [
            _task("1", "a", ["Sở Nội vụ"], _due("2026-03-01")),
            _task("2", "b", ["Sở Nội vụ"], None),
        ]
    )
    data = status_json(status_rows([doc], AS_OF), AS_OF, 7)
    (entry,) = data["agencies"]
    assert entry["agency"] == "Sở Nội vụ"
    assert entry["counts"] == dict.fromkeys(STATUSES, 0) | {"overdue": 1, "no_deadline": 1}
    assert status_frame(status_rows([doc], AS_OF))["days_left"].tolist()[0] == -9


def test_status_command_prints_readable_vietnamese_json(tmp_path: Path) -> None:
    doc = _doc([_task("1", "Rà soát văn bản.", ["Sở Tư pháp"], _due("2026-03-11"))])
    (tmp_path / "documents.jsonl").write_text(doc.model_dump_json() + "\n", encoding="utf-8")
    args = ["status", str(tmp_path), "--as-of", "2026-03-10", "--json", "--agency", "Sở Tư pháp"]
    run = subprocess.run(
        [sys.executable, "-m", "vanban.pipeline.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "Sở Tư pháp" in run.stdout and "\\u" not in run.stdout
    task = json.loads(run.stdout)["agencies"][0]["tasks"][0]
    assert (task["status"], task["days_left"]) == ("due_soon", 1)


def test_status_command_rejects_a_bad_date_in_words(tmp_path: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "vanban.pipeline.cli",
            "status",
            str(tmp_path),
            "--as-of",
            "10/03/2026",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert run.returncode == 2
    assert "YYYY-MM-DD" in run.stderr
