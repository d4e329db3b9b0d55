"""The public record (``shared/record-contract.md``, version 1) as pydantic v2 models.

Field names, types and nesting are a contract: analysts' scripts and the scorer read them.
``Notice.model_dump(mode="json")`` is the contract JSON. Fields beyond the contract are additions
(``page`` on items, ``label_span`` ...), never renames.
"""

from __future__ import annotations

import bisect
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Span = tuple[int, int]
"""``[start, end)`` character offsets into ``Notice.text``."""

SectionKind = Literal[
    "general", "results", "strengths", "limitations", "causes", "requirements",
    "recommendations", "conclusion", "tasks", "other",
]
FindingKind = Literal["strength", "limitation", "cause", "requirement", "recommendation", "task"]


class _Model(BaseModel):
    # Each field's docstring is its description in the JSON Schema (`cchc-extract schema`) and in
    # docs/record.md, which scripts/gen_record_docs.py writes from this module: one text, no drift.
    model_config = ConfigDict(extra="forbid", validate_assignment=False, use_attribute_docstrings=True)


class Source(_Model):
    """The file the record was parsed from."""

    path: str
    """The path as given to the parser (or the `filename` of in-memory content, `"<bytes>"` without one)."""
    format: Literal["pdf", "docx", "txt", "doc", "rtf", "odt", "jpeg", "png", "tiff"]
    """The format read, decided by the content (not the extension): ``doc``/``rtf``/``odt`` were
    converted to DOCX with LibreOffice before reading; ``jpeg``/``png``/``tiff`` are scanned pages
    read by OCR."""
    sha256: str
    """SHA-256 of the file's bytes (hex): the document's key in the archive and in frames."""
    pages: int | None = None
    """Number of pages (PDF pages, DOCX page breaks + 1), or null for text."""
    text_source: Literal["text", "ocr", "mixed"] = "text"
    """Where ``text`` came from: the file's own text (text layer, DOCX, TXT), OCR of every page,
    or OCR of some pages (``ocr_pages``) and the text layer of the others."""
    ocr_pages: list[int] = Field(default_factory=list)
    """The pages read by OCR (1-based)."""
    ocr_confidence: float | None = None
    """Mean OCR word confidence over those pages, 0-1."""


class DocType(_Model):
    """The document type named in the header (Decree 30/2020 Annex III)."""

    code: str | None
    """Abbreviation of the type: `"TB"` (Thông báo), `"BC"`, `"KH"`, `"QĐ"` ..., or null."""
    name: str
    """The type name in sentence case: `"Thông báo"`, `"Báo cáo"`, `"Kế hoạch"` ..."""


class DocNumber(_Model):
    """The document number printed after `Số:`."""

    raw: str
    """Exactly as printed after `Số:`: `"02/TB-TKT"`, `"/TB-ĐKT"` (a blank sequence kept blank)."""
    seq: int | None = None
    """The sequence number, or null when it is left blank."""
    year: int | None = None
    """The year inside the number (`30/2018/QĐ-UBND` -> 2018), or null when it carries none."""
    type_code: str | None = None
    """The type part: `"TB"` in `02/TB-TKT`."""
    issuer_code: str | None = None
    """The issuer part: `"TKT"` in `02/TB-TKT`, `"UBND"`."""


class Issuer(_Model):
    """The issuing body, from the header block."""

    name: str
    """The issuing body: `"Tổ kiểm tra công tác CCHC"`."""
    parent: str | None = None
    """The body above it (`"UBND xã Nguyễn Lương Bằng"`), or null."""


class PlaceUnit(_Model):
    """The current (post-2025-merger) administrative unit a place name resolves to."""

    province: str | None = None
    """The current province or centrally-run city, when known."""
    commune: str | None = None
    """Ward, commune or special zone (phường / xã / đặc khu) after the merger, when known."""
    code: str | None = None
    """Administrative unit code, when the mapping gives one."""
    matched: str | None = None
    """The name as matched in the mapping (e.g. the pre-merger name)."""


class IssueDate(_Model):
    """The issue date after the place name."""

    raw: str
    """As printed: `"ngày 06 tháng 7 năm 2026"`."""
    day: int | None = None
    """Day of the month, or null when left blank."""
    month: int | None = None
    """Month (1-12), or null when left blank."""
    year: int | None = None
    """Year, or null when left blank."""
    iso: str | None = None
    """`YYYY-MM-DD`, only when day, month and year are all printed."""


class Period(_Model):
    """The period a report or notice covers."""

    year: int | None = None
    """The year covered."""
    quarter: int | None = None
    """The quarter (1-4), or null."""
    half: int | None = None
    """The half year (1-2), or null."""
    raw: str
    """The wording it was read from: `"quý I năm 2026"`, `"6 tháng đầu năm 2026"`."""


