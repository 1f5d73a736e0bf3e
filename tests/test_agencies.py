"""Agency registry: surface forms → canonical names and group codes (ANNOTATION §4)."""

from __future__ import annotations

import csv
import json
import re
import time
from pathlib import Path

import pytest

from vanban.extractors.agencies import AgencyContext, AgencyRegistry
from vanban.extractors.text_utils import fold_key as fold

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
REGISTRY = REPO / "data" / "registry"
DEV = REPO / "data" / "corpus" / "dev"


@pytest.fixture(scope="module")
def reg() -> AgencyRegistry:
    return AgencyRegistry.default()


def _context(spec: str) -> AgencyContext | None:
    if not spec:
        return None
    kv = dict(part.split("=", 1) for part in spec.split(";"))
    return AgencyContext(
        issuer=kv.get("issuer"),
        level=kv.get("level"),
        province=kv.get("province"),
        date=kv.get("date"),
    )


def _forms() -> list[tuple[str, str, str, str, str]]:
    with (HERE / "agency_forms.tsv").open(encoding="utf-8") as f:
        lines = [ln for ln in f if not ln.startswith("#")]
    rows = list(csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]
    return [(m, t.replace("\\n", "\n"), e, c, b) for m, t, e, c, b in rows]


FORMS = _forms()


def test_form_table_has_at_least_300_rows() -> None:
    assert len(FORMS) >= 300


@pytest.mark.parametrize(
    ("mode", "text", "expected", "context", "behaviour"),
    FORMS,
    ids=[f"{r[4]}: {r[1][:50]}" for r in FORMS],
)
def test_surface_form_resolves_to_canonical(
    reg: AgencyRegistry, mode: str, text: str, expected: str, context: str, behaviour: str
) -> None:
    ctx = _context(context)
    want = [e for e in expected.split("; ") if e]
    if mode == "canonical":
        got = reg.canonical(text, context=ctx)
        assert got is not None
        assert got.name == want[0]
        assert got.raw == text and got.span is None
        return
    found = reg.find(text, context=ctx)
    assert [a.name for a in found] == want
    for a in found:
        assert a.span is not None
        assert text[a.span[0] : a.span[1]] == a.raw
        assert (a.code is not None) == a.name.startswith("@")
        if a.code:
            assert a.code == a.name


def _everything(reg: AgencyRegistry) -> str:
    """One long letter-like text of all find rows, for whole-text checks."""
    return "\n".join(t for m, t, *_ in FORMS if m == "find")


def test_every_span_points_at_its_raw_text(reg: AgencyRegistry) -> None:
    text = _everything(reg)
    found = reg.find(text)
    assert len(found) > 250
    for a in found:
        assert a.span is not None and text[a.span[0] : a.span[1]] == a.raw


@pytest.mark.parametrize("text", ["Các sở", "Giao các sở", "Các Sở"])
def test_a_group_ending_the_text_is_read_without_error(reg: AgencyRegistry, text: str) -> None:
    # A table's cell read alone ends with the kind word: no head runs past the last token.
    assert [a.name for a in reg.find(text)] == ["@so-nganh"]


def test_find_honours_start_and_end_with_absolute_offsets(reg: AgencyRegistry) -> None:
    text = "Kính gửi: Bộ Y tế; Bộ Công an; Bộ Tài chính."
    start = text.index("Bộ Công an")
    found = reg.find(text, start, text.index("; Bộ Tài"))
    assert [(a.name, a.span) for a in found] == [("Bộ Công an", (start, start + 10))]


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("Ủy ban nhân dân tỉnh Nghệ An chủ trì", "Ủy ban nhân dân tỉnh Nghệ An"),
        ("UBND tỉnh Nghệ An Chủ trì", "UBND tỉnh Nghệ An"),
        ("Sở Y tế phối hợp", "Sở Y tế"),
        ("Bộ Khoa học và Công nghệ chủ trì", "Bộ Khoa học và Công nghệ"),
        ("Bảo tàng Hà Nội tổ chức", "Bảo tàng Hà Nội"),
        ("Ban Quản lý dự án 85 có trách nhiệm", "Ban Quản lý dự án 85"),
        ("các cơ quan liên quan thực hiện", "các cơ quan liên quan"),
    ],
)
def test_name_never_runs_into_the_next_word(reg: AgencyRegistry, text: str, raw: str) -> None:
    assert [a.raw for a in reg.find(text)] == [raw]


