"""What Tesseract misreads on scanned Vietnamese letters, by kind and rate.

    python -m benchmarks.ocr_confusions OCR_DIR [--truth-dir DIR] [--out FILE]

OCR_DIR holds Tesseract's texts of the pages of `data/corpus/ocr/pdf` before
any post-correction (`vanban.pipeline.ocr_correct`), one `NAME.txt` a page
(`python -m benchmarks.bench_ocr --raw --out out/bench/ocr_raw.json` writes
them to `out/bench/ocr_raw/`); the
true text is `--truth-dir/NAME.txt`. The words of both are aligned (difflib on
the word sequence); each pair of aligned words that differ is parted into the
kinds below, and each kind is counted against what could have gone wrong (a
dropped tone against the letters that carry a tone, a split word against the
words). The table (`benchmarks/ocr_confusions.tsv`) is what the `ocr_noise`
variant of `scripts/invariance.py` draws from: rates of kinds, not any one
page's garbles.

Kinds, per character of a word read with the same letters:
`tone_dropped_on_hat` (`ố` → `ô`, per letter with a tone and a circumflex or breve: most of
Tesseract's errors), `tone_dropped` (per other letter with a tone), `tone_changed_on_hat`, `tone_changed` (the same split), `tone_added`
(per letter without), `horn_dropped` (`ơ` → `o`, `ư` → `u`, per horned letter),
`hat_dropped` (`â ê ô ă` → `a e o a`, per such letter), `hat_changed` (`ê` →
`ế`'s neighbour `é`: the circumflex lost but the tone kept is counted here
when the base letter is read with another mark), `d_bar_dropped` (`đ` → `d`),
`case_changed`; `semicolon_as_comma` (per `;`); per digit: `digit_as_letter` (`0` → `O`, `1` → `l`);
per word: `word_split` (a space inside a word), `words_joined`, `word_lost`,
`word_other` (any other misreading: letters or punctuation).
"""

from __future__ import annotations

import argparse
import difflib
import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
HATS = {"\u0302", "\u0306"}  # circumflex, breve
HORN = "\u031b"


def parts(c: str) -> tuple[str, str, str, str]:
    """A letter as (base, hat or horn, tone, case): `Ế` → ('e', '̂', '́', 'U')."""
    d = unicodedata.normalize("NFD", c)
    base = d[0]
    marks = d[1:]
    tone = next((m for m in marks if m in TONES), "")
    mod = next((m for m in marks if m in HATS or m == HORN), "")
    case = "U" if base.isupper() else "l"
    base = base.lower()
    if base == "đ":
        base, mod = "d", "bar"
    return base, mod, tone, case


def char_kinds(t: str, o: str) -> list[str]:
    """The kinds by which letter `o` misreads letter `t` (same base letter)."""
    _, mt, tt, ct = parts(t)
    _, mo, to, co = parts(o)
    out = []
    if mt != mo:
        if mt == "bar":
            out.append("d_bar_dropped")
        elif mt == HORN:
            out.append("horn_dropped" if not mo else "hat_changed")
        elif mt in HATS:
            out.append("hat_dropped" if not mo else "hat_changed")
        else:
            out.append("mark_added")
    if tt != to:
        hat = "_on_hat" if mt in HATS else ""
        out.append(f"tone_dropped{hat}" if not to else f"tone_changed{hat}" if tt else "tone_added")
    if ct != co:
        out.append("case_changed")
    return out


def _fold(s: str) -> str:
    return "".join(parts(c)[0] for c in s)


