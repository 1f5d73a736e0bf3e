"""Tracker-shaped tasks (issue 14): a task keeps the body that follows it up (`monitor`:
cơ quan theo dõi, đôn đốc; kiểm tra) apart from its lead and coordinate, as directive
trackers record it. Monitors come from a task table's column (`Cơ quan theo dõi, đôn
đốc`, `Cơ quan kiểm tra, đôn đốc`) or a labelled line of an item (`Cơ quan theo dõi: …`),
and never change who leads or coordinates.

The letters are invented, in the genre, and read end to end through `load` and `extract`.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.task_letters import assert_spans_point_at_text, due, extract_file, names
from vanban.pipeline.batch import task_rows
from vanban.pipeline.export import assignments_frame, tasks_frame
from vanban.pipeline.export_sqlite import read_sqlite, write_sqlite
from vanban.schemas import Document

HEADER = """| ỦY BAN NHÂN DÂN TỈNH THANH HÓA | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |
|---|---|
| Số: 52/KH-UBND | Thanh Hóa, ngày 12 tháng 3 năm 2026 |

KẾ HOẠCH
Cải cách hành chính năm 2026
"""

SIGNATURE = """
Nơi nhận:
- Các sở, ban, ngành;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Lê Thị Hoa
"""


def _pipe(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def table_plan(monitor_header: str) -> str:
    """A plan whose work is a task table with a column of the bodies that follow it up."""
    header = ["STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", monitor_header]
    header.append("Thời gian hoàn thành")
    rows = [
        [
            "1",
            "Rà soát thủ tục hành chính thuộc thẩm quyền giải quyết",
            "Sở Tư pháp",
            "Sở Tài chính",
            "Văn phòng Ủy ban nhân dân tỉnh",
            "Trước ngày 30/6/2026",
        ],
        [
            "2",
            "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
            "Sở Nội vụ",
            "Sở Tư pháp",
            "Sở Tài chính",
            "Trước ngày 31/10/2026",
        ],
    ]
    table = "\n".join([_pipe(header), "|" + "---|" * len(header), *(_pipe(r) for r in rows)])
    return f"""{HEADER}
I. MỤC ĐÍCH, YÊU CẦU
Nâng cao chất lượng giải quyết thủ tục hành chính.

II. NHIỆM VỤ CỤ THỂ

{table}
{SIGNATURE}"""


LABELLED_PLAN = f"""{HEADER}
I. MỤC ĐÍCH, YÊU CẦU
Nâng cao chất lượng giải quyết thủ tục hành chính.

