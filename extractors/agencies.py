"""Agency registry: every mention of a body → one canonical agency or group code.

The rules are those of ANNOTATION.md §4. Facts (names, abbreviations, dates,
successors, group phrases) are in the reviewed tables of `data/registry/`;
this module is the grammar that reads letters with them:

* a gazetteer of known names and abbreviations (token tries over a folded copy
  of the text, so `UBND`/`Ủy ban nhân dân`, `hoà`/`hòa`, `–`/`-`, upper-case
  headings and names broken over two lines all match, and a name can never
  run into the next word: it ends where the gazetteer entry ends);
* composition rules for what a gazetteer cannot list: a committee + level word +
  province (`UBND TP. X`), a department type + province, distributive
  lists (`Các Bộ: X, Y`, `Ủy ban nhân dân các tỉnh: X, Y`), group phrases with their context conditions, `các đơn vị thuộc X`;
* a bounded fallback for bodies that are not in the registry (`Trung tâm …`,
  `Ban Quản lý dự án 85`), which keeps the printed name with `known=False`.

A person's office is not part of a mention: the scan simply finds the body
after the title (`Bộ trưởng Bộ X` → `Bộ X`), while titles that name a
collective (`Các Bộ trưởng`, `Giám đốc các Sở`) are group phrases.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from itertools import compress, count
from pathlib import Path

from vanban.extractors import lexicon
from vanban.extractors.agency_data import (
    COMMITTEE_NAME,
    COMMUNE_LEVEL,
    DISTRICT_LEVEL,
    PROVINCE_LEVEL,
    AgencyRow,
    GroupRow,
    ProvinceRow,
    RegistryData,
    UnitRow,
    load,
    pick,
)
from vanban.extractors.agency_text import Folded, fold_text, is_footnote_mark, normal_case
from vanban.extractors.text_utils import PerText, fold_key
from vanban.schemas import Agency, Span

__all__ = ["AgencyContext", "AgencyInfo", "AgencyRegistry"]

# Issuer levels at which `các ngành`, `địa phương`… refer to a province's own
# departments and lower levels (ANNOTATION §4).
PROVINCIAL_LEVELS = frozenset({"province", "province_unit", "district", "commune"})

# Words that start the name of a body (lexicon `body_heads`, column `fallback`);
# used only by the fallback for bodies that are not in the registry, and only when
# printed with a capital. Folded like the text they are matched against.
_BODY_HEADS = {tuple(fold_key(h).split()) for h in lexicon.selected("body_heads", "fallback")}
# Words a body's name follows within a line in capitals (`CÁC SỞ`, `VÀ CỤC`, `CỦA BỘ`).
_JOINS_NAME = {fold_key(w) for w in ("các", *lexicon.words("name_prepositions"))}
_BY_LEVEL = {tuple(fold_key(h).split()) for h in lexicon.selected("body_heads", "by_level")}
_MAX_HEAD = max(len(h) for h in _BODY_HEADS)
# Their first words: a token that is none starts no head, and its slices need not be tried.
_HEAD_FIRSTS = frozenset(h[0] for h in _BODY_HEADS if h)


def _head_len(toks: Sequence[str], j: int) -> int:
    """The length of the longest body head (`_BODY_HEADS`) at token j, else 0."""
    if j < len(toks) and toks[j] not in _HEAD_FIRSTS:
        return 0
    # At most the tokens left: a slice cut short by the text's end is not that long.
    longest = min(_MAX_HEAD, len(toks) - j)
    return next((n for n in range(longest, 0, -1) if tuple(toks[j : j + n]) in _BODY_HEADS), 0)


# Kind words that name no kind of unit before a list (`Các cơ quan: …`).
_NOT_DISTRIBUTED = frozenset({"cơ"})
# The words for a unit's force or organ before its bare name (`cơ quan X`, `lực lượng X`):
# `_Scan.local_force`.
_FORCE_WORDS = frozenset({("cơ", "quan"), ("lực", "lượng")})
_ITEM_END = frozenset({",", ";", ".", "(", ")", ":"})


# `Đảng ủy UBND tỉnh` → `Đảng ủy Ủy ban nhân dân tỉnh` (§4: abbreviations expanded; lexicon
# `name_abbreviations`).
_IN_NAME = {r["abbreviation"]: r["expansion"] for r in lexicon.rows("name_abbreviations")}
_IN_NAME_RE = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, _IN_NAME)) + r")(?!\w)")


def _expanded(name: str) -> str:
    """A name not in the registry with the abbreviations printed in it written out."""
    return _IN_NAME_RE.sub(lambda m: _IN_NAME[m.group(1)], name)


def _folded_phrases(phrases: tuple[str, ...], words: int = 0) -> frozenset[str]:
    """Phrases folded as the text is (`rà soát` → `rà sóat`), cut to their first `words` words."""
    return frozenset(" ".join(fold_key(p).split()[: words or None]) for p in phrases)


@lru_cache(maxsize=4)
def _place_words(names: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The registry's province names of two words or more, as folded words."""
    return tuple(w for w in (tuple(fold_key(n).split()) for n in names) if len(w) > 1)


def _tokens(phrases: tuple[str, ...]) -> frozenset[str]:
    """The words of some phrases, folded: rules that read one token at a time."""
    return frozenset(t for p in phrases for t in fold_key(p).split())


# A name not in the registry stops before these: function words (lexicon
# `body_name_stops`), and (printed in lower case) verbs of assignment (lexicon
# `assignment_verbs`); titles of persons (lexicon `official_titles`, column
# `body_stop`) never belong to a name. Verbs and titles are matched on their
# first two words.
_STOP_WORDS = _folded_phrases(lexicon.words("body_name_stops"))
# … unless it closes a compound of a name (lexicon `name_compounds`: `hàng không`).
_COMPOUNDS = _folded_phrases(lexicon.words("name_compounds"))
# A speaker's verb (lexicon `speaker_verbs`, not its `own_act` rows: `Ban Thường vụ kết luận:`)
# ends a name too: the body speaks, its name does not go on (ANNOTATION §3 lead).
_STOP_VERBS = _folded_phrases(lexicon.words("assignment_verbs"), 2) | _folded_phrases(
    tuple(r["verb"] for r in lexicon.rows("speaker_verbs") if r["own_act"] != "y"), 2
)
_WORK_VERBS = _folded_phrases(lexicon.words("work_verbs"))
_STOP_TITLES = _folded_phrases(lexicon.selected("official_titles", "body_stop"), 2)
# Verbs of work that are also words of names (lexicon `name_work_verbs`): they end a name only
# where the work begins (`_Scan.work_begins`), each with the words it closes a noun with.
_WORK_IN_NAME = {
    tuple(fold_key(r["verb"]).split()): tuple(
        tuple(fold_key(c).split()) for c in r["compound"].split(";") if c.strip()
    )
    for r in lexicon.rows("name_work_verbs")
}
# Type names of documents (lexicon `doc_types`): a capitalised one after such a verb is its
# object (`… xây dựng Kế hoạch …`), no word of the name.
_DOC_TYPE_NAMES = tuple(tuple(fold_key(r["name"]).split()) for r in lexicon.rows("doc_types"))
# Family and middle names (lexicon `person_names`, column `body_stop`): a
# capitalised head word right after one of these is part of a person's name, not a body.
_NAME_WORDS = frozenset(fold_key(w) for w in lexicon.selected("person_names", "body_stop"))
# Diplomatic missions (lexicon `body_heads`, column `mission`), as token tuples.
# Organs of a collective (lexicon `body_heads`, column `organ`): `Ban Chỉ đạo các tỉnh`.
_ORGANS = tuple(tuple(fold_key(h).split()) for h in lexicon.selected("body_heads", "organ"))
_MISSIONS = tuple(tuple(fold_key(h).split()) for h in lexicon.selected("body_heads", "mission"))
_JOIN = frozenset({"-", "&", "và"})
# Words a group's enumeration may carry without adding a code (ANNOTATION §4:
# `cơ quan` or `đơn vị` inside a group's enumeration adds nothing; lexicon
# `enumeration_fillers`).
_ABSORB = _folded_phrases(lexicon.words("enumeration_fillers"))
# `các Bệnh viện, Viện có giường bệnh trực thuộc Bộ X`: a collective of units
# named by kind, then whose units they are (lexicon `collective_words`).
_COLLECTIVE = _tokens(lexicon.words("collective_words"))
_COLLECTIVE_HEADS = _tokens(lexicon.selected("collective_words", "head"))
# What may stand between two mentions that are one collective (lexicon `mention_joiners`).
_SEPARATORS = _tokens(lexicon.words("mention_joiners"))


_COMMITTEE_KEY = fold_key("Ủy ban nhân dân")


@lru_cache(maxsize=256)
def _issued_by_committee(issuer: str | None) -> bool:
    """The issuer is a people's committee (`Ủy ban nhân dân …`): folded once per issuer,
    not at each condition of each group a scan tests."""
    return fold_key(issuer or "").startswith(_COMMITTEE_KEY)


@dataclass(frozen=True)
class AgencyContext:
    """What the document says about itself, for the context rules of §4.

    `issuer`: canonical name of the issuing body; `level`: "central",
    "province", "province_unit" (a Sở…), "district", "commune"; `province`:
    the issuer's province (`X`); `date`: the document date, ISO.
    `province_id` / `ministry_id`: the registry ids of the province or ministry
    the letter belongs to, the jurisdiction of the departments and units it
    names without theirs (`Sở X`, `Vụ Y`); no rule reads them.
    """

    issuer: str | None = None
    level: str | None = None
    province: str | None = None
    date: str | None = None
    province_id: str | None = None
    ministry_id: str | None = None

    @property
    def provincial(self) -> bool:
        if self.level is not None:
            return self.level in PROVINCIAL_LEVELS
        return self.province is not None


@dataclass(frozen=True)
class AgencyInfo:
    """What the registry knows about one printed name (`vanban agencies lookup`)."""

    query: str
    canonical: str | None
    code: str | None
    id: str | None
    kind: str  # agency | unit | committee | province | group | unknown | none
    level: str | None = None
    parent: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    successors: tuple[str, ...] = ()
    note: str = ""
    source: str = ""
    known: bool = False
    jurisdiction: str | None = None  # the province or ministry a printed name carries
    covers: str | None = None  # a group code: what it stands for (group_codes.csv)


@dataclass(frozen=True)
class _Hit:
    """One mention over tokens [i, j)."""

    i: int
    j: int
    name: str
    code: str | None = None
    known: bool = True
    ref: str | None = None  # registry id (agency, unit or province), for lookup
    kind: str = "agency"
    juris: str | None = None  # a unit's province, when printed with it (`Sở A tỉnh X`)


_Cand = tuple[int, list[_Hit]]  # (end token, mentions) of one rule's reading


# A request or a coordinate phrase just before a province (`đề nghị tỉnh X`, `phối hợp với
# tỉnh X`): `data/lexicon/coordinate_words.tsv` and the asking verbs (`asking_verbs.tsv`).
_ACTOR_WORD_END = re.compile(
    r"\b(?:"
    + lexicon.literal("asking_verbs", "before_place")
    + "|"
    + lexicon.phrase_alternation("coordinate_words")
    + r"|hỗ trợ)\s+$",
    re.I,
)
# The last word of each of those phrases: a cheap test before the pattern, which would
# otherwise run at every token of every letter.
_ACTOR_WORD_LAST = frozenset(
    fold_key(p).split()[-1]
    for p in (
        *lexicon.selected("asking_verbs", "before_place"),
        "hỗ trợ",
        *lexicon.words("coordinate_words"),
    )
)


