"""`vanban review`: a page and its folder of letters, checked as written and in headless Chromium.

Timings are not asserted here: `make bench` (benchmarks/bench_review.py) opens 10,000 letters.
"""

import hashlib
import os
import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, sync_playwright

from vanban.pipeline.batch import ingest
from vanban.pipeline.export import read_documents
from vanban.pipeline.review import (
    Mark,
    document_html,
    fold,
    fragment,
    gold_misses,
    highlight,
    messages,
    sid_map,
    write_review,
)
from vanban.schemas import Agency, Deadline, Document, Source, Task, UsageError

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "data" / "corpus" / "dev"
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "out" / "screenshots"
# Letters with gold records (some with warnings, one naming a body the registry
# does not know) and samples without gold; the fixture adds letters made here.
LETTERS = [DEV / "raw" / f"{n}.txt" for n in ("000_0284457f90b6ede2", "016", "026", "028")]
LETTERS += [ROOT / "data" / "samples" / n for n in ("cv_152_bkhcn.txt", "kh_141_bac_ninh.txt")]
PAGE_LETTERS = 300
HOSTILE = '<img src=x onerror="window.pwned=1"></pre></script><script>window.pwned=1</script>'

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (`make test` installs it)",
)


def _letter(path: str, text: str, tasks: list[Task], **fields: object) -> Document:
    source = Source(path=path, format="txt", sha256="0" * 64)
    return Document(doc_id=path, source=source, text=text, tasks=tasks, **fields)  # type: ignore[arg-type]


def _task(text: str, start: int, label: str = "1", **fields: object) -> Task:
    span = (start, start + len(text))
    return Task(task_id=label, label=label, text=text, span=span, **fields)  # type: ignore[arg-type]


def _made_letters() -> dict[str, Document]:
    """Letters whose content the tests know: where `Tài chính` is, and hostile text."""
    agency_text = "Số: 12/BC\nBộ TC chủ trì rà soát các khoản chi."
    at = agency_text.index("Bộ TC")
    agency_task = _task(
        "Bộ TC chủ trì rà soát các khoản chi.",
        at,
        lead=[Agency(name="Bộ Tài chính", raw="Bộ TC", span=(at, at + 5))],
        report_to=[Agency(name="Văn phòng Chính phủ", raw="VPCP")],
        part="Kế hoạch kèm theo Quyết định số 7/QĐ",
        rules=["task: an enumerated item (§3 rule 1)", "lead: its own subject (§3 lead)"],
    )
    task_text = "Số: 13/BC\n1. Các sở rà soát nguồn TÀI CHÍNH công trước ngày 15/9."
    t0 = task_text.index("Các sở")
    due = task_text.index("trước ngày 15/9")
    hostile = f"Số: 66/{HOSTILE}\n1. Sở {HOSTILE} báo cáo."
    h0 = hostile.index("1.")
    hostile_agency = Agency(name=HOSTILE, raw=HOSTILE, span=(h0 + 3, h0 + 6 + len(HOSTILE)))
    return {
        "agency": _letter(
            "made/agency.txt",
            agency_text,
            [agency_task],
            number="12/BC",
            spans={"number": (4, 9)},
            duplicate_of="made/first-copy.txt",
        ),
        "task": _letter(
            "made/task.txt",
            task_text,
            [
                _task(
                    task_text[t0:],
                    t0,
                    deadline=Deadline(
                        date="2026-09-15", raw="trước ngày 15/9", span=(due, due + 15)
                    ),
                )
            ],
            number="13/BC",
        ),
        "other": _letter("made/other.txt", "Số: 14/BC\nKhông có gì.", [], number="14/BC"),
        "hostile": _letter(
            f"made/{HOSTILE}.txt",
            hostile,
            [_task(hostile[h0:], h0, lead=[hostile_agency], rules=[f"lead: {HOSTILE}"])],
            number=f"66/{HOSTILE}",
            spans={"number": (4, 4 + len(f"66/{HOSTILE}"))},
            warnings=[HOSTILE],
            duplicate_of=HOSTILE,
        ),
    }


