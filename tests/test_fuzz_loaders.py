"""Property tests of every loader on random bytes and mutated real files.

Inputs: random bytes, and real files (the dev corpus letters, the sample DOCX
and PDF letters, letters built here) mutated at the byte level (flips,
truncation, insertion, deletion, duplicated chunks, meaningful tokens) and
inside their structure: DOCX parts rewritten with mutated XML, PDF content
streams, CMaps and cross-reference numbers changed, PDFs drawn from a small
grammar of page content. Each is written to a file with the format's suffix.

The properties, for every input:

- a loader returns a valid result, or raises a `schemas.VanbanError` with a
  code and a message: never another exception, never a hang (`within`);
- `load` gives a `LoadedDocument` whose normalised text maps back into the
  loader's text as `vanban.pipeline.normalize` promises (`check_normalized`);
- `process_file` gives a `Document` whose every span points into its text
  and shows the value it claims, or an `ErrorRecord` that is not an internal
  error; either serialises to JSON, as `vanban ingest` writes it.

Budgets come from the Hypothesis profile (`tests/conftest.py`: `ci` by
default, `fuzz` for `make fuzz`). OCR (Tesseract) and LibreOffice take about a
second a file, so their tests get a handful of examples. A failure found here
stays as an explicit `@example` or regression case.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import re
import traceback
import unicodedata
import warnings
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any, TypeVar

import pytest
from docx.oxml.ns import nsdecls, qn
from hypothesis import example, given, reject
from hypothesis import strategies as st
from lxml import etree
from PIL import Image, ImageDraw

from tests.docx_letters import LETTER_3722, build_letter_docx
from tests.fuzzing import TOKENS, Mutant, budget, mutated, seed, within
from tests.test_ingest import _spans as record_spans
from tests.test_legacy import _odt, _rtf, cp1258_bytes, mojibake, tcvn3_surface, vni_surface
from tests.test_load_pdf import encrypted_pdf, form_field_pdf, stream, write_pdf
from vanban.pipeline.batch import process_file
from vanban.pipeline.convert import find_soffice
from vanban.pipeline.docx_numbering import Numbering, StyleSheet
from vanban.pipeline.extract import extract
from vanban.pipeline.legacy_encoding import (
    TCVN3,
    VNI,
    FontEncoding,
    decode_legacy,
    from_tcvn3,
    from_vni,
    repair,
)
from vanban.pipeline.load import LoadedDocument, decode_text, load, load_text
from vanban.pipeline.normalize import Normalized, normalize
from vanban.pipeline.ocr import TESSERACT_ENV, load_image, tesseract_problem
from vanban.pipeline.ocr_correct import correct_lines
from vanban.pipeline.ocr_layout import OcrWord, layout, parse_tsv
from vanban.pipeline.pdf_layout import Word, read_page, words_from_chars
from vanban.schemas import Document, ErrorRecord, RawText, VanbanError

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "data" / "corpus" / "dev"
SAMPLES = ROOT / "data" / "samples"
FAST = 60.0  # seconds: a loader that takes longer on one small file hangs
SLOW = 400.0  # OCR and LibreOffice, which have their own timeouts (120 s, 300 s a page)
SOURCE_FORMATS = {"txt", "docx", "pdf", "doc", "image", "rtf", "odt"}

T = TypeVar("T")


# -- the properties ------------------------------------------------------------------


def refused(exc: BaseException) -> bool:
    """A refusal as the loaders promise one: a `VanbanError` with a code and a message."""
    if not isinstance(exc, VanbanError):
        return False
    assert isinstance(exc.code, str) and re.fullmatch(r"[a-z][a-z0-9_]*", exc.code), exc.code
    assert exc.message.strip(), f"{type(exc).__name__} without a message"
    return True


@dataclass(frozen=True)
class KnownBug:
    """A bug found here in a file these tests may not change, reported to its owner.

    An example that hits it is rejected, so the property goes on finding
    others; its regression case below (xfail, strict) flips when it is fixed,
    and then this entry goes.
    """

    file: str  # where it is raised: `pipeline/load_docx.py`
    function: str
    error: str  # how it starts: `TypeError: 'NoneType' object is not iterable`

    def raised(self, exc: BaseException) -> bool:
        if not f"{type(exc).__name__}: {exc}".startswith(self.error):
            return False
        frames = traceback.extract_tb(exc.__traceback__)
        return any(f.filename.endswith(self.file) and f.name == self.function for f in frames)

    def recorded(self, rec: ErrorRecord) -> bool:
        """The internal-error record `process_file` makes of it (the message names the error)."""
        return rec.error == "internal_error" and f"({self.error}" in rec.message


# Bugs reported to the owner of a file these tests may not change (none open now;
# the cases found so far are the regression tests at the end).
KNOWN_BUGS: list[KnownBug] = []


def outcome(
    call: Callable[[], T], what: str, seconds: float = FAST, *, known: bool = True
) -> T | None:
    """`call()`'s result, or None when it refused the input as promised.

    `known`: an example that hits a known bug is rejected (regression cases say False).
    """
    try:
        with within(seconds, what):
            return call()
    except Exception as exc:
        if refused(exc):
            return None
        if known and any(bug.raised(exc) for bug in KNOWN_BUGS):
            reject()
        raise


_ENTITY = re.compile(r"&(?:#\d+|[a-z]+);", re.I)
_NOT_IN_TEXT = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\u200b-\u200d\ufeff\u00ad\u2028\u2029]"
)


def _base(ch: str) -> str:
    return unicodedata.normalize("NFKD", ch)[:1].casefold()


def check_normalized(raw: str, out: Normalized, *, markup: bool = True) -> None:
    """What `vanban.pipeline.normalize` promises about its text and its offset map."""
    text, to_source = out.text, out.to_source
    assert len(to_source) == len(text)
    assert all(0 <= i < len(raw) for i in to_source), "an offset outside the source"
    assert all(a <= b for a, b in pairwise(to_source)), "offsets go back"
    # ASCII letters and digits are never rewritten: the source holds the same
    # letter there (a tone mark moved, a compatibility form folded), or the
    # HTML entity the character was written as.
    for i, ch in enumerate(text):
        if ch.isascii() and ch.isalnum():
            src = to_source[i]
            assert _base(raw[src]) == ch.casefold() or (
                markup and _ENTITY.match(raw, src) is not None
            ), (i, ch, raw[max(0, src - 10) : src + 10])
    # The cleaned text: composed, no control characters, spaces single, at most one blank line.
    assert unicodedata.is_normalized("NFC", text)
    assert not _NOT_IN_TEXT.search(text), repr(_NOT_IN_TEXT.search(text))
    assert "\t" not in text and "\r" not in text
    assert text == text.strip()
    assert "\n\n\n" not in text and "  " not in text
    assert " \n" not in text and "\n " not in text
    # A span of the text maps to an ordered span of the source.
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    for s, e in [(0, len(text)), *lines[:50]]:
        a, b = out.source_span(s, e)
        assert 0 <= a <= b <= len(raw)


def check_raw(raw: RawText) -> None:
    assert isinstance(raw, RawText) and isinstance(raw.text, str)
    assert raw.format in SOURCE_FORMATS
    assert raw.pages is None or raw.pages >= 0
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in raw.metadata.items())
    assert all(isinstance(w, str) and w.strip() for w in raw.warnings)


def check_loaded(loaded: LoadedDocument | None, data: bytes) -> None:
    if loaded is None:
        return
    assert isinstance(loaded, LoadedDocument)
    assert loaded.sha256 == hashlib.sha256(data).hexdigest()
    check_raw(loaded.raw)
    check_normalized(loaded.raw.text, loaded.normalized, markup=loaded.raw.format == "txt")


# Records that break a promise through a reported bug, as `KNOWN_BUGS` for exceptions.
KNOWN_RECORD_BUGS: list[Callable[[Document], bool]] = []


def check_document(doc: Document, *, known: bool = True) -> None:
    if known and any(bug(doc) for bug in KNOWN_RECORD_BUGS):
        reject()
    n = len(doc.text)
    for what, (s, e), printed in record_spans(doc):
        assert 0 <= s <= e <= n, (what, s, e, n)
        if printed is not None:
            assert doc.text[s:e] == printed, (what, doc.text[s:e], printed)
            assert s < e or not printed, (what, s, e)
    # What `vanban ingest` writes: JSON that reads back the same record.
    assert Document.model_validate_json(doc.model_dump_json()) == doc


def check_record(rec: Document | ErrorRecord, *, known: bool = True) -> None:
    if isinstance(rec, ErrorRecord):
        if known and any(bug.recorded(rec) for bug in KNOWN_BUGS):
            reject()
        assert rec.error != "internal_error", rec.message
        assert rec.error and rec.message.strip()
        assert ErrorRecord.model_validate_json(rec.model_dump_json()) == rec
    else:
        assert isinstance(rec, Document), type(rec)
        check_document(rec, known=known)


def write(tmp: Path, suffix: str, data: bytes) -> Path:
    """`data` as the file `letter<suffix>`: each example overwrites the one before,
    so thousands of mutated PDFs do not fill the disk."""
    path = tmp / f"letter{suffix}"
    path.write_bytes(data)
    return path


def load_and_process(path: Path, data: bytes, *, known: bool = True) -> None:
    """`load` keeps its promises, and so does the whole path (`process_file`)."""
    check_loaded(outcome(lambda: load(path), f"load({path.name})", known=known), data)
    with within(FAST, f"process_file({path.name})"):
        rec = process_file(path)
    check_record(rec, known=known)


@contextmanager
def no_tesseract() -> Iterator[None]:
    """Scans stay `needs_ocr` (as without Tesseract): OCR has its own, smaller test."""
    old = os.environ.get(TESSERACT_ENV)
    os.environ[TESSERACT_ENV] = "/nonexistent/tesseract"
    try:
        yield
    finally:
        if old is None:
            del os.environ[TESSERACT_ENV]
        else:
            os.environ[TESSERACT_ENV] = old


@pytest.fixture(scope="module")
def tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


# -- seeds: real files ------------------------------------------------------------------


def _read(paths: list[Path]) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in paths}


TXT = _read(sorted([*(DEV / "raw").glob("*.txt"), *SAMPLES.glob("*.txt")]))
_HEADER = "\n".join((DEV / "raw" / "024.txt").read_text(encoding="utf-8").splitlines()[:14])
TXT |= {
    "tcvn3": tcvn3_surface(_HEADER).encode("cp1252", errors="replace"),
    "vni": vni_surface(_HEADER).encode("cp1252", errors="replace"),
    "cp1258": cp1258_bytes(_HEADER),
    "mojibake": mojibake(_HEADER).encode("utf-8"),
    "utf16": _HEADER.encode("utf-16"),
    "bom": b"\xef\xbb\xbf" + _HEADER.encode("utf-8"),
    "markup": (
        '---\ntitle: "CV 1"\n---\n**Số:** 1/TB | Hà Nội, ngày 2 tháng 3 năm 2026 |\n'
        "|---|---|\n# THÔNG BÁO\nKính gửi: Bộ Y tế &amp; Bộ Tài chính<br>\n"
        "1. Bộ Y tế chủ trì, phối hợp với\ncác bộ báo cáo trước ngày 30/3/2026.\n"
        "--- PAGE BREAK ---\nNơi nhận:\n- Như trên;\n"
    ).encode(),
}
PDF = _read(sorted((DEV / "pdf").glob("*.pdf")))
PDF |= {"form_field": form_field_pdf(), "encrypted": encrypted_pdf(b"secret")}
DOCX = _read(sorted(SAMPLES.glob("*.docx")))


# -- text: load_text, decode_text, legacy encodings, normalize ---------------------------------


@given(data=st.binary(max_size=2048))
@budget(40)
def test_decode_text_decodes_or_refuses_random_bytes(data: bytes) -> None:
    notes: list[str] = []
    text = outcome(lambda: decode_text(data, notes), "decode_text")
    if text is not None:
        assert isinstance(text, str)
        assert all(isinstance(n, str) and n for n in notes)
        text.encode("utf-8")  # no half surrogate pairs: the text can be written out


@given(name=st.sampled_from(sorted(TXT)), data=st.data())
@budget(80)
def test_text_loader_on_mutated_letters(tmp: Path, name: str, data: st.DataObject) -> None:
    raw = data.draw(mutated(seed(name, TXT[name])), label="bytes")
    path = write(tmp, data.draw(st.sampled_from([".txt", ".md", ".text"])), raw)
    text = outcome(lambda: load_text(path), "load_text")
    if text is not None:
        check_raw(text)
    load_and_process(path, raw)


@given(raw=st.binary(max_size=1024))
@budget(20)
def test_text_loader_on_random_bytes(tmp: Path, raw: bytes) -> None:
    load_and_process(write(tmp, ".txt", raw), raw)


@given(data=st.binary(max_size=1024))
@budget(40)
def test_decode_legacy_reads_vietnamese_or_nothing(data: bytes) -> None:
    found = decode_legacy(data)
    if found is not None:
        assert isinstance(found.text, str) and found.notes


_VIET = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
vietnamese = st.text(alphabet=_VIET + " \n", max_size=200)


@given(text=st.one_of(vietnamese, st.text(max_size=300)))
@budget(60)
def test_legacy_repair_and_conversions_never_raise(text: str) -> None:
    fixed = repair(text)
    assert isinstance(fixed.text, str)
    assert isinstance(from_tcvn3(text), str) and isinstance(from_vni(text), str)
    for encoding in (
        FontEncoding(TCVN3, caps=False),
        FontEncoding(TCVN3, True),
        FontEncoding(VNI, False),
    ):
        assert isinstance(encoding.convert(text), str)


@given(text=vietnamese)
@budget(60)
def test_legacy_tables_read_back_what_they_encode(text: str) -> None:
    """Lower-case Vietnamese (TCVN3 has no toned capitals) survives encoding and decoding."""
    assert from_tcvn3(tcvn3_surface(text)) == text
    assert from_vni(vni_surface(text)) == text


_MARKUP = [
    "**", "*", "__", "#", "## ", "|", "|---|---|", "<b>", "</p>", "<br/>", "<td>", "&amp;",
    "&nbsp;", "&#65;", "&#0;", "&#13;", "&#55296;", "&#1114112;", "&#99999999999999;", "\\*",
    "\\|", "---\n", "--- PAGE BREAK ---", "\r\n", "\r", "\u2028", "\x0c", "\t", "\u00a0",
    "\u200b", "\ufeff", "\u00ad", "\x00", "\x07", "\u0301", "\u0323", "\u0302", "e\u0302\u0301",
    "\u212a", "\u1100\u1161\u11a8", "\uac00\u11a8", "hoà", "Uỷ", "thuỷ", "nghành", "bíết",
    "Thủ tướng", "a)", "đ)", "ii.", "\n", "\n\n", " ", "  ", "x", "1", "Ủy ban",
]  # fmt: skip
markup_text = st.lists(st.one_of(st.sampled_from(_MARKUP), st.text(max_size=8)), max_size=40).map(
    "".join
)


@given(raw=st.one_of(markup_text, st.text(max_size=300)), markup=st.booleans(), wraps=st.booleans())
@example(raw="&#55296;", markup=True, wraps=True)
@example(raw="a&#0;b&#13;c", markup=True, wraps=True)
@example(raw="\u212a\u034f", markup=False, wraps=False)
@example(raw="\uac00\u11a8", markup=False, wraps=False)
@example(raw="nghành", markup=False, wraps=False)
@example(raw="hoà\u0301", markup=False, wraps=False)
@example(raw="\u1100\u1161\u11a8\u212a", markup=False, wraps=False)
@budget(150)
def test_normalize_keeps_its_promises(raw: str, markup: bool, wraps: bool) -> None:
    check_normalized(raw, normalize(raw, markup=markup, join_wraps=wraps), markup=markup)


# -- DOCX: load_docx, docx_numbering -------------------------------------------------------

_NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "v": "urn:schemas-microsoft-com:vml",
}
_DECLS = nsdecls("w", "r", "wp", "a") + "".join(
    f' xmlns:{p}="{uri}"' for p, uri in _NS.items() if p != "w"
)
# Pieces of WordprocessingML a letter may hold, in places the mutations choose:
# `{n}` a number (any), `{h}` a hex code, `{s}` text.
_SNIPPETS = [
    "<w:p><w:r><w:t>{s}</w:t></w:r></w:p>",
    "<w:r><w:t xml:space=\"preserve\">{s}</w:t></w:r>",
    "<w:r><w:rPr><w:rFonts w:ascii=\".VnTime\" w:hAnsi=\".VnTime\"/></w:rPr><w:t>C\u00e9ng ho\u00b5 {s}</w:t></w:r>",
    "<w:r><w:rPr><w:rFonts w:hAnsi=\".VnTimeH\"/><w:caps/></w:rPr><w:t>th\u00ad\u00edng</w:t><w:softHyphen/></w:r>",
    "<w:r><w:rPr><w:rFonts w:ascii=\"VNI-Times\"/></w:rPr><w:t>Co\u00e4ng hoøa</w:t></w:r>",
    "<w:r><w:rPr><w:rFonts w:asciiTheme=\"minorHAnsi\"/></w:rPr><w:t>{s}</w:t></w:r>",
    "<w:r><w:sym w:font=\"Symbol\" w:char=\"{h}\"/></w:r>",
    "<w:r><w:tab/><w:br/><w:cr/><w:noBreakHyphen/><w:softHyphen/><w:ptab/></w:r>",
    "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"{i}\"/><w:numId w:val=\"{i}\"/></w:numPr></w:pPr><w:r><w:t>{s}</w:t></w:r></w:p>",
    "<w:p><w:pPr><w:pStyle w:val=\"{s}\"/></w:pPr><w:r><w:t>{s}</w:t></w:r></w:p>",
    "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>{s}</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>",
    "<w:tc><w:tcPr><w:hMerge w:val=\"{s}\"/></w:tcPr><w:p><w:r><w:t>{s}</w:t></w:r></w:p></w:tc>",
    "<w:sdt><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>{s}</w:t></w:r></w:p></w:sdtContent></w:sdt>",
    "<w:customXml><w:p><w:r><w:t>{s}</w:t></w:r></w:p></w:customXml>",
    "<mc:AlternateContent><mc:Choice Requires=\"wps\"><w:p><w:r><w:t>{s}</w:t></w:r></w:p></mc:Choice><mc:Fallback><w:p/></mc:Fallback></mc:AlternateContent>",
    "<w:ins><w:r><w:t>{s}</w:t></w:r></w:ins>",
    "<w:del><w:r><w:delText>{s}</w:delText></w:r></w:del>",
    "<w:moveFrom><w:r><w:t>{s}</w:t></w:r></w:moveFrom>",
    "<w:hyperlink><w:r><w:t>{s}</w:t></w:r></w:hyperlink>",
    "<w:altChunk r:id=\"rId{n}\"/>",
    "<w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>S\u1ed1: {n}/TB</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>",
    "<w:r><w:rPr><w:vanish w:val=\"{s}\"/></w:rPr><w:t>{s}</w:t></w:r>",
    "<w:p><w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr></w:p>",
    "<w:fldSimple w:instr=\"PAGE\"><w:r><w:t>{n}</w:t></w:r></w:fldSimple>",
    "<w:smartTag><w:smartTagPr/><w:r><w:t>{s}</w:t></w:r></w:smartTag>",
]  # fmt: skip
_NUMBERING_SNIPPETS = [
    "<w:abstractNum w:abstractNumId=\"{i}\"><w:lvl w:ilvl=\"{i}\"><w:start w:val=\"{n}\"/><w:numFmt w:val=\"{f}\"/><w:lvlText w:val=\"{t}\"/><w:lvlRestart w:val=\"{n}\"/><w:isLgl/></w:lvl></w:abstractNum>",
    "<w:abstractNum w:abstractNumId=\"{i}\"><w:lvl w:ilvl=\"{i}\"><w:start w:val=\"{n}\"/><w:numFmt w:val=\"{f}\"/><w:lvlText w:val=\"{t}\"/></w:lvl></w:abstractNum>",
    "<w:abstractNum w:abstractNumId=\"{i}\"><w:numStyleLink w:val=\"{s}\"/></w:abstractNum>",
    "<w:num w:numId=\"{i}\"><w:abstractNumId w:val=\"{i}\"/><w:lvlOverride w:ilvl=\"{i}\"><w:startOverride w:val=\"{n}\"/></w:lvlOverride></w:num>",
    "<w:lvlOverride w:ilvl=\"{i}\"><w:lvl w:ilvl=\"{i}\"><w:start w:val=\"{n}\"/><w:numFmt w:val=\"{f}\"/><w:lvlText w:val=\"{t}\"/></w:lvl></w:lvlOverride>",
    "<w:lvl w:ilvl=\"{i}\"><w:start w:val=\"{n}\"/><w:numFmt w:val=\"{f}\"/><w:lvlText w:val=\"{t}\"/><w:pStyle w:val=\"{s}\"/><w:lvlPicBulletId w:val=\"1\"/></w:lvl>",
    "<w:style w:type=\"paragraph\" w:default=\"{s}\" w:styleId=\"{s}\"><w:basedOn w:val=\"{s}\"/><w:pPr><w:numPr><w:ilvl w:val=\"{i}\"/><w:numId w:val=\"{i}\"/></w:numPr></w:pPr><w:rPr><w:caps w:val=\"{s}\"/><w:rFonts w:ascii=\"{s}\"/></w:rPr></w:style>",
    "<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:hAnsi=\".VnTime\"/><w:vanish w:val=\"0\"/></w:rPr></w:rPrDefault></w:docDefaults>",
]  # fmt: skip
_NUMBERS = ["0", "1", "2", "8", "9", "10", "-1", "26", "27", "703", "3999", "4000", "32767",
            "2147483647", "2147483648", "-2147483649", "99999999999999999999", "1e3", "", "x"]  # fmt: skip
_FORMATS = ["decimal", "lowerLetter", "upperLetter", "lowerRoman", "upperRoman", "bullet",
            "none", "decimalZero", "decimalEnclosedParen", "ordinal", "", "chicago"]  # fmt: skip
_LVL_TEXTS = [
    "%1.",
    "%2)",
    "%1.%2.%3.",
    "%9",
    "%0",
    "%%",
    "%",
    "",
    "-",
    "\u2022",
    "(%1)",
    "%1%1%1%1",
]
_WORDS = ["Số: 12/TB-UBND", "Kính gửi:", "Nơi nhận:", "1.", "a)", "Normal", "Heading1", "ListParagraph",
          "", " ", "true", "false", "0", "off", "continue", "restart", "x" * 300, "Bộ Y tế chủ trì"]  # fmt: skip
# Text an XML file can hold (no control characters, no surrogates).
xml_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    max_size=30,
)


def _fill(draw: st.DrawFn, template: str) -> str:
    def value(m: re.Match[str]) -> str:
        kind = m.group(1)
        if kind == "n":
            return draw(st.one_of(st.sampled_from(_NUMBERS), st.integers(-5, 40).map(str)))
        if kind == "i":  # an id or a level: a few values, so that references meet
            return draw(st.one_of(st.sampled_from(["0", "1", "2"]), st.sampled_from(_NUMBERS)))
        if kind == "h":
            return draw(
                st.one_of(
                    st.sampled_from(
                        ["F020", "D800", "DFFF", "110000", "FFFFFFFF", "0", "-1", "zz", "1EC7"]
                    ),
                    st.integers(0, 0x10FFFF).map(lambda c: f"{c:X}"),
                )
            )
        if kind == "f":
            return draw(st.sampled_from(_FORMATS))
        if kind == "t":
            return draw(st.sampled_from(_LVL_TEXTS))
        return draw(st.one_of(st.sampled_from(_WORDS), xml_text))

    return re.sub(r"\{([nhftsi])\}", value, template)


def _escape_attr(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def _snippet(draw: st.DrawFn, templates: list[str]) -> etree._Element:
    template = draw(st.sampled_from(templates))
    filled = re.sub(r"\{([nhftsi])\}", lambda m: "\x00" + m.group(1), template)
    parts = filled.split("\x00")
    out = [parts[0]]
    for part in parts[1:]:
        out.append(_escape_attr(_fill(draw, "{" + part[0] + "}")) + part[1:])
    return etree.fromstring(f"<root {_DECLS}>{''.join(out)}</root>")[0]


def _tag(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else "?"


@st.composite
def mutated_xml(draw: st.DrawFn, xml: bytes, templates: list[str]) -> tuple[bytes, list[str]]:
    """`xml` with 1 to 6 structural mutations: elements dropped, duplicated,
    moved or inserted (from `templates`), attribute values and texts changed;
    and what was done."""
    root = etree.fromstring(xml)
    steps: list[str] = []
    for _ in range(draw(st.integers(1, 6))):
        elements = list(root.iter(etree.Element))
        k = draw(st.integers(0, len(elements) - 1))
        el = elements[k]
        parent = el.getparent()
        where = f"<{_tag(el)}> #{k}"
        op = draw(st.sampled_from(["drop", "dup", "insert", "insert", "attr", "text", "move"]))
        if op == "drop" and parent is not None:
            parent.remove(el)
        elif op == "dup" and parent is not None:
            parent.insert(parent.index(el), etree.fromstring(etree.tostring(el)))
        elif op == "insert":
            new = _snippet(draw, templates)
            el.insert(draw(st.integers(0, len(el))), new)
            where += " " + etree.tostring(new, encoding="unicode")[:300]
        elif op == "attr":
            key = draw(st.sampled_from(sorted(el.attrib) or [qn("w:val")]))
            value = _fill(draw, draw(st.sampled_from(["{n}", "{s}", "{f}", "{t}", "{h}"])))
            el.set(key, value)
            where += f" {etree.QName(key).localname}={value[:60]!r}"
        elif op == "text":
            el.text = draw(st.one_of(st.sampled_from(_WORDS), xml_text))
            where += f" {el.text[:60]!r}"
        elif op == "move" and parent is not None:
            j = draw(st.integers(0, len(elements) - 1))
            target = elements[j]
            if el in list(target.iterancestors()) or target is el:
                continue
            target.insert(draw(st.integers(0, len(target))), el)
            where += f" into <{_tag(target)}> #{j}"
        else:
            continue
        steps.append(f"{op} {where}")
    xml_out = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return bytes(xml_out), steps


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are part of the test
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in members:
                info = zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0))
                archive.writestr(info, data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


class Seeds(dict[str, dict[str, bytes]]):
    """The members of each seed DOCX, printed by name only in failure reports."""

    def __repr__(self) -> str:
        return f"<DOCX seeds {', '.join(self)}>"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(repr(self))


@pytest.fixture(scope="module")
def docx_seeds(tmp: Path) -> Seeds:
    built = build_letter_docx(tmp / "built_3722.docx", LETTER_3722)
    seeds = {**DOCX, "built_3722.docx": built.read_bytes()}
    return Seeds({name: _members(data) for name, data in seeds.items()})


_XML_PARTS = {
    "word/document.xml": _SNIPPETS,
    "word/numbering.xml": _NUMBERING_SNIPPETS,
    "word/styles.xml": _NUMBERING_SNIPPETS,
    "docProps/core.xml": _SNIPPETS,
    "[Content_Types].xml": _SNIPPETS,
    "word/_rels/document.xml.rels": _SNIPPETS,
    "_rels/.rels": _SNIPPETS,
}


@st.composite
def mutated_docx(draw: st.DrawFn, seeds: Seeds) -> Mutant:
    """A seed DOCX with its parts rewritten: mutated XML (mostly word/document.xml),
    bytes mutated inside a member, members dropped, renamed or added."""
    name = draw(st.sampled_from(sorted(seeds)))
    members = dict(seeds[name])
    steps = [f"seed {name}"]
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["xml", "xml", "xml", "bytes", "drop", "rename", "add"]))
        if op == "xml":
            parts = [p for p in _XML_PARTS if p in members]
            part = draw(st.one_of(st.just("word/document.xml"), st.sampled_from(parts)))
            if part not in members:
                continue
            try:
                members[part], done = draw(mutated_xml(members[part], _XML_PARTS[part]))
                steps += [f"{part}: {step}" for step in done]
            except etree.XMLSyntaxError:  # an earlier byte mutation broke it
                members[part] = bytes(mutated_part := draw(mutated(members[part])))
                steps += [f"{part}: {step}" for step in mutated_part.steps]
        elif op == "bytes":
            part = draw(st.sampled_from(sorted(members)))
            members[part] = bytes(mutated_part := draw(mutated(members[part], most=2)))
            steps += [f"{part}: {step}" for step in mutated_part.steps]
        elif op == "drop" and members:
            part = draw(st.sampled_from(sorted(members)))
            del members[part]
            steps.append(f"drop member {part}")
        elif op == "rename" and members:
            part = draw(st.sampled_from(sorted(members)))
            to = draw(
                st.sampled_from(sorted(_XML_PARTS)) | st.text("abw/._[]", min_size=1, max_size=20)
            )
            members[to] = members.pop(part)
            steps.append(f"rename member {part} to {to}")
        elif op == "add":
            part = draw(
                st.sampled_from(["word/numbering.xml", "word/x.xml", "mimetype", "xl/workbook.xml"])
            )
            members[part] = draw(st.binary(max_size=200))
            steps.append(f"add member {part}")
    return Mutant(_zip(sorted(members.items())), steps)


@given(data=st.data())
@budget(120)
def test_docx_loader_on_letters_with_mutated_parts(
    tmp: Path, docx_seeds: Seeds, data: st.DataObject
) -> None:
    raw = data.draw(mutated_docx(docx_seeds), label="docx")
    path = write(tmp, ".docx", raw)
    load_and_process(path, raw)


@given(name=st.sampled_from(sorted(DOCX)), data=st.data())
@budget(30)
def test_docx_loader_on_mutated_bytes(tmp: Path, name: str, data: st.DataObject) -> None:
    raw = data.draw(mutated(seed(name, DOCX[name])), label="bytes")
    load_and_process(write(tmp, ".docx", raw), raw)


@given(
    raw=st.one_of(
        st.binary(max_size=512),
        st.lists(
            st.tuples(
                st.sampled_from([*_XML_PARTS, "mimetype", "content.xml"]), st.binary(max_size=256)
            ),
            max_size=6,
        ).map(_zip),
    )
)
@budget(20)
def test_docx_loader_on_random_bytes_and_zips(tmp: Path, raw: bytes) -> None:
    load_and_process(write(tmp, ".docx", raw), raw)


# Mostly the ids that exist, so that paragraphs, instances and definitions meet.
_IDS = st.one_of(*[st.sampled_from(["0", "1", "1", "2"])] * 4, st.sampled_from(_NUMBERS))
_STYLE_IDS = st.sampled_from(["Normal", "List", "Heading1", "", "x"])


def _val(tag: str, value: str | None) -> str:
    return "" if value is None else f'<w:{tag} w:val="{_escape_attr(value)}"/>'


def _often(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str | None]:
    """`strategy`, or None once in four."""
    return st.one_of(strategy, strategy, strategy, st.none())


@st.composite
def _level(draw: st.DrawFn, ilvl: str) -> str:
    maybe = st.none() | st.just(True)
    big = st.sampled_from(["2147483647", "99999999999999999999", "4000", "703", "-1"])
    number = st.one_of(st.integers(-3, 30).map(str), big, st.sampled_from(_NUMBERS))
    parts = [
        _val("start", draw(_often(number))),
        _val("numFmt", draw(_often(st.sampled_from(_FORMATS)))),
        _val("lvlText", draw(_often(st.sampled_from(_LVL_TEXTS)))),
        _val("lvlRestart", draw(st.none() | number)),
        _val("pStyle", draw(st.none() | _STYLE_IDS)),
        "<w:isLgl/>" if draw(maybe) and draw(maybe) else "",
        '<w:lvlPicBulletId w:val="0"/>' if draw(maybe) and draw(maybe) else "",
    ]
    return f'<w:lvl w:ilvl="{ilvl}">{"".join(parts)}</w:lvl>'


def _ref(existing: list[str]) -> st.SearchStrategy[str]:
    """An id that mostly names one of `existing`."""
    if not existing:
        return _IDS
    known = st.sampled_from(existing)
    return st.one_of(known, known, known, _IDS)


@st.composite
def numbering_parts(draw: st.DrawFn) -> tuple[str, str, list[str]]:
    """numbering.xml, styles.xml and numbered paragraphs whose ids mostly meet:
    definitions (levels with any start, format and text), instances with
    overrides, styles based on each other, paragraphs numbered directly or
    by style."""
    abstract_ids = draw(st.lists(_IDS, min_size=1, max_size=3))
    num_ids = draw(st.lists(_ref(["1", "2", "3"]), min_size=1, max_size=3))  # 0 is "no list"
    style_ids = draw(st.lists(_STYLE_IDS, max_size=3))
    abstracts = []
    for aid in abstract_ids:
        levels = [draw(_level(draw(_IDS))) for _ in range(draw(st.integers(0, 4)))]
        levels += [draw(_level(str(k))) for k in range(draw(st.integers(0, 2)))]
        link = _val("numStyleLink", draw(st.none() | _ref(style_ids)))
        abstracts.append(
            f'<w:abstractNum w:abstractNumId="{aid}">{link}{"".join(levels)}</w:abstractNum>'
        )
    nums = []
    for nid in num_ids:
        overrides = []
        for _ in range(draw(st.integers(0, 2))):
            ilvl = draw(_IDS)
            start = _val("startOverride", draw(st.none() | _IDS))
            lvl = draw(st.none() | _level(ilvl)) or ""
            overrides.append(f'<w:lvlOverride w:ilvl="{ilvl}">{start}{lvl}</w:lvlOverride>')
        ref = _val("abstractNumId", draw(_ref(abstract_ids)))
        nums.append(f'<w:num w:numId="{nid}">{ref}{"".join(overrides)}</w:num>')

    def num_pr() -> str:
        ilvl = _val("ilvl", draw(_often(_IDS)))
        num_id = _val("numId", draw(_often(_ref(num_ids))))
        return f"<w:numPr>{ilvl}{num_id}</w:numPr>" if draw(st.integers(0, 4)) else ""

    styles = []
    for sid in style_ids:
        default = ' w:default="1"' if draw(st.booleans()) else ""
        based = _val("basedOn", draw(st.none() | _ref(style_ids)))
        styles.append(
            f'<w:style w:type="paragraph" w:styleId="{sid}"{default}>{based}<w:pPr>{num_pr()}</w:pPr></w:style>'
        )
    paragraphs = []
    for _ in range(draw(st.integers(0, 12))):
        style = _val("pStyle", draw(st.none() | _ref(style_ids)))
        paragraphs.append(f"<w:p><w:pPr>{style}{num_pr()}</w:pPr></w:p>")
    return "".join(abstracts + nums), "".join(styles), paragraphs


_W = nsdecls("w")


@given(parts=numbering_parts())
@example(  # 82 million letters (w:start near 2^31, lowerLetter): now at most 30
    parts=(
        '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="2147483647"/>'
        '<w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>',
        "",
        ['<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr></w:p>'],
    )
)
@example(  # MemoryError: a start past 2^63
    parts=(
        '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="upperLetter"/>'
        '<w:lvlText w:val="%1)"/></w:lvl></w:abstractNum><w:num w:numId="1">'
        '<w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0">'
        '<w:startOverride w:val="99999999999999999999"/></w:lvlOverride></w:num>',
        "",
        ['<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr></w:p>'],
    )
)
@budget(100)
def test_numbering_markers_are_short_text_or_none(parts: tuple[str, str, list[str]]) -> None:
    numbering_xml, styles_xml, paragraphs = parts
    with within(FAST, "Numbering"):
        styles = StyleSheet(etree.fromstring(f"<w:styles {_W}>{styles_xml}</w:styles>"))
        root = etree.fromstring(f"<w:numbering {_W}>{numbering_xml}</w:numbering>")
        numbering = Numbering(root, styles)
        for p in paragraphs:
            marker = numbering.marker(etree.fromstring(p.replace("<w:p>", f"<w:p {_W}>", 1)))
            assert marker is None or (isinstance(marker, str) and marker.strip() == marker != "")
            assert marker is None or len(marker) <= 200, len(marker)


# -- PDF: load_pdf, pdf_layout ---------------------------------------------------------------

_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
# Numbers that hold a PDF together: cross-reference offsets, lengths, counts, references.
_STRUCTURE_NUMBER = re.compile(
    rb"(?:startxref\s+|/(?:Size|Prev|Length|Count|First|N|Rotate|XRefStm|Columns|Predictor"
    rb"|Parent|Root|Kids|Annots|Contents|Info|Resources|Font|XObject|P)\s*\[?\s*)(-?\d+)"
    rb"|^(\d{10}) \d{5} [nf]|\b(\d+) \d+ (?:R|obj)\b",
    re.M,
)


def _streams(data: bytes) -> list[tuple[int, int, bool]]:
    """(start, end, FlateDecode?) of each stream's data, at most 200 kB long."""
    found = []
    for m in _STREAM.finditer(data):
        end = data.find(b"endstream", m.end())
        if end < 0 or end - m.end() > 200_000:
            continue
        head = data[max(0, m.start() - 400) : m.start()]
        found.append((m.end(), end, b"FlateDecode" in head[head.rfind(b"obj") :]))
    return found


