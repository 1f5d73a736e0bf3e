"""The review page of a run: an index of letters, each letter loaded on demand.

`vanban review OUT --html out/review.html` writes the page and, beside it, a
folder `review_files/`: `index.js` (one compact row per letter and its search
key, folded: lower case, accents stripped), `text/*.js` (the letters' folded
text, in chunks, for searching), and `letters/NNNNNN.js` (one letter: its text
with the spans highlighted, its fields and tasks, and what each highlight is
and which rules made it). They are JavaScript files loaded by `<script>`, not
JSON fetched, so the page works opened from disk (`file://`) with no server and
no network: it can be copied to a USB stick with its folder.

Every string a reader sees is in the messages object of `review.js`, in English;
`scripts/messages.py` extracts them into the gettext catalog with the others
(`vanban.pipeline.i18n`). The HTML made here names them (`<span
data-msg="no_tasks">`); the page is written with that object in the run's
language (`--lang`, the locale) and fills them in. `fragment()` fills them here,
for a notebook.
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape, unescape
from importlib.resources import files
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from vanban.pipeline import i18n
from vanban.pipeline.evaluate import Miss, evaluate
from vanban.pipeline.export import read_documents, unknown_agencies
from vanban.pipeline.review_pages import PAGED, render_pages
from vanban.schemas import Agency, Document, Span, Task, UsageError

# Highlighted kinds in the order they open when two start at the same place
# and have the same end (the wider one always opens first).
KINDS = (
    "task",
    "number",
    "doc_type",
    "subject",
    "place",
    "issued_date",
    "issuer",
    "recipient",
    "signer",
    "lead",
    "coordinate",
    "report_to",
    "deadline",
)
_HEADER_SPANS = ("number", "doc_type", "subject", "place", "issued_date")
Sids = dict[tuple[str, int, int], str]  # (kind, start, end) -> the mark's id in the page
# A letter's page images (`--pages`): their file names, or none and why (`review_pages`).
Pages = tuple[list[str], str]
# What a mark stands for: (role, task label or "", value), e.g. ("lead", "1.2", "Bộ Tài chính").
Role = tuple[str, str, str]
# Letters per file of folded text: few files to load, none too big to parse at once.
TEXT_CHUNK = 500
# The columns of an index row (`review.js` reads them by position, to keep the index small).
INDEX_COLUMNS = (
    "number",
    "doc_type",
    "issuer",
    "issued_date",
    "tasks",
    "warnings",
    "unknown",
    "diffs",  # -1: no gold for this letter
    "subject",
    "path",
    "duplicate",
)
_MARKER = ".vanban-review"  # a folder holding it was written here and may be rewritten


@dataclass(frozen=True)
class Mark:
    """One highlighted span; `titles` says what it is (a span can serve several tasks),
    `roles` the same as data for the page, `rules` the rules of the guideline that made it."""

    kind: str
    start: int
    end: int
    titles: tuple[str, ...]
    unknown: bool = False
    roles: tuple[Role, ...] = ()
    rules: tuple[str, ...] = ()


def _asset(name: str) -> str:
    return (files("vanban.pipeline") / name).read_text(encoding="utf-8")


def letters(out: Path) -> list[Document]:
    """The letters to review, read from a run's `--out` folder (one place, so that which
    records count is decided here once)."""
    return read_documents(out)


def _task_rules(kind: str, task: Task) -> tuple[str, ...]:
    """The rules of `task` that decided this kind of span: all of them for the task itself;
    for its agencies the lead rules, for its deadline the deadline rules."""
    if kind == "task":
        return tuple(task.rules)
    decides = "deadline:" if kind == "deadline" else "lead:"
    return tuple(r for r in task.rules if r.startswith(decides))


def marks(doc: Document) -> list[Mark]:
    """The spans of a record to highlight, one per distinct (kind, span)."""
    found: dict[tuple[str, int, int], Mark] = {}
    n = len(doc.text)

    def add(
        kind: str,
        span: Span | None,
        title: str,
        role: Role,
        unknown: bool = False,
        rules: tuple[str, ...] = (),
    ) -> None:
        if span is None or not 0 <= span[0] < span[1] <= n:
            return  # gold-like records carry (0, 0); nothing to point at
        key = (kind, span[0], span[1])
        old = found.get(key)
        if old is None:
            found[key] = Mark(kind, span[0], span[1], (title,), unknown, (role,), rules)
            return
        extra = tuple(r for r in rules if r not in old.rules)
        found[key] = Mark(
            kind,
            span[0],
            span[1],
            (*old.titles, title),
            unknown or old.unknown,
            (*old.roles, role),
            old.rules + extra,
        )

    def agency(kind: str, a: Agency | None, where: str, t: Task | None = None) -> None:
        if a is not None:
            rules = _task_rules(kind, t) if t else ()
            label = t.label if t else ""
            add(kind, a.span, f"{where}: {a.name}", (kind, label, a.name), not a.known, rules)

    for field in _HEADER_SPANS:
        value = getattr(doc, field)
        add(field, doc.spans.get(field), f"{field}: {value}", (field, "", value or ""))
    agency("issuer", doc.issuer, "issuer")
    for a in doc.recipients:
        agency("recipient", a, "recipient")
    if doc.signer:
        name = doc.signer.name or ""
        add("signer", doc.signer.name_span, f"signer: {name}", ("signer", "", name))
    for t in doc.tasks:
        add("task", t.span, f"task {t.label}", ("task", t.label, ""), rules=_task_rules("task", t))
        for a in t.lead:
            agency("lead", a, f"lead of task {t.label}", t)
        for a in t.coordinate:
            agency("coordinate", a, f"coordinate of task {t.label}", t)
        for a in t.report_to:
            agency("report_to", a, f"report to, of task {t.label}", t)
        if t.deadline:
            raw = t.deadline.raw
            rules = _task_rules("deadline", t)
            title = f"deadline of task {t.label}: {raw}"
            add("deadline", t.deadline.span, title, ("deadline", t.label, raw), rules=rules)
    order = {k: i for i, k in enumerate(KINDS)}
    return sorted(found.values(), key=lambda m: (m.start, -m.end, order[m.kind]))


def sid_map(spans: list[Mark], prefix: str) -> Sids:
    """A page-unique id for each mark of one letter, keyed by (kind, start, end)."""
    return {(m.kind, m.start, m.end): f"{prefix}-{i}" for i, m in enumerate(spans)}


def _mark_title(m: Mark, texts: Mapping[str, str] | None) -> str:
    """What a mark is, a line per role: in the page's messages (`role_*`) when given."""
    if texts is None or not m.roles:
        return "\n".join(m.titles)
    return "\n".join(
        _fill(texts["role_" + role], {"label": label, "value": value})
        for role, label, value in m.roles
    )


