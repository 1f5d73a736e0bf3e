"""Crawl noise repaired at normalisation (`pipeline/crawl_noise.py`).

The letters here are invented; only the last test reads the corpus, to check
that no line of a real letter is lost with the page around it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import budget, within
from vanban.pipeline.crawl_noise import _RUN, _fragments, _runs, join_spaced_letters
from vanban.pipeline.evaluate_text import normalize as fold
from vanban.pipeline.legacy_encoding import syllable_piece
from vanban.pipeline.load import load
from vanban.pipeline.normalize import Normalized, _Rewriter, normalize

DEV = Path(__file__).resolve().parent.parent / "data" / "corpus" / "dev"


def _maps_back(raw: str, out: Normalized) -> None:
    """Each character has a source offset in range, in order, and an ASCII
    letter or digit sits at its own offset."""
    assert len(out.to_source) == len(out.text)
    assert all(0 <= i < max(len(raw), 1) for i in out.to_source)
    assert list(out.to_source) == sorted(out.to_source)
    for ch, src in zip(out.text, out.to_source, strict=True):
        if ch.isascii() and ch.isalnum():
            assert raw[src] == ch


# -- 1. bold markers inside a word or a number ------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Đà Lạt, ngày 04 tháng 1**1** năm 2025", "Đà Lạt, ngày 04 tháng 11 năm 2025"),
        ("đẩy mạnh phối **tr**ộn phân bón", "đẩy mạnh phối trộn phân bón"),
        ("Kính g****ửi****: Sở Xây dựng", "Kính gửi: Sở Xây dựng"),
        # a space inside the span before its closing stars, then punctuation
        ("gửi báo cáo **trước ngày 20/12/2025 **.", "gửi báo cáo trước ngày 20/12/2025."),
        ("**trước ngày 20/12/2025 **; đồng thời", "trước ngày 20/12/2025; đồng thời"),
        # stars between an item marker and its text, between two words, a word and a number
        ("**1.****Sở Tài chính** chủ trì", "1. Sở Tài chính chủ trì"),
        ("khu vực Tây Nguyên****Sở Y tế đề nghị", "khu vực Tây Nguyên Sở Y tế đề nghị"),
        ("hoàn thành trước ngày**15/01/2026**", "hoàn thành trước ngày 15/01/2026"),
        # a space kept where the words had one
        ("trước ngày **26/11/2025 **để tổng hợp", "trước ngày 26/11/2025 để tổng hợp"),
    ],
)
def test_bold_markers_inside_words_and_numbers(raw: str, expected: str) -> None:
    out = normalize(raw)
    assert out.text == expected
    _maps_back(raw, out)


# -- 2. a bold heading split over two lines ------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "**4. Sở Nông\nnghiệp và Môi trường**\nChủ trì kiểm tra đê điều.",
            "4. Sở Nông nghiệp và Môi trường\nChủ trì kiểm tra đê điều.",
        ),
        ("**II. NHIỆM VỤ\nCỤ THỂ**\n1. Sở Công Thương", "II. NHIỆM VỤ CỤ THỂ\n1. Sở Công Thương"),
        ("**KT. GIÁM ĐỐC,\nPHÓ GIÁM ĐỐC**\nLê Văn Hòa", "KT. GIÁM ĐỐC, PHÓ GIÁM ĐỐC\nLê Văn Hòa"),
        # stars glued inside the first word do not hide the span
        ("**V****Ă****N PHÒNG\nỦY BAN NHÂN DÂN TỈNH**", "VĂN PHÒNG ỦY BAN NHÂN DÂN TỈNH"),
    ],
)
def test_bold_heading_wrapped_over_two_lines_is_one_line(raw: str, expected: str) -> None:
    out = normalize(raw)
    assert out.text == expected
    _maps_back(raw, out)


@pytest.mark.parametrize(
    "raw",
    [
        "**Nơi nhận:\n- Như trên;**",  # a label, then an item
        "**1. Mục tiêu\n2. Nhiệm vụ**",  # two items in one span
        "**Căn cứ Luật Đê điều.\nTheo đề nghị của Sở Tư pháp**",  # a sentence ended
        "**2.\nCác sở, ban, ngành**",  # a marker alone: the task tree reads it so
    ],
)
def test_bold_span_over_separate_lines_stays_two_lines(raw: str) -> None:
    assert normalize(raw).text.count("\n") == 1


# -- 3. letters spaced out inside words ----------------------------------------------

SPACED = (
    "ỦY B AN NHÂN D Â N T HÀNH P HỐ ĐÀ NẴNG\n"
    "V Ă N PHÒNG\n"
    "Số: 21/UBND-KT\n"
    "T hành phố Đà Nẵng, ngày 02 tháng 3 năm 2025\n"
    "Kính gửi: Bộ Y tế\n"
    "Về dự toán ngân sách trung ươ n g năm 2026, Ủy ban nhân dân thành phố đề nghị "
    "Sở Y tế báo cáo trước ngày 15/3/2025.\n"
    "Nơi nhận: - Nh ư tr ê n; - Bộ tr ưở n g (để báo cáo); - Lưu: VT.\n"
)


def test_spaced_letters_join_into_words() -> None:
    text = normalize(SPACED).text
    assert text.startswith("ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG\nVĂN PHÒNG\n")
    assert "Thành phố Đà Nẵng, ngày 02" in text
    assert "ngân sách trung ương năm 2026" in text
    assert "Nơi nhận: - Như trên; - Bộ trưởng (để báo cáo)" in text
    assert "Kính gửi: Bộ Y tế" in text  # `Y` and `tế` are words: never joined


def test_joined_word_keeps_each_letters_source_offset() -> None:
    out = normalize(SPACED)
    _maps_back(SPACED, out)
    start = out.text.index("BAN")
    assert [SPACED[out.to_source[start + k]] for k in range(3)] == ["B", "A", "N"]
    s, e = out.source_span(start, start + 3)
    assert SPACED[s:e] == "B AN"


@pytest.mark.parametrize(
    "raw",
    [
        # a lone letter before a word, in a letter with no spaced-out word
        "Các xã thuộc Phụ lục B ưu tiên bố trí vốn theo điểm b an toàn hồ đập.",
        "Bộ Y tế, Bộ Công an và Sở Y tế tỉnh.",
        "Ông Ngu y ễn",  # all three are syllables alone: never joined
    ],
)
def test_real_words_are_not_joined(raw: str) -> None:
    assert normalize(raw).text == raw


# What the join is tried on: a letter's words and their fragments, each judged once.

SYLLABLES = ["nghiêng", "trưởng", "ương", "khuyên", "quyết", "gì", "Đoàn", "ỦY", "hoà", "yêu"]


@pytest.mark.parametrize("syllable", SYLLABLES)
def test_every_piece_of_a_syllable_can_be_a_part_of_a_join(syllable: str) -> None:
    pieces = {syllable[i:j] for i in range(len(syllable)) for j in range(i + 1, len(syllable) + 1)}
    assert all(syllable_piece(p) for p in pieces)


@pytest.mark.parametrize("abbreviation", ["UBND", "vn", "TTg", "KT", "CP", "https", "HĐND"])
def test_abbreviations_are_no_piece_of_any_syllable(abbreviation: str) -> None:
    assert not syllable_piece(abbreviation)


def test_spaced_letters_beside_abbreviations_still_join() -> None:
    raw = "UBND tỉnh, Bộ tr ưở n g VT và KT, Nh ư tr ê n, QĐ-TTg."
    assert normalize(raw).text == "UBND tỉnh, Bộ trưởng VT và KT, Như trên, QĐ-TTg."


@given(raw=st.text(alphabet="ab1_ ơư\u0301Σ²ⅣĐ\t\u00a0\n-", max_size=60))
@budget(80)
def test_fragments_of_the_distinct_words_are_the_fragments_of_the_text(raw: str) -> None:
    assert _fragments(set(re.findall(r"\w+", raw))) == set(re.findall(r"[^\W\d_]+", raw))


@given(
    raw=st.lists(
        st.sampled_from(
            [
                "tr",
                "ưở",
                "n",
                "g",
                "B",
                "AN",
                "UBND",
                "Nh",
                "ư",
                "ê",
                " ",
                " ",
                "\t",
                ",",
                "1",
                "\n",
            ]
        ),
        max_size=40,
    ).map("".join)
)
@budget(80)
def test_join_reads_the_same_from_the_callers_words(raw: str) -> None:
    alone, given_words = _Rewriter(raw), _Rewriter(raw)
    join_spaced_letters(alone)
    join_spaced_letters(given_words, set(re.findall(r"\w+", raw)))
    assert (given_words.text, list(given_words.map)) == (alone.text, list(alone.map))


@given(
    raw=st.text(alphabet="ab\u01b0T\u1edf ng\t\u00a0\n1,", max_size=60),
    odd=st.sets(st.sampled_from(["b", "T", "ng", "\u01b0", "Tb"]), min_size=1),
)
@budget(80)
def test_runs_read_in_the_lines_of_odd_words_are_those_of_the_whole_text(
    raw: str, odd: set[str]
) -> None:
    """Runs are looked for only in the lines that hold an odd word: the same runs, at
    the same offsets, as a read of every run of the text finds."""
    expected = []
    for m in _RUN.finditer(raw):
        words = m.group(0).split()
        if _may_join(words, odd):
            ends = [
                m.start() + sum(len(w) + 1 for w in words[: k + 1]) - 1 for k in range(len(words))
            ]
            expected.append((ends, words))
    assert list(_runs(raw, odd)) == expected


def _may_join(words: list[str], odd: set[str]) -> bool:
    """An odd word with a word beside it, at most 7 letters the two."""
    return any(
        w in odd
        and any(0 <= j < len(words) and len(words[j]) + len(w) <= 7 for j in (k - 1, k + 1))
        for k, w in enumerate(words)
    )


# -- 4. the web page around the letter -----------------------------------------------

PAGE = """\
Bản quyền © 2025 Cổng văn bản mẫu. Mọi quyền được bảo lưu.
[Trang chủ](https://vanban.example/) | [Văn bản mới](https://vanban.example/moi)
[Tra cứu](https://vanban.example/tra-cuu)
Đang tải văn bản...
| **Số hiệu:** | 15/UBND-VX |
| **Loại văn bản:** | Công văn |
| **Nơi ban hành:** | Tỉnh An Phú |
| **Người ký:** | Trần Văn Bình |
| **Ngày ban hành:** | 03/03/2025 |
| **Tình trạng:** | Còn hiệu lực |

| **ỦY BAN NHÂN DÂN TỈNH AN PHÚ** | **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc |
Số: 15/UBND-VX
Kính gửi: Sở Giáo dục và Đào tạo
1. Sở Giáo dục và Đào tạo rà soát trường lớp bị hư hỏng, báo cáo trước ngày 30/3/2025.
2. Sở Y tế phối hợp kiểm tra bếp ăn tại [các trường](https://vanban.example/dstruong) nội trú.
Nơi nhận:
- Như trên;
- Lưu: VT.
CHỦ TỊCH
Trần Văn Bình

## Văn bản liên quan
Ban hành:
01/01/2025
Hiệu lực: Còn hiệu lực
Tình trạng: Đã biết
Cập nhật:
02/01/2025
**THÔNG BÁO**
Kính gửi: Quý thành viên,
Vui lòng đăng nhập để tiếp tục sử dụng.
© 2025 Cổng văn bản mẫu
"""

LETTER_LINES = [
    "ỦY BAN NHÂN DÂN TỈNH AN PHÚ",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Số: 15/UBND-VX",
    "Kính gửi: Sở Giáo dục và Đào tạo",
    "1. Sở Giáo dục và Đào tạo rà soát trường lớp bị hư hỏng, báo cáo trước ngày 30/3/2025.",
    "2. Sở Y tế phối hợp kiểm tra bếp ăn tại các trường nội trú.",
    "Nơi nhận:",
    "CHỦ TỊCH\nTrần Văn Bình",
]


def test_page_around_the_letter_goes_and_the_letter_stays() -> None:
    out = normalize(PAGE)
    for line in LETTER_LINES:
        assert line in out.text
    for chrome in ("Bản quyền", "©", "Trang chủ", "Tra cứu", "Đang tải", "Số hiệu", "Người ký"):
        assert chrome not in out.text
    # the site's own notice after the related documents reads like a letter
    assert "Quý thành viên" not in out.text and "Cập nhật" not in out.text
    assert out.text.startswith("ỦY BAN NHÂN DÂN TỈNH AN PHÚ")
    assert out.text.count("Trần Văn Bình") == 1  # the signature, not the table's `Người ký`
    _maps_back(PAGE, out)
    start = out.text.index("Sở Y tế phối hợp")
    s, e = out.source_span(start, start + len("Sở Y tế phối hợp"))
    assert PAGE[s:e] == "Sở Y tế phối hợp"


def test_a_motto_broken_over_two_lines_is_no_motto_line() -> None:
    # `Độc lập` / `- Tự do` holds the motto in no one line: the menu before the real
    # motto line, two lines of links, goes; a lone link line after the motto stays.
    raw = (
        "Độc lập\n- Tự do\n[Trang chủ](https://a.vn/)\n[Tra cứu](https://a.vn/t)\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Xem [văn bản](https://a.vn/v) tại www.a.vn\nKính gửi: Sở Y tế\n"
    )
    assert normalize(raw).text == (
        "Độc lập\n- Tự do\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Xem văn bản tại www.a.vn\nKính gửi: Sở Y tế"
    )


def test_copyright_shapes_inside_a_letter_stay() -> None:
    raw = (
        "© 2024 Trang thông tin mẫu\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n"
        "©) Bộ Công an chủ trì xử lý vi phạm bản quyền trước năm 2026.\n"
        "Bản quyền tác giả được bảo hộ theo quy định.\n"
        "d) Các bộ, ngành phối hợp thực hiện.\n"
        "Nơi nhận: như trên.\n"
        "Lưu: VT.\n"
        "Copyright © 2024 Trang thông tin mẫu\n"
    )
    text = normalize(raw).text
    assert text.startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert "©) Bộ Công an chủ trì xử lý vi phạm bản quyền trước năm 2026." in text
    assert "Bản quyền tác giả được bảo hộ theo quy định." in text
    assert "Copyright" not in text


def test_metadata_table_in_a_page_without_motto_goes_alone() -> None:
    raw = (
        "Hướng dẫn thu gom rác thải\n"
        "Số hiệu: 7/HD-SNN\nLoại văn bản: Hướng dẫn\nNgười ký: Lê Thị Hạnh\n"
        "Các xã thu gom rác thải trước ngày 10/4/2025.\n"
    )
    assert normalize(raw).text == (
        "Hướng dẫn thu gom rác thải\nCác xã thu gom rác thải trước ngày 10/4/2025."
    )


def test_a_letters_own_labels_are_no_metadata_table() -> None:
    raw = (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Tình trạng: công trình xuống cấp.\n"
        "Đề nghị Sở Xây dựng kiểm tra.\n"
        "Hiệu lực: kể từ ngày ký.\n"
    )
    assert normalize(raw).text == raw.strip()


def test_corpus_letters_keep_every_gold_task() -> None:
    """No line of a real letter goes with the page: each gold task's first
    eight words are still in the normalised text of every crawled letter."""
    missing = []
    for gold_file in sorted((DEV / "gold").glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        source = DEV / "raw" / gold["source"]
        if source.suffix != ".txt" or not source.exists():
            continue
        text = fold(load(source).normalized.text)
        for task in gold.get("tasks", []):
            # gold copies a few tasks with the page's markup left in
            head = " ".join(fold(re.sub(r"[*|]", " ", task["text"])).split()[:8])
            if head not in text:
                missing.append(f"{gold['source']} {task.get('label')}: {head}")
    assert not missing, "\n".join(missing)


# -- properties: offsets in range, and linear time ------------------------------------

PIECES = [
    "*",
    "**",
    "****",
    " ",
    "\n",
    "|",
    ".",
    ":",
    "B",
    "AN",
    "ươ",
    "n",
    "g",
    "T",
    "hành",
    "tr",
    "ê",
    "Bộ",
    "1",
    "[",
    "](",
    ")",
    "](https://a.example/b)",
    "![",
    "http://x.example",
    "Số hiệu:",
    "Người ký:",
    "Tình trạng:",
    "Ngày ban hành:",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "© 2025",
    "Bản quyền",
    "\u00a0",
    "\u0301",
]
crawls = st.lists(st.sampled_from(PIECES), max_size=120).map("".join)


@given(raw=crawls)
@budget(80)
def test_crawl_noise_keeps_every_char_mapped_to_its_source(raw: str) -> None:
    _maps_back(raw, normalize(raw))


@given(raw=st.text(max_size=400))
@budget(40)
def test_any_text_maps_into_its_source(raw: str) -> None:
    out = normalize(raw)
    assert len(out.to_source) == len(out.text)
    assert all(0 <= i < max(len(raw), 1) for i in out.to_source)


@pytest.mark.parametrize(
    "raw",
    [
        "* " * 10_000,
        "*" * 20_000,
        "** " * 6_667,
        "." + "*" * 20_000 + " ",
        " " * 20_000 + "**.",
        "a*" * 10_000,
        "a " * 10_000,
        "B A N " * 3_334,
        "[a](" * 5_000,
        "[" * 20_000,
        "**x\n" * 5_000,
        "Số hiệu:\n" * 2_500,
    ],
)
def test_long_lines_of_noise_normalise_in_linear_time(raw: str) -> None:
    with within(3, "normalize"):
        out = normalize(raw)
    assert len(out.to_source) == len(out.text)


_SIGNED_LETTER = (
    "ỦY BAN NHÂN DÂN XÃ AN PHÚ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\nSố: 21/KH-UBND\n"
    "1. Công an xã tăng cường tuần tra trong dịp Tết.\nTrân trọng./.\n"
    "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nCHỦ TỊCH\nLê Văn Bình\n"
)


def test_site_list_of_other_documents_closing_the_page_goes() -> None:
    listing = (
        "Các văn bản khác:\n"
        "- Kế hoạch 09/KH-UBND tổ chức Lễ hội xuân năm 2026 (12/01/2026)\n"
        "- Thông báo 11/TB-UBND lịch tiếp công dân tháng 02/2026 (15/01/2026)\n"
    )
    news = (
        "Tin cùng chuyên mục:\n"
        "- Hội nghị tổng kết công tác dân vận năm 2025 (29/12/2025)\n"
        "- Xã An Phú ra quân làm sạch môi trường (20/12/2025)\n"
    )
    for tail in (listing, news):
        text = normalize(_SIGNED_LETTER + "\n" + tail).text
        assert text.endswith("Nơi nhận:\n- Như trên;\n- Lưu: VT.\nCHỦ TỊCH\nLê Văn Bình")


def test_site_heading_over_links_to_other_documents_goes() -> None:
    # `Văn bản liên quan: [A](…) · [B](…)` on one line: the site's links to other pages.
    related = (
        "**Văn bản liên quan:** [Kế hoạch 09/KH-UBND tổ chức Lễ hội xuân](https://x.vn/kh-09)"
        " · [Thông báo 11/TB-UBND](https://x.vn/tb-11)\n"
    )
    text = normalize(_SIGNED_LETTER + "\n" + related).text
    assert text.endswith("CHỦ TỊCH\nLê Văn Bình")
    # One link after a label is the letter's own (`Chi tiết tại: [Cổng …](…)`).
    one = "Chi tiết xem tại: [Kế hoạch 09/KH-UBND](https://x.vn/kh-09)\n"
    assert "09/KH-UBND" in normalize(_SIGNED_LETTER + one).text


def test_site_heading_on_its_own_line_over_link_lines_goes_with_them() -> None:
    # `**Văn bản liên quan:**` alone, then one link a bullet: the heading is the list's.
    related = (
        "**Văn bản liên quan:**\n\n"
        "- [Kế hoạch 09/KH-UBND tổ chức Lễ hội xuân](https://x.vn/kh-09)\n"
        "- [Thông báo 11/TB-UBND](https://x.vn/tb-11)\n"
    )
    text = normalize(_SIGNED_LETTER + "\n" + related).text
    assert "liên quan" not in text
    assert text.rstrip().endswith("CHỦ TỊCH\nLê Văn Bình")
    # A heading over one link line is the letter's own (`Chi tiết xem tại:` / `[Cổng …](…)`).
    one = "Chi tiết xem tại:\n[Kế hoạch 09/KH-UBND](https://x.vn/kh-09)\n"
    assert "Chi tiết xem tại:" in normalize(_SIGNED_LETTER + one).text


def test_site_bold_heading_over_a_single_link_line_goes_with_it() -> None:
    # `**Văn bản liên quan**` (bold, no colon) over one linked entry: the site's list of one
    # other page (ANNOTATION §3: a site's text gives no field; §2 references: numbers cited in
    # the letter), so its number is no reference of the letter.
    related = (
        "\n---\n\n**Văn bản liên quan**\n\n"
        "- [Quyết định 41/QĐ-UBND phê duyệt danh mục dự án](https://x.vn/qd-41)\n\n"
        "© Cơ sở dữ liệu văn bản.\n"
    )
    text = normalize(_SIGNED_LETTER + related).text
    assert "41/QĐ-UBND" not in text and "liên quan" not in text


def test_a_letters_own_list_of_documents_stays() -> None:
    # One entry is no listing; entries without their date in brackets are the letter's own.
    one = "Tài liệu kèm theo:\n- Kế hoạch 09/KH-UBND tổ chức Lễ hội (12/01/2026)\n"
    cited = (
        "Căn cứ:\n- Kế hoạch 09/KH-UBND ngày 12/01/2026;\n- Thông báo 11/TB-UBND ngày 15/01/2026.\n"
    )
    assert "09/KH-UBND" in normalize(_SIGNED_LETTER + one).text
    assert "11/TB-UBND" in normalize(_SIGNED_LETTER + cited).text
