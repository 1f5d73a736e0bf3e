"""Vietnamese typed before Unicode: TCVN3 (ABC), VNI, VISCII, Windows-1258, and mojibake.

Offices typed Vietnamese for years in 8-bit *font* encodings: TCVN3/ABC (the
`.VnTime`, `.VnArial` fonts) and VNI (`VNI-Times`). The file stores bytes, the
font draws Vietnamese glyphs for them, and any other program sees Latin-1
letters: `Céng hoµ x· héi chñ nghÜa ViÖt Nam` (TCVN3), `Coäng hoøa xaõ hoäi`
(VNI). VISCII is a real 8-bit charset (RFC 1456); Windows-1258 is one too, but
writes tones as combining marks after the letter. Mojibake is UTF-8 that was read
as Windows-1252 and saved again: `Cá»™ng hÃ²a`.

Three ways in:

- `font_encoding(font)`: a DOCX run's font names its encoding exactly (the
  strongest evidence), so `vanban.pipeline.load_docx` converts those runs by font.
- `decode_legacy(data)`: bytes that are not UTF-8 are decoded with each 8-bit
  encoding, and one is kept only if it reads as Vietnamese (see below).
- `repair(text)`: decoded text that still shows mojibake or TCVN3/VNI letters.

How detection decides: every word that has a non-ASCII letter is checked
against the shape of a Vietnamese syllable (onset, vowel nucleus from the fixed
list of Vietnamese nuclei, final consonant, at most one tone mark). A reading is
*Vietnamese* when at least 3 such words are valid and at most 10 % are not; text
is only *converted* when as-is at least 25 % of them are invalid and the
conversion is Vietnamese. Unicode Vietnamese is already valid, English has no
such words, and other scripts or languages do not become valid Vietnamese by
conversion, so none of them is touched.

The tables are written from the encodings' definitions: TCVN 5712:1993 (VN3,
the `.Vn` fonts), the VNI-Windows font layout, and glibc's VISCII charmap.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import filterfalse
from types import MappingProxyType

from vanban.pipeline.spelling import PassedWords
from vanban.schemas import RawText

TCVN3 = "TCVN3 (ABC)"
VNI = "VNI"
VISCII = "VISCII"
CP1258 = "Windows-1258"

# -- the tables: legacy "surface" text (what a Unicode program shows) -> Unicode

# TCVN3 (VN3): one byte per letter; upper-case toned letters do not exist (the
# `.VnTimeH` fonts draw the lower-case bytes as capitals). Bytes 0xA1-0xFE are
# the same character in Windows-1252 and Latin-1, so byte and surface agree.
_TCVN3_BYTES = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}  # fmt: skip
TCVN3_TABLE: Mapping[str, str] = MappingProxyType(
    {chr(b): letter for b, letter in _TCVN3_BYTES.items()}
)


def _vni_table() -> dict[str, str]:
    """VNI: a base letter followed by a mark character, so the table is built by rule.

    Marks for lower-case letters, then the same marks upper-case for capitals
    (`AÙ` is Á): five tones, circumflex (`â`) and breve (`ê`), each of those two
    also fused with a tone. ơ ư đ and the toned i's are single characters.
    """
    tones = "ùøûõï"  # sắc huyền hỏi ngã nặng
    hat_tones = "áàåãä"  # circumflex + tone
    breve_tones = "éèúüë"  # breve + tone
    # Unicode letters in the same tone order: sắc, huyền, hỏi, ngã, nặng.
    toned = {
        "a": "áàảãạ", "â": "ấầẩẫậ", "ă": "ắằẳẵặ", "e": "éèẻẽẹ", "ê": "ếềểễệ",
        "o": "óòỏõọ", "ô": "ốồổỗộ", "ơ": "ớờởỡợ", "u": "úùủũụ", "ư": "ứừửữự",
        "y": "ýỳỷỹỵ",
    }  # fmt: skip
    table = {"ñ": "đ", "ô": "ơ", "ö": "ư", "ò": "ị", "æ": "ỉ", "ó": "ĩ"}
    for base in "aeouy":
        for mark, letter in zip(tones, toned[base], strict=True):
            table[base + mark] = letter
    for base, hat in (("a", "â"), ("e", "ê"), ("o", "ô")):
        table[base + "â"] = hat
        for mark, letter in zip(hat_tones, toned[hat], strict=True):
            table[base + mark] = letter
    table["aê"] = "ă"
    for mark, letter in zip(breve_tones, toned["ă"], strict=True):
        table["a" + mark] = letter
    for base, horned in (("ô", "ơ"), ("ö", "ư")):  # the horned vowels take tones too
        for mark, letter in zip(tones, toned[horned], strict=True):
            table[base + mark] = letter
    upper = {key.upper(): value.upper() for key, value in table.items()}
    return table | upper


VNI_TABLE: Mapping[str, str] = MappingProxyType(_vni_table())

# VISCII bytes 0x80-0xFF, and the six C0 control bytes it reuses for capitals.
_VISCII_HIGH = (
    "ẠẮẰẶẤẦẨẬẼẸẾỀỂỄỆỐỒỔỖỘỢỚỜỞỊỎỌỈỦŨỤỲÕắằặấầẩậẽẹếềểễệốồổỗỠƠộờởịỰỨỪỬơớƯ"
    "ÀÁÂÃẢĂẳẵÈÉÊẺÌÍĨỳĐứÒÓÔạỷừửÙÚỹỵÝỡưàáâãảăữẫèéêẻìíĩỉđựòóôõỏọụùúũủýợỮ"
)
_VISCII_C0 = {0x02: "Ẳ", 0x05: "Ẵ", 0x06: "Ẫ", 0x14: "Ỷ", 0x19: "Ỹ", 0x1E: "Ỵ"}
# For `str.translate` of the bytes read as Latin-1.
_VISCII = _VISCII_C0 | {0x80 + i: letter for i, letter in enumerate(_VISCII_HIGH)}


def _replacer(table: Mapping[str, str]) -> Callable[[str], str]:
    # Longest keys first: VNI's `oá` (ố) must win over `o` left alone.
    keys = sorted(table, key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, keys)))
    return lambda text: pattern.sub(lambda m: table[m.group(0)], text)


_from_tcvn3 = _replacer(TCVN3_TABLE)
_from_vni = _replacer(VNI_TABLE)


def from_tcvn3(text: str) -> str:
    """TCVN3 surface text (`Céng hoµ`) to Unicode (`Cộng hoà`); case as typed."""
    return _from_tcvn3(text)


def from_vni(text: str) -> str:
    """VNI surface text (`Coäng hoøa`) to Unicode (`Cộng hòa`)."""
    return _from_vni(text)


def _cp1252_char(b: int) -> str:
    try:
        return bytes([b]).decode("cp1252")
    except UnicodeDecodeError:  # the five bytes Windows-1252 leaves out read as Latin-1
        return chr(b)


# Bytes as Word shows them in a non-Unicode font (Windows-1252): the fonts' "surface".
# Only 0x80-0x9F differ from Latin-1, so this is a `str.translate` of Latin-1 text.
_CP1252_PUNCTUATION = {b: c for b in range(0x80, 0xA0) if (c := _cp1252_char(b)) != chr(b)}


def _surface(data: bytes) -> str:
    return data.decode("latin-1").translate(_CP1252_PUNCTUATION)


# -- detection: does this read as Vietnamese?

_ONSETS = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx]"
# Vowel nuclei (with the vowels' own marks, tones aside); three-vowel ones first.
_NUCLEI = (
    "iêu|oai|oao|oay|oeo|uây|uya|uyê|uyu|uôi|ươi|ươu|yêu|"
    "ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|ôi|ơi|oo|ua|uâ|uê|ui|uy|uô|uơ|ưa|ưi|ưu|ươ|yê|"
    "a|ă|â|e|ê|i|o|ô|ơ|u|ư|y"
)
_CODAS = "ng|nh|ch|[cmnpt]"
_SYLLABLE = re.compile(rf"(?:{_ONSETS})?(?:{_NUCLEI})(?:{_CODAS})?")
_TONES = "\u0300\u0301\u0303\u0309\u0323"
# A word: letters, plus the Latin-1 signs TCVN3 uses as letters (`x·` is xã, `Tõ` is từ).
_SIGNS = "\u00a1-\u00bf\u00d7\u00f7"
_WORD = re.compile(rf"(?:[^\W\d_]|[{_SIGNS}])+")
# Most texts hold none of those signs: their words are letters only, which one class finds
# at twice the speed of the alternation.
_HAS_SIGN = re.compile(f"[{_SIGNS}]")
_LETTERS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Tally:
    """Words with a non-ASCII letter: how many are Vietnamese syllables, how many not."""

    good: int = 0
    bad: int = 0

    @property
    def vietnamese(self) -> bool:
        return self.good >= 3 and self.bad <= 0.1 * (self.good + self.bad)

    @property
    def broken(self) -> bool:
        return self.bad >= 3 and self.bad >= 0.25 * (self.good + self.bad)


def _toneless(word: str) -> str | None:
    """`word` in lower case without its tone mark; None when it has more than one."""
    letters = unicodedata.normalize("NFD", word.lower())
    if sum(letters.count(tone) for tone in _TONES) > 1:
        return None
    return unicodedata.normalize("NFC", "".join(c for c in letters if c not in _TONES))


@lru_cache(maxsize=1 << 16)
def _is_syllable(word: str) -> bool:
    """A Vietnamese syllable's shape (cached: a worker meets the same few thousand words)."""
    base = _toneless(word)
    return base is not None and _SYLLABLE.fullmatch(base) is not None