Review = tuple[Path, list[Document], dict[str, int]]


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> Review:
    """A page of 300 letters: the ones above, a letter without tasks, the made letters,
    then copies of the first ones under other paths. Returns (page, letters, made → index)."""
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
    made = {}
    for name, doc in _made_letters().items():
        made[name] = len(docs)
        docs.append(doc)
    first = len(LETTERS)
    k = 0
    while len(docs) < PAGE_LETTERS:
        d = docs[k % first]
        # Another file name: a copy is not scored against the gold of its original.
        source = d.source.model_copy(update={"path": f"copies/{k}-{Path(d.source.path).name}"})
        docs.append(d.model_copy(update={"doc_id": f"{d.doc_id}-{k}", "source": source}))
        k += 1
    page = write_review(docs, out / "review.html", gold_dir=DEV / "gold")
    return page, docs, made


def test_page_loads_only_files_beside_it_and_declares_utf8(review: Review) -> None:
    page, docs, _ = review
    html = page.read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in html
    assert re.findall(r"<script\s+src=\"([^\"]*)\"", html) == ["review_files/index.js"]
    files = [html] + [
        f.read_text(encoding="utf-8") for f in (page.parent / "review_files").rglob("*.js")
    ]
    for text in files:
        assert not re.search(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", text, re.I)
        assert not re.search(r"<link\b|<iframe\b|@import|url\(", text, re.I)
    letters = sorted((page.parent / "review_files" / "letters").glob("*.js"))
    assert len(letters) == len(docs) == PAGE_LETTERS
    assert any("Ủy ban nhân dân tỉnh Bắc Ninh" in f.read_text(encoding="utf-8") for f in letters)


def test_rewriting_a_page_replaces_its_folder_and_keeps_a_foreign_one(
    review: Review, tmp_path: Path
) -> None:
    _, docs, _ = review
    write_review(docs[:5], tmp_path / "r.html")
    write_review(docs[:2], tmp_path / "r.html")
    assert len(list((tmp_path / "r_files" / "letters").iterdir())) == 2
    (tmp_path / "mine_files").mkdir()
    (tmp_path / "mine_files" / "notes.txt").write_text("mine")
    with pytest.raises(UsageError, match="choose another --html"):
        write_review(docs[:2], tmp_path / "mine.html")
    assert (tmp_path / "mine_files" / "notes.txt").read_text() == "mine"


def test_search_folds_case_accents_and_the_bar_of_d() -> None:
    assert fold("Bộ  TÀI CHÍNH\nĐà Nẵng, Ủy ban") == "bo tai chinh da nang, uy ban"


def test_every_message_the_html_names_is_in_the_messages_of_the_page(review: Review) -> None:
    _, docs, _ = review
    texts = messages()
    named = set()
    for i, d in enumerate(docs[:12]):
        named |= set(re.findall(r'data-msg="(\w+)"', document_html(d, i, [])))
    named |= set(re.findall(r'data-msg="(\w+)"', (review[0]).read_text(encoding="utf-8")))
    assert named and named <= set(texts), named - set(texts)
    notebook = fragment(docs[0], [])
    assert "data-msg" not in notebook and texts["field_subject"] in notebook


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
        for a in t.report_to:
            add("report_to", a.span)
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


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[BrowserContext, list[str]]]:
    requests: list[str] = []
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")),  # a fresh profile each run
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
        context.on("request", lambda r: requests.append(r.url))
        try:
            yield context, requests
        finally:
            context.close()
    assert requests and all(u.startswith("file:") for u in requests), requests


def _open(
    context: BrowserContext, page_path: Path, width: int = 1400, letter: int | None = None
) -> Page:
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_path.as_uri() + (f"#l{letter}" if letter is not None else ""))
    page.wait_for_selector("body[data-text=all]", state="attached")
    assert not errors
    return page


def _show(page: Page, i: int) -> None:
    page.evaluate(f"location.hash = '#l{i}'")
    page.wait_for_selector(f"body[data-letter='{i}'] article#d{i}", state="attached")


