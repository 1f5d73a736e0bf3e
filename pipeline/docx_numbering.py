"""Word's automatic list markers (`1.`, `a)`, `-`), rebuilt from numbering.xml.

Word does not store a numbered paragraph's marker in its runs: the paragraph
(or its style, or a style that style is based on) points with `w:numPr` to a
list instance (`w:num`), which points to a definition (`w:abstractNum`) whose
levels say how to count and print. The printed marker is a function of every
numbered paragraph before it, so `Numbering.marker` must be called on each
paragraph once, in document order.

Counting follows what Word prints:
- list instances (`w:num`) of one definition share their counters (Word
  continues `1, 2` into a second instance, as ECMA-376 17.9 keeps the count on
  the `w:abstractNum`); a `lvlOverride/startOverride` is how Word writes
  "restart numbering", applied when its instance is first used;
- using a level restarts the levels below it (unless `w:lvlRestart` says
  otherwise);
- `lowerLetter` prints latin a..z, then aa..zz: Word has no `đ`, so a letter
  typed `a, b, c, d, đ` by hand and one auto-numbered differ after `d`, and
  the printed letter is what we keep.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TypeAlias

from docx.oxml.ns import qn
from lxml import etree

Element: TypeAlias = etree._Element

_W_VAL = qn("w:val")
_LEVELS = 9
_PLACEHOLDER = re.compile(r"%([1-9])")
_LETTER_CYCLE = 26 * 30  # lowerLetter/upperLetter numbers before the count starts again at a
_OFF = {"0", "false", "off"}


def _val(el: Element | None, child: str) -> str | None:
    """`w:val` of `el`'s first `child`, or None."""
    if el is None:
        return None
    found = el.find(qn(child))
    return None if found is None else found.get(_W_VAL)


def _int(value: str | None) -> int | None:
    """An ST_DecimalNumber (a 32-bit integer); None when absent or not one."""
    try:
        number = None if value is None else int(value)
    except ValueError:
        return None
    return number if number is not None and -(2**31) <= number < 2**31 else None


def on_off(el: Element | None) -> bool | None:
    """An OOXML on/off property: absent -> None, `<w:caps/>` -> True."""
    if el is None:
        return None
    return el.get(_W_VAL, "true").lower() not in _OFF


def on_off_attr(el: Element, attr: str) -> bool:
    value = el.get(qn(attr))
    return value is not None and value.lower() not in _OFF


class StyleSheet:
    """Style lookup by id, following `w:basedOn` (numbering, caps, hidden text)."""

    def __init__(self, styles: Element | None) -> None:
        self._by_id: dict[str, Element] = {}
        self.default_paragraph: str | None = None
        self.run_defaults: Element | None = None
        if styles is None:
            return
        for style in styles.iter(qn("w:style")):
            style_id = style.get(qn("w:styleId"))
            if style_id is None:
                continue
            self._by_id.setdefault(style_id, style)
            if style.get(qn("w:type")) == "paragraph" and on_off_attr(style, "w:default"):
                self.default_paragraph = style_id
        self.run_defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")

    def chain(self, style_id: str | None) -> Iterator[Element]:
        """The style, then the one it is based on, and so on (cycles cut)."""
        seen: set[str] = set()
        while style_id is not None and style_id not in seen:
            seen.add(style_id)
            style = self._by_id.get(style_id)
            if style is None:
                return
            yield style
            style_id = _val(style, "w:basedOn")


