"""DOCX reader: the document body in order, with Word's automatic numbering rendered.

python-docx opens the package (its XML parser does not resolve entities); the body, styles and
numbering are then walked as raw WordprocessingML with lxml, because the python-docx object
model skips what these documents rely on (tables between paragraphs, numbering labels, content
controls, text boxes, tracked changes).

Decisions worth knowing:

* Layout tables (the two-column header, the ``Nơi nhận`` / signature block) are flattened into
  paragraphs, left column first; body tables become :class:`RawTable` with merged cells repeated
  over the grid slots they cover. :func:`_is_layout_table` scores borders, shape and
  Decree-30 header/signature cues.
* ``Paragraph.page`` counts explicit page breaks (``w:br w:type="page"``, ``pageBreakBefore``,
  section breaks) and the breaks Word recorded when it last laid out the file
  (``w:lastRenderedPageBreak``); a rendered break right after a hard one is the same break.
  Without rendered breaks (files not saved by Word) the number is a lower bound and
  ``RawDocument.pages`` is ``None``; with them, ``pages`` is Word's last page count.
* Footnotes count (GUIDELINES v2): each note's text follows the body paragraph or table that
  references it, as paragraphs flagged ``note`` (never after the signature, where the pipeline
  looks for the signer); the reference marks are dropped. Endnotes, comments, page headers and
  footers are not body text and are dropped.
* Hidden runs (``w:vanish``), deleted revisions and field instructions are skipped; inserted
  revisions and field results are kept. A text box is read once (the ``mc:Choice`` copy) and
  its paragraphs follow the paragraph that anchors it.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..document import Block, Paragraph, RawDocument, RawTable
from ..errors import DocumentTooLargeError, UnreadableDocumentError
from . import legacy

MAX_ZIP_ENTRIES = 2000
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_MIN_BYTES = 1024 * 1024
"""Entries smaller than this are not ratio-checked (XML legitimately compresses 20-50x)."""

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_M = "http://schemas.openxmlformats.org/officeDocument/2006/math"


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


W_VAL = _w("val")
W_P, W_TBL, W_R, W_T, W_TR, W_TC = (_w(t) for t in ("p", "tbl", "r", "t", "tr", "tc"))
W_PPR, W_RPR, W_TCPR, W_TRPR, W_TBLPR = (_w(t) for t in ("pPr", "rPr", "tcPr", "trPr", "tblPr"))
W_SDT, W_SDTCONTENT, W_SDTPR = _w("sdt"), _w("sdtContent"), _w("sdtPr")
W_TXBX = _w("txbxContent")
W_FOOTNOTE_REF = _w("footnoteReference")
MC_ALT, MC_CHOICE, MC_FALLBACK = f"{{{_MC}}}AlternateContent", f"{{{_MC}}}Choice", f"{{{_MC}}}Fallback"
M_T = f"{{{_M}}}t"
M_OMATH, M_OMATHPARA = f"{{{_M}}}oMath", f"{{{_M}}}oMathPara"

# Containers whose children are read as if they were in place.
_TRANSPARENT_INLINE = frozenset(
    _w(t) for t in ("hyperlink", "smartTag", "ins", "moveTo", "fldSimple", "dir", "bdo", "customXml")
)
_SKIPPED_INLINE = frozenset(_w(t) for t in ("del", "moveFrom", "pPr", "rPr"))
_SKIPPED_RUN_CHILDREN = frozenset(
    _w(t)
    for t in (
        "rPr",
        "delText",
        "instrText",
        "delInstrText",
        "footnoteReference",
        "endnoteReference",
        "commentReference",
        "annotationRef",
        "footnoteRef",
        "endnoteRef",
        "separator",
        "continuationSeparator",
        "sym",
        "fldChar",
        "softHyphen",
        "object",
    )
)

# Decree 30 header/signature cues, used only to tell a layout table from a data table.
_CUES = (
    re.compile(r"^Số\s*[:：]", re.I),
    re.compile(r"CỘNG\s+HÒA\s+XÃ\s+HỘI", re.I),
    re.compile(r"Độc\s+lập\s*[-–]\s*Tự\s+do", re.I),
    re.compile(r"^Nơi\s+nhận", re.I),
    re.compile(r"^(?:TM|KT|TL|TUQ|Q)\.\s*\S"),
    re.compile(r"ngày\s+\S{0,12}\s*tháng\s+\S{0,12}\s*năm", re.I),
)
_SPACES = re.compile(r"[ \t]+")
_NUMERIC_CELL = re.compile(r"^[\d\s.,%/()+\-–]+$")


def _is_caps_line(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 6 and len(text.split()) >= 2 and all(c.isupper() for c in letters)


# --- package checks -------------------------------------------------------------------------------


def _check_package(path: Path, data: bytes) -> None:
    """Refuse zip bombs and non-Word zips from the central directory alone (no inflating)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise UnreadableDocumentError(path, f"not a valid DOCX (zip) file: {exc}") from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            raise DocumentTooLargeError(path, f"{len(infos)} zip entries (limit {MAX_ZIP_ENTRIES})")
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise DocumentTooLargeError(
                path, f"{total:,} bytes uncompressed (limit {MAX_UNCOMPRESSED_BYTES:,})"
            )
        for info in infos:
            if info.file_size > RATIO_CHECK_MIN_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(
                info.compress_size, 1
            ):
                raise DocumentTooLargeError(
                    path,
                    f"zip entry {info.filename!r} expands {info.file_size // max(info.compress_size, 1)}:1",
                )
        names = {i.filename for i in infos}
        if "word/document.xml" not in names and not any(
            re.fullmatch(r"word/document\d*\.xml", n) for n in names
        ):
            raise UnreadableDocumentError(path, "no word/document.xml: not a Word document")


