"""The published record contract (issue 14): every record `vanban ingest` writes
validates against its JSON Schema file (with `jsonschema`, not by hand), every
record says its contract version and producer, the README's list of fields is
the schema's, and values vanban names are English with the printed words kept."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

import vanban
from vanban.pipeline.batch import ingest
from vanban.schemas import SCHEMA_VERSION
from vanban.schemas.export import (
    OUTPUTS,
    README_BEGIN,
    SCHEMA_DIR,
    readme_with_fields,
    record_fields_markdown,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"

LETTER = """ỦY BAN NHÂN DÂN
TỈNH X
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 45/UBND-VP
Tỉnh X, ngày 10 tháng 3 năm 2026
V/v báo cáo tình hình thực hiện
Kính gửi: Sở Nội vụ; Sở Tài chính.

1. Sở Nội vụ khẩn trương rà soát và báo cáo kết quả trước ngày 30/4/2026.
2. Sở Tài chính báo cáo tiến độ giải ngân trước ngày 25 hằng tháng.
3. Định kỳ hằng quý, Sở Nội vụ tổng hợp tình hình gửi Ủy ban nhân dân tỉnh.

Nơi nhận:
- Như trên;
- Chủ tịch UBND tỉnh (để b/c);
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Văn An
"""

NOTE = """ghi chú riêng của anh Minh
nhớ gọi lại cho chị Lan, mua thêm giấy in
chuẩn bị nội dung trình bày cho buổi sinh hoạt chi đoàn tuần sau
"""


def _validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def _problems(validator: Draft202012Validator, rec: dict[str, Any]) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(rec)
    ]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An ingest of the samples, of letters written here, and of files that fail."""
    src = tmp_path_factory.mktemp("letters")
    for sample in SAMPLES.iterdir():
        (src / sample.name).write_bytes(sample.read_bytes())
    (src / "cv_45_tinh_x.txt").write_text(LETTER, encoding="utf-8")
    (src / "ghi_chu.txt").write_text(NOTE, encoding="utf-8")
    (src / "junk.txt").write_bytes("\ufeff".encode("utf-32-le") + bytes(range(1, 250)) * 4)
    (src / "empty.txt").write_bytes(b"")
    (src / "table.xlsx").write_bytes(b"PK\x03\x04 not really")
    (src / "copy_of_45.txt").write_text(LETTER, encoding="utf-8")  # a duplicate
    out = tmp_path_factory.mktemp("out")
    ingest(src, out, workers=1)
    return out


@pytest.mark.parametrize("schema_file", sorted(OUTPUTS))
def test_every_record_of_a_run_validates_against_its_published_schema(
    run: Path, schema_file: str
) -> None:
    validator = _validator(schema_file)
    records = _lines(run / OUTPUTS[schema_file])
    assert records, f"no records in {OUTPUTS[schema_file]}"
    for rec in records:
        assert not _problems(validator, rec), (rec.get("source"), _problems(validator, rec))


def test_every_record_says_its_contract_version_and_producer(run: Path) -> None:
    producer = f"vanban {vanban.__version__}"
    for output in OUTPUTS.values():
        for rec in _lines(run / output):
            assert (rec["schema_version"], rec["producer"]) == (SCHEMA_VERSION, producer)


def test_the_schemas_reject_a_record_that_breaks_the_contract(run: Path) -> None:
    doc = next(d for d in _lines(run / "documents.jsonl") if d["tasks"])
    validator = _validator("document.schema.json")
    bad_date = {**doc, "issued_date": "10/3/2026"}
    assert any("issued_date" in p for p in _problems(validator, bad_date))
    task = {
        **doc["tasks"][0],
        "deadline": {**(doc["tasks"][0]["deadline"] or {}), "urgency": "khẩn"},
    }
    assert _problems(validator, {**doc, "tasks": [task]})
    assert _problems(validator, {k: v for k, v in doc.items() if k != "producer"})
    error = _lines(run / "errors.jsonl")[0]
    assert _problems(_validator("error.schema.json"), {**error, "error": "some_new_code"})


def test_every_field_of_every_schema_has_a_description() -> None:
    for name in OUTPUTS:
        schema = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
        models = [schema, *schema.get("$defs", {}).values()]
        for model in models:
            assert model.get("description"), f"{name}: {model.get('title')} has no description"
            for field, prop in model.get("properties", {}).items():
                assert prop.get("description"), f"{name}: {model['title']}.{field}"


def test_dates_are_declared_as_dates() -> None:
    doc = json.loads((SCHEMA_DIR / "document.schema.json").read_text(encoding="utf-8"))
    row = json.loads((SCHEMA_DIR / "task_row.schema.json").read_text(encoding="utf-8"))

    def formats(prop: dict[str, Any]) -> set[str]:
        return {alt.get("format") for alt in prop.get("anyOf", [prop])} - {None}

    assert formats(doc["properties"]["issued_date"]) == {"date"}
    assert formats(doc["$defs"]["Deadline"]["properties"]["date"]) == {"date"}
    assert formats(doc["$defs"]["Reference"]["properties"]["date"]) == {"date"}
    assert formats(row["properties"]["issued_date"]) == {"date"}


