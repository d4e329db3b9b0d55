"""Scanned PDFs read for their identity: page plan, regions, handwritten fields put in place,
identity-zone edits; and whole synthetic scans parsed with ``ocr="header"``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from cchc_extract.readers import handwriting as hw
from cchc_extract.readers import scan
from cchc_extract.readers import scan_header as sh
from cchc_extract.readers.layout import Line, Word

from .scan_images import draw_seal, header_image, scan_pdf, signature_image


def _ink(red: float = 0.0, ink: float = 0.02, rows: tuple[float, float] | None = None) -> sh.PageInk:
    return sh.PageInk(red, ink, rows)


def test_header_mode_reads_page_one_and_the_sealed_page_only() -> None:
    inks = {0: _ink(), 1: _ink(), 2: _ink(0.01, rows=(0.6, 0.75)), 3: _ink(0.0005, 0.0005)}
    plans, skipped = scan.plan(inks, "header")
    assert [(p.index, p.fields, p.signature) for p in plans] == [(0, True, False), (2, False, True)]
    assert skipped == [1, 3]
    plans, skipped = scan.plan(inks, "auto")
    assert [p.index for p in plans] == [0, 1, 2, 3] and skipped == []


def test_without_a_seal_the_last_written_page_is_the_signature_page() -> None:
    plans, _ = scan.plan({0: _ink(), 1: _ink(), 2: _ink(ink=0.0)}, "header")
    assert [(p.index, p.signature) for p in plans] == [(0, False), (1, True)]


def test_regions_split_the_signature_zone_into_its_two_columns() -> None:
    p = scan.PagePlan(0, _ink(0.01, rows=(0.7, 0.85)), fields=True, signature=True)
    header, left, right = scan.regions(p, "header")
    assert header == (0.0, 0.0, 1.0, scan.HEADER_ZONE)
    assert left[0] == 0.0 and left[2] == 0.5 and right[0] == 0.5 and right[2] == 1.0
    assert left[1] == pytest.approx(0.7 - scan.SIGNATURE_ZONE_ABOVE)
    full = scan.regions(p, "auto")
    assert full[0] == (0.0, 0.0, 1.0, pytest.approx(0.7 - scan.SIGNATURE_ZONE_ABOVE)) and full[-1][3] == 1.0


@dataclass(frozen=True)
class W:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    conf: float = 0.9
    line: tuple[int, int, int] = (1, 1, 2)


@dataclass
class R:
    words: list[W] = field(default_factory=list)


def _number_words() -> list[W]:
    return [W("Số:4", 200, 100, 262, 125), W("†/QĐÐ-UBND", 265, 100, 390, 125), W("Hà", 600, 100, 630, 125)]


def test_digits_read_replace_tesseracts_guess_and_the_label_is_spelt_as_printed() -> None:
    words = _number_words()
    spot = hw.FieldSpot("number.seq", 200, 390, 85, 135, 25, False, False, (0, 1))
    edits = scan._field_words(words, spot, hw.DigitReading("47", 0.93))
    assert [w.text for w in edits[0]] == ["Số:", "47"]
    assert [w.text for w in edits[1]] == ["/QĐ-UBND"]  # the Ð look-alike mended
    assert edits[0][1].conf == 0.93
    assert edits[0][0].x1 <= edits[0][1].x0 < edits[1][0].x0  # reading order kept


def test_an_unreadable_field_leaves_the_number_blank_never_a_guess() -> None:
    words = _number_words()
    spot = hw.FieldSpot("number.seq", 200, 390, 85, 135, 25, False, False, (0, 1))
    edits = scan._field_words(words, spot, hw.DigitReading(None, 0.3, "44"))
    assert [w.text for k in sorted(edits) for w in edits[k]] == ["Số:", "/QĐ-UBND"]


def test_the_day_field_keeps_the_month_label_after_it() -> None:
    words = [W("ngày0P", 690, 100, 790, 125), W("tháng", 800, 100, 860, 125)]
    spot = hw.FieldSpot("date.day", 690, 860, 85, 135, 25, False, True, (0, 1))
    edits = scan._field_words(words, spot, hw.DigitReading("05", 0.99))
    assert [w.text for k in sorted(edits) for w in edits[k]] == ["ngày", "05", "tháng"]


@dataclass
class Page:
    lines: list[Line]
    width: float = 595.0
    height: float = 842.0


def _line(text: str, top: float, x0: float = 60.0, gap: float = 4.0) -> Line:
    words = []
    x = x0
    for t in text.split():
        words.append(Word(t, x, x + 7 * len(t), top, top + 12, 12))
        x += 7 * len(t) + gap
    return Line(words, top, top + 12, top + 10, 12)


def test_identity_zones_drop_stamps_restore_capitals_and_mend_the_signature_block() -> None:
    page = Page([
        _line("Ký bởi: Ủy ban nhân dân tỉnh Đồng Tháp", 20, x0=380),
        _line("UY BAN NHÂN DÂN", 60),
        _line("TINH ĐONG THAP", 76),
        _line("Dong Thap, ngày 04 tháng 3 năm 2024", 104, x0=330),
        _line("QUYÉT ĐỊNH", 140, x0=250),
        _line("Căn cứ quy chế làm việc của cơ quan;", 300),   # body: kept as read
        _line("Nơi nhận:", 600),
        _line("- Như Điều 3;", 614),
        _line("~ Sở Nội vụ;", 628),
        _line("Lưu: VT, NC.", 642),
        _line("KT, CHU TỊCH", 600, x0=380),
        _line("PHO CHỦ TỊCH", 614, x0=380),
    ])
    p = scan.PagePlan(0, _ink(0.01, rows=(0.72, 0.8)), fields=True, signature=True)
    notes = scan.edit_lines(page, p)
    texts = [ln.text for ln in page.lines]
    assert texts[0] == "UY BAN NHÂN DÂN"  # ỦY or UỶ: not unambiguous, left as read
    assert "TỈNH ĐỒNG THÁP" in texts and "QUYẾT ĐỊNH" in texts
    assert "Đồng Tháp, ngày 04 tháng 3 năm 2024" in texts
    assert "Căn cứ quy chế làm việc của cơ quan;" in texts
    assert not any(t.startswith("Ký bởi") for t in texts)
    assert "Nơi nhận:" in texts and "- Sở Nội vụ;" in texts and "- Lưu: VT, NC." in texts
    assert "KT. CHỦ TỊCH" in texts and "PHÓ CHỦ TỊCH" in texts
    assert any(n.startswith("ocr_diacritics: 'QUYÉT ĐỊNH'") for n in notes)
    assert any(n.startswith("ocr_label: 'KT,'") for n in notes)


# --- whole synthetic scans ---------------------------------------------------------------------------------


def _needs_ocr() -> None:
    ocr = pytest.importorskip("cchc_extract.readers.ocr")
    if not ocr.ocr_available():
        pytest.skip("Tesseract vie is not installed")
    if not hw.available():
        pytest.skip("the [ocr] extra is not installed")


def _blank_back_page() -> object:
    from PIL import Image

    img = Image.new("RGB", (1653, 2339), "white")
    layer = Image.new("RGB", img.size, "white")
    draw_seal(layer, 1100, 1500, 150)
    return Image.blend(img, layer, 0.1)


def test_a_scanned_decision_yields_its_identity_in_header_mode(tmp_path: Path) -> None:
    _needs_ocr()
    from cchc_extract import parse_notice

    pages = [header_image("27", "09", page_height=842, stamp=True), signature_image(), _blank_back_page()]
    pdf = scan_pdf(tmp_path / "scan.pdf", pages)
    rec = parse_notice(pdf, ocr="header")
    assert rec.number is not None and rec.number.raw == "27/QĐ-UBND"
    assert rec.date is not None and (rec.date.day, rec.date.month, rec.date.year) == (9, 3, 2024)
    assert rec.place == "Đồng Tháp"
    assert rec.doc_type is not None and rec.doc_type.code == "QĐ"
    assert rec.issuer is not None and rec.issuer.name == "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP"
    assert rec.signer is not None and rec.signer.name == "Lê Văn Bình"
    assert rec.signer.authority == "KT. CHỦ TỊCH" and rec.signer.position == "PHÓ CHỦ TỊCH"
    assert any(w.startswith("ocr_handwriting: number.seq read '27'") for w in rec.warnings)
    assert not any("Ký bởi" in (x or "") for x in (rec.title, rec.issuer.name, rec.signer.name))


def test_a_seal_over_the_issuer_never_becomes_the_issuer(tmp_path: Path) -> None:
    _needs_ocr()
    from cchc_extract import parse_notice

    pages = [header_image("5", "12", page_height=842, seal=True), signature_image(seal=True)]
    rec = parse_notice(scan_pdf(tmp_path / "sealed.pdf", pages), ocr="header")
    assert rec.issuer is not None and rec.issuer.name == "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP"
    assert rec.number is not None and rec.number.seq == 5
