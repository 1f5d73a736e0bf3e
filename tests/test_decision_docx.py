"""A `Quyết định ban hành Kế hoạch` as offices save it in Word (ANNOTATION §3 rules 6 and 7):
the decision, its `Nơi nhận` | signature table, then on new pages the plan it issues and the
plan's appendix, a task table with section rows (`I | NHIỆM VỤ …`) and numbered rows."""

from __future__ import annotations

from pathlib import Path

import docx

from tests.task_letters import due, names
from vanban.pipeline.extract import extract
from vanban.pipeline.load import load

_DECISION = [
    "QUYẾT ĐỊNH",
    "Ban hành Kế hoạch bảo vệ môi trường năm 2025",
    "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH NINH BÌNH",
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
    "QUYẾT ĐỊNH:",
    "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch bảo vệ môi trường năm 2025.",
    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
    "Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc các Sở, Chủ tịch Ủy ban nhân dân "
    "các xã, phường chịu trách nhiệm thi hành Quyết định này./.",
]
_PLAN = [
    "KẾ HOẠCH",
    "Bảo vệ môi trường năm 2025",
    "(Ban hành kèm theo Quyết định số 1412/QĐ-UBND ngày 05/8/2025 của Chủ tịch Ủy ban nhân "
    "dân tỉnh)",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "Nâng cao chất lượng môi trường sống của người dân.",
    "II. NHIỆM VỤ, GIẢI PHÁP",
    "Các nhiệm vụ cụ thể tại Phụ lục kèm theo.",
    "III. TỔ CHỨC THỰC HIỆN",
    "1. Sở Nông nghiệp và Môi trường theo dõi, đôn đốc việc thực hiện, báo cáo Ủy ban nhân dân "
    "tỉnh trước ngày 15/12/2025.",
    "2. Sở Tài chính bố trí kinh phí thực hiện.",
]
_APPENDIX = [
    "PHỤ LỤC",
    "DANH MỤC NHIỆM VỤ",
    "(Kèm theo Kế hoạch ban hành kèm theo Quyết định số 1412/QĐ-UBND ngày 05/8/2025)",
]
_ROWS = [
    ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành", "Sản phẩm"],
    ["I", "NHIỆM VỤ VỀ CHẤT THẢI", "", "", "", ""],
    [
        "1",
        "Lắp đặt trạm quan trắc nước thải tự động",
        "Sở Nông nghiệp và Môi trường",
        "Sở Tài chính",
        "Tháng 11/2025",
        "Trạm quan trắc",
    ],
    ["II", "NHIỆM VỤ VỀ TUYÊN TRUYỀN", "", "", "", ""],
    [
        "2",
        "Tuyên truyền phân loại rác",
        "Ủy ban nhân dân các xã, phường",
        "",
        "Năm 2025",
        "Báo cáo",
    ],
]


def _decision_docx(path: Path) -> Path:
    d = docx.Document()
    head = d.add_table(rows=1, cols=2)
    head.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH NINH BÌNH\nSố: 1412/QĐ-UBND"
    head.cell(0, 1).text = (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Ninh Bình, ngày 05 tháng 8 năm 2025"
    )
    for line in _DECISION:
        d.add_paragraph(line)
    foot = d.add_table(rows=1, cols=2)
    foot.cell(0, 0).text = "Nơi nhận:\n- Như Điều 3;\n- Lưu: VT."
    foot.cell(0, 1).text = "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nNguyễn Hữu Phước"
    d.add_page_break()
    for line in _PLAN:
        d.add_paragraph(line)
    d.add_page_break()
    for line in _APPENDIX:
        d.add_paragraph(line)
    table = d.add_table(rows=len(_ROWS), cols=len(_ROWS[0]))
    for i, row in enumerate(_ROWS):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    d.save(str(path))
    return path


def test_a_word_decision_issuing_a_plan_gives_its_organising_items_and_appendix_rows(
    tmp_path: Path,
) -> None:
    doc = extract(load(_decision_docx(tmp_path / "qd.docx")))
    assert (doc.doc_type, doc.number) == ("Quyết định", "1412/QĐ-UBND")
    got = [
        (" ".join(t.text.split()[:5]), names(t.lead), names(t.coordinate), due(t))
        for t in doc.tasks
    ]
    # The plan's pointer to its appendix (`Các nhiệm vụ cụ thể tại Phụ lục kèm theo`) is no task
    # (§3 rule 6, last sentence); the decision's articles give none (rule 7); the section rows
    # of the table are headings.
    assert got == [
        (
            "Sở Nông nghiệp và Môi",
            ["Sở Nông nghiệp và Môi trường"],
            [],
            "2025-12-15",
        ),
        ("Sở Tài chính bố trí", ["Sở Tài chính"], [], None),
        (
            "Lắp đặt trạm quan trắc",
            ["Sở Nông nghiệp và Môi trường"],
            ["Sở Tài chính"],
            "2025-11-30",
        ),
        ("Tuyên truyền phân loại rác", ["@cap-xa"], [], "2025-12-31"),
    ]
