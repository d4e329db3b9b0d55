"""The heading tree, heading kinds and the findings under them, one test per failure class.

Every example is written for these tests (made-up commune offices and wording in the style of
Decree 30/2020 documents); none is copied from a real document.
"""

from __future__ import annotations

import pytest

from cchc_extract import parse_text
from cchc_extract.model import Notice, Section
from cchc_extract.segment.kinds import heading_unit, own_kind

HEAD = """UBND XÃ AN BÌNH
Số: 05/{code}-UBND
An Bình, ngày 10 tháng 6 năm 2026
{name}
{title}
"""
FOOT = """Nơi nhận:
- Như trên;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Nguyễn Văn An
"""
NAMES = {"TB": ("THÔNG BÁO", "Kết luận kiểm tra công tác cải cách hành chính tại xã An Bình"),
         "BC": ("BÁO CÁO", "Kết quả công tác cải cách hành chính 6 tháng đầu năm 2026"),
         "KH": ("KẾ HOẠCH", "Tuyên truyền cải cách hành chính năm 2026")}


def doc(body: str, code: str = "TB", annex: str = "") -> Notice:
    name, title = NAMES[code]
    return parse_text(HEAD.format(code=code, name=name, title=title) + body.strip() + "\n" + FOOT + annex)


def flat(sections: list[Section]) -> list[Section]:
    out: list[Section] = []
    for s in sections:
        out.append(s)
        out.extend(flat(s.children))
    return out


def outline(rec: Notice) -> list[tuple[str | None, str, int, str]]:
    return [(s.label, s.title, s.level, s.kind) for s in flat(rec.sections)]


def findings(rec: Notice) -> list[tuple[str, list[str], str]]:
    return [(f.kind, f.section, f.text[:30]) for f in rec.findings]


# --- heading kinds -----------------------------------------------------------------------

def test_work_ahead_heading_is_requirements_in_a_notice_and_tasks_in_a_report() -> None:
    body = """I. ĐÁNH GIÁ CHUNG
Xã đã triển khai các nhiệm vụ cải cách hành chính theo kế hoạch.
II. MỘT SỐ NHIỆM VỤ, GIẢI PHÁP TRONG THỜI GIAN TỚI
1. Rà soát toàn bộ quy trình nội bộ giải quyết thủ tục hành chính của xã.
2. Bố trí đủ công chức làm việc tại Bộ phận một cửa trong giờ hành chính.
"""
    notice = doc(body, "TB")
    assert [s.kind for s in notice.sections] == ["general", "requirements"]
    assert [f[:2] for f in findings(notice)] == [("requirement", ["II"])] * 2
    report = doc(body, "BC")
    assert [s.kind for s in report.sections] == ["general", "tasks"]
    assert [f[0] for f in findings(report)] == ["task", "task"]


def test_addressee_proposals_heading_is_requirements_in_a_notice() -> None:
    body = """I. ĐÁNH GIÁ CHUNG
Xã đã hoàn thành các chỉ tiêu chủ yếu.
II. VỀ MỘT SỐ KIẾN NGHỊ CỦA XÃ
1. Về kinh phí sửa chữa trụ sở
Giao Phòng Kinh tế tổng hợp nhu cầu, báo cáo cấp có thẩm quyền xem xét.
III. KIẾN NGHỊ ĐỐI VỚI UBND HUYỆN
Sớm bố trí kinh phí nâng cấp đường truyền của Bộ phận một cửa.
"""
    rec = doc(body)
    assert [(s.label, s.kind) for s in flat(rec.sections)] == [
        ("I", "general"), ("II", "requirements"), ("1", "requirements"), ("III", "recommendations")]
    assert [f[:2] for f in findings(rec)] == [("requirement", ["II", "1"]), ("recommendation", ["III"])]
    assert rec.sections[2].unit == "UBND HUYỆN"


def test_positive_side_heading_is_strengths() -> None:
    body = """III. ĐÁNH GIÁ CHUNG
1. Mặt tích cực
Công tác chỉ đạo được quan tâm thường xuyên.
Việc tiếp nhận hồ sơ bảo đảm đúng quy định.
2. Những tồn tại, hạn chế, nguyên nhân
Một số hồ sơ còn trễ hạn do thiếu công chức.
"""
    rec = doc(body, "BC")
    assert [s.kind for s in flat(rec.sections)] == ["general", "strengths", "limitations"]
    assert [f[0] for f in findings(rec)] == ["strength", "strength", "limitation"]


