"""Page images for the review page: a PDF's or a scan's pages as JPEG, in a process of its own.

`vanban review --pages` shows them beside the letter's text, so that a reviewer
can check an OCR'd number against the page. PDFium and Pillow read the source
file again for this; a file that crashes or hangs them ends only the child
process (`render_pages` then gives the letter no image and says why), as a file
ends only its worker in `vanban ingest`.
"""

from __future__ import annotations

import hashlib
import json
import resource
import subprocess
import sys
from pathlib import Path

MAX_PAGES = 10  # a letter's first pages: enough to check its header and tasks
WIDTH = 1000  # px: readable at 100 % on a laptop, about 100 kB a page
TIMEOUT_S = 60.0
MEMORY_BYTES = 2 * 1024**3
PAGED = ("pdf", "image")  # source formats that have pages to show


def _render_pdf(src: Path, dest: Path, stem: str) -> list[str]:
    import pypdfium2 as pdfium

    names = []
    pdf = pdfium.PdfDocument(str(src))
    try:
        for i in range(min(len(pdf), MAX_PAGES)):
            page = pdf[i]
            image = page.render(scale=WIDTH / max(1.0, page.get_width())).to_pil()
            names.append(f"{stem}-{i + 1}.jpg")
            image.convert("RGB").save(dest / names[-1], quality=80)
    finally:
        pdf.close()
    return names


def _render_image(src: Path, dest: Path, stem: str) -> list[str]:
    from PIL import Image, ImageSequence

    names = []
    with Image.open(src) as image:
        for i, frame in enumerate(ImageSequence.Iterator(image)):
            if i == MAX_PAGES:
                break
            page = frame.convert("RGB")
            page.thumbnail((WIDTH, WIDTH * 3))
            names.append(f"{stem}-{i + 1}.jpg")
            page.save(dest / names[-1], quality=80)
    return names


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


def render_pages(src: Path, sha256: str, fmt: str, dest: Path, stem: str) -> tuple[list[str], str]:
    """The page images of one source file written to `dest` as `STEM-N.jpg`: (their
    names, "") or ([], why none: `not_found`, `changed`, `failed`)."""
    if not src.is_file():
        return [], "not_found"
    if hashlib.sha256(src.read_bytes()).hexdigest() != sha256:
        return [], "changed"  # not the file the record was read from
    command = [sys.executable, "-m", "vanban.pipeline.review_pages", fmt, str(src), str(dest), stem]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            timeout=TIMEOUT_S,
            preexec_fn=_limit_memory,  # no threads run here
            check=False,
        )
    except subprocess.TimeoutExpired:
        return [], "failed"
    if done.returncode != 0:
        return [], "failed"
    names: list[str] = json.loads(done.stdout)
    return names, ""


def main(argv: list[str]) -> int:
    fmt, src, dest, stem = argv
    render = _render_pdf if fmt == "pdf" else _render_image
    try:
        names = render(Path(src), Path(dest), stem)
    except Exception as exc:  # any failure: the letter goes without images
        sys.stderr.write(f"{type(exc).__name__}: {exc}\n")
        return 1
    sys.stdout.write(json.dumps(names))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
