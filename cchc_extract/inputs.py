"""Finding the documents to parse: files named directly and the known document files in folders.

Shared by ``cchc-extract parse`` and ``cchc-extract archive`` so both see the same files in the
same order, and by ``--resume`` and the archive to fingerprint a file.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

EXTENSIONS = (".pdf", ".docx", ".txt", ".doc", ".rtf", ".odt", ".jpg", ".jpeg", ".png", ".tif", ".tiff")
"""Extensions a folder walk picks up: the formats read directly, the office formats converted
with LibreOffice, and page images read by OCR."""


def walk_folder(folder: Path, pattern: str | None = None) -> list[tuple[Path, PurePosixPath]]:
    """Files under ``folder`` with a known extension, as (path, path relative to folder), sorted.

    Hidden entries and Office lock files (``~$report.docx``) are skipped; directory symlinks
    are not followed (no loops). ``pattern`` (fnmatch on the file name, or on the relative path
    when it holds ``/``) narrows the result.
    """
    found: list[tuple[Path, PurePosixPath]] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.startswith((".", "~$")) or not name.lower().endswith(EXTENSIONS):
                continue
            path = Path(root, name)
            rel = PurePosixPath(path.relative_to(folder).as_posix())
            if pattern and not fnmatch.fnmatch(str(rel) if "/" in pattern else name, pattern):
                continue
            found.append((path, rel))
    found.sort(key=lambda item: item[1].parts)
    return found


def expand_paths(
    args: Iterable[str | Path], pattern: str | None = None, *, missing_ok: bool = False
) -> list[tuple[Path, PurePosixPath]]:
    """Files and folders expanded in argument order, each file once (by its resolved path).

    A file named directly is kept whatever its extension (the content decides the format), with
    its name as relative path. A missing argument raises ``FileNotFoundError`` unless
    ``missing_ok``, which keeps it (the caller reports it as a failed file).
    """
    seen: set[Path] = set()
    found: list[tuple[Path, PurePosixPath]] = []
    for arg in args:
        base = Path(arg)
        if base.is_dir():
            entries = walk_folder(base, pattern)
        elif base.exists() or missing_ok:
            entries = [(base, PurePosixPath(base.name))]
        else:
            raise FileNotFoundError(f"no such file or directory: {arg}")
        for path, rel in entries:
            real = path.resolve()
            if real not in seen:
                seen.add(real)
                found.append((path, rel))
    return found


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in 1 MiB blocks (the record's ``source.sha256``)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
