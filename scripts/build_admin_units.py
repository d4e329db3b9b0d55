"""Build ``cchc_extract/data/admin_units_2025.json.gz``: the 2025 administrative-unit mapping.

``places.py`` resolves a document's place name to its post-1-July-2025 province and commune with
an offline old -> new mapping. The mapping comes from underthesea's
``underthesea/address/data/mapping.json`` (underthesea 9.5, Apache-2.0; built by underthesea from
vietnamadminunits 1.0.4, MIT). Depending on underthesea for one data file pulled ten packages
(huggingface-hub, requests, click, joblib ...) that parsing never imports, so this script keeps
the fields ``places.py`` reads and writes them compressed into the package (about 0.3 MB).

Run it only to refresh the data: ``pip install underthesea && python scripts/build_admin_units.py``
(or pass the path of a ``mapping.json``).
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "cchc_extract" / "data" / "admin_units_2025.json.gz"
WARD_FIELDS = ("old_province", "old_district", "old_ward", "new_province_key", "new_ward")


def underthesea_mapping() -> Path:
    spec = importlib.util.find_spec("underthesea")
    for location in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(location) / "address" / "data" / "mapping.json"
        if candidate.is_file():
            return candidate
    raise SystemExit("underthesea is not installed: pip install underthesea, or pass the mapping.json path")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mapping", nargs="?", type=Path, help="underthesea's mapping.json (default: the installed one)")
    ap.add_argument("-o", "--output", type=Path, default=OUT)
    args = ap.parse_args()
    src = args.mapping or underthesea_mapping()
    data = json.loads(src.read_text(encoding="utf-8"))
    out = {
        "metadata": {
            **data["metadata"],
            "derived_from": "underthesea 9.5 address/data/mapping.json (Apache-2.0), from vietnamadminunits (MIT)",
            "fields": "only the fields cchc_extract/places.py reads; see scripts/build_admin_units.py",
        },
        "province_mapping": data["province_mapping"],
        "province_names": data["province_names"],
        "old_province_names": {
            k: {"name": v["name"], "short": v["short"]} for k, v in data["old_province_names"].items()
        },
        "ward_mapping": [{f: rec.get(f) for f in WARD_FIELDS} for rec in data["ward_mapping"]],
    }
    payload = json.dumps(out, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same mapping gives the same bytes (no spurious diff on a rebuild).
    args.output.write_bytes(gzip.compress(payload, compresslevel=9, mtime=0))
    print(f"{args.output}: {len(data['ward_mapping'])} commune records, {args.output.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
