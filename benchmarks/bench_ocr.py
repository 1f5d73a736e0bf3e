"""OCR benchmark: character error rate and speed on the scanned corpus pages.

    python -m benchmarks.bench_ocr [--pdf-dir DIR] [--truth-dir DIR] [--out FILE] [--raw]

Every PDF of `data/corpus/ocr/pdf` is read with `vanban.pipeline.ocr.ocr_pdf` (its
pages in parallel, as `load` does) and compared with the transcription of the
same name in `data/corpus/ocr/truth`. Texts are compared with all white space
collapsed to single spaces; CER = Levenshtein distance / reference length.

The transcriptions give each header and footer column as a block (left
column, then right column), which is also the order OCR emits; where the two
orders still differ, the plain CER counts a moved line as deleted and
inserted. The bag-of-lines CER pairs lines whatever their order (see
`cer_bag_of_lines`), so a moved line costs nothing there.

Seconds per page per core = wall time × cores used / pages; on a machine
busy with other work it overstates the cost, so the CPU seconds per page
(this process and its Tesseract children) are reported as well.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vanban.pipeline.ocr import (  # noqa: E402
    OcrResult,
    ocr_pdf,
    ocr_workers,
    tesseract_binary,
    tesseract_problem,
)
from vanban.pipeline.ocr_engine import engine  # noqa: E402

TARGET_CER = 0.08
TARGET_SECONDS = 3.0


def levenshtein(a: str, b: str) -> int:
    """Edit distance by Myers' bit-parallel algorithm (Hyyrö's formulation).

    The DP table's columns are bit vectors held in Python ints, so each
    character of `a` costs a few big-int operations: a few ms for a page
    where the plain O(n·m) loop takes seconds in Python.
    """
    if len(a) < len(b):
        a, b = b, a
    m = len(b)
    if m == 0:
        return len(a)
    peq: dict[str, int] = {}
    for i, c in enumerate(b):
        peq[c] = peq.get(c, 0) | (1 << i)
    mask = (1 << m) - 1
    last = 1 << (m - 1)
    pv, mv, score = mask, 0, m
    for c in a:
        eq = peq.get(c, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & mask)
        mh = pv & xh
        if ph & last:
            score += 1
        elif mh & last:
            score -= 1
        ph = ((ph << 1) | 1) & mask
        mh = (mh << 1) & mask
        pv = mh | (~(xv | ph) & mask)
        mv = ph & xv
    return score


def squash(text: str) -> str:
    return " ".join(text.split())


def cer(hyp: str, ref: str) -> float:
    h, r = squash(hyp), squash(ref)
    return levenshtein(h, r) / max(1, len(r))


def cer_bag_of_lines(hyp: str, ref: str) -> float:
    """CER with the lines matched as a bag, whatever their order.

    Each reference line is paired with an OCR line, the closest pairs first;
    the errors are the pairs' edit distances plus the unpaired lines' lengths.
    Lines cut differently (one OCR line for two printed ones) cost more here
    than in the plain CER, so this is a bound on what order costs, not a
    better score.
    """
    hs = [squash(line) for line in hyp.splitlines() if line.strip()]
    rs = [squash(line) for line in ref.splitlines() if line.strip()]
    pairs = sorted(
        (levenshtein(h, r) / max(1, len(r)), levenshtein(h, r), i, j)
        for i, h in enumerate(hs)
        for j, r in enumerate(rs)
    )
    used_h: set[int] = set()
    used_r: set[int] = set()
    errors = 0
    for _, dist, i, j in pairs:
        if i not in used_h and j not in used_r:
            used_h.add(i)
            used_r.add(j)
            errors += dist
    errors += sum(len(h) for i, h in enumerate(hs) if i not in used_h)
    errors += sum(len(r) for j, r in enumerate(rs) if j not in used_r)
    return errors / max(1, len(squash(ref)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pdf-dir", type=Path, default=ROOT / "data/corpus/ocr/pdf")
    ap.add_argument("--truth-dir", type=Path, default=ROOT / "data/corpus/ocr/truth")
    ap.add_argument("--out", type=Path, default=ROOT / "out/bench/ocr.json")
    ap.add_argument(
        "--raw",
        action="store_true",
        help="Tesseract's texts without the post-correction, written to ocr_raw/ beside --out"
        " (what benchmarks/ocr_confusions.py tabulates)",
    )
    args = ap.parse_args(argv)
    if args.raw:
        import vanban.pipeline.ocr as ocr_module

        ocr_module.correct_lines = lambda lines: (lines, Counter())
    problem = tesseract_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 2

    pdfs = sorted(args.pdf_dir.glob("*.pdf"))
    load_before = os.getloadavg()[0]
    cpu_before = _cpu_seconds()
    start = time.perf_counter()
    results = _ocr_all(pdfs)
    wall = time.perf_counter() - start
    cpu = _cpu_seconds() - cpu_before

    texts_dir = args.out.parent / ("ocr_raw" if args.raw else "ocr")
    texts_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    corrections: Counter[str] = Counter()
    for pdf, result in zip(pdfs, results, strict=True):
        truth = (args.truth_dir / f"{pdf.stem}.txt").read_text(encoding="utf-8")
        (texts_dir / f"{pdf.stem}.txt").write_text(result.text + "\n", encoding="utf-8")
        corrections.update(result.corrections)
        rows.append(
            {
                "page": pdf.stem,
                "cer": cer(result.text, truth),
                "cer_bag_of_lines": cer_bag_of_lines(result.text, truth),
                "seconds": sum(p.seconds for p in result.pages),
                "confidence": sum(p.confidence for p in result.pages) / len(result.pages),
                "pages": len(result.pages),
            }
        )
    pages = sum(r["pages"] for r in rows)
    cores = ocr_workers(len(pdfs))
    mean_cer = sum(r["cer"] for r in rows) / len(rows)
    mean_bag = sum(r["cer_bag_of_lines"] for r in rows) / len(rows)
    per_page_core = wall * cores / pages
    cpu_per_page = cpu / pages

    print(f"{'page':30} {'CER':>7} {'CER bag-of-lines':>17} {'seconds':>8} {'conf':>6}")
    for r in rows:
        print(
            f"{r['page']:30} {r['cer']:7.2%} {r['cer_bag_of_lines']:17.2%} "
            f"{r['seconds']:8.2f} {r['confidence']:6.1f}"
        )
    print(f"{'mean':30} {mean_cer:7.2%} {mean_bag:17.2%}")
    print(
        f"{pages} pages in {wall:.1f} s on {cores} core(s): {per_page_core:.2f} s per page "
        f"per core (wall x cores / pages); {cpu_per_page:.2f} CPU s per page "
        f"(Tesseract + Python, {engine()}); load average before: {load_before:.2f}"
    )
    print(
        f"targets: mean CER <= {TARGET_CER:.0%}: {'met' if mean_cer <= TARGET_CER else 'MISSED'}; "
        f"<= {TARGET_SECONDS:.0f} s per page per core: "
        f"{'met' if per_page_core <= TARGET_SECONDS else 'MISSED'}"
    )
    print("post-corrections:", ", ".join(f"{k} {v}" for k, v in sorted(corrections.items())))

    report = {
        "tesseract": tesseract_binary(),
        "engine": engine(),
        "cores": cores,
        "pages": pages,
        "load_average_before": load_before,
        "wall_seconds": round(wall, 3),
        "seconds_per_page_per_core": round(per_page_core, 3),
        "cpu_seconds_per_page": round(cpu_per_page, 3),
        "mean_cer": round(mean_cer, 5),
        "mean_cer_bag_of_lines": round(mean_bag, 5),
        "targets": {"mean_cer": TARGET_CER, "seconds_per_page_per_core": TARGET_SECONDS},
        "corrections": dict(sorted(corrections.items())),
        "rows": [
            {k: round(v, 5) if isinstance(v, float) else v for k, v in r.items()} for r in rows
        ],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out} and the texts in {texts_dir}/")
    return 0


def _cpu_seconds() -> float:
    """CPU time of this process (Tesseract's library) and of its finished
    children (the Tesseract binary, when it runs instead): the cost of OCR
    whatever else the machine is doing."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _ocr_all(pdfs: list[Path]) -> list[OcrResult]:
    """OCR the PDFs, as many at once as there are cores. (`ocr_pdf` runs the
    pages of one PDF in parallel too; the corpus PDFs have one page each.)"""
    with ThreadPoolExecutor(max_workers=ocr_workers(len(pdfs))) as pool:
        return list(pool.map(ocr_pdf, pdfs))


if __name__ == "__main__":
    raise SystemExit(main())
