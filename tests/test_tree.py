"""The letter as a tree (`vanban.extractors.tree`), end to end on letters written for ANNOTATION §3:
attachments printed after the signature (§3 rule 6), item markers printed alone on their
line, the body of a notice of conclusions of a visit (§3, lead) and `vanban tree`.

Every letter here is invented, in the genre; each is saved as a file and read through
`vanban.pipeline.load.load` and `vanban.pipeline.extract.extract`, as a user's letter would be.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.task_letters import assert_spans_point_at_text, due, extract_file, names
from vanban.extractors.tree import Letter, build_letter
from vanban.pipeline.cli import app
from vanban.pipeline.extract import extract
from vanban.pipeline.load import load
from vanban.schemas import Document, Task


def _tree_of(tmp_path: Path, name: str, text: str) -> Letter:
    """The tree of `text` read as the text file `name`."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return build_letter(load(path).text_doc())


# -- letters


def decision_issuing_a_plan() -> str:
    """`Quyết định ban hành Kế hoạch`: the decision, its `Nơi nhận` and signer, then the plan."""
    return """ỦY BAN NHÂN DÂN
TỈNH NINH BÌNH
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 12/QĐ-UBND
Ninh Bình, ngày 05 tháng 3 năm 2025

QUYẾT ĐỊNH
Ban hành Kế hoạch phát triển thương mại điện tử năm 2025

ỦY BAN NHÂN DÂN TỈNH NINH BÌNH

Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
Xét đề nghị của Giám đốc Sở Công Thương tại Tờ trình số 45/TTr-SCT ngày 20 tháng 02 năm 2025.

QUYẾT ĐỊNH:

Điều 1. Ban hành kèm theo Quyết định này Kế hoạch phát triển thương mại điện tử trên địa bàn tỉnh năm 2025.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.
Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc các Sở, Thủ trưởng các cơ quan, đơn vị liên quan chịu trách nhiệm thi hành Quyết định này./.

Nơi nhận:
- Như Điều 3;
- Chủ tịch, các PCT UBND tỉnh;
- Lưu: VT, KT.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Trần Văn Minh

KẾ HOẠCH
PHÁT TRIỂN THƯƠNG MẠI ĐIỆN TỬ TRÊN ĐỊA BÀN TỈNH NĂM 2025
(Ban hành kèm theo Quyết định số 12/QĐ-UBND ngày 05 tháng 3 năm 2025 của Ủy ban nhân dân tỉnh)

I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Sở Công Thương nâng cao nhận thức của doanh nghiệp về lợi ích của thương mại điện tử.
2. Yêu cầu
Các cơ quan, đơn vị bám sát nội dung Kế hoạch, bảo đảm thiết thực, hiệu quả.
II. NHIỆM VỤ
1. Sở Công Thương chủ trì tổ chức tập huấn kỹ năng bán hàng trực tuyến cho doanh nghiệp, hoàn thành trước ngày 30 tháng 6 năm 2025.
2. Sở Khoa học và Công nghệ xây dựng sàn giao dịch điện tử của tỉnh, hoàn thành trước ngày 31 tháng 10 năm 2025.
3. Sở Tài chính bố trí kinh phí thực hiện Kế hoạch, hoàn thành trước ngày 15 tháng 4 năm 2025.
"""


PLAN_TITLE = (
    "KẾ HOẠCH PHÁT TRIỂN THƯƠNG MẠI ĐIỆN TỬ TRÊN ĐỊA BÀN TỈNH NĂM 2025 "
    "(Ban hành kèm theo Quyết định số 12/QĐ-UBND ngày 05 tháng 3 năm 2025 "
    "của Ủy ban nhân dân tỉnh)"
)


def request_letter(items: str, closing: str) -> str:
    """A provincial `Công văn` with `Kính gửi` and a list of items, then `closing`."""
    return f"""ỦY BAN NHÂN DÂN
TỈNH HÀ TĨNH
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 3051/UBND-KT
V/v chuẩn bị kế hoạch đầu tư công năm 2026
Hà Tĩnh, ngày 14 tháng 10 năm 2025

Kính gửi:
- Sở Tài chính;
- Sở Xây dựng;
- Sở Nông nghiệp và Môi trường.

Để chuẩn bị kế hoạch đầu tư công năm 2026, Ủy ban nhân dân tỉnh yêu cầu:

{items}
{closing}

Nơi nhận:
- Như trên;
- Lưu: VT, KT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Võ Trọng Hải
"""


