"""Vietnamese and English (tiếng Việt, tiếng Anh) for every message a person reads.

Messages are written in English in the code and marked: `_("…")` where they are
shown, `N_("…")` where they are only named and shown later, and the first
argument of the error classes of `vanban.schemas.errors` (an English template
with `{name}` fields, the values passed as keywords). Babel extracts them
(`make messages`: `locale/vanban.pot`, then `locale/vi/LC_MESSAGES/vanban.po`
updated) and compiles the catalog (`vanban.mo`, committed, so that a checkout
and the wheel need no Babel at run time); the standard library's `gettext`
reads it. `tests/test_i18n.py` fails when a message lacks its Vietnamese or
the `.mo` is older than the `.po`.

The language (ngôn ngữ) is Vietnamese when `--lang vi` is given, or else when
the locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG) is Vietnamese; English
otherwise. Error codes and record field names are never translated.
"""

from __future__ import annotations

import gettext as _gettext
import os
import string
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from vanban.schemas import Phrase

DOMAIN = "vanban"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("vi", "en")
DEFAULT = "en"
# Checked in this order, as GNU gettext does; VANBAN_LANG first, for a
# program that calls vanban and wants one language whatever the locale.
_LOCALE_VARS = ("VANBAN_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_current: str | None = None


def normalize(lang: str | None) -> str | None:
    """`vi`, `vi_VN.UTF-8`, `VI` → `vi`; `en_US`, `C`, `POSIX` → `en`; None or
    empty → None. Any other language is English (the only other catalog)."""
    if not lang:
        return None
    code = lang.strip().split(":")[0].split(".")[0].split("_")[0].split("-")[0].lower()
    if not code:
        return None
    return "vi" if code == "vi" else "en"


def from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The language the locale asks for: the first variable that is set decides."""
    env = os.environ if environ is None else environ
    for var in _LOCALE_VARS:
        lang = normalize(env.get(var))
        if lang:
            return lang
    return DEFAULT


def option_language(value: str) -> str | None:
    """`--lang`'s value: `vi` or `en` (or a locale name of either, `vi_VN.UTF-8`); None for
    anything else, so that a folder given by mistake is never taken for a language."""
    lang = normalize(value)
    code = value.strip().split(".")[0].split("_")[0].split("-")[0].lower()
    return lang if code in {"vi", "en"} else None


def lang_value(argv: Sequence[str]) -> str | None:
    """The value given to `--lang X` or `--lang=X` in a command line, as written."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang":
            return argv[i + 1] if i + 1 < len(argv) else ""
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return None


def from_argv(argv: Sequence[str]) -> str | None:
    """The language of `--lang X` or `--lang=X` in a command line, if any."""
    value = lang_value(argv)
    return normalize(value) if value is not None else None


def strip_lang(argv: Sequence[str]) -> list[str]:
    """The command line without its `--lang` option (it may stand anywhere)."""
    out: list[str] = []
    skip = ended = False  # `--` ends the options: what follows is kept as it is
    for arg in argv:
        if skip:
            skip = False
        elif ended or arg == "--":
            ended = True
            out.append(arg)
        elif arg == "--lang":
            skip = True
        elif not arg.startswith("--lang="):
            out.append(arg)
    return out


def set_language(lang: str | None) -> str:
    """Use `lang` (`vi`, `en`, a locale name) for the messages from now on in this
    process; None: the locale's. Returns the language in use."""
    global _current
    _current = normalize(lang) or from_environment()
    return _current


def language() -> str:
    """The language messages are shown in (`vi` or `en`)."""
    return _current or set_language(None)


@cache
def _translations(lang: str) -> _gettext.NullTranslations:
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def gettext(message: str, lang: str | None = None) -> str:
    """`message` in the current language (or `lang`)."""
    return _translations(normalize(lang) or language()).gettext(message)


_ = gettext


def ngettext(singular: str, plural: str, n: int, lang: str | None = None) -> str:
    return _translations(normalize(lang) or language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks `message` for extraction without translating it (translated where shown)."""
    return message


def tr(template: str, lang: str | None = None, **params: Any) -> str:
    """`template` translated, then its `{name}` fields filled from `params` (a
    `Phrase` among them translated too). A translation whose fields do not
    match falls back to the English."""
    return translate(template, params, lang)


def translate(template: str, params: Mapping[str, object], lang: str | None = None) -> str:
    """`tr` with the parameters as a mapping."""
    values = {k: _param(v, lang) for k, v in params.items()}
    if not values:
        return gettext(template, lang)
    try:
        return gettext(template, lang).format(**values)
    except (KeyError, IndexError, ValueError):
        return template.format(**values)


def error_message(exc: BaseException, lang: str | None = None) -> str:
    """The message of an error of vanban (`VanbanError`) in the current language:
    its English template translated and filled; an error that quotes another
    error (a parameter that is one) has that one translated too."""
    template = getattr(exc, "template", None)
    if template is None:
        return str(exc)
    return translate(template, getattr(exc, "params", {}), lang)


def _param(value: object, lang: str | None) -> object:
    if isinstance(value, BaseException):
        return error_message(value, lang)
    if isinstance(value, Phrase) and value:
        return gettext(value, lang)
    return value


def fields(template: str) -> set[str]:
    """The `{name}` fields of a message: its translation must have the same."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


# --- labels for tables: export headers and sheet names --------------------------------


def label(key: str, english: str | None = None, lang: str | None = None) -> str:
    """A column's or a sheet's header in the current language: `english` (marked
    `N_` where it is written, `vanban.pipeline.export.HEADERS`) translated; a key
    without one is shown as it is. Record field names stay as they are in JSON,
    JSONL, Parquet and SQLite."""
    return gettext(english, lang) if english else key


def catalog(messages: Iterable[str], lang: str | None = None) -> dict[str, str]:
    """English message → its translation, for a page that shows them itself (the
    review page embeds this as JSON and looks its strings up in it)."""
    return {m: gettext(m, lang) for m in messages}


def all_messages(lang: str | None = None) -> dict[str, str]:
    """Every message of the catalog and its translation (empty for English, where
    a message is its own text): what the review page can embed whole."""
    found = getattr(_translations(normalize(lang) or language()), "_catalog", {})
    return {k: v for k, v in found.items() if isinstance(k, str) and k}
