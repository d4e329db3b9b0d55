"""Measurement helpers for ``benchmarks/run.py``: statistics, memory, process trees, workloads.

Everything that runs *inside* a measurement subprocess (``run.py --worker SPEC``) lives here:
timed loops over files (:func:`timed_loop`), the parse and "floor" functions they call, the
long-document scaling run, and the process-tree sampler used for the batch CLI.
"""

from __future__ import annotations

import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import regex

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
RESULT_PREFIX = "BENCH-RESULT "

PageFn = Callable[[Path], "int | None"]
"""A measured operation on one file; returns its page count (None: not paged)."""


# -- statistics --------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile, ``q`` in [0, 100] (numpy's default method)."""
    if not values:
        return math.nan
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100.0
    lo = math.floor(pos)
    hi = math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


# -- memory ------------------------------------------------------------------------------------


def _status_kb(pid: int | str, key: str) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def _pss_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM; ru_maxrss where /proc is missing), in MiB."""
    hwm = _status_kb("self", "VmHWM")
    if hwm is not None:
        return hwm / 1024.0
    import resource

    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maxrss / (1024.0 * 1024.0) if sys.platform == "darwin" else maxrss / 1024.0


def current_rss_mb() -> float:
    rss = _status_kb("self", "VmRSS")
    return rss / 1024.0 if rss is not None else math.nan


# -- CPU accounting (is somebody else using the machine?) ------------------------------------


def _system_busy_s() -> float | None:
    """CPU seconds all processes on the machine have used since boot (from /proc/stat)."""
    try:
        with open("/proc/stat", encoding="ascii") as fh:
            fields = fh.readline().split()
    except OSError:
        return None
    if not fields or fields[0] != "cpu":
        return None
    user, nice, system, _idle, _iowait, irq, softirq, *rest = (int(x) for x in fields[1:])
    steal = rest[0] if rest else 0
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _own_cpu_s() -> float:
    """CPU seconds of this process and its waited-for children (the sampler included)."""
    import resource

    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


class CpuWatch:
    """CPU used by us (this process and waited-for children) vs by the whole machine.

    ``foreign_cores`` is the average number of cores other processes kept busy meanwhile: the
    figures measured during the interval are unreliable when it is large (shared machine).
    """

    def __init__(self) -> None:
        self.t0 = time.perf_counter()
        self.sys0 = _system_busy_s()
        self.own0 = _own_cpu_s()
        self.wall = self.own = math.nan
        self.foreign_cores: float | None = None

    def stop(self) -> CpuWatch:
        self.wall = time.perf_counter() - self.t0
        self.own = _own_cpu_s() - self.own0
        sys1 = _system_busy_s()
        if self.sys0 is not None and sys1 is not None and self.wall > 0:
            self.foreign_cores = max(0.0, (sys1 - self.sys0 - self.own) / self.wall)
        return self

    def as_dict(self) -> dict[str, Any]:
        return {
            "cpu_s": round(self.own, 3),
            "cpu_cores_used": round(self.own / self.wall, 2) if self.wall else None,
            "foreign_cores": round(self.foreign_cores, 2) if self.foreign_cores is not None else None,
        }


def wait_quiet(max_wait_s: float, threshold: float = 0.3) -> float:
    """Wait (up to ``max_wait_s``) until other processes use less than ``threshold`` cores.

    Returns the foreign load of the last one-second probe (cores).
    """
    deadline = time.monotonic() + max_wait_s
    while True:
        before = _system_busy_s()
        time.sleep(1.0)
        after = _system_busy_s()
        load = (after - before) if before is not None and after is not None else 0.0
        if load < threshold or time.monotonic() >= deadline:
            return load


# -- machine -----------------------------------------------------------------------------------


def machine_info() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        usable = os.cpu_count() or 1
    versions: dict[str, str] = {}
    from importlib.metadata import PackageNotFoundError, version

    for dist in ("cchc-extract", "pypdfium2", "pdfplumber", "python-docx", "pydantic", "regex"):
        try:
            versions[dist] = version(dist)
        except PackageNotFoundError:
            versions[dist] = "-"
    commit = "-"
    if shutil.which("git"):
        try:
            head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                                  capture_output=True, text=True, timeout=10, check=False).stdout.strip()
            dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "cchc_extract"],
                                   capture_output=True, text=True, timeout=10, check=False).stdout.strip()
            commit = (head or "-") + (" (+uncommitted changes in cchc_extract/)" if dirty else "")
        except (OSError, subprocess.SubprocessError):
            pass
    try:
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "-"
    return {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpu": cpu,
        "cores_logical": os.cpu_count(),
        "cores_usable": usable,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "load_avg_at_start": load,
        "git": commit,
        "versions": versions,
    }


# -- timed loops -------------------------------------------------------------------------------


@dataclass
class LoopResult:
    """Repeated passes over a list of files (one pass = every file once)."""

    files_ok: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    pages: list[int | None] = field(default_factory=list)
    pass_s: list[float] = field(default_factory=list)
    pass_cpu_s: list[float] = field(default_factory=list)
    doc_s: dict[str, list[float]] = field(default_factory=dict)
    warmup_s: float = 0.0
    rss_after_warmup_mb: float = math.nan
    peak_rss_mb: float = math.nan

    def summary(self) -> dict[str, Any]:
        n = len(self.files_ok)
        out: dict[str, Any] = {
            "files": n,
            "errors": self.errors,
            "passes": len(self.pass_s),
            "docs_timed": n * len(self.pass_s),
            "warmup_s": round(self.warmup_s, 4),
            "rss_after_warmup_mb": round(self.rss_after_warmup_mb, 1),
            "peak_rss_mb": round(self.peak_rss_mb, 1),
        }
        if not n or not self.pass_s:
            return out
        med, p95 = median(self.pass_s), percentile(self.pass_s, 95)
        out["docs_per_s_median"] = n / med
        out["docs_per_s_p95"] = n / p95  # the slow end: rate of the 95th-percentile pass
        out["ms_per_doc_median"] = 1000 * med / n
        out["ms_per_doc_p95"] = 1000 * p95 / n
        # CPU time of the process: robust to other processes competing for the cores.
        out["cpu_ms_per_doc_median"] = 1000 * median(self.pass_cpu_s) / n
        total_pages = sum(p for p in self.pages if p) if all(p for p in self.pages) else None
        out["pages_per_pass"] = total_pages
        if total_pages:
            out["ms_per_page_median"] = 1000 * med / total_pages
            out["ms_per_page_p95"] = 1000 * p95 / total_pages
        else:
            out["ms_per_page_median"] = out["ms_per_page_p95"] = None
        every = [t for ts in self.doc_s.values() for t in ts]
        out["single_doc_ms_median"] = 1000 * median(every)
        out["single_doc_ms_p95"] = 1000 * percentile(every, 95)
        out["single_doc_ms_max"] = 1000 * max(every)
        out["per_file_ms_median"] = {Path(f).name: round(1000 * median(ts), 3) for f, ts in self.doc_s.items()}
        return out


def timed_loop(fn: PageFn, files: Sequence[Path], target_docs: int, cap_s: float, min_passes: int = 3) -> LoopResult:
    """Warm up (one call per file; failures recorded and left out), then time whole passes until
    ``target_docs`` documents were timed or ``cap_s`` seconds passed (at least ``min_passes``)."""
    res = LoopResult()
    ok: list[Path] = []
    t0 = time.perf_counter()
    for f in files:
        try:
            res.pages.append(fn(f))
            ok.append(f)
        except Exception as exc:  # a reader failing is a finding, not a crash of the benchmark
            msg = " ".join(str(exc).split())
            res.errors[f.name] = f"{type(exc).__name__}: {msg[:300]}"
    res.warmup_s = time.perf_counter() - t0
    res.rss_after_warmup_mb = current_rss_mb()
    res.files_ok = [str(f) for f in ok]
    res.doc_s = {str(f): [] for f in ok}
    if not ok:
        res.peak_rss_mb = peak_rss_mb()
        return res
    started = time.perf_counter()
    timed = 0
    while True:
        p0 = time.perf_counter()
        c0 = time.process_time()
        for f in ok:
            d0 = time.perf_counter()
            fn(f)
            res.doc_s[str(f)].append(time.perf_counter() - d0)
        res.pass_s.append(time.perf_counter() - p0)
        res.pass_cpu_s.append(time.process_time() - c0)
        timed += len(ok)
        passes = len(res.pass_s)
        if passes >= min_passes and (timed >= target_docs or time.perf_counter() - started >= cap_s):
            break
    res.peak_rss_mb = peak_rss_mb()
    return res


# -- the measured operations -------------------------------------------------------------------


def parse_fn() -> PageFn:
    import cchc_extract

    def run(path: Path) -> int | None:
        return cchc_extract.parse_notice(path).source.pages

    return run


def floor_fn(name: str) -> PageFn:
    """The lower bound a format's parse is compared with: the library doing raw text only."""
    if name == "pypdfium2":
        import pypdfium2 as pdfium

        def run_pdfium(path: Path) -> int | None:
            pdf = pdfium.PdfDocument(str(path))
            try:
                n = len(pdf)
                for i in range(n):
                    page = pdf[i]
                    tp = page.get_textpage()
                    tp.get_text_range()
                    tp.close()
                    page.close()
            finally:
                pdf.close()
            return n

        return run_pdfium
    if name == "pdfplumber":
        import pdfplumber

        def run_plumber(path: Path) -> int | None:
            with pdfplumber.open(str(path)) as pdf:
                for page in pdf.pages:
                    page.extract_text()
                return len(pdf.pages)

        return run_plumber
    if name == "python-docx":
        import docx
        from docx.table import Table

        def run_docx(path: Path) -> int | None:
            doc = docx.Document(str(path))
            n = 0
            for block in doc.iter_inner_content():
                if isinstance(block, Table):
                    for row in block.rows:
                        for cell in row.cells:
                            n += len(cell.text)
                else:
                    n += len(block.text)
            return None

        return run_docx
    if name == "txt-nfc":

        def run_txt(path: Path) -> int | None:
            data = path.read_bytes()
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = data.decode("cp1258", errors="replace")
            unicodedata.normalize("NFC", text)
            return None

        return run_txt
    raise ValueError(f"unknown floor {name!r}")