# `1.` alone on its line, the item's text on the next (as crawls and some Word exports print it).
ITEMS_MARKER_ALONE = """1.
Sở Tài chính chủ trì tổng hợp danh mục dự án khởi công mới, báo cáo Ủy ban nhân dân tỉnh trước ngày 31/10/2025.

2.
Sở Xây dựng rà soát tiến độ các công trình giao thông trọng điểm, hoàn thành trong tháng 11 năm 2025.

3.
Sở Nông nghiệp và Môi trường đối chiếu số liệu giải ngân các dự án thủy lợi, hoàn thành trước ngày 20/11/2025.
"""

ITEMS_EXPECTED = [
    (
        "1",
        "Sở Tài chính chủ trì tổng hợp danh mục dự án khởi công mới, báo cáo Ủy ban nhân dân tỉnh trước ngày 31/10/2025.",
        ["Sở Tài chính"],
        "2025-10-31",
    ),
    (
        "2",
        "Sở Xây dựng rà soát tiến độ các công trình giao thông trọng điểm, hoàn thành trong tháng 11 năm 2025.",
        ["Sở Xây dựng"],
        "2025-11-30",
    ),
    (
        "3",
        "Sở Nông nghiệp và Môi trường đối chiếu số liệu giải ngân các dự án thủy lợi, hoàn thành trước ngày 20/11/2025.",
        ["Sở Nông nghiệp và Môi trường"],
        "2025-11-20",
    ),
]


VISIT_ITEMS = """1. Khẩn trương hoàn thiện hồ sơ điều chỉnh quy hoạch Khu kinh tế Đông Nam, hoàn thành trước ngày 30/9/2025.
2. Tập trung giải phóng mặt bằng các dự án giao thông trọng điểm, hoàn thành trong quý IV năm 2025.
3. Bộ Tài chính chủ trì xem xét hỗ trợ vốn cho dự án đường ven biển, báo cáo Thủ tướng Chính phủ trước ngày 15/10/2025."""


def conclusion_notice(subject: str, opener: str, closing: str, items: str = VISIT_ITEMS) -> str:
    """`THÔNG BÁO` / `Kết luận của …`: by default two items that name no actor, one that
    names its own."""
    return f"""VĂN PHÒNG CHỦ TỊCH NƯỚC
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 41/TB-VPCTN
Hà Nội, ngày 18 tháng 8 năm 2025

THÔNG BÁO
{subject}

{opener}

{items}

{closing}

Nơi nhận:
- UBND tỉnh Nghệ An;
- Bộ Tài chính;
- Lưu: VT.
KT. CHỦ NHIỆM
PHÓ CHỦ NHIỆM

Đỗ Văn Hùng
"""


VISIT_SUBJECT = (
    "Kết luận của Phó Chủ tịch nước Nguyễn Thị Lan tại buổi làm việc với lãnh đạo tỉnh Nghệ An"
)
VISIT_OPENER = (
    "Ngày 12/8/2025, Phó Chủ tịch nước Nguyễn Thị Lan đã làm việc với lãnh đạo tỉnh Nghệ An "
    "về tình hình phát triển kinh tế - xã hội. Sau khi nghe báo cáo, Phó Chủ tịch nước "
    "kết luận như sau:"
)

# A plan with a task table in its appendix (`PHỤ LỤC`), for `vanban tree --json`.
PLAN_WITH_APPENDIX = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG NINH
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 150/KH-UBND
Quảng Ninh, ngày 20 tháng 8 năm 2025

KẾ HOẠCH
Phòng, chống thiên tai mùa mưa bão năm 2025

I. NHIỆM VỤ
Các cơ quan thực hiện các nhiệm vụ tại Phụ lục kèm theo.

Nơi nhận:
- Các sở, ngành;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Phạm Quốc Bảo

