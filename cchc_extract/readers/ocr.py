"""OCR: page images -> words with boxes and confidences -> the PDF reader's page geometry.

Tesseract (Debian ``tesseract-ocr`` + ``tesseract-ocr-vie``) is run as a command with TSV output,
one process per page image, single-threaded (``OMP_THREAD_LIMIT=1``: batch workers are the
parallelism, and Tesseract's own threads only fight them for the cores). The image goes in on
standard input as PGM, the TSV comes back on standard output: no temporary files.

The layers, each usable on its own (the ``--ocr header`` mode of a later change reuses them):

* :func:`ocr_image`: one greyscale image -> :class:`OcrImage` (words in pixels, confidence 0-1,
  Tesseract's block/paragraph/line of each word, the page's skew angle);
* :func:`ocr_chars`: an :class:`OcrImage` -> :class:`~.layout.Char` objects in PDF points, one per
  word, deskewed, with a common baseline and font size per text line, so that
  :func:`~.layout.build_lines` and the rest of the PDF reader's geometry (header and signature
  columns, wrapped lines, page furniture) treat OCR text exactly like a text layer;
* :func:`image_rules`: the ruled lines of a page image as :class:`~.layout.HEdge` /
  :class:`~.layout.VEdge` in points, so ruled tables are found by the same
  :func:`~.layout.find_grids`;
* :func:`render_pdf_page` and :func:`open_images` produce the images (PDF pages, JPEG/PNG/TIFF).

Digits are where OCR goes wrong: :class:`OcrImage` keeps every word's confidence, and
:attr:`OcrPageInfo.uncertain` lists the words holding digits that were read with a confidence
below :data:`DIGIT_MIN_CONFIDENCE`; the pipeline flags (and never completes) such numbers.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import math
import os
import re
import shutil
import statistics
import subprocess
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args

from ..document import OcrPageInfo
from ..errors import DocumentTooLargeError, OcrUnavailableError, UnreadableDocumentError
from .layout import Char, HEdge, VEdge

if TYPE_CHECKING:
    from PIL.Image import Image

OcrMode = Literal["auto", "never", "always", "header"]
"""``auto``: OCR the pages without a usable text layer; ``never``; ``always``: every page."""
OCR_MODES: tuple[str, ...] = get_args(OcrMode)

DEFAULT_DPI = 300
"""Resolution PDF pages are rendered at for OCR (see benchmarks/README.md for the measurements)."""
OCR_LANG = "vie"
PAGE_TIMEOUT = 300.0
"""Seconds Tesseract may spend on one page before the document is given up."""
DIGIT_MIN_CONFIDENCE = 0.80
"""A word holding digits read with less confidence than this is reported as uncertain."""
DIGIT_BLANK_CONFIDENCE = 0.65
"""Below this, a number's sequence or a date's part read by OCR is left blank, not guessed:
print read at 0.65-0.80 is nearly always right (and flagged), below it digits are guesses
(a handwritten "13" read as "12" at 0.75 was seen only before coloured ink was removed)."""
INSTALL_HINT = "install Debian's tesseract-ocr and tesseract-ocr-vie packages (apt-get install tesseract-ocr tesseract-ocr-vie)"
MAX_IMAGE_PIXELS = 120_000_000
"""An image input larger than this (a 600 dpi A0 sheet) is refused before it is decoded."""

_SIZE_FROM_HEIGHT = 1.15
"""Font size (pt) per point of the median word height of a line (Vietnamese diacritics included)."""
_SIZE_SNAP = (0.8, 1.25)
"""Line sizes within these ratios of the page's median size are the body size (OCR jitter)."""
COLOUR_CHROMA = 60
"""Max - min channel difference above which a pixel is coloured ink (seal, pen), not print."""
COLOUR_MIN_SHARE = 0.0001
"""Share of a page in coloured ink from which the page is reported as carrying some."""
MIN_SKEW_DEGREES = 0.25
_MIN_RULE_PT = 15.0
"""Shortest dark run taken as a ruled line: longer than any glyph stroke of body text."""


