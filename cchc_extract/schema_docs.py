"""The record's field reference as Markdown, generated from the model's JSON Schema.

``cchc-extract schema --markdown`` prints it; ``docs/record.md`` is its output, and a test keeps
the two equal, so the documentation, the JSON Schema and the model cannot drift: every text
here is a field's docstring in :mod:`cchc_extract.model`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["record_markdown"]

_HEAD = """\
# The record: field reference

Generated from `cchc_extract/model.py` by `cchc-extract schema --markdown` (do not edit by hand;
`tests/test_schema_docs.py` fails when this file and the model differ). `cchc-extract schema`
prints the same descriptions as a JSON Schema.

A value the document does not contain is `null` (or `[]`), never a guess. Text values are
Unicode NFC with whitespace collapsed; dates are ISO `YYYY-MM-DD`; numbers are converted from
Vietnamese notation (`3.067` -> 3067, `99,6` -> 99.6). Every `span` is `[start, end)` character
offsets into `text`, so `text[start:end]` is the evidence.
"""


def _anchor(name: str) -> str:
    return name.lower()


def _type(prop: dict[str, Any]) -> str:
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{_anchor(name)})"
    if "anyOf" in prop:
        parts = [_type(p) for p in prop["anyOf"]]
        return " or ".join(dict.fromkeys(parts))
    if "enum" in prop:
        return " / ".join(f"`{v}`" for v in prop["enum"])
    if "const" in prop:
        return f"`{prop['const']}`"
    kind = prop.get("type")
    if kind == "array":
        if "prefixItems" in prop:
            return "[" + ", ".join(_type(p) for p in prop["prefixItems"]) + "]"
        return f"list of {_type(prop.get('items', {}))}"
    return {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean",
            "null": "null"}.get(str(kind), str(kind or "any"))


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _table(title: str, schema: dict[str, Any]) -> list[str]:
    lines = [f"## {title}", ""]
    if schema.get("description"):
        lines += [_cell(schema["description"]), ""]
    lines += ["| field | type | description |", "|---|---|---|"]
    for name, prop in schema.get("properties", {}).items():
        lines.append(f"| `{name}` | {_type(prop)} | {_cell(prop.get('description', ''))} |")
    return [*lines, ""]


def record_markdown() -> str:
    """The field reference of :class:`~cchc_extract.model.Notice` and every nested object."""
    from .model import Notice

    schema = Notice.model_json_schema()
    defs: dict[str, Any] = schema.get("$defs", {})
    out = [_HEAD, *_table("Notice", schema)]
    for name in defs:  # pydantic lists them sorted by name
        out += _table(name, defs[name])
    return "\n".join(out).rstrip("\n") + "\n"