def _rows(page: Page) -> list[int]:
    """The letters of the list drawn (the rows in view), in order."""
    shown: list[str] = page.eval_on_selector_all("a.row", "(rows) => rows.map((r) => r.dataset.i)")
    return [int(i) for i in shown]


def _count(page: Page) -> int:
    line = page.locator("#shown").text_content() or ""
    found = re.fullmatch(rf"showing (\d+) of {PAGE_LETTERS}", line)
    assert found, line
    return int(found.group(1))


@needs_chromium
def test_each_letter_opens_with_every_span_highlighted_and_its_gold_differences(
    review: Review, browser: tuple[BrowserContext, list[str]]
) -> None:
    page_path, docs, made = review
    misses = gold_misses(DEV / "gold", docs)
    page = _open(browser[0], page_path)
    assert page.evaluate("document.characterSet") == "UTF-8"
    for i in [*range(len(LETTERS) + 1), *made.values(), PAGE_LETTERS - 1]:
        _show(page, i)
        doc, art = docs[i], page.locator(f"article#d{i}")
        assert art.evaluate(_DOM_SPANS) == _expected_spans(doc), doc.source.path
        assert art.locator("pre.text").text_content() == doc.text
        name = Path(doc.source.path).name
        assert art.locator("tr.miss").count() == len(misses.get(name, []))
    # A task on the right takes the reader to its span in the text.
    _show(page, 0)
    link = page.locator("article#d0 li.task a.goto").first
    link.click()
    target = page.locator(f"mark#{link.get_attribute('data-goto')}")
    assert "flash" in (target.get_attribute("class") or "")
    assert target.is_visible()
    page.close()


@needs_chromium
def test_filters_combine_and_the_list_shows_what_passes(
    review: Review, browser: tuple[BrowserContext, list[str]]
) -> None:
    page_path, docs, _ = review
    misses = gold_misses(DEV / "gold", docs)
    page = _open(browser[0], page_path)
    assert _count(page) == PAGE_LETTERS
    filters = {
        "with warnings": lambda d: bool(d.warnings),
        "without tasks": lambda d: not d.tasks,
        "with unknown agencies": lambda d: any(not a.known for a in _agencies(d)),
        "with differences from gold": lambda d: bool(misses.get(Path(d.source.path).name)),
    }
    for label, wanted in filters.items():
        page.get_by_label(label).check()
        expected = [i for i, d in enumerate(docs) if wanted(d)]
        assert 0 < _count(page) == len(expected) < PAGE_LETTERS, label
        assert _rows(page) == expected[: len(_rows(page))] and _rows(page)
        page.get_by_label(label).uncheck()
    page.get_by_label("with warnings").check()
    page.get_by_label("without tasks").check()  # filters combine: both must hold
    both = [i for i, d in enumerate(docs) if d.warnings and not d.tasks]
    # Only the rows in view are drawn: those are the first that pass.
    assert _count(page) == len(both) and _rows(page) == both[: len(_rows(page))]
    page.close()


@needs_chromium
def test_search_ignores_accents_and_case_and_looks_in_agencies_and_task_text(
    review: Review, browser: tuple[BrowserContext, list[str]]
) -> None:
    page_path, docs, made = review
    page = _open(browser[0], page_path)
    for query in ("tai chinh", "TÀI CHÍNH", "Tài chính"):
        page.fill("#search", query)
        found = set(_rows(page))
        # `agency`: only its lead's canonical name says it (the text says `Bộ TC`);
        # `task`: only its task's text says it, in capitals; `other` says nothing of it.
        assert {made["agency"], made["task"]} <= found, query
        assert made["other"] not in found
    page.fill("#search", "016.TXT")  # a file name, any case
    copies = [i for i, d in enumerate(docs) if d.source.path.endswith("016.txt")]
    assert _count(page) == len(copies) and _rows(page) == copies[: len(_rows(page))]
    page.fill("#search", "no letter says this")
    assert _count(page) == 0 and page.locator("#list").text_content() == "No letter matches."
    page.close()