def check_mode(ocr: str) -> OcrMode:
    """Validate an ``ocr`` option value."""
    if ocr not in OCR_MODES:
        raise ValueError(f"ocr must be one of {', '.join(OCR_MODES)}; got {ocr!r}")
    return ocr  # type: ignore[return-value]


# --- Tesseract ---------------------------------------------------------------------------------


@functools.cache
def _tesseract_langs(exe: str) -> frozenset[str]:
    proc = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=60, check=False)
    return frozenset(line.strip() for line in proc.stdout.splitlines()[1:] if line.strip())


def tesseract(lang: str | None = None) -> str:
    """Path of the ``tesseract`` command, checked to have ``lang``; raise :class:`OcrUnavailableError`."""
    lang = lang or OCR_LANG
    exe = shutil.which("tesseract")
    if exe is None:
        raise OcrUnavailableError(None, f"Tesseract OCR is not installed: {INSTALL_HINT}")
    missing = [code for code in lang.split("+") if code not in _tesseract_langs(exe)]
    if missing:
        raise OcrUnavailableError(
            None, f"Tesseract has no {'+'.join(missing)} language model: {INSTALL_HINT}"
        )
    return exe


def ocr_available(lang: str | None = None) -> bool:
    try:
        tesseract(lang)
    except OcrUnavailableError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class OcrWord:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    """Box in pixels of the image that was read (origin top-left)."""
    conf: float
    """Tesseract's word confidence, 0-1."""
    line: tuple[int, int, int]
    """Tesseract's (block, paragraph, line) numbers: the words of one text line share it."""


@dataclass
class OcrImage:
    """What Tesseract read on one image."""

    words: list[OcrWord]
    width: int
    height: int
    dpi: float
    seconds: float
    angle: float = 0.0
    """Skew found and corrected before reading, in radians (positive: lines ran down to the right)."""
    image: Image | None = None
    """The (straightened) greyscale image that was read: word boxes are its pixels."""
    colour: float = 0.0
    """Share of the page in coloured ink (seal, signature, handwriting), removed before reading."""

    @property
    def confidence(self) -> float | None:
        """Mean word confidence weighted by word length, or None without words."""
        total = sum(len(w.text) for w in self.words)
        if not total:
            return None
        return sum(w.conf * len(w.text) for w in self.words) / total


def parse_tsv(tsv: str) -> list[OcrWord]:
    """Words of Tesseract's TSV output (level 5 rows with text).

    >>> parse_tsv("level\\tpage_num\\tblock_num\\tpar_num\\tline_num\\tword_num\\tleft\\ttop\\twidth\\theight\\tconf\\ttext\\n"
    ...           "5\\t1\\t1\\t1\\t1\\t1\\t10\\t20\\t30\\t12\\t96.5\\tSố")
    [OcrWord(text='Số', x0=10.0, top=20.0, x1=40.0, bottom=32.0, conf=0.965, line=(1, 1, 1))]
    """
    words: list[OcrWord] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        if not text:
            continue
        try:
            left, top, width, height = (float(c) for c in cols[6:10])
            conf = max(0.0, float(cols[10])) / 100.0
            key = (int(cols[2]), int(cols[3]), int(cols[4]))
        except ValueError:
            continue
        words.append(OcrWord(text, left, top, left + width, top + height, conf, key))
    return words


