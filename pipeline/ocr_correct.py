"""Post-correction of OCR'd letters, where the extractors depend on it.

Tesseract's Vietnamese model drops or swaps diacritics (`QUYÉT` for `QUYẾT`,
`Só:` for `Số:`), misreads digits as look-alike letters (`2O26`, `l7`) and
the bar of `Đ` in document codes (`QD-TTg`). The extractors find the header
by these words, so they are repaired, and nothing else: a correction only
puts back what the page shows, never a value it does not.

Kinds (the counts returned are keyed by them):

- `vocabulary`: words of a closed vocabulary whose letters match once
  accents are ignored: the motto, `Kính gửi`, `Nơi nhận`, `QUYẾT ĐỊNH`,
  `THỦ TƯỚNG CHÍNH PHỦ`, the positions of a signature block (`PHÓ CHÁNH VĂN
  PHÒNG`), the agency and place names of the registry (`data/registry`);
  `Số:` before a number, `Điều` before an article's number opening a line
  (`Điêu 2.`) and `V/v` opening a line (`V/w`, `VÀ,`). A phrase must be
  capitalised as it is printed, or all in capitals, and single words are
  corrected only in those two slots, so `văn phòng bổ sung` never becomes
  `Văn phòng Bộ sung`. A spelling that differs only in where the tone mark
  sits (`HOÀ`/`HÒA`) is right already and stays.
  The lexicon's cue phrases are part of the vocabulary too: a plan's section
  headings (`TỔ CHỨC THỰC HIỆN`, read `TÔ CHỨC THỰC HIÊN`: a tone lost on a
  letter with a circumflex is Tesseract's commonest error), time and event
  labels, role labels (`Cơ quan chủ trì`), officials' positions (`Giám
  đốc`), the verbs that assign, coordinate or hand in work (`đề nghị`,
  `phối hợp`, `báo cáo`), recurring times (`mỗi tháng`) (`_CUE_LISTS`) and
  the words of the registry's groups of bodies (`các đơn vị trực thuộc`), each only when no other phrase of the
  lexicon or entry of the dictionary reads the same without accents
  (`chỉ tiêu` is left: `chi tiêu`, spending, folds alike), or where the marks
  a scan lost make the cue from what was read with fewer lost than any other
  word folding alike (a mark is lost, never added: `Hăng năm` is `hằng năm`,
  not `hàng nằm`; `lien quan` is `liên quan`, one mark lost, not `liên quân`,
  two) and the page bears marks near it (a site printing none is left). Of two phrases that
  fold alike and say the same (`hằng tháng`, `hàng tháng`) the one closest to
  what was read is taken, and either, read right, stays. A name of the
  registry may hold a comma (`Sở Văn hóa, Thể thao và Du lịch`).
- `date`: `ngày`, `tháng`, `năm` in the shape of a date (`ngày 28 tháng 4
  năm 2026`, or the blanks of a form: `ngày  tháng  năm 2026`).
- `digits`: `O` → `0` and `l`/`I` → `1` inside a run of digits only
  (`2O26`, `l7/6/2020`); a run touching another letter (`CO2`, `H2O`)
  stays, and so does `|` (a table rule beside a number, as often as a 1).
- `spacing`: a date word glued to its number (`ngày23`) is parted.
- `code`: in a document number (a token with `/`), the Đ of `QĐ`, `NĐ`,
  `CĐ`, `BCĐ`, `HĐND` (`QD` → `QĐ`: a plain D is never meant there) and a
  doubled hyphen (`QĐ--TTg`).
- `roman`: a quarter's Roman numeral read with `l` or `|` (`quý Il/2025` →
  `quý II/2025`). A numeral read with one `I` too few cannot be told from
  the page and stays as read.
- `letters`: `Ð`/`ð` (Icelandic eth, which Tesseract confuses with `Đ`/`đ`).
- `list`: the items of a distributive list of bodies of one kind (`các Bộ:
  Công an, lài chính`, `các Tập đoàn: …`; the kinds are `body_heads`) set back
  to the short names of the registry's bodies of that kind they misread.
- `vocabulary` too: a telegram's `điện:` after its issuer in capitals, read
  with any of its accents lost
  (`THỦ TƯỚNG CHÍNH PHỦ diện:`), not `thuộc diện:` (a category).
- `item`: the numeral of an item marker opening a line read as a letter
  (`l. Sở Tài chính …` → `1. Sở Tài chính …`), unless a `k)` item opens a
  line of the page: then `l)` is the letter after it.
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import accumulate, compress, pairwise
from pathlib import Path
from typing import NamedTuple

from vanban.extractors import lexicon
from vanban.extractors.agency_data import MACROS, expand
from vanban.extractors.text_utils import fold
from vanban.pipeline.spelling import dictionary_text, token_normalize

# The closed vocabulary of the letter's form (lexicon `ocr_vocabulary`), then the
# positions of a signature block in capitals (lexicon `official_titles`, column `ocr`).
_CLOSED = [
    *lexicon.words("ocr_vocabulary"),
    *(t.upper() for t in lexicon.selected("official_titles", "ocr")),
]


def _confusions(where: str) -> dict[str, str]:
    """What OCR reads → what the page shows, for one place (lexicon `ocr_confusions`)."""
    return {r["read"]: r["meant"] for r in lexicon.rows("ocr_confusions") if r["where"] == where}


def _translation(where: str) -> dict[int, int]:
    """The character confusions of one place as a `str.translate` table."""
    table = _confusions(where)
    return str.maketrans("".join(table), "".join(table.values()))


# Document-number parts whose Đ OCR loses; a plain D never stands there.
_CODE_D = _confusions("code")
_LOOK_ALIKE = _confusions("letters")  # `Ð` (Icelandic eth) for `Đ`
_DIGIT_LIKE = _confusions("digits")  # `O` for `0`, `l` for `1` among digits
_ROMAN_LIKE = _confusions("roman")  # `l`, `|` for `I` in a quarter's numeral

_TOKEN = re.compile(r"[^\W\d_]+")
# A run of digits with look-alike letters, not touching other letters.
_DIGITISH = "0-9" + re.escape("".join(_DIGIT_LIKE))
_DIGIT_RUN = re.compile(rf"(?<![^\W\d_])[{_DIGITISH}]*\d[{_DIGITISH}]*(?![^\W\d_])")
_DIGIT_FIX = _translation("digits")
# A date word and its number printed (or read) without the space between.
_WORD_DIGIT = re.compile(r"(?<![^\W\d_])(ng[àa]y|th[áa]ng|n[ăa]m)(?=\d)", re.I)
_DIGIT_WORD = re.compile(r"(?<![^\W_])(\d{1,2})(?=(?:th[áa]ng|n[ăa]m)(?![^\W\d_]))", re.I)
_DATE = re.compile(
    r"(?P<d>\b[^\W\d_]{3,5})[ \t]*(?P<dn>\d{1,2})?[ \t]+"
    r"(?P<m>[^\W\d_]{4,6})[ \t]*(?P<mn>\d{1,2})?[ \t]+"
    r"(?P<y>[^\W\d_]{2,4})[ \t]*(?P<yn>\d{4})\b"
)
_DATE_WORDS = {"d": "ngày", "m": "tháng", "y": "năm"}
# `Số:` opening a line, or `số` before a document number (`số 92/TTr-UBND`).
_SO = re.compile(
    r"^([ \t]*)([^\W\d_]{2})(?=[ \t]*:)|(?<![^\W\d_])([^\W\d_]{2})(?=[ \t]+\d+/)", re.M
)
# `Điều 2.` opening a line: an article's label, whatever accents OCR lost (`Điêu 2.`).
_ARTICLE = re.compile(r"^([ \t]*)([^\W\d_]{4})(?=[ \t]+\d{1,3}[.:])", re.M)
# What OCR makes of `số`; not `sở` (a department) nor `sổ` (a register).
_SO_MISREAD = set(_confusions("so"))
# `THỦ TƯỚNG CHÍNH PHỦ diện:`: a telegram's `điện:` with its đ or tone lost (lexicon
# `ocr_confusions`, where `telegram`), after a word in capitals and closing the line.
_DIEN_READS = _confusions("telegram")
# The word they all misread (`điện`): any reading of it without its accents is repaired
# (`diện`, `điẹn`), the rows being examples.
_DIEN_WORD = next(iter(_DIEN_READS.values()))
_DIEN = re.compile(r"(?<=(\S)[ \t])([^\W\d_]{4})(?=[ \t]*:[ \t]*$)", re.M)
# `V/v` opening a line, its slash misread (`V/w`), or read as a word (lexicon `ocr_confusions`,
# where `vv`: `VÀ, cơ chế …`) before the trích yếu's first word in lower case.
_VV_READS = _confusions("vv")
_VV = re.compile(
    r"^([ \t]*)(?:V[ \t]*/[ \t]*[vVwWy](?=[ \t])|(?:"
    + "|".join(map(re.escape, _VV_READS))
    + r")(?=[ \t]+(\w)))",
    re.M,
)
# A document number, or its code when the number is a blank (`Số:  /QĐ-TTg`).
_CODE = re.compile(r"(?<![\w/])(?:\d+\S*)?/[A-Za-zĐÐđ][\w./-]*")
_DOUBLE_HYPHEN = re.compile(r"(?<=[A-Za-zĐ])-[ \t]*-(?=[A-Za-z])")
_ROMANISH = "IV" + re.escape("".join(_ROMAN_LIKE))
_QUARTER = re.compile(
    r"(?i:\b(qu[ýyíi]))[ \t]+([" + _ROMANISH + r"]{1,4})(?=[ \t]*/[ \t]*\d{4}|[ \t,.;)]|$)", re.M
)
_ROMAN = {"I", "II", "III", "IV"}
# `l. Sở Tài chính …`: the item `1.` read with a letter (lexicon `ocr_confusions`, where `item`).
_ITEM_READS = _confusions("item")
_ITEM = re.compile(
    r"^([ \t]*)(" + "|".join(map(re.escape, _ITEM_READS)) + r")(?=[.)][ \t]+\S)", re.M
)
# A letter list that reached `k)`: its next item is `l)`, as printed.
_LETTER_BEFORE = re.compile(r"^[ \t]*k[.)][ \t]+\S", re.M)


def correct_lines(lines: list[str]) -> tuple[list[str], Counter[str]]:
    """Correct a page's lines; the count of corrections by kind."""
    text, counts = correct("\n".join(lines))
    return text.split("\n") if text else [], counts


