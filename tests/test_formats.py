"""Each seed's DOCX (typed and Word auto-numbered) and PDF scores within 0.02 of its TXT."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cchc_extract import parse_notice

from .helpers import CORPUS, GOLD, SHARED, corpus_stems

SCORER = SHARED / "eval" / "score.py"
pytestmark = pytest.mark.skipif(not SCORER.exists(), reason="../shared not present")


def _score(suffix: str, out: Path) -> float:
    out.mkdir()
    for stem in corpus_stems():
        path = CORPUS / f"{stem}{suffix}"
        if not path.exists():
            pytest.skip(f"{path.name} not built")
        record = parse_notice(path).model_dump(mode="json")
        (out / f"{stem}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    report = out / "score.json"
    subprocess.run([sys.executable, str(SCORER), "--pred", str(out), "--gold", str(GOLD), "--json", str(report)],
                   check=True, capture_output=True)
    return float(json.loads(report.read_text(encoding="utf-8"))["overall"])


@pytest.mark.parametrize("suffix", [".docx", ".autonum.docx", ".pdf", ".autonum.pdf"])
def test_format_scores_within_two_points_of_txt(suffix: str, tmp_path: Path) -> None:
    txt = _score(".txt", tmp_path / "txt")
    other = _score(suffix, tmp_path / "other")
    assert other >= txt - 0.02, (suffix, other, txt)


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_header_fields_come_from_the_header_table(suffix: str) -> None:
    rec = parse_notice(CORPUS / f"000_9b87a9a4395282da{suffix}")
    assert rec.number is not None and rec.number.raw == "02/TB-TKT"
    assert rec.place == "Xã Nguyễn Lương Bằng"
    assert rec.date is not None and rec.date.iso == "2026-07-06"
    assert rec.issuer is not None and rec.issuer.parent is not None
    assert "CỘNG HÒA" not in rec.issuer.name
