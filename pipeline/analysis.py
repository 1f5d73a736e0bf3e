"""What the analyst notebooks compute, kept here so that it is tested and shared.

Notebooks only call these and show the results: coverage of each field,
scores and misses against gold as tables, tasks per agency, and the deadline
calendar.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from vanban.pipeline.batch import ingest
from vanban.pipeline.evaluate import EvalReport
from vanban.schemas import Document

if TYPE_CHECKING:
    from matplotlib.axes import Axes

_DOC_FIELDS = (
    "doc_type",
    "number",
    "issuer",
    "place",
    "issued_date",
    "subject",
    "recipients",
    "signer.name",
    "signer.title",
    "references",
    "tasks",
)
_TASK_FIELDS = ("lead", "coordinate", "report_to", "deadline", "deadline.date")


def ensure_run(out: Path, folders: list[Path]) -> Path:
    """`out` holding a run of `folders`, ingesting them first when it has none (a clean clone)."""
    if not (Path(out) / "documents.jsonl").is_file():
        ingest([Path(f) for f in folders], Path(out))
    return Path(out)


def _present(value: Any) -> bool:
    return value is not None and value != [] and value != ""


def _get(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        obj = getattr(obj, part, None) if obj is not None else None
    return obj


def coverage(docs: Iterable[Document]) -> pd.DataFrame:
    """For each field, how many letters (or tasks) have a value: a field that is often
    empty is a field the extractor misses or the letters rarely carry."""
    docs = list(docs)
    tasks = [t for d in docs for t in d.tasks]
    rows = [
        ("document", f, sum(_present(_get(d, f)) for d in docs), len(docs)) for f in _DOC_FIELDS
    ]
    rows += [
        ("task", f, sum(_present(_get(t, f)) for t in tasks), len(tasks)) for f in _TASK_FIELDS
    ]
    frame = pd.DataFrame(rows, columns=["level", "field", "present", "total"])
    frame["coverage"] = (frame["present"] / frame["total"].where(frame["total"] > 0)).round(3)
    return frame


def scores(report: EvalReport) -> pd.DataFrame:
    """The headline figures of `vanban eval` as a table (metric, value, n)."""
    t = report.tasks
    rows: list[tuple[str, float, int]] = [
        ("strict task F1", t.strict_counts.f1, t.gold),
        ("task detection F1", t.detection.f1, t.gold),
        ("task lead F1", t.lead.f1, t.lead.tp + t.lead.fn),
        ("task coordinate F1", t.coordinate.f1, t.coordinate.tp + t.coordinate.fn),
        ("task deadline exact", t.rate(t.deadline_exact), t.aligned),
    ]
    rows += [(f"{name} accuracy", acc.value, acc.n) for name, acc in report.fields.items()]
    for name, score in (("recipients", report.recipients), ("references", report.references)):
        rows.append((f"{name} F1", score.micro.f1, score.micro.tp + score.micro.fn))
    return pd.DataFrame(rows, columns=["metric", "value", "n"])


def misses(report: EvalReport) -> pd.DataFrame:
    """Every difference from gold, one row each (document, field, expected, got)."""
    return pd.DataFrame(
        [asdict(m) for m in report.misses], columns=["document", "field", "expected", "got"]
    )


def tasks_per_agency(assignments: pd.DataFrame) -> pd.DataFrame:
    """Tasks led per agency, with how many of them carry a dated deadline. A body is its
    name with its jurisdiction (`Sở Nội vụ @ Bắc Ninh` apart from Hà Nội's), labelled as
    `vanban status` labels it."""
    frame = assignments.dropna(subset=["agency"]).copy()
    if "jurisdiction" in frame:
        frame["agency"] = [
            _labelled(a, j) for a, j in zip(frame["agency"], frame["jurisdiction"], strict=True)
        ]
    grouped = frame.groupby("agency").agg(
        tasks=("task_id", "nunique"), with_deadline=("deadline", "count")
    )
    return grouped.sort_values(["tasks", "with_deadline"], ascending=False).reset_index()


def _labelled(agency: str, jurisdiction: object) -> str:
    from vanban.extractors.agencies import AgencyRegistry
    from vanban.pipeline.status import name_label

    juris = jurisdiction if isinstance(jurisdiction, str) and jurisdiction else None
    return name_label(agency, juris, AgencyRegistry.default())


def deadline_calendar(assignments: pd.DataFrame, top: int = 15) -> pd.DataFrame:
    """Dated deadlines counted per (agency, day), for the `top` agencies with the most of them."""
    dated = assignments.dropna(subset=["agency", "deadline"]).copy()
    dated["deadline"] = pd.to_datetime(dated["deadline"], errors="coerce")
    dated = dated.dropna(subset=["deadline"])
    busiest = dated["agency"].value_counts().head(top).index
    dated = dated[dated["agency"].isin(busiest)]
    return dated.groupby(["agency", "deadline"]).size().rename("tasks").reset_index()


def plot_deadline_calendar(calendar: pd.DataFrame, ax: Axes, as_of: str | None = None) -> Axes:
    """One row per agency, a dot per due day sized by its tasks; a line at `as_of`."""
    agencies = sorted(calendar["agency"].unique(), reverse=True)
    ypos = calendar["agency"].map({a: i for i, a in enumerate(agencies)})
    ax.scatter(calendar["deadline"], ypos, s=30 + 30 * calendar["tasks"], alpha=0.7)
    for x, y, n in zip(calendar["deadline"], ypos, calendar["tasks"], strict=True):
        if n > 1:
            ax.annotate(str(n), (x, y), ha="center", va="center", fontsize=8, color="white")
    ax.set_yticks(
        range(len(agencies)), labels=[a if len(a) < 40 else a[:39] + "…" for a in agencies]
    )
    if as_of:
        ax.axvline(pd.Timestamp(as_of), color="red", linestyle="--", label=f"as of {as_of}")
        ax.legend(loc="lower right")
    ax.set_xlabel("deadline")
    ax.set_title("Deadlines per lead agency (dot size: tasks due that day)")
    ax.grid(axis="x", alpha=0.3)
    return ax
