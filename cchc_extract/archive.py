"""Archive parsed documents in an embedded DuckDB database, optionally exported as Parquet.

Tables (columns and types: :data:`cchc_extract.frames.COLUMNS`): ``notices`` (one row per
document, key ``sha256`` of the file bytes), ``sections``, ``findings``, ``kpis``, ``refs``
(the record's ``references``: ``REFERENCES`` is an SQL keyword), ``deadlines``, ``recipients``
(rows keyed by ``sha256`` and ``idx``).

Re-archiving is cheap and safe: a file whose bytes are already archived is skipped before
parsing; a file whose content changed (same path, new sha256) replaces its old rows; each
document is written in one transaction, so a run killed at any moment leaves whole documents
only (DuckDB rolls back an uncommitted transaction when it reopens the file). Files that fail
to parse are listed in the summary and never stop the run.

This module is imported by the CLI for every command: duckdb, pandas and the parser are imported
inside the functions.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .inputs import expand_paths, file_sha256

if TYPE_CHECKING:
    from .errors import NoticeError
    from .model import Notice

__all__ = ["SQL_TABLES", "ArchiveSummary", "FailedFile", "archive", "export_parquet", "register"]

SQL_TABLES = {
    "notices": "notices",
    "sections": "sections",
    "findings": "findings",
    "kpis": "kpis",
    "references": "refs",
    "deadlines": "deadlines",
    "recipients": "recipients",
}
"""Frame name (:func:`cchc_extract.frames.to_frames`) -> DuckDB table and Parquet file stem."""

_DUCK_TYPES = {"string": "VARCHAR", "Int64": "BIGINT", "Float64": "DOUBLE", "boolean": "BOOLEAN"}

TEST_PAUSE_ENV = "CCHC_EXTRACT_TEST_ARCHIVE_PAUSE"
"""Test-only: seconds to sleep inside each document's transaction (after the ``notices`` row,
before its items), so a test can kill the process mid-transaction deterministically."""

Progress = Callable[[str, Path], None]
"""``progress(event, path)``; events: ``begin``, ``written``, ``unchanged``, ``duplicate``, ``failed``."""


@dataclass(frozen=True)
class FailedFile:
    path: str
    error_type: str
    message: str


@dataclass
class ArchiveSummary:
    """What one :func:`archive` run did."""

    db: Path
    files: int = 0
    added: int = 0  # documents new to the archive
    replaced: int = 0  # files whose content changed: old rows deleted, new rows written
    unchanged: int = 0  # same path, same bytes: skipped without parsing
    duplicates: int = 0  # bytes already archived under another path: skipped
    failed: list[FailedFile] = field(default_factory=list)
    parquet: list[Path] = field(default_factory=list)
    seconds: float = 0.0

    def format(self) -> str:
        lines = [
            f"{self.db}: {self.files} files, {self.added} added, {self.replaced} replaced, "
            f"{self.unchanged} unchanged, {self.duplicates} duplicates, {len(self.failed)} failed "
            f"({self.seconds:.1f} s)"
        ]
        lines += [f"  FAILED {f.path}: {f.error_type}: {f.message}" for f in self.failed]
        if self.parquet:
            lines.append(f"  parquet: {', '.join(str(p) for p in self.parquet)}")
        return "\n".join(lines)


def _connect(db: Path) -> Any:
    try:
        import duckdb
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("cchc_extract.archive needs duckdb: pip install 'cchc-extract[analysis]'") from exc
    return duckdb.connect(str(db))


def _ensure_schema(con: Any) -> None:
    from .frames import COLUMNS

    for frame, cols in COLUMNS.items():
        body = ", ".join(f'"{name}" {_DUCK_TYPES[dtype]}' for name, dtype in cols)
        if frame == "notices":
            body += ", PRIMARY KEY (sha256)"
        con.execute(f"CREATE TABLE IF NOT EXISTS {SQL_TABLES[frame]} ({body})")


def _parse(paths: Sequence[Path], workers: int | None) -> Iterator[tuple[Path, Notice | NoticeError]]:
    """Parse in worker processes when the batch module is present, else one by one."""
    import importlib.util

    if importlib.util.find_spec(f"{__package__}.batch") is not None:
        from .batch import parse_many

        yield from parse_many(paths, workers=workers)
        return
    from . import parse_notice
    from .errors import NoticeError

    for p in paths:
        try:
            yield p, parse_notice(p)
        except NoticeError as exc:
            yield p, exc


def _delete(con: Any, sha: str) -> None:
    for table in SQL_TABLES.values():
        con.execute(f"DELETE FROM {table} WHERE sha256 = ?", [sha])


def _write(con: Any, rec: Notice, path: Path) -> bool:
    """Replace the rows of ``path`` by ``rec`` in one transaction; True when rows were replaced."""
    from .frames import COLUMNS, to_frames

    frames = to_frames([rec])
    pause = float(os.environ.get(TEST_PAUSE_ENV) or 0)
    con.execute("BEGIN TRANSACTION")
    try:
        old = [r[0] for r in con.execute("SELECT sha256 FROM notices WHERE path = ?", [str(path)]).fetchall()]
        for sha in old:
            _delete(con, sha)
        for frame, df in frames.items():
            if len(df):
                names = ", ".join(f'"{c}"' for c, _ in COLUMNS[frame])
                con.register("_doc_rows", df)
                con.execute(f"INSERT INTO {SQL_TABLES[frame]} ({names}) SELECT {names} FROM _doc_rows")
                con.unregister("_doc_rows")
            if frame == "notices" and pause:
                time.sleep(pause)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return bool(old)


def export_parquet(con: Any, directory: Path) -> list[Path]:
    """Write every table as ``directory/<table>.parquet``."""
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for table in SQL_TABLES.values():
        target = directory / f"{table}.parquet"
        quoted = str(target).replace("'", "''")
        con.execute(f"COPY (SELECT * FROM {table} ORDER BY ALL) TO '{quoted}' (FORMAT PARQUET)")
        out.append(target)
    return out


def archive(
    paths: Iterable[str | Path],
    db: Path,
    *,
    parquet_dir: Path | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> ArchiveSummary:
    """Parse ``paths`` (files or folders) into the DuckDB file ``db``; see the module docstring.

    ``workers`` parse processes (default: the usable CPUs); ``parquet_dir`` also exports every
    table as Parquet; ``progress(event, path)`` is called as files are handled.
    """
    from .model import Notice

    started = time.perf_counter()
    db = Path(db)
    summary = ArchiveSummary(db=db)
    note: Progress = progress or (lambda _event, _path: None)
    # Absolute paths: the archive keys documents by path, wherever the command is run from.
    files = [p.resolve() for p, _ in expand_paths(paths, missing_ok=True)]
    summary.files = len(files)
    con = _connect(db)
    try:
        _ensure_schema(con)
        by_path = dict(con.execute("SELECT path, sha256 FROM notices").fetchall())
        known = set(by_path.values())
        todo: list[Path] = []
        queued: set[str] = set()
        for path in files:
            try:
                sha = file_sha256(path)
            except OSError as exc:
                summary.failed.append(FailedFile(str(path), type(exc).__name__, exc.strerror or str(exc)))
                note("failed", path)
                continue
            if by_path.get(str(path)) == sha:
                summary.unchanged += 1
                note("unchanged", path)
            elif sha in known or sha in queued:
                if str(path) in by_path:  # this path now holds content archived elsewhere
                    con.execute("BEGIN TRANSACTION")
                    _delete(con, by_path[str(path)])
                    con.execute("COMMIT")
                summary.duplicates += 1
                note("duplicate", path)
            else:
                queued.add(sha)
                todo.append(path)
        for path, result in _parse(todo, workers):
            if not isinstance(result, Notice):
                summary.failed.append(FailedFile(str(path), type(result).__name__, getattr(result, "message", str(result))))
                note("failed", path)
                continue
            note("begin", path)
            if _write(con, result, path):
                summary.replaced += 1
            else:
                summary.added += 1
            note("written", path)
        if parquet_dir is not None:
            summary.parquet = export_parquet(con, Path(parquet_dir))
    finally:
        con.close()
    summary.seconds = time.perf_counter() - started
    return summary


def register(subparsers: Any) -> None:
    """Add ``archive PATH... --db FILE [--parquet DIR] [-j N]`` to the CLI."""
    from .cli import positive_int  # the CLI is loaded whenever a subcommand registers
    p = subparsers.add_parser(
        "archive",
        help="parse documents into a DuckDB archive (and Parquet files)",
        description=(
            "Parse PDF/DOCX/TXT files (folders are walked) into the DuckDB database --db, one "
            "transaction per document. Unchanged files are skipped; changed files replace their "
            "rows. Tables: notices, sections, findings, kpis, refs, deadlines, recipients. "
            "Needs the analysis extra: pip install 'cchc-extract[analysis]'."
        ),
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    p.add_argument("--db", type=Path, default=Path("notices.duckdb"), help="DuckDB file (default: %(default)s)")
    p.add_argument("--parquet", type=Path, metavar="DIR", help="also write DIR/<table>.parquet")
    p.add_argument("-j", "--jobs", type=positive_int, default=None, metavar="N",
                   help="parse in N worker processes (default: the usable CPUs)")
    p.set_defaults(func=_cmd_archive, parser=p)


def _cmd_archive(args: argparse.Namespace) -> int:
    missing = [a for a in args.paths if not Path(a).exists()]
    if missing:
        print(f"cchc-extract archive: no such file or directory: {', '.join(missing)}", file=sys.stderr)
        return 2
    try:
        summary = archive(args.paths, args.db, parquet_dir=args.parquet, workers=args.jobs)
    except ImportError as exc:
        print(f"cchc-extract archive: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    print(summary.format())
    return 1 if summary.failed else 0
