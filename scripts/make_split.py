"""Write `data/split.tsv`: the dev corpus in two halves, `tune` and `check`.

Rules are developed on `tune`; `check` only measures (DEVELOPERS.md). The
halves are stratified by where a letter comes from (the source repository or
office: each has its own layout and noise) and by its kind (công văn, kế
hoạch, quyết định …): within each stratum the letters, in id order, go
alternately to one half and the other, the first of a stratum to the half
that has fewer tasks so far. Run once when letters are added; the file is
the split, this script only says how it was made:

    python scripts/make_split.py data/corpus/dev > data/split.tsv
"""

from __future__ import annotations

import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

KINDS = ("quyết định", "kế hoạch", "chỉ thị", "công điện", "thông báo", "công văn")


def kind_of(type_text: str) -> str:
    low = type_text.casefold()
    return next((k for k in KINDS if low.startswith(k)), "khác")


def strata(dev: Path) -> dict[tuple[str, str], list[tuple[str, int]]]:
    sources: dict[str, tuple[str, str]] = {}
    with (dev / "SOURCES.tsv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            repo = row["source"].split(":", 1)[0]
            sources[row["id"]] = (repo, kind_of(row["type"]))
    out: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for path in sorted((dev / "gold").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        name = path.stem
        # Letters SOURCES.tsv does not list are the seed set the rules were first written on.
        source, kind = sources.get(name, ("seed", kind_of(gold.get("doc_type") or "")))
        out[(source, kind)].append((name, len(gold.get("tasks", []))))
    return out


def main(dev: Path) -> None:
    tasks = {"tune": 0, "check": 0}
    print("id\thalf\tsource\tkind")
    for (source, kind), letters in sorted(strata(dev).items()):
        first = min(tasks, key=lambda h: (tasks[h], h == "check"))
        order = [first, "check" if first == "tune" else "tune"]
        for i, (name, n) in enumerate(letters):
            half = order[i % 2]
            tasks[half] += n
            print(f"{name}\t{half}\t{source}\t{kind}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
