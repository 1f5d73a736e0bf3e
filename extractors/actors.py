"""Who does the work: lead (chủ trì), coordinate (phối hợp), report_to.

ANNOTATION.md §3: the lead is the subject of each main clause, or the object
of `đề nghị / giao / yêu cầu`, or the recipients when the letter addresses
its reader (`Quý Cơ quan`); coordinate are the objects of `phối hợp (với)`;
agencies that only receive a report are neither. Labelled lines (`Cơ quan
chủ trì: …`) override the running text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from vanban.extractors import lexicon
from vanban.extractors.agencies import AgencyRegistry
from vanban.extractors.deadlines import find_times, task_deadline
from vanban.extractors.structure import Item
from vanban.extractors.tables import cell_role
from vanban.extractors.text_utils import (
    PerText,
    after_blanks,
    fold,
    in_capitals,
    may_hold,
    strip_span,
)
from vanban.schemas import Agency, Deadline

FindAgencies = Callable[[str, int, int], list[Agency]]
Span = tuple[int, int]

# What may stand between two agencies of one list: punctuation, conjunctions,
# a person's office (`Thủ trưởng`, `Chủ tịch`), `các`, `đồng chí`.
# Between two bodies of one list: joiners, and the officials who head them
# (`data/lexicon/official_titles.tsv`; `Thủ trưởng các Sở, Chủ tịch UBND các huyện`).
# The officials who head bodies (`official_titles.tsv`), not the staff named in a contact
# line (`chuyên viên Văn phòng …`): `Giám đốc Sở X` stands for Sở X (§3 lead).
_HEAD_TITLES = "|".join(
    re.escape(r["title"]).replace(r"\ ", r"\s+")
    for r in sorted(lexicon.rows("official_titles"), key=lambda r: -len(r["title"]))
    if any(r.get(c) == "y" for c in ("position", "signs", "leader", "body_stop"))
    or r.get("contact") != "y"
)
# The kind words of a distributive list (`… và các Tập đoàn: A, B`, `các Tổng công ty: …`): the
# list names each body (§4 `Các Bộ: A, B, …`), so its head, of any length
# (`data/lexicon/body_heads.tsv`), stands between the bodies of one list.
_LIST_KINDS = lexicon.alternation("body_heads")
_PUBLIC_WORDS = "|".join(re.escape(w) for w in lexicon.selected("public_actors", "in_list"))
_GAP = re.compile(
    # A footnote mark in superscript digits (`Cục X², Cục Y³`) is no word.
    r"^(?:[\s,;:()\-–/+•\u00b9\u00b2\u00b3\u2070-\u2079]|và|cùng|hoặc|với|các|các đồng chí|đồng chí|đ/c|\w+\s*:|"
    rf"(?:{_LIST_KINDS})\s*:|" + _HEAD_TITLES + r"|lãnh đạo|người đứng đầu|"
    # `các bộ, ngành, nhất là Tổng công ty X`: the body singled out is one of the list; `và hệ thống các cơ
    # quan báo chí`: the system of a kind of body is those bodies.
    r"nhất là|đặc biệt là|hệ thống|"
    # An organ of a collective takes the collective's code (§4): `Đảng ủy các bộ`, `Tỉnh ủy,
    # Thành ủy các tỉnh, thành phố`; so does its inspectorate, capitalised as a body's name
    # (`Thanh tra các Bộ, ngành`), not the verb.
    # (lexicon `collective_organs`, column `gap`)
    + lexicon.literal("collective_organs", "gap")
    + r"|(?-i:Thanh tra)|"
    # The public beside bodies (`các doanh nghiệp và các cơ quan có liên quan`): not an agency
    # (§4), and no end of the list (lexicon `public_actors`, column `in_list`).
    + _PUBLIC_WORDS
    + r")*$",
    re.I,
)
# `Đảng đoàn HĐND tỉnh lãnh đạo HĐND tỉnh xem xét …`: `lãnh đạo` with no separator before it is
# the verb, whose object is neither lead nor coordinate (§3 coordinate: in `chỉ đạo X phối hợp
# với Y`, X is neither); `…, lãnh đạo Sở Y` (the leaders of a body) stays a gap of a list.
_LEADS_OBJECT = re.compile(r"\s+lãnh đạo\s+", re.I)


def _joins_list(gap: str) -> bool:
    """`gap` stands between two bodies of one list (`_GAP`), not a verb between them."""
    return bool(_GAP.match(gap)) and not _LEADS_OBJECT.fullmatch(gap)


# The objects of `phối hợp (với)`, `phối hợp, hỗ trợ`, `chủ trì cùng`, `kết hợp với` are
# coordinate (§3 coordinate; §6 Coordinate wording): `data/lexicon/coordinate_words.tsv`.
# How it is done may stand between `phối hợp` and `với` (`phối hợp chặt chẽ, hiệu quả với`,
# `phối hợp cụ thể với`): `data/lexicon/coordinate_manners.tsv`; so may a bracket (`phối hợp
# (khi có yêu cầu) với`).
_COORD_MANNER = (
    r"phối hợp(?:(?:\s*,?\s*(?:và\s+)?(?:"
    + lexicon.phrase_alternation("coordinate_manners")
    + r")){1,3}|\s*\([^()\n]{1,40}\))\s*,?\s+với"
)
_COORD_WORDS = lexicon.phrase_alternation("coordinate_words") + "|" + _COORD_MANNER
# `phối hợp chặt chẽ lực lượng X …`: a force named before the body is still that body.
# `phối hợp với các Bộ: A, B`, `… các Bộ, cơ quan: A, <a ministry-level body>`:
# the head of a distributive list (§4) before it. `phối hợp với: A; B` lists its objects after
# a colon (a bare `phối hợp:` is a label, read by `labelled_lines`).
_BULLET = r"(?:[-+•]\s*)?"  # the objects may start on a bullet of their own, after a colon
_COORD = re.compile(
    rf"\b(?:{_COORD_WORDS})(?:(?<=với)\s*:\s*{_BULLET})?\s*"
    rf"(?:(?:các\s+)?lực lượng\s+|các\s+\w+(?:,?\s+\w+){{0,2}}\s*:\s*{_BULLET}"
    rf"|(?:đồng chí\s+)?(?:{_HEAD_TITLES})\s+)?$",
    re.I,
)
# `phối hợp với Ban Chỉ đạo các tỉnh, thành phố …`: an organ of a collective before the
# collective, which gives its code (§4).
_ORGANS = lexicon.literal("collective_organs", "sentence")
_COORD_ORGAN = re.compile(rf"\b(?:{_COORD_WORDS})\s+(?:{_ORGANS})(?:\s+\d+)?\s+$", re.I)
# `phối hợp với UBND các tỉnh X, Y`: a distributive list's head after them (§4).
# Or a head with its colon and no `các` (`phối hợp với Ủy ban nhân dân tỉnh, thành phố: X, Y`).
_COORD_LIST = re.compile(
    rf"\b(?:{_COORD_WORDS})\s+(?:[^,;.:]{{0,40}}?\bcác\s+\w+(?:\s+\w+)?\s*:?|[^;.:\n]{{0,60}}:)\s*$",
    re.I,
)
_COORD_ANY = re.compile(rf"\b(?:{_COORD_WORDS})\b", re.I)
# The first words of `_COORD_WORDS` (`_COORD_MANNER` opens on `phối`): `_COORD`, `_COORD_ORGAN`
# and `_COORD_LIST` match only where one is printed (`may_hold`).
_COORD_FIRST = (*lexicon.first_words("coordinate_words"), "phối")
# `phối hợp với các doanh nghiệp địa phương, các lực lượng vũ trang …`, `phối hợp với người dân
# và chính quyền địa phương`: the public named first among the objects is no agency (§4), and the
# bodies listed after it are still the objects of `phối hợp` (§3 coordinate). The public's
# words may carry a few words of their own (`trên địa bàn`), no verb among them.
_PAST_PUBLIC = re.compile(
    rf"\b(?:{_COORD_WORDS})\s+(?P<public>(?:(?:các|mọi)\s+)?(?:{_PUBLIC_WORDS})"
    r"(?:[ \t]+[a-zà-ỹđ]+){0,4}[ \t]*(?:,|\bvà\b)\s*)+$",
    re.I,
)


def _coordinates_past_public(text: str, start: int, at: int) -> bool:
    """The mention at `at` follows the public as an object of `phối hợp` (`_PAST_PUBLIC`)."""
    if not may_hold(text[start:at].lower(), *_COORD_FIRST):
        return False  # it opens on `_COORD_WORDS`, as `_COORD` does (issue 16)
    m = _PAST_PUBLIC.search(text, start, at)
    return m is not None and not _ANY_WORK.search(m.group("public"))


# A body given the coordinating part itself: `phối hợp` after it, with no object of its own,
# also as its role in brackets (`Sở A (chủ trì), Sở B, Sở C (phối hợp)`).
_COORDINATES_THEN = re.compile(
    r"\s*(?:\(\s*|là\s+(?:cơ quan|đơn vị)\s+|có\s+trách nhiệm\s+)?(?:cùng\s+)?phối hợp\b(?!\s*(?:chặt chẽ\s*)?(?:với|cùng|,|các\b|(?-i:[A-ZĐÀ-Ỹ])))",
    re.I,
)
_REPORT = re.compile(rf"\b(?:{lexicon.literal('report_to_words')})\s*$", re.I)
_REPORT_WORDS = lexicon.words("report_to_words")  # one opens every match (`may_hold`)
# The reader addressed (`Quý Cơ quan`, `đề nghị các đơn vị`): the letter's recipients (§3 lead).
_READER = re.compile(
    # `Quý` before any body's head (`Quý Tập đoàn`, `Quý Bệnh viện`, `Quý Cơ quan`): the reader.
    rf"(?:quý\s+(?:đơn vị|{_LIST_KINDS})|(?:các\s+)?cơ quan,\s*(?:tổ chức,\s*)?đơn vị|các đơn vị|đơn vị"
    # `Yêu cầu các đồng chí:` in a telegram: its addressees, unless a title or a body follows
    # (`các đồng chí Chủ tịch …` names whom it means, in capitals).
    r"|các đồng chí(?!\s+(?-i:[A-ZĐÀ-Ỹ]))"
    # `hai Bộ`, `ba đơn vị`: the letter's named recipients counted (`ordinal_words.tsv`,
    # `body_kinds.tsv`).
    r"|(?:" + "|".join(w for w in lexicon.words("ordinal_words") if w != "nhất") + r")"
    r"\s+(?:" + lexicon.literal("body_kinds", "counted") + r"))\b",
    re.I,
)
# A colon after a group's words with the list on the same line (`Các đơn vị (liên quan): Sở A, …`).
_LIST_COLON = re.compile(r"(?:[ \t]+(?:có[ \t]+)?liên quan)?[ \t]*:[ \t]*", re.I)


def asking(column: str, giao: str) -> str:
    """The verbs that ask a body for work (lexicon `asking_verbs`, rows marked in `column`)
    as an alternation in file order, `giao` written as `giao` (the pattern of the verb: not
    `giao thông`, `được giao`, and what may follow it)."""
    return "|".join(
        giao if v == "giao" else re.escape(v) for v in lexicon.selected("asking_verbs", column)
    )


# `Về dự án …: Bộ X khẩn trương …`: the topic before the colon is the item's heading;
# its subject follows (§3 lead).
_OPENERS = re.compile(
    r"^\s*(?P<topic>về\s(?:[^:;.]|\.(?=\S)){0,400}:\s*)?"
    rf"(?:{asking('opener', 'giao(?: cho)?(?= )')}|đối với|riêng|theo đó,?|căn cứ[^,]*,|trên cơ sở[^,]*,|"
    # `1. Trách nhiệm của Sở X` over its points, `Điều 2. Nhiệm vụ, quyền hạn của Tổ
    # công tác`: a heading naming the actor (rule 2).
    r"(?:nhiệm vụ|trách nhiệm)(?:,?\s+(?:và\s+)?quyền hạn)? của|đồng thời,?|các đồng chí|đồng chí)?\s*",
    re.I,
)
# `Bộ X - Cơ quan thường trực Ban Chỉ đạo …`, `Phó Trưởng ban Thường trực Ban Chỉ đạo …`: a
# role, not an actor. Asked right after `đề nghị`, `Thường trực X` is X's standing committee
# (`Đề nghị Thường trực Hội đồng nhân dân tỉnh giám sát …`): X acts (§4: an office is replaced
# by the body; §3 rule 8: `Đề nghị …` to any body is a task).
_APPOSITION = re.compile(r"(?:cơ quan|là)\s+thường trực\s*$|(?<!đề nghị )thường trực\s*$", re.I)
# The verb `giao` (assign), not `Ngoại giao`, `được giao`, `giao thông`, nor `kinh phí đã giao cho X` (done).
# `giao ban` (a briefing) is no assignment, but `giao Ban Quản lý …` gives the work to a body
# named `Ban …`: only the lower-case word is the meeting (§3 lead: the body `giao` names acts).
GIAO = r"(?<!ngoại )(?<!Ngoại )(?<!được )(?<!bàn )(?<!chuyển )(?<!đã )(?<!Đã )giao(?! thông| dịch| lưu| nhận| (?-i:ban)| tiếp| diện| thoa)"
ASK = f"(?:{asking('ask', GIAO + '(?: cho)?')})"
_ASK_WORDS = lexicon.selected("asking_verbs", "ask")  # `ASK`'s words (`may_hold`)
# `ASK` at a word start, then its blanks. The look-ahead for the first letters of its words
# is for speed only: the engine rejects every other position at once.
_ASK_FIRST = "".join(sorted({c for w in _ASK_WORDS for c in (w[0], w[0].upper())}))
_ASKS = re.compile(rf"\b(?=[{_ASK_FIRST}]){ASK}(?:[ \t]*:)?\s+", re.I)
# A request followed straight by the work, no body named (`đề nghị kiểm tra, xử lý …`): a verb of
# work (`work_verbs.tsv`) right after it, not a body (`yêu cầu các cấp ủy …`).
_BARE_REQUEST = re.compile(rf"(?:{lexicon.alternation('work_verbs')})\b")
# `X có ý kiến / kết luận / yêu cầu:` makes X the speaker, not the actor.
# A speaker's verb that introduces what follows (`… như sau:`), not an act of its own
# (`Sở X hướng dẫn các xã …` is Sở X's work).
_AS_FOLLOWS = re.compile(r"\bnhư sau\b", re.I)


def _introduces_list(s: str) -> bool:
    """`… như sau:`, `… cụ thể:`, or `như sau` anywhere: a colon closing `s` (white space
    after it aside; `str.rstrip` strips what `\\s` matches), which a pattern `\\s*:\\s*$`
    found only after trying every position of the clause."""
    return s.rstrip().endswith(":") or (
        may_hold(s.lower(), "như sau") and _AS_FOLLOWS.search(s) is not None
    )


# The speaker's verbs whose object does the work of the list that follows.
_GUIDED = re.compile(r"\b(?:hướng dẫn|thông báo\s+(?:để|tới|đến|cho))\s+", re.I)
# Of the speaker's verbs, these are also work of their own when no list follows.
_OWN_ACT = re.compile(
    r"^\s*(?:đã\s+)?(?:" + lexicon.literal("speaker_verbs", "own_act") + r")\b", re.I
)
# `Bộ X gửi kèm bộ Cẩm nang gồm: …`: the letter sends a document along, information that
# names no one's work (§3 rule 3), as a speaker's words name none of the speaker's.
# (lexicon `speaker_verbs`)
_SPEAKER = re.compile(
    r"^\s*(?:đã\s+|trân trọng\s+|xin\s+)?(?:" + lexicon.literal("speaker_verbs") + r")\b",
    re.I,
)
# `Bộ X đã có ý kiến chỉ đạo tại Văn bản số …`: what a body has said is a past
# act, the background of the work asked (§3 rule 3), never its own work now.
_PAST_SAYING = re.compile(r"\s*đã\s", re.I)
# The work named first, then the body it is given to (`Nhiệm vụ được giao cho X …`).
_PASSIVE_GIVEN = re.compile(r"[^,;:.]{0,60}?\bđược giao(?:\s+cho)?\s+", re.I)
# What follows a subject is its predicate; these words continue a noun phrase.
# `Bộ X với vai trò (là) cơ quan thường trực …, chủ động …`: an apposition of the
# subject's role, not a noun phrase around it (§3 lead: the subject).
# `Các bộ, … thuộc đối tượng kiểm tra có trách nhiệm …`: `thuộc` a category (đối tượng, diện,
# phạm vi, danh sách) qualifies the subject, no body it belongs to; its predicate comes after.
_NOT_PREDICATE = re.compile(
    r"^\s*(?:của|tại|về|thuộc(?!\s+(?:đối tượng|diện|phạm vi|danh sách)\b)|ở|đối với|"
    r"với(?!\s+(?:vai trò|tư cách)\b))\b",
    re.I,
)
# `Ban Chỉ đạo các tỉnh, thành phố về phòng, chống tham nhũng …`: an organ of a
# collective (§4) is named with its field; its predicate comes after that.
# `Các cơ quan báo chí của tỉnh mở chuyên mục …`: `của` + the issuer's own level, no name
# after it, only says whose bodies they are; the predicate comes after it (§3 lead: the
# subject of the sentence; §4 a collective no group code covers is `@lien-quan`); so with a
# named body (`Sở X của tỉnh thẩm định …`).
_OWN_LEVEL = lexicon.literal("level_words", "own")
_OF_OWN_LEVEL = re.compile(rf"^\s*của\s+(?:{_OWN_LEVEL})\b(?![ \t]+(?-i:[A-ZĐÀ-Ỹ]))", re.I)
_ORGAN = re.compile(rf"\b(?:{_ORGANS})\s*$", re.I)
_ORGAN_FIELD = re.compile(r"^\s*về\b", re.I)
# `Bộ sẽ tổng kết …`: the issuer announcing its own work, by its head word (§3 lead).
_SELF = re.compile(
    r"^\s*(?:[^,.;]{0,60},\s*)?(?:"
    + lexicon.alternation("own_actor_openings", "body", "y")
    + r")\s+sẽ\b"
)


@dataclass
class Actors:
    lead: list[Agency] = field(default_factory=list)
    coordinate: list[Agency] = field(default_factory=list)
    report_to: list[Agency] = field(default_factory=list)
    deadline: Deadline | None = None
    lead_named: bool = False
    # Whether the text names a time of its own (`own_time`): a bool, or the clause `(text,
    # start, end)` whose times tell it, read only when asked: most clauses' answer is never
    # used (issue 16: the times of every clause read for it were a twentieth of a letter).
    own_time_of: bool | tuple[str, int, int] = field(default=False, repr=False)
    any: bool = False
    # The lead is only a role (`cơ quan chủ trì`): under a lead-in that names who acts,
    # the role is that actor's (`Sở X:` / `- Cơ quan chủ trì …`).
    lead_by_role: bool = False
    # The first main clause names no actor and a later one does (`Hoàn thiện dự thảo …; trên
    # cơ sở đó, Ủy ban nhân dân các xã …`): the first is the lead-in's actor's work, and the
    # lead holds both (§3 lead: several main clauses with their own subjects).
    bare_first: bool = False
    # Who follows the work up (`Cơ quan theo dõi, đôn đốc: …`): only labelled lines give it,
    # and it never counts as a label that decides the task (`any`).
    monitor: list[Agency] = field(default_factory=list)
    # The item's lead-in names a body that acts (`4. Các Bộ, … khẩn trương:`), not a speaker
    # or the preamble: a request opening a sub-item is that body's (`clause_actors`' `voiced`).
    # Set for the lead-in's own sub-items only; `override` does not pass it on.
    asker: bool = False
    # A request that names no one asked (`Đề nghị kiểm tra, xử lý …`, `Bộ X đề nghị nghiên cứu
    # …`): the letter asks its reader, so when no one else is named the recipients act (§3 lead:
    # the text addresses the reader). `override` passes it on from the item's own text.
    reader_asked: bool = False

    @property
    def own_time(self) -> bool:
        """The text names a time of its own: a due date, or a recurring, open-ended or
        event-relative time (§6 Heading times)."""
        if not isinstance(self.own_time_of, bool):
            self.own_time_of = _names_own_time(*self.own_time_of)
        return self.own_time_of

    @own_time.setter
    def own_time(self, value: bool) -> None:
        self.own_time_of = value

    def override(self, other: Actors) -> Actors:
        """`other` (the item's own) wins where it says something."""
        by_role = other.lead_by_role and self.lead_named and bool(self.lead)
        both = other.bare_first and other.lead_named and self.lead_named and not by_role
        return Actors(
            lead=(
                unique_agencies(self.lead + other.lead)
                if both
                else self.lead
                if by_role
                else other.lead or self.lead
            ),
            # Coordinate passes down only from a lead-in that names who acts
            # (`X chủ trì, phối hợp với Y:`), not from the speaker's preamble.
            coordinate=other.coordinate or (self.coordinate if self.lead_named else []),
            report_to=other.report_to,
            deadline=other.deadline or self.deadline,
            lead_named=other.lead_named or self.lead_named,
            own_time_of=other.own_time_of,
            any=other.any or self.any,
            monitor=other.monitor or self.monitor,
            reader_asked=other.reader_asked,
        )

    def with_deadline(self, d: Deadline | None) -> Actors:
        return replace(self, deadline=d or self.deadline)


def _sp(a: Agency) -> tuple[int, int]:
    assert a.span is not None  # only mentions found in the text reach here
    return a.span


def unique_agencies(agencies: list[Agency]) -> list[Agency]:
    seen: set[str] = set()
    out = []
    for a in agencies:
        key = a.code or a.name
        if key not in seen:
            seen.add(key)
            out.append(a)
    return out


# The head of a distributive list before its first item: `Các Bộ: `,
# `Chủ tịch Ủy ban nhân dân các tỉnh: ` (the registry gives the items).
_LIST_HEAD = re.compile(r"^[^\n:;.]{0,80}:\s*$")
# A label whose bodies neither lead nor coordinate (`Đơn vị cho ý kiến:`, `Cơ quan theo
# dõi:`; §6 Coordinate wording): the roles of `data/lexicon/table_roles.tsv`.
_BYSTANDER_ROLES = frozenset({"note", "monitor"})


def _list_head(gap: str) -> bool:
    if not _LIST_HEAD.match(gap):
        return False
    label = gap.strip().rstrip(":").strip(" -+•*")
    return cell_role(label) not in _BYSTANDER_ROLES


# Between two bodies of one list: a comma or `và` alone.
_JOINER = re.compile(r"\s*(?:,|và)?\s*", re.I)


def _list_ending_at(text: str, last: Agency, mentions: list[Agency]) -> list[Agency]:
    """The list of agencies that ends with `last` (`Sở B, Sở C và Sở D`), in text order."""
    run = [last]
    for a in reversed([m for m in mentions if _sp(m)[1] <= _sp(last)[0]]):
        if not _JOINER.fullmatch(text, _sp(a)[1], _sp(run[0])[0]):
            break
        run.insert(0, a)
    return run


# The work first, then who leads it: `Tăng cường kiểm soát giá … (Sở A chủ trì, phối
# hợp với Sở B)`, `Việc kiểm tra … do Sở X chủ trì thực hiện`.
_LEADS_AFTER = re.compile(r"[ \t]*chủ trì\b", re.I)
_BY_BEFORE = re.compile(r"(?:\(|\bdo)[ \t]*$", re.I)


def _lead_given_after_work(
    text: str, mentions: list[Agency], coordinating: set[int]
) -> list[Agency]:
    """The bodies a clause with no subject gives the lead after its work, in brackets or after
    `do` (§3 lead: the agencies that must do the work; `X chủ trì` names them)."""
    for a in mentions:
        if id(a) in coordinating or not _LEADS_AFTER.match(text, _sp(a)[1]):
            continue
        run = _list_ending_at(text, a, mentions)
        first = _sp(run[0])[0]
        if _BY_BEFORE.search(text, max(0, first - 12), first):
            return run
    return []


def _led_before(
    text: str, start: int, a: Agency, lead: list[Agency], mentions: list[Agency]
) -> bool:
    """A lead is named in an earlier clause of the text from `start` (`Giao Sở A tham mưu …;
    Sở B, Sở C phối hợp thực hiện`), not in the list that ends at `a` (`Sở A, Sở B phối hợp
    thực hiện` is one subject)."""
    first = _sp(_list_ending_at(text, a, mentions)[0])[0]
    return any(
        start <= _sp(b)[0] and _sp(b)[1] <= first and re.search(r"[;.]", text[_sp(b)[1] : first])
        for b in lead
    )


# `X thuộc Y`, `X, trực thuộc Y`: Y is the body X belongs to.
_PARENT = re.compile(r"\s*,?\s*(?:trực\s+)?thuộc\s+", re.I)


def _run_after(text: str, pos: int, mentions: list[Agency]) -> list[Agency]:
    """The list of agencies that starts at `pos` (only gaps of `_GAP` between them)."""
    run: list[Agency] = []
    cursor = pos
    for a in mentions:
        assert a.span is not None
        if run and a.span == run[-1].span:
            run.append(a)  # one phrase, several bodies (`chính quyền các cấp`)
            continue
        if a.span[1] <= cursor:
            continue
        gap = text[cursor : a.span[0]]
        if run and _PARENT.fullmatch(gap):
            # `cơ quan chuyên môn, cơ quan hành chính khác, thuộc Ủy ban nhân dân Thành phố, Văn
            # phòng …`: the body the one before belongs to qualifies it; the list goes on
            # after it (§3 lead: the agencies that do the work).
            cursor = a.span[1]
            continue
        # `phối hợp với các Bộ: A, B`: the head of a list that is coordinate, not the
        # start of a subject (§3 coordinate).
        head = not run and not _searched(_COORD_ANY, gap, *_COORD_FIRST)
        if (
            a.span[0] > cursor
            and not _joins_list(gap)
            and not (head and (_list_head(gap) or _distributed_head(a, gap)))
        ):
            break
        run.append(a)
        cursor = a.span[1]
    return run


@cache
def _appraising() -> re.Pattern[str]:
    """What a leader says of work done, right after the leader (`appraisal_verbs.tsv`)."""
    return re.compile(rf"\s*(?:{lexicon.alternation('appraisal_verbs')})\b", re.I)


@cache
def transmits() -> re.Pattern[str]:
    """The issuer sending a document along, right after its name (`… sao gửi Công văn số …`,
    `… chuyển Văn bản số …`; `transmit_verbs.tsv` before a `doc_types.tsv` name): the letter's
    own act, no work (§3 rule 3), so its sender is no actor (§3 lead)."""
    kinds = lexicon.alternation("doc_types")
    verbs = lexicon.alternation("transmit_verbs")
    return re.compile(
        rf"\s*(?:đã\s+|xin\s+|trân trọng\s+)?(?:{verbs})\s+"
        rf"(?:(?:bản sao|toàn văn|kèm theo)\s+)?(?:{kinds}|văn bản|bản sao)\s+(?:số|nêu trên)\b",
        re.I,
    )


@cache
def _fronted() -> re.Pattern[str]:
    """An adverbial before the subject (`data/lexicon/fronted_adverbials.tsv`)."""
    return re.compile("(?:" + lexicon.alternation("fronted_adverbials") + r")\b", re.I)


@cache
def _cites() -> re.Pattern[str]:
    """An adverbial citing a document (`Thực hiện Công văn số …`): `fronted_adverbials.tsv`,
    column `cites`."""
    return re.compile(
        "(?:" + lexicon.alternation("fronted_adverbials", "cites", "y") + r")\b", re.I
    )


# A document's number (`Công văn số 209/VPTT-TH`, `số 41/QĐ-ABC`).
_DOC_NUMBER = re.compile(r"\bsố\s+\d+/", re.I)


def _cites_by_number(text: str, pos: int, end: int) -> bool:
    """The adverbial after `pos` cites a document by its number before any request
    (`Thực hiện ý kiến chỉ đạo của X tại Công văn số 209/VPTT-TH … về việc đề nghị …`): a
    request in it is that document's, as after `Thực hiện Công văn số …` (`cites`)."""
    stop = min(end, pos + 250)
    ask = _ASKS.search(text[pos:stop])
    return bool(_DOC_NUMBER.search(text, pos, pos + ask.start() if ask else stop))


_LIST_GOES_ON = re.compile(r"\s*(?:[,;:.)]|$)")


def _after_adverbial(
    text: str, pos: int, end: int, mentions: list[Agency], *, cited: bool = False
) -> list[Agency]:
    """The subject after a fronted adverbial: the run of bodies right after the first comma
    that no body's name spans (`Trên cơ sở đề xuất của UBND các xã, phường, Sở X …`).
    In an adverbial citing a document, a comma right after a body only goes on with the list
    its request names (`Thực hiện Công văn số … đề nghị các Bộ, ngành, địa phương chấn
    chỉnh …, Bộ X đề nghị …`): the subject follows a comma after the cited request's work."""
    comma = text.find(",", pos, min(end, pos + 250))
    asked: list[tuple[int, int]] = []
    for m in _ASKS.finditer(text[pos : min(end, pos + 250)]) if cited else ():
        run = _run_after(text, pos + m.end(), [a for a in mentions if _sp(a)[0] >= pos + m.end()])
        if run:
            asked.append((_sp(run[0])[0], _sp(run[-1])[1]))
    listing = False
    while comma >= 0:
        if cited and any(s < comma < e for s, e in asked):
            listing = True
        elif not any(_sp(a)[0] < comma < _sp(a)[1] for a in mentions):
            run = _run_after(text, comma + 1, [a for a in mentions if _sp(a)[0] > comma])
            # `Trên cơ sở đề xuất của các sở, ban, ngành, địa phương, chủ trì tổng hợp …`: a body
            # followed by a comma still belongs to the adverbial's list, and the comma after
            # that list, with no body after it, ends the adverbial: no subject (§3 lead).
            if run and not _LIST_GOES_ON.match(text, _sp(run[-1])[1], end):
                return run
            if listing and not run:
                return []
            listing = bool(run)
        comma = text.find(",", comma + 1, min(end, pos + 250))
    return []


# A concrete duty (`tổng hợp`, `lập`, `tổ chức`): `work_verbs.tsv`, column concrete.
_CONCRETE = lexicon.alternation("work_verbs", "concrete", "y")
_OWN_WORK = re.compile(rf"\b(?:{_CONCRETE})\b", re.I)
# A verb of work closing a series of verbs before a request (`hướng dẫn, yêu cầu …`).
_SERIES = re.compile(rf"\b(?:{_CONCRETE})\s*(?:,|và)\s*$", re.I)
# A clause that opens with concrete work, after at most two words of manner; not a purpose,
# a topic or a condition (`Để tổng hợp báo cáo …, Bộ X đề nghị …`).
_OPENS_WITH_WORK = re.compile(
    rf"\s*(?!(?:để|nhằm|về|đối với|khi|sau khi|nếu|theo|căn cứ|trên cơ sở)\b)"
    rf"(?:\w+\s+){{0,2}}?(?:{_CONCRETE})\b",
    re.I,
)


# `Công văn số … về việc đề nghị …`: in an adverbial citing a document, a request named as a
# thing is the cited document's subject, not made by the sentence: whom it names is no lead
# (§3 lead: the subject of the sentence, or the object of the letter's own request).
_NOMINAL_REQUEST = re.compile(r"\bviệc\s+$", re.I)


# A request the actor itself makes (`đề nghị`, `yêu cầu`, `mời`), not the letter's `giao`.
_OWN_REQUEST = re.compile(rf"^(?:{lexicon.literal('asking_verbs', 'own')})\b", re.I)


# `yêu cầu` (require): said by a named body, it directs others as that body's own work; `đề
# nghị` is the letter's way to give work to any body (§3 rule 8), also inside an item.
_DIRECTS = re.compile(r"^yêu cầu\b", re.I)


def _opens_with_request(text: str, opener: re.Match[str] | None, subj_at: int) -> bool:
    """The clause opens, after its topic, with `yêu cầu` (`Yêu cầu …`, `đồng thời yêu cầu …`).
    Where its unnamed subject is a named body (`Bộ X tập trung nghiên cứu …; đồng thời yêu cầu
    các cấp, các ngành …`; under `Các Bộ, …:`, `c) Yêu cầu người đứng đầu các đơn vị trực
    thuộc …`), that body requires it and the bodies required are not the lead (§3 lead: the
    subject of the sentence, or the agencies of the lead-in; only the letter's own request
    makes its object the actor)."""
    words = ""
    if opener is not None:
        words = opener.string[max(opener.start(), opener.end("topic")) : opener.end()]
    return bool(_DIRECTS.match(words.strip()) or _DIRECTS.match(text[subj_at : subj_at + 12]))


def _same_sentence(text: str, start: int, cs: int) -> bool:
    """The clause at `cs` goes on the sentence before it: a `;` or a comma ends that one."""
    before = text[start:cs].rstrip()
    return before.endswith((";", ","))


def _embedded_request(text: str, subj_at: int, at: int, ask: str) -> bool:
    """A clause with no subject whose request is one step of its own work: the clause opens
    with that work (`Hoàn thiện hồ sơ dự án, đề nghị Bộ Y xem xét`) or the
    request follows a verb of work in one series (`hướng dẫn, yêu cầu các đơn vị khắc phục`).
    The body asked receives a proposal or is the object of the work; the lead stays the
    lead-in's (§3 lead: the agencies that must do the work; bodies that only receive are not
    lead)."""
    if at <= subj_at or not _OWN_REQUEST.match(ask):
        return False
    return bool(_SERIES.search(text[subj_at:at]) or _OPENS_WITH_WORK.match(text, subj_at, at))


# Any verb of work (`work_verbs.tsv`): the predicate a clause holds before its comma.
_ANY_WORK = re.compile(rf"\b(?:{lexicon.alternation('work_verbs')})\b", re.I)
# A predicate of concrete work right after a subject (`Sở X hướng dẫn …`).
_PREDICATE = re.compile(rf"\s*(?:{_CONCRETE})\b", re.I)


def _comma_subjects(text: str, pos: int, end: int, mentions: list[Agency]) -> list[Agency]:
    """The subjects of further main clauses after `pos`, each after a comma (`Sở A bố
    trí kinh phí, Sở B hướng dẫn …`): named bodies right after a comma that closes a
    predicate (not a list of bodies), with concrete work right after them (§3 lead: when an
    item has several main clauses with their own subjects, the lead holds each of them).
    Groups are left out: `…, các sở, ngành phối hợp` reads too often as the object's list."""
    out: list[Agency] = []
    cursor = pos
    for a in mentions:
        s = _sp(a)[0]
        if s < cursor:
            continue
        comma = re.search(r",\s*$", text[cursor:s])
        if (
            comma is None
            or any(_sp(b)[1] == cursor + comma.start() for b in mentions)
            or not _ANY_WORK.search(text, cursor, cursor + comma.start())
        ):
            continue
        run = _run_after(text, s, [b for b in mentions if _sp(b)[0] >= s])
        if (
            run
            and all(b.code is None for b in run)
            and _PREDICATE.match(text, _sp(run[-1])[1], end)
        ):
            out.extend(run)
            cursor = _sp(run[-1])[1]
    return out


def _distributed(a: Agency) -> bool:
    """An item of a distributive list (`Chủ tịch Ủy ban nhân dân các tỉnh X, Y, Z`): the
    registry read the list's head, printed before the first item, into its name (§4)."""
    return len(a.name) > len(a.raw) and a.name.endswith(a.raw)


def _distributed_head(first: Agency, gap: str) -> bool:
    """The gap before a list's first item is that head, within one clause."""
    return _distributed(first) and len(gap) <= 80 and not re.search(r"[.;]", gap)


def heads_a_list(text: str, start: int, colon: int, first: Agency) -> bool:
    """`text[start:colon]` (`Các Tập đoàn`, `Giám đốc các Sở`) is the head of the distributive
    list whose first item `first` follows the colon (§4: `Các Bộ: A, B, …` names
    each body): the words name the actors, they are no label of a fact."""
    after = text[colon + 1 : _sp(first)[0]]
    return not after.strip() and _distributed_head(first, text[start:colon])


@cache
def _unit_head() -> re.Pattern[str]:
    """A body's head word (`Cục`, `Chi cục`, `Kho bạc`: `data/lexicon/body_heads.tsv`)."""
    return re.compile(rf"^(?:{lexicon.alternation('body_heads', 'fallback', 'y')})\b", re.I)


def _drop_distributive_tails(text: str, mentions: list[Agency]) -> list[Agency]:
    """`Cục X các tỉnh, thành phố` is the Cục X of every province, not
    also the provinces' People's Committees (the registry knows this for clean
    text; OCR'd spellings reach here split)."""
    out: list[Agency] = []
    for a in mentions:
        prev = out[-1] if out else None
        if (
            prev is not None
            and a.code == "@dia-phuong"
            and prev.code is None
            and _unit_head().match(prev.name)
            and prev.span is not None
            and a.span is not None
            and not text[prev.span[1] : a.span[0]].strip()
        ):
            continue
        out.append(a)
    return out


_ORGAN_NAME = re.compile(rf"(?:{_ORGANS})\b", re.I)


def _drop_organs_of_collectives(text: str, mentions: list[Agency]) -> list[Agency]:
    """`Ban Chỉ đạo 389 các bộ, ngành, địa phương`: the organ of a collective takes the
    collective's code (§4), not the national body whose name its first words spell."""
    out: list[Agency] = []
    for a in mentions:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.code is None
            and a.code is not None
            and _ORGAN_NAME.match(prev.raw)
            and re.fullmatch(r"\s+", text[_sp(prev)[1] : _sp(a)[0]])
            and text[_sp(a)[0] : _sp(a)[0] + 4].lower() == "các "
        ):
            span = (_sp(prev)[0], _sp(a)[1])
            out[-1] = a.model_copy(update={"span": span, "raw": text[span[0] : span[1]]})
            continue
        out.append(a)
    return out


