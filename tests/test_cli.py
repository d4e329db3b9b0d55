"""``cchc-extract``: options, outputs, exit codes, --resume, determinism, limits, progress bar."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path

import pytest

from cchc_extract import Notice, __version__, parse_notice
from cchc_extract import cli as cli_module
from cchc_extract.batch import TEST_FAULTS_ENV
from cchc_extract.cli import main
from cchc_extract.output import dumps_line, dumps_pretty, write_atomic

Run = Callable[..., tuple[int, str, str]]
ERROR_LINE = re.compile(r"^error: (?P<path>.+?): (?P<type>\w+): (?P<message>.+)$")


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """Run ``main(args)`` in-process; return (exit code, stdout, stderr)."""

    def call(*args: str | Path) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return call


def _subprocess(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cchc_extract", *map(str, args)],
        capture_output=True, text=True, encoding="utf-8", timeout=120,
    )


@pytest.fixture
def seed_dir(tmp_path: Path, sample_texts: list[str]) -> Path:
    """Three text notices named like the shared seeds."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    for i in range(3):
        (folder / f"00{i}_seed.txt").write_text(sample_texts[i % len(sample_texts)], encoding="utf-8")
    return folder


@pytest.fixture
def mixed_dir(tmp_path: Path, sample_texts: list[str], make_docx: Callable[..., Path], good_pdf: bytes) -> Path:
    """Good files of all three formats, a name clash in subfolders, and broken files."""
    root = tmp_path / "in"
    (root / "a").mkdir(parents=True)
    (root / "b").mkdir()
    (root / "a" / "report.txt").write_text(sample_texts[0], encoding="utf-8")
    (root / "b" / "report.txt").write_text(sample_texts[-1], encoding="utf-8")
    (root / "notice.TXT").write_text(sample_texts[0][:2000], encoding="utf-8")
    make_docx(root / "plan.docx", sample_texts[0].splitlines()[:60])
    (root / "scan.pdf").write_bytes(good_pdf)
    (root / "corrupt.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\n" + os.urandom(300))
    (root / "empty.docx").write_bytes(b"")
    (root / "image.xyz").write_bytes(b"GIF89a" + bytes(64))  # skipped: unknown extension
    (root / ".hidden.txt").write_text("hidden", encoding="utf-8")  # ignored: hidden
    (root / "~$plan.docx").write_bytes(b"\x00" * 162)  # ignored: Office lock file
    return root


GOOD_TXT = ["a/report.txt", "b/report.txt", "notice.TXT"]


def _expected(path: Path) -> str:
    """'ok' or the error type a direct in-process parse gives: the batch must agree."""
    try:
        parse_notice(path)
    except Exception as exc:
        return type(exc).__name__
    return "ok"


# -- basics ----------------------------------------------------------------------------------


def test_help_is_cheap() -> None:
    code = (
        "import sys, time; t = time.process_time(); import cchc_extract.cli as c; c.build_parser(); "
        "print(time.process_time() - t); "
        "print([m for m in ('pdfplumber', 'docx', 'underthesea', 'regex', 'cchc_extract.pipeline') if m in sys.modules])"
    )
    best = min(
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()[0])
        for _ in range(3)
    )
    heavy = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()[1]
    assert heavy == "[]"
    assert best < 0.5
    proc = _subprocess("--help")
    assert proc.returncode == 0 and "parse" in proc.stdout and "schema" in proc.stdout


def test_version(run: Run) -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.strip() == f"cchc-extract {__version__}"


def test_no_command_is_usage_error(run: Run) -> None:
    code, _, err = run()
    assert code == 2 and "parse" in err


def test_schema(run: Run) -> None:
    code, out, _ = run("schema")
    assert code == 0 and json.loads(out) == Notice.model_json_schema()


def test_single_input_goes_to_stdout(run: Run, seed_dir: Path) -> None:
    path = seed_dir / "000_seed.txt"
    code, out, err = run("parse", path)
    assert code == 0
    record = parse_notice(path).model_dump(mode="json")
    assert out == json.dumps(record, ensure_ascii=False, indent=1) + "\n"
    assert list(json.loads(out)) == list(Notice.model_fields)  # the model's field order
    assert re.fullmatch(r"parsed 1 \(\d+ with warnings\), failed 0, skipped 0 in \d+\.\d s\n", err)


