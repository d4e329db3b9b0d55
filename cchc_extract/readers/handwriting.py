"""Handwritten digits in a scanned header: the sequence number after ``Số:`` and the day after ``ngày``.

Offices print a document with its number and day left blank and write them in by hand at
registration (``Số: 89 /QĐ-UBND``, ``ngày 16 tháng 01``). Tesseract reads the print well and the
pen badly (``Số: O{_ /TTr-UBND``, no day at all), so these fields are cut out of the page image
by layout and read again with a second recognizer, digits only, by several renderings that vote.

The recognizer is PP-OCRv4's text-line model as the ``rapidocr-onnxruntime`` wheel ships it (the
ONNX file sits inside the installed package: nothing is downloaded). Only the model is used, run
by ``onnxruntime`` directly: its per-step class probabilities are decoded with every class but the
ten digits masked out, so a field can only read as digits, and each digit keeps its probability.
Measured on the six real scans of ``../shared/scans`` (``benchmarks/scan_fields.py``), this reads
11 of the 12 handwritten fields and rejects the twelfth (a crossed 7) instead of misreading it;
Tesseract with a digit whitelist on the same crops reads 4, RapidOCR's own pipeline 9 (3 wrong).

Never a guess: a field whose renderings disagree, or whose digits are improbable, reads as
``None`` (the caller leaves it blank and warns); a field without ink reads as ``""``.

The steps, each usable alone: :func:`locate_fields` (OCR words -> the boxes of the fields),
:func:`read_field` (page image + box -> :class:`DigitReading`), and inside it :func:`ink_mask`
(the pen strokes of a crop, without print remnants, rules and specks) and :func:`read_digits`.
"""

from __future__ import annotations

import functools
import importlib.util
import math
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import regex

from ..patterns import load as load_patterns

if TYPE_CHECKING:
    import numpy as np
    from PIL.Image import Image

MODEL_PACKAGE = "rapidocr_onnxruntime"
MODEL_FILE = "ch_PP-OCRv4_rec_infer.onnx"
INSTALL_HINT = "pip install 'cchc-extract[ocr]' (rapidocr-onnxruntime ships the digit model)"

REC_HEIGHT = 48
"""Input height of the PP-OCRv4 recognizer."""
REC_MIN_WIDTH = 320
"""Inputs narrower than this are padded to it (as the model was trained): narrower canvases read
the real scans' fields worse (9 instead of 11 of 12 right, one wrong accepted)."""
REC_STRIDE = 8
"""Pixels of the (resized) input per output step."""

MIN_AGREEMENT = 0.75
"""Share of the renderings that must read the same digits."""
MIN_CONFIDENCE = 0.5
"""Agreement times the median of the winning renderings' weakest digit probability."""
PADDINGS = (0.15, 0.3, 0.6)
"""White margin around the strokes, as a share of their height (one rendering each)."""
MAX_DIGITS = {"number.seq": 5, "date.day": 2, "date.month": 2, "date.year": 4}
VALID_RANGE = {"date.day": (1, 31), "date.month": (1, 12), "date.year": (1945, 2100)}
PRINTED_DIGITS_CONFIDENCE = 0.8
"""A printed month or year that Tesseract read with less confidence is read again, as a field."""


class HandwritingUnavailable(RuntimeError):
    """The digit model or its runtime is not installed; the message says what to install."""


@dataclass(frozen=True)
class DigitReading:
    digits: str | None
    """The digits read; ``""`` for a field without ink; ``None`` when not read with confidence."""
    confidence: float
    """0-1: the share of renderings that agree times their weakest digit's median probability."""
    candidate: str | None = None
    """The renderings' majority reading, kept for the warning when ``digits`` is None."""


class WordLike(Protocol):
    """What :func:`locate_fields` needs of an OCR word (``ocr.OcrWord`` has it): pixel box, line."""

    @property
    def text(self) -> str: ...
    @property
    def x0(self) -> float: ...
    @property
    def top(self) -> float: ...
    @property
    def x1(self) -> float: ...
    @property
    def bottom(self) -> float: ...
    @property
    def conf(self) -> float: ...
    @property
    def line(self) -> tuple[int, int, int]: ...