# Closed by a stop (`p`, `t`, `c`, `ch`), a syllable takes the sắc or nặng tone only.
_STOP_FINAL = re.compile(r"(?:p|t|c|ch)$")
_STOP_TONES = "\u0301\u0323"


@lru_cache(maxsize=1 << 16)
def tone_fits(word: str) -> bool:
    """A syllable's shape whose tone its final allows (`tác`, `tạc`; never `tac` or `tàc`,
    what a scan or a typist leaves of `tác`)."""
    if not _is_syllable(word):
        return False
    if _STOP_FINAL.search(_toneless(word) or ""):  # a final's letters carry no mark
        return any(t in unicodedata.normalize("NFD", word.lower()) for t in _STOP_TONES)
    return True


def _spelled(alternation: str) -> list[str]:
    """The strings of one of the alternations above: `ng|[cm]` -> `ng`, `c`, `m`."""
    out: list[str] = []
    for piece in alternation.split("|"):
        out.extend(piece[1:-1] if piece.startswith("[") else [piece])
    return out


def _either(strings: Iterable[str]) -> str:
    # Longest first; among equal lengths (no two of which match at one place) in one
    # order, not a set's, so that the pattern is the same at every run (`pattern_cache`).
    escaped = sorted(map(re.escape, strings))
    return "(?:" + "|".join(sorted(escaped, key=len, reverse=True)) + ")"


