"""The loader's per-character loops, written for speed, read a page as their
plain form does: the same words, lines and blocks, the same boxes."""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from hypothesis import given, settings
from hypothesis import strategies as st

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
    st.sampled_from([0.0, 4.0, 5.0, 8.6, 8.7, 9.0, -3.0, 40.0]),  # advance (glyphs are 5 wide)
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
