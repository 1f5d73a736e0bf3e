"""Task cases of ANNOTATION.md §3 (segmentation rules 1-10, lead, coordinate, deadline), the agency
forms of §4 that decide a lead or a coordinate, and the clarifications of §6, one behaviour a row.

The table is `tests/task_cases.tsv` (its comment header explains the columns and the task spec).
Each row is a short letter fragment written for the guideline (invented content, in the genre);
the test puts one of the headers below around it, saves it as a `.txt` file and reads it end to end
through `load` and `extract` (`tests.task_letters.extract_file`), then compares the document's
tasks with the row's spec: their number, and for each expected task the predicted task whose text
holds its words, with its `lead` and `coordinate` (as sets, by the agency comparison of the scorer,
§2) and its `deadline`.

A row whose behaviour the code does not have yet has `status` `gap`: it runs as a strict xfail
naming the rule, so the test fails (XPASS) as soon as the behaviour is fixed — then flip the row
to `ok`. Never weaken a row to make it pass.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.task_letters import extract_file, names
from vanban.pipeline.evaluate_text import agencies_match, agency_key, match_sets, normalize
from vanban.schemas import Document, Task

HERE = Path(__file__).resolve().parent
TABLE = HERE / "task_cases.tsv"

# -- headers (`header` column): (text before the row's letter, text after it) ----------------

_STATE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"

_SIGN_UBND = """
Nơi nhận:
- Như trên;
- Lưu: VT, TH.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Nguyễn Hữu Phước
"""

_SIGN_BO = """
Nơi nhận:
- Như trên;
- Lưu: VT, VP.
KT. BỘ TRƯỞNG
THỨ TRƯỞNG

Đặng Minh Tuấn
"""

_SIGN_VPCP = """
Nơi nhận:
- Thủ tướng, các Phó Thủ tướng Chính phủ;
- Các Bộ, cơ quan ngang Bộ;
- Lưu: VT, KTTH.
KT. BỘ TRƯỞNG, CHỦ NHIỆM
PHÓ CHỦ NHIỆM

