"""The trích yếu as the letter spells it (ANNOTATION §1: where OCR or a typo garbled a value
and the text itself shows the true value beyond doubt, the true value is given; people's names
as read). Each letter is invented for the test: a subject with one garbled word and a body
that prints the word right, or a body word of the same letters that would mislead a count."""

from __future__ import annotations

import pytest

from vanban.pipeline.extract import extract_text_doc
from vanban.pipeline.legacy_encoding import tone_fits
from vanban.pipeline.normalize import normalize
from vanban.schemas import Source, TextDoc

HEAD = """ỦY BAN NHÂN DÂN
TỈNH X
Số: 15/TB-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Thành phố X, ngày 12 tháng 3 năm 2026

THÔNG BÁO
{subject}

"""
FOOT = """
Nơi nhận:
- Như trên;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Lê Văn Hòa
"""
# A province's letter prints `tỉnh` far more often than `tình`: a count of spellings alone
# would read every `tình` as `tỉnh`.
PROVINCE_WORDS = "Ủy ban nhân dân tỉnh, các sở của tỉnh và Công an tỉnh phối hợp. " * 3


def _subject(subject: str, body: str, scanned: bool) -> str | None:
    metadata = {"original_format": "pdf"} if scanned else {}
    text = HEAD.format(subject=subject) + body + FOOT
    source = Source(path="x.txt", format="txt", sha256="0" * 64)
    return extract_text_doc(TextDoc(normalize(text).text, metadata), source).subject


def test_on_a_clean_page_a_word_the_language_has_is_kept_whatever_the_count() -> None:
    body = PROVINCE_WORDS + "Tình hình sạt lở phức tạp. Báo cáo tình hình trước ngày 20/3/2026.\n"
    assert _subject("Về tình hình sạt lở bờ sông", body, False) == "Về tình hình sạt lở bờ sông"
    body = "Các sở bảo đảm an toàn. Công an tỉnh bảo đảm trật tự. Các xã bảo đảm vệ sinh.\n"
    assert _subject("Về việc bảo đầm an toàn", body, False) == "Về việc bảo đầm an toàn"


def test_on_a_scan_a_word_takes_the_spelling_the_letter_prints_far_more_often() -> None:
    body = "Chi cục Thuế thu thuế đúng hạn; nợ thuế được đôn đốc; hoàn thuế kịp thời.\n"
    assert _subject("Về việc thu thuê năm 2026", body, True) == "Về việc thu thuế năm 2026"


def test_a_word_no_syllable_spells_is_mended_on_a_clean_page_too() -> None:
    body = "Chủ tịch chỉ đạo công tác phòng, chống sạt lở và công tác cứu hộ.\n"
    assert _subject("Về công tac phòng, chống sạt lở", body, False) == (
        "Về công tác phòng, chống sạt lở"
    )


def test_a_typo_with_two_spellings_printed_as_often_stays_as_read() -> None:
    body = "Công tác tuyên truyền; điêu khắc, chạm trổ; công tác kiểm tra; tạc tượng, tạc bia.\n"
    assert _subject("Về công tac văn hóa", body, False) == "Về công tac văn hóa"


def test_a_name_on_a_clean_page_is_as_read_even_beside_a_commoner_spelling() -> None:
    body = "Nguyên tắc phân công; kinh phí nguyên vật liệu; giữ nguyên hiện trạng. Nguyên đơn.\n"
    subject = _subject("Kết luận của Chủ tịch Nguyễn Văn Phan", body, False)
    assert subject == "Kết luận của Chủ tịch Nguyễn Văn Phan"


@pytest.mark.parametrize(
    ("word", "fits"),
    [
        ("tác", True),
        ("tạc", True),
        ("tac", False),
        ("tàc", False),
        ("dịch", True),
        ("dich", False),
        ("Nguyễn", True),
        ("thuê", True),
        ("covid", False),
        ("ách", True),
    ],
)
def test_a_syllable_closed_by_a_stop_takes_the_sac_or_nang_tone_only(word: str, fits: bool) -> None:
    assert tone_fits(word) is fits
