"""Unit tests per pattern family, with real phrasings from the seeds and the domain notes."""

from __future__ import annotations

import pytest

from cchc_extract import parse_text
from cchc_extract.extract import metadata as md
from cchc_extract.extract.dates import match_date
from cchc_extract.extract.deadlines import find_deadlines
from cchc_extract.extract.kpis import find_kpis
from cchc_extract.extract.numbers import parse_number
from cchc_extract.extract.references import find_citations, type_code_of
from cchc_extract.normalize import clean_line
from cchc_extract.segment.kinds import heading_unit, own_kind
from cchc_extract.textutil import match_label


@pytest.mark.parametrize(("printed", "value"), [
    ("3.067", 3067), ("99,6", 99.6), ("6476", 6476), ("99.385", 99385), ("1.000", 1000), ("29,78", 29.78),
    ("270.819", 270819), ("0,5", 0.5),
])
def test_vietnamese_numbers(printed: str, value: float) -> None:
    assert parse_number(printed) == pytest.approx(value)


@pytest.mark.parametrize(("line", "raw", "seq", "type_code", "issuer_code"), [
    ("Số: 02/TB-TKT", "02/TB-TKT", 2, "TB", "TKT"),
    ("Số: /TB-ĐKT", "/TB-ĐKT", None, "TB", "ĐKT"),
    ("Số: /BC-UBND", "/BC-UBND", None, "BC", "UBND"),
    ("Số:           /BC-UBND", "/BC-UBND", None, "BC", "UBND"),
    ("Số: 30/2018/QĐ-UBND", "30/2018/QĐ-UBND", 30, "QĐ", "UBND"),
    ("Số: 493/TB-UBND", "493/TB-UBND", 493, "TB", "UBND"),
])
def test_document_number(line: str, raw: str, seq: int | None, type_code: str, issuer_code: str) -> None:
    n = md.parse_number(line)
    assert n is not None
    assert (n.raw, n.seq, n.type_code, n.issuer_code) == (raw, seq, type_code, issuer_code)


def test_number_year() -> None:
    n = md.parse_number("Số: 30/2018/QĐ-UBND")
    assert n is not None and n.year == 2018


@pytest.mark.parametrize(("line", "place", "day", "month", "year"), [
    ("Xã Nguyễn Lương Bằng, ngày 06 tháng 7 năm 2026", "Xã Nguyễn Lương Bằng", 6, 7, 2026),
    ("Đại Sơn, ngày tháng 4 năm 2026", "Đại Sơn", None, 4, 2026),
    ("Xã Nguyễn Lương Bằng, ngày tháng năm 2026", "Xã Nguyễn Lương Bằng", None, None, 2026),
    ("Quảng Nghiệp, ngày 13 tháng 9 năm 2023", "Quảng Nghiệp", 13, 9, 2023),
    ("Lâm Đồng, ngày      tháng 01 năm 2026", "Lâm Đồng", None, 1, 2026),
])
def test_place_and_partial_dates(line: str, place: str, day: int | None, month: int | None, year: int) -> None:
    p, d = md.parse_place_date(line)
    assert p == place
    assert d is not None and (d.day, d.month, d.year) == (day, month, year)
    assert (d.iso is None) == (day is None or month is None)


def test_partial_date_is_never_completed_from_today() -> None:
    rec = parse_text("Số: /TB-ĐKT\nĐại Sơn, ngày tháng 4 năm 2026\nTHÔNG BÁO\nKết luận kiểm tra")
    assert rec.date is not None and rec.date.day is None and rec.date.iso is None
    assert any(w.startswith("date_partial") for w in rec.warnings)
    assert any(w.startswith("number_blank_sequence") for w in rec.warnings)


