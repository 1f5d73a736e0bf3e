"""`--redact`: phone numbers, e-mail addresses and contact persons' names are
masked in the text and in every value quoting them; spans stay valid; the
signer and the leaders whose instructions a letter conveys are kept."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from vanban.extractors.personal import find_officials, find_personal_data, find_phones_and_emails
from vanban.pipeline.cli import app
from vanban.pipeline.extract import extract, extract_text_doc
from vanban.pipeline.load import load
from vanban.pipeline.normalize import normalize
from vanban.pipeline.redact import MASK, redact_document
from vanban.schemas import Document, Signature, Source, TextDoc

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "data" / "corpus" / "dev"
CONTACT_LETTER = DEV / "raw" / "004_19434890ab6acbf6.txt"  # `3. Đầu mối liên hệ` with two persons

# A provincial letter in the usual layout: a contact person inside a task, a
# phone in another, a contact line, a conveyed leader and a signer.
LETTER = """ỦY BAN NHÂN DÂN
TỈNH BẮC NINH
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 318/UBND-KGVX
V/v triển khai ý kiến chỉ đạo của Phó Thủ tướng Trần Hồng Hà
Bắc Ninh, ngày 15 tháng 3 năm 2025
Kính gửi:
- Sở Y tế;
- Sở Tài chính;
- Ủy ban nhân dân các xã, phường.
Thực hiện Thông báo số 112/TB-VPCP ngày 10/3/2025 của Văn phòng Chính phủ về ý kiến chỉ \
đạo của Phó Thủ tướng Trần Hồng Hà, Chủ tịch UBND tỉnh Nguyễn Văn Xuân đã có ý kiến như sau:
1. Giao Sở Y tế chủ trì, phối hợp với Sở Tài chính rà soát nhu cầu kinh phí 1.500.000.000 \
đồng theo Quyết định số 453/QĐ-UBND ngày 12/03/2020, báo cáo Ủy ban nhân dân tỉnh trước ngày \
30/3/2025 (đồng chí Nguyễn Văn An, Chuyên viên phòng Kế hoạch, ĐT: 0912.345.678, email: \
annv@bacninh.gov.vn).
2. Giao Ủy ban nhân dân các xã, phường tuyên truyền theo Điều 5 Quy chuẩn QCVN 01:2021/BYT; \
báo cáo kết quả về Sở Y tế qua số điện thoại (0222) 3822 456 trước ngày 15/4/2025.
3. Đầu mối liên hệ: Bà Trần Thị Thu Hà, Văn phòng UBND tỉnh, điện thoại: 0988 123 456; \
đồng chí Đào Quang Khải, ĐT: 0203 3822 789.
Trân trọng./.
Nơi nhận:
- Như trên;
- Chủ tịch, các PCT UBND tỉnh;
- Lưu: VT, KGVX.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Đào Quang Khải
"""
LETTER_PERSONAL = [
    "Nguyễn Văn An",
    "0912.345.678",
    "annv@bacninh.gov.vn",
    "(0222) 3822 456",
    "Trần Thị Thu Hà",
    "0988 123 456",
    "0203 3822 789",
]
LETTER_KEPT = ["Trần Hồng Hà", "Nguyễn Văn Xuân", "Đào Quang Khải", "Chuyên viên phòng Kế hoạch"]


def _found(text: str) -> list[tuple[str, str]]:
    return [(r.kind, text[r.span[0] : r.span[1]]) for r in find_personal_data(text)]


@pytest.fixture(scope="module")
def letter(tmp_path_factory: pytest.TempPathFactory) -> Document:
    path = tmp_path_factory.mktemp("letter") / "318_ubnd.txt"
    path.write_text(LETTER, encoding="utf-8")
    return extract(load(path))


# -- what is found ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("ĐT: 0912.345.678.", "0912.345.678"),
        ("điện thoại 0912 345 678", "0912 345 678"),
        ("SĐT: 091-234-5678", "091-234-5678"),
        ("Di động: 0988123456", "0988123456"),
        ("gọi số 0352 123 456 để được hỗ trợ", "0352 123 456"),
        ("Zalo 0703.123.456", "0703.123.456"),
        ("số máy 0812 34 56 78", "0812 34 56 78"),
        ("(anh Tuấn: 0562 345 678)", "0562 345 678"),
        ("số cũ 0168 123 4567", "0168 123 4567"),
        ("Văn phòng: (024) 3823 4567", "(024) 3823 4567"),
        ("Fax: 024.38234567", "024.38234567"),
        ("Sở Tư pháp 0236 3822 123", "0236 3822 123"),
        ("Tel: (028) 3930.3279", "(028) 3930.3279"),
        ("số (04) 3823 4567 cũ", "(04) 3823 4567"),
        ("+84 912 345 678", "+84 912 345 678"),
        ("Tel: +84-24-3823-4567", "+84-24-3823-4567"),
        ("(+84) 24 3823 4567", "(+84) 24 3823 4567"),
        ("Phone: +84 (0) 24 3823 4567", "+84 (0) 24 3823 4567"),
        ("84-912-345-678", "84-912-345-678"),
        ("Đường dây nóng: 1900 1234", "1900 1234"),
        ("ĐT: 04 3823 4567", "04 3823 4567"),
        ("ĐT: 3823 4567 (máy lẻ 205)", "3823 4567"),
        ("Điện thoại cố định: 0203.3822.123", "0203.3822.123"),
    ],
)
def test_phone_numbers_in_every_vietnamese_form_are_found(text: str, phone: str) -> None:
    assert ("phone", phone) in _found(text)


@pytest.mark.parametrize(
    ("text", "phones"),
    [
        ("ĐT: 0912345678/0987654321", ["0912345678", "0987654321"]),
        ("ĐT: 024.3823.4567 - 0912.345.678", ["024.3823.4567", "0912.345.678"]),
        ("0912 345 678 024 3823 4567", ["0912 345 678", "024 3823 4567"]),
        ("ĐT: 3823 4567 (máy lẻ 205)", ["3823 4567", "205"]),
        ("Điện thoại: 0912345678; Fax: (024) 3823 4568", ["0912345678", "(024) 3823 4568"]),
    ],
)
def test_numbers_side_by_side_are_found_one_by_one(text: str, phones: list[str]) -> None:
    assert [v for k, v in _found(text) if k == "phone"] == phones


@pytest.mark.parametrize(
    ("text", "email"),
    [
        ("email: annv@bacninh.gov.vn.", "annv@bacninh.gov.vn"),
        ("(gửi file mềm về địa chỉ mail: ntttrang@gdt.gov.vn đồng thời", "ntttrang@gdt.gov.vn"),
        ("Thư điện tử: vanthu.sokhcn@hanoi.gov.vn;", "vanthu.sokhcn@hanoi.gov.vn"),
        ("E-mail: nguyen_van.a+bc@gmail.com)", "nguyen_van.a+bc@gmail.com"),
        ("Email: ptthuy@most.gov.vn, ĐT: 0243.9439.123", "ptthuy@most.gov.vn"),
        ("hộp thư ten[at]mic.gov.vn", "ten[at]mic.gov.vn"),
        ("hộp thư ten(at)moh.gov.vn", "ten(at)moh.gov.vn"),
    ],
)
def test_email_addresses_are_found(text: str, email: str) -> None:
    assert ("email", email) in _found(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "3. Đầu mối liên hệ\nĐối với các cơ quan Trung ương: Ông Nguyễn Trọng Nhân, "
            "số điện thoại: 0978082458.",
            "Nguyễn Trọng Nhân",
        ),
        (
            "Đầu mối liên hệ: Ông Nguyễn Văn An, Chuyên viên Vụ Kế hoạch, số điện thoại: 0912 345 678.",
            "Nguyễn Văn An",
        ),
        ("Người liên hệ: Bà Trần Thị Thu Hà (ĐT: 0988 123 456).", "Trần Thị Thu Hà"),
        ("Người liên hệ:\nÔng Hoàng Văn Nam\nĐiện thoại: 0912345678", "Hoàng Văn Nam"),
        ("Liên hệ: đ/c Lê Văn Tám, Văn phòng Sở, ĐT 0203.3822.123.", "Lê Văn Tám"),
        ("(đồng chí Nguyễn Văn A, Chuyên viên phòng Tổng hợp, ĐT: 0912.345.678)", "Nguyễn Văn A"),
        (
            "Mọi chi tiết xin liên hệ đồng chí Phạm Minh Tuấn, Phó Trưởng phòng, điện thoại "
            "0243 8234 567.",
            "Phạm Minh Tuấn",
        ),
        ("Cán bộ đầu mối: Nguyễn Thị Lan, email: lannt@moh.gov.vn.", "Nguyễn Thị Lan"),
        ("Người liên hệ: Nguyễn Văn Bình – 0912 345 678", "Nguyễn Văn Bình"),
        ("Liên hệ: Chuyên viên Đỗ Thị Mai, ĐT: 0912 345 678.", "Đỗ Thị Mai"),
        (
            "Thông tin liên hệ: ThS. Vũ Thị Hồng, Trung tâm Thông tin, ĐT: 024.3943.1234.",
            "Vũ Thị Hồng",
        ),
        ("Đề nghị liên hệ với anh Tuấn (0912345678) để phối hợp.", "Tuấn"),
        ("hotline 0912 345 678 (chị Hằng)", "Hằng"),
        ("Liên hệ: Phó Giám đốc Nguyễn Văn Cường, ĐT 0903123456.", "Nguyễn Văn Cường"),
        ("Người liên hệ: Bà Trần Thị B (Vụ Pháp chế).", "Trần Thị B"),
        ("Liên hệ: Ông Nguyễn Trọng\nNhân, số điện thoại: 0978082458.", "Nguyễn Trọng\nNhân"),
    ],
)
def test_contact_persons_names_are_found_without_honorific_or_title(text: str, name: str) -> None:
    assert ("contact_name", name) in _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Số: 453/TB-UBND",
        "Số: 0912/QĐ-UBND ngày 12/03/2020",
        "ngày 12/03/2020, ngày 12.03.2020, ngày 12-03-2020",
        "lúc 09 giờ 30 ngày 05.03.2020",
        "kinh phí 1.000.000.000 đồng, 15.000.000đ và 2,5 tỷ đồng",
        "kinh phí 0,5 tỷ đồng; tỷ lệ 0,912345678",
        "theo Điều 5, khoản 2 Điều 12",
        "năm 2025, giai đoạn 2021-2025, các năm 2020 2021 2022",
        "Quy chuẩn QCVN 01:2021/BYT và TCVN 5687:2010",
        "Nghị định số 100/2019/NĐ-CP ngày 30/12/2019",
        "Mã số thuế: 0315459414",
        "Số tài khoản: 0011004123456 tại Vietcombank",
        "Mã định danh: 000.00.12.H26",
        "Bộ GD&ĐT 2025, Bộ KH&ĐT 2024",
        "Quyết định số 1234567890/QĐ-TTg",
        "mã chương 0912345678/KB",
        "mã bưu chính 100000, dân số 1.234.567 người",
        "Bảng 2 ghi các mã 0912 345 67 8 theo thứ tự",  # a group of one digit: no phone
        "số 17 Bà Triệu, Hà Nội",
        "tỉnh Bà Rịa - Vũng Tàu",
        "Phó Thủ tướng Trần Hồng Hà chỉ đạo đồng chí Nguyễn Văn A, Phó Chủ tịch UBND tỉnh",
        "Ông Nguyễn Văn B đã trao đổi với các sở, ngành.",
        "Chủ động liên hệ, làm việc với Bộ Y tế",
        "[email protected]",
    ],
)
def test_look_alikes_and_names_outside_contact_lines_are_not_found(text: str) -> None:
    assert find_personal_data(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Văn phòng Sở, ĐT: 0912345678. Ông Nguyễn Văn B đã trao đổi với các sở, ngành.",
        "Tổng đài 1900 1234 hoạt động cả ngày; Ông Nguyễn Văn B đã trao đổi với các sở, ngành.",
    ],
)
def test_a_name_after_a_number_in_another_clause_is_no_contact(text: str) -> None:
    # `(chị Hằng)` right after a number is its contact; a sentence or a `;` between them
    # parts the two: the number is masked, the name is someone the letter speaks of.
    assert [kind for kind, _ in _found(text)] == ["phone"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("thông báo ý kiến chỉ đạo của Phó Thủ tướng Trần Hồng Hà như sau", "Trần Hồng Hà"),
        ("Chủ tịch UBND tỉnh Nguyễn Văn X đã có ý kiến", "Nguyễn Văn X"),
        ("Kết luận của đồng chí Tổng Bí thư Tô Lâm tại Hội nghị", "Tô Lâm"),
        ("Phó Thủ tướng Chính phủ Nguyễn Chí Dũng có ý kiến như sau:", "Nguyễn Chí Dũng"),
        ("Bộ trưởng Bộ Y tế Đào Hồng Lan yêu cầu", "Đào Hồng Lan"),
        ("Phó Thủ tướng Nguyễn Thành\nLong tỉnh Gia Lai", "Nguyễn Thành\nLong"),
        ("PHÓ CHỦ TỊCH\nNguyễn Văn Xuân", "Nguyễn Văn Xuân"),
    ],
)
def test_leaders_named_after_their_title_are_officials(text: str, name: str) -> None:
    assert [text[s:e] for s, e in find_officials(text)] == [name]


def test_a_leader_given_as_contact_with_a_number_is_no_official() -> None:
    text = "Liên hệ: Phó Giám đốc Nguyễn Văn Cường, ĐT 0903123456."
    assert find_officials(text) == []


def test_nothing_inside_a_keep_range_is_found() -> None:
    text = "Liên hệ: Ông Nguyễn Văn An, ĐT: 0912 345 678."
    start = text.index("Nguyễn")
    found = find_personal_data(text, keep=[(start, start + len("Nguyễn Văn An"))])
    assert [(r.kind, text[r.span[0] : r.span[1]]) for r in found] == [("phone", "0912 345 678")]


# -- the redacted record --------------------------------------------------------


def _printed(doc: Document) -> list[tuple[str, tuple[int, int], str]]:
    """(what, span, value) for every value the record places at a span."""
    out: list[tuple[str, tuple[int, int], str]] = []
    for field, span in doc.spans.items():
        value = getattr(doc, field, None)
        if isinstance(value, str):
            out.append((field, span, value))
    agencies = [doc.issuer, doc.parent_issuer, *doc.recipients]
    for t in doc.tasks:
        out.append(("task", t.span, t.text))
        agencies += [*t.lead, *t.coordinate, *t.report_to]
        if t.deadline:
            out.append(("deadline", t.deadline.span, t.deadline.raw))
    out += [("agency", a.span, a.raw) for a in agencies if a is not None and a.span is not None]
    out += [("cc", c.span, c.raw) for c in doc.cc]
    out += [("reference", r.span, r.raw) for r in doc.references]
    if doc.signer:
        for value, span in (
            (doc.signer.name, doc.signer.name_span),
            (doc.signer.title, doc.signer.title_span),
            (doc.signer.authority, doc.signer.authority_span),
        ):
            if value is not None and span is not None:
                out.append(("signer", span, value))
    return out


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


def _assert_spans_still_print_their_values(before: Document, after: Document) -> None:
    assert len(after.text) == len(before.text)
    for (what, span, old), (_, span2, new) in zip(_printed(before), _printed(after), strict=True):
        assert span == span2
        s, e = span
        assert 0 <= s <= e <= len(after.text), what
        if before.text[s:e] == old:
            assert after.text[s:e] == new, (what, new)
    for r in after.redactions:
        s, e = r.span
        assert set(after.text[s:e]) <= {MASK, " ", "\n"}, r


def _dev_records() -> list[Path]:
    return sorted([*(DEV / "raw").glob("*.txt"), *(DEV / "pdf").glob("*.pdf")])


@pytest.fixture(scope="module")
def contact_record() -> Document:
    return extract(load(CONTACT_LETTER))


def test_a_real_letter_with_contact_lines_keeps_no_phone_or_name(contact_record: Document) -> None:
    before = contact_record
    after = redact_document(before)
    dumped = after.model_dump_json()
    for value in ["0978082458", "0915239808", "Nguyễn Trọng Nhân", "Lương Đình Doanh"]:
        assert value in before.text
        assert value not in dumped
    assert not any(re.search(r"\d{9,}", s) for s in _strings(json.loads(dumped)))
    assert [r.kind for r in after.redactions] == ["contact_name", "phone"] * 2
    assert "Đối với các cơ quan Trung ương: Ông █" in after.text
    _assert_spans_still_print_their_values(before, after)


def test_every_personal_value_is_masked_and_officials_kept(letter: Document) -> None:
    after = redact_document(letter)
    dumped = after.model_dump_json()
    for value in LETTER_PERSONAL:
        assert value in letter.text
        assert value not in dumped, value
    for value in LETTER_KEPT:
        assert value in after.text, value
    assert after.signer == letter.signer
    assert after.subject == letter.subject  # the conveyed leader in the subject stays
    task = after.tasks[0].text
    assert "(đồng chí ██████ ███ ██, Chuyên viên phòng Kế hoạch, ĐT: ████████████, email: " in task
    assert "qua số điện thoại ██████ ████ ███ trước" in after.tasks[1].text
    # The signer, also given as a contact, keeps the name; the number goes.
    assert "đồng chí Đào Quang Khải, ĐT: ████ ████ ███." in after.text
    _assert_spans_still_print_their_values(letter, after)


def test_the_record_keeps_only_kind_and_span_of_what_was_masked(letter: Document) -> None:
    after = redact_document(letter)
    kinds = [r.kind for r in after.redactions]
    assert kinds.count("phone") == 4 and kinds.count("email") == 1
    assert kinds.count("contact_name") == 2
    assert all(set(r.model_dump()) == {"kind", "span"} for r in after.redactions)
    assert list(Document.model_fields)[-1] == "duplicate_of"


def test_values_quoting_a_masked_stretch_elsewhere_get_the_same_mask(letter: Document) -> None:
    phone = "0912.345.678"
    doc = letter.model_copy(
        update={
            "warnings": [*letter.warnings, f"note: the contact {phone} was read twice"],
            "source": letter.source.model_copy(
                update={"metadata": {"Author": "annv@bacninh.gov.vn", "Title": "Công văn"}}
            ),
        }
    )
    after = redact_document(doc)
    assert after.warnings[-1] == "note: the contact ████████████ was read twice"
    assert after.source.metadata == {"Author": "███████████████████", "Title": "Công văn"}


def test_redacting_twice_equals_redacting_once(letter: Document, contact_record: Document) -> None:
    for doc in (letter, contact_record):
        once = redact_document(doc)
        assert redact_document(once) == once


@pytest.mark.parametrize("path", _dev_records(), ids=lambda p: p.name)
def test_every_span_of_a_redacted_dev_record_still_points_at_its_value(path: Path) -> None:
    before = extract(load(path))
    after = redact_document(before)
    _assert_spans_still_print_their_values(before, after)
    # Outside what was masked the text is the letter's own.
    masked = {i for r in after.redactions for i in range(*r.span)}
    assert all(
        a == b
        for i, (a, b) in enumerate(zip(before.text, after.text, strict=True))
        if i not in masked
    )
    if not after.redactions:  # only a stamp's e-mail may go (below)
        assert after.model_dump(exclude={"source"}) == before.model_dump(exclude={"source"})


def test_a_digital_signature_keeps_its_signer_and_loses_its_email(letter: Document) -> None:
    raw = "Người ký: Đào Quang Khải\nEmail: khaidq@bacninh.gov.vn\nCơ quan: UBND tỉnh Bắc Ninh"
    stamp = Signature(signer="Đào Quang Khải", organization="UBND tỉnh Bắc Ninh", raw=raw)
    before = letter.model_copy(
        update={"source": letter.source.model_copy(update={"signatures": [stamp]})}
    )
    after = redact_document(before)
    [kept] = after.source.signatures
    assert kept.signer == "Đào Quang Khải" and kept.organization == "UBND tỉnh Bắc Ninh"
    assert kept.raw == raw.replace("khaidq@bacninh.gov.vn", MASK * 21)
    assert after.source.path == before.source.path and after.doc_id == before.doc_id


TOKENS = [
    "Đầu mối liên hệ:",
    "Liên hệ:",
    "Người liên hệ:",
    "xin liên hệ",
    "Ông",
    "Bà",
    "đồng chí",
    "đ/c",
    "Nguyễn Văn An",
    "Trần Thị Thu Hà",
    "Đào Quang Khải",
    "Chuyên viên",
    "Phó Thủ tướng",
    "Chủ tịch UBND tỉnh",
    "ĐT:",
    "điện thoại",
    "0912.345.678",
    "(024) 3823 4567",
    "+84 912 345 678",
    "annv@bacninh.gov.vn",
    "453/QĐ-UBND",
    "12/03/2020",
    "1.500.000 đồng",
    "Giao Sở Y tế",
    "trước ngày 30/3/2025",
    "1.",
    "2.",
    "(",
    ")",
    ",",
    ";",
    ".",
    "\n",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_spans_stay_valid_on_letters_sprinkled_with_contacts(data: st.DataObject) -> None:
    text = LETTER
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(text)))
        words = data.draw(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=25))
        text = text[:i] + " ".join(words) + text[i:]
    source = Source(path="p.txt", format="txt", sha256="0" * 64)
    before = extract_text_doc(TextDoc(normalize(text).text), source)
    after = redact_document(before)
    _assert_spans_still_print_their_values(before, after)
    assert redact_document(after) == after


# -- export --redact ------------------------------------------------------------


def test_export_redact_writes_tables_without_phone_email_or_name(
    letter: Document, contact_record: Document, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "documents.jsonl").write_text(
        "".join(d.model_dump_json() + "\n" for d in (letter, contact_record)), encoding="utf-8"
    )
    runner = CliRunner()
    plain = runner.invoke(app, ["export", str(out), "--format", "csv", "--to", str(tmp_path / "a")])
    assert plain.exit_code == 0, plain.output
    tasks = pd.read_csv(tmp_path / "a" / "tasks.csv", encoding="utf-8-sig")
    assert tasks["text"].str.contains("0912.345.678", regex=False).any()  # the test can fail

    res = runner.invoke(
        app, ["export", str(out), "--format", "json", "--to", str(tmp_path / "b"), "--redact"]
    )
    assert res.exit_code == 0, res.output
    written = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "b").iterdir()}
    assert set(written) == {"documents.jsonl", "tasks.jsonl", "assignments.jsonl"}
    for content in written.values():
        for value in ["0912.345.678", "annv@bacninh.gov.vn", "Nguyễn Văn An", "(0222) 3822 456"]:
            assert value not in content
    rows = [json.loads(line) for line in written["tasks.jsonl"].splitlines()]
    assert "ĐT: ████████████" in rows[0]["text"]
    assert rows[0]["number"] == "318/UBND-KGVX"


def test_ingest_redact_masks_every_output_and_a_plain_run_redoes_the_records(
    tmp_path: Path,
) -> None:
    """`vanban ingest --redact` (the real CLI): no contact phone or name in
    documents.jsonl or tasks.jsonl; a run without it is
    another set of records, so every file is read again."""
    import subprocess
    import sys

    folder = tmp_path / "in"
    folder.mkdir()
    source = next((DEV / "raw").glob("004_*.txt"))  # the seed letter with a contact person
    (folder / source.name).write_bytes(source.read_bytes())
    out = tmp_path / "out"
    vanban = Path(sys.executable).with_name("vanban")

    def run(*extra: str) -> str:
        res = subprocess.run(
            [str(vanban), "ingest", str(folder), "--out", str(out), "--quiet", *extra],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert res.returncode == 0, res.stderr[-2000:]
        return (out / "documents.jsonl").read_text(encoding="utf-8") + (
            out / "tasks.jsonl"
        ).read_text(encoding="utf-8")

    redacted = run("--redact")
    for secret in ("0978082458", "0915239808", "Nguyễn Trọng Nhân", "Lương Đình Doanh"):
        assert secret not in redacted
    doc = Document.model_validate_json((out / "documents.jsonl").read_text(encoding="utf-8"))
    assert {r.kind for r in doc.redactions} == {"phone", "contact_name"}
    plain = run()
    assert "0978082458" in plain and "Nguyễn Trọng Nhân" in plain
    assert len((out / "documents.jsonl").read_text(encoding="utf-8").splitlines()) == 1


def test_phones_and_emails_alone_are_what_find_personal_data_finds_of_them() -> None:

    expected = [r.span for r in find_personal_data(LETTER) if r.kind != "contact_name"]
    assert len(expected) >= 5
    assert find_phones_and_emails(LETTER) == expected
    assert find_phones_and_emails("Liên hệ ông Nguyễn Văn An, phòng Kế hoạch.") == []
    assert find_phones_and_emails("thư gửi an[at]most.gov.vn") != []


# A letter with names after honorifics and titles, a conveyed leader, numbers
# of every other kind, and no phone, e-mail address or contact line.
NO_CONTACT = (
    "Thực hiện ý kiến chỉ đạo của Phó Thủ tướng Trần Hồng Hà tại Thông báo số 112/TB-VPCP "
    "ngày 10/3/2025, Ông Nguyễn Văn An, Chuyên viên Lê Thị Bình và đồng chí Đào Quang Khải "
    "rà soát kinh phí 1.500.000.000 đồng theo Điều 5 Quyết định số 453/QĐ-UBND.\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (NO_CONTACT, False),
        (NO_CONTACT + "Điện thoại: 0912 345 678.", True),
        (NO_CONTACT + "Thư gửi annv@bacninh.gov.vn.", True),
        (NO_CONTACT + "Đầu mối liên hệ: Văn phòng Sở.", True),
        (LETTER, True),
    ],
)
def test_personal_data_is_looked_for_only_beside_a_phone_an_email_or_a_contact_line(
    text: str, expected: bool
) -> None:
    from vanban.extractors.personal import has_personal_data

    assert has_personal_data(text) is expected
    if not expected:  # nothing found, whatever is kept
        assert find_personal_data(text) == []
        assert find_personal_data(text, keep=[(0, len(text))]) == []


def test_a_letter_without_phone_email_or_contact_line_comes_out_of_redact_unchanged(
    tmp_path: Path,
) -> None:
    path = tmp_path / "no_contact.txt"
    path.write_text(LETTER.split("Thực hiện")[0] + NO_CONTACT, encoding="utf-8")
    doc = extract(load(path))
    redacted = redact_document(doc)
    assert redacted.text == doc.text and redacted.redactions == []
    assert redacted.model_dump() == doc.model_dump()


def test_overlapping_and_unsorted_spans_mask_their_union() -> None:
    from vanban.pipeline.redact import mask_text

    text = "0912 345 678, an@x.vn\nHà"
    assert mask_text(text, []) is text
    spans = [(14, 21), (0, 8), (5, 12), (22, 23)]
    assert mask_text(text, spans) == "████ ███ ███, ███████\n█à"


def test_an_extension_after_its_label_is_found_though_it_fits_no_phone() -> None:
    # `máy lẻ: 215` is three digits: only the label says it is a phone's extension.
    text = "Đầu mối liên hệ: đồng chí Lê Văn Hùng, điện thoại: 0239 3855 012, máy lẻ: 215."
    found = [text[s:e] for s, e in find_phones_and_emails(text)]
    assert found == ["0239 3855 012", "215"]


def test_labels_scanned_lower_cased_match_as_the_case_blind_pattern() -> None:
    from vanban.extractors.personal import _CONTACT_LABEL, _JOB_TITLE, _LEADER_TITLE

    texts = [
        "Người liên hệ: Ông Nguyễn Văn A. NGƯỜI LIÊN HỆ: BÀ LÊ THỊ B; xin Liên Lạc với C.",
        "Đầu mối: anh D. Cán bộ phụ trách: E. ĐẦU MỐI TIẾP NHẬN : F. aliên hệ: G.",
        "Theo ý kiến của PHÓ THỦ TƯỚNG Trần Hồng Hà và Chuyên viên Lê Văn H, Phó Chủ tịch.",
        # `İ` lower-cases to two characters and `ı` matches `i` case-blind: the slow scan.
        "İ Người liên hệ: Ông A. Phó Thủ tướng Lê Văn B.",
        "Thıông tin liên hệ: Ông A.",
        # `ı` for `i` alone (no `İ`): the lower case keeps its length, still the slow scan.
        "Người lıên hệ: Ông A.",
    ]
    for label in (_CONTACT_LABEL, _LEADER_TITLE, _JOB_TITLE):
        found = 0
        for text in texts:
            expected = [m.span() for m in label.slow.finditer(text)]
            assert [m.span() for m in label.finditer(text)] == expected
            found += len(expected)
            for pos in range(len(text)):
                slow, fast = label.slow.match(text, pos), label.match(text, pos)
                assert (slow and slow.span()) == (fast and fast.span())
        assert found >= 2
