"""Crawl noise: what a web page's conversion to text leaves in a letter.

Each repair is a rewrite of `normalize`'s `_Rewriter`, so every character kept
still maps to its source offset. The rules go by the shape of the noise (a
star run inside a word, a bold span broken over two lines, letters spaced out
inside a word, a site's metadata table), never by the text of one page:

- `split_bold`: bold markers glued between two words or cut through a heading.
- `join_spaced_letters`: `ỦY B AN NHÂN D Â N` -> `ỦY BAN NHÂN DÂN`.
- `drop_links` and `drop_page_chrome`: the page's menus, metadata table,
  related-documents list and copyright lines around the letter.
"""

from __future__ import annotations

import bisect
import io
import itertools
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from itertools import accumulate, filterfalse
from operator import itemgetter
from typing import TYPE_CHECKING

from vanban.pipeline.legacy_encoding import _is_syllable, syllable_piece
from vanban.pipeline.spelling import PassedWords, dictionary_text

if TYPE_CHECKING:  # normalize imports this module
    from vanban.pipeline.normalize import _Rewriter as Rewriter


# -- bold markers ------------------------------------------------------------

# Spaces inside a bold span before its closing stars, then punctuation:
# `**trước ngày 26/11/2025 **.` would leave `2025 .`. The stars are looked for (a
# star is rare, a blank is everywhere), then the blanks before them.
# (A pattern that opens on one literal star lets the engine skip to the next star at C
# speed; one that opens on a repeat, `\*{1,3}`, is tried at every position.)
_CLOSING_STARS = re.compile(r"\*\*{0,2}[.,;:!?)\]…]")
# A star run with no space on either side: inside a word (`tháng 1**1**`,
# `g****ửi`) the stars go and the halves join (as `_MD_EMPH` would have it);
# between two words (`Trung Bộ****Bộ Xây dựng`, `1.****Sở`) they stand for a
# space.
_GLUED_STARS = re.compile(r"\*(?<=[^\s*]\*)\**(?=[^\s*])")
_WORD_TAIL = re.compile(r"(?:[^\W\d_]|\*)+$")
_WORD_HEAD = re.compile(r"(?:[^\W\d_]|\*)+")
# A bold span opened at a line start and closed on the next line: converters
# wrap a long heading (`**4. Sở Nông` / `nghiệp và Môi trường**`). Each line
# start is tried once and reads at most two lines: linear.
_BOLD_WRAP = re.compile(r"^([ \t]*\*{2,3}(?=[^\s*])[^*\n]*)\n([ \t]*[^*\s][^*\n]*\*{2,3})", re.M)
# A line that opens an item of its own is never a wrapped heading's tail.
_ITEM = re.compile(
    r"[-+•]|\d+(?:\.\d+)*[.)]\s|[a-zđ][.)]\s|[IVXLC]+[.)]\s|(?:Điều|Chương|Mục|Phần)\s+[\dIVXLC]"
)


def _syllable(word: str) -> bool:
    return bool(word) and len(word) <= 7 and _known_syllable(word)


# `_is_syllable` (cached there: a second cache here held the same words again).
_known_syllable = _is_syllable


def _glued(m: re.Match[str]) -> str:
    """` ` where the stars stand between two words, else nothing (gone now, so
    that `**V****Ă****N PHÒNG` / `CHÍNH PHỦ**` reads as one bold span)."""
    text, s, e = m.string, m.start(), m.end()
    left, right = text[s - 1], text[e]
    if left in ".:;,)" and right.isalpha():  # `1.****Sở`: an item marker, then its text
        return " "
    if left.isalpha() != right.isalpha() and left.isalnum() and right.isalnum():
        return " "  # `ngày**26`: a word and a number
    if not (left.isalpha() and right.isalpha()):
        return ""
    # Windows of 12 characters: a syllable is at most 7 letters, and the
    # bound keeps a long run of starred letters linear.
    tail = _WORD_TAIL.search(text, max(0, s - 12), s)
    head = _WORD_HEAD.match(text, e, e + 12)
    before = tail.group(0).replace("*", "") if tail else ""
    after = head.group(0).replace("*", "") if head else ""
    if not _syllable(before + after) and _syllable(before) and _syllable(after):
        return " "
    return ""


