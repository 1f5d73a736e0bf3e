"""Instructions a page of bare pypdfium2, `load_pdf` and the whole record on the dev
PDFs with a text layer, counted by valgrind (cachegrind, no cache simulation).

    python benchmarks/bench_pdf_instructions.py [--runs 3]

A busy machine blurs CPU times by more than a loader change saves; an instruction
count does not move with the load. Each figure is the count of a process that does
the work `--runs` + 1 times less that of one doing it once (imports and first-call
costs cancel), divided by the pages; the ratios are to bare pypdfium2, as in
`bench_ingest.py`'s PDF rows. About a minute a figure (valgrind runs ~50x slower).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILES = [ROOT / "data" / "corpus" / "dev" / "pdf" / n for n in ("hanoi_kh_173_festival.pdf", "hanoi_tb_453_flag.pdf")]  # fmt: skip
KINDS = ("bare", "load_pdf", "record")


def work(kind: str, times: int) -> None:
    """In the process valgrind watches: the work once to warm up, then `times` more."""
    sys.path.insert(0, str(ROOT))
    import pypdfium2 as pdfium

    from vanban.pipeline.batch import process_file
    from vanban.pipeline.load_pdf import load_pdf

    def bare() -> None:
        for f in FILES:
            doc = pdfium.PdfDocument(f)
            for page in doc:
                page.get_textpage().get_text_range()
            doc.close()

    one = {
        "bare": bare,
        "load_pdf": lambda: [load_pdf(f) for f in FILES],
        "record": lambda: [process_file(f) for f in FILES],
    }[kind]
    for _ in range(times + 1):
        one()


def count(valgrind: str, kind: str, times: int) -> int:
    cmd = [valgrind, "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    cmd += [sys.executable, __file__, "--work", kind, str(times)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    m = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if m is None:
        raise SystemExit(f"valgrind printed no instruction count:\n{done.stderr[-2000:]}")
    return int(m.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.work:
        work(args.work[0], int(args.work[1]))
        return
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise SystemExit("valgrind is not installed: apt-get install valgrind")
    import pypdfium2 as pdfium

    pages = 0
    for f in FILES:
        doc = pdfium.PdfDocument(f)
        pages += len(doc)
        doc.close()
    per_page = {}
    for kind in KINDS:
        extra = count(valgrind, kind, args.runs) - count(valgrind, kind, 0)
        per_page[kind] = extra / args.runs / pages
    for kind in KINDS:
        ratio = per_page[kind] / per_page["bare"]
        print(f"{kind:9s} {per_page[kind] / 1e6:7.1f} M instructions/page  x{ratio:.2f}")


if __name__ == "__main__":
    main()
