"""Records as tables for analysis: one row per document, one row per extracted item.

Every child table is keyed by the document's ``sha256`` and the item's position ``idx`` in its
list (``tables`` by table, row and column), and keeps the evidence offsets
``span_start``/``span_end`` into the record's ``text``. :data:`COLUMNS` documents each table's
columns and types; :func:`to_frames` gives them as pandas DataFrames (dates as ``datetime64``,
closed vocabularies as categoricals) and :mod:`cchc_extract.archive` stores the same tables in
DuckDB (dates as ``DATE``). :func:`rows` needs nothing beyond the standard library; pandas is
an optional extra: ``pip install 'cchc-extract[analysis]'``.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from .model import Notice, Section

__all__ = ["COLUMNS", "TABLES", "categories", "require_pandas", "rows", "to_frames"]

# Column types: S text, N integer, F float, B boolean (all nullable), D a calendar date
# (datetime64 in pandas, DATE in DuckDB), T an instant (UTC datetime64, TIMESTAMPTZ), C a closed
# vocabulary (categorical in pandas, text in DuckDB).
S, N, F, B, D, T, C = "string", "Int64", "Float64", "boolean", "date", "timestamp", "category"

_SPAN = [("span_start", N), ("span_end", N), ("page", N)]

COLUMNS: dict[str, list[tuple[str, str]]] = {
    "notices": [
        ("sha256", S),  # sha256 of the source file's bytes: the document key
        ("path", S),
        ("format", C),  # source.format: pdf / docx / txt ...
        ("pages", N),
        ("doc_type", C),  # Decree 30/2020 code: TB, BC, KH ...
        ("doc_type_name", S),
        ("number_raw", S),  # as printed after "Số:"
        ("number_seq", N),
        ("issuer_name", S),
        ("issuer_parent", S),
        ("place", S),  # as printed (địa danh)
        ("province", S),  # place_unit: the current (post-2025) province, when resolved
        ("commune", S),  # place_unit: the current commune / ward, when resolved
        ("date", D),  # the issue date when day, month and year are all printed
        ("year", N),  # the issue date's parts, also when only some are printed
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
        ("n_tables", N),
        ("n_signatures", N),
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
        ("kind", C),
        ("unit", S),
        ("n_paragraphs", N),
        *_SPAN,
    ],
    "findings": [
        ("sha256", S),
        ("idx", N),
        ("kind", C),  # strength / limitation / cause / requirement / recommendation / task
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
        ("date", D),
        ("issuer", S),
        ("in_legal_basis", B),  # also cited in the preamble (legal_basis)
        *_SPAN,
    ],
    "deadlines": [
        ("sha256", S),
        ("idx", N),
        ("date", D),
        ("raw", S),
        ("responsible", S),
        ("text", S),
        *_SPAN,
    ],
    "tables": [  # one row per cell of a body table
        ("sha256", S),
        ("table_idx", N),  # the table's position in the record's tables
        ("row", N),
        ("col", N),
        ("text", S),
        *_SPAN,
    ],
    "signatures": [  # PDF digital signatures
        ("sha256", S),
        ("idx", N),
        ("field", S),
        ("signer", S),
        ("organization", S),
        ("email", S),
        ("signed_at", T),
        ("kind", C),  # person / organization / publisher
        ("intact", B),
        ("covers_whole_file", B),
        ("modified_after", B),
        ("trusted", B),
        *_SPAN,
    ],
    "recipients": [
        ("sha256", S),
        ("idx", N),
        ("recipient", S),
    ],
    "warnings": [
        ("sha256", S),
        ("idx", N),
        ("code", S),  # the stable code before the colon: "date_partial", "pdf_unusable_pages" ...
        ("message", S),
    ],
    "texts": [  # the document text, which every span indexes into (left out with --no-text)
        ("sha256", S),
        ("text", S),
    ],
}
"""Table -> ``[(column, type)]``, in column order (types: see the ``S, N, F ...`` constants)."""

TABLES = tuple(COLUMNS)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: str | None) -> str | None:
    """``value`` when it is a full ISO date (``YYYY-MM-DD``), else None (a partial date)."""
    return value if value is not None and _ISO_DATE.fullmatch(value) else None


def _literal_values(annotation: Any) -> list[str]:
    out: list[str] = []
    for arg in typing.get_args(annotation):
        if isinstance(arg, str):
            out.append(arg)
        else:
            out += _literal_values(arg)
    return out


def categories() -> dict[tuple[str, str], list[str]]:
    """``(table, column) -> categories`` of the categorical columns, from the model's vocabularies."""
    from . import model as m

    doc_types: list[str] = []
    try:
        from .patterns import load

        doc_types = sorted({t.code for t in load().doc_types.types if t.code})
    except Exception:  # the vocabulary is a convenience; observed values are added anyway
        doc_types = []
    return {
        ("notices", "format"): _literal_values(m.Source.model_fields["format"].annotation),
        ("notices", "doc_type"): doc_types,
        ("sections", "kind"): _literal_values(m.Section.model_fields["kind"].annotation),
        ("findings", "kind"): _literal_values(m.Finding.model_fields["kind"].annotation),
        ("signatures", "kind"): _literal_values(m.Signature.model_fields["kind"].annotation),
    }


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


def _span(span: tuple[int, int] | None, page: int | None) -> dict[str, Any]:
    return {"span_start": span[0] if span else None, "span_end": span[1] if span else None, "page": page}


