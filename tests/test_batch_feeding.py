"""Issue 16: two workers kept busy to the end, and little work per file in the main process.

The batches shrink toward the end of a run and the small last ones are all
handed out, so that no worker idles while the other finishes a big batch; the
main process writes lines without scanning them character by character and
marks a copy without reading its primary's line back.
"""

from __future__ import annotations

import json
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from vanban.pipeline import batch as batch_module
from vanban.pipeline import outputs as outputs_module
from vanban.pipeline.batch import ingest
from vanban.pipeline.outputs import jsonl_bytes
from vanban.pipeline.runner import BatchOutput, FileResult, Options, batches_of, run_ordered

LETTER = (
    "BỘ NỘI VỤ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Số: 12/BNV-VP\nHà Nội, ngày 5 tháng 6 năm 2024\nCÔNG VĂN\n"
    "V/v rà soát\nKính gửi: Bộ Tài chính\n"
    "Bộ Tài chính chủ trì rà soát và báo cáo trước ngày 30/6/2024.\n"
)


def _in_folder(tmp_path: Path, letters: dict[str, str]) -> Path:
    """A folder `in` holding each letter under its name."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in letters.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _documents(out: Path) -> dict[str, dict[str, Any]]:
    """The records of documents.jsonl by their file's name."""
    lines = (out / "documents.jsonl").read_text("utf-8").splitlines()
    return {Path(d["source"]["path"]).name: d for d in map(json.loads, lines)}


def test_batches_shrink_to_single_files_at_the_end_of_a_run() -> None:
    files = [(f"f{i}", 10) for i in range(100)]
    batches = list(batches_of(files, 8, 10_000, total=100, workers=2))
    assert [p for b in batches for p in b] == [p for p, _ in files]
    sizes = [len(b) for b in batches]
    assert sizes[0] == 8 and sizes == sorted(sizes, reverse=True)
    assert sizes[-3:] == [1, 1, 1]


def test_batches_without_a_total_keep_their_size() -> None:
    files = [(f"f{i}", 10) for i in range(20)]
    assert [len(b) for b in batches_of(files, 8, 10_000)] == [8, 8, 4]


def test_batches_past_a_total_that_was_too_small_take_their_full_size() -> None:
    # The files to do are counted before they are listed: a file added in between
    # makes more than the total said, and those batches are no smaller for it.
    files = [(f"f{i}", 10) for i in range(20)]
    sizes = [len(b) for b in batches_of(files, 8, 10_000, total=4, workers=1)]
    assert sizes == [2, 1, 1, 8, 8]


class _DoneAtOnce:
    """An engine whose batches are finished as soon as they are submitted."""

    name = "test"
    workers = 2
    generation = 0

    def __init__(self) -> None:
        self.submitted: list[list[str]] = []

    def submit(self, paths: list[str], options: Options) -> Future[BatchOutput]:
        self.submitted.append(paths)
        fut: Future[BatchOutput] = Future()
        fut.set_result(BatchOutput([]))
        return fut

    def lost(self, exc: BaseException, generation: int) -> str | None:
        return None

    def isolate(self, paths: list[str], options: Options, stop: Any) -> list[Any]:
        return []

    def close(self) -> None:
        pass

    def abort(self) -> None:
        pass


def test_small_batches_are_handed_out_past_the_batch_count_while_they_hold_few_files() -> None:
    engine = _DoneAtOnce()
    batches = iter([["a"], ["b"], ["c"], ["d", "e", "f"], ["g"]])
    run = run_ordered(engine, batches, Options(), ahead=2, ahead_files=4, stop=lambda: False)
    next(run)
    assert engine.submitted == [["a"], ["b"], ["c"], ["d", "e", "f"]]
    assert len(list(run)) == 4


def test_no_more_than_three_times_the_batches_are_handed_out_however_small() -> None:
    engine = _DoneAtOnce()
    batches = iter([[f"f{i}"] for i in range(10)])
    run = run_ordered(engine, batches, Options(), ahead=2, ahead_files=100, stop=lambda: False)
    next(run)
    assert len(engine.submitted) == 6


class _LostAtOnce(_DoneAtOnce):
    """An engine whose workers die under every batch; a file run alone is read."""

    def submit(self, paths: list[str], options: Options) -> Future[BatchOutput]:
        self.submitted.append(paths)
        fut: Future[BatchOutput] = Future()
        fut.set_exception(RuntimeError("worker lost"))
        return fut

    def isolate(self, paths: list[str], options: Options, stop: Any) -> list[Any]:
        return [FileResult(path, 0, 0, None) for path in paths]


