"""Tables of a run for analysts: documents, tasks and assignments (pandas).

`vanban export OUT --format csv|parquet|xlsx|json` writes the three tables
(`--format sqlite`: a tracker's database, `vanban.pipeline.export_sqlite`).
Lists of agencies are joined with "; " (names hold commas: `Bộ Văn hóa, Thể
thao và Du lịch`), so every format carries the same flat columns. Vietnamese
stays readable: CSV is UTF-8 with a BOM, which spreadsheet programs need to
guess the encoding, and JSON is never ASCII-escaped. With `--redact` the
records are redacted first (`vanban.pipeline.redact`): phone numbers, e-mail
addresses and contact persons' names are masked in every cell.

CSV, Parquet and JSON keep the field keys as column names (scripts read them);
the XLSX workbook is for clerks: human headers (`header_label`), real date
cells, widths, a frozen header row, an autofilter, group codes beside what
they stand for, and a fourth sheet of the files that failed (`errors.jsonl`).
Parquet stores dates as dates. CSV and XLSX cells that a spreadsheet program
would run as a formula get a leading `'` (`formula_safe`); JSON is unchanged.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args

import pandas as pd
import pyarrow as pa
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from pydantic import ValidationError

from vanban.extractors.agencies import AgencyRegistry
from vanban.pipeline.copies import one_letter_once
from vanban.pipeline.i18n import N_, label
from vanban.pipeline.redact import redact_document
from vanban.schemas import Agency, Document, ErrorRecord, Task, UsageError

if TYPE_CHECKING:  # the streaming sheet's class lives in a private module
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

Format = Literal["csv", "parquet", "xlsx", "json", "sqlite"]
FORMATS: tuple[str, ...] = get_args(Format)
TABLES = ("documents", "tasks", "assignments")
SEP = "; "

# What a spreadsheet cell cannot hold (openpyxl refuses it with
# `IllegalCharacterError`): the C0 controls but tab and line breaks. A file
# name may carry them; they are dropped from the workbook's cells only.
_NOT_IN_CELLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with the characters a spreadsheet cell cannot hold removed."""
    return frame.map(lambda v: _NOT_IN_CELLS.sub("", v) if isinstance(v, str) else v)


