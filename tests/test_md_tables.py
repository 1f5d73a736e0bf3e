"""Table hints of text letters (`vanban.pipeline.md_tables`): both crawl styles, read
in the loader's text and, through `load`, in the normalised text.

The letters are invented, in the shapes thuvienphapluat.vn crawls take.
"""

from __future__ import annotations

from pathlib import Path

from vanban.pipeline.load import load
from vanban.pipeline.md_tables import find_tables
from vanban.schemas.text import TableHint

# Every `|` on a line of its own: the letter's header glued to its title, a
# five-column task table (section rows, an empty last cell, an empty middle
# cell, continuation rows without number) glued to the footer.
PIPE_LINES_LETTER = """\
|
**ỦY BAN NHÂN DÂN**
TỈNH LAM SƠN
-------
|
**CỘNG HÒA XÃ HỘI
CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
---------------
|
|
Số: 123/KH-UBND
|
*Lam Sơn, ngày 05
tháng 12 năm 2025*
|
**KẾ HOẠCH**
Triển khai chuyển đổi số năm 2026

Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:

|
**TT**
|
**Nội dung thực
hiện**
|
**Cơ quan chủ trì**
|
**Thời gian hoàn
thành**
|
**Sản phẩm dự kiến**
|
|
**I**
|
**KIỆN TOÀN BỘ MÁY CHỈ ĐẠO**
|
|
1
|
Thành lập Tổ công tác chuyển đổi số
cấp tỉnh, cấp xã
|
Sở Khoa học và Công nghệ
|
Tháng 01/2026
|
Quyết định của Chủ tịch UBND tỉnh
|
|
2
|
Rà soát quy chế hoạt động của
Tổ công tác
|
Văn phòng UBND tỉnh
|
Thường xuyên
|
|
|
**II**
|
**TRIỂN KHAI NỀN TẢNG SỐ**
|
|
1
|
Xây dựng kho dữ liệu dùng chung
|
Sở Tài chính
|
Quý II/2026
|
Kho dữ liệu
|
|
Vận hành thử kho dữ liệu
|
Trung tâm Chuyển đổi số
|
|
2
|
Tập huấn kỹ năng số
|
|
Quý III/2026
|
Báo cáo
|
|
3
|
Bồi dưỡng cán bộ
|
Sở Nội vụ
|
|
Tổ chức thi tìm hiểu
|
Sở Nội vụ
|
Quý IV/2026
|
|
*Nơi nhận:*
- Như trên;
- Lưu: VT.
|
**KT. CHỦ TỊCH**
PHÓ CHỦ TỊCH
**Trần Văn Bình**
|
"""

# One row per line: a header with separator rows, a task table without one
# (an escaped pipe, an empty cell), a sentence with a stray pipe, the footer.
MARKDOWN_LETTER = """\
| BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc --------------- |
|---|---|
| Số: 45/BNNMT-KH V/v báo cáo tiến độ trồng rừng | Hà Nội, ngày 10 tháng 12 năm 2025 |

Kính gửi: Ủy ban nhân dân các tỉnh, thành phố.

Bộ đề nghị các địa phương thực hiện các nội dung sau:

| TT | Nhiệm vụ | Đơn vị thực hiện | Thời hạn |
| 1 | Báo cáo kết quả **trồng rừng** | Sở Nông nghiệp và Môi trường | 20/12/2025 |
| 2 | Cập nhật số liệu \\| bản đồ rừng | Chi cục Kiểm lâm |  |

Theo quy định tại Điều 5 | khoản 2 Thông tư, các đơn vị gửi báo cáo đúng hạn.

| Nơi nhận: - Như trên; - Lưu: VT. | KT. BỘ TRƯỞNG THỨ TRƯỞNG Lê Văn Cường |
|---|---|
"""


def cells(text: str, table: TableHint) -> list[list[str]]:
    return [[text[s:e] for s, e in row] for row in table.rows]


def words(cell: str) -> str:
    return " ".join(cell.split())


def loaded_tables(tmp_path: Path, text: str) -> tuple[str, list[TableHint]]:
    path = tmp_path / "cong_van.txt"
    path.write_text(text, encoding="utf-8")
    doc = load(path).text_doc()
    return doc.text, doc.tables


