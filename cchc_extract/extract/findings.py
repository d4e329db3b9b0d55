"""Assessed items under strengths / limitations / causes / requirements / recommendations / tasks.

One finding per ``-`` bullet (its ``+`` sub-bullets appended), per numbered list item (with the
plain lines that continue it), or per plain paragraph when the section has neither
(shared/gold/GUIDELINES.md "Findings"). In a notice, the items after a lead-in announcing
directions ("... yêu cầu:", "Xã A cần:") are requirements under any heading (``after_leadin``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import regex

from ..normalize import Line
from ..segment.sections import Item
from ..textutil import collapse, layout

_WORD = regex.compile(r"\w")


@dataclass
class FoundFinding:
    start: int
    end: int
    text: str
    line: int
    """The line the finding starts on."""


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


def _closing(text: str, listed: bool) -> bool:
    """The standard closing of a body ("Trên đây là ...", a plain "... biết, thực hiện./.")."""
    return bool(layout("closing").match(text) or (layout("end_mark").search(text) and not listed))


def findings_in(content: list[int], lines: list[Line], items: dict[int, Item], text: str, *,
                lead: tuple[int, int] | None = None,
                after_leadin: Callable[[str], bool] | None = None) -> list[FoundFinding]:
    """Split a section's direct content lines into findings.

    ``lead`` is (line, offset) of a run-in heading's own text ("b) Hạn chế: Còn 02 hồ sơ ...").
    With ``after_leadin``, only the items and bullets after a line it accepts are findings.
    """
    entries: list[list[int]] = []
    starts: dict[int, int] = {}
    has_list = any(layout("bullet").match(lines[i].text) or i in items for i in content)
    if lead is not None and not has_list and after_leadin is None:
        line, offset = lead
        if lines[line].text[offset:].strip():
            entries.append([line])
            starts[line] = lines[line].start + offset
    open_list = after_leadin is None
    item_open = False  # the last entry is a numbered item that plain lines may continue
    for i in content:
        t = lines[i].text
        is_bullet = bool(layout("bullet").match(t))
        if lines[i].table is not None or _closing(t, is_bullet or i in items) or not _WORD.search(t):
            item_open = False
            continue
        if not open_list:
            open_list = after_leadin is not None and after_leadin(t)
            continue
        is_sub = bool(layout("sub_bullet").match(t))
        parent = lines[entries[-1][0]].text if entries else ""
        parent_is_main = bool(entries) and (
            (layout("bullet").match(parent) and not layout("sub_bullet").match(parent)) or entries[-1][0] in items)
        if is_sub and parent_is_main:
            entries[-1].append(i)
        elif is_bullet or i in items:
            entries.append([i])
            item_open = i in items
        elif item_open and not t.rstrip().endswith(":"):
            # A numbered item runs on over the plain lines below it (h024 II.2 "... theo quy định.
            # / Trường hợp còn thiếu, Tỉnh tổng hợp nhu cầu ...").
            entries[-1].append(i)
        elif not has_list and after_leadin is None and not t.rstrip().endswith(":"):
            # A plain paragraph is a finding, unless it only introduces what follows
            # ("Bên cạnh kết quả đạt được, vẫn còn một số tồn tại, hạn chế sau:").
            entries.append([i])
        else:
            item_open = False  # a paragraph beside bullets or items is not a finding
    out: list[FoundFinding] = []
    for entry in entries:
        first = lines[entry[0]]
        start = starts.get(entry[0], _content_start(first, items, entry[0]))
        end = lines[entry[-1]].end
        parts = [text[start:first.end]] + [lines[k].text for k in entry[1:]]
        body = collapse(" ".join(parts))
        if body:
            out.append(FoundFinding(start, end, body, entry[0]))
    return out
