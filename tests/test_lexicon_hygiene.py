"""Lexicon hygiene (issue 13): word lists live in `data/lexicon/`, names in `data/registry/`.

(a) No extractor module names a province or city, or an agency of the registry
    of any level, in its code, its docstrings or its comments: a rule that
    names a place or an agency is a rule for the letters that name it, and an
    example in a docstring uses a placeholder (`tỉnh X`, `Bộ Y`, `Cục X`). Names
    are compared without accents and case, so `ha noi` or `HÀ NỘI` count too.
    The strings of the code name not even a kind of unit (`Sở Tài chính`).
(b) Each lexicon file is documented in `data/lexicon/README.md`, holds rows,
    is read by the code, and holds no row twice; no two files hold the same list.
(c) The module-level lists moved into the lexicon (`_MOVED`) are not spelled
    in code again: their assignment reads the lexicon; nor are the phrases that
    address a letter (`Kính gửi`, lexicon `address_openings`).
"""

from __future__ import annotations

import ast
import csv
import re
from pathlib import Path

import pytest

from vanban.extractors import lexicon
from vanban.extractors.text_utils import fold

ROOT = Path(__file__).resolve().parent.parent
EXTRACTORS = ROOT / "extractors"
LEXICON = ROOT / "data" / "lexicon"
REGISTRY = ROOT / "data" / "registry"

# The registry loader: it turns the CSV rows into tries and may name what it reads.
_REGISTRY_LOADERS = {"agency_data.py"}
# Modules that still name places or agencies (issue 13, being rewritten elsewhere).
# Empty this set as each is cleaned; the test fails when an entry is clean already.
_NOT_YET_CLEAN: set[str] = set()


