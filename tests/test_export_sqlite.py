"""`vanban export OUT --format sqlite`: a tracker's database, with keys and indexes."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from vanban.pipeline.export import export, read_documents
from vanban.pipeline.export_sqlite import SCHEMA_VERSION, is_sqlite, read_sqlite, write_sqlite
from vanban.pipeline.status import status_rows
from vanban.schemas import Agency, Deadline, Document, Source, Task, UsageError

ROOT = Path(__file__).resolve().parent.parent


def _agency(name: str) -> Agency:
    return Agency(name=name, code=name if name.startswith("@") else None, raw=name)


def _task(
    doc_id: str, label: str, lead: list[str], due: str | None = None, **roles: list[str]
) -> Task:
    return Task(
        task_id=f"{doc_id}:{label}",
        label=label,
        text=f"Việc {label} của văn bản {doc_id}.",
        span=(0, 1),
        lead=[_agency(a) for a in lead],
        coordinate=[_agency(a) for a in roles.get("coordinate", [])],
        report_to=[_agency(a) for a in roles.get("report_to", [])],
        deadline=Deadline(date=due, raw=f"trước ngày {due}", span=(0, 1)) if due else None,
    )


def _letters() -> list[Document]:
    issuer = _agency("Ủy ban nhân dân tỉnh Bắc Ninh")
    first = Document(
        doc_id="a1",
        source=Source(path="in/215.docx", format="docx", sha256="1"),
        text="x",
        number="215/UBND-VP",
        issuer=issuer,
        issued_date="2026-03-12",
        subject="Kiểm tra an toàn thực phẩm",
        tasks=[
            _task("a1", "1", ["Sở Y tế"], "2026-04-30", coordinate=["Sở Công Thương"]),
            _task("a1", "2", ["Sở Công Thương", "Sở Y tế"], "2026-04-15", report_to=[issuer.name]),
        ],
        copies=["in/215_scan.pdf"],
    )
    second = Document(
        doc_id="b2",
        source=Source(path="in/33.txt", format="txt", sha256="2"),
        text="x",
        number="33/VPCP-KGVX",
        issuer=_agency("Văn phòng Chính phủ"),
        issued_date="2026-02-02",
        tasks=[_task("b2", "1", ["@bo-nganh"], None)],
    )
    return [first, second]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    path = write_sqlite(_letters(), tmp_path / "vanban.sqlite")
    con = sqlite3.connect(path)
    yield con
    con.close()


def test_the_database_has_the_tracker_tables_and_a_schema_version(db: sqlite3.Connection) -> None:
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"documents", "tasks", "assignments", "agencies", "copies", "schema_version"} <= tables
    assert db.execute("SELECT version FROM schema_version").fetchone() == (SCHEMA_VERSION,)
    assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)


def test_keys_are_declared_and_hold(db: sqlite3.Connection) -> None:
    refs = {
        (table, r[2], r[3])
        for table in ("tasks", "assignments", "copies", "documents")
        for r in db.execute(f"PRAGMA foreign_key_list({table})")
    }
    assert ("tasks", "documents", "doc_id") in refs
    assert ("assignments", "tasks", "task_id") in refs
    assert ("assignments", "agencies", "agency_id") in refs
    assert ("documents", "agencies", "issuer_id") in refs
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    db.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO tasks (task_id, doc_id, position, label, text) VALUES ('z', 'nope', 0, '1', 't')"
        )
    with pytest.raises(sqlite3.IntegrityError):  # a task id is a key
        db.execute(
            "INSERT INTO tasks (task_id, doc_id, position, label, text) VALUES ('a1:1', 'a1', 9, '1', 't')"
        )


def _indexed(db: sqlite3.Connection, table: str) -> set[tuple[str, ...]]:
    """The leading columns of each index of `table`."""
    return {
        tuple(c[2] for c in db.execute(f"PRAGMA index_info({r[1]})"))
        for r in db.execute(f"PRAGMA index_list({table})")
    }


def test_what_a_tracker_filters_on_is_indexed(db: sqlite3.Connection) -> None:
    assert {("doc_id",), ("deadline",)} <= _indexed(db, "tasks")
    assert ("agency_id", "role") in _indexed(db, "assignments")
    assert {("issued_date",), ("number",)} <= _indexed(db, "documents")


def test_an_agency_is_stored_once_and_joined_by_role(db: sqlite3.Connection) -> None:
    names = [r[0] for r in db.execute("SELECT name FROM agencies ORDER BY name")]
    assert len(names) == len(set(names))
    lead_of_y_te = db.execute(
        "SELECT t.task_id FROM assignments s JOIN tasks t USING (task_id)"
        " JOIN agencies a USING (agency_id) WHERE a.name = 'Sở Y tế' AND s.role = 'lead'"
        " ORDER BY t.deadline"
    ).fetchall()
    assert lead_of_y_te == [("a1:2",), ("a1:1",)]
    roles = db.execute(
        "SELECT s.role, a.name FROM assignments s JOIN agencies a USING (agency_id)"
        " WHERE s.task_id = 'a1:2' ORDER BY s.role, s.position"
    ).fetchall()
    assert roles == [
        ("lead", "Sở Công Thương"),
        ("lead", "Sở Y tế"),
        ("report_to", "Ủy ban nhân dân tỉnh Bắc Ninh"),
    ]
    issuer = db.execute(
        "SELECT a.name FROM documents d JOIN agencies a ON a.agency_id = d.issuer_id"
        " WHERE d.doc_id = 'a1'"
    ).fetchone()
    assert issuer == ("Ủy ban nhân dân tỉnh Bắc Ninh",)
    assert db.execute("SELECT source_path, doc_id FROM copies").fetchall() == [
        ("in/215_scan.pdf", "a1")
    ]


def test_a_tracker_can_attach_it(db: sqlite3.Connection, tmp_path: Path) -> None:
    tracker = sqlite3.connect(":memory:")
    tracker.execute("ATTACH DATABASE ? AS vb", (str(tmp_path / "vanban.sqlite"),))
    assert tracker.execute("SELECT COUNT(*) FROM vb.tasks").fetchone() == (3,)
    tracker.close()


def test_groups_expand_to_their_members_on_the_letters_date(tmp_path: Path) -> None:
    path = write_sqlite(_letters(), tmp_path / "x.sqlite", expand_groups=True)
    con = sqlite3.connect(path)
    members = con.execute(
        "SELECT a.name FROM assignments s JOIN agencies a USING (agency_id)"
        " WHERE s.task_id = 'b2:1' AND s.via_group = '@bo-nganh'"
    ).fetchall()
    con.close()
    assert ("Bộ Tài chính",) in members and len(members) > 10


def test_status_reads_the_database_as_it_reads_the_records(tmp_path: Path) -> None:
    docs = _letters()
    path = write_sqlite(docs, tmp_path / "vanban.sqlite")
    assert is_sqlite(path) and not is_sqlite(Path(__file__))
    back = read_documents(path)
    assert back == read_sqlite(path)
    as_of = date(2026, 4, 20)
    shown = [(r.agency, r.task_id, r.status, r.due) for r in status_rows(docs, as_of)]
    assert [(r.agency, r.task_id, r.status, r.due) for r in status_rows(back, as_of)] == shown
    assert back[0].copies == ["in/215_scan.pdf"]


def test_a_task_id_twice_is_refused_with_what_to_do(tmp_path: Path) -> None:
    doc = _letters()[0]
    with pytest.raises(UsageError, match="one letter"):
        write_sqlite([doc, doc.model_copy(update={"doc_id": "other"})], tmp_path / "x.sqlite")
    assert not (tmp_path / "x.sqlite").exists()


def test_export_command_writes_the_database_and_status_reads_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "documents.jsonl").write_text(
        "".join(d.model_dump_json() + "\n" for d in _letters()), encoding="utf-8"
    )
    [path] = export(out, "sqlite")
    assert path == out / "export" / "vanban.sqlite"
    export(out, "sqlite")  # written again over the first: replaced whole
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "vanban",
            "status",
            str(path),
            "--as-of",
            "2026-04-20",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    agencies = {a["agency"] for a in json.loads(run.stdout)["agencies"]}
    assert agencies == {"Sở Y tế", "Sở Công Thương", "@bo-nganh"}
