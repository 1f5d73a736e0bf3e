"""The issuer when the letter's header is missing: the body its signature speaks for.

ANNOTATION.md §6, Stripped header: "When the header is missing, `issuer` is the
body the signature block speaks for (`TM. ỦY BAN NHÂN DÂN` with the letter's
own `UBND Thành phố yêu cầu …`)". The block says what kind of body it speaks
for — by name after `TM.`, or by its head's position (`KT. BỘ TRƯỞNG` speaks
for a ministry, `KT. CHỦ TỊCH` for a People's Committee; `data/lexicon/signing_heads.tsv`) — and the letter names that
body in its own voice (`Bộ X xin báo cáo …`). The issuer is the body
of that kind the letter names most often, its addressees and copy list aside.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from vanban.extractors import lexicon
from vanban.extractors.agencies import AgencyRegistry
from vanban.extractors.frame import Frame
from vanban.extractors.recipients import recipient_regions
from vanban.extractors.signer import extract_signer
from vanban.extractors.text_utils import fold
from vanban.schemas import Agency, TextDoc

# The authority that speaks for the body itself (`TM. ỦY BAN NHÂN DÂN`), or for
# its head (`KT. CHỦ TỊCH`, `TL. BỘ TRƯỞNG`, `TUQ. CHỦ TỊCH`, `Q. GIÁM ĐỐC`).
# The marks are the lexicon's `authority_marks`; those of column `body` name the body itself.
_MARKS = lexicon.alternation("authority_marks")
_END = lexicon.AUTHORITY_MARK_END
_AUTHORITY = re.compile(
    rf"\b({_MARKS}){_END}\s*([^\n]*?)(?=\s*\b(?:{_MARKS}){_END}|$)",
    re.I,
)
_BODY_MARKS = frozenset(m.upper() for m in lexicon.selected("authority_marks", "body"))


@cache
def _heads() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(folded position, folded name beginnings) in the lexicon's order."""
    return tuple(
        (fold(r["position"]), tuple(fold(b) for b in r["body"].split("|")))
        for r in lexicon.rows("signing_heads")
    )


def _kinds(position: str) -> tuple[str, ...]:
    """How the name of the body led by `position` begins (`BỘ TRƯỞNG` → `bộ`).

    A position naming two offices (`BỘ TRƯỞNG, CHỦ NHIỆM`) leads the body of the
    last one; a deputy (`PHÓ CHỦ TỊCH`) speaks for the head's body."""
    last = fold(position).split(",")[-1].strip(" .")
    last = re.sub(r"^pho\s+", "", last)
    for head, bodies in _heads():
        if last == head or last.startswith(head + " "):
            return bodies
    return ()


def _body_kinds(signer_authority: str | None, title: str | None) -> tuple[str, ...]:
    """The kind of body the block speaks for: the first authority's body (`TM.
    ỦY BAN NHÂN DÂN`: that body; `TL. BỘ TRƯỞNG`: the minister's body), else the
    body the title's office leads."""
    if signer_authority:
        m = _AUTHORITY.search(signer_authority)
        if m is not None:
            named = m.group(2).strip(" ,.")
            if m.group(1).upper() in _BODY_MARKS:
                return (fold(named),) if named else ()
            kinds = _kinds(named)
            if kinds:
                return kinds
    return _kinds(title) if title else ()


def _named(name: str, kinds: tuple[str, ...]) -> bool:
    """A body the registry does not hold (a commune's People's Committee, ANNOTATION §4: a
    unit keeps its name as printed) that the letter names in full: after the kind's words,
    a capitalised proper name (`Ủy ban nhân dân xã Phú Hòa`, not `Ủy ban nhân dân xã`)."""
    folded = fold(name)
    kind = max((k for k in kinds if folded.startswith(k)), key=len, default="")
    rest = name.split()[len(kind.split()) :]
    return any(w[:1].isupper() for w in rest[1:])


def issuer_from_signature(doc: TextDoc, frame: Frame, registry: AgencyRegistry) -> Agency | None:
    """The issuer of a letter whose header is missing (ANNOTATION §6)."""
    signer = extract_signer(doc, frame)
    if signer is None:
        return None
    kinds = _body_kinds(signer.authority, signer.title)
    if not kinds:
        return None
    text = doc.text
    addressed = recipient_regions(doc, frame)
    counts: Counter[str] = Counter()
    first: dict[str, Agency] = {}
    at: dict[str, int] = {}
    for a in registry.find(text, frame.start, frame.body_end):
        if a.code is not None or a.span is None:
            continue
        if any(s <= a.span[0] < e for s, e in addressed):
            continue  # an addressee is not the body that writes
        name = fold(a.name)
        if not any(name == k or name.startswith(k + " ") for k in kinds):
            continue
        if not a.known and not _named(a.name, kinds):
            continue  # `Ủy ban nhân dân xã` alone names no one body
        counts[a.name] += 1
        first.setdefault(a.name, a)
        at.setdefault(a.name, a.span[0])
    if not counts:
        return None
    best = max(counts, key=lambda n: (counts[n], -at[n]))  # ties: the first named
    return first[best]
