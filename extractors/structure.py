"""The structure of a letter's body: the tree of enumerated items.

Markers seen in real letters: `I.`, `1.`, `1/`, `1)`, `1.1.`, `a)`, `a/`,
`đ)`, `(1)`, `(a)`, `(i)`, `-`, `+`, `•`, `Điều 2.`, `Thứ nhất,`. Nesting is decided the
way a reader does it: a marker style met for the first time opens a deeper
level; a style already open closes the levels below it. Unmarked paragraphs
continue the item above them (also across a page break).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from vanban.extractors import lexicon

# `I.`, `II)`, `III/`, `IV:`, `I-` / `II -` (a dash after the numeral, as `1 -` below).
_ROMAN = re.compile(r"^(?P<m>(?P<k>[IVX]{1,5})(?:[.)/:]|\s*[-–](?=\s)))\s*(?=\S)")
_DEC2 = re.compile(r"^(?P<m>(?P<k>\d{1,2}(?:\.\d{1,2}){1,3})\.?)\s+(?=\S)")
# `1.`, `1)`, `1/`, `1 -`; a digit right after the marker (`14/8/2025`,
# `1.000`) is a number, not an item.
_DEC = re.compile(r"^(?P<m>(?P<k>\d{1,2})(?:[.)/]|\s*[-–]\s))(?:\s+|(?=[^\d\s]))(?=\S)")
# OCR reads a `c)` marker as `©)` (lexicon `ocr_confusions`, where `marker`).
_MARKER_READS = {
    r["read"]: r["meant"] for r in lexicon.rows("ocr_confusions") if r["where"] == "marker"
}
_LETTER = re.compile(
    r"^(?P<m>(?P<k>[a-zđ]|" + "|".join(map(re.escape, _MARKER_READS)) + r")[)/.])"
    # `a)Rà soát …`: a bracket marker may touch its text (OCR, typists), as `1.Sở …` does.
    r"(?:\s+|(?<=\))(?=[^\W\d_]))(?=\S)"
)
_PAREN = re.compile(r"^(?P<m>\((?P<k>\d{1,2}|[a-zđ]|[ivx]{1,4})\))\s*(?=\S)")
_ARTICLE = re.compile(r"^(?P<m>Điều\s+(?P<k>\d{1,3})\s*[.:])\s*")
_DASH = re.compile(r"^(?P<m>[-–—])\s*(?=\S)")
_PLUS = re.compile(r"^(?P<m>\+)\s*(?=\S)")
_BULLET = re.compile(r"^(?P<m>[•·▪●○◦■□➢❖*])\s*(?=\S)")
# `Thứ nhất, các bộ …`, `Thứ hai, …`: an ordinal word opens an item (`data/lexicon/ordinal_words.tsv`).
_ORDINAL_WORDS = {r["word"]: int(r["n"]) for r in lexicon.rows("ordinal_words")}
_WORD = re.compile(
    r"^(?P<m>Thứ\s+(?P<k>"
    + "|".join(sorted(_ORDINAL_WORDS, key=len, reverse=True))
    + r")\s*[,:.])\s*(?=\S)"
)

# `Hoạt động 1: …`, `Nhiệm vụ 2. …`: a noun and its number open an item of a plan
# (`data/lexicon/item_nouns.tsv`); its number is its key, like `1.`.
_NOUN = re.compile(
    r"^(?P<m>(?i:"
    + "|".join(re.escape(w) for w in lexicon.words("item_nouns"))
    + r")\s+(?P<k>\d{1,2})\s*[:.])\s*(?=\S)"
)

_PATTERNS = [
    ("article", _ARTICLE),
    ("roman", _ROMAN),
    ("dec2", _DEC2),
    ("dec", _DEC),
    ("word", _WORD),
    ("noun", _NOUN),
    ("paren", _PAREN),
    ("letter", _LETTER),
    ("dash", _DASH),
    ("plus", _PLUS),
    ("bullet", _BULLET),
]
# Usual depth of each style: a style met for the first time opens a deeper
# level, unless it usually sits higher than the open one (a `1/` list after
# `-` bullets is their sibling, not their child).
_RANK = {
    "article": 0,
    "roman": 1,
    "dec": 2,
    "word": 2,
    "noun": 2,
    "dec2": 3,
    "paren_num": 4,
    "letter": 5,
    "paren_letter": 6,
    "paren_roman": 7,
    "dash": 8,
    "plus": 9,
    "bullet": 10,
}
_STOPS = (".", ":", ";", "!", "?", "./.")
# What may close a sentence after its stop: a quotation's or a bracket's closing mark (`….”`).
_CLOSING_MARKS = "”\"’')»"
_MARKER_ALONE = re.compile(r"(?:[IVX]{1,5}|\d{1,2}|[a-zđ])[.)/]|\((?:\d{1,2}|[a-zđ])\)")
_VALID_ROMAN = re.compile(r"^(?:X{0,3})(?:IX|IV|V?I{0,3})$")


_ORDINAL_STYLES = {
    "noun",
    "roman",
    "dec",
    "word",
    "letter",
    "paren_num",
    "paren_letter",
    "paren_roman",
    "article",
}
_LETTERS = "abcdđefghiklmnopqrstuvxy"
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}


def ordinal(style: str, key: str) -> int | None:
    """Position a marker stands for: `c` → 3, `đ` → 5, `IV` → 4, `(2)` → 2."""
    if style in {"dec", "paren_num", "article", "noun"}:
        return int(key)
    if style == "word":
        return _ORDINAL_WORDS.get(key)
    if style in {"letter", "paren_letter"}:
        return _LETTERS.index(key) + 1 if key in _LETTERS else None
    if style in {"roman", "paren_roman"}:
        total, prev = 0, 0
        for ch in reversed(key.upper()):
            v = _ROMAN_VALUES.get(ch, 0)
            total, prev = (total - v, prev) if v < prev else (total + v, v)
        return total
    return None


@dataclass
class Item:
    style: str  # marker style, or "root"
    key: str  # the marker's value: `1`, `a`, `II`, `1.2`, or the dash position
    marker: str  # the marker as printed (`1.`, `a)`, `-`), "" for none
    start: int  # start of the marker
    text_start: int  # start of the item's own text
    end: int  # end of its own text and unmarked continuation (not children)
    parent: Item | None = None
    children: list[Item] = field(default_factory=list)
    label: str = ""
    # Starts of the unmarked paragraphs that continue this item.
    paragraphs: list[int] = field(default_factory=list)

    @property
    def subtree_end(self) -> int:
        return self.children[-1].subtree_end if self.children else self.end

    def walk(self) -> list[Item]:
        out: list[Item] = []
        for c in self.children:
            out.append(c)
            out.extend(c.walk())
        return out


def _key(m: re.Match[str]) -> str:
    """The marker's key as printed, with an OCR misreading of it undone (`©` → `c`)."""
    key = m.group("k") if "k" in m.groupdict() else ""
    return _MARKER_READS.get(key, key)


