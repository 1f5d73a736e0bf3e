"""Write `pipeline/ocr_dictionary_keys.tsv`: the dictionary's entries by their words without
accents, which the OCR post-correction looks up (`vanban.pipeline.ocr_correct`); and
`pipeline/dictionary_syllables.txt`, the syllables of its words (`spelling.dictionary_syllables`).

    python scripts/ocr_dictionary.py            # rewrite the file (make ocr-dictionary)
    python scripts/ocr_dictionary.py --check    # say whether it is what this would write

Rerun it when underthesea's dictionary (`spelling.dictionary_text`) or `fold` changes:
until then the post-correction folds the dictionary in every worker, as it did before
the file (`tests/test_ocr_correct_dictionary.py` says when it is out of date).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from vanban.pipeline.ocr_correct import DICTIONARY_KEYS, dictionary_keys_file  # noqa: E402
from vanban.pipeline.spelling import (  # noqa: E402
    SYLLABLES,
    dictionary_file,
    dictionary_text,
    syllables_file,
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="compare, do not write")
    args = ap.parse_args(argv)
    text, source = dictionary_text(), dictionary_file()
    size = source.stat().st_size if source is not None else 0
    wanted = {
        ROOT / "pipeline" / DICTIONARY_KEYS.name: dictionary_keys_file(text),
        ROOT / "pipeline" / SYLLABLES.name: syllables_file(text, size),
    }
    stale = 0
    for target, want in wanted.items():
        name = target.relative_to(ROOT)
        if args.check:
            same = target.exists() and target.read_text(encoding="utf-8") == want
            stale += not same
            print(f"{name}: {'up to date' if same else 'OUT OF DATE'}")
        else:
            target.write_text(want, encoding="utf-8")
            print(f"wrote {name} ({want.count(chr(10)) - 1} lines)")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
