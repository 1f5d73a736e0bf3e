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
from itertools import pairwise

from vanban.extractors import lexicon
from vanban.extractors import rules as R
from vanban.extractors.actors import (
    GIAO,
    LIEN_QUAN,
    Actors,
    asking,
    ends_with_bare_label,
    heads_a_list,
    labelled_lines,
    monitor_lines,
    names_only,
    partners_listed_below,
    starts_with_label,
    transmits,
    unassigned_role,
    unique_agencies,
    voiced_clause_actors,
    with_named_bodies,
)
from vanban.extractors.deadlines import (
    block_deadline,
    block_items,
    delivery_deadline,
    find_times,
    heading_deadline,
    task_deadline,
    with_recurrence,
    with_relative,
)
from vanban.extractors.frame import CLOSING as CLOSING_MARK
from vanban.extractors.structure import Item, parse_items
from vanban.extractors.table_tasks import RowContext, row_tasks
from vanban.extractors.tables import Table, fold_cell
from vanban.extractors.text_utils import capitals, fold, in_capitals, may_hold, strip_span
from vanban.schemas import Agency, Deadline, Task

Span = tuple[int, int]
FindAgencies = Callable[[str, int, int], list[Agency]]

# Sections of a plan that hold no tasks (rule 6), headings that also name the work
# (`II. CHỈ TIÊU, NHIỆM VỤ`: its target parts drop out by their own headings), and
# contact points (rule 3): `data/lexicon/section_names.tsv`.
_SECTIONS = "section_names"
# `II. NHỮNG KẾT QUẢ ĐẠT ĐƯỢC`, `2. Một số hạn chế, yếu kém`: the name after a quantifier.
_NOT_TASK_SECTION = re.compile(
    rf"^(?:{lexicon.alternation(_SECTIONS, 'kind', 'not_task')})|"
    rf"^(?:những|các|một số)\s+(?:{lexicon.alternation(_SECTIONS, 'quantified', 'y')})",
    re.I,
)
# A section name that is also a verb of work (`Đánh giá …`): `section_names.tsv`, column work.
_WORK_SECTION_NAME = re.compile(rf"^(?:{lexicon.alternation(_SECTIONS, 'work', 'y')})\b", re.I)
# `II. YÊU CẦU: Các sở, ban, ngành …`, `1. Mục đích, yêu cầu: …`: the section's name as the label
# of its one sentence, still the section (§3 rule 6; §6 Sections by heading); only the names
# that open no work (`section_names.tsv`, column `label`).
_ABOUT = re.compile(r"về\s+", re.I)
_ASKS_ADDRESSEE = re.compile(
    r"yêu cầu\s+(?!(?:chung|cụ thể|chính|đối với|về|của|và|khác|sau)\b)[^\W\d_]", re.I
)
_SECTION_LABEL = re.compile(
    rf"^(?P<name>(?:{lexicon.alternation(_SECTIONS, 'label', 'y')})\b[^.:;\n]{{0,40}}):",
    re.I,
)
_ALSO_TASKS = re.compile(
    rf"^[^.:;\n]{{0,40}}\b(?:{lexicon.alternation(_SECTIONS, 'kind', 'also_task')})\b"
    r"[^.:;\n]{0,40}$",
    re.I,
)
_INFO = re.compile(
    rf"^(?:{lexicon.alternation(_SECTIONS, 'kind', 'info')})|"
    # `Thông tin chi tiết xin liên hệ: …`, `Mọi chi tiết đề nghị liên hệ …`: a contact point.
    r"^(?:mọi |các )?(?:thông tin|chi tiết)[^.;:]{0,40}?\b(?:xin |vui lòng |đề nghị )?liên hệ\b",
    re.I,
)
_DEADLINE_ONLY = re.compile(
    r"^(?:thời hạn|thời gian)(?: gửi| nộp| hoàn thành| báo cáo| thực hiện)?[^:]{0,40}:?\s*$", re.I
)
# `3. Thời gian thực hiện: …` with its value: when the activity of its list is done (a
# labelled line, rule 6), not the time limit of sibling tasks (rule 4).
_EXECUTION_TIME = re.compile(
    r"^thời gian\s+(?:" + lexicon.literal("label_complements", "execution") + r")\b", re.I
)
# Liability only (rule 1): `[X] chịu trách nhiệm (trước Y) về …`, whatever follows `về`.
_LIABILITY = re.compile(
    r"^(?:(?:đề nghị|yêu cầu)\s+)?(?P<subject>[^;:.]{0,150}?)\s*\bchịu trách nhiệm\s+"
    r"(?:toàn diện\s+|hoàn toàn\s+|trực tiếp\s+)?(?:về|trước)\b",
    re.I,
)
# `…, hoàn thành trong/trước …` after a liability: completing the work by a time is an act.
_COMPLETES_BY = re.compile(
    r",\s*(?:bảo đảm\s+|đảm bảo\s+)?hoàn thành\s+(?:trong|trước|chậm nhất)\b", re.I
)
# `Khuyến khích …` (rule 8): encouragement; also said by a body of itself (`Ủy ban nhân dân
# tỉnh khuyến khích các sở …`), not when asked of one (`Đề nghị Sở X khuyến khích …`).
_ENCOURAGE = re.compile(r"^khuyến khích\b", re.I)
_ENCOURAGES = re.compile(r"^[^.;:,]{0,100}?\skhuyến khích\b", re.I)
_VERBS = "work_verbs"
# A word that can assign work (rules 1, 5): `data/lexicon/work_verbs.tsv`.
_ASSIGN = re.compile(rf"\b(?:{lexicon.alternation(_VERBS, 'assigns', 'y')})\b", re.I)
# Background, not a request (rule 5): an opening of circumstance (lexicon
# `background_openings`), or work already done (`đã`).
_NARRATIVE = re.compile(
    r"^(?:(?:ngày|năm) \d+|"
    + lexicon.literal("background_openings")
    + r")\b|\bđã\b|\bcó văn bản số\b",
    re.I,
)
# A dated past event (`Ngày 19 tháng 9 năm 2013, Văn phòng X có văn
# bản … yêu cầu …`) quotes an old request: never a task of this letter.
# Receipt of a document (`Ủy ban nhân dân tỉnh nhận được Tờ trình số … của Sở X …`, `… nhận được
# báo cáo của Bệnh viện X về …`) tells what came in, the background of a reply (rule 3); a
# request in it is the cited document's. So
# does a sentence that opens by citing where an earlier request was made (`Tại Công văn số …,
# Ủy ban nhân dân tỉnh yêu cầu …`).
_PAST = re.compile(
    r"^ngày \d|\bđã có văn bản\b|\bcó văn bản số\b|\bđã (?:"
    + lexicon.literal("asking_verbs", "past")
    + r")\b|"
    rf"\bnhận được\s+(?:{lexicon.alternation('doc_types')})\s+(?:số|của)\b|"
    # A dossier, a petition or a letter that came in (`Cục X nhận được hồ sơ đề nghị hoàn thuế
    # của Công ty X`): what the reply answers.
    r"\bnhận được\s+(?:(?:bộ|các)\s+)?(?:hồ sơ|đơn|thư)\b|"
    rf"^tại\s+(?:{lexicon.alternation('doc_types')})\s+số\b",
    re.I,
)
# Any request in an appraisal item makes it work (`… ghi nhận …; đề nghị tỉnh tiếp tục …`).
# (Lexicon `request_words`: `asks`, `obligation`, `to_come`.)
_REQUEST_WORDS = "request_words"
# `giao` as an assignment only (`GIAO`): not `bàn giao`, `giao thông` (ANNOTATION §3 rule 5).
_ASKS = re.compile(
    r"\b(?:"
    + "|".join(
        GIAO if w == "giao" else re.escape(w) for w in lexicon.selected(_REQUEST_WORDS, "asks")
    )
    + r")\b",
    re.I,
)
# A request that is really made here: the verb with its addressee.
# Not the document a request is made in (`Hồ sơ đề nghị gồm:`, `văn bản đề nghị của …`).
# `\b` first: most positions fail it at once, before the look-behinds are tried there.
_REQUEST = re.compile(
    # `Về đề nghị …` names a petition as the topic a reply answers, it asks nothing (rule 3).
    r"\b(?<!hồ sơ )(?<!văn bản )(?<!công văn )(?<!tờ trình )(?<!giấy )(?<!về )"
    rf"(?:đề nghị|yêu cầu|{GIAO})\s+(?!của\b|tại\b|nêu\b|trên\b)\S",
    re.I,
)
# The public as an actor (`data/lexicon/public_actors.tsv`), in file order.
_PUBLIC_PHRASES = "|".join(re.escape(w) for w in lexicon.words("public_actors"))
# Only the public as actor (rule 8): `data/lexicon/public_actors.tsv`; state enterprises
# (`doanh nghiệp nhà nước`, §4 @doanh-nghiep) are agencies.
_PUBLIC = re.compile(
    # After a topic of its own (`Đối với người lao động tại các doanh nghiệp, người sử dụng lao
    # động lựa chọn …`).
    r"^(?:đối với\s[^,.;:]{0,80},\s*)?(?:(?:đề nghị|yêu cầu|kêu gọi)\s+)?(?:các |mọi )?(?:"
    + _PUBLIC_PHRASES
    + r")\b(?!\s+nhà nước)",
    re.I,
)
# A lead-in that asks the public to act (`Sở X đề nghị các thương nhân kinh doanh
# xăng dầu thực hiện các nội dung sau:`): the items below inherit the public as their only
# actor (rule 2 inheritance, rule 8), unless an item names a body of its own.
_PUBLIC_LEADIN = re.compile(
    r"\b(?:đề nghị|yêu cầu|kêu gọi)\s+(?:các |mọi |toàn thể |quý )?(?:"
    + _PUBLIC_PHRASES
    + r")\b(?!\s+nhà nước)(?![^:]*\b(?:và|cùng|,)\s+(?:các\s+)?(?:"
    + lexicon.literal("body_kinds", "beside_public")
    + r")\b)",
    re.I,
)
# A label that names the topic or the time of the work after it, not a fact's name.
_TOPIC_OR_TIME_LABEL = re.compile(
    r"^(?:về|đối với)\s|^(?:trước|trong|từ|đến|chậm nhất|hoàn thành trước)\s+(?:ngày|tháng|quý|năm)\b",
    re.I,
)
# A document or information that is (or was) posted, sent or attached: information, no work.
# (lexicon `posted_words`)
_POSTED = "posted_words"
_PASSIVE_INFO = re.compile(
    r"^(?:các\s+)?(?:" + lexicon.literal(_POSTED, "kind", "thing") + r")\b[^.;:]{0,120}?\bđược\s+"
    r"(?:" + lexicon.literal(_POSTED, "kind", "verb") + r")\b",
    re.I,
)
# Information (rule 3): a text whose only purpose is that someone know (`Ủy ban nhân dân tỉnh sao
# gửi Nghị định số … đến các cơ quan, đơn vị để biết.`), not `để biết, thực hiện`.
_KNOW_ONLY = re.compile(
    r"\bđể\b[^.;]{0,200}?\b(?:được\s+)?(?:biết|rõ|tham khảo)\s*[./]*\s*(?:\([^()]*\)\s*[./]*\s*)?$",
    re.I,
)
_KNOW_WORDS = ("biết", "rõ", "tham")  # one ends every match of `_KNOW_ONLY` (`may_hold`)


@cache
def _transmits_only() -> re.Pattern[str]:
    """A sentence whose subject sends a document along (`[Thực hiện …,] Ủy ban nhân dân tỉnh
    sao gửi Công văn số … đến các cơ quan`): the letter's own act, information (rule 3)."""
    return re.compile(r"^(?:[^.;]{0,250}?,\s*)?[^,.;:]{0,80}?" + transmits().pattern, re.I)


# A person with a title of address (`Ông Nguyễn Văn A, Phó Giám đốc …`): an entry of a list of
# persons (delegates, members), which asks for no action unless a verb of work follows (rule 1).
# (lexicon `honorifics`, column `person_entry`; `đ/c` by its shape)
_PERSON = re.compile(
    r"^(?i:" + lexicon.literal("honorifics", "person_entry") + r"|đ/c)\s+[A-ZĐÀ-Ỹ][\w]*\s+[A-ZĐÀ-Ỹ]"
)
# Background (rule 3): work already done (`Bộ X đã thành lập …; tổ chức …`), told by a
# report or a press release; a request, an obligation or work to come (`sẽ`, `tiếp tục`) in it
# makes it work.
# `đã` right after the subject: not inside a clause that follows a verb (`Khi tiếp nhận …, Chi cục
# kiểm tra và xác nhận đã kiểm tra …`).
# The words that open a period by themselves (lexicon `time_openers`: a date, a month, a quarter,
# a year, with no word required after them) and the words before a time (`time_prepositions`).
_PERIOD_OPENERS = tuple(
    r["word"]
    for r in lexicon.rows("time_openers")
    if not r["next"] and set(r["opens"].split()) & {"DATE", "MONTH", "QUARTER", "YEAR", "HALF"}
)
_TIME_FRONT = "|".join(map(re.escape, (*_PERIOD_OPENERS, *lexicon.words("time_prepositions"))))
_DONE = re.compile(
    # A label, or a fronted time before its comma (`Năm 2026, tỉnh X đã …`; its first word
    # opens a time: lexicons `time_openers`, `time_prepositions`).
    rf"^(?:[^.;:]{{0,60}}:\s*)?(?:(?:{_TIME_FRONT})\s[^.;:,]{{0,30}},\s*)?"
    r"(?:(?P<subject>[^.;:,]{1,60}?)\s)?đã\s(?!được\s+(?:giao|phân công))",
    re.I,
)
_STILL_TO_DO = re.compile(rf"\b(?:{lexicon.literal(_REQUEST_WORDS, 'to_come')})\b", re.I)


# Background (rule 3): a statement of what something is (`Năm 2025 là năm cuối của kế hoạch …, có
# ý nghĩa đặc biệt quan trọng.`), with no word of work, request or obligation in it.
# `là` closes the subject (no comma before it), not `nhất là`, `đặc biệt là` (especially).
_IS_STATEMENT = re.compile(r"^[^.;:,]{1,80}?(?<!nhất)(?<!biệt)(?<!tức)\slà\s", re.I)
# A body's role stated, then the work it leads or coordinates (`Văn phòng … là đầu mối, phối
# hợp với Sở X chuẩn bị …`): an assignment, not a statement (rule 1; §3 coordinate).
_ROLE_THEN_WORK = re.compile(r"\slà\s[^.;:,]{1,40},\s*(?:chủ trì|phối hợp)\b", re.I)


def _states_fact(t: str) -> bool:
    """Rule 3: a sentence that says what something is (`… là …`) and asks nothing."""
    return (
        bool(_IS_STATEMENT.match(t))
        and not _ROLE_THEN_WORK.search(t)
        and not _ASSIGN.search(t)
        and not _ASKS.search(t)
        and not _OBLIGATION.search(t)
        and not _STILL_TO_DO.search(t)
    )


# A finding set off against the results (`Bên cạnh kết quả đạt được, tỉnh vẫn còn những tồn tại,
# hạn chế: …`, `Tuy nhiên, công tác cải cách hành chính còn chậm …`): background (rule 3),
# `data/lexicon/shortcoming_words.tsv`.
_SHORTCOMING_WORDS = "shortcoming_words"
_FINDING_OPENING = re.compile(
    rf"^(?:{lexicon.alternation(_SHORTCOMING_WORDS, 'kind', 'opening')})\b[^,]{{0,40}},", re.I
)
_SHORTCOMING = re.compile(
    rf"\b(?:{lexicon.alternation(_SHORTCOMING_WORDS, 'kind', 'shortcoming')})\b", re.I
)


def _reports_shortcoming(t: str) -> bool:
    """Rule 3: a finding that opens against the results and reports a shortcoming, asking
    nothing (`Tuy nhiên, giải ngân vốn đầu tư công còn chậm.`)."""
    return (
        bool(_FINDING_OPENING.match(t))
        and bool(_SHORTCOMING.search(t))
        and not _REQUEST.search(t)
        and not _OBLIGATION.search(t)
        # `giao` alone may be `giao thông`; a real `Giao X …` is a request, tested above.
        and all(m.group(0).lower() == "giao" for m in _ASSIGN.finditer(t))
    )


def _background_only(t: str) -> bool:
    """Rule 3: every sentence of the text tells of work done, reports a shortcoming or says
    what something is (`Năm 2026, tỉnh X đã … . Tuy nhiên, giải ngân … còn chậm.`)."""
    sentences = _SENTENCE_END.split(t)
    return len(sentences) > 1 and all(
        _done_only(x) or _reports_shortcoming(x) or _states_fact(x) for x in sentences
    )


def _done_only(t: str) -> bool:
    """Rule 3: the text only tells of work already done (`… đã …`), asks nothing."""
    m = _DONE.match(t)
    return (
        m is not None
        and not _concrete(m.group("subject") or "")
        and not _ASKS.search(t)
        and not _OBLIGATION.search(t)
        and not _STILL_TO_DO.search(t)
    )


def _closing_words(part: str) -> str:
    """The words of one part of the closing formula (`Đề nghị … nghiêm túc thực hiện, đúng
    tiến độ./.`) as an alternation in file order (lexicon `execution_closing`)."""
    return lexicon.literal("execution_closing", "part", part)