def _drop_list_heads(text: str, mentions: list[Agency]) -> list[Agency]:
    """`Các cơ quan: Sở A, Sở B, Ban C tỉnh`: a group word heading a list of named bodies is
    the list's head, not a body of its own (§4: the list names each body)."""
    out: list[Agency] = []
    for i, a in enumerate(mentions):
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        if (
            nxt is not None
            and a.code is not None
            and nxt.code is None
            and re.fullmatch(r"[ \t]*:[ \t]*", text[_sp(a)[1] : _sp(nxt)[0]])
        ):
            continue
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.code is not None
            and a.code is None
            and _ENUMERATES.fullmatch(text, _sp(prev)[1], _sp(a)[0])
        ):
            # `Các sở, ngành gồm: Sở A, Sở B`: the group's words head the bodies it lists.
            s, e = _sp(prev)[0], _sp(a)[1]
            out[-1] = a.model_copy(update={"span": (s, e), "raw": text[s:e]})
            continue
        out.append(a)
    return out


_ENUMERATES = re.compile(r"[ \t]+(?:bao[ \t]+)?gồm[ \t]*:?[ \t]*", re.I)


_BRACKET_OPEN = re.compile(r"\s*\(\s*(?P<via>qua\s+)?", re.I)


def drop_sections(text: str, mentions: list[Agency]) -> list[Agency]:
    """`Sở X (Ban Y)`: a section of a body is that body (§4).
    An unspecified body named in brackets (`Nhà đầu tư (Tập đoàn X)`) is the
    body named (§6 Unnamed specific actors: only one the letter does not name is
    `@lien-quan`)."""
    out: list[Agency] = []
    for a in mentions:
        prev = out[-1] if out else None
        # `Bộ X (qua Cục Y)`: the way through to the body, a unit of it, is that body too.
        opens = prev and _BRACKET_OPEN.fullmatch(text, _sp(prev)[1], _sp(a)[0])
        if prev is not None and opens:
            # … and so is a group followed by the named bodies it means (`Các sở, ngành liên
            # quan (Sở A, Sở B)`: §4, an enumeration that names each body).
            if prev.code is not None and a.code is None and not opens["via"]:
                s, e = _sp(prev)[0], _sp(a)[1]
                out[-1] = a.model_copy(update={"span": (s, e), "raw": text[s:e]})
            elif close := re.match(r"\s*\)", text[_sp(a)[1] :]):
                # The body keeps its bracket, so that a list goes on after it (`phối hợp với
                # Sở A (Ban Y - Z), Sở B`).
                s, e = _sp(prev)[0], _sp(a)[1] + close.end()
                out[-1] = prev.model_copy(update={"span": (s, e), "raw": text[s:e]})
            continue
        out.append(a)
    return out


