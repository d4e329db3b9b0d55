"""Header metadata: document number, issuer, place and date, title, period, inspection, signer.

Conventions (Decree 30/2020, shared/domain/domain.md §1.3-1.6): ``Số: 02/TB-TKT`` is sequence /
type - issuer (a blank sequence ``Số: /TB-ĐKT`` is kept blank); the place-date line reads
``<địa danh>, ngày DD tháng MM năm YYYY`` with blanks left blank; the signature block stacks the
authority (``TM.``/``KT.``/``TL.``/``TUQ.``/``Q.``), titles and the signer's name.
"""

from __future__ import annotations

import functools

import regex

from .. import patterns
from ..model import DocNumber, Inspection, IssueDate, Issuer, Period, Signer
from ..textutil import TIMEOUT, collapse, is_caps, is_name, layout
from .dates import FoundDate, find_dates
from .references import type_code_of

_SYMBOL = r"\p{Lu}[\p{L}\d&]*(?:\s?-\s?[\p{Lu}\d][\p{L}\d&]*(?:\.[\p{Lu}\d]+)*)*"  # "VPCP-V.I"


@functools.cache
def _number_body() -> regex.Pattern[str]:
    """What follows ``Số:``: ``02/TB-TKT``, ``30/2018/QĐ-UBND``, a blank sequence typed as spaces,
    dots or an ellipsis (``…/BC-UBND``), or party style ``20-TB/UBKTĐU`` (domain §1.3)."""
    fill = patterns.load().layout.blank_fill + "*"
    return regex.compile(
        r"^" + fill + r"(?:(?P<pseq>\d{1,5})-(?P<ptype>\p{Lu}\p{L}{0,5})\s*/\s*(?P<psym>" + _SYMBOL + r")"
        r"|(?P<seq>\d{0,5}[a-z]?)" + fill + r"(?:/\s*(?P<year>\d{4}))?\s*/\s*(?P<sym>" + _SYMBOL + r"))"
    )


_WS = regex.compile(r"\s+")
_FILLER = regex.compile(r"[.…_]+")
_TOUCH = regex.compile(r"(?<=\p{L})(?=\d)|(?<=\d)(?=\p{L})")
_NON_DIGIT = regex.compile(r"\D")
_DIGITS = regex.compile(r"\d+")
_SENTENCE_END = regex.compile(r"(?<!\d)[.!?](?=\s+\p{Lu})|[.!?]$")
_ROMAN_Q = {"I": 1, "II": 2, "III": 3, "IV": 4}


@functools.cache
def _period_res() -> tuple[regex.Pattern[str], regex.Pattern[str], str]:
    p = patterns.load().periods
    rx = regex.compile(f"(?:(?P<q>{p.quarter})|(?P<h>{p.half})|(?P<m>{p.months})|(?P<y>{p.year}))", patterns.FLAGS)
    return rx, regex.compile(p.date_before_year, patterns.FLAGS), p.first_half_word


def parse_number(line: str) -> DocNumber | None:
    """The document number from its ``Số:`` line.

    >>> parse_number("Số: 02/TB-TKT").seq, parse_number("Số: /TB-ĐKT").raw
    (2, '/TB-ĐKT')
    """
    m = layout("number").match(line)
    if not m:
        return None
    rest = line[m.end():]
    nm = _number_body().match(rest)
    if not nm:
        raw = collapse(rest)
        return DocNumber(raw=raw) if raw else None
    if nm.group("pseq"):
        psym = _WS.sub("", nm.group("psym"))
        return DocNumber(raw=f"{nm.group('pseq')}-{nm.group('ptype')}/{psym}", seq=int(nm.group("pseq")),
                         type_code=nm.group("ptype"), issuer_code=psym)
    raw = (nm.group("seq") or "") + (f"/{nm.group('year')}" if nm.group("year") else "") + "/" + _WS.sub("", nm.group("sym"))
    digits = _NON_DIGIT.sub("", nm.group("seq") or "")
    seq = int(digits) if digits else None
    year = int(nm.group("year")) if nm.group("year") else None
    sym = _WS.sub("", nm.group("sym"))
    parts = sym.split("-", 1)
    type_code = type_code_of(raw) if seq is not None else (parts[0] if parts[0] in _type_codes() else type_code_of("1/" + sym))
    issuer_code = parts[1] if len(parts) > 1 else None
    if type_code is None and len(parts) == 1:
        issuer_code = parts[0]
    return DocNumber(raw=raw, seq=seq, year=year, type_code=type_code, issuer_code=issuer_code)


def untyped_number(number: DocNumber) -> DocNumber:
    """The number of a document whose type has no code (a công văn): all of the symbol is the
    issuer's (GUIDELINES v2: ``02/UBND-VP`` -> type_code null, issuer_code ``UBND-VP``).

    >>> untyped_number(parse_number("Số: 5348/CT-CS")).issuer_code
    'CT-CS'
    """
    symbol = number.raw.rsplit("/", 1)[-1] if "/" in number.raw else None
    return number.model_copy(update={"type_code": None, "issuer_code": symbol or number.issuer_code})