# The character each style's pattern opens on (issue 16: `_marker` is asked of every line of a
# letter, and most lines open on none of them): `_ARTICLE` on `Đ`, `_WORD` on `T`, `_NOUN` on a
# noun's first letter in either case (`re.IGNORECASE` matches an ASCII letter to another ASCII
# letter only), `\d` on a character of `str.isdecimal` (Unicode's Nd, as `re` reads `\d`).
_NOUN_FIRSTS = {w[0].lower() for w in lexicon.words("item_nouns")}
_OPENS: dict[str, Callable[[str], bool]] = {
    "article": "Đ".__eq__,
    "roman": lambda c: c in "IVX",
    "dec2": str.isdecimal,
    "dec": str.isdecimal,
    "word": "T".__eq__,
    "noun": lambda c: not c.isascii() or c.lower() in _NOUN_FIRSTS,
    "paren": "(".__eq__,
    "letter": lambda c: c in "abcdefghijklmnopqrstuvwxyzđ" or c in {r[:1] for r in _MARKER_READS},
    "dash": lambda c: c in "-–—",
    "plus": "+".__eq__,
    "bullet": lambda c: c in "•·▪●○◦■□➢❖*",
}
_PATTERNS_AT: dict[str, list[tuple[str, re.Pattern[str]]]] = {}


