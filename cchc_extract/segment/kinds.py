"""Heading kinds and units from the heading vocabulary in ``patterns/headings.yaml``.

The kind comes from the words a heading begins with (after ``Một số`` / ``Những``): the first
kind phrase decides ("Tồn tại, hạn chế" -> limitations; "NHẬN XÉT, ĐÁNH GIÁ KẾT QUẢ" -> general).
Work ahead ("Nhiệm vụ", "Phương hướng", "Giải pháp") is tasks in a report or plan and
requirements in a notice, and so are a notice's headings on the addressee's own proposals
("MỘT SỐ KIẾN NGHỊ CỦA TỈNH"). A heading without kind words of its own, a topic ("a) Về công tác
chỉ đạo, điều hành") or a unit ("1. Văn phòng HĐND và UBND xã"), inherits its parent's kind; a
unit heading under a requirement lead-in ("... yêu cầu các cơ quan, đơn vị nghiêm túc thực hiện
các nội dung sau:") is a requirement. A notice's top-level items with no heading above them are
requirements when they direct and general when they acknowledge (GUIDELINES v2, h023).
"""

from __future__ import annotations

import functools

import regex

from .. import patterns
from ..normalize import Line
from ..textutil import is_caps, strip_marker
from .sections import FindingsParent, Item, RawSection


@functools.cache
def _res() -> dict[str, regex.Pattern[str]]:
    h = patterns.load().headings
    u = patterns.load().units
    f = patterns.FLAGS
    unit_head = r"(?:" + patterns.alternation(u.unit_heads) + r")\b"
    return {
        "strip": regex.compile(r"^(?:" + patterns.alternation(h.strip_prefixes) + r"\s+)+", f),
        "unit_lead": regex.compile(r"^" + h.unit_lead, f),
        "addressee_lead": regex.compile(r"^" + h.addressee_lead, f),
        "addressee_tail": regex.compile(h.addressee_tail, f),
        "unit_count": regex.compile(h.unit_count, f),
        "unit_stop": regex.compile(h.unit_stop, f),
        "leadin": regex.compile(h.requirement_leadin, f),
        "unit_head": regex.compile(r"^" + unit_head, f),
        "generic": regex.compile(u.generic_units, f),
        "addressee": regex.compile(r"^" + u.addressee_heads, f),
        "acknowledgement": regex.compile(h.acknowledgement, f),
        "direction": regex.compile(h.direction, f),
        "no_directions": regex.compile(r"^" + h.no_directions, f),
        "directions_leadin": regex.compile(h.directions_leadin, f),
    }


@functools.cache
def _kind_res() -> list[tuple[regex.Pattern[str], str, str | None]]:
    return [
        (regex.compile(r"^" + k.phrase + r"(?!\p{L})", patterns.FLAGS), k.kind, k.in_notice)
        for k in patterns.load().headings.kinds
    ]


def is_notice(doc_code: str | None) -> bool:
    """Does the document answer with directions (Thông báo kết luận, Kết luận)?"""
    return doc_code in patterns.load().headings.notice_types


def own_kind(title: str, doc_code: str | None) -> str | None:
    """The kind a heading's own words give it, or None for a topic/unit heading.

    >>> own_kind("MỘT SỐ TỒN TẠI, HẠN CHẾ", "TB")
    'limitations'
    >>> own_kind("MỘT SỐ NHIỆM VỤ, GIẢI PHÁP TRONG THỜI GIAN TỚI", "TB"), own_kind("Nhiệm vụ năm 2026", "KH")
    ('requirements', 'tasks')
    >>> own_kind("Về công tác chỉ đạo, điều hành", "TB") is None, own_kind("Chỉ đạo Sở Nội vụ", "BC") is None
    (True, True)
    """
    t = _res()["strip"].sub("", title.strip())
    if _addressee(t) is not None:
        return None  # "Đề nghị Ủy ban Mặt trận ...", "Giao Sở Tài chính": a body, not kind words
    for rx, kind, in_notice in _kind_res():
        if rx.match(t):
            return in_notice if (in_notice and is_notice(doc_code)) else kind
    return None


