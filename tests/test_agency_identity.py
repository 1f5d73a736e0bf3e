"""Agency identity (issue 14): every known body carries its registry `id`, and a
`jurisdiction` (the province or ministry it belongs to), so `(id, jurisdiction)`
tells the same department of two provinces apart; group codes are registry
entries that `lookup`, `--expand-groups` and `status` read."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from vanban.extractors.agencies import AgencyRegistry
from vanban.pipeline.batch import ingest
from vanban.pipeline.export import assignments_frame, expand_group
from vanban.pipeline.extract import extract_text_doc
from vanban.pipeline.normalize import normalize
from vanban.pipeline.status import status_rows
from vanban.pipeline.successors import add_successors
from vanban.schemas import Agency, Deadline, Document, Source, Task, TextDoc, UsageError

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = ROOT / "data" / "registry"
SAMPLES = ROOT / "data" / "samples"
FOOT = "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nNguyễn Văn An"


@pytest.fixture(scope="module")
def reg() -> AgencyRegistry:
    return AgencyRegistry.default()


def _letter(head: str, body: str, year: int = 2026) -> Document:
    text = head.format(year=year) + body + "\n" + FOOT
    source = Source(path="x.txt", format="txt", sha256="0" * 64)
    return extract_text_doc(TextDoc(normalize(text).text), source)


PROVINCE_HEAD = """ỦY BAN NHÂN DÂN
TỈNH BẮC NINH
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 12/UBND-VP
V/v cải cách hành chính
Bắc Ninh, ngày 5 tháng 3 năm {year}
Kính gửi: Sở Nội vụ; Sở Tài chính tỉnh Lạng Sơn.
"""
PROVINCE_BODY = """1. Giao Sở Nội vụ chủ trì, phối hợp với Bộ Nội vụ rà soát thủ tục.
2. Công an tỉnh chủ trì kiểm tra an ninh.
3. Các sở, ban, ngành và Ủy ban nhân dân các xã, phường triển khai thực hiện.
"""


def _by_name(doc: Document) -> dict[str, Agency]:
    agencies = [*doc.recipients, *(a for t in doc.tasks for a in (*t.lead, *t.coordinate))]
    return {a.name: a for a in agencies}


def test_a_department_named_alone_belongs_to_the_issuing_province(reg: AgencyRegistry) -> None:
    found = _by_name(_letter(PROVINCE_HEAD, PROVINCE_BODY))
    nv = found["Sở Nội vụ"]
    assert (nv.id, nv.jurisdiction) == ("so-nv", "bac-ninh-2025")
    assert (found["Công an tỉnh"].id, found["Công an tỉnh"].jurisdiction) == (
        "cong-an",
        "bac-ninh-2025",
    )
    # A ministry is national: an id, no jurisdiction.
    assert (found["Bộ Nội vụ"].id, found["Bộ Nội vụ"].jurisdiction) == ("bnv", None)


def test_a_body_named_with_its_province_keeps_its_own() -> None:
    found = _by_name(_letter(PROVINCE_HEAD, PROVINCE_BODY))
    other = found["Sở Tài chính tỉnh Lạng Sơn"]
    assert (other.id, other.jurisdiction) == ("so-tc", "lang-son")


def test_groups_are_identified_by_their_code_and_a_provinces_groups_by_its_province() -> None:
    found = _by_name(_letter(PROVINCE_HEAD, PROVINCE_BODY))
    for code in ("@so-nganh", "@cap-xa"):
        assert (found[code].id, found[code].jurisdiction) == (code, "bac-ninh-2025")


def test_the_province_is_the_one_in_force_on_the_letters_date() -> None:
    """Bắc Ninh merged with Bắc Giang on 1 July 2025: two provinces of one name."""
    before = _by_name(_letter(PROVINCE_HEAD, PROVINCE_BODY, year=2024))
    assert before["Sở Nội vụ"].jurisdiction == "bac-ninh"
    issuer = _letter(PROVINCE_HEAD, PROVINCE_BODY, year=2024).issuer
    assert issuer is not None and (issuer.id, issuer.jurisdiction) == ("ubnd", "bac-ninh")


def test_a_department_issuing_under_its_province_gets_the_province() -> None:
    head = """UBND TỈNH BẮC NINH