@functools.cache
def _type_codes() -> frozenset[str]:
    return frozenset(t.code for t in patterns.load().doc_types.types)


def parse_place_date(line: str) -> tuple[str | None, IssueDate | None]:
    nm = layout("number").match(line)
    if nm:
        # "Số: /BC-UBND Lâm Đồng, ngày ..." (both header columns on one extracted line, h001).
        rest = line[nm.end():]
        body = _number_body().match(rest)
        line = rest[body.end():] if body else rest
    m = layout("place_date").search(line)
    if not m:
        return None, None
    place = collapse(m.group("place")).strip(" -–|") or None
    if place and layout("number").match(place):
        place = None
    day = int(m.group("day")) if m.group("day") else None
    month = int(m.group("month")) if m.group("month") else None
    year = int(m.group("year"))
    iso = None
    if day and month:
        try:
            import datetime as dt

            iso = dt.date(year, month, day).isoformat()
        except ValueError:
            iso = None
    # raw as printed, blanks typed as dots or ellipses dropped ("ngày … tháng 01" -> "ngày tháng 01"),
    # a day touching its word written with one space ("ngày05" -> "ngày 05", scans/README.md).
    raw = _TOUCH.sub(" ", _FILLER.sub(" ", m.group("raw")))
    return place, IssueDate(raw=collapse(raw), day=day, month=month, year=year, iso=iso)


def parse_issuer(lines: list[str]) -> Issuer | None:
    """Issuing body from the header's upper-case lines (parent above, issuer below).

    "ỦY BAN NHÂN DÂN" + "TỈNH LÂM ĐỒNG" is one body split over two lines (h006).
    """
    u = patterns.load().units
    bare = regex.compile(u.bare_bodies, patterns.FLAGS)
    terr = regex.compile(r"^" + u.territorial, patterns.FLAGS)
    head_only = _head_only()
    ends_open, starts_on = _connector_res()
    bodies: list[str] = []
    glue_next = False
    for t in lines:
        t = collapse(t.strip(" -_"))
        if not t:
            continue
        if bodies and (glue_next or (bare.search(bodies[-1]) and terr.match(t))
                       or (" " not in t and not head_only.match(t))
                       or ends_open.search(bodies[-1]) or starts_on.match(t)):
            # "BỘ NÔNG NGHIỆP VÀ" / "MÔI TRƯỜNG", "BAN CHỈ ĐẠO NHÀ NƯỚC" / "VỀ DU LỊCH": one name.
            # One body over two lines: "BỘ" / "TÀI CHÍNH", "VĂN PHÒNG CHÍNH" / "PHỦ" (a narrow cell).
            bodies[-1] = bodies[-1] + " " + t
        else:
            bodies.append(t)
        glue_next = bool(head_only.match(t))
    if not bodies:
        return None
    if len(bodies) >= 3:
        # Decree 30 cell 2/3: the parent body on the first line, the issuing body below it,
        # possibly wrapped ("HỘI ĐỒNG THẨM ĐỊNH / ĐÁNH GIÁ CHỈ SỐ CẢI / CÁCH HÀNH CHÍNH TỈNH", h004).
        return Issuer(name=" ".join(bodies[1:]), parent=bodies[0])
    return Issuer(name=bodies[-1], parent=bodies[-2] if len(bodies) > 1 else None)


@functools.cache
def _connector_res() -> tuple[regex.Pattern[str], regex.Pattern[str]]:
    """A name line ending on a connector ("… VÀ"), and one starting with it ("VỀ …")."""
    words = patterns.load().layout.title_connectors
    return (regex.compile(r"(?:^|\s)(?-i:" + words + r")$", patterns.FLAGS),
            regex.compile(r"^(?-i:" + words + r")(?:\s|$)", patterns.FLAGS))


@functools.cache
def _head_only() -> regex.Pattern[str]:
    """A line that is only a body's head noun ("BỘ", "SỞ", "ỦY BAN"): its name is on the next line."""
    u = patterns.load().units
    return regex.compile(r"^" + patterns.alternation(u.issuer_heads + u.unit_heads) + r"$", patterns.FLAGS)


def find_period(texts: list[str]) -> Period | None:
    """The year (and quarter / half) a document covers, from its title or opening lines."""
    for t in texts:
        first_q: regex.Match[str] | None = None
        period_rx, date_before, first_half = _period_res()
        last_q: regex.Match[str] | None = None
        for m in period_rx.finditer(t, timeout=TIMEOUT):
            if m.group("y"):
                # "năm 2026" inside a date ("tháng 7 năm 2026") is not a period; after a run of
                # months ("10 tháng năm 2025") it is.
                months_before = last_q is not None and bool(last_q.group("m")) and m.start() - last_q.end() <= 2
                if not months_before and date_before.search(t[max(0, m.start() - 12):m.start()]):
                    continue
                year = int(m.group("yn"))
                quarter = half = None
                start = m.start()
                if first_q is not None:
                    start = first_q.start()
                    if first_q.group("q"):
                        qn = first_q.group("qn").upper()
                        quarter = _ROMAN_Q.get(qn) or int(qn)
                    elif first_q.group("h"):
                        half = 1 if first_q.group("hw").casefold() == first_half.casefold() else 2
                return Period(year=year, quarter=quarter, half=half, raw=collapse(t[start:m.end()]))
            if first_q is None:
                first_q = m
            last_q = m
    return None