def _is_body(text: str) -> bool:
    """Does ``text`` start with the name of a body or an addressee ("Sở Nội vụ", "các sở, ngành")?"""
    res = _res()
    if not text:
        return False
    if res["unit_head"].match(text) or res["addressee"].match(text):
        return True
    return text[0].isupper() and not is_caps(text)


def _addressee(title: str) -> str | None:
    """The body after an addressing verb that opens a heading ("Chỉ đạo Sở Nội vụ" -> "Sở Nội vụ")."""
    m = _res()["addressee_lead"].match(title)
    if m is None:
        return None
    rest = title[m.end():].strip()
    # In an upper-case heading every word is capitalised, so only a body noun counts there
    # ("YÊU CẦU KHẮC PHỤC" names no body).
    if rest and (_res()["unit_head"].match(rest) or (not is_caps(title) and rest[0].isupper())):
        return rest
    return None


def heading_unit(title: str) -> str | None:
    """The body a heading names: after "Đối với", "Giao", "Chỉ đạo" ..., or the heading itself when
    it starts with a body noun ("Phòng Kinh tế"); generic plurals ("các cơ quan, đơn vị") name no
    unit, and neither does a body inside a sentence.

    >>> heading_unit("Đối với các cơ quan chuyên môn thuộc UBND tỉnh (15 đơn vị)")
    'các cơ quan chuyên môn thuộc UBND tỉnh'
    >>> heading_unit("ĐỀ XUẤT KIẾN NGHỊ ĐỐI VỚI UBND TỈNH"), heading_unit("Chỉ đạo Sở Nội vụ")
    ('UBND TỈNH', 'Sở Nội vụ')
    """
    res = _res()
    title = title.strip()
    unit: str | None = None
    m = res["unit_lead"].match(title)
    if m:
        cand = title[m.end():].strip()
        # "Đối với thủ trưởng các cơ quan" names someone; "Đối với thẩm định, đánh giá ..." names
        # a topic: a unit starts with a capital, a body noun or an addressee word.
        if cand and (cand[0].isupper() or res["unit_head"].match(cand) or res["addressee"].match(cand)):
            unit = cand
    else:
        unit = _addressee(title)
        if unit is None:
            tail = None
            for tm in res["addressee_tail"].finditer(title):
                tail = tm
            if tail is not None and tail.start() > 0 and _is_body(title[tail.end():].strip()):
                unit = title[tail.end():].strip()  # "... đề nghị UBND tỉnh giao Sở Nội vụ"
            elif res["unit_head"].match(title) and not res["generic"].match(title):
                unit = title
    if unit is None:
        return None
    stop = res["unit_stop"].search(unit)
    if stop is not None:
        unit = unit[: stop.start()]
    unit = res["unit_count"].sub("", unit).strip()
    return unit or None


_WORD = regex.compile(r"\w")
_ITEM_LEAD = regex.compile(r"^(?P<u>[^:;\n]{2,100}?)\s*:\s+\S")


def item_unit(text: str) -> str | None:
    """The body a run-on item opens with ("b) UBND xã A: Rà soát ..." -> "UBND xã A"; "Đối với X:
    ..." -> "X"), not a topic ("Về ...:") or a list of names ("Các Bộ, cơ quan: Tài chính, ...")."""
    m = _ITEM_LEAD.match(text)
    return heading_unit(m.group("u")) if m else None


def provisional(doc_code: str | None) -> FindingsParent:
    """While the tree is built: does a heading (by its own words or its ancestors') head findings?"""
    fk = set(patterns.load().headings.finding_kinds)
    no_inherit = set(patterns.load().headings.no_inherit)

    def kind(sec: RawSection | None) -> str | None:
        while sec is not None:
            k = own_kind(sec.title, doc_code)
            if k is not None:
                return k
            sec = sec.parent
            if sec is not None and own_kind(sec.title, doc_code) in no_inherit:
                return None
        return None

    return lambda sec: kind(sec) in fk


