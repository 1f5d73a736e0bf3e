"""The public record contract (pydantic v2).

Field names here are read by trackers and scorers: add fields freely, never
rename or drop one without an issue asking for it. Every `span` is
`[start, end)` into `Document.text`, the normalised text. Every field carries
a description (English, with the Vietnamese term): `vanban schema --write`
publishes them in `schemas/*.schema.json`, one file per record kind.

Values that are ours to name are English enums; the Vietnamese words they
were read from stay beside them (`urgency_raw`, `purpose_raw`, `raw`).
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from importlib import metadata
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from vanban.schemas.errors import ErrorCode, Retry

# 2.0: `urgency` and `CcEntry.purpose` hold English values (their Vietnamese
# words moved to `urgency_raw` / `purpose_raw`); `producer`, `recurrence`,
# `Task.warnings`, the task row and the error record's `retry` were added.
# 2.1: `Task.monitor` (cơ quan theo dõi, đôn đốc) was added.
SCHEMA_VERSION = "2.1"

Span = tuple[int, int]
SourceFormat = Literal["txt", "docx", "pdf", "doc", "image", "rtf", "odt"]
# A calendar day, as JSON Schema's `format: date` (RFC 3339 full-date).
IsoDate = Annotated[str, Field(json_schema_extra={"format": "date"})]
# `monthly`, `monthly:day=25`, `yearly:month=11,day=15`, `every:6months`.
RECURRENCE_PATTERN = (
    r"^(?:(?:daily|weekly|monthly|quarterly|yearly|periodic)(?::(?:month=\d{1,2},)?day=\d{1,2})?"
    r"|every:\d+(?:days|weeks|months|quarters|years))$"
)


@cache
def producer() -> str:
    """`vanban X.Y.Z`: the version of vanban that makes the records (the installed
    distribution's; `0+unknown` in a checkout that is not installed)."""
    try:
        return f"vanban {metadata.version('vanban')}"
    except metadata.PackageNotFoundError:
        return "vanban 0+unknown"


def _span(what: str) -> Any:
    return Field(description=f"{what}: `[start, end)` character offsets into `Document.text`.")


def _schema_version() -> Any:
    return Field(
        default=SCHEMA_VERSION,
        description="Version of this record contract (phiên bản lược đồ): the major number "
        "changes when a field's values change meaning, the minor when fields are added.",
    )


def _producer() -> Any:
    return Field(
        default_factory=producer,
        description="The program that made the record (chương trình tạo): `vanban X.Y.Z`.",
    )


def _keep_unknown_value(data: Any, field: str, raw_field: str, values: type[StrEnum]) -> Any:
    """A record of contract 1.x held the Vietnamese word in `field` (`khẩn trương`,
    `b/c`): read back, the word moves to `raw_field` and the English value is unknown."""
    word = data.get(field) if isinstance(data, dict) else None
    if isinstance(word, str) and word not in values.__members__.values():
        data = {**data, field: None, raw_field: data.get(raw_field) or word}
    return data


class _Model(BaseModel):
    # The published schema describes records as written: every field is present.
    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)


class Relation(StrEnum):
    """How a due day bounds the work (quan hệ thời hạn): `on` (vào ngày), `before`
    (trước, chậm nhất, hạn chót), `until` (đến, đến hết), `by_end_of` (within a named
    period: trong tháng/quý/năm), `within` (trong vòng … kể từ), `from` (từ, kể từ,
    sau), `end` (hoàn thành, xong, hết), `cutoff` (tính đến)."""

    ON = "on"
    BEFORE = "before"
    UNTIL = "until"
    BY_END_OF = "by_end_of"
    WITHIN = "within"
    FROM = "from"
    END = "end"
    CUTOFF = "cutoff"


class Urgency(StrEnum):
    """How urgent the work is (độ khẩn): `flash` (hỏa tốc), `very_urgent` (thượng
    khẩn), `urgent` (khẩn), `promptly` (khẩn trương), `immediately` (ngay)."""

    FLASH = "flash"
    VERY_URGENT = "very_urgent"
    URGENT = "urgent"
    PROMPTLY = "promptly"
    IMMEDIATELY = "immediately"