def _registry_names() -> set[str]:
    names: set[str] = set()
    with (REGISTRY / "provinces.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            names.add(r["name"])
            names.update(a for a in r["aliases"].split("|") if a)
    with (REGISTRY / "agencies.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["level"] == "ministry":
                names.add(r["name"])
                names.update(a for a in r["aliases"].split("|") if a)
    return {n.strip() for n in names if n.strip()}


def _name_pattern(names: set[str]) -> re.Pattern[str]:
    keys = sorted({" ".join(fold(n).split()) for n in names}, key=len, reverse=True)
    alts = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in keys)
    # Letters bound a name, not digits: `Cục X²` (a footnote mark) ends it too.
    return re.compile(rf"(?<![^\W\d_])(?:{alts})(?![^\W\d_])")


_NAMES = _name_pattern(_registry_names())


def _hits(path: Path) -> list[str]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = _NAMES.search(fold(line))
        if m:
            out.append(f"{path.name}:{n}: {m.group(0)!r}")
    return out


def _modules() -> list[Path]:
    return sorted(p for p in EXTRACTORS.glob("*.py") if p.name not in _REGISTRY_LOADERS)


def test_the_scan_finds_a_name() -> None:
    # The scan itself can fail: a province and a ministry, accented or not.
    assert _NAMES.search(fold("# `UBND tỉnh Quảng Ninh` …"))
    assert _NAMES.search(fold('re.compile(r"bo y te")'))
    assert not _NAMES.search(fold("# `UBND tỉnh X`, `Bộ Y` …"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.name)
def test_no_place_or_agency_named_in_extractors(path: Path) -> None:
    hits = _hits(path)
    if path.name in _NOT_YET_CLEAN:
        assert hits, f"{path.name} is clean: remove it from _NOT_YET_CLEAN"
        return
    assert not hits, "names in code (use the registry, or a placeholder):\n" + "\n".join(hits)


def _all_registry_names() -> set[str]:
    """Every name and alias of the registry: provinces, agencies of every level, the kinds
    of unit a province or commune has (`Sở Tài chính`)."""
    names: set[str] = set()
    for table in ("provinces.csv", "agencies.csv", "unit_types.csv"):
        with (REGISTRY / table).open(encoding="utf-8") as f:
            for r in csv.DictReader(f):
                names.add(r["name"])
                names.update(a for a in r["aliases"].split("|") if a)
    return {n.strip() for n in names if len(fold(n.strip())) >= 3}


_ANY_NAME = _name_pattern(_all_registry_names())


def test_the_code_scan_finds_any_registry_name() -> None:
    assert _ANY_NAME.search(fold(r"\s+(?:Bộ|Sở|Chính phủ)"))
    assert _ANY_NAME.search(fold("Sở Tài chính"))
    assert not _ANY_NAME.search(fold(r"\s+(?:Bộ|Sở|Cục)(?!\w)"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.name)
def test_no_registry_name_in_the_code_of_extractors(path: Path) -> None:
    # The strings of the code, docstrings aside: no agency of any level, no place, no kind of
    # unit is spelt in a pattern (issue 13: `git grep` finds names only in the registry loader).
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {
        id(n.value)
        for n in ast.walk(tree)
        if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)
    }
    hits = [
        f"{path.name}:{n.lineno}: {m.group(0)!r}"
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs
        for m in _ANY_NAME.finditer(fold(n.value))
    ]
    assert not hits, "registry names in code (read the registry or the lexicon):\n" + "\n".join(
        hits
    )


def _agency_names() -> set[str]:
    """The names and aliases of the registry's agencies of every level."""
    with (REGISTRY / "agencies.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    names = {r["name"] for r in rows} | {a for r in rows for a in r["aliases"].split("|") if a}
    return {n.strip() for n in names if len(fold(n.strip())) >= 3}


_AGENCY = _name_pattern(_agency_names())
# A group's own wording (`data/registry/groups.csv`: `cơ quan thuộc Chính phủ`, a kind of
# body of the group @bo-nganh) names no agency.
_GROUP_WORDING = re.compile(r"co\s+quan\s+thuoc\s+chinh\s+phu")


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.name)
def test_no_agency_of_any_level_named_in_extractors(path: Path) -> None:
    # Comments and docstrings too: an example uses a placeholder (`Bộ Y`, `Cục X`, a leader's
    # title `Chủ tịch`), as for provinces and ministries above.
    hits = [
        f"{path.name}:{n}: {m.group(0)!r}"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for m in _AGENCY.finditer(_GROUP_WORDING.sub(" ", fold(line)))
    ]
    assert not hits, "agency names (use a placeholder or the registry):\n" + "\n".join(hits)


def test_not_yet_clean_names_real_modules() -> None:
    assert {p.name for p in _modules()} >= _NOT_YET_CLEAN


# -- (b) the lexicon -----------------------------------------------------------


def _lexicon_files() -> list[str]:
    return sorted(p.stem for p in LEXICON.glob("*.tsv"))


def _documented() -> set[str]:
    text = (LEXICON / "README.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([a-z_]+)\.tsv` \|", text, re.M))


def _code() -> str:
    parts = [p.read_text(encoding="utf-8") for p in sorted(EXTRACTORS.glob("*.py"))]
    parts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "pipeline").glob("*.py"))]
    return "\n".join(parts)


def test_every_documented_list_exists_and_every_file_is_documented() -> None:
    assert _documented() == set(_lexicon_files())


@pytest.mark.parametrize("name", sorted(_documented()))
def test_a_documented_list_has_rows_and_is_read(name: str) -> None:
    assert (LEXICON / f"{name}.tsv").is_file(), f"data/lexicon/{name}.tsv is gone"
    assert lexicon.rows(name), f"data/lexicon/{name}.tsv holds no rows"
    assert f'"{name}"' in _code(), f"no code reads data/lexicon/{name}.tsv"


@pytest.mark.parametrize("name", _lexicon_files())
def test_no_row_twice(name: str) -> None:
    rows = [tuple(r.values()) for r in lexicon.rows(name)]
    twice = {r for r in rows if rows.count(r) > 1}
    assert not twice, f"{name}.tsv holds rows twice: {sorted(twice)}"


def test_no_two_files_hold_one_list() -> None:
    seen: dict[frozenset[str], str] = {}
    for name in _lexicon_files():
        key = frozenset(fold(w) for w in lexicon.words(name))
        assert key not in seen, f"{name}.tsv repeats {seen[key]}.tsv"
        seen[key] = name