# --- styles and numbering -------------------------------------------------------------------------


@dataclass
class _Level:
    start: int = 0
    fmt: str = "decimal"
    text: str | None = None
    restart: int | None = None
    legal: bool = False
    style: str | None = None


@dataclass
class _Num:
    abstract: str
    overrides: dict[int, tuple[int | None, _Level | None]] = field(default_factory=dict)

    @property
    def restarts(self) -> bool:
        return any(start is not None for start, _lvl in self.overrides.values())


def _val(el: Any, tag: str) -> str | None:
    if el is None:
        return None
    child = el.find(_w(tag))
    if child is None:
        return None
    v = child.get(W_VAL)
    return v if v is not None else ""


def _int(text: str | None, default: int | None = None) -> int | None:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _on(el: Any) -> bool:
    """A WordprocessingML on/off property: present and not switched off."""
    return el is not None and el.get(W_VAL) not in ("0", "false", "off")


def _run_font(rpr: Any) -> str | None:
    """The font a run property block names for ordinary (ASCII / high-ANSI) text."""
    if rpr is None:
        return None
    fonts = rpr.find(_w("rFonts"))
    if fonts is None:
        return None
    return fonts.get(_w("ascii")) or fonts.get(_w("hAnsi"))


class _Styles:
    def __init__(self, root: Any | None) -> None:
        self.based_on: dict[str, str] = {}
        self.num: dict[str, tuple[str | None, int | None]] = {}
        self.table_borders: dict[str, dict[str, bool]] = {}
        self.default_paragraph: str | None = None
        self.default_character: str | None = None
        self.fonts: dict[str, str] = {}
        """Style id -> the font its run properties name."""
        self.default_font: str | None = None
        if root is None:
            return
        defaults = root.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{W_RPR}")
        self.default_font = _run_font(defaults)
        for st in root.iter(_w("style")):
            sid = st.get(_w("styleId"))
            if not sid:
                continue
            base = _val(st, "basedOn")
            if base:
                self.based_on[sid] = base
            font = _run_font(st.find(W_RPR))
            if font:
                self.fonts[sid] = font
            kind = st.get(_w("type"))
            if kind == "character" and (_on(st.find(_w("default"))) or st.get(_w("default")) in ("1", "true")):
                self.default_character = sid
            if kind == "paragraph":
                if _on(st.find(_w("default"))) or st.get(_w("default")) in ("1", "true"):
                    self.default_paragraph = sid
                numpr = st.find(f"{W_PPR}/{_w('numPr')}")
                if numpr is not None:
                    self.num[sid] = (_val(numpr, "numId"), _int(_val(numpr, "ilvl")))
            elif kind == "table":
                borders = st.find(f"{W_TBLPR}/{_w('tblBorders')}")
                if borders is not None:
                    self.table_borders[sid] = _border_map(borders)

    def font(self, sid: str | None) -> str | None:
        """The font a style names, itself or through the styles it is based on."""
        for style in self.chain(sid):
            if style in self.fonts:
                return self.fonts[style]
        return None

    def chain(self, sid: str | None) -> Iterator[str]:
        seen: set[str] = set()
        while sid and sid not in seen:
            seen.add(sid)
            yield sid
            sid = self.based_on.get(sid)


