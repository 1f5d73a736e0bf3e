"""Score records against gold files by the rules of ANNOTATION.md §5.

Records are read as plain dicts in the shape of `schemas.Document`, not
validated: a scorer must still score a record an older or a half-broken
extractor wrote. A figure over nothing (no gold items and no predicted items)
is 1.0; a ratio whose denominator is empty while the other side is not is 0.0.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path, PurePosixPath
from typing import Any, cast, get_args

from rich.table import Table

from vanban.pipeline.evaluate_text import (
    agencies_match,
    agency_key,
    align,
    match_sets,
    normalize,
    number_key,
    subject_key,
)
from vanban.schemas import Agency, Deadline, Document, Reference, Signer, Source, Task, UsageError
from vanban.schemas.records import SourceFormat

FIELDS = (
    "doc_type",
    "number",
    "issuer",
    "place",
    "issued_date",
    "subject",
    "signer.name",
    "signer.title",
)
_NONE = "null"


def _ratio(num: int, den: int, vacuous: bool) -> float:
    if den:
        return num / den
    return 1.0 if vacuous else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Counts:
    """Set comparison tallies; precision/recall/F1 are micro over what was added."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp, vacuous=self.fn == 0)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn, vacuous=self.fp == 0)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)

    def to_dict(self) -> dict[str, Any]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1} | vars(self)


@dataclass
class SetScore:
    micro: Counts = field(default_factory=Counts)
    per_doc: list[Counts] = field(default_factory=list)

    def add(self, counts: Counts) -> None:
        self.micro.add(counts)
        self.per_doc.append(counts)

    def macro(self, metric: str) -> float:
        if not self.per_doc:
            return 1.0
        return sum(getattr(c, metric) for c in self.per_doc) / len(self.per_doc)

    def to_dict(self) -> dict[str, Any]:
        macro = {f"macro_{m}": self.macro(m) for m in ("precision", "recall", "f1")}
        return self.micro.to_dict() | macro | {"documents": len(self.per_doc)}


@dataclass
class Accuracy:
    correct: int = 0
    n: int = 0

    @property
    def value(self) -> float:
        return _ratio(self.correct, self.n, vacuous=True)


@dataclass
class TaskScore:
    gold: int = 0
    predicted: int = 0
    aligned: int = 0
    lead_exact: int = 0
    deadline_exact: int = 0
    strict: int = 0
    lead: Counts = field(default_factory=Counts)
    coordinate: Counts = field(default_factory=Counts)

    def add(self, other: TaskScore) -> None:
        """Sum another score into this one, tally by tally."""
        for f in fields(self):
            mine = getattr(self, f.name)
            if isinstance(mine, Counts):
                mine.add(getattr(other, f.name))
            else:
                setattr(self, f.name, mine + getattr(other, f.name))

    @property
    def detection(self) -> Counts:
        return Counts(self.aligned, self.predicted - self.aligned, self.gold - self.aligned)

    @property
    def strict_counts(self) -> Counts:
        return Counts(self.strict, self.predicted - self.strict, self.gold - self.strict)

    def rate(self, hits: int) -> float:
        """Share of aligned pairs; with no pairs, perfect only if there were no tasks at all."""
        return _ratio(hits, self.aligned, vacuous=self.gold == self.predicted == 0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "detection": self.detection.to_dict(),
            "lead": self.lead.to_dict() | {"exact": self.rate(self.lead_exact)},
            "coordinate": self.coordinate.to_dict(),
            "deadline": {"exact": self.rate(self.deadline_exact), "correct": self.deadline_exact},
            "lead_exact_count": self.lead_exact,
            "aligned": self.aligned,
            "strict": self.strict_counts.to_dict(),
        }


@dataclass(frozen=True)
class Miss:
    document: str
    field: str
    expected: str | None
    got: str | None

    def __str__(self) -> str:
        def show(value: str | None) -> str:
            return _NONE if value is None else repr(value)

        return (
            f"{self.document}  {self.field}: expected {show(self.expected)}, got {show(self.got)}"
        )


