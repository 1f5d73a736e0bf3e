"""Following a body across the 2025 reorganisation, and the `vanban agencies` commands."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from vanban.extractors.agencies import AgencyRegistry
from vanban.pipeline.batch import ingest
from vanban.pipeline.successors import successor_as_of

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("name", "date", "expected"),
    [
        ("Bộ Kế hoạch và Đầu tư", "2026-01-01", "Bộ Tài chính"),
        ("Bộ Thông tin và Truyền thông", "2025-06-01", "Bộ Khoa học và Công nghệ"),
        ("Bộ Giao thông vận tải", "2026-01-01", "Bộ Xây dựng"),
        ("Ủy ban nhân dân tỉnh Hà Giang", "2025-08-01", "Ủy ban nhân dân tỉnh Tuyên Quang"),
        ("Bộ Kế hoạch và Đầu tư", "2024-12-31", None),  # still in force then
        ("Bộ Tài chính", "2026-01-01", None),  # never ended
        ("Ban Quản lý dự án 85", "2026-01-01", None),  # not in the registry
    ],
)
def test_successor_is_the_body_in_force_on_the_date(
    name: str, date: str, expected: str | None
) -> None:
    assert successor_as_of(AgencyRegistry.default(), name, date) == expected


def test_ingest_with_successor_as_of_keeps_the_printed_name_and_adds_the_successor(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "cv.txt").write_text(
        "BỘ KẾ HOẠCH VÀ ĐẦU TƯ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 12/BKHĐT-VP\nV/v báo cáo tình hình\nHà Nội, ngày 5 tháng 3 năm 2024\n"
        "Kính gửi: Ủy ban nhân dân tỉnh Hà Giang\n"
        "Bộ Kế hoạch và Đầu tư đề nghị Ủy ban nhân dân tỉnh Hà Giang báo cáo trước ngày 30/3/2024.\n",
        encoding="utf-8",
    )
    ingest(folder, tmp_path / "out", successor_as_of="2026-01-01")
    doc = json.loads((tmp_path / "out" / "documents.jsonl").read_text(encoding="utf-8"))
    assert doc["issuer"]["name"] == "Bộ Kế hoạch và Đầu tư"
    assert doc["issuer"]["successor"] == "Bộ Tài chính"
    assert doc["recipients"][0]["successor"] == "Ủy ban nhân dân tỉnh Tuyên Quang"
    assert doc["tasks"][0]["lead"][0]["successor"] == "Ủy ban nhân dân tỉnh Tuyên Quang"


def _vanban(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vanban.pipeline.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_agencies_lookup_prints_canonical_level_and_successor() -> None:
    res = _vanban("agencies", "lookup", "Bộ KH&ĐT", "--json")
    assert res.returncode == 0, res.stderr
    info = json.loads(res.stdout)
    assert (info["canonical"], info["level"], info["successors"]) == (
        "Bộ Kế hoạch và Đầu tư",
        "ministry",
        ["Bộ Tài chính"],
    )


@pytest.mark.parametrize(
    ("level", "date", "count"),
    [
        ("ministry", "2026-01-01", 17),
        ("province", "2026-01-01", 34),
        ("province", "2025-01-01", 63),
    ],
)
def test_agencies_list_counts_bodies_in_force(level: str, date: str, count: int) -> None:
    res = _vanban("agencies", "list", "--level", level, "--as-of", date)
    assert res.returncode == 0, res.stderr
    assert len(res.stdout.splitlines()) == count
