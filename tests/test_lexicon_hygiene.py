"""Lexicon hygiene (issue 13): word lists live in `data/lexicon/`, names in `data/registry/`.

Issue 13 is done when: "No extractor module holds a word list that the lexicon holds;
`git grep` for any agency or place name under `extractors/` finds only the registry loader".

(a) No line of an extractor module but the registry loader's, its code, docstrings and
    comments alike, names a province or an agency or kind of unit of the registry of any
    level (`agencies.csv`, `provinces.csv`, `unit_types.csv`: `Sở Tài chính`, `Công an
    tỉnh`): a rule that names one is a rule for the letters that name it, and an example
    uses a placeholder (`tỉnh X`, `Sở X`, `Bộ Y`, `Cục Z`). Names are compared without
    accents and case (`ha noi`, `HÀ NỘI`), also when a line break splits one, and the short
    names of a distributive list (`Các Sở: Y tế, Tài chính`) count too.
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
_TABLES = ("provinces.csv", "agencies.csv", "unit_types.csv")
# A letter, not a digit: a superscript footnote mark (`Cục X²`, `²` is alphanumeric to `re`)
# ends a name too.
_LETTER = r"[^\W\d_\u00b2\u00b3\u00b9\u2070-\u209f]"


def _registry_names() -> set[str]:
    """Every name and alias of the registry: provinces, agencies of every level, the kinds
    of unit a province or commune has (`Sở Tài chính`); three letters or more (`SYT`)."""
    names: set[str] = set()
    for table in _TABLES:
        with (REGISTRY / table).open(encoding="utf-8") as f:
            for r in csv.DictReader(f):
                names.add(r["name"])
                names.update(a for a in r["aliases"].split("|") if a)
    return {n.strip() for n in names if len(fold(n.strip())) >= 3}


def _name_pattern(names: set[str]) -> re.Pattern[str]:
    keys = sorted({" ".join(fold(n).split()) for n in names}, key=len, reverse=True)
    alts = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in keys)
    return re.compile(rf"(?<!{_LETTER})(?:{alts})(?!{_LETTER})")


_ANY_NAME = _name_pattern(_registry_names())


def _short_names() -> re.Pattern[str]:
    """The names of ministries and departments without their kind word (`Y tế` of `Sở Y
    tế`), as a distributive list prints them after `:`, `,` or `và` (`Các Sở: Y tế, Tài
    chính và Nội vụ`, ANNOTATION §4)."""
    short = {
        " ".join(fold(" ".join(words[1:])).split())
        for n in _registry_names()
        if len(words := n.split()) >= 3
        and words[0].lower() in {"sở", "bộ"}
        and words[1][0].isupper()
    }
    alts = "|".join(
        re.escape(k).replace(r"\ ", r"\s+") for k in sorted(short, key=len, reverse=True)
    )
    return re.compile(rf"(?:(?<=[:,] )|(?<=\bva ))(?:{alts})(?!{_LETTER})")


_SHORT_NAME = _short_names()
# What continues a comment or a docstring on its next line.
_CONTINUATION = re.compile(r"^\s*(?:#\s*)?")


def _names_in(source: str) -> list[tuple[int, str]]:
    """(line, name) for each registry name a line of `source` holds, or that starts on a
    line and ends on the next (a wrapped comment), or a short name of a list (capitalised)."""
    lines = source.splitlines()
    out: list[tuple[int, str]] = []
    for n, line in enumerate(lines, 1):
        folded = fold(line)
        out += [(n, m.group(0)) for m in _ANY_NAME.finditer(folded)]
        out += [(n, m.group(0)) for m in _SHORT_NAME.finditer(folded) if line[m.start()].isupper()]
        if n < len(lines):
            joined = folded + " " + fold(_CONTINUATION.sub("", lines[n]))
            out += [
                (n, m.group(0))
                for m in _ANY_NAME.finditer(joined)
                if m.start() < len(folded) < m.end()
            ]
    return out


def _modules() -> list[Path]:
    return sorted(p for p in EXTRACTORS.glob("*.py") if p.name not in _REGISTRY_LOADERS)


def test_the_scan_finds_a_name_in_a_comment() -> None:
    # The scan itself can fail: a name in a comment, a docstring or code, accented or not, in
    # capitals, wrapped over two lines, before a footnote mark, or short in a list.
    for source in (
        "# `UBND tỉnh Quảng Ninh` …",
        "    # `Giám đốc Sở Y tế` stands for …",
        '    """`Kính gửi: Công an tỉnh` / …"""',
        're.compile(r"bo y te")',
        "# `VỤ TRƯỞNG VỤ KẾ HOẠCH - TÀI CHÍNH`",
        "# (`Sở Xây dựng²`) …",
        "# (`Văn phòng Chính phủ`)",
        "# `Sở Lao động -\n# Thương binh và Xã hội`",
        "    (`Các Sở: Y tế, Tài chính và Nội vụ`)",
    ):
        assert _names_in(source), source
    for clean in (
        "# `UBND tỉnh X`, `Bộ Y`, `Sở A (chủ trì), Ban B tỉnh` …",
        r"\s+(?:Bộ|Sở|Cục)(?!\w)",
        "# `1. Xây dựng và hoàn thiện thể chế:` / `- xây dựng kế hoạch`",
    ):
        assert not _names_in(clean), clean


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.name)
def test_git_grep_finds_names_only_in_the_registry_loader(path: Path) -> None:
    # Issue 13's done-when: "`git grep` for any agency or place name under `extractors/`
    # finds only the registry loader": every line, comments and docstrings included.
    hits = [f"{path.name}:{n}: {name!r}" for n, name in _names_in(path.read_text(encoding="utf-8"))]
    assert not hits, "registry names (read the registry, or use a placeholder):\n" + "\n".join(hits)


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
_LIST_FREE = (
    "__init__.py",
    "actors.py",
    "agencies.py",
    "agency_text.py",
    "deadlines.py",
    "frame.py",
    "header.py",
    "issuer.py",
    "lexicon.py",
    "metadata_hints.py",
    "ocr_fix.py",
    "personal.py",
    "recipients.py",
    "references.py",
    "rules.py",
    "signer.py",
    "structure.py",
    "table_tasks.py",
    "tables.py",
    "tasks.py",
    "text_utils.py",
    "tree.py",
    "visited.py",
)
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


# Grammar, not word lists: alternations a pattern needs as syntax (the parts of a date, the
# preposition of one fixed construction, the conjunctions of a list) whose words a lexicon
# list also holds for another use. (module, the alternation as printed) → why it is grammar.
# An entry no longer found in its module fails `test_a_grammar_entry_is_still_there`.
_GRAMMAR: dict[tuple[str, str], str] = {
    ("deadlines.py", "ngày|tháng|năm|tuần|quý"): "the unit a number in words needs next to"
    " open a time (`hai tháng`): the time grammar's units",
    ("deadlines.py", "để|Để|nhằm|Nhằm"): "the two conjunctions of purpose that open the"
    " clause of another body's steps (case spelled out for speed)",
    ("personal.py", "với|qua|theo|tới|đến|trực"): "the prepositions the verb `liên hệ` takes"
    " (`liên hệ với/qua/theo/trực tiếp`): one construction",
    ("actors.py", "và|cùng|hoặc|với|các|các đồng chí|đồng chí|đ/c"): "the conjunctions, the"
    " plural and the honorific that stand between the bodies of one list: the list's syntax",
    ("actors.py", "để|tới|đến|cho"): "the prepositions of `thông báo để/tới/đến/cho`",
    ("actors.py", "của|tại|về|thuộc"): "prepositions that continue the subject's noun"
    " phrase, each with its own exception: no predicate yet",
    ("actors.py", "để|nhằm|về|đối với|khi|sau khi|nếu|theo|căn cứ|trên cơ sở"): "the"
    " conjunctions and prepositions that open a clause of purpose, topic, time or condition",
    ("actors.py", "các|những|quý"): "the plural and honorific determiners before a role",
    ("tasks.py", "chung|cụ thể|chính|đối với|về|của|và|khác|sau"): "what after `yêu cầu`"
    " makes it the noun (`yêu cầu chung`, `yêu cầu của`), no addressee",
    ("tasks.py", "trong|trước|chậm nhất"): "the time prepositions of `hoàn thành trong/trước`",
    ("tasks.py", "trước|trong|từ|đến|chậm nhất|hoàn thành trước"): "a time preposition"
    " before a date unit: a label naming a time",
    ("tasks.py", "ngày|tháng|quý|năm"): "the date units after a time preposition",
    ("tasks.py", "ngày|năm|số"): "the date or number after a law's name (`Luật … số 15`)",
    ("tasks.py", "báo cáo|trình|gửi"): "the verbs of the closing formula `kính báo cáo/trình/"
    "gửi …./.` of a report or a submission: one formula",
    ("tasks.py", "bằng|với|theo|qua|thông qua"): "the prepositions of means before `hình"
    " thức`, `phương thức`",
    ("tasks.py", "đến|tới|trong"): "the time prepositions of a target's date (`Đến hết năm`)",
    ("tasks.py", "năm|giai đoạn|quý|tháng"): "the periods of a target's date",
    ("tasks.py", "trên|dưới|ít nhất|tối thiểu|khoảng|từ"): "the comparison words before an amount",
    ("tasks.py", "giờ|phút|ngày|tháng|năm|h"): "the time units after a number (an hour, a"
    " date), which then counts nothing",
    ("tasks.py", "tại|ở|đối với|cho|đến|tới"): "the prepositions of place or beneficiary"
    " before a lead-in's colon (`… tại các cơ quan:`)",
}


def _grammar(module: str) -> list[str]:
    return [words for (m, words) in _GRAMMAR if m == module]


def _copied(source: str, grammar: list[str] | None = None) -> list[str]:
    """The runs of words of `source` of which three or more are words of one lexicon list,
    but for the alternations of `grammar` (`_GRAMMAR`)."""
    words = _lexicon_words()
    found = []
    runs = [
        m.group(0).split("|")
        for m in _RUN.finditer(source)
        if not any(g in m.group(0) for g in grammar or ())
    ]
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
    # … but for grammar allowed in that module (`_GRAMMAR`).
    date = 'r"\\d+\\s+(?:ngày|tháng|năm)"'
    assert _copied(date)
    assert not _copied(date, ["ngày|tháng|năm"])


def test_every_extractor_module_is_list_free() -> None:
    # Issue 13's done-when: "No extractor module holds a word list that the lexicon holds".
    assert set(_LIST_FREE) == {p.name for p in _modules()}


@pytest.mark.parametrize(("module", "words"), list(_GRAMMAR), ids=lambda v: v)
def test_a_grammar_entry_is_still_there(module: str, words: str) -> None:
    source = (EXTRACTORS / module).read_text(encoding="utf-8")
    assert any(words in m.group(0) for m in _RUN.finditer(source)), f"{module}: {words}"


@pytest.mark.parametrize("module", _LIST_FREE)
def test_no_module_holds_a_list_the_lexicon_holds(module: str) -> None:
    copied = _copied((EXTRACTORS / module).read_text(encoding="utf-8"), _grammar(module))
    assert not copied, f"{module} copies lexicon lists (read them via lexicon):\n" + "\n".join(
        copied
    )


# -- (c) lists moved to the lexicon stay there -----------------------------------

# Module-level names whose words now come from `data/lexicon/` (issue 13, "one
# lexicon"): their assignment may read the lexicon, not spell a list of words.
_MOVED = {
    "extractors/agencies.py": (
        "_STOP_WORDS _STOP_VERBS _STOP_TITLES _MISSIONS _ABSORB _COLLECTIVE"
        " _COLLECTIVE_HEADS _SEPARATORS _ACTOR_WORD_END _ACTOR_WORD_LAST"
    ),
    "extractors/personal.py": "_NOT_NAME _HEADS _JOB_TITLE _TITLE_STOP _PHONE_LABEL _EXT_LABEL _PHONE_LABEL_WORDS _EXT_LABEL_WORDS"
    " _NOT_AFTER _ID_BEFORE _HONORIFIC_WORDS",
    "extractors/deadlines.py": "_CITE_WORDS _LABEL_END _MEETING _DATA _NARRATIVE_LEAD _LABEL_STOP _NAMED_ITEMS _OTHER_SUBJECT _NUMW _NUMBER_VALUE _PREFIXES _DOCW _OPENING"
    " _UNIT_AFTER _HANDOVER",
    "extractors/actors.py": (
        "_COORD_ORGAN _ORGAN _ORGAN_NAME _ATTRIBUTE _ATTRIBUTE_HEADING _LEVEL_ALONE"
        " _SPEAKER _OWN_ACT _REPORT _REPORT_WORDS ASK _ASK_WORDS _OWN_REQUEST"
        " _BODY_MORE"
    ),
    "extractors/header.py": "_DIVISION",
    "extractors/tree.py": "_ITEM_LINE _DIVISION_LINE",
    "extractors/tasks.py": "_PER_PROVISION _PROVISION _ONE_LEVEL _WORK_OF_A_PART _WHOLE_PARTS _PUBLISHED_LIST"
    " _LISTING_WORDS _THIS_DOC _EXECUTES_DOC _IMPLEMENTATION _CONCRETE _NARRATIVE _PASSIVE_INFO"
    " _PERSON _APPLY_NOUNS _PART_NOUNS _ASKS _OBLIGATION _STILL_TO_DO _ISSUES_PLAN _DELIVERABLE"
    " _ACTOR_OPENER _EXECUTION_TIME _WORK_LIST _ROLES_ONLY_WORDS _BARE_EXECUTE",
    "extractors/references.py": "_NOT_A_DOC _NOT_CITED_BEFORE",
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


def test_the_time_openers_come_from_the_lexicon() -> None:
    # `deadlines._OPENING` was a hand index of the words that open a time; each is now the
    # first word of a phrase of a lexicon list (accented or not), none is spelt in code.
    from vanban.extractors import deadlines

    lists = ("time_openers", "event_times", "recurrence_words", "number_words")
    firsts = {p.lower().split()[0] for name in lists for p in lexicon.words(name)}
    assert set(deadlines._OPENING) <= firsts | {fold(w) for w in firsts}


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