def test_plan_headings_that_are_no_findings_stay_other() -> None:
    body = """I. MỤC ĐÍCH, YÊU CẦU
Nâng cao nhận thức của cán bộ về cải cách hành chính.
II. NHIỆM VỤ TRỌNG TÂM
1. Tuyên truyền trên loa truyền thanh của xã mỗi tháng một lần.
2. Tổ chức thực hiện
Văn phòng xã theo dõi, đôn đốc việc thực hiện kế hoạch.
III. KINH PHÍ THỰC HIỆN
Kinh phí bố trí từ dự toán của xã.
"""
    rec = doc(body, "KH")
    assert [(s.label, s.kind) for s in flat(rec.sections)] == [
        ("I", "other"), ("II", "tasks"), ("2", "other"), ("III", "other")]
    assert [f[0] for f in findings(rec)] == ["task"]


def test_addressee_heading_names_its_unit_and_inherits_the_kind() -> None:
    body = """IV. ĐỀ XUẤT, KIẾN NGHỊ ĐỐI VỚI UBND XÃ
1. Xem xét bổ sung biên chế cho Bộ phận một cửa của xã.
2. Chỉ đạo Văn phòng HĐND và UBND xã:
a) Rà soát quy chế làm việc.
b) Công khai số điện thoại đường dây nóng.
V. KẾT QUẢ ĐỐI VỚI CÁC ĐƠN VỊ TRỰC THUỘC (12 đơn vị)
Các đơn vị đều hoàn thành nhiệm vụ.
"""
    rec = doc(body, "BC")
    secs = flat(rec.sections)
    assert [(s.label, s.kind, s.unit) for s in secs] == [
        ("IV", "recommendations", "UBND XÃ"), ("2", "recommendations", "Văn phòng HĐND và UBND xã"),
        ("V", "results", None)]
    assert [(f.section, f.unit) for f in rec.findings] == [
        (["IV"], "UBND XÃ"), (["IV", "2"], "Văn phòng HĐND và UBND xã"), (["IV", "2"], "Văn phòng HĐND và UBND xã")]


def test_bracketed_count_is_dropped_from_a_unit() -> None:
    body = """II. KẾT QUẢ KIỂM TRA
1. Đối với các trường học trên địa bàn (05 đơn vị)
Các trường đã niêm yết đầy đủ thủ tục hành chính.
"""
    rec = doc(body)
    assert flat(rec.sections)[1].unit == "các trường học trên địa bàn"


@pytest.mark.parametrize(("title", "report", "notice"), [
    ("Mặt tích cực", "strengths", "strengths"),
    ("Những việc chưa làm được", "limitations", "limitations"),
    ("Khó khăn, vướng mắc", "limitations", "limitations"),
    ("NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM THỜI GIAN TỚI", "tasks", "requirements"),
    ("Phương hướng nhiệm vụ năm 2027", "tasks", "requirements"),
    ("MỘT SỐ KIẾN NGHỊ CỦA XÃ", "recommendations", "requirements"),
    ("ĐỀ NGHỊ", "recommendations", "requirements"),
    ("Ý KIẾN KẾT LUẬN", "conclusion", "conclusion"),
    ("Kết quả kiểm tra tại Văn phòng xã", "results", "results"),
    ("Đánh giá về công tác tuyên truyền", "general", "general"),
    ("TỔ CHỨC THỰC HIỆN", "other", "other"),
    ("MỤC ĐÍCH, YÊU CẦU", "other", "other"),
    ("Về công tác kiểm tra", None, None),
    ("Đề nghị Ủy ban Mặt trận Tổ quốc xã", None, None),
])
def test_heading_kind_from_head_words_and_document_type(title: str, report: str | None, notice: str | None) -> None:
    assert (own_kind(title, "BC"), own_kind(title, "TB")) == (report, notice)


@pytest.mark.parametrize(("title", "unit"), [
    ("Giao Phòng Văn hóa - Xã hội chủ trì, phối hợp với Công an xã", "Phòng Văn hóa - Xã hội"),
    ("Ủy ban nhân dân các thôn: An Hòa, An Phú", "Ủy ban nhân dân các thôn"),
    ("Trường hợp hồ sơ trễ hạn", None),
    ("Trong thời gian tới, yêu cầu các bộ phận tập trung thực hiện", None),
])
def test_heading_unit_is_the_body_not_the_sentence(title: str, unit: str | None) -> None:
    assert heading_unit(title) == unit


