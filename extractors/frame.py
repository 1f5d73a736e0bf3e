"""The frame of a letter: where its header, body and footer lie in the text.

A Vietnamese official letter (Nghị định 30/2020/NĐ-CP layout) opens with the
issuer block beside the national motto (`CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM /
Độc lập - Tự do - Hạnh phúc`), then `Số: …`, `V/v …` or a type name and its
trích yếu, the place and date line, `Kính gửi:`; it closes with the `Nơi
nhận:` list beside the signature block. Text around the letter (a web page's
navigation, a crawler's title line) lies outside the frame and yields nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from vanban.extractors import lexicon
from vanban.extractors.text_utils import fold, is_upper_line
from vanban.schemas import TextDoc

# The motto survives OCR only loosely (`CONG HOAYXA HOI`, `Doc lap - Ty do`).
# A Party committee's letter prints `ĐẢNG CỘNG SẢN VIỆT NAM` where the state's
# letters print the national motto; it stands in the same place of the header.
_PARTY_MOTTO = r"[ĐD][ẢA]NG\s+C[ỘÔO]NG\s+S[ẢA]N\s+VI[ỆÊE]T\s+NAM"  # OCR drops tone marks
MOTTO_1 = re.compile(
    r"C[OÔỘ]NG\W{0,3}H[OÒ]A\W{0,3}\w{0,2}X[AÃ]\s*H[OỘ]I|CỘNG\s*$|" + _PARTY_MOTTO, re.I
)
MOTTO_2 = re.compile(r"[ĐD][ộôo]c\s*l[ậâa]p\s*[-–—]\s*T[ựưuy]\s*do\s*[-–—]\s*H[ạa]nh\s*ph", re.I)
MOTTO_PARTS = re.compile(
    r"C[OÔỘ]NG\W{0,3}H[OÒ]A\W{0,3}\S{0,4}\s*X[AÃ]\s*H[OỘ]I(?:\s+\S+)?\s+CH[UỦ]\s+NGH[IĨ]A\s+VI[EỆ]T\s+NAM"
    r"|[ĐD][ộôo]c\s*l[ậâa]p\s*[-–—]\s*T[ựưuy]\s*do\s*[-–—]\s*H[ạa]nh\s*ph\S*"
    r"|\bCỘNG\b\s*$|^\s*H[OÒ]A XÃ HỘI CHỦ NGHĨA VIỆT NAM|^\s*CHỦ NGHĨA VIỆT NAM|CỘNG HÒA XÃ HỘI\s*$|"
    + _PARTY_MOTTO,
    re.I,
)
# `Số: 150/KH-UBND`, `Số.   /QĐ-UBND`: a capital `Số` (a lower-case one only opening the line),
# never a sentence of the body that ends in the word (`… về chuyển đổi số.`, `Về kinh tế số:`);
# OCR's `S6:`; a Party committee's letter prints no colon (`Số 25-CT/TU`).
NUMBER_LINE = re.compile(
    r"(?:^\s*[Ss]|\s(?-i:S))[ốoôổ6óồộỗ]\s*(?:hiệu)?\s*(?::|\.\s*[\d/])"
    r"|(?-i:^\s*Số\s+\d+\s*-\s*[A-ZĐ]+/[A-ZĐ])",
    re.I,
)


def issuer_before_number(line: str) -> int | None:
    """Where `Số:` starts on a line that prints the issuer block's words in
    capitals before it (a flattened left column); None otherwise."""
    m = NUMBER_LINE.search(line)
    if m is None or m.start() == 0:
        return None
    head = line[: m.start()].strip(" -–—_=*.|")
    return m.start() if head and is_upper_line(head) else None


DATE_LINE = re.compile(r",?\s*ng[àa]y\W{0,2}\S{0,3}\s+th[áa]ng", re.I)
# The place and date line opens with the place (`X, ngày`), the day and
# month perhaps left to the next line (a form field in a PDF).
_PLACE_DATE = re.compile(r"^[^\W\d][^\d,:;.]{1,40},\s*ng[àa]y\b", re.I)
# A body sentence that cites a dated text (`Quyết định số 12/QĐ-X ngày 08
# tháng 9 năm 2025 của …`) is no date line: the header's date line is short.
_DATE_LINE_MAX = 80
# `Kính gửi:`, or its verb alone (`Gửi:`), as OCR also drops their accents (lexicon
# `address_openings`, column `recipients`); not `Đồng kính gửi:`.
RECIPIENTS = re.compile(
    r"(?<![Đđ]ồng )(?:"
    + lexicon.address_opening("recipients")
    + "|"
    + lexicon.address_verb("recipients")
    + r")\s*:",
    re.I,
)
CC_LINE = re.compile(r"^\s*[-*]?\s*N[ơo]i\s*nh[ậa]n\s*:?|^\s*Nơi\s*$", re.I | re.M)
# The closing formula: `… biết, thực hiện./.`, `Trân trọng./.`, `… được rõ./.`.
CLOSING = re.compile(r"\./\.|Trân trọng(?: cảm ơn)?\s*[./]", re.I)


@dataclass(frozen=True)
class Frame:
    start: int  # first character of the letter (issuer block)
    motto: int | None  # offset of the motto, if printed
    header_end: int  # end of the header zone (before the body)
    body_start: int
    body_end: int  # start of Nơi nhận / signature
    end: int  # end of the letter (after the signature block)


def _line_index(doc: TextDoc, offset: int) -> int:
    for i, (s, e) in enumerate(doc.lines):
        if s <= offset <= e:
            return i
    return len(doc.lines) - 1


# Labels of the stamp a receiving office prints on a letter (lexicon `receipt_stamps`), folded.
_RECEIPT_STAMPS = frozenset(fold(w) for w in lexicon.words("receipt_stamps"))


def receipt_stamp(line: str) -> bool:
    """`CÔNG VĂN ĐẾN`: the label of the receiving office's stamp, which a scan shows among the
    header's lines; it is no line of the issuer block (ANNOTATION §2 `issuer`: the lowest line
    of the header's issuer block; the stamp is the recipient's, not the letter's)."""
    return fold(line.strip(" \t-–—_=*.|:")) in _RECEIPT_STAMPS