def _numbers(data: bytes) -> list[tuple[int, int]]:
    spans = []
    for m in _STRUCTURE_NUMBER.finditer(data):
        group = next(g for g in (1, 2, 3) if m.group(g) is not None)
        spans.append(m.span(group))
    return spans


PDF_STREAMS = {name: _streams(data) for name, data in PDF.items()}
PDF_NUMBERS = {name: _numbers(data) for name, data in PDF.items()}
_NUMBER_VALUES = [b"0", b"1", b"-1", b"2", b"7", b"99", b"65535", b"2147483647", b"4294967296",
                  b"99999999999999999999", b"0000000000", b"1e9", b"-0", b".5", b"3.4e38"]  # fmt: skip
_OPERATORS = [b"BT", b"ET", b"Tj", b"TJ", b"'", b'"', b"Td", b"TD", b"Tm", b"T*", b"Tf", b"Tc",
              b"Tw", b"Tz", b"TL", b"Tr", b"Ts", b"q", b"Q", b"cm", b"re", b"f", b"W", b"n", b"Do",
              b"BI", b"ID", b"EI", b"gs", b"BDC", b"EMC", b"d0", b"d1", b"sh", b"%", b"beginbfchar",
              b"endbfchar", b"beginbfrange", b"<D800>", b"<0000>", b"<FFFE>", b"<D83DDE00>"]  # fmt: skip


