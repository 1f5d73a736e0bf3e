"""Metamorphic check: the same letter in another physical form must give the same record.

    python scripts/invariance.py                 # every `tune` letter of the dev corpus
    python scripts/invariance.py --letters 002 013 --variants wrap nfd --show
    python scripts/invariance.py --variants ocr_noise --seed 3  # another draw of misreadings

For each `tune` letter of `data/split.tsv` (never a `check` letter) this reads
the letter (`vanban.extract`), takes its normalised text, writes it again in
other physical forms (*variants*, each a general function of the text, not of
a letter) to a temporary `.txt` and reads that. Each variant's record is
compared with the record of `retext` (the normalised text read again, which
every variant starts from; `retext` itself is compared with the original
file's record, and differs where the file held more than its text: a DOCX's
or a markdown table's cells, a crawl's front matter): the header fields (doc_type, number,
issuer, place, issued_date, subject, signer name and title, recipients) and
the tasks (their count; for each task aligned by label, then by position:
lead names, coordinate names, deadline). A table prints the differences per
variant and letter, with totals; `--show` lists them.

The variants:

- `retext`: the normalised text itself (what every other variant starts from);
- `wrap`, `wrap_flat`: body lines hard-wrapped at 75 columns as a PDF text
  layer prints them, paragraphs apart by a blank line, or not;
- `no_blank`: every blank line removed; `blank_between`: a blank line between
  every two lines;
- `crawl_md`: the header as a two-column pipe table (issuer block | motto;
  number and V/v | place and date), headings in `**bold**`, `Nơi nhận` and the
  signature in one table row (a web crawl's markdown);
- `markers`: `1.` <-> `1)`, `a)` <-> `a.`, `-` -> `•` (ANNOTATION §3: the
  marker's punctuation is not part of a label; a dash bullet is a bullet);
- `spaces`: non-breaking spaces, tab indents, trailing spaces;
- `nfd_old_tones`: old tone placement (`hoà`, `uỷ`) in decomposed Unicode (NFD);
- `ocr_noise`: the text misread as Tesseract misreads a scanned letter, at the
  rates `benchmarks/ocr_confusions.py` measured on the scans of `data/corpus/ocr`
  (`benchmarks/ocr_confusions.tsv`: a tone lost on a letter with a circumflex or
  breve, `ố` -> `ô`, is the commonest; the hat lost, `Ế` -> `É`; a tone changed;
  `;` read `,`; `0`/`1` read `O`/`l`; a space inside a word), seeded by the
  text, then put through the OCR path's post-correction
  (`vanban.pipeline.ocr_correct.correct`). Lost and inserted words (stamps,
  reading order) are not drawn. A subject or signer's name read with a wrong
  accent cannot be told from the page, so for this variant those two fields
  are compared without accents.

A variant that does not apply to a letter (no header table can be made) is `n/a`.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import random
import re
import sys
import tempfile
import textwrap
import unicodedata
import zlib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Run as a script, this folder is on the path: the digest's variant of the same rewrite.
from records_digest import old_tones  # noqa: E402

import vanban  # noqa: E402
from vanban.extractors.text_utils import fold  # noqa: E402
from vanban.pipeline.ocr_correct import correct  # noqa: E402
from vanban.schemas import Document  # noqa: E402

RAW = ROOT / "data" / "corpus" / "dev" / "raw"
OCR_RATES = ROOT / "benchmarks" / "ocr_confusions.tsv"
OCR_SEED = 0  # added to each text's CRC: `--seed` draws other misreadings at the same rates
SPLIT = ROOT / "data" / "split.tsv"
WIDTH = 75


# --- variants -----------------------------------------------------------------


def _paragraphs(text: str) -> list[str]:
    """The text's lines (each a paragraph of the normalised text), blank ones dropped."""
    return [line for line in text.split("\n") if line.strip()]


def _wrapped(line: str) -> list[str]:
    return textwrap.wrap(line, WIDTH, break_long_words=False, break_on_hyphens=False) or [line]


def wrap(text: str) -> str:
    """Each paragraph hard-wrapped at 75 columns; paragraphs apart by a blank line."""
    return "\n\n".join("\n".join(_wrapped(p)) for p in _paragraphs(text))


def wrap_flat(text: str) -> str:
    """Each paragraph hard-wrapped at 75 columns; no blank lines at all."""
    return "\n".join("\n".join(_wrapped(p)) for p in _paragraphs(text))


def no_blank(text: str) -> str:
    return "\n".join(_paragraphs(text))


def blank_between(text: str) -> str:
    return "\n\n".join(_paragraphs(text))