# OWASP's CSV-injection rule: a text cell that begins with one of these is
# read as a formula by spreadsheet programs (`@cap-xa` in an agency cell is one).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with a `'` before every text cell a spreadsheet would run as a formula.

    Only text is touched: a number (negative or not) stays a number.
    """
    return frame.map(
        lambda v: f"'{v}" if isinstance(v, str) and v.startswith(_FORMULA_START) else v
    )


# The column keys of the tables and the table names, each with the English
# header a reader sees in the workbook, marked for the catalog. Every label goes
# through `header_label` (where it is translated); the keys themselves are the machine formats' columns.
HEADERS: dict[str, str] = {
    "documents": N_("Documents"),
    "tasks": N_("Tasks"),  # the sheet, and the documents' count of tasks
    "assignments": N_("Assignments"),
    "errors": N_("Errors"),
    "doc_id": N_("Letter ID"),
    "number": N_("Number"),
    "issuer": N_("Issuer"),
    "issuer_successor": N_("Issuer's successor"),
    "issued_date": N_("Issued"),
    "subject": N_("Subject"),
    "source_path": N_("File"),
    "copies": N_("Other copies"),
    "format": N_("Format"),
    "needs_ocr": N_("Needs OCR"),
    "doc_type": N_("Type"),
    "place": N_("Place"),
    "parent_issuer": N_("Parent body"),
    "parent_issuer_successor": N_("Parent body's successor"),
    "recipients": N_("Recipients"),
    "recipients_successors": N_("Recipients' successors"),
    "signer": N_("Signer"),
    "signer_title": N_("Signer's title"),
    "references": N_("References"),
    "unknown_agencies": N_("Agencies not in the registry"),
    "warnings": N_("Warnings"),
    "task_id": N_("Task ID"),
    "label": N_("Item"),
    "text": N_("Task"),
    "lead": N_("Lead"),
    "lead_successors": N_("Lead's successors"),
    "coordinate": N_("Coordinating"),
    "coordinate_successors": N_("Coordinating successors"),
    "report_to": N_("Report to"),
    "report_to_successors": N_("Report to successors"),
    "monitor": N_("Monitoring"),
    "monitor_successors": N_("Monitoring successors"),
    "agency": N_("Agency"),
    "agency_successor": N_("Agency's successor"),
    "agency_id": N_("Agency ID"),
    "jurisdiction": N_("Jurisdiction"),
    "known": N_("In the registry"),
    "via_group": N_("Via group"),
    "deadline": N_("Deadline"),
    "deadline_time": N_("Deadline time"),
    "deadline_relation": N_("Deadline relation"),
    "recurrence": N_("Recurrence"),
    "urgency": N_("Urgency"),
    "deadline_raw": N_("Deadline as written"),
    "deadline_relative": N_("Time limit from an event"),
    "path": N_("File"),
    "error": N_("Error code"),
    "message": N_("What to do"),
    "sha256": N_("SHA-256"),
}


def header_label(key: str) -> str:
    """The header a reader sees for a column or table key (the key itself when it has
    none), in the language of the messages (`vanban.pipeline.i18n`)."""
    return label(key, HEADERS.get(key))


def read_documents(out: Path, duplicates: bool = False) -> list[Document]:
    """The records of a run: `OUT/documents.jsonl`, or that file given directly.

    Each letter once (`vanban.pipeline.copies.one_letter_once`): its primary
    copy, whose `copies` lists the other files holding it; with `duplicates`,
    every file's record as written.
    """
    out = Path(out)
    path = out / "documents.jsonl" if out.is_dir() else out
    if path.is_file() and path.suffix != ".jsonl":
        from vanban.pipeline.export_sqlite import is_sqlite, read_sqlite

        if is_sqlite(path):  # `vanban export --format sqlite`: each letter once already
            return read_sqlite(path)
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
    return docs if duplicates else one_letter_once(docs)


def expand_group(
    code: str,
    date: str | None,
    registry: AgencyRegistry | None = None,
    jurisdiction: str | None = None,
) -> list[str] | None:
    """The names of the member bodies of a group code on `date`, or None when the
    registry cannot list them (`AgencyRegistry.members`, from data/registry/group_codes.csv).

    `@dia-phuong` on a 2026 letter gives the 34 provinces' People's Committees,
    on a 2024 letter the 63 of before the 2025 merger; `@so-nganh` of a letter of
    tỉnh X gives X's departments (each with X as its `jurisdiction` in `members`).
    """
    members = (registry or AgencyRegistry.default()).members(code, date, jurisdiction)
    return None if members is None else [m.name for m in members]


def _names(agencies: Iterable[Agency]) -> str:
    return SEP.join(a.name for a in agencies)


def _successors(agencies: Iterable[Agency]) -> str:
    """`old → new` for each body that has a successor (`vanban ingest --successor-as-of`)."""
    return SEP.join(f"{a.name} → {a.successor}" for a in agencies if a.successor)


def _has_successors(docs: Iterable[Document]) -> bool:
    return any(
        a.successor
        for d in docs
        for a in [d.issuer, d.parent_issuer, *d.recipients]
        + [a for t in d.tasks for a in (*t.lead, *t.coordinate, *t.report_to, *t.monitor)]
        if a is not None
    )


def _letter(doc: Document) -> dict[str, Any]:
    return {
        "doc_id": doc.doc_id,
        "number": doc.number,
        "issuer": doc.issuer.name if doc.issuer else None,
        "issuer_successor": doc.issuer.successor if doc.issuer else None,
        "issued_date": doc.issued_date,
        "subject": doc.subject,
    }


def unknown_agencies(doc: Document) -> list[Agency]:
    """The bodies a letter names that the registry does not know (`known` false)."""
    agencies = [doc.issuer, doc.parent_issuer, *doc.recipients]
    agencies += [a for t in doc.tasks for a in (*t.lead, *t.coordinate, *t.report_to, *t.monitor)]
    return [a for a in agencies if a is not None and not a.known]


def documents_frame(docs: Iterable[Document]) -> pd.DataFrame:
    """One row per letter; successor columns when some body has one."""
    docs = list(docs)
    rows = [
        {
            **_letter(d),
            "source_path": d.source.path,
            "copies": SEP.join(d.copies),
            "format": d.source.format,
            "needs_ocr": d.source.needs_ocr,
            "doc_type": d.doc_type,
            "place": d.place,
            "parent_issuer": d.parent_issuer.name if d.parent_issuer else None,
            "parent_issuer_successor": d.parent_issuer.successor if d.parent_issuer else None,
            "recipients": _names(d.recipients),
            "recipients_successors": _successors(d.recipients),
            "signer": d.signer.name if d.signer else None,
            "signer_title": d.signer.title if d.signer else None,
            "references": SEP.join(r.number for r in d.references),
            "tasks": len(d.tasks),
            "unknown_agencies": _names(unknown_agencies(d)),
            "warnings": SEP.join(d.warnings),
        }
        for d in docs
    ]
    return pd.DataFrame(rows, columns=_columns("documents", _has_successors(docs)))


def _deadline(t: Task) -> dict[str, Any]:
    d = t.deadline
    return {
        "deadline": d.date if d else None,
        "deadline_time": d.time if d else None,
        "deadline_relation": d.relation if d else None,
        "recurrence": d.recurrence if d else None,
        "urgency": d.urgency if d else None,
        "deadline_raw": d.raw if d else None,
        # `15 working_day from receipt`: a time limit counted from an event (Deadline.relative).
        "deadline_relative": (
            f"{d.relative.amount} {d.relative.unit} from {d.relative.anchor}"
            if d and d.relative
            else None
        ),
    }


def tasks_frame(docs: Iterable[Document]) -> pd.DataFrame:
    """One row per task, with its letter's number, issuer, date and subject beside it."""
    docs = list(docs)
    rows = [
        {
            **_letter(d),
            "task_id": t.task_id,
            "label": t.label,
            "text": t.text,
            "lead": _names(t.lead),
            "lead_successors": _successors(t.lead),
            "coordinate": _names(t.coordinate),
            "coordinate_successors": _successors(t.coordinate),
            "report_to": _names(t.report_to),
            "report_to_successors": _successors(t.report_to),
            "monitor": _names(t.monitor),
            "monitor_successors": _successors(t.monitor),
            **_deadline(t),
        }
        for d in docs
        for t in d.tasks
    ]
    return pd.DataFrame(rows, columns=_columns("tasks", _has_successors(docs)))


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
    docs = list(docs)
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
            base |= _deadline(t) | {"monitor": _names(t.monitor)}
            if not t.lead:
                rows.append(base | _assignee(None))
            for a in t.lead:
                members = (
                    reg.members(a.code, d.issued_date, a.jurisdiction) if a.code and reg else None
                )
                if members is None:
                    rows.append(base | _assignee(a))
                else:
                    rows += [base | _assignee(m, via=a.code) for m in members]
    return pd.DataFrame(rows, columns=_columns("assignments", _has_successors(docs)))


