"""The loader's per-character loops, written for speed, read a page as their
plain form does: the same words, lines and blocks, the same boxes."""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.test_pdf_tables import Builder
from vanban.pipeline import load_pdf, pdf_layout
from vanban.pipeline.pdf_layout import Box, Line, Word

DEV_PDF = Path(__file__).resolve().parents[1] / "data" / "corpus" / "dev" / "pdf"


def plain_words(
    text: str, boxes: Sequence[Box], *, overlay_from: int, dropped: Sequence[bool]
) -> list[Word]:
    """`words_from_chars` as first written (min and max, one test per condition)."""
    words: list[Word] = []
    chars: list[str] = []
    x0 = y0 = x1 = y1 = 0.0
    overlay = False
    for i, (ch, (bx0, by0, bx1, by1), drop) in enumerate(zip(text, boxes, dropped, strict=False)):
        if drop or by1 - by0 <= 0 or bx1 < bx0 or ch.isspace():
            if chars:
                words.append(Word("".join(chars), x0, y0, x1, y1, overlay))
                chars = []
            continue
        is_overlay = i >= overlay_from
        if chars:
            hh = max(by1 - by0, y1 - y0)
            if (
                is_overlay != overlay
                or abs((by0 + by1) - (y0 + y1)) > hh
                or bx0 > x1 + 0.3 * hh
                or bx0 < x0 - 0.3 * hh
            ):
                words.append(Word("".join(chars), x0, y0, x1, y1, overlay))
                chars = []
        if chars:
            x0, y0 = min(x0, bx0), min(y0, by0)
            x1, y1 = max(x1, bx1), max(y1, by1)
        else:
            x0, y0, x1, y1, overlay = bx0, by0, bx1, by1, is_overlay
        chars.append(ch)
    if chars:
        words.append(Word("".join(chars), x0, y0, x1, y1, overlay))
    return words


def plain_lines(words: Sequence[Word]) -> list[Line]:
    """`group_lines` as first written (each word against the line's first word)."""
    lines: list[Line] = []
    anchors: list[Word] = []
    for w in sorted(words, key=lambda w: -w.yc):
        a = anchors[-1] if anchors else None
        if a is not None and min(w.y1, a.y1) - max(w.y0, a.y0) >= 0.5 * min(w.h, a.h):
            lines[-1].words.append(w)
        else:
            lines.append(Line([w]))
            anchors.append(w)
    for line in lines:
        line.words.sort(key=lambda w: w.xc)
    return lines


def _shown(words: Sequence[Word]) -> str:
    return repr([(w.text, w.x0, w.y0, w.x1, w.y1, w.overlay) for w in words])


# Glyphs along lines (advancing, wrapping, raised or lowered a little, some
# far apart or just at the word and line limits, a few odd boxes: empty,
# inverted, infinite, not a number), as a page's characters come.
_ODD = st.sampled_from([0.0, -0.0, float("nan"), float("inf"), -float("inf")])
_STEP = st.tuples(
    st.sampled_from("ab đ\nc"),
    st.sampled_from(
        [0.0, 4.0, 5.0, 6.0, 6.2, 8.6, 8.7, 9.0, -3.0, 40.0]
    ),  # advance (5 wide glyphs)
    st.sampled_from([0.0, 0.0, 0.5, -0.5, 6.0, -6.0, 7.0, -7.0]),  # this glyph raised
    st.sampled_from([None, None, None, -6.0, -12.0, -13.0, -40.0]),  # next line, this far down
    st.sampled_from([10.0, 12.0, 12.5, 14.0]),  # glyph height
    st.booleans() | st.none(),  # dropped (a stamp), or an odd box
    _ODD,
)


def _page(steps: list[tuple]) -> tuple[str, list[Box], list[bool]]:
    text, boxes, dropped = "", [], []
    x, y = 100.0, 700.0
    for ch, dx, raised, down, h, drop, odd in steps:
        x, y = (100.0, y + down) if down is not None else (x + dx, y)
        text += ch
        bottom = y + raised
        boxes.append(
            (odd, bottom, x + 5, bottom + h) if drop is None else (x, bottom, x + 5, bottom + h)
        )
        dropped.append(bool(drop) and len(text) % 7 == 0)
    return text, boxes, dropped


