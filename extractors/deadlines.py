"""Deadlines of tasks (thời hạn), ANNOTATION.md §3 `deadline`.

Three layers, all pure functions:

* `find_times` is a regex grammar for Vietnamese time phrases. It finds every
  time expression in a window, resolves it to the day it ends on (a period
  means its last day) and says whether the rules let it be a due date
  (`is_due`): cited documents' dates, meetings, statistics' cut-offs, start
  and effective dates, years that qualify an object, past dates are not
  (except a due date printed with its year, unless quoted from an earlier
  request). A time relative to an event it does not date (`sau khi …`,
  `trước Tết`) is kind `event`: no date, but the item's own time (§6).
* `task_deadline` applies the rules that need the whole task: a labelled time
  line wins, the earliest own date wins, a purpose clause of the agency that
  receives the work does not count, a recurring or open-ended qualifier in the
  clause of a date cancels it, a `riêng …` clause gives its date to what it
  names; the dates of a `Về …:` topic opening the item are its object's.
  `heading_deadline` reads the time a section heading gives the items
  below it (§6), `block_deadline` the time a text that only sets a time limit
  gives each task it covers (§3 rules 4 and 10).
* `task_recurrence` reads how recurring work recurs (`hằng tháng` → `monthly`,
  `trước ngày 25 hằng tháng` → `monthly:day=25`), and `with_recurrence` gives it,
  as a deadline without a date, to each task that has no due date (§3: recurring
  work gives no date). Its words are the lexicon's (`recurrence_words`).
* `task_relative` reads a time limit counted from an event the letter does not
  date (`trong 30 ngày kể từ ngày nhận được văn bản` → 30 `day`s from `receipt`),
  and `with_relative` gives it, as a deadline without a date, to each task still
  without a time; `resolve_relative` counts it from the event's day (working days
  skip weekends and public holidays, Tết included: the `holidays` package).

Why not dateparser: it reads `trước` as "ago" and `16 giờ` as a duration, and
knows nothing of quarters, `6 tháng cuối năm` or year spans (see
DEPENDENCY-NOTES.md).

How the scan works: a cheap finder marks the words that can open a time
(`ngày`, `năm`, digits, `hằng` before `tháng` …); at each, the alternatives
of the grammar that such a word can open are tried in order (longest first);
the preposition before the match (`hoàn thành trước`, `đến hết`) is read
backwards. Neighbouring atoms are then merged (`từ … đến …`, `… và thường
xuyên`, `ngày 25 hằng tháng`) and each expression is judged on the clause
before it. About 0.1 ms for a 500-character task.
"""

from __future__ import annotations

import calendar
import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, Literal

from vanban.extractors import lexicon
from vanban.extractors import rules as R
from vanban.extractors.text_utils import PerText, fold, fold_key, old_tones
from vanban.schemas import Deadline, RelativeDue, Task, Urgency

# ---------------------------------------------------------------------------
# Building blocks of the grammar


def _v(words: str) -> str:
    """`trước` → `tr[ưu][ớo]c`: also match text whose diacritics OCR lost."""
    out: list[str] = []
    for ch in words:
        if ch == " ":
            out.append(r"\s+")
            continue
        base = "d" if ch in "đĐ" else unicodedata.normalize("NFD", ch)[0]
        out.append(f"[{ch}{base}]" if base != ch else re.escape(ch))
    return "".join(out)


def _alt(*phrases: str) -> str:
    return "(?:" + "|".join(_v(p) for p in sorted(phrases, key=len, reverse=True)) + ")"


_S = r"[\s*]*"  # optional space; `**` left by a crawler's bold markup counts as space
_S1 = r"[\s*]+"
_NGAY, _THANG, _NAM, _QUY = _v("ngày"), _v("tháng"), _v("năm"), _v("quý")
_Y = r"(?:19|20)[0-9]{2}"
_D = r"(?:3[01]|[12][0-9]|0?[1-9])"
_M = r"(?:1[0-2]|0?[1-9])"
_PAREN = r"(?:\s*\([^()0-9]{2,30}\))?"  # `ngày 15 (mười lăm)`: the number again in words
_PAREN_ANY = r"(?:\s*\([^()]{1,30}\))?"  # `mười lăm (15) ngày`
_EDGE = _alt("cuối", "đầu", "giữa")
# Numbers in words go up to 99 (`mười lăm`, `ba mươi`, `hai mươi mốt`); only
# accented, since unaccented `tu`, `ba`, `nam` are other words too (lexicon `number_words`).
_NUMBER_VALUE = {r["word"]: r["value"] for r in lexicon.rows("number_words")}
_NUMBER_NEXT = lexicon.literal("number_words", "next")
_NUMW = (
    r"(?<![^\W\d_])(?:"
    + lexicon.literal("number_words", "first")
    + r")(?:\s+(?:"
    + _NUMBER_NEXT
    + r")){0,3}"
)
_NUM = rf"(?:(?<![0-9])[0-9]{{1,3}}(?![0-9])|{_NUMW})"
# A document whose signing a time counts from (lexicon `citation_words`, column `signed`).
_DOCW = _alt(*lexicon.selected("citation_words", "signed"))


def _date(k: str) -> str:
    """A day: `ngày 15 tháng 9 năm 2025`, `15/9/2025`, `15-9-2025`, `15.9`,
    `10 tháng 8` (no `ngày`). Group names carry the suffix `k`."""
    return (
        rf"(?:(?P<ng{k}>{_NGAY}){_S})?(?<![0-9])(?P<d{k}>{_D})(?![0-9]){_PAREN}{_S}"
        rf"(?:{_THANG}{_S}(?P<m{k}>{_M})(?![0-9]){_PAREN}(?:{_S},?{_S}{_NAM}{_S}(?P<y{k}>{_Y})(?![0-9]))?"
        rf"|(?P<sep{k}>[/.-])\s?(?P<n{k}>{_M})(?![0-9])"
        # `ngày 1-2/10/2025` is two days of October, not the 1st of February
        rf"(?:\s?(?P=sep{k})\s?(?P<z{k}>{_Y}|[0-9]{{2}})(?![0-9])|(?!\s?[/.-]\s?[0-9])))"
    )


def _time(k: str) -> str:
    """`16h00`, `16h`, `16 giờ 30 phút`, `16:00`, `4 giờ chiều`."""
    return (
        rf"(?<![0-9])(?P<th{k}>2[0-3]|[01]?[0-9])\s*(?:h(?![^\W\d_])|{_v('giờ')}|g(?=[0-9])|:(?=[0-5][0-9]))"
        rf"\s*(?P<tm{k}>[0-5][0-9])?(?![0-9])(?:\s*{_v('phút')}(?![^\W\d_]))?"
        rf"(?:\s*(?P<tp{k}>{_alt('sáng', 'trưa', 'chiều', 'tối')})(?![^\W\d_]))?"
    )


# Recurring work (lexicon `recurrence_words`): `hằng`/`mỗi` before a unit, `định kỳ`,
# each unit with its rule (`monthly`) and plural (`every:6months`).
_RECUR_ROWS = lexicon.rows("recurrence_words")
_EVERY_WORDS = tuple(r["word"] for r in _RECUR_ROWS if r["kind"] == "every")
_PERIODIC_WORDS = tuple(r["word"] for r in _RECUR_ROWS if r["kind"] == "periodic")
_RECUR_UNITS = {r["word"]: r["rule"] for r in _RECUR_ROWS if r["kind"] == "unit"}
_UNIT_PLURAL = {r["word"]: r["plural"] for r in _RECUR_ROWS if r["kind"] == "unit" and r["plural"]}
_EVERY = _alt(*_EVERY_WORDS)
_PERIODIC = _alt(*_PERIODIC_WORDS)
# `ngân hàng`, `mặt hàng`: `hàng` is goods there (printed accented only)
_NOT_NOUN = "".join(rf"(?<!{re.escape(r['word'])}\s)" for r in _RECUR_ROWS if r["kind"] == "noun")
_RULE = {fold(w): rule for w, rule in _RECUR_UNITS.items()}
_PLURAL = {fold(w): plural for w, plural in _UNIT_PLURAL.items()}
# The English value of each urgency word (lexicon `urgency_words`).
_URGENCY = {r["word"]: r["value"] for r in lexicon.rows("urgency_words")}


def _urgency_words() -> str:
    """The urgency words as printed (lexicon `urgency_words`), longest first, each a whole
    word not followed by a word that makes it another (`khẩn cấp`, `ngay cả`)."""
    out = []
    for r in sorted(lexicon.rows("urgency_words"), key=lambda r: -len(r["word"])):
        stop = "|".join(map(re.escape, r["not_before"].split()))
        end = r"(?![^\W\d_])" + (rf"(?!\s*(?:{stop}))" if stop else "")
        out += [re.escape(w) + end for w in dict.fromkeys((r["word"], old_tones(r["word"])))]
    return "|".join(out)


# Events a time may be relative to without an amount (lexicon `event_times`).
_EVENT_ROWS = lexicon.rows("event_times")
_EVENT_WORDS = tuple(r["word"] for r in _EVENT_ROWS)
_EVENT_NEEDS_PREP = frozenset(fold(r["word"]) for r in _EVENT_ROWS if r["needs"] == "preposition")

# `từ nay đến …`: a span from the letter on, never a cut-off of past figures.
_FROM_NOW = re.compile(r"[\s*]*từ\s+nay\s+(?:đến|tới)\b", re.I)

# Words that introduce a time: they give the relation and make a period govern
# the work (`trong năm 2025`) rather than qualify its object (`kế hoạch năm 2025`)
# (lexicon `time_prepositions`, with the relation each gives and the urgency it also states).
_PREFIX_ROWS = lexicon.rows("time_prepositions")
_PREFIXES = tuple(r["phrase"] for r in _PREFIX_ROWS)
_RELATION = {" ".join(fold(r["phrase"]).split()): r["relation"] for r in _PREFIX_ROWS}
_PREFIX_URGENCY = {" ".join(fold(r["phrase"]).split()): r["urgency"] for r in _PREFIX_ROWS}