def correct(text: str) -> tuple[str, Counter[str]]:
    counts: Counter[str] = Counter()
    text = _count(counts, "letters", text, _sub_eth)
    text = _count(counts, "digits", text, lambda t: _sub(_DIGIT_RUN, _digits, t))
    text = _count(counts, "spacing", text, _unglue_dates)
    text = _count(counts, "date", text, _dates)
    text = _count(counts, "vocabulary", text, _vocabulary)
    text = _count(counts, "list", text, _distributive_lists)
    text = _count(counts, "code", text, _codes)
    text = _count(counts, "roman", text, lambda t: _sub(_QUARTER, _quarter, t))
    text = _count(counts, "item", text, _items)
    return text, +counts


# In any text, typed or scanned (pipeline/normalize.py): a look-alike letter in a run of
# digits that is a date's or a document number's part (touching a `/`: `25/0l/2026`,
# `0l/NQ-CP`; the day or month of a date in words: `ngày l5 tháng 7`) or stands between two
# digits (`4l8`), and a quarter's numeral read as a letter (`quý l/2026`). No typed letter
# means `l` there (ANNOTATION §1: a number or a date garbled by OCR is given as the text
# shows it is meant); a lone `5l` (litres) is left.
NUMBER_RUN = re.compile(
    rf"(?<![^\W\d_])(?=[{_DIGITISH}]*/|(?<=/)|(?<=ngày )|(?<=tháng )|[{_DIGITISH}]*\d[{_DIGITISH}]+\d)"
    rf"[{_DIGITISH}]*\d[{_DIGITISH}]*(?![^\W\d_])"
)
# A digit beside a look-alike letter (`0l`, `l7`). Each branch opens on the character class
# of the two, so the engine skips to a digit or a look-alike at C speed (issue 16), where
# `\d[Ol]|[Ol]\d` was tried at every position: the same matches (the first character is a
# digit followed by a look-alike, or a look-alike followed by a digit).
_LOOK = re.escape("".join(_DIGIT_LIKE))
NUMBER_LOOK_ALIKE = re.compile(rf"[\d{_LOOK}](?:(?<=\d)[{_LOOK}]|(?<=[{_LOOK}])\d)")
QUARTER = _QUARTER
# What every `QUARTER` match that `quarter` changes holds: `qu`, a letter and blanks, then a
# numeral holding a look-alike (`quý Il`); in any case, `q` and `u` being the only letters
# that match themselves under `re.I` (tests/test_ocr_prefilters.py). A text without one is
# left as it is, without trying `QUARTER`'s opening `\b` at every position (issue 16).
QUARTER_LOOK_ALIKE = re.compile(
    rf"[qQ][uU]\w[ \t]+[{_ROMANISH}]{{0,3}}[{re.escape(''.join(_ROMAN_LIKE))}]"
)


