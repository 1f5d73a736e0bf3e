"""Tasks: who must do what, by when (ANNOTATION.md §3).

The body's item tree (`structure.py`) is cut into tasks by the guideline's
segmentation rules; each task gets its actors (`actors.py`) and its deadline
(`deadlines.py`), with lead-ins, headings and labelled lines passing theirs
down as the guideline says.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache

from extractors import lexicon
from extractors.actors import (
    GIAO,
    Actors,
    clause_actors,
    labelled_lines,
    starts_with_label,
    unique_agencies,
)
from extractors.deadlines import task_deadline
from extractors.structure import Item, parse_items
from extractors.table_tasks import RowContext, row_tasks
from extractors.tables import Table
from extractors.text_utils import fold, strip_span
from schemas import Agency, Task

Span = tuple[int, int]
FindAgencies = Callable[[str, int, int], list[Agency]]

# Sections of a plan that hold no tasks (rule 6).
_NOT_TASK_SECTION = re.compile(
    r"^(?:mục đích|yêu cầu|mục tiêu|chỉ tiêu|quan điểm|căn cứ|sự cần thiết|đánh giá|kết quả|tình hình|"
    r"phạm vi|đối tượng|nguyên tắc|bối cảnh|thực trạng|giải thích)",
    re.I,
)
_INFO = re.compile(r"^(?:đầu mối liên hệ|thông tin liên hệ|liên hệ|địa chỉ liên hệ|đầu mối)", re.I)
_DEADLINE_ONLY = re.compile(
    r"^(?:thời hạn|thời gian)(?: gửi| nộp| hoàn thành| báo cáo| thực hiện)?[^:]{0,40}:?\s*$", re.I
)
_LIABILITY = re.compile(r"^chịu trách nhiệm\s+(?:toàn diện\s+)?(?:về|trước)\b", re.I)
_ENCOURAGE = re.compile(r"^(?:khuyến khích)\b", re.I)
_ASSIGN = re.compile(
    r"\b(?:đề nghị|yêu cầu|giao|phân công|có trách nhiệm|chịu trách nhiệm|chủ trì|chỉ đạo|khẩn trương|"
    r"tập trung|tiếp tục|triển khai|thực hiện|báo cáo|xây dựng|tổ chức|rà soát|hoàn thành|gửi|sẽ|"
    r"tổng kết|hướng dẫn|theo dõi|ban hành|bố trí)\b",
    re.I,
)
_NARRATIVE = re.compile(
    r"^(?:ngày \d|năm \d|thực hiện|căn cứ|theo|tiếp theo|xét|qua|tuy nhiên|trong thời gian qua|vừa qua|"
    r"hiện nay|sau khi|tại|từ kết quả|đánh giá|về việc này|về vấn đề này)\b|\bđã có văn bản\b|\bcó văn bản số\b",
    re.I,
)
# A dated past event (`Ngày 19 tháng 9 năm 2013, Văn phòng Chính phủ có văn
# bản … yêu cầu …`) quotes an old request: never a task of this letter.
_PAST = re.compile(
    r"^ngày \d|\bđã có văn bản\b|\bcó văn bản số\b|\bđã (?:yêu cầu|đề nghị|giao)\b", re.I
)
# A request that is really made here: the verb with its addressee.
_REQUEST = re.compile(rf"\b(?:đề nghị|yêu cầu|{GIAO})\s+(?!của\b|tại\b|nêu\b|trên\b)\S", re.I)
# Only the public as actor (rule 8).
_PUBLIC = re.compile(
    r"^(?:các )?(?:tổ chức, cá nhân|người dân|nhân dân|hộ gia đình|doanh nghiệp)\b", re.I
)
# The closing formula and conditional closings (rule 9).
_CLOSING = re.compile(
    r"^trân trọng|\b(?:xin |trân trọng )?thông báo(?: để| đến)\b.*\b(?:biết|thực hiện)\b|\bthông báo\s*\./\.|"
    r"^trong quá trình (?:tổ chức )?thực hiện,? nếu có|\btrả lời để\b|\bđược (?:biết|rõ)\s*\./\.|"
    r"\bthực hiện nghiêm (?:túc )?(?:chỉ thị|công điện|quyết định|kế hoạch|thông báo|công văn) này\b|"
    r"^(?:[^,.;:]{0,60},\s*)?(?:đề nghị|yêu cầu)[^.;]{0,120}\b(?:quan tâm |nghiêm túc |khẩn trương )?(?:thực hiện|triển khai)\s*\./\.",
    re.I,
)
# An item whose only content is to carry out the document (rule 9).
_THIS_DOC = re.compile(
    r"\b(?:công văn|chỉ thị|kế hoạch|quyết định|thông báo|công điện|văn bản|hướng dẫn) này\b|"
    r"\b(?:các )?nội dung (?:hướng dẫn )?(?:nêu )?trên\b|\bnội dung hướng dẫn\b",
    re.I,
)
_CONCRETE = re.compile(
    r"\b(?:theo dõi|đôn đốc|báo cáo|tổng hợp|kiểm tra|xây dựng|ban hành|tham mưu|bố trí|rà soát|tổ chức|"
    r"sơ kết|tổng kết|đánh giá|giám sát|cử|lập|gửi|hướng dẫn|nghiên cứu)\b",
    re.I,
)
# A lead-in that introduces findings or rules, not work (`… cho thấy:`,
# `Bộ Y tế hướng dẫn … như sau:`): its items are tasks only when they name an actor.
_INFO_LEADIN = re.compile(
    r"\bcho thấy\s*:\s*$|^(?:từ )?kết quả\b|^(?:tình hình|đánh giá|căn cứ)\b|\bhướng dẫn\b[^:]*\bnhư sau\s*:\s*$|"
    r"\bquy định\b[^:]*\bnhư sau\s*:\s*$",
    re.I,
)
_CONTENT_LEADIN = re.compile(
    r"(?:trong đó|gồm|bao gồm|như sau|cụ thể|tập trung(?: vào)?|các nội dung|nội dung sau|sau đây)\s*:?\s*$",
    re.I,
)
# `… thực hiện một số công việc như sau:`, `… có ý kiến như sau:`: a list of work.
_WORK_LIST = re.compile(
    r"\b(?:nhiệm vụ|công việc|giải pháp|việc|yêu cầu|ý kiến|kết luận|chỉ đạo|trách nhiệm)\b[^:]{0,40}:\s*$",
    re.I,
)
_DELIVERABLE = re.compile(
    r"^(?:báo cáo|xây dựng|lập|đề xuất|dự thảo|chuẩn bị|tổng hợp|rà soát)\b", re.I
)


@dataclass
class TaskContext:
    text: str
    find: FindAgencies
    recipients: list[Agency]
    issuer: Agency | None
    doc_date: str | None
    doc_id: str
    aliases: tuple[str, ...] = ()
    part: str | None = None
    # Who does work that no item or lead-in names (§3, lead): the issuer, or
    # the body a notice of conclusions met or visited (`visited.py`).
    default_lead: list[Agency] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    # Tasks whose lead no item or lead-in named (it fell to `default_lead`).
    unnamed: set[int] = field(default_factory=set)


def _own_text(ctx: TaskContext, item: Item) -> Span:
    return strip_span(ctx.text, item.text_start, item.end, " \t\n")


def _heading_text(ctx: TaskContext, item: Item) -> str:
    s, e = _own_text(ctx, item)
    return " ".join(ctx.text[s:e].split())


def _is_title(text: str) -> bool:
    """A heading printed in capitals (`TỔ CHỨC THỰC HIỆN`)."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def _is_heading(ctx: TaskContext, item: Item) -> bool:
    """A section title rather than a sentence: short, no final stop or colon."""
    t = _heading_text(ctx, item)
    letters = [c for c in t if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.8:
        return True
    return (
        len(t) < 120
        and not t.endswith((".", ":", ";"))
        and item.style in {"roman", "dec", "letter", "dec2"}
    )


def extract_tasks(
    text: str,
    body: Span,
    find: FindAgencies,
    *,
    recipients: list[Agency],
    issuer: Agency | None,
    doc_date: str | None,
    doc_id: str,
    aliases: tuple[str, ...] = (),
    tables: list[Table] | None = None,
    part: str | None = None,
    default_lead: list[Agency] | None = None,
    detailed_in_table: bool = False,
) -> list[Task]:
    """Tasks of the body `text[body[0]:body[1]]`; `aliases` are phrases the
    letter defined as its recipients (`các đơn vị`); `tables` the table nodes
    of the body (a task table gives one task per row, any other table none);
    `part` the title of the attachment the body belongs to; `detailed_in_table`
    says the letter has a task table, to which a section may refer its work."""
    default = default_lead or ([issuer] if issuer else [])
    ctx = TaskContext(text, find, recipients, issuer, doc_date, doc_id, aliases, part, default)
    start, end = body
    end = _closing_start(text, start, end)
    root = parse_items(text, start, end)
    _split_trailing_paragraphs(text, root)
    _drop_quoted(text, root)
    _drop_tables(root, tables or [])
    if detailed_in_table:
        _drop_sections_detailed_in_table(ctx, root)
    ctx.tasks.extend(_table_tasks(ctx, tables or []))
    if not any(c.style != "para" for c in root.children):
        for para in root.children:
            _sentence_tasks(ctx, para, Actors())
        return ctx.tasks
    # What the last `…:` preamble passes to the items after it.
    inherited = Actors()
    informational = False
    for node in root.children:
        if node.style == "para":
            s, e = _own_text(ctx, node)
            own = ctx.text[s:e]
            if own.endswith(":"):
                informational = _introduces_findings(own)
                # A preamble passes down who acts, not whom they work with.
                actors = clause_actors(
                    ctx.text, s, e, ctx.find, recipients=ctx.recipients, aliases=ctx.aliases
                )
                inherited = replace(actors, coordinate=[], report_to=[])
            elif _after_first_item(root, node):
                # An unnumbered request among or after the items (rules 5, 9).
                _sentence_tasks(ctx, node, Actors())
            continue
        _visit(ctx, node, inherited, informational=informational)
    _keep_assigned_work(ctx, root)
    return ctx.tasks


def _keep_assigned_work(ctx: TaskContext, root: Item) -> None:
    """Rule 6, last sentence (§6 Sections by heading): when one section assigns
    the work agency by agency (`Tổ chức thực hiện`, `Phân công nhiệm vụ`: its
    items open with the body that acts), a task section that names no actor
    at all gives no tasks."""
    sections = [c for c in root.children if c.style != "para" and c.children]
    assigning = [s for s in sections if _assigns_by_agency(ctx, s)]
    if not assigning or len(sections) < 2:
        return

    def section_of(task: Task) -> Item | None:
        return next((s for s in sections if s.start <= task.span[0] < s.subtree_end), None)

    # A section drops out when it names (next to) no actor (rule 6): a stray
    # mention (`phát huy vai trò của Mặt trận …`) does not make it assign work.
    named: dict[int, int] = {}
    total: dict[int, int] = {}
    for i, t in enumerate(ctx.tasks):
        key = id(section_of(t))
        total[key] = total.get(key, 0) + 1
        named[key] = named.get(key, 0) + (i not in ctx.unnamed)
    ctx.tasks = [
        t
        for i, t in enumerate(ctx.tasks)
        if i not in ctx.unnamed
        or (sec := section_of(t)) is None
        or sec in assigning
        or named[id(sec)] * 4 >= total[id(sec)]
    ]


def _assigns_by_agency(ctx: TaskContext, section: Item) -> bool:
    """Most of the section's items open with the body that acts (an actor heading)."""
    items = [c for c in section.children if c.style != "para"]
    named = sum(1 for c in items if _starts_with_actor(ctx, c))
    return len(items) >= 2 and named * 3 >= len(items) * 2


# A quoted letter opens a paragraph (or follows a colon) and closes with its pair.
_QUOTE = re.compile(r"(?:(?<=\n)|(?<=:))[ \t]*(?:“[^“”]{200,}”|\"[^\"\n]{200,}\")", re.S)


def _drop_quoted(text: str, root: Item) -> None:
    """Instructions quoted from an earlier letter (`“…Trên cơ sở…”`) are not
    this letter's tasks."""
    _prune(root, [(m.start(), m.end()) for m in _QUOTE.finditer(text, root.start)])


def _drop_tables(root: Item, tables: list[Table]) -> None:
    """Cells of a table are not items: a table gives tasks by its rows or none;
    an item printed just above a table ends where the table starts."""
    spans = [t.span for t in tables if t.span[1] > t.span[0]]
    _prune(root, spans)
    for node in root.walk():
        for a, _ in spans:
            if node.start < a < node.end:
                node.end = a
                node.paragraphs = [p for p in node.paragraphs if p < a]


def _prune(root: Item, spans: list[Span]) -> None:
    """Remove the items that start inside one of `spans`, with their sub-items."""
    if not spans:
        return

    def inside(it: Item) -> bool:
        return any(a <= it.start < b for a, b in spans)

    def prune(node: Item) -> None:
        node.children = [c for c in node.children if not inside(c)]
        for c in node.children:
            prune(c)

    prune(root)


@cache
def _detail_in_appendix() -> re.Pattern[str]:
    return re.compile("|".join(lexicon.words("detail_in_appendix")), re.I)


def _drop_sections_detailed_in_table(ctx: TaskContext, root: Item) -> None:
    """Rule 6, last sentence (and §6): a section that names no actor and refers
    its work to an appended table (`Chi tiết … tại Phụ lục kèm theo`) gives no
    task; the table's rows, which assign the same work agency by agency, do."""
    for node in root.walk():
        s, e = node.text_start, node.end
        if not _detail_in_appendix().search(ctx.text, s, e):
            continue
        # The note closes the section: it sits after the section's last item.
        parent = node.parent
        section = parent if parent is not None and parent.children[-1] is node else node
        if section.style == "root":
            section = node
        section.children = [c for c in section.children if _names_actor(ctx, c)]


def _names_actor(ctx: TaskContext, item: Item) -> bool:
    s, e = _own_text(ctx, item)
    return bool(ctx.find(ctx.text, s, min(e, s + 160)))


def _table_tasks(ctx: TaskContext, tables: list[Table]) -> list[Task]:
    rows = RowContext(ctx.text, ctx.find, ctx.default_lead, ctx.doc_date, ctx.doc_id)
    return [t for table in tables if table.is_task_table for t in row_tasks(rows, table, ctx.part)]


def _after_first_item(root: Item, node: Item) -> bool:
    for c in root.children:
        if c is node:
            return False
        if c.style != "para":
            return True
    return False


def _closing_start(text: str, start: int, end: int) -> int:
    """Cut the closing formula (`… biết, thực hiện./.`, `Trân trọng./.`) off the body."""
    lines = text[start:end].split("\n")
    pos = end
    for line in reversed(lines):
        ls = pos - len(line)
        stripped = line.strip()
        if not stripped:
            pos = ls - 1
            continue
        if (
            _CLOSING.search(stripped)
            and len(stripped) < 400
            and not re.match(r"^(?:\d+|[a-zđ]|[IVX]+)[.)/]", stripped)
        ):
            pos = ls - 1
            continue
        break
    return max(start, pos)


def _first_line(ctx: TaskContext, item: Item) -> str:
    s, e = _own_text(ctx, item)
    return ctx.text[s:e].split("\n", 1)[0].strip()


def _visit(ctx: TaskContext, item: Item, inherited: Actors, *, informational: bool = False) -> None:
    head = _heading_text(ctx, item)
    first = _first_line(ctx, item)
    if _NOT_TASK_SECTION.match(head) or _INFO.match(head):
        return
    if _DEADLINE_ONLY.match(first):
        # `2. Thời hạn gửi báo cáo` (+ its sentence): dates the tasks it covers (rule 4).
        _apply_time_limit(ctx, item)
        return
    own = ctx.text[slice(*_own_text(ctx, item))]
    own_actors = clause_actors(
        ctx.text, *_own_text(ctx, item), ctx.find, recipients=ctx.recipients, aliases=ctx.aliases
    )
    if informational and not _starts_with_actor(ctx, item):
        for c in item.children:
            _visit(ctx, c, inherited, informational=True)
        return
    if _in_article(item):
        # An article that is only its number (`Điều 1.` / `1. Đồng ý …`) is read by its first clause.
        said = own.strip() or re.sub(
            r"^\s*\S{1,4}[.)]\s*", "", ctx.text[item.text_start : item.subtree_end].strip()
        )
        if _STANDARD_ARTICLE.search(said) and not _REQUEST.search(said):
            return
    if not item.children:
        if _is_title(own):
            return  # a section title in capitals asks for nothing by itself
        if _is_task_text(own) and not _carries_out_document(own):
            labelled = labelled_lines(ctx.text, item, ctx.find, doc_date=ctx.doc_date)
            _emit(
                ctx,
                item,
                inherited,
                with_children=False,
                labelled=labelled if labelled.any else None,
            )
        return
    if _leaf_parent(item) and _labelled_groups(ctx, item, inherited):
        return
    actors = inherited.override(own_actors)
    actor_heading = own_actors.lead_named and _is_heading(ctx, item)
    if len(item.children) == 1 and not item.children[0].children and not actor_heading:
        # One sub-item restates or completes its lead-in: one task.
        _emit(ctx, item, inherited, with_children=True)
        return
    if _is_heading(ctx, item) and not own_actors.lead_named:
        for c in item.children:
            _visit(ctx, c, inherited)
        return
    content = bool(_CONTENT_LEADIN.search(own)) and not _WORK_LIST.search(own)
    if own.rstrip().endswith(":") and (
        content or (not own_actors.lead_named and _DELIVERABLE.match(own.strip()))
    ):
        # An action whose content the sub-items spell out: one task, dated by its lead-in.
        _emit(ctx, item, inherited, with_children=True, date_from_leadin=True)
        return
    # The lead-in names the actor, or is a full sentence: sub-items are tasks.
    leadin_deadline = task_deadline(ctx.text, *_own_text(ctx, item), doc_date=ctx.doc_date)
    child_actors = actors.with_deadline(leadin_deadline)
    lead_in_informational = _introduces_findings(own)
    for c in item.children:
        _visit(ctx, c, child_actors, informational=lead_in_informational)


def _labelled_groups(ctx: TaskContext, item: Item, inherited: Actors) -> bool:
    """Labelled blocks (`Đơn vị chủ trì: …`, `Thời gian thực hiện: …`) among
    the bullets: the bullets up to each block are one task with its labels;
    one block for all of them makes the whole item one task (rules 6, 10)."""
    blocks = [labelled_lines(ctx.text, c, ctx.find, doc_date=ctx.doc_date) for c in item.children]
    attributes = [starts_with_label(ctx.text, c.text_start) for c in item.children]
    if sum(attributes) * 2 >= len(item.children) and any(attributes):
        # `- Thời gian dự kiến: …`, `- Đơn vị chủ trì: …` bullets describe the item itself.
        own = labelled_lines(ctx.text, item, ctx.find, doc_date=ctx.doc_date)
        _emit(ctx, item, inherited, with_children=True, labelled=own if own.any else None)
        return True
    if not any(b.any for b in blocks):
        own = labelled_lines(ctx.text, item, ctx.find, doc_date=ctx.doc_date)
        if not own.any:
            return False
        _emit(ctx, item, inherited, with_children=True, labelled=own)
        return True
    groups: list[tuple[list[Item], Actors | None]] = []
    pending: list[Item] = []
    for child, child_block in zip(item.children, blocks, strict=True):
        pending.append(child)
        if child_block.any:
            groups.append((pending, child_block))
            pending = []
    groups.extend(([c], None) for c in pending)
    if len(groups) == 1:
        _emit(ctx, item, inherited, with_children=True, labelled=groups[0][1])
        return True
    for members, group_block in groups:
        first, last = members[0], members[-1]
        span = Item(
            first.style, first.key, first.marker, first.start, first.text_start, last.subtree_end
        )
        span.label = first.label
        if group_block is None and not _is_task_text(ctx.text[first.text_start : last.subtree_end]):
            continue
        _emit(ctx, span, inherited, with_children=False, labelled=group_block)
    return True


def _starts_with_actor(ctx: TaskContext, item: Item) -> bool:
    """The item opens with the body that acts (`Các cơ sở KCB thực hiện …`,
    `Đề nghị BHXH Việt Nam …`): in a list of findings or rules, only such
    items assign work."""
    s, e = _own_text(ctx, item)
    head = ctx.text[s : min(e, s + 120)]
    # An opening adverbial (`Định kỳ hoặc đột xuất, Bộ Y tế sẽ …`) may come first.
    opener = re.match(
        rf"(?:[^,:;.]{{0,40}},\s*)?(?:(?:đề nghị|yêu cầu|{GIAO}|phân công)\s+)?(?:các\s+|đồng chí\s+)?",
        head,
        re.I,
    )
    skip = opener.end() if opener else 0
    mentions = ctx.find(ctx.text, s, min(e, s + 120))
    return bool(mentions) and mentions[0].span is not None and mentions[0].span[0] - s <= skip + 5


def _in_article(item: Item | None) -> bool:
    """Inside an `Điều N.` of a decision, a resolution or a circular."""
    while item is not None:
        if item.style == "article":
            return True
        item = item.parent
    return False


def _leaf_parent(item: Item) -> bool:
    return all(not c.children for c in item.children)


# `… yêu cầu Cục Thuế các tỉnh nghiêm túc triển khai thực hiện.`: nothing but
# the order to carry the letter out.
_BARE_EXECUTE = re.compile(
    r"\b(?:đề nghị|yêu cầu)\b.*\b(?:nghiêm túc|quan tâm|khẩn trương)?\s*(?:triển khai\s+)?thực hiện\s*[./]*\s*\S{0,4}$",
    re.I | re.S,
)


def _carries_out_document(text: str) -> bool:
    """`Đề nghị các đơn vị triển khai thực hiện các nội dung nêu trên`: the closing, not a task."""
    if _BARE_EXECUTE.search(text.strip()) and not _CONCRETE.search(text):
        return True
    return bool(_THIS_DOC.search(text)) and not _CONCRETE.search(_THIS_DOC.sub(" ", text))


# Standard clauses of a decision (rule 7): its effect, who executes it, and
# the decision itself (`Điều 1. Phê duyệt …`) unless it assigns work.
_STANDARD_ARTICLE = re.compile(
    r"^(?:(?:quyết định|chỉ thị|thông tư|nghị định|nghị quyết|quy chế|quy định|kế hoạch|văn bản) này có hiệu lực|"
    r"điều khoản thi hành|hiệu lực thi hành|"
    r"(?:phê duyệt|phê chuẩn|ban hành kèm theo|bổ nhiệm|công nhận|thành lập|cho phép|điều chỉnh|bãi bỏ|sửa đổi|"
    r"đồng ý|thống nhất|quyết nghị|chấp thuận)\b)|"
    r"\bchịu trách nhiệm thi hành (?:quyết định|chỉ thị) này\b",
    re.I,
)
# `Danh nghĩa tổ chức: Thành ủy, …`, `Chủ đề: …`: a fact of the plan, not work.
_LABEL_VALUE = re.compile(r"^(?P<label>[^:\n]{2,60}):\s*(?P<value>.*)$", re.S)


def _is_task_text(text: str) -> bool:
    t = text.strip()
    if not t or len(t) < 8:
        return False
    lv = _LABEL_VALUE.match(t)
    if lv and len(lv.group("label").split()) <= 6 and not _ASSIGN.search(lv.group("value")):
        return False
    if _LIABILITY.match(t) and not re.search(r"[;.]\s*\S", t[: len(t) - 1]):
        return False
    if _ENCOURAGE.match(t) or _PUBLIC.match(t) or _INFO.match(t):
        return False
    return not (t.endswith(":") and len(t) < 60)


def _introduces_findings(leadin: str) -> bool:
    """A lead-in of findings, rules or legal basis, unless it also makes a request."""
    return bool(_INFO_LEADIN.search(leadin.strip())) and not _REQUEST.search(leadin)


def _emit(
    ctx: TaskContext,
    item: Item,
    inherited: Actors,
    *,
    with_children: bool,
    labelled: Actors | None = None,
    date_from_leadin: bool = False,
) -> None:
    s, e = _own_text(ctx, item)
    leadin_end = e
    if with_children:
        s, e = strip_span(ctx.text, s, item.subtree_end, " \t\n")
    actors = clause_actors(ctx.text, s, e, ctx.find, recipients=ctx.recipients, aliases=ctx.aliases)
    actors = inherited.override(actors)
    if labelled is not None:
        actors = actors.override(labelled)
    lead = actors.lead or ctx.default_lead
    if not actors.lead:
        ctx.unnamed.add(len(ctx.tasks))
    # The grammar decides per clause whether recurring or open-ended wording
    # cancels a date (`xong trong tháng 12/2025. Định kỳ … hằng năm` keeps it).
    deadline = task_deadline(
        ctx.text, s, leadin_end if date_from_leadin else e, doc_date=ctx.doc_date
    )
    if deadline is None and labelled is not None and labelled.deadline is not None:
        deadline = labelled.deadline
    if deadline is None and not actors.own_time:
        deadline = inherited.deadline
    label = item.label or f"p{len(ctx.tasks) + 1}"
    ctx.tasks.append(
        Task(
            task_id=f"{ctx.doc_id}:{label}",
            label=label,
            text=ctx.text[s:e],
            span=(s, e),
            lead=_expand_to_recipients(lead, ctx.recipients),
            coordinate=actors.coordinate,
            report_to=actors.report_to,
            deadline=deadline,
            part=ctx.part,
            lead_default=not actors.lead,
        )
    )


def drop_restated(tasks: list[Task]) -> list[Task]:
    """Rule 6 (the same work assigned agency by agency): a task whose lead no
    text named, restated nearly word for word by a task whose lead is named (a
    task-table row, an item of the section that assigns the work), is that
    task, not a second one. A duty stated twice with its actor both times
    stays two tasks (rule 10)."""
    named = [_word_set(t.text) for t in tasks if not t.lead_default]
    out = []
    for t in tasks:
        own = _word_set(t.text)
        restated = (
            t.lead_default and len(own) >= 5 and any(_restates(own, other) for other in named)
        )
        if not restated:
            out.append(t)
    return out


def _restates(a: frozenset[str], b: frozenset[str]) -> bool:
    """Most words of the shorter text are in the longer, which is not a whole
    section that merely covers the same ground (at most three times as long)."""
    short, long_ = sorted((len(a), len(b)))
    return len(a & b) >= 0.6 * short and long_ <= 3 * short


def _word_set(text: str) -> frozenset[str]:
    return frozenset(fold(w) for w in re.findall(r"\w+", text))


def _expand_to_recipients(lead: list[Agency], recipients: list[Agency]) -> list[Agency]:
    """`Giám đốc Sở Y tế` in a letter to several provinces' Sở Y tế means them all."""
    out: list[Agency] = []
    for a in lead:
        same = [
            r
            for r in recipients
            if r.code is None
            and a.code is None
            and r.name != a.name
            and fold(r.name).startswith(fold(a.name) + " ")
        ]
        out.extend(same or [a])
    return unique_agencies(out)


def _apply_time_limit(ctx: TaskContext, item: Item) -> None:
    """`2. Thời hạn gửi báo cáo: … trước 16h00 ngày 12/01/2026` dates the tasks before it (rule 4)."""
    s, e = _own_text(ctx, item)
    d = task_deadline(ctx.text, s, e, doc_date=ctx.doc_date)
    if d is None:
        return
    for i, t in enumerate(ctx.tasks):
        if t.deadline is None:
            ctx.tasks[i] = t.model_copy(update={"deadline": d})


def _sentence_tasks(ctx: TaskContext, para: Item, inherited: Actors) -> None:
    """A letter without items: each sentence that assigns work is a task (rule 5)."""
    s, e = _own_text(ctx, para)
    for ss, se in _sentences(ctx.text, s, e):
        sent = ctx.text[ss:se].strip()
        if (
            not _ASSIGN.search(sent)
            or not _is_task_text(sent)
            or _PAST.search(sent)
            or sent.endswith(":")
        ):
            continue
        if (
            _NARRATIVE.search(sent[:200])
            and not _REQUEST.search(sent)
            and not re.search(r"\bsẽ\b", sent)
        ):
            continue
        if _CLOSING.search(sent) or _carries_out_document(sent):
            continue
        fake = Item("para", "", "", ss, ss, se)
        fake.label = f"p{len(ctx.tasks) + 1}"
        actors = clause_actors(
            ctx.text, ss, se, ctx.find, recipients=ctx.recipients, aliases=ctx.aliases
        )
        if not actors.lead_named and not _REQUEST.search(sent) and not re.search(r"\bsẽ\b", sent):
            continue
        _emit(ctx, fake, inherited, with_children=False)


def _sentences(text: str, start: int, end: int) -> list[Span]:
    out: list[Span] = []
    pos = start
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])", text[start:end]):
        out.append((pos, start + m.start()))
        pos = start + m.end()
    out.append((pos, end))
    return out


_OWN_ACTOR = re.compile(
    r"^(?:[^,.;:]{0,80},\s*)?(?:(?:các|những)\s+)?(?:Bộ|Sở|Ủy ban|UBND|Văn phòng|Tổng cục|Cục|Ban|Thủ trưởng|Chủ tịch|"
    r"Giám đốc|Bộ trưởng|Đề nghị|Giao|Yêu cầu|Phân công)\b"
)


def _split_trailing_paragraphs(text: str, root: Item) -> None:
    """Rule 9: an unmarked paragraph after the last item of the list, naming
    its own actor, is not part of that item."""
    items = [c for c in root.children if c.style != "para"]
    if not items:
        return
    last = items[-1]
    while last.children:
        last = last.children[-1]
    for start in list(last.paragraphs):
        para_text = text[start : last.end]
        if _OWN_ACTOR.match(para_text) or re.search(
            r"\b(?:Bộ|Sở|Ủy ban|Tổng cục|Cục)\s+sẽ\b", para_text[:200]
        ):
            para = Item("para", "", "", start, start, last.end, parent=root)
            last.end = len(text[:start].rstrip())
            last.paragraphs = [p for p in last.paragraphs if p < start]
            # Keep the root's children in text order.
            root.children.append(para)
            break
