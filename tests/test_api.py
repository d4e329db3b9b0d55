"""The Python API: ``parse_notice`` on bytes and file objects, as on the same file."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from cchc_extract import NoticeError, UnsupportedFormatError, parse_notice

from .helpers import CORPUS


def _without_path(dump: dict) -> dict:  # type: ignore[type-arg]
    return {**dump, "source": {k: v for k, v in dump["source"].items() if k != "path"}}


@pytest.mark.parametrize("suffix", [".txt", ".docx", ".pdf"])
def test_bytes_equal_the_file(suffix: str) -> None:
    path = sorted(CORPUS.glob(f"*[0-9a-f]{suffix}"))[0]
    data = path.read_bytes()
    from_file = parse_notice(path).model_dump(mode="json")
    from_bytes = parse_notice(data, filename=path.name)
    assert from_bytes.source.path == path.name
    assert _without_path(from_bytes.model_dump(mode="json")) == _without_path(from_file)
    from_fileobj = parse_notice(io.BytesIO(data), filename=f"uploads/{path.name}")
    assert from_fileobj.source.path == f"uploads/{path.name}"
    assert _without_path(from_fileobj.model_dump(mode="json")) == _without_path(from_file)


def test_a_zip_member(tmp_path: Path) -> None:
    path = sorted(CORPUS.glob("*[0-9a-f].docx"))[0]
    archive = tmp_path / "batch.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(path, f"2026/{path.name}")
    with zipfile.ZipFile(archive) as zf, zf.open(f"2026/{path.name}") as member:
        rec = parse_notice(member, filename=member.name)
    assert rec.source.path == f"2026/{path.name}" and rec.source.sha256 == parse_notice(path).source.sha256


def test_filename_is_the_format_hint_and_the_name_in_errors() -> None:
    data = sorted(CORPUS.glob("*[0-9a-f].pdf"))[0].read_bytes()
    rec = parse_notice(data, filename="report.docx")  # named .docx, content PDF: read as PDF, with a warning
    assert rec.source.format == "pdf" and any(w.startswith("format_mismatch") for w in rec.warnings)
    assert parse_notice(data).source.path == "<bytes>"
    with pytest.raises(UnsupportedFormatError) as info:
        parse_notice(b"\x7fELF" + bytes(50), filename="tool.bin")
    assert info.value.path == "tool.bin" and str(info.value).startswith("tool.bin: ")
    with pytest.raises(NoticeError) as broken:
        parse_notice(b"%PDF-1.4 cut short", filename="a/b/cut.pdf")
    assert broken.value.path == "a/b/cut.pdf"


def test_wrong_types_say_what_is_expected() -> None:
    with pytest.raises(TypeError, match="binary file object"):
        parse_notice(io.StringIO("THÔNG BÁO"))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="path, bytes or a binary file object"):
        parse_notice(42)  # type: ignore[arg-type]