@lru_cache(maxsize=1)
def _piece_pattern() -> re.Pattern[str]:
    """What a syllable's shape holds as a contiguous piece: a piece of its onset, nucleus
    or final, or a tail of one of them, what follows whole, and a head of the last."""
    onsets, nuclei, finals = (_spelled(a) for a in (_ONSETS, _NUCLEI, _CODAS))

    def heads(xs: list[str]) -> set[str]:
        return {x[:i] for x in xs for i in range(1, len(x) + 1)}

    def tails(xs: list[str]) -> set[str]:
        return {x[i:] for x in xs for i in range(len(x))}

    pieces = {
        x[i:j]
        for x in (*onsets, *nuclei, *finals)
        for i in range(len(x))
        for j in range(i + 1, len(x) + 1)
    }
    return re.compile(
        "|".join(
            (
                _either(pieces),
                _either(tails(onsets)) + _either(heads(nuclei)),
                _either(tails(onsets)) + _either(nuclei) + _either(heads(finals)),
                _either(tails(nuclei)) + _either(heads(finals)),
            )
        )
    )


@lru_cache(maxsize=1 << 16)
def syllable_piece(word: str) -> bool:
    """Whether `word` can be a contiguous piece of a Vietnamese syllable as `_is_syllable`
    reads one (`b`, `ư`, `ươ`, `ng`; not `UBND`, `vn`): what a syllable spaced out into
    letters (`tr ưở ng`) is cut into. Lower case, tones off, then each piece is a piece
    of the syllable's (a letter's marks are never split over two pieces)."""
    base = _toneless(word)
    return base is not None and _piece_pattern().fullmatch(base) is not None


