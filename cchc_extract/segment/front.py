"""The front of a document (Decree 30/2020 Annex I): header block, type name, title, preamble.

The header block holds the issuing body (left column), ``Số:``, the national motto and the
place-date line (right column) in whatever order the reader produced them. The type name
("THÔNG BÁO") stands alone on a line; the summary (trích yếu) follows on one or more lines;
the preamble opens with ``Căn cứ`` / ``Thực hiện`` / ``Trên cơ sở``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import regex

from .. import patterns
from ..normalize import Line
from ..textutil import LOWER_START, collapse, is_caps, layout, match_label

_MAX_HEADER_LINES = 14
_MAX_TITLE_LINES = 8
_MAX_TITLE_CHARS = 500
_MAX_ENACTING_LINES = 3
_LETTER = regex.compile(r"\p{L}")
_UPPER_LETTER = regex.compile(r"\p{Lu}")
_NO_ALNUM = regex.compile(r"^[\W_]*$")
# A wrapped header cell's piece: one or two upper-case words ("BỘ" / "TÀI CHÍNH", "PHỦ").
_FRAGMENT = regex.compile(r"^\p{Lu}[\p{Lu}\p{M}]*(?:\s+\p{Lu}[\p{Lu}\p{M}]*)?$")


@dataclass
class Front:
    header: list[int] = field(default_factory=list)
    """Indices of header-block lines (issuing body, Số, motto, place-date)."""
    type_line: int | None = None
    doc_type: tuple[str | None, str] | None = None
    """(code, sentence-case name)."""
    title: list[int] = field(default_factory=list)
    title_head: str = ""
    """Title text printed on the type-name line itself ("THÔNG BÁO Kết luận ...")."""
    preamble: list[int] = field(default_factory=list)
    body_start: int = 0
    number_line: int | None = None
    place_date_line: int | None = None
    issuer_lines: list[int] = field(default_factory=list)
    subject: list[int] = field(default_factory=list)
    enacting: list[int] = field(default_factory=list)
    """The enacting authority's lines between title and preamble ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …")."""
    """Lines of a công văn's ``V/v …`` trích yếu (in the header block)."""


@functools.cache
def _type_names() -> list[tuple[regex.Pattern[str], str | None, str]]:
    dt = patterns.load().doc_types
    out: list[tuple[regex.Pattern[str], str | None, str]] = []
    for entry in dt.types:
        if entry.cited_only:
            continue
        for name in [entry.name, *entry.aliases]:
            rx = regex.compile(r"^" + regex.escape(name).replace(r"\ ", r"\s+") + r"\b", patterns.FLAGS)
            out.append((rx, entry.code, entry.name))
    for name in dt.untyped_names:
        rx = regex.compile(r"^" + regex.escape(name).replace(r"\ ", r"\s+") + r"\b", patterns.FLAGS)
        out.append((rx, None, name))
    return out


def match_type_line(text: str) -> tuple[str | None, str, str] | None:
    """(code, name, rest of line) when ``text`` is a type-name line such as ``THÔNG BÁO``."""
    if not is_caps(text) and len(text) > 12 and not is_caps(text[:12]):
        return None
    for rx, code, name in _type_names():
        m = rx.match(text)
        if m:
            rest = text[m.end():].strip(" :-")
            printed = text[: m.end()]
            if rest and not is_caps(rest) and not (printed.isupper() and rest[:1].isupper()):
                return None  # "Thông báo số 01/TB ..." in running text is no type line
            return code, name, rest
    return None


def _has_place_date(text: str) -> bool:
    """A place-date line, or a ``Số:`` line that carries it after the number (columns merged)."""
    if layout("place_date").match(text):
        return True
    m = layout("number").match(text)
    if m:
        parts = text[m.end():].split(None, 1)
        return len(parts) == 2 and bool(layout("place_date").match(parts[1]))
    return False


def is_header_line(text: str) -> bool:
    return bool(layout("motto").match(text) or layout("number").match(text) or layout("place_date").match(text))


