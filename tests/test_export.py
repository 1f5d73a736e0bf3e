"""`vanban export`: the documents, tasks and assignments tables in CSV, parquet, xlsx, JSON."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from vanban.pipeline.batch import ingest
from vanban.pipeline.export import (
    assignments_frame,
    documents_frame,
    expand_group,
    export,
    formula_safe,
    read_documents,
    tasks_frame,
    typed,
)
from vanban.schemas import Agency, Document, Source, Task, UsageError

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run over the text and Word samples (no OCR, so it takes about a second)."""
    folder = tmp_path_factory.mktemp("letters")
    for name in ("cv_152_bkhcn.txt", "kh_141_bac_ninh.txt", "cv_8664_vpcp.docx"):
        shutil.copy(SAMPLES / name, folder / name)
    out = tmp_path_factory.mktemp("out")
    ingest(folder, out)
    return out


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig")


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells as Python values, with null and "" alike: a CSV cannot tell them apart."""
    frame = frame.astype(object)
    return frame.where(frame.notna() & (frame != ""), None)


def test_csv_has_a_bom_and_reads_back_equal_to_the_records(run: Path, tmp_path: Path) -> None:
    paths = export(run, "csv", tmp_path)
    assert [p.name for p in paths] == ["documents.csv", "tasks.csv", "assignments.csv"]
    assert all(p.read_bytes().startswith(b"\xef\xbb\xbf") for p in paths)
    docs = read_documents(run)
    frames = (documents_frame(docs), tasks_frame(docs), assignments_frame(docs))
    for path, frame in zip(paths, frames, strict=True):
        # Equal but for the `'` that keeps a cell like `@bo-nganh` from running as a formula.
        pd.testing.assert_frame_equal(_plain(_csv(path)), _plain(formula_safe(frame)))
    tasks = _csv(tmp_path / "tasks.csv")
    # Against the records themselves, not only against the table: text and letter beside each task.
    assert tasks["text"].tolist() == [t.text for d in docs for t in d.tasks]
    assert tasks["number"].tolist() == [d.number for d in docs for _ in d.tasks]
    assert "Ủy ban nhân dân tỉnh Bắc Ninh" in set(tasks["issuer"])


def test_parquet_round_trips_exactly(run: Path, tmp_path: Path) -> None:
    export(run, "parquet", tmp_path)
    docs = read_documents(run)
    back = pd.read_parquet(tmp_path / "assignments.parquet")
    pd.testing.assert_frame_equal(back, typed(assignments_frame(docs)), check_dtype=False)
    assert len(pd.read_parquet(tmp_path / "tasks.parquet")) == sum(len(d.tasks) for d in docs)


def test_xlsx_opens_with_openpyxl_with_a_sheet_per_table(run: Path, tmp_path: Path) -> None:
    (path,) = export(run, "xlsx", tmp_path)
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == ["Documents", "Tasks", "Assignments", "Errors"]
    rows = list(book["Documents"].iter_rows(values_only=True))
    docs = read_documents(run)
    assert len(rows) == len(docs) + 1
    assert [r[1] for r in rows[1:]] == [d.number for d in docs]


def test_json_lines_keep_vietnamese_and_slashes_unescaped(run: Path, tmp_path: Path) -> None:
    export(run, "json", tmp_path)
    raw = (tmp_path / "documents.jsonl").read_text(encoding="utf-8")
    assert "\\u" not in raw and "\\/" not in raw
    numbers = [json.loads(line)["number"] for line in raw.splitlines()]
    assert numbers == [d.number for d in read_documents(run)]


def _one_task(lead: str, issued: str) -> Document:
    return Document(
        doc_id="x",
        source=Source(path="x.txt", format="txt", sha256="0"),
        text="Ủy ban nhân dân các tỉnh, thành phố",
        issued_date=issued,
        tasks=[
            Task(
                task_id="x:1",
                label="1",
                text="Báo cáo.",
                span=(0, 8),
                lead=[Agency(name=lead, code=lead, raw=lead, span=(0, 8))],
            )
        ],
    )


def test_expand_groups_lists_the_34_provincial_committees_of_2026() -> None:
    frame = assignments_frame([_one_task("@dia-phuong", "2026-02-01")], expand_groups=True)
    assert len(frame) == 34
    assert frame["agency"].is_unique
    assert frame["agency"].str.startswith("Ủy ban nhân dân ").all()
    assert {"Ủy ban nhân dân thành phố Hà Nội", "Ủy ban nhân dân tỉnh Tuyên Quang"} <= set(
        frame["agency"]
    )
    assert set(frame["via_group"]) == {"@dia-phuong"}
    assert "Ủy ban nhân dân tỉnh Hà Giang" not in set(frame["agency"])  # merged on 1 July 2025


def test_expand_groups_follows_the_letter_date_and_keeps_codes_it_cannot_list() -> None:
    assert len(expand_group("@dia-phuong", "2024-05-01") or []) == 63
    assert "Bộ Tài chính" in (expand_group("@bo-nganh", "2026-02-01") or [])
    kept = assignments_frame([_one_task("@cap-xa", "2026-02-01")], expand_groups=True)
    assert kept[["agency", "via_group"]].values.tolist() == [["@cap-xa", None]]
    plain = assignments_frame([_one_task("@dia-phuong", "2026-02-01")])
    assert plain["agency"].tolist() == ["@dia-phuong"]


def test_export_command_writes_tables_and_reports_a_missing_run(tmp_path: Path) -> None:
    doc = _one_task("@dia-phuong", "2026-02-01")
    (tmp_path / "documents.jsonl").write_text(doc.model_dump_json() + "\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "vanban.pipeline.cli", "export"]
    ok = subprocess.run(
        [*cmd, str(tmp_path), "--format", "csv", "--expand-groups"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    assert len(_csv(tmp_path / "export" / "assignments.csv")) == 34
    missing = subprocess.run(
        [*cmd, str(tmp_path / "nowhere")], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert missing.returncode == 2 and "vanban ingest" in missing.stderr
    assert "make run" not in missing.stderr  # a clerk has no Makefile


def test_unknown_format_is_a_usage_error(run: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="csv, parquet, xlsx, json"):
        export(run, "ods", tmp_path)
