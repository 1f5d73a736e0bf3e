"""The dictionary the OCR post-correction reads its compounds and ambiguous phrases from
(`vanban.pipeline.ocr_correct`): folded once into a shipped file, looked up by key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from vanban.pipeline import ocr_correct
from vanban.pipeline.ocr_correct import (
    DICTIONARY_KEYS,
    correct,
    dictionary_keys_file,
)
from vanban.pipeline.spelling import dictionary_text

SMALL = "Hải quan\nhải quân\nquân khu\nkhu vực\nquan"


@pytest.fixture
def dictionary(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """The post-correction over a made-up dictionary (`SMALL`) and a keys file in `tmp_path`
    (none written yet); the real ones again afterwards."""
    keys = tmp_path / "keys.tsv"
    monkeypatch.setattr(ocr_correct, "dictionary_text", lambda: SMALL)
    monkeypatch.setattr(ocr_correct, "DICTIONARY_KEYS", keys)
    ocr_correct._keyed_lines.cache_clear()
    yield keys
    ocr_correct._keyed_lines.cache_clear()


def test_the_shipped_keys_file_is_what_the_installed_dictionary_builds() -> None:
    # Out of date (underthesea's dictionary or `fold` changed): `make ocr-dictionary`.
    assert DICTIONARY_KEYS.read_text(encoding="utf-8") == dictionary_keys_file(dictionary_text())


def test_the_keys_file_holds_each_key_once_with_its_entries_sorted_after_a_digest() -> None:
    head, *lines = dictionary_keys_file(SMALL).splitlines()
    assert head.startswith("# sha256 ")
    assert lines == [
        "hai quan\tHải quan|hải quân",
        "khu vuc\tkhu vực",
        "quan\tquan",
        "quan khu\tquân khu",
    ]


def test_entries_are_looked_up_by_their_words_without_accents(dictionary: Path) -> None:
    dictionary.write_text(dictionary_keys_file(SMALL), encoding="utf-8")
    assert ocr_correct._dictionary_entries("hai quan") == ["Hải quan", "hải quân"]
    assert ocr_correct._dictionary_entries("quan") == ["quan"]
    assert ocr_correct._dictionary_entries("hai") == []  # a key's start is not a key


def test_the_keys_file_is_read_not_rebuilt_when_it_names_the_dictionary(dictionary: Path) -> None:
    built = dictionary_keys_file(SMALL)
    dictionary.write_text(built.replace("khu vực", "khu vục"), encoding="utf-8")
    assert ocr_correct._dictionary_entries("khu vuc") == ["khu vục"]


@pytest.mark.parametrize("shipped", [None, "another dictionary"])
def test_a_missing_or_stale_keys_file_is_rebuilt_from_the_dictionary(
    dictionary: Path, shipped: str | None
) -> None:
    if shipped is not None:
        dictionary.write_text(dictionary_keys_file(shipped), encoding="utf-8")
    assert ocr_correct._dictionary_entries("quan khu") == ["quân khu"]


def test_a_compound_of_the_dictionary_read_across_a_cue_keeps_its_words() -> None:
    # `quan khu` folds like the cue `quân khu`, but here it is `Hải quan` + `khu vực`:
    # the dictionary's compounds, looked up in the keys file, say so.
    text = "Chi cục Hải quan khu vực XIX"
    assert correct(text)[0] == text


def test_the_shipped_syllables_file_is_what_the_installed_dictionary_builds() -> None:
    # Out of date (underthesea's dictionary or its tone normaliser changed): `make ocr-dictionary`.
    from vanban.pipeline.spelling import SYLLABLES, dictionary_file, syllables_file

    source = dictionary_file()
    assert source is not None
    want = syllables_file(dictionary_text(), source.stat().st_size)
    assert SYLLABLES.read_text(encoding="utf-8") == want


def test_the_syllables_are_read_from_the_shipped_file_when_it_names_the_dictionary(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from vanban.pipeline import spelling

    source = spelling.dictionary_file()
    assert source is not None
    shipped = tmp_path / "syllables.txt"
    shipped.write_text(f"# bytes {source.stat().st_size} sha256 x\nmột\nhai\n", encoding="utf-8")
    monkeypatch.setattr(spelling, "SYLLABLES", shipped)
    spelling.dictionary_syllables.cache_clear()
    try:
        assert spelling.dictionary_syllables() == {"một", "hai"}
        shipped.write_text("# bytes 1 sha256 x\nmột\n", encoding="utf-8")  # another dictionary
        spelling.dictionary_syllables.cache_clear()
        assert spelling.dictionary_syllables() == spelling.syllables_of(dictionary_text())
    finally:
        spelling.dictionary_syllables.cache_clear()