def ocr_image(
    image: Image,
    *,
    dpi: float,
    lang: str | None = None,
    psm: int = 3,
    config: Sequence[str] = (),
    timeout: float = PAGE_TIMEOUT,
    deskew: bool = True,
    despeckle: bool = True,
) -> OcrImage:
    """Run Tesseract on one image; return its words with boxes and confidences.

    ``config`` adds ``-c name=value`` settings (e.g. ``tessedit_char_whitelist=0123456789``).
    With ``deskew`` a tilted page is turned straight first (:func:`image_skew`); the word boxes
    are those of the straightened image (``OcrImage.image``), which has the original's size.
    With ``despeckle`` a 3x3 median filter first removes dust specks, which Tesseract otherwise
    reads as stray punctuation glued to words ("Số: /TB-ĐKT.", ": Đại Sơn"); on a clean page it
    changes nothing that is read (benchmarks/README.md).
    Raises :class:`OcrUnavailableError` without Tesseract or its ``lang`` model, and
    :class:`UnreadableDocumentError` when Tesseract fails or runs out of time (no path: the
    caller names the file).
    """
    lang = lang or OCR_LANG
    exe = tesseract(lang)
    gray, colour = printed_ink(image)
    angle = image_skew(gray) if deskew else 0.0
    if angle:
        from PIL import Image as PILImage

        gray = gray.rotate(math.degrees(angle), resample=PILImage.Resampling.BICUBIC, fillcolor=255)
    if despeckle:
        from PIL import ImageFilter

        gray = gray.filter(ImageFilter.MedianFilter(3))
    buf = io.BytesIO()
    gray.save(buf, format="PPM")  # binary PGM for mode L: a header and the raw bytes
    cmd = [exe, "-", "-", "-l", lang, "--psm", str(psm), "--dpi", str(round(dpi))]
    for setting in config:
        cmd += ["-c", setting]
    cmd.append("tsv")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, input=buf.getvalue(), capture_output=True, timeout=timeout, env=env, check=False)
    except subprocess.TimeoutExpired as exc:
        raise UnreadableDocumentError(None, f"OCR of a page took more than {timeout:g} s") from exc
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise UnreadableDocumentError(None, f"Tesseract failed (exit {proc.returncode}): {tail[0]}")
    words = parse_tsv(proc.stdout.decode("utf-8", "replace"))
    return OcrImage(words, gray.width, gray.height, dpi, seconds, angle, gray, colour)


def image_skew(image: Image) -> float:
    """The skew of a page image's text lines in radians (positive: lines run down to the right).

    Projection profiles: the dark pixels of a reduced image are projected onto the vertical
    along each candidate slope; text lines give the sharpest profile (largest sum of squared
    row counts) when the slope is theirs. Coarse steps of 0.1 degree over +-3 degrees, then
    0.02 degree steps around the best. Below :data:`MIN_SKEW_DEGREES` the page is taken as
    straight (the measure's own noise, and harmless: a few tenths of a point across a line).
    """
    import numpy as np

    gray = image if image.mode == "L" else image.convert("L")
    factor = max(1, round(min(gray.size) / 1200))
    small = np.asarray(gray.reduce(factor)) < 128
    ys, xs = np.nonzero(small)
    if len(xs) < 500:
        return 0.0
    if len(xs) > 200_000:
        keep = np.random.default_rng(0).choice(len(xs), 200_000, replace=False)
        xs, ys = xs[keep], ys[keep]
    xs = xs.astype(np.float64) - small.shape[1] / 2
    ys = ys.astype(np.float64)

    def sharpness(theta: float) -> float:
        rows = np.round(ys - xs * math.tan(theta)).astype(np.int64)
        counts = np.bincount(rows - rows.min())
        return float(np.dot(counts, counts))

    best = max((math.radians(d / 10) for d in range(-30, 31)), key=sharpness)
    best = max((best + math.radians(d / 50) for d in range(-5, 6)), key=sharpness)
    return best if abs(best) >= math.radians(MIN_SKEW_DEGREES) else 0.0


# --- words -> chars in points ------------------------------------------------------------------


def _is_noise(w: OcrWord) -> bool:
    # Specks, seal and signature strokes and table rules come back as lone punctuation or a
    # letter or two read with (next to) no confidence.
    if not any(ch.isalnum() for ch in w.text):
        return w.conf < 0.5 or w.text in {"|", "||", "[", "]", "_"}
    return w.conf < 0.3 and (len(w.text) <= 2 or not w.text.isalpha())