PHỤ LỤC
NHIỆM VỤ PHÒNG, CHỐNG THIÊN TAI
(Kèm theo Kế hoạch số 150/KH-UBND ngày 20 tháng 8 năm 2025 của Ủy ban nhân dân tỉnh)

| STT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |
|---|---|---|---|---|
| 1 | Kiểm tra an toàn các hồ chứa nước | Sở Nông nghiệp và Môi trường | Sở Xây dựng | Trước ngày 30/9/2025 |
| 2 | Dự trữ lương thực, thuốc men cho vùng ven biển | Sở Công Thương | Sở Y tế | Thường xuyên |
"""


# -- helpers


def by_part(doc: Document, part: str | None) -> list[Task]:
    return [t for t in doc.tasks if t.part == part]


# -- 1. a plan issued by a decision (§3 rule 6, rule 7)


def test_a_plan_issued_by_a_decision_gives_its_tasks_with_its_title_as_part(
    tmp_path: Path,
) -> None:
    doc = extract_file(tmp_path, "qd.txt", decision_issuing_a_plan())
    assert_spans_point_at_text(doc)

    plan = by_part(doc, PLAN_TITLE)
    assert [(t.label, names(t.lead), due(t)) for t in plan] == [
        ("II.1", ["Sở Công Thương"], "2025-06-30"),
        ("II.2", ["Sở Khoa học và Công nghệ"], "2025-10-31"),
        ("II.3", ["Sở Tài chính"], "2025-04-15"),
    ]
    assert plan[0].text.startswith("Sở Công Thương chủ trì tổ chức tập huấn")
    # The purpose section names an actor but is no task (§6, sections by heading) …
    assert not any("nhận thức" in t.text for t in doc.tasks)
    # … and the decision's articles (issuing the plan, its effect, who executes it) give none.
    assert by_part(doc, None) == []
    assert len(doc.tasks) == 3


def test_the_header_fields_of_a_decision_issuing_a_plan_come_from_the_decision(
    tmp_path: Path,
) -> None:
    doc = extract_file(tmp_path, "qd.txt", decision_issuing_a_plan())
    assert doc.doc_type == "Quyết định"
    assert doc.number == "12/QĐ-UBND"
    assert doc.issued_date == "2025-03-05"
    assert doc.issuer is not None and doc.issuer.name == "Ủy ban nhân dân tỉnh Ninh Bình"
    assert doc.signer is not None
    assert (doc.signer.name, doc.signer.title) == ("Trần Văn Minh", "Phó Chủ tịch")


def test_the_tree_of_a_decision_has_the_plan_as_an_attachment_with_its_own_items(
    tmp_path: Path,
) -> None:
    letter = _tree_of(tmp_path, "qd.txt", decision_issuing_a_plan())
    assert [p.kind for p in letter.parts] == ["letter", "attachment"]
    plan = letter.attachments[0]
    assert plan.title == PLAN_TITLE
    assert plan.doc_type == "Kế hoạch"
    # The letter ends before the plan; the plan's items are its own.
    assert letter.main.span[1] <= plan.span[0]
    assert [c.label for c in plan.items.children] == ["I", "II"]
    assert [c.label for c in letter.main.items.children if c.style == "article"] == [
        "Điều 1",
        "Điều 2",
        "Điều 3",
    ]


def test_a_plan_signed_without_cc_list_ends_at_the_first_line_of_its_signature_block(
    tmp_path: Path,
) -> None:
    """An attached plan signed `TM. ỦY BAN NHÂN DÂN` / `KT. CHỦ TỊCH` (no `Nơi nhận`):
    the whole block is its signature, none of it its last item's text (§3 rule 6)."""
    signed = "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nTrần Văn Minh\n"
    doc = extract_file(tmp_path, "qd.txt", decision_issuing_a_plan() + signed)
    last = by_part(doc, PLAN_TITLE)[-1]
    assert last.text.endswith("hoàn thành trước ngày 15 tháng 4 năm 2025.")
    assert "ỦY BAN" not in last.text


