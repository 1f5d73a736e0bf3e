"""Task segmentation, actors and deadlines on letters written for each rule of ANNOTATION §3."""

from __future__ import annotations

import pytest

from vanban.pipeline.extract import extract_text_doc
from vanban.pipeline.normalize import normalize
from vanban.schemas import Document, Source, TextDoc

HEAD = """BỘ KHOA HỌC VÀ CÔNG NGHỆ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 100/BKHCN-VP
V/v triển khai nhiệm vụ chuyển đổi số
Hà Nội, ngày 10 tháng 3 năm 2026
Kính gửi:
- Các Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ;
- Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.
"""
FOOT = """Trân trọng./.
Nơi nhận:
- Như trên;
- Lưu: VT, VP.
KT. BỘ TRƯỞNG
THỨ TRƯỞNG
Nguyễn Văn An"""


def run(body: str, head: str = HEAD) -> Document:
    text = normalize(head + body + "\n" + FOOT).text
    return extract_text_doc(TextDoc(text), Source(path="x.txt", format="txt", sha256="0" * 64))


def leads(doc: Document) -> list[list[str]]:
    return [[a.code or a.name for a in t.lead] for t in doc.tasks]


def deadlines(doc: Document) -> list[str | None]:
    out: list[str | None] = []
    for t in doc.tasks:
        d = t.deadline
        out.append(None if d is None else (d.date if d.time is None else f"{d.date}T{d.time}"))
    return out


def test_actor_only_leadin_gives_its_agency_to_each_sub_item() -> None:
    doc = run(
        "Bộ Khoa học và Công nghệ đề nghị:\n"
        "1. Bộ Tài chính:\n"
        "a) Bố trí kinh phí thực hiện các nhiệm vụ chuyển đổi số năm 2026;\n"
        "b) Hướng dẫn các bộ, ngành lập dự toán trước ngày 30/4/2026.\n"
        "2. Bộ Nội vụ rà soát biên chế chuyên trách công nghệ thông tin.\n"
    )
    assert [t.label for t in doc.tasks] == ["1.a", "1.b", "2"]
    assert leads(doc) == [["Bộ Tài chính"], ["Bộ Tài chính"], ["Bộ Nội vụ"]]
    assert deadlines(doc) == [None, "2026-04-30", None]


def test_action_leadin_with_content_points_is_one_task() -> None:
    doc = run(
        "Đề nghị Quý Cơ quan:\n"
        "1. Báo cáo tình hình thực hiện Nghị quyết số 57-NQ/TW, trong đó tập trung:\n"
        "- Kết quả nổi bật đạt được trong năm 2025;\n"
        "- Khó khăn, vướng mắc và đề xuất giải pháp trong năm 2026.\n"
        "2. Thời hạn gửi báo cáo\n"
        "Đề nghị Quý Cơ quan gửi báo cáo về Bộ Khoa học và Công nghệ trước 16h00 ngày 20/3/2026.\n"
        "3. Đầu mối liên hệ: Ông Nguyễn Văn B, số điện thoại: 0912345678.\n"
    )
    assert [t.label for t in doc.tasks] == ["1"]
    assert "Khó khăn, vướng mắc" in doc.tasks[0].text
    # `Quý Cơ quan` are the recipients; the time-limit item dates the report.
    assert leads(doc) == [["@bo-nganh", "@dia-phuong"]]
    assert deadlines(doc) == ["2026-03-20T16:00"]


def test_a_letter_without_items_has_one_task_per_request_not_per_narrative_sentence() -> None:
    doc = run(
        "Ngày 05 tháng 01 năm 2026, Bộ Khoa học và Công nghệ có văn bản số 5/BKHCN-VP đề nghị các bộ "
        "báo cáo trước ngày 15/01/2026.\n"
        "Đến nay, Bộ chưa nhận được báo cáo của một số bộ, địa phương.\n"
        "Bộ Khoa học và Công nghệ đề nghị các bộ, cơ quan, địa phương khẩn trương gửi báo cáo "
        "trước ngày 20 tháng 3 năm 2026.\n"
    )
    assert len(doc.tasks) == 1
    assert doc.tasks[0].text.startswith("Bộ Khoa học và Công nghệ đề nghị")
    assert leads(doc) == [["@bo-nganh", "@dia-phuong"]]
    assert deadlines(doc) == ["2026-03-20"]


