"""Deadlines of tasks (ANNOTATION.md §3 `deadline`): the time grammar
(`find_times`) and the rules that pick one task's deadline (`task_deadline`).

The phrasing table is `tests/deadline_phrasings.tsv` (its header explains the
columns); the rule tests below each pin one bullet of §3; the dev-gold check
keeps the match rate from regressing.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vanban.extractors import lexicon
from vanban.extractors.deadlines import TimeExpr, deadline_string, find_times, task_deadline

HERE = Path(__file__).resolve().parent
GOLD = HERE.parent / "data" / "corpus" / "dev" / "gold"
KINDS = {
    "date", "datetime", "period", "range", "recurrence", "open_ended",
    "anchor", "event", "urgency", "start", "vague",
}  # fmt: skip


def _none(v: str) -> str | None:
    return None if v == "-" else v


def _load_phrasings() -> list[dict[str, str]]:
    with (HERE / "deadline_phrasings.tsv").open(encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    for row in rows:
        row["text"] = row["text"].replace("\\n", "\n")
    return rows


PHRASINGS = _load_phrasings()
DATED = [r for r in PHRASINGS if r["date"] != "-"]
UNDATED = [r for r in PHRASINGS if r["date"] == "-"]


def _deadline(text: str, doc_date: str | None) -> str | None:
    return deadline_string(task_deadline(text, 0, len(text), doc_date=doc_date))


def _check_spans(text: str, exprs: list[TimeExpr], lo: int, hi: int) -> None:
    for x in exprs:
        s, e = x.span
        assert lo <= s < e <= hi, x
        assert text[s:e] == x.raw, x
        assert x.kind in KINDS, x


def test_the_phrasing_table_is_large_and_has_unique_cases() -> None:
    assert len(PHRASINGS) >= 150
    assert len({r["case"] for r in PHRASINGS}) == len(PHRASINGS)


@pytest.mark.parametrize("row", DATED, ids=[r["case"] for r in DATED])
def test_dated_phrasing_resolves_to_its_due_day(row: dict[str, str]) -> None:
    text, doc = row["text"], _none(row["doc_date"])
    exprs = find_times(text, doc_date=doc)
    _check_spans(text, exprs, 0, len(text))
    d = task_deadline(text, 0, len(text), doc_date=doc)
    assert d is not None, [(x.kind, x.raw, x.note) for x in exprs]
    assert (d.date, d.time) == (row["date"], _none(row["time"]))
    assert d.relation == row["relation"]
    assert d.urgency_raw == _none(row["urgency"])  # as printed; `urgency` is its English value
    assert d.recurrence is None
    assert text[d.span[0] : d.span[1]] == d.raw
    (chosen,) = [x for x in exprs if x.span == d.span]
    assert chosen.kind == row["kind"]
    assert chosen.is_due


@pytest.mark.parametrize("row", UNDATED, ids=[r["case"] for r in UNDATED])
def test_undated_phrasing_gives_no_deadline(row: dict[str, str]) -> None:
    text, doc = row["text"], _none(row["doc_date"])
    exprs = find_times(text, doc_date=doc)
    _check_spans(text, exprs, 0, len(text))
    assert task_deadline(text, 0, len(text), doc_date=doc) is None
    if row["kind"] == "-":
        assert exprs == []
    else:
        assert row["kind"] in {x.kind for x in exprs}, [(x.kind, x.raw) for x in exprs]
    if _none(row["recurrence"]):
        assert row["recurrence"] in {x.recurrence for x in exprs}
    if _none(row["urgency"]):
        assert row["urgency"] in {x.urgency for x in exprs}


# --- rules of §3, one behaviour each ---------------------------------------


def test_earliest_of_several_own_dates_is_the_deadline() -> None:
    text = (
        "Sở Kế hoạch và Đầu tư báo cáo kết quả thực hiện trước ngày 10/11/2026; "
        "xây dựng Kế hoạch triển khai trước ngày 28/02/2026; "
        "tổ chức sơ kết trong quý III/2026."
    )
    assert _deadline(text, "2026-01-15") == "2026-02-28"


def test_date_in_purpose_clause_of_the_receiving_agency_is_ignored() -> None:
    text = (
        "Báo cáo bằng văn bản, gửi Bộ Khoa học và Công nghệ trước ngày 05/8 để tổng hợp, "
        "báo cáo Thủ tướng Chính phủ trước ngày 03/8."
    )
    # 03/8 is earlier but belongs to the ministry that receives the reports
    assert _deadline(text, "2025-07-25") == "2025-08-05"


def test_purpose_clause_of_the_actor_itself_still_counts() -> None:
    text = (
        "Xây dựng, ban hành các Thông tư hướng dẫn để có hiệu lực chậm nhất trước ngày 31/3/2026."
    )
    assert _deadline(text, "2025-10-28") == "2026-03-31"


@pytest.mark.parametrize(
    "text",
    [
        "Hằng tháng, các xã báo cáo tiến độ trước ngày 30/6/2025.",
        "Báo cáo kết quả thực hiện trước ngày 30/6/2025 và định kỳ hằng quý.",
        "Thời gian thực hiện: Tháng 12/2025 và thường xuyên.",
        "Rà soát văn bản trong năm 2025 và các năm tiếp theo.",
        "Áp dụng thí điểm từ năm 2025 trở đi.",
        "Cập nhật liên tục dữ liệu trước ngày 30/6/2025.",
    ],
)
def test_recurring_or_open_ended_qualifier_cancels_the_date(text: str) -> None:
    assert _deadline(text, "2025-03-01") is None


def test_recurring_clause_does_not_cancel_the_date_of_another_sentence() -> None:
    text = (
        "Các cơ quan xây dựng Kế hoạch triển khai xong trong tháng 12/2025. "
        "Định kỳ báo cáo UBND tỉnh kết quả thực hiện hằng năm (trước ngày 15 tháng 11)."
    )
    assert _deadline(text, "2025-11-20") == "2025-12-31"


@pytest.mark.parametrize(
    "text",
    [
        "Thực hiện chính sách hỗ trợ từ ngày 01/7/2025.",
        "Thời gian thực hiện: Từ 01/7/2025.",
        "Triển khai phương án truyền thông bắt đầu từ quý III/2025.",
    ],
)
def test_start_date_alone_gives_no_deadline(text: str) -> None:
    exprs = find_times(text, doc_date="2025-06-01")
    assert [x.kind for x in exprs] == ["start"]
    assert exprs[0].relation == "from" and not exprs[0].is_due
    assert _deadline(text, "2025-06-01") is None


@pytest.mark.parametrize(
    ("text", "last_day"),
    [
        ("Treo cờ Tổ quốc từ ngày 10/5/2026 đến hết ngày 14/5/2026.", "2026-05-14"),
        ("Tổ chức triển lãm từ ngày 11/9 đến hết năm 2026.", "2026-12-31"),
        ("Tổ chức Hội chợ ngày 10-14/5/2026.", "2026-05-14"),
        ("Kiểm tra liên ngành từ tháng 6/2026 đến tháng 8/2026.", "2026-08-31"),
    ],
)
def test_range_gives_its_last_day(text: str, last_day: str) -> None:
    exprs = find_times(text, doc_date="2026-04-29")
    assert [(x.kind, x.date, x.relation) for x in exprs] == [("range", last_day, "until")]
    assert _deadline(text, "2026-04-29") == last_day


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thực hiện các nhiệm vụ trong giai đoạn 2026-2030.", "2030-12-31"),
        ("Thời gian thực hiện: 2026 - 2030.", "2030-12-31"),
        ("Bố trí đủ giáo viên cho năm học 2025-2026.", None),
        ("Triển khai Kế hoạch giai đoạn 2026-2030 của Ủy ban nhân dân tỉnh.", None),
        ("Đề xuất biên chế giai đoạn 2026-2031 theo vị trí việc làm.", None),
        ("Tiếp tục thực hiện trong giai đoạn 2021-2025.", None),  # past by 2026
    ],
)
def test_year_span_counts_only_as_time_allowed_for_the_work(
    text: str, expected: str | None
) -> None:
    assert _deadline(text, "2026-01-15") == expected


@pytest.mark.parametrize(
    "text",
    [
        "Triển khai Nghị quyết số 71/NQ-CP ngày 01/4/2026 của Chính phủ.",
        "Thực hiện Kế hoạch số 02-KH/BCĐTW ngày 19 tháng 6 năm 2026 của Ban Chỉ đạo.",
        "Căn cứ Công văn số 4736/BĐVN-TCBC ngày 20/10/2026, đề nghị các Sở phối hợp.",
        "Thực hiện văn bản ngày 12/3/2026 của Bộ Tài chính.",
    ],
)
def test_cited_document_dates_are_not_due(text: str) -> None:
    # no document date: these are judged on their wording, not as past dates
    exprs = find_times(text, doc_date=None)
    assert [x.note for x in exprs] == ["date of a cited document"]
    assert _deadline(text, None) is None


def test_meeting_statistic_and_effective_dates_are_not_due() -> None:
    notes = {
        "Ngày 01 tháng 8 năm 2025, tại trụ sở Chính phủ, Phó Thủ tướng chủ trì họp.": "narrative date",
        "Đến hết ngày 23/10/2025, toàn ngành đã thực hiện 70.245 cuộc kiểm tra.": "statistic cut-off",
        "Mời lãnh đạo Sở dự họp vào lúc 8 giờ 00 ngày 05/10/2025.": "meeting date",
        "Quy định này có hiệu lực thi hành ngày 01/7/2025.": "effective date",
        "Báo cáo số liệu tính đến ngày 31/12/2025.": "statistic cut-off",
    }
    for text, note in notes.items():
        assert [x.note for x in find_times(text, doc_date=None)] == [note], text


def test_year_qualifying_the_object_is_not_a_deadline() -> None:
    text = "Kiểm tra việc quản lý, sử dụng vốn đầu tư công năm 2025 tại các dự án."
    (x,) = find_times(text, doc_date="2025-03-01")
    assert (x.kind, x.date, x.is_due, x.note) == (
        "period",
        "2025-12-31",
        False,
        "qualifies the object",
    )
    assert _deadline("Hoàn thành trong năm 2025.", "2025-03-01") == "2025-12-31"


def test_past_reminder_dates_are_not_taken() -> None:
    text = (
        "Ngày 19 tháng 9 năm 2013, Văn phòng Chính phủ có văn bản yêu cầu quý Bộ báo cáo "
        "Phó Thủ tướng trước ngày 30 tháng 9 năm 2013. Đề nghị quý Bộ khẩn trương báo cáo."
    )
    exprs = find_times(text, doc_date="2013-10-21")
    assert [x.note for x in exprs if x.kind == "date"] == ["narrative date", "past"]
    assert _deadline(text, "2013-10-21") is None


@pytest.mark.parametrize(
    ("doc_date", "text", "expected"),
    [
        ("2025-12-20", "trước ngày 10/01", "2026-01-10"),
        ("2025-07-25", "trước ngày 05/8", "2025-08-05"),
        ("2025-03-15", "trước ngày 15/3", "2025-03-15"),
        ("2025-03-16", "trước ngày 15/3", "2026-03-15"),
        ("2025-12-15", "trong tháng 01", "2026-01-31"),
        ("2025-11-10", "trong quý I", "2026-03-31"),
    ],
)
def test_date_without_year_is_the_next_one_on_or_after_the_document(
    doc_date: str, text: str, expected: str
) -> None:
    assert _deadline(text, doc_date) == expected


def test_date_without_year_and_without_document_date_gives_no_deadline() -> None:
    (x,) = find_times("trước ngày 10/01", doc_date=None)
    assert x.date is None and not x.is_due
    assert _deadline("trước ngày 10/01", None) is None


def test_urgency_alone_gives_none_but_is_recorded_beside_a_date() -> None:
    assert _deadline("Các địa phương khẩn trương triển khai ngay.", "2025-11-23") is None
    d = task_deadline(
        t := "Khẩn trương báo cáo trước ngày 30/11/2025.", 0, len(t), doc_date="2025-11-23"
    )
    assert d is not None and (d.date, d.urgency, d.urgency_raw) == (
        "2025-11-30",
        "promptly",
        "khẩn trương",
    )


@pytest.mark.parametrize("row", lexicon.rows("urgency_words"), ids=lambda r: r["word"])
def test_each_urgency_word_is_recorded_with_its_value(row: dict[str, str]) -> None:
    # The words are data (lexicon `urgency_words`); the finder must open each of them.
    t = f"Các sở {row['word']} báo cáo trước ngày 30/11/2025."
    d = task_deadline(t, 0, len(t), doc_date="2025-11-23")
    assert d is not None and (d.urgency, d.urgency_raw) == (row["value"], row["word"])


@pytest.mark.parametrize(
    "text", ["khẩn cấp", "khẩn thiết", "ngay cả", "ngay thẳng", "ngay 30/11"], ids=str
)
def test_a_word_after_an_urgency_word_can_make_it_another_word(text: str) -> None:
    t = f"Các sở {text} báo cáo trước ngày 30/11/2025."
    d = task_deadline(t, 0, len(t), doc_date="2025-11-23")
    assert d is None or d.urgency is None


def test_vague_periods_give_no_deadline() -> None:
    for text in (
        "Triển khai trong những tháng đầu năm 2026.",
        "Nghiên cứu, đề xuất trong thời gian tới.",
    ):
        exprs = find_times(text, doc_date="2025-12-01")
        assert [x.kind for x in exprs] == ["vague"] and exprs[0].date is None
        assert _deadline(text, "2025-12-01") is None


def test_rieng_clause_gives_its_date_to_what_it_names() -> None:
    # the task is the `riêng` clause itself
    assert (
        _deadline("Riêng các xã miền núi, hoàn thành trước ngày 30/6/2025.", "2025-03-01")
        == "2025-06-30"
    )
    # this year's instance of recurring work takes the date over `hằng quý`
    text = "Định kỳ hằng quý báo cáo Sở Tài chính; riêng năm 2025, báo cáo trước ngày 15/4/2025."
    assert _deadline(text, "2025-03-01") == "2025-04-15"
    # a `riêng` naming another unit keeps its (earlier) date to itself
    text = (
        "Các xã hoàn thành trước ngày 30/6/2025; riêng xã Tân Lập hoàn thành trước ngày 15/4/2025."
    )
    assert _deadline(text, "2025-03-01") == "2025-06-30"


def test_labelled_time_line_is_the_tasks_time() -> None:
    text = (
        "Xây dựng phần mềm quản lý năm 2025 trong tháng 5/2025. Cơ quan chủ trì: Sở Khoa học "
        "và Công nghệ. Thời gian hoàn thành: Quý III/2025. Kinh phí: ngân sách tỉnh."
    )
    assert _deadline(text, "2025-03-10") == "2025-09-30"
    assert (
        _deadline(
            "Rà soát hồ sơ trước ngày 30/6/2025. Thời gian thực hiện: Thường xuyên.", "2025-03-10"
        )
        is None
    )


def test_anchor_to_signing_is_resolved_and_anchor_to_receipt_is_not() -> None:
    signed = find_times("trong thời hạn 30 ngày kể từ ngày ký", doc_date="2025-07-01")
    received = find_times("30 ngày kể từ khi nhận được văn bản", doc_date="2025-07-01")
    assert [(x.kind, x.date, x.is_due) for x in signed] == [("anchor", "2025-07-31", True)]
    assert [(x.kind, x.date, x.is_due) for x in received] == [("anchor", None, False)]


def test_find_times_reports_each_kind_with_its_fields() -> None:
    text = (
        "HỎA TỐC. Trước 16h00 ngày 12/01/2026 gửi báo cáo; trong quý I/2026 hoàn thiện Đề án; "
        "báo cáo trước ngày 25 hằng tháng; thường xuyên kiểm tra; trong thời gian tới mở rộng."
    )
    got = [
        (x.kind, x.date, x.time, x.relation, x.recurrence, x.urgency)
        for x in find_times(text, doc_date="2026-01-05")
    ]
    assert got == [
        ("urgency", None, None, None, None, "hỏa tốc"),
        ("datetime", "2026-01-12", "16:00", "before", None, None),
        ("period", "2026-03-31", None, "by_end_of", None, None),
        ("recurrence", None, None, None, "monthly:day=25", None),
        ("open_ended", None, None, None, None, None),
        ("vague", None, None, None, None, None),
    ]


def test_spans_are_absolute_and_stay_inside_the_window() -> None:
    text = (
        "Căn cứ Nghị quyết số 71/NQ-CP ngày 01/4/2025. 1. Bộ Tài chính trình Chính phủ "
        "trước ngày 15/8/2025. 2. Bộ Nội vụ báo cáo trong tháng 9/2025."
    )
    start = text.index("Bộ Tài chính")
    end = text.index(" 2. ")
    exprs = find_times(text, start, end, doc_date="2025-08-05")
    _check_spans(text, exprs, start, end)
    assert [x.raw for x in exprs] == ["trước ngày 15/8/2025"]
    d = task_deadline(text, start, end, doc_date="2025-08-05")
    assert d is not None and d.span == exprs[0].span and text[d.span[0] : d.span[1]] == d.raw


@pytest.mark.parametrize(
    ("date", "time", "expected"),
    [("2026-01-12", "16:00", "2026-01-12T16:00"), ("2025-09-15", None, "2025-09-15")],
)
def test_deadline_string_is_written_as_the_gold_writes_it(
    date: str, time: str | None, expected: str
) -> None:
    from vanban.schemas import Deadline

    assert deadline_string(Deadline(date=date, time=time, raw="x", span=(0, 1))) == expected
    assert deadline_string(None) is None


# --- robustness ---------------------------------------------------------------

_TOKENS = st.sampled_from(
    [
        "ngày", "tháng", "năm", "quý", "trước", "chậm nhất", "từ", "đến hết", "hằng", "định kỳ",
        "thường xuyên", "kể từ", "khẩn trương", "ngay", "riêng", "để", "gửi", "giai đoạn",
        "Thời gian thực hiện:", "III", "IV", "16h00", "giờ", "/", "-", ".", ",", ";", ":", "(",
        ")", "\n", "**", "2025", "2026", "31", "29", "02", "0", "12", "mười lăm", "những",
    ]
)  # fmt: skip
_TEXTS = st.lists(
    st.one_of(
        _TOKENS,
        st.integers(0, 3000).map(str),
        st.text(
            alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạầấẩẫậềếểễệờớởỡợừứửữựỳýỷỹỵ0123456789/-. ",
            max_size=6,
        ),
    ),
    max_size=30,
).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(
    text=_TEXTS,
    doc_date=st.one_of(st.none(), st.dates().map(lambda d: d.isoformat())),
    cut=st.tuples(st.integers(0, 300), st.integers(0, 300)),
)
def test_never_raises_and_spans_stay_in_the_window(
    text: str, doc_date: str | None, cut: tuple[int, int]
) -> None:
    start, end = min(cut), min(max(cut), len(text))
    start = min(start, end)
    _check_spans(text, find_times(text, start, end, doc_date=doc_date), start, end)
    d = task_deadline(text, start, end, doc_date=doc_date)
    if d is not None:
        assert start <= d.span[0] < d.span[1] <= end and text[d.span[0] : d.span[1]] == d.raw


# --- the dev gold -------------------------------------------------------------

# Reached 177/179. The two misses take their date from outside the task's text,
# which the task segmenter propagates (§3 rules 2 and 4):
#   004 item 1: `2026-01-12T16:00` is in the separate item `2. Thời hạn gửi báo cáo`;
#   005 item -1: `2019-01-01` is the start date printed in the preamble
#               (`trình … phê duyệt trước khi triển khai thực hiện`).
# Measured on the `tune` half (data/split.tsv) only: `check` is for measuring,
# and a floor on it would invite fitting. A task's text alone lacks the
# heading or lead-in time it may inherit, so this is below the end-to-end figure.
DEV_GOLD_FLOOR = 0.88
SPLIT = Path(__file__).resolve().parent.parent / "data" / "split.tsv"


def _tune_letters() -> set[str]:
    rows = SPLIT.read_text(encoding="utf-8").splitlines()[1:]
    return {r.split("\t")[0] for r in rows if r.split("\t")[1] == "tune"}


def test_dev_gold_deadlines_match_from_the_task_text_alone() -> None:
    total, misses = 0, []
    tune = _tune_letters()
    for path in sorted(GOLD.glob("*.json")):
        if path.stem not in tune:
            continue
        gold = json.loads(path.read_text(encoding="utf-8"))
        for task in gold["tasks"]:
            total += 1
            got = _deadline(task["text"], gold["issued_date"])
            if got != task["deadline"]:
                misses.append((path.stem, task["label"], task["deadline"], got))
    assert total >= 150
    assert (total - len(misses)) / total >= DEV_GOLD_FLOOR, misses


def test_a_letter_that_grows_when_lower_cased_keeps_the_deadlines_span() -> None:
    # `İ` lower-cases to two characters; the span must still point at the time phrase.
    text = "İSTANBUL: Sở Y tế báo cáo trước ngày 15/9/2025."
    d = task_deadline(text, 0, len(text), doc_date="2025-09-01")
    assert d is not None and d.span is not None
    assert text[d.span[0] : d.span[1]] == "trước ngày 15/9/2025"
