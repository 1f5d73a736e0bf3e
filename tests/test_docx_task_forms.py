"""Task tables in the physical forms provincial offices type them in Word (ANNOTATION §3
rule 6: one task per row, its lead, coordinate and time from the row's own cells).

Each letter is `tests.docx_letters.DOCX_PLAN`-like (header and footer as borderless Word
tables) with a ruled task table built with python-docx: section rows merged across
(`gridSpan`), a two-row header with cells merged down (`vMerge`) and a row numbering the
columns, cells of several paragraphs, product and note columns, a lead cell merged down
inside a section, the table after the signature (an appendix).
"""

from __future__ import annotations

from pathlib import Path

import docx

from tests.docx_letters import Letter, build_letter_docx, fill_cell
from tests.task_letters import assert_spans_point_at_text, due, names
from vanban.pipeline.extract import extract
from vanban.pipeline.load import load
from vanban.schemas import Task

PLAN = Letter(
    issuer=["ỦY BAN NHÂN DÂN", "TỈNH NGHỆ AN", "-------"],
    motto=["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "-------"],
    number="Số: 301/KH-UBND",
    subject=[],
    place_date="Nghệ An, ngày 02 tháng 10 năm 2025",
    recipients=[],
    body=["KẾ HOẠCH", "Chuyển đổi số năm 2026", "II. NHIỆM VỤ CỤ THỂ"],
    cc=["Nơi nhận:", "- Các sở, ngành;", "- Lưu: VT."],
    signature=["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "", "Nguyễn Văn Sơn"],
)

Grid = list[list[str | list[str] | None]]  # None: covered by a merged cell
Merge = tuple[tuple[int, int], tuple[int, int]]  # top-left and bottom-right cell


def plan_with_table(path: Path, grid: Grid, merges: list[Merge], after_footer: bool = False):
    """PLAN with the table before its footer (or after it, an appendix)."""
    build_letter_docx(path, PLAN)
    document = docx.Document(str(path))
    footer = document.tables[-1]
    table = document.add_table(rows=len(grid), cols=max(len(r) for r in grid))
    table.style = "Table Grid"
    for (r0, c0), (r1, c1) in merges:
        table.cell(r0, c0).merge(table.cell(r1, c1))
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            if value is not None:
                fill_cell(table.cell(i, j), [value] if isinstance(value, str) else value)
    if after_footer:
        title = document.add_paragraph("PHỤ LỤC: DANH MỤC NHIỆM VỤ")
        title._p.addnext(table._tbl)
    else:
        footer._tbl.addprevious(table._tbl)
    document.save(str(path))
    return path


def view(tasks: list[Task]) -> list[tuple[str, list[str], list[str], str | None]]:
    return [(t.label, names(t.lead), names(t.coordinate), due(t)) for t in tasks]


HEAD = ["STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"]


def test_section_rows_merged_across_number_the_rows_under_them(tmp_path: Path) -> None:
    grid: Grid = [
        HEAD,
        ["I", "NHIỆM VỤ CHUNG", None, None, None],
        ["1", "Rà soát hạ tầng số của các cơ quan", "Sở Khoa học và Công nghệ", "Sở Tài chính",
         "Tháng 12/2025"],
        ["II", "NHIỆM VỤ CỤ THỂ", None, None, None],
        ["1", "Số hóa hồ sơ đất đai", "Sở Nông nghiệp và Môi trường", "Ủy ban nhân dân các xã",
         "Năm 2026"],
    ]  # fmt: skip
    merges = [((1, 1), (1, 4)), ((3, 1), (3, 4))]
    doc = extract(load(plan_with_table(tmp_path / "kh.docx", grid, merges)))
    assert_spans_point_at_text(doc)
    assert view(doc.tasks) == [
        ("I.1", ["Sở Khoa học và Công nghệ"], ["Sở Tài chính"], "2025-12-31"),
        ("II.1", ["Sở Nông nghiệp và Môi trường"], ["@cap-xa"], "2026-12-31"),
    ]


def test_a_two_row_header_and_a_row_numbering_the_columns_give_no_task(tmp_path: Path) -> None:
    grid: Grid = [
        ["TT", "Nội dung công việc", "Đơn vị thực hiện", None, "Thời hạn"],
        [None, None, "Chủ trì", "Phối hợp", None],
        ["(1)", "(2)", "(3)", "(4)", "(5)"],
        ["1", "Triển khai nền tảng họp trực tuyến", "Văn phòng Ủy ban nhân dân tỉnh",
         "Sở Khoa học và Công nghệ", "Tháng 11/2025"],
        ["2", "Đào tạo kỹ năng số cho công chức", "Sở Nội vụ", "Sở Khoa học và Công nghệ",
         "Quý IV/2025"],
    ]  # fmt: skip
    merges = [((0, 0), (1, 0)), ((0, 1), (1, 1)), ((0, 2), (0, 3)), ((0, 4), (1, 4))]
    doc = extract(load(plan_with_table(tmp_path / "kh.docx", grid, merges)))
    assert view(doc.tasks) == [
        ("1", ["Văn phòng Ủy ban nhân dân tỉnh"], ["Sở Khoa học và Công nghệ"], "2025-11-30"),
        ("2", ["Sở Nội vụ"], ["Sở Khoa học và Công nghệ"], "2025-12-31"),
    ]


def test_cells_of_several_paragraphs_give_every_body_and_keep_the_points(tmp_path: Path) -> None:
    partners = ["Sở Tài chính;", "Sở Nội vụ;", "Sở Tư pháp;", "Công an tỉnh;", "Sở Y tế"]
    content = ["Xây dựng cơ sở dữ liệu dân cư:", "- thu thập dữ liệu;", "- làm sạch dữ liệu;",
               "- kết nối với cơ sở dữ liệu quốc gia;", "- cập nhật thường xuyên;",
               "- bảo đảm an toàn thông tin."]  # fmt: skip
    grid: Grid = [HEAD, ["1", content, "Sở Khoa học và Công nghệ", partners, "Tháng 12/2025"]]
    doc = extract(load(plan_with_table(tmp_path / "kh.docx", grid, [])))
    [task] = doc.tasks
    assert view([task]) == [
        (
            "1",
            ["Sở Khoa học và Công nghệ"],
            ["Sở Tài chính", "Sở Nội vụ", "Sở Tư pháp", "Công an tỉnh", "Sở Y tế"],
            "2025-12-31",
        )
    ]
    assert task.text.count("\n- ") == 5


def test_product_and_note_columns_naming_bodies_are_neither_lead_nor_coordinate(
    tmp_path: Path,
) -> None:
    grid: Grid = [
        ["STT", "Nội dung", "Thời gian", "Chủ trì", "Phối hợp", "Sản phẩm", "Ghi chú"],
        ["1", "Lập quy hoạch mạng lưới trạm sạc", "Quý II/2026", "Sở Công Thương",
         "Sở Xây dựng", "Quyết định của Ủy ban nhân dân tỉnh", "Sở Tài chính thẩm định"],
    ]  # fmt: skip
    doc = extract(load(plan_with_table(tmp_path / "kh.docx", grid, [])))
    assert view(doc.tasks) == [("1", ["Sở Công Thương"], ["Sở Xây dựng"], "2026-06-30")]


def test_a_lead_cell_merged_down_inside_a_section_leads_each_row(tmp_path: Path) -> None:
    grid: Grid = [
        HEAD,
        ["I", "CÔNG TÁC TUYÊN TRUYỀN", None, None, None],
        ["1", "Tuyên truyền trên báo chí", "Sở Văn hóa, Thể thao và Du lịch", "Sở Nội vụ",
         "Tháng 11/2025"],
        ["2", "Tuyên truyền trên mạng xã hội", None, "Công an tỉnh", "Tháng 12/2025"],
    ]  # fmt: skip
    merges = [((1, 1), (1, 4)), ((2, 2), (3, 2))]
    doc = extract(load(plan_with_table(tmp_path / "kh.docx", grid, merges)))
    assert view(doc.tasks) == [
        ("I.1", ["Sở Văn hóa, Thể thao và Du lịch"], ["Sở Nội vụ"], "2025-11-30"),
        ("I.2", ["Sở Văn hóa, Thể thao và Du lịch"], ["Công an tỉnh"], "2025-12-31"),
    ]


def test_a_task_table_after_the_signature_gives_its_rows(tmp_path: Path) -> None:
    grid: Grid = [
        HEAD,
        ["1", "Kiểm tra an toàn thực phẩm", "Sở Y tế", "Công an tỉnh", "Tháng 12/2025"],
        ["2", "Kiểm tra giá cả thị trường", "Sở Công Thương", "Sở Tài chính", "Quý IV/2025"],
    ]
    doc = extract(load(plan_with_table(tmp_path / "kh.docx", grid, [], after_footer=True)))
    assert view(doc.tasks) == [
        ("1", ["Sở Y tế"], ["Công an tỉnh"], "2025-12-31"),
        ("2", ["Sở Công Thương"], ["Sở Tài chính"], "2025-12-31"),
    ]


def test_a_numbered_group_row_merged_across_is_a_heading_not_a_task(tmp_path: Path) -> None:
    grid: Grid = [
        HEAD,
        ["1", "Nhóm nhiệm vụ về thể chế", None, None, None],
        ["1.1", "Ban hành quy chế quản lý dữ liệu", "Sở Khoa học và Công nghệ", "Sở Tư pháp",
         "Tháng 12/2025"],
        ["2", "Nhóm nhiệm vụ về hạ tầng số", None, None, None],
        ["2.1", "Nâng cấp trung tâm dữ liệu tỉnh", "Sở Khoa học và Công nghệ", "Sở Tài chính",
         "Năm 2026"],
    ]  # fmt: skip
    merges = [((1, 1), (1, 4)), ((3, 1), (3, 4))]
    doc = extract(load(plan_with_table(tmp_path / "kh.docx", grid, merges)))
    assert view(doc.tasks) == [
        ("1.1", ["Sở Khoa học và Công nghệ"], ["Sở Tư pháp"], "2025-12-31"),
        ("2.1", ["Sở Khoa học và Công nghệ"], ["Sở Tài chính"], "2026-12-31"),
    ]


def test_a_numbered_group_row_merged_across_over_unnumbered_rows_is_a_heading(
    tmp_path: Path,
) -> None:
    """The group rows number the groups and the task rows under them carry no number of
    their own: a numbered row whose content spans every column after the number is still
    a heading, not a task (§6 sections by heading; §3 rule 6: the rows are the tasks)."""
    grid: Grid = [
        HEAD,
        ["1", "Nhóm nhiệm vụ về thể chế", None, None, None],
        ["", "Ban hành quy chế quản lý dữ liệu", "Sở Khoa học và Công nghệ", "Sở Tư pháp",
         "Tháng 12/2025"],
        ["", "Rà soát các thủ tục hành chính", "Sở Tư pháp", "", "Năm 2026"],
        ["2", "Nhóm nhiệm vụ về hạ tầng số", None, None, None],
        ["", "Nâng cấp trung tâm dữ liệu tỉnh", "Sở Khoa học và Công nghệ", "Sở Tài chính",
         "Năm 2026"],
    ]  # fmt: skip
    merges = [((1, 1), (1, 4)), ((4, 1), (4, 4))]
    doc = extract(load(plan_with_table(tmp_path / "kh.docx", grid, merges)))
    assert [(t.text, names(t.lead), names(t.coordinate), due(t)) for t in doc.tasks] == [
        ("Ban hành quy chế quản lý dữ liệu", ["Sở Khoa học và Công nghệ"], ["Sở Tư pháp"],
         "2025-12-31"),
        ("Rà soát các thủ tục hành chính", ["Sở Tư pháp"], [], "2026-12-31"),
        ("Nâng cấp trung tâm dữ liệu tỉnh", ["Sở Khoa học và Công nghệ"], ["Sở Tài chính"],
         "2026-12-31"),
    ]  # fmt: skip


def test_a_point_row_merged_across_under_a_task_row_is_part_of_its_content(
    tmp_path: Path,
) -> None:
    """`| | - Tổ chức hội nghị … |`, the point's cell merged across every column after
    the empty number cell: a point of the row above's content, as when its cells are
    printed empty (§3 rule 6; rule 2: content points of one work), not a task of its own."""
    point = "- Tổ chức hội nghị triển khai tại các xã"
    grid: Grid = [
        HEAD,
        ["1", "Rà soát hạ tầng số của các cơ quan nhà nước", "Sở Khoa học và Công nghệ",
         "Sở Tài chính", "Tháng 12/2025"],
        ["", point, None, None, None],
        ["2", "Số hóa hồ sơ đất đai", "Sở Nông nghiệp và Môi trường", "Ủy ban nhân dân các xã",
         "Năm 2026"],
    ]  # fmt: skip
    doc = extract(load(plan_with_table(tmp_path / "kh.docx", grid, [((2, 1), (2, 4))])))
    assert view(doc.tasks) == [
        ("1", ["Sở Khoa học và Công nghệ"], ["Sở Tài chính"], "2025-12-31"),
        ("2", ["Sở Nông nghiệp và Môi trường"], ["@cap-xa"], "2026-12-31"),
    ]
    assert doc.tasks[0].text.endswith("\n" + point)


def test_lettered_rows_merged_across_under_a_numbered_row_are_its_sub_items(
    tmp_path: Path,
) -> None:
    """`| a | Số hóa hồ sơ địa chính |` merged across under row 2, which names its lead and
    time: each lettered row is a task that inherits them (§3 rule 2: sub-items inherit the
    lead-in's agencies and deadline; the lead-in itself is not a task)."""
    grid: Grid = [
        HEAD,
        ["1", "Rà soát hạ tầng số của các cơ quan nhà nước", "Sở Khoa học và Công nghệ",
         "Sở Tài chính", "Tháng 12/2025"],
        ["2", "Số hóa hồ sơ đất đai", "Sở Nông nghiệp và Môi trường", "Ủy ban nhân dân các xã",
         "Năm 2026"],
        ["a", "Số hóa hồ sơ địa chính", None, None, None],
        ["b", "Số hóa hồ sơ giao đất, cho thuê đất", None, None, None],
    ]  # fmt: skip
    merges = [((3, 1), (3, 4)), ((4, 1), (4, 4))]
    doc = extract(load(plan_with_table(tmp_path / "kh.docx", grid, merges)))
    assert [(t.text, names(t.lead), due(t)) for t in doc.tasks] == [
        ("Rà soát hạ tầng số của các cơ quan nhà nước", ["Sở Khoa học và Công nghệ"],
         "2025-12-31"),
        ("Số hóa hồ sơ địa chính", ["Sở Nông nghiệp và Môi trường"], "2026-12-31"),
        ("Số hóa hồ sơ giao đất, cho thuê đất", ["Sở Nông nghiệp và Môi trường"], "2026-12-31"),
    ]  # fmt: skip