# A lower level's committee named by its level alone, in the singular (`Ủy ban nhân dân xã`;
# lexicon `level_words`, column `lower`).
_LEVEL_ALONE = re.compile(
    rf"(?<!các )(?<!cấp )\b({lexicon.literal('level_words', 'lower')})\s*$", re.I
)


# `Quyết định số 1737/QĐ-UBND ngày 17/10/2025 của (Chủ tịch) Ủy ban nhân dân tỉnh`: the body that
# issued a cited document, right after its number and date.
_CITED_BY = re.compile(
    r"\bsố\s+\S+(?:\s+ngày\s+(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}))?"
    rf"\s+của\s+(?:(?:{_HEAD_TITLES})\s+)?$",
    re.I,
)


def cited_issuer(text: str, a: Agency) -> bool:
    """`a` names the issuer of a document the text cites (`Phương án số 7178/PA-UBND … của UBND
    tỉnh`): it does no work of this letter (§3 lead: agencies in a cited document's title are
    not lead)."""
    s = _sp(a)[0]
    return bool(_CITED_BY.search(text[max(0, s - 120) : s]))


# A bracket with what it holds. It opens on `(`, so that the engine skips to one at C speed;
# the blanks before it are the bracket's too (`after_blanks`).
_BRACKETED = re.compile(r"\(([^()\n]{2,60})\)")


# One letter's texts at a time in a worker: 8 kept, not 64 (each holds a letter's text and its
# bodies; 64 kept a worker's memory 5 MB higher for no hit, issue 16's RSS).
@lru_cache(maxsize=8)
def _short_names(text: str, find: FindAgencies) -> dict[str, Agency]:
    """Short names the letter defines in brackets after a body (`Chi cục Y cửa khẩu
    cảng X khu vực 1 (Chi cục YCK cảng XKV 1)`), folded, to that body: wherever the letter
    uses the short name it means the body (§4: canonical names, abbreviations expanded)."""
    out: dict[str, Agency] = {}
    for at, m in after_blanks(_BRACKETED, text):
        inner = find(text, *m.span(1))
        if len(inner) != 1 or inner[0].code is not None or inner[0].known:
            continue
        if text[m.start(1) : _sp(inner[0])[0]].strip():
            continue  # `Bộ X (qua Vụ Y)`: the way to the body, no name of it
        line = max(text.rfind("\n", 0, at) + 1, at - 400)
        outer = [a for a in find(text, line, at) if a.span and a.span[1] == at]
        # `Nhà đầu tư (Tập đoàn X)`: a role names the body in brackets, no short name of it
        # (`drop_sections`; §6 Unnamed specific actors).
        if outer and outer[-1].code is None and outer[-1].name != inner[0].name:
            out.setdefault(fold(inner[0].name), outer[-1])
    return out


# `Thành lập Ban Chỉ đạo chuyển đổi số tỉnh X (sau đây gọi tắt là Ban Chỉ đạo)`: the short name a
# document gives the body named just before the bracket (with the blanks before it: `after_blanks`).
_NAMED_AS = re.compile(
    r"\(\s*(?:sau đây\s+)?(?:được\s+)?gọi\s+(?:tắt\s+)?là\s*:?\s*"
    r"(?P<term>[A-ZĐÀ-Ỹ][^()\n,;:]{1,40}?)\s*\)"
)


@lru_cache(maxsize=8)
def _named_bodies(text: str, find: FindAgencies) -> tuple[tuple[re.Pattern[str], Agency, str], ...]:
    """Bodies the document names by a short name it defines (`… (sau đây gọi tắt là Ban Chỉ
    đạo)`), with the pattern of that name and its first word, when the short name is no body of
    its own."""
    out: list[tuple[re.Pattern[str], Agency, str]] = []
    for at, m in after_blanks(_NAMED_AS, text):
        if not _short_name_term(find(text, *m.span("term")), m.span("term")):
            continue  # a body or a collective term of its own (`_defined_terms`)
        line = max(text.rfind("\n", 0, at) + 1, at - 400)
        outer = [a for a in find(text, line, at) if a.span and a.span[1] == at]
        words = r"\s+".join(re.escape(w) for w in m.group("term").split())
        pattern = re.compile(rf"(?<!\w){words}(?!\w)", re.I)
        if len(outer) != 1:
            # `Thành lập Tổ công tác rà soát thủ tục hành chính tỉnh X (sau đây gọi là Tổ công
            # tác)`: the short name heads the full name, which runs to the bracket.
            heads = list(pattern.finditer(text, line, at))
            if not heads or len(text[heads[-1].start() : at].split()) > 16:
                continue
            s0 = heads[-1].start()
            name = " ".join(text[s0:at].split())
            outer = [Agency(name=name, raw=name, span=(s0, at), known=False)]
        out.append((pattern, outer[0], m.group("term").split()[0]))
    out.extend(_bare_heads(text, find))
    return tuple(out)


