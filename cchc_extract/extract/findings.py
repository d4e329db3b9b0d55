"""Assessed items under strengths / limitations / causes / requirements / recommendations / tasks.

One finding per ``-`` bullet (its ``+`` sub-bullets appended), per numbered list item, or per
plain paragraph when the section has neither (shared/gold/GUIDELINES.md "Findings").
"""

from __future__ import annotations

from dataclasses import dataclass

from ..normalize import Line
from ..segment.sections import Item
from ..textutil import collapse, layout


@dataclass
class FoundFinding:
    start: int
    end: int
    text: str


def _content_start(line: Line, items: dict[int, Item], index: int) -> int:
    """Offset where a line's content starts, after its bullet or list label."""
    t = line.text
    m = layout("bullet").match(t)
    if m:
        return line.start + m.start("rest")
    if index in items:
        lab = items[index].label
        k = t.find(lab)
        j = k + len(lab)
        while j < len(t) and (t[j] in ".) " ):
            j += 1
        return line.start + j
    return line.start


def findings_in(content: list[int], lines: list[Line], items: dict[int, Item], text: str) -> list[FoundFinding]:
    """Split a section's direct content lines into findings."""
    closing = layout("closing")
    entries: list[list[int]] = []
    has_list = any(layout("bullet").match(lines[i].text) or i in items for i in content)
    for i in content:
        t = lines[i].text
        if lines[i].table is not None or closing.match(t) or (layout("end_mark").search(t) and not has_list):
            continue
        is_sub = bool(layout("sub_bullet").match(t))
        is_bullet = bool(layout("bullet").match(t))
        parent = lines[entries[-1][0]].text if entries else ""
        parent_is_main = bool(entries) and (
            (layout("bullet").match(parent) and not layout("sub_bullet").match(parent)) or entries[-1][0] in items)
        if is_sub and parent_is_main:
            entries[-1].append(i)
        elif is_bullet or i in items:
            entries.append([i])
        elif not has_list and not t.rstrip().endswith(":"):
            # A plain paragraph is a finding, unless it only introduces what follows
            # ("Bên cạnh kết quả đạt được, vẫn còn một số tồn tại, hạn chế sau:").
            entries.append([i])
    out: list[FoundFinding] = []
    for entry in entries:
        first = lines[entry[0]]
        start = _content_start(first, items, entry[0])
        end = lines[entry[-1]].end
        parts = [text[start:first.end]] + [lines[k].text for k in entry[1:]]
        body = collapse(" ".join(parts))
        if body:
            out.append(FoundFinding(start, end, body))
    return out