@dataclass
class EvalReport:
    gold_documents: int = 0
    matched_documents: int = 0
    records_without_gold: int = 0
    error_records: int = 0
    duplicate_records: int = 0
    # Letters left out because their record says the page still needs OCR.
    skipped_needs_ocr: list[str] = field(default_factory=list)
    fields: dict[str, Accuracy] = field(default_factory=lambda: {f: Accuracy() for f in FIELDS})
    recipients: SetScore = field(default_factory=SetScore)
    references: SetScore = field(default_factory=SetScore)
    tasks: TaskScore = field(default_factory=TaskScore)
    misses: list[Miss] = field(default_factory=list)

    @property
    def strict_task_f1(self) -> float:
        return self.tasks.strict_counts.f1

    def to_dict(self, details: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "strict_task_f1": self.strict_task_f1,
            "documents": {
                "gold": self.gold_documents,
                "matched": self.matched_documents,
                "records_without_gold": self.records_without_gold,
                "error_records": self.error_records,
                "duplicate_records": self.duplicate_records,
                "skipped_needs_ocr": list(self.skipped_needs_ocr),
            },
            "fields": {
                f: {"accuracy": a.value, "correct": a.correct, "n": a.n}
                for f, a in self.fields.items()
            },
            "recipients": self.recipients.to_dict(),
            "references": self.references.to_dict(),
            "tasks": self.tasks.to_dict(),
        }
        if details:
            out["misses"] = [vars(m) for m in self.misses]
        return out


# --- reading records ------------------------------------------------------------


def _agency(entry: Any) -> str | None:
    """A record agency is compared by its group code if it has one, else its name."""
    if isinstance(entry, dict):
        return entry.get("code") or entry.get("name")
    return entry if isinstance(entry, str) else None


def _deadline(entry: Any) -> str | None:
    if isinstance(entry, dict):
        if not entry.get("date"):
            return None
        return f"{entry['date']}T{entry['time']}" if entry.get("time") else entry["date"]
    return entry if isinstance(entry, str) else None


def _reference(entry: Any) -> str | None:
    return entry.get("number") if isinstance(entry, dict) else entry


def _fields(doc: dict[str, Any]) -> dict[str, str | None]:
    """The scored scalar fields of a record or a gold file (whose issuer is a plain string)."""
    signer = doc.get("signer") or {}
    values = {f: doc.get(f) for f in FIELDS if "." not in f}
    values["issuer"] = _agency(doc.get("issuer"))
    values["signer.name"] = signer.get("name")
    values["signer.title"] = signer.get("title")
    return values


def _same_value(name: str, expected: str | None, got: str | None) -> bool:
    if name == "issuer":
        e, g = agency_key(expected), agency_key(got)
        return e == g if e is None or g is None else agencies_match(e, g)
    key: Callable[[str | None], str] = {"number": number_key, "subject": subject_key}.get(
        name, normalize
    )
    return key(expected) == key(got)


# --- scoring ----------------------------------------------------------------------


def _compare_sets(
    pred: list[str], gold: list[str], key: Callable[[str], Any], same: Callable[[Any, Any], bool]
) -> tuple[Counts, list[str], list[str]]:
    """Set P/R counts plus the unmatched gold and predicted items, for the miss list."""

    def dedup(items: list[str]) -> list[tuple[str, Any]]:
        seen: dict[Any, str] = {}
        for item in items:
            k = key(item)
            if k is not None and k != "":
                seen.setdefault(k, item)
        return [(v, k) for k, v in seen.items()]

    p, g = dedup(pred), dedup(gold)
    pairs = match_sets([k for _, k in p], [k for _, k in g], same)
    hit_p, hit_g = {i for i, _ in pairs}, {j for _, j in pairs}
    missing = [t for j, (t, _) in enumerate(g) if j not in hit_g]
    extra = [t for i, (t, _) in enumerate(p) if i not in hit_p]
    return Counts(len(pairs), len(extra), len(missing)), missing, extra


def _agency_sets(pred: list[str], gold: list[str]) -> tuple[Counts, list[str], list[str]]:
    return _compare_sets(pred, gold, agency_key, agencies_match)


