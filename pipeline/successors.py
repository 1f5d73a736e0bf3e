"""Follow an agency to the body that holds its duties on a later date.

Trackers keep tasks for years; a 2024 task of `Bộ Kế hoạch và Đầu tư` is
followed up with `Bộ Tài chính` after the 2025 reorganisation. The record
keeps the name the letter used (ANNOTATION.md §4) and adds `successor`, with
its `successor_id` and `successor_jurisdiction`: a department of a merged
province (`Sở Tài chính` of the former tỉnh X) is followed to the same
department of the province that took X in.
"""

from __future__ import annotations

from vanban.extractors.agencies import AgencyRegistry
from vanban.extractors.agency_data import COMMITTEE_NAME, AgencyRow, valid_at
from vanban.pipeline.extract import map_agencies
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


def _follow(registry: AgencyRegistry, ident: str, date: str) -> str | None:
    """The registry id in force at `date` that `ident` (an agency, unit type or
    province) passed its duties to; `ident` itself when it never ended, None when
    it ended without one."""
    d = registry.data
    seen: set[str] = set()
    while ident not in seen:
        seen.add(ident)
        row = d.agencies.get(ident) or d.units.get(ident) or d.provinces.get(ident)
        if row is None or valid_at(row, date) or not row.valid_to or row.valid_to >= date:
            return ident
        if isinstance(row, AgencyRow):  # split duties: the first successor took the main ones
            nxt = row.successors[0] if row.successors else ""
        else:
            nxt = row.successor
        if not nxt:
            return None
        ident = nxt
    return None


def successor_identity(
    registry: AgencyRegistry, a: Agency, date: str
) -> tuple[str, str, str | None] | None:
    """(name, id, jurisdiction) of the body that holds `a`'s duties at `date`, when
    the body or its province or ministry ended before; None when both are still in force."""
    if a.id is None or a.code is not None:
        return None
    d = registry.data
    ident = a.id if a.id in COMMITTEE_NAME else _follow(registry, a.id, date)
    juris = _follow(registry, a.jurisdiction, date) if a.jurisdiction else None
    if ident is None or (ident, juris) == (a.id, a.jurisdiction):
        return None
    old_p, new_p = d.provinces.get(a.jurisdiction or ""), d.provinces.get(juris or "")
    if ident in COMMITTEE_NAME and new_p is not None:
        return f"{COMMITTEE_NAME[ident]} {new_p.full_name}", ident, juris
    if ident in d.agencies:
        return d.agencies[ident].name, ident, juris
    if ident in d.units:
        u = d.units[ident]
        # Named with its new province when that changed or the letter printed the old one
        # (`Sở Tài chính` of a merged province → `Sở Tài chính tỉnh Y`).
        moved = juris != a.jurisdiction
        if new_p is not None and (moved or (old_p is not None and old_p.name in a.name)):
            base = u.base if u.admin else u.name
            return f"{base} {new_p.name if u.embedded else new_p.full_name}", ident, juris
        return u.name, ident, juris
    return None


def add_successors(doc: Document, date: str, registry: AgencyRegistry | None = None) -> Document:
    registry = registry or AgencyRegistry.default()
    cache: dict[tuple[str, str | None, str | None], dict[str, str | None]] = {}

    def update(a: Agency) -> Agency:
        if a.code is not None:
            return a
        key = (a.name, a.id, a.jurisdiction)
        if key not in cache:
            found = successor_identity(registry, a, date)
            if found is not None:
                name, ident, juris = found
                cache[key] = {
                    "successor": name,
                    "successor_id": ident,
                    "successor_jurisdiction": juris,
                }
            else:  # a record without ids (written before them): by name only
                name_only = None if a.id else successor_as_of(registry, a.name, date)
                cache[key] = {"successor": name_only} if name_only else {}
        return a.model_copy(update=cache[key]) if cache[key] else a

    return map_agencies(doc, update)
