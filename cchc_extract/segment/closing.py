"""The foot of a document (Decree 30/2020 Annex I cells 7 and 9): ``Nơi nhận`` and signature.

In a two-column foot the reader emits the left cell (``Nơi nhận:`` and its ``- ...;`` lines)
before the right cell (``TM. ...`` / ``KT. ...`` authority lines, titles, the signer's name), so
the signature usually follows the recipients; in single-column layouts it precedes them. Both
orders are handled.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from ..normalize import Line
from ..textutil import LOWER_START, TERMINAL, is_caps, layout

_NAME = regex.compile(r"^(?:\p{Lu}\p{Ll}*|\p{Lu}+)(?:\s+(?:\p{Lu}\p{Ll}*|\p{Lu}+)){1,5}$")
_RECIPIENT_END = regex.compile(r"\s*[;.]\s*$")
_ENTRY_PUNCT = regex.compile(r"[;:]")
_SIGN_MAX = 9


@dataclass
class Closing:
    recipients: list[tuple[str, int]] = field(default_factory=list)
    """(entry text, line index)."""
    signature: list[int] = field(default_factory=list)
    body_end: int = 0
    """Index of the first line after the body (start of the foot)."""


def is_name(text: str) -> bool:
    """A personal name line: 2-6 capitalised words, no digits (``Đoàn Văn Cát``)."""
    return bool(_NAME.match(text)) and len(text) <= 60


def _opens_signature(text: str) -> bool:
    """Could this line (after a recipients entry) begin the signature block? A title line has no
    ``;``/``:``, which a wrapped entry of abbreviations ("TTĐTCP, các Vụ: KTTH, TH;") has."""
    return bool(
        layout("authority").match(text) or layout("signature_mark").match(text)
        or (is_caps(text) and len(text) <= 80 and not _ENTRY_PUNCT.search(text)) or is_name(text)
    )


def _continues_entry(prev: str, text: str) -> bool:
    """Is ``text`` (no dash) the rest of the entry on the line above? One entry per dash, its
    wrapped lines joined (GUIDELINES v2): after an open line, or after a ``;`` when the line starts
    in lower case ("- VPCP: BTCN, Cổng TTĐTCP," / "Trợ lý của PTTgCP;" / "các Vụ: CN, TH;")."""
    if _opens_signature(text):
        return False
    if not _RECIPIENT_END.search(prev):
        return True
    return prev.rstrip().endswith(";") and bool(LOWER_START.match(text))


def _signature_like(text: str) -> bool:
    return bool(
        layout("authority").match(text) or layout("signature_mark").match(text)
        or (is_caps(text) and len(text) <= 80) or is_name(text)
    )


def find_closing(lines: list[Line], body_start: int) -> Closing:
    """Locate the recipients list and the signature block after ``body_start``."""
    n = len(lines)
    closing = Closing(body_end=n)
    rec = None
    for i in range(n - 1, body_start - 1, -1):
        if layout("recipients").match(lines[i].text):
            rec = i
            break
    if rec is not None:
        j = rec
        first = layout("recipients").sub("", lines[rec].text, count=1).strip()
        if first:
            closing.recipients.append((_recipient_text(first), rec))
        j = rec + 1
        while j < n:
            t = lines[j].text
            if layout("bullet").match(t) and not layout("authority").match(t):
                closing.recipients.append((_recipient_text(t), j))
            elif closing.recipients and _continues_entry(lines[j - 1].text, t):
                prev, idx = closing.recipients[-1]
                closing.recipients[-1] = (_recipient_text(prev + " " + t), idx)
            else:
                break
            j += 1
        run: list[int] = []
        for k in range(j, n):
            if lines[k].table is not None or not _signature_like(lines[k].text) or len(run) >= _SIGN_MAX:
                break
            run.append(k)
            if is_name(lines[k].text) and not is_caps(lines[k].text):
                break  # the signer's name closes the block; what follows is an appendix
        if run and any(is_name(lines[k].text) or layout("authority").match(lines[k].text) for k in run):
            closing.signature = run
            closing.body_end = rec
        else:
            closing.body_end = rec
            closing.signature = _signature_before(lines, rec, body_start)
            if closing.signature:
                closing.body_end = closing.signature[0]
    else:
        closing.signature = _signature_before(lines, n, body_start)
        if closing.signature:
            closing.body_end = closing.signature[0]
    return closing


def _recipient_text(text: str) -> str:
    text = layout("bullet").sub(r"\g<rest>", text, count=1) if layout("bullet").match(text) else text
    return _RECIPIENT_END.sub("", text).strip()


def _signature_before(lines: list[Line], end: int, body_start: int) -> list[int]:
    """The run of signature-like lines ending right before ``end``."""
    out: list[int] = []
    i = end - 1
    while i >= body_start and len(out) < _SIGN_MAX:
        t = lines[i].text
        if lines[i].table is not None or not _signature_like(t) or (TERMINAL.search(t) and not layout("authority").match(t)):
            break
        out.append(i)
        i -= 1
    out.reverse()
    # A block must end with a name or hold an authority line to count as a signature.
    if out and not (is_name(lines[out[-1]].text) or any(layout("authority").match(lines[k].text) for k in out)):
        return []
    return out
