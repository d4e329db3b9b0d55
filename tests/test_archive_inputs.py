"""An office archive folder as it really is: junk under document names, Word 97-2003 and other
office formats through LibreOffice, Word files typed in pre-Unicode fonts.

Every file gives a good record or a typed error, never a record of decoded noise.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sys
import unicodedata
from pathlib import Path

import pytest

from cchc_extract import (
    ConverterUnavailableError,
    EmptyDocumentError,
    NoticeError,
    UnreadableDocumentError,
    UnsupportedFormatError,
    parse_notice,
)
from cchc_extract.cli import main
from cchc_extract.readers import office

from .helpers import CORPUS, ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from make_legacy_docx import convert_docx

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice is not installed (libreoffice-writer-nogui)",
)
DOCX = CORPUS / "001_41fd4556a725f6fe.docx"
HTML = b"<!DOCTYPE html>\n<html><head><title>Th\xc3\xb4ng b\xc3\xa1o</title></head><body><p>...</p></body></html>"
JUNK: dict[str, tuple[bytes, type[NoticeError]]] = {
    "zero": (b"", EmptyDocumentError),
    "random": (random.Random(11).randbytes(4096), UnreadableDocumentError),
    "html": (HTML, UnsupportedFormatError),
}


def _record(path: Path) -> dict[str, object]:
    """A record without what legitimately differs between formats of one document."""
    rec = parse_notice(path).model_dump(mode="json")
    rec.pop("source")
    rec.pop("warnings")
    return rec


@pytest.mark.parametrize("ext", [".pdf", ".docx", ".doc", ".txt"])
@pytest.mark.parametrize("kind", sorted(JUNK))
def test_junk_under_a_document_name_is_a_typed_error(tmp_path: Path, kind: str, ext: str) -> None:
    data, error = JUNK[kind]
    path = tmp_path / f"{kind}{ext}"
    path.write_bytes(data)
    with pytest.raises(error) as err:
        parse_notice(path)
    assert path.name in str(err.value)


def test_text_that_decodes_to_control_characters_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "dump.txt"
    path.write_bytes(bytes(range(1, 32)) * 40 + "Thông báo".encode())
    with pytest.raises(UnreadableDocumentError, match="binary data"):
        parse_notice(path)


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: base letter, then a combining tone mark."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tone = next(m for m in parts if m in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", parts.replace(tone, ""))
            out += base.encode("cp1258") + tone.encode("cp1258")
    return out


def test_real_text_in_odd_encodings_still_reads(tmp_path: Path) -> None:
    text = ("ỦY BAN NHÂN DÂN XÃ ĐẠI SƠN\nTỔ KIỂM TRA\nSố: 02/TB-TKT\nĐại Sơn, ngày 06 tháng 7 năm 2026\n"
            "THÔNG BÁO\nKết luận kiểm tra công tác cải cách hành chính năm 2026\n")
    for codec in ("utf-16", "cp1258", "utf-8-sig"):
        path = tmp_path / f"note.{codec}.txt"
        path.write_bytes(_cp1258(text) if codec == "cp1258" else text.encode(codec))
        rec = parse_notice(path)
        assert rec.doc_type is not None and rec.doc_type.code == "TB", codec
        assert rec.number is not None and rec.number.raw == "02/TB-TKT", codec


def test_batch_over_junk_exits_1_and_still_parses_the_good_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    shutil.copy(CORPUS / "001_41fd4556a725f6fe.txt", folder / "good.txt")
    shutil.copy(DOCX, folder / "good.docx")
    for kind, (data, _) in JUNK.items():
        for ext in (".pdf", ".docx", ".txt"):
            (folder / f"{kind}{ext}").write_bytes(data)
    errors = tmp_path / "errors.jsonl"
    code = main(["parse", str(folder), "-o", str(tmp_path / "out"), "--errors", str(errors), "-j", "1"])
    assert code == 1
    failed = {row["path"]: row["error"] for row in map(json.loads, errors.read_text(encoding="utf-8").splitlines())}
    assert {Path(p).name for p in failed} == {f"{k}{e}" for k in JUNK for e in (".pdf", ".docx", ".txt")}
    for path, error in failed.items():
        kind = Path(path).stem
        assert error == JUNK[kind][1].__name__, path
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["good.docx.json", "good.txt.json"]
    err = capsys.readouterr().err
    assert all(name in err for name in ("zero.pdf", "random.docx", "html.txt"))


# --- legacy fonts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_docx_typed_in_a_legacy_font_reads_as_the_unicode_docx(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"legacy.{encoding}.docx"
    path.write_bytes(convert_docx(DOCX.read_bytes(), encoding))
    assert _record(path) == _record(DOCX)
    warnings = parse_notice(path).warnings
    font = ".VnTime, .VnTimeH" if encoding == "tcvn3" else "VNI-Times"
    assert any(w.startswith("encoding_legacy:") and font in w for w in warnings), warnings


def test_legacy_text_without_a_legacy_font_name_is_detected(tmp_path: Path) -> None:
    data = convert_docx(DOCX.read_bytes(), "vni", fonts=("Times New Roman", "Times New Roman"))
    path = tmp_path / "unnamed.docx"
    path.write_bytes(data)
    rec = parse_notice(path)
    assert "encoding_legacy: converted from VNI (detected from the text)" in rec.warnings
    assert rec.title is not None and rec.title.startswith("Kết luận kiểm tra công tác")


def test_unicode_docx_is_not_converted() -> None:
    assert not any(w.startswith("encoding_legacy") for w in parse_notice(DOCX).warnings)


# --- LibreOffice ----------------------------------------------------------------------------------


def test_missing_libreoffice_is_a_typed_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(office.shutil, "which", lambda name: None)
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(ConverterUnavailableError) as err:
        parse_notice(path)
    assert "old.doc" in str(err.value) and "libreoffice" in err.value.message


def _soffice_convert(src: Path, fmt: str, out: Path) -> Path:
    import subprocess

    profile = out / "profile"
    subprocess.run(
        [shutil.which("soffice") or "libreoffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", fmt, "--outdir", str(out), str(src)],
        check=True, capture_output=True, timeout=180, env={**os.environ, "HOME": str(out)},
    )
    return out / f"{src.stem}.{fmt}"


@needs_soffice
@pytest.mark.parametrize("fmt", ["doc", "odt"])
def test_office_formats_convert_and_read_as_the_docx(tmp_path: Path, fmt: str) -> None:
    converted = _soffice_convert(DOCX, fmt, tmp_path)
    rec = parse_notice(converted)
    assert rec.source.format == fmt
    assert rec.warnings[0] == f"converted: {fmt.upper()} converted to DOCX with LibreOffice before reading"
    assert _record(converted) == _record(DOCX)


@needs_soffice
def test_rtf_named_doc_converts(tmp_path: Path) -> None:
    rtf = tmp_path / "note.doc"
    rtf.write_text(
        r"{\rtf1\ansi\ansicpg1258 {\fonttbl{\f0 Times New Roman;}}"
        r"\f0 TH\u212?NG B\u193?O\par S\u7889?: 05/TB-UBND\par K\u7871?t lu\u7853?n ki\u7875?m tra\par}",
        encoding="ascii",
    )
    rec = parse_notice(rtf)
    assert rec.source.format == "rtf"
    assert rec.number is not None and rec.number.raw == "05/TB-UBND"
    assert any(w.startswith("format_mismatch: named .doc but the content is RTF") for w in rec.warnings)


@needs_soffice
def test_conversion_failure_is_a_typed_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + random.Random(3).randbytes(2000))
    with pytest.raises(UnreadableDocumentError):
        parse_notice(path)