@pytest.mark.parametrize(("text", "number", "type_code", "type_name", "date", "issuer"), [
    ("Thực hiện Kế hoạch số 55/KH-UBND ngày 05/02/2026 của UBND xã Nguyễn Lương Bằng về việc kiểm tra",
     "55/KH-UBND", "KH", "Kế hoạch", "2026-02-05", "UBND xã Nguyễn Lương Bằng"),
    ("Căn cứ Quyết định số 53/KH-UBND ngày 13/01/2026 do UBND xã ban hành Kế hoạch",
     "53/KH-UBND", "KH", "Quyết định", "2026-01-13", "UBND xã"),
    ("quy định tại Nghị định 118/2025/NĐ-CP, ngày 09/6/2025 về thực hiện", "118/2025/NĐ-CP", "NĐ", "Nghị định",
     "2025-06-09", None),
    ("theo QĐ số 50/2020/QĐ-UBND ngày 16/10/2020 của UBND tỉnh, không", "50/2020/QĐ-UBND", "QĐ", "Quyết định",
     "2020-10-16", "UBND tỉnh"),
    ("Kết luận thanh tra số 1062/KL-TTr ngày 11/9/2023 của Thanh tra tỉnh Hải Dương (cũ) vẫn còn",
     "1062/KL-TTr", "KL", "Kết luận thanh tra", "2023-09-11", "Thanh tra tỉnh Hải Dương (cũ)"),
    ("Công văn số 02/UBND-VP ngày 03/02/2026 về việc chấp hành", "02/UBND-VP", None, "Công văn", "2026-02-03", None),
    ("xếp hạng theo Bộ chỉ số 766/QĐ-TTg (tính đến ngày 12/3/2026)", "766/QĐ-TTg", "QĐ", "Quyết định", None, None),
    ("UBND xã Ban hành kế hoạch số 55/KH- UBND ngày 05/02/2026 về việc", "55/KH-UBND", "KH", "Kế hoạch",
     "2026-02-05", "UBND xã"),
    ("chưa đúng mẫu theo TT343/2016; mà lấy", "TT343/2016", "TT", "Thông tư", None, None),
    ("Ngày 10/7/2023, UBND xã đã xây dựng được Kế hoạch số 75/KH-UBND về Chuyển đổi số", "75/KH-UBND", "KH",
     "Kế hoạch", "2023-07-10", "UBND xã"),
    ("theo Nghị quyết 18-NQ/TW của Ban Chấp hành Trung ương", "18-NQ/TW", "NQ", "Nghị quyết", None,
     "Ban Chấp hành Trung ương"),
])
def test_citations(text: str, number: str, type_code: str | None, type_name: str, date: str | None,
                   issuer: str | None) -> None:
    cits = find_citations(text)
    assert len(cits) == 1, cits
    c = cits[0]
    assert (c.number, c.type_code, c.type_name, c.date, c.issuer) == (number, type_code, type_name, date, issuer)
    assert number[:3] in text[c.start:c.end].replace(" ", "")


@pytest.mark.parametrize("text", ["3.067/3.080 hồ sơ", "ngày 05/02/2026", "VH-XH", "24/24 giờ", "1.056 phiếu/1026",
                                  "Lưu: VT, VH-XH.", "quý 1/2026"])
def test_not_citations(text: str) -> None:
    assert find_citations(text) == []


def test_type_code_of_lost_hyphen() -> None:
    assert type_code_of("1961/QĐUBND") == "QĐ"
    assert type_code_of("338/HĐPH-PB&TG") is None


def _kpis(text: str) -> list[tuple[float, str | None, float | None, float | None, str | None, bool]]:
    return [(k.value, k.unit, k.numerator, k.denominator, k.qualifier, k.is_target)
            for k in find_kpis(text, 0, len(text), [])]


