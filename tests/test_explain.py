"""Each task says which rules of the guideline decided it (`Task.rules`,
`vanban extract FILE --explain`)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tests.task_letters import extract_file
from tests.test_table_tasks import plan_with_appendix
from tests.test_tree import request_letter
from vanban.pipeline.cli import app

LETTER = request_letter(
    "1. Sở Tài chính tổng hợp nhu cầu vốn, hoàn thành trước ngày 30/10/2025.\n"
    "2. Sở Xây dựng:\n"
    "a) Rà soát danh mục công trình chuyển tiếp.\n"
    "3. Tổ chức hội nghị triển khai kế hoạch đầu tư công.",
    "Yêu cầu các đơn vị khẩn trương triển khai thực hiện./.",
)


def test_each_task_names_the_rules_that_decided_its_lead_and_deadline(tmp_path: Path) -> None:
    doc = extract_file(tmp_path, "cv.txt", LETTER)
    rules = {t.label: t.rules for t in doc.tasks}
    assert any("own sentence" in r for r in rules["1"])
    assert any("own time" in r for r in rules["1"])
    assert any("lead-in above" in r for r in rules["2.a"])
    assert any("the issuer" in r for r in rules["3"])
    assert all(any(r.startswith("task:") for r in rs) for rs in rules.values())


def test_a_table_rows_task_says_it_comes_from_the_table(tmp_path: Path) -> None:
    doc = extract_file(tmp_path, "kh.txt", plan_with_appendix())
    row = next(t for t in doc.tasks if t.part)
    assert row.rules[0].startswith("task: a row of a task table")
    assert any("lead column" in r for r in row.rules)


def test_vanban_extract_explain_prints_each_task_with_its_reasons(tmp_path: Path) -> None:
    path = tmp_path / "cv.txt"
    path.write_text(LETTER, encoding="utf-8")
    res = CliRunner().invoke(app, ["extract", str(path), "--explain"])
    assert res.exit_code == 0, res.output
    assert "because lead: the lead-in above it" in res.output
    assert "Sở Tài chính" in res.output
