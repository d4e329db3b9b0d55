"""The ``cchc-extract`` command line: ``parse`` files into JSON records, print the ``schema``.

Module import stays cheap (``--help`` must be instant): the pipeline, pydantic and the worker
pool are imported inside the commands. Other modules add subcommands through a
``register(subparsers)`` function listed in :data:`SUBCOMMAND_MODULES`.

Exit codes: 0 every file parsed, 1 some file failed, 2 usage error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from typing import IO, Any, NamedTuple

from .inputs import EXTENSIONS, Found, file_sha256, find_inputs

__all__ = [
    "EXTENSIONS",
    "SUBCOMMAND_MODULES",
    "BatchUI",
    "add_batch_options",
    "build_parser",
    "collect_inputs",
    "main",
]

PROG = "cchc-extract"

SUBCOMMAND_MODULES = ("cchc_extract.show", "cchc_extract.archive")
"""Modules whose ``register(subparsers)`` adds a subcommand; absent modules are skipped.

A registered parser sets ``func=callable(args) -> int`` with ``set_defaults``. Keep those
modules' import light: they are imported for every invocation, ``--help`` included.
"""

Handler = Callable[[argparse.Namespace], int]


class _VersionAction(argparse.Action):
    """``--version`` reading installed metadata only when asked (not pydantic via the package)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kw: Any) -> None:
        super().__init__(option_strings, dest=dest, nargs=0, default=argparse.SUPPRESS, **kw)

    def __call__(self, parser: argparse.ArgumentParser, *_args: Any, **_kw: Any) -> None:
        try:
            from importlib.metadata import version

            ver = version("cchc-extract")
        except Exception:  # not installed (run from a checkout): ask the package itself
            from . import __version__ as ver
        sys.stdout.write(f"{PROG} {ver}\n")
        parser.exit()


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _non_negative_float(text: str) -> float:
    value = float(text)
    if not value >= 0:  # also rejects nan
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {text}")
    return value


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


# -- parse -----------------------------------------------------------------------------------


class Input(NamedTuple):
    """One file to parse and where its JSON goes, relative to ``-o DIR``."""

    path: Path
    out: PurePosixPath


class _Rendered(NamedTuple):
    """What a worker sends back for one parsed file (strings pickle far faster than models)."""

    pretty: str | None
    line: str | None
    warnings: int


def _render_task(
    path: Path,
    password: str | None,
    include_text: bool,
    pretty: bool,
    line: bool,
    trust_roots: str | None = None,
    ocr: str = "auto",
) -> _Rendered:
    """Worker side: parse one file and serialise it, so the parent only writes bytes."""
    from . import parse_notice
    from .output import notice_line, notice_pretty

    notice = parse_notice(path, password=password, trust_roots=trust_roots, ocr=ocr)  # type: ignore[arg-type]
    return _Rendered(
        notice_pretty(notice, include_text=include_text) if pretty else None,
        notice_line(notice, include_text=include_text) if line else None,
        len(notice.warnings),
    )


def collect_inputs(args: Sequence[str | Path], pattern: str | None = None, *, found: Found | None = None) -> list[Input]:
    """Expand files, folders and globs into inputs in a stable order with non-clashing outputs.

    Arguments keep their order; a folder contributes its files sorted by relative path. A file
    named directly maps to ``<stem>.json``; a file found in a folder to its relative path with
    ``.json`` for the last extension. When two inputs would share an output (``report.pdf`` and
    ``report.docx``), both keep their extension (``report.pdf.json``). ``pattern`` (see
    :func:`cchc_extract.inputs.matches`) filters folder contents. ``found`` (from
    :func:`~cchc_extract.inputs.find_inputs`) saves expanding the arguments again.
    Raises ``FileNotFoundError`` for a missing argument and ``ValueError`` for an unresolvable clash.
    """
    files = (found or find_inputs(args, pattern)).files  # (path, output relative path with extension)

    def json_name(rel: PurePosixPath, keep_extension: bool) -> PurePosixPath:
        return rel.with_name((rel.name if keep_extension or not rel.suffix else rel.stem) + ".json")

    def key(out: PurePosixPath) -> str:
        return str(out).casefold()  # the outputs may land on a case-insensitive file system

    first = [json_name(rel, False) for _, rel in files]
    clashing = Counter(map(key, first))
    outs = [json_name(rel, clashing[key(out)] > 1) for (_, rel), out in zip(files, first, strict=True)]
    owners: dict[str, Path] = {}
    for (path, _), out in zip(files, outs, strict=True):
        other = owners.setdefault(key(out), path)
        if other is not path:
            raise ValueError(
                f"{other} and {path} would both be written to {out}; pass their folder instead of the files"
            )
    return [Input(path, out) for (path, _), out in zip(files, outs, strict=True)]


