"""Plain-text reader: bytes -> one paragraph per physical line (the normalizer rejoins wraps).

Encodings, in the order they are tried: a BOM (UTF-8, UTF-16 LE/BE); UTF-16 without a BOM (many
NUL bytes at odd or even offsets); UTF-8; otherwise an 8-bit code page, where Windows-1258 competes
with TCVN3 and VNI (scored by :mod:`.legacy`). Text that decoded fine but holds TCVN3/VNI read as
Latin-1 ("Th«ng b¸o", "Thoâng baùo") is converted too.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from pathlib import Path

from ..document import Paragraph, RawDocument
from ..errors import EmptyDocumentError, UnreadableDocumentError
from . import legacy
from .pipes import split_pipe_tables

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_NUL_SAMPLE = 1 << 16
_SAMPLE_CHUNK = 1 << 16
_SAMPLE_CHUNKS = 16

# Bytes 0x80-0x9F as cp1252 (smart quotes, dashes): legacy Vietnamese fonts keep them as
# punctuation. Bytes cp1252 leaves undefined (0x81 0x8D 0x8F 0x90 0x9D) stay C1 controls.
_LATIN1_CP1252 = "".join(
    bytes([b]).decode("cp1252") if 0x80 <= b < 0xA0 and b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else chr(b)
    for b in range(256)
)
_SURROGATE_RE = re.compile("[\udc80-\udcff]")


def _replace_escapes(text: str) -> tuple[str, int]:
    """Turn ``surrogateescape`` stand-ins (one per bad byte) into U+FFFD; return the count."""
    return _SURROGATE_RE.subn("\ufffd", text)


def _replaced_warning(count: int) -> list[str]:
    return [f"encoding_replaced: {count} undecodable bytes replaced"] if count else []


def _looks_utf16(data: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when NULs crowd the odd/even offsets (ASCII in UTF-16)."""
    sample = data[:_NUL_SAMPLE]
    pairs = len(sample) // 2
    if pairs == 0:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 0.3 * pairs and even <= 0.05 * pairs:
        return "utf-16-le"
    if even >= 0.3 * pairs and odd <= 0.05 * pairs:
        return "utf-16-be"
    return None


def _decode_utf16(data: bytes, codec: str) -> tuple[str, list[str]]:
    before = data.count("\ufffd".encode(codec))
    text = data.decode(codec, errors="replace")
    return text, ["encoding: decoded as UTF-16", *_replaced_warning(text.count("\ufffd") - before)]


def latin1_text(data: bytes) -> str:
    """Bytes as Latin-1 code points (so a TCVN3/VNI byte keeps its value), 0x80-0x9F as cp1252."""
    return codecs.charmap_decode(data, "strict", _LATIN1_CP1252)[0]


def _byte_sample(data: bytes) -> bytes:
    if len(data) <= _SAMPLE_CHUNK * _SAMPLE_CHUNKS:
        return data
    step = len(data) // _SAMPLE_CHUNKS
    return b"\n".join(data[i * step : i * step + _SAMPLE_CHUNK] for i in range(_SAMPLE_CHUNKS))


def _decode_cp1258(data: bytes) -> tuple[str, int]:
    # cp1258 writes most toned letters as base + combining tone: NFC puts them back together.
    text, bad = _replace_escapes(data.decode("cp1258", errors="surrogateescape"))
    return unicodedata.normalize("NFC", text), bad


def _decode_8bit(data: bytes) -> tuple[str, list[str]]:
    """Not UTF-8: Windows-1258 unless TCVN3 or VNI read as Latin-1 scores clearly better."""
    sample = _byte_sample(data)
    latin_sample = latin1_text(sample)
    decision = legacy.choose_legacy(latin_sample)
    if decision is not None:
        converted = legacy.to_unicode(latin_sample, decision.encoding)
        if legacy.text_score(converted) - legacy.text_score(_decode_cp1258(sample)[0]) >= 2:
            text = legacy.to_unicode(latin1_text(data), decision.encoding)
            return text, [f"encoding_legacy: converted from {legacy.LABELS[decision.encoding]}"]
    text, bad = _decode_cp1258(data)
    return text, ["encoding: decoded as Windows-1258", *_replaced_warning(bad)]