def test_pipe_lines_letter_header_task_table_and_footer() -> None:
    tables = find_tables(PIPE_LINES_LETTER)
    assert [t.source for t in tables] == ["pipe_lines"] * 3
    header, tasks, footer = (cells(PIPE_LINES_LETTER, t) for t in tables)
    assert header == [
        [
            "**ỦY BAN NHÂN DÂN**\nTỈNH LAM SƠN\n-------",
            "**CỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM**\nĐộc lập - Tự do - Hạnh phúc\n---------------",
        ],
        ["Số: 123/KH-UBND", "*Lam Sơn, ngày 05\ntháng 12 năm 2025*"],
    ]
    assert tasks == [
        [
            "**TT**",
            "**Nội dung thực\nhiện**",
            "**Cơ quan chủ trì**",
            "**Thời gian hoàn\nthành**",
            "**Sản phẩm dự kiến**",
        ],
        ["**I**", "**KIỆN TOÀN BỘ MÁY CHỈ ĐẠO**"],
        [
            "1",
            "Thành lập Tổ công tác chuyển đổi số\ncấp tỉnh, cấp xã",
            "Sở Khoa học và Công nghệ",
            "Tháng 01/2026",
            "Quyết định của Chủ tịch UBND tỉnh",
        ],
        [
            "2",
            "Rà soát quy chế hoạt động của\nTổ công tác",
            "Văn phòng UBND tỉnh",
            "Thường xuyên",
            "",
        ],
        ["**II**", "**TRIỂN KHAI NỀN TẢNG SỐ**"],
        ["1", "Xây dựng kho dữ liệu dùng chung", "Sở Tài chính", "Quý II/2026", "Kho dữ liệu"],
        ["Vận hành thử kho dữ liệu", "Trung tâm Chuyển đổi số"],
        ["2", "Tập huấn kỹ năng số", "", "Quý III/2026", "Báo cáo"],
        ["3", "Bồi dưỡng cán bộ", "Sở Nội vụ"],
        ["Tổ chức thi tìm hiểu", "Sở Nội vụ", "Quý IV/2026"],
    ]
    assert footer == [
        [
            "*Nơi nhận:*\n- Như trên;\n- Lưu: VT.",
            "**KT. CHỦ TỊCH**\nPHÓ CHỦ TỊCH\n**Trần Văn Bình**",
        ]
    ]


def test_pipe_lines_empty_cells_sit_between_their_pipes() -> None:
    tasks = find_tables(PIPE_LINES_LETTER)[1]
    for s, e in (tasks.rows[3][4], tasks.rows[7][2]):
        assert s == e
        assert PIPE_LINES_LETTER[s - 2 : s + 1] == "|\n|"


def test_pipe_lines_cells_in_normalised_text(tmp_path: Path) -> None:
    text, tables = loaded_tables(tmp_path, PIPE_LINES_LETTER)
    assert len(tables) == 3
    header, tasks, footer = ([[text[s:e] for s, e in row] for row in t.rows] for t in tables)
    # A wrap before a capital may stay a newline or become a space.
    assert words(header[0][0]).startswith("ỦY BAN NHÂN DÂN TỈNH LAM SƠN")
    assert words(header[0][1]).startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập")
    assert header[1] == ["Số: 123/KH-UBND", "Lam Sơn, ngày 05 tháng 12 năm 2025"]
    # Bold markers go; a line wrapped before a lower-case word is joined.
    assert tasks[0] == [
        "TT",
        "Nội dung thực hiện",
        "Cơ quan chủ trì",
        "Thời gian hoàn thành",
        "Sản phẩm dự kiến",
    ]
    assert tasks[1] == ["I", "KIỆN TOÀN BỘ MÁY CHỈ ĐẠO"]
    assert tasks[2][1] == "Thành lập Tổ công tác chuyển đổi số cấp tỉnh, cấp xã"
    assert [words(cell) for cell in tasks[3]] == [
        "2",
        "Rà soát quy chế hoạt động của Tổ công tác",
        "Văn phòng UBND tỉnh",
        "Thường xuyên",
        "",
    ]
    assert tasks[7] == ["2", "Tập huấn kỹ năng số", "", "Quý III/2026", "Báo cáo"]
    assert words(footer[0][0]) == "Nơi nhận: - Như trên; - Lưu: VT."
    assert words(footer[0][1]) == "KT. CHỦ TỊCH PHÓ CHỦ TỊCH Trần Văn Bình"


