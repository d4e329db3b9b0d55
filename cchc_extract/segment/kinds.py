"""Heading kinds and units from the heading vocabulary in ``patterns/headings.yaml``.

A heading with kind words of its own takes that kind ("Tồn tại, hạn chế" -> limitations); a
topic heading ("a) Về công tác chỉ đạo, điều hành") or a unit heading ("1. Văn phòng HĐND và
UBND xã") inherits its parent's kind; a unit heading under a requirement lead-in ("... yêu cầu
các cơ quan, đơn vị nghiêm túc thực hiện các nội dung sau:") is a requirement.
"""

from __future__ import annotations

import functools

import regex

from .. import patterns
from ..normalize import Line
from .sections import RawSection


@functools.cache
def _res() -> dict[str, regex.Pattern[str]]:
    h = patterns.load().headings
    u = patterns.load().units
    f = patterns.FLAGS
    return {
        "strip": regex.compile(r"^(?:" + patterns.alternation(h.strip_prefixes) + r"\s+)+", f),
        "unit_lead": regex.compile(r"^" + h.unit_lead, f),
        "leadin": regex.compile(h.requirement_leadin, f),
        "unit_head": regex.compile(r"^" + patterns.alternation(u.unit_heads) + r"\b", f),
        "generic": regex.compile(u.generic_units, f),
        "addressee": regex.compile(r"^" + u.addressee_heads, f),
    }


@functools.cache
def _kind_res() -> list[tuple[regex.Pattern[str], str, str | None]]:
    return [
        (regex.compile(r"^" + k.phrase + r"\b", patterns.FLAGS), k.kind, k.in_notice)
        for k in patterns.load().headings.kinds
    ]


def own_kind(title: str, doc_code: str | None) -> str | None:
    """The kind a heading's own words give it, or None for a topic/unit heading.

    >>> own_kind("MỘT SỐ TỒN TẠI, HẠN CHẾ", "TB")
    'limitations'
    >>> own_kind("Về công tác chỉ đạo, điều hành", "TB") is None
    True
    """
    t = _res()["strip"].sub("", title.strip())
    for rx, kind, in_notice in _kind_res():
        if rx.match(t):
            return in_notice if (in_notice and doc_code == "TB") else kind
    return None


def heading_unit(title: str) -> str | None:
    """The body a heading names: after "Đối với", or the heading itself when it starts with a
    body noun ("Phòng Kinh tế"); generic plurals ("các cơ quan, đơn vị") name no unit."""
    m = _res()["unit_lead"].match(title)
    if m:
        unit = title[m.end():].strip()
        # "Đối với thủ trưởng các cơ quan" names someone; "Đối với thẩm định, đánh giá ..." names
        # a topic: a unit starts with a capital, a body noun or an addressee word.
        if unit and (unit[0].isupper() or _res()["unit_head"].match(unit) or _res()["addressee"].match(unit)):
            return unit
        return None
    if _res()["unit_head"].match(title) and not _res()["generic"].match(title):
        return title.strip()
    return None


def assign_kinds(sections: list[RawSection], lines: list[Line], doc_code: str | None) -> dict[int, tuple[str, str | None]]:
    """Map each heading line to (kind, unit)."""
    out: dict[int, tuple[str, str | None]] = {}
    no_inherit = set(patterns.load().headings.no_inherit)

    def visit(sec: RawSection, parent_kind: str | None, parent_unit: str | None, leadin: bool) -> None:
        kind = own_kind(sec.title, doc_code)
        unit = heading_unit(sec.title)
        if kind is None:
            if leadin and unit is not None:
                kind = "requirements"
            elif parent_kind is not None and parent_kind not in no_inherit:
                kind = parent_kind
            else:
                kind = "other"
        if unit is None:
            unit = parent_unit
        out[sec.line] = (kind, unit)
        child_leadin = any(_res()["leadin"].search(lines[i].text) for i in sec.content) or (
            leadin and unit is None)
        for child in sec.children:
            visit(child, kind, unit, child_leadin)

    for root in sections:
        visit(root, None, None, False)
    return out
