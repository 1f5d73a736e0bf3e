"""The letter's vocabulary that repairs OCR'd words (`ocr_fix.Vocabulary`) folds each distinct
word once, not once for each time it is printed (issue 16)."""

from __future__ import annotations

import pytest

from vanban.extractors import ocr_fix


def test_the_vocabulary_folds_each_distinct_word_once(monkeypatch: pytest.MonkeyPatch) -> None:
    folded: list[str] = []
    real = ocr_fix.fold

    def counted(s: str) -> str:
        folded.append(s)
        return real(s)

    monkeypatch.setattr(ocr_fix, "fold", counted)
    vocab = ocr_fix.Vocabulary("Sở Y tế báo cáo. Sở Y tế kiểm tra. Sở Y tế báo cáo.")
    assert sorted(folded) == sorted(vocab.counts)
    assert vocab.after["so"]["y"] == 3
    assert vocab.by_fold["bao"] == ["báo"]
