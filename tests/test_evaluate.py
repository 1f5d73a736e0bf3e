"""The scorer of ANNOTATION.md §5: perfect on gold itself, exact figures on crafted errors."""

from __future__ import annotations

import copy
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from vanban.pipeline.evaluate import (
    EvalReport,
    Miss,
    evaluate,
    evaluate_files,
    gold_to_record,
    miss_cause,
    render_rich,
    render_text,
)
from vanban.pipeline.evaluate_text import align, normalize
from vanban.schemas import Document, UsageError

DEV_GOLD = Path(__file__).resolve().parents[1] / "data" / "corpus" / "dev" / "gold"
GOLD_FILES = sorted(DEV_GOLD.glob("*.json"))


def _figures(tree: Any, path: str = "") -> Iterator[tuple[str, float]]:
    """Every float of a to_dict() tree: the figures (counts are ints)."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from _figures(value, f"{path}.{key}")
    elif isinstance(tree, float):
        yield path, tree


def _gold(source: str, **overrides: Any) -> dict[str, Any]:
    gold: dict[str, Any] = {
        "source": source,
        "doc_type": "Công văn",
        "number": "12/UBND-VP",
        "issuer": "Ủy ban nhân dân tỉnh Lào Cai",
        "place": "Lào Cai",
        "issued_date": "2025-09-14",
        "subject": "triển khai kế hoạch phòng chống lũ",
        "recipients": ["Sở Y tế", "Sở Tài chính", "@cap-xa"],
        "signer": {"name": "Nguyễn Văn A", "title": "Phó Chủ tịch"},
        "references": ["57-NQ/TW", "71/NQ-CP"],
        "tasks": [
            {
                "label": "1",
                "text": "Sở Y tế chuẩn bị thuốc men và vật tư y tế cho vùng lũ",
                "lead": ["Sở Y tế"],
                "coordinate": [],
                "deadline": "2025-10-01",
            },
            {
                "label": "2",
                "text": "Sở Tài chính bố trí kinh phí khắc phục hậu quả mưa lũ",
                "lead": ["Sở Tài chính"],
                "coordinate": ["Sở Y tế"],
                "deadline": None,
            },
        ],
    }
    gold.update(overrides)
    return gold


def _write(folder: Path, *golds: dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for gold in golds:
        (folder / f"{Path(gold['source']).stem}.json").write_text(
            json.dumps(gold, ensure_ascii=False), encoding="utf-8"
        )
    return folder


def _score(
    tmp_path: Path, golds: list[dict[str, Any]], records: list[dict[str, Any]]
) -> EvalReport:
    return evaluate(_write(tmp_path / "gold", *golds), records)


def _agency(name: str) -> dict[str, Any]:
    return {"name": name, "code": name if name.startswith("@") else None, "raw": name}


# --- gold against itself ------------------------------------------------------------


def test_dev_gold_is_present() -> None:
    assert len(GOLD_FILES) >= 20


@pytest.mark.parametrize("gold_file", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_scored_against_itself_is_perfect(gold_file: Path, tmp_path: Path) -> None:
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    shutil.copy(gold_file, tmp_path)
    report = evaluate(tmp_path, [gold_to_record(gold)])
    figures = dict(_figures(report.to_dict()))
    assert figures, "no figures found in to_dict()"
    assert {k: v for k, v in figures.items() if v != 1.0} == {}
    assert report.misses == []
    assert report.tasks.gold == report.tasks.aligned == len(gold["tasks"])


def test_whole_dev_set_from_a_jsonl_file_is_perfect(tmp_path: Path) -> None:
    records = tmp_path / "records.jsonl"
    lines = [json.dumps(gold_to_record(json.loads(p.read_text("utf-8")))) for p in GOLD_FILES]
    error = {"source": {"path": "broken.pdf"}, "error": "corrupt_file", "message": "x"}
    records.write_text("\n".join([*lines, json.dumps(error), ""]), encoding="utf-8")
    report = evaluate_files(DEV_GOLD, records)
    assert report.matched_documents == report.gold_documents == len(GOLD_FILES)
    assert report.error_records == 1
    assert all(v == 1.0 for _, v in _figures(report.to_dict()))
    assert report.strict_task_f1 == 1.0


@pytest.mark.parametrize("gold_file", GOLD_FILES[:3], ids=lambda p: p.stem)
def test_gold_to_record_gives_a_valid_document(gold_file: Path) -> None:
    record = gold_to_record(json.loads(gold_file.read_text(encoding="utf-8")))
    Document.model_validate(record)


# --- crafted errors give exact figures ----------------------------------------------


def test_one_wrong_number_in_two_documents_halves_number_accuracy(tmp_path: Path) -> None:
    golds = [_gold("a.txt"), _gold("b.txt", number="99/UBND-VP")]
    records = [gold_to_record(g) for g in golds]
    records[1]["number"] = "98/UBND-VP"
    report = _score(tmp_path, golds, records)
    assert report.fields["number"].value == 0.5
    assert report.to_dict()["fields"]["number"] == {"accuracy": 0.5, "correct": 1, "n": 2}
    assert all(acc.value == 1.0 for name, acc in report.fields.items() if name != "number")
    assert [(m.document, m.field, m.expected, m.got) for m in report.misses] == [
        ("b.txt", "number", "99/UBND-VP", "98/UBND-VP")
    ]


def test_missing_recipient_lowers_recall_only(tmp_path: Path) -> None:
    gold = _gold("a.txt")
    record = gold_to_record(gold)
    record["recipients"] = record["recipients"][:2]
    rec = _score(tmp_path, [gold], [record]).recipients.micro
    assert (rec.tp, rec.fp, rec.fn) == (2, 0, 1)
    assert rec.precision == 1.0
    assert rec.recall == pytest.approx(2 / 3)
    assert rec.f1 == pytest.approx(0.8)


def test_extra_recipient_lowers_precision_only(tmp_path: Path) -> None:
    gold = _gold("a.txt")
    record = gold_to_record(gold)
    record["recipients"].append(_agency("Sở Nội vụ"))
    rec = _score(tmp_path, [gold], [record]).recipients.micro
    assert (rec.precision, rec.recall) == (pytest.approx(3 / 4), 1.0)


def test_recipients_micro_and_macro_differ(tmp_path: Path) -> None:
    golds = [
        _gold("a.txt", recipients=["Sở Y tế", "Sở Tài chính"]),
        _gold("b.txt", recipients=["Bộ Y tế", "Bộ Tài chính", "Bộ Nội vụ", "Bộ Công an"]),
    ]
    records = [gold_to_record(g) for g in golds]
    records[0]["recipients"] = [_agency("Sở Y tế")]
    score = _score(tmp_path, golds, records).recipients
    assert score.micro.recall == pytest.approx(5 / 6)
    assert score.macro("recall") == pytest.approx(0.75)
    assert score.macro("f1") == pytest.approx((2 / 3 + 1) / 2)


def test_wrong_deadline_is_aligned_but_not_strict(tmp_path: Path) -> None:
    gold = _gold("a.txt")
    record = gold_to_record(gold)
    record["tasks"][0]["deadline"]["date"] = "2025-10-02"
    report = _score(tmp_path, [gold], [record])
    t = report.tasks
    assert (t.aligned, t.detection.f1) == (2, 1.0)
    assert t.rate(t.deadline_exact) == 0.5
    assert t.rate(t.lead_exact) == 1.0
    assert (t.strict_counts.precision, t.strict_counts.recall) == (0.5, 0.5)
    assert report.strict_task_f1 == 0.5
    assert [(m.field, m.expected, m.got) for m in report.misses] == [
        ("task 1 deadline", "2025-10-01", "2025-10-02")
    ]


def test_wrong_lead_is_aligned_but_not_strict(tmp_path: Path) -> None:
    gold = _gold("a.txt")
    gold["tasks"][0]["lead"] = ["Sở Y tế", "Sở Nội vụ"]
    record = gold_to_record(gold)
    record["tasks"][0]["lead"] = [_agency("Sở Y tế")]
    t = _score(tmp_path, [gold], [record]).tasks
    assert (t.lead.tp, t.lead.fp, t.lead.fn) == (2, 0, 1)
    assert t.lead.f1 == pytest.approx(0.8)
    assert t.rate(t.lead_exact) == 0.5
    assert t.strict == 1


def test_extra_predicted_task_lowers_detection_precision(tmp_path: Path) -> None:
    gold = _gold("a.txt")
    record = gold_to_record(gold)
    extra = copy.deepcopy(record["tasks"][1])
    extra.update(label="3", text="Công an tỉnh bảo đảm an ninh trật tự tại khu vực sơ tán dân")
    record["tasks"].append(extra)
    report = _score(tmp_path, [gold], [record])
    det = report.tasks.detection
    assert (det.precision, det.recall) == (pytest.approx(2 / 3), 1.0)
    assert det.f1 == pytest.approx(0.8)
    assert report.strict_task_f1 == pytest.approx(0.8)
    assert [m.field for m in report.misses] == ["task 3 extra"]


def test_missing_document_counts_as_fully_missed(tmp_path: Path) -> None:
    golds = [_gold("a.txt"), _gold("b.txt", signer=None, references=[])]
    report = _score(tmp_path, golds, [gold_to_record(golds[0])])
    assert report.matched_documents == 1
    assert report.fields["number"].value == 0.5
    # b.txt has no signer: an absent record gets that right.
    assert report.fields["signer.name"].value == 1.0
    assert report.recipients.micro.recall == 0.5
    assert report.references.micro.recall == 1.0
    assert (report.tasks.detection.recall, report.tasks.detection.precision) == (0.5, 1.0)
    assert [(m.document, m.field) for m in report.misses] == [("b.txt", "record")]


def test_records_without_gold_and_error_records_are_ignored(tmp_path: Path) -> None:
    gold = _gold("a.txt")
    stray = gold_to_record(_gold("zzz.txt", number="1/X"))
    error = {"source": {"path": "a.txt"}, "error": "corrupt_file", "message": "unreadable"}
    record = gold_to_record(gold)
    record["source"]["path"] = "/some/folder/a.txt"
    report = _score(tmp_path, [gold], [error, stray, record])
    assert (report.records_without_gold, report.error_records) == (1, 1)
    assert report.matched_documents == 1
    assert report.misses == []


def test_a_document_with_no_record_scores_zero_on_tasks(tmp_path: Path) -> None:
    report = _score(tmp_path, [_gold("a.txt")], [])
    assert report.strict_task_f1 == 0.0
    assert report.tasks.rate(report.tasks.deadline_exact) == 0.0


# --- normalisation -------------------------------------------------------------------


def _set_field(record: dict[str, Any], field: str, value: str) -> None:
    if field == "issuer":
        record["issuer"] = _agency(value)
    elif field.startswith("signer."):
        record["signer"][field.split(".")[1]] = value
    else:
        record[field] = value


@pytest.mark.parametrize(
    ("field", "gold_value", "record_value", "same"),
    [
        ("issuer", "Ủy ban nhân dân tỉnh Lào Cai", "Uỷ ban nhân dân tỉnh Lào Cai", True),
        ("issuer", "Ủy ban nhân dân tỉnh Lào Cai", "UỶ BAN NHÂN DÂN TỈNH LÀO CAI", True),
        ("issuer", "Sở Y tế tỉnh Lào Cai", "Sở Y tế", True),
        ("issuer", "Sở Y tế", "Sở Y tế thành phố Hà Nội", True),
        ("issuer", "Công an thành phố Hà Nội", "Công an Thành phố", True),
        ("issuer", "Công an tỉnh", "Công an tỉnh Lào Cai", True),
        ("issuer", "Công an tỉnh", "Sở Y tế tỉnh Lào Cai", False),
        ("issuer", "Ủy ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh Lào Cai", False),
        ("issuer", "Bộ Văn hóa - Thể thao và Du lịch", "Bộ Văn hoá, Thể thao và Du lịch", True),
        ("subject", "treo cờ Tổ quốc", "Về việc treo cờ Tổ quốc.", True),
        ("subject", "Về triển khai kế hoạch", "triển khai   kế hoạch", True),
        ("number", "57-NQ/TW", "57- NQ/TW", True),
        ("place", "Khánh Hòa", " khánh hoà ", True),
        ("signer.title", "Phó Chủ tịch", "PHÓ CHỦ TỊCH", True),
        ("issuer", "Sở Y tế", "Sở Tài chính", False),
        ("issuer", "Sở Xây dựng tỉnh Gia Lai", "Sở Xây dựng tỉnh Đắk Lắk", False),
        ("issuer", "Ủy ban nhân dân tỉnh Lào Cai", "Ủy ban nhân dân", False),
        ("issuer", "Ủy ban nhân dân tỉnh Lào Cai", "Ủy ban nhân dân tỉnh Yên Bái", False),
        ("subject", "treo cờ Tổ quốc", "treo cờ Đảng", False),
        ("number", "57-NQ/TW", "58-NQ/TW", False),
        ("place", "Hà Nội", "Hà Nam", False),
        ("signer.title", "Phó Chủ tịch", "Chủ tịch", False),
        ("issued_date", "2025-09-14", "2025-09-15", False),
    ],
)
def test_field_comparison_follows_the_normalisation_rules(
    tmp_path: Path, field: str, gold_value: str, record_value: str, same: bool
) -> None:
    key = field.split(".")[1] if field.startswith("signer.") else field
    gold = _gold("a.txt")
    if field.startswith("signer."):
        gold["signer"][key] = gold_value
    else:
        gold[field] = gold_value
    record = gold_to_record(gold)
    _set_field(record, field, record_value)
    assert _score(tmp_path, [gold], [record]).fields[field].value == (1.0 if same else 0.0)


@pytest.mark.parametrize(
    ("gold_refs", "record_refs", "f1"),
    [
        (["57-NQ/TW"], ["57- NQ/TW"], 1.0),
        (["57-NQ/TW", "71/NQ-CP"], ["57-NQ/TW", "57-NQ/TW"], pytest.approx(2 / 3)),
        (["57-NQ/TW"], ["58-NQ/TW"], 0.0),
        ([], [], 1.0),
    ],
)
def test_references_compare_numbers_without_inner_spaces(
    tmp_path: Path, gold_refs: list[str], record_refs: list[str], f1: float
) -> None:
    gold = _gold("a.txt", references=gold_refs)
    record = gold_to_record(gold)
    record["references"] = [{"number": n, "raw": n, "span": [0, 0]} for n in record_refs]
    assert _score(tmp_path, [gold], [record]).references.micro.f1 == f1


def test_agency_sets_keep_provinces_apart_but_forgive_a_missing_one(tmp_path: Path) -> None:
    gold = _gold("a.txt", recipients=["Sở Xây dựng tỉnh Gia Lai", "Sở Xây dựng tỉnh Đắk Lắk"])
    record = gold_to_record(gold)
    record["recipients"] = [_agency("Sở Xây dựng"), _agency("Sở Xây dựng tỉnh Gia Lai")]
    assert _score(tmp_path, [gold], [record]).recipients.micro.f1 == 1.0
    record["recipients"] = [_agency("Sở Xây dựng tỉnh Gia Lai")]
    assert _score(tmp_path, [gold], [record]).recipients.micro.recall == 0.5


def test_agency_group_code_is_compared_by_code(tmp_path: Path) -> None:
    gold = _gold("a.txt", recipients=["@bo-nganh", "@dia-phuong"])
    record = gold_to_record(gold)
    record["recipients"] = [
        {"name": "các Bộ, ngành", "code": "@bo-nganh", "raw": "các Bộ, ngành"},
        {"name": "@dia-phuong", "code": "@dia-phuong", "raw": "các địa phương"},
    ]
    assert _score(tmp_path, [gold], [record]).recipients.micro.f1 == 1.0


@pytest.mark.parametrize(
    ("deadline", "exact"),
    [
        ({"date": "2026-01-12", "time": "16:00"}, True),
        ({"date": "2026-01-12", "time": None}, False),
        ({"date": "2026-01-13", "time": "16:00"}, False),
        (None, False),
    ],
)
def test_deadline_with_time_must_match_date_and_time(
    tmp_path: Path, deadline: dict[str, Any] | None, exact: bool
) -> None:
    gold = _gold("a.txt")
    gold["tasks"][0]["deadline"] = "2026-01-12T16:00"
    record = gold_to_record(gold)
    if deadline is not None:
        deadline = {**record["tasks"][0]["deadline"], **deadline}
    record["tasks"][0]["deadline"] = deadline
    t = _score(tmp_path, [gold], [record]).tasks
    # Task 2 (no deadline in gold or record) is always right.
    assert t.rate(t.deadline_exact) == (1.0 if exact else 0.5)


@pytest.mark.parametrize(
    ("pred", "aligned"),
    [
        ("chuẩn bị thuốc men", True),  # all 4 words of the shorter text are shared
        ("chuẩn bị lương thực", True),  # 2 of 4: exactly half
        ("chuẩn cho lương thực", False),  # 1 of 4
        ("an ninh trật tự", False),
    ],
)
def test_tasks_align_when_half_the_shorter_text_is_shared(pred: str, aligned: bool) -> None:
    gold = "Sở Y tế chuẩn bị thuốc men và vật tư y tế"
    assert (align([pred], [gold]) == [(0, 0)]) is aligned


def test_alignment_takes_the_best_overlap_first() -> None:
    gold = ["Sở Y tế chuẩn bị thuốc men", "Sở Y tế chuẩn bị vật tư"]
    pred = ["Sở Y tế chuẩn bị vật tư", "Sở Y tế chuẩn bị thuốc men"]
    assert align(pred, gold) == [(0, 1), (1, 0)]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Uỷ ban", "Ủy ban"),
        ("HOÀ BÌNH", "hòa bình"),
        ("  Sở  Y tế. ", "sở y tế"),
        ("thuỷ lợi", "thủy lợi"),
    ],
)
def test_normalize_unifies_case_tone_marks_spaces_and_edge_punctuation(a: str, b: str) -> None:
    assert normalize(a) == normalize(b)


# --- errors and output ---------------------------------------------------------------


def test_missing_gold_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="Gold folder"):
        evaluate(tmp_path / "nope", [])


def test_missing_records_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="Records file"):
        evaluate_files(DEV_GOLD, tmp_path / "nope.jsonl")


def test_bad_jsonl_line_is_a_usage_error(tmp_path: Path) -> None:
    records = tmp_path / "records.jsonl"
    records.write_text('{"source": {"path": "a.txt"}}\nnot json\n', encoding="utf-8")
    with pytest.raises(UsageError, match="line 2"):
        evaluate_files(_write(tmp_path / "gold", _gold("a.txt")), records)


def test_render_text_shows_the_table_and_misses_on_request(tmp_path: Path) -> None:
    gold = _gold("a.txt")
    record = gold_to_record(gold)
    record["number"] = "13/UBND-VP"
    report = _score(tmp_path, [gold], [record])
    plain = render_text(report, details=False)
    assert "strict task F1" in plain
    assert "number accuracy" in plain and "0.000" in plain
    assert "13/UBND-VP" not in plain
    detailed = render_text(report, details=True)
    assert "a.txt  number: expected '12/UBND-VP', got '13/UBND-VP'" in detailed
    assert render_rich(report, details=True).row_count == len(plain.splitlines()) - 3
    json.dumps(report.to_dict(details=True), ensure_ascii=False)
    assert report.to_dict(details=True)["misses"][0]["field"] == "number"


@pytest.mark.parametrize(
    ("miss", "has_tasks", "cause"),
    [
        (Miss("a", "task 2 lead", "Sở Y tế", "Sở Xây dựng"), True, "lead: a wholly different body"),
        (
            Miss("a", "task 2 lead", "Sở Y tế", "@so-nganh"),
            True,
            "lead: a group where gold names the body",
        ),
        (
            Miss("a", "task 2 lead", "Sở Y tế; Sở Tài chính", "Sở Y tế"),
            True,
            "lead: a body missing",
        ),
        (Miss("a", "task 2 coordinate", "Sở Y tế", ""), True, "coordinate: none given"),
        (Miss("a", "task 2 deadline", "2025-12-31", "2024-12-31"), True, "deadline: wrong year"),
        (
            Miss("a", "task 2 deadline", "2025-12-31", None),
            True,
            "deadline: none given where gold has a date",
        ),
        (
            Miss("a", "task p3 extra", None, "Đề nghị …"),
            False,
            "task: extra, in a letter with none",
        ),
        (Miss("a", "task p3 extra", None, "Đề nghị …"), True, "task: extra"),
        (Miss("a", "subject", "về X", None), True, "subject: none given"),
        (Miss("a", "subject", "tăng cường phòng dịch", "tăng cường"), True, "subject: cut short"),
        (Miss("a", "signer.name", "Lê Văn An", "Lê Văn An Phụ lục"), True, "signer.name: runs on"),
        (Miss("a", "number", "12/UBND", "21/UBND"), True, "number: wrong"),
    ],
)
def test_a_miss_is_counted_under_the_shape_of_its_difference(
    miss: Miss, has_tasks: bool, cause: str
) -> None:
    assert miss_cause(miss, has_tasks) == cause


def test_eval_causes_counts_the_misses_of_each_half(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from vanban.pipeline.cli import app

    records = tmp_path / "records.jsonl"
    docs, subjects = [], 0
    for path in GOLD_FILES:
        gold = json.loads(path.read_text(encoding="utf-8"))
        subjects += gold.get("subject") is not None
        rec = gold_to_record(gold)
        rec["subject"] = None
        docs.append(json.dumps(rec, ensure_ascii=False))
    records.write_text("\n".join(docs) + "\n", encoding="utf-8")
    split = DEV_GOLD.parents[2] / "split.tsv"
    result = CliRunner().invoke(
        app, ["eval", str(DEV_GOLD), str(records), "--split", str(split), "--causes"]
    )
    assert result.exit_code == 0, result.output
    row = next(x for x in result.output.splitlines() if x.startswith("subject: none given"))
    tune, check, both = map(int, row.split()[-3:])
    assert tune + check == both == subjects > 0


def test_eval_split_prints_strict_f1_by_kind_of_letter(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from vanban.pipeline.cli import app

    records = tmp_path / "records.jsonl"
    docs = [gold_to_record(json.loads(p.read_text(encoding="utf-8"))) for p in GOLD_FILES]
    for d in docs[:1]:
        d["tasks"] = []  # one letter's tasks all missed: its kind falls below 1.0
    records.write_text(
        "\n".join(json.dumps(d, ensure_ascii=False) for d in docs) + "\n", encoding="utf-8"
    )
    split = DEV_GOLD.parents[2] / "split.tsv"
    result = CliRunner().invoke(app, ["eval", str(DEV_GOLD), str(records), "--split", str(split)])
    assert result.exit_code == 0, result.output
    table = result.output.split("strict task F1 by kind of letter")[1].splitlines()[2:]
    figures = [float(re.findall(r"\d\.\d{3}", row)[-1]) for row in table if row.strip()]
    assert len(figures) >= 5 and min(figures) < 1.0 and figures.count(1.0) == len(figures) - 1


def test_eval_split_with_one_half_prints_no_empty_column(tmp_path: Path) -> None:
    """A split naming only `check` letters (`data/blind/split.tsv`) has no `tune` column
    to print: an empty half would show 1.000 over 0 tasks."""
    from typer.testing import CliRunner

    from vanban.pipeline.cli import app

    records = tmp_path / "records.jsonl"
    docs = [gold_to_record(json.loads(p.read_text(encoding="utf-8"))) for p in GOLD_FILES]
    records.write_text(
        "\n".join(json.dumps(d, ensure_ascii=False) for d in docs) + "\n", encoding="utf-8"
    )
    split = tmp_path / "split.tsv"
    split.write_text(
        "id\thalf\tsource\tkind\n" + "".join(f"{p.stem}\tcheck\tx\tcông văn\n" for p in GOLD_FILES),
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app, ["eval", str(DEV_GOLD), str(records), "--split", str(split), "--causes"]
    )
    assert result.exit_code == 0, result.output
    header = next(x for x in result.output.splitlines() if x.startswith("metric"))
    assert header.split() == ["metric", "check", "n", "all", "n"]
