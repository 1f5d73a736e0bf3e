"""Compose the extractors into one record per letter.

`extract(loaded)` is the library's entry point: a `LoadedDocument` in, a
`schemas.Document` out. Each step is a pure function of the normalised text
(and of what earlier steps found, such as the issuer for agency context).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

from vanban.extractors import lexicon
from vanban.extractors.agencies import AgencyRegistry
from vanban.extractors.header import Header, extract_header, issuer_unit_text, opens_unit
from vanban.extractors.issuer import issuer_from_signature
from vanban.extractors.ocr_fix import looks_ocr, repair
from vanban.extractors.recipients import extract_cc, extract_recipients, reader_aliases
from vanban.extractors.references import extract_references
from vanban.extractors.signer import extract_signer
from vanban.extractors.tasks import drop_restated, extract_tasks, roles_from_columns
from vanban.extractors.text_utils import fold
from vanban.extractors.tree import Letter, build_letter
from vanban.extractors.visited import is_conclusion_notice, visited_body, with_visited_place
from vanban.pipeline.legacy_encoding import tone_fits
from vanban.pipeline.load import LoadedDocument, display_path
from vanban.pipeline.spelling import dictionary_syllables, token_normalize
from vanban.schemas import Agency, Document, Signer, Source, Task, TextDoc

FindAgencies = Callable[[str, int, int], list[Agency]]

NOT_A_LETTER = "not_a_letter"
NOT_A_LETTER_WARNING = (
    f"{NOT_A_LETTER}: no issuer, document type, number or signer was found: this file "
    "reads as a private note, a draft or something other than an official letter. Check "
    f"it; its tasks, if any, are kept, each with the warning `{NOT_A_LETTER}`."
)

_ISSUER_BY_CODE = {
    "VPCP": "Văn phòng Chính phủ",
    "TTg": "Thủ tướng Chính phủ",
    "CP": "Chính phủ",
}


def doc_id_for(number: str | None, issuer: str | None, date: str | None, text: str) -> str:
    """Stable id: the letter's identity when known, else its content."""
    key = f"{issuer}|{number}|{date}".casefold() if number and issuer and date else text
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=1)
def _folded_names(registry: AgencyRegistry) -> tuple[dict[str, str], dict[str, str]]:
    """Known agency names and place names by their accent-free form (for OCR)."""
    names = {fold(a.name): a.name for a in registry.data.agencies.values()}
    # A province's People's Committee too (`UY BAN NHAN DAN / TINH THANH HOA`).
    names.update({fold(p.committee): p.committee for p in registry.data.provinces.values()})
    places = {fold(p.name): p.name for p in registry.data.provinces.values()}
    return names, places


def _fix_place(place: str | None, registry: AgencyRegistry, ocr: bool) -> str | None:
    """`là Nội` (OCR) → `Hà Nội`: a known place one letter away, never a guess further;
    `Ha Noi` (its marks lost) → `Hà Nội`. A place printed well on a page no OCR read is
    taken as printed (ANNOTATION §2 `place`): `Hải Châu`, a ward, is no misread `Lai Châu`."""
    if not place:
        return place
    _, places = _folded_names(registry)
    key = fold(place)
    if key in places:
        return place if place.casefold() == places[key].casefold() else places[key]
    if not ocr and all(w[:1].isupper() for w in place.split()):
        return place
    near = [
        name
        for k, name in places.items()
        if len(k) == len(key) and sum(a != b for a, b in zip(k, key, strict=True)) == 1
    ]
    return near[0] if len(near) == 1 else place


def _placed_by_unit_above(printed: str, above: str, registry: AgencyRegistry) -> Agency | None:
    """A unit that names no place takes the place the unit above it ends with
    (`ĐẢNG BỘ TỈNH BẮC NINH` / `TỈNH ỦY` is the Tỉnh ủy of Bắc Ninh; ANNOTATION
    §2 `issuer`: the lowest line of the block, as a canonical name)."""
    words = above.split()
    own = registry.canonical(above)
    # Up to the whole unit above: `VĂN PHÒNG` under `UBND THÀNH PHỐ X Y` borrows all five words.
    for k in range(1, len(words) + 1):
        a = registry.canonical(f"{printed} {' '.join(words[-k:])}")
        # Not the unit above itself, found again in the words borrowed from it.
        if a is not None and a.known and (own is None or a.name != own.name):
            return a
    committee = _party_committee(above)
    if committee is not None:
        a = registry.canonical(f"{printed} {committee}")
        return a if a is not None and a.known else None
    return None