def test_urgency_and_copy_purpose_are_english_with_the_printed_words_kept(run: Path) -> None:
    doc = next(d for d in _lines(run / "documents.jsonl") if d["number"] == "45/UBND-VP")
    first = doc["tasks"][0]["deadline"]
    assert (first["date"], first["urgency"], first["urgency_raw"]) == (
        "2026-04-30",
        "promptly",
        "khẩn trương",
    )
    copy = next(c for c in doc["cc"] if "b/c" in c["raw"])
    assert (copy["purpose"], copy["purpose_raw"]) == ("report", "b/c")


def test_recurring_work_has_its_recurrence_and_no_date(run: Path) -> None:
    doc = next(d for d in _lines(run / "documents.jsonl") if d["number"] == "45/UBND-VP")
    by_label = {t["label"]: t["deadline"] for t in doc["tasks"]}
    assert by_label["1"]["recurrence"] is None
    assert (by_label["2"]["date"], by_label["2"]["recurrence"]) == (None, "monthly:day=25")
    assert (by_label["3"]["date"], by_label["3"]["recurrence"]) == (None, "quarterly")
    rows = [r for r in _lines(run / "tasks.jsonl") if r["doc_id"] == doc["doc_id"]]
    assert {r["deadline"]["recurrence"] for r in rows} == {None, "monthly:day=25", "quarterly"}


def test_a_file_that_is_no_letter_is_flagged_not_a_letter(run: Path) -> None:
    docs = {Path(d["source"]["path"]).name: d for d in _lines(run / "documents.jsonl")}
    note = docs["ghi_chu.txt"]
    assert any(w.startswith("not_a_letter:") for w in note["warnings"])
    assert all(t["warnings"] == ["not_a_letter"] for t in note["tasks"])
    assert not any(w.startswith("not_a_letter") for w in docs["cv_45_tinh_x.txt"]["warnings"])
    junk = docs.get("junk.txt")  # junk behind a BOM: an error, or a document flagged
    if junk is not None:
        assert any(w.startswith("not_a_letter:") for w in junk["warnings"])
    for name in ("cv_3722_vpcp.docx", "kh_141_bac_ninh.txt"):
        assert not any(w.startswith("not_a_letter") for w in docs[name]["warnings"])


def test_error_records_say_when_the_file_is_read_again(run: Path) -> None:
    errors = {Path(e["source"]["path"]).name: e for e in _lines(run / "errors.jsonl")}
    assert (errors["empty.txt"]["error"], errors["empty.txt"]["retry"]) == (
        "empty_file",
        "file_changed",
    )


def test_the_readme_lists_the_fields_the_schema_has() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert README_BEGIN in readme
    assert readme_with_fields(readme) == readme, "the README's record fields are stale: make schema"


def test_the_readme_check_fails_on_a_field_the_schema_lacks_or_a_field_left_out() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    fields = record_fields_markdown()
    extra = readme.replace(fields, fields.replace("`urgency_raw`", "`urgency_raw`, `priority`"))
    missing = readme.replace(fields, fields.replace("`producer`, ", "", 1))
    assert extra != readme and missing != readme
    assert readme_with_fields(extra) != extra
    assert readme_with_fields(missing) != missing


def test_the_readme_example_record_validates() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## The record contract") :]
    example = json.loads(section[section.index("```json") + 7 : section.index("```\n", 10)])
    assert not _problems(_validator("document.schema.json"), example)


def test_a_record_of_contract_1_reads_back_with_its_vietnamese_words_kept() -> None:
    from vanban.schemas import Document

    old = {
        "schema_version": "1.0",
        "doc_id": "d",
        "source": {"path": "a.txt", "format": "txt", "sha256": "0"},
        "text": "Khẩn trương báo cáo trước ngày 30/4/2026.",
        "cc": [{"raw": "- Bộ Y (để b/c);", "purpose": "b/c", "span": [0, 5]}],
        "tasks": [
            {
                "task_id": "d:1",
                "label": "1",
                "text": "Khẩn trương báo cáo trước ngày 30/4/2026.",
                "span": [0, 41],
                "deadline": {
                    "date": "2026-04-30",
                    "relation": "before",
                    "urgency": "khẩn trương",
                    "raw": "trước ngày 30/4/2026",
                    "span": [20, 40],
                },
            }
        ],
    }
    doc = Document.model_validate(old)
    deadline = doc.tasks[0].deadline
    assert deadline is not None and (deadline.urgency, deadline.urgency_raw) == (
        None,
        "khẩn trương",
    )
    assert (doc.cc[0].purpose, doc.cc[0].purpose_raw) == (None, "b/c")
    assert doc.producer == "unknown"  # not made by this vanban