def _decision_with(attachment: str) -> str:
    """The decision of `decision_issuing_a_plan` up to its signature, then `attachment`."""
    decision = decision_issuing_a_plan()
    return decision[: decision.index("KẾ HOẠCH\nPHÁT TRIỂN")] + attachment


def test_a_plan_subject_printed_in_sentence_case_is_part_of_its_title(tmp_path: Path) -> None:
    """`KẾ HOẠCH` / `Phát triển … năm 2025` / `(Ban hành kèm theo …)`: the subject line and the
    caption are the plan's title (its `part`), not text of its body (§3 rule 6)."""
    plan = (
        "KẾ HOẠCH\nPhát triển thương mại điện tử trên địa bàn tỉnh năm 2025\n"
        "(Ban hành kèm theo Quyết định số 12/QĐ-UBND ngày 05/3/2025 của Ủy ban nhân dân tỉnh)\n\n"
        "I. TỔ CHỨC THỰC HIỆN\n"
        "1. Sở Công Thương tổ chức tập huấn kỹ năng bán hàng trực tuyến cho doanh nghiệp.\n"
    )
    doc = extract_file(tmp_path, "qd.txt", _decision_with(plan))
    title = (
        "KẾ HOẠCH Phát triển thương mại điện tử trên địa bàn tỉnh năm 2025 (Ban hành kèm theo "
        "Quyết định số 12/QĐ-UBND ngày 05/3/2025 của Ủy ban nhân dân tỉnh)"
    )
    assert [(t.label, t.part) for t in doc.tasks] == [("I.1", title)]


def test_a_plan_without_a_caption_keeps_its_items_before_a_later_kem_theo(tmp_path: Path) -> None:
    """`KẾ HOẠCH` / its subject, no caption, then its sections: a `(Kèm theo …)` line under an
    item further on is no caption of the title, whose lines would hold items (§3 rule 6: the
    attachment's own items are its tasks)."""
    plan = (
        "KẾ HOẠCH\nPhát triển thương mại điện tử năm 2025\n\n"
        "I. NHIỆM VỤ\n"
        "1. Sở Công Thương tổ chức tập huấn kỹ năng bán hàng trực tuyến.\n"
        "2. Sở Tài chính bố trí kinh phí thực hiện Kế hoạch.\n"
        "(Kèm theo dự toán chi tiết)\n"
    )
    doc = extract_file(tmp_path, "qd.txt", _decision_with(plan))
    assert [t.label for t in doc.tasks if t.part] == ["I.1", "I.2"]


def test_an_appendix_titled_in_sentence_case_is_an_attachment(tmp_path: Path) -> None:
    """`Phụ lục I` / `Danh mục nhiệm vụ …` / `(Kèm theo …)`: an appendix whose type name is not in
    capitals opens an attachment as `PHỤ LỤC I` does; its task table's rows carry its title."""
    appendix = (
        "Phụ lục I\nDanh mục nhiệm vụ năm 2025\n"
        "(Kèm theo Quyết định số 12/QĐ-UBND ngày 05/3/2025 của Ủy ban nhân dân tỉnh)\n\n"
        "| STT | Nhiệm vụ | Cơ quan chủ trì | Thời hạn hoàn thành |\n|---|---|---|---|\n"
        "| 1 | Xây dựng sàn giao dịch điện tử | Sở Công Thương | 31/10/2025 |\n"
    )
    letter = _tree_of(tmp_path, "qd.txt", _decision_with(appendix))
    assert [p.kind for p in letter.parts] == ["letter", "attachment"]
    assert letter.attachments[0].title is not None
    assert letter.attachments[0].title.startswith("Phụ lục I Danh mục nhiệm vụ năm 2025 (Kèm")