def _party_committee(above: str) -> str | None:
    """`ĐẢNG BỘ TỈNH X` → `TỈNH ỦY X`: the Party organisation's committee, whose
    organ the line below names (`BAN THƯỜNG VỤ`; lexicon `party_committees`)."""
    key = fold(above).upper()
    for row in lexicon.rows("party_committees"):
        org = fold(row["organisation"]).upper()
        if key.startswith(org + " "):
            return f"{row['committee']} {above.split(maxsplit=len(org.split()))[-1]}"
    return None


def _unit_after_known(printed: str, found: Agency, registry: AgencyRegistry) -> Agency | None:
    """The lowest unit of an issuer block a crawl flattened into one cell
    (`UBND TỈNH X SỞ Y TẾ TRUNG TÂM KIỂM SOÁT BỆNH TẬT`, `ĐẢNG BỘ TỈNH X TỈNH
    ỦY`): the words after the upper unit's name, when they open a body of
    their own (ANNOTATION §2 `issuer`: the lowest line of the block). Split
    after the known body the whole cell resolves to, when the registry does not
    know the words after it; or, in a cell the registry does not know as a
    whole, where the words after the split name a known body once placed by
    the unit above (`TỈNH ỦY` of `ĐẢNG BỘ TỈNH X`)."""
    words = printed.split()
    for k in range(len(words) - 2, 0, -1):
        rest, upper = " ".join(words[k:]), " ".join(words[:k])
        if not opens_unit(rest):
            continue
        unit = registry.canonical(rest)
        if unit is not None and unit.known:
            continue
        placed = _placed_by_unit_above(rest, upper, registry)
        if found.known:
            head = registry.canonical(upper)
            if head is not None and head.known and head.name == found.name:
                return placed or unit
        elif placed is not None:
            return placed
    return None


def _issuer(
    doc: TextDoc, units: list[tuple[int, int]], registry: AgencyRegistry
) -> tuple[Agency | None, Agency | None]:
    agencies = []
    above = ""
    for s, e in units:
        raw = doc.text[s:e]
        printed = issuer_unit_text(doc.text, (s, e))  # without a motto glued in
        a = registry.canonical(printed)
        if a is not None and not a.known:
            # An unaccented heading (OCR): `TONG CUC THUE` is `Tổng cục Thuế`.
            name = _folded_names(registry)[0].get(fold(printed))
            if name:
                a = registry.canonical(name) or a
        if a is not None and not a.known and above:
            a = _placed_by_unit_above(printed, above, registry) or a
        if a is not None:
            a = _unit_after_known(printed, a, registry) or a
        above = printed
        if a is None:
            continue
        agencies.append(a.model_copy(update={"raw": raw, "span": (s, e)}))
    if not agencies:
        return None, None
    return agencies[-1], (agencies[-2] if len(agencies) > 1 else None)


def _mend_subject(doc: TextDoc, header: Header) -> None:
    """The trích yếu with the words OCR or a typist garbled spelt as the letter prints them
    (ANNOTATION §1: where OCR or a typo garbled a value and the text itself shows the true
    value beyond doubt, the true value is given). On a page that looks OCR'd, any word the
    letter prints far more often in another spelling (`kê hoạch` → `kế hoạch`); on a clean
    page, only a word no Vietnamese syllable spells (`công tac` → `công tác`). A finer test
    for scans (a word the language has replaced only with a mark more, or where its
    neighbouring words print the other spelling) mended a blind letter's `tình hình` but
    lowered the dev `check` subjects, and was taken back."""
    subject = header.subject or ""
    if looks_ocr(doc.metadata, doc.text):
        fixed = repair(doc.text, subject)
    elif all(_spelt_right(w) for w in _LETTERS.findall(subject) if w[1:].islower()):
        return  # nothing to mend (an abbreviation, `UBND`, `TTg`, is no typo), no vocabulary
    else:
        fixed = repair(doc.text, subject, _spelt_right)
    if fixed != subject:
        header.warnings.append(
            f"subject: OCR spelling repaired from the letter's own words ('{subject}')"
        )
        header.subject = fixed


_LETTERS = re.compile(r"[^\W\d_]+")


def _spelt_right(word: str) -> bool:
    """A syllable the dictionary has, or one the language could have (a name's: `Nguyễn`)."""
    return _a_syllable(word) or tone_fits(word)