def number_run(m: re.Match[str]) -> str:
    """A number's run of digits with its look-alike letters set back (`0l` → `01`)."""
    return _digits(m)


def quarter(m: re.Match[str]) -> str:
    """`quý l/2026` → `quý I/2026`; anything else as read."""
    return _quarter(m)


def _count(
    counts: Counter[str], kind: str, text: str, step: Callable[[str], tuple[str, int]]
) -> str:
    new, n = step(text)
    counts[kind] += n
    return new


def _sub(
    pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str], text: str
) -> tuple[str, int]:
    """`pattern.sub` counting only the matches it actually changes."""
    changed = 0

    def one(m: re.Match[str]) -> str:
        nonlocal changed
        new = repl(m)
        changed += new != m.group(0)
        return new

    return pattern.sub(one, text), changed


def _sub_eth(text: str) -> tuple[str, int]:
    n = sum(text.count(read) for read in _LOOK_ALIKE)
    return text.translate(_translation("letters")), n


def _digits(m: re.Match[str]) -> str:
    run = m.group(0)
    if run.isdigit():
        return run
    return run.translate(_DIGIT_FIX)


def _unglue_dates(text: str) -> tuple[str, int]:
    """`ngày23` → `ngày 23`, `22tháng` → `22 tháng`."""
    text, n = _sub(_WORD_DIGIT, lambda m: m.group(1) + " ", text)
    text, k = _sub(_DIGIT_WORD, lambda m: m.group(1) + " ", text)
    return text, n + k


def _dates(text: str) -> tuple[str, int]:
    """`ngay 28 thang 4 nam 2026` → `ngày 28 tháng 4 năm 2026`."""
    changed = 0

    def one(m: re.Match[str]) -> str:
        nonlocal changed
        if not all(fold(m.group(k)) == fold(w) for k, w in _DATE_WORDS.items()):
            return m.group(0)
        day_ok = not m["dn"] or 1 <= int(m["dn"]) <= 31
        month_ok = not m["mn"] or 1 <= int(m["mn"]) <= 12
        if not (day_ok and month_ok):
            return m.group(0)  # not a date after all: leave it as read
        out = m.group(0)
        # Replace right to left so earlier offsets stay valid.
        for key in ("y", "m", "d"):
            s, e = m.start(key) - m.start(), m.end(key) - m.start()
            word = _cased(out[s:e], _DATE_WORDS[key])
            if word != out[s:e]:
                out = out[:s] + word + out[e:]
                changed += 1
        return out

    return _DATE.sub(one, text), changed


def _cased(model: str, word: str) -> str:
    """`word` in the case pattern of `model` (the token as OCR read it)."""
    letters = [c for c in model if c.isalpha()]
    word = word.lower()
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return word.upper()
    if letters and letters[0].isupper():
        return word[:1].upper() + word[1:]
    return word


def _same_word(a: str, b: str) -> bool:
    """Equal up to the placement of the tone mark (`hoà` = `hòa`)."""
    return a == b or token_normalize(a) == token_normalize(b)


# --- closed vocabulary and names ---------------------------------------------------


# Lists of the lexicon whose phrases the extractors find a letter's structure and its tasks
# by (first column): a plan's section headings, time and event labels, role-defined actors,
# officials' positions, the verbs that assign, hand in or decide work, the words of
# coordination and urgency, the openings of a paragraph.
_CUE_LISTS = (
    "section_names",
    "section_work",
    "time_labels",
    "event_labels",
    "role_actors",
    "official_titles",
    "assignment_verbs",
    "work_verbs",
    "delivery_verbs",
    "decision_acts",
    "apply_verbs",
    "coordinate_words",
    "urgency_words",
    "body_openings",
)
# Lists whose rows each mean something of their own: two of them that fold alike (`Thứ
# trưởng`, `Thủ trưởng`) are two words. In the others, rows that fold alike say the same
# (`phối hợp` and its misreadings `phôi hợp`, `phổi hợp` listed for text read elsewhere).
_OWN_MEANING = {"official_titles", "section_names", "groups"}


@lru_cache(maxsize=1)
def _cue_lists() -> dict[str, list[str]]:
    """The cue phrases of the lexicon by list, in lower case as listed, with the recurring
    times (`recurrence_words`: an `every` word before a `unit`, `hằng năm`)."""
    out = {name: [r.lower() for r in lexicon.words(name)] for name in _CUE_LISTS}
    every = lexicon.selected("recurrence_words", "kind", "every")
    units = lexicon.selected("recurrence_words", "kind", "unit")
    out["recurrence_words"] = [f"{e} {u}" for e in every for u in units]
    out["groups"] = _group_words()
    return out


def _group_words() -> list[str]:
    """The runs of two or more plain words in the registry's patterns of groups of bodies
    (`data/registry/groups.csv`: `[các] đơn vị {thuộc|trực thuộc} …` gives `trực thuộc`),
    not those opening with `các`: a determiner and one noun, whose unaccented form other
    nouns share (`các sở`, `các số`)."""
    patterns = [row["pattern"] for row in _registry_rows("groups.csv")]
    runs = (run.strip() for p in patterns for run in re.split(r"[\[\]{}|,]|<[^>]*>", p))
    return list(dict.fromkeys(r for r in runs if len(r.split()) >= 2 and r.split()[0] != "các"))


def _cue_phrases() -> list[str]:
    """The cue phrases (`_cue_lists`) and attached documents' titles (`attachment_titles`),
    in running text, capitalised and in capitals."""
    out = [*lexicon.words("attachment_titles")]
    for phrases in _cue_lists().values():
        for phrase in phrases:
            out += [phrase, phrase[:1].upper() + phrase[1:], phrase.upper()]
    return out