def _patterns_at(first: str) -> list[tuple[str, re.Pattern[str]]]:
    """The `_PATTERNS` that can match a line opening on `first`, in their order: exactly
    those whose first character may be `first`, so `_marker` finds what it found by
    trying every pattern, made once per distinct first character."""
    found = _PATTERNS_AT.get(first)
    if found is None:
        found = [(s, p) for s, p in _PATTERNS if first and _OPENS[s](first)]
        _PATTERNS_AT[first] = found
    return found


def _marker(line: str) -> tuple[str, re.Match[str]] | None:
    for style, pat in _patterns_at(line[:1]):
        m = pat.match(line)
        if not m:
            continue
        if style == "roman" and not _VALID_ROMAN.match(m.group("k")):
            continue
        if style == "dec" and int(m.group("k")) == 0:
            continue
        if style == "paren":
            k = m.group("k")
            style = (
                "paren_num"
                if k.isdigit()
                else (
                    "paren_roman"
                    if re.fullmatch(r"[ivx]+", k) and k not in {"v", "x"}
                    else "paren_letter"
                )
            )
        return style, m
    return None


def parse_items(text: str, start: int, end: int) -> Item:
    """The item tree of `text[start:end]`; the root holds unmarked paragraphs too.

    Unmarked paragraphs before the first item become children of the root
    with style `para`; so do paragraphs that follow a list when they open
    with a new actor (decided later by the task rules, see `tasks.py`).
    """
    root = Item("root", "", "", start, start, start)
    stack: list[Item] = [root]
    pos = start
    raw_lines = text[start:end].split("\n")
    wrap_width = _wrap_width(raw_lines)
    prev_line = ""
    blank_before = False
    # A marker printed alone on its line (`1.` then the text below it, as
    # crawls and some Word exports print it) opens the item of the next line.
    alone: tuple[int, str] | None = None
    for n, raw_line in enumerate(raw_lines):
        ls, le = pos, pos + len(raw_line)
        pos = le + 1
        stripped = raw_line.lstrip()
        if not stripped:
            blank_before = True  # `prev_line` stays the last printed line
            continue
        indent = len(raw_line) - len(stripped)
        # `_MARKER_ALONE` is 6 characters at most (`IIIII.`): a longer line ending on a printed
        # character is not tried (issue 16).
        if (
            alone is None
            and (len(stripped) <= 6 or stripped[-1].isspace())
            and _MARKER_ALONE.fullmatch(stripped.rstrip())
        ):
            alone = (ls + indent, stripped.rstrip())
            continue
        marker_start = ls + indent
        if alone is not None:
            marker_start, printed = alone
            alone = None
            found = _marker(f"{printed} {stripped}")
            shift = len(printed) + 1  # the joined marker and space are not in the text
        else:
            found = _marker(stripped)
            shift = 0
        if (
            found
            and found[0] in {"dash", "plus"}
            and _continues("" if blank_before else prev_line, wrap_width)
            and not _bullet_of_a_list(raw_lines, n, found[0])
        ):
            # `… Festival Thăng Long` / `- X lần thứ II`: a name's dash
            # that a line break put first, not a bullet.
            found = None
        if (
            found
            and found[0] == "dash"
            and _compound_dash(prev_line, blank_before, stripped)
            and not _first_of_a_lower_list(raw_lines, n)
        ):
            found, blank_before = None, False  # the sentence runs on: a blank line was layout
        if (
            found
            and found[0] in _ORDINAL_STYLES
            and not _in_sequence(stack, found[0], _key(found[1]))
        ):
            # `24/KH-UBND` wrapped to the start of a line is text, not item 24.
            found = None
        prev_line = stripped
        was_blank, blank_before = blank_before, False
        if found is None:
            top = stack[-1]
            if (
                top.style == "para"
                and not was_blank
                and not _closes_sentence(text[top.start : top.end])
            ):
                # A wrapped line of the same paragraph (PDF, OCR).
                top.end = le
            elif top is root or top.style == "para":
                para = Item("para", "", "", ls + indent, ls + indent, le, parent=root)
                root.children.append(para)
                stack = [root, para]
            else:
                top.paragraphs.append(ls + indent)
                top.end = le
            continue
        style, m = found
        key = _key(m)
        styles = [it.style for it in stack]
        # Pop to a sibling of the same style, or open a deeper level.
        if style in styles:
            while stack[-1].style != style:
                stack.pop()
            prev = stack.pop()
            _fill_gap(text, prev, style, key, stack[-1])
        else:
            if stack[-1].style == "para":
                stack.pop()
            while len(stack) > 1 and _RANK.get(stack[-1].style, 99) >= _RANK[style] + 2:
                popped = stack.pop()
                _split_leadin(text, popped, stack[-1])
        parent = stack[-1]
        text_start = ls + indent + max(0, m.end() - shift)
        item = Item(style, key, m.group("m"), marker_start, text_start, le, parent=parent)
        parent.children.append(item)
        stack.append(item)
    _label(root)
    return root