@st.composite
def mutated_tokens(draw: st.DrawFn, body: bytes) -> tuple[bytes, list[str]]:
    """A content stream (or CMap, object stream) with tokens changed, dropped,
    repeated or inserted: numbers, operators, strings."""
    tokens = re.findall(rb"\S+|\s+", body) or [b""]
    steps = []
    for _ in range(draw(st.integers(1, 6))):
        k = draw(st.integers(0, len(tokens) - 1))
        op = draw(st.sampled_from(["number", "operator", "drop", "repeat", "string"]))
        if op == "number":
            tokens[k] = draw(st.sampled_from(_NUMBER_VALUES))
        elif op == "operator":
            tokens.insert(k, b" " + draw(st.sampled_from(_OPERATORS)) + b" ")
        elif op == "drop":
            tokens[k] = b" "
        elif op == "repeat":
            tokens.insert(k, b"".join(tokens[k : k + draw(st.integers(1, 50))]))
        else:
            text = draw(st.binary(max_size=20)).replace(b"\\", b"\\\\").replace(b")", b"\\)")
            tokens.insert(k, b" (" + text.replace(b"(", b"\\(") + b") Tj ")
        steps.append(f"{op} at token {k}")
    return b"".join(tokens), steps


@st.composite
def mutated_pdf(draw: st.DrawFn, name: str) -> Mutant:
    """A seed PDF with a stream's tokens changed (inflated and deflated again,
    its /Length fixed or not) or numbers of its structure changed (xref
    offsets, startxref, /Length, /Count, object references)."""
    data = PDF[name]
    steps = [f"seed {name}"]
    op = draw(st.sampled_from(["stream", "numbers"]))
    if op == "stream" and PDF_STREAMS[name]:
        s, e, flate = draw(st.sampled_from(PDF_STREAMS[name]))
        body = data[s:e].rstrip(b"\r\n")
        if flate:
            try:
                body = zlib.decompressobj().decompress(body, 4_000_000)
            except zlib.error:
                flate = False
        body, done = draw(mutated_tokens(body))
        if flate:
            body = zlib.compress(body)
        steps += [f"stream [{s}:{e}]{' (deflated)' if flate else ''}: {step}" for step in done]
        data = data[:s] + body + b"\n" + data[e:]
        if draw(st.booleans()):  # say the new length, as a careful editor would
            head = data[max(0, s - 400) : s]
            at = head.rfind(b"/Length ")
            if at >= 0:
                m = re.match(rb"/Length (\d+)(?! \d+ R)", head[at:])
                if m:
                    a = max(0, s - 400) + at + m.start(1)
                    data = data[:a] + str(len(body)).encode() + data[a + len(m.group(1)) :]
                    steps.append("/Length fixed")
    else:
        spans = PDF_NUMBERS[name]
        for _ in range(draw(st.integers(1, 4)) if spans else 0):
            # Same-length edits first keep the other offsets right.
            a, b = draw(st.sampled_from(spans))
            value = draw(st.sampled_from(_NUMBER_VALUES))
            if len(value) < b - a and draw(st.booleans()):
                value = value.rjust(b - a, b"0")
            data = data[:a] + value + data[b:]
            steps.append(f"number at {a}: {data[a:b]!r} -> {value!r}")
            if len(value) != b - a:
                break  # later spans moved
    return Mutant(data, steps)