@dataclass(frozen=True)
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # w:lvlRestart: 0 never, n after level n-1 (0-based) is used
    legal: bool = False  # w:isLgl: every number in the marker in decimal
    style: str | None = None  # w:pStyle: the paragraph style bound to this level

    @classmethod
    def parse(cls, lvl: Element, ilvl: int) -> Level:
        fmt = _val(lvl, "w:numFmt") or "decimal"
        if lvl.find(qn("w:lvlPicBulletId")) is not None:
            fmt = "bullet"
        text = _val(lvl, "w:lvlText")
        start = _int(_val(lvl, "w:start"))
        return cls(
            # ECMA-376: no w:start means counting from 0 (Word always writes one).
            start=0 if start is None else start,
            fmt=fmt,
            # ECMA-376: no w:lvlText, no text printed before the paragraph.
            text="" if text is None else text,
            restart=_int(_val(lvl, "w:lvlRestart")),
            legal=on_off(lvl.find(qn("w:isLgl"))) or False,
            style=_val(lvl, "w:pStyle"),
        )


@dataclass
class _Instance:
    """One `w:num`: its definition, and what it overrides for its own paragraphs."""

    abstract_id: str
    start_overrides: dict[int, int] = field(default_factory=dict)
    level_overrides: dict[int, Level] = field(default_factory=dict)


_ROMAN = [
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
]


def _roman(n: int) -> str:
    out = []
    for value, digits in _ROMAN:
        count, n = divmod(n, value)
        out.append(digits * count)
    return "".join(out)


def format_number(n: int, fmt: str) -> str:
    """One level's number as Word prints it for `w:numFmt` `fmt`."""
    if fmt == "bullet":
        return "-"
    if fmt == "none":
        return ""
    if n > 0 and fmt in ("lowerLetter", "upperLetter"):
        # Word: a..z, then aa..zz, aaa.. (the letter repeated), never đ. Past
        # 30 z's (780), which no letter reaches but a damaged w:start can
        # (2^31 would be 82 million letters), the count starts again at a.
        n = (n - 1) % _LETTER_CYCLE + 1
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if 0 < n < 4000 and fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(n)
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt == "decimalZero" and 0 <= n < 10:
        return f"0{n}"
    if fmt == "decimalEnclosedParen":
        return f"({n})"
    # decimal, and formats whose glyphs or words a letter never needs
    # (ordinal, cardinalText, decimalEnclosedCircle, ...): the plain number.
    return str(n)


