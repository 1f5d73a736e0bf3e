"""`vanban.pipeline.load_docx`: Word letters read as printed, in reading order."""

from __future__ import annotations

import socket
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from lxml import etree

from tests.docx_letters import (
    CORPUS,
    LETTER_3722,
    ROOT,
    SAMPLE_SOURCES,
    Letter,
    add_list,
    add_list_definition,
    build_letter_docx,
    build_samples,
    nested_tables_docx,
    new_letter_document,
    number_paragraph,
    reading_lines,
)
from vanban.pipeline.load import load
from vanban.pipeline.load_docx import load_docx
from vanban.schemas import CorruptFile, LoadError

SAMPLES = ROOT / "data" / "samples"


def lines_of(path: Path) -> list[str]:
    return load_docx(path).text.split("\n")


@pytest.fixture
def letter_path(tmp_path: Path) -> Path:
    return build_letter_docx(tmp_path / "cv_3722.docx", LETTER_3722)


# -- reading order


def test_letter_reads_as_its_lines_in_reading_order(letter_path: Path) -> None:
    assert lines_of(letter_path) == reading_lines(LETTER_3722)


def test_header_cells_are_not_interleaved(letter_path: Path) -> None:
    lines = lines_of(letter_path)
    # issuer cell, then motto cell, then `Số`/`V/v` cell, then the date cell.
    assert lines[:8] == [
        "VĂN PHÒNG CHÍNH PHỦ",
        "-------",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "---------------",
        "Số: 3722/VPCP-CN",
        LETTER_3722.subject[0],
        "Hà Nội, ngày 28 tháng 4 năm 2026",
    ]


def test_footer_cells_are_not_interleaved(letter_path: Path) -> None:
    lines = lines_of(letter_path)
    cc_at = lines.index("Nơi nhận:")
    assert lines[cc_at:] == [*LETTER_3722.cc, *LETTER_3722.signature]


def test_page_header_and_footer_are_not_body(tmp_path: Path) -> None:
    letter = replace(LETTER_3722, page_header="Bản sao lưu - trang 1")
    path = build_letter_docx(tmp_path / "with_header.docx", letter)
    document = docx.Document(str(path))
    document.sections[0].footer.paragraphs[0].text = "Trang 1/1"
    document.save(str(path))
    text = load_docx(path).text
    assert "Bản sao lưu" not in text
    assert "Trang 1/1" not in text
    assert text.split("\n") == reading_lines(LETTER_3722)


def test_nested_tables_and_merged_cells(tmp_path: Path) -> None:
    path = nested_tables_docx(tmp_path / "nested.docx")
    assert lines_of(path) == [
        "ô gộp ngang",
        "ô gộp dọc",
        "trước bảng lồng",
        "lồng trái",
        "lồng phải",
        "",  # python-docx ends the cell with an empty paragraph, as Word requires
        "sau bảng lồng",
        "ô thường",
        "sau bảng",
    ]


def test_tabs_become_spaces_and_line_breaks_new_lines(tmp_path: Path) -> None:
    document = docx.Document()
    run = document.add_paragraph().add_run("Số:")
    run.add_tab()
    run.add_text("3722/VPCP-CN")
    run.add_break()
    run.add_text("V/v dòng thứ hai")
    document.add_paragraph().add_run(" ")  # a lone space survives the parser
    path = tmp_path / "breaks.docx"
    document.save(str(path))
    assert lines_of(path) == ["Số: 3722/VPCP-CN", "V/v dòng thứ hai", " "]


def _body_xml(path: Path, body: str) -> Path:
    """Replace a document's body with raw WordprocessingML (for what python-docx cannot write)."""
    ns = " ".join(
        f'xmlns:{prefix}="{uri}"'
        for prefix, uri in {
            "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
            "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
            "v": "urn:schemas-microsoft-com:vml",
            "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
        }.items()
    )
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {ns}><w:body>{body}</w:body></w:document>'
    return _rewrite(path, "word/document.xml", lambda _: xml.encode())


