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


def test_a_stripped_headers_page_title_is_the_sites_not_a_reference(tmp_path: Path) -> None:
    # A crawl that stripped the header starts at the title (ANNOTATION §1, §6 Stripped
    # header): the site's own page title above it restates the type, number and trích yếu,
    # which is no document the letter cites (§2 references) and not its number (§1).
    page = (
        "Trang chủ\nVăn bản\nTra cứu\n\n"
        "Quyết định 88/QĐ-UBND Về việc công nhận xã đạt chuẩn nông thôn mới năm 2025\n\n"
        "QUYẾT ĐỊNH\n\nVề việc công nhận xã đạt chuẩn nông thôn mới năm 2025\n\n"
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH\n\n"
        "Căn cứ Quyết định số 18/2022/QĐ-TTg của Thủ tướng Chính phủ;\n\nQUYẾT ĐỊNH:\n\n"
        "Điều 1. Công nhận 05 xã đạt chuẩn nông thôn mới năm 2025.\n\n"
        "Điều 2. Quyết định này có hiệu lực từ ngày ký./.\n\n"
        "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nNguyễn Văn Hùng\n"
    )
    doc = extract_file(tmp_path, "qd.md", page)
    assert [r.number for r in doc.references] == ["18/2022/QĐ-TTg"]
    assert doc.number is None and doc.doc_type == "Quyết định"
