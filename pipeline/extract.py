"""Compose the extractors into one record per letter.

`extract(loaded)` is the library's entry point: a `LoadedDocument` in, a
`schemas.Document` out. Each step is a pure function of the normalised text
(and of what earlier steps found, such as the issuer for agency context).
"""

from __future__ import annotations

import hashlib
import re

from extractors.agencies import AgencyContext, AgencyRegistry
from extractors.frame import find_frame
from extractors.header import extract_header
from extractors.recipients import extract_cc, extract_recipients
from extractors.references import extract_references
from extractors.signer import extract_signer
from pipeline.load import LoadedDocument
from schemas import Agency, Document, Source, TextDoc

_ISSUER_BY_CODE = {
    "VPCP": "Văn phòng Chính phủ",
    "TTg": "Thủ tướng Chính phủ",
    "CP": "Chính phủ",
}


def doc_id_for(number: str | None, issuer: str | None, date: str | None, text: str) -> str:
    """Stable id: the letter's identity when known, else its content."""
    if number and issuer and date:
        key = f"{issuer}|{number}|{date}".casefold()
    else:
        key = text
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _issuer(doc: TextDoc, units: list[tuple[int, int]], registry: AgencyRegistry) -> tuple[Agency | None, Agency | None]:
    agencies = []
    for s, e in units:
        raw = doc.text[s:e]
        a = registry.canonical(re.sub(r"\s+", " ", raw))
        if a is None:
            continue
        agencies.append(a.model_copy(update={"raw": raw, "span": (s, e)}))
    if not agencies:
        return None, None
    return agencies[-1], (agencies[-2] if len(agencies) > 1 else None)


def extract_text_doc(doc: TextDoc, source: Source, warnings: list[str] | None = None) -> Document:
    registry = AgencyRegistry.default()
    frame = find_frame(doc)
    header = extract_header(doc, frame)
    issuer, parent = _issuer(doc, header.issuer_lines, registry)
    if issuer is None and header.number_parts and header.number_parts.issuer_code:
        name = _ISSUER_BY_CODE.get(header.number_parts.issuer_code)
        if name:
            issuer = registry.canonical(name)
    if issuer is not None and not issuer.known and header.number_parts and header.number_parts.issuer_code:
        # A garbled issuer line (OCR): the number's issuer code may name it.
        by_code = registry.canonical(header.number_parts.issuer_code)
        if by_code is not None and by_code.known:
            issuer = by_code.model_copy(update={"raw": issuer.raw, "span": issuer.span})
    ctx = AgencyContext(
        issuer=issuer.name if issuer else None,
        issuer_level=None,
        province=None,
        date=header.issued_date,
    )

    def find(text: str, s: int, e: int) -> list[Agency]:
        return registry.find(text, s, e, context=ctx)

    recipients = extract_recipients(doc, frame, find)
    own = [n for n in (header.number,) if n]
    if "number" in header.spans:
        own.append(doc.text[slice(*header.spans["number"])])
    references = extract_references(doc, frame.start, frame.end, own)
    all_warnings = list(warnings or []) + header.warnings
    return Document(
        doc_id=doc_id_for(header.number, issuer.name if issuer else None, header.issued_date, doc.text),
        source=source,
        text=doc.text,
        doc_type=header.doc_type,
        number=header.number,
        number_parts=header.number_parts,
        issuer=issuer,
        parent_issuer=parent,
        place=header.place,
        issued_date=header.issued_date,
        subject=header.subject,
        recipients=recipients,
        cc=extract_cc(doc, frame),
        signer=extract_signer(doc, frame),
        references=references,
        tasks=[],
        warnings=all_warnings,
        spans=header.spans,
    )


def extract(loaded: LoadedDocument) -> Document:
    raw = loaded.raw
    source = Source(
        path=str(loaded.path),
        format=raw.format,  # type: ignore[arg-type]
        sha256=loaded.sha256,
        pages=raw.pages,
        ocr=raw.ocr,
        needs_ocr=raw.needs_ocr,
        metadata=dict(raw.metadata),
        signatures=list(raw.signatures),
    )
    return extract_text_doc(loaded.text_doc(), source, raw.warnings)