SỞ NỘI VỤ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 7/SNV-VP
V/v báo cáo
Bắc Ninh, ngày 5 tháng 3 năm {year}
Kính gửi: Sở Y tế.
"""
    doc = _letter(head, "Đề nghị Sở Y tế báo cáo trước ngày 30/3/2026.\n")
    assert doc.issuer is not None and doc.parent_issuer is not None
    assert (doc.issuer.id, doc.issuer.jurisdiction) == ("so-nv", "bac-ninh-2025")
    assert (doc.parent_issuer.id, doc.parent_issuer.jurisdiction) == ("ubnd", "bac-ninh-2025")
    assert _by_name(doc)["Sở Y tế"].jurisdiction == "bac-ninh-2025"


def test_a_ministrys_units_belong_to_it_and_departments_everywhere_to_none() -> None:
    head = """BỘ TƯ PHÁP
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 9/BTP-VP
V/v rà soát văn bản
Hà Nội, ngày 5 tháng 3 năm {year}
Kính gửi: Sở Tư pháp các tỉnh, thành phố trực thuộc Trung ương.
"""
    body = "1. Giao Vụ Pháp chế chủ trì rà soát.\n2. Sở Tư pháp báo cáo kết quả.\n"
    found = _by_name(_letter(head, body))
    assert (found["Vụ Pháp chế"].id, found["Vụ Pháp chế"].jurisdiction) == ("vu-phap-che", "btp")
    assert (found["Sở Tư pháp"].id, found["Sở Tư pháp"].jurisdiction) == ("so-tp", None)


def test_a_citys_police_in_a_provinces_letter_is_not_the_provinces(reg: AgencyRegistry) -> None:
    ctx = reg.context_for("Ủy ban nhân dân tỉnh Bắc Ninh", date="2026-03-05")
    (police,) = reg.find("Công an thành phố phối hợp.", context=ctx)
    assert (police.id, police.jurisdiction) == ("cong-an", None)


def test_an_unknown_body_has_no_id(reg: AgencyRegistry) -> None:
    ctx = reg.context_for("Ủy ban nhân dân tỉnh Bắc Ninh", date="2026-03-05")
    (unknown,) = reg.find("Trung tâm Bảo tồn Di sản Kinh Bắc thực hiện.", context=ctx)
    assert not unknown.known and unknown.id is None and unknown.jurisdiction is None


def test_lookup_answers_a_group_code_with_what_it_covers(reg: AgencyRegistry) -> None:
    info = reg.lookup("@cap-xa")
    assert (info.kind, info.code, info.id, info.known) == ("group", "@cap-xa", "@cap-xa", True)
    assert info.covers == "Ủy ban nhân dân cấp xã"
    assert reg.lookup("Bộ KH&ĐT").id == "bkhdt"
    committee = reg.lookup("UBND tỉnh Hà Giang")
    assert (committee.id, committee.jurisdiction) == ("ubnd", "ha-giang")


def test_every_group_code_is_a_registry_entry_whose_members_exist() -> None:
    with (REGISTRY / "groups.csv").open(encoding="utf-8") as f:
        used = {c for r in csv.DictReader(f) for c in r["code"].split("+") if c.startswith("@")}
    with (REGISTRY / "group_codes.csv").open(encoding="utf-8") as f:
        rows = {r["code"]: r for r in csv.DictReader(f)}
    with (REGISTRY / "unit_types.csv").open(encoding="utf-8") as f:
        units = {r["id"] for r in csv.DictReader(f)}
    assert used <= set(rows)
    for r in rows.values():
        assert r["scope"] in {"national", "province", "issuer", "none"}, r["code"]
        for m in filter(None, r["members"].split("|")):
            assert m == "provinces" or m.startswith("level:") or m in units, (r["code"], m)


def test_a_provinces_departments_are_the_members_in_force_on_the_date(
    reg: AgencyRegistry,
) -> None:
    old = reg.members("@so-nganh", "2024-05-01", "bac-ninh") or []
    new = reg.members("@so-nganh", "2026-05-01", "bac-ninh-2025") or []
    assert "Sở Kế hoạch và Đầu tư" in {m.name for m in old}
    assert "Sở Kế hoạch và Đầu tư" not in {m.name for m in new}
    assert {m.jurisdiction for m in new} == {"bac-ninh-2025"}
    assert reg.members("@cap-xa", "2026-05-01", "bac-ninh-2025") is None  # not listed
    assert "Sở Nội vụ" in (expand_group("@so-nganh", "2026-05-01") or [])


def _task(label: str, lead: list[Agency]) -> Task:
    due = Deadline(date="2026-03-20", raw="20/3/2026", span=(0, 1))
    return Task(
        task_id=f"{label}", label=label, text="Báo cáo.", span=(0, 1), lead=lead, deadline=due
    )


def _doc(doc_id: str, tasks: list[Task], issued: str = "2026-03-01") -> Document:
    source = Source(path=f"{doc_id}.txt", format="txt", sha256="0")
    return Document(doc_id=doc_id, source=source, text="x", issued_date=issued, tasks=tasks)


def _agency(name: str, ident: str, juris: str | None) -> Agency:
    code = ident if ident.startswith("@") else None
    return Agency(name=name, code=code, raw=name, id=ident, jurisdiction=juris)


BAC_NINH = _doc("bn", [_task("1", [_agency("Sở Nội vụ", "so-nv", "bac-ninh-2025")])])
HA_NOI = _doc("hn", [_task("1", [_agency("Sở Nội vụ", "so-nv", "ha-noi")])])
GROUP = _doc("grp", [_task("1", [_agency("@so-nganh", "@so-nganh", "bac-ninh-2025")])])


def test_status_tells_the_same_department_of_two_provinces_apart() -> None:
    rows = status_rows([BAC_NINH, HA_NOI], date(2026, 3, 10))
    assert {(r.agency, r.jurisdiction) for r in rows} == {
        ("Sở Nội vụ @ Bắc Ninh", "bac-ninh-2025"),
        ("Sở Nội vụ @ Hà Nội", "ha-noi"),
    }
    mine = status_rows([BAC_NINH, HA_NOI, GROUP], date(2026, 3, 10), agency="Sở Nội vụ @ Bắc Ninh")
    assert {(r.doc_id, r.via_group) for r in mine} == {("bn", None), ("grp", "@so-nganh")}
    by_id = status_rows([BAC_NINH, HA_NOI], date(2026, 3, 10), agency="SNV @ ha-noi")
    assert [r.doc_id for r in by_id] == ["hn"]
    # Without a place, both provinces' departments, each under its own label.
    both = status_rows([BAC_NINH, HA_NOI], date(2026, 3, 10), agency="Sở Nội vụ")
    assert len({r.agency for r in both}) == 2


def test_status_says_what_to_write_for_an_unknown_place() -> None:
    with pytest.raises(UsageError, match="Sở Nội vụ @ Bắc Ninh"):
        status_rows([BAC_NINH], date(2026, 3, 10), agency="Sở Nội vụ @ Atlantis")


def test_expanded_assignments_carry_id_and_jurisdiction() -> None:
    frame = assignments_frame([GROUP], expand_groups=True)
    assert set(frame["via_group"]) == {"@so-nganh"}
    assert set(frame["jurisdiction"]) == {"bac-ninh-2025"}
    assert "so-nv" in set(frame["agency_id"])
    plain = assignments_frame([BAC_NINH])
    assert plain[["agency", "agency_id", "jurisdiction"]].values.tolist() == [
        ["Sở Nội vụ", "so-nv", "bac-ninh-2025"]
    ]


@pytest.mark.parametrize(
    ("agency", "successor"),
    [
        # A department of a province merged on 1 July 2025: the same department of the new one.
        (
            _agency("Sở Tài chính", "so-tc", "bac-giang"),
            ("Sở Tài chính tỉnh Bắc Ninh", "so-tc", "bac-ninh-2025"),
        ),
        # A department renamed in a province that was not merged: no province added.
        (
            _agency("Sở Kế hoạch và Đầu tư", "so-khdt", "lang-son"),
            ("Sở Tài chính", "so-tc", "lang-son"),
        ),
        (
            _agency("Sở Kế hoạch và Đầu tư tỉnh Bắc Giang", "so-khdt", "bac-giang"),
            ("Sở Tài chính tỉnh Bắc Ninh", "so-tc", "bac-ninh-2025"),
        ),
        (
            _agency("Hội đồng nhân dân tỉnh Hà Giang", "hdnd", "ha-giang"),
            ("Hội đồng nhân dân tỉnh Tuyên Quang", "hdnd", "tuyen-quang-2025"),
        ),
        (_agency("Bộ Kế hoạch và Đầu tư", "bkhdt", None), ("Bộ Tài chính", "btc", None)),
        (_agency("Sở Tài chính", "so-tc", "lang-son"), None),  # Lạng Sơn was not merged
    ],
)
def test_successor_carries_its_id_and_jurisdiction(
    agency: Agency, successor: tuple[str, str, str | None] | None
) -> None:
    doc = add_successors(_doc("old", [_task("1", [agency])], issued="2024-05-01"), "2026-01-01")
    lead = doc.tasks[0].lead[0]
    got = (lead.successor, lead.successor_id, lead.successor_jurisdiction)
    assert got == (successor or (None, None, None))


def test_every_agency_of_the_samples_that_the_registry_knows_has_an_id(
    tmp_path: Path, reg: AgencyRegistry
) -> None:
    """An ingest of the samples that need no OCR: every agency whose name the registry
    resolves has an id, and every department of a province has its jurisdiction."""
    folder = tmp_path / "in"
    folder.mkdir()
    for path in SAMPLES.iterdir():
        if path.suffix in {".txt", ".docx"}:
            shutil.copy(path, folder / path.name)
    ingest(folder, tmp_path / "out")
    seen = 0
    with (tmp_path / "out" / "tasks.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            task = json.loads(line)
            for a in (*task["lead"], *task["coordinate"], *task["report_to"]):
                seen += 1
                if reg.lookup(a["name"]).known:
                    assert a["id"], a
                if a["id"] in reg.data.units and reg.data.units[a["id"]].scope == "province":
                    assert a["jurisdiction"] in reg.data.provinces, a
    assert seen > 50


def test_status_expands_groups_to_members_and_lists_a_direct_lead_once() -> None:
    ministry = _agency("Bộ Khoa học và Công nghệ", "bkhcn", None)
    both = _doc("both", [_task("1", [ministry, _agency("@bo-nganh", "@bo-nganh", None)])])
    rows = status_rows([both, GROUP], date(2026, 3, 10), expand_groups=True)
    science = [r for r in rows if r.agency == "Bộ Khoa học và Công nghệ"]
    assert [(r.doc_id, r.via_group) for r in science] == [("both", None)]
    assert ("Sở Nội vụ @ Bắc Ninh", "@so-nganh") in {(r.agency, r.via_group) for r in rows}
    assert "@so-nganh" not in {r.agency for r in rows}
    asked = status_rows([both], date(2026, 3, 10), agency="Bộ KH&CN")
    assert [(r.doc_id, r.via_group) for r in asked] == [("both", None)]
    # Without the option a group stays one row under its code.
    plain = status_rows([GROUP], date(2026, 3, 10))
    assert [(r.agency, r.jurisdiction) for r in plain] == [
        ("@so-nganh @ Bắc Ninh", "bac-ninh-2025")
    ]


def test_agencies_lookup_command_answers_a_group_code() -> None:
    res = subprocess.run(
        [sys.executable, "-m", "vanban", "agencies", "lookup", "@so-nganh", "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    info = json.loads(res.stdout)
    assert (info["kind"], info["id"], info["level"]) == ("group", "@so-nganh", "province")
    assert info["covers"] == "Các sở, ban, ngành cấp tỉnh"
