"""Parse many files in isolated worker processes, each file under a wall-clock and memory limit.

A hostile document (a zip bomb, a PDF that sends a library into a loop) must cost one file, not
the batch. ``concurrent.futures`` cannot stop one hung task, so this module runs its own small
pool: one :class:`multiprocessing.Process` per worker, each with a private pipe. The parent sends
a worker one task at a time and waits on every pipe and every process sentinel at once; a worker
whose task passes its deadline is killed and replaced, a worker that dies is replaced, and the
file is reported as a :class:`ParseTimeoutError`, :class:`ResourceLimitError` or
:class:`WorkerCrashError`. Results come back in input order whatever order workers finish in.

>>> from cchc_extract.batch import parse_many
>>> [type(r).__name__ for _, r in parse_many(["no-such-file.txt"], workers=1)]
['UnreadableDocumentError']
"""

from __future__ import annotations

import contextlib
import importlib
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing import connection
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from .errors import (
    InternalParserError,
    NoticeError,
    ParseTimeoutError,
    ResourceLimitError,
    WorkerCrashError,
)

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.context import BaseContext
    from multiprocessing.process import BaseProcess

    from .model import Notice
    from .readers.ocr import OcrMode

__all__ = [
    "DEFAULT_MAX_MEMORY_MB",
    "DEFAULT_TIMEOUT",
    "InternalParserError",
    "Outcome",
    "ParseTimeoutError",
    "ResourceLimitError",
    "WorkerCrashError",
    "default_workers",
    "parse_many",
    "run_in_workers",
]

DEFAULT_TIMEOUT = 120.0
"""Seconds one file may take, wall clock, before its worker is killed."""
DEFAULT_MAX_MEMORY_MB = 2048
"""Address-space limit of each worker (``RLIMIT_AS``), in MiB."""

TEST_FAULTS_ENV = "CCHC_EXTRACT_TEST_FAULTS"
"""Test-only fault injection, read by workers only: ``"hang=.hang.txt,hog=.hog.txt,crash=.x"``
makes a worker sleep forever / allocate until its memory limit / die on a file whose name ends
with the suffix. Lets the tests exercise the limits without depending on a parser weakness."""

# Libraries that start thread pools (BLAS, OpenMP) reserve address space per thread, which an
# RLIMIT_AS budget counts; the pool parallelises over processes already, so one thread each.
_THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")
_IDLE_POLL = 1.0  # seconds between an idle worker's checks that its parent is still alive


R = TypeVar("R")
Task = Callable[..., Any]


@dataclass(frozen=True)
class _ErrorInfo:
    """A picklable description of an exception raised in a worker.

    ``NoticeError`` does not survive pickling (its ``args`` are the formatted message, not the
    constructor's arguments), so workers send this and the parent rebuilds the error.
    """

    module: str
    name: str
    path: str | None
    message: str
    traceback: str | None = None

    @classmethod
    def from_exception(cls, exc: BaseException, path: Path) -> _ErrorInfo:
        tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        if isinstance(exc, NoticeError):
            return cls(type(exc).__module__, type(exc).__qualname__, exc.path, exc.message, tb)
        if isinstance(exc, MemoryError):
            return cls(ResourceLimitError.__module__, "ResourceLimitError", str(path), ResourceLimitError.default_message, tb)
        return cls(InternalParserError.__module__, "InternalParserError", str(path), f"{type(exc).__name__}: {exc}", tb)

    def rebuild(self) -> NoticeError:
        cls: Any = None
        with contextlib.suppress(Exception):
            cls = getattr(importlib.import_module(self.module), self.name)
        if not (isinstance(cls, type) and issubclass(cls, NoticeError)):
            cls = NoticeError
        try:
            err: NoticeError = cls(self.path, self.message)
        except Exception:  # a subclass with another constructor: keep the facts, lose the type
            err = NoticeError(self.path, f"{self.name}: {self.message}")
        err.traceback = self.traceback  # type: ignore[attr-defined]
        return err


