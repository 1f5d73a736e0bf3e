"""The signer: name, title (the position line right above the name) and
authority (the KT./TL./TM./Q. line: ký thay, thừa lệnh, thay mặt, quyền).

ANNOTATION.md §2: `PHÓ CHỦ NHIỆM` → `Phó Chủ nhiệm`; null when the text has
no signature block. Converters often flatten the block onto one line
(`KT. BỘ TRƯỞNG THỨ TRƯỞNG Lê Tấn Dũng`) and OCR merges it with the `Nơi
nhận` column, so the block is read by its words, not by its lines.
"""

from __future__ import annotations

import re

from vanban.extractors import lexicon
from vanban.extractors.agency_text import normal_case
from vanban.extractors.frame import Frame
from vanban.extractors.ocr_fix import looks_ocr
from vanban.extractors.text_utils import fold, sentence_case, title_case_position
from vanban.schemas import Signer, TextDoc

# The authority line's marks (lexicon `authority_marks`: `KT.`, `TL.`, `TM.` …).
_AUTH = re.compile(
    r"\b" + lexicon.authority_mark() + r"\s*",
    re.I,
)
# Positions (lexicon `official_titles`, column `signs`), matched on accent-folded
# upper case (OCR drops accents); the longest first, so `CHANH VAN PHONG` wins over `CHANH`.
_HEAD = re.compile(
    r"\b(?:"
    + "|".join(
        sorted({fold(t).upper() for t in lexicon.selected("official_titles", "signs")}, key=len)[
            ::-1
        ]
    )
    + r")\b"
)
# A deputy's position: `Phó …`, or one with a name of its own (lexicon
# `official_titles`, column `deputy_of`: `Thứ trưởng`).
_DEPUTY_OF = {
    fold(r["deputy_of"]).upper(): r["title"]
    for r in lexicon.rows("official_titles")
    if r.get("deputy_of")
}
_DEPUTY = re.compile(
    r"\b(?:PHO|" + "|".join(re.escape(fold(t).upper()) for t in _DEPUTY_OF.values()) + r")\b"
)
# Not started inside a word where starting one letter earlier would go the
# same way (tried from every letter of a long word, the pattern was quadratic).
# A word of a name: a capital and small letters; the Central Highlands' names
# also join a capital with an apostrophe (`H'Yim`, `K'Mák`, also printed `H' Yim`) and may
# open with a lone capital (`Y Thanh …`), all as printed (ANNOTATION §1: names as read).
# The capitals themselves: the range `À-Ỹ` also holds small letters (`ô`, `đ`, `ở`), and
# `ông Nguyễn Văn A` or an OCR speck before the name is no name's first word; a name in
# capitals (`ĐỖ TẤN A`) is read as such (`_caps_name`), not as words of small letters.
_CAPITAL = "[A-Z" + "".join(c for c in map(chr, range(0xC0, 0x1EF9)) if c.isupper()) + "]"
_SMALL = "[a-z" + "".join(c for c in map(chr, range(0xDF, 0x1EFA)) if c.islower()) + "]"
_NAME_WORD = rf"{_CAPITAL}(?:'[ \t]?{_CAPITAL})?{_SMALL}+"
_NAME = re.compile(
    r"(?:(?<!\S)[A-ZĐ][ \t]+(?=[A-ZĐÀ-Ỹ]))?(?:(?<![A-ZĐÀ-Ỹ'])|(?![a-zà-ỹđ']))"
    # A name opens a word: the range À-Ỹ holds small letters too (`à`), and
    # without this every `à` of a long word would be tried to its end.
    + r"(?<![\w.,;:/])"  # nor glued to a stop (`Lưu: VT.Châu`: the typist's initials)
    + _NAME_WORD
    + r"(?:[ \t]+"
    + _NAME_WORD
    + r"){1,4}"
)
# Words never in a person's name: the copy list's (lexicon `not_name_words`) and
# a body's head word (`body_heads`, column `not_name`: `Bộ`, `Sở`).
_NOT_NAME = re.compile(
    r"\b(?:"
    + "|".join(
        re.escape(w)
        for w in (
            *lexicon.words("not_name_words"),
            *{h.split()[0].capitalize() for h in lexicon.selected("body_heads", "not_name")},
        )
    )
    + r")\b"
)