def test_coordinate_and_report_to_are_not_the_lead() -> None:
    doc = run(
        "1. Bộ Công an chủ trì, phối hợp với Bộ Tư pháp và các cơ quan liên quan xây dựng dự thảo Nghị định, "
        "báo cáo Thủ tướng Chính phủ trong tháng 6 năm 2026.\n"
        "2. Bộ Y tế khẩn trương hướng dẫn các địa phương.\n"
    )
    t = doc.tasks[0]
    assert [a.name for a in t.lead] == ["Bộ Công an"]
    assert [a.code or a.name for a in t.coordinate] == ["Bộ Tư pháp", "@lien-quan"]
    assert [a.name for a in t.report_to] == ["Thủ tướng Chính phủ"]
    assert deadlines(doc) == ["2026-06-30", None]


def test_a_lead_that_also_receives_a_report_is_no_report_to() -> None:
    # ANNOTATION §3 lead: with several main clauses the lead holds each subject; agencies that
    # only receive a report are neither lead nor coordinate: one that leads is not listed twice.
    doc = run(
        "1. Ủy ban nhân dân các xã báo cáo kết quả về Sở Nông nghiệp và Môi trường; Sở Nông "
        "nghiệp và Môi trường tổng hợp, báo cáo Bộ Nông nghiệp và Môi trường trước ngày 30/6/2026.\n"
    )
    t = doc.tasks[0]
    assert "Sở Nông nghiệp và Môi trường" in [a.name for a in t.lead]
    assert [a.name for a in t.report_to] == ["Bộ Nông nghiệp và Môi trường"]


def test_closing_formula_and_liability_only_items_are_not_tasks() -> None:
    doc = run(
        "1. Bộ Xây dựng hoàn thiện hồ sơ dự án trước ngày 31/5/2026.\n"
        "2. Chịu trách nhiệm về tính chính xác của số liệu báo cáo.\n"
        "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, đề nghị các cơ quan phản ánh về Bộ Khoa học và Công nghệ.\n"
        "Bộ Khoa học và Công nghệ thông báo để các cơ quan biết, thực hiện./.\n",
        head=HEAD,
    )
    assert [t.label for t in doc.tasks] == ["1"]


def test_plan_sections_of_purposes_are_skipped_and_labelled_lines_give_actors_and_time() -> None:
    head = HEAD.replace("V/v triển khai nhiệm vụ chuyển đổi số\n", "").replace(
        "Số: 100/BKHCN-VP", "Số: 7/KH-BKHCN"
    )
    head = head.replace(
        "Kính gửi:\n- Các Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ;\n- Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.\n",
        "KẾ HOẠCH\nChuyển đổi số năm 2026\n",
    )
    doc = run(
        "I. MỤC ĐÍCH, YÊU CẦU\n"
        "1. Nâng cao hiệu quả chuyển đổi số trong các cơ quan nhà nước.\n"
        "II. NHIỆM VỤ\n"
        "1. Xây dựng cơ sở dữ liệu dùng chung\n"
        "- Cơ quan chủ trì: Cục Chuyển đổi số quốc gia.\n"
        "- Cơ quan phối hợp: Bộ Công an.\n"
        "- Thời gian hoàn thành: Quý III/2026.\n"
        "2. Tập huấn kỹ năng số cho công chức\n"
        "- Cơ quan chủ trì: Bộ Nội vụ.\n"
        "- Thời gian thực hiện: Hằng năm.\n",
        head=head,
    )
    assert doc.doc_type == "Kế hoạch"
    assert [t.label for t in doc.tasks] == ["II.1", "II.2"]
    assert [[a.name for a in t.lead] for t in doc.tasks] == [
        ["Cục Chuyển đổi số quốc gia"],
        ["Bộ Nội vụ"],
    ]
    assert [a.name for a in doc.tasks[0].coordinate] == ["Bộ Công an"]
    # A recurring time (`Hằng năm`) gives no date.
    assert deadlines(doc) == ["2026-09-30", None]


