"""The rules as named objects (issue 13): each declared once, each used, each shown.

A task record names the rules that decided it; `vanban extract --explain`
also says which rule kept an item from being a task; `vanban rules` lists them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from tests.task_letters import extract_file
from vanban.extractors import rules
from vanban.pipeline.cli import app

ROOT = Path(__file__).resolve().parent.parent

HEAD = """ỦY BAN NHÂN DÂN
TỈNH HÀ TĨNH
-------
Số: 120/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Hà Tĩnh, ngày 14 tháng 10 năm 2025
"""
FOOT = """
Nơi nhận:
- Các sở, ngành;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Nguyễn Văn An
"""

LETTER = (
    HEAD
    + """
KẾ HOẠCH
Kiểm tra công tác phòng cháy, chữa cháy năm 2026

I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao ý thức phòng cháy, chữa cháy của cán bộ, công chức.
II. NHIỆM VỤ
1. Công an tỉnh chủ trì kiểm tra các cơ sở có nguy cơ cháy, nổ cao, hoàn thành trước ngày 30/6/2026.
2. Khuyến khích các doanh nghiệp trang bị thêm phương tiện chữa cháy.
3. Đầu mối liên hệ: Phòng Cảnh sát phòng cháy, chữa cháy, điện thoại 0239.3855.114.
"""
)
LETTER += FOOT


def test_each_rule_is_declared_once_with_its_guideline_sentence() -> None:
    for rule in rules.RULES.values():
        assert rule.decides in {rules.TASK, rules.NOT_TASK, rules.LEAD, rules.DEADLINE}
        assert re.search(r"§\d", rule.annotation), rule.id
        assert rule.reads, rule.id
    says = [str(r) for r in rules.RULES.values()]
    assert len(says) == len(set(says))


def test_each_declared_rule_is_applied_somewhere() -> None:
    code = "\n".join(
        p.read_text(encoding="utf-8")
        for p in (ROOT / "extractors").glob("*.py")
        if p.name != "rules.py"
    )
    for name, value in vars(rules).items():
        if isinstance(value, rules.Rule):
            assert f"R.{name}" in code, f"rule {value.id} ({name}) is declared but never applied"


def test_a_task_names_its_rules_and_a_skipped_item_its_reason(tmp_path: Path) -> None:
    with rules.tracing() as skipped:
        doc = extract_file(tmp_path, "letter.txt", LETTER)
    assert [t.label for t in doc.tasks] == ["II.1"]
    known = {str(r) for r in rules.RULES.values()}
    assert doc.tasks[0].rules and set(doc.tasks[0].rules) <= known
    why = {doc.text[s:e].split("\n")[0][:22]: rule.id for (s, e), rule in skipped}
    assert why["I. MỤC ĐÍCH, YÊU CẦU"] == "section-not-tasks"
    assert why["3. Đầu mối liên hệ: Ph"] == "information"
    assert why["2. Khuyến khích các do"] == "no-action"


def test_nothing_is_traced_outside_tracing(tmp_path: Path) -> None:
    extract_file(tmp_path, "letter.txt", LETTER)
    with rules.tracing() as skipped:
        pass
    assert skipped == []


def test_explain_shows_why_an_item_gave_no_task(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text(LETTER, encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(path), "--explain"])
    assert result.exit_code == 0, result.output
    assert "not tasks · 3" in result.output
    assert f"because {rules.SECTION_NOT_TASKS}" in result.output


def test_the_rules_command_lists_every_rule_as_json() -> None:
    result = CliRunner().invoke(app, ["rules", "--json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    assert [r["id"] for r in listed] == list(rules.RULES)
    assert {"decides", "says", "annotation", "reads"} <= set(listed[0])


LEADS = (
    HEAD
    + """
Kính gửi: Các sở, ban, ngành

Ủy ban nhân dân tỉnh yêu cầu:
1. Sở Tài chính:
a) Rà soát dự toán chi thường xuyên năm 2026.
2. Tổng hợp kết quả thực hiện, báo cáo Chủ tịch Ủy ban nhân dân tỉnh.
3. Sở Y tế kiểm tra an toàn thực phẩm tại các bếp ăn tập thể.
"""
    + FOOT
)


def test_each_lead_names_the_rule_that_gave_it(tmp_path: Path) -> None:
    doc = extract_file(tmp_path, "letter.txt", LEADS)
    lead_rule = {t.label: next(r for r in t.rules if r.startswith("lead:")) for t in doc.tasks}
    assert lead_rule == {
        "1.a": str(rules.LEAD_LEADIN),
        "2": str(rules.LEAD_ISSUER),
        "3": str(rules.LEAD_OWN),
    }
