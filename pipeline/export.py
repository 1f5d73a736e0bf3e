"""Tables of a run for analysts: documents, tasks and assignments (pandas).

`vanban export OUT --format csv|parquet|xlsx|json` writes the three tables.
Lists of agencies are joined with "; " (names hold commas: `Bộ Văn hóa, Thể
thao và Du lịch`), so every format carries the same flat columns and a CSV
read back equals the table. Vietnamese stays readable: CSV is UTF-8 with a
BOM, which spreadsheet programs need to guess the encoding, and JSON is never
ASCII-escaped. With `--redact` the records are redacted first (`vanban.pipeline.redact`):
phone numbers, e-mail addresses and contact persons' names are masked in every cell.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal, get_args

import pandas as pd
from pydantic import ValidationError

from vanban.extractors.agencies import AgencyRegistry
from vanban.extractors.agency_data import ProvinceRow
from vanban.pipeline.redact import redact_document
from vanban.schemas import Agency, Document, Task, UsageError

Format = Literal["csv", "parquet", "xlsx", "json"]
FORMATS: tuple[str, ...] = get_args(Format)
TABLES = ("documents", "tasks", "assignments")
SEP = "; "

# Registry levels a group code stands for (ANNOTATION.md §4). The other codes
# (`@so-nganh`, `@cap-xa`, `@lien-quan`, …) name bodies the registry does not
# list one by one, so they stay as they are.
_GROUP_LEVELS: dict[str, tuple[str, ...]] = {
    "@bo-nganh": ("ministry", "government_agency"),
    "@dia-phuong": ("province",),
}

# What a spreadsheet cell cannot hold (openpyxl refuses it with
# `IllegalCharacterError`): the C0 controls but tab and line breaks. A file
# name may carry them; they are dropped from the workbook's cells only.
_NOT_IN_CELLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with the characters a spreadsheet cell cannot hold removed."""
    return frame.map(lambda v: _NOT_IN_CELLS.sub("", v) if isinstance(v, str) else v)


def read_documents(out: Path) -> list[Document]:
    """The records of a run: `OUT/documents.jsonl`, or that file given directly."""
    out = Path(out)
    path = out / "documents.jsonl" if out.is_dir() else out
    if not path.is_file():
        raise UsageError(
            "No records at '{path}': give the folder that `vanban ingest` wrote (its --out).",
            path=path,
        )
    docs: list[Document] = []
    with path.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                docs.append(Document.model_validate_json(line))
            except ValidationError as exc:
                raise UsageError(
                    "{path}, line {n}: not a document record ({reason})", path=path, n=n, reason=exc
                ) from exc
    return docs


def _in_force(row: ProvinceRow, date: str | None) -> bool:
    # The registry's own rule (AgencyRegistry.active), needed here per row
    # because a merged province's old and new rows share one name.
    if date is None:
        return not row.valid_to
    return (not row.valid_from or row.valid_from <= date) and (
        not row.valid_to or date <= row.valid_to
    )


def expand_group(
    code: str, date: str | None, registry: AgencyRegistry | None = None
) -> list[str] | None:
    """The member bodies of a group code on `date`, or None when the registry cannot list them.

    `@dia-phuong` on a 2026 letter gives the 34 provinces' People's Committees,
    on a 2024 letter the 63 of before the 2025 merger.
    """
    levels = _GROUP_LEVELS.get(code)
    if levels is None:
        return None
    reg = registry or AgencyRegistry.default()
    names: list[str] = []
    for level in levels:
        if level == "province":
            names += [p.committee for p in reg.data.provinces.values() if _in_force(p, date)]
        else:
            names += reg.active(level, date)
    return names


def _names(agencies: Iterable[Agency]) -> str:
    return SEP.join(a.name for a in agencies)


def _letter(doc: Document) -> dict[str, Any]:
    return {
        "doc_id": doc.doc_id,
        "number": doc.number,
        "issuer": doc.issuer.name if doc.issuer else None,
        "issued_date": doc.issued_date,
        "subject": doc.subject,
    }


def unknown_agencies(doc: Document) -> list[Agency]:
    """The bodies a letter names that the registry does not know (`known` false)."""
    agencies = [doc.issuer, doc.parent_issuer, *doc.recipients]
    agencies += [a for t in doc.tasks for a in (*t.lead, *t.coordinate, *t.report_to)]
    return [a for a in agencies if a is not None and not a.known]


def documents_frame(docs: Iterable[Document]) -> pd.DataFrame:
    """One row per letter."""
    rows = [
        {
            **_letter(d),
            "source_path": d.source.path,
            "format": d.source.format,
            "needs_ocr": d.source.needs_ocr,
            "doc_type": d.doc_type,
            "place": d.place,
            "parent_issuer": d.parent_issuer.name if d.parent_issuer else None,
            "recipients": _names(d.recipients),
            "signer": d.signer.name if d.signer else None,
            "signer_title": d.signer.title if d.signer else None,
            "references": SEP.join(r.number for r in d.references),
            "tasks": len(d.tasks),
            "unknown_agencies": _names(unknown_agencies(d)),
            "warnings": SEP.join(d.warnings),
        }
        for d in docs
    ]
    return pd.DataFrame(rows, columns=_columns("documents"))


