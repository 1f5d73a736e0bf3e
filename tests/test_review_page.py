"""`vanban review`: one self-contained page, checked as written and in headless Chromium."""

import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from vanban.pipeline.batch import ingest
from vanban.pipeline.export import read_documents
from vanban.pipeline.review import Mark, gold_misses, highlight, sid_map, write_review
from vanban.schemas import Agency, Document

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "data" / "corpus" / "dev"
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "out" / "screenshots"
# Letters with gold records (some with warnings, one naming a body the registry
# does not know) and samples without gold; the fixture adds a letter without tasks.
LETTERS = [DEV / "raw" / f"{n}.txt" for n in ("000_0284457f90b6ede2", "016", "026", "028")]
LETTERS += [ROOT / "data" / "samples" / n for n in ("cv_152_bkhcn.txt", "kh_141_bac_ninh.txt")]


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Document]]:
    folder = tmp_path_factory.mktemp("letters")
    for path in LETTERS:
        shutil.copy(path, folder / path.name)
    out = tmp_path_factory.mktemp("out")
    ingest(folder, out)
    docs = read_documents(out)
    # Made here so the filters have something to find whatever the extractor gives.
    bare = docs[-1].model_copy(
        update={"doc_id": "no-tasks", "tasks": [], "warnings": ["made by the test: no task"]}
    )
    docs.append(
        bare.model_copy(update={"source": bare.source.model_copy(update={"path": "bare.txt"})})
    )
    page = write_review(docs, out / "review.html", gold_dir=DEV / "gold")
    return page, docs