# Norms, not work (rule 8): a labelled line on a norm of a procedure (`Thẩm quyền quyết định
# …: Ban Thường vụ …`, `data/lexicon/norm_topics.tsv`) ...
_NORM_TOPIC = "(?:" + "|".join(re.escape(w) for w in lexicon.words("norm_topics")) + ")"
_NORM_LABEL = re.compile(rf"^(?:về\s+)?{_NORM_TOPIC}\b", re.I)
# ... a line that only sends the reader to a provision (`Về phương pháp …: thực hiện tương tự
# như khoản 2 Mục III Hướng dẫn số 01-HD/BTCTU`) ...
_PER_PROVISION = re.compile(
    r"^(?:được\s+)?(?:thực hiện|áp dụng)\s+(?:tương tự\s+)?(?:như|theo)\s+(?:nội dung\s+)?"
    r"(?:quy định\s+(?:tại\s+)?)?(?:"
    + lexicon.literal("division_words", "provision")
    + r")\s+[^;]*$",
    re.I,
)
# ... an entitlement or an allotment in the passive (`Cán bộ, công chức … được nghỉ từ ngày …`,
# `Kinh phí thực hiện … được bố trí trong dự toán …`), and a conditional entitlement
# (`Trường hợp … thì … được giải quyết …`), none of which says who must act.
# `Hồ sơ đề nghị gồm:`, `Thành phần tham dự gồm:`: what a dossier or a norm is made of, with
# its parts below: information, no work (§3 rule 3, rule 8).
_LISTS_PARTS = re.compile(
    rf"^{_NORM_TOPIC}\b[^.;:]{{0,60}}?\b(?:bao\s+)?gồm(?:\s+có)?\s*:\s*$", re.I
)
_PASSIVE_NORM = re.compile(
    rf"^(?:các\s+|toàn bộ\s+|mỗi\s+)?{_NORM_TOPIC}\b[^.;:]{{0,120}}?(?<!phải)(?<!cần)\s+(?:được\s+"
    r"(?!giao\b|phân công\b|yêu cầu\b|đề nghị\b|ủy quyền\b|chỉ định\b)\w|"
    # `Kinh phí thực hiện từ nguồn ngân sách …`, `… do ngân sách tỉnh bảo đảm`, `Nguồn kinh phí:
    # ngân sách tỉnh đã giao …`: where the money comes from, no actor.
    r"từ\s+nguồn\b|do\s+(?:nguồn\s+)?ngân sách\b)"
    rf"|^{_NORM_TOPIC}\s*:\s*(?:từ\s+)?(?:nguồn|ngân sách)\b"
    # `(Kinh phí thực hiện) Tổng kinh phí dự kiến 186,5 tỷ đồng, trong đó …`: how much the work
    # costs, an amount stated, no actor (rule 3: information).
    rf"|^(?:{_NORM_TOPIC}\b[^.;:\d]{{0,40}}?\s+)?tổng\s+{_NORM_TOPIC}\b[^.;\d]{{0,40}}?\d",
    re.I,
)
# `Các cơ quan thực hiện lịch làm việc 5 ngày/tuần thì được nghỉ thêm …`: `thì được`, an
# entitlement under a condition, also without `Trường hợp`/`Nếu`.
_CONDITIONAL_NORM = re.compile(
    r"^(?:(?:trường hợp|nếu)\b[^.]*(?P<then>\bthì\b)[^.]*(?<!để )\bđược\b|"
    r"[^.;:]{0,160}?(?P<then_entitled>\bthì)\s+được\b)",
    re.I,
)
_OBLIGATION = re.compile(rf"\b(?:{lexicon.literal(_REQUEST_WORDS, 'obligation')})\b", re.I)
# Legal basis (rule 3): an item that cites a document (`Luật Phòng, chống thiên tai ngày …;`,
# `Tại khoản 5, Điều 2 Nghị định số 120/2010/NĐ-CP … quy định: "…"`) or amends a provision
# (`Sửa đổi, bổ sung điểm c khoản 2 Điều 2 Quyết định số 118/QĐ-ABC:`).
_PROVISION = r"(?:(?:" + lexicon.literal("division_words", "basis") + r")\s+[\w.]+,?\s+(?:và\s+)?)*"
_LEGAL_BASIS = re.compile(
    rf"^(?:căn cứ\s+)?(?:(?:tại|theo)\s+)?{_PROVISION}(?:"
    r"(?:hiến pháp|bộ luật|luật|pháp lệnh)\b[^;.:]{0,120}?\b(?:ngày|năm|số)\s+\d"
    r"|(?:"
    + "|".join(re.escape(w) for w in lexicon.words("doc_types"))
    + r")\s+(?:số\s+)?\d+\s*[/-]"
    r")"
    r"|^(?:sửa đổi|bổ sung|bãi bỏ|thay thế)(?:,?\s+(?:sửa đổi|bổ sung))?\s+(?:một số\s+)?"
    r"(?:" + lexicon.literal("division_words", "amended") + r")\b",
    re.I,
)
# A conditional closing (`Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, đề nghị …
# phản ánh …`), also when numbered (rule 9).
# The type names of documents (lexicon `doc_types`), with a column for each rule that names
# the document itself by one.
_DOC_TYPES = "doc_types"
_CONDITIONAL_CLOSING = (
    r"^(?:trong\s+)?quá trình\s[^,.;]{0,60}?,?\s(?:nếu\s+)?(?:có|gặp|phát sinh|còn)\b[^.;]{0,40}?\b(?:khó khăn|vướng mắc)|"
    r"^nếu (?:có|gặp|phát sinh|còn)\b[^.;]{0,40}?\b(?:khó khăn|vướng mắc)"
)
# The closing formula and conditional closings (rule 9).
_CLOSING = re.compile(
    r"^trân trọng|\b(?:xin |trân trọng )?thông báo(?: để| đến)\b.*\b(?:biết|thực hiện)\b|\bthông báo\s*\./\.|"
    + _CONDITIONAL_CLOSING
    + r"|"
    r"\btrả lời để\b|\bđược (?:biết|rõ)\s*\./\.|"
    # `Tổng cục X trả lời các đơn vị được biết, thực hiện.`: a reply's closing, as `thông báo để
    # … biết, thực hiện` is a notice's, also without its `./.`.
    r"^[^.;:]{0,80}\btrả lời\s[^.;:]{0,150}\b(?:được\s+)?(?:biết|rõ)(?:\s*,?\s*(?:và\s+)?thực hiện)?\s*[./]*\s*$|"
    r"\bthực hiện nghiêm (?:túc )?(?:" + lexicon.literal(_DOC_TYPES, "closing") + r") này\b|"
    # `Trên đây là Kế hoạch …, yêu cầu các cơ quan, đơn vị triển khai thực hiện./.`
    r"^(?:(?:trên đây là\b[^.;:]{0,200}?[,;]|[^,.;:]{0,60},)\s*)?(?:đề nghị|yêu cầu)[^.;]{0,120}\b(?:(?:"
    + _closing_words("before")
    + r") )?(?:thực hiện|triển khai)"
    r"(?: nghiêm túc| nghiêm)?\s*\./\.|"
    # `Trên đây là Kế hoạch … trên địa bàn tỉnh./.`: a sentence that only says what the
    # document was closes it, as the formula after it does.
    r"^trên đây là (?:" + lexicon.literal(_DOC_TYPES, "closing") + r")\b[^.;:]{0,250}\./\.\s*$|"
    # A report's or a submission's closing (`Bộ X kính báo cáo Ủy ban nhân dân tỉnh./.`).
    # `Trên đây là báo cáo kết quả … của Ủy ban nhân dân tỉnh X, kính báo cáo Bộ …./.`
    r"^(?:trên đây là\b[^.;:]{0,250}?|[^.;:]{0,80})\bkính (?:báo cáo|trình|gửi)\b[^.;:]{0,120}\./\.\s*$|"
    # The same without `kính` (`Ủy ban nhân dân tỉnh X báo cáo Bộ Y tổng hợp./.`): the letter
    # itself goes to the body named right after the verb, for it to know or to act on.
    r"^[^.;:]{0,80}\bbáo cáo\s+(?:"
    + lexicon.alternation("body_heads")
    + r")\s[^.;:]{0,120}?\s(?:để\s+)?"
    r"(?:(?:" + lexicon.alternation("report_purposes") + r")(?:\s*,\s*|\s+và\s+)?)+\s*\./\.\s*$|"
    # `Sở X kính đề nghị Ủy ban nhân dân tỉnh xem xét, quyết định./.`: what the submission asks
    # is the decision on what it proposed above.
    r"^[^.;:]{0,80}\bkính đề nghị\b[^.;:]{0,80}\bxem xét\b[^.;:]{0,60}\./\.\s*$|"
    # An invitation's closing (`Rất mong các đồng chí tham dự đúng thời gian./.`).
    r"^rất mong\b[^.;:]{0,120}\./\.\s*$|"
    # A reply's thanks (`Bộ X trân trọng cảm ơn sự quan tâm của cử tri … và đề nghị Đoàn đại biểu
    # tỉnh X thông tin tới cử tri./.`): passing the reply on closes it.
    r"^[^.;:]{0,80}\b(?:trân trọng\s+)?cảm ơn\b[^;:]{0,250}\./\.\s*$|"
    # ... and its request that the persons invited attend (`Đề nghị các đại biểu tham dự đúng
    # thời gian, thành phần./.`): persons are no agencies (§4), the event is the letter's.
    r"^(?:đề nghị|kính mời|trân trọng kính mời)\s+(?:các\s+|quý\s+)?(?:đồng chí|đại biểu)\b"
    r"[^.;:]{0,40}\btham dự\b[^.;:]{0,80}\./\.\s*$|"
    # What is sent with the letter, noted after its closing (`(Gửi kèm theo: Dự thảo Quyết định)`).
    r"^\(\s*(?:xin\s+)?(?:gửi\s+)?kèm theo\b[^()]*\)\s*[./]*\s*$",
    re.I,
)
# An item whose only content is to carry out the document (rule 9).
_THIS_DOC_WORDS = ("này", "nội dung")  # every match holds one of them (`may_hold`)
_THIS_DOC = re.compile(
    # A type of the document (lexicon `doc_types`, column `this`), also a Party committee's
    # conclusions or resolution (`… thực hiện nghiêm túc Thông báo kết luận này`, `… Kết luận
    # này`, `… Nghị quyết này`, §6 Party notices) or the regulation a decision issues (`… Quy
    # chế này`), or `văn bản`: the document itself.
    r"\b(?:" + lexicon.literal(_DOC_TYPES, "this") + r"|văn bản|thông báo kết luận) này\b|"
    r"\b(?:các )?nội dung (?:hướng dẫn )?(?:nêu )?trên\b|\bnội dung hướng dẫn\b",
    re.I,
)
# A concrete duty (rule 9), as a verb; `Sở X`, `Ban Tổ chức` are names, not acts
# (lexicon `body_heads`, column `names_verb`).
# `\b` first: most positions fail it at once, before six look-behinds are tried there.
_CONCRETE = re.compile(
    r"\b"
    + "".join(rf"(?<!{re.escape(h)} )" for h in lexicon.selected("body_heads", "names_verb"))
    + rf"(?:{lexicon.alternation(_VERBS, 'concrete', 'y')})\b"
    # `tổ chức đảng`, `tổ chức chính trị - xã hội`: bodies (§4), not the verb `tổ chức`.
    r"(?!\s+(?:đảng|chính trị)\b)",
    re.I,
)


def _concrete(text: str) -> bool:
    """The text names a concrete duty (a report, a plan, monitoring), not only carrying out."""
    return bool(_CONCRETE.search(text))


# A lead-in that introduces findings or rules, not work (`… cho thấy:`,
# `Bộ X hướng dẫn … như sau:`): its items are tasks only when they name an actor.
_INFO_LEADIN = re.compile(
    r"\bcho thấy\s*:\s*$|"
    # The issuer reporting or announcing (`Sở X báo cáo công tác … năm 2025 như sau:`, `Sở …
    # thông báo tuyển dụng viên chức năm 2025 như sau:`), not a report heard before conclusions
    # (`Sau khi nghe báo cáo …, Chủ tịch kết luận như sau:`) nor conclusions or directions
    # announced (`Văn phòng X thông báo ý kiến chỉ đạo của Chủ tịch như sau:`).
    r"(?<!nghe )\b(?:báo cáo|thông báo)\b(?:(?!"
    + lexicon.literal("work_nouns", "announced")
    + r")[^:,.;])"
    r"{0,150}\bnhư sau\s*:\s*$|"
    r"^(?:từ )?kết quả\b|^(?:" + lexicon.literal(_SECTIONS, "leadin") + r")\b|"
    r"\bhướng dẫn\b[^:]*\bnhư sau\s*:\s*$|"
    r"\bquy định\b[^:]*\bnhư sau\s*:\s*$",
    re.I,
)
_CONTENT_LEADIN = re.compile(
    r"(?:trong đó|gồm|bao gồm|như sau|cụ thể|tập trung(?: vào)?|sau đây|"
    # `… với các nội dung chủ yếu sau:`, `…, gồm các nội dung chính:`: the points of one piece of work.
    r"\bnội dung(?:\s+(?:chủ yếu|chính|cơ bản|cụ thể|sau|như sau|sau đây))*)\s*:?\s*$",
    re.I,
)
# The points are the forms, the parts or the stress of the work the lead-in names (rule 2: one
# task): `… bằng các hình thức sau:`, `Tổ chức Hội nghị …, gồm các hoạt động sau:`, `Biên soạn
# tài liệu …, trong đó chú trọng:`. Not a request's (`đề nghị X …, trong đó lưu ý …:`: its works).
_CONTENT_COMPLEMENT = re.compile(
    r"(?:\b(?:bằng|với|theo|qua|thông qua)\s+(?:(?:các|những|một số)\s+)?"
    r"(?:hình thức|phương thức|cách thức|phương pháp)"
    r"|\b(?:gồm|bao gồm)\s+(?:(?:các|những|một số)\s+)?(?:hoạt động|phần|bước|chuyên đề|mục)"
    r"|\btrong đó,?\s+(?:chú trọng|ưu tiên|nhấn mạnh|làm rõ|nêu rõ|chú ý))"
    # `… với các hình thức phù hợp như:`: a few words may qualify the forms.
    r"(?:\s+[^\s:;.]+){0,4}\s*:\s*$"
    # `Tổ chức tập huấn cho nhân viên y tế thôn, bản về:`, `…, nhất là:`: its topics, its stress.
    r"|(?:\bvề|\bnhư|\bnhất là|\bđặc biệt là|\btrong đó có|\bchú trọng|\bưu tiên)\s*:\s*$",
    re.I,
)
# `Sở X thực hiện các nội dung sau:`, `… tổ chức triển khai một số nội dung sau:`: the verb only
# carries out, so the lead-in names no work of its own, only the actor: its points are separate
# works (§3 rule 2); not the implementation a report is about (`Báo cáo kết quả thực hiện …`).
_EXECUTE_LIST = re.compile(
    r"(?<!kết quả )(?<!tình hình )(?<!việc )\b(?:tổ chức\s+)?(?:triển khai\s+)?(?:thực hiện|triển khai)"
    r"(?:\s+(?:tốt|nghiêm túc|hiệu quả|ngay))*\s+(?:các|một số|những)\s+nội dung\b[^:;.]{0,30}:\s*$",
    re.I,
)
# The lead-in names the kind of its points (`… đạt các chỉ tiêu sau:`, `… cho các đối tượng
# sau:`, `… tại các địa điểm:`): targets, groups or places that spell out one piece of work
# (§3 rule 2: content points, one task), `data/lexicon/point_kinds.tsv`.
_POINT_KIND_WORDS = "point_kinds"
_POINT_KINDS = re.compile(
    rf"\b(?:các|những|một số)\s+(?:{lexicon.alternation(_POINT_KIND_WORDS)})\b"
    r"(?:\s+[^\s:;.,]+){0,4}\s*:\s*$",
    re.I,
)
# A target (§3 rule 6: `Chỉ tiêu` are not tasks) reads as a rate or a count to reach, its date
# first (`Đến hết năm 2025, 100% thôn, bản có sóng di động 4G;`, `Tỷ lệ hồ sơ … đạt 60%;`).
_TARGET_POINT = re.compile(
    r"^(?:(?:đến|tới|trong)\s+(?:hết\s+|cuối\s+)?(?:năm|giai đoạn|quý|tháng)\b[^,:;]{0,30},\s*)?"
    r"(?:phấn đấu\s+)?(?:(?:có\s+)?(?:trên|dưới|ít nhất|tối thiểu|khoảng|từ)\s+)?"
    r"(?:tỷ lệ\b|\d+(?:[.,]\d+)?\s*%|"
    # … or a count of what the work makes or reaches (`- 5.000 tờ gấp;`, `- 02 lớp tập huấn;`).
    # Not a time (`- 08 giờ 00: …` opens a schedule's entry) nor a date.
    r"\d{1,3}(?:\.\d{3})*\s+(?!%|(?:giờ|phút|ngày|tháng|năm|h)\b)[^\W\d_])",
    re.I,
)
# A point that opens with an event the work holds or a topic it speaks of (`- Lễ mít tinh …;`,
# `- Ý nghĩa lịch sử …;`): `data/lexicon/point_nouns.tsv`.
_POINT_NOUN_WORDS = "point_nouns"
_NOUN_POINT = re.compile(rf"^(?:{lexicon.alternation(_POINT_NOUN_WORDS)})\b", re.I)
# `… đề nghị Tỉnh lưu ý một số nội dung sau:`: the points a request asks its body to heed
# are its works too (rule 2: a request's lead-in names the actor; each point a task).
_FOCUS_END = re.compile(
    r"\b(?:tập trung(?: vào)?|lưu ý|chú ý|quan tâm)"
    r"(?: (?:một số|các|những) (?:nội dung|việc|vấn đề)(?: sau(?: đây)?)?)?\s*:?\s*$",
    re.I,
)
# `… thực hiện một số công việc như sau:`, `… có ý kiến như sau:`: a list of work.
# Not the source the work follows (`… các dự án theo chỉ đạo của Bộ Y, bao gồm:`).
_WORK_LIST = re.compile(
    r"\b(?<!theo )(?:" + lexicon.literal("work_nouns", "list") + r")\b"
    r"[^:]{0,40}:\s*$",
    re.I,
)
# `Tổng cục … hướng dẫn bổ sung như sau:`, `Cục … hướng dẫn Chi cục … thực hiện nội dung sau:`:
# a body instructs other agencies; what follows is their separate work, not one deliverable.
_GUIDES = re.compile(r"\bhướng dẫn\s+", re.I)
_GUIDES_ALL = re.compile(
    r"(?:bổ sung|thêm|cụ thể)?\s*(?:như sau|(?:các |một số )?nội dung (?:sau|như sau))\s*:\s*$",
    re.I,
)
# What a guided body is told to do when the points are its work (`hướng dẫn Chi cục … thực
# hiện (các nội dung) như sau:`): carry them out, nothing named of its own.
_EXECUTE_ONLY = re.compile(
    r"(?:(?:tổ chức\s+)?(?:thực hiện|triển khai)(?:\s+(?:các|một số|những))?)?", re.I
)
# The issuer presenting its own plan (`Chủ tịch … ban hành Kế hoạch … như sau:`): lexicon
# `doc_types`, column `issued_plan`.
_ISSUES_PLAN = re.compile(
    rf"\bban hành\s+(?:{lexicon.literal('doc_types', 'issued_plan')})\b", re.I
)
# A lead-in that opens with making a deliverable (lexicon `deliverable_verbs`).
_DELIVERABLE_VERBS = "deliverable_verbs"
_DELIVERABLE = re.compile(rf"^(?:{lexicon.literal(_DELIVERABLE_VERBS)})\b", re.I)


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
    # The lead of a preamble in which the issuer only presents a plan whose table assigns
    # the work: it names no actor, so tasks led by it alone count as unnamed (`drop_restated`).
    presented: list[Agency] = field(default_factory=list)
    # The lead of a preamble that only issues the document (`Ủy ban nhân dân huyện ban hành Kế
    # hoạch … như sau:`): it names no actor of the work, so items led by it alone are unnamed
    # for rule 6's last sentence (`_keep_assigned_work`), though they keep it as their lead.
    issuing: list[Agency] = field(default_factory=list)
    # The items below tell of results (a report, `… báo cáo kết quả … như sau:`): one that opens
    # with its actor is work only when it says work is to come (`_work_to_come`).
    reporting: bool = False
    # The document is a notice (`Thông báo`): it speaks for the leader whose conclusions it gives.
    notice: bool = False
    # `clause_actors` by (start, end, aliases, voiced): see `_actors`.
    actors_read: dict[tuple[int, int, tuple[str, ...], bool], Actors] = field(default_factory=dict)
    # `labelled_lines` by (text start, subtree end, with the letter's date): see `_labelled`.
    labelled_read: dict[tuple[int, int, bool], Actors] = field(default_factory=dict)
    # `_heading_text` by the item's (text start, end): the rules ask an item's again and again.
    headings_read: dict[tuple[int, int], str] = field(default_factory=dict)


def _actors(
    ctx: TaskContext, start: int, end: int, *, aliases: bool = True, voiced: bool = False
) -> Actors:
    """`clause_actors` of `ctx.text[start:end]`, read once per span: an item's own
    text is asked for again when it is emitted, and by the time-limit rules.
    `voiced`: a lead-in above names who acts (see `clause_actors`).

    A fresh `Actors` each time (lists copied), so that no caller changes another's.
    """
    # Keyed by the aliases passed, not the flag: a letter without aliases reads a span once.
    said = ctx.aliases if aliases else ()
    key = (start, end, said, voiced)
    if key not in ctx.actors_read:
        actors, voice_read = voiced_clause_actors(
            ctx.text,
            start,
            end,
            ctx.find,
            recipients=ctx.recipients,
            aliases=said,
            voiced=voiced,
            issuer=ctx.issuer.name if ctx.issuer is not None else "",
        )
        ctx.actors_read[key] = actors
        if not voice_read:  # the other `voiced` reads the same (`voiced_clause_actors`)
            ctx.actors_read[start, end, said, not voiced] = actors
    return _fresh(ctx.actors_read[key])


def _work_with_its_labels(ctx: TaskContext, item: Item, head: str) -> bool:
    """`3. Đánh giá nhu cầu tiêu dùng` over `- Đơn vị chủ trì: …`: a section name that is also
    a verb of work, its own lines below it labelling the task's lead, is that task, not a
    background section (§3 rule 6: labelled lines inside an item give that task's lead)."""
    return (
        item.style != "roman"
        and not any(c.children for c in item.children)
        and _WORK_SECTION_NAME.match(head) is not None
        and bool(_labelled(ctx, item).lead)
    )


def _labelled(ctx: TaskContext, item: Item, *, dated: bool = True) -> Actors:
    """`labelled_lines` of `item`, read once per item: a parent reads each child's labels
    and then its own, the item's visit and its labelled groups read the same item."""
    key = (item.text_start, item.subtree_end, dated)
    if key not in ctx.labelled_read:
        date = ctx.doc_date if dated else None
        ctx.labelled_read[key] = labelled_lines(ctx.text, item, ctx.find, doc_date=date)
    return _fresh(ctx.labelled_read[key])


def _fresh(actors: Actors) -> Actors:
    """A copy with lists of its own: what one caller does to it never reaches another.
    (Its fields copied as they are, not through `dataclasses.replace`, which builds the
    object anew by its `__init__`: a hundredth of a letter's time.)"""
    fresh = object.__new__(Actors)
    fresh.__dict__.update(actors.__dict__)
    fresh.lead = list(actors.lead)
    fresh.coordinate = list(actors.coordinate)
    fresh.report_to = list(actors.report_to)
    fresh.monitor = list(actors.monitor)
    return fresh


def _own_text(ctx: TaskContext, item: Item) -> Span:
    return strip_span(ctx.text, item.text_start, item.end, " \t\n")


def _heading_text(ctx: TaskContext, item: Item) -> str:
    """The item's own text on one line, read once per item (a string: no caller changes it)."""
    key = (item.text_start, item.end)
    if key not in ctx.headings_read:
        s, e = _own_text(ctx, item)
        ctx.headings_read[key] = " ".join(ctx.text[s:e].split())
    return ctx.headings_read[key]


def _names_only_actors(ctx: TaskContext, item: Item) -> bool:
    """The item's own text is nothing but bodies (`Sở X:`, `Các Bộ: A, B:`)."""
    s, e = _own_text(ctx, item)
    mentions = [a for a in ctx.find(ctx.text, s, e) if a.span is not None]
    return names_only(ctx.text, s, e, mentions)


@cache
def _appraisal() -> re.Pattern[str]:
    verbs = sorted(lexicon.words("appraisal_verbs"), key=len, reverse=True)
    # A speaker comes first (`Phó Chủ tịch ghi nhận …`): an item that opens with the
    # verb (`Biểu dương, nhân rộng gương …`) is work given to its actor.
    # A verb only ever said of work done may open the item, the speaker left out (`Hoan
    # nghênh tinh thần chủ động của tỉnh.`): the column `opening`.
    opening = lexicon.alternation("appraisal_verbs", "opening", "y")
    return re.compile(
        r"^(?:\S[^.;:]{1,80}?\s(?:" + "|".join(map(re.escape, verbs)) + rf")|(?:{opening}))\b",
        re.I,
    )


@cache
def _appraisal_opening() -> re.Pattern[str]:
    verbs = "|".join(
        map(re.escape, sorted(lexicon.words("appraisal_verbs"), key=len, reverse=True))
    )
    # In a notice the speaker is the leader whose conclusions it gives, and the verbs may open
    # the item (`Ghi nhận đề xuất của tỉnh …`, `Biểu dương tinh thần …`, `Ghi nhận, biểu dương
    # …`): a chain of them, then their object. Another verb after a comma is work
    # (`Biểu dương, nhân rộng gương …`).
    chain = rf"(?:{verbs})(?:\s*(?:,|và)\s*(?:{verbs}))*"
    return re.compile(rf"^{chain}\s+(?![,;:.])", re.I)


@cache
def _series_comma() -> re.Pattern[str]:
    """An appraisal verb right after a comma that follows other words (`…, biểu dương`)."""
    return re.compile(rf"\S,\s*(?:{lexicon.alternation('appraisal_verbs')})$", re.I)


def _appraises(text: str, *, notice: bool = False) -> bool:
    """The item's verb is an appraisal of work done, and it asks for nothing (rule 3)."""
    said = _appraisal().match(text) or (notice and _appraisal_opening().match(text))
    if said and _series_comma().search(text, 0, said.end()):
        # `Các cơ quan báo chí tăng cường thông tin, biểu dương gương …`: the verb goes on a
        # series of work after a comma, it is no speaker's verdict (rule 1: work asked for).
        return False
    return bool(said) and not _ASKS.search(text)


def _is_heading(ctx: TaskContext, item: Item) -> bool:
    """A section title rather than a sentence: short, no final stop or colon."""
    t = _heading_text(ctx, item)
    n, share = capitals(t)
    if n and share > 0.8:
        return True
    return (
        len(t) < 120
        and not t.endswith((".", ":", ";"))
        and item.style in {"roman", "dec", "letter", "dec2"}
    )