class Numbering:
    """Rebuilds list markers from numbering.xml, counting paragraphs in order."""

    def __init__(self, numbering: Element | None, styles: StyleSheet) -> None:
        self._styles = styles
        self._abstracts: dict[str, dict[int, Level]] = {}
        self._style_links: dict[str, str] = {}  # abstractNumId -> numbering style id
        self._instances: dict[str, _Instance] = {}
        # Current number of each level, per definition; None = not used yet.
        self._counters: dict[str, list[int | None]] = {}
        self._seen_instances: set[str] = set()
        if numbering is None:
            return
        for abstract in numbering.iter(qn("w:abstractNum")):
            abstract_id = abstract.get(qn("w:abstractNumId"))
            if abstract_id is None:
                continue
            levels: dict[int, Level] = {}
            for lvl in abstract.iter(qn("w:lvl")):
                ilvl = _int(lvl.get(qn("w:ilvl")))
                if ilvl is not None and 0 <= ilvl < _LEVELS:
                    levels[ilvl] = Level.parse(lvl, ilvl)
            self._abstracts[abstract_id] = levels
            link = _val(abstract, "w:numStyleLink")
            if link is not None:
                self._style_links[abstract_id] = link
        for num in numbering.iter(qn("w:num")):
            num_id = num.get(qn("w:numId"))
            abstract_id = _val(num, "w:abstractNumId")
            if num_id is None or abstract_id is None:
                continue
            instance = _Instance(abstract_id)
            for override in num.iter(qn("w:lvlOverride")):
                ilvl = _int(override.get(qn("w:ilvl")))
                if ilvl is None or not 0 <= ilvl < _LEVELS:
                    continue
                start = _int(_val(override, "w:startOverride"))
                if start is not None:
                    instance.start_overrides[ilvl] = start
                lvl = override.find(qn("w:lvl"))
                if lvl is not None:
                    instance.level_overrides[ilvl] = Level.parse(lvl, ilvl)
            self._instances[num_id] = instance

    def _definition(self, abstract_id: str) -> str:
        """Follow `w:numStyleLink` (a list defined by a numbering style) to the real definition."""
        for _ in range(_LEVELS):  # links do not chain deeply; bound it against cycles
            link = self._style_links.get(abstract_id)
            if link is None:
                break
            num_id = next(
                (
                    nid
                    for style in self._styles.chain(link)
                    if (nid := _val(style.find(f"{qn('w:pPr')}/{qn('w:numPr')}"), "w:numId"))
                ),
                None,
            )
            instance = self._instances.get(num_id or "")
            if instance is None or instance.abstract_id == abstract_id:
                break
            abstract_id = instance.abstract_id
        return abstract_id

    def _num_pr(self, p: Element) -> tuple[str, int | None, str | None] | None:
        """(numId, ilvl or None, style that gave the numId) of a paragraph, or None."""
        ppr = p.find(qn("w:pPr"))
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        num_id = _val(num_pr, "w:numId")
        ilvl = _int(_val(num_pr, "w:ilvl"))
        source_style: str | None = None
        style_id = _val(ppr, "w:pStyle") if ppr is not None else None
        if style_id is None:
            style_id = self._styles.default_paragraph
        if num_id is None or ilvl is None:
            # The style chain fills what the paragraph leaves out.
            for style in self._styles.chain(style_id):
                style_num_pr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
                if style_num_pr is None:
                    continue
                if num_id is None:
                    num_id = _val(style_num_pr, "w:numId")
                    source_style = style.get(qn("w:styleId"))
                if ilvl is None:
                    ilvl = _int(_val(style_num_pr, "w:ilvl"))
                if num_id is not None and ilvl is not None:
                    break
        # numId 0 is how a paragraph switches off the numbering of its style.
        if num_id is None or num_id == "0":
            return None
        return num_id, ilvl, source_style

    def marker(self, p: Element) -> str | None:
        """The marker Word prints before paragraph `p` (and count it), or None."""
        found = self._num_pr(p)
        if found is None:
            return None
        num_id, ilvl, source_style = found
        instance = self._instances.get(num_id)
        if instance is None:
            return None  # a dangling numId: Word prints nothing
        abstract_id = self._definition(instance.abstract_id)
        levels = self._abstracts.get(abstract_id)
        if levels is None:
            return None
        if ilvl is None:
            # Numbering from a style, no level given: the level bound to that style.
            ilvl = next(
                (i for i, lvl in levels.items() if source_style and lvl.style == source_style), 0
            )
        if not 0 <= ilvl < _LEVELS:
            ilvl = 0

        def level(i: int) -> Level:
            return instance.level_overrides.get(i) or levels.get(i) or Level(text=f"%{i + 1}.")

        def start(i: int) -> int:
            return instance.start_overrides.get(i, level(i).start)

        counters = self._counters.setdefault(abstract_id, [None] * _LEVELS)
        if num_id not in self._seen_instances:
            self._seen_instances.add(num_id)
            for i in instance.start_overrides:
                counters[i] = None
        current = counters[ilvl]
        counters[ilvl] = start(ilvl) if current is None else current + 1
        for deeper in range(ilvl + 1, _LEVELS):
            # lvlRestart n (1-based) restarts after level n-1 or above; absent, or
            # naming this level or a deeper one, means after any higher level.
            restart = level(deeper).restart
            if restart is None or restart - 1 >= deeper or (restart > 0 and ilvl <= restart - 1):
                counters[deeper] = None

        this = level(ilvl)
        if this.fmt == "bullet":
            return "-"

        def render(m: re.Match[str]) -> str:
            i = int(m.group(1)) - 1
            n = counters[i]
            value = start(i) if n is None else n
            fmt = "decimal" if this.legal and level(i).fmt != "bullet" else level(i).fmt
            return format_number(value, fmt)

        return _PLACEHOLDER.sub(render, this.text).strip() or None