# --- notices whose items carry the directions ----------------------------------------------

def test_notice_top_items_take_their_kind_from_what_they_say() -> None:
    body = """Sau khi nghe báo cáo, Chủ tịch UBND xã kết luận như sau:
1. Việc sắp xếp lại Bộ phận một cửa
có ý nghĩa quan trọng, cần được triển khai đồng bộ với các khía cạnh:
Thay mặt UBND xã, ghi nhận và đánh giá cao sự cố gắng của các bộ phận chuyên môn.
2. Về những nội dung còn khác nhau:
(1) Về trụ sở làm việc: giao Văn phòng xã bố trí lại phòng tiếp dân trong tháng 7.
(2) Về nhân sự: Yêu cầu Phòng Văn hóa - Xã hội cử thêm một công chức trực.
"""
    rec = doc(body)
    assert [(s.label, s.kind) for s in rec.sections] == [("1", "general"), ("2", "requirements")]
    assert [f[:2] for f in findings(rec)] == [("requirement", ["2"])] * 2
    assert rec.findings[0].text.startswith("Về trụ sở làm việc: giao Văn phòng xã")


def test_notice_run_on_directions_without_heading_are_requirements() -> None:
    body = """Sau khi nghe báo cáo, Chủ tịch UBND xã kết luận như sau:
1. Giao Văn phòng xã rà soát quy trình tiếp nhận hồ sơ, hoàn thành trước ngày 30/6/2026.
2. Đề nghị Công an xã phối hợp cập nhật dữ liệu dân cư cho Bộ phận một cửa.
"""
    rec = doc(body)
    assert rec.sections == []
    assert [f[:2] for f in findings(rec)] == [("requirement", [])] * 2
    assert [d.date for d in rec.deadlines] == ["2026-06-30"]


def test_notice_items_after_a_directions_leadin_are_requirements() -> None:
    body = """I. ĐÁNH GIÁ CHUNG
Xã cơ bản hoàn thành các nhiệm vụ được giao.
Để khắc phục những hạn chế trên, đề nghị UBND xã:
1. Niêm yết đầy đủ thủ tục hành chính tại Bộ phận một cửa.
2. Cập nhật kết quả giải quyết hồ sơ lên hệ thống hằng ngày.
II. TỔ CHỨC THỰC HIỆN
Giao Văn phòng xã theo dõi, đề nghị các bộ phận:
1. Báo cáo kết quả thực hiện theo quý.
"""
    rec = doc(body)
    assert [f[:2] for f in findings(rec)] == [("requirement", ["I"])] * 2


def test_conclusion_paragraphs_are_no_findings() -> None:
    body = """II. KẾT LUẬN
Nhìn chung, xã đã thực hiện tốt các nhiệm vụ được giao.
Tuy nhiên, xã cần khắc phục các tồn tại nêu trên.
"""
    assert doc(body).findings == []


# --- headings and items ----------------------------------------------------------------------

def test_run_in_heading_among_heading_siblings_is_a_section() -> None:
    body = """I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH
1. Về công tác kiểm tra
Xã đã kiểm tra 03 bộ phận chuyên môn.
2. Về tổng hợp nhiệm vụ được giao: Tổng số 12 nhiệm vụ, đã hoàn thành 12 nhiệm vụ đúng hạn.
3. Về công tác tuyên truyền
Xã đã đăng 15 tin bài trên trang thông tin điện tử.
"""
    rec = doc(body, "BC")
    assert [(s.label, s.title) for s in flat(rec.sections)][2] == ("2", "Về tổng hợp nhiệm vụ được giao")
    assert flat(rec.sections)[2].paragraphs[0].startswith("Tổng số 12 nhiệm vụ")


def test_run_in_item_in_a_findings_list_stays_a_finding() -> None:
    body = """II. MỘT SỐ TỒN TẠI, HẠN CHẾ
1. Tiếp nhận hồ sơ: Còn 02 hồ sơ trễ hạn chưa có văn bản xin lỗi.
2. Niêm yết thủ tục
Bảng niêm yết chưa cập nhật thủ tục mới.
"""
    rec = doc(body)
    assert [(s.label, s.kind) for s in flat(rec.sections)] == [("II", "limitations"), ("2", "limitations")]
    assert findings(rec)[0] == ("limitation", ["II"], "Tiếp nhận hồ sơ: Còn 02 hồ sơ ")