class CcPurpose(StrEnum):
    """Why a copy is sent (mục đích gửi): `report` (để báo cáo, b/c, thay b/c),
    `information` (để biết), `coordinate` (phối hợp, p/h), `implement` (thực hiện,
    t/h), `direct` (chỉ đạo), `publish` (đưa tin), `monitor` (theo dõi)."""

    REPORT = "report"
    INFORMATION = "information"
    COORDINATE = "coordinate"
    IMPLEMENT = "implement"
    DIRECT = "direct"
    PUBLISH = "publish"
    MONITOR = "monitor"


class Agency(_Model):
    """A body as named in the letter, resolved to its canonical name.

    `code` is a group code of ANNOTATION.md §4 (`@bo-nganh`, …) for
    collective mentions, else null; `name` then repeats the code.
    """

    name: str = Field(
        description="Canonical name of the body (tên cơ quan, ANNOTATION.md §4), "
        "or the group code for a collective mention."
    )
    code: str | None = Field(
        default=None,
        description="Group code (mã nhóm) of a collective mention such as `@bo-nganh` "
        "(các Bộ, cơ quan ngang Bộ); null for a single body.",
    )
    raw: str = Field(description="The mention as printed (nguyên văn).")
    span: Span | None = Field(
        default=None,
        description="Where the mention is printed, `[start, end)` into `Document.text`; "
        "null for a body not printed as such (a default lead, a successor).",
    )
    known: bool = Field(
        default=True,
        description="True when the agency registry knows the body (cơ quan đã biết); "
        "false keeps the printed name.",
    )
    # The body that holds this one's duties on a later date (`--successor-as-of`),
    # when it was merged or renamed in between: `Bộ Kế hoạch và Đầu tư` → `Bộ Tài chính`.
    successor: str | None = Field(
        default=None,
        description="With `--successor-as-of`: the body that holds this one's duties on "
        "that date after a merger or renaming (cơ quan kế thừa); null otherwise.",
    )
    id: str | None = Field(
        default=None,
        description=(
            "Registry id of the body (mã cơ quan): an id of data/registry/agencies.csv "
            "(`bkhdt`), a unit type of unit_types.csv (`so-nv`), `ubnd`/`hdnd` for a "
            "province's People's Committee/Council, or the group code (`@cap-xa`); "
            "null for a body the registry does not know. With `jurisdiction` it "
            "identifies the body across letters."
        ),
    )
    jurisdiction: str | None = Field(
        default=None,
        description=(
            "Registry id of the province (provinces.csv, `bac-ninh-2025`) or ministry "
            "(`btp`) the body belongs to (địa bàn, cơ quan chủ quản): printed with the name "
            "(`Sở Tài chính tỉnh X`), else the issuing letter's own (a `Sở Nội vụ` in or "
            "addressed by a letter of UBND tỉnh X); null for a national body."
        ),
    )
    successor_id: str | None = Field(
        default=None, description="Registry id of `successor` (`--successor-as-of`)."
    )
    successor_jurisdiction: str | None = Field(
        default=None,
        description=(
            "Jurisdiction of `successor`: the province or ministry that holds it on the "
            "`--successor-as-of` date (a merged province's successor)."
        ),
    )


class NumberParts(_Model):
    """Parts of a số/ký hiệu such as `5969/QĐ-UBND` or `86/2019/QH14`."""

    seq: str | None = Field(default=None, description="Running number (số), e.g. `5969`.")
    year: int | None = Field(
        default=None, description="Year printed in the number (năm), e.g. 2019 in `86/2019/QH14`."
    )
    type_code: str | None = Field(
        default=None, description="Code of the document type (ký hiệu loại văn bản), e.g. `QĐ`."
    )
    issuer_code: str | None = Field(
        default=None, description="Code of the issuing body (ký hiệu cơ quan), e.g. `UBND`."
    )
    unit_code: str | None = Field(
        default=None,
        description="Code of the unit that drafted it (ký hiệu đơn vị soạn thảo), e.g. `CN` "
        "in `3722/VPCP-CN`.",
    )


