"""The lexicon: word lists the rules read, as data files (`data/lexicon/*.tsv`).

Each list lives in one file, read once; rules ask for it by name. A phrasing
the rules should know is a row there, not a pattern in code (spaCy keeps its
language data the same way).
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path


def _data_dir() -> Path:
    here = Path(__file__).resolve().parent
    repo = here.parent / "data" / "lexicon"
    # Installed from a wheel, the files sit beside this module.
    return repo if repo.is_dir() else here / "lexicon_data"


@cache
def rows(name: str) -> tuple[dict[str, str], ...]:
    """The rows of `data/lexicon/<name>.tsv` as dicts by column name (comments skipped)."""
    path = _data_dir() / f"{name}.tsv"
    with path.open(encoding="utf-8") as f:
        lines = [line for line in f if line.strip() and not line.startswith("#")]
    return tuple(csv.DictReader(lines, delimiter="\t"))


@cache
def words(name: str) -> tuple[str, ...]:
    """The first column of a list: `words("attachment_titles")` → `("KẾ HOẠCH", …)`."""
    return tuple(next(iter(r.values())) for r in rows(name))