def find_front(lines: list[Line]) -> Front:
    """Locate header, type name, title and preamble among the first lines."""
    front = Front()
    n = len(lines)
    limit = min(n, _MAX_HEADER_LINES)
    for i in range(limit):
        t = lines[i].text
        if _NO_ALNUM.match(t):
            continue
        mt = match_type_line(t)
        if mt is not None and not layout("motto").match(t):
            front.type_line = i
            front.doc_type = (mt[0], mt[1])
            front.title_head = mt[2]
            break
    header_end = front.type_line if front.type_line is not None else _header_run(lines, limit)
    for i in range(header_end):
        t = lines[i].text
        front.header.append(i)
        if layout("number").match(t) and front.number_line is None:
            front.number_line = i
        if _has_place_date(t) and front.place_date_line is None:
            front.place_date_line = i
        elif layout("subject_line").match(t) or (front.subject and front.subject[-1] == i - 1 and _subject_goes_on(t)):
            front.subject.append(i)
        elif not layout("motto").match(t) and not layout("number").match(t) and (
                is_caps(t) or _FRAGMENT.match(t)):
            front.issuer_lines.append(i)
    if front.type_line is None and front.subject:
        # "Số: 02/UBND-VP" / "V/v …" and no type name: a công văn, titled by its V/v block.
        front.doc_type = (None, patterns.load().doc_types.letter_name)
        front.title = list(front.subject)
    # Title: the lines after the type name, up to the preamble or the first heading.
    i = (front.type_line + 1) if front.type_line is not None else header_end
    if front.type_line is not None:
        while i < n and len(front.title) < _MAX_TITLE_LINES:
            t = lines[i].text
            if _NO_ALNUM.match(t):
                i += 1
                continue
            upper = _upper(t)
            if ((layout("preamble").match(t) and not upper) or match_label(t) or layout("bullet").match(t)
                    or len(t) > 300 or (front.title and t.endswith((".", ";", ":")))
                    or (front.title and len(" ".join(lines[j].text for j in front.title)) > _MAX_TITLE_CHARS)
                    or (front.title and upper != _upper(lines[front.title[-1]].text) and not LOWER_START.match(t))):
                # (the last: a caps line after a sentence-case title, or the reverse, is no title line)
                break
            if layout("place_date").match(t) or layout("number").match(t):
                front.header.append(i)
                if layout("number").match(t):
                    front.number_line = i
                else:
                    front.place_date_line = i
                i += 1
                continue
            front.title.append(i)
            i += 1
            if t.endswith((".", ":")):
                break
        cut = _enacting_start(lines, front.title, " ".join(lines[k].text for k in front.issuer_lines))
        if cut is not None:
            front.enacting = front.title[cut:]
            front.title = front.title[:cut]
    # Preamble: everything up to the first section heading.
    start = i
    while i < n and not _is_section_start(lines[i].text) and not (
            layout("recipients").match(lines[i].text) or layout("authority").match(lines[i].text)):
        if lines[i].table is None:
            front.preamble.append(i)
        i += 1
    front.body_start = i if i < n else start
    if i >= n:
        # No heading at all: the preamble is only the opener paragraphs; the rest is body.
        pre = [j for j in front.preamble if layout("preamble").match(lines[j].text)]
        front.preamble = pre
        front.body_start = (pre[-1] + 1) if pre else start
    return front


def _upper(text: str) -> bool:
    """Upper-case text, even one word ("KẾT" of a title wrapped after its first word)."""
    letters = len(_LETTER.findall(text))
    return letters > 0 and len(_UPPER_LETTER.findall(text)) / letters >= 0.85


@functools.cache
def _enacting_res() -> tuple[regex.Pattern[str], regex.Pattern[str]]:
    lay = patterns.load().layout
    return (regex.compile(r"^\s*(?-i:" + lay.enacting_authority + r")\b", patterns.FLAGS),
            regex.compile(r"(?-i:" + lay.title_connectors + r")\s*$", patterns.FLAGS))


def _enacting_start(lines: list[Line], title: list[int], issuer: str) -> int | None:
    """Where the enacting authority starts among the title lines, if it does.

    A decision, resolution, decree or circular names who enacts it between its title and the
    preamble ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …", "ỦY BAN NHÂN DÂN TỈNH", "THỦ TƯỚNG CHÍNH PHỦ",
    scans/README.md): neither title nor issuer. It is one of the last lines of the block, upper
    case, opens with an authority (or is the issuer's name), and does not continue a title line that
    ends on a connector ("… THUỘC THẨM QUYỀN CỦA" / "ỦY BAN NHÂN DÂN TỈNH").
    """
    head, connector = _enacting_res()
    issuer = collapse(issuer).casefold()
    for pos in range(max(1, len(title) - _MAX_ENACTING_LINES), len(title)):
        t = collapse(lines[title[pos]].text)
        if not _upper(t) or connector.search(lines[title[pos - 1]].text):
            continue
        if head.match(t) or (issuer and t.casefold() == issuer):
            return pos
    return None


def _header_run(lines: list[Line], limit: int) -> int:
    """End of the header block when no type name stands under it (a công văn, a text that lost
    its type line): the lines up to the last ``Số:``, motto, place-date or ``V/v`` line, as long
    as every line before is upper case, a header line or a short fragment of a wrapped cell."""
    end = 0
    in_subject = False
    for i in range(limit):
        t = lines[i].text
        if is_header_line(t) or layout("subject_line").match(t):
            end = i + 1
            in_subject = bool(layout("subject_line").match(t))
            continue
        if in_subject and _subject_goes_on(t):
            end = i + 1
            continue
        in_subject = False
        if _NO_ALNUM.match(t) or is_caps(t) or _FRAGMENT.match(t):
            continue
        break
    return end


def _subject_goes_on(text: str) -> bool:
    """A wrapped line of a ``V/v`` block: lower-case start, not a header or preamble line."""
    return bool(LOWER_START.match(text)) and not is_header_line(text) and not layout("preamble").match(text)


def _is_section_start(text: str) -> bool:
    lab = match_label(text)
    if lab is not None and lab.style in ("roman", "arabic", "decimal2", "letter", "upper"):
        return True
    return is_caps(text) and len(text) < 150 and not layout("authority").match(text)
