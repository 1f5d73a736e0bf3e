"""Where each agency's tasks stand on a date: the tracker view.

Status is computed from the records and a date, never stored in them: the
same record is "not yet due" today and "overdue" next month. A task of a
letter issued after that date is `not_issued`: it did not exist yet, so it is
never due. Tasks a tracker marked done (`--done FILE`, `read_done`) leave the
list; with their done dates the rows say which of the four statuses trackers
report a task has (`tracker_status`): completed on time (hoàn thành đúng hạn),
completed late (hoàn thành quá hạn), open within the deadline (chưa hoàn
thành, trong hạn), open and overdue (chưa hoàn thành, quá hạn).

A time limit counted from an event (`Deadline.relative`: `trong 30 ngày kể từ
ngày nhận`) is resolved from the day of its event: the letter's receipt when
given (`received`, `--received DATE`), its issued date for one counted from its
signing; working days skip weekends and Vietnam's public holidays (Tết).
Unresolved, the task is listed as `relative`, with the phrase as printed.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from rich import box
from rich.markup import escape
from rich.table import Table

from vanban.extractors.agencies import AgencyRegistry
from vanban.extractors.deadlines import resolve_relative
from vanban.pipeline.i18n import N_, _
from vanban.schemas import Agency, Document, Task, UsageError

Status = Literal[
    "overdue",
    "due_soon",
    "not_yet_due",
    "no_deadline",
    "recurring",
    "relative",
    "not_issued",
    "done",
]
STATUSES: tuple[Status, ...] = (
    "overdue",
    "due_soon",
    "not_yet_due",
    "recurring",
    "relative",
    "no_deadline",
    "not_issued",
    "done",
)
TrackerStatus = Literal[
    "completed_on_time", "completed_late", "open_within_deadline", "open_overdue"
]
NO_LEAD = "(no lead agency)"
STATUS_LABELS: dict[str, str] = {
    "overdue": N_("overdue"),
    "due_soon": N_("due soon"),
    "not_yet_due": N_("not yet due"),
    "recurring": N_("recurring"),
    "relative": N_("relative"),
    "no_deadline": N_("no deadline"),
    "not_issued": N_("not issued"),
    "done": N_("done"),
}
_STYLE = {
    "overdue": "bold red",
    "due_soon": "yellow",
    "not_yet_due": "green",
    "recurring": "cyan",
    "relative": "magenta",
    "no_deadline": "dim",
    "not_issued": "dim",
    "done": "dim",
}


@dataclass(frozen=True)
class TaskStatus:
    status: Status
    due: str | None = None  # YYYY-MM-DD
    days_left: int | None = None  # negative when overdue
    recurrence: str | None = None
    relative: str | None = None  # `trong 30 ngày kể từ ngày nhận`, as printed


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
    jurisdiction: str | None = None  # the agency's province or ministry (registry id)
    done_date: str | None = None  # from --done, when given
    tracker_status: TrackerStatus | None = None  # of a task with a deadline
    relative: str | None = None  # a time limit counted from an event, as printed


def parse_date(value: str, option: str = "--as-of") -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(
            "{option} takes a date as YYYY-MM-DD, not '{value}'.", option=option, value=value
        ) from exc


def _iso(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def relative_due(task: Task, received: date | None, doc_date: str | None) -> date | None:
    """The due day of a task whose time limit is counted from an event
    (`Deadline.relative`): from `received` (ngày nhận) for one counted from the
    letter's receipt, from `doc_date` for one counted from its signing (ngày ký);
    None when the event's day is not known."""
    rel = task.deadline.relative if task.deadline else None
    if rel is None:
        return None
    base = {"receipt": received, "issue": _iso(doc_date)}.get(rel.anchor)
    return resolve_relative(rel, base) if base is not None else None