def test_batches_run_again_after_a_lost_worker_leave_room_for_the_next() -> None:
    engine = _LostAtOnce()
    batches = iter([[f"f{i}"] for i in range(8)])
    run = run_ordered(engine, batches, Options(), ahead=1, ahead_files=2, stop=lambda: False)
    for _ in range(3):
        next(run)
    # Two single files in flight each time: the files of a batch run again alone no
    # longer count against the room (each output leaves room for the next batch).
    assert len(engine.submitted) == 4
    outputs = list(run)
    assert len(outputs) == 5 and all(o.retried == 1 for o in outputs)
    assert [r.path for o in outputs for r in o.results] == [f"f{i}" for i in range(3, 8)]


def test_lines_are_written_with_unicode_line_breaks_escaped_and_other_text_as_is() -> None:
    plain = json.dumps({"t": "Điều 1 – «rà soát»\u00a0ngay…"}, ensure_ascii=False)
    unsafe = json.dumps({"t": "a\u2028b\u2029c\x85d\x9fe"}, ensure_ascii=False)
    data = jsonl_bytes([plain, unsafe])
    first, second = data.decode("utf-8").split("\n")[:2]
    assert first == plain
    assert second == '{"t": "a\\u2028b\\u2029c\\u0085d\\u009fe"}'
    assert json.loads(second) == json.loads(unsafe)
    assert len(data.decode("utf-8").splitlines()) == 2  # no splitter cuts a record


def test_a_copy_no_better_than_its_primary_is_marked_without_reading_the_primary_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _in_folder(tmp_path, dict.fromkeys(("a.txt", "b.txt", "c.txt"), LETTER))

    def never(*_: object) -> str:
        raise AssertionError("the primary's line was read back")

    monkeypatch.setattr(batch_module, "_read_document_line", never)
    summary = ingest(folder, tmp_path / "out", workers=1)
    marks = {name: d["duplicate_of"] for name, d in _documents(tmp_path / "out").items()}
    assert marks["a.txt"] is None
    assert Path(marks["b.txt"]).name == Path(marks["c.txt"]).name == "a.txt"
    assert summary.duplicates == 2


def test_a_worse_copy_after_its_primary_is_marked_without_reading_the_primary_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # b_scan.txt is recorded as read by OCR.
    folder = _in_folder(tmp_path, {"a.txt": LETTER, "b_scan.txt": LETTER})

    def never(*_: object) -> str:
        raise AssertionError("the primary's line was read back")

    monkeypatch.setattr(batch_module, "_read_document_line", never)
    ingest(
        folder,
        tmp_path / "out",
        workers=1,
        processor="tests.test_one_letter_once:as_scan_when_named_so",
    )
    marks = _documents(tmp_path / "out")
    assert marks["b_scan.txt"]["source"]["ocr"] is True
    assert Path(marks["b_scan.txt"]["duplicate_of"]).name == "a.txt"
    assert marks["a.txt"]["duplicate_of"] is None


def test_a_copy_whose_primary_rank_was_forgotten_reads_the_primary_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The ranks kept are bounded (the main process's memory stays flat): past the
    # bound a copy is ranked as before, by the primary's line read back.
    other = LETTER.replace("12/BNV-VP", "13/BNV-VP")
    folder = _in_folder(tmp_path, {"a.txt": LETTER, "b.txt": other, "c.txt": LETTER})
    read_back = batch_module._read_document_line
    calls: list[str] = []

    def counted(outputs: Any, entry: Any) -> str | None:
        calls.append(entry.path)
        return read_back(outputs, entry)

    monkeypatch.setattr(batch_module, "_read_document_line", counted)
    monkeypatch.setattr(outputs_module, "RANKS_KEPT", 1)
    summary = ingest(folder, tmp_path / "out", workers=1)
    marks = {name: d["duplicate_of"] for name, d in _documents(tmp_path / "out").items()}
    assert marks["a.txt"] is None and marks["b.txt"] is None
    assert Path(marks["c.txt"]).name == "a.txt"
    assert [Path(p).name for p in calls] == ["a.txt"] and summary.duplicates == 1