def _judged_words(text: str) -> list[str]:
    """The words `tally` judges: those with a letter beyond ASCII (the others are not
    counted at all)."""
    words = (_WORD if _HAS_SIGN.search(text) else _LETTERS).findall(text)
    return list(filterfalse(str.isascii, words))


def _judged_distinct(text: str) -> tuple[set[str], int]:
    """The distinct words of `_judged_words(text)` and how many it holds, read from the
    distinct blank-separated tokens of the text (a word never holds a blank): counting the
    tokens runs in C, and a token of letters only (most) is one word as it stands, so only
    the others are searched, once each, not the whole letter word by word."""
    pattern = _WORD if _HAS_SIGN.search(text) else _LETTERS
    distinct: set[str] = set()
    total = 0
    for token, count in Counter(text.split()).items():
        if token.isascii():
            continue  # no word beyond ASCII in it
        if token.isalpha():
            distinct.add(token)
            total += count
            continue
        words = list(filterfalse(str.isascii, pattern.findall(token)))
        distinct.update(words)
        total += count * len(words)
    return distinct, total


def tally(text: str) -> Tally:
    """Each distinct word is judged once, and counted as often as it occurs."""
    if text.isascii():
        return Tally()
    good = bad = 0
    for word, count in Counter(_judged_words(text)).items():
        if _is_syllable(word):
            good += count
        else:
            bad += count
    return Tally(good, bad)


# Words known to be syllables.
_SYLLABLES_SEEN = PassedWords()


def _invalid(words: set[str]) -> list[str]:
    """The words of `words` that are no syllable."""
    new = _SYLLABLES_SEEN.unjudged(words)
    bad = [w for w in new if not _is_syllable(w)]
    _SYLLABLES_SEEN.passed(new.difference(bad))
    return bad


def _broken(text: str) -> bool:
    """`tally(text).broken` (`bad >= 3` and `4 * bad >= good + bad`), decided without
    counting every word for a text that is plainly valid Unicode (nearly every letter):
    the text's count of each invalid word (`QĐ`, `Đắk`) bounds how often it stands as a
    word, and that bound is far below a quarter of the words. Only when the bound leaves
    the question open are the invalid words counted."""
    if text.isascii():
        return False
    distinct, total = _judged_distinct(text)
    bad = _invalid(distinct)
    at_most = sum(map(text.count, bad))
    if at_most < 3 or 4 * at_most < total:
        return False
    words = _judged_words(text)
    counts = Counter(words)
    invalid = sum(counts[w] for w in bad)
    return Tally(len(words) - invalid, invalid).broken


# -- upper case lost with TCVN3's `.VnTimeH` fonts, in plain text

_CAPS_WORD = re.compile(r"[^\W\d_]+")


