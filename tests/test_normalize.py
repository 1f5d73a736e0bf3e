import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vanban.pipeline.normalize import _Rewriter, normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ủy ban nhân dân tỉnh Khánh Hoà", "Ủy ban nhân dân tỉnh Khánh Hòa"),
        ("Uỷ ban", "Ủy ban"),
        ("hoá học", "hóa học"),
        ("**THÔNG BÁO**", "THÔNG BÁO"),
        ("# VĂN PHÒNG CHÍNH PHỦ", "VĂN PHÒNG CHÍNH PHỦ"),
        ("| Số: 1/TB | Hà Nội |\n|---|---|", "Số: 1/TB\nHà Nội"),
        ("H<sub>2</sub>O", "H 2 O"),
        ("a&amp;b", "a&b"),
        ("Dòng một\r\nDòng hai\rBa", "Dòng một\nDòng hai\nBa"),
        ("trước ngày **26/11/2025 **", "trước ngày 26/11/2025"),
        ("cơ quan thuộc\nchính phủ", "cơ quan thuộc chính phủ"),
        ("Kính gửi:\n- Bộ Y tế;", "Kính gửi:\n- Bộ Y tế;"),
        (
            "1. Giao Bộ Tư pháp có ý kiến về\na) thẩm quyền\nb) trình tự",
            "1. Giao Bộ Tư pháp có ý kiến về\na) thẩm quyền\nb) trình tự",
        ),
        ("các nội dung sau\nđ) kinh phí", "các nội dung sau\nđ) kinh phí"),
        ("a\x00b\x07c", "abc"),
        ("x   y\t\tz  ", "x y z"),
        ('---\ntitle: "CV 1"\n---\nSố: 1/TB', "Số: 1/TB"),
    ],
)
def test_normalize_cleans_markup_and_unifies_spelling(raw: str, expected: str) -> None:
    assert normalize(raw).text == expected


def test_normalize_composes_nfd_text() -> None:
    raw = unicodedata.normalize("NFD", "Quyết định của Thủ tướng Chính phủ")
    out = normalize(raw, markup=False)
    assert out.text == "Quyết định của Thủ tướng Chính phủ"
    assert unicodedata.is_normalized("NFC", out.text)


@pytest.mark.parametrize(
    "raw",
    [
        "**Số:** 8664/VPCP-KGVX\n| Hà Nội, ngày 14 tháng 9 năm 2025 |",
        unicodedata.normalize("NFD", "Kính gửi: Ủy ban nhân dân tỉnh Đắk Lắk"),
        "# Tiêu đề\n\n1. Bộ Khoa học và Công nghệ chủ trì,\nphối hợp với các bộ.",
    ],
)
def test_every_normalised_char_maps_back_to_its_source(raw: str) -> None:
    out = normalize(raw)
    assert len(out.to_source) == len(out.text)
    for i, ch in enumerate(out.text):
        src = out.to_source[i]
        assert 0 <= src <= len(raw)
        if ch.isalnum() and ch.isascii():
            # ASCII letters and digits are never rewritten: same char at source.
            assert raw[src] == ch
    # Offsets never run backwards: spans map to ordered source spans.
    assert list(out.to_source) == sorted(out.to_source)


def test_source_span_of_a_word_covers_the_printed_word() -> None:
    raw = "**Số:** 8664/VPCP-KGVX"
    out = normalize(raw)
    start = out.text.index("8664")
    s, e = out.source_span(start, start + len("8664/VPCP-KGVX"))
    assert raw[s:e] == "8664/VPCP-KGVX"


def test_spelling_table_gives_what_underthesea_token_normalize_gives() -> None:
    from underthesea.pipeline.text_normalize.token_normalize import token_normalize as theirs

    from vanban.pipeline import spelling

    path = spelling._rule_file()
    assert path is not None, "underthesea's rule file was not found: the slow import is used"
    tables = spelling._read_tables(path)
    assert tables is not None
    _chars, tokens = tables
    words = {*tokens, *tokens.values(), "Ðà", "ðoàn", "khánh", "Hoà", "nghành", "quí", "hoàhoà"}
    words |= {unicodedata.normalize("NFD", w) for w in list(words)}
    words |= {w[:-1] for w in list(words)} | {w + "x" for w in list(words)}
    assert [w for w in sorted(words) if spelling.token_normalize(w) != theirs(w)] == []


def test_reading_a_letter_imports_no_underthesea() -> None:
    """underthesea's import (its taggers, numpy, joblib: ~0.5 s, ~90 MB) was paid by
    every worker for one table; the table is read from its file instead."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from vanban.pipeline.normalize import normalize\n"
        "from vanban.pipeline.crawl_noise import _dictionary\n"
        "assert normalize('Ủy ban tỉnh Khánh Hoà, nghành y tế').text == "
        "'Ủy ban tỉnh Khánh Hòa, ngành y tế'\n"
        "assert 'hòa' in _dictionary()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'underthesea'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@given(st.text(alphabet="ab \n*", max_size=60), st.data())
def test_cut_deletes_spans_and_keeps_every_other_characters_offset(
    text: str, data: st.DataObject
) -> None:
    """`_Rewriter.cut` (the few lines or separators crawl noise drops) deletes exactly
    its spans: the characters left are those outside them, each at its own offset."""
    bounds = sorted(data.draw(st.sets(st.integers(0, len(text)), max_size=6)))
    spans = [(s, e) for s, e in zip(bounds[::2], bounds[1::2], strict=False) if s < e]
    kept = [i for i in range(len(text)) if not any(s <= i < e for s, e in spans)]
    rw = _Rewriter(text)
    rw.cut(spans)
    assert rw.text == "".join(text[i] for i in kept)
    assert list(rw.map) == kept


def test_a_new_map_counts_every_offset_whatever_the_letters_length() -> None:
    """The kept offsets grow by doubling (and are not kept past `_KEPT`): every length
    before, at and after a growth still gets 0, 1, 2 … n-1."""
    from array import array

    from vanban.pipeline.normalize import _KEPT, _identity

    for n in (0, 1, 5, 3, 100, 4097, 70_000, 10, _KEPT, _KEPT + 3):
        assert _identity(n) == array("q", range(n))
