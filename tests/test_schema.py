import json
import subprocess
import sys

from vanban.schemas.export import SCHEMA_DIR, SCHEMA_FILES, json_schemas, render


def test_schema_files_are_current() -> None:
    """The committed JSON Schemas match the models (run `make schema` after a change)."""
    for name, schema in json_schemas().items():
        path = SCHEMA_DIR / name
        assert path.exists(), f"{name} missing: run `make schema`"
        assert path.read_text(encoding="utf-8") == render(schema), (
            f"{name} is stale: run `make schema`"
        )


def test_schema_keeps_the_public_field_names() -> None:
    doc = json.loads((SCHEMA_DIR / "document.schema.json").read_text(encoding="utf-8"))
    for field in [
        "schema_version",
        "doc_id",
        "source",
        "text",
        "doc_type",
        "number",
        "number_parts",
        "issuer",
        "parent_issuer",
        "place",
        "issued_date",
        "subject",
        "recipients",
        "cc",
        "signer",
        "references",
        "tasks",
        "warnings",
    ]:
        assert field in doc["properties"], field
    task = doc["$defs"]["Task"]["properties"]
    assert {
        "task_id",
        "label",
        "text",
        "span",
        "lead",
        "coordinate",
        "report_to",
        "deadline",
    } <= set(task)
    deadline = doc["$defs"]["Deadline"]["properties"]
    assert {"date", "time", "relation", "recurrence", "raw", "span"} <= set(deadline)
    err = json.loads((SCHEMA_DIR / "error.schema.json").read_text(encoding="utf-8"))
    assert {"source", "error", "message"} <= set(err["properties"])
    assert set(SCHEMA_FILES) == {
        "document.schema.json",
        "task_row.schema.json",
        "error.schema.json",
    }


def test_the_record_models_are_imported_when_first_asked_for() -> None:
    """`vanban.schemas` gives its errors and text shapes at once and the record
    models (pydantic) on first use: a process that never makes a record does
    not build them. An unknown name is an AttributeError, as for any module."""
    code = (
        "import sys\n"
        "import vanban.schemas as s\n"
        "from vanban.schemas import ErrorCode, RawText, VanbanError\n"
        "before = 'pydantic' in sys.modules\n"
        "from vanban.schemas import Document\n"
        "from vanban.schemas.records import Document as D\n"
        "try:\n"
        "    s.NoSuchModel\n"
        "except AttributeError:\n"
        "    missing = True\n"
        "print(before, Document is D and 'pydantic' in sys.modules, missing)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True", "True"]