def _heading_wrap(m: re.Match[str]) -> str:
    first, second = m.group(1).strip(" \t*"), m.group(2).lstrip()
    # A sentence or a label ends its line for good, even inside one bold span;
    # so does an item marker alone (`2.`), which the task tree reads as such.
    if first.endswith((".", ":", ";", "!", "?")) or _ITEM.match(second):
        return m.group(0)
    return f"{m.group(1)} {m.group(2)}"  # same length: offsets stay one to one


def _blanks_before_closing_stars(text: str) -> list[tuple[int, int]]:
    """Each whole run of blanks (spaces, tabs) right before one to three stars and a
    punctuation mark (`2025 **.`). Each run ends at its own stars, so each is read once."""
    spans = []
    for m in _CLOSING_STARS.finditer(text):
        end = start = m.start()
        while start and text[start - 1] in " \t":
            start -= 1
        if start < end:
            spans.append((start, end))
    return spans


def split_bold(rw: Rewriter) -> None:
    """Before `_MD_EMPH` drops the stars: the spaces they leave wrong, the
    headings they keep broken."""
    rw.cut(_blanks_before_closing_stars(rw.text))
    rw.sub(_GLUED_STARS, _glued, needs=("*",))
    rw.sub(_BOLD_WRAP, _heading_wrap, needs=("**",), opening="*")


# -- letters spaced out inside words -------------------------------------------

# Words of letters with one space between: where spaced-out letters can be.
# A run starts only where a word does, so a long word is read once.
_RUN = re.compile(r"(?<![^\W\d_])[^\W\d_]+(?:[ \t\u00a0][^\W\d_]+)+")
_FRAGMENT = re.compile(r"[^\W\d_]+")
_SEPARATOR = re.compile(r"(?=[ \t\u00a0])(?<=[^\W\d_])[ \t\u00a0](?=[^\W\d_])")
_MOST_PARTS = 6  # `T h ươ n g`: a syllable is at most 7 letters


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    """The syllables of underthesea's Vietnamese dictionary (read once, and
    only for a document that has spaced-out letters)."""
    # Each entry's syllables, NFC and in lower case: both act line by line, so the entries
    # are read as one text (calls in C, not three an entry: 57 ms -> 40 ms), and split line
    # by line as the set takes them (one list of all 168,000 words would add 7 MB to the
    # worker's peak memory).
    lines = io.StringIO(unicodedata.normalize("NFC", dictionary_text()).lower())
    return frozenset(itertools.chain.from_iterable(map(str.split, lines)))


def _shape(word: str) -> bool:
    """One word's case: `dân`, `DÂN`, `Dân`, never `DâN` (two words met)."""
    return word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())


def _join_kind(parts: list[str]) -> str | None:
    """`sure` when the parts are one syllable and one part is no syllable of
    two or more letters or two parts are none (`tr ưở n g`, `D Â N`); `weak`
    when the only part that is no syllable is one letter (`T hành`)."""
    word = "".join(parts)
    if len(word) > 7 or not _shape(word) or not _syllable(word):
        return None
    odd = [p for p in parts if not _syllable(p)]
    if len(odd) >= 2 or (odd and len(odd[0]) >= 2):
        return "sure"
    return "weak" if odd else None


def _groups(words: list[str], vocab: set[str] | None) -> list[tuple[int, int]]:
    """(first, end) word indices of each join; weak joins only with a `vocab`
    (the document has this noise), of a word the document has elsewhere or
    the dictionary has.

    The run is cut the way that leaves fewest parts that are no syllable,
    then fewest joins a dictionary lacks (`HỒ C H Í` is `HỒ CHÍ`, not `HỒCH
    Í`, which the syllable check alone allows), then fewest the document
    lacks elsewhere (`Thành ủy`, not `Thà nhủ y`), then fewest words, then
    fewest joins that open with a whole syllable. The dictionary only ranks
    cuts: a name it lacks (`N g uy ễ n`) is still joined. Each word is tried
    with at most `_MOST_PARTS` after it: linear.
    """
    n = len(words)
    whole = [len(w) <= 7 and _known_syllable(w) for w in words]  # `_syllable`: words are letters
    if all(whole):
        return []  # nothing to join: most runs of a clean letter
    seen = vocab or set()
    best: list[tuple[tuple[int, ...], int]] = [((0, 0, 0, 0, 0), 0)]
    last_odd = -1  # the last word before j that is no syllable
    for j in range(1, n + 1):
        if not whole[j - 1]:
            last_odd = j - 1
        # Word j-1 alone; then the joins ending at j, which must take an odd word: only
        # those from i <= last_odd are tried (most words of a run are far from any).
        (odd, unknown, unseen, count, opens), _ = best[j - 1]
        options = [((odd + (not whole[j - 1]), unknown, unseen, count + 1, opens), j - 1)]
        for i in range(max(0, j - _MOST_PARTS), min(j - 1, last_odd + 1)):
            (odd, unknown, unseen, count, opens), _ = best[i]
            kind = _join_kind(words[i:j])
            if kind is None:
                continue
            word = "".join(words[i:j]).lower()
            if kind == "sure" or (
                kind == "weak" and vocab is not None and (word in seen or word in _dictionary())
            ):
                unknown += word not in _dictionary()
                unseen += word not in seen
                options.append(((odd, unknown, unseen, count + 1, opens + whole[i]), i))
        best.append(min(options))
    groups, j = [], n
    while j > 0:
        i = best[j][1]
        if j - i > 1:
            groups.append((i, j))
        j = i
    return groups[::-1]


