"""OCR of scans (`vanban.pipeline.ocr`) with the real Tesseract: PDF pages and images.

Tesseract reads about three pages in this module (one scanned dev letter, one
mixed PDF, and crops of a page saved as images), a few seconds in all; the
reading-order and post-correction rules are also checked on made-up input.
"""

from __future__ import annotations

import re
import shutil
import signal
import stat
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from queue import SimpleQueue

import pypdfium2 as pdfium
import pytest
from PIL import Image

from vanban.pipeline import ocr, ocr_engine
from vanban.pipeline.extract import extract
from vanban.pipeline.load import LoadedDocument, load
from vanban.pipeline.ocr import (
    INSTALL_HINT,
    TESSERACT_ENV,
    ocr_image,
    ocr_pdf,
    tesseract_problem,
)
from vanban.pipeline.ocr_correct import correct
from vanban.pipeline.ocr_layout import OcrWord, layout, parse_tsv, stamp_frames
from vanban.schemas import CorruptFile, LoadError, UnsupportedFormat

ROOT = Path(__file__).resolve().parents[1]
DEV_PDF = ROOT / "data" / "corpus" / "dev" / "pdf"
SCAN = DEV_PDF / "cv_3722_metro.pdf"
TEXT_PDF = DEV_PDF / "hanoi_tb_453_flag.pdf"

needs_tesseract = pytest.mark.skipif(
    tesseract_problem() is not None, reason=f"Tesseract is not installed ({INSTALL_HINT})"
)


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def first_line(lines: list[str], pattern: str) -> int:
    hits = [i for i, line in enumerate(lines) if re.search(pattern, line)]
    assert hits, f"no line matches {pattern!r} in {lines}"
    return hits[0]


def render(pdf: Path, out: Path, *, top: float = 0.0, bottom: float = 1.0) -> Path:
    """Page 1 of `pdf` between two heights (shares of the page, from the top)
    as an image file at 300 dpi, as a scanner saves one."""
    doc = pdfium.PdfDocument(pdf)
    try:
        image = doc[0].render(scale=300 / 72, grayscale=True).to_pil()
    finally:
        doc.close()
    image = image.crop((0, round(top * image.height), image.width, round(bottom * image.height)))
    image.save(out, dpi=(300, 300))
    return out


# --- a scanned letter through load and extract ----------------------------------


@pytest.fixture(scope="module")
def scanned() -> LoadedDocument:
    if tesseract_problem() is not None:
        pytest.skip(f"Tesseract is not installed ({INSTALL_HINT})")
    return load(SCAN)


@needs_tesseract
def test_scanned_pdf_is_read_by_ocr(scanned: LoadedDocument) -> None:
    raw = scanned.raw
    assert raw.ocr and not raw.needs_ocr
    assert re.fullmatch(r"1:\d+\.\d", raw.metadata["ocr_confidence"])
    assert float(raw.metadata["ocr_confidence"][2:]) > 80
    assert "3722/VPCP-CN" in scanned.text
    assert "Hà Nội, ngày 28 tháng 4 năm 2026" in scanned.text
    assert not any("run OCR" in w for w in raw.warnings)
    assert [s.signed_at for s in raw.signatures] == ["2026-04-28T15:49:15+07:00"]


@needs_tesseract
def test_scanned_pdf_yields_its_header_fields(scanned: LoadedDocument) -> None:
    doc = extract(scanned)
    assert doc.source.ocr and not doc.source.needs_ocr
    assert doc.number == "3722/VPCP-CN"
    assert doc.issuer is not None and doc.issuer.name == "Văn phòng Chính phủ"
    assert doc.issued_date == "2026-04-28"
    assert doc.doc_type == "Công văn"
    assert doc.place == "Hà Nội"
    assert "92/TTr-UBND" in [r.number for r in doc.references]
    for span in doc.spans.values():
        assert 0 <= span[0] < span[1] <= len(doc.text)