def _short_name_term(found: list[Agency], span: tuple[int, int]) -> bool:
    """The term a bracket defines (`(sau đây gọi là Ban QLDA Giao thông)`) is a short name: no
    body is read in it, or only one not in the registry, read over the whole term (an
    abbreviated head makes it look like a name of its own; the definition says whose it is)."""
    if not found:
        return True
    one = found[0]
    return len(found) == 1 and not one.known and one.code is None and one.span == span


def _bare_heads(text: str, find: FindAgencies) -> list[tuple[re.Pattern[str], Agency, str]]:
    """A head printed alone and capitalised (`Tập đoàn và Bộ X khẩn trương …`, lexicon
    `short_heads`), in a letter that names one known body of that head in full, is that body's
    short name (§4: a body is written by its canonical name): not `các tập đoàn` (a collective),
    nor a head that opens a name of its own (`Tập đoàn Dầu khí`)."""
    out: list[tuple[re.Pattern[str], Agency, str]] = []
    named: list[Agency] | None = None  # the letter's known bodies, read once if a head stands
    for head, pattern in _SHORT_HEADS:
        if not _printed_at_word(pattern, head.split()[0], text):
            continue  # most letters print no such head alone
        if named is None:
            found = {a.name: a for a in find(text, 0, len(text)) if a.known and a.code is None}
            named = list(found.values())
        low = fold(head) + " "
        bodies = [a for a in named if fold(a.name).startswith(low)]
        if len(bodies) == 1:
            out.append((pattern, bodies[0], head.split()[0]))
    return out


def _printed_at_word(pattern: re.Pattern[str], first: str, text: str) -> bool:
    """`pattern.search(text) is not None`, for a pattern whose match opens on the literal word
    `first` (after look-behinds only): tried where `str.find` finds that word, not at every
    position, where its look-behinds made `re` try each (issue 16)."""
    at = text.find(first)
    while at >= 0:
        if pattern.match(text, at) is not None:
            return True
        at = text.find(first, at + 1)
    return False


def _short_head(head: str) -> re.Pattern[str]:
    """`head` printed alone and capitalised: not after `các`, not opening a name."""
    words = r"\s+".join(re.escape(w) for w in head.split())
    return re.compile(rf"(?<![\w\-])(?<!các )(?<!Các ){words}(?![\w\-])(?!\s+[A-ZĐÀ-Ỹ])")


_SHORT_HEADS = [(head, _short_head(head)) for head in lexicon.words("short_heads")]


# The letters of Vietnamese words: `re.IGNORECASE` matches one of them to the characters whose
# `str.lower()` is its lower case, and to the odd ones of `may_hold` (`_CASE_ODD`) only.
_VIETNAMESE_WORD = re.compile(
    r"[0-9A-Za-zÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯư\u1ea0-\u1ef9]+"
)


def _word_starts(text: str, words: list[str]) -> list[list[int] | None]:
    """Where each of `words` starts in `text`, in any case (overlaps included), or None where
    that cannot be told by `str.lower` (a word or a text with letters that `re.IGNORECASE`
    matches otherwise): then the word may be anywhere."""
    low = text.lower()
    if len(low) != len(text) or may_hold(low):  # `may_hold` of no word: an odd letter printed
        return [None] * len(words)
    out: list[list[int] | None] = []
    for word in words:
        if not _VIETNAMESE_WORD.fullmatch(word):
            out.append(None)
            continue
        w, at, starts = word.lower(), low.find(word.lower()), []
        while at >= 0:
            starts.append(at)
            at = low.find(w, at + 1)
        out.append(starts)
    return out


def _starts_within(starts: list[int] | None, length: int, start: int, end: int) -> bool:
    """One of `starts` (of a word `length` long) starts a word inside `[start, end)`."""
    if starts is None:
        return True
    k = bisect_left(starts, start)
    return k < len(starts) and starts[k] + length <= end


def with_named_bodies(text: str, find: FindAgencies) -> FindAgencies:
    """`find` that also reads a short name the document defines for a body (§4: a body is
    written by its canonical name; a named body's committee keeps its own name): `Nhiệm vụ
    của Ban Chỉ đạo:` names the committee the decision set up (§3 rule 2, actor lead-in)."""
    named = _named_bodies(text, find)
    if not named:
        return find
    # A short name is looked for only in the spans where its first word is printed: the
    # pattern opens on a look-behind, tried at every position of every span asked (issue 16).
    heads = [head for _, _, head in named]
    starts = _word_starts(text, heads)

    def found(t: str, start: int, end: int) -> list[Agency]:
        base = find(t, start, end)
        if t is not text:
            return base
        uses = [
            (m.span(), body)
            for (pat, body, head), at in zip(named, starts, strict=True)
            if _starts_within(at, len(head), start, end)
            for m in pat.finditer(t, start, end)
        ]
        # `Ban Chỉ đạo làm việc theo …`: a name not in the registry read on over the words after
        # the short name is the short name.
        base = [a for a in base if not (a.code is None and not a.known and _opens_use(t, a, uses))]
        taken = [_sp(a) for a in base if a.span is not None]
        extra: list[Agency] = []
        for (s, e), body in uses:
            if not any(a < e and s < b for a, b in taken):
                extra.append(body.model_copy(update={"raw": t[s:e], "span": (s, e)}))
                taken.append((s, e))
        return sorted(base + extra, key=lambda a: a.span[0] if a.span else -1)

    return found


def _opens_use(text: str, a: Agency, uses: list[tuple[tuple[int, int], Agency]]) -> bool:
    """`a` is a use of a short name read on over lower-case words (`Ban Chỉ đạo làm việc`); a
    capital after it opens a name of its own (`Ban Chỉ đạo Phòng thủ dân sự`)."""
    if a.span is None:
        return False
    s0, e0 = a.span
    return any(
        s == s0 and (e == e0 or (e < e0 and text[e:e0].strip()[:1].islower())) for (s, e), _ in uses
    )


# `(sau đây gọi tắt là các bộ, cơ quan trung ương và địa phương)` after a list of bodies.
_DEFINED = re.compile(
    r"\(\s*(?:sau đây\s+)?(?:được\s+)?gọi\s+(?:chung|tắt)\s+là\s*:?\s*([^()]{2,80}?)\s*\)", re.I
)


_Terms = tuple[tuple[re.Pattern[str], tuple[Agency, ...]], ...]


@lru_cache(maxsize=8)
def _defined_terms(text: str, find: FindAgencies) -> _Terms:
    """Collective terms the letter defines in brackets after a list of bodies (`Bộ trưởng
    các Bộ, Chủ tịch UBND các tỉnh…, Tổng giám đốc các tập đoàn… (sau đây gọi tắt là các bộ,
    cơ quan trung ương và địa phương)`), each with the bodies it stands for: where the letter
    uses the term for an actor it means them all (§3 coordinate: an actor defined by a role
    is every body the document assigns to it, by a definition too)."""
    out: list[tuple[re.Pattern[str], tuple[Agency, ...]]] = []
    for m in _DEFINED.finditer(text):
        term = [a for a in find(text, *m.span(1)) if a.span is not None]
        if not term or any(a.code is None for a in term):
            continue  # a short name of one body is `_short_names`' business
        before = [a for a in find(text, max(0, m.start() - 600), m.start()) if a.span is not None]
        if not before or not re.fullmatch(r"\s*", text[_sp(before[-1])[1] : m.start()]):
            continue
        run = [before[-1]]
        for a in reversed(before[:-1]):
            if _sp(a)[1] > _sp(run[0])[0] or not _GAP.match(text[_sp(a)[1] : _sp(run[0])[0]]):
                break
            run.insert(0, a)
        if len(run) > 1:
            words = r"\W+".join(re.escape(w) for w in re.findall(r"\w+", m.group(1)))
            out.append((re.compile(rf"\b{words}\b", re.I), tuple(run)))
    return tuple(out)


def _by_definition(
    text: str, start: int, end: int, found: list[Agency], terms: _Terms
) -> list[Agency]:
    """`found` with each mention inside a use of a defined term replaced by the bodies the
    term stands for (`_defined_terms`)."""
    if not terms:
        return found
    uses = [(m.span(), bodies) for pat, bodies in terms for m in pat.finditer(text, start, end)]
    out: list[Agency] = []
    for a in found:
        hit = next((b for (s, e), b in uses if a.span and s <= a.span[0] and a.span[1] <= e), None)
        out.extend(hit if hit is not None else [a])
    return out


def _expanded(a: Agency, short: dict[str, Agency]) -> Agency:
    if a.code is not None or a.known or fold(a.name) not in short:
        return a
    return short[fold(a.name)].model_copy(update={"raw": a.raw, "span": a.span})


def _committee_of(column: str, value: str = "y") -> re.Pattern[str]:
    """A People's Committee's folded name opening with a level of `level_words`' `column`
    (`uy ban nhan dan huyen `)."""
    levels = lexicon.selected("level_words", column, value)
    return re.compile("uy ban nhan dan (?:" + "|".join(re.escape(fold(w)) for w in levels) + ") ")


# The recipients of each kind that a group of that kind names in a letter sent to named bodies
# (folded name prefixes; a province's People's Committee by its registry id).
_GROUP_KINDS = {
    "@bo-nganh": re.compile(r"bo "),
    "@so-nganh": re.compile(r"so "),
    "@cap-huyen": _committee_of("group", "@cap-huyen"),
    "@cap-xa": _committee_of("group", "@cap-xa"),
}
# `các sở, ngành liên quan`, `các xã còn lại`: some of them, not the reader.
_SOME_OF_THEM = re.compile(r"\b(?:lien quan|khac|con lai)\b")


@cache
def _members_by_registry() -> dict[str, frozenset[str]]:
    """The registry's bodies a group code covers by their kind (§4 group codes): `@bo-nganh`
    the ministries and the ministry-level and government agencies, `@so-nganh` a province's
    departments and sectors (its police, its military command), whatever word their names
    open with."""
    d = AgencyRegistry.default().data
    ministries = {a.id for a in d.agencies.values() if a.level in {"ministry", "government_agency"}}
    return {
        "@bo-nganh": frozenset(ministries),
        "@so-nganh": frozenset(u.id for u in d.units.values() if u.scope == "province"),
    }


def _of_kind(a: Agency, r: Agency) -> bool:
    code = a.code
    if r.code is not None or code is None:
        return False
    if code == "@dia-phuong":
        return r.id == "ubnd"
    kind = _GROUP_KINDS.get(code)
    if kind is None or r.id == "ubnd":
        return False
    return kind.match(fold(r.name)) is not None or r.id in _members_by_registry().get(code, ())


def _as_readers(lead: list[Agency], recipients: list[Agency]) -> list[Agency]:
    """`Đề nghị các Sở …`, `UBND các xã …` in a letter sent to named bodies of that kind
    (`Kính gửi: Sở A; Sở B`): the text addresses the reader, so the group is
    those recipients (§3 lead), unless the letter is also sent to the whole group or the
    words pick some of them (`các sở, ngành liên quan`), or the sentence also names a group
    that no recipient is of, or a plural that only one is of (it speaks to more than the
    reader)."""
    sent_to = {r.code for r in recipients if r.code}
    out: list[Agency] = []
    for a in lead:
        if a.code is None:
            out.append(a)
            continue
        same = (
            [r for r in recipients if _of_kind(a, r)]
            if a.code not in sent_to and not _SOME_OF_THEM.search(fold(a.raw))
            else []
        )
        plural = re.search(r"\b(?:cac|nhung)\b", fold(a.raw)) is not None
        if len(same) < (2 if plural else 1):
            # `Các sở, ban, ngành và UBND các xã`: also bodies the letter is not sent to; and
            # `các Sở` (plural) is no single recipient, where `địa phương` may be.
            return lead
        out.extend(r.model_copy(update={"raw": a.raw, "span": a.span}) for r in same)
    return out


def _as_recipient(a: Agency, recipients: list[Agency]) -> Agency:
    """An OCR-garbled unit (`Sở X`, an accent misread) that is one of the recipients is that
    recipient; so is `Ủy ban nhân dân xã` in a letter sent to one commune's committee (§3
    lead: the body the sentence names, which the letter addresses)."""
    level = _LEVEL_ALONE.search(a.raw) if a.code in {"@cap-xa", "@cap-huyen"} else None
    if level is not None:
        head = fold(f"Ủy ban nhân dân {level.group(1)} ")
        same = [r for r in recipients if r.code is None and fold(r.name).startswith(head)]
        if len(same) == 1:
            return same[0].model_copy(update={"raw": a.raw, "span": a.span})
        return a
    if a.known or a.code is not None:
        return a
    for r in recipients:
        if r.code is None and fold(r.name) == fold(a.name):
            return r.model_copy(update={"raw": a.raw, "span": a.span})
    return a


def names_only(text: str, cs: int, ce: int, run: list[Agency]) -> bool:
    """`text[cs:ce]` is nothing but the bodies of `run` (a heading: `2. Sở A, Sở B`,
    `Sở X (cơ quan chủ trì):`), no predicate."""
    rest = text[cs:ce]
    # The bodies of one role share its span (`các cơ quan được giao phối hợp`): cut it once.
    for s, e in sorted({_sp(a) for a in run}, reverse=True):
        rest = rest[: s - cs] + " " + rest[e - cs :]
    # `Các sở, ngành gồm: Sở A, Sở B`: the word that opens the enumeration is no predicate.
    return all(m.lastgroup != "word" for m in _LINK_OR_LETTER.finditer(rest))


# What may be left of a heading of bodies once they are cut out: links and `gồm`; a letter outside
# them (`word`) is a predicate's. The scan stops at the first such letter (removing the links and
# every non-letter with `re.sub` and reading what was left went over the whole clause).
_LINK_OR_LETTER = re.compile(r"\b(?:và|các|cơ quan chủ trì|chủ trì|gồm)\b|(?P<word>[^\W\d_])", re.I)


# Where a clause may end (`_clauses`): a page number on its own line (`pg`), a blank line, a
# line break (`nl`), `;`, the blanks after a sentence's stop before a capital (`ws`), a comma
# before `đồng thời`. Each branch opens on the one character it needs, tried by the engine at
# C speed (`[.!?]` consumed then left out by `ws`; a pattern opening on a look-behind or on
# `\s` was tried at every character: three-quarters of this scan).
_CLAUSE_BREAK = re.compile(
    r"[\n;.!?,](?:"
    r"(?<=\n)(?:(?P<pg>(?:[ \t]*\n)*[ \t]*\d{1,3}[ \t]*\n(?:[ \t]*\n)*)|[ \t]*\n|(?P<nl>))"
    r"|(?<=;)|(?<=[.!?])(?P<ws>\s+)(?=[A-ZĐÀ-Ỹ])|(?<=,)\s*(?=đồng thời\s))"
)


