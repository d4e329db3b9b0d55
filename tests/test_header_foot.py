"""Header and foot failure classes of real documents (issue 10), each pinned by a small made-up text.

Blank fields typed with spaces, dots or ellipses; converted text (law-library Markdown with ``|``
cells, rules and emphasis wrapped over lines; pdftotext and LibreOffice dumps with one header cell
per line); letters (công văn), decrees and decisions whose headers differ from a notice's;
signature blocks with missing or extra lines; working sessions as inspections.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cchc_extract import parse_text
from cchc_extract.model import Notice

from .helpers import assert_spans_valid

BODY = "I. KẾT QUẢ\n- Đơn vị đã niêm yết đủ 12 thủ tục.\n"
FOOT = "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nTrần Văn Bình\n"


def _check(rec: Notice) -> Notice:
    assert_spans_valid(rec.model_dump(mode="json"))
    return rec


def test_blank_fields_typed_with_spaces_fail_alone() -> None:
    text = (
        "ỦY BAN NHÂN DÂN                  CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "XÃ HÒA BÌNH                           Độc lập - Tự do - Hạnh phúc\n"
        "Số:          /TB-UBND         Hòa Bình, ngày     tháng 01 năm 2026\n\n"
        "THÔNG BÁO\nKết luận kiểm tra công tác cải cách hành chính\n" + BODY + FOOT
    )
    rec = _check(parse_text(text))
    assert rec.number is not None and (rec.number.raw, rec.number.seq) == ("/TB-UBND", None)
    assert rec.place == "Hòa Bình"
    assert rec.date is not None and (rec.date.day, rec.date.month, rec.date.year) == (None, 1, 2026)
    assert rec.issuer is not None and rec.issuer.name == "ỦY BAN NHÂN DÂN XÃ HÒA BÌNH"


def test_blank_fields_typed_with_dots_fail_alone() -> None:
    text = ("ỦY BAN NHÂN DÂN\nXÃ HÒA BÌNH\nSố: …/BC-UBND\nHòa Bình, ngày ..... tháng 01 năm 2026\n"
            "BÁO CÁO\nKết quả công tác quý I\n" + BODY + FOOT)
    rec = _check(parse_text(text))
    assert rec.number is not None and rec.number.raw == "/BC-UBND" and rec.number.type_code == "BC"
    assert rec.place == "Hòa Bình"
    assert rec.date is not None and rec.date.raw == "ngày tháng 01 năm 2026" and rec.date.day is None
    assert rec.issuer is not None and rec.issuer.name == "ỦY BAN NHÂN DÂN XÃ HÒA BÌNH"


MARKDOWN = """\
|
**SỞ NỘI VỤ TỈNH
BÌNH AN**
-------
|
**CỘNG HÒA XÃ HỘI
CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
---------------
|
|
Số:
07/TB-SNV
|
*Bình An, ngày 14
tháng 3 năm 2026*
|
* *
**THÔNG BÁO**
KẾT
LUẬN CỦA GIÁM ĐỐC SỞ TẠI BUỔI LÀM VIỆC VỚI LÃNH ĐẠO XÃ ĐÔNG HÀ
Ngày 10 tháng 3 năm 2026, Giám đốc Sở Nội vụ Nguyễn Văn Kiên đã chủ trì buổi làm việc với lãnh đạo
xã Đông Hà về kết quả cải cách hành chính 9 tháng năm 2026. Sau khi nghe báo cáo, Giám đốc Sở kết luận:
**I. ĐÁNH GIÁ
CHUNG**
Xã đã hoàn thành 12 thủ tục.
|
Nơi nhận:
- UBND xã Đông Hà;
- Phòng CCHC, Phòng TCBC, Văn phòng Sở, Trung tâm
TTĐT, các phòng: KH, TC;
- Lưu: VT, CCHC.
|
**KT. GIÁM ĐỐC,
TRƯỞNG BAN**
PHÓ GIÁM ĐỐC
**Lê Thị
Hoa**
|
"""


def test_markdown_cells_rules_and_wrapped_emphasis() -> None:
    rec = _check(parse_text(MARKDOWN))
    assert "|" not in rec.text and "---" not in rec.text and "*" not in rec.text
    assert rec.issuer is not None and (rec.issuer.name, rec.issuer.parent) == ("SỞ NỘI VỤ TỈNH BÌNH AN", None)
    assert rec.number is not None and rec.number.raw == "07/TB-SNV"
    assert rec.place == "Bình An" and rec.date is not None and rec.date.iso == "2026-03-14"
    assert rec.doc_type is not None and rec.doc_type.code == "TB"
    assert rec.title == "KẾT LUẬN CỦA GIÁM ĐỐC SỞ TẠI BUỔI LÀM VIỆC VỚI LÃNH ĐẠO XÃ ĐÔNG HÀ"
    assert [s.title for s in rec.sections] == ["ĐÁNH GIÁ CHUNG"]
    assert rec.signer is not None
    assert (rec.signer.authority, rec.signer.position, rec.signer.name) == (
        "KT. GIÁM ĐỐC, TRƯỞNG BAN", "PHÓ GIÁM ĐỐC", "Lê Thị Hoa")
    assert rec.recipients == ["UBND xã Đông Hà",
                              "Phòng CCHC, Phòng TCBC, Văn phòng Sở, Trung tâm TTĐT, các phòng: KH, TC",
                              "Lưu: VT, CCHC"]


def test_working_session_is_an_inspection() -> None:
    rec = parse_text(MARKDOWN)
    assert rec.inspection is not None
    assert rec.inspection.team == "Giám đốc Sở Nội vụ Nguyễn Văn Kiên"
    assert rec.inspection.dates == ["2026-03-10"]
    assert rec.inspection.units == ["lãnh đạo xã Đông Hà"]
    assert rec.period is not None and (rec.period.year, rec.period.quarter, rec.period.raw) == (
        2026, None, "9 tháng năm 2026")


def test_listed_days_of_a_visit_are_each_a_date() -> None:
    text = MARKDOWN.replace("Ngày 10 tháng 3 năm 2026,", "Trong các ngày 09 và 10 tháng 3 năm 2026,")
    rec = parse_text(text)
    assert rec.inspection is not None and rec.inspection.dates == ["2026-03-09", "2026-03-10"]


def test_topic_meeting_is_no_inspection() -> None:
    text = MARKDOWN.replace("TẠI BUỔI LÀM VIỆC VỚI LÃNH ĐẠO XÃ ĐÔNG HÀ", "TẠI CUỘC HỌP VỀ DỰ THẢO ĐỀ ÁN")
    assert parse_text(text).inspection is None


def test_narrative_opening_is_no_legal_basis() -> None:
    text = MARKDOWN.replace("về kết quả cải cách hành chính", "theo Kế hoạch số 12/KH-SNV về kết quả cải cách hành chính")
    rec = parse_text(text)
    assert "12/KH-SNV" in [r.number for r in rec.references]
    assert rec.legal_basis == []


def test_one_cell_per_line_text_dump() -> None:
    # pdftotext without -layout: the stamped sequence and the rest of the number on their own lines.
    text = ("ỦY BAN NHÂN DÂN\nXÃ HÒA BÌNH\nSố: 45\n\n/BC-UBND\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\n"
            "Độc lập - Tự do - Hạnh phúc\nHòa Bình, ngày 03 tháng 4 năm 2026\n\nBÁO CÁO\n"
            "Kết quả công tác quý I\n" + BODY + FOOT)
    rec = _check(parse_text(text))
    assert rec.number is not None and (rec.number.raw, rec.number.seq) == ("45/BC-UBND", 45)
    assert rec.date is not None and rec.date.iso == "2026-04-03"


def test_layout_dump_foot_with_one_side_by_side_line_and_an_appendix() -> None:
    text = (
        "ỦY BAN NHÂN DÂN                  CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "XÃ HÒA BÌNH                           Độc lập - Tự do - Hạnh phúc\n"
        "Số: 45/BC-UBND                  Hòa Bình, ngày 03 tháng 4 năm 2026\n\n"
        "BÁO CÁO\nKết quả công tác quý I\n" + BODY +
        " Nơi nhận:                                         KT. CHỦ TỊCH\n"
        " - UBND huyện;\n"
        "                                                  PHÓ CHỦ TỊCH\n"
        " - Lưu: VT.\n"
        "                                                 Trần Văn Bình\n"
        "                                               PHỤ LỤC\n"
        "      Biểu 1        Số liệu       Ghi chú\n"
        "      Hồ sơ           120           đủ\n"
    )
    rec = _check(parse_text(text))
    assert rec.recipients == ["UBND huyện", "Lưu: VT"]
    assert rec.signer is not None and (rec.signer.authority, rec.signer.name) == ("KT. CHỦ TỊCH", "Trần Văn Bình")


def test_letter_with_a_vv_block_is_a_cong_van() -> None:
    text = ("BỘ NỘI VỤ\nCỤC TIỀN LƯƠNG\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "Số: 215/CT-TL\nV/v hướng dẫn chế độ phụ cấp\nHà Nội, ngày 05 tháng 3 năm 2026\n"
            "Kính gửi: Sở Nội vụ tỉnh Bình An.\nCục có ý kiến như sau:\n- Phụ cấp chi trả theo quy định.\n"
            "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nTL. BỘ TRƯỞNG\nCỤC TRƯỞNG\nPhạm Văn Tâm\n")
    rec = _check(parse_text(text))
    assert rec.doc_type is not None and (rec.doc_type.code, rec.doc_type.name) == (None, "Công văn")
    assert rec.title == "V/v hướng dẫn chế độ phụ cấp"
    assert rec.number is not None and (rec.number.type_code, rec.number.issuer_code) == (None, "CT-TL")
    assert rec.issuer is not None and (rec.issuer.name, rec.issuer.parent) == ("CỤC TIỀN LƯƠNG", "BỘ NỘI VỤ")
    assert rec.place == "Hà Nội"


def test_enacting_authority_is_not_the_title() -> None:
    text = ("ỦY BAN NHÂN DÂN\nTỈNH BÌNH AN\nSố: 310/QĐ-UBND\nBình An, ngày 02 tháng 3 năm 2026\nQUYẾT ĐỊNH\n"
            "VỀ VIỆC CÔNG BỐ DANH MỤC THỦ TỤC HÀNH CHÍNH THUỘC THẨM QUYỀN GIẢI QUYẾT CỦA\n"
            "ỦY BAN NHÂN DÂN CẤP XÃ\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BÌNH AN\n"
            "Căn cứ Luật Tổ chức chính quyền địa phương;\nQUYẾT ĐỊNH:\nĐiều 1. Công bố kèm theo Quyết định này.\n"
            "Điều 2. Quyết định này có hiệu lực từ ngày ký./.\n" + FOOT)
    rec = _check(parse_text(text))
    # the body name after a title line ending on "CỦA" continues the title; the next line enacts
    assert rec.title == ("VỀ VIỆC CÔNG BỐ DANH MỤC THỦ TỤC HÀNH CHÍNH THUỘC THẨM QUYỀN GIẢI QUYẾT CỦA "
                         "ỦY BAN NHÂN DÂN CẤP XÃ")
    assert rec.doc_type is not None and rec.doc_type.code == "QĐ"


def test_legal_types_head_their_own_documents() -> None:
    text = ("BỘ NỘI VỤ\nSố: 05/2026/TT-BNV\nHà Nội, ngày 02 tháng 3 năm 2026\nTHÔNG TƯ\n"
            "Hướng dẫn chế độ báo cáo\nCăn cứ Luật Tổ chức Chính phủ;\nĐiều 1. Phạm vi\n" + FOOT)
    rec = parse_text(text)
    assert rec.doc_type is not None and (rec.doc_type.code, rec.doc_type.name) == ("TT", "Thông tư")
    assert rec.title == "Hướng dẫn chế độ báo cáo"
    assert rec.issuer is not None and rec.issuer.name == "BỘ NỘI VỤ"


def test_signature_block_without_a_name_keeps_the_title_as_position() -> None:
    text = "THÔNG BÁO\nKết luận kiểm tra\n" + BODY + "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n"
    rec = parse_text(text)
    assert rec.signer is not None
    assert (rec.signer.authority, rec.signer.position, rec.signer.name) == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", None)


def test_rank_before_the_name_is_not_a_position() -> None:
    text = ("THÔNG BÁO\nKết luận kiểm tra\n" + BODY
            + "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nThiếu tướng Hoàng Văn Đức\n")
    rec = parse_text(text)
    assert rec.signer is not None
    assert (rec.signer.position, rec.signer.name) == ("THỨ TRƯỞNG", "Thiếu tướng Hoàng Văn Đức")


def test_clerk_notes_between_recipients_and_block_are_skipped() -> None:
    text = ("THÔNG BÁO\nKết luận kiểm tra\n" + BODY
            + "Nơi nhận:\n- Như trên;\n- Lưu: VT, VP.\n05 bản, TB12.\nKý bởi: Văn phòng UBND\n"
            + "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nTrần Văn Bình\n")
    rec = parse_text(text)
    assert rec.recipients == ["Như trên", "Lưu: VT, VP"]
    assert rec.signer is not None and (rec.signer.authority, rec.signer.name) == ("TM. ỦY BAN NHÂN DÂN", "Trần Văn Bình")


def test_attached_form_does_not_replace_the_documents_own_foot() -> None:
    text = ("QUYẾT ĐỊNH\nVề việc ban hành mẫu báo cáo\nĐiều 1. Ban hành mẫu kèm theo./.\n" + FOOT
            + "MẪU SỐ 01\nBÁO CÁO KẾT QUẢ\nNơi nhận:\n- ……;\n- Lưu: VT.\nTHỦ TRƯỞNG ĐƠN VỊ\n(Ký tên, đóng dấu)\n")
    rec = parse_text(text)
    assert rec.signer is not None and rec.signer.name == "Trần Văn Bình"
    assert rec.recipients == ["Như trên", "Lưu: VT"]


def test_block_without_recipients_after_the_end_mark() -> None:
    text = ("QUYẾT ĐỊNH\nVề việc ban hành quy chế\nĐiều 1. Ban hành kèm theo Quyết định này Quy chế./.\n"
            "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nTrần Văn Bình\nQUY CHẾ\nLàm việc của Ủy ban\n"
            "Chương I\nQUY ĐỊNH CHUNG\nĐiều 1. Phạm vi điều chỉnh\n")
    rec = parse_text(text)
    assert rec.signer is not None and (rec.signer.position, rec.signer.name) == ("PHÓ CHỦ TỊCH", "Trần Văn Bình")


def test_corpus_report_counts_found_fields(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import importlib.util
    import sys

    script = Path(__file__).resolve().parent.parent / "scripts" / "corpus_report.py"
    spec = importlib.util.spec_from_file_location("corpus_report", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["corpus_report"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    (tmp_path / "a.txt").write_text(MARKDOWN, encoding="utf-8")
    (tmp_path / "b.txt").write_text("THÔNG BÁO\nKết luận kiểm tra\n" + BODY, encoding="utf-8")
    assert module.main([str(tmp_path), "--missing", "number"]) == 0
    out = capsys.readouterr().out
    assert "documents: 2 parsed: 2 failed: 0" in out
    number = next(line for line in out.splitlines() if line.startswith("number"))
    assert number.split()[1:4] == ["1", "2", "50.0%"] and "1/1" in number