def task_status(
    task: Task,
    as_of: date,
    within: int,
    doc_date: str | None = None,
    received: date | None = None,
) -> TaskStatus:
    """Overdue, due within `within` days of `as_of` (inclusive), not yet due, recurring,
    relative (counted from an event whose day is not known), or none; `not_issued`
    when the letter is dated after `as_of`. `received`: the day the letter was
    received, from which a time limit counted from its receipt runs."""
    if doc_date and as_of.isoformat() < doc_date:
        return TaskStatus("not_issued")
    d = task.deadline
    if d is not None and d.recurrence:
        return TaskStatus("recurring", recurrence=d.recurrence)
    due = _iso(d.date) if d is not None else None
    if due is None and d is not None and d.relative is not None:
        due = relative_due(task, received, doc_date)
        if due is None:
            return TaskStatus("relative", relative=d.raw)
    if due is None:
        return TaskStatus("no_deadline")
    days = (due - as_of).days
    status: Status = "overdue" if days < 0 else "due_soon" if days <= within else "not_yet_due"
    return TaskStatus(status, due=due.isoformat(), days_left=days)


# `--agency "Sở Nội vụ @ Bắc Ninh"`: a body and the province or ministry it belongs to.
_AT_PLACE = re.compile(r"^(?P<name>.+?)\s*@\s*(?P<place>[^@]+)$")


def _same_named(registry: AgencyRegistry, juris: str | None) -> set[str]:
    """A province id with the ids of the provinces of its name (`tỉnh X` before and
    after its 2025 merger), or a ministry id alone."""
    provinces = registry.data.provinces
    if juris not in provinces:
        return {juris} if juris else set()
    return {p.id for p in provinces.values() if p.name == provinces[juris].name}


def _places(registry: AgencyRegistry, place: str) -> set[str]:
    """The jurisdiction ids an `@ PLACE` names: a province or ministry by any
    spelling the registry knows, or a registry id (`bac-ninh-2025`, `btp`)."""
    place = place.strip()
    if place in registry.data.provinces or place in registry.data.agencies:
        return {place}
    info = registry.lookup(place)
    if info.kind == "committee" and info.jurisdiction:
        return _same_named(registry, info.jurisdiction)
    if info.kind == "agency" and info.id:
        return {info.id}
    raise UsageError(
        "--agency: '{place}' after '@' is not a province or ministry the registry knows; "
        "write the body, then '@' and its province or ministry: 'Sở Nội vụ @ Bắc Ninh'.",
        place=place,
    )


def agency_label(a: Agency, registry: AgencyRegistry) -> str:
    """The name with its jurisdiction when the name does not carry it:
    `Sở Nội vụ @ Bắc Ninh`, but `Ủy ban nhân dân tỉnh Bắc Ninh` as it is."""
    return name_label(a.name, a.jurisdiction, registry)


def name_label(name: str, jurisdiction: str | None, registry: AgencyRegistry) -> str:
    """`agency_label` of a name and a jurisdiction id (a row of the exports' tables)."""
    place = registry.jurisdiction_name(jurisdiction)
    return name if place is None or place in name else f"{name} @ {place}"


class _AgencyFilter:
    """Matches `--agency` by canonical name (any spelling the registry knows), by
    registry id and jurisdiction, by group code, or by part of the name; a group
    lead matches when the registry lists the agency among its members on the
    letter's date. `NAME @ PLACE` keeps only the bodies of that province or
    ministry (`Sở Nội vụ @ Bắc Ninh`)."""

    def __init__(self, wanted: str, registry: AgencyRegistry) -> None:
        at = _AT_PLACE.match(wanted.strip())
        name = at["name"] if at else wanted
        info = registry.lookup(name)
        self.canonical: str = (info.canonical if info.known else None) or name.strip()
        self.needle = name.strip().casefold()
        self.registry = registry
        self.ident = info.id if info.known and info.kind != "group" else None
        self.own = _same_named(registry, info.jurisdiction)  # `Sở Y tế tỉnh X`: X's
        self.places = _places(registry, at["place"]) if at else None

    def _is(self, a: Agency) -> bool:
        by_id = (
            a.id is not None and a.id == self.ident and (not self.own or a.jurisdiction in self.own)
        )
        placed = self.places is None or a.jurisdiction in self.places
        return placed and (a.name == self.canonical or by_id)

    def direct(self, a: Agency) -> bool:
        return self._is(a) or (
            self.needle in a.name.casefold()
            and (self.places is None or a.jurisdiction in self.places)
        )

    def through_group(self, a: Agency, doc_date: str | None) -> Agency | None:
        """The member of group `a` that is the agency asked for, if any."""
        members = self.registry.members(a.code, doc_date, a.jurisdiction) if a.code else None
        return next((m for m in members or [] if self._is(m)), None)


