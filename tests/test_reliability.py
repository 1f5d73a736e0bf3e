"""The red-team findings of issue 17, each reproduced and shown fixed.

The numbers are the issue's: (3) failures that would fail the same way are
not retried; (8) output safety; (7) links that lead outside the input
folders. The regex budget of finding 3 is `tests/test_regex_budget.py`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from pipeline.batch import error_record, ingest
from schemas import Document, ErrorRecord

CALLS = "VANBAN_TEST_CALLS"


def failing_the_same_way(path: Path, **options: Any) -> Document | ErrorRecord:
    """Every file fails with the code its name begins with; each call is noted."""
    with open(os.environ[CALLS], "a", encoding="utf-8") as f:
        f.write(path.name + "\n")
    code = path.name.split(".")[0]
    return error_record(path, code, f"{code} again")


def _calls(log: Path) -> list[str]:
    return sorted(log.read_text(encoding="utf-8").split()) if log.exists() else []


def test_3_a_timeout_a_blank_scan_and_a_huge_image_are_not_read_again_until_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.limits import Limits

    src, out, log = tmp_path / "in", tmp_path / "out", tmp_path / "calls"
    src.mkdir()
    names = ["timeout.txt", "no_text.pdf", "image_too_large.png"]
    for name in names:
        (src / name).write_text(name)
    monkeypatch.setenv(CALLS, str(log))
    run = dict(workers=1, processor="tests.test_reliability:failing_the_same_way")
    ingest(src, out, **run)  # type: ignore[arg-type]
    assert _calls(log) == sorted(names)
    log.unlink()
    summary = ingest(src, out, **run)  # type: ignore[arg-type]
    assert _calls(log) == [] and summary.skipped == 3
    # The file changed: read again.
    (src / "no_text.pdf").write_text("other bytes")
    ingest(src, out, **run)  # type: ignore[arg-type]
    assert _calls(log) == ["no_text.pdf"]
    log.unlink()
    # Another --timeout: the file that ran past it is tried again.
    ingest(src, out, limits=Limits(timeout=900), **run)  # type: ignore[arg-type]
    assert _calls(log) == ["timeout.txt"]
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text().splitlines()]
    assert sorted(e["error"] for e in errors) == ["image_too_large", "no_text", "timeout"]
