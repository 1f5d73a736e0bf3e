"""Features of a candidate task decision, and a small logistic model over them.

Used by `scripts/train_task_model.py` (the offline experiment of issue 13:
can a learned decision beat the rules on the `check` half?). Two kinds of
candidate, both read from a written record and the letter's tree:

- a predicted task (`tasks[i]` of the record): is it a gold task? (precision)
- a body item that produced no task: should it be one? (recall)

The model is a plain L2-regularised logistic regression over sparse binary
features, trained with numpy and applied with the standard library alone, so
a shipped model would need no new dependency at run time.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from vanban.extractors.structure import Item
from vanban.extractors.tree import Letter, build_letter
from vanban.schemas import TextDoc

_WORD = re.compile(r"\w+")
_SENT = re.compile(r"[.;!?](?:\s|$)")
# Words whose presence the rules themselves read (assignment, obligation, past, norm).
_CUES = (
    "đề nghị",
    "yêu cầu",
    "giao",
    "chủ trì",
    "phối hợp",
    "báo cáo",
    "khẩn trương",
    "tiếp tục",
    "trách nhiệm",
    "đã",
    "được",
    "cần",
    "phải",
    "sẽ",
    "căn cứ",
    "theo",
    "kết quả",
    "tình hình",
    "mục tiêu",
    "tổ chức",
    "thực hiện",
    "triển khai",
    "hướng dẫn",
    "chỉ đạo",
    "quy định",
    "số",
)
_CUE_RES = [(c, re.compile(rf"(?<!\w){re.escape(c)}(?!\w)", re.I)) for c in _CUES]


def fold(s: str) -> str:
    s = unicodedata.normalize("NFD", s.lower()).replace("đ", "d")
    return "".join(c for c in s if unicodedata.category(c) != "Mn")


def _bucket(n: float, edges: Iterable[float]) -> int:
    return sum(n >= e for e in edges)


def _rule_name(rule: str) -> tuple[str, str]:
    kind, _, rest = rule.partition(":")
    return kind.strip(), rest.split("(")[0].strip()[:60]


def _label_kind(seg: str) -> str:
    if seg.startswith("-") or seg in {"+", "•"}:
        return "dash"
    if seg.isdigit():
        return "num"
    if re.fullmatch(r"[IVXLC]+", seg):
        return "roman"
    if re.fullmatch(r"[a-zđ]", seg):
        return "alpha"
    return "other"


def text_features(text: str, prefix: str = "") -> dict[str, float]:
    """What the words of a candidate say: opening words, cue words, length."""
    f: dict[str, float] = {}
    words = _WORD.findall(fold(text))
    n = len(words)
    f[f"{prefix}len={_bucket(n, (4, 8, 16, 32, 64, 128))}"] = 1.0
    f[f"{prefix}sents={_bucket(len(_SENT.findall(text)), (1, 2, 4))}"] = 1.0
    if words:
        f[f"{prefix}w1={words[0]}"] = 1.0
    if len(words) > 1:
        f[f"{prefix}w12={words[0]}_{words[1]}"] = 1.0
    for w in set(words[:12]):
        f[f"{prefix}head:{w}"] = 1.0
    for cue, pat in _CUE_RES:
        m = pat.search(text)
        if m:
            f[f"{prefix}cue:{cue}"] = 1.0
            if m.start() < 40:
                f[f"{prefix}cue_early:{cue}"] = 1.0
    stripped = text.rstrip()
    if stripped.endswith(":"):
        f[f"{prefix}ends_colon"] = 1.0
    if re.search(r"\d{4}", text):
        f[f"{prefix}has_year"] = 1.0
    if re.search(r"[\"“”]", text):
        f[f"{prefix}quote"] = 1.0
    letters = [c for c in text[:80] if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.8:
        f[f"{prefix}upper"] = 1.0
    return f


def _own_text(text: str, item: Item) -> str:
    return text[item.text_start : item.end]


def _depth(item: Item) -> int:
    d, node = 0, item.parent
    while node is not None:
        d += 1
        node = node.parent
    return d


def _top(item: Item) -> Item:
    node = item
    while node.parent is not None and node.parent.parent is not None:
        node = node.parent
    return node


def tree_features(text: str, item: Item | None, body: tuple[int, int]) -> dict[str, float]:
    """Where the candidate sits: its marker style, depth, children, section heading."""
    f: dict[str, float] = {}
    if item is None:
        f["tree:none"] = 1.0
        return f
    f[f"style={item.style}"] = 1.0
    f[f"depth={min(_depth(item), 4)}"] = 1.0
    f[f"children={_bucket(len(item.children), (1, 3))}"] = 1.0
    if item.parent is not None and item.parent.style != "root":
        f[f"parent_style={item.parent.style}"] = 1.0
    top = _top(item)
    if top is not item:
        words = _WORD.findall(fold(_own_text(text, top)))[:3]
        for w in words:
            f[f"sec:{w}"] = 1.0
    length = max(1, body[1] - body[0])
    f[f"pos={_bucket((item.start - body[0]) / length, (0.2, 0.5, 0.8))}"] = 1.0
    return f


def deepest_item(root: Item | None, pos: int) -> Item | None:
    """The deepest item whose own text or continuation holds `pos`."""
    if root is None:
        return None
    best: Item | None = None
    for it in root.walk():
        if it.start <= pos < max(it.subtree_end, it.text_start + 1) and (
            best is None or _depth(it) >= _depth(best)
        ):
            best = it
    return best


@dataclass
class LetterView:
    """A record with its tree, built once for the features of its candidates."""

    record: dict[str, Any]
    letter: Letter
    n_tasks: int = 0
    doc_type: str = ""
    extra: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of(cls, record: dict[str, Any]) -> LetterView:
        letter = build_letter(TextDoc(record.get("text") or ""))
        tasks = record.get("tasks") or []
        return cls(record, letter, len(tasks), fold(record.get("doc_type") or "none"))

    def part_of(self, pos: int) -> tuple[Item | None, tuple[int, int]]:
        for part in self.letter.parts:
            if part.body[0] <= pos < part.body[1]:
                return part.items, part.body
        return None, self.letter.main.body


def task_features(view: LetterView, task: dict[str, Any]) -> dict[str, float]:
    f: dict[str, float] = {"bias": 1.0, f"doc={view.doc_type}": 1.0}
    for rule in task.get("rules") or []:
        kind, name = _rule_name(rule)
        f[f"rule:{kind}={name}"] = 1.0
    f["part" if task.get("part") else "no_part"] = 1.0
    if task.get("lead_default"):
        f["lead_default"] = 1.0
    f[f"n_lead={min(len(task.get('lead') or []), 2)}"] = 1.0
    if task.get("coordinate"):
        f["has_coord"] = 1.0
    if task.get("report_to"):
        f["has_report_to"] = 1.0
    deadline = task.get("deadline")
    f["has_deadline" if deadline else "no_deadline"] = 1.0
    label = str(task.get("label") or "")
    segs = [s for s in label.split(".") if s]
    f[f"label_depth={min(len(segs), 4)}"] = 1.0
    if segs:
        f[f"label_last={_label_kind(segs[-1])}"] = 1.0
    if "s" in label or "#" in label:
        f["label_sentence"] = 1.0
    f[f"letter_tasks={_bucket(view.n_tasks, (3, 8, 20, 40))}"] = 1.0
    f.update(text_features(task.get("text") or ""))
    span = task.get("span") or [0, 0]
    root, body = view.part_of(span[0])
    f.update(tree_features(view.letter.text, deepest_item(root, span[0]), body))
    return f


# --- the model ------------------------------------------------------------------


@dataclass
class Model:
    """Weights of a logistic model over named binary features, and its threshold."""

    weights: dict[str, float]
    threshold: float
    meta: dict[str, Any] = field(default_factory=dict)

    def score(self, features: dict[str, float]) -> float:
        z = sum(self.weights.get(k, 0.0) * v for k, v in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_dict(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "meta": self.meta,
            "weights": {k: round(v, 6) for k, v in sorted(self.weights.items()) if abs(v) > 1e-6},
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Model:
        return cls(dict(d["weights"]), float(d["threshold"]), dict(d.get("meta") or {}))
