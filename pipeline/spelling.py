"""underthesea's spelling table and syllable dictionary, read without importing underthesea.

underthesea's `token_normalize` is a look-up in a table of 2,904 words as typed
(`hoà`, `uỷ`, `nghành`, `baì`, `qui`) and as they are spelt (`hòa`, `ủy`,
`ngành`, `bài`, `quy`), after Unicode NFC and `ð` -> `đ`. The table is curated
by hand (misspellings as well as tone placement), so no rule reproduces it;
but importing the function imports all of underthesea — its tagger, parser,
joblib and numpy: about 0.5 s and 90 MB in every worker — for that one table.
So the table is read from underthesea's own rule file (a 50 KB pickle, read
in 2 ms the first time a word is looked up) and applied as `token_normalize`
applies it; underthesea stays the dependency that provides and maintains it.
Should a release of underthesea ship no single rule file, its
`token_normalize` is imported as before. Its word list (Hồ Ngọc Đức's 74,000
words, `underthesea.corpus.viet_dict_74K`) is read the same way, from its file.
"""

from __future__ import annotations

import hashlib
import importlib.util
import pickle
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

# token_normalize leaves longer tokens as they are.
_LONGEST = 6


def _package_file(folder: str, pattern: str) -> Path | None:
    """The one file of underthesea's `folder` named by `pattern`, or None (none, or several)."""
    spec = importlib.util.find_spec("underthesea")  # finds the package without running it
    if spec is None or not spec.submodule_search_locations:
        return None
    found = [
        f
        for location in spec.submodule_search_locations
        for f in Path(location, folder).glob(pattern)
    ]
    return found[0] if len(found) == 1 else None


def _rule_file() -> Path | None:
    return _package_file("pipeline/text_normalize", "tn_rules_*.bin")


def _read_tables(path: Path) -> tuple[dict[str, str], dict[str, str]] | None:
    try:
        with path.open("rb") as f:
            data = pickle.load(f)  # what underthesea's own joblib.load reads
        chars, tokens = data["character"], data["token"]
    except (OSError, pickle.UnpicklingError, KeyError, TypeError, EOFError):
        return None
    if not (isinstance(chars, dict) and isinstance(tokens, dict)):
        return None
    return chars, tokens


@lru_cache(maxsize=1)
def _normalizer() -> Callable[[str], str]:
    path = _rule_file()
    tables = _read_tables(path) if path else None
    if tables is None:
        from underthesea.pipeline.text_normalize.token_normalize import token_normalize

        return token_normalize
    chars, tokens = tables

    def normalize(token: str) -> str:
        if len(token) > _LONGEST:
            return token
        token = unicodedata.normalize("NFC", token)
        for typed, standard in chars.items():
            token = token.replace(typed, standard)
        return tokens.get(token, token)

    return normalize


def token_normalize(token: str) -> str:
    """underthesea's `token_normalize(token)`: the word as standard spelling writes it."""
    return _normalizer()(token)


def dictionary_words() -> list[str]:
    """`underthesea.corpus.viet_dict_74K.words`: the dictionary's entries (`dictionary_text`'s
    lines)."""
    return dictionary_text().split("\n")


def dictionary_text() -> str:
    """`underthesea.corpus.viet_dict_74K.words` as one text: the dictionary's entries, one a line."""
    path = dictionary_file()
    if path is None:
        from underthesea.corpus import viet_dict_74K

        return "\n".join(viet_dict_74K.words)
    return path.read_text(encoding="utf-8").strip()  # as its loader reads it, not split


class PassedWords:
    """Words a check has passed (a syllable, a word whose tone placement stands, no piece of
    a join), kept per worker so that each distinct word is judged once: a letter's words
    less these, by a set difference at C speed, are the few still to judge. Emptied past
    `most` words, so that memory stays bounded over a long run of many distinct words."""

    def __init__(self, most: int = 1 << 16) -> None:
        self._words: set[str] = set()
        self._most = most

    def unjudged(self, words: set[str]) -> set[str]:
        """`words` less those passed already."""
        return words - self._words

    def passed(self, words: Iterable[str]) -> None:
        """Remember `words` as passed (and forget them all once there are too many)."""
        self._words.update(words)
        if len(self._words) > self._most:
            self._words.clear()


# The syllables of the dictionary's words (`dictionary_syllables`), shipped as a file after a
# line naming the dictionary they were built from (`# bytes N sha256 …` of its file):
# splitting and normalising the 74,000 entries costs a worker 0.05 s of CPU and ~10 MB of peak
# memory (issue 16: worker RSS), reading 11,000 lines nothing. `make ocr-dictionary` writes it
# (`syllables_file`); `tests/test_ocr_correct_dictionary.py` says when it is stale.
SYLLABLES = Path(__file__).with_name("dictionary_syllables.txt")


def dictionary_file() -> Path | None:
    """underthesea's dictionary file (`dictionary_text`'s source), or None."""
    return _package_file("corpus/data", "Viet74K.txt")


def syllables_of(text: str) -> frozenset[str]:
    """The syllables of a dictionary's text, in lower case, one tone placement (each
    distinct word normalised once: 11,000 of the entries' 100,000 words)."""
    return frozenset(map(token_normalize, set(text.lower().split())))


def syllables_file(text: str, size: int) -> str:
    """What `SYLLABLES` holds for the dictionary `text`, read from a file of `size` bytes."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return "\n".join([f"# bytes {size} sha256 {digest}", *sorted(syllables_of(text))]) + "\n"


@lru_cache(maxsize=1)
def dictionary_syllables() -> frozenset[str]:
    """The dictionary's syllables: `SYLLABLES` when it names the installed dictionary's
    size (the file's digest is the tests' to check), else made from the dictionary."""
    path = dictionary_file()
    try:
        head, _, body = SYLLABLES.read_text(encoding="utf-8").partition("\n")
    except OSError:
        head, body = "", ""
    if path is not None and head.startswith(f"# bytes {path.stat().st_size} "):
        return frozenset(body.split())
    return syllables_of(dictionary_text())