def extract_text_doc(doc: TextDoc, source: Source, warnings: list[str] | None = None) -> Document:
    registry = AgencyRegistry.default()
    letter = build_letter(doc)
    frame = letter.frame
    header = extract_header(doc, frame)
    if header.subject:
        _mend_subject(doc, header)
    issuer, parent = _issuer(doc, header.issuer_lines, registry)
    if issuer is None and header.number_parts and header.number_parts.issuer_code:
        name = _ISSUER_BY_CODE.get(header.number_parts.issuer_code)
        if name:
            issuer = registry.canonical(name)
    if issuer is None and not header.issuer_lines:
        issuer = issuer_from_signature(doc, frame, registry)  # §6 Stripped header
    if (
        issuer is not None
        and not issuer.known
        and header.number_parts
        and header.number_parts.issuer_code
    ):
        # A garbled issuer line (OCR): the number's issuer code may name it.
        by_code = registry.canonical(header.number_parts.issuer_code)
        if by_code is not None and by_code.known:
            issuer = by_code.model_copy(update={"raw": issuer.raw, "span": issuer.span})
    ctx = registry.context_for(issuer, date=header.issued_date, parent=parent)

    # The rules ask for the same spans again (a clause, then its item): each span is read
    # once per letter; the agencies are never changed in place, the list is copied.
    found: dict[tuple[str, int, int], list[Agency]] = {}

    def find(text: str, s: int, e: int) -> list[Agency]:
        key = (text, s, e)  # the text itself: a string's hash is computed once
        if key not in found:
            found[key] = registry.find(text, s, e, context=ctx)
        return list(found[key])

    recipients = extract_recipients(doc, frame, find)
    doc_id = doc_id_for(
        header.number, issuer.name if issuer else None, header.issued_date, doc.text
    )
    body_start = max(
        frame.body_start,
        header.spans.get("subject", (0, 0))[1],
        max((a.span[1] for a in recipients if a.span), default=0),
    )
    visited = (
        visited_body(
            doc.text, header.spans.get("subject"), (frame.body_start, frame.body_end), find
        )
        if is_conclusion_notice(header.doc_type, header.subject)
        else []
    )
    tasks = _tasks(
        letter,
        body_start,
        find,
        recipients,
        issuer,
        header.issued_date,
        doc_id,
        visited,
        header.doc_type,
    )
    own = [n for n in (header.number,) if n]
    if "number" in header.spans:
        own.append(doc.text[slice(*header.spans["number"])])
    # Documents cited anywhere in the letter and the documents it issues (§2).
    cited_end = max(frame.end, letter.parts[-1].span[1])
    references = extract_references(doc, frame.start, cited_end, own)
    all_warnings = list(warnings or []) + letter.warnings + header.warnings
    signer = extract_signer(doc, frame)
    if _not_a_letter(header.doc_type, header.number, issuer, signer):
        all_warnings.append(NOT_A_LETTER_WARNING)
        tasks = [t.model_copy(update={"warnings": [*t.warnings, NOT_A_LETTER]}) for t in tasks]
    place = _fix_place(header.place, registry, looks_ocr(doc.metadata, doc.text))
    if place != header.place:
        all_warnings.append(
            f"place: the page shows '{header.place}', read as the known place '{place}'"
        )
    record = Document(
        doc_id=doc_id_for(
            header.number, issuer.name if issuer else None, header.issued_date, doc.text
        ),
        source=source,
        text=doc.text,
        doc_type=header.doc_type,
        number=header.number,
        number_parts=header.number_parts,
        issuer=issuer,
        parent_issuer=parent,
        place=place,
        issued_date=header.issued_date,
        subject=header.subject,
        recipients=recipients,
        cc=extract_cc(doc, frame),
        signer=signer,
        references=references,
        tasks=tasks,
        warnings=all_warnings,
        spans=header.spans,
    )
    # The issuer block was read before the letter's date and place were known.
    if ctx.province_id is None and ctx.level == "province_unit":
        # A department's letter whose header names no province (§6 Stripped header):
        # the province its text names, at least twice as often as any other, is its own.
        named = registry.provinces_named(doc.text, header.issued_date).most_common(2)
        if named and (len(named) == 1 or named[0][1] >= 2 * named[1][1]):
            ctx = replace(ctx, province_id=named[0][0])
    record = map_agencies(record, lambda a: registry.identify(a, ctx))
    if not any(_unknown(a) for a in _agencies(record)):
        # `one_spelling` renames only a body the registry does not know: with none, each
        # agency would be given back as it is (issue 16: two letters in three have none).
        return record
    return map_agencies(record, one_spelling(record))