def _rewrite(path: Path, member: str, change: Callable[[bytes], bytes]) -> Path:
    with zipfile.ZipFile(path) as archive:
        members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, change(data) if name == member else data)
    return path


def _plain_docx(tmp_path: Path, name: str = "plain.docx") -> Path:
    path = tmp_path / name
    docx.Document().save(str(path))
    return path


def test_content_controls_text_boxes_tracked_changes_caps_and_hidden_text(tmp_path: Path) -> None:
    box = "<w:txbxContent><w:p><w:r><w:t>KHẨN</w:t></w:r></w:p></w:txbxContent>"
    path = _body_xml(
        _plain_docx(tmp_path),
        # A block content control (python-docx's own iterator steps over it).
        "<w:sdt><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>Số: 12/UBND</w:t></w:r></w:p>"
        "</w:sdtContent></w:sdt>"
        # A text box, written twice by Word (mc:Choice for new readers, mc:Fallback VML).
        "<w:p><w:r><w:t>Kính gửi</w:t></w:r><w:r><mc:AlternateContent>"
        f"<mc:Choice Requires='wps'><w:drawing><wps:txbx>{box}</wps:txbx></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r></w:p>"
        # Tracked changes: the letter as it reads with them accepted.
        "<w:p><w:r><w:t xml:space='preserve'>trước ngày </w:t></w:r>"
        "<w:del w:id='1' w:author='a'><w:r><w:delText>10</w:delText></w:r></w:del>"
        "<w:ins w:id='2' w:author='a'><w:r><w:t>15</w:t></w:r></w:ins>"
        "<w:hyperlink><w:r><w:t xml:space='preserve'> tháng 5</w:t></w:r></w:hyperlink></w:p>"
        # All-caps formatting prints upper case; hidden text does not print.
        "<w:p><w:r><w:rPr><w:caps/></w:rPr><w:t>Văn phòng Chính phủ</w:t></w:r>"
        "<w:r><w:rPr><w:vanish/></w:rPr><w:t>ghi chú ẩn</w:t></w:r></w:p>",
    )
    raw = load_docx(path)
    assert raw.text.split("\n") == [
        "Số: 12/UBND",
        "Kính gửi",
        "KHẨN",
        "trước ngày 15 tháng 5",
        "VĂN PHÒNG CHÍNH PHỦ",
    ]
    assert any("tracked changes" in w for w in raw.warnings)


# -- numbering


def test_numbering_markers_rebuilt_and_letters_restart_under_each_item(letter_path: Path) -> None:
    lines = lines_of(letter_path)
    start = lines.index("1. Giao Bộ Xây dựng chủ trì, phối hợp với các cơ quan liên quan:")
    assert lines[start : start + 6] == [
        "1. Giao Bộ Xây dựng chủ trì, phối hợp với các cơ quan liên quan:",
        "a) rà soát hồ sơ Dự án trước ngày 10 tháng 5 năm 2026;",
        "b) báo cáo Thủ tướng Chính phủ kết quả rà soát.",
        "2. Giao Bộ Tư pháp có ý kiến về cơ chế đặc thù:",
        "a) về thẩm quyền ban hành;",
        "b) về trình tự, thủ tục.",
    ]
    # The markers really come from numbering.xml, not from the runs.
    document = docx.Document(str(letter_path))
    assert "1. Giao" not in "\n".join(p.text for p in document.paragraphs)


def _numbered_doc(
    tmp_path: Path, build: Callable[[docx.document.Document], None], name: str = "numbered.docx"
) -> list[str]:
    document = new_letter_document()
    build(document)
    path = tmp_path / name
    document.save(str(path))
    return lines_of(path)


