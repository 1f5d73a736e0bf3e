"""The message catalogs (`vanban.pipeline.i18n`): extract, update, compile with Babel.

    python scripts/messages.py            # make messages: .pot, .po updated, .mo compiled
    python scripts/messages.py --check    # what tests/test_i18n.py checks, without writing

The English messages are extracted from the code into `pipeline/locale/vanban.pot`
(the review page's too: the values of the `/* messages */ {…}` object of
`pipeline/review.js`, each with its key as a comment for the translator);
`pipeline/locale/vi/LC_MESSAGES/vanban.po` is updated from it (new messages come
in untranslated, messages gone from the code are dropped) and compiled to
`vanban.mo`, which is committed: the checkout and the wheel read it with the
standard library's gettext, without Babel.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "pipeline" / "locale"
POT = LOCALE / "vanban.pot"
PO = LOCALE / "vi" / "LC_MESSAGES" / "vanban.po"
MO = PO.with_suffix(".mo")
SOURCES = ("pipeline", "schemas", "extractors")

# What marks a message, beside gettext's own names: the error classes and
# `Phrase` take the English template first; `tr` too; the error-record makers
# take it third.
ERROR_CLASSES = (
    "VanbanError",
    "LoadError",
    "UnsupportedFormat",
    "CorruptFile",
    "LimitExceeded",
    "ExtractionError",
    "UsageError",
    "Phrase",
    "tr",
)
RECORD_MAKERS = ("error_record", "_error_record", "_error_result")
KEYWORDS: dict[str, object] = {
    **DEFAULT_KEYWORDS,
    **dict.fromkeys(ERROR_CLASSES),
    **{name: (3,) for name in RECORD_MAKERS},
}


# The review page's messages: the strict JSON object after `/* messages */` in
# review.js, found as `vanban.pipeline.review` finds it (tests/test_i18n.py checks
# that the two agree).
_JS_MESSAGES = re.compile(r"/\* messages \*/\s*(\{.*?\n\})", re.S)


def extract_review_js(
    fileobj: IO[bytes], keywords: object, comment_tags: object, options: object
) -> Iterator[tuple[int, None, str, list[str]]]:
    """A Babel extraction method for review.js: each English message of its
    messages object, at its line, with its key as the translator's comment."""
    text = fileobj.read().decode("utf-8")
    found = _JS_MESSAGES.search(text)
    if found is None:
        raise SystemExit("pipeline/review.js lost its `/* messages */ {…}` object")
    first = text.count("\n", 0, found.start(1)) + 2  # the line after the brace
    for i, (key, english) in enumerate(json.loads(found.group(1)).items()):
        yield first + i, None, english, [f"review page: {key}"]


METHODS: list[tuple[str, Any]] = [("**.py", "python"), ("review.js", extract_review_js)]


def _found(folder: str) -> Iterator[tuple[str, int, Any, list[str], str | None]]:
    common = {"comment_tags": ("TRANSLATORS:",), "strip_comment_tags": True}
    yield from extract_from_dir(ROOT / folder, method_map=METHODS, keywords=KEYWORDS, **common)


def extract() -> Catalog:
    """Every marked message of the code, with where it is."""
    catalog = Catalog(project="vanban", domain="vanban", charset="utf-8", fuzzy=False)
    for folder in SOURCES:
        for filename, lineno, message, comments, context in _found(folder):
            if not message or (isinstance(message, str) and not message.strip()):
                continue
            catalog.add(
                message,
                None,
                [(f"{folder}/{filename}", lineno)],
                auto_comments=comments,
                context=context,
            )
    return catalog


def read_vi() -> Catalog:
    with PO.open("rb") as f:
        return read_po(f, locale="vi", domain="vanban")


def compiled(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def _ids(message: object) -> tuple[str, ...]:
    return message if isinstance(message, tuple) else (str(message),)


def missing(template: Catalog, vi: Catalog) -> list[str]:
    """English messages without their Vietnamese (absent, empty or fuzzy)."""
    out = []
    for m in template:
        if not m.id:
            continue
        got = vi.get(m.id, m.context)
        strings = _ids(got.string) if got is not None else ()
        if got is None or got.fuzzy or not all(strings):
            out.append(_ids(m.id)[0])
    return out


def update() -> None:
    template = extract()
    if POT.exists():  # the same messages: the same files, no new date to commit
        with POT.open("rb") as f:
            old = read_po(f)
        if [m.id for m in old] == [m.id for m in template]:
            template.creation_date = old.creation_date
    LOCALE.mkdir(parents=True, exist_ok=True)
    with POT.open("wb") as f:
        write_po(f, template, width=100, sort_by_file=True, include_lineno=False)
    vi = read_vi() if PO.exists() else Catalog(locale="vi", domain="vanban")
    vi.update(template, no_fuzzy_matching=True)
    # The header is no translation: a fuzzy one would leave the .mo without
    # its plural rule (and `ngettext` falling back to English).
    vi.fuzzy = False
    vi.project, vi.version = "vanban", ""
    vi.language_team = "Vietnamese"
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as f:
        write_po(f, vi, width=100, ignore_obsolete=True, sort_by_file=True, include_lineno=False)
    MO.write_bytes(compiled(read_vi()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="report, write nothing")
    args = ap.parse_args(argv)
    if not args.check:
        update()
    vi = read_vi()
    lacking = missing(extract(), vi)
    for msg in lacking:
        print(f"no Vietnamese: {msg!r}", file=sys.stderr)
    stale = not MO.exists() or MO.read_bytes() != compiled(vi)
    if stale:
        print(f"{MO} is older than {PO}: run `make messages`", file=sys.stderr)
    return 1 if lacking or stale else 0


if __name__ == "__main__":
    sys.exit(main())