def rows(rec: Notice, *, include_text: bool = True) -> dict[str, list[dict[str, Any]]]:
    """One record as plain rows per table (the columns of :data:`COLUMNS`; dates as ISO text).

    ``include_text=False`` leaves the ``texts`` table empty (``--no-text``).
    """
    sha = rec.source.sha256
    sections = _sections(rec)
    unit = rec.place_unit
    legal = {r.number for r in rec.legal_basis}
    date = rec.date
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
        "date": _iso_date(date.iso) if date else None,
        "year": date.year if date else None,
        "month": date.month if date else None,
        "day": date.day if date else None,
        "title": rec.title,
        "period_year": rec.period.year if rec.period else None,
        "period_quarter": rec.period.quarter if rec.period else None,
        "period_half": rec.period.half if rec.period else None,
        "signer_name": rec.signer.name if rec.signer else None,
        "signer_position": rec.signer.position if rec.signer else None,
        "n_sections": len(sections), "n_findings": len(rec.findings), "n_kpis": len(rec.kpis),
        "n_references": len(rec.references), "n_deadlines": len(rec.deadlines), "n_tables": len(rec.tables),
        "n_signatures": len(rec.signatures), "n_recipients": len(rec.recipients),
        "n_warnings": len(rec.warnings), "text_chars": len(rec.text),
    }
    cells = [
        {"sha256": sha, "table_idx": t, "row": r, "col": c, "text": cell.text, **_span(cell.span, table.page)}
        for t, table in enumerate(rec.tables)
        for r, row in enumerate(table.rows)
        for c, cell in enumerate(row)
    ]
    warnings = []
    for i, w in enumerate(rec.warnings):
        code, sep, message = w.partition(":")
        warnings.append({"sha256": sha, "idx": i, "code": code.strip() if sep else None,
                         "message": message.strip() if sep else w})
    return {
        "notices": [notice],
        "sections": sections,
        "findings": [
            {"sha256": sha, "idx": i, "kind": f.kind, "unit": f.unit, "section": "/".join(f.section),
             "text": f.text, **_span(f.span, f.page)}
            for i, f in enumerate(rec.findings)
        ],
        "kpis": [
            {"sha256": sha, "idx": i, "key": k.key, "label": k.label, "value": k.value, "unit": k.unit,
             "numerator": k.numerator, "denominator": k.denominator, "qualifier": k.qualifier,
             "is_target": k.is_target, "unit_scope": k.unit_scope,
             "evidence": rec.text[k.span[0]:k.span[1]] if rec.text else None, **_span(k.span, k.page)}
            for i, k in enumerate(rec.kpis)
        ],
        "references": [
            {"sha256": sha, "idx": i, "type_code": r.type_code, "type_name": r.type_name, "number": r.number,
             "date": _iso_date(r.date), "issuer": r.issuer, "in_legal_basis": r.number in legal,
             **_span(r.span, r.page)}
            for i, r in enumerate(rec.references)
        ],
        "deadlines": [
            {"sha256": sha, "idx": i, "date": _iso_date(d.date), "raw": d.raw, "responsible": d.responsible,
             "text": d.text, **_span(d.span, d.page)}
            for i, d in enumerate(rec.deadlines)
        ],
        "tables": cells,
        "signatures": [
            {"sha256": sha, "idx": i, "field": s.field, "signer": s.signer, "organization": s.organization,
             "email": s.email, "signed_at": s.signed_at, "kind": s.kind, "intact": s.intact,
             "covers_whole_file": s.covers_whole_file, "modified_after": s.modified_after, "trusted": s.trusted,
             **_span(s.span, rec.page_of(s.span[0]) if s.span else None)}
            for i, s in enumerate(rec.signatures)
        ],
        "recipients": [{"sha256": sha, "idx": i, "recipient": r} for i, r in enumerate(rec.recipients)],
        "warnings": warnings,
        "texts": [{"sha256": sha, "text": rec.text}] if include_text else [],
    }


def to_frames(records: Iterable[Notice], *, include_text: bool = True) -> dict[str, pd.DataFrame]:
    """The tables of :data:`COLUMNS` as DataFrames, one per table, in that order.

    Nullable dtypes (``string``, ``Int64``, ``Float64``, ``boolean``); dates are ``datetime64``
    (``NaT`` when a date is partial); ``format``, ``doc_type`` and the ``kind`` columns are
    categoricals over the model's vocabulary. ``include_text=False`` leaves ``texts`` empty.
    """
    pandas = require_pandas()
    acc: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    for rec in records:
        for table, items in rows(rec, include_text=include_text).items():
            acc[table].extend(items)
    vocab = categories()
    frames: dict[str, pd.DataFrame] = {}
    for table, cols in COLUMNS.items():
        names = [c for c, _ in cols]
        records_ = acc[table]
        df = pandas.DataFrame.from_records(records_, columns=names) if records_ else pandas.DataFrame(columns=names)
        for name, kind in cols:
            if kind == D:
                df[name] = pandas.to_datetime(df[name], format="%Y-%m-%d", errors="coerce").astype("datetime64[ns]")
            elif kind == T:
                df[name] = pandas.to_datetime(df[name], format="ISO8601", utc=True, errors="coerce").astype(
                    "datetime64[ns, UTC]"
                )
            elif kind == C:
                known = vocab.get((table, name), [])
                seen = [v for v in df[name].dropna().unique() if v not in known]
                df[name] = df[name].astype(pandas.CategoricalDtype([*known, *sorted(seen)]))
            else:
                df[name] = df[name].astype(kind)
        frames[table] = df
    return frames
