"""PDF reader: characters with positions -> lines -> paragraphs, bands and ruled tables.

pypdfium2 supplies characters (text, loose box, baseline origin, font size) and vector paths;
all layout decisions are made here and in :mod:`.layout` from that geometry. pdfium is an order
of magnitude faster than pdfminer (pdfplumber) and decodes the same ToUnicode maps, so the text
is the same while a 35-page report reads in a fraction of pdfplumber's time.

What the reader does, in order:

* refuses oversized files / page counts (:class:`DocumentTooLargeError`), maps password and
  format errors to typed errors;
* per page: chars -> lines (superscript footnote digits dropped), ruled tables found from the
  page's visible rules (white or invisible rules ignored), their text removed from the prose;
* scores each page's text layer; garbled pages (legacy 8-bit Vietnamese fonts, unmapped glyphs)
  are dropped with a warning, and a file with no usable text raises :class:`NoTextLayerError`;
* drops running page numbers, repeated headers/footers and footnote areas;
* splits the two-column header band (top of page 1) and the ``Nơi nhận`` / signature band into
  columns (left column first), one paragraph per band line;
* joins lines wrapped by the page width into paragraphs (geometry, not punctuation) and merges a
  ruled table continued on the next page.
"""

from __future__ import annotations

import bisect
import ctypes
import functools
import itertools
import math
import operator
import statistics
import struct
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from ..document import Block, Format, OcrPageInfo, Paragraph, RawDocument, RawTable, Stamp
from ..errors import (
    DocumentTooLargeError,
    EncryptedDocumentError,
    NoTextLayerError,
    NoticeError,
    UnreadableDocumentError,
)
from . import pdf_widgets
from .layout import (
    Char,
    Grid,
    HEdge,
    Line,
    VEdge,
    Word,
    build_lines,
    find_grids,
    find_gutter,
    find_unruled_tables,
    shading_edges,
)
from .ocr import OcrMode

Rect = tuple[float, float, float, float]

MAX_PDF_BYTES = 100 * 1024 * 1024
MAX_PDF_PAGES = 2000
MAX_PATH_SEGMENTS = 60_000
"""Per page; beyond this (maps, charts) ruled-table detection is skipped for the page."""

MIN_LETTERS_TO_JUDGE = 30
"""Pages with fewer letters are too sparse to call garbled (a signature page, a number table)."""
MIN_DIACRITIC_RATIO = 0.08
"""Vietnamese prose has 20-35 % letters with diacritics; legacy-font garbage has ~0 %."""
MAX_GARBLED_TOKEN_RATIO = 0.08
MAX_BAD_CHAR_RATIO = 0.1

# A line starting like this opens a new paragraph (heading label or bullet), never a wrap.
_LABEL_RE = regex.compile(
    r"""^(?:
        [IVXL]{1,6}[.)]\s
      | \d{1,2}(?:\.\d{1,2})*[.)]\s
      | \d{1,2}(?:\.\d{1,2})+\s
      | [a-zđ]\)\s
      | \((?:\d{1,2}|[a-zđ])\)\s
      | [-+•*–—▪●○■□◦➢⁃✓]\s?
    )""",
    regex.VERBOSE,
)
_PAGE_NUMBER_RE = regex.compile(
    r"^(?:[-–—]\s*)?(?:trang\s+)?\d{1,4}(?:\s*/\s*\d{1,4})?(?:\s*[-–—])?$", regex.I
)
_DIGITS_RE = regex.compile(r"\d+")
_NOI_NHAN_RE = regex.compile(r"^n[ơo]i\s+nh[ậa]n\b", regex.I)
_BULLET_START_RE = regex.compile(r"^[-+•–]")
# A digit sandwiched between letters ("D6ng", "H4nh") is how legacy 8-bit fonts leak.
_GARBLED_TOKEN_RE = regex.compile(r"\p{L}\d+\p{L}|\(cid:\d+\)|[\[\]{}|\\^~`]{1}.*[\[\]{}|\\^~`]")
_VIET_EXTRA = frozenset("đĐ")


@dataclass
class _PageData:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    tables: list[tuple[Grid, list[list[str]], list[list[bool]]]] = field(default_factory=list)
    """(grid, cell texts, merged): ``merged`` marks grid slots continuing a spanning cell."""
    separators: list[HEdge] = field(default_factory=list)
    """Short horizontal rules (footnote separators are among them)."""
    notes: list[Line] = field(default_factory=list)
    """Footnote lines of the page (under the separator rule)."""
    has_images: bool = False
    image_cover: float = 0.0
    """Share of the page covered by its largest image (a scan's page image covers nearly all)."""
    ocr: OcrPageInfo | None = None
    """Set when the page's text comes from OCR."""
    letters: int = 0
    diacritic_letters: int = 0
    tokens: int = 0
    garbled_tokens: int = 0
    bad_chars: int = 0
    rules_skipped: bool = False
    stamps: list[Stamp] = field(default_factory=list)
    """Text of the page's signature widgets (see :mod:`.pdf_widgets`)."""
    widgets: list[pdf_widgets.Widget] = field(default_factory=list)
    """The signed widgets with their chars (kept for an OCR of the page, which leaves them out)."""

    @property
    def usable(self) -> bool:
        if self.letters < MIN_LETTERS_TO_JUDGE:
            return self.bad_chars <= max(self.letters, 3)
        return (
            self.diacritic_letters / self.letters >= MIN_DIACRITIC_RATIO
            and self.garbled_tokens / max(self.tokens, 1) <= MAX_GARBLED_TOKEN_RATIO
            and self.bad_chars / (self.letters + self.bad_chars) <= MAX_BAD_CHAR_RATIO
        )


# --- opening ---------------------------------------------------------------------------------------


def read_pdf(
    path: Path,
    data: bytes,
    *,
    password: str | None = None,
    max_bytes: int | None = None,
    max_pages: int | None = None,
    ocr: OcrMode = "auto",
) -> RawDocument:
    """Read a PDF into paragraphs and tables in reading order.

    ``ocr`` chooses per page where the text comes from: ``auto`` keeps a usable text layer and
    OCRs the pages that have none (scans, a garbled layer, a scan whose only text is a stamp),
    ``always`` OCRs every page, ``never`` none.
    """
    import pypdfium2 as pdfium

    limit_bytes = MAX_PDF_BYTES if max_bytes is None else max_bytes
    limit_pages = MAX_PDF_PAGES if max_pages is None else max_pages
    if len(data) > limit_bytes:
        raise DocumentTooLargeError(path, f"file is {len(data):,} bytes (limit {limit_bytes:,})")
    pdf = _open(pdfium, path, data, password)
    ocr_warnings: list[str] = []
    try:
        n_pages = len(pdf)
        if n_pages > limit_pages:
            raise DocumentTooLargeError(path, f"{n_pages} pages (limit {limit_pages})")
        pages = [_read_page(pdf, i) for i in range(n_pages)]
        wanted = _pages_to_ocr(pages, ocr)
        if wanted:
            ocr_warnings = _ocr_pages(path, pdf, pages, wanted, lambda: _open(pdfium, path, data, password), ocr)
    finally:
        pdf.close()
    warnings = _judge_text_layer(path, pages, ocr)
    warnings[:0] = ocr_warnings
    skipped = [p.number for p in pages if p.rules_skipped and p.ocr is None]
    if skipped:
        warnings.append(f"pdf_tables_skipped: pages {_page_list(skipped)} have too many vector paths")
    blocks = _assemble(pages)
    infos = [p.ocr for p in pages if p.ocr is not None]
    stamps = [s for p in pages for s in p.stamps]
    return RawDocument(
        format="pdf", blocks=blocks, pages=n_pages, warnings=warnings, ocr_pages=infos, stamps=stamps
    )


