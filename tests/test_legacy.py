"""Legacy inputs: .doc/.rtf/.odt through LibreOffice, and pre-Unicode Vietnamese encodings.

The conversions run the real LibreOffice (Debian `libreoffice-writer-nogui`),
about 1.2 s each, so only four are made. Legacy-encoded fixtures are the
header of a real letter (dev corpus 024) encoded here by inverting the
module's tables, and each table is also pinned by strings typed as the
encodings are known to show them (`Céng hoµ x· héi`, `Coäng hoøa xaõ hoäi`).
"""

from __future__ import annotations

import io
import random
import subprocess
import tempfile
import unicodedata
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import docx
import pytest
from docx.oxml import OxmlElement
from docx.text.paragraph import Paragraph
from hypothesis import given
from hypothesis import strategies as st

from tests.docx_letters import CORPUS, build_letter_docx, letter_from_text
from tests.fuzzing import budget
from vanban.pipeline.batch import process_file
from vanban.pipeline.convert import SOFFICE_ENV, TIMEOUT_ENV, find_soffice
from vanban.pipeline.extract import extract
from vanban.pipeline.legacy_encoding import (
    MOJIBAKE_NOTE,
    TCVN3_TABLE,
    VNI_TABLE,
    _broken,
    _judged_distinct,
    _judged_words,
    decode_legacy,
    font_encoding,
    from_tcvn3,
    from_vni,
    repair,
    tally,
)
from vanban.pipeline.load import load, load_raw
from vanban.schemas import Document, ErrorRecord, LoadError

LETTER_024 = (CORPUS / "024.txt").read_text(encoding="utf-8")
HEADER = "\n".join(LETTER_024.splitlines()[:12]) + "\n"
FIELDS = ("doc_type", "number", "place", "issued_date", "subject")


@pytest.fixture
def soffice() -> str:
    found = find_soffice()
    if found is None:
        # `make test` installs LibreOffice (SYSTEM_PACKAGES); without it the test must fail, not skip.
        pytest.fail("LibreOffice is not installed: apt-get install libreoffice-writer-nogui")
    return found


def fields(doc: Document) -> dict[str, object]:
    found: dict[str, object] = {name: getattr(doc, name) for name in FIELDS}
    found["issuer"] = doc.issuer.name if doc.issuer else None
    return found


def extract_file(path: Path) -> Document:
    return extract(load(path))


# -- encoders for the fixtures: the module's tables inverted


def _surface_to_bytes(surface: str) -> bytes:
    return surface.encode("cp1252")


def tcvn3_surface(text: str) -> str:
    """Unicode -> TCVN3 as a Unicode program shows it. TCVN3 has no capital toned
    letters: a typist used the small one (and a `.VnTimeH` font for headings)."""
    inverse = {letter: surface for surface, letter in TCVN3_TABLE.items()}
    return "".join(
        inverse.get(ch) or inverse.get(ch.lower()) or ch
        for ch in unicodedata.normalize("NFC", text)
    )


