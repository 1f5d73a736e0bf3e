"""The README's screenshots of the review page (docs/review.png, docs/review-390.png).

Ingests data/samples into a scratch folder, writes the review page, opens the DOCX
sample's letter in headless Chromium (Debian's `chromium`, driven by Playwright),
clicks its task's deadline to show the rules that made the task, and saves the
page at 1280 × 800 and at 390 px wide, reduced to 128 colours (about 90 KB and 35 KB).

    python scripts/review_screenshot.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
SAMPLE_NUMBER = "3722/VPCP-CN"  # data/samples/cv_3722_vpcp.docx, the README's example
CLICK = "trước ngày 10"  # its task's deadline
# A fixed scratch folder: the page shows the letters' paths, so a random name would show too.
SCRATCH = Path("/tmp/vanban-readme")


def _vanban(*args: str, cwd: Path) -> None:
    subprocess.run([sys.executable, "-m", "vanban", *args, "--lang", "en"], cwd=cwd, check=True)


def _small(src: Path, dst: Path) -> None:
    Image.open(src).convert("RGB").quantize(colors=128).save(dst, optimize=True)


def main() -> None:
    shutil.rmtree(SCRATCH, ignore_errors=True)
    work = SCRATCH
    try:
        shutil.copytree(ROOT / "data" / "samples", work / "data" / "samples")
        _vanban("ingest", "data/samples", "--out", "out", "-q", "--no-fail-on-error", cwd=work)
        _vanban("review", "out", "--html", "out/review.html", cwd=work)
        with sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                str(work / "profile"),
                executable_path=CHROMIUM,
                headless=True,
                viewport={"width": 1280, "height": 800},
                args=["--no-sandbox", "--disable-gpu", "--no-first-run"],
            )
            page = context.new_page()
            page.goto((work / "out" / "review.html").as_uri())
            page.wait_for_selector("body[data-text=all]", state="attached")
            page.locator("a.row", has_text=SAMPLE_NUMBER).first.click()
            page.wait_for_selector("section.letter article mark")
            page.locator("section.letter article mark", has_text=CLICK).first.click()
            page.wait_for_timeout(300)
            page.screenshot(path=str(work / "wide.png"))
            page.set_viewport_size({"width": 390, "height": 800})
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(work / "narrow.png"))
            context.close()
        _small(work / "wide.png", ROOT / "docs" / "review.png")
        _small(work / "narrow.png", ROOT / "docs" / "review-390.png")
    finally:
        shutil.rmtree(SCRATCH, ignore_errors=True)


if __name__ == "__main__":
    main()
