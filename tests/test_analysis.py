"""What the notebooks show, computed by the package: coverage, tasks per agency, calendar."""

import pandas as pd

from vanban.pipeline.analysis import coverage, deadline_calendar, tasks_per_agency
from vanban.pipeline.export import assignments_frame
from vanban.schemas import Agency, Deadline, Document, Signer, Source, Task


def _task(label: str, lead: list[str], due: str | None) -> Task:
    return Task(
        task_id=f"d:{label}",
        label=label,
        text="Báo cáo.",
        span=(0, 1),
        lead=[Agency(name=n, raw=n) for n in lead],
        deadline=Deadline(date=due, raw=due, span=(0, 1)) if due else None,
    )


def _docs() -> list[Document]:
    src = Source(path="a.txt", format="txt", sha256="0")
    return [
        Document(
            doc_id="a",
            source=src,
            text="x",
            number="1/UBND",
            signer=Signer(name="Nguyễn Văn A"),
            tasks=[
                _task("1", ["Sở Nội vụ", "Sở Tư pháp"], "2026-03-01"),
                _task("2", ["Sở Nội vụ"], "2026-03-01"),
                _task("3", [], None),
            ],
        ),
        Document(doc_id="b", source=src, text="y", number=None),
    ]


def test_coverage_counts_letters_and_tasks_with_each_field() -> None:
    cov = coverage(_docs()).set_index(["level", "field"])
    assert cov.loc[("document", "number"), ["present", "total"]].tolist() == [1, 2]
    assert cov.loc[("document", "signer.name"), "coverage"] == 0.5
    assert cov.loc[("document", "issuer"), "present"] == 0
    assert cov.loc[("task", "lead"), ["present", "total"]].tolist() == [2, 3]
    assert cov.loc[("task", "deadline.date"), "present"] == 2


def test_tasks_per_agency_and_the_calendar_count_each_task_once() -> None:
    assignments = assignments_frame(_docs())
    per = tasks_per_agency(assignments).set_index("agency")
    assert per.loc["Sở Nội vụ"].tolist() == [2, 2]
    assert per.loc["Sở Tư pháp"].tolist() == [1, 1]
    cal = deadline_calendar(assignments)
    assert cal.set_index("agency")["tasks"].to_dict() == {"Sở Nội vụ": 2, "Sở Tư pháp": 1}


def test_tasks_per_agency_tells_two_provinces_departments_apart() -> None:
    frame = pd.DataFrame(
        {
            "agency": ["Sở Nội vụ", "Sở Nội vụ", "Sở Nội vụ", "Ủy ban nhân dân tỉnh Bắc Ninh"],
            "jurisdiction": ["bac-ninh-2025", "bac-ninh-2025", "ha-noi", "bac-ninh-2025"],
            "task_id": ["a:1", "a:2", "b:1", "a:3"],
            "deadline": ["2026-05-01", None, "2026-06-01", None],
        }
    )
    per = tasks_per_agency(frame).set_index("agency")["tasks"].to_dict()
    assert per == {
        "Sở Nội vụ @ Bắc Ninh": 2,
        "Sở Nội vụ @ Hà Nội": 1,
        "Ủy ban nhân dân tỉnh Bắc Ninh": 1,
    }