def _first_words(text: str, n: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:n]) + (" …" if len(parts) > n else "")


def _agencies(entries: Any) -> list[str]:
    return [a for a in map(_agency, entries or []) if a]


def _score_tasks(
    doc: str, pred: list[dict[str, Any]], gold: list[dict[str, Any]], ts: TaskScore
) -> list[Miss]:
    misses: list[Miss] = []
    ts.gold += len(gold)
    ts.predicted += len(pred)
    pairs = align([p.get("text") or "" for p in pred], [g["text"] for g in gold])
    for i, j in pairs:
        p, g, label = pred[i], gold[j], f"task {gold[j]['label']}"
        ts.aligned += 1
        exact: dict[str, bool] = {}
        for what, counts in (("lead", ts.lead), ("coordinate", ts.coordinate)):
            got = _agencies(p.get(what))
            pair = _agency_sets(got, g[what])[0]
            counts.add(pair)
            exact[what] = pair.fp == pair.fn == 0
            if not exact[what]:
                misses.append(Miss(doc, f"{label} {what}", "; ".join(g[what]), "; ".join(got)))
        got_deadline = _deadline(p.get("deadline"))
        lead_ok, deadline_ok = exact["lead"], got_deadline == g["deadline"]
        if not deadline_ok:
            misses.append(Miss(doc, f"{label} deadline", g["deadline"], got_deadline))
        ts.lead_exact += lead_ok
        ts.deadline_exact += deadline_ok
        ts.strict += lead_ok and deadline_ok
    hit_p, hit_g = {i for i, _ in pairs}, {j for _, j in pairs}
    misses += [
        Miss(doc, f"task {g['label']} not found", _first_words(g["text"]), None)
        for j, g in enumerate(gold)
        if j not in hit_g
    ]
    misses += [
        Miss(doc, f"task {p.get('label')} extra", None, _first_words(p.get("text") or ""))
        for i, p in enumerate(pred)
        if i not in hit_p
    ]
    return misses


def _score_document(
    gold: dict[str, Any], record: dict[str, Any] | None, report: EvalReport
) -> None:
    """Add one gold document to the report; with no record, every item is missed."""
    doc, rec, misses = gold["source"], record or {}, []
    got, expected = _fields(rec), _fields(gold)
    for name in FIELDS:
        ok = _same_value(name, expected[name], got[name])
        report.fields[name].n += 1
        report.fields[name].correct += ok
        if not ok:
            misses.append(Miss(doc, name, expected[name], got[name]))
    recipients = _agency_sets(_agencies(rec.get("recipients")), gold["recipients"])
    refs = [r for r in map(_reference, rec.get("references") or []) if r]
    references = _compare_sets(refs, gold["references"], number_key, str.__eq__)
    for name, score, (counts, missing, extra) in (
        ("recipients", report.recipients, recipients),
        ("references", report.references, references),
    ):
        score.add(counts)
        misses += [Miss(doc, f"{name} missing", m, None) for m in missing]
        misses += [Miss(doc, f"{name} extra", None, e) for e in extra]
    misses += _score_tasks(doc, rec.get("tasks") or [], gold["tasks"], report.tasks)
    if record is None:
        # Listing every item of an absent document would bury the one miss that matters.
        report.misses.append(Miss(doc, "record", "a record for this file", None))
    else:
        report.matched_documents += 1
        report.misses += misses


def _basename(path: str) -> str:
    return re.split(r"[\\/]", path)[-1]


def _load_gold(gold_dir: Path) -> dict[str, dict[str, Any]]:
    if not gold_dir.is_dir():
        raise UsageError("Gold folder not found: {gold_dir}", gold_dir=gold_dir)
    golds: dict[str, dict[str, Any]] = {}
    for path in sorted(gold_dir.glob("*.json")):
        try:
            gold = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise UsageError(
                "Gold file {path} is not valid JSON: {reason}", path=path, reason=e
            ) from e
        if gold.get("source") in golds:
            raise UsageError(
                "Two gold files name the source {source!r}: fix {path}",
                source=gold["source"],
                path=path,
            )
        golds[gold["source"]] = gold
    if not golds:
        raise UsageError("No gold files (*.json) in {gold_dir}", gold_dir=gold_dir)
    return golds