def test_a_plan_after_a_signature_with_no_cc_list_above_it_is_an_attachment(
    tmp_path: Path,
) -> None:
    """A decision signed `TM. ỦY BAN NHÂN DÂN` whose `Nơi nhận` list is printed at the end of the
    file, after the plan it issues: the plan starts after the signature all the same, and its
    tasks carry its title (§3 rule 6)."""
    decision = decision_issuing_a_plan()
    cc = decision[decision.index("Nơi nhận:") : decision.index("TM. ỦY BAN")]
    text = decision.replace(cc, "") + "\n" + cc
    doc = extract_file(tmp_path, "qd.txt", text)
    assert [(t.label, t.part) for t in doc.tasks] == [
        ("II.1", PLAN_TITLE),
        ("II.2", PLAN_TITLE),
        ("II.3", PLAN_TITLE),
    ]
    assert not any("Trần Văn Minh" in t.text for t in doc.tasks)


def test_a_chapter_heading_of_an_attached_regulation_opens_no_attachment(tmp_path: Path) -> None:
    """`Chương I` / `QUY ĐỊNH CHUNG` inside a regulation is its chapter's heading, not the title of
    a second attached document."""
    rules = (
        "QUY ĐỊNH\nVề quản lý cây xanh đô thị\n"
        "(Ban hành kèm theo Quyết định số 12/QĐ-UBND ngày 05/3/2025 của Ủy ban nhân dân tỉnh)\n\n"
        "Chương I\nQUY ĐỊNH CHUNG\nĐiều 1. Phạm vi điều chỉnh\n"
        "Quy định này quy định về quản lý cây xanh đô thị.\n"
    )
    letter = _tree_of(tmp_path, "qd.txt", _decision_with(rules))
    assert [p.title for p in letter.attachments] == [
        "QUY ĐỊNH Về quản lý cây xanh đô thị (Ban hành kèm theo Quyết định số 12/QĐ-UBND "
        "ngày 05/3/2025 của Ủy ban nhân dân tỉnh)"
    ]


# -- 4. item markers printed alone on their line (`vanban.extractors.structure`)


def test_markers_printed_alone_on_their_line_open_the_item_of_the_next_line(
    tmp_path: Path,
) -> None:
    closing = "Yêu cầu các đơn vị khẩn trương triển khai thực hiện./."
    doc = extract_file(tmp_path, "cv.txt", request_letter(ITEMS_MARKER_ALONE, closing))
    assert_spans_point_at_text(doc)
    assert [(t.label, t.text, names(t.lead), due(t)) for t in doc.tasks] == ITEMS_EXPECTED


def test_a_marker_alone_on_its_line_is_in_the_tree_with_its_marker(tmp_path: Path) -> None:
    closing = "Yêu cầu các đơn vị khẩn trương triển khai thực hiện./."
    letter = _tree_of(tmp_path, "cv.txt", request_letter(ITEMS_MARKER_ALONE, closing))
    items = [c for c in letter.main.items.children if c.style != "para"]
    text = letter.text
    assert [(c.label, c.marker) for c in items] == [("1", "1."), ("2", "2."), ("3", "3.")]
    for item, (_, own, _, _) in zip(items, ITEMS_EXPECTED, strict=True):
        assert text[item.start : item.start + 2] == item.marker
        # The tree keeps the closing paragraph under the last item; `tasks` cuts it off.
        assert text[item.text_start : item.end].startswith(own)


def test_a_closing_formula_after_the_last_item_does_not_swallow_that_item(
    tmp_path: Path,
) -> None:
    """`Nhận được văn bản này, yêu cầu … thực hiện./.` is the closing formula (§3 rule 9);
    the last item before it is still a task."""
    closing = "Nhận được văn bản này, yêu cầu các đơn vị khẩn trương triển khai thực hiện./."
    doc = extract_file(tmp_path, "cv.txt", request_letter(ITEMS_MARKER_ALONE, closing))
    assert_spans_point_at_text(doc)
    assert [(t.label, names(t.lead), due(t)) for t in doc.tasks] == [
        (label, lead, date) for label, _, lead, date in ITEMS_EXPECTED
    ]
    assert "Nhận được" not in doc.tasks[-1].text


# -- 5. a notice of conclusions of a visit (§3, lead)


