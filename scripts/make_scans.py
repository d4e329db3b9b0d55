"""Make image-only PDFs ("scans") from text-layer PDFs, to test and measure the OCR path.

Every page is rendered to a greyscale image with pypdfium2 and written back as a PDF page that
holds only that image (JPEG, as office scanners write them): no text layer, no vector rules.
A variant may tilt the page by a small angle and sprinkle noise (dust specks and grain), as a
sheet fed slightly askew through a scanner does.

Variants (``--variant``, repeatable; default: all three)::

    dpi200    200 dpi, straight, clean
    dpi300    300 dpi, straight, clean
    skew300   300 dpi, tilted 0.8 degree, dust specks (0.02 % of the page) and light grain

Each variant goes to ``OUT/<variant>/<input stem>.pdf``, so a folder of predictions made from it
matches the gold stems of the referee.

Usage::

    python scripts/make_scans.py corpus/001_41fd4556a725f6fe.pdf --out /tmp/scans [--variant dpi200]
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageFilter


@dataclass(frozen=True)
class Variant:
    dpi: int
    skew: float = 0.0
    """Degrees, counter-clockwise."""
    noise: float = 0.0
    """Share of pixels turned into dark specks (grain is added alongside)."""


VARIANTS = {
    "dpi200": Variant(200),
    "dpi300": Variant(300),
    "skew300": Variant(300, skew=0.8, noise=0.0002),
}


def render_pages(pdf_path: Path, dpi: int) -> Iterator[Image.Image]:
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            try:
                yield page.render(scale=dpi / 72, grayscale=True, draw_annots=True).to_pil().convert("L")
            finally:
                page.close()
    finally:
        pdf.close()


def degrade(image: Image.Image, variant: Variant, rng: random.Random) -> Image.Image:
    """Tilt and add noise the way a flatbed or sheet-fed scanner does."""
    if variant.skew:
        image = image.rotate(variant.skew, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    if variant.noise:
        width, height = image.size
        pixels = image.load()
        assert pixels is not None
        for _ in range(int(width * height * variant.noise)):
            x, y = rng.randrange(1, width - 1), rng.randrange(1, height - 1)
            shade = rng.randrange(0, 120)
            for dx, dy in ((0, 0), (1, 0), (0, 1), (1, 1)):
                pixels[x + dx, y + dy] = shade
        grain = Image.effect_noise((width, height), 12).convert("L")
        image = Image.blend(image, grain, 0.05).filter(ImageFilter.GaussianBlur(0.3))
    return image


def make_scan(pdf_path: Path, out_path: Path, variant: Variant, *, seed: int = 0) -> int:
    """Write the image-only copy of ``pdf_path``; return its page count."""
    rng = random.Random(seed)
    pages = [degrade(img, variant, rng) for img in render_pages(pdf_path, variant.dpi)]
    if not pages:
        raise ValueError(f"{pdf_path}: no pages")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    pages[0].save(
        out_path, "PDF", resolution=float(variant.dpi), save_all=True, append_images=pages[1:], quality=85
    )
    return len(pages)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdfs", nargs="+", type=Path, help="text-layer PDFs")
    ap.add_argument("--out", type=Path, required=True, help="output folder (one sub-folder per variant)")
    ap.add_argument("--variant", action="append", choices=sorted(VARIANTS), help="variants to make (default: all)")
    args = ap.parse_args(argv)
    for name in args.variant or sorted(VARIANTS):
        for pdf in args.pdfs:
            target = args.out / name / f"{pdf.stem}.pdf"
            n = make_scan(pdf, target, VARIANTS[name])
            print(f"{target}: {n} pages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