def test_several_inputs_need_o_or_jsonl(run: Run, seed_dir: Path) -> None:
    code, out, err = run("parse", seed_dir)
    assert code == 2 and out == ""
    assert "-o DIR" in err and "--jsonl" in err


def test_missing_path_is_usage_error(run: Run, tmp_path: Path) -> None:
    code, _, err = run("parse", tmp_path / "nope.txt", "-o", tmp_path / "out")
    assert code == 2 and "no such file or directory" in err


def test_bad_option_values(run: Run, seed_dir: Path) -> None:
    assert run("parse", seed_dir, "-o", seed_dir, "-j", "0")[0] == 2
    assert run("parse", seed_dir, "-o", seed_dir, "--timeout", "-1")[0] == 2
    code, _, err = run("parse", seed_dir, "--resume", "--jsonl", "-")
    assert code == 2 and "--resume needs -o" in err


def test_no_files_found_is_a_usage_error(run: Run, tmp_path: Path) -> None:
    code, out, err = run("parse", tmp_path, "-o", tmp_path / "out")
    assert code == 2 and out == "" and "no .pdf, .docx, .txt, .doc" in err
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    code, _, err = run("parse", tmp_path, "-o", tmp_path / "out", "-q")
    assert code == 2 and "skipped 1 (.md 1)" in err  # usage errors print even with -q
    code, _, err = run("parse", tmp_path / "*.pdf", "-o", tmp_path / "out")
    assert code == 2 and "no file or folder matches" in err


def test_skipped_files_are_counted_and_listed(run: Run, seed_dir: Path, tmp_path: Path) -> None:
    for name in ("notes.md", "sheet.XLSX", "sheet2.xlsx", "README"):
        (seed_dir / name).write_bytes(b"x")
    (seed_dir / "~$lock.docx").write_bytes(b"x")  # Office lock files and hidden files are ignored
    (seed_dir / ".hidden.txt").write_bytes(b"x")
    errors = tmp_path / "errors.jsonl"
    code, _, err = run("parse", seed_dir, "-o", tmp_path / "out", "--errors", errors)
    assert code == 0  # a skipped file is not a failure
    assert re.search(r"^parsed 3 \(\d+ with warnings\), failed 0, skipped 4 \(\.xlsx 2, \(none\) 1, \.md 1\) in ", err, re.M)
    rows = [json.loads(line) for line in errors.read_text("utf-8").splitlines()]
    assert sorted(Path(r["path"]).name for r in rows) == ["README", "notes.md", "sheet.XLSX", "sheet2.xlsx"]
    assert {r["error"] for r in rows} == {"Skipped"} and all(r["message"] for r in rows)


# -- outputs ---------------------------------------------------------------------------------


