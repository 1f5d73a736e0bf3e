"""The rules of the guideline as the extractor applies them: named objects.

Each `Rule` is one sentence of `ANNOTATION.md` (quoted by its section in
`annotation`), the nodes of the letter's tree it reads, and what it decides:
that a node is a task, that it is not one, or a task's lead, coordinate or
deadline. A task record keeps the rules that decided it (`Task.rules`, their
`str()`); the reasons a node gave no task are kept only while someone asks
(`tracing()`, used by `vanban extract --explain`), so a batch pays nothing.

`vanban rules` lists them; a new rule is declared here, where its guideline
sentence and its id are seen beside every other.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

Span = tuple[int, int]

# What a rule decides.
TASK = "task"
NOT_TASK = "not a task"
LEAD = "lead"
DEADLINE = "deadline"


@dataclass(frozen=True)
class Rule:
    """One guideline sentence applied: `str(rule)` is what a record shows."""

    id: str
    decides: str
    says: str
    annotation: str
    reads: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.decides}: {self.says} ({self.annotation})"


RULES: dict[str, Rule] = {}


def _rule(id: str, decides: str, says: str, annotation: str, *reads: str) -> Rule:
    rule = Rule(id, decides, says, annotation, reads)
    assert id not in RULES, f"rule {id} declared twice"
    RULES[id] = rule
    return rule


# -- is a task ------------------------------------------------------------------------------
ITEM = _rule("item", TASK, "an enumerated item that asks for action", "§3 rule 1", "item")
ONE_SUBITEM = _rule(
    "one-subitem",
    TASK,
    "a lead-in with one sub-item that completes it",
    "§3 rule 2",
    "item",
    "sub-item",
)
ACTION_LEADIN = _rule(
    "action-leadin",
    TASK,
    "a lead-in that is an action, its sub-items the content",
    "§3 rule 2",
    "item",
    "sub-item",
)
LABELLED = _rule(
    "labelled",
    TASK,
    "an item with labelled lines, one task",
    "§3 rule 6",
    "item",
    "labelled line",
)
LABELLED_BLOCK = _rule(
    "labelled-block",
    TASK,
    "the items up to a labelled block, with its labels",
    "§3 rule 10",
    "item",
    "labelled line",
)
SENTENCE = _rule(
    "sentence", TASK, "a sentence that assigns work", "§3 rule 5", "paragraph", "sentence"
)
TABLE_ROW = _rule(
    "table-row", TASK, "a row of a task table", "§3 rule 6: one task per row", "table row"
)

# -- is not a task ----------------------------------------------------------------------------
TABLE_HEAD_ROW = _rule(
    "table-head-row",
    NOT_TASK,
    "a row that names or numbers the table's columns, under its header or again on a page",
    "§3 rule 6: one task per row of tasks",
    "table row",
)
TABLE_ROW_BROKEN = _rule(
    "table-row-broken",
    NOT_TASK,
    "the rest of the row above, broken over a page break",
    "§3 rule 1: what follows an item without a marker belongs to it",
    "table row",
)
TABLE_LEADIN = _rule(
    "table-leadin",
    NOT_TASK,
    "the lead-in of a task table, whose rows are the tasks",
    "§3 rule 2: the lead-in itself is not a task; rule 6: one task per row",
    "item",
    "table row",
)
SECTION_NOT_TASKS = _rule(
    "section-not-tasks",
    NOT_TASK,
    "a section of purpose, targets or background",
    "§3 rule 6, §6 sections by heading",
    "heading",
)
INFORMATION = _rule(
    "information",
    NOT_TASK,
    "information only: contact points, findings",
    "§3 rule 3",
    "item",
    "heading",
)
ANSWER = _rule(
    "answer",
    NOT_TASK,
    "a reply's item states what the rules say, asks no one for work",
    "§3 rule 3",
    "preamble",
    "item",
)
NORM_ARTICLE = _rule(
    "norm-article",
    NOT_TASK,
    "an article of a text of rules (quy chế, quy định) states a norm, not work",
    "§3 rule 8",
    "article",
)
PUBLISHED_LIST = _rule(
    "published-list",
    NOT_TASK,
    "a list the decision publishes or approves (procedures, products), not work",
    "§3 rules 7 and 8",
    "attachment",
)
QUOTED = _rule("quoted", NOT_TASK, "a quoted or cited provision", "§3 rule 3", "item")
PUBLIC = _rule("public", NOT_TASK, "its only actor is the public", "§3 rule 8", "item")
TIME_LIMIT_ITEM = _rule(
    "time-limit-item",
    NOT_TASK,
    "it only sets the time limit of work already stated",
    "§3 rule 4",
    "item",
    "paragraph",
)
STANDARD_ARTICLE = _rule(
    "standard-article",
    NOT_TASK,
    "a decision's standard article (its effect, who executes it)",
    "§3 rule 7",
    "article",
)
APPRAISAL = _rule(
    "appraisal", NOT_TASK, "it appraises work done, asks for nothing", "§3 rule 3", "item"
)
APPROVAL = _rule(
    "approval",
    NOT_TASK,
    "the issuer approves a proposal (`Đồng ý …`, `Chấp thuận …`), assigns no work",
    "§3 (a task is work the document assigns); §3 rule 7",
    "item",
)
PROPOSAL = _rule(
    "proposal",
    NOT_TASK,
    "what the issuer proposes: a draft's content, or points put to its superior's decision",
    "§3 (a task is work the document assigns); §3 rule 3",
    "lead-in",
    "item",
)
TITLE = _rule(
    "title", NOT_TASK, "a section title asks for nothing by itself", "§3 rule 1", "heading"
)
SCHEDULE = _rule(
    "schedule",
    NOT_TASK,
    "an entry of a schedule (a time of day, what happens), assigning no agency",
    "§3 rule 8",
    "item",
)
NO_ACTION = _rule(
    "no-action",
    NOT_TASK,
    "it asks for no action (a fact, a norm, liability only)",
    "§3 rule 1, rule 8",
    "item",
)
CARRIES_OUT = _rule(
    "carries-out",
    NOT_TASK,
    "its only content is to carry out the document: the closing formula",
    "§3 rule 9",
    "item",
    "paragraph",
)
UNNAMED_SECTION = _rule(
    "unnamed-section",
    NOT_TASK,
    "its section names no actor while another assigns the work agency by agency",
    "§3 rule 6, last sentence",
    "section",
)
RESTATED = _rule(
    "restated",
    NOT_TASK,
    "it restates a task whose lead is named (a table row, an assigning item)",
    "§3 rule 6",
    "item",
)

# -- lead ---------------------------------------------------------------------------------------
LEAD_LABEL = _rule(
    "lead-label",
    LEAD,
    "its labelled line",
    "§3 rule 6: labelled lines override the running text",
    "labelled line",
)
LEAD_OWN = _rule(
    "lead-own",
    LEAD,
    "the subject of its own sentence",
    "§3 lead: an item's own subject wins",
    "sentence",
)
LEAD_LEADIN = _rule(
    "lead-leadin",
    LEAD,
    "the lead-in above it",
    "§3 rule 2: sub-items inherit the lead-in's agencies",
    "lead-in",
)
LEAD_ISSUER = _rule(
    "lead-issuer", LEAD, "no actor named, so the issuer", "§3 lead", "header", "signature"
)
LEAD_READER = _rule(
    "lead-reader",
    LEAD,
    "a request that names no one asked (`Đề nghị kiểm tra …`) addresses the reader: the recipients",
    "§3 lead: when the text addresses the reader, the document's recipients",
    "sentence",
    "recipients",
)
LEAD_VISITED = _rule(
    "lead-visited",
    LEAD,
    "no actor named in a notice of conclusions, so the body met",
    "§3 lead",
    "subject",
    "closing",
)
LEAD_COLUMN = _rule("lead-column", LEAD, "the table's lead column", "§3 rule 6", "table cell")
LEAD_NO_COLUMN = _rule(
    "lead-no-column", LEAD, "no lead column filled, so the issuer", "§3 lead", "table row"
)
LEAD_ROLE_COLUMN = _rule(
    "lead-role-column",
    LEAD,
    "an actor named by its role (`các cơ quan chủ trì`): the bodies a task table's column gives it",
    "§3 coordinate: list every body the document assigns to that role anywhere",
    "table cell",
)

# -- deadline -----------------------------------------------------------------------------------
DUE_OWN = _rule("due-own", DEADLINE, "the task's own time", "§3 deadline", "sentence")
DUE_LABEL = _rule("due-label", DEADLINE, "its labelled time line", "§3 rule 6", "labelled line")
DUE_LEADIN = _rule(
    "due-leadin",
    DEADLINE,
    "the lead-in's or heading's time",
    "§3 rule 2, §6 heading times",
    "lead-in",
    "heading",
)
DUE_TIME_LIMIT = _rule(
    "due-time-limit",
    DEADLINE,
    "an item that only sets the time limit of this work",
    "§3 rule 4",
    "item",
    "paragraph",
)
DUE_SAME_TIME = _rule(
    "due-same-time",
    DEADLINE,
    "its time stated as the time limit above (`trong cùng thời hạn nêu trên`): that item's date",
    "§3 deadline: the date by which the task is due",
    "item",
)
DUE_COLUMN = _rule("due-column", DEADLINE, "the table's time column", "§3 rule 6", "table cell")
DUE_SECTION_ROW = _rule(
    "due-section-row", DEADLINE, "its section row's time", "§6 heading times", "table row"
)
DUE_RECURRING = _rule(
    "due-recurring",
    DEADLINE,
    "recurring work: no date, its recurrence (hằng tháng, định kỳ)",
    "§3 deadline",
    "sentence",
    "table cell",
)

DUE_RELATIVE = _rule(
    "due-relative",
    DEADLINE,
    "a time counted from an undated event: no date, its relative time (30 ngày kể từ ngày nhận)",
    "§3 deadline",
    "sentence",
)

# -- why a node gave no task, kept while someone asks ---------------------------------------------
_TRACE: ContextVar[list[tuple[Span, Rule]] | None] = ContextVar("vanban_rule_trace", default=None)


@contextmanager
def tracing() -> Iterator[list[tuple[Span, Rule]]]:
    """Collect `(span, rule)` for every node a rule kept from being a task."""
    trace: list[tuple[Span, Rule]] = []
    token = _TRACE.set(trace)
    try:
        yield trace
    finally:
        _TRACE.reset(token)


def not_a_task(span: Span, rule: Rule) -> None:
    """Note that the node at `span` is no task, and why (only while tracing)."""
    trace = _TRACE.get()
    if trace is not None:
        trace.append((span, rule))