Lê Minh Khoa
"""

HEADERS: dict[str, tuple[str, str]] = {
    # A province's letter after July 2025 (no district level): `địa phương` is `@cap-xa`.
    # Issuer `Ủy ban nhân dân tỉnh Hà Tĩnh`; recipients `@so-nganh`, `@cap-xa`; 14/10/2025.
    "tinh": (
        "ỦY BAN NHÂN DÂN\nTỈNH HÀ TĨNH\n" + _STATE + "Số: 3051/UBND-TH\n"
        "V/v triển khai một số nhiệm vụ trọng tâm\nHà Tĩnh, ngày 14 tháng 10 năm 2025\n\n"
        "Kính gửi:\n- Các sở, ban, ngành cấp tỉnh;\n- Ủy ban nhân dân các xã, phường.\n\n",
        _SIGN_UBND,
    ),
    # A province's letter before July 2025: `địa phương` is `@cap-huyen`.
    # Issuer `Ủy ban nhân dân tỉnh Lào Cai`; recipients `@so-nganh`, `@cap-huyen`; 15/4/2024.
    "tinh2024": (
        "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\n" + _STATE + "Số: 1187/UBND-TH\n"
        "V/v triển khai một số nhiệm vụ trọng tâm\nLào Cai, ngày 15 tháng 4 năm 2024\n\n"
        "Kính gửi:\n- Các sở, ban, ngành tỉnh;\n- Ủy ban nhân dân các huyện, thị xã, thành phố.\n\n",
        _SIGN_UBND,
    ),
    # A ministry's letter. Issuer `Bộ Khoa học và Công nghệ`; recipients `@bo-nganh`,
    # `@dia-phuong`; 10/3/2026.
    "bo": (
        "BỘ KHOA HỌC VÀ CÔNG NGHỆ\n" + _STATE + "Số: 812/BKHCN-VP\n"
        "V/v triển khai nhiệm vụ khoa học, công nghệ và đổi mới sáng tạo\n"
        "Hà Nội, ngày 10 tháng 3 năm 2026\n\n"
        "Kính gửi:\n- Các Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ;\n"
        "- Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.\n\n",
        _SIGN_BO,
    ),
    # A ministry's letter to two named ministries (`Quý Cơ quan`). Issuer `Bộ Tư pháp`;
    # recipients `Bộ Tài chính`, `Bộ Xây dựng`; 02/02/2026.
    # A ministry's letter to one of its departments and to the same department of two named
    # provinces (`Sở Xây dựng tỉnh Gia Lai`, `Sở Xây dựng tỉnh Đắk Lắk`); 12/01/2026.
    "bo-so": (
        "BỘ XÂY DỰNG\n" + _STATE + "Số: 210/BXD-VT\n"
        "V/v bảo đảm giao thông dịp Tết\nHà Nội, ngày 12 tháng 01 năm 2026\n\n"
        "Kính gửi:\n- Cục Đường bộ Việt Nam;\n"
        "- Sở Xây dựng các tỉnh: Gia Lai, Đắk Lắk.\n\n",
        _SIGN_BO,
    ),
    "named": (
        "BỘ TƯ PHÁP\n" + _STATE + "Số: 415/BTP-VĐCXDPL\n"
        "V/v góp ý dự thảo văn bản quy phạm pháp luật\nHà Nội, ngày 02 tháng 02 năm 2026\n\n"
        "Kính gửi:\n- Bộ Tài chính;\n- Bộ Xây dựng.\n\n",
        _SIGN_BO,
    ),
    # A department's letter to two named units (`Quý đơn vị`, `các đơn vị`). Issuer `Sở Y tế`;
    # recipients `Trung tâm Kiểm soát bệnh tật tỉnh`, `Bệnh viện Đa khoa tỉnh`; 06/5/2024.
    "so": (
        "UBND TỈNH QUẢNG NINH\nSỞ Y TẾ\n" + _STATE + "Số: 1205/SYT-NVY\n"
        "V/v tăng cường phòng, chống dịch bệnh mùa hè\nQuảng Ninh, ngày 06 tháng 5 năm 2024\n\n"
        "Kính gửi:\n- Trung tâm Kiểm soát bệnh tật tỉnh;\n- Bệnh viện Đa khoa tỉnh.\n\n",
        "\nNơi nhận:\n- Như trên;\n- Lưu: VT, NVY.\nKT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\nVũ Thị Lan\n",
    ),
    # The Government Office conveying a Deputy Prime Minister's opinion. Issuer `Văn phòng Chính
    # phủ`; recipients `@bo-nganh`, `@dia-phuong`; 14/9/2025.
    "vpcp": (
        "VĂN PHÒNG CHÍNH PHỦ\n" + _STATE + "Số: 8120/VPCP-KTTH\n"
        "V/v xử lý kiến nghị của các bộ, địa phương\nHà Nội, ngày 14 tháng 9 năm 2025\n\n"
        "Kính gửi:\n- Các Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ;\n"
        "- Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.\n\n",
        _SIGN_VPCP,
    ),
    # A notice of the conclusions of a Deputy Prime Minister's visit to Sơn La (no `Kính gửi`);
    # 18/8/2025. The row holds the items and the closing formula.
    "tb": (
        "VĂN PHÒNG CHÍNH PHỦ\n" + _STATE + "Số: 412/TB-VPCP\nHà Nội, ngày 18 tháng 8 năm 2025\n\n"
        "THÔNG BÁO\nKết luận của Phó Thủ tướng Chính phủ Nguyễn Văn Phong tại buổi làm việc "
        "với lãnh đạo tỉnh Sơn La\n\n"
        "Ngày 10 tháng 8 năm 2025, Phó Thủ tướng Chính phủ Nguyễn Văn Phong đã làm việc với lãnh "
        "đạo tỉnh Sơn La về tình hình phát triển kinh tế - xã hội của tỉnh. Sau khi nghe báo cáo "
        "của tỉnh và ý kiến của các bộ, Phó Thủ tướng Chính phủ kết luận như sau:\n",
        _SIGN_VPCP,
    ),
    # A notice of the conclusions of a provincial chairman's working session with a department
    # (`Sở Xây dựng`); issuer `Ủy ban nhân dân tỉnh Hà Tĩnh`; 20/10/2025.
    "tb-so": (
        "ỦY BAN NHÂN DÂN\nTỈNH HÀ TĨNH\n" + _STATE + "Số: 418/TB-UBND\n"
        "Hà Tĩnh, ngày 20 tháng 10 năm 2025\n\n"
        "THÔNG BÁO\nKết luận của Chủ tịch Ủy ban nhân dân tỉnh tại buổi làm việc với Sở Xây dựng\n\n"
        "Ngày 15/10/2025, Chủ tịch Ủy ban nhân dân tỉnh đã làm việc với Sở Xây dựng về tình hình "
        "thực hiện nhiệm vụ được giao. Sau khi nghe báo cáo, Chủ tịch Ủy ban nhân dân tỉnh kết "
        "luận như sau:\n",
        "\nNơi nhận:\n- Sở Xây dựng;\n- Lưu: VT.\nTL. CHỦ TỊCH\nCHÁNH VĂN PHÒNG\n\nTrần Đức Nam\n",
    ),
    # A notice of the conclusions of a provincial chairman's working session with the leaders
    # of a district named bare (`lãnh đạo huyện Bát Xát`); the closing names no body; issuer
    # `Ủy ban nhân dân tỉnh Lào Cai`; 22/4/2024 (district level still in place).
    "tb-huyen": (
        "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\n" + _STATE + "Số: 212/TB-UBND\n"
        "Lào Cai, ngày 22 tháng 4 năm 2024\n\n"
        "THÔNG BÁO\nKết luận của Chủ tịch Ủy ban nhân dân tỉnh tại buổi làm việc với lãnh đạo "
        "huyện Bát Xát\n\n"
        "Ngày 18/4/2024, Chủ tịch Ủy ban nhân dân tỉnh đã làm việc với lãnh đạo huyện về tình "
        "hình kinh tế - xã hội. Sau khi nghe báo cáo, Chủ tịch Ủy ban nhân dân tỉnh kết luận như "
        "sau:\n",
        "\nNơi nhận:\n- Như trên;\n- Lưu: VT.\nTL. CHỦ TỊCH\nCHÁNH VĂN PHÒNG\n\nLê Văn Hùng\n",
    ),
    # A notice of the conclusions of a provincial vice-chairman's inspection of work in a
    # commune (`… kiểm tra công tác phòng, chống thiên tai tại xã Cẩm Xuyên`); the closing names
    # no body; issuer `Ủy ban nhân dân tỉnh Hà Tĩnh`; 22/10/2025.
    "tb-xa": (
        "ỦY BAN NHÂN DÂN\nTỈNH HÀ TĨNH\n" + _STATE + "Số: 420/TB-UBND\n"
        "Hà Tĩnh, ngày 22 tháng 10 năm 2025\n\n"
        "THÔNG BÁO\nKết luận của Phó Chủ tịch Ủy ban nhân dân tỉnh tại buổi kiểm tra công tác "
        "phòng, chống thiên tai tại xã Cẩm Xuyên\n\n"
        "Ngày 18/10/2025, Phó Chủ tịch Ủy ban nhân dân tỉnh đã kiểm tra thực tế tại các điểm "
        "xung yếu. Sau khi nghe báo cáo, Phó Chủ tịch Ủy ban nhân dân tỉnh kết luận như sau:\n",
        "\nNơi nhận:\n- Như trên;\n- Lưu: VT.\nTL. CHỦ TỊCH\nCHÁNH VĂN PHÒNG\n\nTrần Đức Nam\n",
    ),
    # A provincial decision up to its `QUYẾT ĐỊNH` heading; the row starts at `QUYẾT ĐỊNH:`.
    # Issuer `Ủy ban nhân dân tỉnh Ninh Bình`; 05/8/2025.
    "qd": (
        "ỦY BAN NHÂN DÂN\nTỈNH NINH BÌNH\n" + _STATE + "Số: 1412/QĐ-UBND\n"
        "Ninh Bình, ngày 05 tháng 8 năm 2025\n\n"
        "QUYẾT ĐỊNH\nVề việc triển khai một số nhiệm vụ của ngành\n\nỦY BAN NHÂN DÂN TỈNH NINH BÌNH\n\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;\n"
        "Theo đề nghị của Chánh Văn phòng Ủy ban nhân dân tỉnh.\n\n",
        _SIGN_UBND,
    ),
    # A provincial plan up to its title; the row holds its sections.
    # Issuer `Ủy ban nhân dân tỉnh Quảng Ninh`; 20/8/2025.
    "kh": (
        "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NINH\n" + _STATE + "Số: 150/KH-UBND\n"
        "Quảng Ninh, ngày 20 tháng 8 năm 2025\n\n"
        "KẾ HOẠCH\nTriển khai một số nhiệm vụ phát triển kinh tế - xã hội của tỉnh\n\n",
        _SIGN_UBND,
    ),
    # A Prime Minister's telegram; recipients `@dia-phuong` and five named ministries; 20/9/2025.
    "cd": (
        "THỦ TƯỚNG CHÍNH PHỦ\n" + _STATE + "Số: 95/CĐ-TTg\nHà Nội, ngày 20 tháng 9 năm 2025\n\n"
        "CÔNG ĐIỆN\nVề việc tập trung ứng phó khẩn cấp với bão số 8\n\n"
        "THỦ TƯỚNG CHÍNH PHỦ điện:\n"
        "- Chủ tịch Ủy ban nhân dân các tỉnh, thành phố ven biển từ Quảng Ninh đến Ninh Bình;\n"
        "- Bộ trưởng các Bộ: Quốc phòng, Công an, Nông nghiệp và Môi trường, Xây dựng, "
        "Công Thương.\n\n",
        "\nNơi nhận:\n- Như trên;\n- Lưu: VT, NN.\nTHỦ TƯỚNG\n\nPhạm Quang Vinh\n",
    ),
    # A department's report to its province up to `Kính gửi`; issuer `Sở Y tế` (Phú Thọ),
    # recipient `Ủy ban nhân dân tỉnh Phú Thọ`; 20/12/2025.
    "bc": (
        "SỞ Y TẾ\nTỈNH PHÚ THỌ\n"
        + _STATE
        + "Số: 318/BC-SYT\nPhú Thọ, ngày 20 tháng 12 năm 2025\n\n"
        "BÁO CÁO\nCông tác bảo đảm an toàn thực phẩm năm 2025\n\n"
        "Kính gửi: Ủy ban nhân dân tỉnh Phú Thọ.\n\n",
        "\nNơi nhận:\n- Như trên;\n- Lưu: VT, NVY.\nGIÁM ĐỐC\n\nHoàng Văn Nam\n",
    ),
    # A notice of UBND thành phố Đà Nẵng to the public up to its title (no `Kính gửi`); 20/8/2025.
    "tb-ub": (
        "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ ĐÀ NẴNG\n" + _STATE + "Số: 85/TB-UBND\n"
        "Đà Nẵng, ngày 20 tháng 8 năm 2025\n\nTHÔNG BÁO\nVề việc nghỉ lễ Quốc khánh năm 2025\n\n",
        "\nNơi nhận:\n- Các sở, ban, ngành;\n- Lưu: VT.\nTL. CHỦ TỊCH\nCHÁNH VĂN PHÒNG\n\n"
        "Phạm Thị Hương\n",
    ),
    # An invitation of UBND tỉnh Lào Cai up to its title (no `Kính gửi`); 03/11/2025.
    "gm": (
        "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\n" + _STATE + "Số: 145/GM-UBND\n"
        "Lào Cai, ngày 03 tháng 11 năm 2025\n\nGIẤY MỜI\n"
        "Dự Hội nghị sơ kết công tác chuyển đổi số 9 tháng năm 2025\n\n",
        "\nNơi nhận:\n- Như thành phần mời;\n- Lưu: VT.\nTL. CHỦ TỊCH\nCHÁNH VĂN PHÒNG\n\nĐỗ Thị Mai\n",
    ),
    # A regulation (`Quy chế`) of UBND tỉnh Quảng Ngãi up to its caption; 15/7/2025.
    "qc": (
        "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\n" + _STATE + "Quảng Ngãi, ngày 15 tháng 7 năm 2025\n\n"
        "QUY CHẾ\nLàm việc của Ủy ban nhân dân tỉnh Quảng Ngãi\n(Ban hành kèm theo Quyết định số "
        "980/QĐ-UBND ngày 15 tháng 7 năm 2025 của Ủy ban nhân dân tỉnh)\n\n",
        "\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nĐặng Văn Minh\n",
    ),
    # A department's submission (`Tờ trình`) to its province up to `Kính gửi`; issuer `Sở Tài chính`
    # (Hà Tĩnh), recipient `Ủy ban nhân dân tỉnh Hà Tĩnh`; 05/11/2025.
    "ttr": (
        "SỞ TÀI CHÍNH\nTỈNH HÀ TĨNH\n"
        + _STATE
        + "Số: 412/TTr-STC\nHà Tĩnh, ngày 05 tháng 11 năm 2025\n\n"
        "TỜ TRÌNH\nVề việc ban hành Quyết định quy định định mức chi hỗ trợ chuyển đổi số\n\n"
        "Kính gửi: Ủy ban nhân dân tỉnh Hà Tĩnh.\n\n",
        "\nNơi nhận:\n- Như trên;\n- Lưu: VT, NS.\nGIÁM ĐỐC\n\nNguyễn Văn Hải\n",
    ),
    # A department's guidance (`Hướng dẫn`) up to its title (no `Kính gửi`); issuer `Sở Nội vụ`
    # (Hà Tĩnh); 05/11/2025.
    "hd": (
        "UBND TỈNH HÀ TĨNH\nSỞ NỘI VỤ\n"
        + _STATE
        + "Số: 15/HD-SNV\nHà Tĩnh, ngày 05 tháng 11 năm 2025\n\n"
        "HƯỚNG DẪN\nĐánh giá, xếp loại chất lượng công chức năm 2025\n\n",
        "\nNơi nhận:\n- Các sở, ban, ngành;\n- Lưu: VT, CCVC.\nGIÁM ĐỐC\n\nTrần Văn Long\n",
    ),
    # A ministry's press release (`Thông cáo báo chí`) up to its title; issuer `Bộ Y tế`; 14/5/2025.
    "tcbc": (
        "BỘ Y TẾ\n" + _STATE + "Hà Nội, ngày 14 tháng 5 năm 2025\n\nTHÔNG CÁO BÁO CHÍ\n"
        "Về tình hình dịch sốt xuất huyết và các biện pháp phòng, chống\n\n",
        "\nBỘ Y TẾ\n",
    ),
    # A ministry's reply to one province (`Kính gửi: Ủy ban nhân dân tỉnh Lào Cai`); issuer
    # `Bộ Tài chính`; 12/11/2025.
    "bo-tinh": (
        "BỘ TÀI CHÍNH\n" + _STATE + "Số: 2231/BTC-NSNN\nV/v bổ sung kinh phí cho tỉnh\n"
        "Hà Nội, ngày 12 tháng 11 năm 2025\n\nKính gửi: Ủy ban nhân dân tỉnh Lào Cai\n\n",
        _SIGN_BO,
    ),
    # A province's letter to two named departments and two named communes (`các Sở`, `UBND các
    # xã` address the reader); issuer `Ủy ban nhân dân tỉnh Hà Tĩnh`; recipients `Sở Tài chính`,
    # `Sở Xây dựng`, `Ủy ban nhân dân xã Kỳ Anh`, `Ủy ban nhân dân xã Kỳ Hoa`; 14/10/2025.
    "tinh-named": (
        "ỦY BAN NHÂN DÂN\nTỈNH HÀ TĨNH\n" + _STATE + "Số: 3090/UBND-KT\n"
        "V/v xử lý kiến nghị về đất đai\nHà Tĩnh, ngày 14 tháng 10 năm 2025\n\n"
        "Kính gửi:\n- Sở Tài chính;\n- Sở Xây dựng;\n- Ủy ban nhân dân xã Kỳ Anh;\n"
        "- Ủy ban nhân dân xã Kỳ Hoa.\n\n",
        _SIGN_UBND,
    ),
    # A province's letter to one department and one commune; issuer `Ủy ban nhân dân tỉnh
    # Nghệ An`; recipients `Sở Tài chính`, `Ủy ban nhân dân xã Diễn Châu`; 12/11/2025.
    "xa": (
        "ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\n" + _STATE + "Số: 4550/UBND-KT\n"
        "V/v xử lý kiến nghị của xã\nNghệ An, ngày 12 tháng 11 năm 2025\n\n"
        "Kính gửi:\n- Sở Tài chính;\n- Ủy ban nhân dân xã Diễn Châu.\n\n",
        _SIGN_UBND,
    ),
}

# A ministry's letter reporting to the Prime Minister (a công văn, `V/v báo cáo …`); issuer
# `Bộ Tài chính`; recipient `Thủ tướng Chính phủ`; 12/11/2025.
HEADERS["bo-ttg"] = (
    "BỘ TÀI CHÍNH\n"
    + _STATE
    + "Số: 11820/BTC-NSNN\nV/v báo cáo tình hình giải ngân vốn đầu tư công\n"
    "Hà Nội, ngày 12 tháng 11 năm 2025\n\nKính gửi: Thủ tướng Chính phủ.\n\n",
    "\nNơi nhận:\n- Như trên;\n- Lưu: VT, NSNN.\nBỘ TRƯỞNG\n\nNguyễn Văn Thắng\n",
)
# A department's letter to its province (a công văn: a report or a proposal to its superior);
# issuer `Sở Nông nghiệp và Môi trường` (Hà Tĩnh); recipient `Ủy ban nhân dân tỉnh Hà Tĩnh`;
# 05/11/2025.
HEADERS["so-ub"] = (
    "UBND TỈNH HÀ TĨNH\nSỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG\n" + _STATE + "Số: 2150/SNNMT-KH\n"
    "V/v kết quả thực hiện Chương trình mục tiêu quốc gia năm 2025\n"
    "Hà Tĩnh, ngày 05 tháng 11 năm 2025\n\nKính gửi: Ủy ban nhân dân tỉnh Hà Tĩnh.\n\n",
    "\nNơi nhận:\n- Như trên;\n- Lưu: VT, KH.\nGIÁM ĐỐC\n\nLê Văn Bình\n",
)
# A tax department's reply to one named company; issuer `Cục Thuế`; recipient `Công ty TNHH
# Thương mại Minh Phát`; 10/10/2025.
HEADERS["thue-cty"] = (
    "BỘ TÀI CHÍNH\nCỤC THUẾ\n" + _STATE + "Số: 4512/CT-CS\nV/v chính sách thuế giá trị gia tăng\n"
    "Hà Nội, ngày 10 tháng 10 năm 2025\n\nKính gửi: Công ty TNHH Thương mại Minh Phát\n"
    "(Địa chỉ: Lô C2, Khu công nghiệp Quế Võ, phường Nam Sơn, tỉnh Bắc Ninh; MST: 2300123456)\n\n",
    "\nNơi nhận:\n- Như trên;\n- Lưu: VT, CS.\nKT. CỤC TRƯỞNG\nPHÓ CỤC TRƯỞNG\n\nĐặng Ngọc Minh\n",
)

# A province's directive (Chỉ thị, no `Kính gửi`); issuer `Ủy ban nhân dân tỉnh Hà Tĩnh`;
# 14/10/2025. The row holds the preamble, the items and the closing.
HEADERS["ct"] = (
    "ỦY BAN NHÂN DÂN\nTỈNH HÀ TĨNH\n" + _STATE + "Số: 12/CT-UBND\n"
    "Hà Tĩnh, ngày 14 tháng 10 năm 2025\n\n"
    "CHỈ THỊ\nVề việc tăng cường công tác phòng, chống thiên tai\n\n",
    "\nNơi nhận:\n- Các sở, ban, ngành;\n- Lưu: VT, TH.\nCHỦ TỊCH\n\nNguyễn Hữu Phước\n",
)
# A province's directive before July 2025 (`địa phương` is `@cap-huyen`): UBND tỉnh Lào Cai,
# 15/4/2024, no `Kính gửi`, up to its title.
HEADERS["ct2024"] = (
    "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\n" + _STATE + "Số: 05/CT-UBND\n"
    "Lào Cai, ngày 15 tháng 4 năm 2024\n\n"
    "CHỈ THỊ\nVề việc tăng cường công tác quản lý, bảo vệ rừng\n\n",
    "\nNơi nhận:\n- Các sở, ban, ngành;\n- Lưu: VT, TH.\nCHỦ TỊCH\n\nTrịnh Xuân Trường\n",
)
# The Prime Minister's directive (issuer `Thủ tướng Chính phủ`), 20/9/2025, no `Kính gửi`, up to
# its title.
HEADERS["ct-ttg"] = (
    "THỦ TƯỚNG CHÍNH PHỦ\n" + _STATE + "Số: 18/CT-TTg\nHà Nội, ngày 20 tháng 9 năm 2025\n\n"
    "CHỈ THỊ\nVề việc đẩy mạnh giải ngân vốn đầu tư công\n\n",
    "\nNơi nhận:\n- Các Bộ, cơ quan ngang Bộ;\n- Lưu: VT, KTTH.\nTHỦ TƯỚNG\n\nPhạm Minh Chính\n",
)
# A Party directive of the standing committee of Tỉnh ủy Quảng Ngãi (issuer scored as `Ủy ban nhân
# dân tỉnh Quảng Ngãi`, §4), 10/11/2025, up to its title.
HEADERS["ct-tu"] = (
    "TỈNH ỦY QUẢNG NGÃI\n*\nSố: 12-CT/TU\nĐẢNG CỘNG SẢN VIỆT NAM\n"
    "Quảng Ngãi, ngày 10 tháng 11 năm 2025\n\n"
    "CHỈ THỊ\nCỦA BAN THƯỜNG VỤ TỈNH ỦY\nvề tăng cường sự lãnh đạo của Đảng đối với công tác "
    "phòng, chống tham nhũng, lãng phí\n\n",
    "\nNơi nhận:\n- Các đảng bộ trực thuộc Tỉnh ủy;\n- Lưu Văn phòng Tỉnh ủy.\n"
    "T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\n\nĐinh Thị Hồng Minh\n",
)
# A ministry's letter up to its subject line (`Bộ Y tế`, 14/5/2025): the row holds the
# `Kính gửi` block (and any `Đồng kính gửi` line) itself.
HEADERS["byt"] = (
    "BỘ Y TẾ\n" + _STATE + "Số: 2210/BYT-KCB\nV/v tăng cường công tác khám, chữa bệnh\n"
    "Hà Nội, ngày 14 tháng 5 năm 2025\n\n",
    _SIGN_BO,
)

# A province's letter up to its subject line (`Ủy ban nhân dân tỉnh Hà Tĩnh`, 14/10/2025): the row
# holds the `Kính gửi` block itself.
HEADERS["tinh-kg"] = (
    "ỦY BAN NHÂN DÂN\nTỈNH HÀ TĨNH\n" + _STATE + "Số: 3120/UBND-NC\n"
    "V/v bảo đảm an ninh, trật tự\nHà Tĩnh, ngày 14 tháng 10 năm 2025\n\n",
    _SIGN_UBND,
)
# Notices of conclusions (THÔNG BÁO KẾT LUẬN) of other issuers and shapes; each row holds the
# items and the closing formula.
# A Deputy Prime Minister's conclusions at a working session with the leaders of tỉnh Quảng Trị;
# issuer `Văn phòng Chính phủ`; 25/9/2025.
HEADERS["tb-qt"] = (
    "VĂN PHÒNG CHÍNH PHỦ\n" + _STATE + "Số: 455/TB-VPCP\nHà Nội, ngày 25 tháng 9 năm 2025\n\n"
    "THÔNG BÁO\nKết luận của Phó Thủ tướng Chính phủ Trần Minh Đức tại buổi làm việc với lãnh "
    "đạo tỉnh Quảng Trị\n\n"
    "Ngày 20 tháng 9 năm 2025, Phó Thủ tướng Chính phủ Trần Minh Đức đã làm việc với lãnh đạo "
    "tỉnh Quảng Trị. Sau khi nghe báo cáo của Ủy ban nhân dân tỉnh và ý kiến của các bộ, Phó Thủ "
    "tướng Chính phủ kết luận như sau:\n",
    _SIGN_VPCP,
)
# A Deputy Prime Minister's conclusions at an inspection of a project (no body visited);
# issuer `Văn phòng Chính phủ`; 12/9/2025.
HEADERS["tb-da"] = (
    "VĂN PHÒNG CHÍNH PHỦ\n" + _STATE + "Số: 468/TB-VPCP\nHà Nội, ngày 12 tháng 9 năm 2025\n\n"
    "THÔNG BÁO\nKết luận của Phó Thủ tướng Chính phủ Trần Minh Đức tại buổi kiểm tra tiến độ "
    "Dự án đường cao tốc Vạn Ninh - Cam Lộ\n\n"
    "Ngày 07 tháng 9 năm 2025, Phó Thủ tướng Chính phủ Trần Minh Đức đã kiểm tra hiện trường Dự "
    "án. Sau khi nghe báo cáo của Bộ Xây dựng, chủ đầu tư và ý kiến của các cơ quan, Phó Thủ "
    "tướng Chính phủ kết luận như sau:\n",
    _SIGN_VPCP,
)
# A provincial People's Committee's office announcing its chairman's conclusions at a meeting
# on the province's key projects with several departments; issuer `Văn phòng Ủy ban nhân dân
# tỉnh Nghệ An`; 06/11/2025.
HEADERS["tb-vpub"] = (
    "UBND TỈNH NGHỆ AN\nVĂN PHÒNG\n" + _STATE + "Số: 512/TB-VPUB\n"
    "Nghệ An, ngày 06 tháng 11 năm 2025\n\n"
    "THÔNG BÁO\nKết luận của Chủ tịch UBND tỉnh tại cuộc họp nghe báo cáo tiến độ các dự án "
    "trọng điểm\n\n"
    "Ngày 03/11/2025, đồng chí Chủ tịch UBND tỉnh chủ trì cuộc họp nghe báo cáo tiến độ các dự "
    "án trọng điểm. Tham dự có lãnh đạo các sở: Tài chính, Xây dựng, Nông nghiệp và Môi trường, "
    "Nội vụ. Sau khi nghe báo cáo, Chủ tịch UBND tỉnh kết luận như sau:\n",
    "\nNơi nhận:\n- Chủ tịch, các PCT UBND tỉnh;\n- Lưu: VT.\nKT. CHÁNH VĂN PHÒNG\n"
    "PHÓ CHÁNH VĂN PHÒNG\n\nNguyễn Thị Lan\n",
)
# A provincial chairman's conclusions at a working session with one department (`Sở Nông nghiệp
# và Môi trường`); issuer `Ủy ban nhân dân tỉnh Thanh Hóa`; 14/11/2025.
HEADERS["tb-snn"] = (
    "ỦY BAN NHÂN DÂN\nTỈNH THANH HÓA\n" + _STATE + "Số: 305/TB-UBND\n"
    "Thanh Hóa, ngày 14 tháng 11 năm 2025\n\n"
    "THÔNG BÁO\nKết luận của Chủ tịch UBND tỉnh tại buổi làm việc với Sở Nông nghiệp và Môi "
    "trường\n\n"
    "Ngày 10/11/2025, đồng chí Chủ tịch UBND tỉnh đã làm việc với Sở Nông nghiệp và Môi trường "
    "về kết quả thực hiện nhiệm vụ năm 2025. Sau khi nghe báo cáo, Chủ tịch UBND tỉnh kết luận "
    "như sau:\n",
    "\nNơi nhận:\n- Như trên;\n- Lưu: VT.\nTL. CHỦ TỊCH\nKT. CHÁNH VĂN PHÒNG\n"
    "PHÓ CHÁNH VĂN PHÒNG\n\nLê Thị Hà\n",
)
# A Party notice: `THÔNG BÁO KẾT LUẬN CỦA BAN THƯỜNG VỤ TỈNH ỦY` after a meeting on the
# province's work; issuer `Tỉnh ủy Quảng Ngãi` (§6 Party notices; §4 scored as `Ủy ban nhân dân
# tỉnh Quảng Ngãi`); 10/11/2025.
HEADERS["tb-tu"] = (
    "TỈNH ỦY QUẢNG NGÃI\n*\nSố: 315-TB/TU\nĐẢNG CỘNG SẢN VIỆT NAM\n"
    "Quảng Ngãi, ngày 10 tháng 11 năm 2025\n\n"
    "THÔNG BÁO KẾT LUẬN\nCỦA BAN THƯỜNG VỤ TỈNH ỦY\nvề tình hình thực hiện nhiệm vụ phát "
    "triển kinh tế - xã hội 10 tháng năm 2025\n\n"
    "Ngày 05/11/2025, Ban Thường vụ Tỉnh ủy họp nghe Ban cán sự đảng UBND tỉnh báo cáo tình "
    "hình thực hiện nhiệm vụ. Sau khi thảo luận, Ban Thường vụ Tỉnh ủy kết luận như sau:\n",
    "\nNơi nhận:\n- Các đảng bộ trực thuộc Tỉnh ủy;\n- Lưu Văn phòng Tỉnh ủy.\n"
    "T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ THƯỜNG TRỰC\n\nĐinh Văn Nam\n",
)
# A Party notice of a provincial standing committee's working session with the standing
# committee of a unit's Party committee (`Ban Thường vụ Đảng ủy Công an tỉnh`); issuer `Tỉnh ủy
# Lâm Đồng`; 20/10/2025; its closing names no body.
HEADERS["tb-tu-ca"] = (
    "ĐẢNG BỘ TỈNH LÂM ĐỒNG\nBAN THƯỜNG VỤ TỈNH ỦY\n*\nSố: 88-TB/TU\nĐẢNG CỘNG SẢN VIỆT NAM\n"
    "Lâm Đồng, ngày 20 tháng 10 năm 2025\n\n"
    "THÔNG BÁO KẾT LUẬN\nCỦA BAN THƯỜNG VỤ TỈNH ỦY\ntại buổi làm việc với Ban Thường vụ Đảng "
    "ủy Công an tỉnh\n\n"
    "Ngày 15/10/2025, Ban Thường vụ Tỉnh ủy đã làm việc với Ban Thường vụ Đảng ủy Công an tỉnh "
    "về tình hình thực hiện nhiệm vụ 9 tháng năm 2025. Sau khi nghe báo cáo, Ban Thường vụ Tỉnh "
    "ủy kết luận như sau:\n",
    "\nNơi nhận:\n- Đảng ủy Công an tỉnh;\n- Lưu Văn phòng Tỉnh ủy.\nT/M BAN THƯỜNG VỤ\n"
    "PHÓ BÍ THƯ\n\nTrần Văn Hải\n",
)

# A commune Party committee's plan (ANNOTATION §6 Party notices: a body's own Party committee
# keeps its name); issuer `Đảng ủy xã Diễn Hoa`; 02/5/2026; its body opens under the title.
HEADERS["xa-party"] = (
    "ĐẢNG BỘ TỈNH NGHỆ AN\nĐẢNG ỦY XÃ DIỄN HOA\n*\nSố 27-KH/ĐU\nĐẢNG CỘNG SẢN VIỆT NAM\n"
    "Diễn Hoa, ngày 02 tháng 5 năm 2026\n\nKẾ HOẠCH\ntổ chức các hoạt động kỷ niệm ngày thành "
    "lập Đảng bộ xã\n\nBan Thường vụ Đảng ủy xã xây dựng Kế hoạch như sau:\n",
    "\nNơi nhận:\n- Các chi bộ trực thuộc;\n- Lưu Văn phòng Đảng ủy.\nT/M ĐẢNG ỦY\nBÍ THƯ\n\n"
    "Trần Văn Hải\n",
)

STATUSES = {"ok", "gap"}


# -- the table ------------------------------------------------------------------------------


def _load() -> list[dict[str, str]]:
    with TABLE.open(encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    for row in rows:
        row["letter"] = row["letter"].replace("\\n", "\n").replace("\\f", "\f").replace("\\t", "\t")
    return rows


@dataclass(frozen=True)
class Expected:
    words: tuple[str, ...]  # fragments of the task's text, all in it
    lead: tuple[str, ...]
    coordinate: tuple[str, ...]
    deadline: str | None

    def render(self) -> str:
        return _render(" … ".join(self.words), self.lead, self.coordinate, self.deadline)


def _agency_list(field: str) -> tuple[str, ...]:
    field = field.strip()
    return () if field == "-" else tuple(a.strip() for a in field.split(";") if a.strip())


def _parse_tasks(spec: str) -> list[Expected]:
    if spec.strip() == "-":
        return []
    out = []
    for part in spec.split("||"):
        words, lead, coordinate, deadline = (f.strip() for f in part.split("|"))
        out.append(
            Expected(
                words=tuple(w.strip() for w in words.split("…") if w.strip()),
                lead=_agency_list(lead),
                coordinate=_agency_list(coordinate),
                deadline=None if deadline == "-" else deadline,
            )
        )
    return out


def _render(
    words: str,
    lead: tuple[str, ...] | list[str],
    coord: tuple[str, ...] | list[str],
    deadline: str | None,
) -> str:
    return f"{words} | {';'.join(lead) or '-'} | {';'.join(coord) or '-'} | {deadline or '-'}"


ROWS = _load()


def _param(row: dict[str, str]) -> object:
    if row["status"] == "gap":
        reason = f"gap: ANNOTATION {row['rule']} — {row['note']}"
        return pytest.param(
            row, marks=pytest.mark.xfail(strict=True, reason=reason), id=row["case"]
        )
    return pytest.param(row, id=row["case"])


# -- comparison -------------------------------------------------------------------------------


def _deadline(task: Task) -> str | None:
    d = task.deadline
    if d is None or d.date is None:
        return None
    return f"{d.date}T{d.time}" if d.time else d.date


def _same_agencies(got: list[str], want: tuple[str, ...]) -> bool:
    """Set equality after the scorer's agency keys (§2: no trailing province below a
    People's Committee, inner punctuation and tone-mark placement ignored)."""
    g = list(dict.fromkeys(k for k in map(agency_key, got) if k))
    w = list(dict.fromkeys(k for k in map(agency_key, want) if k))
    return len(match_sets(g, w, agencies_match)) == len(g) == len(w)