def test_named_files_land_as_stem_json(run: Run, seed_dir: Path, tmp_path: Path) -> None:
    """The referee runs ``parse ../shared/seeds/*.txt -o DIR`` and reads ``DIR/<stem>.json``."""
    (seed_dir / "x.v2.txt").write_text("THÔNG BÁO\nabc\n", encoding="utf-8")
    files = sorted(seed_dir.iterdir())
    out = tmp_path / "out"
    code, stdout, _ = run("parse", *files, "-o", out)
    assert code == 0 and stdout == ""
    assert sorted(p.name for p in out.iterdir()) == sorted(f.stem + ".json" for f in files)
    for f in files:
        text = (out / f"{f.stem}.json").read_text(encoding="utf-8")
        assert text == json.dumps(parse_notice(f).model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n"


def test_mixed_folder(run: Run, mixed_dir: Path, tmp_path: Path, readers_ready: set[str]) -> None:
    out = tmp_path / "out"
    errors = tmp_path / "errors.jsonl"
    code, _, err = run("parse", mixed_dir, "-o", out, "--errors", errors, "-j", "2")
    walked = ["a/report.txt", "b/report.txt", "corrupt.pdf", "empty.docx", "notice.TXT", "plan.docx", "scan.pdf"]
    expected = {rel: _expected(mixed_dir / rel) for rel in walked}
    assert all(expected[rel] == "ok" for rel in GOOD_TXT)
    assert expected["corrupt.pdf"] != "ok"
    for fmt, rel in (("docx", "plan.docx"), ("pdf", "scan.pdf")):
        if fmt in readers_ready:  # good files of every format parse once their reader exists
            assert expected[rel] == "ok", rel
    # every parsed file written once, mirrored below DIR, the clash kept apart
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == sorted(rel.rsplit(".", 1)[0] + ".json" for rel, e in expected.items() if e == "ok")
    assert json.loads((out / "a/report.json").read_text("utf-8"))["source"]["path"].endswith("a/report.txt")
    assert json.loads((out / "b/report.json").read_text("utf-8"))["source"]["path"].endswith("b/report.txt")
    # every failure: one line on stderr and one JSON line, with its type; no traceback
    lines = [ERROR_LINE.match(line) for line in err.splitlines() if line.startswith("error: ")]
    failures = {Path(m["path"]).relative_to(mixed_dir).as_posix(): m["type"] for m in lines if m}
    assert failures == {rel: e for rel, e in expected.items() if e != "ok"}
    assert "Traceback" not in err
    rows = [json.loads(line) for line in errors.read_text("utf-8").splitlines()]
    assert {Path(r["path"]).relative_to(mixed_dir).as_posix(): r["error"] for r in rows} == failures | {"image.xyz": "Skipped"}
    assert all(set(r) == {"path", "error", "message"} for r in rows)
    assert code == 1
    parsed = sum(e == "ok" for e in expected.values())
    assert re.search(rf"^parsed {parsed} \(\d+ with warnings\), failed {len(failures)}, skipped 1 \(\.xyz 1\) in \d+\.\d s$", err, re.M)


def test_unknown_extension_named_directly(run: Run, mixed_dir: Path) -> None:
    code, out, err = run("parse", mixed_dir / "image.xyz")
    assert code == 1 and out == ""
    match = ERROR_LINE.match(err.splitlines()[0])
    assert match and match["type"] == "UnsupportedFormatError"


def test_debug_shows_traceback(run: Run, mixed_dir: Path) -> None:
    _, _, err = run("parse", mixed_dir / "image.xyz", "--debug")
    assert "Traceback" in err


def test_same_stem_in_one_folder(run: Run, tmp_path: Path, sample_texts: list[str]) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "report.txt").write_text(sample_texts[0], encoding="utf-8")
    (src / "Report.pdf").write_text(sample_texts[0], encoding="utf-8")  # text named .pdf: parsed as text
    (src / "other.txt").write_text(sample_texts[0], encoding="utf-8")
    code, _, _ = run("parse", src, "-o", tmp_path / "out", "-q")
    assert code == 0  # report.json and Report.json would collide on a case-insensitive disk
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["Report.pdf.json", "other.json", "report.txt.json"]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a/x.txt").write_text("x", encoding="utf-8")
    (tmp_path / "b/x.txt").write_text("x", encoding="utf-8")
    code, _, err = run("parse", tmp_path / "a/x.txt", tmp_path / "b/x.txt", "-o", tmp_path / "out2")
    assert code == 2 and "would both be written" in err


