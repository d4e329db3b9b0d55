"""The worker pool behind ``parse_many`` and ``cchc-extract parse``: order, isolation, limits."""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from pathlib import Path

import pytest

from cchc_extract import Notice, NoticeError, UnreadableDocumentError, parse_notice, parse_notices
from cchc_extract.batch import (
    TEST_FAULTS_ENV,
    InternalParserError,
    ParseTimeoutError,
    ResourceLimitError,
    WorkerCrashError,
    _ErrorInfo,
    parse_many,
    run_in_workers,
)
from cchc_extract.errors import UnsupportedFormatError


@pytest.fixture
def txt_files(tmp_path: Path, sample_texts: list[str]) -> list[Path]:
    files = []
    for i in range(6):
        path = tmp_path / f"doc{i}.txt"
        path.write_text(sample_texts[i % len(sample_texts)], encoding="utf-8")
        files.append(path)
    return files


def _same(batch: Notice | NoticeError, direct: Notice | NoticeError) -> bool:
    if isinstance(batch, Notice) and isinstance(direct, Notice):
        return batch.model_dump_json() == direct.model_dump_json()
    return type(batch) is type(direct) and str(batch) == str(direct)


def _direct(path: Path) -> Notice | NoticeError:
    try:
        return parse_notice(path)
    except NoticeError as exc:
        return exc


def test_results_in_input_order_and_equal_to_direct_parse(tmp_path: Path, txt_files: list[Path]) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"GIF89a" + bytes(100))  # an image format that is not read
    paths = [txt_files[3], junk, tmp_path / "missing.txt", *txt_files]
    results = list(parse_many(paths, workers=2))
    assert [p for p, _ in results] == [*paths[:3], *txt_files[:3], *txt_files[4:]]  # each file once, as the CLI
    assert all(isinstance(p, Path) for p, _ in results)
    for path, value in results:
        assert _same(value, _direct(path)), path
    assert isinstance(results[1][1], UnsupportedFormatError)
    assert isinstance(results[2][1], UnreadableDocumentError)


def test_parse_notices_is_parse_many(txt_files: list[Path]) -> None:
    a = [(p, r.model_dump_json()) for p, r in parse_notices(txt_files[:3], workers=1) if isinstance(r, Notice)]
    b = [(p, r.model_dump_json()) for p, r in parse_many(txt_files[:3], workers=1) if isinstance(r, Notice)]
    assert a == b and len(a) == 3


