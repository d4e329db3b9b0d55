"""KPIs from body tables: each cell holding a measured quantity, labelled
"<row label> - <column header>" (shared/gold/GUIDELINES.md "KPIs", "Tables").

Columns get a role from their header (vocabulary in ``patterns/kpis.yaml``):

* running numbers (``STT``) and every column left of the row label are not values, except a
  rank column (``Thứ hạng``), whose cells are rank KPIs;
* method columns (``Điểm chuẩn tối đa``: the maximum of the scale) give no KPIs;
* a unit column (``Đơn vị tính``) gives the unit of its row, and a code there (``Có = 1;
  Không = 0``) makes the row a yes/no answer, not a quantity;
* figures printed in a notes column (``Ghi chú``) are KPIs too (:func:`note_cells`).

A merged cell is one cell: its value counts once (``Chỉ số cao nhất | 86,80%`` spanning three
value columns is one KPI).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from .. import patterns
from ..normalize import Cell, NormTable
from .numbers import parse_number

_CELL = regex.compile(
    r"^\s*(?P<a>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?|\d{1,3}\.\d{1,2})\s*(?:(?P<pct>%)|/\s*(?P<b>\d{1,3}(?:\.\d{3})+|\d+))?\s*$"
)
_ONE_DOT = regex.compile(r"^\d{1,3}\.\d{3}$")
_BRACKETS = regex.compile(r"\([^()]{0,200}\)")
_DIGITS = regex.compile(r"\d")
_ACRONYM = regex.compile(r"^[\p{Lu}\d\s&-]+$")
_ITEM_NUMBER = regex.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?|[IVXL]{1,5}\.?|[a-zđ]\))\s*$")


@functools.cache
def _res() -> dict[str, regex.Pattern[str]]:
    k = patterns.load().kpis
    t = k.tables
    f = patterns.FLAGS
    nouns = "|".join(f"(?P<n{i}>{'(?-i:' + n.pattern + ')' if n.case else n.pattern})"
                     for i, n in enumerate(k.counted_nouns))
    money = "|".join(f"(?P<m{i}>{n.pattern})" for i, n in enumerate(k.money_units))
    return {
        "rate": regex.compile(t["rate_header"], f),
        "ordinal": regex.compile(t["ordinal_header"], f),
        "rank": regex.compile(t["rank_header"], f),
        "method": regex.compile(t["method_header"], f),
        "unit": regex.compile(t["unit_header"], f),
        "note": regex.compile(t["note_header"], f),
        "score": regex.compile(t["score_header"], f),
        "code": regex.compile(t["code_cell"], f),
        "generic_unit": regex.compile(t["generic_unit"], f),
        "noun": regex.compile(r"(?<!\p{L})(?:" + nouns + r")(?!\p{L})", f),
        "money": regex.compile(r"^\s*(?:" + money + r")\s*$", f),
        "caption_unit": regex.compile(r"(?<!\p{L})" + t["caption_unit"] + r"\s*:\s*(?P<u>[\p{L} %/]{1,30}?)\s*[)\].;]*\s*$", f),
    }


@dataclass
class TableKpi:
    start: int
    end: int
    value: float
    unit: str | None
    label: str
    numerator: float | None = None
    denominator: float | None = None


@dataclass
class _Layout:
    nhead: int
    headers: list[str]
    label_col: int
    roles: list[str]
    """Per column: ``label``, ``lead`` (left of the label), ``rank``, ``method``, ``unit``,
    ``note`` or ``value``."""


def _named_unit(m: regex.Match[str], prefix: str) -> str:
    name = m.lastgroup
    if name is None or not name.startswith(prefix):
        return ""
    k = patterns.load().kpis
    return (k.counted_nouns if prefix == "n" else k.money_units)[int(name[1:])].unit


def _layout(table: NormTable) -> _Layout | None:
    rows = table.rows
    if not rows:
        return None
    res = _res()
    # Header rows: the leading rows with no numeric cell beyond the first column, up to the first
    # row numbered like a list item ("1.", "2.1", "I"): a group row without figures is a body row.
    nhead = 0
    for row in rows:
        if any(_CELL.match(c.text) for c in row[1:]) or (row and _ITEM_NUMBER.match(row[0].text)):
            break
        nhead += 1
    nhead = min(nhead, max(len(rows) - 1, 0))
    width = max(len(r) for r in rows)
    headers: list[str] = []
    parts_by_col: list[list[str]] = []
    for col in range(width):
        parts: list[str] = []
        for r in rows[:nhead]:
            if col < len(r) and r[col].text and r[col].text not in parts:
                parts.append(r[col].text)
        parts_by_col.append(parts)
        headers.append(" ".join(parts))
    # The row label: the first column whose body cells are mostly words.
    body = rows[nhead:]
    label_col = 0
    for col in range(width):
        cells = [r[col].text for r in body if col < len(r) and r[col].text and not r[col].merged]
        if not cells:
            continue
        numeric = sum(1 for c in cells if _CELL.match(c))
        if numeric * 2 < len(cells) and not res["ordinal"].search(headers[col]):
            label_col = col
            break
    roles: list[str] = []
    for col in range(width):
        own = [_BRACKETS.sub("", p) for p in parts_by_col[col]]
        last = own[-1] if own else ""
        if col == label_col:
            roles.append("label")
        elif any(res["rank"].search(p) for p in own):
            roles.append("rank")
        elif col < label_col:
            roles.append("lead")
        elif res["unit"].search(last):
            roles.append("unit")
        elif res["note"].search(last):
            roles.append("note")
        elif any(res["method"].search(p) for p in own):
            roles.append("method")
        else:
            roles.append("value")
    return _Layout(nhead, headers, label_col, roles)


def _row_unit(text: str) -> str | None:
    """The unit a ``Đơn vị tính`` cell names: ``%``, money as printed, a counted noun (lower
    case, acronyms kept), or None for a generic word (``Số lượng``)."""
    res = _res()
    t = " ".join(text.split())
    if not t or res["generic_unit"].match(t) or _DIGITS.search(t):
        return None  # a figure is no unit (a column misread as the unit column)
    if t == "%":
        return "%"
    mm = res["money"].match(t)
    if mm:
        return _named_unit(mm, "m")
    return t if _ACRONYM.match(t) else t.lower()


def _label_noun(label: str) -> str | None:
    m = _res()["noun"].search(label)
    return _named_unit(m, "n") if m else None


def _value(text: str) -> tuple[float, float | None, float | None, bool] | None:
    """(value, numerator, denominator, is_percent) of a numeric cell."""
    mt = _CELL.match(text)
    if not mt:
        return None
    raw = mt.group("a")
    pct = bool(mt.group("pct"))
    if pct and _ONE_DOT.match(raw):
        value = float(raw)  # "89.079%" in a comma-decimal table: a dot slipped in for the comma
    else:
        value = parse_number(raw)
    num = den = None
    if mt.group("b"):
        num, den = value, parse_number(mt.group("b"))
    return value, num, den, pct


def caption_unit(lines: list[str]) -> str | None:
    """The unit a caption above a table gives all its figures: "Đơn vị tính: triệu đồng"."""
    for line in reversed(lines):
        m = _res()["caption_unit"].search(line)
        if m:
            return _row_unit(m.group("u"))
    return None


def table_kpis(table: NormTable, default_unit: str | None = None) -> list[TableKpi]:
    """Every measured cell; ``default_unit`` (from the caption) for cells no column qualifies."""
    lay = _layout(table)
    if lay is None:
        return []
    res = _res()
    out: list[TableKpi] = []
    for row in table.rows[lay.nhead:]:
        label_cell = row[lay.label_col] if lay.label_col < len(row) else None
        row_label = label_cell.text if label_cell is not None else ""
        unit_cells = [c for col, c in enumerate(row) if col < len(lay.roles) and lay.roles[col] == "unit"]
        unit_text = unit_cells[0].text if unit_cells else ""
        if res["code"].search(unit_text) or res["code"].search(row_label):
            continue  # "Có = 1; Không = 0": an answer code, not a quantity
        row_unit = _row_unit(unit_text) if unit_cells else None
        col = 0
        while col < len(row):
            cell = row[col]
            span = [col]
            while col + len(span) < len(row) and row[col + len(span)].merged and row[col + len(span)].text == cell.text:
                span.append(col + len(span))
            col += len(span)
            if cell.merged:
                continue
            roles = [lay.roles[c] if c < len(lay.roles) else "value" for c in span]
            usable = [c for c, r in zip(span, roles, strict=True) if r in ("value", "rank")]
            if not usable:
                continue
            found = _value(cell.text)
            if found is None:
                continue
            value, num, den, pct = found
            vcol = usable[-1]
            head = lay.headers[vcol] if vcol < len(lay.headers) else ""
            unit: str | None
            if lay.roles[vcol] == "rank" and not pct:
                unit, num, den = "rank", None, None
            elif pct:
                unit = "%"
            elif row_unit is not None:
                unit = row_unit
            elif res["rate"].search(head):
                unit = "%"
            elif res["score"].search(head):
                unit = "điểm"
            else:
                unit = default_unit or _label_noun(row_label)
            label = " - ".join(x for x in (row_label, head) if x) or cell.text
            out.append(TableKpi(cell.start, cell.end, value, unit, label, num, den))
    return out


def note_cells(table: NormTable) -> list[tuple[Cell, str | None, str]]:
    """Notes-column cells with text, each with its row's unit and label: figures printed in
    notes are KPIs too (h001 ``Cấp tỉnh: 271 Cấp xã: 1.376``)."""
    lay = _layout(table)
    if lay is None or "note" not in lay.roles:
        return []
    out: list[tuple[Cell, str | None, str]] = []
    for row in table.rows[lay.nhead:]:
        row_label = row[lay.label_col].text if lay.label_col < len(row) else ""
        unit_text = next((c.text for col, c in enumerate(row) if col < len(lay.roles) and lay.roles[col] == "unit"), "")
        for col, cell in enumerate(row):
            if col < len(lay.roles) and lay.roles[col] == "note" and cell.text and not cell.merged:
                unit = _row_unit(unit_text) if unit_text and not _res()["code"].search(unit_text) else None
                unit = _label_noun(row_label) if unit in (None, "%") else unit
                out.append((cell, unit, row_label))
    return out
