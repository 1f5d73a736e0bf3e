"""One self-contained HTML page to review a run: text with extracted spans beside the fields.

The page loads nothing from the network (its CSS and JS, `review.css` and
`review.js` beside this module, are inlined), so it can be mailed or opened
from a USB stick in an office without Internet access.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from importlib.resources import files
from pathlib import Path, PurePosixPath

from vanban.pipeline.evaluate import Miss, evaluate
from vanban.pipeline.export import unknown_agencies
from vanban.schemas import Agency, Document, Span, UsageError

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
    "deadline",
)
_HEADER_SPANS = ("number", "doc_type", "subject", "place", "issued_date")
Sids = dict[tuple[str, int, int], str]  # (kind, start, end) -> the mark's id in the page


@dataclass(frozen=True)
class Mark:
    """One highlighted span; `titles` says what it is (a span can serve several tasks)."""

    kind: str
    start: int
    end: int
    titles: tuple[str, ...]
    unknown: bool = False


def _asset(name: str) -> str:
    return (files("vanban.pipeline") / name).read_text(encoding="utf-8")


def marks(doc: Document) -> list[Mark]:
    """The spans of a record to highlight, one per distinct (kind, span)."""
    found: dict[tuple[str, int, int], Mark] = {}
    n = len(doc.text)

    def add(kind: str, span: Span | None, title: str, unknown: bool = False) -> None:
        if span is None or not 0 <= span[0] < span[1] <= n:
            return  # gold-like records carry (0, 0); nothing to point at
        key = (kind, span[0], span[1])
        old = found.get(key)
        titles = (*old.titles, title) if old else (title,)
        found[key] = Mark(kind, span[0], span[1], titles, unknown or bool(old and old.unknown))

    def agency(kind: str, a: Agency | None, where: str) -> None:
        if a is not None:
            add(kind, a.span, f"{where}: {a.name}", not a.known)

    for field in _HEADER_SPANS:
        add(field, doc.spans.get(field), f"{field}: {getattr(doc, field)}")
    agency("issuer", doc.issuer, "issuer")
    for a in doc.recipients:
        agency("recipient", a, "recipient")
    if doc.signer:
        add("signer", doc.signer.name_span, f"signer: {doc.signer.name}")
    for t in doc.tasks:
        add("task", t.span, f"task {t.label}")
        for a in t.lead:
            agency("lead", a, f"lead of task {t.label}")
        for a in t.coordinate:
            agency("coordinate", a, f"coordinate of task {t.label}")
        if t.deadline:
            add("deadline", t.deadline.span, f"deadline of task {t.label}: {t.deadline.raw}")
    order = {k: i for i, k in enumerate(KINDS)}
    return sorted(found.values(), key=lambda m: (m.start, -m.end, order[m.kind]))


def sid_map(spans: list[Mark], prefix: str) -> Sids:
    """A page-unique id for each mark of one letter, keyed by (kind, start, end)."""
    return {(m.kind, m.start, m.end): f"{prefix}-{i}" for i, m in enumerate(spans)}


def highlight(text: str, spans: list[Mark], sids: Sids) -> str:
    """`text` as HTML with each mark as a <mark>; marks that cross are split in fragments
    sharing one `data-sid`, so counting distinct ids counts the record's spans."""

    def open_tag(m: Mark, first: bool) -> str:
        sid = sids[(m.kind, m.start, m.end)]
        cls = f"hl k-{m.kind}" + (" unknown" if m.unknown else "")
        anchor = f' id="{sid}"' if first else ""
        return (
            f'<mark class="{cls}"{anchor} data-sid="{sid}" data-kind="{m.kind}"'
            f' title="{escape(chr(10).join(m.titles))}">'
        )

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
    return " ".join(chips) or '<span class="none">—</span>'


def _fields(doc: Document, sids: Sids, diff_fields: set[str]) -> str:
    def row(name: str, value: str, kind: str | None = None, span: Span | None = None) -> str:
        cell = _goto(sids, kind, span, value) if kind else value
        # `recipients missing`, `references extra` mark their row too.
        differs = any(f == name or f.startswith(name + " ") for f in diff_fields)
        cls = ' class="diff"' if differs else ""
        return f"<tr{cls}><th>{escape(name)}</th><td>{cell}</td></tr>"

    def text(v: str | None) -> str:
        return escape(v) if v else '<span class="none">—</span>'

    issuer = _agencies("issuer", [doc.issuer], sids) if doc.issuer else text(None)
    rows = [row(f, text(getattr(doc, f)), f, doc.spans.get(f)) for f in _HEADER_SPANS]
    rows.insert(1, row("issuer", issuer))
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
    return f'<table class="fields">{"".join(rows)}</table>'


def _tasks(doc: Document, sids: Sids, diff_fields: set[str]) -> str:
    # Misses name tasks by label (`task 1.2 lead`): the task with that label is marked.
    # (`not found` names a gold task, which the record has no label for).
    missed = {
        f.split(" ")[1]
        for f in diff_fields
        if f.startswith("task ") and f.endswith((" lead", " coordinate", " deadline", " extra"))
    }
    if not doc.tasks:
        return '<p class="none">No tasks extracted.</p>'
    items = []
    for t in doc.tasks:
        d = t.deadline
        deadline = '<span class="none">no deadline</span>'
        if d is not None:
            when = escape(" ".join(x for x in (d.date, d.time, d.recurrence) if x) or d.raw)
            deadline = f'<span class="deadline">{_goto(sids, "deadline", d.span, when)}</span>'
        snippet = escape(t.text if len(t.text) <= 160 else t.text[:159] + "…")
        head = _goto(sids, "task", t.span, "§" + escape(t.label))
        items.append(
            f'<li class="task{" diff" if t.label in missed else ""}" data-task="{escape(t.label)}">'
            f'<div class="task-head">{head} {deadline}</div>'
            f'<div class="snippet">{snippet}</div>'
            f"<div>lead: {_agencies('lead', t.lead, sids)}</div>"
            f"<div>coordinate: {_agencies('coordinate', t.coordinate, sids)}</div></li>"
        )
    return f'<ol class="tasks">{"".join(items)}</ol>'


