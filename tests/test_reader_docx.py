"""DOCX reader: body order, layout vs body tables, Word numbering, inline constructs, safety.

Documents are built with python-docx plus raw WordprocessingML where python-docx has no API
(numbering definitions, text boxes, content controls, revisions, fields).
"""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from cchc_extract.document import Paragraph, RawDocument, RawTable
from cchc_extract.errors import DocumentTooLargeError, UnreadableDocumentError
from cchc_extract.readers import docx as docx_reader
from cchc_extract.readers import read_document
from cchc_extract.readers.docx import read_docx

from .helpers import realworld_file

docx = pytest.importorskip("docx")
from docx.oxml import parse_xml  # noqa: E402

NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def _paras(doc: RawDocument) -> list[str]:
    return [b.text for b in doc.blocks if isinstance(b, Paragraph)]


def _save(document: Any) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _read(data: bytes, name: str = "t.docx") -> RawDocument:
    return read_docx(Path(name), data)


def _append(document: Any, xml: str) -> None:
    """Append a raw body element (before the final sectPr)."""
    body = document.element.body
    body.insert(
        len(body) - 1,
        parse_xml(xml.replace("<w:p>", f"<w:p {NS}>", 1).replace("<w:sdt>", f"<w:sdt {NS}>", 1)),
    )


def _p(inner: str, ppr: str = "") -> str:
    return f"<w:p><w:pPr>{ppr}</w:pPr>{inner}</w:p>"


def _r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _num(num_id: int, ilvl: int) -> str:
    return f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'


# --- layout and body tables ------------------------------------------------------------------------


def _notice_docx() -> bytes:
    d = docx.Document()
    header = d.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.paragraphs[0].text = "UBND XÃ AN BÌNH"
    left.add_paragraph("TỔ KIỂM TRA CÔNG TÁC CCHC")
    left.add_paragraph("Số:\t02/TB-TKT")
    right.paragraphs[0].text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    right.add_paragraph("Độc lập - Tự do - Hạnh phúc")
    right.add_paragraph("Xã An Bình, ngày 06 tháng 7 năm 2026")
    d.add_paragraph("THÔNG BÁO")
    d.add_paragraph("Kết luận kiểm tra công tác CCHC năm 2026")
    d.add_paragraph("Thực hiện Kế hoạch số 55/KH-UBND ngày 05/02/2026 của UBND xã.")
    body = d.add_table(rows=4, cols=4)
    body.style = "Table Grid"
    stt = body.cell(0, 0).merge(body.cell(1, 0))
    stt.text = "STT"
    unit = body.cell(0, 1).merge(body.cell(1, 1))
    unit.text = "Đơn vị"
    result = body.cell(0, 2).merge(body.cell(0, 3))
    result.text = "Kết quả"
    body.cell(1, 2).text = "Số hồ sơ"
    body.cell(1, 3).text = "Tỷ lệ"
    for r, row in enumerate(
        (("1", "Văn phòng", "3.080", "99,6%"), ("2", "Phòng Kinh tế", "1.200", "98,0%")), 2
    ):
        for c, text in enumerate(row):
            body.cell(r, c).text = text
    d.add_paragraph("Trên đây là kết luận kiểm tra./.")
    sig = d.add_table(rows=1, cols=2)
    left, right = sig.rows[0].cells
    left.paragraphs[0].text = "Nơi nhận:"
    left.add_paragraph("- Như trên;")
    left.add_paragraph("- Lưu: VT.")
    run = right.paragraphs[0].add_run("TM. TỔ KIỂM TRA")
    run.add_break()
    run.add_text("TỔ TRƯỞNG")
    right.add_paragraph("")
    right.add_paragraph("Nguyễn Văn A")
    return _save(d)


@pytest.fixture(scope="module")
def notice() -> RawDocument:
    return _read(_notice_docx())


def test_header_table_flattened_left_column_first(notice: RawDocument) -> None:
    assert _paras(notice)[:8] == [
        "UBND XÃ AN BÌNH",
        "TỔ KIỂM TRA CÔNG TÁC CCHC",
        "Số: 02/TB-TKT",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Xã An Bình, ngày 06 tháng 7 năm 2026",
        "THÔNG BÁO",
        "Kết luận kiểm tra công tác CCHC năm 2026",
    ]


