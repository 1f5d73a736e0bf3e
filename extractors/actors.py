"""Who does the work: lead (chủ trì), coordinate (phối hợp), report_to.

ANNOTATION.md §3: the lead is the subject of each main clause, or the object
of `đề nghị / giao / yêu cầu`, or the recipients when the letter addresses
its reader (`Quý Cơ quan`); coordinate are the objects of `phối hợp (với)`;
agencies that only receive a report are neither. Labelled lines (`Cơ quan
chủ trì: …`) override the running text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from extractors.deadlines import find_times, task_deadline
from extractors.structure import Item
from extractors.text_utils import fold
from schemas import Agency, Deadline

FindAgencies = Callable[[str, int, int], list[Agency]]

# What may stand between two agencies of one list: punctuation, conjunctions,
# a person's office (`Thủ trưởng`, `Chủ tịch`), `các`, `đồng chí`.
_GAP = re.compile(
    r"^(?:[\s,;:()\-–/]|và|cùng|hoặc|với|các|các đồng chí|đồng chí|đ/c|\w+\s*:|"
    r"bộ trưởng|thủ trưởng|chủ tịch|giám đốc|lãnh đạo|người đứng đầu|bí thư|cục trưởng|thống đốc|tổng giám đốc|"
    # An organ of a collective takes the collective's code (§4): `Đảng ủy các bộ`.
    r"đảng ủy|cấp ủy|ban chỉ đạo|ban thường vụ|thường trực)*$",
    re.I,
)
_COORD = re.compile(r"\bphối hợp(?:\s+chặt chẽ)?(?:\s+với)?\s*$|\bcùng với\s*$", re.I)
_REPORT = re.compile(r"\b(?:báo cáo|gửi(?: về)?|trình|đề xuất với)\s*$", re.I)
_READER = re.compile(
    r"^\s*(?:đề nghị\s+|yêu cầu\s+)?(?:quý\s+(?:cơ quan|bộ|ủy ban|đơn vị|sở|cục)|các đơn vị|đơn vị)\b",
    re.I,
)
_OPENERS = re.compile(
    r"^\s*(?:đề nghị|yêu cầu|giao(?: cho)?(?= )|phân công|đối với|riêng|theo đó,?|căn cứ[^,]*,|trên cơ sở[^,]*,|"
    r"các đồng chí|đồng chí)\s*",
    re.I,
)
# `Bộ Khoa học và Công nghệ - Cơ quan thường trực Ban Chỉ đạo …`: a role, not an actor.
_APPOSITION = re.compile(r"(?:cơ quan|là)\s+thường trực\s*$|thường trực\s*$", re.I)
# The verb `giao` (assign), not `Ngoại giao`, `được giao`, `giao thông`.
GIAO = r"(?<!ngoại )(?<!Ngoại )(?<!được )(?<!bàn )(?<!chuyển )giao(?! thông| dịch| lưu| nhận| ban| tiếp| diện| thoa)"
ASK = rf"(?:đề nghị|yêu cầu|{GIAO}(?: cho)?|phân công|mời)"
# `X có ý kiến / kết luận / yêu cầu:` makes X the speaker, not the actor.
# A speaker's verb that introduces what follows (`… như sau:`), not an act of its own
# (`Sở Tư pháp hướng dẫn các xã …` is Sở Tư pháp's work).
_INTRODUCES_LIST = re.compile(r"(?:như sau|sau đây|cụ thể)?\s*:\s*$|\bnhư sau\b", re.I)
# Of the speaker's verbs, these are also work of their own when no list follows.
_OWN_ACT = re.compile(r"^\s*(?:đã\s+)?(?:có ý kiến|hướng dẫn|trả lời)\b", re.I)
_SPEAKER = re.compile(
    r"^\s*(?:đã\s+|trân trọng\s+|xin\s+)?(?:có ý kiến|kết luận|yêu cầu|đề nghị|thông báo|giao|phân công|hướng dẫn|trả lời)\b",
    re.I,
)
# What follows a subject is its predicate; these words continue a noun phrase.
_NOT_PREDICATE = re.compile(r"^\s*(?:của|tại|về|thuộc|ở|đối với|với)\b", re.I)
_SELF = re.compile(r"^\s*(?:[^,.;]{0,60},\s*)?(?:Bộ|Sở|Ủy ban|Văn phòng|Tổng cục|Cục|Ban)\s+sẽ\b")


@dataclass
class Actors:
    lead: list[Agency] = field(default_factory=list)
    coordinate: list[Agency] = field(default_factory=list)
    report_to: list[Agency] = field(default_factory=list)
    deadline: Deadline | None = None
    lead_named: bool = False
    own_time: bool = False
    any: bool = False

    def override(self, other: Actors) -> Actors:
        """`other` (the item's own) wins where it says something."""
        return Actors(
            lead=other.lead or self.lead,
            # Coordinate passes down only from a lead-in that names who acts
            # (`X chủ trì, phối hợp với Y:`), not from the speaker's preamble.
            coordinate=other.coordinate or (self.coordinate if self.lead_named else []),
            report_to=other.report_to,
            deadline=other.deadline or self.deadline,
            lead_named=other.lead_named or self.lead_named,
            own_time=other.own_time,
            any=other.any or self.any,
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


def _run_after(text: str, pos: int, mentions: list[Agency]) -> list[Agency]:
    """The list of agencies that starts at `pos` (only gaps of `_GAP` between them)."""
    run: list[Agency] = []
    cursor = pos
    for a in mentions:
        assert a.span is not None
        if a.span[1] <= cursor:
            continue
        gap = text[cursor : a.span[0]]
        if a.span[0] > cursor and not _GAP.match(gap) and not (not run and _LIST_HEAD.match(gap)):
            break
        run.append(a)
        cursor = a.span[1]
    return run


_UNIT_HEAD = re.compile(
    r"^(?:Sở|Cục|Chi cục|Công an|Thuế|Kho bạc|Bảo hiểm xã hội|Ban Quản lý|Thanh tra)\b"
)


def _drop_distributive_tails(text: str, mentions: list[Agency]) -> list[Agency]:
    """`Cục Thuế các tỉnh, thành phố` is the Cục Thuế of every province, not
    also the provinces' People's Committees (the registry knows this for clean
    text; OCR'd spellings reach here split)."""
    out: list[Agency] = []
    for a in mentions:
        prev = out[-1] if out else None
        if (
            prev is not None
            and a.code == "@dia-phuong"
            and prev.code is None
            and _UNIT_HEAD.match(prev.name)
            and prev.span is not None
            and a.span is not None
            and not text[prev.span[1] : a.span[0]].strip()
        ):
            continue
        out.append(a)
    return out


def _drop_sections(text: str, mentions: list[Agency]) -> list[Agency]:
    """`Sở Nội vụ (Ban Thi đua Khen thưởng)`: a section of a body is that body (§4)."""
    out: list[Agency] = []
    for a in mentions:
        prev = out[-1] if out else None
        if prev is not None and re.fullmatch(r"\s*\(\s*", text[_sp(prev)[1] : _sp(a)[0]]):
            continue
        out.append(a)
    return out


def _as_recipient(a: Agency, recipients: list[Agency]) -> Agency:
    """An OCR-garbled unit (`Cục Thuê`) that is one of the recipients is that recipient."""
    if a.known or a.code is not None:
        return a
    for r in recipients:
        if r.code is None and fold(r.name) == fold(a.name):
            return r.model_copy(update={"raw": a.raw, "span": a.span})
    return a


def _names_only(text: str, cs: int, ce: int, run: list[Agency]) -> bool:
    """The clause is nothing but the bodies of `run` (a heading), no predicate."""
    rest = text[cs:ce]
    for a in reversed(run):
        s, e = _sp(a)
        rest = rest[: s - cs] + " " + rest[e - cs :]
    return not re.sub(r"\b(?:và|các|cơ quan chủ trì|chủ trì)\b|[\W\d_]", "", rest, flags=re.I)


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    pos = start
    # A blank line ends a clause too: a heading printed above its paragraph.
    for m in re.finditer(r";|(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])|\n[ \t]*\n", text[start:end]):
        out.append((pos, start + m.start()))
        pos = start + m.end()
    out.append((pos, end))
    return out


def clause_actors(
    text: str,
    start: int,
    end: int,
    find: FindAgencies,
    *,
    recipients: list[Agency],
    aliases: tuple[str, ...] = (),
) -> Actors:
    mentions = [a for a in find(text, start, end) if a.span is not None]
    # Agencies named only as a role (`cơ quan thường trực X`) are not actors.
    mentions = [
        a for a in mentions if not _APPOSITION.search(text[max(start, _sp(a)[0] - 30) : _sp(a)[0]])
    ]
    mentions = _drop_sections(text, _drop_distributive_tails(text, mentions))
    lead: list[Agency] = []
    coordinate: list[Agency] = []
    report_to: list[Agency] = []
    heading: list[Agency] = []
    named = False
    for cs, ce in _clauses(text, start, end):
        seg = text[cs:ce]
        opener = _OPENERS.match(seg)
        subj_at = cs + (opener.end() if opener else len(seg) - len(seg.lstrip()))
        if _READER.match(seg) and recipients:
            lead.extend(recipients)
            named = True
            continue
        in_clause = [a for a in mentions if cs <= _sp(a)[1] and _sp(a)[0] < ce]
        run = _run_after(text, subj_at, in_clause)
        if not run:
            # `Định kỳ hoặc đột xuất, Bộ Y tế sẽ …`: a short adverbial first.
            comma = text.find(",", subj_at, min(ce, subj_at + 50))
            if comma > 0 and not any(subj_at <= _sp(a)[0] < comma for a in in_clause):
                run = _run_after(text, comma + 1, in_clause)
        if run and _NOT_PREDICATE.match(text[_sp(run[-1])[1] : ce]):
            run = []  # `Văn phòng X của Y …`, `Ban chỉ đạo tại …`: a noun phrase, not a subject
        if (
            run
            and run[-1].span is not None
            and (sp := _SPEAKER.match(text[run[-1].span[1] : ce]))
            and (
                not _OWN_ACT.match(sp.group(0))
                or _INTRODUCES_LIST.search(text[run[-1].span[1] : ce])
            )
        ):
            run = []  # `X có ý kiến như sau:`, `X yêu cầu:`: X speaks, the object acts
        # `X đề nghị Y …`: Y is the actor, X only asks.
        for m in re.finditer(rf"\b{ASK}\s+", seg, re.I):
            asked = _run_after(
                text, cs + m.end(), [a for a in in_clause if _sp(a)[0] >= cs + m.end()]
            )
            if asked:
                run = asked
                break
            if _READER.match(seg[m.start() :]) and recipients:
                run = list(recipients)
                break
        if run and _names_only(text, cs, ce, run):
            # An actor heading (`2. Sở A, Sở B` above its paragraph): its bodies
            # act unless the paragraph names its own subject (§3 lead).
            heading.extend(run)
            named = True
        elif run:
            lead.extend(run)
            named = True
        elif _SELF.match(seg):
            named = True  # the issuer itself (`Bộ sẽ tổng kết …`): lead filled by the caller
    for a in mentions:
        at = _sp(a)[0]
        before = text[max(start, at - 40) : at]
        if _COORD.search(before):
            coordinate.extend(_run_after(text, at, [m for m in mentions if _sp(m)[0] >= at]))
        elif _REPORT.search(before):
            report_to.extend(_run_after(text, at, [m for m in mentions if _sp(m)[0] >= at]))
    lead = [_as_recipient(a, recipients) for a in lead or heading]
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
    times = find_times(text, start, end, doc_date=None)
    return Actors(
        lead=unique_agencies(lead),
        coordinate=unique_agencies(coordinate),
        report_to=[a for a in unique_agencies(report_to) if (a.code or a.name) not in lead_keys],
        lead_named=named,
        own_time=any(
            t.kind not in {"urgency", "vague", "start"}
            and (t.is_due or t.kind in {"recurrence", "open_ended"})
            for t in times
        ),
    )


_LABEL = re.compile(
    r"^\s*[-+•]?\s*(?P<label>(?:cơ quan|đơn vị)\s+(?:chủ trì|thực hiện|chịu trách nhiệm|phối hợp)(?:\s+[^:\n]{0,30}?)?|"
    r"chủ trì(?:\s+thực hiện)?|phối hợp(?:\s+thực hiện)?|thời gian(?:\s+(?:thực hiện|hoàn thành|dự kiến|tổ chức))?|"
    r"thời hạn(?:\s+hoàn thành)?|tiến độ(?:\s+thực hiện)?)\s*:\s*",
    re.I | re.M,
)


def starts_with_label(text: str, start: int) -> bool:
    return bool(_LABEL.match(text, start)) or bool(_ATTRIBUTE.match(text, start))


# `Địa điểm: …`, `Nội dung: …`: attributes of an activity in a plan.
_ATTRIBUTE = re.compile(
    r"\s*[-+•]?\s*(?:địa điểm|nội dung|quy mô|thành phần|hình thức|kinh phí|sản phẩm)[^:\n]{0,20}:",
    re.I,
)


def labelled_lines(
    text: str, item: Item, find: FindAgencies, *, doc_date: str | None = None
) -> Actors:
    """`Cơ quan chủ trì: …`, `Đơn vị phối hợp: …`, `Thời gian thực hiện: …` inside an item."""
    start, end = item.text_start, item.subtree_end
    out = Actors()
    labels = list(_LABEL.finditer(text, start, end))
    for k, m in enumerate(labels):
        label = m.group("label").lower()
        # A value runs to the next label or blank line (`Đơn vị chủ trì: Các\nSở, ngành…`).
        stop = labels[k + 1].start() if k + 1 < len(labels) else end
        blank = text.find("\n\n", m.end(), stop)
        line_end = blank if blank >= 0 else stop
        if "phối hợp" in label:
            out.coordinate.extend(find(text, m.end(), line_end))
            out.any = True
        elif any(
            w in label for w in ("chủ trì", "thực hiện", "chịu trách nhiệm")
        ) and not label.startswith(("thời", "tiến")):
            out.lead.extend(find(text, m.end(), line_end))
            out.any = True
            out.lead_named = True
        else:
            d = task_deadline(text, m.end(), line_end, doc_date=doc_date)
            times = find_times(text, m.end(), line_end, doc_date=doc_date)
            out.own_time = out.own_time or bool(times)
            if d is not None and out.deadline is None:
                out.deadline = d
            out.any = True
    out.lead = unique_agencies(out.lead)
    out.coordinate = unique_agencies(out.coordinate)
    return out