def _odd_word(odd: set[str]) -> re.Pattern[str]:
    """A word of `odd` standing whole (no letter on either side). Each alternative opens
    on its first letter and looks behind only after it, so that the engine skips at C
    speed to the next place where an odd word's first letter is."""
    either = "|".join(
        re.escape(w[0]) + rf"(?<![^\W\d_]{re.escape(w[0])})" + re.escape(w[1:])
        for w in sorted(odd, key=len, reverse=True)
    )
    return re.compile(rf"(?:{either})(?![^\W\d_])")


def _lines_with(text: str, odd: set[str]) -> Iterator[tuple[int, int]]:
    """`[start, end)` of each line that holds a word of `odd`, in order. A run of words
    never crosses a line break (its words are apart by blanks), so the runs with an odd
    word are all inside these lines: the rest of the letter is not read word by word."""
    end = -1
    for m in _odd_word(odd).finditer(text):
        if m.start() < end:
            continue  # a line already given
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        yield start, end


def _runs(text: str, odd: set[str]) -> Iterator[tuple[list[int], list[str]]]:
    """Each run of words with a word in `odd`: the offset where each word
    ends, and the words."""
    for start, end in _lines_with(text, odd):
        yield from _line_runs(text, start, end, odd)


def _line_runs(
    text: str, start: int, end: int, odd: set[str]
) -> Iterator[tuple[list[int], list[str]]]:
    """`_runs` over the line `text[start:end]` (a line break or the text's edge on
    each side, so that `_RUN` reads it as it would inside the whole text)."""
    for run in _RUN.finditer(text, start, end):
        # Letters and single spaces only: `split` gives the run's words, and each word
        # ends one separator before the next starts.
        words = run.group(0).split()
        if odd.isdisjoint(words) or not _may_join(words, odd):
            continue
        yield list(accumulate((len(w) + 1 for w in words), initial=run.start() - 1))[1:], words


def _may_join(words: list[str], odd: set[str]) -> bool:
    """A join takes an odd word and a word beside it, at most 7 letters in all."""
    last = len(words) - 1
    return any(
        w in odd
        and (
            (k > 0 and len(words[k - 1]) + len(w) <= 7)
            or (k < last and len(words[k + 1]) + len(w) <= 7)
        )
        for k, w in enumerate(words)
    )


def _fragments(words: set[str]) -> set[str]:
    """The distinct `_FRAGMENT`s of a text whose distinct runs of word characters (`\\w+`)
    are `words`: a run of letters is one, a run of digits none; only a run that mixes
    them is searched (a letter is a word character, so no fragment runs over two runs)."""
    found = set(filter(str.isalpha, words))
    for word in filterfalse(str.isalpha, words):
        if not word.isdecimal():
            found.update(_FRAGMENT.findall(word))
    return found


# Fragments judged to be no candidate part of a join (a syllable, or too long): most of a
# letter's words.
_NOT_ODD = PassedWords()


def _odd(fragments: set[str]) -> set[str]:
    """The fragments of at most 6 letters that are no syllable but can be a piece of one:
    every join takes one (`UBND`, `vn`, `TTg` are no piece of any syllable, so a run
    holding only those has nothing to join)."""
    new = _NOT_ODD.unjudged(fragments)
    odd = {w for w in new if len(w) <= 6 and not _known_syllable(w) and syllable_piece(w)}
    _NOT_ODD.passed(new - odd)
    return odd