@given(name=st.sampled_from(sorted(PDF)), data=st.data())
@budget(100)
def test_pdf_loader_on_mutated_streams_and_xref(tmp: Path, name: str, data: st.DataObject) -> None:
    raw = data.draw(mutated_pdf(name), label="pdf")
    path = write(tmp, ".pdf", raw)
    with no_tesseract():
        load_and_process(path, raw)


@given(name=st.sampled_from(sorted(PDF)), data=st.data())
@budget(60)
def test_pdf_loader_on_mutated_bytes(tmp: Path, name: str, data: st.DataObject) -> None:
    raw = data.draw(mutated(seed(name, PDF[name])), label="bytes")
    with no_tesseract():
        load_and_process(write(tmp, ".pdf", raw), raw)


@given(body=st.binary(max_size=1024), eof=st.booleans())
@budget(20)
def test_pdf_loader_on_random_bytes(tmp: Path, body: bytes, eof: bool) -> None:
    raw = b"%PDF-1.7\n" + body + (b"\n%%EOF\n" if eof else b"")
    with no_tesseract():
        load_and_process(write(tmp, ".pdf", raw), raw)


# PDFs drawn from a small grammar of page content: text in a standard font and
# in one whose ToUnicode CMap maps codes to any code point (surrogates,
# controls, PDFium's hyphen mark), odd matrices and page boxes, annotations.
_VIET_CODES = "ốộờớýủậđơưĐƠƯăâêôịạếệảọừứữẩ"
_LINES = ["Số: 12/TB-UBND", "Hà Nội, ngày 5 tháng 3 năm 2026", "Kính gửi: Bộ Y tế", "Nơi nhận:",
          "- Như trên;", "1. Bộ Y tế chủ trì, phối hợp với các bộ báo cáo trước ngày 30/3/2026.",
          "Người ký: Nguyễn Văn An", "Email: an@example.vn", "Cơ quan: Văn phòng Chính phủ",
          "Thời gian ký: 28.04.2026 15:49:15 +07:00", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
          "Độc lập - Tự do - Hạnh phúc", "KT. BỘ TRƯỞNG", "- 2 -", "Trang 3", "infor-", "mation"]  # fmt: skip


