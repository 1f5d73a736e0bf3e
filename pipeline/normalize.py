"""Normalise once, at load: everything downstream reads this text.

Unicode NFC, one tone-mark placement (new style: `hòa`, `ủy`, as the gold
and current official spelling use), markup and OCR artefacts out, hard line
wraps joined. Every step keeps a map from normalised to source offsets, so a
span in the record can be traced back to the file.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from vanban.extractors import lexicon
from vanban.extractors.text_utils import after_blanks
from vanban.pipeline import crawl_noise, ocr_correct
from vanban.pipeline.spelling import PassedWords, token_normalize
from vanban.schemas.text import TableHint


@dataclass
class Normalized:
    text: str
    to_source: array  # to_source[i] = offset in the loader's text of normalised char i

    def from_source(self, offset: int) -> int:
        """The normalised offset of source offset `offset` (the first character
        at or after it that survived normalisation)."""
        return bisect.bisect_left(self.to_source, offset)

    def map_tables(self, tables: list[TableHint]) -> list[TableHint]:
        """Loader table hints (source offsets) as normalised spans, each cell
        trimmed of white space; cells that normalisation emptied stay, empty."""
        text = self.text
        out = []
        for table in tables:
            rows = []
            for row in table.rows:
                cells = []
                for s, e in row:
                    ns, ne = self.from_source(s), self.from_source(e)
                    while ns < ne and text[ns].isspace():
                        ns += 1
                    while ne > ns and text[ne - 1].isspace():
                        ne -= 1
                    cells.append((ns, ne))
                rows.append(cells)
            out.append(
                TableHint(
                    rows, table.source, set(table.merged), dict(table.across), set(table.breaks)
                )
            )
        return out

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        if start >= len(self.to_source):
            last = self.to_source[-1] + 1 if len(self.to_source) else 0
            return last, last
        s = self.to_source[start]
        e = self.to_source[end - 1] + 1 if end > start else s
        return s, e


class _Rewriter:
    """A string with a per-character source map, rewritten by regex passes."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.map = _identity(len(text))

    def sub(
        self,
        pattern: re.Pattern[str],
        repl: str | Callable[[re.Match[str]], str],
        needs: tuple[str, ...] = (),
        opening: str = "",
    ) -> None:
        """`pattern`'s matches replaced by `repl`. `needs`: strings one of which every
        match holds; a text with none is left at once (`in` runs at C speed, while a
        pattern that opens on a blank is tried at every blank of the letter).
        `opening`: for a pattern anchored at line starts (`^`, `re.M`), the character
        every match's line opens with after its blanks: the pattern is tried at those
        line starts only, not at every position (a pattern that opens on `^` is)."""
        if needs and not any(n in self.text for n in needs):
            return
        text = self.text
        self.replace(
            _at_line_starts(pattern, text, opening) if opening else pattern.finditer(text), repl
        )

    def replace(
        self, matches: Iterable[re.Match[str]], repl: str | Callable[[re.Match[str]], str]
    ) -> None:
        """`matches` (of `self.text`, in order, apart) replaced by `repl`."""
        if repl == "":  # deleted: what is between them kept, with its offsets
            self.cut([m.span() for m in matches])
        elif isinstance(repl, str):
            self.rewrite((*m.span(), repl) for m in matches)
        else:
            self.rewrite((*m.span(), repl(m)) for m in matches)

    def rewrite(self, edits: Iterable[tuple[int, int, str]]) -> None:
        """Each `text[start:end]` replaced by its `new` text, for `(start, end, new)` in
        `edits` (in order, apart)."""
        pieces: list[str] = []
        new_map = array("q")
        pos = 0
        text, old = self.text, self.map
        for start, end, new in edits:
            before = text[start:end]
            if new == before:
                continue
            pieces.append(text[pos:start])
            pieces.append(new)
            # The map of what is kept and of a same-length replacement, or of one that is
            # the head of what it replaces (`\n\n` for `\n\n\n`), in one slice; a deletion
            # adds nothing (what `_aligned` gives them, without the call).
            if len(new) == end - start or before.startswith(new):
                new_map.extend(old[pos : start + len(new)])
            elif len(new) == 1 and before:  # what `_aligned` gives one character (`\n` for ` | `)
                new_map.extend(old[pos:start])
                last = not _same(before[0], new) and _same(before[-1], new)
                new_map.append(old[end - 1] if last else old[start])
            else:
                new_map.extend(old[pos:start])
                new_map.extend(_aligned(before, new, old[start:end], old))
            pos = end
        if not pieces:
            return
        pieces.append(text[pos:])
        new_map.extend(old[pos:])
        self.text = "".join(pieces)
        self.map = new_map

    def cut(self, spans: list[tuple[int, int]]) -> None:
        """Delete these spans (sorted, apart) with their offsets: what `sub` does for
        matches replaced by nothing, without trying a pattern on all the rest."""
        if not spans:
            return
        pieces: list[str] = []
        new_map = array("q")
        pos = 0
        text, old = self.text, self.map
        for start, end in spans:
            pieces.append(text[pos:start])
            new_map.extend(old[pos:start])
            pos = end
        pieces.append(text[pos:])
        new_map.extend(old[pos:])
        self.text = "".join(pieces)
        self.map = new_map

    def put(self, at: list[int], char: str) -> None:
        """`char` in place of the one character at each of `at` (sorted): what `sub` does
        for matches of one character replaced by one, offsets as they were, without a
        Python call at every other match of the pattern."""
        if not at:
            return
        text = self.text
        ends = [*at[1:], len(text)]
        self.text = text[: at[0]] + "".join(
            char + text[i + 1 : j] for i, j in zip(at, ends, strict=True)
        )

    def keep(self, start: int, end: int) -> None:
        """Only `text[start:end]`: what is cut before and after goes with its offsets."""
        if (start, end) != (0, len(self.text)):
            self.text = self.text[start:end]
            self.map = self.map[start:end]


