import json

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
