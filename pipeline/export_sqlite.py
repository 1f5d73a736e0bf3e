"""A tracker's database: `vanban export OUT --format sqlite` → `vanban.sqlite`.

A real SQLite database (the standard library's `sqlite3`) that a tracker can
query or `ATTACH`: each letter once (its primary copy; the other files that
hold it in `copies`), its tasks, every agency a task names once in
`agencies`, and `assignments` joining a task to an agency in a role (`lead`
chủ trì, `coordinate` phối hợp, `report_to` báo cáo, `monitor` theo dõi, đôn đốc). Keys are declared
(primary and foreign, checked: `PRAGMA foreign_keys=ON`), the columns a
tracker filters on are indexed, and `schema_version` says which layout the
file has (also in `PRAGMA user_version`).

    SELECT a.name, t.deadline, t.text FROM assignments s
      JOIN tasks t USING (task_id) JOIN agencies a USING (agency_id)
     WHERE s.role = 'lead' AND t.deadline < date('now') ORDER BY t.deadline;

`vanban status vanban.sqlite` reads it back (`read_sqlite`).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from vanban.pipeline.export import expand_group
from vanban.schemas import Agency, Deadline, Document, RelativeDue, Source, Task, UsageError

# 2: the role `monitor` (cơ quan theo dõi, đôn đốc). Layout 1 is 2 without it: still read.
SCHEMA_VERSION = 2
READABLE_VERSIONS = (1, SCHEMA_VERSION)
ROLES = ("lead", "coordinate", "report_to", "monitor")
_MAGIC = b"SQLite format 3\x00"

_SCHEMA = """
CREATE TABLE schema_version (
    version INTEGER NOT NULL,       -- the layout of this file; bumped when a table changes
    producer TEXT NOT NULL,         -- vanban and its version
    created TEXT NOT NULL           -- when the file was written (UTC, ISO 8601)
);
CREATE TABLE agencies (
    agency_id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,             -- canonical name, or the group code (`@bo-nganh`)
    code TEXT,                      -- group code (ANNOTATION.md §4), else null
    registry_id TEXT,               -- the agency registry's id, when the record carries it
    jurisdiction TEXT,              -- the province or ministry it belongs to, when known
    known INTEGER NOT NULL,         -- 1 when the registry knows the body
    UNIQUE (name, jurisdiction)
);
CREATE TABLE documents (
    doc_id TEXT PRIMARY KEY,
    number TEXT,                    -- số, ký hiệu
    doc_type TEXT,
    issuer_id INTEGER REFERENCES agencies (agency_id),
    issued_date TEXT,               -- YYYY-MM-DD
    subject TEXT,                   -- trích yếu
    place TEXT,
    signer TEXT,
    signer_title TEXT,
    source_path TEXT NOT NULL,      -- the primary copy: the best source
    source_format TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    needs_ocr INTEGER NOT NULL,
    ocr INTEGER NOT NULL,
    warnings TEXT NOT NULL          -- JSON list
);
CREATE TABLE copies (
    source_path TEXT PRIMARY KEY,   -- another file holding the same letter
    doc_id TEXT NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE
);
CREATE TABLE tasks (
    task_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,      -- order in the letter
    label TEXT NOT NULL,
    text TEXT NOT NULL,
    part TEXT,                      -- the attachment it comes from, if not the letter
    deadline TEXT,                  -- YYYY-MM-DD (thời hạn)
    deadline_time TEXT,             -- HH:MM
    deadline_relation TEXT,
    recurrence TEXT,
    urgency TEXT,
    deadline_raw TEXT,
    relative_amount INTEGER,        -- Deadline.relative: 30 in `30 ngày kể từ ngày nhận`
    relative_unit TEXT,             -- day, working_day, week, month, year
    relative_anchor TEXT,           -- receipt, issue, event, unstated (mốc tính)
    relative_anchor_raw TEXT
);
CREATE TABLE assignments (
    task_id TEXT NOT NULL REFERENCES tasks (task_id) ON DELETE CASCADE,
    agency_id INTEGER NOT NULL REFERENCES agencies (agency_id),
    role TEXT NOT NULL CHECK (role IN ('lead', 'coordinate', 'report_to', 'monitor')),
    position INTEGER NOT NULL,      -- order among the task's agencies in that role
    via_group TEXT,                 -- --expand-groups: the group code that brought it in
    PRIMARY KEY (task_id, role, agency_id)
);
CREATE INDEX documents_issued_date ON documents (issued_date);
CREATE INDEX documents_number ON documents (number);
CREATE INDEX documents_issuer ON documents (issuer_id);
CREATE INDEX copies_doc_id ON copies (doc_id);
CREATE INDEX tasks_doc_id ON tasks (doc_id);
CREATE INDEX tasks_deadline ON tasks (deadline);
CREATE INDEX assignments_agency ON assignments (agency_id, role);
"""


class _Agencies:
    """Each agency once, keyed by its name and jurisdiction."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.ids: dict[tuple[str, str | None], int] = {}

    def id_of(self, a: Agency) -> int:
        jurisdiction = getattr(a, "jurisdiction", None)
        key = (a.name, jurisdiction)
        if key not in self.ids:
            cur = self.db.execute(
                "INSERT INTO agencies (name, code, registry_id, jurisdiction, known)"
                " VALUES (?, ?, ?, ?, ?)",
                (a.name, a.code, getattr(a, "id", None), jurisdiction, int(a.known)),
            )
            self.ids[key] = int(cur.lastrowid or 0)
        return self.ids[key]

    def member(self, name: str) -> int:
        return self.id_of(Agency(name=name, raw=name))