@settings(max_examples=300, deadline=None)
@given(st.lists(_STEP, max_size=80), st.integers(0, 90))
def test_words_and_lines_are_those_of_the_plain_reading(steps: list, overlay_from: int) -> None:
    text, boxes, dropped = _page(steps)
    words = pdf_layout.words_from_chars(text, boxes, overlay_from=overlay_from, dropped=dropped)
    assert _shown(words) == _shown(
        plain_words(text, boxes, overlay_from=overlay_from, dropped=dropped)
    )
    ours = pdf_layout.group_lines(words)
    theirs = plain_lines(list(words))
    assert [_shown(line.words) for line in ours] == [_shown(line.words) for line in theirs]


def test_character_boxes_are_pdfiums_loose_boxes() -> None:
    """The boxes read without ctypes' argument checks are PDFium's, in the
    order (left, bottom, right, top), white space left empty."""
    doc = pdfium.PdfDocument(DEV_PDF / "hanoi_tb_453_flag.pdf")
    try:
        page = doc[0]
        textpage = page.get_textpage()
        text = load_pdf._text(textpage)
        boxes = load_pdf._boxes(textpage, text)
        rect = pdfium_c.FS_RECTF()
        checked = []
        for i, ch in enumerate(text):
            if ch.isspace():
                checked.append((0.0, 0.0, 0.0, 0.0))
                continue
            pdfium_c.FPDFText_GetLooseCharBox(textpage.raw, i, ctypes.byref(rect))
            checked.append((rect.left, rect.bottom, rect.right, rect.top))
        assert len(text) > 500 and boxes == checked
        textpage.close()
        page.close()
    finally:
        doc.close()


def plain_text(line: Line) -> str:
    """`Line.text` as first written (pairwise, `max` of the two heights)."""
    words = sorted(line.words, key=lambda w: w.xc)
    parts = [words[0].text]
    for prev, cur in pairwise(words):
        if prev.overlay != cur.overlay:
            if (not prev.overlay and prev.text[-1] in "/-–(") or (
                not cur.overlay and cur.text[0] in "/-–).,;:"
            ):
                parts.append("")
            else:
                parts.append(" ")
        else:
            parts.append(" " if cur.x0 - prev.x1 > 0.1 * max(prev.h, cur.h) else "")
        parts.append(cur.text)
    return "".join(parts)


def plain_place(overlay: Sequence[Word], lines: Sequence[Line]) -> list[Word]:
    """`_place_overlay` as first written (each line's extent from its words, every time)."""
    loose: list[Word] = []
    for w in overlay:
        best: Line | None = None
        best_dist = 3 * w.h
        for line in lines:
            if min(w.y1, line.y1) - max(w.y0, line.y0) < 0.5 * w.h:
                continue
            dist = max(line.x0 - w.x1, w.x0 - line.x1, 0.0)
            if dist <= best_dist:
                best, best_dist = line, dist
        if best is None:
            loose.append(w)
        else:
            best.words.append(w)
    return loose


# Form-field values: near printed lines, between two, on none, or with an odd box.
_VALUE = st.tuples(
    st.sampled_from(["453", "29", "/", "-x", "(5"]),
    st.sampled_from([90.0, 100.0, 130.0, 160.0, 180.0, 200.0, 240.0, 400.0]),  # left
    st.sampled_from([700.0, 694.0, 690.0, 687.0, 650.0, 600.0]),  # bottom
    st.sampled_from([8.0, 12.0, float("nan")]),  # height
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_STEP, min_size=1, max_size=60), st.lists(_VALUE, max_size=6))
# Two words of a line 1.2 apart, 10 and 14 high: a space only by the shorter one's height.
@example([("a", 0.0, 0.0, None, 10.0, False, 0.0), (" ", 0.0, 0.0, None, 10.0, False, 0.0),
          ("b", 6.2, 0.0, None, 14.0, False, 0.0)], [])  # fmt: skip