class _Scan:
    """One pass of the grammar over a folded text."""

    def __init__(
        self,
        d: RegistryData,
        f: Folded,
        ctx: AgencyContext,
        stop: int,
        at: Sequence[int] | None = None,
        rules_at: dict[str, tuple[_Rule, ...]] | None = None,
    ) -> None:
        self.d, self.f, self.ctx, self.stop = d, f, ctx, stop
        self.first = 0
        self.toks = f.toks
        # The tokens on which some rule can start, in order (`AgencyRegistry.rule_starts`);
        # without them, every token.
        self.at = range(len(f.toks)) if at is None else at
        # The rules that may start on each word (`_rules_by_word`); without it, all.
        self.rules_at = rules_at or {}

    # -- small readers ---------------------------------------------------------

    def tok(self, k: int) -> str:
        return self.toks[k] if k < self.stop else ""

    def province(self, k: int) -> tuple[int, ProvinceRow] | None:
        m = self.d.province_trie.longest(self.toks, k, self.stop)
        if m is None or not self.f.is_cap(k):
            return None
        row = pick([self.d.provinces[i] for i in m[1]], self.ctx.date)
        if row is None:  # a name not yet or no longer in force: still that province
            row = self.d.provinces[m[1][-1]]
        return m[0], row

    def admin(self, k: int) -> tuple[int, str] | None:
        m = self.d.admin_trie.longest(self.toks, k, self.stop)
        return (m[0], m[1][0]) if m else None

    def admin_list(self, k: int) -> tuple[int, set[str]] | None:
        """`tỉnh, thành phố`, `xã, phường, thị trấn`…: end and the level words."""
        levels: set[str] = set()
        end = k
        while True:
            a = self.admin(k)
            if a is None:
                break
            levels.add(a[1])
            end = k = a[0]
            if self.tok(k) in {",", "/", "và"} and self.admin(k + 1):
                k += 1
                continue
            break
        if not levels:
            return None
        # `thành phố` beside district words is a provincial city, not a province.
        if levels & DISTRICT_LEVEL:
            levels.discard("thành phố")
        return end, levels

    def city_closes_districts(self, k: int) -> bool:
        """`các huyện, thành phố X`: a list of district-level words closed by the one
        city or town the province has, named without a colon, is every district-level
        committee (§4 `@cap-huyen`: `UBND các huyện, thị xã, thành phố`); the name is the
        city's, no list of districts."""
        words: list[str] = []
        while (a := self.admin(k)) is not None:
            words.append(a[1])
            k = a[0]
            if not (self.tok(k) in {",", "và"} and self.admin(k + 1)):
                break
            k += 1
        return (
            len(words) > 1
            and words[-1] in {"thành phố", "thị xã"}
            and bool(set(words) & DISTRICT_LEVEL)
            and self.tok(k) != ":"
        )

    def skip_tw(self, k: int) -> int:
        """Past `trực thuộc Trung ương` / `thuộc tỉnh` after a level list."""
        for tail in (
            ("trực", "thuộc", "trung", "ương"),
            ("trực", "thuộc", "tw"),
            ("thuộc", "tỉnh"),
        ):
            if tuple(self.toks[k : k + len(tail)]) == tail and k + len(tail) <= self.stop:
                return k + len(tail)
        return k

    def cap_name(self, k: int) -> int:
        """End of a proper name printed with capitals (`Bát Tràng`, `Văn Miếu – Quốc Tử Giám`)."""
        j = k
        while j < self.stop and (self.f.is_cap(j) and self.toks[j][0].isalnum()):
            if j > k and (self.starts_known(j) or self.body_head(j)):
                break
            j += 1
            bullet = "\n" in self.f.gap(j)
            if self.tok(j) == "-" and j + 1 < self.stop and self.f.is_cap(j + 1) and not bullet:
                j += 1
        return j

    def printed(self, i: int, j: int) -> str:
        s, e = self.f.span(i, j)
        return " ".join(self.f.text[s:e].split())

    def names(self, k: int, levels: set[str]) -> tuple[int, list[tuple[int, int, str, str | None]]]:
        """The list after `các tỉnh:` / `các phường:` as (i, j, full name, province id) items."""
        colon = self.tok(k) == ":"
        if colon:
            k += 1
        items: list[tuple[int, int, str, str | None]] = []
        end = k
        while k < self.stop:
            own = self.admin(k)  # an item may carry its own level word (`và xã Bát Tràng`)
            if levels & PROVINCE_LEVEL:
                start = own[0] if own and own[1] in PROVINCE_LEVEL else k
                p = self.province(start)
                if p is None:
                    break
                items.append((k, p[0], p[1].full_name, p[1].id))  # with its level word
                k = p[0]
            else:
                if self.starts_known(k):  # `…, Từ Liêm, UBND xã Bát Tràng`
                    break
                start = own[0] if own else k
                if not colon and "\n" in self.f.gap(k):
                    break  # a name list without `:` stays on its line (`các huyện, thành phố` ↵ `Căn cứ …`)
                j = self.cap_name(start)
                if j == start:
                    break
                word = own[1] if own else sorted(levels)[0] if len(levels) == 1 else ""
                if not word:
                    break
                items.append(
                    (k, j, f"{word} {self.printed(start, j)}", None)
                )  # with its level word
                k = j
            end = k
            if self.tok(k) in {",", "và"}:
                k += 1
                continue
            break
        return end, items

    # -- rules: each returns the reading that starts at token i, if any --------

    def committee(self, i: int) -> _Cand | None:
        h = self.d.head_trie.longest(self.toks, i, self.stop)
        if h is None:
            return None
        j, kind = h[0], h[1][0]
        if kind == "party":
            # `Tỉnh ủy X` / `Thường trực Tỉnh ủy X` is scored as `Ủy ban nhân dân tỉnh X`.
            p = self.province(j)
            if p is not None:
                return self.listed(i, p[0], p[1], COMMITTEE_NAME["ubnd"])
            own = self.own_province()
            if own is not None:
                return j, [_Hit(i, j, own.committee, ref=own.id, kind="committee")]
            return j, []  # `Bí thư tỉnh ủy và Chủ tịch UBND các tỉnh: …` names them after
        head = COMMITTEE_NAME[kind]
        if self.tok(j) == "các":
            al = self.admin_list(j + 1)
            if al is not None and not self.city_closes_districts(j + 1):
                end, items = self.names(self.skip_tw(al[0]), al[1])
                if items:
                    known = bool(al[1] & PROVINCE_LEVEL)
                    return end, [
                        _Hit(a, b, f"{head} {n}", known=known, ref=r, kind="committee")
                        for a, b, n, r in items
                    ]
            return None  # a group phrase (`UBND các tỉnh, thành phố`)
        al = self.admin_list(j)
        if al is not None and len(al[1]) > 1:
            # `UBND tỉnh, thành phố: X, Y` names the committee of each, as `UBND các tỉnh: X, Y`.
            end, items = self.names(self.skip_tw(al[0]), al[1])
            if items:
                return end, [
                    _Hit(a, b, f"{head} {n}", known=bool(r), ref=r, kind="committee")
                    for a, b, n, r in items
                ]
        a = self.admin(j)
        if a is not None:
            k, level = a
            if level in PROVINCE_LEVEL:
                p = self.province(k)
                if p is not None and p[1].kind != level:
                    # `UBND TP. X` in the province X: the printed level is
                    # not the province's own, so it is the city of that name (§4).
                    name = f"{head} {level} {p[1].name}"
                    return p[0], [_Hit(i, p[0], name, known=False, kind="committee")]
                if p is not None:
                    return self.listed(i, p[0], p[1], head)
                own = self.own_province()
                if own is not None and own.kind == level:
                    name = f"{head} {own.full_name}"
                    return k, [_Hit(i, k, name, ref=own.id, kind="committee")]
                return k, [_Hit(i, k, f"{head} {level}", known=False, kind="committee")]
            e = self.cap_name(k)
            if e > k:
                name = f"{head} {level} {self.printed(k, e)}"
                first = _Hit(i, e, name, known=False, kind="committee")
                return self.local_run(e, head, level, [first])
            own_place = self.own_local(level)
            if own_place is not None and self.tok(j - 1) != "các":
                # `Ủy ban nhân dân xã` in a letter of that commune's own bodies (`ĐẢNG ỦY XÃ
                # X`, `CÔNG AN XÃ X`): its own committee, as bare `tỉnh` is the issuer's
                # province (§4), not every commune's.
                name = f"{head} {level} {own_place}"
                return k, [_Hit(i, k, name, known=False, kind="committee")]
            return None
        p = self.province(j)
        if p is not None:
            return self.listed(i, p[0], p[1], head)
        # A committee named without its level or place says too little to resolve;
        # consume it so the fallback does not read it as an unknown body.
        return j, []

    def listed(self, i: int, j: int, row: ProvinceRow, head: str) -> _Cand:
        """The committee of `row` over [i, j) and of each province listed right
        after it: in `UBND tỉnh X, thành phố Y` the head governs
        the whole list, as it does in `UBND các tỉnh: X, Y`."""
        hits = [_Hit(i, j, f"{head} {row.full_name}", ref=row.id, kind="committee")]
        if self.tok(j) in {",", "và"}:
            end, items = self.province_run(j + 1)
            if items:
                j = end
                hits += [
                    _Hit(a, b, f"{head} {r.full_name}", ref=r.id, kind="committee")
                    for a, b, r in items
                ]
        return j, hits

    def local_run(self, j: int, head: str, level: str, hits: list[_Hit]) -> _Cand:
        """The committee of a district or commune over `hits` and of each one of the same level
        listed right after it with its own level word: in `UBND xã X, xã Y` / `UBND phường X và
        phường Y` the head governs the whole list, as in `UBND các xã: X, Y` (§4: the list names
        each body); `UBND xã X, huyện Y` is one commune with its address."""
        tier = DISTRICT_LEVEL if level in DISTRICT_LEVEL else COMMUNE_LEVEL
        while self.tok(j) in {",", "và"} and "\n" not in self.f.gap(j + 1):
            a = self.admin(j + 1)
            if a is None or a[1] not in tier:
                break
            e = self.cap_name(a[0])
            if e == a[0]:
                break
            name = f"{head} {a[1]} {self.printed(a[0], e)}"
            hits.append(_Hit(j + 1, e, name, known=False, kind="committee"))
            j = e
        return j, hits

    def province_item(self, k: int) -> tuple[int, int, ProvinceRow] | None:
        """One province of a list (`tỉnh X`, `TP. Y`, bare `X`) as
        (start, end, row). A printed level word must be the province's own
        (`thành phố X` is the provincial city), the province must exist by
        the letter's date, and a name dashed to another is a route or a project
        (`cao tốc X - Y`), not the province."""
        a = self.admin(k)
        p = self.province(a[0] if a is not None else k)
        if p is None or (a is not None and a[1] != p[1].kind):
            return None
        end, row = p
        if self.ctx.date and row.valid_from and self.ctx.date < row.valid_from:
            return None
        dashed = self.tok(end) == "-" and end + 1 < self.stop and self.f.is_cap(end + 1)
        return None if dashed else (k, end, row)

    def province_run(self, k: int) -> tuple[int, list[tuple[int, int, ProvinceRow]]]:
        """Provinces from k on, joined by `,` or `và`: (end, items)."""
        items: list[tuple[int, int, ProvinceRow]] = []
        end = k
        while (item := self.province_item(k)) is not None:
            items.append(item)
            end = k = item[1]
            if self.tok(k) not in {",", "và"}:
                break
            k += 1
        return end, items

    def provinces(self, i: int) -> _Cand | None:
        """Provinces that act without their committee being named: each is its
        People's Committee (§4, `các tỉnh, thành phố` → the committees). Only a
        named list after `các tỉnh` (`Các tỉnh X, Y khẩn trương`)
        or at the opening of a clause (`Thành phố X và các tỉnh …`, `Tỉnh X
        chủ động …`): elsewhere a province is a place (`trên địa bàn tỉnh X`,
        `Kế hoạch của tỉnh X`), not an actor."""
        if self.tok(i) == "các" and (local := self.local_list(i)) is not None:
            return local
        if self.tok(i) == "các":
            al = self.admin_list(i + 1)
            localities = self.toks[i + 1 : i + 3] == ["địa", "phương"] and i + 3 <= self.stop
            if localities:
                al = (i + 3, set(PROVINCE_LEVEL))  # `Các địa phương: X, Y` names its provinces
            if al is None or not al[1] & PROVINCE_LEVEL:
                return None
            k = self.skip_tw(al[0])
            end, items = self.province_run(k + 1 if self.tok(k) == ":" else k)
            if localities and self.tok(k) != ":" and len(items) < 2:
                return None  # `các địa phương tỉnh X`: the province's localities, no list
        elif (self.f.is_cap(i) and self.clause_start(i)) or self.after_actor_word(i):
            end, items = self.province_run(i)
        else:
            return None
        if not items:
            return None
        # The first mention starts at the list head (`Các tỉnh`): it is part of the subject.
        items[0] = (i, *items[0][1:])
        return end, [_Hit(a, b, r.committee, ref=r.id, kind="committee") for a, b, r in items]

    def local_list(self, i: int) -> _Cand | None:
        """`Các xã X, Y, Z hoàn thiện hồ sơ …`: communes (or districts) named in a list act,
        each its People's Committee, as `Các tỉnh X, Y` are (§4: the list names each body);
        only as a clause's subject or a request's object, elsewhere they are places (`tại các
        xã X, Y`)."""
        al = self.admin_list(i + 1)
        if al is None or not al[1] or not al[1] <= COMMUNE_LEVEL | DISTRICT_LEVEL:
            return None
        if not (self.clause_start(i) or self.after_actor_word(i)):
            return None
        end, items = self.names(self.skip_tw(al[0]), al[1])
        if not items:
            return None
        head = COMMITTEE_NAME["ubnd"]
        hits = [_Hit(a, b, f"{head} {n}", known=False, kind="committee") for a, b, n, _ in items]
        # The first mention starts at the list head (`Các xã`): it is part of the subject.
        hits[0] = replace(hits[0], i=i)
        return end, hits

    def after_actor_word(self, i: int) -> bool:
        """Does a request or a coordinate phrase end right before token i (`đề nghị tỉnh X`,
        `phối hợp, hỗ trợ tỉnh X`)? Its object is the body that acts or helps (§3 lead,
        coordinate), not a place."""
        if i == 0 or self.toks[i - 1] not in _ACTOR_WORD_LAST:
            return False
        s, _ = self.f.span(i, i + 1)
        return bool(_ACTOR_WORD_END.search(self.f.text[max(0, s - 40) : s]))

    def clause_start(self, i: int) -> bool:
        """Does a clause open at token i: the text's start, a new paragraph, a
        sentence or a `;`, or an item marker (`a)`, `(1)`, `1.`, `-`)? A single
        line break is not one: letters wrap their lines mid-sentence."""
        k = self.skip_emphasis(i - 1)
        if k < 0 or self.f.gap(k + 1).count("\n") >= 2:
            return True
        prev = self.toks[k]
        if prev in {".", ";", "!", "?"}:
            return True
        if prev in {"-", "+", "•"}:
            return self.line_start(k)
        if prev == ")" and k >= 1 and len(self.toks[k - 1]) <= 4:
            return self.line_start(k - 2 if k >= 2 and self.toks[k - 2] == "(" else k - 1)
        return False

    def line_start(self, k: int) -> bool:
        """Is token k the first of its line?"""
        j = self.skip_emphasis(k - 1)
        return j < 0 or "\n" in self.f.gap(j + 1)

    def skip_emphasis(self, k: int) -> int:
        """Back from token k over markdown emphasis (`**a)**`)."""
        while k >= 0 and self.toks[k] in {"*", "_"}:
            k -= 1
        return k

    def own_local(self, level: str) -> str | None:
        """The name of the district or commune of `level` whose body issues the letter
        (`Đảng ủy xã X` → `X`), as the issuer's name prints it; else None."""
        if level not in COMMUNE_LEVEL | DISTRICT_LEVEL:
            return None
        m = re.search(rf"(?i:\b{re.escape(level)})\s+(\S.*)$", self.ctx.issuer or "")
        # A place's words in title case, whatever case the header printed them in.
        return " ".join(w[:1].upper() + w[1:].lower() for w in m.group(1).split()) if m else None

    def own_province(self) -> ProvinceRow | None:
        if not self.ctx.province:
            return None
        m = self.d.province_trie.longest((toks := fold_text(self.ctx.province).toks), 0, len(toks))
        if m is None:
            return None
        return (
            pick([self.d.provinces[i] for i in m[1]], self.ctx.date) or self.d.provinces[m[1][-1]]
        )

    def unit(self, i: int) -> _Cand | None:
        m = self.d.unit_trie.longest(self.toks, i, self.stop)
        if m is None:
            return None
        rows = [self.d.units[u] for u in m[1]]
        # A unit named outside its validity (a 2026 letter recalling a department
        # merged away in 2025, `valid_to` in unit_types.csv) is still that unit.
        u: UnitRow = pick(rows, self.ctx.date) or rows[-1]
        j = m[0]
        base = u.base if u.admin else u.name
        # `Sở X các tỉnh, thành phố (trực thuộc Trung ương)`: one type of
        # department across provinces is its short name; with a list of
        # provinces it is one department per province (§4).
        if self.tok(j) == "các":
            al = self.admin_list(j + 1)
            if al is not None and al[1] & PROVINCE_LEVEL:
                end, items = self.names(self.skip_tw(al[0]), al[1])
                if items:
                    return end, [
                        _Hit(a, b, f"{base} {n}", ref=u.id, kind="unit", juris=r)
                        for a, b, n, r in items
                    ]
                return end, [_Hit(i, end, u.name, ref=u.id, kind="unit")]
            if al is not None and u.admin:
                # `Ban X các xã, phường`: the unit of every commune, `Ban X xã` (§4, as
                # `Ban X các tỉnh` is `Ban X tỉnh`), not also the communes' committees;
                # with a list, the unit of each (`Ban X các xã: A, B`).
                end, items = self.names(self.skip_tw(al[0]), al[1])
                if items:
                    return end, [
                        _Hit(a, b, f"{u.base} {n}", known=False, kind="unit")
                        for a, b, n, _ in items
                    ]
                level = self.admin(j + 1)
                assert level is not None
                end = self.skip_tw(al[0])
                return end, [_Hit(i, end, f"{u.base} {level[1]}", known=False, kind="unit")]
        lv = self.admin(j + 1) if self.tok(j) == "cấp" and u.admin else None
        if lv is not None and lv[1] not in PROVINCE_LEVEL:
            # `Ban X cấp xã`: the unit of every commune, as `Ban X các xã, phường` is
            # `Ban X xã` (§4: `UBND cấp xã` is the communes' committees, @cap-xa).
            return lv[0], [_Hit(i, lv[0], f"{u.base} {lv[1]}", known=False, kind="unit")]
        # A unit keeps its name as printed (§4): with the province when one is
        # printed (`Sở A tỉnh X`), never adding one (`Ban B tỉnh`).
        a = self.admin(j)
        if a is not None and a[1] in PROVINCE_LEVEL:
            p = self.province(a[0])
            if p is not None:
                name = f"{base} {p[1].full_name}"
                return p[0], [_Hit(i, p[0], name, ref=u.id, kind="unit", juris=p[1].id)]
            if u.admin:
                return a[0], [_Hit(i, a[0], f"{base} {a[1]}", ref=u.id, kind="unit")]
            # `Sở A tỉnh, Sở B`: the bare level word is part of the name as
            # printed; the name stays the department's (§4), the mention ends after it.
            return a[0], [_Hit(i, a[0], u.name, ref=u.id, kind="unit")]
        if a is not None and u.admin and a[1] in COMMUNE_LEVEL | DISTRICT_LEVEL:
            listed = self.admin_list(j)
            # A place's name after it is on its line, within the mention (a table's next
            # cell, `| Ban X phường | Trung tâm …`, is none).
            named = a[0] < self.stop and "\n" not in self.f.gap(a[0]) and self.f.is_cap(a[0])
            if not named and (listed is None or listed[0] == a[0]):
                # `Ban X xã`, `Hội Y phường`: the unit of the commune the
                # letter speaks of, a unit below a province named as printed (§4); not the
                # first of a list of levels (`Ban X huyện, xã`).
                return a[0], [_Hit(i, a[0], f"{u.base} {a[1]}", known=False, kind="unit")]
        p = self.province(j)
        if p is not None:
            # `Sở A X` → `Sở A thành phố X`; but a name that holds
            # its level word (unit_types.csv `admin_slot` `embedded`: a city's
            # youth union), or whose own name ends in the place (`named`: an
            # economic zone's board), takes the place name as printed (§4).
            bare = u.embedded or u.admin or u.place_as_printed
            place = p[1].name if bare else p[1].full_name
            return p[0], [_Hit(i, p[0], f"{base} {place}", ref=u.id, kind="unit", juris=p[1].id)]
        if u.admin:
            return None  # `Ban X` alone is not `Ban X tỉnh`
        return j, [_Hit(i, j, u.name, ref=u.id, kind="unit")]

    def agency(self, i: int) -> _Cand | None:
        m = self.d.agency_trie.longest(self.toks, i, self.stop)
        if m is None:
            return None
        rows = [self.d.agencies[a] for a in m[1]]
        row: AgencyRow | None = pick(rows, self.ctx.date) or rows[0]
        assert row is not None
        j = m[0]
        if self.toks[j : j + 2] == ["các", "cấp"]:  # `Hội X các cấp`
            j += 2
        return j, [_Hit(i, j, row.name, ref=row.id)]

    def sector_office(self, i: int) -> _Cand | None:
        """`Cơ quan A - B ở địa phương`: the local office of a sector
        across the provinces is one department type, its short name (§4: `Sở A - B
        các tỉnh` is `Sở A - B`)."""
        if self.toks[i : i + 2] != ["cơ", "quan"] or not self.f.is_cap(i + 2):
            return None
        m = self.d.unit_trie.longest_after(("sở",), self.toks, i + 2, self.stop)
        if m is None:
            return None
        j = i + 2 + m[0] - 1
        for tail in (["địa", "phương"], ["các", "địa", "phương"], ["ở", "địa", "phương"]):
            if self.toks[j : j + len(tail)] == tail and j + len(tail) <= self.stop:
                rows = [self.d.units[u] for u in m[1]]
                u = pick(rows, self.ctx.date) or rows[-1]
                end = j + len(tail)
                return end, [_Hit(i, end, u.name, ref=u.id, kind="unit")]
        return None

    def local_force(self, i: int) -> _Cand | None:
        """`cơ quan X`, `lực lượng X` in a province's letter: the force of a unit that
        every province has, printed without its level word, is the issuing province's unit
        (`X tỉnh`, in a city `X thành phố`; §4: a unit keeps its name, no province
        appended). A ministry's letter names no one province's force: nothing is read."""
        if tuple(self.toks[i : i + 2]) not in _FORCE_WORDS or not self.f.is_cap(i + 2):
            return None
        m = self.d.unit_trie.longest(self.toks, i + 2, self.stop)
        own = self.own_province() if self.ctx.provincial else None
        if m is None or own is None or self.admin(m[0]) is not None or self.tok(m[0]) == "các":
            return None
        rows = [self.d.units[u] for u in m[1]]
        u = pick(rows, self.ctx.date) or rows[-1]
        if not u.admin:
            return None
        return m[0], [_Hit(i, m[0], f"{u.base} {own.kind}", ref=u.id, kind="unit")]

    def ministry_list(self, i: int) -> _Cand | None:
        """`Các Bộ: A, B, …` → one ministry per printed short name; so does
        `Các Bộ, cơ quan: A, B, <a body of ministerial rank by its full name>`."""
        k = i
        for prefix in (
            ("các", "bộ", ",", "cơ", "quan", ":"),
            ("các", "bộ", ",", "ngành", ":"),
            ("bộ", "trưởng", "các", "bộ"),
            ("các", "bộ"),
            ("bộ", ":"),
        ):
            if tuple(self.toks[k : k + len(prefix)]) == prefix:
                k += len(prefix) - (1 if prefix[-1] == ":" else 0)
                break
        else:
            return None
        if self.tok(k) == ":":
            k += 1
        hits: list[_Hit] = []
        end = k
        while k < self.stop:
            m = self.d.short_trie.longest(self.toks, k, self.stop)
            if m is None and hits and self.tok(k - 1) != ";":
                m = self.d.agency_trie.longest(self.toks, k, self.stop)
            if m is None or not self.f.is_cap(k):
                break
            rows = [self.d.agencies[a] for a in m[1]]
            row = pick(rows, self.ctx.date) or rows[0]
            hits.append(_Hit(k, m[0], row.name, ref=row.id))
            end = k = m[0]
            # `Các Bộ: A; B, C và D`: a semicolon parts the items too (names that hold
            # commas); the list ends where no short name follows it.
            if self.tok(k) in {",", "và"} or self.tok(k) == ";":
                k += 1
                continue
            break
        return (end, hits) if hits else None

    def unit_list(self, i: int) -> _Cand | None:
        """`Các Cục: Đường bộ Việt Nam, Đường sắt Việt Nam, …` → one body per item.

        The distributive list of §4 (`Các Bộ: A, B, …` names each
        ministry) with another kind of unit (`Các Cục:`, `Các Sở:`, `Các Vụ:`):
        the kind word with its colon governs every item, each item being the
        name printed between commas; a name the registry knows is canonical,
        another keeps its printed name (§4: a unit keeps its name as printed).
        A `và` belongs to the item's name (`Hàng hải và Đường thủy Việt Nam`,
        `Lâm nghiệp và Kiểm lâm`); it joins the last two items only where both
        are names the registry knows (`Các Sở: A, B và C`).
        """
        if self.tok(i) != "các":
            return None
        head = _head_len(self.toks, i + 1)
        if head and self.toks[i + 1] in _NOT_DISTRIBUTED:
            head = 0
        k = i + 1 + head
        kind_end = k
        # `Các Sở, ngành: A, B`: the sectors beside the kind add nothing (§4).
        for filler in ((",", "ban", ",", "ngành"), (",", "ngành")):
            if head and tuple(self.toks[k : k + len(filler)]) == filler:
                k += len(filler)
                break
        if not head:
            return None
        kind = normal_case(self.printed(i + 1, kind_end))
        if self.tok(k) != ":":
            lower = not self.f.is_cap(i + 1)
            bare = self.known_run(kind, kind_end, lower=lower) if k == kind_end else []
            if not bare:
                return None
            # The first mention starts at the list head (`Các Sở`): it is part of the subject.
            bare[0] = replace(bare[0], i=i)
            return bare[-1].j, bare
        printed_as_name = self.f.is_cap(i + 1)
        k += 1
        items: list[tuple[int, int]] = []
        while k < self.stop and self.f.is_cap(k) and not self.list_ends_at_break(kind, k, items):
            if items and self.committee_starts(k):
                break  # `Các Sở: A, B, Ủy ban nhân dân các xã`: a body of its own
            j = k + 1
            while j < self.stop and self.toks[j] not in _ITEM_END and "\n" not in self.f.gap(j):
                if self.stop_word(j) or self.stop_pair(j):
                    break  # `…, Hàng hải Việt Nam khẩn trương …`: the sentence goes on
                j += 1
            j = max(j, self.known_item_end(kind, k))
            items.append((k, j))
            if self.tok(j) != "," and not (
                self.tok(j) == ";" and self.known_item_end(kind, j + 1) > j + 1
            ):
                break  # a semicolon parts items only before a name of the kind the registry knows
            k = j + 1
        if len(items) > 1:
            a, b = items[-1]
            va = next((t for t in range(a + 1, b - 1) if self.toks[t] == "và"), None)
            if (
                va is not None
                and self.listed_unit(kind, a, va).known
                and self.listed_unit(kind, va + 1, b).known
            ):
                items[-1:] = [(a, va), (va + 1, b)]
        hits = [self.listed_unit(kind, a, b) for a, b in items if b > a]
        if not printed_as_name and not all(h.known for h in hits):
            return None  # `các sở: …` in lower case: only a list of bodies the registry knows
        return (hits[-1].j, hits) if hits else None

    def known_run(self, kind: str, k: int, *, lower: bool = False) -> list[_Hit]:
        """`Các Sở A, B và C`: a list without a colon after the kind word,
        each item a name the registry knows with the kind word before it (`Sở B`); the
        list ends at the first item that is not (§4: a distributive list names each body).

        `lower`: the kind word is printed in lower case, a common noun (`các sở <a> <b>`):
        its items may be too, one department type across the provinces, that
        department's short name (§4); but not an item that opens with a verb of work
        (lexicon `work_verbs`): `các sở <verb> …` is the departments doing it."""
        head = fold_text(kind).toks
        hits: list[_Hit] = []
        while k < self.stop and (self.f.is_cap(k) or (lower and not self.work_verb_at(k))):
            ends = [
                m[0]
                for trie in (self.d.agency_trie, self.d.unit_trie)
                if (m := trie.longest_after(head, self.toks, k, self.stop)) is not None
                and m[0] > len(head)
            ]
            if not ends:
                break
            end = k + max(ends) - len(head)
            hits.append(self.listed_unit(kind, k, end))
            k = end
            if self.tok(k) not in {",", "và"}:
                break
            k += 1
        return hits

    def work_verb_at(self, k: int) -> bool:
        """A verb of work (lexicon `work_verbs`) starts at token k."""
        return " ".join(self.toks[k : k + 2]) in _WORK_VERBS or self.tok(k) in _WORK_VERBS

    def list_ends_at_break(self, kind: str, k: int, items: list[tuple[int, int]]) -> bool:
        """A line break before token `k` ends the list, unless a comma left the list open
        (`Các sở: A,` / `B …`, a hard-wrapped line) and the item there is a name the registry
        knows with the kind word (§4: a distributive list names each body); a line of its
        own after the list (a bullet) is not one of its items."""
        gap = self.f.gap(k)
        if "\n" not in gap:
            return False
        return not (
            items
            and self.tok(k - 1) == ","
            and gap.count("\n") == 1
            and self.known_item_end(kind, k) > k
        )

    def known_item_end(self, kind: str, k: int) -> int:
        """Where the registry name that the list's kind word and the item at `k` make ends, also
        across a line break (`Công nghiệp` / `- Viễn thông Quân đội`: a dash of the name wrapped
        to the next line, not a bullet); `k` when there is none."""
        head = fold_text(kind).toks
        # A unit type the registry holds by kind (`Sở Nông nghiệp và` / `Môi trường`) as
        # well as a named agency: the name runs on across the break (§4: each is named).
        ends = [
            m[0]
            for trie in (self.d.agency_trie, self.d.unit_trie)
            if (m := trie.longest_after(head, self.toks, k, self.stop)) is not None
            and m[0] > len(head)
        ]
        return k + max(ends) - len(head) if ends else k

    def listed_unit(self, kind: str, a: int, b: int) -> _Hit:
        """One item of a distributive list, with its kind word before it."""
        name = f"{kind} {self.printed(a, b)}"
        toks = fold_text(name).toks
        m = self.d.agency_trie.longest(toks, 0, len(toks))
        if m is not None:
            # `…, Dầu khí Việt Nam bảo đảm cung ứng …`: a registry name followed by a word in
            # lower case is the item; the sentence goes on after it.
            end = b - (len(toks) - m[0])
            if m[0] == len(toks) or (a < end < b and not self.f.is_cap(end)):
                rows = [self.d.agencies[x] for x in m[1]]
                row = pick(rows, self.ctx.date) or rows[0]
                return _Hit(a, end, row.name, ref=row.id)
        u = self.d.unit_trie.longest(toks, 0, len(toks))
        if u is not None:
            # The same for a unit (`các Sở: A, B xây dựng dự toán …`).
            end = b - (len(toks) - u[0])
            if u[0] == len(toks) or (a < end < b and not self.f.is_cap(end)):
                urows = [self.d.units[x] for x in u[1]]
                unit = pick(urows, self.ctx.date) or urows[-1]
                return _Hit(a, end, unit.name, ref=unit.id, kind="unit")
        own = self.whole_name(a, b)
        if own is not None:
            # `Các sở: A, B, Ban C tỉnh, Ban D tỉnh`: an item printed
            # with its own full name is that body, not one of the kind (§4: each is named).
            return own
        return _Hit(a, b, name, known=False, kind="unknown")

    def committee_starts(self, k: int) -> bool:
        """A People's Committee or Council (not a party committee) is named from k."""
        head = self.d.head_trie.longest(self.toks, k, self.stop)
        return head is not None and head[1][0] != "party"

    def whole_name(self, a: int, b: int) -> _Hit | None:
        """The body the registry knows by exactly the tokens [a, b) (`Ban X tỉnh`, a unit
        named with its level word: unit_types.csv `admin_slot` `admin`), if any."""
        m = self.d.agency_trie.longest(self.toks, a, b)
        if m is not None and m[0] == b:
            rows = [self.d.agencies[x] for x in m[1]]
            row = pick(rows, self.ctx.date) or rows[0]
            return _Hit(a, b, row.name, ref=row.id)
        u = self.d.unit_trie.longest(self.toks, a, b)
        if u is None:
            return None
        unit = pick([self.d.units[x] for x in u[1]], self.ctx.date) or self.d.units[u[1][-1]]
        level = self.admin(u[0]) if unit.admin else None
        if level is not None and level[0] == b and level[1] in PROVINCE_LEVEL:
            return _Hit(a, b, f"{unit.base} {level[1]}", ref=unit.id, kind="unit")
        if u[0] == b and not unit.admin:
            return _Hit(a, b, unit.name, ref=unit.id, kind="unit")
        return None

    def belongs(self, i: int) -> _Cand | None:
        """`các đơn vị (trực) thuộc X`: the issuer's own units, or @lien-quan."""
        if self.tok(i) != "các":
            return None
        k = i + 1
        while k < self.stop and k - i < 14 and self.toks[k] in _COLLECTIVE:
            k += 1
        if not any(t in _COLLECTIVE_HEADS for t in self.toks[i + 1 : k]):
            return None
        direct = False
        if self.toks[k : k + 2] == ["trực", "thuộc"]:
            direct, k = True, k + 2
        elif self.tok(k) == "thuộc":
            k += 1
            if self.toks[k : k + 3] == ["và", "trực", "thuộc"]:
                direct, k = True, k + 3
        else:
            return None
        own = "@don-vi-truc-thuoc"
        target = self.committee(k) or self.agency(k) or self.unit(k)
        if target is not None and target[1]:
            name = target[1][0].name
            code = (
                own
                if self.ctx.issuer and fold_key(name) == fold_key(self.ctx.issuer)
                else "@lien-quan"
            )
            return target[0], [_Hit(i, target[0], code, code=code, kind="group")]
        grp = self.group(k)
        if grp is not None:  # `thuộc các Bộ, ngành`: units of other bodies
            return grp[0], [_Hit(i, grp[0], "@lien-quan", code="@lien-quan", kind="group")]
        if self.tok(k) == "bộ":  # bare `Bộ`: the issuing ministry
            return k + 1, [_Hit(i, k + 1, own, code=own, kind="group")]
        if self.tok(k) == "sở":  # bare `Sở`: the issuing department, as bare `Bộ` is the ministry
            issuer = fold_key(self.ctx.issuer or "")
            code = own if issuer.startswith(fold_key("Sở")) else "@lien-quan"
            return k + 1, [_Hit(i, k + 1, code, code=code, kind="group")]
        if self.tok(k) in {"ủy", "ubnd"}:
            h = self.d.head_trie.longest(self.toks, k, self.stop)
            if h is not None:
                e = h[0]
                a = self.admin(e)
                e = a[0] if a else e
                code = own if _issued_by_committee(self.ctx.issuer) else "@lien-quan"
                return e, [_Hit(i, e, code, code=code, kind="group")]
        if direct:
            return k, [_Hit(i, k, own, code=own, kind="group")]
        return None

    def holds(self, g: GroupRow) -> bool:
        ctx = self.ctx
        for c in g.conditions:
            if c == "province" and not ctx.provincial:
                return False
            if c == "not-province" and ctx.provincial:
                return False
            if c.startswith("from:") and ctx.date is not None and ctx.date < c[5:]:
                return False
            if c.startswith("before:") and (ctx.date is None or ctx.date >= c[7:]):
                return False
            if c == "issuer-ubnd" and not _issued_by_committee(ctx.issuer):
                return False
            if c == "not-issuer-ubnd" and _issued_by_committee(ctx.issuer):
                return False
        return True

    def group(self, i: int) -> _Cand | None:
        for j, payloads in reversed(self.d.group_trie.all_matches(self.toks, i, self.stop)):
            g = next((p for p in payloads if self.holds(p)), None)
            if g is None:
                continue
            if self.tok(j) == ":":
                # `Giám đốc các Sở: A, B`: the group's words head a list of named
                # bodies (§4: a distributive list names each one).
                listed = next(
                    (
                        c
                        for k in range(i, j)
                        if self.toks[k] == "các"
                        and (c := self.unit_list(k) or self.ministry_list(k))
                    ),
                    None,
                )
                if listed is not None:
                    return listed
            j = self.group_tail(j)
            hits: list[_Hit] = []
            for code in g.codes:
                if code == "=self":
                    own = self.own_province()
                    if own is not None:
                        hits.append(_Hit(i, j, own.committee, ref=own.id, kind="committee"))
                else:
                    hits.append(_Hit(i, j, code, code=code, kind="group"))
            return j, hits
        return None

    def group_tail(self, j: int) -> int:
        """Extend a group over `(có) liên quan`, `trực thuộc Trung ương` and bare
        `, cơ quan` / `, đơn vị` inside its enumeration (they add nothing)."""
        while True:
            if self.toks[j : j + 3] == ["có", "liên", "quan"]:
                j += 3
            elif self.toks[j : j + 2] == ["liên", "quan"]:
                j += 2
            elif self.skip_tw(j) != j and self.toks[j] == "trực":
                j = self.skip_tw(j)
            elif self.tok(j) == "," and not self.starts_group(j + 1):
                if self.heads_a_name(j + 1):
                    return j  # `Các sở, ngành, Ban QLDA X …`: a body listed beside the group
                if " ".join(self.toks[j + 1 : j + 3]) in _ABSORB:
                    j += 3
                elif self.tok(j + 1) in _ABSORB:
                    j += 2
                else:
                    return j
            else:
                return j

    def heads_a_name(self, k: int) -> bool:
        """A word the group's enumeration may carry (`ban`) printed at k with a capital after
        the group's lower-case words, a capitalised name after it: it heads a body of its own
        (`Các sở, ngành, Ban Quản lý dự án X`; §4, a named body is written by its name)."""
        if not self.f.is_cap(k) or not self.f.is_cap(k + 1) or "\n" in self.f.gap(k + 1):
            return False
        return self.body_head(k) and not self.f.is_cap(k - 2)

    def starts_group(self, k: int) -> bool:
        """Does a group phrase of its own start at k (`, cơ quan …` of `@bo-nganh`'s wording)?
        A bare `cơ quan (liên quan)` inside the enumeration is not one (§4)."""
        m = self.d.group_trie.longest(self.toks, k, self.stop)
        if m is None or m[0] - k <= 2:
            return False
        return any(c != "@lien-quan" for g in m[1] for c in g.codes)

    def unknown(self, i: int) -> _Cand | None:
        """A body that is not in the registry: capitalised head + capitalised name."""
        if not self.f.is_cap(i):
            return None
        if self.toks[i] not in _HEAD_FIRSTS:
            return None  # no head starts here (the loop below would find none)
        head = 0
        for n in range(_MAX_HEAD, 0, -1):
            if tuple(self.toks[i : i + n]) in _BODY_HEADS and i + n <= self.stop:
                head = n
                break
        if not head:
            return None
        k = i + head
        if (
            self.toks[i:k] == ["ban"]
            and self.toks[k : k + 2] == ["thường", "vụ"]
            and self.party_of_named_unit(k + 2)
        ):
            # `Ban Thường vụ Đảng ủy Ban X tỉnh`: the standing committee stands for the
            # committee named next, read on its own (§4: `Thường trực Tỉnh ủy X` is scored as
            # the Tỉnh ủy; §6 Party notices: a named body's Party committee keeps its name).
            return None
        if (
            self.tok(k) == "các"
            and self.f.is_cap(k + 1)
            and not self.starts_known(k + 1)
            and self.group(k) is None
        ):
            # `Liên hiệp các Hội Văn học nghệ thuật tỉnh`: `các` inside a name; but not before a
            # collective (`Thanh tra các Bộ, ngành`: an organ of a collective, §4).
            k += 1
        if k >= self.stop or not self.toks[k][0].isalnum() or self.toks[k] in _STOP_WORDS:
            return None
        lvl = self.admin(k)
        if (
            lvl is not None
            and tuple(self.toks[i:k]) in _BY_LEVEL
            and not self.f.is_cap(k)
            and not (lvl[0] < self.stop and self.f.is_cap(lvl[0]))
        ):
            # `Thư viện tỉnh`, `Trung tâm X huyện`: a unit named by its level, printed
            # without its place (§4: a unit below a province keeps its name as printed).
            name = normal_case(self.printed(i, lvl[0]), self.d.proper_names)
            return lvl[0], [_Hit(i, lvl[0], name, known=False, kind="unknown")]
        # The name proper starts with a capital (`Trung tâm Bảo tồn …`); after a
        # head of several words printed as a name (`Câu lạc bộ nghệ nhân trẻ`,
        # `Ban Quản lý dự án 85`) a lower-case word may follow.
        # An abbreviated head (`BQL dự án …`, lexicon `name_abbreviations`) counts as its words.
        if not self.f.is_cap(k) and len(_expanded(self.printed(i, k)).split()) < 3:
            return None
        if self.stop_pair(k) or self.new_line_style(k):  # `THÔNG BÁO` / `Kết luận …`
            return None
        if self.toks[i] == "báo" and (
            self.tok(k) == "cáo" or (self.toks[i - 1 : i] == ["thông"] and i > self.first)
        ):
            # `BÁO CÁO`, `THÔNG BÁO`: document types; a `thông` before the span read is another
            # cell's (`Sở … Truyền thông` | `Báo X`: a cell that ends in that word).
            return None
        if self.toks[k] in {"trưởng", "phó"}:  # `Cục Trưởng`: a title in capitals
            return None
        if self.toks[k : k + 2] == ["thường", "trực"]:
            if self.toks[i:k] == ["cơ", "quan"] or not self.f.is_cap(k):
                return None  # `Cơ quan thường trực`: a role
            # `Văn phòng Thường trực Ban Chỉ đạo …`: the standing office of the body named next.
            k += 2
            if k >= self.stop or not self.f.is_cap(k):
                return None
        if i > 0 and self.toks[i - 1] in {"chánh", "phó"}:  # `Chánh Văn phòng`: a title
            return None
        if self.in_upper_word(i):
            return None  # `NHIỆM VỤ CỤ THỂ`, `BAN HÀNH`: the head is a word's second syllable
        if i > 0 and self.toks[i - 1] == "xã" and self.toks[i] == "hội":  # `XÃ HỘI CHỦ NGHĨA`
            return None
        if i > 0 and self.f.is_cap(i - 1) and self.toks[i - 1] in _NAME_WORDS:
            return None  # inside a person's name (`Nguyễn Trường Sơn`)
        j = k
        while j < self.stop and j - i < 24:
            t = self.toks[j]
            party = self.d.head_trie.longest(self.toks, j, self.stop)
            if party is not None and party[1][0] == "party" and self.f.is_cap(j):
                # A party committee's commission ends its name (`Ban Tuyên giáo và Dân
                # vận Tỉnh ủy`, with its province if printed): written as printed (§4).
                j = party[0]
                p = self.province(j)
                j = p[0] if p is not None else j
                break
            if j > k and (self.starts_known(j) or self.new_line_style(j)):
                break
            if j > k and "\n" in self.f.gap(j) and self.toks[j : j + k - i] == self.toks[i:k]:
                # `4. Trung tâm X` / `Trung tâm X chủ trì …`: its own head opens a new name (§3
                # lead: the sentence's subject is the body named again, not one name of both).
                break
            if self.f.gap(j).count("\n") >= 2:
                break  # a blank line ends the paragraph, and the name with it
            if t == "và" and (both := self.joint_office(j)) is not None:
                j = both  # `Văn phòng HĐND và UBND xã`: the office of both organs, one body
                continue
            if t == "và" and self.comma_compound(j + 1):
                j += 4  # `Cục Quản lý X và Phòng, chống Y`: a field, not a body's head (`Phòng`)
                continue
            if t in _JOIN:
                if t == "-" and "\n" in self.f.gap(j):  # a bullet, not a joiner
                    break
                named = self.f.is_cap(j + 1) and not self.body_head(j + 1)
                if t == "và" and not named and not self.closes_ahead(k, j):
                    break
                j += 1
                continue
            if t == "," and f"{self.toks[j - 1]}, {self.tok(j + 1)}" in _COMPOUNDS:
                j += 2  # `Ban Chỉ đạo phòng, chống …`: the pair is one word of the name
                continue
            if t == "," and self.closes_ahead(k, j):
                j += 1  # `… phòng, chống tham nhũng, tiêu cực tỉnh`: fields up to its level word
                continue
            if t == "," and (listed := self.fields_after_comma(j)) is not None:
                j = listed
                continue
            if t == "cấp" and (leveled := self.by_levels(i, k, j)) is not None:
                return leveled
            if t == "các" and self.closes_ahead(k, j):
                j += 1
                continue
            if not t[0].isalnum() or is_footnote_mark(t) or self.stop_word(j) or self.stop_pair(j):
                break
            if j > k and self.work_begins(k, j):
                break
            if j > k + 1 and self.numbered_end(j):
                break  # `Khu Quản lý đường bộ IV lập biên bản …`: the name ends at its number
            if (closed := self.level_closes(k, j)) is not None:
                j = closed
                break
            j += 1
        while j > k and self.toks[j - 1] in _JOIN:
            j -= 1
        if j <= k:
            return None
        name = _expanded(normal_case(self.printed(i, j), self.d.proper_names))
        return self.across_levels(i, j), [_Hit(i, j, name, known=False, kind="unknown")]

    def comma_compound(self, j: int) -> bool:
        """A pair printed with a comma that is one word of a name starts at j (`Phòng, chống`,
        lexicon `name_compounds`), its first word capitalised as a field of the name."""
        pair = f"{self.tok(j)}, {self.tok(j + 2)}"
        return self.tok(j + 1) == "," and pair in _COMPOUNDS and j + 3 < self.stop

    def numbered_end(self, j: int) -> bool:
        """The word before j is the number that closes a numbered unit's name (`… khu vực
        4`, `… đường bộ IV`) and j, a verb of work in lower case (lexicon `work_verbs`), begins
        the predicate (§4: a unit keeps its name as printed, which ends at its number)."""
        num = self.f.text[slice(*self.f.span(j - 1, j))]
        if not (num.isdigit() or re.fullmatch(r"[IVX]+", num)):
            return False
        return not self.f.is_cap(j) and "\n" not in self.f.gap(j) and self.work_verb_at(j)

    def level_closes(self, k: int, j: int) -> int | None:
        """`Trung tâm Truyền thông tỉnh mở chuyên trang …`: a bare level word in lower case
        inside a name not in the registry closes it, after its place name if one is printed
        (§4: a unit below a province keeps its name as printed, which ends in its level word
        or place; what follows in lower case is the predicate). `xã hội` is one word (lexicon
        `name_compounds`). Returns the end after the level word, else None."""
        lvl = self.admin(j) if j > k and not self.f.is_cap(j) else None
        if lvl is None or lvl[0] >= self.stop:
            return None
        end = lvl[0]
        if self.f.is_cap(end):  # `Trung tâm X huyện Y đăng tải …`: after its place
            end = self.cap_name(end)
            if end <= lvl[0] or end >= self.stop:
                return None
        after = self.toks[end]
        if not after[0].isalpha() or self.f.is_cap(end) or "\n" in self.f.gap(end):
            return None  # punctuation or a line break ends the name anyway
        if f"{self.toks[end - 1]} {after}" in _COMPOUNDS:
            return None
        return end

    def work_begins(self, k: int, j: int) -> bool:
        """`phối hợp với Trung tâm X xây dựng đề cương …`, `… Chi cục Y điều tra, xử lý …`: a
        verb of work that may also be a word of a name (lexicon `name_work_verbs`), printed in
        lower case at j, begins the work when its lower-case object follows, or a comma and
        another word in lower case; not when a level word closes the name ahead or follows the
        verb (`… đầu tư xây dựng tỉnh`), nor after the words it makes one noun with (`đầu tư
        xây dựng`). ANNOTATION §4: a unit keeps its name as printed, which ends where its work
        begins (§3 lead and coordinate name the body, not the work)."""
        for verb, compounds in _WORK_IN_NAME.items():
            if tuple(self.toks[j : j + len(verb)]) != verb or self.f.is_cap(j):
                continue
            if any(j - len(c) > k and tuple(self.toks[j - len(c) : j]) == c for c in compounds):
                return False
            e = j + len(verb)
            comma = self.tok(e) == ","
            e += comma
            if e >= self.stop or "\n" in self.f.gap(e) or not self.toks[e][0].isalpha():
                return False
            if self.f.is_cap(e) and not self.names_document(e):
                return False  # `… xây dựng Kế hoạch …`: a document is the verb's object
            if self.admin(e) is not None or self.stop_word(e):
                return False
            if not comma and self.stop_pair(e):
                return False  # `… xây dựng chủ trì`: the verb after the name is the predicate
            return not self.closes_ahead(k, j)
        return False

    def names_document(self, e: int) -> bool:
        """A document's type name (lexicon `doc_types`, `Kế hoạch`, `Đề án`) starts at e."""
        return any(tuple(self.toks[e : e + len(n)]) == n for n in _DOC_TYPE_NAMES)

    def by_levels(self, i: int, k: int, j: int) -> _Cand | None:
        """`Ban Chỉ huy Phòng thủ dân sự cấp tỉnh, cấp xã`: a body not in the registry named
        for a level (`cấp tỉnh`) is that level's body, its name with the level word
        (`… tỉnh`); the same body at the levels below (`cấp xã`, `cấp huyện`), an organ of
        their collective, takes the collective's code (§4). `j` is at `cấp`."""
        lvl = self.admin(j + 1) if j > k and not self.f.is_cap(j) else None
        if lvl is None or lvl[1] not in PROVINCE_LEVEL:
            return None
        name = _expanded(normal_case(f"{self.printed(i, j)} {lvl[1]}", self.d.proper_names))
        hits = [_Hit(i, lvl[0], name, known=False, kind="unknown")]
        end = lvl[0]
        while self.tok(end) in {",", "và"} and self.tok(end + 1) == "cấp":
            below = self.admin(end + 2)
            code = "@cap-xa" if below and below[1] not in PROVINCE_LEVEL | DISTRICT_LEVEL else None
            code = "@cap-huyen" if below and below[1] in DISTRICT_LEVEL else code
            if below is None or code is None:
                break
            hits.append(_Hit(end + 1, below[0], code, code=code, kind="group"))
            end = below[0]
        return end, hits

    def closes_ahead(self, k: int, j: int) -> bool:
        """`Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp tỉnh`: a
        name that goes on in lower case after its head (k) keeps a `các` or a `và` at j when
        lower-case words after it reach a bare level word that closes the name on that line
        (§4: a unit below a province keeps its name as printed)."""
        if self.f.is_cap(k):
            return False
        for m in range(j + 1, min(j + 12, self.stop)):
            t = self.toks[m]
            if "\n" in self.f.gap(m) or not t[0].isalpha() or self.f.is_cap(m):
                return False
            lvl = self.admin(m)
            if lvl is not None and f"{t} {self.tok(lvl[0])}" not in _COMPOUNDS:
                return True  # the level word that ends the name (before its verb or a comma)
            if t not in {"các", "và"} and (self.stop_word(m) or self.stop_pair(m)):
                return False
        return False

    def across_levels(self, i: int, j: int) -> int:
        """`Phòng A các huyện, thành phố`, `Trạm B các xã, phường`: a unit of
        one kind across the districts or communes is that unit's short name (§4, as `Sở C
        các tỉnh` is the department's), not also their committees; the
        mention ends after the level words. An organ of a collective (`Ban Chỉ đạo …`) is not
        one: it takes the collective's code. Returns where the mention ends."""
        if self.tok(j) != "các" or any(tuple(self.toks[i : i + len(h)]) == h for h in _ORGANS):
            return j
        al = self.admin_list(j + 1)
        if al is None or al[1] & PROVINCE_LEVEL or self.tok(al[0]) == ":":
            return j
        return self.skip_tw(al[0])

    def fields_after_comma(self, j: int) -> int | None:
        """`Trung tâm Xúc tiến A, B và C tỉnh`: a name that
        lists its fields as `A, B và C` (as many a ministry's name does) goes
        on over the comma at `j` (§4: a body not in the registry is named as
        printed). Returns where the list ends; None when no capitalised fields
        joined by `và` follow, or a field is a body of its own."""
        k, joined = j + 1, False
        while k < self.stop and "\n" not in self.f.gap(k):
            t = self.toks[k]
            field = k > j + 1 and self.toks[k - 1] not in {",", "và"}
            if t in {",", "và"} and not joined and field:
                if not self.f.is_cap(k + 1) or self.body_head(k + 1):
                    return None  # `…, Sở X`: a body of its own
                joined = t == "và"
            elif not t[0].isalnum():
                break
            elif self.f.is_cap(k):
                if not field and self.body_head(k):
                    return None
            elif joined or not field or self.stop_word(k) or self.stop_pair(k):
                break  # after `và`, the last field's capitals end the list
            k += 1
        return k if joined else None

    def in_upper_word(self, i: int) -> bool:
        """Token `i`, printed in capitals, follows a capitalised word on its line that
        joins no name (`các`, `và`, `của`…): in capitals no case tells a name's start."""
        if i == 0 or "\n" in self.f.gap(i) or not self.toks[i - 1][0].isalpha():
            return False
        s, e = self.f.span(i - 1, i + 1)
        return self.f.text[s:e].isupper() and self.toks[i - 1] not in _JOINS_NAME

    def missions(self, i: int) -> _Cand | None:
        """`(các) Đại sứ quán các nước: Trung Quốc, Ấn Độ` → one mission per country."""
        h = i + 1 if self.tok(i) == "các" else i
        for head_toks in _MISSIONS:
            k = h + len(head_toks)
            if tuple(self.toks[h:k]) == head_toks and self.toks[k : k + 2] == ["các", "nước"]:
                break
        else:
            return None
        head = normal_case(self.printed(h, k))
        k += 2
        if self.tok(k) == ":":
            k += 1
        hits: list[_Hit] = []
        end = k
        while k < self.stop:
            if self.starts_known(k) or self.body_head(k):
                break
            e = self.cap_name(k)
            if e == k:
                break
            # `Cộng hòa Liên bang Nga`: a lower-case word inside a country's name
            while self.tok(e).isalpha() and e + 1 < self.stop and self.f.is_cap(e + 1):
                e = self.cap_name(e + 1)
            hits.append(_Hit(k, e, f"{head} {self.printed(k, e)}", known=False, kind="unknown"))
            end = k = e
            if self.tok(k) in {",", "và"}:
                k += 1
                continue
            break
        return (end, hits) if hits else None

    def party_of_named_unit(self, j: int) -> bool:
        """A capitalised body head at j (`Đảng ủy`) whose name goes on with a unit's name
        (`Đảng ủy Ban X tỉnh`), not with a People's Committee (`Đảng ủy Ủy ban nhân dân Thành
        phố`, which the committee reading takes)."""
        if not self.f.is_cap(j):
            return False
        n = _head_len(self.toks, j)
        return n > 0 and self.d.head_trie.longest(self.toks, j + n, self.stop) is None

    def body_head(self, j: int) -> bool:
        return _head_len(self.toks, j) > 0

    def new_line_style(self, j: int) -> bool:
        """A heading in capitals does not run on into a mixed-case next line
        (`CHÁNH VĂN PHÒNG` / `Võ Tuấn Anh`)."""
        if "\n" not in self.f.gap(j):
            return False
        prev = self.f.text[slice(*self.f.span(j - 1, j))]
        cur = self.f.text[slice(*self.f.span(j, j + 1))]
        return prev.isupper() != cur.isupper()

    def joint_office(self, j: int) -> int | None:
        """`và` at j joins a People's Council to its Committee (`Văn phòng HĐND và UBND
        xã`): the end of the Committee's head, the name going on to its level word (§4:
        one body, named as printed, abbreviations expanded); else None."""
        council = self.d.head_trie.longest(self.toks, max(0, j - 4), j)
        council = council or self.d.head_trie.longest(self.toks, j - 1, j)
        committee = self.d.head_trie.longest(self.toks, j + 1, self.stop)
        if council is None or committee is None or council[0] != j:
            return None
        if council[1][0] != "hdnd" or committee[1][0] != "ubnd":
            return None
        return committee[0]

    def stop_word(self, j: int) -> bool:
        """A word that ends a name not in the registry, unless with the word
        before it it is one word of the name (`Hàng không`)."""
        if self.toks[j] not in _STOP_WORDS:
            return False
        return not (
            (j > 0 and f"{self.toks[j - 1]} {self.toks[j]}" in _COMPOUNDS)
            or f"{self.toks[j]} {self.tok(j + 1)}" in _COMPOUNDS  # `thị trường trong nước`
            or self.in_place(j)
        )

    def in_place(self, j: int) -> bool:
        """Word j is a word of a province's name of the registry printed around it
        (a province named `X Đồng` or `Đồng Y`: `đồng` alone is a sum's unit): a body named after its
        province keeps the province's name whole (ANNOTATION §4: a body is named as printed)."""
        for name in _place_words(self.d.proper_names):
            for k, word in enumerate(name):
                if (
                    word == self.toks[j]
                    and j >= k
                    and tuple(self.toks[j - k : j - k + len(name)]) == name
                ):
                    return True
        return False

    def stop_pair(self, j: int) -> bool:
        """A verb of assignment (unless printed as a name word, `Vụ Tổ chức`) or a title."""
        pair = " ".join(self.toks[j : j + 2])
        if pair in _STOP_TITLES:
            return True
        word = self.f.text[slice(*self.f.span(j, j + 1))]
        title_case = word[:1].isupper() and not word.isupper()
        # After a line break a verb in title case opens a sentence (`Trung tâm X` ↵ `Thực hiện
        # …`): a name wrapped over lines goes on in its own case.
        return pair in _STOP_VERBS and (not title_case or "\n" in self.f.gap(j))

    def starts_known(self, j: int) -> bool:
        """Does a registry name start at j? A party committee does not end a
        name: `Ban Tuyên giáo và Dân vận Thành ủy` is written as printed (§4)."""
        head = self.d.head_trie.longest(self.toks, j, self.stop)
        return bool(
            self.d.agency_trie.longest(self.toks, j, self.stop)
            or self.d.unit_trie.longest(self.toks, j, self.stop)
            or (head is not None and head[1][0] != "party")
        ) and self.f.is_cap(j)

    # -- the scan ------------------------------------------------------------

    def glued(self, i: int, j: int) -> bool:
        """Part of a document number such as `71/NQ-CP` or `627/BX-BH`."""
        s, e = self.f.span(i, j)
        t = self.f.text
        before = s >= 2 and t[s - 1] in "-/" and t[s - 2].isalnum()
        after = e + 1 < len(t) and t[e] in "-/" and t[e + 1].isalnum()
        return before or after

    def run(self, first: int) -> list[_Hit]:
        self.first = first  # the span's first token: the words before it are not read
        out: list[_Hit] = []
        at = self.at  # from one token where a rule can start to the next: words between are skipped
        k = bisect_left(at, first)
        while k < len(at) and at[k] < self.stop:
            i = at[k]
            best: _Cand | None = None
            for rule in self.rules_at.get(self.toks[i], _RULES):
                cand = rule(self, i)
                longer = cand is not None and (best is None or cand[0] > best[0])
                if cand is not None and longer and cand[0] > i and not self.glued(i, cand[0]):
                    best = cand
            if best is None:
                # Only where no registry reading starts: a body not in the registry.
                best = self.unknown(i)
            if best is None:
                k += 1
                continue
            out.extend(best[1])
            k = bisect_left(at, best[0])  # on from the reading's end
        return self.tidy(out)

    def same_level(self, prev: _Hit | None, h: _Hit) -> _Hit | None:
        """`<Hội X> các xã, phường phối hợp với chính quyền cùng cấp`: the government of the
        same level (`=same-level`) is the level of the body named just before it in its
        sentence: a level's code, or the People's Committee of the level word a unit's name
        ends in (§4: `@cap-xa`, `@cap-huyen`; the issuing province's own committee). None when
        nothing before it in the sentence gives a level."""
        if prev is None or any(t in {".", ";", ":"} for t in self.toks[prev.j : h.i]):
            return None
        if prev.code in {"@cap-xa", "@cap-huyen", "@dia-phuong"}:
            return _Hit(h.i, h.j, prev.code, code=prev.code, kind="group")
        last = self.toks[prev.j - 1] if prev.j > prev.i else ""
        two = " ".join(self.toks[max(prev.i, prev.j - 2) : prev.j])
        code = next(
            (
                c
                for words, c in ((COMMUNE_LEVEL, "@cap-xa"), (DISTRICT_LEVEL, "@cap-huyen"))
                if last in words or two in words
            ),
            None,
        )
        if code is not None:
            return _Hit(h.i, h.j, code, code=code, kind="group")
        own = self.own_province() if last in PROVINCE_LEVEL or two in PROVINCE_LEVEL else None
        if own is not None:
            return _Hit(h.i, h.j, own.committee, ref=own.id, kind="committee")
        return None

    def tidy(self, hits: list[_Hit]) -> list[_Hit]:
        out: list[_Hit] = []
        for h in hits:
            prev = out[-1] if out else None
            if h.code == "=same-level":
                resolved = self.same_level(prev, h)
                if resolved is None:
                    continue
                h = resolved
            between = self.toks[prev.j : h.i] if prev else []
            joined = prev is not None and all(t in _SEPARATORS for t in between)
            # `bộ, ngành, địa phương`: after ministries, `địa phương` is the
            # provinces even in a provincial document (§4).
            if (
                joined
                and prev is not None
                and prev.code == "@bo-nganh"
                and h.code in {"@cap-xa", "@cap-huyen"}
                and self.toks[h.j - 2 : h.j] == ["địa", "phương"]
            ):
                h = _Hit(h.i, h.j, "@dia-phuong", code="@dia-phuong", kind="group")
            # `Các Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Thủ trưởng …` (the kinds of body
            # of `@bo-nganh`) is one collective: merge touching mentions of one code.
            if joined and prev is not None and h.code is not None and prev.code == h.code:
                out[-1] = _Hit(prev.i, h.j, h.name, code=h.code, kind="group")
                continue
            out.append(h)
        return out


