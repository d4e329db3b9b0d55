"""Re-type a Unicode DOCX in a pre-Unicode font: TCVN3 (.VnTime / .VnTimeH) or VNI (VNI-Times).

This is how such files look when they come from an office that still types in ABC or VNI: every
run's text holds the legacy codes (stored by Word as the cp1252 characters of those bytes:
"C«ng v¨n", "Coâng vaên") and names the legacy font. TCVN3 has no codes for toned capitals, so
runs of upper-case words are typed in lower case in the capitals font ``.VnTimeH``; the rest of a
run goes in ``.VnTime``. VNI has capitals of its own, so every run is ``VNI-Times``.

Usage::

    python scripts/make_legacy_docx.py corpus/001_41fd4556a725f6fe.docx --encoding tcvn3 -o /tmp/001.tcvn3.docx
"""

from __future__ import annotations

import argparse
import copy
import io
import re
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from cchc_extract.readers import legacy

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FONTS = {"tcvn3": (".VnTime", ".VnTimeH"), "vni": ("VNI-Times", "VNI-Times")}


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _pieces(text: str, encoding: str) -> list[tuple[str, bool]]:
    """(text, capitals font) pieces: TCVN3 words in capitals go to the H font, in lower case."""
    if encoding != "tcvn3":
        return [(text, False)]
    out: list[tuple[str, bool]] = []
    for token in re.split(r"(\s+)", text):
        caps = token.upper() == token and any(ch.isalpha() and not ch.isascii() for ch in token)
        if out and (out[-1][1] == caps or not token.strip()):
            out[-1] = (out[-1][0] + token, out[-1][1])
        elif token:
            out.append((token, caps))
    return out


def _set_font(run: etree._Element, font: str) -> None:
    rpr = run.find(_w("rPr"))
    if rpr is None:
        rpr = etree.SubElement(run, _w("rPr"))
        run.remove(rpr)
        run.insert(0, rpr)
    fonts = rpr.find(_w("rFonts"))
    if fonts is None:
        fonts = etree.Element(_w("rFonts"))
        rpr.insert(0, fonts)
    for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(_w(attr), font)


def convert_document_xml(xml: bytes, encoding: str, fonts: tuple[str, str] | None = None) -> bytes:
    root = etree.fromstring(xml)
    normal, capitals = fonts or FONTS[encoding]
    for run in list(root.iter(_w("r"))):
        texts = run.findall(_w("t"))
        if len(texts) != 1 or len(run) > 2 + (run.find(_w("rPr")) is not None):
            for t in texts:
                t.text = legacy.from_unicode(t.text or "", encoding)  # type: ignore[arg-type]
            _set_font(run, normal)
            continue
        pieces = _pieces(texts[0].text or "", encoding)
        parent = run.getparent()
        assert parent is not None
        index = parent.index(run)
        for k, (piece, caps) in enumerate(pieces):
            new = copy.deepcopy(run)
            t = new.find(_w("t"))
            assert t is not None
            t.text = legacy.from_unicode(piece.lower() if caps else piece, encoding)  # type: ignore[arg-type]
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            _set_font(new, capitals if caps else normal)
            parent.insert(index + 1 + k, new)
        parent.remove(run)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def convert_docx(data: bytes, encoding: str, fonts: tuple[str, str] | None = None) -> bytes:
    """The DOCX ``data`` re-typed in the legacy ``encoding`` (``tcvn3`` or ``vni``).

    ``fonts`` (normal, capitals) replaces the legacy font names: a legacy text whose font is
    not named as such (an office font renamed, or text pasted into a Unicode font).
    """
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "word/document.xml":
                payload = convert_document_xml(payload, encoding, fonts)
            dst.writestr(info, payload)
    return out.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("docx", type=Path)
    ap.add_argument("--encoding", choices=sorted(FONTS), required=True)
    ap.add_argument("-o", "--output", type=Path, required=True)
    args = ap.parse_args(argv)
    args.output.write_bytes(convert_docx(args.docx.read_bytes(), args.encoding))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
