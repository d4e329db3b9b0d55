"""Readers: a file on disk -> :class:`~cchc_extract.document.RawDocument`.

The format is decided by content (magic bytes), not by the extension. Text is NFC-normalized
here, once, at the reader boundary. Heavy libraries (pdfplumber, python-docx) are imported by
the format modules only when a file of that format is read.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..document import Format, Paragraph, RawDocument, RawTable
from ..errors import (
    EmptyDocumentError,
    NoTextLayerError,
    NoticeError,
    UnreadableDocumentError,
    UnsupportedFormatError,
)
from .ocr import OcrMode, check_mode

OFFICE_FORMATS: frozenset[Format] = frozenset({"doc", "rtf", "odt"})
"""Converted to DOCX with LibreOffice (:mod:`.office`), then read as DOCX."""
IMAGE_FORMATS: frozenset[Format] = frozenset({"jpeg", "png", "tiff"})
"""Read as scanned pages by OCR (:mod:`.ocr`)."""
_EXTENSION_FORMATS = {"jpg": "jpeg", "jpeg": "jpeg", "png": "png", "tif": "tiff", "tiff": "tiff"}

_ODT_MIMETYPE = b"mimetypeapplication/vnd.oasis.opendocument.text"
_HTML_RE = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|meta|title|div|table|p|span|script|style|br|!--)[\s>/]", re.I
)


@dataclass
class ReadResult:
    document: RawDocument
    sha256: str


def sniff_format(head: bytes) -> Format | None:
    """Decide the format from the first bytes of a file (None: not a format that is read).

    >>> sniff_format(b"%PDF-1.7 ..."), sniff_format(b"\\xd0\\xcf\\x11\\xe0\\xa1\\xb1\\x1a\\xe1"), sniff_format(b"<html><body>")
    ('pdf', 'doc', None)
    """
    stripped = head.lstrip(b"\x00\t\r\n \xef\xbb\xbf")
    if stripped.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "odt" if head[30:30 + len(_ODT_MIMETYPE)] == _ODT_MIMETYPE else "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"  # an OLE2 compound file: Word 97-2003 (an .xls or .ppt fails to convert)
    if stripped.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head.startswith((b"\x7fELF", b"MZ", b"GIF8", b"\xd0\xcf\x11\xe0", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!")):
        return None
    if stripped.startswith(b"<") and (stripped[:5].lower() == b"<?xml" or _HTML_RE.search(stripped[:2048])):
        return None
    return "txt"


def nfc(document: RawDocument) -> RawDocument:
    """NFC-normalize every text a reader produced (the single normalization point)."""
    for block in document.blocks:
        if isinstance(block, Paragraph):
            block.text = unicodedata.normalize("NFC", block.text)
        elif isinstance(block, RawTable):
            block.rows = [[unicodedata.normalize("NFC", c) for c in row] for row in block.rows]
    for stamp in document.stamps:
        stamp.text = unicodedata.normalize("NFC", stamp.text)
    return document


def read_document(
    path: str | Path, *, password: str | None = None, ocr: OcrMode = "auto", trust_roots: Any = None
) -> ReadResult:
    """Read ``path`` with the reader its content calls for; raise a :class:`NoticeError`.

    ``ocr`` (``auto``, ``never``, ``always``) says which PDF pages are read by OCR; image files
    are always read by OCR, except with ``never``, which refuses them. A PDF's digital signatures
    are read too when the file has signature fields; ``trust_roots`` (a PEM file or loaded
    certificates) lets them be checked against the user's roots.
    """
    mode = check_mode(ocr)
    p = Path(path)
    try:
        data = p.read_bytes()
    except IsADirectoryError as exc:
        raise UnsupportedFormatError(p, "is a directory") from exc
    except FileNotFoundError as exc:
        raise UnreadableDocumentError(p, "no such file") from exc
    except OSError as exc:
        raise UnreadableDocumentError(p, f"cannot read file: {exc.strerror or exc}") from exc
    if not data.strip(b"\x00\t\r\n \x0b\x0c"):
        raise EmptyDocumentError(p, "the file is empty" if not data else "the file holds only blank space")
    sha = hashlib.sha256(data).hexdigest()
    fmt = sniff_format(data[:2048])
    if fmt is None:
        raise UnsupportedFormatError(p)
    try:
        doc = _read(p, data, fmt, password, mode)
        if fmt == "pdf":
            from . import pdf_signatures

            if pdf_signatures.has_signatures(data):
                roots = pdf_signatures.trust_roots(trust_roots)
                doc.signatures, sig_warnings = pdf_signatures.read_signatures(
                    data, password=password, trust_roots=roots
                )
                doc.warnings.extend(sig_warnings)
    except NoticeError as exc:
        raise exc.for_path(p) from None
    except Exception as exc:  # a library failure inside a reader is a typed error, never a crash
        raise UnreadableDocumentError(p, f"{type(exc).__name__}: {exc}") from exc
    if fmt != "txt":
        from .txt import check_text

        check_text(p, _plain_text(doc))  # converted or extracted noise is refused like a binary TXT
    ext = p.suffix.lower().lstrip(".")
    named = _EXTENSION_FORMATS.get(ext, ext)
    known = {"txt", "docx", "pdf", *OFFICE_FORMATS, *IMAGE_FORMATS}
    if named in known and named != fmt:
        doc.warnings.append(f"format_mismatch: named .{ext} but the content is {fmt.upper()}")
    if doc.ocr_pages:
        from .ocr import summary

        doc.warnings.insert(0, summary(doc.ocr_pages) or "ocr")
    return ReadResult(nfc(doc), sha)


def _plain_text(doc: RawDocument) -> str:
    parts: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            parts.append(block.text)
        else:
            parts.extend(cell for row in block.rows for cell in row)
    return "\n".join(parts)


def _read(p: Path, data: bytes, fmt: Format, password: str | None, mode: OcrMode) -> RawDocument:
    if fmt == "pdf":
        from . import pdf

        return pdf.read_pdf(p, data, password=password, ocr=mode)
    if fmt == "docx":
        from . import docx

        return docx.read_docx(p, data)
    if fmt in OFFICE_FORMATS:
        from . import docx, office

        converted = office.convert_to_docx(p, data, fmt)
        doc = docx.read_docx(p, converted)
        doc.format = fmt
        doc.warnings.insert(0, f"converted: {fmt.upper()} converted to DOCX with LibreOffice before reading")
        return doc
    if fmt in IMAGE_FORMATS:
        if mode == "never":
            raise NoTextLayerError(p, f"a {fmt.upper()} image has no text layer and OCR is off (ocr='never')")
        from . import ocr, pdf

        ocr.tesseract()
        return pdf.read_page_images(p, ocr.open_images(p, data), fmt)
    from . import txt

    return txt.read_txt(p, data)
