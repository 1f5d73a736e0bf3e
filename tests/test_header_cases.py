"""Header cases of ANNOTATION.md §2 (number, type, issuer, place, subject, signer) and §6
(Stripped header, Form fields, Party notices), one behaviour a row.

The table is `tests/header_cases.tsv` (its comment header explains the columns). Each row is a
whole short letter written for the guideline (invented, in the genre: crawls, converted DOCX and
PDF text, OCR'd scans); the test saves it as a `.txt` file, reads it end to end through `load`
and `extract` (`tests.task_letters.extract_file`) and compares the fields the row names, as the
scorer compares them (§2). A `gap` row runs as a strict xfail naming the rule: flip it to `ok`
once the behaviour is fixed. Never weaken a row to make it pass.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.task_letters import extract_file
from vanban.pipeline.evaluate_text import (
    agencies_match,
    agency_key,
    normalize,
    number_key,
    subject_key,
)
from vanban.schemas import Document

HERE = Path(__file__).resolve().parent
TABLE = HERE / "header_cases.tsv"

_PARTS = {
    "{motto}": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n",
    "{body}": "\nỦy ban nhân dân tỉnh đề nghị Sở Y tế khẩn trương triển khai thực hiện./.\n",
    "{sign}": "\nNơi nhận:\n- Như trên;\n- Lưu: VT, VX.\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\n"
    "PHÓ CHỦ TỊCH\n\nNguyễn Văn Hùng\n",
}
FIELDS = ("number", "doc_type", "issuer", "place", "subject", "signer_name", "signer_title")


def _load() -> list[dict[str, str]]:
    with TABLE.open(encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def _letter(row: dict[str, str]) -> str:
    text = row["letter"].replace("\\n", "\n")
    for mark, part in _PARTS.items():
        text = text.replace(mark, part)
    return text


def _expected(row: dict[str, str]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for item in row["expect"].split(" || "):
        field, value = item.split("=", 1)
        out[field] = None if value == "-" else value
    return out


def _got(doc: Document, field: str) -> str | None:
    if field == "issuer":
        return doc.issuer.name if doc.issuer else None
    if field.startswith("signer_"):
        return getattr(doc.signer, field.removeprefix("signer_")) if doc.signer else None
    value = getattr(doc, field)
    return value if value is None else str(value)


def _same(field: str, want: str | None, got: str | None) -> bool:
    if field == "issuer":
        w, g = agency_key(want), agency_key(got)
        return w == g if w is None or g is None else agencies_match(w, g)
    key = {"number": number_key, "subject": subject_key}.get(field, normalize)
    return key(want) == key(got)


def _param(row: dict[str, str]) -> object:
    if row["status"] == "gap":
        reason = f"gap: ANNOTATION {row['rule']} — {row['note']}"
        return pytest.param(
            row, marks=pytest.mark.xfail(strict=True, reason=reason), id=row["case"]
        )
    return pytest.param(row, id=row["case"])


ROWS = _load()


def test_the_header_case_table_is_well_formed() -> None:
    assert len({r["case"] for r in ROWS}) == len(ROWS) >= 20
    for row in ROWS:
        assert row["status"] in {"ok", "gap"}, row["case"]
        assert (row["note"].strip() not in ("", "-")) == (row["status"] == "gap"), row["case"]
        assert set(_expected(row)) <= set(FIELDS), row["case"]


@pytest.mark.parametrize("row", [_param(r) for r in ROWS])
def test_header_case(row: dict[str, str], tmp_path: Path) -> None:
    doc = extract_file(tmp_path, f"{row['case']}.txt", _letter(row))
    misses = [
        f"{field}: want {want!r}, got {_got(doc, field)!r}"
        for field, want in _expected(row).items()
        if not _same(field, want, _got(doc, field))
    ]
    assert not misses, f"{row['case']} ({row['rule']}): " + "; ".join(misses)
