"""Look at records: a terminal summary, or self-contained HTML evidence pages.

:func:`render_html` prints the document text with every extracted item highlighted in its
field's colour (one ``<mark>`` per item; where spans cross, or an item runs over a table cell or
a page marker, it continues in ``<span class="hl cont">`` pieces) beside a list of the items.
It stays usable on a 40-page report with thousands of items: filters by item kind, a search box
over the list, page markers from ``page_starts``, body tables drawn as HTML tables with their
KPIs marked in the cells, warnings and digital signatures (with a clear mark for a broken or
modified file) at the top. Clicking an item scrolls to its evidence and highlights it; clicking
evidence shows its item. Each page carries its CSS and JS inline and loads nothing.

:func:`render_index` lists many documents (type, number, date, counts, status) linking to their
pages: ``cchc-extract show DIR --html site/``.
"""

from __future__ import annotations

import argparse
import html
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Notice, Section, Signature

__all__ = [
    "FIELDS",
    "Item",
    "items",
    "register",
    "render_html",
    "render_index",
    "signature_problem",
    "summary",
]

FIELDS = ("sections", "findings", "kpis", "references", "deadlines")
"""Highlighted fields, outermost first when spans start at the same offset."""

_COLOURS = {
    "sections": "#e4d4ff",
    "findings": "#fff1a8",
    "kpis": "#b9efc0",
    "references": "#c9ddff",
    "deadlines": "#ffcf9e",
}

MODIFIED_WARNING = "signature_modified_after_signing"
"""The warning code of a file changed after it was signed."""


@dataclass(frozen=True)
class Item:
    """One highlighted item: its field, position in that field's list, span and side-list text."""

    field: str
    index: int
    start: int
    end: int
    caption: str
    page: int | None = None

    @property
    def id(self) -> str:
        return f"{self.field}-{self.index}"


def _flat_sections(sections: list[Section]) -> Iterable[Section]:
    for s in sections:
        yield s
        yield from _flat_sections(s.children)


def _num(v: float | None) -> str:
    if v is None:
        return ""
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def items(record: Notice) -> list[Item]:
    """Every item with a usable span (inside ``record.text``), in field order."""
    n = len(record.text)
    out: list[Item] = []

    def add(field: str, i: int, span: tuple[int, int] | None, caption: str, page: int | None) -> None:
        if span is not None and 0 <= span[0] <= span[1] <= n and n:
            out.append(Item(field, i, span[0], span[1], caption, page))

    for i, s in enumerate(_flat_sections(record.sections)):
        add("sections", i, s.span, f"{s.label + '. ' if s.label else ''}{s.title} [{s.kind}]", s.page)
    for i, f in enumerate(record.findings):
        add("findings", i, f.span, f"{f.kind}{' · ' + f.unit if f.unit else ''}: {_short(f.text)}", f.page)
    for i, k in enumerate(record.kpis):
        target = " (target)" if k.is_target else ""
        key = f" [{k.key}]" if k.key else ""
        add("kpis", i, k.span, f"{_short(k.label or '?', 60)}: {k.qualifier + ' ' if k.qualifier else ''}"
            f"{_num(k.value)} {k.unit or ''}{target}{key}", k.page)
    for i, r in enumerate(record.references):
        add("references", i, r.span, f"{r.number}{' (' + r.date + ')' if r.date else ''}", r.page)
    for i, d in enumerate(record.deadlines):
        add("deadlines", i, d.span, f"{d.date}{' · ' + d.responsible if d.responsible else ''}", d.page)
    return out


def signature_problem(sig: Signature) -> str | None:
    """``"broken"`` (the signed bytes changed), ``"modified"`` (changed by a later revision), or None."""
    if sig.intact is False:
        return "broken"
    if sig.modified_after:
        return "modified"
    return None


def _signature_status(sig: Signature) -> str:
    problem = signature_problem(sig)
    if problem == "broken":
        return "BROKEN: the signed content does not match the signature"
    if problem == "modified":
        return "MODIFIED after signing"
    if sig.intact is None:
        return "not checked"
    status = "intact" + ("" if sig.covers_whole_file is not False else ", covers part of the file")
    if sig.trusted is not None:
        status += ", trusted" if sig.trusted else ", NOT trusted"
    return status