# `14h00, thứ Sáu, ngày 24/10/2025`: a day of the week between a time and its day
# (lexicon `weekdays`).
_WEEKDAYS = lexicon.words("weekdays")
_WEEKDAY = rf"(?:{_alt(*_WEEKDAYS)}{_S},?{_S})?"
_WEEKDAY_END = re.compile(rf"(?<!\w){_alt(*_WEEKDAYS)}[\s*]*,[\s*]*$", re.I)

_ALTERNATIVES = [
    # a time, then its day: `16h00 ngày 12/01/2026`
    rf"(?P<TD>{_time('t')}{_S},?{_S}(?:(?:{_v('của')}|{_v('vào')}){_S1})?{_WEEKDAY}{_date('t')})",
    # `6 tháng đầu năm 2025`, `2 tháng cuối năm`, `những tháng đầu năm 2026`
    rf"(?P<HALF>(?:(?P<hn>{_NUM})|(?P<hw>{_alt('những', 'các')})){_S1}{_THANG}{_S1}(?P<he>{_alt('đầu', 'cuối')})"
    rf"{_S1}{_NAM}(?:{_S1}(?P<hy>{_Y})(?![0-9])|{_S1}(?P<hnay>{_v('nay')})(?![^\W\d_]))?)",
    # `giai đoạn 2026-2030`, `2026 - 2030`, `năm học 2024-2025`
    rf"(?P<SPAN>(?:(?P<sl>{_alt('giai đoạn', 'thời kỳ', 'nhiệm kỳ', 'năm học', 'niên khóa', 'niên khoá', 'niên độ')})"
    rf"{_S}:?{_S})?(?:{_NAM}{_S1})?(?<![0-9])(?P<s1>{_Y}){_S}[-–—]{_S}(?:{_NAM}{_S1})?(?P<s2>{_Y})(?![0-9/]))",
    # `6 tháng một lần`, `6 tháng/lần` (before ANCHOR, which would take `6 tháng`)
    rf"(?P<EVERY>(?P<rn2>{_NUM}){_S1}(?P<ru2>{_alt(*_UNIT_PLURAL)}){_S}"
    rf"(?:{_alt('một', '1')}{_S1}|/{_S}){_v('lần')}(?![^\W\d_]))",
    # `30 ngày kể từ ngày ký`, `15 ngày làm việc kể từ khi nhận được`, `trong 10 ngày`
    rf"(?P<ANCHOR>(?P<an>{_NUM}){_PAREN_ANY}{_S}(?P<au>{_alt('ngày làm việc', 'ngày', 'tuần', 'tháng', 'năm')})"
    rf"(?![\s*]*[0-9])(?![^\W\d_])(?:{_S},?{_S}(?P<af>{_alt('kể từ', 'tính từ', 'từ', 'sau')}){_S1}(?:{_date('a')}"
    rf"|(?P<asign>{_alt('ngày', 'khi')}{_S1}(?:{_DOCW}{_S1})?(?:{_v('này')}{_S1})?(?:{_v('được')}{_S1})?"
    rf"(?:{_v('ký ban hành')}|{_v('ký')}|{_v('ban hành')})(?![^\W\d_])(?:{_S1}{_DOCW}(?:{_S1}{_v('này')})?)?)"
    rf"|(?P<aother>{_alt('ngày', 'khi', 'thời điểm')}(?:\s+[^\s,;.()]+){{1,4}})))?)",
    # `sau khi Sở X hoàn thiện hồ sơ`, `trước Tết Nguyên đán`: a time relative to an event
    # the text does not date (words: lexicon `event_times`)
    rf"(?P<EVENT>(?:{_alt(*_EVENT_WORDS)})(?![^\W\d_]))",
    rf"(?P<DATE>{_date('x')})",
    # a day without its month, kept only when a merge completes it
    rf"(?P<DAY>{_NGAY}{_S}(?<![0-9])(?P<dd>{_D})(?![0-9]){_PAREN})",
    # `trong tháng 10 năm 2025`, `tháng 12/2025`, `cuối tháng 8`, `tháng này`
    rf"(?P<MONTH>(?:(?P<me>{_EDGE}){_S1})?{_THANG}{_S}(?:(?<![0-9])(?P<mm>{_M})(?![0-9]){_PAREN}"
    rf"(?:{_S},?{_S}(?:{_NAM}{_S}|[/.-]{_S})(?P<my>{_Y}))?(?![0-9/])|(?P<mnay>{_v('này')})(?![^\W\d_])))",
    # `12/2025` with no `tháng` (a labelled time line)
    rf"(?P<BM>(?<![0-9/.,])(?P<bm>{_M})\s?/\s?(?P<by>{_Y})(?![0-9/]))",
    # `quý III/2025`, `quý 3 năm 2025`, `quý I`, `quý này`
    rf"(?P<QUARTER>(?:(?P<qe>{_EDGE}){_S1})?{_QUY}{_S}(?:(?P<qq>(?-i:IV|I{{1,3}})|[1-4])(?![^\W\d_]|[0-9])"
    # `quý III, IV/2025`, `quý III-IV/2025`: one period ending with the last quarter
    rf"(?:{_S}[,–-]{_S}(?P<qq2>(?-i:IV|I{{1,3}})|[1-4])(?![^\W\d_]|[0-9]))?"
    rf"(?:{_S},?{_S}(?:{_NAM}{_S}|[/.-]{_S})(?P<qy>{_Y})(?![0-9]))?|(?P<qnay>{_v('này')})(?![^\W\d_])))",
    # `năm 2025`, `cuối năm`, `trong năm`, `năm nay`, `năm tiếp theo`
    rf"(?P<YEAR>(?:(?P<ye>{_EDGE}){_S1})?{_NAM}(?:{_S1}(?P<yy>{_Y})(?![0-9/\-–])"
    rf"|{_S1}(?P<ynay>{_v('nay')})(?![^\W\d_])"
    rf"|{_S1}(?P<yrel>{_alt('tiếp theo', 'kế tiếp', 'tới', 'sau', 'qua', 'vừa qua')})(?![^\W\d_])"
    rf"|(?![\s*]*(?:{_alt('học', 'tài chính')}|[0-9]))(?![^\W\d_])))",
    # `hằng tháng`, `định kỳ 6 tháng`, `định kỳ` (words: lexicon `recurrence_words`)
    rf"(?P<RECUR>(?:{_PERIODIC}{_S1})?{_NOT_NOUN}{_EVERY}{_S1}"
    rf"(?P<rp>{_alt(*_RECUR_UNITS)})(?![\s*]*[0-9])(?![^\W\d_])"
    rf"|{_PERIODIC}{_S1}(?P<rn>{_NUM}){_S1}(?P<ru>{_alt(*_UNIT_PLURAL)})"
    rf"(?:{_S1}(?:{_alt('một', '1')}{_S1}|/{_S}){_v('lần')})?(?![^\W\d_])"
    rf"|{_v('tháng cuối')}{_S1}(?:{_alt(*_EVERY_WORDS, *(f'của {w}' for w in _EVERY_WORDS), 'của')}{_S1})?"
    rf"(?P<rq>{_QUY})(?![^\W\d_])"
    rf"|{_PERIODIC}(?![^\W\d_]))",
    # `thường xuyên`, `liên tục`, `trở đi`, `và các năm tiếp theo`; not `chi thường xuyên` (a budget line)
    rf"(?P<OPEN>(?<!chi\s){_v('thường xuyên')}|{_v('liên tục')}|{_v('trở đi')}|{_v('từ nay về sau')}"
    rf"|{_v('và')}{_S1}{_alt('các', 'những')}{_S1}{_NAM}{_S1}{_alt('tiếp theo', 'kế tiếp', 'sau', 'tới')})(?![^\W\d_])",
    # urgency, accented only: unaccented `khan` (khan hàng) and `ngay` (ngày) are other words
    rf"(?P<URG>{_urgency_words()})",
    # `thời gian tới`, `trong thời gian sớm nhất`, `sớm`, `hôm nay`
    rf"(?P<VAGUE>(?:{_v('thời gian')}|{_v('giai đoạn')}){_S1}{_alt('sắp tới', 'tới', 'sớm nhất', 'gần nhất', 'tiếp theo')}"
    rf"|{_v('sắp tới')}|{_v('sớm')}(?:{_S1}{_v('nhất')})?(?:{_S1}{_v('có thể')})?|{_v('hôm nay')})(?![^\W\d_])",
]
_NAMED = {alt[4 : alt.index(">")]: alt for alt in _ALTERNATIVES}  # `(?P<DATE>…` → DATE
# The preposition before a core is read backwards: the reversed text before
# the core must start with a reversed prefix (one anchored match, no scan).
_PREFIX_REV = re.compile(
    r"[\s*]+(?P<pre>"
    + "|".join(_v(p[::-1]) for p in sorted(_PREFIXES, key=len, reverse=True))
    + r")(?![\w/-])",
    re.IGNORECASE,
)


def _recurrence_openers() -> list[tuple[str, str, str]]:
    """The opener rows of recurring work, from its lexicon: each word that opens
    it, accented and not, with the next word it needs."""

    def both(words: tuple[str, ...]) -> list[str]:
        return sorted({f(w) for w in words for f in (str.lower, fold)})

    units = "(?:" + "|".join(both(tuple(_RECUR_UNITS))) + ")"
    rows = [(" ".join(both(_EVERY_WORDS)), "RECUR", units)]
    for phrase in _PERIODIC_WORDS:
        first, _, rest = phrase.lower().partition(" ")
        nxt = "(?:" + "|".join(both((rest,))) + ")" if rest else ""
        rows.append((" ".join(both((first,))), "RECUR", nxt))
    return rows


def _event_openers() -> list[tuple[str, str, str]]:
    """The opener rows of event-relative times: each first word, accented and not,
    with the next word it needs."""
    rows = []
    for phrase in _EVENT_WORDS:
        first, _, rest = phrase.lower().partition(" ")
        nxt = f"(?:{rest.split()[0]}|{fold(rest.split()[0])})" if rest else ""
        rows.append((" ".join(sorted({first, fold(first)})), "EVENT", nxt))
    return rows