def _deadline(t: Task) -> dict[str, Any]:
    d = t.deadline
    return {
        "deadline": d.date if d else None,
        "deadline_time": d.time if d else None,
        "deadline_relation": d.relation if d else None,
        "recurrence": d.recurrence if d else None,
        "urgency": d.urgency if d else None,
        "deadline_raw": d.raw if d else None,
    }


def tasks_frame(docs: Iterable[Document]) -> pd.DataFrame:
    """One row per task, with its letter's number, issuer, date and subject beside it."""
    rows = [
        {
            **_letter(d),
            "task_id": t.task_id,
            "label": t.label,
            "text": t.text,
            "lead": _names(t.lead),
            "coordinate": _names(t.coordinate),
            "report_to": _names(t.report_to),
            **_deadline(t),
        }
        for d in docs
        for t in d.tasks
    ]
    return pd.DataFrame(rows, columns=_columns("tasks"))


def assignments_frame(
    docs: Iterable[Document],
    *,
    expand_groups: bool = False,
    registry: AgencyRegistry | None = None,
) -> pd.DataFrame:
    """One row per task × lead agency; a task without a lead keeps one row with no agency.

    With `expand_groups`, a group code the registry can list becomes one row
    per member body on the letter's date, with the code kept in `via_group`.
    """
    reg = registry or (AgencyRegistry.default() if expand_groups else None)
    rows: list[dict[str, Any]] = []
    for d in docs:
        for t in d.tasks:
            base: dict[str, Any] = {
                **_letter(d),
                "task_id": t.task_id,
                "label": t.label,
                "text": t.text,
            }
            base |= _deadline(t)
            if not t.lead:
                rows.append(base | {"agency": None, "known": None, "via_group": None})
            for a in t.lead:
                members = expand_group(a.code, d.issued_date, reg) if a.code and reg else None
                if members is None:
                    rows.append(base | {"agency": a.name, "known": a.known, "via_group": None})
                else:
                    rows += [
                        base | {"agency": m, "known": True, "via_group": a.code} for m in members
                    ]
    return pd.DataFrame(rows, columns=_columns("assignments"))


def _columns(table: str) -> list[str]:
    letter = ["doc_id", "number", "issuer", "issued_date", "subject"]
    deadline = [
        "deadline",
        "deadline_time",
        "deadline_relation",
        "recurrence",
        "urgency",
        "deadline_raw",
    ]
    task = ["task_id", "label", "text"]
    return {
        "documents": [
            *letter,
            *("source_path", "format", "needs_ocr", "doc_type", "place", "parent_issuer"),
            *("recipients", "signer", "signer_title", "references", "tasks"),
            *("unknown_agencies", "warnings"),
        ],
        "tasks": [*letter, *task, "lead", "coordinate", "report_to", *deadline],
        "assignments": [*letter, *task, "agency", "known", "via_group", *deadline],
    }[table]


def frames(docs: list[Document], *, expand_groups: bool = False) -> dict[str, pd.DataFrame]:
    return {
        "documents": documents_frame(docs),
        "tasks": tasks_frame(docs),
        "assignments": assignments_frame(docs, expand_groups=expand_groups),
    }


def export(
    out: Path,
    fmt: str,
    to: Path | None = None,
    *,
    expand_groups: bool = False,
    redact: bool = False,
) -> list[Path]:
    """Write the three tables of the run in `out` to `to` (default OUT/export); the paths written.

    csv, parquet and json give one file per table; xlsx one workbook with a sheet per table.
    `redact` masks personal data in the records before the tables are built.
    """
    if fmt not in FORMATS:
        raise UsageError(
            "--format takes one of {formats}, not '{fmt}'.", formats=", ".join(FORMATS), fmt=fmt
        )
    docs = read_documents(out)
    if redact:
        docs = [redact_document(d) for d in docs]
    tables = frames(docs, expand_groups=expand_groups)
    to = Path(to) if to is not None else Path(out) / "export"
    try:
        to.mkdir(parents=True, exist_ok=True)
        if fmt == "xlsx":
            path = to / "vanban.xlsx"
            with pd.ExcelWriter(path, engine="openpyxl") as book:
                for name, frame in tables.items():
                    _cell_safe(frame).to_excel(book, sheet_name=name, index=False)
            return [path]
        paths = []
        for name, frame in tables.items():
            path = to / f"{name}.{'jsonl' if fmt == 'json' else fmt}"
            if fmt == "csv":
                frame.to_csv(path, index=False, encoding="utf-8-sig")
            elif fmt == "parquet":
                frame.to_parquet(path, index=False)
            else:
                # Not `to_json`: it writes `227\/CĐ-TTg` for `227/CĐ-TTg`.
                rows = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
                path.write_text(
                    "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8",
                )
            paths.append(path)
        return paths
    except OSError as exc:
        raise UsageError(
            "Cannot write to '{to}': {reason}. Choose another --to.", to=to, reason=exc.strerror
        ) from exc
