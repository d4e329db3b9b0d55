"""OCR of a scanned PDF's identity pages: page 1 and the signature page, with their handwriting.

The PDF reader calls :func:`ocr_pages` for the pages that need OCR. For each page read it

1. renders the page in colour and turns it grey with the seal ink out of the way
   (:func:`.scan_header.seal_grey`: the red channel, bright red made white);
2. straightens it once and OCRs the regions it needs (:func:`regions`, :func:`.ocr.ocr_image`);
3. on page 1, finds the handwritten number, day (and month) fields by the OCR word boxes and
   reads them with the digit recognizer (:mod:`.handwriting`), replacing what Tesseract made of
   the pen strokes by the digits read, or by nothing when they could not be read with
   confidence (``ocr_low_confidence: number.seq ...``): never a guessed digit;
4. builds the page's lines with the same geometry as a text layer, then, in the header band of
   page 1 and around the signature of the signature page, drops stamp lines and restores the
   diacritics of header vocabulary (``ocr_diacritics: ...``).

``mode="header"`` (``--ocr header``) reads only page 1 and the signature page, at
:data:`HEADER_DPI`: a first pass over an archive, about a second or two per document. The
signature page is chosen without OCR, from a low-resolution look at every page
(:func:`.scan_header.signature_page`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from . import handwriting as hw
from . import scan_header as sh

if TYPE_CHECKING:
    from PIL.Image import Image

    from .ocr import OcrImage, OcrWord

HEADER_DPI = 200
"""OCR resolution of ``--ocr header``. Measured on the six real scans through this whole path
(header, title, issuer, signer, handwritten fields): at 150 dpi one title loses three words to
misreadings (dice 0.89), at 250-300 dpi a handwritten field's box drifts off; 200 and 225 read
all but the one crossed 7. Band by band, 150 dpi reads the signature block best
(``benchmarks/scan_ocr.py``), but the title decides here."""
FIELD_DPI = 300
"""Resolution the handwritten fields are cut from."""
HEADER_ZONE = 0.45
"""Share of page 1 (from the top) holding the header, type line, title and authority line."""
SIGNATURE_ZONE_ABOVE = 0.15
SIGNATURE_ZONE_BELOW = 0.10
"""Share of the page height above and below the seal ink that holds the signature block."""
MIN_SIGNATURE_WORD_CONFIDENCE = 0.4
"""In the signature column, words read with less confidence are the pen signature or seal
remnants (``"..Ă``, ``UUNEBneep...`` read at 0.0-0.39 on the real scans; the block's printed
lines at 0.90 or more)."""
MIN_SIGNATURE_LINE_CONFIDENCE = 0.6
"""A signature-column line none of whose words reaches this is pen or seal (``“.a `“`` at 0.40
and 0.54 under a drawn signature)."""

CONFIRMED_PRINT = 0.8
"""Confidence given to a field's label and closing word once the layout confirmed them."""
LABEL_TEXT = {"number.seq": "Số:", "date.day": "ngày", "date.month": "tháng", "date.year": "năm", "year": "năm"}
"""How the printed labels are spelled once a field is read (the header parser's vocabulary)."""


@dataclasses.dataclass
class PagePlan:
    index: int
    """0-based page index."""
    ink: sh.PageInk
    fields: bool
    """Read the handwritten header fields on this page (page 1)."""
    signature: bool


def plan(pages_ink: dict[int, sh.PageInk], mode: str) -> tuple[list[PagePlan], list[int]]:
    """Which of the pages needing OCR to read, and which to skip (``header`` mode)."""
    wanted = sorted(pages_ink)
    ordered = [pages_ink[i] for i in wanted]
    k = sh.signature_page(ordered)
    if k is None:
        k = sh.last_written_page(ordered)
    sig = wanted[k] if k is not None else None
    first = wanted[0] if wanted and wanted[0] == 0 else None
    read = [i for i in wanted if mode != "header" or i in (first, sig)]
    plans = [PagePlan(i, pages_ink[i], i == first, i == sig) for i in read]
    return plans, [i for i in wanted if i not in read]


def render_rgb(page: Any, dpi: float) -> Image:
    """A pypdfium2 page in colour (the seal must stay red to be removed)."""
    bitmap = page.render(scale=dpi / 72.0, draw_annots=False)
    try:
        return bitmap.to_pil().convert("RGB")
    finally:
        bitmap.close()


def ocr_pages(
    pdf: Any,
    indices: Sequence[int],
    mode: str,
    build: Callable[[int, OcrImage, Image, float], Any],
    default_dpi: float,
    whiteout: Callable[[int], Sequence[tuple[float, float, float, float]]] | None = None,
) -> tuple[dict[int, Any], list[str]]:
    """OCR the pages ``indices`` of ``pdf`` as scans; return their page data and the warnings.

    ``build(index, result, grey_image, dpi)`` turns one OCR result into the reader's page data
    (lines with word boxes in points); this module then edits the lines of the identity zones.
    ``whiteout(index)`` gives boxes (points: x0, top, x1, bottom) that are whited out of the page
    image before it is read: text the file holds exactly (a stamp's text layer) is not re-read.
    """
    inks: dict[int, sh.PageInk] = {}
    for i in indices:
        page = pdf[i]
        try:
            inks[i] = sh.survey(render_rgb(page, sh.SURVEY_DPI))
        finally:
            page.close()
    plans, skipped = plan(inks, mode)
    dpi = HEADER_DPI if mode == "header" else default_dpi
    warnings: list[str] = []
    out: dict[int, Any] = {}
    for p in plans:
        page = pdf[p.index]
        rgb_dpi = max(dpi, FIELD_DPI) if p.fields else dpi
        try:
            rgb = render_rgb(page, rgb_dpi)
        finally:
            page.close()
        if whiteout is not None:
            rgb = _white_out(rgb, whiteout(p.index), rgb_dpi / 72.0)
        data, notes = _read_page(p, rgb, rgb_dpi, dpi, mode, build)
        out[p.index] = data
        warnings.extend(notes)
    if skipped:
        from .ocr import page_ranges

        warnings.append(
            f"ocr_header_only: pages {page_ranges([i + 1 for i in skipped])} not read "
            "(--ocr header reads page 1 and the signature page)"
        )
    return out, warnings


def _white_out(rgb: Image, boxes: Sequence[tuple[float, float, float, float]], k: float) -> Image:
    if not boxes:
        return rgb
    from PIL import ImageDraw

    rgb = rgb.copy()
    draw = ImageDraw.Draw(rgb)
    for x0, top, x1, bottom in boxes:
        draw.rectangle((x0 * k - 2, top * k - 2, x1 * k + 2, bottom * k + 2), fill=(255, 255, 255))
    return rgb


def _read_page(
    p: PagePlan, rgb: Image, rgb_dpi: float, dpi: float, mode: str, build: Callable[[int, OcrImage, Image, float], Any]
) -> tuple[Any, list[str]]:
    """OCR one page (straightened once, then read by regions) and edit its identity zones."""
    import math

    from PIL import Image as PILImage

    from . import ocr

    lo = rgb if rgb_dpi == dpi else rgb.resize((round(rgb.width * dpi / rgb_dpi), round(rgb.height * dpi / rgb_dpi)))
    grey = sh.seal_grey(lo)
    angle = ocr.image_skew(grey)
    if p.fields:  # the handwritten fields stand in the header zone: only that band is kept in colour
        band = rgb.crop((0, 0, rgb.width, min(rgb.height, math.ceil(rgb.height * HEADER_ZONE * 1.1))))
        if angle:  # turned about the page's centre, as the whole page is
            band = band.rotate(math.degrees(angle), resample=PILImage.Resampling.BILINEAR,
                               center=(rgb.width / 2, rgb.height / 2), fillcolor=(255, 255, 255))
        rgb = band
    if angle:
        grey = grey.rotate(math.degrees(angle), resample=PILImage.Resampling.BILINEAR, fillcolor=255)
    notes: list[str] = []
    result = ocr_regions(grey, dpi, regions(p, mode), angle, _signature_rows(p) if p.signature else None, notes)
    result.colour = p.ink.colour
    if p.fields:
        notes.extend(apply_fields(result, rgb, rgb_dpi / dpi))
    data = build(p.index, result, grey, dpi)
    notes.extend(edit_lines(data, p))
    return data, notes


def regions(p: PagePlan, mode: str) -> list[tuple[float, float, float, float]]:
    """The parts of a page to OCR, as shares of its width and height (left, top, right, bottom).

    The signature zone is read as two halves, the recipients (left) and the signature block
    (right), each on its own: read together, Tesseract runs the two columns into one line and
    misreads ``Nơi nhận`` and the capitals under the seal far more often. ``header`` mode reads
    only the header zone of page 1 and the signature zone; the other modes read the whole page.
    """
    sig = _signature_rows(p) if p.signature else None
    out: list[tuple[float, float, float, float]] = []
    if mode == "header":
        if p.fields:
            bottom = HEADER_ZONE if sig is None else max(0.05, min(HEADER_ZONE, sig[0]))
            out.append((0.0, 0.0, 1.0, bottom))
        if sig is not None:
            top = max(sig[0], out[0][3] if out else 0.0)
            out += [(0.0, top, 0.5, sig[1]), (0.5, top, 1.0, sig[1])]
        return out or [(0.0, 0.0, 1.0, 1.0)]
    if sig is None:
        return [(0.0, 0.0, 1.0, 1.0)]
    if sig[0] > 0.0:
        out.append((0.0, 0.0, 1.0, sig[0]))
    out += [(0.0, sig[0], 0.5, sig[1]), (0.5, sig[0], 1.0, sig[1])]
    if sig[1] < 1.0:
        out.append((0.0, sig[1], 1.0, 1.0))
    return out


def _signature_rows(p: PagePlan) -> tuple[float, float]:
    """Top and bottom of the signature zone as shares of the page height."""
    if p.ink.red_rows is None:
        return 0.5, 1.0
    top, bottom = p.ink.red_rows
    return max(0.0, top - SIGNATURE_ZONE_ABOVE), min(1.0, bottom + SIGNATURE_ZONE_BELOW)


def _mend_recipients_label(words: Sequence[OcrWord], notes: list[str]) -> list[OcrWord]:
    """The recipients column with its ``Nơi nhận:`` label spelt right where OCR misread it (the
    first line that starts with a misreading), before noise filters drop a word read at 0.0."""
    from .ocr import OcrWord

    by_line: dict[tuple[int, int, int], list[OcrWord]] = {}
    for w in words:
        by_line.setdefault(w.line, []).append(w)
    for line in by_line.values():
        line.sort(key=lambda w: w.x0)
        n = sh.recipients_words([w.text for w in line])
        if not n:
            continue
        label, word = sh.RECIPIENTS_LABEL.split()
        first = line[0]
        conf = max(first.conf, CONFIRMED_PRINT)
        if n == 1:
            gap = first.bottom - first.top
            new = [OcrWord(label, max(0.0, first.x0 - 1.6 * gap), first.top, first.x0 - 0.3 * gap, first.bottom, conf, first.line),
                   dataclasses.replace(first, text=word, conf=conf)]
        else:
            new = [dataclasses.replace(first, text=label, conf=conf), dataclasses.replace(line[1], text=word, conf=conf)]
        notes.append(f"ocr_label: {' '.join(w.text for w in line[:n])!r} -> {sh.RECIPIENTS_LABEL!r}")
        out = [w for w in words if all(w is not v for v in line[:n])]
        return [*new, *out]
    return list(words)


def _drop_pen(words: Sequence[OcrWord]) -> list[OcrWord]:
    """The words of the signature column without what Tesseract made of the pen signature and the
    seal: words read with low confidence, and lines whose words all are."""
    by_line: dict[tuple[int, int, int], list[OcrWord]] = {}
    for w in words:
        by_line.setdefault(w.line, []).append(w)
    out: list[OcrWord] = []
    for line in by_line.values():
        if max(w.conf for w in line) < MIN_SIGNATURE_LINE_CONFIDENCE:
            continue
        out.extend(w for w in line if w.conf >= MIN_SIGNATURE_WORD_CONFIDENCE)
    return out


def ocr_regions(grey: Image, dpi: float, parts: Sequence[tuple[float, float, float, float]], angle: float,
                signature: tuple[float, float] | None = None, notes: list[str] | None = None) -> OcrImage:
    """OCR each region of a straightened page; one result with the words in page pixels (each
    region's Tesseract lines kept apart by their block numbers). In the signature column (the
    right half of the ``signature`` rows) low-confidence words are dropped: pen and seal."""
    from .ocr import OcrImage, ocr_image

    notes = notes if notes is not None else []
    words: list[OcrWord] = []
    seconds = 0.0
    for k, (left, top, right, bottom) in enumerate(parts):
        box = (round(left * grey.width), round(top * grey.height), round(right * grey.width), round(bottom * grey.height))
        if box[2] - box[0] < 8 or box[3] - box[1] < 8:
            continue
        part = ocr_image(grey.crop(box), dpi=dpi, deskew=False)
        seconds += part.seconds
        in_zone = signature is not None and top >= signature[0] - 1e-6 and bottom <= signature[1] + 1e-6
        kept = part.words
        if in_zone and left >= 0.5:
            kept = _drop_pen(kept)
        elif in_zone:
            kept = _mend_recipients_label(kept, notes)
        for w in kept:
            words.append(dataclasses.replace(
                w, x0=w.x0 + box[0], x1=w.x1 + box[0], top=w.top + box[1], bottom=w.bottom + box[1],
                line=(w.line[0] + 1000 * k, w.line[1], w.line[2]),
            ))
    return OcrImage(words, grey.width, grey.height, dpi, seconds, angle, grey)


# --- handwritten fields -------------------------------------------------------------------------------


def apply_fields(result: OcrImage, image: Image, scale: float) -> list[str]:
    """Read the handwritten fields of a page and put the digits read in place of Tesseract's words.

    ``image`` is the colour page (or its top band: fields below it are not header fields) at
    ``scale`` times the OCRed image's resolution. Returns the
    warnings: one ``ocr_handwriting`` per field read (with its confidence), one
    ``ocr_low_confidence`` per field left blank because it could not be read with confidence.
    """
    spots = [s for s in hw.locate_fields(result.words) if s.bottom * scale <= image.height]
    if not spots:
        return []
    try:
        hw.recognizer()
    except hw.HandwritingUnavailable as exc:
        return [f"ocr_handwriting_unavailable: {', '.join(s.name for s in spots)} kept as Tesseract read them: {exc}"]
    notes: list[str] = []
    words = list(result.words)
    edits: dict[int, list[OcrWord]] = {}
    for spot in spots:
        big = dataclasses.replace(
            spot, x0=spot.x0 * scale, x1=spot.x1 * scale, top=spot.top * scale,
            bottom=spot.bottom * scale, line_height=spot.line_height * scale,
        )
        reading = hw.read_field(image, big)
        if reading.digits is None:
            seen = f"best reading {reading.candidate!r}, " if reading.candidate else ""
            notes.append(f"ocr_low_confidence: {spot.name} ({seen}confidence {reading.confidence:.2f}) left blank")
        elif reading.digits:
            notes.append(f"ocr_handwriting: {spot.name} read {reading.digits!r} (confidence {reading.confidence:.2f})")
        edits.update(_field_words(words, spot, reading))
    rebuilt: list[OcrWord] = []
    for i, w in enumerate(words):
        rebuilt.extend(edits.get(i, [w]))
    result.words = rebuilt
    return notes


def _field_words(words: list[OcrWord], spot: hw.FieldSpot, reading: hw.DigitReading) -> dict[int, list[OcrWord]]:
    """Replacement words for the OCR words a field covers: the printed label, the digits read (if
    any), and what follows the field in its closing word (``/QĐ-UBND``, ``tháng``)."""
    first, last = spot.words[0], spot.words[-1]
    label, end = words[first], words[last]
    x_mid = (spot.x0 + spot.x1) / 2
    label_x1 = label.x1 if spot.label_exact else max(label.x0 + 1, min(label.x1, spot.x0 + 0.25 * (spot.x1 - spot.x0)))
    out: dict[int, list[OcrWord]] = {}
    # The label and the closing word matched the layout's patterns: whatever confidence Tesseract
    # gave the merged word ("Số:45" at 0.2), they are print, not noise to be filtered out.
    sure = max(label.conf, CONFIRMED_PRINT)
    new_label = dataclasses.replace(label, text=LABEL_TEXT[spot.name], x1=label_x1, conf=sure)
    digits = []
    if reading.digits:
        digits = [dataclasses.replace(label, text=reading.digits, x0=max(label_x1 + 1, x_mid - 1), x1=x_mid + 1,
                                      conf=reading.confidence)]
    out[first] = [new_label, *digits]
    if spot.name == "date.year":  # no closing word: the year ends the line
        for i in spot.words[1:]:
            out[i] = []
        return out
    for i in spot.words[1:-1]:
        out[i] = []
    closing = _closing_text(spot, end.text)
    if closing is None:
        out[last] = []
    else:
        out[last] = [dataclasses.replace(end, text=closing, x0=max(end.x0, x_mid + 2) if not spot.end_exact else end.x0,
                                         conf=max(end.conf, CONFIRMED_PRINT))]
    return out


def _closing_text(spot: hw.FieldSpot, text: str) -> str | None:
    """The printed part of the word that closes a field: from the ``/`` of the number on
    (``/QĐ-UBND``), or the next label of the date line spelt as printed (``tháng``, ``năm``)."""
    lab = hw._labels()
    if spot.name == "number.seq":
        m = lab["number_end"].search(text)
        return None if m is None else sh.number_suffix(text[m.start():])
    nxt = "date.month" if spot.name == "date.day" else "year"
    m = (lab["month"] if nxt == "date.month" else lab["year"]).search(text)
    return None if m is None else LABEL_TEXT[nxt] + text[m.end():]


# --- identity zones: stamps and diacritics ---------------------------------------------------------


def edit_lines(data: Any, p: PagePlan) -> list[str]:
    """Drop stamp lines and restore header diacritics in the lines of the page's identity zones:
    the header band of page 1 and the rows around the seal of the signature page."""
    from .layout import Word

    zones = _zones(data.height, p)
    if not zones:
        return []
    kept = []
    notes: list[str] = []
    recipients: list[Any] = []
    for line in data.lines:
        if not any(top <= line.top <= bottom for top, bottom in zones):
            kept.append(line)
            continue
        if recipients or line.text.startswith(sh.RECIPIENTS_LABEL):
            recipients.append(line)
        if sh.is_stamp_line(line.text):
            continue
        for k, w in enumerate(list(line.words)):  # the prefix opens the signature column
            prefix = sh.authority_prefix(w.text)
            if prefix is not None:
                notes.append(f"ocr_label: {w.text!r} -> {prefix!r}")
                w.text = prefix
            glued = sh.split_prefix(w.text)
            if glued is not None:
                notes.append(f"ocr_label: {w.text!r} -> {' '.join(glued)!r}")
                cut = w.x0 + (w.x1 - w.x0) * len(glued[0]) / len(w.text)
                line.words[k : k + 1] = [Word(glued[0], w.x0, cut, w.top, w.bottom, w.size),
                                         Word(glued[1], cut + 1, w.x1, w.top, w.bottom, w.size)]
        texts, changes = sh.restore_diacritics([w.text for w in line.words])
        texts, more = sh.restore_place(texts)
        changes += more
        for w, t in zip(line.words, texts, strict=True):
            w.text = t
        notes.extend(f"ocr_diacritics: {a!r} -> {b!r}" for a, b in changes)
        kept.append(line)
    data.lines = kept
    _bullets(recipients, data.width / 2)
    return notes


def _bullets(lines: list[Any], middle: float) -> None:
    """Recipient lines (after ``Nơi nhận:``, left column) whose bullet OCR read as ``~`` or lost,
    when a third of the list (two items at least) has its ``-``: the bullet is put back (the list parser needs it). A line
    lost its bullet when it starts with a capital right after a line that ends an item (``;``,
    ``.``, or the label): the second line of a wrapped item follows a line without ``;``."""
    from .layout import Word

    items = [ln for ln in lines[1:] if ln.words and ln.words[0].x1 < middle]
    if not items:
        return
    for ln in items:
        first = ln.words[0]
        if first.text != "-" and sh.is_bullet_misread(first.text):
            first.text = "-"
    with_bullet = sum(1 for ln in items if ln.words[0].text.startswith("-"))
    if with_bullet < 2 or with_bullet * 3 < len(items):
        return  # not a bulleted list as far as OCR can tell
    previous = lines[0]
    for ln in items:
        first = ln.words[0]
        if not first.text.startswith("-") and first.text[:1].isupper() and sh.ends_item(previous, middle):
            w = max(1.0, 0.4 * first.size)
            ln.words.insert(0, Word("-", first.x0 - 2 * w, first.x0 - w, first.top, first.bottom, first.size))
        previous = ln


def _zones(height: float, p: PagePlan) -> list[tuple[float, float]]:
    zones: list[tuple[float, float]] = []
    if p.fields:
        zones.append((0.0, HEADER_ZONE * height))
    if p.signature:
        if p.ink.red_rows is not None:
            top, bottom = p.ink.red_rows
            zones.append(((top - SIGNATURE_ZONE_ABOVE) * height, (bottom + SIGNATURE_ZONE_BELOW) * height))
        else:
            zones.append((0.5 * height, height))
    return zones