def test_line_text_and_value_placement_are_those_of_the_plain_reading(
    steps: list, values: list
) -> None:
    text, boxes, dropped = _page(steps)
    words = pdf_layout.words_from_chars(text, boxes, overlay_from=len(text), dropped=dropped)
    overlay = [Word(s, x, y, x + 5 * len(s), y + h, overlay=True) for s, x, y, h in values]
    ours, theirs = pdf_layout.group_lines(words), plain_lines(words)
    loose = pdf_layout._place_overlay(overlay, ours)
    assert _shown(loose) == _shown(plain_place(overlay, theirs))
    assert [line.text for line in ours] == [plain_text(line) for line in theirs]


def plain_rulings(page: pdfium.PdfPage) -> list[tuple[float, ...]]:
    """`load_pdf._rulings` as first written: every object through pypdfium2's typed
    calls, nested generators, the segments of each path read one by one."""

    def times(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
        a, b, c, d, e, f = inner
        A, B, C, D, E, F = outer
        return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
                e * A + f * C + E, e * B + f * D + F)  # fmt: skip

    def matrix(obj: object) -> tuple[float, ...]:
        fm = pdfium_c.FS_MATRIX()
        if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(fm)):
            return (1, 0, 0, 1, 0, 0)
        return (fm.a, fm.b, fm.c, fm.d, fm.e, fm.f)

    def walk(objs: list, outer: tuple[float, ...], depth: int) -> list:
        found = []
        for obj in objs:
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                found.append((obj, times(matrix(obj), outer)))
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 3:
                count = pdfium_c.FPDFFormObj_CountObjects(obj)
                inner = [pdfium_c.FPDFFormObj_GetObject(obj, k) for k in range(count)]
                found += walk(inner, times(matrix(obj), outer), depth + 1)
        return found

    def sides(obj: object, m: tuple[float, ...]) -> list:
        x, y = ctypes.c_float(), ctypes.c_float()
        out, start, prev, opens = [], None, None, True
        for k in range(pdfium_c.FPDFPath_CountSegments(obj)):
            seg = pdfium_c.FPDFPath_GetPathSegment(obj, k)
            if not pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y)):
                continue
            a, b, c, d, e, f = m
            point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
            kind = pdfium_c.FPDFPathSegment_GetType(seg)
            if kind == pdfium_c.FPDF_SEGMENT_LINETO and prev is not None:
                out.append(((*prev, *point), opens))
                opens = False
            elif kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                start, opens = point, True
            prev = point
            if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None and prev != start:
                out.append(((*prev, *start), opens))
                prev, opens = start, False
        return out

    raw = page.raw
    objs = [pdfium_c.FPDFPage_GetObject(raw, k) for k in range(pdfium_c.FPDFPage_CountObjects(raw))]
    paths = walk(objs, (1, 0, 0, 1, 0, 0), 0)
    if len(paths) > 3000:
        return []
    out: list = []
    for obj, m in paths:
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        if not pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)):
            continue
        if fill.value == pdfium_c.FPDF_FILLMODE_NONE and not stroke.value:
            continue
        shapes: list[list] = []
        for side, first in sides(obj, m):
            if first or not shapes:
                shapes.append([])
            shapes[-1].append(side)
        for shape in shapes:
            load_pdf._shape_rulings(shape, bool(stroke.value), out)
    return out


