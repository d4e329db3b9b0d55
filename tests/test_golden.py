"""Golden records: every corpus document parses to its reviewed expected record."""

from __future__ import annotations

import json

import pytest

from cchc_extract import parse_notice

from .helpers import CORPUS, assert_spans_valid, corpus_stems, diff_records

STEMS = corpus_stems()


@pytest.mark.parametrize("stem", STEMS)
def test_txt_matches_expected(stem: str) -> None:
    expected_path = CORPUS / f"{stem}.expected.json"
    if not expected_path.exists():
        pytest.skip(f"no expected record for {stem}")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    record = parse_notice(CORPUS / f"{stem}.txt").model_dump(mode="json")
    record["source"]["path"] = f"{stem}.txt"
    diffs = diff_records(expected, record)
    assert not diffs, f"{stem}: {len(diffs)} differences\n" + "\n".join(diffs[:40])


@pytest.mark.parametrize("stem", STEMS)
@pytest.mark.parametrize("suffix", [".txt", ".docx", ".autonum.docx", ".pdf", ".autonum.pdf"])
def test_spans_are_evidence(stem: str, suffix: str) -> None:
    path = CORPUS / f"{stem}{suffix}"
    if not path.exists():
        pytest.skip(f"{path.name} not built")
    assert_spans_valid(parse_notice(path).model_dump(mode="json"))


def test_corpus_is_present() -> None:
    assert len(STEMS) >= 5, "corpus/ must hold the five seeds as .txt"
