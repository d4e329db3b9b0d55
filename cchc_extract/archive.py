"""Archive parsed documents in an embedded DuckDB database, optionally exported as Parquet.

Tables (columns and types: :data:`cchc_extract.frames.COLUMNS`, dates as ``DATE``): ``notices``
(one row per document, key ``sha256`` of the file bytes), ``sections``, ``findings``, ``kpis``,
``refs`` (the record's ``references``: ``REFERENCES`` is an SQL keyword), ``deadlines``,
``cells`` (the body tables, one row per cell), ``signatures``, ``recipients``, ``warnings``,
``texts`` (the document text every span indexes into; empty with ``--no-text``), all keyed by
``sha256``; ``failures`` (path, error type and message of the files that could not be parsed,
as of their last run) and ``cchc_meta`` (the archive schema version).

It runs on the batch engine of ``cchc-extract parse`` (each file in a worker process under a
time and memory limit) and takes the same options. Re-archiving is cheap and safe: a file whose
bytes are already archived is skipped before parsing; a file whose content changed (same path,
new sha256) replaces its old rows. Rows are written in batched transactions (whole documents
only: a run killed at any moment leaves no half-written document, DuckDB rolls back an
uncommitted transaction when it reopens the file).

An archive written by an older version (a smaller record, before the ``signatures`` table ...)
is migrated in place when opened: new tables and columns are added, old rows kept, and its
documents are parsed again the next time their files are archived. An archive from a newer
version is refused with the command to run.

This module is imported by the CLI for every command: duckdb and the parser are imported inside
the functions.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .inputs import Found, file_sha256, find_inputs

if TYPE_CHECKING:
    from .model import Notice

__all__ = [
    "ARCHIVE_SCHEMA",
    "SQL_TABLES",
    "ArchiveError",
    "ArchiveSummary",
    "FailedFile",
    "archive",
    "connect",
    "export_parquet",
    "register",
]

ARCHIVE_SCHEMA = 2
"""Version of the archive's table layout, stored in ``cchc_meta``. 1: before versioning (no
``cells``, ``signatures``, ``warnings``, ``texts``, ``failures``; dates as text). 2: this layout."""

SQL_TABLES = {
    "notices": "notices",
    "sections": "sections",
    "findings": "findings",
    "kpis": "kpis",
    "references": "refs",
    "deadlines": "deadlines",
    "tables": "cells",
    "signatures": "signatures",
    "recipients": "recipients",
    "warnings": "warnings",
    "texts": "texts",
}
"""Frame name (:func:`cchc_extract.frames.to_frames`) -> DuckDB table and Parquet file stem."""

ARCHIVE_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "notices": [("archived_at", "TIMESTAMPTZ"), ("archive_schema", "INTEGER")],
}
"""Columns the archive adds after a frame's own: when a document was written, and by which layout."""

FAILURES = [("path", "VARCHAR"), ("sha256", "VARCHAR"), ("error_type", "VARCHAR"), ("message", "VARCHAR"),
            ("failed_at", "TIMESTAMPTZ")]

_DUCK_TYPES = {
    "string": "VARCHAR", "Int64": "BIGINT", "Float64": "DOUBLE", "boolean": "BOOLEAN",
    "date": "DATE", "timestamp": "TIMESTAMPTZ", "category": "VARCHAR",
}

_RENAMED = {("notices", "date"): "date_iso"}
"""(table, column) -> the column's name in an older layout, read when migrating."""

TEST_PAUSE_ENV = "CCHC_EXTRACT_TEST_ARCHIVE_PAUSE"
"""Test-only: seconds to sleep inside each batch's transaction (after its rows are inserted,
before the commit), so a test can kill the process mid-transaction deterministically."""

DEFAULT_BATCH = 200
"""Documents per transaction."""

Progress = Callable[[str, Path], None]
"""``progress(event, path)``; events: ``parsed`` (rows ready), ``begin`` (a transaction starts;
the path is its first document), ``written`` (committed), ``unchanged``, ``duplicate``, ``failed``
(see also ``on_failure``)."""


