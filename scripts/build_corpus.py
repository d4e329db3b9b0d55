"""Build the test corpus: each seed notice as .txt, .docx, .autonum.docx and .pdf.

The seeds (``shared/seeds/*.txt``) are text dumps of real commune-level CCHC notices and
reports in which the header's left column was lost.  This script re-types each one the way a
commune office lays it out under Decree 30/2020/NĐ-CP (Phụ lục I, "ô số" cells):

* A4, margins 2 cm top/bottom, 3 cm left, 1.5 cm right; Times New Roman 14 pt body.
* Header: a borderless two-column table.  Left: tên cơ quan chủ quản (upper case), tên cơ quan
  ban hành (upper case, bold, short rule), ``Số: …``.  Right: Quốc hiệu, Tiêu ngữ (bold, short
  rule), địa danh và ngày (italic).
* Body: tên loại (centred, bold), trích yếu (centred, bold, short rule), then the nội dung
  justified with a 1 cm first-line indent; headings ``I.``, ``1.``, ``1.1.``, ``a)`` in bold.
* Foot: a borderless two-column table, Nơi nhận on the left, the signature block on the right.
* Page numbers centred in the top margin, none on page 1.

``<stem>.autonum.docx`` is the same document with the section-heading labels produced by Word
automatic numbering (``numbering.xml``) instead of typed text.  Both DOCX files are converted
to PDF with LibreOffice when ``soffice`` is installed; otherwise PDF conversion is skipped.

``--verify`` re-reads every produced file (python-docx, with the numbering labels rendered
from ``numbering.xml``; pdfplumber for the PDFs) and checks that every word of the seed is
present, in order.

Usage::

    python scripts/build_corpus.py --seeds ../shared/seeds --out corpus [--verify]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Length, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

# --------------------------------------------------------------------------------------------
# Issuing bodies.  The TXT seeds lost the header's left column, so the cơ quan chủ quản and the
# cơ quan ban hành are reconstructed from each document's own text.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issuer:
    """Left header column: parent body (may be empty) and issuing body, both upper case."""

    parent: str
    body: str


ISSUERS: dict[str, Issuer] = {
    # 000: Số "02/TB-TKT" (TKT = Tổ kiểm tra); body: "Quyết định số 1021/QĐ-UBND ... của Chủ tịch
    # UBND xã về việc thành lập Tổ kiểm tra công tác CCHC năm 2026"; the contract example is
    # "Tổ kiểm tra công tác CCHC" under "UBND xã Nguyễn Lương Bằng".
    "000_9b87a9a4395282da": Issuer("UBND XÃ NGUYỄN LƯƠNG BẰNG", "TỔ KIỂM TRA CÔNG TÁC CCHC"),
    # 001: Số "/TB-ĐKT"; body: "Quyết định số 320/QĐ-UBND ... của UBND xã Đại Sơn về việc thành
    # lập Đoàn kiểm tra ...", "Đoàn kiểm tra thông báo kết luận như sau".
    "001_41fd4556a725f6fe": Issuer("UBND XÃ ĐẠI SƠN", "ĐOÀN KIỂM TRA"),
    # 002: Số "/BC-UBND", signed "TM. ỦY BAN NHÂN DÂN"; body: "UBND xã Nguyễn Lương Bằng báo
    # cáo kết quả như sau".  The report is issued by the UBND itself.  Chosen: no cơ quan chủ
    # quản line -- a People's Committee has no chủ quản line in the Decree 30 header (it would
    # otherwise be "UBND THÀNH PHỐ HẢI PHÒNG", cf. the site nguyenluongbang.haiphong.gov.vn).
    "002_3ab182b739c5c35a": Issuer("", "UBND XÃ NGUYỄN LƯƠNG BẰNG"),
    # 003: no Số line; body: "Kế hoạch số 09/KH-UBND ... của UBND xã Quảng Nghiệp", "Đoàn kiểm
    # tra công tác CCHC và hoạt động công vụ năm 2023 xã Quảng Nghiệp", signed "TM. ĐOÀN KIỂM
    # TRA", Nơi nhận "Lưu: ĐKT".
    "003_540434ec85dafa8c": Issuer("UBND XÃ QUẢNG NGHIỆP", "ĐOÀN KIỂM TRA"),
    # 004: no Số line; body: "Kế hoạch số 48/KH-UBND ... của UBND phường Nam Gia Nghĩa",
    # "Đoàn kiểm tra 243", "Thông báo số 06/TB-ĐKT", signed "TM. ĐOÀN KIỂM TRA ... PHÓ CHỦ TỊCH
    # UBND PHƯỜNG".  ("243" is kept out of the header: the body uses it as a nickname.)
    "004_e309a0c186841072": Issuer("UBND PHƯỜNG NAM GIA NGHĨA", "ĐOÀN KIỂM TRA"),
}

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
DOC_TYPES = ("THÔNG BÁO", "BÁO CÁO")

# Layout (Decree 30/2020, Phụ lục I).
FONT = "Times New Roman"
BODY_PT = 14
HEADER_PT = 13
ISSUER_PT = 12  # tên cơ quan chủ quản / ban hành: 12-13 pt
QUOC_HIEU_PT = 12
RECIPIENT_PT = 11
TEXT_WIDTH = Cm(16.5)
# The header table is 1 cm wider than the text block and starts 0.5 cm into the left margin,
# as offices do so that "UBND XÃ NGUYỄN LƯƠNG BẰNG" and the place-date line fit on one line.
LEFT_COL = Cm(7.3)
RIGHT_COL = Cm(10.2)
HEADER_INDENT = Cm(-0.5)
NO_INDENT = Cm(0)
FIRST_LINE_INDENT = Cm(1.0)
SIGNATURE_GAP_LINES = 4

# --------------------------------------------------------------------------------------------
# Seed parsing
# --------------------------------------------------------------------------------------------

SO_RE = re.compile(r"^Số\s*:")
DATE_LINE_RE = re.compile(r"^\S.*, ngày\b.*\bnăm \d{4}$")
QUOC_HIEU_RE = re.compile(r"^CỘNG HO[ÀA]", re.IGNORECASE)
TIEU_NGU_RE = re.compile(r"^Độc lập\s*-\s*Tự do\s*-\s*Hạnh phúc$")
NOI_NHAN_RE = re.compile(r"^Nơi nhận\s*:?$")

ROMAN_RE = re.compile(r"^(?P<label>(?P<num>[IVX]+)\.)\s+(?P<rest>\S.*)$")
SUB_RE = re.compile(r"^(?P<label>(?P<parent>\d+)\.(?P<num>\d+)\.)\s*(?P<rest>[^\W\d_].*)$")
# "5.Lấy ý kiến" (seed 003) has no space after the label; "1.459 hồ sơ" is not a label.
DECIMAL_RE = re.compile(r"^(?P<label>(?P<num>\d+)\.)(?:\s+|(?=[^\W\d_]))(?P<rest>\S.*)$")
LETTER_RE = re.compile(r"^(?P<label>(?P<num>[a-zđ])\))\s+(?P<rest>\S.*)$")
BULLET_RE = re.compile(r"^[-+*]\s")
SENTENCE_END = (".", ":", ";", "!", "?")
# A numbered "1." paragraph longer than this is a finding item (or a wrapped line), not a heading.
MAX_HEADING_CHARS = 100


@dataclass
class Block:
    """One body paragraph.

    kind is "heading" (labelled section heading), "item" (typed numbered finding item),
    "bullet" or "para".  For headings, level is 0 (I.), 1 (1.), 2 (a) or 1.1.) and value is
    the label's number.
    """

    kind: str
    text: str
    label: str = ""
    rest: str = ""
    level: int = -1
    value: int = 0
    sub: bool = False


@dataclass
class Seed:
    stem: str
    raw: str
    quoc_hieu: str = QUOC_HIEU
    tieu_ngu: str = TIEU_NGU
    so_line: str = ""
    date_line: str = ""
    doc_type: str = ""
    title: str = ""
    blocks: list[Block] = field(default_factory=list)
    noi_nhan: str = "Nơi nhận:"
    recipients: list[str] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)

    @property
    def signer(self) -> str:
        return self.signature[-1]

    @property
    def positions(self) -> list[str]:
        return self.signature[:-1]


def clean(line: str) -> str:
    """Strip a line and collapse runs of spaces (the re-typed document has single spaces)."""
    return re.sub(r"[ \t\u00a0]+", " ", line).strip()


def is_block_start(line: str) -> bool:
    """True when a line opens a new paragraph by its first characters (bullet or label)."""
    return bool(
        BULLET_RE.match(line)
        or ROMAN_RE.match(line)
        or SUB_RE.match(line)
        or DECIMAL_RE.match(line)
        or LETTER_RE.match(line)
    )


def looks_like_heading(paragraph: str) -> bool:
    """A labelled paragraph short enough to be a heading rather than a wrapped item."""
    return bool(
        ROMAN_RE.match(paragraph)
        or SUB_RE.match(paragraph)
        or LETTER_RE.match(paragraph)
        or (DECIMAL_RE.match(paragraph) and len(paragraph) <= MAX_HEADING_CHARS)
    )


def reflow(lines: Sequence[str]) -> list[str]:
    """Rejoin hard-wrapped lines (PDF dumps, page breaks) into paragraphs.

    A line continues the current paragraph unless it starts a bullet or a label, or the
    paragraph is complete: it ends a sentence (. : ; ! ?), or it is a short labelled heading and
    the line starts with a capital.  A line starting with a lower-case letter always continues
    (no paragraph starts in lower case); so does any line while a "(" is still open.
    """
    paragraphs: list[str] = []
    for raw in lines:
        line = clean(raw)
        if not line:
            continue
        if not paragraphs or is_block_start(line):
            paragraphs.append(line)
            continue
        current = paragraphs[-1]
        if line[0].islower() or current.count("(") > current.count(")"):
            joins = True
        elif current.endswith(SENTENCE_END):
            joins = False
        else:
            joins = not looks_like_heading(current)
        if joins:
            paragraphs[-1] = f"{current} {line}"
        else:
            paragraphs.append(line)
    return paragraphs


def roman_value(numeral: str) -> int:
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for i, ch in enumerate(numeral):
        v = values[ch]
        total += -v if i + 1 < len(numeral) and values[numeral[i + 1]] > v else v
    return total


def classify(paragraph: str) -> Block:
    """Label a body paragraph: heading (with level and value), finding item, bullet or text."""
    if m := ROMAN_RE.match(paragraph):
        return Block("heading", paragraph, m["label"], m["rest"], 0, roman_value(m["num"]))
    if m := SUB_RE.match(paragraph):
        return Block("heading", paragraph, m["label"], m["rest"], 2, int(m["num"]), sub=True)
    if m := LETTER_RE.match(paragraph):
        return Block("heading", paragraph, m["label"], m["rest"], 2, ord(m["num"]) - ord("a") + 1)
    if m := DECIMAL_RE.match(paragraph):
        # "1. Tiếp xúc, đối thoại: ... (Chỉ tiêu 5 cuộc đối thoại/năm)." is a finding item:
        # it is a sentence.  Headings ("1. Ưu điểm", "2. Tồn tại, hạn chế:") are not.
        if paragraph.endswith(".") or len(paragraph) > MAX_HEADING_CHARS:
            return Block("item", paragraph, m["label"], m["rest"])
        return Block("heading", paragraph, m["label"], m["rest"], 1, int(m["num"]))
    if BULLET_RE.match(paragraph):
        return Block("bullet", paragraph)
    return Block("para", paragraph)


def parse_seed(path: Path) -> Seed:
    """Split a seed dump into header fields, title, body blocks, Nơi nhận and signature."""
    raw = path.read_text(encoding="utf-8")
    seed = Seed(stem=path.stem, raw=raw)
    lines = raw.splitlines()
    i = 0
    # Header, up to the type name.
    while i < len(lines):
        line = clean(lines[i])
        i += 1
        if not line:
            continue
        if line in DOC_TYPES:
            seed.doc_type = line
            break
        if QUOC_HIEU_RE.match(line):
            seed.quoc_hieu = line  # keep the seed's spelling ("CỘNG HOÀ" in seed 003)
        elif TIEU_NGU_RE.match(line):
            seed.tieu_ngu = line
        elif SO_RE.match(line):
            seed.so_line = line
        elif DATE_LINE_RE.match(line):
            seed.date_line = line
        else:
            raise ValueError(f"{path.name}: unexpected header line {line!r}")
    if not seed.doc_type:
        raise ValueError(f"{path.name}: no type name ({', '.join(DOC_TYPES)}) found")
    # Title: the first line after the type name, plus wrapped lines starting in lower case.
    title: list[str] = []
    while i < len(lines):
        line = clean(lines[i])
        if line and title and not line[0].islower():
            break
        if line:
            title.append(line)
        i += 1
    seed.title = " ".join(title)
    # Body, up to "Nơi nhận:".
    body: list[str] = []
    while i < len(lines) and not NOI_NHAN_RE.match(clean(lines[i])):
        body.append(lines[i])
        i += 1
    if i == len(lines):
        raise ValueError(f"{path.name}: no 'Nơi nhận:' line")
    seed.noi_nhan = clean(lines[i])
    i += 1
    seed.blocks = [classify(p) for p in reflow(body)]
    # Recipients: the "- ...;" lines; the rest is the signature block.
    while i < len(lines):
        line = clean(lines[i])
        if line and not line.startswith("-"):
            break
        if line:
            seed.recipients.append(line)
        i += 1
    # Seed 004 wraps its signature in Markdown bold ("**TM. ĐOÀN KIỂM TRA ... Thịnh**").
    seed.signature = [s for line in lines[i:] if (s := clean(line.replace("**", "")))]
    if len(seed.signature) < 2:
        raise ValueError(f"{path.name}: signature block too short: {seed.signature}")
    return seed


# --------------------------------------------------------------------------------------------
# DOCX helpers
# --------------------------------------------------------------------------------------------

# Markdown emphasis kept by the dumps: **bold** (deadlines in seed 000), *italic* (seed 002),
# <url> autolinks (seed 002).  A "* " bullet is not emphasis.
INLINE_RE = re.compile(
    r"\*\*(?P<bold>.+?)\*\*|(?<!\*)\*(?=\S)(?P<italic>[^*]+?)(?<=\S)\*|<(?P<url>https?://[^>]+)>"
)


def split_inline(text: str) -> Iterator[tuple[str, bool, bool]]:
    """Yield (text, bold, italic) runs for a line with Markdown emphasis."""
    pos = 0
    for m in INLINE_RE.finditer(text):
        if m.start() > pos:
            yield text[pos : m.start()], False, False
        if m["bold"] is not None:
            yield m["bold"], True, False
        elif m["italic"] is not None:
            yield m["italic"], False, True
        else:
            yield m["url"], False, False
        pos = m.end()
    if pos < len(text):
        yield text[pos:], False, False


def strip_markdown(text: str) -> str:
    return "".join(part for part, _, _ in split_inline(text))


def set_run_font(run_element: etree._Element, size_pt: float | None = None) -> None:
    """Name Times New Roman for every script slot so LibreOffice and Word both use it."""
    rpr = run_element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = etree.SubElement(rpr, qn("w:rFonts"))
        rpr.remove(fonts)
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    if size_pt is not None:
        for tag in ("w:sz", "w:szCs"):
            el = rpr.find(qn(tag))
            if el is None:
                el = etree.SubElement(rpr, qn(tag))
            el.set(qn("w:val"), str(int(size_pt * 2)))


def add_text(
    paragraph: Paragraph,
    text: str,
    *,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    markdown: bool = False,
) -> None:
    parts = split_inline(text) if markdown else iter([(text, False, False)])
    for part, md_bold, md_italic in parts:
        run = paragraph.add_run(part)
        run.font.name = FONT
        run.font.size = Pt(size)
        run.bold = bold or md_bold or None
        run.italic = italic or md_italic or None
        set_run_font(run._r, size)


def format_paragraph(
    paragraph: Paragraph,
    align: WD_ALIGN_PARAGRAPH,
    *,
    first_line: Cm | None = None,
    before: float = 0,
    after: float = 0,
) -> None:
    pf = paragraph.paragraph_format
    pf.alignment = align
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    pf.line_spacing = 1.0
    if first_line is not None:
        pf.first_line_indent = first_line


def add_line(
    container: DocumentObject | _Cell,
    text: str,
    *,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    before: float = 0,
    after: float = 0,
) -> Paragraph:
    paragraph = container.add_paragraph()
    format_paragraph(paragraph, align, before=before, after=after)
    if text:
        add_text(paragraph, text, size=size, bold=bold, italic=italic)
    return paragraph


def first_paragraph(
    cell: _Cell,
    text: str,
    *,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
) -> Paragraph:
    """Fill the cell's built-in empty paragraph instead of adding a second one."""
    paragraph: Paragraph = cell.paragraphs[0]
    format_paragraph(paragraph, align)
    add_text(paragraph, text, size=size, bold=bold, italic=italic)
    return paragraph