def test_body_table_repeats_merged_cells(notice: RawDocument) -> None:
    tables = [b for b in notice.blocks if isinstance(b, RawTable)]
    assert len(tables) == 1
    assert tables[0].rows == [
        ["STT", "Đơn vị", "Kết quả", "Kết quả"],
        ["STT", "Đơn vị", "Số hồ sơ", "Tỷ lệ"],
        ["1", "Văn phòng", "3.080", "99,6%"],
        ["2", "Phòng Kinh tế", "1.200", "98,0%"],
    ]
    kinds = [type(b).__name__ for b in notice.blocks]
    assert kinds.index("RawTable") == _paras(notice).index("Trên đây là kết luận kiểm tra./.")


def test_signature_table_and_line_breaks(notice: RawDocument) -> None:
    paras = _paras(notice)
    start = paras.index("Nơi nhận:")
    assert paras[start:] == [
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu: VT.",
        "TM. TỔ KIỂM TRA\nTỔ TRƯỞNG",
        "Nguyễn Văn A",
    ]


def test_small_bordered_table_without_cues_is_data() -> None:
    d = docx.Document()
    t = d.add_table(rows=2, cols=2)
    t.style = "Table Grid"
    for r, row in enumerate((("Chỉ tiêu", "Kết quả"), ("Hồ sơ đúng hạn", "99,6%"))):
        for c, text in enumerate(row):
            t.cell(r, c).text = text
    doc = _read(_save(d))
    assert doc.blocks == [RawTable([["Chỉ tiêu", "Kết quả"], ["Hồ sơ đúng hạn", "99,6%"]], page=1,
                                   merged=[[False, False], [False, False]])]


def test_nested_table_inside_layout_cell() -> None:
    d = docx.Document()
    outer = d.add_table(rows=1, cols=2)
    outer.cell(0, 0).paragraphs[0].text = "Nơi nhận:"
    inner = outer.cell(0, 1).add_table(rows=2, cols=2)
    inner.style = "Table Grid"
    for r, row in enumerate((("Đơn vị", "Tỷ lệ"), ("Văn phòng", "99,6%"))):
        for c, text in enumerate(row):
            inner.cell(r, c).text = text
    doc = _read(_save(d))
    assert _paras(doc) == ["Nơi nhận:"]
    assert [b.rows for b in doc.blocks if isinstance(b, RawTable)] == [
        [["Đơn vị", "Tỷ lệ"], ["Văn phòng", "99,6%"]]
    ]


# --- numbering ---------------------------------------------------------------------------------------


def _lvl(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>'
    )