class ArchiveError(Exception):
    """The database cannot be used as an archive; the message says what to do."""


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
    replaced: int = 0  # files whose content changed (or archived by an older layout): rows rewritten
    unchanged: int = 0  # same path, same bytes: skipped without parsing
    duplicates: int = 0  # bytes already archived under another path: skipped
    warned: int = 0  # written documents with warnings
    failed: list[FailedFile] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)  # left out for their extension
    migrated_from: int | None = None  # the archive's layout before this run, when it was migrated
    parquet: list[Path] = field(default_factory=list)
    seconds: float = 0.0

    def format(self) -> str:
        found = Found(skipped=self.skipped)
        lines = [
            f"archived {self.added + self.replaced} ({self.warned} with warnings), failed {len(self.failed)}, "
            f"skipped {found.describe_skipped()}, {self.unchanged} unchanged, {self.duplicates} duplicates "
            f"in {self.seconds:.1f} s -> {self.db}"
        ]
        if self.migrated_from is not None:
            lines.append(f"  migrated from archive schema {self.migrated_from} to {ARCHIVE_SCHEMA}")
        if self.parquet:
            lines.append(f"  parquet: {', '.join(str(p) for p in self.parquet)}")
        return "\n".join(lines)


def _columns(frame: str) -> list[tuple[str, str]]:
    """(column, DuckDB type) of a table, the archive's own columns included."""
    from .frames import COLUMNS

    return [(n, _DUCK_TYPES[t]) for n, t in COLUMNS[frame]] + ARCHIVE_COLUMNS.get(frame, [])


def _layout() -> dict[str, list[tuple[str, str]]]:
    out = {SQL_TABLES[f]: _columns(f) for f in SQL_TABLES}
    out["failures"] = FAILURES
    out["cchc_meta"] = [("key", "VARCHAR"), ("value", "VARCHAR")]
    return out


def _ddl(table: str, cols: list[tuple[str, str]]) -> str:
    return f"CREATE TABLE {table} (" + ", ".join(f'"{n}" {t}' for n, t in cols) + ")"


def _import_duckdb() -> Any:
    try:
        import duckdb
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("the archive needs duckdb: pip install 'cchc-extract[analysis]'") from exc
    return duckdb


def _existing(con: Any) -> dict[str, list[tuple[str, str]]]:
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
    ).fetchall()
    out: dict[str, list[tuple[str, str]]] = {}
    for table, column, dtype in rows:
        out.setdefault(table, []).append((column, dtype))
    return out


def _version(con: Any, tables: dict[str, list[tuple[str, str]]]) -> int | None:
    if "cchc_meta" in tables:
        row = con.execute("SELECT value FROM cchc_meta WHERE key = 'schema_version'").fetchone()
        if row:
            return int(row[0])
    return 1 if "notices" in tables else None


def _migrate(con: Any, existing: dict[str, list[tuple[str, str]]]) -> None:
    """Bring every table to the current layout, keeping the rows (one transaction)."""
    for table, cols in _layout().items():
        old = dict(existing.get(table, []))
        if not old:
            con.execute(_ddl(table, cols))
            continue
        if list(old) == [n for n, _ in cols] and all(old[n] == t for n, t in cols):
            continue
        frame = next((f for f, t in SQL_TABLES.items() if t == table), None)
        select = []
        for name, dtype in cols:
            source = name if name in old else _RENAMED.get((frame or table, name))
            select.append(f'TRY_CAST("{source}" AS {dtype})' if source in old else f"NULL::{dtype}")
        con.execute(_ddl(f"{table}__new", cols))
        con.execute(f"INSERT INTO {table}__new SELECT {', '.join(select)} FROM {table}")
        con.execute(f"DROP TABLE {table}")
        con.execute(f"ALTER TABLE {table}__new RENAME TO {table}")


