"""Reading the reviewed registry tables (`data/registry/*.csv`) into tries.

Each CSV row is a fact with its legal source; this module only turns the rows
into look-up structures. Grammar words (committee heads, administrative level
words) are part of the language, not of the registry, and live here as
constants.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from vanban.extractors.agency_text import Trie, expand, tokens


@dataclass(frozen=True)
class AgencyRow:
    id: str
    name: str
    level: str
    parent: str
    valid_from: str
    valid_to: str
    successors: tuple[str, ...]
    aliases: tuple[str, ...]
    note: str
    source: str


@dataclass(frozen=True)
class ProvinceRow:
    id: str
    name: str
    kind: str  # "tỉnh" or "thành phố"
    full_name: str  # `tỉnh X`, `thành phố X`, `Thành phố X`
    valid_from: str
    valid_to: str
    successor: str
    aliases: tuple[str, ...]
    note: str
    source: str

    @property
    def committee(self) -> str:
        return f"Ủy ban nhân dân {self.full_name}"


@dataclass(frozen=True)
class UnitRow:
    id: str
    name: str
    scope: str  # "province" | "ministry"
    admin: bool  # the name ends in the level word (`Công an tỉnh`)
    embedded: bool  # the level is inside the name (`Thành đoàn` + `X`)
    base: str  # the name without that level word (`Công an`)
    valid_from: str
    valid_to: str
    successor: str
    aliases: tuple[str, ...]
    note: str
    source: str
    # The place printed after the name is part of the unit's own name and stays as printed
    # (`Ban Quản lý Khu kinh tế Hà Tĩnh`, no `tỉnh` added): `admin_slot` `named`.
    place_as_printed: bool = False


@dataclass(frozen=True)
class GroupRow:
    codes: tuple[str, ...]
    pattern: str
    conditions: tuple[str, ...]
    note: str
    source: str


@dataclass(frozen=True)
class GroupCode:
    """A group code as a registry entry (group_codes.csv): what it covers and who its members are.

    `scope`: `national`, `province` (the issuing province's bodies), `issuer` (the
    issuer's own units) or `none`; `members`: what `--expand-groups` lists, each
    `level:<agencies.csv level>`, `provinces` (every province's People's Committee)
    or a unit type id of unit_types.csv (in the group's jurisdiction).
    """

    code: str
    name: str
    scope: str
    members: tuple[str, ...]
    note: str
    source: str


Row = AgencyRow | ProvinceRow | UnitRow

# Committee heads: the People's Committee / Council and the party committee of a
# province (`Tỉnh ủy X` is scored as `Ủy ban nhân dân tỉnh X`, ANNOTATION §4).
HEADS: dict[str, str] = {
    "ủy ban nhân dân": "ubnd",
    "ubnd": "ubnd",
    "ủy ban nd": "ubnd",
    "hội đồng nhân dân": "hdnd",
    "hđnd": "hdnd",
    "tỉnh ủy": "party",
    "thành ủy": "party",
    "thường trực tỉnh ủy": "party",
    "thường trực thành ủy": "party",
    "ban thường vụ tỉnh ủy": "party",
    "ban thường vụ thành ủy": "party",
}
COMMITTEE_NAME = {"ubnd": "Ủy ban nhân dân", "hdnd": "Hội đồng nhân dân"}
# Administrative level words → their canonical spelling.
ADMIN: dict[str, str] = {
    "tỉnh": "tỉnh",
    "thành phố": "thành phố",
    "tp": "thành phố",
    "tp .": "thành phố",
    "t . p": "thành phố",
    "t . p .": "thành phố",
    "huyện": "huyện",
    "quận": "quận",
    "thị xã": "thị xã",
    "thị trấn": "thị trấn",
    "xã": "xã",
    "phường": "phường",
    "đặc khu": "đặc khu",
}
PROVINCE_LEVEL = frozenset({"tỉnh", "thành phố"})
DISTRICT_LEVEL = frozenset({"huyện", "quận", "thị xã"})
COMMUNE_LEVEL = frozenset({"xã", "phường", "thị trấn", "đặc khu"})
# Macros of groups.csv patterns.
MACROS = {
    "ubnd": "{ủy ban nhân dân|ubnd}",
    "tw": "trực thuộc {trung ương|tw}",
    "huyen": (
        "{huyện , thị xã , thành phố|quận , huyện , thị xã|quận , huyện , thị xã , thành phố"
        "|huyện , quận , thị xã , thành phố|quận , huyện|huyện , thành phố|huyện , thị xã"
        "|huyện|quận|thị xã|huyện , thị xã , thành phố thuộc tỉnh"
        "|quận , huyện , thị xã , thành phố thuộc tỉnh|huyện , thành phố thuộc tỉnh}"
    ),
    "xa": (
        "{xã , phường , thị trấn|phường , xã , thị trấn|xã , thị trấn|xã , phường|phường , xã"
        "|xã , phường , đặc khu|phường , xã , đặc khu|xã , phường , thị trấn , đặc khu"
        "|xã|phường|thị trấn}"
    ),
}


def _split(s: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in s.split("|") if a.strip())


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return [{k: (v or "").strip() for k, v in r.items()} for r in csv.DictReader(f)]


def valid_at(row: Row, date: str | None) -> bool:
    """Is the row in force on `date` (ISO)? Without a date: is it current?"""
    if date is None:
        return not row.valid_to
    return (not row.valid_from or row.valid_from <= date) and (
        not row.valid_to or date <= row.valid_to
    )


R = TypeVar("R", AgencyRow, ProvinceRow, UnitRow)


def pick(rows: list[R], date: str | None) -> R | None:
    """The row in force at `date`, else the latest one."""
    if not rows:
        return None
    for r in rows:
        if valid_at(r, date):
            return r
    if date is not None:
        return None
    return rows[-1]


@dataclass
class RegistryData:
    agencies: dict[str, AgencyRow] = field(default_factory=dict)
    provinces: dict[str, ProvinceRow] = field(default_factory=dict)
    units: dict[str, UnitRow] = field(default_factory=dict)
    groups: list[GroupRow] = field(default_factory=list)
    # Group code → its registry entry: the name a reader is shown for it
    # (`@cap-xa` → `Ủy ban nhân dân cấp xã`), its scope and members.
    group_codes: dict[str, GroupCode] = field(default_factory=dict)
    agency_trie: Trie = field(default_factory=Trie)
    short_trie: Trie = field(default_factory=Trie)  # `Công an` in `Các Bộ: Công an, …`
    unit_trie: Trie = field(default_factory=Trie)
    province_trie: Trie = field(default_factory=Trie)
    group_trie: Trie = field(default_factory=Trie)
    head_trie: Trie = field(default_factory=Trie)
    admin_trie: Trie = field(default_factory=Trie)
    proper_names: tuple[str, ...] = ()


def load(data_dir: Path) -> RegistryData:
    d = RegistryData()
    for r in _read(data_dir / "agencies.csv"):
        a = AgencyRow(
            r["id"],
            r["name"],
            r["level"],
            r["parent"],
            r["valid_from"],
            r["valid_to"],
            _split(r["successor"]),
            _split(r["aliases"]),
            r["note"],
            r["source"],
        )
        d.agencies[a.id] = a
        for form in (a.name, *a.aliases):
            d.agency_trie.add(tokens(form), a.id)
            # `Các Bộ: Công an, Quốc phòng` names ministries by their short name.
            if a.level == "ministry" and form.startswith("Bộ "):
                d.short_trie.add(tokens(form.removeprefix("Bộ ")), a.id)
    for r in _read(data_dir / "provinces.csv"):
        p = ProvinceRow(
            r["id"],
            r["name"],
            r["kind"],
            r["full_name"],
            r["valid_from"],
            r["valid_to"],
            r["successor"],
            _split(r["aliases"]),
            r["note"],
            r["source"],
        )
        d.provinces[p.id] = p
        for form in (p.name, *p.aliases):
            d.province_trie.add(tokens(form), p.id)
    for r in _read(data_dir / "unit_types.csv"):
        admin = r["admin_slot"] == "admin"
        name = r["name"]
        base = name.rsplit(" ", 1)[0] if admin else name
        u = UnitRow(
            r["id"],
            name,
            r["scope"],
            admin,
            r["admin_slot"] == "embedded",
            base,
            r["valid_from"],
            r["valid_to"],
            r["successor"],
            _split(r["aliases"]),
            r["note"],
            r["source"],
            place_as_printed=r["admin_slot"] == "named",
        )
        d.units[u.id] = u
        for form in (name, *u.aliases):
            toks = tokens(form)
            if admin and toks and toks[-1] == "tỉnh":
                toks = toks[:-1]
            d.unit_trie.add(toks, u.id)
    for r in _read(data_dir / "groups.csv"):
        g = GroupRow(
            tuple(c for c in r["code"].split("+") if c),
            r["pattern"],
            tuple(c.strip() for c in r["condition"].split(";") if c.strip()),
            r["note"],
            r["source"],
        )
        d.groups.append(g)
        for form in expand(g.pattern, MACROS):
            d.group_trie.add(tokens(form), g)
    for r in _read(data_dir / "group_codes.csv"):
        c = GroupCode(
            r["code"], r["name"], r["scope"], _split(r["members"]), r["note"], r["source"]
        )
        d.group_codes[c.code] = c
    for form, kind in HEADS.items():
        d.head_trie.add(tokens(form), kind)
    for form, adm in ADMIN.items():
        d.admin_trie.add(tuple(form.split()), adm)
    d.proper_names = tuple(sorted({p.name for p in d.provinces.values()}))
    return d