_MOTTO = re.compile(r"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|ĐẢNG CỘNG SẢN VIỆT NAM")
_MOTTO_2 = re.compile(r"^Độc lập\s*-\s*Tự do\s*-\s*Hạnh phúc")
_RULE = re.compile(r"^[-_—–=* ]{3,}$")
_NUMBER = re.compile(r"^Số\b")
_DATE = re.compile(r"^[^,]{2,40},\s*ngày\b")
_CC = re.compile(r"^Nơi nhận\s*:?")
_CC_ITEM = re.compile(r"^[-+•]\s|;\s*$|^Lưu\b")
_HEADING = re.compile(r"^(?:[IVX]{1,5}\.\s+\S.*|[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ ,]{3,})$")


def _header_table(lines: list[str]) -> list[str] | None:
    """`lines` with the header as a crawl's two-column table, or None when its
    layout is not the plain one (issuer lines, motto, Số, V/v, place and date)."""
    idx = [j for j, line in enumerate(lines) if line.strip()]
    nb = [lines[j] for j in idx]
    motto = next((i for i, line in enumerate(nb[:40]) if _MOTTO.match(line.strip())), None)
    if motto is None or motto == 0:
        return None
    issuer_start = motto
    while issuer_start > 0 and issuer_start > motto - 3:
        prev = nb[issuer_start - 1].strip()
        if not (prev.isupper() or _RULE.fullmatch(prev)):
            break
        issuer_start -= 1
    if issuer_start == motto:
        return None
    i = motto + 1
    motto_lines = [nb[motto]]
    while i < len(nb) and (_MOTTO_2.match(nb[i]) or _RULE.fullmatch(nb[i].strip())):
        motto_lines.append(nb[i])
        i += 1
    if i >= len(nb) or not _NUMBER.match(nb[i]):
        return None
    number_lines = []
    while i < len(nb) and not _DATE.match(nb[i]) and len(number_lines) < 4:
        number_lines.append(nb[i])
        i += 1
    if i >= len(nb) or not _DATE.match(nb[i]):
        return None
    row1 = f"| {' '.join(nb[issuer_start:motto])} | {' '.join(motto_lines)} |"
    date = nb[i]
    if (
        len(number_lines) > 1
        and len(number_lines[-1].split()) <= 4
        and not _NUMBER.match(number_lines[-1])
    ):  # the place's first half, the column wrapped (`Thành phố Hồ Chí` / `Minh, ngày`)
        date = number_lines.pop() + " " + date
    if "năm" not in date and i + 1 < len(nb):  # the day on the next line (a form field)
        i += 1
        date += " " + nb[i]
    row2 = f"| {' '.join(number_lines)} | {date} |"
    return [*lines[: idx[issuer_start]], row1, "|---|---|", row2, "", *lines[idx[i] + 1 :]]


def _footer_row(lines: list[str]) -> list[str]:
    """`Nơi nhận` and the signature block as one table row of two cells; what
    follows the signer's name after a blank line (a site's notes) stays below."""
    at = next((i for i in range(len(lines) - 1, -1, -1) if _CC.match(lines[i])), None)
    if at is None:
        return lines
    cc, sign = [lines[at].strip()], []
    k = at + 1
    while k < len(lines) and (not lines[k].strip() or _CC_ITEM.search(lines[k])) and not sign:
        if lines[k].strip():
            cc.append(lines[k].strip())
        k += 1
        if k < len(lines) and lines[k].strip() and not _CC_ITEM.search(lines[k]):
            break
    while k < len(lines) and lines[k].strip():
        sign.append(lines[k].strip())
        k += 1
    if not sign:
        return lines
    return [*lines[:at], "", f"| {' '.join(cc)} | {' '.join(sign)} |", "|---|---|", *lines[k:]]


def crawl_md(text: str) -> str | None:
    table = _header_table(text.split("\n"))
    if table is None:
        return None
    lines = [line for line in _footer_row(table) if line.strip()]
    out = []
    for line in lines:
        bold = _HEADING.match(line) and not line.startswith("|")
        out.append(f"**{line}**" if bold else line)
    return (
        "\n\n".join(out)
        .replace("\n\n|---|---|", "\n|---|---|")
        .replace("|---|---|\n\n|", "|---|---|\n|")
    )


_DEC_MARK = re.compile(r"(?m)^(\d{1,2})([.)])(?=\s)")
_LETTER_MARK = re.compile(r"(?m)^([a-zđ])([.)])(?=\s)")
_DASH_MARK = re.compile(r"(?m)^-(?=\s)")


def markers(text: str) -> str:
    """`1.` <-> `1)`, `a)` <-> `a.`, `- ` -> `• `."""
    swap = {".": ")", ")": "."}
    text = _DEC_MARK.sub(lambda m: m.group(1) + swap[m.group(2)], text)
    text = _LETTER_MARK.sub(lambda m: m.group(1) + swap[m.group(2)], text)
    return _DASH_MARK.sub("•", text)


