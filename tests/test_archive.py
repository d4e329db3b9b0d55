"""DuckDB archive: idempotent, replaces changed files, whole documents only after a kill."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

duckdb = pytest.importorskip("duckdb")
pytest.importorskip("pandas")

from cchc_extract import parse_notice  # noqa: E402
from cchc_extract.archive import (  # noqa: E402
    ARCHIVE_COLUMNS,
    ARCHIVE_SCHEMA,
    SQL_TABLES,
    TEST_PAUSE_ENV,
    ArchiveError,
    archive,
    register,
)
from cchc_extract.frames import COLUMNS, to_frames  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPUS_TXT = sorted((ROOT / "corpus").glob("*.txt"))


def counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in SQL_TABLES.values()}
    finally:
        con.close()


def per_document(db: Path) -> dict[str, tuple[str, dict[str, int]]]:
    """path -> (sha256, rows per table) for every archived document."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for path, sha in con.execute("SELECT path, sha256 FROM notices").fetchall():
            out[path] = (sha, {
                t: con.execute(f"SELECT count(*) FROM {t} WHERE sha256 = ?", [sha]).fetchone()[0]
                for t in SQL_TABLES.values()
            })
        return out
    finally:
        con.close()


def expected_rows(path: Path) -> dict[str, int]:
    frames = to_frames([parse_notice(path)])
    return {SQL_TABLES[name]: len(df) for name, df in frames.items()}


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for p in CORPUS_TXT:
        shutil.copy(p, folder / p.name)
    return folder


def test_archive_twice_changes_nothing(docs: Path, tmp_path: Path) -> None:
    db = tmp_path / "a.duckdb"
    first = archive([docs], db, workers=2)
    assert (first.added, first.failed) == (len(CORPUS_TXT), [])
    before = counts(db)
    second = archive([docs], db, workers=2)
    assert (second.added, second.replaced, second.unchanged) == (0, 0, len(CORPUS_TXT))
    assert counts(db) == before
    assert before["notices"] == len(CORPUS_TXT) and before["kpis"] > 0
    for path, (_sha, rows) in per_document(db).items():
        assert rows == expected_rows(Path(path)), path


def test_changed_file_replaces_its_rows(docs: Path, tmp_path: Path) -> None:
    db = tmp_path / "a.duckdb"
    archive([docs], db, workers=1)
    target = docs / CORPUS_TXT[0].name
    old_sha = per_document(db)[str(target)][0]
    # New content at the same path: another seed's text.
    target.write_bytes(CORPUS_TXT[1].read_bytes() + b"\n\n")
    summary = archive([docs], db, workers=1)
    assert (summary.replaced, summary.unchanged, summary.added) == (1, len(CORPUS_TXT) - 1, 0)
    docs_now = per_document(db)
    assert len(docs_now) == len(CORPUS_TXT)
    new_sha, rows = docs_now[str(target)]
    assert new_sha != old_sha
    assert rows == expected_rows(target)
    con = duckdb.connect(str(db), read_only=True)
    for table in SQL_TABLES.values():
        assert con.execute(f"SELECT count(*) FROM {table} WHERE sha256 = ?", [old_sha]).fetchone()[0] == 0
    con.close()


