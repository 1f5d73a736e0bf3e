"""The layering of the design (DEVELOPERS.md): `schemas` imports nothing of
ours, `extractors` only `schemas`, `pipeline` composes them; and every import of
our code goes through the `vanban` name the wheel installs."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = {
    "schemas": {"vanban.schemas"},
    "extractors": {"vanban.schemas", "vanban.extractors"},
    "pipeline": {"vanban.schemas", "vanban.extractors", "vanban.pipeline", "vanban"},
}
OURS = ("vanban", "pipeline", "extractors", "schemas")


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
    return [n for n in names if n.split(".")[0] in OURS]


def _package(name: str) -> str:
    parts = name.split(".")
    return ".".join(parts[:2]) if parts[0] == "vanban" and len(parts) > 1 else parts[0]


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_the_layers_below_it(layer: str) -> None:
    wrong = [
        f"{p.name}: {name}"
        for p in sorted((ROOT / layer).glob("*.py"))
        for name in _imports(p)
        if _package(name) not in ALLOWED[layer]
    ]
    assert not wrong


def test_code_and_tests_import_our_packages_through_vanban() -> None:
    files = [
        p
        for d in ("pipeline", "extractors", "schemas", "tests", "scripts", "benchmarks")
        for p in sorted((ROOT / d).glob("*.py"))
    ]
    bare = [
        f"{p.relative_to(ROOT)}: {n}"
        for p in files
        for n in _imports(p)
        if n.split(".")[0] != "vanban"
    ]
    assert not bare