def _title_line(ctx: TaskContext, item: Item) -> Span | None:
    """The item's first paragraph when it is a title in capitals above more text."""
    s, e = _own_text(ctx, item)
    first = next((p for p in item.paragraphs if s < p < e), None)
    if first is None:
        return None
    n, share = capitals(ctx.text[s:first])
    if n < 4 or share <= 0.8:
        return None
    return s, first


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
    doc_type: str | None = None,
) -> list[Task]:
    """Tasks of the body `text[body[0]:body[1]]`; `aliases` are phrases the
    letter defined as its recipients (`các đơn vị`); `tables` the table nodes
    of the body (a task table gives one task per row, any other table none);
    `part` the title of the attachment the body belongs to; `detailed_in_table`
    says the letter has a task table, to which a section may refer its work;
    `doc_type` the type of the document the body belongs to (`Quy chế`)."""
    if part is not None and _PUBLISHED_LIST.match(part):
        R.not_a_task(body, R.PUBLISHED_LIST)
        return []
    if part is not None and _section_apart(part):
        R.not_a_task(body, R.SECTION_NOT_TASKS)
        return []
    default = default_lead or ([issuer] if issuer else [])
    find = with_named_bodies(text, find)
    ctx = TaskContext(text, find, recipients, issuer, doc_date, doc_id, aliases, part, default)
    ctx.notice = fold(doc_type or "").startswith(fold("thông báo"))
    start, end = body
    end = _closing_start(text, start, end)
    informs = _informs_only(text[end : body[1]])
    root = parse_items(text, start, end)
    _split_trailing_paragraphs(text, root, find)
    _split_sublist_paragraphs(ctx, root)
    _drop_quoted(text, root)
    _drop_tables(root, tables or [])
    _drop_table_leadins(text, root, tables or [])
    if _is_doc_kind(doc_type, "norm"):
        _drop_norm_articles(ctx, root)
    if detailed_in_table:
        _drop_sections_detailed_in_table(ctx, root)
    ctx.tasks.extend(_table_tasks(ctx, tables or []))
    if not any(c.style != "para" for c in root.children):
        for para in root.children:
            _sentence_tasks(ctx, para, Actors())
        _apply_time_limits(ctx, root)
        _apply_same_time(ctx)
        return _timed(text, ctx.tasks, doc_date)
    # What the last `…:` preamble passes to the items after it.
    inherited = Actors()
    # A report tells of results (rule 3), a guidance states norms, an invitation fixes an event
    # (rule 8): their items are work only when they open with their actor.
    informational = _is_doc_kind(doc_type, "informs")
    ctx.reporting = (
        _is_doc_kind(doc_type, "informs") and _RESULTS_TYPE.match(doc_type or "") is not None
    )
    answers = proposes = quotes = comments = encloses = public = False
    for node in root.children:
        if node.style == "para":
            s, e = _own_text(ctx, node)
            own = ctx.text[s:e]
            if own.endswith(":"):
                informational = _introduces_findings(own)
                ctx.reporting = informational and bool(_RESULTS_LEADIN.search(own.strip()))
                answers = (
                    _answers_question(own)
                    or _answers_request(own, ctx.issuer)
                    or _answers_petition(own, ctx.issuer)
                )
                proposes = _proposes(own)
                quotes = _quotes_petition(own) or _cites_provision(own)
                comments = _comments_on_draft(own)
                encloses = _lists_enclosures(own)
                # A preamble passes down who acts, not whom they work with; and only
                # its lead-in sentence does (`Ngày …, Phó Chủ tịch đã làm việc với … .
                # Sau khi nghe báo cáo, Phó Chủ tịch kết luận như sau:`), rule 2.
                leadin = _last_sentence(ctx.text, s, e)
                public = _PUBLIC_LEADIN.search(ctx.text, leadin, e) is not None
                actors = _actors(ctx, leadin, e)
                # Its time too, for the items that have none (rule 2: `Đề nghị các bộ hoàn thành
                # các nội dung sau trong tháng 9 năm 2025:`).
                inherited = replace(actors, coordinate=[], report_to=[]).with_deadline(
                    _request_time(ctx, leadin, e)
                )
                presents = _ISSUES_PLAN.search(own) is not None and all(
                    ctx.issuer is not None and a.name == ctx.issuer.name for a in actors.lead
                )
                if presents or _only_issues_plan(ctx.text[leadin:e]):
                    # `Chủ tịch Ủy ban nhân dân tỉnh ban hành Kế hoạch … như sau:`: the issuer
                    # presenting its document names no actor of the work (§3 lead; rule 6, last
                    # sentence: `the task section names no actor at all`).
                    ctx.issuing = list(actors.lead)
                    if detailed_in_table and presents:
                        ctx.presented = list(actors.lead)
            elif _after_first_item(root, node) and not informs:
                # An unnumbered request among or after the items (rules 5, 9).
                _sentence_tasks(ctx, node, Actors())
            continue
        if informs and not _REQUEST.search(ctx.text, node.text_start, node.subtree_end):
            _skip(node, R.INFORMATION)  # a letter that answers or informs (rule 3)
            continue
        if proposes:
            _skip(node, R.PROPOSAL)  # `… kính trình Ủy ban nhân dân tỉnh xem xét, quyết định:`
            continue
        if quotes:
            _skip(node, R.QUOTED)  # `… nhận được Công văn số … của X kiến nghị như sau:`
            continue
        if public and not _starts_with_actor(ctx, node):
            _skip(node, R.PUBLIC)  # `… đề nghị các thương nhân thực hiện các nội dung sau:`
            continue
        if encloses:
            _skip(
                node, R.INFORMATION
            )  # `Hồ sơ kèm theo gồm: 1. Tờ trình …; 2. Báo cáo thẩm định …`
            continue
        if comments and not _asks_a_body(ctx, node):
            _skip(node, R.PROPOSAL)  # `… có ý kiến góp ý như sau: 1. Tại khoản 2 Điều 5: …`
            continue
        if (
            answers
            and not _REQUEST.search(ctx.text, node.text_start, node.subtree_end)
            and not _starts_with_actor(ctx, node)
            and not _due_of_its_own(ctx, node)
            and not _subject_acts(ctx, node)
        ):
            _skip(node, R.ANSWER)  # `1. Về …: Theo quy định tại Điều …` (rule 3)
            continue
        _visit(ctx, node, inherited, informational=informational)
    _apply_time_limits(ctx, root)
    _apply_same_time(ctx)
    _keep_assigned_work(ctx, root)
    return _timed(text, ctx.tasks, doc_date)


# A text of rules (§3 rule 8) or a report (§3 rule 3): `data/lexicon/doc_types.tsv`, column `kind`.
_KIND_OF_TYPE = {fold(r["name"]): r["kind"] for r in lexicon.rows("doc_types")}
# The article of a text of rules that assigns its implementation (`Điều 20. Tổ chức thực hiện`,
# `Trách nhiệm thi hành`): rule 8, `the article that assigns their implementation … is` a task
# (lexicon `implementation_headings`).
_IMPLEMENTATION = re.compile(
    r"^(?:" + lexicon.literal("implementation_headings") + r")\b",
    re.I,
)


# A list a decision publishes or approves (`DANH MỤC THỦ TỤC HÀNH CHÍNH …`, rules 7 and 8):
# `data/lexicon/published_lists.tsv`, after a title of `attachment_titles`' column `published`.
_PUBLISHED = "published_lists"
_PUBLISHED_LIST = re.compile(
    rf"^(?:{lexicon.literal('attachment_titles', 'published')})\b[^()]{{0,60}}?"
    rf"\b(?:{lexicon.alternation(_PUBLISHED)})\b",
    re.I,
)


# An attachment's type name and numeral (`PHỤ LỤC II`, `BIỂU 01`), and a word that only says it
# lists or tabulates (`DANH MỤC CÁC …`, `BẢNG …`, lexicon `listing_words`): what follows
# names what it holds.
_LISTING_WORDS = lexicon.literal("listing_words")
_ATTACHMENT_TYPE = re.compile(
    rf"^(?:{lexicon.alternation('attachment_titles')})(?:\s+(?:[IVXLC]+|\d+)\b)?[\s.:*_-]*"
    rf"(?:(?:{_LISTING_WORDS})\s+(?:các\s+)?)?",
    re.I,
)
_NAMES_WORK = re.compile(rf"\b(?:{lexicon.alternation(_SECTIONS, 'kind', 'also_task')})\b", re.I)


def _section_apart(title: str) -> bool:
    """An appendix that is a plan's target or background section printed apart (`PHỤ LỤC` /
    `CHỈ TIÊU PHÁT TRIỂN … NĂM 2025`, `PHỤ LỤC I` / `MỤC TIÊU CỤ THỂ …`): it gives no task, even
    where its entries name a body (§3 rule 6; §6 Sections by heading: a `Mục tiêu` or `Chỉ tiêu`
    section gives no task even when an item in it names an actor), unless its title also names
    the work (`MỤC TIÊU, NHIỆM VỤ …`). A name that is also a verb of work (`ĐÁNH GIÁ …`) opens
    a title of work as well, and is left to the items."""
    m = _ATTACHMENT_TYPE.match(title)
    if m is None:
        return False
    name = title[m.end() :].split("(", 1)[0]
    return (
        bool(_NOT_TASK_SECTION.match(name))
        and not _WORK_SECTION_NAME.match(name)
        and not _NAMES_WORK.search(name)
    )


def roles_from_columns(
    text: str, tables: list[Table], find: FindAgencies, tasks: list[Task]
) -> list[Task]:
    """An actor named by its role that no running text gives a body (`Các cơ quan chủ trì
    nhiệm vụ tại mục II báo cáo …`, `Các cơ quan phối hợp cử cán bộ …`) in a document whose
    task table assigns that role row by row (`| Cơ quan chủ trì | Cơ quan phối hợp |`): the
    bodies of that column (§3 coordinate: every body the document assigns to that role,
    anywhere; a column, as a labelled line, gives it)."""
    given = _role_columns(text, tables, find)
    if not any(given.values()):
        return tasks
    out = []
    for t in tasks:
        lead, coordinate = _given_role(t.lead, given), _given_role(t.coordinate, given)
        if (lead, coordinate) == (t.lead, t.coordinate):
            out.append(t)
            continue
        rules = [*t.rules, str(R.LEAD_ROLE_COLUMN)]
        out.append(t.model_copy(update={"lead": lead, "coordinate": coordinate, "rules": rules}))
    return out


# The role word a column's header prints (`Cơ quan chủ trì`, `Đơn vị phối hợp`).
_ROLE_WORDS = {"lead": "chủ trì", "coordinate": "phối hợp"}


def _role_columns(text: str, tables: list[Table], find: FindAgencies) -> dict[str, list[Agency]]:
    """The bodies of each task table's column whose header names a role with its word."""
    given: dict[str, list[Agency]] = {"lead": [], "coordinate": []}
    for table in tables:
        if not table.is_task_table or table.header is None:
            continue
        head = table.rows[table.header]
        for j, role in enumerate(table.roles):
            word = _ROLE_WORDS.get(role)
            if word is None or j >= len(head) or word not in fold_cell(text[slice(*head[j])]):
                continue
            for row in table.body_rows():
                if j < len(row) and len(row) == len(table.roles):
                    given[role].extend(a for a in find(text, *row[j]) if a.code != LIEN_QUAN)
    return {role: unique_agencies(bodies) for role, bodies in given.items()}


def _given_role(agencies: list[Agency], given: dict[str, list[Agency]]) -> list[Agency]:
    out: list[Agency] = []
    for a in agencies:
        role = unassigned_role(a)
        bodies = given.get(role or "", [])
        out.extend(b.model_copy(update={"raw": a.raw, "span": a.span}) for b in bodies)
        if not bodies:
            out.append(a)
    return out if out == agencies else unique_agencies(out)


def _is_doc_kind(doc_type: str | None, kind: str) -> bool:
    return doc_type is not None and _KIND_OF_TYPE.get(fold(doc_type)) == kind


def _drop_norm_articles(ctx: TaskContext, root: Item) -> None:
    """Rule 8: the articles of a text of rules (`Quy chế`, `Quy định`) state rights and duties
    in general terms, norms no tracker follows up; only the article on its implementation
    (`Điều 20. Tổ chức thực hiện`) may assign work, read as any item is."""
    for node in root.walk():
        if node.parent is None or node.style != "article":
            continue
        if not _IMPLEMENTATION.match(_heading_text(ctx, node)):
            _skip(node, R.NORM_ARTICLE)
            node.parent.children = [c for c in node.parent.children if c is not node]


def _timed(text: str, tasks: list[Task], doc_date: str | None) -> list[Task]:
    """Last, once every due date is decided: work without one may recur, or have a
    time limit counted from an event the letter does not date."""
    tasks = with_recurrence(text, tasks, doc_date=doc_date)
    return with_relative(text, tasks, doc_date=doc_date)


# `… trả lời để Ủy ban nhân dân tỉnh X được biết./.`: the closing asks only that the reader know.
_FOR_KNOWLEDGE = re.compile(r"\bđể\b[^.;]{0,200}?\b(?:được\s+)?(?:biết|rõ)\s*\./\.", re.I)


def _informs_only(closing: str) -> bool:
    """The closing formula gives the letter's purpose: `… để X (được) biết./.` and
    nothing to carry out (`biết, thực hiện`). Its items answer or inform (§3 rule 3):
    only those that ask for work in so many words (`đề nghị`, `yêu cầu`, `giao`) are tasks."""
    return bool(_FOR_KNOWLEDGE.search(" ".join(closing.split())))


def _only_issues_plan(leadin: str) -> bool:
    """The preamble's lead-in only issues the document (`… ban hành Kế hoạch … như sau:`), with
    no request of work beside it (`… ban hành Kế hoạch …, giao các sở thực hiện:` asks)."""
    return _ISSUES_PLAN.search(leadin) is not None and _REQUEST.search(leadin) is None


def _request_time(ctx: TaskContext, s: int, e: int) -> Deadline | None:
    """The time a preamble's request gives its items: only after the request's verb (`Đề
    nghị các bộ hoàn thành các nội dung sau trong tháng 9 năm 2025:`), never the period of a
    purpose or of the programme before it (`Để bảo đảm … trong năm 2013, Bộ đề nghị …:`)."""
    asks = list(_REQUEST.finditer(ctx.text, s, e))
    if not asks:
        return None
    return task_deadline(ctx.text, asks[-1].start(), e, doc_date=ctx.doc_date)


def _keep_assigned_work(ctx: TaskContext, root: Item) -> None:
    """Rule 6, last sentence (§6 Sections by heading): when one section assigns
    the work agency by agency (`Tổ chức thực hiện`, `Phân công nhiệm vụ`: its
    items open with the body that acts), a task section that names no actor
    at all gives no tasks."""
    if not ctx.unnamed:
        return  # every task names its actor: none drops out (the sections need not be read)
    sections = _sections(ctx, root)
    # `III. TỔ CHỨC THỰC HIỆN` / `1. Phân công nhiệm vụ` / `a) Sở X …`: the list that assigns
    # may sit one level down, under a sub-heading of the section.
    assigning = [
        s
        for s in sections
        if _assigns_by_agency(ctx, s)
        or any(_assigns_by_agency(ctx, c) for c in s.children if c.children)
    ]
    if not assigning or len(sections) < 2:
        return

    def section_of(task: Task) -> Item | None:
        return next((s for s in sections if s.start <= task.span[0] < s.subtree_end), None)

    # A section drops out when it names (next to) no actor (rule 6): a stray
    # mention (`phát huy vai trò của Hội X …`) does not make it assign work.
    named: dict[int, int] = {}
    total: dict[int, int] = {}
    # The assigning section gives out the same work (rule 6: `the same work agency by agency`):
    # some unnamed task of the section is restated there; else the section's work is its own.
    # Only the text below the assigning section's heading: `TỔ CHỨC THỰC HIỆN` is no work given
    # out (`Tổ chức diễn tập …` is not restated by it).
    assigned = frozenset().union(
        *(_word_set(ctx.text[_below_heading(a) : a.subtree_end]) for a in assigning)
    )
    restated: set[int] = set()
    for i, t in enumerate(ctx.tasks):
        key = id(section_of(t))
        total[key] = total.get(key, 0) + 1
        named[key] = named.get(key, 0) + (i not in ctx.unnamed)
        if i in ctx.unnamed and _mostly_in(_word_set(t.text), assigned):
            restated.add(key)
    # `II. NỘI DUNG KIỂM TRA` over what an inspection covers, and `Sở X … tổ chức kiểm tra theo
    # nội dung Kế hoạch`: the assigning section gives out the work the heading names.
    restated.update(id(s) for s in sections if _content_of(_heading_text(ctx, s), assigned))
    # `Sở X chủ trì thực hiện nhiệm vụ tại điểm 1 Mục II`: the section named by its marker.
    text_of = " ".join(
        sentence
        for a in assigning
        for sentence in re.split(r"(?<=[.;])\s+|\n", ctx.text[a.start : a.subtree_end])
        if _assigns_a_part(sentence)
    )
    restated.update(id(s) for s in sections if _names_part(s, text_of))
    keep = [
        i not in ctx.unnamed
        or (sec := section_of(t)) is None
        or sec in assigning
        or named[id(sec)] * 4 >= total[id(sec)]
        or id(sec) not in restated
        for i, t in enumerate(ctx.tasks)
    ]
    for t, k in zip(ctx.tasks, keep, strict=True):
        if not k:
            R.not_a_task(t.span, R.UNNAMED_SECTION)
    ctx.tasks = [t for t, k in zip(ctx.tasks, keep, strict=True) if k]


def _names_part(section: Item, text: str) -> bool:
    """`text` refers to the section by its printed marker (`Mục II`, `phần II`)."""
    if not section.key or not re.fullmatch(r"[IVXLC]+", section.key):
        return False
    return re.search(rf"\b(?:{_WHOLE_PART_WORDS})\s+{section.key}\b", text, re.I) is not None


@cache
def _content_heading() -> re.Pattern[str]:
    """`NỘI DUNG KIỂM TRA`: the words that open the heading of a work's content points, and
    the work it names (`data/lexicon/content_headings.tsv`)."""
    opening = lexicon.alternation("content_headings")
    return re.compile(
        rf"^(?:[IVXLC]+|\d+)?[.)]?\s*(?:{opening})\s+(?P<work>[^.:;()]+?)\s*:?$", re.I
    )


def _content_of(heading: str, assigned: frozenset[str]) -> bool:
    """The heading names the content of one work (§3 rule 2: its items are content points) and
    every word of that work is in the assigning section's text."""
    m = _content_heading().match(heading)
    work = _word_set(m.group("work")) if m else frozenset()
    return bool(work) and work <= assigned


def _below_heading(section: Item) -> int:
    """Where a section's text below its heading starts: its first child, else its start."""
    return section.children[0].start if section.children else section.start


def _mostly_in(words: frozenset[str], other: frozenset[str]) -> bool:
    """A third of the words of a task are in `other` (a restatement may be brief)."""
    return bool(words) and len(words & other) * 3 >= len(words)


def _sections(ctx: TaskContext, root: Item) -> list[Item]:
    """The body's sections; those of a plan an article issues (`Điều 1. Ban hành Kế hoạch …:`
    / `I. MỤC ĐÍCH …`) in the article's place."""
    out: list[Item] = []
    for c in root.children:
        if c.style == "para" or not c.children:
            continue
        if c.style == "article" and _holds_plan_sections(ctx, c):
            out.extend(s for s in c.children if s.style != "para" and s.children)
        else:
            out.append(c)
    return out


