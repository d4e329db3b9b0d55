"""OCR benchmarks: accuracy against the referee by render resolution, and throughput with ``-j``.

Inputs are image-only PDFs made from the corpus PDFs by ``scripts/make_scans.py`` (variants
``dpi200``, ``dpi300``, ``skew300``), so nothing is downloaded and the gold is the corpus gold.

``accuracy``: for each scan variant and each render resolution (``--dpi``, repeatable) and
Tesseract language (``--lang``), every scan is parsed in this process with that setting; the
records are scored by ``../shared/eval/score.py`` against the gold of the same documents, next to
the score of the same documents' text-layer PDFs. Prints overall score, metadata accuracy and
OCR seconds per page (Tesseract's own time, median and total).

``throughput``: ``cchc-extract parse FOLDER -j N`` over one variant's scans (a subprocess, as a
user runs it): wall seconds, pages, OCR seconds per page (wall x workers / pages) and pages per
minute.

Usage::

    python benchmarks/ocr.py accuracy --dpi 200 --dpi 300 [--lang vie --lang vie+eng] [--variant dpi300]
    python benchmarks/ocr.py throughput -j 2 [--variant dpi300]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = Path(os.environ.get("CCHC_SHARED", ROOT.parent / "shared"))
"""The shared folder (referee and gold): ``../shared`` beside the checkout, or ``$CCHC_SHARED``."""
SCORER = SHARED / "eval" / "score.py"
GOLD = SHARED / "gold"

sys.path.insert(0, str(ROOT / "scripts"))
from make_scans import VARIANTS, make_scan  # noqa: E402


def corpus_pdfs(limit: int | None) -> list[Path]:
    pdfs = sorted(p for p in CORPUS.glob("*.pdf") if ".autonum" not in p.name)
    return pdfs[:limit] if limit else pdfs


def make_variant(name: str, pdfs: Sequence[Path], out: Path) -> list[Path]:
    made = []
    for pdf in pdfs:
        target = out / name / f"{pdf.stem}.pdf"
        if not target.exists():
            make_scan(pdf, target, VARIANTS[name])
        made.append(target)
    return made


def score(pred: Path, stems: Sequence[str]) -> dict[str, float]:
    """Referee figures for the predictions in ``pred`` against the gold of ``stems`` only."""
    with tempfile.TemporaryDirectory() as tmp:
        gold = Path(tmp)
        for stem in stems:
            (gold / f"{stem}.gold.json").symlink_to(GOLD / f"{stem}.gold.json")
        report = gold / "score.json"
        subprocess.run(
            [sys.executable, str(SCORER), "--pred", str(pred), "--gold", str(gold), "--json", str(report)],
            check=True, capture_output=True,
        )
        figures = json.loads(report.read_text(encoding="utf-8"))
    return {"overall": figures["overall"], "metadata": figures["metadata_accuracy"]}


def parse_to(paths: Sequence[Path], out: Path, ocr: str) -> None:
    """Parse ``paths`` in this process into ``out/<stem>.json`` (a file that fails is left out)."""
    from cchc_extract import NoticeError, parse_notice
    from cchc_extract.output import dumps_pretty, record_dict

    out.mkdir(parents=True, exist_ok=True)
    for path in paths:
        try:
            notice = parse_notice(path, ocr=ocr)  # type: ignore[arg-type]
        except NoticeError as exc:
            print(f"  {exc}", file=sys.stderr)
            continue
        (out / f"{path.stem}.json").write_text(dumps_pretty(record_dict(notice)), encoding="utf-8")


def cmd_accuracy(args: argparse.Namespace) -> int:
    if not SCORER.exists():
        print(f"{SCORER} not present: the accuracy run needs ../shared", file=sys.stderr)
        return 2
    from cchc_extract.readers import ocr, pdf

    pdfs = corpus_pdfs(args.docs)
    stems = [p.stem for p in pdfs]
    work = Path(args.work or tempfile.mkdtemp(prefix="ocr-bench-"))
    timings: list[float] = []
    original = pdf.ocr_page_data

    def timed(*a: object, **k: object) -> object:
        data = original(*a, **k)  # type: ignore[arg-type]
        if data.ocr is not None:
            timings.append(data.ocr.seconds)
        return data

    pdf.ocr_page_data = timed  # type: ignore[assignment]
    base = work / "pred" / "text-layer"
    parse_to(pdfs, base, ocr="never")
    ref = score(base, stems)
    print(f"documents: {len(pdfs)} ({sum(_pages(p) for p in pdfs)} pages); work folder {work}")
    print(f"{'input':<12}{'dpi':>5} {'lang':<9}{'overall':>8}{'metadata':>9}{'delta':>7}{'s/page':>8}{'total s':>9}")
    print(f"{'text layer':<12}{'-':>5} {'-':<9}{ref['overall']:8.3f}{ref['metadata']:9.3f}{'':>7}{'':>8}{'':>9}")
    for variant in args.variant or sorted(VARIANTS):
        scans = make_variant(variant, pdfs, work / "scans")
        for dpi in args.dpi or [ocr.DEFAULT_DPI]:
            for lang in args.lang or [ocr.OCR_LANG]:
                ocr.DEFAULT_DPI, ocr.OCR_LANG = dpi, lang
                timings.clear()
                out = work / "pred" / f"{variant}-{dpi}-{lang}"
                parse_to(scans, out, ocr="auto")
                got = score(out, stems)
                med = statistics.median(timings) if timings else float("nan")
                print(
                    f"{variant:<12}{dpi:>5} {lang:<9}{got['overall']:8.3f}{got['metadata']:9.3f}"
                    f"{got['overall'] - ref['overall']:+7.3f}{med:8.2f}{sum(timings):9.1f}",
                    flush=True,
                )
    return 0


def _pages(path: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


def cmd_throughput(args: argparse.Namespace) -> int:
    pdfs = corpus_pdfs(args.docs)
    work = Path(args.work or tempfile.mkdtemp(prefix="ocr-bench-"))
    scans = make_variant(args.variant or "dpi300", pdfs, work / "scans")
    pages = sum(_pages(p) for p in scans)
    exe = Path(sys.executable).with_name("cchc-extract")
    cmd = [str(exe), "parse", *map(str, scans), "-o", str(work / "throughput"), "-q", "-j", str(args.jobs),
           "--timeout", "0"]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=False)
    wall = time.perf_counter() - t0
    print(f"{len(scans)} documents, {pages} pages, -j {args.jobs}: {wall:.1f} s wall")
    print(f"OCR seconds per page (wall x workers / pages): {wall * args.jobs / pages:.2f}")
    print(f"pages per minute: {pages / wall * 60:.1f}")
    print(f"1,000 scanned pages at this rate: {1000 / (pages / wall) / 60:.0f} minutes")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    acc = sub.add_parser("accuracy", help="referee score by render dpi and language")
    acc.add_argument("--dpi", type=int, action="append", help="render resolution (repeatable)")
    acc.add_argument("--lang", action="append", help="Tesseract language(s), e.g. vie or vie+eng (repeatable)")
    acc.add_argument("--variant", action="append", choices=sorted(VARIANTS), help="scan variants (default: all)")
    acc.add_argument("--docs", type=int, help="only the first N corpus documents")
    acc.add_argument("--work", help="work folder (scans are kept and reused)")
    thr = sub.add_parser("throughput", help="pages per minute of the batch CLI")
    thr.add_argument("-j", "--jobs", type=int, default=2)
    thr.add_argument("--variant", choices=sorted(VARIANTS))
    thr.add_argument("--docs", type=int, help="only the first N corpus documents")
    thr.add_argument("--work", help="work folder (scans are kept and reused)")
    args = ap.parse_args(argv)
    return cmd_accuracy(args) if args.cmd == "accuracy" else cmd_throughput(args)


if __name__ == "__main__":
    raise SystemExit(main())
