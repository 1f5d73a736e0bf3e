"""Documents cited in the letter (căn cứ, văn bản số …), ANNOTATION.md §2.

A reference is a document number (`71/NQ-CP`, `17317-CV/VPX`,
`86/2019/QH14`), with the type name and date printed beside it when there
are. Technical standards (`TCVN 14423:2025`) and the letter's own number are
not references.
"""

from __future__ import annotations

import re

from vanban.extractors import lexicon
from vanban.extractors.header import TYPE_NAMES, clean_number
from vanban.extractors.text_utils import fold
from vanban.schemas import Reference, TextDoc

# A code is capitals with at most a short lower-case tail (`TTr`, `CTr`,
# `QH14`): an item marker followed by a word (`2/ Triển khai`) is not one.
# A unit's code may end in a dotted part (`VPX-V.I`).
_CODE = r"[A-ZĐ][A-ZĐ0-9&]*(?:[a-z]{1,2}[A-ZĐ0-9]*)?(?:\.[A-Z]{1,3})?(?![\wÀ-ỹ])"
# seq / [year /] code [-code …]; party style seq-CODE/CODE. A line break may
# sit after a dash (`01/NQ-\nCP`).
# The pattern opens on a digit, the look-behind after it (it sees the character before that
# digit), so that `re` skips at C speed to the next digit (a look-ahead or look-behind first
# made it try every position, issue 16).
_REF = re.compile(
    rf"(?P<num>\d(?<![\w/.:-]\d)\d{{0,5}}(?:\.\d{{1,2}})?[a-z]?(?:\s?/\s?\d{{4}})?\s?[-/]\s?{_CODE}(?:\s?[-/]\s?{_CODE}|[-/]\d+)*)"
)
_TYPE_BEFORE = re.compile(
    r"(?P<type>"
    + "|".join(sorted((re.escape(t) for t in TYPE_NAMES.values()), key=len, reverse=True))
    # `văn bản`, the generic noun, besides the type names (lexicon `doc_types`, any case).
    + r"|văn bản)\s*(?:số\s*|sô\s*|so\s*)?[:]?\s*$",
    re.I,
)
_DATE_AFTER = re.compile(
    r"^\s*,?\s*ngày\s+(\d{1,2})\s*(?:tháng\s+|/|-|\.)(\d{1,2})\s*(?:năm\s+|/|-|\.)(\d{4})"
)
# A standard's code (lexicon `standard_codes`): a number that holds one is no document cited.
_STANDARD_CODES = "standard_codes"
_NOT_A_DOC = re.compile(rf"^(?:{lexicon.literal(_STANDARD_CODES)})$")
# Right before a number: a standard's code or a phone label (lexicon `phone_labels`,
# `not_cited`): the number is the standard's or the phone's.
_NOT_CITED_BEFORE = re.compile(
    rf"(?:{lexicon.literal(_STANDARD_CODES, 'before')}|{lexicon.literal('phone_labels', 'not_cited')})"
    r"\s*:?\s*$",
    re.I,
)


def extract_references(
    doc: TextDoc, start: int, end: int, own_numbers: list[str]
) -> list[Reference]:
    """`own_numbers`: the letter's number as printed and as corrected."""
    text = doc.text
    out: list[Reference] = []
    seen: set[str] = {fold(clean_number(n)) for n in own_numbers}
    # A web site's notes in square brackets are not the letter's text.
    notes = [(m.start(), m.end()) for m in re.finditer(r"\[[^\]\n]{12,}\]", text[:end])]
    for m in _REF.finditer(text, start, end):
        if any(a <= m.start() < b for a, b in notes):
            continue
        raw = m.group("num")
        number = clean_number(raw)
        if not re.search(r"[A-Za-zĐđ]{2}", number) or "/" not in number:
            continue
        code_tokens = re.split(r"[-/]", number)
        if any(_NOT_A_DOC.match(t) for t in code_tokens):
            continue
        before = text[max(0, m.start() - 40) : m.start()]
        if _NOT_CITED_BEFORE.search(before):
            continue
        key = fold(number)
        if key in seen:
            continue
        segs = re.findall(r"[A-Za-zĐđ][A-Za-zĐđ0-9&]*", number)
        if len(segs) == 1 and sum(c.isupper() for c in segs[0]) < 2:
            continue
        # A bare `12/2025` is a date, a `V/v` is a subject: insist on a code
        # with a capital letter after the first separator.
        if not re.search(r"[-/]\s?(?:\d{4}\s?/\s?)?[A-ZĐ]", raw):
            continue
        seen.add(key)
        tm = _TYPE_BEFORE.search(before)
        doc_type = None
        if tm:
            t = tm.group("type")
            doc_type = TYPE_NAMES.get(
                fold(t), "Công văn" if fold(t) in {"van ban", "cong van"} else t
            )
        dm = _DATE_AFTER.match(text[m.end() : m.end() + 40])
        date = None
        if dm:
            d, mo, y = (int(x) for x in dm.groups())
            if 1 <= mo <= 12 and 1 <= d <= 31:
                date = f"{y:04d}-{mo:02d}-{d:02d}"
        out.append(
            Reference(
                number=number, doc_type=doc_type, date=date, raw=raw, span=(m.start(), m.end())
            )
        )
    return out
