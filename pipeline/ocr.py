"""OCR of scanned letters with Tesseract: PDF pages and image files to text.

`ocr_pdf(path, pages)` and `ocr_image(path)` return an `OcrResult`: per page
the text in reading order (the header and footer zones column by column, see
`vanban.pipeline.ocr_layout`), corrected where extraction depends on it
(`vanban.pipeline.ocr_correct`), with Tesseract's mean word confidence. `apply_ocr`
is what `vanban.pipeline.load.load` calls: it fills a scan's `RawText` in place.

How a page is read, and why:

- PDF pages are rendered at 300 dpi in grey (pypdfium2): Tesseract's LSTM
  models want letters about 30 px high, and at 200 dpi diacritic errors
  triple (`đổi` → `đối`). An image is scaled up to 300 dpi when it has less.
- Tesseract is called through `vanban.pipeline.ocr_engine`: in this process,
  its library with the model loaded once per thread for the process's life
  (the binary, a process and a model load per reading, when no library
  loads). Pages run in parallel, one per core, from a thread pool (Tesseract
  releases the GIL), with `OMP_THREAD_LIMIT=1`: its OpenMP threads only
  fight each other when pages run in parallel (2.6 s a page against 4.5 s).
- A first run reads the whole page (`--psm 3`, automatic layout). Then the
  parts Tesseract's layout analysis reads badly are read again, each as one
  block of text (`--psm 6`), in one more run on the crops stacked into one
  image: regions it set aside as pictures (a signature block under a seal)
  and the columns of the header and footer zones (whose lines it otherwise
  mixes across the two columns, or drops). A column lying inside a picture
  (the signature block) is not read a third time: its words would all fall
  in the picture, whose own reading is kept (about 0.1 s of a 1.7 s page).

`VANBAN_TESSERACT` names a binary to run instead of the library (default:
the library, else `tesseract` on PATH) and `VANBAN_OCR_WORKERS` caps the
parallel pages (default: the usable cores).
"""

from __future__ import annotations

import math
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageOps

# PDFium is not thread-safe, not even across documents: the threads of a
# process take turns, with the lock `vanban.pipeline.load_pdf` holds as well.
from vanban.pipeline.load_pdf import _PDFIUM_LOCK, Block
from vanban.pipeline.ocr_correct import correct_lines
from vanban.pipeline.ocr_engine import (
    INSTALL_HINT,
    LANG,
    TESSERACT_ENV,
    ocr_failed,
    tesseract_binary,
    tesseract_error,
    tesseract_problem,
    tesseract_tsv,
)
from vanban.pipeline.ocr_layout import (
    OcrWord,
    Region,
    drop_specks,
    layout,
    outside,
    parse_tsv,
    picture_regions,
    stamp_frames,
    word_height,
)
from vanban.schemas import (
    CorruptFile,
    ErrorCode,
    LoadError,
    RawText,
    UnsupportedFormat,
    VanbanError,
)

WORKERS_ENV = "VANBAN_OCR_WORKERS"
# Re-exported: callers (tests, benchmarks) knew them here.
__all__ = [
    "INSTALL_HINT",
    "LANG",
    "TESSERACT_ENV",
    "OcrResult",
    "apply_ocr",
    "load_image",
    "ocr_image",
    "ocr_pdf",
    "ocr_workers",
    "tesseract_binary",
    "tesseract_problem",
]

DPI = 300
# Below this mean word confidence a page is hard to read: values taken from it
# (numbers, dates, names) should be checked against the paper.
LOW_CONFIDENCE = 70.0

_A4_HEIGHT_IN = 11.69  # an image without a resolution is taken for an A4 page
_CROP_MARGIN = 0.5  # word heights of white kept around a crop
_CROP_SPACING = 3.0  # word heights of white between stacked crops
# Words read again from a picture region are mostly seal and signature
# strokes: only confident words with two letters or digits are kept.
_PICTURE_CONF = 60.0
_COLUMN_CONF = 20.0  # words of a re-read column below this are specks
_TWO_LETTERS = re.compile(r"[^\W\d_].*[^\W\d_]")
_FOOTER_MARK = re.compile(r"n[ơo]i\s*nh[ậâa]n", re.I)