# -- (c) no word list of the lexicon copied into a module ------------------------

# Modules cleared of the lexicon's lists (issue 13); add a module once it is.
_LIST_FREE = ("frame.py", "header.py", "issuer.py", "signer.py", "recipients.py", "tree.py")
# A run of three or more alternatives (`A|B|C`) in a pattern or a set literal.
_RUN = re.compile(r"(?:[^\W\d_][^|\"'()\\\n]{0,30}\|){2,}[^\W\d_][^|\"'()\\\n]{0,30}")
_SET_WORDS = re.compile(r"\{(?:\s*\"[^\"]+\",){2,}\s*\"[^\"]+\"\s*\}")


def _lexicon_words() -> dict[str, set[str]]:
    """Each word of the lexicon, folded, and the lists that hold it (`theo` is in two)."""
    out: dict[str, set[str]] = {}
    for name in _lexicon_files():
        for w in lexicon.words(name):
            out.setdefault(" ".join(fold(w).split()), set()).add(name)
    return out


def _copied(source: str) -> list[str]:
    words = _lexicon_words()
    found = []
    runs = [m.group(0).split("|") for m in _RUN.finditer(source)]
    runs += [re.findall(r"\"([^\"]+)\"", m.group(0)) for m in _SET_WORDS.finditer(source)]
    for run in runs:
        by_list: dict[str, list[str]] = {}
        for alt in run:
            key = " ".join(fold(alt).split())
            for name in words.get(key, ()):
                by_list.setdefault(name, []).append(alt.strip())
        found += [f"{n}: {ws}" for n, ws in by_list.items() if len(ws) >= 3]
    return found


def test_the_copy_scan_finds_a_copied_list() -> None:
    assert _copied('_X = re.compile(r"\\b(?:mục đích|mục tiêu|chỉ tiêu|quan điểm)\\b")')
    assert _copied('_Y = frozenset({"cua", "voi", "theo"})')
    assert not _copied('_Z = re.compile(r"(?:KT|foo|bar)")')


@pytest.mark.parametrize("module", _LIST_FREE)
def test_no_module_holds_a_list_the_lexicon_holds(module: str) -> None:
    copied = _copied((EXTRACTORS / module).read_text(encoding="utf-8"))
    assert not copied, f"{module} copies lexicon lists (read them via lexicon):\n" + "\n".join(
        copied
    )


# -- (c) lists moved to the lexicon stay there -----------------------------------

# Module-level names whose words now come from `data/lexicon/` (issue 13, "one
# lexicon"): their assignment may read the lexicon, not spell a list of words.
_MOVED = {
    "extractors/agencies.py": (
        "_STOP_WORDS _STOP_VERBS _STOP_TITLES _MISSIONS _ABSORB _COLLECTIVE"
        " _COLLECTIVE_HEADS _SEPARATORS"
    ),
    "extractors/personal.py": "_NOT_NAME _HEADS _JOB_TITLE _TITLE_STOP _PHONE_LABEL _EXT_LABEL _PHONE_LABEL_WORDS _EXT_LABEL_WORDS"
    " _NOT_AFTER _ID_BEFORE _HONORIFIC_WORDS",
    "extractors/deadlines.py": "_CITE_WORDS _LABEL_END _MEETING _DATA _NARRATIVE_LEAD _LABEL_STOP _NAMED_ITEMS _OTHER_SUBJECT _NUMW _NUMBER_VALUE _PREFIXES _DOCW",
    "extractors/actors.py": (
        "_COORD_ORGAN _ORGAN _ORGAN_NAME _ATTRIBUTE _ATTRIBUTE_HEADING _LEVEL_ALONE"
        " _SPEAKER _OWN_ACT"
    ),
    "extractors/header.py": "_DIVISION",
    "extractors/tree.py": "_ITEM_LINE _DIVISION_LINE",
    "extractors/tasks.py": "_PER_PROVISION _PROVISION _ONE_LEVEL _WORK_OF_A_PART _WHOLE_PARTS _PUBLISHED_LIST"
    " _LISTING_WORDS _THIS_DOC _EXECUTES_DOC _IMPLEMENTATION _CONCRETE _NARRATIVE _PASSIVE_INFO"
    " _PERSON",
    "pipeline/ocr_correct.py": "_CLOSED _CODE_D _SO_MISREAD _DIGIT_FIX",
}
# `a|b|c` of plain words; a string of five plain words or more is one too.
_ALTERNATION = re.compile(r"(?:[^\W\d_]+(?: [^\W\d_]+)*\|){2,}[^\W\d_]+")