@pytest.mark.parametrize(("text", "expected"), [
    ("Tỷ lệ giải quyết trước hạn: 3.067/3.080 hồ sơ, đạt 99,6%; chỉ có 02 hồ sơ giải quyết quá hạn.",
     [(99.6, "%", 3067, 3080, None, False), (2, "hồ sơ", None, None, None, False)]),
    ("Xã Đại Sơn được xếp hạng 40/114 đơn vị cấp xã, phường", [(40, "rank", None, 114, None, False)]),
    ("thu quý 1/2026 99.385 triệu đồng bằng 36,69% so với kế hoạch 270.819 triệu đồng.",
     [(99385, "triệu đồng", None, None, None, False), (36.69, "%", None, None, None, False),
      (270819, "triệu đồng", None, None, None, True)]),
    ("Tỷ lệ hồ sơ giải quyết đúng hạn đạt trên 99%", [(99, "%", None, None, "trên", False)]),
    ("phấn đấu đạt tỷ lệ tối thiểu 50% trong Quý II/2026", [(50, "%", None, None, "tối thiểu", True)]),
    ("Tổ chức lấy 1.056 phiếu/1026, kết quả 97,15% số phiếu rất hài lòng",
     [(97.15, "%", 1026, 1056, None, False)]),
    ("Thực hiện được 03/5 cuộc tiếp xúc, đối thoại (Chỉ tiêu 5 cuộc đối thoại/năm).",
     [(3, "cuộc", 3, 5, None, False), (5, "cuộc", None, None, None, True)]),
    ("+ Hồ sơ từ chối giải quyết: 55; hồ sơ rút: 19", [(55, "hồ sơ", None, None, None, False),
                                                      (19, "hồ sơ", None, None, None, False)]),
    ("Số lượng lượt tiếp cận thông tin qua mạng xã hội ước tính 2800 Lượt người theo dõi",
     [(2800, "lượt", None, None, "ước tính", False)]),
    ("Tổng số cán bộ, công chức, viên chức hiện có 41 đồng chí; viên chức 04 đ/c",
     [(41, "đồng chí", None, None, None, False), (4, "đồng chí", None, None, None, False)]),
    ("Có 574/574 văn bản (đạt 100%) các văn bản đi", [(100, "%", 574, 574, None, False)]),
    ("đã hoàn thành đúng hạn 123/123 nhiệm vụ (đạt 100%).", [(100, "%", 123, 123, None, False)]),
    ("Tỷ lệ hồ sơ trực tuyến đạt 99.6%; 3.099 hồ sơ", [(99.6, "%", None, None, None, False), (3099, "hồ sơ", None, None, None, False)]),
    ("Số hồ sơ giải quyết trước và đúng hạn là 467.565 (tỷ lệ 99,81%)", [(99.81, "%", 467565, None, None, False)]),
    ("tỷ lệ hồ sơ trực tuyến toàn trình đạt 90,58% (419.218/462.814).", [(90.58, "%", 419218, 462814, None, False)]),
    ("Tỷ lệ thanh toán trực tuyến mới đạt 35%, thấp hơn chỉ tiêu của huyện (50%).",
     [(35, "%", None, None, None, False), (50, "%", None, None, None, True)]),
])
def test_kpi_phrasings(text: str, expected: list[tuple[float, str | None, float | None, float | None,
                                                          str | None, bool]]) -> None:
    assert _kpis(text) == expected


@pytest.mark.parametrize("text", [
    "Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001:2015.",
    "chuyển đổi số và Đề án 06; tăng cường tuyên truyền",
    "camera theo dõi giám sát hoạt động của trung tâm 24/24 để đảm bảo an ninh",
    "dịch vụ công trực tuyến mức độ 3, mức độ 4, thanh toán trực tuyến",
    "Chương trình tổng thể CCHC giai đoạn 2021-2030.",
    "báo cáo Quý, 6 tháng; Tập trung vào 2 nội dung",
    "biên bản làm việc trực tiếp của các Thành viên Đoàn kiểm tra 243 tại các đơn vị",
    "trước ngày 20/7/2026; báo cáo kết quả thực hiện",
])
def test_not_kpis(text: str) -> None:
    assert _kpis(text) == []


