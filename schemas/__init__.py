"""Record models of vanban; imports nothing else of ours."""

from schemas.errors import (
    CorruptFile,
    ExtractionError,
    LimitExceeded,
    LoadError,
    UnsupportedFormat,
    UsageError,
    VanbanError,
)
from schemas.records import (
    SCHEMA_VERSION,
    Agency,
    CcEntry,
    Deadline,
    Document,
    ErrorRecord,
    ErrorSource,
    NumberParts,
    Reference,
    Signature,
    Signer,
    Source,
    Span,
    Task,
)
from schemas.text import RawText, TextDoc

__all__ = [
    "SCHEMA_VERSION",
    "Agency",
    "CcEntry",
    "CorruptFile",
    "Deadline",
    "Document",
    "ErrorRecord",
    "ErrorSource",
    "ExtractionError",
    "LimitExceeded",
    "LoadError",
    "NumberParts",
    "RawText",
    "Reference",
    "Signature",
    "Signer",
    "Source",
    "Span",
    "Task",
    "TextDoc",
    "UnsupportedFormat",
    "UsageError",
    "VanbanError",
]