def _not_a_name(words: str) -> bool:
    """Does a run of capitalised words hold a word no name holds (`Nơi`, `Như`,
    `Bộ`)? Not when that word ends the run after a name's first words: a given
    name may be such a word (`Trần Thị Quỳnh Như`); nor when the run opens with a
    family name, which no copy-list entry does: a middle name may be such a word
    (`Nguyễn Như Quỳnh`), and so may the family name itself (`Lưu Quang Huy`) when
    two names follow it (the copy list's `Lưu Văn thư` holds one)."""
    hits = [m for m in _NOT_NAME.finditer(words) if m.start() == 0 or m.end() < len(words)]
    if not hits:
        return False
    parts = words.split()
    if parts[0].upper() not in _FAMILY_CAPS:
        return True
    return hits[0].start() == 0 and len(parts) < 3


# A line that opens with a field's label (a word or three, then a colon): a converted
# PDF prints its digital signature's stamp so (`Ký bởi: Ủy ban nhân dân tỉnh X`, `Thời
# gian ký: …`, `Email: …`), before or after the block; the stamp names the certificate's
# holder, the name is the block's line under the position (ANNOTATION §2 `signer`).
_FIELD_LINE = re.compile(r"[ \t*_]*[A-ZĐÀ-Ỹ][^\W\d_]*(?:[ -][^\W\d_]+){0,2}[ \t]*\**:")
_STRAY = re.compile(r"[!?`\"=~^*|}{\\]+|(?<![A-ZĐ])'|'(?![ \t]?[A-ZĐÀ-Ỹ])")
_TRAILING_MARK = re.compile(r"[.,;_]")
# A mark where the signature stood, printed after the name on its line (`Nguyễn Văn A
# (đã ký)`; lexicon `signed_marks`): no part of the name (ANNOTATION §2 `signer`).
_SIGNED = re.compile(lexicon.signed_mark(), re.I)
_SIGNED_WORDS = re.compile(r"(?:" + lexicon.alternation("signed_marks") + r")\b", re.I)
# A speck of the scan OCR reads after a name alone on its line (`Đặng Văn A gg`): one or
# two small letters, no word a signature block holds (ANNOTATION §2: names as read,
# stray symbols dropped).
_OCR_SPECK = re.compile(r"[a-zà-ỹđ]{1,2}[.,;_]?")


