"""One letter once: the same letter in several files is counted once everywhere.

The primary copy is the best source (a text layer or DOCX before OCR), then
the first recorded; tasks.jsonl, the exports (XLSX, SQLite), status and the
review page all count the letter once and say where its other copies are.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.docx_letters import build_letter_docx, letter_from_text
from vanban.pipeline.batch import ingest, process_file
from vanban.pipeline.copies import OCR, TEXT, UNREAD, one_letter_once, source_rank
from vanban.pipeline.export import export, header_label, read_documents
from vanban.pipeline.review import write_review
from vanban.pipeline.status import status_rows
from vanban.schemas import Document, ErrorRecord, Source

LETTER = """ỦY BAN NHÂN DÂN
TỈNH BẮC NINH
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 215/UBND-VP
V/v kiểm tra an toàn thực phẩm dịp lễ hội mùa xuân
Bắc Ninh, ngày 12 tháng 3 năm 2026

Kính gửi:
- Sở Y tế;
- Sở Công Thương.

Ủy ban nhân dân tỉnh có ý kiến như sau:
1. Giao Sở Y tế chủ trì kiểm tra an toàn thực phẩm tại các lễ hội, báo cáo kết quả trước ngày 30 tháng 4 năm 2026.
2. Giao Sở Công Thương chủ trì kiểm tra các chợ đầu mối, hoàn thành trước ngày 15 tháng 4 năm 2026.

Nơi nhận:
- Như trên;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH


