"""The one exception root of vanban, and the one list of error codes.

It lives in `schemas` because every layer may import `schemas` and nothing
else of ours: extractors and loaders raise these, only the CLI turns them into
exit codes and messages. `ErrorCode` is every code an error record
(`errors.jsonl`) can carry, with whether `vanban ingest` reads the file again
on its next run (`ErrorCode.retry`).
"""

from __future__ import annotations

from enum import StrEnum


class Retry(StrEnum):
    """When the next `vanban ingest` over the same folders reads a failed file again."""

    NEXT_RUN = "next_run"  # the failure may pass: a missing tool, a crash, a file not there yet
    FILE_CHANGED = "file_changed"  # the file itself is at fault: only once it changes
    LIMITS_CHANGED = "limits_changed"  # it went past a limit: once it or the limits change


class ErrorCode(StrEnum):
    """The short machine code of an error record (`errors.jsonl` `error`).

    A `StrEnum`: each member equals its string, so codes read back from a
    record compare equal to the members.
    """

    ERROR = "error"  # a VanbanError raised without a more precise code
    USAGE = "usage"  # the caller asked for something impossible (bad path, bad option)
    INTERNAL_ERROR = "internal_error"  # a bug of vanban: report it with the file
    EXTRACTION_FAILED = "extraction_failed"  # an extractor met input it cannot handle
    WORKER_CRASHED = "worker_crashed"  # the process reading the file died, twice
    # reading the file
    UNREADABLE = "unreadable"  # no permission, an I/O error
    NOT_FOUND = "not_found"  # gone between the walk and the read
    BROKEN_LINK = "broken_link"  # a symbolic link to nothing
    SYMLINK_LOOP = "symlink_loop"  # a symbolic link to itself
    LINK_OUTSIDE = "link_outside"  # a symbolic link out of the folders given
    NOT_A_FILE = "not_a_file"  # a pipe, a socket, a device
    EMPTY_FILE = "empty_file"  # 0 bytes
    UNSUPPORTED_FORMAT = "unsupported_format"  # a type vanban does not read
    NOT_TEXT = "not_text"  # binary content behind a text extension
    UNKNOWN_ENCODING = "unknown_encoding"  # text in no encoding vanban can tell
    NO_TEXT = "no_text"  # nothing to read: a blank scan, only a header or footer
    # broken or protected files
    CORRUPT_FILE = "corrupt_file"
    CORRUPT_PDF = "corrupt_pdf"
    CORRUPT_DOCX = "corrupt_docx"
    CORRUPT_DOC = "corrupt_doc"
    CORRUPT_ODT = "corrupt_odt"
    CORRUPT_RTF = "corrupt_rtf"
    CORRUPT_IMAGE = "corrupt_image"
    ENCRYPTED = "encrypted"  # a PDF with a password
    ENCRYPTED_DOC = "encrypted_doc"
    ENCRYPTED_DOCX = "encrypted_docx"
    LEGACY_DOC = "legacy_doc"  # a Word 97-2003 file named .docx
    # limits (`vanban.pipeline.limits`)
    TOO_LARGE = "too_large"  # past --max-size-mb, --max-pages or --max-memory-mb
    TIMEOUT = "timeout"  # past --timeout
    DOCX_TOO_LARGE = "docx_too_large"  # a DOCX that unpacks to too much (a zip bomb)
    IMAGE_TOO_LARGE = "image_too_large"  # more pixels than a scanned page has
    # tools
    OCR_UNAVAILABLE = "ocr_unavailable"  # Tesseract missing
    OCR_FAILED = "ocr_failed"
    CONVERTER_MISSING = "converter_missing"  # LibreOffice missing (.doc, .odt, .rtf)
    CONVERSION_FAILED = "conversion_failed"

    @property
    def retry(self) -> Retry:
        """When the next run reads a file that failed with this code again."""
        if self in _LIMIT_ERRORS:
            return Retry.LIMITS_CHANGED
        return Retry.FILE_CHANGED if self in _FILE_ERRORS else Retry.NEXT_RUN


# The file itself is at fault: reading it again unchanged fails the same way
# (a file that ran past --timeout, or a blank scan).
_FILE_ERRORS = frozenset(
    {
        ErrorCode.UNSUPPORTED_FORMAT,
        ErrorCode.EMPTY_FILE,
        ErrorCode.NOT_TEXT,
        ErrorCode.NO_TEXT,
        ErrorCode.UNKNOWN_ENCODING,
        ErrorCode.CORRUPT_FILE,
        ErrorCode.CORRUPT_PDF,
        ErrorCode.CORRUPT_DOCX,
        ErrorCode.CORRUPT_DOC,
        ErrorCode.CORRUPT_ODT,
        ErrorCode.CORRUPT_RTF,
        ErrorCode.CORRUPT_IMAGE,
        ErrorCode.ENCRYPTED,
        ErrorCode.ENCRYPTED_DOC,
        ErrorCode.ENCRYPTED_DOCX,
        ErrorCode.DOCX_TOO_LARGE,
        ErrorCode.IMAGE_TOO_LARGE,
        ErrorCode.LEGACY_DOC,
        ErrorCode.NOT_A_FILE,
        ErrorCode.SYMLINK_LOOP,
    }
)
# … or it went past a limit, which another run may set higher.
_LIMIT_ERRORS = frozenset({ErrorCode.TOO_LARGE, ErrorCode.TIMEOUT})


class VanbanError(Exception):
    """Root of every error vanban raises on purpose.

    `code` is the short machine code written to `errors.jsonl`; the message is
    for a clerk: what is wrong and what to do. It is an English template with
    `{name}` fields whose values are keyword arguments, so that
    `vanban.pipeline.i18n` can show it in Vietnamese; `str(exc)` is the English.
    A template given no values is shown as it is (its braces are literal).
    """

    code: ErrorCode = ErrorCode.ERROR

    def __init__(self, message: str, *, code: ErrorCode | None = None, **params: object) -> None:
        super().__init__(message.format(**params) if params else message)
        self.template = message
        self.params = params
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        return str(self)


class Phrase(str):
    """A piece of an error's message that is itself translated when the message is
    shown (`a named pipe`, `image`): a parameter of a `VanbanError`."""

    __slots__ = ()


class LoadError(VanbanError):
    """A file could not be read as a letter (format, corruption, encoding)."""

    code = ErrorCode.UNREADABLE

    @classmethod
    def unreadable(cls, path: object, exc: OSError) -> LoadError:
        """The operating system would not give the file's bytes (permissions, gone, I/O)."""
        return LoadError(
            "'{path}' cannot be read ({reason}).",
            code=ErrorCode.UNREADABLE,
            path=path,
            reason=exc.strerror,
        )


class UnsupportedFormat(LoadError):
    code = ErrorCode.UNSUPPORTED_FORMAT


class CorruptFile(LoadError):
    code = ErrorCode.CORRUPT_FILE


class LimitExceeded(LoadError):
    """A file went past a per-file limit (`vanban.pipeline.limits`): too big, too many
    pages, too much memory (`too_large`) or too long to read (`timeout`)."""

    code = ErrorCode.TOO_LARGE


class ExtractionError(VanbanError):
    """An extractor met input it cannot handle (a bug: report it)."""

    code = ErrorCode.EXTRACTION_FAILED


class UsageError(VanbanError):
    """The caller asked for something impossible (bad path, bad option)."""

    code = ErrorCode.USAGE
