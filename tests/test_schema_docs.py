"""The contract: every JSON Schema property described, the field docs generated from the model,
and records written without their text still load."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from cchc_extract import Notice, parse_notice
from cchc_extract.cli import main
from cchc_extract.model import Kpi, Source
from cchc_extract.output import dumps_line, dumps_pretty, notice_line, notice_pretty, record_dict
from cchc_extract.schema_docs import record_markdown

from .helpers import CORPUS, ROOT


def _properties(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    out = [("Notice", k, v) for k, v in schema["properties"].items()]
    for name, sub in schema.get("$defs", {}).items():
        out += [(name, k, v) for k, v in sub.get("properties", {}).items()]
    return out


def test_every_schema_property_has_a_description() -> None:
    props = _properties(Notice.model_json_schema())
    assert len(props) > 100
    assert [f"{m}.{k}" for m, k, v in props if not v.get("description", "").strip()] == []


def test_the_schema_command_prints_the_descriptions(capsys: Any) -> None:
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == Notice.model_json_schema()


def test_docs_record_md_is_generated_from_the_model() -> None:
    """docs/record.md is `cchc-extract schema --markdown`: regenerate it when the model changes."""
    doc = (ROOT / "docs" / "record.md").read_text(encoding="utf-8")
    assert doc == record_markdown(), "run: python -m cchc_extract schema --markdown > docs/record.md"
    for _model, name, prop in _properties(Notice.model_json_schema()):
        assert f"| `{name}` |" in doc and " ".join(prop["description"].split()) in doc


def test_a_no_text_record_loads_back(tmp_path: Path) -> None:
    path = sorted(CORPUS.glob("*[0-9a-f].txt"))[1]
    out = tmp_path / "out"
    assert main(["parse", str(path), "-o", str(out), "--no-text", "-q"]) == 0
    written = out / f"{path.stem}.json"
    rec = Notice.model_validate_json(written.read_bytes())
    full = parse_notice(path)
    assert rec.text == "" and rec.kpis == full.kpis and rec.source == full.source


def test_pydantic_serializer_gives_the_same_bytes() -> None:
    recs = [parse_notice(p) for p in sorted(CORPUS.glob("*[0-9a-f].*")) if p.suffix in (".txt", ".docx", ".pdf")]
    odd = Notice(source=Source(path="x", format="txt", sha256="0" * 64), text="a",
                 kpis=[Kpi(value=math.nan, span=(0, 1)), Kpi(value=1e-7, numerator=3067.0, span=(0, 1))])
    for rec in recs:
        assert notice_pretty(rec) == dumps_pretty(record_dict(rec))
        assert notice_line(rec) == dumps_line(record_dict(rec))
        assert notice_pretty(rec, include_text=False) == dumps_pretty(record_dict(rec, include_text=False))
    # Exponents are spelt differently (1e-7 against 1e-07); the values are the same, NaN is null.
    assert json.loads(notice_line(odd)) == json.loads(dumps_line(record_dict(odd)))
    assert json.loads(notice_line(odd))["kpis"][0]["value"] is None
