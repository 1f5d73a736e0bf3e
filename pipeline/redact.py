"""`--redact`: a record with its personal data masked, every span still valid.

`redact_document(doc)` masks in `doc.text` the phone numbers, e-mail addresses
and contact persons' names that `vanban.extractors.personal` finds: each character
becomes `█` (white space stays), so the text keeps its length and every span
keeps pointing at its value. Every value that quotes a masked stretch — a
task's text, the subject, a deadline's or a cc line's `raw`, warnings,
`source.metadata` — gets the same mask, so `text[start:end]` still shows each
value as printed. `redactions` lists what was masked (kind and span, never
the value).

Kept: the signer (name, title, authority), the signers of the digital
signatures, and the leaders named right after their title, whose words or
duties the letter conveys (`ý kiến chỉ đạo của Phó Thủ tướng Trần Hồng Hà`),
wherever those names appear. Redacting a redacted record changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from vanban.extractors.personal import (
    MASK,
    find_officials,
    find_personal_data,
    find_phones_and_emails,
    has_personal_data,
)
from vanban.schemas import Document, Redaction

Span = tuple[int, int]
# Masking can change what is found next to it (a name whose clause ended at a
# number's full stop); detection is repeated on the masked text until it finds
# nothing new, which makes redacting a redacted record change nothing.
_ROUNDS = 10

# Values that are no quotation of the letter: identifiers, paths, codes.
_NOT_QUOTED = frozenset(
    {
        "schema_version",
        "producer",
        "doc_id",
        "path",
        "sha256",
        "format",
        "copies",
        "duplicate_of",
        "code",
        "kind",
    }
)
_SIGNER_FIELDS = (("name", "name_span"), ("title", "title_span"), ("authority", "authority_span"))


def mask(s: str) -> str:
    """`0912 345 678` → `████ ███ ███`: every character but white space."""
    return "".join(c if c.isspace() else MASK for c in s)


def mask_text(text: str, spans: Iterable[Span]) -> str:
    """`text` with every character of `spans` masked (they may overlap)."""
    out: list[str] = []
    done = 0  # `text[:done]` is in `out`
    for s, e in sorted(spans):
        if e <= done:
            continue
        s = max(s, done)
        out += [text[done:s], mask(text[s:e])]
        done = e
    return "".join([*out, text[done:]]) if out else text


def _occurrences(text: str, value: str) -> list[Span]:
    """Where `value` is printed in `text`, whatever its line breaks and case."""
    words = value.split()
    if not words:
        return []
    # The first letter looked ahead for first: the engine then skips every other position.
    first = "(?=" + re.escape(words[0][0]) + ")"
    pattern = first + r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)"
    return [m.span() for m in re.finditer(pattern, text, re.I)]


def keep_ranges(doc: Document, text: str | None = None) -> list[Span]:
    """What `--redact` leaves in `text` (default `doc.text`): the signer's spans,
    and every place it names the signer, a digital signature's signer or a
    leader after their title."""
    text = doc.text if text is None else text
    keep: list[Span] = []
    names: set[str] = set()
    if doc.signer is not None:
        keep += [
            sp
            for sp in (doc.signer.name_span, doc.signer.title_span, doc.signer.authority_span)
            if sp is not None
        ]
        if doc.signer.name:
            names.add(doc.signer.name)
    names |= {s.signer for s in doc.source.signatures if s.signer}
    for s, e in find_officials(text):
        keep.append((s, e))
        names.add(text[s:e])
    for name in names:
        if len(name.split()) > 1:  # a full name, not a lone word that could be anything
            keep += _occurrences(text, name)
    return sorted(set(keep))


def find_redactions(doc: Document) -> list[Redaction]:
    """What `redact_document` masks in `doc.text`, in order."""
    text = doc.text
    found: list[Redaction] = []
    for _ in range(_ROUNDS):
        if not has_personal_data(text):  # nothing to mask: no names to keep either
            break
        new = find_personal_data(text, keep_ranges(doc, text))
        if not new:
            break
        found += new
        text = mask_text(text, [r.span for r in new])
    return sorted(found, key=lambda r: r.span)


def _mask_pieces(value: str, pieces: Iterable[str]) -> str:
    """`value` with every occurrence of each piece masked (line breaks and case aside)."""
    for piece in sorted(set(pieces), key=len, reverse=True):
        words = piece.split()
        if not words or MASK in piece:
            continue
        pattern = r"\s+".join(map(re.escape, words))
        if words[0][0].isalnum():
            pattern = r"(?<!\w)" + pattern
        if words[-1][-1].isalnum():
            pattern += r"(?!\w)"
        value = re.sub(pattern, lambda m: mask(m.group()), value, flags=re.I)
    return value


def _mask_free(value: str, pieces: Sequence[str]) -> str:
    """A value that quotes no span of the text: what was masked there, and its own phones and e-mails."""
    value = _mask_pieces(value, pieces)
    for _ in range(_ROUNDS):
        own = find_phones_and_emails(value)
        if not own:
            break
        value = mask_text(value, own)
    return value


class _Masker:
    def __init__(self, old: str, new: str, masked: Sequence[Span]) -> None:
        self.old, self.new, self.masked = old, new, masked
        self.pieces = [old[s:e] for s, e in masked]
        self._free: dict[str, str] = {}  # a record repeats its values (agency names, dates)

    def bound(self, value: str, span: Span) -> str:
        """A value printed at `span`: the masked text there, or the masks of what overlaps it."""
        s, e = span
        if value == self.old[s:e]:
            return self.new[s:e]
        inside = [self.old[max(a, s) : min(b, e)] for a, b in self.masked if a < e and b > s]
        return _mask_pieces(value, inside) if inside else value

    def walk(self, node: Any, span: Span | None) -> Any:
        """Mask every string under `node`; `span` is where the enclosing value is printed."""
        if isinstance(node, str):
            return self._string(node, span)
        if isinstance(node, list):
            return [self.walk(v, span) for v in node]
        if not isinstance(node, dict):
            return node
        own = node.get("span")
        if isinstance(own, (tuple, list)) and len(own) == 2:
            span = (own[0], own[1])
        out = {}
        for key, value in node.items():
            # Leaves are handled here, not by a call: a record holds hundreds
            # of numbers and spans, and those calls were most of the walk's time.
            if key in _NOT_QUOTED or key == "span":
                out[key] = value
            elif isinstance(value, str):
                out[key] = self._string(value, span)
            elif isinstance(value, list):
                out[key] = [self.walk(v, span) for v in value]
            elif not isinstance(value, dict):
                out[key] = value
            elif key == "metadata":  # whatever its keys are called
                out[key] = {k: self.walk(v, None) for k, v in value.items()}
            else:
                out[key] = self.walk(value, span)
        return out

    def _string(self, node: str, span: Span | None) -> str:
        if span is not None:
            # Nothing masked in the text: nothing to mask where it is quoted.
            return self.bound(node, span) if self.masked else node
        free = self._free.get(node)
        if free is None:
            free = self._free[node] = _mask_free(node, self.pieces)
        return free


def redact_document(doc: Document) -> Document:
    """A copy of `doc` with phone numbers, e-mail addresses and contact persons' names masked."""
    found = find_redactions(doc)
    spans = [r.span for r in found]
    text = mask_text(doc.text, spans)
    m = _Masker(doc.text, text, spans)
    data = doc.model_dump()
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in _NOT_QUOTED or key in {"text", "spans", "redactions"}:
            out[key] = value
        elif key in doc.spans and isinstance(value, str):
            out[key] = m.bound(value, doc.spans[key])
        elif key == "signer" and value is not None:
            out[key] = {
                f: m.bound(value[f], value[sp])
                if isinstance(value[f], str) and value[sp] is not None
                else m.walk(value[f], None)
                for f, sp in _SIGNER_FIELDS
            } | {sp: value[sp] for _, sp in _SIGNER_FIELDS}
        elif key == "source":
            sigs = value.pop("signatures")
            out[key] = m.walk(value, None) | {
                "signatures": [
                    {k: v if k == "signer" else m.walk(v, None) for k, v in s.items()} for s in sigs
                ]
            }
        else:
            out[key] = m.walk(value, None)
    out["text"] = text
    seen = {(r.kind, r.span) for r in doc.redactions}
    out["redactions"] = sorted(
        [*doc.redactions, *(r for r in found if (r.kind, r.span) not in seen)],
        key=lambda r: (r.span, r.kind),
    )
    return Document.model_validate(out)
