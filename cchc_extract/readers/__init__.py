"""Readers: a file on disk -> :class:`~cchc_extract.document.RawDocument`.

The format is decided by content (magic bytes), not by the extension. Text is NFC-normalized
here, once, at the reader boundary. Heavy libraries (pdfplumber, python-docx) are imported by
the format modules only when a file of that format is read.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..document import Paragraph, RawDocument, RawTable
from ..errors import NoticeError, UnreadableDocumentError, UnsupportedFormatError

Format = Literal["txt", "docx", "pdf"]


@dataclass
class ReadResult:
    document: RawDocument
    sha256: str


def sniff_format(head: bytes) -> Format | None:
    """Decide the format from the first bytes of a file.

    >>> sniff_format(b"%PDF-1.7 ...")
    'pdf'
    """
    stripped = head.lstrip(b"\x00\t\r\n \xef\xbb\xbf")
    if stripped.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith((b"\xd0\xcf\x11\xe0", b"\x7fELF", b"MZ", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return None
    if head.startswith(b"{\\rtf"):
        return None
    low = stripped[:512].lower()
    if low.startswith((b"<!doctype html", b"<html", b"<?xml")):
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


def read_document(path: str | Path, *, password: str | None = None, trust_roots: Any = None) -> ReadResult:
    """Read ``path`` with the reader its content calls for; raise a :class:`NoticeError`.

    A PDF's digital signatures are read too when the file has signature fields; ``trust_roots``
    (a PEM file or loaded certificates) lets them be checked against the user's roots.
    """
    p = Path(path)
    try:
        data = p.read_bytes()
    except IsADirectoryError as exc:
        raise UnsupportedFormatError(p, "is a directory") from exc
    except FileNotFoundError as exc:
        raise UnreadableDocumentError(p, "no such file") from exc
    except OSError as exc:
        raise UnreadableDocumentError(p, f"cannot read file: {exc.strerror or exc}") from exc
    sha = hashlib.sha256(data).hexdigest()
    fmt = sniff_format(data[:2048])
    if fmt is None:
        raise UnsupportedFormatError(p)
    try:
        if fmt == "pdf":
            from . import pdf

            doc = pdf.read_pdf(p, data, password=password)
            from . import pdf_signatures

            if pdf_signatures.has_signatures(data):
                roots = pdf_signatures.trust_roots(trust_roots)
                doc.signatures, sig_warnings = pdf_signatures.read_signatures(
                    data, password=password, trust_roots=roots
                )
                doc.warnings.extend(sig_warnings)
        elif fmt == "docx":
            from . import docx

            doc = docx.read_docx(p, data)
        else:
            from . import txt

            doc = txt.read_txt(p, data)
    except NoticeError:
        raise
    except Exception as exc:  # a library failure inside a reader is a typed error, never a crash
        raise UnreadableDocumentError(p, f"{type(exc).__name__}: {exc}") from exc
    ext = p.suffix.lower().lstrip(".")
    if ext in ("txt", "docx", "pdf") and ext != fmt:
        doc.warnings.append(f"format_mismatch: named .{ext} but the content is {fmt.upper()}")
    return ReadResult(nfc(doc), sha)