@lru_cache(maxsize=1)
def _unambiguous_cues() -> list[str]:
    """`_cue_phrases` whose spelling without accents is theirs alone: no other phrase of the
    lexicon nor entry of the dictionary (`spelling.dictionary_words`) reads the same once
    accents are dropped, only tone placement apart (`chỉ tiêu`, a target, is left out:
    `chi tiêu`, spending, folds alike; so are `Thứ trưởng` and `Thủ trưởng`). Rows of one
    list that say the same (`hằng tháng`, `hàng tháng`) count as one spelling."""
    return [p for p, rivals in _cue_rivals().items() if not rivals]


@lru_cache(maxsize=1)
def _rivalled_cues() -> dict[str, tuple[tuple[str, ...], ...]]:
    """The other cue phrases, with the words of another meaning they fold like (`hằng năm`:
    `hàng nằm`; `liên quan`: `liên quân`): read, they are put right only where a scan's lost
    marks make them from the cue with fewer lost than from any rival (`_lost_from`)."""
    return {p: rivals for p, rivals in _cue_rivals().items() if rivals}


@lru_cache(maxsize=1)
def _cue_rivals() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Each cue phrase of two words or more, with the spellings of other meaning that fold
    like it (of the lexicon or the dictionary), in words."""
    meaning: dict[str, str] = {}  # a phrase's spelling -> the spelling it says the same as
    for name, phrases in _cue_lists().items():
        first: dict[str, str] = {}
        for p in phrases:
            spelt = _spelling(p)
            same = name not in _OWN_MEANING
            meaning.setdefault(spelt, first.setdefault(_key(p), spelt) if same else spelt)
    phrases = [p for p in _cue_phrases() if len(_TOKEN.findall(p)) >= 2]
    spellings: dict[str, set[str]] = {_key(p): set() for p in phrases}
    for key, found in spellings.items():
        for entry in _dictionary_entries(key):
            spelt = _spelling(entry)
            found.add(meaning.get(spelt, spelt))
    for p in phrases:
        spelt = _spelling(p)
        spellings[_key(p)].add(meaning.get(spelt, spelt))
    out: dict[str, tuple[tuple[str, ...], ...]] = {}
    for p in phrases:
        mine = meaning.get(_spelling(p), _spelling(p))
        out[p] = tuple(tuple(r.split()) for r in sorted(spellings[_key(p)] - {mine}))
    return out


# The dictionary's entries by their words without accents, one key a line, sorted
# (`hai quan\tHải quan|hải quân`), after a line naming the dictionary they were built from
# (`# sha256 …` of `spelling.dictionary_text`): folding the 74,000 entries costs a worker
# 0.15 s, looking a key up in the file nothing. `make ocr-dictionary` writes it
# (`dictionary_keys_file`); a dictionary other than the one it names is folded as before.
DICTIONARY_KEYS = Path(__file__).with_name("ocr_dictionary_keys.tsv")


def dictionary_keys_file(text: str) -> str:
    """What `DICTIONARY_KEYS` holds for the dictionary `text` (its entries one a line)."""
    by_key: dict[str, list[str]] = {}
    for word, key in _fold_entries(text):
        by_key.setdefault(key, []).append(word)
    lines = sorted(f"{k}\t{'|'.join(dict.fromkeys(ws))}" for k, ws in by_key.items())
    return "\n".join([_digest_line(text), *lines]) + "\n"


def _digest_line(text: str) -> str:
    return "# sha256 " + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _fold_entries(text: str) -> list[tuple[str, str]]:
    """The entries of a dictionary's text with their words without accents."""
    words = text.split("\n")
    # One `fold` of the whole dictionary (74,000 entries) at once: a call per entry takes 1 s.
    folded = fold(text).split("\n")
    return [(w, " ".join(_TOKEN.findall(f))) for w, f in zip(words, folded, strict=True)]


@lru_cache(maxsize=1)
def _keyed_lines() -> list[str]:
    """The lines of `DICTIONARY_KEYS` (its digest line left out) when it was built from the
    dictionary installed here; else the same lines, made now."""
    text = dictionary_text()
    try:
        shipped = DICTIONARY_KEYS.read_text(encoding="utf-8")
    except OSError:
        shipped = ""
    head, _, body = shipped.partition("\n")
    if head != _digest_line(text):  # another underthesea's dictionary, or no file
        body = dictionary_keys_file(text).partition("\n")[2]
    return body.rstrip("\n").split("\n")


def _dictionary_entries(key: str) -> list[str]:
    """The dictionary's entries whose words without accents are `key` (`hai quan`)."""
    lines = _keyed_lines()
    probe = key + "\t"
    i = bisect_left(lines, probe)
    if i < len(lines) and lines[i].startswith(probe):
        return lines[i][len(probe) :].split("|")
    return []


def _a_compound(first: str, second: str) -> bool:
    """`first second` is a word of the dictionary, as read (tone placement apart)."""
    entries = _dictionary_entries(f"{fold(first)} {fold(second)}")
    return any(_spelling(e) == _spelling(f"{first} {second}") for e in entries)


def _spelling(phrase: str) -> str:
    """A phrase's words in lower case, one tone placement (`hoà` = `hòa`)."""
    return " ".join(token_normalize(w) for w in _TOKEN.findall(phrase.lower()))


def _key(phrase: str) -> str:
    return " ".join(_TOKEN.findall(fold(phrase)))


class _Phrase(NamedTuple):
    folded: list[str]
    words: list[str]
    commas: list[bool]  # a comma after each word but the last (`Sở Văn hóa, Thể thao …`)
    cue: bool  # a cue phrase of the lexicon (`_unambiguous_cues`), not a name or a form's word
    rivals: tuple[tuple[str, ...], ...] = ()  # other words it folds like (`_rivalled_cues`)


@lru_cache(maxsize=1)
def _phrases() -> dict[str, list[_Phrase]]:
    """Phrases by their first folded word."""
    out: dict[str, list[_Phrase]] = {}
    seen: set[tuple[str, ...]] = set()
    cues = set(_unambiguous_cues())
    rivalled = _rivalled_cues()
    cues |= set(rivalled)
    for phrase in [*_CLOSED, *_registry_names(), *_unambiguous_cues(), *rivalled]:
        found = list(_TOKEN.finditer(phrase))
        words = [m.group(0) for m in found]
        key = tuple(words)
        if len(words) < 2 or key in seen:
            continue
        seen.add(key)
        commas = ["," in phrase[a.end() : b.start()] for a, b in pairwise(found)]
        out.setdefault(fold(words[0]), []).append(
            _Phrase(
                [fold(w) for w in words], words, commas, phrase in cues, rivalled.get(phrase, ())
            )
        )
    for entries in out.values():
        entries.sort(key=lambda e: -len(e.folded))  # longest phrase first
    return out