@lru_cache(maxsize=8)
def _line_opening(char: str) -> re.Pattern[str]:
    """A line break, blanks and `char`: where a line opening with `char` starts."""
    return re.compile(r"\n[ \t]*" + re.escape(char))


def _at_line_starts(pattern: re.Pattern[str], text: str, opening: str) -> Iterator[re.Match[str]]:
    """What `pattern.finditer(text)` finds, for a pattern whose matches start at a line
    start and whose line opens with `opening` after blanks: tried at those starts only."""
    starts = itertools.chain((0,), (m.start() + 1 for m in _line_opening(opening).finditer(text)))
    end = 0
    for start in starts:
        if start >= end and (m := pattern.match(text, start)):
            yield m
            end = m.end()


# Offsets 0, 1, 2 … kept for letters up to this long: a letter's map starts as a slice
# of them (C speed), where `array("q", range(n))` made it one Python int at a time.
_KEPT = 1 << 18
_IDS = array("q")


def _identity(n: int) -> array:
    """`array("q", range(n))`."""
    global _IDS
    if n > _KEPT:
        return array("q", range(n))
    ids = _IDS
    if len(ids) < n:  # grown by doubling, into a new array: a slice taken meanwhile stays right
        ids = array("q", range(min(_KEPT, max(n, 2 * len(ids)))))
        _IDS = ids
    return ids[:n]


def _aligned(before: str, after: str, offsets: array, whole: array) -> array:
    """Source offsets of `after`, which replaces `before` (whose offsets are `offsets`).

    Same length: character by character. Else the common head and tail keep
    their own offsets (`nghành` -> `ngành`, `\\*` -> `*`) and what is new in
    between points at the first character that changed (`&#65;` -> `A` at `&`).
    """
    if len(before) == len(after):
        return offsets
    if not offsets:  # an insertion: at the next source character (never needed yet)
        return array("q", [whole[-1] if whole else 0] * len(after))
    shortest = min(len(before), len(after))
    head = 0
    while head < shortest and _same(before[head], after[head]):
        head += 1
    tail = 0
    while tail < shortest - head and _same(before[-1 - tail], after[-1 - tail]):
        tail += 1
    anchor = offsets[min(head, len(offsets) - 1)]
    out = offsets[:head]
    out.extend([anchor] * (len(after) - head - tail))
    out.extend(offsets[len(offsets) - tail :])
    return out


def _same(source: str, out: str) -> bool:
    """`out` is the character `source` was, perhaps as NFC spells it (K for the Kelvin sign)."""
    # (An ASCII character is its own NFC.)
    return source == out or (not source.isascii() and unicodedata.normalize("NFC", source) == out)


