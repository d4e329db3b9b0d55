"""Handwritten header fields: digits drawn as pen strokes, located by layout, read or refused."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from cchc_extract.readers import handwriting as hw

from .scan_images import digit_strip, header_image

needs_model = pytest.mark.skipif(not hw.available(), reason="the [ocr] extra (rapidocr-onnxruntime) is not installed")


@dataclass(frozen=True)
class W:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    line: tuple[int, int, int] = (1, 1, 2)
    conf: float = 0.9


def _number_line(*texts_and_x: tuple[str, float, float]) -> list[W]:
    return [W(t, x0, 100, x1, 125) for t, x0, x1 in texts_and_x]


def test_number_field_runs_from_the_label_to_the_slash() -> None:
    words = _number_line(("Số:", 200, 240), ("8§", 250, 300), ("/QĐ-UBND", 310, 420))
    (spot,) = [s for s in hw.locate_fields(words) if s.name == "number.seq"]
    assert (spot.x0, spot.x1) == (240, 310)
    assert spot.label_exact and spot.end_exact
    assert spot.top < 100 and spot.bottom > 125  # pen strokes rise above the printed line


def test_a_label_merged_with_the_pen_is_not_exact() -> None:
    words = _number_line(("Số:4", 200, 260), ("/QĐ-XPHC", 270, 380))
    (spot,) = hw.locate_fields(words)
    assert spot.x0 == 200 and not spot.label_exact and spot.end_exact


def test_day_field_runs_from_ngay_to_thang_and_a_printed_month_is_left_to_ocr() -> None:
    words = [W(t, x0, 100, x1, 125) for t, x0, x1 in
             [("Hà", 600, 630), ("Nội,", 635, 680), ("ngày", 690, 740), ("{§", 750, 790),
              ("tháng", 800, 860), ("01", 865, 890), ("năm", 895, 940), ("2025", 945, 1000)]]
    spots = {s.name: s for s in hw.locate_fields(words)}
    assert set(spots) == {"date.day"}
    assert (spots["date.day"].x0, spots["date.day"].x1) == (740, 800)


def test_a_month_that_ocr_did_not_read_as_digits_is_a_field_too() -> None:
    words = [W(t, x0, 100, x1, 125) for t, x0, x1 in
             [("ngày", 690, 740), ("tháng", 800, 860), ("O{", 865, 890), ("năm", 895, 940), ("2025", 945, 1000)]]
    names = [s.name for s in hw.locate_fields(words)]
    assert names == ["date.day", "date.month"]


def test_printed_digits_read_with_little_confidence_are_read_again() -> None:
    words = [W(t, x0, 100, x1, 125, conf=c) for t, x0, x1, c in
             [("ngày", 690, 740, 0.9), ("tháng", 800, 860, 0.9), ("01", 865, 890, 0.44),
              ("năm", 895, 940, 0.9), ("2025", 945, 1000, 0.5)]]
    spots = {s.name: s for s in hw.locate_fields(words)}
    assert set(spots) == {"date.day", "date.month", "date.year"}
    assert spots["date.year"].x0 == 940 and spots["date.year"].x1 > 1000


def test_no_field_without_its_closing_word() -> None:
    assert hw.locate_fields(_number_line(("Số:", 200, 240), ("89", 250, 300))) == []


@needs_model
@pytest.mark.parametrize("digits", ["89", "16", "04", "123", "7", "30"])
def test_pen_digits_read_as_written(digits: str) -> None:
    reading = hw.read_digits(digit_strip(digits), line_height=40)
    assert reading.digits == digits
    assert reading.confidence >= hw.MIN_CONFIDENCE


@needs_model
def test_a_blank_field_reads_as_empty_not_as_a_digit() -> None:
    import numpy as np

    blank = np.full((90, 200, 3), 255, dtype=np.uint8)
    blank[80:82, 10:190] = 0  # a dotted rule under the field is not ink of the field
    assert hw.read_digits(blank, line_height=40) == hw.DigitReading("", 1.0)


@needs_model
def test_a_scribble_is_never_read_as_digits() -> None:
    import numpy as np
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (220, 110), "white")
    d = ImageDraw.Draw(img)
    d.line([(20, 60), (50, 30), (80, 80), (110, 25), (140, 85), (170, 30), (200, 70)], fill=(20, 20, 90), width=6)
    d.ellipse([60, 20, 150, 95], outline=(20, 20, 90), width=6)
    reading = hw.read_digits(np.asarray(img), line_height=40)
    assert reading.digits is None or reading.digits == ""


@needs_model
def test_a_day_outside_the_calendar_is_refused() -> None:
    reading = hw.read_digits(digit_strip("45"), line_height=40, name="date.day")
    assert reading.digits is None and reading.candidate == "45"


@needs_model
def test_red_seal_ink_over_a_field_is_not_a_stroke() -> None:

    strip = digit_strip("16").copy()
    _h, w = strip.shape[:2]
    strip[5:9, :] = (225, 40, 50)  # the seal's ring crossing the field
    strip[:, w - 12 : w - 8] = (225, 40, 50)
    assert hw.read_digits(strip, line_height=40).digits == "16"


@needs_model
def test_header_fields_read_from_a_rendered_page_by_ocr_word_boxes() -> None:
    from .scan_images import ocr_words

    img = header_image("89", "16", month="3")
    words = ocr_words(img, 200)
    readings = {s.name: hw.read_field(img, s).digits for s in hw.locate_fields(words)}
    assert readings == {"number.seq": "89", "date.day": "16"}


@needs_model
def test_a_day_written_against_ngay_is_cut_from_the_label() -> None:
    from .scan_images import ocr_words

    img = header_image("104", "05", touching_day=True)
    words = ocr_words(img, 200)
    readings = {s.name: hw.read_field(img, s).digits for s in hw.locate_fields(words)}
    assert readings.get("date.day") == "05"
    assert readings.get("number.seq") == "104"
