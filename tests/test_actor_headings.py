"""Items under a heading that names only the actor are that actor's tasks
(ANNOTATION §3 rule 2: "If its lead-in names only the actor … every sub-item
is a task, and inherits the lead-in's agencies"), in the forms crawls print."""

from __future__ import annotations

from pathlib import Path

from tests.task_letters import assert_spans_point_at_text, extract_file, names

HEADER = """ỦY BAN NHÂN DÂN TỈNH HẢI DƯƠNG
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 31/CT-UBND
Hải Dương, ngày 03 tháng 10 năm 2025

CHỈ THỊ
Về tăng cường quản lý chợ truyền thống

"""


def test_sub_items_of_a_commune_level_heading_are_the_commune_levels_work(tmp_path: Path) -> None:
    letter = HEADER + (
        "1. Sở Công Thương\n\n"
        "a) Rà soát quy hoạch mạng lưới chợ trên địa bàn tỉnh.\n\n"
        "b) Hướng dẫn việc chuyển đổi mô hình quản lý chợ.\n\n"
        "2. Ủy ban nhân dân xã, phường\n\n"
        "a) Kiểm tra điều kiện an toàn phòng cháy tại các chợ.\n\n"
        "b) Báo cáo kết quả trước ngày 15/12/2025.\n\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nCHỦ TỊCH\nNguyễn Văn Thành\n"
    )
    doc = extract_file(tmp_path, "ct.txt", letter)
    assert_spans_point_at_text(doc)
    leads = {t.label: names(t.lead) for t in doc.tasks}
    assert leads == {
        "1.a": ["Sở Công Thương"],
        "1.b": ["Sở Công Thương"],
        "2.a": ["@cap-xa"],
        "2.b": ["@cap-xa"],
    }


def test_a_bold_actor_heading_wrapped_over_two_lines_is_one_heading(tmp_path: Path) -> None:
    letter = HEADER + (
        "**1. Sở Nông\nnghiệp và Môi trường**\n\n"
        "a) Theo dõi diễn biến dịch bệnh trên đàn gia súc.\n\n"
        "b) Hướng dẫn tiêu độc, khử trùng chuồng trại.\n\n"
        "**2. Sở Y tế**\n\n"
        "a) Giám sát bệnh truyền lây từ động vật sang người.\n\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nCHỦ TỊCH\nNguyễn Văn Thành\n"
    )
    doc = extract_file(tmp_path, "ct.md", letter)
    assert_spans_point_at_text(doc)
    leads = {t.label: names(t.lead) for t in doc.tasks}
    assert leads == {
        "1.a": ["Sở Nông nghiệp và Môi trường"],
        "1.b": ["Sở Nông nghiệp và Môi trường"],
        "2.a": ["Sở Y tế"],
    }


def test_a_paragraph_under_an_actor_heading_that_names_its_own_subject_keeps_it(
    tmp_path: Path,
) -> None:
    """§3 lead: "An item's own subject wins over its lead-in"."""
    letter = HEADER + (
        "1. Sở Tài chính, Sở Nội vụ\n\n"
        "Sở Tài chính chủ trì, phối hợp với Sở Nội vụ bố trí kinh phí thực hiện.\n\n"
        "2. Sở Y tế, Sở Công Thương\n\n"
        "Kiểm tra an toàn thực phẩm tại các chợ.\n\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nCHỦ TỊCH\nNguyễn Văn Thành\n"
    )
    doc = extract_file(tmp_path, "ct.txt", letter)
    assert_spans_point_at_text(doc)
    by_label = {t.label: t for t in doc.tasks}
    assert names(by_label["1"].lead) == ["Sở Tài chính"]
    assert names(by_label["1"].coordinate) == ["Sở Nội vụ"]
    assert names(by_label["2"].lead) == ["Sở Y tế", "Sở Công Thương"]
