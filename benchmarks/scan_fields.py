"""Handwritten header fields on real scans: which recognizer reads them (issue 17).

usage: python benchmarks/scan_fields.py [--scans ../shared/scans] [--dpi 300]

For each ``sNN.pdf`` with ``sNN.gold.json``: page 1 is rendered, its header band OCRed by
Tesseract (``vie``) for the word boxes, the number and day fields located by
:func:`cchc_extract.readers.handwriting.locate_fields`, and each field read by:

* ``rapidocr``: the RapidOCR package's own pipeline (detection + recognition) on the field with
  its printed label, digits taken between the label and the slash / ``tháng``;
* ``tess-digits``: Tesseract with a digit whitelist (``--psm 7``) on the cleaned strokes;
* ``one``: the digit-masked PP-OCRv4 reading of one rendering of the cleaned strokes;
* ``vote``: :func:`~cchc_extract.readers.handwriting.read_digits` (nine renderings that vote,
  with its confidence rule: a rejected field counts as not read, never as wrong).

Prints one row per field and the totals (right / wrong / not read) with the time per field.
No image is written anywhere.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cchc_extract.readers import handwriting as hw  # noqa: E402


def header_words(image: Any, dpi: int) -> list[Any]:
    """Tesseract's words of an image (the OCR layer's ``ocr_image`` when it is installed)."""
    try:
        from cchc_extract.readers import ocr  # type: ignore[attr-defined]

        return list(ocr.ocr_image(image.convert("L"), dpi=dpi).words)
    except ImportError:
        pass
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class W:
        text: str
        x0: float
        top: float
        x1: float
        bottom: float
        conf: float
        line: tuple[int, int, int]

    buf = io.BytesIO()
    image.convert("L").save(buf, format="PPM")
    out = subprocess.run(
        ["tesseract", "-", "-", "-l", "vie", "--psm", "3", "--dpi", str(dpi), "tsv"],
        input=buf.getvalue(), capture_output=True, check=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    ).stdout.decode()
    words = []
    for row in out.splitlines()[1:]:
        c = row.split("\t")
        if len(c) >= 12 and c[0] == "5" and c[11].strip():
            x, y, w, h = (float(v) for v in c[6:10])
            words.append(W(c[11].strip(), x, y, x + w, y + h, float(c[10]) / 100, (int(c[2]), int(c[3]), int(c[4]))))
    return words


def gold_fields(gold: dict[str, Any]) -> dict[str, str]:
    raw = gold["number"]["raw"]
    day = re.match(r"ngày\s*(\d+)", gold["date"]["raw"])
    return {"number.seq": raw.split("/")[0], "date.day": day.group(1) if day else ""}


def rapidocr_reading(engine: Any, crop: Any, name: str) -> str:
    import numpy as np

    result, _ = engine(np.asarray(crop.convert("RGB")))
    text = " ".join(r[1] for r in sorted(result or [], key=lambda r: r[0][0][0]))
    if name == "number.seq":
        m = re.search(r"[:;]\s*(\d+)", text) or re.search(r"(\d+)\s*/", text)
    else:
        m = re.search(r"ng\S*?y\s*(\d+)", text)
    return m.group(1) if m else ""


def tess_digits(rgb: Any, line_height: float) -> str:
    from PIL import Image

    found = hw.ink_mask(rgb, line_height)
    if found is None:
        return ""
    img = Image.fromarray(hw.renderings(rgb, *found)[4])
    buf = io.BytesIO()
    img.convert("L").save(buf, format="PPM")
    out = subprocess.run(
        ["tesseract", "-", "-", "--psm", "7", "-l", "eng", "-c", "tessedit_char_whitelist=0123456789"],
        input=buf.getvalue(), capture_output=True, check=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    ).stdout.decode()
    return "".join(ch for ch in out if ch.isdigit())


def one_rendering(rgb: Any, line_height: float) -> str:
    found = hw.ink_mask(rgb, line_height)
    if found is None:
        return ""
    rec = hw.recognizer()
    img = hw.renderings(rgb, *found)[1]
    return "".join(d for d, _ in hw.digit_path(rec.probabilities(img), rec.digit_classes))


def field_rgb(image: Any, spot: hw.FieldSpot) -> Any:
    import numpy as np

    rgb = hw.field_crop(image, spot)
    return rgb if rgb is not None else np.full((8, 8, 3), 255, dtype=np.uint8)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scans", default=str(ROOT.parent / "shared" / "scans"))
    ap.add_argument("--dpi", type=int, default=300)
    ap.add_argument("--no-rapidocr", action="store_true", help="skip the RapidOCR package pipeline")
    a = ap.parse_args()
    import pypdfium2 as pdfium

    engine = None
    if not a.no_rapidocr:
        from rapidocr_onnxruntime import RapidOCR

        engine = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)
    methods = ["rapidocr", "tess-digits", "one", "vote"]
    tally: dict[str, Counter[str]] = {m: Counter() for m in methods}
    seconds: dict[str, float] = Counter()
    n_fields = 0
    for gold_path in sorted(Path(a.scans).glob("*.gold.json")):
        stem = gold_path.name.split(".")[0]
        gold = gold_fields(json.loads(gold_path.read_text(encoding="utf-8")))
        pdf = pdfium.PdfDocument(str(gold_path.with_name(f"{stem}.pdf")))
        page = pdf[0].render(scale=a.dpi / 72).to_pil().convert("RGB")
        band = page.crop((0, 0, page.width, int(page.height * 0.3)))
        t = time.perf_counter()
        words = header_words(band.resize((band.width // 2, band.height // 2)), a.dpi // 2)
        seconds["tesseract band"] += time.perf_counter() - t
        spots = [hw.FieldSpot(s.name, s.x0 * 2, s.x1 * 2, s.top * 2, s.bottom * 2, s.line_height * 2,
                              s.label_exact, s.end_exact, s.words) for s in hw.locate_fields(words)]
        for spot in spots:
            if spot.name not in gold:
                continue
            n_fields += 1
            want = gold[spot.name]
            rgb = field_rgb(band, spot)
            got: dict[str, str | None] = {}
            if engine is not None:
                with_label = band.crop((int(spot.x0 - (0 if not spot.label_exact else 3 * spot.line_height)),
                                        int(spot.top), int(spot.x1 + 3 * spot.line_height), int(spot.bottom)))
                t = time.perf_counter()
                got["rapidocr"] = rapidocr_reading(engine, with_label, spot.name)
                seconds["rapidocr"] += time.perf_counter() - t
            t = time.perf_counter()
            got["tess-digits"] = tess_digits(rgb, spot.line_height)
            seconds["tess-digits"] += time.perf_counter() - t
            t = time.perf_counter()
            got["one"] = one_rendering(rgb, spot.line_height)
            seconds["one"] += time.perf_counter() - t
            t = time.perf_counter()
            reading = hw.read_field(band, spot)
            seconds["vote"] += time.perf_counter() - t
            got["vote"] = reading.digits
            for m, value in got.items():
                tally[m]["not read" if value is None else "right" if value == want else "wrong"] += 1
            shown = "  ".join(f"{m}={v!r}" for m, v in got.items())
            print(f"{stem} {spot.name:<10} gold {want!r:6} {shown}  (vote confidence {reading.confidence:.2f}, "
                  f"candidate {reading.candidate!r})")
        pdf.close()
    print(f"\n{n_fields} fields")
    for m in methods:
        if not tally[m]:
            continue
        per = seconds[m] / max(n_fields, 1)
        print(f"{m:<12} right {tally[m]['right']:2}  wrong {tally[m]['wrong']:2}  not read {tally[m]['not read']:2}"
              f"   {per * 1000:6.0f} ms/field")
    print(f"tesseract header band (150 dpi): {seconds['tesseract band'] / 6 * 1000:.0f} ms/page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
