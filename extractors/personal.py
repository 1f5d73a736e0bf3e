"""Personal data in a letter: phone numbers, e-mail addresses, contact persons' names.

Letters end their instructions with whom to call: `3. Đầu mối liên hệ: Ông
Nguyễn Trọng Nhân, số điện thoại: 0978082458`, `(đồng chí Nguyễn Văn A,
Chuyên viên phòng …, ĐT: 0912…)`, `Người liên hệ: …`, `Cán bộ đầu mối: …`.
`find_personal_data` finds, as `[start, end)` ranges of the text:

- **phone numbers** as Vietnamese print them: mobiles (`0912.345.678`,
  `091 234 5678`, `0912-345-678`, the old `0168 …`), landlines with their
  area code (`(024) 3823 4567`, `024.38234567`, `0236 3822 123`, the
  pre-2017 `(04) 3823 4567`), `+84 …`, `84-…`, hotlines (`1900 1234`), and
  after a label (`ĐT:`, `SĐT`, `Điện thoại`, `Fax`, `Hotline`, `máy lẻ`) any
  number of a phone's length. A number counts only when its digits fit a
  phone's prefix and length and its groups a phone's grouping, so document
  numbers (`453/TB-UBND`), dates (`12.03.2020`), amounts (`1.000.000 đồng`),
  years, `Điều 5`, `QCVN 01:2021/BX` and tax codes (`Mã số thuế: 0315459414`)
  are left alone;
- **e-mail addresses**, also written `ten[at]most.gov.vn`;
- **the names of contact persons**: a name (capitalised syllables) after an
  honorific (`Ông`, `Bà`, `đồng chí`, `đ/c`, `ThS.`), a job title
  (`Chuyên viên`, `Phó Trưởng phòng`) or, starting with a family name, at the
  head of a clause — when it stands in a contact line (`Đầu mối liên hệ`,
  `Người liên hệ:`, `Liên hệ: …`, `xin liên hệ`, `Cán bộ đầu mối:`) or a
  phone number or e-mail address follows it in the same clause. Only the
  name: the honorific, title and office stay.

Officials named in their official capacity are not contact persons:
`find_officials` gives the names printed right after a leader's title
(`ý kiến chỉ đạo của Phó Chủ tịch UBND tỉnh Lê Văn Z`, `Chủ tịch UBND tỉnh
Nguyễn Văn X đã có ý kiến`); the caller passes them, with the signer, as
`keep`, and no name inside a `keep` range is returned.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from functools import cache, lru_cache
from typing import Literal

from vanban.extractors import lexicon
from vanban.extractors.text_utils import fold
from vanban.schemas import Redaction

Span = tuple[int, int]
MASK = "█"  # what `--redact` leaves of a character (`vanban.pipeline.redact`)
Kind = Literal["phone", "email", "contact_name"]


def _starting(first: str) -> str:
    """A look-ahead for the characters a pattern's match can start with. It changes
    no match: it only lets the engine pass over every other position at once
    (these patterns scan whole letters, and a look-behind or an alternation at
    each position made them the better part of `--redact`'s cost)."""
    return "(?=[" + "".join(re.escape(c) for c in sorted(set(first))) + "])"


class _Phrases:
    """A case-blind pattern of phrases (`slow`, compiled with `re.I`) and the same
    phrases matched in the lower-cased text, which `re` scans much faster: each
    phrase starts with its first letter as a literal (the look-behind after it),
    so the engine skips at once to the positions that start one. The matches are
    the same; where lower-casing would move a position or `re.I` matches more
    than it (`İ`, `ı`, `ſ`), `slow` is used."""

    def __init__(self, slow: re.Pattern[str], phrases: Sequence[str], tail: str) -> None:
        for p in phrases:
            assert p[:1].isalpha() and p[:1] == p[:1].lower(), p
        self.slow = slow
        led = [p[0] + rf"(?<!\w{p[0]})" + p[1:] for p in phrases]
        self.fast = re.compile("(?:" + "|".join(led) + ")" + tail)

    def _lowered(self, text: str) -> tuple[re.Pattern[str], str]:
        low = text.lower()
        if len(low) != len(text) or any(c in low for c in _ODD_CASE):
            return self.slow, text
        return self.fast, low

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        pattern, scanned = self._lowered(text)
        return pattern.finditer(scanned)

    def match(self, text: str, pos: int) -> re.Match[str] | None:
        pattern, scanned = self._lowered(text)
        return pattern.match(scanned, pos)


def _phrases(alternation: str) -> list[str]:
    """The phrases of a `lexicon.alternation`, lower-cased."""
    assert "\\|" not in alternation
    return [p.lower() for p in alternation.split("|")]


# -- phone numbers ------------------------------------------------------------

# Digits of a number written at home: mobiles (10 digits since 2018, the old
# 11-digit 01x), landlines (11 digits, 02x area codes, since 2017), hotlines.
_DOMESTIC = re.compile(
    r"0(?:3[2-9]|5[2689]|7[06-9]|8[1-9]|9\d)\d{7}"  # mobile
    r"|01[2689]\d{8}"  # mobile before 2018
    r"|02\d{9}"  # landline: 024 3823 4567, 0236 3822 123
    r"|1[89]00\d{4,6}"  # 1900 / 1800 hotlines
)
# The national number after +84: mobile or landline, without the leading 0.
_NATIONAL = re.compile(r"(?:3[2-9]|5[2689]|7[06-9]|8[1-9]|9\d)\d{7}|2\d{9}")
_NATIONAL_LOOSE = re.compile(r"[1-9]\d{8,9}")
# A run of digit groups, maybe with a country code and an area code in brackets.
_RUN = re.compile(
    r"(?=[(+\d])(?<![\w+])(?<!\d[.,])(?<![^\W\d_]-)"
    r"(?:(?P<cc>\(\+\s?84\)|\+\s?84|(?<!\d)84(?=[ .\-]\(?\d))[ .\-]?(?:\(0\)[ .\-]?)?)?"
    r"(?:\((?P<area>0\d{1,3})\)[ .\-]?)?"
    r"(?P<body>\d+(?:[ .\-\u00a0\n]\d+)*)"  # a line break: a number wrapped in a PDF
)
_DIGITS = re.compile(r"\d+")
_MAX_GROUPS = 6  # `0912 34 56 78`, `+84 24 3823 4567`: no phone is printed in more groups
# What a label announces: a number follows (`ĐT: 0912…`, `Fax (024) …`; lexicon
# `phone_labels`).
_PHONE_LABELS = "phone_labels"
_LABELS = lexicon.selected(_PHONE_LABELS, "kind", "phone")
_EXTENSIONS = lexicon.selected(_PHONE_LABELS, "kind", "extension")
_PHONE_LABEL = re.compile(
    _starting("".join(w[0].lower() for w in _LABELS))
    + r"(?<![\w&/\-])(?:"
    + lexicon.alternation(_PHONE_LABELS, "kind", "phone")
    + r")(?:\s*/\s*(?:"
    + lexicon.literal(_PHONE_LABELS, "second")
    + r"))?(?!\w)\s*[:.]?\s*",
    re.I,
)
_EXT_LABEL = re.compile(
    _starting("s" + "".join(w[0].lower() for w in _EXTENSIONS))
    + r"(?<!\w)(?:số\s+)?(?:"
    + lexicon.alternation(_PHONE_LABELS, "kind", "extension")
    + r")(?!\w)\.?\s*[:.]?\s*",
    re.I,
)
# Between the numbers of one label: `0912… / 0913…`, `…; Fax: …`, `… hoặc …`.
_LIST_SEP = re.compile(r"\s*(?:[/;,|]|[-–—]|hoặc|và|or)\s*", re.I)
# After a number: it was an amount (lexicon `amount_units`), a decimal, a document code.
_NOT_AFTER = re.compile(
    r"[^\W_]|[.,]\d|/[^\W\d_]|\s*(?:" + lexicon.literal("amount_units") + r")(?!\w)",
    re.I,
)
# Before a number: it is an identifier, not a phone (`Mã số thuế: 0315459414`; lexicon
# `id_labels`).
_ID_BEFORE = re.compile(r"(?:" + lexicon.alternation("id_labels") + r")[^\n\d]{0,12}$", re.I)


def _valid(digits: str, sizes: list[int], cc: str | None, area: str | None) -> bool:
    """Whether digit groups of these sizes spell a phone number (prefix, length, grouping)."""
    if any(s > 8 for s in sizes[1:]) or any(s < 2 for s in sizes[1:]):
        return False
    if cc:
        national = (area.lstrip("0") if area else "") + (
            digits[1:] if digits[:1] == "0" else digits
        )
        pattern = _NATIONAL_LOOSE if "+" in cc else _NATIONAL
        return bool(pattern.fullmatch(national)) and sizes[0] <= 4
    if area:
        # `(024) 3823 4567`, `(04) 3823 4567`, `(0236) 3822 123`: any area code in brackets.
        full = "0" + area.lstrip("0") + digits
        return 7 <= len(digits) <= 8 and bool(re.fullmatch(r"0[2-9]\d{8,9}", full))
    if not _DOMESTIC.fullmatch(digits):
        return False
    # Several groups: the first is the operator or area code (`0912`, `091`, `024`, `1900`).
    return len(sizes) == 1 or 3 <= sizes[0] <= 4


def _segments(text: str, m: re.Match[str]) -> list[Span]:
    """The phone numbers in one run of digit groups, longest first from the left.

    Two numbers side by side (`0912 345 678 024 3823 4567`) are split; groups
    that fit no phone are skipped.
    """
    base = m.start("body")
    groups = [(g.start() + base, g.end() + base) for g in _DIGITS.finditer(m.group("body"))]
    out: list[Span] = []
    i = 0
    while i < len(groups):
        for j in range(min(len(groups), i + _MAX_GROUPS), i, -1):
            part = groups[i:j]
            digits = "".join(text[a:b] for a, b in part)
            sizes = [b - a for a, b in part]
            cc, area = (m.group("cc"), m.group("area")) if i == 0 else (None, None)
            if _valid(digits, sizes, cc, area):
                out.append((m.start() if i == 0 else part[0][0], part[-1][1]))
                i = j
                break
        else:
            i += 1
    return out


# Words one of which every label's match holds, in the lower-cased text (`di
# động` by its pattern): most letters print no phone label, and looking for
# these words (`str` search) costs less than the label's scan.
_PHONE_LABEL_WORDS = tuple(
    dict.fromkeys(r["key"] for r in lexicon.rows(_PHONE_LABELS) if r["kind"] == "phone")
)
_EXT_LABEL_WORDS = tuple(
    dict.fromkeys(r["key"] for r in lexicon.rows(_PHONE_LABELS) if r["kind"] == "extension")
)
# What `re.I` matches beyond `str.lower()` (`ı` and `i`, `ſ` and `s`; `İ` lower-cased
# to two characters): when one is there, the label is looked for all the same.
_ODD_CASE = ("ı", "ſ", "\u0307")


def _may_hold(low: str, words: tuple[str, ...]) -> bool:
    """Whether a label's match may be in the text `low` is the lower case of: it holds a
    key word, or the last word of a key of two words and that key (`di động`)."""
    return (
        any(w in low for w in words if " " not in w)
        or any(c in low for c in _ODD_CASE)
        or any(
            w.split()[-1] in low and _spaced(w).search(low) is not None for w in words if " " in w
        )
    )


@cache
def _spaced(phrase: str) -> re.Pattern[str]:
    """A key of two words with any white space between them."""
    return re.compile(r"\s+".join(map(re.escape, phrase.split())))


def _labelled_phones(text: str) -> Iterator[Span]:
    """Numbers right after a phone label, of a phone's length even when they fit no prefix."""
    low = text.lower()
    for label, low_n, high, may in (
        (_PHONE_LABEL, 6, 13, _may_hold(low, _PHONE_LABEL_WORDS)),
        (_EXT_LABEL, 2, 6, _may_hold(low, _EXT_LABEL_WORDS)),
    ):
        if not may:
            continue
        for lm in label.finditer(text):
            pos = lm.end()
            while True:
                m = _RUN.match(text, pos)
                if m is None:
                    break
                strict = _segments(text, m) if low_n > 2 else []
                # Not strict: the number on the label's line (`ĐT: 3823 4567\n2. …`).
                end = m.end() if strict else m.start() + len(m.group().split("\n")[0])
                n = sum(len(d) for d in _DIGITS.findall(text, m.start(), end))
                if strict:
                    yield from strict
                elif low_n <= n <= high:
                    yield (m.start(), end)
                else:
                    break
                sep = _LIST_SEP.match(text, end)
                if sep is None or sep.end() == end:
                    break
                pos = sep.end()


_DIGIT = re.compile(r"\d")


def _phones(text: str) -> list[Span]:
    if not _DIGIT.search(text):
        return []  # every phone pattern needs a digit (most values a record quotes have none)
    spans = list(_labelled_phones(text))
    for m in _RUN.finditer(text):
        if not m.group("cc") and not m.group("area") and len(m.group("body")) < 8:
            continue  # too short for any phone: skip the common case fast
        for s, e in _segments(text, m):
            if _NOT_AFTER.match(text, e) or _ID_BEFORE.search(text, max(0, s - 40), s):
                continue
            spans.append((s, e))
    return _disjoint(spans)


def _disjoint(spans: list[Span]) -> list[Span]:
    """Overlapping ranges: keep the longest, then the earliest."""
    out: list[Span] = []  # sorted, disjoint
    for s, e in sorted(set(spans), key=lambda x: (x[0] - x[1], x[0])):
        i = bisect.bisect_left(out, (s, e))
        if (i == 0 or out[i - 1][1] <= s) and (i == len(out) or out[i][0] >= e):
            out.insert(i, (s, e))
    return out


# -- e-mail addresses ---------------------------------------------------------

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
_EMAIL = re.compile(
    r"(?<![\w.+\-])[A-Za-z0-9](?:[A-Za-z0-9._%+\-]*[A-Za-z0-9_])?"
    r"(?:@|\s?[\[(](?:at|a còng|@)[\])]\s?)"
    rf"(?:{_LABEL}(?:\.|\s?[\[(]dot[\])]\s?))+[A-Za-z]{{2,}}(?![\w@])",
    re.I,
)


# What every e-mail address holds: `@`, or `at` in brackets.
_AT = re.compile(r"@|[\[(](?:at|a còng)[\])]", re.I)


def _emails(text: str) -> list[Span]:
    if not _AT.search(text):
        return []
    return [m.span() for m in _EMAIL.finditer(text)]


# -- names --------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_SURNAMES = frozenset(lexicon.selected("person_names", "family"))
# Words that end a name: titles, offices, labels (`Nguyễn Văn A Trưởng phòng …`;
# lexicon `person_name_stops`).
_NOT_NAME = frozenset(lexicon.words("person_name_stops"))
# A capitalised word that starts an office rather than ends a name when a
# lower-case word follows: `Nguyễn Văn A Văn phòng …`, `… Thanh tra Sở`
# (lexicon `office_words`: first word → the second words it takes).
_HEADS: dict[str, set[str]] = {}
for _first, _second in (p.split() for p in lexicon.words("office_words")):
    _HEADS.setdefault(_first, set()).add(_second)
# An honorific right after another (`Bà Ông …`) starts no name: the second one does
# (lexicon `honorifics`, column `repeated`).
_HONORIFIC_WORDS = frozenset(
    w[:1].upper() + w[1:] for w in lexicon.selected("honorifics", "repeated")
)
# Place names an honorific or a family name can start (`Bà Rịa`), besides the
# registry's provinces (lexicon `name_like_places`).
_PLACES_EXTRA = lexicon.words("name_like_places")

_WORD = re.compile(r"[^\W\d_]+")
# Between two syllables of a name: a space, or a line break of wrapped text.
_GAP = re.compile(r"[ \t\u00a0]{1,2}(?!\n)|[ \t]*\n[ \t]*(?=[^\W\d_])")

# A word of address in any case, perhaps after `các`, or a title as printed (lexicon
# `honorifics`); `đ/c` and the degrees (`ThS.`, `PGS.TS`) by their shape.
_HONORIFICS = "honorifics"
_ADDRESSING = lexicon.selected(_HONORIFICS, "kind", "address")
_TITLES = lexicon.selected(_HONORIFICS, "kind", "title")
_HONORIFIC = re.compile(
    _starting(
        "cCPGTKB"
        + "".join(w[0] + w[0].upper() for w in _ADDRESSING)
        + "".join(w[0] for w in _TITLES)
    )
    + r"(?<![\w/.])(?:(?i:(?:các\s+)?(?:"
    + lexicon.alternation(_HONORIFICS, "kind", "address")
    + r")|đ/c|đ\.c)"
    r"|(?:PGS|GS)\.?\s?TS(?:KH)?|TS(?:KH)?|ThS|KS|BS(?:CKI+)?|"
    + lexicon.alternation(_HONORIFICS, "kind", "title")
    + r")(?!\w)\.?(?:\s*:)?(?:[ \t]+|[ \t]*\n[ \t]*)"
)
# Leaders whose words a letter conveys (`ý kiến chỉ đạo của Phó Chủ tịch …`).
_LEADER = lexicon.alternation("official_titles", "leader", "y")
_LEADER_FIRST = "p" + "".join(t[0] for t in lexicon.selected("official_titles", "leader", "y"))
_LEADER_TITLE = _Phrases(
    re.compile(rf"{_starting(_LEADER_FIRST)}(?<!\w)(?:phó\s+)?(?:{_LEADER})(?!\w)", re.I),
    [rf"phó\s+(?:{_LEADER.lower()})", *_phrases(_LEADER)],
    r"(?!\w)",
)
# Any title a contact person may carry before the name (`Chuyên viên Nguyễn Văn D`):
# a leader's, or one of lexicon `official_titles`, column `contact`.
_STAFF = lexicon.alternation("official_titles", "contact", "y")
_JOB_FIRST = _LEADER_FIRST + "".join(
    t[0] for t in lexicon.selected("official_titles", "contact", "y")
)
_JOB_TITLE = _Phrases(
    re.compile(rf"{_starting(_JOB_FIRST)}(?<!\w)(?:phó\s+)?(?:{_LEADER}|{_STAFF})(?!\w)", re.I),
    [rf"phó\s+(?:{_LEADER.lower()}|{_STAFF.lower()})", *_phrases(_LEADER), *_phrases(_STAFF)],
    r"(?!\w)",
)
# Words after a title that end the search for its holder's name (lexicon `title_holder_stops`).
_TITLE_STOP = frozenset(lexicon.words("title_holder_stops"))


def _is_surname(w: str) -> bool:
    return w in _SURNAMES or (w.isupper() and w.capitalize() in _SURNAMES)


def _is_syllable(w: str) -> bool:
    return (
        len(w) <= 7
        and w[0].isupper()
        and (len(w) == 1 or w[1:].islower() or w.isupper())
        and w not in _NOT_NAME
    )


def _name_at(text: str, pos: int, end: int | None = None, max_words: int = 6) -> list[Span]:
    """The syllables of the name that starts at `pos` (empty when none does)."""
    end = len(text) if end is None else end
    words: list[Span] = []
    i = pos
    while len(words) < max_words:
        m = _WORD.match(text, i, end)
        if m is None or not _is_syllable(m.group()):
            break
        words.append(m.span())
        gap = _GAP.match(text, m.end(), end)
        if gap is None:
            break
        i = gap.end()
    while words:
        s, e = words[-1]
        nxt = _WORD.match(text, e + 1, end) if e < end and text[e] == " " else None
        if nxt is None or text[s:e] not in _HEADS or nxt.group() not in _HEADS[text[s:e]]:
            break
        words.pop()
    return words


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    """Place names by their first two words, folded: a family name may start one (`Hà …`, `Lâm …`)."""
    from vanban.extractors.agencies import AgencyRegistry

    names = list(_PLACES_EXTRA)
    for p in AgencyRegistry.default().data.provinces.values():
        names += [p.name, *p.aliases]
    return frozenset(" ".join(fold(n).split()[:2]) for n in names if len(n.split()) > 1)


def _is_place(text: str, start: int, words: list[Span]) -> bool:
    """Whether the name is a place's: a province at `start`, or `Bà Rịa` (honorific at `start`)."""
    first = [text[start : words[0][0]].split()[-1]] if start < words[0][0] else []
    two = [*first, *(text[s:e] for s, e in words)][:2]
    return " ".join(fold(w) for w in two) in _places()


# -- clauses and contact lines ------------------------------------------------

# A line that starts a new item: `- …`, `2. …`, `b) …`, `II. …`, or a blank line.
_NEW_ITEM = re.compile(
    r"\n[ \t]*(?:\n|[-–•+*][ \t]|\d{1,2}[.)][ \t]|[a-zđ]\)[ \t]|[IVX]{1,4}\.[ \t])"
)


def _full_stop(text: str, i: int) -> bool:
    """A sentence ends at `i`: white space follows, and no abbreviation (`TS.`, `P.`) precedes."""
    before = text[i - 1] if i > 0 else " "
    return (i + 1 == len(text) or text[i + 1].isspace()) and (
        before.islower() or before.isdigit() or before in ")”\"'" + MASK
    )


def _clause_end(text: str, pos: int, limit: int, *, semicolon: bool) -> int:
    """Where the clause running from `pos` ends, at most at `limit`.

    It ends at a sentence's full stop, a new item or blank line, a `;` (when
    asked) or a `)` that closes a bracket opened before `pos`.
    """
    depth = 0
    limit = min(limit, len(text))
    for i in range(pos, limit):
        c = text[i]
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth < 0:
                return i
        elif (
            (c == ";" and semicolon)
            or (c == "\n" and _NEW_ITEM.match(text, i))
            or (c in ".!?" and _full_stop(text, i))
        ):
            return i
    return limit


_LIEN_HE = r"\s+liên\s+(?:hệ|lạc)"
_CONTACT_HOLDER = r"\s+(?:đầu\s+mối|phụ\s+trách|theo\s+dõi|tiếp\s+nhận)(?=\s*:)"
# The phrases of a contact label, one by one: the order of the alternation.
_CONTACT_ASKERS = (
    *(r"đầu\s+mối", "người", r"cán\s+bộ", r"chuyên\s+viên", r"thông\s+tin", r"chi\s+tiết"),
    *(r"địa\s+chỉ", "xin", r"vui\s+lòng", "hãy", "mời"),
)
_CONTACT_PHRASES = [
    *(p + _LIEN_HE for p in _CONTACT_ASKERS),
    r"liên\s+(?:hệ|lạc)(?=\s*(?::|(?:với|qua|theo|tới|đến|trực\s+tiếp)(?!\w)))",
    *(p + _CONTACT_HOLDER for p in (r"cán\s+bộ", r"chuyên\s+viên", "người")),
    r"đầu\s+mối(?:\s+(?:phối\s+hợp|tiếp\s+nhận|trao\s+đổi|thông\s+tin))?(?=\s*:)",
]
_CONTACT_LABEL = _Phrases(
    re.compile(
        _starting("đnctxvhml") + r"(?<!\w)(?:" + "|".join(_CONTACT_PHRASES) + r")(?!\w)", re.I
    ),
    _CONTACT_PHRASES,
    r"(?!\w)",
)
_HEADING_REST = re.compile(r"[ \t]*[:.]?[ \t]*\n\s*")
_SCOPE_CHARS = 400
_AFTER_NAME = 160  # a phone this close after a name, in its clause, is that person's
_BEFORE_NAME = 40  # `0912 345 678 (anh Tuấn)`


def _contact_scopes(text: str) -> list[Span]:
    """The stretches of text a contact label introduces.

    A heading (`3. Đầu mối liên hệ` alone on its line) reaches over the next
    paragraph; `Người liên hệ: …` runs to the end of its sentence, over `;`
    between several persons; `liên hệ với …` to the end of its clause.
    """
    scopes: list[Span] = []
    for m in _CONTACT_LABEL.finditer(text):
        start = m.end()
        heading = _HEADING_REST.match(text, start)
        if heading:
            start = heading.end()
        listing = heading is not None or text[m.end() : m.end() + 3].lstrip().startswith(":")
        scopes.append(
            (start, _clause_end(text, start, start + _SCOPE_CHARS, semicolon=not listing))
        )
    return scopes


def _inside(pos: int, spans: Sequence[Span]) -> bool:
    return any(s <= pos < e for s, e in spans)


def _followed_by(text: str, end: int, hits: Sequence[Span]) -> bool:
    """Whether a phone or e-mail starts in the clause that goes on after `end`."""
    stop = _clause_end(text, end, end + _AFTER_NAME, semicolon=True)
    return any(end <= s < stop for s, _ in hits)


def _preceded_by(text: str, start: int, hits: Sequence[Span]) -> bool:
    """Whether a phone or e-mail ends just before `start`, in the same clause."""
    return any(
        start - _BEFORE_NAME <= e <= start and _clause_end(text, e, start, semicolon=True) == start
        for _, e in hits
    )


def _titled(text: str, title: _Phrases) -> Iterator[tuple[int, list[Span]]]:
    """(start of the title, syllables of the name) for each name printed right after a title.

    Between them only the office may stand: `Phó Chủ tịch Ủy ban nhân dân tỉnh Lê
    Văn Z`, `Chủ tịch UBND tỉnh Nguyễn Văn X`, `Bộ trưởng Bộ X Trần Văn Y`.
    """
    for m in title.finditer(text):
        limit = min(len(text), m.end() + 90)
        pos = m.end()
        for w in _WORD.finditer(text, pos, limit):
            between = text[pos : w.start()]
            # Most often one space, which stops nothing: the characters are read only otherwise.
            if between != " " and (
                "\n\n" in between or any(c in ",;:()." or c.isdigit() or c == MASK for c in between)
            ):
                break
            word = w.group()
            if word[0].islower() and word in _TITLE_STOP:
                break
            if _is_surname(word):
                words = _name_at(text, w.start(), limit)
                if len(words) >= 2:
                    yield m.start(), words
                    break
            pos = w.end()


def _phones_outside(text: str, emails: list[Span]) -> list[Span]:
    """The phone numbers that are no part of an e-mail address."""
    return [p for p in _phones(text) if all(p[1] <= s or p[0] >= e for s, e in emails)]


# Words of an address before a street's or a place's name (lexicon `address_words`).
_ADDRESS_WORDS = lexicon.literal("address_words")


class _Finder:
    """The phones, e-mails and contact lines of one text, found once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.emails = _emails(text)
        self.phones = _phones_outside(text, self.emails)
        self.hits = sorted(self.phones + self.emails)
        self.scopes = _contact_scopes(text)

    def officials(self) -> list[Span]:
        """Names after a leader's title, unless that person is given as a contact."""
        out = []
        for _, words in _titled(self.text, _LEADER_TITLE):
            span = (words[0][0], words[-1][1])
            if not self._called(span):
                out.append(span)
        return out

    def _called(self, name: Span) -> bool:
        return _followed_by(self.text, name[1], self.hits)

    def leads(self) -> bool:
        """A phone number, an e-mail address or a contact line: without one no
        name is a contact person's (each is named in a contact line or beside
        a number), and the names need not be looked for."""
        return bool(self.hits or self.scopes)

    def contact_names(self) -> list[Span]:
        if not self.leads():
            return []
        text = self.text
        names: list[Span] = []
        # After an honorific: `Ông Nguyễn Trọng Nhân`, `đ/c Hà`, `ThS. Lê Thị B`.
        for m in _HONORIFIC.finditer(text):
            if re.search(
                rf"(?i:\d|{_ADDRESS_WORDS})\s*$",
                text[max(0, m.start() - 10) : m.start()],
            ):
                continue  # an address: `17 Bà Triệu`
            words = _name_at(text, m.end())
            if not words or _is_place(text, m.start(), words):
                continue
            if text[words[0][0] : words[0][1]] in _HONORIFIC_WORDS:
                continue
            span = (words[0][0], words[-1][1])
            if (
                _inside(m.start(), self.scopes)
                or self._called(span)
                or _preceded_by(text, m.start(), self.hits)
            ):
                names.append(span)
        # After a title: `Chuyên viên Nguyễn Văn D, ĐT: …` (a leader only when a number follows).
        for start, words in _titled(text, _JOB_TITLE):
            span = (words[0][0], words[-1][1])
            leader = _LEADER_TITLE.match(text, start) is not None
            if self._called(span) or (not leader and _inside(start, self.scopes)):
                names.append(span)
        # Without either, a full name opening a clause: `Người liên hệ: Nguyễn Văn A – 0912…`.
        for region in self._regions():
            for w in _WORD.finditer(text, *region):
                if not _is_surname(w.group()) or not _opens_clause(text, w.start()):
                    continue
                words = _name_at(text, w.start(), max_words=5)
                if len(words) < 2 or _is_place(text, w.start(), words):
                    continue
                span = (words[0][0], words[-1][1])
                if _inside(w.start(), self.scopes) or self._called(span):
                    names.append(span)
        return _disjoint(names)

    def _regions(self) -> list[Span]:
        regions = list(self.scopes)
        regions += [(max(0, s - _AFTER_NAME), s) for s, _ in self.hits]
        merged: list[Span] = []
        for s, e in sorted(regions):
            if merged and s <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
            else:
                merged.append((s, e))
        return merged


_OPENERS = _words("với gặp là và hoặc hệ lạc")


def _opens_clause(text: str, pos: int) -> bool:
    """Whether `pos` starts a clause: after `:`, `,`, `(`, a dash, a line break, `với`, `là`."""
    before = text[max(0, pos - 12) : pos].rstrip(" \t")
    if not before or before[-1] in ":;,(-–—•+\n":
        return True
    last = before.split()[-1] if before.split() else ""
    return last.lower() in _OPENERS


@lru_cache(maxsize=4)
def _finder(text: str) -> _Finder:
    return _Finder(text)


def has_personal_data(text: str) -> bool:
    """Whether `find_personal_data` can find anything in `text`, whatever `keep`
    is: a phone number, an e-mail address or a contact line is there. Most
    letters have none, and then the names to keep need not be looked for."""
    return _finder(text).leads()


def find_officials(text: str) -> list[Span]:
    """Names of leaders printed right after their title, whose words or duties
    the letter conveys (`Phó Chủ tịch Lê Văn Z`): kept by `--redact`.

    A leader given as a contact (a phone number follows the name) is not among them.
    """
    return _finder(text).officials()


def find_phones_and_emails(text: str) -> list[Span]:
    """The phone numbers and e-mail addresses `find_personal_data` finds, without
    looking for names (what `--redact` masks in a value that quotes no span)."""
    emails = _emails(text)
    return sorted(_phones_outside(text, emails) + emails)


def find_personal_data(text: str, keep: Sequence[Span] = ()) -> list[Redaction]:
    """Phone numbers, e-mail addresses and contact persons' names in `text`, in order.

    No name that overlaps a `keep` range (the signer, the leaders whose
    instructions are conveyed) is returned. Phone numbers and e-mail addresses
    are returned wherever they stand: a kept range is a name, and a number
    inside one (a signature block run together with the text) is no one's to keep.
    """
    f = _finder(text)
    found: list[tuple[Kind, Span]] = [("phone", s) for s in f.phones]
    found += [("email", s) for s in f.emails]
    found += [
        ("contact_name", s)
        for s in f.contact_names()
        if all(s[1] <= a or s[0] >= b for a, b in keep)
    ]
    return sorted((Redaction(kind=kind, span=span) for kind, span in found), key=lambda r: r.span)
