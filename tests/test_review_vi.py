"""The review page in the run's language (issue 15): Vietnamese with `--lang vi` or a
Vietnamese locale, English otherwise; the notebook fragment too."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from vanban.pipeline import i18n
from vanban.pipeline.review import english_messages, fragment, messages, write_review
from vanban.schemas import Agency, Deadline, Document, Source, Task

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
_OBJECT = re.compile(r"const VANBAN_MESSAGES = /\* messages \*/ (\{.*?\n\});", re.S)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    i18n.set_language("en")
    yield
    i18n.set_language("en")


def _letter() -> Document:
    text = "Số: 12/BC\n1. Bộ TC chủ trì rà soát các khoản chi trước ngày 15/9."
    at, due = text.index("Bộ TC"), text.index("trước ngày 15/9")
    task = Task(
        task_id="1",
        label="1",
        text=text[text.index("Bộ TC") :],
        span=(at, len(text)),
        lead=[Agency(name="Bộ Tài chính", raw="Bộ TC", span=(at, at + 5))],
        deadline=Deadline(date="2026-09-15", raw="trước ngày 15/9", span=(due, due + 15)),
    )
    source = Source(path="made/12.txt", format="txt", sha256="0" * 64)
    return Document(doc_id="12", source=source, text=text, tasks=[task], number="12/BC")


def _page_messages(html: str) -> dict[str, str]:
    """The messages object the written page carries."""
    found = _OBJECT.search(html)
    assert found, "the page lost its messages object"
    data: dict[str, str] = json.loads(found.group(1))
    return data


def test_a_page_written_in_vietnamese_carries_its_messages_in_vietnamese(
    tmp_path: Path,
) -> None:
    html = write_review([_letter()], tmp_path / "r.html", lang="vi").read_text(encoding="utf-8")
    assert '<html lang="vi">' in html
    shown = _page_messages(html)
    assert shown == messages("vi") and set(shown) == set(english_messages())
    assert shown["filters"] == "Chỉ hiện văn bản:"
    assert shown["role_lead"] == "cơ quan chủ trì nhiệm vụ {label}: {value}"
    assert shown["close"] == "Đóng"
    assert "Show only letters:" not in html


def test_a_page_is_english_by_default(tmp_path: Path) -> None:
    html = write_review([_letter()], tmp_path / "r.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    assert _page_messages(html) == english_messages()
    assert "Chỉ hiện" not in html


def test_without_lang_the_page_speaks_the_runs_language(tmp_path: Path) -> None:
    i18n.set_language("vi_VN.UTF-8")
    html = write_review([_letter()], tmp_path / "r.html").read_text(encoding="utf-8")
    assert '<html lang="vi">' in html and _page_messages(html)["field_subject"] == "trích yếu"


def test_the_notebook_fragment_speaks_the_language_asked_for() -> None:
    vi = fragment(_letter(), [], lang="vi")
    assert "Nhiệm vụ (1)" in vi and "hạn xử lý nhiệm vụ 1: trước ngày 15/9" in vi
    assert "cơ quan chủ trì nhiệm vụ 1: Bộ Tài chính" in vi  # a highlight's title
    en = fragment(_letter(), [])
    assert "Tasks (1)" in en and "lead of task 1: Bộ Tài chính" in en
    assert "Nhiệm vụ" not in en


def test_vanban_review_with_lang_vi_writes_a_vietnamese_page(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "documents.jsonl").write_text(_letter().model_dump_json() + "\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8"}
    for var in ("VANBAN_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        env.pop(var, None)
    page = tmp_path / "review.html"
    args = [sys.executable, "-m", "vanban", "review", str(out), "--html", str(page)]
    res = subprocess.run([*args, "--lang", "vi"], capture_output=True, text=True, env=env)
    assert res.returncode == 0, res.stderr
    html = page.read_text(encoding="utf-8")
    assert '<html lang="vi">' in html and f"<h1>Rà soát kết quả vanban: {out}</h1>" in html
    assert _page_messages(html)["no_tasks"] == "Không trích xuất được nhiệm vụ nào."


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_the_vietnamese_page_shows_vietnamese_in_a_browser(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    page_path = write_review([_letter()], tmp_path / "r.html", lang="vi")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page()
            page.goto(page_path.as_uri() + "#l0")
            page.wait_for_selector("body[data-text=all]", state="attached")
            page.wait_for_selector("body[data-letter='0'] article#d0", state="attached")
            assert page.locator("#shown").text_content() == "đang hiện 1/1 văn bản"
            assert page.locator("article#d0 h3").text_content() == "Nhiệm vụ (1)"
            assert page.locator("#search").get_attribute("placeholder") == (
                "Tìm theo số, ký hiệu, nội dung, cơ quan, nhiệm vụ"
            )
        finally:
            browser.close()
