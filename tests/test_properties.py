"""Property tests: no extractor raises on arbitrary text, and every span it
returns lies in the text and shows the value it claims."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.extract import extract_text_doc
from pipeline.normalize import normalize
from schemas import Document, Source, TextDoc

ROOT = Path(__file__).resolve().parent.parent
REAL = (ROOT / "data" / "corpus" / "dev" / "raw" / "000_0284457f90b6ede2.txt").read_text(
    encoding="utf-8"
)

TOKENS = [
    "Số:",
    "V/v",
    "Kính gửi:",
    "Nơi nhận:",
    "ngày",
    "tháng",
    "năm",
    "2026",
    "15/9/2025",
    "16h00",
    "trước",
    "1.",
    "2.",
    "a)",
    "b)",
    "-",
    "+",
    "I.",
    "II.",
    "Điều 2.",
    "(1)",
    "Bộ",
    "Bộ Tài chính",
    "Ủy ban nhân dân",
    "các tỉnh, thành phố",
    "UBND tỉnh Nghệ An",
    "chủ trì",
    "phối hợp với",
    "báo cáo",
    "đề nghị",
    "giao",
    "Quý Cơ quan",
    "./.",
    "Trân trọng",
    "KT. BỘ TRƯỞNG",
    "THỨ TRƯỞNG",
    "Nguyễn Văn An",
    "quý III/2025",
    "hằng tháng",
    "thường xuyên",
    "Cơ quan chủ trì:",
    "Thời gian thực hiện:",
    "“",
    "”",
    "(",
    ")",
    ":",
    ";",
    ",",
    ".",
    "\n",
    "\n\n",
    " ",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "THÔNG BÁO",
    "QUYẾT ĐỊNH",
    "57-NQ/TW",
    "3722/VPCP-CN",
    "TCVN 1:2020",
    "𝔸",
    "\u0301",
    "\x00",
    "é",
]
letters = st.lists(st.sampled_from(TOKENS), max_size=80).map(" ".join)
noise = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)


def _mutate(data: st.DataObject) -> str:
    """A real letter cut, spliced and sprinkled with noise."""
    text = REAL
    for _ in range(data.draw(st.integers(0, 4))):
        i = data.draw(st.integers(0, len(text)))
        j = data.draw(st.integers(i, min(len(text), i + 300)))
        text = text[:i] + data.draw(st.one_of(noise, letters)) + text[j:]
    return text


def _check(raw: str) -> None:
    text = normalize(raw).text
    doc = extract_text_doc(TextDoc(text), Source(path="p.txt", format="txt", sha256="0" * 64))
    assert isinstance(doc, Document)
    n = len(doc.text)
    spans: list[tuple[tuple[int, int], str | None]] = [(sp, None) for sp in doc.spans.values()]
    for a in [doc.issuer, doc.parent_issuer, *doc.recipients]:
        if a is not None and a.span is not None:
            spans.append((a.span, a.raw))
    spans += [(c.span, c.raw) for c in doc.cc] + [(r.span, r.raw) for r in doc.references]
    for t in doc.tasks:
        spans.append((t.span, t.text))
        spans += [
            (a.span, a.raw) for a in [*t.lead, *t.coordinate, *t.report_to] if a.span is not None
        ]
        if t.deadline is not None:
            spans.append((t.deadline.span, t.deadline.raw))
    if doc.signer is not None:
        spans += [
            (sp, None)
            for sp in (doc.signer.name_span, doc.signer.title_span, doc.signer.authority_span)
            if sp
        ]
    for (s, e), printed in spans:
        assert 0 <= s <= e <= n
        if printed is not None:
            assert doc.text[s:e] == printed


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(letters, noise))
def test_extractors_never_raise_and_spans_are_valid_on_arbitrary_text(raw: str) -> None:
    _check(raw)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_extractors_never_raise_on_mutated_real_letters(data: st.DataObject) -> None:
    _check(_mutate(data))


@settings(max_examples=150, deadline=None)
@given(noise)
def test_normalised_text_maps_back_into_the_source(raw: str) -> None:
    out = normalize(raw)
    assert len(out.to_source) == len(out.text)
    assert all(0 <= i <= len(raw) for i in out.to_source)
