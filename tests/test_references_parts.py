"""References (ANNOTATION §2: numbers of other documents cited in the text),
in the forms the dev letters showed the old rules missed."""

from __future__ import annotations

from pathlib import Path

from tests.task_letters import extract_file
from tests.test_tree import decision_issuing_a_plan


def test_documents_cited_in_an_attached_plan_are_references(tmp_path: Path) -> None:
    letter = decision_issuing_a_plan().replace(
        "II. NHIỆM VỤ",
        "Căn cứ Nghị định số 144/2021/NĐ-CP và Thông tư số 92/2009/TT-BTC.\n\nII. NHIỆM VỤ",
        1,
    )
    doc = extract_file(tmp_path, "qd.txt", letter)
    numbers = [r.number for r in doc.references]
    assert "144/2021/NĐ-CP" in numbers and "92/2009/TT-BTC" in numbers
    assert doc.number not in numbers


def test_a_dotted_unit_code_and_a_dotted_sequence_are_read_whole(tmp_path: Path) -> None:
    letter = decision_issuing_a_plan().replace(
        "II. NHIỆM VỤ",
        "Thực hiện Văn bản số 6721/VPCP-V.I và Nghị quyết số 66.4/2025/NQ-CP.\n\nII. NHIỆM VỤ",
        1,
    )
    doc = extract_file(tmp_path, "qd.txt", letter)
    numbers = [r.number for r in doc.references]
    assert "6721/VPCP-V.I" in numbers and "66.4/2025/NQ-CP" in numbers
