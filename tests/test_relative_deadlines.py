"""`Deadline.relative` (issue 14): a time limit counted from an event the letter does
not date (`trong 30 ngày kể từ ngày nhận`, `05 ngày làm việc`) is kept as a relative
value instead of being dropped; its `date` stays null (ANNOTATION.md §3), and
`vanban status --received DATE` resolves it, working days skipping weekends and
Vietnam's public holidays (Tết 2026: 16-20 February)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.task_letters import extract_file
from vanban.extractors import rules as R
from vanban.extractors.deadlines import resolve_relative, task_relative
from vanban.pipeline.extract import extract_text_doc
from vanban.pipeline.normalize import normalize
from vanban.pipeline.status import status_rows, task_status
from vanban.schemas import Deadline, Document, RelativeDue, Source, Task, TextDoc

ROOT = Path(__file__).resolve().parent.parent

_HEAD = """ỦY BAN NHÂN DÂN
TỈNH BẮC NINH
Số: 25/UBND-VP
Bắc Ninh, ngày 10 tháng 02 năm 2026

V/v triển khai công tác rà soát thủ tục hành chính

Kính gửi: Các sở, ban, ngành tỉnh.

"""
_FOOT = """
Nơi nhận:
- Như trên;
- Lưu: VT.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Nguyễn Văn An
"""


def _letter(body: str) -> Document:
    text = normalize(_HEAD + body + _FOOT).text
    return extract_text_doc(TextDoc(text), Source(path="x.txt", format="txt", sha256="0" * 64))


def _relative(text: str, doc_date: str | None = "2026-02-10") -> Deadline | None:
    return task_relative(text, 0, len(text), doc_date=doc_date)


# --- extraction -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount", "unit", "anchor"),
    [
        (
            "Các sở báo cáo trong 15 ngày làm việc kể từ ngày nhận được văn bản này.",
            15,
            "working_day",
            "receipt",
        ),
        (
            "Sở Y tế gửi kết quả trong vòng 30 ngày kể từ khi nhận được Kế hoạch.",
            30,
            "day",
            "receipt",
        ),
        ("Sở Nội vụ trình đề án trong thời hạn 05 ngày làm việc.", 5, "working_day", "unstated"),
        ("Sở Tài chính báo cáo trong 2 tuần kể từ khi kết thúc hội nghị.", 2, "week", "event"),
        ("Sở Xây dựng hoàn thành trong 3 tháng kể từ ngày ký.", 3, "month", "issue"),
        ("Hoàn trả trong thời hạn 30 ngày kể từ ngày rút tiền ký quỹ.", 30, "day", "event"),
        ("Sở Công Thương báo cáo trong 10 ngày kể từ ngày tiếp nhận hồ sơ.", 10, "day", "receipt"),
    ],
)
def test_a_time_counted_from_an_event_is_kept_relative(
    text: str, amount: int, unit: str, anchor: str
) -> None:
    d = _relative(text, doc_date=None)
    assert d is not None and d.relative is not None
    assert (d.relative.amount, d.relative.unit, d.relative.anchor) == (amount, unit, anchor)
    assert d.date is None
    assert text[d.span[0] : d.span[1]] == d.raw
    if anchor != "unstated":
        assert d.relative.anchor_raw and d.relative.anchor_raw in d.raw


def test_a_letter_keeps_the_relative_time_of_its_task_with_no_date() -> None:
    doc = _letter(
        "Đề nghị Sở Nội vụ rà soát, báo cáo kết quả về Ủy ban nhân dân tỉnh trong 15 ngày "
        "làm việc kể từ ngày nhận được văn bản này.\n"
    )
    (task,) = [t for t in doc.tasks if "rà soát" in t.text]
    d = task.deadline
    assert d is not None and d.date is None  # ANNOTATION §3: null for scoring
    assert d.relative == RelativeDue(
        amount=15, unit="working_day", anchor="receipt", anchor_raw="ngày nhận được văn bản"
    )
    assert doc.text[d.span[0] : d.span[1]] == d.raw
    assert str(R.DUE_RELATIVE) in task.rules
    Document.model_validate_json(doc.model_dump_json())  # valid against the contract


def test_a_time_counted_from_signing_has_the_letters_date_and_keeps_how() -> None:
    doc = _letter("Giao Sở Tư pháp hoàn thành việc rà soát trong 30 ngày kể từ ngày ký.\n")
    (task,) = [t for t in doc.tasks if "rà soát" in t.text]
    assert task.deadline is not None and task.deadline.date == "2026-03-12"
    assert task.deadline.relative is not None
    assert (task.deadline.relative.amount, task.deadline.relative.anchor) == (30, "issue")


def test_a_dated_deadline_beside_a_relative_phrase_keeps_its_date() -> None:
    doc = _letter(
        "Đề nghị Sở Y tế báo cáo kết quả trước ngày 20/3/2026, chậm nhất 30 ngày kể từ "
        "ngày nhận văn bản.\n"
    )
    (task,) = [t for t in doc.tasks if "báo cáo" in t.text]
    assert task.deadline is not None and task.deadline.date == "2026-03-20"
    assert task.deadline.relative is None
    assert str(R.DUE_RELATIVE) not in task.rules


# --- resolving ------------------------------------------------------------------------------


def test_working_days_skip_the_weekend_and_tet() -> None:
    rel = RelativeDue(amount=15, unit="working_day", anchor="receipt")
    # Received Wed 11/2/2026: Thu 12, Fri 13; 14-15 weekend; 16-20 Tết; 21-22 weekend;
    # 23-27 (7), 2-6 March (12), 9-11 March (15).
    assert resolve_relative(rel, date(2026, 2, 11)) == date(2026, 3, 11)
    days = RelativeDue(amount=15, unit="day", anchor="receipt")
    assert resolve_relative(days, date(2026, 2, 11)) == date(2026, 2, 26)


def test_the_holidays_are_read_only_for_a_due_date_in_working_days() -> None:
    """Importing the extractors leaves the `holidays` package out (~50 ms of every
    worker's start); the first due date counted in working days brings it in."""
    code = (
        "import sys\n"
        "from datetime import date\n"
        "import vanban.pipeline.extract\n"
        "from vanban.extractors.deadlines import resolve_relative\n"
        "from vanban.schemas import RelativeDue\n"
        "before = 'holidays' in sys.modules\n"
        "rel = RelativeDue(amount=15, unit='working_day', anchor='receipt')\n"
        "print(before, resolve_relative(rel, date(2026, 2, 11)), 'holidays' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "2026-03-11", "True"]


def _doc(deadline: Deadline, issued: str = "2026-02-10") -> Document:
    task = Task(task_id="d:1", label="1", text="Rà soát.", span=(0, 1), deadline=deadline)
    return Document(
        doc_id="d",
        source=Source(path="made/by-hand.txt", format="txt", sha256="0"),
        text="x",
        number="25/UBND-VP",
        issued_date=issued,
        tasks=[task],
    )


_RECEIPT = Deadline(
    relative=RelativeDue(amount=15, unit="working_day", anchor="receipt"),
    raw="trong 15 ngày làm việc kể từ ngày nhận được văn bản",
    span=(0, 1),
)


def test_status_resolves_a_receipt_relative_deadline_from_the_day_received() -> None:
    (task,) = _doc(_RECEIPT).tasks
    st = task_status(task, date(2026, 3, 12), 7, "2026-02-10", received=date(2026, 2, 11))
    assert (st.status, st.due, st.days_left) == ("overdue", "2026-03-11", -1)
    st = task_status(task, date(2026, 3, 5), 7, "2026-02-10", received=date(2026, 2, 11))
    assert (st.status, st.due) == ("due_soon", "2026-03-11")


def test_status_lists_an_unresolved_relative_deadline_with_its_phrase() -> None:
    (row,) = status_rows([_doc(_RECEIPT)], date(2026, 3, 12))
    assert (row.status, row.due, row.tracker_status) == ("relative", None, None)
    assert row.relative == "trong 15 ngày làm việc kể từ ngày nhận được văn bản"


def test_status_resolves_a_signing_relative_deadline_from_the_issued_date() -> None:
    signed = Deadline(
        relative=RelativeDue(amount=30, unit="day", anchor="issue", anchor_raw="ngày ký"),
        raw="trong 30 ngày kể từ ngày ký",
        span=(0, 1),
    )
    (row,) = status_rows([_doc(signed)], date(2026, 3, 1))
    assert (row.status, row.due, row.tracker_status) == (
        "not_yet_due",
        "2026-03-12",
        "open_within_deadline",
    )


def test_status_command_takes_the_day_received(tmp_path: Path) -> None:
    doc = _doc(_RECEIPT)
    (tmp_path / "documents.jsonl").write_text(doc.model_dump_json() + "\n", encoding="utf-8")
    args = ["status", str(tmp_path), "--as-of", "2026-03-12", "--json"]
    runs = [
        subprocess.run(
            [sys.executable, "-m", "vanban.pipeline.cli", *args, *extra],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
        for extra in ([], ["--received", "2026-02-11"])
    ]
    assert all(r.returncode == 0 for r in runs), [r.stderr for r in runs]
    before, after = (json.loads(r.stdout)["agencies"][0]["tasks"][0] for r in runs)
    assert (before["status"], before["relative"]) == ("relative", _RECEIPT.raw)
    assert (after["status"], after["due"], after["days_left"]) == ("overdue", "2026-03-11", -1)


def test_a_relative_deadline_survives_the_sqlite_export_for_status(tmp_path: Path) -> None:
    from vanban.pipeline.export_sqlite import read_sqlite, write_sqlite

    db = tmp_path / "vanban.sqlite"
    write_sqlite([_doc(_RECEIPT)], db)
    (task,) = read_sqlite(db)[0].tasks
    assert task.deadline is not None and task.deadline.relative == _RECEIPT.relative


def test_a_tables_time_column_gives_a_relative_time_limit(tmp_path: Path) -> None:
    body = (
        "Ủy ban nhân dân tỉnh giao nhiệm vụ như sau:\n\n"
        "| STT | Nội dung | Cơ quan chủ trì | Thời gian hoàn thành |\n"
        "|---|---|---|---|\n"
        "| 1 | Rà soát thủ tục hành chính lĩnh vực đất đai | Sở Nông nghiệp và Môi trường "
        "| 05 ngày làm việc |\n"
        "| 2 | Công bố danh mục thủ tục hành chính | Sở Tư pháp "
        "| Trong 10 ngày kể từ ngày nhận được văn bản |\n"
        "| 3 | Tổng hợp kết quả rà soát | Văn phòng Ủy ban nhân dân tỉnh | Trước ngày 31/3/2026 |\n"
    )
    doc = extract_file(tmp_path, "cv.txt", _HEAD + body + _FOOT)
    by_text = {t.text.split()[0]: t.deadline for t in doc.tasks}
    bare, received, dated = by_text["Rà"], by_text["Công"], by_text["Tổng"]
    assert bare is not None and bare.date is None and bare.relative is not None
    assert (bare.relative.amount, bare.relative.unit, bare.relative.anchor) == (
        5,
        "working_day",
        "unstated",
    )
    assert doc.text[bare.span[0] : bare.span[1]] == bare.raw == "05 ngày làm việc"
    assert received is not None and received.relative is not None
    assert (received.relative.amount, received.relative.anchor) == (10, "receipt")
    assert dated is not None and (dated.date, dated.relative) == ("2026-03-31", None)


def test_the_tasks_export_shows_a_time_limit_counted_from_an_event() -> None:
    from vanban.pipeline.export import tasks_frame

    doc = _letter(
        "Đề nghị Sở Nội vụ rà soát, báo cáo kết quả về Ủy ban nhân dân tỉnh trong 15 ngày "
        "làm việc kể từ ngày nhận được văn bản này.\n"
    )
    row = tasks_frame([doc]).iloc[0]
    assert row["deadline"] is None and row["deadline_relative"] == "15 working_day from receipt"