def test_a_name_cut_after_its_conjunction_is_read_without_error(reg: AgencyRegistry) -> None:
    # An issuer line that ends in `VÀ` (the name goes on on the next line): the
    # text ends right after the conjunction, and the name is the words before it.
    a = reg.canonical("CỤC QUẢN LÝ ĐÊ ĐIỀU VÀ")
    assert a is not None and a.name.startswith("Cục Quản lý đê điều")


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Sở Lao động - Thương binh và Xã hội", "2026-01-10"),
        ("Sở Nông nghiệp và Môi trường", "2020-01-10"),
        ("Bộ Kế hoạch và Đầu tư", "2026-01-10"),
        ("Bộ Nông nghiệp và Môi trường", "2020-01-10"),
    ],
)
def test_body_named_outside_its_validity_keeps_its_printed_name(
    reg: AgencyRegistry, text: str, date: str
) -> None:
    [a] = reg.find(text, context=AgencyContext(date=date))
    assert (a.name, a.known) == (text, True)


def test_province_without_committee_is_not_a_mention(reg: AgencyRegistry) -> None:
    assert reg.find("tỉnh Nghệ An chủ trì") == []


def test_document_numbers_do_not_yield_agencies(reg: AgencyRegistry) -> None:
    assert reg.find("Nghị quyết số 71/NQ-CP, Thông tư 88/2019/TT-BTC, Công văn 627/BYT-BH") == []


def test_distributive_list_spans_are_the_printed_short_names(reg: AgencyRegistry) -> None:
    text = "Các Bộ: Công an, Quốc phòng, Tài chính"
    assert [a.raw for a in reg.find(text)] == ["Công an", "Quốc phòng", "Tài chính"]


def test_unknown_body_is_flagged_and_normal_cased(reg: AgencyRegistry) -> None:
    [a] = reg.find("Ban Quản lý dự án 85 chủ trì")
    assert not a.known
    got = reg.canonical("TRUNG TÂM CHUYỂN ĐỔI SỐ TỈNH LÀO CAI")
    assert got is not None and not got.known


def test_canonical_of_nothing_is_none(reg: AgencyRegistry) -> None:
    assert reg.canonical("  -- ; ") is None


def test_old_and_new_tone_placement_fold_together() -> None:
    assert fold("Uỷ ban nhân dân tỉnh Khánh Hoà") == fold("Ủy ban nhân dân tỉnh Khánh Hòa")
    assert fold("Lao động – Thương binh") == fold("Lao động - Thương binh")


def test_text_not_in_nfc_keeps_offsets(reg: AgencyRegistry) -> None:
    import unicodedata

    text = unicodedata.normalize("NFD", "Giao Bộ Y tế chủ trì")
    [a] = reg.find(text)
    assert a.name == "Bộ Y tế" and a.span is not None and text[a.span[0] : a.span[1]] == a.raw


# --- registry counts and data integrity ---------------------------------------


@pytest.mark.parametrize(
    ("level", "date", "count"),
    [
        ("ministry", "2026-01-01", 17),  # 14 ministries + 3 ministry-level agencies
        ("ministry", "2025-03-01", 17),
        ("ministry", "2025-02-28", 22),  # 18 ministries + 4 ministry-level agencies
        ("province", "2025-07-01", 34),  # Nghị quyết 202/2025/QH15
        ("province", "2026-01-01", 34),
        ("province", "2025-06-30", 63),
        ("province", "2024-06-01", 63),
        ("province", None, 34),
    ],
)
def test_counts_by_level_at_a_date(
    reg: AgencyRegistry, level: str, date: str | None, count: int
) -> None:
    assert len(reg.active(level, date)) == count