def _holds(task: Task, exp: Expected) -> bool:
    text = normalize(task.text)
    return all(normalize(w) in text for w in exp.words)


def _predicted(doc: Document) -> list[str]:
    return [
        _render(
            f"[{t.label}] {' '.join(t.text.split()[:10])}",
            names(t.lead),
            names(t.coordinate),
            _deadline(t),
        )
        for t in doc.tasks
    ]


def _compare(doc: Document, expected: list[Expected]) -> tuple[list[str], list[str]]:
    """(what was found, what was expected), each as spec lines; equal when the row holds."""
    got: list[str] = [f"{len(doc.tasks)} tasks"]
    want: list[str] = [f"{len(expected)} tasks"]
    used: set[int] = set()
    for exp in expected:
        want.append(exp.render())
        i = next(
            (i for i, t in enumerate(doc.tasks) if i not in used and _holds(t, exp)),
            None,
        )
        if i is None:
            got.append(f"{' … '.join(exp.words)} | (no task holds these words)")
            continue
        used.add(i)
        task = doc.tasks[i]
        lead, coord = names(task.lead), names(task.coordinate)
        got.append(
            _render(
                " … ".join(exp.words),
                exp.lead if _same_agencies(lead, exp.lead) else lead,
                exp.coordinate if _same_agencies(coord, exp.coordinate) else coord,
                _deadline(task),
            )
        )
    return got, want


# -- tests ------------------------------------------------------------------------------------


def test_the_task_case_table_is_large_and_well_formed() -> None:
    assert len(ROWS) >= 150
    assert len({r["case"] for r in ROWS}) == len(ROWS)
    for row in ROWS:
        assert row["header"] in HEADERS, row["case"]
        assert row["status"] in STATUSES, row["case"]
        assert row["rule"].strip(), row["case"]
        assert (row["note"].strip() not in ("", "-")) == (row["status"] == "gap"), row["case"]
        assert int(row["n"]) == len(_parse_tasks(row["tasks"])), row["case"]
        # A tab inside a letter is written `\t`: a raw one would open an extra column.
        assert None not in row, row["case"]


@pytest.mark.parametrize("row", [_param(r) for r in ROWS])
def test_task_case(row: dict[str, str], tmp_path: Path) -> None:
    head, foot = HEADERS[row["header"]]
    doc = extract_file(tmp_path, "letter.txt", head + row["letter"] + "\n" + foot)
    got, want = _compare(doc, _parse_tasks(row["tasks"]))
    assert got == want, "predicted:\n" + "\n".join(_predicted(doc))
