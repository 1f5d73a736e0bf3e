"""`vanban.pipeline.load_pdf`: PDF letters to `RawText`.

Real letters from `data/corpus/dev/pdf` (checked against their gold) and the
scans of `data/corpus/ocr/pdf`; behaviours the corpus lacks are checked on
PDFs built here: with pypdfium2 and a system TrueType font (Vietnamese text
at chosen positions), or written byte by byte (an encrypted file, a form
field with only a /V value).
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import re
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from vanban.pipeline.load import load
from vanban.pipeline.load_pdf import load_pdf
from vanban.pipeline.pdf_layout import Word, read_page
from vanban.schemas import CorruptFile, LoadError

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "data" / "corpus" / "dev"
OCR = ROOT / "data" / "corpus" / "ocr" / "pdf"
DIGITAL = ["hanoi_tb_453_flag", "hanoi_kh_173_festival"]
SIGNED_SCANS = {
    "cv_3722_metro": "2026-04-28T15:49:15+07:00",
    "qd_729_ttg": "2026-04-23T15:54:16+07:00",
}
PAGE_NUMBER_LINE = re.compile(r"^\s*(?:Trang\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?\s*$")


def gold(name: str) -> dict:
    return json.loads((DEV / "gold" / f"{name}.json").read_text(encoding="utf-8"))


def dev_pdf(name: str) -> Path:
    return DEV / "pdf" / f"{name}.pdf"


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n")]


def index_of(lines: list[str], prefix: str) -> int:
    hits = [i for i, line in enumerate(lines) if line.startswith(prefix)]
    assert hits, f"no line starts with {prefix!r}"
    return hits[0]


# --- building PDFs ------------------------------------------------------------

FONT_GLOBS = ["DejaVuSerif.ttf", "DejaVuSans.ttf", "LiberationSerif-Regular.ttf"]


def _font_file() -> Path | None:
    for name in FONT_GLOBS:
        for base in (Path("/usr/share/fonts"), Path("/usr/local/share/fonts")):
            if base.is_dir():
                found = sorted(base.rglob(name))
                if found:
                    return found[0]
    return None


class Builder:
    """A PDF written by PDFium: Vietnamese text at chosen points, images."""

    def __init__(self, font: Path) -> None:
        self.doc = pdfium.PdfDocument.new()
        data = font.read_bytes()
        self._font_data = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
        self.font = pdfium_c.FPDFText_LoadFont(
            self.doc, self._font_data, len(data), pdfium_c.FPDF_FONT_TRUETYPE, True
        )
        assert self.font
        self.pages: list[pdfium.PdfPage] = []

    def page(self, width: float = 595, height: float = 842) -> pdfium.PdfPage:
        page = self.doc.new_page(width, height)
        self.pages.append(page)
        return page

    def text(
        self, page: pdfium.PdfPage, s: str, x: float, y: float, size: float = 12, center=False
    ) -> None:
        """Draw `s` with its baseline at `y`, starting at `x` (or centred on it)."""
        obj = pdfium_c.FPDFPageObj_CreateTextObj(self.doc, self.font, size)
        wide = ctypes.create_string_buffer((s + "\0").encode("utf-16-le"))
        pdfium_c.FPDFText_SetText(obj, ctypes.cast(wide, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
        if center:
            left, bottom, right, top = (ctypes.c_float() for _ in range(4))
            pdfium_c.FPDFPageObj_GetBounds(
                obj,
                ctypes.byref(left),
                ctypes.byref(bottom),
                ctypes.byref(right),
                ctypes.byref(top),
            )
            x -= (right.value - left.value) / 2
        pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
        pdfium_c.FPDFPage_InsertObject(page, obj)

    def scanned_image(self, page: pdfium.PdfPage) -> None:
        """A page-sized grey picture, as a scanner makes."""
        bitmap = pdfium.PdfBitmap.new_native(120, 170, pdfium_c.FPDFBitmap_BGRA)
        bitmap.fill_rect((230, 230, 230, 255), 0, 0, 120, 170)
        bitmap.fill_rect((20, 20, 20, 255), 10, 10, 90, 4)
        image = pdfium.PdfImage.new(self.doc)
        image.set_bitmap(bitmap)
        width, height = page.get_size()
        image.set_matrix(pdfium.PdfMatrix().scale(width, height))
        page.insert_obj(image)

    def save(self, path: Path) -> Path:
        for page in self.pages:
            page.gen_content()
        self.doc.save(path)
        return path


# Header geometries: (left column centre, right column centre, issuer lines).
HEADERS = {
    # A province letter: narrow left column.
    "cong_van": (150, 410, ["ỦY BAN NHÂN DÂN", "TỈNH NINH BÌNH"]),
    # A ministry department: a left column so wide that the centred title
    # lies wholly left of the column gap, under a blank line.
    "wide_issuer": (200, 470, ["BỘ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN", "CỤC QUẢN LÝ ĐÊ ĐIỀU"]),
}


def build_letter(b: Builder, layout: str) -> None:
    """A three-page letter: two-column header, body over a page break, page
    numbers, codes cut at a line end, two-column footer."""
    lc, rc, issuer = HEADERS[layout]
    p1 = b.page()
    b.text(p1, issuer[0], lc, 790, 10.5, center=True)
    b.text(p1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", rc, 790, 10, center=True)
    b.text(p1, issuer[1], lc, 776, 10.5, center=True)
    b.text(p1, "Độc lập - Tự do - Hạnh phúc", rc, 776, 11, center=True)
    b.text(p1, "Số: 125/UBND-VP", lc, 748, 11, center=True)
    b.text(p1, "Ninh Bình, ngày 5 tháng 3 năm 2026", rc, 748, 11, center=True)
    if layout == "cong_van":
        b.text(p1, "V/v triển khai kế hoạch phòng,", lc, 734, 10, center=True)
        b.text(p1, "chống thiên tai năm 2026", lc, 722, 10, center=True)
        b.text(p1, "Kính gửi: Sở Nông nghiệp và Môi trường tỉnh", 297, 690, 12, center=True)
    else:
        b.text(p1, "QUYẾT ĐỊNH", 297, 705, 12, center=True)
        b.text(p1, "Về việc phòng, chống thiên tai năm 2026", 297, 690, 12, center=True)
    body = [
        "Thực hiện Kế hoạch của Ủy ban nhân dân tỉnh tại Quyết định số 5969/QĐ-",
        "UBND ngày 28/11/2025 về phòng, chống thiên tai giai đoạn 2021-",
        "2025, Ủy ban nhân dân tỉnh đề nghị các cơ quan, đơn vị khẩn trương rà",
        "soát phương án, chuẩn bị lực lượng, vật tư và phương tiện; đồng thời",
    ]
    for i, line in enumerate(body):
        b.text(p1, line, 70, 650 - 17 * i, 12)
    p2 = b.page()
    b.text(p2, "2", 297, 810, 11, center=True)
    b.text(p2, "báo cáo kết quả thực hiện về Văn phòng trước ngày 30/3/2026.", 70, 770, 12)
    b.text(p2, "Các sở, ngành phối hợp thực hiện nghiêm túc nội dung trên.", 70, 753, 12)
    p3 = b.page()
    b.text(p3, "Ủy ban nhân dân tỉnh yêu cầu các đơn vị thực hiện./.", 70, 780, 12)
    b.text(p3, "Nơi nhận:", 70, 740, 11)
    b.text(p3, "KT. CHỦ TỊCH", 420, 738, 12, center=True)
    b.text(p3, "- Như trên;", 70, 727, 10)
    b.text(p3, "PHÓ CHỦ TỊCH", 420, 724, 12, center=True)
    b.text(p3, "- Lưu: VT, KT.", 70, 714, 10)
    b.text(p3, "Nguyễn Văn An", 420, 660, 12, center=True)
    b.text(p3, "- 3 -", 297, 40, 11, center=True)


@pytest.fixture(scope="module", params=sorted(HEADERS))
def built_letter(request, font: Path, tmp_path_factory) -> tuple[str, Path]:
    b = Builder(font)
    build_letter(b, request.param)
    path = tmp_path_factory.mktemp("pdf") / f"{request.param}.pdf"
    return request.param, b.save(path)


# Minimal hand-written PDFs (Helvetica, ASCII text).


def write_pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\n" % (len(objects) + 1, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data)


def rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def encrypted_pdf(password: bytes) -> bytes:
    """A one-page PDF under the standard security handler, revision 2 (RC4
    40-bit), that opens only with `password` (PDF 1.7, 7.6.3, algorithms 2-4).
    The page has no content, so no object needs encrypting."""
    padded = (password + PAD)[:32]
    owner = rc4(hashlib.md5(padded).digest()[:5], padded)
    file_id = hashlib.md5(b"vanban test").digest()
    permissions = -44
    key = hashlib.md5(
        padded + owner + permissions.to_bytes(4, "little", signed=True) + file_id
    ).digest()[:5]
    user = rc4(key, PAD)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>"
        % (owner.hex().encode(), user.hex().encode(), permissions),
    ]
    trailer = b"/Encrypt 4 0 R /ID [<%s> <%s>]" % (file_id.hex().encode(), file_id.hex().encode())
    return write_pdf(objects, trailer)


def form_field_pdf() -> bytes:
    """A letter head whose number and day are text fields with only a /V
    value (no appearance): the viewer draws them over the printed blanks."""
    content = (
        b"BT /F1 12 Tf 80 780 Td (So: ) Tj ET\n"
        b"BT /F1 12 Tf 130 780 Td (/TB-UBND) Tj ET\n"
        b"BT /F1 12 Tf 330 780 Td (Ha Noi, ngay) Tj ET\n"
        b"BT /F1 12 Tf 425 780 Td (thang 4 nam 2026) Tj ET\n"
        b"BT /F1 12 Tf 70 700 Td (The people's committee asks all agencies to fly the flag.) Tj ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R 6 0 R] >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 7 0 R"
        b" /Resources << /Font << /F1 4 0 R >> >> /Annots [5 0 R 6 0 R] >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (number) /V (453)"
        b" /Rect [102 776 126 792] /P 3 0 R /F 4 >>",
        b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (day) /V (29)"
        b" /Rect [404 776 420 792] /P 3 0 R /F 4 >>",
        stream(content),
    ]
    return write_pdf(objects)


# --- real letters: header, footer, form-field values ----------------------------


@pytest.mark.parametrize("name", DIGITAL)
def test_number_from_gold_reads_after_so(name: str) -> None:
    text = load_pdf(dev_pdf(name)).text
    assert f"Số: {gold(name)['number']}" in lines_of(text)


@pytest.mark.parametrize("name", DIGITAL)
def test_issued_date_from_gold_reads_in_place_line(name: str) -> None:
    g = gold(name)
    d = date.fromisoformat(g["issued_date"])
    expected = f"{g['place']}, ngày {d.day} tháng {d.month} năm {d.year}"
    assert expected in lines_of(load_pdf(dev_pdf(name)).text)


@pytest.mark.parametrize("name", DIGITAL)
def test_header_left_column_comes_whole_before_motto(name: str) -> None:
    lines = lines_of(load_pdf(dev_pdf(name)).text)
    issuer = index_of(lines, "ỦY BAN NHÂN DÂN")
    number = index_of(lines, "Số:")
    motto = index_of(lines, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    dated = index_of(lines, "Hà Nội, ngày")
    assert issuer < number < motto < dated
    assert lines[issuer] == "ỦY BAN NHÂN DÂN"
    assert lines[motto] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


@pytest.mark.parametrize("name", DIGITAL)
def test_footer_cc_list_is_not_glued_to_signer(name: str) -> None:
    g = gold(name)
    lines = lines_of(load_pdf(dev_pdf(name)).text)
    cc = index_of(lines, "Nơi nhận")
    kept = index_of(lines, "- Lưu")
    signer = lines.index(g["signer"]["name"])
    assert lines[cc] == "Nơi nhận:"
    assert lines[kept].startswith("- Lưu: VT, KGVX")
    assert cc < kept < signer
    # The signature block follows the whole list: authority first, the title
    # right above the name; no list line holds any of it.
    assert re.match(r"(KT|TL|TM|Q)\. ", lines[kept + 1])
    assert lines[signer - 1].casefold() == g["signer"]["title"].casefold()
    for line in lines[cc : kept + 1]:
        assert not re.search(r"\b(KT|TL|TM)\. |CHỦ TỊCH|VĂN PHÒNG", line), line


def test_body_keeps_its_lines_between_header_and_footer() -> None:
    lines = lines_of(load_pdf(dev_pdf("hanoi_tb_453_flag")).text)
    title = lines.index("THÔNG BÁO")
    assert lines[title - 1].startswith("Hà Nội, ngày")
    assert lines[title + 1] == "Về việc treo cờ Tổ quốc"
    assert lines[index_of(lines, "Nơi nhận") - 1] == "đúng quy định./."


def test_code_cut_at_line_end_by_pdfium_hyphen_is_rejoined() -> None:
    text = load_pdf(dev_pdf("hanoi_kh_173_festival")).text
    assert "Quyết định số 5969/QĐ-UBND ngày 28/11/2025" in text
    assert "\ufffe" not in text


def test_real_dash_at_line_end_is_left_alone() -> None:
    # `Văn Miếu -` (a spaced dash) ends a printed line: not glued to the next.
    text = load_pdf(dev_pdf("hanoi_kh_173_festival")).text
    assert "Văn Miếu -\nQuốc Tử Giám." in text


@pytest.mark.parametrize("name", DIGITAL)
def test_no_line_is_only_a_page_number(name: str) -> None:
    raw = load_pdf(dev_pdf(name))
    assert not [line for line in lines_of(raw.text) if PAGE_NUMBER_LINE.match(line)]


def test_paragraph_broken_by_page_break_continues_after_normalising() -> None:
    # Page 3 ends `… các tỉnh, thành phố và`, page 4 starts with its number
    # `4`, then `các đơn vị có liên quan.`; likewise pages 5 and 6.
    text = load(dev_pdf("hanoi_kh_173_festival")).text
    assert "các tỉnh, thành phố và các đơn vị có liên quan." in text
    assert "các điều kiện (âm thanh, ánh sáng, công nghệ hiện đại" in text


def test_blank_page_is_not_taken_for_a_scan() -> None:
    raw = load_pdf(dev_pdf("hanoi_kh_173_festival"))  # page 12 is empty
    assert raw.pages == 12
    assert not raw.needs_ocr
    assert "ocr_pages" not in raw.metadata
    assert raw.warnings == []


def test_document_info_goes_to_metadata() -> None:
    metadata = load_pdf(dev_pdf("hanoi_kh_173_festival")).metadata
    assert metadata["Author"] == "Admin"
    assert metadata["Creator"] == "Microsoft® Word 2016"
    assert metadata["CreationDate"] == "2026-04-21T20:30:10-07:00"
    assert metadata["ModDate"] == "2026-04-28T13:50:31+07:00"
    assert "Title" not in metadata  # empty in the file
    assert all(isinstance(v, str) for v in metadata.values())


# --- scans ---------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SIGNED_SCANS))
def test_signed_scan_needs_ocr_and_yields_stamp_signature(name: str) -> None:
    raw = load_pdf(dev_pdf(name))
    assert raw.needs_ocr
    assert raw.metadata["ocr_pages"] == "1"
    assert any("OCR" in w for w in raw.warnings)
    [signature] = raw.signatures
    assert signature.organization == "VĂN PHÒNG CHÍNH PHỦ"
    assert signature.signer == "CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ"
    assert signature.signed_at == SIGNED_SCANS[name]
    assert signature.raw.startswith("Người ký:")


@pytest.mark.parametrize("name", sorted(SIGNED_SCANS))
def test_signed_scan_text_holds_no_stamp(name: str) -> None:
    text = load_pdf(dev_pdf(name)).text
    for part in ("Người ký", "Thời gian ký", "Cơ quan:", "chinhphu.vn"):
        assert part not in text


@pytest.mark.parametrize("path", sorted(OCR.glob("*.pdf")), ids=lambda p: p.stem)
def test_image_only_pdf_needs_ocr(path: Path) -> None:
    raw = load_pdf(path)
    assert raw.needs_ocr
    assert raw.text.strip() == ""
    assert raw.metadata["ocr_pages"] == ",".join(str(i + 1) for i in range(raw.pages or 0))


# --- errors ----------------------------------------------------------------------


@pytest.mark.parametrize("keep", [0.02, 0.5, 0.97])
@pytest.mark.parametrize("name", ["hanoi_tb_453_flag", "cv_3722_metro"])
def test_truncated_pdf_raises_corrupt_file(name: str, keep: float, tmp_path: Path) -> None:
    data = dev_pdf(name).read_bytes()
    cut = tmp_path / f"{name}.pdf"
    cut.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(CorruptFile) as caught:
        load_pdf(cut)
    assert caught.value.code == "corrupt_pdf"
    assert "again" in caught.value.message


def test_pdf_with_garbled_body_raises_corrupt_file(tmp_path: Path) -> None:
    data = bytearray(dev_pdf("hanoi_tb_453_flag").read_bytes())
    data[9:-200] = bytes(len(data) - 209)  # keep the header and the tail only
    bad = tmp_path / "garbled.pdf"
    bad.write_bytes(bytes(data))
    with pytest.raises(CorruptFile) as caught:
        load_pdf(bad)
    assert caught.value.code == "corrupt_pdf"


def test_web_page_saved_as_pdf_raises_corrupt_file(tmp_path: Path) -> None:
    bad = tmp_path / "download.pdf"
    bad.write_text("<!DOCTYPE html><html><body>404 Not Found</body></html>", encoding="utf-8")
    with pytest.raises(CorruptFile) as caught:
        load_pdf(bad)
    assert caught.value.code == "corrupt_pdf"
    assert "not a PDF" in caught.value.message


def test_password_protected_pdf_raises_encrypted(tmp_path: Path) -> None:
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(encrypted_pdf(b"secret"))
    assert len(pdfium.PdfDocument(locked, password="secret")) == 1  # a real protected file
    with pytest.raises(LoadError) as caught:
        load_pdf(locked)
    assert not isinstance(caught.value, CorruptFile)
    assert caught.value.code == "encrypted"
    assert "password" in caught.value.message
    assert "unprotected copy" in caught.value.message


# --- built letters: layouts the corpus lacks --------------------------------------


def test_built_header_is_read_column_by_column(built_letter: tuple[str, Path]) -> None:
    layout, path = built_letter
    issuer = HEADERS[layout][2]
    lines = lines_of(load_pdf(path).text)
    expected = [issuer[0], issuer[1], "Số: 125/UBND-VP"]
    if layout == "cong_van":
        expected += ["V/v triển khai kế hoạch phòng,", "chống thiên tai năm 2026"]
    expected += [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Ninh Bình, ngày 5 tháng 3 năm 2026",
    ]
    if layout == "cong_van":
        expected += ["Kính gửi: Sở Nông nghiệp và Môi trường tỉnh"]
    else:  # the centred title is not pulled into the left column
        expected += ["QUYẾT ĐỊNH", "Về việc phòng, chống thiên tai năm 2026"]
    assert lines[: len(expected)] == expected


def test_built_footer_gives_cc_list_then_signature_block(built_letter: tuple[str, Path]) -> None:
    lines = lines_of(load_pdf(built_letter[1]).text)
    cc = lines.index("Nơi nhận:")
    assert lines[cc - 1] == "Ủy ban nhân dân tỉnh yêu cầu các đơn vị thực hiện./."
    assert lines[cc:] == [
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu: VT, KT.",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Văn An",
    ]


def test_built_codes_cut_at_line_end_are_rejoined(built_letter: tuple[str, Path]) -> None:
    text = load_pdf(built_letter[1]).text
    assert "Quyết định số 5969/QĐ-UBND ngày 28/11/2025" in text  # PDFium-marked hyphen
    assert "giai đoạn 2021-2025, Ủy ban" in text  # a hyphen PDFium left alone


def test_built_page_numbers_are_dropped(built_letter: tuple[str, Path]) -> None:
    raw = load_pdf(built_letter[1])
    assert raw.pages == 3
    assert not [line for line in lines_of(raw.text) if PAGE_NUMBER_LINE.match(line)]


def test_built_paragraph_continues_over_page_break(built_letter: tuple[str, Path]) -> None:
    text = load(built_letter[1]).text
    assert "đồng thời báo cáo kết quả thực hiện về Văn phòng trước ngày 30/3/2026." in text


def test_soft_hyphen_inside_a_word_is_joined(font: Path, tmp_path: Path) -> None:
    b = Builder(font)
    page = b.page()
    b.text(page, "Hệ thống thông tin điều hành được nâng cấp theo chuẩn infor\u00ad", 70, 700)
    b.text(page, "mation security của Bộ, bảo đảm kết nối liên thông văn bản.", 70, 683)
    text = load_pdf(b.save(tmp_path / "soft.pdf")).text
    assert "chuẩn information security" in text
    assert "\u00ad" not in text


def test_mixed_pdf_lists_scanned_pages(font: Path, tmp_path: Path) -> None:
    b = Builder(font)
    b.text(b.page(), "Trang đầu của văn bản có lớp chữ để đọc trực tiếp.", 70, 700)
    b.scanned_image(b.page())
    b.text(b.page(), "Trang ba cũng có chữ, sau trang quét.", 70, 700)
    raw = load_pdf(b.save(tmp_path / "mixed.pdf"))
    assert raw.needs_ocr
    assert raw.metadata["ocr_pages"] == "2"
    assert any("2" in w and "OCR" in w for w in raw.warnings)
    assert "Trang đầu" in raw.text
    assert "Trang ba" in raw.text


def test_stamp_printed_in_page_text_is_cut_and_parsed(font: Path, tmp_path: Path) -> None:
    b = Builder(font)
    page = b.page()
    b.text(page, "Người ký: Sở Tư pháp", 330, 820, 7)
    b.text(page, "Cơ quan: Tỉnh Ninh Bình", 330, 811, 7)
    b.text(page, "Thời gian ký: 05/03/2026 09:10:11 +07:00", 330, 802, 7)
    b.text(page, "Sở Tư pháp đề nghị các phòng rà soát hồ sơ trước ngày 20/3/2026.", 70, 700)
    b.text(page, "Email: vanthu@ninhbinh.gov.vn", 70, 683)
    raw = load_pdf(b.save(tmp_path / "stamped.pdf"))
    assert not raw.needs_ocr
    [signature] = raw.signatures
    assert signature.signer == "Sở Tư pháp"
    assert signature.organization == "Tỉnh Ninh Bình"
    assert signature.signed_at == "2026-03-05T09:10:11+07:00"
    assert "Người ký" not in raw.text
    assert "Thời gian ký" not in raw.text
    # A lone `Email:` line is letter text, not a stamp.
    assert "Email: vanthu@ninhbinh.gov.vn" in lines_of(raw.text)


def test_form_field_value_without_appearance_is_put_where_it_sits(tmp_path: Path) -> None:
    path = tmp_path / "fields.pdf"
    path.write_bytes(form_field_pdf())
    lines = lines_of(load_pdf(path).text)
    assert "So: 453/TB-UBND" in lines
    assert "Ha Noi, ngay 29 thang 4 nam 2026" in lines


# --- layout on made-up boxes --------------------------------------------------------


def word(text: str, x0: float, top: float, size: float = 14, overlay: bool = False) -> Word:
    return Word(text, x0, top - size, x0 + 0.5 * size * len(text), top, overlay)


def test_layout_value_attaches_to_code_slash_and_spaces_from_words() -> None:
    words = [
        word("Số:", 100, 700),
        word("/TB-UBND", 160, 700),
        word("453", 126, 700, overlay=True),
        word("ngày", 320, 700),
        word("tháng", 380, 700),
        word("29", 355, 700, overlay=True),
    ]
    assert read_page(words, header=False, footer=False) == ["Số: 453/TB-UBND ngày 29 tháng"]


def test_layout_rows_with_only_a_word_space_between_sides_are_body() -> None:
    # Issuer | motto, then a justified body line whose widest space (10 pt)
    # sits where the column gap was: it must stay one line.
    words = [
        word("ỦY BAN", 80, 800),
        word("CỘNG HÒA", 330, 800),
        word("Thành phố đề nghị", 80, 760),  # ends at x = 199
        word("các sở thực hiện", 209, 760),
    ]
    lines = read_page(words, header=True, footer=False)
    assert lines == ["ỦY BAN", "CỘNG HÒA", "Thành phố đề nghị các sở thực hiện"]


def widget_pdf(appearance: bytes, text: bytes) -> bytes:
    """A page of `text` with one widget whose appearance stream is `appearance`
    (it may draw the image `/Im0` and write in `/F1`)."""
    image = b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray"
    image += b" /BitsPerComponent 8 /Length 1 >>\nstream\n\x80\nendstream"
    form = (
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 120 60] /Resources"
        b" << /XObject << /Im0 8 0 R >> /Font << /F1 4 0 R >> >> /Length %d >>\n"
        b"stream\n%s\nendstream" % (len(appearance), appearance)
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 7 0 R"
        b" /Resources << /Font << /F1 4 0 R >> >> /Annots [5 0 R] >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Annot /Subtype /Widget /FT /Sig /T (signature) /Rect [380 80 500 140]"
        b" /P 3 0 R /F 4 /AP << /N 6 0 R >> >>",
        form,
        stream(b"BT /F1 12 Tf 70 700 Td (%s) Tj ET" % text),
        image,
    ]
    return write_pdf(objects)


BODY = b"The people's committee asks all agencies to fly the flag."


@pytest.mark.parametrize(
    ("appearance", "text", "flattened"),
    [
        (b"q 120 0 0 60 0 0 cm /Im0 Do Q", BODY, False),  # a signature's picture
        (b"BT /F1 12 Tf 2 20 Td (Signed) Tj ET", BODY, True),  # text to read
        (b"0 0 m 120 0 l S", BODY, True),  # a line: it may rule a table
        (b"q 120 0 0 60 0 0 cm /Im0 Do Q", b"Page 2", True),  # few letters: a scan?
    ],
)
def test_only_annotations_that_add_text_or_lines_are_flattened(
    appearance: bytes, text: bytes, flattened: bool, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Flattening a page (and loading it again) costs as much as reading it:
    a signature's picture adds nothing to read, and is left as it is."""
    calls = []
    flatten = pdfium_c.FPDFPage_Flatten

    def counted(*args: object) -> int:
        calls.append(args)
        return flatten(*args)

    monkeypatch.setattr(pdfium_c, "FPDFPage_Flatten", counted)
    path = tmp_path / "widget.pdf"
    path.write_bytes(widget_pdf(appearance, text))
    raw = load_pdf(path)
    assert bool(calls) == flattened
    assert text.decode() in raw.text
    assert ("Signed" in raw.text) == (b"Signed" in appearance)