def _assigns_by_agency(ctx: TaskContext, section: Item) -> bool:
    """Most of the section's items open with the body that acts (an actor heading). Items that
    assign no one are not counted: where the money comes from (`3. Kinh phí thực hiện … được
    bố trí …`, rule 8's norm) and the conditional closing (`4. Trong quá trình thực hiện, nếu
    có khó khăn, vướng mắc …`, rule 9)."""
    items = [c for c in section.children if c.style != "para" and not _assigns_no_one(ctx, c)]
    if len(items) < 2:
        return False
    # Two thirds of them, counted only until the answer is known: each is an agency scan.
    need = -(-len(items) * 2 // 3)
    named = 0
    for k, c in enumerate(items):
        if named >= need or named + len(items) - k < need:
            break
        named += _starts_with_actor(ctx, c)
    return named >= need


def _assigns_no_one(ctx: TaskContext, item: Item) -> bool:
    """A leaf that states a norm or is the conditional closing (rules 8 and 9)."""
    if item.children:
        return False
    own = _heading_text(ctx, item)
    return bool(re.match(_CONDITIONAL_CLOSING, own, re.I)) or _states_norm(own)


# A quoted letter opens a paragraph (or follows a colon) and closes with its pair: the group
# `q`. The pattern opens on the line break or colon before it, so that the engine skips to one
# at C speed (a look-behind first was tried at every position of the letter).
_QUOTE = re.compile(r"[\n:](?P<q>[ \t]*(?:“[^“”]{200,}”|\"[^\"\n]{200,}\"))", re.S)
# A paragraph printed wholly inside one pair of quotation marks, perhaps closed by a stop.
_QUOTED_PARAGRAPH = re.compile(r"[ \t]*(?:“[^“”]+”|\"[^\"]+\")[ \t]*[.;]?[ \t]*")


def _drop_quoted(text: str, root: Item) -> None:
    """Instructions quoted from an earlier letter (`“…Trên cơ sở…”`), and an unmarked
    paragraph printed wholly in quotation marks (`nội dung kiến nghị như sau:` / `"Đề nghị Bộ
    X sớm ban hành …"`), are not this letter's tasks: the text of another (§3 rule 3)."""
    if text.find("“", root.start) < 0 and text.find('"', root.start) < 0:
        return  # no quotation mark: `_QUOTE`, tried at every position, would find nothing
    spans = [m.span("q") for m in _QUOTE.finditer(text, max(0, root.start - 1))]
    for c in root.children:
        if c.style == "para" and _QUOTED_PARAGRAPH.fullmatch(text, c.start, c.end):
            R.not_a_task((c.start, c.end), R.QUOTED)
            spans.append((c.start, c.end))
    _prune(root, sorted(spans))


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


def _drop_table_leadins(text: str, root: Item, tables: list[Table]) -> None:
    """Rule 2 (the lead-in itself is not a task) with rule 6 (a task table gives one task per
    row): an item cut off by a task table after a colon (`IV. PHÂN CÔNG … / Ủy ban nhân dân tỉnh
    phân công các cơ quan thực hiện các nhiệm vụ sau:`) only introduces the table's rows."""
    starts = [t.span[0] for t in tables if t.is_task_table and t.span[1] > t.span[0]]
    if not starts:
        return
    leadins = [
        node
        for node in root.walk()
        if node is not root
        and not node.children
        and any(node.end <= a and not text[node.end : a].strip() for a in starts)
        and text[node.text_start : node.end].rstrip().endswith(":")
    ]
    for node in leadins:
        R.not_a_task((node.start, node.end), R.TABLE_LEADIN)
    _prune(root, [(n.start, n.start + 1) for n in leadins])


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
        if (
            section is node
            and not node.children
            and parent is not None
            and not _names_actor(ctx, node)
        ):
            # `II. NHIỆM VỤ CỤ THỂ (Chi tiết tại Phụ lục kèm theo)`: a heading and its note.
            parent.children = [c for c in parent.children if c is not node]
            continue
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


def _is_closing(text: str) -> bool:
    """The closing formula (rule 9), a conditional one included; not a closing that adds a
    concrete duty (`Văn phòng X theo dõi, đôn đốc … thực hiện nghiêm Công điện
    này; báo cáo …`), which is a task."""
    if not _CLOSING.search(text):
        return False
    conditional = re.search(_CONDITIONAL_CLOSING, text, re.I)
    # Whom the letter informs (`… trả lời để Công ty Cổ phần Xây dựng X được biết./.`) is
    # named, not asked to act: a verb in that name (`Xây dựng`) is no duty.
    rest = _CLOSING.sub(" ", _FOR_KNOWLEDGE.sub(" ./.", text))
    return bool(conditional) or not _concrete(rest)


# A footnote block's rule (`______`) after the closing formula: the notes below it explain the
# text, they are no items of it (§3: tasks lie before the closing formula).
_FOOTNOTE_RULE = re.compile(r"^[ \t]*_{5,}[ \t]*$", re.M)


def _before_footnotes(text: str, start: int, end: int) -> int:
    rules = list(_FOOTNOTE_RULE.finditer(text, start, end))
    if rules and CLOSING_MARK.search(text, start, rules[-1].start()):
        return rules[-1].start()
    return end


# A line that opens with a numbered, lettered or article marker (`1.`, `II.`, `a)`, `Điều 2.`).
_NUMBERED_LINE = re.compile(r"^[ \t]*(?:điều\s+\d+|\d+|[IVXLC]+|[a-zđ])[.)]", re.I | re.M)


# The most a site's trailer after the end mark holds (a few links, a menu); an attachment the
# frame did not tell apart is longer.
_TRAILER = 600


def _up_to_end_mark(text: str, start: int, end: int) -> int:
    """The body ends at the document's end mark `./.`, its last one: what a crawl keeps after it
    (`---` / `Văn bản liên quan:` / `- Luật …`, a site's links) is no part of the document
    (§3: tasks lie before the closing formula; text not part of the document is ignored)."""
    at = text.rfind("./.", start, end)
    if at < 0 or end - at > _TRAILER or _NUMBERED_LINE.search(text, at, end):
        return end  # a long text or numbered items after it: a part read with the body
    return at + 3


def _closing_start(text: str, start: int, end: int) -> int:
    """Cut the closing formula (`… biết, thực hiện./.`, `Trân trọng./.`) off the body."""
    end = _up_to_end_mark(text, start, _before_footnotes(text, start, end))
    lines = text[start:end].split("\n")
    pos = end
    below = ""  # the closing lines cut so far, up to a blank line
    closed = False
    for line in reversed(lines):
        ls = pos - len(line)
        stripped = line.strip()
        if not stripped or (stripped.isdigit() and len(stripped) <= 3):
            # A blank line, or a page's number printed at its foot (a PDF's text).
            pos, below = ls - 1, ""
            continue
        unmarked = not re.match(r"^(?:\d+|[a-zđ]|[IVX]+)[.)/]", stripped)
        if closed and stripped.endswith(".") and not stripped.endswith("./."):
            # A closing formula printed over paragraphs (`Trên đây là Kế hoạch … .` ↵ `Trong
            # quá trình thực hiện, nếu có vướng mắc … ./.`): a paragraph above a closing one
            # ends as the last one does, as the sentences of one closing paragraph do (rule 9).
            stripped = stripped[:-1] + "./."
        if unmarked and (_closing_paragraph(stripped) or _contact_line(stripped)):
            pos, below, closed = ls - 1, stripped, True
            continue
        # `Yêu cầu các sở, ban, ngành,` / `Ủy ban nhân dân các xã … thực hiện nghiêm túc Kế
        # hoạch này./.`: a hard wrap inside the closing sentence; its first lines are part of it.
        joined = f"{stripped} {below}"
        if below and unmarked and not _closes_line(stripped) and _closing_paragraph(joined):
            pos, below, closed = ls - 1, joined, True
            continue
        break
    return max(start, pos)


def _closes_line(line: str) -> bool:
    """The line ends a sentence or a clause (`.`, `;`, `:`): the next line is not its wrap."""
    return line.rstrip(" \t*_").endswith((".", ";", ":", "!", "?"))


# A sentence's end inside a paragraph: a full stop before a capital.
_SENTENCE_END = re.compile(r"(?<=\.)\s+(?=[^\W\d_])")


def _closing_paragraph(line: str) -> bool:
    """Rule 9: an unmarked paragraph that is the closing formula, or only closing sentences
    (`Trên đây là Kế hoạch …; yêu cầu các cơ quan … triển khai thực hiện. Trong quá trình
    thực hiện, nếu có khó khăn, vướng mắc, … phản ánh …./.`): carrying out the document and
    the conditional closing both belong to the closing formula."""
    if len(line) >= 400:
        return False
    if _CLOSING.search(line) and _is_closing(line):
        return True
    sentences = _SENTENCE_END.split(line)
    if len(sentences) < 2:
        # `Yêu cầu … nghiêm túc triển khai thực hiện; trong quá trình thực hiện, nếu có khó
        # khăn, vướng mắc, … báo cáo …./.`: closing clauses joined by a semicolon.
        clauses = re.split(r";\s+", line)
        return len(clauses) > 1 and all(
            _closing_paragraph(re.sub(r"[.;]*(?:/\.)?$", "./.", c[:1].upper() + c[1:]))
            for c in clauses
        )
    if not all(p[:1].isupper() for p in sentences):
        return False
    # Each sentence closes as the paragraph's last one does (`./.`).
    return all(_closing_paragraph(re.sub(r"\.(?:/\.)?$", "./.", p)) for p in sentences)


def _contact_line(line: str) -> bool:
    """An unmarked contact paragraph at the end of the body (`Thông tin chi tiết xin liên hệ:
    ông …, Vụ X, điện thoại …`): a contact point gives information, no work (rule 3),
    so it is no part of the last item, and the unit it names is no actor of it (§3 lead)."""
    return bool(_INFO.match(line)) and not _REQUEST.match(line) and len(line) < 400


# `Căn cứ vào Điều 1 …, Sở X, UBND huyện Y có trách nhiệm …:` opens with a section's word but
# is a clause that gives work, not the section's name (§6 Sections by heading).
_ASSIGNING_VERB = re.compile(r"\b(?:có trách nhiệm|chủ trì)\b", re.I)
_ASSIGNING_VERB_WORDS = ("có trách nhiệm", "chủ trì")  # what it matches (`may_hold`)


def _assigns_in_heading(head: str) -> bool:
    # Read in one pass (a pattern `[^.;:]{3,},[^.;:]*…` was quadratic in a run of commas).
    clause = re.split(r"[.;:]", head, maxsplit=1)[0]
    if not may_hold(clause.lower(), *_ASSIGNING_VERB_WORDS):
        return False  # most headings hold neither (a pattern opening on `\b`: every position)
    verb = _ASSIGNING_VERB.search(clause)
    return verb is not None and "," in clause[3 : verb.start()]


def _first_line(ctx: TaskContext, item: Item) -> str:
    s, e = _own_text(ctx, item)
    return ctx.text[s:e].split("\n", 1)[0].strip()


# `- Nội dung:` closing an item's own text: the points below are that task's content (rule 6).
_CONTENT_LABEL = re.compile(r"(?:^|\n)[ \t]*[-+•]?[ \t]*nội dung\b[^:\n]{0,30}:\s*$", re.I)


def _action_over_content_label(ctx: TaskContext, item: Item) -> bool:
    """`1. Sở X xây dựng Kế hoạch …` / `Nội dung Kế hoạch:` / points: the lead-in is an action
    and a `Nội dung …:` line closes it, so the points are that work's content (§3 rule 2: one
    task; rule 6: its content bullets are part of it); not after a lead-in that names only the
    actor (`1. Sở X` / `Nội dung thực hiện:`: its separate works)."""
    s, e = _own_text(ctx, item)
    label = _CONTENT_LABEL.search(ctx.text, s, e)
    if label is None:
        return False
    before = strip_span(ctx.text, s, label.start(), " \t\n")
    if before[1] <= before[0]:
        return False
    mentions = [a for a in ctx.find(ctx.text, *before) if a.span is not None]
    return not names_only(ctx.text, *before, mentions)


def _target_points(ctx: TaskContext, item: Item) -> bool:
    """Every point under an action's lead-in is a target to reach (`a) Phát triển hạ tầng
    viễn thông:` / `- Đến hết năm 2025, 100% thôn có sóng 4G;` / `- 80% hộ gia đình có kết nối
    Internet.`): the targets measure that one piece of work, they are no works of their own
    (§3 rule 2's test; rule 6: targets are not tasks). Not under a lead-in that names only the
    actor (`1. Sở X:`), whose points are its own."""
    points = [c for c in item.children if c.style != "para"]
    if len(points) < 2 or any(c.children for c in points) or _names_only_actors(ctx, item):
        return False
    return all(
        _TARGET_POINT.match(" ".join(ctx.text[slice(*_own_text(ctx, c))].split())) for c in points
    )


# `… tại các cơ quan:`, `… đối với các đơn vị sau:`: the points are where or on whom the work is
# done.
_OBJECT_LEADIN = re.compile(
    r"\b(?:tại|ở|đối với|cho|đến|tới)\s+(?:(?:các|những|một số)\s+)?[^\s:;.,]+"
    r"(?:\s+[^\s:;.,]+){0,4}\s*:\s*$",
    re.I,
)


def _object_points(ctx: TaskContext, item: Item) -> bool:
    """The points are nothing but bodies, and the lead-in that opens with its work ends by
    naming where or on whom it is done (`2. Sở A kiểm tra công tác văn thư tại các cơ
    quan:` / `- Sở B;` / `- Sở C.`): the bodies are the work's objects, one task
    led by the lead-in's actor (§3 rule 2's test; §3 lead: the subject, not an object)."""
    points = [c for c in item.children if c.style != "para"]
    s, e = _own_text(ctx, item)
    if (
        len(points) < 2
        or any(c.children for c in points)
        or not _OBJECT_LEADIN.search(ctx.text, s, e)
    ):
        return False
    if not (_ANY_WORK_VERB.match(ctx.text[s:e].strip()) or _subject_then_work(ctx, s, e)):
        return False
    for c in points:
        cs, ce = _own_text(ctx, c)
        if not names_only(ctx.text, cs, ce, [a for a in ctx.find(ctx.text, cs, ce) if a.span]):
            return False
    return True


def _described_points(ctx: TaskContext, item: Item, own: str) -> bool:
    """The points describe the one work the lead-in names: the kind of points it names
    (`đạt các chỉ tiêu sau:`), targets, events or topics, or points that ask for no work."""
    return (
        bool(_POINT_KINDS.search(own))
        or _target_points(ctx, item)
        or _noun_points(ctx, item)
        or _no_work_points(ctx, item)
    )


def _leadin_names_the_actor(actors: Actors) -> bool:
    """The lead-in, or one above it, names who does the work: bodies named in its content
    points (`+ Đợt 1: Ủy ban nhân dân các xã …`) are where it is done, not who does it."""
    return actors.lead_named and bool(actors.lead)


def _noun_points(ctx: TaskContext, item: Item) -> bool:
    """Every point under an action's lead-in names an event it holds or a topic it speaks of
    (`… tổ chức các hoạt động kỷ niệm:` / `- Lễ mít tinh …;` / `- Hội thi …`): the content of
    that one piece of work (§3 rule 2's test). Not under a lead-in that names only the actor."""
    points = [c for c in item.children if c.style != "para"]
    if len(points) < 2 or any(c.children for c in points) or _names_only_actors(ctx, item):
        return False
    return all(_NOUN_POINT.match(ctx.text[slice(*_own_text(ctx, c))].strip()) for c in points)


def _no_work_points(ctx: TaskContext, item: Item) -> bool:
    """No point under an action's lead-in asks for work of its own (`a) Tổ chức 02 lớp tập
    huấn:` / `+ Lớp 1: tại thành phố Y, tháng 9/2025;` / `+ Lớp 2: …`): they spell out
    that work, which is one task with them (§3 rule 2's test), not lost with its points. Not
    under a lead-in that names only the actor."""
    points = [c for c in item.children if c.style != "para"]
    if not points or any(c.children for c in points) or _names_only_actors(ctx, item):
        return False
    # The lead-in opens with the work (`Tổ chức …`, `Sở X tổ chức …`), not with a topic
    # (`c) Đối với tập thể …:` over the norms that apply to it, no task at all).
    s, e = _own_text(ctx, item)
    if not (_ANY_WORK_VERB.match(ctx.text[s:e].strip()) or _subject_then_work(ctx, s, e)):
        return False
    return not any(_is_task_text(ctx.text[slice(*_own_text(ctx, c))]) for c in points)


_ANY_WORK_VERB = re.compile(rf"\b(?:{lexicon.alternation(_VERBS)})\b", re.I)


def _has_content_points(ctx: TaskContext, item: Item) -> bool:
    """The item's own text ends with `Nội dung:`, or one of its bullets is `- Nội dung:` over points."""
    if _CONTENT_LABEL.search(ctx.text, item.text_start, item.end):
        return True
    # `a) Nội dung` as the heading of its points, without a colon, is the same label.
    if any(
        c.children
        and re.fullmatch(r"\s*nội dung(?:\b[^:\n]{0,30}:)?\s*", _heading_text(ctx, c), re.I)
        for c in item.children
    ):
        return True
    # `a) Nhiệm vụ: … b) Cơ quan thực hiện: - Đơn vị chủ trì: … c) Thời gian thực hiện: …`:
    # the item's parts are its content and its labels (rule 6).
    return any(
        re.match(r"\s*(?:nội dung|nhiệm vụ)\s*:", _heading_text(ctx, c), re.I)
        for c in item.children
    )


def _label_over_bullets(ctx: TaskContext, item: Item) -> bool:
    """The item's own text, or one of its bullets, ends with a bare label (`Cơ quan phối
    hợp:`) over bullets that give its value: §3 rule 6's labelled lines, spread over lines."""
    if ends_with_bare_label(ctx.text, *_own_text(ctx, item)):
        return True
    return any(c.children and _only_bare_label(ctx, c) for c in item.children)


def _partners_below(ctx: TaskContext, item: Item) -> bool:
    """The item's own text ends with `phối hợp với (các cơ quan sau):` and each of its
    sub-items is nothing but bodies."""
    if not partners_listed_below(ctx.text, *_own_text(ctx, item)):
        return False
    for c in item.children:
        s, e = _own_text(ctx, c)
        if c.children or not names_only(ctx.text, s, e, ctx.find(ctx.text, s, e)):
            return False
    return True


def _only_bare_label(ctx: TaskContext, item: Item) -> bool:
    s, e = _own_text(ctx, item)
    return "\n" not in ctx.text[s:e] and ends_with_bare_label(ctx.text, s, e)


def _quoted(text: str, pos: int) -> bool:
    """`pos` lies inside a quotation that opens a paragraph (or follows a colon) and closes after
    `pos`: the text of another document, not this letter's work."""
    before = text[max(0, pos - 6000) : pos]
    i = max(before.rfind('"'), before.rfind("“"), before.rfind("”"))
    if i < 0 or before[i] == "”":
        return False
    if before[i] == '"':
        pre = before[:i].rstrip(" \t*")
        if pre and not pre.endswith(("\n", ":")):
            return False  # a closing mark
    close = "”" if before[i] == "“" else '"'
    return 0 <= text.find(close, pos) < pos + 6000


def _visit(ctx: TaskContext, item: Item, inherited: Actors, *, informational: bool = False) -> None:
    head = _heading_text(ctx, item)
    # A section's heading, not a sentence that happens to open with its word
    # (`1. Đánh giá kết quả triển khai …` is work): §6 Sections by heading.
    # A leaf that asks a body for work (`a) Yêu cầu các bộ, ngành …`) is a request, not the
    # `Yêu cầu` section of a plan; that section's name on a line of its own (`II. YÊU CẦU`,
    # its sentence below) stays the section's.
    first = _first_line(ctx, item)
    sentence = (
        not item.children and (first.rstrip().endswith((".", ";")) or bool(_REQUEST.match(first)))
    ) or _assigns_in_heading(head)
    # `4. Yêu cầu tỉnh tập trung:` asks its addressee for the points below (rule 5), not the
    # `Yêu cầu` section of a plan (`II. YÊU CẦU`, `2. Yêu cầu chung`, `Yêu cầu đối với …`).
    sentence = sentence or (bool(_ASKS_ADDRESSEE.match(first)) and not in_capitals(first))
    if (label := _SECTION_LABEL.match(head)) and not _ALSO_TASKS.match(label.group("name")):
        sentence = False
    if (
        _NOT_TASK_SECTION.match(head)
        and not _ALSO_TASKS.match(head)
        and not sentence
        and not _work_with_its_labels(ctx, item, head)
    ):
        return _skip(item, R.SECTION_NOT_TASKS)
    if (
        not item.children
        and not sentence
        and (topic := _ABOUT.match(head))
        and _NOT_TASK_SECTION.match(head[topic.end() :])
        and not _ALSO_TASKS.match(head)
        and not _REQUEST.search(head)
    ):
        # `1. Về tình hình giải ngân …` over the figures: the background the letter starts
        # from, as the section `Tình hình` is (rule 3; §6 Sections by heading).
        return _skip(item, R.SECTION_NOT_TASKS)
    if _INFO.match(head):
        return _skip(item, R.INFORMATION)
    if _quoted(ctx.text, item.start) or (
        _LEGAL_BASIS.match(head) and not _request_of_its_own(head)
    ):
        return _skip(item, R.QUOTED)  # a cited or quoted provision, with its points
    if item.children and head.endswith(":") and _proposes(head):
        return _skip(item, R.PROPOSAL)  # `… chỉnh lý dự thảo Luật theo hướng: - …` (§3; rule 3)
    if item.children and _PUBLIC.match(head):
        return _skip(item, R.PUBLIC)  # `Các tổ chức, cá nhân … có trách nhiệm:`
    if item.children and _LISTS_PARTS.match(head) and not _REQUEST.search(head):
        return _skip(item, R.INFORMATION)  # `Hồ sơ đề nghị gồm: a) Tờ trình; b) …`
    if item.children and _has_content_points(ctx, item):
        # `1. Kiểm tra … - Nội dung: a) … b) … - Cơ quan chủ trì: …`: one task (rule 6).
        labelled = _labelled(ctx, item)
        if labelled.any:
            _emit(ctx, item, inherited, with_children=True, labelled=labelled, rule=R.LABELLED)
            return
    if item.children and _label_over_bullets(ctx, item):
        # `- Cơ quan phối hợp:` over `+ Sở A; + Sở B`: the bullets are the label's value, and
        # the item with its labels is one task (rule 6).
        labelled = _labelled(ctx, item)
        if labelled.lead or labelled.coordinate:
            _emit(ctx, item, inherited, with_children=True, labelled=labelled, rule=R.LABELLED)
            return
    if item.children and _partners_below(ctx, item):
        # `… , phối hợp với các cơ quan sau: - Sở A; - Sở B.`: the bullets name the partners
        # of the lead-in's work, not tasks of their own (rule 2; §3 coordinate).
        _emit(ctx, item, inherited, with_children=True, rule=R.ACTION_LEADIN)
        return
    if _is_time_limit_item(ctx, item):
        # `2. Thời hạn gửi báo cáo` (+ its sentence): not a task; it dates the tasks it
        # covers (rule 4, `_apply_time_limits`).
        return _skip(item, R.TIME_LIMIT_ITEM)
    own = ctx.text[slice(*_own_text(ctx, item))]
    if _SCHEDULE_ENTRY.match(own) and not _REQUEST.search(
        ctx.text, item.text_start, item.subtree_end
    ):
        return _skip(item, R.SCHEDULE)  # `08 giờ 00: Chủ tịch … chủ trì họp giao ban`
    if _event_agenda(ctx, item):
        return _skip(item, R.SCHEDULE)  # `4. Nội dung: Đánh giá kết quả …` beside `1. Thời gian: …`
    own_actors = _actors(ctx, *_own_text(ctx, item))
    # Among findings, an item is work when it opens with the body that acts (`Phối hợp với Báo X
    # thực hiện 24 phóng sự` names only a partner).
    if informational and ctx.reporting and not item.children and not _work_to_come(ctx, item):
        # `1. Sở X ban hành 12 văn bản hướng dẫn …` in a report: a result, not work (rule 3).
        return _skip(item, R.INFORMATION)
    if informational and not (own_actors.lead_named and _starts_with_actor(ctx, item)):
        if not item.children:
            return _skip(item, R.INFORMATION)
        # A heading that names work (`III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2026`) ends the findings,
        # also with its lead-in sentence below it (`2. Nhiệm vụ thời gian tới` / `UBND tỉnh …`).
        findings = not (_ALSO_TASKS.match(head) or _ALSO_TASKS.match(first.strip()))
        for c in item.children:
            _visit(ctx, c, inherited, informational=findings)
        return
    if _in_article(item):
        # An article that is only its number (`Điều 1.` / `1. Đồng ý …`) is read by its first clause.
        said = own.strip() or re.sub(
            r"^\s*\S{1,4}[.)]\s*", "", ctx.text[item.text_start : item.subtree_end].strip()
        )
        act = _STANDARD_ARTICLE.search(said) or (
            item.style == "article" and _ARTICLE_ACT.match(said)
        )
        # The act's own verb is no request (`Giao đất cho Công ty …`, `Giao chỉ tiêu …`).
        asked = said[act.end() :] if act else said
        # `7. Ủy ban nhân dân các xã …:` / `- Thành lập tổ quản lý …`: under a lead-in that names
        # a body other than the issuer, the verb opens that body's work (rule 2), not the
        # decision's own act.
        act = act if not _under_other_actor(ctx, inherited) else None
        if (act or _EXECUTES_DOC.search(said)) and not _REQUEST.search(asked):
            if (duty := _duty_after_execution(ctx, item)) is not None:
                # `… chịu trách nhiệm thi hành Quyết định này; Sở X có trách nhiệm đăng
                # tải …`: the standard clause (rule 7), then a concrete duty of its own (rule 9).
                R.not_a_task((item.start, duty.text_start), R.STANDARD_ARTICLE)
                return _visit(ctx, duty, inherited)
            if not _holds_plan_sections(ctx, item):
                return _skip(item, R.STANDARD_ARTICLE)
            # `Điều 1. Ban hành Kế hoạch … với các nội dung sau:` over `I. MỤC ĐÍCH …`, `II.
            # NHIỆM VỤ …`: the clause issues the plan (rule 7), the plan's sections hold its
            # tasks (rule 6).
            R.not_a_task(_own_text(ctx, item), R.STANDARD_ARTICLE)
            for c in item.children:
                _visit(ctx, c, inherited)
            return None
    if not item.children and (paras := _topic_paragraphs(ctx, item)):
        # `1. Công tác triển khai` over paragraphs that each open with their own actor: the
        # heading is a topic, each paragraph a piece of work of its own (§3 rule 9: a paragraph
        # that names its own actor is a task of its own; §6 Sections by heading).
        R.not_a_task((item.start, paras[0].start), R.TITLE)
        for para in paras:
            _visit(ctx, para, inherited)
        return None
    if not item.children:
        if _appraises(own.strip(), notice=ctx.notice):
            return _skip(item, R.APPRAISAL)  # `Phó Chủ tịch ghi nhận, đánh giá cao …`
        if _APPROVES.match(own.strip()) and not _REQUEST.search(own):
            return _skip(item, R.APPROVAL)  # `1. Đồng ý chủ trương tổ chức Hội nghị …`
        if in_capitals(own):
            return _skip(item, R.TITLE)
        requested = _under_request(ctx, item)
        if not _is_task_text(own, actor_label=_actor_label(ctx, item), asked=requested):
            return _skip(item, R.NO_ACTION)
        if _carries_out_document(_without_bodies(ctx, *_own_text(ctx, item))):
            return _skip(item, R.CARRIES_OUT)
        if _answers_petition_only(own):
            return _skip(item, R.QUOTED)  # `1. Cử tri kiến nghị: … Trả lời: Bộ X đã ban hành …`
        if _issuer_proposes(ctx, *_own_text(ctx, item)):
            return _skip(item, R.PROPOSAL)  # `Bộ X đề xuất điều chuyển …` (§3)
        labelled = _labelled(ctx, item)
        _emit(
            ctx, item, inherited, with_children=False, labelled=labelled if labelled.any else None
        )
        return
    if (_appraises(own) or _APPROVES.match(own.strip())) and not _REQUEST.search(own):
        # `2. Ghi nhận những kết quả …:` / `- Tăng trưởng đạt 8,2%;`, `1. Thống nhất với đề xuất
        # của tỉnh …:` / `a) Sáp nhập …`: the points are what is praised or agreed, no work
        # (rule 3; §3: a task is work the document assigns), unless one names who acts.
        R.not_a_task(_own_text(ctx, item), R.APPRAISAL if _appraises(own) else R.APPROVAL)
        for c in item.children:
            _visit(ctx, c, inherited, informational=True)
        return None
    if _is_heading(ctx, item) and not own_actors.lead_named:
        # §6 Heading times: a period in a section heading (`… NĂM 2026`, `TỪ NAY ĐẾN
        # NĂM 2030`) is the time of every item below it that has none of its own.
        inherited = inherited.with_deadline(
            heading_deadline(ctx.text, *_own_text(ctx, item), doc_date=ctx.doc_date)
        )
    elif title := _title_line(ctx, item):
        # The same through a lead-in printed below the title (`I. NHIỆM VỤ NĂM 2026` /
        # `Các sở, ban, ngành thực hiện các nhiệm vụ sau:`).
        inherited = inherited.with_deadline(
            heading_deadline(ctx.text, *title, doc_date=ctx.doc_date)
        )
    if _labels_parent(ctx, item) and _labelled_groups(ctx, item, inherited):
        return
    actors = inherited.override(own_actors)
    # `1. Bộ X:` / `4. Sở X`: a lead-in that names only the
    # actor; each sub-item is a task, even a single one (rule 2).
    actor_heading = own_actors.lead_named and (
        _is_heading(ctx, item) or _names_only_actors(ctx, item)
    )
    if (
        len(item.children) == 1
        and not item.children[0].children
        and not actor_heading
        and not in_capitals(_heading_text(ctx, item))  # a title's one item is its own task
    ):
        # One sub-item restates or completes its lead-in: one task.
        _emit(ctx, item, inherited, with_children=True, rule=R.ONE_SUBITEM)
        return
    if _is_heading(ctx, item) and not own_actors.lead_named:
        for c in item.children:
            _visit(ctx, c, inherited)
        return
    instructs = _instructs_agencies(ctx, item)
    # `đề nghị tỉnh X tập trung:` asks a body for several works (each a task);
    # `Báo cáo …, tập trung:` spells out one deliverable (rule 2's test).
    focus_request = bool(_REQUEST.search(own)) and bool(_FOCUS_END.search(own))
    complement = bool(_CONTENT_COMPLEMENT.search(own)) and not _REQUEST.search(own)
    # Points that are all targets, events or topics are content whatever the lead-in's verb
    # (`… chỉ đạo các cơ quan báo chí tuyên truyền:` / `- Ý nghĩa lịch sử …`).
    described = _described_points(ctx, item, own) and not instructs
    content = (
        (bool(_CONTENT_LEADIN.search(own)) or complement or _action_over_content_label(ctx, item))
        and not _WORK_LIST.search(own)
        and not focus_request
        and not _EXECUTE_LIST.search(own)
        and not instructs
    ) or described
    objects = _object_points(ctx, item) and not instructs
    if (
        own.rstrip().endswith(":")
        and (content or (not own_actors.lead_named and _DELIVERABLE.match(own.strip())))
        and not _points_name_their_actors(ctx, item)
    ) or objects:
        # An action whose content the sub-items spell out: one task, dated by its lead-in.
        _emit(
            ctx,
            item,
            inherited,
            with_children=True,
            date_from_leadin=True,
            actors_from_leadin=objects or (described and _leadin_names_the_actor(actors)),
            rule=R.ACTION_LEADIN,
        )
        return
    # The lead-in names the actor, or is a full sentence: sub-items are tasks.
    leadin = _leadin_text(ctx, item)
    if leadin[0] > _own_text(ctx, item)[0]:
        # A finished request before the sub-items' lead-in (`Đề nghị các cơ quan … hoàn thành
        # trước ngày …`, then `Một số vấn đề lưu ý:`) is a task of its own (rules 1, 5); the
        # sub-items inherit what the lead-in names, not that request's actor (rule 2).
        _sentence_tasks(
            ctx, _request_before_leadin(ctx, item, leadin[0]), inherited, requests_only=True
        )
        own_actors = _actors(ctx, *leadin)
        actors = inherited.override(own_actors)
    leadin_deadline = task_deadline(ctx.text, *leadin, doc_date=ctx.doc_date)
    child_actors = replace(
        actors.with_deadline(leadin_deadline),
        asker=own_actors.lead_named and bool(own_actors.lead),
    )
    lead_in_informational = _introduces_findings(own) and not instructs
    for c in item.children:
        _visit(ctx, c, child_actors, informational=lead_in_informational)


def _under_other_actor(ctx: TaskContext, inherited: Actors) -> bool:
    """A lead-in above names the body that acts, a body other than the issuer (§3 rule 2)."""
    issuer = ctx.issuer.name if ctx.issuer is not None else None
    return inherited.lead_named and any(a.name != issuer for a in inherited.lead)


def _topic_paragraphs(ctx: TaskContext, item: Item) -> list[Item]:
    """The paragraphs under an item's first line when that line is a topic heading that names
    no actor (`Công tác triển khai`, no closing stop) and two of them or more open with their
    own actor (`Các sở, ban, ngành …`, `Sở X có trách nhiệm …`); else none."""
    s, e = _own_text(ctx, item)
    starts = [p for p in item.paragraphs if s < p < e]
    # The heading first: most items have none, and their bodies need not be read.
    if not starts or not _heading_line(ctx.text[s : starts[0]]):
        return []
    starts = [starts[0], *_paragraph_starts(ctx, starts[0], e, starts[1:])]
    if len(starts) < 2:
        return []
    if _actors(ctx, s, starts[0]).lead_named:
        return []  # `3. Sở X` over its work: an actor heading, one task (rule 2)
    bounds = [*starts, e]
    paras = []
    for k, (ps, pe) in enumerate(pairwise(bounds), start=1):
        pe = strip_span(ctx.text, ps, pe, " \t\n")[1]
        para = Item("para", "", "", ps, ps, pe, parent=item.parent)
        para.label = f"{item.label}.p{k}"
        paras.append(para)
    own_actor = sum(1 for p in paras if _own_actor().match(ctx.text[p.text_start : p.end]))
    return paras if own_actor >= 2 else []


def _paragraph_starts(ctx: TaskContext, start: int, end: int, starts: list[int]) -> list[int]:
    """The line starts in `starts` that open a paragraph: not a line of hard-wrapped text that
    opens in lower case (`phố và Chủ tịch …`) or inside a body's name printed across the break
    (`Đề nghị Trung tâm X` / `Y thành phố và …`), which go on the
    paragraph above (§3 lead: the sentence's subject is the whole name, the whole list)."""
    names = [a.span for a in ctx.find(ctx.text, start, end) if a.span]
    return [
        p
        for p in starts
        if not ctx.text[p : p + 1].islower() and not any(a < p < b for a, b in names)
    ]


# Where the execution clause ends and a clause of its own begins (`…; Sở X …`, `…. Sở X …`).
_CLAUSE_BREAK = re.compile(r"\s*[;.]\s+(?=\S)")


def _duty_after_execution(ctx: TaskContext, item: Item) -> Item | None:
    """The clause after a decision's execution clause that gives a named body a concrete duty
    (`Chánh Văn phòng …, Giám đốc các Sở … chịu trách nhiệm thi hành Quyết định này; Sở X
    có trách nhiệm đăng tải Quyết định này …`), as an item of its own; else None (§3 rule 7:
    who executes the decision is no task; rule 9: an added concrete duty is)."""
    if item.children:
        return None
    s, e = _own_text(ctx, item)
    m = _EXECUTES_DOC.search(ctx.text, s, e)
    brk = _CLAUSE_BREAK.match(ctx.text, m.end()) if m else None
    if brk is None or brk.end() >= e:
        return None
    rest = ctx.text[brk.end() : e]
    first = next((a for a in ctx.find(ctx.text, brk.end(), e) if a.span), None)
    if first is None or first.span is None or first.span[0] > brk.end() + 12:
        return None  # the clause does not open with its actor
    if not _concrete(rest) or not _is_task_text(rest):
        return None
    return Item("para", "", "", brk.end(), brk.end(), item.end, item, label=item.label)


def _holds_plan_sections(ctx: TaskContext, item: Item) -> bool:
    """The item's sub-items are a plan's sections (`section_names.tsv`): a purpose or target
    section (`I. MỤC ĐÍCH, YÊU CẦU`) and a task section (`II. NHIỆM VỤ`), not the points of
    what it approves (`1. Nhiệm vụ khoa học …` of a list of projects)."""
    sections = [c for c in item.children if c.style != "para"]
    heads = [_heading_text(ctx, c) for c in sections]
    return any(_NOT_TASK_SECTION.match(h) and not _ALSO_TASKS.match(h) for h in heads) and any(
        _ALSO_TASKS.match(h) or _task_points(ctx, c, h)
        for c, h in zip(sections, heads, strict=True)
    )


def _task_points(ctx: TaskContext, section: Item, head: str) -> bool:
    """`2. Nhiệm vụ:` over `a) Sở X …`, `b) Ủy ban nhân dân các xã …`: a task section whose
    points each open with the body that acts (§3 rule 6), not the content of what the decision
    approves (`3. Nhiệm vụ:` / `a) Điều tra, khảo sát …` of a planning study, rule 7)."""
    return (
        head.endswith(":")
        and bool(_ALSO_TASKS.match(head.rstrip(": ")))
        and _points_name_their_actors(ctx, section)
    )


def _points_name_their_actors(ctx: TaskContext, item: Item) -> bool:
    """Every sub-item opens with the body that acts (`1. Xây dựng và hoàn thiện thể chế:` /
    `- Sở A rà soát …;` / `- Sở B tham mưu …`): separate pieces of work, each a
    task, under a theme (§3 rule 2's test), not the content of one deliverable."""
    items = [c for c in item.children if c.style != "para"]
    return len(items) >= 2 and all(_starts_with_actor(ctx, c) for c in items)


def _skip(item: Item, rule: R.Rule) -> None:
    """The item (with its sub-items) gives no task, for `rule` (kept for `--explain`)."""
    R.not_a_task((item.start, item.subtree_end), rule)


def _labelled_groups(ctx: TaskContext, item: Item, inherited: Actors) -> bool:
    """Labelled blocks (`Đơn vị chủ trì: …`, `Thời gian thực hiện: …`) among
    the bullets: the bullets up to each block are one task with its labels;
    one block for all of them makes the whole item one task (rules 6, 10)."""
    blocks = [_labelled(ctx, c) for c in item.children]
    attributes = [starts_with_label(ctx.text, c.text_start) for c in item.children]
    if sum(attributes) * 2 >= len(item.children) and any(attributes):
        # `- Thời gian dự kiến: …`, `- Đơn vị chủ trì: …` bullets describe the item itself.
        own = _labelled(ctx, item)
        _emit(
            ctx,
            item,
            inherited,
            with_children=True,
            labelled=own if own.any else None,
            rule=R.LABELLED,
        )
        return True
    if not any(b.any for b in blocks):
        own = _labelled(ctx, item)
        if not own.any:
            return False
        _emit(ctx, item, inherited, with_children=True, labelled=own, rule=R.LABELLED)
        return True
    groups: list[tuple[list[Item], Actors | None]] = []
    pending: list[Item] = []
    for child, child_block in zip(item.children, blocks, strict=True):
        pending.append(child)
        if child_block.any:
            groups.append((pending, child_block))
            pending = []
    groups.extend(([c], None) for c in pending)
    if len(groups) == 1 and not (_is_heading(ctx, item) and _numbered(groups[0][0])):
        _emit(ctx, item, inherited, with_children=True, labelled=groups[0][1], rule=R.LABELLED)
        return True
    for members, group_block in groups:
        if group_block is not None and len(members) > 1 and _numbered(members):
            # Rule 10: a labelled block closing numbered items (`Cơ quan thực hiện: …
            # Thời gian hoàn tất: …` after the last one) gives its actor and time to
            # every item back to the previous block; each item is a task.
            group_block = _with_block_time(ctx, members[-1], group_block)
            for m in members:
                if _is_task_text(ctx.text[m.text_start : m.subtree_end]):
                    _emit(
                        ctx,
                        m,
                        inherited,
                        with_children=False,
                        labelled=group_block,
                        rule=R.LABELLED_BLOCK,
                    )
            continue
        first, last = members[0], members[-1]
        span = Item(
            first.style, first.key, first.marker, first.start, first.text_start, last.subtree_end
        )
        span.label = first.label
        if group_block is None and not _is_task_text(ctx.text[first.text_start : last.subtree_end]):
            continue
        _emit(
            ctx,
            span,
            inherited,
            with_children=False,
            labelled=group_block,
            rule=R.LABELLED_BLOCK,
        )
    return True


def _last_sentence(text: str, s: int, e: int) -> int:
    """Start of the last sentence of `text[s:e]` (after the last `. ` before a capital)."""
    last = s
    for m in re.finditer(r"[.!?]\s+(?=[A-ZĐÀ-Ỹ])", text[s:e]):
        last = s + m.end()
    return last


def _leadin_text(ctx: TaskContext, item: Item) -> Span:
    """The lead-in that introduces the sub-items: the item's own text after any paragraph
    that is a finished sentence of its own (`Đề nghị … hoàn thành trước ngày 05/12/2025.`
    then `Một số vấn đề lưu ý:`); only its deadline passes down (rule 2, rule 10)."""
    s, e = _own_text(ctx, item)
    for p in item.paragraphs:
        if s < p < e and ctx.text[s:p].rstrip(" \t\n*_").endswith("."):
            s = p
    return s, e


def _request_before_leadin(ctx: TaskContext, item: Item, leadin_start: int) -> Item:
    """The paragraphs of the item's own text before its lead-in, without a heading line
    (`1. Về triển khai …` printed above them)."""
    s, _ = _own_text(ctx, item)
    first = next((p for p in item.paragraphs if s < p < leadin_start), None)
    if first is not None and not ctx.text[s:first].rstrip(" \t\n*_").endswith((".", ";", ":")):
        s = first
    return Item("para", "", "", s, s, leadin_start)


def _with_block_time(ctx: TaskContext, last: Item, block: Actors) -> Actors:
    """The block's time, read on the labelled paragraphs that close `last` (any label
    wording: `Thời gian hoàn tất: …`)."""
    if block.deadline is not None:
        return block
    start = next((p for p in last.paragraphs if starts_with_label(ctx.text, p)), None)
    if start is None:
        return block
    return block.with_deadline(task_deadline(ctx.text, start, last.end, doc_date=ctx.doc_date))


def _numbered(items: list[Item]) -> bool:
    """Numbered or lettered items (`1.`, `a)`), not dash or plus bullets."""
    return all(c.style not in {"dash", "plus", "bullet", "para"} for c in items)


# What may stand before the body an item opens with (`_starts_with_actor`).
_ACTOR_OPENER = re.compile(
    rf"(?:[^,:;.]{{0,40}},\s*)?(?:(?:{asking('opener', GIAO)})\s+)?"
    r"(?:(?:trách nhiệm|nhiệm vụ)(?:,?\s+(?:và\s+)?quyền hạn)?\s+(?:của|cho)\s+)?"
    r"(?:các\s+|đồng chí\s+)?",
    re.I,
)


def _starts_with_actor(ctx: TaskContext, item: Item) -> bool:
    """The item opens with the body that acts (`Các cơ sở KCB thực hiện …`,
    `Đề nghị Cục X …`): in a list of findings or rules, only such
    items assign work."""
    s, e = _own_text(ctx, item)
    head = ctx.text[s : min(e, s + 120)]
    # An opening adverbial (`Định kỳ hoặc đột xuất, Bộ X sẽ …`) may come first.
    # `Trách nhiệm của Sở X` / `Nhiệm vụ của …` heading an agency's share of the work (§6
    # Sections by heading: the section that assigns work agency by agency).
    opener = _ACTOR_OPENER.match(head)
    skip = opener.end() if opener else 0
    mentions = ctx.find(ctx.text, s, min(e, s + 120))
    return bool(mentions) and mentions[0].span is not None and mentions[0].span[0] - s <= skip + 5


def _subject_acts(ctx: TaskContext, item: Item) -> bool:
    """The item's first clause names the subject that acts (`Tỉnh chủ động sử dụng …`: a body
    the scan reads only in its clause), besides the issuer: it assigns work (§3 lead, rule 3)."""
    actors = _first_clause_actors(ctx, *_own_text(ctx, item))
    issuer = ctx.issuer.name if ctx.issuer is not None else None
    return actors.lead_named and any(a.code or a.name != issuer for a in actors.lead)


def _first_clause_actors(ctx: TaskContext, s: int, e: int) -> Actors:
    """`_actors` of the first clause of `ctx.text[s:e]` (up to a stop, a colon or a line
    break)."""
    first = re.search(r"[.;:\n]", ctx.text[s:e])
    return _actors(ctx, s, s + first.start() if first else e)


def _in_article(item: Item | None) -> bool:
    """Inside an `Điều N.` of a decision, a resolution or a circular."""
    while item is not None:
        if item.style == "article":
            return True
        item = item.parent
    return False


def _leaf_parent(item: Item) -> bool:
    return all(not c.children for c in item.children)


def _labels_parent(ctx: TaskContext, item: Item) -> bool:
    """Every sub-item is a leaf or a labelled line whose value is bulleted below it (`- Sản
    phẩm:` over `+ Báo cáo …; + Dự thảo …`): the bullets are part of that line, and the
    item with its labelled lines is one task (§3 rule 6: its content bullets are part of it,
    not tasks of their own)."""
    return all(not c.children or starts_with_label(ctx.text, c.text_start) for c in item.children)


# `… yêu cầu Cục X các tỉnh nghiêm túc triển khai thực hiện.`: nothing but
# the order to carry the letter out.
# `tổ chức, triển khai thực hiện`: to carry out, not a concrete act of organising.
_EXECUTE = r"(?:tổ chức\s*,?\s*)?(?:triển khai\s*,?\s*)?thực hiện"


# What `_BARE_EXECUTE` cannot match without (its `_EXECUTE` ends on it, and it opens on an
# asking phrase): `may_hold` tests both.
_EXECUTE_WORDS = ("thực hiện",)
_ASK_WORDS_CLOSING = lexicon.selected("execution_closing", "part", "ask")
_BARE_EXECUTE = re.compile(
    rf"\b(?:{_closing_words('ask')})\b.*\b(?:{_closing_words('before')})?\s*"
    + _EXECUTE
    + rf"(?:\s+(?:{_closing_words('manner')}))*"
    rf"(?:,?\s+(?:theo\s+)?đúng\s+(?:{_closing_words('due')})[^.;]{{0,40}})?"
    r"\s*[./]*\s*\S{0,4}$",
    re.I | re.S,
)
# `… tổ chức, triển khai thực hiện Kế hoạch.`: the document itself, named last (capitalised).
_DOC_END_WORDS = ("thực hiện", "triển khai")  # one of them opens every match (`may_hold`)
_THE_DOC_END = re.compile(
    r"(?i:" + _EXECUTE + r"|triển khai)\s+(?i:các nội dung của\s+)?"
    r"(?:" + lexicon.literal(_DOC_TYPES, "named_last") + r"|Văn bản)"
    # `… Kế hoạch trên địa bàn (xã)`, `… tại đơn vị`: where it is carried out adds no duty.
    r"(?:\s+(?i:trên địa bàn|tại địa phương|tại đơn vị|ở địa phương)(?:\s+[^\s.;,]+){0,2})?"
    r"\s*[.;]?\s*$"
)


# `nghiên cứu các quy định nêu trên`, `căn cứ hướng dẫn tại Công văn này`: applying the rules the
# letter set out, which carries the letter out (rule 9): `data/lexicon/apply_verbs.tsv`.
_APPLY_VERBS = "apply_verbs"
# What is applied: the rules or guidance the letter set out (lexicon `work_nouns`, `applied`).
_APPLY_NOUNS = lexicon.selected("work_nouns", "applied")
_APPLY_ABOVE = re.compile(
    rf"\b(?:{lexicon.alternation(_APPLY_VERBS)})\s+(?:(?:các|những)\s+)?"
    rf"(?:{lexicon.literal('work_nouns', 'applied')})\b(?:[^.;]{{0,60}}?\b(?:nêu\s+)?trên\b|"
    # `… nghiên cứu quy định tại Điều 11 Nghị định số 186/2025/NĐ-CP`: the rules the reply cited.
    rf"\s+(?:tại|của)\s+[^.;]{{0,80}}?\b(?:{lexicon.alternation('doc_types')})\s+số\s+[\w/.-]+)",
    re.I,
)


def _without_bodies(ctx: TaskContext, s: int, e: int) -> str:
    """`text[s:e]` with the names of the bodies it mentions blanked: a verb inside a name (`tổ
    chức chính trị - xã hội`, `Ban Tổ chức` before `bố trí`) is no duty of the text (rule 9)."""
    chars = list(ctx.text[s:e])
    for a in ctx.find(ctx.text, s, e):
        if a.span is not None:
            lo, hi = max(a.span[0], s), min(a.span[1], e)
            if lo < hi:
                chars[lo - s : hi - s] = " " * (hi - lo)  # a name at once, not letter by letter
    return "".join(chars)


# The work of one part of the document, named by its marker (`nhiệm vụ tại điểm 1 Mục II`, `các
# nội dung nêu tại khoản 2, khoản 3 Mục III`): a piece of its work, not the whole of it (rule 9).
# Lexicon `work_nouns`, column `part`.
_PART_NOUNS = lexicon.selected("work_nouns", "part")
_WORK_OF_A_PART = re.compile(
    rf"\b(?:{lexicon.literal('work_nouns', 'part')})\b[^.;]{{0,20}}?\b(?:tại|ở)\s+"
    rf"(?P<part>{lexicon.literal('division_words', 'part')})\s+"
    r"(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])\b",
    re.I,
)
# The parts that are whole sections (`Mục II`, `Phần II`): lexicon `division_words`, `whole`.
_WHOLE_PARTS = lexicon.selected("division_words", "whole")
_WHOLE_PART_WORDS = lexicon.literal("division_words", "whole")
# A body given the lead of what the text names (`Giao Sở …`, `Sở X chủ trì …`, rule 8).
_GIVES_LEAD = re.compile(rf"\b{GIAO}\b|\bchủ trì\b", re.I)


def _assigns_a_part(text: str) -> bool:
    """`Sở X chủ trì thực hiện nhiệm vụ tại điểm 1 Mục II`: the text gives a part of the work out
    (rule 6). A point of a section is a piece of the work whoever takes it; a whole section is
    given out only to a body that leads it (`chủ trì`, `giao`). `Các sở, ngành … triển khai thực
    hiện các nội dung tại Mục II` carries the document out: the closing (rule 9)."""
    m = _WORK_OF_A_PART.search(text)
    if m is None:
        return False
    whole = m.group("part").lower() in _WHOLE_PARTS
    return not whole or _GIVES_LEAD.search(text) is not None


def _carries_out_document(text: str) -> bool:
    """`Đề nghị các đơn vị triển khai thực hiện các nội dung nêu trên`, `Các bộ, ngành khác …
    triển khai thực hiện Kế hoạch`: the closing, not a task (rule 9)."""
    t = " ".join(text.split())
    # Each pattern below needs one of a few words: most texts lack them (`may_hold`).
    if may_hold(t.lower(), *_APPLY_NOUNS):
        t = _APPLY_ABOVE.sub(" các nội dung nêu trên ", t)
    low = t.lower()
    if may_hold(low, *_PART_NOUNS) and _assigns_a_part(t):
        return False  # `… chủ trì thực hiện nhiệm vụ tại điểm 1 Mục II Kế hoạch này`: that work
    if (
        may_hold(low, *_EXECUTE_WORDS)
        and may_hold(low, *_ASK_WORDS_CLOSING)
        and _BARE_EXECUTE.search(t)
        and not _concrete(re.sub(_EXECUTE, " ", t, flags=re.I))
    ):
        return True
    if may_hold(low, *_THIS_DOC_WORDS) and _THIS_DOC.search(t):
        # `… chịu trách nhiệm tổ chức thực hiện Kế hoạch này`: organising its execution is
        # carrying it out, not a concrete duty.
        return not _concrete(re.sub(_EXECUTE, " ", _THIS_DOC.sub(" ", t), flags=re.I))
    # Not where the document is given to a body to lead (`Giao Sở … chủ trì, tổ chức thực hiện Kế
    # hoạch`, rule 8): that assigns its implementation.
    if not may_hold(low, *_DOC_END_WORDS) or not _THE_DOC_END.search(t):
        return False
    if _GIVES_LEAD.search(t):
        return False
    return not _concrete(re.sub(_EXECUTE, " ", _THE_DOC_END.sub(" ", t), flags=re.I))


_DECISION_ACTS = "decision_acts"
# Standard clauses of a decision (rule 7): its effect (`Quyết định [này] có hiệu lực …`), who
# executes it, and the decision itself (`Điều 1. Phê duyệt …`) unless it assigns work.
_STANDARD_ARTICLE = re.compile(
    r"^(?:(?:" + lexicon.literal(_DOC_TYPES, "in_force") + r"|văn bản)(?:\s+này)? có hiệu lực|"
    r"điều khoản thi hành|hiệu lực thi hành|"
    # What the decision decides (`data/lexicon/decision_acts.tsv`: `Phê duyệt …`, `Bổ nhiệm …`,
    # `Tặng Bằng khen …`).
    rf"(?:{lexicon.alternation(_DECISION_ACTS, 'where', 'item')})\b|"
    # `Điều 1. Quy định thời giờ làm việc …`: a norm the decision sets (rule 8), not the
    # duties it gives (`Quy định trách nhiệm của các cơ quan …`).
    r"quy định(?!\s+(?:về\s+)?(?:trách nhiệm|nhiệm vụ|phân công))\b)",
    re.I,
)
# What only an article itself decides by its first words (`Điều 1. Tặng Bằng khen …`, `Điều 1.
# Điều động ông …`): the same verbs open work inside an article that assigns it.
# A reply's approval of a proposal (`Đồng ý …`, `Chấp thuận …`): `decision_acts.tsv`, column reply.
_APPROVES = re.compile(rf"^(?:{lexicon.alternation(_DECISION_ACTS, 'reply', 'y')})\b", re.I)
_ARTICLE_ACT = re.compile(
    rf"^(?:{lexicon.alternation(_DECISION_ACTS, 'where', 'article')})\b", re.I
)
# `Chánh Văn phòng …, Giám đốc các Sở … chịu trách nhiệm thi hành Quyết định này` (rule 7), or
# `… căn cứ Quyết định thi hành`; also when printed as a paragraph of its own after `Điều 3.`
_EXECUTES_DOC = re.compile(
    r"\b(?:chịu trách nhiệm (?:thi hành|thực hiện)\s+(?:"
    + lexicon.literal(_DOC_TYPES, "executed")
    + r")\s+này"
    r"|căn cứ\s+(?:quyết định|chỉ thị)(?:\s+này)?\s+(?:thi hành|thực hiện)\s*[./]*\s*$)",
    re.I,
)
# `Danh nghĩa tổ chức: Thành ủy, …`, `Chủ đề: …`: a fact of the plan, not work.
_LABEL_VALUE = re.compile(r"^(?P<label>[^:\n]{2,60}):\s*(?P<value>.*)$", re.S)
# A second clause or sentence (`…; tỉnh …`, `… . Tỉnh …`).
_MORE_CLAUSES = re.compile(r";\s*\S|\.\s+\S")
# A topic of any length before its colon (`Về đề nghị …:`, `Đối với …:`), then what is said of it.
_TOPIC_VALUE = re.compile(r"^(?:về|đối với)\s[^:\n.;]{2,300}:\s*(?P<value>\S.*)$", re.S | re.I)


def _actor_label(ctx: TaskContext, item: Item) -> bool:
    """The item opens with its actor as a label (`Sở X: Căn cứ dự toán …, thẩm định …`):
    an actor heading on the item's own line (§3 rule 2), not a fact of the plan."""
    s, e = _own_text(ctx, item)
    colon = ctx.text.find(":", s, min(e, s + 160))
    if colon < 0:
        return False
    found = [a for a in ctx.find(ctx.text, s, e) if a.span]
    if any(a.span and a.span[0] < colon < a.span[1] for a in found):
        return True  # `Đề nghị Tỉnh ủy các tỉnh: X, Y …`: the colon is inside a list of bodies (§4)
    run = ctx.find(ctx.text, s, colon)
    if not run:
        listed = [a for a in found if a.span and a.span[0] > colon]
        return bool(listed) and heads_a_list(ctx.text, s, colon, listed[0])
    return names_only(ctx.text, s, colon, run)


# A schedule's entry opens with a time of day (`08 giờ 00:`, `14h30:`, `8h00,`) or a part of the day
# (`Cả ngày:`, `Buổi sáng:`; `data/lexicon/day_parts.tsv`): it fixes a schedule (§3 rule 8).
# A day of the week opens one when its date follows (`Thứ Ba, ngày 11/3/2025:`), not an
# ordinal (`Thứ hai, tăng cường …`).
_SCHEDULE_ENTRY = re.compile(
    r"^\s*(?:(?:từ\s+)?\d{1,2}\s*(?:giờ|h)\s*(?:\d{2}(?:\s*phút)?)?(?:\s*[-–]\s*\d{1,2}\s*(?:giờ|h)"
    r"\s*(?:\d{2})?)?|(?:" + lexicon.alternation("day_parts") + r")(?:\s*,?\s*ngày\s+[\d/.]+)?|"
    r"(?:" + lexicon.alternation("weekdays") + r")\s*,?\s*ngày\s+[\d/.]+)\s*:|"
    # … or the time of day then a comma (`8h00, Phó Chủ tịch … họp …`, `Sáng, Phó Chủ tịch …`).
    r"^\s*(?:\d{1,2}\s*(?:giờ|h)\s*(?:\d{2}(?:\s*phút)?)?|(?:"
    + lexicon.alternation("day_parts")
    + r"))\s*,",
    re.I,
)


# A lead-in that requests the items below it (`Sở X đề nghị:`, `Ủy ban nhân dân tỉnh yêu cầu:`).
_REQUEST_LEADIN = re.compile(r"\b(?:đề nghị|yêu cầu)(?:[ \t]+[^\s.;:]+){0,4}[ \t]*:[ \t]*$", re.I)


def _under_request(ctx: TaskContext, item: Item) -> bool:
    """The item stands in a list whose lead-in requests it (`… đề nghị:` on the line before its
    first sibling): each item is asked (§3 rule 1), so `Các đơn vị đã gửi báo cáo rà soát, bổ
    sung …` names its actor by what it did, and asks the rest; it tells no past work."""
    siblings = item.parent.children if item.parent is not None else [item]
    first = next((c for c in siblings if c.style != "para"), item)
    line = ctx.text[ctx.text.rfind("\n", 0, max(first.start - 1, 0)) + 1 : first.start]
    return bool(_REQUEST_LEADIN.search(line.rstrip()))


def _is_task_text(text: str, *, actor_label: bool = False, asked: bool = False) -> bool:
    """`actor_label`: the text opens with its actor and a colon, so its label is no fact's name;
    `asked`: a request's lead-in asks it, so a `đã` clause in it qualifies its actor."""
    t = " ".join(text.split())
    if not t or len(t) < 8:
        return False
    lv = None if actor_label else _LABEL_VALUE.match(t)
    if (
        lv
        and _TOPIC_OR_TIME_LABEL.match(lv.group("label"))
        and not _NORM_LABEL.match(lv.group("label"))
    ):
        lv = None  # `Về công tác quy hoạch: Đẩy nhanh …`, `Trong tháng 10/2025: Sở X …`
    if lv and not _ASSIGN.search(lv.group("value")):
        label = lv.group("label")
        if len(label.split()) <= 6 or _NORM_LABEL.match(label):
            return False
    if lv and _PER_PROVISION.match(lv.group("value").strip()) and not _REQUEST.search(t):
        return False
    if (
        _only_liability(t)
        or _states_norm(t)
        or (_LEGAL_BASIS.match(t) and not _request_of_its_own(t))
    ):
        return False
    if _ENCOURAGE.match(t) or _PUBLIC.match(t) or _INFO.match(t):
        return False
    if _ENCOURAGES.match(t) and _own_actor().match(t) and not _REQUEST.match(t):
        return False
    if _PASSIVE_INFO.match(t):
        return False  # `Dự thảo … được đăng tải tại địa chỉ …`: information (rule 3)
    if _PERSON.match(t) and not _ASSIGN.search(t):
        return False  # `Ông Nguyễn Văn A, Phó Giám đốc Sở …`: a person named, no act (rule 1)
    low = t.lower()
    if (
        may_hold(low, "để")
        and may_hold(low, *_KNOW_WORDS)
        and _KNOW_ONLY.search(t)
        and not _REQUEST.search(t)
    ):
        return False  # `… sao gửi Nghị định số … đến các cơ quan để biết.`: information (rule 3)
    if (
        may_hold(low, *lexicon.first_words("transmit_verbs"))  # most texts send nothing
        and _transmits_only().match(t)
        and not _REQUEST.search(t)
    ):
        return False  # `Ủy ban nhân dân tỉnh chuyển Công văn số … (sao gửi kèm theo).` (rule 3)
    if not asked and _done_only(t):
        return False  # `Bộ X đã thành lập 05 đoàn công tác …`: background (rule 3)
    topic = _TOPIC_VALUE.match(t) if not asked else None
    if topic and _done_only(answer := topic.group("value")) and not _MORE_CLAUSES.search(answer):
        # `Về đề nghị …: Bộ X đã trả lời tại Công văn số …`: the request is the topic; the
        # answer after its colon, one clause, tells of what was done and asks nothing (rule 3);
        # a clause after it (`…; tỉnh thực hiện theo chỉ đạo nêu trên`) may give work.
        return False
    if _reports_shortcoming(t):
        return False  # `Tuy nhiên, công tác cải cách hành chính còn chậm …`: background (rule 3)
    if not asked and _background_only(t):
        return False  # results, then what falls short: an assessment, background (rule 3)
    if _states_fact(t):
        return False  # `Năm 2025 là năm cuối của kế hoạch …`: background (rule 3)
    if re.match(_CONDITIONAL_CLOSING, t, re.I) and not re.search(r"[.;]\s+\S", t):
        return False  # a conditional closing, also when numbered (rule 9), unless work follows
    return not (t.endswith(":") and len(t) < 60)


def _only_liability(t: str) -> bool:
    """Rule 1: `[X] chịu trách nhiệm (trước Y) về …` with no other clause asking for an act; an act
    before it (`kiểm tra và chịu trách nhiệm về …`) or after it (`…; báo cáo …`) makes a task."""
    m = _LIABILITY.match(t) if may_hold(t.lower(), "chịu trách nhiệm") else None
    if not m:
        return False
    subject = m.group("subject")
    if re.search(r"\b(?:chủ trì|phối hợp)\b|(?:\bvà|,)\s*$", subject):
        return False
    rest = t[m.end() : len(t) - 1]
    if re.search(r"[;.]\s*\S|\bđồng thời\b", rest):
        return False
    if _COMPLETES_BY.search(rest):
        return (
            False  # `… về tiến độ …, hoàn thành trong quý I năm 2026`: a clause asking for an act
        )
    # `… về số liệu đã báo cáo và gửi bản giải trình …`: a second verb phrase asks for an act.
    return not any(_CONCRETE.match(rest, v.end()) for v in re.finditer(r"\bvà\s+", rest))


# How a body the decision sets up works or ends (`… làm việc theo chế độ kiêm nhiệm`, `… tự giải
# thể sau khi hoàn thành nhiệm vụ`; `data/lexicon/working_rules.tsv`): a norm (rule 8).
_WORKING_RULES = "working_rules"
_WORKING_RULE = re.compile(rf"\b(?:{lexicon.alternation(_WORKING_RULES)})\b", re.I)
# A word of each working rule (`chế độ`, `nguyên tắc`, `giải thể`, `con dấu`, `thường trực`):
# `_WORKING_RULE` matches only where one is printed (`may_hold`).
_WORKING_RULE_WORDS = ("chế", "nguyên", "giải", "dấu", "thường")


def _states_norm(t: str) -> bool:
    """Rule 8: a norm, not work: an entitlement or allotment in the passive, a conditional one;
    every sentence of it (a sentence after it may assign work: `…; Sở X bố trí …`)."""
    parts = [p for p in re.split(r"(?<=[.;])\s+(?=\S)", t) if p.strip()]
    if len(parts) > 1:
        return all(_states_norm(p) for p in parts)
    m = _CONDITIONAL_NORM.match(t)
    if m and not _OBLIGATION.search(t, m.start("then" if m.group("then") else "then_entitled")):
        return True  # the condition may say `phải`; the consequence is what counts
    if (
        may_hold(t.lower(), *_WORKING_RULE_WORDS)
        and _WORKING_RULE.search(t)
        and not (_OBLIGATION.search(t) or _ASKS.search(t) or _concrete(t))
    ):
        return True
    return bool(_PASSIVE_NORM.match(t)) and not _OBLIGATION.search(t)


def _request_of_its_own(t: str) -> bool:
    """A request made outside the quoted text of a cited document."""
    return bool(_REQUEST.search(re.sub(r"\"[^\"]*\"|“[^”]*”", " ", t)))


def _instructs_agencies(ctx: TaskContext, item: Item) -> bool:
    """The lead-in is a body's instructions to other agencies (§3 rule 2: separate
    pieces of work): `hướng dẫn` with no object or an agency as its object, under a
    lead-in that names an agency other than the issuer."""
    s, e = _own_text(ctx, item)
    m = next(reversed(list(_GUIDES.finditer(ctx.text, s, e))), None)
    if m is None or not ctx.text[s:e].rstrip().endswith(":"):
        return False
    rest = ctx.text[m.end() : e]
    issuer = ctx.issuer.name if ctx.issuer is not None else None
    others = [a for a in ctx.find(ctx.text, s, e) if a.name != issuer]
    if not others:
        return False
    if _GUIDES_ALL.match(rest):
        return True
    guided = [a for a in others if a.span is not None and m.end() <= a.span[0] <= m.end() + 5]
    marker = _CONTENT_LEADIN.search(rest)
    if not guided or marker is None:
        return False
    # `hướng dẫn các xã xây dựng phương án …, gồm các nội dung:`: the guided bodies' work is
    # named before the points, which spell it out (one task, rule 2's test); only `hướng dẫn
    # Chi cục … thực hiện như sau:` leaves the work to the points.
    after = max(a.span[1] for a in guided if a.span is not None)
    # A short name in brackets after the body (`Chi cục X (Chi cục HQ Y)`) is still the body.
    told = re.sub(r"^\s*\([^()]*\)", "", ctx.text[after : m.end() + marker.start()])
    return _EXECUTE_ONLY.fullmatch(told.strip()) is not None


# A reply (§3 rule 3): the lead-in answers a question put to the issuer (`Trả lời Công văn số …`,
# `… nhận được Công văn số … hỏi về …`): `data/lexicon/answer_words.tsv`.
_ANSWER_WORDS = "answer_words"
_ANSWER_OPENING = re.compile(
    rf"^(?:{lexicon.alternation(_ANSWER_WORDS, 'kind', 'opening')})\s", re.I
)
_ASKED = re.compile(
    r"\bnhận được\s[^.:]{0,160}?\b(?:công văn|văn bản|đơn|thư|phiếu)\b[^.:]{0,300}?\s"
    rf"(?:{lexicon.alternation(_ANSWER_WORDS, 'kind', 'question')})\s",
    re.I,
)
_AS_FOLLOWS = re.compile(r"\b(?:như sau|ý kiến)\s*:\s*$", re.I)
# `nhận được Công văn số … của X kiến nghị …`: a cited letter's petition (lexicon `answer_words`).
_PETITIONED = re.compile(
    r"\bnhận được\s[^.:]{0,160}?\b(?:công văn|văn bản|đơn|thư|phiếu)\b[^.:]{0,300}?\s"
    rf"(?:{lexicon.alternation(_ANSWER_WORDS, 'kind', 'petition')})\s",
    re.I,
)


_CITED_REQUEST = re.compile(
    rf"^(?:{lexicon.alternation(_ANSWER_WORDS, 'kind', 'cited')})\s[^:]{{0,200}}?"
    rf"\b(?:{lexicon.alternation('doc_types')})\s+số\b",
    re.I,
)


_QUOTES_PETITION = re.compile(
    rf"\bnhận được\s+(?:các\s+)?(?:{lexicon.alternation('doc_types')}|văn bản|đơn|thư)\b[^:;,]{{0,250}}?"
    rf"\b(?:{lexicon.alternation(_ANSWER_WORDS, 'kind', 'petition')})\b[^:;,]{{0,80}}:\s*$",
    re.I,
)


_PROVISION_TEXT_FOLLOWS = re.compile(r"\bquy định(?:\s+như sau)?\s*:\s*$", re.I)


def _cites_provision(leadin: str) -> bool:
    """`Căn cứ Điều 5 Nghị định số … quy định:` / `- Ủy ban nhân dân cấp tỉnh có trách nhiệm …`:
    the items are the cited provision's text, legal basis (§3 rule 3), not this letter's work."""
    t = re.split(r"(?<=[.!?])\s+", " ".join(leadin.split()))[-1]
    return (
        bool(_LEGAL_BASIS.match(t))
        and bool(_PROVISION_TEXT_FOLLOWS.search(t))
        and not _request_of_its_own(t)
    )


_COMMENT_WORDS = re.compile(
    rf"\b(?:{lexicon.alternation(_ANSWER_WORDS, 'kind', 'comment')})\b[^:]{{0,60}}:\s*$", re.I
)
_DRAFT_NAMED = re.compile(
    rf"\b(?:{lexicon.alternation('proposal_words', 'kind', 'draft')})\b", re.I
)


def _comments_on_draft(leadin: str) -> bool:
    """`Sau khi nghiên cứu dự thảo Nghị định …, Bộ X có ý kiến góp ý như sau:`: the items are
    the issuer's opinion on a draft (§3: a task is work the document assigns; rule 3); not a
    request for comments (`Đề nghị Quý Bộ góp ý dự thảo … như sau:`), which assigns them."""
    t = " ".join(leadin.split())
    last = t.rsplit(",", 1)[-1]
    return (
        bool(_DRAFT_NAMED.search(t))
        and bool(_COMMENT_WORDS.search(last))
        and not _REQUEST.search(last)
    )


# `1. Cử tri kiến nghị: "…"` / `Trả lời: …`: the public's petition quoted, then the issuer's
# answer (`data/lexicon/public_actors.tsv`, and `answer_words.tsv` kind petitioner: voters).
_PETITION_ITEM = re.compile(
    rf"^(?:nội dung\s+)?(?:(?:các\s+)?(?:{lexicon.alternation(_ANSWER_WORDS, 'kind', 'petitioner')}|"
    + _PUBLIC_PHRASES
    + r")\s+)?(?:"
    + lexicon.literal(_ANSWER_WORDS, "label")
    + r")\s*:",
    re.I,
)
_ANSWER_LABEL = re.compile(r"\btrả lời\s*:", re.I)


def _answers_petition_only(text: str) -> bool:
    """An item that quotes the public's petition (§3 rule 8: their request is no agency's work)
    and answers it with what is done or the rules (rule 3): no task, unless the answer
    announces work to come (`Bộ X sẽ phối hợp … nghiên cứu …`) or asks a body for work."""
    t = text.strip()
    if not _PETITION_ITEM.match(t):
        return False
    answer = _ANSWER_LABEL.search(t)
    if answer is None:
        return True
    rest = t[answer.end() :]
    return not (_TO_COME.search(rest) or _REQUEST.search(rest) or _OBLIGATION.search(rest))


def _asks_a_body(ctx: TaskContext, item: Item) -> bool:
    """The item asks a named body for work (`đề nghị Bộ X làm rõ …`: §3 rule 8, `Đề nghị …` to
    any body is a task), not an impersonal proposal (`đề nghị bổ sung quy định về …`)."""
    s, e = _own_text(ctx, item)
    starts = [m.span[0] for m in ctx.find(ctx.text, s, e) if m.span is not None]
    # `_REQUEST` ends on the first letter of the word after the verb.
    return any(
        any(0 <= start - (r.end() - 1) <= 5 for start in starts)
        for r in _REQUEST.finditer(ctx.text, s, e)
    )


# What the letter sends with it (rule 3): `… gửi kèm theo Công văn này các tài liệu sau:`.
_SENDS_ENCLOSED = re.compile(
    r"\bgửi kèm(?:\s+theo)?\b[^:]{0,80}?\b(?:các|những)\s+(?:"
    + lexicon.literal(_POSTED, "enclosed")
    + r")\s+"
    r"(?:sau|như sau|dưới đây)\s*:\s*$",
    re.I,
)


def _lists_enclosures(leadin: str) -> bool:
    """`Hồ sơ kèm theo gồm:`, `… gửi kèm theo Công văn này các tài liệu sau:`: the items are
    the documents of a dossier or sent along, information (§3 rule 3; `_LISTS_PARTS`)."""
    t = re.split(r"(?<=[.!?])\s+", " ".join(leadin.split()))[-1]
    if _REQUEST.search(t):
        return False
    return bool(_LISTS_PARTS.match(t) or _SENDS_ENCLOSED.search(t))


def _quotes_petition(leadin: str) -> bool:
    """`Văn phòng X nhận được Công văn số … của Hiệp hội X kiến nghị như sau:`: the items
    are what the cited letter asked, its requests, not this letter's work (§3 rule 3; the
    letter's own direction follows them)."""
    return bool(_QUOTES_PETITION.search(" ".join(leadin.split())))


def _answers_request(leadin: str, issuer: Agency | None) -> bool:
    """`Về đề nghị của Quý Bộ tại Công văn số …, Bộ X có ý kiến như sau:`: the issuer
    answers a request a cited letter made (§3 rule 3), like `Trả lời Công văn số …`; not a
    leader's directions conveyed on it (`…, Phó Chủ tịch … có ý kiến như sau:`)."""
    t = " ".join(leadin.split())
    if issuer is None or not _AS_FOLLOWS.search(t) or not _CITED_REQUEST.match(t):
        return False
    last = t.rsplit(",", 1)[-1].strip()
    return fold(last).startswith(fold(issuer.name)) and not _REQUEST.search(last)


def _answers_petition(leadin: str, issuer: Agency | None) -> bool:
    """`Bộ X nhận được Công văn số … của Y kiến nghị một số nội dung … . Sau khi nghiên cứu,
    Bộ X có ý kiến như sau:`: the issuer answers what a cited letter asked (§3 rule 3), like
    `Trả lời Công văn số …`; not a lead-in that only quotes the petition (`… của Y kiến nghị
    như sau:`, `_quotes_petition`): the last clause is the issuer's own opinion."""
    t = " ".join(leadin.split())
    if issuer is None or not _AS_FOLLOWS.search(t) or not _PETITIONED.search(t):
        return False
    last = re.split(r"(?<=\.)\s+", t)[-1].rsplit(",", 1)[-1].strip()
    return fold(last).startswith(fold(issuer.name)) and not _REQUEST.search(last)


def _answers_question(leadin: str) -> bool:
    """The lead-in of a reply (`Trả lời Công văn số … của Cục Y tỉnh X đề nghị hướng dẫn …,
    Tổng cục Y có ý kiến như sau:`): its items state what the rules say, to inform (§3
    rule 3); only those that ask for work or open with their actor are tasks. The request
    answered is not one: only the lead-in's last clause may make a request of its own."""
    t = " ".join(leadin.split())
    if not _AS_FOLLOWS.search(t) or not (_ANSWER_OPENING.match(t) or _ASKED.search(t)):
        return False
    return not _REQUEST.search(t.rsplit(",", 1)[-1])


# What the issuer proposes (§3: a task is work the document assigns; rule 3): a draft's content
# (`Bộ X chỉnh lý dự thảo Luật theo hướng:`) or what a superior is asked to decide (`Sở …
# kính trình Ủy ban nhân dân tỉnh xem xét, quyết định:`): `data/lexicon/proposal_words.tsv`.
_PROPOSALS = "proposal_words"
_DRAFT_CONTENT = re.compile(
    rf"\b(?:{lexicon.alternation(_PROPOSALS, 'kind', 'draft')})\b[^:]{{0,200}}?"
    rf"\b(?:{lexicon.alternation(_PROPOSALS, 'kind', 'direction')})\b[^:]{{0,40}}:\s*$",
    re.I,
)
_PUT_TO_DECISION = re.compile(
    rf"\bxem xét\s*,?\s*(?:{lexicon.alternation(_PROPOSALS, 'kind', 'decide')})\b[^:]{{0,160}}:\s*$",
    re.I,
)


def _proposes(leadin: str) -> bool:
    """A lead-in whose items are what the issuer proposes, not work the letter assigns: the
    content of a draft it edits (asking no one for work), or the points it puts to its
    superior's decision (`… kính đề nghị Ủy ban nhân dân tỉnh xem xét, quyết định:`)."""
    # Only the lead-in's own sentence: the item may tell of the draft before it.
    t = re.split(r"(?<=[.!?])\s+", " ".join(leadin.split()))[-1]
    if _PUT_TO_DECISION.search(t):
        return True
    return bool(_DRAFT_CONTENT.search(t)) and not _REQUEST.search(t)


_PROPOSAL_VERB = rf"(?:{lexicon.alternation(_PROPOSALS, 'kind', 'propose')})\b"
_PROPOSES = re.compile(rf"\s*(?:kính\s+|xin\s+)?{_PROPOSAL_VERB}\s*", re.I)
# The verb alone: searched in an item before its bodies are read (`_issuer_proposes`); where
# `_PROPOSES` matches, it does, and it is not tried at every blank as `\s*` is.
_PROPOSAL_VERB_RE = re.compile(_PROPOSAL_VERB, re.I)


def _issuer_proposes(ctx: TaskContext, s: int, e: int) -> bool:
    """`Bộ X đề xuất điều chuyển kế hoạch vốn …` in Bộ X's own letter: the issuer
    puts a proposal to its addressee and names no body to act; it assigns no work (§3: a task
    is work the document assigns). Not `Bộ X đề nghị các địa phương …` (a request to a
    body, §3 rule 8), nor the issuer's own work (`Bộ sẽ tổng kết …`)."""
    if ctx.issuer is None or _PROPOSAL_VERB_RE.search(ctx.text, s, e) is None:
        return False  # no proposal in the text: its bodies need not be read (most items)
    mentions = ctx.find(ctx.text, s, min(e, s + 200))
    first = mentions[0] if mentions else None
    if first is None or first.span is None or first.name != ctx.issuer.name:
        return False
    if ctx.text[s : first.span[0]].strip(" \t\n*_-:"):
        return False  # the issuer is not the item's opening subject
    verb = _PROPOSES.match(ctx.text, first.span[1], e)
    if verb is None:
        return False
    after = [m for m in mentions[1:] if m.span is not None and m.span[0] >= verb.end()]
    return not (after and after[0].span is not None and after[0].span[0] - verb.end() <= 5)


# A report of results (rule 3): the type `Báo cáo`, or a lead-in by which the issuer reports or
# announces results (`Sở X báo cáo kết quả thực hiện … như sau:`, `… thông báo kết quả kiểm tra
# … như sau:`, `Kết quả …`, `Tình hình …`), not one of rules, guidance or a schedule (`hướng dẫn
# … như sau:`, `… thông báo lịch nghỉ Tết … như sau:`).
_RESULTS_TYPE = re.compile(r"^báo cáo$", re.I)
_RESULTS_LEADIN = re.compile(
    r"\bcho thấy\s*:\s*$|^(?:từ )?kết quả\b|^tình hình\b|^đánh giá\b|"
    r"(?<!nghe )\bbáo cáo\b[^:]{0,150}\bnhư sau\s*:\s*$|\bthông báo kết quả\b[^:]{0,150}:\s*$",
    re.I,
)
# Work still to come (rule 3: a report's item is work only so): a request (`kiến nghị Bộ X …`
# too), an obligation, the future (`sẽ`, `tiếp tục`), or a due date of its own.
_TO_COME = re.compile(r"\b(?:sẽ|tiếp tục|kiến nghị)\b", re.I)


# An event's details (rule 8): `data/lexicon/event_labels.tsv`.
_EVENT_LABELS = "event_labels"
_EVENT_DETAIL = re.compile(
    rf"^(?:{lexicon.alternation(_EVENT_LABELS, 'kind', 'detail')})\s*:", re.I
)
_EVENT_AGENDA = re.compile(
    rf"^(?:{lexicon.alternation(_EVENT_LABELS, 'kind', 'agenda')})\s*:", re.I
)


def _event_agenda(ctx: TaskContext, item: Item) -> bool:
    """`4. Nội dung: Đánh giá kết quả 9 tháng, triển khai nhiệm vụ …` among `1. Thời gian: …`,
    `2. Địa điểm: …`: what the meeting does, part of the event the list fixes (§3 rule 8), no
    work assigned; a request in it (`Đề nghị Sở X chuẩn bị …`) is work."""
    own = ctx.text[slice(*_own_text(ctx, item))].strip()
    if item.parent is None or not _EVENT_AGENDA.match(own) or _REQUEST.search(own):
        return False
    return any(
        c is not item and _EVENT_DETAIL.match(ctx.text[slice(*_own_text(ctx, c))].strip())
        for c in item.parent.children
    )


def _due_of_its_own(ctx: TaskContext, item: Item) -> bool:
    """A reply's item with a due date of its own (`2. Khẩn trương hoàn thiện hồ sơ, trình …
    trước ngày 30/10/2025`) asks for work, though it names no one (§3 rule 3: only items that
    just give information are not tasks)."""
    s, e = _own_text(ctx, item)
    return task_deadline(ctx.text, s, e, doc_date=ctx.doc_date) is not None


def _work_to_come(ctx: TaskContext, item: Item) -> bool:
    s, e = _own_text(ctx, item)
    t = ctx.text[s:e]
    return (
        bool(_REQUEST.search(t) or _OBLIGATION.search(t) or _TO_COME.search(t))
        or task_deadline(ctx.text, s, e, doc_date=ctx.doc_date) is not None
    )


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
    actors_from_leadin: bool = False,
    rule: R.Rule = R.ITEM,
) -> None:
    s, e = _own_text(ctx, item)
    leadin_end = e
    if with_children:
        s, e = strip_span(ctx.text, s, item.subtree_end, " \t\n")
    # `4. Các Bộ, … khẩn trương:` / `c) Yêu cầu người đứng đầu các đơn vị …`: the lead-in's
    # actor asks (§3 lead: the agencies of the lead-in; `Actors.asker`). `actors_from_leadin`:
    # the points are places or objects of the work (`… kiểm tra tại các cơ quan: - Sở X;`),
    # whose bodies do not do it.
    own = _actors(ctx, s, leadin_end if actors_from_leadin else e, voiced=inherited.asker)
    actors = inherited.override(own)
    if labelled is not None:
        actors = actors.override(labelled)
    lead = actors.lead or ctx.default_lead
    reader = _asks_reader(ctx, actors)
    if reader:
        lead = list(ctx.recipients)
    elif (
        not actors.lead and (ctx.issuer is None or ctx.default_lead == [ctx.issuer])
    ) or _led_by_issuing(ctx, own, actors):
        # No actor named: the body a notice of conclusions met is a named actor, not the issuer
        # by default. `Ủy ban nhân dân tỉnh ban hành Kế hoạch … như sau:` over a section that
        # names no actor: the issuer presenting its plan names none (§3 lead), so rule 6's last
        # sentence may drop the section for the one that assigns the work agency by agency.
        ctx.unnamed.add(len(ctx.tasks))
    rules = [str(rule), str(R.LEAD_READER if reader else _lead_rule(ctx, own, labelled, actors))]
    # The grammar decides per clause whether recurring or open-ended wording
    # cancels a date (`xong trong tháng 12/2025. Định kỳ … hằng năm` keeps it).
    deadline = task_deadline(
        ctx.text, s, leadin_end if date_from_leadin else e, doc_date=ctx.doc_date
    )
    if deadline is None and date_from_leadin and (tail := _closing_paragraphs(item)) is not None:
        # `… gồm các nội dung: a) … b) …` then `Hoàn thành trước ngày …`: an unmarked paragraph
        # after the last content point belongs to the item (rule 1) and times the whole task.
        deadline = task_deadline(ctx.text, tail, e, doc_date=ctx.doc_date)
    if deadline is None and date_from_leadin:
        deadline = _delivered_point_deadline(ctx, item)
    if labelled is not None and labelled.deadline is not None:
        # §3 rule 6: the item's labelled time line (`Thời hạn: …`, `Hạn chót: …`) gives its
        # deadline, over a time its title line states (`…, phát hành trong Quý I/2026`).
        deadline = labelled.deadline
        rules.append(str(R.DUE_LABEL))
    elif deadline is not None:
        rules.append(str(R.DUE_OWN))
    if deadline is None and not actors.own_time:
        deadline = inherited.deadline
        if deadline is not None:
            rules.append(str(R.DUE_LEADIN))
    # `Cơ quan theo dõi: …`: a labelled block's (rule 10), else a line of the task's own text.
    monitor = labelled.monitor if labelled is not None else []
    label = item.label or f"p{len(ctx.tasks) + 1}"
    ctx.tasks.append(
        Task(
            task_id=f"{ctx.doc_id}:{label}",
            label=label,
            text=ctx.text[s:e],
            span=(s, e),
            lead=_as_visited(
                _expand_to_recipients(_named_above(ctx.text, lead, ctx.recipients), ctx.recipients),
                ctx,
            ),
            coordinate=_as_visited(actors.coordinate, ctx),
            report_to=actors.report_to,
            monitor=monitor or monitor_lines(ctx.text, s, e, ctx.find),
            deadline=deadline,
            part=ctx.part,
            lead_default=not actors.lead
            or (bool(ctx.presented) and not own.lead and actors.lead == ctx.presented),
            rules=rules,
        )
    )