def _noise_row(row: list[OcrWord]) -> bool:
    """A row read with little confidence, or made only of stray marks ("P =" from a seal's ring):
    no word of two letters or digits, and some mark that is neither a number nor a bullet."""
    if statistics.fmean(w.conf for w in row) < 0.5:
        return True
    if any(sum(ch.isalnum() for ch in w.text) >= 2 for w in row):
        return False
    return any(not any(ch.isdigit() for ch in w.text) and w.text not in _BULLETS for w in row)


_BULLETS = frozenset("-+–•*")


def _drop_specks(row: list[OcrWord]) -> list[OcrWord]:
    """Marks far smaller than the row's words ("P", "=" read from a seal's ring), and "dashes"
    as tall as letters (what is left of an erased pen stroke); real bullets and dashes kept."""
    height = statistics.median(w.bottom - w.top for w in row)

    def keep(w: OcrWord) -> bool:
        h = w.bottom - w.top
        if w.text in _BULLETS:
            return h <= 0.35 * height or w.conf >= 0.8
        return sum(ch.isalnum() for ch in w.text) >= 2 or h >= 0.4 * height

    return [w for w in row if keep(w)]


def ocr_chars(result: OcrImage) -> list[Char]:
    """The words of ``result`` as one :class:`Char` each, in points, line by line.

    Every word of a Tesseract text line gets the line's baseline (median of its word bottoms)
    and size (from the median word height), so :func:`~.layout.build_lines` keeps the line
    whole; line sizes close to the page's median snap to it, so OCR jitter does not look like
    a change of font.
    """
    scale = 72.0 / result.dpi
    by_line: dict[tuple[int, int, int], list[OcrWord]] = {}
    for w in result.words:
        if not _is_noise(w):
            by_line.setdefault(w.line, []).append(w)
    lines = [row for ws in by_line.values() for row in map(_drop_specks, _rows(ws)) if row and not _noise_row(row)]
    lines = [_fix_misreadings(sorted(row, key=lambda w: w.x0)) for row in lines]
    metrics: list[tuple[float, float]] = []
    for ws in lines:
        baseline = statistics.median(w.bottom for w in ws)
        height = statistics.median(w.bottom - w.top for w in ws)
        metrics.append((baseline * scale, height * scale * _SIZE_FROM_HEIGHT))
    sizes = [size for _, size in metrics]
    body = statistics.median(sizes) if sizes else 12.0
    chars: list[Char] = []
    for ws, (baseline, size) in zip(lines, metrics, strict=True):
        if _SIZE_SNAP[0] * body <= size <= _SIZE_SNAP[1] * body:
            size = body
        for w in ws:
            chars.append(
                Char(w.text, w.x0 * scale, w.x1 * scale, w.top * scale, w.bottom * scale, baseline, size, True)
            )
    return chars


def _rows(words: list[OcrWord]) -> list[list[OcrWord]]:
    """The words of one Tesseract line split into rows: Tesseract sometimes strings the lines
    of two columns at slightly different heights into one line (a signature block beside the
    recipient list); each row gets its own baseline."""
    height = statistics.median(w.bottom - w.top for w in words)
    rows: list[list[OcrWord]] = []
    for w in sorted(words, key=lambda w: (w.top + w.bottom) / 2):
        mid = (w.top + w.bottom) / 2
        if rows and mid - statistics.median((v.top + v.bottom) / 2 for v in rows[-1]) <= 0.5 * height:
            rows[-1].append(w)
        else:
            rows.append([w])
    return rows if len(rows) > 1 else [words]


@functools.cache
def misreadings() -> dict[int, dict[tuple[str, ...], tuple[str, ...]]]:
    """``patterns/ocr.yaml``: word runs as misread -> as printed, by run length (lower case)."""
    import yaml

    from .legacy import _patterns_dir

    raw = yaml.safe_load((_patterns_dir() / "ocr.yaml").read_text(encoding="utf-8"))
    out: dict[int, dict[tuple[str, ...], tuple[str, ...]]] = {}
    for entry in raw["fixes"]:
        read, printed = entry["read"].casefold().split(), entry["printed"].casefold().split()
        if len(read) != len(printed) or not read:
            raise ValueError(f"ocr.yaml: {entry!r}: 'read' and 'printed' must have as many words")
        out.setdefault(len(read), {})[tuple(read)] = tuple(printed)
    return out