def _status(record: Notice) -> str:
    """One word or phrase for an index: signature problems first, then warnings."""
    problems = [p for p in map(signature_problem, record.signatures) if p]
    if problems or any(w.startswith(MODIFIED_WARNING) for w in record.warnings):
        return "signature " + ("broken" if "broken" in problems else "modified")
    if record.warnings:
        return f"{len(record.warnings)} warning{'s' if len(record.warnings) != 1 else ''}"
    return "ok"


# --- terminal summary ----------------------------------------------------------------------


def _table(rows: list[list[str]], header: list[str]) -> list[str]:
    widths = [max(len(r[c]) for r in [header, *rows]) for c in range(len(header))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return ["  " + fmt.format(*header).rstrip(), "  " + fmt.format(*("-" * w for w in widths))] + [
        "  " + fmt.format(*r).rstrip() for r in rows
    ]


def summary(record: Notice) -> str:
    """A readable summary: metadata, signatures, counts, the KPI table and the limitations by unit."""
    r = record
    lines = [f"{r.source.path}  ({r.source.format}, sha256 {r.source.sha256[:12]}…)"]

    def meta(name: str, value: Any) -> None:
        if value not in (None, "", []):
            lines.append(f"  {name:<9} {value}")

    meta("type", f"{r.doc_type.code or '?'} {r.doc_type.name}" if r.doc_type else None)
    meta("number", r.number.raw if r.number else None)
    meta("issuer", " / ".join(x for x in (r.issuer.parent, r.issuer.name) if x) if r.issuer else None)
    place = r.place
    if r.place_unit:
        place = f"{place} -> " + ", ".join(x for x in (r.place_unit.commune, r.place_unit.province) if x)
    meta("place", place)
    meta("date", (r.date.iso or r.date.raw) if r.date else None)
    meta("title", r.title)
    meta("period", r.period.raw if r.period else None)
    if r.inspection:
        meta("team", r.inspection.team)
        meta("inspected", ", ".join(r.inspection.units))
    meta("signer", ", ".join(x for x in (r.signer.name, r.signer.position) if x) if r.signer else None)
    for sig in r.signatures:  # one line per digital signature
        who = sig.signer or "?"
        if sig.organization:
            who += f" ({sig.organization})"
        mark = "!! " if signature_problem(sig) else ""
        lines.append(f"  {'signed':<9} {mark}{who}, {sig.kind}, {sig.signed_at or 'time unknown'}: "
                     f"{_signature_status(sig)}")
    n_sections = sum(1 for _ in _flat_sections(r.sections))
    lines.append(
        f"  {'counts':<9} {n_sections} sections, {len(r.findings)} findings, {len(r.kpis)} KPIs, "
        f"{len(r.references)} references, {len(r.deadlines)} deadlines, {len(r.tables)} tables, "
        f"{len(r.recipients)} recipients, {len(r.warnings)} warnings"
    )
    if not r.text:
        lines.append("  (no text in this record: written with --no-text)")
    if r.kpis:
        lines += ["", "KPIs"]
        rows = [
            [k.key or "-", _short(k.label or "", 48), f"{k.qualifier + ' ' if k.qualifier else ''}{_num(k.value)}",
             k.unit or "", f"{_num(k.value if k.numerator is None else k.numerator)}/{_num(k.denominator)}"
             if k.denominator else "",
             "target" if k.is_target else "", _short(k.unit_scope or "", 30)]
            for k in r.kpis
        ]
        lines += _table(rows, ["key", "label", "value", "unit", "ratio", "", "scope"])
    limitations = [f for f in r.findings if f.kind == "limitation"]
    if limitations:
        lines += ["", "Limitations by unit"]
        by_unit: dict[str, list[str]] = {}
        for f in limitations:
            by_unit.setdefault(f.unit or "(no unit)", []).append(f.text)
        for unit, texts in by_unit.items():
            lines.append(f"  {unit} ({len(texts)})")
            lines += [f"    - {_short(t, 100)}" for t in texts]
    if r.deadlines:
        lines += ["", "Deadlines"]
        lines += [f"  {d.date}  {d.responsible or ''}  {_short(d.text, 80)}".rstrip() for d in r.deadlines]
    if r.warnings:
        lines += ["", "Warnings"] + [f"  {w}" for w in r.warnings]
    return "\n".join(lines)


# --- HTML: the document pane ------------------------------------------------------------------


class _Marks:
    """Writes highlighted text pieces: each item's first piece is its ``<mark id>``, later pieces
    (after a crossing span, a table cell or a page marker) are ``<span data-of>`` continuations."""

    def __init__(self, its: Sequence[Item], page_starts: Sequence[int]) -> None:
        self.order = {f: i for i, f in enumerate(FIELDS)}
        self.its = sorted(its, key=lambda it: (it.start, -it.end, self.order[it.field], it.index))
        self.opened: set[str] = set()
        self.pages = {pos: n for n, pos in enumerate(page_starts, 1) if n > 1}

    def _open(self, it: Item) -> str:
        cls = f"hl f-{it.field}"
        if it.id not in self.opened:
            self.opened.add(it.id)
            return f'<mark id="{it.id}" class="{cls}" data-item="{it.id}" title="{html.escape(it.caption)}">'
        return f'<span class="{cls} cont" data-of="{it.id}">'

    def piece(self, text: str, lo: int, hi: int) -> str:
        """``text[lo:hi]`` escaped, with the items overlapping it (clipped to it) marked."""
        inside = [it for it in self.its if (it.start < hi and it.end > lo) or lo <= it.start == it.end < hi]
        starts: dict[int, list[Item]] = {}
        ends: dict[int, list[Item]] = {}
        for it in inside:
            s, e = max(it.start, lo), min(it.end, hi)
            starts.setdefault(s, []).append(it)
            ends.setdefault(e, []).append(it)
        pages = [p for p in self.pages if lo <= p < hi]
        bounds = sorted({lo, hi, *starts, *ends, *pages})
        out: list[str] = []
        stack: list[tuple[Item, str]] = []  # (item, closing tag)
        for pos, nxt in zip(bounds, [*bounds[1:], None], strict=True):
            closing = [it for it in ends.get(pos, []) if any(it is s for s, _ in stack)]
            page = self.pages.get(pos) if pos < hi else None
            if closing or page:
                # Pop down to the deepest item ending here (all of them at a page marker), then
                # reopen the survivors as continuations.
                depth = 0 if page else min(i for i, (s, _) in enumerate(stack) if any(s is c for c in closing))
                popped = stack[depth:]
                for _, tag in reversed(popped):
                    out.append(tag)
                del stack[depth:]
                if page:
                    out.append(f'<span class="pg" id="page-{page}" data-page="{page}"></span>')
                for it, _ in popped:
                    if min(it.end, hi) != pos:
                        out.append(self._open(it))
                        stack.append((it, "</span>"))
            # Longer spans open first so they enclose the shorter ones starting at the same offset.
            for it in starts.get(pos, []):
                first = it.id not in self.opened
                out.append(self._open(it))
                if min(it.end, hi) == pos:  # an empty span: an empty mark
                    out.append("</mark>" if first else "</span>")
                    continue
                stack.append((it, "</mark>" if first else "</span>"))
            if nxt is not None:
                out.append(html.escape(text[pos:nxt]))
        for _, tag in reversed(stack):
            out.append(tag)
        return "".join(out)

    def anchors(self, lo: int, hi: int) -> str:
        """Empty marks for items starting in ``[lo, hi)`` not yet written (between table cells)."""
        out = []
        for it in self.its:
            if lo <= it.start < hi and it.id not in self.opened:
                out.append(self._open(it) + "</mark>")
        return "".join(out)


def _tables(record: Notice) -> list[tuple[int, int, int]]:
    """(start, end, index) of the body tables drawn as HTML: valid, non-overlapping spans."""
    n = len(record.text)
    out: list[tuple[int, int, int]] = []
    for i, t in enumerate(record.tables):
        if t.span is None or not (0 <= t.span[0] < t.span[1] <= n):
            continue
        cells = [c.span for row in t.rows for c in row if c.span is not None]
        if not cells or any(not (t.span[0] <= a <= b <= t.span[1]) for a, b in cells):
            continue
        out.append((t.span[0], t.span[1], i))
    out.sort()
    kept: list[tuple[int, int, int]] = []
    for start, end, i in out:
        if not kept or start >= kept[-1][1]:
            kept.append((start, end, i))
    return kept


def _document(record: Notice, its: Sequence[Item]) -> str:
    """The text pane: highlighted text, tables as HTML tables, page markers."""
    text = record.text
    marks = _Marks(its, record.page_starts)
    out: list[str] = []
    pos = 0
    for start, end, index in _tables(record):
        out.append(marks.piece(text, pos, start))
        table = record.tables[index]
        rows = []
        for row in table.rows:
            cells = []
            for cell in row:
                if cell.span is not None:
                    cells.append(f"<td>{marks.piece(text, cell.span[0], cell.span[1])}</td>")
                else:
                    cells.append(f"<td>{html.escape(cell.text)}</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
        pages = "".join(
            f'<span class="pg" id="page-{n}" data-page="{n}"></span>'
            for n, p in enumerate(record.page_starts, 1) if n > 1 and start < p < end
        )
        out.append(f'{pages}{marks.anchors(start, end)}<table class="body-table" id="table-{index}" '
                   f'data-span="{start}-{end}">' + "".join(rows) + "</table>")
        pos = end
    out.append(marks.piece(text, pos, len(text)))
    return "".join(out)


# --- HTML: the page ---------------------------------------------------------------------------


_CSS = """
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1d1d1f;
 display:grid;grid-template-columns:minmax(300px,32%) 1fr;height:100vh;overflow:hidden}
aside{overflow:auto;border-right:1px solid #ddd;background:#fafafa;padding:12px 14px}
main{overflow:auto;padding:16px 28px}
h1{font-size:17px;margin:0 0 6px}
a.up{font-size:12px}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 10px;margin:8px 0 12px;font-size:13px}
dl.meta dt{color:#666}dl.meta dd{margin:0;overflow-wrap:anywhere}
.tools{position:sticky;top:-12px;background:#fafafa;padding:6px 0;z-index:2;border-bottom:1px solid #eee}
.legend label{display:inline-flex;align-items:center;gap:4px;margin:0 10px 4px 0;font-size:13px;cursor:pointer}
input.search{width:100%;padding:5px 8px;font:inherit;border:1px solid #bbb;border-radius:6px}
.sw{display:inline-block;width:12px;height:12px;border-radius:3px;border:1px solid #0002}
details{margin:6px 0}summary{cursor:pointer;font-weight:600}
ol.items{margin:4px 0 8px;padding-left:26px;font-size:13px}
ol.items li{margin:2px 0}
ol.items a{color:inherit;text-decoration:none;display:block;padding:1px 4px;border-radius:4px}
ol.items a:hover{background:#0000000d}
ol.items a.current{background:#ffd6e4}
.pno{float:right;color:#888;font-size:11px;margin-left:6px}
pre.doc{white-space:pre-wrap;word-wrap:break-word;font:14px/1.6 "Noto Serif","Times New Roman",serif;margin:0}
.hl{border-radius:3px;padding:0 1px;cursor:pointer}
.f-findings{box-shadow:inset 0 -2px 0 #d9b400}
.f-kpis{box-shadow:inset 0 -2px 0 #2c9c3f}
.f-references{box-shadow:inset 0 -2px 0 #3a6fd8}
.f-deadlines{box-shadow:inset 0 -2px 0 #d9771a}
.f-sections{font-weight:600}
/*COLOURS*/
body.hide-sections .f-sections,body.hide-findings .f-findings,body.hide-kpis .f-kpis,
body.hide-references .f-references,body.hide-deadlines .f-deadlines{background:none;box-shadow:none;font-weight:inherit}
body.hide-sections details[data-field=sections],body.hide-findings details[data-field=findings],
body.hide-kpis details[data-field=kpis],body.hide-references details[data-field=references],
body.hide-deadlines details[data-field=deadlines]{display:none}
.hl.current{outline:3px solid #e0245e;background:#ffd6e4}
.flash{animation:flash 1.6s ease-out}
@keyframes flash{0%,40%{outline:3px solid #e0245e;background:#ffd6e4}100%{outline:3px solid transparent}}
.pg{display:block;border-top:1px dashed #aaa;margin:10px 0 4px;height:0}
.pg::before{content:"page " attr(data-page);display:inline-block;transform:translateY(-55%);background:#fff;
 color:#777;font:11px system-ui,sans-serif;padding:0 6px;margin-left:40%}
table.body-table{border-collapse:collapse;margin:6px 0 10px;font:13px/1.4 system-ui,sans-serif;white-space:normal}
table.body-table td{border:1px solid #bbb;padding:3px 6px;vertical-align:top}
table.body-table tr:first-child td{background:#f2f2f2;font-weight:600}
.warnings{background:#fff6e0;border:1px solid #e8c46a;border-radius:6px;padding:8px 12px;margin:0 0 12px;font-size:13px}
.warnings ul{margin:4px 0 0;padding-left:18px}
.alert{background:#ffe3e3;border:2px solid #d33;color:#900;border-radius:6px;padding:8px 12px;margin:0 0 12px;font-weight:600}
table.sigs{font-size:12px;border-collapse:collapse;margin:4px 0 10px;width:100%}
table.sigs td,table.sigs th{border-bottom:1px solid #e2e2e2;padding:2px 4px;text-align:left;vertical-align:top}
.bad{color:#b00;font-weight:700}.good{color:#17702a}
.notext{color:#666;font-style:italic}
.hidden{display:none}
"""


def _css() -> str:
    colours = "\n".join(f".f-{f}{{background:{c}}}" for f, c in _COLOURS.items())
    return _CSS.replace("/*COLOURS*/", colours)


_JS = """
(function(){
  var main=document.querySelector('main');
  function fold(s){return s.normalize('NFD').replace(/[\\u0300-\\u036f]/g,'').replace(/đ/g,'d').replace(/Đ/g,'D').toLowerCase();}
  function pieces(id){
    return [document.getElementById(id)].concat([].slice.call(document.querySelectorAll('[data-of="'+id+'"]'))).filter(Boolean);
  }
  function select(id){
    document.querySelectorAll('.current').forEach(function(e){e.classList.remove('current');});
    var els=pieces(id); if(!els.length) return;
    els[0].scrollIntoView({block:'center'});
    els.forEach(function(e){e.classList.add('current'); e.classList.remove('flash'); void e.offsetWidth; e.classList.add('flash');});
    var link=document.querySelector('aside a[data-target="'+id+'"]');
    if(link){link.classList.add('current');}
    if(history.replaceState){history.replaceState(null,'','#'+id);}
  }
  document.querySelectorAll('aside a[data-target]').forEach(function(a){
    a.addEventListener('click',function(ev){ev.preventDefault(); select(a.getAttribute('data-target'));});
  });
  main.addEventListener('click',function(ev){
    var m=ev.target.closest('.hl'); if(!m) return;
    var id=m.getAttribute('data-item')||m.getAttribute('data-of');
    var link=document.querySelector('aside a[data-target="'+id+'"]');
    if(link){var d=link.closest('details'); if(d) d.open=true; var li=link.closest('li'); if(li) li.classList.remove('hidden');
      link.scrollIntoView({block:'center'});
      document.querySelectorAll('aside a.current').forEach(function(e){e.classList.remove('current');});
      link.classList.add('current'); link.classList.remove('flash'); void link.offsetWidth; link.classList.add('flash');}
  });
  document.querySelectorAll('.legend input').forEach(function(cb){
    cb.addEventListener('change',function(){document.body.classList.toggle('hide-'+cb.value,!cb.checked);});
  });
  var search=document.querySelector('input.search');
  var lis=[].slice.call(document.querySelectorAll('ol.items li'));
  lis.forEach(function(li){li.dataset.fold=fold(li.textContent);});
  function filter(){
    var q=fold(search.value.trim());
    lis.forEach(function(li){li.classList.toggle('hidden', q!=='' && li.dataset.fold.indexOf(q)<0);});
    document.querySelectorAll('aside details[data-field]').forEach(function(d){
      var n=d.querySelectorAll('li:not(.hidden)').length;
      d.querySelector('.count').textContent=n; if(q!=='' && n) d.open=true;
    });
  }
  if(search){search.addEventListener('input',filter);}
  if(location.hash.length>1 && document.getElementById(location.hash.slice(1))){select(location.hash.slice(1));}
})();
"""


def _meta_rows(r: Notice) -> list[tuple[str, str | None]]:
    return [
        ("file", r.source.path),
        ("type", f"{r.doc_type.code or ''} {r.doc_type.name}" if r.doc_type else None),
        ("number", r.number.raw if r.number else None),
        ("issuer", " / ".join(x for x in (r.issuer.parent, r.issuer.name) if x) if r.issuer else None),
        ("place", r.place + (" → " + ", ".join(x for x in (r.place_unit.commune, r.place_unit.province) if x)
                             if r.place_unit else "") if r.place else None),
        ("date", (r.date.iso or r.date.raw) if r.date else None),
        ("period", r.period.raw if r.period else None),
        ("pages", str(r.source.pages) if r.source.pages else None),
        ("signer", ", ".join(x for x in (r.signer.name, r.signer.position) if x) if r.signer else None),
    ]


def _signatures_html(r: Notice) -> str:
    if not r.signatures:
        return ""
    esc = html.escape
    rows = []
    for sig in r.signatures:
        who = sig.signer or "?"
        if sig.organization:
            who += f" ({sig.organization})"
        bad = signature_problem(sig) is not None
        cls = "bad" if bad else ("good" if sig.intact else "")
        rows.append(f"<tr><td>{esc(who)}<br><small>{esc(sig.kind)}</small></td><td>{esc(sig.signed_at or '?')}</td>"
                    f'<td class="{cls}">{"⚠ " if bad else ""}{esc(_signature_status(sig))}</td></tr>')
    return ('<h2 style="font-size:14px;margin:10px 0 2px">Who signed and when</h2><table class="sigs">'
            "<tr><th>signer</th><th>signed at</th><th>status</th></tr>" + "".join(rows) + "</table>")


def _alerts_html(r: Notice) -> str:
    esc = html.escape
    out = []
    problems = [(s, signature_problem(s)) for s in r.signatures]
    bad = [(s, p) for s, p in problems if p]
    if bad or any(w.startswith(MODIFIED_WARNING) for w in r.warnings):
        what = "; ".join(
            f"{s.signer or s.field}: {'the signed content was altered (signature broken)' if p == 'broken' else 'the file was changed after it was signed'}"
            for s, p in bad
        ) or "the file was changed after it was signed"
        out.append(f'<div class="alert" role="alert">⚠ Do not rely on this file as signed: {esc(what)}.</div>')
    if r.warnings:
        out.append('<div class="warnings"><b>Warnings</b> (what the parser could not resolve)<ul>'
                   + "".join(f"<li>{esc(w)}</li>" for w in r.warnings) + "</ul></div>")
    return "".join(out)


def render_html(record: Notice, *, index_href: str | None = None) -> str:
    """One self-contained HTML page: the text with highlighted evidence and a clickable item list.

    ``index_href`` adds a link back to a site index (``show DIR --html site/``).
    """
    r = record
    its = items(r)
    esc = html.escape
    meta = "".join(f"<dt>{esc(k)}</dt><dd>{esc(str(v))}</dd>" for k, v in _meta_rows(r) if v)
    legend = "".join(
        f'<label><input type="checkbox" value="{f}" checked><span class="sw f-{f}"></span>{f}</label>'
        for f in FIELDS
    )
    lists = []
    for f in ("kpis", "findings", "references", "deadlines", "sections"):
        group = [it for it in its if it.field == f]
        entries = "".join(
            f'<li><a href="#{it.id}" data-target="{it.id}"><span class="sw f-{f}"></span> {esc(it.caption)}'
            f'{f"<span class=pno>p. {it.page}</span>" if it.page else ""}</a></li>'
            for it in group
        )
        open_ = " open" if f in ("kpis", "findings") and len(group) <= 400 else ""
        lists.append(
            f'<details{open_} data-field="{f}"><summary>{f} (<span class="count">{len(group)}</span>)</summary>'
            f'<ol class="items">{entries}</ol></details>'
        )
    title = esc(r.title or Path(r.source.path).name)
    up = f'<a class="up" href="{esc(index_href)}">← all documents</a>' if index_href else ""
    if r.text:
        body = f'<pre class="doc">{_document(r, its)}</pre>'
    else:
        body = ('<p class="notext">This record was written with --no-text: the evidence cannot be shown. '
                "Run <code>cchc-extract show</code> on the source file instead.</p>")
    return (
        "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
        f"<title>{title}</title><style>{_css()}</style></head><body>"
        f"<aside>{up}<h1>{title}</h1><dl class=\"meta\">{meta}</dl>{_signatures_html(r)}"
        f'<div class="tools"><div class="legend">{legend}</div>'
        '<input class="search" type="search" placeholder="Search the items (accents optional)" '
        'aria-label="search the items"></div>'
        f"{''.join(lists)}</aside>"
        f"<main>{_alerts_html(r)}{body}</main>"
        f"<script>{_JS}</script></body></html>\n"
    )


# --- HTML: an index of many documents ---------------------------------------------------------


@dataclass
class Entry:
    """One row of a site index: a record and its page, or a failure."""

    source: str
    page: str | None = None
    record: Notice | None = None
    error: str | None = None


_INDEX_JS = """
(function(){
  var q=document.querySelector('input.search'), rows=[].slice.call(document.querySelectorAll('tbody tr'));
  function fold(s){return s.normalize('NFD').replace(/[\\u0300-\\u036f]/g,'').replace(/đ/g,'d').toLowerCase();}
  rows.forEach(function(r){r.dataset.fold=fold(r.textContent);});
  q.addEventListener('input',function(){var v=fold(q.value.trim());
    rows.forEach(function(r){r.style.display=(v===''||r.dataset.fold.indexOf(v)>=0)?'':'none';});});
})();
"""


def render_index(entries: Sequence[Entry], title: str = "Documents") -> str:
    """A self-contained page listing documents with type, number, date, counts and status."""
    esc = html.escape
    rows = []
    for e in entries:
        r = e.record
        name = f'<a href="{esc(e.page)}">{esc(e.source)}</a>' if e.page else esc(e.source)
        if r is None:
            rows.append(f'<tr class="failed"><td>{name}</td><td colspan="8"></td>'
                        f'<td class="bad">failed: {esc(e.error or "")}</td></tr>')
            continue
        status = _status(r)
        cls = "bad" if status.startswith("signature") else ("" if status == "ok" else "warn")
        date = (r.date.iso or r.date.raw) if r.date else ""
        rows.append(
            f"<tr><td>{name}</td><td>{esc(r.doc_type.code or r.doc_type.name) if r.doc_type else ''}</td>"
            f"<td>{esc(r.number.raw) if r.number else ''}</td><td>{esc(date)}</td>"
            f"<td>{esc(_short(r.title or '', 80))}</td>"
            f"<td class=n>{len(r.kpis)}</td><td class=n>{len(r.findings)}</td><td class=n>{len(r.references)}</td>"
            f"<td class=n>{len(r.deadlines)}</td><td class=\"{cls}\">{esc(status)}</td></tr>"
        )
    failed = sum(e.record is None for e in entries)
    css = (
        "body{font:14px/1.45 system-ui,sans-serif;margin:20px;color:#1d1d1f}"
        "table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #e2e2e2;padding:4px 6px;"
        "text-align:left;vertical-align:top}th{background:#f4f4f4;position:sticky;top:0}"
        "td.n{text-align:right}.bad{color:#b00;font-weight:700}.warn{color:#8a5a00}"
        "input.search{padding:5px 8px;font:inherit;width:320px;margin:0 0 10px}"
    )
    return (
        "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
        f"<title>{esc(title)}</title><style>{css}</style></head><body>"
        f"<h1 style=\"font-size:18px\">{esc(title)}: {len(entries)} documents"
        f"{f', {failed} failed' if failed else ''}</h1>"
        '<input class="search" type="search" placeholder="Filter (accents optional)" aria-label="filter">'
        "<table><thead><tr><th>file</th><th>type</th><th>number</th><th>date</th><th>title</th><th>KPIs</th>"
        "<th>findings</th><th>refs</th><th>deadlines</th><th>status</th></tr></thead><tbody>"
        + "".join(rows) + f"</tbody></table><script>{_INDEX_JS}</script></body></html>\n"
    )


# --- CLI -------------------------------------------------------------------------------------


def _with_text(record: Notice) -> Notice:
    """A ``--no-text`` record gets its text back from its source file when that is unchanged."""
    if record.text:
        return record
    path = Path(record.source.path)
    try:
        from . import parse_notice
        from .inputs import file_sha256

        if path.is_file() and file_sha256(path) == record.source.sha256:
            return parse_notice(path).model_copy(update={"source": record.source})
    except Exception:  # keep the record as it is: the page says the text is missing
        pass
    return record


def _load(path: Path) -> Notice:
    from .model import Notice

    if path.suffix.lower() == ".json":  # a record written by `cchc-extract parse`
        return _with_text(Notice.model_validate_json(path.read_bytes()))
    from . import parse_notice

    return parse_notice(path)


def register(subparsers: Any) -> None:
    """Add ``show PATH... [--html OUT]`` to the CLI."""
    p = subparsers.add_parser(
        "show",
        help="summarise documents, or write HTML pages highlighting their evidence",
        description="Summarise a document (PDF/DOCX/TXT, or a record JSON written by `parse`); with --html, "
        "write a self-contained page showing every extracted item in the text. Given a folder or several "
        "paths, --html names a folder: one page per document and an index.html listing them all "
        "(records *.json and documents found in folders are both shown).",
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="documents, record JSON files or folders")
    p.add_argument("--html", type=Path, metavar="OUT", help="the page to write (OUT.html), or the site folder")
    p.add_argument("-j", "--jobs", type=int, default=None, metavar="N", help="worker processes for documents in folders")
    p.set_defaults(func=_cmd_show, parser=p)


def _looks_like_record(path: Path) -> bool:
    """A JSON file written by `parse` (other JSON files in a folder are not records)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return True  # reported as a failure when loaded
    return b'"schema_version"' in head and b'"source"' in head


def _site_sources(paths: Sequence[Path]) -> list[tuple[Path, PurePosixPath]]:
    """Record JSONs and documents under the given paths, with the page name each gets."""
    from .inputs import find_inputs

    out: list[tuple[Path, PurePosixPath]] = []
    for base in paths:
        if base.is_dir():
            jsons = [(p, PurePosixPath(p.relative_to(base).as_posix())) for p in sorted(base.rglob("*.json"))
                     if not any(part.startswith(".") for part in p.relative_to(base).parts)]
            out += [(p, rel) for p, rel in jsons if _looks_like_record(p)]
            out += find_inputs([base]).files
        else:
            out.append((base, PurePosixPath(base.name)))
    return out


def _cmd_show(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from .errors import NoticeError

    single = len(args.paths) == 1 and not args.paths[0].is_dir()
    if single:
        try:
            record = _load(args.paths[0])
        except (NoticeError, ValidationError, ValueError, OSError) as exc:
            print(f"cchc-extract show: {args.paths[0]}: {exc}", file=sys.stderr)
            return 1
        if args.html:
            target = args.html / "index.html" if args.html.is_dir() else args.html
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(render_html(record), encoding="utf-8")
            print(target)
        else:
            print(summary(record))
        return 0
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        print(f"cchc-extract show: no such file or directory: {', '.join(missing)}", file=sys.stderr)
        return 2
    return _show_many(args)


def _show_many(args: argparse.Namespace) -> int:
    from .batch import parse_many
    from .model import Notice

    sources = _site_sources(args.paths)
    if not sources:
        print("cchc-extract show: no records or documents found", file=sys.stderr)
        return 2
    entries: list[Entry] = []
    docs = [p for p, _ in sources if p.suffix.lower() != ".json"]
    parsed = dict(parse_many(docs, workers=args.jobs)) if docs else {}
    taken: set[str] = set()
    failed = 0
    for path, rel in sources:
        entry = Entry(str(rel) if len(args.paths) == 1 else str(path))
        if path.suffix.lower() == ".json":
            try:
                entry.record = _with_text(Notice.model_validate_json(path.read_bytes()))
            except Exception as exc:
                entry.error = f"{type(exc).__name__}: {_short(str(exc), 160)}"
        else:
            value = parsed.get(path)
            if isinstance(value, Notice):
                entry.record = value
            else:
                entry.error = f"{type(value).__name__}: {getattr(value, 'message', value)}"
        if entry.record is None:
            failed += 1
            if not args.html:
                print(f"error: {path}: {entry.error}", file=sys.stderr)
        page = str(rel.with_suffix(".html") if rel.suffix.lower() == ".json" else rel.with_name(rel.name + ".html"))
        while page.casefold() in taken:
            page = page[: -len(".html")] + "_.html"
        taken.add(page.casefold())
        entry.page = page if entry.record is not None else None
        entries.append(entry)
    if not args.html:
        print("\n\n".join(summary(e.record) for e in entries if e.record is not None))
        return 1 if failed else 0
    site: Path = args.html
    for e in entries:
        if e.record is None or e.page is None:
            continue
        target = site / e.page
        target.parent.mkdir(parents=True, exist_ok=True)
        depth = len(PurePosixPath(e.page).parts) - 1
        target.write_text(render_html(e.record, index_href="../" * depth + "index.html"), encoding="utf-8")
    site.mkdir(parents=True, exist_ok=True)
    (site / "index.html").write_text(render_index(entries, title=", ".join(str(p) for p in args.paths)),
                                     encoding="utf-8")
    print(site / "index.html")
    return 1 if failed else 0