_Rule = Callable[[_Scan, int], "_Cand | None"]
# Every rule, in the order `run` tries them: of two readings as long, the first wins.
_RULES: tuple[_Rule, ...] = (
    _Scan.missions,
    _Scan.sector_office,
    _Scan.local_force,
    _Scan.ministry_list,
    _Scan.unit_list,
    _Scan.committee,
    _Scan.provinces,
    _Scan.unit,
    _Scan.agency,
    _Scan.belongs,
    _Scan.group,
)


def _rules_by_word(d: RegistryData, words: frozenset[str]) -> dict[str, tuple[_Rule, ...]]:
    """For each of `words` (where a scan starts rules), the rules that can start on
    it, in `_RULES`' order.

    Each rule's first test needs its first word in a set (a trie's first words,
    `các`, `bộ`): a rule that cannot start on a word returns None there, so `run`
    need not call it at all (most of a scan's time went to such calls).
    """
    # (A mission head of no words would let `missions` start on any word.)
    missions = {"các"} | {m[0] for m in _MISSIONS} if all(_MISSIONS) else None
    first_words: dict[_Rule, set[str] | None] = {
        _Scan.missions: missions,
        _Scan.sector_office: {"cơ"},
        _Scan.local_force: {w[0] for w in _FORCE_WORDS},
        _Scan.ministry_list: {"bộ", "các"},
        _Scan.unit_list: {"các"},
        _Scan.committee: set(d.head_trie.root),
        # `các tỉnh …`, or a province (`tỉnh X`, bare `X`) as `province_item` reads one.
        _Scan.provinces: {"các"} | set(d.admin_trie.root) | set(d.province_trie.root),
        _Scan.unit: set(d.unit_trie.root),
        _Scan.agency: set(d.agency_trie.root),
        _Scan.belongs: {"các"},
        _Scan.group: set(d.group_trie.root),
    }

    def may_start(rule: _Rule, word: str) -> bool:
        first = first_words[rule]
        return first is None or word in first

    return {word: tuple(r for r in _RULES if may_start(r, word)) for word in words}