def join_spaced_letters(rw: Rewriter, words: set[str] | None = None) -> None:
    """`ỦY B AN` -> `ỦY BAN`, `Nh ư tr ê n` -> `Như trên`: a syllable spaced
    out by a converter (PDF glyph positions) is joined when the joined word is a
    syllable and a part of it is none alone; `Bộ Y tế` stays. `words`: the text's
    distinct runs of word characters, when the caller has them (one scan for two passes)."""
    text = rw.text
    fragments = set(_FRAGMENT.findall(text)) if words is None else _fragments(words)
    # A lone letter before a word (`T hành`, `B AN`) is taken as part of it
    # only where a certain join shows the document has this noise: elsewhere
    # `Phụ lục B ưu tiên`, `điểm b an toàn` are two words.
    # The words that are no syllable, each looked up once: every join has one
    # of at most 6 letters (with another part, at most 7), so a run of none
    # of them has nothing to join, and a letter with none has no run.
    odd = _odd(fragments)
    if not odd:
        return
    runs = list(_runs(text, odd))
    if not any(_groups(words, None) for _, words in runs):
        return  # no certain join: a clean letter (most are)
    vocab = {w.lower() for w in fragments}
    drop = {
        ends[k]
        for ends, words in runs
        for first, end in _groups(words, vocab)
        for k in range(first, end - 1)
    }
    if drop:
        # The separators to drop, each where `_SEPARATOR` matches (not every separator
        # of the letter tried to find the few).
        rw.cut([(p, p + 1) for p in sorted(drop) if _SEPARATOR.match(text, p)])


# -- the web page around the letter --------------------------------------------

_LINE = re.compile(r"[^\n]*\n?")
# A markdown image, link, a link's two halves, and a bare address. No
# bracket inside an address: each `[` then starts a scan that ends at the
# next one, so a line of brackets stays linear.
_TARGET = r"\((?:[^()\s\[\]]|\([^()\s\[\]]*\))*\)"
_IMAGE = re.compile(r"!\[[^\[\]\n]{0,300}\]" + _TARGET)
_LINK = re.compile(r"\[([^\[\]\n]{0,300})\]" + _TARGET)
_LINK_PART = re.compile(r"\[|\]" + _TARGET)
_URL = re.compile(r"(?:https?://|www\.)[^\s|)\]]+")
_LINK_SEPARATORS = " \t\n>*-+•|/·»›"
# Where a letter starts: its national (or Party) motto.
_MOTTO = re.compile(r"CHỦ NGHĨA VIỆT NAM|Độc lập\s*[-–]\s*Tự do|ĐẢNG CỘNG SẢN VIỆT NAM", re.I)
# The labels of a legal-document site's metadata table: the document's
# properties, and each related document's dates and status.
_META_LABEL = re.compile(
    r"(Số hiệu|Ký hiệu|Loại văn bản|Nơi ban hành|Cơ quan ban hành|Người ký|"
    r"Ngày ban hành|Ngày hiệu lực|Ngày hết hiệu lực|Ngày công báo|Số công báo|"
    r"Tình trạng(?: hiệu lực)?|Lĩnh vực|Ban hành|Hiệu lực|Cập nhật|Ngày cập nhật|Ngày đăng)"
    r"[ \t]*:[^\n]{0,80}"
)
_META_GAP = 3  # label lines of one table: at most two value lines between
_META_LABELS = 3  # distinct labels that make a table, not a letter's line
# `© 2024 …`, `Copyright …`, `Bản quyền thuộc về …`; not `©) Bộ Giao thông`
# (OCR of `c)`), nor a task about copyright (`bản quyền` inside a sentence).
_COPYRIGHT = re.compile(
    r"[ \t]*(?:©(?=[\s\d])|\(c\)\s|copyright\b|"
    r"bản quyền\b(?=[^\n]*(?:\b(?:19|20)\d\d\b|©|thuộc về)))",
    re.I,
)


def _lines(text: str) -> list[tuple[int, str]]:
    """(start, line with its line break) of each line: `_LINE`'s non-empty matches, cut by
    `str.split` (no match object a line)."""
    parts = [f"{line}\n" for line in text.split("\n")]
    parts[-1] = parts[-1][:-1]  # the last line has no break after it
    if not parts[-1]:
        parts.pop()
    return list(zip(accumulate(map(len, parts), initial=0), parts, strict=False))