II. NHIỆM VỤ CỤ THỂ
1. Tổ chức tập huấn nghiệp vụ kiểm soát thủ tục hành chính cho cán bộ cấp xã.
- Cơ quan chủ trì: Sở Tư pháp.
- Cơ quan phối hợp: Sở Nội vụ.
- Cơ quan theo dõi, đôn đốc: Văn phòng Ủy ban nhân dân tỉnh.
- Thời gian hoàn thành: trước ngày 30/6/2026.
2. Sở Tài chính bố trí kinh phí thực hiện Kế hoạch, hoàn thành trước ngày 15/4/2026.
Đơn vị đôn đốc: Sở Nội vụ.
{SIGNATURE}"""


def _view(doc: Document) -> list[tuple[list[str], list[str], list[str], str | None]]:
    return [(names(t.lead), names(t.coordinate), names(t.monitor), due(t)) for t in doc.tasks]


@pytest.mark.parametrize(
    "column", ["Cơ quan theo dõi, đôn đốc", "Đơn vị theo dõi, đôn đốc", "Cơ quan kiểm tra, đôn đốc"]
)
def test_a_monitor_column_of_a_task_table_gives_each_row_its_monitor_not_its_lead(
    tmp_path: Path, column: str
) -> None:
    doc = extract_file(tmp_path, "kh.txt", table_plan(column))
    assert_spans_point_at_text(doc)
    assert _view(doc) == [
        (["Sở Tư pháp"], ["Sở Tài chính"], ["Văn phòng Ủy ban nhân dân tỉnh"], "2026-06-30"),
        (["Sở Nội vụ"], ["Sở Tư pháp"], ["Sở Tài chính"], "2026-10-31"),
    ]


def test_a_labelled_monitor_line_of_an_item_is_its_monitor_and_leaves_lead_and_coordinate(
    tmp_path: Path,
) -> None:
    doc = extract_file(tmp_path, "kh.txt", LABELLED_PLAN)
    assert_spans_point_at_text(doc)
    assert _view(doc) == [
        (["Sở Tư pháp"], ["Sở Nội vụ"], ["Văn phòng Ủy ban nhân dân tỉnh"], "2026-06-30"),
        (["Sở Tài chính"], [], ["Sở Nội vụ"], "2026-04-15"),
    ]


def test_a_monitor_line_after_a_labelled_lead_ends_the_lead(tmp_path: Path) -> None:
    # Unbulleted lines: the lead's value would otherwise run on to the next label.
    letter = LABELLED_PLAN.replace(
        "Đơn vị đôn đốc: Sở Nội vụ.", "Cơ quan chủ trì: Sở Xây dựng.\nĐơn vị đôn đốc: Sở Nội vụ."
    )
    doc = extract_file(tmp_path, "kh.txt", letter)
    assert _view(doc)[1] == (["Sở Xây dựng"], [], ["Sở Nội vụ"], "2026-04-15")


def test_an_item_naming_only_its_monitor_is_led_by_the_issuer(tmp_path: Path) -> None:
    letter = LABELLED_PLAN.replace("- Cơ quan chủ trì: Sở Tư pháp.\n", "").replace(
        "- Cơ quan phối hợp: Sở Nội vụ.\n", ""
    )
    doc = extract_file(tmp_path, "kh.txt", letter)
    assert _view(doc)[0] == (
        ["Ủy ban nhân dân tỉnh Thanh Hóa"],
        [],
        ["Văn phòng Ủy ban nhân dân tỉnh"],
        "2026-06-30",
    )
    assert doc.tasks[0].lead_default


def test_work_that_urges_bodies_on_is_no_monitor_label(tmp_path: Path) -> None:
    # `Đôn đốc các sở, ngành: …` opens work naming bodies: not a label of who follows up.
    letter = LABELLED_PLAN.replace(
        "Đơn vị đôn đốc: Sở Nội vụ.", "Đôn đốc Sở Y tế: hoàn thành việc rà soát."
    )
    doc = extract_file(tmp_path, "kh.txt", letter)
    assert doc.tasks[1].monitor == []


def test_a_task_with_no_monitor_named_has_an_empty_list(tmp_path: Path) -> None:
    doc = extract_file(tmp_path, "kh.txt", table_plan("Ghi chú"))
    assert [t.monitor for t in doc.tasks] == [[], []]


def test_the_monitor_reaches_the_task_row_the_exports_and_the_tracker_database(
    tmp_path: Path,
) -> None:
    doc = extract_file(tmp_path, "kh.txt", LABELLED_PLAN)
    rows = task_rows(doc)
    assert [[a["name"] for a in r["monitor"]] for r in rows] == [
        ["Văn phòng Ủy ban nhân dân tỉnh"],
        ["Sở Nội vụ"],
    ]
    assert list(tasks_frame([doc])["monitor"]) == ["Văn phòng Ủy ban nhân dân tỉnh", "Sở Nội vụ"]
    assert list(assignments_frame([doc])["monitor"]) == [
        "Văn phòng Ủy ban nhân dân tỉnh",
        "Sở Nội vụ",
    ]
    path = write_sqlite([doc], tmp_path / "vanban.sqlite")
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT s.task_id, a.name FROM assignments s JOIN agencies a USING (agency_id)"
            " WHERE s.role = 'monitor' ORDER BY s.task_id"
        ).fetchall()
    assert [name for _, name in rows] == ["Văn phòng Ủy ban nhân dân tỉnh", "Sở Nội vụ"]
    back = read_sqlite(path)[0]
    assert [names(t.monitor) for t in back.tasks] == [
        ["Văn phòng Ủy ban nhân dân tỉnh"],
        ["Sở Nội vụ"],
    ]
    assert [names(t.lead) for t in back.tasks] == [["Sở Tư pháp"], ["Sở Tài chính"]]


def test_a_tracker_database_of_layout_1_without_monitors_is_still_read(tmp_path: Path) -> None:
    doc = extract_file(tmp_path, "kh.txt", table_plan("Ghi chú"))
    path = write_sqlite([doc], tmp_path / "vanban.sqlite")
    with sqlite3.connect(path) as db:
        db.execute("UPDATE schema_version SET version = 1")
    back = read_sqlite(path)[0]
    assert [names(t.lead) for t in back.tasks] == [["Sở Tư pháp"], ["Sở Nội vụ"]]
    assert [t.monitor for t in back.tasks] == [[], []]