def _data_dir() -> Path:
    here = Path(__file__).resolve().parent
    repo = here.parent / "data" / "registry"
    return repo if (repo / "agencies.csv").exists() else here / "registry_data"


class AgencyRegistry:
    """The registry tables plus the grammar that finds mentions in letters."""

    def __init__(self, data: RegistryData) -> None:
        self.data = data
        # First words on which some rule can start: most words of a letter are
        # skipped with one set look-up.
        tries = (data.agency_trie, data.unit_trie, data.group_trie, data.head_trie)
        self.starters = frozenset(
            {t for trie in tries for t in trie.root}
            | {h[0] for h in _BODY_HEADS}
            | {m[0] for m in _MISSIONS}
            | {"các", "bộ"}
            | set(data.admin_trie.root)  # a province list opening a clause
        )
        self.rules_at = _rules_by_word(data, self.starters)
        self._starts_read = PerText()
        # The provinces of each name, in the registry's order (`tỉnh X` of 2024 and of
        # 2026): `_in_force_province` picks among them without reading every province.
        self._provinces_named: dict[str, list[ProvinceRow]] = {}
        for row in data.provinces.values():
            self._provinces_named.setdefault(row.name, []).append(row)

    def rule_starts(self, text: str, f: Folded) -> list[int]:
        """The tokens of `text` (folded as `f`) on which some rule can start, in order:
        found once per letter (`compress` tests every word at C speed), so that each
        scan goes from one to the next by bisection."""
        read = self._starts_read.of(text)
        if "starts" not in read:
            read["starts"] = list(compress(count(), map(self.starters.__contains__, f.toks)))
        starts: list[int] = read["starts"]
        return starts

    @classmethod
    def from_dir(cls, data_dir: Path) -> AgencyRegistry:
        return cls(load(data_dir))

    @classmethod
    def default(cls) -> AgencyRegistry:
        return _default()

    # -- find --------------------------------------------------------------------

    def _hits(
        self, text: str, start: int, end: int | None, context: AgencyContext | None
    ) -> tuple[Folded, list[_Hit]]:
        f, starts, ends = _folded(text)
        end = len(text) if end is None else end
        first = bisect_left(starts, start)
        stop = max(first, bisect_right(ends, end))
        at = self.rule_starts(text, f)
        scan = _Scan(self.data, f, context or AgencyContext(), stop, at, self.rules_at)
        return f, scan.run(first)

    def find(
        self,
        text: str,
        start: int = 0,
        end: int | None = None,
        *,
        context: AgencyContext | None = None,
    ) -> list[Agency]:
        """Every agency or group mention in `text[start:end]`, in order."""
        f, hits = self._hits(text, start, end, context)
        out: list[Agency] = []
        regional_end = -1
        for h in hits:
            s, e = f.span(h.i, h.j)
            if s < regional_end:
                continue  # inside the regional office read just before (`… Chi nhánh Khu vực 10`)
            a = self._agency(h, text[s:e], (s, e))
            a = self.identify(a, context) if context is not None else a
            a = _regional(text, a, len(text) if end is None else end)
            if a.span is not None and a.span[1] > e:
                regional_end = a.span[1]
            out.append(a)
        return out

    def _agency(self, h: _Hit, raw: str, span: Span | None) -> Agency:
        """The record of one mention, with the identity its printed name gives."""
        ident, juris = self._identity(h)
        return Agency(
            name=h.name,
            code=h.code,
            raw=raw,
            span=span,
            known=h.known,
            id=ident,
            jurisdiction=juris,
        )

    def _identity(self, h: _Hit) -> tuple[str | None, str | None]:
        """(id, jurisdiction) of a mention: a group is its code; a province's committee
        `ubnd`/`hdnd` of that province; a unit type with the province printed beside it;
        a ministry's unit (`ministry_unit`) belongs to its parent ministry."""
        d = self.data
        if h.code is not None:
            return h.code, None
        if h.kind == "committee" and h.ref in d.provinces:
            head = next(k for k, v in COMMITTEE_NAME.items() if h.name.startswith(v))
            return head, h.ref
        if h.kind == "unit" and h.ref in d.units:
            return h.ref, h.juris
        if h.kind == "agency" and h.ref in d.agencies:
            row = d.agencies[h.ref]
            owned = row.level == "ministry_unit" and row.parent in d.agencies
            return row.id, row.parent if owned else None
        return None, None

    def identify(self, a: Agency, context: AgencyContext | None) -> Agency:
        """`a` with its id and jurisdiction settled by the letter (idempotent).

        A group's id is its code; a department or unit named without its
        province or ministry (`Sở X`, `Ban X tỉnh`, `Vụ Y`) belongs to
        the letter's (`context.province_id` / `ministry_id`), a group of the
        province's bodies (`@so-nganh`, `@cap-xa`) to the letter's province; a
        province that a same-named one replaced is the one in force on the letter's date.
        """
        ident = a.id or a.code
        juris = a.jurisdiction
        if context is not None:
            juris = self._in_force_province(juris, context.date) if juris else None
            juris = juris or self._home(a, ident, context)
        if (ident, juris) == (a.id, a.jurisdiction):
            return a
        return a.model_copy(update={"id": ident, "jurisdiction": juris})

    def _home(self, a: Agency, ident: str | None, ctx: AgencyContext) -> str | None:
        """The jurisdiction a body named without one takes from its letter."""
        d = self.data
        if ident in d.units:
            u = d.units[ident]
            if u.scope == "ministry":
                return ctx.ministry_id
            home = d.provinces.get(ctx.province_id or "")
            if home is None:
                return None
            # `Ban X thành phố` in a letter of a tỉnh is a city's unit, not the province's.
            mine = not u.admin or a.name == f"{u.base} {home.kind}"
            return home.id if mine else None
        group = d.group_codes.get(ident or "")
        if group is not None and group.scope == "province":
            return ctx.province_id
        if group is not None and group.scope == "issuer":
            return ctx.ministry_id or ctx.province_id
        return None

    def _in_force_province(self, juris: str, date: str | None) -> str:
        """The province of that name in force on `date` (`tỉnh X` of 2024 or of 2026)."""
        p = self.data.provinces.get(juris)
        if p is None or date is None:
            return juris
        row = pick(self._provinces_named[p.name], date)
        return row.id if row is not None else juris

    # -- one printed name ------------------------------------------------------

    def _resolve(self, raw: str, context: AgencyContext | None) -> _Hit | None:
        """The body a printed name (or an issuer block) stands for.

        The issuer block's lowest line is the issuer (§2): take the registry
        mention that ends last; when a line below it names something the
        registry does not know (`VỤ X` of a ministry), that line is the body and
        the caller normal-cases it. A name broken over lines still matches,
        since the scan runs over the whole block."""
        f, hits = self._hits(raw, 0, None, context)
        known = [h for h in hits if h.kind != "unknown"]
        if known:
            last = max(known, key=lambda h: (h.j, h.j - h.i))
            tail = raw[f.span(last.i, last.j)[1] :]
            if not any(c.isalpha() for c in tail) or "\n" not in tail.strip(" \t"):
                return last
            return None
        bare = self._bare_province(f, context)
        if bare is not None:
            return bare
        if len(hits) == 1 and not any(c.isalpha() for c in raw[f.span(hits[0].i, hits[0].j)[1] :]):
            return hits[0]
        return None

    def _bare_province(self, f: Folded, context: AgencyContext | None) -> _Hit | None:
        """`tỉnh X`, `TP. X`: a province named as an agency is its
        People's Committee (only here, where the caller says this is an agency;
        `find` needs the committee's name in the text)."""
        scan = _Scan(self.data, f, context or AgencyContext(), len(f.toks))
        k = 0
        a = scan.admin(0)
        if a is not None and a[1] in PROVINCE_LEVEL:
            k = a[0]
        p = scan.province(k) if k < len(f.toks) else None
        if p is None or p[0] != len(f.toks):
            return None
        return _Hit(0, p[0], p[1].committee, ref=p[1].id, kind="committee")

    def canonical(self, raw: str, *, context: AgencyContext | None = None) -> Agency | None:
        """Resolve one printed name (e.g. an issuer line) to its canonical form."""
        h = self._resolve(raw, context)
        if h is not None:
            a = self._agency(h, raw, None)
            return self.identify(a, context) if context is not None else a
        lines = [ln.strip().strip("-–•*+;:,.").strip() for ln in raw.splitlines()]
        lines = [ln for ln in lines if any(c.isalpha() for c in ln)]
        if not lines:
            return None
        # Without any registry name the whole block is one name; else its last line.
        _, hits = self._hits(raw, 0, None, context)
        cleaned = lines[-1] if any(h.kind != "unknown" for h in hits) else " ".join(lines)
        name = normal_case(cleaned, self.data.proper_names)
        return Agency(name=name, code=None, raw=raw, span=None, known=False)

    def lookup(self, raw: str, *, context: AgencyContext | None = None) -> AgencyInfo:
        """Registry details of one printed name or group code, for `vanban agencies lookup`."""
        group = self.data.group_codes.get(raw.strip())
        if group is not None:  # `@cap-xa` as the records write it
            return self._group_info(raw, group.code)
        h = self._resolve(raw, context)
        if h is None:
            a = self.canonical(raw, context=context)
            return AgencyInfo(raw, a.name if a else None, None, None, "unknown" if a else "none")
        if h.code is not None:
            return self._group_info(raw, h.code)
        ident, juris = self._identity(h)
        d = self.data
        if h.kind == "agency" and h.ref in d.agencies:
            r = d.agencies[h.ref]
            parent = d.agencies[r.parent].name if r.parent in d.agencies else None
            succ = tuple(d.agencies[s].name if s in d.agencies else s for s in r.successors)
            return AgencyInfo(
                raw,
                r.name,
                None,
                r.id,
                "agency",
                r.level,
                parent,
                r.valid_from or None,
                r.valid_to or None,
                succ,
                r.note,
                r.source,
                True,
                jurisdiction=juris,
            )
        if h.kind == "committee" and h.ref in d.provinces:
            p = d.provinces[h.ref]
            succ = (d.provinces[p.successor].committee,) if p.successor in d.provinces else ()
            return AgencyInfo(
                raw,
                h.name,
                None,
                ident,
                "committee",
                "province",
                None,
                p.valid_from or None,
                p.valid_to or None,
                succ,
                p.note,
                p.source,
                True,
                jurisdiction=juris,
            )
        if h.kind == "unit" and h.ref in d.units:
            u = d.units[h.ref]
            succ = (d.units[u.successor].name,) if u.successor in d.units else ()
            return AgencyInfo(
                raw,
                h.name,
                None,
                u.id,
                "unit",
                u.scope + "_unit",
                None,
                u.valid_from or None,
                u.valid_to or None,
                succ,
                u.note,
                u.source,
                True,
                jurisdiction=juris,
            )
        return AgencyInfo(raw, h.name, None, None, h.kind, known=h.known)

    def _group_info(self, raw: str, code: str) -> AgencyInfo:
        """A group code: what it covers and its scope (group_codes.csv)."""
        group = self.data.group_codes.get(code)
        notes = [g.note for g in self.data.groups if code in g.codes and g.note]
        return AgencyInfo(
            raw,
            code,
            code,
            code,
            "group",
            level=group.scope if group else None,
            note=group.note if group else "; ".join(notes),
            source=group.source if group else "",
            known=True,
            covers=group.name if group else None,
        )

    def context_for(
        self,
        issuer: Agency | str | None,
        *,
        date: str | None = None,
        parent: Agency | str | None = None,
    ) -> AgencyContext:
        """The context rules' view of a document from its issuer (and the issuer
        block's line above it): `Ủy ban nhân dân tỉnh X` → a provincial
        document of X; `Sở A` under `UBND TỈNH Z` → a
        department of Z; a ministry → central. Also the ids of the province and
        ministry the letter belongs to (`province_id`, `ministry_id`)."""
        name = issuer.name if isinstance(issuer, Agency) else issuer
        if not name:
            return AgencyContext(date=date)
        level = "central"
        province: str | None = None
        info = self.lookup(name)
        if info.kind == "committee" and info.jurisdiction in self.data.provinces:
            level, province = "province", self.data.provinces[info.jurisdiction].name
        elif info.kind == "unit" and info.level == "province_unit":
            level = "province_unit"
        else:
            words = fold_key(name).split()
            if words[:4] == fold_key("Ủy ban nhân dân").split() and len(words) > 4:
                lower = {"xã", "phường", "thị", "đặc"}
                level = "commune" if words[4] in lower else "district"
        up = self.context_for(parent, date=date) if parent is not None else None
        if province is None and up is not None:
            province = up.province
            if up.level == "province" and level == "central" and info.kind == "unknown":
                level = "province_unit"  # an unlisted unit of a provincial committee
        province_id = self._province_id(province, date) if province else None
        if province_id is None and info.jurisdiction in self.data.provinces:
            province_id = self._in_force_province(info.jurisdiction, date)  # `Ban A tỉnh X`
        ministry_id = self._ministry_id(info) or (up.ministry_id if up else None)
        return AgencyContext(name, level, province, date, province_id, ministry_id)

    def provinces_named(self, text: str, date: str | None) -> Counter[str]:
        """How often `text` names each province after a level word (`trên địa bàn
        Thành phố X`, `tỉnh Y`), by registry id as of `date`."""
        f = fold_text(text)
        found: Counter[str] = Counter()
        for k in range(1, len(f.toks)):
            if f.toks[k - 1] not in {"tỉnh", "phố"}:  # `tỉnh X`, `thành phố X`
                continue
            m = self.data.province_trie.longest(f.toks, k, len(f.toks))
            if m is not None:
                rows = [self.data.provinces[i] for i in m[1]]
                found[(pick(rows, date) or rows[-1]).id] += 1
        return found

    def _province_id(self, name: str, date: str | None) -> str | None:
        toks = fold_text(name).toks
        m = self.data.province_trie.longest(toks, 0, len(toks))
        if m is None:
            return None
        rows = [self.data.provinces[i] for i in m[1]]
        return (pick(rows, date) or rows[-1]).id

    def _ministry_id(self, info: AgencyInfo) -> str | None:
        """The ministry a body is or belongs to (`Bộ Y`, `Tổng cục … thuộc Bộ Y`)."""
        if info.kind != "agency" or info.id not in self.data.agencies:
            return None
        if info.level == "ministry":
            return info.id
        return info.jurisdiction

    # -- registry queries ------------------------------------------------------

    def active(self, level: str, date: str | None = None) -> list[str]:
        """Canonical names of the bodies of one level in force at `date`.

        Levels are those of agencies.csv, plus "province" (provinces.csv).
        """
        rows: list[AgencyRow] | list[ProvinceRow]
        if level == "province":
            rows = [p for p in self.data.provinces.values() if _in_force(p, date)]
        else:
            rows = [
                a for a in self.data.agencies.values() if a.level == level and _in_force(a, date)
            ]
        return [r.name for r in rows]

    def group_name(self, code: str) -> str | None:
        """What a group code stands for, as a reader is shown it
        (`@cap-xa` → `Ủy ban nhân dân cấp xã`; group_codes.csv), or None for another code."""
        group = self.data.group_codes.get(code)
        return group.name if group is not None else None

    def members(
        self, code: str, date: str | None = None, jurisdiction: str | None = None
    ) -> list[Agency] | None:
        """The bodies a group code stands for on `date` (group_codes.csv `members`),
        or None when the registry does not list them (`@cap-xa`, `@lien-quan`).

        `@dia-phuong` on a 2026 letter gives the 34 provinces' People's
        Committees, on a 2024 letter the 63 of before the 2025 merger; a group of
        a province's bodies (`@so-nganh`) gives its departments in `jurisdiction`.
        """
        group = self.data.group_codes.get(code)
        if group is None or not group.members:
            return None
        d = self.data
        out: list[Agency] = []
        for m in group.members:
            if m == "provinces":
                rows = [p for p in d.provinces.values() if _in_force(p, date)]
                out += [_member(p.committee, code, "ubnd", p.id) for p in rows]
            elif m.startswith("level:"):
                level = m.removeprefix("level:")
                agencies = [a for a in d.agencies.values() if a.level == level]
                out += [_member(a.name, code, a.id, None) for a in agencies if _in_force(a, date)]
            elif m in d.units and _in_force(d.units[m], date):
                out.append(_member(d.units[m].name, code, m, jurisdiction))
        return out

    def jurisdiction_name(self, ident: str | None) -> str | None:
        """The name of a jurisdiction id: a province's id → `X`, a ministry's id → `Bộ Y`."""
        d = self.data
        if ident in d.provinces:
            return d.provinces[ident].name
        return d.agencies[ident].name if ident in d.agencies else None