def _stripped_start(doc: TextDoc) -> int:
    """A page with neither motto nor `Số:` line: a crawl that stripped the header, the letter
    starting at its title (`QUYẾT ĐỊNH` alone in capitals); what stands above it is the site's
    (its menu, the page's own title restating type, number and trích yếu), which gives no field
    (ANNOTATION §1: only the letter's own lines; §3: a site's text is ignored). The first line
    when no title is printed within the page's first lines."""
    for i, (s, e) in enumerate(doc.lines[:80]):
        if _is_type_title(doc.text[s:e]):
            return i
    return 0


def find_frame(doc: TextDoc) -> Frame:
    text = doc.text
    lines = doc.lines
    motto_line = None
    for i, (s, e) in enumerate(lines):
        seg = text[s:e]
        if MOTTO_1.search(seg) or MOTTO_2.search(seg):
            # Prefer a motto that a number or date line follows closely: a web
            # page may quote the motto in its summary too.
            window = text[s : lines[min(i + 12, len(lines) - 1)][1]]
            if NUMBER_LINE.search(window) or DATE_LINE.search(window):
                motto_line = i
                break
    if motto_line is None:
        # No motto: the letter starts at the first `Số:` line, else at the top.
        num = next(
            (i for i, (s, e) in enumerate(lines) if NUMBER_LINE.match(text[s:e].lstrip())), None
        )
        start_line = max(0, num - 3) if num is not None else _stripped_start(doc)
        motto = None
    else:
        start_line = motto_line
        # The issuer block sits above the motto (or on its line); when the
        # left column comes whole first, `Số:` and `V/v` lines stand between.
        k = motto_line - 1
        taken = 0
        while k >= max(0, motto_line - 12) and taken < 5:
            seg = text[lines[k][0] : lines[k][1]].strip()
            k -= 1
            if not seg or re.fullmatch(r"[-_=*–—. ]+", seg):
                if taken:
                    break
                continue
            letters = [c for c in seg if c.isalpha()]
            upper = bool(letters) and sum(c.isupper() for c in letters) / len(letters) >= 0.7
            is_field = bool(
                NUMBER_LINE.search(seg)
                or re.match(r"V/V\b", seg, re.I)
                or DATE_LINE.search(seg)
                or receipt_stamp(seg)
            )
            if upper and not is_field:
                start_line = k + 1
                taken += 1
                continue
            if not taken and issuer_before_number(seg):
                # A crawl's cell that holds the whole left column on one line
                # (`ỦY BAN NHÂN DÂN TỈNH X --- Số: 12/UBND-VX V/v …`): the letter starts there.
                start_line = k + 1
                taken += 1
                continue
            if taken:
                break
            if not (
                NUMBER_LINE.search(seg)
                or DATE_LINE.search(seg)
                or re.match(r"V/v\b", seg, re.I)
                or len(seg) < 120
            ):
                break
        motto = lines[motto_line][0]
    start = lines[start_line][0]

    # Header ends where the body's first real paragraph starts: after the
    # recipients list if any, else after the subject/date.
    header_end = _header_end(doc, start_line)
    body_start = header_end
    cc = None
    for m in CC_LINE.finditer(text, body_start):
        cc = m.start()
    closing = None
    for m in CLOSING.finditer(text, body_start, cc if cc is not None else len(text)):
        closing = m.end()
    body_end = cc if cc is not None else closing
    if cc is not None:
        body_end = _signature_above(doc, cc, body_start)
    if body_end is None:
        body_end = _signature_start(doc, body_start)
    end = _letter_end(doc, body_end)
    return Frame(start, motto, header_end, body_start, body_end, end)


