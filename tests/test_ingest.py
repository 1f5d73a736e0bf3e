"""`vanban ingest` and `vanban extract` as a user runs them."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from vanban.pipeline.batch import ingest, process_file
from vanban.schemas import Document, ErrorRecord

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "data" / "corpus" / "dev"
VANBAN = [sys.executable, "-m", "vanban.pipeline.cli"]


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*VANBAN, *args], capture_output=True, text=True, cwd=cwd or ROOT, timeout=300
    )


def _mixed_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "letter.txt").write_text(
        (DEV / "raw" / "024.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (folder / "sub" / "thông báo 453.pdf").write_bytes(
        (DEV / "pdf" / "hanoi_tb_453_flag.pdf").read_bytes()
    )
    (folder / "sub" / "bom.txt").write_bytes(b"\xef\xbb\xbf" + "Số: 1/TB-UBND".encode())
    (folder / "utf16.txt").write_bytes("Kính gửi: Bộ Y tế".encode("utf-16"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "bang tinh.xlsx").write_bytes(b"PK\x03\x04junk")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (folder / "broken.pdf").write_bytes((DEV / "pdf" / "hanoi_tb_453_flag.pdf").read_bytes()[:2000])
    return folder


def test_every_input_file_ends_in_exactly_one_output(tmp_path: Path) -> None:
    folder = _mixed_folder(tmp_path)
    out = tmp_path / "out"
    summary = ingest(folder, out)
    docs = [
        json.loads(line)
        for line in (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    errs = [
        json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    inputs = sorted(str(p) for p in folder.rglob("*") if p.is_file())
    outputs = sorted([d["source"]["path"] for d in docs] + [e["source"]["path"] for e in errs])
    assert outputs == inputs
    assert summary.files == len(inputs) == summary.documents + summary.errors
    by_name = {Path(e["source"]["path"]).name: e for e in errs}
    assert by_name["empty.txt"]["error"] == "empty_file"
    assert by_name["bang tinh.xlsx"]["error"] == "unsupported_format"
    assert by_name["binary.txt"]["error"] in {"not_text", "unknown_encoding"}
    assert by_name["broken.pdf"]["error"] == "corrupt_pdf"
    for e in errs:
        ErrorRecord.model_validate(e)
        assert len(e["message"]) > 20 and "Traceback" not in e["message"]
    for d in docs:
        Document.model_validate(d)
    rows = [
        json.loads(line) for line in (out / "tasks.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert len(rows) == sum(len(d["tasks"]) for d in docs) == summary.tasks > 0
    for row in rows:
        assert {
            "doc_id",
            "number",
            "issuer",
            "issued_date",
            "subject",
            "task_id",
            "lead",
            "deadline",
        } <= set(row)
        assert row["task_id"].startswith(row["doc_id"] + ":")


def test_utf16_and_bom_text_are_read(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_bytes("Kính gửi: Bộ Y tế".encode("utf-16"))
    rec = process_file(p)
    assert isinstance(rec, Document) and rec.text == "Kính gửi: Bộ Y tế"
    p.write_bytes(b"\xef\xbb\xbf" + "Số: 1/TB-UBND".encode())
    rec = process_file(p)
    assert isinstance(rec, Document) and rec.text == "Số: 1/TB-UBND"


def test_cli_ingest_reports_and_exits_one_when_some_files_are_errors(tmp_path: Path) -> None:
    folder = _mixed_folder(tmp_path)
    res = _run("ingest", str(folder), "--out", str(tmp_path / "out"), "--lang", "en")
    assert res.returncode == 1, res.stderr
    assert "documents" in res.stderr and "errors" in res.stderr
    assert "files could not be read" in res.stderr


def test_cli_ingest_fails_clearly_on_a_missing_folder(tmp_path: Path) -> None:
    res = _run("ingest", str(tmp_path / "nope"), "--out", str(tmp_path / "out"), "--quiet")
    assert res.returncode != 0
    assert "is not a folder" in res.stderr


def test_cli_ingest_fails_when_out_is_a_file(tmp_path: Path) -> None:
    f = tmp_path / "out"
    f.write_text("x")
    res = _run("ingest", str(DEV / "raw"), "--out", str(f), "--quiet")
    assert res.returncode != 0 and "Cannot write" in res.stderr


def test_cli_extract_prints_one_record(tmp_path: Path) -> None:
    res = _run("extract", str(DEV / "raw" / "024.txt"))
    assert res.returncode == 0, res.stderr
    rec = json.loads(res.stdout)
    assert rec["number"] == "3722/VPCP-CN"
    assert "\\u" not in res.stdout  # Vietnamese stays readable


def test_cli_schema_prints_every_schema() -> None:
    res = _run("schema")
    assert res.returncode == 0
    assert set(json.loads(res.stdout)) == {"document", "task_row", "error"}


def _spans(rec: Document) -> list[tuple[str, tuple[int, int], str | None]]:
    """(what, span, printed value the span must show, if exact) for every span in a record."""
    out: list[tuple[str, tuple[int, int], str | None]] = []
    corrected = {w.split(":")[0] for w in rec.warnings}  # values repaired from OCR say so
    for field, span in rec.spans.items():
        out.append(
            (field, span, rec.place if field == "place" and field not in corrected else None)
        )
    agencies = [rec.issuer, rec.parent_issuer, *rec.recipients]
    for t in rec.tasks:
        out.append(("task", t.span, t.text))
        agencies += [*t.lead, *t.coordinate, *t.report_to]
        if t.deadline:
            out.append(("deadline", t.deadline.span, t.deadline.raw))
    for a in agencies:
        if a is not None and a.span is not None:
            out.append(("agency", a.span, a.raw))
    for c in rec.cc:
        out.append(("cc", c.span, c.raw))
    for r in rec.references:
        out.append(("reference", r.span, r.raw))
    if rec.signer:
        for sp in (rec.signer.name_span, rec.signer.title_span, rec.signer.authority_span):
            if sp:
                out.append(("signer", sp, None))
    return out


@pytest.mark.parametrize(
    "path",
    sorted([*(DEV / "raw").glob("*.txt"), *(DEV / "pdf").glob("*.pdf")]),
    ids=lambda p: p.name,
)
def test_every_span_of_a_dev_record_points_at_its_printed_value(path: Path) -> None:
    rec = process_file(path)
    assert isinstance(rec, Document), rec
    for what, (s, e), printed in _spans(rec):
        assert 0 <= s < e <= len(rec.text), (what, s, e)
        if printed is not None:
            # A value printed over a line break (a place wrapped in the header) is
            # that text with the break as one space, as a subject is.
            shown = rec.text[s:e] if what != "place" else " ".join(rec.text[s:e].split())
            assert shown == printed, what