@needs_tesseract
def test_header_and_footer_columns_are_not_interleaved(scanned: LoadedDocument) -> None:
    lines = lines_of(scanned.text)
    # Each printed line whole: the issuer and the motto never share a line.
    assert "VĂN PHÒNG CHÍNH PHỦ" in lines
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines
    assert "Độc lập - Tự do - Hạnh phúc" in lines
    assert "Số: 3722/VPCP-CN" in lines
    assert not any("PHỦ" in line and "CỘNG" in line for line in lines)
    assert not any("3722" in line and "Hà Nội" in line for line in lines)
    # Issuer beside motto, then `Số:` and `V/v` beside the place and date.
    order = [
        first_line(lines, r"^VĂN PHÒNG CHÍNH PHỦ$"),
        first_line(lines, r"^CỘNG HÒA"),
        first_line(lines, r"^Độc lập"),
        first_line(lines, r"^Số: 3722"),
        first_line(lines, r"^V/v cơ chế"),
        first_line(lines, r"^Hà Nội, ngày 28"),
        first_line(lines, r"^Kính gửi"),
    ]
    assert order == sorted(order)
    # The footer: the whole `Nơi nhận` list, then the signature block.
    cc = first_line(lines, r"^Nơi nhận")
    archive = first_line(lines, r"^- Lưu")
    authority = first_line(lines, r"^KT\. BỘ TRƯỞNG, CHỦ NHIỆM$")
    assert cc < archive < authority
    assert not any("Lưu" in line and "KT." in line for line in lines)


# --- images and mixed PDFs ---------------------------------------------------------


@needs_tesseract
def test_png_image_is_loaded_and_read(tmp_path: Path) -> None:
    png = render(SCAN, tmp_path / "scan.png", top=0.05, bottom=0.22)
    loaded = load(png)
    assert loaded.raw.format == "image"
    assert loaded.raw.ocr and not loaded.raw.needs_ocr
    assert loaded.raw.pages == 1
    assert "Số: 3722/VPCP-CN" in lines_of(loaded.text)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines_of(loaded.text)


@needs_tesseract
def test_multipage_tiff_gives_one_text_per_frame(tmp_path: Path) -> None:
    head = Image.open(render(SCAN, tmp_path / "head.png", top=0.05, bottom=0.22))
    foot = Image.open(render(SCAN, tmp_path / "foot.png", top=0.62, bottom=0.72))
    tiff = tmp_path / "scan.tiff"
    head.save(tiff, save_all=True, append_images=[foot], dpi=(300, 300))
    result = ocr_image(tiff)
    assert [p.number for p in result.pages] == [1, 2]
    assert "3722/VPCP-CN" in result.pages[0].text
    assert "Nơi nhận:" in result.pages[1].text
    assert result.text == result.pages[0].text + "\n" + result.pages[1].text


@needs_tesseract
def test_mixed_pdf_keeps_text_pages_and_reads_the_scanned_one(tmp_path: Path) -> None:
    mixed = pdfium.PdfDocument.new()
    for source in (TEXT_PDF, SCAN):
        mixed.import_pages(pdfium.PdfDocument(source), [0])
    # Only the top of the scan, to keep the test short: its header.
    scan = mixed[1]
    width, height = scan.get_size()
    scan.set_mediabox(0, height * 0.75, width, height * 0.95)
    path = tmp_path / "mixed.pdf"
    mixed.save(path)
    mixed.close()
    loaded = load(path)
    assert loaded.raw.ocr and not loaded.raw.needs_ocr
    assert loaded.raw.metadata["ocr_pages"] == "2"
    assert loaded.raw.metadata["ocr_confidence"].startswith("2:")
    text = loaded.text
    # The text layer of page 1 as before, the scan of page 2 after it.
    assert text.index("Số: 453/TB-UBND") < text.index("3722/VPCP-CN")


def test_pages_outside_the_pdf_are_an_error() -> None:
    if tesseract_problem() is not None:
        pytest.skip("Tesseract is not installed")
    with pytest.raises(LoadError) as info:
        ocr_pdf(SCAN, [2])
    assert info.value.code == "ocr_failed"