def default_workers() -> int:
    """CPUs this process may use (respects affinity and container limits where the OS tells)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _default_start_method() -> str:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    # fork is cheapest (workers inherit the parent's imports) but unsafe once other threads
    # exist: a forked child can inherit a lock held by a thread that does not exist in it.
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _address_space() -> int:
    """This process's virtual size in bytes (0 where /proc is not available)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _set_limits(max_memory_mb: int | None) -> None:
    for name in _THREAD_ENV:
        os.environ.setdefault(name, "1")
    try:
        import resource
    except ImportError:  # not on Windows: the time limit still holds
        return
    if max_memory_mb:
        # The limit is what a file may add on top of the worker's address space at start: a
        # worker forked from a process that holds pandas, pyarrow or DuckDB (a notebook, the test
        # session) inherits gigabytes of reserved but unused address space.
        limit = max_memory_mb * 1024 * 1024 + _address_space()
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    with contextlib.suppress(ValueError, OSError):
        # A killed worker must not leave a core file behind for each hostile document.
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _die_with_parent() -> None:
    """Linux: have the kernel kill this worker when the parent dies, even mid-task."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(Exception):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


def _test_fault(path: Path) -> None:
    spec = os.environ.get(TEST_FAULTS_ENV)
    if not spec:
        return
    for item in spec.split(","):
        kind, _, suffix = item.partition("=")
        if not suffix or not path.name.endswith(suffix):
            continue
        if kind == "hang":
            while True:
                time.sleep(60)
        elif kind == "hog":
            hoard = []
            while True:
                hoard.append(bytes(64 * 1024 * 1024))  # calloc: address space, not RAM
        elif kind == "crash":
            os.kill(os.getpid(), signal.SIGKILL)


def _warm(module: Any) -> None:
    """Run a preloaded module's ``warm()`` (caches, compiled patterns) so no worker pays it per file."""
    warm = getattr(module, "warm", None)
    if callable(warm):
        warm()


def _worker_main(conn: Connection, task: Task, max_memory_mb: int | None, preload: tuple[str, ...]) -> None:
    """Worker loop: receive ``(index, path, kwargs)``, send ``(index, ok, value | _ErrorInfo)``."""
    # The process that started us: the pool's owner, or the forkserver. When it goes away, so do we.
    parent = os.getppid()
    # Ctrl-C goes to the whole process group; the parent handles it and stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    _set_limits(max_memory_mb)
    for module in preload:
        with contextlib.suppress(Exception):
            _warm(importlib.import_module(module))
    while True:
        try:
            while not conn.poll(_IDLE_POLL):
                if os.getppid() != parent:
                    return
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        index, path, kwargs = msg
        memory_error = False
        try:
            _test_fault(path)
            reply: tuple[int, bool, Any] = (index, True, task(path, **kwargs))
        except BaseException as exc:  # report everything; the parent decides what is fatal
            memory_error = isinstance(exc, MemoryError)
            reply = (index, False, _ErrorInfo.from_exception(exc, path))
            del exc
        try:
            conn.send(reply)
        except MemoryError:
            return  # the parent sees the death and reports a resource limit
        except Exception as exc:  # an unpicklable result is a bug in the task, not in the batch
            conn.send((index, False, _ErrorInfo.from_exception(exc, path)))
        if memory_error:
            return  # after MemoryError the interpreter's state is suspect: start a fresh worker


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    index: int | None = None
    deadline: float | None = None


@dataclass
class Outcome(Generic[R]):
    """One file's result from :func:`run_in_workers`: the task's value or the typed error."""

    index: int
    path: Path
    value: R | NoticeError


