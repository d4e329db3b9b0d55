"""Plain-text reader: encodings, legacy Vietnamese, line handling."""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc_extract.document import Paragraph
from cchc_extract.errors import EmptyDocumentError
from cchc_extract.readers import read_document
from cchc_extract.readers.legacy import from_unicode
from cchc_extract.readers.txt import decode_text, read_txt

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SEED_000 = SEEDS / "000_9b87a9a4395282da.txt"

VN = "Thông báo kết luận kiểm tra công tác cải cách hành chính"
TCVN3_WARNING = "encoding_legacy: converted from TCVN3 (ABC)"
VNI_WARNING = "encoding_legacy: converted from VNI"
CP1258_WARNING = "encoding: decoded as Windows-1258"
UTF16_WARNING = "encoding: decoded as UTF-16"
_TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258_bytes(text: str) -> bytes:
    """Encode like Windows does: precomposed where cp1258 has the letter, else base + tone mark."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            marks = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in marks if c not in _TONES))
            out += (base + "".join(c for c in marks if c in _TONES)).encode("cp1258")
    return bytes(out)


def lines(data: bytes) -> list[str]:
    doc = read_txt(Path("x.txt"), data)
    assert all(isinstance(b, Paragraph) for b in doc.blocks)
    return [b.text for b in doc.blocks if isinstance(b, Paragraph)]


# ------------------------------------------------------------------------------ Unicode forms


def test_plain_ascii() -> None:
    assert decode_text(b"Report 2026\nAll fine.") == ("Report 2026\nAll fine.", [])


def test_utf8() -> None:
    assert decode_text(VN.encode("utf-8")) == (VN, [])


def test_utf8_bom_is_stripped() -> None:
    assert decode_text(b"\xef\xbb\xbf" + VN.encode("utf-8")) == (VN, [])
    assert lines(b"\xef\xbb\xbf" + VN.encode("utf-8")) == [VN]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16(codec: str) -> None:
    # "utf-16" writes a BOM; the -le/-be codecs do not (detected from NUL positions).
    text, warnings = decode_text(VN.encode(codec))
    assert text == VN
    assert warnings == [UTF16_WARNING]


def test_utf16_le_with_bom_and_crlf() -> None:
    data = b"\xff\xfe" + "Dòng 1\r\nDòng 2\r\n".encode("utf-16-le")
    assert lines(data) == ["Dòng 1", "Dòng 2", ""]


def test_utf16_odd_length_is_replaced_not_fatal() -> None:
    text, warnings = decode_text(VN.encode("utf-16-le") + b"A")
    assert text.startswith(VN)
    assert warnings[0] == UTF16_WARNING
    assert warnings[1].startswith("encoding_replaced: ")


def test_nfd_input_becomes_nfc_and_is_not_converted() -> None:
    nfd = unicodedata.normalize("NFD", VN)
    assert decode_text(nfd.encode("utf-8")) == (VN, [])


def test_utf8_with_a_few_bad_bytes() -> None:
    data = VN.encode("utf-8") + b" \xff\xfe " + VN.encode("utf-8")
    text, warnings = decode_text(data)
    assert text == f"{VN} \ufffd\ufffd {VN}"
    assert warnings == ["encoding_replaced: 2 undecodable bytes replaced"]


# ------------------------------------------------------------------------------- code pages


def test_cp1258_decomposed_tones() -> None:
    data = cp1258_bytes("Thông báo kết luận")
    assert b"\xec" in data  # ế written as ê + combining acute
    assert data.decode("cp1258") != "Thông báo kết luận"  # decomposed until NFC
    assert decode_text(data) == ("Thông báo kết luận", [CP1258_WARNING])


def test_cp1258_long_text() -> None:
    data = cp1258_bytes(VN + "\nỦy ban nhân dân xã Nguyễn Lương Bằng, năm 2026")
    text, warnings = decode_text(data)
    assert text == VN + "\nỦy ban nhân dân xã Nguyễn Lương Bằng, năm 2026"
    assert warnings == [CP1258_WARNING]


def test_cp1258_undefined_bytes_are_counted() -> None:
    text, warnings = decode_text(cp1258_bytes("Thông báo kết luận") + b" \x81")
    assert text == "Thông báo kết luận \ufffd"
    assert warnings == [CP1258_WARNING, "encoding_replaced: 1 undecodable bytes replaced"]


def test_latin1_english_is_not_converted() -> None:
    text, warnings = decode_text("The café served crème brûlée, naïve.".encode("latin-1"))
    assert text == "The café served crème brûlée, naïve."
    assert not any(w.startswith("encoding_legacy") for w in warnings)


# --------------------------------------------------------------------------- legacy encodings

TCVN3_CASES = [
    ("Céng hßa x· héi chñ nghÜa ViÖt Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ("Th«ng b¸o kÕt luËn kiÓm tra", "Thông báo kết luận kiểm tra"),
    ("Tån t¹i, h¹n chÕ", "Tồn tại, hạn chế"),
    ("ngµy 06 th¸ng 7 n¨m 2026", "ngày 06 tháng 7 năm 2026"),
]
VNI_CASES = [
    ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ("Thoâng baùo keát luaän kieåm tra", "Thông báo kết luận kiểm tra"),
    ("Toàn taïi, haïn cheá", "Tồn tại, hạn chế"),
]


@pytest.mark.parametrize(("raw", "expected"), TCVN3_CASES)
def test_tcvn3_bytes(raw: str, expected: str) -> None:
    assert decode_text(raw.encode("latin-1")) == (expected, [TCVN3_WARNING])


@pytest.mark.parametrize(("raw", "expected"), TCVN3_CASES)
def test_tcvn3_already_decoded_to_unicode(raw: str, expected: str) -> None:
    assert decode_text(raw.encode("utf-8")) == (expected, [TCVN3_WARNING])


@pytest.mark.parametrize(("raw", "expected"), VNI_CASES)
def test_vni_bytes(raw: str, expected: str) -> None:
    assert decode_text(raw.encode("cp1252")) == (expected, [VNI_WARNING])


@pytest.mark.parametrize(("raw", "expected"), VNI_CASES)
def test_vni_already_decoded_to_unicode(raw: str, expected: str) -> None:
    assert decode_text(raw.encode("utf-8")) == (expected, [VNI_WARNING])


def test_vni_in_utf16() -> None:
    raw, expected = VNI_CASES[1]
    assert decode_text(raw.encode("utf-16")) == (expected, [UTF16_WARNING, VNI_WARNING])


def test_tcvn3_document_with_cp1252_quotes() -> None:
    # Word kept smart quotes in 0x93/0x94 while the letters used the .VnTime codes.
    data = b"\x93Th\xabng b\xb8o\x94 k\xd5t lu\xcbn"
    assert decode_text(data) == ("“Thông báo” kết luận", [TCVN3_WARNING])


def test_tcvn3_soft_hyphen_u_horn() -> None:
    data = "Tr\xad\xeang TiÓu häc, tr\xad\xeang chÝnh trÞ".encode("latin-1")
    assert decode_text(data) == ("Trường Tiểu học, trường chính trị", [TCVN3_WARNING])


def test_long_tcvn3_document() -> None:
    body = "\n".join(
        [
            "Céng hßa x· héi chñ nghÜa ViÖt Nam",
            "§éc lËp - Tù do - H¹nh phóc",
            "Th«ng b¸o kÕt luËn kiÓm tra c«ng t¸c c¶i c¸ch hµnh chÝnh",
            "I. KÕt qu¶ ®¹t ®\xadîc",
            "II. Tån t¹i, h¹n chÕ",
        ]
    )
    text, warnings = decode_text(body.encode("latin-1"))
    assert text.split("\n") == [
        "Cộng hòa xã hội chủ nghĩa Việt Nam",
        "Độc lập - Tự do - Hạnh phúc",
        "Thông báo kết luận kiểm tra công tác cải cách hành chính",
        "I. Kết quả đạt được",
        "II. Tồn tại, hạn chế",
    ]
    assert warnings == [TCVN3_WARNING]


def test_vni_document_round_trip_from_unicode() -> None:
    unicode = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nỦy ban nhân dân tỉnh, quỹ, kỹ"
    data = from_unicode(unicode, "vni").encode("cp1252")
    assert decode_text(data) == (unicode, [VNI_WARNING])


# ------------------------------------------------------------------------------ read_txt


def test_read_txt_lines_crlf_cr_nul() -> None:
    data = "Dòng một\r\nDòng hai\rDòng\x00 ba\n".encode()
    doc = read_txt(Path("a.txt"), data)
    assert doc.format == "txt"
    assert doc.wrapped is True
    assert doc.warnings == []
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == ["Dòng một", "Dòng hai", "Dòng ba", ""]


def test_read_txt_empty_is_a_typed_error() -> None:
    for data in (b"", b"\xef\xbb\xbf", "   \r\n\t".encode("utf-16")):
        with pytest.raises(EmptyDocumentError):
            lines(data)


def test_read_document_dispatches_and_keeps_warning(tmp_path: Path) -> None:
    path = tmp_path / "tb.txt"
    path.write_bytes("Th«ng b¸o kÕt luËn kiÓm tra\r\nTån t¹i, h¹n chÕ".encode("latin-1"))
    result = read_document(path)
    assert [b.text for b in result.document.blocks if isinstance(b, Paragraph)] == [
        "Thông báo kết luận kiểm tra",
        "Tồn tại, hạn chế",
    ]
    assert result.document.warnings == [TCVN3_WARNING]


# ------------------------------------------------------------------------- real Unicode text


def test_seed_000_unchanged() -> None:
    if not SEED_000.is_file():
        pytest.skip("seed 000 not available")
    data = SEED_000.read_bytes()
    expected = unicodedata.normalize("NFC", data.decode("utf-8-sig"))
    assert decode_text(data) == (expected, [])


def test_all_seeds_unchanged() -> None:
    seeds = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if not seeds:
        pytest.skip("no seeds available")
    for seed in seeds:
        data = seed.read_bytes()
        assert decode_text(data) == (unicodedata.normalize("NFC", data.decode("utf-8-sig")), []), seed.name


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_decode_never_fails(data: bytes) -> None:
    text, warnings = decode_text(data)
    text.encode("utf-8")  # no lone surrogates left behind
    assert all(": " in w for w in warnings)


@pytest.mark.slow
def test_twelve_megabytes_is_fast() -> None:
    unit = "\n".join(u for _, u in TCVN3_CASES) + "\nỦy ban nhân dân xã Nguyễn Lương Bằng\n"
    big = unit * (12_000_000 // len(unit.encode("utf-8")) + 1)
    for data in (
        big.encode("utf-8"),
        from_unicode(big, "tcvn3").encode("utf-8"),  # toned capitals stay Unicode: mixed text
        from_unicode(big, "vni").encode("cp1252"),
    ):
        start = time.process_time()  # CPU time: a guard against quadratic decoding, not a benchmark
        text, _ = decode_text(data)
        assert time.process_time() - start < 5.0
        assert text[:200] == big[:200]