def test_run_in_field_and_limitations_heading_under_results() -> None:
    body = """II. KẾT QUẢ ĐÁNH GIÁ
1. Cải cách thủ tục hành chính
a) Kết quả: Chỉ số trung bình đạt 85,5%; cao nhất là 97,0%. Trong đó:
- Có 10/12 đơn vị đạt từ 80% trở lên.
b) Một số hạn chế của các đơn vị:
- Chưa cập nhật kịp thời hồ sơ trên hệ thống.
"""
    rec = doc(body, "BC")
    assert [(s.label, s.title, s.kind) for s in flat(rec.sections)][2:] == [
        ("a", "Kết quả", "results"), ("b", "Một số hạn chế của các đơn vị", "limitations")]
    assert findings(rec) == [("limitation", ["II", "1", "b"], "Chưa cập nhật kịp thời hồ sơ t")]


def test_title_with_a_colon_and_no_sentence_is_the_whole_title() -> None:
    body = """II. KẾT QUẢ XẾP LOẠI
a) Nhóm 1: Nhóm các đơn vị được xếp hạng chung (10/12 đơn vị)
- Loại Tốt: 08 đơn vị.
b) Nhóm 2: Nhóm các đơn vị không xếp hạng (02/12 đơn vị)
- Loại Khá: 02 đơn vị.
"""
    titles = [s.title for s in flat(doc(body, "BC").sections)]
    assert titles[1] == "Nhóm 1: Nhóm các đơn vị được xếp hạng chung (10/12 đơn vị)"


def test_wrapped_item_after_a_run_on_sibling_stays_an_item() -> None:
    body = """II. MỘT SỐ YÊU CẦU
1. Về trụ sở: Giao Văn phòng xã bố trí lại phòng tiếp dân.
2. Về việc bố trí công chức cho Bộ phận một cửa của
Xã An Bình: Giao Phòng Văn hóa - Xã hội đề xuất phương án.
3. Về đường truyền: Đề nghị Viễn thông huyện kiểm tra lại đường truyền.
"""
    rec = doc(body)
    assert [s.label for s in flat(rec.sections)] == ["II"]
    assert len(rec.findings) == 3 and rec.findings[1].text.endswith("đề xuất phương án.")


def test_item_ending_with_a_comma_is_not_a_heading() -> None:
    body = """II. MỘT SỐ YÊU CẦU
(1) Giao Văn phòng xã rà soát quy chế làm việc.
(2) Đề nghị Công an xã, Trạm Y tế xã,
Trường Mầm non phối hợp cập nhật dữ liệu.
(3) Các bộ phận báo cáo kết quả về Văn phòng xã.
"""
    rec = doc(body)
    assert [s.label for s in flat(rec.sections)] == ["II"]
    assert [f.text[:22] for f in rec.findings] == ["Giao Văn phòng xã rà s", "Đề nghị Công an xã, Tr", "Các bộ phận báo cáo kế"]
    assert rec.findings[1].text.endswith("cập nhật dữ liệu.")


def test_item_runs_on_over_plain_lines_but_not_the_closing() -> None:
    body = """II. MỘT SỐ YÊU CẦU
1. Về kinh phí: Xã tự cân đối kinh phí sửa chữa trụ sở.
Trường hợp còn thiếu, xã tổng hợp nhu cầu gửi Phòng Tài chính.
2. Về nhân sự: Giao Văn phòng xã rà soát vị trí việc làm.
UBND xã thông báo để các bộ phận biết, thực hiện./.
"""
    rec = doc(body)
    assert len(rec.findings) == 2
    assert rec.findings[0].text.endswith("gửi Phòng Tài chính.")
    assert "thông báo" not in rec.findings[1].text


def test_star_line_over_bullets_is_a_heading_at_letter_level() -> None:
    body = """II. KẾT QUẢ XẾP LOẠI
1. Đối với các bộ phận chuyên môn
a) Nhóm 1: Nhóm các bộ phận xếp hạng (05/06 đơn vị)
- Loại Tốt: 04 đơn vị.
* Kết quả xếp loại chung các bộ phận:
- Loại Tốt: 05/06 đơn vị.
"""
    secs = flat(doc(body, "BC").sections)
    assert [(s.label, s.title, s.level) for s in secs][2:] == [
        ("a", "Nhóm 1: Nhóm các bộ phận xếp hạng (05/06 đơn vị)", 3),
        (None, "Kết quả xếp loại chung các bộ phận", 3)]


