"""The letter as a tree: its frame, its parts (the letter and what is printed
after its signature), the item tree and the tables of each part.

Built once per file by `build_letter`; every extractor reads it instead of
searching raw regions of text again. Each node carries its span in the
normalised text.

Attachments (văn bản kèm theo, ANNOTATION §3 rule 6): a decision that issues
a plan or programme prints the plan after its own signature; a plan prints
its appendix (`Phụ lục`) after its signature too. Such a document opens with
a title in capitals that begins with a type name (`KẾ HOẠCH`, `PHỤ LỤC`,
`CHƯƠNG TRÌNH`… — `data/lexicon/attachment_titles.tsv`), usually followed by
a caption `(Ban hành kèm theo Quyết định số … )`. It is a part of its own:
its tasks are read from its body and say which part they come from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from vanban.extractors import lexicon
from vanban.extractors.frame import CC_LINE, MOTTO_1, MOTTO_2, Frame, find_frame
from vanban.extractors.structure import Item, parse_items
from vanban.extractors.tables import Table, read_tables
from vanban.schemas import TextDoc

Span = tuple[int, int]

# `(Ban hành kèm theo Quyết định số …)`, `(Kèm theo Kế hoạch số …)`: the caption
# that ties an attached document to the letter that issues it.
_CAPTION = re.compile(r"\((?:[Bb]an hành )?[Kk]èm theo\b[^()]{0,400}\)")
_NUMBERED = re.compile(r"(?m)^\s*S[ốo]\s*:\s*\d+\s*/")
# `KT.`, `TM.`: the authority line of a signature block (`data/lexicon/authority_marks.tsv`).
_SIGNATURE_AUTHORITY = re.compile(r"^" + lexicon.authority_mark(), re.M)


@cache
def _title_start() -> re.Pattern[str]:
    names = "|".join(re.escape(t) for t in lexicon.words("attachment_titles"))
    # A type name in capitals, as a whole word, followed by more capitals or a line end.
    return re.compile(
        rf"(?<![\wÀ-ỹ])(?:{names})(?![\wÀ-ỹ])(?=[^a-zà-ỹ\n]{{0,80}}(?:\n|[A-ZĐÀ-Ỹ]{{2}}))"
    )


@cache
def _cased_title_start() -> re.Pattern[str]:
    """The type name in sentence case on a line of its own (`Phụ lục I`, `Kế hoạch`): a title
    only when its subject lines and its caption follow (`_subject_lines_between`)."""
    names = "|".join(re.escape(t.capitalize()) for t in lexicon.words("attachment_titles"))
    return re.compile(rf"(?m)^[ \t*_]*(?:{names})(?=[ \t]*(?:[IVXLC]+|\d+)?[ \t*_]*$)")


@dataclass
class Part:
    """A document printed in the file (văn bản): the letter itself, or an
    attachment (phụ lục, kế hoạch ban hành kèm theo) with its own title and body."""

    kind: str  # "letter" or "attachment"
    span: Span
    body: Span  # where its items lie (after its title and caption)
    title: str | None = None  # an attachment's title on one line, caption included
    title_span: Span | None = None
    doc_type: str | None = None  # `Kế hoạch`, `Phụ lục` …
    items: Item | None = None
    tables: list[Table] = field(default_factory=list)


@dataclass
class Letter:
    """The tree of one file (văn bản): the frame of the letter and its parts."""

    doc: TextDoc
    frame: Frame
    parts: list[Part]
    tables: list[Table]
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.doc.text

    @property
    def main(self) -> Part:
        return self.parts[0]

    @property
    def attachments(self) -> list[Part]:
        return self.parts[1:]


def build_letter(doc: TextDoc, body_start: int | None = None) -> Letter:
    """Parse `doc` once into its tree. `body_start` moves the letter's body past
    what the header extractors found (the subject, the recipients)."""
    frame = find_frame(doc)
    tables = read_tables(doc)
    warnings: list[str] = []
    limit = _second_letter(doc, frame)
    if limit is not None:
        # §6: only the first letter of a file is read; the others yield nothing.
        warnings.append(
            "the file holds a second letter (a new header at character "
            f"{limit}): only the first was read; save each letter in a file of its own"
        )
        tables = [t for t in tables if t.span[0] < limit]
        frame = _letter_before(doc.text, frame, limit)
    cells = sorted(t.span[0] for t in tables)
    starts = [
        a for a in _attachment_starts(doc.text, frame, cells) if a[0] < (limit or len(doc.text))
    ]
    if starts:
        frame = _letter_before(doc.text, frame, starts[0][0])
    start = max(frame.body_start, body_start or 0)
    main = Part("letter", (frame.start, frame.end), (start, max(start, frame.body_end)))
    parts = [main]
    for i, (s, title_end, body_s) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else (limit or len(doc.text))
        title = " ".join(doc.text[s:title_end].split())
        body = (body_s, _attachment_end(doc.text, body_s, end))
        parts.append(Part("attachment", (s, end), body, title, (s, title_end), _type_name(title)))
    for part in parts:
        part.tables = [t for t in tables if part.body[0] <= t.span[0] < part.body[1]]
        part.items = parse_items(doc.text, *part.body)
    return Letter(doc, frame, parts, tables, warnings)


def _second_letter(doc: TextDoc, frame: Frame) -> int | None:
    """Where a second letter starts in the file: after the first one's
    signature, a new header (the motto, then a `Số:` line with a numeral) that
    is not an attachment's (no `kèm theo` caption follows it)."""
    text = doc.text
    after = _first_cc(text, frame) or frame.body_end
    for i, (s, e) in enumerate(doc.lines):
        if s < after or not (MOTTO_1.search(text, s, e) or MOTTO_2.search(text, s, e)):
            continue
        window_end = doc.lines[min(i + 10, len(doc.lines) - 1)][1]
        number = _NUMBERED.search(text, s, window_end)
        caption_end = doc.lines[min(i + 25, len(doc.lines) - 1)][1]
        if number and not _CAPTION.search(text, s, caption_end):
            start = doc.lines[max(0, i - 3)][0]
            return max(after, start)
    return _second_header(doc, after)


