"""to_frames: documented columns and dtypes, one row per item, spans kept."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest

pd = pytest.importorskip("pandas")

from cchc_extract import parse_notice  # noqa: E402
from cchc_extract.frames import COLUMNS, TABLES, to_frames  # noqa: E402
from cchc_extract.model import (  # noqa: E402
    Kpi,
    Notice,
    Section,
    Signature,
    Source,
    Table,
    TableCell,
)

CORPUS_TXT = sorted((Path(__file__).resolve().parents[1] / "corpus").glob("*.txt"))


@pytest.fixture(scope="module")
def records() -> list:  # type: ignore[type-arg]
    return [parse_notice(p) for p in CORPUS_TXT]


def _expected_dtype(table: str, column: str, kind: str) -> str:
    special = {"date": "datetime64[ns]", "timestamp": "datetime64[ns, UTC]", "category": "category"}
    return special[kind] if kind in special else str(pd.Series([], dtype=kind).dtype)


def test_tables_columns_and_dtypes(records: list) -> None:  # type: ignore[type-arg]
    frames = to_frames(records)
    assert tuple(frames) == TABLES == (
        "notices", "sections", "findings", "kpis", "references", "deadlines", "tables", "signatures",
        "recipients", "warnings", "texts",
    )
    for table, cols in COLUMNS.items():
        df = frames[table]
        assert list(df.columns) == [c for c, _ in cols], table
        assert [str(t) for t in df.dtypes] == [_expected_dtype(table, c, k) for c, k in cols], table
        if table not in ("notices", "tables", "texts"):
            assert list(df.columns[:2]) == ["sha256", "idx"]


def test_dates_are_datetimes_and_vocabularies_categoricals(records: list) -> None:  # type: ignore[type-arg]
    frames = to_frames(records)
    notices = frames["notices"]
    for rec, (_, row) in zip(records, notices.iterrows(), strict=True):
        if rec.date and rec.date.iso:
            assert row["date"] == pd.Timestamp(rec.date.iso)
        else:
            assert pd.isna(row["date"])  # a partial date ("ngày ... tháng 4 năm 2026") stays NaT
    assert frames["deadlines"]["date"].notna().all()
    assert list(frames["findings"]["kind"].cat.categories[:3]) == ["strength", "limitation", "cause"]
    assert "TB" in notices["doc_type"].cat.categories and "txt" in notices["format"].cat.categories
    assert list(frames["sections"]["kind"].cat.categories) == list(
        typing.get_args(Section.model_fields["kind"].annotation)
    )


def _constructed() -> Notice:
    text = "Bảng 1\nChỉ tiêu | Kết quả\nHồ sơ đúng hạn | 98%\nKý số: Sở Nội vụ"
    cell = text.index("98%")
    return Notice(
        source=Source(path="x.pdf", format="pdf", sha256="ab" * 32, pages=2),
        text=text,
        page_starts=[0, text.index("Ký số")],
        tables=[Table(rows=[[TableCell(text="Chỉ tiêu", span=(7, 15)), TableCell(text="Kết quả", span=(18, 25))],
                            [TableCell(text="Hồ sơ đúng hạn", span=(26, 40)), TableCell(text="98%", span=(cell, cell + 3))]],
                      span=(7, cell + 3), page=1)],
        kpis=[Kpi(label="Hồ sơ đúng hạn", value=98, unit="%", span=(cell, cell + 3), page=1)],
        signatures=[
            Signature(field="Sig1", signer="Nguyễn Văn A", kind="person", signed_at="2026-07-06T09:30:00+07:00",
                      intact=True, modified_after=False, span=(text.index("Ký số"), len(text))),
            Signature(field="Sig2", signer="Sở Nội vụ", kind="organization", signed_at=None, intact=False),
        ],
        warnings=["signature_modified_after_signing: Sig2", "a warning without a code"],
    )


def test_tables_signatures_and_warnings_frames() -> None:
    frames = to_frames([_constructed()])
    cells = frames["tables"]
    assert list(zip(cells["table_idx"], cells["row"], cells["col"], strict=True)) == [(0, 0, 0), (0, 0, 1), (0, 1, 0), (0, 1, 1)]
    assert cells.iloc[3]["text"] == "98%" and cells.iloc[3]["page"] == 1
    sig = frames["signatures"]
    assert sig.iloc[0]["signed_at"] == pd.Timestamp("2026-07-06T02:30:00Z")  # the instant, in UTC
    assert pd.isna(sig.iloc[1]["signed_at"]) and not sig.iloc[1]["intact"]
    assert sig.iloc[0]["page"] == 2 and list(sig["kind"]) == ["person", "organization"]
    w = frames["warnings"]
    assert list(w["code"].fillna("-")) == ["signature_modified_after_signing", "-"]
    assert list(w["message"]) == ["Sig2", "a warning without a code"]
    assert frames["notices"].iloc[0]["n_signatures"] == 2 and frames["notices"].iloc[0]["n_tables"] == 1
    assert to_frames([_constructed()], include_text=False)["texts"].empty


def test_row_counts_and_spans(records: list) -> None:  # type: ignore[type-arg]
    frames = to_frames(records)
    notices = frames["notices"].set_index("sha256")
    assert len(notices) == len(records)
    for rec in records:
        sha = rec.source.sha256
        row = notices.loc[sha]
        assert row["n_kpis"] == len(rec.kpis) == (frames["kpis"]["sha256"] == sha).sum()
        assert row["n_findings"] == len(rec.findings) == (frames["findings"]["sha256"] == sha).sum()
        assert row["n_references"] == len(rec.references) == (frames["references"]["sha256"] == sha).sum()
        assert row["n_deadlines"] == len(rec.deadlines) == (frames["deadlines"]["sha256"] == sha).sum()
        assert row["n_recipients"] == len(rec.recipients) == (frames["recipients"]["sha256"] == sha).sum()
        assert row["n_sections"] == (frames["sections"]["sha256"] == sha).sum()
        assert row["path"] == rec.source.path
        kpis = frames["kpis"][frames["kpis"]["sha256"] == sha]
        for k, (_, r) in zip(rec.kpis, kpis.iterrows(), strict=True):
            assert (r["span_start"], r["span_end"]) == k.span
            assert r["evidence"] == rec.text[k.span[0]:k.span[1]]


def test_sections_tree_and_finding_paths(records: list) -> None:  # type: ignore[type-arg]
    frames = to_frames(records)
    sec, fin = frames["sections"], frames["findings"]
    for sha, group in sec.groupby("sha256"):
        assert list(group["idx"]) == list(range(len(group)))
        parents = group["parent_idx"].dropna()
        assert (parents < group.loc[parents.index, "idx"]).all()  # pre-order: parent first
        paths = set(group["path"])
        assert set(fin[fin["sha256"] == sha]["section"]) <= paths | {""}


def test_empty_input_keeps_schema() -> None:
    frames = to_frames([])
    for table, cols in COLUMNS.items():
        assert frames[table].empty and list(frames[table].columns) == [c for c, _ in cols]
        assert [str(t) for t in frames[table].dtypes] == [_expected_dtype(table, c, k) for c, k in cols]
