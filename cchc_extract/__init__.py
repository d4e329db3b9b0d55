"""cchc-extract: Vietnamese CCHC notices and reports as typed, evidence-linked records.

>>> from cchc_extract import parse_text
>>> rec = parse_text("THÔNG BÁO\\nKết luận kiểm tra công tác CCHC năm 2026")
>>> rec.doc_type.code
'TB'
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from .errors import (
    ConverterUnavailableError,
    DocumentTooLargeError,
    EmptyDocumentError,
    EncryptedDocumentError,
    InternalParserError,
    NoTextLayerError,
    NoticeError,
    OcrUnavailableError,
    ParseTimeoutError,
    ResourceLimitError,
    ToolUnavailableError,
    UnreadableDocumentError,
    UnsupportedFormatError,
    WorkerCrashError,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from .model import Notice
    from .readers.ocr import OcrMode


def __getattr__(name: str) -> Any:
    # ``Notice`` (pydantic) is imported on first use: ``import cchc_extract`` and
    # ``cchc-extract --help`` stay fast.
    if name == "Notice":
        from .model import Notice

        return Notice
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__version__ = "0.1.0"

__all__ = [
    "ConverterUnavailableError",
    "DocumentTooLargeError",
    "EmptyDocumentError",
    "EncryptedDocumentError",
    "InternalParserError",
    "NoTextLayerError",
    "Notice",
    "NoticeError",
    "OcrUnavailableError",
    "ParseTimeoutError",
    "ResourceLimitError",
    "ToolUnavailableError",
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


def parse_notice(
    source: str | os.PathLike[str] | bytes | bytearray | memoryview | BinaryIO,
    *,
    filename: str | None = None,
    password: str | None = None,
    ocr: OcrMode = "auto",
    trust_roots: Any = None,
) -> Notice:
    """Parse a PDF, DOCX, DOC/RTF/ODT, text or image (JPEG/PNG/TIFF) document into a :class:`Notice`.

    ``source`` is a path, or the document itself as ``bytes`` or a binary file object (a zip
    member, an upload, an S3 body). ``filename`` names in-memory content: its extension is the
    format hint a path's would be (the content decides the format all the same) and it becomes
    ``source.path`` and the path in errors (default ``"<bytes>"``). The record equals the one
    parsed from a file with those bytes, apart from ``source.path``.

    ``ocr``: ``"auto"`` (default) OCRs the PDF pages without a usable text layer (scans, garbled
    legacy-font layers) and image files; ``"never"`` OCRs nothing; ``"always"`` OCRs every page;
    ``"header"`` OCRs only page 1 and the signature page of a scan (type, number, place, date,
    title, issuer and signer, the handwritten number and day included). OCR needs Tesseract with its Vietnamese model; DOC/RTF/ODT need LibreOffice.

    ``trust_roots`` (a PEM or DER file of root certificates, or loaded ``cryptography``
    certificates) lets a signed PDF's signatures be checked for ``trusted``; without it
    ``trusted`` stays null. Signatures are read offline: nothing is fetched.

    Raises a :class:`NoticeError` subclass naming the file when it cannot be read.
    """
    from .pipeline import notice_from_path
    from .readers.ocr import check_mode

    if isinstance(source, (str, os.PathLike)):
        return notice_from_path(Path(source), password=password, ocr=check_mode(ocr), trust_roots=trust_roots)
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif callable(getattr(source, "read", None)):
        data = source.read()
        if not isinstance(data, (bytes, bytearray)):
            raise TypeError(f"parse_notice needs a binary file object (opened with 'rb'), got {type(data).__name__} from read()")
        data = bytes(data)
    else:
        raise TypeError(
            f"parse_notice takes a path, bytes or a binary file object, not {type(source).__name__}"
        )
    return _parse_bytes(data, filename, password, trust_roots, check_mode(ocr))


def _parse_bytes(
    data: bytes, filename: str | None, password: str | None, trust_roots: Any, ocr: OcrMode = "auto"
) -> Notice:
    """Parse in-memory content through a private temporary file named like ``filename``."""
    import shutil
    import tempfile

    from .pipeline import notice_from_path

    shown = filename or "<bytes>"
    name = Path(filename).name if filename else "document"
    if name in ("", ".", ".."):
        name = "document"
    folder = tempfile.mkdtemp(prefix="cchc-extract-")
    try:
        path = Path(folder, name)
        path.write_bytes(data)
        try:
            notice = notice_from_path(path, password=password, ocr=ocr, trust_roots=trust_roots)
        except NoticeError as exc:
            raise type(exc)(shown, exc.message) from exc
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    notice.source.path = shown
    return notice


def parse_notices(
    paths: str | Path | Iterable[str | Path],
    workers: int | None = None,
    *,
    glob: str | None = None,
    progress: bool = False,
    **options: Any,
) -> Iterator[tuple[Path, Notice | NoticeError]]:
    """Parse files, folders and glob patterns in worker processes, as ``cchc-extract parse`` does.

    Yields ``(path, Notice | NoticeError)`` in input order: folders are walked for the same
    files in the same order as the CLI (``glob`` filters them like ``--glob``; a string with
    ``*`` is expanded, ``**`` recursively). ``progress=True`` shows a bar (tqdm's, in terminals
    and notebooks, when installed). ``options``: ``timeout``, ``max_memory_mb``, ``password``,
    ``trust_roots``, ``start_method`` (see :func:`cchc_extract.batch.parse_many`).
    """
    from .batch import parse_many

    yield from parse_many(paths, workers=workers, glob=glob, progress=progress, **options)
