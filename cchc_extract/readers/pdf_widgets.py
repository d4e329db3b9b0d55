"""Text drawn by signature widgets: the stamped number and day, and the signing stamps.

E-office systems type the document's sequence number and day into the header at signing time,
as the visible appearance of signature widgets (``/Annot /Widget`` with ``/FT /Sig``) whose
``/Rect`` sits over the blank after ``Số:`` and after ``ngày``. They draw the signing stamps
(``Ký bởi: ...``, the publishing centre's name, e-mail and timestamp) the same way. Page-content
text extraction never sees annotation appearances, so the reader asks here.

How: the page's signed signature widgets are listed through pdfium's annotation API; if any has
an appearance, the page is flattened in memory (pdfium appends the appearances to the page
content as form objects) and reloaded, and the chars whose text object lies inside those new
form objects are read with their positions. Each char goes to the widget whose rectangle holds
it. A widget whose text is one line sitting on a line of page text is *inline* (its chars join
that line); any other widget text is a stamp block, kept out of the reading flow.
"""

from __future__ import annotations

import ctypes
import dataclasses
import functools
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..document import Stamp
from .layout import Char, build_lines

Transform = Callable[[float, float], tuple[float, float]]

MAX_WIDGETS_PER_PAGE = 200
"""A page with more signature widgets than this is hostile or broken: its widgets are skipped."""
MAX_WIDGET_CHARS = 5_000


@dataclass
class Widget:
    field: str | None
    rect: tuple[float, float, float, float]
    """x0, top, x1, bottom on the displayed page (top-left origin)."""
    chars: list[Char] = dataclasses.field(default_factory=list)


def _string(raw: Any, annot: Any, key: str) -> str:
    k = key.encode()
    n = raw.FPDFAnnot_GetStringValue(annot, k, None, 0)
    if n <= 2 or n > 4096:
        return ""
    buf = ctypes.create_string_buffer(n)
    raw.FPDFAnnot_GetStringValue(annot, k, ctypes.cast(buf, ctypes.POINTER(raw.FPDF_WCHAR)), n)
    return buf.raw[: n - 2].decode("utf-16-le", errors="replace")


def _field_value(raw: Any, annot: Any, key: str) -> tuple[str, bool]:
    """(string value, present) of ``key`` on the widget or, for a kid widget, its parent field."""
    if raw.FPDFAnnot_HasKey(annot, key.encode()):
        return _string(raw, annot, key), True
    if not raw.FPDFAnnot_HasKey(annot, b"Parent"):
        return "", False
    parent = raw.FPDFAnnot_GetLinkedAnnot(annot, b"Parent")
    if not parent:
        return "", False
    try:
        if raw.FPDFAnnot_HasKey(parent, key.encode()):
            return _string(raw, parent, key), True
        return "", False
    finally:
        raw.FPDFPage_CloseAnnot(parent)


def signed_widgets(raw: Any, page: Any, tf: Transform) -> list[Widget]:
    """The signed signature widgets of an open page that have an appearance stream."""
    n = raw.FPDFPage_GetAnnotCount(page)
    if n <= 0:
        return []
    out: list[Widget] = []
    rect = raw.FS_RECTF()
    for k in range(min(n, MAX_WIDGETS_PER_PAGE * 5)):
        annot = raw.FPDFPage_GetAnnot(page, k)
        if not annot:
            continue
        try:
            if raw.FPDFAnnot_GetSubtype(annot) != raw.FPDF_ANNOT_WIDGET:
                continue
            if not raw.FPDFAnnot_HasKey(annot, b"AP"):
                continue
            ft, _ = _field_value(raw, annot, "FT")
            _, signed = _field_value(raw, annot, "V")
            if ft != "Sig" or not signed:
                continue  # an unsigned placeholder's appearance is not document text
            if not raw.FPDFAnnot_GetRect(annot, ctypes.byref(rect)):
                continue
            name, _ = _field_value(raw, annot, "T")
            x0, top = tf(rect.left, rect.top)
            x1, bottom = tf(rect.right, rect.bottom)
            out.append(Widget(name or None, (min(x0, x1), min(top, bottom), max(x0, x1), max(top, bottom))))
        finally:
            raw.FPDFPage_CloseAnnot(annot)
    return out if len(out) <= MAX_WIDGETS_PER_PAGE else []


def _address(obj: Any) -> int:
    return ctypes.cast(obj, ctypes.c_void_p).value or 0


