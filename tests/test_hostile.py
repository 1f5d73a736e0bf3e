"""Hostile input: a folder of broken, hostile and odd files through the real `vanban ingest`.

Every file ends in exactly one record: a document, or an error record with
the code expected and a message that says what to do; nothing crashes or
hangs the batch. The inputs and what each must give are in `tests.hostile`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.hostile import Expect, build
from tests.test_ingest import _spans
from vanban.schemas import Document

VANBAN = Path(sys.executable).with_name("vanban")


def _as_reader_without_privilege() -> list[str]:
    """Root reads a mode-000 file anyway: run without the capabilities that allow it."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    assert setpriv, "setpriv (util-linux) is needed to test an unreadable file as root"
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search"]


def _records(out: Path, name: str) -> list[dict[str, Any]]:
    path = out / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _shown(folder: Path, rel: str) -> str:
    """The path a record prints for `folder/rel` (bytes that are not UTF-8 escaped)."""
    path = str(folder / rel)
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("hostile")
    folder = base / "in"
    expected = build(folder)
    out = base / "out"
    res = subprocess.run(
        [*_as_reader_without_privilege(), str(VANBAN), "ingest", str(folder), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=base,
    )
    return {
        "folder": folder,
        "out": out,
        "expected": expected,
        "res": res,
        "documents": {d["source"]["path"]: d for d in _records(out, "documents.jsonl")},
        "errors": {e["source"]["path"]: e for e in _records(out, "errors.jsonl")},
        "summary": json.loads((out / "summary.json").read_text(encoding="utf-8")),
    }


def test_the_batch_completes_and_every_file_ends_in_exactly_one_record(
    hostile_run: dict[str, Any],
) -> None:
    res, folder = hostile_run["res"], hostile_run["folder"]
    # Completed; files that could not be read say so in the exit status (1).
    assert res.returncode == 1, res.stderr[-3000:]
    docs, errors = hostile_run["documents"], hostile_run["errors"]
    lines = len(_records(hostile_run["out"], "documents.jsonl")) + len(
        _records(hostile_run["out"], "errors.jsonl")
    )
    assert lines == len(docs) + len(errors)  # no path twice
    assert not set(docs) & set(errors)
    wanted = {_shown(folder, rel) for rel in hostile_run["expected"]}
    assert set(docs) | set(errors) == wanted
    assert hostile_run["summary"]["files"] == len(wanted)


def _mismatch(rel: str, want: Expect, got: dict[str, Any] | None, is_doc: bool) -> str | None:
    if got is None:
        return f"{rel}: no record"
    if want.outcome == "document":
        if not is_doc:
            return f"{rel}: error {got['error']} ({got['message']}), wanted a document"
        said = " ".join(got["warnings"])
    else:
        if is_doc:
            return f"{rel}: a document, wanted an error {sorted(want.codes)}"
        if got["error"] not in want.codes:
            return f"{rel}: error {got['error']} ({got['message']}), wanted {sorted(want.codes)}"
        said = got["message"]
    if want.says and want.says not in said:
        return f"{rel}: {said!r} does not say {want.says!r}"
    return None


def test_each_input_gives_the_record_it_should_with_words_a_clerk_can_act_on(
    hostile_run: dict[str, Any],
) -> None:
    folder, docs, errors = hostile_run["folder"], hostile_run["documents"], hostile_run["errors"]
    wrong = []
    for rel, want in hostile_run["expected"].items():
        shown = _shown(folder, rel)
        got = docs.get(shown) or errors.get(shown)
        problem = _mismatch(rel, want, got, shown in docs)
        if problem:
            wrong.append(problem)
    assert not wrong, "\n".join(wrong)
    for e in errors.values():
        assert e["error"] not in {"internal_error", "worker_crashed"}, e
        assert "Traceback" not in e["message"] and len(e["message"]) > 30, e


def test_odd_text_reads_as_the_clean_letter_does(hostile_run: dict[str, Any]) -> None:
    """NFD, NUL and control bytes, mixed line endings, odd file names: the same record."""
    docs = hostile_run["documents"]
    by_name = {Path(p).name: Document.model_validate(d) for p, d in docs.items()}
    clean = by_name["Công văn số 12 về việc báo cáo (bản sao).txt"]
    assert clean.number and clean.tasks
    for name in (
        "nfd.txt",
        "nul_and_control.txt",
        "mixed_line_endings.txt",
        "Thông báo kết luận.txt",
        "c\\xf4ng v\\xe3n c\\xfc.txt",
    ):
        rec = by_name[name]
        assert (rec.number, rec.issuer, rec.issued_date, rec.subject) == (
            clean.number,
            clean.issuer,
            clean.issued_date,
            clean.subject,
        ), name
        assert [t.text for t in rec.tasks] == [t.text for t in clean.tasks], name
        assert not any(c in rec.text for c in "\x00\x07\r"), name
        assert rec.duplicate_of is not None  # the same letter as an earlier file


def test_every_span_of_every_document_points_into_its_text(hostile_run: dict[str, Any]) -> None:
    for path, d in hostile_run["documents"].items():
        rec = Document.model_validate(d)
        for what, (s, e), printed in _spans(rec):
            assert 0 <= s < e <= len(rec.text), (path, what)
            if printed is not None:
                assert rec.text[s:e] == printed, (path, what)


def test_nothing_secret_or_fetched_ends_in_the_records(hostile_run: dict[str, Any]) -> None:
    out = hostile_run["out"]
    for name in ("documents.jsonl", "errors.jsonl", "tasks.jsonl"):
        assert "BI-MAT-KHONG-DUOC-LO" not in (out / name).read_text(encoding="utf-8")


def test_a_folder_link_loop_is_not_followed_and_is_said(hostile_run: dict[str, Any]) -> None:
    notes = hostile_run["summary"]["notes"]
    assert any("back_to_top" in n and "loop" in n for n in notes), notes
    assert "symbolic link loop" in hostile_run["res"].stderr
    assert not (hostile_run["out"] / ".tmp").exists()  # the workers' scratch is gone
