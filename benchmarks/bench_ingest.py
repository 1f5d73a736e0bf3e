"""Ingest benchmark: `vanban ingest` end to end beside the floor of each kind of file.

    python benchmarks/bench_ingest.py [--quick] [--out out/bench/ingest.json]

- Text letters: the dev text letters copied to at least 2,000 files, ingested
  with every core; letters/s and MB/s per worker beside the floor "read +
  NFC + one regex pass" over the same files, in the same run.
- Speed-up from 1 to 2 workers on a part of them (the best of two runs of
  each), and the same part on a Dask LocalCluster.
- Text letters with 1 and with 2 workers: MB/s per worker, each beside the
  floor (its ratio), and the speed-up.
- Peak RSS per worker at 1,000 and 10,000 files (the dev letters under 5 KB,
  so that 10,000 fit in the time).
- Growth: one letter grown from 5 KB to 2 MB three ways — one long item,
  the same sentences as separate numbered items, the same lines with no
  markers — and its cost per KB at each size (a size is not run when the one
  before, grown in proportion, would pass `--growth-budget` seconds).
- `--redact`: the cost it adds to `process_file` over the dev text letters.
- Fixed cost: `vanban ingest` of one short letter, the whole command, less
  the letter's own time; the import of the main process and of a worker.
- Digital PDFs (text layer): pages/s beside bare pypdfium2 text extraction
  and pdfplumber's `extract_text()` over the same pages (skipped with a note
  when pdfplumber is not installed: it is not a dependency of vanban;
  `make bench` installs it into the venv); then, in this one process, CPU
  per page of bare pypdfium2, `load_pdf` and `process_file` over the same
  pages (what the loader costs beside extraction and the workers).
- Scans: seconds per page in a worker beside bare Tesseract (one process per
  page, `--psm 3`, `OMP_THREAD_LIMIT=1`) on the same pages rendered at 300 dpi
  (the best of two runs of each); then the CPU per page of `process_file` in
  this process (the model loaded) beside the CPU of those Tesseract processes,
  the same ratio as a busy machine cannot blur it; and that CPU split, in the
  same unprofiled runs (each Tesseract call timed), into
  the first reading of each page (the work bare Tesseract does), the re-reads
  of its pictures and header/footer columns, and the rest.

Where a target is missed, a cProfile of the same work in this process says
what costs the time (the functions of vanban with the most cumulative time).
Every run goes through `vanban.pipeline.batch.ingest`, manifest and all, into a
fresh output folder; the times are wall-clock and include starting the
workers. Other work on the machine slows everything: the load average is
reported.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vanban.pipeline import pool_server  # noqa: E402
from vanban.pipeline.batch import Summary, ingest, process_file  # noqa: E402
from vanban.pipeline.runner import FileResult  # noqa: E402
from vanban.schemas import Document  # noqa: E402

DEV = ROOT / "data" / "corpus" / "dev"
TEXT_PDFS = ["hanoi_kh_173_festival.pdf", "hanoi_tb_453_flag.pdf"]  # with a text layer
SCANS = ["cv_3722_metro.pdf", "qd_729_ttg.pdf"]  # their pages need OCR
SHORT_BYTES = 5_000

TARGETS = {
    "text_mb_per_s_per_worker": 1.0,  # at least
    "text_floor_ratio": 10.0,  # at most, floor / pipeline per worker
    "pdf_pypdfium2_ratio": 3.0,  # at most
    "scan_tesseract_ratio": 1.2,  # at most
    "peak_rss_mb": 400.0,  # at most, per worker
    "rss_growth": 1.10,  # at most, 10k files / 1k files
    "speedup_2_workers": 1.8,  # at least
    "long_item_per_kb_ratio": 1.5,  # at most, one long item / many items, per KB, at 1 MB
    "redact_overhead": 0.10,  # at most
    "fixed_cost_s": 0.5,  # at most
    "worker_rss_text_mb": 80.0,  # at most, on text letters
}
SECTIONS = ("text", "speedup", "rss", "growth", "redact", "fixed", "pdf", "scans")
GROWTH_KB = (5, 50, 200, 500, 1000, 2000)
GROWTH_SHAPES = ("one long item", "many items", "no markers")
HEADER = (
    "BỘ Y TẾ\nSố: 123/BYT-KH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "Hà Nội, ngày 5 tháng 3 năm 2025\nV/v triển khai nhiệm vụ\n"
    "Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.\n\n"
)
FOOTER = "\n\nNơi nhận:\n- Như trên;\n- Lưu: VT, KH.\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nNguyễn Văn A\n"


def replicate(sources: list[Path], dest: Path, at_least: int) -> list[Path]:
    """Copies of `sources` in sub-folders of 500 files, at least `at_least` files."""
    copies = -(-at_least // len(sources))
    made: list[Path] = []
    for i in range(copies):
        for src in sources:
            n = len(made)
            folder = dest / f"{n // 500:04d}"
            folder.mkdir(parents=True, exist_ok=True)
            made.append(folder / f"{i:05d}_{src.name}")
            shutil.copyfile(src, made[-1])
    return made


def run_ingest(
    folder: Path, out: Path, *, keep: bool = False, **kw: Any
) -> tuple[Summary, list[FileResult]]:
    """`ingest` into a fresh `out`; with `keep`, every file's result too."""
    shutil.rmtree(out, ignore_errors=True)
    results: list[FileResult] = []
    summary = ingest(folder, out, on_file=(lambda _p, r: results.append(r)) if keep else None, **kw)
    return summary, results


