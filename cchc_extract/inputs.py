"""Finding the documents to parse: files named directly, folders (the known document files), and
glob patterns.

Shared by ``cchc-extract parse``, ``cchc-extract archive``, ``show`` and
:func:`cchc_extract.parse_notices`, so all of them see the same files in the same order and
account for the same skipped ones; used by ``--resume`` and the archive to fingerprint a file.

>>> matches(PurePosixPath("2026/q1/report.pdf"), "2026/*"), matches(PurePosixPath("a/bc_2026.pdf"), "*2026*")
(True, True)
"""

from __future__ import annotations

import fnmatch
import glob as globmod
import hashlib
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

EXTENSIONS = (".pdf", ".docx", ".txt", ".doc", ".rtf", ".odt", ".jpg", ".jpeg", ".png", ".tif", ".tiff")
"""Extensions a folder walk picks up: the formats read directly, the office formats converted
with LibreOffice, and page images read by OCR."""


def walk_folder(folder: Path, pattern: str | None = None, skipped: list[Path] | None = None) -> list[tuple[Path, PurePosixPath]]:
    """Files under ``folder`` with a known extension, as (path, path relative to folder), sorted.

    Hidden entries and Office lock files (``~$report.docx``) are ignored; directory symlinks
    are not followed (no loops). ``pattern`` (see :func:`matches`) narrows the result. Files
    matching the pattern whose extension is not supported are appended to ``skipped``.
    """
    found: list[tuple[Path, PurePosixPath]] = []
    left_out: list[tuple[PurePosixPath, Path]] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.startswith((".", "~$")):
                continue
            path = Path(root, name)
            rel = PurePosixPath(path.relative_to(folder).as_posix())
            if pattern and not matches(rel, pattern):
                continue
            if _supported(name):
                found.append((path, rel))
            else:
                left_out.append((rel, path))
    found.sort(key=lambda item: item[1].parts)
    if skipped is not None:
        skipped.extend(path for _, path in sorted(left_out, key=lambda item: item[0].parts))
    return found


__all__ = ["EXTENSIONS", "Found", "expand_paths", "file_sha256", "find_inputs", "matches", "walk_folder"]

_MAGIC = frozenset("*?[")


@dataclass
class Found:
    """What a set of arguments expands to."""

    files: list[tuple[Path, PurePosixPath]] = field(default_factory=list)
    """(path, path relative to the folder or glob base it was found in), in parse order."""
    skipped: list[Path] = field(default_factory=list)
    """Files found in folders (and matching the glob) left out for their extension."""

    def skipped_by_extension(self) -> Counter[str]:
        """``{".md": 2, ".jpg": 1, "(none)": 1}``: skipped files counted by lower-case extension."""
        return Counter(p.suffix.lower() or "(none)" for p in self.skipped)

    def describe_skipped(self) -> str:
        """``"3 (.md 2, .jpg 1)"``, or ``"0"``."""
        counts = self.skipped_by_extension()
        if not counts:
            return "0"
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return f"{len(self.skipped)} (" + ", ".join(f"{ext} {n}" for ext, n in ordered) + ")"


def matches(rel: PurePosixPath, pattern: str) -> bool:
    """``pattern`` matches the path relative to the folder given (``*`` crosses ``/``), or the
    file name alone when the pattern holds no ``/``: ``'2026/*'``, ``'*2026*'``, ``'*.pdf'``."""
    return fnmatch.fnmatch(str(rel), pattern) or ("/" not in pattern and fnmatch.fnmatch(rel.name, pattern))


def _supported(name: str) -> bool:
    return name.lower().endswith(EXTENSIONS)


def _glob_base(pattern: str) -> Path:
    """The folder part of a glob before its first magic component (``a/b/*/x.pdf`` -> ``a/b``)."""
    parts = Path(pattern).parts
    base: list[str] = []
    for part in parts[:-1]:
        if _MAGIC & set(part):
            break
        base.append(part)
    return Path(*base) if base else Path(".")


def find_inputs(args: Iterable[str | Path], pattern: str | None = None, *, missing_ok: bool = False) -> Found:
    """Files, folders and glob patterns expanded in argument order, each file once (by resolved path).

    A file named directly is kept whatever its extension (the content decides the format), with
    its name as relative path. A folder contributes its supported files, sorted by relative path.
    An argument that does not exist but holds ``*``, ``?`` or ``[`` is a glob (``**`` recursive,
    for shells that do not expand it, and for Python callers): its matching folders are walked,
    its matching files kept when their extension is supported, relative to the glob's fixed
    folder. ``pattern`` (see :func:`matches`) filters what folders and globs contribute.
    A missing argument raises ``FileNotFoundError`` unless ``missing_ok``, which keeps it (the
    caller reports it as a failed file).
    """
    seen: set[Path] = set()
    out = Found()
    for arg in args:
        base = Path(arg)
        entries: list[tuple[Path, PurePosixPath]]
        if base.is_dir():
            entries = walk_folder(base, pattern, out.skipped)
        elif base.exists():
            entries = [(base, PurePosixPath(base.name))]
        elif isinstance(arg, str) and _MAGIC & set(arg):
            root = _glob_base(arg)
            entries = []
            hits = sorted(globmod.glob(arg, recursive=True))
            if not hits and not missing_ok:
                raise FileNotFoundError(f"no file or folder matches {arg}")
            for hit in map(Path, hits):
                if hit.is_dir():
                    entries += walk_folder(hit, pattern, out.skipped)
                    continue
                rel = PurePosixPath(hit.relative_to(root).as_posix()) if hit.is_relative_to(root) else PurePosixPath(hit.name)
                if hit.name.startswith((".", "~$")) or (pattern and not matches(rel, pattern)):
                    continue
                if _supported(hit.name):
                    entries.append((hit, rel))
                else:
                    out.skipped.append(hit)
        elif missing_ok:
            entries = [(base, PurePosixPath(base.name))]
        else:
            raise FileNotFoundError(f"no such file or directory: {arg}")
        for path, rel in entries:
            real = path.resolve()
            if real not in seen:
                seen.add(real)
                out.files.append((path, rel))
    return out


def expand_paths(
    args: Iterable[str | Path], pattern: str | None = None, *, missing_ok: bool = False
) -> list[tuple[Path, PurePosixPath]]:
    """The files of :func:`find_inputs` (without the skipped ones)."""
    return find_inputs(args, pattern, missing_ok=missing_ok).files


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in 1 MiB blocks (the record's ``source.sha256``)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