def highlight(
    text: str,
    spans: list[Mark],
    sids: Sids,
    *,
    titles: bool = True,
    texts: Mapping[str, str] | None = None,
) -> str:
    """`text` as HTML with each mark as a <mark>; marks that cross are split in fragments
    sharing one `data-sid`, so counting distinct ids counts the record's spans.
    Without `titles` the page writes each mark's title itself, from its messages;
    with them, from `texts` (the page's messages) when given."""

    def open_tag(m: Mark, first: bool) -> str:
        sid = sids[(m.kind, m.start, m.end)]
        cls = f"hl k-{m.kind}" + (" unknown" if m.unknown else "")
        anchor = f' id="{sid}"' if first else ""
        title = f' title="{escape(_mark_title(m, texts))}"' if titles else ""
        return f'<mark class="{cls}"{anchor} data-sid="{sid}" data-kind="{m.kind}"{title}>'

    starts: dict[int, list[Mark]] = {}
    for m in spans:
        starts.setdefault(m.start, []).append(m)
    points = sorted({m.start for m in spans} | {m.end for m in spans})
    out: list[str] = []
    stack: list[Mark] = []
    pos = 0
    for p in points:
        out.append(escape(text[pos:p]))
        pos = p
        reopen: list[Mark] = []
        while any(m.end == p for m in stack):
            m = stack.pop()
            out.append("</mark>")
            if m.end != p:
                reopen.append(m)
        for m in reversed(reopen):
            out.append(open_tag(m, first=False))
            stack.append(m)
        for m in starts.get(p, []):
            out.append(open_tag(m, first=True))
            stack.append(m)
    out.append(escape(text[pos:]))
    return "".join(out)