class Inspection(_Model):
    """What an inspection notice says about the inspection."""

    team: str | None = None
    """The inspecting team: `"Tổ kiểm tra công tác CCHC"`, `"Đoàn kiểm tra"`."""
    dates: list[str] = Field(default_factory=list)
    """ISO dates the inspection took place."""
    units: list[str] = Field(default_factory=list)
    """The inspected bodies, as written."""


class Reference(_Model):
    """A document cited in the text."""

    type_code: str | None = None
    """Type abbreviation: `"KH"`, `"QĐ"`, `"NĐ"` (for `118/2025/NĐ-CP`), or null."""
    type_name: str | None = None
    """Type name: `"Kế hoạch"`, `"Quyết định"`, `"Nghị định"` ..., or null."""
    number: str
    """The identifier as normalized: `"55/KH-UBND"`, `"118/2025/NĐ-CP"`."""
    date: str | None = None
    """Its issue date (ISO), or null."""
    issuer: str | None = None
    """The issuing body as cited (`"UBND xã Nguyễn Lương Bằng"`), or null."""
    span: Span
    """`[start, end)` character offsets of the evidence in `text`."""
    page: int | None = None
    """The 1-based page the evidence starts on (null for text files)."""


class Section(_Model):
    """A heading of the document and what is under it."""

    label: str | None = None
    """The heading's number: `"I"`, `"1"`, `"a"`, `"2.1"`, or null when unnumbered."""
    title: str
    """The heading text without its label."""
    level: int
    """Depth in the heading tree (1 = top)."""
    kind: SectionKind
    """What the section holds: general, results, strengths, limitations, causes, requirements, recommendations, conclusion, tasks or other."""
    unit: str | None = None
    """The body the section is about (`"Phòng Kinh tế"`), else the parent's, else null."""
    paragraphs: list[str] = Field(default_factory=list)
    """The text directly under the heading, one string per paragraph."""
    children: list[Section] = Field(default_factory=list)
    """Sub-sections, in order."""
    span: Span
    """`[start, end)` character offsets of the evidence in `text`."""
    page: int | None = None
    """The 1-based page the evidence starts on (null for text files)."""


class Finding(_Model):
    """One assessed item (a bullet or paragraph) under a strengths, limitations, causes, requirements, recommendations or tasks heading."""

    kind: FindingKind
    """strength, limitation, cause, requirement, recommendation, or task (a planned task of a report or plan)."""
    unit: str | None = None
    """The body the item is about, or null."""
    text: str
    """The item's text."""
    section: list[str] = Field(default_factory=list)
    """The labels of its section from the top: `["II", "1", "b"]`."""
    span: Span
    """`[start, end)` character offsets of the evidence in `text`."""
    page: int | None = None
    """The 1-based page the evidence starts on (null for text files)."""


class Kpi(_Model):
    """A measured quantity reported in the body."""

    label: str | None = None
    """The indicator phrase as written: `"Tỷ lệ giải quyết trước hạn"`."""
    key: str | None = None
    """Canonical indicator id from `patterns/kpi_keys.yaml` (`"rate_resolved_on_time"`), or null."""
    value: float
    """The number, converted from Vietnamese notation (`99,6` -> 99.6; a rank `40/114` -> 40)."""
    unit: str | None = None
    """`"%"`, `"hồ sơ"`, `"thủ tục"`, `"triệu đồng"`, `"rank"` ..., or null."""
    numerator: float | None = None
    """The counted part of a ratio (`3.067/3.080` -> 3067), or null."""
    denominator: float | None = None
    """The whole of a ratio (`3.067/3.080` -> 3080; a rank's field size), or null."""
    qualifier: str | None = None
    """`"trên"`, `"tối thiểu"`, `"dưới"` ... before the number, or null."""
    is_target: bool = False
    """True when the number is a goal to reach, not a result."""
    unit_scope: str | None = None
    """The body the figure is about, or null."""
    span: Span
    """`[start, end)` character offsets of the evidence in `text`."""
    page: int | None = None
    """The 1-based page the evidence starts on (null for text files)."""


class Deadline(_Model):
    """A dated obligation: `trước ngày ...`, `chậm nhất ngày ...`."""

    date: str
    """The due date (ISO)."""
    raw: str
    """The date as written."""
    text: str
    """The sentence or paragraph that sets it."""
    responsible: str | None = None
    """Who must meet it, or null."""
    span: Span
    """`[start, end)` character offsets of the evidence in `text`."""
    page: int | None = None
    """The 1-based page the evidence starts on (null for text files)."""


class TableCell(_Model):
    """One cell of a body table."""

    text: str
    """The cell's text."""
    span: Span | None = None
    """The cell's text in `text`, or null."""


class Table(_Model):
    """A body table (not the layout tables of the header and signature block)."""

    rows: list[list[TableCell]]
    """Rows of cells, top to bottom; a merged cell repeats in every grid cell it covers."""
    span: Span | None = None
    """The whole table in `text`, or null."""
    page: int | None = None
    """The 1-based page the table starts on, or null."""