_ETH = str.maketrans("Ðð", "Đđ")
_DOUBLE_D = re.compile("(?i)(đ)đ")


def _fix_misreadings(row: list[OcrWord]) -> list[OcrWord]:
    """Apply :func:`misreadings` to the words of one row (left to right).

    Before that, the Icelandic eth that Tesseract sometimes puts for (or after) "Đ" becomes
    "Đ", and a doubled "ĐĐ" (no Vietnamese word has one: "QĐÐ-UBND") one.
    """
    row = [
        dataclasses.replace(w, text=_DOUBLE_D.sub(r"\1", w.text.translate(_ETH))) if "Ð" in w.text or "ð" in w.text else w
        for w in row
    ]
    fixes = misreadings()
    cores = [w.text.strip(_PUNCT).casefold() for w in row]
    out = list(row)
    for n, table in sorted(fixes.items()):
        for i in range(len(row) - n + 1):
            printed = table.get(tuple(cores[i : i + n]))
            if printed is None:
                continue
            for k, word in enumerate(printed):
                w = out[i + k]
                core = w.text.strip(_PUNCT)
                new = word.upper() if core.isupper() else word.capitalize() if core[:1].isupper() else word
                out[i + k] = dataclasses.replace(w, text=w.text.replace(core, new, 1))
                cores[i + k] = word
    return out


_PUNCT = ".,;:!?()[]\"'“”‘’"


def page_info(number: int, result: OcrImage) -> OcrPageInfo:
    """The reader's summary of one OCRed page."""
    return OcrPageInfo(
        number, len(result.words), result.confidence, result.seconds, uncertain_digits(result),
        colour=result.colour >= COLOUR_MIN_SHARE, dpi=result.dpi,
    )


def summary(pages: Sequence[OcrPageInfo]) -> str | None:
    """The ``ocr`` warning: which pages were read by OCR, and how confidently.

    >>> summary([OcrPageInfo(1, 300, 0.9, 2.0), OcrPageInfo(2, 280, 0.84, 2.0), OcrPageInfo(4, 9, 0.5, 1.0)])
    'ocr: pages 1-2, 4, mean confidence 0.87 (Tesseract vie, 300 dpi)'
    """
    if not pages:
        return None
    weighted = [(p.confidence, p.words) for p in pages if p.confidence is not None and p.words]
    total = sum(n for _, n in weighted)
    mean = f", mean confidence {sum(c * n for c, n in weighted) / total:.2f}" if total else ", no words read"
    label = "page" if len(pages) == 1 else "pages"
    colour = [p.number for p in pages if p.colour]
    ink = f"; coloured ink (seal, signature, handwriting) not read on {'page' if len(colour) == 1 else 'pages'} {page_ranges(colour)}" if colour else ""
    dpis = sorted({round(p.dpi) for p in pages if p.dpi}) or [DEFAULT_DPI]
    at = "/".join(str(d) for d in dpis)
    return f"ocr: {label} {page_ranges([p.number for p in pages])}{mean} (Tesseract {OCR_LANG}, {at} dpi){ink}"