def _csv(name: str) -> list[dict[str, str]]:
    with (REGISTRY / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("name", ["agencies.csv", "provinces.csv", "unit_types.csv", "groups.csv"])
def test_every_registry_row_is_complete_and_sourced(name: str) -> None:
    rows = _csv(name)
    assert rows
    for r in rows:
        assert None not in r and all(v is not None for v in r.values()), r
        assert r["source"].strip(), r
    keys = [r["id"] if "id" in r else (r["pattern"], r["condition"]) for r in rows]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("name", ["agencies.csv", "provinces.csv", "unit_types.csv"])
def test_successors_and_parents_exist(name: str) -> None:
    rows = _csv(name)
    ids = {r["id"] for r in rows}
    for r in rows:
        for s in filter(None, r.get("successor", "").split("|")):
            assert s in ids, (r["id"], s)
        if r.get("parent"):
            assert r["parent"] in ids, (r["id"], r["parent"])
        if r["valid_to"]:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["valid_to"])


@pytest.mark.parametrize("name", ["agencies.csv", "provinces.csv", "unit_types.csv"])
def test_canonical_names_use_the_new_tone_placement(name: str) -> None:
    # Old placement only shows in open syllables (`hoà`, `uỷ`); `đoàn` is the same in both.
    old = re.compile(r"(?:oà|oá|oả|oã|oạ|uỷ|uý|uỳ|uỹ|uỵ)(?!\w)", re.IGNORECASE)
    for r in _csv(name):
        assert not old.search(r["name"]), r["name"]


def test_every_merged_province_maps_to_one_of_the_34() -> None:
    rows = {r["id"]: r for r in _csv("provinces.csv")}
    merged = [r for r in rows.values() if r["valid_to"] == "2025-06-30"]
    assert len(merged) == 52
    for r in merged:
        new = rows[r["successor"]]
        assert new["valid_from"] == "2025-07-01" and not new["valid_to"]


def test_renamed_ministry_lookup_gives_validity_and_successors(reg: AgencyRegistry) -> None:
    info = reg.lookup("Bộ LĐ-TB&XH")
    assert info.canonical == "Bộ Lao động - Thương binh và Xã hội"
    assert info.valid_to == "2025-02-28"
    assert "Bộ Nội vụ" in info.successors
    assert reg.lookup("các bộ, ngành").code == "@bo-nganh"
    old = reg.lookup("UBND tỉnh Hà Giang")
    assert old.kind == "committee" and old.successors == ("Ủy ban nhân dân tỉnh Tuyên Quang",)


def test_merged_provincial_department_lookup_gives_its_end_and_successor(
    reg: AgencyRegistry,
) -> None:
    # The departments merged on 1 March 2025 (Nghị định 45/2025/NĐ-CP): the lookup says until
    # when the name was valid and which department took it over; one still in place has none.
    merged = reg.lookup("Sở KH&ĐT")
    assert (merged.canonical, merged.kind) == ("Sở Kế hoạch và Đầu tư", "unit")
    assert (merged.valid_to, merged.successors) == ("2025-02-28", ("Sở Tài chính",))
    current = reg.lookup("Sở Y tế")
    assert (current.valid_to, current.successors) == (None, ())


@pytest.mark.parametrize(
    ("issuer", "parent", "level", "province"),
    [
        ("ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", None, "province", "Hà Nội"),
        ("Sở Y tế", "UBND TỈNH QUẢNG NINH", "province_unit", "Quảng Ninh"),
        ("Bộ Y tế", None, "central", None),
        ("Văn phòng Chính phủ", None, "central", None),
        ("Ủy ban nhân dân xã Bát Tràng", None, "commune", None),
    ],
)
def test_context_for_an_issuer(
    reg: AgencyRegistry, issuer: str, parent: str | None, level: str, province: str | None
) -> None:
    ctx = reg.context_for(issuer, date="2026-01-01", parent=parent)
    assert (ctx.level, ctx.province, ctx.date) == (level, province, "2026-01-01")


def test_default_registry_is_loaded_once(reg: AgencyRegistry) -> None:
    assert AgencyRegistry.default() is reg


# --- dev gold: recipients and task agencies are found in the letter --------------


def _norm(s: str) -> str:
    return " ".join(re.sub(r"[^\w@]+", " ", fold(s)).split())


def _gold_context(reg: AgencyRegistry, g: dict) -> AgencyContext:
    return reg.context_for(g["issuer"], date=g["issued_date"])


def _pdf_text(path: Path) -> str:
    import pypdfium2 as pdfium  # a project dependency; the PDFs' own text layer

    pdf = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf).replace("\r", "")
    finally:
        pdf.close()


