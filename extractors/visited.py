"""Rule (ANNOTATION §3, lead): "In a notice of the conclusions of a meeting
with, or a visit to, a named body, an item that names no actor and has no
lead-in naming one is that body's work; the closing formula usually names it."

Reads the letter's subject (trích yếu, `Kết luận của … tại buổi làm việc với
lãnh đạo tỉnh X`) and its closing formula (`… thông báo để Ủy ban nhân
dân tỉnh X … biết, thực hiện`); decides the default lead of the
letter's tasks, which otherwise is the issuer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from vanban.extractors import lexicon
from vanban.schemas import Agency

Span = tuple[int, int]
FindAgencies = Callable[[str, int, int], list[Agency]]

# `tỉnh X`, `thành phố Y`, `huyện Z`, `xã W` named bare: the place, whose body is its People's
# Committee (§4: `lãnh đạo tỉnh X` → `Ủy ban nhân dân tỉnh X`; the same at every level).
_LEVELS = lexicon.literal("level_words", "place")
# Levels whose word opens common words too (`xã hội`, `các phường`; column `common`).
_COMMON_LEVELS = frozenset(lexicon.selected("level_words", "common"))
_BARE_PROVINCE = re.compile(rf"\b({_LEVELS})\s+((?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\s?){{1,4}})")
# `… tại buổi kiểm tra công tác phòng, chống thiên tai tại xã X`, `… trên địa bàn
# huyện X`: the place the visit was made in, named after the work seen there.
_AT_PLACE = re.compile(rf"\b(?:tại|trên địa bàn)\s+(?=(?:{_LEVELS})\s+[A-ZĐÀ-Ỹ])")
_CLOSING_TO = re.compile(r"thông báo (?:để|đến) (.{3,300}?) (?:được )?biết", re.S)


@cache
def _after_visit() -> re.Pattern[str]:
    verbs = sorted(lexicon.words("visit_verbs"), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(v) for v in verbs) + r")\b", re.I)


def is_conclusion_notice(doc_type: str | None, subject: str | None) -> bool:
    return (
        bool(subject)
        and (doc_type or "").casefold().startswith("thông báo")
        and bool(re.match(r"(?:về việc |về )?kết luận\b", (subject or "").casefold()))
    )


def visited_body(
    text: str, subject: Span | None, closing: Span | None, find: FindAgencies
) -> list[Agency]:
    """The body the notice's meeting or visit was with, or [] when it names none."""
    if subject is not None:
        m = _after_visit().search(text, *subject)
        if m is not None:
            found = find(text, m.end(), subject[1]) or _bare_province(
                text, m.end(), subject[1], find
            )
            if found:
                return found
        at = _AT_PLACE.search(text, *subject)
        if at is not None and (found := _bare_province(text, at.end(), subject[1], find)):
            return found
    if closing is not None:
        m = _CLOSING_TO.search(text, *closing)
        if m is not None:
            # A named body only: a group (`các cơ quan liên quan`) is who is told, not who was met.
            named = [a for a in find(text, m.start(1), m.end(1)) if a.code is None]
            return named[:1]
    return []


def _bare_province(text: str, s: int, e: int, find: FindAgencies) -> list[Agency]:
    """The People's Committee of the place first named bare in `text[s:e]`."""
    m = _BARE_PROVINCE.search(text, s, e)
    if m is None:
        return []
    phrase = f"Ủy ban nhân dân {m.group(1)} {m.group(2).strip()}"
    return [
        a.model_copy(update={"span": (m.start(), m.end()), "raw": m.group(0)})
        for a in find(phrase, 0, len(phrase))
    ]


# The level word alone (`phối hợp chặt chẽ với tỉnh`, `Tỉnh chủ động …`), not a collective (`các
# tỉnh`, `cấp tỉnh`, `toàn tỉnh`), nor a possessive (`kiến nghị của tỉnh`), nor the head of a name
# (`tỉnh X`, `Tỉnh ủy`, `tỉnh lỵ`).
_BARE_LEVEL = (
    r"(?<![\w])(?<![Cc]ác )(?<![Cc]ấp )(?<![Tt]oàn )(?<!của )(?<!nhân dân )(?<!UBND )"
    r"((?i:{level}))(?![\w])(?!\s+(?i:ủy|lỵ)\b)(?=\s*(\w?))"
)


def with_visited_place(text: str, find: FindAgencies, visited: list[Agency]) -> FindAgencies:
    """`find` that also reads the level word printed alone (`tỉnh`, `Tỉnh`) as the People's
    Committee the notice's meeting or visit was with: in such a notice the place is the one met
    (§3 lead, notice of conclusions; §4 `lãnh đạo tỉnh X` → `Ủy ban nhân dân tỉnh X`), so
    `phối hợp chặt chẽ với Tỉnh` makes it coordinate as its full name would."""
    if len(visited) != 1:
        return find
    m = re.match(rf"Ủy ban nhân dân ({_LEVELS})\s+\S", visited[0].name)
    if m is None or m.group(1) in _COMMON_LEVELS:  # `xã hội`, `các phường`
        return find
    bare = re.compile(_BARE_LEVEL.format(level=re.escape(m.group(1))))
    body = visited[0]

    def found(t: str, start: int, end: int) -> list[Agency]:
        base = find(t, start, end)
        if t is not text:
            return base
        taken = [a.span for a in base if a.span is not None]
        extra = [
            body.model_copy(update={"raw": b.group(0), "span": b.span()})
            for b in bare.finditer(t, start, end)
            if not b.group(2).isupper()  # the head of a name (`tỉnh X`)
            and not any(s < b.end() and b.start() < e for s, e in taken)
        ]
        return sorted(base + extra, key=lambda a: a.span[0] if a.span else -1) if extra else base

    return found