def _unknown(a: Agency) -> bool:
    """A body the registry does not know, named with no code: `one_spelling` may rename it."""
    return a.code is None and not a.known


def one_spelling(doc: Document) -> Callable[[Agency], Agency]:
    """A body the registry does not know, named as the letter prints it best (ANNOTATION
    §4: a unit keeps its name as printed; one body, one name). A scan loses marks far
    more often than it adds them, and reads no syllable Vietnamese lacks on a clean
    page: a name that differs only in accents from a body the registry knows, named in
    the same letter, is that body; else the spelling of it the text prints with the most
    marks (of those printed as often as the name as read at least), then most often
    (`Các Cục: Đương bộ Viêt Nam` above `3. Cục Đường bộ Việt Nam`); then each word of it
    that is no syllable, as the letter prints it elsewhere."""
    folded = ""  # the letter folded, when a name is looked for in it
    known = {fold(a.name): a for a in _agencies(doc) if a.code is None and a.known}
    best: dict[str, Agency | str] = {}
    for a in _agencies(doc):
        if _unknown(a) and a.name not in best:
            same = known.get(fold(a.name))
            if same is None:
                folded = folded or fold(doc.text)
            best[a.name] = same or _best_printed(a.name, doc.text, folded)

    def fix(a: Agency) -> Agency:
        b = best.get(a.name, a.name) if _unknown(a) else a.name
        if isinstance(b, str):
            return a if b == a.name else a.model_copy(update={"name": b})
        update = {"name": b.name, "known": b.known, "id": b.id, "jurisdiction": b.jurisdiction}
        return a.model_copy(update=update)

    return fix


def _best_printed(name: str, text: str, folded: str) -> str:
    """`name`, or the spelling of it the text prints with more marks, as often as `name` at
    least (`one_spelling`);
    then each word of it that is no Vietnamese syllable (the dictionary's: `viêt`, closed
    by `t` with no tone, is none) as the letter prints it most, of its spellings with the
    most marks that are syllables (`Viêt` → `Việt`, `nghiềp` → `nghiệp`)."""
    if len(folded) != len(text) or len(fold(name)) != len(name):
        return name  # offsets of the folded text are not the text's
    printed = _printed(fold(name), text, folded)
    # Not a spelling printed less often than the name as read: on a page that prints the name
    # right twice, the one with a mark more is a slip of the typist (`Phản` for `Phan`).
    printed = {p: n for p, n in printed.items() if n >= printed.get(name, 0)}
    if printed:
        top = max(printed, key=lambda p: (_marks(p), printed[p]))
        name = top if _marks(top) > _marks(name) else name
    words = name.split(" ")
    for i, word in enumerate(words):
        if word.isalpha() and not _a_syllable(word):
            spellings = _printed(fold(word), text, folded)
            alike = {
                w: n
                for w, n in spellings.items()
                if w[:1].isupper() == word[:1].isupper() and _a_syllable(w)
            }
            if alike:
                words[i] = max(alike, key=lambda w: (_marks(w), alike[w]))
    return " ".join(words)


def _a_syllable(word: str) -> bool:
    return token_normalize(word.lower()) in dictionary_syllables()


def _printed(key: str, text: str, folded: str) -> dict[str, int]:
    """How often the text prints each spelling of the words whose folded form is `key`
    (over a line break too: a name printed over two lines)."""
    found: dict[str, int] = {}
    for m in re.finditer(_printed_pattern(key), folded):
        printed = " ".join(text[m.start() : m.end()].split())
        found[printed] = found.get(printed, 0) + 1
    return found


def _printed_pattern(key: str) -> str:
    """The words of `key` as whole words, any blanks between. The first word opens the
    pattern, its look-behind after it (the character before the word is no word's: the
    word holds no line break, which `.` would not take), so that `re` skips at C speed to
    where the word is printed; a look-behind first made it try every position (issue 16)."""
    words = key.split()
    if not words:
        return r"(?<!\w)(?!\w)"
    rest = "".join(r"\s+" + re.escape(w) for w in words[1:])
    return re.escape(words[0]) + rf"(?<!\w.{{{len(words[0])}}})" + rest + r"(?!\w)"