_CLUSTER = re.compile(r".[\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+", re.S)
# Characters up to U+02FF are NFC each alone and never compose with the one
# before them: NFC can change only a run of later characters and the one
# character before it.
_NFC_RUN = re.compile(r"[\x00-\u02ff]?[^\x00-\u02ff]+", re.S)
# Whole runs of word characters: `_place_tones` changes only those with a letter
# beyond ASCII, kept by `str.isascii` (a lazy pattern `\w*?[^\W\x00-\x7f]\w*`
# that finds them at once read each run again from each of its letters).
_WORDS = re.compile(r"\w+")
# C0 and C1 controls (U+0085, next line, is a line break).
_CONTROLS = r"\x00-\x08\x0b\x0e-\x1f\x7f-\x84\x86-\x9f\u200b-\u200d\ufeff\u00ad"
_CONTROL = re.compile(f"[{_CONTROLS}]")
# Half a UTF-16 surrogate pair (a Word symbol or PDF character code gone wrong):
# no file can store it, so it shows as the replacement character.
_SURROGATES = r"\ud800-\udfff"
_SURROGATE = re.compile(f"[{_SURROGATES}]")
# Either: most texts hold neither, which one scan tells.
_CONTROL_OR_SURROGATE = re.compile(f"[{_CONTROLS}{_SURROGATES}]")
# A run of blanks that becomes one space: any run but a lone space, which is one
# already (matching every space between words cost more than the rest of the pass).
_BLANK = r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]"
_SPACES = re.compile(rf"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]{_BLANK}*| {_BLANK}+")
# What a text must hold for `_SPACES` to match: a blank but the space, or a space and a blank.
_SPACES_NEED = (
    "  ",
    "\t",
    "\u00a0",
    *map(chr, range(0x2000, 0x200B)),
    "\u202f",
    "\u205f",
    "\u3000",
)
_NEWLINES = re.compile(r"\r\n?|\u2028|\u2029|\x0c|\x85")
# These patterns open on the character every match starts with (a space, a line break),
# and look behind only after it: the engine then skips at C speed to the next such
# character, where a pattern opening on a look-around is started at every position.
# Spaces at a line's start or end (what `_edge_spaces` finds by `str.find`, faster).
_TRAILING = re.compile(r" (?: *(?=\n)|(?<=\n ) *|(?<=^ ) *| *$)")
_BLANK_RUN = re.compile(r"\n\n\n+")  # (opening on a literal: no repeat)
# A blank line after a line: in a double-spaced text (a PDF text layer or a
# crawl that puts a blank line after every line) it is layout, not a paragraph.
_GAP = re.compile(r"\n(?<=[^\n]\n)(\n*)(?=[^\n])")
# Markup left by converters: bold/italic stars, heading hashes, HTML tags,
# table separator rows and cell pipes (cells become lines), escaped chars.
# A rule row may run over several lines (crawls put each `|` on its own line).
# It is not tried from a blank line right after a blank line: from the line
# before, it would have gone the same way (tried from every line of a long run
# of blank lines to its end, the pattern was quadratic); blanks at line ends
# go first (`_LINE_END_BLANKS`), so that lines of blanks are blank lines.
_MD_TABLE_RULE = re.compile(r"^(?!(?<=\n\n)\s)\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$", re.M)
_LINE_END_BLANKS = re.compile(r"[ \t](?<![ \t][ \t])[ \t]*(?=\n)")
# The blanks before a pipe are taken only from the start of their run: tried
# from every blank of a long run of blanks, the pattern was quadratic.
# These patterns open on a character class or on literals, never on a look-around: the
# engine then skips to the next position where that character is, at C speed (a pattern
# that opens on a look-around is started, and fails, at every position of the letter).
_MD_PIPE = re.compile(r"[ \t|](?:(?<=\|)|(?<![ \t][ \t])[ \t]*\|)[ \t]*")
_PIPE = re.compile(r"\|[ \t]*")
# Up to three stars; two or three underscores that open or close a word.
_MD_EMPH = re.compile(r"\*\*{0,2}|_(?<!\w_)_{1,2}|__{1,2}(?!\w)")
_MD_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]*", re.M)
_HTML_TAG = re.compile(
    r"</?(?:sub|sup|b|i|u|em|strong|span|p|div|br|font|td|tr|th|table|tbody|thead)\b[^>]*>", re.I
)
_HTML_ENTITY = re.compile(r"&(nbsp|amp|lt|gt|quot|#\d+);")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")
_PAGE_BREAK = re.compile(r"^[ \t]*-{2,}[ \t]*PAGE BREAK[ \t]*-{2,}[ \t]*$", re.M | re.I)
# A page number printed at a page's edge, next to the form feed that ends or starts the page
# (`- 2 -`, `Trang 3`): no text of the letter (a sentence goes on across the break; the PDF
# loader drops the same lines by their position).
_PAGE_NUMBER_AT_BREAK = re.compile(
    r"(?:\n[ \t]*(?:Trang[ \t]+)?[-–—]?[ \t]*\d{1,4}[ \t]*[-–—]?[ \t]*(?=\n?[ \t]*\x0c))|"
    r"(?:(?<=\x0c)[ \t]*\n?[ \t]*(?:Trang[ \t]+)?[-–—]?[ \t]*\d{1,4}[ \t]*[-–—]?[ \t]*(?=\n))",
    re.I,
)
_FRONT_MATTER = re.compile(r"\A\s*---\n.*?\n---[ \t]*(?:\n|\Z)", re.S)
_ENTITIES = {"nbsp": " ", "amp": "&", "lt": "<", "gt": ">", "quot": '"'}
# A Vietnamese lower-case letter (a wrapped line's next word starts with one).
_LOWER = "[a-zđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]"
_UPPER = _LOWER.upper()  # a Vietnamese capital
# A wrapped line: no closing punctuation, and the next line starts in lower
# case (a new paragraph, item or heading in a letter never does, but a
# lower-case item marker can).
_WRAP_NEXT = (
    r"(?![ \t]*(?:[a-zđ][).]|[a-zđ]/|[ivx]{1,4}[.)])\s)"  # `a)`, `đ)`, `b/`, `ii.` open items
    # The place and date line, its place's capital misread in lower case (OCR: `là Nội, ngày
    # … năm 2016` for `Hà Nội`): a line of its own, never the rest of the line above. Its
    # place has another word in capitals; a sentence's `… lúc 08 giờ 00` / `phút, ngày 15
    # tháng 10 năm 2025.` has none, and runs on.
    rf"(?![ \t]*(?=[^,\n]{{0,41}}[ \t]{_UPPER})"
    r"[^\W\d][^\d,:;.\n]{0,40},[ \t]*ngày\b[^\n]{0,30}\bn[ăa]m\b[^\n]{0,12}(?:\n|\Z))"
    rf"(?=[ \t]*{_LOWER})"
)
# Blanks after a word, then a line break; or the line break alone.
_WRAP = re.compile(r"(?:\n(?<=[\w,(\-–]\n)|[ \t](?<=[\w,(\-–][ \t])[ \t]*\n)" + _WRAP_NEXT)
# `_WRAP` where no blank stands before a line break: its matches are line breaks alone.
_WRAP_AT_BREAK = re.compile(r"\n(?<=[\w,(\-–]\n)" + _WRAP_NEXT)