# -- long documents ----------------------------------------------------------------------------

_FIRST_SECTION = regex.compile(r"^\s*(?:\*\*)?I\.\s")
_FOOT = regex.compile(r"^\s*(?:\*\*)?(?:Nơi\s+nhận|TM\.|KT\.)", regex.IGNORECASE)


def repeated_report(text: str, times: int) -> str:
    """``text`` with its body (first ``I.`` heading up to ``Nơi nhận``/signature) repeated."""
    lines = text.replace("\r\n", "\n").split("\n")
    start = next((i for i, ln in enumerate(lines) if _FIRST_SECTION.match(ln)), 0)
    end = next((i for i in range(start + 1, len(lines)) if _FOOT.match(lines[i])), len(lines))
    return "\n".join(lines[:start] + lines[start:end] * times + lines[end:])


def scaling_run(seed: Path, factors: Sequence[int], reps: dict[int, int], tmp: Path) -> dict[str, Any]:
    import cchc_extract

    text = seed.read_text(encoding="utf-8")
    out: dict[str, Any] = {"seed": seed.name, "factors": {}}
    paths: dict[int, Path] = {}
    for k in factors:
        p = tmp / f"long_{k}x.txt"
        p.write_text(repeated_report(text, k), encoding="utf-8")
        paths[k] = p
    cchc_extract.parse_notice(paths[factors[0]])  # warm-up: patterns, regex caches
    for k in factors:
        times = []
        rec = None
        for _ in range(reps.get(k, 1)):
            t0 = time.perf_counter()
            rec = cchc_extract.parse_notice(paths[k])
            times.append(time.perf_counter() - t0)
        assert rec is not None
        out["factors"][str(k)] = {
            "chars": len(rec.text),
            "reps": len(times),
            "s_median": median(times),
            "s_min": min(times),
            "kpis": len(rec.kpis),
            "findings": len(rec.findings),
            "deadlines": len(rec.deadlines),
        }
    out["peak_rss_mb"] = round(peak_rss_mb(), 1)
    return out


