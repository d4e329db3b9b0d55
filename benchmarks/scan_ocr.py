"""Printed header and signature block OCR on real scans: grey conversion and resolution (issue 17).

usage: python benchmarks/scan_ocr.py [--scans ../shared/scans]

Each scan's page 1 header band (top 30 %) and its signature band (the rows around the red seal
of the signature page, full width) are rendered and OCRed by Tesseract ``vie`` with three ways
of turning colour into grey:

* ``luma``: the usual grey (the red seal prints as mid grey over the signature block);
* ``red``: the red channel (red seal ink turns white, black and blue ink stay dark);
* ``max``: the brightest channel (red and blue ink both turn white, black stays);
* ``printed_ink``: :func:`cchc_extract.readers.ocr.printed_ink`, every coloured pixel made white;
* ``seal_grey``: :func:`cchc_extract.readers.scan_header.seal_grey`, the red channel with bright
  red made white (what ``--ocr header`` uses).

A band scores one point per gold string found verbatim in its OCR text (NFC, whitespace
collapsed): in the header the issuer lines and the title, in the signature band every line of
the signer's block. Prints the points and the OCR seconds per band for each conversion and dpi.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def ocr_text(gray: Any, dpi: int) -> str:
    buf = io.BytesIO()
    gray.save(buf, format="PPM")
    out = subprocess.run(
        ["tesseract", "-", "-", "-l", "vie", "--psm", "3", "--dpi", str(dpi)],
        input=buf.getvalue(), capture_output=True, check=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    ).stdout.decode()
    return norm(out)


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def grays(rgb: Any) -> dict[str, Any]:
    import numpy as np
    from PIL import Image

    from cchc_extract.readers.ocr import printed_ink
    from cchc_extract.readers.scan_header import seal_grey

    a = np.asarray(rgb)
    return {
        "luma": rgb.convert("L"),
        "red": Image.fromarray(np.ascontiguousarray(a[..., 0])),
        "max": Image.fromarray(a.max(axis=2)),
        "printed_ink": printed_ink(rgb)[0],
        "seal_grey": seal_grey(rgb),
    }


def seal_rows(rgb: Any) -> tuple[int, int] | None:
    import numpy as np

    a = np.asarray(rgb).astype(np.int16)
    red = (a[..., 0] - np.maximum(a[..., 1], a[..., 2])) > 60
    rows = np.flatnonzero(red.sum(axis=1) > 3)
    return (int(rows.min()), int(rows.max())) if len(rows) else None


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scans", default=str(ROOT.parent / "shared" / "scans"))
    ap.add_argument("--dpi", type=int, nargs="+", default=[150, 200, 300])
    a = ap.parse_args()
    import pypdfium2 as pdfium

    points: Counter[tuple[str, str, int]] = Counter()
    totals: Counter[str] = Counter()
    seconds: Counter[tuple[str, int]] = Counter()
    bands: Counter[tuple[str, int]] = Counter()
    for gold_path in sorted(Path(a.scans).glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        stem = gold_path.name.split(".")[0]
        issuer = [x for x in (gold["issuer"].get("parent"), gold["issuer"]["name"]) if x]
        want = {"header": [norm(x) for x in [*issuer, gold["title"]]],
                "signature": [norm(x) for x in gold["signer"]["lines"]]}
        totals["header"] += len(want["header"])
        totals["signature"] += len(want["signature"])
        pdf = pdfium.PdfDocument(str(gold_path.with_name(f"{stem}.pdf")))
        for dpi in a.dpi:
            pages = [pdf[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(len(pdf))]
            # the signature page: the page with the most red (the seal), blank back pages aside
            sig = max(pages, key=lambda p: _red_share(p))
            rows = seal_rows(sig)
            h = sig.height
            y0, y1 = (max(0, rows[0] - int(0.12 * h)), min(h, rows[1] + int(0.06 * h))) if rows else (h // 2, h)
            crops = {"header": pages[0].crop((0, 0, pages[0].width, int(0.3 * pages[0].height))),
                     "signature": sig.crop((0, y0, sig.width, y1))}
            for band, rgb in crops.items():
                for conv, gray in grays(rgb).items():
                    t = time.perf_counter()
                    text = ocr_text(gray, dpi)
                    seconds[(conv, dpi)] += time.perf_counter() - t
                    bands[(conv, dpi)] += 1
                    found = sum(1 for s in want[band] if s in text)
                    points[(band, conv, dpi)] += found
        pdf.close()
    print(f"gold strings: header {totals['header']}, signature {totals['signature']}")
    print(f"{'grey':<12}{'dpi':>5}{'header':>9}{'signature':>11}{'s/band':>9}")
    for dpi in a.dpi:
        for conv in ("luma", "red", "max", "printed_ink", "seal_grey"):
            per = seconds[(conv, dpi)] / max(bands[(conv, dpi)], 1)
            print(f"{conv:<12}{dpi:>5}{points[('header', conv, dpi)]:>9}{points[('signature', conv, dpi)]:>11}{per:>9.2f}")
    return 0


def _red_share(rgb: Any) -> float:
    import numpy as np

    a = np.asarray(rgb.resize((rgb.width // 8, rgb.height // 8))).astype(np.int16)
    return float(((a[..., 0] - np.maximum(a[..., 1], a[..., 2])) > 60).mean())


if __name__ == "__main__":
    sys.exit(main())