# --- the engine: tesserocr in the process, the binary as a fallback ---------------------

in_process = pytest.mark.skipif(
    ocr_engine._in_process() is None, reason="no Tesseract library loads in this process"
)


def _header_crop(tmp_path: Path) -> Image.Image:
    return Image.open(render(SCAN, tmp_path / "head.png", top=0.05, bottom=0.12)).convert("L")


def _words(tsv: str) -> list[str]:
    return [w.text for w in parse_tsv(tsv).words]


@in_process
def test_the_model_is_loaded_once_for_many_readings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Readings one after another in a thread reuse one loaded API, whatever
    the page segmentation mode of each."""
    loads: list[object] = []
    new_api = ocr_engine._new_api

    def counted() -> object:
        loads.append(api := new_api())
        return api

    monkeypatch.setattr(ocr_engine, "_IDLE", SimpleQueue())
    monkeypatch.setattr(ocr_engine, "_new_api", counted)
    image = _header_crop(tmp_path)
    texts = [ocr_engine.tesseract_tsv(image, psm=psm, dpi=300) for psm in (3, 6, 3)]
    assert len(loads) == 1
    assert all("CỘNG" in _words(t) for t in texts)


@in_process
def test_parallel_readings_each_have_their_own_api(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(ocr_engine, "_IDLE", SimpleQueue())
    image = _header_crop(tmp_path)
    with ThreadPoolExecutor(max_workers=2) as pool:
        texts = list(pool.map(lambda _: ocr_engine.tesseract_tsv(image, psm=6, dpi=300), "ab"))
    assert texts[0] == texts[1]
    # Kept for the next file, never more than the threads.
    assert 1 <= ocr_engine._IDLE.qsize() <= 2


def _binary_tsv(image: Image.Image) -> str:
    binary = shutil.which("tesseract")
    if binary is None:
        pytest.skip("no tesseract binary to compare with")
    return ocr_engine._cli_tsv(binary, image, psm=6, dpi=300)


def test_the_system_library_gives_the_binary_s_text(tmp_path: Path) -> None:
    try:
        api = ocr_engine._LibTesseract.make()
    except ocr_engine._Unavailable as exc:
        pytest.skip(str(exc))
    image = _header_crop(tmp_path)
    try:
        assert ocr_engine.TSV_HEADER + (api.tsv(image, 6, 300) or "") == _binary_tsv(image)
    finally:
        api.close()


def test_tesserocr_gives_the_binary_s_words_at_the_same_places(tmp_path: Path) -> None:
    """tesserocr bundles another libtesseract: a few words may read otherwise."""
    try:
        api = ocr_engine._Tesserocr.make()
    except ocr_engine._Unavailable as exc:
        pytest.skip(str(exc))
    image = _header_crop(tmp_path)
    try:
        by_api = parse_tsv(ocr_engine.TSV_HEADER + (api.tsv(image, 6, 300) or ""))
    finally:
        api.close()
    by_cli = parse_tsv(_binary_tsv(image))
    [a] = [w for w in by_api.words if w.text == "CỘNG"]
    [c] = [w for w in by_cli.words if w.text == "CỘNG"]
    assert abs(a.left - c.left) <= 3 and abs(a.top - c.top) <= 3


def test_without_a_library_the_binary_reads_and_a_warning_says_so_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def unavailable() -> object:
        raise ocr_engine._Unavailable("not here")

    monkeypatch.delenv(TESSERACT_ENV, raising=False)
    monkeypatch.setattr(ocr_engine._LibTesseract, "make", unavailable)
    monkeypatch.setattr(ocr_engine._Tesserocr, "make", unavailable)
    ocr_engine._first_maker.cache_clear()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert ocr_engine._in_process() is None
            assert ocr_engine._in_process() is None
        assert len(caught) == 1 and "tesseract binary" in str(caught[0].message)
        assert ocr_engine.engine().startswith("tesseract ")
        if shutil.which("tesseract"):
            image = _header_crop(tmp_path)
            assert "CỘNG" in _words(ocr_engine.tesseract_tsv(image, psm=6, dpi=300))
    finally:
        ocr_engine._first_maker.cache_clear()


def test_a_named_binary_is_used_instead_of_the_library(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(TESSERACT_ENV, str(tmp_path / "my-tesseract"))
    assert ocr_engine._in_process() is None


def test_a_reading_gives_up_soon_after_the_file_s_time_limit() -> None:
    """The alarm of the per-file limit cannot interrupt Tesseract's C code:
    Tesseract's own deadline stops a reading just after it."""
    old = signal.signal(signal.SIGALRM, lambda *_: None)
    try:
        assert ocr_engine._deadline_ms() == ocr_engine.PAGE_TIMEOUT * 1000
        signal.setitimer(signal.ITIMER_REAL, 5.0)
        assert 5000 <= ocr_engine._deadline_ms() <= 6000
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


