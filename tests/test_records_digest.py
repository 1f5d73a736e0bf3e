"""Records are byte-identical to the table `scripts/records_digest.py` wrote.

A speed change must not change one byte of any record (issue 16). Every row of
`benchmarks/records_digest.tsv` — a sample or dev letter, or a variant of one
(NFD, old tone placement, CRLF, mojibake, TCVN3) — is recomputed: its record
and its `--redact` record. A change of output that is meant (an extractor made
more accurate) is committed together with a table rewritten by
`python scripts/records_digest.py`, so the diff names the letters it changed.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "records_digest", ROOT / "scripts" / "records_digest.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("records_digest", module)
    spec.loader.exec_module(module)
    return module


rd = _load_script()
TABLE = rd.read_table()


@pytest.fixture(scope="module")
def variants_folder() -> Iterator[Path]:
    with rd.variants() as base:
        yield base


def test_the_table_lists_every_letter_and_variant() -> None:
    assert set(TABLE) == {*rd.letters(), *rd.variant_names()}, (
        "letters were added or removed: run `python scripts/records_digest.py` and commit the table"
    )


@pytest.mark.parametrize("name", sorted(TABLE))
def test_record_and_redacted_record_are_unchanged(name: str, variants_folder: Path) -> None:
    base = variants_folder if name.startswith(f"{rd.VARIANTS}/") else ROOT
    assert rd.digest(name, base) == TABLE[name], (
        f"the record of {name} changed; if that is meant, rerun `python scripts/records_digest.py`"
        " and commit benchmarks/records_digest.tsv with the change"
    )