class Signature(_Model):
    """A digital-signature stamp found in a PDF (`Người ký: … Thời gian ký: …`)."""

    signer: str | None = Field(default=None, description="Who signed (người ký).")
    organization: str | None = Field(
        default=None, description="The signer's organisation (cơ quan) as the stamp prints it."
    )
    signed_at: str | None = Field(
        default=None,
        description="When it was signed (thời gian ký): `YYYY-MM-DDTHH:MM:SS` with the "
        "UTC offset when the stamp gives one, or `YYYY-MM-DD`.",
        pattern=r"^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}(?:[+-]\d{2}:\d{2})?)?$",
    )
    raw: str = Field(description="The stamp as printed (nguyên văn).")


class Source(_Model):
    """The file a letter was read from (tệp nguồn)."""

    path: str = Field(description="Path of the file as given to vanban (đường dẫn).")
    format: SourceFormat = Field(description="How the file was read (định dạng).")
    sha256: str = Field(description="SHA-256 of the file's bytes, hexadecimal.")
    pages: int | None = Field(
        default=None, description="Number of pages (số trang) of a paged format; null for text."
    )
    ocr: bool = Field(default=False, description="True when the text came from OCR (nhận dạng).")
    needs_ocr: bool = Field(
        default=False,
        description="True when pages need OCR that was not available: the text is incomplete.",
    )
    metadata: dict[str, str] = Field(
        default_factory=dict,
        description="What the file says of itself (siêu dữ liệu: title, author, dates) "
        "and how it was read (`ocr_pages`, `ocr_confidence`, …).",
    )
    signatures: list[Signature] = Field(
        default_factory=list, description="Digital-signature stamps (chữ ký số) in a PDF."
    )


class CcEntry(_Model):
    """One line of the Nơi nhận list, with its purpose (`để b/c`, `để biết`)."""

    raw: str = Field(description="The line as printed (nguyên văn), without its bullet.")
    purpose: CcPurpose | None = Field(
        default=None,
        description="Why the copy is sent (mục đích), in English; null when the line "
        "gives no purpose or one vanban does not know (then see `purpose_raw`).",
    )
    purpose_raw: str | None = Field(
        default=None,
        description="The purpose as printed, in Vietnamese (`b/c`, `để biết`, `phối hợp`).",
    )
    span: Span = _span("Where the line is printed")

    @model_validator(mode="before")
    @classmethod
    def _read_1x(cls, data: Any) -> Any:
        return _keep_unknown_value(data, "purpose", "purpose_raw", CcPurpose)


class Signer(_Model):
    """The person who signs: `title` is the position line right above the
    name; `authority` is the KT./TL./TM./Q. line (thừa lệnh, ký thay…)."""

    name: str | None = Field(default=None, description="The signer's name (họ tên người ký).")
    title: str | None = Field(
        default=None, description="The signer's position (chức vụ), e.g. `Phó Chủ tịch`."
    )
    authority: str | None = Field(
        default=None,
        description="The authority line (thẩm quyền ký): `KT. CHỦ TỊCH` (ký thay), `TL.` "
        "(thừa lệnh), `TM.` (thay mặt), `Q.` (quyền).",
    )
    name_span: Span | None = Field(default=None, description="Where the name is printed.")
    title_span: Span | None = Field(default=None, description="Where the position is printed.")
    authority_span: Span | None = Field(
        default=None, description="Where the authority line is printed."
    )


class Reference(_Model):
    """Another document cited in the text (căn cứ, văn bản số …)."""

    number: str = Field(description="Its số/ký hiệu, e.g. `92/TTr-UBND`.")
    doc_type: str | None = Field(
        default=None, description="Its type (loại văn bản), in Vietnamese: `Quyết định`, …"
    )
    date: IsoDate | None = Field(
        default=None, description="Its date (ngày ban hành) when printed after the number."
    )
    issuer: str | None = Field(default=None, description="Its issuing body (cơ quan ban hành).")
    raw: str = Field(description="The citation as printed (nguyên văn).")
    span: Span = _span("Where the number is printed")