def msg(key: str, **params: object) -> str:
    """A message of `review.js` by its key, filled in by the page (`{name}` ← `data-name`)."""
    attrs = "".join(f' data-{k}="{escape(str(v))}"' for k, v in params.items())
    return f'<span data-msg="{key}"{attrs}></span>'


def _none() -> str:
    return f'<span class="none">{msg("none")}</span>'


def _goto(sids: Sids, kind: str, span: Span | None, value: str) -> str:
    """`value` as a link that scrolls the text to the span it was read from."""
    sid = sids.get((kind, *span)) if span else None
    return f'<a class="goto" data-goto="{sid}">{value}</a>' if sid else value


def _agencies(kind: str, agencies: list[Agency], sids: Sids) -> str:
    chips = []
    for a in agencies:
        cls = f"chip k-{kind}" + ("" if a.known else " unknown")
        label = escape(a.name) + ("" if a.known else " <b>?</b>")
        chips.append(f'<span class="{cls}">{_goto(sids, kind, a.span, label)}</span>')
    return " ".join(chips) or _none()


def _source(doc: Document) -> str:
    src = doc.source
    pages = msg("source_pages", n=src.pages) if src.pages else ""
    ocr = msg("source_ocr") if src.ocr else ""
    return " ".join(x for x in (escape(src.path), f"({escape(src.format)})", pages, ocr) if x)


def _fields(doc: Document, sids: Sids, diff_fields: set[str]) -> str:
    def row(name: str, value: str, kind: str | None = None, span: Span | None = None) -> str:
        cell = _goto(sids, kind, span, value) if kind else value
        # `recipients missing`, `references extra` mark their row too.
        differs = any(f == name or f.startswith(name + " ") for f in diff_fields)
        cls = ' class="diff"' if differs else ""
        return f"<tr{cls}><th>{msg('field_' + name.replace('.', '_'))}</th><td>{cell}</td></tr>"

    def text(v: str | None) -> str:
        return escape(v) if v else _none()

    issuer = _agencies("issuer", [doc.issuer], sids) if doc.issuer else text(None)
    rows = [row(f, text(getattr(doc, f)), f, doc.spans.get(f)) for f in _HEADER_SPANS]
    rows.insert(1, row("issuer", issuer))
    if doc.parent_issuer:
        rows.insert(2, row("parent_issuer", escape(doc.parent_issuer.name)))
    rows.append(row("recipients", _agencies("recipient", doc.recipients, sids)))
    signer = doc.signer
    rows.append(
        row(
            "signer.name",
            text(signer.name if signer else None),
            "signer",
            signer.name_span if signer else None,
        )
    )
    rows.append(row("signer.title", text(signer.title if signer else None)))
    rows.append(row("references", text(", ".join(r.number for r in doc.references))))
    rows.append(row("source", _source(doc)))
    if doc.duplicate_of:
        rows.append(row("duplicate_of", escape(doc.duplicate_of)))
    return f'<table class="fields">{"".join(rows)}</table>'


def _task_html(t: Task, sids: Sids, missed: set[str]) -> str:
    d = t.deadline
    deadline = f'<span class="none">{msg("no_deadline")}</span>'
    if d is not None:
        when = escape(" ".join(x for x in (d.date, d.time, d.recurrence) if x) or d.raw)
        deadline = f'<span class="deadline">{_goto(sids, "deadline", d.span, when)}</span>'
    snippet = escape(t.text if len(t.text) <= 160 else t.text[:159] + "…")
    head = _goto(sids, "task", t.span, "§" + escape(t.label))
    part = f'<div class="part">{msg("task_part")} {escape(t.part)}</div>' if t.part else ""
    default = f' <span class="none">{msg("lead_default")}</span>' if t.lead_default else ""
    report = (
        f"<div>{msg('task_report_to')} {_agencies('report_to', t.report_to, sids)}</div>"
        if t.report_to
        else ""
    )
    return (
        f'<li class="task{" diff" if t.label in missed else ""}" data-task="{escape(t.label)}">'
        f'<div class="task-head">{head} {deadline}</div>{part}'
        f'<div class="snippet">{snippet}</div>'
        f"<div>{msg('task_lead')} {_agencies('lead', t.lead, sids)}{default}</div>"
        f"<div>{msg('task_coordinate')} {_agencies('coordinate', t.coordinate, sids)}</div>"
        f"{report}</li>"
    )