def evaluate(
    gold_dir: Path,
    records: Iterable[dict[str, Any]],
    *,
    skip_needs_ocr: bool = False,
    only: set[str] | None = None,
) -> EvalReport:
    """Score records against every gold file of `gold_dir` (ANNOTATION.md §5).

    `skip_needs_ocr` leaves out the letters whose record says they are scans
    still waiting for OCR, to score what the text layers give; `only` keeps
    the letters whose file stem it names (a half of the split).
    """
    return _evaluate(_load_gold(gold_dir), records, skip_needs_ocr=skip_needs_ocr, only=only)


def _evaluate(
    golds: dict[str, dict[str, Any]],
    records: Iterable[dict[str, Any]],
    *,
    skip_needs_ocr: bool,
    only: set[str] | None,
) -> EvalReport:
    if only is not None:
        golds = {k: v for k, v in golds.items() if Path(k).stem in only}
    else:
        golds = dict(golds)  # scans left out below are removed from this copy
    report = EvalReport(gold_documents=len(golds))
    by_source: dict[str, dict[str, Any]] = {}
    for record in records:
        if "error" in record and "doc_id" not in record:
            report.error_records += 1
            continue
        name = _basename(str((record.get("source") or {}).get("path", "")))
        if name not in golds:
            report.records_without_gold += only is None
        elif name in by_source:
            # The first record of a file is scored; a second one is a pipeline bug to report.
            report.duplicate_records += 1
            report.misses.append(Miss(name, "record", "one record", "a duplicate (ignored)"))
        else:
            by_source[name] = record
    if skip_needs_ocr:
        for name, record in list(by_source.items()):
            if (record.get("source") or {}).get("needs_ocr"):
                del by_source[name]
                del golds[name]
                report.skipped_needs_ocr.append(name)
        report.gold_documents = len(golds)
    for source, gold in golds.items():
        _score_document(gold, by_source.get(source), report)
    return report


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    if not path.is_file():
        raise UsageError("Records file not found: {path}", path=path)
    with path.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                raise UsageError(
                    "{path}, line {n}: not a JSON record ({reason})", path=path, n=n, reason=e
                ) from e
            if not isinstance(record, dict):
                raise UsageError("{path}, line {n}: a record must be a JSON object", path=path, n=n)
            yield record


def evaluate_files(
    gold_dir: Path, records_path: Path, *, skip_needs_ocr: bool = False
) -> EvalReport:
    if not records_path.is_file():  # checked before the gold, so a typo fails fast
        raise UsageError("Records file not found: {records_path}", records_path=records_path)
    return evaluate(gold_dir, read_records(records_path), skip_needs_ocr=skip_needs_ocr)


# --- gold as a record -------------------------------------------------------------


def gold_to_record(gold: dict[str, Any]) -> dict[str, Any]:
    """A valid `Document` dict carrying a gold file's values (spans and text left empty)."""

    def agency(name: str) -> Agency:
        return Agency(name=name, code=name if name.startswith("@") else None, raw=name)

    def deadline(value: str | None) -> Deadline | None:
        if value is None:
            return None
        date, _, time = value.partition("T")
        return Deadline(date=date, time=time or None, raw=value, span=(0, 0))

    suffix = PurePosixPath(gold["source"]).suffix.lstrip(".").lower()
    signer = gold.get("signer")
    doc = Document(
        doc_id=PurePosixPath(gold["source"]).stem,
        source=Source(
            path=gold["source"],
            format=cast(SourceFormat, suffix if suffix in get_args(SourceFormat) else "txt"),
            sha256="",
        ),
        text="",
        doc_type=gold.get("doc_type"),
        number=gold.get("number"),
        issuer=agency(gold["issuer"]) if gold.get("issuer") else None,
        place=gold.get("place"),
        issued_date=gold.get("issued_date"),
        subject=gold.get("subject"),
        recipients=[agency(a) for a in gold.get("recipients", [])],
        signer=Signer(name=signer.get("name"), title=signer.get("title")) if signer else None,
        references=[Reference(number=n, raw=n, span=(0, 0)) for n in gold.get("references", [])],
        tasks=[
            Task(
                task_id=f"t{i}",
                label=t["label"],
                text=t["text"],
                span=(0, 0),
                lead=[agency(a) for a in t["lead"]],
                coordinate=[agency(a) for a in t["coordinate"]],
                deadline=deadline(t.get("deadline")),
            )
            for i, t in enumerate(gold.get("tasks", []), 1)
        ],
    )
    return doc.model_dump(mode="json")