def test_number_formats_and_multilevel_text(tmp_path: Path) -> None:
    def build(document: docx.document.Document) -> None:
        levels = [
            ("upperRoman", "%1."),
            ("decimal", "%1.%2."),
            ("lowerLetter", "(%3)"),
            ("bullet", ""),
        ]
        num = add_list(document, add_list_definition(document, levels))
        for text, level in [("A", 0), ("B", 1), ("C", 1), ("D", 2), ("E", 3), ("F", 0), ("G", 1)]:
            number_paragraph(document.add_paragraph(text), num, level)
        document.add_paragraph("không đánh số")

    assert _numbered_doc(tmp_path, build) == [
        "I. A",
        "I.1. B",
        "I.2. C",
        "(a) D",
        "- E",
        "II. F",
        "II.1. G",
        "không đánh số",
    ]


def test_lower_letter_is_word_latin_not_vietnamese_alphabet(tmp_path: Path) -> None:
    def build(document: docx.document.Document) -> None:
        num = add_list(document, add_list_definition(document, [("lowerLetter", "%1)")]))
        for i in range(28):
            number_paragraph(document.add_paragraph(f"ý {i}"), num)

    markers = [line.split(" ")[0] for line in _numbered_doc(tmp_path, build)]
    assert markers[:6] == ["a)", "b)", "c)", "d)", "e)", "f)"]  # Word prints no `đ)`
    assert markers[25:] == ["z)", "aa)", "bb)"]


def test_list_instances_share_counters_unless_restarted(tmp_path: Path) -> None:
    def build(document: docx.document.Document) -> None:
        abstract = add_list_definition(document, [("decimal", "%1.")])
        first, same = add_list(document, abstract), add_list(document, abstract)
        restarted = add_list(document, abstract, {0: 5})
        for text, num in [
            ("a", first),
            ("b", first),
            ("c", same),
            ("d", restarted),
            ("e", restarted),
        ]:
            number_paragraph(document.add_paragraph(text), num)

    # Word continues a second instance of a definition; startOverride restarts it.
    assert _numbered_doc(tmp_path, build) == ["1. a", "2. b", "3. c", "5. d", "6. e"]


def test_numbering_from_style_and_its_base_style(tmp_path: Path) -> None:
    def build(document: docx.document.Document) -> None:
        num = add_list(document, add_list_definition(document))
        base = document.styles.add_style("VB Muc", WD_STYLE_TYPE.PARAGRAPH)
        num_pr = base.element.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_numId().val = num
        child = document.styles.add_style("VB Muc Con", WD_STYLE_TYPE.PARAGRAPH)
        child.base_style = base
        document.add_paragraph("theo kiểu gốc", style=base)
        document.add_paragraph("theo kiểu kế thừa", style=child)
        sub = document.add_paragraph("cấp hai, ilvl trên đoạn", style=child)
        sub._p.get_or_add_pPr().get_or_add_numPr().get_or_add_ilvl().val = 1
        off = document.add_paragraph("numId 0 tắt đánh số của kiểu", style=child)
        off._p.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = 0
        document.add_paragraph("List Number của mẫu", style="List Number")

    assert _numbered_doc(tmp_path, build) == [
        "1. theo kiểu gốc",
        "2. theo kiểu kế thừa",
        "a) cấp hai, ilvl trên đoạn",
        "numId 0 tắt đánh số của kiểu",
        "1. List Number của mẫu",
    ]


def test_numbering_counts_paragraphs_inside_tables_in_order(tmp_path: Path) -> None:
    def build(document: docx.document.Document) -> None:
        num = add_list(document, add_list_definition(document))
        number_paragraph(document.add_paragraph("trước bảng"), num)
        cell = document.add_table(rows=1, cols=1).cell(0, 0)
        number_paragraph(cell.paragraphs[0], num).add_run("trong bảng")
        number_paragraph(document.add_paragraph("sau bảng"), num)

    assert _numbered_doc(tmp_path, build) == ["1. trước bảng", "2. trong bảng", "3. sau bảng"]


# -- errors a clerk can act on