def _delivered_point_deadline(ctx: TaskContext, item: Item) -> Deadline | None:
    """The earliest due date of the item's content points that hand in the work (`a) Trình
    Bộ Y … trong tháng 11 năm 2025`): a content point is no task of its own, but the
    date by which the actor delivers is the task's (§3 rule 2; §3 deadline, the earliest)."""
    dated = [
        d
        for child in item.children
        if (d := delivery_deadline(ctx.text, *_own_text(ctx, child), doc_date=ctx.doc_date))
        is not None
        and d.date is not None
    ]
    return min(dated, key=lambda d: (d.date or "", d.time or "24:00")) if dated else None


def _closing_paragraphs(item: Item) -> int | None:
    """Start of the unmarked paragraphs that follow the item's last sub-item, if any."""
    last = item
    while last.children:
        last = last.children[-1]
    if last is item:
        return None
    return next((p for p in last.paragraphs if last.text_start < p < last.end), None)


def _led_by_issuing(ctx: TaskContext, own: Actors, actors: Actors) -> bool:
    """The item names no actor and its only lead is that of a preamble that just issues the
    document (`ctx.issuing`; §3 lead)."""
    return bool(ctx.issuing) and not own.lead and actors.lead == ctx.issuing


def _asks_reader(ctx: TaskContext, actors: Actors) -> bool:
    """A request that names no one asked (`Đề nghị kiểm tra …`, `Bộ X đề nghị nghiên cứu
    …`) where no body other than the issuer is named: the letter asks its reader, the
    recipients act (§3 lead: the text addresses the reader). Not in a notice of conclusions,
    whose unnamed work is the body met."""
    if not (actors.reader_asked and ctx.recipients and ctx.issuer is not None):
        return False
    if ctx.default_lead != [ctx.issuer]:
        return False
    return all(a.name == ctx.issuer.name and a.code is None for a in actors.lead)


