"""PDF reader: bands, wrap joining, page furniture, ruled tables, text-layer quality, errors.

Fixtures are drawn with ``tests/fixtures/readers/minipdf.py`` (exact positions, no font files);
the real published PDFs under ``../shared/realworld`` are used when present.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

from cchc_extract.document import Paragraph, RawDocument, RawTable
from cchc_extract.errors import (
    DocumentTooLargeError,
    EncryptedDocumentError,
    NoTextLayerError,
    UnreadableDocumentError,
)
from cchc_extract.readers import read_document
from cchc_extract.readers.pdf import read_pdf

from .helpers import realworld_file

pytest.importorskip("pypdfium2")



def _load_minipdf() -> ModuleType:
    path = Path(__file__).parent / "fixtures" / "readers" / "minipdf.py"
    spec = importlib.util.spec_from_file_location("minipdf", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("minipdf", module)  # dataclasses look the module up by name
    spec.loader.exec_module(module)
    return module


minipdf = _load_minipdf()

LEFT, RIGHT, SIZE, PITCH = 70.0, 530.0, 13.0, 18.0
INDENT = 30.0


def _paras(doc: RawDocument) -> list[str]:
    return [b.text for b in doc.blocks if isinstance(b, Paragraph)]


def _read(data: bytes, name: str = "t.pdf", **kw: object) -> RawDocument:
    return read_pdf(Path(name), data, **kw)  # type: ignore[arg-type]


def _para(page: object, y: float, lines: list[str], indent: float = INDENT) -> float:
    """Draw a justified paragraph (first line indented, last line ragged); return next baseline."""
    for i, text in enumerate(lines):
        x = LEFT + (indent if i == 0 else 0.0)
        width = None if i == len(lines) - 1 else RIGHT - x
        page.text(x, y, text, SIZE, width)  # type: ignore[attr-defined]
        y += PITCH
    return y + 6.0


def _notice() -> bytes:
    pdf = minipdf.Pdf()
    p1 = pdf.page()
    # Two-column header band: issuer | motto, on shared baselines.
    p1.text(85, 60, "UBND XÃ AN BÌNH", 13)
    p1.text(300, 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12)
    p1.text(75, 78, "TỔ KIỂM TRA CÔNG TÁC CCHC", 13)
    p1.text(325, 78, "Độc lập - Tự do - Hạnh phúc", 13)
    p1.text(95, 104, "Số: 02/TB-TKT", 13)
    p1.text(300, 104, "Xã An Bình, ngày 06 tháng 7 năm 2026", 13)
    p1.text(268, 150, "THÔNG BÁO", 14)
    p1.text(140, 168, "Kết luận kiểm tra công tác cải cách hành chính", 13)
    y = _para(
        p1,
        200,
        [
            "Thực hiện Kế hoạch số 55/KH-UBND ngày 05/02/2026 của UBND xã về",
            "việc kiểm tra công tác cải cách hành chính nhà nước năm 2026 trên địa bàn",
            "xã, Tổ kiểm tra thông báo kết luận như sau:",
        ],
    )
    p1.text(LEFT + INDENT, y, "I. ĐÁNH GIÁ CHUNG", SIZE)
    y += PITCH + 6
    y = _para(
        p1,
        y,
        [
            "Các cơ quan đã bám sát nhiệm vụ của Kế hoạch; góp phần phát triển kinh tế",
            "- xã hội của địa phương và nâng cao chất lượng phục vụ người dân trong",
            "tỉnh",
        ],
    )
    # A footnote reference: a raised, smaller "1" glued to "tỉnh", then the full stop.
    last = y - 6 - PITCH
    after = LEFT + minipdf.text_width("tỉnh", SIZE)
    p1.text(after, last - 4, "1", 8)
    p1.text(after + 4, last, ".", SIZE)
    p1.text(LEFT + INDENT, y, "- Tỷ lệ hồ sơ giải quyết trước hạn đạt 99,6%.", SIZE)
    y += PITCH + 6
    p1.text(LEFT + INDENT, y, "- Một số hồ sơ còn chậm cập nhật.", SIZE)
    y += PITCH + 6
    # A paragraph running onto page 2: both lines on page 1 fill the measure.
    p1.text(
        LEFT + INDENT,
        y,
        "Bên cạnh kết quả đạt được, một số cơ quan chưa thực sự quan tâm",
        SIZE,
        RIGHT - LEFT - INDENT,
    )
    p1.text(
        LEFT,
        y + PITCH,
        "đến công tác cải cách hành chính; việc tổ chức thực hiện một số nhiệm vụ",
        SIZE,
        RIGHT - LEFT,
    )
    # Footnote area: a short rule at the left margin and small text under it.
    p1.hline(LEFT, LEFT + 144, 770, 0.6)
    p1.text(LEFT, 785, "1 Chú thích cuối trang về nguồn số liệu.", 10)

    p2 = pdf.page()
    p2.text(295, 40, "2", 13)  # running page number
    y = _para(p2, 80, ["còn chậm so với yêu cầu đề ra."], indent=0)
    p2.text(LEFT + INDENT, y, "II. KẾT QUẢ CHI TIẾT", SIZE)
    xs = [LEFT, 120.0, 380.0, RIGHT]
    ys = [y + 20, y + 40, y + 60, y + 80]
    p2.grid(xs, ys)
    for x, txt in ((75, "STT"), (125, "Đơn vị"), (385, "Tỷ lệ")):
        p2.text(x, ys[0] + 14, txt, 11)
    p2.text(75, ys[1] + 14, "1", 11)
    p2.text(125, ys[1] + 14, "Văn phòng HĐND và UBND xã", 11)
    p2.text(385, ys[1] + 14, "99,6%", 11)
    p2.text(75, ys[2] + 14, "2", 11)
    p2.text(125, ys[2] + 14, "Phòng Kinh tế", 11)
    p2.text(385, ys[2] + 14, "98,0%", 11)

    p3 = pdf.page()
    p3.text(295, 40, "3", 13)
    ys3 = [70.0, 90.0, 110.0, 130.0]
    p3.grid(xs, [ys3[0], ys3[1], ys3[2], ys3[3]])
    # Row 3 has a cell spanning columns 2-3: remove the rule between them in that row.
    p3.ops = [op for op in p3.ops if not (op[0] == "rect" and abs(float(op[1][0]) - (380.0 - 0.25)) < 0.01)]
    p3.vline(380.0, ys3[0], ys3[2])
    for x, txt in ((75, "STT"), (125, "Đơn vị"), (385, "Tỷ lệ")):
        p3.text(x, ys3[0] + 14, txt, 11)  # repeated header row
    p3.text(75, ys3[1] + 14, "3", 11)
    p3.text(125, ys3[1] + 14, "Trung tâm Phục vụ hành chính công", 11)
    p3.text(385, ys3[1] + 14, "97,5%", 11)
    p3.text(75, ys3[2] + 14, "4", 11)
    p3.text(125, ys3[2] + 14, "Chưa phát sinh hồ sơ trong kỳ", 11)
    p3.text(LEFT + INDENT, 170, "Trên đây là kết luận kiểm tra công tác cải cách hành chính./.", SIZE)
    # Signature band: Nơi nhận (left) | authority and signer (right).
    p3.text(LEFT, 220, "Nơi nhận:", 12)
    p3.text(340, 220, "TM. TỔ KIỂM TRA", 13)
    p3.text(LEFT, 236, "- Như trên;", 11)
    p3.text(355, 238, "TỔ TRƯỞNG", 13)
    p3.text(LEFT, 250, "- Các cơ quan, đơn vị thuộc UBND", 11)
    p3.text(LEFT, 264, "xã An Bình;", 11)
    p3.text(LEFT, 278, "- Lưu: VT.", 11)
    p3.text(345, 330, "Nguyễn Văn A", 13)
    data: bytes = pdf.build()
    return data


@pytest.fixture(scope="module")
def notice() -> RawDocument:
    return _read(_notice())


def test_header_band_left_column_first(notice: RawDocument) -> None:
    assert _paras(notice)[:7] == [
        "UBND XÃ AN BÌNH",
        "TỔ KIỂM TRA CÔNG TÁC CCHC",
        "Số: 02/TB-TKT",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Xã An Bình, ngày 06 tháng 7 năm 2026",
        "THÔNG BÁO",
    ]
    assert notice.pages == 3
    assert all(b.page == 1 for b in notice.blocks[:7])


def test_wrapped_lines_join_and_real_starts_stay(notice: RawDocument) -> None:
    paras = _paras(notice)
    assert (
        "Thực hiện Kế hoạch số 55/KH-UBND ngày 05/02/2026 của UBND xã về việc kiểm tra công tác "
        "cải cách hành chính nhà nước năm 2026 trên địa bàn xã, Tổ kiểm tra thông báo kết luận như sau:"
    ) in paras
    assert "I. ĐÁNH GIÁ CHUNG" in paras
    assert "- Tỷ lệ hồ sơ giải quyết trước hạn đạt 99,6%." in paras
    assert "- Một số hồ sơ còn chậm cập nhật." in paras
    assert "Kết luận kiểm tra công tác cải cách hành chính" in paras


def test_dash_wrapped_to_line_start_is_not_a_bullet(notice: RawDocument) -> None:
    joined = [p for p in _paras(notice) if p.startswith("Các cơ quan đã bám sát")]
    assert joined and "phát triển kinh tế - xã hội của địa phương" in joined[0]
    assert joined[0].endswith("trong tỉnh.")  # the superscript footnote mark is dropped


def test_paragraph_continues_across_pages_and_furniture_dropped(notice: RawDocument) -> None:
    paras = _paras(notice)
    cont = [b for b in notice.blocks if isinstance(b, Paragraph) and b.text.startswith("Bên cạnh")]
    assert cont and cont[0].text.endswith(
        "việc tổ chức thực hiện một số nhiệm vụ còn chậm so với yêu cầu đề ra."
    )
    assert cont[0].page == 1
    assert "2" not in paras and "3" not in paras


def test_footnote_follows_the_paragraph_running_at_its_page_end(notice: RawDocument) -> None:
    """Footnotes count (GUIDELINES v2): the note of page 1 comes as its own paragraph, flagged as
    a note, after the paragraph that runs over the page break, which it must not split."""
    blocks = [b for b in notice.blocks if isinstance(b, Paragraph)]
    notes = [k for k, b in enumerate(blocks) if "Chú thích cuối trang" in b.text]
    assert len(notes) == 1 and blocks[notes[0]].note and blocks[notes[0]].page == 1
    assert blocks[notes[0] - 1].text.startswith("Bên cạnh")
    assert not any(b.note for b in blocks if "Chú thích cuối trang" not in b.text)


def test_ruled_table_across_pages(notice: RawDocument) -> None:
    tables = [b for b in notice.blocks if isinstance(b, RawTable)]
    assert len(tables) == 1
    assert tables[0].page == 2
    assert tables[0].rows == [
        ["STT", "Đơn vị", "Tỷ lệ"],
        ["1", "Văn phòng HĐND và UBND xã", "99,6%"],
        ["2", "Phòng Kinh tế", "98,0%"],
        ["3", "Trung tâm Phục vụ hành chính công", "97,5%"],
        ["4", "Chưa phát sinh hồ sơ trong kỳ", "Chưa phát sinh hồ sơ trong kỳ"],
    ]
    assert not any("Phòng Kinh tế" in p for p in _paras(notice))


def test_signature_band_columns(notice: RawDocument) -> None:
    paras = _paras(notice)
    start = paras.index("Nơi nhận:")
    assert paras[start:] == [
        "Nơi nhận:",
        "- Như trên;",
        "- Các cơ quan, đơn vị thuộc UBND xã An Bình;",
        "- Lưu: VT.",
        "TM. TỔ KIỂM TRA",
        "TỔ TRƯỞNG",
        "Nguyễn Văn A",
    ]


def test_header_columns_with_staggered_baselines() -> None:
    pdf = minipdf.Pdf()
    page = pdf.page()
    page.text(80, 60, "UBND XÃ AN BÌNH", 12)
    page.text(300, 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12)
    page.text(330, 76, "Độc lập - Tự do - Hạnh phúc", 12)
    page.text(95, 90, "Số: 05/BC-UBND", 13)
    page.text(310, 104, "Xã An Bình, ngày 10 tháng 4 năm 2026", 12)
    page.text(270, 140, "BÁO CÁO", 14)
    _para(page, 180, ["Kết quả thực hiện nhiệm vụ cải cách hành chính quý I năm 2026."])
    assert _paras(_read(pdf.build()))[:6] == [
        "UBND XÃ AN BÌNH",
        "Số: 05/BC-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Xã An Bình, ngày 10 tháng 4 năm 2026",
        "BÁO CÁO",
    ]


def test_rotated_page_reads_upright() -> None:
    pdf = minipdf.Pdf()
    page = pdf.page(rotate=90)
    for i, text in enumerate(["BIỂU TỔNG HỢP KẾT QUẢ KIỂM TRA", "Đơn vị tính: hồ sơ"]):
        page.text(100, 80 + 40 * i, text, 13, angle=90)
    doc = _read(pdf.build())
    assert _paras(doc) == ["BIỂU TỔNG HỢP KẾT QUẢ KIỂM TRA", "Đơn vị tính: hồ sơ"]


def test_rotated_stamp_text_is_dropped() -> None:
    pdf = minipdf.Pdf()
    page = pdf.page()
    page.text(LEFT, 100, "Tổ kiểm tra thông báo kết luận kiểm tra công tác cải cách hành chính.", 13)
    page.text(500, 400, "ĐÃ KÝ SỐ", 13, angle=90)
    assert _paras(_read(pdf.build())) == [
        "Tổ kiểm tra thông báo kết luận kiểm tra công tác cải cách hành chính."
    ]


GARBLED = "uY BAN NgAN nAN ceNG HoA xA ugr cuu xcuia vrET NAM TINH LAMDONG DQc l$p H4nh phric Ldm D6ng ngdy"


def test_garbled_legacy_font_raises() -> None:
    pdf = minipdf.Pdf()
    page = pdf.page()
    for i in range(6):
        page.text(LEFT, 80 + 18 * i, GARBLED[: 60 + i], 11)
    with pytest.raises(NoTextLayerError) as err:
        _read(pdf.build(), "garbled.pdf", ocr="never")
    assert "garbled.pdf" in str(err.value)


def test_garbled_page_dropped_with_warning() -> None:
    pdf = minipdf.Pdf()
    good = pdf.page()
    good.text(LEFT, 80, "Tổ kiểm tra đã tiến hành kiểm tra việc thực hiện nhiệm vụ cải cách hành chính.", 11)
    bad = pdf.page()
    for i in range(5):
        bad.text(LEFT, 80 + 18 * i, GARBLED, 11)
    doc = _read(pdf.build(), ocr="never")
    assert doc.warnings == [
        "pdf_unusable_pages: pages 2 have no usable Vietnamese text layer; their text was dropped"
    ]
    assert _paras(doc) == ["Tổ kiểm tra đã tiến hành kiểm tra việc thực hiện nhiệm vụ cải cách hành chính."]


def test_scanned_pdf_has_no_text_layer() -> None:
    pdf = minipdf.Pdf()
    pdf.page().add_image()
    with pytest.raises(NoTextLayerError):
        _read(pdf.build(), ocr="never")


def test_scanned_page_among_text_pages_warns() -> None:
    pdf = minipdf.Pdf()
    pdf.page().text(LEFT, 80, "Tổ kiểm tra thông báo kết luận kiểm tra công tác cải cách hành chính.", 12)
    pdf.page().add_image()
    doc = _read(pdf.build(), ocr="never")
    assert doc.warnings == ["pdf_no_text_pages: pages 2 have images but no text layer"]


def test_password_protected() -> None:
    pdf = minipdf.Pdf()
    pdf.page().text(LEFT, 80, "Nội dung mật của thông báo kết luận kiểm tra.", 12)
    data = pdf.build(password="secret")
    with pytest.raises(EncryptedDocumentError):
        _read(data)
    with pytest.raises(EncryptedDocumentError):
        _read(data, password="wrong")
    assert _paras(_read(data, password="secret")) == ["Nội dung mật của thông báo kết luận kiểm tra."]


def test_corrupt_pdf_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadableDocumentError):
        _read(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage")
    path = tmp_path / "broken.pdf"
    path.write_bytes(_notice()[:2000])
    with pytest.raises(UnreadableDocumentError):
        read_document(path)


def test_size_limits() -> None:
    data = _notice()
    with pytest.raises(DocumentTooLargeError):
        _read(data, max_pages=2)
    with pytest.raises(DocumentTooLargeError):
        _read(data, max_bytes=1000)


def test_dispatcher_reads_pdf(tmp_path: Path) -> None:
    path = tmp_path / "notice.pdf"
    path.write_bytes(_notice())
    result = read_document(path)
    assert result.document.format == "pdf"
    assert _paras(result.document)[0] == "UBND XÃ AN BÌNH"


# --- real published documents (not redistributed; skipped when absent) ---------------------------



def test_realworld_h001_header_not_interleaved() -> None:
    path = realworld_file("h001.pdf")
    start = time.process_time()  # CPU time: robust to a loaded machine
    doc = read_document(path).document
    elapsed = time.process_time() - start
    paras = _paras(doc)
    assert paras[:6] == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH LÂM ĐỒNG",
        "Số: 329 /BC-UBND",  # 329 and 19 are stamped by signature widgets at signing
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lâm Đồng, ngày 19 tháng 12 năm 2025",
    ]
    assert doc.pages == 35
    assert "Nơi nhận:" in paras
    assert paras[paras.index("Nơi nhận:") + 1] == "- Bộ Nội vụ;"
    assert any(isinstance(b, RawTable) and len(b.rows[0]) == 5 for b in doc.blocks)
    assert elapsed < 10


def test_realworld_h004_tables() -> None:
    doc = read_document(realworld_file("h004.pdf")).document
    tables = [b for b in doc.blocks if isinstance(b, RawTable)]
    assert tables[0].rows[0] == [
        "STT",
        "Đơn vị",
        "Điểm chuẩn tối đa",
        "Điểm tự đánh giá",
        "Điểm thẩm định",
        "Chỉ số",
    ]
    assert all(len(r) == 6 for r in tables[0].rows)
    assert len(tables[0].rows) > 15  # continued on the next page and merged
    assert "Số: 36 /BC-HĐTĐ" in _paras(doc)[:8]  # stamped by a signature widget


def test_realworld_h009_garbled_layer() -> None:
    path = realworld_file("h009.pdf")
    with pytest.raises(NoTextLayerError, match="garbled"):
        read_document(path, ocr="never")


def _reference_chars(path: Path) -> list[tuple[object, ...]]:
    """Chars of every page through pypdfium2's declared API, one call per char and property
    (what the reader did before it cached font size and angle per text object)."""
    import ctypes
    import math
    import unicodedata

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    from cchc_extract.readers import pdf as reader

    out: list[tuple[object, ...]] = []
    doc = pdfium.PdfDocument(path)
    try:
        for index in range(len(doc)):
            page = doc[index]
            rotation = int(page.get_rotation()) % 360
            tf = reader._transform(rotation, tuple(float(v) for v in page.get_cropbox()))  # type: ignore[arg-type]
            textpage = page.get_textpage()
            tp = textpage.raw
            n = raw.FPDFText_CountChars(tp)
            rect, ox, oy = raw.FS_RECTF(), ctypes.c_double(), ctypes.c_double()
            for i in range(n):
                u = raw.FPDFText_GetUnicode(tp, i)
                if u in reader._SPACE_CODES or (u < 0x20 and u != 0x02) or unicodedata.combining(chr(u)):
                    continue
                a = raw.FPDFText_GetCharAngle(tp, i)
                if a >= 0 and (a > 0.05 or rotation) and 3 < (math.degrees(a) + rotation) % 360 < 357:
                    continue
                raw.FPDFText_GetLooseCharBox(tp, i, ctypes.byref(rect))
                raw.FPDFText_GetCharOrigin(tp, i, ctypes.byref(ox), ctypes.byref(oy))
                x0, top = tf(rect.left, rect.top)
                x1, bottom = tf(rect.right, rect.bottom)
                base = tf(ox.value, oy.value)[1]
                size = raw.FPDFText_GetFontSize(tp, i) or abs(bottom - top)
                out.append((index, min(x0, x1), max(x0, x1), min(top, bottom), max(top, bottom), base, size))
            textpage.close()
            page.close()
    finally:
        doc.close()
    return out


def test_char_geometry_matches_per_char_api(tmp_path: Path) -> None:
    """Font size and angle are fetched once per text object and through bare C pointers; every
    char must still get exactly what pdfium's per-char calls report (mixed sizes, a raised
    footnote digit, rotated stamp text, a rotated page)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    from cchc_extract.readers import pdf as reader

    pdf = minipdf.Pdf()
    p1 = pdf.page()
    p1.text(LEFT, 80, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12)
    p1.text(
        LEFT, 100, "Tổ kiểm tra thông báo kết luận kiểm tra công tác cải cách hành chính", 13, RIGHT - LEFT
    )
    p1.text(LEFT + 200, 96, "1", 8)
    p1.text(LEFT, 130, "THÔNG BÁO", 15)
    p1.text(500, 400, "ĐÃ KÝ SỐ", 13, angle=90)
    p2 = pdf.page(rotate=90)
    p2.text(100, 80, "BIỂU TỔNG HỢP KẾT QUẢ KIỂM TRA", 13, angle=90)
    path = tmp_path / "mixed.pdf"
    path.write_bytes(pdf.build())

    got: list[tuple[object, ...]] = []
    doc = pdfium.PdfDocument(path)
    try:
        for index in range(len(doc)):
            page = doc[index]
            rotation = int(page.get_rotation()) % 360
            tf = reader._transform(rotation, tuple(float(v) for v in page.get_cropbox()))  # type: ignore[arg-type]
            textpage = page.get_textpage()
            chars, bad = reader._chars(raw, textpage.raw, tf, rotation)
            textpage.close()
            page.close()
            assert bad == 0
            got += [(index, c.x0, c.x1, c.top, c.bottom, c.baseline, c.size) for c in chars]
    finally:
        doc.close()
    expected = _reference_chars(path)
    assert len(got) > 60 and any(row[0] == 1 for row in got)
    assert got == expected