# `X, ngày 05 tháng 10 năm 2025`, `V/v …`: the lines that follow a letter's `Số:` line.
_HEADER_FIELD = re.compile(r"^\s*V/v\b|^[^\W\d][^\d,:;.]{1,40},\s*ng[àa]y\b", re.I)


def _second_header(doc: TextDoc, after: int) -> int | None:
    """A second letter printed without the motto (a forwarded letter copied below the cover
    letter, §6): after the first one's signature, its issuer lines in capitals, a `Số:` line
    with a numeral, then its `V/v` or place and date line, and no `kèm theo` caption (which
    would make it an attachment)."""
    text = doc.text
    lines = doc.lines
    for i, (s, e) in enumerate(lines):
        if s < after or not _NUMBERED.match(text, s, e):
            continue
        near = [text[a:b] for a, b in lines[i + 1 : i + 5]]
        if not any(_HEADER_FIELD.match(seg) for seg in near):
            continue
        if _CAPTION.search(text, s, lines[min(i + 25, len(lines) - 1)][1]):
            continue
        k = i
        while k > 0 and k > i - 3 and _in_capitals(text[lines[k - 1][0] : lines[k - 1][1]]):
            k -= 1
        return max(after, lines[k][0])
    return None


def _in_capitals(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) >= 0.8


def _first_cc(text: str, frame: Frame) -> int | None:
    m = CC_LINE.search(text, frame.body_start)
    return m.start() if m else None


def _attachment_starts(
    text: str, frame: Frame, tables: Sequence[int] = ()
) -> list[tuple[int, int, int]]:
    """(start, title end, body start) of each document printed after the letter's
    signature: a title in capitals that starts with a type name and ends at its
    caption (or, without one, at the end of its run of capital lines, before a table
    that follows it: its `STT` header cell is no part of the title). `tables`: where
    each table starts."""
    after = _signature_or_cc(text, frame)
    out: list[tuple[int, int, int]] = []
    pos = after
    while True:
        m = _title_start().search(text, pos)
        cased = _cased_title_start().search(text, pos)
        if cased is not None and (m is None or cased.start() < m.start()):
            caption = _CAPTION.search(text, cased.end(), cased.end() + 700)
            if caption is not None and _subject_lines_between(text, cased.end(), caption.start()):
                out.append((cased.start(), caption.end(), caption.end()))
                pos = caption.end()
            else:
                pos = cased.end()
            continue
        if m is None:
            return out
        caption = _CAPTION.search(text, m.end(), m.end() + 700)
        line_start = text.rfind("\n", 0, m.start()) + 1
        at_line_start = not text[line_start : m.start()].strip(" *")
        if _under_division(text, line_start):
            pos = m.end()  # `Chương I` / `QUY ĐỊNH CHUNG`: a chapter's heading, not a title
            continue
        if caption is not None and (
            _capitals_between(text, m.end(), caption.start())
            or (at_line_start and _subject_lines_between(text, m.end(), caption.start()))
        ):
            out.append((m.start(), caption.end(), caption.end()))
            pos = caption.end()
        elif at_line_start:
            end = _capital_run_end(text, m.start())
            end = min([end, *(t for t in tables if t > m.end())])
            end = len(text[:end].rstrip())
            out.append((m.start(), end, end))
            pos = end
        else:
            pos = m.end()