@pytest.mark.parametrize(
    ("content", "code", "says"),
    [
        (b"\x00\x01junk bytes, not a package" * 10, "corrupt_docx", "not a Word document"),
        (b"{\\rtf1\\ansi Kinh gui}", "corrupt_docx", "RTF"),
        (b"<html><body>Kinh gui</body></html>", "corrupt_docx", "web page"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "legacy_doc", "Save As"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
            + "EncryptedPackage".encode("utf-16-le")
            + b"\x00" * 64,
            "encrypted_docx",
            "password",
        ),
    ],
)
def test_not_a_docx(tmp_path: Path, content: bytes, code: str, says: str) -> None:
    path = tmp_path / "cong_van.docx"
    path.write_bytes(content)
    with pytest.raises(LoadError) as caught:
        load_docx(path)
    assert caught.value.code == code
    assert says in caught.value.message
    if says == "RTF":  # the pipeline reads it by its content, and says so
        loaded = load(path)
        assert "Kinh gui" in loaded.text
        assert "holds an RTF document" in loaded.raw.warnings[0]
        return
    # The same through the pipeline's entry point.
    with pytest.raises(LoadError) as again:
        load(path)
    assert again.value.code == code


def test_zip_of_something_else_is_corrupt_docx(tmp_path: Path) -> None:
    path = tmp_path / "bang_tinh.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(CorruptFile) as caught:
        load_docx(path)
    assert caught.value.code == "corrupt_docx"

    plain_zip = tmp_path / "anh.docx"
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("scan.jpg", b"\xff\xd8\xff")
    with pytest.raises(CorruptFile, match="ZIP archive, not a Word document") as caught:
        load_docx(plain_zip)
    assert caught.value.code == "corrupt_docx"


