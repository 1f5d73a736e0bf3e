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

A ruled table (a plan's task table: `STT | Nội dung | Cơ quan chủ trì | …`) is
found from the page's ruling lines (`find_grids`) and emitted cell by cell,
row by row, each cell's lines together (`read_blocks`), so a cell wrapped
over several lines is not interleaved with its neighbours.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import takewhile
from statistics import median

Box = tuple[float, float, float, float]  # x0, y0 (bottom), x1, y1 (top)
# A ruling line: horizontal (y0 == y1) or vertical (x0 == x1), x0 <= x1, y0 <= y1.
Segment = tuple[float, float, float, float]

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
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def text(self) -> str:
        words = sorted(self.words, key=_centre_x)
        prev = words[0]
        parts = [prev.text]
        for cur in words[1:]:
            parts.append(_separator(prev, cur))
            parts.append(cur.text)
            prev = cur
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
    # max(prev.h, cur.h) written out: this runs between every two words of a line.
    h, ch = prev.y1 - prev.y0, cur.y1 - cur.y0
    if ch > h:
        h = ch
    return " " if cur.x0 - prev.x1 > _SPACE_X * h else ""


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
    jump = _JUMP_X
    # Once per character of a page: the word's extent is kept with comparisons
    # rather than calls of min and max (the same values, half the time).
    for i, (ch, (bx0, by0, bx1, by1), drop) in enumerate(zip(text, boxes, dropped, strict=False)):
        if drop or by1 - by0 <= 0 or bx1 < bx0 or ch.isspace():
            if chars:
                words.append(Word("".join(chars), x0, y0, x1, y1, overlay))
                chars = []
            continue
        is_overlay = i >= overlay_from
        if chars:
            hh = by1 - by0
            if y1 - y0 > hh:
                hh = y1 - y0
            if (
                is_overlay != overlay
                or abs((by0 + by1) - (y0 + y1)) > hh  # centres more than hh/2 apart
                or bx0 > x1 + jump * hh
                or bx0 < x0 - jump * hh
            ):
                words.append(Word("".join(chars), x0, y0, x1, y1, overlay))
            else:
                if bx0 < x0:
                    x0 = bx0
                if by0 < y0:
                    y0 = by0
                if bx1 > x1:
                    x1 = bx1
                if by1 > y1:
                    y1 = by1
                chars.append(ch)
                continue
        x0, y0, x1, y1, overlay = bx0, by0, bx1, by1, is_overlay
        chars = [ch]
    if chars:
        words.append(Word("".join(chars), x0, y0, x1, y1, overlay))
    return words


def group_lines(words: Sequence[Word]) -> list[Line]:
    """Words into lines, top to bottom, by vertical overlap.

    Each line is anchored on its first (highest) word, not on the union of its
    words, so close lines do not chain into one.
    """
    lines: list[Line] = []
    anchor: Word | None = None
    line: Line | None = None
    # The vertical overlap and the heights written out: this runs for every word of a page.
    for w in sorted(words, key=_from_top):
        if anchor is not None and line is not None:
            top = anchor.y1 if anchor.y1 < w.y1 else w.y1  # min(w.y1, anchor.y1)
            bottom = anchor.y0 if anchor.y0 > w.y0 else w.y0  # max(w.y0, anchor.y0)
            h, ah = w.y1 - w.y0, anchor.y1 - anchor.y0
            if top - bottom >= 0.5 * (ah if ah < h else h):
                line.words.append(w)
                continue
        line = Line([w])
        lines.append(line)
        anchor = w
    for line in lines:
        line.words.sort(key=_centre_x)
    return lines


def _from_top(w: Word) -> float:
    return -(w.y0 + w.y1) / 2  # -w.yc


def _centre_x(w: Word) -> float:
    return (w.x0 + w.x1) / 2  # w.xc


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
    """The page's lines in reading order (tables flattened cell by cell)."""
    out: list[str] = []
    for block in read_blocks(words, header=header, footer=footer):
        if isinstance(block, str):
            out.append(block)
        else:
            out += [line for row in block.rows for cell in row for line in cell]
    return out


def read_blocks(
    words: Sequence[Word], *, header: bool, footer: bool, grids: Sequence[Grid] = ()
) -> list[str | TableText]:
    """The page's lines and tables in reading order.

    Words inside a ruled table's cells (`grids`) make its `TableText`; the
    other printed words make the rows; a lone page number at the top or
    bottom is dropped; the header zone (if `header`) and footer zone (if
    `footer`) are emitted column by column, the rows and tables between them
    top to bottom. Annotation words (form-field values) are then put into the
    printed line they sit on.
    """
    printed = [w for w in words if not w.overlay]
    overlay = [w for w in words if w.overlay]
    tables, printed = _take_tables(printed, grids)
    rows = group_lines(printed)
    while rows and is_page_number(rows[0].text):
        rows.pop(0)
    while rows and is_page_number(rows[-1].text):
        rows.pop()
    top = max((g.bbox[3] for g in grids), default=None)
    bottom = min((g.bbox[1] for g in grids), default=None)
    head, body, foot = _zones(rows, header=header, footer=footer, top=top, bottom=bottom)
    loose = _place_overlay(overlay, [*head, *body, *foot])
    if loose:
        # Values that sit on no printed line keep their height among the body rows.
        body = sorted([*body, *group_lines(loose)], key=lambda line: -line.y1)
    blocks: list[str | TableText] = [line.text for line in head]
    pending = sorted(tables, key=lambda t: -t[0])
    for line in body:
        while pending and pending[0][0] >= line.yc:
            blocks.append(pending.pop(0)[1])
        blocks.append(line.text)
    blocks += [table for _, table in pending]
    return blocks + [line.text for line in foot]


def _zones(
    rows: list[Line], *, header: bool, footer: bool, top: float | None, bottom: float | None
) -> tuple[list[Line], list[Line], list[Line]]:
    """Header zone, body rows, footer zone. A zone never reaches over a table
    (`top`/`bottom`: the highest table top and lowest table bottom)."""
    head: list[Line] = []
    foot: list[Line] = []
    body = rows
    if not rows:
        return head, body, foot
    x0 = min(r.x0 for r in rows)
    x1 = max(r.x1 for r in rows)
    above = len(list(takewhile(lambda r: top is None or r.yc > top, rows)))
    if header and (zone := find_zone(rows[:above], from_top=True, text_x0=x0, text_x1=x1)):
        head = group_lines(zone.left) + group_lines(zone.right)
        body = body[zone.rows :]
    below = len(list(takewhile(lambda r: bottom is None or r.yc < bottom, body[::-1])))
    if (
        footer
        and below
        and (zone := find_zone(body[-below:], from_top=False, text_x0=x0, text_x1=x1))
    ):
        foot = group_lines(zone.left) + group_lines(zone.right)
        body = body[: len(body) - zone.rows]
    return head, body, foot


def _place_overlay(overlay: Sequence[Word], lines: Sequence[Line]) -> list[Word]:
    """Insert each value into the line it is drawn on; return those on none.

    The line is the one the value overlaps by at least half its height and is
    horizontally nearest to (within three heights); inside the line the value
    goes where its centre falls among the printed words (`Line.text` orders
    words by their centres), which puts `453` between `Số:` and `/TB-UBND`.
    """
    loose: list[Word] = []
    # Each line's extent (`Line.x0` … `Line.y1`), computed once and widened as
    # values join the line, as the properties would give it then.
    extents = [[line.x0, line.y0, line.x1, line.y1] for line in lines] if overlay else []
    for w in overlay:
        best = -1
        best_dist = 3 * w.h
        for k, (x0, y0, x1, y1) in enumerate(extents):
            # The vertical overlap, min(w.y1, y1) - max(w.y0, y0), written out
            top = y1 if y1 < w.y1 else w.y1
            bottom = y0 if y0 > w.y0 else w.y0
            if top - bottom < 0.5 * w.h:
                continue
            dist = max(x0 - w.x1, w.x0 - x1, 0.0)
            if dist <= best_dist:
                best, best_dist = k, dist
        if best < 0:
            loose.append(w)
            continue
        lines[best].words.append(w)
        x0, y0, x1, y1 = extents[best]
        extents[best] = [
            w.x0 if w.x0 < x0 else x0,
            w.y0 if w.y0 < y0 else y0,
            w.x1 if w.x1 > x1 else x1,
            w.y1 if w.y1 > y1 else y1,
        ]
    return loose


# --- ruled tables ----------------------------------------------------------------

# Rulings this close (points) are one line: the two edges of a thin filled
# rectangle, a border drawn twice by adjacent cells, rounding in the producer.
_SNAP = 2.0
_MIN_RULE = 4.0  # shorter rulings are glyph parts or ticks, not borders
# More distinct rulings than this is a drawing, not a table: not searched, so
# the pairwise steps below stay cheap whatever the file holds.
_MAX_RULES = 200


@dataclass(slots=True)
class Grid:
    """A ruled table: cell boxes row by row, left to right. A cell merged
    across columns appears once; one merged across rows, in its top row, and
    in each row below as an empty box along that row's top edge, listed in
    `merged` as (row, cell): so the cells of a row under it keep their places."""

    rows: list[list[Box]]
    columns: tuple[float, ...]  # x of every vertical ruling, to match a table's continuation
    merged: set[tuple[int, int]] = field(default_factory=set)
    # Columns set by the text's alignment, not by rulings (`band_grid`): a page's borders
    # shift with the words it holds.
    aligned: bool = False

    @property
    def bbox(self) -> Box:
        cells = [c for row in self.rows for c in row]
        return (
            min(c[0] for c in cells),
            min(c[1] for c in cells),
            max(c[2] for c in cells),
            max(c[3] for c in cells),
        )


@dataclass(slots=True)
class TableText:
    """A table's text: rows of cells, each cell its lines top to bottom; `merged` as in
    `Grid` (a cell continuing the one above it, printed there)."""

    rows: list[list[list[str]]]
    columns: tuple[float, ...]
    merged: set[tuple[int, int]] = field(default_factory=set)
    aligned: bool = False  # as `Grid.aligned`


def find_grids(segments: Sequence[Segment]) -> list[Grid]:
    """Ruled tables from the page's ruling lines.

    Rulings are snapped and joined, grouped into sets that touch each other,
    and each set is cut into the elementary cells between all its distinct
    x and y positions; neighbouring elementary cells with no ruling between
    them are one (merged) cell. A region not closed by rulings (an underline,
    a frame's outside) is no cell. A grid has two cells in some row: a framed
    paragraph is not one. A grid of one row is kept for the caller to decide
    (the rest of a table continued from the page before, or just boxes).
    """
    hs = _join([(y0, x0, x1) for x0, y0, x1, y1 in segments if y0 == y1 and x1 - x0 >= _MIN_RULE])
    vs = _join([(x0, y0, y1) for x0, y0, x1, y1 in segments if x0 == x1 and y1 - y0 >= _MIN_RULE])
    if len(hs) > _MAX_RULES or len(vs) > _MAX_RULES:
        return []
    grids = []
    for h_set, v_set in _touching(hs, vs):
        grid = _grid(h_set, v_set)
        if grid is not None:
            grids.append(grid)
    return grids


Rule = tuple[float, float, float]  # position across, start and end along


def _join(rules: list[Rule]) -> list[Rule]:
    """Snap positions closer than `_SNAP` to one, and join overlapping or
    touching rulings at one position."""
    out: list[Rule] = []
    rules.sort()
    groups: list[list[Rule]] = []
    for r in rules:
        if groups and r[0] - groups[-1][-1][0] <= _SNAP:
            groups[-1].append(r)
        else:
            groups.append([r])
    for group in groups:
        pos = median(r[0] for r in group)
        spans = sorted((s, e) for _, s, e in group)
        cur_s, cur_e = spans[0]
        for s, e in spans[1:]:
            if s <= cur_e + _SNAP:
                cur_e = max(cur_e, e)
            else:
                out.append((pos, cur_s, cur_e))
                cur_s, cur_e = s, e
        out.append((pos, cur_s, cur_e))
    return out


def _touching(hs: list[Rule], vs: list[Rule]) -> list[tuple[list[Rule], list[Rule]]]:
    """Sets of rulings connected by crossings (union-find)."""
    parent = list(range(len(hs) + len(vs)))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for i, (y, hx0, hx1) in enumerate(hs):
        for j, (x, vy0, vy1) in enumerate(vs):
            if hx0 - _SNAP <= x <= hx1 + _SNAP and vy0 - _SNAP <= y <= vy1 + _SNAP:
                parent[root(i)] = root(len(hs) + j)
    sets: dict[int, tuple[list[Rule], list[Rule]]] = {}
    for i, h in enumerate(hs):
        sets.setdefault(root(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        sets.setdefault(root(len(hs) + j), ([], []))[1].append(v)
    return [s for s in sets.values() if s[0] and s[1]]


def _ruled(rules: dict[float, list[Rule]], pos: float, a: float, b: float) -> bool:
    """Whether a ruling at `pos` covers `[a, b]` (with snapping slack)."""
    return any(s <= a + _SNAP and e >= b - _SNAP for _, s, e in rules[pos])


def _by_position(rules: list[Rule]) -> dict[float, list[Rule]]:
    out: dict[float, list[Rule]] = {}
    for r in rules:
        out.setdefault(r[0], []).append(r)
    return out


def _grid(h_list: list[Rule], v_list: list[Rule]) -> Grid | None:
    hs, vs = _by_position(h_list), _by_position(v_list)
    xs = sorted(vs)
    ys = sorted(hs, reverse=True)  # top to bottom
    if len(xs) < 3 or len(ys) < 2:
        return None
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    parent = list(range(n_rows * n_cols))
    open_ = [False] * len(parent)

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for i in range(n_rows):
        top, bot = ys[i], ys[i + 1]
        for j in range(n_cols):
            k = i * n_cols + j
            left, right = xs[j], xs[j + 1]
            if j + 1 < n_cols and not _ruled(vs, right, bot, top):
                parent[root(k)] = root(k + 1)
            if i + 1 < n_rows and not _ruled(hs, bot, left, right):
                parent[root(k)] = root(k + n_cols)
            # An elementary cell on the outline with no ruling there is outside the table.
            open_[k] = (
                (j == 0 and not _ruled(vs, left, bot, top))
                or (j + 1 == n_cols and not _ruled(vs, right, bot, top))
                or (i == 0 and not _ruled(hs, top, left, right))
                or (i + 1 == n_rows and not _ruled(hs, bot, left, right))
            )
    regions: dict[int, list[int]] = {}
    for k in range(len(parent)):
        regions.setdefault(root(k), []).append(k)
    rows: list[list[Box]] = [[] for _ in range(n_rows)]
    below: set[Box] = set()  # the empty boxes standing for a cell in the rows under its top
    for members in regions.values():
        if any(open_[k] for k in members):
            continue
        i0, i1 = min(k // n_cols for k in members), max(k // n_cols for k in members)
        j0, j1 = min(k % n_cols for k in members), max(k % n_cols for k in members)
        rows[i0].append((xs[j0], ys[i1 + 1], xs[j1 + 1], ys[i0]))
        for i in range(i0 + 1, i1 + 1):
            rows[i].append((xs[j0], ys[i], xs[j1 + 1], ys[i]))
            below.add(rows[i][-1])
    rows = [sorted(row) for row in rows if any(c not in below for c in row)]
    if not rows or max(len(row) for row in rows) < 2:
        return None
    merged = {(i, j) for i, row in enumerate(rows) for j, c in enumerate(row) if c in below}
    return Grid(rows, tuple(xs), merged)


def _take_tables(
    words: Sequence[Word], grids: Sequence[Grid]
) -> tuple[list[tuple[float, TableText]], list[Word]]:
    """Each grid's text (with its top, to place it among the rows) and the
    words in no cell."""
    rest = list(words)
    tables: list[tuple[float, TableText]] = []
    for grid in grids:
        bx0, by0, bx1, by1 = grid.bbox
        cells: dict[Box, list[Word]] = {
            c: [] for i, row in enumerate(grid.rows) for j, c in enumerate(row)
            if (i, j) not in grid.merged
        }  # fmt: skip
        left: list[Word] = []
        for w in rest:
            cell = None
            if bx0 <= w.xc <= bx1 and by0 <= w.yc <= by1:
                cell = next(
                    (c for c in cells if c[0] <= w.xc <= c[2] and c[1] <= w.yc <= c[3]), None
                )
            if cell is None:
                left.append(w)
            else:
                cells[cell].append(w)
        rest = left
        rows = [
            [[line.text for line in group_lines(cells[c])] if c in cells else [] for c in row]
            for row in grid.rows
        ]
        tables.append((by1, TableText(rows, grid.columns, set(grid.merged), grid.aligned)))
    return tables, rest


# --- tables ruled between rows only ----------------------------------------------

# Top, under the header, between two rows, bottom; the rest of a table from the page before
# may have two rows only (three rulings), but a header over one ruled-off block of text
# (booktabs) is not a table of rows.
_MIN_BAND_RULES = 4
_MIN_GAP = 0.8  # a column gap at least this many text heights wide


@dataclass(slots=True)
class Band:
    """Horizontal rulings of one extent stacked down the page with no vertical ruling:
    a table ruled between its rows only, its columns set by the text's alignment."""

    x0: float
    x1: float
    ys: list[float]  # top to bottom


def find_bands(segments: Sequence[Segment]) -> list[Band]:
    """Stacks of at least three horizontal rulings of the same extent (within `_SNAP`),
    wide enough for a table, where no vertical ruling is drawn."""
    if any(x0 == x1 and y1 - y0 >= _MIN_RULE for x0, y0, x1, y1 in segments):
        return []
    hs = _join([(y0, x0, x1) for x0, y0, x1, y1 in segments if y0 == y1 and x1 - x0 >= 100])
    if len(hs) > _MAX_RULES:
        return []
    stacks: list[list[Rule]] = []
    for rule in sorted(hs, key=lambda r: (round(r[1]), round(r[2]), -r[0])):
        last = stacks[-1][-1] if stacks else None
        if last and abs(last[1] - rule[1]) <= _SNAP and abs(last[2] - rule[2]) <= _SNAP:
            stacks[-1].append(rule)
        else:
            stacks.append([rule])
    return [
        Band(s[0][1], s[0][2], sorted((r[0] for r in s), reverse=True))
        for s in stacks
        if len(s) >= _MIN_BAND_RULES - 1
    ]


def band_grid(band: Band, words: Sequence[Word], *, going_on: bool = False) -> Grid | None:
    """The band as a grid: its rulings, and a column border in each vertical strip that no
    word inside the band crosses, at least `_MIN_GAP` text heights wide; None unless that
    makes three columns or more. Three rulings (two rows) make a table only `going_on` from
    the page before."""
    if len(band.ys) < _MIN_BAND_RULES and not going_on:
        return None
    top, bottom = band.ys[0], band.ys[-1]
    inside = sorted(
        (w for w in words if band.x0 <= w.xc <= band.x1 and bottom <= w.yc <= top),
        key=lambda w: w.x0,
    )
    if not inside:
        return None
    h = median(w.h for w in inside)
    borders = [band.x0]
    reach = inside[0].x1
    for w in inside[1:]:
        if w.x0 - reach >= _MIN_GAP * h:
            borders.append((reach + w.x0) / 2)
        reach = max(reach, w.x1)
    borders.append(band.x1)
    if len(borders) < 4:
        return None
    segments: list[Segment] = [(band.x0, y, band.x1, y) for y in band.ys]
    segments += [(x, bottom, x, top) for x in borders]
    grids = find_grids(segments)
    if len(grids) != 1:
        return None
    grids[0].aligned = True
    return grids[0]