def _clauses(
    text: str,
    start: int,
    end: int,
    named_at: frozenset[int] = frozenset(),
    names: tuple[tuple[int, int], ...] = (),
) -> list[tuple[int, int]]:
    out = []
    pos = start
    # A blank line ends a clause too: a heading printed above its paragraph; so
    # does the line break after a heading in capitals (`II. TỔ CHỨC THỰC HIỆN`).
    # `…, đồng thời Sở X bố trí …`: a second main clause with its own subject (§3 lead).
    # A page number on its own line inside a sentence (`báo cáo Ủy ban` ↵ `2` ↵ `nhân
    # dân tỉnh …`), blank lines around it or not, is the page break, not the end of a clause (§3
    # rule 1: across a page break).
    for m in _CLAUSE_BREAK.finditer(text[start:end]):
        if m.lastgroup == "ws":  # the blanks after a sentence's end, not its stop
            at, found, kind = start + m.start("ws"), m.group("ws"), None
        else:
            at, found, kind = start + m.start(), m.group(), m.lastgroup
        line_start = max(pos, text.rfind("\n", start, at) + 1)
        line = text[line_start:at]
        if kind == "pg" and re.search(r"[\w,]\s*$", line):
            continue
        if _BLANK_FIRST.match(found) and _runs_on(line):
            continue
        if "\n" in found and any(s < at < e for s, e in names):
            # `Tham mưu Ủy ban nhân dân` / / `Thành phố đánh giá …`: a body's name runs on
            # across the blank line; a heading never breaks inside a name (the blank is layout;
            # §3 lead: the name's tail is no subject, sub-items inherit the lead-in's actor).
            continue
        if (
            kind == "nl"
            and not in_capitals(line)
            and not _TOPIC_LINE.match(line)
            and not (
                _opens_subject(text, start + m.end(), named_at)
                and _title_line(text, pos == start, line)
                and not _receives_report(text, line, start + m.end(), names)
                and not _subject_then_words(text, line_start, at, names)
            )
        ):
            continue
        if found == ";" and line.count("(") > line.count(")"):
            # `(Giao X chủ trì, phối hợp với A; B và các cơ quan liên quan tham mưu)`: a
            # parenthesis is one assignment, its semicolons list bodies (§3 lead, coordinate).
            continue
        out.append((pos, at))
        pos = start + m.end()
    out.append((pos, end))
    return out


_BEFORE_NAME = frozenset(lexicon.words("name_prepositions"))
# A clause break that opens with a blank line (spaces on it or not).
_BLANK_FIRST = re.compile(r"\n[ \t]*\n")


def _ends_main_clause(text: str, clause: tuple[int, int]) -> bool:
    """`clause` is a main clause of some words that a later one of the same sentence follows
    (closed by `;` or `, đồng thời`), not a title line or a topic above the sentence."""
    cs, ce = clause
    closed = text.startswith((";", ","), ce)
    return closed and len(text[cs:ce].split()) >= 4 and not _TOPIC_LINE.match(text[cs:ce])


def _opens_subject(text: str, at: int, named_at: frozenset[int]) -> bool:
    """The line at `at` opens with the sentence's subject: a named body, or the letter's
    request naming the body asked (`Đề nghị Ủy ban Mặt trận …`, `Giao Sở X …`; §3 lead:
    the body a request names acts). A title line above it ends there whether a blank line
    follows the title or not: the blank is layout (the same letter printed without it)."""
    if at in named_at:
        return True
    ask = _ASKS.match(text, at)
    return ask is not None and ask.end() in named_at


def _runs_on(line: str) -> bool:
    """A line that stops on a comma or a preposition (`đăng ký với`, `các tỉnh X,`)
    ends no heading and no sentence: the sentence runs on past a blank line after it (the
    blank is layout, the same sentence printed without it reads the same; §3 rule 1)."""
    t = line.rstrip()
    if t.endswith(","):
        return True
    last = t.rsplit(maxsplit=1)[-1].lower() if t else ""
    return last in _BEFORE_NAME


def _title_line(text: str, first: bool, line: str) -> bool:
    """An item's title on its own short line (`3. Phát động phong trào đọc sách`) above the
    sentence whose subject opens the next line (§3 lead: the item's own subject); a line
    wrapped inside a sentence runs nearly the page's width."""
    t = line.strip(" \t*_")
    last = t.rsplit(maxsplit=1)[-1].lower() if t else ""
    # `Phối hợp chặt chẽ với` ↵ `Ban X …`: after a preposition the name is its object.
    return first and 0 < len(t) < 70 and t[-1].isalnum() and last not in _BEFORE_NAME


def _receives_report(text: str, line: str, at: int, names: tuple[tuple[int, int], ...]) -> bool:
    """`Tổng hợp kết quả, báo cáo` / `Ủy ban nhân dân tỉnh và Bộ X trước ngày …`: the line
    ends on a word of reporting and the bodies that open the next line have no predicate of
    their own (a time, a purpose or the sentence's end follows them): they receive the report,
    the line above is no title over their sentence (§3 lead: agencies that receive a report
    are neither lead nor coordinate)."""
    if not _REPORT.search(line.rstrip(" \t*_")):
        return False
    end = at
    while (nxt := next((e for s, e in names if s == end), None)) is not None:
        end = nxt
        joiner = _NAME_JOINER.match(text, end)
        if joiner is None or not any(s == joiner.end() for s, _ in names):
            break
        end = joiner.end()
    return end > at and _NO_PREDICATE.match(text, end) is not None


def _subject_then_words(
    text: str, line_start: int, line_end: int, names: tuple[tuple[int, int], ...]
) -> bool:
    """`Sở X tham mưu` / `Ủy ban nhân dân tỉnh ban hành …`: the line opens with a body
    and goes on past it, so it is a sentence that a hard wrap cut, not a title over the next
    line (a title is a topic, `Kiểm tra của Sở X`, or the actor alone, `1. Sở X`); the
    body that opens the next line is an object of its verb (§3 lead: the sentence's own
    subject leads)."""
    on_line = [(s, e) for s, e in names if line_start <= s and e <= line_end]
    if not on_line or text[line_start : on_line[0][0]].strip(" \t*_"):
        return False
    # After its last body: `1. Sở X, Sở Y` names actors only.
    return re.search(r"[^\W\d_]", text[max(e for _, e in on_line) : line_end]) is not None


# `, ` or ` và ` between two bodies of one list.
_NAME_JOINER = re.compile(r"\s*(?:,|và)\s*")
# What follows bodies that are no subject: a time (`trước ngày`), a purpose (`để`), the way
# (`qua`), a bracket, or the sentence's end.
_NO_PREDICATE = re.compile(
    rf"\s*(?:[.;]|\(|$|(?:{lexicon.literal('time_prepositions')}|để|qua)\b)", re.I
)


# `Về hạ tầng số` on its own line above the paragraph that says who does what (§3 lead).
_TOPIC_LINE = re.compile(r"^\s*(?:về|đối với)\s[^.;:]*$", re.I)


# `tỉnh`, `thành phố` alone (no name after them, in capitals) before a lower-case predicate.
_PROVINCE_LEVEL = lexicon.literal("level_words", "province")
_PROVINCE_ALONE = re.compile(rf"(?:{_PROVINCE_LEVEL})\s+(?-i:[a-zđà-ỹ])", re.I)


# `phối hợp chặt chẽ với Tỉnh`, `phối hợp với Quý Cơ quan`: the reader as the object. The level
# alone names the reader capitalised, as a name (`Tỉnh`); in lower case it is any province of
# that level (`phối hợp với tỉnh bạn …`, `tỉnh lân cận`), no reader.
_READER_LEVELS = tuple(w[:1].upper() + w[1:] for w in lexicon.selected("level_words", "province"))
_READER_LEVEL = "|".join(map(re.escape, _READER_LEVELS))
_COORD_READER = re.compile(
    rf"\b(?:{_COORD_WORDS})\s+(?=(?-i:{_READER_LEVEL})\s+(?-i:[a-zđà-ỹ])|quý\s)", re.I
)


def _may_name_reader(text: str, start: int, end: int) -> bool:
    """What `_COORD_READER`'s look-ahead needs is inside the span (it cannot look past `end`):
    a level word as printed, or `quý` in any case. A span with none is not scanned (issue 16:
    the case-blind coordinate words were tried at every position of every clause)."""
    span = text[start:end]
    return "quý" in span.lower() or any(w in span for w in _READER_LEVELS)


def _readers_coordinating(
    text: str, start: int, end: int, mentions: list[Agency], recipients: list[Agency]
) -> list[Agency]:
    """The recipients when the letter names its reader as the object of `phối hợp` (`Tỉnh`
    in a letter to one province's committee, `Quý Cơ quan`): §3 coordinate, with the reader
    read as §3 lead reads it (the text addresses the reader)."""
    out: list[Agency] = []
    if not _may_name_reader(text, start, end):
        return out
    for m in _COORD_READER.finditer(text, start, end):
        if _PROVINCE_ALONE.match(text, m.end()) or _READER.match(text, m.end()):
            out.extend(_reader_run(text, m.end(), mentions, recipients) or [])
    return out


_COMMITTEE = _committee_of("province")


def _reader_run(
    text: str,
    pos: int,
    in_clause: list[Agency],
    recipients: list[Agency],
    *,
    asked: bool = False,
    issuer: str = "",
) -> list[Agency] | None:
    """`Quý Cơ quan`, `các đơn vị` at `pos` address the reader: the recipients
    (§3 lead), with any bodies listed after them. A registry name that runs on
    past the phrase (`các đơn vị sự nghiệp trực thuộc …`, `các đơn vị có liên
    quan`, `đơn vị chủ trì`) names bodies of its own. `asked`: `pos` follows a
    request (`đề nghị Trung tâm …`), where a body's head alone is the reader; else a head
    alone as the subject (`Sở chủ động …` in a letter to one Sở) is the one recipient of
    that head, unless the `issuer`'s name has that head (`Bộ sẽ tổng hợp …` is the issuer)."""
    province = _PROVINCE_ALONE.match(text, pos)
    if province is not None:
        # `Tỉnh chủ động …`, `đề nghị tỉnh …` in a letter sent to one province's committee:
        # that committee (§3 lead: the body the sentence names; §4 `Tỉnh … X` is its committee).
        committees = [r for r in recipients if r.code is None and _COMMITTEE.match(fold(r.name))]
        return committees if len(committees) == 1 else None
    m = _READER.match(text, pos)
    if m is None and recipients:
        kind = _readers_of_kind(text, pos, in_clause, recipients)
        if kind or asked:
            return kind or _readers_by_head(text, pos, in_clause, recipients)
        if _HEAD_TITLE.match(text, pos):
            return None  # `Cục trưởng các Cục X …`: a title, its body named after it
        one = _readers_by_head(text, pos, in_clause, recipients)
        if one is None or len(one) != 1 or fold(issuer).startswith(_head_of(one[0]) + " "):
            return None
        return one
    if m is None or not recipients:
        return None
    colon = _LIST_COLON.match(text, m.end())
    if colon is not None:
        # `Các đơn vị: Sở A, Sở B`: the words head a list of named bodies, each the actor
        # (§4: a distributive list names each one), not the reader.
        listed = _run_after(text, colon.end(), [a for a in in_clause if _sp(a)[0] >= colon.end()])
        if listed:
            return listed
    inside = [a for a in in_clause if _sp(a)[0] < m.end() < _sp(a)[1]]
    if inside and not text[m.start() : m.start() + 4].lower().startswith("quý"):
        return None  # `các đơn vị sự nghiệp trực thuộc …`: a name of its own
    if inside:
        # `Quý Bộ, ngành, địa phương`: the reader, whatever group the words also spell.
        rest = _run_after(
            text, _sp(inside[-1])[1], [a for a in in_clause if _sp(a)[0] >= _sp(inside[-1])[1]]
        )
        return list(recipients) + rest
    rest = _run_after(text, m.end(), [a for a in in_clause if _sp(a)[0] >= m.end()])
    return list(recipients) + rest


# `các bệnh viện`, `Giám đốc các Viện`: bodies named by their kind, plural (`data/lexicon/
# body_heads.tsv`), not a group the registry reads further (`các sở, ngành`).
_OF_KIND = re.compile(
    rf"(?:(?:{_HEAD_TITLES})\s+)?(?:các|những)\s+(?P<kind>{_LIST_KINDS})\b(?![\w \t,]{{0,30}}:)",
    re.I,
)


def _readers_of_kind(
    text: str, pos: int, in_clause: list[Agency], recipients: list[Agency]
) -> list[Agency] | None:
    """`Đề nghị các bệnh viện …` in a letter sent to named hospitals (`Kính gửi: Bệnh viện A;
    Bệnh viện B`) or to `Các bệnh viện trực thuộc Bộ`: the text addresses the reader by the
    kind of body it is, so the actors are those recipients (§3 lead), with any bodies listed
    after them; not when the words pick some of them (`các bệnh viện còn lại`)."""
    m = _OF_KIND.match(text, pos)
    if m is None or _SOME_OF_THEM.match(re.sub(r"^\s*(?:co\s+)?", "", fold(text[m.end() :][:20]))):
        return None
    covering = [a for a in in_clause if _sp(a)[0] < m.end() and _sp(a)[1] > m.start("kind")]
    if any(_sp(a)[1] > m.end() or a.code not in {None, _LIEN_QUAN} for a in covering):
        return None  # `các sở, ngành …`, `các Bộ`: a name or a group the registry reads
    kind = " ".join(fold(m.group("kind")).split())
    named = [r for r in recipients if r.code is None and fold(r.name).startswith(kind + " ")]
    grouped = [r for r in recipients if r.code is not None and f"cac {kind}" in fold(r.raw)]
    same = grouped + named if grouped or len(named) >= 2 else []
    if kind == "co quan" and not same and all(r.code is None for r in recipients):
        same = list(recipients)  # `đề nghị các cơ quan …` in a letter to named bodies
    if not same:
        return None
    rest = _run_after(text, m.end(), [a for a in in_clause if _sp(a)[0] >= m.end()])
    return same + rest


# `Trung tâm`, `Cục`, `Công ty` alone, capitalised, no name after it (`data/lexicon/body_heads.tsv`).
_HEAD_ALONE = re.compile(
    rf"(?=[A-ZĐÀ-Ỹ])(?P<head>{_LIST_KINDS})\b(?=\s+(?-i:[a-zđà-ỹ])|\s*[,;.:])", re.I
)


# A head word that opens a title (`Cục trưởng`, `Vụ phó`): the official, whose body follows.
_HEAD_TITLE = re.compile(r"\w+\s+(?:trưởng|phó)\b", re.I)


def _head_of(a: Agency) -> str:
    """The first word of a body's name, folded (`sở` of `Sở X`)."""
    return fold(a.name).split(" ", 1)[0]


def _readers_by_head(
    text: str, pos: int, in_clause: list[Agency], recipients: list[Agency]
) -> list[Agency] | None:
    """`Bộ X đề nghị Trung tâm …`, `giao Cục …`, `đề nghị Công ty …` in a letter sent to
    `Trung tâm X`, `Cục Y`, `Công ty Z`: the body asked by its head alone is the reader, the
    recipients of that head (§3 lead: the text addresses the reader), with any bodies listed
    after them; not a name the registry reads (`Cục X`)."""
    m = _HEAD_ALONE.match(text, pos)
    if m is None or any(_sp(a)[0] <= pos < _sp(a)[1] for a in in_clause):
        return None
    head = " ".join(fold(m.group("head")).split())
    same = [r for r in recipients if r.code is None and fold(r.name).startswith(head + " ")]
    if not same:
        return None
    return same + _run_after(text, m.end(), [a for a in in_clause if _sp(a)[0] >= m.end()])


