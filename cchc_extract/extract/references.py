"""Citations of other documents: type, number, date, issuer.

Number grammar (Decree 30/2020 §1.3 in shared/domain/domain.md):
- standard ``55/KH-UBND``, with a year for legal normative documents ``118/2025/NĐ-CP``;
- party style with a hyphen before the type ``18-NQ/TW``;
- a stray space ``55/KH- UBND`` or ``55 /2005/TTLT-BNV-VPCP`` (removed in ``number``);
- a lost hyphen ``1961/QĐUBND`` (the type is the longest known code the segment starts with);
- the malformed ``TT343/2016`` (type glued to the number; kept as printed).
The type name comes from the words before the number ("Quyết định số 53/KH-UBND" keeps
"Quyết định" even though the number says KH); the date from "ngày ..." attached to the
citation; the issuer from "của X", "do X ban hành" or the subject "X đã ban hành ...".
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from .. import patterns
from ..textutil import TIMEOUT, clause_start
from .dates import match_date

_SEG = r"\p{Lu}[\p{L}\d&]{0,15}"
NUMBER_RE = regex.compile(
    r"(?<![\w/.\-])(?:"
    r"(?P<std>\d{1,5}[a-z]?\s?(?:/\s?\d{4})?\s?/\s?" + _SEG + r"(?:\s?-\s?" + _SEG + r"|/" + _SEG + r"){0,4})"
    r"|(?P<party>\d{1,5}-" + _SEG + r"/" + _SEG + r"(?:-" + _SEG + r"){0,3})"
    r"|(?P<glued>(?P<gcode>\p{Lu}{1,4})(?P<gseq>\d{1,5})/(?P<gyear>\d{4}))"
    r")(?![\w/])",
    regex.VERSION1,
)
_SPACES = regex.compile(r"\s+")
_GLUED = regex.compile(r"^(\p{Lu}{1,4})\d")
_TWO_CAPS = regex.compile(r"\p{Lu}{2}")


@dataclass
class Citation:
    start: int
    end: int
    number: str
    type_code: str | None
    type_name: str | None
    date: str | None
    issuer: str | None


@functools.cache
def _codes() -> dict[str, str]:
    """Type code -> sentence-case type name (Annex III and cited-only types)."""
    return {t.code: t.name for t in patterns.load().doc_types.types}


@functools.cache
def _res() -> dict[str, regex.Pattern[str]]:
    p = patterns.load()
    r = p.references
    names: list[str] = []
    for t in p.doc_types.types:
        names.extend([*t.aliases, t.name])
    names.extend(p.doc_types.untyped_names)
    names.sort(key=len, reverse=True)
    generic = sorted(p.doc_types.generic_names, key=len, reverse=True)
    codes = sorted(_codes(), key=len, reverse=True)
    name_alt = "|".join(regex.escape(n).replace(r"\ ", r"\s+") for n in names)
    code_alt = "|".join(regex.escape(c) for c in codes)
    generic_alt = "|".join(regex.escape(n).replace(r"\ ", r"\s+") for n in generic)
    issuers = patterns.alternation(p.units.issuer_heads)
    f = patterns.FLAGS
    return {
        "name_before": regex.compile(
            r"(?:(?P<name>" + name_alt + r")|(?P<code>(?-i:" + code_alt + r"))|(?P<generic>" + generic_alt + r"))"
            + r.number_intro + r"$",
            f,
        ),
        "of": regex.compile(r"^\s*,?\s*" + r.issuer_of + r"\s+", f),
        "by": regex.compile(r"^\s*,?\s*" + r.issued_by + r"(?P<iss>.{1,80}?)" + r.issued_by_end + r"\b", f),
        "subject": regex.compile(
            r"(?P<iss>" + issuers + r"(?:\s+[^\s,;.:()\d/]+){0,5}?)\s+" + r.issuing_verbs + r"\b", f),
        "stop": regex.compile(r"\s+(?:" + patterns.alternation(r.issuer_stops) + r")\b", f),
        "keep_paren": regex.compile(r"\s*" + r.issuer_keep_paren, f),
        "not_after": regex.compile(r.date_not_after, f),
        "opener": regex.compile(r.sentence_date_opener, f),
        "ngay": regex.compile(r.date_word + r"\s+", f),
        "issuer_head": regex.compile(r"^" + issuers, f),
        "code_prefix": regex.compile(r"^(?:" + code_alt + r")"),
    }


def normalize_number(raw: str) -> str:
    """``55/KH- UBND`` -> ``55/KH-UBND``."""
    return _SPACES.sub("", raw)


def type_code_of(number: str) -> str | None:
    """The type abbreviation a number carries, or None (``02/UBND-VP`` has none).

    >>> type_code_of("118/2025/NĐ-CP"), type_code_of("18-NQ/TW"), type_code_of("02/UBND-VP")
    ('NĐ', 'NQ', None)
    """
    codes = _codes()
    m = _GLUED.match(number)
    if m and "/" in number and m.group(1) in codes:
        return m.group(1)  # glued "TT343/2016"
    parts = number.split("/")
    if len(parts) >= 2 and "-" in parts[0]:
        seg = parts[0].split("-", 1)[1]  # party style "18-NQ/TW"
    else:
        rest = [p for p in parts[1:] if not p.isdigit()]
        if not rest:
            return None
        seg = rest[0].split("-")[0]
    if seg in codes:
        return seg
    m = _res()["code_prefix"].match(seg) if "-" not in number else None
    if m and len(seg) > len(m.group()) and seg[len(m.group()):][:1].isupper():
        return m.group()  # lost hyphen: "QĐUBND"
    return None


def _sentence_start(text: str, pos: int, floor: int) -> int:
    return clause_start(text, pos, floor)


def _clause_start(text: str, pos: int, floor: int) -> int:
    return clause_start(text, pos, floor, stops="\n;:")


def _cut_issuer(text: str) -> str | None:
    res = _res()
    keep = ""
    out: list[str] = []
    i = 0
    while i < len(text) and len(out) < 100:
        ch = text[i]
        if ch == "(":
            m = res["keep_paren"].match(text, i)
            if m:
                keep = m.group().strip()
                out.append(" " + keep)
                i = m.end()
                continue
            break
        if ch in ",;.:\n)":
            break
        out.append(ch)
        i += 1
    cand = "".join(out)
    m = res["stop"].search(cand)
    if m:
        cand = cand[: m.start()]
    cand = _SPACES.sub(" ", cand).strip()
    if not cand or not (cand[0].isupper() or res["issuer_head"].match(cand)):
        return None
    return cand


def find_citations(text: str, start: int = 0, end: int | None = None) -> list[Citation]:
    """Every citation in ``text[start:end]`` in order (repeats included)."""
    res = _res()
    end = len(text) if end is None else end
    matches = list(NUMBER_RE.finditer(text, start, end, timeout=TIMEOUT))
    out: list[Citation] = []
    for k, m in enumerate(matches):
        number = normalize_number(m.group())
        code = type_code_of(number)
        if code is None and m.group("std") and not _TWO_CAPS.search(number.split("/")[-1]):
            continue  # "5/Trường" is no citation: an issuer code is upper case
        line_start = text.rfind("\n", 0, m.start()) + 1
        before = text[max(line_start, m.start() - 60): m.start()]
        nb = res["name_before"].search(before)
        type_name: str | None = None
        cstart = m.start()
        if nb:
            cstart = m.start() - (len(before) - nb.start())
            if nb.group("name"):
                printed = _SPACES.sub(" ", nb.group("name"))
                type_name = printed[0].upper() + printed[1:]
            elif nb.group("code"):
                type_name = _codes().get(nb.group("code"))
        if type_name is None and code is not None:
            type_name = _codes().get(code)
        if code is None and nb is None:
            continue  # a bare "12/UBND-VP" with no type word: too weak to call a citation
        nxt = matches[k + 1].start() if k + 1 < len(matches) else end
        window_end = _window_end(text, m.end(), min(nxt, end, m.end() + 240))
        date, date_end = _attached_date(text, m.end(), window_end)
        if date is None:
            s = _clause_start(text, m.start(), line_start)
            while s < m.start() and text[s] == " ":
                s += 1
            om = res["opener"].match(text, s)
            if om:
                fd = match_date(text, om.end())
                if fd is not None and fd.year is not None and fd.end <= m.start():
                    date = fd.iso()
        issuer = None
        tail_from = date_end if date_end is not None and date_end - m.end() < 30 else m.end()
        tail = text[tail_from:window_end]
        om2 = res["of"].match(tail)
        if om2:
            issuer = _cut_issuer(tail[om2.end():])
        if issuer is None:
            bm = res["by"].match(tail)
            if bm:
                issuer = _cut_issuer(bm.group("iss"))
        if issuer is None:
            s = _sentence_start(text, m.start(), line_start)
            best = None
            for sm in res["subject"].finditer(text, s, m.start(), overlapped=True, timeout=TIMEOUT):
                best = sm
            if best is not None:
                issuer = _SPACES.sub(" ", best.group("iss")).strip()
        out.append(Citation(cstart, m.end(), number, code, type_name, date, issuer))
    return out


def _window_end(text: str, pos: int, limit: int) -> int:
    """Where the words describing a citation end: line end, "(", ";" or a sentence end."""
    i = pos
    while i < limit:
        ch = text[i]
        if ch == "(" and _res()["keep_paren"].match(text, i):
            i += 1
            continue
        if ch in "\n(;" or (ch == "." and (i + 1 >= len(text) or text[i + 1] in " \n")):
            return i
        i += 1
    return limit


def _attached_date(text: str, pos: int, end: int) -> tuple[str | None, int | None]:
    """The first ``ngày <date>`` after a citation, unless it is a range or cut-off date."""
    res = _res()
    for nm in res["ngay"].finditer(text, pos, end):
        fd = match_date(text, nm.end())
        if fd is None or fd.year is None:
            continue
        if res["not_after"].search(text[max(pos, nm.start() - 20): nm.start()]):
            continue
        return fd.iso(), fd.end
    return None, None