def vni_surface(text: str) -> str:
    inverse = {letter: surface for surface, letter in VNI_TABLE.items()}
    return "".join(inverse.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258_bytes(text: str) -> bytes:
    """What Windows writes: the letter if cp1258 has it, else base letter + combining tone."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            marks = unicodedata.normalize("NFD", ch)
            tone = next(m for m in marks if m in TONES)
            base = unicodedata.normalize("NFC", marks.replace(tone, ""))
            out += base.encode("cp1258") + tone.encode("cp1258")
    return bytes(out)


def mojibake(text: str) -> str:
    """UTF-8 bytes read as Windows-1252 (its five gaps as Latin-1)."""

    def char(b: int) -> str:
        try:
            return bytes([b]).decode("cp1252")
        except UnicodeDecodeError:
            return chr(b)

    return "".join(char(b) for b in text.encode("utf-8"))


# TCVN3 typists wrote the old `Uỷ` (no capital Ủ exists); normalisation makes it `Ủy`.
HEADER_TYPED_TCVN3 = HEADER.replace("Ủy", "Uỷ")


# -- the tables, pinned by strings as the legacy fonts show them


@pytest.mark.parametrize(
    ("surface", "unicode"),
    [
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
        ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
        ("Thñ t\xadíng ChÝnh phñ", "Thủ tướng Chính phủ"),
        ("kh¼ng ®Þnh, n¨m, ®ång", "khẳng định, năm, đồng"),
    ],
)
def test_tcvn3_table(surface: str, unicode: str) -> None:
    assert from_tcvn3(surface) == unicode


@pytest.mark.parametrize(
    ("surface", "unicode"),
    [
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
        ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
        ("Thuû töôùng Chính phuû", "Thủ tướng Chính phủ"),
        ("khaúng ñònh, naêm, ñoàng", "khẳng định, năm, đồng"),
        ("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ],
)
def test_vni_table(surface: str, unicode: str) -> None:
    assert from_vni(surface) == unicode


def test_viscii_bytes_from_glibc_are_decoded(tmp_path: Path) -> None:
    # `iconv -t VISCII` of the motto and the place line.
    motto = (
        b"C\xb5ng h\xf2a x\xe3 h\xb5i ch\xfc ngh\xeea Vi\xaet Nam\n"
        b"\xd0\xb5c l\xa7p - T\xf1 do - H\xd5nh ph\xfac\n"
    )
    place = b"H\xe0 N\xb5i, ng\xe0y 28 th\xe1ng 4 n\xe5m 2026\n"
    path = tmp_path / "viscii.txt"
    path.write_bytes(motto + place)
    raw = load_raw(path)
    assert raw.text == (
        "Cộng hòa xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\n"
        "Hà Nội, ngày 28 tháng 4 năm 2026\n"
    )
    assert raw.warnings == ["text converted from VISCII to Unicode"]


# -- legacy text files give the same record as the Unicode letter


def _legacy_files(tmp_path: Path) -> dict[str, Path]:
    files = {
        "TCVN3 (ABC)": _surface_to_bytes(tcvn3_surface(HEADER_TYPED_TCVN3)),
        "VNI": _surface_to_bytes(vni_surface(HEADER)),
        "Windows-1258": cp1258_bytes(HEADER),
    }
    paths = {}
    for name, data in files.items():
        paths[name] = tmp_path / f"{name.split()[0]}.txt"
        paths[name].write_bytes(data)
    return paths


@pytest.mark.parametrize("encoding", ["TCVN3 (ABC)", "VNI", "Windows-1258"])
def test_legacy_encoded_letter_gives_the_unicode_record(tmp_path: Path, encoding: str) -> None:
    unicode_path = tmp_path / "unicode.txt"
    unicode_path.write_text(HEADER, encoding="utf-8")
    expected = extract_file(unicode_path)
    loaded = load(_legacy_files(tmp_path)[encoding])
    assert loaded.raw.warnings == [f"text converted from {encoding} to Unicode"]
    assert loaded.text == load(unicode_path).text
    doc = extract(loaded)
    assert fields(doc) == fields(expected)
    assert f"text converted from {encoding} to Unicode" in doc.warnings


def test_tcvn3_capitals_lines_come_back_upper_case() -> None:
    """`.VnTimeH` headings in a text file: capital ASCII with small toned bytes."""
    legacy = decode_legacy(_surface_to_bytes(tcvn3_surface(HEADER_TYPED_TCVN3)))
    assert legacy is not None
    lines = legacy.text.splitlines()
    assert lines[:3] == [
        "VĂN PHÒNG CHÍNH PHỦ",
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert lines[4] == "Số: 3722/VPCP-CN"  # one capital, one toned letter: not a heading


def test_tcvn3_and_vni_saved_as_unicode_are_converted(tmp_path: Path) -> None:
    # Copied out of a `.VnTime` / `VNI-Times` document into a UTF-8 editor.
    for name, surface in (
        ("TCVN3 (ABC)", tcvn3_surface(HEADER_TYPED_TCVN3)),
        ("VNI", vni_surface(HEADER)),
    ):
        path = tmp_path / "pasted.txt"
        path.write_text(surface, encoding="utf-8")
        raw = load_raw(path)
        assert raw.warnings == [f"text converted from {name} to Unicode"]
        assert raw.text.splitlines()[1:4] == HEADER.splitlines()[1:4]


def test_mojibake_is_repaired(tmp_path: Path) -> None:
    garbled = mojibake(HEADER)
    assert garbled.startswith("VÄ‚N PHÃ’NG")
    path = tmp_path / "mojibake.txt"
    path.write_text(garbled, encoding="utf-8")
    raw = load_raw(path)
    assert raw.text == HEADER
    assert raw.warnings == [MOJIBAKE_NOTE]
    # Garbled twice over (the same mistake saved twice) is repaired too.
    assert repair(mojibake(garbled)).text == HEADER


def test_unicode_vietnamese_with_no_break_spaces_is_no_mojibake() -> None:
    """`XÃ` and a no-break space are the bytes of UTF-8 `à` read as Latin-1; in a
    letter typed in Unicode (`HỘI`, `ĐỘC`) they are what the letter prints."""
    text = "CỘNG HÒA XÃ\u00a0HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    repaired = repair(text)
    assert (repaired.text, repaired.notes) == (text, [])


UNTOUCHED = {
    "vietnamese": LETTER_024,
    "english": "The Government Office asks the Ministry of Construction to report by 10 May.",
    "chinese": "国务院办公厅关于加强数字政府建设的指导意见，各省人民政府。",
    "french": "Le café est très élégant à Paris, où l'été est chaud; déjà Noël, ça coûte.",
    "german": "Die Größe der Straße ist für alle Bürger wichtig; übermäßig schöne Häuser.",
    "spanish": "El señor de España tiene un año más; la niña habló con su compañero.",
}


@pytest.mark.parametrize("name", list(UNTOUCHED))
def test_unicode_and_other_languages_are_left_alone(tmp_path: Path, name: str) -> None:
    text = UNTOUCHED[name]
    repaired = repair(text)
    assert (repaired.text, repaired.notes) == (text, [])
    path = tmp_path / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    assert load_raw(path).warnings == []
    # Saved in Windows-1252, they are no legacy Vietnamese either.
    if name in {"english", "french", "german", "spanish"}:
        assert decode_legacy(text.encode("cp1252")) is None


def test_unicode_dev_corpus_is_left_alone() -> None:
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert repair(text).notes == [], path.name


# Words of a Unicode letter, words it may hold that are no syllable (abbreviations, names),
# and words as TCVN3 and VNI letters saved as Unicode show them.
VALID_WORDS = ["Cộng", "hòa", "xã", "hội", "Việt", "Nam", "tỉnh", "ban", "2025", "the"]
INVALID_WORDS = ["QĐ", "UBND", "Đắk", "đ", "Céng", "hoµ", "x·", "Coäng", "hoøa", "«"]


@given(
    st.lists(st.sampled_from(VALID_WORDS), max_size=40),
    st.lists(st.sampled_from(INVALID_WORDS), max_size=12),
    st.sampled_from([" ", ", ", "\n"]),
    st.randoms(use_true_random=False),
)
@budget(150)
def test_the_cheap_test_for_a_broken_text_agrees_with_the_word_count(
    valid: list[str], invalid: list[str], space: str, rnd: random.Random
) -> None:
    words = valid + invalid
    rnd.shuffle(words)
    text = space.join(words)
    assert _broken(text) == tally(text).broken


@given(
    st.lists(st.sampled_from([*VALID_WORDS, *INVALID_WORDS, "hội_2", "m²"]), max_size=30),
    st.lists(st.sampled_from([" ", "\n", "\u00a0", "", "-", "1", "«", "_", "/", ", "]), min_size=1),
)
@budget(150)
def test_the_words_judged_are_read_alike_from_the_distinct_tokens(
    words: list[str], seps: list[str]
) -> None:
    """Words glued by digits, signs, underscores or dashes into one token are each counted."""
    text = "".join(w + seps[k % len(seps)] for k, w in enumerate(words))
    every = _judged_words(text)
    assert _judged_distinct(text) == (set(every), len(every))


# -- DOCX runs in legacy fonts


def _run(paragraph: Paragraph, text: str, font: str | None, *, caps: bool = False) -> None:
    run = paragraph.add_run(text)
    if font is not None:
        run.font.name = font
    run.font.all_caps = caps or None


def test_docx_runs_are_converted_by_their_font(tmp_path: Path) -> None:
    document = docx.Document()
    document.styles["Normal"].font.name = "Times New Roman"
    _run(document.add_paragraph(), "céng hoµ x· héi chñ nghÜa viÖt nam", ".VnTimeH")
    _run(document.add_paragraph(), "§éc lËp - Tù do - H¹nh phóc", ".VnTime")
    # TCVN3's `ư` is byte 0xAD, which Word keeps as a soft hyphen element.
    p = document.add_paragraph()
    _run(p, "Thñ t", ".VnTime")
    run = p.runs[-1]._r
    run.append(OxmlElement("w:softHyphen"))
    tail = OxmlElement("w:t")
    tail.text = "íng"
    run.append(tail)
    _run(document.add_paragraph(), "hµ néi", ".VnTime", caps=True)
    mixed = document.add_paragraph()
    _run(mixed, "Coäng hoøa", "VNI-Times")
    _run(mixed, " và Hà Nội", None)  # Unicode run beside it: left alone
    _run(document.add_paragraph(), "Hà Nội", ".VnTime")  # typed in Unicode despite the font
    # Font inherited from a paragraph style.
    style = document.styles.add_style("Legacy", 1)
    style.font.name = ".VnTime"
    document.add_paragraph("Ch¸nh V¨n phßng", style="Legacy")
    path = tmp_path / "legacy.docx"
    document.save(str(path))

    raw = load_raw(path)
    assert raw.text.splitlines() == [
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Thủ tướng",
        "HÀ NỘI",
        "Cộng hòa và Hà Nội",
        "Hà Nội",
        "Chánh Văn phòng",
    ]
    assert raw.warnings == [
        "text converted from TCVN3 (ABC) to Unicode",
        "text converted from VNI to Unicode",
    ]


def test_tcvn3_docx_letter_reads_as_the_unicode_letter(tmp_path: Path) -> None:
    """A whole letter in `.VnTime`, its capitals lines in `.VnTimeH`, as offices typed them."""
    reference = build_letter_docx(tmp_path / "unicode.docx", letter_from_text(LETTER_024))
    # TCVN3 has no capital Ủ: typists wrote the old `Uỷ`, which normalisation makes `Ủy`.
    letter = letter_from_text(LETTER_024.replace("Ủy", "Uỷ"))

    caps_lines = set()

    def encode(line: str) -> str:
        surface = tcvn3_surface(line)
        if line.isupper():
            caps_lines.add(surface)
        return surface

    for name in ("issuer", "motto", "subject", "recipients", "cc", "signature"):
        setattr(letter, name, [encode(line) for line in getattr(letter, name)])
    letter.number, letter.place_date = encode(letter.number), encode(letter.place_date)
    letter.body = [encode(line) if isinstance(line, str) else line for line in letter.body]
    path = build_letter_docx(tmp_path / "tcvn3.docx", letter)
    document = docx.Document(str(path))
    document.styles["Normal"].font.name = ".VnTime"
    for table in document.tables:
        for cell in (c for row in table.rows for c in row.cells):
            for run in (r for p in cell.paragraphs for r in p.runs):
                if run.text in caps_lines:
                    run.font.name = ".VnTimeH"
    document.save(str(path))

    assert load(path).text == load(reference).text
    assert fields(extract_file(path)) == fields(extract_file(reference))


# -- .doc, .rtf, .odt through LibreOffice


def _to_doc(soffice: str, docx_path: Path, tmp_path: Path) -> Path:
    out = tmp_path / "made"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(out),
            str(docx_path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return out / f"{docx_path.stem}.doc"


def test_doc_gives_the_same_record_as_the_docx(
    soffice: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    letter_path = build_letter_docx(tmp_path / "letter.docx", letter_from_text(LETTER_024))
    # Word always ends a body with a paragraph; LibreOffice's .doc export glues
    # the cells of a table that ends it.
    document = docx.Document(str(letter_path))
    document.add_paragraph()
    document.save(str(letter_path))
    doc_path = _to_doc(soffice, letter_path, tmp_path)
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))

    expected = extract_file(letter_path)
    record = extract_file(doc_path)
    assert fields(record) == fields(expected)
    assert record.source.format == "doc"
    assert record.warnings[0] == "converted from .doc to DOCX by LibreOffice before reading"
    assert record.signer == expected.signer
    assert [a.name for a in record.recipients] == [a.name for a in expected.recipients]
    assert load_raw(doc_path).text == load_raw(letter_path).text
    assert list(temp.iterdir()) == []  # LibreOffice's profile and files are gone


def _rtf(lines: list[str]) -> bytes:
    def rtf_escape(line: str) -> str:
        return "".join(c if c.isascii() and c not in "\\{}" else f"\\u{ord(c)}?" for c in line)

    body = "".join(f"{rtf_escape(line)}\\par\n" for line in lines)
    return f"{{\\rtf1\\ansi\\deff0{{\\fonttbl{{\\f0 Times New Roman;}}}}\\f0\n{body}}}".encode()


def _odt(lines: list[str]) -> bytes:
    """The smallest OpenDocument text LibreOffice opens: mimetype, manifest, content."""
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    paragraphs = "".join(f"<text:p>{escape(line)}</text:p>" for line in lines)
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="{office}" '
        f'xmlns:text="{text}" office:version="1.2"><office:body><office:text>{paragraphs}'
        "</office:text></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
        '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["rtf", "odt"])
def test_rtf_and_odt_give_the_same_record(soffice: str, tmp_path: Path, fmt: str) -> None:
    unicode_path = tmp_path / "letter.txt"
    unicode_path.write_text(HEADER, encoding="utf-8")
    path = tmp_path / f"letter.{fmt}"
    lines = HEADER.splitlines()
    path.write_bytes(_rtf(lines) if fmt == "rtf" else _odt(lines))
    record = extract_file(path)
    assert record.source.format == fmt
    assert fields(record) == fields(extract_file(unicode_path))


def test_missing_libreoffice_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SOFFICE_ENV, "/nonexistent/soffice")
    path = tmp_path / "letter.rtf"
    path.write_bytes(_rtf(["Hà Nội"]))
    with pytest.raises(LoadError) as caught:
        load(path)
    assert caught.value.code == "converter_missing"
    assert "libreoffice-writer-nogui" in caught.value.message


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("junk.doc", bytes(range(256)) * 20),
        ("text.doc", "Cộng hòa xã hội chủ nghĩa Việt Nam".encode()),
        ("ole.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000),
        ("junk.rtf", b"not rtf at all"),
        ("junk.odt", b"PK\x03\x04 cut short"),
    ],
)
def test_junk_is_refused_before_libreoffice_reads_it_as_text(
    tmp_path: Path, name: str, data: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    record = process_file(path)
    assert isinstance(record, ErrorRecord)
    assert record.error == f"corrupt_{path.suffix[1:]}"
    assert "Traceback" not in record.message and path.name in record.message


def test_conversion_timeout_kills_libreoffice_and_cleans_up(
    soffice: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setenv(TIMEOUT_ENV, "0.3")  # LibreOffice needs about a second to start
    path = tmp_path / "letter.rtf"
    path.write_bytes(_rtf(HEADER.splitlines()))
    record = process_file(path)
    assert isinstance(record, ErrorRecord)
    assert record.error == "conversion_failed"
    assert list(temp.iterdir()) == []
    # No LibreOffice process is left running with our profile.
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            assert str(temp) not in cmdline.read_text(errors="replace")
        except OSError:
            continue


@pytest.mark.parametrize(
    ("font", "expected"),
    [
        (".VnTime", ("TCVN3 (ABC)", False)),
        (".VnArial NarrowH", ("TCVN3 (ABC)", True)),
        (".VnTimeH", ("TCVN3 (ABC)", True)),
        ("VNI-Times", ("VNI", False)),
        ("Times New Roman", None),
        (None, None),
    ],
)
def test_font_names(font: str | None, expected: tuple[str, bool] | None) -> None:
    encoding = font_encoding(font)
    assert (encoding and (encoding.name, encoding.caps)) == expected