def _signature_or_cc(text: str, frame: Frame) -> int:
    """Where the letter's own text ends: its `Nơi nhận` list or, when that is printed at the
    end of the file (after the documents it issues), its signature block (`TM. ỦY BAN NHÂN
    DÂN`), whichever comes first."""
    ends = [_first_cc(text, frame)]
    sig = _SIGNATURE_AUTHORITY.search(text, frame.body_start)
    ends.append(sig.start() if sig else None)
    found = [e for e in ends if e is not None]
    return min(found) if found else frame.body_end


def _capitals_between(text: str, s: int, e: int) -> bool:
    """A title between a type name and its caption is in capitals (a sentence
    that merely mentions `kèm theo` is not a title)."""
    letters = [c for c in text[s:e] if c.isalpha()]
    return not letters or sum(c.isupper() for c in letters) / len(letters) >= 0.8


# A line that opens an item or a section (`I.`, `1.`, `a)`, `-`, `Điều 1.`, `Chương I`): body text.
_ITEM_LINE = re.compile(
    r"^\s*(?:[IVXLC]+[.)]|\d+(?:\.\d+)*[.)]|[a-zđ]\)|[-+•]|(?:"
    + "|".join(re.escape(w.capitalize()) for w in lexicon.selected("division_words", "item"))
    + r")\s+\S)",
    re.I,
)


# `Chương I`, `Mục 2`, `Phần thứ nhất`: a division of a text, whose heading follows.
# (Lexicon `division_words`, column `heading`, capitalised or in capitals.)
_DIVISIONS = "|".join(
    f"{re.escape(w.capitalize())}|{re.escape(w.upper())}"
    for w in lexicon.selected("division_words", "heading")
)
_DIVISION_LINE = re.compile(rf"^\s*(?:{_DIVISIONS})\s+\S+(?:\s+\S+)?\s*$")


def _under_division(text: str, line_start: int) -> bool:
    """The line above names a division of the text (`Chương I`), so a type name on this line
    (`QUY ĐỊNH CHUNG`) is the division's heading, not an attachment's title."""
    above = text[:line_start].rstrip("\n ").rsplit("\n", 1)[-1]
    return bool(_DIVISION_LINE.match(above))


def _subject_lines_between(text: str, s: int, e: int) -> bool:
    """A title whose subject is printed in sentence case below its type name (`KẾ HOẠCH` /
    `Triển khai tiêm chủng mở rộng năm 2025` / `(Ban hành kèm theo Quyết định số …)`): a few
    short lines, none an item or a lead-in, and the caption on a line of its own."""
    if text[text.rfind("\n", 0, e) + 1 : e].strip(" *_"):
        return False  # the caption is inside a sentence, not a line of its own
    lines = [ln.strip() for ln in text[s:e].split("\n") if ln.strip()]
    return (
        0 < len(lines) <= 4
        and sum(map(len, lines)) <= 400
        and not any(_ITEM_LINE.match(ln) or ln.endswith((":", ";")) for ln in lines)
    )


def _capital_run_end(text: str, start: int) -> int:
    """End of a title printed in capital lines (the type name and its subject)."""
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    while end < len(text):
        nxt = text.find("\n", end + 1)
        nxt = len(text) if nxt < 0 else nxt
        line = text[end + 1 : nxt].strip()
        if not line:
            if nxt >= len(text):
                break
            end = nxt
            continue
        letters = [c for c in line if c.isalpha()]
        if not letters or sum(c.isupper() for c in letters) / len(letters) < 0.8:
            break
        end = nxt
    return end