def _border_map(borders: Any) -> dict[str, bool]:
    out: dict[str, bool] = {}
    for edge in borders:
        if not isinstance(edge.tag, str):
            continue
        name = edge.tag.rsplit("}", 1)[-1]
        val = edge.get(W_VAL)
        size = _int(edge.get(_w("sz")), 1)
        out[name] = val not in (None, "nil", "none") and (size is None or size > 0)
    return out


class _Numbering:
    def __init__(self, root: Any | None, styles: _Styles) -> None:
        self.abstracts: dict[str, dict[int, _Level]] = {}
        self.style_link: dict[str, str] = {}
        """abstractNumId -> style id for abstracts that only point to a numbering style."""
        self.defines_style: dict[str, str] = {}
        """numbering style id -> abstractNumId that defines it (w:styleLink)."""
        self.nums: dict[str, _Num] = {}
        self.counters: dict[object, list[int | None]] = {}
        self.styles = styles
        if root is None:
            return
        for ab in root.iter(_w("abstractNum")):
            aid = ab.get(_w("abstractNumId"))
            if aid is None:
                continue
            self.abstracts[aid] = {
                lvl_i: lvl for lvl_i, lvl in (self._level(el) for el in ab.findall(_w("lvl")))
            }
            link = _val(ab, "numStyleLink")
            if link:
                self.style_link[aid] = link
            defines = _val(ab, "styleLink")
            if defines:
                self.defines_style[defines] = aid
        for num in root.iter(_w("num")):
            nid = num.get(_w("numId"))
            aid = _val(num, "abstractNumId")
            if nid is None or aid is None:
                continue
            entry = _Num(aid)
            for ov in num.findall(_w("lvlOverride")):
                ilvl = _int(ov.get(_w("ilvl")), 0) or 0
                start = _int(_val(ov, "startOverride"))
                lvl_el = ov.find(_w("lvl"))
                entry.overrides[ilvl] = (start, self._level(lvl_el)[1] if lvl_el is not None else None)
            self.nums[nid] = entry

    @staticmethod
    def _level(el: Any) -> tuple[int, _Level]:
        ilvl = _int(el.get(_w("ilvl")), 0) or 0
        text_el = el.find(_w("lvlText"))
        return ilvl, _Level(
            start=_int(_val(el, "start"), 0) or 0,
            fmt=_val(el, "numFmt") or "decimal",
            text=text_el.get(W_VAL) if text_el is not None else None,
            restart=_int(_val(el, "lvlRestart")),
            legal=_on(el.find(_w("isLgl"))),
            style=_val(el, "pStyle"),
        )

    def _abstract_id(self, num: _Num) -> str:
        aid = num.abstract
        for _ in range(4):  # numStyleLink -> style -> num -> the abstract defining that style
            link = self.style_link.get(aid)
            if link is None:
                break
            target = self.defines_style.get(link)
            if target is None:
                style_num = next(
                    (self.styles.num[s] for s in self.styles.chain(link) if s in self.styles.num), None
                )
                if style_num is None or style_num[0] not in self.nums:
                    break
                target = self.nums[style_num[0]].abstract
            if target == aid:
                break
            aid = target
        return aid

    def level(self, num_id: str, ilvl: int) -> _Level | None:
        num = self.nums.get(num_id)
        if num is None:
            return None
        override = num.overrides.get(ilvl)
        if override is not None and override[1] is not None:
            return override[1]
        return self.abstracts.get(self._abstract_id(num), {}).get(ilvl)

    def level_for_style(self, num_id: str, style_id: str | None) -> int | None:
        num = self.nums.get(num_id)
        if num is None or style_id is None:
            return None
        for i, lvl in self.abstracts.get(self._abstract_id(num), {}).items():
            if lvl.style == style_id:
                return i
        return None

    def label(self, num_id: str, ilvl: int) -> str | None:
        """Advance the list counters for one numbered paragraph and return its label."""
        num = self.nums.get(num_id)
        lvl = self.level(num_id, ilvl)
        if num is None or lvl is None:
            return None
        # Lists sharing an abstract definition continue each other unless one restarts.
        key: object = ("num", num_id) if num.restarts else ("abstract", self._abstract_id(num))
        counters = self.counters.setdefault(key, [None] * 9)
        counters[ilvl] = self._start(num_id, ilvl) if counters[ilvl] is None else counters[ilvl] + 1  # type: ignore[operator]
        for deeper in range(ilvl + 1, 9):
            dl = self.level(num_id, deeper)
            restart = dl.restart if dl is not None else None
            if restart is None or (restart != 0 and ilvl < restart):
                counters[deeper] = None
        if lvl.fmt == "bullet":
            return "+" if lvl.text and "+" in lvl.text else "-"
        if not lvl.text:
            return None

        def render(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            if not 0 <= k <= ilvl:
                return ""
            value = counters[k]
            if value is None:
                value = self._start(num_id, k)
            kl = self.level(num_id, k)
            fmt = "decimal" if (lvl.legal and k < ilvl) or kl is None else kl.fmt
            return _format_number(value, fmt)

        return re.sub(r"%([1-9])", render, lvl.text).strip() or None

    def _start(self, num_id: str, ilvl: int) -> int:
        num = self.nums.get(num_id)
        if num is not None:
            override = num.overrides.get(ilvl)
            if override is not None and override[0] is not None:
                return override[0]
        lvl = self.level(num_id, ilvl)
        return lvl.start if lvl is not None else 0


_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))  # fmt: skip