# --- without Tesseract, or with a broken one ------------------------------------------


def test_missing_tesseract_leaves_needs_ocr_and_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(TESSERACT_ENV, str(tmp_path / "no-such-tesseract"))
    loaded = load(SCAN)
    assert loaded.raw.needs_ocr and not loaded.raw.ocr
    assert any(INSTALL_HINT in w for w in loaded.raw.warnings)
    doc = extract(loaded)
    assert doc.source.needs_ocr
    png = tmp_path / "page.png"
    Image.new("L", (850, 1100), 255).save(png)
    image = load(png)
    assert image.raw.needs_ocr and image.text == ""
    assert any(INSTALL_HINT in w for w in image.raw.warnings)


def test_a_failing_tesseract_is_a_load_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A Tesseract that lists Vietnamese but then fails: `ocr_failed`, no crash."""
    fake = tmp_path / "tesseract"
    fake.write_text(
        '#!/bin/sh\nif [ "$1" = "--list-langs" ]; then echo "List of languages:"; echo vie; '
        'exit 0; fi\necho "Error: cannot read input" >&2\nexit 1\n'
    )
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv(TESSERACT_ENV, str(fake))
    with pytest.raises(LoadError) as info:
        load(SCAN)
    assert info.value.code == "ocr_failed"
    assert "cannot read input" in info.value.message


def test_unreadable_images_are_load_errors(tmp_path: Path) -> None:
    junk = tmp_path / "photo.jpg"
    junk.write_bytes(b"\xff\xd8\xff\xe0junk")
    with pytest.raises(UnsupportedFormat):
        load(junk)
    png = tmp_path / "cut.png"
    Image.new("L", (400, 400), 128).save(png)
    png.write_bytes(png.read_bytes()[:200])
    with pytest.raises(CorruptFile) as info:
        load(png)
    assert info.value.code == "corrupt_image"


# --- post-correction ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("read", "fixed", "kind"),
    [
        ("Số: 729/QD-TTg", "Số: 729/QĐ-TTg", "code"),
        (
            "Giao các Bộ: Công an, lài chính, Xây dựng có ý kiến",
            "Giao các Bộ: Công an, Tài chính, Xây dựng có ý kiến",
            "list",
        ),
        ("các Bộ: Ngoại giao, Nội vu;", "các Bộ: Ngoại giao, Nội vụ;", "list"),
        (  # the list ends at the verb after it (lexicon list_end_words)
            "Giao các Bộ: Công an, Xây dựng, Tài chinh có ý kiến",
            "Giao các Bộ: Công an, Xây dựng, Tài chính có ý kiến",
            "list",
        ),
        (
            "các Bộ: Công an, Xây dựng, Ngoai giao phối hợp với tỉnh",
            "các Bộ: Công an, Xây dựng, Ngoại giao phối hợp với tỉnh",
            "list",
        ),
        ("Nghị định số 300/2025/ND-CP;", "Nghị định số 300/2025/NĐ-CP;", "code"),
        ("Số: 70/QĐ--TTg", "Số: 70/QĐ-TTg", "code"),
        ("Số: 12/QÐ-UBND", "Số: 12/QĐ-UBND", "letters"),
        ("Hà Nội, ngay 28 thang 4 nam 2026", "Hà Nội, ngày 28 tháng 4 năm 2026", "date"),
        ("Hà Nội, ngày23 tháng 4 năm 2026", "Hà Nội, ngày 23 tháng 4 năm 2026", "spacing"),
        ("ngày 28 tháng 4 năm 2O26", "ngày 28 tháng 4 năm 2026", "digits"),
        ("ngày l7 tháng 6 năm 2020", "ngày 17 tháng 6 năm 2020", "digits"),
        ("Luật số I7/2020/QH14", "Luật số 17/2020/QH14", "digits"),
        ("Só: 3722/VPCP-CN", "Số: 3722/VPCP-CN", "vocabulary"),
        ("tại Tờ trình sô 10/TTr-HĐND", "tại Tờ trình số 10/TTr-HĐND", "vocabulary"),
        ("V/w cơ chế đặc thù", "V/v cơ chế đặc thù", "vocabulary"),
        ("VÀ, cơ chế đặc thù", "V/v cơ chế đặc thù", "vocabulary"),
        ("CỘNG HOA XA HỘI CHỦ NGHĨA VIỆT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "vocabulary"),
        ("Độc lâp - Tư do - Hanh phúc", "Độc lập - Tự do - Hạnh phúc", "vocabulary"),
        ("QUYÉT ĐỊNH:", "QUYẾT ĐỊNH:", "vocabulary"),
        ("Kinh gui:", "Kính gửi:", "vocabulary"),
        ("Noi nhan:", "Nơi nhận:", "vocabulary"),
        ("VAN PHONG CHINH PHU", "VĂN PHÒNG CHÍNH PHỦ", "vocabulary"),
        ("PHO CHANH VAN PHONG", "PHÓ CHÁNH VĂN PHÒNG", "vocabulary"),
        ("- Bộ Y tê;", "- Bộ Y tế;", "vocabulary"),
        ("trong quý Il/2025", "trong quý II/2025", "roman"),
        ("THỦ TƯỚNG CHÍNH PHỦ diện:", "THỦ TƯỚNG CHÍNH PHỦ điện:", "vocabulary"),
        (
            "- Bộ trưởng các Bộ: Công an, Xây dựng, Công Thuong.",
            "- Bộ trưởng các Bộ: Công an, Xây dựng, Công Thương.",
            "list",
        ),
        # The lexicon's cue phrases, set back when OCR lost a tone or a hat (`ố` → `ô`).
        ("III. TÔ CHỨC THỰC HIÊN", "III. TỔ CHỨC THỰC HIỆN", "vocabulary"),
        ("KÉ HOẠCH\nThực hiện Chỉ thị", "KẾ HOẠCH\nThực hiện Chỉ thị", "vocabulary"),
        ("- Thời hạn hoàn thành: tháng 6", "- Thời hạn hoàn thành: tháng 6", None),
        ("- Cơ quan chủ trì: Sở Y tế", "- Cơ quan chủ trì: Sở Y tế", None),
        ("- Co quan chu tri: Sở Y tế", "- Cơ quan chủ trì: Sở Y tế", "vocabulary"),
        ("Giám đôc Sở Y tế", "Giám đốc Sở Y tế", "vocabulary"),
        ("báo cáo môi tháng", "báo cáo mỗi tháng", "vocabulary"),
        ("báo cáo hàng thang", "báo cáo hàng tháng", "vocabulary"),  # the closest spelling
        # Verbs that assign or coordinate work; an article's label and the closing formula.
        ("Đê nghị Sở Y tế", "Đề nghị Sở Y tế", "vocabulary"),
        ("các đơn vị trực thuôc", "các đơn vị trực thuộc", "vocabulary"),  # a group's words
        ("2. UBND huyên Châu Thành có", "2. UBND huyện Châu Thành có", "vocabulary"),
        ("phói hợp với Sở Y tế", "phối hợp với Sở Y tế", "vocabulary"),
        # A cue folding like a word of another meaning, read with marks lost that only the cue
        # had (`hàng nằm` has no breve to lose), or fewer than the other (`liên quân`: two).
        ("Hăng năm báo cáo kết quả", "Hằng năm báo cáo kết quả", "vocabulary"),
        ("báo cáo hằng nam về Sở", "báo cáo hằng năm về Sở", "vocabulary"),
        ("các cơ quan lien quan", "các cơ quan liên quan", "vocabulary"),
        (
            "Điêu 2. Quyệt định này có hiẹu lực kể từ ngày ký.",
            "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
            "vocabulary",
        ),
        # A registry name with a comma in it, a telegram's `điện:` with its hat lost.
        (
            "giao Sở Văn hóa, Thễ thao và Du lịch",
            "giao Sở Văn hóa, Thể thao và Du lịch",
            "vocabulary",
        ),
        ("BỘ XÂY DỰNG điẹn:", "BỘ XÂY DỰNG điện:", "vocabulary"),
        # Distributive lists of any kind of body of the registry, names joined by `và` too.
        (
            "các Tập đoàn: Bưu chính Viễn thông Việt Nam, Công nghiệp - Viễn thông Quân đổi.",
            "các Tập đoàn: Bưu chính Viễn thông Việt Nam, Công nghiệp - Viễn thông Quân đội.",
            "list",
        ),
        (
            "các Bộ: Khoa học và Công nghê, Nông nghiệp và Môi truòng;",
            "các Bộ: Khoa học và Công nghệ, Nông nghiệp và Môi trường;",
            "list",
        ),
        (
            "yêu cầu:\nl. Sở Tài chính tổng hợp;\n2. Sở Y tế",
            "yêu cầu:\n1. Sở Tài chính tổng hợp;\n2. Sở Y tế",
            "item",
        ),
    ],
)
def test_post_correction_repairs(read: str, fixed: str, kind: str | None) -> None:
    text, counts = correct(read)
    assert text == fixed
    assert counts[kind] >= 1 if kind else counts == {}


@pytest.mark.parametrize(
    "text",
    [
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",  # old tone placement: right as printed
        "Chương II",  # a Roman numeral, no digits around
        "trong quý II/2025",  # maybe III on paper: the page does not say
        "quý 1/2025",  # an Arabic quarter stays Arabic
        "khí CO2 và H2O",  # letters touching digits are a formula
        "văn phòng bổ sung",  # not `Văn phòng Bộ`: not capitalised as the name
        "thực hiện ngay 5 nhiệm vụ",  # `ngay` (at once), not a date
        "6 tháng đầu năm",  # a duration, not a date
        "Số: #Z7 /QĐ-TTg",  # an unreadable number is not guessed
        "Sở Tư pháp; sổ 12/2025",  # `sở`, `sổ` fold like `số` but are other words
        "Việt Nam 2026",
        "ISO 9001:2015",
        "ổ đĩa CD-ROM",  # no `/`: not a document number
        "| 12 |",  # a table's rules beside a number
        "Các Bộ: Công an, Quốc phòng và các bộ liên quan",  # right as printed
        "Các Bộ: Công an, Thông tin",  # `Thông tin` is near no one ministry alone: left
        "k) Rà soát hồ sơ;\nl) Báo cáo kết quả.",  # `l)` after `k)` is the next letter
        "Đơn vị tính: l.000 đồng",  # not a line-opening marker
        "QUYỀN\nVÀ, NGHĨA VỤ",  # a heading's `VÀ`, not `V/v`
        "các trường hợp thuộc diện:",  # `diện` (a category), not a telegram's `điện:`
        # Cue phrases whose unaccented form is another word are not guessed:
        "tiết kiệm chi tiêu thường xuyên",  # `chi tiêu` (spending), not `chỉ tiêu` (a target)
        "Thủ trưởng các cơ quan",  # `Thứ trưởng` folds alike: neither is put for the other
        "Thu truong cac co quan",
        "cac co quan lien quan",  # a page with no marks at all: no cue is guessed
        "liên quân các nước",  # read right, another meaning: not the cue `liên quan`
        "dãy hàng nằm sát nhau",  # `hàng nằm` read right: not the cue `hằng năm`
        "mục tiêu phát triển",  # a cue phrase right as printed
        "nhà máy thủy điện",  # no cue phrase
        "phôi hợp với Sở Y tế",  # a misreading the lexicon lists as a cue itself: read already
        "điệu 2. múa",  # not an article's label: not capitalised
        # `quan khu` folds like the cue `quân khu`, but is `Hải quan` + `khu vực`:
        "Chi cục Hải quan khu vực XIX",
        "ghi lại các số điện thoại",  # `các số`, not the group `các sở`
        "- VPCP: các Vụ: TCCV, PL;",  # a unit's code one letter from another's (`TCCB`)
        "báo cáo hằng tháng",  # `hàng tháng` folds alike and says the same: either stays
        "báo cáo hàng tháng",
    ],
)
def test_post_correction_leaves_alone(text: str) -> None:
    assert correct(text) == (text, {})


# --- reading order on made-up boxes --------------------------------------------------

W = 2480  # an A4 page at 300 dpi


def words_of(line: str, left: float, top: float, *, line_id: int, gap: float = 18) -> list[OcrWord]:
    """A printed line as Tesseract boxes: 24 px a letter, 50 px high."""
    out, x = [], left
    for k, word in enumerate(line.split()):
        width = 24 * len(word)
        out.append(OcrWord(word, x, top, x + width, top + 50, 95.0, (0, line_id, 0, k // 100)))
        x += width + gap
    return out


def test_two_column_header_and_footer_come_out_column_by_column() -> None:
    rows = [
        # (left text, right text, top); a Tesseract line may run across both.
        ("VĂN PHÒNG CHÍNH PHỦ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 200),
        ("", "Độc lập - Tự do - Hạnh phúc", 265),
        ("Số: 12/VPCP-CN", "Hà Nội, ngày 28 tháng 4 năm 2026", 420),
        ("V/v cơ chế đặc thù xây dựng", "", 485),
        ("công trình khẩn cấp", "", 550),
        ("Kính gửi: Bộ Xây dựng", "", 700),
        ("Văn phòng Chính phủ thông báo để các Bộ biết và thực hiện ngay việc này.", "", 800),
        ("Nơi nhận:", "KT. BỘ TRƯỞNG, CHỦ NHIỆM", 950),
        ("- Như trên;", "PHÓ CHỦ NHIỆM", 1015),
        ("- Lưu: VT, CN.", "", 1080),
        ("", "Phạm Mạnh Cường", 1250),
    ]
    words: list[OcrWord] = []
    for k, (left, right, top) in enumerate(rows):
        words += words_of(left, 250, top, line_id=k)
        words += words_of(right, 1300, top, line_id=k)  # same Tesseract line id
    page = layout(words, W, header=True, footer=True)
    assert page.lines == [
        "VĂN PHÒNG CHÍNH PHỦ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 12/VPCP-CN",
        "V/v cơ chế đặc thù xây dựng",
        "công trình khẩn cấp",
        "Hà Nội, ngày 28 tháng 4 năm 2026",
        "Kính gửi: Bộ Xây dựng",
        "Văn phòng Chính phủ thông báo để các Bộ biết và thực hiện ngay việc này.",
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu: VT, CN.",
        "KT. BỘ TRƯỞNG, CHỦ NHIỆM",
        "PHÓ CHỦ NHIỆM",
        "Phạm Mạnh Cường",
    ]
    assert len(page.columns) == 4  # header and footer, left and right


SLANTED = "một dòng chữ dài của thân văn bản hành chính được in nghiêng trên trang giấy"


def test_skewed_lines_stay_whole() -> None:
    """A page fed in at a slant (1 px down every 40 px) keeps its lines."""
    words: list[OcrWord] = []
    for k in range(6):
        line = words_of(SLANTED, 250, 300 + 65 * k, line_id=k)
        for w in line:
            w.top += w.left / 40
            w.bottom += w.left / 40
        # Tesseract sometimes cuts a slanted line in two: the halves rejoin.
        for w in line[8:]:
            w.line = (0, k, 1, 0)
        words += line
    page = layout(words, W, header=False, footer=False)
    assert page.lines == [SLANTED] * 6


def test_words_in_a_small_frame_are_a_stamp() -> None:
    h = 50.0
    rules = [(1620, 640, 1631, 852), (2176, 630, 2186, 856), (1625, 848, 2184, 857)]
    [frame] = stamp_frames(rules, W, h)
    assert frame[0] <= 1620 and frame[2] >= 2186
    # A table's rules (three sides at the same rows) are not a stamp.
    table = [*rules, (1900, 640, 1910, 852)]
    assert stamp_frames(table, W, h) == []


def _tsv(
    words: list[OcrWord], pictures: list[tuple[int, int, int, int]] = (), dx: int = 0, dy: int = 0
) -> str:  # type: ignore[assignment]
    """Tesseract's `tsv` of made-up words (moved by -dx, -dy) and picture boxes."""
    rows = [
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    ]
    for k, w in enumerate(words):
        box = (
            round(w.left) - dx,
            round(w.top) - dy,
            round(w.right - w.left),
            round(w.bottom - w.top),
        )
        rows.append("\t".join(map(str, (5, 1, *w.line[1:], k, *box, w.conf, w.text))))
    for x0, y0, x1, y1 in pictures:
        rows.append("\t".join(map(str, (5, 1, 99, 0, 0, 0, x0, y0, x1 - x0, y1 - y0, -1, ""))))
    return "\n".join(rows) + "\n"


