"""Task tables (ANNOTATION §3 rule 6, §6): a table whose rows are tasks (`STT | Nội dung |
Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành`) gives one task per row, with
the lead, coordinate and deadline of its own cells; a table of targets (`Chỉ tiêu`) and the
header's layout table give none.

The letters are invented, in the genre, saved as `.txt` (markdown pipe rows, as web crawls
print them: `vanban.pipeline.md_tables`) or `.docx` (a real Word table, built with
`tests.docx_letters`), and read end to end through `load` and `extract`.
"""

from __future__ import annotations

from pathlib import Path

import docx

from tests.docx_letters import Letter, build_letter_docx, fill_cell
from tests.task_letters import assert_spans_point_at_text, due, extract_file, names
from vanban.pipeline.extract import extract
from vanban.pipeline.load import load
from vanban.schemas import Task

TASK_HEADER = ["STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"]
# (STT, content, lead, coordinate, deadline cell) → expected (lead, coordinate, deadline).
APPENDIX_ROWS = [
    (
        "1",
        "Triển khai thu viện phí qua tài khoản ngân hàng tại các bệnh viện",
        "Sở Y tế",
        "Sở Tài chính",
        "Trước ngày 30/11/2025",
    ),
    (
        "2",
        "Hướng dẫn các trường học thu học phí không dùng tiền mặt",
        "Sở Giáo dục và Đào tạo",
        "Công an tỉnh",
        "Thường xuyên",
    ),
    (
        "3",
        "Tuyên truyền lợi ích của thanh toán điện tử đến người dân",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Sở Thông tin và Truyền thông",
        "Trước ngày 15/12/2025",
    ),
    (
        "4",
        "Đánh giá kết quả thanh toán không dùng tiền mặt tại các chợ",
        "Sở Công Thương",
        "Sở Tài chính",
        "2026",  # a bare year in the time column: that year (§3: `năm 2026`)
    ),
]
APPENDIX_EXPECTED = [
    ("Sở Y tế", ["Sở Tài chính"], "2025-11-30"),
    ("Sở Giáo dục và Đào tạo", ["Công an tỉnh"], None),  # `Thường xuyên`: open-ended
    ("Sở Văn hóa, Thể thao và Du lịch", ["Sở Thông tin và Truyền thông"], "2025-12-15"),
    ("Sở Công Thương", ["Sở Tài chính"], "2026-12-31"),
]
APPENDIX_TITLE = (
    "PHỤ LỤC NHIỆM VỤ TRIỂN KHAI THANH TOÁN KHÔNG DÙNG TIỀN MẶT "
    "(Kèm theo Kế hoạch số 87/KH-UBND ngày 10 tháng 9 năm 2025 của Ủy ban nhân dân tỉnh)"
)


def pipe_row(cells: list[str] | tuple[str, ...]) -> str:
    return "| " + " | ".join(cells) + " |"


def pipe_table(header: list[str], rows: list[tuple[str, ...]]) -> str:
    return "\n".join([pipe_row(header), "|" + "---|" * len(header), *(pipe_row(r) for r in rows)])


def plan_with_appendix(organisation: str | None = None) -> str:
    """A provincial plan as a crawl prints it: the header as a two-column pipe table
    (issuer | motto), a `Chỉ tiêu` section with two tables of targets, one duty under
    `Tổ chức thực hiện`, the signature, then `PHỤ LỤC` with the task table.

    `organisation` replaces the `Tổ chức thực hiện` section's body."""
    targets = pipe_table(
        ["STT", "Chỉ tiêu", "Đơn vị", "Cơ quan chủ trì theo dõi"],
        [
            ("1", "Tỷ lệ hồ sơ thủ tục hành chính thanh toán trực tuyến", "%", "Sở Tài chính"),
            (
                "2",
                "Số trường học thu học phí không dùng tiền mặt",
                "trường",
                "Sở Giáo dục và Đào tạo",
            ),
        ],
    )
    # A table of targets with a content column and a responsible-unit column: still no tasks (§6).
    targets_by_content = pipe_table(
        [
            "STT",
            "Nội dung chỉ tiêu",
            "Đơn vị tính",
            "Chỉ tiêu năm 2025",
            "Cơ quan chủ trì theo dõi",
        ],
        [
            ("1", "Tỷ lệ bệnh viện thu viện phí không dùng tiền mặt", "%", "100", "Sở Y tế"),
            ("2", "Tỷ lệ chợ có điểm thanh toán điện tử", "%", "60", "Sở Công Thương"),
        ],
    )
    organisation = organisation or (
        "1. Sở Tài chính theo dõi, tổng hợp kết quả thực hiện Kế hoạch, báo cáo Ủy ban nhân dân "
        "tỉnh trước ngày 20/12/2025."
    )
    return f"""| ỦY BAN NHÂN DÂN TỈNH THANH HÓA | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |
|---|---|
| Số: 87/KH-UBND | Thanh Hóa, ngày 10 tháng 9 năm 2025 |

KẾ HOẠCH
Triển khai thanh toán không dùng tiền mặt năm 2025

I. MỤC ĐÍCH, YÊU CẦU
Đẩy mạnh thanh toán không dùng tiền mặt trong các dịch vụ công.

II. CHỈ TIÊU

{targets}

{targets_by_content}

III. TỔ CHỨC THỰC HIỆN
{organisation}

Nơi nhận:
- Các sở, ban, ngành;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Lê Thị Hoa

PHỤ LỤC
NHIỆM VỤ TRIỂN KHAI THANH TOÁN KHÔNG DÙNG TIỀN MẶT
(Kèm theo Kế hoạch số 87/KH-UBND ngày 10 tháng 9 năm 2025 của Ủy ban nhân dân tỉnh)

{pipe_table(TASK_HEADER, APPENDIX_ROWS)}
"""


