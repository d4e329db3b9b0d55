"""KPIs, table figures, footnotes and references: one small made-up example per failure class
seen on real reports (issue 10). The sentences are written for these tests, not copied."""

from __future__ import annotations

import pytest

from cchc_extract import model as m
from cchc_extract.document import Paragraph, RawDocument, RawTable
from cchc_extract.extract.kpis import find_kpis
from cchc_extract.extract.references import find_citations
from cchc_extract.pipeline import notice_from_raw

Row = tuple[float, str | None, float | None, float | None, str | None]


def _kpis(text: str) -> list[Row]:
    return [(k.value, k.unit, k.numerator, k.denominator, k.qualifier) for k in find_kpis(text, 0, len(text), [])]


@pytest.mark.parametrize(("text", "expected"), [
    # A fraction and the share printed further on in its clause are one KPI (the arithmetic agrees).
    ("Phòng đã giải quyết 1.200/1.500 hồ sơ (80%) trong kỳ.", [(80, "%", 1200, 1500, None)]),
    ("Có 6/20 xã có chỉ số đạt từ 70% đến dưới 85%, chiếm tỷ lệ 30%.", [(30, "%", 6, 20, None)]),
    ("Có 8/20 đơn vị đạt từ 85% trở lên, chiếm tỷ lệ 40%;", [(40, "%", 8, 20, None)]),
    ("Có 2/20 đơn vị có chỉ số dưới 50%, chiếm tỷ lệ 10%.", [(10, "%", 2, 20, None)]),
    ("Loại Khá: 05/16 đơn vị, chiếm tỷ lệ 31%.", [(31, "%", 5, 16, None)]),
    # The bracket that splits the count keeps its own counts, with the parent's unit.
    ("đã kiểm tra 12/12 cơ quan, đơn vị (gồm: 05 phòng chuyên môn và 07 trường học), đạt 100% kế hoạch.",
     [(100, "%", 12, 12, None), (5, "cơ quan, đơn vị", None, None, None),
      (7, "cơ quan, đơn vị", None, None, None)]),
    ("kết nối 60 điểm cầu (30 trụ sở đảng ủy và 30 trụ sở UBND)",
     [(60, "điểm cầu", None, None, None), (30, "điểm cầu", None, None, None), (30, "điểm cầu", None, None, None)]),
    # A score printed with its percentage.
    ("Điểm bình quân đạt 8,4/10 điểm, chỉ số đạt 84,0%.", [(84.0, "%", 8.4, 10, None)]),
    # A rank needs its cue right before, or no counted noun after the fraction.
    ("Nhóm đánh giá và xếp hạng chung (18/20 đơn vị)", [(18, "đơn vị", 18, 20, None)]),
    ("chỉ số của tỉnh đứng thứ 05/63 tỉnh, thành phố", [(5, "rank", None, 63, None)]),
    # A rate that is itself bounded stays a KPI; the bound of a counted group does not.
    ("Tỷ lệ hồ sơ nộp trực tuyến đạt dưới 40%.", [(40, "%", None, None, "dưới")]),
    ("số hộ được hỗ trợ dưới 30% kinh phí là 12 hộ", [(12, "hộ", None, None, None)]),
    # Money with its multiplier, and other currencies.
    ("Tổng thu ngân sách ước đạt 12,5 nghìn tỷ đồng.", [(12.5, "nghìn tỷ đồng", None, None, None)]),
    ("kim ngạch xuất khẩu đạt 350,2 triệu USD.", [(350.2, "triệu USD", None, None, None)]),
    # A multiple after a comparison.
    ("vốn đăng ký cao hơn gần gấp 2 lần so với cùng kỳ", [(2, "lần", None, None, "gần")]),
    # Counted nouns of reports: bodies, people, outputs, equipment; a plural word before the noun.
    ("đã thẩm định 45 dự thảo văn bản, trang bị 16 trung tâm và bổ nhiệm 9 lãnh đạo cấp phòng",
     [(45, "dự thảo văn bản", None, None, None), (16, "trung tâm", None, None, None),
      (9, "lãnh đạo", None, None, None)]),
    ("Tỉnh tiếp nhận 12 các đơn vị sự nghiệp.", [(12, "đơn vị", None, None, None)]),
    ("đưa ra khỏi kế hoạch 12 lớp bồi dưỡng.", [(12, "lớp", None, None, None)]),
    ("Có 02/30 đơn vị chưa đạt, gồm Phường Tân An 3 và xã Bình An.", [(2, "đơn vị", 2, 30, None)]),
    # Item numbers in brackets are no counts.
    ("Bãi bỏ 03 thủ tục (số thứ tự 04, 06, 07) của danh mục", [(3, "thủ tục", None, None, None)]),
])
def test_kpi_classes(text: str, expected: list[Row]) -> None:
    assert _kpis(text) == expected


