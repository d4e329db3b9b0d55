"""Fuzz harness (run by hand, not in CI): ``parse_text`` on generated text, and ``parse_notice`` on
mutated DOCX/PDF bytes. The only acceptable outcomes are a ``Notice`` or a ``NoticeError``; any
other exception, or a parse slower than ``--time-limit``, is a finding. Findings are saved under
``fuzz/findings/`` (the input that triggered them) and the run stops with a non-zero status.

Engines: hypothesis (default; installed with the test extra, shrinks findings to a small
example) or atheris (``--atheris``; coverage-guided, needs ``pip install atheris``). See README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import random
import signal
import sys
import tempfile
import traceback
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import FrameType

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FINDINGS = HERE / "findings"
SEED_DIRS = (ROOT / "corpus", ROOT.parent / "shared" / "realworld")

FRAGMENTS = [
    "Số: ", "02/TB-TKT", "/BC-UBND", "THÔNG BÁO", "BÁO CÁO", "Kết luận kiểm tra", "UBND xã ", "ngày ",
    " tháng ", " năm 2026", "06/7/2026", "Căn cứ ", "Kế hoạch số 55/KH-UBND", "Nghị định số 118/2025/NĐ-CP",
    "I. ", "1. ", "a) ", "- ", "+ ", "Ưu điểm", "Hạn chế", "Kiến nghị", "đạt 99,6%", "3.067/3.080 hồ sơ",
    "xếp thứ 40/114", "trước ngày 30/8/2026", "Nơi nhận:", "TM. ỦY BAN NHÂN DÂN", "\n", "\n\n", "|", "\t",
]


class SlowParse(Exception):
    """A parse that took longer than the time limit (a hang or a quadratic path)."""


def _alarm(_signum: int, _frame: FrameType | None) -> None:
    raise SlowParse


def _save(kind: str, data: bytes, suffix: str, exc: BaseException) -> Path:
    FINDINGS.mkdir(exist_ok=True)
    name = f"{kind}-{type(exc).__name__}-{hashlib.sha256(data).hexdigest()[:12]}{suffix}"
    path = FINDINGS / name
    path.write_bytes(data)
    path.with_name(name + ".txt").write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
    return path


def check(kind: str, data: bytes, suffix: str, time_limit: int) -> None:
    """Parse ``data``; raise AssertionError (after saving the input) unless the outcome is clean."""
    from cchc_extract import NoticeError, parse_notice, parse_text

    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(time_limit)
    try:
        if kind == "text":
            parse_text(data.decode("utf-8", errors="surrogatepass"))
        else:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp, "input" + suffix)
                path.write_bytes(data)
                parse_notice(path)
    except NoticeError:
        pass
    except Exception as exc:  # the finding: anything else, including SlowParse
        saved = _save(kind, data, suffix, exc)
        raise AssertionError(f"{type(exc).__name__} on {saved}") from exc
    finally:
        signal.alarm(0)


def seeds(suffix: str) -> list[bytes]:
    found = [p for d in SEED_DIRS if d.is_dir() for p in sorted(d.glob(f"*{suffix}"))]
    if not found:
        sys.exit(f"no seed *{suffix} files in {', '.join(map(str, SEED_DIRS))}")
    return [p.read_bytes() for p in found]


def mutate_bytes(data: bytes, rng: random.Random, rounds: int) -> bytes:
    """Byte-level damage: flips, deletions, duplications, truncation."""
    buf = bytearray(data)
    for _ in range(rounds):
        if not buf:
            break
        op = rng.randrange(4)
        i = rng.randrange(len(buf))
        if op == 0:
            buf[i] ^= 1 << rng.randrange(8)
        elif op == 1:
            del buf[i : i + rng.randrange(1, 64)]
        elif op == 2:
            buf[i:i] = buf[i : i + rng.randrange(1, 256)]
        else:
            del buf[i:]
    return bytes(buf)


def mutate_docx(data: bytes, rng: random.Random, rounds: int) -> bytes:
    """Damage inside the zip (so the XML parsers see it, not just the zip CRC check)."""
    try:
        src = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return mutate_bytes(data, rng, rounds)
    out = io.BytesIO()
    with src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist()
        victim = rng.choice([n for n in names if n.endswith(".xml")] or names)
        for name in names:
            body = src.read(name)
            dst.writestr(name, mutate_bytes(body, rng, rounds) if name == victim else body)
    return out.getvalue()


def run_hypothesis(kind: str, examples: int, time_limit: int) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    common = settings(
        max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    if kind == "text":
        text = st.one_of(
            st.text(),
            st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=200).map("".join),
        )

        @common
        @given(text)
        def fuzz_text(value: str) -> None:
            check("text", value.encode("utf-8", errors="surrogatepass"), ".txt", time_limit)

        fuzz_text()
        return
    suffix = "." + kind
    pool = seeds(suffix)
    mutate: Callable[[bytes, random.Random, int], bytes] = mutate_docx if kind == "docx" else mutate_bytes

    @common
    @given(st.integers(0, len(pool) - 1), st.integers(0, 2**32 - 1), st.integers(1, 20))
    def fuzz_file(which: int, seed: int, rounds: int) -> None:
        check(kind, mutate(pool[which], random.Random(seed), rounds), suffix, time_limit)

    fuzz_file()


def run_atheris(kind: str, time_limit: int, argv: list[str]) -> None:
    import atheris

    suffix = ".txt" if kind == "text" else "." + kind

    def one_input(data: bytes) -> None:
        if kind == "text":
            fdp = atheris.FuzzedDataProvider(data)
            data = fdp.ConsumeUnicodeNoSurrogates(len(data)).encode("utf-8")
        check(kind, data, suffix, time_limit)

    with atheris.instrument_imports():
        import cchc_extract.pipeline  # noqa: F401
    atheris.Setup([sys.argv[0], *argv], one_input)
    atheris.Fuzz()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("target", choices=("text", "docx", "pdf"), help="what to fuzz")
    ap.add_argument("--examples", type=int, default=2000, help="hypothesis examples (default 2000)")
    ap.add_argument("--time-limit", type=int, default=20, help="seconds one parse may take (default 20)")
    ap.add_argument("--atheris", action="store_true", help="use atheris; extra arguments go to libFuzzer")
    args, rest = ap.parse_known_args()
    if args.atheris:
        run_atheris(args.target, args.time_limit, rest)
    else:
        if rest:
            ap.error(f"unrecognised arguments: {' '.join(rest)}")
        run_hypothesis(args.target, args.examples, args.time_limit)
        print(f"{args.target}: {args.examples} examples, no finding")
    return 0


if __name__ == "__main__":
    sys.exit(main())