def test_words_take_extremes_of_their_chars() -> None:
    from cchc_extract.readers.layout import Char, build_lines

    chars = [
        Char("T", 10.0, 16.0, 90.0, 103.0, 100.0, 13.0),
        Char("ỉ", 16.0, 19.0, 88.0, 103.0, 100.0, 13.0),
        Char("n", 19.0, 26.0, 91.0, 104.0, 100.0, 13.0),
        Char("h", 25.0, 31.0, 90.0, 103.0, 100.0, 14.0),
        Char("2", 31.5, 35.0, 86.0, 95.0, 96.0, 8.0),  # superscript footnote digit: dropped
        Char(".", 35.5, 37.0, 90.0, 103.0, 100.0, 13.0),
        Char("x", 40.0, 46.0, 90.0, 103.0, 100.0, 13.0, space_before=True),
    ]
    [line] = build_lines(chars)
    assert [(w.text, w.x0, w.x1, w.top, w.bottom, w.size) for w in line.words] == [
        ("Tỉnh.", 10.0, 37.0, 88.0, 104.0, 14.0),
        ("x", 40.0, 46.0, 90.0, 103.0, 13.0),
    ]
    assert (line.top, line.bottom, line.baseline, line.size) == (88.0, 104.0, 100.0, 13.0)