def _lead_rule(ctx: TaskContext, own: Actors, labelled: Actors | None, actors: Actors) -> R.Rule:
    """Which sentence of §3 gave the task its lead."""
    if labelled is not None and labelled.lead:
        return R.LEAD_LABEL
    if own.lead:
        return R.LEAD_OWN
    if actors.lead:
        return R.LEAD_LEADIN
    if ctx.issuer is not None and ctx.default_lead == [ctx.issuer]:
        return R.LEAD_ISSUER
    return R.LEAD_VISITED


def drop_restated(tasks: list[Task]) -> list[Task]:
    """Rule 6 (the same work assigned agency by agency): a task whose lead no
    text named, restated nearly word for word by a task whose lead is named (a
    task-table row, an item of the section that assigns the work), is that
    task, not a second one. A duty stated twice with its actor both times
    stays two tasks (rule 10)."""
    if not any(t.lead_default for t in tasks):
        return list(tasks)  # nothing to drop: no folding at all
    # Each text folded once; a named task's words only when some are compared.
    named = [_word_set(t.text) for t in tasks if not t.lead_default]
    out = []
    for t in tasks:
        if t.lead_default and named:
            own = _word_set(t.text)
            if len(own) >= 5 and any(_restates(own, other) for other in named):
                R.not_a_task(t.span, R.RESTATED)
                continue
        out.append(t)
    return out


