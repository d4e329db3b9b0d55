#!/usr/bin/env python3
"""Performance benchmark of cchc-extract: throughput, latency, memory, start-up, batch, scaling.

    python benchmarks/run.py                 # full run (a few minutes)
    python benchmarks/run.py --quick         # short run (well under a minute)
    python benchmarks/run.py --out bench.json
    python benchmarks/run.py --profile txt   # cProfile of TXT (or docx, pdf) parsing, by cumtime

Every in-process measurement runs in a fresh subprocess (``run.py --worker SPEC``) so that its
peak RSS is its own and a reader that crashes costs one figure, not the run. See README.md.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_lib as bl  # sibling module (this file is run as a script)

FORMATS = ("txt", "docx", "pdf")
FLOORS = {"pdf": ("pypdfium2", "pdfplumber"), "docx": ("python-docx",), "txt": ("txt-nfc",)}
LONG_SEED = "002_*.txt"


@dataclass(frozen=True)
class Plan:
    """How much to measure; ``--quick`` shrinks everything."""

    docs: int  # documents timed per format (in-process loop)
    cap_s: float  # ... or stop after this many seconds of timed passes
    plumber_docs: int  # pdfplumber is slow: fewer documents
    cmd_reps: int  # import / --help repetitions
    batch_files: int  # folder for the -j1 / -j2 speedup
    batch_reps: int
    rss_small: int  # TXT batch sizes for the memory-growth comparison
    rss_large: int
    long_factors: tuple[int, ...]
    long_reps: dict[int, int]


FULL = Plan(docs=1000, cap_s=35.0, plumber_docs=20, cmd_reps=7, batch_files=200, batch_reps=2,
            rss_small=200, rss_large=2000, long_factors=(1, 10, 50), long_reps={1: 15, 10: 4, 50: 2})
QUICK = Plan(docs=100, cap_s=4.0, plumber_docs=10, cmd_reps=3, batch_files=50, batch_reps=1,
             rss_small=30, rss_large=300, long_factors=(1, 10, 50), long_reps={1: 5, 10: 2, 50: 1})


def corpus_files(fmt: str) -> list[Path]:
    return sorted(bl.CORPUS.glob(f"*.{fmt}"))


# -- workers (subprocess side) -----------------------------------------------------------------


def worker_main(spec: dict[str, Any]) -> None:
    kind = spec["kind"]
    files = [Path(f) for f in spec.get("files", [])]
    if kind == "parse":
        res = bl.timed_loop(bl.parse_fn(), files, spec["docs"], spec["cap_s"], spec.get("min_passes", 3))
        bl.emit(res.summary())
    elif kind == "floor":
        res = bl.timed_loop(bl.floor_fn(spec["floor"]), files, spec["docs"], spec["cap_s"], spec.get("min_passes", 3))
        bl.emit(res.summary())
    elif kind == "scaling":
        reps = {int(k): int(v) for k, v in spec["reps"].items()}
        bl.emit(bl.scaling_run(Path(spec["seed"]), spec["factors"], reps, Path(spec["tmp"])))
    else:
        raise SystemExit(f"unknown worker kind {kind!r}")


def run_worker(spec: dict[str, Any], timeout: float = 600) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter; a failure becomes ``{"failed": message}``."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps(spec)]
    watch = bl.CpuWatch()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"failed": f"timed out after {timeout:g} s"}
    watch.stop()
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(bl.RESULT_PREFIX):
            result: dict[str, Any] = json.loads(line[len(bl.RESULT_PREFIX):])
            result["foreign_cores"] = watch.foreign_cores
            return result
    tail = " | ".join(proc.stderr.strip().splitlines()[-3:])
    return {"failed": f"exit {proc.returncode}: {tail[:400]}"}


# -- orchestration -----------------------------------------------------------------------------


def cli_command() -> list[str]:
    exe = Path(sys.executable).parent / "cchc-extract"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("cchc-extract")
    return [found] if found else [sys.executable, "-m", "cchc_extract"]


def say(text: str = "") -> None:
    print(text, flush=True)


def fmt_num(x: Any, digits: int = 1) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    if isinstance(x, float):
        return f"{x:,.{digits}f}"
    return str(x)


def measure_startup(plan: Plan) -> dict[str, Any]:
    py = sys.executable
    watch = bl.CpuWatch()
    base = bl.timed_cmd([py, "-c", "pass"], plan.cmd_reps)
    imp = bl.timed_cmd([py, "-c", "import cchc_extract"], plan.cmd_reps)
    helps = bl.timed_cmd([*cli_command(), "--help"], plan.cmd_reps)
    parse_help = bl.timed_cmd([*cli_command(), "parse", "--help"], plan.cmd_reps)
    return {
        "python_startup_s": base["median_s"],
        "import_s": max(0.0, imp["median_s"] - base["median_s"]),
        "import_wall_s": imp["median_s"],
        "import_rc": imp["returncode"],
        "help_s": helps["median_s"],
        "help_rc": helps["returncode"],
        "parse_help_s": parse_help["median_s"],
        "importtime_top": bl.importtime_top(py, "cchc_extract"),
        "foreign_cores": watch.stop().foreign_cores,
    }


def measure_formats(plan: Plan) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for fmt in FORMATS:
        files = corpus_files(fmt)
        say(f"  {fmt}: parse_notice over {len(files)} files x passes (target {plan.docs} docs, cap {plan.cap_s:g} s) ...")
        parse = run_worker({"kind": "parse", "files": [str(f) for f in files], "docs": plan.docs, "cap_s": plan.cap_s})
        # Floors run on the files that parsed, so that the ratios compare like with like.
        ok = [str(bl.CORPUS / name) for name in parse.get("per_file_ms_median", {})] or [str(f) for f in files]
        floors: dict[str, Any] = {}
        for floor in FLOORS[fmt]:
            slow = floor == "pdfplumber"
            say(f"  {fmt}: floor {floor} ...")
            floors[floor] = run_worker({
                "kind": "floor", "floor": floor, "files": ok,
                "docs": plan.plumber_docs if slow else plan.docs,
                "cap_s": plan.cap_s / 2,
                "min_passes": 1 if slow else 3,
            })
        out[fmt] = {"parse": parse, "floors": floors}
    return out


def measure_batch(plan: Plan, tmp: Path) -> dict[str, Any]:
    cli = cli_command()
    help_text = subprocess.run([*cli, "parse", "--help"], capture_output=True, text=True, check=False).stdout
    if "--jobs" not in help_text and " -j" not in help_text:
        return {"skipped": "cchc-extract parse has no -j/--jobs option"}
    mixed = [f for fmt in FORMATS for f in corpus_files(fmt)]
    folder = tmp / "batch_mixed"
    bl.replicate(mixed, plan.batch_files, folder)
    runs: dict[str, list[bl.TreeRun]] = {"1": [], "2": []}
    for rep in range(plan.batch_reps):
        for jobs in ("1", "2"):
            say(f"  batch: {plan.batch_files} mixed files, -j {jobs} (run {rep + 1}/{plan.batch_reps}) ...")
            outdir = tmp / f"out_mixed_{jobs}_{rep}"
            runs[jobs].append(bl.run_tree([*cli, "parse", str(folder), "-o", str(outdir), "-j", jobs], tmp))
            shutil.rmtree(outdir, ignore_errors=True)
    wall = {j: bl.median([r.wall_s for r in rs]) for j, rs in runs.items()}
    result: dict[str, Any] = {
        "files": plan.batch_files,
        "mix": {fmt: sum(1 for i in range(plan.batch_files) if mixed[i % len(mixed)].suffix == f".{fmt}") for fmt in FORMATS},
        "wall_j1_s": wall["1"],
        "wall_j2_s": wall["2"],
        "speedup": wall["1"] / wall["2"] if wall["2"] else math.nan,
        "runs": {j: [r.as_dict() for r in rs] for j, rs in runs.items()},
    }
    # Contention-robust companion figure: -j1's time outside worker CPU is the serial part (start-up,
    # fork, parent work); -j2 on an idle machine would take that plus its busiest worker's CPU.
    serial = bl.median([r.wall_s - sum(r.workers_cpu_s) for r in runs["1"]])
    busiest = bl.median([max(r.workers_cpu_s, default=math.nan) for r in runs["2"]])
    result["speedup_cpu_projection"] = wall["1"] / (serial + busiest) if serial + busiest > 0 else math.nan
    shutil.rmtree(folder, ignore_errors=True)

    txt = corpus_files("txt")
    rss: dict[str, Any] = {}
    for label, count in (("small", plan.rss_small), ("large", plan.rss_large)):
        folder = tmp / f"batch_txt_{count}"
        bl.replicate(txt, count, folder)
        say(f"  batch memory: {count} TXT files, -j 2 ...")
        outdir = tmp / f"out_txt_{count}"
        run = bl.run_tree([*cli, "parse", str(folder), "-o", str(outdir), "-j", "2"], tmp)
        rss[label] = {"files": count, "docs_per_s": count / run.wall_s, **run.as_dict()}
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(outdir, ignore_errors=True)
    small, large = rss["small"]["peak_rss_sum_mb"], rss["large"]["peak_rss_sum_mb"]
    rss["growth_mb"] = large - small
    rss["flat"] = large <= small * 1.10 + 10
    result["memory"] = rss
    return result


def measure_scaling(plan: Plan, tmp: Path) -> dict[str, Any]:
    seeds = sorted(bl.CORPUS.glob(LONG_SEED))
    if not seeds:
        return {"failed": f"no corpus/{LONG_SEED}"}
    say(f"  long documents: {seeds[0].name} body x {', '.join(map(str, plan.long_factors))} ...")
    res = run_worker({"kind": "scaling", "seed": str(seeds[0]), "factors": list(plan.long_factors),
                      "reps": {str(k): v for k, v in plan.long_reps.items()}, "tmp": str(tmp)})
    if "failed" in res:
        return res
    f = res["factors"]
    one = f["1"]["s_median"]
    for row in f.values():
        row["time_ratio"] = row["s_median"] / one
        row["size_ratio"] = row["chars"] / f["1"]["chars"]
    return res


# -- report ------------------------------------------------------------------------------------


def _g(d: dict[str, Any], *keys: str) -> Any:
    cur: Any = d
    for k in keys:
        if not isinstance(cur, dict) or k not in cur:
            return None
        cur = cur[k]
    return cur


def _ratio(a: Any, b: Any) -> float | None:
    if a is None or b is None or not b:
        return None
    return float(a) / float(b)


BUSY_CORES = 0.3
"""Other processes using more than this many cores during a measurement make it "disturbed"."""


def _busy_note(*values: Any) -> str:
    busy = [float(v) for v in values if isinstance(v, (int, float))]
    worst = max(busy, default=0.0)
    return f"machine busy: others used {worst:.1f} cores" if worst > BUSY_CORES else ""


def targets(res: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(target, measured, status, note) rows; status is pass / miss / n/a."""
    fm = res.get("formats", {})
    rows: list[tuple[str, str, str, str]] = []

    def row(name: str, value: float | None, ok: bool | None, shown: str, *notes: str) -> None:
        status = "n/a" if value is None or ok is None else ("pass" if ok else "miss")
        rows.append((name, shown if value is not None else "-", status, "; ".join(n for n in notes if n)))

    def busy(fmt: str, *floors: str) -> str:
        return _busy_note(_g(fm, fmt, "parse", "foreign_cores"),
                          *[_g(fm, fmt, "floors", f, "foreign_cores") for f in floors])

    pdf_ms = _g(fm, "pdf", "parse", "ms_per_doc_median")
    pdfium_ms = _g(fm, "pdf", "floors", "pypdfium2", "ms_per_doc_median")
    plumber_ms = _g(fm, "pdf", "floors", "pdfplumber", "ms_per_doc_median")
    docx_ms = _g(fm, "docx", "parse", "ms_per_doc_median")
    pydocx_ms = _g(fm, "docx", "floors", "python-docx", "ms_per_doc_median")
    r = _ratio(pdf_ms, pdfium_ms)
    row("PDF parse / pypdfium2 raw text <= 2x", r, r is not None and r <= 2, f"{r:.1f}x" if r else "",
        _fail_note(fm, "pdf"), busy("pdf", "pypdfium2"))
    r = _ratio(plumber_ms, pdf_ms)
    row("pdfplumber extract_text / PDF parse >= 3x", r, r is not None and r >= 3, f"{r:.2f}x" if r else "",
        _fail_note(fm, "pdf"), busy("pdf", "pdfplumber"))
    r = _ratio(docx_ms, pydocx_ms)
    row("DOCX parse / python-docx iterate <= 2x", r, r is not None and r <= 2, f"{r:.1f}x" if r else "",
        _fail_note(fm, "docx"), busy("docx", "python-docx"))
    v = _g(fm, "txt", "parse", "docs_per_s_median")
    row("TXT docs/s >= 200 (one core)", v, v is not None and v >= 200, f"{v:.0f} docs/s" if v else "",
        _fail_note(fm, "txt"), busy("txt"))
    st = res.get("startup", {})
    v = st.get("import_s")
    row("import cchc_extract <= 0.3 s", v, v is not None and v <= 0.3, f"{v:.3f} s" if v is not None else "",
        _busy_note(st.get("foreign_cores")))
    v = st.get("help_s")
    ok = v is not None and v <= 0.5 and st.get("help_rc") == 0
    row("cchc-extract --help <= 0.5 s", v, ok, f"{v:.3f} s" if v is not None else "",
        "" if st.get("help_rc", 0) == 0 else f"exit {st.get('help_rc')}", _busy_note(st.get("foreign_cores")))
    b = res.get("batch", {})
    v = b.get("speedup")
    runs = [r for rs in b.get("runs", {}).values() for r in rs]
    fails = sum(r["error_lines"] for r in runs)
    row("batch -j2 / -j1 speedup >= 1.7x", v, v is not None and v >= 1.7, f"{v:.2f}x" if v else "",
        b.get("skipped", ""), f"{fails} file errors over all runs" if fails else "",
        _busy_note(*[r.get("foreign_cores") for r in runs]))
    mem = b.get("memory", {})
    v = _g(mem, "large", "peak_rss_sum_mb")
    small = _g(mem, "small", "peak_rss_sum_mb")
    ok = v is not None and v < 300 and bool(mem.get("flat"))
    shown = (f"{v:.0f} MB @{mem['large']['files']} vs {small:.0f} MB @{mem['small']['files']}"
             if v is not None and small is not None else "")
    row("batch RSS (parent+workers) < 300 MB, flat", v, ok, shown,
        f"PSS {_g(mem, 'large', 'peak_pss_sum_mb')} MB" if v is not None else "")
    scaling = res.get("scaling", {})
    sc = scaling.get("factors", {})
    r10 = _g(sc, "10", "time_ratio")
    row("long report 10x size costs <= 12x", r10, r10 is not None and r10 <= 12, f"{r10:.1f}x" if r10 else "",
        scaling.get("failed", ""), _busy_note(scaling.get("foreign_cores")))
    r50 = _g(sc, "50", "time_ratio")
    row("long report 50x size costs <= 60x", r50, r50 is not None and r50 <= 60, f"{r50:.1f}x" if r50 else "",
        _busy_note(scaling.get("foreign_cores")))
    return rows