@pytest.mark.parametrize("text", [
    "Xếp loại Tốt: có chỉ số đạt từ 85% trở lên.",                  # a band bound
    "Các xã có kết quả thấp (Chỉ số dưới 60%) cần khắc phục ngay.",  # a group named by its bound
    "đạt yêu cầu về số phiếu khảo sát tối thiểu (30 phiếu).",        # a required level
    "Trường hợp có từ 03 người trở lên cùng số điểm thì xét tiếp.",  # a count band
    "hợp nhất 03 trung tâm thành 01 trung tâm",                     # counts that name the subjects
    "sắp xếp lại bộ máy của 02 huyện cũ",
    "tần suất lấy mẫu 02 đợt/tháng",                                # a frequency
    "mức phạt đối với tổ chức gấp 02 lần mức phạt đối với cá nhân",  # a legal norm, not a result
    "Tình hình cụ thể như sau: 1.",                                # a list label
    "Thời gian thi đua chia thành 02 đợt.",
    "phòng phải có đủ 15 biên chế công chức trở lên",                 # a count band without "từ"
    "nếu đạt 50% trở xuống thì người đứng đầu quyết định",
    "tài sản có giá trị từ 500 triệu đồng đến dưới 01 tỷ đồng",       # both ends of an amount band
    "Người từ đủ 80 tuổi trở lên: hệ số 2.0",                          # a dot-decimal coefficient
    "Liên hệ: Số ĐT: 0912345678",                                     # a telephone number
    "đơn vị thuộc nhóm 1, nhóm 2 quyết định việc cho thôi việc",       # a group's name
    "Mức thu phí thẩm định là 500.000 đồng/hồ sơ.",                    # levels set by a rule
    "mỗi phòng được bố trí không quá 02 cấp phó và không quá 05 người",
    "Điểm tối đa là 20/25 điểm đối với phần thứ nhất.",
    "Đơn vị tính: 1.000 đồng",
    "Ví dụ: ông B được cử đi học 02 năm, chi phí hết 60 triệu đồng.",   # a worked example
    "theo các tiêu chí tại các Điều 4, 5, 6, 7 và 8 của Nghị định",     # article numbers
    "bãi bỏ các thủ tục có số thứ tự 2, 3, 4, 6 của Phụ lục",
])
def test_not_kpi_classes(text: str) -> None:
    assert _kpis(text) == []


def test_issuer_code_with_ampersand_is_kept_whole() -> None:
    t = "theo Công văn số 77/BTP-ABCD&EFGHIJK ngày 02/3/2026 của Bộ Tư pháp"
    assert [c.number for c in find_citations(t)] == ["77/BTP-ABCD&EFGHIJK"]


def _doc(blocks: list[Paragraph | RawTable]) -> RawDocument:
    head = [Paragraph("ỦY BAN NHÂN DÂN XÃ AN PHÚ"), Paragraph("Số: 12/BC-UBND"),
            Paragraph("An Phú, ngày 10 tháng 3 năm 2026"), Paragraph("BÁO CÁO"),
            Paragraph("Kết quả công tác cải cách hành chính quý I năm 2026")]
    return RawDocument(format="pdf", blocks=head + blocks)


def _notice(blocks: list[Paragraph | RawTable]) -> m.Notice:
    src = m.Source(path="t.pdf", format="pdf", sha256="0" * 64, pages=1)
    return notice_from_raw(_doc(blocks), src)


def _table_kpis(n: m.Notice) -> list[tuple[float, str | None, float | None, float | None]]:
    lo = n.tables[0].span[0]
    return [(k.value, k.unit, k.numerator, k.denominator) for k in n.kpis if k.span[0] >= lo]


def test_table_column_roles() -> None:
    """Rank column counts (rank), the scale maximum does not, points and rates get their units."""
    n = _notice([Paragraph("I. KẾT QUẢ"), RawTable([
        ["Thứ hạng", "Đơn vị", "Điểm chuẩn tối đa", "Điểm đạt được", "Chỉ số"],
        ["1", "Phòng Văn hóa", "20,00", "18,50", "92,50%"],
        ["2", "Phòng Kinh tế", "20,00", "17,00", "85.125%"],
    ])])
    assert _table_kpis(n) == [(1, "rank", None, None), (18.5, "điểm", None, None), (92.5, "%", None, None),
                              (2, "rank", None, None), (17, "điểm", None, None), (85.125, "%", None, None)]


def test_table_unit_column_codes_and_notes() -> None:
    """A statistics form: the unit column wins, answer codes give nothing, figures in notes count."""
    n = _notice([Paragraph("I. SỐ LIỆU"), RawTable([
        ["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"],
        ["1.", "Nhóm chỉ tiêu chung", "", "", ""],
        ["1.1.", "Tỷ lệ hồ sơ đúng hạn", "%", "97,5", ""],
        ["1.2.", "Kinh phí được giao", "Triệu đồng", "1.250", ""],
        ["1.3.", "Có tổ chức khảo sát", "Có = 1; Không = 0", "1", ""],
        ["1.4.", "Số phiếu thu về", "Số lượng", "800", ""],
        ["2.", "Số đơn vị tự chủ", "Đơn vị", "40", "Cấp huyện: 10 Cấp xã: 30"],
    ])])
    assert _table_kpis(n) == [(97.5, "%", None, None), (1250, "triệu đồng", None, None),
                              (800, "phiếu", None, None), (40, "đơn vị", None, None),
                              (10, "đơn vị", None, None), (30, "đơn vị", None, None)]