class RelativeDue(_Model):
    """A time limit counted from an event the letter does not date (thời hạn tương
    đối): `trong 30 ngày kể từ ngày nhận được văn bản` is 30 `day`s from `receipt`.
    `vanban status --received DATE` resolves one anchored on receipt; one anchored
    on the letter's issue resolves from its `issued_date`."""

    amount: int = Field(description="How many units (số lượng): 30 in `30 ngày`.", ge=0)
    unit: Literal["day", "working_day", "week", "month", "year"] = Field(
        description="The unit counted (đơn vị): `day` (ngày), `working_day` (ngày làm việc: "
        "weekends and Vietnamese public holidays skipped), `week` (tuần), `month` (tháng), "
        "`year` (năm)."
    )
    anchor: Literal["receipt", "issue", "event", "unstated"] = Field(
        description="The event counted from (mốc tính): `receipt` (ngày nhận được văn bản), "
        "`issue` (ngày ký, ngày ban hành), `event` (another event, said in `anchor_raw`), "
        "`unstated` (no event said: `trong 05 ngày làm việc`)."
    )
    anchor_raw: str | None = Field(
        default=None,
        description="The event as printed (mốc nguyên văn): `ngày nhận được văn bản này`; "
        "null when none is said.",
    )


class Deadline(_Model):
    """When a task is due (thời hạn): `date` is YYYY-MM-DD, `time` HH:MM.

    Recurring work (`hằng tháng`, `trước ngày 25 hằng tháng`) has no `date`
    (ANNOTATION.md §3) but its `recurrence`; a time counted from an undated event
    (`trong 30 ngày kể từ ngày nhận`) has no `date` but its `relative`."""

    date: IsoDate | None = Field(
        default=None,
        description="The day the work is due (hạn), a period's last day; null for recurring work.",
    )
    time: str | None = Field(
        default=None,
        description="The hour it is due (giờ), `HH:MM`, 24-hour.",
        pattern=r"^\d{2}:\d{2}$",
    )
    relation: Relation | None = Field(
        default=None, description="How the day bounds the work (trước, đến hết, trong …)."
    )
    recurrence: str | None = Field(
        default=None,
        description="How the work recurs (định kỳ): `daily`, `weekly`, `monthly`, "
        "`quarterly`, `yearly` or `periodic` (định kỳ, no period said), with the day where "
        "given (`monthly:day=25` for `trước ngày 25 hằng tháng`, `yearly:month=11,day=15`), "
        "or `every:6months` (định kỳ 6 tháng); null for one-off work.",
        pattern=RECURRENCE_PATTERN,
    )
    urgency: Urgency | None = Field(
        default=None, description="How urgent the task says it is (độ khẩn), in English."
    )
    urgency_raw: str | None = Field(
        default=None,
        description="The urgency word as printed, lower-cased (`khẩn trương`, `ngay`, `hỏa tốc`).",
    )
    relative: RelativeDue | None = Field(
        default=None,
        description="A time limit counted from an event (thời hạn tương đối: `trong 30 ngày "
        "kể từ ngày nhận`) when the task has no dated deadline of its own: `date` stays null "
        "(ANNOTATION.md §3) unless the event is the letter's issue (`kể từ ngày ký`), whose "
        "date the letter gives.",
    )
    raw: str = Field(description="The time phrase as printed (nguyên văn).")
    span: Span = _span("Where the time phrase is printed")

    @model_validator(mode="before")
    @classmethod
    def _read_1x(cls, data: Any) -> Any:
        return _keep_unknown_value(data, "urgency", "urgency_raw", Urgency)