def _assignees(
    task: Task,
    doc_date: str | None,
    reg: AgencyRegistry,
    match: _AgencyFilter | None,
    expand: bool,
) -> list[tuple[Agency | None, str | None]]:
    """The task's lead agencies, each once, as (agency, the group that brought it in).

    With `match`, only the agency asked for, directly or as a member of a group
    lead; with `expand`, a group the registry can list becomes its members on
    the letter's date. A body that leads directly is not listed again through a group.
    """
    if not task.lead:
        return [] if match is not None else [(None, None)]
    direct: list[tuple[Agency, str | None]] = []
    grouped: list[tuple[Agency, str | None]] = []
    for a in task.lead:
        if match is not None:
            if match.direct(a):
                direct.append((a, None))
            elif (member := match.through_group(a, doc_date)) is not None:
                grouped.append((member.model_copy(update={"name": match.canonical}), a.code))
            continue
        members = reg.members(a.code, doc_date, a.jurisdiction) if expand and a.code else None
        if members is None:
            direct.append((a, None))
        else:
            grouped += [(m, a.code) for m in members]
    out: list[tuple[Agency | None, str | None]] = []
    seen: set[tuple[str | None, str | None]] = set()
    for body, via in direct + grouped:
        keys: set[tuple[str | None, str | None]] = {
            (body.name, body.jurisdiction),
            (body.id, body.jurisdiction),
        }
        if via is not None and keys & seen:
            continue
        seen |= {k for k in keys if k[0] is not None}
        out.append((body, via))
    return out


def tracker_status(st: TaskStatus, done: bool, done_date: str | None) -> TrackerStatus | None:
    """Which of the four statuses trackers report a task has, when it can be told.

    A task done without a date was done by the date judged: on time when that
    date is not past its deadline, else unknown. An open task without a
    deadline (or of a letter not yet issued) has none of the four.
    """
    if done:
        if st.due is None:
            return "completed_on_time"
        if done_date:
            return "completed_on_time" if done_date <= st.due else "completed_late"
        return "completed_on_time" if st.days_left is not None and st.days_left >= 0 else None
    if st.status == "overdue":
        return "open_overdue"
    if st.status in ("due_soon", "not_yet_due"):
        return "open_within_deadline"
    return None


