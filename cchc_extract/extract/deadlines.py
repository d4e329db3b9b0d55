"""Dated obligations: ``trước ngày 20/7/2026``, ``chậm nhất ngày ...``, ``trước ngày 15/01``.

The deadline's ``text`` is the paragraph (bullet or list item, marker removed) that sets it, as
the gold annotators took it; ``raw`` starts at the trigger; a year left out (``15/01``) is taken
from the document's period or issue year.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from .. import patterns
from ..textutil import TIMEOUT, strip_marker
from .dates import match_date

_WS = regex.compile(r"\s+")
_DIGIT = regex.compile(r"\d")


@dataclass
class FoundDeadline:
    start: int
    end: int
    date: str
    raw: str
    responsible: str | None


@functools.cache
def _res() -> dict[str, regex.Pattern[str]]:
    d = patterns.load().deadlines
    f = patterns.FLAGS
    return {
        "trigger": regex.compile(r"(?<!\p{L})(?P<prefix>" + patterns.alternation(d.raw_keeps_prefix) + r")?"
                                 r"(?P<trig>" + patterns.alternation(d.triggers) + r")\s*", f),
        "assign": regex.compile(d.assign_openers, f),
        "addressee": regex.compile(d.addressee_intro, f),
        "stops": regex.compile(d.responsible_stops, f),
        "drop": regex.compile(d.raw_drop_prefix, f),
    }


def find_deadlines(text: str, start: int, end: int, default_year: int | None) -> list[FoundDeadline]:
    """Deadlines in the paragraph ``text[start:end]``."""
    res = _res()
    out: list[FoundDeadline] = []
    if not _DIGIT.search(text, start, end):
        return out  # a deadline needs a date
    for m in res["trigger"].finditer(text, start, end, timeout=TIMEOUT):
        fd = match_date(text, m.end())
        if fd is None or fd.end > end:
            continue
        iso = fd.iso(default_year)
        if iso is None:
            continue
        trig = m.group("trig")
        raw_start = m.start() if m.group("prefix") else m.start("trig")
        # After a bare "hoàn thành" the raw text starts at "trước" (seed 000's convention).
        lead = res["drop"].match(trig)
        if lead and not m.group("prefix"):
            raw_start = m.start("trig") + lead.end()
        raw = _WS.sub(" ", text[raw_start:fd.end])
        out.append(FoundDeadline(raw_start, fd.end, iso, raw, responsible(text[start:end])))
    return out


def responsible(paragraph: str) -> str | None:
    """Who must act: the body after "Giao/Đề nghị ..." or the subject opening the sentence."""
    res = _res()
    body = strip_marker(paragraph)
    am = res["assign"].match(body)
    if am:
        body = body[am.end():]
    else:
        ad = res["addressee"].search(body[:200])
        if ad:
            body = body[ad.end():]
    if res["stops"].match(" " + body.lstrip()):
        return None  # the sentence opens with a verb ("Báo cáo kết quả ..."): no subject named
    sm = res["stops"].search(body[:160])
    cand = body[: sm.start()] if sm else ""
    cand = cand.strip(" ,;:")
    if not cand or len(cand.split()) > 12 or not cand[0].isupper():
        return None
    return cand