def _up_to_date(src: Path, out: Path) -> bool:
    """``--resume``: the output exists, is not older than the input, and has the input's sha256."""
    try:
        if out.stat().st_mtime < src.stat().st_mtime:
            return False
        record = json.loads(out.read_bytes())
        return bool(record["source"]["sha256"] == file_sha256(src))
    except (OSError, ValueError, KeyError, TypeError):
        return False


class Progress:
    """A one-line progress bar on a terminal, redrawn at most ten times a second."""

    def __init__(self, total: int, stream: IO[str]) -> None:
        self.total, self.stream = total, stream
        self.done = self.failed = 0
        self.start = time.monotonic()
        self.last = 0.0
        self.shown = False
        self.draw(force=True)

    def draw(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < 0.1:
            return
        self.last = now
        import shutil

        width = shutil.get_terminal_size((80, 24)).columns
        elapsed = int(now - self.start)
        tail = f" {self.done}/{self.total}" + (f", {self.failed} failed" if self.failed else "")
        tail += f"  {elapsed // 60}:{elapsed % 60:02d}"
        bar_width = max(10, min(40, width - len(tail) - 4))
        filled = bar_width * self.done // max(1, self.total)
        self.stream.write(f"\r\x1b[K[{'#' * filled}{'.' * (bar_width - filled)}]{tail}")
        self.stream.flush()
        self.shown = True

    def advance(self, *, failed: bool) -> None:
        self.done += 1
        self.failed += failed
        self.draw(force=self.done == self.total)

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


class BatchUI:
    """The terminal side of a batch command (``parse``, ``archive``, ``show --html``): the
    progress bar, one stderr line per failure, the ``--errors`` file (failures and skipped files)
    and the closing summary. Counts ``parsed``, ``warned``, ``failed``."""

    def __init__(self, args: argparse.Namespace, total: int, errors_file: IO[str] | None) -> None:
        self.quiet, self.debug, self.errors_file = args.quiet, args.debug, errors_file
        self.started = time.monotonic()
        self.progress = Progress(total, sys.stderr) if not args.quiet and total > 1 and sys.stderr.isatty() else None
        self.parsed = self.warned = self.failed = 0

    def _row(self, path: Path, kind: str, message: str) -> None:
        if self.errors_file is not None:
            row = {"path": str(path), "error": kind, "message": message}
            self.errors_file.write(json.dumps(row, ensure_ascii=False) + "\n")
            self.errors_file.flush()

    def skipped(self, found: Found) -> None:
        """List the files left out for their extension in the ``--errors`` file."""
        for path in found.skipped:
            ext = path.suffix.lower() or "(none)"
            self._row(path, "Skipped", f"{ext} is not a supported extension ({', '.join(EXTENSIONS)}); "
                      "name the file directly to parse it anyway")

    def error(self, path: Path, kind: str, message: str, tb: str | None = None) -> None:
        message = " ".join(message.split())
        if len(message) > 300:
            message = message[:299] + "…"
        if self.progress:
            self.progress.clear()
        sys.stderr.write(f"error: {path}: {kind}: {message}\n")
        if self.debug and tb:
            sys.stderr.write(tb if tb.endswith("\n") else tb + "\n")
        sys.stderr.flush()
        self._row(path, kind, message)

    def ok(self, warnings: int) -> None:
        self.parsed += 1
        self.warned += warnings > 0
        if self.progress:
            self.progress.advance(failed=False)

    def fail(self, path: Path, kind: str, message: str, tb: str | None = None) -> None:
        self.error(path, kind, message, tb)
        self.failed += 1
        if self.progress:
            self.progress.advance(failed=True)

    def clear(self) -> None:
        if self.progress:
            self.progress.clear()

    def summary(self, found: Found, verb: str = "parsed", extra: str = "") -> None:
        """``parsed 5 (3 with warnings), failed 1, skipped 2 (.md 1, .jpg 1) in 0.9 s``."""
        self.clear()
        if not self.quiet:
            sys.stderr.write(
                f"{verb} {self.parsed} ({self.warned} with warnings), failed {self.failed}, "
                f"skipped {found.describe_skipped()}{extra} in {time.monotonic() - self.started:.1f} s\n"
            )


def _write_stdout(text: str) -> None:
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:  # UTF-8 whatever the locale says
        sys.stdout.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def usage_error(parser: argparse.ArgumentParser, message: str) -> int:
    parser.print_usage(sys.stderr)
    sys.stderr.write(f"{parser.prog}: error: {message}\n")
    return 2


def find_or_usage_error(parser: argparse.ArgumentParser, args: argparse.Namespace) -> Found | int:
    """The inputs of a batch command, or exit status 2 when an argument is missing or nothing is found."""
    try:
        found = find_inputs(args.paths, args.glob)
    except FileNotFoundError as exc:
        return usage_error(parser, str(exc))
    if not found.files:
        where = f" matching --glob {args.glob!r}" if args.glob else ""
        skipped = f"; skipped {found.describe_skipped()}" if found.skipped else ""
        return usage_error(parser, f"no {', '.join(EXTENSIONS)} files found in the given paths{where}{skipped}")
    return found


def open_errors_file(parser: argparse.ArgumentParser, args: argparse.Namespace) -> IO[str] | int | None:
    if not args.errors:
        return None
    try:
        return open(args.errors, "w", encoding="utf-8", newline="\n")
    except OSError as exc:
        return usage_error(parser, f"cannot write {exc.filename}: {exc.strerror}")


def limits(args: argparse.Namespace) -> dict[str, Any]:
    """The ``run_in_workers`` keywords of the batch options."""
    return {"workers": args.jobs, "timeout": args.timeout or None, "max_memory_mb": args.max_memory or None}


def _cmd_parse(args: argparse.Namespace) -> int:
    parser: argparse.ArgumentParser = args.parser
    if args.resume and not args.output:
        return usage_error(parser, "--resume needs -o DIR (it compares against the files there)")
    found = find_or_usage_error(parser, args)
    if isinstance(found, int):
        return found
    try:
        inputs = collect_inputs(args.paths, args.glob, found=found)
    except ValueError as exc:
        return usage_error(parser, str(exc))
    to_stdout = not args.output and not args.jsonl
    if to_stdout and len(inputs) > 1:
        return usage_error(
            parser, f"{len(inputs)} input files: use -o DIR (one JSON file each) or --jsonl FILE|- (one line each)"
        )

    bad_roots = check_trust_roots(parser, args)
    if bad_roots is not None:
        return bad_roots
    out_dir = Path(args.output) if args.output else None
    todo = inputs
    if args.resume and out_dir is not None:
        todo = [i for i in inputs if not _up_to_date(i.path, out_dir / i.out)]
    up_to_date = len(inputs) - len(todo)

    try:
        jsonl = open(args.jsonl, "w", encoding="utf-8", newline="\n") if args.jsonl not in (None, "-") else None
    except OSError as exc:
        return usage_error(parser, f"cannot write {exc.filename}: {exc.strerror}")
    errors_file = open_errors_file(parser, args)
    if isinstance(errors_file, int):
        return errors_file
    ui = BatchUI(args, len(todo), errors_file)
    ui.skipped(found)
    from .batch import run_in_workers
    from .errors import NoticeError
    from .output import write_atomic

    try:
        outcomes = run_in_workers(
            [i.path for i in todo],
            _render_task,
            kwargs={
                "password": args.password,
                "ocr": args.ocr,
                "trust_roots": args.trust_roots,
                "include_text": not args.no_text,
                "pretty": out_dir is not None or to_stdout,
                "line": bool(args.jsonl),
            },
            **limits(args),
        )
        for item, outcome in zip(todo, outcomes, strict=True):
            value = outcome.value
            if isinstance(value, NoticeError):
                ui.fail(item.path, type(value).__name__, value.message, getattr(value, "traceback", None))
                continue
            try:
                if value.pretty is not None:
                    if out_dir is not None:
                        write_atomic(out_dir / item.out, value.pretty)
                    else:
                        _write_stdout(value.pretty)
                if value.line is not None:
                    if jsonl is not None:
                        jsonl.write(value.line + "\n")
                        jsonl.flush()  # a streamed file: readable while the batch runs
                    else:
                        _write_stdout(value.line + "\n")
            except BrokenPipeError:
                raise
            except OSError as exc:
                ui.fail(item.path, "OutputError", f"cannot write the output: {exc}")
            else:
                ui.ok(value.warnings)
    except KeyboardInterrupt:
        ui.clear()
        sys.stderr.write(f"{PROG}: interrupted after {ui.parsed + ui.failed} of {len(todo)} files\n")
        return 130
    except BrokenPipeError:
        # The reader of stdout went away (`| head`): stop quietly, without Python's own complaint.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    finally:
        for fh in (jsonl, errors_file):
            if fh is not None:
                fh.close()
        ui.clear()

    ui.summary(found, extra=f", {up_to_date} up to date" if args.resume else "")
    return 1 if ui.failed else 0


def add_batch_options(p: argparse.ArgumentParser) -> None:
    """The options every batch command shares with ``parse``: workers, limits, --glob, reporting."""
    from .batch import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT

    p.add_argument("-j", "--jobs", type=positive_int, metavar="N", help="worker processes (default: the usable CPUs)")
    p.add_argument(
        "--timeout",
        type=_non_negative_float,
        default=DEFAULT_TIMEOUT,
        metavar="S",
        help=f"seconds one file may take before its worker is stopped (default {DEFAULT_TIMEOUT:g}; 0: no limit)",
    )
    p.add_argument(
        "--max-memory",
        type=_non_negative_int,
        default=DEFAULT_MAX_MEMORY_MB,
        metavar="MB",
        help=f"memory one file may add to its worker, in MiB (address space; default {DEFAULT_MAX_MEMORY_MB}; 0: no limit)",
    )
    p.add_argument(
        "--glob",
        metavar="PATTERN",
        help="only files whose path relative to the folder given matches PATTERN ('*' crosses folders): "
        "'2026/*', '*2026*', '*.pdf'",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    p.add_argument("--debug", action="store_true", help="print the traceback of each failure")
    p.add_argument(
        "--errors",
        metavar="FILE",
        help='also write failures and skipped files to FILE as JSON lines {"path", "error", "message"}',
    )
    p.add_argument("--password", metavar="PW", help="password for encrypted PDFs (visible to other users in the process list)")
    p.add_argument(
        "--trust-roots", metavar="FILE.pem",
        help="root certificates (PEM) to check signed PDFs' signatures against ('trusted'); read offline",
    )
    p.add_argument(
        "--ocr",
        choices=("auto", "never", "always", "header"),
        default="auto",
        help="OCR (Tesseract) for PDF pages: 'auto' reads the pages without a usable text layer (scans, garbled"
        " fonts) and images; 'never' none; 'always' every page; 'header' only page 1 and the signature page"
        " of a scan, for its identity (a first pass over an archive) (default: auto)",
    )


def check_trust_roots(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int | None:
    """Exit status 2 when ``--trust-roots`` cannot be read, else None."""
    if args.trust_roots:
        from .readers.pdf_signatures import load_trust_roots

        try:
            load_trust_roots(args.trust_roots)
        except (OSError, ValueError) as exc:
            return usage_error(parser, f"--trust-roots: {exc}")
    return None


def _register_parse(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "parse",
        help="parse PDF, DOCX and text files into JSON records",
        description=(
            "Parse PDF, DOCX and text files into JSON records, each file in a worker process "
            f"under a time and memory limit. Folders are searched recursively for {', '.join(EXTENSIONS)} "
            "files (any letter case; hidden files and ~$ lock files ignored; other files are "
            "counted as skipped); a file named directly is parsed whatever its extension (the "
            "content decides the format). A quoted glob ('archive/**/*.pdf') works like a folder."
        ),
        epilog=(
            "One input and neither -o nor --jsonl: the JSON goes to stdout. "
            "Output names with -o DIR: a file named directly is written to DIR/<stem>.json; a file "
            "found in a folder mirrors its path below that folder (a/report.pdf -> DIR/a/report.json); "
            "when two inputs would get the same name (report.pdf and report.docx side by side), both "
            "keep their extension (DIR/report.pdf.json, DIR/report.docx.json). "
            "Exit status: 0 all parsed, 1 some failed, 2 usage error (including no files found)."
        ),
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, folders and quoted glob patterns to parse")
    p.add_argument("-o", "--output", metavar="DIR", help="write one JSON file per input below DIR")
    p.add_argument("--jsonl", metavar="FILE", help="write one JSON record per line to FILE ('-': stdout), in input order")
    add_batch_options(p)
    p.add_argument(
        "--no-text",
        action="store_true",
        help="leave the document text out of the records (spans still index into it; parse the file again to regenerate it)",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="with -o: skip inputs whose JSON exists, is newer than the input and has its sha256",
    )
    p.set_defaults(func=_cmd_parse, parser=p)


# -- schema ----------------------------------------------------------------------------------


def _cmd_schema(args: argparse.Namespace) -> int:
    if args.markdown:
        from .schema_docs import record_markdown

        _write_stdout(record_markdown())
        return 0
    from .model import Notice
    from .output import dumps_pretty

    _write_stdout(dumps_pretty(Notice.model_json_schema()))
    return 0


def _register_schema(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "schema",
        help="print the JSON Schema of a record",
        description="Print the JSON Schema of the records `parse` writes (every field described).",
    )
    p.add_argument("--markdown", action="store_true", help="print the field reference as Markdown (docs/record.md)")
    p.set_defaults(func=_cmd_schema, parser=p)


# -- wiring ----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Turn Vietnamese administrative-reform (CCHC) documents into typed JSON records.",
    )
    parser.add_argument("--version", action=_VersionAction, help="print the version and exit")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    _register_parse(subparsers)
    _register_schema(subparsers)
    import importlib

    for name in SUBCOMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # not written yet; a broken import inside it still surfaces
                continue
            raise
        register = getattr(module, "register", None)
        if callable(register):
            register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors: argparse's own status
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    func: Handler | None = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return 2
    return func(args)