@pytest.mark.parametrize(
    "closing",
    [
        "Văn phòng Chủ tịch nước thông báo để Ủy ban nhân dân tỉnh Nghệ An và các cơ quan liên quan biết, thực hiện./.",
        # The subject alone names the body visited.
        "Văn phòng Chủ tịch nước thông báo để các cơ quan liên quan biết, thực hiện./.",
    ],
    ids=["closing-names-the-body", "subject-only"],
)
def test_items_of_a_conclusion_notice_that_name_no_actor_are_the_visited_provinces_work(
    tmp_path: Path, closing: str
) -> None:
    doc = extract_file(tmp_path, "tb.txt", conclusion_notice(VISIT_SUBJECT, VISIT_OPENER, closing))
    assert_spans_point_at_text(doc)
    assert doc.issuer is not None and doc.issuer.name == "Văn phòng Chủ tịch nước"
    assert [(t.label, names(t.lead), due(t)) for t in doc.tasks] == [
        ("1", ["Ủy ban nhân dân tỉnh Nghệ An"], "2025-09-30"),
        ("2", ["Ủy ban nhân dân tỉnh Nghệ An"], "2025-12-31"),
        # An item naming its own actor keeps it.
        ("3", ["Bộ Tài chính"], "2025-10-15"),
    ]


def test_a_conclusion_notice_of_a_meeting_with_no_named_body_leaves_the_issuer_as_lead(
    tmp_path: Path,
) -> None:
    subject = (
        "Kết luận của Phó Chủ tịch nước Nguyễn Thị Lan tại cuộc họp về công tác cải cách hành chính"
    )
    opener = "Ngày 12/8/2025, Phó Chủ tịch nước chủ trì cuộc họp về công tác cải cách hành chính. Phó Chủ tịch nước kết luận như sau:"
    items = """1. Hoàn thiện phần mềm một cửa điện tử của Văn phòng, hoàn thành trước ngày 30/9/2025.
2. Rà soát quy trình tiếp nhận văn bản đến, hoàn thành trong quý IV năm 2025.
3. Bộ Tài chính chủ trì hướng dẫn thanh toán phí dịch vụ công trực tuyến, hoàn thành trước ngày 15/10/2025."""
    closing = "Văn phòng Chủ tịch nước thông báo để các cơ quan liên quan biết, thực hiện./."
    doc = extract_file(tmp_path, "tb.txt", conclusion_notice(subject, opener, closing, items))
    assert_spans_point_at_text(doc)
    # No body was met or visited: an item naming no actor is the issuer's (§3, lead,
    # "otherwise … the lead is the issuer"); `các cơ quan liên quan` in the closing
    # formula is no body met or visited.
    assert [names(t.lead) for t in doc.tasks] == [
        ["Văn phòng Chủ tịch nước"],
        ["Văn phòng Chủ tịch nước"],
        ["Bộ Tài chính"],
    ]


def test_an_opening_paragraph_dated_in_words_does_not_pull_the_items_into_the_header(
    tmp_path: Path,
) -> None:
    """`Ngày 12 tháng 8 năm 2025, …` opens the body; items dated `trước ngày 30 tháng 9 năm
    2025` are items, not the header's place-and-date line."""
    opener = VISIT_OPENER.replace("Ngày 12/8/2025", "Ngày 12 tháng 8 năm 2025")
    text = (
        conclusion_notice(
            VISIT_SUBJECT,
            opener,
            "Văn phòng Chủ tịch nước thông báo để các cơ quan liên quan biết, thực hiện./.",
        )
        .replace("trước ngày 30/9/2025", "trước ngày 30 tháng 9 năm 2025")
        .replace("trước ngày 15/10/2025", "trước ngày 15 tháng 10 năm 2025")
    )
    path = tmp_path / "tb.txt"
    path.write_text(text, encoding="utf-8")
    letter = build_letter(load(path).text_doc())
    body = letter.text[slice(*letter.main.body)]
    assert body.lstrip().startswith("Ngày 12 tháng 8 năm 2025")
    assert [c.label for c in letter.main.items.children if c.style != "para"] == ["1", "2", "3"]

    doc = extract(load(path))
    assert_spans_point_at_text(doc)
    assert [(t.label, names(t.lead), due(t)) for t in doc.tasks] == [
        ("1", ["Ủy ban nhân dân tỉnh Nghệ An"], "2025-09-30"),
        ("2", ["Ủy ban nhân dân tỉnh Nghệ An"], "2025-12-31"),
        ("3", ["Bộ Tài chính"], "2025-10-15"),
    ]


