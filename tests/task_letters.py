"""Helpers of the tests that run letters written for them end to end."""

from __future__ import annotations

from pathlib import Path

from vanban.pipeline.extract import extract
from vanban.pipeline.load import load
from vanban.schemas import Agency, Document, Task


def extract_file(tmp_path: Path, name: str, text: str) -> Document:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return extract(load(path))


def names(agencies: list[Agency]) -> list[str]:
    return [a.code or a.name for a in agencies]


def due(task: Task) -> str | None:
    return task.deadline.date if task.deadline else None


def assert_spans_point_at_text(doc: Document) -> None:
    for task in doc.tasks:
        s, e = task.span
        assert doc.text[s:e] == task.text, task.label
