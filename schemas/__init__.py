"""Record models of vanban; imports nothing else of ours.

The record models (`vanban.schemas.records`, pydantic) are imported when one
of them is first asked for; the errors and the text shapes are not. A process
that only walks folders and writes lines (`ingest`'s main process) builds no
model, and imports no pydantic unless something else does (typer does, to
parse the command line).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vanban.schemas.errors import (
    CorruptFile,
    ErrorCode,
    ExtractionError,
    LimitExceeded,
    LoadError,
    Phrase,
    Retry,
    UnsupportedFormat,
    UsageError,
    VanbanError,
)
from vanban.schemas.text import RawText, TableHint, TextDoc

if TYPE_CHECKING:
    from vanban.schemas.records import (
        SCHEMA_VERSION,
        Agency,
        CcEntry,
        CcPurpose,
        Deadline,
        Document,
        ErrorRecord,
        ErrorSource,
        NumberParts,
        Redaction,
        Reference,
        Relation,
        RelativeDue,
        Signature,
        Signer,
        Source,
        Span,
        Task,
        TaskRow,
        Urgency,
        producer,
    )

__all__ = [
    "SCHEMA_VERSION",
    "Agency",
    "CcEntry",
    "CcPurpose",
    "CorruptFile",
    "Deadline",
    "Document",
    "ErrorCode",
    "ErrorRecord",
    "ErrorSource",
    "ExtractionError",
    "LimitExceeded",
    "LoadError",
    "NumberParts",
    "Phrase",
    "RawText",
    "Redaction",
    "Reference",
    "Relation",
    "RelativeDue",
    "Retry",
    "Signature",
    "Signer",
    "Source",
    "Span",
    "TableHint",
    "Task",
    "TaskRow",
    "TextDoc",
    "UnsupportedFormat",
    "Urgency",
    "UsageError",
    "VanbanError",
    "producer",
]


def __getattr__(name: str) -> Any:
    # The names of `__all__` not defined above are the record models'.
    if name not in __all__:
        raise AttributeError(f"module 'vanban.schemas' has no attribute {name!r}")
    from vanban.schemas import records

    value = getattr(records, name)
    globals()[name] = value
    return value