# Trying the whole grammar at every position costs ~4 µs per word. Instead a
# finder marks the words that can open a core, and each such word is matched
# only against the alternatives it can open (in grammar order). The finder runs
# on lower-cased text; it starts with a non-word character and branches on the
# first letter, so `re` skips most positions cheaply.
_DIGIT_ALTS = "TD HALF SPAN EVERY ANCHOR DATE BM"
_NUMBER_ALTS = "HALF EVERY ANCHOR"


def _followed_by(words: str) -> str:
    """A space-separated list of words as the alternation `_OPENING` looks ahead for."""
    alts = [re.escape(w) for w in words.split()]
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"


def _opening_index() -> dict[str, tuple[str, str]]:
    """Each word that opens a time → (the alternatives it opens, the next word it needs):
    lexicon `time_openers`, with the event-relative and recurrence openers and the numbers in
    words (`hai mươi`, `ba tháng`); `năm` stays the year's opener, whose alternatives hold
    the number's."""
    rows = [(r["word"], r["opens"], _time_opener_next(r)) for r in lexicon.rows("time_openers")]
    out = {w: (alts, nxt) for words, alts, nxt in rows for w in words.split()}
    for words, alts, nxt in (*_event_openers(), *_recurrence_openers()):
        out.update(dict.fromkeys(words.split(), (alts, nxt)))
    number = (_NUMBER_ALTS, f"(?:{_NUMBER_NEXT}|ngày|tháng|năm|tuần|quý|\\()")
    for w in lexicon.selected("number_words", "first"):
        out.setdefault(w, number)
    return out


def _time_opener_next(row: dict[str, str]) -> str:
    """The look-ahead of a `time_openers` row: its `next` word, then its `then` word."""
    if not row["next"]:
        return ""
    nxt = _followed_by(row["next"])
    return nxt + "[\\s*]+" + _followed_by(row["then"]) if row["then"] else nxt


_OPENING = _opening_index()


def _opener_regex() -> re.Pattern[str]:
    by_first: dict[str, list[str]] = {}
    for w, (_, nxt) in sorted(_OPENING.items(), key=lambda kv: -len(kv[0])):
        by_first.setdefault(w[0], []).append(
            re.escape(w[1:]) + (f"(?=[\\s*]+{nxt})" if nxt else "")
        )
    branches = [f"{c}(?:{'|'.join(rest)})" for c, rest in by_first.items()] + ["[0-9]+"]
    # What may stand before an opener: spaces, punctuation, markup (`**`), quotes.
    return re.compile(r"[\s(*/\-\"“”'‘’,.;:\[|–—…+](?:" + "|".join(branches) + ")")


_OPENER = _opener_regex()


@functools.cache
def _core(alts: str) -> re.Pattern[str]:
    """The grammar of the alternatives `alts`, compiled on first use: a letter
    opens a few of them, and compiling them all was half of this module's import."""
    return re.compile(
        r"(?<!\w)(?:" + "|".join(_NAMED[n] for n in alts.split()) + ")", re.IGNORECASE
    )


def _openers(text: str, lo: int, hi: int) -> list[tuple[int, re.Pattern[str]]]:
    """Where a core may start, with the grammar to try there."""
    seg = text[lo:hi]
    low = seg.lower()
    if len(low) != len(seg):  # a few letters (İ) grow when lower-cased: keep offsets
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in seg)
    out = []
    for m in _OPENER.finditer(" " + low):
        word = m.group()[1:]
        alts = _DIGIT_ALTS if word[0].isdigit() else _OPENING[word][0]
        out.append((lo + m.start(), _core(alts)))
    return out


# A time printed after its day: `ngày 12/01/2026 (trước 16 giờ)`, `…, lúc 14h00`
_TIME_AFTER = re.compile(
    rf"{_S}[,(]?{_S}(?:{_alt('vào lúc', 'lúc', 'trước', 'chậm nhất', 'vào')}{_S1})?{_time('r')}\)?",
    re.I,
)
# What a number counts (`3/5 năm`, `3-5 lần`, `50%`): after one it is no date (`count_units.tsv`).
_UNIT_AFTER = re.compile(r"\s*(?:" + lexicon.literal("count_units") + ")", re.I)
# What may stand between two atoms that form one expression
_RANGE_GAP = re.compile(rf"{_S},?{_S}", re.I)
_DASH_GAP = re.compile(rf"{_S}[-–—]{_S}")
_TAIL_GAP = re.compile(rf"{_S}(?:[,;]|{_v('và')}|{_v('hoặc')})?{_S}", re.I)
# `tháng 9 - 12/2025`, `tháng 11, 12/2025`: a month without its year that opens a range or
# a list ending with a dated month (one period, ending when that month does)
_MONTH_RANGE_TAIL = re.compile(rf"{_S}(?:[-–,]|{_v('và')}){_S}[0-9]{{1,2}}\s?/\s?[0-9]{{4}}", re.I)
_AND_GAP = re.compile(rf"{_S}(?:,|{_v('và')}){_S}", re.I)
_RECUR_GAP = re.compile(rf"{_S}[,(]?{_S}(?:{_v('của')}{_S1})?", re.I)

# Left-context tests (on the clause before an atom)
# A clause ends at `;`, a full stop, a blank line or a new list item; a bare
# line break is a hard wrap of a PDF or a crawl, not a boundary.
_BOUND_RE = r"[;]|\.(?=[\s*)\]]|$)|\n(?=[ \t*]*(?:\n|[-+•]|[0-9IVX]{1,4}[./)]\s|[a-zđ]\)))"
_LAST_BOUND = re.compile(rf".*(?:{_BOUND_RE})", re.S)
# A time label (lexicon `time_labels`) and up to four words, then `:`.
_TIME_LABELS = lexicon.words("time_labels")
# A planned time keeps the label's value the work's (`Thời gian: Dự kiến tháng 11/2025`):
# lexicon `time_hedges`.
_TIME_HEDGES = lexicon.words("time_hedges")
_LABEL_END = re.compile(
    rf"(?:{_alt(*_TIME_LABELS)})"
    rf"(?:[ \t]+[^\s:;.,]+){{0,4}}[ \t*]*:[\s*]*(?:(?:{_alt(*_TIME_HEDGES)})[ \t]+)?$",
    re.I,
)
# The same label as the heading of a lettered or numbered sub-item, its value on the next line
# (`c) Thời gian thực hiện` / `Quý IV/2025.`, §3 rule 6).
_LABEL_HEAD_END = re.compile(
    r"(?:^|\n)[ \t]*(?:[a-zđ]\)|\d{1,2}(?:\.\d{1,2}){0,2}[.)])[ \t]*"
    rf"(?:{_alt(*_TIME_LABELS)})(?:[ \t]+[^\s:;.,]+){{0,3}}[ \t]*\n[\s*]*$",
    re.I,
)
_CITE_NUM = re.compile(r"[0-9]+[a-zA-Z]?(?:\s?[-/–]\s?[0-9A-Za-zĐđ.&]+)+[\s*]*,?[\s*]*$")
# Words before the date of a cited document, in order (lexicon `citation_words`).
_CITE_WORDS = lexicon.words("citation_words")
# `tại cuộc họp …`, `dự hội nghị …` (lexicon `meeting_words`): the meeting's date.
_MEETING_NOUNS = lexicon.selected("meeting_words", "kind", "meeting")
_MEETING_BEFORE = lexicon.selected("meeting_words", "kind", "before")
_MEETING = re.compile(
    rf"(?:(?:{'|'.join(map(re.escape, _MEETING_BEFORE))})\s+(?:\w+\s+)?(?:{'|'.join(map(re.escape, _MEETING_NOUNS))})"
    r"|(?:dự|tham dự)\s+họp)(?![^\W\d_])[^.;]{0,60}$",
    re.I,
)
_EFFECT = re.compile(
    r"(?:hiệu lực(?:\s+thi\s+hành)?|áp dụng|thi hành)\s*(?:kể\s+)?(?:từ\s+)?$", re.I
)
# `số liệu … từ ngày 01/01 đến ngày 30/6`: the period of the data. A complement
# with `với` closes the data's noun phrase: what follows times the work
# (`đối chiếu số liệu tạm ứng với các chủ đầu tư từ tháng 10 đến tháng 12`).
_DATA_WORDS = lexicon.words("data_words")
_DATA = re.compile(
    rf"(?:{'|'.join(map(re.escape, _DATA_WORDS))})(?:(?!(?<!\w)với(?!\w))[^.;]){{0,40}}$", re.I
)
# `kinh phí được giao bổ sung trong năm` (lexicon `allotment_verbs`): the period of what
# was allotted, not of the work.
_ALLOT_WORDS = lexicon.words("allotment_verbs")
_ALLOTTED = re.compile(rf"(?<!\w)được\s+{_alt(*_ALLOT_WORDS)}[\s*]*$", re.I)
# `X, ngày 14 tháng 9 năm 2025`: the letter's own date line
_PLACE_DATE = re.compile(r"(?-i:[A-ZĐ][^\s,;.]*\.?(?:\s+[A-ZĐ][^\s,;.]*){0,3})\s?,[\s*]*$")
_COPULA = re.compile(r"[\s*]+(?:là|được xác định là)(?![^\W\d_])", re.I)
# `Từ nay đến hết năm 2025 chỉ còn gần 2 tháng`: the time left is what the sentence is about.
_TIME_LEFT = re.compile(r"[\s*,]+(?:chỉ\s+)?còn(?:\s+lại)?\s+(?:khoảng\s+|gần\s+|hơn\s+)?\d", re.I)
# `vừa qua, ngày …` (lexicon `narrative_leads`): a past event's date.
_NARRATIVE_WORDS = lexicon.words("narrative_leads")
_NARRATIVE_LEAD = re.compile(rf"(?:{'|'.join(map(re.escape, _NARRATIVE_WORDS))})\s*,?\s*$", re.I)


@functools.cache
def _quoted_request() -> re.Pattern[str]:
    """Words by which a clause reports an earlier request (`đã có văn bản yêu cầu`)."""
    return re.compile("|".join(lexicon.words("quoted_request")), re.I)


