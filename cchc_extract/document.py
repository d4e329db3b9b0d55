"""What a reader hands to the pipeline: paragraphs and tables in reading order.

Readers (``readers/``) know the file format; they do not know Vietnamese conventions. They emit
:class:`RawDocument`: one :class:`Paragraph` per logical paragraph (DOCX, PDF after geometry-based
wrap joining) or per physical line (TXT, ``wrapped=True``, the normalizer rejoins hard wraps), and
one :class:`RawTable` per body table. Layout tables (the two-column header and the
``Nơi nhận`` / signature block) are flattened into paragraphs, left column before right.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Literal


@dataclass
class Paragraph:
    text: str
    """Paragraph text; may hold ``\\n`` for hard line breaks (``w:br``) kept as separate lines."""
    page: int | None = None
    note: bool = False
    """A footnote's text (placed after the body of its page): it belongs to no section."""


@dataclass
class RawTable:
    rows: list[list[str]]
    """Cell texts row by row; a merged cell repeats its text in every grid cell it spans."""
    page: int | None = None
    merged: list[list[bool]] | None = None
    """Per grid cell, True where it continues a merged cell from its left or from above (its text
    is that cell's repeated); None when the reader does not know the merges."""


Block = Paragraph | RawTable

Format = Literal["txt", "docx", "pdf", "doc", "rtf", "odt", "jpeg", "png", "tiff"]
"""A file's format as read from its content: the three the readers read, the office formats
converted to DOCX first, and the images read by OCR."""


@dataclass
class OcrPageInfo:
    """How one page was read by OCR."""

    number: int
    words: int
    confidence: float | None
    """Mean word confidence, 0-1 (None: no words)."""
    seconds: float
    uncertain: list[tuple[str, float]] = field(default_factory=list)
    """(word, confidence) of the words holding digits that were read with low confidence."""
    colour: bool = False
    """The page carries coloured ink (seal, signature, handwriting) that OCR did not read."""
    dpi: float | None = None
    """Resolution the page was read at."""


@dataclass
class Stamp:
    """Text a signing system drew on the page: a signature widget's visible appearance.

    ``inline`` stamps (the sequence number and the day typed into the header at signing time)
    are merged into their text line by the reader; the others (``Ký bởi: ...`` blocks, the
    publishing centre's stamp) are kept out of the reading flow and appended after it.
    """

    text: str
    page: int | None = None
    field: str | None = None
    """The signature field whose widget draws it (None: recognized from the text alone)."""
    inline: bool = False


@dataclass
class RawSignature:
    """One signature field of a PDF as read from the file bytes (offline; no network)."""

    field: str
    signer: str | None = None
    organization: str | None = None
    email: str | None = None
    signed_at: str | None = None
    intact: bool | None = None
    covers_whole_file: bool | None = None
    modified_after: bool | None = None
    trusted: bool | None = None
    page: int | None = None
    subject: dict[str, str] = dataclasses.field(default_factory=dict)
    """The certificate subject's attributes (``common_name``, ``organization_name`` ...)."""


@dataclass
class RawDocument:
    format: Format
    blocks: list[Block] = field(default_factory=list)
    pages: int | None = None
    wrapped: bool = False
    """True when lines may be hard-wrapped mid-sentence (plain text, text dumps)."""
    warnings: list[str] = field(default_factory=list)
    """Stable-coded warnings: ``"code: message"``."""
    ocr_pages: list[OcrPageInfo] = field(default_factory=list)
    """The pages whose text comes from OCR (empty: all text is the file's own)."""
    stamps: list[Stamp] = field(default_factory=list)
    """Signature-widget and stamp text, in page order (see :class:`Stamp`)."""
    signatures: list[RawSignature] = field(default_factory=list)
    """The PDF's digital signatures, one per signature field, in file order."""
