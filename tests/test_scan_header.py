"""Scan identity helpers: page survey and signature page, seal ink removal, diacritics, stamps."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from cchc_extract.readers import scan_header as sh

from .scan_images import draw_seal, header_image, ocr_words, serif_font


def _restored(line: str) -> str:
    return " ".join(sh.restore_diacritics(line.split())[0])


@pytest.mark.parametrize(
    ("read", "want"),
    [
        ("QUYÉT ĐỊNH", "QUYẾT ĐỊNH"),                 # a lost circumflex in a type line
        ("TINH ĐONG THAP", "TỈNH ĐỒNG THÁP"),         # province from the place table
        ("KT. CHU TỊCH", "KT. CHỦ TỊCH"),             # signing position after its prefix
        ("HỘI ĐÔNG NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN"),   # a lost grave under a circumflex
        ("Về viêc", "Về việc"),                       # a mixed-case phrase in its own case
        ("PHO CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
        ("HUYEN TU NGHIA", "HUYỆN TƯ NGHĨA"),         # a district of the place table
        ("(BAN CHI DAO 138)", "(BAN CHỈ ĐẠO 138)"),   # punctuation and numbers around stay
        ("TÍNH ĐỒNG THÁP", "TỈNH ĐỒNG THÁP"),         # one misread tone in a phrase read otherwise exactly
    ],
)
def test_lost_marks_of_header_vocabulary_come_back(read: str, want: str) -> None:
    assert _restored(read) == want


@pytest.mark.parametrize(
    "read",
    [
        "UY BAN NHÂN DÂN",      # ỦY and UỶ both fit: left as read
        "TĨNH",                 # a misread tone is mended only inside a longer phrase
        "TĨNH QUANG NGAI",      # ... one of whose words was read exactly
        "Trần Phước Hiên",      # personal names are not vocabulary
        "kết quả thực hien",    # body words are not vocabulary
        "Hội đông nhân dân",    # sentence case is body text: header vocabulary is in capitals
        "CỘNG HÒA XÃ HỘI",      # a correct run stays
    ],
)
def test_no_restoration_when_not_unambiguous(read: str) -> None:
    words, changes = sh.restore_diacritics(read.split())
    assert words == read.split()
    assert changes == []


def test_the_place_of_the_date_line_comes_from_the_place_table() -> None:
    words, changes = sh.restore_place("Dong Thap, ngày 04 tháng 3".split())
    assert words[:2] == ["Đồng", "Tháp,"] and changes == [("Dong Thap,", "Đồng Tháp,")]
    assert sh.restore_place("ket qua Dong Thap van".split())[1] == []  # not before ", ngày"


def test_a_misread_recipients_label_is_found() -> None:
    assert sh.recipients_words("Mới nhận: KT. CHỦ TỊCH".split()) == 2
    assert sh.recipients_words("ơi nhận:".split()) == 2
    assert sh.recipients_words(["nhận:"]) == 1
    assert sh.recipients_words("Nơi nhận:".split()) == 0
    assert sh.recipients_words("Người nhận quyết định".split()) == 0


def test_a_signing_prefix_glued_to_its_word_is_split() -> None:
    assert sh.split_prefix("TM.ỦY") == ("TM.", "ỦY")
    assert sh.split_prefix("KT.CHỦ") == ("KT.", "CHỦ")
    assert sh.split_prefix("TP.HCM") is None and sh.split_prefix("v.v") is None


def test_restoration_reports_what_it_changed() -> None:
    _, changes = sh.restore_diacritics("CHU TỊCH UBND TINH".split())
    assert changes == [("CHU TỊCH UBND TINH", "CHỦ TỊCH UBND TỈNH")]


@pytest.mark.parametrize(
    "line",
    [
        "Ký bởi: Ủy ban nhân dân tỉnh Đồng Tháp",
        "Cơ quan: Tỉnh Đồng Tháp",
        "Thời gian ký: 04/03/2024 09:15:02",
        "vanthu@dongthap.gov.vn",
        "04.03.2024 10:01:44 +07:00",
        "TRUNG TÂM CÔNG BÁO VÀ TIN HỌC",
    ],
)
def test_stamp_lines_are_recognised(line: str) -> None:
    assert sh.is_stamp_line(line)


@pytest.mark.parametrize(
    "line",
    ["ỦY BAN NHÂN DÂN", "Đồng Tháp, ngày 04 tháng 3 năm 2024", "Cơ quan chủ trì: Sở Nội vụ", "CHỦ TỊCH"],
)
def test_header_lines_are_not_stamp_lines(line: str) -> None:
    assert not sh.is_stamp_line(line)


def _page(text: bool = True, seal: float = 0.0, faint: bool = False) -> Image.Image:
    img = Image.new("RGB", (298, 421), "white")
    if text:
        d = ImageDraw.Draw(img)
        f = serif_font(9)
        for k in range(30):
            d.text((30, 20 + 12 * k), "Điều khoản thi hành của quyết định này", fill="black", font=f)
    if seal:
        draw_seal(img, 200, 330, seal)
    if faint:
        from PIL import ImageEnhance

        layer = Image.new("RGB", img.size, "white")
        draw_seal(layer, 200, 330, 40)
        img.paste(Image.blend(img, ImageEnhance.Brightness(layer).enhance(1.0), 0.12))
    return img


def test_signature_page_is_the_sealed_page_not_a_blank_back_page() -> None:
    pages = [_page(), _page(seal=40), _page(text=False, faint=True)]
    surveys = [sh.survey(p) for p in pages]
    assert surveys[2].blank and not surveys[1].blank
    assert sh.signature_page(surveys) == 1
    assert surveys[1].red_rows is not None and surveys[1].red_rows[0] > 0.6


def test_the_first_full_seal_wins_over_an_attachment_and_a_joint_seal() -> None:
    pages = [_page(seal=12), _page(seal=40), _page(), _page(seal=40)]
    assert sh.signature_page([sh.survey(p) for p in pages]) == 1


def test_no_seal_no_signature_page_but_a_last_written_page() -> None:
    surveys = [sh.survey(p) for p in (_page(), _page(), _page(text=False))]
    assert sh.signature_page(surveys) is None
    assert sh.last_written_page(surveys) == 1


def test_seal_ink_goes_print_and_pen_stay() -> None:
    import numpy as np

    img = Image.new("RGB", (80, 20), "white")
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, 19, 19], fill=(10, 10, 10))      # print
    d.rectangle([20, 0, 39, 19], fill=(25, 30, 90))     # blue pen
    d.rectangle([40, 0, 59, 19], fill=(225, 40, 50))    # seal ink over paper
    d.rectangle([60, 0, 79, 19], fill=(110, 15, 20))    # print seen through the seal
    a = np.asarray(sh.seal_grey(img))
    assert a[:, :20].max() < 60 and a[:, 20:40].max() < 60
    assert a[:, 40:60].min() == 255 and a[:, 60:].max() < 130
    assert sh.survey(img).colour == pytest.approx(0.75)


def test_a_red_seal_over_the_issuer_does_not_hide_it_from_ocr() -> None:
    img = header_image("12", "04", seal=True)
    lines: dict[tuple[int, int, int], list[str]] = {}
    for w in ocr_words(img, 200):
        lines.setdefault(w.line, []).append(w.text)
    words = {w for v in lines.values() for w in v}
    assert {"ỦY", "NHÂN", "DÂN", "ĐỒNG", "THÁP"} <= words
    assert not any("TỈNH ĐỒNG" in " ".join(v) and "ỦY" in v for v in lines.values())  # no ring text line