def test_standard_articles_of_a_decision_are_not_tasks() -> None:
    head = """THỦ TƯỚNG CHÍNH PHỦ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 50/QĐ-TTg
Hà Nội, ngày 2 tháng 2 năm 2026
QUYẾT ĐỊNH
Phê duyệt Đề án đào tạo nhân lực số
THỦ TƯỚNG CHÍNH PHỦ
Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;
QUYẾT ĐỊNH:
"""
    doc = run(
        "Điều 1. Phê duyệt Đề án đào tạo nhân lực số giai đoạn 2026 - 2030.\n"
        "Điều 2. Giao Bộ Giáo dục và Đào tạo chủ trì triển khai Đề án, báo cáo Thủ tướng Chính phủ trước ngày 31/12/2026.\n"
        "Điều 3. Quyết định này có hiệu lực thi hành kể từ ngày ký.\n"
        "Điều 4. Các Bộ trưởng, Thủ trưởng cơ quan ngang bộ chịu trách nhiệm thi hành Quyết định này./.\n",
        head=head,
    )
    assert [t.label for t in doc.tasks] == ["Điều 2"]
    assert leads(doc) == [["Bộ Giáo dục và Đào tạo"]]
    assert deadlines(doc) == ["2026-12-31"]


def test_paragraph_after_the_list_with_its_own_actor_is_its_own_task() -> None:
    doc = run(
        "Giám đốc Sở Y tế có trách nhiệm:\n"
        "- Kiểm tra việc thực hiện tại các cơ sở khám bệnh, chữa bệnh;\n"
        "- Tổng hợp kết quả, báo cáo Bộ Khoa học và Công nghệ.\n"
        "Trong năm 2026, Bộ sẽ tổng kết, đánh giá kết quả thí điểm.\n"
    )
    assert [t.label for t in doc.tasks] == ["-1", "-2", "p3"]
    assert leads(doc)[:2] == [["Sở Y tế"], ["Sở Y tế"]]
    assert leads(doc)[2] == ["Bộ Khoa học và Công nghệ"]
    assert deadlines(doc)[2] == "2026-12-31"


def test_instructions_quoted_from_an_earlier_letter_are_not_tasks() -> None:
    quoted = (
        "“...Trên cơ sở danh sách doanh nghiệp thuộc kế hoạch thanh tra năm 2026 đã được phê duyệt, tiến hành rà soát, "
        "tập trung thanh tra trước đối với doanh nghiệp có rủi ro cao về thuế; không thanh tra ngoài kế hoạch trừ "
        "trường hợp đặc biệt được giao...”"
    )
    doc = run(
        "Ngày 12/3/2026 Bộ Khoa học và Công nghệ đã ban hành Công văn số 90/BKHCN-VP, trong đó yêu cầu:\n"
        + quoted
        + "\n1. Các Bộ tiếp tục thực hiện theo Công văn số 90/BKHCN-VP.\n"
        "2. Bộ Tài chính tổng hợp kết quả, báo cáo trước ngày 30/6/2026.\n"
    )
    assert all("danh sách doanh nghiệp" not in t.text for t in doc.tasks)
    assert "2" in [t.label for t in doc.tasks]


def test_task_ids_are_the_document_id_and_the_label_and_stable() -> None:
    body = "1. Bộ Tài chính bố trí kinh phí.\n2. Bộ Nội vụ rà soát biên chế.\n"
    a, b = run(body), run(body)
    assert [t.task_id for t in a.tasks] == [t.task_id for t in b.tasks]
    assert [t.task_id for t in a.tasks] == [f"{a.doc_id}:1", f"{a.doc_id}:2"]


@pytest.mark.parametrize(
    "body",
    [
        "1. Bộ Tài chính bố trí kinh phí trước ngày 31/5/2026; phối hợp với Bộ Nội vụ báo cáo Thủ tướng Chính phủ.\n",
        "Đề nghị Quý Cơ quan gửi báo cáo trước 16h00 ngày 20/3/2026.\n",
    ],
)
def test_every_task_span_points_at_its_text(body: str) -> None:
    doc = run(body)
    assert doc.tasks
    for t in doc.tasks:
        assert doc.text[t.span[0] : t.span[1]] == t.text
        for a in [*t.lead, *t.coordinate, *t.report_to]:
            if a.span is not None:
                assert doc.text[a.span[0] : a.span[1]] == a.raw
        if t.deadline is not None:
            assert doc.text[t.deadline.span[0] : t.deadline.span[1]] == t.deadline.raw


