"""Reader output -> one normalized text with line, page and table positions.

What it does, in order:
- cleans each physical line: odd spaces and zero-width characters, Markdown emphasis (``**``,
  inline ``*...*``), whitespace collapsed;
- in Markdown converted from a law-library page (``|`` cell lines, ``-------`` rules, ``**bold**``
  wrapped over lines) drops the layout marks, keeps each table cell a paragraph of its own and
  rejoins an emphasis span broken over lines (``**VĂN PHÒNG CHÍNH`` / ``PHỦ**``), see :func:`unmark`;
- for hard-wrapped sources (TXT dumps such as seed 003, wrapped mid-sentence and even across
  blank lines) joins wrapped lines back into paragraphs, never merging a real line start
  (label, bullet, heading, header line, preamble opener);
- renders body tables as ``cell | cell`` rows with a span per cell.

``NormText.text`` is ``record.text``; every span in the record indexes into it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import regex

from . import patterns
from .document import Paragraph, RawDocument, RawTable
from .textutil import (
    LOWER_START,
    PERSON_NAME,
    TIMEOUT,
    collapse,
    ends_block,
    is_caps,
    layout,
    match_label,
    starts_block,
)

# PDF text layers print a hyphen as U+FFFE or U+2010/2011 ("117/QĐ\ufffeUBND", h001).
# One translate() pass: odd spaces -> space, invisible characters dropped, hyphen look-alikes -> "-".
_CHAR_MAP: dict[int, str | None] = {
    **{c: " " for c in (0x09, 0xA0, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000)},
    **{c: None for c in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0xAD)},
    **{c: "-" for c in (0xFFFE, 0x2010, 0x2011)},
}
_ODD_CHAR = regex.compile("[" + "".join(regex.escape(chr(c)) for c in _CHAR_MAP) + "]")
_BOLD = regex.compile(r"\*\*|__")
_ITALIC = regex.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]{1,2000}?)(?<=[^\s*])\*(?![\w*])")
_SPACES = regex.compile(r" {2,}")
CELL_SEP = " | "
_GAP = regex.compile(r"(?<=\S)(?: {4,}|\t+| \| )(?=\S)")
_RANGE_WRAP = regex.compile(r"^[-–]\s*\d{1,4}(?:\s+\p{Ll}|[\s,.;)]|$)")
_HEAD_BAND = 14
_FOOT_BAND = 30
# Converted Markdown (law-library pages): a line that is only a table-cell edge ("|", "||"), a
# rule ("-------", "**-------**", "____"), or an empty emphasis ("* *", "** **").
_PIPE_LINE = regex.compile(r"^\s*\|+\s*$")
_RULE_LINE = regex.compile(r"^[\s*|]*(?:[-_—–=]\s*){3,}[\s*|]*$")
_EMPTY_MARK = regex.compile(r"^[\s*]*$")
_HEADING_MARK = regex.compile(r"^\s*#{1,6}(?=\s|$)\s*")  # "# QUYẾT ĐỊNH", a lone "#"
_EDGE_PIPES = regex.compile(r"^\s*\|+\s*|\s*\|+\s*$")
_INNER_PIPE = regex.compile(r"\s+\|+\s+|\s*\|\|+\s*")
_RULE_RUN = regex.compile(r"\s*(?:[-_—]{3,}|_{2,})\s*")
_BOLD_MARK = regex.compile(r"\*\*")
_STAR = regex.compile(r"\*(?!(?<=\(\*)\))")  # not the note mark "(*)"
_STAR_BULLET = regex.compile(r"^\s*\*\s+(?=[^\s*])")
_LONE_MARK = regex.compile(r"^[-–—•+]$")
_NUMBER_REST = regex.compile(r"^[\s.…_]*(?:\d{1,5}[a-z]?[\s.…_]*)?(?:/\s*\d{4}\s*)?/\s*\p{Lu}")
_MD_SAMPLE = 400
_SPAN_MAX = 6
"""Lines an emphasis span may cover before an unclosed mark is taken for a stray one."""
_HEAD_CELLS = 20
"""Leading physical lines of a Markdown page where glued header cells are split."""


@dataclass
class Line:
    start: int
    end: int
    text: str
    page: int | None = None
    table: int | None = None
    """Index into ``NormText.tables`` when this line is a table row."""
    note: bool = False
    """A footnote's text: it belongs to no section (its references and KPIs count)."""