def test_markdown_letter_rows_with_and_without_separator() -> None:
    tables = find_tables(MARKDOWN_LETTER)
    assert [t.source for t in tables] == ["markdown"] * 3
    header, tasks, footer = (cells(MARKDOWN_LETTER, t) for t in tables)
    assert header == [
        [
            "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG -------",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc ---------------",
        ],
        ["Số: 45/BNNMT-KH V/v báo cáo tiến độ trồng rừng", "Hà Nội, ngày 10 tháng 12 năm 2025"],
    ]
    assert tasks == [
        ["TT", "Nhiệm vụ", "Đơn vị thực hiện", "Thời hạn"],
        ["1", "Báo cáo kết quả **trồng rừng**", "Sở Nông nghiệp và Môi trường", "20/12/2025"],
        ["2", "Cập nhật số liệu \\| bản đồ rừng", "Chi cục Kiểm lâm", ""],
    ]
    assert footer == [["Nơi nhận: - Như trên; - Lưu: VT.", "KT. BỘ TRƯỞNG THỨ TRƯỞNG Lê Văn Cường"]]


def test_markdown_cells_in_normalised_text(tmp_path: Path) -> None:
    text, tables = loaded_tables(tmp_path, MARKDOWN_LETTER)
    assert len(tables) == 3
    header, tasks, footer = ([[text[s:e] for s, e in row] for row in t.rows] for t in tables)
    assert header[1] == [
        "Số: 45/BNNMT-KH V/v báo cáo tiến độ trồng rừng",
        "Hà Nội, ngày 10 tháng 12 năm 2025",
    ]
    assert tasks[0] == ["TT", "Nhiệm vụ", "Đơn vị thực hiện", "Thời hạn"]
    assert tasks[1] == [
        "1",
        "Báo cáo kết quả trồng rừng",
        "Sở Nông nghiệp và Môi trường",
        "20/12/2025",
    ]
    assert tasks[2][0] == "2"
    assert tasks[2][2:] == ["Chi cục Kiểm lâm", ""]
    assert footer[0][1] == "KT. BỘ TRƯỞNG THỨ TRƯỞNG Lê Văn Cường"


def test_markdown_rows_without_edge_pipes() -> None:
    text = "STT | Việc cần làm | Hạn\n1 | Gửi báo cáo quý | 15/12/2025\n"
    (table,) = find_tables(text)
    assert cells(text, table) == [
        ["STT", "Việc cần làm", "Hạn"],
        ["1", "Gửi báo cáo quý", "15/12/2025"],
    ]
    # One edge and one inner pipe is not enough for a row.
    assert find_tables("| Số: 12/UBND | Hà Nội\n| Kính gửi | Sở Y tế\n") == []


def test_table_ends_at_blank_or_other_line() -> None:
    text = "| A | B |\n| C | D |\nVăn bản tiếp theo.\n| E | F |\n\n| G | H |\n"
    assert [cells(text, t) for t in find_tables(text)] == [
        [["A", "B"], ["C", "D"]],
        [["E", "F"]],
        [["G", "H"]],
    ]


def test_stray_pipe_in_a_sentence_is_no_table() -> None:
    letters = [
        "Theo quy định tại Điều 5 | khoản 2 Thông tư, các đơn vị báo cáo đúng hạn.\n",
        "Giao Sở Tài chính chủ trì |\n\nphối hợp với các sở, ngành.\n",
        "Nội dung thứ nhất\n|\nNội dung thứ hai, không có bảng.\n",
        "| Hà Nội, ngày 14 tháng 9 năm 2025 |\n",
        "|---|---|\n",
    ]
    for text in letters:
        assert find_tables(text) == []


def test_pathological_lines_finish() -> None:
    # Linear scans only: these would take minutes with a backtracking regex.
    assert find_tables("| " * 10_000) == []
    assert find_tables("|" * 20_000) == []
    assert find_tables("|\n" * 20_000) == []
    assert find_tables(" " * 10_000 + "|" + " " * 9_999) == []
    (row_line,) = find_tables("a|" * 10_000)
    assert len(row_line.rows[0]) == 10_000
    (escaped,) = find_tables("\\|" * 10_000 + "| x | y |")
    assert len(escaped.rows[0]) == 3
    (long_row,) = find_tables("|\nô\n" * 10_000 + "|\n")
    assert len(long_row.rows) == 1
