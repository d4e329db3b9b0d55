"""Scan-like page images made in the repo for the OCR tests: print in a serif font, digits drawn
as slanted pen strokes, a red seal, a signing stamp. No real document is copied: the wording is
the project's own and every pixel is drawn here.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

SERIF_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu")

# Pen strokes of each digit in a unit box (x right, y down), as a clerk writes them: one or two
# polylines, the 1 with its flag, the 7 plain.
_STROKES: dict[str, list[list[tuple[float, float]]]] = {
    "0": [[(0.5, 0.0), (0.2, 0.15), (0.08, 0.5), (0.2, 0.88), (0.5, 1.0), (0.8, 0.88), (0.92, 0.5), (0.8, 0.12), (0.5, 0.0)]],
    "1": [[(0.25, 0.25), (0.6, 0.0), (0.6, 1.0)]],
    "2": [[(0.12, 0.22), (0.35, 0.02), (0.7, 0.02), (0.88, 0.25), (0.75, 0.5), (0.1, 1.0), (0.92, 1.0)]],
    "3": [[(0.12, 0.1), (0.5, 0.0), (0.85, 0.15), (0.8, 0.38), (0.45, 0.48), (0.85, 0.6), (0.9, 0.85), (0.55, 1.0), (0.1, 0.9)]],
    "4": [[(0.65, 1.0), (0.65, 0.0), (0.08, 0.68), (0.95, 0.68)]],
    "5": [[(0.85, 0.0), (0.25, 0.0), (0.18, 0.45), (0.55, 0.38), (0.88, 0.6), (0.85, 0.88), (0.5, 1.0), (0.12, 0.9)]],
    "6": [[(0.8, 0.05), (0.45, 0.05), (0.18, 0.45), (0.15, 0.8), (0.45, 1.0), (0.8, 0.85), (0.82, 0.6), (0.5, 0.48), (0.18, 0.62)]],
    "7": [[(0.1, 0.0), (0.9, 0.0), (0.4, 1.0)]],
    "8": [[(0.5, 0.48), (0.15, 0.3), (0.22, 0.05), (0.5, 0.0), (0.78, 0.08), (0.82, 0.3), (0.5, 0.48), (0.15, 0.7),
           (0.25, 0.95), (0.5, 1.0), (0.8, 0.92), (0.85, 0.7), (0.5, 0.48)]],
    "9": [[(0.82, 0.35), (0.5, 0.5), (0.2, 0.38), (0.22, 0.1), (0.5, 0.0), (0.8, 0.1), (0.82, 0.35), (0.75, 1.0)]],
}

PEN = (25, 30, 90)
"""Dark blue ballpoint ink."""
SEAL_RED = (225, 40, 50)


def serif_font(size: int, bold: bool = False) -> Any:
    """DejaVu Serif (Debian fonts-dejavu-core; it has the Vietnamese letters); skip without it."""
    from PIL import ImageFont

    name = "DejaVuSerif-Bold.ttf" if bold else "DejaVuSerif.ttf"
    for folder in SERIF_DIRS:
        path = Path(folder) / name
        if path.is_file():
            return ImageFont.truetype(str(path), size)
    pytest.skip("DejaVu Serif is not installed (Debian fonts-dejavu-core)")


def draw_digits(draw: Any, x: float, y: float, digits: str, height: float, slant: float = 0.25,
                width: int | None = None) -> float:
    """Pen-written digits with their top-left corner at (x, y); return the x after the last."""
    w = 0.55 * height
    pen = width or max(2, round(0.11 * height))
    for ch in digits:
        for stroke in _STROKES[ch]:
            pts = [(x + px * w + slant * (1 - py) * height, y + py * height) for px, py in stroke]
            draw.line(pts, fill=PEN, width=pen, joint="curve")
        x += w + 0.18 * height
    return x


def digit_strip(digits: str, height: int = 60) -> Any:
    """Just handwritten digits on white (an RGB array), as a cropped field would hold them."""
    import numpy as np
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (int(len(digits) * 0.9 * height + height), int(height * 1.8)), "white")
    draw_digits(ImageDraw.Draw(img), 0.3 * height, 0.4 * height, digits, height)
    return np.asarray(img)


def header_image(number: str, day: str, *, dpi: int = 200, seal: bool = False, stamp: bool = False,
                 issuer: tuple[str, str] = ("ỦY BAN NHÂN DÂN", "TỈNH ĐỒNG THÁP"),
                 place: str = "Đồng Tháp", month: str = "3", year: str = "2024",
                 type_line: str = "QUYẾT ĐỊNH", title: str = "Về việc kiện toàn tổ công tác cải cách hành chính",
                 touching_day: bool = False, page_height: float = 300.0) -> Any:
    """The top of an A4 decision as a scan shows it: two header columns, the number and date line
    with the handwritten number and day, the type line and the title. ``seal`` stamps a red ring
    with ring text over the issuer; ``stamp`` adds a signing stamp block at the top right."""
    from PIL import Image, ImageDraw

    scale = dpi / 72.0
    width, height = round(595 * scale), round(page_height * scale)
    img = Image.new("RGB", (width, height), "white")
    d = ImageDraw.Draw(img)
    f = serif_font(round(12.5 * scale))
    fb = serif_font(round(12.5 * scale), bold=True)
    fi = serif_font(round(13 * scale))

    def centre(text: str, cx: float, y: float, font: Any) -> tuple[float, float]:
        w = d.textlength(text, font=font)
        d.text((cx - w / 2, y), text, fill="black", font=font)
        return cx - w / 2, cx + w / 2

    left_c, right_c = 150 * scale, 405 * scale
    centre(issuer[0], left_c, 60 * scale, f)
    x0, x1 = centre(issuer[1], left_c, 76 * scale, fb)
    d.line([(left_c - 30 * scale, 94 * scale), (left_c + 30 * scale, 94 * scale)], fill="black", width=2)
    centre("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", right_c, 60 * scale, fb)
    centre("Độc lập - Tự do - Hạnh phúc", right_c, 76 * scale, fb)
    y = 104 * scale
    # "Số:" + pen + "/QĐ-UBND"
    label = "Số:"
    lx = left_c - 55 * scale
    d.text((lx, y), label, fill="black", font=f)
    hx = lx + d.textlength(label, font=f) + 8 * scale
    hx = draw_digits(d, hx, y - 3 * scale, number, 16 * scale) if number else hx + 30 * scale
    d.text((hx + 6 * scale, y), "/QĐ-UBND", fill="black", font=f)
    # "<place>, ngày" + pen + "tháng M năm YYYY"
    text = f"{place}, ngày"
    dx = right_c - 125 * scale
    d.text((dx, y), text, fill="black", font=fi)
    px = dx + d.textlength(text, font=fi) + (1 if touching_day else 8) * scale
    px = draw_digits(d, px, y - 3 * scale, day, 16 * scale) if day else px + 25 * scale
    d.text((px + 6 * scale, y), f"tháng {month} năm {year}", fill="black", font=fi)
    centre(type_line, width / 2, 140 * scale, serif_font(round(14 * scale), bold=True))
    centre(title, width / 2, 158 * scale, fb)
    body = serif_font(round(12 * scale))
    for k in range(int((page_height - 230) / 18)):
        d.text((70 * scale, (200 + 18 * k) * scale), "Căn cứ quy chế làm việc của cơ quan và đề nghị của phòng chuyên môn;",
               fill="black", font=body)
    if seal:
        draw_seal(img, (x0 + x1) / 2, 70 * scale, 42 * scale)
    if stamp:
        draw_stamp(img, width - 190 * scale, 6 * scale, scale)
    return img


def draw_seal(img: Any, cx: float, cy: float, r: float, ring_text: str = "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP") -> None:
    """A round red seal: two rings, a star and the ring text set around it, inked over the page
    (multiplied, as seal ink over print: black stays black)."""
    from PIL import Image, ImageChops

    layer = Image.new("RGB", img.size, "white")
    _seal_layer(layer, cx, cy, r, ring_text)
    img.paste(ImageChops.multiply(img.convert("RGB"), layer))


def _seal_layer(img: Any, cx: float, cy: float, r: float, ring_text: str) -> None:
    from PIL import Image, ImageDraw

    d = ImageDraw.Draw(img)
    w = max(2, round(r * 0.05))
    d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=SEAL_RED, width=w)
    d.ellipse([cx - 0.72 * r, cy - 0.72 * r, cx + 0.72 * r, cy + 0.72 * r], outline=SEAL_RED, width=w)
    star = [(cx + 0.35 * r * math.cos(math.radians(-90 + 72 * k * 2)), cy + 0.35 * r * math.sin(math.radians(-90 + 72 * k * 2)))
            for k in range(5)]
    d.polygon(star, fill=SEAL_RED)
    font = serif_font(max(8, round(r * 0.2)), bold=True)
    n = len(ring_text)
    for k, ch in enumerate(ring_text):
        angle = -200 + 220 * k / max(n - 1, 1)
        glyph = Image.new("RGBA", (round(r * 0.3), round(r * 0.3)), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((0, 0), ch, fill=SEAL_RED, font=font)
        glyph = glyph.rotate(-angle - 90, expand=True)
        gx = cx + 0.86 * r * math.cos(math.radians(angle)) - glyph.width / 2
        gy = cy + 0.86 * r * math.sin(math.radians(angle)) - glyph.height / 2
        img.paste(glyph, (round(gx), round(gy)), glyph)


def draw_stamp(img: Any, x: float, y: float, scale: float) -> None:
    """A signing-tool stamp block: signer, agency, signing time, e-mail and a timestamp."""
    from PIL import ImageDraw

    d = ImageDraw.Draw(img)
    f = serif_font(round(7 * scale))
    lines = ["Ký bởi: Ủy ban nhân dân tỉnh Đồng Tháp", "Cơ quan: Tỉnh Đồng Tháp",
             "Thời gian ký: 04/03/2024 09:15:02", "vanthu@dongthap.gov.vn", "04.03.2024 10:01:44 +07:00"]
    for k, line in enumerate(lines):
        d.text((x, y + k * 9 * scale), line, fill=(30, 30, 140), font=f)


def ocr_words(image: Any, dpi: int) -> list[Any]:
    """Tesseract's words of an image (skip without Tesseract ``vie``), read as the scan reader does."""
    import shutil

    if shutil.which("tesseract") is None:
        pytest.skip("Tesseract is not installed")
    ocr = pytest.importorskip("cchc_extract.readers.ocr")  # the OCR layer (issue 11)
    if not ocr.ocr_available():
        pytest.skip("Tesseract has no vie model")
    from cchc_extract.readers import scan_header

    return list(ocr.ocr_image(scan_header.seal_grey(image), dpi=dpi).words)