def _closes_sentence(paragraph: str) -> bool:
    """The paragraph ends on a sentence's stop, perhaps inside a quotation or a bracket that
    closes after it (`… theo quy định.”`): a line below opens a paragraph of its own (§3
    rule 5: each sentence that assigns work is one task, not part of the quotation above)."""
    return paragraph.rstrip().rstrip(_CLOSING_MARKS).endswith(_STOPS)


def _wrap_width(lines: list[str]) -> int:
    """Typical width of a full line when the text is hard-wrapped (PDF, OCR); 0 if not."""
    lengths = sorted(len(x.strip()) for x in lines if x.strip())
    if len(lengths) < 8:
        return 0
    p80 = lengths[int(len(lengths) * 0.8)]
    # Paragraph-per-line text has few lines of similar length.
    similar = sum(1 for n in lengths if p80 * 0.85 <= n <= p80 * 1.15)
    return p80 if p80 < 160 and similar >= len(lengths) * 0.3 else 0


def _compound_dash(prev: str, blank_before: bool, line: str) -> bool:
    """`… tình hình kinh tế` / `- xã hội trong từng thời kỳ.`: the dash of a compound (`kinh tế -
    xã hội`) that a line break put first, in a paragraph's running text; a bullet opens in
    capitals, or after a lead-in (`…:`), another bullet or an item's closing stop. A blank
    line between is layout when the line above is running text (no item's or heading's
    marker): its sentence stops on no punctuation, so it runs on (§3 rule 1: items are
    marked, `-` among them; §3 rule 5: a sentence is one task)."""
    marker = _marker(prev)
    return bool(
        prev
        and (not blank_before or marker is None)
        and line.lstrip("-–— \t")[:1].islower()
        and not prev.rstrip().endswith((".", ";", ":", ",", "!", "?"))
        and ((marker or ("",))[0] not in {"dash", "plus", "bullet"} or _capital_bullet(prev))
    )


def _capital_bullet(line: str) -> bool:
    """A bullet whose text opens in capitals (`- Tổng hợp tình hình phát triển kinh tế`): its
    list is one of sentences, so a lower-case dash line right below it that its words run into
    (`- xã hội của tỉnh …`) is the compound's dash, not a bullet of that list; a list of
    lower-case points (`- xây dựng kế hoạch` / `- tổ chức kiểm tra`) keeps its dashes."""
    return line.lstrip("-–—+•* \t")[:1].isupper()


def _first_of_a_lower_list(lines: list[str], n: int) -> bool:
    """Line `n` opens a list of dashes in lower case: the next printed line is another dash
    before a lower-case word (`Sở X chủ trì` / `- xây dựng kế hoạch …;` / `- tổ chức kiểm
    tra …`), so its own dash is a bullet, not a compound's (§3 rule 2: each sub-item of an
    actor heading is a task). A lead-in (`… xã hội như sau:`) runs on its sentence instead."""
    if lines[n].rstrip().endswith(":"):
        return False
    after = next((x.strip() for x in lines[n + 1 :] if x.strip()), "")
    return (_marker(after) or ("",))[0] == "dash" and after.lstrip("-–— \t")[:1].islower()