def test_failures_are_reported_not_fatal(docs: Path, tmp_path: Path) -> None:
    (docs / "broken.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    db = tmp_path / "a.duckdb"
    summary = archive([docs], db, workers=1)
    assert summary.added == len(CORPUS_TXT)
    assert [Path(f.path).name for f in summary.failed] == ["broken.pdf"]
    assert summary.failed[0].error_type and summary.failed[0].message


def test_duplicate_content_is_stored_once(docs: Path, tmp_path: Path) -> None:
    shutil.copy(CORPUS_TXT[0], docs / "copy.txt")
    summary = archive([docs], tmp_path / "a.duckdb", workers=1)
    assert (summary.added, summary.duplicates) == (len(CORPUS_TXT), 1)


def test_parquet_export(docs: Path, tmp_path: Path) -> None:
    db, out = tmp_path / "a.duckdb", tmp_path / "pq"
    summary = archive([docs], db, parquet_dir=out, workers=2)
    assert sorted(p.name for p in summary.parquet) == sorted(f"{t}.parquet" for t in [*SQL_TABLES.values(), "failures"])
    con = duckdb.connect()
    n = con.execute(f"SELECT count(*) FROM read_parquet('{out / 'kpis.parquet'}')").fetchone()[0]
    assert n == counts(db)["kpis"]
    cols = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{out / 'refs.parquet'}')").fetchall()]
    assert cols == [c for c, _ in COLUMNS["references"]]


def test_schema_matches_frames(docs: Path, tmp_path: Path) -> None:
    db = tmp_path / "a.duckdb"
    archive([docs], db, workers=1)
    con = duckdb.connect(str(db), read_only=True)
    for frame, table in SQL_TABLES.items():
        cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
        assert cols == [c for c, _ in COLUMNS[frame]] + [c for c, _ in ARCHIVE_COLUMNS.get(frame, [])], table
    types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns "
                             "WHERE table_name = 'notices'").fetchall())
    assert types["date"] == "DATE" and types["year"] == "BIGINT"
    assert con.execute("SELECT data_type FROM information_schema.columns WHERE table_name = 'deadlines' "
                       "AND column_name = 'date'").fetchone()[0] == "DATE"
    assert con.execute("SELECT value FROM cchc_meta WHERE key = 'schema_version'").fetchone()[0] == str(ARCHIVE_SCHEMA)
    con.close()


_CHILD = """
import sys
from pathlib import Path
from cchc_extract.archive import archive
def progress(event, path):
    print(event, path, flush=True)
archive(sys.argv[2:], Path(sys.argv[1]), workers=1, progress=progress, batch_size=3)
"""


def test_killed_mid_run_leaves_whole_documents(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    originals: dict[str, Path] = {}
    for i in range(20):  # 20 distinct files: seed texts, each made unique by trailing blank lines
        src = CORPUS_TXT[i % len(CORPUS_TXT)]
        dst = folder / f"{i:02d}_{src.name}"
        dst.write_bytes(src.read_bytes() + b"\n" * (i + 1))
        originals[str(dst)] = src
    db = tmp_path / "k.duckdb"
    env = {**os.environ, TEST_PAUSE_ENV: "0.5"}  # each batch of 3 sleeps inside its transaction
    proc = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(db), str(folder)],
        stdout=subprocess.PIPE, text=True, env=env, start_new_session=True,
    )
    written = 0
    killed_mid_transaction = False
    deadline = time.monotonic() + 60
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            event = line.split(" ", 1)[0]
            written += event == "written"
            if written >= 3 and event == "begin":  # inside the second batch's transaction
                time.sleep(0.1)
                killed_mid_transaction = True
                break
            assert time.monotonic() < deadline, "archive subprocess too slow"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the run and its parse worker (our own session)
        proc.wait()
    assert killed_mid_transaction

    after_kill = per_document(db)
    assert len(after_kill) == written == 3  # the interrupted batch left nothing behind
    summary = archive([folder], db, workers=2)
    assert summary.unchanged == written and summary.added == 20 - written and not summary.failed

    fresh: dict[Path, dict[str, int]] = {}
    docs_now = per_document(db)
    assert len(docs_now) == 20
    for path, (_sha, rows) in docs_now.items():
        src = originals[path]
        if src not in fresh:
            fresh[src] = expected_rows(src)
        assert rows == fresh[src], path
    con = duckdb.connect(str(db), read_only=True)
    for table in SQL_TABLES.values():
        if table == "notices":
            continue
        key = {"cells": "sha256, table_idx, row, col", "texts": "sha256"}.get(table, "sha256, idx")
        dup = con.execute(
            f"SELECT count(*) FROM (SELECT {key} FROM {table} GROUP BY ALL HAVING count(*) > 1)"
        ).fetchone()[0]
        assert dup == 0, table
    con.close()