def _tasks(doc: Document, sids: Sids, diff_fields: set[str]) -> str:
    # Misses name tasks by label (`task 1.2 lead`): the task with that label is marked.
    # (`not found` names a gold task, which the record has no label for).
    missed = {
        f.split(" ")[1]
        for f in diff_fields
        if f.startswith("task ") and f.endswith((" lead", " coordinate", " deadline", " extra"))
    }
    if not doc.tasks:
        return f'<p class="none">{msg("no_tasks")}</p>'
    items = "".join(_task_html(t, sids, missed) for t in doc.tasks)
    return f'<ol class="tasks">{items}</ol>'


def _diffs(misses: list[Miss] | None) -> str:
    if misses is None:
        return ""
    if not misses:
        return f'<div class="gold ok">{msg("gold_ok")}</div>'

    def cell(value: str | None) -> str:
        return escape(value) if value else _none()

    rows = "".join(
        f'<tr class="miss"><th>{escape(m.field)}</th><td>{cell(m.expected)}</td>'
        f"<td>{cell(m.got)}</td></tr>"
        for m in misses
    )
    head = "".join(f"<th>{msg(k)}</th>" for k in ("gold_field", "gold_expected", "gold_got"))
    return (
        f'<details class="gold" open><summary>{msg("gold_diffs", n=len(misses))}</summary>'
        f"<table><tr>{head}</tr>{rows}</table></details>"
    )


def _copies(doc: Document) -> str:
    """Where else the letter is (read one letter once): it is shown, and counted, once."""
    if not doc.copies:
        return ""
    return f'<p class="copies">{msg("copies", paths="; ".join(doc.copies))}</p>'


def document_html(
    doc: Document,
    index: int,
    misses: list[Miss] | None = None,
    *,
    titles: bool = True,
    spans: list[Mark] | None = None,
    pages: Pages | None = None,
    lang: str | None = None,
) -> str:
    """One letter: its text with the spans highlighted, beside its fields and tasks
    (`spans`: its `marks()`, when the caller has them already), and with `pages` its
    page images between them; with `titles`, each highlight's title in `lang` (default:
    the run's language)."""
    prefix = f"d{index}"
    spans = marks(doc) if spans is None else spans
    sids = sid_map(spans, prefix)
    warnings = "".join(f"<li>{escape(w)}</li>" for w in doc.warnings)
    diff_fields = {m.field for m in misses or []}
    title = " · ".join(escape(x) for x in (doc.number, doc.doc_type, doc.issued_date) if x)
    copy = (
        f'<p class="duplicate">{msg("duplicate_of", path=doc.duplicate_of)}</p>'
        if doc.duplicate_of
        else ""
    )
    texts = messages(lang) if titles else None
    text = highlight(doc.text, spans, sids, titles=titles, texts=texts)
    return (
        f'<article class="doc" id="{prefix}" data-warnings="{len(doc.warnings)}"'
        f' data-unknown="{len(unknown_agencies(doc))}" data-tasks="{len(doc.tasks)}"'
        f' data-diffs="{len(misses or [])}" data-gold="{int(misses is not None)}">'
        f"<h2>{title or escape(doc.doc_id)} <small>{escape(doc.source.path)}</small></h2>"
        + copy
        + (f'<ul class="warnings">{warnings}</ul>' if warnings else "")
        + _copies(doc)
        + _diffs(misses)
        # The parser drops a newline right after <pre>: this one, not the text's own.
        + f'<div class="cols{" with-pages" if pages else ""}"><pre class="text">\n{text}</pre>'
        + _pages(doc, pages)
        + f'<div class="side">{_fields(doc, sids, diff_fields)}'
        f"<h3>{msg('tasks_heading', n=len(doc.tasks))}</h3>"
        f"{_tasks(doc, sids, diff_fields)}</div></div></article>"
    )