_STAMP = ["Người ký: Nguyen Van A", "Thời gian ký: 28.04.2026 15:49:15 +07:00"]
_PDF_DATES = ["(D:20260428154352+07'00')", "(D:2026)", "(D:99999999999999)", "(D:20261340256199Z)",
              "(D:00000101000000)", "(yesterday)", "()", "(D:2026042815+99'99')"]  # fmt: skip


def _pdf_string(codes: bytes) -> bytes:
    return b"(" + codes.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _f2_codes(text: str) -> bytes:
    """`text` in the codes of font F2: ASCII as itself, the letters of `_VIET_CODES` from 0x80."""
    out = bytearray()
    for ch in text:
        if ch in _VIET_CODES:
            out.append(0x80 + _VIET_CODES.index(ch))
        elif ord(ch) < 0x80:
            out.append(ord(ch))
    return bytes(out)


_COORD = st.one_of(
    st.integers(-100, 900).map(lambda n: str(n).encode()),
    st.sampled_from([b"0", b"-0", b"0.001", b"99999", b"-99999", b"3.4e38", b"1e400", b"nan"]),
)


@st.composite
def drawn_pdf(draw: st.DrawFn) -> bytes:
    extra = draw(
        st.lists(
            st.tuples(
                st.integers(0, 255) | st.sampled_from(list(b"NguyenVaA0123456789:. ")),
                st.sampled_from([0, 2, 10, 0xD800, 0xDFFF, 0xFFFE, 0x1F600, 0x301, 0xAD, 0x1ED1]),
            ),
            max_size=6,
        )
    )
    bfchars = [f"<{0x80 + i:02X}> <{ord(c):04X}>" for i, c in enumerate(_VIET_CODES)]
    for code, target in extra:
        hexed = chr(target).encode("utf-16-be", "surrogatepass").hex().upper()
        bfchars.append(f"<{code:02X}> <{hexed}>")
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /F2 def "
        "1 begincodespacerange <00> <FF> endcodespacerange "
        f"{len(bfchars)} beginbfchar {' '.join(bfchars)} endbfchar "
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()
    objects: list[bytes] = [
        b"",  # 1: catalog, written last
        b"",  # 2: pages
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /ToUnicode 5 0 R >>",
        stream(cmap),
    ]
    kids = []
    fields = []
    for _ in range(draw(st.integers(1, 3))):
        ops = []
        for _ in range(draw(st.integers(0, 12))):
            kind = draw(st.sampled_from(["line", "line", "line", "tm", "tj", "q", "stamp", "junk"]))
            size = draw(st.sampled_from([b"12", b"10", b"0", b"-12", b"200", b"0.01"]))
            x, y = draw(_COORD), draw(_COORD)
            text = draw(st.sampled_from(_LINES))
            font, codes = draw(
                st.sampled_from(
                    [(b"/F1", text.encode("cp1252", "replace")), (b"/F2", _f2_codes(text))]
                )
            )
            if kind == "line":
                ops.append(
                    b"BT %s %s Tf %s %s Td %s Tj ET" % (font, size, x, y, _pdf_string(codes))
                )
            elif kind == "tm":
                m = b" ".join(draw(_COORD) for _ in range(6))
                ops.append(b"BT %s %s Tf %s Tm %s Tj ET" % (font, size, m, _pdf_string(codes)))
            elif kind == "tj":
                parts = b" ".join(
                    _pdf_string(codes[i : i + 3]) + b" -250" for i in range(0, len(codes), 3)
                )
                ops.append(b"BT %s %s Tf %s %s Td [%s] TJ ET" % (font, size, x, y, parts))
            elif kind == "q":
                m = b" ".join(draw(_COORD) for _ in range(6))
                ops.append(b"q %s cm" % m)
            elif kind == "stamp":  # a digital-signature stamp: signer and time, line under line
                for k, line in enumerate(_STAMP):
                    pos = b"%s %d Td" % (x, 500 - 14 * k)
                    ops.append(b"BT /F2 10 Tf %s %s Tj ET" % (pos, _pdf_string(_f2_codes(line))))
            else:
                ops.append(draw(st.sampled_from(_OPERATORS)))
        page_no = len(objects) + 1
        content_no = page_no + 1
        box = draw(
            st.sampled_from(
                [b"0 0 595 842", b"0 0 0 0", b"0 0 -595 842", b"10 10 5 5", b"0 0 14400 14400"]
            )
        )
        rotate = draw(st.sampled_from([b"0", b"90", b"180", b"270", b"45", b"-90"]))
        annots: list[bytes] = []
        for _ in range(draw(st.integers(0, 2))):
            value = draw(st.sampled_from(["453", "29", "", " ", "(", "Số 1"])).encode("utf-16-be")
            rect = b" ".join(draw(_COORD) for _ in range(4))
            annot_no = content_no + 1 + len(annots)
            parent = b" /Parent %d 0 R" % (annot_no) if draw(st.booleans()) else b""
            annots.append(
                b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (f%d) /V <FEFF%s> /Rect [%s] /F 4%s >>"
                % (annot_no, value.hex().encode(), rect, parent)
            )
        refs = b" ".join(b"%d 0 R" % (content_no + 1 + i) for i in range(len(annots)))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [%s] /Rotate %s /Contents %d 0 R"
            b" /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Annots [%s] >>"
            % (box, rotate, content_no, refs)
        )
        objects.append(stream(b"\n".join(ops)))
        objects.extend(annots)
        fields += [b"%d 0 R" % (content_no + 1 + i) for i in range(len(annots))]
        kids.append(b"%d 0 R" % page_no)
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [%s] >> >>" % b" ".join(
        fields
    )
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    info = []
    for key in draw(st.lists(st.sampled_from(["Title", "Author", "CreationDate", "ModDate"]))):
        if key.endswith("Date"):
            entry = draw(st.sampled_from(_PDF_DATES))
        else:
            chars = draw(
                st.lists(st.sampled_from([0x41, 0x1ED1, 0xD800, 0x0, 0xA, 0xFFFE]), max_size=6)
            )
            utf16 = "".join(chr(c).encode("utf-16-be", "surrogatepass").hex() for c in chars)
            entry = f"<FEFF{utf16}>"
        info.append(f"/{key} {entry}".encode())
    if not info:
        return write_pdf(objects)
    objects.append(b"<< %s >>" % b" ".join(info))
    return write_pdf(objects, b"/Info %d 0 R" % len(objects))


