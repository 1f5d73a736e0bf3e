"""What checking the outputs costs when a run opens them, on a large synthetic OUT.

    python benchmarks/bench_outputs.py [--letters 100000] [--out out/bench/outputs.json]

An OUT of `--letters` records (a ~3 KB document and two task rows each) is
written through the manifest and `Outputs`, as a run writes it, then opened:

- unchanged since the last commit: the resume of every run; only the last
  record is read (target: well under a second whatever the size);
- in doubt (the same bytes, the times moved: what a kill -9 leaves): every
  committed line is checked against its hash;
- compaction after one letter changed (every line copied is verified);
- a line added at the end, then one in the middle, by another program: the
  output is kept aside and rebuilt (in the middle, every line after it moved
  and is found again by its hash).

The times are wall-clock; other work on the machine slows everything: the
load average is reported.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vanban.pipeline.manifest import DOCS, ERRORS, TASKS, Entry, Manifest  # noqa: E402
from vanban.pipeline.outputs import Outputs  # noqa: E402

UNCHANGED_TARGET_S = 0.5
FOREIGN = b'{"note": "added by another program"}\n'


def build(out: Path, letters: int) -> None:
    (out / ".tmp").mkdir(parents=True)
    manifest = Manifest(out / "manifest", out / ".tmp" / "manifest.work")
    outputs = Outputs(out, manifest)
    text = "Bộ Tài chính chủ trì rà soát và báo cáo trước ngày 30/6/2024. " * 45
    manifest.begin()
    for i in range(letters):
        path, doc_id = f"/in/{i:07d}.txt", f"{i:016x}"
        doc = json.dumps({"doc_id": doc_id, "source": {"path": path}, "text": text})
        tasks = [
            json.dumps({"task_id": f"{doc_id}-{j}", "source_path": path, "text": text[:300]})
            for j in range(2)
        ]
        spans = (
            outputs.write(DOCS, [doc]),
            outputs.write(TASKS, tasks),
            outputs.write(ERRORS, []),
        )
        manifest.put(
            Entry(
                path=path,
                sha256=None,
                size=0,
                mtime_ns=0,
                outcome="document",
                error=None,
                doc_id=doc_id,
                record_ids=[doc_id, f"{doc_id}-0", f"{doc_id}-1"],
                duplicate_of=None,
                needs_ocr=False,
                spans=spans,
            )
        )
        if i % 10_000 == 9_999:
            outputs.checkpoint()
            manifest.commit()
            manifest.begin()
    outputs.checkpoint()
    manifest.commit()
    outputs.close()
    manifest.close()


def timed_open(out: Path) -> tuple[float, str]:
    manifest = Manifest(out / "manifest", out / ".tmp" / "manifest.work")
    t0 = time.perf_counter()
    outputs = Outputs(out, manifest)
    seconds = time.perf_counter() - t0
    what = "rebuilt" if outputs.rebuilt is not None else "as the run left them"
    outputs.close()
    manifest.close()
    return seconds, what


def timed_compaction(out: Path, letters: int) -> float:
    manifest = Manifest(out / "manifest", out / ".tmp" / "manifest.work")
    Outputs(out, manifest).close()
    manifest.start_plan()
    manifest.drop(f"/in/{letters // 2:07d}.txt")
    t0 = time.perf_counter()
    manifest.compact(out)
    seconds = time.perf_counter() - t0
    manifest.close()
    return seconds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--letters", type=int, default=100_000)
    ap.add_argument("--out", type=Path, default=ROOT / "out" / "bench" / "outputs.json")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="vanban-bench-outputs-"))
    out = work / "out"
    try:
        t0 = time.perf_counter()
        build(out, args.letters)
        docs = out / "documents.jsonl"
        result: dict[str, object] = {
            "letters": args.letters,
            "documents_mb": round(docs.stat().st_size / 1e6, 1),
            "build_s": round(time.perf_counter() - t0, 1),
        }
        rows = []

        def measure(label: str, seconds: float, what: str = "") -> None:
            rows.append((label, seconds, what))
            result[label] = round(seconds, 3)

        measure("open_unchanged_s", *timed_open(out))
        os.utime(docs)  # same bytes, times moved
        measure("open_in_doubt_s", *timed_open(out))
        measure("compaction_one_letter_s", timed_compaction(out, args.letters))
        with docs.open("ab") as f:
            f.write(FOREIGN)
        measure("open_line_added_at_end_s", *timed_open(out))
        data = docs.read_bytes()
        cut = data.index(b"\n", len(data) // 3) + 1
        docs.write_bytes(data[:cut] + FOREIGN + data[cut:])
        measure("open_line_added_in_middle_s", *timed_open(out))
        result["load_average"] = os.getloadavg()[0]
        result["unchanged_target_s"] = UNCHANGED_TARGET_S
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"{args.letters:,} letters, documents.jsonl {result['documents_mb']} MB "
        f"(load average {result['load_average']:.1f})"
    )
    for label, seconds, what in rows:
        print(f"  {label:32s} {seconds:8.3f} s  {what}")
    ok = float(result["open_unchanged_s"]) <= UNCHANGED_TARGET_S  # type: ignore[arg-type]
    print(f"  unchanged open within {UNCHANGED_TARGET_S} s: {'yes' if ok else 'NO'}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