def test_glob_and_extension_case(run: Run, tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    for name in ("tb_2026.TXT", "sub/bc_2026.txt", "tb_2025.txt", "kh_2026.md"):
        (src / name).write_text("THÔNG BÁO\n", encoding="utf-8")
    code, _, _ = run("parse", src, "-o", tmp_path / "out", "--glob", "*2026*", "-q")
    assert code == 0
    found = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.json"))
    assert found == ["sub/bc_2026.json", "tb_2026.json"]


def test_glob_matches_the_path_below_the_folder(run: Run, tmp_path: Path) -> None:
    src = tmp_path / "in"
    for name in ("2026/q1/tb.txt", "2026/bc.txt", "2025/tb.txt", "x_2026.txt"):
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text("THÔNG BÁO\n", encoding="utf-8")

    def parsed(*args: str | Path) -> list[str]:
        out = tmp_path / f"out{len(list(tmp_path.iterdir()))}"
        assert run("parse", *args, "-o", out, "-q")[0] == 0
        return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.json"))

    assert parsed(src, "--glob", "2026/*") == ["2026/bc.json", "2026/q1/tb.json"]
    assert parsed(src, "--glob", "*2026*") == ["2026/bc.json", "2026/q1/tb.json", "x_2026.json"]
    assert parsed(src, "--glob", "tb.txt") == ["2025/tb.json", "2026/q1/tb.json"]  # no '/': the name
    # A quoted glob is expanded like a folder, relative to its fixed part.
    assert parsed(f"{src}/2026/**/*.txt") == ["bc.json", "q1/tb.json"]


def test_jsonl(run: Run, seed_dir: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x7fELF" + bytes(50))
    inputs = [*sorted(seed_dir.iterdir()), junk]
    jsonl = tmp_path / "all.jsonl"
    code, out, _ = run("parse", *inputs, "--jsonl", jsonl, "-j", "2")
    assert code == 1 and out == ""
    lines = jsonl.read_text("utf-8").split("\n")
    assert lines[-1] == ""
    records = [Notice.model_validate_json(line) for line in lines[:-1]]
    assert [r.source.path for r in records] == [str(p) for p in inputs[:-1]]  # input order
    try:
        import jsonschema
    except ImportError:
        pass
    else:
        for line in lines[:-1]:
            jsonschema.validate(json.loads(line), Notice.model_json_schema())
    code, out, _ = run("parse", *inputs[:-1], "--jsonl", "-")
    assert code == 0 and out == jsonl.read_text("utf-8")


def test_no_text(run: Run, seed_dir: Path, tmp_path: Path) -> None:
    path = seed_dir / "000_seed.txt"
    code, out, _ = run("parse", path, "--no-text")
    assert code == 0
    record = json.loads(out)
    full = parse_notice(path).model_dump(mode="json")
    assert "text" not in record
    del full["text"]
    assert record == full


def test_quiet(run: Run, seed_dir: Path, tmp_path: Path) -> None:
    code, _, err = run("parse", seed_dir, "-o", tmp_path / "out", "-q")
    assert code == 0 and err == ""
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"MZ" + bytes(10))
    code, _, err = run("parse", bad, seed_dir, "-o", tmp_path / "out", "-q")
    assert code == 1 and len(err.splitlines()) == 1 and err.startswith(f"error: {bad}: UnsupportedFormatError: ")


def test_outputs_identical_for_j1_and_j2(run: Run, mixed_dir: Path, tmp_path: Path) -> None:
    trees = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        run("parse", mixed_dir, "-o", out, "-j", jobs, "--jsonl", tmp_path / f"{jobs}.jsonl")
        trees.append({p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert trees[0] == trees[1] and len(trees[0]) >= 3
    assert (tmp_path / "1.jsonl").read_bytes() == (tmp_path / "2.jsonl").read_bytes()


def test_no_temporary_files_left(run: Run, seed_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run("parse", seed_dir, "-o", out)
    run("parse", seed_dir, "-o", out)  # overwriting goes through os.replace too
    assert sorted(p.name for p in out.iterdir()) == ["000_seed.json", "001_seed.json", "002_seed.json"]


def test_output_helpers(tmp_path: Path) -> None:
    record = {"b": [1.5, float("nan")], "a": {"x": float("inf"), "y": "Thông báo"}}
    assert dumps_line(record) == '{"b":[1.5,null],"a":{"x":null,"y":"Thông báo"}}'
    assert dumps_pretty({"a": 1}) == '{\n "a": 1\n}\n'
    target = tmp_path / "deep" / "x.json"
    write_atomic(target, "é\n")
    assert target.read_bytes() == "é\n".encode()
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
    assert [p.name for p in target.parent.iterdir()] == ["x.json"]


# -- resume ----------------------------------------------------------------------------------


def test_resume_parses_only_what_is_missing_or_changed(run: Run, seed_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("parse", seed_dir, "-o", out)[0] == 0
    kept = out / "000_seed.json"
    stamp = kept.stat().st_mtime_ns
    (out / "001_seed.json").unlink()  # an interrupted run
    changed = seed_dir / "002_seed.txt"
    changed.write_text(changed.read_text("utf-8") + "\nThêm một dòng.\n", encoding="utf-8")
    code, _, err = run("parse", seed_dir, "-o", out, "--resume")
    assert code == 0
    assert re.search(r"^parsed 2 \(\d+ with warnings\), failed 0, skipped 0, 1 up to date in", err, re.M)
    assert kept.stat().st_mtime_ns == stamp
    assert json.loads((out / "002_seed.json").read_text("utf-8"))["text"].endswith("Thêm một dòng.")
    code, _, err = run("parse", seed_dir, "-o", out, "--resume")
    assert code == 0 and "parsed 0 (0 with warnings), failed 0, skipped 0, 3 up to date" in err


def test_resume_redoes_an_output_older_than_its_input(run: Run, seed_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run("parse", seed_dir, "-o", out, "-q")
    source = seed_dir / "000_seed.txt"
    later = time.time() + 100
    os.utime(source, (later, later))  # same bytes, newer file: the sha256 alone would accept it
    _, _, err = run("parse", seed_dir, "-o", out, "--resume")
    assert "parsed 1 " in err and "2 up to date" in err


# -- limits ----------------------------------------------------------------------------------


def test_timeout_stops_a_hanging_file(
    run: Run, monkeypatch: pytest.MonkeyPatch, seed_dir: Path, tmp_path: Path
) -> None:
    monkeypatch.setenv(TEST_FAULTS_ENV, "hang=.hang.txt,hog=.hog.txt")
    (seed_dir / "009.hang.txt").write_text("x", encoding="utf-8")
    (seed_dir / "010.hog.txt").write_text("x", encoding="utf-8")
    start = time.monotonic()
    code, _, err = run("parse", seed_dir, "-o", tmp_path / "out", "--timeout", "1", "--max-memory", "1024", "-j", "2")
    assert time.monotonic() - start < 15
    assert code == 1
    assert f"error: {seed_dir / '009.hang.txt'}: ParseTimeoutError: no result after 1 s" in err
    assert f"error: {seed_dir / '010.hog.txt'}: ResourceLimitError: " in err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["000_seed.json", "001_seed.json", "002_seed.json"]


# -- progress --------------------------------------------------------------------------------


def _run_with_stderr_on_pty(*args: str | Path) -> tuple[int, str]:
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "cchc_extract", *map(str, args)],
        stdout=subprocess.DEVNULL, stderr=slave, stdin=subprocess.DEVNULL,
    )
    os.close(slave)
    chunks = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    os.close(master)
    return proc.wait(timeout=30), b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_only_on_a_terminal(seed_dir: Path, tmp_path: Path) -> None:
    code, tty_err = _run_with_stderr_on_pty("parse", seed_dir, "-o", tmp_path / "out1")
    assert code == 0
    assert re.search(r"\[#+\] 3/3", tty_err), tty_err
    assert "\r" in tty_err and "parsed 3 " in tty_err
    proc = _subprocess("parse", seed_dir, "-o", tmp_path / "out2")
    assert proc.returncode == 0
    assert "\r" not in proc.stderr and "[" not in proc.stderr and proc.stderr.startswith("parsed 3 ")
    code, quiet_err = _run_with_stderr_on_pty("parse", seed_dir, "-o", tmp_path / "out3", "-q")
    assert code == 0 and quiet_err == ""


# -- extension point -------------------------------------------------------------------------


def test_other_modules_register_subcommands(monkeypatch: pytest.MonkeyPatch, run: Run) -> None:
    plugin = types.ModuleType("cchc_extract_test_plugin")

    def register(subparsers: object) -> None:
        p = subparsers.add_parser("hello", help="say hello")  # type: ignore[attr-defined]
        p.set_defaults(func=lambda args: print("hello") or 0)

    plugin.register = register  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, plugin.__name__, plugin)
    monkeypatch.setattr(cli_module, "SUBCOMMAND_MODULES", (plugin.__name__, "cchc_extract.no_such_module"))
    assert run("hello") == (0, "hello\n", "")
