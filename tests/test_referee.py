"""The project's referee (shared/eval/score.py) on the seeds: CI fails below the bar."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cchc_extract import parse_notice

from .helpers import GOLD, SEEDS, SHARED

SCORER = SHARED / "eval" / "score.py"
pytestmark = pytest.mark.skipif(not SCORER.exists() or not SEEDS.is_dir(), reason="../shared not present")


def _write_predictions(out: Path) -> None:
    for seed in sorted(SEEDS.glob("*.txt")):
        record = parse_notice(seed).model_dump(mode="json")
        (out / f"{seed.stem}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


def test_seed_scores_meet_the_bar(tmp_path: Path) -> None:
    _write_predictions(tmp_path)
    report = tmp_path / "score.json"
    proc = subprocess.run(
        [sys.executable, str(SCORER), "--pred", str(tmp_path), "--gold", str(GOLD), "--min", "0.93",
         "--json", str(report)],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    figures = json.loads(report.read_text(encoding="utf-8"))
    fields = figures["fields"]
    for name in ("references", "sections", "kpis", "deadlines"):
        assert fields[name]["f1"] >= 0.95, (name, fields[name])
    assert fields["findings"]["f1"] >= 0.90
    assert figures["metadata_accuracy"] >= 0.95
    grounding = figures["attributes"]["grounding"]
    assert grounding["ok"] == grounding["n"]
    # Attributes the overall score does not weigh, but analysts read: a regression shows here.
    for name in ("references.date", "sections.kind", "sections.level", "sections.unit", "findings.unit",
                 "kpis.is_target", "kpis.qualifier"):
        attr = figures["attributes"][name]
        assert attr["ok"] >= 0.95 * attr["n"], (name, attr)
    assert figures["attributes"]["kpis.label"]["ok"] >= 0.8 * figures["attributes"]["kpis.label"]["n"]