@given(raw=drawn_pdf())
@budget(100)
def test_pdf_loader_on_drawn_pages(tmp: Path, raw: bytes) -> None:
    path = write(tmp, ".pdf", raw)
    with no_tesseract():
        load_and_process(path, raw)


_FLOAT = st.floats(-2000, 2000, allow_nan=False) | st.sampled_from([0.0, -0.0, 1e-9, 1e30, -1e30])
_BOX = st.tuples(_FLOAT, _FLOAT, _FLOAT, _FLOAT)


@given(
    chars=st.lists(
        st.tuples(st.sampled_from("Số1/TB -\n\ufffeaĐ"), _BOX, st.booleans()), max_size=60
    ),
    overlay_from=st.integers(0, 60),
)
@budget(100)
def test_words_from_chars_keep_every_printed_character_in_order(
    chars: list[tuple[str, tuple[float, float, float, float], bool]], overlay_from: int
) -> None:
    text = "".join(c for c, _, _ in chars)
    boxes = [b for _, b, _ in chars]
    dropped = [d for _, _, d in chars]
    words = words_from_chars(text, boxes, overlay_from=overlay_from, dropped=dropped)
    kept = "".join(
        c for c, (x0, y0, x1, y1), d in chars if not (d or c.isspace() or y1 - y0 <= 0 or x1 < x0)
    )
    assert "".join(w.text for w in words) == kept
    assert all(w.text and not any(ch.isspace() for ch in w.text) for w in words)