def _decode_unicode_bytes(data: bytes) -> tuple[str, list[str]]:
    if data.startswith(_UTF8_BOM):
        text, bad = _replace_escapes(data[3:].decode("utf-8", errors="surrogateescape"))
        return text, _replaced_warning(bad)
    for bom, codec in _UTF16_BOMS:
        if data.startswith(bom):
            return _decode_utf16(data[len(bom) :], codec)
    codec16 = _looks_utf16(data)
    if codec16 is not None:
        return _decode_utf16(data, codec16)
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="surrogateescape")
    bad = len(_SURROGATE_RE.findall(text))
    good = len(text) - len(text.encode("ascii", errors="ignore")) - bad
    # Mostly valid multi-byte sequences: UTF-8 with a few damaged bytes, not an 8-bit code page.
    if good >= 4 * bad:
        text, bad = _replace_escapes(text)
        return text, _replaced_warning(bad)
    return _decode_8bit(data)


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """Decode text bytes; return NFC text and warnings about the encoding found.

    >>> decode_text("Th«ng b¸o".encode("latin-1"))
    ('Thông báo', ['encoding_legacy: converted from TCVN3 (ABC)'])
    """
    text, warnings = _decode_unicode_bytes(data)
    text = unicodedata.normalize("NFC", text)
    if not any(w.startswith("encoding_legacy:") for w in warnings):
        # Unicode that holds TCVN3/VNI read as Latin-1 (copied from an old document).
        text, encoding = legacy.convert_legacy(text)
        if encoding is not None:
            warnings.append(f"encoding_legacy: converted from {legacy.LABELS[encoding]}")
    return text, warnings


def text_document(text: str, warnings: list[str] | None = None) -> RawDocument:
    """Decoded text as a document: BOM and NULs dropped, line ends normalised, one
    :class:`Paragraph` per physical line (hard wraps are rejoined by the normalizer)."""
    text = text.lstrip("\ufeff").replace("\x00", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    # Markdown renderings with one cell per line between "|" lines: body tables become tables.
    blocks = split_pipe_tables(lines) if "\n|\n" in text else [Paragraph(line) for line in lines]
    return RawDocument(format="txt", blocks=list(blocks), wrapped=True, warnings=list(warnings or []))


MAX_JUNK_RATIO = 0.05
"""Share of control, unassigned and replacement characters above which decoded "text" is binary
data: text in any real encoding has next to none, random bytes decode to 10 % or more."""
MIN_SPACE_RATIO = 0.03
"""Share of white space below which a long "text" of letters is binary: prose has a space every
few letters (a long run of digits or slashes is a stress case, not binary)."""
_JUNK_CATEGORIES = frozenset({"Cc", "Cn", "Co", "Cs"})
_TEXT_CONTROLS = frozenset("\t\n\r\f\v\x00")


def junk_ratio(text: str) -> float:
    """Share of characters that never occur in text: controls (not tab/line ends), unassigned or
    private code points, U+FFFD.

    >>> junk_ratio("Thông báo số 02"), junk_ratio("ab\x01\x02")
    (0.0, 0.5)
    """
    if not text:
        return 0.0
    sample = text[:200_000]
    bad = sum(
        n
        for ch, n in Counter(sample).items()
        if ch == "\ufffd" or (ch not in _TEXT_CONTROLS and unicodedata.category(ch) in _JUNK_CATEGORIES)
    )
    return bad / len(sample)


def check_text(path: Path, text: str) -> None:
    """Refuse decoded text that is empty or binary noise (:class:`EmptyDocumentError`,
    :class:`UnreadableDocumentError`)."""
    if not text.strip().replace("\x00", ""):
        raise EmptyDocumentError(path, "the file holds no text")
    ratio = junk_ratio(text)
    if ratio > MAX_JUNK_RATIO:
        raise UnreadableDocumentError(
            path, f"binary data, not text: {ratio:.0%} of the decoded characters are control or undecodable"
        )
    sample = text[:200_000]
    if (
        len(sample) >= 200
        and sum(ch.isspace() for ch in sample) < MIN_SPACE_RATIO * len(sample)
        and sum(ch.isalpha() for ch in sample) > 0.5 * len(sample)
    ):
        raise UnreadableDocumentError(path, "binary data, not text: letters without word spacing")


def read_txt(path: Path, data: bytes) -> RawDocument:
    """Read a plain-text file: decode, refuse binary noise, then :func:`text_document`."""
    text, warnings = decode_text(data)
    check_text(path, text)
    return text_document(text, warnings)