def _restates(a: frozenset[str], b: frozenset[str]) -> bool:
    """Most words of the shorter text are in the longer, which is not a whole
    section that merely covers the same ground (at most three times as long)."""
    short, long_ = sorted((len(a), len(b)))
    return len(a & b) >= 0.6 * short and long_ <= 3 * short


def _word_set(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", fold(text)))


# `Các Sở X nêu trên`: bodies of a kind the letter named before.
_NAMED_ABOVE = re.compile(
    r"((?:[ \t]+[^\s,.;:()]+){0,4}?)[ \t]+(?:nêu trên|nói trên|kể trên|trên đây)\b"
)


def _named_above(text: str, lead: list[Agency], recipients: list[Agency]) -> list[Agency]:
    """§3 lead (the text addresses the reader: the document's recipients): `Các Sở X
    nêu trên` are the recipients of that kind (`Sở X tỉnh A`, `Sở X tỉnh B`),
    not every department."""
    out: list[Agency] = []
    for a in lead:
        m = _NAMED_ABOVE.match(text, a.span[1]) if a.code and a.span else None
        if m is not None and a.span is not None:
            kind = fold(re.sub(r"^(?:các|những)\s+", "", text[a.span[0] : m.end(1)], flags=re.I))
            same = [r for r in recipients if r.code is None and fold(r.name).startswith(kind)]
            if same:
                out.extend(same)
                continue
        out.append(a)
    return unique_agencies(out)


# `Ủy ban nhân dân xã`, `UBND huyện`: one committee named by its level alone (singular).
_ONE_LEVEL = re.compile(
    rf"(?:ủy ban nhân dân|ubnd)\s+({lexicon.literal('level_words', 'lower')})", re.I
)


def _as_visited(lead: list[Agency], ctx: TaskContext) -> list[Agency]:
    """§3 lead (notices of conclusions; the text addresses its reader; §4 a place named bare):
    in a notice of a visit to one People's Committee, the committee named by its level alone
    (`Ủy ban nhân dân tỉnh`) and `địa phương` said of one place are the body visited, not the
    level or every province; in a letter to one People's Committee, `địa phương` is that one."""
    visited = ctx.default_lead if ctx.default_lead != ([ctx.issuer] if ctx.issuer else []) else []
    if not visited and len(ctx.recipients) == 1:
        visited = [r for r in ctx.recipients if fold(r.name).startswith(fold("Ủy ban nhân dân "))]
    if len(visited) != 1 or visited[0].code is not None:
        return lead
    body = visited[0]
    committee = fold(body.name).startswith(fold("Ủy ban nhân dân "))
    out: list[Agency] = []
    for a in lead:
        level = _ONE_LEVEL.fullmatch(a.raw.strip()) if a.code is not None else None
        level_only = (a.code is None and fold(body.name).startswith(fold(a.name) + " ")) or (
            level is not None and fold(body.name).startswith(fold(f"Ủy ban nhân dân {level[1]} "))
        )
        one_place = committee and a.code is not None and fold(a.raw) == fold("địa phương")
        out.append(
            body.model_copy(update={"raw": a.raw, "span": a.span}) if level_only or one_place else a
        )
    return unique_agencies(out)


def _expand_to_recipients(lead: list[Agency], recipients: list[Agency]) -> list[Agency]:
    """`Giám đốc Sở X` in a letter to several provinces' Sở X means them all."""
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


@cache
def _time_limit_openings() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple(
        (re.compile(r["pattern"], re.I), r["scope"]) for r in lexicon.rows("time_limit_openings")
    )


@cache
def _time_line_work() -> re.Pattern[str]:
    """A verb of handing in (lexicon `delivery_verbs`) and the deliverable after it
    (lexicon `time_line_works`), as the label of a time-limit line names them."""
    verbs = "|".join(map(re.escape, lexicon.words("delivery_verbs")))
    nouns = "|".join(map(re.escape, lexicon.words("time_line_works")))
    return re.compile(rf"\b(?:{verbs})\s+({nouns})\b", re.I)


def _work_named(ctx: TaskContext, bs: int, be: int) -> str | None:
    """Rule 4: the deliverable a time-limit line names in its label, before its colon
    (`Thời hạn gửi báo cáo: …` → `báo cáo`): the line sets the time of that work."""
    colon = ctx.text.find(":", bs, be)
    m = _time_line_work().search(ctx.text, bs, colon) if colon > 0 else None
    return m.group(1).lower() if m else None


def _time_limit(ctx: TaskContext, s: int, e: int) -> str | None:
    """Rule 4: `text[s:e]` only sets the time limit of work already stated (`Thời hạn gửi
    báo cáo: …`, `Các nội dung trên hoàn thành … trước ngày …`, `Báo cáo gửi về Bộ … trước
    ngày …`): it opens so (`data/lexicon/time_limit_openings.tsv`), gives a time and names
    no actor of its own. Returns what it covers after an item: `list` or `item`."""
    opening = re.match(r"[\s*_]*", ctx.text[s:e])
    at = s + (opening.end() if opening else 0)
    scope = next((sc for pat, sc in _time_limit_openings() if pat.match(ctx.text, at, e)), None)
    if scope is None or not find_times(ctx.text, s, e, doc_date=ctx.doc_date):
        return None
    actors = _actors(ctx, s, e)
    return None if actors.lead_named else scope


def _is_time_limit_item(ctx: TaskContext, item: Item) -> bool:
    """A numbered item that only sets the time limit of the items above it (rule 4)."""
    if item.style == "para":
        return False
    first = _first_line(ctx, item)
    if _DEADLINE_ONLY.match(first):
        return True
    if _EXECUTION_TIME.match(first):
        return False
    return not item.children and _time_limit(ctx, *_own_text(ctx, item)) is not None


def _time_blocks(ctx: TaskContext, root: Item) -> list[tuple[int, int, int]]:
    """The texts that only set a time limit (rule 4) or close a list with its time line
    (rule 10), as (start, end, start of the work they cover)."""
    blocks: list[tuple[int, int, int]] = []
    for node in root.walk():
        if node.style == "para" and node.parent is root:
            # A sentence among unnumbered paragraphs covers the work stated before it.
            for ss, se in _sentences(ctx.text, *_own_text(ctx, node)):
                if _time_limit(ctx, ss, se):
                    blocks.append((ss, se, root.start))
            continue
        if _is_time_limit_item(ctx, node):
            blocks.append((node.start, node.end, _list_start(ctx, node)))
            continue
        bounds = [*node.paragraphs, node.end]
        for ps, pe in pairwise(bounds):
            scope = _time_limit(ctx, ps, pe)
            if scope == "item" and _hands_in_the_list(ctx, node, ps):
                blocks.append((ps, pe, _closed_list_start(ctx, node)))
            elif scope == "item" or (scope == "list" and _own_item_mid_list(ctx, node)):
                # `Báo cáo gửi về Bộ … trước ngày …`: the item's deliverable; a time line under
                # an item with its own actor that others follow: that item's time
                blocks.append((ps, pe, node.start))
            elif scope == "list":
                blocks.append((ps, pe, _closed_list_start(ctx, node)))
    return sorted(blocks)


def _own_item_mid_list(ctx: TaskContext, node: Item) -> bool:
    """Rule 1 over rule 10: a time line under an item that names its own actor (`2. Giao Ban X
    tỉnh chủ trì …` / `Thời hạn hoàn thành: …`) and that other items follow is a paragraph of
    that item; only a time line after the last item closes the list (rule 10)."""
    siblings = [c for c in node.parent.children if c.style != "para"] if node.parent else []
    if not siblings or siblings[-1] is node or node.children:
        return False
    return _actors(ctx, *_own_text(ctx, node), aliases=False).lead_named


def _hands_in_the_list(ctx: TaskContext, node: Item, ps: int) -> bool:
    """Rule 4: `Báo cáo gửi về … trước ngày …` after the last item of a list whose own text
    names no such deliverable hands in the work of the whole list, not of that item."""
    siblings = [c for c in node.parent.children if c.style != "para"] if node.parent else []
    if len(siblings) < 2 or siblings[-1] is not node or node.children:
        return False
    # The deliverable's noun (`báo cáo`, `kết quả`: two syllables in the lexicon's openings).
    noun = re.match(r"[\s*_]*(\w+\s+\w+)", ctx.text[ps : ps + 40])
    return noun is not None and noun.group(1).lower() not in ctx.text[node.text_start : ps].lower()


def _list_start(ctx: TaskContext, node: Item) -> int:
    """Start of the items before `node` in its list, back to one that carries a labelled
    block of its own (rule 10: `… applies to every item back to the previous block`)."""
    siblings = node.parent.children if node.parent is not None else [node]
    start = node.start
    for sib in reversed(siblings[: siblings.index(node)]):
        if sib.style != "para" and _labelled(ctx, sib, dated=False).any:
            break
        start = sib.start
    return start


def _closed_list_start(ctx: TaskContext, node: Item) -> int:
    """A time line after `node` closes its list, and the lists whose last item that is,
    within the section (rule 10); after an item that others follow, it closes the items
    back to the previous block."""
    start = _list_start(ctx, node)
    while (parent := node.parent) is not None and parent.style != "root":
        items = [c for c in parent.children if c.style != "para"]
        if (
            not items
            or items[-1] is not node
            or (_is_heading(ctx, parent) and _is_title_like(ctx, parent))
        ):
            break
        node = parent
        start = _list_start(ctx, node)
    return start


def _is_title_like(ctx: TaskContext, item: Item) -> bool:
    """A section heading that names no actor (`I. NHIỆM VỤ`), not a lead-in (`1. Sở X:`)."""
    s, e = _own_text(ctx, item)
    return not _actors(ctx, s, e, aliases=False).lead_named


def _text_before(ctx: TaskContext, span: Span, bs: int) -> str:
    """A task's own text up to a block at `bs`, in lower case."""
    return ctx.text[span[0] : min(span[1], bs)].lower()


def _apply_time_limits(ctx: TaskContext, root: Item) -> None:
    """Rules 4 and 10: the deadline of a text that only sets the time limit of work already
    stated (`3. Thời hạn: Các nội dung trên gửi về Bộ … trước 16h00 ngày 20/3/2026`, a closing
    `Thời gian thực hiện: …`) belongs to every task it covers that has no time of its own;
    a dated `riêng …` clause in it dates the item it names (`riêng nội dung tại điểm b …`)."""
    floor = root.start
    for bs, be, lo in _time_blocks(ctx, root):
        lo = max(lo, floor)
        floor = be
        covered = [i for i, t in enumerate(ctx.tasks) if t.span[0] < bs and t.span[1] > lo]
        # `Thời hạn gửi báo cáo: …` times the reports above it, where some task names one.
        work = _work_named(ctx, bs, be)
        # (A task's own text: a time line the last item runs on to is not that item's.)
        naming = (
            [i for i in covered if work in _text_before(ctx, ctx.tasks[i].span, bs)] if work else []
        )
        # `Thời hạn hoàn thành nội dung tại mục 1: …` covers item 1 only
        named = block_items(ctx.text, bs, be)
        for i in naming or covered:
            t = ctx.tasks[i]
            ts, te = t.span
            d = t.deadline
            from_block = d is not None and d.span is not None and bs <= d.span[0] < be
            if d is not None and not from_block:
                continue
            own_end = min(te, bs)
            uncovered = bool(named) and not named & {
                k.strip("()").lower() for k in t.label.split(".")
            }
            if from_block and be <= te and not uncovered and str(R.DUE_LABEL) in t.rules:
                continue  # the task's own labelled time line (rule 6), over its title's time
            if uncovered or _has_own_time(ctx, ts, own_end):
                if from_block:  # the task's own time, not the block's
                    own = task_deadline(ctx.text, ts, own_end, doc_date=ctx.doc_date)
                    ctx.tasks[i] = t.model_copy(
                        update={"deadline": own, "rules": [*t.rules, str(R.DUE_TIME_LIMIT)]}
                    )
                continue
            marker = t.label.rsplit(".", 1)[-1]
            given = block_deadline(ctx.text, bs, be, doc_date=ctx.doc_date, marker=marker)
            ctx.tasks[i] = t.model_copy(
                update={"deadline": given, "rules": [*t.rules, str(R.DUE_TIME_LIMIT)]}
            )


# `… gửi về Sở trong cùng thời hạn nêu trên`: an item's time stated as the time limit above
# (lexicon `same_time_words`).
_SAME_TIME = re.compile(
    r"(?<![^\W\d_])(?:" + lexicon.alternation("same_time_words") + r")(?![^\W\d_])", re.I
)


def _apply_same_time(ctx: TaskContext) -> None:
    """§3 deadline (the date by which the task is due): an item with no date of its own that
    states its time limit as the one stated above (`2. Các đơn vị đã gửi báo cáo rà soát, bổ
    sung số liệu, gửi về Sở trong cùng thời hạn nêu trên.`) is due on the date of the nearest
    task above that has one; rule 10 carries no deadline between items, this phrase names it."""
    for i, t in enumerate(ctx.tasks):
        ts, te = t.span
        if t.deadline is not None or _SAME_TIME.search(ctx.text, ts, te) is None:
            continue
        dated = [
            u for u in ctx.tasks if u.span[1] <= ts and u.deadline and u.deadline.date is not None
        ]
        if not dated:
            continue
        ref = max(dated, key=lambda u: u.span[0])
        ctx.tasks[i] = t.model_copy(
            update={"deadline": ref.deadline, "rules": [*t.rules, str(R.DUE_SAME_TIME)]}
        )


def _has_own_time(ctx: TaskContext, s: int, e: int) -> bool:
    """A due date, or a recurring or open-ended time, of the task's own (§3 deadline)."""
    if task_deadline(ctx.text, s, e, doc_date=ctx.doc_date) is not None:
        return True
    # An event-relative time (`ngay khi xảy ra …`) is the task's own too (lexicon `event_times`).
    return any(
        x.kind in ("recurrence", "open_ended")
        for x in find_times(ctx.text, s, e, doc_date=ctx.doc_date)
    )


def _sentence_tasks(
    ctx: TaskContext, para: Item, inherited: Actors, *, requests_only: bool = False
) -> None:
    """A letter without items: each sentence that assigns work is a task (rule 5);
    `requests_only`: only sentences that say `Đề nghị`, `Giao`, `Yêu cầu` (rule 5's words)."""
    s, e = _own_text(ctx, para)
    for ss, se in _sentences(ctx.text, s, e):
        sent = ctx.text[ss:se].strip()
        if requests_only and not _REQUEST.search(sent):
            continue
        if _time_limit(ctx, ss, se):
            continue  # it dates the work stated before it (rule 4, `_apply_time_limits`)
        if (
            not (_ASSIGN.search(sent) or _subject_then_work(ctx, ss, se))
            or not _is_task_text(sent)
            or _PAST.search(sent)
            or sent.endswith(":")
        ):
            continue
        if (
            (_NARRATIVE.search(sent[:200]) or _in_progress(sent) or _holds_mandate(ctx, ss, se))
            and not _REQUEST.search(sent)
            and not re.search(r"\bsẽ\b", sent)
        ):
            continue
        executes = _EXECUTES_DOC.search(sent)
        # `… chịu trách nhiệm thi hành Chỉ thị này; định kỳ … báo cáo kết quả …`: a concrete duty
        # added after the execution clause makes the sentence a task (rule 9).
        adds_duty = executes is not None and _concrete(sent[executes.end() :])
        if (
            _is_closing(sent) or _carries_out_document(_without_bodies(ctx, ss, se)) or executes
        ) and not adds_duty:
            continue  # the closing formula, or who executes the decision (rules 7, 9)
        fake = Item("para", "", "", ss, ss, se)
        fake.label = f"p{len(ctx.tasks) + 1}"
        actors = _actors(ctx, ss, se)
        if not actors.lead_named and not _REQUEST.search(sent) and not re.search(r"\bsẽ\b", sent):
            continue
        _emit(ctx, fake, inherited, with_children=False, rule=R.SENTENCE)


# A verb of concrete work (`tổng hợp`, `kiểm tra`) right after the sentence's subject.
_WORK_AFTER_SUBJECT = re.compile(
    rf"[ \t]*(?:{lexicon.alternation(_VERBS, 'concrete', 'y')}|"
    rf"{lexicon.alternation(_VERBS, 'subject', 'y')})\b",
    re.I,
)


def _subject_then_work(ctx: TaskContext, ss: int, se: int) -> bool:
    """`Sở X tổng hợp nhu cầu vốn …`: a body as the sentence's subject and a verb of
    concrete work as its predicate assign that work (rule 5), also with a verb that alone can
    be a noun (`kết quả kiểm tra`) and so assigns nothing by itself."""
    s, e = strip_span(ctx.text, ss, se, " \t\n")
    mentions = [a for a in ctx.find(ctx.text, s, min(e, s + 160)) if a.span is not None]
    if not mentions or mentions[0].span is None or mentions[0].span[0] - s > 5:
        return False
    # The subject may be a list of bodies (`Ban A tỉnh, Ban B tỉnh chuẩn bị …`):
    # the verb follows the last of them (§3 lead: the lead holds each).
    end = mentions[0].span[1]
    for a in mentions[1:]:
        if a.span is None or not _SUBJECT_JOINER.fullmatch(ctx.text, end, a.span[0]):
            break
        end = a.span[1]
    return bool(_WORK_AFTER_SUBJECT.match(ctx.text, end, e))


# Between two bodies of one subject: a comma or `và` alone.
_SUBJECT_JOINER = re.compile(r"[ \t]*(?:,|và)?[ \t]*", re.I)


# `Bộ X đang xây dựng dự thảo Nghị định …`: the subject's work under way, told as the
# background of the request that follows (rule 5: only a sentence that assigns work is a task).
_UNDER_WAY = re.compile(r"\bđang\b", re.I)


# `Sở X được giao chủ trì xây dựng dự thảo …`: the body, then the passive of an
# assignment made before; not `được giao cho` (work given to the body named after it).
_GIVEN_BEFORE = re.compile(r"[ \t]*(?:đã[ \t]+)?được[ \t]+giao\b(?![ \t]+cho\b)", re.I)


def _holds_mandate(ctx: TaskContext, ss: int, se: int) -> bool:
    """A sentence that opens with a body and tells the work it was given before (`Sở X
    được giao chủ trì xây dựng dự thảo …`): its mandate, the background of the request
    that follows, not work this letter assigns (rule 3; rule 5: only a sentence that assigns
    work is a task)."""
    s, e = strip_span(ctx.text, ss, se, " \t\n")
    mentions = [a for a in ctx.find(ctx.text, s, min(e, s + 160)) if a.span is not None]
    if not mentions or mentions[0].span is None or mentions[0].span[0] - s > 5:
        return False
    return bool(_GIVEN_BEFORE.match(ctx.text, mentions[0].span[1], e))


def _in_progress(sent: str) -> bool:
    """`đang` after the subject, before any verb of work: what is being done, not asked."""
    m = _UNDER_WAY.search(sent, 0, 150)
    return m is not None and not _ASSIGN.search(sent, 0, m.start())


def _sentences(text: str, start: int, end: int) -> list[Span]:
    out: list[Span] = []
    pos = start
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])", text[start:end]):
        out.append((pos, start + m.start()))
        pos = start + m.end()
    out.append((pos, end))
    return out