class Signer(_Model):
    """The signature block at the foot of the document."""

    name: str | None = None
    """The signer's name (the last line), or null."""
    position: str | None = None
    """The position, the line right above the name (`"TỔ TRƯỞNG"`), or null."""
    authority: str | None = None
    """The `TM.`/`KT.`/`TL.`/`TUQ.`/`Q.` line, or null."""
    lines: list[str] = Field(default_factory=list)
    """Every line of the block, top to bottom, name last."""


class Signature(_Model):
    """One digital signature field of a PDF (read offline: no OCSP, CRL or timestamp fetching)."""

    field: str
    """The signature field's name."""
    signer: str | None = None
    """The signing certificate's common name (CN)."""
    organization: str | None = None
    """The certificate's organization (O, then OU), or null."""
    email: str | None = None
    """The certificate's e-mail address, or null."""
    signed_at: str | None = None
    """Signing time, ISO 8601 with its UTC offset."""
    kind: Literal["person", "organization", "publisher"]
    """Who signed: a person, the issuing body, or the publishing centre (from the certificate)."""
    intact: bool | None = None
    """The signed byte ranges hash to the signed digest (null: could not be checked)."""
    covers_whole_file: bool | None = None
    """The signed byte ranges cover the whole file as it is now."""
    modified_after: bool | None = None
    """Content changed by a later revision (more signatures or form fields alone do not count)."""
    trusted: bool | None = None
    """The certificate chains to a trust root the user gave; null when none was given."""
    span: Span | None = None
    """The visible stamp's text in ``Notice.text``, or null."""


class Notice(_Model):
    """One parsed document: metadata, structure and evidence-linked extractions."""

    schema_version: Literal["1"] = "1"
    """Version of this record contract."""
    source: Source
    """The source file: path, format, sha256 of its bytes, pages."""
    text: str = ""
    """The normalized plain text of the whole document; every `span` indexes into it. Empty in a
    record written with `--no-text` (parse the source again to regenerate it)."""
    doc_type: DocType | None = None
    """The document type from the header, or null."""
    number: DocNumber | None = None
    """The number after `Số:`, or null."""
    issuer: Issuer | None = None
    """The issuing body from the header block, or null."""
    place: str | None = None
    """The place name (địa danh) before `, ngày ...`: `"Xã Nguyễn Lương Bằng"`, or null."""
    place_unit: PlaceUnit | None = None
    """The current (post-2025) administrative unit `place` resolves to, or null when unsure."""
    date: IssueDate | None = None
    """The issue date, or null."""
    title: str | None = None
    """The summary line(s) under the type name (trích yếu), joined into one line."""
    period: Period | None = None
    """The period covered (year, quarter, half), or null."""
    inspection: Inspection | None = None
    """For inspection notices: team, dates and inspected units; else null."""
    legal_basis: list[Reference] = Field(default_factory=list)
    """Documents cited in the preamble (`Căn cứ ...`, `Thực hiện ...`)."""
    references: list[Reference] = Field(default_factory=list)
    """Every document cited anywhere in the text, in order of first appearance, each once."""
    sections: list[Section] = Field(default_factory=list)
    """The heading tree, top level first."""
    findings: list[Finding] = Field(default_factory=list)
    """One entry per assessed item under a strengths / limitations / causes / requirements / recommendations / tasks heading."""
    kpis: list[Kpi] = Field(default_factory=list)
    """Every measured quantity reported in the body."""
    deadlines: list[Deadline] = Field(default_factory=list)
    """Every dated obligation."""
    tables: list[Table] = Field(default_factory=list)
    """Every body table, its figures also extracted as KPIs."""
    signer: Signer | None = None
    """The signature block at the foot, or null."""
    signatures: list[Signature] = Field(default_factory=list)
    """The PDF's digital signatures, one per signature field, in file order (empty for DOCX, text and unsigned PDFs)."""
    recipients: list[str] = Field(default_factory=list)
    """The entries under `Nơi nhận:`, without the leading dash and trailing `;`."""
    warnings: list[str] = Field(default_factory=list)
    """What the parser noticed and could not resolve, each `"code: message"` with a stable code."""
    page_starts: list[int] = Field(default_factory=list)
    """Offset in `text` where each page begins (PDF/DOCX page breaks); empty for text files."""

    def page_of(self, offset: int) -> int | None:
        """The 1-based page holding ``text[offset]``, or None when the source has no pages."""
        return page_at(self.page_starts, offset)


def page_at(page_starts: list[int], offset: int) -> int | None:
    """The 1-based page whose start is the last one at or before ``offset`` (None: no pages).

    >>> page_at([0, 120, 480], 130)
    2
    """
    if not page_starts:
        return None
    return max(1, bisect.bisect_right(page_starts, offset))