@pytest.mark.parametrize(("text", "date", "raw"), [
    ("bảo đảm hoàn thành trước ngày 20/7/2026; báo cáo", "2026-07-20", "trước ngày 20/7/2026"),
    ("(Thư ký Đoàn kiểm tra) thời gian hoàn thành trước ngày 19/9/2023).", "2023-09-19",
     "thời gian hoàn thành trước ngày 19/9/2023"),
    ("về Đoàn kiểm tra (qua phòng Văn hóa – Xã hội) trước ngày 15 tháng 8 năm 2026 để tổng hợp", "2026-08-15",
     "trước ngày 15 tháng 8 năm 2026"),
    ("ban hành Kế hoạch CCHC đúng thời gian trước ngày 15/01 theo quy định", "2026-01-15", "trước ngày 15/01"),
    ("gửi báo cáo chậm nhất ngày 05/12/2025", "2025-12-05", "chậm nhất ngày 05/12/2025"),
    ("Các đơn vị hoàn thành trước 30/6/2026; báo cáo", "2026-06-30", "trước 30/6/2026"),
    ("báo cáo không muộn hơn ngày 05/7/2026.", "2026-07-05", "không muộn hơn ngày 05/7/2026"),
])
def test_deadlines(text: str, date: str, raw: str) -> None:
    found = find_deadlines(text, 0, len(text), 2026)
    assert [(d.date, d.raw) for d in found] == [(date, raw)]
    assert text[found[0].start:found[0].end] == raw


def test_deadline_without_year_and_without_context_is_dropped() -> None:
    assert find_deadlines("trước ngày 15/01", 0, 16, None) == []


def test_deadline_responsible() -> None:
    text = "Các đơn vị được kiểm tra khẩn trương tập trung khắc phục ... trước ngày 15/8/2026."
    assert find_deadlines(text, 0, len(text), None)[0].responsible == "Các đơn vị được kiểm tra"


@pytest.mark.parametrize(("text", "label", "style"), [
    ("I. ĐÁNH GIÁ CHUNG", "I", "roman"), ("2.1. Đối với Trung tâm", "2.1", "decimal2"), ("a) Kết quả đạt được", "a", "letter"),
    ("5.Lấy ý kiến đánh giá", "5", "arabic"), ("1.1. Tham gia xây dựng", "1.1", "decimal2"),
    ("I/ ĐÁNH GIÁ CHUNG", "I", "roman"), ("IV- KIẾN NGHỊ", "IV", "roman"), ("1/ Ưu điểm", "1", "arabic"),
    ("A. KẾT QUẢ ĐẠT ĐƯỢC", "A", "upper"), ("(1) Về công tác chỉ đạo", "1", "paren"),
])
def test_labels(text: str, label: str, style: str) -> None:
    lab = match_label(text)
    assert lab is not None and (lab.label, lab.style) == (label, style)


@pytest.mark.parametrize("text", ["1.467 hồ sơ", "3.099 hồ sơ", "100% hồ sơ", "- Việc cập nhật", "V/v báo cáo kết quả",
                                  "1/2026 là năm", "1/5 cuộc"])
def test_not_labels(text: str) -> None:
    assert match_label(text) is None


@pytest.mark.parametrize(("title", "kind"), [
    ("Kết quả đạt được", "strengths"), ("Tồn tại, hạn chế", "limitations"), ("MỘT SỐ TỒN TẠI, HẠN CHẾ", "limitations"),
    ("NHỮNG MẶT ĐẠT ĐƯỢC", "strengths"), ("Nguyên nhân", "causes"), ("Yêu cầu khắc phục", "requirements"),
    ("YÊU CẦU, KIẾN NGHỊ", "requirements"), ("Kiến nghị đối với UBND xã", "recommendations"),
    ("KẾT LUẬN VÀ TỔ CHỨC THỰC HIỆN", "conclusion"), ("ĐÁNH GIÁ CHUNG", "general"),
    ("NHẬN XÉT, ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN", "general"), ("KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH", "results"),
    ("PHƯƠNG HƯỚNG, NHIỆM VỤ CCHC TRỌNG TÂM QUÝ II", "tasks"), ("Ưu điểm nổi bật", "strengths"),
])
def test_heading_kinds(title: str, kind: str) -> None:
    assert own_kind(title, "BC") == kind