class Task(_Model):
    """One unit of work the letter assigns: `lead` (chủ trì, who does it),
    `coordinate` (phối hợp), `report_to` (báo cáo/gửi/trình …), `monitor`
    (theo dõi, đôn đốc: who follows it up, as directive trackers record it)."""

    task_id: str = Field(
        description="Identifier of the task (mã nhiệm vụ): `doc_id:label`, unique in its letter."
    )
    label: str = Field(
        description="The item's printed label (số thứ tự: `1`, `II.2.a`), or `pN` for the "
        "Nth task of a text without labels."
    )
    text: str = Field(description="The task's own text (nội dung nhiệm vụ).")
    span: Span = _span("Where the task's text is printed")
    lead: list[Agency] = Field(
        default_factory=list, description="Who carries it out (cơ quan chủ trì)."
    )
    coordinate: list[Agency] = Field(
        default_factory=list, description="Who works with the lead (cơ quan phối hợp)."
    )
    report_to: list[Agency] = Field(
        default_factory=list,
        description="To whom the result goes (báo cáo, gửi, trình: nơi nhận kết quả).",
    )
    # Kept apart from lead and coordinate: the body a directive tracker lists as
    # following the task up (QĐ 42/2014, QĐ 23/2018) does not carry it out.
    monitor: list[Agency] = Field(
        default_factory=list,
        description="Who follows the task up and urges it on (cơ quan theo dõi, đôn đốc; "
        "kiểm tra): a `Cơ quan theo dõi` column or label. Neither lead nor coordinate.",
    )
    deadline: Deadline | None = Field(
        default=None, description="When it is due (thời hạn); null when no time is given."
    )
    # The document the task comes from when it is not the letter itself: the
    # title of an attachment (`Kế hoạch … (Ban hành kèm theo Quyết định số …)`).
    part: str | None = Field(
        default=None,
        description="Title of the document printed after the signature that holds the task "
        "(a plan a decision issues, a Phụ lục), with its caption; null for the letter itself.",
    )
    # True when no item, lead-in, label or column named the lead and it is the
    # letter's default: the issuer, or the body a notice of conclusions met (§3, lead).
    lead_default: bool = Field(
        default=False,
        description="True when nothing in the text named the lead and it is the letter's "
        "default: the issuer, or the body a notice of conclusions met.",
    )
    # The rules that decided the task and its values, each citing the guideline
    # (`vanban extract FILE --explain`): segmentation, then lead, then deadline.
    rules: list[str] = Field(
        default_factory=list,
        description="The rules that decided the task (quy tắc), each citing ANNOTATION.md: "
        "segmentation, lead, deadline (`vanban extract FILE --explain`).",
    )
    warnings: list[str] = Field(
        default_factory=list,
        description="Doubts about the task (cảnh báo): `not_a_letter` when its file has no "
        "header, type, number or signer of an official letter.",
    )


class Redaction(_Model):
    """A stretch of `Document.text` masked by `--redact` (every character → `█`).

    Only the kind and where: the value itself is never kept.
    """

    kind: Literal["phone", "email", "contact_name"] = Field(
        description="What was masked: a phone number (số điện thoại), an e-mail address, "
        "a contact person's name (người liên hệ)."
    )
    span: Span = _span("Where the masked value was")