def floor_text(files: list[Path]) -> tuple[float, int]:
    """Read + NFC + one regex pass: (seconds, bytes), in this one process."""
    word = re.compile(r"\w+")
    start = time.perf_counter()
    size = 0
    for f in files:
        data = f.read_bytes()
        size += len(data)
        text = unicodedata.normalize("NFC", data.decode("utf-8"))
        sum(1 for _ in word.finditer(text))
    return time.perf_counter() - start, size


def sentences(texts: list[Path]) -> list[str]:
    """The dev letters' sentences of 40 to 300 characters, one line each, markers off."""
    out = []
    for f in texts:
        for line in f.read_text(encoding="utf-8").splitlines():
            line = re.sub(r"^[\s\-+*•|#]*(?:\d+(?:\.\d+)*[.)]|[a-zđ]\))?\s*", "", line)
            out += [s.strip() + "." for s in line.split(". ") if 40 <= len(s.strip()) <= 300]
    return out


def grown_letter(pool: list[str], shape: str, kb: int) -> str:
    """A letter of about `kb` KB: the header, `pool`'s sentences in turn as `shape`, the footer."""
    body: list[str] = []
    size = 0
    while size < kb * 1000 - len((HEADER + FOOTER).encode()):
        sentence = pool[len(body) % len(pool)]
        body.append(sentence)
        size += len(sentence.encode()) + 4
    if shape == "one long item":
        text = "1. " + " ".join(body)
    elif shape == "many items":
        text = "\n".join(f"{i}. {s}" for i, s in enumerate(body, 1))
    else:
        text = "\n".join(body)
    return HEADER + text + FOOTER


def growth(
    texts: list[Path], folder: Path, sizes: tuple[int, ...], budget: float
) -> dict[str, Any]:
    """Seconds and ms per KB of `process_file` on a letter grown to each size, per shape."""
    pool = sentences(texts)
    folder.mkdir(parents=True, exist_ok=True)
    process_file(texts[0])  # imports and caches warmed up
    out: dict[str, Any] = {}
    for shape in GROWTH_SHAPES:
        rows: dict[str, Any] = {}
        last: tuple[int, float] | None = None
        for kb in sizes:
            if last and last[1] * kb / last[0] > budget:
                rows[str(kb)] = {
                    "skipped": f"~{last[1] * kb / last[0]:.0f} s or more (budget {budget:.0f} s)"
                }
                continue
            path = folder / f"{shape.replace(' ', '_')}_{kb}.txt"
            path.write_text(grown_letter(pool, shape, kb), encoding="utf-8")
            start = time.process_time()  # CPU time: other work on the machine does not count
            rec = process_file(path)
            seconds = time.process_time() - start
            size_kb = path.stat().st_size / 1000
            rows[str(kb)] = {
                "seconds": round(seconds, 3),
                "ms_per_kb": round(1000 * seconds / size_kb, 3),
                "tasks": len(getattr(rec, "tasks", [])),
                "error": getattr(rec, "error", None),
            }
            last = (kb, seconds)
            path.unlink()
        out[shape] = rows
    return out


def redact_overhead(texts: list[Path]) -> tuple[float, float]:
    """CPU seconds of `process_file` over `texts`, and of `--redact`'s masking of
    the records (what `redact=True` adds), best of 3 each, letter by letter."""
    from vanban.pipeline.redact import redact_document

    plain = masked = float("inf")
    for f in texts:
        process_file(f, redact=True)
    for _ in range(3):
        read = mask = 0.0
        for f in texts:
            start = time.process_time()
            doc = process_file(f)
            read += time.process_time() - start
            if isinstance(doc, Document):
                start = time.process_time()
                redact_document(doc)
                mask += time.process_time() - start
        plain, masked = min(plain, read), min(masked, read + mask)
    return plain, masked


