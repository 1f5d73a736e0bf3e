"""Property tests: no extractor raises on arbitrary text, and every span it
returns lies in the text and shows the value it claims.

Budgets: the Hypothesis profile (`tests/conftest.py`; `make fuzz` runs these
longer). The file's metadata (title, file name, OCR flag) is drawn too, so the
extractors that read it (`metadata_hints`, `ocr_fix`) run as well.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import budget
from vanban.extractors.personal import find_officials, find_personal_data
from vanban.pipeline.extract import extract_text_doc
from vanban.pipeline.normalize import normalize
from vanban.schemas import Document, Source, TextDoc

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


@st.composite
def mutated_letters(draw: st.DrawFn) -> str:
    """A real letter cut, spliced and sprinkled with noise."""
    text = REAL
    for _ in range(draw(st.integers(0, 4))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 300)))
        text = text[:i] + draw(st.one_of(noise, letters)) + text[j:]
    return text


# What a file may say about itself: a title with a number and a date
# (`CV 4302 05112018 TCT`), a file name, that OCR read it.
metadata = st.fixed_dictionaries(
    {},
    optional={
        "title": st.one_of(
            st.sampled_from(
                ["CV 4302 05112018 TCT", "1770 TCT 05052020", "QĐ 729 23042026", "Thông báo"]
            ),
            st.text(max_size=40),
        ),
        "file_name": st.sampled_from(["qd_729_ttg.pdf", "cv-3722-vpcp.docx", "x.txt", ".pdf"]),
        "ocr": st.sampled_from(["true", "false"]),
        "original_format": st.sampled_from(["pdf", "image", "scan", "docx"]),
    },
)


def _check(raw: str, meta: dict[str, str] | None = None) -> None:
    text = normalize(raw).text
    doc = extract_text_doc(
        TextDoc(text, dict(meta or {})), Source(path="p.txt", format="txt", sha256="0" * 64)
    )
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


@given(raw=st.one_of(letters, noise), meta=metadata)
@budget(150)
def test_extractors_never_raise_and_spans_are_valid_on_arbitrary_text(
    raw: str, meta: dict[str, str]
) -> None:
    _check(raw, meta)


@given(raw=mutated_letters(), meta=metadata)
@budget(60)
def test_extractors_never_raise_on_mutated_real_letters(raw: str, meta: dict[str, str]) -> None:
    _check(raw, meta)


@given(noise)
@budget(150)
def test_normalised_text_maps_back_into_the_source(raw: str) -> None:
    out = normalize(raw)
    assert len(out.to_source) == len(out.text)
    assert all(0 <= i <= len(raw) for i in out.to_source)


@given(raw=st.one_of(letters, noise, mutated_letters()))
@budget(60)
def test_personal_data_spans_are_ordered_and_inside_the_text(raw: str) -> None:
    text = normalize(raw).text
    officials = find_officials(text)
    found = find_personal_data(text, keep=officials)
    assert all(0 <= s < e <= len(text) for s, e in officials)
    assert all(0 <= r.span[0] < r.span[1] <= len(text) for r in found)
    assert [r.span for r in found] == sorted(r.span for r in found)