def _roman(n: int) -> str:
    if n <= 0:
        return str(n)
    out = []
    for value, sym in _ROMAN:
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    """Word's alphabetic counter: a..z, then aa..zz, aaa..."""
    if n <= 0:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _format_number(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)  # decimal and the exotic formats (ordinal, cardinalText, ...) as digits


# --- the walker -----------------------------------------------------------------------------------


@dataclass
class _Cell:
    blocks: list[Block]
    first_col: int = 0

    @property
    def text(self) -> str:
        lines: list[str] = []
        for b in self.blocks:
            if isinstance(b, Paragraph):
                lines.append(b.text)
            else:
                lines.extend(" ".join(c for c in row if c) for row in b.rows)
        return "\n".join(ln for ln in lines if ln.strip())


class _Walker:
    def __init__(self, styles: _Styles, numbering: _Numbering, section_types: list[str]) -> None:
        self.styles = styles
        self.numbering = numbering
        self.page = 1
        self.rendered_breaks = 0
        self.pending_hard = False
        """A hard page break was counted and no text followed yet (dedupes Word's rendered one)."""
        self.section_types = section_types
        self.section_index = 0
        self.warnings: list[str] = []
        self.paragraph_font: str | None = None
        """The font of the paragraph being read (its style's, else the document default)."""
        self.legacy_fonts: dict[str, str] = {}
        """Legacy-encoded fonts whose runs were converted: font name -> encoding label."""
        self.notes: dict[str, list[str]] = {}
        """Footnote id -> its paragraphs' texts."""
        self.pending_notes: list[str] = []
        """Footnotes referenced since the last body-level block was emitted."""
        self.depth = 0

    # page accounting -------------------------------------------------------------------------
    def hard_break(self) -> None:
        self.page += 1
        self.pending_hard = True

    def rendered_break(self) -> None:
        self.rendered_breaks += 1
        if self.pending_hard:
            self.pending_hard = False
        else:
            self.page += 1

    # blocks -----------------------------------------------------------------------------------
    def blocks(self, container: Any) -> list[Block]:
        self.depth += 1
        try:
            return self._blocks(container)
        finally:
            self.depth -= 1

    def _blocks(self, container: Any) -> list[Block]:
        out: list[Block] = []
        for child in container:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if self.depth == 1 and self.pending_notes:
                out.extend(self.note_blocks())
            if tag == W_P:
                out.extend(self.paragraph(child))
            elif tag == W_TBL:
                out.extend(self.table(child))
            elif tag == W_SDT:
                if not _placeholder(child):
                    content = child.find(W_SDTCONTENT)
                    if content is not None:
                        out.extend(self.blocks(content))
            elif tag == _w("customXml"):
                out.extend(self.blocks(child))
            elif tag == MC_ALT:
                chosen = _choice(child)
                if chosen is not None:
                    out.extend(self.blocks(chosen))
            elif tag == _w("altChunk"):
                self.warnings.append("docx_altchunk_skipped: an embedded (altChunk) document was not read")
        if self.depth == 1 and self.pending_notes:
            out.extend(self.note_blocks())
        return out

    def note_blocks(self) -> list[Block]:
        """The texts of the footnotes referenced since the last body-level block."""
        out: list[Block] = []
        for nid in self.pending_notes:
            out.extend(Paragraph(t, page=self.page, note=True) for t in self.notes.get(nid, []))
        self.pending_notes.clear()
        return out

    def paragraph(self, p: Any) -> list[Block]:
        ppr = p.find(W_PPR)
        style = _val(ppr, "pStyle") or self.styles.default_paragraph
        self.paragraph_font = self.styles.font(style) or self.styles.default_font
        if ppr is not None and _on(ppr.find(_w("pageBreakBefore"))):
            self.hard_break()
        buf: list[str] = []
        boxes: list[Any] = []
        start_page: list[int] = []
        self.inline(p, buf, boxes, start_page)
        # Tabs and runs of spaces (used to align "Số:      /TB-UBND") collapse to one space,
        # as the PDF reader's word spacing does.
        lines = [_SPACES.sub(" ", seg).strip() for seg in "".join(buf).split("\n")]
        text = "\n".join(ln for ln in lines if ln)
        label = self.number_label(p, ppr)
        out: list[Block] = []
        if text:
            if label:
                text = f"{label} {text}"
            out.append(Paragraph(text, page=start_page[0] if start_page else self.page))
        for box in boxes:
            out.extend(self.blocks(box))
        if ppr is not None and ppr.find(_w("sectPr")) is not None:
            self.section_index += 1
            nxt = (
                self.section_types[self.section_index] if self.section_index < len(self.section_types) else ""
            )
            if nxt != "continuous":
                self.hard_break()
        return out

    def number_label(self, p: Any, ppr: Any) -> str | None:
        num_id: str | None = None
        ilvl: int | None = None
        style = _val(ppr, "pStyle") or self.styles.default_paragraph
        numpr = ppr.find(_w("numPr")) if ppr is not None else None
        if numpr is not None:
            num_id = _val(numpr, "numId")
            ilvl = _int(_val(numpr, "ilvl"))
        if num_id is None:
            for sid in self.styles.chain(style):
                if sid in self.styles.num:
                    snum, silvl = self.styles.num[sid]
                    num_id = num_id or snum
                    ilvl = ilvl if ilvl is not None else silvl
                    if num_id:
                        break
        if not num_id or num_id == "0":
            return None
        if ilvl is None:
            ilvl = self.numbering.level_for_style(num_id, style) or 0
        return self.numbering.label(num_id, max(0, min(ilvl, 8)))

    def inline(self, el: Any, buf: list[str], boxes: list[Any], start: list[int]) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIPPED_INLINE:
                continue
            if tag == W_R:
                self.run(child, buf, boxes, start)
            elif tag in _TRANSPARENT_INLINE:
                self.inline(child, buf, boxes, start)
            elif tag == W_SDT:
                content = child.find(W_SDTCONTENT)
                if content is not None and not _placeholder(child):
                    self.inline(content, buf, boxes, start)
            elif tag == MC_ALT:
                chosen = _choice(child)
                if chosen is not None:
                    self.inline(chosen, buf, boxes, start)
            elif tag in (M_OMATH, M_OMATHPARA):
                self.text(buf, start, "".join(_text_of(t) for t in child.iter(M_T)))

    def text(self, buf: list[str], start: list[int], s: str) -> None:
        if s and not start and s.strip():
            start.append(self.page)
            self.pending_hard = False
        elif s.strip():
            self.pending_hard = False
        buf.append(s)

    def run_font(self, rpr: Any) -> str | None:
        font = _run_font(rpr)
        if font is None and rpr is not None:
            font = self.styles.font(_val(rpr, "rStyle"))
        return font or self.paragraph_font

    def legacy_text(self, text: str, rpr: Any) -> str:
        """A run's text, converted when its font draws a legacy 8-bit encoding (TCVN3, VNI)."""
        font = self.run_font(rpr)
        found = legacy.font_encoding(font)
        if found is None or not text or (text.isascii() and not found[1]):
            return text
        encoding, capitals = found
        assert font is not None
        self.legacy_fonts[font] = legacy.LABELS[encoding]
        return legacy.convert_font_text(text, encoding, capitals)

    def run(self, r: Any, buf: list[str], boxes: list[Any], start: list[int]) -> None:
        rpr = r.find(W_RPR)
        hidden = rpr is not None and _on(rpr.find(_w("vanish")))
        for child in r:
            tag = child.tag
            if tag == W_FOOTNOTE_REF:
                nid = child.get(_w("id"))
                if nid is not None and nid in self.notes and nid not in self.pending_notes:
                    self.pending_notes.append(nid)
                continue
            if not isinstance(tag, str) or tag in _SKIPPED_RUN_CHILDREN:
                continue
            if tag == _w("lastRenderedPageBreak"):
                self.rendered_break()
            elif tag == _w("br"):
                if child.get(_w("type")) == "page":
                    self.hard_break()
                elif not hidden:
                    buf.append("\n")
            elif hidden:
                continue
            elif tag == W_T:
                self.text(buf, start, self.legacy_text(_text_of(child), rpr))
            elif tag in (_w("tab"), _w("ptab")):
                buf.append(" ")
            elif tag == _w("cr"):
                buf.append("\n")
            elif tag == _w("noBreakHyphen"):
                self.text(buf, start, "-")
            elif tag == MC_ALT:
                chosen = _choice(child)
                if chosen is not None:
                    self.run(chosen, buf, boxes, start)
            elif tag in (_w("drawing"), _w("pict")):
                boxes.extend(_text_boxes(child))
            elif tag == _w("ruby"):
                base = child.find(_w("rubyBase"))
                if base is not None:
                    self.inline(base, buf, boxes, start)

    # tables -----------------------------------------------------------------------------------
    def table(self, tbl: Any) -> list[Block]:
        page = self.page
        grid_cols = len(tbl.findall(f"{_w('tblGrid')}/{_w('gridCol')}"))
        rows: list[list[_Cell | None]] = []
        for tr in _children(tbl, W_TR):
            trpr = tr.find(W_TRPR)
            if trpr is not None and trpr.find(_w("del")) is not None:
                continue  # a deleted row (tracked change)
            before = _int(_val(trpr, "gridBefore"), 0) or 0
            after = _int(_val(trpr, "gridAfter"), 0) or 0
            row: list[_Cell | None] = [None] * before
            for tc in _children(tr, W_TC):
                tcpr = tc.find(W_TCPR)
                span = max(1, _int(_val(tcpr, "gridSpan"), 1) or 1)
                vmerge = tcpr.find(_w("vMerge")) if tcpr is not None else None
                blocks = self.blocks(tc)
                col = len(row)
                if vmerge is not None and vmerge.get(W_VAL) != "restart" and rows:
                    above = rows[-1][col] if col < len(rows[-1]) else None
                    cell = above if above is not None else _Cell(blocks, col)
                    if above is not None:
                        above.blocks.extend(blocks)  # continuation cells are normally empty
                else:
                    cell = _Cell(blocks, col)
                row.extend([cell] * span)
            row.extend([None] * after)
            rows.append(row)
        if not rows:
            return []
        width = max(grid_cols, *(len(r) for r in rows))
        for r in rows:
            r.extend([None] * (width - len(r)))
        if self.is_layout_table(tbl, rows, width):
            return _flatten(rows, width)
        texts = [[cell.text if cell is not None else "" for cell in r] for r in rows]
        # A slot holding the same cell as its left or upper neighbour continues a merged cell.
        merged = [
            [cell is not None and ((c > 0 and r[c - 1] is cell) or (i > 0 and rows[i - 1][c] is cell))
             for c, cell in enumerate(r)]
            for i, r in enumerate(rows)
        ]
        keep = [i for i, r in enumerate(texts) if any(c.strip() for c in r)]
        if not keep:
            return []
        return [RawTable([texts[i] for i in keep], page=page, merged=[merged[i] for i in keep])]

    def is_layout_table(self, tbl: Any, rows: list[list[_Cell | None]], width: int) -> bool:
        """Layout (header/signature) table or data table? A small score over shape and cues."""
        cells = _unique_cells(rows)
        if len(cells) <= 1:
            return True  # a one-cell frame around text is not data
        lines = [ln.strip() for c in cells for ln in c.text.split("\n") if ln.strip()]
        cue_kinds = sum(1 for rx in _CUES if any(rx.search(ln) for ln in lines))
        caps = any(_is_caps_line(ln) for ln in lines)
        if cue_kinds == 0 and not caps:
            return False
        numeric = sum(1 for c in cells if c.text and _NUMERIC_CELL.match(c.text))
        score = 0.0
        score += -2 if self.has_borders(tbl, cells) else 2
        n_rows = len(rows)
        score += 1 if n_rows <= 3 else (0 if n_rows <= 6 else -3)
        score += 1 if width == 2 else (0 if width <= 4 else -2)
        score += 1.5 * min(cue_kinds, 4) + (1 if caps else 0)
        score -= numeric
        return score >= 3

    def has_borders(self, tbl: Any, cells: list[_Cell]) -> bool:
        tblpr = tbl.find(W_TBLPR)
        edges: dict[str, bool] = {}
        style = _val(tblpr, "tblStyle")
        for sid in reversed(list(self.styles.chain(style))):
            edges.update(self.styles.table_borders.get(sid, {}))
        direct = tblpr.find(_w("tblBorders")) if tblpr is not None else None
        if direct is not None:
            edges.update(_border_map(direct))
        if any(edges.get(e, False) for e in ("insideV", "insideH", "top", "bottom", "left", "right")):
            return True
        framed = 0
        for tc in tbl.iter(W_TC):
            borders = tc.find(f"{W_TCPR}/{_w('tcBorders')}")
            if borders is not None and sum(_border_map(borders).values()) >= 3:
                framed += 1
        return framed > max(1, len(cells) // 2)


def _unique_cells(rows: list[list[_Cell | None]]) -> list[_Cell]:
    seen: set[int] = set()
    out: list[_Cell] = []
    for r in rows:
        for c in r:
            if c is not None and id(c) not in seen:
                seen.add(id(c))
                out.append(c)
    return out


def _flatten(rows: list[list[_Cell | None]], width: int) -> list[Block]:
    """Layout table -> paragraphs: column by column (left first), rows spanning the full width
    kept in place between the column groups."""
    out: list[Block] = []
    emitted: set[int] = set()
    group: list[list[_Cell | None]] = []

    def flush() -> None:
        for col in range(width):
            for r in group:
                cell = r[col]
                if cell is not None and id(cell) not in emitted:
                    emitted.add(id(cell))
                    out.extend(cell.blocks)
        group.clear()

    for r in rows:
        distinct = {id(c) for c in r if c is not None}
        if len(distinct) == 1 and width > 1 and all(c is not None for c in r):
            flush()
            group.append(r)
            flush()
        else:
            group.append(r)
    flush()
    return out


def _children(el: Any, tag: str) -> Iterator[Any]:
    """Children with ``tag``, looking through content controls and custom XML wrappers."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag == W_SDT:
            content = child.find(W_SDTCONTENT)
            if content is not None:
                yield from _children(content, tag)
        elif child.tag in (_w("customXml"), _w("ins")):
            yield from _children(child, tag)


def _placeholder(sdt: Any) -> bool:
    """Content control still showing its prompt text ("Click here to enter text")."""
    pr = sdt.find(W_SDTPR)
    return pr is not None and _on(pr.find(_w("showingPlcHdr")))


def _choice(alt: Any) -> Any | None:
    """The first ``mc:Choice`` of an AlternateContent (the Fallback duplicates it)."""
    chosen = alt.find(MC_CHOICE)
    return chosen if chosen is not None else alt.find(MC_FALLBACK)


def _text_of(t: Any) -> str:
    """Text of a ``w:t`` without entity references (never expanded, never echoed)."""
    parts = [t.text or ""]
    for sub in t:
        parts.append(sub.tail or "")
    return "".join(parts)


def _text_boxes(el: Any) -> list[Any]:
    """Outermost text-box contents inside a drawing, skipping Fallback copies."""
    out: list[Any] = []

    def walk(node: Any) -> None:
        for child in node:
            tag = child.tag
            if not isinstance(tag, str) or tag == MC_FALLBACK:
                continue
            if tag == W_TXBX:
                out.append(child)
            elif tag == MC_ALT:
                chosen = _choice(child)
                if chosen is not None:
                    walk(chosen)
            else:
                walk(child)

    walk(el)
    return out


def _section_types(body: Any) -> list[str]:
    """Section start types in order (paragraph-level sectPr, then the body's final one)."""
    types = []
    for sect in body.iter(_w("sectPr")):
        types.append(_val(sect, "type") or "nextPage")
    return types


# --- entry point ----------------------------------------------------------------------------------


def read_docx(path: Path, data: bytes) -> RawDocument:
    """Read a DOCX body into paragraphs and tables in document order."""
    _check_package(path, data)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise UnreadableDocumentError(path, f"not a readable Word document ({exc})") from exc
    except SyntaxError as exc:  # lxml.etree.XMLSyntaxError subclasses SyntaxError
        raise UnreadableDocumentError(path, f"malformed XML in the document: {exc}") from exc
    part = document.part
    styles_root = _part_element(part, "styles")
    numbering_root = _part_element(part, "numbering")
    styles = _Styles(styles_root)
    body = document.element.body
    numbering = _Numbering(numbering_root, styles)
    walker = _Walker(styles, numbering, _section_types(body))
    walker.notes = _footnotes(part, styles, numbering)
    blocks = walker.blocks(body)
    pages = walker.page if walker.rendered_breaks else None
    warnings = walker.warnings
    if walker.legacy_fonts:
        by_label: dict[str, list[str]] = {}
        for font, label in sorted(walker.legacy_fonts.items()):
            by_label.setdefault(label, []).append(font)
        names = "; ".join(f"{label} ({', '.join(fonts)})" for label, fonts in by_label.items())
        warnings.append(f"encoding_legacy: text in legacy fonts converted to Unicode from {names}")
    else:
        warnings += _convert_unnamed_legacy(blocks)
    return RawDocument(format="docx", blocks=blocks, pages=pages, warnings=warnings)


def _convert_unnamed_legacy(blocks: list[Block]) -> list[str]:
    """TCVN3/VNI text whose font is not named (or not a known legacy font): the text tells.

    The plain-text detection (:func:`.legacy.convert_legacy`) runs once over the whole body, one
    line per paragraph line and table cell line, and the converted lines go back in place.
    """
    texts: list[str] = []
    for b in blocks:
        if isinstance(b, Paragraph):
            texts.append(b.text)
        else:
            texts.extend(c for row in b.rows for c in row)
    converted, encoding = legacy.convert_legacy("\n".join(texts))
    if encoding is None:
        return []
    lines = iter(converted.split("\n"))

    def take(text: str) -> str:
        return "\n".join(next(lines) for _ in range(text.count("\n") + 1))

    for b in blocks:
        if isinstance(b, Paragraph):
            b.text = take(b.text)
        else:
            b.rows = [[take(c) for c in row] for row in b.rows]
    return [f"encoding_legacy: converted from {legacy.LABELS[encoding]} (detected from the text)"]


def _footnotes(part: Any, styles: _Styles, numbering: _Numbering) -> dict[str, list[str]]:
    """Footnote id -> the texts of its paragraphs (separator notes have none)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml

    for rel in part.rels.values():
        if rel.reltype == RT.FOOTNOTES and not rel.is_external:
            try:
                root = parse_xml(rel.target_part.blob)
            except (ValueError, SyntaxError):
                return {}
            out: dict[str, list[str]] = {}
            walker = _Walker(styles, numbering, [])
            for note in _children(root, _w("footnote")):
                nid = note.get(_w("id"))
                if nid is None or note.get(_w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
                    continue
                texts = [b.text for b in walker.blocks(note) if isinstance(b, Paragraph) and b.text.strip()]
                if texts:
                    out[nid] = texts
            return out
    return {}


def _part_element(part: Any, which: str) -> Any | None:
    """The styles/numbering part's XML root, or None when the package has none."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    reltype = RT.STYLES if which == "styles" else RT.NUMBERING
    for rel in part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            target = rel.target_part
            return getattr(target, "element", None)
    return None