def find_inspection(
    text: str, spans: list[tuple[int, int]], citation_spans: list[tuple[int, int]], section_units: list[str]
) -> Inspection:
    """Team, dates and inspected units from the opening paragraphs of an inspection notice."""
    u = patterns.load().units
    f = patterns.FLAGS
    team_rx = regex.compile(r"(?P<team>" + u.team_head + r"(?:\s+[^\s,;.:()]+){0,14}?)\s+" + u.team_verbs, f)
    named_rx = regex.compile(r"(?P<team>" + u.team_head + r"\s+\d+)\b", f)
    report_rx = regex.compile(r"(?P<team>" + u.team_head + r"(?:\s+[^\s,;.:()]+){0,6}?)\s+" + u.team_report_verbs, f)
    session_rx = regex.compile(u.session_lead + r"(?P<team>\p{Lu}[^,;.:()]{2,80}?)\s+" + u.session_verbs, f)
    team = None
    for rx in (team_rx, named_rx, report_rx, session_rx):
        for a, b in spans:
            m = rx.search(text, a, b, timeout=TIMEOUT)
            if m:
                team = collapse(m.group("team"))
                break
        if team:
            break
    event = regex.compile(u.inspection_event, f)
    day_list = regex.compile(u.day_list, f)
    dates: list[str] = []
    units: list[str] = []
    intro = regex.compile(u.inspected_intro + r"(?P<unit>[^,;.:]+?)(?=\s*(?:,|;|\.|:|\d|$|" + u.inspected_stop + "))", f)
    list_intro = regex.compile(u.inspected_list_intro + r"(?P<list>[^;.\n]+)", f)
    generic = regex.compile(u.generic_units, f)
    refs = patterns.load().references
    cited = regex.compile(r"(?:" + refs.number_word + "|" + refs.date_word + r")\s*\S*\s*$", f)
    for a, b in spans:
        for s_a, s_b in _sentences(text, a, b):
            if not event.search(text, s_a, s_b):
                continue
            for fd in find_dates(text, s_a, s_b):
                if any(x <= fd.start < y for x, y in citation_spans):
                    continue
                if cited.search(text[max(s_a, fd.start - 25):fd.start]) and any(
                        fd.start - y < 30 and fd.start >= y for _, y in citation_spans):
                    continue
                listed = day_list.search(text, s_a, fd.start, timeout=TIMEOUT)
                days = [int(d) for d in _DIGITS.findall(listed.group())] if listed else []
                for day in [*days, fd.day]:
                    iso = FoundDate(fd.start, fd.end, day, fd.month, fd.year).iso()
                    if iso and iso not in dates:
                        dates.append(iso)
    for a, b in spans:
        lm = list_intro.search(text, a, b, timeout=TIMEOUT)
        if lm:
            units = [collapse(x) for x in lm.group("list").split(",") if collapse(x)]
            break
    if not units and section_units:
        units = section_units
    if not units:
        for a, b in spans:
            im = intro.search(text, a, b, timeout=TIMEOUT)
            if im:
                units = [collapse(im.group("unit"))]
                break
    if units and len(units) == 1 and generic.match(units[0]) and section_units:
        units = section_units
    return Inspection(team=team, dates=dates, units=units)


def _sentences(text: str, a: int, b: int) -> list[tuple[int, int]]:
    out = []
    s = a
    for m in _SENTENCE_END.finditer(text[a:b]):
        out.append((s, a + m.end()))
        s = a + m.end()
    if s < b:
        out.append((s, b))
    return out


def parse_signer(lines: list[str]) -> Signer | None:
    if not lines:
        return None
    cleaned: list[str] = []
    for t in lines:
        t = collapse(t)
        if not t:
            continue
        if cleaned and cleaned[-1].endswith(","):
            # A title wrapped after its comma: "KT. BỘ TRƯỞNG," / "CHỦ NHIỆM" is one line (GUIDELINES v2).
            cleaned[-1] = cleaned[-1] + " " + t
        else:
            cleaned.append(t)
    marks = [t for t in cleaned if not layout("signature_mark").match(t)]
    if not marks:
        return None
    # The name closes the block; an upper-case last line is a title, not a name: an unsigned draft
    # leaves the name line blank ("KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH" / nothing), and the title above
    # a blank name is still the position.
    name = marks[-1] if is_name(marks[-1]) and not is_caps(marks[-1]) else None
    titles = marks[:-1] if name is not None else marks
    position = titles[-1] if titles else None
    authority = next((t for t in cleaned if layout("authority").match(t)), None)
    if position is not None and position == authority:
        position = None  # "KT. CHỦ TỊCH" / name: no title line of its own
    return Signer(name=name, position=position, authority=authority, lines=cleaned)
