"""Hostile and broken input: every file gives a record or a typed ``NoticeError``, in bounded time.

All files are generated here. They are parsed once, together, by ``cchc-extract parse`` over the
whole folder (two workers, 60 s per file): the per-case tests then read that run's records and
error lines. A parser exception that is not a ``NoticeError`` shows there as
``InternalParserError``, a hang as ``ParseTimeoutError``, a crash or memory blow-up as
``WorkerCrashError`` / ``ResourceLimitError``: none of those is acceptable for any case.
"""

from __future__ import annotations

import io
import json
import random
import shutil
import subprocess
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from cchc_extract import Notice, NoticeError
from cchc_extract.batch import parse_many
from cchc_extract.cli import main
from cchc_extract.errors import (
    DocumentTooLargeError,
    EmptyDocumentError,
    EncryptedDocumentError,
    NoTextLayerError,
    UnreadableDocumentError,
    UnsupportedFormatError,
)

from .conftest import image_pdf

TIME_LIMIT = 60  # seconds per file: generous; speed is measured by the benchmarks
BATCH_LIMIT_ERRORS = {"ParseTimeoutError", "ResourceLimitError", "WorkerCrashError", "InternalParserError"}
NOTICE_ERRORS = {cls.__name__ for cls in (
    NoticeError, UnsupportedFormatError, UnreadableDocumentError, EncryptedDocumentError,
    NoTextLayerError, DocumentTooLargeError, EmptyDocumentError,
)}
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
ENGLISH = (
    "The quarterly meeting reviewed the budget. Members agreed to publish the minutes next week, "
    "after the chair has read them. Coffee will be served at 10:30 in room 4/B.\n"
)


