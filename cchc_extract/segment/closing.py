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
from ..textutil import LOWER_START, TERMINAL, is_caps, is_name, layout

_RECIPIENT_END = regex.compile(r"\s*[;.]\s*$")
_ENTRY_PUNCT = regex.compile(r"[;:]")
_SIGN_MAX = 9
_NOTE_MAX = 3


@dataclass
class Closing:
    recipients: list[tuple[str, int]] = field(default_factory=list)
    """(entry text, line index)."""
    signature: list[int] = field(default_factory=list)
    body_end: int = 0
    """Index of the first line after the body (start of the foot)."""


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
    """Locate the recipients list and the signature block after ``body_start``.

    A file may hold more than one foot: the document's own, then the blank forms or drafts it
    attaches, each with a ``Nơi nhận`` and a placeholder block ("THỦ TRƯỞNG CƠ QUAN" / "(Ký tên,
    đóng dấu)"). The signer and recipients come from the first foot whose block names a person
    (scans/README.md "Which block"); the body still runs to the last foot, since the attachments
    are printed content.
    """
    n = len(lines)
    closing = Closing(body_end=n)
    recs = [i for i in range(body_start, n) if layout("recipients").match(lines[i].text)]
    if not recs:
        closing.signature = _signature_before(lines, n, body_start)
        if closing.signature:
            closing.body_end = closing.signature[0]
    else:
        last = _foot(lines, recs[-1], body_start)
        feet = (_foot(lines, rec, body_start) for rec in recs[:-1])
        chosen = next((f for f in feet if _names_person(lines, f[1])), last)
        closing.recipients, closing.signature = chosen[0], chosen[1]
        closing.body_end = last[2]
    if not _names_person(lines, closing.signature):
        # No "Nơi nhận" cell (some renderings drop it) and an appendix after the block: the
        # document's own block follows the body's end mark ("… thi hành Quyết định này./.").
        after = _signature_after_end_mark(lines, body_start, closing.body_end)
        if after:
            closing.signature = after
    return closing


def _names_person(lines: list[Line], block: list[int]) -> bool:
    return any(is_name(lines[k].text) and not is_caps(lines[k].text) for k in block)


def _block_from(lines: list[Line], start: int) -> list[int]:
    """The run of signature-like lines from ``start``, closed by the signer's name."""
    run: list[int] = []
    for k in range(start, len(lines)):
        if lines[k].table is not None or not _signature_like(lines[k].text) or len(run) >= _SIGN_MAX:
            break
        run.append(k)
        if is_name(lines[k].text) and not is_caps(lines[k].text):
            break  # the signer's name closes the block; what follows is an appendix
    return run


def _signature_after_end_mark(lines: list[Line], body_start: int, end: int) -> list[int]:
    """The first signature block (authority line ... name) right after a paragraph ending ``./.``."""
    for i in range(max(0, body_start - 1), min(end, len(lines))):
        if not layout("end_mark").search(lines[i].text):
            continue
        k = next((k for k in range(i + 1, min(len(lines), i + 2 + _NOTE_MAX)) if _opens_signature(lines[k].text)), None)
        if k is None:
            continue
        run = _block_from(lines, k)
        if _names_person(lines, run) and any(layout("authority").match(lines[x].text) or is_caps(lines[x].text)
                                             for x in run):
            return run
    return []


def _foot(lines: list[Line], rec: int, body_start: int) -> tuple[list[tuple[str, int]], list[int], int]:
    """(recipients, signature lines, body end) of the foot whose ``Nơi nhận`` is line ``rec``."""
    n = len(lines)
    recipients: list[tuple[str, int]] = []
    first = layout("recipients").sub("", lines[rec].text, count=1).strip()
    if first:
        recipients.append((_recipient_text(first), rec))
    j = rec + 1
    while j < n:
        t = lines[j].text
        if layout("bullet").match(t) and not layout("authority").match(t):
            recipients.append((_recipient_text(t), j))
        elif recipients and _continues_entry(lines[j - 1].text, t):
            prev, idx = recipients[-1]
            recipients[-1] = (_recipient_text(prev + " " + t), idx)
        else:
            break
        j += 1
    # Clerk's notes between the list and the block ("05 bản, QĐ164.", "Ký bởi: …", a typist's code).
    skip = next((k for k in range(j, min(n, j + _NOTE_MAX + 1)) if _opens_signature(lines[k].text)), j)
    run = _block_from(lines, skip)
    if run and any(is_name(lines[k].text) or layout("authority").match(lines[k].text) for k in run):
        return recipients, run, rec
    signature = _signature_before(lines, rec, body_start)
    return recipients, signature, (signature[0] if signature else rec)


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
