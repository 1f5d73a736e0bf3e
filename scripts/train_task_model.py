"""Offline experiment of issue 13: does a learned precision filter beat the rules?

Reads an ingest of the dev corpus (or runs one), turns every predicted task
into a candidate with the features of `scripts/task_model.py`, labels it
from gold by the alignment `vanban eval` uses (`vanban.pipeline.evaluate_text.align`:
is it a gold task?), and trains a logistic model on the `tune` half only.
Settings (regularisation, feature count floor, class weighting, extra
negatives from untasked items, threshold) are chosen by leave-letters-out
cross-validation inside `tune`, scored by the strict task F1 of the filtered
records. The `check` half is scored only with `--check`, once, with the
chosen settings trained on all of `tune`.

    PYTHONPATH=. python scripts/train_task_model.py --records out/eval/documents.jsonl
    PYTHONPATH=. python scripts/train_task_model.py --records … --check --save model.json

Needs numpy (a pandas dependency, so already installed); nothing else.
"""

from __future__ import annotations

import argparse
import copy
import itertools
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from task_model import (
    LetterView,
    Model,
    task_features,
    text_features,
    tree_features,
)

from vanban.pipeline.evaluate import EvalReport, _basename, _evaluate, _load_gold, read_split
from vanban.pipeline.evaluate_text import align

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "data" / "corpus" / "dev"
FOLDS = 5
SEED = 13


@dataclass
class Candidate:
    stem: str
    half: str
    index: int | None  # the task's index in its record; None for an untasked item
    features: dict[str, float]
    label: int  # 1: aligned to a gold task
    text: str = ""  # an untasked item's own text (the task a recall decision would add)
    span: tuple[int, int] = (0, 0)


def _stem(record: dict[str, Any]) -> str:
    return Path(_basename(str((record.get("source") or {}).get("path", "")))).stem


def load(records_path: Path) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    records = [json.loads(line) for line in records_path.open(encoding="utf-8") if line.strip()]
    return records, _load_gold(DEV / "gold")


def candidates(
    records: list[dict[str, Any]],
    golds: dict[str, dict[str, Any]],
    split: dict[str, tuple[str, str]],
    halves: set[str],
) -> list[Candidate]:
    """Every predicted task of the letters of `halves`, and every body item with no task."""
    out: list[Candidate] = []
    seen: set[str] = set()
    for record in records:
        stem = _stem(record)
        if "doc_id" not in record or stem in seen or stem not in split:
            continue
        half = split[stem][0]
        if half not in halves:
            continue
        seen.add(stem)
        gold = golds[_basename(record["source"]["path"])]
        tasks = record.get("tasks") or []
        pairs = align([t.get("text") or "" for t in tasks], [g["text"] for g in gold["tasks"]])
        aligned = {i for i, _ in pairs}
        hit_gold = {j for _, j in pairs}
        view = LetterView.of(record)
        for i, task in enumerate(tasks):
            out.append(Candidate(stem, half, i, task_features(view, task), int(i in aligned)))
        # Untasked items: extra examples of what is (a missed task) or is not a task.
        spans = [tuple(t.get("span") or (0, 0)) for t in tasks]
        missed = [g["text"] for j, g in enumerate(gold["tasks"]) if j not in hit_gold]
        text = view.letter.text
        items: list[tuple[str, dict[str, float]]] = []
        for part in view.letter.parts:
            if part.items is None:
                continue
            for item in part.items.walk():
                s, e = item.text_start, item.end
                if e - s < 10 or any(a < e and s < b for a, b in spans):
                    continue
                own = text[s:e]
                f = {"bias": 1.0, "untasked": 1.0, f"doc={view.doc_type}": 1.0}
                f.update(text_features(own))
                f.update(tree_features(text, item, part.body))
                items.append((own, f, (s, e)))
        # One to one, as `vanban eval` aligns: an item holds a missed task or none.
        hits = {i for i, _ in align([it[0] for it in items], missed)} if missed else set()
        out += [
            Candidate(stem, half, None, f, int(i in hits), own, span)
            for i, (own, f, span) in enumerate(items)
        ]
    return out


# --- logistic regression (Newton steps, L2, deterministic) ------------------------


def fit(
    rows: list[dict[str, float]], y: list[int], *, l2: float, min_count: int, balanced: bool
) -> dict[str, float]:
    counts: dict[str, int] = {}
    for r in rows:
        for k in r:
            counts[k] = counts.get(k, 0) + 1
    vocab = sorted(k for k, c in counts.items() if c >= min_count or k == "bias")
    index = {k: i for i, k in enumerate(vocab)}
    x = np.zeros((len(rows), len(vocab)))
    for n, r in enumerate(rows):
        for k, v in r.items():
            if k in index:
                x[n, index[k]] = v
    t = np.asarray(y, dtype=float)
    sw = np.ones(len(rows))
    if balanced and 0 < t.sum() < len(t):
        pos = t.sum()
        sw = np.where(t == 1, len(t) / (2 * pos), len(t) / (2 * (len(t) - pos)))
    w = np.zeros(len(vocab))
    reg = np.full(len(vocab), l2)
    reg[index["bias"]] = 1e-6
    for _ in range(25):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (sw * (p - t)) + reg * w
        hess = (x * (sw * p * (1 - p))[:, None]).T @ x + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return {k: float(w[i]) for k, i in index.items()}