def _replace_document_xml(docx: bytes, xml: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != "word/document.xml":
                dst.writestr(item, src.read(item.filename))
        dst.writestr("word/document.xml", xml)
    return out.getvalue()


def _write_zip_bomb(path: Path, docx: bytes) -> None:
    """A DOCX whose document.xml is valid XML that inflates to 256 MiB (under 1 MB on disk): past
    the reader's 200 MiB and ratio limits; building 1 GiB cost 7 s of every test run."""
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>'.encode()
    chunk = b" " * (1 << 24)
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(
        path, "w", zipfile.ZIP_DEFLATED, compresslevel=1
    ) as dst:
        for item in src.infolist():
            if item.filename != "word/document.xml":
                dst.writestr(item, src.read(item.filename))
        with dst.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(head)
            for _ in range(16):
                fh.write(chunk)
            fh.write("<w:p><w:r><w:t>THÔNG BÁO</w:t></w:r></w:p></w:body></w:document>".encode())


def _encrypt(pdf: bytes, folder: Path) -> bytes | None:
    qpdf = shutil.which("qpdf")
    if not qpdf:
        return None
    src, dst = folder / "plain.tmp", folder / "enc.tmp"
    src.write_bytes(pdf)
    try:
        subprocess.run([qpdf, "--encrypt", "user-pw", "owner-pw", "256", "--", src, dst], check=True, timeout=60)
        return dst.read_bytes()
    except (subprocess.SubprocessError, OSError):
        return None
    finally:
        src.unlink(missing_ok=True)
        dst.unlink(missing_ok=True)


# "Thông báo kết luận kiểm tra công tác CCHC / Số: 02/TB-TKT" in TCVN3 (ABC), the legacy 8-bit
# font encoding: each Vietnamese letter is one Latin-1 code point.
TCVN3 = "Th«ng b¸o kÕt luËn kiÓm tra c«ng t¸c CCHC\nSè: 02/TB-TKT\n".encode("latin-1")


_SHAPE_MARKS = {"\u0302", "\u0306", "\u031b"}  # circumflex, breve, horn: precomposed in cp1258


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows wrote it: Â/Ơ/Ư... precomposed, tone marks combining."""
    clusters: list[list[str]] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and clusters:
            clusters[-1].append(ch)
        else:
            clusters.append([ch])
    return "".join(
        unicodedata.normalize("NFC", c[0] + "".join(m for m in c[1:] if m in _SHAPE_MARKS))
        + "".join(m for m in c[1:] if m not in _SHAPE_MARKS)
        for c in clusters
    ).encode("cp1258", errors="replace")


def build_hostile(folder: Path, text: str, docx: bytes, pdf: bytes) -> dict[str, str]:
    """Write every case, plus good.txt/.docx/.pdf made of the given documents, into ``folder``;
    return {case file name: why it is there}."""
    rng = random.Random(20260706)
    cases: dict[str, tuple[bytes, str]] = {
        "empty.pdf": (b"", "empty file"),
        "empty.docx": (b"", "empty file"),
        "empty.txt": (b"", "empty file"),
        "random.pdf": (rng.randbytes(4096), "random bytes"),
        "random.docx": (rng.randbytes(4096), "random bytes"),
        "random.txt": (rng.randbytes(4096), "random bytes"),
        "truncated.pdf": (pdf[: len(pdf) // 2], "valid PDF cut in half"),
        "truncated.docx": (docx[: len(docx) // 2], "valid DOCX cut in half"),
        "image_only.pdf": (image_pdf(), "a page with an image and no text layer"),
        "xxe.docx": (
            _replace_document_xml(
                docx,
                (
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                    f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>THÔNG BÁO &x;</w:t></w:r></w:p>'
                    "</w:body></w:document>"
                ).encode(),
            ),
            "external entity pointing at /etc/passwd",
        ),
        "laughs.docx": (
            _replace_document_xml(
                docx,
                (
                    '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "ha ha ha ha ha ha ha ha ha ha">'
                    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
                    + f']><w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&i;</w:t></w:r></w:p></w:body></w:document>'
                ).encode(),
            ),
            "billion laughs (nested entity expansion)",
        ),
        "html.docx": (b"<!DOCTYPE html><html><body><p>Th\xc3\xb4ng b\xc3\xa1o</p></body></html>", "HTML named .docx"),
        "pdf_named.docx": (pdf, "a PDF named .docx"),
        "utf16.txt": (text.encode("utf-16"), "UTF-16 with BOM"),
        "utf8_bom.txt": (b"\xef\xbb\xbf" + text.encode("utf-8"), "UTF-8 with BOM"),
        "nfd.txt": (unicodedata.normalize("NFD", text).encode("utf-8"), "decomposed (NFD) Vietnamese"),
        "cp1258.txt": (_cp1258(text), "Windows-1258"),
        "tcvn3.txt": (TCVN3, "TCVN3 (ABC) legacy encoding"),
        "crlf.txt": (text.replace("\n", "\r\n").encode("utf-8"), "Windows line endings"),
        # 1 MB: a 500-page report's worth, enough to show a cost that grows faster than the text
        # would; the 12 MB reading cost is pinned by test_reader_txt, the pipeline's scaling by
        # benchmarks/ (a 12 MB case here cost 45-95 s of every test run).
        "big.txt": (((text + "\n") * (1_000_000 // len(text.encode()) + 1)).encode("utf-8"), "1 MB of notices"),
        "long_number.txt": (("Số: " + "1" * 200_000 + "\n").encode(), "a 200,000-digit number"),
        "slashes.txt": (("a/b " * 125_000).encode(), "a 500,000-char line of a/b"),
        "fractions.txt": (("3.067/" * 83_334).encode(), "a 500,000-char line of 3.067/"),
        "bullets.txt": (("- \n" * 100_000).encode(), "100,000 empty bullets"),
        "english.txt": ((ENGLISH * 5).encode(), "not a notice at all"),
    }
    encrypted = _encrypt(pdf, folder)
    if encrypted is not None:
        cases["encrypted.pdf"] = (encrypted, "AES-256 encrypted PDF (user password 'user-pw')")
    for name, (data, _why) in cases.items():
        (folder / name).write_bytes(data)
    _write_zip_bomb(folder / "zip_bomb.docx", docx)
    good = {"good.txt": text.encode("utf-8"), "good.docx": docx, "good.pdf": pdf}
    for name, data in good.items():
        (folder / name).write_bytes(data)
    return {name: why for name, (_, why) in cases.items()} | {"zip_bomb.docx": "256 MiB zip bomb"}


@dataclass
class BatchRun:
    folder: Path
    out: Path
    code: int
    records: dict[str, Notice]
    errors: dict[str, dict[str, str]]
    stderr: str
    cases: dict[str, str]


@pytest.fixture(scope="module")
def batch(
    tmp_path_factory: pytest.TempPathFactory, sample_texts: list[str], good_docx: bytes, good_pdf: bytes
) -> BatchRun:
    folder = tmp_path_factory.mktemp("hostile")
    cases = build_hostile(folder, sample_texts[0], good_docx, good_pdf)
    out = tmp_path_factory.mktemp("hostile-out")
    errors = out / "errors.jsonl"
    jsonl = out / "all.jsonl"
    capture = tmp_path_factory.mktemp("capture") / "stderr"
    # run in-process but with stderr in a file: capsys is function-scoped
    import sys

    saved = sys.stderr
    with capture.open("w", encoding="utf-8") as fh:
        sys.stderr = fh
        try:
            code = main([
                "parse", str(folder), "-o", str(out / "json"), "--jsonl", str(jsonl), "--errors", str(errors),
                "-j", "2", "--timeout", str(TIME_LIMIT),
            ])
        finally:
            sys.stderr = saved
    records = {}
    for line in jsonl.read_text(encoding="utf-8").splitlines():
        rec = Notice.model_validate_json(line)
        records[Path(rec.source.path).name] = rec
    errs = {Path(row["path"]).name: row for row in map(json.loads, errors.read_text(encoding="utf-8").splitlines())}
    return BatchRun(folder, out / "json", code, records, errs, capture.read_text(encoding="utf-8"), cases)


CASES = [
    "empty.pdf", "empty.docx", "empty.txt", "random.pdf", "random.docx", "random.txt",
    "truncated.pdf", "truncated.docx", "encrypted.pdf", "image_only.pdf", "zip_bomb.docx", "xxe.docx",
    "laughs.docx", "html.docx", "pdf_named.docx", "utf16.txt", "utf8_bom.txt", "nfd.txt", "cp1258.txt",
    "tcvn3.txt", "crlf.txt", "big.txt", "long_number.txt", "slashes.txt", "fractions.txt", "bullets.txt",
    "english.txt",
]


def _outcome(batch: BatchRun, name: str) -> Notice | dict[str, str]:
    if name not in batch.cases:
        pytest.skip(f"{name} could not be built here (qpdf missing?)")
    assert (name in batch.records) != (name in batch.errors), name
    return batch.records[name] if name in batch.records else batch.errors[name]


@pytest.mark.parametrize("name", CASES)
def test_record_or_typed_error(batch: BatchRun, name: str) -> None:
    """The contract: a record, or a NoticeError subclass; never a crash, hang or memory blow-up."""
    result = _outcome(batch, name)
    if isinstance(result, dict):
        assert result["error"] in NOTICE_ERRORS, f"{name} ({batch.cases[name]}): {result}"
        assert result["error"] not in BATCH_LIMIT_ERRORS
        assert result["message"]


def test_batch_parses_every_good_file_and_exits_1(batch: BatchRun) -> None:
    assert batch.code == 1
    for name in ("good.txt", "good.docx", "good.pdf"):
        assert name in batch.records, batch.errors.get(name)
        assert batch.records[name].text.strip()
        assert (batch.out / f"{Path(name).stem}.json").is_file() or (batch.out / f"{name}.json").is_file()
    assert len(batch.records) + len(batch.errors) == len(batch.cases) + 3
    lines = [line for line in batch.stderr.splitlines() if line.startswith("error: ")]
    assert len(lines) == len(batch.errors)
    assert "Traceback" not in batch.stderr


def _expect(batch: BatchRun, name: str, *allowed: type[NoticeError], record_ok: Callable[[Notice], bool] | None = None) -> None:
    result = _outcome(batch, name)
    if isinstance(result, Notice):
        assert record_ok is not None and record_ok(result), f"{name}: unexpected record, warnings {result.warnings}"
    else:
        assert result["error"] in {cls.__name__ for cls in allowed}, f"{name}: {result}"


def test_truncated_docx_is_unreadable(batch: BatchRun) -> None:
    _expect(batch, "truncated.docx", UnreadableDocumentError)


def test_encrypted_pdf(batch: BatchRun) -> None:
    _expect(batch, "encrypted.pdf", EncryptedDocumentError)
    [(_, rec)] = parse_many([batch.folder / "encrypted.pdf"], workers=1, password="user-pw", timeout=TIME_LIMIT)
    assert isinstance(rec, Notice) and rec.text.strip(), rec


def test_image_only_pdf_has_no_text_layer(batch: BatchRun) -> None:
    _expect(batch, "image_only.pdf", NoTextLayerError, record_ok=lambda r: bool(r.warnings))


def test_zip_bomb_is_refused(batch: BatchRun) -> None:
    _expect(batch, "zip_bomb.docx", DocumentTooLargeError, UnreadableDocumentError)


def test_xxe_never_reads_local_files(batch: BatchRun) -> None:
    for name in ("xxe.docx", "laughs.docx"):
        result = _outcome(batch, name)
        dumped = result.model_dump_json() if isinstance(result, Notice) else json.dumps(result)
        assert "root:" not in dumped
        assert "ha ha ha ha ha ha ha ha ha ha ha" not in dumped  # entities not expanded either
    for path in batch.out.rglob("*.json"):
        assert "root:" not in path.read_text(encoding="utf-8")


def test_html_named_docx_is_unsupported(batch: BatchRun) -> None:
    _expect(batch, "html.docx", UnsupportedFormatError)


def test_pdf_named_docx_is_read_as_pdf_with_a_warning(batch: BatchRun) -> None:
    _expect(
        batch, "pdf_named.docx", record_ok=lambda r: r.source.format == "pdf" and any("format" in w for w in r.warnings)
    )


@pytest.mark.parametrize("name", ["utf16.txt", "utf8_bom.txt", "nfd.txt", "cp1258.txt", "crlf.txt", "big.txt"])
def test_text_encodings_decode_to_nfc(batch: BatchRun, name: str) -> None:
    rec = _outcome(batch, name)
    assert isinstance(rec, Notice), rec
    assert "\r" not in rec.text and "\ufeff" not in rec.text
    assert unicodedata.is_normalized("NFC", rec.text)
    good = batch.records["good.txt"]
    assert rec.doc_type == good.doc_type and rec.number == good.number and rec.date == good.date


def test_tcvn3_text_is_converted(batch: BatchRun) -> None:
    rec = _outcome(batch, "tcvn3.txt")
    assert isinstance(rec, Notice)
    assert "Thông báo kết luận" in rec.text


def test_not_a_notice(batch: BatchRun) -> None:
    rec = _outcome(batch, "english.txt")
    assert isinstance(rec, Notice)
    assert rec.doc_type is None and rec.number is None and rec.date is None
    assert rec.kpis == [] and rec.deadlines == []


def test_stress_lines_give_records(batch: BatchRun) -> None:
    for name in ("long_number.txt", "slashes.txt", "fractions.txt", "bullets.txt", "big.txt"):
        assert isinstance(_outcome(batch, name), Notice), name


def test_no_temporary_files_in_the_output(batch: BatchRun) -> None:
    assert list(batch.out.rglob(".*.tmp")) == []