@functools.cache
def _title() -> re.Pattern[str]:
    """A period after a document's or a meeting's title names it (`Chiến lược … đến năm 2030`)."""
    titles = lexicon.alternation("named_periods", "kind", "title")
    tails = lexicon.alternation("named_periods", "kind", "tail")
    return re.compile(rf"(?:(?-i:{titles})[^,;:()\n]{{0,80}}|(?:{tails})\s*)$", re.I)


# ---------------------------------------------------------------------------
# Values


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """One time expression. `date` is the due day (a period's last day, a
    range's end, an anchor resolved against the document's date) or None;
    `is_due` says whether the rules let it be a deadline, `note` why not."""

    kind: str
    date: str | None
    time: str | None
    relation: str | None
    recurrence: str | None
    urgency: str | None
    raw: str
    span: tuple[int, int]
    is_due: bool
    note: str | None = None
    relative: RelativeDue | None = None  # `30 ngày kể từ ngày nhận`: counted from an event


@dataclass(slots=True)
class _Atom:
    kind: str  # grammar kind before merges: date, day, period, span, anchor, ...
    s: int
    e: int
    rel: str | None  # from the prefix: before, until, from, within, on, end, cutoff
    end: date | None = None
    time: str | None = None
    ymd: tuple[int | None, int, int] | None = None  # a printed day, year maybe missing
    rec: str | None = None
    urg: str | None = None
    has_ngay: bool = False
    vague: bool = False
    name: bool = False  # `năm học 2024-2025`: a span inside a name
    merged: bool = False  # a range's end, or a tail merged in
    relative: RelativeDue | None = None  # an anchor counted from an event


@functools.lru_cache(maxsize=1024)
def _words_to_int(s: str) -> int | None:
    s = s.strip().lower()
    if s.isdigit():
        return int(s)
    n = 0
    for w in s.split():
        value = _NUMBER_VALUE.get(w, "0")
        n = (n * 10 if n else 10) if value == "x10" else n + int(value)
    return n or None


def _relation_of(pre: str | None) -> str | None:
    """The relation a preposition gives its time (lexicon `time_prepositions`)."""
    # A spelling `re.I` reads but `fold` keeps apart (`ſau`) ends the work, as a phrase
    # none of whose words gives a relation did before the list was data.
    return _RELATION.get(" ".join(fold(pre).split()), "end") if pre else None


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _roll(doc: date | None, m: int, d: int) -> date | None:
    """A day without a year: the first such day on or after the document's date."""
    if doc is None:
        return None
    for y in (doc.year, doc.year + 1, doc.year + 2, doc.year + 3, doc.year + 4):
        try:
            day = date(y, m, d)
        except ValueError:  # 29/02 in a common year
            continue
        if day >= doc:
            return day
    return None


def _roll_period(doc: date | None, last_month: int) -> date | None:
    """A month or quarter without a year: the first one not over at the document's date."""
    if doc is None:
        return None
    end = _month_end(doc.year, last_month)
    return end if end >= doc else _month_end(doc.year + 1, last_month)


@functools.lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    """Vietnam's public holidays (ngày nghỉ lễ, Tết) of a year, from the `holidays` package."""
    # Imported here: the package (50 ms) is needed only for a due date counted
    # in working days, which most letters do not have.
    import holidays

    return frozenset(holidays.country_holidays("VN", years=year))


def _add(base: date, n: int, unit: str) -> date:
    if unit == "working_day":  # ngày làm việc: weekends and public holidays skipped
        d, left = base, n
        while left > 0:
            d += timedelta(days=1)
            if d.weekday() < 5 and d not in _public_holidays(d.year):
                left -= 1
        return d
    if unit == "day":
        return base + timedelta(days=n)
    if unit == "week":
        return base + timedelta(weeks=n)
    months = n * (12 if unit == "year" else 1)
    y, m = divmod(base.month - 1 + months, 12)
    y += base.year
    return date(y, m + 1, min(base.day, calendar.monthrange(y, m + 1)[1]))


def _parse_doc_date(doc_date: str | None) -> date | None:
    if not doc_date:
        return None
    try:
        doc = date.fromisoformat(doc_date[:10])
    except ValueError:
        return None
    return doc if 1900 <= doc.year <= 2100 else None  # keeps date arithmetic in range


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def _clock(g: re.Match[str], k: str) -> str:
    h = int(g.group(f"th{k}"))
    mins = int(g.group(f"tm{k}") or 0)
    part = fold(g.group(f"tp{k}") or "")
    if part in ("chieu", "toi") and h < 12:
        h += 12
    return f"{h:02d}:{mins:02d}"


def _ymd(g: re.Match[str], k: str) -> tuple[int | None, int, int] | None:
    d = int(g.group(f"d{k}"))
    if g.group(f"m{k}"):
        m, y_txt = int(g.group(f"m{k}")), g.group(f"y{k}")
    else:
        m, y_txt = int(g.group(f"n{k}")), g.group(f"z{k}")
    y = None if not y_txt else int(y_txt) + (2000 if len(y_txt) == 2 else 0)
    if y is not None:
        try:
            date(y, m, d)
        except ValueError:
            return None
    elif d > calendar.monthrange(2024, m)[1]:  # 2024: allow 29/02
        return None
    return (y, m, d)


def _resolve(ymd: tuple[int | None, int, int], doc: date | None) -> date | None:
    y, m, d = ymd
    return date(y, m, d) if y is not None else _roll(doc, m, d)


# ---------------------------------------------------------------------------
# Scanning


# One reader per alternative of the grammar: fill in the atom, or return
# False when the match is not a time after all.


def _read_day(a: _Atom, g: re.Match[str], text: str, hi: int, doc: date | None) -> bool:
    k = "t" if g.lastgroup == "TD" else "x"
    ymd = _ymd(g, k)
    if ymd is None:
        return False
    # `1/2`, `3.5`, `từ 3-5 năm` with no `ngày` and no year are not dates;
    # `trước 15/9` is, and so is the value of a time label (`Thời hạn: 25/12`,
    # §3 rule 6: the labelled time line gives the deadline).
    sep = g.group(f"sep{k}")
    bare = not g.group(f"ng{k}") and ymd[0] is None and sep
    if bare and (sep != "/" or _UNIT_AFTER.match(text, a.e)):
        return False
    if bare and a.rel is None and not _Left(text, 0, a.s).label():
        return False
    a.kind, a.ymd, a.has_ngay = "date", ymd, bool(g.group(f"ng{k}"))
    if k == "t":
        a.time = _clock(g, "t")
    elif t := _TIME_AFTER.match(text, a.e, hi):
        a.time, a.e = _clock(t, "r"), t.end()
    a.end = _resolve(ymd, doc)
    return True


def _read_day_only(a: _Atom, g: re.Match[str], text: str, hi: int, doc: date | None) -> bool:
    a.kind, a.ymd, a.has_ngay = "day", (None, 0, int(g.group("dd"))), True
    return True


def _read_half(a: _Atom, g: re.Match[str], text: str, hi: int, doc: date | None) -> bool:
    year = int(g.group("hy")) if g.group("hy") else (doc.year if doc else None)
    first = fold(g.group("he")) == "dau"
    if g.group("hw"):  # `những tháng đầu năm`: how many months is not said
        a.vague, last = first, 12
    else:
        n = _words_to_int(g.group("hn")) or 0
        if not 1 <= n <= 12:
            return False
        last = n if first else 12
    a.kind, a.end = "period", _month_end(year, last) if year else None
    return True


def _read_span(a: _Atom, g: re.Match[str], text: str, hi: int, doc: date | None) -> bool:
    y1, y2 = int(g.group("s1")), int(g.group("s2"))
    a.kind, a.end = "span", date(y2, 12, 31)
    a.name = fold(g.group("sl") or "").startswith(("nam hoc", "nien", "nhiem ky"))
    return 0 < y2 - y1 <= 30


def _read_anchor(a: _Atom, g: re.Match[str], text: str, hi: int, doc: date | None) -> bool:
    n = _words_to_int(g.group("an"))
    if n is None or (not g.group("af") and a.rel is None):
        return False  # a bare `15 ngày` is a length, not a time
    unit = _UNIT_EN.get(" ".join(fold(g.group("au")).split()), "year")
    a.kind, a.rel = "anchor", "before"
    if g.group("da"):  # `kể từ ngày 01/7/2025`: a dated start
        if (ymd := _ymd(g, "a")) and (base := _resolve(ymd, doc)):
            a.end = _add(base, n, unit)
        return True
    event = g.group("asign") or g.group("aother")
    anchor = "issue" if g.group("asign") else _anchor_of(event) if event else "unstated"
    a.relative = RelativeDue(amount=n, unit=unit, anchor=anchor, anchor_raw=event)
    if anchor == "issue" and doc is not None:  # `kể từ ngày ký`: the document's date
        a.end = _add(doc, n, unit)
    return True


_UNIT_EN: dict[str, Literal["day", "working_day", "week", "month", "year"]] = {
    "ngay lam viec": "working_day",
    "ngay": "day",
    "tuan": "week",
    "thang": "month",
}
# The event a time limit counts from, by its words (lexicon `relative_anchors`).
_ANCHOR_WORDS = {fold(r["word"]): r["anchor"] for r in lexicon.rows("relative_anchors")}


def _anchor_of(event: str) -> Literal["receipt", "issue", "event"]:
    """`ngày nhận được văn bản` → `receipt`; an event the lexicon does not name → `event`.
    The word must open the event (`ngày rút tiền ký quỹ` is not a signing)."""
    words = fold(event).split()
    skip = 2 if words[:2] == ["thoi", "diem"] else 1  # `ngày`, `khi`, `thời điểm`
    rest = " ".join(words[skip + (words[skip : skip + 1] == ["duoc"]) :]) + " "
    for word, anchor in _ANCHOR_WORDS.items():
        if rest.startswith(f"{word} "):
            return "receipt" if anchor == "receipt" else "issue"
    return "event"