# An actor defined by its role (`cơ quan chủ trì giải quyết thủ tục`, `các cơ quan được
# giao chủ trì`, `cơ quan phối hợp`) is every body the letter assigns that role to,
# anywhere; `@lien-quan` when none (§3 coordinate): `data/lexicon/role_actors.tsv`.
_ROLES = {" ".join(r["phrase"].split()): r["role"] for r in lexicon.rows("role_actors")}
_ROLE = re.compile(
    rf"\b(?P<plural>(?:các|những|quý)\s+)?(?P<phrase>{lexicon.phrases_alternation(_ROLES)})\b"
    # not a label (`Cơ quan chủ trì thực hiện: …`), not a cell ending its line
    r"(?![^:\n]{0,30}:)(?![ \t]*(?:\n|\||$))",
    re.I,
)
# The last two words of every role phrase (`chủ trì`, `phối hợp`): a span where none stands
# holds no role phrase, and `_ROLE` (which, case-blind, is tried at every position) is not run
# over it.
_ROLE_TAIL_WORDS = re.compile(
    lexicon.phrases_alternation({" ".join(p.split()[-2:]) for p in _ROLES}), re.I
)
# The same, case-sensitive, over the lowered letter (its words are in lower case): `re.I` reads a
# Vietnamese letter as every character that lowers to it and the odd ones of `may_hold`, so
# where `str.lower` keeps the length and no odd letter is printed, both find the same starts.
_ROLE_TAIL_LOWER = re.compile(_ROLE_TAIL_WORDS.pattern)
assert _ROLE_TAIL_WORDS.pattern == _ROLE_TAIL_WORDS.pattern.lower()
_ROLE_TAILS_READ = PerText()


def _role_tail_starts(text: str) -> list[int]:
    """Where the last words of a role phrase start in `text` (`_ROLE_TAIL_WORDS`)."""
    low = text.lower()
    if len(low) == len(text) and not may_hold(low):  # `may_hold` of no word: an odd letter
        return [m.start() for m in _ROLE_TAIL_LOWER.finditer(low)]
    return [m.start() for m in _ROLE_TAIL_WORDS.finditer(text)]


def _may_hold_role(text: str, start: int, end: int) -> bool:
    """Whether a role phrase may stand in `text[start:end]`: where the last words of one
    start there (found once per letter, looked up by bisection)."""
    read = _ROLE_TAILS_READ.of(text)
    if "at" not in read:
        read["at"] = _role_tail_starts(text)
    at: list[int] = read["at"]
    k = bisect_left(at, start)
    return k < len(at) and at[k] < end


# `Các cơ quan phối hợp thực hiện`, `cơ quan phối hợp với Sở X`: the verb, not the role.
_VERB_READING = re.compile(r"\s*(?:,\s*)?(?:với|chặt chẽ|cùng)\b", re.I)
# `Các cơ quan phối hợp có trách nhiệm …`: a duty of the role follows, so a plural names
# the role, not bodies that do the coordinating (§3 coordinate, role-defined actors).
_ROLE_DUTY = re.compile(r"\s*(?:có|chịu)\s+trách nhiệm\b", re.I)
# `X chủ trì`, `X là cơ quan chủ trì`: X is given the lead role.
# `X chủ trì, Y phối hợp`, also `X thực hiện, Y phối hợp` (§6 Coordinate wording).
_GIVEN_LEAD = re.compile(r"\bchủ trì\b|\bthực hiện\s*[,;]", re.I)
_BEFORE_ROLE = re.compile(
    r"^\s*(?:,\s*|\(\s*)?(?:(?:là|làm)\s+)?(?:(?:các\s+)?(?:cơ quan|đơn vị)\s+)?$", re.I
)
# A role phrase right after `là`/`làm` or in brackets after a body defines the role
# (`Sở X là cơ quan chủ trì`, `Sở Y (cơ quan chủ trì)`).
_DEFINES = re.compile(r"(?:\b(?:là|làm)\s+|\(\s*)$", re.I)
LIEN_QUAN = _LIEN_QUAN = "@lien-quan"


def _role_key(phrase: str) -> str:
    return " ".join(re.findall(r"\w+|,", phrase.lower()))


def _run_before(text: str, pos: int, mentions: list[Agency]) -> list[Agency]:
    """The list of agencies that ends right before `pos` (gaps of `_GAP` inside)."""
    run: list[Agency] = []
    cursor = pos
    for a in reversed(mentions):
        s, e = _sp(a)
        if e > cursor:
            continue
        gap = text[e:cursor]
        if not (_joins_list(gap) if run else _BEFORE_ROLE.match(gap)):
            break
        run.insert(0, a)
        cursor = s
    return run


def _next_words(text: str, pos: int, n: int = 2) -> tuple[str, ...]:
    return tuple(fold(w) for w in re.findall(r"\w+", text[pos : pos + 60])[:n])


@lru_cache(maxsize=64)
def _role_bodies(
    text: str, role: str, qualifier: tuple[str, ...], find: FindAgencies
) -> tuple[Agency, ...]:
    """The bodies the letter assigns `role` (lead or coordinate) to: `X chủ trì`,
    `phối hợp với X`, a labelled line (`Cơ quan chủ trì: X`). A definition (`X là
    cơ quan chủ trì`, `Sở X (cơ quan chủ trì)`) names the role's bodies
    itself and wins. The words after a lead role (`cơ quan chủ trì giải quyết thủ
    tục`) keep the bodies given that very work, where some are."""
    word = "chủ trì" if role == "lead" else "phối hợp"
    defined: list[Agency] = []
    found: list[tuple[Agency, tuple[str, ...]]] = []
    for m in re.finditer(rf"\b{word}\b", text, re.I):
        before = [a for a in find(text, max(0, m.start() - 300), m.start()) if a.span]
        run = _run_before(text, m.start(), before)
        if not run:
            continue
        if _ROLE_TAIL.search(text[_sp(run[-1])[1] : m.start()]):
            defined.extend(run)  # `X là cơ quan chủ trì`, `X (cơ quan phối hợp)`
        elif role == "lead":
            found.extend((a, _next_words(text, m.end())) for a in run)
    if defined:
        return tuple(unique_agencies(defined))
    if role != "lead":
        for m in _COORD_ANY.finditer(text):
            if _ROLE_TAIL.search(text[max(0, m.start() - 40) : m.start()]):
                continue  # the role phrase itself (`cơ quan phối hợp`)
            after = [a for a in find(text, m.end(), min(len(text), m.end() + 300)) if a.span]
            found.extend((a, ()) for a in _run_after(text, m.end(), after))
    for m in _LABEL.finditer(text):
        if word not in m.group("label").lower():
            continue
        line_end = text.find("\n", m.end())
        found.extend((a, ()) for a in find(text, m.end(), line_end if line_end >= 0 else len(text)))
    # `Các cơ quan chủ trì nhiệm vụ`: the role phrase itself reads as `các cơ quan` + `chủ trì`.
    own = [a for a, words in found if qualifier and words == qualifier and a.code != _LIEN_QUAN]
    return tuple(unique_agencies(own or [a for a, _ in found if a.code != _LIEN_QUAN]))


def unassigned_role(a: Agency) -> str | None:
    """The role (`lead`, `coordinate`) of an actor named by its role to which no running text
    gives a body (`Các cơ quan chủ trì …` read as `@lien-quan`), else None."""
    if a.code != _LIEN_QUAN:
        return None
    m = _ROLE_RAW.fullmatch(a.raw.strip())
    return _ROLES.get(_role_key(m.group("phrase")), "lead") if m else None


_ROLE_RAW = re.compile(
    rf"(?:(?:các|những|quý)\s+)?(?P<phrase>{lexicon.phrases_alternation(_ROLES)})", re.I
)


# `Các cơ quan chủ trì nhiệm vụ … báo cáo …`: the role, qualified by the tasks it leads.
_OF_TASKS = re.compile(r"\s+(?:các\s+)?nhiệm vụ\b", re.I)
_ROLE_TAIL = re.compile(r"(?:cơ quan|đơn vị)(?:\s+được (?:giao|phân công))?\s*$", re.I)


def _role_mentions(
    text: str, start: int, end: int, find: FindAgencies, mentions: list[Agency]
) -> list[Agency]:
    """Each role phrase in `text[start:end]` as the bodies given that role, at its span.
    A phrase inside a label (`Cơ quan chủ trì thực hiện: …`), in a table's header row,
    or inside a group the registry reads (`các sở, ngành, cơ quan, đơn vị phối hợp …`)
    is none."""
    out: list[Agency] = []
    if not _may_hold_role(text, start, end):
        return out
    for m in _ROLE.finditer(text, start, end):
        if any(_sp(a)[0] < m.start() < _sp(a)[1] for a in mentions):
            continue
        if cell_role(text[m.end() : m.end() + 40].split("\n", 1)[0]) not in {None, "", "content"}:
            continue  # `Cơ quan chủ trì Cơ quan phối hợp Thời gian`: a table's header row
        if _DEFINES.search(text[max(0, m.start() - 10) : m.start()]):
            continue  # `Sở X là cơ quan chủ trì`: a definition, not an actor
        phrase = m.group("phrase")
        assigned = re.search(r"được\s+(?:giao|phân công)", phrase, re.I) is not None
        of_tasks = bool(_OF_TASKS.match(text, m.end()))
        duty = bool(_ROLE_DUTY.match(text, m.end()))
        if not assigned and (
            (m.group("plural") and not of_tasks and not duty) or _VERB_READING.match(text, m.end())
        ):
            # A plural subject, the reader (`Quý cơ quan chủ trì, phối hợp …`) or `với`
            # after it reads `chủ trì`/`phối hợp` as the verb of bodies named otherwise;
            # only `được giao` makes it a role there.
            continue
        role = _ROLES.get(_role_key(phrase), "lead")
        qualifier = () if assigned else _next_words(text, m.end())
        bodies = _role_bodies(text, role, qualifier, find)
        if not bodies:
            bodies = (Agency(name=_LIEN_QUAN, code=_LIEN_QUAN, raw=m.group(), span=m.span()),)
        out.extend(a.model_copy(update={"raw": m.group(), "span": m.span()}) for a in bodies)
    return out


class _Overlapping:
    """The mentions that overlap `[cs, ce)`, in their order: found by bisecting their
    starts, so that a long item's many clauses do not each read every mention (a
    filter per clause was quadratic in the item's length)."""

    def __init__(self, mentions: list[Agency]) -> None:
        self.mentions = mentions
        self.by_start = sorted((_sp(a)[0], i) for i, a in enumerate(mentions))
        self.longest = max((_sp(a)[1] - _sp(a)[0] for a in mentions), default=0)

    def __call__(self, cs: int, ce: int) -> list[Agency]:
        lo = bisect_left(self.by_start, (cs - self.longest, -1))
        hi = bisect_left(self.by_start, (ce, -1))
        found = sorted(i for _, i in self.by_start[lo:hi] if _sp(self.mentions[i])[1] >= cs)
        return [self.mentions[i] for i in found]


def _searched(pattern: re.Pattern[str], s: str, *words: str) -> re.Match[str] | None:
    """`pattern.search(s)` for a case-blind pattern that matches only where one of `words` is
    printed: not tried where none is (`may_hold`), a pattern being tried at every position."""
    return pattern.search(s) if may_hold(s.lower(), *words) else None


# `giao` and what may stand between it and the body it gives work to.
_GIVES = re.compile(r"\s*giao\s*$", re.I)
_FOR = re.compile(r"\s*(?:cho\s+)?", re.I)


def _allots(text: str, at: int, end: int, mentions: list[Agency], verb: str) -> bool:
    """`Các sở, ban, ngành … giao chi tiết kế hoạch vốn cho các dự án`: `giao` followed by what
    is given, not by a body, is the subject's own work of allotting, which the subject does;
    only `giao (cho) <body>` hands work to another (§3 lead: the subject of the sentence)."""
    if not _GIVES.match(verb) or _introduces_list(text[at:end]):
        return False
    after = _FOR.match(text, at, end)
    pos = after.end() if after else at
    return not _run_after(text, pos, [a for a in mentions if _sp(a)[0] >= pos])


def _short_adverbial_comma(text: str, pos: int, end: int, width: int = 50) -> int:
    """The comma that closes a short adverbial opening at `pos` (`Định kỳ hằng quý, Sở X …`),
    or -1. What a bracket adds is not counted in its length: `Định kỳ 6 tháng (trước ngày 15/6)
    và hằng năm (trước ngày 15/12), các sở, ban, ngành báo cáo …` is short once its dates are
    left out (§3 lead: the subject of the sentence)."""
    depth = length = 0
    for i in range(pos, end):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        elif depth == 0:
            if ch == ",":
                return i
            length += 1
            if length >= width:
                break
    return -1


def clause_actors(
    text: str,
    start: int,
    end: int,
    find: FindAgencies,
    *,
    recipients: list[Agency],
    aliases: tuple[str, ...] = (),
    voiced: bool = False,
    issuer: str = "",
) -> Actors:
    """Who does the work of `text[start:end]`. `voiced`: the text's unnamed subject is a named
    body (the lead-in's actor, `4. Các Bộ, cơ quan … khẩn trương:` over `c) Yêu cầu …`), so a
    request it opens with is that body's, not the letter's (`_asked_by_subject`). `issuer`: the
    letter's issuer, whose head word alone as a subject is itself, not a reader (`_reader_run`)."""
    actors, _ = voiced_clause_actors(
        text, start, end, find, recipients=recipients, aliases=aliases, voiced=voiced, issuer=issuer
    )
    return actors