def _drop_lines(rw: Rewriter, starts: set[int]) -> None:
    """Delete whole lines (with their line break) by start offset."""
    rw.cut([(s, m.end()) for s in sorted(starts) if (m := _LINE.match(rw.text, s)) and m.group(0)])


def _line_of(lines: list[tuple[int, str]], offset: int) -> int:
    """Index of the line that holds `offset`."""
    return bisect.bisect_right(lines, offset, key=itemgetter(0)) - 1


def _motto_line(lines: list[tuple[int, str]], text: str) -> int:
    """Index of the first line of the letter's motto; -1 if none (then
    nothing is known to lie before the letter). The text is searched once; a match
    over a line break (`Độc lập` / `- Tự do`) is in no line, and holds no other match."""
    for m in _MOTTO.finditer(text):
        if "\n" not in m.group(0):
            return _line_of(lines, m.start())
    return -1


# What every line of `_links_only` holds: an image's or a link's bracket, an address.
_LINK_HINTS = ("[", "http", "www.")


def _hinted_lines(lines: list[tuple[int, str]], text: str) -> set[int]:
    """Indices of the lines that hold one of `_LINK_HINTS` (found by `str.find`, each
    line once a hint)."""
    found = set()
    for hint in _LINK_HINTS:
        at = text.find(hint)
        while at >= 0:
            i = _line_of(lines, at)
            found.add(i)
            at = text.find(hint, lines[i][0] + len(lines[i][1]))
    return found


def _links_only(line: str) -> bool:
    if "[" not in line and "http" not in line and "www." not in line:
        return False  # no image, link or address can be in it (most lines: no pattern run)
    rest, images = _IMAGE.subn("", line)
    rest, links = _LINK.subn("", rest)
    rest, urls = _URL.subn("", rest)
    return images + links + urls > 0 and not rest.strip(_LINK_SEPARATORS)


# A short heading before a line's links (`**Văn bản liên quan:** [A](…) · [B](…)`).
_LINKS_HEADING = re.compile(r"[ \t*]*[^\W\d_][^\n:\[\]]{0,60}:[ \t*]*")


def _headed_links(line: str) -> bool:
    """A heading and two links or more, nothing else: the site's list of other pages
    (related documents), never the letter's own text, which links to no page twice."""
    m = _LINKS_HEADING.match(line)
    if m is None or "[" not in line:
        return False
    rest = line[m.end() :]
    return len(_LINK.findall(rest)) >= 2 and _links_only(rest)


# A site's heading in bold alone on its line, with no colon (`**Văn bản liên quan**`).
_BOLD_HEADING = re.compile(r"[ \t]*\*\*[^\W\d_][^\n:\[\]*]{0,60}\*\*[ \t]*")


def _heading_above(lines: list[tuple[int, str]], i: int, bold_only: bool) -> int | None:
    """The line of a short heading over line `i` (blank lines between), if there is one."""
    k = i - 1
    while k >= 0 and lines[k][1].isspace():
        k -= 1
    line = lines[k][1].rstrip("\n") if k >= 0 else ""
    if _BOLD_HEADING.fullmatch(line) or (not bold_only and _LINKS_HEADING.fullmatch(line)):
        return k
    return None


def _list_headings(lines: list[tuple[int, str]], runs: set[int], bare: set[int]) -> set[int]:
    """The heading line over a run of link lines that go (`**Văn bản liên quan:**` / `- [A](…)`
    / `- [B](…)`): a short heading (its colon, or its bold, alone on its line), blank lines
    between; and a single link line under a bold heading with no colon, with it (the site's
    list of one page: the letter's own pointer to a page is a sentence with its colon,
    `Chi tiết xem tại:` / `[Cổng …](…)`)."""
    out = set()
    for i in sorted(bare):
        if i - 1 in runs or (k := _heading_above(lines, i, i not in runs)) is None:
            continue
        out |= {k} if i in runs else {k, i}
    return out


