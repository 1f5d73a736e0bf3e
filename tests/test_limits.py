"""Per-file limits and dead workers: a file that hangs, eats memory or has its
worker killed ends in an error record that says so, and the batch completes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.hostile import LETTER, pdf_bytes
from vanban.pipeline.batch import ingest, process_file
from vanban.pipeline.limits import Limits, check_pages, check_size, death_record
from vanban.schemas import Document, ErrorRecord, LimitExceeded

ROOT = Path(__file__).resolve().parent.parent
SCAN = ROOT / "data" / "corpus" / "ocr" / "pdf" / "real_qd_707_ttg.pdf"
VANBAN = Path(sys.executable).with_name("vanban")


def stubborn_process_file(path: Path, **options: Any) -> Document | ErrorRecord:
    """`process_file`, except for files named after the trouble they make."""
    if "python_loop" in path.name:
        while True:
            pass
    if "stuck_in_c" in path.name:
        # A library stuck in C code never returns to Python, where the alarm
        # would be handled: blocking the signal has the same effect.
        signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])
        time.sleep(120)
    if "memory" in path.name:
        hog = []
        for _ in range(256):  # up to 16 GB, 64 MB at a time
            hog.append(bytearray(64 << 20))
    return process_file(path, **options)


def _letters(folder: Path, n: int) -> list[Path]:
    text = LETTER.read_text(encoding="utf-8")
    made = []
    for i in range(n):
        path = folder / f"letter_{i:02d}.txt"
        path.write_text(text.replace("8794", str(8000 + i)), encoding="utf-8")
        made.append(path)
    return made


def _lines(out: Path, name: str) -> list[dict[str, Any]]:
    path = out / name
    return (
        [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
        if path.exists()
        else []
    )


@pytest.mark.parametrize(
    ("name", "code", "says"),
    [
        ("python_loop.txt", "timeout", "--timeout"),
        ("stuck_in_c.txt", "timeout", "--timeout"),
        ("memory_hog.txt", "too_large", "--max-memory-mb"),
    ],
)
def test_a_file_past_a_limit_gets_an_error_record_and_the_others_are_read(
    tmp_path: Path, name: str, code: str, says: str
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    made = _letters(folder, 5)
    (folder / name).write_text(LETTER.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    start = time.monotonic()
    summary = ingest(
        folder,
        out,
        workers=2,
        batch_size=2,
        processor="tests.test_limits:stubborn_process_file",
        limits=Limits(timeout=1.0, max_memory_mb=300),
    )
    took = time.monotonic() - start
    errors = _lines(out, "errors.jsonl")
    assert [(Path(e["source"]["path"]).name, e["error"]) for e in errors] == [(name, code)]
    assert says in errors[0]["message"]
    assert summary.documents == len(made)
    # The alarm stops Python at once; the watchdog ends a worker stuck in C
    # at 1.25 x the limit + 2 s: neither waits for the 120 s sleep.
    assert took < 60


def test_a_worker_killed_in_the_middle_of_a_file_gives_it_an_error_record_and_the_batch_completes(
    tmp_path: Path,
) -> None:
    """The real CLI on a scan (OCR takes seconds) and letters; the worker
    reading the scan is killed with SIGKILL while it reads it."""
    folder = tmp_path / "in"
    folder.mkdir()
    made = _letters(folder, 8)
    shutil.copy(SCAN, folder / "quyet_dinh_scan.pdf")
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [str(VANBAN), "ingest", str(folder), "--out", str(out), "--quiet", "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    killed = None
    deadline = time.monotonic() + 120
    notes = out / ".tmp" / "workers"
    while killed is None and time.monotonic() < deadline and proc.poll() is None:
        for note in notes.glob("*") if notes.is_dir() else []:
            try:
                reading = note.read_text(encoding="utf-8")
            except OSError:
                continue
            if reading.endswith("quyet_dinh_scan.pdf"):
                time.sleep(0.5)  # well inside the file: OCR has started
                os.kill(int(note.name), signal.SIGKILL)
                killed = int(note.name)
                break
        time.sleep(0.05)
    _, stderr = proc.communicate(timeout=300)
    assert killed is not None, "the scan was never seen being read"
    # The batch completed; one file ended as an error record: exit status 1.
    assert proc.returncode == 1, stderr[-2000:]
    errors = _lines(out, "errors.jsonl")
    assert [(Path(e["source"]["path"]).name, e["error"]) for e in errors] == [
        ("quyet_dinh_scan.pdf", "worker_crashed")
    ]
    assert "killed (SIGKILL)" in errors[0]["message"]
    assert "Run the same command again" in errors[0]["message"]
    docs = _lines(out, "documents.jsonl")
    assert sorted(Path(d["source"]["path"]).name for d in docs) == [p.name for p in made]
    assert not (out / ".tmp").exists()
    # The file itself was fine: the next run retries it, and reads it.
    again = subprocess.run(
        [str(VANBAN), "ingest", str(folder), "--out", str(out), "--quiet"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr[-2000:]
    assert _lines(out, "errors.jsonl") == []
    names = sorted(Path(d["source"]["path"]).name for d in _lines(out, "documents.jsonl"))
    assert names == sorted([p.name for p in made] + ["quyet_dinh_scan.pdf"])


@pytest.mark.parametrize(
    ("size", "limits", "passes"),
    [
        (100_000_000, Limits(max_size_mb=100), True),
        (100_000_001, Limits(max_size_mb=100), False),
        (10**12, Limits(max_size_mb=None), True),
    ],
)
def test_size_limit_is_inclusive_and_can_be_switched_off(
    size: int, limits: Limits, passes: bool
) -> None:
    if passes:
        check_size(size, limits)
    else:
        with pytest.raises(LimitExceeded) as caught:
            check_size(size, limits)
        assert caught.value.code == "too_large"


def test_page_limit_stops_a_pdf_before_its_pages_are_read(tmp_path: Path) -> None:
    path = tmp_path / "so_cong_van.pdf"
    path.write_bytes(pdf_bytes(40))
    assert isinstance(process_file(path, limits=Limits(max_pages=40)), Document)
    rec = process_file(path, limits=Limits(max_pages=39))
    assert isinstance(rec, ErrorRecord) and rec.error == "too_large"
    assert "40 pages" in rec.message and "--max-pages" in rec.message
    with pytest.raises(LimitExceeded):
        check_pages(40, Limits(max_pages=39))


@pytest.mark.parametrize(
    ("exitcode", "code", "says"),
    [
        (124, "timeout", "--timeout"),
        (-signal.SIGKILL, "worker_crashed", "killed (SIGKILL)"),
        (-signal.SIGSEGV, "worker_crashed", "SIGSEGV"),
        (-signal.SIGABRT, "worker_crashed", "--max-memory-mb"),
        (1, "worker_crashed", "exit status 1"),
    ],
)
def test_a_dead_workers_exit_status_says_why_its_file_failed(
    exitcode: int, code: str, says: str
) -> None:
    got_code, message = death_record(exitcode, Limits())
    assert (got_code, says in message) == (code, True), message


def test_a_page_metres_wide_is_rendered_for_ocr_within_a_pixel_budget(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    from vanban.pipeline.ocr import MAX_PAGE_PIXELS, _render

    path = tmp_path / "giant.pdf"
    path.write_bytes(pdf_bytes(text="", box=(14400, 14400)))  # 200 inches square
    image = _render(pdfium.PdfDocument(path), 0)
    assert MAX_PAGE_PIXELS * 0.9 < image.width * image.height <= MAX_PAGE_PIXELS
    path.write_bytes(pdf_bytes(text=""))  # A4 keeps its 300 dpi
    assert _render(pdfium.PdfDocument(path), 0).size == (2480, 3509)
