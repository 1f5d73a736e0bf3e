"""Reading order of one PDF page from character boxes: the letter's two-column
header and footer, the single-column body between them, and form-field values
laid over the printed text.

Pure geometry on plain data (no PDF library), so it can be tested with made-up
boxes. Coordinates are PDF user space: x grows rightwards, y grows upwards.

A Vietnamese letter prints two side-by-side blocks at the top (issuer, `Số:`,
`V/v …` on the left; the national motto and `Hà Nội, ngày …` on the right) and
at the bottom (`Nơi nhận:` list on the left; the signature block on the right).
Text extraction in content or row order interleaves these columns, so a zone
is emitted column by column: the whole left column, then the whole right one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from statistics import median

Box = tuple[float, float, float, float]  # x0, y0 (bottom), x1, y1 (top)

# Word-building tolerances, as fractions of the glyph height (font-size-free).
_JUMP_X = 0.3  # a horizontal gap wider than this starts a new word
_SPACE_X = 0.1  # two printed words further apart than this get a space
# Zone tolerances, as fractions of the median text height.
_MIN_COLUMN_GAP = 1.2  # an empty strip this wide in a row may be the column gap
_MIN_ROW_GAP = 0.8  # a row with words on both sides needs this much between them
_MIN_SEPARATION = 0.4  # the two columns' extents must stay this far apart
_MAX_ROW_GAP = 0.8  # a one-column row further below the zone than this ends it
_PAGE_NUMBER = re.compile(r"^\s*(?:Trang\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?\s*$", re.I)
# A form-field value fills a blank of the printed template: it attaches to the
# code punctuation printed around the blank (`Số: …/TB-UBND`) and is set off
# by a space from words (`ngày … tháng`).
_ATTACH_BEFORE = "/-–("
_ATTACH_AFTER = "/-–).,;:"


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    # Drawn by an annotation (a form-field value), not by the page content.
    overlay: bool = False

    @property
    def h(self) -> float:
        return self.y1 - self.y0

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass(slots=True)
class Line:
    words: list[Word] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def y0(self) -> float:
        return min(w.y0 for w in self.words)

    @property
    def y1(self) -> float:
        return max(w.y1 for w in self.words)

    @property
    def text(self) -> str:
        words = sorted(self.words, key=lambda w: w.xc)
        parts = [words[0].text]
        for prev, cur in pairwise(words):
            parts.append(_separator(prev, cur))
            parts.append(cur.text)
        return "".join(parts)


def _separator(prev: Word, cur: Word) -> str:
    if prev.overlay != cur.overlay:
        # A value and the printed template around it: their gap is the width
        # of the blank, not a space, so punctuation decides.
        if not prev.overlay and prev.text[-1] in _ATTACH_BEFORE:
            return ""
        if not cur.overlay and cur.text[0] in _ATTACH_AFTER:
            return ""
        return " "
    gap = cur.x0 - prev.x1
    return " " if gap > _SPACE_X * max(prev.h, cur.h) else ""


def words_from_chars(
    text: str,
    boxes: Sequence[Box],
    *,
    overlay_from: int,
    dropped: Sequence[bool],
) -> list[Word]:
    """Cut the page's characters (content order) into words.

    A word ends at white space, at a jump in position (the next glyph is on
    another line or far along this one) and where page content turns into
    annotation text (`overlay_from`: index of the first annotation character).
    """
    words: list[Word] = []
    chars: list[str] = []
    x0 = y0 = x1 = y1 = 0.0
    overlay = False

    def flush() -> None:
        if chars:
            words.append(Word("".join(chars), x0, y0, x1, y1, overlay))
            chars.clear()

    for i, ch in enumerate(text):
        bx0, by0, bx1, by1 = boxes[i]
        h = by1 - by0
        if dropped[i] or ch.isspace() or h <= 0 or bx1 < bx0:
            flush()
            continue
        is_overlay = i >= overlay_from
        if chars:
            hh = max(h, y1 - y0)
            new_word = (
                is_overlay != overlay
                or abs((by0 + by1) / 2 - (y0 + y1) / 2) > 0.5 * hh
                or bx0 > x1 + _JUMP_X * hh
                or bx0 < x0 - _JUMP_X * hh
            )
            if new_word:
                flush()
        if not chars:
            x0, y0, x1, y1, overlay = bx0, by0, bx1, by1, is_overlay
        else:
            x0, y0, x1, y1 = min(x0, bx0), min(y0, by0), max(x1, bx1), max(y1, by1)
        chars.append(ch)
    flush()
    return words


def _v_overlap(a: Word | Line, b: Word | Line) -> float:
    return min(a.y1, b.y1) - max(a.y0, b.y0)


def group_lines(words: Sequence[Word]) -> list[Line]:
    """Words into lines, top to bottom, by vertical overlap.

    Each line is anchored on its first (highest) word, not on the union of its
    words, so close lines do not chain into one.
    """
    lines: list[Line] = []
    anchors: list[Word] = []
    for w in sorted(words, key=lambda w: -w.yc):
        if lines and _v_overlap(w, anchors[-1]) >= 0.5 * min(w.h, anchors[-1].h):
            lines[-1].words.append(w)
        else:
            lines.append(Line([w]))
            anchors.append(w)
    for line in lines:
        line.words.sort(key=lambda w: w.xc)
    return lines


def _widest_gap(row: Line) -> tuple[float, float]:
    """The widest empty vertical strip between the words of a row."""
    best = (0.0, 0.0)
    words = sorted(row.words, key=lambda w: w.x0)
    reach = words[0].x1
    for w in words[1:]:
        if w.x0 - reach > best[1] - best[0]:
            best = (reach, w.x0)
        reach = max(reach, w.x1)
    return best


@dataclass(slots=True)
class Zone:
    rows: int  # how many page rows (from the top, or from the bottom) it takes
    left: list[Word]
    right: list[Word]


def find_zone(
    rows: Sequence[Line], *, from_top: bool, text_x0: float, text_x1: float
) -> Zone | None:
    """The two-column block at the top (header) or bottom (footer) of a page.

    The column gap is read from the first row (from the top, or from the
    bottom) with a wide empty strip near the middle of the text width; a row
    as wide as the body before it means there is no such block. Then rows are
    taken in order while their words fall clearly on either side of the strip
    (which narrows to fit them): a row whose words cross it, or whose two
    sides are only a word space apart, is body text and ends the zone. After the last row that has words on both sides, a
    one-column row is taken only if it follows closely (a wrapped `V/v` line),
    so a title or a body line under a blank line is left out.
    """
    order = list(rows) if from_top else list(rows)[::-1]
    if not order:
        return None
    width = text_x1 - text_x0
    h = median(w.h for row in order for w in row.words)
    seed = -1
    gl = gr = 0.0
    for k, row in enumerate(order):
        g0, g1 = _widest_gap(row)
        centre = (g0 + g1) / 2
        central = text_x0 + 0.2 * width <= centre <= text_x1 - 0.2 * width
        if g1 - g0 >= _MIN_COLUMN_GAP * h and central:
            seed, gl, gr = k, g0, g1
            break
        if row.x1 - row.x0 > 0.6 * width:
            return None
    if seed < 0:
        return None

    left: list[Word] = []
    right: list[Word] = []
    last_two_sided = seed
    taken = 0
    for k, row in enumerate(order):
        mid = (gl + gr) / 2
        lw = [w for w in row.words if w.xc < mid]
        rw = [w for w in row.words if w.xc >= mid]
        if lw and rw and min(w.x0 for w in rw) - max(w.x1 for w in lw) < _MIN_ROW_GAP * h:
            break  # words on both sides but only a (justified) space between: body
        ngl = max([gl, *(w.x1 for w in lw)])
        ngr = min([gr, *(w.x0 for w in rw)])
        if ngr - ngl < _MIN_SEPARATION * h:
            break
        if lw and rw:
            last_two_sided = max(last_two_sided, k)
        elif k > last_two_sided:
            prev = order[k - 1]
            gap = (prev.y0 - row.y1) if from_top else (row.y0 - prev.y1)
            if gap > _MAX_ROW_GAP * h:
                break
        gl, gr = ngl, ngr
        left += lw
        right += rw
        taken = k + 1
    if not (left and right):
        return None
    return Zone(taken, left, right)


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text))


def read_page(words: Sequence[Word], *, header: bool, footer: bool) -> list[str]:
    """The page's lines in reading order.

    Printed words make the rows; a lone page number at the top or bottom is
    dropped; the header zone (if `header`) and footer zone (if `footer`) are
    emitted column by column, the rows between them as they are. Annotation
    words (form-field values) are then put into the printed line they sit on.
    """
    printed = [w for w in words if not w.overlay]
    overlay = [w for w in words if w.overlay]
    rows = group_lines(printed)
    while rows and is_page_number(rows[0].text):
        rows.pop(0)
    while rows and is_page_number(rows[-1].text):
        rows.pop()

    head: list[Line] = []
    foot: list[Line] = []
    body = rows
    if rows:
        x0 = min(r.x0 for r in rows)
        x1 = max(r.x1 for r in rows)
        if header and (zone := find_zone(rows, from_top=True, text_x0=x0, text_x1=x1)):
            head = group_lines(zone.left) + group_lines(zone.right)
            body = body[zone.rows :]
        if footer and body and (zone := find_zone(body, from_top=False, text_x0=x0, text_x1=x1)):
            foot = group_lines(zone.left) + group_lines(zone.right)
            body = body[: len(body) - zone.rows]

    out = [*head, *body, *foot]
    loose = _place_overlay(overlay, out)
    if loose:
        # Values that sit on no printed line keep their height among the body rows.
        body = sorted([*body, *group_lines(loose)], key=lambda line: -line.y1)
        out = [*head, *body, *foot]
    return [line.text for line in out]


def _place_overlay(overlay: Sequence[Word], lines: Sequence[Line]) -> list[Word]:
    """Insert each value into the line it is drawn on; return those on none.

    The line is the one the value overlaps by at least half its height and is
    horizontally nearest to (within three heights); inside the line the value
    goes where its centre falls among the printed words (`Line.text` orders
    words by their centres), which puts `453` between `Số:` and `/TB-UBND`.
    """
    loose: list[Word] = []
    for w in overlay:
        best: Line | None = None
        best_dist = 3 * w.h
        for line in lines:
            if _v_overlap(w, line) < 0.5 * w.h:
                continue
            dist = max(line.x0 - w.x1, w.x0 - line.x1, 0.0)
            if dist <= best_dist:
                best, best_dist = line, dist
        if best is None:
            loose.append(w)
        else:
            best.words.append(w)
    return loose