@dataclass
class Cell:
    text: str
    start: int
    end: int
    merged: bool = False
    """This grid slot continues a merged cell (left or above): its text and span are that cell's,
    and it is not printed again."""


@dataclass
class NormTable:
    rows: list[list[Cell]]
    start: int
    end: int
    page: int | None = None


@dataclass
class NormText:
    text: str
    lines: list[Line]
    tables: list[NormTable] = field(default_factory=list)
    page_starts: list[int] = field(default_factory=list)


def clean_line(text: str) -> str:
    """One physical line as it goes into the record text.

    >>> clean_line("**TM. ĐOÀN  KIỂM TRA**\\t")
    'TM. ĐOÀN KIỂM TRA'
    """
    if _ODD_CHAR.search(text):
        text = text.translate(_CHAR_MAP)
    if "**" in text or "__" in text:
        text = _BOLD.sub("", text)
    if "*" in text:
        text = _ITALIC.sub(r"\1", text, timeout=TIMEOUT)
    if "  " in text:
        text = _SPACES.sub(" ", text)
    return text.strip()


def is_markdown(lines: list[str]) -> bool:
    """Is this text a law-library page converted to Markdown (header table cells on ``|`` lines)?

    Plain text with a few ``**`` (seed 004's signature) is not: its line breaks are the document's.
    """
    head = lines[:_MD_SAMPLE]  # the header table sits at the top
    edges = sum(1 for t in head if _PIPE_LINE.match(t) or (t.rstrip().endswith(" |") and not t.lstrip().startswith("|")))
    if edges >= 2:
        return True
    glued = any(_INNER_PIPE.search(t) for t in lines[:_HEAD_CELLS])
    return edges + glued >= 1 and sum(t.count("**") for t in head) >= 2


def _mark_parity(text: str) -> tuple[int, int]:
    """(bold marks, single-star marks) in a line, a leading ``* `` bullet not counted."""
    bold = len(_BOLD_MARK.findall(text))
    rest = _BOLD_MARK.sub("", text)
    rest = _STAR_BULLET.sub("", rest, count=1)
    return bold, rest.count("*")


def _strip_marks(text: str) -> str:
    """Markdown emphasis marks out of a line; a leading ``* `` bullet stays."""
    text = _BOLD_MARK.sub("", text)
    m = _STAR_BULLET.match(text)
    head, rest = (text[: m.end()], text[m.end():]) if m else ("", text)
    return head + _STAR.sub("", rest)


def _split_head_cell(text: str) -> list[str]:
    """A header line holding glued cells ("CHÍNH PHỦ_____ Số: 170/2025/NĐ-CP | CỘNG HÒA ...NAMĐộc lập
    ...") as one piece per cell: at inner ``|``, at rule runs and after the national motto."""
    pieces: list[str] = []
    for cell in _INNER_PIPE.split(text):
        for part in _RULE_RUN.split(cell):
            part = part.strip()
            while part:
                mm = _motto_re().match(part)
                if mm and mm.end() < len(part):
                    pieces.append(part[: mm.end()])
                    part = part[mm.end():].strip(" -–")
                    continue
                pieces.append(part)
                break
    return pieces