class _Pool:
    """Workers plus bookkeeping; used by :func:`run_in_workers` only."""

    def __init__(
        self,
        ctx: BaseContext,
        task: Task,
        max_memory_mb: int | None,
        preload: tuple[str, ...],
    ) -> None:
        self.ctx, self.task = ctx, task
        self.max_memory_mb, self.preload = max_memory_mb, preload
        self.workers: list[_Worker] = []

    def spawn(self) -> _Worker:
        parent_end, child_end = self.ctx.Pipe(duplex=True)
        proc = self.ctx.Process(  # type: ignore[attr-defined]
            target=_worker_main,
            args=(child_end, self.task, self.max_memory_mb, self.preload),
            daemon=True,
            name="cchc-extract-worker",
        )
        proc.start()
        child_end.close()  # so the parent sees EOF when the worker dies
        worker = _Worker(proc, parent_end)
        self.workers.append(worker)
        return worker

    def retire(self, worker: _Worker) -> None:
        """Stop a worker (killed if still running) and forget it."""
        self.workers.remove(worker)
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(timeout=5)
        worker.conn.close()

    def close(self) -> None:
        for worker in list(self.workers):
            if worker.index is None:
                with contextlib.suppress(Exception):
                    worker.conn.send(None)
        deadline = time.monotonic() + 2
        for worker in list(self.workers):
            if worker.index is None:
                worker.process.join(timeout=max(0.0, deadline - time.monotonic()))
            self.retire(worker)


def run_in_workers(
    paths: Sequence[Path],
    task: Task,
    *,
    kwargs: dict[str, Any] | None = None,
    workers: int | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_memory_mb: int | None = DEFAULT_MAX_MEMORY_MB,
    start_method: str | None = None,
    preload: Sequence[str] = ("cchc_extract.pipeline",),
    window: int | None = None,
) -> Generator[Outcome[Any], None, None]:
    """Run ``task(path, **kwargs)`` for every path in worker processes; yield in input order.

    ``task`` must be a module-level function (picklable by reference). Its result must pickle.
    ``timeout`` (seconds, None or 0 for none) and ``max_memory_mb`` (None or 0 for none) hold
    per file. ``preload`` modules are imported by the parent before forking, so every worker,
    including a replacement, starts warm. At most ``window`` results wait for a slower
    earlier file (bounds memory); the default is generous.
    """
    kwargs = kwargs or {}
    n = len(paths)
    if n == 0:
        return
    size = max(1, min(workers or default_workers(), n))
    window = window or max(64, 16 * size)
    method = start_method or _default_start_method()
    import multiprocessing

    ctx = multiprocessing.get_context(method)
    if method == "fork":
        for module in preload:
            _warm(importlib.import_module(module))
    elif method == "forkserver":
        ctx.set_forkserver_preload(list(preload))
    pool = _Pool(ctx, task, max_memory_mb or None, tuple(preload))
    done: dict[int, Outcome[Any]] = {}
    next_task = 0  # next index to hand out
    next_out = 0  # next index to yield
    try:
        while next_out < n:
            # Hand out work: keep every worker busy, but never run too far ahead of the output.
            while next_task < n and next_task < next_out + window:
                idle = next((w for w in pool.workers if w.index is None), None)
                if idle is None:
                    if len(pool.workers) >= size:
                        break
                    idle = pool.spawn()
                try:
                    idle.conn.send((next_task, paths[next_task], kwargs))
                except OSError:  # died while idle: replace it, retry the task
                    pool.retire(idle)
                    continue
                idle.index = next_task
                idle.deadline = time.monotonic() + timeout if timeout else None
                next_task += 1
            if next_out in done:
                while next_out in done:
                    yield done.pop(next_out)
                    next_out += 1
                continue  # the window moved: hand out more work before waiting
            busy = [w for w in pool.workers if w.index is not None]
            assert busy, "nothing running while results are missing"
            deadlines = [w.deadline for w in busy if w.deadline is not None]
            wait = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            handles: list[Any] = [w.conn for w in busy] + [w.process.sentinel for w in busy]
            ready = set(connection.wait(handles, timeout=wait))
            now = time.monotonic()
            for worker in busy:
                index = worker.index
                assert index is not None
                path = paths[index]
                if worker.conn in ready:
                    try:
                        got, ok, value = worker.conn.recv()
                    except (EOFError, OSError):
                        pass  # died mid-send; handled as a crash below
                    else:
                        assert got == index
                        done[index] = Outcome(index, path, value if ok else value.rebuild())
                        worker.index = worker.deadline = None
                        if not ok and isinstance(done[index].value, ResourceLimitError):
                            # The worker exits after a MemoryError; retire it now so the next
                            # file is not sent to a process on its way out.
                            pool.retire(worker)
                        continue
                if worker.process.sentinel in ready or not worker.process.is_alive():
                    pool.retire(worker)
                    code = worker.process.exitcode
                    done[index] = Outcome(index, path, _crash_error(path, code, max_memory_mb))
                elif worker.deadline is not None and now >= worker.deadline:
                    pool.retire(worker)
                    done[index] = Outcome(
                        index, path, ParseTimeoutError(path, f"no result after {timeout:g} s; worker stopped")
                    )
    finally:
        pool.close()