@pytest.mark.parametrize(
    "closing",
    [
        "Trên đây là báo cáo kết quả triển khai nhiệm vụ chuyển đổi số năm 2025 của Bộ Khoa học "
        "và Công nghệ, kính báo cáo Thủ tướng Chính phủ./.",
        "Rất mong các đồng chí tham dự đúng thời gian./.",
    ],
)
def test_a_reports_or_an_invitations_closing_is_no_part_of_the_last_task(closing: str) -> None:
    """§3: tasks lie before the closing formula; a report's `Trên đây là báo cáo …, kính báo
    cáo …./.` and an invitation's `Rất mong … tham dự …./.` are closings too."""
    doc = run(
        "Bộ Khoa học và Công nghệ đề nghị:\n"
        "1. Bộ Tài chính bố trí kinh phí thực hiện các nhiệm vụ chuyển đổi số năm 2026.\n"
        "2. Bộ Nội vụ rà soát biên chế chuyên trách công nghệ thông tin.\n" + closing + "\n"
    )
    assert len(doc.tasks) == 2
    assert doc.tasks[-1].text.rstrip().endswith("công nghệ thông tin.")


_QD_HEAD = """ỦY BAN NHÂN DÂN
TỈNH BẮC NINH
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 812/QĐ-UBND
Bắc Ninh, ngày 12 tháng 9 năm 2025
QUYẾT ĐỊNH
Về việc công bố danh mục thủ tục hành chính thuộc thẩm quyền giải quyết của cấp xã
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC NINH
Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;
Theo đề nghị của Giám đốc Sở Nông nghiệp và Môi trường.
QUYẾT ĐỊNH:
Điều 1. Công bố kèm theo Quyết định này danh mục 02 thủ tục hành chính thuộc thẩm quyền giải quyết
của Ủy ban nhân dân cấp xã.
Điều 2. Giao Sở Nông nghiệp và Môi trường cập nhật các thủ tục hành chính trên Cổng dịch vụ công
của tỉnh trước ngày 30/9/2025.
Điều 3. Quyết định này có hiệu lực thi hành kể từ ngày ký.
Nơi nhận:
- Như Điều 3;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Văn Phong
"""


def test_a_list_of_procedures_a_decision_publishes_gives_no_task() -> None:
    """§3 rules 7 and 8: the procedures a decision publishes (`Điều 1. Công bố … danh mục thủ tục
    hành chính`), each with its time limit and handling body, are its content and norms; only the
    article that assigns work (`Điều 2. Giao Sở … cập nhật …`) is a task."""
    attachment = (
        "\nDANH MỤC THỦ TỤC HÀNH CHÍNH THUỘC THẨM QUYỀN GIẢI QUYẾT CỦA CẤP XÃ\n(Ban hành kèm theo Quyết định số 812/QĐ-UBND ngày 12/9/2025 của Chủ tịch "
        "Ủy ban nhân dân tỉnh)\n"
        "1. Hòa giải tranh chấp đất đai.\nThời hạn giải quyết: 30 ngày kể từ ngày nhận đơn.\n"
        "Cơ quan thực hiện: Ủy ban nhân dân cấp xã.\n"
        "2. Cấp giấy xác nhận nguồn gốc sử dụng đất.\nThời hạn giải quyết: 10 ngày làm việc.\n"
        "Cơ quan thực hiện: Ủy ban nhân dân cấp xã.\n"
    )
    text = normalize(_QD_HEAD + attachment).text
    doc = extract_text_doc(TextDoc(text), Source(path="x.txt", format="txt", sha256="0" * 64))
    assert [t.label for t in doc.tasks if t.part is None] == ["Điều 2"]
    assert leads(doc)[0] == ["Sở Nông nghiệp và Môi trường"]
    assert [t.label for t in doc.tasks if t.part is not None] == []


def test_a_fresh_copy_of_actors_equals_them_and_shares_no_list() -> None:
    from dataclasses import fields

    from vanban.extractors.actors import Actors
    from vanban.extractors.tasks import _fresh
    from vanban.schemas import Agency

    body = Agency(name="Sở Xây dựng", raw="Sở Xây dựng")
    actors = Actors(lead=[body], coordinate=[body], lead_named=True, reader_asked=True)
    copy = _fresh(actors)
    assert copy == actors and type(copy) is Actors
    lists = [f.name for f in fields(Actors) if isinstance(getattr(actors, f.name), list)]
    assert lists and all(getattr(copy, n) is not getattr(actors, n) for n in lists)
    copy.lead.append(body)
    assert actors.lead == [body]
