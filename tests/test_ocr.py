"""OCR: scans, garbled text layers and page images read through Tesseract and the PDF geometry.

Tests that run Tesseract skip (with the reason) where it or its Vietnamese model is absent; they
read few, small pages (CI time). The heavier dpi/accuracy runs are ``benchmarks/ocr.py``.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from cchc_extract import NoTextLayerError, NoticeError, OcrUnavailableError, parse_notice
from cchc_extract.document import OcrPageInfo
from cchc_extract.readers import ocr, read_document, sniff_format

from .conftest import image_pdf
from .helpers import CORPUS, GOLD, ROOT, SHARED, realworld_file

sys.path.insert(0, str(ROOT / "scripts"))
from make_scans import VARIANTS, Variant, make_scan, render_pages

needs_tesseract = pytest.mark.skipif(
    not ocr.ocr_available(), reason="Tesseract with its Vietnamese model is not installed (tesseract-ocr-vie)"
)
SCORER = SHARED / "eval" / "score.py"
NOTICE = CORPUS / "001_41fd4556a725f6fe.pdf"
"""A four-page inspection notice of the corpus."""


# --- without Tesseract -----------------------------------------------------------------------------


def test_missing_tesseract_is_a_typed_error_naming_the_packages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(image_pdf())
    with pytest.raises(OcrUnavailableError) as err:
        parse_notice(scan)
    assert "scan.pdf" in str(err.value)
    assert "tesseract-ocr-vie" in err.value.message
    assert isinstance(err.value, NoticeError)


def test_missing_tesseract_keeps_the_text_pages_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from .test_reader_pdf import LEFT, minipdf

    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    pdf = minipdf.Pdf()
    pdf.page().text(LEFT, 80, "Tổ kiểm tra thông báo kết luận kiểm tra công tác cải cách hành chính.", 12)
    pdf.page().add_image()
    path = tmp_path / "mixed.pdf"
    path.write_bytes(pdf.build())
    doc = read_document(path).document
    assert doc.warnings[0].startswith("ocr_unavailable: pages 2 need OCR")
    assert "tesseract-ocr" in doc.warnings[0]


def test_ocr_option_is_checked() -> None:
    with pytest.raises(ValueError, match="auto, never, always"):
        parse_notice(NOTICE, ocr="sometimes")  # type: ignore[arg-type]


def test_image_with_ocr_never_is_a_typed_error(tmp_path: Path) -> None:
    from PIL import Image

    path = tmp_path / "page.png"
    Image.new("L", (200, 280), 255).save(path)
    with pytest.raises(NoTextLayerError, match="never"):
        parse_notice(path, ocr="never")


# --- pieces ----------------------------------------------------------------------------------------


def test_tsv_rows_become_words_with_confidence() -> None:
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
        "4\t1\t1\t1\t1\t0\t10\t20\t300\t40\t-1\t\n"
        "5\t1\t1\t1\t1\t1\t10\t20\t60\t40\t91.5\tSố:\n"
        "5\t1\t1\t1\t1\t2\t80\t22\t90\t38\t40.25\t02/TB\n"
        "5\t1\t1\t1\t1\t3\t180\t22\t90\t38\t95\t \n"
    )
    words = ocr.parse_tsv(tsv)
    assert [(w.text, w.conf) for w in words] == [("Số:", 0.915), ("02/TB", 0.4025)]
    assert words[1].x1 == 170 and words[1].bottom == 60


def test_words_of_two_columns_on_one_tesseract_line_get_their_own_rows() -> None:
    """Tesseract strings a right-column line and a lower left-column line into one 'line'."""
    line = (1, 1, 1)
    words = [
        ocr.OcrWord("Các", 100, 409, 150, 442, 0.97, line),
        ocr.OcrWord("phòng", 160, 409, 250, 451, 0.96, line),
        ocr.OcrWord("PHÓ", 1300, 382, 1360, 425, 0.93, line),
        ocr.OcrWord("CHỦ", 1380, 382, 1440, 425, 0.93, line),
    ]
    chars = ocr.ocr_chars(ocr.OcrImage(words, 2480, 3508, 300.0, 1.0))
    baselines = {c.text: c.baseline for c in chars}
    assert baselines["Các"] == baselines["phòng"] != baselines["PHÓ"] == baselines["CHỦ"]


def test_summary_names_pages_and_confidence() -> None:
    pages = [OcrPageInfo(1, 400, 0.91, 2.0), OcrPageInfo(2, 380, 0.83, 2.0), OcrPageInfo(3, 300, 0.87, 2.0)]
    assert ocr.summary(pages) == f"ocr: pages 1-3, mean confidence 0.87 (Tesseract vie, {ocr.DEFAULT_DPI} dpi)"
    assert ocr.page_ranges([4, 1, 2, 7, 8]) == "1-2, 4, 7-8"


def test_skew_is_measured_from_the_text_lines() -> None:
    from PIL import Image, ImageDraw

    image = Image.new("L", (1200, 1600), 255)
    draw = ImageDraw.Draw(image)
    for y in range(150, 1450, 60):
        for x in range(120, 1080, 90):
            draw.rectangle((x, y, x + 70, y + 22), fill=0)  # word-like blocks on straight lines
    assert ocr.image_skew(image) == 0.0
    tilted = image.rotate(1.0, fillcolor=255)
    assert abs(ocr.image_skew(tilted) + 0.01745) < 0.002  # lines run up to the right


def test_image_formats_are_sniffed() -> None:
    assert sniff_format(b"\x89PNG\r\n\x1a\n\x00\x00") == "png"
    assert sniff_format(b"\xff\xd8\xff\xe0\x00\x10JFIF") == "jpeg"
    assert sniff_format(b"II*\x00\x08\x00") == "tiff"
    assert sniff_format(b"MM\x00*\x00\x00") == "tiff"
    assert sniff_format(b"GIF89a") is None


# --- with Tesseract --------------------------------------------------------------------------------


def _fold(text: str) -> str:
    """Tone marks off (OCR confuses hỏi and sắc: "kiếm" for "kiểm"), case folded."""
    marks = {0x0300, 0x0301, 0x0303, 0x0309, 0x0323}
    return unicodedata.normalize("NFC", "".join(
        ch for ch in unicodedata.normalize("NFD", text) if ord(ch) not in marks
    )).casefold()


def _one_page_png(pdf: Path, dpi: int, page: int = 0) -> bytes:
    image = list(render_pages(pdf, dpi))[page]
    buf = io.BytesIO()
    image.save(buf, "PNG", dpi=(dpi, dpi))
    return buf.getvalue()


@needs_tesseract
def test_png_page_is_read_through_the_pdf_geometry(tmp_path: Path) -> None:
    """Page 1 of a notice as a PNG: the two-column header splits as in the text-layer PDF."""
    path = tmp_path / "page1.png"
    path.write_bytes(_one_page_png(NOTICE, 200))
    rec = parse_notice(path)
    assert rec.source.format == "png" and rec.source.text_source == "ocr" and rec.source.ocr_pages == [1]
    assert rec.warnings[0].startswith("ocr: page 1, mean confidence 0.")
    assert rec.doc_type is not None and rec.doc_type.code == "TB"
    assert rec.number is not None and rec.number.raw == "/TB-ĐKT"
    assert rec.date is not None and (rec.date.month, rec.date.year) == (4, 2026)
    assert rec.issuer is not None and _fold(rec.issuer.name) == _fold("ĐOÀN KIỂM TRA")
    assert rec.title is not None and rec.title.startswith("Kết luận kiểm tra công tác")


@needs_tesseract
def test_multi_page_tiff_is_read_page_by_page(tmp_path: Path) -> None:
    pages = list(render_pages(NOTICE, 150))[2:4]
    path = tmp_path / "scan.tif"
    pages[0].save(path, "TIFF", save_all=True, append_images=pages[1:], dpi=(150, 150), compression="tiff_lzw")
    rec = parse_notice(path)
    assert rec.source.format == "tiff" and rec.source.pages == 2 and rec.source.ocr_pages == [1, 2]
    assert rec.signer is not None and rec.signer.name == "Nguyễn Thị Minh Huệ"
    assert [_fold(r) for r in rec.recipients][:3] == [
        _fold(r) for r in ("Chủ tịch, các PCT UBND xã", "Đoàn kiểm tra CCHC", "Trung tâm PVHCC")
    ]


@needs_tesseract
def test_ocr_never_and_always(tmp_path: Path) -> None:
    scan = tmp_path / "scan.pdf"
    make_scan(NOTICE, scan, Variant(150))
    with pytest.raises(NoTextLayerError, match="never"):
        parse_notice(scan, ocr="never")
    text_layer = parse_notice(NOTICE, ocr="never")
    assert text_layer.source.text_source == "text" and text_layer.source.ocr_pages == []


@needs_tesseract
@pytest.mark.skipif(not SCORER.exists(), reason="../shared (referee and gold) not present")
def test_image_only_pdfs_score_close_to_their_text_layer(tmp_path: Path) -> None:
    """Two corpus notices as image-only PDFs (200 dpi straight; 300 dpi tilted with dust):
    the referee's overall score stays within 0.05 of the same documents' text-layer PDFs."""
    cases = {"001_41fd4556a725f6fe": "dpi200", "004_e309a0c186841072": "skew300"}
    gold = tmp_path / "gold"
    gold.mkdir()
    for stem in cases:
        (gold / f"{stem}.gold.json").symlink_to(GOLD / f"{stem}.gold.json")

    def referee(folder: Path) -> float:
        report = folder / "score.json"
        subprocess.run(
            [sys.executable, str(SCORER), "--pred", str(folder), "--gold", str(gold), "--json", str(report)],
            check=True, capture_output=True,
        )
        return float(json.loads(report.read_text(encoding="utf-8"))["overall"])

    text_out, scan_out = tmp_path / "text", tmp_path / "scan"
    text_out.mkdir()
    scan_out.mkdir()
    for stem, variant in cases.items():
        scan = tmp_path / variant / f"{stem}.pdf"
        make_scan(CORPUS / f"{stem}.pdf", scan, VARIANTS[variant])
        for src, out in ((CORPUS / f"{stem}.pdf", text_out), (scan, scan_out)):
            rec = parse_notice(src)
            (out / f"{stem}.json").write_text(rec.model_dump_json(), encoding="utf-8")
        assert rec.source.text_source == "ocr" and rec.warnings[0].startswith("ocr: pages 1-4")
    assert referee(scan_out) >= referee(text_out) - 0.05


@needs_tesseract
def test_h009_scan_with_a_garbled_layer_is_read_by_ocr() -> None:
    rec = parse_notice(realworld_file("h009.pdf"))
    assert rec.source.text_source == "ocr" and rec.source.ocr_pages == [1, 2, 3]
    assert rec.warnings[0].startswith("ocr: pages 1-3, mean confidence 0.9")
    assert rec.doc_type is not None and rec.doc_type.code == "TB"
    assert rec.title is not None and rec.title.startswith("Kết luận của đồng chí")


def test_uncertain_ocr_digits_never_become_values() -> None:
    """A sequence or day read with low confidence is left blank (the text keeps the reading);
    a printed part read with middling confidence is kept and flagged."""
    from cchc_extract import model as m
    from cchc_extract.pipeline import notice_from_raw
    from cchc_extract.readers import nfc
    from cchc_extract.readers.txt import text_document

    raw = text_document(
        "ỦY BAN NHÂN DÂN XÃ ĐẠI SƠN\nTỔ KIỂM TRA\nSố: 88/TB-TKT\nĐại Sơn, ngày 16 tháng 01 năm 2026\n"
        "THÔNG BÁO\nKết luận kiểm tra công tác cải cách hành chính năm 2026\n"
    )
    raw.ocr_pages = [OcrPageInfo(1, 40, 0.9, 1.0, uncertain=[("88/TB-TKT", 0.49), ("16", 0.50), ("01", 0.72)])]
    rec = notice_from_raw(nfc(raw), m.Source(path="scan.png", format="png", sha256="0" * 64))
    assert rec.number is not None and rec.number.seq is None and rec.number.raw == "/TB-TKT"
    assert rec.date is not None and (rec.date.day, rec.date.month, rec.date.year, rec.date.iso) == (None, 1, 2026, None)
    assert "Số: 88/TB-TKT" in rec.text
    assert any(w.startswith("ocr_uncertain_number: the sequence of '88/TB-TKT'") for w in rec.warnings)
    assert any(w.startswith("ocr_uncertain_date:") and "day 16 (0.50)" in w for w in rec.warnings)
    assert any(w.startswith("ocr_uncertain_date:") and "month 01 with confidence 0.72; check it" in w
               for w in rec.warnings)