def _spells_words(node: ast.AST) -> bool:
    """Does an expression spell a word list (three or more literal words)?"""
    for n in ast.walk(node):
        if isinstance(n, ast.Constant) and isinstance(n.value, str):
            words = n.value.split()
            plain = sum(w.isalpha() for w in words)
            if _ALTERNATION.search(n.value) or (plain >= 5 and plain >= 0.8 * len(words)):
                return True
        items = n.keys if isinstance(n, ast.Dict) else n.args if isinstance(n, ast.Call) else None
        items = getattr(n, "elts", items)
        if items is not None:
            strs = [e for e in items if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if len(strs) >= 3 and any(any(c.isalpha() for c in e.value) for e in strs):
                return True
    return False


def _assignments(path: Path) -> dict[str, ast.AST]:
    out: dict[str, ast.AST] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            out[node.targets[0].id] = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
            out[node.target.id] = node.value
    return out


def test_the_word_list_check_can_fail() -> None:
    assert _spells_words(ast.parse('frozenset({"cơ quan", "đơn vị", "ngành"})'))
    assert _spells_words(ast.parse('re.compile(r"(?:vừa qua|trước đó|sau đó)$")'))
    assert _spells_words(ast.parse('_words("giao yêu đề có đã sẽ")'))
    assert not _spells_words(ast.parse('frozenset(lexicon.words("body_name_stops"))'))
    assert not _spells_words(ast.parse('re.compile(r"(?:dự|tham dự)\\s+họp")'))


@pytest.mark.parametrize(
    ("module", "name"),
    [(m, n) for m, names in _MOVED.items() for n in names.split()],
    ids=lambda v: v,
)
def test_a_moved_list_is_not_spelled_in_code(module: str, name: str) -> None:
    values = _assignments(ROOT / module)
    assert name in values, f"{module} no longer assigns {name}: update _MOVED"
    assert not _spells_words(values[name]), f"{module}: {name} spells its words; read the lexicon"


# -- (c) the phrases that address a letter -----------------------------------------

# `Kính gửi`, `Kính gởi`, `Kính trình` and their OCR spellings were spelt in six patterns
# of three modules, each a little differently; they are `data/lexicon/address_openings.tsv`.
_ADDRESS_SPELT = re.compile(r"K\[[íÍ]i\]nh|g\[[ửởu]+\]i|(?i:k[íi]nh(?:\s|\\s)+(?:g|tr))")


def _code_strings(source: str) -> list[str]:
    """The string constants of a module's code, not its docstrings."""
    tree = ast.parse(source)
    docs = {
        id(n.value)
        for n in ast.walk(tree)
        if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)
    }
    return [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs
    ]


def test_the_address_scan_finds_a_spelling() -> None:
    assert _ADDRESS_SPELT.search(r"(?:K[íi]nh\s+)?g[ửu]i\s*:")
    assert _ADDRESS_SPELT.search("Kính gửi")
    assert not _ADDRESS_SPELT.search(r"\bkính đề nghị\b")
    assert _code_strings('"""`Kính gửi:`"""\nX = "a"') == ["a"]


@pytest.mark.parametrize("module", ("frame.py", "header.py", "recipients.py", "actors.py"))
def test_address_phrases_are_read_from_the_lexicon(module: str) -> None:
    spelt = [
        s
        for s in _code_strings((EXTRACTORS / module).read_text(encoding="utf-8"))
        if _ADDRESS_SPELT.search(s)
    ]
    assert not spelt, f"{module} spells `Kính gửi` (read lexicon.address_opening): {spelt}"