def _attachment_end(text: str, start: int, end: int) -> int:
    """An attachment's body stops at its own `Nơi nhận` or signature block."""
    cc = CC_LINE.search(text, start, end)
    stop = cc.start() if cc else end
    sig = None
    for m in _SIGNATURE_AUTHORITY.finditer(text, start, stop):
        # `TM. ỦY BAN NHÂN DÂN` / `KT. CHỦ TỊCH`: a block's authority lines, one under
        # the other, open where the first of them does.
        line_above = text.rfind("\n", start, max(start, m.start() - 1)) + 1
        if sig is None or sig != line_above:
            sig = m.start()
    # Only a signature in the last stretch of the part closes it.
    if sig is not None and stop - sig < 400:
        stop = sig
    return stop


def _letter_before(text: str, frame: Frame, attachment: int) -> Frame:
    """The letter's frame ends before its first attachment."""
    ccs = [m.start() for m in CC_LINE.finditer(text, frame.body_start, attachment)]
    sig = _SIGNATURE_AUTHORITY.search(text, frame.body_start, attachment)
    ends = ccs[:1] + ([sig.start()] if sig else [])
    body_end = min(ends) if ends else min(frame.body_end, attachment)
    return replace(frame, body_end=body_end, end=min(frame.end, attachment))


def _type_name(title: str) -> str:
    for name in lexicon.words("attachment_titles"):
        if title.startswith(name):
            return name.capitalize()
    return title.split(" ", 1)[0].capitalize()


def render(letter: Letter) -> list[str]:
    """The tree as indented lines: kind, label, span and the first words."""
    text = letter.text

    def show(s: int, e: int, n: int = 60) -> str:
        t = " ".join(text[s:e].split())
        return t if len(t) <= n else t[: n - 1] + "…"

    f = letter.frame
    out = [
        f"letter [{f.start}, {f.end})",
        f"  header [{f.start}, {f.header_end}) {show(f.start, f.header_end)}",
    ]
    for part in letter.parts:
        name = "body" if part.kind == "letter" else f"attachment: {part.title}"
        out.append(f"  {name} [{part.body[0]}, {part.body[1]})")
        for table in part.tables:
            out.append(f"    table [{table.span[0]}, {table.span[1]}) roles={table.roles}")
            for row in table.rows[:50]:
                out.append("      | " + " | ".join(show(s, e, 24) for s, e in row))
        if part.items is not None:
            for node in part.items.walk():
                depth = 0
                p = node.parent
                while p is not None and p.style != "root":
                    depth += 1
                    p = p.parent
                pad = "    " + "  " * depth
                out.append(
                    f"{pad}{node.label or node.style} [{node.start}, {node.end}) {show(node.text_start, node.end)}"
                )
    if f.body_end < f.end:
        out.append(f"  closing [{f.body_end}, {f.end}) {show(f.body_end, f.end)}")
    return out


def to_dict(letter: Letter) -> dict[str, Any]:
    """The tree as plain data (`vanban tree --json`): every node with its span."""
    f = letter.frame

    def item(node: Item) -> dict[str, Any]:
        return {
            "kind": node.style,
            "label": node.label,
            "marker": node.marker,
            "span": [node.start, node.end],
            "text": letter.text[node.text_start : node.end],
            "children": [item(c) for c in node.children],
        }

    def table(t: Table) -> dict[str, Any]:
        return {
            "source": t.source,
            "span": list(t.span),
            "header_row": t.header,
            "roles": t.roles,
            "task_table": t.is_task_table,
            "rows": [[[s, e] for s, e in row] for row in t.rows],
        }

    return {
        "frame": {
            "span": [f.start, f.end],
            "header": [f.start, f.header_end],
            "body": [f.body_start, f.body_end],
            "closing": [f.body_end, f.end],
        },
        "parts": [
            {
                "kind": p.kind,
                "title": p.title,
                "type": p.doc_type,
                "span": list(p.span),
                "body": list(p.body),
                "tables": [table(t) for t in p.tables],
                "items": [item(c) for c in p.items.children] if p.items else [],
            }
            for p in letter.parts
        ],
    }