def _pipe_spans(text: str) -> Iterator[tuple[int, int]]:
    """The spans `_MD_PIPE` matches: each pipe with the blanks after it, and the blanks
    before it that no match before took. Found from the pipes (`_PIPE` skips to the next
    at C speed; `_MD_PIPE`, which opens on a blank, is tried at every blank)."""
    return ((start, m.end()) for start, m in after_blanks(_PIPE, text))


def _entity(m: re.Match[str]) -> str:
    name = m.group(1)
    if not name.startswith("#"):
        return _ENTITIES[name]
    try:
        ch = chr(int(name[1:]))
    except (ValueError, OverflowError):
        return " "
    # What the passes before took out must not come back as an entity (`&#0;`,
    # `&#13;`), nor half a surrogate pair, which no file can store (`&#55296;`).
    if _NEWLINES.fullmatch(ch):
        return "\n"
    if _CONTROL.fullmatch(ch):
        return ""
    return "\ufffd" if _SURROGATE.fullmatch(ch) else ch


# Words `_toned` leaves as they are (nearly all).
_UNTONED = PassedWords()


def _place_tones(rw: _Rewriter, words: set[str]) -> None:
    """`hoà` -> `hòa`, word by word: each distinct word (`words`, those of `rw.text`) is
    looked up once, and the text is rewritten only where a word changes (in most letters
    none does)."""
    changed: dict[str, str] = {}
    untoned = []
    for w in itertools.filterfalse(str.isascii, _UNTONED.unjudged(words)):
        new = _toned(w)
        if new == w:
            untoned.append(w)
        else:
            changed[w] = new
    _UNTONED.passed(untoned)
    if not changed:
        return
    # A word as `_WORDS` finds it: a whole run of word characters.
    either = "|".join(map(re.escape, sorted(changed, key=len, reverse=True)))
    rw.sub(re.compile(rf"(?<!\w)(?:{either})(?!\w)"), lambda m: changed[m.group(0)])