def test_truncated_and_malformed_docx_are_corrupt(tmp_path: Path, letter_path: Path) -> None:
    data = letter_path.read_bytes()
    cut = tmp_path / "cut.docx"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(CorruptFile) as caught:
        load_docx(cut)
    assert caught.value.code == "corrupt_docx"

    broken = _rewrite(
        build_letter_docx(tmp_path / "broken.docx", LETTER_3722),
        "word/document.xml",
        lambda xml: xml[: len(xml) // 2],
    )
    with pytest.raises(CorruptFile, match="damaged Word file") as caught:
        load_docx(broken)
    assert caught.value.code == "corrupt_docx"


# -- hostile documents


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A local TCP port nothing should ever connect to."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(4)
        server.setblocking(False)
        yield server


def _connected(server: socket.socket) -> bool:
    try:
        conn, _ = server.accept()
    except BlockingIOError:
        return False
    conn.close()
    return True


def test_no_external_entities_dtds_or_relationship_targets_are_fetched(
    tmp_path: Path, listener: socket.socket
) -> None:
    port = listener.getsockname()[1]
    secret = tmp_path / "secret.txt"
    secret.write_text("MAT-KHAU-BI-MAT", encoding="utf-8")
    document = docx.Document()
    document.add_paragraph("Kính gửi: Bộ Tài chính")
    for target in (f"http://127.0.0.1:{port}/logo.png", secret.as_uri()):
        document.part.relate_to(target, RT.IMAGE, is_external=True)
    path = tmp_path / "hostile.docx"
    document.save(str(path))

    def add_doctype(xml: bytes) -> bytes:
        head, body = xml.split(b"?>", 1)
        doctype = (
            f'<!DOCTYPE w:document SYSTEM "http://127.0.0.1:{port}/a.dtd" ['
            f'<!ENTITY xxe SYSTEM "{secret.as_uri()}">'
            f'<!ENTITY % remote SYSTEM "http://127.0.0.1:{port}/b.dtd"> %remote;]>'
        ).encode()
        return head + b"?>" + doctype + body.replace("Kính gửi".encode(), "&xxe;Kính gửi".encode())

    _rewrite(path, "word/document.xml", add_doctype)
    raw = load_docx(path)
    assert raw.text == "Kính gửi: Bộ Tài chính"
    assert "MAT-KHAU" not in raw.text
    assert not _connected(listener)


# -- metadata


def test_core_properties_become_metadata(letter_path: Path) -> None:
    assert load_docx(letter_path).metadata == {
        "title": "Cơ chế đặc thù Dự án Metro",
        "author": "Văn phòng Chính phủ",
        "created": "2026-04-28T08:30:00+00:00",
    }


def test_no_core_properties_no_invented_metadata(tmp_path: Path) -> None:
    path = _plain_docx(tmp_path)

    def drop_core(rels: bytes) -> bytes:
        root = parse_xml(rels)
        for rel in list(root):
            if rel.get("Type") == RT.CORE_PROPERTIES:
                root.remove(rel)
        return etree.tostring(root)

    _rewrite(path, "_rels/.rels", drop_core)
    # python-docx would make up "Word Document" / "python-docx" here.
    assert load_docx(path).metadata == {}


# -- the pipeline and the samples


def test_pipeline_load_normalises_docx_without_markup(letter_path: Path) -> None:
    loaded = load(letter_path)
    assert loaded.raw.format == "docx"
    assert "Số: 3722/VPCP-CN\n" in loaded.text
    assert "\n1. Giao Bộ Xây dựng" in loaded.text
    assert "\na) rà soát hồ sơ" in loaded.text


@pytest.mark.parametrize("name", sorted(SAMPLE_SOURCES))
@pytest.mark.parametrize("where", ["data/samples", "rebuilt"])
def test_samples_read_back_as_their_source_letters(name: str, where: str, tmp_path: Path) -> None:
    if where == "rebuilt":
        build_samples(tmp_path)
        path = tmp_path / name
    else:
        path = SAMPLES / name
        if not path.exists():
            pytest.skip(f"{path} not built: python -m tests.docx_letters data/samples")
    source = (CORPUS / SAMPLE_SOURCES[name][0]).read_text(encoding="utf-8")
    expected = [line.strip() for line in source.splitlines() if line.strip()]
    assert [line for line in lines_of(path) if line.strip()] == expected


def test_8664_sample_items_are_word_numbered() -> None:
    path = SAMPLES / "cv_8664_vpcp.docx"
    if not path.exists():
        pytest.skip(f"{path} not built")
    numbered = [
        p
        for p in docx.Document(str(path)).paragraphs
        if p._p.pPr is not None and p._p.pPr.numPr is not None
    ]
    assert [p.text[:20] for p in numbered] == ["Các đồng chí Bộ trưở", "Bộ trưởng Bộ Khoa họ"]


def test_docx_and_text_letters_normalise_to_the_same_text(tmp_path: Path) -> None:
    """What extractors read is the same text, whichever format the letter came in."""
    docx_path = build_letter_docx(tmp_path / "cv.docx", LETTER_3722)
    txt_path = tmp_path / "cv.txt"
    txt_path.write_text("\n".join(reading_lines(LETTER_3722)) + "\n", encoding="utf-8")
    assert load(docx_path).text == load(txt_path).text


def test_docx_letter_gives_same_header_fields_as_text(tmp_path: Path) -> None:
    extract = pytest.importorskip("vanban.pipeline.extract")
    letter: Letter = LETTER_3722
    docx_path = build_letter_docx(tmp_path / "cv.docx", letter)
    txt_path = tmp_path / "cv.txt"
    txt_path.write_text("\n".join(reading_lines(letter)) + "\n", encoding="utf-8")
    from_docx = extract.extract(load(docx_path))
    from_text = extract.extract(load(txt_path))
    assert from_text.number  # the comparison below is not between two Nones
    for name in ("doc_type", "number", "place", "issued_date", "subject"):
        assert getattr(from_docx, name) == getattr(from_text, name), name
    assert (from_docx.issuer and from_docx.issuer.name) == (
        from_text.issuer and from_text.issuer.name
    )
    assert [r.name for r in from_docx.recipients] == [r.name for r in from_text.recipients]