def _registry_dir() -> Path | None:
    here = Path(__file__).resolve().parent
    for d in (here.parent / "data" / "registry", here.parent / "extractors" / "registry_data"):
        if (d / "agencies.csv").exists():
            return d
    return None


def _registry_rows(table: str) -> list[dict[str, str]]:
    """The rows of one table of the registry (`agencies.csv`), none when it is not there."""
    folder = _registry_dir()
    if folder is None or not (folder / table).exists():
        return []
    with (folder / table).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@lru_cache(maxsize=1)
def _registry_names() -> tuple[str, ...]:
    """Agency, unit and place names of the registry (not their abbreviations): read once,
    for the vocabulary and for each kind of body a distributive list names (`_short_names`)."""
    names: list[str] = []
    for table, columns in (
        ("agencies.csv", ("name",)),
        ("unit_types.csv", ("name",)),
        ("provinces.csv", ("name", "full_name")),
    ):
        for row in _registry_rows(table):
            names += [row[c].strip() for c in columns if (row.get(c) or "").strip()]
            for alias in (row.get("aliases") or "").split("|"):
                if " " in alias.strip():
                    names.append(alias.strip())
    return tuple(names)


# `Các Bộ: Công an, lài chính, Xây dựng`, `các Tập đoàn: …, Viễn thông Quân đổi`: each item of
# a distributive list of bodies of one kind is a short name of a body of the registry whose name
# opens with that kind (lexicon `body_heads`); a name read without some accents, or with one
# misread letter, is repaired when exactly one name is that close.
_HEADS = sorted(lexicon.words("body_heads"), key=len, reverse=True)
_DISTRIBUTIVE_LIST = re.compile(
    r"(?<![^\W\d_])[Cc]ác (?P<head>"
    + "|".join(f"[{h[0].upper()}{h[0]}]{re.escape(h[1:])}" for h in _HEADS)
    + r")\s*:\s*([^;:\n]{3,300}?)(?=\s+(?:"
    + lexicon.alternation("list_end_words")
    + r")\b|[;:\n]|$)"
)


@lru_cache(maxsize=64)
def _short_names(head: str) -> dict[str, str]:
    """The registry's names opening with `head` (`Bộ Y`), without it, by their
    unaccented words: in the registry's order, a name before its aliases (`Công Thương`,
    then `Công thương`), so that the name is what a misread is set back to."""
    prefix = head[:1].upper() + head[1:].lower() + " "
    out: dict[str, str] = {}
    for name in _registry_names():
        if name.startswith(prefix) and len(name) > len(prefix) + 2:
            out.setdefault(_key(name[len(prefix) :]), name[len(prefix) :])
    return out


def _distributive_lists(text: str) -> tuple[str, int]:
    changed = 0

    def fix_list(m: re.Match[str]) -> str:
        nonlocal changed
        fixed, n = _fixed_list(m)
        changed += n
        return fixed

    return _DISTRIBUTIVE_LIST.sub(fix_list, text), changed


def _fixed_list(m: re.Match[str]) -> tuple[str, int]:
    """A distributive list's match with each item set back to the short name it misreads,
    and how many were."""
    names = _short_names(m.group("head").lower())
    if not names:
        return m.group(0), 0
    changed = 0
    items = re.split(r"(,\s*)", m.group(2))
    for k in range(0, len(items), 2):
        new, n = _fix_item(items[k], names)
        items[k], changed = new, changed + n
    return m.group(0)[: m.start(2) - m.start(0)] + "".join(items), changed


# In any text, typed or scanned (pipeline/normalize.py): the items of a distributive list of
# bodies of one kind (`các Bộ: Kế hoạch và Đầu. tư, Tài chinh`) printed with marks lost
# or a letter misread, as a site's OCR prints them, set back to the registry's short names
# (ANNOTATION §4: `Các Bộ: Công an, Quốc phòng, …` names each ministry; §1 garbled values
# are given as meant).
DISTRIBUTIVE_LIST = _DISTRIBUTIVE_LIST


def distributive_list(m: re.Match[str]) -> str:
    """`DISTRIBUTIVE_LIST`'s match `m` with its items set back (`_fixed_list`)."""
    return _fixed_list(m)[0]


def _fix_item(item: str, names: dict[str, str]) -> tuple[str, int]:
    """An item of a distributive list set back to the short name it misreads; an item of two
    names joined by `và` (`Công an và Tư pháp`) one name at a time."""
    name = _short_name(item.strip().rstrip("."), names)  # the last item closes the sentence
    if name is not None:
        bare = item.strip().rstrip(".")
        return (item, 0) if name == bare else (item.replace(bare, name), 1)
    parts = re.split(r"(\s+và\s+)", item)
    if len(parts) == 1:
        return item, 0
    changed = 0
    for k in range(0, len(parts), 2):
        parts[k], n = _fix_item(parts[k], names)
        changed += n
    return "".join(parts), changed


def _short_name(item: str, names: dict[str, str]) -> str | None:
    """The short name `item` is (itself, when printed right or only cased otherwise), or the
    one name a letter away; None when it is none of them."""
    if not item:
        return None
    key = _key(item)
    if key in names:
        same = item.lower() == names[key].lower()
        return item if same else names[key]
    if item.isupper() and " " not in item:
        return None  # a code (`TCCV`): one letter away from another code is another unit
    near = [
        n
        for f, n in names.items()
        if len(f) == len(key) and sum(a != b for a, b in zip(f, key, strict=True)) == 1
    ]
    return near[0] if len(near) == 1 else None