# A paragraph that opens the body (lexicon `body_openings`, column `paragraph`),
# a date or a numbered item.
_BODY_START = re.compile(
    r"^(?:(?:"
    + lexicon.alternation("body_openings", "paragraph", "y")
    + r")\b|(?:Ngày|Năm) \d|\d+[./)]\s)",
)


def _header_end(doc: TextDoc, start_line: int) -> int:
    text = doc.text
    lines = doc.lines
    last_header = start_line
    in_recipients = False
    in_title = False
    for i in range(start_line, min(len(lines), start_line + 40)):
        s, e = lines[i]
        seg = text[s:e].strip()
        if not seg:
            continue
        if RECIPIENTS.search(seg) or re.search(r"\bđiện\s*:\s*$", seg):
            in_recipients = True
            last_header = i
            continue
        if in_recipients:
            if re.match(r"^[-+•–—]", seg) or len(seg) < 3:  # `—`: a bullet as OCR reads it
                last_header = i
                continue
            return s
        if not in_title and i - last_header <= 3 and _is_type_title(seg):
            # `THÔNG BÁO` / `Kết luận của …`: the type name and the subject under it.
            last_header = _subject_end(doc, i)
            in_title = True
            continue
        if in_title and i <= last_header:
            continue
        if len(seg) > 100 and _BODY_START.match(seg) and not NUMBER_LINE.search(seg):
            break  # `Ngày 12 tháng 8 năm 2025, … đã làm việc …` opens the body
        if (
            NUMBER_LINE.search(seg)
            or _is_date_line(seg)
            or MOTTO_1.search(seg)
            or MOTTO_2.search(seg)
            or re.match(r"^V/v\b", seg, re.I)
            or re.fullmatch(r"[-_=*–—. ]+", seg)
        ):
            last_header = i
            continue
        if i - last_header > 6 or (len(seg) > 160 and _BODY_START.match(seg)):
            break
    return (
        lines[min(last_header + 1, len(lines) - 1)][0]
        if last_header + 1 < len(lines)
        else len(text)
    )


def _is_date_line(seg: str) -> bool:
    """The header's place and date line (ANNOTATION §2 `place`, `issued_date`:
    `X, ngày 14 tháng 9 năm 2025`), not a sentence that cites a date."""
    return bool(
        _PLACE_DATE.match(seg)
        or (
            len(seg) <= _DATE_LINE_MAX
            and DATE_LINE.search(seg)
            and not _ITEM_OPEN.match(seg)
            and not _BODY_START.match(seg)
        )
    )


@cache
def _type_titles() -> frozenset[str]:
    return frozenset(r["name"].upper() for r in lexicon.rows("doc_types"))


def _is_type_title(line: str) -> bool:
    """A document's type name printed alone in capitals (`THÔNG BÁO`, `CHỈ THỊ`)."""
    return " ".join(line.strip(" *").split()) in _type_titles()


_ITEM_OPEN = re.compile(r"^(?:[IVX]{1,5}|\d{1,2}|[a-zđ])[.)/]\s")