def _pages(doc: Document, pages: Pages | None) -> str:
    """The page images (the page sets their `src`: it knows where its folder is)."""
    if pages is None:
        return ""
    names, why = pages
    if not names:
        note = msg("pages_" + why, path=doc.source.path)
        return f'<div class="pages"><p class="none">{note}</p></div>'
    images = "".join(
        f'<img data-page="{escape(name)}" data-n="{n}" alt="">' for n, name in enumerate(names, 1)
    )
    return f'<div class="pages">{images}</div>'


def legend() -> str:
    items = "".join(
        f'<label class="chip k-{k}"><input type="checkbox" data-kind="{k}" checked>'
        f" {msg('kind_' + k)}</label>"
        for k in KINDS
    )
    return f'<div class="legend">{items}</div>'


_MESSAGES = re.compile(r"/\* messages \*/\s*(\{.*?\n\})", re.S)
_MSG_SPAN = re.compile(r'<span data-msg="(\w+)"((?: data-\w+="[^"]*")*)></span>')


def _messages_object(source: str) -> re.Match[str]:
    found = _MESSAGES.search(source)
    assert found, "review.js lost its `/* messages */ {…}` object"
    return found


def english_messages() -> dict[str, str]:
    """The page's messages as `review.js` holds them, in English (the catalog's keys)."""
    data: dict[str, str] = json.loads(_messages_object(_asset("review.js")).group(1))
    return data


def messages(lang: str | None = None) -> dict[str, str]:
    """The page's messages by key, in `lang` (default: the run's language)."""
    return {key: i18n.gettext(english, lang) for key, english in english_messages().items()}


def script(lang: str | None = None) -> str:
    """`review.js` with its messages object in `lang`: the page shows those."""
    source = _asset("review.js")
    found = _messages_object(source)
    # `<` escaped: a message can never close the page's <script>.
    data = json.dumps(messages(lang), ensure_ascii=False, indent=2).replace("<", "\\u003c")
    return source[: found.start(1)] + data + source[found.end(1) :]


def _fill(text: str, params: Mapping[str, str]) -> str:
    """A message's `{name}` fields filled, as the page's `t()` fills them."""
    for k, v in params.items():
        text = text.replace("{" + k + "}", v)
    return text


def fill_messages(html: str, lang: str | None = None) -> str:
    """The message placeholders of `html` filled in `lang`, for a page that runs no script."""
    texts = messages(lang)

    def fill(m: re.Match[str]) -> str:
        params = {k: unescape(v) for k, v in re.findall(r' data-(\w+)="([^"]*)"', m.group(2))}
        return escape(_fill(texts[m.group(1)], params))

    return _MSG_SPAN.sub(fill, html)


def fragment(doc: Document, misses: list[Miss] | None = None, lang: str | None = None) -> str:
    """One letter with the page's styles, for a notebook cell (`IPython.display.HTML`), in
    `lang` (default: the run's language)."""
    body = fill_messages(document_html(doc, 0, misses, lang=lang), lang)
    return f'<style>{_asset("review.css")}</style><div class="vb">{body}</div>'


def gold_misses(gold_dir: Path, docs: list[Document]) -> dict[str, list[Miss]]:
    """Differences from gold by source file name; a letter without a gold file is left out."""
    report = evaluate(Path(gold_dir), (d.model_dump(mode="json") for d in docs))
    sources = set()
    for path in Path(gold_dir).glob("*.json"):
        sources.add(json.loads(path.read_text(encoding="utf-8")).get("source"))
    out: dict[str, list[Miss]] = {}
    for d in docs:
        name = PurePosixPath(d.source.path.replace("\\", "/")).name
        if name in sources:
            out[name] = [m for m in report.misses if m.document == name]
    return out


_ACCENTS = re.compile("[\u0300-\u036f]+")