def _fail_note(fm: dict[str, Any], fmt: str) -> str:
    p = _g(fm, fmt, "parse") or {}
    if "failed" in p:
        return "worker failed: " + str(p["failed"])[:80]
    errs = p.get("errors") or {}
    if errs:
        first = next(iter(errs.values()))
        return f"{len(errs)}/{len(errs) + p.get('files', 0)} files failed: {first[:70]}"
    return ""


def print_report(res: dict[str, Any]) -> None:
    m = res["machine"]
    say()
    say("=" * 100)
    say(f"cchc-extract benchmark ({res['mode']})  {m['date']}")
    say(f"machine: {m['cpu']}, {m['cores_usable']} usable / {m['cores_logical']} logical cores, "
        f"{m['python']}, {m['platform']}")
    say(f"load avg at start: {m['load_avg_at_start']}; git {m['git']}; "
        + ", ".join(f"{k} {v}" for k, v in m["versions"].items()))
    say("=" * 100)

    st = res.get("startup", {})
    if st:
        say(f"\nStart-up (fresh subprocess, median of {res['plan']['cmd_reps']})")
        say(f"  python -c pass                 {st['python_startup_s']:.3f} s")
        say(f"  import cchc_extract (net)      {st['import_s']:.3f} s   (wall {st['import_wall_s']:.3f} s)")
        say(f"  cchc-extract --help            {st['help_s']:.3f} s")
        say(f"  cchc-extract parse --help      {st['parse_help_s']:.3f} s   (busy {fmt_num(st.get('foreign_cores'), 2)})")
        say("  largest imports (-X importtime, cumulative): "
            + ", ".join(f"{n} {t * 1000:.0f} ms" for n, t in st["importtime_top"][:6]))

    fm = res.get("formats", {})
    if fm:
        say("\nIn-process parse_notice, corpus replicated (passes over the files; median / p95 over passes)")
        hdr = (f"  {'what':<24}{'files':>6}{'docs':>7}{'docs/s':>9}{'docs/s p95':>11}{'ms/doc':>9}{'p95':>8}"
               f"{'ms/page':>9}{'p95':>8}{'doc max':>9}{'peak RSS':>10}{'busy':>6}{'cpu ms/doc':>11}")
        say(hdr)
        for fmt in FORMATS:
            entry = fm.get(fmt, {})
            for name, d in [(f"{fmt} parse_notice", entry.get("parse", {})),
                            *[(f"{fmt} floor: {k}", v) for k, v in entry.get("floors", {}).items()]]:
                if "failed" in d:
                    say(f"  {name:<24}FAILED: {d['failed'][:70]}")
                    continue
                if not d.get("passes"):
                    say(f"  {name:<24}{d.get('files', 0):>6}  no file could be read: "
                        + (next(iter(d.get("errors", {}).values()), "")[:60]))
                    continue
                say(f"  {name:<24}{d['files']:>6}{d['docs_timed']:>7}{fmt_num(d['docs_per_s_median']):>9}"
                    f"{fmt_num(d['docs_per_s_p95']):>11}{fmt_num(d['ms_per_doc_median'], 2):>9}"
                    f"{fmt_num(d['ms_per_doc_p95'], 2):>8}{fmt_num(d['ms_per_page_median'], 2):>9}"
                    f"{fmt_num(d['ms_per_page_p95'], 2):>8}{fmt_num(d['single_doc_ms_max'], 1):>9}"
                    f"{fmt_num(d['peak_rss_mb']):>7} MB{fmt_num(d.get('foreign_cores'), 1):>6}"
                    f"{fmt_num(d.get('cpu_ms_per_doc_median'), 2):>11}")
                if d.get("errors"):
                    say(f"  {'':<24}{len(d['errors'])} file(s) failed and were left out, e.g. "
                        + next(iter(d["errors"].values()))[:90])
        say("  (TXT and DOCX have no pages: ms/page is '-', read ms/doc; peak RSS = VmHWM of the worker process;")
        say("   busy = cores other processes on the machine kept busy meanwhile: > 0.3 means the figure is disturbed;")
        say("   cpu ms/doc = process CPU time per document, median over passes: less sensitive to a busy machine)")
        say("\n  Floors, side by side (median ms/doc on the same files)")
        pairs = [("pdf", "pypdfium2", "PDF parse / pypdfium2 raw text"),
                 ("pdf", "pdfplumber", "pdfplumber extract_text / PDF parse"),
                 ("docx", "python-docx", "DOCX parse / python-docx iterate"),
                 ("txt", "txt-nfc", "TXT parse / read + NFC")]
        for fmt, floor, label in pairs:
            a = _g(fm, fmt, "parse", "ms_per_doc_median")
            b = _g(fm, fmt, "floors", floor, "ms_per_doc_median")
            r = _ratio(b, a) if floor == "pdfplumber" else _ratio(a, b)
            say(f"  {label:<40} parse {fmt_num(a, 2):>8} ms   {floor} {fmt_num(b, 2):>8} ms   "
                f"ratio {fmt_num(r, 2)}x")

    b = res.get("batch", {})
    if b:
        say(f"\nBatch CLI (cchc-extract parse DIR -o OUT -j N; wall time, median of {res['plan']['batch_reps']})")
        if "skipped" in b:
            say(f"  skipped: {b['skipped']}")
        else:
            mix = ", ".join(f"{v} {k}" for k, v in b["mix"].items())
            say(f"  {b['files']} files ({mix})")
            for j in ("1", "2"):
                last = b["runs"][j][-1]
                say(f"  -j {j}: {b[f'wall_j{j}_s']:.2f} s  ({b['files'] / b[f'wall_j{j}_s']:.1f} docs/s)  "
                    f"exit {last['returncode']}, {last['error_lines']} file errors, "
                    f"peak RSS sum {last['peak_rss_sum_mb']:.0f} MB, CPU {last['cpu_cores_used']} cores "
                    f"(parent {last['parent_cpu_s']:.1f} s, workers "
                    f"{', '.join(f'{x:.1f}' for x in last['workers_cpu_s'])} s), busy {fmt_num(last['foreign_cores'], 2)}")
                if last["error_lines"]:
                    say(f"        e.g. {last['stderr_tail'].splitlines()[0][:110]}")
            say(f"  speedup -j2 vs -j1: {b['speedup']:.2f}x   (projection from CPU times for an idle machine: "
                f"{fmt_num(b.get('speedup_cpu_projection'), 2)}x)")
            mem = b["memory"]
            say("  memory over a larger TXT batch (-j 2; summed over parent + workers, sampled every 100 ms):")
            for label in ("small", "large"):
                d = mem[label]
                say(f"    {d['files']:>5} files: {d['wall_s']:.1f} s ({d['docs_per_s']:.0f} docs/s), "
                    f"peak RSS sum {d['peak_rss_sum_mb']:.0f} MB (PSS {d['peak_pss_sum_mb']:.0f} MB), "
                    f"parent HWM {d['parent_hwm_mb']:.0f} MB, workers HWM "
                    f"{', '.join(f'{x:.0f}' for x in d['worker_hwm_mb'])} MB; "
                    f"RSS sum at 25% {d['rss_sum_at_25pct_mb']:.0f} / 90% {d['rss_sum_at_90pct_mb']:.0f} MB"
                    + (f"; exit {d['returncode']}, {d['error_lines']} errors" if d["returncode"] else ""))
            say(f"    growth small -> large: {mem['growth_mb']:+.0f} MB -> {'flat' if mem['flat'] else 'GROWS'}")

    sc = res.get("scaling", {})
    if sc:
        say(f"\nSingle long documents (TXT, body of {sc.get('seed', LONG_SEED)} repeated; parse_notice, median)")
        if "failed" in sc:
            say(f"  FAILED: {sc['failed']}")
        else:
            for k, d in sc["factors"].items():
                say(f"  {k + 'x':>4}: {d['chars']:>9,} chars  {d['s_median'] * 1000:>9.1f} ms  "
                    f"time {d['time_ratio']:>5.1f}x for size {d['size_ratio']:>5.1f}x   "
                    f"({d['kpis']} KPIs, {d['findings']} findings, {d['deadlines']} deadlines; n={d['reps']})")
            say(f"  worker peak RSS {sc['peak_rss_mb']:.0f} MB")

    rows = res["targets"]
    say("\nTargets")
    w = max(len(r[0]) for r in rows) + 2
    mw = max(len(r[1]) for r in rows) + 2
    say(f"  {'target':<{w}}{'measured':<{mw}}{'result':<8}note")
    say(f"  {'-' * (w - 2):<{w}}{'-' * (mw - 2):<{mw}}{'------':<8}----")
    for name, measured, status, note in rows:
        say(f"  {name:<{w}}{measured:<{mw}}{status:<8}{note}")
    if any("machine busy" in r[3] for r in rows):
        say("\n  Some figures were measured while other processes used the CPU (see 'busy'): rerun on a quiet")
        say("  machine (or the affected part alone, e.g. --only batch) before trusting a miss.")
    say(f"\n  {sum(r[2] == 'pass' for r in rows)} pass, {sum(r[2] == 'miss' for r in rows)} miss, "
        f"{sum(r[2] == 'n/a' for r in rows)} n/a; total run time {res['elapsed_s']:.0f} s")


