"""JSON serialisation of records: one stable byte form for files, one for JSON Lines.

Keys keep the model's field order (``Notice.model_dump`` order, not sorted), so the same record
always gives the same bytes; text stays UTF-8 (``ensure_ascii=False``: Vietnamese is readable in
the file). Non-finite floats become ``null`` as in ``Notice.model_dump_json`` (JSON has no NaN).

>>> dumps_line({"b": 1, "a": "Thông báo"})
'{"b":1,"a":"Thông báo"}'
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Notice

__all__ = ["dumps_line", "dumps_pretty", "notice_line", "notice_pretty", "record_dict", "write_atomic"]


def record_dict(notice: Notice, *, include_text: bool = True) -> dict[str, Any]:
    """The contract JSON of ``notice`` as a dict; without ``text`` when ``include_text`` is False.

    Spans still index into the text, which parsing the source file again regenerates.
    """
    record = notice.model_dump(mode="json")
    if not include_text:
        del record["text"]
    return record


def notice_pretty(notice: Notice, *, include_text: bool = True) -> str:
    """``dumps_pretty(record_dict(notice))``, through pydantic's serializer (about 4x faster, same
    bytes: model field order, UTF-8 text, one-space indent, NaN and infinity as null)."""
    return notice.model_dump_json(indent=1, exclude=None if include_text else {"text"}) + "\n"


def notice_line(notice: Notice, *, include_text: bool = True) -> str:
    """``dumps_line(record_dict(notice))`` through pydantic's serializer."""
    return notice.model_dump_json(exclude=None if include_text else {"text"})


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def _dumps(record: Any, **kwargs: Any) -> str:
    try:
        return json.dumps(record, ensure_ascii=False, allow_nan=False, **kwargs)
    except ValueError:  # NaN or infinity somewhere: rare, so only then walk the record
        return json.dumps(_finite(record), ensure_ascii=False, allow_nan=False, **kwargs)


def dumps_pretty(record: Any) -> str:
    """The form of ``-o DIR`` files and stdout: one-space indent, trailing newline."""
    return _dumps(record, indent=1) + "\n"


def dumps_line(record: Any) -> str:
    """The form of a JSON Lines record: compact, no newline (JSON escapes those inside strings)."""
    return _dumps(record, separators=(",", ":"))


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and ``os.replace``.

    A reader (or ``--resume``) sees the old file or the new one, never a half-written one.
    No fsync: this guards against an interrupted run, not a power cut, and fsync per file would
    dominate a large batch.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    # os.open with 0o666 so the final file gets the usual umask-derived mode (tempfile's 0o600
    # would make outputs unreadable to colleagues).
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