def _vocabulary(text: str) -> tuple[str, int]:
    changed = 0
    text, n = _sub(_VV, _vv, text)
    changed += n
    text, n = _sub(_SO, _so, text)
    changed += n
    text, n = _sub(_ARTICLE, _article, text)
    changed += n
    text, n = _sub(_DIEN, _dien, text)
    changed += n
    tokens = list(_TOKEN.finditer(text))
    folded = [fold(t.group(0)) for t in tokens]
    table = _phrases()
    edits: list[tuple[int, int, str]] = []
    i = 0
    while i < len(tokens):
        for phrase in table.get(folded[i], []):
            n = len(phrase.folded)
            span = tokens[i : i + n]
            if folded[i : i + n] != phrase.folded or not _adjacent(text, span, phrase.commas):
                continue
            found = [t.group(0) for t in span]
            if not _capitalised_like(found, phrase.words):
                continue
            if phrase.cue and _straddles(text, tokens, i, n):
                continue
            phrase = _closest(found, [e for e in table[folded[i]] if e.folded == phrase.folded])
            if phrase.rivals and not (_lost_from(found, phrase) and _accented(tokens, i, n)):
                continue
            for t, got, want in zip(span, found, phrase.words, strict=True):
                new = _cased(got, want)
                if not _same_word(got, new):
                    edits.append((t.start(), t.end(), new))
            i += n - 1
            break
        i += 1
    for s, e, new in reversed(edits):
        text = text[:s] + new + text[e:]
    return text, changed + len(edits)


def _so(m: re.Match[str]) -> str:
    word = m.group(2) or m.group(3)
    if word.lower() not in _SO_MISREAD:
        return m.group(0)
    return (m.group(1) or "") + _cased(word, "số")


def _article(m: re.Match[str]) -> str:
    word = m.group(2)
    if fold(word) != "dieu" or not word[:1].isupper():
        return m.group(0)
    return m.group(1) + _cased(word, "Điều")


def _vv(m: re.Match[str]) -> str:
    if m.group(2) is not None and not m.group(2).islower():
        return m.group(0)  # `VÀ, NGHĨA VỤ`: a heading's word
    return f"{m.group(1)}V/v"


def _dien(m: re.Match[str]) -> str:
    before = m.string[: m.start(2)].split()
    if fold(m.group(2)) != fold(_DIEN_WORD) or not (before and before[-1].isupper()):
        return m.group(2)
    return _cased(m.group(2), _DIEN_WORD)


def _adjacent(text: str, tokens: list[re.Match[str]], commas: list[bool]) -> bool:
    """Words of one phrase: only spaces, hyphens or a line break between, and a comma
    where the phrase has one (`Sở Văn hóa, Thể thao và Du lịch`)."""
    return _gaps_fit(text, [t.end() for t in tokens[:-1]], [t.start() for t in tokens[1:]], commas)


def _gaps_fit(text: str, ends: list[int], starts: list[int], commas: list[bool]) -> bool:
    """`_adjacent` of words given by their bounds: the gap from each end to the next start."""
    return all(
        (_GAP_COMMA if comma else _GAP).fullmatch(text, e, s) is not None
        for e, s, comma in zip(ends, starts, commas, strict=True)
    )


_GAP = re.compile(r"[\s\-–]*")
_GAP_COMMA = re.compile(r"[\s\-–]*,?[\s\-–]*")


def _straddles(text: str, tokens: list[re.Match[str]], i: int, n: int) -> bool:
    """The words `i` to `i + n` belong to other words: the first with the word before it, or
    the last with the word after it, is a word of the dictionary as read (`Hải quan khu
    vực` holds `quan khu`, which folds like `quân khu`, but its `quan` is that of `Hải
    quan` and its `khu` that of `khu vực`)."""
    words = [t.group(0) for t in tokens[max(0, i - 1) : i + n + 1]]
    j = 1 if i > 0 else 0  # `words[j]` is the span's first word
    before = j == 1 and _adjacent(text, tokens[i - 1 : i + 1], [False])
    after = i + n < len(tokens) and _adjacent(text, tokens[i + n - 1 : i + n + 1], [False])
    return bool(
        (before and _a_compound(words[0], words[1]))
        or (after and _a_compound(words[j + n - 1], words[j + n]))
    )


def _closest(found: list[str], entries: list[_Phrase]) -> _Phrase:
    """Of the phrases that read alike without accents (`hằng tháng`, `hàng tháng`: the
    same recurrence), the one most of whose words are already as printed; the first
    listed of those (`phối hợp` before its misreadings)."""
    low = [w.lower() for w in found]
    return max(
        entries,
        key=lambda e: sum(_same_word(g, w.lower()) for g, w in zip(low, e.words, strict=True)),
    )


def _lost_marks(read: str, meant: str) -> int | None:
    """How many marks a scan lost reading `meant` as `read` (`hăng` from `hằng`: one),
    None when losing marks cannot make it (`hăng` from `hàng`: a breve is never added)."""
    a = unicodedata.normalize("NFD", read.lower().replace("đ", "d"))
    b = unicodedata.normalize("NFD", meant.lower())
    lost = meant.lower().count("đ") - read.lower().count("đ")
    b = b.replace("đ", "d")
    i = j = 0
    while j < len(b):
        if i < len(a) and a[i] == b[j]:
            i += 1
        elif unicodedata.combining(b[j]):
            lost += 1
        else:
            return None
        j += 1
    return lost if i == len(a) and lost >= 0 else None


def _accented(tokens: list[re.Match[str]], i: int, n: int) -> bool:
    """The words `i` to `i + n`, or one of the three words either side, bear a mark: a
    page printed with none (`Thu truong cac co quan`, a site's) gives no cue phrase back."""
    near = tokens[max(0, i - 3) : i + n + 3]
    return any(not t.group(0).isascii() for t in near)


def _lost_from(found: list[str], phrase: _Phrase) -> bool:
    """The words read are the phrase's with marks lost, and fewer lost than any other word
    folding alike would need (`lien quan`: `liên quan` less one mark, `liên quân` less two)."""

    def lost(words: tuple[str, ...] | list[str]) -> int | None:
        counts = [_lost_marks(f, w) for f, w in zip(found, words, strict=True)]
        return None if None in counts else sum(c for c in counts if c is not None)

    mine = lost(phrase.words)
    if mine is None:
        return False
    others = [n for r in phrase.rivals if len(r) == len(found) and (n := lost(r)) is not None]
    return all(mine < n for n in others)


def _capitalised_like(found: list[str], canon: list[str]) -> bool:
    """Capitalised as the phrase is (`Văn phòng Bộ`, not `văn phòng bổ sung`),
    or all in capitals (a heading)."""
    if all(w.isupper() for w in found):
        return True
    return all(f[:1].isupper() == c[:1].isupper() for f, c in zip(found, canon, strict=True))


# --- codes and numerals -------------------------------------------------------------


