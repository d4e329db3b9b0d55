"""The real signed scans of ../shared/scans read in ``--ocr header`` mode against their header gold
(skipped when ../shared is absent, or without Tesseract or the [ocr] extra). Two of the six are
read here to keep the suite fast: s04 (a steering committee under its People's Committee, signed on
page 2) and s06 (signed on page 4 of 5, a receipt form after it); benchmarks/scan_fields.py and the
referee cover all six."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cchc_extract.readers import handwriting as hw

from .helpers import SHARED

SCANS = SHARED / "scans"


def _scan(stem: str) -> tuple[Path, dict[str, object]]:
    pdf, gold = SCANS / f"{stem}.pdf", SCANS / f"{stem}.gold.json"
    if not pdf.exists() or not gold.exists():
        pytest.skip(f"{pdf} not present")
    ocr = pytest.importorskip("cchc_extract.readers.ocr")
    if not ocr.ocr_available() or not hw.available():
        pytest.skip("Tesseract vie or the [ocr] extra is not installed")
    return pdf, json.loads(gold.read_text(encoding="utf-8"))


def _norm(text: object) -> str:
    return " ".join(str(text).split()).casefold()


@pytest.mark.parametrize("stem", ["s04", "s06"])
def test_real_scan_identity_matches_its_gold(stem: str) -> None:
    from cchc_extract import parse_notice

    pdf, gold = _scan(stem)
    rec = parse_notice(pdf, ocr="header").model_dump(mode="json")
    for key in ("doc_type", "issuer", "signer"):
        assert rec[key] is not None, key
    assert rec["number"]["raw"] == gold["number"]["raw"]  # type: ignore[index]
    assert (rec["date"]["day"], rec["date"]["month"], rec["date"]["year"]) == (
        gold["date"]["day"], gold["date"]["month"], gold["date"]["year"])  # type: ignore[index]
    assert rec["place"] == gold["place"]
    assert _norm(rec["issuer"]["name"]) == _norm(gold["issuer"]["name"])  # type: ignore[index]
    for key in ("name", "position", "authority"):
        assert _norm(rec["signer"][key]) == _norm(gold["signer"][key]), key  # type: ignore[index]
    # the handwriting was read by the digit recognizer, with its confidence kept
    assert any(re.match(r"ocr_handwriting: number\.seq read '\d+' \(confidence (?:0\.\d\d|1\.00)\)", w)
               for w in rec["warnings"])
    # neither stamp became a header value, and the signing time was read for the cross-check
    assert "trung tâm" not in _norm(rec["issuer"]["name"]) and "ký bởi" not in _norm(rec["title"])
    assert rec["signatures"] and all(s["signed_at"] for s in rec["signatures"])