def _crash_error(path: Path, exitcode: int | None, max_memory_mb: int | None) -> NoticeError:
    how = f"killed by signal {-exitcode}" if exitcode is not None and exitcode < 0 else f"exit code {exitcode}"
    if max_memory_mb:
        return WorkerCrashError(path, f"the worker died ({how}); possibly out of memory (limit {max_memory_mb} MiB)")
    return WorkerCrashError(path, f"the worker died ({how})")


def _parse_task(
    path: Path, password: str | None = None, ocr: OcrMode = "auto", trust_roots: str | None = None
) -> Notice:
    from . import parse_notice

    return parse_notice(path, password=password, ocr=ocr, trust_roots=trust_roots)


def _bar(total: int) -> Any:
    """tqdm's bar (``tqdm.auto``: a widget in notebooks, text in terminals), else the CLI's own."""
    try:
        from tqdm.auto import tqdm
    except ImportError:
        from .cli import Progress

        class _Fallback:
            def __init__(self) -> None:
                self.bar = Progress(total, sys.stderr)

            def update(self, _n: int = 1) -> None:
                self.bar.advance(failed=False)

            def close(self) -> None:
                self.bar.clear()

        return _Fallback()

    class _Bar(tqdm):  # type: ignore[misc,type-arg]
        # No monitor thread: a live thread makes the next batch start its workers through a
        # forkserver instead of a cheap fork.
        monitor_interval = 0

    return _Bar(total=total, unit="file", desc="cchc-extract")


def parse_many(
    paths: str | Path | Iterable[str | Path],
    workers: int | None = None,
    *,
    glob: str | None = None,
    progress: bool = False,
    timeout: float | None = DEFAULT_TIMEOUT,
    password: str | None = None,
    ocr: OcrMode = "auto",
    trust_roots: str | None = None,
    max_memory_mb: int | None = DEFAULT_MAX_MEMORY_MB,
    start_method: str | None = None,
) -> Iterator[tuple[Path, Notice | NoticeError]]:
    """Parse files in worker processes; yield ``(path, Notice | NoticeError)`` in input order.

    ``paths`` are expanded as by ``cchc-extract parse``: folders walked for supported files,
    glob patterns expanded, ``glob`` filtering both (:func:`cchc_extract.inputs.find_inputs`); a
    missing path yields its error. Each file runs in a worker process under ``timeout`` seconds
    and ``max_memory_mb`` MiB (``None`` or 0: no limit). A file that cannot be parsed yields its
    typed error, never raises: besides :mod:`cchc_extract.errors`, :class:`ParseTimeoutError`,
    :class:`ResourceLimitError`, :class:`WorkerCrashError` and :class:`InternalParserError` (a
    parser bug; the traceback text is in its ``traceback`` attribute). ``workers`` defaults to
    the usable CPUs. ``progress=True`` shows a progress bar.
    """
    from .inputs import find_inputs

    if isinstance(paths, (str, Path)):
        paths = [paths]
    items = [path for path, _ in find_inputs(paths, glob, missing_ok=True).files]
    bar = _bar(len(items)) if progress and items else None
    try:
        for outcome in run_in_workers(
            items,
            _parse_task,
            kwargs={"password": password, "ocr": ocr, "trust_roots": trust_roots},
            workers=workers,
            timeout=timeout,
            max_memory_mb=max_memory_mb,
            start_method=start_method,
        ):
            if bar is not None:
                bar.update(1)
            yield outcome.path, outcome.value
    finally:
        if bar is not None:
            bar.close()