def status_rows(
    docs: Iterable[Document],
    as_of: date,
    *,
    within: int = 7,
    agency: str | None = None,
    registry: AgencyRegistry | None = None,
    expand_groups: bool = False,
    done: Mapping[str, str | None] | None = None,
    show_all: bool = False,
    received: date | None = None,
) -> list[StatusRow]:
    """One row per task × lead agency, sorted by agency, status, then due date.

    `expand_groups`: a group lead the registry can list (`@bo-nganh`, `@so-nganh` …)
    gives one row per member body on the letter's date, the code in `via_group`.
    Left out unless `show_all`: a task in `done` (task id → the date it was
    done, or None), whose status is then `done`, and a task of a letter issued
    after `as_of` (`not_issued`). A task appears once per agency, even when it
    names the agency directly and through a group. `received`: the day the
    letters were received, from which time limits counted from receipt run.
    """
    if within < 0:
        raise UsageError("--within takes a number of days ≥ 0, not {within}.", within=within)
    reg = registry or AgencyRegistry.default()
    match = _AgencyFilter(agency, reg) if agency else None
    done = done or {}
    rows: list[StatusRow] = []
    for doc in docs:
        for task in doc.tasks:
            is_done = task.task_id in done
            st = task_status(task, as_of, within, doc.issued_date, received)
            if not show_all and (is_done or st.status == "not_issued"):
                continue
            done_date = done.get(task.task_id)
            row = StatusRow(
                agency="",
                via_group=None,
                status="done" if is_done else st.status,
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
                done_date=done_date,
                tracker_status=tracker_status(st, is_done, done_date),
                relative=st.relative,
            )
            rows += [
                replace(
                    row,
                    agency=agency_label(lead, reg) if lead else NO_LEAD,
                    via_group=via,
                    jurisdiction=lead.jurisdiction if lead else None,
                )
                for lead, via in _assignees(task, doc.issued_date, reg, match, expand_groups)
            ]
    order = {s: i for i, s in enumerate(STATUSES)}
    rows.sort(key=lambda r: (r.agency, order[r.status], r.due or "9999", r.task_id))
    return rows


def read_done(path: Path) -> dict[str, str | None]:
    """The tasks a tracker marked done: task id → the date done (YYYY-MM-DD) or None.

    `path` holds task ids one a line; or a CSV with a `task_id` column and
    optionally a `done_date` one (a header-less CSV: id, then date); or JSON:
    a list of ids, a list of objects with `task_id` (and `done_date`), or an
    object mapping ids to dates (or null).
    """
    try:
        raw = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(
            "--done '{path}' cannot be read ({reason}): give a file of task ids.",
            path=path,
            reason=exc,
        ) from exc
    entries = _done_json(raw, path) if raw.lstrip()[:1] in ("[", "{") else _done_csv(raw)
    done: dict[str, str | None] = {}
    for task_id, day in entries:
        if task_id:
            done[task_id] = parse_date(day, "--done").isoformat() if day else None
    return done


def _done_json(raw: str, path: Path) -> list[tuple[str, str | None]]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise UsageError(
            "--done '{path}' is not valid JSON ({reason}).", path=path, reason=exc
        ) from exc
    if isinstance(data, dict):
        return [(str(k), v if isinstance(v, str) else None) for k, v in data.items()]
    if not isinstance(data, list):
        raise UsageError("--done '{path}': give a list of task ids or of objects.", path=path)
    out: list[tuple[str, str | None]] = []
    for item in data:
        if isinstance(item, dict):
            out.append((str(item.get("task_id") or ""), item.get("done_date") or None))
        else:
            out.append((str(item), None))
    return out


def _done_csv(raw: str) -> list[tuple[str, str | None]]:
    rows = [
        [c.strip() for c in r] for r in csv.reader(io.StringIO(raw)) if any(c.strip() for c in r)
    ]
    if rows and "task_id" in rows[0]:
        head = rows.pop(0)
        i, j = head.index("task_id"), head.index("done_date") if "done_date" in head else None
        return [(r[i], r[j] if j is not None and j < len(r) else None) for r in rows if i < len(r)]
    return [(r[0], r[1] if len(r) > 1 else None) for r in rows]


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


def status_csv(rows: Iterable[StatusRow]) -> str:
    """The rows as CSV (UTF-8), one line per task × agency, for a spreadsheet."""
    return str(status_frame(rows).to_csv(index=False))


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
            (r.due or r.recurrence or r.relative or "-")
            + (f" {r.due_time}" if r.due and r.due_time else ""),
            "-" if r.days_left is None else str(r.days_left),
            f"[bold]{escape(letter)}[/] {escape(text)}",
            end_section=last,
        )
    return table