def _numbering_docx() -> bytes:
    d = docx.Document()
    numbering = d.part.numbering_part.element
    defs = [
        f'<w:abstractNum {NS} w:abstractNumId="90">'
        + _lvl(0, "upperRoman", "%1.")
        + _lvl(1, "decimal", "%2.")
        + _lvl(2, "lowerLetter", "%3)")
        + _lvl(3, "bullet", "\uf0b7")
        + _lvl(4, "decimal", "%2.%5.")
        + _lvl(5, "bullet", "+")
        + "</w:abstractNum>",
        f'<w:abstractNum {NS} w:abstractNumId="92">' + _lvl(0, "decimalZero", "%1.") + "</w:abstractNum>",
        f'<w:abstractNum {NS} w:abstractNumId="93">'
        + _lvl(0, "decimal", "%1)", extra='<w:pStyle w:val="ListX"/>')
        + "</w:abstractNum>",
        f'<w:abstractNum {NS} w:abstractNumId="94">'
        + _lvl(0, "decimal", "%1.")
        + _lvl(1, "lowerLetter", "%2)", extra='<w:lvlRestart w:val="0"/>')
        + "</w:abstractNum>",
        f'<w:num {NS} w:numId="90"><w:abstractNumId w:val="90"/></w:num>',
        f'<w:num {NS} w:numId="91"><w:abstractNumId w:val="90"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>',
        f'<w:num {NS} w:numId="92"><w:abstractNumId w:val="92"/></w:num>',
        f'<w:num {NS} w:numId="93"><w:abstractNumId w:val="93"/></w:num>',
        f'<w:num {NS} w:numId="94"><w:abstractNumId w:val="94"/></w:num>',
    ]
    for i, xml in enumerate(defs):
        numbering.insert(i, parse_xml(xml))
    styles = d.styles.element
    styles.append(
        parse_xml(
            f'<w:style {NS} w:type="paragraph" w:styleId="ListBase"><w:name w:val="List Base"/>'
            f"<w:pPr>{_num(93, 0)}</w:pPr></w:style>"
        )
    )
    styles.append(
        parse_xml(
            f'<w:style {NS} w:type="paragraph" w:styleId="ListX"><w:name w:val="List X"/>'
            '<w:basedOn w:val="ListBase"/></w:style>'
        )
    )
    items = [
        (90, 0, "ĐÁNH GIÁ CHUNG"),
        (90, 1, "Kết quả đạt được"),
        (90, 2, "Ưu điểm"),
        (90, 2, "Hạn chế"),
        (90, 3, "Chi tiết"),
        (90, 5, "Cụ thể hơn"),
        (90, 1, "Nguyên nhân"),
        (90, 4, "Khách quan"),
        (90, 0, "KIẾN NGHỊ"),
        (90, 1, "Đối với UBND xã"),
        (90, 2, "Nội dung"),
        (91, 0, "TỔ CHỨC THỰC HIỆN"),
        (90, 0, "HIỆU LỰC"),
        (92, 0, "Mục một"),
        (94, 0, "Một"),
        (94, 1, "Ý một"),
        (94, 0, "Hai"),
        (94, 1, "Ý hai"),
    ]
    for num_id, ilvl, text in items:
        _append(d, _p(_r(text), _num(num_id, ilvl)))
    _append(d, _p(_r("Theo kiểu"), '<w:pStyle w:val="ListX"/>'))
    _append(
        d, _p(_r("Theo kiểu, tắt số"), '<w:pStyle w:val="ListX"/><w:numPr><w:numId w:val="0"/></w:numPr>')
    )
    _append(d, _p(_r("Theo kiểu lần hai"), '<w:pStyle w:val="ListX"/>'))
    _append(d, _p("", _num(92, 0)))  # an empty numbered paragraph still counts
    _append(d, _p(_r("Mục ba"), _num(92, 0)))
    return _save(d)


def test_word_numbering_labels() -> None:
    assert _paras(_read(_numbering_docx())) == [
        "I. ĐÁNH GIÁ CHUNG",
        "1. Kết quả đạt được",
        "a) Ưu điểm",
        "b) Hạn chế",
        "- Chi tiết",
        "+ Cụ thể hơn",
        "2. Nguyên nhân",
        "2.1. Khách quan",
        "II. KIẾN NGHỊ",
        "1. Đối với UBND xã",
        "a) Nội dung",
        "V. TỔ CHỨC THỰC HIỆN",
        "III. HIỆU LỰC",
        "01. Mục một",
        "1. Một",
        "a) Ý một",
        "2. Hai",
        "b) Ý hai",
        "1) Theo kiểu",
        "Theo kiểu, tắt số",
        "2) Theo kiểu lần hai",
        "03. Mục ba",
    ]


@pytest.mark.parametrize(
    ("n", "fmt", "expected"),
    [
        (1, "lowerLetter", "a"),
        (27, "lowerLetter", "aa"),
        (4, "upperRoman", "IV"),
        (14, "lowerRoman", "xiv"),
        (7, "decimalZero", "07"),
        (12, "decimalZero", "12"),
        (3, "ordinal", "3"),
    ],
)
def test_number_formats(n: int, fmt: str, expected: str) -> None:
    assert docx_reader._format_number(n, fmt) == expected


# --- inline constructs -----------------------------------------------------------------------------