_WORD_TEXT = st.sampled_from(
    ["Số:", "/TB-UBND", "453", "ngày", "tháng", "Nơi", "nhận:", "- 2 -", "Trang", "3", "x"]
)


@given(
    words=st.lists(
        st.builds(Word, _WORD_TEXT, _FLOAT, _FLOAT, _FLOAT, _FLOAT, st.booleans()), max_size=40
    ),
    header=st.booleans(),
    footer=st.booleans(),
)
@budget(100)
def test_read_page_loses_no_word(words: list[Word], header: bool, footer: bool) -> None:
    """Every character of the page comes out once, except lone page numbers at the top or bottom."""
    lines = read_page(words, header=header, footer=footer)
    assert all(isinstance(line, str) for line in lines)
    missing = Counter("".join(w.text for w in words)) - Counter("".join(lines))
    assert not Counter("".join(lines)) - Counter("".join(w.text for w in words) + " " * 1000)
    assert set(missing) <= set("0123456789-–— Trang"), missing


# -- images and OCR: load_image, Tesseract, ocr_layout, ocr_correct ----------------------------


def _image_seeds() -> dict[str, bytes]:
    """A small scanned-looking page as PNG (with a resolution), JPEG and a two-page TIFF."""
    page = Image.new("L", (240, 340), 255)
    draw = ImageDraw.Draw(page)
    for i, line in enumerate(["VAN PHONG CHINH PHU", "So: 3722/VPCP-CN", "Kinh gui: Bo Y te"]):
        draw.text((16, 20 + 18 * i), line, fill=0)
    draw.rectangle((16, 120, 220, 300), outline=0)
    seeds = {}
    formats: list[tuple[str, str, dict[str, Any]]] = [
        (".png", "PNG", {"dpi": (300, 300)}),
        (".jpg", "JPEG", {"quality": 70}),
        (".tif", "TIFF", {"save_all": True, "append_images": [page.rotate(90)]}),
    ]
    for suffix, fmt, options in formats:
        buffer = io.BytesIO()
        page.save(buffer, fmt, **options)
        seeds[suffix] = buffer.getvalue()
    return seeds


IMAGES = _image_seeds()
_IMAGE_SUFFIXES = [".png", ".jpg", ".jpeg", ".tif", ".tiff"]


@given(
    kind=st.sampled_from(sorted(IMAGES)), suffix=st.sampled_from(_IMAGE_SUFFIXES), data=st.data()
)
@budget(60)
def test_image_loader_on_mutated_images(
    tmp: Path, kind: str, suffix: str, data: st.DataObject
) -> None:
    """Without OCR (Tesseract's turn is below): the image is opened, counted, checked."""
    raw = data.draw(mutated(seed(kind, IMAGES[kind])), label="bytes")
    path = write(tmp, suffix, raw)
    got = outcome(lambda: load_image(path), "load_image")
    if got is not None:
        check_raw(got)
        assert got.needs_ocr and got.pages is not None and got.pages >= 1
    with no_tesseract():
        load_and_process(path, raw)


@given(raw=st.binary(max_size=512), suffix=st.sampled_from(_IMAGE_SUFFIXES))
@budget(10)
def test_image_loader_on_random_bytes(tmp: Path, raw: bytes, suffix: str) -> None:
    with no_tesseract():
        load_and_process(write(tmp, suffix, raw), raw)


def _mutated_seed(
    seeds: dict[str, bytes], most: int, tokens: tuple[bytes, ...] = TOKENS
) -> st.SearchStrategy[tuple[str, Mutant]]:
    """(name, a mutation of that seed)."""
    return st.sampled_from(sorted(seeds)).flatmap(
        lambda name: st.tuples(
            st.just(name), mutated(seed(name, seeds[name]), most=most, tokens=tokens)
        )
    )


@pytest.mark.skipif(tesseract_problem() is not None, reason="Tesseract is not installed")
@given(case=_mutated_seed(IMAGES, most=2))
@example(case=(".png", seed(".png", IMAGES[".png"])))
@example(case=(".tif", seed(".tif", IMAGES[".tif"]).then("cut", IMAGES[".tif"][:-600])))
@budget(2, most=20)
def test_ocr_of_mutated_images(tmp: Path, case: tuple[str, Mutant]) -> None:
    """Tesseract itself (a second or two an image): a handful of examples."""
    suffix, raw = case
    path = write(tmp, suffix, raw)
    loaded = outcome(lambda: load(path), f"load({path.name}) with OCR", SLOW)
    check_loaded(loaded, raw)
    if loaded is not None:
        assert loaded.raw.ocr or loaded.raw.needs_ocr
        check_document(extract(loaded))


_TSV_HEADER = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
)
_TSV_CELL = st.one_of(
    st.integers(-5, 3000).map(str),
    st.sampled_from(["", "-1", "95.5", "nan", "inf", "1e309", "x", "5", "99999999999999999999"]),
)


@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["5", "5", "4", "1", "x"]),
            st.lists(_TSV_CELL, min_size=9, max_size=9),
            st.sampled_from(
                ["Số:", "", " ", "ngày", "Nơi", "nhận:", "3722/VPCP-CN", "\t", "- 2 -"]
            ),
        ),
        max_size=40,
    ),
    width=st.integers(1, 5000),
    header=st.booleans(),
    footer=st.booleans(),
)
@budget(100)
def test_ocr_layout_of_any_tesseract_output(
    rows: list[tuple[str, list[str], str]], width: int, header: bool, footer: bool
) -> None:
    """Tesseract's TSV, however odd, parses or fails as a `LoadError` would be
    wrapped by `apply_ocr`; the page layout keeps only characters it was given."""
    tsv = "\n".join(
        [_TSV_HEADER, *("\t".join([level, *cells, text]) for level, cells, text in rows)]
    )
    try:
        parsed = parse_tsv(tsv)
    except ValueError:
        return  # not numbers where Tesseract writes numbers: apply_ocr reports `ocr_failed`
    page = layout(parsed.words, width, header=header, footer=footer)
    given_chars = Counter("".join(w.text for w in parsed.words))
    assert not Counter("".join(page.lines).replace(" ", "")) - given_chars
    assert all(any(w is v for v in parsed.words) for w in page.words)
    lines, counts = correct_lines(page.lines)
    assert all(isinstance(line, str) and "\n" not in line for line in lines)
    assert all(n > 0 for n in counts.values())


_OCR_WORD = st.builds(
    OcrWord,
    st.sampled_from(
        ["Số:", "3722/VPCP-CN", "ngày", "28", "tháng", "CỘNG", "HÒA", "Nơi", "nhận:", "-", "2", "|"]
    ),
    _FLOAT,
    _FLOAT,
    _FLOAT,
    _FLOAT,
    st.floats(-1, 100),
    st.tuples(st.integers(0, 2), st.integers(0, 3), st.integers(0, 3), st.integers(0, 5)),
)


@given(
    words=st.lists(_OCR_WORD, max_size=40),
    width=st.integers(1, 5000),
    header=st.booleans(),
    footer=st.booleans(),
)
@budget(100)
def test_ocr_layout_of_any_words(
    words: list[OcrWord], width: int, header: bool, footer: bool
) -> None:
    page = layout(words, width, header=header, footer=footer)
    assert not Counter("".join(page.lines).replace(" ", "")) - Counter(
        "".join(w.text for w in words)
    )
    assert all(any(w is v for v in words) for w in page.words)
    assert all(all(math.isfinite(c) for c in box) for box in page.columns)