def page_ranges(numbers: Sequence[int]) -> str:
    """``[1, 2, 3, 5]`` -> ``"1-3, 5"``."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)


def uncertain_digits(result: OcrImage) -> list[tuple[str, float]]:
    """Words holding a digit that Tesseract read with low confidence."""
    return [
        (w.text, w.conf)
        for w in result.words
        if w.conf < DIGIT_MIN_CONFIDENCE and any(ch.isdigit() for ch in w.text)
    ]


# --- ruled lines -------------------------------------------------------------------------------


def image_rules(image: Image, dpi: float) -> tuple[list[HEdge], list[VEdge]]:
    """Horizontal and vertical ruled lines of a page image (dark runs longer than any glyph)."""
    import numpy as np

    gray = image if image.mode == "L" else image.convert("L")
    dark = np.asarray(gray) < 150
    scale = 72.0 / dpi
    min_run = max(8, round(_MIN_RULE_PT / scale))
    h = [HEdge(y * scale, x0 * scale, x1 * scale) for y, x0, x1 in _runs(dark, min_run)]
    v = [VEdge(x * scale, y0 * scale, y1 * scale) for x, y0, y1 in _runs(dark.T, min_run)]
    return h, v


def _runs(dark: Any, min_run: int) -> Iterator[tuple[int, int, int]]:
    """(row, start, end) of every run of True at least ``min_run`` long in each row."""
    import numpy as np

    rows = np.flatnonzero(dark.sum(axis=1) >= min_run)
    for r in rows:
        padded = np.concatenate(([0], dark[r].view(np.int8), [0]))
        edges = np.flatnonzero(np.diff(padded))
        for start, end in zip(edges[::2], edges[1::2], strict=True):
            if end - start >= min_run:
                yield int(r), int(start), int(end)


# --- images ------------------------------------------------------------------------------------


def render_pdf_page(page: Any, dpi: float, *, annotations: bool = True) -> Image:
    """A pypdfium2 page in colour, with its annotations (signature stamps) drawn or not."""
    bitmap = page.render(scale=dpi / 72.0, draw_annots=annotations, may_draw_forms=annotations)
    try:
        return bitmap.to_pil().convert("RGB")
    finally:
        bitmap.close()


def printed_ink(image: Image) -> tuple[Image, float]:
    """A page image as greyscale with coloured ink removed; and the share of the page it covered.

    The red seal stamped across the signer's block, a blue signature and blue handwriting are
    not print: read through, they garble the lines under them ("PHÓ P VĂN = PHONG"). Pixels
    whose channels differ by more than :data:`COLOUR_CHROMA` become paper; black and grey print,
    and print under the seal (dark in every channel), stay.
    """
    import numpy as np
    from PIL import Image as PILImage

    if image.mode in ("L", "1", "I", "F"):
        return image.convert("L"), 0.0
    rgb = np.asarray(image.convert("RGB"), dtype=np.int16)
    chroma = rgb.max(axis=2) - rgb.min(axis=2)
    gray = np.asarray(image.convert("L")).copy()
    colour = (chroma > COLOUR_CHROMA) & (gray < 235)
    gray[colour] = 255
    return PILImage.fromarray(gray, mode="L"), float(colour.mean())


def open_images(path: Path, data: bytes) -> Iterator[tuple[Image, float]]:
    """The pages of an image file (every frame of a multi-page TIFF) with their resolution.

    A file that does not say its resolution is taken to be an A4 page (the size offices scan).
    """
    from PIL import Image as PILImage
    from PIL import ImageOps, ImageSequence, UnidentifiedImageError

    PILImage.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        img = PILImage.open(io.BytesIO(data))
        for frame in ImageSequence.Iterator(img):
            rgb = frame.convert("RGB")
            page = ImageOps.exif_transpose(rgb) or rgb
            yield page, _dpi(frame.info.get("dpi"), page.size)
    except UnidentifiedImageError as exc:
        raise UnreadableDocumentError(path, "not a readable image (corrupt or truncated image data)") from exc
    except PILImage.DecompressionBombError as exc:
        raise DocumentTooLargeError(path, f"the image is larger than {MAX_IMAGE_PIXELS:,} pixels") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise UnreadableDocumentError(path, f"not a readable image ({type(exc).__name__}: {exc})") from exc


def _dpi(info: Any, size: tuple[int, int]) -> float:
    try:
        value = float(info[0]) if info else 0.0
    except (TypeError, ValueError, IndexError):
        value = 0.0
    if 50 <= value <= 1200:
        return value
    return max(size) / (297 / 25.4)  # the long side of an A4 sheet
