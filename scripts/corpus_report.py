#!/usr/bin/env python3
"""Parse a folder of real documents and report, per field, how often the parser found it.

    python scripts/corpus_report.py ../shared/corpus-real/
    python scripts/corpus_report.py ../shared/corpus-real/ --missing number,date   # list the misses
    python scripts/corpus_report.py DIR --dump values.jsonl                        # found values, to check by eye

No gold is needed: the report is a recall proxy for unlabelled documents. For the document number
and the issue date it also counts the documents that visibly print one (a ``Số:`` label before a
``/`` in the first lines, a ``<place>, ngày … tháng … năm YYYY`` line near the top), so that
"found in 95% of the documents that print it" can be checked; the other fields are shares of all
parsed documents (findings of notices, KPIs of reports). Parse failures and the slowest files are
listed at the end. Precision is not measured here: sample the ``--dump`` values by eye.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cchc_extract import NoticeError, parse_notice  # noqa: E402
from cchc_extract.model import Notice  # noqa: E402

SUFFIXES = (".txt", ".md", ".pdf", ".docx")
# What "the document prints it" means, read off the text independently of the parser's rules:
# a "Số:" label followed within a few characters (or on the next line) by a "/" (a blank sequence
# counts), and a place-date line "<place>, ngày … tháng … năm YYYY" (blanks allowed), with the
# Markdown emphasis marks taken out first ("ng**ày").
_PRINTS_NUMBER = regex.compile(r"(?m)(?:^[\W_]{0,6}Số\s*:?|[|_-]\s*Số\s*:)[ \t]*\n?[^\n/]{0,24}/\s*[\p{L}\d]")
_PRINTS_DATE = regex.compile(r",[\s*_]*ngày[\s\d.…_*]{0,24}tháng[\s\d.…_*]{0,24}năm[\s*_]*\d{4}")
_HEAD_CHARS = 3000

FIELDS = ("number", "date", "place", "type", "title", "issuer", "signer", "recipients", "sections",
          "findings (TB)", "kpis (BC)")


@dataclass
class DocResult:
    path: Path
    seconds: float
    record: Notice | None = None
    error: str | None = None
    prints: dict[str, bool] = field(default_factory=dict)
    found: dict[str, bool | None] = field(default_factory=dict)
    """None: the field does not apply to this document (findings of a non-notice)."""


def found_fields(rec: Notice) -> dict[str, bool | None]:
    code = rec.doc_type.code if rec.doc_type else None
    return {
        "number": rec.number is not None,
        "date": rec.date is not None,
        "place": bool(rec.place),
        "type": rec.doc_type is not None,
        "title": bool(rec.title),
        "issuer": rec.issuer is not None,
        "signer": bool(rec.signer and rec.signer.name),
        "recipients": bool(rec.recipients),
        "sections": bool(rec.sections),
        "findings (TB)": bool(rec.findings) if code == "TB" else None,
        "kpis (BC)": bool(rec.kpis) if code == "BC" else None,
    }


def parse_one(path: Path) -> DocResult:
    t0 = time.perf_counter()
    try:
        rec = parse_notice(path)
    except NoticeError as exc:
        return DocResult(path, time.perf_counter() - t0, error=f"{type(exc).__name__}: {exc}")
    except Exception as exc:  # a report lists every crash, it does not stop at one
        return DocResult(path, time.perf_counter() - t0, error=f"CRASH {type(exc).__name__}: {exc}")
    res = DocResult(path, time.perf_counter() - t0, record=rec)
    head = rec.text[:_HEAD_CHARS]
    if path.suffix.lower() in (".txt", ".md"):
        # The file as written (Markdown marks and all), so that a normalizer bug cannot hide a print.
        head = path.read_text(encoding="utf-8", errors="replace")[:_HEAD_CHARS]
    head = head.replace("*", "")
    res.prints = {"number": bool(_PRINTS_NUMBER.search(head)), "date": bool(_PRINTS_DATE.search(head))}
    res.found = found_fields(rec)
    return res


def dump_values(rec: Notice) -> dict[str, Any]:
    s = rec.signer
    return {
        "path": rec.source.path,
        "doc_type": rec.doc_type.model_dump() if rec.doc_type else None,
        "number": rec.number.raw if rec.number else None,
        "place": rec.place,
        "date": rec.date.raw if rec.date else None,
        "iso": rec.date.iso if rec.date else None,
        "title": rec.title,
        "issuer": rec.issuer.model_dump() if rec.issuer else None,
        "period": rec.period.raw if rec.period else None,
        "signer": {"name": s.name, "position": s.position, "authority": s.authority} if s else None,
        "recipients": rec.recipients,
        "inspection": rec.inspection.model_dump() if rec.inspection else None,
    }


def report(results: list[DocResult], slowest: int, missing: list[str]) -> str:
    ok = [r for r in results if r.record is not None]
    out = [f"documents: {len(results)} parsed: {len(ok)} failed: {len(results) - len(ok)}", ""]
    out.append(f"{'field':<16}{'found':>7}{'of':>6}{'share':>8}   {'of printing':>12}")
    for name in FIELDS:
        applies = [r for r in ok if r.found.get(name) is not None]
        hit = sum(1 for r in applies if r.found[name])
        share = hit / len(applies) if applies else 0.0
        extra = ""
        if name in ("number", "date"):
            printing = [r for r in ok if r.prints.get(name)]
            phit = sum(1 for r in printing if r.found[name])
            extra = f"{phit:>5}/{len(printing):<5}{(phit / len(printing) if printing else 0):6.1%}"
        out.append(f"{name:<16}{hit:>7}{len(applies):>6}{share:>8.1%}   {extra}")
    failures = [r for r in results if r.error]
    if failures:
        out += ["", "parse failures:"] + [f"  {r.path.name}: {r.error}" for r in failures]
    out += ["", f"slowest {slowest}:"]
    for r in sorted(results, key=lambda r: -r.seconds)[:slowest]:
        out.append(f"  {r.seconds:7.3f} s  {r.path.name}")
    total = sum(r.seconds for r in results)
    out.append(f"  total {total:.1f} s, mean {total / max(1, len(results)):.3f} s per file")
    for name in missing:
        miss = [r for r in ok if r.found.get(name) is False
                and (name not in ("number", "date") or r.prints.get(name))]
        out += ["", f"missing {name} ({len(miss)}):"] + [f"  {r.path.name}" for r in miss]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+", type=Path, help="folders (searched for .txt/.md/.pdf/.docx) or files")
    ap.add_argument("--slowest", type=int, default=5, help="how many of the slowest files to list")
    ap.add_argument("--missing", default="", help="comma-separated fields whose misses to list")
    ap.add_argument("--dump", type=Path, help="write the found header/foot values as JSON lines")
    args = ap.parse_args(argv)
    files: list[Path] = []
    for p in args.paths:
        if p.is_dir():
            files += sorted(f for f in p.iterdir() if f.suffix.lower() in SUFFIXES and not f.stem.upper().startswith("README"))
        else:
            files.append(p)
    results = [parse_one(f) for f in files]
    missing = [m.strip() for m in args.missing.split(",") if m.strip()]
    unknown = [m for m in missing if m not in FIELDS]
    if unknown:
        ap.error(f"unknown field(s) {unknown}; fields: {', '.join(FIELDS)}")
    print(report(results, args.slowest, missing))
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as fh:
            for r in results:
                if r.record is not None:
                    fh.write(json.dumps(dump_values(r.record), ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