def connect(db: Path, *, read_only: bool = False) -> tuple[Any, int | None]:
    """Open (or create) an archive, migrating an older layout; return (connection, old version).

    The old version is None unless a migration happened. Raises :class:`ArchiveError` for an
    archive written by a newer version or one that cannot be migrated.
    """
    duckdb = _import_duckdb()
    db = Path(db)
    con = duckdb.connect(str(db), read_only=read_only)
    try:
        existing = _existing(con)
        version = _version(con, existing)
        if version is not None and version > ARCHIVE_SCHEMA:
            raise ArchiveError(
                f"{db} was written by a newer cchc-extract (archive schema {version}; this version writes "
                f"{ARCHIVE_SCHEMA}): upgrade with pip install -U 'cchc-extract[analysis]', or archive into "
                "another --db file"
            )
        if version == ARCHIVE_SCHEMA or read_only:
            return con, None
        con.execute("BEGIN TRANSACTION")
        try:
            _migrate(con, existing)
            con.execute("DELETE FROM cchc_meta WHERE key = 'schema_version'")
            con.execute("INSERT INTO cchc_meta VALUES ('schema_version', ?)", [str(ARCHIVE_SCHEMA)])
            con.execute("COMMIT")
        except Exception as exc:
            con.execute("ROLLBACK")
            raise ArchiveError(
                f"{db} (archive schema {version}) could not be migrated to schema {ARCHIVE_SCHEMA}: {exc}. "
                f"Archive into a new file (--db new.duckdb) or delete {db}: every row is rebuilt from "
                "the documents"
            ) from exc
        return con, version
    except BaseException:
        con.close()
        raise


class _Archived(NamedTuple):
    """What a worker sends back for one file: its rows as JSON lines per table."""

    sha256: str
    lines: dict[str, str]
    warnings: int


def _archive_task(
    path: Path, include_text: bool, password: str | None, trust_roots: str | None = None, ocr: str = "auto"
) -> _Archived:
    """Worker side: parse one file and serialise its rows, so the parent only loads them."""
    from . import parse_notice
    from .frames import rows
    from .output import dumps_line

    notice: Notice = parse_notice(path, password=password, trust_roots=trust_roots, ocr=ocr)  # type: ignore[arg-type]
    tables = rows(notice, include_text=include_text)
    lines = {frame: "\n".join(map(dumps_line, items)) + "\n" for frame, items in tables.items() if items}
    return _Archived(notice.source.sha256, lines, len(notice.warnings))


class _Writer:
    """Buffers documents' rows and writes them in batched transactions through JSON-lines files."""

    def __init__(self, con: Any, folder: Path) -> None:
        self.con, self.folder = con, folder
        self.docs: list[tuple[Path, _Archived]] = []
        self.failures: list[tuple[Path, str | None, FailedFile]] = []
        self.pending_bytes = 0

    def add(self, path: Path, doc: _Archived) -> None:
        self.docs.append((path, doc))
        self.pending_bytes += sum(len(v) for v in doc.lines.values())

    def fail(self, path: Path, sha: str | None, failure: FailedFile) -> None:
        self.failures.append((path, sha, failure))

    def flush(self, note: Progress) -> None:
        if not self.docs and not self.failures:
            return
        from .frames import COLUMNS

        con = self.con
        files: dict[str, Path] = {}
        for frame in COLUMNS:
            chunks = [doc.lines[frame] for _, doc in self.docs if frame in doc.lines]
            if chunks:
                files[frame] = self.folder / f"{frame}.jsonl"
                files[frame].write_text("".join(chunks), encoding="utf-8")
        paths = [str(p) for p, _ in self.docs]
        shas = [doc.sha256 for _, doc in self.docs]
        if self.docs:
            note("begin", self.docs[0][0])
        pause = float(os.environ.get(TEST_PAUSE_ENV) or 0)
        con.execute("BEGIN TRANSACTION")
        try:
            if self.docs:
                old = [r[0] for r in con.execute(
                    "SELECT sha256 FROM notices WHERE path IN (SELECT unnest(?::VARCHAR[])) "
                    "OR sha256 IN (SELECT unnest(?::VARCHAR[]))", [paths, shas]).fetchall()]
                if old:
                    for table in SQL_TABLES.values():
                        con.execute(f"DELETE FROM {table} WHERE sha256 IN (SELECT unnest(?::VARCHAR[]))", [old])
            done = paths + [str(p) for p, _, _ in self.failures]
            con.execute("DELETE FROM failures WHERE path IN (SELECT unnest(?::VARCHAR[]))", [done])
            for frame, file in files.items():
                cols = COLUMNS[frame]
                spec = "{" + ", ".join(f"'{n}': '{_DUCK_TYPES[t]}'" for n, t in cols) + "}"
                names = ", ".join(f'"{n}"' for n, _ in cols)
                extra = ARCHIVE_COLUMNS.get(frame, [])
                target = names + "".join(f', "{n}"' for n, _ in extra)
                values = names + (", now(), " + str(ARCHIVE_SCHEMA) if extra else "")
                quoted = str(file).replace("'", "''")
                con.execute(
                    f"INSERT INTO {SQL_TABLES[frame]} ({target}) SELECT {values} FROM read_json('{quoted}', "
                    f"format='newline_delimited', columns={spec}, maximum_object_size=1073741824)"
                )
            for path, sha, failure in self.failures:
                con.execute("INSERT INTO failures VALUES (?, ?, ?, ?, now())",
                            [str(path), sha, failure.error_type, failure.message])
            if pause and self.docs:
                time.sleep(pause)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            for file in files.values():
                file.unlink(missing_ok=True)
        for path, _ in self.docs:
            note("written", path)
        self.docs, self.failures, self.pending_bytes = [], [], 0