def voiced_clause_actors(
    text: str,
    start: int,
    end: int,
    find: FindAgencies,
    *,
    recipients: list[Agency],
    aliases: tuple[str, ...] = (),
    voiced: bool = False,
    issuer: str = "",
) -> tuple[Actors, bool]:
    """`clause_actors`, and whether `voiced` could change it: only where a clause opens with a
    request (`_opens_with_request`). When none does, the other `voiced` gives the same actors,
    so a caller that asks for both reads the text once (issue 16)."""
    mentions = [a for a in find(text, start, end) if a.span is not None]
    # Agencies named only as a role (`cơ quan thường trực X`) are not actors.
    mentions = [
        a
        for a in mentions
        if not _searched(_APPOSITION, text[max(start, _sp(a)[0] - 30) : _sp(a)[0]], "thường trực")
    ]
    mentions = drop_sections(text, _drop_distributive_tails(text, mentions))
    mentions = _drop_list_heads(text, _drop_organs_of_collectives(text, mentions))
    roles = _role_mentions(text, start, end, find, mentions)
    role_ids = {id(r) for r in roles}
    if roles:
        taken = [_sp(r) for r in roles]
        mentions = sorted(
            [a for a in mentions if not any(s < _sp(a)[1] and _sp(a)[0] < e for s, e in taken)]
            + roles,
            key=lambda a: _sp(a)[0],
        )
    lead: list[Agency] = []
    coordinate: list[Agency] = []
    report_to: list[Agency] = []
    heading: list[Agency] = []
    named = False
    listed: list[Agency] = []
    reader_asked = False
    within = _Overlapping(mentions)
    # Whether the clause's unnamed subject is a named body: the lead-in's (`voiced`), or the
    # subject of the clause before it in the same sentence (`Bộ X nghiên cứu …; đồng thời yêu
    # cầu các cấp …`).
    asker = voiced
    voice_read = False
    attending = -1  # where the line of an attendee label ends
    clauses = _clauses(
        text, start, end, frozenset(_sp(a)[0] for a in mentions), tuple(map(_sp, mentions))
    )
    # Whether an actor was named before each clause (and after the last): `acted[i]`.
    acted: list[bool] = []
    for cs, ce in clauses:
        acted.append(bool(named or heading or lead))
        if not _same_sentence(text, start, cs):
            asker = voiced
        seg = text[cs:ce]
        asking = may_hold(seg.lower(), *_ASK_WORDS)  # whether `_ASKS` may find a request
        opener = _OPENERS.match(seg)
        subj_at = cs + (opener.end() if opener else len(seg) - len(seg.lstrip()))
        in_clause = within(cs, ce)
        if role_ids:
            # A role is an actor where it is the subject or the one asked (§3 lead).
            asks = {cs + m.end() for m in _ASKS.finditer(seg)} if asking else set()
            in_clause = [
                a for a in in_clause if id(a) not in role_ids or _sp(a)[0] in asks | {subj_at}
            ]
        # Tested whatever `asker` is: its answer tells whether `voiced` is read at all.
        opens_with_request = _opens_with_request(text, opener, subj_at)
        voice_read = voice_read or opens_with_request
        if asker and opens_with_request:
            listed = []
            continue  # the named subject asks: `_opens_with_request`
        if (label := _ATTENDEES.match(seg)) or cs < attending:
            # `- Thành phần: lãnh đạo các sở, ngành; Chủ tịch …`: they attend, to the line's end;
            # the work is not theirs.
            attending = max(attending, _line_end(text, cs + label.end()) if label else -1)
            continue
        reader = _reader_run(text, subj_at, in_clause, recipients, issuer=issuer)
        if reader:
            lead.extend(reader)
            named = True
            continue
        fronted = _fronted().match(text, cs + len(seg) - len(seg.lstrip()), ce)
        if fronted is None and opener and opener.group("topic"):
            # `Về dự án …: với vai trò là chủ đầu tư, Tập đoàn X …`: the adverbial fronted
            # after the item's topic; its subject follows the comma (§3 lead: the subject).
            fronted = _fronted().match(text, subj_at, ce)
        # A request inside an adverbial citing a document is that document's (`cites`).
        cited = fronted is not None and (
            _cites().match(text, fronted.start(), ce) is not None
            or _cites_by_number(text, fronted.end(), ce)
        )
        run = _after_adverbial(text, fronted.end(), ce, in_clause, cited=cited) if fronted else []
        adverbial_end = _sp(run[0])[0] if run and cited else None
        # A fronted adverbial closed by its comma and followed by no subject: the bodies in it
        # are not the subject (`Trên cơ sở đề xuất của các sở, ngành, chủ trì …`; §3 lead).
        end_of = min(ce, fronted.end() + 250) if fronted else ce
        closed = fronted is not None and text.find(",", fronted.end(), end_of) >= 0
        if not run and not closed:
            run = _run_after(text, subj_at, in_clause)
        if not run and not closed:
            # `Định kỳ hoặc đột xuất, Bộ X sẽ …`: a short adverbial first.
            comma = _short_adverbial_comma(text, subj_at, ce)
            # A role named in the adverbial (`Sau khi có ý kiến của cơ quan phối hợp, …`)
            # is no subject before the comma.
            named_before = [a for a in in_clause if id(a) not in role_ids]
            if comma > 0 and not any(subj_at <= _sp(a)[0] < comma for a in named_before):
                run = _run_after(text, comma + 1, in_clause)
        passive = None if run else _PASSIVE_GIVEN.match(text, subj_at, ce)
        if passive:
            # `Nhiệm vụ được giao cho Sở X … phải hoàn thành`: the body a passive
            # `được giao (cho)` names is the one that must do the work (§3 lead).
            run = _run_after(
                text, passive.end(), [a for a in in_clause if _sp(a)[0] >= passive.end()]
            )
        after = text[_sp(run[-1])[1] : ce] if run else ""
        organ_field = _ORGAN_FIELD.match(after) and _ORGAN.search(text[subj_at : _sp(run[0])[0]])
        if (
            run
            and _NOT_PREDICATE.match(after)
            and not organ_field
            and not passive
            and not _OF_OWN_LEVEL.match(after)
        ):
            run = []  # `Văn phòng X của Y …`, `Ban chỉ đạo tại …`: a noun phrase, not a subject
        if (
            run
            and run[-1].span is not None
            and (sp := _SPEAKER.match(text[run[-1].span[1] : ce]))
            and (
                not _OWN_ACT.match(sp.group(0))
                or _introduces_list(text[run[-1].span[1] : ce])
                or _PAST_SAYING.match(sp.group(0))
            )
            and not _allots(text, run[-1].span[1] + sp.end(), ce, in_clause, sp.group(0))
        ):
            run = []  # `X có ý kiến như sau:`, `X yêu cầu:`: X speaks, the object acts
        if run and transmits().match(text, _sp(run[-1])[1], ce):
            run = []  # `Ủy ban nhân dân tỉnh sao gửi Công văn số …`: the letter's act (§3 lead)
        if run and _appraising().match(text, _sp(run[-1])[1], ce):
            run = []  # `Chủ tịch Ủy ban nhân dân tỉnh ghi nhận, biểu dương …`: X appraises (rule 3)
        subject = run
        # `X đề nghị Y …`: Y is the actor, X only asks. A request named in the
        # topic (`Về đề nghị Bộ Y chỉ đạo …: giao Bộ X …`) is what the item
        # answers; the answer after the colon says who acts (§3 lead), the
        # request itself only when the answer names no one.
        topic = opener.end("topic") - opener.start() if opener and opener.group("topic") else 0
        requests = [
            m
            for m in (_ASKS.finditer(seg) if asking else ())
            if not (cited and _NOMINAL_REQUEST.search(seg, 0, m.start()))
        ]
        if adverbial_end is not None:
            # `Thực hiện Công văn số … của Bộ X đề nghị các địa phương …, Ủy ban nhân dân tỉnh
            # giao Sở Y …`: a request inside the fronted adverbial is the cited document's; the
            # subject after it asks (§3 lead: the subject of the sentence).
            requests = [m for m in requests if cs + m.start() >= adverbial_end]
        if topic:
            answer = [m for m in requests if m.end() > topic]
            requests = answer + ([m for m in requests if m.end() <= topic] if not run else [])
        for m in requests:
            if (run and _OWN_WORK.search(text, _sp(run[-1])[1], cs + m.start())) or (
                not run and _embedded_request(text, subj_at, cs + m.start(), m.group())
            ):
                # `Sở X tổng hợp nhu cầu, đề nghị Bộ Y bổ sung …`, `lập hồ sơ đề nghị Y …`: the
                # request is part of the subject's own work; the subject leads (§3 lead: the
                # subject of the sentence; bodies only asked to receive or decide are not lead).
                break
            at = cs + m.end()
            # A request in the topic asks the bodies the topic names, not those after its colon.
            until = cs + topic if m.end() <= topic else ce
            asked = _reader_run(text, at, in_clause, recipients, asked=True) or _run_after(
                text, at, [a for a in in_clause if at <= _sp(a)[0] < until]
            )
            if asked:
                run = asked
                break
            if _BARE_REQUEST.match(text, at, ce):
                reader_asked = True  # `Đề nghị kiểm tra …`: no one named, the reader is asked
        if not run and _introduces_list(seg):
            # `Bộ hướng dẫn Sở X … như sau:`, `Bộ thông báo để Quý Cơ quan biết, thực hiện các
            # nội dung sau:`: the bodies guided or told do the work (§3 lead; the closing
            # formula `thông báo để X … biết, thực hiện` names the actor).
            for m in _GUIDED.finditer(seg):
                at = cs + m.end()
                run = _reader_run(text, at, in_clause, recipients) or _run_after(
                    text, at, [a for a in in_clause if _sp(a)[0] >= at]
                )
                if run:
                    break
        if run:
            asker = run is subject
        if run and names_only(text, cs, ce, run):
            # An actor heading (`2. Sở A, Sở B` above its paragraph): its bodies
            # act unless the paragraph names its own subject (§3 lead).
            heading.extend(run)
            named = True
            # `Thủ trưởng các sở, ban, ngành; Chủ tịch UBND các xã chỉ đạo …`: bodies listed
            # up to a `;` share the subject of the clause after it, however many `;` the list
            # holds (`Sở A; Sở B; Sở C rà soát …`).
            listed = listed + run if text.startswith(";", ce) else []
            continue
        if run:
            more = _comma_subjects(text, _sp(run[-1])[1], ce, in_clause) if run is subject else []
            lead.extend(listed + run + more)
            named = True
        elif _SELF.match(seg):
            named = True  # the issuer itself (`Bộ sẽ tổng kết …`): lead filled by the caller
        listed = []
    acted.append(bool(named or heading or lead))
    # The first clause names no actor, a later one of its sentence does (`Hoàn thiện …; trên
    # cơ sở đó, Ủy ban nhân dân các xã …`).
    naming = next((i for i in range(len(clauses)) if acted[i + 1]), 0)
    bare_first = (
        naming > 0
        and all(_same_sentence(text, start, cs) for cs, _ in clauses[1 : naming + 1])
        and _ends_main_clause(text, clauses[0])
    )
    coordinating: set[int] = set()
    for a in mentions:
        at = _sp(a)[0]
        before = text[max(start, at - 40) : at]
        near = may_hold(before.lower(), *_COORD_FIRST)  # a coordinate word before the mention
        if (
            (near and _COORD.search(before))
            or _coordinates_past_public(text, max(start, at - 100), at)
            or (
                _distributed(a)
                and _searched(_COORD_LIST, text[max(start, at - 80) : at], *_COORD_FIRST)
            )
            or (near and a.code is not None and _COORD_ORGAN.search(before))
        ):
            partners = _without_list_heads(
                text, _run_after(text, at, [m for m in mentions if _sp(m)[0] >= at])
            )
            coordinate.extend(partners)
            # A mention that is an object of `phối hợp với` is not also a subject (`phối hợp
            # với: Sở A; Sở B; UBND các xã triển khai …`, where `;` would open a clause).
            coordinating.update(id(b) for b in partners)
        elif _COORDINATES_THEN.match(text, _sp(a)[1], end) and (
            _GIVEN_LEAD.search(text, start, _sp(a)[0])
            or _led_before(text, start, a, lead, mentions)
        ):
            # `Sở A chủ trì, Sở B phối hợp thực hiện`: the body given the coordinating part
            # beside the one given the lead (§3 coordinate; §6 Coordinate wording); with the
            # list it closes (`Sở A chủ trì; Sở B, Sở C phối hợp`), and none of it leads.
            given = _list_ending_at(text, a, mentions)
            coordinate.extend(given)
            coordinating.update(id(b) for b in given)
        elif _searched(_REPORT, before, *_REPORT_WORDS):
            report_to.extend(_run_after(text, at, [m for m in mentions if _sp(m)[0] >= at]))
    coordinate.extend(_readers_coordinating(text, start, end, mentions, recipients))
    for a in mentions:
        mark = _MARKED_LEAD.match(text, _sp(a)[1], end)
        if mark is not None and id(a) not in coordinating and text.startswith(",", mark.end()):
            # `Sở A (chủ trì), Sở B, Sở C`: only the lead is marked, the
            # bodies listed after it have the coordinating part (§6 Coordinate wording).
            later = [m for m in mentions if _sp(m)[0] > mark.end()]
            others = _run_after(text, mark.end() + 1, later)
            coordinate.extend(b for b in others if id(b) not in coordinating)
            coordinating.update(id(b) for b in others)
    if not named and not heading:
        lead.extend(given := _lead_given_after_work(text, mentions, coordinating))
        named = bool(given)
    lead = [a for a in lead if id(a) not in coordinating]
    by_role = bool(lead or heading) and all(id(a) in role_ids for a in lead or heading)
    short = _short_names(text, find)
    lead = [
        _expanded(_as_recipient(a, recipients), short)
        for a in _as_readers(lead or heading, recipients)
    ]
    coordinate = [_expanded(a, short) for a in coordinate]
    terms = _defined_terms(text, find)
    lead = _by_definition(text, start, end, lead, terms)
    coordinate = _by_definition(text, start, end, coordinate, terms)
    if aliases and recipients:
        # `Thủ trưởng các đơn vị` where the letter named its recipients `các đơn vị`.
        expanded: list[Agency] = []
        for a in lead:
            if any(a.raw.lower().endswith(alias) for alias in aliases):
                expanded.extend(recipients)
            else:
                expanded.append(a)
        lead = expanded
    lead_keys = {a.code or a.name for a in lead}
    actors = Actors(
        lead=unique_agencies(lead),
        coordinate=unique_agencies(coordinate),
        report_to=[a for a in unique_agencies(report_to) if (a.code or a.name) not in lead_keys],
        lead_named=named,
        lead_by_role=by_role,
        bare_first=bare_first,
        reader_asked=reader_asked,
        own_time_of=(text, start, end),
    )
    return actors, voice_read


def _names_own_time(text: str, start: int, end: int) -> bool:
    """`text[start:end]` names a time of its own (`Actors.own_time`)."""
    return any(
        t.kind not in {"urgency", "vague", "start"}
        # an event-relative time is the item's own too (§6 Heading times): `trong 30
        # ngày kể từ …` (anchor), `sau khi …`, `trước Tết` (event)
        and (t.is_due or t.kind in {"recurrence", "open_ended", "anchor", "event"})
        for t in find_times(text, start, end, doc_date=None)
    )


def _after(head: str) -> str:
    """The words a line label's head may take after it (`Thời gian` → `thực hiện`, …), as an
    alternation in file order (lexicon `label_complements`)."""
    return "|".join(map(re.escape, lexicon.selected("label_complements", "head", head)))


# The kinds of body a label names the doers by (`Cơ quan, đơn vị phối hợp:`): `body_kinds.tsv`.
_BODY_FIRST = lexicon.literal("body_kinds", "label", "first")
_BODY_MORE = lexicon.literal("body_kinds", "label_more")
_LABEL_NAME = (
    rf"(?P<label>(?:các\s+)?(?:{_BODY_FIRST})(?:\s*[,/]\s*(?:{_BODY_MORE})){{0,2}}\s+"
    rf"(?:{_after('cơ quan')})(?:\s+[^:\n]{{0,30}}?)?|"
    rf"trách nhiệm(?: (?:{_after('trách nhiệm')}))?|phân công(?: (?:{_after('phân công')}))?|"
    rf"chủ trì(?:\s+(?:{_after('chủ trì')}))?|phối hợp(?:\s+(?:{_after('phối hợp')}))?|"
    rf"thời gian(?:\s+(?:{_after('thời gian')}))?|thời hạn(?:\s+(?:{_after('thời hạn')}))?|"
    rf"tiến độ(?:\s+(?:{_after('tiến độ')}))?|thời điểm(?:\s+(?:{_after('thời điểm')}))?|"
    r"hạn chót|hạn hoàn thành|mốc thời gian)\s*:\s*"
)
# A label line (`- Cơ quan phối hợp: …`, `b) Thời gian thực hiện: …`), bullet or letter first.
# Blanks are matched within the line only, so that no two line starts share a run of them
# (linear on a run of blank lines).
_LABEL = re.compile(r"^[ \t]*(?:(?:[-+•]|[a-zđ]\))[ \t]*)?" + _LABEL_NAME, re.I | re.M)
# The same name alone on its line, the value below it.
_LABEL_HEADING = (
    _LABEL_NAME.replace(r"\s+", r"[ \t]+")
    .replace(r"\s*", r"[ \t]*")
    .replace(r")[ \t]*:[ \t]*", r")[ \t]*\n\s*")
    .replace("?P<label>", "?P<heading>")
)
# A labelled line inside an item may be a lettered or numbered sub-item of its own (`c) Cơ
# quan chủ trì: …`, `1.2. Thời gian thực hiện: …`), and such a label may be the sub-item's
# heading, its value on the lines below (`b) Cơ quan chủ trì` / `Sở X.`).
_MARKER = r"^[ \t]*(?:[a-zđ]\)|\d{1,2}(?:\.\d{1,2}){0,2}[.)])[ \t]*"
_MARKED_LABEL = re.compile(_MARKER + r"(?:" + _LABEL_NAME + "|" + _LABEL_HEADING + ")", re.I | re.M)
# The same at the start of a sub-item's own text (after its marker).
_PART_LABEL = re.compile(r"[ \t]*(?:" + _LABEL_NAME + "|" + _LABEL_HEADING + ")", re.I)


