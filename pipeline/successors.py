"""Follow an agency to the body that holds its duties on a later date.

Trackers keep tasks for years; a 2024 task of `Bộ Kế hoạch và Đầu tư` is
followed up with `Bộ Tài chính` after the 2025 reorganisation. The record
keeps the name the letter used (ANNOTATION.md §4) and adds `successor`.
"""

from __future__ import annotations

from vanban.extractors.agencies import AgencyRegistry
from vanban.schemas import Agency, Document


def successor_as_of(registry: AgencyRegistry, name: str, date: str) -> str | None:
    """The body in force at `date` that took over from `name`, if `name` ended before it."""
    current, seen = name, {name}
    while True:
        info = registry.lookup(current)
        if not info.known or not info.valid_to or info.valid_to >= date:
            return current if current != name else None
        if not info.successors:
            return None
        # Where duties were split, the first successor took the main ones (see the registry's note).
        current = info.successors[0]
        if current in seen:
            return None
        seen.add(current)


def add_successors(doc: Document, date: str, registry: AgencyRegistry | None = None) -> Document:
    registry = registry or AgencyRegistry.default()
    cache: dict[str, str | None] = {}

    def update(a: Agency | None) -> Agency | None:
        if a is None or a.code is not None:
            return a
        if a.name not in cache:
            cache[a.name] = successor_as_of(registry, a.name, date)
        return a.model_copy(update={"successor": cache[a.name]}) if cache[a.name] else a

    def update_all(agencies: list[Agency]) -> list[Agency]:
        return [x for x in (update(a) for a in agencies) if x is not None]

    tasks = [
        t.model_copy(
            update={
                "lead": update_all(t.lead),
                "coordinate": update_all(t.coordinate),
                "report_to": update_all(t.report_to),
            }
        )
        for t in doc.tasks
    ]
    return doc.model_copy(
        update={
            "issuer": update(doc.issuer),
            "parent_issuer": update(doc.parent_issuer),
            "recipients": update_all(doc.recipients),
            "tasks": tasks,
        }
    )