def export_parquet(con: Any, directory: Path) -> list[Path]:
    """Write every table as ``directory/<table>.parquet``."""
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for table in [*SQL_TABLES.values(), "failures"]:
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
    glob: str | None = None,
    timeout: float | None = None,
    max_memory_mb: int | None = None,
    include_text: bool = True,
    password: str | None = None,
    trust_roots: str | None = None,
    ocr: str = "auto",
    batch_size: int = DEFAULT_BATCH,
    on_failure: Callable[[FailedFile], None] | None = None,
) -> ArchiveSummary:
    """Parse ``paths`` (files, folders, globs) into the DuckDB file ``db``; see the module docstring.

    The options are those of ``cchc-extract parse`` (``timeout`` and ``max_memory_mb`` default
    to its limits); ``include_text=False`` leaves the ``texts`` table empty; ``parquet_dir``
    also exports every table as Parquet; ``progress(event, path)`` is called as files are
    handled, ``on_failure(FailedFile)`` as a file fails; ``batch_size`` documents go in one
    transaction.
    """
    from .batch import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT, run_in_workers
    from .errors import NoticeError

    started = time.perf_counter()
    db = Path(db)
    summary = ArchiveSummary(db=db)
    note: Progress = progress or (lambda _event, _path: None)
    found = find_inputs(paths, glob, missing_ok=True)
    summary.skipped = found.skipped
    # Absolute paths: the archive keys documents by path, wherever the command is run from.
    files = [p.resolve() for p, _ in found.files]
    summary.files = len(files)

    con, summary.migrated_from = connect(db)
    try:
        state = con.execute("SELECT path, sha256, archive_schema FROM notices").fetchall()
    finally:
        con.close()  # workers start without DuckDB's threads in the parent
    by_path = {p: (sha, ver) for p, sha, ver in state}
    known = {sha for sha, _ in by_path.values()}
    todo: list[tuple[Path, str]] = []
    early: list[tuple[Path, FailedFile]] = []
    queued: set[str] = set()
    moved: list[str] = []  # paths whose new content is archived under another path
    for path in files:
        try:
            sha = file_sha256(path)
        except OSError as exc:
            early.append((path, FailedFile(str(path), "UnreadableDocumentError", exc.strerror or str(exc))))
            continue
        old = by_path.get(str(path))
        if old is not None and old[0] == sha and old[1] == ARCHIVE_SCHEMA:
            summary.unchanged += 1
            note("unchanged", path)
        elif (sha in known and (old is None or old[0] != sha)) or sha in queued:
            if old is not None and old[0] != sha:
                moved.append(old[0])
            summary.duplicates += 1
            note("duplicate", path)
        else:
            queued.add(sha)
            todo.append((path, sha))

    outcomes = run_in_workers(
        [p for p, _ in todo],
        _archive_task,
        kwargs={"include_text": include_text, "password": password, "trust_roots": trust_roots, "ocr": ocr},
        workers=workers,
        timeout=DEFAULT_TIMEOUT if timeout is None else (timeout or None),
        max_memory_mb=DEFAULT_MAX_MEMORY_MB if max_memory_mb is None else (max_memory_mb or None),
    )
    con = None
    try:
        with tempfile.TemporaryDirectory(prefix="cchc-archive-") as tmp:
            first = next(outcomes, None)  # the workers are running: now open the database
            con, _ = connect(db)
            writer = _Writer(con, Path(tmp))
            if moved:
                con.execute("BEGIN TRANSACTION")
                for table in SQL_TABLES.values():
                    con.execute(f"DELETE FROM {table} WHERE sha256 IN (SELECT unnest(?::VARCHAR[]))", [moved])
                con.execute("COMMIT")
            for path, failure in early:
                summary.failed.append(failure)
                writer.fail(path, None, failure)
                if on_failure:
                    on_failure(failure)
                note("failed", path)
            stream = [first] if first is not None else []
            for outcome in _chain(stream, outcomes):
                path, sha = todo[outcome.index]
                value = outcome.value
                if isinstance(value, NoticeError):
                    failure = FailedFile(str(path), type(value).__name__, value.message)
                    summary.failed.append(failure)
                    writer.fail(path, sha, failure)
                    if on_failure:
                        on_failure(failure)
                    note("failed", path)
                else:
                    if str(path) in by_path:
                        summary.replaced += 1
                    else:
                        summary.added += 1
                    summary.warned += value.warnings > 0
                    writer.add(path, value)
                    note("parsed", path)
                if len(writer.docs) >= batch_size or writer.pending_bytes > 64 << 20:
                    writer.flush(note)
            writer.flush(note)
            if parquet_dir is not None:
                summary.parquet = export_parquet(con, Path(parquet_dir))
    finally:
        outcomes.close()
        if con is not None:
            con.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _chain(first: list[Any], rest: Iterable[Any]) -> Iterable[Any]:
    yield from first
    yield from rest


