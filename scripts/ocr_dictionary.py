"""Write `pipeline/ocr_dictionary_keys.tsv`: the dictionary's entries by their words without
accents, which the OCR post-correction looks up (`vanban.pipeline.ocr_correct`).

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
from vanban.pipeline.spelling import dictionary_text  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="compare, do not write")
    args = ap.parse_args(argv)
    want = dictionary_keys_file(dictionary_text())
    target = ROOT / "pipeline" / DICTIONARY_KEYS.name
    if args.check:
        same = target.exists() and target.read_text(encoding="utf-8") == want
        print(f"{target.relative_to(ROOT)}: {'up to date' if same else 'OUT OF DATE'}")
        return 0 if same else 1
    target.write_text(want, encoding="utf-8")
    print(f"wrote {target.relative_to(ROOT)} ({want.count(chr(10)) - 1} keys)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