class Document(_Model):
    """One letter (văn bản), a line of `documents.jsonl`. Scalar fields carry their span in `spans[field]`."""

    schema_version: str = _schema_version()
    producer: str = _producer()
    doc_id: str = Field(
        description="Identifier of the letter (mã văn bản): a hash of its issuer, number and "
        "date when all are known, else of its text; the same letter in two files has one."
    )
    source: Source = Field(description="The file it was read from (tệp nguồn).")
    text: str = Field(description="The letter's normalised text (toàn văn); spans index it.")
    doc_type: str | None = Field(
        default=None,
        description="Type of document (loại văn bản), in Vietnamese as the guideline names "
        "it: `Công văn`, `Quyết định`, `Thông báo`, …",
    )
    number: str | None = Field(default=None, description="Its số/ký hiệu, e.g. `3722/VPCP-CN`.")
    number_parts: NumberParts | None = Field(default=None, description="The number's parts.")
    issuer: Agency | None = Field(default=None, description="The issuing body (cơ quan ban hành).")
    parent_issuer: Agency | None = Field(
        default=None, description="The body above the issuer in the header (cơ quan chủ quản)."
    )
    place: str | None = Field(default=None, description="Place of issue (địa danh).")
    issued_date: IsoDate | None = Field(default=None, description="Date of issue (ngày ban hành).")
    subject: str | None = Field(
        default=None, description="What the letter is about (trích yếu), without `V/v`."
    )
    recipients: list[Agency] = Field(
        default_factory=list, description="Whom it is addressed to (Kính gửi)."
    )
    cc: list[CcEntry] = Field(
        default_factory=list, description="The lines of the Nơi nhận list (copies)."
    )
    signer: Signer | None = Field(default=None, description="Who signs it (người ký).")
    references: list[Reference] = Field(
        default_factory=list, description="Documents it cites (văn bản được viện dẫn)."
    )
    tasks: list[Task] = Field(
        default_factory=list, description="The work it assigns (nhiệm vụ), in text order."
    )
    warnings: list[str] = Field(
        default_factory=list,
        description="What a reader should check (cảnh báo), each `field: why`; "
        "`not_a_letter: …` when the file has no header, type, number or signer.",
    )
    spans: dict[str, Span] = Field(
        default_factory=dict,
        description="Where each scalar header field is printed, by field name "
        "(`number`, `issued_date`, `subject`, …).",
    )
    # `--redact`: the phone numbers, e-mail addresses and contact persons'
    # names masked in `text` and in every value that quotes them.
    redactions: list[Redaction] = Field(
        default_factory=list,
        description="With `--redact`: what was masked in `text` and the values quoting it.",
    )
    # Reading a run one letter once (`vanban.pipeline.export.read_documents`).
    copies: list[str] = Field(
        default_factory=list,
        description="Read one letter once (`read_documents`): the source paths of the other "
        "files that hold this letter (bản sao); empty in documents.jsonl, where each copy "
        "names its primary in `duplicate_of`.",
    )
    # `vanban ingest`: the source path of the first file that held the same
    # letter (same `doc_id`); this record is a copy of it. Null for the first.
    # It stays the last field: `vanban.pipeline.batch` marks copies by its tail.
    duplicate_of: str | None = Field(
        default=None,
        description="`vanban ingest`: the source path of the file that holds the same letter "
        "(same `doc_id`) this record is a copy of (bản trùng); null for that file's record.",
    )

    @model_validator(mode="before")
    @classmethod
    def _read_1x(cls, data: Any) -> Any:
        # A record of an older contract read back was not made by this vanban.
        older = (
            isinstance(data, dict) and data.get("schema_version", SCHEMA_VERSION) != SCHEMA_VERSION
        )
        if older and "producer" not in data:
            data = {**data, "producer": "unknown"}
        return data


class _RowHead(_Model):
    """The columns of a task row before the task's own: its letter's identity."""

    schema_version: str = _schema_version()
    producer: str = _producer()
    doc_id: str = Field(description="The letter's `doc_id` (mã văn bản).")
    source_path: str = Field(description="The letter's source path (`source.path`).")
    doc_type: str | None = Field(description="The letter's type (loại văn bản), in Vietnamese.")
    number: str | None = Field(description="The letter's số/ký hiệu.")
    issuer: str | None = Field(description="The canonical name of the letter's issuing body.")
    issued_date: IsoDate | None = Field(description="The letter's date of issue (ngày ban hành).")
    subject: str | None = Field(description="The letter's trích yếu.")
    duplicate_of: str | None = Field(
        description="The letter's `duplicate_of`: null, or the file this copy repeats."
    )


class TaskRow(Task, _RowHead):
    """One line of `tasks.jsonl`: a task (nhiệm vụ) with its letter's identity
    beside it, for trackers that read tasks without their letters."""


def _retry_of(code: object) -> Retry:
    if isinstance(code, str) and code in ErrorCode.__members__.values():
        return ErrorCode(code).retry
    return Retry.NEXT_RUN  # an unknown code fails validation of `error` anyway


class ErrorSource(_Model):
    """The file that failed (tệp lỗi)."""

    path: str = Field(description="Path of the file as given to vanban (đường dẫn).")
    sha256: str | None = Field(
        default=None,
        description="SHA-256 of the file's bytes; null when it could not be read or ran "
        "past the time limit.",
    )


class ErrorRecord(_Model):
    """A file that yielded no letter, a line of `errors.jsonl`: what is wrong, in
    words a clerk can act on."""

    schema_version: str = _schema_version()
    producer: str = _producer()
    source: ErrorSource = Field(description="The file that failed.")
    error: ErrorCode = Field(description="What failed (mã lỗi), a short machine code.")
    retry: Retry = Field(
        default_factory=lambda data: _retry_of(data.get("error")),
        description="When the next `vanban ingest` reads the file again (thử lại): "
        "`next_run`, `file_changed` (only once the file changes) or `limits_changed` "
        "(once the file or the limits change).",
    )
    message: str = Field(description="What is wrong and what to do (thông báo), in English.")