def _restore_caps(text: str) -> str:
    """Upper-case lines that were typed in a capitals font: `CéNG HOµ` reads `CộNG HOà`.

    TCVN3 has no upper-case toned letters; a heading was typed with capital
    ASCII letters and lower-case Vietnamese ones, and the font drew all as
    capitals. A line whose ASCII letters are all capitals and that has two such
    mixed words (or one with two capitals: `CộNG`) was such a heading; a
    `Sè: 12/UBND` line (`Số:`) has only one and keeps its case.
    """
    lines = text.split("\n")
    for i, line in enumerate(lines):
        ascii_letters = [c for c in line if c.isascii() and c.isalpha()]
        if not ascii_letters or not all(c.isupper() for c in ascii_letters):
            continue
        mixed = [
            w for w in _CAPS_WORD.findall(line) if not w.isascii() and any(c.islower() for c in w)
        ]
        strong = any(sum(c.isascii() for c in w) >= 2 for w in mixed)
        if len(mixed) >= 2 or strong:
            lines[i] = line.upper()
    return "\n".join(lines)


# -- mojibake: UTF-8 read as Windows-1252 (or Latin-1) and saved again

_CP1252_BYTE = {c: b for b, c in _CP1252_PUNCTUATION.items()}
# Two or more characters that are each one byte in Windows-1252/Latin-1, not ASCII.
# (Written `XX+`, not `X{2,}`: a pattern that opens on a character class lets the engine
# skip to the next such character at C speed; one that opens on a repeat is tried at
# every position.)
_ONE_BYTE = "[\u0080-\u00ff" + "".join(re.escape(c) for c in _CP1252_BYTE) + "]"
_MOJIBAKE_RUN = re.compile(_ONE_BYTE + _ONE_BYTE + "+")


def _plausible(ch: str) -> bool:
    """What UTF-8 Vietnamese text holds: its letters and marks, punctuation, symbols."""
    o = ord(ch)
    return (
        0xA0 <= o <= 0xFF
        or ch in "ĂăĐđĨĩŨũƠơƯư₫"
        or 0x300 <= o <= 0x323
        or 0x1EA0 <= o <= 0x1EF9
        or ch in _CP1252_BYTE
    )


def _one_byte_each(text: str) -> bytes:
    return bytes(_CP1252_BYTE.get(c, ord(c) & 0xFF) for c in text)


def _unmojibake_run(run: str) -> str:
    # The whole run, as often as it decodes: twice-garbled text is read twice.
    text = run
    while _MOJIBAKE_RUN.fullmatch(text):
        try:
            text = _one_byte_each(text).decode("utf-8")
        except UnicodeDecodeError:
            break
    if text != run and all(_plausible(c) for c in text):
        return text
    # Else sequence by sequence: the run may hold real Latin-1 signs beside the mojibake.
    out: list[str] = []
    pos = 0
    for ch in _one_byte_each(run).decode("utf-8", errors="surrogateescape"):
        if 0xDC80 <= ord(ch) <= 0xDCFF:  # a byte that starts no UTF-8 sequence: as it was
            out.append(run[pos])
            pos += 1
            continue
        width = len(ch.encode("utf-8"))
        out.append(ch if _plausible(ch) else run[pos : pos + width])
        pos += width
    return "".join(out)


def _unmojibake(text: str) -> str:
    """Each run of mojibake decoded. Where every run decodes only to a letter that
    Latin-1 has too (`XÃ` + a no-break space reads as `Xà`) and the text spells
    Vietnamese letters that only Unicode has (`HỘI`), the text is Unicode already
    and the runs are what they print: mojibake of Vietnamese always yields some
    letter beyond Latin-1 (`á»™` for `ộ`, `Æ°` for `ư`)."""
    fixed = {m.group(0): _unmojibake_run(m.group(0)) for m in _MOJIBAKE_RUN.finditer(text)}
    changed = {run: out for run, out in fixed.items() if out != run}
    if not changed:
        return text
    beyond_latin1 = any(ord(c) > 0xFF for out in changed.values() for c in out)
    if not beyond_latin1 and _UNICODE_ONLY.search(text):
        return text
    return _MOJIBAKE_RUN.sub(lambda m: changed.get(m.group(0), m.group(0)), text)


# -- the public entry points


@dataclass
class Repaired:
    text: str
    notes: list[str] = field(default_factory=list)