def _document_row(d: Document, issuer_id: int | None) -> tuple[Any, ...]:
    return (
        d.doc_id,
        d.number,
        d.doc_type,
        issuer_id,
        d.issued_date,
        d.subject,
        d.place,
        d.signer.name if d.signer else None,
        d.signer.title if d.signer else None,
        d.source.path,
        d.source.format,
        d.source.sha256,
        int(d.source.needs_ocr),
        int(d.source.ocr),
        json.dumps(d.warnings, ensure_ascii=False),
    )


def _task_row(d: Document, i: int, t: Task) -> tuple[Any, ...]:
    dl = t.deadline
    rel = dl.relative if dl else None
    return (
        t.task_id,
        d.doc_id,
        i,
        t.label,
        t.text,
        t.part,
        *(
            (dl.date, dl.time, dl.relation, dl.recurrence, dl.urgency, dl.raw)
            if dl
            else (None,) * 6
        ),
        *((rel.amount, rel.unit, rel.anchor, rel.anchor_raw) if rel else (None,) * 4),
    )


def _assignments(
    d: Document, t: Task, agencies: _Agencies, expand_groups: bool
) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    seen: set[tuple[str, int]] = set()
    for role in ROLES:
        for a in getattr(t, role):
            members = expand_group(a.code, d.issued_date) if expand_groups and a.code else None
            found = (
                [(agencies.id_of(a), None)]
                if members is None
                else [(agencies.member(m), a.code) for m in members]
            )
            for agency_id, via in found:
                if (role, agency_id) not in seen:  # a body named twice in one role
                    seen.add((role, agency_id))
                    rows.append((t.task_id, agency_id, role, len(seen), via))
    return rows


def _fill(db: sqlite3.Connection, docs: Iterable[Document], expand_groups: bool) -> None:
    agencies = _Agencies(db)
    for d in docs:
        issuer_id = agencies.id_of(d.issuer) if d.issuer else None
        db.execute(
            f"INSERT INTO documents VALUES ({', '.join('?' * 15)})", _document_row(d, issuer_id)
        )
        db.executemany(
            "INSERT OR IGNORE INTO copies (source_path, doc_id) VALUES (?, ?)",
            [(p, d.doc_id) for p in d.copies],
        )
        db.executemany(
            f"INSERT INTO tasks VALUES ({', '.join('?' * 16)})",
            [_task_row(d, i, t) for i, t in enumerate(d.tasks)],
        )
        for t in d.tasks:
            db.executemany(
                "INSERT INTO assignments (task_id, agency_id, role, position, via_group)"
                " VALUES (?, ?, ?, ?, ?)",
                _assignments(d, t, agencies, expand_groups),
            )


def write_sqlite(docs: list[Document], path: Path, *, expand_groups: bool = False) -> Path:
    """Write the letters (each once: `read_documents`) to a new SQLite database at `path`.

    Written to a temporary file first and moved into place: a tracker that has
    the old file open never sees half a database.
    """
    from vanban import __version__

    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    try:
        db.execute("PRAGMA foreign_keys = ON")
        db.executescript(_SCHEMA)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        with db:
            db.execute(
                "INSERT INTO schema_version VALUES (?, ?, ?)",
                (SCHEMA_VERSION, f"vanban {__version__}", datetime.now(UTC).isoformat()),
            )
            _fill(db, docs, expand_groups)
        db.execute("ANALYZE")
    except sqlite3.IntegrityError as exc:
        raise UsageError(
            "The records do not fit a tracker's database ({reason}): read them one letter "
            "once (`read_documents`), or report it with the output folder.",
            reason=exc,
        ) from exc
    finally:
        db.close()
    os.replace(tmp, path)
    return path


