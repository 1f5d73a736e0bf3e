"""`Deadline.recurrence`: the deadline extractor records how recurring work recurs
(issue 14), and `status` reads it instead of the task's text."""

from __future__ import annotations

from datetime import date

import pytest

from vanban.extractors import rules as R
from vanban.extractors.deadlines import task_deadline, task_recurrence, with_recurrence
from vanban.pipeline.status import task_status
from vanban.schemas import Deadline, Task


def _recurrence(text: str, doc_date: str | None = "2026-03-01") -> str | None:
    d = task_recurrence(text, 0, len(text), doc_date=doc_date)
    return d.recurrence if d else None


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Các xã báo cáo kết quả hằng tháng về Sở.", "monthly"),
        ("Định kỳ hằng quý, Sở tổng hợp tình hình.", "quarterly"),
        ("Cập nhật dữ liệu hàng tuần trên hệ thống.", "weekly"),
        ("Tổ chức sơ kết hằng năm.", "yearly"),
        ("Báo cáo số liệu hàng ngày.", "daily"),
        ("Các Sở gửi báo cáo trước ngày 25 hằng tháng.", "monthly:day=25"),
        ("Trước ngày 20 tháng 12 hằng năm, các Sở gửi kế hoạch.", "yearly:month=12,day=20"),
        ("Báo cáo định kỳ 6 tháng về Ủy ban nhân dân tỉnh.", "every:6months"),
        ("Kiểm tra 3 tháng một lần các cơ sở.", "every:3months"),
        ("Định kỳ báo cáo kết quả thực hiện.", "periodic"),
        ("Báo cáo vào tháng cuối quý.", "quarterly"),
    ],
)
def test_recurring_work_gets_its_rule(text: str, rule: str) -> None:
    assert _recurrence(text) == rule
    d = task_recurrence(text, 0, len(text), doc_date="2026-03-01")
    assert d is not None and d.date is None and text[d.span[0] : d.span[1]] == d.raw


@pytest.mark.parametrize(
    "text",
    [
        "Sở Tài chính chủ trì làm việc với ngân hàng thương mại.",
        "Kiểm tra các mặt hàng thiết yếu trên thị trường.",
        "Báo cáo kết quả trước ngày 30/4/2026.",
    ],
)
def test_goods_and_one_off_work_do_not_recur(text: str) -> None:
    assert _recurrence(text) is None


def test_a_recurring_step_of_the_body_that_receives_the_work_is_not_the_tasks() -> None:
    text = "Các xã gửi số liệu về Sở Tài chính để tổng hợp, báo cáo hằng tháng."
    assert _recurrence(text) is None


def test_a_task_with_a_due_date_keeps_it_and_no_recurrence_is_added() -> None:
    text = "Hoàn thành trong tháng 5/2026. Định kỳ báo cáo kết quả hằng năm."
    due = task_deadline(text, 0, len(text), doc_date="2026-03-01")
    task = Task(task_id="d:1", label="1", text=text, span=(0, len(text)), deadline=due)
    (out,) = with_recurrence(text, [task], doc_date="2026-03-01")
    assert out.deadline is not None and out.deadline.date == "2026-05-31"
    assert out.deadline.recurrence is None


def test_a_task_without_a_time_gets_its_recurrence_and_the_rule_that_gave_it() -> None:
    text = "Sở Nội vụ báo cáo tình hình trước ngày 15 hằng tháng."
    task = Task(task_id="d:1", label="1", text=text, span=(0, len(text)))
    (out,) = with_recurrence(text, [task], doc_date="2026-03-01")
    assert out.deadline is not None
    assert (out.deadline.date, out.deadline.recurrence) == (None, "monthly:day=15")
    assert str(R.DUE_RECURRING) in out.rules


def test_status_reads_the_recurrence_not_the_text() -> None:
    text = "Định kỳ hằng tháng báo cáo kết quả về Sở Nội vụ."
    bare = Task(task_id="d:1", label="1", text=text, span=(0, len(text)))
    assert task_status(bare, date(2026, 3, 10), 7, "2026-02-01").status == "no_deadline"
    recurring = bare.model_copy(
        update={"deadline": Deadline(recurrence="monthly", raw="hằng tháng", span=(8, 18))}
    )
    st = task_status(recurring, date(2026, 3, 10), 7, "2026-02-01")
    assert (st.status, st.recurrence) == ("recurring", "monthly")