def test_merged_cell_counts_once_and_is_printed_once() -> None:
    n = _notice([Paragraph("I. KẾT QUẢ"), RawTable(
        [["STT", "Đơn vị", "Điểm", "Chỉ số"],
         ["1", "Phòng A", "8,00", "80,00%"],
         ["Chỉ số trung bình", "Chỉ số trung bình", "80,00%", "80,00%"]],
        merged=[[False] * 4, [False] * 4, [False, True, False, True]])])
    assert [c.text for c in n.tables[0].rows[2]] == ["Chỉ số trung bình", "80,00%"]
    assert _table_kpis(n) == [(8, "điểm", None, None), (80, "%", None, None), (80, "%", None, None)]


def test_footnote_counts_but_joins_no_section() -> None:
    """A footnote's citation is a reference (not legal basis) and its count a KPI; under a
    findings heading its dash text is no finding."""
    n = _notice([
        Paragraph("Thực hiện Kế hoạch số 30/KH-UBND ngày 05/01/2026 của UBND huyện, UBND xã báo cáo như sau:"),
        Paragraph("I. KẾT QUẢ"),
        Paragraph("- Đã ban hành các văn bản chỉ đạo công tác cải cách hành chính."),
        Paragraph("- Quyết định số 15/QĐ-UBND ngày 20/01/2026 về kiểm tra 04 cơ quan.", note=True),
        Paragraph("II. HẠN CHẾ"),
        Paragraph("- Một số hồ sơ còn chậm cập nhật."),
    ])
    assert [r.number for r in n.references] == ["30/KH-UBND", "15/QĐ-UBND"]
    assert [r.number for r in n.legal_basis] == ["30/KH-UBND"]
    assert [(k.value, k.unit) for k in n.kpis] == [(4, "cơ quan, đơn vị")]
    assert [f.text for f in n.findings] == ["Một số hồ sơ còn chậm cập nhật."]
    assert all("15/QĐ-UBND" not in p for s in n.sections for p in s.paragraphs)


_PIPE_TABLE = """BÁO CÁO
Kết quả chấm điểm
I. KẾT QUẢ
Kết quả cụ thể như sau:
|
**STT**
|
**Đơn vị**
|
**Điểm chuẩn tối đa**
|
**Điểm đạt được**
|
**Chỉ số**
|
|
**I**
|
**Khối phòng chuyên môn**
|
|
1
|
Phòng Văn hóa
|
20,00
|
18,50
|
92,50%
|
|
2
|
Phòng Kinh tế
|
20,00
|
17,00
|
85,00%
|
|
Chỉ số trung bình
|
88,75%
|
Trên đây là báo cáo kết quả.
"""


def test_pipe_rendered_table_is_a_table() -> None:
    """A Markdown rendering with one cell per line between "|" lines: the grid is found (its
    column count from the header), a merged group row spans to the end, a merged summary row
    keeps its figure in the last column, and the table's figures are KPIs."""
    from cchc_extract import parse_text

    n = parse_text(_PIPE_TABLE)
    assert [[c.text for c in r] for r in n.tables[0].rows] == [
        ["STT", "Đơn vị", "Điểm chuẩn tối đa", "Điểm đạt được", "Chỉ số"],
        ["I", "Khối phòng chuyên môn"],
        ["1", "Phòng Văn hóa", "20,00", "18,50", "92,50%"],
        ["2", "Phòng Kinh tế", "20,00", "17,00", "85,00%"],
        ["Chỉ số trung bình", "88,75%"],
    ]
    assert [(k.value, k.unit) for k in n.kpis] == [(18.5, "điểm"), (92.5, "%"), (17, "điểm"), (85, "%"),
                                                  (88.75, "%")]
    assert n.kpis[-1].label == "Chỉ số trung bình - Chỉ số"


def test_two_column_pipe_layout_stays_lines() -> None:
    """The issuing body | national motto grid of a rendering is layout, not a body table."""
    from cchc_extract import parse_text

    text = ("|\n**ỦY BAN NHÂN DÂN**\n**XÃ AN PHÚ**\n|\n**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**\n|\n|\n"
            "Số: 12/BC-UBND\n|\nAn Phú, ngày 10 tháng 3 năm 2026\n|\n**BÁO CÁO**\nKết quả quý I\n")
    n = parse_text(text)
    assert n.tables == [] and n.number is not None and n.number.raw == "12/BC-UBND"