# --- scoring ------------------------------------------------------------------------


@dataclass
class Change:
    """What a decision does to the records: tasks dropped (precision), items added (recall)."""

    drop: dict[str, set[int]] = field(default_factory=dict)
    add: dict[str, list[Candidate]] = field(default_factory=dict)


def filtered(records: list[dict[str, Any]], change: Change) -> list[dict[str, Any]]:
    out = []
    for record in records:
        stem = _stem(record)
        gone, new = change.drop.get(stem), change.add.get(stem)
        if (gone or new) and "tasks" in record:
            record = copy.copy(record)
            tasks = [t for i, t in enumerate(record["tasks"]) if i not in (gone or set())]
            # An added item gets the letter's default lead (the issuer) and no deadline:
            # the recall decision is scored on detection first, strict second.
            issuer = [record["issuer"]] if record.get("issuer") else []
            tasks += [{"label": "+", "text": c.text, "lead": issuer} for c in new or []]
            record["tasks"] = tasks
        out.append(record)
    return out


def figures(report: EvalReport) -> dict[str, float]:
    t = report.tasks
    return {
        "strict_f1": report.strict_task_f1,
        "det_p": t.detection.precision,
        "det_r": t.detection.recall,
        "det_f1": t.detection.f1,
        "lead_exact": t.rate(t.lead_exact),
        "predicted": t.predicted,
        "extra": t.predicted - t.aligned,
        "missed": t.gold - t.aligned,
    }


def score(
    golds: dict[str, dict[str, Any]],
    records: list[dict[str, Any]],
    letters: set[str],
    change: Change | None = None,
) -> dict[str, float]:
    recs = filtered(records, change or Change())
    return figures(_evaluate(golds, recs, skip_needs_ocr=False, only=letters))


def decide(cands: list[Candidate], probs: list[float], threshold: float) -> Change:
    """Precision: drop a predicted task scored under the threshold; recall: add an
    untasked item scored at or over it."""
    change = Change()
    for c, p in zip(cands, probs, strict=True):
        if c.index is not None and p < threshold:
            change.drop.setdefault(c.stem, set()).add(c.index)
        elif c.index is None and p >= threshold:
            change.add.setdefault(c.stem, []).append(c)
    return change


SETTINGS: dict[str, tuple[Any, ...]] = {
    "l2": (0.3, 1.0, 3.0, 10.0),
    "min_count": (2, 4),
    "balanced": (False, True),
    # precision: also learn from the untasked items (the rules' own negatives).
    "untasked": (False, True),
}
THRESHOLDS = {
    "precision": (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7),
    "recall": (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9),
}


def _settings(decision: str) -> list[dict[str, Any]]:
    keys = list(SETTINGS)
    out = []
    for values in itertools.product(*(SETTINGS[k] for k in keys)):
        setting = dict(zip(keys, values, strict=True))
        if decision == "recall" and not setting["untasked"]:
            continue  # a recall model learns from the untasked items only
        out.append(setting)
    return out


def _train_rows(cands: list[Candidate], decision: str, setting: dict[str, Any]) -> list[Candidate]:
    if decision == "recall":
        return [c for c in cands if c.index is None]
    return [c for c in cands if setting["untasked"] or c.index is not None]


def _fit(rows: list[Candidate], setting: dict[str, Any]) -> dict[str, float]:
    return fit(
        [c.features for c in rows],
        [c.label for c in rows],
        l2=setting["l2"],
        min_count=setting["min_count"],
        balanced=setting["balanced"],
    )


def _decided(cands: list[Candidate], decision: str) -> list[Candidate]:
    """The candidates a decision acts on: predicted tasks, or untasked items."""
    return [c for c in cands if (c.index is None) == (decision == "recall")]


