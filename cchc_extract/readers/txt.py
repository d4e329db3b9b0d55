"""Plain-text reader: bytes -> one paragraph per physical line (the normalizer rejoins wraps)."""

from __future__ import annotations

from pathlib import Path

from ..document import Paragraph, RawDocument


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """Decode text bytes; return the text and warnings about the encoding found."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), []
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        return data.decode("cp1258", errors="replace"), ["encoding: decoded as Windows-1258"]


def read_txt(path: Path, data: bytes) -> RawDocument:
    text, warnings = decode_text(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = [Paragraph(line) for line in text.split("\n")]
    return RawDocument(format="txt", blocks=list(blocks), wrapped=True, warnings=warnings)