# -- process-tree sampling (batch CLI) ---------------------------------------------------------


def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 1:
            kids.setdefault(int(fields[1]), []).append(int(name))
    return kids


def _cpu_ticks(pid: int) -> int | None:
    """utime + stime of ``pid`` in clock ticks (from /proc/PID/stat)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            stat = fh.read()
    except OSError:
        return None
    fields = stat[stat.rfind(")") + 2:].split()
    try:
        return int(fields[11]) + int(fields[12])
    except (IndexError, ValueError):
        return None


def _tree(root: int) -> list[int]:
    kids = _children_map()
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(kids.get(pid, []))
    return out


@dataclass
class TreeRun:
    cmd: list[str]
    wall_s: float
    returncode: int
    stderr_tail: str
    error_lines: int
    peak_rss_sum_mb: float
    peak_pss_sum_mb: float
    parent_hwm_mb: float
    worker_hwm_mb: list[float]
    processes_seen: int
    timeline: list[tuple[float, float]]
    parent_cpu_s: float = 0.0
    workers_cpu_s: list[float] = field(default_factory=list)
    cpu: dict[str, Any] = field(default_factory=dict)

    def rss_at(self, frac: float) -> float:
        """Summed RSS of the tree at ``frac`` of the run's duration (nearest sample)."""
        if not self.timeline:
            return math.nan
        t = frac * self.wall_s
        return min(self.timeline, key=lambda s: abs(s[0] - t))[1]

    def as_dict(self) -> dict[str, Any]:
        return {
            "cmd": " ".join(self.cmd),
            "wall_s": round(self.wall_s, 3),
            "returncode": self.returncode,
            "error_lines": self.error_lines,
            "stderr_tail": self.stderr_tail,
            "peak_rss_sum_mb": round(self.peak_rss_sum_mb, 1),
            "peak_pss_sum_mb": round(self.peak_pss_sum_mb, 1),
            "parent_hwm_mb": round(self.parent_hwm_mb, 1),
            "worker_hwm_mb": [round(x, 1) for x in self.worker_hwm_mb],
            "processes_seen": self.processes_seen,
            "parent_cpu_s": round(self.parent_cpu_s, 2),
            "workers_cpu_s": [round(x, 2) for x in self.workers_cpu_s],
            "rss_sum_at_25pct_mb": round(self.rss_at(0.25), 1),
            "rss_sum_at_90pct_mb": round(self.rss_at(0.90), 1),
            **self.cpu,
        }


