"""The installed package (issue 14): one top-level name, `vanban`, with a public API.

Builds the wheel from this checkout, installs it (without dependencies, which
the test environment already has) into a folder of its own and imports it from
there, away from the checkout, as a user's environment would.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "samples" / "cv_3722_vpcp.docx"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    subprocess.run([*cmd, "-q", "-w", str(out), str(ROOT)], check=True, capture_output=True)
    (path,) = out.glob("vanban-*.whl")
    return path


@pytest.fixture(scope="module")
def site(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    cmd = [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target)]
    subprocess.run([*cmd, str(wheel)], check=True, capture_output=True)
    return target


def test_the_wheel_installs_only_the_vanban_name(wheel: Path) -> None:
    tops = {n.split("/")[0] for n in zipfile.ZipFile(wheel).namelist()}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"vanban"}


def test_the_wheel_carries_the_registry_lexicon_review_assets_and_ocr_dictionary(
    wheel: Path,
) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "vanban/py.typed" in names
    assert "vanban/extractors/registry_data/agencies.csv" in names
    assert any(n.startswith("vanban/extractors/lexicon_data/") for n in names)
    assert {"vanban/pipeline/review.js", "vanban/pipeline/review.css"} <= names
    assert "vanban/pipeline/ocr_dictionary_keys.tsv" in names  # else every worker folds it
    assert "vanban/pipeline/dictionary_syllables.txt" in names  # else every worker splits it


def test_import_vanban_extracts_a_letter_from_the_installed_wheel(
    site: Path, tmp_path: Path
) -> None:
    code = (
        "import sys, vanban\n"
        "assert vanban.__file__.startswith(sys.argv[1]), vanban.__file__\n"
        "import vanban.pipeline.batch as b\n"
        "assert b.__file__.startswith(sys.argv[1]), b.__file__\n"
        "doc = vanban.extract(sys.argv[2])\n"
        "print(vanban.__version__, doc.number, doc.tasks[0].lead[0].name)\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", code, str(site), str(SAMPLE)],
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr
    version, number, lead = res.stdout.split(maxsplit=2)
    assert version[0].isdigit() and number == "3722/VPCP-CN" and lead.strip()


def test_the_wheel_carries_the_vietnamese_catalog_and_speaks_it(
    wheel: Path, site: Path, tmp_path: Path
) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "vanban/pipeline/locale/vi/LC_MESSAGES/vanban.mo" in names
    res = subprocess.run(
        [sys.executable, "-m", "vanban", "--lang", "vi", "ingest", "--help"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr
    assert "Thư mục kết quả" in res.stdout


def test_the_version_is_the_distribution_version() -> None:
    from importlib.metadata import version

    import vanban

    assert vanban.__version__ == version("vanban")


def test_load_records_returns_the_export_tables(tmp_path: Path) -> None:
    import vanban

    vanban.ingest([SAMPLE.parent], tmp_path / "out", workers=1)
    frames = vanban.load_records(tmp_path / "out")
    assert {"documents", "tasks"} <= set(frames)
    assert "3722/VPCP-CN" in set(frames["documents"]["number"])
