"""Junk to every extractor: empty, huge-line and random text give a clean answer, never a crash."""

from __future__ import annotations

import random
import time

import pytest

from cchc_extract import parse_text
from cchc_extract.extract.deadlines import find_deadlines
from cchc_extract.extract.kpis import find_kpis
from cchc_extract.extract.metadata import find_period, parse_number, parse_place_date, parse_signer
from cchc_extract.extract.references import find_citations
from cchc_extract.normalize import clean_line

from .helpers import assert_spans_valid

_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ" \
            "AĂÂĐÊÔƠƯ0123456789 ./-:%,;()\n+*"


def _junk(seed: int, n: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(_ALPHABET) for _ in range(n))


JUNK = [
    "",
    " ",
    "\n\n\n",
    "Số:",
    "Số: " + "1" * 200_000,
    "3.067/" * 50_000,
    "- \n" * 20_000,
    "a/b " * 100_000,
    "ngày " * 50_000,
    "trước ngày " * 30_000 + "20/7/2026",
    "Kế hoạch số " * 20_000,
    "I. " * 10_000,
    _junk(1, 20_000),
    _junk(2, 5_000).replace(" ", ""),
]


@pytest.mark.parametrize("text", JUNK, ids=range(len(JUNK)))
def test_extractors_survive_junk(text: str) -> None:
    t0 = time.process_time()
    find_citations(text)
    find_kpis(text, 0, len(text), [])
    find_deadlines(text, 0, len(text), 2026)
    find_period([text])
    parse_number("Số: " + text[:5000])
    parse_place_date(text[:5000])
    parse_signer(text.splitlines()[:10])
    clean_line(text[:100_000])
    assert time.process_time() - t0 < 60


@pytest.mark.parametrize("text", JUNK, ids=range(len(JUNK)))
def test_parse_text_survives_junk(text: str) -> None:
    t0 = time.process_time()
    record = parse_text(text)
    assert_spans_valid(record.model_dump(mode="json"))
    assert time.process_time() - t0 < 60


def test_not_a_notice() -> None:
    record = parse_text("The quick brown fox jumps over the lazy dog. This is not an administrative notice.")
    assert record.doc_type is None and record.number is None and record.kpis == []
    assert any(w.startswith("no_type_line") for w in record.warnings)