def test_wrapped_upper_case_heading_keeps_its_single_word_lines() -> None:
    body = """I. MỤC
TIÊU
Nâng cao chất lượng phục vụ người dân.
II. NHIỆM VỤ
1. Cập nhật thủ tục hành chính trên trang thông tin điện tử của xã.
"""
    rec = doc(body, "KH")
    assert [(s.label, s.title, s.kind) for s in rec.sections] == [("I", "MỤC TIÊU", "tasks"), ("II", "NHIỆM VỤ", "tasks")]


def test_figure_after_a_decimal_is_no_heading() -> None:
    body = """I. KẾT QUẢ
Khối lượng mẫu kiểm tra:
1.8-2.0 gram mỗi mẫu, đóng gói riêng.
"""
    assert [s.label for s in flat(doc(body, "BC").sections)] == ["I"]


# --- appendices --------------------------------------------------------------------------------

ANNEX = """PHỤ LỤC
BIỂU MẪU THỐNG KÊ SỐ LIỆU CẢI CÁCH HÀNH CHÍNH
NĂM 2026 CỦA UBND XÃ AN BÌNH
(Kèm theo Báo cáo số 05/BC-UBND ngày 10/6/2026)
Biểu mẫu 1
Công tác chỉ đạo điều hành
Biểu mẫu 2
Cải cách thủ tục hành chính
PHỤ LỤC II
KẾ HOẠCH KIỂM TRA NĂM 2027
I. NỘI DUNG KIỂM TRA
Kiểm tra việc niêm yết thủ tục hành chính.
"""


def test_appendix_is_a_level_one_section_with_its_parts() -> None:
    rec = doc("I. KẾT QUẢ THỰC HIỆN\nXã đã hoàn thành 12 nhiệm vụ.", "BC", ANNEX)
    assert outline(rec) == [
        ("I", "KẾT QUẢ THỰC HIỆN", 1, "results"),
        ("PHỤ LỤC", "BIỂU MẪU THỐNG KÊ SỐ LIỆU CẢI CÁCH HÀNH CHÍNH NĂM 2026 CỦA UBND XÃ AN BÌNH", 1, "other"),
        ("Biểu mẫu 1", "Công tác chỉ đạo điều hành", 2, "other"),
        ("Biểu mẫu 2", "Cải cách thủ tục hành chính", 2, "other"),
        ("PHỤ LỤC II", "KẾ HOẠCH KIỂM TRA NĂM 2027", 1, "other"),
        ("I", "NỘI DUNG KIỂM TRA", 2, "other"),
    ]
    assert rec.signer is not None and rec.signer.name == "Nguyễn Văn An"


def test_appendix_mention_in_a_sentence_is_no_heading() -> None:
    body = """I. KẾT QUẢ THỰC HIỆN
Phụ lục I ban hành kèm theo Quyết định này.
Mẫu số 01 được dùng cho báo cáo quý.
"""
    assert [s.label for s in flat(doc(body, "BC").sections)] == ["I"]


# --- hard-wrapped text (a converted page wrapped at a fixed width) ----------------------------

WRAPPED = """II. MỘT SỐ YÊU CẦU
(1) Về kinh phí: Thống nhất với đề xuất của Phòng Tài chính về việc chuyển kinh phí của giai đoạn 2021
- 2025 sang thực hiện trong giai đoạn 2026 - 2030, bảo đảm sử dụng đúng mục đích và có hiệu quả cao
nhất cho các nhiệm vụ cải cách hành chính của xã trong thời gian tới theo kế hoạch đã được phê duyệt.
(2) Về tổ chức: Giao Văn phòng xã chủ trì xây dựng quy trình nội bộ, hướng dẫn các bộ phận tổ chức
thực hiện Chương trình theo chức năng, nhiệm vụ được giao và báo cáo kết quả về Ủy ban nhân dân xã để
theo dõi, đôn đốc việc thực hiện các nhiệm vụ được giao trong kế hoạch cải cách hành chính năm nay của
xã, bảo đảm đúng tiến độ và chất lượng, kịp thời khắc phục những hạn chế, vướng mắc phát sinh trong quá
trình triển khai thực hiện tại các bộ phận chuyên môn và các thôn trên địa bàn xã An Bình hiện nay.
"""


