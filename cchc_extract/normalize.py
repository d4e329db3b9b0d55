"""Reader output -> one normalized text with line, page and table positions.

What it does, in order:
- cleans each physical line: odd spaces and zero-width characters, Markdown emphasis (``**``,
  inline ``*...*``), whitespace collapsed;
- for hard-wrapped sources (TXT dumps such as seed 003, wrapped mid-sentence and even across
  blank lines) joins wrapped lines back into paragraphs, never merging a real line start
  (label, bullet, heading, header line, preamble opener);
- renders body tables as ``cell | cell`` rows with a span per cell.

``NormText.text`` is ``record.text``; every span in the record indexes into it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from .document import Paragraph, RawDocument, RawTable
from .textutil import LOWER_START, ends_block, is_caps, match_label, starts_block

_ODD_SPACES = regex.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = regex.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
# PDF text layers print a hyphen as U+FFFE or U+2010/2011 ("117/QĐ\ufffeUBND", h001).
_HYPHENS = regex.compile(r"[\ufffe\u2010\u2011]")
_BOLD = regex.compile(r"\*\*|__")
_ITALIC = regex.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]{1,2000}?)(?<=[^\s*])\*(?![\w*])")
_SPACES = regex.compile(r" {2,}")
CELL_SEP = " | "


@dataclass
class Line:
    start: int
    end: int
    text: str
    page: int | None = None
    table: int | None = None
    """Index into ``NormText.tables`` when this line is a table row."""


@dataclass
class Cell:
    text: str
    start: int
    end: int


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
    text = _HYPHENS.sub("-", _INVISIBLE.sub("", _ODD_SPACES.sub(" ", text)))
    text = _BOLD.sub("", text)
    if "*" in text:
        text = _ITALIC.sub(r"\1", text, timeout=2.0)
    return _SPACES.sub(" ", text).strip()


def _looks_wrapped(lines: list[str]) -> bool:
    """Is this text hard-wrapped at a page width (many long lines stopping mid-sentence)?"""
    long_lines = [t for t in lines if len(t) >= 45 and not starts_block(t)]
    if len(long_lines) < 5:
        return False
    open_ended = sum(1 for t in long_lines if not ends_block(t))
    return open_ended / len(long_lines) >= 0.35


def _join_wrapped(lines: list[tuple[str, int | None]]) -> list[tuple[str, int | None]]:
    """Join hard-wrapped physical lines (blank lines included) into paragraphs."""
    texts = [t for t, _ in lines if t]
    wrapped = _looks_wrapped(texts)
    out: list[tuple[str, int | None]] = []
    blank_before = False
    for text, page in lines:
        if not text:
            blank_before = True
            continue
        if out and _continues(out[-1][0], text, wrapped, blank_before):
            prev, ppage = out[-1]
            out[-1] = (prev + " " + text, ppage)
        else:
            out.append((text, page))
        blank_before = False
    return out


def _continues(prev: str, cur: str, wrapped: bool, blank_before: bool) -> bool:
    if starts_block(cur) or ends_block(prev):
        return False
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


def normalize(raw: RawDocument) -> NormText:
    """Build the record text from a reader's blocks."""
    pieces: list[str] = []
    lines: list[Line] = []
    tables: list[NormTable] = []
    page_starts: list[int] = []
    offset = 0
    pending: list[tuple[str, int | None]] = []

    def emit(text: str, page: int | None, table: int | None = None) -> Line:
        nonlocal offset
        if pieces:
            pieces.append("\n")
            offset += 1
        if page is not None:
            while len(page_starts) < page:
                page_starts.append(offset)
        line = Line(offset, offset + len(text), text, page, table)
        pieces.append(text)
        offset += len(text)
        lines.append(line)
        return line

    def flush() -> None:
        physical = pending[:]
        pending.clear()
        joined = _join_wrapped(physical) if raw.wrapped else [(t, p) for t, p in physical if t]
        for text, page in joined:
            emit(text, page)

    for block in raw.blocks:
        if isinstance(block, Paragraph):
            for part in block.text.split("\n"):
                pending.append((clean_line(part), block.page))
            if not raw.wrapped:
                pending.append(("", block.page))
        elif isinstance(block, RawTable):
            flush()
            index = len(tables)
            rows: list[list[Cell]] = []
            tstart: int | None = None
            for row in block.rows:
                cells_text = [clean_line(c) for c in row]
                if not any(cells_text):
                    continue
                line = emit(CELL_SEP.join(cells_text), block.page, index)
                tstart = line.start if tstart is None else tstart
                cells: list[Cell] = []
                pos = line.start
                for ct in cells_text:
                    cells.append(Cell(ct, pos, pos + len(ct)))
                    pos += len(ct) + len(CELL_SEP)
                rows.append(cells)
            if rows and tstart is not None:
                tables.append(NormTable(rows, tstart, offset, block.page))
    flush()
    return NormText("".join(pieces), lines, tables, page_starts)
