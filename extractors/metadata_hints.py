"""Numbers and dates that a file's own metadata vouches for.

OCR garbles digits (`Số: 4046 /ABC-TTKT` for 1046, `ngàyA2 thang 3` for the
12th), while the file's title written by whoever scanned it often carries the
true number and date (`CV 104612032020ABC…` = 1046, 12/03/2020). A printed
value is replaced only when the title's date agrees with what the page still
shows of the date, so one garbled source is checked against another.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from vanban.extractors.text_utils import fold


@dataclass(frozen=True)
class Hint:
    seq: str
    date: str  # YYYY-MM-DD


def _valid(d: int, m: int, y: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def title_hints(title: str) -> list[Hint]:
    """Candidate (number, date) pairs in a title such as `CV 4302 05112018 ABC`."""
    hints: list[Hint] = []
    # `4302 05112018` and `1770 ABC 05052020`: a number, maybe a code, a date.
    compact = re.sub(r"(?<=\d) (?:[A-Z]{2,6} )?(?=\d{6,8}\b|\d{6,8}[A-Za-z])", "", title)
    for run in re.findall(r"\d{7,14}", compact):
        for date_len in (8, 6):
            seq, tail = run[:-date_len], run[-date_len:]
            if not seq or seq.startswith("0") or len(seq) > 6:
                continue
            d, m = int(tail[:2]), int(tail[2:4])
            y = int(tail[4:]) if date_len == 8 else 2000 + int(tail[4:])
            if not 1990 <= y <= 2100:
                continue
            iso = _valid(d, m, y)
            if iso:
                hints.append(Hint(seq, iso))
    return hints


def agrees(hint_date: str, parts: tuple[int | None, int | None, int | None]) -> bool:
    """The hint's date agrees with every part of the printed date still readable."""
    y, m, d = (int(x) for x in hint_date.split("-"))
    pd, pm, py = parts
    known = [(pd, d), (pm, m), (py, y)]
    readable = [(a, b) for a, b in known if a is not None]
    return bool(readable) and all(a == b for a, b in readable) and py is not None


def file_name_seq(name: str, code: str) -> str | None:
    """The numeral a file's name gives for a number printed without one.

    `qd_729_abc.pdf` for `Số: /QĐ-ABC` (the 729 handwritten, unread): taken
    only when every part of the printed code is in the name too, and the name
    holds exactly one such numeral.
    """
    tokens = re.split(r"[^0-9a-z]+", fold(name.rsplit(".", 1)[0]))
    parts = [p for p in re.split(r"[-/]", fold(code)) if p and not p.isdigit()]
    if not parts or not all(p in tokens for p in parts):
        return None
    numerals = [
        t
        for t in tokens
        if t.isdigit() and 1 <= len(t) <= 6 and not (len(t) == 4 and t[:2] in {"19", "20"})
    ]
    return numerals[0].lstrip("0") or None if len(numerals) == 1 else None
