"""Where each agency's tasks stand on a date: the tracker view.

Status is computed from the records and a date, never stored in them: the
same record is "not yet due" today and "overdue" next month.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Literal

import pandas as pd
from rich import box
from rich.markup import escape
from rich.table import Table

from vanban.extractors.agencies import AgencyRegistry
from vanban.extractors.deadlines import find_times
from vanban.pipeline.export import expand_group
from vanban.pipeline.i18n import N_, _
from vanban.schemas import Agency, Document, Task, UsageError

Status = Literal["overdue", "due_soon", "not_yet_due", "no_deadline", "recurring"]
STATUSES: tuple[Status, ...] = ("overdue", "due_soon", "not_yet_due", "recurring", "no_deadline")
NO_LEAD = "(no lead agency)"
STATUS_LABELS: dict[str, str] = {
    "overdue": N_("overdue"),
    "due_soon": N_("due soon"),
    "not_yet_due": N_("not yet due"),
    "recurring": N_("recurring"),
    "no_deadline": N_("no deadline"),
}
_STYLE = {
    "overdue": "bold red",
    "due_soon": "yellow",
    "not_yet_due": "green",
    "recurring": "cyan",
    "no_deadline": "dim",
}


@dataclass(frozen=True)
class TaskStatus:
    status: Status
    due: str | None = None  # YYYY-MM-DD
    days_left: int | None = None  # negative when overdue
    recurrence: str | None = None


@dataclass(frozen=True)
class StatusRow:
    agency: str
    via_group: str | None
    status: Status
    due: str | None
    due_time: str | None
    days_left: int | None
    recurrence: str | None
    doc_id: str
    number: str | None
    issuer: str | None
    issued_date: str | None
    task_id: str
    label: str
    text: str


def parse_date(value: str, option: str = "--as-of") -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(
            "{option} takes a date as YYYY-MM-DD, not '{value}'.", option=option, value=value
        ) from exc


def task_status(task: Task, as_of: date, within: int, doc_date: str | None = None) -> TaskStatus:
    """Overdue, due within `within` days of `as_of` (inclusive), not yet due, recurring, or none."""
    d = task.deadline
    if d is not None and d.recurrence:
        return TaskStatus("recurring", recurrence=d.recurrence)
    due: date | None = None
    if d is not None and d.date:
        try:
            due = date.fromisoformat(d.date)
        except ValueError:
            due = None
    if due is None:
        # The extractor leaves a purely periodic duty (`báo cáo hằng tháng`) without
        # a deadline; the task text still says it recurs.
        found = next((x for x in find_times(task.text, doc_date=doc_date) if x.recurrence), None)
        if found is not None:
            return TaskStatus("recurring", recurrence=found.recurrence)
        return TaskStatus("no_deadline")
    days = (due - as_of).days
    status: Status = "overdue" if days < 0 else "due_soon" if days <= within else "not_yet_due"
    return TaskStatus(status, due=due.isoformat(), days_left=days)


class _AgencyFilter:
    """Matches `--agency` by canonical name (any spelling the registry knows), by
    group code, or by part of the name; a group lead matches when the registry
    lists the agency among its members on the letter's date."""

    def __init__(self, wanted: str, registry: AgencyRegistry) -> None:
        info = registry.lookup(wanted)
        self.canonical: str = (info.canonical if info.known else None) or wanted.strip()
        self.needle = wanted.strip().casefold()
        self.registry = registry

    def direct(self, a: Agency) -> bool:
        return a.name == self.canonical or self.needle in a.name.casefold()

    def through_group(self, a: Agency, doc_date: str | None) -> bool:
        members = expand_group(a.code, doc_date, self.registry) if a.code else None
        return bool(members) and self.canonical in (members or [])