def test_a_column_inside_a_picture_is_not_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """The signature block Tesseract set aside as a picture is read once, from
    the picture; only the footer's other column is read again on its own."""
    cc = [
        *words_of("Nơi nhận:", 250, 950, line_id=2),
        *words_of("- Như trên;", 250, 1015, line_id=3),
        *words_of("- Lưu: VT, CN.", 250, 1080, line_id=4),
    ]
    body = [
        *words_of(
            "Văn phòng Chính phủ thông báo để các Bộ biết và thực hiện.", 250, 800, line_id=1
        ),
        *cc,
    ]
    signature = [
        *words_of("KT. BỘ TRƯỞNG, CHỦ NHIỆM", 1300, 950, line_id=5),
        *words_of("PHÓ CHỦ NHIỆM", 1300, 1015, line_id=6),
        *words_of("Phạm Mạnh Cường", 1300, 1250, line_id=7),
    ]
    picture = (1250, 900, 2300, 1400)
    sheets: list[tuple[int, int]] = []

    def tesseract(image: Image.Image, *, psm: int, dpi: int) -> str:
        if psm == 3:
            return _tsv(body, [picture])
        sheets.append(image.size)
        gap = 3 * 50  # white above and left of a crop on its sheet
        if len(sheets) == 1:  # the picture, alone on its sheet
            return _tsv(signature, dx=picture[0] - gap, dy=picture[1] - gap)
        # The left column, from its box grown by half a word.
        return _tsv(cc, dx=250 - 25 - gap, dy=950 - 25 - gap)

    monkeypatch.setattr(ocr, "tesseract_tsv", tesseract)
    page = ocr.read_image(Image.new("L", (W, 3508), 255), number=1, header=False, last=True)
    assert "Phạm Mạnh Cường" in page.text.split("\n")
    assert page.text.index("Nơi nhận:") < page.text.index("KT. BỘ TRƯỞNG, CHỦ NHIỆM")
    # Two readings besides the page: the picture, then the footer's left column alone.
    assert len(sheets) == 2
    left_column_height = 1080 + 50 - 950 + 2 * 25  # its lines and a margin of half a word
    assert sheets[1][1] == left_column_height + 2 * 150
