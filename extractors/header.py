"""Header fields: số/ký hiệu, type, issuer block, place and date, trích yếu.

ANNOTATION.md §2. Every value comes with the span of the text it was read
from; values the text garbles (OCR) may be corrected from the file's own
metadata (see `metadata_hints`), with a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from vanban.extractors import lexicon
from vanban.extractors.frame import MOTTO_1, MOTTO_2, MOTTO_PARTS, Frame, issuer_before_number
from vanban.extractors.metadata_hints import agrees, file_name_seq, title_hints
from vanban.extractors.ocr_fix import looks_ocr, repair
from vanban.extractors.text_utils import fold, is_upper_line, strip_span
from vanban.schemas import NumberParts, TextDoc

Span = tuple[int, int]

# The hyphens and slashes a number may be printed with: a typesetter's en or em
# dash, Word's non-breaking hyphen (U+2011) and the hyphen, figure dash and minus
# a PDF or a web page keeps (U+2010, U+2012, U+2212); a division or fraction
# slash, or a full-width one, for the slash. Each is the code's `-` or `/`
# (ANNOTATION §2 `number`: the value as printed).
_DASHES = "-–—‐‑‒−"
_SLASHES = "/∕⁄／"
_TO_ASCII = str.maketrans({**dict.fromkeys(_DASHES, "-"), **dict.fromkeys(_SLASHES, "/")})
_DASH, _SLASH = f"[{_DASHES}]", f"[{_SLASHES}]"
# `Số:` (OCR: `Só:`, `S6:`, `S0:`, `Sơ:`, `Số;`), or `Số` with no colon before a numeral at a line's
# start (Party style, `Số 45-CV/TU`, or its blank `Số      -TB/TU`) or, Party style,
# after the issuer block's capitals that a crawl ran onto the line (`TỈNH ỦY Số
# 152-TB/TU`; `_after_capitals` checks).
# The numeral may carry a letter (`123a`) or a space OCR put inside it (`12 34`):
# inner spaces are removed (ANNOTATION §2 `number`). The code is letters of any
# kind (`BCĐTƯ`), digits and `&`. A space OCR put inside a word of the code (`1405/UB ND-KGVX`)
# is no end of it where capitals and the code's hyphen follow it at once (a flattened header's
# next field, `V/v …` or a place, has none). A tilde between two letters of the code, no space beside it,
# is the hyphen OCR misread (`621/UBND~XD`; ANNOTATION §1: a garbled value is given as meant).
_CODE_SPACE = rf"(?-i:[ ](?=[A-ZĐ]{{1,5}}{_DASH}[A-ZĐ]))"
_NUMBER_AFTER_SO = re.compile(
    r"(?:S[ốoôổ6óồộỗ0òõỏọơớờợỡ]\s*(?:hiệu)?\s*[:.;]"
    rf"|(?<![^\n|*])[ \t*]*Số[ \t]+(?=\d|{_DASH}[ \t]*[A-ZĐ]{{1,6}}[ \t]*{_SLASH})"
    rf"|(?<=\S[ \t])(?-i:(?P<mid>Số))[ \t]+(?=\d{{1,6}}[ \t]*{_DASH}[ \t]*[A-ZĐ]{{1,6}}[ \t]*{_SLASH}))"
    rf"\s*(?P<val>(?P<seq>\d{{1,4}} \d{{1,4}}(?={_SLASH})|[^\s{_SLASHES}]{{0,8}}?"
    rf"|\d{{1,6}}[ \t]*{_DASH}[ \t]*[A-ZĐ]{{1,6}})\s*{_SLASH}\s*"
    rf"(?P<code>[^\W_](?:[^\W_]|&)*(?:(?:\s?(?:{_DASH}|{_SLASH})\s?|\.|~|{_CODE_SPACE})(?:[^\W_]|&)+)*))",
    re.I,
)

# OCR reads a digit of the numeral as a letter (`l046`, `2O26`; lexicon
# `ocr_confusions`, where `digits`): the numeral is what the page shows.
_DIGIT_READS = str.maketrans(
    {r["read"]: r["meant"] for r in lexicon.rows("ocr_confusions") if r["where"] == "digits"}
)


# A speck OCR reads just before the numeral (`Số: .12/…`, a stamp's dot
# or a scan's dust) is no part of the number (ANNOTATION.md §1: where OCR garbled a number and
# the text shows the true value, the true value is given).
_SPECK = re.compile(r"[.,'‘’`·;:]+(?=[\dOIl])")


def _after_capitals(text: str, at: int) -> bool:
    """Is all that stands before `at` on its line in capitals (the issuer block a
    crawl ran onto the number's line, `ĐẢNG BỘ TỈNH X TỈNH ỦY Số 152-TB/TU`)?"""
    before = text[text.rfind("\n", 0, at) + 1 : at]
    return any(c.isalpha() for c in before) and before == before.upper()


def _cited_in_sentence(text: str, at: int) -> bool:
    """A `số:` in small letters after words in small letters on its line (`Thực hiện Kế
    hoạch số: 12/KH-UBND …`): a number the body cites, not the letter's own, which opens
    its line or follows the issuer block (ANNOTATION §2 `number`: the `Số:` value; §1: not
    a number printed elsewhere)."""
    at += len(text[at:]) - len(text[at:].lstrip(" \t|*"))
    before = text[text.rfind("\n", 0, at) + 1 : at]
    return text[at : at + 1] == "s" and _in_a_sentence(before)


def _place_in_code(doc: TextDoc, start: int, end: int) -> int | None:
    """Where the place of a place and date line begins inside a number's code, the
    separator before it cut off (`1234/UBND-KT - X, ngày …`, the two columns that OCR
    merged on one line): the code ends there (ANNOTATION §2 `number`, `place`)."""
    text = doc.text
    line_end = text.find("\n", end)
    place = parse_place_date(doc, start, len(text) if line_end < 0 else line_end)[1]
    if place is None or not start < place[0] < end:
        return None
    cut = place[0]
    while cut > start and text[cut - 1] in f" \t{_DASHES}{_SLASHES}":
        cut -= 1
    return cut if cut > start else None


def _ocr_digits(seq: str) -> str:
    """`l046` → `1046`, only when the rest of it is digits (`12a` stays)."""
    head = re.match(r"[\dOIl]+", seq)
    if head is None or not any(c.isdigit() for c in head.group(0)):
        return seq
    return head.group(0).translate(_DIGIT_READS) + seq[head.end() :]


# A numeral alone on its line: a PDF form field's value that the layout could not
# lay into the blank of `Số: /KH-UBND` lands on a line of its own beside it.
_LONE_NUMERAL = re.compile(r"[ \t*|]*(\d{1,6})[ \t*|]*")


def _field_numeral(doc: TextDoc, at: int) -> str | None:
    """The numeral of `Số: /KH-UBND` printed by a form field on the line right
    below or right above the blank (ANNOTATION §6 Form fields: the numeral is
    part of `number`)."""
    i = doc.text.count("\n", 0, at)
    for j in (i + 1, i - 1):
        if 0 <= j < len(doc.lines):
            m = _LONE_NUMERAL.fullmatch(doc.line_text(j))
            if m is not None:
                return m.group(1)
    return None


TYPE_NAMES = {fold(r["name"]): r["name"] for r in lexicon.rows("doc_types")}
TYPE_CODES = {r["code"]: r["name"] for r in lexicon.rows("doc_types") if r["code"]}
# OCR drops the bar of Đ; in these codes a plain D is never meant (lexicon `ocr_codes`).
_D_FIXES = {r["printed"]: r["meant"] for r in lexicon.rows("ocr_codes")}


@dataclass
class Header:
    doc_type: str | None = None
    number: str | None = None
    number_parts: NumberParts | None = None
    place: str | None = None
    issued_date: str | None = None
    subject: str | None = None
    issuer_lines: list[Span] = field(default_factory=list)
    spans: dict[str, Span] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def clean_number(raw: str) -> str:
    """`57- NQ/TW` → `57-NQ/TW`; `42/QD- ABC` → `42/QĐ-ABC`; `77/ABC–XYZ` →
    `77/ABC-XYZ`, `621/ABC~XY` → `621/ABC-XY` (a typesetter's or OCR's en or em dash, or the
    tilde OCR reads for it, is the code's hyphen)."""
    s = re.sub(r"\s+", "", raw).translate(_TO_ASCII).replace("~", "-")
    parts = re.split(r"([-/])", s)
    return "".join(_D_FIXES.get(p, p) for p in parts)


def number_parts(number: str) -> NumberParts:
    seq_m = re.match(r"(\d+[a-zA-Z]?)", number)
    seq = seq_m.group(1) if seq_m else None
    year_m = re.search(r"/(\d{4})/", number)
    tokens = [t for t in re.split(r"[-/]", number[len(seq or "") :]) if t and not t.isdigit()]
    type_code = issuer_code = unit_code = None
    if "-" in number.split("/")[0] and len(number.split("/")) == 2:
        # Party style `17317-CV/VPX`: type before the slash, issuer after.
        type_code = number.split("/")[0].split("-", 1)[1] or None
        issuer_code = number.split("/")[1]
    else:
        for t in tokens:
            if (type_code is None and t in TYPE_CODES) or t in {"QH14", "QH15", "QH13", "QH12"}:
                type_code = t if type_code is None else type_code
            elif issuer_code is None:
                issuer_code = t
            elif unit_code is None:
                unit_code = t
        if type_code is None and issuer_code is None and tokens:
            issuer_code = tokens[0]
    return NumberParts(
        seq=seq,
        year=int(year_m.group(1)) if year_m else None,
        type_code=type_code,
        issuer_code=issuer_code,
        unit_code=unit_code,
    )


# A day or month may be printed with its digits spaced apart (`tháng 0 6`): the
# text shows the numeral beyond doubt (ANNOTATION §1, garbled dates).
# Words printed in lower case inside a place (lexicon `place_words`: `Thành phố`, `thị xã`).
# The day may stand on the line under `ngày`, a blank line between (`X, ngày` / / `17 tháng
# 11 năm 2025`, each line of a header a paragraph): where the column breaks is layout
# (ANNOTATION §2 `place`, `issued_date`: from the date line).
_LOWER_PLACE = lexicon.alternation("place_words")
# A place's name may join two names by a hyphen, spaced or not (`X Y - Z T, ngày …`,
# `X Y-Z T, ngày …`): one place (ANNOTATION §2 `place`: from the date line, as printed).
_PLACE_JOIN = r"(?:[ \t]?[-–][ \t]?(?=[A-ZĐÀ-Ỹ]))?"
# The words `ngày`, `tháng`, `năm` also as OCR prints them, a tone mark garbled (`ngảy 12
# thảng 3 nãm 2025`) or the space before a word lost (`ngàyl2tháng 3`): the same date line.
_NGAY, _THANG, _NAM = "ng[àaảáạã]y", "th[áaảàạã]ng", "n[ăaãâắằ]m"
_DATE_TAIL_GROUPS = (
    rf"(?P<ngay>{_NGAY})\s{{0,4}}(?P<d>\d \d|[^\s,]{{0,3}}?)\s*{_THANG}\s?(?P<m>\d \d|[^\s,]{{0,3}}?)"
    rf"\s*{_NAM}\s?(?P<y>[^\s,.]{{0,5}})"
)
# A place may end in the numeral of a district or ward (`Quận 1`, `Phường 5`), as printed.
_PLACE_GROUP = (
    rf"(?P<place>(?<!\w)(?:(?:[A-ZĐÀ-Ỹ][\wÀ-ỹ'.]*+|{_LOWER_PLACE}){_PLACE_JOIN}[ \t]?){{1,5}}"
    r"(?:\d{1,2}\b[ \t]?)?)"
)
_DATE = re.compile(rf"{_PLACE_GROUP}?[ \t]*,[ \t]*" + _DATE_TAIL_GROUPS)
# The date line whose comma OCR or a crawl lost or read as a stop (`X Y ngày …`, `X Y.
# ngày …`): the place then opens its line and the year ends it, as no sentence of the
# body is printed; a part of the day (`Sáng ngày …`, lexicon `day_parts`) is no place.
_DAY_PART_WORDS = "|".join(
    re.escape(w[:1].upper() + w[1:]) for w in lexicon.words("day_parts") if " " not in w
)
# A crawl that flattened the header runs the next field onto the line (`… năm 2019 Kính
# gửi: …`, `… năm 2021 QUYẾT ĐỊNH …`): that ends the date as the line's end does.
_ADDRESS = lexicon.address_opening("kind", "address")  # lexicon `address_openings`
_TYPE_CAPS = "|".join(
    re.escape(r["name"].upper())
    for r in sorted(lexicon.rows("doc_types"), key=lambda r: -len(r["name"]))
)
_UNCOMMA_DATE = re.compile(
    rf"^[ \t*_]*(?!(?:{_DAY_PART_WORDS})\b){_PLACE_GROUP}[ \t]*[.;]?[ \t]+"
    + _DATE_TAIL_GROUPS
    + rf"(?=[ \t.*_]*$|[ \t]+(?:(?:{_ADDRESS})\b|(?:{_TYPE_CAPS})\b))",
    re.M,
)
# The date line with its date in figures (`X, ngày 12/3/2025`, `X, ngày 12.3.2025`): the
# place opens its line and the date ends it, as in no sentence of the body.
_FIGURES_DATE = re.compile(
    rf"^[ \t*_]*{_PLACE_GROUP}[ \t]*,[ \t]*(?P<ngay>{_NGAY})[ \t]*"
    r"(?P<d>\d{1,2})(?P<sep>[/.])(?P<m>\d{1,2})(?P=sep)(?P<y>(?:19|20)\d\d)(?=[ \t.*_]*$)",
    re.M,
)
# What every `_DATE` ends with: searched for first, so that a line with no date
# is passed over at once (a scan's garbage text layer: long runs of capitals).
_DATE_TAIL = re.compile(rf",[ \t]*{_NGAY}")


def _date_search(text: str, start: int = 0, end: int | None = None) -> re.Match[str] | None:
    """`_DATE.search`, from the line of the first comma-and-`ngày` on."""
    end = len(text) if end is None else end
    tail = _DATE_TAIL.search(text, start, end)
    m = None
    if tail is not None:
        m = _DATE.search(text, max(start, text.rfind("\n", 0, tail.start()) + 1), end)
    # Only the text before the comma'd date line may hold one without its comma, or
    # with its date in figures, and only the header's lines (ANNOTATION §1: `place` and
    # `issued_date` come only from the header): a body's time on its line (`Trước ngày 30
    # tháng 6 năm 2025`) has that form too.
    before = _header_lines_end(text, start, m.start() if m else end)
    loose = _UNCOMMA_DATE.search(text, start, before)
    figures = _FIGURES_DATE.search(text, start, loose.start() if loose else before)
    return figures or loose or m


# A line that closes a sentence or a list's entry (`Kính gửi: Sở X.`, `Căn cứ Luật …;`, `Đề
# nghị … thực hiện.`): a stop after a word in small letters ends the line.
_CLOSED_LINE = re.compile(r"(?<=[^\W\d_])[ \t]*[.;][ \t*_]*$", re.M)


def _header_lines_end(text: str, start: int, end: int) -> int:
    """The end of the first line from `start` on that closes a sentence: the header's lines
    (issuer, number, place and date, trích yếu) hold none, so they are over by then; `end`
    if no line does."""
    for m in _CLOSED_LINE.finditer(text, start, end):
        if text[m.start() - 1].islower():
            return m.end()
    return end


# A date alone on its line (`ngày 5 tháng 6 năm 2024`, the place on the line above).
_BARE_DATE_LINE = re.compile(r"^ng[àa]y\W{0,2}\S{0,3}\s+th[áa]ng\s*\S{0,3}\s+n[ăa]m\s*\S{0,5}\W*$")
_NAME_PART = r"[A-ZĐÀ-Ỹ][a-zà-ỹđ'.]*"
_PLACE_WORD = re.compile(rf"{_NAME_PART}|{_LOWER_PLACE}")


def _to_int(s: str) -> int | None:
    s = s.replace(" ", "")
    return int(s) if s.isdigit() else None


def _wrapped_place(text: str, ps: int) -> int:
    """Start of a place the right column wrapped over two lines (`Thành phố X
    Y` / `Z, ngày …`): the line above, when it holds only place words and
    is not a heading in capitals, is the place's beginning (ANNOTATION §2,
    `place` is read from the place and date line)."""
    line_start = text.rfind("\n", 0, ps) + 1
    if text[line_start:ps].strip() or line_start == 0:
        return ps
    prev_end = line_start - 1
    if text[prev_end - 1 : prev_end] == "\n":  # a blank line between: each line a paragraph
        prev_end -= 1
    prev_start = text.rfind("\n", 0, prev_end) + 1
    prev = text[prev_start:prev_end]
    words = prev.split()
    if not 1 <= len(words) <= 4 or is_upper_line(prev) or not words[0][:1].isupper():
        return ps
    if not all(_PLACE_WORD.fullmatch(w) for w in words):
        return ps
    return prev_start + len(prev) - len(prev.lstrip())


def _uncapitalised_start(text: str, ps: int) -> int:
    """On OCR'd text, a short lower-case word that opens the line right before
    the place is the place's first word with its capital misread (`là Nội`):
    it is kept, and the pipeline puts a place one letter from a known one
    right (ANNOTATION §1: a garbled value the text shows beyond doubt)."""
    line_start = text.rfind("\n", 0, ps) + 1
    before = text[line_start:ps]
    m = re.fullmatch(r"\s*([a-zà-ỹđ]{1,3})[ \t]*", before)
    return line_start + m.start(1) if m else ps


def _place_word(tok: str) -> bool:
    """A word of a place: capitalised (`Hà`, `Rang-Tháp`, `TP.`; the range `À-Ỹ` also
    holds small letters, so the capital is checked), a lower-case `xã` or `phố` inside
    it, or a hyphen joining two names."""
    if re.fullmatch(rf"[-–]|TP\.|Tp\.|{_LOWER_PLACE}", tok):
        return True
    return tok[:1].isupper() and bool(re.fullmatch(rf"{_NAME_PART}(?:-{_NAME_PART})?", tok))


def _kept_place(text: str, m: re.Match[str]) -> tuple[Span, bool] | None:
    """The place of a date line's match: the run of place words right before the
    comma (a number or code may be glued before the place: `…/ABC-TTKT X`), and
    whether the run is all the match took (the place may then have wrapped from the
    line above)."""
    if not m.group("place"):
        return None
    ps, pe = strip_span(text, m.start("place"), m.end("place"))
    words = list(re.finditer(r"\S+", text[ps:pe]))
    keep = len(words)
    if keep > 1 and re.fullmatch(r"\d{1,2}", words[-1].group(0)):
        keep -= 1  # `Quận 1`
    while keep > 0 and _place_word(words[keep - 1].group(0)):
        keep -= 1
    if keep < len(words) and re.fullmatch(_LOWER_PLACE, words[keep].group(0)):
        # `… công chức cấp xã X, ngày`: a lower-case place word after a word in small
        # letters ends the phrase before the place (the columns joined on one line).
        line_before = text[text.rfind("\n", 0, ps) + 1 : ps].split()
        before = words[keep - 1].group(0) if keep else (line_before or [""])[-1]
        if before[:1].islower():
            keep += 1
    while keep < len(words) and re.fullmatch(r"[-–]", words[keep].group(0)):
        keep += 1  # a hyphen before the place joins no name of it
    if keep >= len(words) or (keep == len(words) - 1 and words[-1].group(0).isdigit()):
        return None
    return (ps + words[keep].start(), ps + words[-1].end()), keep == 0


def parse_place_date(
    doc: TextDoc, start: int, end: int
) -> tuple[
    str | None, Span | None, str | None, Span | None, tuple[int | None, int | None, int | None]
]:
    text = doc.text
    m = _date_search(text, start, end)
    if not m:
        return None, None, None, None, (None, None, None)
    place = place_span = None
    kept = _kept_place(text, m)
    if kept is not None:
        (ps, pe), whole = kept
        if whole:
            ps = _wrapped_place(text, ps)
        if looks_ocr(doc.metadata, text):
            ps = _uncapitalised_start(text, ps)
        place, place_span = " ".join(text[ps:pe].split()), (ps, pe)
    d, mo, y = _to_int(m.group("d")), _to_int(m.group("m")), _to_int(m.group("y"))
    date = None
    if d and mo and y and 1 <= mo <= 12 and 1 <= d <= 31 and 1945 <= y <= 2100:
        date = f"{y:04d}-{mo:02d}-{d:02d}"
    ds = m.start("ngay")
    date_span = strip_span(text, ds, m.end())
    return place, place_span, date, date_span, (d, mo, y)


def _subject_after(
    doc: TextDoc, line_idx: int, col: int, upper_first: bool | None = None
) -> Span | None:
    """Lines of a trích yếu starting at `col` of line `line_idx`."""
    text = doc.text
    lines = doc.lines
    s0 = col
    e0 = lines[line_idx][1]
    first = text[s0:e0].strip()
    # A date glued at the end of the subject's line (`V/v … X, ngày …`). When the
    # line goes on after it in lower case, the trích yếu's wrapped line was joined
    # after the date (OCR reads the two columns line by line): it is read on, and
    # `_without_date_inside` takes the place and date out of it.
    dm = _date_search(text, s0, e0)
    if dm and not text[dm.end() : e0].lstrip()[:1].islower():
        kept = _kept_place(text, dm)
        e0 = kept[0][0] if kept else dm.start()  # a code before the place stays (`QĐ-ABC X`)
        first = text[s0:e0].strip()
    # `V/v … Kính gửi: …` flattened on one line: the addressees are no part of it,
    # nor the telegram's `CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH điện:` after `Về việc …`.
    km = _GLUED_RECIPIENTS.search(text, s0, e0)
    if km:
        e0 = km.start()
        first = text[s0:e0].strip()
    e0 = _before_telegram_authority(text, s0, e0)
    e0 = _before_urgency(text, s0, e0)
    # The motto's line that a merged two-column header ran onto the trích yếu's
    # (`V/v … Độc lập - Tự do - Hạnh phúc`): the right column, no part of it.
    if (mm := MOTTO_PARTS.search(text, s0, e0)) is not None and mm.start() > s0:
        e0 = mm.start()
    first = text[s0:e0].strip()
    if not first:
        return None
    upper = is_upper_line(first) if upper_first is None else upper_first
    end = e0
    printed = 0
    for i in range(line_idx + 1, min(line_idx + 10, len(lines))):
        s, e = lines[i]
        seg = text[s:e].strip()
        if not seg and not upper and _continues(doc, i, text[s0:end]):
            continue  # OCR's blank line inside a wrapped sentence
        if not seg and upper and _caps_go_on(doc, i, text[s0:end]):
            continue  # each printed line of a trích yếu in capitals its own paragraph
        if not upper and _speck(seg):
            continue  # a speck OCR read as a line between two lines of the trích yếu
        printed += 1
        if printed > 5:
            break
        if not seg or _RULE_LINE.fullmatch(seg):
            break
        if _is_date_line(seg) or _ADDRESS_LINE.match(seg) or re.match(r"S[ốo]\s*:", seg, re.I):
            break
        if _CAPTION_OPEN.match(seg):
            break  # `(Kèm theo Quyết định số …)`: the caption of a plan a decision issues
        if (km := _GLUED_RECIPIENTS.search(text, s, e)) is not None:
            end = km.start()  # `… của Bộ X Kính gửi: …`: the trích yếu's last line
            break
        if re.search(r"\bđiện\s*:\s*$", seg) or seg.endswith(":"):
            if upper and (cut := _caps_before_authority(text, s, e)) is not None:
                end = cut  # `… XUẤT KHẨU CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH điện:`: its last line, then who cables
            break
        if _PERIOD_END.match(seg) and _YEAR_END.search(text[s0:end]):
            end = e  # `… giai đoạn 2026` / `- 2030`: a period wrapped at its dash, no list item
            continue
        if upper:
            if _AUTHORITY_LINE.match(seg) or _SUBJECT_STOP.match(seg) or _section_heading(seg):
                break  # the authority line, or the body's first item (`I. MỤC ĐÍCH`)
            if not is_upper_line(seg):
                # `CỦA BAN THƯỜNG VỤ về công tác …`: a trích yếu in capitals
                # that goes on in lower case on its line is one trích yếu.
                words = seg.split()
                if len(words) > 2 and words[0].isupper() and words[1].isupper():
                    lower = next(k for k, w in enumerate(words) if not w.isupper())
                    if lower >= 2 and words[lower][:1].islower():
                        end = e
                    elif lower >= 2 and _sentence_case(words[lower:]):
                        # `ĐẤT TRÊN ĐỊA BÀN TỈNH Nước là …`: the body's first sentence
                        # run onto the trích yếu's last line; the capitals are its end.
                        end = s + [m.end() for m in re.finditer(r"\S+", text[s:e])][lower - 1]
                break
        elif (
            is_upper_line(seg)
            or len(seg) > 120
            or _SUBJECT_STOP.match(seg)
            or _LABEL_LINE.match(seg)
            or _section_heading(seg)
            or text[s0:end].rstrip().endswith((".", ";", ":"))
            or _opens_wrapped_place(doc, i)
            or _body_sentence(seg, text[s0:end])
        ):
            # A sentence-case trích yếu goes on over its wrapped lines (`… kéo
            # dài tuyến` / `đường sắt X …`) until the body or the next field,
            # the place that the date line's column wrapped (`Thành phố X Y`) too.
            break
        end = e
    return strip_span(text, s0, end, " \t\n.,;:-–")


# A period's second year opening a line (`- 2030`, `– 2030)`), after a line that ends in
# its first year: the trích yếu's period wrapped at its dash (ANNOTATION §2 `subject`: the
# lines after `V/v`, joined), not an item of the body.
_PERIOD_END = re.compile(r"[-–]\s*(?:19|20)\d\d\b\W*$")
_YEAR_END = re.compile(r"\b(?:19|20)\d\d\s*$")


def _without_date_inside(text: str, h: Header) -> str | None:
    """The trích yếu without the place and date line that OCR set inside it (`V/v …
    phòng, X, ngày … năm 2025 chống dịch …`, the two columns read line by line):
    the subject is the text after `V/v`, the date is its own field (ANNOTATION §2)."""
    s, e = h.spans["subject"]
    date = h.spans.get("issued_date")
    if date is None or not s < date[0] < date[1] < e:
        printed = text[s:e]
    else:
        cut = h.spans["place"][0] if "place" in h.spans else date[0]
        cut = cut if s < cut <= date[0] else date[0]
        printed = f"{text[s:cut]} {text[date[1] : e]}"
    # and without a speck line OCR set between two of its lines (`_speck`)
    lines = [line for line in printed.split("\n") if not _speck(line.strip())]
    return " ".join(" ".join(lines).split()) or None


def _speck(seg: str) -> bool:
    """A line OCR made of a speck of the scan: a mark or two, or one small letter
    (`'`, `ì`), no word of the letter."""
    return 0 < len(seg) <= 2 and (
        not any(c.isalnum() for c in seg) or (len(seg) == 1 and seg.islower())
    )


def _body_sentence(seg: str, so_far: str) -> bool:
    """A line that is the body's first paragraph, printed right under a trích
    yếu in sentence case with no blank line between (`V/v …` / `Ủy ban nhân
    dân tỉnh nhận được …`): it opens in capitals, ends a sentence and runs
    half as wide again as every line of the trích yếu above it, which a narrow
    header column wraps (ANNOTATION §2 `subject`: the text after `V/v`, not the body)."""
    widest = max(len(line.strip()) for line in so_far.split("\n"))
    return (
        seg[:1].isupper()
        and seg.rstrip().endswith((".", ":"))
        and len(seg.split()) >= 8
        and len(seg) > 1.5 * widest
    )


_TELEGRAM_AUTHORITY = re.compile(r"\sđiện\s*:\s*$")


def _caps_before_authority(text: str, s: int, e: int) -> int | None:
    """The end of a trích yếu in capitals whose last line a flattened telegram runs into
    the line that names who cables (`… THÚC ĐẨY XUẤT KHẨU CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH điện:`):
    before the first signing head or deciding body of the line (ANNOTATION §2 `subject`:
    the line(s) after the type name; `recipients`: the list after `<issuer> điện:`)."""
    m = _AUTHORITY_INSIDE.search(text, s, e)
    if m is None or not text[s : m.start()].strip() or not is_upper_line(text[s : m.start()]):
        return None
    return m.start()


def _before_telegram_authority(text: str, s0: int, e0: int) -> int:
    """The end of a trích yếu that a flattened telegram runs into its authority
    line (`Về việc … CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH điện:`): before the words in capitals
    that name who cables (ANNOTATION §2 `recipients`: the list after
    `<issuer> điện:`; `subject`: the line(s) after the type name)."""
    m = _TELEGRAM_AUTHORITY.search(text[s0:e0])
    if m is None:
        return e0
    words = list(re.finditer(r"\S+", text[s0 : s0 + m.start()]))
    k = len(words)
    while k > 1 and words[k - 1].group(0).isupper():
        k -= 1
    return s0 + words[k].start() if 0 < k < len(words) else e0


# The short rule printed under a title or trích yếu (`-----`, `***`, `———`), as OCR also
# reads it (`~~~~~`, `─────`, `……`): it ends the trích yếu (ANNOTATION §2 `subject`).
_RULE_LINE = re.compile(r"[-_=*~–—―─━═…·. ]+")
# The caption under an attached plan's title (`(Ban hành kèm theo Quyết định số …)`):
# it says which letter issues the plan, and is no part of the plan's trích yếu.
_CAPTION_OPEN = re.compile(r"\(\s*(?:ban\s+hành\s+)?kèm\s+theo\b", re.I)
_GLUED_RECIPIENTS = re.compile(r"\s(?<![Đđ]ồng\s)(?:" + lexicon.address_opening() + r")\s*:")
# The line that addresses the letter ends the trích yếu above it (ANNOTATION §2
# `subject`: the text after `V/v`, not the `Kính gửi:` entries): `Kính gửi:`, the
# southern `Kính gởi:`, `Kính gửi` with its colon left out, and a submission's
# `Kính trình:` (lexicon `address_openings`).
_ADDRESS_LINE = re.compile(
    r"(?:" + lexicon.address_opening() + r")\b|(?:" + lexicon.address_verb() + r")\s*:", re.I
)


def _opens_wrapped_place(doc: TextDoc, i: int) -> bool:
    """Line `i` is the first half of the place of a date line below it
    (`Thành phố X Y` / `Z, ngày …`)."""
    if i + 1 >= len(doc.lines):
        return False
    s, e = doc.lines[i + 1]
    return _is_date_line(doc.text[s:e]) and _wrapped_place(doc.text, s) == doc.lines[i][0]


# A part, chapter or section heading carries its number (`CHƯƠNG I`, `Phần thứ hai`, `MỤC 2`);
# the same words opening a title's next line are words of the title (`CHƯƠNG TRÌNH MỤC TIÊU …`,
# `MỤC TIÊU …`), which goes on there whether a blank line is printed between or not.
# (Lexicon `division_words`, column `heading`.)
_DIVISION_WORDS = "|".join(
    re.escape(w.upper()) for w in lexicon.selected("division_words", "heading")
)
_DIVISION = re.compile(rf"(?:{_DIVISION_WORDS})\s+(?:[IVXLC]+|\d+|THỨ)\b", re.I)


def _caps_go_on(doc: TextDoc, blank: int, so_far: str) -> bool:
    """Does a trích yếu in capitals go on after the blank line `blank`? The
    subject is the line(s) after the type name, joined (ANNOTATION §2
    `subject`): a crawl or a converter may print each line as a paragraph. It
    goes on in the next line in capitals, unless that line is a field, the
    decision's authority line, a heading of the body or a type name."""
    if blank + 1 >= len(doc.lines) or so_far.rstrip().endswith((".", ";", ":")):
        return False
    nxt = doc.line_text(blank + 1).strip()
    if _caps_then_more(doc, blank + 1):
        return True
    return bool(
        nxt
        and is_upper_line(nxt)
        and not nxt.endswith(":")
        and not _RULE_LINE.fullmatch(nxt)
        and not _is_date_line(nxt)
        and not _AUTHORITY_LINE.match(nxt)
        and not _SUBJECT_STOP.match(nxt)
        and not MOTTO_1.search(nxt)
        and not re.match(r"S[ốo]\s*:|PHỤ LỤC\b", nxt, re.I)
        and not _DIVISION.match(nxt)
        and not _ADDRESS_LINE.match(nxt)
        and fold(nxt.strip(" *")) not in TYPE_NAMES
    )


def _caps_then_more(doc: TextDoc, i: int) -> bool:
    """Does line `i` open with the last capitals of a trích yếu and go on with what a
    flattened line runs into it: who cables (`… XUẤT KHẨU CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH điện:`) or
    the body's first sentence (`… ĐỊA BÀN TỈNH Nước là …`)? `_subject_after` reads the
    capitals alone."""
    s, e = doc.lines[i]
    seg = doc.text[s:e].strip()
    if re.search(r"\bđiện\s*:\s*$", seg):
        return _caps_before_authority(doc.text, s, e) is not None
    words = seg.split()
    lower = next((k for k, w in enumerate(words) if not w.isupper()), len(words))
    return 2 <= lower < len(words) and _sentence_case(words[lower:])


def _continues(doc: TextDoc, blank: int, so_far: str) -> bool:
    """Does the sentence go on after the blank line `blank`? It does when the
    text so far ends without a stop and the next line opens in lower case: a
    line in lower case never opens a field or a paragraph."""
    if blank + 1 >= len(doc.lines) or so_far.rstrip().endswith((".", ";", ":")):
        return False
    nxt = doc.line_text(blank + 1).strip()
    return bool(nxt) and nxt[0].isalpha() and nxt[0].islower()


def _only_date(seg: str) -> bool:
    """Is `seg` the place and date line and nothing else?"""
    line = seg.strip()
    m = _date_search(line)
    if m is None or line[m.end() :].strip(" .*_"):
        return False
    kept = _kept_place(line, m)
    return (kept[0][0] if kept else m.start("ngay")) == 0


def _is_date_line(seg: str) -> bool:
    """The place and date line (`X, ngày …`, or the date alone on its line).

    A date inside a trích yếu (`… QUYẾT ĐỊNH SỐ` / `06/QĐ-ABC NGÀY 02 THÁNG 01
    NĂM 2025 CỦA …`) does not end it: the trích yếu is the line(s) after the type
    name, joined (ANNOTATION §2 `subject`), and only the place and date line,
    printed `<place>, ngày …` in lower case, closes it."""
    line = seg.strip()
    return bool(
        _date_search(line)
        or _BARE_DATE_LINE.match(line)
        or _LOOSE_DATE_LINE.match(line)
        or _CUT_DATE_LINE.match(line)
    )


# The place and date line as letters also print it, which `_DATE` does not read: a
# blank date typed with ellipses (`ngày…tháng…năm 2027`), a date in figures
# (`ngày 12/3/2027`), the comma OCR dropped (`X ngày …`) or its tone marks
# garbled (`ngảy 12 thảng 3 nãm 2027`): capitalised place words, `ngày`, then only
# figures, blanks and the words `tháng`/`năm` to the year that ends the line. It ends
# a trích yếu above it.
_LOOSE_DATE_LINE = re.compile(
    rf"(?<!\w)(?:{_PLACE_WORD.pattern})(?:[ \t](?:{_PLACE_WORD.pattern})){{0,5}},?[ \t]*ng[àaảáạã]y\b"
    r"(?:[ \t.…_/-]|\d|\bth[áaảàạã]ng\b|\bn[ăaãâ]m\b)*?\d{4}[ \t.]*$"
)

# The place and date line cut after its `ngày` (`<place>, ngày` / `14 tháng 10 năm 2025`: a
# converter or a narrow column put the day on the next line): capitalised place words, the
# comma, `ngày` and nothing after it on the line. It ends a trích yếu above it (ANNOTATION §2
# `subject`: the line(s) after `V/v`; §6 Form fields).
_CUT_DATE_LINE = re.compile(
    rf"(?:{_PLACE_WORD.pattern})(?:[ \t](?:{_PLACE_WORD.pattern})){{0,5}},[ \t]*ng[àaảáạã]y[ \t]*$"
)

# A line that opens the body (lexicon `body_openings`, column `subject`), a date,
# an item or an article ends a trích yếu in sentence case.
# Also the time that opens the body's first sentence (`Sáng 10/3/2027, …`, `Chiều ngày
# 10/3`, `Vào ngày 10 tháng 3`; lexicon `day_parts`), a part's or chapter's heading
# (`Phần I`, `CHƯƠNG 2`, `Phụ lục 1`) and a section lettered `A.`.
_DAY_PARTS = "|".join(
    re.escape(part[:1].upper() + part[1:])
    for part in sorted(lexicon.words("day_parts"), key=len, reverse=True)
)
_DIVISION_STOPS = "|".join(
    re.escape(w.capitalize()) for w in lexicon.selected("division_words", "subject_stop")
)
_SUBJECT_STOP = re.compile(
    r"^(?:(?:"
    + lexicon.alternation("body_openings", "subject", "y")
    + r")\b|(?:Ngày|Năm) \d|\d+[./)]\s|[-+•*]\s|[IVX]+[./]\s|Điều\s+\d"
    + rf"|(?:Vào|{_DAY_PARTS})(?:\s+(?:ngày|hôm|hồi))?\s+\d"
    + rf"|(?i:{_DIVISION_STOPS})\s+(?:[IVXLC]+|\d+)\b|[A-Z][./]\s)"
)
# A field's label opening a line (`Ký bởi: …`, `Email: …`, `Thời gian ký: …`, a
# digital signature's stamp that a converted PDF keeps): a field, not a wrap of the
# trích yếu above it.
_LABEL_LINE = re.compile(r"(?<!\w)[A-ZĐÀ-Ỹ][^\W\d_]*+(?:[ -][^\W\d_]++){0,2}[ \t]*:(?!\S)")
# Names of a plan's purpose, target and background sections (lexicon `section_names`,
# kind `not_task`): `Mục đích, yêu cầu` (`MỤC ĐÍCH, YÊU CẦU`) alone on its line is the
# heading the body opens with, not the trích yếu's last line.
_SECTION_NAMES = frozenset(
    fold(r["name"]) for r in lexicon.rows("section_names") if r["kind"] == "not_task"
)


def _section_heading(seg: str) -> bool:
    """A line that is only section names (`Mục đích, yêu cầu`, `Quan điểm và mục tiêu`)."""
    parts = re.split(r"\s*,\s*|\s+và\s+", fold(seg.strip(" .:")))
    return all(p in _SECTION_NAMES for p in parts)


# The authority line that opens a decision's body: a head's position (lexicon
# `signing_heads`) or a body deciding in its own name (`deciding_bodies`).
_AUTHORITY_LINE = re.compile(
    r"^(?:"
    + "|".join(
        sorted(
            {
                re.escape(w)
                for w in (*lexicon.words("signing_heads"), *lexicon.words("deciding_bodies"))
            },
            key=len,
            reverse=True,
        )
    )
    + r")\b"
)
# A signing head or a body deciding in its own name anywhere on a line (`… CHỦ TỊCH
# ỦY BAN NHÂN DÂN TỈNH điện:`), unlike `_AUTHORITY_LINE`, which opens one.
_AUTHORITY_INSIDE = re.compile(r"(?<!\S)(?:" + _AUTHORITY_LINE.pattern.removeprefix("^(?:"))
# `V/v`, also as OCR reads its slash (`Vív`, `VIv`, `V|v`).
# OCR may lose the slash of a `V/v` that opens its line, read it as a dot or space it
# (`Vv …`, `V.v …`, `V/ v …`).
_VV = re.compile(
    r"(?<!\w)(?:V/[Vv]|V[íìIl|1][Vv]|v/v|(?<![^\n|*])(?:V\.?v|V ?/ ?[Vv]))\b\.?\s*:?\s*"
)
_ABOUT_LINE = re.compile(r"[ \t]*Về việc\b\s*:?\s*")


def _in_a_sentence(before: str) -> bool:
    """A word in lower case before a `V/v` on a line of the body: the `V/v` is part of
    a sentence that cites another letter (`Thực hiện Công văn số 12/UBND-VX V/v …`), not
    the trích yếu (ANNOTATION §2 `subject`: the text after the letter's own `V/v`)."""
    return any(len(w) > 1 and w.isalpha() and w.islower() for w in before.split())


def extract_header(doc: TextDoc, frame: Frame) -> Header:
    text = doc.text
    h = Header()
    start, hend = frame.start, frame.header_end
    # Look a little past the header zone: in some layouts the type name and
    # trích yếu follow the place/date line after a blank line.
    zone_end = min(len(text), max(hend, start + 1500))

    # Number: the `Số:` value of the header (not a web page's `Số hiệu:`).
    for m in _NUMBER_AFTER_SO.finditer(text, start, zone_end):
        if m.group("mid") and not _after_capitals(text, m.start()):
            continue  # `… theo Thông báo Số 12-TB/TU`: a number cited in a sentence
        if _cited_in_sentence(text, m.start()):
            continue  # `… Kế hoạch số: 12/KH-UBND …`: a number the body cites
        seq, code = m.group("seq"), m.group("code")
        vs, ve = m.start("val"), m.end("val")
        if (place_at := _place_in_code(doc, m.start("code"), ve)) is not None:
            ve = place_at  # `…/UBND-KT - X, ngày …`: OCR ran the code into the date line
            code = text[m.start("code") : ve]
        vs, ve = strip_span(text, vs, ve, " ")
        if speck := _SPECK.match(text, vs):
            vs, seq = speck.end(), seq[len(speck.group(0)) :]
        # Party style prints the type before the slash: `152-TB/TU`.
        # `Số 45 - CV/TU`: the Party's number spaced around its dash.
        read = _ocr_digits(re.sub(r"\s+", "", seq).translate(_TO_ASCII)) if seq else seq
        if read and re.fullmatch(r"\d{1,6}[a-zA-Z]?|\d{1,6}-[A-ZĐ]{1,6}", read):
            printed = text[vs:ve]
            h.number = clean_number(read + printed[printed.index(seq) + len(seq) :])
            h.number_parts = number_parts(h.number)
        elif read and re.fullmatch(r"-[A-ZĐ]{1,6}", read):
            # Party style with the numeral's blank left (`Số      -TB/TU`): a form
            # field may print it beside the blank (ANNOTATION §6 Form fields).
            code = f"{read[1:]}/{clean_number(code)}"
            if (numeral := _field_numeral(doc, m.start())) is not None:
                h.number = f"{numeral}-{code}"
                h.number_parts = number_parts(h.number)
            else:
                h.number_parts = number_parts(f"0-{code}")
                h.number_parts.seq = None
        elif seq:
            h.warnings.append(f"number: the numeral '{seq}' is unreadable")
            h.number_parts = number_parts("0/" + clean_number(code))
            h.number_parts.seq = None
        elif (numeral := _field_numeral(doc, m.start())) is not None:
            h.number = clean_number(f"{numeral}/{code}")
            h.number_parts = number_parts(h.number)
        else:
            h.number_parts = number_parts("0/" + clean_number(code))
            h.number_parts.seq = None
        h.spans["number"] = (vs, ve)
        break

    # Place and date.
    place, pspan, date, dspan, parts = parse_place_date(doc, start, zone_end)
    h.place, h.issued_date = place, date
    if pspan:
        h.spans["place"] = pspan
    if dspan:
        h.spans["issued_date"] = dspan
        if date is None and any(parts):
            h.warnings.append("issued_date: the date line is incomplete or unreadable")

    # Type and trích yếu.
    lines = doc.lines
    first_line = next(i for i, (s, e) in enumerate(lines) if e >= start)
    last_line = next((i for i, (s, e) in enumerate(lines) if s >= zone_end), len(lines))
    flattened = bool(dspan and _type_after_date(doc, dspan[1], h))
    if flattened:
        last_line = first_line  # the type and trích yếu are read
    for i in range(first_line, last_line):
        s, e = lines[i]
        seg = text[s:e]
        vv = _VV.search(seg)
        if vv is not None and s >= hend and _in_a_sentence(seg[: vv.start()]):
            vv = None  # `… Công văn số 12/UBND-VX V/v …` in the body: a letter it cites
        if vv is None and s < hend:
            # `Về việc …` printed where `V/v` stands, in the header's left
            # column: the same trích yếu (ANNOTATION §2 `subject`).
            vv = _ABOUT_LINE.match(seg)
        if vv and h.subject is None:
            h.doc_type = "Công văn"
            h.spans["doc_type"] = (s + vv.start(), s + vv.start() + 3)
            sub_line, sub_col = i, s + vv.end()
            # `V/v` alone on its line: the trích yếu is the text after it, on the next
            # line (ANNOTATION §2 `subject`); so too when the date's column was joined
            # onto the line (`V/v X, ngày …`).
            if (not text[sub_col:e].strip() or _only_date(text[sub_col:e])) and (
                below := _next_printed_line(doc, i, 2)
            ) is not None:
                sub_line, sub_col = below
            sub = _subject_after(doc, sub_line, sub_col)
            if sub:
                h.subject = re.sub(r"\s+", " ", text[sub[0] : sub[1]])
                h.spans["subject"] = sub
            _printed_type_below(doc, h, i + 1, last_line)
            break
        stripped = _without_urgency(seg.strip())
        key = fold(stripped)
        subject_line: int | None = None
        if key not in TYPE_NAMES and h.doc_type is None:
            # OCR glues stamp residue before a centred title (`ĐẾN …  CHỈ THỊ`):
            # a type name in capitals ending the line, with a `Về …` subject
            # line right under it, is the title (ANNOTATION §2 `doc_type`).
            tail = _type_tail(doc, i)
            if tail is not None:
                (stripped, subject_line), key = tail, fold(tail[0])
            elif frame.motto is None or s > frame.motto:
                head = _type_head(stripped)
                if head is not None:
                    # `THÔNG BÁO KẾT LUẬN` / `CỦA …`: the type, then the trích
                    # yếu from the words after it (ANNOTATION §6 Party notices).
                    h.doc_type = TYPE_NAMES[fold(head)]
                    ts = s + seg.index(stripped)
                    h.spans["doc_type"] = (ts, ts + len(head))
                    rest = text[ts + len(head) : e].split()
                    # A trích yếu that goes on in lower case after the capitals (`KẾ HOẠCH
                    # tổ chức …`, a Party letter's, joined at load) is read as one in
                    # sentence case: its next line goes on, also when a title word opens it
                    # (`Chủ tịch …`).
                    lower = bool(rest) and rest[0][:1].islower()
                    sub = _subject_after(
                        doc, i, ts + len(head), not (_sentence_case(rest) or lower)
                    )
                    if sub:
                        h.subject = re.sub(r"\s+", " ", text[sub[0] : sub[1]])
                        h.spans["subject"] = sub
                    # The title, its trích yếu and the decision's authority line may
                    # all stand on this one line (a crawl that joined them).
                    flattened = True
                    break
        if key in TYPE_NAMES and stripped.isupper():
            h.doc_type = TYPE_NAMES[key]
            ts = s + seg.index(stripped)
            h.spans["doc_type"] = (ts, ts + len(stripped))
            nxt = subject_line or next(
                (
                    j
                    for j in range(i + 1, min(i + 4, len(lines)))
                    if text[lines[j][0] : lines[j][1]].strip()
                ),
                None,
            )
            if nxt is not None:
                ns, ne = lines[nxt]
                line = text[ns:ne]
                vv2 = _VV.match(line.lstrip())
                col = ns + len(line) - len(line.lstrip()) + (vv2.end() if vv2 else 0)
                sub = _subject_after(doc, nxt, col)
                if sub:
                    h.subject = re.sub(r"\s+", " ", text[sub[0] : sub[1]])
                    h.spans["subject"] = sub
            break
    if h.doc_type is None and h.number_parts and h.number_parts.type_code in TYPE_CODES:
        h.doc_type = TYPE_CODES[h.number_parts.type_code]
    elif h.doc_type is None and h.number_parts and h.number_parts.issuer_code:
        h.doc_type = "Công văn"
    h.issuer_lines = issuer_block(doc, frame)
    if flattened and "subject" in h.spans and h.issuer_lines:
        sub = _without_authority(doc, h.spans["subject"], h.issuer_lines)
        if sub != h.spans["subject"]:
            h.spans["subject"] = sub
            h.subject = re.sub(r"\s+", " ", text[sub[0] : sub[1]])
    if "subject" in h.spans:
        h.subject = _without_date_inside(text, h)
    if h.subject and h.subject.endswith("."):
        h.subject = h.subject.rstrip(".").rstrip()

    _apply_metadata_hints(doc, h, parts)
    return h


def issuer_unit_text(text: str, span: Span) -> str:
    """The words of one unit of the issuer block, on one line, without the motto
    that a merged two-column header glues into it (`ỦY BAN NHÂN DÂN CỘNG HÒA XÃ
    HỘI CHỦ NGHĨA VIỆT NAM` / `TỈNH X Độc lập - Tự do - Hạnh phúc` is
    `ỦY BAN NHÂN DÂN TỈNH X`): the issuer is the lowest line of the
    issuer block (ANNOTATION §2 `issuer`), and the motto is no part of it."""
    return " ".join(MOTTO_PARTS.sub(" ", text[span[0] : span[1]]).split())


# A head's position printed before the issuer's name in a decision's authority
# line (`BỘ TRƯỞNG BỘ X`, `CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …`).
_HEAD_TITLE = re.compile(
    "(?:" + "|".join(re.escape(w) for w in lexicon.words("signing_heads")) + r")\s+"
)
# Words after which a body's name belongs to the trích yếu (`… CỦA BỘ TRƯỞNG BỘ Y`).
# (lexicon `name_prepositions`)
_BEFORE_NAME = frozenset(fold(w) for w in lexicon.words("name_prepositions"))


def _authority_key(s: str) -> str:
    return " ".join(fold(re.sub(r"\bUBND\b", "ỦY BAN NHÂN DÂN", s)).split())


def _without_authority(doc: TextDoc, span: Span, units: list[Span]) -> Span:
    """The trích yếu of a header flattened onto one line, without the authority
    line the crawl ran into it.

    The subject is the line(s) after the type name (ANNOTATION §2 `subject`);
    the issuing body's own name that opens a decision's body (`QUYẾT ĐỊNH` /
    `Về việc …` / `ỦY BAN NHÂN DÂN TỈNH X`, or `BỘ TRƯỞNG BỘ X`) is its own
    line, not part of it. Where the lines survive, the line break ends the
    subject; on a flattened line only a tail in capitals that is exactly the
    issuer block's name is cut, and a body named inside the trích yếu (`… CỦA
    BỘ TRƯỞNG BỘ Y`) stays."""
    text = doc.text
    s, e = span
    names = {_authority_key(issuer_unit_text(text, u)) for u in units}
    names.add(_authority_key(" ".join(issuer_unit_text(text, u) for u in units)))
    names.discard("")
    words = list(re.finditer(r"\S+", text[s:e]))
    for n in range(1, len(words)):
        k = s + words[n].start()
        tail = text[k:e]
        if not is_upper_line(tail) or fold(words[n - 1].group(0)) in _BEFORE_NAME:
            continue
        head = _HEAD_TITLE.match(tail)
        bare = _authority_key(tail[head.end() :]) if head else ""
        if _authority_key(tail) in names or bare in names:
            return strip_span(text, s, k, " \t\n.,;:-–")
    return span


def _type_head(line: str) -> str | None:
    """A type name that opens a title line in capitals with more words after it
    (`THÔNG BÁO KẾT LUẬN`, `KẾ HOẠCH TỔ CHỨC …`): the longest such name.

    A Party letter's trích yếu under its type name starts in lower case (`CHỈ
    THỊ` / `của Ban Thường vụ …` / `về …`), and loading joins such wrapped
    lines: a type name in capitals then a word in lower case is also a title."""
    if line.rstrip().endswith(":") and not _TELEGRAM_AUTHORITY.search(line):
        return None
    words = line.split()
    if not line.isupper():
        joined = next((k for k, w in enumerate(words) if not w.isupper()), 0)
        about = words[joined] in {"Về", "V/v"} if joined < len(words) else False
        if not 0 < joined <= 4 or not (words[joined][:1].islower() or about):
            if not (0 < joined <= 4 and _sentence_case(words[joined:])):
                return None
            # `KẾ HOẠCH Triển khai …`: a crawl joined the title and its trích yếu
            # in sentence case on one line; the capitals are the type name alone.
            if fold(" ".join(words[:joined])) not in TYPE_NAMES:
                return None
        # `THÔNG BÁO KẾT LUẬN của …`: the capitals open with a type name.
        if not any(fold(" ".join(words[:n])) in TYPE_NAMES for n in range(1, joined + 1)):
            return None
    for n in range(min(4, len(words) - 1), 0, -1):
        printed = " ".join(words[:n])
        if fold(printed) in TYPE_NAMES and re.search(r"[^\W\d_]", " ".join(words[n:])):
            return line[: line.index(words[n - 1]) + len(words[n - 1])]
    return None


# The urgency (độ khẩn) a telegram's or a letter's title may carry after its type name
# (`CÔNG ĐIỆN KHẨN`, `CÔNG ĐIỆN HỎA TỐC`; lexicon `urgency_words`, the marks of a
# document's urgency): no part of the type name nor of the trích yếu on the next line.
_URGENCY_MARKS = tuple(
    " " + r["word"].upper()
    for r in lexicon.rows("urgency_words")
    if r["value"] in {"flash", "very_urgent", "urgent"}
)


def _before_urgency(text: str, s0: int, e0: int) -> int:
    """The end of a trích yếu that a flattened left column runs into the letter's
    urgency (`V/v … HỎA TỐC`, the độ khẩn printed under it): the mark is no part of
    the subject (ANNOTATION §2 `subject`: the text after `V/v`)."""
    line = text[s0:e0].rstrip(" \t*")
    for mark in _URGENCY_MARKS:
        rest = line[: -len(mark)]
        if line.endswith(mark) and rest.strip() and not is_upper_line(rest):
            return s0 + len(rest)  # a trích yếu in capitals may end in the word itself
    return e0


def _without_urgency(title: str) -> str:
    """`CÔNG ĐIỆN KHẨN`, `CÔNG ĐIỆN - KHẨN` → `CÔNG ĐIỆN` (ANNOTATION §2 `doc_type`: the
    printed type; `subject`: the line(s) after the type name, not its urgency mark). A
    title without a mark is returned as it is, up to a trailing dash."""
    for mark in _URGENCY_MARKS:
        head = title.removesuffix(mark).rstrip(" \t-–—")
        if fold(head) in TYPE_NAMES:
            return head
    return title


def _printed_type_below(doc: TextDoc, h: Header, first: int, last: int) -> None:
    """A type name printed as the title under a `V/v` line (`Số: 12/QĐ-UBND` / `V/v …` /
    `QUYẾT ĐỊNH` / `Về việc …`) is the document's type, when the number's code names
    the same type (ANNOTATION §2 `doc_type`: `Công văn` only when no type name is
    printed)."""
    code = h.number_parts.type_code if h.number_parts else None
    if code not in TYPE_CODES:
        return
    for j in range(first, last):
        title = _without_urgency(doc.line_text(j).strip())
        if title.isupper() and TYPE_NAMES.get(fold(title)) == TYPE_CODES[code]:
            h.doc_type = TYPE_CODES[code]
            ts = doc.lines[j][0] + doc.line_text(j).index(title)
            h.spans["doc_type"] = (ts, ts + len(title))
            return


def _sentence_case(words: list[str]) -> bool:
    """Words that open in sentence case: a capital, then a word in lower case."""
    return (
        len(words) >= 2
        and words[0][:1].isupper()
        and not words[0].isupper()
        and words[1][:1].islower()
    )


def _type_tail(doc: TextDoc, i: int) -> tuple[str, int] | None:
    """A type name in capitals that ends line `i` after other text, when one of
    the next two printed lines opens the trích yếu with `Về`/`V/v`."""
    seg = doc.line_text(i).rstrip()
    words = seg.split()
    for n in range(min(3, len(words) - 1), 0, -1):
        printed = " ".join(words[-n:])
        if fold(printed) not in TYPE_NAMES or not printed.isupper():
            continue
        after = [j for j in range(i + 1, min(i + 5, len(doc.lines))) if doc.line_text(j).strip()]
        for j in after[:2]:
            if re.match(r"(?:Về|V/v)\s", doc.line_text(j).strip()):
                return printed, j
        return None
    return None


def _next_printed_line(doc: TextDoc, i: int, within: int) -> tuple[int, int] | None:
    """The first line after line `i`, up to `within` lines on, that holds text, and where its
    text begins: where a trích yếu goes on after the line that names it."""
    for j in range(i + 1, min(i + 1 + within, len(doc.lines))):
        line = doc.line_text(j)
        if line.strip():
            return j, doc.lines[j][0] + len(line) - len(line.lstrip())
    return None


def _type_after_date(doc: TextDoc, date_end: int, h: Header) -> bool:
    """A type name printed right after the date on its line, as a crawl that
    flattens the header leaves it (`Số: 12/QĐ-UBND X, ngày 30 tháng 12
    năm 2021 QUYẾT ĐỊNH VỀ VIỆC …`): the printed type is `doc_type` and the
    line(s) after it are the trích yếu (ANNOTATION §2 `doc_type`, `subject`)."""
    text = doc.text
    line_end = text.find("\n", date_end)
    line_end = len(text) if line_end < 0 else line_end
    words = list(re.finditer(r"\S+", text[date_end:line_end]))
    if words and re.fullmatch(r"[.,;]", words[0].group(0)):
        words = words[1:]
    for n in range(min(4, len(words)), 0, -1):
        ts, te = date_end + words[0].start(), date_end + words[n - 1].end()
        printed = text[ts:te]
        key = fold(" ".join(printed.split()))
        if key not in TYPE_NAMES or not printed.isupper():
            continue
        line_idx = next((i for i, (s, e) in enumerate(doc.lines) if s <= ts <= e), None)
        if line_idx is None:
            return False
        sub = _subject_after(doc, line_idx, te, upper_first=True)
        # `… ngày 17 tháng 11 năm 2025 KẾ HOẠCH` / `TRIỂN KHAI …`: the type ends the
        # date's line, the trích yếu opens the next printed one.
        if (
            sub is None
            and not text[te : doc.lines[line_idx][1]].strip()
            and (below := _next_printed_line(doc, line_idx, 3)) is not None
        ):
            sub = _subject_after(doc, *below)
        if sub is None:
            return False
        h.doc_type = TYPE_NAMES[key]
        h.spans["doc_type"] = (ts, te)
        h.subject = re.sub(r"\s+", " ", text[sub[0] : sub[1]])
        h.spans["subject"] = sub
        return True
    return False


def _apply_metadata_hints(
    doc: TextDoc, h: Header, parts: tuple[int | None, int | None, int | None]
) -> None:
    if h.number is None and h.number_parts is not None and "number" in h.spans:
        printed_code = clean_number(doc.text[slice(*h.spans["number"])]).split("/", 1)[-1]
        seq = file_name_seq(doc.metadata.get("file_name", ""), printed_code)
        if seq:
            h.number = f"{seq}/{printed_code}"
            h.number_parts = number_parts(h.number)
            h.warnings.append(f"number: no numeral readable on the page; the file name gives {seq}")
    title = doc.metadata.get("title", "")
    for hint in title_hints(title):
        if h.issued_date is None and agrees(hint.date, parts):
            h.issued_date = hint.date
            h.warnings.append(
                f"issued_date: unreadable on the page, taken from the file title ({hint.date})"
            )
        if h.issued_date != hint.date:
            continue
        if h.number_parts is not None and h.number_parts.seq != hint.seq:
            code = h.number.split("/", 1)[1] if h.number else None
            if code is None and "number" in h.spans:
                code = clean_number(doc.text[slice(*h.spans["number"])]).split("/", 1)[-1]
            if code:
                old = h.number
                h.number = f"{hint.seq}/{code}"
                h.number_parts = number_parts(h.number)
                h.warnings.append(
                    f"number: page shows '{old or 'an unreadable numeral'}', the file title gives {hint.seq}"
                )
        break


@cache
def _new_unit() -> re.Pattern[str]:
    """A line of the issuer block that opens a new body (lexicon `body_heads`, column
    `unit`), matched without accents and in capitals, as OCR prints it."""
    heads = sorted({fold(h).upper() for h in lexicon.selected("body_heads", "unit")})
    return re.compile(r"^(?:" + "|".join(re.escape(h) for h in heads) + r")\b")


def opens_unit(line: str) -> bool:
    """Does `line` open with the head word of a body (`SỞ`, `TRUNG TÂM`; lexicon
    `body_heads`, column `unit`), read without accents and in capitals?"""
    return bool(_new_unit().match(fold(line).upper()))


def _opens_unit(doc: TextDoc, line: str) -> bool:
    """Does this line of the issuer block open a new body? Read without accents,
    and on OCR'd text also with each word as the letter itself spells it most
    often (`ocr_fix.repair`): a head word OCR garbled is still that word."""
    if opens_unit(line):
        return True
    return looks_ocr(doc.metadata, doc.text) and bool(
        _new_unit().match(fold(repair(doc.text, line)).upper())
    )


# A line of the issuer block that ends in a conjunction or a comma breaks a
# name (`CỤC QUẢN LÝ ĐÊ ĐIỀU VÀ` / `PHÒNG, CHỐNG THIÊN TAI`): the next line goes
# on with it, even when it opens with a body's head word (`PHÒNG`).
_JOINER_END = re.compile(r"(?:\s(?:VÀ|và)|[,&])$")


def _ends_issuer_block(line: str) -> bool:
    """The document's title (`CÔNG ĐIỆN`) lies below the issuer block: a
    letter whose header was stripped down to its title has no issuer block,
    and the authority line under the title (`CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH
    điện:`) is none (ANNOTATION §6 Stripped header: the issuer is then the
    body the signature block speaks for)."""
    return fold(line.strip(" *")) in TYPE_NAMES


def _broken_name(text: str, unit: Span, next_start: int) -> bool:
    """Does `unit` end in a conjunction or a comma on the line right above `next_start`?"""
    return bool(_JOINER_END.search(text[unit[0] : unit[1]])) and (
        text.count("\n", unit[1], next_start) == 1
    )


def _motto_run_end(seg: str, end: int) -> int:
    """The end of the motto's parts that follow each other from `end` on (`CỘNG HÒA XÃ
    HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc`, the right column that a
    two-column header flattened before the issuer's lines): none of it is the issuer
    (ANNOTATION §2 `issuer`: the lowest line of the issuer block)."""
    while True:
        at = len(seg) - len(seg[end:].lstrip(" -–—"))  # past the rule between the parts
        nxt = MOTTO_PARTS.match(seg, at)
        if nxt is None or nxt.end() <= end:
            return end
        end = nxt.end()


def _issuer_end_between_motto(seg: str, mm: re.Match[str]) -> int:
    """Where the issuer's text ends on a line that holds the motto after it: at the
    motto, or, when a converter joined the header table's rows on one line (`ỦY BAN
    NHÂN DÂN CỘNG HÒA … VIỆT NAM TỈNH X Độc lập - Tự do - Hạnh phúc`), at the motto's
    second line, the issuer's second line standing between the two (ANNOTATION §2
    `issuer`; `issuer_unit_text` takes the motto out)."""
    after = _motto_run_end(seg, mm.end())
    nxt = MOTTO_PARTS.search(seg, after)
    if nxt is None or not seg[after : nxt.start()].strip():
        return mm.start()
    return nxt.start() if is_upper_line(seg[after : nxt.start()]) else mm.start()


def issuer_block(doc: TextDoc, frame: Frame) -> list[Span]:
    """Units of the issuer block, top to bottom, each a span (lines joined).

    `UBND TỈNH X / SỞ Y` gives two units; `ỦY BAN NHÂN DÂN / TỈNH
    X` one (a line that does not open a new body continues the last).
    """
    text = doc.text
    stop = frame.motto if frame.motto is not None else frame.header_end
    pieces: list[Span] = []
    for s, e in doc.lines:
        if e <= frame.start:
            continue
        if s >= frame.header_end:
            break
        seg = text[s:e]
        if not seg.strip():
            # A blank line between the block's lines is layout (each line a paragraph): the
            # issuer is still the block's lowest line (ANNOTATION §2 `issuer`).
            continue
        # Cut the motto and what follows it on the line (two columns merged).
        mm = MOTTO_PARTS.search(seg)
        cut_start, cut_end = s, e
        if mm:
            if mm.start() == 0 or not seg[: mm.start()].strip():
                if s >= stop:
                    # Right column only; an issuer part may follow the motto, both its
                    # lines when a converter read the right column first onto one line.
                    after = _motto_run_end(seg, mm.end())
                    rest = seg[after:]
                    if not rest.strip() or not is_upper_line(rest):
                        continue
                    cut_start = s + after
                else:
                    continue
            else:
                cut_end = s + _issuer_end_between_motto(seg, mm)
        elif MOTTO_1.search(seg) or MOTTO_2.search(seg):
            continue  # a motto line OCR garbled beyond `MOTTO_PARTS`
        elif s >= stop:
            nm = re.search(r"S[ốo]\s*:|Số\b|V/v|ng[àa]y", seg)
            if nm:
                break
            if not is_upper_line(seg):
                break
        elif (glued := issuer_before_number(seg)) is not None:
            cut_end = s + glued  # `ỦY BAN NHÂN DÂN TỈNH X --- Số: …` flattened on one line
        piece = strip_span(text, cut_start, cut_end, " \t-–—_=*.|")
        seg2 = text[piece[0] : piece[1]]
        if not seg2 or not is_upper_line(seg2, 0.6):
            continue
        if re.match(r"^(?:S[ốo]\b|V/V)", seg2) or _ends_issuer_block(seg2):
            break
        pieces.append(piece)
    units: list[Span] = []
    for ps, pe in pieces:
        seg = text[ps:pe]
        if units and (not _opens_unit(doc, seg) or _broken_name(text, units[-1], ps)):
            units[-1] = (units[-1][0], pe)
        else:
            units.append((ps, pe))
    return units