# --- OCR: which pages, and their page data ---------------------------------------------------------

SCAN_IMAGE_COVER = 0.5
"""A page whose largest image covers this share of it is a scan when its text layer is thin."""
SCAN_MAX_LETTERS = 400
"""Letters a scanned page may carry in its text layer and still be OCRed: signature and
publishing stamps (``Ký bởi: ...``, ``TRUNG TÂM CÔNG BÁO ...``) add about a hundred."""


def _needs_ocr(p: _PageData) -> bool:
    """Whether a page's text layer is unusable: garbled, or absent from a page image."""
    if not p.usable:
        return True
    if p.image_cover >= SCAN_IMAGE_COVER and p.letters < SCAN_MAX_LETTERS:
        return True
    return p.letters == 0 and p.has_images


def _pages_to_ocr(pages: list[_PageData], mode: OcrMode) -> list[int]:
    """0-based indices of the pages to OCR."""
    if mode == "never":
        return []
    if mode == "always":
        return list(range(len(pages)))
    return [i for i, p in enumerate(pages) if _needs_ocr(p)]  # auto, and header (reads a subset)


def _ocr_pages(
    path: Path, pdf: Any, pages: list[_PageData], wanted: list[int], reopen: Callable[[], Any],
    mode: OcrMode = "auto",
) -> list[str]:
    """Replace the text of the ``wanted`` pages by OCR; return warnings.

    Without Tesseract the error is raised when no page has a usable text layer; otherwise the
    pages stay as they are (the text-layer judgement drops the garbled ones) with a warning.
    """
    from . import ocr

    try:
        ocr.tesseract()
    except NoticeError as exc:
        if not any(p.usable and p.letters >= MIN_LETTERS_TO_JUDGE // 3 and not _needs_ocr(p) for p in pages):
            raise exc.for_path(path) from None
        return [f"ocr_unavailable: pages {_page_list([i + 1 for i in wanted])} need OCR: {exc.message}"]
    # Signature widgets are not drawn for OCR: their text is read from the file exactly (stamped
    # numbers join their line, stamp blocks stay out of the flow). The widget reader flattened
    # them into its pages, so their pages are rendered from the file opened anew.
    source = reopen() if any(pages[i].widgets for i in wanted) else pdf
    try:
        return _ocr_each(path, source, pages, wanted, mode)
    finally:
        if source is not pdf:
            source.close()


def _ocr_each(path: Path, pdf: Any, pages: list[_PageData], wanted: list[int], mode: OcrMode) -> list[str]:
    """OCR the pages as scans (:mod:`.scan`: the signature page found by its seal, seal ink out of
    the way, handwritten header fields read, header vocabulary mended); ``header`` mode reads
    page 1 and the signature page only, and leaves the others without text."""
    from . import ocr, scan

    # A scan's thin text layer (a publishing stamp, a signing note) is exact: its words are
    # kept and whited out of the image, and OCR reads the rest.
    kept = {i: _layer_words(pages[i]) if pages[i].usable and pages[i].letters < SCAN_MAX_LETTERS else [] for i in wanted}

    def build(i: int, result: Any, image: Any, dpi: float) -> _PageData:
        old = pages[i]
        data = ocr_result_page_data(old.number, old.width, old.height, result, image, dpi, old.widgets, kept[i])
        data.has_images = True
        return data

    try:
        done, warnings = scan.ocr_pages(
            pdf, wanted, mode, build, ocr.DEFAULT_DPI, lambda i: [(c.x0, c.top, c.x1, c.bottom) for c in kept[i]]
        )
    except NoticeError as exc:
        raise exc.for_path(path) from None
    for i in wanted:
        if i in done:
            pages[i] = done[i]
        else:  # not read (header mode): no text, and neither a garbled layer nor an unread image page
            old = pages[i]
            old.lines, old.tables = [], []
            old.letters = old.bad_chars = old.tokens = old.garbled_tokens = 0
            old.has_images = False
    return warnings


def _layer_words(p: _PageData) -> list[Char]:
    """The words of a page's text layer as one char each (what OCR would otherwise re-read)."""
    return [
        Char(w.text, w.x0, w.x1, w.top, w.bottom, ln.baseline, ln.size, True) for ln in p.lines for w in ln.words
    ]


def ocr_page_data(
    number: int,
    width: float,
    height: float,
    image: Any,
    dpi: float,
    widgets: Sequence[pdf_widgets.Widget] = (),
    kept: Sequence[Char] = (),
) -> _PageData:
    """OCR one page image into page data that the rest of this reader assembles like a text layer.

    ``width`` and ``height`` are the page size in points; the image spans the whole page.
    ``widgets`` (signed signature widgets read from the file, not drawn in ``image``) join the OCR
    text as they join a text layer; ``kept`` (text-layer words) are whited out of the image and
    join it too.
    """
    from . import ocr

    boxes = [(c.x0, c.top, c.x1, c.bottom) for c in kept]
    if boxes:
        from PIL import ImageDraw

        image = image.copy()
        draw = ImageDraw.Draw(image)
        k = dpi / 72.0
        white = 255 if image.mode == "L" else (255, 255, 255)
        for x0, top, x1, bottom in boxes:
            draw.rectangle((x0 * k - 2, top * k - 2, x1 * k + 2, bottom * k + 2), fill=white)
    return ocr_result_page_data(number, width, height, ocr.ocr_image(image, dpi=dpi), image, dpi, widgets, kept)


def ocr_result_page_data(
    number: int,
    width: float,
    height: float,
    result: Any,
    image: Any,
    dpi: float,
    widgets: Sequence[pdf_widgets.Widget] = (),
    kept: Sequence[Char] = (),
) -> _PageData:
    """Page data from one page's OCR result (:class:`.ocr.OcrImage`, words in pixels of ``image``
    at ``dpi``), the widgets and kept text-layer words joining it as in :func:`ocr_page_data`."""
    from . import ocr

    chars = ocr.ocr_chars(result) + list(kept)
    h, v = ocr.image_rules(result.image or image, dpi)
    data = _PageData(number, width, height)
    if widgets:
        data.widgets = list(widgets)
        data.stamps = pdf_widgets.merge_widgets(number, chars, data.widgets)
    _fill_page(data, chars, h, v)
    data.separators = []  # footnote rules are not told apart from underlines on an image
    data.ocr = ocr.page_info(number, result)
    return data


def read_page_images(path: Path, images: Iterable[tuple[Any, float]], fmt: Format) -> RawDocument:
    """Pages given as images (JPEG, PNG, TIFF frames) with their dpi: OCR and assemble them."""
    pages = []
    try:
        for n, (image, dpi) in enumerate(images, start=1):
            if n > MAX_PDF_PAGES:
                raise DocumentTooLargeError(path, f"more than {MAX_PDF_PAGES} pages")
            width, height = image.width * 72.0 / dpi, image.height * 72.0 / dpi
            pages.append(ocr_page_data(n, width, height, image, dpi))
    except NoticeError as exc:
        raise exc.for_path(path) from None
    warnings = _judge_text_layer(path, pages, "always")
    infos = [p.ocr for p in pages if p.ocr is not None]
    doc = RawDocument(format=fmt, blocks=_assemble(pages), pages=len(pages), warnings=warnings, ocr_pages=infos)
    return doc


def _open(pdfium: Any, path: Path, data: bytes, password: str | None) -> Any:
    import pypdfium2.raw as raw

    try:
        return pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == raw.FPDF_ERR_PASSWORD:
            msg = "wrong password" if password else "the document is password-protected"
            raise EncryptedDocumentError(path, msg) from exc
        if code == raw.FPDF_ERR_SECURITY:
            raise EncryptedDocumentError(path, "unsupported encryption scheme") from exc
        raise UnreadableDocumentError(path, f"not a readable PDF ({exc})") from exc


# --- one page: chars, rules, tables ----------------------------------------------------------------

Transform = Callable[[float, float], tuple[float, float]]


def _transform(rotation: int, box: tuple[float, float, float, float]) -> Transform:
    """User space (origin bottom-left) -> displayed page, origin top-left, rotation applied."""
    x_min, y_min, x_max, y_max = box
    if rotation == 90:
        return lambda x, y: (y - y_min, x - x_min)
    if rotation == 180:
        return lambda x, y: (x_max - x, y - y_min)
    if rotation == 270:
        return lambda x, y: (y_max - y, x_max - x)
    return lambda x, y: (x - x_min, y_max - y)


def _read_page(pdf: Any, index: int) -> _PageData:
    import pypdfium2.raw as raw

    page = pdf[index]
    try:
        rotation = int(page.get_rotation()) % 360
        x_min, y_min, x_max, y_max = (float(v) for v in page.get_cropbox())
        w, h = x_max - x_min, y_max - y_min
        width, height = (h, w) if rotation in (90, 270) else (w, h)
        tf = _transform(rotation, (x_min, y_min, x_max, y_max))
        data = _PageData(index + 1, width, height)
        textpage = page.get_textpage()
        try:
            chars, bad = _chars(raw, textpage.raw, tf, rotation)
        finally:
            textpage.close()
        data.bad_chars = bad
        h_edges, v_edges, shades, data.has_images, data.rules_skipped, image_area = _rules(raw, page.raw, tf)
        data.image_cover = min(1.0, image_area / max(width * height, 1.0))
        widgets = pdf_widgets.signed_widgets(raw, page.raw, tf)
        if widgets:
            pdf_widgets.read_widget_chars(pdf, page.raw, index, tf, widgets)
    finally:
        page.close()
    if widgets:
        data.widgets = widgets
        data.stamps = pdf_widgets.merge_widgets(data.number, chars, widgets)
    if shades and h_edges and v_edges:
        extra_h, extra_v = shading_edges(shades, h_edges, v_edges)
        h_edges += extra_h
        v_edges += extra_v
    _fill_page(data, chars, h_edges, v_edges)
    return data


_SURROGATES = range(0xD800, 0xE000)
_TEXT = operator.attrgetter("text")


def _codes(raw: Any, tp: Any, n: int) -> list[int]:
    """Unicode values of all chars of a text page, fetched in one call where that is faithful."""
    buf = (ctypes.c_ushort * (n + 1))()
    got = raw.FPDFText_GetText(tp, 0, n, buf)
    codes = list(buf[:n])
    # The bulk call is index-aligned with the char API unless surrogates appear; spot-check.
    if (
        got != n + 1
        or any(map(_SURROGATES.__contains__, codes))
        or any(raw.FPDFText_GetUnicode(tp, i) != codes[i] for i in range(0, n, 97))
    ):
        codes = [raw.FPDFText_GetUnicode(tp, i) for i in range(n)]
    return codes


_SPACE_CODES = frozenset((0x20, 0x0D, 0x0A, 0x09, 0xA0, 0x3000, 0x2002, 0x2003, 0x2009))
_BOX_ORIGIN = struct.Struct("=4f2d")
"""FS_RECTF (left, top, right, bottom as floats), then the origin x, y (doubles), in one buffer."""
_GLYPHS: dict[int, tuple[str, int]] = {}
"""Unicode value -> (char, kind): kind 0 a glyph, 1 unmappable, 2 a combining mark."""


def _glyph(u: int) -> tuple[str, int]:
    if u == 0x02 or u == 0xFFFE:
        u = 0x2D  # a hyphen ending a line: U+0002 from the char API, U+FFFE from the bulk one
    elif u < 0x20 or u == 0xFFFD or u == 0xFFFF or 0xE000 <= u <= 0xF8FF:
        return "", 1  # unmapped glyph / private-use code: the font has no usable Unicode map
    ch = chr(u)
    return ch, 2 if unicodedata.combining(ch) else 0


@functools.cache
def _char_api(raw: Any) -> tuple[Any, Any, Any, Any, Any]:
    """pdfium's per-char functions without ctypes' argument conversion.

    pypdfium2 declares ``argtypes`` on every function, so each call converts and type-checks its
    arguments in Python; the reader makes three calls per character, where that costs more than
    pdfium's own work. The same C functions called through bare pointers (the arguments passed
    are ctypes objects or small ints already) cost about a third.
    """

    def bare(fn: Any, restype: Any) -> Any:
        out = type(fn)(ctypes.cast(fn, ctypes.c_void_p).value)  # same address, no argtypes
        out.restype = restype
        return out

    text_object = getattr(raw, "FPDFText_GetTextObject", None)
    return (
        bare(raw.FPDFText_GetLooseCharBox, ctypes.c_int),
        bare(raw.FPDFText_GetCharOrigin, ctypes.c_int),
        bare(raw.FPDFText_GetFontSize, ctypes.c_double),
        bare(raw.FPDFText_GetCharAngle, ctypes.c_float),
        bare(text_object, ctypes.c_void_p) if text_object is not None else lambda tp, i: None,
    )


def _chars(raw: Any, tp: Any, tf: Transform, rotation: int) -> tuple[list[Char], int]:
    """Characters of a text page; the count of unmappable glyphs is returned alongside.

    Per character pdfium is asked for its loose box and baseline origin. Font size and angle
    belong to the char's text object (pdfium gives every char of an object the object's size
    and matrix), so they are fetched once per text object.
    """
    n = raw.FPDFText_CountChars(tp)
    if n <= 0:
        return [], 0
    codes = _codes(raw, tp, n)
    loose_box, origin, font_size, angle, text_object = _char_api(raw)
    buf = ctypes.create_string_buffer(_BOX_ORIGIN.size)
    rect_ref, ox_ref, oy_ref = ctypes.byref(buf), ctypes.byref(buf, 16), ctypes.byref(buf, 24)
    unpack = _BOX_ORIGIN.unpack_from
    upright = rotation == 0
    page_top = tf(0.0, 0.0)[1]  # for rotation 0: top = page_top - y
    x_shift = -tf(0.0, 0.0)[0]
    chars: list[Char] = []
    append = chars.append
    space = False
    bad = 0
    degrees = math.degrees
    glyphs = _GLYPHS
    spaces = _SPACE_CODES
    # text object -> (font size,), or () when its text is not upright as displayed
    objects: dict[int, tuple[float, ...]] = {}
    for i, u in enumerate(codes):
        if u in spaces:
            space = True  # a real space or one pdfium generated between words/lines
            continue
        glyph = glyphs.get(u)
        if glyph is None:
            glyph = glyphs[u] = _glyph(u)
        ch, kind = glyph
        if kind:
            if kind == 1:
                bad += 1
                continue
            if chars:
                chars[-1].text += ch  # a separately drawn tone mark belongs to the letter before it
                continue
        obj = text_object(tp, i)
        entry = objects.get(obj) if obj else None
        if entry is None:
            a = angle(tp, i)  # radians, clockwise in user space; -1 on error
            if a >= 0 and (a > 0.05 or rotation) and 3 < (degrees(a) + rotation) % 360 < 357:
                entry = ()  # text not upright as displayed (stamps, margin notes) is not body text
            else:
                entry = (font_size(tp, i),)
            if obj:
                objects[obj] = entry
        if not entry:
            continue
        loose_box(tp, i, rect_ref)
        origin(tp, i, ox_ref, oy_ref)
        left, top_y, right, bottom_y, ox, oy = unpack(buf)
        if upright:
            x0, x1 = left - x_shift, right - x_shift
            top, bottom, base = page_top - top_y, page_top - bottom_y, page_top - oy
        else:
            x0, top = tf(left, top_y)
            x1, bottom = tf(right, bottom_y)
            base = tf(ox, oy)[1]
        if x0 > x1:
            x0, x1 = x1, x0
        if top > bottom:
            top, bottom = bottom, top
        append(Char(ch, x0, x1, top, bottom, base, entry[0] or (bottom - top), space))
        space = False
    return chars, bad


def _rules(
    raw: Any, page: Any, tf: Transform
) -> tuple[list[HEdge], list[VEdge], list[Rect], bool, bool, float]:
    """Visible horizontal/vertical rule segments of a page, shaded rectangles, whether it has
    images, whether rule collection was abandoned for too many paths, and the area of the
    largest image (page units squared)."""
    h: list[HEdge] = []
    v: list[VEdge] = []
    shades: list[Rect] = []
    state = {"images": False, "segments": 0, "image_area": 0.0}
    matrix = raw.FS_MATRIX()
    fx, fy = ctypes.c_float(), ctypes.c_float()
    rgba = [ctypes.c_uint() for _ in range(4)]
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    bounds = [ctypes.c_float() for _ in range(4)]

    def visible(getter: Any, obj: Any) -> bool:
        if not getter(obj, *(ctypes.byref(c) for c in rgba)):
            return True
        red, green, blue, alpha = (c.value for c in rgba)
        # White or transparent rules draw nothing (Word often emits white table borders).
        return alpha > 0 and min(red, green, blue) < 235

    def walk(count: int, get: Callable[[int], Any], parent: tuple[float, ...]) -> bool:
        for i in range(count):
            obj = get(i)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_IMAGE:
                state["images"] = True
                if raw.FPDFPageObj_GetBounds(obj, *(ctypes.byref(c) for c in bounds)):
                    left, bottom, right, top = (c.value for c in bounds)
                    a, b, c, d = parent[:4]
                    area = abs(right - left) * abs(top - bottom) * abs(a * d - b * c)
                    state["image_area"] = max(float(state["image_area"]), area)
            elif kind == raw.FPDF_PAGEOBJ_FORM:
                m = _compose(parent, _matrix(raw, obj, matrix))
                n = raw.FPDFFormObj_CountObjects(obj)
                if not walk(n, functools.partial(raw.FPDFFormObj_GetObject, obj), m):
                    return False
            elif kind == raw.FPDF_PAGEOBJ_PATH:
                if not raw.FPDFPath_GetDrawMode(obj, ctypes.byref(fill_mode), ctypes.byref(stroke)):
                    continue
                stroked = bool(stroke.value) and visible(raw.FPDFPageObj_GetStrokeColor, obj)
                filled = bool(fill_mode.value) and visible(raw.FPDFPageObj_GetFillColor, obj)
                if not (stroked or filled):
                    continue
                nseg = raw.FPDFPath_CountSegments(obj)
                state["segments"] += nseg
                if state["segments"] > MAX_PATH_SEGMENTS:
                    return False
                if not stroked and nseg <= 5 and _filled_box(raw, obj, parent, tf, bounds, h, v, shades):
                    continue  # one filled rectangle: its bounds say all (fast path)
                m = _compose(parent, _matrix(raw, obj, matrix))
                _path_edges(raw, obj, nseg, m, tf, fx, fy, stroked, h, v, shades)
        return True

    ok = walk(
        raw.FPDFPage_CountObjects(page), functools.partial(raw.FPDFPage_GetObject, page), (1, 0, 0, 1, 0, 0)
    )
    if not ok:
        return [], [], [], bool(state["images"]), True, float(state["image_area"])
    return h, v, shades, bool(state["images"]), False, float(state["image_area"])


def _filled_box(
    raw: Any,
    obj: Any,
    parent: tuple[float, ...],
    tf: Transform,
    bounds: list[Any],
    h: list[HEdge],
    v: list[VEdge],
    shades: list[Rect],
) -> bool:
    """Classify a filled (not stroked) single-rectangle path from its bounds: a thin bar is a
    rule, a larger box is shading. False when the bounds are not usable (rotated, no bounds)."""
    if not raw.FPDFPageObj_GetBounds(obj, *(ctypes.byref(c) for c in bounds)):
        return False
    a, b, c, d, e, f = parent
    if b != 0 or c != 0:
        return False  # a rotated/skewed form: walk the segments instead
    left, bottom, right, top = (x.value for x in bounds)
    x0, y0 = tf(a * left + e, d * bottom + f)
    x1, y1 = tf(a * right + e, d * top + f)
    x0, x1 = min(x0, x1), max(x0, x1)
    y0, y1 = min(y0, y1), max(y0, y1)
    w, ht = x1 - x0, y1 - y0
    if ht <= 3.0 < w:
        h.append(HEdge((y0 + y1) / 2, x0, x1))
    elif w <= 3.0 < ht:
        v.append(VEdge((x0 + x1) / 2, y0, y1))
    elif w > 3.0 and ht > 3.0:
        shades.append((x0, y0, x1, y1))
    return True


def _matrix(raw: Any, obj: Any, matrix: Any) -> tuple[float, ...]:
    if not raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix)):
        return (1, 0, 0, 1, 0, 0)
    return (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)