@dataclass(frozen=True)
class FieldSpot:
    """Where one handwritten field stands on the image that was OCRed (pixels)."""

    name: str
    """``number.seq``, ``date.day``, ``date.month`` or ``date.year``."""
    x0: float
    """Left edge: the end of the printed label when known exactly, else the label word's start."""
    x1: float
    """Right edge: the start of the printed text after the field."""
    top: float
    bottom: float
    line_height: float
    """Median height of the printed words of the line (the scale for what counts as a stroke)."""
    label_exact: bool
    """``x0`` is the label's end; otherwise the label must be found in the crop first."""
    end_exact: bool
    """``x1`` is where the following print starts; otherwise it must be found in the crop first."""
    words: tuple[int, ...] = ()
    """Indices of the OCR words the field covers (the label and end words included when merged)."""


# --- the recognizer -------------------------------------------------------------------------------


@dataclass
class _Recognizer:
    session: Any
    input_name: str
    charset: list[str]
    digit_classes: list[int]

    def probabilities(self, rgb: np.ndarray) -> np.ndarray:
        """Class probabilities per output step (steps x classes) for one RGB line image."""
        return self.batch([rgb])[0]

    def batch(self, images: Sequence[np.ndarray]) -> list[np.ndarray]:
        """:meth:`probabilities` of several line images in one run (padded to the widest)."""
        import numpy as np
        from PIL import Image as PILImage

        inputs: list[tuple[np.ndarray, int]] = []
        for rgb in images:
            h, w = rgb.shape[:2]
            width = max(REC_STRIDE, math.ceil(REC_HEIGHT * w / max(h, 1)))
            img = PILImage.fromarray(rgb).resize((width, REC_HEIGHT), PILImage.Resampling.BILINEAR)
            inputs.append(((np.asarray(img, dtype=np.float32).transpose(2, 0, 1) / 255.0 - 0.5) / 0.5, width))
        widest = max([REC_MIN_WIDTH, *(w for _, w in inputs)])
        batch = np.zeros((len(inputs), 3, REC_HEIGHT, widest), dtype=np.float32)
        for k, (a, w) in enumerate(inputs):
            batch[k, :, :, :w] = a
        out = self.session.run(None, {self.input_name: batch})[0]
        return [out[k][: max(1, math.ceil(w / REC_STRIDE))] for k, (_, w) in enumerate(inputs)]