def _bullet_of_a_list(lines: list[str], n: int, style: str) -> bool:
    """Line `n` ends its clause (`;`, `.`) and the next line is a bullet of its kind: a list
    under a long heading (`2. Đề nghị Ủy ban MTTQ … và các tổ chức chính trị - xã hội` over `-
    Tuyên truyền …;` / `- Giám sát …`), not a name's dash a line break put first (§3 rule 2:
    each sub-item of an actor heading is a task)."""
    if not lines[n].rstrip().endswith((";", ".")):
        return False
    after = next((x.strip() for x in lines[n + 1 :] if x.strip()), "")
    return (_marker(after) or ("",))[0] == style


def _continues(prev: str, width: int) -> bool:
    return bool(
        width
        and prev
        and len(prev) >= width * 0.8
        and not prev.rstrip().endswith((".", ";", ":", "!", "?"))
    )


def _split_leadin(text: str, item: Item, parent: Item) -> None:
    """A closing `…:` paragraph glued to the last bullet introduces the next list."""
    if not item.paragraphs:
        return
    start = item.paragraphs[-1]
    if not text[start : item.end].rstrip().endswith(":"):
        return
    para = Item("para", "", "", start, start, item.end, parent=parent)
    item.end = len(text[:start].rstrip())
    item.paragraphs = item.paragraphs[:-1]
    parent.children.append(para)


def _in_sequence(stack: list[Item], style: str, key: str) -> bool:
    n = ordinal(style, key)
    if n is None:
        return False
    open_ = [it for it in stack if it.style == style]
    if not open_:
        return n <= 2
    prev = ordinal(style, open_[-1].key) or 0
    # Skipped and out-of-order numbers happen (OCR, careless drafting),
    # but not far.
    return 1 <= n <= prev + 2 and n != prev


def _fill_gap(text: str, prev: Item, style: str, key: str, parent: Item) -> None:
    """`(4)` then `(6)`: an unmarked paragraph in between is the missing `(5)`."""
    n, p = ordinal(style, key), ordinal(style, prev.key)
    if n is None or p is None or n != p + 2 or not prev.paragraphs:
        return
    for start in reversed(prev.paragraphs):
        before = text[:start].rstrip()
        if before.endswith((".", ";", ":")) and text[start : start + 1].isupper():
            missing = Item(style, _key_for(style, p + 1), "", start, start, prev.end, parent=parent)
            prev.end = len(before) if len(before) > prev.text_start else prev.end
            prev.paragraphs = [x for x in prev.paragraphs if x < start]
            parent.children.append(missing)
            return


def _key_for(style: str, n: int) -> str:
    if style in {"letter", "paren_letter"}:
        return _LETTERS[n - 1] if n <= len(_LETTERS) else str(n)
    if style in {"roman", "paren_roman"}:
        return (
            ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][n - 1]
            if n <= 10
            else str(n)
        )
    return str(n)


def _label(node: Item, prefix: str = "") -> None:
    counts: dict[str, int] = {}
    dash_n = 0
    para_n = 0
    for c in node.children:
        if c.style in {"dash", "plus", "bullet"}:
            dash_n += 1
            own = f"-{dash_n}"
        elif c.style == "para":
            para_n += 1
            own = f"p{para_n}"
        elif c.style == "article":
            own = f"Điều {c.key}"
        elif c.style == "word":
            own = str(_ORDINAL_WORDS.get(c.key, c.key))  # `Thứ hai,` is item 2
        else:
            own = c.key
            if c.style == "dec2" and node.style == "dec" and own.split(".")[0] == node.key:
                # `1.1.` under `1.` is printed in full: it replaces its parent's part.
                c.label = (prefix.rsplit(".", 1)[0] + "." if "." in prefix else "") + own
                _label(c, c.label)
                continue
        n = counts.get(own, 0) + 1
        counts[own] = n
        if n > 1:
            own = f"{own}{n}"
        c.label = f"{prefix}.{own}" if prefix else own
        _label(c, c.label)