def _assignee(a: Agency | None, via: str | None = None) -> dict[str, Any]:
    """The assignment's agency columns: `(agency_id, jurisdiction)` tell bodies apart across letters."""
    keys = ("agency", "agency_successor", "agency_id", "jurisdiction", "known", "via_group")
    if a is None:
        return dict.fromkeys(keys)
    return dict(zip(keys, (a.name, a.successor, a.id, a.jurisdiction, a.known, via), strict=True))


def _columns(table: str, successors: bool = False) -> list[str]:
    """The table's columns; with `successors`, each agency column's successor column after it."""
    letter = ["doc_id", "number", "issuer", "issuer_successor", "issued_date", "subject"]
    deadline = [
        "deadline",
        "deadline_time",
        "deadline_relation",
        "recurrence",
        "urgency",
        "deadline_raw",
        "deadline_relative",
    ]
    task = ["task_id", "label", "text"]
    columns = {
        "documents": [
            *letter,
            *("source_path", "copies", "format", "needs_ocr", "doc_type", "place"),
            *("parent_issuer", "parent_issuer_successor", "recipients", "recipients_successors"),
            *("signer", "signer_title", "references", "tasks", "unknown_agencies", "warnings"),
        ],
        "tasks": [
            *letter,
            *task,
            *("lead", "lead_successors", "coordinate", "coordinate_successors"),
            *("report_to", "report_to_successors", "monitor", "monitor_successors"),
            *deadline,
        ],
        "assignments": [
            *letter,
            *task,
            *("agency", "agency_successor", "agency_id", "jurisdiction", "known", "via_group"),
            "monitor",
            *deadline,
        ],
        "errors": ["path", "error", "message", "sha256"],
    }[table]
    return columns if successors else [c for c in columns if "_successor" not in c]


