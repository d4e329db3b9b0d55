"""Typed errors: everything ``parse_notice`` raises is a :class:`NoticeError` naming the file.

Problems inside a readable document are ``warnings`` on the record, not exceptions.
"""

from __future__ import annotations

from pathlib import Path


class NoticeError(Exception):
    """Base class: the document could not be turned into a record."""

    default_message = "cannot parse document"

    def __init__(self, path: str | Path | None = None, message: str | None = None) -> None:
        self.path = str(path) if path is not None else None
        self.message = message or self.default_message
        super().__init__(f"{self.path}: {self.message}" if self.path else self.message)

    @property
    def code(self) -> str:
        return type(self).__name__

    def for_path(self, path: str | Path) -> NoticeError:
        """This error naming ``path`` (a helper that does not know the file raises it without)."""
        if self.path is not None:
            return self
        clone = type(self)(path, self.message)
        clone.__dict__.update({k: v for k, v in self.__dict__.items() if k not in ("path", "message")})
        return clone


class UnsupportedFormatError(NoticeError):
    default_message = "unsupported file format (expected PDF, DOCX or text)"


class UnreadableDocumentError(NoticeError):
    default_message = "the file is corrupt or truncated"


class EncryptedDocumentError(NoticeError):
    default_message = "the document is password-protected"


class EmptyDocumentError(NoticeError):
    default_message = "the file is empty: no bytes, or no text"


class NoTextLayerError(NoticeError):
    default_message = "the document has no usable text layer (scanned or garbled)"


class ToolUnavailableError(NoticeError):
    """A program the document needs is not installed; the message says which Debian package has it."""

    default_message = "a program needed to read this document is not installed"


class OcrUnavailableError(ToolUnavailableError):
    default_message = (
        "the document needs OCR and Tesseract is not installed: "
        "apt-get install tesseract-ocr tesseract-ocr-vie"
    )


class ConverterUnavailableError(ToolUnavailableError):
    default_message = (
        "the document needs converting and LibreOffice is not installed: apt-get install libreoffice-writer-nogui"
    )


class DocumentTooLargeError(NoticeError):
    default_message = "the document exceeds the configured size limits"


# Raised by the batch runner (batch.py) for a file whose worker had to be stopped: one
# hierarchy for every failure a caller of ``parse_notices`` can see.

class ParseTimeoutError(NoticeError):
    default_message = "parsing took longer than the time limit; the worker was stopped"


class ResourceLimitError(NoticeError):
    default_message = "parsing needed more memory than the worker's limit"


class WorkerCrashError(NoticeError):
    default_message = "the worker process died while parsing this file"


class InternalParserError(NoticeError):
    """An exception that is not a :class:`NoticeError`: a parser bug, reported, never fatal."""

    default_message = "unexpected error inside the parser (a bug: please report it)"