def _python_env(pycache: Path) -> dict[str, str]:
    """The environment of a fresh interpreter run as a user's: the modules'
    bytecode cached (in `pycache`, not in the tree) even where
    PYTHONDONTWRITEBYTECODE is set, which would compile every module of vanban
    from source in every process (the main one and the workers' forkserver)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": str(pycache)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _python_times(
    args: list[str],
    env: dict[str, str],
    runs: int = 3,
    setup: Callable[[], object] | None = None,
) -> tuple[float, float]:
    """The best wall time and CPU time (its processes that ended) of a fresh
    interpreter run, after one run that fills the bytecode cache; `setup` runs
    before each run, untimed."""
    subprocess.run([sys.executable, *args], env=env, check=True, capture_output=True)
    wall = cpu = float("inf")
    for _ in range(runs):
        if setup is not None:
            setup()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, *args], env=env, check=True, capture_output=True)
        wall = min(wall, time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        cpu = min(cpu, used)
    return wall, cpu


def fixed_cost(letter: Path, tmp: Path) -> dict[str, float]:
    """`vanban ingest` of one letter as a whole command, its parts, best of 3."""
    folder = tmp / "fixed"
    folder.mkdir()
    shutil.copyfile(letter, folder / letter.name)
    out = tmp / "out-fixed"
    cmd = ["-m", "vanban", "ingest", str(folder), "--out", str(out), "--quiet", "--workers", "1"]
    env = _python_env(tmp / "pycache")
    bare, bare_cpu = _python_times(["-c", "pass"], env)
    # A first run, into a new OUT (the common one), and a rerun with --force (a
    # second run without it would skip the letter as unchanged); the worse counts.
    first, first_cpu = _python_times(cmd, env, setup=lambda: shutil.rmtree(out, True))
    rerun, rerun_cpu = _python_times([*cmd, "--force"], env)
    whole, whole_cpu = max((first, first_cpu), (rerun, rerun_cpu))
    # CPU time: what the imports cost whatever else the machine does.
    main_import = _python_times(["-c", "import vanban.pipeline.cli, vanban.pipeline.batch"], env)[1]
    worker_import = _python_times(
        ["-c", "import vanban.pipeline.batch, vanban.pipeline.extract"], env
    )[1]
    # What the workers' server does before it forks: its preload modules, the patterns
    # made from the programs kept by the warm-up run (`pattern_cache`), the registry and
    # the tables every letter reads made.
    server = _python_times(["-c", "import " + ", ".join(pool_server.PRELOAD)], env)[1]
    main_import, worker_import = main_import - bare_cpu, worker_import - bare_cpu
    process_file(letter)  # the letter's own time, not the first use's (the registry loaded)
    start = time.perf_counter()
    process_file(letter)
    own = time.perf_counter() - start
    return {
        "whole_command_s": round(whole, 3),
        "python_start_s": round(bare, 3),
        "letter_s": round(own, 3),
        "fixed_s": round(whole - own, 3),
        "fixed_first_run_s": round(first - own, 3),
        "fixed_rerun_s": round(rerun - own, 3),
        "whole_command_cpu_s": round(whole_cpu, 3),
        "main_import_s": round(main_import, 3),
        "worker_import_s": round(worker_import, 3),
        "server_preload_s": round(server - bare_cpu, 3),
    }


def process_file_rate(files: list[Path]) -> float:
    """MB/s of `process_file` alone in this process (no pool, no output), warmed up."""
    for f in files:
        process_file(f)
    best = float("inf")
    for _ in range(3):  # the best pass: the least disturbed by other work
        start = time.perf_counter()
        for f in files:
            process_file(f)
        best = min(best, time.perf_counter() - start)
    return sum(f.stat().st_size for f in files) / 1e6 / best


def bare_pdf_text(files: list[Path]) -> int:
    """The floor's work: each page's text by bare pypdfium2. Returns the page count."""
    import pypdfium2 as pdfium

    pages = 0
    for f in files:
        doc = pdfium.PdfDocument(f)
        for page in doc:
            page.get_textpage().get_text_range()
            pages += 1
        doc.close()
    return pages


def floor_pypdfium2(files: list[Path]) -> tuple[float, int]:
    start = time.perf_counter()
    pages = bare_pdf_text(files)
    return time.perf_counter() - start, pages


def pdf_split(files: list[Path], rounds: int = 3) -> dict[str, float]:
    """CPU ms per page in this process, the best of `rounds`: bare pypdfium2
    text, `load_pdf` (text, reading order, tables) and `process_file` (the
    record) over the same pages, so the ingest ratio can be split into the
    loader's share and the rest (extraction, workers, output)."""
    from vanban.pipeline.load_pdf import load_pdf

    def best(work: Callable[[], object]) -> float:
        work()
        times = []
        for _ in range(rounds):
            start = time.process_time()
            work()
            times.append(time.process_time() - start)
        return min(times)

    pages = bare_pdf_text(files)
    return {
        "pages": pages,
        "bare_ms": best(lambda: bare_pdf_text(files)) * 1000 / pages,
        "load_pdf_ms": best(lambda: [load_pdf(f) for f in files]) * 1000 / pages,
        "process_file_ms": best(lambda: [process_file(f) for f in files]) * 1000 / pages,
    }


def floor_pdfplumber(files: list[Path]) -> tuple[float, int] | None:
    try:
        import pdfplumber
    except ImportError:
        return None
    start = time.perf_counter()
    pages = 0
    for f in files:
        with pdfplumber.open(f) as pdf:
            for page in pdf.pages:
                page.extract_text()
                pages += 1
    return time.perf_counter() - start, pages


