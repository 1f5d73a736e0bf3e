"""The public record contract (pydantic v2).

Field names here are read by trackers and scorers: add fields freely, never
rename or drop one without an issue asking for it. Every `span` is
`[start, end)` into `Document.text`, the normalised text.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

Span = tuple[int, int]
SourceFormat = Literal["txt", "docx", "pdf", "doc", "image", "rtf", "odt"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Agency(_Model):
    """A body as named in the letter, resolved to its canonical name.

    `code` is a group code of ANNOTATION.md §4 (`@bo-nganh`, …) for
    collective mentions, else null; `name` then repeats the code.
    """

    name: str
    code: str | None = None
    raw: str
    span: Span | None = None
    known: bool = True
    # The body that holds this one's duties on a later date (`--successor-as-of`),
    # when it was merged or renamed in between: `Bộ Kế hoạch và Đầu tư` → `Bộ Tài chính`.
    successor: str | None = None
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

    seq: str | None = None
    year: int | None = None
    type_code: str | None = None
    issuer_code: str | None = None
    unit_code: str | None = None


class Signature(_Model):
    """A digital-signature stamp found in a PDF (`Người ký: … Thời gian ký: …`)."""

    signer: str | None = None
    organization: str | None = None
    signed_at: str | None = None
    raw: str


class Source(_Model):
    path: str
    format: SourceFormat
    sha256: str
    pages: int | None = None
    ocr: bool = False
    needs_ocr: bool = False
    metadata: dict[str, str] = Field(default_factory=dict)
    signatures: list[Signature] = Field(default_factory=list)


class CcEntry(_Model):
    """One line of the Nơi nhận list, with its purpose (`để b/c`, `để biết`)."""

    raw: str
    purpose: str | None = None
    span: Span


class Signer(_Model):
    """The person who signs: `title` is the position line right above the
    name; `authority` is the KT./TL./TM./Q. line (thừa lệnh, ký thay…)."""

    name: str | None = None
    title: str | None = None
    authority: str | None = None
    name_span: Span | None = None
    title_span: Span | None = None
    authority_span: Span | None = None


class Reference(_Model):
    """Another document cited in the text (căn cứ, văn bản số …)."""

    number: str
    doc_type: str | None = None
    date: str | None = None
    issuer: str | None = None
    raw: str
    span: Span


class Deadline(_Model):
    """When a task is due (thời hạn): `date` is YYYY-MM-DD, `time` HH:MM."""

    date: str | None = None
    time: str | None = None
    relation: str | None = None
    recurrence: str | None = None
    urgency: str | None = None
    raw: str
    span: Span


class Task(_Model):
    """One unit of work the letter assigns: `lead` (chủ trì, who does it),
    `coordinate` (phối hợp), `report_to` (báo cáo/gửi/trình …)."""

    task_id: str
    label: str
    text: str
    span: Span
    lead: list[Agency] = Field(default_factory=list)
    coordinate: list[Agency] = Field(default_factory=list)
    report_to: list[Agency] = Field(default_factory=list)
    deadline: Deadline | None = None
    # The document the task comes from when it is not the letter itself: the
    # title of an attachment (`Kế hoạch … (Ban hành kèm theo Quyết định số …)`).
    part: str | None = None
    # True when no item, lead-in, label or column named the lead and it is the
    # letter's default: the issuer, or the body a notice of conclusions met (§3, lead).
    lead_default: bool = False
    # The rules that decided the task and its values, each citing the guideline
    # (`vanban extract FILE --explain`): segmentation, then lead, then deadline.
    rules: list[str] = Field(default_factory=list)


class Redaction(_Model):
    """A stretch of `Document.text` masked by `--redact` (every character → `█`).

    Only the kind and where: the value itself is never kept.
    """

    kind: Literal["phone", "email", "contact_name"]
    span: Span


class Document(_Model):
    """One letter. Scalar fields carry their span in `spans[field]`."""

    schema_version: str = SCHEMA_VERSION
    doc_id: str
    source: Source
    text: str
    doc_type: str | None = None
    number: str | None = None
    number_parts: NumberParts | None = None
    issuer: Agency | None = None
    parent_issuer: Agency | None = None
    place: str | None = None
    issued_date: str | None = None
    subject: str | None = None
    recipients: list[Agency] = Field(default_factory=list)
    cc: list[CcEntry] = Field(default_factory=list)
    signer: Signer | None = None
    references: list[Reference] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    spans: dict[str, Span] = Field(default_factory=dict)
    # `--redact`: the phone numbers, e-mail addresses and contact persons'
    # names masked in `text` and in every value that quotes them.
    redactions: list[Redaction] = Field(default_factory=list)
    # `vanban ingest`: the source path of the first file that held the same
    # letter (same `doc_id`); this record is a copy of it. Null for the first.
    duplicate_of: str | None = None


class ErrorSource(_Model):
    path: str
    sha256: str | None = None


class ErrorRecord(_Model):
    """A file that yielded no letter: what is wrong, in words a clerk can act on."""

    source: ErrorSource
    error: str
    message: str