def register(subparsers: Any) -> None:
    """Add ``archive PATH... --db FILE [--parquet DIR]`` and ``sql DB QUERY`` to the CLI."""
    from .cli import add_batch_options  # the CLI is loaded whenever a subcommand registers

    p = subparsers.add_parser(
        "archive",
        help="parse documents into a DuckDB archive (and Parquet files)",
        description=(
            "Parse PDF/DOCX/TXT files (folders and quoted globs are walked as by `parse`) into the "
            "DuckDB database --db, each file in a worker process under parse's limits, in batched "
            "transactions. Unchanged files are skipped; changed files replace their rows. Tables: "
            + ", ".join(SQL_TABLES.values()) + ", failures, cchc_meta. "
            "Query it with: cchc-extract sql notices.duckdb \"SELECT ...\". "
            "Needs the analysis extra: pip install 'cchc-extract[analysis]'."
        ),
        epilog="Exit status: 0 all archived, 1 some failed, 2 usage error (including no files found).",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, folders and quoted glob patterns")
    p.add_argument("--db", type=Path, default=Path("notices.duckdb"), help="DuckDB file (default: %(default)s)")
    p.add_argument("--parquet", type=Path, metavar="DIR", help="also write DIR/<table>.parquet")
    add_batch_options(p)
    p.add_argument("--no-text", action="store_true", help="leave the document texts out of the archive (table texts)")
    p.set_defaults(func=_cmd_archive, parser=p)

    q = subparsers.add_parser(
        "sql",
        help="run SQL on an archive and print the result",
        description="Run one SQL query on a DuckDB archive (read-only) and print the result as a table, CSV or JSON lines.",
        epilog='Example: cchc-extract sql notices.duckdb "SELECT doc_type, count(*) FROM notices GROUP BY ALL"',
    )
    q.add_argument("db", type=Path, metavar="DB", help="the archive written by `cchc-extract archive`")
    q.add_argument("query", metavar="QUERY", help="one SQL statement")
    q.add_argument("--format", choices=("table", "csv", "jsonl"), default="table", help="output format (default: table)")
    q.add_argument("--max-rows", type=int, default=40, metavar="N", help="rows shown in table format (default 40; 0: all)")
    q.set_defaults(func=_cmd_sql, parser=q)


def _cmd_archive(args: argparse.Namespace) -> int:
    from .cli import BatchUI, check_trust_roots, find_or_usage_error, open_errors_file, usage_error

    parser: argparse.ArgumentParser = args.parser
    found = find_or_usage_error(parser, args)
    if isinstance(found, int):
        return found
    bad_roots = check_trust_roots(parser, args)
    if bad_roots is not None:
        return bad_roots
    errors_file = open_errors_file(parser, args)
    if isinstance(errors_file, int):
        return errors_file
    ui = BatchUI(args, len(found.files), errors_file)
    ui.skipped(found)
    def progress(event: str, path: Path) -> None:
        if event in ("parsed", "unchanged", "duplicate"):
            ui.ok(0)

    def failure(failed: FailedFile) -> None:
        ui.fail(Path(failed.path), failed.error_type, failed.message)

    try:
        summary = archive(
            args.paths, args.db, parquet_dir=args.parquet, workers=args.jobs, glob=args.glob,
            timeout=args.timeout, max_memory_mb=args.max_memory, include_text=not args.no_text,
            password=args.password, trust_roots=args.trust_roots, ocr=args.ocr, progress=progress,
            on_failure=failure,
        )
    except ImportError as exc:
        return usage_error(parser, str(exc))
    except ArchiveError as exc:
        ui.clear()
        sys.stderr.write(f"cchc-extract archive: {exc}\n")
        return 2
    except KeyboardInterrupt:
        ui.clear()
        sys.stderr.write("cchc-extract archive: interrupted; the documents committed so far are kept\n")
        return 130
    finally:
        if errors_file is not None:
            errors_file.close()
    ui.clear()
    if not args.quiet:
        sys.stderr.write(summary.format() + "\n")
    return 1 if summary.failed else 0


def _cmd_sql(args: argparse.Namespace) -> int:
    from .cli import usage_error

    parser: argparse.ArgumentParser = args.parser
    if not args.db.is_file():
        return usage_error(parser, f"no such archive: {args.db}")
    try:
        duckdb = _import_duckdb()
        con = duckdb.connect(str(args.db), read_only=True)
    except ImportError as exc:
        return usage_error(parser, str(exc))
    except Exception as exc:
        sys.stderr.write(f"cchc-extract sql: {args.db}: {exc}\n")
        return 2
    try:
        rel = con.sql(args.query)
        if rel is None:  # a statement without a result
            return 0
        if args.format == "table":
            rows = rel.fetchall() if not args.max_rows else rel.limit(args.max_rows + 1).fetchall()
            total = len(rows) if not args.max_rows or len(rows) <= args.max_rows else None
            shown = rows if total is not None else rows[: args.max_rows]
            sys.stdout.write(_table(rel.columns, shown))
            if total is None:
                n = con.sql(f"SELECT count(*) FROM ({args.query})").fetchone()
                sys.stdout.write(f"({args.max_rows} of {n[0] if n else '?'} rows; --max-rows 0 shows all)\n")
            else:
                sys.stdout.write(f"({total} row{'s' if total != 1 else ''})\n")
        else:
            import csv
            import json

            if args.format == "csv":
                writer = csv.writer(sys.stdout, lineterminator="\n")
                writer.writerow(rel.columns)
                writer.writerows(rel.fetchall())
            else:
                for row in rel.fetchall():
                    sys.stdout.write(json.dumps(dict(zip(rel.columns, row, strict=True)), ensure_ascii=False,
                                                default=str) + "\n")
    except duckdb.Error as exc:
        sys.stderr.write(f"cchc-extract sql: {exc}\n")
        return 1
    finally:
        con.close()
    return 0


def _cell(value: Any, width: int = 60) -> str:
    text = "NULL" if value is None else str(value)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(columns: list[str], rows: list[tuple[Any, ...]]) -> str:
    """A plain aligned table: header, rule, rows; numbers right-aligned."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    numeric = [all(isinstance(row[i], (int, float)) or row[i] is None for row in rows) and bool(rows)
               for i in range(len(columns))]

    def line(values: list[str]) -> str:
        return "  ".join(v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric, strict=True)).rstrip()

    out = [line(list(columns)), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in cells]
    return "\n".join(out) + "\n"
