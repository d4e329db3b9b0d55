"""The heading tree of the body.

Headings are numbered (Roman ``I.``, arabic ``1.``, decimal ``2.1.``, letter ``a)``, ``(1)``),
unnumbered ALL-CAPS lines, ``*`` lines that title the bullets below them, and appendices
(``PHỤ LỤC``, ``Phụ lục II``) with their parts (``Biểu mẫu 1``). A numbered line is a heading when
a short title follows its label; when its text runs on as a sentence it is an item of a list (a
finding), unless content follows it and its earlier siblings were headings too (seed 002 ``3.1.
... tại địa phương.`` is a heading with bullets below; seed 003 ``II`` items ``1. Tiếp xúc, đối
thoại: Thực hiện ...`` are items). A run-in line (``5. Về ...: text``) among heading siblings and
outside a findings list is a section titled by the text before its colon (GUIDELINES v2).
Levels come from the order in which numbering styles first appear, as in an outline.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import regex

from .. import patterns
from ..normalize import Line
from ..textutil import TERMINAL, Label, is_caps, layout, match_label

_RUN_ON_COLON = regex.compile(r":\s*\S+(?:\s+\S+){2,}")
_SENTENCE_BREAK = regex.compile(r"[.;]\s+\p{Lu}")
_TRAILING = regex.compile(r"[\s:.;,]+$")
# "Về tổng hợp, cập nhật tiến độ ... giao: Tổng số nhiệm vụ ..." -> lead "Về tổng hợp ... giao".
_RUN_IN = regex.compile(r"^(?P<lead>[^:\n]{2,240}?)\s*:\s+(?P<text>\S.*)$")
_LETTERS = regex.compile(r"\p{L}")
_UPPER = regex.compile(r"\p{Lu}")
_STAR = regex.compile(r"^\*\s*(?P<rest>\p{L}.*)$")
_NOTE = regex.compile(r"^[(\[]")
_TITLE_START = regex.compile(r"^[\p{L}(\[“\"'‘]")
_LOOKAHEAD = 400
"""Body lines searched for the next sibling of a run-in candidate."""


@functools.cache
def _appendix_res() -> tuple[regex.Pattern[str], regex.Pattern[str], regex.Pattern[str]]:
    h = patterns.load().headings
    tail = r"\s*(?:[.:\-–]\s*)?(?P<rest>.*)$"
    return (regex.compile(r"^(?P<label>" + h.appendix_label + r")(?![\p{L}\d])" + tail, patterns.FLAGS),
            regex.compile(r"^(?P<label>" + h.appendix_part + r")(?![\p{L}\d])" + tail, patterns.FLAGS),
            regex.compile(r"^(?P<label>" + h.division_label + r")(?![\p{L}\d])" + tail, patterns.FLAGS))


@dataclass
class RawSection:
    line: int
    label: str | None
    style: str
    title: str
    level: int
    content: list[int] = field(default_factory=list)
    """Indices of the lines directly under this heading (before any child heading)."""
    children: list[RawSection] = field(default_factory=list)
    parent: RawSection | None = None
    extra_lines: list[int] = field(default_factory=list)
    """Continuation lines of a heading wrapped over several lines."""
    run_in: int | None = None
    """For a run-in heading (``a) Kết quả: Chỉ số ...``), where its text starts in the line."""


@dataclass
class Item:
    """A numbered list item that is not a heading (its label is dropped from its text)."""

    line: int
    label: str


@dataclass
class Tree:
    roots: list[RawSection]
    items: dict[int, Item]
    root_content: list[int]
    """Lines under no heading (a notice's run-on directions with no heading above them)."""


FindingsParent = Callable[[RawSection], bool]
"""Does a heading head a findings list (so that its run-in items are findings, not sections)?"""


def _shape(rest: str, style: str) -> str:
    """``title`` (a short heading), ``run_in`` (``Title: text``) or ``sentence`` (a run-on item)."""
    title = rest.strip()
    core = title.rstrip(": ").strip()
    if not core:
        return "sentence"
    if style == "roman":
        return "title" if len(core) <= 200 else "sentence"
    if len(core) > 160 or _RUN_ON_COLON.search(title) or _SENTENCE_BREAK.search(core):
        m = _RUN_IN.match(title)
        if m and _lead_ok(m.group("lead")) and _runs_on(m.group("text")):
            return "run_in"
        return "sentence"
    if TERMINAL.search(core) or core.endswith(","):
        return "sentence"  # "(3) Đề nghị Ủy ban ... của Quốc hội," wraps a sentence
    return "title"


def _lead_ok(lead: str) -> bool:
    return (bool(_UPPER.match(lead)) and len(lead.split()) <= 40 and not _SENTENCE_BREAK.search(lead)
            and not TERMINAL.search(lead))


def _runs_on(text: str) -> bool:
    """Is the text after a lead's colon prose (a sentence), not the rest of a title ("a) Nhóm 1:
    Nhóm các cơ quan thực hiện đánh giá, xếp loại ... (14/15 đơn vị)", h004)?"""
    text = text.strip()
    return len(text) > 120 or bool(TERMINAL.search(text) or _SENTENCE_BREAK.search(text))


def _wraps_lead(first: str, second: str) -> bool:
    """Do two lines read as one run-in item whose lead wraps ("Về việc ... của tỉnh Điện" +
    "Biên vào các Chương trình ...: Giao Bộ ...")?"""
    if first.rstrip().endswith(":") or not _RUN_ON_COLON.search(second):
        return False
    m = _RUN_IN.match(first.strip() + " " + second.strip())
    return bool(m and _lead_ok(m.group("lead")) and len(m.group("lead")) > len(first.strip()))


def _upper_line(text: str) -> bool:
    """All upper case, a single word included ("MỤC" / "TIÊU" of a wrapped "II. MỤC TIÊU")."""
    letters = len(_LETTERS.findall(text))
    return letters >= 2 and len(_UPPER.findall(text)) / letters >= 0.85


def clean_title(rest: str) -> str:
    """Heading text without its trailing ``:`` or ``.`` (``c) Về tham mưu ...:``)."""
    return _TRAILING.sub("", rest.strip())


def _appendix_label(text: str) -> Label | None:
    """``PHỤ LỤC``, ``Phụ lục II: DANH MỤC ...`` (style ``appendix``) or ``Biểu mẫu 1`` (``part``)."""
    for style, rx in zip(("appendix", "part", "division"), _appendix_res(), strict=True):
        m = rx.match(text)
        if m is None:
            continue
        rest = m.group("rest").strip()
        if rest and not (is_caps(rest) or (_UPPER.match(rest) and len(rest) <= 160
                                          and not _SENTENCE_BREAK.search(rest) and not TERMINAL.search(rest))):
            return None  # "Phụ lục I ban hành kèm theo Quyết định này." is a sentence
        label = collapse_label(m.group("label"))
        if style == "division":
            style += ":" + label.split()[0].lower()  # Phần > Chương > Mục nest by their word
        return Label(style, label, rest)
    return None


def collapse_label(label: str) -> str:
    return " ".join(label.split())


def find_appendix(lines: list[Line], start: int) -> int | None:
    """The first appendix heading line at or after ``start`` (appendices follow the signature)."""
    for i in range(start, len(lines)):
        if lines[i].table is None:
            lab = _appendix_label(lines[i].text)
            if lab is not None and lab.style == "appendix":
                return i
    return None


def _candidates(lines: list[Line], body: list[int]) -> dict[int, Label]:
    cands: dict[int, Label] = {}
    for pos, i in enumerate(body):
        t = lines[i].text
        lab = _appendix_label(t) or match_label(t)
        if lab is not None and not _TITLE_START.match(lab.rest or "A"):
            lab = None  # "1.8-2.0 gram": a figure, not a label
        if lab is not None:
            cands[i] = lab
            continue
        m = _STAR.match(t)
        if m and _shape(m.group("rest"), "star") == "title" and pos + 1 < len(body):
            nxt = lines[body[pos + 1]].text
            bullet = layout("bullet").match(nxt)
            if bullet and bullet.group("mark") != "*":
                # "* Kết quả xếp loại chung các sở, ngành:" over "-" bullets (h004): a heading
                # without a label, at the level of the letter items.
                cands[i] = Label("star", "", m.group("rest"))
                continue
        if is_caps(t) and len(t) < 150 and not layout("authority").match(t):
            cands[i] = Label("caps", "", t)
    return cands


def _slot(style: str) -> str:
    """The outline slot of a style: ``*`` headings stand where letter items stand (h004 4.1, 4.2)."""
    return "letter" if style == "star" else style


def build_sections(lines: list[Line], start: int, end: int,
                   findings_parent: FindingsParent | None = None) -> Tree:
    """Parse lines ``[start, end)`` into a heading tree and the numbered items inside it."""
    body = [i for i in range(start, end) if lines[i].table is None and not lines[i].note]
    cands = _candidates(lines, body)

    roots: list[RawSection] = []
    items: dict[int, Item] = {}
    stack: list[RawSection] = []
    last_kind: dict[tuple[int, str], bool] = {}  # (parent line, style) -> last sibling was a heading
    root_content: list[int] = []
    consumed: set[int] = set()

    def next_sibling_shape(pos: int, style: str, outer: list[str]) -> str | None:
        """Shape of the next candidate of ``style`` before any of the ``outer`` styles."""
        for j in body[pos + 1: pos + 1 + _LOOKAHEAD]:
            lab = cands.get(j)
            if lab is None:
                continue
            slot = _slot(lab.style)
            if slot == style:
                return _shape(lab.rest, lab.style)
            if slot in outer or lab.style in ("appendix", "caps"):
                return None
        return None

    prev_heading_line: int | None = None
    for pos, i in enumerate(body):
        if i in consumed:
            continue
        lab = cands.get(i)
        t = lines[i].text
        if (prev_heading_line is not None and stack and stack[-1].line == prev_heading_line and pos > 0
                and body[pos - 1] in (prev_heading_line, *stack[-1].extra_lines)
                and stack[-1].run_in is None and _upper_line(stack[-1].title)
                and not TERMINAL.search(stack[-1].title) and _upper_line(t)
                and (lab is None or lab.style == "caps")):
            # An upper-case heading wrapped onto further lines ("IV. PHƯƠNG HƯỚNG, NHIỆM VỤ ... /
            # TRỌNG TÂM NĂM 2026", h001; "II. MỤC / TIÊU"): the line completes the title.
            stack[-1].title = clean_title(stack[-1].title + " " + t)
            stack[-1].extra_lines.append(i)
            continue
        prev_heading_line = None
        if lab is None:
            (stack[-1].content if stack else root_content).append(i)
            continue
        if lab.style == "part" and not any(s.style == "appendix" for s in stack):
            # "Mẫu số 01" / "Biểu mẫu 1" title parts of an appendix only; in the body they are text.
            (stack[-1].content if stack else root_content).append(i)
            continue
        slot = _slot(lab.style)
        if lab.style == "appendix":
            stack.clear()
        styles = [_slot(s.style) for s in stack]
        if slot in styles:
            parent = stack[styles.index(slot) - 1] if styles.index(slot) > 0 else None
        else:
            parent = stack[-1] if stack else None
        key = (parent.line if parent else -1, slot)
        nxt = body[pos + 1] if pos + 1 < len(body) else None
        content_below = structured_below = False
        if i + 1 < end and lines[i + 1].table is not None:
            content_below = structured_below = True  # a table right below ("b) Nhóm 2: ...", h004)
        elif nxt is not None and nxt < end:
            nlab = cands.get(nxt)
            content_below = nlab is None or (_slot(nlab.style) not in styles and _slot(nlab.style) != slot)
            structured_below = (nlab is not None and content_below) or bool(layout("bullet").match(lines[nxt].text))
        prev_heading = last_kind.get(key)
        shape = _shape(lab.rest, lab.style)
        run_in: int | None = None
        if lab.style in ("caps", "appendix", "part", "star") or lab.style.startswith("division"):
            is_heading = True
        elif shape == "title":
            if prev_heading is False:
                # After a run-on sibling, a short line is the first line of a wrapped item when
                # the item's lead ends on the next line ("6. Về việc lồng ghép ... của tỉnh Điện"
                # / "Biên vào ...: Giao ...", h024); else a heading when content follows.
                wrapped = (content_below and not structured_below and nxt is not None
                           and _wraps_lead(lab.rest, lines[nxt].text))
                is_heading = content_below and not wrapped
            else:
                is_heading = True
        elif shape == "run_in":
            outer = [_slot(s.style) for s in stack[: styles.index(slot)]] if slot in styles else styles
            is_heading = ((parent is None or findings_parent is None or not findings_parent(parent))
                          and (prev_heading is True or next_sibling_shape(pos, slot, outer) == "title"))
            if is_heading:
                m = _RUN_IN.match(lab.rest.strip())
                if m is not None:
                    run_in = len(t) - len(lab.rest.strip()) + m.start("text")
        else:
            is_heading = (content_below and prev_heading is not False and lab.style != "roman") or (
                lab.style == "roman" and content_below)
        last_kind[key] = is_heading
        if not is_heading:
            items[i] = Item(i, lab.label)
            (stack[-1].content if stack else root_content).append(i)
            continue
        while stack and slot in [_slot(s.style) for s in stack]:
            popped = stack.pop()
            if _slot(popped.style) == slot:
                break
        title = lab.rest
        if run_in is not None:
            m = _RUN_IN.match(lab.rest.strip())
            title = m.group("lead") if m else title
        sec = RawSection(i, lab.label or None, lab.style, clean_title(title), len(stack) + 1,
                         parent=stack[-1] if stack else None, run_in=run_in)
        if (lab.style in ("appendix", "part") or lab.style.startswith("division")) and not sec.title:
            _appendix_title(sec, lines, body, pos, cands, consumed)
        (stack[-1].children if stack else roots).append(sec)
        stack.append(sec)
        prev_heading_line = i
    return Tree(roots, items, root_content)


def _appendix_title(sec: RawSection, lines: list[Line], body: list[int], pos: int, cands: dict[int, Label],
                    consumed: set[int]) -> None:
    """An appendix or part labelled on a line of its own takes its title from the line(s) below:
    ``PHỤ LỤC`` / ``BIỂU MẪU THỐNG KÊ ...`` / ``CỦA ỦY BAN NHÂN DÂN TỈNH ...``; ``Biểu mẫu 1`` /
    ``Công tác chỉ đạo điều hành CCHC`` (h001)."""
    parts: list[str] = []
    for j in body[pos + 1: pos + 6]:
        t = lines[j].text
        lab = cands.get(j)
        if (lab is not None and lab.style != "caps") or layout("bullet").match(t) or _NOTE.match(t) or len(t) > 200:
            break
        if parts and not (_upper_line(parts[-1]) and _upper_line(t)):
            break
        parts.append(t)
        consumed.add(j)
        sec.extra_lines.append(j)
    sec.title = clean_title(" ".join(parts))


def walk(sections: list[RawSection]) -> list[RawSection]:
    """All sections, depth first, in document order."""
    out: list[RawSection] = []
    for s in sections:
        out.append(s)
        out.extend(walk(s.children))
    return out


def label_path(sec: RawSection) -> list[str]:
    path: list[str] = []
    node: RawSection | None = sec
    while node is not None:
        path.append(node.label or node.title)
        node = node.parent
    return path[::-1]