def spaces(text: str) -> str:
    """Every third space non-breaking, a tab before each item line, trailing blanks."""
    out = []
    for n, line in enumerate(text.split("\n")):
        parts = line.split(" ")
        line = "".join(w + ("\u00a0" if i % 3 == 2 else " ") for i, w in enumerate(parts[:-1])) + (
            parts[-1] if parts else ""
        )
        if re.match(r"(?:\d{1,2}|[a-zđ])[.)]\s|[-+]\s", line):
            line = "\t" + line
        out.append(line + (" \t" if n % 2 else "  "))
    return "\n".join(out)


def nfd_old_tones(text: str) -> str:
    return unicodedata.normalize("NFD", old_tones(text))


_TONES = "\u0300\u0301\u0303\u0309\u0323"
_HATS = "\u0302\u0306"  # circumflex, breve
_DIGIT_READS = {"0": "O", "1": "l"}


def _ocr_rates() -> dict[str, float]:
    """Measured rate of each kind of misreading (`benchmarks/ocr_confusions.tsv`)."""
    with OCR_RATES.open(encoding="utf-8") as f:
        rows = csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t")
        return {r["kind"]: float(r["rate"]) for r in rows}


def _misread_letter(c: str, rates: dict[str, float], rng: random.Random) -> str:
    """One letter as OCR may read it: its tone or its hat lost, its tone changed."""
    d = unicodedata.normalize("NFD", c)
    if len(d) == 1:
        return c
    base, marks = d[0], d[1:]
    tone = next((m for m in marks if m in _TONES), "")
    hat = next((m for m in marks if m in _HATS), "")
    horn = "\u031b" if "\u031b" in marks else ""
    if tone and rng.random() < rates["tone_dropped_on_hat" if hat else "tone_dropped"]:
        tone = ""
    elif tone and rng.random() < rates["tone_changed_on_hat" if hat else "tone_changed"]:
        tone = rng.choice([t for t in _TONES if t != tone])
    if hat and rng.random() < rates["hat_dropped"]:
        hat = ""
    if horn and rng.random() < rates["horn_dropped"]:
        horn = ""
    return unicodedata.normalize("NFC", base + hat + horn + tone)


def _misread_word(word: str, rates: dict[str, float], rng: random.Random) -> str:
    out = []
    for c in word:
        if c in _DIGIT_READS and rng.random() < rates["digit_as_letter"]:
            out.append(_DIGIT_READS[c])
        elif c == ";" and rng.random() < rates["semicolon_as_comma"]:
            out.append(",")
        elif c in "đĐ" and rng.random() < rates["d_bar_dropped"]:
            out.append("d" if c == "đ" else "D")
        else:
            out.append(_misread_letter(c, rates, rng))
    word = "".join(out)
    if len(word) >= 4 and word.isalpha() and rng.random() < rates["word_split"]:
        k = rng.randrange(1, len(word) - 1)
        word = word[:k] + " " + word[k:]
    return word


def ocr_noise(text: str) -> str:
    """The text as Tesseract may read its scan, post-corrected as the OCR path does;
    the same text always gives the same misreadings (seeded by its CRC)."""
    rates = _ocr_rates()
    rng = random.Random(zlib.crc32(text.encode("utf-8")) + OCR_SEED)
    lines = []
    for line in unicodedata.normalize("NFC", text).split("\n"):
        parts = re.split(r"(\s+)", line)
        lines.append("".join(p if p.isspace() else _misread_word(p, rates, rng) for p in parts))
    fixed, _ = correct("\n".join(lines))
    return fixed


VARIANTS: dict[str, Callable[[str], str | None]] = {
    "retext": lambda t: t,
    "wrap": wrap,
    "wrap_flat": wrap_flat,
    "no_blank": no_blank,
    "blank_between": blank_between,
    "crawl_md": crawl_md,
    "markers": markers,
    "spaces": spaces,
    "nfd_old_tones": nfd_old_tones,
    "ocr_noise": ocr_noise,
}
# Fields whose misread accents no rule can put back (free text): compared without accents.
FOLDED_FIELDS = {"ocr_noise": ("subject", "signer.name")}


# --- comparison ---------------------------------------------------------------


def _names(agencies: list) -> list[str]:
    return [a.name for a in agencies]


def _deadline(task) -> str | None:
    d = task.deadline
    if d is None:
        return None
    return "|".join(str(x) for x in (d.date, d.time, d.recurrence, d.relative) if x)


def header(doc: Document) -> dict[str, object]:
    signer = doc.signer
    return {
        "doc_type": doc.doc_type,
        "number": doc.number,
        "issuer": doc.issuer.name if doc.issuer else None,
        "place": doc.place,
        "issued_date": doc.issued_date,
        "subject": " ".join((doc.subject or "").split()) or None,
        "signer.name": signer.name if signer else None,
        "signer.title": signer.title if signer else None,
        "recipients": _names(doc.recipients),
    }


