"""Look at one record: a terminal summary, or a self-contained HTML evidence page.

:func:`render_html` prints the document text with every extracted item highlighted in its
field's colour (one ``<mark>`` per item; where spans cross, the item continues in
``<span class="hl cont">`` pieces) beside a list of the items; clicking an item scrolls to its
evidence and flashes it. The page carries its CSS and JS inline and loads nothing.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Notice, Section

__all__ = ["FIELDS", "Item", "items", "register", "render_html", "summary"]

FIELDS = ("sections", "findings", "kpis", "references", "deadlines")
"""Highlighted fields, outermost first when spans start at the same offset."""

_COLOURS = {
    "sections": "#e4d4ff",
    "findings": "#fff1a8",
    "kpis": "#b9efc0",
    "references": "#c9ddff",
    "deadlines": "#ffcf9e",
}


@dataclass(frozen=True)
class Item:
    """One highlighted item: its field, position in that field's list, span and side-list text."""

    field: str
    index: int
    start: int
    end: int
    caption: str

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

    def add(field: str, i: int, span: tuple[int, int] | None, caption: str) -> None:
        if span is not None and 0 <= span[0] <= span[1] <= n:
            out.append(Item(field, i, span[0], span[1], caption))

    for i, s in enumerate(_flat_sections(record.sections)):
        add("sections", i, s.span, f"{s.label + '. ' if s.label else ''}{s.title} [{s.kind}]")
    for i, f in enumerate(record.findings):
        add("findings", i, f.span, f"{f.kind}{' · ' + f.unit if f.unit else ''}: {_short(f.text)}")
    for i, k in enumerate(record.kpis):
        target = " (target)" if k.is_target else ""
        key = f" [{k.key}]" if k.key else ""
        add("kpis", i, k.span, f"{_short(k.label or '?', 60)}: {k.qualifier + ' ' if k.qualifier else ''}"
            f"{_num(k.value)} {k.unit or ''}{target}{key}")
    for i, r in enumerate(record.references):
        add("references", i, r.span, f"{r.number}{' (' + r.date + ')' if r.date else ''}")
    for i, d in enumerate(record.deadlines):
        add("deadlines", i, d.span, f"{d.date}{' · ' + d.responsible if d.responsible else ''}")
    return out


# --- terminal summary ----------------------------------------------------------------------