def converted_note(encoding: str) -> str:
    return f"text converted from {encoding} to Unicode"


MOJIBAKE_NOTE = (
    "mojibake repaired: UTF-8 text that had been read as Windows-1252 "
    "(shown as 'Cá»™ng hÃ²a') was restored"
)


_DECODERS: dict[str, Callable[[bytes], str]] = {
    # Windows-1258 writes `ộ` as `ô` + U+0323: compose into the one letter.
    CP1258: lambda data: unicodedata.normalize("NFC", data.decode("cp1258")),
    TCVN3: lambda data: _restore_caps(from_tcvn3(_surface(data))),
    VNI: lambda data: from_vni(_surface(data)),
    VISCII: lambda data: data.decode("latin-1").translate(_VISCII),
}


def _most_vietnamese(candidates: Iterable[tuple[str, str]]) -> tuple[str, str] | None:
    """The (encoding, text) reading as Vietnamese with the most valid words net of invalid ones."""
    best: tuple[int, str, str] | None = None
    for name, text in candidates:
        score = tally(text)
        if score.vietnamese and (best is None or score.good - score.bad > best[0]):
            best = (score.good - score.bad, name, text)
    return None if best is None else (best[1], best[2])


def _decoded(data: bytes) -> Iterator[tuple[str, str]]:
    for name, decode in _DECODERS.items():
        try:
            yield name, decode(data)
        except UnicodeDecodeError:  # Windows-1258 leaves a few bytes undefined
            continue


def decode_legacy(data: bytes) -> Repaired | None:
    """Non-UTF-8 bytes in the 8-bit encoding that reads as Vietnamese, or None."""
    found = _most_vietnamese(_decoded(data))
    if found is None:
        return None
    name, text = found
    return Repaired(text, [converted_note(name)])


def repair(text: str) -> Repaired:
    """Unicode text that still carries mojibake or TCVN3/VNI letters, repaired and noted."""
    notes: list[str] = []
    if text.isascii():
        return Repaired(text, notes)
    fixed = _unmojibake(text)
    if fixed != text:
        notes.append(MOJIBAKE_NOTE)
        text = fixed
    if _broken(text):
        found = _most_vietnamese([(TCVN3, _restore_caps(from_tcvn3(text))), (VNI, from_vni(text))])
        if found is not None:
            notes.append(converted_note(found[0]))
            text = found[1]
    return Repaired(text, notes)


def repair_raw(raw: RawText) -> RawText:
    """`repair` on a loader's text, its notes added to the warnings."""
    repaired = repair(raw.text)
    if not repaired.notes:
        return raw
    return replace(raw, text=repaired.text, warnings=[*raw.warnings, *repaired.notes])


# -- DOCX runs: the font says the encoding

# Letters only Unicode has: a run holding one was typed in Unicode, whatever its font.
_UNICODE_ONLY = re.compile("[ĂăĐđĨĩŨũƠơƯư\u1ea0-\u1ef9]")


@dataclass(frozen=True)
class FontEncoding:
    name: str  # TCVN3 or VNI
    caps: bool  # `.VnTimeH` and kin draw every letter as a capital

    def convert(self, text: str) -> str:
        """The run's text in Unicode; a U+00AD in it is TCVN3's `ư`, else a soft hyphen."""
        if _UNICODE_ONLY.search(text):  # typed in Unicode although the font is a legacy one
            return text.replace("\xad", "")
        if self.name == VNI:
            return from_vni(text.replace("\xad", ""))
        converted = from_tcvn3(text)
        return converted.upper() if self.caps else converted


def font_encoding(font: str | None) -> FontEncoding | None:
    """`.VnTime`, `.VnArialH` (TCVN3, `H` for capitals), `VNI-Times` (VNI); else None."""
    if not font:
        return None
    name = font.strip()
    if name.lower().startswith(".vn"):
        return FontEncoding(TCVN3, caps=name.endswith("H"))
    if re.match(r"vni[-_ ]", name, re.I):
        return FontEncoding(VNI, caps=False)
    return None