PLAN_DATED_BODY = """ỦY BAN NHÂN DÂN
TỈNH HÀ TĨNH
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 153/KH-UBND
Hà Tĩnh, ngày
17 tháng 11 năm 2025
KẾ HOẠCH
Phòng, chống ma túy năm 2026
Để thực hiện Quyết định số
12/QĐ-TTg ngày 08 tháng 9 năm 2025 của Thủ tướng Chính phủ, Ủy ban nhân dân tỉnh ban hành \
Kế hoạch như sau:
I. NHIỆM VỤ
1. Sở Y tế tổ chức điều trị nghiện, báo cáo trước ngày 30 tháng 6 năm 2026.
2. Công an tỉnh rà soát người nghiện, hoàn thành trước ngày 31 tháng 3 năm 2026.
3. Sở Tài chính bố trí kinh phí thực hiện Kế hoạch.
Nơi nhận:
- Như trên;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Nguyễn Văn B
"""


def test_body_sentences_citing_a_date_are_not_the_headers_date_line(tmp_path: Path) -> None:
    """The header's date line is `<place>, ngày …` (here with the day on the next
    line, a PDF's form field), not a body sentence or an item that cites a date
    (ANNOTATION §2 `place`, `issued_date`): with no blank line between them, the
    items stay in the body (§3)."""
    path = tmp_path / "kh.txt"
    path.write_text(PLAN_DATED_BODY, encoding="utf-8")
    letter = build_letter(load(path).text_doc())
    header = letter.text[letter.frame.start : letter.frame.header_end]
    assert "Để thực hiện" not in header and "NHIỆM VỤ" not in header
    doc = extract(load(path))
    assert [(t.label, names(t.lead), due(t)) for t in doc.tasks] == [
        ("I.1", ["Sở Y tế"], "2026-06-30"),
        ("I.2", ["Công an tỉnh"], "2026-03-31"),
        ("I.3", ["Sở Tài chính"], None),
    ]
    assert (doc.place, doc.issued_date) == ("Hà Tĩnh", "2025-11-17")


# -- 6. `vanban tree`