# --- rendering --------------------------------------------------------------------


def _rows(report: EvalReport) -> list[tuple[str, float, int]]:
    t = report.tasks
    det, strict = t.detection, t.strict_counts
    rows = [
        ("strict task F1", strict.f1, t.gold),
        ("strict task precision", strict.precision, t.predicted),
        ("strict task recall", strict.recall, t.gold),
        ("task detection precision", det.precision, t.predicted),
        ("task detection recall", det.recall, t.gold),
        ("task detection F1", det.f1, t.gold),
        ("task lead F1", t.lead.f1, t.lead.tp + t.lead.fn),
        ("task lead exact", t.rate(t.lead_exact), t.aligned),
        ("task coordinate F1", t.coordinate.f1, t.coordinate.tp + t.coordinate.fn),
        ("task deadline exact", t.rate(t.deadline_exact), t.aligned),
    ]
    rows += [(f"{name} accuracy", acc.value, acc.n) for name, acc in report.fields.items()]
    for name, score in (("recipients", report.recipients), ("references", report.references)):
        m = score.micro
        rows += [
            (f"{name} precision", m.precision, m.tp + m.fp),
            (f"{name} recall", m.recall, m.tp + m.fn),
            (f"{name} F1", m.f1, m.tp + m.fn),
            (f"{name} macro F1", score.macro("f1"), len(score.per_doc)),
        ]
    return rows


def _summary(report: EvalReport) -> str:
    return (
        f"{report.gold_documents} gold documents, {report.matched_documents} with a record; "
        f"{report.records_without_gold} records without gold, {report.error_records} error "
        f"records, {report.duplicate_records} duplicates ignored"
        + (
            f"; {len(report.skipped_needs_ocr)} scans waiting for OCR left out "
            f"({', '.join(report.skipped_needs_ocr)})"
            if report.skipped_needs_ocr
            else ""
        )
    )


def render_text(report: EvalReport, details: bool = False) -> str:
    lines = [_summary(report), "", f"{'metric':<28} {'value':>6} {'n':>6}"]
    lines += [f"{name:<28} {value:>6.3f} {n:>6}" for name, value, n in _rows(report)]
    if details:
        lines += ["", f"misses ({len(report.misses)}):"] + [f"  {m}" for m in report.misses]
    return "\n".join(lines)


def render_rich(report: EvalReport, details: bool = False) -> Table:
    table = Table(title=_summary(report), title_justify="left", caption_justify="left")
    table.add_column("metric")
    table.add_column("value", justify="right")
    table.add_column("n", justify="right")
    for name, value, n in _rows(report):
        table.add_row(
            name, f"{value:.3f}", str(n), style="bold" if name == "strict task F1" else None
        )
    if details and report.misses:
        table.caption = "\n".join(str(m) for m in report.misses)
    return table


# --- the held-out split -------------------------------------------------------------

HALVES = ("tune", "check")


def read_split(path: Path) -> dict[str, tuple[str, str]]:
    """`data/split.tsv`: letter id → (half, kind)."""
    if not path.is_file():
        raise UsageError("Split file not found: {path}", path=path)
    out: dict[str, tuple[str, str]] = {}
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["half"] not in HALVES:
                raise UsageError(
                    "{path}: half must be tune or check, not {half!r}", path=path, half=row["half"]
                )
            out[row["id"]] = (row["half"], row.get("kind") or "")
    return out