def unmark(lines: list[tuple[str, int | None]]) -> list[tuple[str | None, int | None]]:
    """Undo the layout of a Markdown page (see :func:`is_markdown`); ``None`` marks a cell edge.

    - ``|`` lines and rules end a cell: the joiner never merges across them (``None``);
    - empty emphasis lines ("* *") are blank lines; ``|`` at a line's edges and a heading's
      ``#`` go;
    - header lines with glued cells are split (:func:`_split_head_cell`);
    - an emphasis span opened on one line and closed on a later one (within ``_SPAN_MAX`` lines,
      no blank or cell edge between) is one wrapped paragraph: its lines are joined with a space
      (``**TM. ỦY BAN NHÂN`` / ``DÂN**``, ``*Hà Nội, ngày 24`` / ``tháng 11 năm 2025*``);
    - the emphasis marks are removed.
    """
    items: list[tuple[str | None, int | None]] = []
    for k, (text, page) in enumerate(lines):
        if _PIPE_LINE.match(text) or _RULE_LINE.match(text):
            items.append((None, page))
            continue
        if _EMPTY_MARK.match(text):
            items.append(("", page))
            continue
        text = _HEADING_MARK.sub("", _EDGE_PIPES.sub("", text), count=1)
        if not text.strip():
            items.append(("", page))
            continue
        if k < _HEAD_CELLS and (_INNER_PIPE.search(text) or _RULE_RUN.search(text)):
            pieces = _split_head_cell(text)
            for n, piece in enumerate(pieces):
                if n:
                    items.append((None, page))
                items.append((piece, page))
            continue
        items.append((text, page))
    out: list[tuple[str | None, int | None]] = []
    i = 0
    n = len(items)
    while i < n:
        item, page = items[i]
        if not item:
            out.append((item, page))
            i += 1
            continue
        bold, star = _mark_parity(item)
        end = i
        for is_open, which in ((bold % 2 == 1, 0), (star % 2 == 1, 1)):
            if not is_open:
                continue
            count = 0
            for j in range(i + 1, min(n, i + _SPAN_MAX)):
                t = items[j][0]
                if not t:
                    break
                count += _mark_parity(t)[which]
                if count % 2 == 1:
                    end = max(end, j)
                    break
        joined = " ".join(t for t, _ in items[i:end + 1] if t)
        out.append((_strip_marks(joined), page))
        i = end + 1
    return out


def _looks_wrapped(lines: list[str]) -> bool:
    """Is this text hard-wrapped at a page width (many long lines stopping mid-sentence)?"""
    long_lines = [t for t in lines if len(t) >= 45 and not starts_block(t)]
    if len(long_lines) < 5:
        return False
    open_ended = sum(1 for t in long_lines if not ends_block(t))
    return open_ended / len(long_lines) >= 0.35


def _join_wrapped(lines: list[tuple[str | None, int | None]]) -> list[tuple[str, int | None]]:
    """Join hard-wrapped physical lines (blank lines included) into paragraphs; ``None`` (a table
    cell's edge) is never crossed."""
    texts = [t for t, _ in lines if t]
    wrapped = _looks_wrapped(texts)
    out: list[tuple[str, int | None]] = []
    blank_before = False
    edge = True
    for text, page in lines:
        if text is None:
            edge = True
            continue
        if not text:
            blank_before = True
            continue
        if out and not edge and _continues(out[-1][0], text, wrapped, blank_before):
            prev, ppage = out[-1]
            out[-1] = (prev + " " + text, ppage)
        else:
            out.append((text, page))
        blank_before = False
        edge = False
    return out


def _continues(prev: str, cur: str, wrapped: bool, blank_before: bool) -> bool:
    if wrapped and _RANGE_WRAP.match(cur) and prev.rstrip()[-1:].isdigit():
        return True  # "... của giai đoạn 2021" / "- 2025 sang ...": a range broken at the wrap (h023)
    if _LONE_MARK.match(prev) or (layout("number_alone").match(prev) and _NUMBER_REST.match(cur)):
        # a dash or "Số:" with the rest on the next line (a narrow cell: "-" / "Như trên;",
        # "Số:" / "73/2025/NQ-HĐND"; a stamped "Số: 329" / "/BC-UBND" in a text dump)
        return True
    if starts_block(cur):
        return False
    if ends_block(prev):
        # A wrap right after ";", "," or ":" ("... cho công chức;" / "tổ chức chia sẻ ...") continues
        # when the next line starts in lower case or with a figure; "." ends paragraphs.
        return wrapped and prev.rstrip()[-1:] in ";,:" and bool(LOWER_START.match(cur)) and not is_caps(prev)
    if LOWER_START.match(cur):
        return True
    # An upper-case start continues only in a hard-wrapped text, after a long line
    # (a short line followed by a capital is a title or heading line), and not after a heading.
    if not wrapped or len(prev) < 45 or is_caps(prev):
        return False
    if prev.count("(") > prev.count(")"):
        return True  # an open parenthesis always continues
    # A label line continues only when it is a run-on item, not a short heading.
    return not match_label(prev) or len(prev) >= 70


@functools.cache
def _motto_re() -> regex.Pattern[str]:
    return regex.compile(patterns.alternation(patterns.load().layout.motto), patterns.FLAGS)


@functools.cache
def _recipients_re() -> regex.Pattern[str]:
    return regex.compile(patterns.load().layout.recipients_label, patterns.FLAGS)