# -- helpers


def row_view(tasks: list[Task]) -> list[tuple[str, str, list[str], list[str], str | None]]:
    return [(t.label, t.text, names(t.lead), names(t.coordinate), due(t)) for t in tasks]


def expected_rows() -> list[tuple[str, str, list[str], list[str], str | None]]:
    return [
        (stt, content, [lead], coordinate, date)
        for (stt, content, *_), (lead, coordinate, date) in zip(
            APPENDIX_ROWS, APPENDIX_EXPECTED, strict=True
        )
    ]


# -- markdown pipe rows (.txt)


def test_each_row_of_an_appendix_task_table_is_a_task_with_its_lead_coordinate_and_deadline(
    tmp_path: Path,
) -> None:
    doc = extract_file(tmp_path, "kh.txt", plan_with_appendix())
    assert_spans_point_at_text(doc)
    appendix = [t for t in doc.tasks if t.part == APPENDIX_TITLE]
    assert row_view(appendix) == expected_rows()


def test_tables_of_targets_give_no_task_even_with_a_responsible_unit_column(
    tmp_path: Path,
) -> None:
    doc = extract_file(tmp_path, "kh.txt", plan_with_appendix())
    assert_spans_point_at_text(doc)
    # The letter's own tasks: the one duty of `Tổ chức thực hiện`; none from the targets.
    own = [t for t in doc.tasks if t.part is None]
    assert [(names(t.lead), due(t)) for t in own] == [(["Sở Tài chính"], "2025-12-20")]
    assert "Sở Tài chính theo dõi, tổng hợp" in own[0].text
    assert not any("Tỷ lệ" in t.text or "trường học thu" in t.text for t in own)


def test_the_header_layout_table_gives_no_task_and_its_fields_are_still_read(
    tmp_path: Path,
) -> None:
    doc = extract_file(tmp_path, "kh.txt", plan_with_appendix())
    header_end = doc.text.index("KẾ HOẠCH")
    assert all(t.span[0] > header_end for t in doc.tasks)
    assert len(doc.tasks) == 1 + len(APPENDIX_ROWS)
    assert doc.doc_type == "Kế hoạch"
    assert doc.number == "87/KH-UBND"
    assert doc.issued_date == "2025-09-10"
    assert doc.issuer is not None and doc.issuer.name == "Ủy ban nhân dân tỉnh Thanh Hóa"
    assert doc.signer is not None and doc.signer.name == "Lê Thị Hoa"


def test_a_heading_whose_duty_follows_unmarked_gives_that_duty_not_the_heading_as_a_task(
    tmp_path: Path,
) -> None:
    """`III. TỔ CHỨC THỰC HIỆN` then an unmarked paragraph: the paragraph belongs to the
    heading (§3 rule 1) and is one task; the heading alone asks for nothing."""
    duty = (
        "Sở Tài chính theo dõi, tổng hợp kết quả thực hiện Kế hoạch, báo cáo Ủy ban nhân dân "
        "tỉnh trước ngày 20/12/2025."
    )
    doc = extract_file(tmp_path, "kh.txt", plan_with_appendix(organisation=duty))
    assert_spans_point_at_text(doc)
    own = [t for t in doc.tasks if t.part is None]
    assert [(names(t.lead), due(t)) for t in own] == [(["Sở Tài chính"], "2025-12-20")]
    assert duty in own[0].text