def _diffs(misses: list[Miss] | None) -> str:
    if misses is None:
        return ""
    if not misses:
        return '<div class="gold ok">Agrees with gold.</div>'

    def cell(value: str | None) -> str:
        return escape(value) if value else '<span class="none">—</span>'

    rows = "".join(
        f'<tr class="miss"><th>{escape(m.field)}</th><td>{cell(m.expected)}</td>'
        f"<td>{cell(m.got)}</td></tr>"
        for m in misses
    )
    return (
        f'<details class="gold" open><summary>{len(misses)} difference(s) from gold</summary>'
        f"<table><tr><th>field</th><th>gold</th><th>record</th></tr>{rows}</table></details>"
    )


def document_html(doc: Document, index: int, misses: list[Miss] | None = None) -> str:
    """One letter: its text with the spans highlighted, beside its fields and tasks."""
    prefix = f"d{index}"
    spans = marks(doc)
    sids = sid_map(spans, prefix)
    warnings = "".join(f"<li>{escape(w)}</li>" for w in doc.warnings)
    diff_fields = {m.field for m in misses or []}
    search = " ".join(x or "" for x in (doc.number, doc.subject, doc.source.path))
    title = " · ".join(escape(x) for x in (doc.number, doc.doc_type, doc.issued_date) if x)
    return (
        f'<article class="doc" id="{prefix}" data-warnings="{len(doc.warnings)}"'
        f' data-unknown="{len(unknown_agencies(doc))}" data-tasks="{len(doc.tasks)}"'
        f' data-diffs="{len(misses or [])}" data-gold="{int(misses is not None)}"'
        f' data-search="{escape(search.casefold())}">'
        f"<h2>{title or escape(doc.doc_id)} <small>{escape(doc.source.path)}</small></h2>"
        + (f'<ul class="warnings">{warnings}</ul>' if warnings else "")
        + _diffs(misses)
        # The parser drops a newline right after <pre>: this one, not the text's own.
        + f'<div class="cols"><pre class="text">\n{highlight(doc.text, spans, sids)}</pre>'
        f'<div class="side">{_fields(doc, sids, diff_fields)}'
        f"<h3>Tasks ({len(doc.tasks)})</h3>{_tasks(doc, sids, diff_fields)}</div></div></article>"
    )


def legend() -> str:
    items = "".join(
        f'<label class="chip k-{k}"><input type="checkbox" data-kind="{k}" checked> {k}</label>'
        for k in KINDS
    )
    return f'<div class="legend">{items}</div>'


def fragment(doc: Document, misses: list[Miss] | None = None) -> str:
    """One letter with the page's styles, for a notebook cell (`IPython.display.HTML`)."""
    return f'<style>{_asset("review.css")}</style><div class="vb">{document_html(doc, 0, misses)}</div>'


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


def page(docs: Iterable[Document], *, title: str, gold: dict[str, list[Miss]] | None = None) -> str:
    docs = list(docs)
    articles = []
    for i, d in enumerate(docs):
        name = PurePosixPath(d.source.path.replace("\\", "/")).name
        articles.append(document_html(d, i, gold.get(name) if gold is not None else None))
    with_gold = gold is not None
    stats = [
        f"{len(docs)} documents",
        f"{sum(len(d.tasks) for d in docs)} tasks",
        f"{sum(1 for d in docs if d.warnings)} with warnings",
        f"{sum(1 for d in docs if unknown_agencies(d))} with unknown agencies",
        f"{sum(1 for d in docs if not d.tasks)} without tasks",
    ]
    if with_gold:
        stats.append(
            f"{len(gold or {})} with gold, {sum(map(len, (gold or {}).values()))} differences"
        )
    filters = [
        ("warnings", "with warnings"),
        ("unknown", "with unknown agencies"),
        ("notasks", "without tasks"),
    ]
    if with_gold:
        filters.append(("diffs", "with differences from gold"))
    boxes = "".join(
        f'<label><input type="checkbox" class="filter" data-filter="{k}"> {escape(v)}</label>'
        for k, v in filters
    )
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{_asset("review.css")}</style>
</head>
<body class="vb">
<header>
<h1>{escape(title)}</h1>
<p class="stats">{" · ".join(stats)}</p>
<div class="filters">Show only documents: {boxes}
<input type="search" id="search" placeholder="number, subject or file…">
<span id="shown"></span></div>
{legend()}
</header>
<main>
{"".join(articles) or '<p class="none">No documents in this run.</p>'}
</main>
<script>{_asset("review.js")}</script>
</body>
</html>
"""


def write_review(
    docs: list[Document], html_path: Path, *, gold_dir: Path | None = None, title: str | None = None
) -> Path:
    gold = gold_misses(gold_dir, docs) if gold_dir is not None else None
    text = page(docs, title=title or "vanban review", gold=gold)
    try:
        Path(html_path).parent.mkdir(parents=True, exist_ok=True)
        Path(html_path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(
            "Cannot write '{html_path}': {reason}. Choose another --html.",
            html_path=html_path,
            reason=exc.strerror,
        ) from exc
    return Path(html_path)