def acknowledges(text: str) -> bool:
    """Does an item only acknowledge ("Đánh giá cao sự nỗ lực ...", "Ghi nhận ...")?"""
    return bool(_res()["acknowledgement"].search(text)) and not _res()["direction"].search(text)


def has_directions_leadin(text: str) -> bool:
    """A plain lead-in that announces directions: "... Xã A cần:", "Tổ kiểm tra đề nghị:"."""
    return bool(_res()["directions_leadin"].search(text))


def directs(sec: RawSection) -> bool:
    """May the items after a directions lead-in under ``sec`` be requirements? (not under
    "Tổ chức thực hiện", GUIDELINES v2)."""
    return not _res()["no_directions"].match(_res()["strip"].sub("", sec.title.strip()))


def _entries(sec: RawSection, lines: list[Line], items: dict[int, Item]) -> list[tuple[str, bool]]:
    """(text, is a lead-in) of each paragraph, item (with the plain lines that continue it) and
    child heading under ``sec``, all the way down."""
    res = _res()
    out: list[tuple[str, bool]] = []
    in_item = False
    for i in sec.content:
        t = lines[i].text
        if in_item and i not in items:
            out[-1] = (out[-1][0] + " " + t, False)
        elif _WORD.search(t):
            out.append((strip_marker(t), bool(res["directions_leadin"].search(t))))
            in_item = i in items
    for child in sec.children:
        out.append((child.title, bool(res["directions_leadin"].search(lines[child.line].text))))
        out.extend(_entries(child, lines, items))
    return out


def _notice_topic(sec: RawSection, lines: list[Line], items: dict[int, Item]) -> str:
    """A notice's top-level item without kind words: requirements when it directs more than it
    acknowledges, general when it acknowledges (h023 "1. ... ghi nhận và đánh giá cao ...",
    "2. Về những nội dung còn có ý kiến khác nhau: (1) ... giao Bộ ...")."""
    res = _res()
    if res["direction"].search(sec.title) or res["directions_leadin"].search(lines[sec.line].text):
        return "requirements"  # "3. Trong thời gian tới, yêu cầu các bộ, ngành ... như sau:" (h023)
    entries = _entries(sec, lines, items)
    acks = sum(1 for t, _ in entries if res["acknowledgement"].search(t))
    directions = sum(1 for t, lead in entries if lead or res["direction"].search(t))
    if directions > acks:
        return "requirements"
    return "general" if acks else "other"


def assign_kinds(sections: list[RawSection], lines: list[Line], doc_code: str | None,
                 items: dict[int, Item] | None = None) -> dict[int, tuple[str, str | None]]:
    """Map each heading line to (kind, unit)."""
    out: dict[int, tuple[str, str | None]] = {}
    no_inherit = set(patterns.load().headings.no_inherit)
    notice = is_notice(doc_code)

    def visit(sec: RawSection, parent_kind: str | None, parent_unit: str | None, leadin: bool) -> None:
        kind = own_kind(sec.title, doc_code)
        unit = heading_unit(sec.title)
        if kind is None:
            if leadin and unit is not None:
                kind = "requirements"
            elif notice and sec.label and sec.style not in ("appendix", "part") and (
                    parent_kind == "conclusion" or (parent_kind in (None, "other") and (
                        sec.parent is None or sec.parent.style == "caps" or sec.parent.style.startswith("division")))):
                # A notice's top numbered items (under no heading, an unnumbered line of no kind,
                # or a heading that only announces the conclusions, "Ý KIẾN KẾT LUẬN"): what they
                # say decides (GUIDELINES v2, h023).
                kind = _notice_topic(sec, lines, items or {})
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