def _compose(outer: tuple[float, ...], inner: tuple[float, ...]) -> tuple[float, ...]:
    """Matrix applying ``inner`` first, then ``outer`` (PDF row-vector convention)."""
    a1, b1, c1, d1, e1, f1 = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (
        a1 * a2 + b1 * c2,
        a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2,
        c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2,
        e1 * b2 + f1 * d2 + f2,
    )


def _path_edges(
    raw: Any,
    obj: Any,
    nseg: int,
    m: tuple[float, ...],
    tf: Transform,
    fx: Any,
    fy: Any,
    stroked: bool,
    h: list[HEdge],
    v: list[VEdge],
    shades: list[Rect],
) -> None:
    """Rules drawn by one path: its straight segments when stroked; when only filled, each
    subpath that is a thin bar (how Word draws table borders). Larger filled areas are cell
    shading or text highlight, whose outlines are not rules."""
    a, b, c, d, e, f = m
    subpaths: list[list[tuple[float, float]]] = []
    for i in range(nseg):
        seg = raw.FPDFPath_GetPathSegment(obj, i)
        raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(fx), ctypes.byref(fy))
        x, y = fx.value, fy.value
        pt = tf(a * x + c * y + e, b * x + d * y + f)
        kind = raw.FPDFPathSegment_GetType(seg)
        if kind == raw.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([pt])
        elif kind == raw.FPDF_SEGMENT_LINETO:
            subpaths[-1].append(pt)
        else:
            subpaths[-1].append((math.nan, math.nan))  # a curve: not a straight rule
            subpaths[-1].append(pt)
        if raw.FPDFPathSegment_GetClose(seg):
            subpaths[-1].append(subpaths[-1][0])
    for pts in subpaths:
        if stroked:
            for (x0, y0), (x1, y1) in itertools.pairwise(pts):
                if math.isnan(x0) or math.isnan(x1):
                    continue
                if abs(y1 - y0) < 1.0 and abs(x1 - x0) > 0.2:
                    h.append(HEdge((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
                elif abs(x1 - x0) < 1.0 and abs(y1 - y0) > 0.2:
                    v.append(VEdge((x0 + x1) / 2, min(y0, y1), max(y0, y1)))
            continue
        xs = [p[0] for p in pts if not math.isnan(p[0])]
        ys = [p[1] for p in pts if not math.isnan(p[1])]
        if len(xs) < 3:
            continue
        w, ht = max(xs) - min(xs), max(ys) - min(ys)
        if ht <= 3.0 < w:
            h.append(HEdge((min(ys) + max(ys)) / 2, min(xs), max(xs)))
        elif w <= 3.0 < ht:
            v.append(VEdge((min(xs) + max(xs)) / 2, min(ys), max(ys)))
        elif w > 3.0 and ht > 3.0 and len(pts) <= 6:
            shades.append((min(xs), min(ys), max(xs), max(ys)))


def _fill_page(data: _PageData, chars: list[Char], h: list[HEdge], v: list[VEdge]) -> None:
    """Tables from the rules, their chars into cells, the rest into lines; text-layer stats."""
    grids = find_grids(h, v) if h and v else []
    prose = chars
    for grid in grids:
        x0, top, x1, bottom = grid.bbox
        inside: list[Char] = []
        rest: list[Char] = []
        for ch in prose:
            cx, cy = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
            (inside if x0 <= cx <= x1 and top <= cy <= bottom else rest).append(ch)
        found = _grid_rows(grid, inside)
        if found is None:
            continue  # an empty or one-cell frame: its text stays prose
        data.tables.append((grid, *found))
        prose = rest
    data.lines = build_lines(prose)
    # Candidate footnote separators: any horizontal rule outside tables that starts where the
    # text starts (Word draws a short one, and a full-width one for continued footnotes).
    left = min((ln.x0 for ln in data.lines), default=0.0)
    data.separators = [
        e for e in h if e.x1 - e.x0 >= 60 and abs(e.x0 - left) <= 12 and not _in_tables(e, data)
    ]
    all_words: list[Word] = [w for ln in data.lines for w in ln.words]
    for _grid, rows, _merged in data.tables:
        for row in rows:
            for cell in row:
                all_words.extend(Word(t, 0, 0, 0, 0, 0) for t in cell.split())
    # Chars and words repeat (a page has a few hundred distinct ones): judge each text once.
    for text, count in Counter(map(_TEXT, chars)).items():
        if text[0].isalpha():
            data.letters += count
            base = unicodedata.normalize("NFD", text)
            if len(base) > 1 or text[0] in _VIET_EXTRA:
                data.diacritic_letters += count
    data.tokens = len(all_words)
    search = _GARBLED_TOKEN_RE.search
    data.garbled_tokens = sum(n for text, n in Counter(map(_TEXT, all_words)).items() if search(text))


def _in_tables(e: HEdge, data: _PageData) -> bool:
    for grid, _rows, _merged in data.tables:
        x0, top, x1, bottom = grid.bbox
        if top - 2 <= e.y <= bottom + 2 and x0 - 2 <= e.x0 and e.x1 <= x1 + 2:
            return True
    return False


def _grid_rows(grid: Grid, chars: list[Char]) -> tuple[list[list[str]], list[list[bool]]] | None:
    """Cell texts row by row; a spanning cell repeats its text in every grid slot it covers,
    and the second list marks those repeats (every slot of a cell but its top-left one)."""
    if len(grid.cells) < 2:
        return None
    buckets: list[list[Char]] = [[] for _ in grid.cells]
    owner: dict[tuple[int, int], int] = {}
    for k, cell in enumerate(grid.cells):
        for r in range(cell.row0, cell.row1):
            for c in range(cell.col0, cell.col1):
                owner[(r, c)] = k
    xs, ys = grid.xs, grid.ys
    for ch in chars:
        cx, cy = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
        slot = (bisect.bisect_right(ys, cy) - 1, bisect.bisect_right(xs, cx) - 1)
        k = owner.get(slot, -1)
        if k >= 0:
            buckets[k].append(ch)
    rows = [["" for _ in range(grid.n_cols)] for _ in range(grid.n_rows)]
    merged = [[False for _ in range(grid.n_cols)] for _ in range(grid.n_rows)]
    any_text = False
    for cell, bucket in zip(grid.cells, buckets, strict=True):
        text = _cell_text(build_lines(bucket)) if bucket else ""
        any_text = any_text or bool(text)
        for r in range(cell.row0, cell.row1):
            for c in range(cell.col0, cell.col1):
                rows[r][c] = text
                merged[r][c] = (r, c) != (cell.row0, cell.col0)
    if not any_text:
        return None
    keep = [k for k, row in enumerate(rows) if any(row)]
    return [rows[k] for k in keep], [merged[k] for k in keep]


def _cell_text(lines: Sequence[Line]) -> str:
    """Lines of one cell: wraps joined by a space, a bullet or label line on its own line."""
    out = ""
    for ln in lines:
        text = ln.text
        if not out:
            out = text
        elif _LABEL_RE.match(text):
            out += "\n" + text
        else:
            out = _join(out, text)
    return out


def _join(left: str, right: str) -> str:
    """Join a wrapped line; a compound broken after its hyphen ("QĐ-" + "UBND") rejoins tight."""
    if left.endswith("-") and len(left) > 1 and not left[-2].isspace() and right[:1].isalnum():
        return left + right
    return left + " " + right


# --- text-layer quality ----------------------------------------------------------------------------


def _page_list(numbers: Sequence[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def _judge_text_layer(path: Path, pages: list[_PageData], ocr: OcrMode = "auto") -> list[str]:
    warnings: list[str] = []
    garbled = [p for p in pages if not p.usable]
    good_letters = sum(p.letters for p in pages if p.usable)
    if good_letters < MIN_LETTERS_TO_JUDGE // 3:
        if any(p.ocr is not None for p in pages):
            raise NoTextLayerError(path, "OCR found no readable text on any page (blank or not a document?)")
        hint = "; OCR is off (ocr='never')" if ocr == "never" else "; OCR the document"
        if garbled:
            raise NoTextLayerError(
                path,
                f"the text layer is garbled on {_plural(len(garbled), 'page')} "
                f"(legacy font encoding or unmapped glyphs){hint}",
            )
        raise NoTextLayerError(path, f"no text layer (scanned images?){hint}")
    if garbled:
        numbers = [p.number for p in garbled]
        warnings.append(
            f"pdf_unusable_pages: pages {_page_list(numbers)} have no usable Vietnamese text layer; "
            "their text was dropped"
        )
        for p in garbled:
            p.lines, p.tables = [], []
    empty = [p.number for p in pages if p.letters == 0 and p.has_images and p.usable]
    if empty:
        warnings.append(f"pdf_no_text_pages: pages {_page_list(empty)} have images but no text layer")
    return warnings


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# --- page furniture --------------------------------------------------------------------------------


def _furniture_key(text: str) -> str:
    return str(_DIGITS_RE.sub("#", " ".join(text.lower().split())))


def _drop_furniture(pages: list[_PageData]) -> None:
    """Remove page numbers and headers/footers repeated across pages; set footnote areas apart."""
    zone: Counter[str] = Counter()
    for p in pages:
        seen = set()
        for ln in p.lines:
            if _in_margin(ln, p):
                seen.add(_furniture_key(ln.text))
        zone.update(seen)
    repeat = max(3, (len(pages) + 1) // 2)
    body_size = _body_size(pages)
    for p in pages:
        kept = []
        for ln in p.lines:
            if _in_margin(ln, p) and (
                _PAGE_NUMBER_RE.match(ln.text)
                or (len(pages) >= 3 and zone[_furniture_key(ln.text)] >= repeat)
            ):
                continue
            kept.append(ln)
        p.lines, p.notes = _split_footnotes(kept, p, body_size)


def _in_margin(ln: Line, p: _PageData) -> bool:
    return ln.bottom < p.height * 0.085 or ln.top > p.height * 0.915


def _body_size(pages: list[_PageData]) -> float:
    sizes: Counter[float] = Counter()
    for p in pages:
        for ln in p.lines:
            sizes[round(ln.size * 2) / 2] += len(ln.words)
    return sizes.most_common(1)[0][0] if sizes else 12.0


def _split_footnotes(lines: list[Line], p: _PageData, body_size: float) -> tuple[list[Line], list[Line]]:
    """(body, notes): lines under a short separator rule, in a smaller font than the body, are
    footnotes. Their text counts (GUIDELINES v2: references and KPIs in footnotes sit after the
    body of their page); their reference marks were dropped with the superscript digits."""
    for sep in sorted(p.separators, key=lambda e: e.y):
        below = [ln for ln in lines if ln.top >= sep.y - 1]
        if (
            below
            and all(ln.size <= body_size - 0.75 for ln in below)
            and not any(_NOI_NHAN_RE.match(ln.text) for ln in below)
        ):
            return [ln for ln in lines if ln.top < sep.y - 1], below
    return lines, []


# --- assembly: bands, tables, paragraphs -----------------------------------------------------------


@dataclass
class _Item:
    page: int
    top: float
    line: Line | None = None
    table: list[list[str]] | None = None
    grid: Grid | None = None
    merged: list[list[bool]] | None = None
    band: str | None = None
    """"left"/"right" column of a two-column band, "solo" for a band line not split."""
    band_id: int = 0
    note: bool = False
    """A footnote line."""


@dataclass
class _Metrics:
    left: float
    right: float
    pitches: dict[float, float]
    """Median baseline-to-baseline distance by font size (rounded to 0.5 pt)."""
    default_pitch: float

    def pitch(self, size: float) -> float:
        return self.pitches.get(round(size * 2) / 2, self.default_pitch)


def _assemble(pages: list[_PageData]) -> list[Block]:
    _drop_furniture(pages)
    items: list[_Item] = []
    band_counter = [0]
    for p in pages:
        items.extend(_page_items(p, band_counter))
    metrics = _page_metrics(pages)
    return _blocks(items, metrics)


def _page_items(p: _PageData, band_counter: list[int]) -> list[_Item]:
    lines = p.lines
    out: list[_Item] = []
    used: set[int] = set()
    bands: list[tuple[float, list[_Item]]] = []
    signature_id = -1
    for kind, span in (("header", _header_band(p) if p.number == 1 else None), ("signature", _signature_band(p))):
        if span is None:
            continue
        idx, gutter_x = span
        idx = [i for i in idx if i not in used]
        if not idx:
            continue
        used.update(idx)
        band_counter[0] += 1
        bid = band_counter[0]
        if kind == "signature":
            signature_id = bid
        left: list[_Item] = []
        right: list[_Item] = []
        for i in idx:
            ln = lines[i]
            if gutter_x is None:
                left.append(_Item(p.number, ln.top, ln, band="solo", band_id=bid))
                continue
            lpart, rpart = ln.split(gutter_x)
            if lpart:
                left.append(_Item(p.number, ln.top, lpart, band="left", band_id=bid))
            if rpart:
                right.append(_Item(p.number, ln.top, rpart, band="right", band_id=bid))
        bands.append((lines[idx[0]].top, left + right))
    # Tables without rules: columns aligned by tabs or spaces in the lines left.
    free = [i for i in range(len(lines)) if i not in used]
    for a, b, rows in find_unruled_tables([lines[i] for i in free]):
        out.append(_Item(p.number, lines[free[a]].top, table=rows))
        used.update(free[a:b])
    for i, ln in enumerate(lines):
        if i not in used:
            out.append(_Item(p.number, ln.top, ln))
    for grid, rows, merged in p.tables:
        out.append(_Item(p.number, grid.ys[0], table=rows, grid=grid, merged=merged))
    ordered = sorted(out, key=lambda it: it.top)
    for top, band_items in sorted(bands, key=lambda b: b[0]):
        pos = next((k for k, it in enumerate(ordered) if it.top > top), len(ordered))
        ordered[pos:pos] = band_items
    if p.notes:
        # After the body, before a signature band that closes the page.
        pos = next((k for k, it in enumerate(ordered) if it.band is not None and it.band_id == signature_id),
                   len(ordered))
        ordered[pos:pos] = [_Item(p.number, ln.top, ln, note=True) for ln in p.notes]
    return ordered


def _gutter_widths(lines: Sequence[Line]) -> tuple[float, float]:
    """(narrowest gutter kept, word gap that separates columns within one line)."""
    size = statistics.median([ln.size for ln in lines]) if lines else 12.0
    return max(6.0, 0.5 * size), max(10.0, 1.2 * size)


def _header_band(p: _PageData) -> tuple[list[int], float | None] | None:
    """The two-column header at the top of page 1: indices of its lines and the gutter x.

    The band grows line by line from the top while a common gutter survives; it is accepted
    once it holds two lines with text on both sides of the gutter, or one such line plus lines
    only on the left and only on the right (columns whose lines do not share baselines).
    One-sided lines below the last two-sided one stay in their column when they are close.
    """
    top_lines = [i for i, ln in enumerate(p.lines[:16]) if ln.top < p.height * 0.45]
    if len(top_lines) < 2:
        return None
    lines = [p.lines[i] for i in top_lines]
    min_width, column_gap = _gutter_widths(lines)
    size = statistics.median([ln.size for ln in lines])
    for s in range(min(3, len(lines) - 1)):
        best: tuple[int, float] | None = None
        prev_gutter = None
        for e in range(s + 1, len(lines) + 1):
            band = lines[s:e]
            if e > s + 1 and band[-1].top - band[-2].bottom > 3.0 * size:
                break  # a wide vertical gap ends the header
            g = find_gutter(band, min_width, cluster_gap=column_gap)
            if g is not None and not p.width * 0.2 < g.mid < p.width * 0.8:
                g = None
            if g is None:
                if prev_gutter is not None:
                    break  # this line crosses the gutter
                continue
            prev_gutter = g
            left_only = any(ln.x1 <= g.x0 + 0.5 for ln in band)
            right_only = any(ln.x0 >= g.x1 - 0.5 for ln in band)
            if g.two_sided >= 2 or (left_only and right_only):
                best = (e, g.mid)
        if best is not None:
            return top_lines[s : best[0]], best[1]
    return None


def _signature_band(p: _PageData) -> tuple[list[int], float | None] | None:
    """Lines from the ``Nơi nhận`` line to the end of its page, and their gutter."""
    lines = p.lines
    if not lines:
        return None
    min_width, column_gap = _gutter_widths(lines)
    start = None
    for i, ln in enumerate(lines):
        limit = ln.first_cluster_end(column_gap) + 0.1
        head = " ".join([w.text for w in ln.words if w.x1 <= limit])
        if _NOI_NHAN_RE.match(head):
            start = i
            break
    if start is None:
        return None
    end = len(lines)
    for grid, _rows, _merged in p.tables:
        if grid.ys[0] > lines[start].top:
            end = min(end, next((k for k, ln in enumerate(lines) if ln.top >= grid.ys[0]), end))
    band = lines[start:end]
    g = find_gutter(band, min_width, cluster_gap=column_gap)
    if g is None:
        return list(range(start, end)), None
    idx = list(range(start, end))
    # The right column may begin a line or two above "Nơi nhận" (authority line set higher).
    pitch = _median_pitch(band) or band[0].size * 1.5
    k = start - 1
    top = band[0]
    while k >= 0 and start - k <= 2:
        ln = lines[k]
        if ln.x0 > g.x1 and top.top - ln.bottom < 1.6 * pitch:
            idx.insert(0, k)
            top = ln
            k -= 1
        else:
            break
    return idx, g.mid


def _median_pitch(lines: Sequence[Line]) -> float:
    deltas = [
        b.baseline - a.baseline
        for a, b in itertools.pairwise(lines)
        if 0 < b.baseline - a.baseline < 2.5 * max(a.size, b.size)
    ]
    return statistics.median(deltas) if deltas else 0.0


def _page_metrics(pages: list[_PageData]) -> dict[int, _Metrics]:
    """Left/right text margins and line pitch per page (document-wide values for sparse pages)."""

    def margins(lines: Sequence[Line]) -> tuple[float, float] | None:
        if not lines:
            return None
        need = max(2, len(lines) // 5)
        xs0 = Counter(round(ln.x0) for ln in lines)
        xs1 = Counter(round(ln.x1) for ln in lines)
        left = next(
            (x for x in sorted(xs0) if sum(xs0[y] for y in range(x - 2, x + 3)) >= need),
            min(xs0),
        )
        right = next(
            (x for x in sorted(xs1, reverse=True) if sum(xs1[y] for y in range(x - 2, x + 3)) >= need),
            max(xs1),
        )
        return float(left), float(right)

    out: dict[int, _Metrics] = {}
    by_width: dict[int, list[Line]] = {}
    for p in pages:
        by_width.setdefault(round(p.width / 10), []).extend(p.lines)
    doc_margins = {w: margins(lns) for w, lns in by_width.items()}
    doc_pitches = _pitches([p.lines for p in pages])
    doc_pitch = statistics.median(doc_pitches.values()) if doc_pitches else 18.0
    for p in pages:
        m = margins(p.lines) if len(p.lines) >= 6 else None
        m = m or doc_margins.get(round(p.width / 10)) or (0.0, p.width)
        pitches = {**doc_pitches, **_pitches([p.lines])}
        out[p.number] = _Metrics(m[0], m[1], pitches, doc_pitch)
    return out


def _pitches(groups: Sequence[Sequence[Line]]) -> dict[float, float]:
    """Median baseline distance between consecutive lines of the same font size, by size."""
    deltas: dict[float, list[float]] = {}
    for lines in groups:
        for a, b in itertools.pairwise(lines):
            if abs(a.size - b.size) <= 0.5 and 0 < b.baseline - a.baseline < 2.5 * a.size:
                deltas.setdefault(round(a.size * 2) / 2, []).append(b.baseline - a.baseline)
    return {k: statistics.median(v) for k, v in deltas.items() if len(v) >= 2}


def _starts_paragraph(text: str) -> bool:
    return bool(_LABEL_RE.match(text))


def _continues(
    prev: _Item,
    cur: _Item,
    para_x: float | None,
    para_first_x: float | None,
    metrics: dict[int, _Metrics],
) -> bool:
    """Whether line ``cur`` is the wrapped continuation of ``prev`` (geometry, not punctuation)."""
    a, b = prev.line, cur.line
    assert a is not None and b is not None
    pm, cm = metrics[prev.page], metrics[cur.page]
    tol = max(2.0, 0.5 * b.size)
    if _starts_paragraph(b.text):
        # "kinh tế - xã hội" wrapped before its dash looks like a bullet; in a document that
        # indents paragraph starts, a dash line flush with the left margin is a wrap.
        dash = b.text[:1] in "-–+"
        if not (
            dash and abs(b.x0 - cm.left) <= tol and para_first_x is not None and para_first_x > cm.left + tol
        ):
            return False
    if abs(a.size - b.size) > 1.5:
        return False
    # previous line filled the measure: justified to the right margin, or the next line's first
    # word would not have fitted after it
    first_word = b.words[0].x1 - b.words[0].x0
    if not (a.x1 >= pm.right - tol or a.x1 + 0.3 * b.size + first_word > pm.right):
        return False
    # next line starts at the left margin (no first-line indent) or under the paragraph's text
    at_left = abs(b.x0 - cm.left) <= tol
    at_para = para_x is not None and abs(b.x0 - para_x) <= tol
    if not (at_left or at_para):
        return False
    if prev.page == cur.page:
        if b.baseline - a.baseline > 1.25 * pm.pitch(a.size) + 1.0:
            return False
    return True


def _blocks(items: list[_Item], metrics: dict[int, _Metrics]) -> list[Block]:
    blocks: list[Block] = []
    para: list[str] = []
    para_item: _Item | None = None
    para_start_page = 0
    para_x: float | None = None
    para_first_x: float | None = None
    last_item: _Item | None = None
    prev_table: tuple[RawTable, Grid, int] | None = None
    page_first: dict[int, int] = {}
    for k, it in enumerate(items):
        page_first.setdefault(it.page, k)

    held: list[_Item] = []

    def flush() -> None:
        nonlocal para, para_item, para_x
        if para:
            text = para[0]
            for piece in para[1:]:
                text = _join(text, piece)
            blocks.append(Paragraph(text, page=para_start_page))
        para, para_item, para_x = [], None, None
        if held:
            # A page's footnotes follow the paragraph running at its end (which may go on over
            # the page break), so that they never split a paragraph.
            blocks.extend(_note_paragraphs(held, metrics))
            held.clear()

    for k, it in enumerate(items):
        if it.note:
            held.append(it)
            continue
        if it.table is not None:
            flush()
            merged = False
            if (
                it.grid is not None
                and prev_table is not None
                and last_item is not None
                and last_item.table is not None
                and last_item.page == it.page - 1
                and page_first.get(it.page) == k
            ):
                merged = _merge_continued(prev_table[0], prev_table[1], it.table, it.merged, it.grid)
            if not merged:
                table = RawTable([list(r) for r in it.table], page=it.page,
                                 merged=[list(r) for r in it.merged] if it.merged is not None else None)
                blocks.append(table)
                prev_table = (table, it.grid, it.page) if it.grid is not None else None
            else:
                assert prev_table is not None and it.grid is not None
                prev_table = (prev_table[0], it.grid, it.page)
            last_item = it
            continue
        assert it.line is not None
        text = it.line.text
        if it.band is not None:
            # Band lines are their own paragraphs, except a wrapped "Nơi nhận" entry.
            if (
                it.band == "left"
                and para_item is not None
                and para_item.band == "left"
                and para_item.band_id == it.band_id
                and _BULLET_START_RE.match(para[0])
                and not _BULLET_START_RE.match(text)
                and not _NOI_NHAN_RE.match(text)
                and not para[-1].rstrip().endswith((";", ".", ":"))
            ):
                para.append(text)
                para_item = it
            else:
                flush()
                para, para_item, para_start_page = [text], it, it.page
            last_item = it
            continue
        if (
            para_item is not None
            and para_item.band is None
            and last_item is para_item
            and _continues(para_item, it, para_x, para_first_x, metrics)
        ):
            para.append(text)
            if para_x is None:
                para_x = it.line.x0
            para_item = it
        else:
            flush()
            para, para_item, para_start_page = [text], it, it.page
            para_x = _hanging_x(it.line)
            para_first_x = it.line.x0
        last_item = it
    flush()
    return blocks


def _note_paragraphs(items: list[_Item], metrics: dict[int, _Metrics]) -> list[Paragraph]:
    """Footnote lines joined into one paragraph per note (wraps found as in the body)."""
    out: list[Paragraph] = []
    cur: list[str] = []
    prev: _Item | None = None
    page = items[0].page
    for it in items:
        assert it.line is not None
        if prev is not None and prev.page == it.page and _continues(prev, it, None, None, metrics):
            cur.append(it.line.text)
        else:
            if cur:
                out.append(Paragraph(functools.reduce(_join, cur), page=page, note=True))
            cur, page = [it.line.text], it.page
        prev = it
    if cur:
        out.append(Paragraph(functools.reduce(_join, cur), page=page, note=True))
    return out


def _hanging_x(line: Line) -> float | None:
    """Where the text of a labelled line starts (continuation lines of a hanging indent align)."""
    if len(line.words) >= 2 and _LABEL_RE.match(line.text):
        return line.words[1].x0
    return None


def _merge_continued(
    table: RawTable, grid: Grid, rows: list[list[str]], merged: list[list[bool]] | None, new_grid: Grid
) -> bool:
    """Append a table continued from the previous page when its columns line up."""
    if new_grid.n_cols != grid.n_cols or not rows:
        return False
    widths = [b - a for a, b in itertools.pairwise(grid.xs)]
    new_widths = [b - a for a, b in itertools.pairwise(new_grid.xs)]
    if any(abs(a - b) > 3.0 for a, b in zip(widths, new_widths, strict=True)):
        return False  # compare column widths: the page may be centred differently
    # Drop the repeated header: leading rows that agree with the first rows wherever they have text.
    skip = 0
    for i, row in enumerate(rows[:3]):
        if i >= len(table.rows):
            break
        head = table.rows[i]
        if any(row) and all(c == "" or c == h for c, h in zip(row, head, strict=True)):
            skip = i + 1
        else:
            break
    table.rows.extend(list(r) for r in rows[skip:])
    if table.merged is not None:
        if merged is None:
            table.merged = None
        else:
            table.merged.extend(list(r) for r in merged[skip:])
    return True