@dataclass
class OcrPage:
    number: int  # 1-based page number in the file
    text: str  # lines in reading order
    confidence: float  # mean Tesseract word confidence of the kept words, 0-100
    seconds: float  # wall time of this page (render, Tesseract, layout)
    corrections: Counter[str] = field(default_factory=Counter)


@dataclass
class OcrResult:
    pages: list[OcrPage]

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.pages)

    @property
    def corrections(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for p in self.pages:
            total.update(p.corrections)
        return total

    def confidence_field(self) -> str:
        """`1:87.2,2:90.1`: the page confidences as one metadata string."""
        return ",".join(f"{p.number}:{p.confidence:.1f}" for p in self.pages)


# --- one page ----------------------------------------------------------------------


def read_image(
    image: Image.Image, *, number: int, header: bool, last: bool, dpi: int = DPI
) -> OcrPage:
    """OCR one page image (grey, at `dpi`) into an `OcrPage`.

    `header`: the page may start with the letter's header (the first page);
    `last`: the footer is looked for (also on any page showing `Nơi nhận`).
    """
    start = time.perf_counter()
    width, height = image.size
    first = parse_tsv(tesseract_tsv(image, psm=3, dpi=dpi))
    h = word_height(first.words) or 40.0
    stamps = stamp_frames(first.rules, width, h)
    words = outside(drop_specks(first.words), stamps)
    footer = last or bool(_FOOTER_MARK.search(" ".join(w.text for w in words)))

    # Pictures first: a signature block read from one may be what makes the
    # footer a two-column zone at all.
    pictures = picture_regions(first, width, height)
    pictured: list[OcrWord] = []
    if pictures:
        [again] = _read_crops(image, [pictures], h, dpi, run=1)
        pictured = [w for w in again if _confident(w)]
        words += pictured
    page = layout(words, width, header=header, footer=footer)
    if page.columns:
        # Each column of the zones once more, as one block of text. Words in
        # a picture keep their own reading: read with the column around
        # them, the seal's strokes run into more letters.
        columns = [_grow(c, h, width, height) for c in page.columns]
        # A column that lies inside a picture (the signature block read from
        # it) is not read again: every word of it would fall in the picture,
        # where the picture's own reading is kept.
        reread = [
            c for c, bare in zip(columns, page.columns, strict=True) if not _within(bare, pictures)
        ]
        read = _read_crops(image, [[c] for c in reread], h, dpi, run=2) if reread else []
        words = outside(words, columns) + [w for w in pictured if not outside([w], columns)]
        for column_words in read:
            column_words = outside(drop_specks(column_words), [*pictures, *stamps])
            words += [w for w in column_words if w.conf >= _COLUMN_CONF]
        page = layout(words, width, header=header, footer=footer)
    lines, counts = correct_lines(page.lines)
    confs = [w.conf for w in page.words]
    confidence = sum(confs) / len(confs) if confs else 0.0
    return OcrPage(
        number, "\n".join(lines), round(confidence, 1), time.perf_counter() - start, counts
    )


def _confident(word: OcrWord) -> bool:
    """A word read in a picture (a seal, a signature) worth keeping: most
    are strokes read as letters, so only confident words of two letters or
    digits."""
    return word.conf >= _PICTURE_CONF and _TWO_LETTERS.search(word.text) is not None


def _within(box: Region, regions: Sequence[Region]) -> bool:
    """`box` lies inside one of `regions`."""
    return any(
        r[0] <= box[0] and r[1] <= box[1] and box[2] <= r[2] and box[3] <= r[3] for r in regions
    )


def _grow(box: Region, h: float, width: int, height: int) -> Region:
    m = _CROP_MARGIN * h
    return (max(0, box[0] - m), max(0, box[1] - m), min(width, box[2] + m), min(height, box[3] + m))


def _read_crops(
    image: Image.Image,
    groups: Sequence[Sequence[Region]],
    h: float,
    dpi: int,
    *,
    run: int,
) -> list[list[OcrWord]]:
    """Read crops of `image` as blocks of text, in one Tesseract run.

    The crops are stacked into one image, white between them, so that one
    process (and one model load) serves them all; words come back in page
    coordinates, one list per group of regions. `run` and the crop's index
    keep their line ids apart from those of other runs and crops.
    """
    boxes = [(g, tuple(round(v) for v in r)) for g, regions in enumerate(groups) for r in regions]
    gap = round(_CROP_SPACING * h)
    sheet_w = max(b[2] - b[0] for _, b in boxes) + 2 * gap
    sheet_h = sum(b[3] - b[1] for _, b in boxes) + gap * (len(boxes) + 1)
    sheet = Image.new("L", (sheet_w, sheet_h), 255)
    placed = []
    y = gap
    for g, (x0, y0, x1, y1) in boxes:
        sheet.paste(image.crop((x0, y0, x1, y1)), (gap, y))
        placed.append((g, y, y + y1 - y0, x0 - gap, y0 - y))
        y += y1 - y0 + gap
    out: list[list[OcrWord]] = [[] for _ in groups]
    for w in parse_tsv(tesseract_tsv(sheet, psm=6, dpi=dpi), run=run).words:
        for k, (g, top, bottom, dx, dy) in enumerate(placed):
            if top <= w.yc <= bottom:
                w.left, w.right = w.left + dx, w.right + dx
                w.top, w.bottom = w.top + dy, w.bottom + dy
                w.line = (run, k, *w.line[1:])
                out[g].append(w)
                break
    return out


# --- documents ---------------------------------------------------------------------


def ocr_workers(jobs: int) -> int:
    """Pages read at once: one per usable core (or `$VANBAN_OCR_WORKERS`), at most `jobs`."""
    env = os.environ.get(WORKERS_ENV, "")
    cores = int(env) if env.isdigit() and int(env) > 0 else len(os.sched_getaffinity(0))
    return max(1, min(jobs, cores))


def _run_pages(jobs: Sequence[Callable[[], OcrPage]]) -> list[OcrPage]:
    """Run page jobs in parallel threads (Tesseract releases the GIL);
    results in page order."""
    if len(jobs) == 1:
        return [jobs[0]()]
    with ThreadPoolExecutor(max_workers=ocr_workers(len(jobs))) as pool:
        return list(pool.map(lambda job: job(), jobs))


def _require_tesseract() -> None:
    problem = tesseract_error()
    if problem is not None:
        raise problem


def ocr_pdf(path: Path | str, pages: list[int] | None = None) -> OcrResult:
    """OCR pages of a PDF (1-based numbers; all when None), in page order."""
    _require_tesseract()
    path = Path(path)
    with _pdf(path) as doc:
        count = len(doc)
        numbers = sorted(set(pages)) if pages is not None else list(range(1, count + 1))
        bad = [n for n in numbers if not 1 <= n <= count]
        if bad:
            raise LoadError(
                "The PDF has {count} page(s); page {page} does not exist.",
                code=ErrorCode.OCR_FAILED,
                count=count,
                page=bad[0],
            )

        def job(number: int) -> Callable[[], OcrPage]:
            def run() -> OcrPage:
                with _PDFIUM_LOCK:
                    image = _render(doc, number - 1)
                return read_image(image, number=number, header=number == 1, last=number == count)

            return run

        return OcrResult(_run_pages([job(n) for n in numbers]))


@contextmanager
def _pdf(path: Path) -> Iterator[pdfium.PdfDocument]:
    try:
        with _PDFIUM_LOCK:
            doc = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        raise CorruptFile(
            "The PDF cannot be opened for OCR: obtain the file again.", code=ErrorCode.CORRUPT_PDF
        ) from exc
    except OSError as exc:
        raise LoadError.unreadable(path, exc) from exc
    try:
        yield doc
    finally:
        with _PDFIUM_LOCK:
            doc.close()


# The most pixels a page is rendered with: an A3 page at 300 dpi is 17 million.
# A page declared metres wide (a hostile or broken PDF) is rendered coarser
# rather than taking gigabytes.
MAX_PAGE_PIXELS = 40_000_000


def _scale(size: tuple[float, float]) -> float:
    width, height = size
    area = max(width, 1.0) * max(height, 1.0)
    return min(DPI / 72, 0.999 * (MAX_PAGE_PIXELS / area) ** 0.5)  # rounding up stays under


def _render(doc: pdfium.PdfDocument, index: int) -> Image.Image:
    try:
        page = doc[index]
        try:
            # Annotations are drawn as a reader sees them: a form-field value
            # (a number stamped by the signing system) is part of the page.
            bitmap = page.render(scale=_scale(page.get_size()), grayscale=True)
            image: Image.Image = bitmap.to_pil()
            return image.convert("L") if image.mode != "L" else image
        finally:
            page.close()
    except pdfium.PdfiumError as exc:
        raise ocr_failed(f"page {index + 1} could not be rendered") from exc


def ocr_image(path: Path | str) -> OcrResult:
    """OCR an image file (PNG, JPEG, TIFF; every frame of a multi-page TIFF)."""
    _require_tesseract()
    path = Path(path)
    count = image_pages(path)

    def job(number: int) -> Callable[[], OcrPage]:
        def run() -> OcrPage:
            # Each page is decoded when its turn comes: a long TIFF is not
            # held in memory whole.
            image, dpi = _image_frame(path, number - 1)
            return read_image(
                image, number=number, header=number == 1, last=number == count, dpi=dpi
            )

        return run

    return OcrResult(_run_pages([job(n) for n in range(1, count + 1)]))


# Tesseract (Leptonica) refuses an image wider or taller than this, with an
# error that reads like a broken install.
_TESSERACT_SIDE = 32767


def image_pages(path: Path) -> int:
    """How many pages (frames) an image file holds; the first is decoded, so
    that a damaged file is found at load time even without Tesseract."""
    with _open_image(path) as img:
        width, height = img.size
        if max(width, height) > _TESSERACT_SIDE:
            raise LoadError(
                "The image '{name}' is {width:,}×{height:,} pixels, more on a side "
                "than OCR reads ({side:,}): it is not a scanned page. Scan the "
                "letter page by page at 300 dpi.",
                code=ErrorCode.IMAGE_TOO_LARGE,
                name=path.name,
                width=width,
                height=height,
                side=_TESSERACT_SIDE,
            )
        try:
            count = int(getattr(img, "n_frames", 1))  # a TIFF walks its pages
        except MemoryError:
            raise
        except Exception as exc:
            raise _damaged_image(path) from exc
    _image_frame(path, 0)
    return count


def _damaged_image(path: Path) -> CorruptFile:
    return CorruptFile(
        "The image '{name}' is damaged and cannot be read: obtain the scan again.",
        code=ErrorCode.CORRUPT_IMAGE,
        name=path.name,
    )


def _open_image(path: Path) -> Image.Image:
    try:
        return Image.open(path)
    except (FileNotFoundError, PermissionError) as exc:
        raise LoadError.unreadable(path, exc) from exc
    except (OSError, ValueError, SyntaxError) as exc:
        # Not even an image header (a web page or a message saved as .jpg).
        raise UnsupportedFormat(
            "'{name}' is not an image that can be read (PNG, JPEG or TIFF): obtain the scan again.",
            code=ErrorCode.UNSUPPORTED_FORMAT,
            name=path.name,
        ) from exc
    except Image.DecompressionBombError as exc:
        raise LoadError(
            "The image '{name}' is too large to be a scanned page: scan it at 300 dpi.",
            code=ErrorCode.IMAGE_TOO_LARGE,
            name=path.name,
        ) from exc


def _image_frame(path: Path, index: int) -> tuple[Image.Image, int]:
    """Frame `index`: grey, upright (EXIF), at 300 dpi or more; and its dpi."""
    try:
        with _open_image(path) as img:
            img.seek(index)
            page = ImageOps.exif_transpose(img.convert("L"))
            return _at_dpi(page, img.info.get("dpi"))
    except (LoadError, MemoryError):
        raise
    except Exception as exc:
        # Pillow reports damaged data as OSError, ValueError, EOFError, but
        # also as TypeError, KeyError, struct.error... from deep in a plugin.
        raise _damaged_image(path) from exc


def _at_dpi(image: Image.Image, dpi_info: object) -> tuple[Image.Image, int]:
    """Scale up to 300 dpi what is coarser. An image without a resolution is
    taken for a whole A4 page, as a scanned letter is."""
    try:
        dpi = float(dpi_info[0])  # type: ignore[index]  # a TIFF gives IFDRational
    except (TypeError, ValueError, IndexError, ZeroDivisionError):
        dpi = 0.0
    if not math.isfinite(dpi) or dpi < 50:  # a TIFF resolution of 0/0 is NaN
        dpi = max(image.size) / _A4_HEIGHT_IN
    if dpi < DPI * 0.9:
        factor = DPI / dpi
        size = (round(image.width * factor), round(image.height * factor))
        return image.resize(size, Image.Resampling.LANCZOS), DPI
    return image, round(dpi)


# --- into a loaded letter ------------------------------------------------------------


def load_image(path: Path) -> RawText:
    """An image file as a `RawText` still to be read (`apply_ocr` reads it)."""
    count = image_pages(path)
    return RawText(
        text="",
        format="image",
        pages=count,
        metadata={"ocr_pages": ",".join(str(n) for n in range(1, count + 1))},
        needs_ocr=True,
        warnings=[],
    )


def apply_ocr(raw: RawText, path: Path) -> RawText:
    """Read the pages of `raw` that need OCR, in place (and return it).

    Text-layer pages of a PDF stay as they were; the OCR'd pages take their
    place in page order. Without Tesseract the record keeps `needs_ocr` and
    a warning says how to install it.
    """
    if not raw.needs_ocr or raw.format not in {"pdf", "image"}:
        return raw
    problem = tesseract_problem()
    if problem is not None:
        raw.warnings.append(problem)
        return raw
    wanted = [int(n) for n in raw.metadata.get("ocr_pages", "").split(",") if n.strip().isdigit()]
    try:
        if raw.format == "image":
            result = ocr_image(path)
            raw.text = result.text
        else:
            result = ocr_pdf(path, wanted or None)
            raw.text = _merge_pdf(path, result)
    except VanbanError:
        raise
    except Exception as exc:  # a page no rule foresaw must not end in a traceback
        raise ocr_failed(f"{type(exc).__name__}: {exc}") from exc
    raw.ocr = True
    raw.needs_ocr = False
    raw.metadata["ocr"] = "true"
    raw.metadata["ocr_engine"] = "tesseract"
    raw.metadata["ocr_confidence"] = result.confidence_field()
    if result.corrections:
        raw.metadata["ocr_corrections"] = ",".join(
            f"{k}:{v}" for k, v in sorted(result.corrections.items())
        )
    # The loader's "run OCR on it" advice is done; say what OCR could not.
    raw.warnings = [w for w in raw.warnings if "run OCR" not in w]
    for p in result.pages:
        if p.confidence < LOW_CONFIDENCE:
            raw.warnings.append(
                f"Page {p.number} is hard to read (OCR confidence {p.confidence:.0f}%): "
                "check the number, dates and names against the paper."
            )
    return raw


def _merge_pdf(path: Path, result: OcrResult) -> str:
    """The PDF's text with the OCR'd pages in place of the scanned ones.

    The page texts come from `vanban.pipeline.load_pdf` again (its `RawText` keeps
    only the joined text): a few ms a page, against seconds for OCR.
    """
    from vanban.pipeline import load_pdf

    with _PDFIUM_LOCK:
        pages, texts, _ = load_pdf._read(path)
    by_number = {p.number: p.text.split("\n") for p in result.pages}
    merged = [
        by_number.get(p.number) or _lines(blocks) for p, blocks in zip(pages, texts, strict=True)
    ]
    return load_pdf._repair_breaks("\n".join(line for lines in merged for line in lines if line))


def _lines(blocks: list[Block]) -> list[str]:
    """A text page's lines, a ruled table's cells one after another (a page
    merged with OCR'd ones hands on no table hints)."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, str):
            out.append(block)
        else:
            out += [line for row in block.rows for cell in row for line in cell]
    return out
