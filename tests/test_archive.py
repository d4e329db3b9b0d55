"""DuckDB archive: idempotent, replaces changed files, whole documents only after a kill."""

from __future__ import annotations

import os
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
from cchc_extract.archive import SQL_TABLES, TEST_PAUSE_ENV, archive, register  # noqa: E402
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
    assert sorted(p.name for p in summary.parquet) == sorted(f"{t}.parquet" for t in SQL_TABLES.values())
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
        assert cols == [c for c, _ in COLUMNS[frame]], table
    con.close()


_CHILD = """
import sys
from pathlib import Path
from cchc_extract.archive import archive
def progress(event, path):
    print(event, path, flush=True)
archive(sys.argv[2:], Path(sys.argv[1]), workers=1, progress=progress)
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
    env = {**os.environ, TEST_PAUSE_ENV: "0.5"}  # each document sleeps inside its transaction
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
            if written >= 3 and event == "begin":  # inside the 4th document's transaction
                time.sleep(0.1)
                killed_mid_transaction = True
                break
            assert time.monotonic() < deadline, "archive subprocess too slow"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the run and its parse worker (our own session)
        proc.wait()
    assert killed_mid_transaction

    after_kill = per_document(db)
    assert len(after_kill) == written  # the interrupted document left nothing behind
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
        dup = con.execute(
            f"SELECT count(*) FROM (SELECT sha256, idx FROM {table} GROUP BY ALL HAVING count(*) > 1)"
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
    assert "5 added" in capsys.readouterr().out
    assert (tmp_path / "pq" / "refs.parquet").is_file()
    args = parser.parse_args(["archive", str(tmp_path / "missing"), "--db", str(db)])
    assert args.func(args) == 2