def run_tree(cmd: list[str], workdir: Path, interval: float = 0.1) -> TreeRun:
    """Run ``cmd``; sample the summed RSS/PSS of it and all its descendants until it exits."""
    err_path = workdir / f"stderr-{time.monotonic_ns()}.txt"
    hwm: dict[int, int] = {}
    ticks: dict[int, int] = {}
    peak_rss = peak_pss = 0
    timeline: list[tuple[float, float]] = []
    with open(err_path, "w+b") as err:
        watch = CpuWatch()
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, stdin=subprocess.DEVNULL)
        while proc.poll() is None:
            rss_sum = pss_sum = 0
            for pid in _tree(proc.pid):
                rss = _status_kb(pid, "VmRSS")
                high = _status_kb(pid, "VmHWM")
                pss = _pss_kb(pid)
                rss_sum += rss or 0
                pss_sum += pss or rss or 0
                if high is not None:
                    hwm[pid] = max(hwm.get(pid, 0), high)
                cpu = _cpu_ticks(pid)
                if cpu is not None:
                    ticks[pid] = max(ticks.get(pid, 0), cpu)
            peak_rss, peak_pss = max(peak_rss, rss_sum), max(peak_pss, pss_sum)
            timeline.append((time.perf_counter() - t0, rss_sum / 1024.0))
            time.sleep(interval)
        wall = time.perf_counter() - t0
        watch.stop()
        err.seek(0)
        stderr = err.read().decode("utf-8", errors="replace")
    err_path.unlink(missing_ok=True)
    parent = hwm.pop(proc.pid, 0)
    hz = os.sysconf("SC_CLK_TCK")
    parent_ticks = ticks.pop(proc.pid, 0)
    return TreeRun(
        cmd=cmd, wall_s=wall, returncode=proc.returncode,
        stderr_tail="\n".join(stderr.strip().splitlines()[-3:]),
        error_lines=sum(1 for ln in stderr.splitlines() if ln.startswith("error:")),
        peak_rss_sum_mb=peak_rss / 1024.0, peak_pss_sum_mb=peak_pss / 1024.0,
        parent_hwm_mb=parent / 1024.0, worker_hwm_mb=sorted((v / 1024.0 for v in hwm.values()), reverse=True),
        processes_seen=len(hwm) + 1, timeline=timeline, cpu=watch.as_dict(),
        parent_cpu_s=parent_ticks / hz, workers_cpu_s=sorted((t / hz for t in ticks.values()), reverse=True),
    )


def replicate(files: Sequence[Path], count: int, dest: Path) -> list[Path]:
    """Copy ``files`` round-robin into ``dest`` until it holds ``count`` files (unique names)."""
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(count):
        src = files[i % len(files)]
        target = dest / f"r{i:05d}_{src.name}"
        shutil.copyfile(src, target)
        out.append(target)
    return out


def timed_cmd(cmd: list[str], reps: int) -> dict[str, Any]:
    """Wall time of a short command, ``reps`` times: median and min, in seconds."""
    times = []
    rc = 0
    for _ in range(reps):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
        times.append(time.perf_counter() - t0)
        rc = rc or proc.returncode
    return {"median_s": median(times), "min_s": min(times), "reps": reps, "returncode": rc}


def importtime_top(python: str, module: str, n: int = 8) -> list[tuple[str, float]]:
    """The modules with the largest cumulative import time (``-X importtime``), in seconds."""
    proc = subprocess.run([python, "-X", "importtime", "-c", f"import {module}"],
                          capture_output=True, text=True, check=False)
    rows: list[tuple[str, float]] = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        parts = line.split("|")
        if len(parts) != 3:
            continue
        name = parts[2].rstrip()
        depth = (len(name) - len(name.lstrip())) // 2
        if depth <= 1:  # top-level imports of the module and its direct imports
            rows.append((name.strip(), int(parts[1]) / 1e6))
    rows.sort(key=lambda r: r[1], reverse=True)
    return rows[:n]


def emit(result: dict[str, Any]) -> None:
    """A worker's answer: one line on stdout, found by the prefix."""
    sys.stdout.write(RESULT_PREFIX + json.dumps(result) + "\n")
    sys.stdout.flush()
