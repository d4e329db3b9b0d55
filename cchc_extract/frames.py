"""Records as pandas tables for analysis: one row per document, one row per extracted item.

Every child table is keyed by the document's ``sha256`` and the item's position ``idx`` in its
list, and keeps the evidence offsets ``span_start``/``span_end`` into the record's ``text``.
:data:`COLUMNS` documents each table's columns and pandas dtypes (nullable: ``string``,
``Int64``, ``Float64``, ``boolean``); :mod:`cchc_extract.archive` stores the same tables in DuckDB.
pandas is an optional extra: ``pip install 'cchc-extract[analysis]'``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from .model import Notice, Section

__all__ = ["COLUMNS", "TABLES", "require_pandas", "rows", "to_frames"]

S, N, F, B = "string", "Int64", "Float64", "boolean"  # pandas nullable dtypes: text, integer, float, bool

_SPAN = [("span_start", N), ("span_end", N), ("page", N)]

COLUMNS: dict[str, list[tuple[str, str]]] = {
    "notices": [
        ("sha256", S),  # sha256 of the source file's bytes: the document key
        ("path", S),
        ("format", S),  # pdf / docx / txt
        ("pages", N),
        ("doc_type", S),  # Decree 30/2020 code: TB, BC, KH ...
        ("doc_type_name", S),
        ("number_raw", S),  # as printed after "Số:"
        ("number_seq", N),
        ("issuer_name", S),
        ("issuer_parent", S),
        ("place", S),  # as printed (địa danh)
        ("province", S),  # place_unit: the current (post-2025) province, when resolved
        ("commune", S),  # place_unit: the current commune / ward, when resolved
        ("date_iso", S),  # YYYY-MM-DD when day, month and year are all printed
        ("year", N),
        ("month", N),
        ("day", N),
        ("title", S),
        ("period_year", N),
        ("period_quarter", N),
        ("period_half", N),
        ("signer_name", S),
        ("signer_position", S),
        ("n_sections", N),  # all sections of the tree, nested ones included
        ("n_findings", N),
        ("n_kpis", N),
        ("n_references", N),
        ("n_deadlines", N),
        ("n_recipients", N),
        ("n_warnings", N),
        ("text_chars", N),
    ],
    "sections": [
        ("sha256", S),
        ("idx", N),  # pre-order position in the heading tree
        ("parent_idx", N),  # null for a top-level section
        ("path", S),  # labels from the top joined by "/" ("II/1/b"); equals findings.section
        ("label", S),
        ("title", S),
        ("level", N),
        ("kind", S),
        ("unit", S),
        ("n_paragraphs", N),
        *_SPAN,
    ],
    "findings": [
        ("sha256", S),
        ("idx", N),
        ("kind", S),  # strength / limitation / cause / requirement / recommendation / task
        ("unit", S),
        ("section", S),  # labels from the top joined by "/"
        ("text", S),
        *_SPAN,
    ],
    "kpis": [
        ("sha256", S),
        ("idx", N),
        ("key", S),  # canonical id (patterns/kpi_keys.yaml) or null
        ("label", S),
        ("value", F),
        ("unit", S),
        ("numerator", F),
        ("denominator", F),
        ("qualifier", S),
        ("is_target", B),
        ("unit_scope", S),
        ("evidence", S),  # text[span_start:span_end]
        *_SPAN,
    ],
    "references": [
        ("sha256", S),
        ("idx", N),
        ("type_code", S),
        ("type_name", S),
        ("number", S),
        ("date", S),
        ("issuer", S),
        ("in_legal_basis", B),  # also cited in the preamble (legal_basis)
        *_SPAN,
    ],
    "deadlines": [
        ("sha256", S),
        ("idx", N),
        ("date", S),
        ("raw", S),
        ("responsible", S),
        ("text", S),
        *_SPAN,
    ],
    "recipients": [
        ("sha256", S),
        ("idx", N),
        ("recipient", S),
    ],
}
"""Table -> ``[(column, pandas dtype)]``, in column order."""

TABLES = tuple(COLUMNS)


def require_pandas() -> Any:
    """Import pandas, or fail with the install command."""
    try:
        import pandas
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "cchc_extract.frames needs pandas: pip install 'cchc-extract[analysis]'"
        ) from exc
    return pandas


def _sections(rec: Notice) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def visit(secs: list[Section], parent: int | None, prefix: list[str]) -> None:
        for sec in secs:
            idx = len(out)
            path = [*prefix, sec.label or sec.title]
            out.append({
                "sha256": rec.source.sha256, "idx": idx, "parent_idx": parent, "path": "/".join(path),
                "label": sec.label, "title": sec.title, "level": sec.level, "kind": sec.kind,
                "unit": sec.unit, "n_paragraphs": len(sec.paragraphs),
                "span_start": sec.span[0], "span_end": sec.span[1], "page": sec.page,
            })
            visit(sec.children, idx, path)

    visit(rec.sections, None, [])
    return out


def rows(rec: Notice) -> dict[str, list[dict[str, Any]]]:
    """One record as plain rows per table (the columns of :data:`COLUMNS`)."""
    sha = rec.source.sha256
    sections = _sections(rec)
    unit = rec.place_unit
    legal = {r.number for r in rec.legal_basis}
    notice = {
        "sha256": sha, "path": rec.source.path, "format": rec.source.format, "pages": rec.source.pages,
        "doc_type": rec.doc_type.code if rec.doc_type else None,
        "doc_type_name": rec.doc_type.name if rec.doc_type else None,
        "number_raw": rec.number.raw if rec.number else None,
        "number_seq": rec.number.seq if rec.number else None,
        "issuer_name": rec.issuer.name if rec.issuer else None,
        "issuer_parent": rec.issuer.parent if rec.issuer else None,
        "place": rec.place,
        "province": unit.province if unit else None,
        "commune": unit.commune if unit else None,
        "date_iso": rec.date.iso if rec.date else None,
        "year": rec.date.year if rec.date else None,
        "month": rec.date.month if rec.date else None,
        "day": rec.date.day if rec.date else None,
        "title": rec.title,
        "period_year": rec.period.year if rec.period else None,
        "period_quarter": rec.period.quarter if rec.period else None,
        "period_half": rec.period.half if rec.period else None,
        "signer_name": rec.signer.name if rec.signer else None,
        "signer_position": rec.signer.position if rec.signer else None,
        "n_sections": len(sections), "n_findings": len(rec.findings), "n_kpis": len(rec.kpis),
        "n_references": len(rec.references), "n_deadlines": len(rec.deadlines),
        "n_recipients": len(rec.recipients), "n_warnings": len(rec.warnings), "text_chars": len(rec.text),
    }
    return {
        "notices": [notice],
        "sections": sections,
        "findings": [
            {"sha256": sha, "idx": i, "kind": f.kind, "unit": f.unit, "section": "/".join(f.section),
             "text": f.text, "span_start": f.span[0], "span_end": f.span[1], "page": f.page}
            for i, f in enumerate(rec.findings)
        ],
        "kpis": [
            {"sha256": sha, "idx": i, "key": k.key, "label": k.label, "value": k.value, "unit": k.unit,
             "numerator": k.numerator, "denominator": k.denominator, "qualifier": k.qualifier,
             "is_target": k.is_target, "unit_scope": k.unit_scope, "evidence": rec.text[k.span[0]:k.span[1]],
             "span_start": k.span[0], "span_end": k.span[1], "page": k.page}
            for i, k in enumerate(rec.kpis)
        ],
        "references": [
            {"sha256": sha, "idx": i, "type_code": r.type_code, "type_name": r.type_name, "number": r.number,
             "date": r.date, "issuer": r.issuer, "in_legal_basis": r.number in legal,
             "span_start": r.span[0], "span_end": r.span[1], "page": r.page}
            for i, r in enumerate(rec.references)
        ],
        "deadlines": [
            {"sha256": sha, "idx": i, "date": d.date, "raw": d.raw, "responsible": d.responsible, "text": d.text,
             "span_start": d.span[0], "span_end": d.span[1], "page": d.page}
            for i, d in enumerate(rec.deadlines)
        ],
        "recipients": [{"sha256": sha, "idx": i, "recipient": r} for i, r in enumerate(rec.recipients)],
    }


def to_frames(records: Iterable[Notice]) -> dict[str, pd.DataFrame]:
    """Tables ``notices``, ``sections``, ``findings``, ``kpis``, ``references``, ``deadlines``,
    ``recipients`` as DataFrames with the columns and dtypes of :data:`COLUMNS`."""
    pandas = require_pandas()
    acc: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    for rec in records:
        for table, items in rows(rec).items():
            acc[table].extend(items)
    frames: dict[str, pd.DataFrame] = {}
    for table, cols in COLUMNS.items():
        names = [c for c, _ in cols]
        records_ = acc[table]
        df = pandas.DataFrame.from_records(records_, columns=names) if records_ else pandas.DataFrame(columns=names)
        frames[table] = df.astype(dict(cols))
    return frames