def test_heading_kind_depends_on_document_type() -> None:
    assert own_kind("NHIỆM VỤ TRONG THỜI GIAN TỚI", "TB") == "requirements"
    assert own_kind("NHIỆM VỤ TRONG THỜI GIAN TỚI", "BC") == "tasks"
    assert own_kind("a) Về công tác chỉ đạo, điều hành", "TB") is None


@pytest.mark.parametrize(("title", "unit"), [
    ("Đối với Trung tâm phục vụ hành chính công", "Trung tâm phục vụ hành chính công"),
    ("Kiến nghị đối với UBND xã", "UBND xã"), ("Văn phòng HĐND và UBND xã", "Văn phòng HĐND và UBND xã"),
    ("KẾT QUẢ KIỂM TRA ĐỐI VỚI CÁC CƠ QUAN, ĐƠN VỊ", None), ("Ban hành văn bản", None),
])
def test_heading_units(title: str, unit: str | None) -> None:
    assert heading_unit(title) == unit


def test_markdown_emphasis_removed() -> None:
    assert clean_line("**TM. ĐOÀN KIỂM TRA") == "TM. ĐOÀN KIỂM TRA"
    assert clean_line("hoàn thành trước ngày **20/7/2026**;") == "hoàn thành trước ngày 20/7/2026;"
    assert clean_line("(*dự kiến thành lập Tổ kiểm tra*)") == "(dự kiến thành lập Tổ kiểm tra)"
    assert clean_line("* Tiến độ, kết quả") == "* Tiến độ, kết quả"


def test_signature_stacks() -> None:
    s = md.parse_signer(["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Đoàn Văn Cát"])
    assert s is not None and (s.authority, s.position, s.name) == ("TM. ỦY BAN NHÂN DÂN", "PHÓ CHỦ TỊCH", "Đoàn Văn Cát")
    s = md.parse_signer(["TM. ĐOÀN KIỂM TRA", "TRƯỞNG ĐOÀN", "PHÓ CHỦ TỊCH UBND PHƯỜNG", "Lê Văn Thịnh"])
    assert s is not None and (s.authority, s.position) == ("TM. ĐOÀN KIỂM TRA", "PHÓ CHỦ TỊCH UBND PHƯỜNG")
    s = md.parse_signer(["TRƯỞNG ĐOÀN", "PHÓ CHỦ TỊCH UBND XÃ", "Nguyễn Thị Minh Huệ"])
    assert s is not None and s.authority is None and s.lines[0] == "TRƯỞNG ĐOÀN"


def test_issuer_lines_join_territory() -> None:
    iss = md.parse_issuer(["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG"])
    assert iss is not None and (iss.name, iss.parent) == ("ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", None)
    iss = md.parse_issuer(["UBND XÃ NGUYỄN LƯƠNG BẰNG", "TỔ KIỂM TRA CÔNG TÁC CCHC"])
    assert iss is not None and (iss.name, iss.parent) == ("TỔ KIỂM TRA CÔNG TÁC CCHC", "UBND XÃ NGUYỄN LƯƠNG BẰNG")


def test_period_quarter() -> None:
    p = md.find_period(["Đánh giá kết quả thực hiện nhiệm vụ CCHC nhà nước quý I, nhiệm vụ trọng tâm CCHC quý II năm 2026"])
    assert p is not None and (p.year, p.quarter) == (2026, 1)
    p = md.find_period(["Báo cáo công tác CCHC 6 tháng đầu năm 2025"])
    assert p is not None and (p.year, p.half) == (2025, 1)
    assert md.find_period(["Xã A, ngày 06 tháng 7 năm 2026"]) is None


def test_match_date_forms() -> None:
    fd = match_date("15 tháng 8 năm 2026")
    assert fd is not None and fd.iso() == "2026-08-15"
    assert match_date("31/02/2026") is not None and match_date("31/02/2026").iso() is None  # type: ignore[union-attr]