def is_sqlite(path: Path) -> bool:
    """True for an SQLite database file (by its header, whatever its name)."""
    try:
        with Path(path).open("rb") as f:
            return f.read(len(_MAGIC)) == _MAGIC
    except OSError:
        return False


def read_sqlite(path: Path) -> list[Document]:
    """The letters of a database `write_sqlite` wrote, as far as it keeps them:
    no text and no spans; enough for `vanban status`."""
    db = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    try:
        version = db.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]
        if version not in READABLE_VERSIONS:
            raise UsageError(
                "'{path}' has layout {version}, this vanban reads {SCHEMA_VERSION}: "
                "export it again with this version.",
                path=path,
                version=version,
                SCHEMA_VERSION=SCHEMA_VERSION,
            )
        agencies = {r["agency_id"]: r for r in db.execute("SELECT * FROM agencies")}
        by_task: dict[str, dict[str, list[Agency]]] = {}
        for r in db.execute("SELECT * FROM assignments ORDER BY task_id, role, position"):
            roles = by_task.setdefault(r["task_id"], {role: [] for role in ROLES})
            roles[r["role"]].append(_agency(agencies[r["agency_id"]]))
        tasks: dict[str, list[Task]] = {}
        for r in db.execute("SELECT * FROM tasks ORDER BY doc_id, position"):
            tasks.setdefault(r["doc_id"], []).append(_task(r, by_task.get(r["task_id"], {})))
        copies: dict[str, list[str]] = {}
        for r in db.execute("SELECT * FROM copies ORDER BY rowid"):
            copies.setdefault(r["doc_id"], []).append(r["source_path"])
        return [
            _document(r, agencies, tasks.get(r["doc_id"], []), copies.get(r["doc_id"], []))
            for r in db.execute("SELECT * FROM documents ORDER BY rowid")
        ]
    except sqlite3.Error as exc:
        raise UsageError(
            "'{path}' is not a database of `vanban export --format sqlite` ({reason}).",
            path=path,
            reason=exc,
        ) from exc
    finally:
        db.close()


def _agency(r: sqlite3.Row) -> Agency:
    return Agency(name=r["name"], code=r["code"], raw=r["name"], known=bool(r["known"]))


def _relative(r: sqlite3.Row) -> RelativeDue | None:
    """`Deadline.relative` of a task row; none in a database written before it was kept."""
    # `in` on a Row looks at its values, not its column names
    if "relative_amount" not in r.keys() or r["relative_amount"] is None:  # noqa: SIM118
        return None
    return RelativeDue(
        amount=r["relative_amount"],
        unit=r["relative_unit"],
        anchor=r["relative_anchor"],
        anchor_raw=r["relative_anchor_raw"],
    )


def _task(r: sqlite3.Row, roles: dict[str, list[Agency]]) -> Task:
    deadline = None
    if r["deadline_raw"] is not None:
        deadline = Deadline(
            date=r["deadline"],
            time=r["deadline_time"],
            relation=r["deadline_relation"],
            recurrence=r["recurrence"],
            urgency=r["urgency"],
            relative=_relative(r),
            raw=r["deadline_raw"],
            span=(0, 0),
        )
    return Task(
        task_id=r["task_id"],
        label=r["label"],
        text=r["text"],
        span=(0, 0),
        part=r["part"],
        deadline=deadline,
        **{role: roles.get(role, []) for role in ROLES},
    )


def _document(
    r: sqlite3.Row, agencies: dict[int, sqlite3.Row], tasks: list[Task], copies: list[str]
) -> Document:
    issuer = _agency(agencies[r["issuer_id"]]) if r["issuer_id"] is not None else None
    return Document(
        doc_id=r["doc_id"],
        source=Source(
            path=r["source_path"],
            format=r["source_format"],
            sha256=r["source_sha256"],
            needs_ocr=bool(r["needs_ocr"]),
            ocr=bool(r["ocr"]),
        ),
        text="",
        doc_type=r["doc_type"],
        number=r["number"],
        issuer=issuer,
        place=r["place"],
        issued_date=r["issued_date"],
        subject=r["subject"],
        tasks=tasks,
        warnings=json.loads(r["warnings"]),
        copies=copies,
    )
