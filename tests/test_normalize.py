"""Normalization: cleaning, hard-wrap joining and two-column bands of plain-text dumps."""

from __future__ import annotations

from cchc_extract import parse_text
from cchc_extract.document import Paragraph, RawDocument
from cchc_extract.normalize import normalize, split_columns

LAYOUT = """\
ỦY BAN NHÂN DÂN XÃ ĐẠI SƠN         CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
   ĐOÀN KIỂM TRA CCHC                      Độc lập - Tự do - Hạnh phúc
 Số: 05/TB-ĐKT                       Đại Sơn, ngày 12 tháng 5 năm 2026

                         THÔNG BÁO
        Kết luận kiểm tra công tác cải cách hành chính năm 2026

Căn cứ Kế hoạch số 63/KH-UBND ngày 25/02/2026 của UBND xã Đại Sơn;
I. TỒN TẠI, HẠN CHẾ
- Còn 03 hồ sơ quá hạn.
Nơi nhận:                                     TM. ĐOÀN KIỂM TRA
- Như trên;                                       TRƯỞNG ĐOÀN
- Lưu: VT.
                                              PHÓ CHỦ TỊCH UBND XÃ
                                                 Nguyễn Văn An
"""


def test_two_column_header_and_foot_do_not_interleave() -> None:
    rec = parse_text(LAYOUT)
    assert rec.issuer is not None and rec.issuer.name == "ĐOÀN KIỂM TRA CCHC"
    assert rec.issuer.parent == "ỦY BAN NHÂN DÂN XÃ ĐẠI SƠN"
    assert rec.number is not None and rec.number.raw == "05/TB-ĐKT"
    assert rec.place == "Đại Sơn" and rec.date is not None and rec.date.iso == "2026-05-12"
    assert rec.recipients == ["Như trên", "Lưu: VT"]
    assert rec.signer is not None
    assert (rec.signer.authority, rec.signer.position, rec.signer.name) == (
        "TM. ĐOÀN KIỂM TRA", "PHÓ CHỦ TỊCH UBND XÃ", "Nguyễn Văn An")
    assert "SƠN CỘNG" not in rec.text


def test_pipe_separated_header_cells() -> None:
    lines = split_columns(["ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM | Số: 30/2018/QĐ-UBND | "
                           "Hải Phòng, ngày 09 tháng 10 năm 2018", "QUYẾT ĐỊNH"])
    assert lines[:4] == ["ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 30/2018/QĐ-UBND",
                         "Hải Phòng, ngày 09 tháng 10 năm 2018"]


def _norm(lines: list[str]) -> list[str]:
    raw = RawDocument(format="txt", blocks=[Paragraph(t) for t in lines], wrapped=True)
    return [ln.text for ln in normalize(raw).lines]


def test_hard_wraps_join_but_line_starts_stay() -> None:
    # Seed 003: a PDF text dump wrapped mid-sentence, even across blank lines.
    out = _norm([
        "- Xây dựng, ban hành và triển khai các kế hoạch về kiểm soát TTHC, triển khai ",
        "",
        "cơ chế một cửa, một cửa liên thông.",
        "- Tình hình hoạt động của Bộ phận Một cửa:",
        "+ Bộ phận một cửa khang trang.",
        "a) Kiểm soát thủ tục hành chính",
        "Niêm yết công khai các thủ tục hành chính thuộc thẩm quyền.",
    ])
    assert out == [
        "- Xây dựng, ban hành và triển khai các kế hoạch về kiểm soát TTHC, triển khai cơ chế một cửa, "
        "một cửa liên thông.",
        "- Tình hình hoạt động của Bộ phận Một cửa:",
        "+ Bộ phận một cửa khang trang.",
        "a) Kiểm soát thủ tục hành chính",
        "Niêm yết công khai các thủ tục hành chính thuộc thẩm quyền.",
    ]


def test_heading_is_not_joined_to_its_first_paragraph() -> None:
    out = _norm(["1.1. Tham gia xây dựng và ban hành văn bản quy phạm pháp luật", "",
                 "Tham gia ý kiến vào xây dựng dự thảo văn bản QPPL."])
    assert len(out) == 2


def test_record_text_is_nfc_and_spans_index_it() -> None:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "THÔNG BÁO\nKết luận kiểm tra\nI. TỒN TẠI\n- Còn 01 hồ sơ quá hạn.")
    rec = parse_text(decomposed)
    assert rec.text == unicodedata.normalize("NFC", rec.text)
    k = rec.kpis[0]
    assert rec.text[k.span[0]:k.span[1]] == "01 hồ sơ"


def test_header_columns_merged_on_one_line_by_a_text_dump() -> None:
    rec = parse_text(
        "UBND XÃ ĐẠI SƠN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "ĐOÀN KIỂM TRA Độc lập - Tự do - Hạnh phúc\n"
        "Số: 05/TB-ĐKT Đại Sơn, ngày 12 tháng 5 năm 2026\n"
        "THÔNG BÁO\nKết luận kiểm tra công tác CCHC\n"
    )
    assert rec.issuer is not None and (rec.issuer.name, rec.issuer.parent) == ("ĐOÀN KIỂM TRA", "UBND XÃ ĐẠI SƠN")
    assert rec.number is not None and rec.number.raw == "05/TB-ĐKT"
    assert rec.place == "Đại Sơn" and rec.date is not None and rec.date.iso == "2026-05-12"