def signature_image(lines: tuple[str, ...] = ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), name: str = "Lê Văn Bình",
                    recipients: tuple[str, ...] = ("- Như Điều 3;", "- Sở Nội vụ;", "- Lưu: VT, NC."),
                    dpi: int = 200, seal: bool = True) -> Any:
    """The foot of a decision's last page: the final article, ``Nơi nhận:`` and its list on the
    left, the signing block on the right with a pen signature and the red seal over it."""
    from PIL import Image, ImageDraw

    scale = dpi / 72.0
    width, height = round(595 * scale), round(842 * scale)
    img = Image.new("RGB", (width, height), "white")
    d = ImageDraw.Draw(img)
    f = serif_font(round(13 * scale))
    fb = serif_font(round(12.5 * scale), bold=True)
    fs = serif_font(round(10 * scale))
    y = 480 * scale
    d.text((70 * scale, y), "Điều 3. Quyết định này có hiệu lực kể từ ngày ký./.", fill="black", font=f)
    y += 40 * scale
    d.text((70 * scale, y), "Nơi nhận:", fill="black", font=serif_font(round(11 * scale), bold=True))
    for k, r in enumerate(recipients):
        d.text((70 * scale, y + (16 + 13 * k) * scale), r, fill="black", font=fs)
    cx = 420 * scale
    for k, line in enumerate(lines):
        w = d.textlength(line, font=fb)
        d.text((cx - w / 2, y + 16 * k * scale), line, fill="black", font=fb)
    ny = y + (16 * len(lines) + 60) * scale
    d.line([(cx - 50 * scale, ny - 30 * scale), (cx - 10 * scale, ny - 45 * scale), (cx + 20 * scale, ny - 25 * scale),
            (cx + 60 * scale, ny - 50 * scale)], fill=(20, 30, 120), width=max(2, round(1.5 * scale)))
    w = d.textlength(name, font=fb)
    d.text((cx - w / 2, ny), name, fill="black", font=fb)
    if seal:
        draw_seal(img, cx - 60 * scale, y + 45 * scale, 55 * scale)
    return img


def scan_pdf(path: Path, pages: list[Any], dpi: int = 200) -> Path:
    """An image-only PDF of the given page images (what a scanner produces)."""
    first, *rest = [p.convert("RGB") for p in pages]
    first.save(path, save_all=True, append_images=rest, resolution=float(dpi))
    return path