def _read_month(a: _Atom, g: re.Match[str], text: str, hi: int, doc: date | None) -> bool:
    bare = g.lastgroup == "BM"
    edge = "" if bare else fold(g.group("me") or "")
    if not bare and g.group("mnay"):
        a.end = _month_end(doc.year, doc.month) if doc else None
    else:
        m = int(g.group("bm" if bare else "mm"))
        y_txt = g.group("by" if bare else "my")
        if (
            not y_txt
            and a.rel is None
            and not edge
            and not _Left(text, max(0, a.s - 70), a.s).label()
            and not _MONTH_RANGE_TAIL.match(text, a.e)
        ):
            return False  # a bare `tháng 8` is a piece of something else
        a.end = _month_end(int(y_txt), m) if y_txt else _roll_period(doc, m)
    a.kind, a.vague = "period", edge in ("dau", "giua")
    return True


def _read_quarter(a: _Atom, g: re.Match[str], text: str, hi: int, doc: date | None) -> bool:
    if g.group("qnay"):
        a.end = _month_end(doc.year, 3 * ((doc.month - 1) // 3 + 1)) if doc else None
    else:
        qq = g.group("qq2") or g.group("qq")
        last = 3 * (int(qq) if qq.isdigit() else _ROMAN[qq.lower()])
        a.end = _month_end(int(g.group("qy")), last) if g.group("qy") else _roll_period(doc, last)
    a.kind, a.vague = "period", fold(g.group("qe") or "") in ("dau", "giua")
    return True


def _read_year(a: _Atom, g: re.Match[str], text: str, hi: int, doc: date | None) -> bool:
    edge = fold(g.group("ye") or "")
    if g.group("yrel"):  # `năm tiếp theo` after an event; `năm qua` is behind us
        a.kind = "vague" if fold(g.group("yrel")) in ("qua", "vua qua") else "anchor"
        a.rel = None
        return True
    if g.group("yy"):
        year: int | None = int(g.group("yy"))
    elif g.group("ynay") or edge == "cuoi" or a.rel in ("within", "end", "until"):
        year = doc.year if doc else None  # `trong năm`, `cuối năm`: the document's year
    else:
        return False  # `năm` as a unit or a numeral
    a.kind, a.vague = "period", edge in ("dau", "giua")
    a.end = date(year, 12, 31) if year else None
    return True


def _read_recurrence(a: _Atom, g: re.Match[str], text: str, hi: int, doc: date | None) -> bool:
    if g.lastgroup == "EVERY":  # `6 tháng một lần`
        n, unit = g.group("rn2"), g.group("ru2")
    elif g.group("rp"):  # `hằng tháng`
        n, unit = "1", g.group("rp")
    elif g.group("rq"):  # `tháng cuối quý`
        n, unit = "1", "quý"
    elif g.group("rn"):  # `định kỳ 6 tháng`
        n, unit = g.group("rn"), g.group("ru")
    else:  # `định kỳ`
        n, unit = "1", "kỳ"
    every, key = _words_to_int(n) or 1, fold(unit)
    a.kind = "recurrence"
    a.rec = _RULE[key] if every == 1 else f"every:{every}{_PLURAL[key]}"
    return True


def _read_event(a: _Atom, g: re.Match[str], text: str, hi: int, doc: date | None) -> bool:
    """`sau khi …`; `trước Tết`, `dịp Tết` (a holiday needs a preposition: `chăm lo Tết`
    names the holiday, not a time)."""
    needs_prep = fold(g.group("EVENT")) in _EVENT_NEEDS_PREP
    after_dip = fold(text[max(0, a.s - 8) : a.s]).rstrip(" *").endswith("dip")
    if needs_prep and a.rel is None and not after_dip:
        return False
    a.kind = "event"
    return True


def _read_word(a: _Atom, g: re.Match[str], text: str, hi: int, doc: date | None) -> bool:
    kind = g.lastgroup
    a.kind = {"OPEN": "open_ended", "URG": "urgency", "VAGUE": "vague"}[kind or ""]
    if kind == "URG":
        a.urg = fold_key(g.group("URG"))  # `hoả tốc` is `hỏa tốc`
    return True


_READERS = {
    "TD": _read_day,
    "DATE": _read_day,
    "DAY": _read_day_only,
    "HALF": _read_half,
    "SPAN": _read_span,
    "ANCHOR": _read_anchor,
    "MONTH": _read_month,
    "BM": _read_month,
    "QUARTER": _read_quarter,
    "YEAR": _read_year,
    "RECUR": _read_recurrence,
    "EVERY": _read_recurrence,
    "EVENT": _read_event,
    "OPEN": _read_word,
    "URG": _read_word,
    "VAGUE": _read_word,
}


def _atom(g: re.Match[str], text: str, floor: int, hi: int, doc: date | None) -> _Atom | None:
    """Read one core match, with the preposition right before it (not before `floor`)."""
    rev = text[max(floor, g.start() - 48) : g.start()][::-1]
    p = _PREFIX_REV.match(rev)
    pre = p.group("pre")[::-1] if p else None
    a = _Atom(kind="", s=g.start() - (p.end() if p else 0), e=g.end(), rel=_relation_of(pre))
    if pre and (urg := _PREFIX_URGENCY.get(" ".join(fold(pre).split()))):
        a.urg = urg  # `ngay trong tháng 5`: urgent too
    return a if _READERS[g.lastgroup or ""](a, g, text, hi, doc) else None


# A year printed in a period (`Quý III/2026`, `tháng 10 năm 2025`).
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _merge(atoms: list[_Atom], text: str, doc: date | None) -> list[_Atom]:
    """Join neighbours that are one expression: a range, a day of a recurring
    cycle, a time followed by an open-ended tail."""
    out: list[_Atom] = []
    for a in atoms:
        if out:
            p = out[-1]
            gap = text[p.e : a.s]
            dated = ("date", "day", "period", "span")
            # `từ ngày 10/5 đến hết ngày 14/5/2026`, `ngày 10-14/5/2026`, `từ tháng 9 đến tháng 12/2025`
            if (
                p.kind in dated
                and a.kind in ("date", "period", "span")
                and (
                    (p.rel == "from" and a.rel == "until" and _RANGE_GAP.fullmatch(gap))
                    or (p.rel in (None, "from") and a.rel is None and _DASH_GAP.fullmatch(gap))
                )
            ):
                end = a.end
                if a.ymd and a.ymd[0] is None and p.ymd and p.ymd[0] is not None and p.ymd[1]:
                    # `từ ngày 20/12/2025 đến ngày 10/01`: the end follows the start's year
                    end = _roll(date(p.ymd[0], p.ymd[1], p.ymd[2]), a.ymd[1], a.ymd[2])
                out[-1] = replace(
                    a, kind="range", s=p.s, end=end, rel="until", merged=True, has_ngay=False
                )
                continue
            # `ngày 25 hằng tháng`, `hằng năm (trước ngày 15 tháng 11)`
            if (
                _RECUR_GAP.fullmatch(gap)
                and {p.kind, a.kind} & {"recurrence"}
                and {p.kind, a.kind} & {"day", "date"}
            ):
                r, d = (a, p) if a.kind == "recurrence" else (p, a)
                if d.ymd and d.ymd[0] is None and r.rec in ("monthly", "quarterly", "yearly"):
                    rule = (
                        f"yearly:month={d.ymd[1]},day={d.ymd[2]}"
                        if r.rec == "yearly"
                        else f"{r.rec}:day={d.ymd[2]}"
                    )
                    if r.rec != "yearly" or d.ymd[1]:
                        out[-1] = _Atom("recurrence", p.s, a.e, d.rel, rec=rule, merged=True)
                        continue
            # `trong Quý I và Quý II năm 2020`, `trong tháng 10, tháng 11 năm 2025`: one
            # period governed by the first one's preposition, ending with the last
            if (
                p.kind == "period"
                and a.kind == "period"
                and a.rel is None
                and not (p.vague or a.vague)
                and _AND_GAP.fullmatch(gap)
                and not _YEAR.search(text, p.s, p.e)
            ):
                # Each with a year of its own (`Quý III/2026 và Quý III/2027`): two dates of
                # the work, the earliest its deadline (§3 deadline), not one span.
                out[-1] = replace(a, s=p.s, rel=p.rel, merged=True)
                continue
            # `Tháng 12/2013 và thường xuyên`, `năm 2025 và các năm tiếp theo`, `từ năm 2013 trở đi`
            if p.kind in (*dated, "range") and a.kind == "open_ended" and _TAIL_GAP.fullmatch(gap):
                out[-1] = _Atom("open_ended", p.s, a.e, p.rel, merged=True)
                continue
            # `trong 02 tháng cuối năm 2025 và những tháng đầu năm 2026`: a period that
            # runs on into a vague one ends when that one does, which is not said (§3).
            vague = a.kind == "vague" or (a.kind == "period" and a.vague)
            if p.kind in (*dated, "range") and vague and _TAIL_GAP.fullmatch(gap):
                out[-1] = _Atom("vague", p.s, a.e, p.rel, merged=True)
                continue
        out.append(a)
    return [a for a in out if a.kind != "day"]


def _clause_left(text: str, lo: int, s: int) -> str:
    """The text of the clause before position `s` (at most 160 characters)."""
    w = text[max(lo, s - 160) : s]
    m = _LAST_BOUND.match(w)
    return w[m.end() :] if m else w


class _Left:
    """The clause before an atom and the tests the rules ask of it. Each test
    looks at the clause's tail and first checks for its key words: `$`-anchored
    searches over long strings would dominate the run time."""

    def __init__(self, text: str, lo: int, s: int) -> None:
        self.text = _clause_left(text, lo, s)
        self.low = self.text.lower()
        self.bare = self.text.strip(" \t*-+•(")

    def at_start(self) -> bool:  # a clause's first words, or a list's or label's value
        return not self.bare or self.bare.endswith(":")

    def label(self) -> bool:
        if "\n" in self.text[-4:] and _LABEL_HEAD_END.search(self.text[-70:]):
            return True
        # The colon may stand a planned-time word before the value (`Thời gian: Dự kiến …`).
        return ":" in self.text[-20:] and bool(_LABEL_END.search(self.text[-70:]))

    def cited(self) -> bool:
        if self.text.rstrip(" \t*_").endswith(":"):
            return False  # a label's value (`Thời hạn báo cáo: ngày 10/6/2026`), no citation
        tail = self.text[-60:]
        if _CITE_NUM.search(tail) and re.search(r"[A-ZĐ]", tail[-30:]):
            return True
        t = self.low[-40:].rstrip(" \t\n*:,|")
        t = t[:-2].rstrip() if t.endswith("số") else t
        word = next((w for w in _CITE_WORDS if t.endswith(w)), None)
        if word is None:
            return False
        before = t[: -len(word)]
        return not before[-1:].isalnum() and not (word == "ký" and before.endswith("đăng "))

    def title(self) -> bool:
        words = lexicon.words("named_periods")
        return any(w in self.text for w in words) and bool(_title().search(self.text[-120:]))

    def meeting(self) -> bool:
        return any(k in self.low for k in _MEETING_NOUNS) and bool(
            _MEETING.search(self.text[-100:])
        )

    def effective(self) -> bool:
        keys = ("hiệu lực", "áp dụng", "thi hành")
        return any(k in self.low for k in keys) and bool(_EFFECT.search(self.text[-30:]))

    def data(self) -> bool:
        return any(k in self.low for k in _DATA_WORDS) and bool(_DATA.search(self.text[-80:]))

    def allotted(self) -> bool:
        return "đư" in self.low[-30:] and bool(_ALLOTTED.search(self.text[-30:]))

    def place_date(self) -> bool:
        if "," not in self.text[-4:] or _WEEKDAY_END.search(self.text[-16:]):
            return False  # `thứ Sáu, ngày 24/10/2025` is an event's day, no place
        return bool(_PLACE_DATE.search(self.text[-50:]))

    def narrative_lead(self) -> bool:
        return bool(_NARRATIVE_LEAD.search(self.text[-20:]))

    def quoted_request(self) -> bool:  # `… đã có văn bản yêu cầu … trước ngày …`
        return bool(_quoted_request().search(self.text))


# A period's year as printed (`tháng 7/2025`, `quý III năm 2025`).
_PRINTED_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
# A completion told as done (`đã hoàn thành`, `đã được hoàn thành`): the past, not a due time.
_DONE = re.compile(r"\bđã\s+(?:được\s+)?hoàn thành")


def _own_past_period(a: _Atom, text: str, lo: int) -> bool:
    """§6 Heading times: a plan's own due date printed with its year stays the deadline even
    when it falls before the letter's date; so does a due period so printed, governed by the
    verb of completion (`hoàn thành trong tháng 7/2025`), not a quoted earlier request nor a
    completion told as done (`giai đoạn 1 đã hoàn thành trong tháng 7/2025`: no due date)."""
    if a.kind != "period" or a.vague or a.rel not in ("before", "within", "end"):
        return False
    if not _PRINTED_YEAR.search(text, a.s, a.e):
        return False
    left = _Left(text, lo, a.s)
    said = (left.low[-30:] + " " + text[a.s : a.e]).lower()
    if "hoàn thành" not in said or _DONE.search(said):
        return False
    return not left.quoted_request()


def _judge(a: _Atom, text: str, lo: int, hi: int, doc: date | None) -> TimeExpr:
    """Decide kind, relation and whether the rules let this be a due date."""

    def out(kind: str, day: date | None, relation: str | None, note: str | None) -> TimeExpr:
        if note is None and day is None:
            note = "no year and no document date"
        if note is None and doc is not None and day is not None and day < doc and not own_past:
            note = "past"
        iso = day.isoformat() if day else None
        raw = text[a.s : a.e]
        return TimeExpr(
            kind,
            iso,
            a.time,
            relation,
            a.rec,
            a.urg,
            raw,
            (a.s, a.e),
            note is None,
            note,
            a.relative,
        )

    # §6: a due date printed with its year (`hoàn thành trước ngày 15/8/2025`)
    # stays the task's deadline even when it falls before the letter's date;
    # a past deadline quoted from an earlier request is not one (§3).
    own_past = (
        a.kind == "date"
        and a.rel == "before"
        and a.ymd is not None
        and a.ymd[0] is not None
        and not _Left(text, lo, a.s).quoted_request()
    ) or _own_past_period(a, text, lo)
    if a.kind in ("recurrence", "open_ended", "urgency", "vague"):
        return out(a.kind, None, None, a.kind)
    if a.kind == "event":
        return out("event", None, None, "relative to an event without a date")
    if a.kind == "anchor":
        return out("anchor", a.end, a.rel, None if a.end else "relative to an event without a date")
    left = _Left(text, lo, a.s)
    if a.kind == "range":
        return out(
            "range", a.end, "until", "data period" if a.rel == "cutoff" or left.data() else None
        )
    if a.rel == "from":
        return out("start", a.end, "from", "start date")
    if a.kind == "date":
        kind = "datetime" if a.time else "date"
        relation = {"before": "before", "until": "until", "end": "until", "cutoff": "until"}.get(
            a.rel or "", "on"
        )
        if a.rel is None and "hạn" in left.low[-40:] and left.label():
            relation = "before"  # `Thời hạn hoàn thành: 15/5/2025`
        plain = a.rel in (None, "on")
        followed_by_comma = text[a.e : min(hi, a.e + 3)].lstrip(" *").startswith(",")
        note = None
        if a.rel is None and left.cited():
            note = "date of a cited document"
        elif (
            not left.bare
            and followed_by_comma
            and (plain or a.rel in ("until", "end"))
            and not _FROM_NOW.match(text, a.s)
        ):
            # `Ngày 01/8/2025, tại trụ sở …`, `Đến hết ngày 23/10/2018, toàn ngành …`; not
            # `Từ nay đến ngày 31/12/2025, …`: from now until, the time the work is done in
            # (§3 deadline: a range during which the work is done gives its last day)
            note = "narrative date" if plain else "statistic cut-off"
        elif a.rel is None and a.has_ngay and left.place_date():
            note = "date of the letter"
        elif plain and left.narrative_lead():
            note = "narrative date"
        elif plain and left.meeting():
            note = "meeting date"
        elif plain and left.effective():
            note = "effective date"
        elif a.rel == "cutoff" or (a.rel in ("until", "end") and left.data()):
            note = "statistic cut-off"
        return out(kind, a.end, relation, note)
    # a period or a span of years
    if a.vague:
        return out("vague", None, None, "vague period")
    relation = {"before": "before", "until": "until"}.get(a.rel or "", "by_end_of")
    note = None
    if a.name:
        note = "span inside a name"
    elif a.rel in (None, "until") and not left.label() and left.title():
        note = "inside a title"
    elif a.rel is None and not (left.at_start() or left.label()):
        note = "qualifies the object"  # `vốn đầu tư công năm 2025`
    elif a.rel in (None, "within") and left.allotted():
        note = "qualifies the object"  # `kinh phí được giao bổ sung trong năm`
    elif a.rel is None and _COPULA.match(text, a.e):
        note = "subject of a sentence"  # `Năm 2025 là năm cuối …`
    elif a.rel in (None, "until") and _TIME_LEFT.match(text, a.e):
        note = "subject of a sentence"  # `Từ nay đến hết năm 2025 chỉ còn gần 2 tháng`
    elif a.rel == "cutoff":
        note = "statistic cut-off"
    return out("period", a.end, relation, note)


_TIMES_READ = PerText()
_OPENERS_READ = PerText()


def find_times(
    text: str, start: int = 0, end: int | None = None, *, doc_date: str | None
) -> list[TimeExpr]:
    """Every time expression in `text[start:end]`, spans absolute.

    Read once per span and date of a letter: an item's text is asked for by its
    actors, its deadline and its recurrence (the expressions are frozen; the list
    is copied)."""
    read = _TIMES_READ.of(text)
    key = (start, end, doc_date)
    if key not in read:
        read[key] = tuple(_find_times(text, start, end, doc_date))
    return list(read[key])


def _find_times(text: str, start: int, end: int | None, doc_date: str | None) -> list[TimeExpr]:
    hi = len(text) if end is None else max(0, min(end, len(text)))
    lo = max(0, min(start, hi))
    doc = _parse_doc_date(doc_date)
    atoms: list[_Atom] = []
    last = lo
    openers = _OPENERS_READ.of(text)  # where cores may start: the same for any date
    if (lo, hi) not in openers:
        openers[lo, hi] = _openers(text, lo, hi)
    for p, core in openers[lo, hi]:
        if p < last:
            continue
        g = core.match(text, p, hi)
        if g and (a := _atom(g, text, last, hi, doc)):
            atoms.append(a)
            last = a.e
    return [_judge(a, text, lo, hi, doc) for a in _merge(atoms, text, doc)]


# ---------------------------------------------------------------------------
# One task's deadline

_BOUND = re.compile(_BOUND_RE)
# A time label (lexicon `time_labels`, as `_LABEL_END`) and up to four words, then `:`.
_LABEL = re.compile(
    rf"(?<!\w)(?:{_alt(*_TIME_LABELS)})"
    rf"(?:[ \t]+[^\s:;.,]+){{0,4}}[ \t*]*:",
    re.I,
)
# Or the label of the activity's next line (lexicon `item_attributes`, column `time_stop`).
_NEXT_LABELS = "|".join(
    re.escape(w.capitalize()) for w in lexicon.selected("item_attributes", "time_stop")
)
_LABEL_STOP = re.compile(
    rf"{_BOUND_RE}|\s[-–+]\s+(?=[A-ZĐ])|(?<=\s)(?:{_NEXT_LABELS})[^:\n]{{0,40}}:"
)
# Case spelled out rather than re.I: alternatives that start with a plain
# letter let `re` skip other positions by their first character.
_PURPOSE = re.compile(r"(?:để|Để|nhằm|Nhằm)(?![^\W\d_])")


def _handover() -> str:
    """The phrases that hand the work to another body (lexicon `handover_verbs`), each in
    lower case and capitalised (case spelled out, as `_PURPOSE`), not before its
    `not_before` word (`gửi kèm`: sent along)."""
    alts = []
    for r in lexicon.rows("handover_verbs"):
        unless = rf"(?!\s+{re.escape(r['not_before'])})" if r["not_before"] else ""
        for p in (r["phrase"], r["phrase"].capitalize()):
            alts.append(r"\s+".join(map(re.escape, p.split())) + unless)
    return "|".join(alts)


# The work is handed to another body, whose own steps follow `để …`
_HANDOVER = re.compile(_handover())
# `Báo cáo …, trong đó tập trung: - …`: the points spell out the content of one
# deliverable (§3 rule 2); a period there (`nhiệm vụ trong năm 2026`) is what
# the report is about, not when it is due.
_CONTENT_LEAD = re.compile(
    r"(?:trong đó(?:\s+(?:tập trung|nêu rõ|làm rõ))?|bao gồm|gồm|như sau|các nội dung(?:\s+sau)?|cụ thể)\s*:",
    re.I,
)


def _subject_heads() -> str:
    """The heads of a body that, after `để`, open another body's clause (lexicon
    `body_heads`, column `subject`), as printed: capitalised (`để bộ phận …` names no
    body), in capitals (`UBND`), or either (`cơ quan`)."""
    forms = []
    for r in lexicon.rows("body_heads"):
        w, case = r["head"], r["subject"]
        cap = w[:1].upper() + w[1:]
        forms += {"y": [cap], "caps": [w.upper()], "any": [cap, w]}.get(case, [])
    forms = list(dict.fromkeys(f for form in forms for f in (form, old_tones(form))))
    return "|".join(map(re.escape, forms))


# Bodies are capitalised: `để ban hành`, `để bộ phận …` open no clause of another body.
_OTHER_SUBJECT = re.compile(r"\s+(?:" + _subject_heads() + r")(?![^\W\d_])")
# `Về …:` opening an item: the topic its work is about, then the work.
_TOPIC = re.compile(r"[\s*\-+•]*(?:Về|VỀ)[ \t]+[^:;\n]{3,250}?:(?!\S)")
_RIENG = re.compile(r"(?<![^\W\d_])riêng(?![^\W\d_])", re.I)
_RIENG_THIS_YEAR = re.compile(
    rf"riêng{_S1}(?:đối với{_S1})?(?:{_NAM}{_S1}(?:nay|[0-9]{{4}})|{_alt('lần đầu', 'kỳ đầu', 'kỳ này', 'đợt đầu', 'đợt này', 'năm đầu')})",
    re.I,
)


@functools.cache
def _delivery() -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in lexicon.words("delivery_verbs"))
    # A content point may open with its letter or number (`a) Trình Bộ Y …`, `2. Gửi …`).
    marker = r"(?:(?:[a-zđ]|[0-9]{1,2})[.)]\s+)?"
    return re.compile(rf"[\s*\-+•;,.]*{marker}(?:{words})(?![^\W\d_])", re.I)


def delivery_deadline(text: str, start: int, end: int, *, doc_date: str | None) -> Deadline | None:
    """The time of a content point that hands in the work (`a) Trình Bộ Y … trong tháng
    11 năm 2025`, `- Gửi Sở X trước ngày …`): the deliverable's due date is the task's
    (§3 rule 2, one task with its content points; §3 deadline, the actor's own date); `None`
    when the point does not open with a delivery verb (lexicon `delivery_verbs`)."""
    if not _delivers(text, start, end):
        return None
    return task_deadline(text, start, end, doc_date=doc_date)


def _handed_over(text: str, cs: int, ce: int) -> tuple[int, int] | None:
    """The rest of a clause from a purpose (`để …`) that hands the work to another
    body (`gửi Bộ X … để tổng hợp`): that body's steps, not the actor's."""
    for p in _PURPOSE.finditer(text, cs, ce):
        if p.start() > 0 and text[p.start() - 1].isalnum():
            continue
        if _HANDOVER.search(text, cs, p.start()) or _OTHER_SUBJECT.match(text, p.end(), ce):
            return (p.start(), ce)
    return None


def _delivers(text: str, cs: int, ce: int) -> bool:
    """The clause opens with the handing in of the work (`báo cáo`, `gửi`, `trình`)."""
    return bool(_delivery().match(text, cs, ce))


def _names_an_instance(exprs: list[TimeExpr], rs: int, re_: int) -> bool:
    """The `riêng` clause opens with a period (a quarter, a month, a year) named
    within its first words, and a due date follows it."""
    inside = [x for x in exprs if rs <= x.span[0] < re_]
    return (
        len(inside) >= 2
        and inside[0].kind == "period"
        and inside[0].span[0] - rs <= 40
        and any(x.is_due and x.date for x in inside[1:])
    )


def _segments(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Clauses: split at `;`, sentence ends and line breaks."""
    out, s = [], lo
    for m in _BOUND.finditer(text, lo, hi):
        out.append((s, m.end()))
        s = m.end()
    out.append((s, hi))
    return out


def _inside(x: TimeExpr, spans: list[tuple[int, int]]) -> bool:
    return any(a <= x.span[0] < b for a, b in spans)


def _earliest(xs: list[TimeExpr]) -> TimeExpr | None:
    dated = [x for x in xs if x.is_due and x.date]
    return min(dated, key=lambda x: (x.date, x.time or "24:00")) if dated else None


def task_deadline(text: str, start: int, end: int, *, doc_date: str | None) -> Deadline | None:
    """The deadline of the task whose own text is `text[start:end]` (§3)."""
    exprs = find_times(text, start, end, doc_date=doc_date)
    if not exprs:
        return None
    hi = min(end, len(text))
    lo = max(0, min(start, hi))
    clauses = _segments(text, lo, hi)
    low = text[lo:hi].lower()
    has_purpose, has_rieng, has_colon = "để" in low or "nhằm" in low, "riêng" in low, ":" in low
    # Steps of the body that receives the work (`gửi Bộ X … để tổng hợp, báo cáo
    # Bộ Y trước …`) are not the actor's deadlines.
    others: list[tuple[int, int]] = []
    riengs: list[tuple[int, int, bool]] = []
    for cs, ce in clauses:
        if has_purpose and (handed := _handed_over(text, cs, ce)) is not None:
            others.append(handed)
        r = _RIENG.search(text, cs, ce) if has_rieng else None
        if r:
            riengs.append((r.start(), ce, bool(_RIENG_THIS_YEAR.match(text, r.start(), ce))))
    if riengs:
        # `riêng báo cáo quý IV năm 2025 gửi … trước ngày 10/12/2025`: a `riêng`
        # that names one period of the cycle names this year's instance of the work.
        riengs = [
            (rs, re_, this_year or _names_an_instance(exprs, rs, re_))
            for rs, re_, this_year in riengs
        ]
    own = [x for x in exprs if not _inside(x, others)]
    topic = _TOPIC.match(text, lo, hi) if has_colon else None
    if topic:
        # `Về số vốn không giải ngân hết trong năm 2025: Ủy ban nhân dân tỉnh …`: the
        # topic names the object of the work, and its dates are the object's (§3
        # deadline: a year that qualifies the object is not a deadline); a recurring or
        # open-ended word there still says how the work runs.
        own = [x for x in own if x.span[0] >= topic.end() or not (x.date or x.relative)]
    content = _CONTENT_LEAD.search(text, lo, hi) if has_colon else None
    if content:
        # … unless its clause hands in the work (`…; báo cáo Bộ Y
        # kết quả thực hiện trong tháng 11 năm 2025`).
        delivering = [
            (cs, ce) for cs, ce in clauses if cs >= content.end() and _delivers(text, cs, ce)
        ]
        own = [
            x
            for x in own
            if x.span[0] < content.end() or x.kind != "period" or _inside(x, delivering)
        ]
    urgency = next((x.urgency for x in own if x.urgency), None)

    def result(x: TimeExpr | None) -> Deadline | None:
        # The task's urgency is the first its clauses state, wherever its date is.
        d = _result(x)
        return d.model_copy(update=_urgency(urgency)) if d is not None else None

    # A dated `riêng …` clause: the task itself, or this year's instance of
    # recurring work, takes its date over any recurring qualifier; a `riêng`
    # naming something else keeps its date to itself.
    task_is_rieng = bool(riengs) and riengs[0][0] == lo + len(text[lo:hi]) - len(
        text[lo:hi].lstrip(" \t\n*-+•")
    )
    set_apart: list[TimeExpr] = []
    for rs, re_, this_year in riengs:
        inside = [x for x in own if rs <= x.span[0] < re_]
        if (task_is_rieng and rs == riengs[0][0]) or this_year:
            best = _earliest(inside)
            if best:
                return result(best)
        elif not task_is_rieng:
            own = [x for x in own if not rs <= x.span[0] < re_]
            if not any(x.kind in ("recurrence", "open_ended") for x in inside):
                set_apart += inside

    # A labelled time line (`Thời gian thực hiện: …`) is the task's time.
    labelled: list[TimeExpr] = []
    for lab in _LABEL.finditer(text, lo, hi) if has_colon else ():
        stop = _LABEL_STOP.search(text, lab.end(), hi)
        ve = stop.start() if stop else hi
        labelled += [x for x in own if lab.end() <= x.span[0] < ve]
    if labelled:
        if any(x.kind in ("recurrence", "open_ended") for x in labelled):
            return None
        return result(_earliest(labelled))

    # Otherwise the earliest due date of a clause that no recurring or
    # open-ended qualifier governs.
    live: list[TimeExpr] = []
    for cs, ce in clauses:
        inside = [x for x in own if cs <= x.span[0] < ce]
        if not any(x.kind in ("recurrence", "open_ended") for x in inside):
            live += inside
    best = _earliest(live)
    if best is None and not any(x.kind in ("recurrence", "open_ended") for x in own):
        # `… bố trí vốn …; riêng 12 hồ chứa … phải hoàn thành … trong quý I/2027`: a part of
        # the work set apart with its own date, and no other due date of the actor: the task's
        # one due date is that part's (§3 deadline: the date by which its actor must deliver).
        best = _earliest(set_apart)
    return result(best)


# `riêng nội dung tại điểm b`, `riêng các mục 2, 3`: the items a `riêng` clause names
# (lexicon `division_words`, column `named`).
_NAMED_ITEMS = re.compile(
    r"(?:"
    + lexicon.literal("division_words", "named")
    + r")(?:\s+số)?\s+(?P<keys>[0-9a-zđ]{1,3}(?:[.)]?(?:\s*,\s*|\s+và\s+)[0-9a-zđ]{1,3})*)(?![^\W\d_])",
    re.I,
)


# an item's own marker as a time-limit text names it: `1`, `b`, `IV`
_ITEM_KEY = re.compile(r"[0-9]{1,2}|[a-zđ]|[ivx]{1,4}")


def block_items(text: str, start: int, end: int) -> frozenset[str]:
    """The items a text setting a time limit names as the work it covers (`Thời hạn hoàn
    thành nội dung tại mục 1: …`, `Các nội dung tại mục 1 và mục 2 hoàn thành trước …`;
    §3 rule 4: its deadline belongs to the tasks it covers); empty when it names none
    or when a `riêng …` clause names them (rule 10, `block_deadline`)."""
    if _RIENG.search(text, start, end):
        return frozenset()
    keys: set[str] = set()
    for m in _NAMED_ITEMS.finditer(text, start, end):
        if m.start() > 0 and text[m.start() - 1].isalpha():
            continue  # `ý` inside `Quý IV`, not the word `ý`
        parts = re.split(r"[\s,.)]+", m.group("keys").lower())
        keys.update(k for k in parts if _ITEM_KEY.fullmatch(k))
    return frozenset(keys)


def block_deadline(
    text: str, start: int, end: int, *, doc_date: str | None, marker: str | None = None
) -> Deadline | None:
    """The deadline that a text setting the time limit of work already stated (§3
    rule 4; rule 10, a time line closing a list) gives the task of item `marker`: a
    dated `riêng …` clause that names the item (`riêng nội dung tại điểm b hoàn thành
    trước …`) gives it its date over the block's recurring or open-ended time (rule
    10); otherwise the block's own deadline."""
    if marker and "riêng" in text[start:end].lower():
        key = marker.strip("()").lower()
        for cs, ce in _segments(text, start, end):
            r = _RIENG.search(text, cs, ce)
            named = _NAMED_ITEMS.search(text, r.end(), ce) if r else None
            if r is None or named is None or named.start() - r.end() > 30:
                continue
            keys = re.split(r"[\s,.)]+", named.group("keys").lower())
            if key in keys and key != "và":
                return _result(_earliest(find_times(text, r.start(), ce, doc_date=doc_date)))
    return task_deadline(text, start, end, doc_date=doc_date)


def _urgency(word: str | None) -> dict[str, Any]:
    """`Deadline.urgency` (English, lexicon `urgency_words`) and `urgency_raw` of a word."""
    value = _URGENCY.get(word) if word else None
    return {"urgency": Urgency(value) if value else None, "urgency_raw": word}


def _result(x: TimeExpr | None) -> Deadline | None:
    if x is None:
        return None
    return Deadline(
        date=x.date,
        time=x.time,
        relation=x.relation,
        recurrence=None,
        **_urgency(x.urgency),
        relative=x.relative,
        raw=x.raw,
        span=x.span,
    )


def task_recurrence(text: str, start: int, end: int, *, doc_date: str | None) -> Deadline | None:
    """The time of recurring work (định kỳ, ANNOTATION.md §3 deadline): a deadline
    with no date but its `recurrence` (`monthly`; `monthly:day=25` for `trước ngày 25
    hằng tháng`), from the first recurring time of the text's own clauses, not of a
    clause that hands the work to another body. None when nothing recurs."""
    hi = min(end, len(text))
    lo = max(0, min(start, hi))
    exprs = find_times(text, lo, hi, doc_date=doc_date)
    if not any(x.recurrence for x in exprs):
        return None
    others = [h for cs, ce in _segments(text, lo, hi) if (h := _handed_over(text, cs, ce))]
    own = [x for x in exprs if not _inside(x, others)]
    rec = next((x for x in own if x.recurrence), None)
    if rec is None:
        return None
    urgency = next((x.urgency for x in own if x.urgency), None)
    return Deadline(recurrence=rec.recurrence, **_urgency(urgency), raw=rec.raw, span=rec.span)


def _given_where_none(
    tasks: list[Task], find: Callable[[Task], Deadline | None], rule: R.Rule
) -> list[Task]:
    """The tasks, each still without a deadline given what `find` reads in it, with
    `rule`; a deadline already decided stays."""
    out = []
    for t in tasks:
        d = None if t.deadline is not None else find(t)
        if d is not None:
            t = t.model_copy(update={"deadline": d, "rules": [*t.rules, str(rule)]})
        out.append(t)
    return out


def with_recurrence(text: str, tasks: list[Task], *, doc_date: str | None) -> list[Task]:
    """The tasks, each without a time of its own given the time of its recurring
    work (`task_recurrence` of its text): a due date stays as it was decided."""

    def recurring(t: Task) -> Deadline | None:
        return task_recurrence(text, *t.span, doc_date=doc_date)

    return _given_where_none(tasks, recurring, R.DUE_RECURRING)


def task_relative(text: str, start: int, end: int, *, doc_date: str | None) -> Deadline | None:
    """The time limit of work counted from an event the letter does not date (thời
    hạn tương đối: `trong 15 ngày làm việc kể từ ngày nhận được văn bản này`): a
    deadline with no date but its `relative`, from the first such time of the
    text's own clauses. None when there is none."""
    hi = min(end, len(text))
    lo = max(0, min(start, hi))
    exprs = [x for x in find_times(text, lo, hi, doc_date=doc_date) if x.relative]
    if not exprs:
        return None
    others = [h for cs, ce in _segments(text, lo, hi) if (h := _handed_over(text, cs, ce))]
    rel = next((x for x in exprs if not _inside(x, others)), None)
    return _result(rel)


# `05 ngày làm việc` alone in a table's time column: a time limit from no event said.
_BARE_AMOUNT = re.compile(
    rf"[\s*]*(?P<an>{_NUM}){_PAREN_ANY}{_S}(?P<au>{_alt('ngày làm việc', 'ngày', 'tuần', 'tháng')})"
    r"[\s*.]*",
    re.I,
)


def cell_relative(text: str, start: int, end: int, *, doc_date: str | None) -> Deadline | None:
    """The relative time limit of a table's time column (`task_relative`); a bare
    amount there (`05 ngày làm việc`) counts from an event not said (`unstated`)."""
    found = task_relative(text, start, end, doc_date=doc_date)
    g = None if found else _BARE_AMOUNT.fullmatch(text, start, end)
    n = _words_to_int(g["an"]) if g else None
    if g is None or n is None:
        return found
    unit = _UNIT_EN[" ".join(fold(g["au"]).split())]
    raw = text[g.start("an") : g.end("au")]
    return Deadline(
        relation="before",
        relative=RelativeDue(amount=n, unit=unit, anchor="unstated"),
        raw=raw,
        span=(g.start("an"), g.end("au")),
    )


# `30/11` alone in a table's time column: a day without its year.
_BARE_DAY = re.compile(rf"[\s*]*(?P<d>{_D})\s?/\s?(?P<m>{_M})[\s*.]*")


def cell_day(text: str, start: int, end: int, *, doc_date: str | None) -> Deadline | None:
    """A table's time column that holds only a day and a month (`30/11`): that day, the
    first on or after the letter's date (§3 rule 6, the time column of a task table;
    §3 deadline, a date without a year). Elsewhere `30/11` with no `ngày` and no year
    may be a fraction or a number, so only a whole cell is read so."""
    g = _BARE_DAY.fullmatch(text, start, end)
    day = _roll(_parse_doc_date(doc_date), int(g["m"]), int(g["d"])) if g else None
    if g is None or day is None:
        return None
    return Deadline(
        date=day.isoformat(),
        relation="before",
        raw=text[g.start("d") : g.end("m")],
        span=(g.start("d"), g.end("m")),
    )


def with_relative(text: str, tasks: list[Task], *, doc_date: str | None) -> list[Task]:
    """The tasks, each still without a time of its own given the time counted from
    an event (`task_relative` of its text): a due date or recurrence stays."""

    def relative(t: Task) -> Deadline | None:
        return task_relative(text, *t.span, doc_date=doc_date)

    return _given_where_none(tasks, relative, R.DUE_RELATIVE)


def resolve_relative(rel: RelativeDue, base: date) -> date:
    """The due day of a relative time limit counted from `base` (the day of its
    anchor event): working days skip weekends and Vietnam's public holidays (Tết)."""
    return _add(base, rel.amount, rel.unit)


@functools.cache
def _section_work() -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in lexicon.words("section_work"))
    return re.compile(rf"[\s*]*(?:về\s+)?(?:các\s+|những\s+)?(?:{words})(?![^\W\d_])", re.I)