@needs_chromium
def test_next_and_previous_follow_the_list_shown(
    review: Review, browser: tuple[BrowserContext, list[str]]
) -> None:
    page_path, docs, _ = review
    page = _open(browser[0], page_path)
    page.wait_for_selector("body[data-letter='0']", state="attached")  # the first opens itself
    assert page.locator("#prev").is_disabled()
    page.click("#next")
    page.wait_for_selector("body[data-letter='1'] article#d1", state="attached")
    assert page.locator("#position").text_content() == f"2 of {PAGE_LETTERS}"
    page.keyboard.press("n")
    page.wait_for_selector("body[data-letter='2']", state="attached")
    page.click("#prev")
    page.wait_for_selector("body[data-letter='1']", state="attached")
    assert docs[1].tasks  # filtered out below: next is the first letter without tasks after it
    page.get_by_label("without tasks").check()
    no_tasks = [i for i, d in enumerate(docs) if not d.tasks]
    after = [i for i in no_tasks if i > 1]
    page.click("#next")
    page.wait_for_selector(f"body[data-letter='{after[0]}']", state="attached")
    k = no_tasks.index(after[0]) + 1
    assert page.locator("#position").text_content() == f"{k} of {len(no_tasks)}"
    assert page.locator("#prev").is_disabled() == (k == 1)
    page.close()


@needs_chromium
def test_a_click_on_a_highlight_shows_its_field_and_the_rules_that_made_it(
    review: Review, browser: tuple[BrowserContext, list[str]]
) -> None:
    page_path, _, made = review
    i = made["agency"]
    page = _open(browser[0], page_path, letter=i)
    page.wait_for_selector(f"article#d{i}")
    page.locator(f"article#d{i} mark.k-lead").first.click()
    explain = page.locator("#explain")
    assert explain.is_visible()
    lead, task = explain.locator("section").all()
    assert lead.locator("h4").text_content() == "lead of task 1: Bộ Tài chính"
    assert lead.locator("li").all_text_contents() == ["lead: its own subject (§3 lead)"]
    assert task.locator("h4").text_content() == "task 1"
    assert task.locator("li").count() == 2
    page.keyboard.press("Escape")
    assert not explain.is_visible()
    page.locator(f"article#d{i} mark.k-number").click()
    assert "No rule of the guideline" in (explain.text_content() or "")
    # What the letter's record says beyond its spans: report_to, part, the copy it is.
    art = page.locator(f"article#d{i}")
    assert "report to: Văn phòng Chính phủ" in (art.locator("li.task").text_content() or "")
    assert "in: Kế hoạch kèm theo Quyết định số 7/QĐ" in (art.text_content() or "")
    assert "A copy of made/first-copy.txt" in (art.locator("p.duplicate").text_content() or "")
    page.close()


@needs_chromium
def test_hostile_text_stays_text(review: Review, browser: tuple[BrowserContext, list[str]]) -> None:
    page_path, docs, made = review
    i = made["hostile"]
    page = _open(browser[0], page_path)
    page.fill("#search", "window.pwned")
    assert _rows(page) == [i]
    page.click(f"a.row[data-i='{i}']")
    page.wait_for_selector(f"article#d{i}")
    for mark in page.locator(f"article#d{i} mark").all():
        mark.click()
    art = page.locator(f"article#d{i}")
    assert art.locator("pre.text").text_content() == docs[i].text
    assert HOSTILE in (art.locator("ul.warnings").text_content() or "")
    assert HOSTILE in (page.locator("#explain").text_content() or "")
    assert page.locator("img, body script[src*=pwned]").count() == 0
    assert page.evaluate("window.pwned") is None
    page.close()


@needs_chromium
def test_a_missing_letter_file_says_what_to_do(
    review: Review, browser: tuple[BrowserContext, list[str]], tmp_path: Path
) -> None:
    _, docs, _ = review
    page_path = write_review(docs[:3], tmp_path / "small.html")
    (tmp_path / "small_files" / "letters" / "000001.js").unlink()
    page = _open(browser[0], page_path, letter=1)
    page.wait_for_selector("p.failed")
    assert "Keep the folder small_files/ beside the page" in (
        page.locator("p.failed").text_content() or ""
    )
    page.close()