@cache
def _own_actor() -> re.Pattern[str]:
    """A paragraph that opens with its own actor or a request (`Sở …`, `Chủ tịch …`,
    `Đề nghị …`: `data/lexicon/own_actor_openings.tsv`), after an opening adverbial; after
    `các` the head may be in lower case (`Hằng năm, các bộ, ngành và …`: a collective)."""
    heads = lexicon.alternation("own_actor_openings")
    return re.compile(
        rf"^(?:[^,.;:]{{0,80}},\s*)?(?:(?:{heads})|(?i:(?:các|những)\s+(?:{heads})))\b"
    )


def _heading_line(text: str) -> bool:
    """One short line with no closing stop: a heading (`Về hạ tầng số`), not a sentence."""
    t = text.strip(" \t\n*_")
    return bool(t) and "\n" not in t and len(t) < 100 and t[-1].isalnum()


# `… Bộ sẽ tổng kết …`: a body announcing its own work (`own_actor_openings.tsv`, body heads).
_BODY_WILL = re.compile(rf"\b(?:{lexicon.alternation('own_actor_openings', 'body', 'y')})\s+sẽ\b")


# The words of a paragraph that only gives out the roles of the work above it (`Sở A chủ trì
# thực hiện; Sở B, Ban C tỉnh phối hợp.`, `Giao Sở A chủ trì, phối hợp với Sở
# D thực hiện.`), its bodies aside: `role_only_words.tsv`.
_ROLES_ONLY_WORDS = re.compile(
    r"(?:[\s,;.():]|\b(?:" + lexicon.literal("role_only_words") + r")\b)*",
    re.I,
)
_GIVES_ROLE = re.compile(r"\b(?:chủ trì|phối hợp)\b", re.I)


def _only_assigns_roles(text: str, start: int, end: int, find: FindAgencies) -> bool:
    """The paragraph names who leads and who coordinates the work above it and nothing else:
    it is that item's (rule 1; §3 rule 6: the roles are lines of the task), not a paragraph
    of its own after the list (rule 9)."""
    if not _GIVES_ROLE.search(text, start, end):
        return False
    pos, bodies = start, 0
    for a in find(text, start, end):
        if a.span is None or a.span[0] < pos:
            continue
        if not _ROLES_ONLY_WORDS.fullmatch(text, pos, a.span[0]):
            return False
        pos, bodies = a.span[1], bodies + 1
    return bodies > 0 and _ROLES_ONLY_WORDS.fullmatch(text, pos, end) is not None


def _split_sublist_paragraphs(ctx: TaskContext, root: Item) -> None:
    """Rule 9 inside the body: an unmarked paragraph after the last sub-item of an item
    (`3. … đề nghị Ủy ban nhân dân tỉnh: a) … c) …` / `Cục X có trách nhiệm thẩm định …`) that
    opens with an actor of its own, not the one the item's lead-in asks, is the item's, a task
    of its own, not part of the last sub-item."""
    text = ctx.text
    for node in list(root.walk()):
        if node is root or node.parent is None or not node.children:
            continue
        last = node.children[-1]
        if last.style == "para" or last.children:
            continue
        for start in last.paragraphs:
            if not text[:start].rstrip().endswith((".", ";")):
                continue  # a line wrapped inside the sentence (`… (qua` ↵ `Cục X) trước …`)
            if _own_actor().match(text[start : last.end]) is None:
                continue
            if not _another_actor(ctx, node, start, last.end):
                continue
            label = f"{node.label}.p{sum(c.style == 'para' for c in node.children) + 1}"
            para = Item("para", "", "", start, start, last.end, parent=node, label=label)
            last.end = len(text[:start].rstrip())
            last.paragraphs = [p for p in last.paragraphs if p < start]
            node.children.append(para)
            break


def _another_actor(ctx: TaskContext, node: Item, start: int, end: int) -> bool:
    """The paragraph's first clause names a lead that the item's lead-in, which names its own,
    does not."""
    asked = _actors(ctx, *_own_text(ctx, node)).lead
    own = _first_clause_actors(ctx, start, end).lead
    keys = {a.code or a.name for a in asked}
    return bool(asked) and bool(own) and not any((a.code or a.name) in keys for a in own)


def _split_trailing_paragraphs(text: str, root: Item, find: FindAgencies) -> None:
    """Rule 9: an unmarked paragraph after the last item of the list, naming
    its own actor or opening with the document's effect clause (rule 7), is not part of that
    item; unless it only gives out the roles of the item's work (`_only_assigns_roles`) and
    the item names no actor of its own."""
    items = [c for c in root.children if c.style != "para"]
    if not items:
        return
    _split_after_last(text, items[-1], root, find)
    # The same after the last sub-item of an earlier section (`2. Nhiệm vụ` / `a) …` … `đ) …` /
    # `Ủy ban nhân dân tỉnh sẽ tổ chức sơ kết …` / `3. Kiến nghị`), read as the body's
    # paragraphs between the items are (rules 5, 9).
    for section in items[:-1]:
        if section.children:
            _split_after_last(text, section, root, find, own_body=True)


def _names_same_body(text: str, item: tuple[int, int], start: int, find: FindAgencies) -> bool:
    """The first body the paragraph at `start` names is one the item's text names."""
    first = next(iter(find(text, start, min(len(text), start + 200))), None)
    return first is not None and first.name in {a.name for a in find(text, *item)}


def _split_after_last(
    text: str, top: Item, root: Item, find: FindAgencies, *, own_body: bool = False
) -> None:
    """`_split_trailing_paragraphs` for the list under `top`: the paragraph split off its last
    item becomes a paragraph of the body, right after `top`. `own_body`: only when the body the
    paragraph opens with is not one the item names (its own actor, rule 9; else rule 1)."""
    last = top
    while last.children:
        last = last.children[-1]
    for start in list(last.paragraphs):
        heading = text[last.text_start : start]
        if _heading_line(heading) and not in_capitals(heading):
            continue  # below a heading line (`2. Về hạ tầng số`), the paragraph is its item (rule 1)
        if ends_with_bare_label(text, last.text_start, start):
            # `Cơ quan chủ trì:` ending the line above: the paragraph is that label's value,
            # one of the item's labelled lines (rule 6), not a paragraph of its own.
            continue
        para_text = text[start : last.end]
        # `Chỉ thị này có hiệu lực … Giám đốc các sở … chịu trách nhiệm thi hành …; định kỳ báo
        # cáo …`: the effect clause (rule 7) opens the closing paragraph, not more of the item.
        effect = _STANDARD_ARTICLE.match(para_text.lstrip(" *_")) is not None
        if _only_assigns_roles(text, start, last.end, find) and not _own_actor().match(
            text[last.text_start : start].lstrip()
        ):
            # The roles of an item that names no actor of its own; after an item with its own
            # subject they name the actors of the list, not that item's second lead (rule 9).
            continue
        if own_body and _names_same_body(text, (last.text_start, start), start, find):
            continue
        if effect or _own_actor().match(para_text) or _BODY_WILL.search(para_text[:200]):
            para = Item("para", "", "", start, start, last.end, parent=root)
            last.end = len(text[:start].rstrip())
            last.paragraphs = [p for p in last.paragraphs if p < start]
            # Keep the root's children in text order.
            root.children.insert(root.children.index(top) + 1, para)
            break
