"""The rule data loads, validates and compiles; every entry carries its provenance comment."""

from __future__ import annotations

import regex

from cchc_extract import patterns


def test_patterns_load_and_compile() -> None:
    p = patterns.load()
    assert {t.code for t in p.doc_types.types} >= {"TB", "BC", "KH", "QĐ", "NĐ", "TT"}
    for entry in p.kpis.counted_nouns + p.kpis.money_units:
        regex.compile(entry.pattern, patterns.FLAGS)
    for entry in p.headings.kinds:
        regex.compile(entry.phrase, patterns.FLAGS)
        assert entry.kind in {"general", "results", "strengths", "limitations", "causes", "requirements",
                              "recommendations", "conclusion", "tasks", "other"}


def test_patterns_are_loaded_once() -> None:
    assert patterns.load() is patterns.load()


def test_every_list_entry_has_a_comment() -> None:
    """Each rule line in the YAML files says what real wording it serves.

    ``provinces.yaml`` is a reference table (the 34 units of Resolution 202/2025/QH15) whose
    provenance is stated once for the whole table, not a list of rules.
    """
    for path in patterns.patterns_dir().glob("*.yaml"):
        if path.name == "provinces.yaml":
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith("- {") and "#" not in stripped:
                raise AssertionError(f"{path.name}: rule without a comment: {stripped}")
