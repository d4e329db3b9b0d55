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
from ..textutil import TIMEOUT, clause_start, strip_marker
from .dates import FoundDate, match_date

_WS = regex.compile(r"\s+")
_DIGIT = regex.compile(r"\d")
_SENTENCE_END = regex.compile(r"(?<!\d)[.!?](?=\s|$)")


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
    u = patterns.load().units
    f = patterns.FLAGS
    return {
        "trigger": regex.compile(r"(?<!\p{L})(?P<prefix>" + patterns.alternation(d.raw_keeps_prefix) + r")?"
                                 r"(?P<trig>" + patterns.alternation(d.triggers) + r")\s*", f),
        "assign": regex.compile(d.assign_openers, f),
        "addressee": regex.compile(d.addressee_intro, f),
        "stops": regex.compile(d.responsible_stops, f),
        # Inside the sentence a verb is in lower case; "Xây dựng", "Công Thương" name ministries.
        "verb": regex.compile(d.responsible_stops, regex.VERSION1),
        "drop": regex.compile(d.raw_drop_prefix, f),
        "recurring": regex.compile(d.recurring, f),
        "relative_year": regex.compile(d.relative_year, f),
        "span_end": regex.compile(d.span_end, f),
        "topic_lead": regex.compile(d.topic_lead, f),
        "sentence_end": regex.compile(r"[.;!?]\s"),
        "actor": regex.compile(r"^(?:các\s+)?(?:" + patterns.alternation(u.unit_heads) + r")\b|^" + u.addressee_heads
                               + r"|^các\s+bộ\b", f),
    }


def find_deadlines(text: str, start: int, end: int, default_year: int | None,
                   doc_year: int | None = None) -> list[FoundDeadline]:
    """Deadlines in the paragraph ``text[start:end]`` (``doc_year``: the document's own year)."""
    res = _res()
    out: list[FoundDeadline] = []
    if not _DIGIT.search(text, start, end):
        return out  # a deadline needs a date
    for m in res["trigger"].finditer(text, start, end, timeout=TIMEOUT):
        fd = match_date(text, m.end())
        if fd is None or fd.end > end:
            continue
        iso = fd.iso(default_year)
        if iso is None or not _sets_deadline(text, start, end, m.start(), fd, doc_year):
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


def _sets_deadline(text: str, start: int, end: int, trigger: int, fd: FoundDate, doc_year: int | None) -> bool:
    """Is the date after a trigger a day by which something must be done, not a recurring day,
    a day of an unnamed year, the end of a span or a day of a past period?"""
    res = _res()
    if fd.year is None and res["relative_year"].match(text, fd.end, end):
        return False
    if res["span_end"].search(text, max(start, trigger - 8), trigger):
        return False
    if fd.year is not None and doc_year is not None and fd.year < doc_year - patterns.load().deadlines.past_years:
        return False
    lo = clause_start(text, trigger, start, stops="\n;")
    hi = text.find(";", fd.end, end)
    hi = end if hi < 0 else hi
    sentence_end = _SENTENCE_END.search(text, fd.end, hi)
    hi = sentence_end.start() if sentence_end else hi
    return not res["recurring"].search(text, lo, hi)


def responsible(paragraph: str) -> str | None:
    """Who must act: the body after "Giao/Đề nghị ..." or the subject opening the sentence; a list
    of bodies ("Các cơ quan, đơn vị") is kept whole, and a topic lead ("Về ...:") is skipped.

    >>> responsible("Về trụ sở: Giao Văn phòng xã, Công an xã rà soát, báo cáo trước ngày 15/7/2026.")
    'Văn phòng xã, Công an xã'
    """
    res = _res()
    body = strip_marker(paragraph)
    lead = res["topic_lead"].match(body)
    if lead and not _actor(lead.group("lead")):
        body = body[lead.end():]
    am = res["assign"].match(body)
    if am:
        body = body[am.end():]
    else:
        ad = res["addressee"].search(body[:200])
        if ad:
            body = body[ad.end():]
    if res["stops"].match(" " + body.lstrip()):
        return None  # the sentence opens with a verb ("Báo cáo kết quả ..."): no subject named
    parts: list[str] = []
    for chunk in body[:400].split(","):
        sm = res["verb"].search(" " + chunk if parts else chunk)
        if sm is not None and not sm.group(0).lstrip().startswith(","):
            cut = sm.start() - (1 if parts else 0)
            parts.append(chunk[: max(cut, 0)])
            break
        if res["sentence_end"].search(chunk):
            return None
        parts.append(chunk)
    else:
        return None
    cand = ",".join(parts).strip(" ,;:")
    if not cand or len(cand.split()) > patterns.load().deadlines.responsible_max_words or not cand[0].isupper():
        return None
    return cand


def _actor(lead: str) -> bool:
    """Is a lead before a colon the actor itself ("Các Bộ, cơ quan", "UBND xã A")?"""
    return bool(_res()["actor"].match(lead.strip()))