def drop_links(rw: Rewriter) -> None:
    """A page's menus: lines of nothing but links, two or more in a row, or
    any before the letter's motto; and a heading over two links or more (`Văn bản
    liên quan: [A](…) · [B](…)`), the site's list of other pages. Then a link keeps
    its text only and an image goes: the address is no part of the letter."""
    lines = _lines(rw.text)
    motto = _motto_line(lines, rw.text)
    # Only the lines with a bracket or an address are read (most lines have none).
    hinted = _hinted_lines(lines, rw.text)
    bare = {i for i in hinted if _links_only(lines[i][1])}
    runs = {i for i in bare if i < motto or i - 1 in bare or i + 1 in bare}
    starts = {lines[i][0] for i in runs}
    starts |= {lines[i][0] for i in hinted if _headed_links(lines[i][1])}
    starts |= {lines[i][0] for i in _list_headings(lines, runs, bare)}
    _drop_lines(rw, starts)
    rw.sub(_IMAGE, "")
    # A link's brackets and address go, each alone, so its text keeps its
    # own offsets.
    cut = {pos for m in _LINK.finditer(rw.text) for pos in (m.start(), m.end(1))}
    if cut:
        rw.sub(_LINK_PART, lambda m: "" if m.start() in cut else m.group(0))


def _filled(lines: list[tuple[int, str]]) -> list[int]:
    """Indices of the lines that are not blank."""
    return [i for i, (_, line) in enumerate(lines) if not line.isspace()]


def _meta_tables(lines: list[tuple[int, str]], filled: list[int]) -> Iterator[tuple[int, int]]:
    """(first, end) line indices of each metadata table: label lines close
    together (blank lines aside) with enough distinct labels, and the value
    line after the last label when that label has none. `filled`: the lines not blank."""
    labelled = [
        (rank, m.group(1))
        for rank, i in enumerate(filled)
        if ":" in lines[i][1] and (m := _META_LABEL.fullmatch(lines[i][1].strip()))
    ]
    k = 0
    while k < len(labelled):
        end = k + 1
        while end < len(labelled) and labelled[end][0] - labelled[end - 1][0] <= _META_GAP:
            end += 1
        if len({label for _, label in labelled[k:end]}) >= _META_LABELS:
            last = labelled[end - 1][0]
            if lines[filled[last]][1].rstrip().endswith(":") and last + 1 < len(filled):
                last += 1
            yield filled[labelled[k][0]], filled[last] + 1
        k = end


# A site's list of its other documents or news closing the page (`Các văn bản khác:` / `- Kế
# hoạch 05/KH-UBND tổ chức … (06/01/2026)`, `Tin cùng chuyên mục:` / `- Hội nghị … (29/12/2025)`):
# entries that each close with their date of posting in brackets, under a short heading.
_LISTED_DOC = re.compile(
    # possessive blanks: a line of blanks alone fails at once, not after n² tries
    r"[ \t]*+(?:[-–•*+][ \t]*+)?[^\W\d_][^\n]{0,300}"
    r"\([ \t]*\d{1,2}/\d{1,2}/\d{4}[ \t]*\)[ \t.;]*\n?",
)
_LIST_HEADING = re.compile(r"[ \t]*[^\W\d_][^\n:]{0,60}:[ \t]*\n?")


def _listing_at_end(lines: list[tuple[int, str]], filled: list[int]) -> list[int]:
    """Line indices of the site's list of other documents that closes the page, with its
    heading: two entries or more (ANNOTATION §3: a site's text gives nothing)."""
    k = len(filled)
    while k > 0 and _LISTED_DOC.fullmatch(lines[filled[k - 1]][1]):
        k -= 1
    if len(filled) - k < 2 or k == 0 or not _LIST_HEADING.fullmatch(lines[filled[k - 1]][1]):
        return []
    return filled[k - 1 :]


def drop_page_chrome(rw: Rewriter) -> None:
    """The site's own text around the letter, on clean lines (after markup).

    A metadata table before the letter's motto goes with all above it (the
    site's banner); one after the motto ends the letter (related documents,
    then the site's notices, which can read like a letter: `Kính gửi: Quý
    Thành viên`); one in a page with no motto goes alone. Copyright lines go
    before the motto or among the page's last three lines. What lies between
    a table and the motto (the issuer's name) stays.
    """
    lines = _lines(rw.text)
    motto = _motto_line(lines, rw.text)
    drop: set[int] = set()
    filled = _filled(lines)
    for first, end in _meta_tables(lines, filled):
        if end <= motto:
            drop.update(range(end))
        elif 0 <= motto < first:
            drop.update(range(first, len(lines)))
        else:
            drop.update(range(first, end))
    drop.update(_listing_at_end(lines, filled))
    footer = filled[-3:]
    drop.update(
        i
        for i in itertools.chain(range(max(motto, 0)), footer)  # before the motto, the last lines
        if _COPYRIGHT.match(lines[i][1]) and len(lines[i][1]) <= 300
    )
    _drop_lines(rw, {lines[i][0] for i in drop})