# -- profile -----------------------------------------------------------------------------------


def profile(fmt: str, passes: int, top: int) -> None:
    """cProfile of parse_notice over the corpus files of ``fmt`` (after a warm-up pass)."""
    import cProfile
    import pstats

    import cchc_extract

    files = corpus_files(fmt)
    for f in files:
        try:
            cchc_extract.parse_notice(f)
        except Exception as exc:
            say(f"{f.name}: {type(exc).__name__}: {exc}")
            return
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(passes):
        for f in files:
            cchc_extract.parse_notice(f)
    prof.disable()
    stats = pstats.Stats(prof)
    total = max(getattr(stats, "total_tt", 0.0), 1e-9)
    say(f"{fmt}: {passes} passes x {len(files)} files, {total:.2f} s profiled")
    rows = []
    for (file, line, func), (_cc, nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        where = f"{Path(file).parent.name}/{Path(file).name}:{line}" if file != "~" else "~"
        rows.append((ct, tt, nc, f"{where}({func})"))
    rows.sort(reverse=True)
    say(f"{'cum %':>6}{'cum s':>8}{'self s':>8}{'calls':>10}  function")
    for ct, tt, nc, name in rows[:top]:
        say(f"{100 * ct / total:>6.1f}{ct:>8.3f}{tt:>8.3f}{nc:>10}  {name}")


# -- main --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="short run: fewer documents and repetitions")
    ap.add_argument("--out", metavar="FILE.json", help="also write every figure to FILE.json")
    ap.add_argument("--only", action="append", choices=("startup", "formats", "batch", "scaling"),
                    help="run only these parts (repeatable); default all")
    ap.add_argument("--profile", choices=FORMATS, help="print a cProfile of parsing this format and exit")
    ap.add_argument("--passes", type=int, default=20, help="with --profile: passes over the files (default 20)")
    ap.add_argument("--top", type=int, default=40, help="with --profile: rows to print (default 40)")
    ap.add_argument("--wait-quiet", type=float, default=0.0, metavar="S",
                    help="before each part, wait up to S seconds for other processes to leave the CPU idle")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        worker_main(json.loads(args.worker))
        return 0
    if args.profile:
        profile(args.profile, args.passes, args.top)
        return 0

    plan = QUICK if args.quick else FULL
    parts = set(args.only or ("startup", "formats", "batch", "scaling"))
    started = time.perf_counter()
    res: dict[str, Any] = {"mode": "quick" if args.quick else "full", "machine": bl.machine_info(),
                           "plan": {k: v for k, v in plan.__dict__.items() if k != "long_reps"}}
    say(f"cchc-extract benchmark, {res['mode']} mode; corpus {bl.CORPUS}")
    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as tmpname:
        tmp = Path(tmpname)
        for part in ("startup", "formats", "scaling", "batch"):
            if part not in parts:
                continue
            if args.wait_quiet > 0:
                load = bl.wait_quiet(args.wait_quiet)
                say(f"  (other processes use {load:.2f} cores before '{part}')")
            if part == "startup":
                say("  start-up: import and --help ...")
                res["startup"] = measure_startup(plan)
            elif part == "formats":
                res["formats"] = measure_formats(plan)
            elif part == "scaling":
                res["scaling"] = measure_scaling(plan, tmp)
            else:
                res["batch"] = measure_batch(plan, tmp)
    res["elapsed_s"] = time.perf_counter() - started
    res["targets"] = targets(res)
    print_report(res)
    if args.out:
        Path(args.out).write_text(json.dumps(res, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
        say(f"\nfigures written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
