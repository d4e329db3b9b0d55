"""The heading tree of the body.

Headings are numbered (Roman ``I.``, arabic ``1.``, decimal ``2.1.``, letter ``a)``) or
unnumbered ALL-CAPS lines. A numbered line is a heading when a short title follows its label;
when its text runs on as a sentence it is an item of a list (a finding), unless content follows
it and its earlier siblings were headings too (seed 002 ``3.1. ... tại địa phương.`` is a heading
with bullets below; seed 003 ``II`` items ``1. Tiếp xúc, đối thoại: Thực hiện ...`` are items).
Levels come from the order in which numbering styles first appear, as in an outline.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from ..normalize import Line
from ..textutil import TERMINAL, Label, is_caps, layout, match_label

_RUN_ON_COLON = regex.compile(r":\s*\S+(?:\s+\S+){2,}")
_SENTENCE_BREAK = regex.compile(r"[.;]\s+\p{Lu}")
_TRAILING = regex.compile(r"[\s:.;,]+$")


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


@dataclass
class Item:
    """A numbered list item that is not a heading (its label is dropped from its text)."""

    line: int
    label: str


def _heading_like(rest: str, style: str) -> bool:
    title = rest.strip()
    core = title.rstrip(": ").strip()
    if not core:
        return False
    if style == "roman":
        return len(core) <= 200
    if len(core) > 160 or _RUN_ON_COLON.search(title) or _SENTENCE_BREAK.search(core):
        return False
    return not TERMINAL.search(core)


def clean_title(rest: str) -> str:
    """Heading text without its trailing ``:`` or ``.`` (``c) Về tham mưu ...:``)."""
    return _TRAILING.sub("", rest.strip())


def build_sections(lines: list[Line], start: int, end: int) -> tuple[list[RawSection], dict[int, Item]]:
    """Parse lines ``[start, end)`` into a heading tree and the numbered items inside it."""
    cands: dict[int, Label] = {}
    body = [i for i in range(start, end) if lines[i].table is None and not lines[i].note]
    for i in body:
        t = lines[i].text
        lab = match_label(t)
        if lab is not None:
            cands[i] = lab
        elif is_caps(t) and len(t) < 150 and not layout("authority").match(t):
            cands[i] = Label("caps", "", t)

    roots: list[RawSection] = []
    items: dict[int, Item] = {}
    stack: list[RawSection] = []
    last_kind: dict[tuple[int, str], bool] = {}  # (parent line, style) -> last sibling was a heading
    root_content: list[int] = []

    prev_heading_line: int | None = None
    for pos, i in enumerate(body):
        lab = cands.get(i)
        if (lab is not None and lab.style == "caps" and prev_heading_line is not None and stack
                and stack[-1].line == prev_heading_line and is_caps(stack[-1].title)
                and not TERMINAL.search(stack[-1].title) and pos > 0 and body[pos - 1] == prev_heading_line):
            # An upper-case heading wrapped onto a second line ("IV. PHƯƠNG HƯỚNG, NHIỆM VỤ ... /
            # TRỌNG TÂM NĂM 2026", h001): the line completes the title.
            stack[-1].title = clean_title(stack[-1].title + " " + lab.rest)
            stack[-1].extra_lines.append(i)
            prev_heading_line = i
            continue
        prev_heading_line = None
        if lab is None:
            (stack[-1].content if stack else root_content).append(i)
            continue
        styles = [s.style for s in stack]
        parent = stack[styles.index(lab.style) - 1] if lab.style in styles and styles.index(lab.style) > 0 else (
            None if lab.style in styles else (stack[-1] if stack else None))
        key = (parent.line if parent else -1, lab.style)
        nxt = body[pos + 1] if pos + 1 < len(body) else None
        content_below = False
        if nxt is not None and nxt < end:
            nlab = cands.get(nxt)
            content_below = nlab is None or (nlab.style not in styles and nlab.style != lab.style)
        prev_heading = last_kind.get(key)
        if lab.style == "caps":
            is_heading = True
        elif _heading_like(lab.rest, lab.style):
            is_heading = not (prev_heading is False and not content_below)
        else:
            is_heading = (content_below and prev_heading is not False and lab.style != "roman") or (
                lab.style == "roman" and content_below)
        last_kind[key] = is_heading
        if not is_heading:
            items[i] = Item(i, lab.label)
            (stack[-1].content if stack else root_content).append(i)
            continue
        while stack and lab.style in [s.style for s in stack]:
            popped = stack.pop()
            if popped.style == lab.style:
                break
        sec = RawSection(i, lab.label or None, lab.style, clean_title(lab.rest), len(stack) + 1,
                         parent=stack[-1] if stack else None)
        (stack[-1].children if stack else roots).append(sec)
        stack.append(sec)
        prev_heading_line = i
    return roots, items


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