def heading_deadline(text: str, start: int, end: int, *, doc_date: str | None) -> Deadline | None:
    """The time a section heading gives the items below it (§6 Heading times): a
    period governed by its preposition (`TỪ NAY ĐẾN NĂM 2015`, `TRONG THÁNG 12/2025`),
    or one that dates the work the heading names (`NHIỆM VỤ TRỌNG TÂM NĂM 2026`), not
    a year of an object (`Về đánh giá, xếp loại … cá nhân năm 2025`); none when
    the heading's time is recurring or open-ended."""
    exprs = find_times(text, start, end, doc_date=doc_date)
    if not exprs or any(x.kind in ("recurrence", "open_ended") for x in exprs):
        return None
    names_work = bool(_section_work().match(text, start, end))
    dated = [
        x
        for x in exprs
        if x.date
        and (
            x.is_due
            or (
                names_work
                and x.note == "qualifies the object"
                and (doc_date is None or x.date >= doc_date[:10])
            )
        )
    ]
    return _result(min(dated, key=lambda x: (x.date or "", x.time or "24:00"), default=None))


def deadline_string(d: Deadline | None) -> str | None:
    """`YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM` when a time is given, as the gold writes it."""
    if d is None or d.date is None:
        return None
    return f"{d.date}T{d.time}" if d.time else d.date