def _agencies(doc: Document) -> list[Agency]:
    found = [a for a in (doc.issuer, doc.parent_issuer) if a is not None] + list(doc.recipients)
    for t in doc.tasks:
        found += [*t.lead, *t.coordinate, *t.report_to, *t.monitor]
    return found


def _marks(name: str) -> int:
    """The accents of a name and the bars of its `đ`: what a scan may lose."""
    decomposed = unicodedata.normalize("NFD", name)
    return sum(1 for c in decomposed if unicodedata.combining(c)) + sum(c in "đĐ" for c in name)


def map_agencies(doc: Document, fn: Callable[[Agency], Agency]) -> Document:
    """`doc` with `fn` applied to every agency it holds: issuer, parent issuer,
    recipients, and each task's lead, coordinate, report_to and monitor."""

    def each(agencies: list[Agency]) -> list[Agency]:
        return [fn(a) for a in agencies]

    tasks = [
        t.model_copy(
            update={
                "lead": each(t.lead),
                "coordinate": each(t.coordinate),
                "report_to": each(t.report_to),
                "monitor": each(t.monitor),
            }
        )
        for t in doc.tasks
    ]
    return doc.model_copy(
        update={
            "issuer": fn(doc.issuer) if doc.issuer else None,
            "parent_issuer": fn(doc.parent_issuer) if doc.parent_issuer else None,
            "recipients": each(doc.recipients),
            "tasks": tasks,
        }
    )


def _not_a_letter(
    doc_type: str | None, number: str | None, issuer: Agency | None, signer: Signer | None
) -> bool:
    """No header (issuer), no type, no number and no signer: a private note, a
    draft or a file of junk rather than an official letter (văn bản hành chính)."""
    signed = signer is not None and bool(signer.name or signer.title)
    return not (doc_type or number or issuer or signed)


def _tasks(
    letter: Letter,
    body_start: int,
    find: FindAgencies,
    recipients: list[Agency],
    issuer: Agency | None,
    doc_date: str | None,
    doc_id: str,
    visited: list[Agency],
    letter_type: str | None = None,
) -> list[Task]:
    """The tasks of every part: the letter's body, then each attachment's (`letter_type`: the
    letter's own doc_type; an attachment has its own)."""
    text = letter.text
    # In a notice of conclusions the level word alone (`với Tỉnh`) is the body met (§3 lead).
    find = with_visited_place(text, find, visited)
    # The same for every part: what the letter calls its readers, and whether it has a task table.
    aliases = reader_aliases(text, letter.frame.start, min(len(text), body_start + 400))
    has_task_table = any(t.is_task_table for t in letter.tables)
    tasks: list[Task] = []
    for i, part in enumerate(letter.parts):
        start = max(part.body[0], body_start) if part.kind == "letter" else part.body[0]
        tasks += extract_tasks(
            text,
            (start, max(start, part.body[1])),
            find,
            recipients=recipients,
            issuer=issuer,
            doc_date=doc_date,
            # Labels restart in each attachment: its tasks get ids of their own.
            doc_id=doc_id if i == 0 else f"{doc_id}:pl{i}",
            aliases=aliases,
            tables=part.tables,
            part=part.title,
            default_lead=visited if i == 0 else None,
            detailed_in_table=has_task_table,
            doc_type=part.doc_type if part.kind != "letter" else letter_type,
        )
    tasks = roles_from_columns(text, letter.tables, find, tasks)
    return _unique_ids(drop_restated(tasks))


def _unique_ids(tasks: list[Task]) -> list[Task]:
    """Two tasks never share an id: a label printed twice (two tables numbered
    from 1 in one part) gets `~2`, `~3` … in the order of the text."""
    seen: dict[str, int] = {}
    out = []
    for t in tasks:
        n = seen.get(t.task_id, 0) + 1
        seen[t.task_id] = n
        out.append(t if n == 1 else t.model_copy(update={"task_id": f"{t.task_id}~{n}"}))
    return out


def extract(loaded: LoadedDocument) -> Document:
    raw = loaded.raw
    source = Source(
        path=display_path(loaded.path),
        format=raw.format,
        sha256=loaded.sha256,
        pages=raw.pages,
        ocr=raw.ocr,
        needs_ocr=raw.needs_ocr,
        metadata=dict(raw.metadata),
        signatures=list(raw.signatures),
    )
    return extract_text_doc(loaded.text_doc(), source, raw.warnings)
