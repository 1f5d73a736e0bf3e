"""The README stays the one page a newcomer reads (issue 15): it names every
command of the CLI, every make target and every environment variable the code
reads, and each of its links (and the detail pages' links) leads to a file."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer

from vanban.pipeline.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
CODE = ("pipeline", "extractors", "schemas")


def _section(title: str) -> str:
    """The README's text under `## title`, up to the next `## ` heading."""
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def _commands(group: Any, prefix: str = "vanban") -> Iterator[str]:
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from _commands(command, f"{prefix} {name}")
        else:
            yield f"{prefix} {name}"


def _make_targets() -> list[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return re.findall(r"^([a-zA-Z_-]+):.*## ", makefile, re.M)


def _environment_variables() -> set[str]:
    names: set[str] = set()
    for folder in CODE:
        for path in (ROOT / folder).glob("*.py"):
            names |= set(re.findall(r"\bVANBAN_[A-Z_]+\b", path.read_text(encoding="utf-8")))
    return names


def _links(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    return [t for t in re.findall(r"\]\(([^)\s]+)\)", text) if "://" not in t]


def test_every_command_has_its_line_in_the_readme_table() -> None:
    table = _section("Commands")
    commands = list(_commands(typer.main.get_command(app)))
    assert len(commands) > 10
    missing = [c for c in commands if f"| `{c}" not in table]
    assert not missing, f"README's table of commands lacks {missing}"


def test_every_make_target_is_in_the_readme() -> None:
    table = _section("Make targets")
    targets = _make_targets()
    assert "test" in targets and "help" in targets
    missing = [t for t in targets if t != "help" and f"`{t}`" not in table]
    assert not missing, f"README's table of make targets lacks {missing}"


def test_every_environment_variable_the_code_reads_is_in_the_readme() -> None:
    table = _section("Environment variables")
    names = _environment_variables()
    assert {"VANBAN_TESSERACT", "VANBAN_SOFFICE", "VANBAN_LANG"} <= names
    missing = sorted(n for n in names if f"`{n}`" not in table)
    assert not missing, f"README's table of environment variables lacks {missing}"


@pytest.mark.parametrize("page", [README, *sorted(DOCS.glob("*.md"))], ids=lambda p: p.name)
def test_every_link_leads_to_a_file(page: Path) -> None:
    broken = [t for t in _links(page) if not (page.parent / t.split("#")[0]).exists()]
    assert not broken, f"{page.name} links to missing files: {broken}"


def test_every_detail_page_is_linked_from_the_readme() -> None:
    linked = {(ROOT / t.split("#")[0]).resolve() for t in _links(README)}
    unlinked = [p.name for p in DOCS.glob("*.md") if p.resolve() not in linked]
    assert not unlinked, f"docs pages the README does not link: {unlinked}"