def status_rows(
    docs: Iterable[Document],
    as_of: date,
    *,
    within: int = 7,
    agency: str | None = None,
    registry: AgencyRegistry | None = None,
) -> list[StatusRow]:
    """One row per task × lead agency, sorted by agency, status, then due date."""
    if within < 0:
        raise UsageError("--within takes a number of days ≥ 0, not {within}.", within=within)
    match = _AgencyFilter(agency, registry or AgencyRegistry.default()) if agency else None
    rows: list[StatusRow] = []
    for doc in docs:
        for task in doc.tasks:
            st = task_status(task, as_of, within, doc.issued_date)
            leads: list[Agency | None] = [*task.lead] or [None]
            for lead in leads:
                via: str | None = None
                name = lead.name if lead else NO_LEAD
                if match is not None:
                    if lead is None:
                        continue
                    if not match.direct(lead):
                        if not match.through_group(lead, doc.issued_date):
                            continue
                        # Listed under the agency asked for, saying which group brought it in.
                        via, name = lead.code, match.canonical
                rows.append(
                    StatusRow(
                        agency=name,
                        via_group=via,
                        status=st.status,
                        due=st.due,
                        due_time=task.deadline.time if task.deadline else None,
                        days_left=st.days_left,
                        recurrence=st.recurrence,
                        doc_id=doc.doc_id,
                        number=doc.number,
                        issuer=doc.issuer.name if doc.issuer else None,
                        issued_date=doc.issued_date,
                        task_id=task.task_id,
                        label=task.label,
                        text=task.text,
                    )
                )
    order = {s: i for i, s in enumerate(STATUSES)}
    rows.sort(key=lambda r: (r.agency, order[r.status], r.due or "9999", r.task_id))
    return rows


def status_frame(rows: Iterable[StatusRow]) -> pd.DataFrame:
    frame = pd.DataFrame([asdict(r) for r in rows], columns=list(StatusRow.__dataclass_fields__))
    # Nullable integers: a task without a deadline has no days left, the others whole days.
    frame["days_left"] = frame["days_left"].astype("Int64")
    return frame


def status_json(rows: list[StatusRow], as_of: date, within: int) -> dict[str, Any]:
    """Per agency, its counts by status and its tasks (for `--json`)."""
    agencies: dict[str, dict[str, Any]] = {}
    for r in rows:
        entry = agencies.setdefault(
            r.agency, {"agency": r.agency, "counts": dict.fromkeys(STATUSES, 0), "tasks": []}
        )
        entry["counts"][r.status] += 1
        entry["tasks"].append({k: v for k, v in asdict(r).items() if k != "agency"})
    return {"as_of": as_of.isoformat(), "within_days": within, "agencies": list(agencies.values())}


def render_status(rows: list[StatusRow], as_of: date, within: int) -> Table:
    table = Table(
        title=_("vanban status as of {date} (due soon: ≤ {within} days)").format(
            date=as_of.isoformat(), within=within
        ),
        box=box.SIMPLE_HEAD,
    )
    # Fits an 80-column terminal: the texts wrap, the status and day count never do.
    table.add_column(_("agency"), min_width=12)
    table.add_column(_("status"), no_wrap=True)
    table.add_column(_("due"), max_width=10)
    table.add_column(_("days"), no_wrap=True, justify="right")
    table.add_column(_("letter § task"), min_width=20)
    for i, r in enumerate(rows):
        first = i == 0 or rows[i - 1].agency != r.agency
        last = i == len(rows) - 1 or rows[i + 1].agency != r.agency
        text = r.text if len(r.text) <= 120 else r.text[:119] + "…"
        letter = f"{r.number or r.doc_id} §{r.label}" + (
            " " + _("(via {group})").format(group=r.via_group) if r.via_group else ""
        )
        table.add_row(
            r.agency if first else "",
            f"[{_STYLE[r.status]}]{_(STATUS_LABELS[r.status])}[/]",
            (r.due or r.recurrence or "-") + (f" {r.due_time}" if r.due and r.due_time else ""),
            "-" if r.days_left is None else str(r.days_left),
            f"[bold]{escape(letter)}[/] {escape(text)}",
            end_section=last,
        )
    return table
