"""Shared test helpers: corpus discovery, span checks, readable record diffs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
GOLD = SHARED / "gold"
REALWORLD = SHARED / "realworld"

SPAN_FIELDS = ("references", "legal_basis", "findings", "kpis", "deadlines")


def realworld_file(name: str) -> Path:
    """A file of ../shared/realworld (never copied into the repo); the test skips without it."""
    import pytest

    path = REALWORLD / name
    if not path.exists():
        pytest.skip(f"{path} not present")
    return path


def corpus_stems() -> list[str]:
    return sorted(p.stem for p in CORPUS.glob("*.txt"))


def iter_spans(record: dict[str, Any]) -> Iterator[tuple[str, list[int]]]:
    """Every (field, span) of a record dump, sections included recursively."""
    for field in SPAN_FIELDS:
        for item in record.get(field) or []:
            if item.get("span") is not None:
                yield field, item["span"]

    def walk(secs: list[dict[str, Any]]) -> Iterator[tuple[str, list[int]]]:
        for s in secs:
            yield "sections", s["span"]
            yield from walk(s.get("children") or [])

    yield from walk(record.get("sections") or [])
    for table in record.get("tables") or []:
        for row in table["rows"]:
            for cell in row:
                if cell.get("span") is not None:
                    yield "tables", cell["span"]


def assert_spans_valid(record: dict[str, Any]) -> None:
    """Every span is a non-empty slice of ``text`` that shows its item's evidence."""
    text = record["text"]
    for field, (a, b) in iter_spans(record):
        assert isinstance(a, int) and isinstance(b, int), (field, a, b)
        assert 0 <= a < b <= len(text), f"{field}: span {a}:{b} outside text of {len(text)}"
    for item in record.get("findings") or []:
        a, b = item["span"]
        assert item["text"].split()[0] in text[a:b], (item["text"][:40], text[a:b][:40])
    for item in record.get("kpis") or []:
        a, b = item["span"]
        assert any(ch.isdigit() for ch in text[a:b]), text[a:b]
    for item in record.get("references") or []:
        a, b = item["span"]
        assert item["number"][:3].replace(" ", "") in text[a:b].replace(" ", ""), (item["number"], text[a:b])
    for item in record.get("deadlines") or []:
        a, b = item["span"]
        assert text[a:b] == item["raw"] or " ".join(text[a:b].split()) == item["raw"]


def diff_records(expected: Any, actual: Any, path: str = "") -> list[str]:
    """Field-by-field differences as readable lines ("kpis[3].value: 99.6 != 96.6")."""
    out: list[str] = []
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual)):
            if key not in actual:
                out.append(f"{path}.{key}: missing")
            elif key not in expected:
                out.append(f"{path}.{key}: unexpected {json.dumps(actual[key], ensure_ascii=False)[:80]}")
            else:
                out.extend(diff_records(expected[key], actual[key], f"{path}.{key}"))
    elif isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            out.append(f"{path}: {len(expected)} items expected, {len(actual)} found")
        for i, (e, a) in enumerate(zip(expected, actual, strict=False)):
            out.extend(diff_records(e, a, f"{path}[{i}]"))
    elif expected != actual:
        e = json.dumps(expected, ensure_ascii=False)[:100]
        a = json.dumps(actual, ensure_ascii=False)[:100]
        out.append(f"{path}: expected {e} got {a}")
    return out
