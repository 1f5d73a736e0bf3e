"""The clerk's workbook (issue 15): date cells, a frozen filtered header, widths,
human headers, an errors sheet, group codes named, successor columns, and no
cell a spreadsheet program would run as a formula (CSV and XLSX)."""

import csv
import json
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest
from openpyxl.worksheet.worksheet import Worksheet

import vanban.pipeline.export as export_module
from vanban.extractors.agencies import AgencyRegistry
from vanban.pipeline.batch import ingest
from vanban.pipeline.export import (
    DATE_FORMAT,
    HEADERS,
    _columns,
    export,
    formula_safe,
    header_label,
    typed,
)
from vanban.schemas import Agency, Document, Signer, Source, Task

ROOT = Path(__file__).resolve().parent.parent

PROVINCE_LETTER = (
    "ỦY BAN NHÂN DÂN TỈNH BẮC NINH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\nSố: 45/UBND-VP\nV/v rà soát hộ nghèo\n"
    "Bắc Ninh, ngày 10 tháng 8 năm 2025\nKính gửi: Ủy ban nhân dân các xã, phường\n"
    "Ủy ban nhân dân tỉnh đề nghị Ủy ban nhân dân các xã, phường rà soát hộ nghèo "
    "và báo cáo trước ngày 30/9/2025.\n"
)
# A ministry merged into Bộ Tài chính in 2025, writing to a province merged the same year.
MERGED_LETTER = (
    "BỘ KẾ HOẠCH VÀ ĐẦU TƯ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\nSố: 12/BKHĐT-VP\nV/v báo cáo tình hình\n"
    "Hà Nội, ngày 5 tháng 3 năm 2024\nKính gửi: Ủy ban nhân dân tỉnh Hà Giang\n"
    "Bộ Kế hoạch và Đầu tư đề nghị Ủy ban nhân dân tỉnh Hà Giang báo cáo trước ngày 30/3/2024.\n"
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two letters and a PDF cut short (an error record), successors as of 2026."""
    folder = tmp_path_factory.mktemp("letters")
    (folder / "kh_45.txt").write_text(PROVINCE_LETTER, encoding="utf-8")
    (folder / "cv_12.txt").write_text(MERGED_LETTER, encoding="utf-8")
    (folder / "hong.pdf").write_bytes(b"%PDF-1.4 cut")
    out = tmp_path_factory.mktemp("out")
    ingest(folder, out, workers=1, successor_as_of="2026-01-01")
    return out


@pytest.fixture(scope="module")
def book(run: Path, tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    (path,) = export(run, "xlsx", tmp_path_factory.mktemp("xlsx"))
    return openpyxl.load_workbook(path)


def _column(sheet: Worksheet, header: str) -> list[object]:
    """The cells under a header, by the header a reader sees."""
    headers = [c.value for c in sheet[1]]
    n = headers.index(header)
    return [row[n] for row in sheet.iter_rows(min_row=2)]


def _rows(sheet: Worksheet) -> list[dict[str, object]]:
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def _texts(book: openpyxl.Workbook) -> list[str]:
    return [v for s in book for r in s.iter_rows(values_only=True) for v in r if isinstance(v, str)]


def test_workbook_has_a_sheet_per_table_and_one_of_errors(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == ["Documents", "Tasks", "Assignments", "Errors"]
    (error,) = _rows(book["Errors"])
    assert str(error["File"]).endswith("hong.pdf")
    assert error["Error code"] == "corrupt_pdf"
    assert "Obtain the file again" in str(error["What to do"])
    assert len(_rows(book["Documents"])) == 2


def test_every_sheet_has_a_frozen_bold_header_and_an_autofilter(book: openpyxl.Workbook) -> None:
    for sheet in book:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref == sheet.dimensions, sheet.title
        assert all(c.font.b for c in sheet[1]), sheet.title


def test_dates_are_date_cells_shown_day_first(book: openpyxl.Workbook) -> None:
    issued = {c.value for c in _column(book["Documents"], "Issued")}
    assert issued == {datetime(2025, 8, 10), datetime(2024, 3, 5)}
    deadlines = _column(book["Tasks"], "Deadline") + _column(book["Assignments"], "Deadline")
    assert {c.value for c in deadlines} == {datetime(2025, 9, 30), datetime(2024, 3, 30)}
    for cell in [*_column(book["Documents"], "Issued"), *deadlines]:
        assert cell.is_date and cell.number_format == DATE_FORMAT


def test_headers_are_words_and_every_column_has_one() -> None:
    tables = ("documents", "tasks", "assignments", "errors")
    keys = {k for t in tables for k in _columns(t, successors=True)}
    assert keys <= HEADERS.keys()
    assert set(tables) <= HEADERS.keys()
    assert not any("_" in header_label(k) for k in keys)
    assert header_label("issued_date") == "Issued"


def test_headers_and_sheet_names_all_go_through_header_label(
    run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a translation will do: replace the one function every label goes through.
    monkeypatch.setattr(export_module, "header_label", lambda key: f"«{key}»")
    (path,) = export(run, "xlsx", tmp_path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["«documents»", "«tasks»", "«assignments»", "«errors»"]
    for sheet in book:
        assert all(str(c.value).startswith("«") for c in sheet[1]), sheet.title


def test_machine_formats_keep_the_field_keys(run: Path, tmp_path: Path) -> None:
    export(run, "csv", tmp_path)
    export(run, "json", tmp_path)
    with (tmp_path / "tasks.csv").open(encoding="utf-8-sig") as f:
        header = next(csv.reader(f))
    assert header[:5] == ["doc_id", "number", "issuer", "issuer_successor", "issued_date"]
    record = json.loads((tmp_path / "tasks.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert {"issued_date", "lead", "deadline"} <= record.keys()


def test_columns_are_as_wide_as_their_content_within_bounds(book: openpyxl.Workbook) -> None:
    widths = book["Tasks"].column_dimensions
    header = book["Tasks"][1]
    assert len(widths) == len(header)
    by_header = {c.value: widths[c.column_letter].width for c in header}
    assert by_header["Task"] == 60  # a task's text is longer: the widest a column gets
    assert by_header["Issued"] >= len("dd/mm/yyyy")
    assert by_header["Number"] >= len("12/BKHĐT-VP")
    assert all(8 <= w <= 60 for w in by_header.values())


def test_group_codes_show_what_they_stand_for_in_the_workbook_only(
    run: Path, book: openpyxl.Workbook, tmp_path: Path
) -> None:
    name = "Ủy ban nhân dân cấp xã (@cap-xa)"
    assert name in {c.value for c in _column(book["Assignments"], "Agency")}
    assert name in {c.value for c in _column(book["Tasks"], "Lead")}
    export(run, "json", tmp_path)
    leads = [json.loads(x)["lead"] for x in (tmp_path / "tasks.jsonl").read_text().splitlines()]
    assert "@cap-xa" in leads


def test_every_group_code_of_the_registry_has_a_name() -> None:
    registry = AgencyRegistry.default()
    codes = {c for g in registry.data.groups for c in g.codes if c.startswith("@")}
    assert codes and all(registry.group_name(c) for c in codes)
    assert registry.group_name("@dia-phuong") == (
        "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"
    )
    assert registry.group_name("Bộ Tài chính") is None


def test_successors_get_columns_beside_the_agencies(book: openpyxl.Workbook) -> None:
    (letter,) = [r for r in _rows(book["Documents"]) if r["Number"] == "12/BKHĐT-VP"]
    assert letter["Issuer's successor"] == "Bộ Tài chính"
    recipients = str(letter["Recipients' successors"]).split("; ")
    assert "Ủy ban nhân dân tỉnh Hà Giang → Ủy ban nhân dân tỉnh Tuyên Quang" in recipients
    headers = [c.value for c in book["Assignments"][1]]
    assert headers[headers.index("Agency") + 1] == "Agency's successor"
    successors = {r["Agency"]: r["Agency's successor"] for r in _rows(book["Assignments"])}
    assert successors["Ủy ban nhân dân tỉnh Hà Giang"] == "Ủy ban nhân dân tỉnh Tuyên Quang"


def _hostile(tmp_path: Path) -> Path:
    """A run whose values look like formulas (as a letter or a file name may carry them)."""
    doc = Document(
        doc_id="x",
        source=Source(path="\x01=thư.txt", format="txt", sha256="0"),
        text="…",
        number="-12/UBND",
        issued_date="2026-02-01",
        subject='=HYPERLINK("http://x","bấm")',
        place="+84 Hà Nội",
        signer=Signer(name="\tNguyễn Văn A", title="\rGiám đốc"),
        tasks=[
            Task(
                task_id="x:1",
                label="1",
                text="@SUM(1+1)",
                span=(0, 1),
                lead=[Agency(name="@lien-quan", code="@lien-quan", raw="các cơ quan liên quan")],
            )
        ],
    )
    (tmp_path / "documents.jsonl").write_text(doc.model_dump_json() + "\n", encoding="utf-8")
    return tmp_path


def test_no_workbook_cell_begins_like_a_formula(tmp_path: Path) -> None:
    out = _hostile(tmp_path)
    (path,) = export(out, "xlsx")
    book = openpyxl.load_workbook(path)
    texts = _texts(book)
    assert not [t for t in texts if t.startswith(FORMULA_START)]
    assert not [c for s in book for r in s.iter_rows() for c in r if c.data_type == "f"]
    assert {'\'=HYPERLINK("http://x","bấm")', "'-12/UBND", "'+84 Hà Nội", "'@SUM(1+1)"} <= set(
        texts
    )
    assert "'=thư.txt" in texts  # the control character dropped first, then the `'` added
    assert "'\tNguyễn Văn A" in texts


def test_csv_cells_are_neutralised_and_json_keeps_the_values(tmp_path: Path) -> None:
    out = _hostile(tmp_path)
    export(out, "csv")
    export(out, "json")
    with (out / "export" / "documents.csv").open(encoding="utf-8-sig", newline="") as f:
        (row,) = list(csv.DictReader(f))
    assert row["subject"] == '\'=HYPERLINK("http://x","bấm")'
    assert (row["number"], row["place"]) == ("'-12/UBND", "'+84 Hà Nội")
    assert row["signer"] == "'\tNguyễn Văn A"
    assert row["signer_title"] == "'\rGiám đốc"  # quoted, so the row does not break there
    with (out / "export" / "assignments.csv").open(encoding="utf-8-sig", newline="") as f:
        (task,) = list(csv.DictReader(f))
    assert (task["text"], task["agency"]) == ("'@SUM(1+1)", "'@lien-quan")
    raw = json.loads((out / "export" / "documents.jsonl").read_text(encoding="utf-8"))
    assert raw["subject"] == '=HYPERLINK("http://x","bấm")'
    assert raw["number"] == "-12/UBND"
    assert raw["issued_date"] == "2026-02-01"  # JSON dates stay ISO text


def test_formula_safe_touches_text_only_so_negative_numbers_stay_numbers() -> None:
    frame = pd.DataFrame({"n": [-5, 3], "x": ["-5", "a-b"], "f": [-1.5, None]})
    safe = formula_safe(frame)
    assert safe["n"].tolist() == [-5, 3]
    assert safe["f"].tolist()[0] == -1.5
    assert safe["x"].tolist() == ["'-5", "a-b"]


def test_parquet_stores_dates_as_dates(run: Path, tmp_path: Path) -> None:
    export(run, "parquet", tmp_path)
    schema = pq.read_schema(tmp_path / "tasks.parquet")
    assert str(schema.field("issued_date").type) == "date32[day]"
    assert str(schema.field("deadline").type) == "date32[day]"
    back = pd.read_parquet(tmp_path / "documents.parquet")
    assert set(back["issued_date"]) == {date(2025, 8, 10), date(2024, 3, 5)}


def test_a_column_with_a_date_that_is_not_iso_stays_text() -> None:
    frame = pd.DataFrame({"issued_date": ["2026-02-01", "tháng 2/2026"], "deadline": [None, None]})
    out = typed(frame)
    assert out["issued_date"].tolist() == ["2026-02-01", "tháng 2/2026"]
    assert str(out["deadline"].dtype) == "date32[day][pyarrow]"  # all empty: still a date column