def _edge_spaces(text: str) -> list[tuple[int, int]]:
    """The runs of spaces `_TRAILING` matches (a whole run at a line's start or end, or
    at the text's), found from the line breaks beside them by `str.find` (a pattern
    that opens on a space is tried at every space of the letter)."""
    runs = set()
    if text.startswith(" "):
        runs.add((0, len(text) - len(text.lstrip(" "))))
    if text.endswith(" "):
        runs.add((len(text.rstrip(" ")), len(text)))
    at = text.find("\n ")
    while at >= 0:
        end = at + 1
        while end < len(text) and text[end] == " ":
            end += 1
        runs.add((at + 1, end))
        at = text.find("\n ", end)
    at = text.find(" \n")
    while at >= 0:
        start = at
        while start and text[start - 1] == " ":
            start -= 1
        runs.add((start, at + 1))
        at = text.find(" \n", at + 2)
    return sorted(runs)


def _strip_edges(rw: _Rewriter) -> None:
    """White space off both ends: `str.strip` (its white space is `\\s`'s), not a
    pattern `\\s+\\Z` tried at every run of white space in the text."""
    text = rw.text
    end = len(text.rstrip())
    start = end - len(text[:end].lstrip())
    rw.keep(start, end)


def _toned(word: str) -> str:
    """The word with its tone placed (no cache: `_UNTONED` keeps the words that stay)."""
    if word.isascii():
        return word
    out: str = unicodedata.normalize("NFC", token_normalize(word))
    return out


def _nfc(m: re.Match[str]) -> str:
    return unicodedata.normalize("NFC", m.group(0))


def _compose(rw: _Rewriter) -> None:
    """Unicode NFC, keeping each letter's offset where its marks were only composed."""
    if unicodedata.is_normalized("NFC", rw.text):
        return
    rw.sub(_CLUSTER, _nfc)
    if not unicodedata.is_normalized("NFC", rw.text):
        # What composes without combining marks: singletons (K, Ω signs),
        # Hangul jamo, scripts whose vowel signs are not marks.
        rw.sub(_NFC_RUN, _nfc)


# Hard wraps of a page's text layer: a line that fills the measure (the width
# the page's lines share) and stops with no closing punctuation goes on in the
# next line, whatever that line's first letter, unless the next line opens an
# item (`1.`, `a)`, `II.`, `-`, `+`, `Điều 2.`). The lower-case case is `_WRAP`.
_ITEM_OPEN = re.compile(
    r"(?:\d{1,2}(?:\.\d{1,2})*[.)/]|[a-zđ][.)/]|[IVX]{1,5}[.)/]|\(\w{1,4}\)|[-+•*–—]|Điều\s+\d)(?:\s|$)"
)
_OPEN_END = re.compile(r"[\w,)\-–”\"']$")


@lru_cache(maxsize=1)
def _part_opening() -> re.Pattern[str]:
    """A line that opens a part of the letter, never the rest of a wrapped line:
    the place and date line, a field (`Kính gửi:`, `Số:`, `V/v`, `Nơi nhận`),
    a paragraph's opening words in capitals (`Căn cứ`, `Thực hiện`: lexicon
    `body_openings`; mid-sentence they are in lower case)."""
    return re.compile(
        r"(?:[^\W\d][^\d,:;.\n]{1,40},\s*ngày\b|(?:Kính\s+)?gửi\s*:|Số\s*:|V/[Vv]\b|Nơi\s+nhận"
        r"|(?:" + lexicon.alternation("body_openings", "subject", "y") + r")\b)"
    )