def _constructs_docx() -> bytes:
    d = docx.Document()
    box = (
        '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
        "<a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>"
        + _p(_r("DỰ THẢO"))
        + "</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
        "</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>"
        + _p(_r("DỰ THẢO"))
        + "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
        + _r("Văn bản có khung")
        + "</w:p>"
    )
    _append(d, box)
    _append(
        d, "<w:sdt><w:sdtPr/><w:sdtContent>" + _p(_r("Nội dung trong ô nhập")) + "</w:sdtContent></w:sdt>"
    )
    _append(
        d,
        "<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>"
        + _p(_r("Bấm vào đây để nhập văn bản."))
        + "</w:sdtContent></w:sdt>",
    )
    _append(
        d,
        _p(
            _r("Giữ ")
            + "<w:del><w:r><w:delText>bỏ đi </w:delText></w:r></w:del>"
            + "<w:ins><w:r><w:t>thêm vào</w:t></w:r></w:ins>"
            + "<w:sdt><w:sdtContent>"
            + _r(" và ô")
            + "</w:sdtContent></w:sdt>"
        ),
    )
    _append(
        d,
        _p(
            _r("Trang ")
            + '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
            + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            + _r("7")
            + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            + "<w:r><w:rPr><w:vanish/></w:rPr><w:t>ẩn</w:t></w:r>"
            + '<w:r><w:footnoteReference w:id="1"/></w:r>'
        ),
    )
    _append(
        d,
        _p(
            '<w:r><w:t>Số:</w:t><w:tab/><w:t>02</w:t><w:noBreakHyphen/><w:t>TB</w:t><w:sym w:char="F0B7"/></w:r>'
        ),
    )
    _append(d, _p('<w:r><w:br w:type="page"/></w:r>'))
    _append(d, _p("<w:r><w:lastRenderedPageBreak/><w:t>Trang hai</w:t></w:r>"))
    _append(d, _p("<w:r><w:t>Vẫn trang hai</w:t><w:lastRenderedPageBreak/><w:t> sang trang ba</w:t></w:r>"))
    _append(d, _p(_r("Trang ba")))
    return _save(d)


@pytest.fixture(scope="module")
def constructs() -> RawDocument:
    return _read(_constructs_docx())


def test_text_box_read_once(constructs: RawDocument) -> None:
    paras = _paras(constructs)
    assert paras[:2] == ["Văn bản có khung", "DỰ THẢO"]
    assert sum("DỰ THẢO" in p for p in paras) == 1


def test_content_controls_revisions_fields(constructs: RawDocument) -> None:
    paras = _paras(constructs)
    assert "Nội dung trong ô nhập" in paras
    assert not any("Bấm vào đây" in p for p in paras)
    assert "Giữ thêm vào và ô" in paras
    assert "Trang 7" in paras
    assert "Số: 02-TB" in paras


def test_page_numbers_from_breaks(constructs: RawDocument) -> None:
    pages = {b.text: b.page for b in constructs.blocks if isinstance(b, Paragraph)}
    assert pages["Số: 02-TB"] == 1
    assert pages["Trang hai"] == 2  # hard break + Word's rendered break are one break
    assert pages["Vẫn trang hai sang trang ba"] == 2  # a paragraph is on the page it starts
    assert pages["Trang ba"] == 3
    assert constructs.pages == 3


def test_no_rendered_breaks_means_unknown_page_count(notice: RawDocument) -> None:
    assert notice.pages is None
    assert all(b.page == 1 for b in notice.blocks)


# --- safety and errors -------------------------------------------------------------------------------


def _rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
    return out.getvalue()


def test_external_entity_is_never_resolved() -> None:
    d = docx.Document()
    d.add_paragraph("AAA XXE_MARK BBB")
    data = _save(d)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    head, rest = xml.split("?>", 1)
    evil = (
        head
        + '?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY y "nội bộ">]>'
        + rest.replace("XXE_MARK", "&x;&y;")
    )
    try:
        doc = _read(_rezip(data, {"word/document.xml": evil.encode("utf-8")}))
    except UnreadableDocumentError:
        return
    text = "\n".join(_paras(doc))
    assert "root:" not in text and "/bin/" not in text
    assert text == "AAA BBB"


def test_zip_bomb_refused_quickly() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * (30 * 1024 * 1024))
    data = out.getvalue()
    assert len(data) < 1024 * 1024
    start = time.process_time()  # CPU time: the refusal must not inflate the payload first
    with pytest.raises(DocumentTooLargeError):
        _read(data)
    assert time.process_time() - start < 0.5