@dataclass
class SplitReport:
    """Scores of the `tune` and `check` halves, of both, and of each letter."""

    halves: dict[str, EvalReport]
    letters: dict[str, EvalReport]
    split: dict[str, tuple[str, str]]

    def value(self, half: str, metric: str) -> float:
        """One figure of `make eval`'s table: `value("check", "strict task F1")`."""
        for name, value, _ in _rows(self.halves[half]):
            if name == metric:
                return value
        raise KeyError(metric)

    def to_dict(self) -> dict[str, Any]:
        return {
            "halves": {h: r.to_dict() for h, r in self.halves.items()},
            "letters": {
                k: {"half": self.split.get(k, ("", ""))[0]} | r.to_dict()
                for k, r in self.letters.items()
            },
        }


def evaluate_split(
    gold_dir: Path, records_path: Path, split_path: Path, *, skip_needs_ocr: bool = False
) -> SplitReport:
    split = read_split(split_path)
    records = list(read_records(records_path))
    golds = _load_gold(gold_dir)  # read once, scored per half and per letter
    halves = {
        h: _evaluate(
            golds,
            records,
            skip_needs_ocr=skip_needs_ocr,
            only={k for k, (half, _) in split.items() if half == h},
        )
        for h in HALVES
        # a split with one half only (`data/blind/split.tsv`) prints no empty column
        if any(half == h for half, _ in split.values())
    }
    halves["all"] = _evaluate(golds, records, skip_needs_ocr=skip_needs_ocr, only=None)
    letters = {
        k: _evaluate(golds, records, skip_needs_ocr=skip_needs_ocr, only={k})
        for k in sorted(Path(g).stem for g in golds)
    }
    return SplitReport(halves, letters, split)


def _names(value: str | None) -> set[str]:
    return {" ".join(n.casefold().split()) for n in (value or "").split(";") if n.strip()}


def _agency_cause(what: str, expected: str | None, got: str | None) -> str:
    """Why a task's lead or coordinate differs from gold, by the shape of the two sets."""
    want, have = _names(expected), _names(got)
    if not have:
        return f"{what}: none given"
    if not want:
        return f"{what}: given where gold has none"
    if want < have:
        return f"{what}: a body too many"
    if have < want:
        return f"{what}: a body missing"
    if want & have:
        return f"{what}: some bodies right, some wrong"
    groups_w, groups_h = (
        {n for n in want if n.startswith("@")},
        {n for n in have if n.startswith("@")},
    )
    if groups_w == want and not groups_h:
        return f"{what}: a named body where gold has a group"
    if groups_h == have and not groups_w:
        return f"{what}: a group where gold names the body"
    return f"{what}: a wholly different body"


def miss_cause(miss: Miss, letter_has_tasks: bool = True) -> str:
    """The cause of one miss, in words a rule writer can count without reading
    the letter (`vanban eval --causes`): the kind of field and the shape of the
    difference (a task missed, one extra, a lead that names a different body …)."""
    what = miss.field
    if what.startswith("task "):
        if what.endswith(" extra"):
            return "task: extra" if letter_has_tasks else "task: extra, in a letter with none"
        if what.endswith(" not found"):
            return "task: not found"
        kind = what.rsplit(" ", 1)[-1]
        if kind in ("lead", "coordinate"):
            return _agency_cause(kind, miss.expected, miss.got)
        if miss.got is None:
            return "deadline: none given where gold has a date"
        if miss.expected is None:
            return "deadline: given where gold has none"
        if miss.expected[:4] != miss.got[:4]:
            return "deadline: wrong year"
        return "deadline: wrong date in the right year"
    if what.endswith((" missing", " extra")):
        return what
    if miss.got is None:
        return f"{what}: none given"
    if miss.expected is None:
        return f"{what}: given where gold has none"
    want, have = normalize(miss.expected), normalize(miss.got)
    if have and have in want:
        return f"{what}: cut short"
    if want and want in have:
        return f"{what}: runs on"
    return f"{what}: wrong"