def _line_end(text: str, at: int) -> int:
    end = text.find("\n", at)
    return len(text) if end < 0 else end


# The label of those who attend an activity (`Thành phần`, `Thành phần tham dự`): the bodies of
# its value attend, they do not do the work (§3 lead): `item_attributes.tsv`, column `attendees`.
_ATTENDEES = re.compile(
    rf"\s*[-+•*]?\s*(?:{lexicon.alternation('item_attributes', 'attendees', 'y')})[^:\n]{{0,20}}:",
    re.I,
)


# The attributes of one activity in a plan's item (`Địa điểm`, `Nội dung`, `Giải pháp`):
# `data/lexicon/item_attributes.tsv`.
_ATTRIBUTES = lexicon.alternation("item_attributes", "attribute", "y")


def _part_label_starts(text: str, item: Item) -> set[int]:
    """Starts of the marked sub-items that are parts of the item above them: every sibling is a
    label or an attribute (`a) Nội dung: …`, `b) Cơ quan chủ trì: …`, `c) Thời gian thực
    hiện: …`), so the item is one activity and these are its labelled lines (§3 rule 6). A
    `2. Thời gian thực hiện: …` beside the work items of a list is not (rule 4 reads it)."""
    out: set[int] = set()
    for node in [item, *item.walk()]:
        kids = [c for c in node.children if c.style != "para"]
        if kids and all(
            _PART_LABEL.match(text, c.text_start)
            or _ATTRIBUTE.match(text, c.text_start)
            or _ATTRIBUTE_HEADING.match(text, c.text_start)
            for c in kids
        ):
            out.update(c.start for c in kids)
    return out


# An attribute as the heading of its points (`a) Nội dung` / `- …`).
_ATTRIBUTE_HEADING = re.compile(rf"[ \t]*(?:{_ATTRIBUTES})[ \t]*\n", re.I)


# A bulleted line that opens with a label (`- Đơn vị cho ý kiến: …`).
_OTHER_LABEL = re.compile(r"^\s*[-+•]\s*(?P<label>[^\n:;.]{2,40}):", re.M)


# `…, phối hợp với các cơ quan sau:` over bullets that name them.
_PARTNERS_BELOW = re.compile(rf"\b(?:{_COORD_WORDS})(?:\s+các\s+[^:\n]{{1,40}})?\s*:$", re.I)


_ANNOUNCES_LIST = re.compile(r"\s*(?:như sau|sau|dưới đây)?\s*:", re.I)


def _without_list_heads(text: str, run: list[Agency]) -> list[Agency]:
    """A collective that announces the list after it (`các cơ quan sau: Sở A; Sở B`) is its
    head, not a body of its own (§4: `Các Bộ: …` names each ministry)."""
    return [
        a
        for k, a in enumerate(run)
        if not (
            k + 1 < len(run)
            and _sp(run[k + 1]) != _sp(a)
            and _ANNOUNCES_LIST.match(text, _sp(a)[1])
            and a.code == LIEN_QUAN
        )
    ]


def partners_listed_below(text: str, start: int, end: int) -> bool:
    """`text[start:end]` ends with `phối hợp (với) (các cơ quan sau):`: the bullets below it
    name the objects of `phối hợp`, its coordinate (§3 coordinate)."""
    stop = strip_span(text, start, end, " \t\n")[1]
    return _PARTNERS_BELOW.search(text, max(start, stop - 80), stop) is not None


def ends_with_bare_label(text: str, start: int, end: int) -> bool:
    """`text[start:end]` ends with a line that is only a label (`Cơ quan phối hợp:`), whose
    value is printed on the bullets below it (`+ Sở A; + Sở B.`)."""
    stop = strip_span(text, start, end, " \t\n")[1]
    line = max(text.rfind("\n", start, stop) + 1, start)
    return _LABEL.fullmatch(text[line:stop]) is not None


def starts_with_label(text: str, start: int) -> bool:
    return bool(_LABEL.match(text, start)) or bool(_ATTRIBUTE.match(text, start))


# `Địa điểm: …`, `Nội dung: …`, `Giải pháp:`: attributes of an activity in a plan
# (`data/lexicon/item_attributes.tsv`).
_ATTRIBUTE = re.compile(rf"\s*[-+•]?\s*(?:{_ATTRIBUTES})[^:\n]{{0,20}}:", re.I)


# A line that opens with a label (`Cơ quan theo dõi, đôn đốc: …`), bulleted or not. The
# label starts at a non-blank, so that no two blank runs can share a run of blanks (linear
# on a line of blanks: tests/test_regex_budget.py).
_LINE_LABEL = re.compile(r"^[ \t]*(?:[-+•*][ \t]*)?(?P<label>[^\s:;.][^\n:;.]{1,39}?):", re.M)


def monitor_labels(text: str, start: int, end: int, find: FindAgencies) -> list[re.Match[str]]:
    """The lines of `text[start:end]` labelled with who follows the work up (cơ quan theo
    dõi, đôn đốc; kiểm tra): a label of role `monitor` in `data/lexicon/table_roles.tsv`
    that names no body itself (`Đôn đốc các sở, ngành:` opens work, not a label)."""
    if text.find(":", start, end) < 0:
        return []  # every label ends on a colon: `_LINE_LABEL`, tried at every line, finds none
    return [
        m
        for m in _LINE_LABEL.finditer(text, start, end)
        if cell_role(m.group("label")) == "monitor" and not find(text, *m.span("label"))
    ]


def monitor_lines(
    text: str,
    start: int,
    end: int,
    find: FindAgencies,
    *,
    labels: list[re.Match[str]] | None = None,
) -> list[Agency]:
    """The bodies named on the monitor lines of `text[start:end]`, each to its line's end.
    `labels`: the span's `monitor_labels` when the caller has them already."""
    out: list[Agency] = []
    for m in monitor_labels(text, start, end, find) if labels is None else labels:
        line_end = text.find("\n", m.end(), end)
        out.extend(find(text, m.end(), line_end if line_end >= 0 else end))
    return unique_agencies(out)


def labelled_lines(
    text: str, item: Item, find: FindAgencies, *, doc_date: str | None = None
) -> Actors:
    """`Cơ quan chủ trì: …`, `Đơn vị phối hợp: …`, `Thời gian thực hiện: …` inside an item;
    `Cơ quan theo dõi, đôn đốc: …` gives its `monitor`, not its lead or coordinate."""
    start, end = item.text_start, item.subtree_end
    out = Actors()
    parts = _part_label_starts(text, item)
    marked = [
        m
        for m in _MARKED_LABEL.finditer(text, start, end)
        if m.start() + len(m.group(0)) - len(m.group(0).lstrip()) in parts
    ]
    labels = sorted([*_LABEL.finditer(text, start, end), *marked], key=lambda m: m.start())
    monitors = monitor_labels(text, start, end, find)
    for k, m in enumerate(labels):
        label = (m.group("label") or m.group("heading")).lower()
        # A value runs to the next label or blank line (`Đơn vị chủ trì: Các\nSở, ngành…`).
        stop = labels[k + 1].start() if k + 1 < len(labels) else end
        for other in _OTHER_LABEL.finditer(text, m.end(), stop):
            if cell_role(other.group("label")):
                stop = other.start()  # a label of another kind (`Đơn vị cho ý kiến:`)
                break
        # A monitor line, bulleted or not, ends the value too: its bodies are no lead.
        stop = min([stop, *(o.start() for o in monitors if m.end() <= o.start() < stop)])
        blank = text.find("\n\n", m.end(), stop)
        line_end = blank if blank >= 0 else stop
        _read_label(text, label, (m.end(), line_end), find, out, doc_date)
    bracket = [] if labels else _bracket_labels(text, start, item.end)
    # A bracket that only times the work (`1. Sở X (thời hạn: trước ngày …):`) is the
    # lead-in's own time, which its sub-items take (§3 rule 2), not labelled lines.
    if any(not label.startswith(("thời", "tiến", "hạn", "mốc")) for label, _ in bracket):
        for label, value in bracket:
            _read_label(text, label, value, find, out, doc_date)
    elif not labels:
        for label, value in _inline_labels(text, start, item.end):
            _read_label(text, label, value, find, out, doc_date)
    out.lead = unique_agencies(out.lead)
    out.coordinate = unique_agencies(out.coordinate)
    out.monitor = monitor_lines(text, start, end, find, labels=monitors)  # the same span
    return out


def _read_label(
    text: str, label: str, value: Span, find: FindAgencies, out: Actors, doc_date: str | None
) -> None:
    """One labelled value of an item: its coordinate, its lead (with `X chủ trì, phối hợp với
    Y` inside it) or its time (§3 rule 6, labelled lines)."""
    vs, ve = value
    if "phối hợp" in label:
        out.coordinate.extend(find(text, vs, ve))
        out.any = True
    elif any(
        w in label for w in ("chủ trì", "thực hiện", "trách nhiệm", "tham mưu", "phân công")
    ) and not label.startswith(("thời", "tiến")):
        # `Đơn vị thực hiện: X chủ trì, phối hợp với Y`: Y is coordinate (§3 coordinate).
        c = _COORD_ANY.search(text, vs, ve)
        split = c.start() if c else ve
        bodies = find(text, vs, split)
        partners = find(text, c.end(), ve) if c else []
        if c and not partners and bodies and not text[_sp(bodies[-1])[1] : c.start()].strip(" ("):
            # `Trách nhiệm thực hiện: Sở A chủ trì; Sở B, Sở C phối hợp`: the list just
            # before `phối hợp` is given the coordinating part (§6 Coordinate wording).
            partners = _list_ending_at(text, bodies[-1], bodies)
            bodies = [a for a in bodies if all(a is not b for b in partners)]
        marked = [a for a in bodies if _MARKED_LEAD.match(text, _sp(a)[1], ve)]
        if not c and marked:
            # `Sở A (chủ trì); Ban B tỉnh; Sở C`: only the lead is marked, the
            # other bodies of the work have the coordinating part (§6 Coordinate wording).
            partners = [a for a in bodies if all(a is not b for b in marked)]
            bodies = marked
        out.lead.extend(bodies)
        out.coordinate.extend(partners)
        out.any = True
        out.lead_named = True
    else:
        d = task_deadline(text, vs, ve, doc_date=doc_date)
        times = find_times(text, vs, ve, doc_date=doc_date)
        out.own_time = out.own_time or bool(times)
        if d is not None and out.deadline is None:
            out.deadline = d
        out.any = True


# A body marked as the lead in brackets right after its name (`Sở X (chủ trì)`).
_MARKED_LEAD = re.compile(r"[ \t]*\([ \t]*(?:(?:cơ quan|đơn vị)[ \t]+)?chủ trì[ \t]*\)", re.I)


# `… (Cơ quan chủ trì: Sở A; cơ quan phối hợp: Sở B; thời gian: năm 2025)`: the labelled lines
# in brief, in a bracket after the work that opens with a label.
_BRACKET_PART = re.compile(r"[ \t]*" + _LABEL_NAME, re.I)
_BRACKET = re.compile(
    r"\((?=" + _BRACKET_PART.pattern.replace("?P<label>", "?:") + r")([^()\n]{2,300})\)", re.I
)


def _bracket_labels(text: str, start: int, end: int) -> list[tuple[str, Span]]:
    """The labels of a bracket that opens with one, each with its value's span; the parts
    split at `;`."""
    out: list[tuple[str, Span]] = []
    for b in _BRACKET.finditer(text, start, end):
        at = b.start(1)
        for part in text[b.start(1) : b.end(1)].split(";"):
            m = _BRACKET_PART.match(text, at, at + len(part))
            if m:
                out.append((m.group("label").lower(), (m.end(), at + len(part))))
            at += len(part) + 1
    return out


# A label right after the sentence before it on the same line (`… cấp xã. Cơ quan chủ trì: Sở A;
# cơ quan phối hợp: Sở B. Thời gian hoàn thành: …`).
_INLINE_LABEL = re.compile(r"(?<=[.;])[ \t]+" + _LABEL_NAME, re.I)


def _inline_labels(text: str, start: int, end: int) -> list[tuple[str, Span]]:
    """The labelled lines of an item printed after its sentence on the same line (§3 rule 6:
    labelled lines inside an item give its lead, coordinate and deadline), each with its
    value's span to the next label or the line's end. Only a run of them that names the lead
    (`Cơ quan chủ trì: …`) and some other part: a lone label after a full stop may be prose."""
    first = _INLINE_LABEL.search(text, start, end)
    if first is None:
        return []
    line_end = min(_line_end(text, first.end()), end)
    found = list(_INLINE_LABEL.finditer(text, first.start(), line_end))  # that line's labels
    names = [m.group("label").lower() for m in found]
    if len(found) < 2 or not any("chủ trì" in n for n in names):
        return []
    stops = [m.start() for m in found[1:]] + [line_end]
    return [(n, (m.end(), stop)) for n, m, stop in zip(names, found, stops, strict=True)]


_CELL_PART = re.compile(r"[^;\n]+")


def cell_roles(text: str, cell: Span, find: FindAgencies) -> tuple[list[Agency], list[Agency]]:
    """The lead and the coordinate of a table's lead cell that gives both roles (`Sở A chủ
    trì, phối hợp với Sở B`, `Sở A chủ trì; Sở B phối hợp`, `Sở A (chủ trì), Sở B (phối
    hợp)`, `Chủ trì: Sở A; Phối hợp: Sở B`): §3 rule 6 (the column gives the lead) and §6
    Coordinate wording (the bodies given the coordinating part are coordinate)."""
    out = Actors()
    parts = [(m.start(), m.end()) for m in _CELL_PART.finditer(text, *cell)]
    labelled = [(p, _BRACKET_PART.match(text, *p)) for p in parts]
    if not any(m for _, m in labelled):
        _read_label(text, "thực hiện", cell, find, out, None)
    else:
        for (ps, pe), m in labelled:
            if m is None:
                out.lead.extend(find(text, ps, pe))
            else:
                _read_label(text, m.group("label").lower(), (m.end(), pe), find, out, None)
    # `Sở X (Ban Y)` in a cell: a section of a body is that body (§4), as in a sentence.
    return drop_sections(text, out.lead), drop_sections(text, out.coordinate)