# -- a real Word table in the body (.docx)

DOCX_ROWS = [
    (
        "1",
        "Điều tra, dự báo sâu bệnh hại trên cây ngô vụ Đông",
        "Sở Nông nghiệp và Môi trường",
        "Sở Khoa học và Công nghệ",
        "Trước ngày 30/11/2025",
    ),
    (
        "2",
        "Bố trí kinh phí mua thuốc bảo vệ thực vật dự phòng",
        "Sở Tài chính",
        "Sở Nông nghiệp và Môi trường",
        "Thường xuyên",
    ),
    (
        "3",
        "Đưa tin về các biện pháp phòng trừ sâu bệnh trên cây trồng",
        "Báo và Phát thanh, Truyền hình Nghệ An",
        "Sở Nông nghiệp và Môi trường",
        "Trước ngày 15/12/2025",
    ),
]

DOCX_PLAN = Letter(
    issuer=["ỦY BAN NHÂN DÂN", "TỈNH NGHỆ AN", "-------"],
    motto=[
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "---------------",
    ],
    number="Số: 215/KH-UBND",
    subject=[],
    place_date="Nghệ An, ngày 02 tháng 10 năm 2025",
    recipients=[],
    body=[
        "KẾ HOẠCH",
        "Phòng, chống sinh vật gây hại cây trồng vụ Đông năm 2025",
        "I. NHIỆM VỤ",
        "Các cơ quan, đơn vị thực hiện các nhiệm vụ sau:",
    ],
    cc=["Nơi nhận:", "- Các sở, ngành;", "- Lưu: VT."],
    signature=["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "", "Nguyễn Văn Sơn"],
)


def plan_docx_with_task_table(path: Path) -> Path:
    """DOCX_PLAN (header and footer as borderless Word tables) with a ruled task table
    at the end of its body, before the footer."""
    build_letter_docx(path, DOCX_PLAN)
    document = docx.Document(str(path))
    footer = document.tables[-1]
    table = document.add_table(rows=1 + len(DOCX_ROWS), cols=len(TASK_HEADER))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, TASK_HEADER, strict=True):
        fill_cell(cell, [title], bold=1)
    for row, values in zip(table.rows[1:], DOCX_ROWS, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            fill_cell(cell, [value])
    footer._tbl.addprevious(table._tbl)
    document.save(str(path))
    return path


def test_a_docx_task_table_in_the_body_gives_one_task_per_row(tmp_path: Path) -> None:
    doc = extract(load(plan_docx_with_task_table(tmp_path / "kh.docx")))
    assert_spans_point_at_text(doc)
    assert row_view(doc.tasks) == [
        (
            "1",
            DOCX_ROWS[0][1],
            ["Sở Nông nghiệp và Môi trường"],
            ["Sở Khoa học và Công nghệ"],
            "2025-11-30",
        ),
        ("2", DOCX_ROWS[1][1], ["Sở Tài chính"], ["Sở Nông nghiệp và Môi trường"], None),
        (
            "3",
            DOCX_ROWS[2][1],
            ["Báo và Phát thanh, Truyền hình Nghệ An"],
            ["Sở Nông nghiệp và Môi trường"],
            "2025-12-15",
        ),
    ]
    assert all(t.part is None for t in doc.tasks)
    # The header's layout table gives none, and its fields are read.
    assert doc.number == "215/KH-UBND"
    assert doc.issuer is not None and doc.issuer.name == "Ủy ban nhân dân tỉnh Nghệ An"


def test_a_row_merged_down_from_the_numbered_row_above_takes_its_empty_cells_from_it(
    tmp_path: Path,
) -> None:
    """Rule 6, one task per row: a row whose number (and time) cells are merged
    with the row above (a rowspan, printed empty) is a task of its own, due
    when that row is."""
    rows = [
        (
            "1",
            "Lắp đặt camera giám sát tại các nút giao",
            "Công an tỉnh",
            "Sở Xây dựng",
            "Quý IV/2025",
        ),
        ("", "Kết nối dữ liệu camera về Trung tâm điều hành", "Sở Khoa học và Công nghệ", "", ""),
        (
            "2",
            "Tuyên truyền quy định về an toàn giao thông",
            "Sở Văn hóa, Thể thao và Du lịch",
            "",
            "2026",
        ),
    ]
    text = plan_with_appendix().split("PHỤ LỤC")[0] + (
        "PHỤ LỤC\nNHIỆM VỤ BẢO ĐẢM AN TOÀN GIAO THÔNG\n"
        "(Kèm theo Kế hoạch số 87/KH-UBND ngày 10 tháng 9 năm 2025 của Ủy ban nhân dân tỉnh)\n\n"
        + pipe_table(TASK_HEADER, rows)
        + "\n"
    )
    doc = extract_file(tmp_path, "kh.txt", text)
    assert_spans_point_at_text(doc)
    appendix = [t for t in doc.tasks if t.part is not None]
    assert [(t.label, names(t.lead), names(t.coordinate), due(t)) for t in appendix] == [
        ("1", ["Công an tỉnh"], ["Sở Xây dựng"], "2025-12-31"),
        ("1b", ["Sở Khoa học và Công nghệ"], ["Sở Xây dựng"], "2025-12-31"),
        ("2", ["Sở Văn hóa, Thể thao và Du lịch"], [], "2026-12-31"),
    ]


def test_two_task_tables_numbered_from_one_in_one_part_give_tasks_with_distinct_ids(
    tmp_path: Path,
) -> None:
    table = pipe_table(TASK_HEADER, APPENDIX_ROWS)
    text = plan_with_appendix() + "\n\n" + table + "\n"
    doc = extract_file(tmp_path, "kh.txt", text)
    ids = [t.task_id for t in doc.tasks]
    assert len(ids) == 1 + 2 * len(APPENDIX_ROWS)
    assert len(set(ids)) == len(ids)


def plan_docx_with_two_row_header(path: Path) -> Path:
    """DOCX_PLAN with a task table whose header is two rows: `Cơ quan thực hiện` merged
    across two columns and split below into `Chủ trì` | `Phối hợp`; `STT`, `Nội dung` and
    `Thời gian hoàn thành` merged down over both rows."""
    build_letter_docx(path, DOCX_PLAN)
    document = docx.Document(str(path))
    footer = document.tables[-1]
    body = [
        ("1", "Điều tra sinh vật gây hại trên lúa vụ Đông", "Sở Nông nghiệp và Môi trường",
         "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh, Hội Nông dân tỉnh", "Tháng 11/2025"),
        ("2", "Bố trí kinh phí mua thuốc bảo vệ thực vật", "Sở Tài chính",
         "Sở Nông nghiệp và Môi trường", "15/12/2025"),
    ]  # fmt: skip
    table = document.add_table(rows=2 + len(body), cols=5)
    table.style = "Table Grid"
    for col, title in enumerate(
        ["STT", "Nội dung", "Cơ quan thực hiện", "", "Thời gian hoàn thành"]
    ):
        if title:
            fill_cell(table.cell(0, col), [title], bold=1)
    table.cell(0, 2).merge(table.cell(0, 3))
    for col in (0, 1, 4):
        table.cell(0, col).merge(table.cell(1, col))
    fill_cell(table.cell(1, 2), ["Chủ trì"], bold=1)
    fill_cell(table.cell(1, 3), ["Phối hợp"], bold=1)
    for row, values in zip(table.rows[2:], body, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            fill_cell(cell, [value])
    footer._tbl.addprevious(table._tbl)
    document.save(str(path))
    return path


def test_a_two_row_header_splitting_the_agency_cell_gives_lead_coordinate_and_time(
    tmp_path: Path,
) -> None:
    """Rule 6: `Cơ quan thực hiện` over `Chủ trì | Phối hợp` names the lead and the
    coordinate columns; the time column merged down keeps its place."""
    doc = extract(load(plan_docx_with_two_row_header(tmp_path / "kh.docx")))
    assert_spans_point_at_text(doc)
    assert [(t.label, names(t.lead), names(t.coordinate), due(t)) for t in doc.tasks] == [
        (
            "1",
            ["Sở Nông nghiệp và Môi trường"],
            ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Hội Nông dân tỉnh"],
            "2025-11-30",
        ),
        ("2", ["Sở Tài chính"], ["Sở Nông nghiệp và Môi trường"], "2025-12-15"),
    ]


def plan_docx_with_cells_merged_down(path: Path) -> Path:
    """DOCX_PLAN with a task table whose rows 2 and 3 share row 1's coordinate and time
    cells (Word's `vMerge`) and row 3 row 2's lead: one cell printed over several rows."""
    build_letter_docx(path, DOCX_PLAN)
    document = docx.Document(str(path))
    footer = document.tables[-1]
    body = [
        ("1", "Kiểm tra chất lượng giống cây trồng vụ Đông", "Sở Nông nghiệp và Môi trường",
         "Sở Khoa học và Công nghệ, Công an tỉnh", "Tháng 11/2025"),
        ("2", "Kiểm tra chất lượng phân bón tại các đại lý", "Sở Công Thương", None, None),
        ("3", "Xử lý vi phạm về kinh doanh vật tư nông nghiệp", None, None, None),
        ("4", "Đưa tin về mùa vụ", "Báo và Phát thanh, Truyền hình Nghệ An", "", "15/12/2025"),
    ]  # fmt: skip
    table = document.add_table(rows=1 + len(body), cols=len(TASK_HEADER))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, TASK_HEADER, strict=True):
        fill_cell(cell, [title], bold=1)
    for i, values in enumerate(body, start=1):
        for j, value in enumerate(values):
            if value is None:
                table.cell(i - 1, j).merge(table.cell(i, j))  # vMerge: the cell above runs on
            else:
                fill_cell(table.cell(i, j), [value])
    footer._tbl.addprevious(table._tbl)
    document.save(str(path))
    return path


def test_a_docx_cell_merged_down_gives_its_agencies_and_time_to_every_row_it_spans(
    tmp_path: Path,
) -> None:
    """Rule 6, one task per row with its lead, coordinate and time: a coordinate, time or
    lead cell merged down over several rows belongs to each row it spans; an empty cell
    that is not merged (row 4's coordinate) gives nothing."""
    doc = extract(load(plan_docx_with_cells_merged_down(tmp_path / "kh.docx")))
    assert_spans_point_at_text(doc)
    both = ["Sở Khoa học và Công nghệ", "Công an tỉnh"]
    assert [(t.label, names(t.lead), names(t.coordinate), due(t)) for t in doc.tasks] == [
        ("1", ["Sở Nông nghiệp và Môi trường"], both, "2025-11-30"),
        ("2", ["Sở Công Thương"], both, "2025-11-30"),
        ("3", ["Sở Công Thương"], both, "2025-11-30"),
        ("4", ["Báo và Phát thanh, Truyền hình Nghệ An"], [], "2025-12-15"),
    ]


def plan_docx_with_cells_merged_across(path: Path) -> Path:
    """DOCX_PLAN with a task table (time before the agencies, a monitor column last) in
    which row 2's lead cell covers the coordinate column too and row 3's coordinate cell
    the monitor column (Word's `gridSpan`): each row then has one cell fewer."""
    build_letter_docx(path, DOCX_PLAN)
    document = docx.Document(str(path))
    footer = document.tables[-1]
    header = [
        "STT",
        "Nhiệm vụ",
        "Thời gian hoàn thành",
        "Chủ trì thực hiện",
        "Phối hợp thực hiện",
        "Cơ quan theo dõi",
    ]
    body = [
        ["1", "Rà soát thủ tục hành chính nội bộ", "Tháng 11/2025", "Sở Nội vụ",
         "Sở Tài chính", "Văn phòng Ủy ban nhân dân tỉnh"],
        ["2", "Công khai kết quả giải quyết hồ sơ", "Quý IV/2025", "Các sở, ban, ngành", None,
         "Sở Nội vụ"],
        ["3", "Kiểm tra công tác văn thư, lưu trữ", "Năm 2026", "Sở Tư pháp", "Sở Nội vụ", None],
    ]  # fmt: skip
    table = document.add_table(rows=1 + len(body), cols=len(header))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, header, strict=True):
        fill_cell(cell, [title], bold=1)
    for i, values in enumerate(body, start=1):
        for j, value in enumerate(values):
            if value is None:
                table.cell(i, j - 1).merge(table.cell(i, j))  # gridSpan over two columns
        for cell, value in zip(table.rows[i].cells, values, strict=True):
            if value is not None:
                fill_cell(cell, [value])
    footer._tbl.addprevious(table._tbl)
    document.save(str(path))
    return path


def test_a_docx_cell_merged_across_counts_in_its_first_column_and_the_next_keep_theirs(
    tmp_path: Path,
) -> None:
    """Rule 6: a lead cell that also covers the coordinate column gives no coordinate, and
    the cell after it is still the monitor; a coordinate cell over the monitor column is
    the coordinate."""
    doc = extract(load(plan_docx_with_cells_merged_across(tmp_path / "kh.docx")))
    assert_spans_point_at_text(doc)
    view = [
        (t.label, names(t.lead), names(t.coordinate), names(t.monitor), due(t)) for t in doc.tasks
    ]
    assert view == [
        ("1", ["Sở Nội vụ"], ["Sở Tài chính"], ["Văn phòng Ủy ban nhân dân tỉnh"], "2025-11-30"),
        ("2", ["@so-nganh"], [], ["Sở Nội vụ"], "2025-12-31"),
        ("3", ["Sở Tư pháp"], ["Sở Nội vụ"], [], "2026-12-31"),
    ]