def frames(docs: list[Document], *, expand_groups: bool = False) -> dict[str, pd.DataFrame]:
    return {
        "documents": documents_frame(docs),
        "tasks": tasks_frame(docs),
        "assignments": assignments_frame(docs, expand_groups=expand_groups),
    }


def read_errors(out: Path) -> list[ErrorRecord]:
    """The files of a run that yielded no letter (`OUT/errors.jsonl`); none without that file."""
    out = Path(out)
    path = out / "errors.jsonl" if out.is_dir() else out.with_name("errors.jsonl")
    if not path.is_file():
        return []
    errors: list[ErrorRecord] = []
    with path.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                errors.append(ErrorRecord.model_validate_json(line))
            except ValidationError as exc:
                raise UsageError(
                    "{path}, line {n}: not an error record ({reason})", path=path, n=n, reason=exc
                ) from exc
    return errors


def errors_frame(errors: Iterable[ErrorRecord]) -> pd.DataFrame:
    """One row per file that yielded no letter: its path, error code and what to do."""
    rows = [
        {"path": e.source.path, "error": e.error, "message": e.message, "sha256": e.source.sha256}
        for e in errors
    ]
    return pd.DataFrame(rows, columns=_columns("errors"))


DATE_COLUMNS = ("issued_date", "deadline")
_DATE_DTYPE = pd.ArrowDtype(pa.date32())
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: object) -> date | None:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:  # 2026-02-30
        return None


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with its date columns as `datetime.date` values, for Parquet and XLSX.

    A column holding anything but ISO dates stays text, so that no value is lost.
    """
    frame = frame.copy()
    for key in DATE_COLUMNS:
        if key in frame.columns:
            dates = frame[key].map(_iso_date)
            if (dates.notna() == frame[key].notna()).all():
                # Arrow's date type even when every value is null: one Parquet schema for every run.
                frame[key] = pd.array(dates.tolist(), dtype=_DATE_DTYPE)
    return frame


# The columns that hold agency names or group codes, alone or joined with SEP.
_AGENCY_COLUMNS = (
    *("issuer", "parent_issuer", "recipients", "unknown_agencies"),
    *("lead", "coordinate", "report_to", "monitor", "agency", "via_group"),
)


def label_groups(frame: pd.DataFrame, registry: AgencyRegistry | None = None) -> pd.DataFrame:
    """The table with each group code shown as what it stands for, the code kept after it:
    `@cap-xa` → `Ủy ban nhân dân cấp xã (@cap-xa)` (group_codes.csv of the registry)."""
    reg = registry or AgencyRegistry.default()

    def label(name: str) -> str:
        full = reg.group_name(name)
        return f"{full} ({name})" if full else name

    def cell(value: object) -> object:
        if not isinstance(value, str) or "@" not in value:
            return value
        return SEP.join(label(name) for name in value.split(SEP))

    frame = frame.copy()
    for key in _AGENCY_COLUMNS:
        if key in frame.columns:
            frame[key] = frame[key].map(cell)
    return frame


# How the workbook shows a date: the Vietnamese (and British) day/month/year.
DATE_FORMAT = "dd/mm/yyyy"
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WIDTH = (8, 60)  # a column's narrowest and widest, in characters


def _width(key: str, values: pd.Series) -> float:
    longest = values.dropna().map(lambda v: len(str(v))).max() if values.notna().any() else 0
    return float(min(max(len(header_label(key)), int(longest), _WIDTH[0]) + 2, _WIDTH[1]))


def _write_sheet(sheet: WriteOnlyWorksheet, frame: pd.DataFrame) -> None:
    """One table on a streaming sheet: bold frozen header, filter, widths, date cells."""
    last = get_column_letter(max(len(frame.columns), 1))
    for n, key in enumerate(frame.columns, 1):  # before any row: the sheet streams
        sheet.column_dimensions[get_column_letter(n)].width = _width(key, frame[key])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{len(frame) + 1}"
    header = []
    for key in frame.columns:
        cell = WriteOnlyCell(sheet, value=header_label(key))
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        header.append(cell)
    sheet.append(header)
    dates = [key in DATE_COLUMNS for key in frame.columns]
    for row in frame.astype(object).where(frame.notna(), None).itertuples(index=False):
        sheet.append([_date_cell(sheet, v) if d else v for v, d in zip(row, dates, strict=True)])


def _date_cell(sheet: WriteOnlyWorksheet, value: object) -> object:
    if not isinstance(value, date):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = DATE_FORMAT
    return cell


def write_xlsx(path: Path, tables: dict[str, pd.DataFrame]) -> Path:
    """One workbook, a sheet per table, for a clerk to open (see the module's docstring)."""
    book = Workbook(write_only=True)
    registry = AgencyRegistry.default()
    for name, frame in tables.items():
        # Controls out first: `\x01=1+1` would begin with `=` once they are gone.
        clean = formula_safe(_cell_safe(label_groups(typed(frame), registry)))
        _write_sheet(book.create_sheet(header_label(name)[:31]), clean)
    book.save(path)
    return path


def _write_table(to: Path, name: str, frame: pd.DataFrame, fmt: str) -> Path:
    path = to / f"{name}.{'jsonl' if fmt == 'json' else fmt}"
    if fmt == "csv":
        # CRLF rows (RFC 4180): the writer then quotes a cell holding a bare `\r`,
        # which would otherwise end the row for a reader.
        formula_safe(frame).to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    elif fmt == "parquet":
        typed(frame).to_parquet(path, index=False)
    else:
        # Not `to_json`: it writes `227\/CĐ-TTg` for `227/CĐ-TTg`.
        rows = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
        path.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
        )
    return path


def export(
    out: Path,
    fmt: str,
    to: Path | None = None,
    *,
    expand_groups: bool = False,
    redact: bool = False,
) -> list[Path]:
    """Write the tables of the run in `out` to `to` (default OUT/export); the paths written.

    csv, parquet and json give one file per table (documents, tasks, assignments);
    xlsx one workbook with a sheet per table and a fourth of the run's errors;
    sqlite a tracker's database, `vanban.sqlite` (`vanban.pipeline.export_sqlite`).
    Each letter counts once: its primary copy (`read_documents`).
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
        if fmt == "sqlite":
            from vanban.pipeline.export_sqlite import write_sqlite

            return [write_sqlite(docs, to / "vanban.sqlite", expand_groups=expand_groups)]
        if fmt == "xlsx":
            tables["errors"] = errors_frame(read_errors(out))
            return [write_xlsx(to / "vanban.xlsx", tables)]
        return [_write_table(to, name, frame, fmt) for name, frame in tables.items()]
    except OSError as exc:
        raise UsageError(
            "Cannot write to '{to}': {reason}. Choose another --to.", to=to, reason=exc.strerror
        ) from exc