def test_rulings_are_those_of_the_plain_walk(font: Path, tmp_path: Path) -> None:
    """The ruling walk by object addresses finds what pypdfium2's typed calls find: on
    ruled tables (stroked lines, thin filled rectangles, one path of many rectangles,
    a table inside a form XObject) and on the signed dev letters flattened (their
    annotations become form XObjects)."""
    from tests.pdf_forms import Form, Table, row_of

    b = Builder(font)
    page = b.page()
    b.head(page)
    b.table(page, [[["1"], ["Nội dung"], ["Sở Y tế"]], [["2"], ["Việc"], ["Sở"]]], 700)
    b.table(page, [[["3"], ["Khác"], ["UBND"]]], 500, filled=True)
    head = [row_of("STT", "Nội dung", "Chủ trì")]
    body = [row_of("1", "Việc", "Sở")] * 3
    docs = [
        pdfium.PdfDocument(b.save(tmp_path / "tables.pdf")),
        pdfium.PdfDocument(
            Form(font, Table([40, 300, 150], head, body, rules="one-path")).save(
                tmp_path / "one_path.pdf"
            )
        ),
    ]
    # The tables' page drawn, moved and scaled, as a form XObject of another page.
    nested = pdfium.PdfDocument.new()
    outer = nested.new_page(595, 842)
    obj = docs[0].page_as_xobject(0, nested).as_pageobject()
    obj.set_matrix(pdfium.PdfMatrix().scale(0.5, 0.5).translate(30, 40))
    outer.insert_obj(obj)
    outer.gen_content()
    docs.append(nested)
    flat = pdfium.PdfDocument(DEV_PDF / "hanoi_tb_453_flag.pdf")
    first = flat[0]
    assert pdfium_c.FPDFPage_Flatten(first, pdfium_c.FLAT_NORMALDISPLAY) == pdfium_c.FLATTEN_SUCCESS
    first.close()
    docs += [flat, pdfium.PdfDocument(DEV_PDF / "hanoi_kh_173_festival.pdf")]
    seen = 0
    for doc in docs:
        for k in range(len(doc)):
            page = doc[k]
            found = load_pdf._rulings(page)
            assert found == plain_rulings(page)
            seen += len(found)
            page.close()
    assert seen > 40


def test_a_page_of_more_paths_than_the_cap_is_a_drawing_with_no_rulings(
    font: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past `_MAX_PATHS` path objects, counted inside form XObjects too, a page is a
    drawing (a map, a chart): no rulings, so no table is read off it. The cap is set low
    here; the table's page, nested as a form XObject, holds the same paths."""
    b = Builder(font)
    page = b.page()
    b.table(page, [[["1"], ["Nội dung"], ["Sở"]], [["2"], ["Việc"], ["Sở"]]], 700)
    doc = pdfium.PdfDocument(b.save(tmp_path / "table.pdf"))
    nested = pdfium.PdfDocument.new()
    outer = nested.new_page(595, 842)
    outer.insert_obj(doc.page_as_xobject(0, nested).as_pageobject())
    outer.gen_content()
    for pdf in (doc, nested):
        paths = len(load_pdf._paths(pdf[0]))
        assert paths > 2 and load_pdf._rulings(pdf[0])
        monkeypatch.setattr(load_pdf, "_MAX_PATHS", paths - 1)
        assert load_pdf._rulings(pdf[0]) == []
        monkeypatch.setattr(load_pdf, "_MAX_PATHS", paths)
        assert load_pdf._rulings(pdf[0])
        monkeypatch.undo()


def test_a_value_beside_a_placed_value_joins_the_same_line() -> None:
    """A line's extent widens as values join it: a second value, near the first but
    beyond three heights of the printed words, goes into that line too."""
    printed = [Word("Số:", 100, 700, 120, 712), Word("/TB-UBND", 125, 700, 170, 712)]
    values = [Word("453", 190, 701, 205, 711, True), Word("ngày", 230, 701, 250, 711, True)]
    for line_of in (pdf_layout.group_lines, plain_lines):
        lines = line_of(printed)
        loose = (
            pdf_layout._place_overlay(values, lines)
            if line_of is pdf_layout.group_lines
            else plain_place(values, lines)
        )
        assert loose == [] and lines[0].text == "Số: /TB-UBND 453 ngày"


def test_a_hyphen_glued_to_its_word_at_a_line_end_joins_the_next_line() -> None:
    """The glued-hyphen repair (searched hyphen first) joins a token cut by the wrap and
    leaves a free-standing dash, a doubled hyphen and a hyphen opening the text alone."""
    cases = {
        "5969/QĐ-\nUBND": "5969/QĐ-UBND",
        "2021-\t\n  2025": "2021-2025",
        "Hà Nội –\nngày": "Hà Nội –\nngày",
        "QĐ–\nUBND và x-\n y-": "QĐ–UBND và x-y-",
        "a --\nb": "a --\nb",
        "-\nb": "-\nb",
        "x-\n\nb": "x-\n\nb",
        "x-\n-b": "x-\n-b",
    }
    assert {text: load_pdf._repair_breaks(text) for text in cases} == cases