def model_path() -> Path | None:
    """The recognizer's ONNX file inside the installed wheel, found without importing it."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    for location in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(location) / "models" / MODEL_FILE
        if candidate.is_file():
            return candidate
    return None


@functools.cache
def recognizer() -> _Recognizer:
    """The digit recognizer, loaded once per process; raise :class:`HandwritingUnavailable`."""
    path = model_path()
    if path is None:
        raise HandwritingUnavailable(f"the handwritten-digit model is not installed: {INSTALL_HINT}")
    try:
        import numpy  # noqa: F401
        import onnxruntime as ort
    except ImportError as exc:
        raise HandwritingUnavailable(f"onnxruntime is not installed: {INSTALL_HINT}") from exc
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1  # batch workers are the parallelism
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    meta = session.get_modelmeta().custom_metadata_map
    charset = ["", *meta["character"].splitlines(), " "]  # CTC blank first, space last
    digits = [charset.index(str(d)) for d in range(10)]
    return _Recognizer(session, session.get_inputs()[0].name, charset, digits)


def available() -> bool:
    try:
        recognizer()
    except HandwritingUnavailable:
        return False
    return True


def greedy(probs: np.ndarray, charset: Sequence[str]) -> list[tuple[str, int, float]]:
    """CTC best path over all classes: (char, step, probability) per emitted char."""
    out: list[tuple[str, int, float]] = []
    prev = 0
    for t, i in enumerate(probs.argmax(axis=1).tolist()):
        if i and i != prev:
            out.append((charset[i], t, float(probs[t, i])))
        prev = i
    return out


def digit_path(probs: np.ndarray, digit_classes: Sequence[int]) -> list[tuple[str, float]]:
    """CTC best path with every class but the blank and the ten digits masked out.

    Each digit keeps the highest probability it had over its run of steps (unnormalised: a stroke
    the model takes for a letter gives its digit a low probability).
    """
    sub = probs[:, [0, *digit_classes]]
    out: list[tuple[str, float]] = []
    prev = 0
    for t, i in enumerate(sub.argmax(axis=1).tolist()):
        if i and i != prev:
            out.append((str(i - 1), float(sub[t, i])))
        elif i and out:
            out[-1] = (out[-1][0], max(out[-1][1], float(sub[t, i])))
        prev = i
    return out


# --- strokes ----------------------------------------------------------------------------------------


def ink_gray(rgb: np.ndarray) -> np.ndarray:
    """Darkest channel, with red-dominant pixels (seal ink) turned white: pen and print stay dark."""
    import numpy as np

    a = rgb.astype(np.int16)
    red = (a[..., 0] - np.maximum(a[..., 1], a[..., 2])) > 50
    gray = a.min(axis=2)
    gray[red] = 255
    return gray.astype(np.uint8)


def ink_mask(rgb: np.ndarray, line_height: float) -> tuple[np.ndarray, tuple[int, int, int, int]] | None:
    """The pen strokes of a field crop and their bounding box, or None when the field is blank.

    Print remnants and noise are dropped by shape: rules (long and thin), specks and dots (a colon
    or the tail of a cut letter) smaller than a quarter of the printed line height.
    """
    import cv2
    import numpy as np

    gray = ink_gray(rgb)
    if gray.size == 0:
        return None
    threshold, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    binary = (gray <= min(threshold, 170)).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    lh = max(line_height, 4.0)
    keep = np.zeros(n, dtype=bool)
    tall = False
    for k in range(1, n):
        _x, _y, w, h, area = (int(v) for v in stats[k])
        if w > 4 * h and h < 0.3 * lh:
            continue  # a rule (the underline of the issuer block, a form line)
        if area < 0.01 * lh * lh or (h < 0.25 * lh and w < 0.25 * lh):
            continue  # a speck, a dot, a colon
        keep[k] = True
        tall = tall or h >= 0.4 * lh
    if not tall:
        return None
    mask = keep[labels]
    ys, xs = np.nonzero(mask)
    return mask, (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)


def renderings(rgb: np.ndarray, mask: np.ndarray, box: tuple[int, int, int, int]) -> list[np.ndarray]:
    """The strokes drawn several ways (their own colours; black; thinned) with several margins."""
    import cv2
    import numpy as np

    x0, y0, x1, y1 = box
    own = np.full(rgb.shape, 255, dtype=np.uint8)
    own[mask] = rgb[mask]
    black = np.where(mask[..., None], 0, 255).astype(np.uint8).repeat(3, axis=2)
    thin_mask = cv2.erode(mask.astype(np.uint8), np.ones((2, 2), np.uint8)).astype(bool)
    thin = np.where(thin_mask[..., None], 0, 255).astype(np.uint8).repeat(3, axis=2)
    out = []
    for img in (own, black, thin):
        cut = img[y0:y1, x0:x1]
        for pad in PADDINGS:
            p = max(2, round(pad * (y1 - y0)))
            out.append(cv2.copyMakeBorder(cut, p, p, p, p, cv2.BORDER_CONSTANT, value=(255, 255, 255)))
    return out


def read_digits(rgb: np.ndarray, line_height: float, name: str = "number.seq") -> DigitReading:
    """Read the handwritten digits of one field crop (RGB array, the field and little else)."""
    found = ink_mask(rgb, line_height)
    if found is None:
        return DigitReading("", 1.0)
    rec = recognizer()
    readings: list[tuple[str, float]] = []
    for probs in rec.batch(renderings(rgb, *found)):
        path = digit_path(probs, rec.digit_classes)
        readings.append(("".join(d for d, _ in path), min((p for _, p in path), default=0.0)))
    votes = Counter(text for text, _ in readings)
    best, count = votes.most_common(1)[0]
    share = count / len(readings)
    strength = statistics.median(p for text, p in readings if text == best)
    confidence = round(share * strength, 3) if best else 0.0
    ok = bool(best) and share >= MIN_AGREEMENT and confidence >= MIN_CONFIDENCE
    ok = ok and len(best) <= MAX_DIGITS.get(name, 5) and _in_range(name, best)
    return DigitReading(best if ok else None, confidence, best or None)


def _in_range(name: str, digits: str) -> bool:
    lo_hi = VALID_RANGE.get(name)
    return lo_hi is None or lo_hi[0] <= int(digits) <= lo_hi[1]


# --- layout: where the fields are ---------------------------------------------------------------------


@functools.cache
def _labels() -> dict[str, Any]:
    p = load_patterns().scan
    return {
        "number": regex.compile(p.number_label, regex.I),
        "number_end": regex.compile(p.number_end),
        "day": regex.compile(p.day_label, regex.I),
        "month": regex.compile(p.month_label, regex.I),
        "year": regex.compile(p.year_label, regex.I),
        "rec_number": regex.compile(p.rec_number_label),
        "rec_day": regex.compile(p.rec_day_label, regex.I),
        "rec_month": regex.compile(p.rec_month_label, regex.I),
    }


def locate_fields(words: Sequence[WordLike]) -> list[FieldSpot]:
    """The number, day and month fields of a header's OCR words (pixels), by layout.

    The number field runs from the ``Số:`` label to the word holding the ``/`` of the type code on
    the same text line; the day from ``ngày`` to ``tháng``, the month from ``tháng`` to ``năm``.
    A field is returned only when both its ends were found; the month only when OCR did not read
    a clean printed month already.
    """
    lab = _labels()
    lines: dict[tuple[int, int, int], list[int]] = {}
    for i, w in enumerate(words):
        lines.setdefault(w.line, []).append(i)
    spots: list[FieldSpot] = []
    have_number = have_day = False
    for idx in lines.values():
        idx.sort(key=lambda i: words[i].x0)
        height = _line_height([words[i] for i in idx])
        for k, i in enumerate(idx):
            w = words[i]
            if not have_number and lab["number"].match(w.text):
                spot = _spot("number.seq", words, idx, k, lab["number"], lab["number_end"], height)
                if spot is not None:
                    spots.append(spot)
                    have_number = True
            elif not have_day and lab["day"].match(w.text):
                spot = _spot("date.day", words, idx, k, lab["day"], lab["month"], height)
                if spot is not None:
                    spots.append(spot)
                    have_day = True
                    spots.extend(_printed_date_fields(words, idx, k, height))
    return spots


def _printed_date_fields(words: Sequence[WordLike], idx: list[int], day: int, height: float) -> list[FieldSpot]:
    """The month and year after the day, as fields when OCR did not read them as clean digits
    with confidence (a month may be written by hand too; a printed ``01`` often reads at 0.4)."""
    lab = _labels()
    out: list[FieldSpot] = []
    month = next((j for j in range(day + 1, len(idx)) if lab["month"].match(words[idx[j]].text)), None)
    if month is None:
        return out
    m = _spot("date.month", words, idx, month, lab["month"], lab["year"], height)
    if m is not None and not _clean_printed(words, m, 1, 12):
        out.append(m)
    year = next((j for j in range(month + 1, len(idx)) if lab["year"].match(words[idx[j]].text)), None)
    if year is None or year + 1 >= len(idx):
        return out
    label, value = words[idx[year]], words[idx[year + 1]]
    if _clean_word(value, 1945, 2100):
        return out
    top = min(label.top, value.top) - 0.6 * height
    bottom = max(label.bottom, value.bottom) + 0.4 * height
    exact = lab["year"].fullmatch(label.text) is not None
    out.append(FieldSpot("date.year", label.x1 if exact else label.x0, value.x1 + 0.3 * height, top, bottom,
                         height, exact, True, (idx[year], idx[year + 1])))
    return out


def _line_height(line: Sequence[WordLike]) -> float:
    heights = [w.bottom - w.top for w in line if any(c.isalpha() for c in w.text)]
    return statistics.median(heights) if heights else statistics.median(w.bottom - w.top for w in line)


def _spot(
    name: str,
    words: Sequence[WordLike],
    idx: list[int],
    k: int,
    label: regex.Pattern[str],
    end: regex.Pattern[str],
    height: float,
) -> FieldSpot | None:
    """The field after the label word ``idx[k]`` up to the first word holding ``end``."""
    first = words[idx[k]]
    stop = found = None
    for j in range(k + 1, min(len(idx), k + 6)):
        found = end.search(words[idx[j]].text)
        if found is not None:
            stop = j
            break
    if stop is None or found is None:
        return None
    last = words[idx[stop]]
    label_exact = label.fullmatch(first.text) is not None
    end_exact = found.start() == 0
    x0 = first.x1 if label_exact else first.x0
    x1 = last.x0 if end_exact else last.x1
    covered = tuple(idx[k : stop + 1])
    middle = [words[i] for i in covered[1:-1]]
    if middle:  # what OCR made of the pen strokes starts where the label's box may overreach
        x0 = min(x0, min(w.x0 for w in middle))
        if x1 - x0 < 0.5 * height:
            x1 = max(x1, max(w.x1 for w in middle))
    if x1 - x0 < 0.3 * height:
        return None
    top = min(first.top, last.top) - 0.6 * height
    bottom = max(first.bottom, last.bottom) + 0.4 * height
    return FieldSpot(name, x0, x1, top, bottom, height, label_exact, end_exact, covered)


def _clean_printed(words: Sequence[WordLike], spot: FieldSpot, lo: int, hi: int) -> bool:
    """The words between a field's label and its closing word are one clean printed number in
    ``lo..hi`` (``01``, ``12``) read with confidence."""
    inner = [words[i] for i in spot.words[1:-1]]
    return len(inner) == 1 and spot.label_exact and _clean_word(inner[0], lo, hi)


def _clean_word(word: WordLike, lo: int, hi: int) -> bool:
    text = word.text.rstrip(".,;")
    return text.isdigit() and lo <= int(text) <= hi and word.conf >= PRINTED_DIGITS_CONFIDENCE


# --- reading a located field ----------------------------------------------------------------------------


def read_field(image: Image, spot: FieldSpot) -> DigitReading:
    """Read one located field of ``image`` (the RGB image the OCR words' pixels refer to)."""
    rgb = field_crop(image, spot)
    if rgb is None:
        return DigitReading(None, 0.0)
    return read_digits(rgb, spot.line_height, spot.name)


def field_crop(image: Image, spot: FieldSpot) -> np.ndarray | None:
    """The pen strokes' part of a field as an RGB array (seal ink whitened), or None.

    OCR word boxes are a few pixels off, so the crop reaches a little into the printed word after
    the field, and the recognizer's own reading places where that word starts (its ``/`` or
    ``t``); a label merged with the pen strokes is placed the same way.
    """
    import numpy as np

    w, h = image.size
    top, bottom = max(0, int(spot.top)), min(h, math.ceil(spot.bottom))
    x0, x1 = max(0, int(spot.x0)), min(w, math.ceil(spot.x1))
    if x1 - x0 < 2 or bottom - top < 2:
        return None
    reach = min(w, x1 + math.ceil(END_REACH * spot.line_height)) if spot.end_exact else x1
    rgb = np.asarray(image.convert("RGB").crop((x0, top, reach, bottom))).copy()
    rgb[ink_gray(rgb) == 255] = 255  # seal ink (red) out of the way of the alignment too
    cut = _cut_print(rgb, spot, x1 - x0)
    if cut is None:
        return None
    return np.ascontiguousarray(rgb[:, cut[0] : cut[1]])


_ENDS = {"number.seq": "/", "date.day": "tT", "date.month": "nN"}
"""First letter of the printed word after a field, as the recognizer spells it (the year has none)."""
END_REACH = 0.8
"""How far past a field's closing word's box the crop reaches, in printed line heights."""


def _cut_print(rgb: np.ndarray, spot: FieldSpot, box_width: int) -> tuple[int, int] | None:
    """Column range of ``rgb`` between the printed label and the printed end, found by aligning
    the recognizer's reading of the whole crop with the label (``S6:``, ``ngay``) and the end
    (``/``, ``th``) as the recognizer spells them. Where the word boxes were exact, they are
    the fallback; where they were not, a label or end the recognizer does not find is None."""
    rec = recognizer()
    probs = rec.probabilities(rgb)
    chars = greedy(probs, rec.charset)
    text = "".join(c for c, _, _ in chars)
    scale = rgb.shape[1] / (len(probs) * REC_STRIDE) if len(probs) else 1.0
    lab = _labels()
    start, stop = 0, min(box_width, rgb.shape[1])
    if not spot.label_exact:
        pattern = lab["rec_number"] if spot.name == "number.seq" else lab["rec_day"] if spot.name == "date.day" else lab["rec_month"]
        m = pattern.match(text)
        if m is None or m.end() == 0:
            return None
        last = chars[m.end() - 1][1]
        start = min(stop, int((last + 1) * REC_STRIDE * scale))
    ends = _ENDS.get(spot.name, "")
    pos = next((t for c, t, _ in chars if c in ends and t * REC_STRIDE * scale > start), None)
    if pos is not None:
        stop = min(int(pos * REC_STRIDE * scale), rgb.shape[1])
    elif ends and not spot.end_exact:
        return None
    if stop - start < 2:
        return None
    step = max(1, round(REC_STRIDE * scale))
    return _snap(rgb, start, step, prefer=1), _snap(rgb, stop, step, prefer=-1)


def _snap(rgb: np.ndarray, x: int, step: int, prefer: int) -> int:
    """``x`` moved to the nearest column without ink within one recognizer step (a step is ~20
    pixels of a 300 dpi crop: an aligned boundary can fall inside the last letter of the label or
    the first of the next word); unchanged where the pen touches the print."""
    import numpy as np

    ink = [bool(v) for v in np.atleast_1d((ink_gray(rgb) < 160).sum(axis=0))]
    width = len(ink)
    for d in range(step + 1):
        for cand in (x + prefer * d, x - prefer * d):
            if 0 <= cand < width and not ink[cand]:
                return cand
    return min(max(x, 0), width)