def _codes(text: str) -> tuple[str, int]:
    text, doubled = _sub(_DOUBLE_HYPHEN, lambda m: "-", text)

    def one(m: re.Match[str]) -> str:
        parts = re.split(r"([-/])", m.group(0))
        return "".join(_CODE_D.get(p, p) for p in parts)

    text, n = _sub(_CODE, one, text)
    return text, doubled + n


def _items(text: str) -> tuple[str, int]:
    """`l. Sở Tài chính …` → `1. Sở Tài chính …` (not after a `k)` item)."""
    if _LETTER_BEFORE.search(text):
        return text, 0
    return _sub(_ITEM, lambda m: m.group(1) + _ITEM_READS[m.group(2)], text)


def _quarter(m: re.Match[str]) -> str:
    numeral = m.group(2).translate(_translation("roman"))
    if numeral not in _ROMAN:
        return m.group(0)
    return m.group(0)[: m.start(2) - m.start()] + numeral


# The registry's names of two words or more: by first folded word, their lengths (longest
# first), and by all their folded words the names that fold so.
_NameTable = dict[str, tuple[list[int], dict[tuple[str, ...], list[_Phrase]]]]


def _new_phrase(name: str, seen: set[tuple[str, ...]], least: int) -> _Phrase | None:
    """`name` as a phrase of its words (folded once each: a word of many names, issue 16) and
    the commas between them; None when it has fewer than `least` words or was seen."""
    # Its words and the gaps between them by one split (gap, word, gap, …, gap), not a match
    # object a word: the server makes ~2,200 phrases before it forks (issue 16).
    parts = _splitter(_TOKEN).split(name)
    words = parts[1::2]
    if len(words) < least or tuple(words) in seen:
        return None
    seen.add(tuple(words))
    commas = ["," in gap for gap in parts[2:-1:2]]
    return _Phrase(list(map(_fold_word, words)), words, commas, False)


@lru_cache(maxsize=1)
def _registry_phrases() -> _NameTable:
    table: _NameTable = {}
    seen: set[tuple[str, ...]] = set()
    for name in _registry_names():
        phrase = _new_phrase(name, seen, 2)
        if phrase is None:
            continue
        key = tuple(phrase.folded)
        lengths, by_key = table.setdefault(key[0], ([], {}))
        by_key.setdefault(key, []).append(phrase)
        if len(key) not in lengths:
            lengths.append(len(key))
            lengths.sort(reverse=True)
    return table


@lru_cache(maxsize=4096)
def _fold_word(word: str) -> str:
    return fold(word)


class Words(NamedTuple):
    """A text's words (`_TOKEN`), their starts, their ends and their folds: what the
    toneless repairs read, found once for both when the first changes nothing."""

    words: list[str]
    starts: list[int]
    ends: list[int]
    folded: list[str]


def words_of(text: str) -> Words:
    """The words and their bounds by one split (gap, word, gap, …, gap) and running sums of
    the parts' lengths, at C speed: no match object a word (issue 16; `finditer` took half)."""
    parts = _splitter(_tokens_of(text)).split(text)
    bounds = list(accumulate(map(len, parts)))
    words = parts[1::2]
    return Words(words, bounds[0:-1:2], bounds[1::2], list(map(_fold_word, words)))


def toneless_names(text: str, found: Words | None = None) -> list[tuple[int, int, str]]:
    """Edits setting back a registry body's name printed with marks lost (`Sở Tai chính`,
    `Tập đoàn Dâu khí Việt Nam`): its words fold like the name's, each is the name's word
    less some marks (never with a mark the name lacks), and of the names that fold alike
    exactly one needs the fewest; a name printed right is left. ANNOTATION §1: agency
    names are canonical, in official spelling. `found`: `words_of(text)`, if known."""
    table, pairs = _registry_phrases(), _registry_pairs()
    words, starts, ends, folded = found or words_of(text)
    edits: list[tuple[int, int, str]] = []
    # Every name has two words or more: only where the first two fold like a name's first
    # two can one start (issue 16: most words open none). The walk is the left-to-right one
    # that goes on after the name it found, or one word on. A pair can open a name only if
    # its first word is a name's first (`_registry_firsts`): the words that are not are
    # passed over by `compress` at C speed (7 in 10 of a letter's words), and the walk does
    # at the others what it did at every word, so it finds what it found.
    free = 0
    for i in compress(range(len(folded) - 1), map(_registry_firsts().__contains__, folded)):
        if i >= free and (folded[i], folded[i + 1]) in pairs:
            free = i + _name_at(text, (words, starts, ends), folded, i, table[folded[i]], edits)
    return edits