@functools.cache
def _type_names() -> frozenset[str]:
    """Document type names (``thông báo``, ``báo cáo`` ...) casefolded, to find the type line."""
    return frozenset(t.name.casefold() for t in patterns.load().doc_types.types)


@functools.cache
def _blank_field_res() -> tuple[regex.Pattern[str], regex.Pattern[str]]:
    lay = patterns.load().layout
    return (regex.compile(r"(?:" + lay.blank_field_before + r")\s*$", patterns.FLAGS),
            regex.compile(r"^(?:" + lay.blank_field_after + r")", patterns.FLAGS))


def _is_person(text: str) -> bool:
    return bool(PERSON_NAME.match(text)) and not is_caps(text)


def _column_gap(line: str) -> regex.Match[str] | None:
    """The first wide gap of a line that parts two columns, not a blank field typed with spaces
    ("Số:          /TB-UBND", "ngày     tháng 01 năm 2026", a stamped "329      /BC-UBND")."""
    before, after = _blank_field_res()
    for m in _GAP.finditer(line):
        if before.search(line, 0, m.start()) or after.match(line, m.end()):
            continue
        return m
    return None


def split_columns(lines: list[str]) -> list[str]:
    """Undo two-column bands in plain text (``pdftotext -layout`` dumps, pipe tables).

    The Decree 30 header (issuing body | national motto) and foot (Nơi nhận | signature) are two
    columns; a text dump prints them side by side ("UBND XÃ A      CỘNG HÒA XÃ HỘI ..."). In the
    top and bottom bands, a run of lines holding a wide gap is split at the gap and the left
    column is emitted before the right one, so the two never interleave.
    """
    # "ỦY BAN NHÂN DÂN | CỘNG HÒA ... | Số: 30/2018/QĐ-UBND | Hải Phòng, ngày ..." on one line
    # (domain.md §1.2): each cell becomes a line.
    top: list[str] = []
    for k, line in enumerate(lines):
        if k < _HEAD_BAND and line.count(" | ") >= 2:
            top.extend(part.strip() for part in line.split(" | "))
            continue
        # "UBND XÃ A CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" (columns merged by a text dump): the
        # national motto starts the right column.
        mm = _motto_re().search(line) if k < _HEAD_BAND else None
        if mm and line[: mm.start()].strip() and not _column_gap(line.strip()):
            top.extend([line[: mm.start()].rstrip(), line[mm.start():]])
        else:
            top.append(line)
    lines = top
    n = len(lines)
    # Foot bands: from each "Nơi nhận" to the signer's name on the right (an appendix may follow),
    # else to the end of the text; the last 12 lines when no "Nơi nhận" is printed.
    feet = [i for i, t in enumerate(lines) if _recipients_re().search(t)] or [max(n - 12, 0)]
    # The header band stops at the type name ("THÔNG BÁO": a short upper-case line standing alone).
    names = _type_names()
    type_line = next((i for i in range(min(n, _HEAD_BAND))
                      if collapse(lines[i]).casefold() in names), n)
    head_end = min(n, _HEAD_BAND, feet[0], type_line)
    bands = [(0, head_end)]
    for k, foot in enumerate(feet):
        limit = feet[k + 1] if k + 1 < len(feet) else n
        end = next((i + 1 for i in range(foot + 1, min(limit, foot + _FOOT_BAND))
                    if _is_person(_GAP.split(lines[i].strip())[-1])), limit)
        bands.append((max(foot, head_end), end))
    out = list(lines)
    for a, b in sorted(bands, reverse=True):
        if a >= b:
            continue
        gapped = [i for i in range(a, b) if _column_gap(lines[i].strip())]
        if len(gapped) < (2 if a == 0 else 1):  # a foot may print one side-by-side line only
            continue
        g0, g1 = gapped[0], gapped[-1]
        cols = []
        for i in gapped:
            m = _column_gap(lines[i].rstrip())
            if m:
                cols.append(m.end())
        cols.sort()
        split = cols[len(cols) // 2]
        if a > 0:
            g1 = b - 1  # the foot runs to the signer: right-only signature lines follow the gap lines
        else:
            while g1 + 1 < b and len(lines[g1 + 1]) - len(lines[g1 + 1].lstrip()) >= split - 10:
                g1 += 1  # right-only header lines (a place-date line alone on the right)
        left: list[str] = []
        right: list[str] = []
        for i in range(g0, g1 + 1):
            line = lines[i].rstrip()
            m = _column_gap(line)
            if m and abs(m.end() - split) <= 20:
                left.append(line[: m.start()])
                right.append(line[m.end():])
            elif len(line) - len(line.lstrip()) >= split - 10 and line.strip():
                right.append(line.strip())
            else:
                left.append(line)
        out[g0:g1 + 1] = left + right
    # A header line still holding both columns (a lone side-by-side line the bands left alone):
    # the national motto starts the right column.
    final: list[str] = []
    for k, line in enumerate(out):
        mm = _motto_re().search(line) if k < _HEAD_BAND else None
        if mm and line[: mm.start()].strip():
            final.extend([line[: mm.start()].rstrip(), line[mm.start():]])
        else:
            final.append(line)
    return final


def normalize(raw: RawDocument) -> NormText:
    """Build the record text from a reader's blocks."""
    pieces: list[str] = []
    lines: list[Line] = []
    tables: list[NormTable] = []
    page_starts: list[int] = []
    offset = 0
    pending: list[tuple[str, int | None, bool]] = []
    # A Markdown rendering is recognised once, on the whole text: its body tables (blocks of
    # their own) must not hide the layout of what follows them.
    markdown = raw.wrapped and is_markdown([b.text for b in raw.blocks if isinstance(b, Paragraph)])

    def emit(text: str, page: int | None, table: int | None = None, note: bool = False) -> Line:
        nonlocal offset
        if pieces:
            pieces.append("\n")
            offset += 1
        if page is not None:
            while len(page_starts) < page:
                page_starts.append(offset)
        line = Line(offset, offset + len(text), text, page, table, note)
        pieces.append(text)
        offset += len(text)
        lines.append(line)
        return line

    def flush() -> None:
        physical = [(t, p) for t, p, _ in pending]
        notes = [n for _, _, n in pending]
        pending.clear()
        items: list[tuple[str | None, int | None]]
        if raw.wrapped:
            texts = [t for t, _ in physical]
            if markdown:
                items = [(None if t is None else clean_line(t), p) for t, p in unmark(physical)]
            else:
                texts = split_columns(texts)
                pages = [p for _, p in physical]
                items = [(clean_line(t), pages[min(k, len(pages) - 1)] if pages else None)
                         for k, t in enumerate(texts)]
            for text, page in _join_wrapped(items):
                emit(text, page)
            return
        for (text, page), note in zip(physical, notes, strict=True):
            if text:
                emit(text, page, note=note)

    for block in raw.blocks:
        if isinstance(block, Paragraph):
            for part in block.text.split("\n"):
                pending.append((part if raw.wrapped else clean_line(part), block.page, block.note))
            if not raw.wrapped:
                pending.append(("", block.page, block.note))
        elif isinstance(block, RawTable):
            flush()
            index = len(tables)
            rows: list[list[Cell]] = []
            tstart: int | None = None
            for r, row in enumerate(block.rows):
                cells_text = [clean_line(c.replace("\n", " ")) for c in row]
                if not any(cells_text):
                    continue
                flags = block.merged[r] if block.merged is not None and r < len(block.merged) else []
                merged = [k < len(flags) and flags[k] for k in range(len(cells_text))]
                if all(merged):
                    merged = [False] * len(cells_text)
                line = emit(CELL_SEP.join(t for t, mg in zip(cells_text, merged, strict=True) if not mg),
                            block.page, index)
                tstart = line.start if tstart is None else tstart
                cells: list[Cell] = []
                pos = line.start
                for k, ct in enumerate(cells_text):
                    if merged[k]:
                        # The span of the cell it continues: on its left, else in the row above.
                        origin = cells[k - 1] if k > 0 and cells[k - 1].text == ct else (
                            rows[-1][k] if rows and k < len(rows[-1]) else None)
                        a, b = (origin.start, origin.end) if origin is not None else (pos, pos)
                        cells.append(Cell(ct, a, b, merged=True))
                        continue
                    cells.append(Cell(ct, pos, pos + len(ct)))
                    pos += len(ct) + len(CELL_SEP)
                rows.append(cells)
            if rows and tstart is not None:
                tables.append(NormTable(rows, tstart, offset, block.page))
    flush()
    return NormText("".join(pieces), lines, tables, page_starts)
