"""to_frames: documented columns and dtypes, one row per item, spans kept."""

from __future__ import annotations

from pathlib import Path

import pytest

pd = pytest.importorskip("pandas")

from cchc_extract import parse_notice  # noqa: E402
from cchc_extract.frames import COLUMNS, TABLES, to_frames  # noqa: E402

CORPUS_TXT = sorted((Path(__file__).resolve().parents[1] / "corpus").glob("*.txt"))


@pytest.fixture(scope="module")
def records() -> list:  # type: ignore[type-arg]
    return [parse_notice(p) for p in CORPUS_TXT]


def test_tables_columns_and_dtypes(records: list) -> None:  # type: ignore[type-arg]
    frames = to_frames(records)
    assert tuple(frames) == TABLES == (
        "notices", "sections", "findings", "kpis", "references", "deadlines", "recipients",
    )
    for table, cols in COLUMNS.items():
        df = frames[table]
        assert list(df.columns) == [c for c, _ in cols], table
        assert [str(t) for t in df.dtypes] == [str(pd.Series([], dtype=d).dtype) for _, d in cols], table
        if table != "notices":
            assert list(df.columns[:2]) == ["sha256", "idx"]


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
        assert str(frames[table].dtypes.iloc[0]) == str(pd.Series([], dtype=cols[0][1]).dtype)