def test_page_is_self_contained_and_declares_utf8(review: tuple[Path, list[Document]]) -> None:
    page, _ = review
    html = page.read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in html
    assert not re.search(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert not re.search(r"<link\b|<img\b|<iframe\b|<script\s+src|@import|url\(", html, re.I)
    assert "Ủy ban nhân dân tỉnh Bắc Ninh" in html  # Vietnamese as text, not entities


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.depth = 0
        self.sids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.depth += 1
        self.sids.append(dict(attrs)["data-sid"] or "")

    def handle_endtag(self, tag: str) -> None:
        self.depth -= 1
        assert self.depth >= 0

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_crossing_spans_are_split_into_fragments_of_one_mark() -> None:
    text = "Bộ Tài chính chủ trì <trước> ngày 15/9 & báo cáo"
    spans = [
        Mark("task", 0, 40, ("task 1",)),
        Mark("lead", 0, 12, ("lead",)),
        Mark("deadline", 28, 44, ("deadline",)),  # crosses the task's end
    ]
    parser = _Tags()
    parser.feed(highlight(text, spans, sid_map(spans, "d0")))
    parser.close()
    assert "".join(parser.text) == text
    assert parser.depth == 0
    assert sorted(set(parser.sids)) == ["d0-0", "d0-1", "d0-2"]
    assert len(parser.sids) == 4  # the deadline is opened twice: inside the task and after it


def _expected_spans(doc: Document) -> dict[str, list[str]]:
    """The record's distinct spans per kind, as their text (what the page must highlight)."""
    spans: dict[str, set[tuple[int, int]]] = {}

    def add(kind: str, span: tuple[int, int] | None) -> None:
        if span is not None and span[0] < span[1]:
            spans.setdefault(kind, set()).add(span)

    for field in ("number", "doc_type", "subject", "place", "issued_date"):
        add(field, doc.spans.get(field))
    add("issuer", doc.issuer.span if doc.issuer else None)
    add("signer", doc.signer.name_span if doc.signer else None)
    for a in doc.recipients:
        add("recipient", a.span)
    for t in doc.tasks:
        add("task", t.span)
        add("deadline", t.deadline.span if t.deadline else None)
        for a in t.lead:
            add("lead", a.span)
        for a in t.coordinate:
            add("coordinate", a.span)
    return {k: sorted(doc.text[s:e] for s, e in v) for k, v in spans.items()}


_DOM_SPANS = """(art) => {
  const texts = {};
  for (const m of art.querySelectorAll("pre.text mark[data-sid]")) {
    const byId = (texts[m.dataset.kind] = texts[m.dataset.kind] || {});
    byId[m.dataset.sid] = (byId[m.dataset.sid] || "") + m.textContent;
  }
  const out = {};
  for (const [kind, byId] of Object.entries(texts)) out[kind] = Object.values(byId).sort();
  return out;
}"""


def _agencies(doc: Document) -> list[Agency]:
    found = [doc.issuer, doc.parent_issuer, *doc.recipients]
    found += [a for t in doc.tasks for a in (*t.lead, *t.coordinate, *t.report_to)]
    return [a for a in found if a is not None]


def _visible(page: Page) -> list[str]:
    ids: list[str] = page.eval_on_selector_all(
        "article.doc", "(arts) => arts.filter((a) => !a.hidden).map((a) => a.id)"
    )
    return ids


@pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (`make test` installs it)",
)
def test_page_in_headless_chromium_highlights_every_span_and_filters(
    review: tuple[Path, list[Document]], tmp_path: Path
) -> None:
    page_path, docs = review
    misses = gold_misses(DEV / "gold", docs)
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"),  # a fresh profile each run
            executable_path=str(CHROMIUM),
            headless=True,
            viewport={"width": 1400, "height": 1000},
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            browser.on("request", lambda r: requests.append(r.url))
            page = browser.new_page()
            page.goto(page_path.as_uri())
            assert page.evaluate("document.characterSet") == "UTF-8"
            articles = page.locator("article.doc")
            assert articles.count() == len(docs)

            for i, doc in enumerate(docs):
                art = page.locator(f"article#d{i}")
                assert art.evaluate(_DOM_SPANS) == _expected_spans(doc), doc.source.path
                assert art.locator("pre.text").text_content() == doc.text
                name = Path(doc.source.path).name
                assert art.locator("tr.miss").count() == len(misses.get(name, []))

            filters = {
                "with warnings": lambda d: bool(d.warnings),
                "without tasks": lambda d: not d.tasks,
                "with unknown agencies": lambda d: any(not a.known for a in _agencies(d)),
            }
            for label, wanted in filters.items():
                page.get_by_label(label).check()
                assert _visible(page) == [f"d{i}" for i, d in enumerate(docs) if wanted(d)]
                assert 0 < len(_visible(page)) < len(docs), label
                page.get_by_label(label).uncheck()
            page.get_by_label("with warnings").check()
            page.get_by_label("without tasks").check()  # filters combine: both must hold
            assert _visible(page) == [f"d{len(docs) - 1}"]
            page.get_by_label("with warnings").uncheck()
            page.get_by_label("without tasks").uncheck()
            assert len(_visible(page)) == len(docs)

            page.fill("#search", "016.TXT")  # number, subject or file name, any case
            assert _visible(page) == [
                f"d{i}" for i, d in enumerate(docs) if d.source.path.endswith("/016.txt")
            ]
            page.fill("#search", "")

            # A task on the right takes the reader to its span in the text.
            link = page.locator("article#d0 li.task a.goto").first
            link.click()
            target = page.locator(f"mark#{link.get_attribute('data-goto')}")
            assert "flash" in (target.get_attribute("class") or "")
            assert target.is_visible()

            page.get_by_label("with differences from gold").check()
            shown = _visible(page)
            with_diffs = [i for i, d in enumerate(docs) if misses.get(Path(d.source.path).name)]
            assert shown == [f"d{i}" for i in with_diffs] and shown
            assert page.locator("#shown").text_content() == f"showing {len(shown)} of {len(docs)}"
            page.evaluate("window.scrollTo(0, 0)")
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            shot = SCREENSHOTS / "review.png"
            page.screenshot(path=str(shot))
            assert shot.stat().st_size > 10_000
        finally:
            browser.close()
    assert all(u.startswith("file:") for u in requests), requests