def test_cli_subcommand(docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    db = tmp_path / "c.duckdb"
    args: Any = parser.parse_args(["archive", str(docs), "--db", str(db), "--parquet", str(tmp_path / "pq"), "-j", "1"])
    assert args.func(args) == 0
    assert "archived 5 (" in capsys.readouterr().err
    assert (tmp_path / "pq" / "refs.parquet").is_file()
    args = parser.parse_args(["archive", str(tmp_path / "missing"), "--db", str(db)])
    assert args.func(args) == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    args = parser.parse_args(["archive", str(empty), "--db", str(db)])
    assert args.func(args) == 2 and "no .pdf, .docx, .txt, .doc, .rtf, .odt, .jpg, .jpeg, .png, .tif, .tiff files found" in capsys.readouterr().err


def test_warnings_failures_and_texts(docs: Path, tmp_path: Path) -> None:
    (docs / "broken.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    (docs / "notes.md").write_text("x", encoding="utf-8")
    db = tmp_path / "a.duckdb"
    summary = archive([docs], db, workers=1)
    assert [p.name for p in summary.skipped] == ["notes.md"]
    con = duckdb.connect(str(db), read_only=True)
    [(path, error_type, message)] = con.execute("SELECT path, error_type, message FROM failures").fetchall()
    assert path.endswith("broken.pdf") and error_type == "UnreadableDocumentError" and message
    n_warnings = con.execute("SELECT sum(n_warnings) FROM notices").fetchone()[0]
    assert con.execute("SELECT count(*) FROM warnings").fetchone()[0] == n_warnings > 0
    assert con.execute("SELECT count(*) FROM warnings WHERE code IS NULL OR message = ''").fetchone()[0] == 0
    # The stored text is the record's: every KPI's evidence is its span of the text.
    bad = con.execute(
        "SELECT count(*) FROM kpis k JOIN texts t USING (sha256) "
        "WHERE substr(t.text, k.span_start + 1, k.span_end - k.span_start) <> k.evidence"
    ).fetchone()[0]
    assert bad == 0 and con.execute("SELECT count(*) FROM texts").fetchone()[0] == len(CORPUS_TXT)
    con.close()
    # The broken file fixed: its failure row goes; without text, no texts rows for new documents.
    (docs / "broken.pdf").unlink()
    shutil.copy(CORPUS_TXT[0], docs / "fixed.txt")
    (docs / "fixed.txt").write_bytes((docs / "fixed.txt").read_bytes() + b"\n")
    archive([docs / "fixed.txt"], db, workers=1, include_text=False)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM failures WHERE path LIKE '%fixed%'").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM texts").fetchone()[0] == len(CORPUS_TXT)
    con.close()


# The layout archives had before the schema was versioned (cchc-extract 0.1.0, archive schema 1).
_V1 = {
    "notices": "sha256 VARCHAR, path VARCHAR, format VARCHAR, pages BIGINT, doc_type VARCHAR, doc_type_name VARCHAR, "
    "number_raw VARCHAR, number_seq BIGINT, issuer_name VARCHAR, issuer_parent VARCHAR, place VARCHAR, "
    "province VARCHAR, commune VARCHAR, date_iso VARCHAR, year BIGINT, month BIGINT, day BIGINT, title VARCHAR, "
    "period_year BIGINT, period_quarter BIGINT, period_half BIGINT, signer_name VARCHAR, signer_position VARCHAR, "
    "n_sections BIGINT, n_findings BIGINT, n_kpis BIGINT, n_references BIGINT, n_deadlines BIGINT, "
    "n_recipients BIGINT, n_warnings BIGINT, text_chars BIGINT, PRIMARY KEY (sha256)",
    "kpis": "sha256 VARCHAR, idx BIGINT, key VARCHAR, label VARCHAR, value DOUBLE, unit VARCHAR, numerator DOUBLE, "
    "denominator DOUBLE, qualifier VARCHAR, is_target BOOLEAN, unit_scope VARCHAR, evidence VARCHAR, "
    "span_start BIGINT, span_end BIGINT, page BIGINT",
    "recipients": "sha256 VARCHAR, idx BIGINT, recipient VARCHAR",
}


def test_an_older_archive_is_migrated(docs: Path, tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    for table, cols in _V1.items():
        con.execute(f"CREATE TABLE {table} ({cols})")
    target = docs / CORPUS_TXT[0].name
    sha = parse_notice(target).source.sha256
    con.execute("INSERT INTO notices (sha256, path, format, date_iso, year) VALUES (?, ?, 'txt', '2026-07-06', 2026)",
                [sha, str(target)])
    con.execute("INSERT INTO kpis (sha256, idx, value) VALUES (?, 0, 1.5)", [sha])
    con.close()

    summary = archive([docs], db, workers=1)
    assert summary.migrated_from == 1 and "migrated from archive schema 1" in summary.format()
    # The old document is parsed again (its rows predate the layout); the others are new.
    assert (summary.replaced, summary.added, summary.unchanged) == (1, len(CORPUS_TXT) - 1, 0)
    assert per_document(db)[str(target)] == (sha, expected_rows(target))
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT value FROM cchc_meta WHERE key = 'schema_version'").fetchone()[0] == str(ARCHIVE_SCHEMA)
    cols = [r[0] for r in con.execute("DESCRIBE notices").fetchall()]
    assert "date" in cols and "date_iso" not in cols
    con.close()
    assert archive([docs], db, workers=1).unchanged == len(CORPUS_TXT)


def test_a_newer_archive_is_refused_with_what_to_do(tmp_path: Path, docs: Path) -> None:
    db = tmp_path / "new.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE cchc_meta (key VARCHAR, value VARCHAR)")
    con.execute("INSERT INTO cchc_meta VALUES ('schema_version', ?)", [str(ARCHIVE_SCHEMA + 1)])
    con.close()
    with pytest.raises(ArchiveError, match=r"newer cchc-extract.*pip install -U"):
        archive([docs], db, workers=1)


def test_sql_command(docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from cchc_extract.cli import main

    db = tmp_path / "s.duckdb"
    archive([docs], db, workers=1)
    assert main(["sql", str(db), "SELECT doc_type, count(*) AS n FROM notices GROUP BY ALL ORDER BY n DESC"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["doc_type", "n"] and set(out[1]) <= {"-", " "} and out[-1].endswith("rows)")
    assert main(["sql", str(db), "SELECT path FROM notices ORDER BY path", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "path" and len(lines) == 1 + len(CORPUS_TXT)
    assert main(["sql", str(db), "SELECT date FROM notices WHERE date IS NOT NULL LIMIT 1", "--format", "jsonl"]) == 0
    assert json.loads(capsys.readouterr().out)["date"].count("-") == 2
    assert main(["sql", str(db), "SELECT nope FROM notices"]) == 1
    assert main(["sql", str(tmp_path / "missing.duckdb"), "SELECT 1"]) == 2


def test_cli_errors_file_lists_failures_and_skipped(docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from cchc_extract.cli import main

    (docs / "broken.pdf").write_bytes(b"%PDF-1.4 cut")
    (docs / "bundle.zip").write_bytes(b"PK\x05\x06" + bytes(18))
    errors = tmp_path / "errors.jsonl"
    code = main(["archive", str(docs), "--db", str(tmp_path / "e.duckdb"), "--errors", str(errors),
                 "-j", "1", "--timeout", "30", "--glob", "*"])
    assert code == 1
    err = capsys.readouterr().err
    assert re.search(r"error: .*broken\.pdf: UnreadableDocumentError: ", err)
    assert re.search(rf"^archived {len(CORPUS_TXT)} \(\d+ with warnings\), failed 1, skipped 1 \(\.zip 1\), ", err, re.M)
    rows = {Path(r["path"]).name: r["error"] for r in map(json.loads, errors.read_text("utf-8").splitlines())}
    assert rows == {"broken.pdf": "UnreadableDocumentError", "bundle.zip": "Skipped"}