@lru_cache(maxsize=4)
def _splitter(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """`pattern` (a run of letters, no group) as one group: `split` keeps what it finds."""
    return re.compile(f"({pattern.pattern})", pattern.flags)


# The characters of most letters: Latin scripts (Vietnamese's among them) and general
# punctuation, whose letters `_common_words` lists as ranges.
_COMMON = ((0x0000, 0x024F), (0x1E00, 0x1EFF), (0x2000, 0x206F))


def _tokens_of(text: str) -> re.Pattern[str]:
    """`_TOKEN`, or a pattern finding the same words in `text` faster (`_common_words`)."""
    common, other = _common_words()
    return _TOKEN if other.search(text) else common


@lru_cache(maxsize=1)
def _common_words() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The runs of the letters among the `_COMMON` characters (a class of ranges, looked up
    in a table), and a pattern finding any other character. In a text of `_COMMON`
    characters alone the first finds the words `_TOKEN` finds, being the runs of the
    characters `_TOKEN` takes one at a time, there; about a third faster, where
    `[^\\W\\d_]` asks each character's category (issue 16)."""
    letters: list[tuple[int, int]] = []
    for low, high in _COMMON:
        for code in range(low, high + 1):
            if not _TOKEN.fullmatch(chr(code)):
                continue
            if letters and letters[-1][1] == code - 1:
                letters[-1] = (letters[-1][0], code)
            else:
                letters.append((code, code))

    def ranges(spans: Iterable[tuple[int, int]]) -> str:
        return "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in spans)

    return re.compile(f"[{ranges(letters)}]+"), re.compile(f"[^{ranges(_COMMON)}]")


@lru_cache(maxsize=1)
def _registry_firsts() -> frozenset[str]:
    """The first folded word of every name of `_registry_phrases`."""
    return frozenset(first for first, _ in _registry_pairs())


@lru_cache(maxsize=1)
def _registry_pairs() -> frozenset[tuple[str, str]]:
    """The first two folded words of every name of `_registry_phrases`."""
    return frozenset(
        (key[0], key[1]) for _, by_key in _registry_phrases().values() for key in by_key
    )


def _name_at(
    text: str,
    tokens: tuple[list[str], list[int], list[int]],
    folded: list[str],
    i: int,
    entry: tuple[list[int], dict[tuple[str, ...], list[_Phrase]]],
    edits: list[tuple[int, int, str]],
) -> int:
    """The words the longest name folding like the tokens from `i` takes (1: none); its
    repair appended to `edits` when one name is the words less the fewest marks. `tokens`:
    the text's words, their starts and their ends."""
    words, starts, ends = tokens
    lengths, by_key = entry
    for n in lengths:
        alike = by_key.get(tuple(folded[i : i + n]))
        k = min(i + n, len(words))  # near the end, fewer words than `n` (a shorter name's key)
        if not alike or not _gaps_fit(text, ends[i : k - 1], starts[i + 1 : k], alike[0].commas):
            continue
        found = words[i:k]
        if any(e.words == found for e in alike):
            return n  # printed right: no name needs fewer marks than none
        scored = []
        for e in alike:
            lost = [_lost_marks(f, w) for f, w in zip(found, e.words, strict=True)]
            if None not in lost and _capitalised_like(found, e.words):
                scored.append((sum(c for c in lost if c is not None), e))
        if not scored:
            continue
        least = min(c for c, _ in scored)
        best = [e for c, e in scored if c == least]
        if least > 0 and len(best) == 1:
            for j, got, want in zip(range(i, k), found, best[0].words, strict=True):
                if not _same_word(got, new := _cased(got, want)):
                    edits.append((starts[j], ends[j], new))
        return n
    return 1


# --- the registry's groups of bodies, one word's marks lost -----------------------------


@lru_cache(maxsize=1)
def _group_forms() -> dict[tuple[str, ...], list[_Phrase]]:
    """The phrases of the registry's groups of bodies (`data/registry/groups.csv`, patterns
    expanded: `các xã, phường`, `các tập đoàn, tổng công ty nhà nước`) of three words or more,
    by their folded words."""
    out: dict[tuple[str, ...], list[_Phrase]] = {}
    seen: set[tuple[str, ...]] = set()
    for row in _registry_rows("groups.csv"):
        for form in expand(row["pattern"], MACROS):
            if (phrase := _new_phrase(form, seen, 3)) is not None:
                out.setdefault(tuple(phrase.folded), []).append(phrase)
    return out


@lru_cache(maxsize=1)
def _group_firsts() -> frozenset[str]:
    """The first folded word of every phrase of `_group_forms`."""
    return frozenset(key[0] for key in _group_forms())


@lru_cache(maxsize=1)
def _group_pair_lengths() -> dict[tuple[str, str], tuple[int, ...]]:
    """The lengths of the phrases of `_group_forms` by their first two folded words, longest
    first."""
    lengths: dict[tuple[str, str], set[int]] = {}
    for key in _group_forms():
        lengths.setdefault((key[0], key[1]), set()).add(len(key))
    return {pair: tuple(sorted(ns, reverse=True)) for pair, ns in lengths.items()}


def make_tables() -> None:
    """The tables the toneless repairs read, made before the first letter (the pool's
    server makes them once for its workers: `preload`)."""
    _registry_firsts()
    _group_firsts()
    _group_pair_lengths()
    _common_words()


def toneless_groups(text: str, found: Words | None = None) -> list[tuple[int, int, str]]:
    """Edits setting back the one word of a registry group's phrase printed with its marks
    lost (`Ủy ban nhân dân các xa, phường`, `các tập đoàn, tông công ty nhà nước`): every other
    word of the phrase printed as the phrase has it, that word the phrase's less some marks
    (never with a mark it lacks), and one phrase alone so read. ANNOTATION §4 (a collective is
    its group code), §1 (a value OCR garbled is given as meant). `found`: `words_of(text)`,
    if known (`toneless_names` found them: issue 16, the tokens and folds of every word were
    most of this repair's time)."""
    forms, by_pair = _group_forms(), _group_pair_lengths()
    words, starts, ends, folded = found or words_of(text)
    edits: list[tuple[int, int, str]] = []
    # Only where a phrase's first word stands (`compress`, at C speed; issue 16): the rest of
    # the letter's words are passed over as the reading one word at a time passed them. Of
    # the phrases' lengths, only those of the phrases opening on the two words are tried:
    # no other length finds a phrase (near the end, where fewer words are left than a
    # length, the words left are those of a phrase of their own length or of none).
    after = 0  # the end of the last phrase read: no phrase starts inside it
    for i in compress(range(len(folded) - 1), map(_group_firsts().__contains__, folded)):
        lengths = by_pair.get((folded[i], folded[i + 1]))
        if i < after or lengths is None:
            continue
        for n in lengths:
            alike = forms.get(tuple(folded[i : i + n]))
            k = min(i + n, len(words))  # near the end, fewer words than `n` (a shorter key)
            if not alike or not _gaps_fit(
                text, ends[i : k - 1], starts[i + 1 : k], alike[0].commas
            ):
                continue
            edits.extend(_group_word_edit((words, starts, ends), i, k, alike))
            after = i + n
            break
    return edits


def _group_word_edit(
    tokens: tuple[list[str], list[int], list[int]], i: int, k: int, alike: list[_Phrase]
) -> list[tuple[int, int, str]]:
    """The edit of the one word of words `i` to `k` (the phrases `alike`) printed with its
    marks lost, when one phrase alone is so read; else none. `tokens`: the text's words,
    their starts and their ends."""
    words, starts, ends = tokens
    found = words[i:k]
    lowered = [f.lower() for f in found]
    if any(e.words == lowered for e in alike):
        return []  # printed as a phrase has it: that phrase needs no word set back, so none is
    fixes = {
        tuple(
            j
            for j, (f, w) in enumerate(zip(found, e.words, strict=True))
            if not _same_word(f.lower(), w)
        ): e
        for e in alike
        if all(_lost_marks(f, w) is not None for f, w in zip(found, e.words, strict=True))
    }
    if len(fixes) != 1 or len(lost := next(iter(fixes))) != 1:
        return []
    j = i + lost[0]
    return [(starts[j], ends[j], _cased(words[j], fixes[lost].words[lost[0]]))]