Nguyễn Văn An
"""

OTHER = (
    LETTER.replace("215/UBND-VP", "216/UBND-VP")
    .replace("an toàn thực phẩm dịp lễ hội mùa xuân", "phòng cháy chữa cháy")
    .replace("kiểm tra an toàn thực phẩm tại các lễ hội", "kiểm tra phòng cháy tại các chợ")
)


def as_scan_when_named_so(path: Path, **options: Any) -> Document | ErrorRecord:
    """`process_file`, except that a file named `*scan*` is recorded as read by OCR."""
    rec = process_file(path, **options)
    if isinstance(rec, Document) and "scan" in path.name:
        rec = rec.model_copy(update={"source": rec.source.model_copy(update={"ocr": True})})
    return rec


SCAN_PROCESSOR = "tests.test_one_letter_once:as_scan_when_named_so"


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x]


@pytest.fixture(scope="module")
def letters(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The letter as an OCR'd scan (first by name), a DOCX and a text copy; another letter."""
    folder = tmp_path_factory.mktemp("letters")
    (folder / "a_scan.txt").write_text(LETTER, encoding="utf-8")
    build_letter_docx(folder / "b_letter.docx", letter_from_text(LETTER))
    (folder / "c_copy.txt").write_text(LETTER, encoding="utf-8")
    (folder / "d_other.txt").write_text(OTHER, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def run(letters: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    ingest(letters, out, workers=1, processor=SCAN_PROCESSOR)
    return out


def test_the_copies_share_one_letter_id(run: Path) -> None:
    docs = lines(run / "documents.jsonl")
    ids = {Path(d["source"]["path"]).name: d["doc_id"] for d in docs}
    assert ids["a_scan.txt"] == ids["b_letter.docx"] == ids["c_copy.txt"] != ids["d_other.txt"]


def test_the_docx_is_the_primary_copy_over_the_scan_that_sorts_first(run: Path) -> None:
    docs = {Path(d["source"]["path"]).name: d for d in lines(run / "documents.jsonl")}
    primary = str(docs["b_letter.docx"]["source"]["path"])
    assert docs["b_letter.docx"]["duplicate_of"] is None
    assert docs["a_scan.txt"]["duplicate_of"] == primary
    assert docs["c_copy.txt"]["duplicate_of"] == primary  # as good, but recorded later
    assert docs["d_other.txt"]["duplicate_of"] is None


def test_tasks_jsonl_holds_each_letter_once_with_unique_task_ids(run: Path) -> None:
    rows = lines(run / "tasks.jsonl")
    ids = [r["task_id"] for r in rows]
    assert len(ids) == len(set(ids)) == 4
    by_letter = {r["number"]: Path(r["source_path"]).name for r in rows}
    assert by_letter == {"215/UBND-VP": "b_letter.docx", "216/UBND-VP": "d_other.txt"}


def test_read_documents_counts_a_letter_once_and_says_where_its_copies_are(run: Path) -> None:
    docs = read_documents(run)
    assert [d.number for d in docs] == ["215/UBND-VP", "216/UBND-VP"]
    letter = docs[0]
    assert Path(letter.source.path).name == "b_letter.docx"
    assert [Path(p).name for p in letter.copies] == ["a_scan.txt", "c_copy.txt"]
    assert letter.duplicate_of is None
    assert len(read_documents(run, duplicates=True)) == 4


def test_the_xlsx_counts_a_letter_once(run: Path, tmp_path: Path) -> None:
    [path] = export(run, "xlsx", tmp_path)
    book = openpyxl.load_workbook(path, read_only=True)

    def sheet(table: str) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
        rows = list(book[header_label(table)].iter_rows(values_only=True))
        return rows[0], rows[1:]

    head, rows = sheet("documents")
    assert [r[head.index(header_label("number"))] for r in rows] == ["215/UBND-VP", "216/UBND-VP"]
    copies = str(rows[0][head.index(header_label("copies"))])
    assert [Path(p).name for p in copies.split("; ")] == ["a_scan.txt", "c_copy.txt"]
    head, rows = sheet("tasks")
    ids = [r[head.index(header_label("task_id"))] for r in rows]
    assert len(ids) == len(set(ids)) == 4


def test_the_sqlite_export_counts_a_letter_once(run: Path, tmp_path: Path) -> None:
    [path] = export(run, "sqlite", tmp_path)
    db = sqlite3.connect(path)
    try:
        assert db.execute("SELECT COUNT(*) FROM documents").fetchone() == (2,)
        ids = [r[0] for r in db.execute("SELECT task_id FROM tasks")]
        assert len(ids) == len(set(ids)) == 4
        copies = db.execute(
            "SELECT c.source_path FROM copies c JOIN documents d USING (doc_id)"
            " WHERE d.number = '215/UBND-VP' ORDER BY c.source_path"
        ).fetchall()
        assert [Path(p).name for (p,) in copies] == ["a_scan.txt", "c_copy.txt"]
    finally:
        db.close()


def test_status_and_the_review_page_count_a_letter_once(run: Path, tmp_path: Path) -> None:
    rows = status_rows(read_documents(run), date(2026, 4, 1))
    assert len({r.task_id for r in rows}) == len(rows) == 4
    write_review(read_documents(run), tmp_path / "r.html", title="t")
    letters = sorted((tmp_path / "r_files" / "letters").glob("*.js"))
    assert len(letters) == 2  # one file a letter, each letter once
    shown = "".join(p.read_text("utf-8") for p in letters)
    assert 'data-msg=\\"copies\\"' in shown or 'data-msg="copies"' in shown
    assert "a_scan.txt" in shown


def test_a_second_run_changes_nothing(letters: Path, run: Path) -> None:
    before = {n: (run / n).read_bytes() for n in ("documents.jsonl", "tasks.jsonl")}
    again = ingest(letters, run, workers=1, processor=SCAN_PROCESSOR)
    assert (again.files, again.duplicates) == (0, 0)
    assert {n: (run / n).read_bytes() for n in before} == before


def test_a_better_copy_found_in_a_later_run_becomes_the_primary(
    letters: Path, tmp_path: Path
) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    shutil.copy(letters / "a_scan.txt", folder / "a_scan.txt")
    ingest(folder, out, workers=1, processor=SCAN_PROCESSOR)
    assert {Path(r["source_path"]).name for r in lines(out / "tasks.jsonl")} == {"a_scan.txt"}

    shutil.copy(letters / "b_letter.docx", folder / "b_letter.docx")
    second = ingest(folder, out, workers=1, processor=SCAN_PROCESSOR)
    assert second.duplicates == 1  # the scan, now a copy of the DOCX
    assert second.tasks == 2  # the DOCX's rows; the scan's were an earlier run's
    docs = {Path(d["source"]["path"]).name: d for d in lines(out / "documents.jsonl")}
    assert docs["b_letter.docx"]["duplicate_of"] is None
    assert Path(docs["a_scan.txt"]["duplicate_of"]).name == "b_letter.docx"
    rows = lines(out / "tasks.jsonl")
    assert {Path(r["source_path"]).name for r in rows} == {"b_letter.docx"}
    assert len(rows) == len({r["task_id"] for r in rows}) == 2
    # The manifest agrees: a third run reads nothing again and changes nothing.
    before = (out / "documents.jsonl").read_bytes()
    assert ingest(folder, out, workers=1, processor=SCAN_PROCESSOR).files == 0
    assert (out / "documents.jsonl").read_bytes() == before


def _doc(
    path: str, *, ocr: bool = False, needs_ocr: bool = False, dup: str | None = None
) -> Document:
    source = Source(path=path, format="txt", sha256="0", ocr=ocr, needs_ocr=needs_ocr)
    return Document(doc_id="x", source=source, text="", duplicate_of=dup)


def test_source_rank_puts_a_text_layer_before_ocr_before_an_unread_scan() -> None:
    assert [source_rank(_doc("a").source), source_rank(_doc("b", ocr=True).source)] == [TEXT, OCR]
    assert source_rank({"needs_ocr": True}) == UNREAD


@pytest.mark.parametrize(
    ("docs", "primary"),
    [
        ([_doc("scan", ocr=True), _doc("docx")], "docx"),
        ([_doc("unread", needs_ocr=True), _doc("scan", ocr=True)], "scan"),
        ([_doc("first"), _doc("second")], "first"),
        # As good: the copy ingest marked primary (a run's order is not the file's).
        ([_doc("later", dup="kept"), _doc("kept")], "kept"),
    ],
)
def test_one_letter_once_keeps_the_best_then_the_first_copy(
    docs: list[Document], primary: str
) -> None:
    [letter] = one_letter_once(docs)
    assert letter.source.path == primary
    assert letter.duplicate_of is None
    assert sorted(letter.copies) == sorted(d.source.path for d in docs if d.source.path != primary)


def test_the_summary_counts_the_tasks_tasks_jsonl_holds(run: Path) -> None:
    # Another test of this module may have run again on `run` (its summary: 0 read).
    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    lines = (run / "tasks.jsonl").read_text(encoding="utf-8").splitlines()
    assert summary["tasks_in_out"] == len(lines) > 0


def test_a_copy_damaged_while_copies_are_settled_is_said_and_settled_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record of a copy changed in place (same length) by another program just as the
    run settles the letter's copies: the outputs are said touched and rebuilt, and the
    copies settled; no letter keeps two primaries, no copy names a copy."""
    import vanban.pipeline.batch as batch

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "a_scan.txt").write_text(LETTER, encoding="utf-8")
    (src / "d_other.txt").write_text(OTHER, encoding="utf-8")
    ingest(src, out, workers=1, processor=SCAN_PROCESSOR)
    (src / "b_text.txt").write_text(LETTER, encoding="utf-8")  # a better copy
    (src / "c_scan2.txt").write_text(LETTER, encoding="utf-8")
    settle = batch._settle_copies
    calls = []

    def damaging(out_: Path, *args: Any) -> Any:
        if not calls:
            docs = out_ / "documents.jsonl"
            data = docs.read_bytes()
            docs.write_bytes(data.replace(b'"duplicate_of":null', b'"duplicate_of":nul ', 1))
        calls.append(1)
        return settle(out_, *args)

    monkeypatch.setattr(batch, "_settle_copies", damaging)
    summary = ingest(src, out, workers=1, processor=SCAN_PROCESSOR)
    monkeypatch.setattr(batch, "_settle_copies", settle)
    assert "documents.jsonl" in summary.touched
    ingest(src, out, workers=1, processor=SCAN_PROCESSOR)
    docs = [json.loads(line) for line in (out / "documents.jsonl").read_text("utf-8").splitlines()]
    primaries = {d["source"]["path"] for d in docs if d["duplicate_of"] is None}
    assert len(primaries) == len({d["doc_id"] for d in docs}) == 2
    assert all(d["duplicate_of"] in primaries for d in docs if d["duplicate_of"])
    lines = (out / "tasks.jsonl").read_text("utf-8").splitlines()
    assert len(lines) == len({json.loads(x)["task_id"] for x in lines})


def test_a_copy_of_a_worse_copy_is_counted_once_when_the_copies_are_settled(
    tmp_path: Path,
) -> None:
    # The scan comes first, a second scan is recorded as its copy, then the DOCX
    # takes over: two copies in documents.jsonl, two in the summary.
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_scan.txt").write_text(LETTER, encoding="utf-8")
    (folder / "b_copy_scan.txt").write_text(LETTER, encoding="utf-8")
    build_letter_docx(folder / "c_letter.docx", letter_from_text(LETTER))
    summary = ingest(folder, tmp_path / "out", workers=1, processor=SCAN_PROCESSOR)
    docs = lines(tmp_path / "out" / "documents.jsonl")
    assert sum(d["duplicate_of"] is not None for d in docs) == summary.duplicates == 2
    assert summary.tasks == len(lines(tmp_path / "out" / "tasks.jsonl")) == 2