def test_wrapped_range_and_opener_words_stay_in_their_item() -> None:
    rec = doc(WRAPPED)
    assert [f.text[:20] for f in rec.findings] == ["Về kinh phí: Thống n", "Về tổ chức: Giao Văn"]
    assert "2021 - 2025 sang" in rec.findings[0].text
    assert "tổ chức thực hiện Chương trình" in rec.findings[1].text


# --- deadlines -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("sentence", "who"), [
    ("- Các bộ phận, đơn vị căn cứ kết luận để khắc phục, hoàn thành trước ngày 20/7/2026.", "Các bộ phận, đơn vị"),
    ("2. Về trụ sở: Giao Văn phòng xã, Công an xã rà soát, báo cáo trước ngày 15/7/2026.", "Văn phòng xã, Công an xã"),
    ("* Tiến độ thực hiện nhiệm vụ được giao: UBND xã đã ban hành kế hoạch trước ngày 15/01/2026.", "UBND xã"),
    ("8. Các phòng: Tài chính, Xây dựng, Công Thương khẩn trương báo cáo trước ngày 05/12/2026.",
     "Các phòng: Tài chính, Xây dựng, Công Thương"),
])
def test_deadline_responsible_is_the_whole_subject(sentence: str, who: str) -> None:
    rec = doc("II. MỘT SỐ YÊU CẦU\n" + sentence)
    assert [d.responsible for d in rec.deadlines] == [who]


@pytest.mark.parametrize("sentence", [
    "- Định kỳ hằng năm, Văn phòng xã báo cáo kết quả trước ngày 15 tháng 12.",
    "- Văn phòng xã gửi hồ sơ chậm nhất là ngày 30 tháng 9 của năm xét tặng.",
    "- Áp dụng cho hồ sơ tiếp nhận từ ngày 01/3/2026 đến trước ngày 01/6/2026.",
    "- Thời gian công tác trước ngày 01 tháng 01 năm 1995 được tính là thời gian đóng bảo hiểm.",
])
def test_days_that_set_no_obligation_are_no_deadlines(sentence: str) -> None:
    assert doc("II. MỘT SỐ YÊU CẦU\n" + sentence).deadlines == []


def test_deadline_without_an_actor_takes_the_heading_unit() -> None:
    rec = doc("III. KIẾN NGHỊ\n1. Đối với Văn phòng xã\n- Hoàn thành việc niêm yết trước ngày 30/6/2026.")
    assert [d.responsible for d in rec.deadlines] == ["Văn phòng xã"]


def test_division_above_roman_sections_is_labelled_as_printed() -> None:
    body = """Thực hiện Kế hoạch số 10/KH-UBND ngày 05/01/2026 của UBND xã, UBND xã báo cáo như sau:
PHẦN I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2026
I. CÔNG TÁC CHỈ ĐẠO
Xã đã ban hành 05 văn bản chỉ đạo.
PHẦN II
PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027
1. Rà soát quy trình nội bộ của Bộ phận một cửa.
"""
    assert outline(doc(body, "BC")) == [
        ("PHẦN I", "KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2026", 1, "results"),
        ("I", "CÔNG TÁC CHỈ ĐẠO", 2, "results"),
        ("PHẦN II", "PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027", 1, "tasks"),
    ]


def test_conclusion_heading_over_numbered_directions_gives_requirements() -> None:
    body = """Ngày 05 tháng 6 năm 2026, Chủ tịch UBND xã chủ trì buổi làm việc với các bộ phận chuyên môn.
Ý KIẾN KẾT LUẬN
1. Đánh giá cao sự cố gắng của các bộ phận chuyên môn trong thời gian qua.
2. Giao Văn phòng xã rà soát quy chế làm việc, hoàn thành trong tháng 7 năm 2026.
3. Công an xã chủ trì, phối hợp cập nhật dữ liệu dân cư cho Bộ phận một cửa.
4. Nhiệm vụ trọng tâm thời gian tới:
- Niêm yết đầy đủ thủ tục hành chính.
"""
    rec = doc(body)
    assert [(s.title, s.kind) for s in flat(rec.sections)] == [
        ("Ý KIẾN KẾT LUẬN", "conclusion"), ("Nhiệm vụ trọng tâm thời gian tới", "requirements")]
    assert [f[:2] for f in findings(rec)] == [("requirement", ["Ý KIẾN KẾT LUẬN"])] * 2 + [
        ("requirement", ["Ý KIẾN KẾT LUẬN", "4"])]
