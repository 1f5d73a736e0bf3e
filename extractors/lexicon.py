"""The lexicon: word lists the rules read, as data files (`data/lexicon/*.tsv`).

Each list lives in one file, read once; rules ask for it by name. A phrasing
the rules should know is a row there, not a pattern in code (spaCy keeps its
language data the same way).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path


def _data_dir() -> Path:
    here = Path(__file__).resolve().parent
    repo = here.parent / "data" / "lexicon"
    # Installed from a wheel, the files sit beside this module.
    return repo if repo.is_dir() else here / "lexicon_data"


@cache
def rows(name: str) -> tuple[dict[str, str], ...]:
    """The rows of `data/lexicon/<name>.tsv` as dicts by column name (comments skipped)."""
    path = _data_dir() / f"{name}.tsv"
    with path.open(encoding="utf-8") as f:
        lines = [line for line in f if line.strip() and not line.startswith("#")]
    return tuple(csv.DictReader(lines, delimiter="\t"))


@cache
def words(name: str) -> tuple[str, ...]:
    """The first column of a list: `words("attachment_titles")` → `("KẾ HOẠCH", …)`."""
    return tuple(next(iter(r.values())) for r in rows(name))


@cache
def alternation(name: str, column: str = "", value: str = "") -> str:
    """A list as a regex alternation of its phrases, longest first, escaped.

    `column`/`value` keep the rows whose `column` is `value` (a list's own
    sub-list, `alternation("named_periods", "kind", "title")`); a space in a
    phrase matches any run of white space.
    """
    picked = [
        next(iter(r.values())) for r in rows(name) if not column or r.get(column, "") == value
    ]
    return "|".join(
        re.escape(p).replace(r"\ ", r"\s+") for p in sorted(picked, key=len, reverse=True)
    )


# After an authority mark: its full stop (`KT.`), which a mark written with a
# slash, as the Party's letters print them (`T/M`, `K/T`), goes without.
AUTHORITY_MARK_END = r"(?:(?<=/[A-Za-z])(?=\s)|\s*\.)"


def authority_mark() -> str:
    """A signature block's authority mark with its end (`KT.`, `TM.`, `T/M`), as a
    pattern (lexicon `authority_marks`)."""
    return "(?:" + alternation("authority_marks") + ")" + AUTHORITY_MARK_END


def phrase_pattern(phrase: str) -> str:
    """A phrase of a list (words and commas, spaced: `phối hợp , hỗ trợ`) as a pattern:
    any spacing between words, a comma with or without space around it."""
    out = ""
    for tok in phrase.split():
        if tok == ",":
            out += r"\s*,"
            continue
        joint = r"\s*" if out.endswith(",") else r"\s+" if out else ""
        out += joint + re.escape(tok)
    return out


@cache
def first_words(name: str) -> tuple[str, ...]:
    """The first word of each phrase of a list, lower-cased: `alternation(name)` matches only
    where one of them is printed, in some case (`text_utils.may_hold` tests that first)."""
    return tuple(sorted({p.split(" ")[0].lower() for p in words(name)}))


def phrases_alternation(phrases: Iterable[str]) -> str:
    """Phrases with commas as one alternation, longest first (`phrase_pattern`)."""
    return "|".join(phrase_pattern(p) for p in sorted(phrases, key=len, reverse=True))


@cache
def phrase_alternation(name: str) -> str:
    """A list of phrases with commas as one alternation (`phrases_alternation`)."""
    return phrases_alternation(words(name))


@cache
def selected(name: str, column: str = "", value: str = "y") -> tuple[str, ...]:
    """The first column of the rows whose `column` is `value` (every row without a
    `column`), in file order."""
    return tuple(
        next(iter(r.values())) for r in rows(name) if not column or r.get(column, "") == value
    )


def literal(name: str, column: str = "", value: str = "y") -> str:
    """`selected` as a regex alternation of its phrases as printed, in file order (a space
    is one space; `alternation` takes the longest first and any run of white space)."""
    return "|".join(map(re.escape, selected(name, column, value)))


@cache
def address_opening(column: str = "", value: str = "y") -> str:
    """The phrases that address a letter (`Kính gửi`, `Kính gởi`, `Kính trình`, and as OCR
    drops their accents) as an alternation, longest first, any white space between words
    (lexicon `address_openings`, the rows whose `column` is `value`)."""
    return alternation("address_openings", column, value)


@cache
def address_verb(column: str = "", value: str = "y") -> str:
    """The verbs of `address_opening`'s `address` rows alone (`gửi`, as in `Gửi:`), which a
    pattern follows with a colon."""
    kinds = {r["phrase"]: r["kind"] for r in rows("address_openings")}
    picked = [p for p in selected("address_openings", column, value) if kinds[p] == "address"]
    return "|".join(map(re.escape, dict.fromkeys(p.split()[-1] for p in picked)))


@cache
def signed_mark() -> str:
    """A mark printed where the signature stood, in its brackets (`(Đã ký)`,
    `[daky]`, `/s/`), as a pattern (lexicon `signed_marks`)."""
    return r"(?:[(\[/]\s*(?:" + alternation("signed_marks") + r")\s*[)\]/])"
