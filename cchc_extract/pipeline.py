"""The pipeline: reader output -> normalized text -> segments -> extractions -> :class:`Notice`."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .document import Paragraph, RawDocument
from .model import Notice, Source


def notice_from_raw(raw: RawDocument, source: Source) -> Notice:
    """Build the record of one document (stub: filled in by the core pipeline)."""
    text = "\n".join(b.text for b in raw.blocks if isinstance(b, Paragraph))
    return Notice(source=source, text=text, warnings=list(raw.warnings))


def notice_from_text(text: str, *, path: str = "<text>") -> Notice:
    from .readers import nfc

    data = text.encode("utf-8")
    raw = nfc(RawDocument(format="txt", blocks=[Paragraph(t) for t in text.splitlines()], wrapped=True))
    source = Source(path=path, format="txt", sha256=hashlib.sha256(data).hexdigest(), pages=None)
    return notice_from_raw(raw, source)


def notice_from_path(path: Path, *, password: str | None = None) -> Notice:
    from .readers import read_document

    result = read_document(path, password=password)
    raw = result.document
    source = Source(path=str(path), format=raw.format, sha256=result.sha256, pages=raw.pages)
    return notice_from_raw(raw, source)