# `Cục X khu vực XIII`, `Chi cục Y khu vực II`: a regional office of a body.
# `<bank> chi nhánh khu vực 10`: a bank's regional branches (the State Bank's, from 2025).
_REGION = re.compile(
    r"[ \t]+(?P<branch>chi nhánh[ \t]+)?khu vực[ \t]+(?P<n>[IVXLC]{1,5}|\d{1,2})\b", re.I
)


def _regional(text: str, a: Agency, end: int) -> Agency:
    """A named body followed by `khu vực` and a numeral is that regional office, named as
    printed (§4), a body of its own and not its parent's identity."""
    if a.code is not None or a.span is None:
        return a
    m = _REGION.match(text, a.span[1], end)
    if m is None:
        return a
    # A branch is named by its parent as printed (the parent's name without the country the
    # registry's full name ends in), when printed in full: the branch's own name, §4.
    printed = fold_key(a.name).startswith(fold_key(a.raw))
    base = f"{a.raw if printed else a.name} chi nhánh" if m.group("branch") else a.name
    return a.model_copy(
        update={
            "name": f"{base} khu vực {m.group('n').upper()}",
            "raw": text[a.span[0] : m.end()],
            "span": (a.span[0], m.end()),
            "id": None,
            "known": False,
        }
    )


def _member(name: str, code: str, ident: str, jurisdiction: str | None) -> Agency:
    return Agency(name=name, raw=code, id=ident, jurisdiction=jurisdiction)


def _in_force(row: AgencyRow | ProvinceRow | UnitRow, date: str | None) -> bool:
    if date is None:
        return not row.valid_to
    return (not row.valid_from or row.valid_from <= date) and (
        not row.valid_to or date <= row.valid_to
    )


# A letter's few texts (its whole and its parts, ~4): 8 kept, not 16 (each holds a folded
# letter and two lists of offsets).
@lru_cache(maxsize=8)
def _folded(text: str) -> tuple[Folded, list[int], list[int]]:
    """The folded text and its tokens' original bounds, once per letter: the
    extractors call `find` hundreds of times over the same text."""
    f = fold_text(text)
    return f, f.text_starts, f.text_ends


@cache
def _default() -> AgencyRegistry:
    return AgencyRegistry.from_dir(_data_dir())
