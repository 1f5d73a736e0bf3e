"""Recipients (`Kính gửi:`, or a Công điện's `<issuer> điện:` list) and the
`Nơi nhận:` distribution list (cc), ANNOTATION.md §2.

Entries are found as regions of text; the agency registry turns each region
into canonical agencies or group codes with their spans.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from vanban.extractors import lexicon
from vanban.extractors.frame import Frame
from vanban.extractors.text_utils import strip_span
from vanban.schemas import Agency, CcEntry, CcPurpose, TextDoc

Span = tuple[int, int]
FindAgencies = Callable[[str, int, int], list[Agency]]

# `Kính gửi:` or its verb alone (lexicon `address_openings`, column `recipients`).
_KINH_GUI = re.compile(
    r"(?<![Đđ]ồng )(?<![Đđ]ồng kính )(?:"
    + lexicon.address_opening("recipients")
    + "|"
    + lexicon.address_verb("recipients")
    + r")\s*:[ \t]*",
    re.I,
)
_DIEN = re.compile(r"\bđiện\s*:[ \t]*$", re.M)
# The entries' bullets: `-` as typed, `–`/`—` as a font or OCR prints it (the item dashes of
# `structure.py`).
_BULLET = re.compile(r"^[ \t]*[-+•–—*][ \t]*")
# Entries inside one line are separated by `;` or by ` - ` bullets.
_INLINE_SEP = re.compile(r";[ \t]*(?:[-+•–—][ \t]*)?|(?<=[.;,])[ \t]+[-+•–—][ \t]+|^[-+•–—][ \t]*")
# Entries numbered `1. Sở X;` / `2. …` when the first one is: the number is no part
# of the name.
_NUMBERED = re.compile(r"^[ \t]*\d{1,2}[.)][ \t]+")
_AFTER_LIST = re.compile(r"^\s*\((?:Sau đây|sau đây)")
# `- Đồng kính gửi: …` under the list: the copies, not recipients (ANNOTATION §2
# `recipients`: the `Kính gửi:` entries, not `Đồng kính gửi`).
_CC_COPY = re.compile(
    r"^[ \t]*(?:[-+•–—*][ \t]*)?[ĐđDd][ồô]ng\s+(?:"
    + lexicon.address_opening("recipients")
    + r")\b",
    re.I,
)
# A line that opens the body (`Xét đề nghị của …`, `Căn cứ …`) is not the
# wrapped end of the last entry: the `Kính gửi:` entries end where the letter's
# first paragraph begins (ANNOTATION §2 `recipients`).
_BODY_OPENING = re.compile("(?:" + lexicon.alternation("body_openings", "recipients", "y") + r")\b")


@functools.cache
def _titles() -> frozenset[str]:
    return frozenset(r["title"].casefold() for r in lexicon.rows("official_titles"))


def _title_alone(text: str, region: Span) -> bool:
    """`Kính gửi: Bộ trưởng` / / `Bộ Y`: an entry that is an official's title alone
    (lexicon `official_titles`) names no one yet; the body it heads follows on the next line,
    a blank line between or not (ANNOTATION §2 `recipients`: the addressed bodies)."""
    entry = " ".join(text[region[0] : region[1]].split()).strip(" ;,.").casefold()
    return entry in _titles()


def recipient_regions(doc: TextDoc, frame: Frame) -> list[Span]:
    """Spans of the recipient entries, in order."""
    text = doc.text
    zone_end = max(frame.header_end, frame.start)
    search_end = min(len(text), zone_end + 200)
    m = None
    for cand in _KINH_GUI.finditer(text, frame.start, search_end):
        m = cand
        break
    if m is None:
        for cand in _DIEN.finditer(text, frame.start, search_end):
            m = cand
            break
    if m is None:
        return []
    regions: list[Span] = []
    pos = m.end()
    line_end = text.find("\n", pos)
    line_end = len(text) if line_end < 0 else line_end
    if text[pos:line_end].strip():
        regions.extend(_split_inline(text, pos, line_end))
    # Following bullet lines (the usual layout), until the first paragraph.
    cursor = line_end + 1
    numbered = False
    while cursor < len(text):
        nl = text.find("\n", cursor)
        nl = len(text) if nl < 0 else nl
        seg = text[cursor:nl]
        if not seg.strip():
            if regions:
                # A blank line ends the list unless the next line is a bullet, or the last
                # entry is a title still waiting for its body.
                nxt = text[nl + 1 : nl + 3]
                if not _BULLET.match(nxt) and not _title_alone(text, regions[-1]):
                    break
            cursor = nl + 1
            continue
        if _AFTER_LIST.match(seg) or _CC_COPY.match(seg):
            break
        number = _NUMBERED.match(seg) if numbered or not regions else None
        if number is not None and len(seg) < 200:
            numbered = True
            regions.extend(_split_inline(text, cursor + number.end(), nl))
            cursor = nl + 1
            continue
        if _BULLET.match(seg) or (not regions and len(seg) < 200):
            regions.extend(_split_inline(text, cursor, nl))
            cursor = nl + 1
            continue
        prev = text[:cursor].rstrip()
        if (
            regions
            and len(seg) < 120
            and prev
            and prev[-1] not in ";.:"
            and not _BODY_OPENING.match(seg.lstrip())
            and not _longer_than_above(prev, seg)
        ):
            # An entry wrapped onto the next line (`Sở Giáo dục và / Đào tạo;`).
            regions[-1] = (regions[-1][0], strip_span(text, cursor, nl, _ENTRY_STRIP)[1])
            cursor = nl + 1
            continue
        break
    return [r for r in regions if r[1] > r[0]]


def _longer_than_above(before: str, line: str) -> bool:
    """`line` runs well past the line above it (`Kính gửi: Ban X tỉnh` / `Ủy ban nhân dân
    tỉnh nhận được Công văn số … của`): a line is broken where it is full, so what a break
    carries over is never much longer than the line it left; this is the body's first line,
    printed with no blank line under the list (§2 recipients: the entries end there). Not
    after a comma: the list goes on there (`Kính gửi: Sở A, Sở B,` / `Sở C
    và D, Sở E, …`), however long its next line."""
    above = before[before.rfind("\n") + 1 :].strip()
    return not above.endswith(",") and len(line.strip()) > 1.5 * len(above)


def _split_inline(text: str, start: int, end: int) -> list[Span]:
    # A list pasted into one table cell: `- A; - B; - C.`
    out: list[Span] = []
    pos = start
    for sep in _INLINE_SEP.finditer(text, start, end):
        if sep.start() > pos:
            out.append(strip_span(text, pos, sep.start(), _ENTRY_STRIP))
        pos = sep.end()
    if pos < end:
        out.append(strip_span(text, pos, end, _ENTRY_STRIP))
    return out


_ENTRY_STRIP = " \t.;,-–+•*"
_OWNER = re.compile(r"\b(?:trực\s+)?thuộc\s*$")
# A group's words heading the named bodies after them on their line.
_LIST_HEAD_COLON = re.compile(r"(?:[ \t]+(?:có[ \t]+)?liên quan)?[ \t]*:[ \t]*", re.I)


def extract_recipients(doc: TextDoc, frame: Frame, find: FindAgencies) -> list[Agency]:
    out: list[Agency] = []
    seen: set[str] = set()
    for s, e in recipient_regions(doc, frame):
        found = find(doc.text, s, e)
        for k, a in enumerate(found):
            if k > 0 and a.span and _OWNER.search(doc.text, s, a.span[0]):
                # `Các cơ quan …, cơ quan hành chính khác thuộc Ủy ban nhân dân
                # Thành phố`: the body the units belong to is not addressed (§4:
                # `các đơn vị thuộc Bộ X` names the units, not the Bộ).
                continue
            nxt = found[k + 1] if k + 1 < len(found) else None
            if (
                a.code
                and a.span
                and nxt is not None
                and nxt.code is None
                and nxt.span
                and _LIST_HEAD_COLON.fullmatch(doc.text, a.span[1], nxt.span[0])
            ):
                continue  # `Các đơn vị: Sở A, Sở B`: the list's head, not a body (§4)
            key = a.code or a.name
            if key in seen:
                continue
            seen.add(key)
            out.append(a)
    return out


# `(để b/c)`, `(phối hợp)`: why a body gets a copy (`data/lexicon/recipient_purposes.tsv`).
_PURPOSE = re.compile(
    r"\((?:để\s+)?(" + lexicon.alternation("recipient_purposes") + r")[^)]*\)", re.I
)
_CC_HEAD = re.compile(r"N[ơo]i\s*nh[ậa]n\s*:?", re.I)
# The signature block: its authority line (lexicon `authority_marks`) or a head's
# position in capitals (`signing_heads`), or a deputy's.
_SIGN_START = re.compile(
    lexicon.authority_mark() + r"|\b(?:" + lexicon.alternation("signing_heads") + r"|PHÓ [A-ZĐ])"
)


def _purpose(said: str | None) -> CcPurpose | None:
    """The English value of a purpose as printed (`b/c` → `report`; lexicon `recipient_purposes`)."""
    value = _purpose_values().get(" ".join(said.split()).casefold()) if said else None
    return CcPurpose(value) if value else None


@functools.cache
def _purpose_values() -> dict[str, str]:
    return {r["purpose"].casefold(): r["value"] for r in lexicon.rows("recipient_purposes")}


def extract_cc(doc: TextDoc, frame: Frame) -> list[CcEntry]:
    text = doc.text
    m = _CC_HEAD.search(text, frame.body_end, frame.end)
    if not m:
        return []
    out: list[CcEntry] = []
    pos = m.end()
    while pos < frame.end:
        nl = text.find("\n", pos)
        nl = frame.end if nl < 0 or nl > frame.end else nl
        seg = text[pos:nl]
        if seg.strip() and not _BULLET.match(seg) and out:
            break
        sig = _SIGN_START.search(seg)
        seg_end = (
            pos + sig.start() if sig and sig.start() > 0 and "Lưu" not in seg[: sig.start()] else nl
        )
        for s, e in _split_inline(text, pos, seg_end):
            raw = text[s:e]
            if not raw or re.fullmatch(r"\W+", raw):
                continue
            pm = _PURPOSE.search(raw)
            said = pm.group(1) if pm else None
            out.append(CcEntry(raw=raw, purpose=_purpose(said), purpose_raw=said, span=(s, e)))
        pos = nl + 1
    return out


_ALIAS = re.compile(
    r"\(\s*(?:sau đây\s+)?(?:được\s+)?(?:gọi\s+(?:chung|tắt)|viết tắt)\s+là\s*:?\s*([^()\n]{2,40}?)\s*\)",
    re.I,
)


def reader_aliases(text: str, start: int, end: int) -> tuple[str, ...]:
    """`(Sau đây gọi chung là các đơn vị)` after the recipients: that phrase means them."""
    return tuple(m.group(1).strip(" .;,").lower() for m in _ALIAS.finditer(text, start, end))
