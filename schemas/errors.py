"""The one exception root of vanban.

It lives in `schemas` because every layer may import `schemas` and nothing
else of ours: extractors and loaders raise these, only the CLI turns them into
exit codes and messages.
"""

from __future__ import annotations


class VanbanError(Exception):
    """Root of every error vanban raises on purpose.

    `code` is the short machine code written to `errors.jsonl`; the message is
    for a clerk: what is wrong and what to do. It is an English template with
    `{name}` fields whose values are keyword arguments, so that
    `vanban.pipeline.i18n` can show it in Vietnamese; `str(exc)` is the English.
    A template given no values is shown as it is (its braces are literal).
    """

    code = "error"

    def __init__(self, message: str, *, code: str | None = None, **params: object) -> None:
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

    code = "unreadable"


class UnsupportedFormat(LoadError):
    code = "unsupported_format"


class CorruptFile(LoadError):
    code = "corrupt_file"


class LimitExceeded(LoadError):
    """A file went past a per-file limit (`vanban.pipeline.limits`): too big, too many
    pages, too much memory (`too_large`) or too long to read (`timeout`)."""

    code = "too_large"


class ExtractionError(VanbanError):
    """An extractor met input it cannot handle (a bug: report it)."""

    code = "extraction_failed"


class UsageError(VanbanError):
    """The caller asked for something impossible (bad path, bad option)."""

    code = "usage"