def _name_after_position(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The signer's name as the signature block prints it: a position in capitals
    (`KT. BỘ TRƯỞNG` / `THỨ TRƯỞNG`, `TỔNG CỤC TRƯỞNG PHÓ TỔNG CỤC TRƯỞNG`,
    `VỤ TRƯỞNG VỤ A - B`) and right after it the name, in
    capitalised words (ANNOTATION §2 `signer`: the title is the position line
    directly above the name). What follows the name (an appendix, a site's
    trailer, a form glued on the same line) is no part of the block, so the
    first block after the `Nơi nhận` list is the one, wherever the text ends."""
    up = fold(text[start:end]).upper()  # same length: offsets carry over
    for head in _HEAD.finditer(up):
        hs = start + head.start()
        if not text[hs : start + head.end()].isupper():
            continue  # `Bộ trưởng (để b/c)` in the Nơi nhận list
        pos = start + head.end()
        breaks = 0
        while True:
            m = _TOKEN.match(text, pos, end)
            if m is None:
                break
            tok = m.group(2)
            breaks += m.group(1).count("\n")
            nxt = _TOKEN.match(text, m.end(), end)
            if _name_prefix(tok, nxt):
                break  # `Y` of `Y Thanh …`: the name begins
            joiner = tok in {"-", "–", ",", "&"} and nxt is not None and nxt.group(2).isupper()
            if breaks > 3 or not (tok.isupper() or joiner):
                break
            pos = m.end()
        words: list[tuple[int, int]] = []
        while len(words) < 5:
            m = _TOKEN.match(text, pos, end)
            # The name under its position, or below the blank room left for the signature
            # (a text layer's blank line); its words on one line.
            if m is None or (words and "\n" in m.group(1)) or m.group(1).count("\n") > 2:
                break
            tok = m.group(2)
            # A lone capital opens a name (`Y Thanh Hà`) or stands inside one (`Giàng A
            # Páo`, the Hmong middle name), a word of the name always following it.
            lone = _name_prefix(tok, _TOKEN.match(text, m.end(), end))
            if not (lone or _is_name_word(tok)):
                break
            if len(words) >= 2 and _NOT_NAME.fullmatch(tok) and _copy_list_goes_on(text, m, end):
                break  # `Nguyễn Văn A Nơi nhận:`: the copy list OCR ran on after the name
            words.append((m.start(2), m.end(2)))
            pos = m.end()
        if not words and (caps := _caps_name_ending(text, start + head.end(), pos, end)):
            return caps
        if len(words) >= 3 and _sentence_goes_on(text, pos, end):
            words.pop()  # `… Nguyễn Văn A Công văn này …`: its capital opens what follows
        if len(words) < 2:
            continue
        words += _wrapped_last_word(text, pos, end) if len(words) < 4 else []
        ns, ne = words[0][0], words[-1][1]
        if _not_a_name(text[ns:ne]):
            continue
        return ns, ne
    return None


_TOKEN = re.compile(r"(\s*)(\S+)")


def _sentence_goes_on(text: str, pos: int, end: int) -> bool:
    """After a name on a flattened block's line, does a sentence go on (a word in small
    letters, then more words on the line)? Then the name's last capitalised word opened
    it (`Trịnh Văn A Công văn này thay thế …`, a site's note run onto the line); a
    speck OCR left after a name (`Nguyễn Văn A gg`) ends the line (ANNOTATION §2
    `signer`: the name of the person who signs, and nothing printed after it)."""
    nxt = _TOKEN.match(text, pos, end)
    if nxt is None or "\n" in nxt.group(1) or not nxt.group(2)[:1].islower():
        return False
    if _SIGNED_WORDS.match(text, nxt.start(2), end):
        return False  # `Nguyễn Văn A đã ký`: the mark where the signature stood
    after = _TOKEN.match(text, nxt.end(), end)
    return after is not None and "\n" not in after.group(1)


def _copy_list_goes_on(text: str, word: re.Match[str], end: int) -> bool:
    """After a word that opens the copy list (`Nơi`, `Như`), does the list's next
    word follow on the line (`nhận:`, `trên;`)? A name may end in the same word
    (`… Quỳnh Như`)."""
    nxt = _TOKEN.match(text, word.end(), end)
    return nxt is not None and "\n" not in nxt.group(1) and nxt.group(2)[:1].islower()


def _name_prefix(tok: str, nxt: re.Match[str] | None) -> bool:
    """A lone capital that opens a name (`Y` of `Y Thanh Hà`, `H'` of `H' Yim Kđoh`, its
    apostrophe printed apart from the word it joins): the next word, on the same line, is a
    word of a name."""
    return (
        (len(tok) == 1 or (len(tok) == 2 and tok[1] == "'"))
        and tok[:1].isupper()
        and nxt is not None
        and "\n" not in nxt.group(1)
        and _is_name_word(nxt.group(2))
    )


def _is_name_word(tok: str) -> bool:
    """`Nguyễn`, `H'Yim`: a capital (with an apostrophe and a capital after it),
    then small letters only."""
    rest = tok[3:] if tok[1:2] == "'" and tok[2:3].isupper() else tok[1:]
    return tok[:1].isupper() and rest.isalpha() and rest.islower()


# A name printed in capitals on the block's last line (`NGUYỄN VĂN A`): two to
# five syllables, none longer than a Vietnamese syllable can be.
_CAPS_NAME = re.compile(r"(?<!\S)[A-ZĐÀ-Ỹ]{1,7}(?:[ \t]+[A-ZĐÀ-Ỹ]{1,7}){1,4}(?!\S)")


# Family names (lexicon `person_names`, column `family`), upper-cased: a name in
# capitals opens with one.
_FAMILY_CAPS = frozenset(w.upper() for w in lexicon.selected("person_names", "family"))


def _caps_name(line: str) -> re.Match[str] | None:
    """The signer's name printed in capitals, alone on the block's last line
    (`NGUYỄN VĂN A`): a family name first, not a position, not a body
    (ANNOTATION §2 `signer`: names as read)."""
    # A stop or a mark after the name (`NGUYỄN VĂN A .`) is no part of it, as after a name
    # in small letters (`_TRAILING_MARK`).
    m = _CAPS_NAME.fullmatch(line.strip().rstrip(".,;_").rstrip())
    if m is None or m.group(0).split()[0] not in _FAMILY_CAPS:
        return None
    if _HEAD.search(fold(line).upper()) or _AUTH.search(line):
        return None
    as_name = " ".join(w.capitalize() for w in m.group(0).split())
    if _not_a_name(as_name):
        return None
    return _CAPS_NAME.search(line)


def _caps_name_ending(text: str, start: int, pos: int, end: int) -> tuple[int, int] | None:
    """A name printed in capitals that ends the run of capitals of a flattened block
    (`KT. CHỦ TỊCH PHÓ CHỦ TỊCH NGUYỄN VĂN A |`): the words after the last position in
    the run, opening with a family name, with nothing but the line's or the cell's end
    after them (ANNOTATION §2 `signer`: the title is the position line above the name)."""
    nxt = _TOKEN.match(text, pos, end)
    if nxt is not None and "\n" not in nxt.group(1) and nxt.group(2)[:1].isalnum():
        return None
    up = fold(text[start:pos]).upper()
    heads = list(_HEAD.finditer(up))
    tail_s = start + (heads[-1].end() if heads else 0)
    tail = _caps_name(text[tail_s:pos])
    if tail is None or text[tail_s : tail_s + tail.start()].strip():
        return None
    return tail_s + tail.start(), tail_s + tail.end()


def _wrapped_last_word(text: str, pos: int, end: int) -> list[tuple[int, int]]:
    """A name's last word that a narrow column put alone on the next line
    (`Nguyễn Đại` / `Trí`): one capitalised word, and its line holds nothing else."""
    m = _TOKEN.match(text, pos, end)
    if m is None or m.group(1).count("\n") != 1:
        return []
    tok = m.group(2)
    if not (tok[:1].isupper() and tok[1:].islower() and tok.isalpha()):
        return []
    after = _TOKEN.match(text, m.end(), end)
    if after is not None and "\n" not in after.group(1):
        return []
    return [(m.start(2), m.end(2))]


def _cut_position(
    text: str, lines: list[tuple[int, int]], idx: int
) -> tuple[str, tuple[int, int]] | None:
    """The position line directly above the name, its first word(s) lost on a
    scan (the seal or the signature over it: `TỊCH` for `CHỦ TỊCH`): the one
    signing position (lexicon `official_titles`, column `signs`) it ends, when
    exactly one ends so; with no `KT.` line the head signs, not a deputy."""
    if idx == 0:
        return None
    s, e = lines[idx - 1]
    seg = text[s:e].strip()
    if not seg.isupper() or len(seg.split()) > 2 or _AUTH.search(seg):
        return None
    tail = " " + " ".join(fold(seg).upper().split())
    ends = {
        t
        for t in lexicon.selected("official_titles", "signs")
        if len(t.split()) > 1 and (" " + fold(t).upper()).endswith(tail)
    }
    if len(ends) != 1:
        return None
    ts = s + text[s:e].index(seg)
    return ends.pop(), (ts, ts + len(seg))


def _capital_head(text: str, start: int, end: int) -> bool:
    """A position printed in capitals between `start` and `end`."""
    up = fold(text[start:end]).upper()
    return any(text[start + m.start() : start + m.end()].isupper() for m in _HEAD.finditer(up))


def extract_signer(doc: TextDoc, frame: Frame) -> Signer | None:
    text = doc.text
    lines = [
        (s, e) for s, e in doc.lines if s >= frame.body_end and e <= frame.end and text[s:e].strip()
    ]
    if not lines:
        return None
    ocr = looks_ocr(doc.metadata, text)
    found = _name_after_position(text, frame.body_end, frame.end)
    if found is not None:
        name_s, name_e = found
        above = [s for s, e in lines if s <= name_s]
        head_s = above[max(0, len(above) - 7)] if above else frame.body_end
        name = " ".join(text[name_s:name_e].split())  # a last word wrapped to its own line
        signer = Signer(name=name, name_span=(name_s, name_e))
        _position(text, head_s, name_s, signer)
        return signer
    for idx in range(len(lines) - 1, max(-1, len(lines) - 8), -1):
        s, e = lines[idx]
        if _FIELD_LINE.match(text, s, e):
            continue  # `Ký bởi: …`, `Thời gian ký: …`: a digital signature's stamp
        cleaned = _STRAY.sub(" ", text[s:e])
        nm = None
        for cand in _NAME.finditer(cleaned):
            nm = cand
        if nm is None and idx == len(lines) - 1:
            nm = _caps_name(cleaned)
        if nm is None or _not_a_name(nm.group(0)):
            continue
        after = _SIGNED.sub("", cleaned[nm.end() :]).strip()
        # A stop or a mark OCR or a typist left after a name alone on its line is
        # no part of it; a copy-list entry (`- Thứ trưởng Tên;`) is no name line.
        trailing = _TRAILING_MARK.fullmatch(after) or (ocr and _OCR_SPECK.fullmatch(after))
        if after and not (trailing and not cleaned[: nm.start()].strip()):
            continue
        name_s, name_e = s + nm.start(), s + nm.end()
        if len(nm.group(0).split()) < 4:
            wrapped = _wrapped_last_word(text, name_e, frame.end)
            if wrapped and not _NOT_NAME.search(text[slice(*wrapped[0])]):
                name_e = wrapped[0][1]  # `Nguyễn Thị Thanh` / `Hương`
        if idx > 0 and not cleaned[: nm.start()].strip():
            ps, pe = lines[idx - 1]
            prev = text[ps:pe].strip()
            if re.fullmatch(r"[A-ZĐÀ-Ỹ][a-zà-ỹđ]+", prev):  # `Vũ / Chiến Thắng`
                name_s, idx = ps + text[ps:pe].index(prev), idx - 1
        head_s = lines[max(0, idx - 6)][0]
        if not _HEAD.search(fold(text[head_s:name_s]).upper()):
            # OCR that reads the `Nơi nhận` column and the signature block
            # line by line prints the position beside `Nơi nhận:` and the
            # name after the whole list: the position in capitals anywhere
            # in the block above the name is the title (ANNOTATION §2 `signer`).
            head_s = lines[0][0]
            if not _capital_head(text, head_s, name_s):
                cut = _cut_position(text, lines, idx)
                if cut is None:
                    continue
                name = " ".join(_STRAY.sub(" ", text[name_s:name_e]).split())
                return Signer(
                    name=name, name_span=(name_s, name_e), title=cut[0], title_span=cut[1]
                )
        name = " ".join(_STRAY.sub(" ", text[name_s:name_e]).split())
        signer = Signer(name=name, name_span=(name_s, name_e))
        _position(text, head_s, name_s, signer)
        return signer
    # A position with no readable name (a blurred scan): keep the title.
    head_s = lines[max(0, len(lines) - 8)][0]
    if _HEAD.search(fold(text[head_s : lines[-1][1]]).upper()):
        signer = Signer()
        _position(text, head_s, lines[-1][1], signer)
        if signer.title:
            return signer
    return None


def _title_case(printed: str) -> str:
    """`BỘ TRƯỞNG, CHỦ NHIỆM` → `Bộ trưởng, Chủ nhiệm`; `VỤ TRƯỞNG VỤ A - B`
    → `Vụ trưởng Vụ A - B` (a position, then the unit
    it heads in the case of a name)."""
    parts = []
    for part in printed.split(","):
        part = " ".join(part.split())
        up = fold(part).upper()
        heads = list(_HEAD.finditer(up))
        if not heads or heads[0].start() != 0 or heads[-1].end() == len(part):
            parts.append(title_case_position(part))
            continue
        cut = heads[-1].end()
        segs = part[cut:].split(" - ")
        unit = " - ".join([normal_case(segs[0]), *(sentence_case(seg) for seg in segs[1:])])
        parts.append(f"{title_case_position(part[:cut])} {unit}")
    return ", ".join(p for p in parts if p)


def _joined_position(heads: list[re.Match[str]]) -> bool:
    """Do the positions on the authority line hold a deputy's after the head's the
    authority names (`KT. CHỦ TỊCH PHÓ CHỦ TỊCH`, two lines a converter joined)? Only
    a deputy's: a second head on the line may be the body the mark speaks for (ANNOTATION
    §2 `signer`: the title is the position line above the name, the `KT.` line the
    authority)."""
    return any(_DEPUTY.match(m.group(0)) for m in heads)


def _position(text: str, start: int, end: int, signer: Signer) -> None:
    """Fill title and authority from the block text before the name."""
    block = text[start:end]
    up = fold(block).upper()  # same length as block: offsets carry over
    # A mark opens the authority line, the body or head after it in capitals (`KT. CHỦ TỊCH`);
    # a department's code ending the `Lưu:` line of a merged `Nơi nhận` column (`Lưu: VT, KT.`)
    # is none.
    auths = [m for m in _AUTH.finditer(block) if block[m.end() : m.end() + 1].isupper()]
    after = auths[-1].end() if auths else 0
    heads = [m for m in _HEAD.finditer(up) if m.start() >= after]
    # The position line is printed in capitals; `các Phó Chủ tịch` in a merged
    # `Nơi nhận` column is not it (ANNOTATION §2: the line directly above the name).
    capitals = [m for m in heads if block[m.start() : m.end()].isupper()]
    heads = capitals or heads
    title_at = None
    one_line = "\n" not in block[after:]
    if auths and not one_line:
        # The position is printed below the authority line, never on it; unless a
        # converter joined the two lines (a bold run over both: `KT. CHỦ TỊCH PHÓ CHỦ
        # TỊCH` / / name), and the position stands on the authority line after its head.
        first_break = after + block[after:].index("\n")
        below = [m for m in heads if m.start() > first_break]
        joined = [m for m in heads if m.start() < first_break]
        one_line = not below and _joined_position(joined)
        heads = heads if one_line else below
    if auths:
        deputies = [m for m in heads if _DEPUTY.match(m.group(0))]
        if deputies:
            title_at = deputies[0].start()
        elif len(heads) > 1:
            title_at = heads[1].start()
        elif heads and one_line and block[after : heads[0].start()].strip():
            # A block flattened on one line (`TM. ỦY BAN NHÂN DÂN CHỦ TỊCH Tên`): the
            # body the mark speaks for is the authority, the position after it the
            # title (ANNOTATION §2 `signer`).
            title_at = heads[0].start()
        elif "\n" in block[after:]:
            title_at = after + block[after:].index("\n") + 1
            # A blank line between the authority and the position line is layout (each
            # line of the block its own paragraph): the position is the next printed line
            # (ANNOTATION §2 `signer`: the position line directly above the name).
            title_at += len(block[title_at:]) - len(block[title_at:].lstrip())
            first = re.match(r"\s*(\S*)", block[title_at:])
            if heads and first is not None and not first.group(1).isupper():
                # A `Nơi nhận` column merged beside the block (`- Như trên;
                # CHÁNH VĂN PHÒNG`): the position is the one in capitals below
                # the authority line (ANNOTATION §2 `signer`).
                title_at = heads[0].start()
    elif heads:
        deputies = [m for m in heads if _DEPUTY.match(m.group(0))]
        at = deputies[-1] if deputies else heads[-1]
        if not deputies:
            # `BỘ TRƯỞNG, CHỦ NHIỆM`: one position line naming two offices is
            # the title whole (ANNOTATION §2: the position line above the name).
            k = heads.index(at)
            while k > 0 and re.fullmatch(r"\s*,\s*", block[heads[k - 1].end() : heads[k].start()]):
                k -= 1
            at = heads[k]
        title_at = at.start()
    if title_at is not None:
        # The title runs to the end of its line, in upper case only (a
        # merged `Nơi nhận` column leaves lower-case words beside it).
        line_end = block.find("\n", title_at)
        line_end = len(block) if line_end < 0 else line_end
        words = []
        found = list(re.finditer(r"\S+", block[title_at:line_end]))
        for k, w in enumerate(found):
            # `VỤ TRƯỞNG VỤ A - B`: a dash between capitals joins.
            joiner = w.group(0) in {"-", "–", "&"} and k + 1 < len(found)
            if not (w.group(0).isupper() or (joiner and found[k + 1].group(0).isupper())):
                break
            words.append(w)
        if words:
            ts, te = start + title_at + words[0].start(), start + title_at + words[-1].end()
            title = _title_case(text[ts:te])
            # A lone `PHÓ` (the rest unreadable) is no title: fall back below.
            if _HEAD.match(fold(title).upper()) and fold(title) != "pho":
                signer.title, signer.title_span = title, (ts, te)
    if auths and signer.title and auths[-1].group(0).upper().startswith("KT"):
        # Ký thay: the signer is a deputy. A title that repeats the head's
        # (`KT. BỘ TRƯỞNG, CHỦ NHIỆM` / `CHỦ NHIỆM`) lost its `PHÓ` (a seal, OCR).
        head_words = fold(block[auths[-1].end() : title_at or len(block)]).upper()
        if (
            not _DEPUTY.match(fold(signer.title).upper())
            and fold(signer.title).upper() in head_words
        ):
            signer.title = _DEPUTY_OF.get(fold(signer.title).upper()) or title_case_position(
                "Phó " + signer.title
            )
    if auths:
        a_s = start + auths[0].start()
        a_e = (
            signer.title_span[0] if signer.title_span else start + block.find("\n", auths[-1].end())
        )
        if a_e <= a_s:
            a_e = start + len(block)
        raw = text[a_s:a_e]
        line_end = raw.find("\n", auths[-1].end() - auths[0].start())
        raw = raw if line_end < 0 else raw[:line_end]
        raw = raw.rstrip(" ,;\n")
        signer.authority = " ".join(raw.split())
        signer.authority_span = (a_s, a_s + len(raw))
        if signer.title is None:
            # Ký thay (KT.) means a deputy of the head named after it.
            head = fold(raw[auths[-1].end() - auths[0].start() :]).upper().strip(" .,")
            if auths[-1].group(0).upper().startswith("KT") and head:
                # `KT. BỘ TRƯỞNG, CHỦ NHIỆM`: the deputy of the last office named.
                head = head.split(",")[-1].strip()
                signer.title = _DEPUTY_OF.get(head) or title_case_position("Phó " + head)
