"""cchc-extract: Vietnamese CCHC notices and reports as typed, evidence-linked records.

>>> from cchc_extract import parse_text
>>> rec = parse_text("THÔNG BÁO\\nKết luận kiểm tra công tác CCHC năm 2026")
>>> rec.doc_type.code
'TB'
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import (
    DocumentTooLargeError,
    EncryptedDocumentError,
    InternalParserError,
    NoTextLayerError,
    NoticeError,
    ParseTimeoutError,
    ResourceLimitError,
    UnreadableDocumentError,
    UnsupportedFormatError,
    WorkerCrashError,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from .model import Notice


def __getattr__(name: str) -> Any:
    # ``Notice`` (pydantic) is imported on first use: ``import cchc_extract`` and
    # ``cchc-extract --help`` stay fast.
    if name == "Notice":
        from .model import Notice

        return Notice
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__version__ = "0.1.0"

__all__ = [
    "DocumentTooLargeError",
    "EncryptedDocumentError",
    "InternalParserError",
    "NoTextLayerError",
    "Notice",
    "NoticeError",
    "ParseTimeoutError",
    "ResourceLimitError",
    "UnreadableDocumentError",
    "UnsupportedFormatError",
    "WorkerCrashError",
    "__version__",
    "parse_notice",
    "parse_notices",
    "parse_text",
]


def parse_text(text: str, *, path: str = "<text>") -> Notice:
    """Parse a document given as text (any line endings, NFC or not)."""
    from .pipeline import notice_from_text

    return notice_from_text(text, path=path)


def parse_notice(path: str | Path, *, password: str | None = None, trust_roots: Any = None) -> Notice:
    """Parse a PDF, DOCX or text file into a :class:`Notice`.

    ``trust_roots`` (a PEM or DER file of root certificates, or loaded ``cryptography``
    certificates) lets a signed PDF's signatures be checked for ``trusted``; without it
    ``trusted`` stays null. Signatures are read offline: nothing is fetched.

    Raises a :class:`NoticeError` subclass naming the file when it cannot be read.
    """
    from .pipeline import notice_from_path

    return notice_from_path(Path(path), password=password, trust_roots=trust_roots)


def parse_notices(
    paths: Iterable[str | Path], workers: int | None = None, **options: Any
) -> Iterator[tuple[Path, Notice | NoticeError]]:
    """Parse many files in worker processes; yield ``(path, Notice | NoticeError)`` in input order."""
    from .batch import parse_many

    yield from parse_many(paths, workers=workers, **options)