# Child order of w:pPr and w:tblPr in the WordprocessingML schema (ECMA-376 §17.3.1.26, §17.4.60);
# Word rejects out-of-order children, so new elements are inserted at their schema position.
PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
    "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
    "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
).split()
TBLPR_ORDER = (
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing "
    "tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription"
).split()


def insert_ordered(parent: etree._Element, child: etree._Element, order: Sequence[str]) -> None:
    """Insert child at its schema position in parent, replacing an element with the same tag."""
    name = etree.QName(child).localname
    for old in parent.findall(qn(f"w:{name}")):
        parent.remove(old)
    rank = order.index(name)
    for existing in parent:
        local = etree.QName(existing).localname
        if local in order and order.index(local) > rank:
            existing.addprevious(child)
            return
    parent.append(child)


def add_rule(container: DocumentObject | _Cell, width: Length, column: Length) -> None:
    """A short centred horizontal rule: an empty paragraph with a top border, indented."""
    paragraph = container.add_paragraph()
    indent = Cm(max((column.cm - width.cm) / 2 - 0.2, 0))
    pf = paragraph.paragraph_format
    pf.alignment = WD_ALIGN_PARAGRAPH.CENTER
    pf.left_indent = indent
    pf.right_indent = indent
    pf.space_before = Pt(3)
    pf.space_after = Pt(0)
    pf.line_spacing = Pt(4)
    ppr = paragraph._p.get_or_add_pPr()
    border = f'<w:pBdr {nsdecls("w")}><w:top w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr>'
    insert_ordered(ppr, parse_xml(border), PPR_ORDER)
    insert_ordered(ppr, parse_xml(f'<w:rPr {nsdecls("w")}><w:sz w:val="8"/></w:rPr>'), PPR_ORDER)