def causes(report: SplitReport, half: str) -> Counter[str]:
    """How often each cause of a miss occurs in one half (`tune`, `check`, `all`)."""
    out: Counter[str] = Counter()
    for k, r in report.letters.items():
        if half != "all" and report.split.get(k, ("", ""))[0] != half:
            continue
        for m in r.misses:
            out[miss_cause(m, r.tasks.gold > 0)] += 1
    return out


def _kind_scores(report: SplitReport, half: str) -> dict[str, TaskScore]:
    """Task scores summed over the letters of each kind (the split file's column)."""
    out: dict[str, TaskScore] = {}
    for k, r in report.letters.items():
        letter_half, kind = report.split.get(k, ("", ""))
        if not r.gold_documents or (half != "all" and letter_half != half):
            continue
        out.setdefault(kind or "?", TaskScore()).add(r.tasks)
    return out


def render_kinds(report: SplitReport) -> str:
    """Strict task F1 of each kind of letter, per half (letters and gold tasks in brackets)."""
    names = [h for h in (*HALVES, "all") if h in report.halves]
    scores = {h: _kind_scores(report, h) for h in names}
    kinds = sorted(scores["all"], key=lambda k: -scores["all"][k].gold)
    lines = ["", "strict task F1 by kind of letter (gold tasks)"]
    lines.append(f"{'kind':<14}" + "".join(f"{h:>16}" for h in names))
    for kind in kinds:
        cells = ""
        for h in names:
            t = scores[h].get(kind)
            cells += f"{t.strict_counts.f1:>9.3f} ({t.gold:>4})" if t else f"{'-':>16}"
        lines.append(f"{kind[:14]:<14}{cells}")
    return "\n".join(lines)


def render_causes(report: SplitReport, top: int = 15) -> str:
    """The most common causes of misses, per half, side by side."""
    names = [h for h in (*HALVES, "all") if h in report.halves]
    counted = {h: causes(report, h) for h in names}
    order = [c for c, _ in counted["all"].most_common(top)]
    lines = ["", f"misses by cause (the {len(order)} most common over all letters)"]
    lines.append(f"{'cause':<52}" + "".join(f"{h:>8}" for h in names))
    lines += [f"{c:<52}" + "".join(f"{counted[h][c]:>8}" for h in names) for c in order]
    return "\n".join(lines)


def render_split(report: SplitReport, details: bool = False) -> str:
    names = list(report.halves)
    rows = {h: _rows(r) for h, r in report.halves.items()}
    lines = [f"{h}: {_summary(r)}" for h, r in report.halves.items()]
    lines += ["", f"{'metric':<28}" + "".join(f"{h:>8} {'n':>5}" for h in names)]
    for i, (metric, _, _) in enumerate(rows["all"]):
        cells = "".join(f"{rows[h][i][1]:>8.3f} {rows[h][i][2]:>5}" for h in names)
        lines.append(f"{metric:<28}{cells}")
    lines += [
        "",
        "per letter (tasks: gold / predicted; strict and detection F1; lead and deadline exact)",
    ]
    lines.append(
        f"{'letter':<28} {'half':<5} {'kind':<10} {'gold':>4} {'pred':>4} "
        f"{'strict':>6} {'detect':>6} {'lead':>6} {'deadl':>6}"
    )
    for k, r in report.letters.items():
        if not r.gold_documents:
            continue
        t = r.tasks
        half, kind = report.split.get(k, ("?", ""))
        lines.append(
            f"{k:<28} {half:<5} {kind[:10]:<10} {t.gold:>4} {t.predicted:>4} "
            f"{t.strict_counts.f1:>6.3f} {t.detection.f1:>6.3f} "
            f"{t.rate(t.lead_exact):>6.3f} {t.rate(t.deadline_exact):>6.3f}"
        )
    lines.append(render_kinds(report))
    if details:
        misses = report.halves["all"].misses
        lines += ["", f"misses ({len(misses)}):"] + [f"  {m}" for m in misses]
    return "\n".join(lines)
