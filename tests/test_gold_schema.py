"""Every gold file (the dev corpus and the blind letters) keeps the format of ANNOTATION §1,
as `data/gold.schema.json` states it: a scorer reading a malformed gold would score nonsense."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "data" / "gold.schema.json").read_text(encoding="utf-8"))
GOLD = sorted((ROOT / "data" / "corpus" / "dev" / "gold").glob("*.json")) + sorted(
    (ROOT / "data" / "blind" / "gold").glob("*.json")
)


def test_the_gold_schema_is_a_valid_schema() -> None:
    jsonschema.validators.validator_for(SCHEMA).check_schema(SCHEMA)


@pytest.mark.parametrize("path", GOLD, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_gold_file_keeps_the_annotation_format(path: Path) -> None:
    gold = json.loads(path.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(SCHEMA)(SCHEMA)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(gold)]
    assert not errors, errors[:3]


def test_a_subject_ending_in_a_period_breaks_the_format() -> None:
    gold = json.loads(GOLD[0].read_text(encoding="utf-8"))
    gold["subject"] = "Về việc tăng cường kiểm tra."
    assert not jsonschema.validators.validator_for(SCHEMA)(SCHEMA).is_valid(gold)
