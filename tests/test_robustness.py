"""The same documents, laid out differently, give the same records.

Text dumps of real documents are hard-wrapped at a page width (sometimes with blank lines between
the wrapped pieces), lose the blank lines between paragraphs, or keep a left indent. Each seed is
perturbed that way and scored against its gold record: the rules must not depend on the seeds'
own line breaks.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cchc_extract import parse_text

from .helpers import CORPUS, GOLD, SHARED, corpus_stems

SCORER = SHARED / "eval" / "score.py"
pytestmark = pytest.mark.skipif(not SCORER.exists(), reason="../shared not present")


def _wrap(text: str, width: int, blank: bool) -> str:
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) > width + 5:
            pieces = textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False)
            for piece in pieces:
                out.append(piece)
                if blank:
                    out.append("")
        else:
            out.append(line)
    return "\n".join(out)


PERTURBATIONS = {
    "wrapped_80": lambda t: _wrap(t, 80, blank=False),
    "wrapped_60_with_blank_lines": lambda t: _wrap(t, 60, blank=True),
    "no_blank_lines": lambda t: "\n".join(line for line in t.split("\n") if line.strip()),
    "indented": lambda t: "\n".join(("   " + line if line.strip() else line) for line in t.split("\n")),
    "crlf_nbsp": lambda t: t.replace("\n", "\r\n").replace(" ", "\u00a0", 40),
}


@pytest.mark.parametrize("name", sorted(PERTURBATIONS))
def test_layout_perturbations_keep_the_score(name: str, tmp_path: Path) -> None:
    perturb = PERTURBATIONS[name]
    for stem in corpus_stems():
        text = perturb((CORPUS / f"{stem}.txt").read_text(encoding="utf-8"))
        record = parse_text(text).model_dump(mode="json")
        (tmp_path / f"{stem}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    report = tmp_path / "score.json"
    subprocess.run([sys.executable, str(SCORER), "--pred", str(tmp_path), "--gold", str(GOLD), "--json", str(report)],
                   check=True, capture_output=True)
    overall = json.loads(report.read_text(encoding="utf-8"))["overall"]
    assert overall >= 0.98, (name, overall)