def fold(text: str) -> str:
    """`text` for searching: lower case, accents and the bar of đ dropped, spaces collapsed
    (`Bộ Tài chính` → `bo tai chinh`); `review.js` folds a query the same way."""
    bare = _ACCENTS.sub("", unicodedata.normalize("NFD", text.lower())).replace("đ", "d")
    return " ".join(bare.split())


def _agency_names(doc: Document) -> list[str]:
    found = [doc.issuer, doc.parent_issuer, *doc.recipients]
    found += [a for t in doc.tasks for a in (*t.lead, *t.coordinate, *t.report_to)]
    return [a.name for a in found if a is not None]


def search_key(doc: Document) -> str:
    """What a search matches besides the text: number, type, subject, file, and every agency
    by its canonical name (`Bộ TC` in the text is found as `tai chinh`); each once."""
    parts = [doc.number, doc.doc_type, doc.subject, doc.issued_date, doc.source.path]
    parts += _agency_names(doc)
    if doc.signer:
        parts.append(doc.signer.name)
    return " ".join(dict.fromkeys(fold(p) for p in parts if p))


def index_row(doc: Document, misses: list[Miss] | None) -> list[Any]:
    """One letter in the index, by `INDEX_COLUMNS`."""
    return [
        doc.number or "",
        doc.doc_type or "",
        doc.issuer.name if doc.issuer else "",
        doc.issued_date or "",
        len(doc.tasks),
        len(doc.warnings),
        len(unknown_agencies(doc)),
        len(misses) if misses is not None else -1,
        doc.subject or "",
        doc.source.path,
        int(bool(doc.duplicate_of)),
    ]


def letter_data(
    doc: Document, index: int, misses: list[Miss] | None, pages: Pages | None = None
) -> dict[str, Any]:
    """One letter's file: its HTML and, per highlight, what it is and the rules that made it:
    `info[sid] = [kind, unknown, roles, rule numbers]`, each rule once in `rules`."""
    spans = marks(doc)
    sids = sid_map(spans, f"d{index}")
    rules: dict[str, int] = {}
    info = {
        sids[(m.kind, m.start, m.end)]: [
            m.kind,
            int(m.unknown),
            [list(r) for r in m.roles],
            [rules.setdefault(r, len(rules)) for r in m.rules],
        ]
        for m in spans
    }
    html = document_html(doc, index, misses, titles=False, spans=spans, pages=pages)
    return {"html": html, "info": info, "rules": list(rules)}


def _js(call: str, *args: object) -> str:
    # JSON is JavaScript: a file loaded by <script> hands its data to the page.
    body = ",".join(json.dumps(a, ensure_ascii=False, separators=(",", ":")) for a in args)
    return f"vanban.{call}({body});\n"


