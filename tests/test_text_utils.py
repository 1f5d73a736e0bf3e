"""`fold`, `fold_key_nfc` and `capitals` keep their meaning when made faster: the plain
definitions (drop every combining mark after NFD; lower case, then each dash and odd
space as the usual one, character by character; count letters and upper-case letters)
decide."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from vanban.extractors.text_utils import (
    _CASE_ODD,
    _TONE_PAIRS,
    PerText,
    capitals,
    fold,
    fold_key_nfc,
    in_capitals,
    may_hold,
    old_tones,
)

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)) | st.sampled_from("ĐđÐðỦủẬậ\u0301\u1dc0Ⅷ"),
    max_size=200,
)
# Dashes and odd spaces as letters print them, and old-style tones (`hoà`, `uỷ`).
DASHES = "–—‑‐−\u00a0\u2009\u202f"
NFC_TEXT = st.text(alphabet=st.sampled_from(DASHES + "-  aàoòuỷyHOÀUỶ\u0130"), max_size=200).map(
    lambda s: unicodedata.normalize("NFC", s)
)


def _fold_by_definition(s: str) -> str:
    s = unicodedata.normalize("NFD", s.lower()).replace("đ", "d").replace("ð", "d")
    return "".join(c for c in s if unicodedata.category(c) != "Mn")


@given(TEXT)
def test_fold_drops_every_combining_mark_as_its_definition_says(s: str) -> None:
    assert fold(s) == _fold_by_definition(s)


def _fold_key_by_definition(s: str) -> str:
    low = "".join(c if len(c.lower()) != 1 else c.lower() for c in s)
    low = "".join("-" if c in DASHES[:5] else " " if c in DASHES[5:] else c for c in low)
    for old, new in _TONE_PAIRS.items():
        low = low.replace(old, new)
    return low


@given(NFC_TEXT)
def test_fold_key_makes_every_dash_one_dash_and_every_odd_space_a_space(s: str) -> None:
    assert fold_key_nfc(s) == _fold_key_by_definition(s)
    assert len(fold_key_nfc(s)) == len(s)  # offsets in the key are offsets in the text


@given(TEXT)
def test_capitals_counts_letters_and_their_upper_case_share(s: str) -> None:
    letters = [c for c in s if c.isalpha()]
    share = sum(c.isupper() for c in letters) / len(letters) if letters else 0.0
    assert capitals(s) == (len(letters), share)


def test_fold_of_a_vietnamese_name() -> None:
    assert fold("Ủy ban nhân dân tỉnh Đắk Lắk") == "uy ban nhan dan tinh dak lak"


def test_per_text_keeps_one_texts_results_until_another_text_comes() -> None:
    memo = PerText()
    letter, other = "Công văn số 1", "Công văn số 2"
    memo.of(letter)[(0, 5)] = "read"
    assert memo.of(letter) == {(0, 5): "read"}  # asked again for the same letter: kept
    assert memo.of(other) == {}  # the next letter starts afresh
    assert memo.of(letter) == {}  # and the first one's results are gone (memory stays flat)


@given(NFC_TEXT | TEXT.map(lambda s: unicodedata.normalize("NFC", s)))
def test_fold_text_tokens_are_the_token_patterns_matches_with_their_bounds(s: str) -> None:
    from vanban.extractors.agency_text import TOKEN_RE, fold_text

    f = fold_text(s)
    found = list(TOKEN_RE.finditer(f.key))
    assert f.toks == [m.group() for m in found]
    assert (f.starts, f.ends) == ([m.start() for m in found], [m.end() for m in found])


WORDS = st.sampled_from(["sở", "xây", "dựng", "y", "tế", "bộ", "công", "an", ","])


@given(st.lists(WORDS, max_size=4), st.lists(WORDS, max_size=12), st.data())
def test_trie_longest_after_reads_as_longest_over_the_head_and_the_rest(
    head: list[str], toks: list[str], data: st.DataObject
) -> None:
    # `longest_after` walks the kind word and the letter's tokens without copying the rest of
    # the span (a copy per list item was linear in the span); the copied list decides.
    from vanban.extractors.agency_text import Trie

    trie = Trie()
    for n, phrase in enumerate(("sở xây dựng", "sở y tế", "bộ công an", "sở", "y tế , bộ")):
        trie.add(phrase.split(), n)
    k = data.draw(st.integers(0, len(toks) + 1))
    stop = data.draw(st.integers(0, len(toks)))
    joined = [*head, *toks[k:stop]]
    assert trie.longest_after(head, toks, k, stop) == trie.longest(joined, 0, len(joined))


def _normal_case_by_definition(printed: str, proper: tuple[str, ...]) -> str:
    from vanban.extractors.agency_text import _TYPE_TOKS, PROPER_NAMES
    from vanban.extractors.text_utils import fold_key

    words = printed.split()
    if not words:
        return ""
    letters = [c for c in printed if c.isalpha()]
    if letters and not all(c.isupper() for c in letters):
        return " ".join(words)
    low = [w.lower() for w in words]
    out = list(low)
    n_type = next((len(t) for t in _TYPE_TOKS if tuple(low[: len(t)]) == t), 1)
    out[0] = out[0][:1].upper() + out[0][1:]
    if n_type < len(out) and out[n_type][:1].isalpha():
        out[n_type] = out[n_type][:1].upper() + out[n_type][1:]
    names = [tuple(fold_key(p).split()) for p in (*PROPER_NAMES, *proper)]
    folded = [fold_key(w) for w in low]
    for name in sorted(names, key=len, reverse=True):
        for s in range(len(out) - len(name) + 1):
            if tuple(folded[s : s + len(name)]) == name:
                for t in range(s, s + len(name)):
                    out[t] = out[t][:1].upper() + out[t][1:]
    return " ".join(out)


NAME_WORDS = st.sampled_from(
    ["TRUNG TÂM", "SỞ Y TẾ", "TỈNH", "BẮC NINH", "NINH", "HÀ NỘI", "VIỆT NAM", "HOÀ", "BÌNH"]
)


@given(st.lists(NAME_WORDS, max_size=8).map(" ".join), st.sampled_from([(), ("Bắc Ninh", "")]))
def test_normal_case_capitalises_as_its_definition_says(
    printed: str, proper: tuple[str, ...]
) -> None:
    from vanban.extractors.agency_text import normal_case

    assert normal_case(printed, proper) == _normal_case_by_definition(printed, proper)
    assert normal_case(printed, list(proper)) == _normal_case_by_definition(printed, proper)


def test_normal_case_capitalises_the_proper_names_in_a_name() -> None:
    from vanban.extractors.agency_text import normal_case

    assert normal_case("SỞ Y TẾ TỈNH BẮC NINH", ("Bắc Ninh",)) == "Sở Y tế tỉnh Bắc Ninh"
    assert normal_case("TRUNG TÂM VIỆT NAM") == "Trung tâm Việt Nam"


_WORDS = ("thực hiện", "này", "nội dung")
_WORD_PATTERN = re.compile("|".join(_WORDS), re.I)


@given(st.text(alphabet="thựcTHỰCiIİıſsSnàyNÀYộdungỘDUNG \u0307", max_size=24))
def test_may_hold_is_false_only_where_the_case_insensitive_pattern_finds_nothing(s: str) -> None:
    # `may_hold` spares a pattern only where it could not match, in any case or odd letter.
    if _WORD_PATTERN.search(s):
        assert may_hold(s.lower(), *_WORDS)


def test_may_hold_reads_words_in_any_case_and_odd_letters_that_match_them() -> None:
    assert may_hold("ĐỀ NGHỊ THỰC HIỆN NGHIÊM".lower(), "thực hiện")
    assert may_hold("THỰC HİỆN".lower(), "thực hiện")  # `İ` is `i` to `re.I`
    assert re.search("thực hiện", "thực hıện", re.I) and may_hold("thực hıện", "thực hiện")
    assert not may_hold("báo cáo kết quả trước ngày 15/3", "thực hiện", "này")


# Every letter a Vietnamese word is written with, in lower case (NFC).
_VIETNAMESE_LOWER = set("abcdefghijklmnopqrstuvwxyzđ") | {
    unicodedata.normalize("NFC", vowel + tone)
    for vowel in "aăâeêioôơuưy"
    for tone in ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
}


def test_every_character_re_ignorecase_reads_as_a_vietnamese_letter_lowers_to_it_or_is_odd() -> (
    None
):
    # The ground `may_hold` stands on, over all of Unicode: a character that `re.I` matches to
    # a letter of a lower-case word either lowers (`str.lower`) to that letter, so the word is
    # a substring of the lowered text, or lowers to a string holding one of the odd letters
    # `may_hold` lets through (`ı`, `ſ`, the dot of `İ`). A new case rule of Python would
    # break this, not `may_hold`'s callers silently.
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    letters = "".join(sorted(_VIETNAMESE_LOWER))
    matched = set(re.findall(f"[{re.escape(letters)}]", everything, re.I))
    assert len(matched) > len(letters)  # the capitals, at least
    for c in matched:
        for p in letters:
            if re.fullmatch(re.escape(p), c, re.I):
                assert c.lower() == p or any(o in c.lower() for o in _CASE_ODD), (c, p)


@given(st.text(alphabet="aAđĐỆệǅ1 .,ªⓐ中ß", max_size=10))
def test_in_capitals_is_four_letters_or_more_each_in_upper_case(s: str) -> None:
    n, share = capitals(s)
    assert in_capitals(s) == (n >= 4 and share == 1.0)


def test_old_tones_gives_the_old_placement_that_fold_key_reads_back() -> None:
    assert old_tones("hỏa tốc") == "hoả tốc"
    assert old_tones("Ủy ban, Hòa Bình") == "Uỷ ban, Hoà Bình"
    assert old_tones("khẩn trương") == "khẩn trương"  # nothing to move
    for old, new in _TONE_PAIRS.items():
        assert old_tones(new) == old and fold_key_nfc(old_tones(new)) == new