_SIDEWAYS = "document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"


@needs_chromium
def test_at_390_px_the_list_and_a_letter_fit_without_sideways_scroll(
    review: Review, browser: tuple[BrowserContext, list[str]]
) -> None:
    page_path, docs, made = review
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = _open(browser[0], page_path, width=390)
    assert (
        page.locator("nav.index").is_visible() and not page.locator("section.letter").is_visible()
    )
    assert page.evaluate(_SIDEWAYS) == 0
    page.screenshot(path=str(SCREENSHOTS / "review-390-list.png"))
    longest = max(range(len(LETTERS)), key=lambda i: len(docs[i].text))
    page.click(f"a.row[data-i='{longest}']")
    for i in (longest, made["hostile"]):
        _show(page, i)
        page.wait_for_selector(f"body[data-letter='{i}'] article#d{i}")
        assert not page.locator("nav.index").is_visible()
        page.locator(f"article#d{i} mark").first.click()
        assert page.evaluate(_SIDEWAYS) == 0, docs[i].source.path
    page.click("#to-list")
    assert page.locator("nav.index").is_visible()
    _show(page, longest)
    page.locator(f"article#d{longest} mark").first.click()
    page.evaluate("window.scrollTo(0, 0)")
    shot = SCREENSHOTS / "review-390.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    page.close()
    wide = _open(browser[0], page_path, letter=0)
    wide.wait_for_selector("article#d0")
    wide.screenshot(path=str(SCREENSHOTS / "review.png"))
    wide.close()


@needs_chromium
def test_a_run_without_letters_says_so(
    browser: tuple[BrowserContext, list[str]], tmp_path: Path
) -> None:
    page = _open(browser[0], write_review([], tmp_path / "empty.html"))
    assert page.locator("#list").text_content() == "No letters in this run."
    assert page.locator("#letter").text_content() == "No letters in this run."
    assert page.locator("#next").is_disabled() and page.locator("#prev").is_disabled()
    page.close()


def _paged(path: Path, fmt: str = "pdf", sha: str | None = None) -> Document:
    digest = sha or hashlib.sha256(path.read_bytes()).hexdigest()
    source = Source(path=str(path), format=fmt, sha256=digest, pages=1)  # type: ignore[arg-type]
    return Document(doc_id=path.name, source=source, text=f"Số: 1/{path.name}")


@needs_chromium
def test_with_pages_a_pdf_or_scan_shows_its_page_image_or_says_why_not(
    browser: tuple[BrowserContext, list[str]], tmp_path: Path
) -> None:
    import pypdfium2 as pdfium
    from PIL import Image

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    pdf.save(str(tmp_path / "letter.pdf"))
    pdf.close()
    Image.new("L", (300, 400), 200).save(tmp_path / "scan.png")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\n not a pdf at all")
    docs = [
        _paged(tmp_path / "letter.pdf"),
        _paged(tmp_path / "scan.png", "image"),
        _paged(tmp_path / "broken.pdf"),
        _paged(tmp_path / "letter.pdf", sha="0" * 64),  # the file changed since ingest
        _paged(tmp_path / "gone.pdf", sha="0" * 64),
    ]
    page_path = write_review(docs, tmp_path / "pages.html", pages=True)
    page = _open(browser[0], page_path, letter=0)
    for i in (0, 1):
        _show(page, i)
        image = page.locator(f"article#d{i} .pages img")
        image.wait_for()
        page.wait_for_function(f"document.querySelector('#d{i} .pages img').naturalWidth > 0")
        assert image.get_attribute("alt") == "Page 1 of the source file"
    notes = {2: "could not be drawn", 3: "has changed since it was read", 4: "was not there"}
    for i, why in notes.items():
        _show(page, i)
        assert why in (page.locator(f"article#d{i} .pages").text_content() or "")
    page.close()