def test_too_many_entries_and_total_size(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for i in range(docx_reader.MAX_ZIP_ENTRIES + 1):
            z.writestr(f"word/media/{i}.bin", b"x")
    with pytest.raises(DocumentTooLargeError):
        _read(out.getvalue())
    monkeypatch.setattr(docx_reader, "MAX_UNCOMPRESSED_BYTES", 10_000)
    with pytest.raises(DocumentTooLargeError):
        _read(_notice_docx())


def test_not_a_word_package() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(UnreadableDocumentError):
        _read(out.getvalue())
    with pytest.raises(UnreadableDocumentError):
        _read(b"PK\x03\x04 truncated")


def test_dispatcher_reads_docx(tmp_path: Path) -> None:
    path = tmp_path / "notice.docx"
    path.write_bytes(_notice_docx())
    result = read_document(path)
    assert result.document.format == "docx"
    assert _paras(result.document)[0] == "UBND XÃ AN BÌNH"


# --- real Word files (not redistributed; skipped when absent) ----------------------------------------



def test_realworld_h006_header_lines() -> None:
    doc = read_document(realworld_file("h006.docx")).document
    paras = _paras(doc)
    motto = paras.index("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert paras[:motto] == ["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG", "Số: /BC-UBND"]
    table = next(b for b in doc.blocks if isinstance(b, RawTable))
    assert all(len(r) == len(table.rows[0]) for r in table.rows)


def test_realworld_h013_auto_numbering() -> None:
    paras = _paras(read_document(realworld_file("h013.docx")).document)
    assert "1. Cải cách thể chế" in paras
    assert "2. Cải cách thủ tục hành chính" in paras


def test_realworld_h014_reads() -> None:
    paras = _paras(read_document(realworld_file("h014.docx")).document)
    assert paras[0] == "ỦY BAN NHÂN DÂN"
    assert "I. MỤC ĐÍCH, YÊU CẦU" in paras


def _with_footnotes(data: bytes, notes: dict[int, str]) -> bytes:
    """Add a footnotes part (separator note -1 and the given notes) to a saved document."""
    src = zipfile.ZipFile(io.BytesIO(data))
    body = "".join(
        f'<w:footnote w:id="{i}"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {t}</w:t>'
        "</w:r></w:p></w:footnote>" for i, t in notes.items()
    )
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {NS}>'
           '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
           + body + "</w:footnotes>")
    rels = src.read("word/_rels/document.xml.rels").decode("utf-8").replace(
        "</Relationships>",
        '<Relationship Id="rIdFn1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'footnotes" Target="footnotes.xml"/></Relationships>')
    types = src.read("[Content_Types].xml").decode("utf-8").replace(
        "</Types>",
        '<Override PartName="/word/footnotes.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')
    buf = io.BytesIO(_rezip(data, {"word/_rels/document.xml.rels": rels.encode(),
                                   "[Content_Types].xml": types.encode()}))
    with zipfile.ZipFile(buf, "a") as z:
        z.writestr("word/footnotes.xml", xml.encode("utf-8"))
    return buf.getvalue()


def test_footnote_text_follows_its_referencing_paragraph() -> None:
    """Footnotes count (GUIDELINES v2): the note's text comes after the body paragraph that marks
    it, flagged as a note, and the mark itself is dropped."""
    d = docx.Document()
    _append(d, _p(_r("Tỉnh đã ban hành nhiều văn bản chỉ đạo") + '<w:r><w:footnoteReference w:id="1"/></w:r>'
                  + _r(".")))
    d.add_paragraph("Đoạn tiếp theo của báo cáo.")
    doc = _read(_with_footnotes(_save(d), {1: "Kế hoạch số 12/KH-UBND ngày 05/01/2026."}))
    blocks = [b for b in doc.blocks if isinstance(b, Paragraph)]
    assert [(b.text, b.note) for b in blocks] == [
        ("Tỉnh đã ban hành nhiều văn bản chỉ đạo.", False),
        ("Kế hoạch số 12/KH-UBND ngày 05/01/2026.", True),
        ("Đoạn tiếp theo của báo cáo.", False),
    ]
