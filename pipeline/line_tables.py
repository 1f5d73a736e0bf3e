"""Tables printed one cell per line in a plain-text letter (bảng in ra từng ô một dòng).

A PDF's text layer, or a table copied from Word, prints a task table with each
cell on a line of its own: the header cells (`STT` / `Nội dung` / `Cơ quan chủ
trì` / `Cơ quan phối hợp` / `Thời gian hoàn thành`), then each row, opening with
its running number (`1` / `Xây dựng …` / `Sở Tài chính` / `Các sở, ngành` /
`Quý III/2025`, `2` / …). ANNOTATION §3 rule 6 reads such a table one task per
row, so it is handed on as a table (`TableHint`, source `cell_lines` or
`cell_paragraphs`, by the printing).

Two printings: `lines`, a cell per line with a blank line for an empty cell;
`paragraphs`, cells apart by blank lines, a cell perhaps over several lines, an
empty cell left out. The header is a run of 3 to 12 short cells up to the first
row's number, at least 3 of them naming a column role the lexicon knows
(`data/lexicon/table_roles.tsv`), among them the content and the lead. The rows
open with their numbers in sequence (`1`, `2`, … or a later group `I`, `II`, after
which the count may start again at 1; after a line of dots, where a crawl cut
rows out, any number); a row has at most as many cells as the
header. A row printed over more lines than that holds cells over several lines
(the `lines` printing of a cell over two lines, a copy of a PDF's table): the
lines that most likely go on the one above are joined (no closing punctuation
above; a lower-case word or a digit below, `Trước ngày` / `30/11/2025`; or a list of
bodies a line each, `Sở Tài chính;` / `Sở Tư pháp;`, whose `;` is no cell's end). A
hard-wrapped page breaks a long cell where it breaks a paragraph, at a line
that fills the measure: those lines are joined first, by the rule that joins
them in the letter's text (`normalize.wrapped_lines`), where the next line opens
in lower case (the next cell of a row opens in capitals). A cell never ends on a
preposition or a conjunction (`Sở Khoa học và` / `Công nghệ`, lexicon
`name_prepositions`): the next line or paragraph goes on in it. Of the ways to
join a row's lines, the one whose cells fit their headings best wins: a body
under the lead and coordinate headings, a time under the time heading
(`Văn phòng Sở` / `2025`: the year is the time cell, not the rest of the name);
a text layer prints no blank line for an empty cell, so a row of as many lines
as the header has cells may still hold a cell over two lines. The table ends at the
last row (at most a header's width of cells), or before a row too wide whose
lines all close with punctuation: those rows stay text. Anything less (no
header, no numbered row) is no table: the text stays as it is.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise

from vanban.extractors import lexicon
from vanban.extractors.agencies import AgencyRegistry
from vanban.extractors.deadlines import find_times
from vanban.extractors.tables import cell_role
from vanban.pipeline import normalize
from vanban.schemas.text import Span, TableHint

# A row's number cell: 12 or a roman group II, perhaps with a dot or in `**`.
_NUMBER = re.compile(r"(?:(\d{1,3})|([IVX]{1,5}))\.?")
_WORDY = re.compile(r"\w")
_ROMAN = {"I": 1, "V": 5, "X": 10}
_HEADER_CELLS = (3, 12)
_HEADER_WORDS = 10
# The roles a header must name (ANNOTATION §3 rule 6: what is done, and who leads).
_NEEDED = frozenset({"content", "lead"})


@dataclass
class _Units:
    """The cells of one printing, in order: spans of the text (an empty cell `(s, s)`)."""

    spans: list[Span]
    last_lines: list[int]  # the last line of each unit
    cuts: set[int]  # the units right after a cut (`…......`)


def find_line_tables(text: str, lines: list[Span], used: list[bool]) -> list[TableHint]:
    """Tables printed one cell per line, among the lines not `used` by other tables.

    A hard-wrapped page (a PDF text layer, a copy of one) breaks a long cell over
    lines that fill the measure, as it breaks a paragraph: the lines are read again
    with those joined (`normalize.wrapped_lines`, the rule that joins them in the
    letter's text, where the next line opens in lower case), and a table read so wins
    where it holds as many rows or more."""
    if not may_open_a_row(text):
        return []  # no first row (issue 16: most letters have none)
    found = _tables(text, lines, used)
    unwrapped = _unwrapped(text, lines, used)
    if unwrapped is None:
        return found
    for table in _tables(text, *unwrapped):
        rivals = [t for t in found if _overlap(t, table)]
        if all(len(table.rows) >= len(t.rows) for t in rivals):
            found = [t for t in found if t not in rivals] + [table]
    return sorted(found, key=lambda t: t.rows[0][0][0])


# Where a table's first row can open. A table has a row numbered 1 or I (`_header`): a cell
# whose words, with its stars dropped, are that number alone. A cell's words are its lines'
# words in order, joined by blanks (a cell of lines or of a paragraph; the lines a wrapped
# page breaks; a cell going on past `và`), so the number is all that one of its lines holds
# but stars and blanks (a blank between its characters would stay between them): a line of
# stars and blanks around a number's characters, stars among them, and a dot. A text with no
# such line numbered 1 or I has no table: that read is left at once (the lines of a number
# found by a regex at C speed, then each read as `_header` reads a cell), where every short
# line was asked its column role, and the wrapped lines were read again.
_NUMBER_LINE = re.compile(r"\n(?:[^\S\n]|\*)*[\dIVX][\dIVX*]*\.?(?:[^\S\n]|\*)*(?=\n)")


def may_open_a_row(text: str) -> bool:
    """A line of `text` holds a first row's number, 1 or I, and nothing but stars and blanks."""
    return any(_number(m.group()) in ((0, 1), (1, 0)) for m in _NUMBER_LINE.finditer(f"\n{text}\n"))


def _tables(text: str, lines: list[Span], used: list[bool]) -> list[TableHint]:
    out: list[TableHint] = []
    i = 0
    while i < len(lines):
        found = None
        if not used[i] and _may_open(_line(text, lines[i])):
            found = _table_at(text, lines, used, i)
        if found is None:
            i += 1
            continue
        hint, last = found
        out.append(hint)
        i = last + 1
    return out


def _unwrapped(
    text: str, lines: list[Span], used: list[bool]
) -> tuple[list[Span], list[bool]] | None:
    """The lines with each wrapped one joined to the next (a row's number stays a line of
    its own), and which of them other tables use; None when no line is wrapped. In a table
    only a next line opening in lower case goes on: a cell of one line may fill the measure,
    and the next cell opens in capitals (`Sở Y tế`), as a sentence's next word does not."""
    wrapped = {
        k
        for k in normalize.wrapped_lines([text[s:e].rstrip() for s, e in lines])
        if _line(text, lines[k + 1])[:1].islower()
    }
    if not wrapped:
        return None
    spans: list[Span] = []
    taken: list[bool] = []
    k = 0
    while k < len(lines):
        (s, e), u = lines[k], used[k]
        while k in wrapped and _number(_line(text, lines[k + 1])) is None:
            k += 1
            e, u = lines[k][1], u or used[k]
        spans.append((s, e))
        taken.append(u)
        k += 1
    return spans, taken


def _overlap(a: TableHint, b: TableHint) -> bool:
    return a.rows[0][0][0] < b.rows[-1][-1][1] and b.rows[0][0][0] < a.rows[-1][-1][1]


def _may_open(line: str) -> bool:
    """A line can be a table's first header cell: short (a longer one is no header cell,
    `_header`), naming a column role. The length is tested first: it is the cheap test."""
    return len(line.split(None, _HEADER_WORDS)) <= _HEADER_WORDS and bool(cell_role(line))


def _line(text: str, span: Span) -> str:
    return text[span[0] : span[1]].strip()


def _table_at(
    text: str, lines: list[Span], used: list[bool], i: int
) -> tuple[TableHint, int] | None:
    blank_next = i + 1 < len(lines) and not _line(text, lines[i + 1])
    # The header is judged on its first cells alone: a line naming a role that opens no
    # table costs a few lines, not a read to the letter's end (no quadratic path, issue 16).
    # The full read's first cells are these, so the header it would find is this one.
    first = _units(text, lines, used, i, paragraphs=blank_next, enough=_HEADER_CELLS[1] + 1)
    header = _header(text, first.spans)
    if header is None:
        return None
    units = _units(text, lines, used, i, paragraphs=blank_next)
    cuts = {k - header for k in units.cuts if k > header}
    roles = [cell_role(_cell(text, span)) for span in units.spans[:header]]
    rows, count = _rows(text, units.spans[header:], roles, cuts)
    if not rows:
        return None
    spans = units.spans[:header]
    # A blank line for an empty cell keeps each cell's place, as in the Word table it
    # was copied from; cells apart by blank lines lose the empty ones, as a crawl's rows do.
    hint = TableHint([spans, *rows], "cell_paragraphs" if blank_next else "cell_lines")
    return hint, units.last_lines[header + count - 1]


def _units(
    text: str, lines: list[Span], used: list[bool], i: int, paragraphs: bool, enough: int = 0
) -> _Units:
    """The cells from line i on, up to a line another table holds: each line (a blank line
    an empty cell), or each run of lines between blank lines. With `enough`, the first
    cells only: the reading stops once that many cells (no cut among them) are read."""
    spans: list[Span] = []
    ends: list[int] = []
    run: list[int] = []
    cells = 0
    for j in range(i, len(lines)):
        if used[j] or (enough and cells >= enough):
            break
        blank = not _line(text, lines[j])
        if not paragraphs:
            s, e = lines[j]
            span, end = ((s, s) if blank else trim_span(text, s, e)), j
        elif not blank:
            run.append(j)  # the paragraph goes on
            continue
        elif run:  # a blank line closes the paragraph before it
            span, end = trim_span(text, lines[run[0]][0], lines[run[-1]][1]), run[-1]
            run = []
        else:
            continue  # another blank line: no cell
        if spans and span[1] > span[0] and _left_open(text, spans[-1]):
            # `Sở Khoa học và` / `Công nghệ`: a cell never ends on `và`, `của`, `với`.
            spans[-1], ends[-1] = (spans[-1][0], span[1]), end
            continue
        spans.append(span)
        ends.append(end)
        cells += _is_cell(text, span)
    if run:
        spans.append(trim_span(text, lines[run[0]][0], lines[run[-1]][1]))
        ends.append(run[-1])
    # A cell of dots alone (`…......`, where a crawl cut rows out of the table) is no cell;
    # the numbering may go on at any row after it.
    kept = [k for k, span in enumerate(spans) if _is_cell(text, span)]
    cuts = {n for n, k in enumerate(kept) if n and kept[n - 1] != k - 1}
    return _Units([spans[k] for k in kept], [ends[k] for k in kept], cuts)


# Words a phrase never ends on: it goes on past them (lexicon `name_prepositions`).
_OPEN_WORDS = frozenset(lexicon.words("name_prepositions"))
_LAST_WORD = re.compile(r"(\w+)\W*\Z")


def _left_open(text: str, span: Span) -> bool:
    """The cell ends on a preposition or a conjunction (`và`, `của`, `với`): the line below
    goes on in it, whatever layout broke it there (a narrow column, a blank line)."""
    m = _LAST_WORD.search(text, max(span[0], span[1] - 12), span[1])
    return m is not None and m.group(1).lower() in _OPEN_WORDS


def _is_cell(text: str, span: Span) -> bool:
    """An empty cell, or one holding a word (not a line of dots)."""
    s, e = span
    return s == e or _WORDY.search(text, s, e) is not None


def trim_span(text: str, s: int, e: int) -> Span:
    """`[s, e)` of `text` without the white space at its edges (`str.strip`'s)."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _header(text: str, spans: list[Span]) -> int | None:
    """The number of header cells before the first row's number (`1` or `I`), when they
    name the roles a task table needs; else None."""
    low, high = _HEADER_CELLS
    cells = [" ".join(text[s:e].split()) for s, e in spans[: high + 1]]
    first = next((k for k, c in enumerate(cells) if _number(c) in ((0, 1), (1, 0))), None)
    if first is None or first < low:
        return None
    for cell in cells[:first]:
        if not cell or len(cell.split()) > _HEADER_WORDS or ":" in cell.rstrip(":"):
            return None  # a labelled line (`Cơ quan chủ trì: Sở A`) is an item's, no header
    roles = [r for r in map(cell_role, cells[:first]) if r]
    return first if len(roles) >= low and set(roles) >= _NEEDED else None


def _number(cell: str) -> tuple[int, int] | None:
    """A row number as (group, item): `II` → (2, 0), `3` → (0, 3); None for other text."""
    m = _NUMBER.fullmatch(cell.replace("*", "").strip())
    if m is None:
        return None
    if m.group(1):
        return (0, int(m.group(1)))
    values = [_ROMAN[c] for c in m.group(2)]
    total = sum(-v if v < w else v for v, w in zip(values, [*values[1:], 0], strict=True))
    return (total, 0)


@dataclass
class _Count:
    """Where the numbering stands: the last group (`II` → 2), the last item, and whether
    the last row was a group's."""

    group: int = 0
    item: int = 0
    opened: bool = False

    def follows(self, number: tuple[int, int]) -> bool:
        """Whether a row numbered `number` may come next: the next item, the first of a
        group just opened (`I` → `1`), or a later group."""
        group, item = number
        if group:
            return group > self.group  # a later group: a crawl may have cut some out
        return item == self.item + 1 or (item == 1 and self.opened)

    def take(self, number: tuple[int, int]) -> None:
        group, item = number
        if group:
            self.group, self.opened = group, True
        else:
            self.item, self.opened = item, False


def _rows(
    text: str, spans: list[Span], roles: list[str], cuts: set[int]
) -> tuple[list[list[Span]], int]:
    """The rows from `spans[0]` (a row number) on, and how many cells they take."""
    width = len(roles)
    rows: list[list[Span]] = []
    count, at, items = _Count(), 0, 0
    current = _number(_cell(text, spans[0]))
    while current is not None and (at in cuts or count.follows(current)):
        count.take(current)
        nxt = _next_row(text, spans, at, count, width, cuts)
        if nxt is not None and nxt - at > _NEEDED_CELLS:
            # A row's lines may hold cells printed over several lines (surely so when they
            # outnumber the header's cells), or an empty cell be left out.
            fitted = _fitted(text, spans[at:nxt], roles)
            if fitted is None:
                break  # no line can go on the one above: it and what follows stay text
            row = fitted
        else:
            row = spans[at : nxt if nxt is not None else at + width]
        while row and row[-1][1] <= row[-1][0]:
            row = row[:-1]
        rows.append(row)
        items += current[0] == 0
        if nxt is None:
            at += len(row)
            break
        current = _number(_cell(text, spans[nxt]))
        at = nxt
    if items < 1 or not any(len(r) > 2 for r in rows):
        return [], 0
    return rows, at


def _cell(text: str, span: Span) -> str:
    return text[span[0] : span[1]]


_CLOSING = (".", ";", ":", "!", "?")
# A line that may be the next item of a list of bodies in one cell: capitalised, short, one
# clause (`Sở Tư pháp;`, `Ủy ban nhân dân các xã, phường`).
_LIST_ITEM = re.compile(r"(?-i:[A-ZĐÀ-Ỹ])[^.:;\n]{1,80}[;.]?\Z")


def _fitted(text: str, lines: list[Span], roles: list[str]) -> list[Span] | None:
    """A row printed over as many lines as the header's cells or more, as cells in the
    header's columns (ANNOTATION §3 rule 6: a row's lead, coordinate and time are its
    cells under those headings). The lines that most likely go on the line above are
    joined to it (a line stopping on no closing punctuation; more likely still when the
    next opens in lower case or with a digit: `Trước ngày` / `30/11/2025`); the earlier
    breaks first (the content cell is the long one). Of the ways to join them, the one
    whose cells fit their columns best wins (`_fit`: a body under the lead or
    coordinate heading, a time under the time heading): a text layer prints no blank
    line for an empty cell, so a row of as many lines as cells may still hold a cell
    over two lines (`… khi có Thông tư mới thay thế` / `Thông tư số 92/2009/TT-BTC`),
    its last cell empty. The row's number is a cell of its own; None when too few
    lines can go on."""
    need = max(0, len(lines) - len(roles))
    scores = {k: _goes_on(text, a, b) for k, (a, b) in enumerate(pairwise(lines)) if k}
    joinable = sorted((k for k, s in scores.items() if s > 0), key=lambda k: (-scores[k], k))
    if len(joinable) < need:
        return None
    # A line naming a body or a time alone is a cell of its own unless the row has more
    # lines than cells: only then is a join forced.
    free = [k for k in joinable if not _kind(text, lines[k + 1])]
    best: tuple[tuple[int, int, int, list[int]], list[Span]] | None = None
    for n in range(need, need + _EXTRA_JOINS + 1):
        pool = joinable if n == need else free
        if n > len(pool) or (n > need and len(lines) - n < _NEEDED_CELLS):
            break
        for joins in itertools.combinations(pool[: max(n, _JOIN_POOL)], n):
            row = _joined(lines, set(joins))
            key = (
                _fit(text, row, roles),
                -n,
                sum(scores[k] for k in joins),
                [-k for k in sorted(joins)],
            )
            if best is None or key > best[0]:
                best = key, row
    return None if best is None else best[1]


# Joins beyond those the line count forces, tried for a cell printed over two lines with
# an empty cell left out; lines tried as joins (the likeliest first); the fewest cells a
# row holds (number, content, lead).
_EXTRA_JOINS = 2
_JOIN_POOL = 10
_NEEDED_CELLS = 3


def _joined(lines: list[Span], joins: set[int]) -> list[Span]:
    """The lines as cells, line k + 1 joined to line k for each k in `joins`."""
    row = [lines[0]]
    for k in range(1, len(lines)):
        row[-1:] = [(row[-1][0], lines[k][1])] if k - 1 in joins else [row[-1], lines[k]]
    return row


_YEAR = re.compile(r"(?:[Nn]ăm\s+)?(?:19|20)\d\d\.?")


def _kind(text: str, span: Span) -> str:
    """`body` when the cell opens with a body's name or a group of bodies (the
    registry's), `time` when it opens with a time (a bare year too: `2025`), else ``."""
    kinds = _kinds(text)
    if span not in kinds:
        kinds[span] = _read_kind(text, span)
    return kinds[span]


def _read_kind(text: str, span: Span) -> str:
    # The loader's text, not yet normalised: composed and single-spaced here (NFD, NBSP).
    cell = " ".join(unicodedata.normalize("NFC", text[span[0] : span[1]]).split())
    found = AgencyRegistry.default().find(cell)
    if found and found[0].span is not None and found[0].span[0] <= 1:
        return "body"
    times = find_times(cell, doc_date=None)
    if _YEAR.fullmatch(cell.strip()) or (times and times[0].span[0] <= 1):
        return "time"
    return ""


_KINDS: dict[str, dict[Span, str]] = {}


def _kinds(text: str) -> dict[Span, str]:
    """The kinds read for the cells of one text (one text at a time is read)."""
    if text not in _KINDS:
        _KINDS.clear()
        _KINDS[text] = {}
    return _KINDS[text]


def _fit(text: str, row: list[Span], roles: list[str]) -> int:
    """How well the row's cells fit their columns: a body under a lead or coordinate
    heading and a time under the time heading count one each, a time under a lead or
    coordinate heading and a body under the time heading one against."""
    score = 0
    for span, role in zip(row, roles, strict=False):
        kind = _kind(text, span) if role in _FITTED_ROLES else ""
        if role == "deadline":
            score += (kind == "time") - (kind == "body")
        elif role in _FITTED_ROLES:
            score += (kind == "body") - (kind == "time")
    return score


_FITTED_ROLES = frozenset({"lead", "coordinate", "deadline"})


def _goes_on(text: str, above: Span, below: Span) -> int:
    """How likely line `below` goes on line `above` in one cell: 0 when either is an
    empty cell or `above` closes with punctuation, 2 when `below` opens in lower case or
    with a digit, else 1."""
    top, bottom = _cell(text, above).rstrip(), _cell(text, below).lstrip()
    if top.endswith(";") and bottom and _LIST_ITEM.match(bottom):
        # `Sở Tài chính;` / `Sở Tư pháp;` / `UBND các xã`: a cell listing bodies a line each
        # (a coordinate cell, §3 rule 6), its `;` between the items, not the cell's end.
        return 2
    if not top or not bottom or top.endswith(_CLOSING):
        return 0
    return 2 if bottom[0].islower() or bottom[0].isdigit() else 1


def _next_row(
    text: str, spans: list[Span], at: int, count: _Count, width: int, cuts: set[int]
) -> int | None:
    """Where the row after the one opening at `at` opens: the next cell holding a number
    that may follow, past the row's content cell, looked for up to twice the header's
    width (further on, a lone number is some other text's)."""
    for k in range(at + 2, min(len(spans), at + 2 * width + 2)):
        number = _number(_cell(text, spans[k]))
        if number is not None and (k in cuts or count.follows(number)):
            return k
    return None
