"""Regenerate ``corpus/<stem>.expected.json`` from the TXT of each corpus document.

Run after a deliberate change of behaviour, then review ``git diff corpus/`` by eye: the expected
records are the golden tests' reference. ``source.path`` is stored relative to the corpus folder.

    python scripts/update_expected.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cchc_extract import parse_notice  # noqa: E402


def main() -> int:
    corpus = ROOT / "corpus"
    for txt in sorted(corpus.glob("*.txt")):
        record = parse_notice(txt).model_dump(mode="json")
        record["source"]["path"] = txt.name
        out = corpus / f"{txt.stem}.expected.json"
        out.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