def _subject_end(doc: TextDoc, i: int) -> int:
    """The last line of the subject under a type title: its lines up to a blank
    line, an item, a body opening or `Kính gửi` (at most 3 lines)."""
    last = i
    for k in range(i + 1, min(len(doc.lines), i + 5)):
        line = doc.line_text(k).strip()
        if not line:
            if last > i:
                break
            continue
        if (
            _ITEM_OPEN.match(line)
            or _BODY_START.match(line)
            or RECIPIENTS.search(line)
            or k - i > 3
            or (last > i and doc.line_text(last).rstrip().endswith((".", ":")))
        ):
            break
        last = k
    return last


# A signature block's first line: its authority mark (`KT.`, `T/M`) or, alone on
# its line in capitals, a position that signs (lexicon `official_titles`, column
# `signs`, as the signer reads it: `BÍ THƯ`, `GIÁM ĐỐC`, `PHÓ CHỦ TỊCH`).
_SIGNATURE_LINE = re.compile(
    r"^\s*(?:"
    + lexicon.authority_mark()
    + r"|(?:PHÓ\s+)?(?:"
    + "|".join(
        re.escape(t.upper()).replace(r"\ ", r"\s+")
        for t in sorted(lexicon.selected("official_titles", "signs"), key=len, reverse=True)
    )
    + r")\s*$)"
)


def _signature_start(doc: TextDoc, body_start: int) -> int:
    """Where the body ends in a letter with neither `Nơi nhận` nor a closing
    formula: at its signature block among the last lines (ANNOTATION §3: tasks
    lie before the closing; the signature is not the last item's text)."""
    text = doc.text
    found = len(text)
    printed = 0
    for s, e in reversed(doc.lines):
        if s < body_start or printed >= 6:
            break
        seg = text[s:e]
        if not seg.strip():
            continue
        printed += 1
        if _SIGNATURE_LINE.match(seg):
            found = s
    return found


def _signature_above(doc: TextDoc, cc: int, body_start: int) -> int:
    """Where the body ends when the signature block is printed right above the
    `Nơi nhận` list (a crawl's table row read cell by cell, the block's cell
    first: `TM. ỦY BAN NHÂN DÂN … PHÓ CHỦ TỊCH Tên` / `Nơi nhận: …`): at
    the block's first line, so that the block is read as the signature and
    not as the last item's text (ANNOTATION §2 signer, §3)."""
    i = doc.text.count("\n", 0, cc)
    found = cc
    for j in range(i - 1, max(-1, i - 5), -1):
        s, e = doc.lines[j]
        if s < body_start:
            break
        seg = doc.text[s:e]
        if not seg.strip():
            continue
        if _SIGNATURE_LINE.match(seg):
            found = s
        elif not (is_upper_line(seg) or (found == cc and _NAME_LINE.match(seg))):
            break
    return found


# A line holding only a person's name, in capitalised words (`Nguyễn Văn A`).
_NAME_LINE = re.compile(r"^\s*[A-ZĐÀ-Ỹ][a-zà-ỹđ]+(?:[ \t]+[A-ZĐÀ-Ỹ][a-zà-ỹđ]+){1,4}\s*$")


@cache
def _site_title() -> re.Pattern[str]:
    """A site's title line for the letter after its signature (`Công điện
    96/CĐ-X năm 2025 …`): a type name (lexicon `doc_types`) and a number. It is
    no part of the letter (ANNOTATION §3: notes added by a site are ignored)."""
    return re.compile(r"^(?:" + lexicon.alternation("doc_types") + r")\s+\d+/")


# A mark where the signature stood (`[daky]`, `(Đã ký)`; lexicon `signed_marks`),
# unlike a site's footnote (`[1] …`), is part of the signature block.
_SIGNED = re.compile(lexicon.signed_mark(), re.I)


def _letter_end(doc: TextDoc, body_end: int) -> int:
    """End of the signature block: the signer's name closes the letter."""
    text = doc.text
    li = _line_index(doc, body_end)
    end = doc.lines[li][1]
    # Thirty printed lines: an OCR'd or crawled copy list may put a blank line
    # between every entry, and the signer's name comes after the whole list.
    printed = 0
    for i in range(li, len(doc.lines)):
        s, e = doc.lines[i]
        seg = text[s:e].strip()
        if not seg:
            continue
        printed += 1
        if printed > 30:
            break
        if _SIGNED.match(seg):
            end = e  # `[daky]` where the signature stood: the block goes on
            continue
        if re.match(r"^_{3,}|^\[\w+\]|^Văn bản này", seg) or _site_title().match(seg):
            break
        end = e
    return end