def test_table_without_rules_is_a_table() -> None:
    """Columns aligned by tabs, no rules drawn: the lines become one table (a wrapped label
    joins its row); the prose around it stays prose."""
    pdf = minipdf.Pdf()
    pdf.page().text(LEFT, 100, "Trang đầu của báo cáo.", SIZE)
    p = pdf.page()
    p.text(LEFT, 100, "Kết quả chấm điểm các phòng chuyên môn như sau:", SIZE)
    cols = (LEFT, LEFT + 40, LEFT + 250, LEFT + 340, LEFT + 420)
    rows = [("STT", "Đơn vị", "Điểm", "Tối đa", "Chỉ số"),
            ("1", "Phòng Văn hóa", "18,50", "20,00", "92,50%"),
            ("2", "Phòng Kinh tế và Hạ tầng", "17,00", "20,00", "85,00%"),
            ("3", "Phòng Nội vụ", "16,00", "20,00", "80,00%")]
    y = 130.0
    for k, row in enumerate(rows):
        for x, t in zip(cols, row, strict=True):
            p.text(x, y, t, 12)
        y += PITCH
        if k == 2:
            p.text(cols[1], y, "(sau sắp xếp)", 12)  # the label wraps onto a line of its own
            y += PITCH
    p.text(LEFT, y + 10, "Các phòng đã hoàn thành nhiệm vụ được giao trong năm.", SIZE)
    doc = _read(pdf.build())
    tables = [b for b in doc.blocks if isinstance(b, RawTable)]
    assert len(tables) == 1
    assert tables[0].rows == [
        ["STT", "Đơn vị", "Điểm", "Tối đa", "Chỉ số"],
        ["1", "Phòng Văn hóa", "18,50", "20,00", "92,50%"],
        ["2", "Phòng Kinh tế và Hạ tầng (sau sắp xếp)", "17,00", "20,00", "85,00%"],
        ["3", "Phòng Nội vụ", "16,00", "20,00", "80,00%"],
    ]
    assert _paras(doc) == ["Trang đầu của báo cáo.", "Kết quả chấm điểm các phòng chuyên môn như sau:",
                           "Các phòng đã hoàn thành nhiệm vụ được giao trong năm."]