def _measure(lines: list[str]) -> int | None:
    """The width a page's wrapped lines share, or None when the text is not
    hard-wrapped (its long lines are paragraphs of any length, as a crawl or a
    word processor writes them). Most of a wrapped page's long lines lie
    within a fifth of its widest ordinary line."""
    long = sorted(len(line) for line in lines if len(line) >= 40)
    if len(long) < 10:
        return None
    width = long[len(long) * 9 // 10]
    band = sum(1 for n in long if n >= 0.8 * width)
    return width if width <= 120 and band * 10 >= len(long) * 3 else None


_LOWER_RUN = re.compile(f"{_LOWER}+")
_ASCII_LOWER = bytes(range(ord("a"), ord("z") + 1))


def _in_capitals(line: str) -> bool:
    """A title or heading in capitals is set centred, not to the measure: its
    line ends are the letter's own (the subject's lines are the header's to join)."""
    # At least 70 % of its letters are capitals, so fewer than 30 % lower case: a line
    # with more lower-case letters of Vietnamese than 30 % of its characters is none
    # (most lines). Its ASCII lower-case letters, counted in its UTF-8 bytes (no byte of a
    # longer character is ASCII) by a deletion in C, mostly tell it; else all of them,
    # counted by one pattern, not a call a character.
    raw = line.encode()
    if 10 * (len(raw) - len(raw.translate(None, _ASCII_LOWER))) > 3 * len(line):
        return False
    if 10 * (len(line) - len(_LOWER_RUN.sub("", line))) > 3 * len(line):
        return False
    letters = "".join(filter(str.isalpha, line))  # builtins over the string: no Python loop
    return bool(letters) and sum(map(str.isupper, letters)) * 10 >= len(letters) * 7


def wrapped_lines(lines: list[str]) -> list[int]:
    """The lines (their indexes) that fill the measure of a hard-wrapped page and go on in
    the next line: no closing punctuation, the next line opens no item, field or paragraph,
    and the line is no heading in capitals; none when the text is not hard-wrapped."""
    width = _measure(lines)
    if width is None:
        return []
    # The long lines (all but the last) found by builtins, not a Python test a line.
    long = itertools.compress(range(len(lines) - 1), map((0.8 * width).__le__, map(len, lines)))
    opening = _part_opening()
    return [
        i
        for i in long  # the cheap tests first: most long lines end in punctuation
        if _OPEN_END.match(line := lines[i], len(line) - 1)  # its last character: no search
        and (nxt := lines[i + 1]).strip()
        and not _ITEM_OPEN.match(nxt)
        and not opening.match(nxt)
        and not _in_capitals(line)
    ]


def _join_full_lines(rw: _Rewriter) -> None:
    """Lines that fill the measure, joined to the next (DESIGN: normalise once,
    at load): a name or a date broken at the end of a printed line
    (`Tập đoàn Đèo` / `Cả`, `trước ngày` / `30/9/2025`) reads as one."""
    lines = rw.text.split("\n")
    wrapped = wrapped_lines(lines)
    if not wrapped:
        return
    # ends[i]: the length of the text's first i + 1 lines, less their line breaks.
    ends = list(itertools.accumulate(map(len, lines)))
    # Each join is a line break between two lines that are not blank (its line is long).
    rw.put([ends[i] + i for i in wrapped], " ")  # the line break after line i


def _single_spaced(rw: _Rewriter) -> None:
    """A double-spaced text made single-spaced: when no two printed lines of
    the text stand together (at most one in twenty pairs), a blank line
    between two lines is layout and becomes a line break, and a longer run of
    blank lines the paragraph break. The same letter printed with and without
    the blank lines then reads the same (DESIGN: normalise once, at load)."""
    gaps = [len(m.group(1)) for m in _GAP.finditer(rw.text)]
    if len(gaps) < 8 or sum(1 for g in gaps if g == 0) * 20 > len(gaps):
        return
    rw.sub(_GAP, lambda m: "\n" if len(m.group(1)) == 1 else "\n\n")


def _misread_numbers(rw: _Rewriter) -> None:
    """OCR's letters in a date or a document number (`25/0l/2026`, `0l/NQ-CP`, `4l8`) and in a
    quarter's numeral (`quý l/2026`) set back, whatever the file's format: a text layer or a
    crawl of a scan carries them as an image's OCR does (ANNOTATION §1: a garbled number or
    date is given as the text shows it is meant)."""
    if ocr_correct.NUMBER_LOOK_ALIKE.search(rw.text):
        rw.sub(ocr_correct.NUMBER_RUN, ocr_correct.number_run)
    if ocr_correct.QUARTER_LOOK_ALIKE.search(rw.text):
        rw.sub(ocr_correct.QUARTER, ocr_correct.quarter)


def normalize(text: str, *, markup: bool = True, join_wraps: bool = True) -> Normalized:
    """Normalise a loader's text.

    `markup=False` for formats that carry none; `join_wraps=False` where lines
    are real paragraphs (DOCX), not a page's line breaks.
    """
    rw = _Rewriter(text)
    rw.sub(_PAGE_NUMBER_AT_BREAK, "", needs=("\x0c",))
    rw.sub(_NEWLINES, "\n", needs=("\r", "\u2028", "\u2029", "\x0c", "\x85"))
    if _CONTROL_OR_SURROGATE.search(rw.text):
        rw.sub(_CONTROL, "")
        rw.sub(_SURROGATE, "\ufffd")
    if markup:
        rw.replace(filter(None, [_FRONT_MATTER.match(rw.text)]), "")  # at the start only
        rw.sub(_PAGE_BREAK, "", needs=("--",), opening="-")
        rw.sub(
            _HTML_TAG,
            lambda m: (
                "\n" if m.group(0).lower().startswith(("<br", "</p", "</tr", "</div")) else " "
            ),
            needs=("<",),
        )
        rw.sub(_HTML_ENTITY, _entity, needs=("&",))
        crawl_noise.drop_links(rw)  # before the escapes go: link syntax intact
        rw.sub(_LINE_END_BLANKS, "", needs=(" \n", "\t\n"))
        rw.sub(_MD_TABLE_RULE, "", needs=("---",))
        rw.sub(_MD_HEADING, "", needs=("#",), opening="#")
        rw.sub(_MD_ESCAPE, lambda m: m.group(1), needs=("\\",))
        crawl_noise.split_bold(rw)  # reads the stars, so before they go
        rw.sub(_MD_EMPH, "", needs=("*", "_"))
        rw.rewrite((start, end, "\n") for start, end in _pipe_spans(rw.text))
    _compose(rw)  # after markup: an entity may be a combining mark
    words = set(_WORDS.findall(rw.text))  # one scan for the next two passes
    joined = rw.text
    crawl_noise.join_spaced_letters(rw, words)  # before tones: a joined word gets one placement
    if rw.text is not joined:  # the rewriter makes a new text only when a join changed it
        words = set(_WORDS.findall(rw.text))
    _place_tones(rw, words)
    _compose(rw)  # a tone moved onto the letter before a stray mark (`hoà` + U+0301)
    _misread_numbers(rw)
    named, found = rw.text, ocr_correct.words_of(rw.text)
    rw.rewrite(ocr_correct.toneless_names(named, found))  # `Sở Tai chính`: a name's lost marks
    # `các xa, phường`: one word's lost marks; the same words when no name was set back (the
    # rewriter makes a new text only when an edit changes it)
    rw.rewrite(ocr_correct.toneless_groups(rw.text, found if rw.text is named else None))
    # `các Bộ: X, Tài chinh`: a distributive list's items, their marks lost or a letter misread
    rw.sub(ocr_correct.DISTRIBUTIVE_LIST, ocr_correct.distributive_list, needs=(":",))
    rw.sub(_SPACES, " ", needs=_SPACES_NEED)
    rw.cut(_edge_spaces(rw.text))
    if markup:
        crawl_noise.drop_page_chrome(rw)  # on clean lines, before wraps join them
    _single_spaced(rw)
    if join_wraps:
        _join_full_lines(rw)
        # With no blank before a line break (the passes above took them), only a line
        # break can start a match: the patterns that open on one skip the blanks.
        blank_ends = " \n" in rw.text or "\t\n" in rw.text
        rw.sub(_WRAP if blank_ends else _WRAP_AT_BREAK, " ")
    rw.sub(_BLANK_RUN, "\n\n", needs=("\n\n\n",))
    _strip_edges(rw)
    return Normalized(rw.text, rw.map)