def _table(rows: list[list[str]], header: list[str]) -> list[str]:
    widths = [max(len(r[c]) for r in [header, *rows]) for c in range(len(header))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return ["  " + fmt.format(*header).rstrip(), "  " + fmt.format(*("-" * w for w in widths))] + [
        "  " + fmt.format(*r).rstrip() for r in rows
    ]


def summary(record: Notice) -> str:
    """A readable summary: metadata, counts, the KPI table and the limitations by unit."""
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
    n_sections = sum(1 for _ in _flat_sections(r.sections))
    lines.append(
        f"  {'counts':<9} {n_sections} sections, {len(r.findings)} findings, {len(r.kpis)} KPIs, "
        f"{len(r.references)} references, {len(r.deadlines)} deadlines, {len(r.recipients)} recipients, "
        f"{len(r.warnings)} warnings"
    )
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


# --- HTML ------------------------------------------------------------------------------------


def _highlight(text: str, its: list[Item]) -> str:
    """Escaped text with one ``<mark>`` per item; crossing spans are split, never mis-nested."""
    order = {f: i for i, f in enumerate(FIELDS)}
    starts: dict[int, list[Item]] = {}
    ends: dict[int, list[Item]] = {}
    for it in its:
        starts.setdefault(it.start, []).append(it)
        ends.setdefault(it.end, []).append(it)
    bounds = sorted({0, len(text), *starts, *ends})
    out: list[str] = []
    stack: list[Item] = []

    def open_tag(it: Item, first: bool) -> str:
        cls = f"hl f-{it.field}"
        if first:
            return f'<mark id="{it.id}" class="{cls}" data-item="{it.id}" title="{html.escape(it.caption)}">'
        return f'<span class="{cls} cont" data-of="{it.id}">'

    def close_tag(it: Item, first_open: set[str]) -> str:
        return "</mark>" if it.id in first_open else "</span>"

    # Which element type each open stack entry is (a mark the first time, a span when reopened).
    as_mark: set[str] = set()
    for pos, nxt in zip(bounds, [*bounds[1:], None], strict=True):
        closing = [it for it in ends.get(pos, []) if it in stack]
        if closing:
            # Pop down to the deepest item ending here, then reopen the survivors as continuations.
            depth = min(stack.index(it) for it in closing)
            popped = stack[depth:]
            for it in reversed(popped):
                out.append(close_tag(it, as_mark))
                as_mark.discard(it.id)
            del stack[depth:]
            for it in popped:
                if it.end != pos:
                    out.append(open_tag(it, False))
                    stack.append(it)
        # Longer spans open first so they enclose the shorter ones starting at the same offset.
        for it in sorted(starts.get(pos, []), key=lambda x: (-x.end, order[x.field], x.index)):
            out.append(open_tag(it, True))
            if it.end == pos:  # an empty span: an empty mark
                out.append("</mark>")
                continue
            as_mark.add(it.id)
            stack.append(it)
        if nxt is not None:
            out.append(html.escape(text[pos:nxt]))
    for it in reversed(stack):  # pragma: no cover - every span ends inside the text
        out.append(close_tag(it, as_mark))
    return "".join(out)


_CSS = """
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1d1d1f;
 display:grid;grid-template-columns:minmax(280px,30%) 1fr;height:100vh;overflow:hidden}
aside{overflow:auto;border-right:1px solid #ddd;background:#fafafa;padding:12px 14px}
main{overflow:auto;padding:16px 28px}
h1{font-size:17px;margin:0 0 6px}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 10px;margin:8px 0 12px;font-size:13px}
dl.meta dt{color:#666}dl.meta dd{margin:0;overflow-wrap:anywhere}
.legend label{display:inline-flex;align-items:center;gap:4px;margin:0 10px 4px 0;font-size:13px;cursor:pointer}
.sw{display:inline-block;width:12px;height:12px;border-radius:3px;border:1px solid #0002}
details{margin:6px 0}summary{cursor:pointer;font-weight:600}
ol.items{margin:4px 0 8px;padding-left:22px;font-size:13px}
ol.items li{margin:2px 0}
ol.items a{color:inherit;text-decoration:none;display:block;padding:1px 4px;border-radius:4px}
ol.items a:hover{background:#0000000d}
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
.flash{animation:flash 1.6s ease-out}
@keyframes flash{0%,40%{outline:3px solid #e0245e;background:#ffd6e4}100%{outline:3px solid transparent}}
.warn{color:#a33;font-size:12px}
"""


def _css() -> str:
    colours = "\n".join(f".f-{f}{{background:{c}}}" for f, c in _COLOURS.items())
    return _CSS.replace("/*COLOURS*/", colours)


_JS = """
(function(){
  function flash(id){
    var els=[document.getElementById(id)].concat([].slice.call(document.querySelectorAll('[data-of="'+id+'"]')));
    els=els.filter(Boolean); if(!els.length) return;
    els[0].scrollIntoView({block:'center',behavior:'smooth'});
    els.forEach(function(e){e.classList.remove('flash'); void e.offsetWidth; e.classList.add('flash');});
  }
  document.querySelectorAll('aside a[data-target]').forEach(function(a){
    a.addEventListener('click',function(ev){ev.preventDefault(); flash(a.getAttribute('data-target'));});
  });
  document.querySelectorAll('main .hl').forEach(function(m){
    m.addEventListener('click',function(ev){
      ev.stopPropagation();
      var id=m.getAttribute('data-item')||m.getAttribute('data-of');
      var link=document.querySelector('aside a[data-target="'+id+'"]');
      if(link){var d=link.closest('details'); if(d) d.open=true; link.scrollIntoView({block:'center'});
        link.classList.remove('flash'); void link.offsetWidth; link.classList.add('flash');}
    });
  });
  document.querySelectorAll('.legend input').forEach(function(cb){
    cb.addEventListener('change',function(){document.body.classList.toggle('hide-'+cb.value,!cb.checked);});
  });
})();
"""


def render_html(record: Notice) -> str:
    """One self-contained HTML page: the text with highlighted evidence and a clickable item list."""
    r = record
    its = items(r)
    esc = html.escape
    meta_rows = [
        ("file", r.source.path),
        ("type", f"{r.doc_type.code or ''} {r.doc_type.name}" if r.doc_type else None),
        ("number", r.number.raw if r.number else None),
        ("issuer", " / ".join(x for x in (r.issuer.parent, r.issuer.name) if x) if r.issuer else None),
        ("place", r.place + (" → " + ", ".join(x for x in (r.place_unit.commune, r.place_unit.province) if x)
                             if r.place_unit else "") if r.place else None),
        ("date", (r.date.iso or r.date.raw) if r.date else None),
        ("period", r.period.raw if r.period else None),
        ("signer", ", ".join(x for x in (r.signer.name, r.signer.position) if x) if r.signer else None),
    ]
    meta = "".join(f"<dt>{esc(k)}</dt><dd>{esc(str(v))}</dd>" for k, v in meta_rows if v)
    legend = "".join(
        f'<label><input type="checkbox" value="{f}" checked><span class="sw f-{f}"></span>{f}</label>'
        for f in FIELDS
    )
    lists = []
    for f in ("kpis", "findings", "references", "deadlines", "sections"):
        group = [it for it in its if it.field == f]
        entries = "".join(
            f'<li><a href="#{it.id}" data-target="{it.id}"><span class="sw f-{f}"></span> {esc(it.caption)}</a></li>'
            for it in group
        )
        lists.append(
            f'<details{" open" if f in ("kpis", "findings") else ""} data-field="{f}"><summary>{f} '
            f"({len(group)})</summary><ol class=\"items\">{entries}</ol></details>"
        )
    warnings = "".join(f'<div class="warn">{esc(w)}</div>' for w in r.warnings)
    title = esc(r.title or Path(r.source.path).name)
    return (
        "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
        f"<title>{title}</title><style>{_css()}</style></head><body>"
        f"<aside><h1>{title}</h1><dl class=\"meta\">{meta}</dl><div class=\"legend\">{legend}</div>"
        f"{''.join(lists)}{warnings}</aside>"
        f"<main><pre class=\"doc\">{_highlight(r.text, its)}</pre></main>"
        f"<script>{_JS}</script></body></html>\n"
    )


# --- CLI -------------------------------------------------------------------------------------


def _load(path: Path) -> Notice:
    from .model import Notice

    if path.suffix.lower() == ".json":  # a record written by `cchc-extract parse`
        return Notice.model_validate(json.loads(path.read_text(encoding="utf-8")))
    from . import parse_notice

    return parse_notice(path)


def register(subparsers: Any) -> None:
    """Add ``show FILE [--html OUT.html]`` to the CLI."""
    p = subparsers.add_parser(
        "show",
        help="summarise one document, or write an HTML page highlighting its evidence",
        description="Parse FILE (PDF/DOCX/TXT, or a record JSON written by `parse`) and print a summary; "
        "with --html, write a self-contained page showing every extracted item in the text.",
    )
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--html", type=Path, metavar="OUT.html", help="write the evidence page here")
    p.set_defaults(func=_cmd_show, parser=p)


def _cmd_show(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from .errors import NoticeError

    try:
        record = _load(args.file)
    except (NoticeError, ValidationError, ValueError, OSError) as exc:
        print(f"cchc-extract show: {args.file}: {exc}", file=sys.stderr)
        return 1
    if args.html:
        args.html.parent.mkdir(parents=True, exist_ok=True)
        args.html.write_text(render_html(record), encoding="utf-8")
        print(args.html)
    else:
        print(summary(record))
    return 0
