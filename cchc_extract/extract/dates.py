"""Dates as Vietnamese documents print them.

Full form ``ngày 06 tháng 7 năm 2026`` (Decree 30 §1.5), short forms ``05/02/2026``, ``26/2/2026``
and, in deadlines, ``15/01`` with the year implied. A blank part (``ngày tháng 4 năm 2026``) stays
None: a date is never completed from today.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import regex

from ..textutil import TIMEOUT

SHORT = r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})(?:\s*[/.-]\s*(?P<y>\d{4}))?(?![\d/])"
LONG = r"(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})(?:\s*(?:,\s*)?năm\s+(?P<y>\d{4}))?"
DATE_RE = regex.compile(r"(?<![\d/])(?:" + LONG.replace("?P<", "?P<l") + "|" + SHORT + ")", regex.IGNORECASE)


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    day: int
    month: int
    year: int | None

    def iso(self, default_year: int | None = None) -> str | None:
        year = self.year if self.year is not None else default_year
        if year is None:
            return None
        try:
            return dt.date(year, self.month, self.day).isoformat()
        except ValueError:
            return None


def match_date(text: str, pos: int = 0) -> FoundDate | None:
    """A date starting exactly at ``text[pos]`` (short or long form)."""
    m = DATE_RE.match(text, pos)
    if not m:
        return None
    d = m.group("ld") or m.group("d")
    mo = m.group("lm") or m.group("m")
    y = m.group("ly") or m.group("y")
    day, month = int(d), int(mo)
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    return FoundDate(m.start(), m.end(), day, month, int(y) if y else None)


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[FoundDate]:
    """Every full date (with year) in ``text[start:end]``."""
    out: list[FoundDate] = []
    for m in DATE_RE.finditer(text, start, end if end is not None else len(text), timeout=TIMEOUT):
        fd = match_date(text, m.start())
        if fd is not None and fd.year is not None:
            out.append(fd)
    return out