@given(
    lines=st.lists(
        st.one_of(st.sampled_from(_LINES), st.text(max_size=40)).map(
            lambda t: t.replace("\n", " ")
        ),
        max_size=20,
    )
)
@budget(100)
def test_ocr_correction_never_raises(lines: list[str]) -> None:
    fixed, counts = correct_lines(lines)
    assert all(isinstance(line, str) for line in fixed) and all(n > 0 for n in counts.values())


# -- .doc, .rtf, .odt through LibreOffice --------------------------------------------------

_CONVERT_LINES = _HEADER.splitlines()
CONVERTED = {
    ".rtf": _rtf(_CONVERT_LINES),
    ".odt": _odt(_CONVERT_LINES),
    ".doc": (
        "<html><body>" + "".join(f"<p>{line}</p>" for line in _CONVERT_LINES) + "</body></html>"
    ).encode(),
}
_RTF_TOKENS = (*TOKENS, b"\\par ", b"\\u-5000?", b"\\u99999999?", b"\\'ff", b"{\\*\\shppict ", b"\\bin5 ",
               b"{" * 200, b"}" * 200, b"\\uc0 ", b"\\ansicpg1258 ", b"\\f99 ")  # fmt: skip


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice is not installed")
@given(case=_mutated_seed(CONVERTED, most=2, tokens=_RTF_TOKENS))
@example(case=(".rtf", seed(".rtf", CONVERTED[".rtf"]).then("brace cut", CONVERTED[".rtf"][:-2])))
@example(case=(".odt", seed(".odt", CONVERTED[".odt"])))
@budget(2, most=30)
def test_converted_formats_on_mutated_files(tmp: Path, case: tuple[str, Mutant]) -> None:
    """LibreOffice (about a second a file): a handful of examples."""
    suffix, raw = case
    path = write(tmp, suffix, raw)
    loaded = outcome(lambda: load(path), f"load({path.name}) through LibreOffice", SLOW)
    check_loaded(loaded, raw)
    if loaded is not None:
        check_document(extract(loaded))


# -- regression cases: what the properties found ---------------------------------------------
#
# Fixed here (normalize, docx_numbering, ocr): the shrunk examples are `@example`s
# above, or cases below. Bugs in files these tests may not change are reported;
# their cases are strict xfails, which fail once the bug is fixed: then drop the
# xfail mark and the matching `KNOWN_BUGS` entry.


@pytest.mark.parametrize(
    ("offset", "bits"),
    [(8, 0x01), (72, 0x01), (81776, 0x01), (81782, 0x01)],
    ids=["no-dimensions", "resolution-type", "second-page-tag", "second-page-type"],
)
def test_damaged_tiff_is_refused_as_corrupt(tmp: Path, offset: int, bits: int) -> None:
    """Bit flips that made Pillow raise TypeError or KeyError out of `load_image`."""
    data = bytearray(IMAGES[".tif"])
    data[offset] ^= bits
    path = write(tmp, ".tif", bytes(data))
    outcome(lambda: load_image(path), "load_image", known=False)
    with no_tesseract():
        load_and_process(path, bytes(data), known=False)


def _docx_with(tmp: Path, change: Callable[[dict[str, bytes]], None]) -> tuple[Path, bytes]:
    members = _members(DOCX["cv_3722_vpcp.docx"])
    change(members)
    data = _zip(list(members.items()))
    return write(tmp, ".docx", data), data


def _no_body(m: dict[str, bytes]) -> None:
    xml = m["word/document.xml"]
    m["word/document.xml"] = xml[: xml.index(b"<w:body>")] + b"</w:document>"


def _symbol(code: str) -> Callable[[dict[str, bytes]], None]:
    def change(m: dict[str, bytes]) -> None:
        sym = f'<w:r><w:sym w:font="Symbol" w:char="{code}"/></w:r></w:p>'.encode()
        m["word/document.xml"] = m["word/document.xml"].replace(b"</w:p>", sym, 1)

    return change


def _part_as(part: str, other: str) -> Callable[[dict[str, bytes]], None]:
    def change(m: dict[str, bytes]) -> None:
        m[part] = m[other]

    return change


def _empty_created(m: dict[str, bytes]) -> None:
    m["docProps/core.xml"] = re.sub(
        rb"(<dcterms:created[^>]*>)[^<]*", rb"\1", m["docProps/core.xml"]
    )


def _two_styles(m: dict[str, bytes]) -> None:
    rels = m["word/_rels/document.xml.rels"]
    styles = re.search(rb"<Relationship [^>]*Target=\"styles.xml\"/>", rels)
    assert styles is not None
    m["word/_rels/document.xml.rels"] = rels.replace(
        b"</Relationships>",
        re.sub(rb'Id="[^"]*"', b'Id="rId999"', styles.group(0)) + b"</Relationships>",
    )


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(_no_body, id="no-body"),
        pytest.param(
            _symbol("110000"),
            id="symbol-past-unicode",
        ),
        pytest.param(
            _symbol("FFFFFFFFFFFFFFFFFF"),
            id="symbol-past-c-int",
        ),
        pytest.param(_symbol("D800"), id="symbol-surrogate"),  # normalize shows it as U+FFFD
        pytest.param(
            _part_as("word/document.xml", "word/_rels/document.xml.rels"),
            id="document-part-of-another-kind",
        ),
        pytest.param(
            _part_as("docProps/core.xml", "word/numbering.xml"),
            id="core-part-of-another-kind",
        ),
        pytest.param(
            _empty_created,
            id="empty-created-date",
        ),
        pytest.param(
            _two_styles,
            id="two-style-parts",
        ),
    ],
)
def test_docx_with_a_damaged_part_is_read_or_refused(
    tmp: Path, change: Callable[[dict[str, bytes]], None]
) -> None:
    path, data = _docx_with(tmp, change)
    load_and_process(path, data, known=False)


def test_docx_zip_of_unknown_version_is_refused(tmp: Path) -> None:
    """A flipped bit in the ZIP directory: 'version needed to extract' 8.4."""
    data = bytearray(DOCX["cv_3722_vpcp.docx"])
    entry = data.index(b"PK\x01\x02")
    data[entry + 6] = 84  # version needed to extract: 8.4
    path = write(tmp, ".docx", bytes(data))
    load_and_process(path, bytes(data), known=False)


def _one_page_pdf(info: bytes = b"", ops: bytes = b"", cmap: bytes = b"") -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F2 5 0 R >> >> >>",
        stream(ops),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /ToUnicode 6 0 R >>",
        stream(cmap),
    ]
    if not info:
        return write_pdf(objects)
    return write_pdf([*objects, info], b"/Info 7 0 R")


def test_pdf_info_string_with_half_a_surrogate_pair_is_read(tmp: Path) -> None:
    raw = _one_page_pdf(info=b"<< /Title <FEFFD800> >>")
    load_and_process(write(tmp, ".pdf", raw), raw, known=False)


def test_pdf_stamp_with_half_a_surrogate_pair_gives_a_record_json_can_hold(tmp: Path) -> None:
    """A ToUnicode CMap maps `Z` to U+D800, and the stamp's signer ends in Z."""
    bfchars = [f"<{0x80 + i:02X}> <{ord(c):04X}>" for i, c in enumerate(_VIET_CODES)]
    bfchars.append("<5A> <D800>")
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /F2 def "
        "1 begincodespacerange <00> <FF> endcodespacerange "
        f"{len(bfchars)} beginbfchar {' '.join(bfchars)} endbfchar "
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()
    lines = [
        "Người ký: Nguyen Van AZ",
        "Thời gian ký: 28.04.2026 15:49:15 +07:00",
        "Kinh gui: Bo Y te",
    ]
    ops = b"\n".join(
        b"BT /F2 12 Tf 70 %d Td %s Tj ET" % (700 - 20 * i, _pdf_string(_f2_codes(line)))
        for i, line in enumerate(lines)
    )
    raw = _one_page_pdf(ops=ops, cmap=cmap)
    load_and_process(write(tmp, ".pdf", raw), raw, known=False)


@pytest.mark.parametrize(
    "raw",
    ["a &#55296; b", "a&#0;b&#13;c", "x&#173;y", "e&#769;", "\u212a" * 7, "hoà\u0301", "nghành"],
    ids=["surrogate-entity", "control-entities", "soft-hyphen-entity", "mark-entity",
         "kelvin-long-word", "stray-mark-after-tone", "token-map"],
)  # fmt: skip
def test_normalize_regressions_in_a_text_file(tmp: Path, raw: str) -> None:
    """What the normalize properties found, through a .txt letter and the whole path."""
    data = ("Số: 1/TB\n" + raw + "\nNơi nhận:\n- Như trên;\n").encode("utf-8")
    load_and_process(write(tmp, ".txt", data), data, known=False)