def compare(truth: str, read: str, counts: Counter[str], chances: Counter[str]) -> None:
    tw, rw = truth.split(), read.split()
    chances["word"] += len(tw)
    sm = difflib.SequenceMatcher(a=tw, b=rw, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            for w in tw[i1:i2]:
                _chances(w, chances)
            continue
        a, b = tw[i1:i2], rw[j1:j2]
        if op == "delete":
            counts["word_lost"] += len(a)
            continue
        if op == "insert":
            counts["word_inserted"] += len(b)
            continue
        _replace(a, b, counts, chances)


def _chances(word: str, chances: Counter[str]) -> None:
    for c in word:
        _, mod, tone, _ = parts(c)
        if c == ";":
            chances["semicolon"] += 1
        if c.isdigit():
            chances["digit"] += 1
        if not c.isalpha():
            continue
        chances["letter"] += 1
        chances["toned" if tone else "untoned"] += 1
        if tone and mod in HATS:
            chances["toned_hatted"] += 1
        elif tone:
            chances["toned_plain"] += 1
        if mod == HORN:
            chances["horned"] += 1
        elif mod in HATS:
            chances["hatted"] += 1
        elif mod == "bar":
            chances["barred"] += 1


def _replace(a: list[str], b: list[str], counts: Counter[str], chances: Counter[str]) -> None:
    """Pair the words of a replaced run: one to one, split, or joined."""
    i = j = 0
    while i < len(a) and j < len(b):
        t = a[i]
        _chances(t, chances)
        if j + 1 < len(b) and b[j] + b[j + 1] == t:
            counts["word_split"] += 1
            i, j = i + 1, j + 2
            continue
        if i + 1 < len(a) and a[i] + a[i + 1] == b[j]:
            counts["words_joined"] += 1
            _chances(a[i + 1], chances)
            i, j = i + 2, j + 1
            continue
        _pair(t, b[j], counts)
        i, j = i + 1, j + 1
    counts["word_lost"] += len(a) - i
    for t in a[i:]:
        _chances(t, chances)
    counts["word_inserted"] += len(b) - j


def _pair(t: str, o: str, counts: Counter[str]) -> None:
    if len(t) != len(o):
        counts["word_other"] += 1
        return
    kinds: list[str] = []
    for x, y in zip(t, o, strict=True):
        if x == y:
            continue
        if (x.isdigit() and y.isalpha()) or (x.isalpha() and y.isdigit()):
            kinds.append("digit_as_letter" if x.isdigit() else "letter_as_digit")
            counts[f"pair {x}->{y}"] += 1
        elif x == ";" and y == ",":
            kinds.append("semicolon_as_comma")
            counts[f"pair {x}->{y}"] += 1
        elif x.isalpha() and y.isalpha() and _fold(x) == _fold(y):
            kinds += char_kinds(x, y)
            counts[f"pair {x}->{y}"] += 1
        else:
            kinds.append("char_other")
            counts[f"pair {x}->{y}"] += 1
    if "char_other" in kinds:
        counts["word_other"] += 1
        return
    counts.update(kinds)


# What each kind is counted against.
CHANCE = {
    "tone_dropped": "toned_plain",
    "tone_dropped_on_hat": "toned_hatted",
    "tone_changed": "toned_plain",
    "tone_changed_on_hat": "toned_hatted",
    "tone_added": "untoned",
    "horn_dropped": "horned",
    "hat_dropped": "hatted",
    "hat_changed": "hatted",
    "d_bar_dropped": "barred",
    "case_changed": "letter",
    "digit_as_letter": "digit",
    "semicolon_as_comma": "semicolon",
    "letter_as_digit": "letter",
    "mark_added": "letter",
    "word_split": "word",
    "words_joined": "word",
    "word_lost": "word",
    "word_inserted": "word",
    "word_other": "word",
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("ocr_dir", type=Path)
    ap.add_argument("--truth-dir", type=Path, default=ROOT / "data/corpus/ocr/truth")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/ocr_confusions.tsv")
    args = ap.parse_args(argv)
    counts: Counter[str] = Counter()
    chances: Counter[str] = Counter()
    pages = sorted(args.ocr_dir.glob("*.txt"))
    for page in pages:
        truth = (args.truth_dir / page.name).read_text(encoding="utf-8")
        read = page.read_text(encoding="utf-8")
        compare(
            unicodedata.normalize("NFC", truth), unicodedata.normalize("NFC", read), counts, chances
        )
    rows = sorted(
        ((k, counts[k], chances[CHANCE[k]]) for k in CHANCE),
        key=lambda r: -r[1],
    )
    lines = [
        f"# measured by benchmarks/ocr_confusions.py on {len(pages)} pages of data/corpus/ocr"
        f" ({chances['word']} words, {chances['letter']} letters); kind, count, chances, rate",
        "kind\tcount\tout_of\trate",
    ]
    lines += [f"{k}\t{n}\t{c}\t{n / max(1, c):.5f}" for k, n, c in rows]
    pairs = sorted(
        ((k[5:], n) for k, n in counts.items() if k.startswith("pair ")), key=lambda p: -p[1]
    )
    print("\n".join(lines))
    print("most frequent letter confusions (true->read):")
    print(", ".join(f"{p} {n}" for p, n in pairs[:40]))
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