def borderless_table(
    document: DocumentObject, widths: Sequence[Length], indent: Length = NO_INDENT
) -> tuple[_Cell, ...]:
    """A one-row table without borders, fixed column widths, 0.1 cm cell padding."""
    table = document.add_table(rows=1, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    sides = "".join(
        f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    margins = '<w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/>'
    for xml in (
        f'<w:tblInd {nsdecls("w")} w:w="{int(indent.twips)}" w:type="dxa"/>',
        f"<w:tblBorders {nsdecls('w')}>{sides}</w:tblBorders>",
        f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>',
        f"<w:tblCellMar {nsdecls('w')}>{margins}</w:tblCellMar>",
    ):
        insert_ordered(tbl_pr, parse_xml(xml), TBLPR_ORDER)
    # Never split the row across pages (the signature would be separated from its name).
    table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
    cells = table.rows[0].cells
    for col, cell, width in zip(table.columns, cells, widths, strict=True):
        col.width = width
        cell.width = width
    return tuple(cells)


def add_page_number_header(document: DocumentObject) -> None:
    """Page number centred in the top margin; none on the first page (Decree 30, Art. 13)."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    format_paragraph(paragraph, WD_ALIGN_PARAGRAPH.CENTER)
    field_xml = (
        f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:rPr>'
        f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
        f'<w:sz w:val="{HEADER_PT * 2}"/></w:rPr><w:t>2</w:t></w:r></w:fldSimple>'
    )
    paragraph._p.append(parse_xml(field_xml))


def setup_document(seed: Seed, issuer: Issuer) -> DocumentObject:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Cm(21.0)
    section.page_height = Cm(29.7)
    section.top_margin = Cm(2.0)
    section.bottom_margin = Cm(2.0)
    section.left_margin = Cm(3.0)
    section.right_margin = Cm(1.5)
    section.header_distance = Cm(1.0)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    set_run_font(normal.element, BODY_PT)
    normal.paragraph_format.space_after = Pt(0)
    # The template's docDefaults name Calibri/Cambria via theme fonts; pin them to TNR too.
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for fonts in defaults.iter(qn("w:rFonts")):
            for key in list(fonts.attrib):
                del fonts.attrib[key]
            for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                fonts.set(qn(attr), FONT)
    props = document.core_properties
    props.author = issuer.body
    props.last_modified_by = ""
    props.title = f"{seed.doc_type} {strip_markdown(seed.title)}"
    props.comments = ""
    return document


# --------------------------------------------------------------------------------------------
# Automatic numbering (numbering.xml)
# --------------------------------------------------------------------------------------------

ROMAN_DIGITS = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def to_roman(value: int) -> str:
    out = []
    for v, s in ROMAN_DIGITS:
        while value >= v:
            out.append(s)
            value -= v
    return "".join(out)


def format_number(value: int, fmt: str) -> str:
    if fmt == "upperRoman":
        return to_roman(value)
    if fmt == "lowerLetter":
        return chr(ord("a") + value - 1)
    return str(value)


@dataclass(frozen=True)
class Level:
    fmt: str
    text: str
    start: int = 1


# Level 2 is either "a)" (lowerLetter) or "1.1." (decimal "%2.%3."), chosen per document.
LEVELS_LETTER = (Level("upperRoman", "%1."), Level("decimal", "%2."), Level("lowerLetter", "%3)"))
LEVELS_SUB = (Level("upperRoman", "%1."), Level("decimal", "%2."), Level("decimal", "%2.%3."))


class NumberingRenderer:
    """Compute list labels the way Word does for one abstract definition per w:num.

    Each w:num keeps its own counters; a paragraph at level L advances L and restarts every
    deeper level (Word's default lvlRestart); startOverride sets a level's first value.
    """

    def __init__(self, levels: dict[str, Sequence[Level]], overrides: dict[str, dict[int, int]]) -> None:
        self.levels = levels  # numId -> levels of its abstractNum
        self.overrides = overrides  # numId -> {ilvl: start}
        self.counters: dict[str, dict[int, int]] = {}

    def start(self, num_id: str, ilvl: int) -> int:
        return self.overrides.get(num_id, {}).get(ilvl, self.levels[num_id][ilvl].start)

    def peek(self, num_id: str, ilvl: int) -> int:
        counters = self.counters.get(num_id, {})
        return counters[ilvl] + 1 if ilvl in counters else self.start(num_id, ilvl)

    def advance(self, num_id: str, ilvl: int) -> str:
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = self.peek(num_id, ilvl)
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        level = self.levels[num_id][ilvl]

        def sub(m: re.Match[str]) -> str:
            k = int(m[1]) - 1
            value = counters.get(k, self.start(num_id, k))
            return format_number(value, self.levels[num_id][k].fmt)

        return re.sub(r"%(\d)", sub, level.text)

    @classmethod
    def from_numbering_xml(cls, numbering: etree._Element) -> NumberingRenderer:
        abstract: dict[str, list[Level]] = {}
        for an in numbering.findall(qn("w:abstractNum")):
            lvls: list[Level] = []
            for lvl in sorted(an.findall(qn("w:lvl")), key=lambda e: int(e.get(qn("w:ilvl")))):
                fmt = lvl.find(qn("w:numFmt"))
                text = lvl.find(qn("w:lvlText"))
                start = lvl.find(qn("w:start"))
                lvls.append(
                    Level(
                        fmt.get(qn("w:val")) if fmt is not None else "decimal",
                        text.get(qn("w:val")) if text is not None else "",
                        int(start.get(qn("w:val"))) if start is not None else 1,
                    )
                )
            abstract[an.get(qn("w:abstractNumId"))] = lvls
        levels: dict[str, Sequence[Level]] = {}
        overrides: dict[str, dict[int, int]] = {}
        for num in numbering.findall(qn("w:num")):
            num_id = num.get(qn("w:numId"))
            levels[num_id] = abstract[num.find(qn("w:abstractNumId")).get(qn("w:val"))]
            for ov in num.findall(qn("w:lvlOverride")):
                so = ov.find(qn("w:startOverride"))
                if so is not None:
                    overrides.setdefault(num_id, {})[int(ov.get(qn("w:ilvl")))] = int(so.get(qn("w:val")))
        return cls(levels, overrides)


def abstract_num_xml(abstract_id: int, levels: Sequence[Level]) -> str:
    lvls = []
    for ilvl in range(9):
        level = levels[ilvl] if ilvl < len(levels) else Level("decimal", f"%{ilvl + 1}.")
        lvls.append(
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{level.start}"/><w:numFmt w:val="{level.fmt}"/>'
            f'<w:lvlText w:val="{level.text}"/><w:lvlJc w:val="left"/><w:suff w:val="space"/>'
            f'<w:pPr><w:ind w:left="0" w:firstLine="{int(FIRST_LINE_INDENT.twips)}"/></w:pPr>'
            f'<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
            f'<w:b/><w:bCs/><w:sz w:val="{BODY_PT * 2}"/><w:szCs w:val="{BODY_PT * 2}"/></w:rPr></w:lvl>'
        )
    return (
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        f'<w:multiLevelType w:val="multilevel"/>{"".join(lvls)}</w:abstractNum>'
    )


def num_xml(num_id: int, abstract_id: int, overrides: dict[int, int]) -> str:
    body = "".join(
        f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
        for ilvl, start in sorted(overrides.items())
    )
    return f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{body}</w:num>'


class HeadingNumbering:
    """Create the numbering definitions for one document and hand out (numId, ilvl) per heading.

    Labels are simulated with NumberingRenderer; when the seed's label differs from what Word
    would render next (seed 004 goes from "I." to "III."), a new w:num with startOverride
    restarts the list at the seed's value.
    """

    def __init__(self, document: DocumentObject, blocks: Sequence[Block]) -> None:
        headings = [b for b in blocks if b.kind == "heading"]
        letters = any(b.level == 2 and not b.sub for b in headings)
        subs = any(b.sub for b in headings)
        if letters and subs:
            raise ValueError("a document mixing 'a)' and '1.1.' headings needs a fourth level")
        self.levels = LEVELS_SUB if subs else LEVELS_LETTER
        self.numbering = document.part.numbering_part.element
        existing_abstract = [
            int(e.get(qn("w:abstractNumId"))) for e in self.numbering.findall(qn("w:abstractNum"))
        ]
        existing_num = [int(e.get(qn("w:numId"))) for e in self.numbering.findall(qn("w:num"))]
        self.abstract_id = max(existing_abstract, default=-1) + 1
        self.next_num_id = max(existing_num, default=0) + 1
        abstract = parse_xml(abstract_num_xml(self.abstract_id, self.levels))
        nums = self.numbering.findall(qn("w:num"))
        if nums:
            nums[0].addprevious(abstract)
        else:
            self.numbering.append(abstract)
        self.renderer = NumberingRenderer({}, {})
        self.num_id = self._new_num({})

    def _new_num(self, overrides: dict[int, int]) -> str:
        num_id = str(self.next_num_id)
        self.next_num_id += 1
        self.numbering.append(parse_xml(num_xml(int(num_id), self.abstract_id, overrides)))
        self.renderer.levels[num_id] = self.levels
        self.renderer.overrides[num_id] = dict(overrides)
        return num_id

    def assign(self, block: Block) -> tuple[str, int]:
        ilvl = block.level
        if self.renderer.peek(self.num_id, ilvl) != block.value:
            # Restart the list: this level at the seed's value, the levels above continue.
            overrides = {k: self.renderer.peek(self.num_id, k) for k in range(ilvl)}
            overrides[ilvl] = block.value
            self.num_id = self._new_num(overrides)
        label = self.renderer.advance(self.num_id, ilvl)
        if label != block.label:
            raise ValueError(f"numbering would render {label!r} for {block.label!r} ({block.text[:40]!r})")
        return self.num_id, ilvl


def set_num_pr(paragraph: Paragraph, num_id: str, ilvl: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    num_pr = parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
    )
    insert_ordered(ppr, num_pr, PPR_ORDER)


# --------------------------------------------------------------------------------------------
# Building one document
# --------------------------------------------------------------------------------------------


def build_header(document: DocumentObject, seed: Seed, issuer: Issuer) -> None:
    left, right = borderless_table(document, (LEFT_COL, RIGHT_COL), HEADER_INDENT)
    if issuer.parent:
        first_paragraph(left, issuer.parent, size=ISSUER_PT)
        add_line(left, issuer.body, size=ISSUER_PT, bold=True)
    else:
        first_paragraph(left, issuer.body, size=ISSUER_PT, bold=True)
    add_rule(left, Cm(2.5), LEFT_COL)
    if seed.so_line:
        add_line(left, seed.so_line, size=HEADER_PT, before=4)
    first_paragraph(right, seed.quoc_hieu, size=QUOC_HIEU_PT, bold=True)
    add_line(right, seed.tieu_ngu, size=BODY_PT - 1, bold=True)
    add_rule(right, Cm(6.0), RIGHT_COL)
    if seed.date_line:
        add_line(right, seed.date_line, size=BODY_PT - 1, italic=True, before=4)


def build_body(document: DocumentObject, seed: Seed, numbering: HeadingNumbering | None) -> None:
    add_line(document, seed.doc_type, bold=True, before=18)
    title = add_line(document, seed.title, bold=True)
    title.paragraph_format.left_indent = Cm(0.5)
    title.paragraph_format.right_indent = Cm(0.5)
    add_rule(document, Cm(4.0), TEXT_WIDTH)
    first = True
    for block in seed.blocks:
        paragraph = document.add_paragraph()
        format_paragraph(
            paragraph,
            WD_ALIGN_PARAGRAPH.JUSTIFY,
            first_line=FIRST_LINE_INDENT,
            before=12 if first else 0,
            after=6,
        )
        paragraph.paragraph_format.line_spacing = 1.1
        first = False
        if block.kind == "heading":
            paragraph.paragraph_format.keep_with_next = True
            if numbering is not None:
                num_id, ilvl = numbering.assign(block)
                set_num_pr(paragraph, num_id, ilvl)
                add_text(paragraph, block.rest, bold=True, markdown=True)
            else:
                add_text(paragraph, block.text, bold=True, markdown=True)
        else:
            # Finding items ("1. Tiếp xúc, đối thoại: ...") stay typed in both variants: they
            # are sentences of a list, not document structure, and typed is how the seeds read.
            add_text(paragraph, block.text, markdown=True)


def build_closing(document: DocumentObject, seed: Seed) -> None:
    spacer = document.add_paragraph()
    format_paragraph(spacer, WD_ALIGN_PARAGRAPH.LEFT)
    left, right = borderless_table(document, (Cm(8.0), Cm(8.5)))
    first_paragraph(
        left, seed.noi_nhan, size=RECIPIENT_PT + 1, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT
    )
    for line in seed.recipients:
        add_line(left, line, size=RECIPIENT_PT, align=WD_ALIGN_PARAGRAPH.LEFT)
    positions = seed.positions
    first_paragraph(right, positions[0], bold=True)
    for line in positions[1:]:
        add_line(right, line, bold=True)
    for _ in range(SIGNATURE_GAP_LINES):
        add_line(right, "")
    add_line(right, seed.signer, bold=True)


def build_docx(seed: Seed, issuer: Issuer, path: Path, *, autonum: bool) -> None:
    document = setup_document(seed, issuer)
    add_page_number_header(document)
    build_header(document, seed, issuer)
    numbering = HeadingNumbering(document, seed.blocks) if autonum else None
    build_body(document, seed, numbering)
    build_closing(document, seed)
    document.save(str(path))


# --------------------------------------------------------------------------------------------
# PDF conversion
# --------------------------------------------------------------------------------------------


def convert_to_pdf(docx_files: Sequence[Path], out_dir: Path) -> bool:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("soffice (LibreOffice) not found: skipping PDF conversion; the committed PDFs are kept.")
        return False
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        cmd = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            *map(str, docx_files),
        ]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, timeout=600)
    return True


# --------------------------------------------------------------------------------------------
# Verification
# --------------------------------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    """Words for comparison: NFKC (folds ligatures), no Markdown, whitespace-insensitive."""
    return unicodedata.normalize("NFKC", strip_markdown(text).replace("**", "")).split()


def seed_blocks(seed: Seed) -> dict[str, list[str]]:
    """The seed's words grouped by the layout region they end up in.

    Each region must appear in order in the produced file.  A PDF interleaves the lines of the
    two header (and closing) columns, so regions are checked separately for PDFs.
    """
    header_right = [seed.quoc_hieu, seed.tieu_ngu] if QUOC_HIEU_RE.search(seed.raw) else []
    return {
        "header-left": tokens(seed.so_line),
        "header-right": tokens(" ".join([*header_right, seed.date_line])),
        "body": tokens(" ".join([seed.doc_type, seed.title, *(b.text for b in seed.blocks)])),
        "recipients": tokens(" ".join([seed.noi_nhan, *seed.recipients])),
        "signature": tokens(" ".join(seed.signature)),
    }


def missing_in_order(expected: Sequence[str], actual: Sequence[str]) -> tuple[list[str], int]:
    """Words of expected not matched scanning actual left to right (greedy subsequence).

    LibreOffice may break a line after the hyphen or slash of a symbol ("766/QĐ-" + "TTg;"),
    as real PDFs do; such a word matches two consecutive tokens and is counted as split.
    Returns (missing words, number of split words).
    """
    missing: list[str] = []
    split = 0
    j = 0
    for word in expected:
        k = j
        width = 1
        while k < len(actual):
            if actual[k] == word:
                break
            if len(actual[k]) > 1 and actual[k].endswith(("-", "/")) and k + 1 < len(actual):
                if actual[k] + actual[k + 1] == word:
                    width = 2
                    break
            k += 1
        if k == len(actual):
            missing.append(word)
        else:
            split += width == 2
            j = k + width
    return missing, split


def docx_text(path: Path) -> str:
    """Text of a DOCX in reading order, list labels rendered from numbering.xml."""
    document = Document(str(path))
    try:
        renderer = NumberingRenderer.from_numbering_xml(document.part.numbering_part.element)
    except (KeyError, NotImplementedError):
        renderer = NumberingRenderer({}, {})

    def paragraph_text(p: etree._Element) -> str:
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        num_pr = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if num_pr is not None:
            num_id = num_pr.find(qn("w:numId")).get(qn("w:val"))
            ilvl = int(num_pr.find(qn("w:ilvl")).get(qn("w:val")))
            text = f"{renderer.advance(num_id, ilvl)} {text}"
        return text

    lines: list[str] = []
    for child in document.element.body:
        if child.tag == qn("w:p"):
            lines.append(paragraph_text(child))
        elif child.tag == qn("w:tbl"):
            for cell in child.iter(qn("w:tc")):
                lines.extend(paragraph_text(p) for p in cell.iter(qn("w:p")))
    return "\n".join(lines)


def pdf_text(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def verify(seed: Seed, out_dir: Path) -> bool:
    ok = True
    blocks = seed_blocks(seed)
    whole = [w for words in blocks.values() for w in words]
    candidates = [
        out_dir / f"{seed.stem}.txt",
        out_dir / f"{seed.stem}.docx",
        out_dir / f"{seed.stem}.autonum.docx",
        out_dir / f"{seed.stem}.pdf",
        out_dir / f"{seed.stem}.autonum.pdf",
    ]
    for path in candidates:
        if not path.exists():
            print(f"  {path.name:40} {'not built (no LibreOffice)' if path.suffix == '.pdf' else 'MISSING'}")
            ok = ok and path.suffix == ".pdf"  # PDFs are optional when soffice is absent
            continue
        if path.suffix == ".txt":
            same = path.read_text(encoding="utf-8") == seed.raw
            print(f"  {path.name:40} {'identical to seed' if same else 'DIFFERS from seed'}")
            ok = ok and same
            continue
        actual = tokens(docx_text(path) if path.suffix == ".docx" else pdf_text(path))
        if path.suffix == ".docx":
            # DOCX reading order is header-left, header-right, body, recipients, signature.
            missing, split = missing_in_order(whole, actual)
        else:
            missing, split = [], 0
            for words in blocks.values():
                block_missing, block_split = missing_in_order(words, actual)
                missing += block_missing
                split += block_split
        status = "all words in order" if not missing else f"{len(missing)} MISSING: {' '.join(missing[:12])}"
        if split:
            status += f" ({split} split at a line-end hyphen/slash)"
        print(f"  {path.name:40} {len(whole):5d} seed words, {status}")
        ok = ok and not missing
    return ok


# --------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=Path, required=True, help="directory of seed *.txt files")
    parser.add_argument("--out", type=Path, required=True, help="corpus directory to write")
    parser.add_argument("--verify", action="store_true", help="re-read the outputs and compare to the seeds")
    parser.add_argument("--no-pdf", action="store_true", help="do not run LibreOffice")
    parser.add_argument("--dump", action="store_true", help="print the parsed paragraphs of each seed")
    args = parser.parse_args(argv)

    seed_paths = sorted(args.seeds.glob("*.txt"))
    if not seed_paths:
        print(f"no seeds in {args.seeds}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    seeds = [parse_seed(p) for p in seed_paths]
    docx_files: list[Path] = []
    for seed in seeds:
        issuer = ISSUERS.get(seed.stem)
        if issuer is None:
            print(f"{seed.stem}: no issuer entry in ISSUERS", file=sys.stderr)
            return 2
        if args.dump:
            print(f"== {seed.stem}: {seed.doc_type} / {seed.title}")
            for block in seed.blocks:
                print(f"  [{block.kind}{block.level if block.kind == 'heading' else ''}] {block.text}")
            print(f"  recipients={seed.recipients}\n  signature={seed.signature}")
        shutil.copyfile(seed_paths[seeds.index(seed)], args.out / f"{seed.stem}.txt")
        for autonum in (False, True):
            path = args.out / f"{seed.stem}{'.autonum' if autonum else ''}.docx"
            build_docx(seed, issuer, path, autonum=autonum)
            docx_files.append(path)
        print(f"{seed.stem}: {len(seed.blocks)} paragraphs -> {seed.stem}.docx, {seed.stem}.autonum.docx")
    if not args.no_pdf and convert_to_pdf(docx_files, args.out):
        print(f"converted {len(docx_files)} DOCX files to PDF with LibreOffice")
    if args.verify:
        print("verify:")
        results = []
        for seed in seeds:
            print(f" {seed.stem}")
            results.append(verify(seed, args.out))
        if not all(results):
            print("verify FAILED")
            return 1
        print("verify OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
