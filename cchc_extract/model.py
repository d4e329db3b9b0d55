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
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Source(_Model):
    path: str
    format: Literal["pdf", "docx", "txt", "doc", "rtf", "odt", "jpeg", "png", "tiff"]
    """The file's own format, read from its content: ``doc``/``rtf``/``odt`` were converted to DOCX
    with LibreOffice before reading; ``jpeg``/``png``/``tiff`` are scanned pages read by OCR."""
    sha256: str
    pages: int | None = None
    text_source: Literal["text", "ocr", "mixed"] = "text"
    """Where ``text`` came from: the file's own text (text layer, DOCX, TXT), OCR of every page,
    or OCR of some pages (``ocr_pages``) and the text layer of the others."""
    ocr_pages: list[int] = Field(default_factory=list)
    """The pages read by OCR (1-based)."""
    ocr_confidence: float | None = None
    """Mean OCR word confidence over those pages, 0-1."""


class DocType(_Model):
    code: str | None
    name: str


class DocNumber(_Model):
    raw: str
    seq: int | None = None
    year: int | None = None
    type_code: str | None = None
    issuer_code: str | None = None


class Issuer(_Model):
    name: str
    parent: str | None = None


class PlaceUnit(_Model):
    """The current (post-2025-merger) administrative unit a place name resolves to."""

    province: str | None = None
    commune: str | None = None
    """Ward, commune or special zone (phường / xã / đặc khu) after the merger, when known."""
    code: str | None = None
    """Administrative unit code, when the mapping gives one."""
    matched: str | None = None
    """The name as matched in the mapping (e.g. the pre-merger name)."""


class IssueDate(_Model):
    raw: str
    day: int | None = None
    month: int | None = None
    year: int | None = None
    iso: str | None = None


class Period(_Model):
    year: int | None = None
    quarter: int | None = None
    half: int | None = None
    raw: str


class Inspection(_Model):
    team: str | None = None
    dates: list[str] = Field(default_factory=list)
    units: list[str] = Field(default_factory=list)


class Reference(_Model):
    type_code: str | None = None
    type_name: str | None = None
    number: str
    date: str | None = None
    issuer: str | None = None
    span: Span
    page: int | None = None


class Section(_Model):
    label: str | None = None
    title: str
    level: int
    kind: SectionKind
    unit: str | None = None
    paragraphs: list[str] = Field(default_factory=list)
    children: list[Section] = Field(default_factory=list)
    span: Span
    page: int | None = None


class Finding(_Model):
    kind: FindingKind
    unit: str | None = None
    text: str
    section: list[str] = Field(default_factory=list)
    span: Span
    page: int | None = None


class Kpi(_Model):
    label: str | None = None
    key: str | None = None
    value: float
    unit: str | None = None
    numerator: float | None = None
    denominator: float | None = None
    qualifier: str | None = None
    is_target: bool = False
    unit_scope: str | None = None
    span: Span
    page: int | None = None


class Deadline(_Model):
    date: str
    raw: str
    text: str
    responsible: str | None = None
    span: Span
    page: int | None = None


class TableCell(_Model):
    text: str
    span: Span | None = None


class Table(_Model):
    rows: list[list[TableCell]]
    span: Span | None = None
    page: int | None = None


class Signer(_Model):
    name: str | None = None
    position: str | None = None
    authority: str | None = None
    lines: list[str] = Field(default_factory=list)


class Signature(_Model):
    """One digital signature field of a PDF (read offline: no OCSP, CRL or timestamp fetching)."""

    field: str
    """The signature field's name."""
    signer: str | None = None
    """The signing certificate's common name (CN)."""
    organization: str | None = None
    """The certificate's organization (O, then OU), or null."""
    email: str | None = None
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
    source: Source
    text: str
    doc_type: DocType | None = None
    number: DocNumber | None = None
    issuer: Issuer | None = None
    place: str | None = None
    place_unit: PlaceUnit | None = None
    date: IssueDate | None = None
    title: str | None = None
    period: Period | None = None
    inspection: Inspection | None = None
    legal_basis: list[Reference] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    kpis: list[Kpi] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    signer: Signer | None = None
    signatures: list[Signature] = Field(default_factory=list)
    recipients: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    page_starts: list[int] = Field(
        default_factory=list,
        description="Offset in `text` where each page begins (PDF/DOCX page breaks); empty for TXT.",
    )

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
