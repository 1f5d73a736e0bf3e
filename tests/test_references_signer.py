"""Cited documents and the signature block."""

import pytest

from vanban.extractors.frame import find_frame
from vanban.extractors.references import extract_references
from vanban.extractors.signer import _STRAY, extract_signer
from vanban.extractors.text_utils import fold
from vanban.pipeline.normalize import normalize
from vanban.schemas import TextDoc


def _refs(body: str, own: list[str] | None = None) -> list[str]:
    doc = TextDoc(normalize(body).text)
    refs = extract_references(doc, 0, len(doc.text), own or [])
    for r in refs:
        assert doc.text[r.span[0] : r.span[1]] == r.raw
    return [r.number for r in refs]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Thực hiện Nghị quyết số 71/NQ-CP ngày 01 tháng 4 năm 2025 của Chính phủ", ["71/NQ-CP"]),
        ("văn bản số 17317-CV/VPTW ngày 04/9/2025", ["17317-CV/VPTW"]),
        ("Luật số 46/2014/QH13 và Nghị định số 146/2018/NĐ-CP", ["46/2014/QH13", "146/2018/NĐ-CP"]),
        ("Nghị quyết số 57- NQ/TW của Bộ Chính trị; Nghị quyết 57-NQ/TW", ["57-NQ/TW"]),
        ("Quyết định số 2503/QD-BTC ngày 29/11/2019", ["2503/QĐ-BTC"]),
        ("Nghị quyết số 01/NQ-\nCP ngày 07/01/2016", ["01/NQ-CP"]),
        ("theo tiêu chuẩn TCVN 14423:2025 và QCVN 01/2021/BXD", []),
        ("1/ Tổ chức thực hiện; 2/ Triển khai", []),
        ("trong quý III/2025 và ngày 12/01/2026", []),
        ("[Nội dung này được đính chính bởi Công văn 666/BYT-BH ngày 1/2/2021]", []),
    ],
)
def test_references_are_document_numbers_in_order_without_duplicates(
    body: str, expected: list[str]
) -> None:
    assert _refs(body) == expected


def test_the_letters_own_number_is_not_a_reference() -> None:
    assert _refs(
        "Công văn 227/CĐ-TTg về khắc phục hậu quả; Quyết định 5/QĐ-TTg", ["227/CĐ-TTg"]
    ) == ["5/QĐ-TTg"]


def test_reference_keeps_type_and_date_printed_beside_it() -> None:
    doc = TextDoc("Căn cứ Quyết định số 204-QĐ/TW ngày 29 tháng 11 năm 2024 của Ban Bí thư")
    (ref,) = extract_references(doc, 0, len(doc.text), [])
    assert (ref.number, ref.doc_type, ref.date) == ("204-QĐ/TW", "Quyết định", "2024-11-29")


FOOTERS = {
    "lines": (
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nNguyễn Văn An",
        "Nguyễn Văn An",
        "Thứ trưởng",
        "KT. BỘ TRƯỞNG",
    ),
    "one line": (
        "Nơi nhận: - Như trên; - Lưu: VT.\nKT. BỘ TRƯỞNG, CHỦ NHIỆM PHÓ CHỦ NHIỆM Trần Văn Sơn",
        "Trần Văn Sơn",
        "Phó Chủ nhiệm",
        "KT. BỘ TRƯỞNG, CHỦ NHIỆM",
    ),
    "nested": (
        "Nơi nhận:\n- Như trên;\nTL. CHỦ TỊCH\nKT. CHÁNH VĂN PHÒNG\nPHÓ CHÁNH VĂN PHÒNG\nVõ Thị Hoa",
        "Võ Thị Hoa",
        "Phó Chánh Văn phòng",
        "TL. CHỦ TỊCH KT. CHÁNH VĂN PHÒNG",
    ),
    "no authority": (
        "Nơi nhận:\n- Như trên;\nTHỦ TƯỚNG\nPhạm Minh Chính",
        "Phạm Minh Chính",
        "Thủ tướng",
        None,
    ),
    "split name": (
        "Nơi nhận:\n- Như trên;\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nVũ\nChiến Thắng",
        "Vũ Chiến Thắng",
        "Thứ trưởng",
        "KT. BỘ TRƯỞNG",
    ),
    "unaccented ocr": (
        "Noi nhận: KT.TONG CUC TRUONG\n- Như trên; PHO TONG CUC TRUONG\n- Luu: VT.\nDang! Ngoc Minh",
        "Dang Ngoc Minh",
        "Phó Tổng cục trưởng",
        "KT.TONG CUC TRUONG",
    ),
}


@pytest.mark.parametrize("name", list(FOOTERS))
def test_signer_name_title_and_authority(name: str) -> None:
    footer, sname, title, authority = FOOTERS[name]
    doc = TextDoc(
        normalize("Văn phòng Chính phủ thông báo để các cơ quan biết, thực hiện./.\n" + footer).text
    )
    signer = extract_signer(doc, find_frame(doc))
    assert signer is not None
    assert (signer.name, signer.title, signer.authority) == (sname, title, authority)
    if signer.title_span:
        assert fold(" ".join(doc.text[slice(*signer.title_span)].split())) == fold(title)
    if signer.authority_span:
        assert " ".join(doc.text[slice(*signer.authority_span)].split()) == authority
    assert signer.name_span is not None
    assert " ".join(_STRAY.sub(" ", doc.text[slice(*signer.name_span)]).split()) == sname


def test_no_signature_block_gives_no_signer() -> None:
    doc = TextDoc(
        "Văn phòng Chính phủ thông báo để các cơ quan biết, thực hiện./.\nNơi nhận:\n- Như trên;\n- Lưu: VT, KGVX."
    )
    assert extract_signer(doc, find_frame(doc)) is None
