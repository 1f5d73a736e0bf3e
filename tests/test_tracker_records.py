"""Issue 14, done when: a run over the dev corpus plus copies of some of its letters,
read as a tracker reads it (`tasks.jsonl`, the SQLite export, the XLSX), counts each
letter once, gives each task a unique id, gives every known agency its registry id
and every department of a province its province, and every record validates
against the published JSON Schemas (with `jsonschema`, not by hand)."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from jsonschema import Draft202012Validator, FormatChecker

from vanban.pipeline.batch import ingest
from vanban.pipeline.export import export

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "data" / "corpus" / "dev" / "raw"
SCHEMAS = ROOT / "schemas"
# A province's departments and sectors (`unit_types.csv`, scope province): `so-nv`, `cong-an`…
PROVINCE_UNITS = {
    row["id"]
    for row in csv.DictReader((ROOT / "data/registry/unit_types.csv").open(encoding="utf-8"))
    if row["scope"] == "province"
}
COPIED = 4  # letters read twice, under another name


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dev")
    letters = sorted(p for p in DEV.iterdir() if p.suffix in {".txt", ".docx"})
    for p in letters:
        shutil.copy(p, folder / p.name)
    for p in [p for p in letters if p.suffix == ".txt"][:COPIED]:
        shutil.copy(p, folder / f"copy of {p.name}")  # the same letter, another file
    out = tmp_path_factory.mktemp("out")
    ingest(folder, out, workers=2)
    export(out, "sqlite", out / "export")
    export(out, "xlsx", out / "export")
    return out


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=FormatChecker())


def _agencies(task: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for role in ("lead", "coordinate", "report_to"):
        yield from task[role]


def test_every_record_validates_against_the_published_schemas(run: Path) -> None:
    for jsonl, schema in (
        ("documents.jsonl", "document.schema.json"),
        ("tasks.jsonl", "task_row.schema.json"),
        ("errors.jsonl", "error.schema.json"),
    ):
        validator = _validator(schema)
        path = run / jsonl
        records = _lines(path) if path.exists() else []
        bad = [(i, e.message) for i, r in enumerate(records) for e in validator.iter_errors(r)]
        assert not bad, (jsonl, bad[:3])


def test_each_letter_is_counted_once_and_task_ids_are_unique(run: Path) -> None:
    docs = _lines(run / "documents.jsonl")
    primaries = [d for d in docs if d["duplicate_of"] is None]
    assert len(docs) - len(primaries) == COPIED
    assert len({d["doc_id"] for d in primaries}) == len(primaries)
    rows = _lines(run / "tasks.jsonl")
    ids = [r["task_id"] for r in rows]
    assert len(ids) == len(set(ids)) == sum(len(d["tasks"]) for d in primaries)
    db = sqlite3.connect(run / "export" / "vanban.sqlite")
    try:
        assert db.execute("SELECT COUNT(*) FROM documents").fetchone() == (len(primaries),)
        sql_ids = [r[0] for r in db.execute("SELECT task_id FROM tasks")]
        assert sorted(sql_ids) == sorted(ids)
    finally:
        db.close()
    book = openpyxl.load_workbook(run / "export" / "vanban.xlsx", read_only=True)
    sheet = book["Tasks"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    col = next(
        i for i, h in enumerate(header) if h and "task" in str(h).lower() and "id" in str(h).lower()
    )
    xlsx_ids = [r[col] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(str(i).lstrip("'") for i in xlsx_ids) == sorted(ids)


def test_every_known_agency_has_its_registry_id(run: Path) -> None:
    rows = _lines(run / "tasks.jsonl")
    missing = {a["name"] for r in rows for a in _agencies(r) if a["known"] and not a["id"]}
    assert not missing
    db = sqlite3.connect(run / "export" / "vanban.sqlite")
    try:
        cols = [r[1] for r in db.execute("PRAGMA table_info(agencies)")]
        assert "id" in cols or "agency_id" in cols
    finally:
        db.close()


def test_every_department_of_a_province_in_a_provincial_letter_has_its_province(run: Path) -> None:
    # A ministry's letter to `Sở Y tế các tỉnh` names a department of every province:
    # no one jurisdiction (docs/records.md).
    docs = [d for d in _lines(run / "documents.jsonl") if d["duplicate_of"] is None]
    provincial = [
        d for d in docs if d["issuer"] and d["issuer"]["id"] in PROVINCE_UNITS | {"ubnd", "hdnd"}
    ]
    assert len(provincial) > 10
    without = {
        (d["number"], a["name"])
        for d in provincial
        for t in d["tasks"]
        for a in _agencies(t)
        if a["id"] in PROVINCE_UNITS and not a["jurisdiction"]
    }
    assert not without