def _gold_docs() -> list[tuple[str, dict, str]]:
    """Dev letters with their gold: the .txt ones, and the PDFs that have a text
    layer (the scanned ones have none and are left to the OCR tests)."""
    out = []
    for gf in sorted((DEV / "gold").glob("*.json")):
        raw, pdf = DEV / "raw" / f"{gf.stem}.txt", DEV / "pdf" / f"{gf.stem}.pdf"
        text = raw.read_text("utf-8") if raw.exists() else _pdf_text(pdf) if pdf.exists() else ""
        if len(text.strip()) > 200:
            out.append((gf.stem, json.loads(gf.read_text("utf-8")), text))
    return out


def _tune_letters() -> set[str]:
    rows = (DEV.parent.parent / "split.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return {r.split("\t")[0] for r in rows if r.split("\t")[1] == "tune"}


def test_dev_gold_agencies_are_found(reg: AgencyRegistry) -> None:
    # The tune half only (data/split.tsv): the check half is for measuring.
    total = hit = 0
    missed = []
    tune = _tune_letters()
    for name, g, text in _gold_docs():
        if name not in tune:
            continue
        found = {_norm(a.name) for a in reg.find(text, context=_gold_context(reg, g))}
        wanted = list(g["recipients"]) + [
            a for t in g["tasks"] for a in [*t["lead"], *t["coordinate"]]
        ]
        for w in wanted:
            total += 1
            if _norm(w) in found:
                hit += 1
            else:
                missed.append((name, w))
    recall = hit / total
    print(f"dev gold agency recall: {hit}/{total} = {recall:.3f}; missed: {sorted(set(missed))}")
    assert total > 200
    assert recall >= 0.97


def test_find_is_fast_on_a_whole_letter(reg: AgencyRegistry) -> None:
    texts = [t for _, _, t in _gold_docs()]
    reg.find(texts[0])
    t0 = time.perf_counter()
    for t in texts:
        reg.find(t)
    per_doc = (time.perf_counter() - t0) / len(texts)
    print(f"find: {1000 * per_doc:.1f} ms per dev letter")
    assert per_doc < 0.1


# What may follow a rule's first word: names, lists, colons, level words, other words.
_CONTINUATIONS = (
    "",
    "Bộ Y tế",
    "các tỉnh, thành phố trực thuộc Trung ương",
    "tỉnh Hà Nam",
    "Hà Nam và tỉnh Ninh Bình",
    ": Công an, Quốc phòng, Tài chính",
    "các nước: Trung Quốc, Lào",
    "Sở Y tế, Sở Tài chính và các đơn vị trực thuộc Bộ",
    "Ủy ban nhân dân tỉnh Nghệ An",
    "đơn vị thuộc Bộ",
    "cơ quan, đơn vị liên quan",
    "Sở: Y tế, Tài chính và Nội vụ",
    "Cục: Đường bộ Việt Nam, Hàng hải Việt Nam",
    "Đại sứ quán các nước: Lào, Campuchia",
    "trưởng các Bộ: Công an, Tư pháp",
    "bộ, ngành, địa phương",
)


def test_a_scan_skips_only_rules_that_cannot_start_on_the_word(reg: AgencyRegistry) -> None:
    """`_Scan.run` calls only the rules `rules_at` lists for a word: every other
    rule reads nothing that starts on that word, whatever follows it."""
    from vanban.extractors.agencies import _MISSIONS, _RULES, _folded, _Scan

    for word in sorted(reg.starters):
        skipped = [r for r in _RULES if r not in reg.rules_at[word]]
        # A mission's head read on (`Đại` + `sứ quán các nước: Lào`), a province's name.
        missions = [" ".join(m[1:]) + " các nước: Lào" for m in _MISSIONS if m[0] == word]
        names = (n for p in reg.data.provinces.values() for n in (p.name, *p.aliases))
        provinces = [n.split(" ", 1)[-1] for n in names if fold(n.split()[0]) == word]
        for rest in (*_CONTINUATIONS, *missions, *provinces):
            for first in (word, word.capitalize()):
                f = _folded(f"{first} {rest}".strip())[0]
                scan = _Scan(reg.data, f, AgencyContext(), len(f.toks))
                assert all(rule(scan, 0) is None for rule in skipped), (word, rest)