def cross_validate(
    golds: dict[str, dict[str, Any]],
    records: list[dict[str, Any]],
    cands: list[Candidate],
    decision: str,
) -> list[dict[str, Any]]:
    """Leave-letters-out: out-of-fold probabilities for every setting, scored on all of tune."""
    letters = sorted({c.stem for c in cands})
    rng = np.random.default_rng(SEED)
    order = [letters[i] for i in rng.permutation(len(letters))]
    fold_of = {s: i % FOLDS for i, s in enumerate(order)}
    acted = _decided(cands, decision)
    results = []
    for setting in _settings(decision):
        probs: dict[int, float] = {}
        for k in range(FOLDS):
            train = [c for c in _train_rows(cands, decision, setting) if fold_of[c.stem] != k]
            model = Model(_fit(train, setting), 0.5)
            for c in acted:
                if fold_of[c.stem] == k:
                    probs[id(c)] = model.score(c.features)
        ps = [probs[id(c)] for c in acted]
        for th in THRESHOLDS[decision]:
            change = decide(acted, ps, th)
            fig = score(golds, records, set(letters), change)
            changed = sum(map(len, change.drop.values())) + sum(map(len, change.add.values()))
            results.append(setting | {"threshold": th, "changed": changed} | fig)
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=Path, help="documents.jsonl of an ingest of the dev corpus")
    ap.add_argument("--out", type=Path, default=Path("out/train_task_model"))
    ap.add_argument("--split", type=Path, default=ROOT / "data" / "split.tsv")
    ap.add_argument("--decision", choices=("precision", "recall"), default="precision")
    ap.add_argument(
        "--check",
        action="store_true",
        help="also score the check half with the chosen model and the best one that changes "
        "anything (look at check once, at the end)",
    )
    ap.add_argument(
        "--reuse-cv",
        action="store_true",
        help="read the cross-validation results an earlier run wrote in --out (same records)",
    )
    ap.add_argument("--save", type=Path, help="write the model trained on all of tune here")
    args = ap.parse_args(argv)
    records_path = args.records
    args.out.mkdir(parents=True, exist_ok=True)
    if records_path is None:
        subprocess.run(
            [
                *(sys.executable, "-m", "vanban.pipeline.cli", "ingest"),
                *(str(DEV / "raw"), str(DEV / "pdf"), "--out", str(args.out / "ingest")),
                *("--quiet", "--force", "--no-fail-on-error"),
            ],
            check=True,
        )
        records_path = args.out / "ingest" / "documents.jsonl"
    records, golds = load(records_path)
    split = read_split(args.split)
    tune_letters = {k for k, (h, _) in split.items() if h == "tune"}
    cands = candidates(records, golds, split, {"tune"})
    pred = [c for c in cands if c.index is not None]
    print(
        f"tune candidates: {len(pred)} predicted tasks ({len(pred) - sum(c.label for c in pred)} "
        f"not gold), {len(cands) - len(pred)} untasked items "
        f"({sum(c.label for c in cands if c.index is None)} hold a missed gold task)"
    )
    base = score(golds, records, tune_letters)
    print("tune, rule alone:", json.dumps(base))
    cv_path = args.out / f"cv_{args.decision}.json"
    if args.reuse_cv and cv_path.is_file():
        results = json.loads(cv_path.read_text())  # the same records: the same folds and figures
    else:
        results = cross_validate(golds, records, cands, args.decision)
        results.sort(key=lambda r: (-r["strict_f1"], -r["det_f1"], r["changed"]))
        cv_path.write_text(json.dumps(results, indent=1) + "\n")
    print(f"tune, cross-validated ({FOLDS} leave-letters-out folds), best settings:")
    for r in results[:5]:
        print("  ", json.dumps(r))
    moving = [r for r in results if r["changed"]]
    if moving:
        print("   best that changes anything:", json.dumps(moving[0]))
    chosen = {"chosen": results[0]} | ({"best that changes": moving[0]} if moving else {})
    if results[0]["strict_f1"] <= base["strict_f1"]:
        print("no setting beats the rule alone on tune (cross-validated)")
    models = {}
    for name, best in chosen.items():
        setting = {k: best[k] for k in SETTINGS}
        w = _fit(_train_rows(cands, args.decision, setting), setting)
        models[name] = Model(
            w,
            best["threshold"],
            {"decision": args.decision, "settings": setting, "trained_on": "tune"},
        )
    top = sorted(models["chosen"].weights.items(), key=lambda kv: kv[1])
    print("chosen model, most negative weights:", [(k, round(v, 2)) for k, v in top[:10]])
    print("chosen model, most positive weights:", [(k, round(v, 2)) for k, v in top[-10:]])
    if args.save:
        args.save.write_text(
            json.dumps(models["chosen"].to_dict(), ensure_ascii=False, indent=1) + "\n"
        )
    if args.check:
        check_letters = {k for k, (h, _) in split.items() if h == "check"}
        acted = _decided(candidates(records, golds, split, {"check"}), args.decision)
        print("check, rule alone:", json.dumps(score(golds, records, check_letters)))
        for name, model in models.items():
            probs = [model.score(c.features) for c in acted]
            change = decide(acted, probs, model.threshold)
            fig = score(golds, records, check_letters, change)
            print(f"check, rule + model ({name}):", json.dumps(fig))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
