"""Reading order of one OCR'd page from Tesseract's word boxes.

Tesseract's own text (`--psm 3`) reads a letter's two-column header and footer
row by row, so `VĂN PHÒNG CHÍNH PHỦ` and `CỘNG HÒA …` come out on one line.
Here the words of its TSV output are rebuilt into printed lines, and the
two-column zones at the top and bottom of the page are emitted column by
column, as `vanban.pipeline.pdf_layout` does for PDF text.

All in image pixels (y grows downwards):

1. Parse the TSV. Besides words, Tesseract reports rules (thin boxes with no
   text) and the regions it set aside as pictures (large boxes with no text:
   a signature block under a seal is such a "picture").
2. Drop what is not the letter's print: punctuation-only specks, and the
   words inside a small drawn frame (the office's reception stamp `CÔNG VĂN
   ĐẾN / Giờ … Ngày …`, stamped over the header).
3. Undo the scan's skew by shearing the coordinates, so that a printed line
   is level even when the page was fed in at a slant.
4. Cut each of Tesseract's lines where a gap is much wider than the line's
   word spacing: one piece per column. (Tesseract runs `THỦ TƯỚNG CHÍNH PHỦ`
   and `CỘNG HÒA …` into one line when only a word's width parts them.)
5. Group the pieces into rows (`vanban.pipeline.pdf_layout.group_lines`) and find
   the zones as `vanban.pipeline.pdf_layout.find_zone` does, with one difference: a
   column gap is any cut of step 4 near the middle of the text rather than a
   fixed width, since it was measured against the line's own spacing.
6. Emit the footer zone column by column (the `Nơi nhận` list, then the
   signature block), and the header zone band by band, each band column by
   column: the issuer beside the motto, then `Số:` and `V/v …` beside the
   place and date. The extractors find the issuer just above the motto.

The zones' column boxes are returned too: `vanban.pipeline.ocr` reads each column
again on its own, which Tesseract does much better than the whole page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from statistics import median

from vanban.pipeline.pdf_layout import Line, Word, group_lines, is_page_number

# Tolerances, in multiples of the median word height (font-size free).
_SPLIT_GAP = 0.8  # a column gap is at least this wide ...
_SPLIT_SPACING = 3.0  # ... and this many times the line's median word gap,
_SPLIT_ALWAYS = 1.5  # ... or this wide whatever the spacing (blanks of a form)
_MIN_SEPARATION = 0.4  # the two columns of a zone stay this far apart
_MAX_ROW_GAP = 0.8  # a one-column row further below the zone than this ends it
_BAND_GAP = 1.0  # white space above both columns that starts a new header band
_RULE_MIN_LEN = 3.0  # a frame's side is at least this long
_RULE_MAX_THICK = 0.125  # a rule is at most this thick for its length
_FRAME_MAX_WIDTH = 0.45  # a stamp frame is narrower than this share of the page
_MIN_PICTURE = 2.0  # a picture smaller than this (either way) holds no text line
_NOISE_CONF = 50.0  # a word without letters or digits is kept only above this
_MIN_SKEW_WIDTH = 0.25  # lines shorter than this share of the page do not vote on skew
_HAS_ALNUM = re.compile(r"[^\W_]")

Region = tuple[float, float, float, float]  # left, top, right, bottom (pixels)


@dataclass(slots=True)
class OcrWord:
    text: str
    left: float
    top: float
    right: float
    bottom: float
    conf: float  # Tesseract's word confidence, 0-100
    line: tuple[int, ...]  # Tesseract's line: (run, block, paragraph, line)

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def xc(self) -> float:
        return (self.left + self.right) / 2

    @property
    def yc(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Tsv:
    words: list[OcrWord] = field(default_factory=list)
    rules: list[Region] = field(default_factory=list)  # thin lines: frames, underlines
    pictures: list[Region] = field(default_factory=list)  # regions set aside as non-text


@dataclass
class PageLayout:
    lines: list[str]  # printed lines in reading order
    words: list[OcrWord]  # the words those lines hold
    columns: list[Region]  # boxes of the header and footer zones' columns


def parse_tsv(tsv: str, *, run: int = 0) -> Tsv:
    """Words, rules and picture regions of Tesseract's `tsv` output.

    `run` keeps the line ids of separate Tesseract runs apart.
    """
    out = Tsv()
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        left, top, width, height = (int(c) for c in cols[6:10])
        box = (left, top, left + width, top + height)
        text = cols[11].strip()
        if text:
            line = (run, int(cols[2]), int(cols[3]), int(cols[4]))
            out.words.append(OcrWord(text, *box, conf=float(cols[10]), line=line))
        elif width > 0 and height > 0:
            # Tesseract reports a rule or a picture as a "word" without text.
            thin = min(width, height) <= _RULE_MAX_THICK * max(width, height)
            (out.rules if thin else out.pictures).append(box)
    return out


def word_height(words: Sequence[OcrWord]) -> float:
    return median(w.height for w in words) if words else 0.0


def picture_regions(tsv: Tsv, page_width: int, page_height: int) -> list[Region]:
    """Picture regions worth reading again as text: at least two text lines
    high and wide, and at most a third of the page (a whole-page photograph
    is not a signature block)."""
    h = word_height(tsv.words) or 40.0
    return [
        (x0, y0, x1, y1)
        for x0, y0, x1, y1 in tsv.pictures
        if min(x1 - x0, y1 - y0) >= _MIN_PICTURE * h
        and (x1 - x0) * (y1 - y0) <= page_width * page_height / 3
    ]


# --- cleaning -----------------------------------------------------------------


def drop_specks(words: Sequence[OcrWord]) -> list[OcrWord]:
    """Words without a letter or digit, unless confident (a dash, a quote):
    the specks Tesseract reads from dirt, rules and signatures."""
    return [w for w in words if _HAS_ALNUM.search(w.text) or w.conf >= _NOISE_CONF]


def stamp_frames(rules: Sequence[Region], page_width: int, h: float) -> list[Region]:
    """Small frames drawn around a stamp.

    A frame is two vertical rules facing each other over the same rows, or
    one vertical rule with horizontal rules leaving it at both ends, no wider
    than a stamp. A further vertical rule at those rows, anywhere on the
    page, means a table, which is the letter's content and stays.
    """
    verticals = [r for r in rules if r[3] - r[1] >= _RULE_MIN_LEN * h and r[2] - r[0] < r[3] - r[1]]
    horizontals = [r for r in rules if r[2] - r[0] >= _RULE_MIN_LEN * h and r not in verticals]
    max_width = _FRAME_MAX_WIDTH * page_width

    def alone(frame: Region, sides: Sequence[Region]) -> bool:
        _, y0, _, y1 = frame
        return not any(
            r not in sides and min(r[3], y1) - max(r[1], y0) > (y1 - y0) / 2 for r in verticals
        )

    frames: list[Region] = []
    for i, a in enumerate(verticals):
        for b in verticals[i + 1 :]:
            left, right = sorted((a, b))
            top, bottom = max(a[1], b[1]), min(a[3], b[3])
            if bottom - top < 0.7 * min(a[3] - a[1], b[3] - b[1]):
                continue
            frame = (left[0], min(a[1], b[1]), right[2], max(a[3], b[3]))
            if 3 * h <= right[0] - left[2] <= max_width and alone(frame, (a, b)):
                frames.append(frame)
        # One side and the top and bottom edges leaving it (the other side
        # may be too faint or cut by the stamp's slant to be seen).
        x0, y0, x1, y1 = a
        for sign in (1, -1):
            edges = [
                r
                for r in horizontals
                if abs((r[0] if sign > 0 else r[2]) - (x0 if sign > 0 else x1)) <= h
                and y0 - h <= (r[1] + r[3]) / 2 <= y1 + h
            ]
            near_top = [r for r in edges if abs((r[1] + r[3]) / 2 - y0) <= 2 * h]
            near_bottom = [r for r in edges if abs((r[1] + r[3]) / 2 - y1) <= 2 * h]
            if near_top and near_bottom:
                reach = min(
                    min(r[2] - r[0] for r in near_top), min(r[2] - r[0] for r in near_bottom)
                )
                frame = (x0, y0, x0 + reach, y1) if sign > 0 else (x1 - reach, y0, x1, y1)
                if 3 * h <= reach <= max_width and alone(frame, (a,)):
                    frames.append(frame)
    return frames


def outside(words: Sequence[OcrWord], regions: Sequence[Region]) -> list[OcrWord]:
    """The words whose centre is in none of `regions`."""
    return [
        w for w in words if not any(r[0] <= w.xc <= r[2] and r[1] <= w.yc <= r[3] for r in regions)
    ]


# --- skew and pieces --------------------------------------------------------------


def _by_line(words: Sequence[OcrWord]) -> list[list[OcrWord]]:
    lines: dict[tuple[int, ...], list[OcrWord]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    return [sorted(ws, key=lambda w: w.left) for ws in lines.values()]


def skew(words: Sequence[OcrWord], page_width: int) -> float:
    """The scan's slope (dy/dx), as the median over Tesseract's long lines.

    Each line's slope is the median of the slopes between its words' bottoms
    (Theil-Sen), so a descender or a dot below (`ạ`) does not tilt it.
    """
    slopes = []
    for ws in _by_line(words):
        if len(ws) < 3 or ws[-1].right - ws[0].left < _MIN_SKEW_WIDTH * page_width:
            continue
        pairs = [
            (b.bottom - a.bottom) / (b.xc - a.xc)
            for i, a in enumerate(ws)
            for b in ws[i + 1 :]
            if b.xc - a.xc > 1
        ]
        if pairs:
            slopes.append(median(pairs))
    return median(slopes) if slopes else 0.0


def _pieces(words: Sequence[OcrWord], slope: float) -> dict[int, tuple[Word, list[OcrWord]]]:
    """Tesseract's lines, levelled and cut at column gaps, as layout words
    (y grows upwards there), each with the OCR words it holds, by `id`."""
    out: dict[int, tuple[Word, list[OcrWord]]] = {}

    def add(run: list[OcrWord]) -> None:
        if not any(_HAS_ALNUM.search(w.text) for w in run):
            return  # a rule or a dash read as a line
        left = min(w.left for w in run)
        right = max(w.right for w in run)
        # Shear, not rotate: a few degrees at most, and x stays as printed.
        shift = slope * (left + right) / 2
        top = min(w.top for w in run) - shift
        bottom = max(w.bottom for w in run) - shift
        piece = Word(" ".join(w.text for w in run), left, -bottom, right, -top)
        out[id(piece)] = (piece, run)

    for ws in _by_line(words):
        h = median(w.height for w in ws)
        gaps = [b.left - a.right for a, b in pairwise(ws)]
        spacing = _SPLIT_SPACING * median(gaps) if gaps else 0.0
        cut = max(_SPLIT_GAP * h, min(spacing, _SPLIT_ALWAYS * h))
        run = [ws[0]]
        for prev, cur in pairwise(ws):
            if cur.left - prev.right > cut:
                add(run)
                run = []
            run.append(cur)
        add(run)
    return out


# --- reading order ---------------------------------------------------------------


def layout(words: Sequence[OcrWord], page_width: int, *, header: bool, footer: bool) -> PageLayout:
    """Lines in reading order: the header zone (if `header`) and the footer
    zone (if `footer`) column by column, the rows between as they are."""
    if not words:
        return PageLayout([], [], [])
    h = word_height(words)
    pieces = _pieces(words, skew(words, page_width))
    rows = group_lines([p for p, _ in pieces.values()])
    while rows and is_page_number(_text(rows[0])):
        rows.pop(0)
    while rows and is_page_number(_text(rows[-1])):
        rows.pop()
    if not rows:
        return PageLayout([], [], [])
    x0 = min(r.x0 for r in rows)
    x1 = max(r.x1 for r in rows)
    head: list[Line] = []
    foot: list[Line] = []
    body = rows
    columns: list[list[Word]] = []
    if header and (zone := _zone(rows, h, from_top=True, x0=x0, x1=x1)):
        taken, left, right = zone
        for band_left, band_right in _bands(rows[:taken], left, right, h):
            head += group_lines(band_left) + group_lines(band_right)
        body = body[taken:]
        columns += [left, right]
    if footer and body and (zone := _zone(body, h, from_top=False, x0=x0, x1=x1)):
        taken, left, right = zone
        foot = group_lines(left) + group_lines(right)
        body = body[: len(body) - taken]
        columns += [left, right]
    lines = [*head, *body, *foot]
    kept = [w for line in lines for p in line.words for w in pieces[id(p)][1]]
    boxes = []
    for column in columns:
        ws = [w for p in column for w in pieces[id(p)][1]]
        boxes.append(
            (
                min(w.left for w in ws),
                min(w.top for w in ws),
                max(w.right for w in ws),
                max(w.bottom for w in ws),
            )
        )
    return PageLayout([_text(line) for line in lines], kept, boxes)


def _text(line: Line) -> str:
    # Pieces of one row are separate words, however close Tesseract put them.
    return " ".join(w.text for w in sorted(line.words, key=lambda w: w.xc))


def _zone(
    rows: Sequence[Line], h: float, *, from_top: bool, x0: float, x1: float
) -> tuple[int, list[Word], list[Word]] | None:
    """The two-column block at the top or bottom: (rows taken, left, right).

    The gap is seeded by the first row (from the top, or from the bottom)
    cut near the middle of the text; a row as wide as the body before that
    means there is no such block. Rows are then taken while no piece crosses
    the (narrowing) gap; after the last row with both columns, a one-column
    row only if it follows closely (a wrapped `V/v` line).
    """
    order = list(rows) if from_top else list(rows)[::-1]
    width = x1 - x0
    seed: tuple[float, float] | None = None
    for row in order:
        seed = _central_gap(row, x0 + 0.2 * width, x1 - 0.2 * width)
        if seed is not None:
            break
        if row.x1 - row.x0 > 0.6 * width:
            return None
    if seed is None:
        return None
    gl, gr = seed
    left: list[Word] = []
    right: list[Word] = []
    last_two_sided = -1
    taken = 0
    for k, row in enumerate(order):
        mid = (gl + gr) / 2
        lw = [p for p in row.words if p.xc < mid]
        rw = [p for p in row.words if p.xc >= mid]
        ngl = max([gl, *(p.x1 for p in lw)])
        ngr = min([gr, *(p.x0 for p in rw)])
        if ngr - ngl < _MIN_SEPARATION * h:
            break  # a piece runs across the gap: body text
        if lw and rw:
            last_two_sided = k
        elif last_two_sided >= 0:
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
    return taken, left, right


def _bands(
    rows: Sequence[Line], left: list[Word], right: list[Word], h: float
) -> list[tuple[list[Word], list[Word]]]:
    """Cut the header zone into bands, each to be read column by column.

    The header is two bands of two blocks side by side: the issuer beside
    the motto, then `Số:` and `V/v …` beside the place and date. A band
    starts where both columns start a block at the same height: a row with
    words on both sides and white space above them on both sides.
    """
    on_left = {id(p) for p in left}
    bands: list[tuple[list[Word], list[Word]]] = []
    bottom: dict[bool, float] = {}  # lowest edge so far of each side (y grows upwards)
    for row in rows:
        lw = [p for p in row.words if id(p) in on_left]
        rw = [p for p in row.words if id(p) not in on_left]
        fresh = bool(lw and rw) and all(
            side in bottom and bottom[side] - max(p.y1 for p in ws) > _BAND_GAP * h
            for side, ws in ((True, lw), (False, rw))
        )
        if not bands or fresh:
            bands.append(([], []))
        bands[-1][0].extend(lw)
        bands[-1][1].extend(rw)
        for side, ws in ((True, lw), (False, rw)):
            if ws:
                bottom[side] = min(p.y0 for p in ws)
    return bands


def _central_gap(row: Line, lo: float, hi: float) -> tuple[float, float] | None:
    """The widest gap between a row's pieces whose centre lies in [lo, hi]."""
    best: tuple[float, float] | None = None
    parts = sorted(row.words, key=lambda p: p.x0)
    reach = parts[0].x1
    for p in parts[1:]:
        centred = lo <= (reach + p.x0) / 2 <= hi
        if p.x0 > reach and centred and (best is None or p.x0 - reach > best[1] - best[0]):
            best = (reach, p.x0)
        reach = max(reach, p.x1)
    return best