def test_folders_and_globs_as_the_cli(tmp_path: Path, txt_files: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    """``parse_notices(["folder/"])`` gives the CLI's set of records on the same folder."""
    from cchc_extract.cli import main

    (tmp_path / "notes.md").write_text("x", encoding="utf-8")  # skipped by both
    out = tmp_path.parent / f"{tmp_path.name}-out"
    assert main(["parse", str(tmp_path), "--jsonl", str(out), "-q"]) == 0
    cli = sorted(out.read_text("utf-8").splitlines())
    api = sorted(r.model_dump_json() for _, r in parse_notices([f"{tmp_path}/"], workers=2) if isinstance(r, Notice))
    assert [json.loads(x) for x in api] == [json.loads(x) for x in cli] and len(api) == len(txt_files)
    globbed = [p for p, _ in parse_notices(str(tmp_path / "doc[12].*"), workers=1)]
    assert globbed == txt_files[1:3]
    assert [p for p, _ in parse_notices(tmp_path, glob="doc0*", workers=1)] == txt_files[:1]


def test_progress_bar(txt_files: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    results = list(parse_notices(txt_files[:2], workers=1, progress=True))
    assert len(results) == 2
    assert "2/2" in capsys.readouterr().err  # tqdm's bar (or the fallback) on stderr


def test_accepts_strings_and_empty_input(txt_files: list[Path]) -> None:
    assert list(parse_many([])) == []
    [(path, rec)] = parse_many([str(txt_files[0])])
    assert path == txt_files[0] and isinstance(rec, Notice)


@pytest.mark.parametrize("method", sorted(set(multiprocessing.get_all_start_methods()) & {"fork", "forkserver", "spawn"}))
def test_every_start_method_works(method: str, txt_files: list[Path]) -> None:
    results = list(parse_many(txt_files[:2], workers=2, start_method=method))
    assert all(isinstance(r, Notice) for _, r in results)


def test_hang_is_stopped_and_worker_replaced(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, txt_files: list[Path]
) -> None:
    monkeypatch.setenv(TEST_FAULTS_ENV, "hang=.hang.txt")
    hung = [tmp_path / "a.hang.txt", tmp_path / "b.hang.txt"]
    for p in hung:
        p.write_text("x", encoding="utf-8")
    # two hangs with one worker: the replacement must carry on with the files after them
    paths = [hung[0], txt_files[0], hung[1], *txt_files[1:4]]
    start = time.monotonic()
    results = dict(parse_many(paths, workers=1, timeout=0.8))
    elapsed = time.monotonic() - start
    first = results[hung[0]]
    assert isinstance(first, ParseTimeoutError) and "0.8 s" in first.message
    assert isinstance(results[hung[1]], ParseTimeoutError)
    assert all(isinstance(results[p], Notice) for p in paths if p not in hung)
    assert elapsed < 10
    assert multiprocessing.active_children() == []


def test_memory_hog_is_a_resource_limit(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, txt_files: list[Path]) -> None:
    monkeypatch.setenv(TEST_FAULTS_ENV, "hog=.hog.txt")
    hog = tmp_path / "big.hog.txt"
    hog.write_text("x", encoding="utf-8")
    results = dict(parse_many([hog, *txt_files[:2]], workers=1, max_memory_mb=1024))
    assert isinstance(results[hog], ResourceLimitError)
    assert all(isinstance(results[p], Notice) for p in txt_files[:2])


def test_dead_worker_is_reported_and_replaced(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, txt_files: list[Path]
) -> None:
    monkeypatch.setenv(TEST_FAULTS_ENV, "crash=.crash.txt")
    crash = tmp_path / "x.crash.txt"
    crash.write_text("x", encoding="utf-8")
    results = dict(parse_many([txt_files[0], crash, *txt_files[1:3]], workers=1))
    err = results[crash]
    assert isinstance(err, WorkerCrashError) and "signal 9" in err.message
    assert all(isinstance(results[p], Notice) for p in txt_files[:3])


def _raise_key_error(path: Path) -> None:
    raise KeyError(path.name)


def _echo(path: Path, suffix: str) -> str:
    return path.name + suffix


def test_unexpected_exception_is_an_internal_error(tmp_path: Path) -> None:
    [outcome] = run_in_workers([tmp_path / "a.txt"], _raise_key_error, workers=1)
    err = outcome.value
    assert isinstance(err, InternalParserError)
    assert err.message.startswith("KeyError")
    assert "_raise_key_error" in err.traceback  # type: ignore[attr-defined]


def test_run_in_workers_passes_kwargs_and_bounds_lookahead(tmp_path: Path) -> None:
    paths = [tmp_path / f"{i:03d}" for i in range(40)]
    outcomes = list(run_in_workers(paths, _echo, kwargs={"suffix": "!"}, workers=3, window=2))
    assert [o.index for o in outcomes] == list(range(40))
    assert [o.value for o in outcomes] == [f"{i:03d}!" for i in range(40)]


def test_closing_early_stops_workers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, txt_files: list[Path]) -> None:
    monkeypatch.setenv(TEST_FAULTS_ENV, "hang=.hang.txt")
    hung = tmp_path / "z.hang.txt"
    hung.write_text("x", encoding="utf-8")
    gen = parse_many([txt_files[0], hung, *txt_files[1:]], workers=2, timeout=60)
    path, rec = next(gen)
    assert path == txt_files[0] and isinstance(rec, Notice)
    gen.close()  # type: ignore[attr-defined]
    assert multiprocessing.active_children() == []


def test_error_info_round_trip() -> None:
    try:
        raise UnsupportedFormatError("/x/y.bin", "not a document")
    except NoticeError as exc:
        info = _ErrorInfo.from_exception(exc, Path("/x/y.bin"))
    err = info.rebuild()
    assert type(err) is UnsupportedFormatError
    assert (err.path, err.message, str(err)) == ("/x/y.bin", "not a document", "/x/y.bin: not a document")
    assert "UnsupportedFormatError" in err.traceback  # type: ignore[attr-defined]
    assert isinstance(_ErrorInfo.from_exception(MemoryError(), Path("p")).rebuild(), ResourceLimitError)


def _pid(path: Path) -> int:
    return os.getpid()


@pytest.mark.skipif("forkserver" not in multiprocessing.get_all_start_methods(), reason="no forkserver")
def test_idle_worker_is_kept_under_forkserver(tmp_path: Path) -> None:
    """A worker idle longer than its parent-alive poll is reused, not replaced (under forkserver
    its parent is the server process, not us)."""
    pids = []
    for outcome in run_in_workers([tmp_path / "a", tmp_path / "b"], _pid, workers=1, start_method="forkserver", window=1):
        pids.append(outcome.value)
        time.sleep(1.3)
    assert pids[0] == pids[1]