def _aligned(a: list, b: list) -> list[tuple[int | None, int | None]]:
    """Pairs of task indexes, matched by label sequence (difflib), the rest by position."""
    pairs: list[tuple[int | None, int | None]] = []
    sm = difflib.SequenceMatcher(a=[t.label for t in a], b=[t.label for t in b], autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1):
            pairs.extend(zip(range(i1, i2), range(j1, j2), strict=True))
        else:
            pairs.extend((i, None) for i in range(i1, i2))
            pairs.extend((None, j) for j in range(j1, j2))
    return pairs


def differences(orig: Document, var: Document, folded: tuple[str, ...] = ()) -> list[str]:
    out = []
    h0, h1 = header(orig), header(var)
    for key in h0:
        same = key in folded and fold(str(h0[key])) == fold(str(h1[key]))
        if h0[key] != h1[key] and not same:
            out.append(f"{key}: {h0[key]!r} -> {h1[key]!r}")
    if len(orig.tasks) != len(var.tasks):
        out.append(f"tasks: {len(orig.tasks)} -> {len(var.tasks)}")
    for i, j in _aligned(orig.tasks, var.tasks):
        if i is None or j is None:
            t = orig.tasks[i] if i is not None else var.tasks[j]  # type: ignore[index]
            side = "lost" if j is None else "new"
            out.append(f"task {side} {t.label}: {t.text[:60]!r}")
            continue
        a, b = orig.tasks[i], var.tasks[j]
        for key, get in (
            ("lead", lambda t: _names(t.lead)),
            ("coord", lambda t: _names(t.coordinate)),
            ("deadline", _deadline),
        ):
            if get(a) != get(b):
                out.append(f"task {a.label} {key}: {get(a)!r} -> {get(b)!r}")
    return out


# --- driver -------------------------------------------------------------------


def tune_letters() -> list[Path]:
    with SPLIT.open(encoding="utf-8") as f:
        tune = [r["id"] for r in csv.DictReader(f, delimiter="\t") if r["half"] == "tune"]
    found = []
    for name in tune:
        found.extend(p for p in RAW.glob(f"{name}.*") if p.stem == name)
    return sorted(found)


def _read(file: Path, text: str) -> Document:
    file.write_text(text, encoding="utf-8")
    return vanban.extract(file)


def run(letters: list[Path], variants: list[str], show: bool) -> dict[str, dict[str, int | None]]:
    table: dict[str, dict[str, int | None]] = {}
    with tempfile.TemporaryDirectory(prefix="vanban-inv-") as tmp:
        for path in letters:
            orig = vanban.extract(path)
            base = _read(Path(tmp) / f"{path.stem}--retext.txt", orig.text)
            row: dict[str, int | None] = {}
            for name in variants:
                text = VARIANTS[name](orig.text)
                if text is None:
                    row[name] = None
                    continue
                if name == "retext":
                    diffs = differences(orig, base)
                else:
                    var = _read(Path(tmp) / f"{path.stem}--{name}.txt", text)
                    diffs = differences(base, var, FOLDED_FIELDS.get(name, ()))
                row[name] = len(diffs)
                if show and diffs:
                    print(f"## {path.stem} {name}")
                    for d in diffs:
                        print("   ", d)
            table[path.stem] = row
    return table


def print_table(table: dict[str, dict[str, int | None]], variants: list[str]) -> None:
    width = max(len(v) for v in variants)
    print("letter".ljust(22) + "".join(v[:width].rjust(width + 1) for v in variants))
    totals = dict.fromkeys(variants, 0)
    touched = dict.fromkeys(variants, 0)
    for letter, row in table.items():
        cells = []
        for v in variants:
            n = row.get(v)
            cells.append(("n/a" if n is None else str(n)).rjust(width + 1))
            totals[v] += n or 0
            touched[v] += 1 if n else 0
        print(letter[:21].ljust(22) + "".join(cells))
    print("total diffs".ljust(22) + "".join(str(totals[v]).rjust(width + 1) for v in variants))
    print("letters hit".ljust(22) + "".join(str(touched[v]).rjust(width + 1) for v in variants))
    print(f"all variants: {sum(totals.values())} differences")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--letters", nargs="*", help="letter ids (tune only)")
    ap.add_argument("--variants", nargs="*", choices=list(VARIANTS), default=list(VARIANTS))
    ap.add_argument("--show", action="store_true", help="list each difference")
    ap.add_argument("--seed", type=int, default=0, help="ocr_noise: another draw of misreadings")
    args = ap.parse_args(argv)
    global OCR_SEED
    OCR_SEED = args.seed
    letters = tune_letters()
    if args.letters:
        letters = [p for p in letters if p.stem in set(args.letters)]
    print_table(run(letters, args.variants, args.show), args.variants)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