def test_vanban_tree_prints_the_attachment_and_its_items(tmp_path: Path) -> None:
    path = tmp_path / "qd.txt"
    path.write_text(decision_issuing_a_plan(), encoding="utf-8")
    result = CliRunner().invoke(app, ["tree", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    attachment = next(i for i, line in enumerate(lines) if line.strip().startswith("attachment:"))
    assert lines[attachment].strip().startswith(f"attachment: {PLAN_TITLE} [")
    below = "\n".join(lines[attachment + 1 :])
    assert "II.1 [" in below and "Sở Công Thương chủ trì" in below
    above = "\n".join(lines[:attachment])
    assert "Điều 1 [" in above and "II.1 [" not in above


def test_vanban_tree_json_gives_the_attachment_title_and_the_roles_of_its_task_table(
    tmp_path: Path,
) -> None:
    path = tmp_path / "kh.txt"
    path.write_text(PLAN_WITH_APPENDIX, encoding="utf-8")
    result = CliRunner().invoke(app, ["tree", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    text = data["text"]
    parts = data["parts"]
    assert [p["kind"] for p in parts] == ["letter", "attachment"]
    appendix = parts[1]
    assert appendix["title"] == (
        "PHỤ LỤC NHIỆM VỤ PHÒNG, CHỐNG THIÊN TAI (Kèm theo Kế hoạch số 150/KH-UBND "
        "ngày 20 tháng 8 năm 2025 của Ủy ban nhân dân tỉnh)"
    )
    assert appendix["type"] == "Phụ lục"
    assert text[appendix["span"][0] :].startswith("PHỤ LỤC")
    [table] = appendix["tables"]
    assert table["roles"] == ["number", "content", "lead", "coordinate", "deadline"]
    assert table["task_table"] is True
    header = table["rows"][table["header_row"]]
    assert [text[s:e] for s, e in header] == [
        "STT",
        "Nội dung",
        "Cơ quan chủ trì",
        "Cơ quan phối hợp",
        "Thời gian hoàn thành",
    ]
    lead_col = table["roles"].index("lead")
    body_rows = table["rows"][table["header_row"] + 1 :]
    assert [text[slice(*row[lead_col])] for row in body_rows] == [
        "Sở Nông nghiệp và Môi trường",
        "Sở Công Thương",
    ]
    # The letter's own body holds no table.
    assert parts[0]["tables"] == []


def test_a_file_holding_two_letters_reads_the_first_and_says_so(tmp_path: Path) -> None:
    """§6 Several letters in one file: only the first letter is read; the
    others yield nothing, and the record says the file holds more."""
    first = request_letter(
        "1. Sở Tài chính tổng hợp nhu cầu vốn, hoàn thành trước ngày 30/10/2025.",
        "Yêu cầu các đơn vị khẩn trương triển khai thực hiện./.",
    )
    second = request_letter(
        "1. Sở Xây dựng rà soát danh mục công trình, hoàn thành trước ngày 15/11/2025.",
        "Yêu cầu các đơn vị khẩn trương triển khai thực hiện./.",
    ).replace("3051/UBND-KT", "3052/UBND-KT")
    doc = extract_file(tmp_path, "two.txt", first + "\n" + second)
    assert_spans_point_at_text(doc)
    assert doc.number == "3051/UBND-KT"
    assert [names(t.lead) for t in doc.tasks] == [["Sở Tài chính"]]
    assert any("second letter" in w for w in doc.warnings)


def test_vanban_tree_shows_a_short_item_whole_and_cuts_a_long_one_at_sixty(
    tmp_path: Path,
) -> None:
    short = "Sở Tài chính tổng hợp nhu cầu vốn."
    long = (
        "Sở Xây dựng kiểm tra chất lượng các công trình trường học trên địa bàn tỉnh, "
        "báo cáo Ủy ban nhân dân tỉnh trước ngày 30/11/2025."
    )
    head = (
        "ỦY BAN NHÂN DÂN\nTỈNH NINH BÌNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\nSố: 310/UBND-TH\nV/v triển khai nhiệm vụ\n"
        "Ninh Bình, ngày 05 tháng 10 năm 2025\n\nKính gửi: Các sở, ban, ngành.\n\n"
    )
    body = f"Ủy ban nhân dân tỉnh yêu cầu:\n1. {short}\n2. {long}\nTrân trọng./.\n"
    path = tmp_path / "cv.txt"
    path.write_text(head + body, encoding="utf-8")
    result = CliRunner().invoke(app, ["tree", str(path)])
    assert result.exit_code == 0, result.output
    first = next(line for line in result.output.splitlines() if line.strip().startswith("1 ["))
    second = next(line for line in result.output.splitlines() if line.strip().startswith("2 ["))
    assert first.endswith(") " + short)
    assert second.endswith(") " + long[:59] + "…")


def test_a_second_letter_without_the_motto_starts_at_its_issuer_lines(tmp_path: Path) -> None:
    """§6 Several letters in one file: a letter copied below another without the motto (a
    forwarded letter) starts at its issuer lines in capitals above its `Số:` line; the warning
    says where, so that the user can cut the file there."""
    first = request_letter(
        "1. Sở Tài chính tổng hợp nhu cầu vốn, hoàn thành trước ngày 30/10/2025.",
        "Yêu cầu các đơn vị khẩn trương triển khai thực hiện./.",
    )
    second = (
        request_letter(
            "1. Sở Xây dựng rà soát danh mục công trình, hoàn thành trước ngày 15/11/2025.",
            "Yêu cầu các đơn vị khẩn trương triển khai thực hiện./.",
        )
        .replace("3051/UBND-KT", "3052/UBND-KT")
        .replace("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n", "")
    )
    text = first + "\n" + second
    doc = extract_file(tmp_path, "two.txt", text)
    assert [names(t.lead) for t in doc.tasks] == [["Sở Tài chính"]]
    assert any(f"a new header at character {len(first) + 1})" in w for w in doc.warnings)
