"""The install carries only what parsing imports; the README's two commands are the ones CI runs."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from .helpers import CORPUS, ROOT

_PARSE_ALL_FORMATS = """
import json, sys
from importlib.metadata import packages_distributions
from cchc_extract import NoticeError, parse_notice
for path in sys.argv[1:]:
    try:
        parse_notice(path)
    except NoticeError:
        if not path.endswith(".png"):  # a blank page image: OCR runs and finds no text
            raise
dists = packages_distributions()
print(json.dumps(sorted({d for m in list(sys.modules) for d in dists.get(m.split(".")[0], [])})))
"""


# Packages that an imported dependency requires but parsing never imports itself; each one named
# here on purpose, so a new one fails the test.
REQUIRED_BY_AN_IMPORTED_PACKAGE = {
    "pillow": "pikepdf requires it for images; reading signatures never decodes one",
    "packaging": "pikepdf requires it (version checks on other paths)",
    "pycparser": "cffi requires it to build bindings; cryptography's are prebuilt",
}


def _name(requirement: str) -> str:
    return re.split(r"[\s;<>=!~\[(]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _closure(names: list[str]) -> set[str]:
    """The distributions installing ``names`` brings (required, not extra, dependencies)."""
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        todo += [_name(r) for r in requires if "extra ==" not in r and "extra==" not in r]
    return seen


def _signed_pdf(folder: Path) -> Path:
    """A corpus PDF signed with a throw-away certificate (tests/fixtures/signing.py)."""
    spec = importlib.util.spec_from_file_location("signing", ROOT / "tests" / "fixtures" / "signing.py")
    assert spec and spec.loader
    signing = sys.modules.setdefault("signing", importlib.util.module_from_spec(spec))  # dataclasses need it
    spec.loader.exec_module(signing)
    ca = signing.make_ca()
    who = signing.issue(ca, "Ủy ban nhân dân xã An Bình", "Tỉnh Lâm Đồng")
    path = folder / "signed.pdf"
    path.write_bytes(signing.sign(sorted(CORPUS.glob("*[0-9a-f].pdf"))[0].read_bytes(), who, "Signature1"))
    return path


def test_the_base_install_is_what_parsing_imports(tmp_path: Path) -> None:
    """Every package `pip install .` brings is imported by parsing a TXT, a DOCX and a signed PDF."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    base = [_name(r) for r in project["dependencies"]]
    installed = _closure(base)
    files = [sorted(CORPUS.glob(f"*[0-9a-f].{ext}"))[0] for ext in ("txt", "docx")] + [_signed_pdf(tmp_path)]
    from PIL import Image

    from cchc_extract.readers.ocr import ocr_available

    blank = tmp_path / "blank.png"
    Image.new("RGB", (120, 170), "white").save(blank)
    files.append(blank)  # an image input: OCR imports pillow and numpy
    # Without Tesseract the image stops at the typed error before either is imported.
    ocr_only = set() if ocr_available() else {"pillow", "numpy"}
    out = subprocess.run([sys.executable, "-c", _PARSE_ALL_FORMATS, *map(str, files)],
                         capture_output=True, text=True, check=True, timeout=120).stdout
    imported = {d.lower().replace("_", "-") for d in json.loads(out)}
    unused = installed - imported - set(REQUIRED_BY_AN_IMPORTED_PACKAGE) - ocr_only
    assert unused == set(), "installed for parsing but never imported while parsing"
    assert {_name(r) for r in base} - ocr_only <= imported  # every direct dependency is used


def _block_after(text: str, marker: str) -> str:
    tail = text[text.index(marker):]
    return tail[tail.index("```bash") + len("```bash"):].split("```", 1)[0].strip()


def test_the_readme_commands_start_with_a_virtualenv_and_ci_runs_the_test_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    user = _block_after(readme, "Install, then parse the bundled corpus")
    tests = _block_after(readme, "Run the tests")
    assert user.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install . && cchc-extract parse")
    assert tests.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install '.[test]' && python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -q '.[test]' && python -m pytest" in ci