def shell(title: str, folder: str, lang: str | None = None) -> str:
    """The HTML page: styles, script (its messages in `lang`, default the run's
    language), and where its data is."""
    lang = i18n.normalize(lang) or i18n.language()
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{_asset("review.css")}</style>
</head>
<body class="vb" data-folder="{escape(quote(folder))}/">
<header>
<h1>{escape(title)}</h1>
<p class="stats" id="stats"></p>
<div class="filters"><span>{msg("filters")}</span>
<label><input type="checkbox" class="filter" data-filter="warnings"> {msg("filter_warnings")}</label>
<label><input type="checkbox" class="filter" data-filter="unknown"> {msg("filter_unknown")}</label>
<label><input type="checkbox" class="filter" data-filter="notasks"> {msg("filter_notasks")}</label>
<label class="needs-gold"><input type="checkbox" class="filter" data-filter="diffs"> {msg("filter_diffs")}</label>
</div>
<div class="find"><input type="search" id="search" data-placeholder="search_placeholder">
<span id="shown" aria-live="polite"></span></div>
{legend()}
</header>
<main>
<nav class="index"><div id="list" role="list"><div class="spacer"></div></div></nav>
<section class="letter">
<div class="pager"><button type="button" id="to-list">{msg("to_list")}</button>
<button type="button" id="prev">{msg("prev")}</button>
<span id="position"></span>
<button type="button" id="next">{msg("next")}</button></div>
<div id="letter"><p class="none">{msg("loading_index")}</p></div>
</section>
</main>
<aside id="explain" hidden></aside>
<script>{script(lang)}</script>
<script src="{escape(quote(folder))}/index.js"></script>
</body>
</html>
"""


def _stats(docs: list[Document], gold: dict[str, list[Miss]] | None) -> dict[str, int]:
    stats = {
        "docs": len(docs),
        "tasks": sum(len(d.tasks) for d in docs),
        "warnings": sum(1 for d in docs if d.warnings),
        "unknown": sum(1 for d in docs if unknown_agencies(d)),
        "notasks": sum(1 for d in docs if not d.tasks),
    }
    if gold is not None:
        stats["gold"] = len(gold)
        stats["diffs"] = sum(map(len, gold.values()))
    return stats


def _fresh_folder(folder: Path) -> None:
    """An empty data folder: one this command wrote before is replaced, another is kept."""
    if folder.exists():
        if not (folder / _MARKER).is_file():
            raise UsageError(
                "'{folder}' exists and was not written by `vanban review`: "
                "move it or choose another --html.",
                folder=folder,
            )
        shutil.rmtree(folder)
    (folder / "letters").mkdir(parents=True)
    (folder / "text").mkdir()
    (folder / "pages").mkdir()
    (folder / _MARKER).write_text("written by vanban review\n", encoding="utf-8")


def _page_images(doc: Document, index: int, folder: Path) -> Pages | None:
    if doc.source.format not in PAGED:
        return None
    src = doc.source
    return render_pages(Path(src.path), src.sha256, src.format, folder / "pages", f"{index:06d}")


def _write_data(
    docs: list[Document], folder: Path, gold: dict[str, list[Miss]] | None, pages: bool
) -> dict[str, Any]:
    """Each letter's file (with `pages`, a PDF's or scan's page images) and the text chunks;
    returns the index."""
    rows, keys = [], []
    for i, d in enumerate(docs):
        name = PurePosixPath(d.source.path.replace("\\", "/")).name
        misses = gold.get(name) if gold is not None else None
        rows.append(index_row(d, misses))
        keys.append(search_key(d))
        images = _page_images(d, i, folder) if pages else None
        data = _js("letter", i, letter_data(d, i, misses, images))
        (folder / "letters" / f"{i:06d}.js").write_text(data, encoding="utf-8")
    for start in range(0, len(docs), TEXT_CHUNK):
        texts = [fold(d.text) for d in docs[start : start + TEXT_CHUNK]]
        chunk = _js("text", start, texts)
        (folder / "text" / f"{start // TEXT_CHUNK:04d}.js").write_text(chunk, encoding="utf-8")
    return {
        "columns": INDEX_COLUMNS,
        "rows": rows,
        "keys": keys,
        "chunk": TEXT_CHUNK,
        "gold": gold is not None,
        "stats": _stats(docs, gold),
    }


def write_review(
    docs: Iterable[Document],
    html_path: Path,
    *,
    gold_dir: Path | None = None,
    title: str | None = None,
    pages: bool = False,
    lang: str | None = None,
) -> Path:
    """Write the page at `html_path` and its data folder beside it (`NAME_files/`); with
    `pages`, the page images of PDFs and scans, read again from their source paths. The
    page speaks `lang` (`vi`, `en`; default: the run's language, `--lang` or the locale)."""
    docs = list(docs)
    gold = gold_misses(gold_dir, docs) if gold_dir is not None else None
    html_path = Path(html_path)
    folder = html_path.with_name(html_path.stem + "_files")
    try:
        html_path.parent.mkdir(parents=True, exist_ok=True)
        _fresh_folder(folder)
        index = _write_data(docs, folder, gold, pages)
        (folder / "index.js").write_text(_js("index", index), encoding="utf-8")
        page = shell(title or "vanban review", folder.name, lang)
        html_path.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise UsageError(
            "Cannot write '{html_path}' and its folder: {reason}. Choose another --html.",
            html_path=html_path,
            reason=exc.strerror,
        ) from exc
    return html_path
