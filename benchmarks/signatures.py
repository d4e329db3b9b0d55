"""Cost of reading signed PDFs: parse time with and without the signature work.

    python benchmarks/signatures.py [FILE.pdf ...] [--runs N]

Defaults to ../shared/realworld/h001.pdf and h004.pdf when present (signed PDFs from the
e-office system; never copied into the repository). For each file, in one warm process, the
median of N runs of ``parse_notice`` in three modes:

* ``full``: as shipped (signature widgets' text merged, digital signatures read);
* ``no-signatures``: the digital signatures are not read (widget text still merged);
* ``neither``: no widget text and no signatures, i.e. the reader as it was before.

The modes run round-robin (one run of each in turn) so that load from other processes hits them
alike; the minimum of the runs is reported (the least disturbed), the median beside it.

It also prints the one-time import cost of the signature libraries (pikepdf, asn1crypto,
cryptography) in a fresh interpreter, which a batch pays once per worker.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULTS = [ROOT.parent / "shared" / "realworld" / n for n in ("h001.pdf", "h004.pdf")]
if not DEFAULTS[0].exists():
    DEFAULTS = [Path("/work/shared/realworld") / n for n in ("h001.pdf", "h004.pdf")]


def _time(fn: Callable[[], Any]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args(argv)
    files = [f for f in (a.files or DEFAULTS) if f.exists()]
    if not files:
        print("no signed PDF found (give paths)")
        return 0
    import cchc_extract
    from cchc_extract.pipeline import warm
    from cchc_extract.readers import pdf_signatures, pdf_widgets

    warm()
    has_signatures, signed_widgets = pdf_signatures.has_signatures, pdf_widgets.signed_widgets

    def mode(name: str) -> None:
        pdf_signatures.has_signatures = has_signatures if name == "full" else (lambda data: False)  # type: ignore[assignment]
        pdf_widgets.signed_widgets = signed_widgets if name != "neither" else (lambda *args: [])  # type: ignore[assignment]

    names = ("neither", "no-signatures", "full")
    print(f"{'file':<10}{'stat':<8}{'full':>9}{'no-sigs':>9}{'neither':>9}{'sig cost':>10}{'all cost':>10}")
    for f in files:
        times: dict[str, list[float]] = {n: [] for n in names}
        for r in range(a.runs + 1):
            for name in names:
                mode(name)
                t = _time(lambda f=f: cchc_extract.parse_notice(f))
                if r:  # the first round warms up
                    times[name].append(t)
        mode("full")
        for stat, fn in (("min", min), ("median", statistics.median)):
            res = {n: fn(times[n]) for n in names}
            sig = res["full"] / res["no-signatures"] - 1
            both = res["full"] / res["neither"] - 1
            print(f"{f.name:<10}{stat:<8}{res['full']:>9.3f}{res['no-signatures']:>9.3f}{res['neither']:>9.3f}"
                  f"{sig:>+10.1%}{both:>+10.1%}")
    code = "import time; t=time.perf_counter(); import pikepdf, asn1crypto.cms, cryptography.x509; print(time.perf_counter()-t)"
    out = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
           for _ in range(3)]
    print(f"one-time import of the signature libraries: {statistics.median(out):.3f} s (median of 3)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
