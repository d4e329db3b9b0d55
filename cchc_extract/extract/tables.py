"""KPIs from body tables: each cell holding a measured quantity, labelled
"<row label> - <column header>" (shared/gold/GUIDELINES.md "KPIs")."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from .. import patterns
from ..normalize import NormTable
from .numbers import parse_number

_CELL = regex.compile(
    r"^\s*(?P<a>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?|\d{1,3}\.\d{1,2})\s*(?:(?P<pct>%)|/\s*(?P<b>\d{1,3}(?:\.\d{3})+|\d+))?\s*$"
)


@functools.cache
def _res() -> tuple[regex.Pattern[str], regex.Pattern[str]]:
    k = patterns.load().kpis
    return regex.compile(k.table_rate_header, patterns.FLAGS), regex.compile(k.table_ordinal_header, patterns.FLAGS)


@dataclass
class TableKpi:
    start: int
    end: int
    value: float
    unit: str | None
    label: str
    numerator: float | None = None
    denominator: float | None = None


def table_kpis(table: NormTable) -> list[TableKpi]:
    rows = table.rows
    if not rows:
        return []
    # Header rows: the leading rows with no numeric cell beyond the first column.
    nhead = 0
    for row in rows:
        if any(_CELL.match(c.text) for c in row[1:]):
            break
        nhead += 1
    nhead = min(nhead, max(len(rows) - 1, 0))
    width = max(len(r) for r in rows)
    headers: list[str] = []
    for col in range(width):
        parts: list[str] = []
        for r in rows[:nhead]:
            if col < len(r) and r[col].text and r[col].text not in parts:
                parts.append(r[col].text)
        headers.append(" ".join(parts))
    label_col = 1 if width > 2 and all(_res()[1].match(headers[0]) or not headers[0] for _ in [0]) and _res()[1].match(headers[0] or "stt") else 0
    out: list[TableKpi] = []
    for row in rows[nhead:]:
        row_label = row[label_col].text if label_col < len(row) else ""
        for col, cell in enumerate(row):
            if col <= label_col:
                continue
            mt = _CELL.match(cell.text)
            if not mt or not cell.text:
                continue
            value = parse_number(mt.group("a"))
            head = headers[col] if col < len(headers) else ""
            unit: str | None = "%" if (mt.group("pct") or _res()[0].search(head)) else None
            num = den = None
            if mt.group("b"):
                num, den = value, parse_number(mt.group("b"))
            label = " - ".join(x for x in (row_label, head) if x) or cell.text
            out.append(TableKpi(cell.start, cell.end, value, unit, label, num, den))
    return out
