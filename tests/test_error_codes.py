"""One `ErrorCode` enum with its retry policy, used wherever a code is written (issue 14)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from vanban.pipeline.batch import KEEP_ERRORS, LIMIT_ERRORS, error_record
from vanban.pipeline.limits import Limits, death_record
from vanban.schemas import ErrorCode, ErrorRecord, ErrorSource, LoadError, Retry

ROOT = Path(__file__).resolve().parent.parent
# Functions whose second argument is an error code.
_TAKES_A_CODE = {"error_record", "_error_record", "_error_result"}


def _code_shaped(node: ast.expr) -> bool:
    """A string literal shaped like an error code (`no_text`; an f-string too), not a
    group code of agencies (`@bo-nganh`) or None."""
    if isinstance(node, ast.JoinedStr):
        return True
    return isinstance(node, ast.Constant) and bool(re.fullmatch(r"[a-z_]+", str(node.value)))


def _literal_codes(path: Path) -> list[str]:
    """Places in a module that write an error code as a string literal."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        for kw in node.keywords:
            if kw.arg == "code" and _code_shaped(kw.value):
                found.append(f"{path.name}:{node.lineno}: code={ast.unparse(kw.value)}")
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        if name in _TAKES_A_CODE and len(node.args) > 1 and _code_shaped(node.args[1]):
            found.append(f"{path.name}:{node.lineno}: {name}(…, {ast.unparse(node.args[1])})")
    return found


def test_the_scan_finds_a_literal_code(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text('raise LoadError("x", code="no_text")\nerror_record(p, "timeout", "m")\n')
    assert len(_literal_codes(module)) == 2


@pytest.mark.parametrize(
    "path",
    sorted([*(ROOT / "pipeline").glob("*.py"), *(ROOT / "extractors").glob("*.py")]),
    ids=lambda p: p.name,
)
def test_no_module_writes_an_error_code_as_a_string(path: Path) -> None:
    assert not _literal_codes(path), "use ErrorCode members:\n" + "\n".join(_literal_codes(path))


def test_a_file_at_fault_is_not_read_again_until_it_changes() -> None:
    for code in (ErrorCode.NO_TEXT, ErrorCode.IMAGE_TOO_LARGE, ErrorCode.CORRUPT_PDF):
        assert code.retry is Retry.FILE_CHANGED and code in KEEP_ERRORS
    for code in (ErrorCode.TIMEOUT, ErrorCode.TOO_LARGE):
        assert code.retry is Retry.LIMITS_CHANGED and code in KEEP_ERRORS and code in LIMIT_ERRORS
    for code in (ErrorCode.OCR_UNAVAILABLE, ErrorCode.WORKER_CRASHED, ErrorCode.UNREADABLE):
        assert code.retry is Retry.NEXT_RUN and code not in KEEP_ERRORS


def test_a_code_read_back_as_a_string_compares_equal_to_its_member() -> None:
    assert "timeout" in KEEP_ERRORS and "timeout" in LIMIT_ERRORS
    assert "ocr_failed" not in KEEP_ERRORS


def test_an_error_record_carries_its_code_and_retry_policy(tmp_path: Path) -> None:
    rec = error_record(tmp_path / "a.pdf", ErrorCode.NO_TEXT, "blank")
    assert (rec.error, rec.retry) == ("no_text", "file_changed")
    back = ErrorRecord.model_validate_json(rec.model_dump_json())
    assert back == rec
    with pytest.raises(ValueError):
        ErrorRecord(source=ErrorSource(path="x"), error="no_such_code", message="m")  # type: ignore[arg-type]


def test_raised_errors_and_dead_workers_give_enum_codes() -> None:
    assert isinstance(LoadError("x").code, ErrorCode)
    assert isinstance(LoadError("x", code=ErrorCode.NOT_TEXT).code, ErrorCode)
    code, _ = death_record(-9, Limits())
    assert code is ErrorCode.WORKER_CRASHED