def floor_tesseract(files: list[Path]) -> tuple[float, int, float]:
    """Bare Tesseract on each page rendered as `vanban.pipeline.ocr` renders it:
    wall seconds, pages, and the CPU seconds of the Tesseract processes."""
    import pypdfium2 as pdfium

    from vanban.pipeline.ocr import DPI, LANG, tesseract_binary

    binary = tesseract_binary()
    assert binary is not None
    images = []
    for f in files:
        doc = pdfium.PdfDocument(f)
        for page in doc:
            img = page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
            buf = io.BytesIO()
            img.save(buf, "PNG", compress_level=1)
            images.append(buf.getvalue())
        doc.close()
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    for png in images:
        cmd = [binary, "stdin", "stdout", "-l", LANG, "--psm", "3", "--dpi", str(DPI)]
        subprocess.run(cmd, input=png, capture_output=True, env=env, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, len(images), cpu


def scan_wall(folder: Path, scans: list[Path], out: Path) -> tuple[int, float, float, float, int]:
    """Pages, the worker's seconds a page, bare Tesseract's wall and CPU seconds a page, and its
    pages: best of two runs each, alternated, since a few pages are at the mercy of whatever
    else the machine is doing."""
    per_page = bare_per_page = bare_cpu = float("inf")
    pages = bare_pages = 0
    for _ in range(2):
        summary, results = run_ingest(folder, out, workers=1, keep=True)
        pages = summary.ocr_pages
        per_page = min(per_page, sum(r.seconds for r in results) / max(1, pages))
        bare_s, bare_pages, cpu = floor_tesseract(scans)
        bare_per_page = min(bare_per_page, bare_s / bare_pages)
        bare_cpu = min(bare_cpu, cpu / bare_pages)
    return pages, per_page, bare_per_page, bare_cpu, bare_pages


def scan_cpu(files: list[Path], rounds: int = 3) -> dict[str, float]:
    """CPU seconds of `process_file` over `files` in this process (the model loaded by a
    first run; Tesseract reads in this process's threads, so its CPU is counted), split
    in the same runs by what each Tesseract call reads: the first reading of each page
    (`--psm 3`, the whole page: the work bare Tesseract does), the re-reads (`--psm 6`:
    the pictures, then the header and footer columns, each run on crops stacked into one
    image), and the rest of the record (render, layout, corrections, extraction). The
    round with the least record CPU is kept: a busy machine only adds to it. Each call is
    timed by the CPU of the whole process, so the files must be one page each (no other
    page read meanwhile)."""
    from vanban.pipeline import ocr

    calls: dict[int, float] = {}
    tsv = ocr.tesseract_tsv

    def timed(image: Any, *, psm: int, dpi: int) -> str:
        start = time.process_time()
        try:
            return tsv(image, psm=psm, dpi=dpi)
        finally:
            calls[psm] = calls.get(psm, 0.0) + time.process_time() - start

    for f in files:
        process_file(f)
    best: dict[str, float] = {"record": float("inf")}
    ocr.tesseract_tsv = timed
    try:
        for _ in range(rounds):
            calls.clear()
            start = time.process_time()
            for f in files:
                process_file(f)
            record = time.process_time() - start
            if record < best["record"]:
                first, again = calls.get(3, 0.0), sum(v for k, v in calls.items() if k != 3)
                best = {"record": record, "first_reading": first, "re_reads": again}
    finally:
        ocr.tesseract_tsv = tsv
    best["rest"] = best["record"] - best["first_reading"] - best["re_reads"]
    return best


def profile(work: Callable[[], object], top: int = 12) -> list[dict[str, Any]]:
    """The vanban functions with the most cumulative time while `work` runs."""
    prof = cProfile.Profile()
    prof.enable()
    work()
    prof.disable()
    stats = pstats.Stats(prof)
    total = max(getattr(stats, "total_tt", 0.0), 1e-9)
    rows = []
    for (file, line, name), (_cc, calls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        # The code is imported through the `vanban/` symlinks: name it by its folder.
        rel = os.path.relpath(file, ROOT).removeprefix("vanban/")
        if rel.startswith(("pipeline", "extractors")) and not rel.endswith("batch.py"):
            rows.append(
                {
                    "function": f"{rel}:{line}({name})",
                    "calls": calls,
                    "cumulative_s": round(cumtime, 3),
                    "share": round(cumtime / total, 3),
                    "own_s": round(tottime, 3),
                }
            )
    rows.sort(key=lambda r: -r["cumulative_s"])
    return rows[:top]


def print_profile(title: str, rows: list[dict[str, Any]]) -> None:
    print(f"\nprofile: {title} (cumulative share of the run)")
    for r in rows:
        print(f"  {r['share']:6.1%} {r['cumulative_s']:8.3f} s {r['calls']:7d}x  {r['function']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="small sizes, a smoke test")
    ap.add_argument("--out", type=Path, default=ROOT / "out" / "bench" / "ingest.json")
    ap.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    ap.add_argument("--only", default=",".join(SECTIONS), help=f"some of {','.join(SECTIONS)}")
    ap.add_argument(
        "--growth-budget", type=float, default=90.0, help="seconds a grown letter may take"
    )
    args = ap.parse_args(argv)
    want = set(args.only.split(","))
    if want - set(SECTIONS):
        ap.error(f"--only: unknown sections {sorted(want - set(SECTIONS))}")
    n_text = 200 if args.quick else 2_000
    n_speedup = 100 if args.quick else 360
    rss_sizes = (100, 400) if args.quick else (1_000, 10_000)
    pdf_copies = 1 if args.quick else 8
    workers = args.workers

    report: dict[str, Any] = {
        "machine": {
            "cores": len(os.sched_getaffinity(0)),
            "cpu": _cpu_model(),
            "python": platform.python_version(),
            "load_average_before": os.getloadavg(),
        },
        "workers": workers,
        "targets": TARGETS,
    }
    table: list[tuple[str, str, str, str]] = []  # what, measured, floor / target, verdict
    tmp = Path(tempfile.mkdtemp(prefix="vanban-bench-"))
    started = time.perf_counter()
    texts = sorted((DEV / "raw").glob("*.txt"))
    try:
        if "text" in want:
            _text(texts, tmp, n_text, workers, report, table)
        if "speedup" in want:
            _speedup(texts, tmp, n_speedup, report, table)
        if "rss" in want:
            _rss(texts, tmp, rss_sizes, workers, report, table)
        if "growth" in want:
            _growth(texts, tmp, args.quick, args.growth_budget, report, table)
        if "redact" in want:
            _redact(texts, report, table)
        if "fixed" in want:
            _fixed(texts, tmp, report, table)
        if "pdf" in want:
            _pdf(tmp, pdf_copies, workers, report, table)
        if "scans" in want:
            _scans(tmp, report, table)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    report["seconds"] = round(time.perf_counter() - started, 1)
    report["machine"]["load_average_after"] = os.getloadavg()
    print()
    _print_table(table)
    m = report["machine"]
    print(
        f"\n{m['cores']} cores ({m['cpu']}), Python {m['python']}; load average "
        f"{m['load_average_before'][0]:.2f} before, {m['load_average_after'][0]:.2f} after; "
        f"{report['seconds']:.0f} s in all"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


Table = list[tuple[str, str, str, str]]


def _text(
    texts: list[Path], tmp: Path, n_text: int, workers: int, report: dict[str, Any], table: Table
) -> None:
    files = replicate(texts, tmp / "text", n_text)
    floor_s, size = floor_text(files)
    summary, _ = run_ingest(tmp / "text", tmp / "out-text", workers=workers)
    mbps_worker = summary.mb_per_s / summary.workers
    floor_mbps = size / 1e6 / floor_s
    ratio = floor_mbps / mbps_worker
    alone_mbps = process_file_rate(texts)
    report["text"] = {
        "files": summary.files,
        "mb": round(size / 1e6, 3),
        "seconds": round(summary.seconds, 2),
        "letters_per_s": round(summary.letters_per_s, 1),
        "mb_per_s": round(summary.mb_per_s, 4),
        "mb_per_s_per_worker": round(mbps_worker, 4),
        "letters_per_s_per_worker": round(summary.letters_per_s / summary.workers, 1),
        "floor_mb_per_s": round(floor_mbps, 2),
        "floor_ratio": round(ratio, 1),
        "worker_peak_rss_mb": round(summary.worker_peak_rss_mb, 1),
        "process_file_alone_mb_per_s": round(alone_mbps, 4),
        "kept_per_worker": round(mbps_worker / alone_mbps, 3),
    }
    table.append(
        (
            "process_file alone, 1 core, the same letters",
            f"{alone_mbps:.3f} MB/s",
            f"per worker, ingest keeps {mbps_worker / alone_mbps:.0%} of it",
            "-",
        )
    )
    table.append(
        (
            f"text letters, {summary.files} files, {summary.workers} workers",
            f"{summary.letters_per_s:.1f} letters/s, {mbps_worker:.3f} MB/s/worker",
            f"floor {floor_mbps:.1f} MB/s (x{ratio:.0f}); target >= 1 MB/s/worker, <= x10",
            _verdict(
                mbps_worker >= TARGETS["text_mb_per_s_per_worker"]
                and ratio <= TARGETS["text_floor_ratio"]
            ),
        )
    )
    rss = summary.worker_peak_rss_mb
    table.append(
        (
            f"worker RSS, text letters, {summary.workers} workers",
            f"{rss:.0f} MB peak",
            "target <= 80 MB",
            _verdict(rss <= TARGETS["worker_rss_text_mb"]),
        )
    )
    if mbps_worker < TARGETS["text_mb_per_s_per_worker"] or ratio > TARGETS["text_floor_ratio"]:
        report["text"]["profile"] = profile(lambda: [process_file(f) for f in texts])
        print_profile(f"the {len(texts)} dev text letters, once each", report["text"]["profile"])


def _speedup(
    texts: list[Path], tmp: Path, n_speedup: int, report: dict[str, Any], table: Table
) -> None:
    # --- speed-up 1 -> 2 workers, and Dask --------------------------------------------
    part = tmp / "part"
    floor_s, size = floor_text(replicate(texts, part, n_speedup))
    floor_mbps = size / 1e6 / floor_s
    # Alternated, the best of two each: a busy machine slows one run, not the ratio.
    one, _ = run_ingest(part, tmp / "out-1", workers=1)
    two, _ = run_ingest(part, tmp / "out-2", workers=2)
    one_b, _ = run_ingest(part, tmp / "out-1", workers=1)
    two_b, _ = run_ingest(part, tmp / "out-2", workers=2)
    one = min(one, one_b, key=lambda s: s.seconds)
    two = min(two, two_b, key=lambda s: s.seconds)
    speedup = one.seconds / two.seconds
    report["speedup"] = {
        "files": one.files,
        "seconds_1_worker": round(one.seconds, 2),
        "seconds_2_workers": round(two.seconds, 2),
        "speedup": round(speedup, 2),
        "floor_mb_per_s": round(floor_mbps, 2),
    }
    for run in (one, two):
        per_worker = run.mb_per_s / run.workers
        report["speedup"][f"mb_per_s_per_worker_{run.workers}"] = round(per_worker, 4)
        report["speedup"][f"floor_ratio_{run.workers}"] = round(floor_mbps / per_worker, 1)
        table.append(
            (
                f"text letters, {run.files} files, {run.workers} worker(s)",
                f"{per_worker:.3f} MB/s/worker",
                f"floor {floor_mbps:.1f} MB/s (x{floor_mbps / per_worker:.0f}); target >= 1, <= x10",
                _verdict(
                    per_worker >= TARGETS["text_mb_per_s_per_worker"]
                    and floor_mbps / per_worker <= TARGETS["text_floor_ratio"]
                ),
            )
        )
    table.append(
        (
            f"speed-up 1 -> 2 workers, {one.files} text files",
            f"x{speedup:.2f} ({one.seconds:.1f} s -> {two.seconds:.1f} s)",
            "target >= x1.8",
            _verdict(speedup >= TARGETS["speedup_2_workers"]),
        )
    )
    try:
        dask, _ = run_ingest(part, tmp / "out-dask", workers=2, engine="dask")
        report["dask"] = {
            "files": dask.files,
            "seconds": round(dask.seconds, 2),
            "letters_per_s": round(dask.letters_per_s, 1),
        }
        table.append(
            (
                f"Dask LocalCluster, 2 workers, {dask.files} text files",
                f"{dask.letters_per_s:.1f} letters/s ({dask.seconds:.1f} s)",
                f"local pool {two.letters_per_s:.1f} letters/s",
                "-",
            )
        )
    except ImportError:
        report["dask"] = "distributed is not installed"


def _rss(
    texts: list[Path],
    tmp: Path,
    rss_sizes: tuple[int, int],
    workers: int,
    report: dict[str, Any],
    table: Table,
) -> None:
    # --- peak RSS per worker ----------------------------------------------------------
    short = [t for t in texts if t.stat().st_size < SHORT_BYTES]
    rss = {}
    for n in rss_sizes:
        folder = tmp / f"rss-{n}"
        replicate(short, folder, n)
        run, _ = run_ingest(folder, tmp / f"out-rss-{n}", workers=workers)
        rss[n] = run.worker_peak_rss_mb
        shutil.rmtree(folder)
        report[f"rss_{n}"] = {
            "files": run.files,
            "seconds": round(run.seconds, 2),
            "letters_per_s": round(run.letters_per_s, 1),
            "worker_peak_rss_mb": round(run.worker_peak_rss_mb, 1),
        }
    small, big = rss_sizes
    growth = rss[big] / rss[small]
    table.append(
        (
            f"peak RSS per worker, {small} / {big} files",
            f"{rss[small]:.0f} MB / {rss[big]:.0f} MB (x{growth:.2f})",
            "target <= 400 MB, flat (<= x1.10)",
            _verdict(
                max(rss.values()) <= TARGETS["peak_rss_mb"] and growth <= TARGETS["rss_growth"]
            ),
        )
    )


def _growth(
    texts: list[Path], tmp: Path, quick: bool, budget: float, report: dict[str, Any], table: Table
) -> None:
    sizes = GROWTH_KB[:3] if quick else GROWTH_KB
    rows = growth(texts, tmp / "growth", sizes, budget)
    report["growth"] = rows
    for shape, by_size in rows.items():
        done = {kb: r for kb, r in by_size.items() if "seconds" in r}
        figures = ", ".join(f"{kb} KB {r['ms_per_kb']:.2f}" for kb, r in done.items())
        skipped = [kb for kb, r in by_size.items() if "skipped" in r]
        note = f"; {', '.join(skipped)} KB not run (budget)" if skipped else ""
        table.append((f"growth, {shape}", f"ms/KB: {figures}", f"linear: flat{note}", "-"))
    at = "1000" if not quick else str(sizes[-1])
    long, many = rows["one long item"].get(at, {}), rows["many items"].get(at, {})
    if "ms_per_kb" in long and "ms_per_kb" in many:
        ratio = long["ms_per_kb"] / many["ms_per_kb"]
        report["growth"]["long_item_ratio"] = round(ratio, 2)
        table.append(
            (
                f"one long item / many items, per KB, at {at} KB",
                f"x{ratio:.2f}",
                "target <= x1.5",
                _verdict(ratio <= TARGETS["long_item_per_kb_ratio"]),
            )
        )
    else:
        table.append(
            (f"one long item at {at} KB", "not run (over the budget)", "target <= x1.5", "MISSED")
        )


def _redact(texts: list[Path], report: dict[str, Any], table: Table) -> None:
    plain, masked = redact_overhead(texts)
    overhead = masked / plain - 1
    report["redact"] = {
        "seconds": round(plain, 3),
        "redact_seconds": round(masked, 3),
        "overhead": round(overhead, 3),
    }
    table.append(
        (
            f"--redact, process_file over {len(texts)} dev text letters",
            f"+{overhead:.0%} ({plain:.2f} -> {masked:.2f} CPU s)",
            "target <= +10%",
            _verdict(overhead <= TARGETS["redact_overhead"]),
        )
    )


def _fixed(texts: list[Path], tmp: Path, report: dict[str, Any], table: Table) -> None:
    short = min(texts, key=lambda f: f.stat().st_size)
    cost = fixed_cost(short, tmp)
    report["fixed"] = cost
    table.append(
        (
            "fixed cost: vanban ingest of one short letter",
            f"{cost['fixed_s']:.2f} s wall (first run into a new OUT "
            f"{cost['fixed_first_run_s']:.2f}, --force rerun {cost['fixed_rerun_s']:.2f}), "
            f"{cost['whole_command_cpu_s']:.2f} CPU s in the "
            f"main process (Python itself {cost['python_start_s']:.2f} s)",
            f"imports (CPU): main {cost['main_import_s']:.2f} s, worker "
            f"{cost['worker_import_s']:.2f} s (the server's preload "
            f"{cost['server_preload_s']:.2f} s); target <= 0.5 s",
            _verdict(cost["fixed_s"] <= TARGETS["fixed_cost_s"]),
        )
    )


def _pdf(tmp: Path, pdf_copies: int, workers: int, report: dict[str, Any], table: Table) -> None:
    # --- digital PDFs -----------------------------------------------------------------
    pdfs = replicate([DEV / "pdf" / n for n in TEXT_PDFS], tmp / "pdf", pdf_copies * 2)
    summary, _ = run_ingest(tmp / "pdf", tmp / "out-pdf", workers=workers)
    assert summary.ocr_pages == 0 and summary.needs_ocr == 0, "a 'digital' PDF needed OCR"
    pps_worker = summary.pages / summary.seconds / summary.workers
    bare_s, bare_pages = floor_pypdfium2(pdfs)
    bare_pps = bare_pages / bare_s
    plumber = floor_pdfplumber(pdfs)
    ratio = bare_pps / pps_worker
    report["pdf"] = {
        "files": summary.files,
        "pages": summary.pages,
        "seconds": round(summary.seconds, 2),
        "pages_per_s": round(summary.pages / summary.seconds, 2),
        "pages_per_s_per_worker": round(pps_worker, 2),
        "pypdfium2_pages_per_s": round(bare_pps, 1),
        "pypdfium2_ratio": round(ratio, 1),
        "pdfplumber_pages_per_s": round(plumber[1] / plumber[0], 2) if plumber else None,
        "pdfplumber_note": None
        if plumber
        else "pdfplumber is not installed (pip install pdfplumber into the venv)",
    }
    plumber_txt = (
        f"pdfplumber {plumber[1] / plumber[0]:.1f} p/s" if plumber else "pdfplumber: not installed"
    )
    table.append(
        (
            f"digital PDFs, {summary.pages} pages, {summary.workers} workers",
            f"{pps_worker:.2f} pages/s/worker",
            f"pypdfium2 {bare_pps:.0f} p/s (x{ratio:.0f}), {plumber_txt}; target <= x3",
            _verdict(ratio <= TARGETS["pdf_pypdfium2_ratio"]),
        )
    )
    split = pdf_split([DEV / "pdf" / n for n in TEXT_PDFS])
    report["pdf"]["cpu_ms_per_page"] = {k: round(v, 2) for k, v in split.items()}
    table.append(
        (
            "  the same pages, one process, CPU",
            f"load_pdf {split['load_pdf_ms']:.1f} ms/page, record {split['process_file_ms']:.1f}",
            f"pypdfium2 {split['bare_ms']:.1f} ms/page (load_pdf x"
            f"{split['load_pdf_ms'] / split['bare_ms']:.1f}, record x"
            f"{split['process_file_ms'] / split['bare_ms']:.1f})",
            "-",
        )
    )
    if ratio > TARGETS["pdf_pypdfium2_ratio"]:
        one_pdf = DEV / "pdf" / TEXT_PDFS[0]
        report["pdf"]["profile"] = profile(lambda: process_file(one_pdf))
        print_profile(f"{one_pdf.name} (12 pages)", report["pdf"]["profile"])


def _scans(tmp: Path, report: dict[str, Any], table: Table) -> None:
    # --- scans --------------------------------------------------------------------------
    from vanban.pipeline.ocr import tesseract_problem
    from vanban.pipeline.ocr_engine import engine

    problem = tesseract_problem()
    if problem:
        report["scans"] = {"skipped": problem}
        table.append(("scans", "skipped", problem[:60], "-"))
    else:
        scan_dir = tmp / "scans"
        scan_dir.mkdir()
        scans = [scan_dir / n for n in SCANS]
        for scan in scans:
            shutil.copyfile(DEV / "pdf" / scan.name, scan)
        pages, per_page, bare_per_page, bare_cpu, bare_pages = scan_wall(
            scan_dir, scans, tmp / "out-scans"
        )
        ratio = per_page / bare_per_page
        # CPU, steady (the model loaded): what a busy machine blurs in the wall times.
        split = {k: v / bare_pages for k, v in scan_cpu(scans).items()}
        record_cpu = split.pop("record")
        report["scans"] = {
            "pages": pages,
            "seconds_per_page": round(per_page, 2),
            "tesseract_seconds_per_page": round(bare_per_page, 2),
            "ratio": round(ratio, 2),
            "engine": engine(),
            "cpu_s_per_page": {"record": round(record_cpu, 3), "tesseract": round(bare_cpu, 3)},
            "record_cpu_split_s_per_page": {k: round(v, 3) for k, v in split.items()},
        }
        table.append(
            (
                f"scans, {pages} pages, 1 worker",
                f"{per_page:.2f} s/page",
                f"bare Tesseract {bare_per_page:.2f} s/page (x{ratio:.2f}); target <= x1.2",
                _verdict(ratio <= TARGETS["scan_tesseract_ratio"]),
            )
        )
        table.append(
            (
                "  the same pages, one process, CPU",
                f"record {record_cpu:.2f} s/page",
                f"bare Tesseract {bare_cpu:.2f} s/page (x{record_cpu / bare_cpu:.2f})",
                "-",
            )
        )
        # Where the record's CPU goes: the first reading is bare Tesseract's own
        # work; the re-reads are what the layout adds (see vanban.pipeline.ocr).
        table.append(
            (
                "  the record's CPU, split",
                f"first reading {split['first_reading']:.2f} s/page",
                f"re-reads {split['re_reads']:.2f}, the rest {split['rest']:.2f} s/page "
                f"(first reading x{split['first_reading'] / bare_cpu:.2f} bare)",
                "-",
            )
        )
        _scans_of_the_ocr_corpus(tmp, report, table)
        if ratio > TARGETS["scan_tesseract_ratio"]:
            report["scans"]["profile"] = profile(lambda: process_file(scans[0]), top=8)
            print_profile(f"{scans[0].name} (1 page)", report["scans"]["profile"])


def _scans_of_the_ocr_corpus(tmp: Path, report: dict[str, Any], table: Table) -> None:
    """The issue's own measure: the scanned pages of `data/corpus/ocr` (whose true text gives
    `make bench-ocr` its CER), where a worker's first-use costs (model, post-correction tables)
    spread over nine pages rather than two."""
    pdfs = sorted((ROOT / "data" / "corpus" / "ocr" / "pdf").glob("*.pdf"))
    if not pdfs:
        table.append(
            ("scans of corpus/ocr", "skipped", "no data/corpus/ocr (make sync-corpus)", "-")
        )
        return
    scan_dir = tmp / "scans-ocr-corpus"
    scan_dir.mkdir()
    for pdf in pdfs:
        shutil.copyfile(pdf, scan_dir / pdf.name)
    scans = sorted(scan_dir.glob("*.pdf"))
    pages, per_page, bare_per_page, _cpu, _n = scan_wall(scan_dir, scans, tmp / "out-scans-ocr")
    ratio = per_page / bare_per_page
    report["scans"]["ocr_corpus"] = {
        "pages": pages,
        "seconds_per_page": round(per_page, 2),
        "tesseract_seconds_per_page": round(bare_per_page, 2),
        "ratio": round(ratio, 2),
    }
    table.append(
        (
            f"scans of corpus/ocr, {pages} pages, 1 worker",
            f"{per_page:.2f} s/page",
            f"bare Tesseract {bare_per_page:.2f} s/page (x{ratio:.2f}); target <= x1.2",
            _verdict(ratio <= TARGETS["scan_tesseract_ratio"]),
        )
    )


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def _print_table(rows: list[tuple[str, str, str, str]]) -> None:
    header = ("benchmark", "vanban", "floor / target", "")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    for r in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


if __name__ == "__main__":
    sys.exit(main())