def _text_objects(raw: Any, count: int, get: Callable[[int], Any], out: set[int], depth: int = 0) -> None:
    if depth > 8:
        return
    for i in range(count):
        obj = get(i)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            out.add(_address(obj))
        elif kind == raw.FPDF_PAGEOBJ_FORM:
            n = raw.FPDFFormObj_CountObjects(obj)
            _text_objects(raw, n, functools.partial(raw.FPDFFormObj_GetObject, obj), out, depth + 1)


def read_widget_chars(pdf: Any, page: Any, index: int, tf: Transform, widgets: list[Widget]) -> None:
    """Fill ``widgets[*].chars`` from their appearances (flattens page ``index`` in memory)."""
    import pypdfium2.raw as raw

    if not widgets or not hasattr(raw, "FPDFText_GetTextObject"):
        return
    n_before = raw.FPDFPage_CountObjects(page)
    if raw.FPDFPage_Flatten(page, raw.FLAT_NORMALDISPLAY) != raw.FLATTEN_SUCCESS:
        return
    flat = pdf[index]  # the flattened content, parsed anew
    try:
        n_after = raw.FPDFPage_CountObjects(flat.raw)
        objects: set[int] = set()
        _text_objects(raw, n_after - n_before, lambda i: raw.FPDFPage_GetObject(flat.raw, n_before + i), objects)
        if not objects:
            return
        textpage = flat.get_textpage()
        try:
            chars = _chars_of(raw, textpage.raw, tf, objects)
        finally:
            textpage.close()
    finally:
        flat.close()
    for ch in chars:
        cx, cy = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
        for w in widgets:
            x0, top, x1, bottom = w.rect
            if x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1:
                w.chars.append(ch)
                break


def _chars_of(raw: Any, tp: Any, tf: Transform, objects: set[int]) -> list[Char]:
    n = raw.FPDFText_CountChars(tp)
    out: list[Char] = []
    ox, oy = ctypes.c_double(), ctypes.c_double()
    box = raw.FS_RECTF()
    space = True
    for i in range(n):
        if len(out) >= MAX_WIDGET_CHARS:
            break
        if _address(raw.FPDFText_GetTextObject(tp, i)) not in objects:
            space = True
            continue
        u = raw.FPDFText_GetUnicode(tp, i)
        if u <= 0x20 or u in (0xA0, 0xFFFE, 0xFFFF, 0xFFFD) or 0xD800 <= u < 0xE000:
            space = True
            continue
        ch = chr(u)
        if unicodedata.combining(ch):
            if out:
                out[-1].text += ch
            continue
        if not raw.FPDFText_GetLooseCharBox(tp, i, ctypes.byref(box)):
            continue
        raw.FPDFText_GetCharOrigin(tp, i, ctypes.byref(ox), ctypes.byref(oy))
        x0, top = tf(box.left, box.top)
        x1, bottom = tf(box.right, box.bottom)
        base = tf(ox.value, oy.value)[1]
        size = raw.FPDFText_GetFontSize(tp, i) or abs(bottom - top)
        out.append(Char(ch, min(x0, x1), max(x0, x1), min(top, bottom), max(top, bottom), base, size, space))
        space = False
    return out


def merge_widgets(page_number: int, chars: list[Char], widgets: list[Widget]) -> list[Stamp]:
    """Inline widget text joins ``chars`` (the page's text); the rest comes back as stamp blocks.

    A widget is inline when its text is one line whose baseline is a baseline of page text near
    it (the number after ``Số:``, the day after ``ngày``); the sequence number stamped into a
    blank then reads as if it had been typed there.
    """
    stamps: list[Stamp] = []
    for w in widgets:
        if not w.chars:
            continue
        lines = build_lines(w.chars, drop_superscript_digits=False)
        text = "\n".join(ln.text for ln in lines if ln.text.strip())
        if not text:
            continue
        if len(lines) == 1 and _sits_on_text(lines[0].baseline, lines[0].size, lines[0].x0, lines[0].x1, chars):
            first = min(w.chars, key=lambda c: c.x0)
            first.space_before = True
            chars.extend(w.chars)
            stamps.append(Stamp(text, page_number, w.field, inline=True))
        else:
            stamps.append(Stamp(text, page_number, w.field, inline=False))
    return stamps


def _sits_on_text(baseline: float, size: float, x0: float, x1: float, chars: list[Char]) -> bool:
    tol = max(1.5, 0.35 * size)
    reach = 6.0 * size
    return any(
        abs(c.baseline - baseline) <= tol and c.x1 >= x0 - reach and c.x0 <= x1 + reach for c in chars
    )
