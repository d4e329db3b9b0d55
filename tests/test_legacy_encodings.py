"""TCVN3 (ABC) and VNI -> Unicode: tables, round trips, detection."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc_extract.readers import legacy
from cchc_extract.readers.legacy import VIETNAMESE_LETTERS, from_unicode, load_table, to_unicode

NON_ASCII_LETTERS = sorted(ch for ch in VIETNAMESE_LETTERS if not ch.isascii())
TCVN3_CAPITALS = set("ĂÂÊÔƠƯĐ")
TCVN3_LETTERS = [ch for ch in NON_ASCII_LETTERS if ch.islower() or ch in TCVN3_CAPITALS]

# (Unicode, TCVN3 read as Latin-1, VNI read as cp1252); legacy forms from domain.md section 5.
PHRASES = [
    (
        "Cộng hòa xã hội chủ nghĩa Việt Nam",
        "Céng hßa x· héi chñ nghÜa ViÖt Nam",
        "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam",
    ),
    ("Thông báo kết luận kiểm tra", "Th«ng b¸o kÕt luËn kiÓm tra", "Thoâng baùo keát luaän kieåm tra"),
    ("Tồn tại, hạn chế", "Tån t¹i, h¹n chÕ", "Toàn taïi, haïn cheá"),
    ("ngày 06 tháng 7 năm 2026", "ngµy 06 th¸ng 7 n¨m 2026", "ngaøy 06 thaùng 7 naêm 2026"),
]


# ----------------------------------------------------------------------------------- tables


def test_letter_inventory() -> None:
    assert len(NON_ASCII_LETTERS) == 134
    assert all(unicodedata.normalize("NFC", ch) == ch and len(ch) == 1 for ch in VIETNAMESE_LETTERS)


def test_patterns_dir_holds_the_tables() -> None:
    folder = legacy._patterns_dir()
    assert (folder / "encodings" / "tcvn3.yaml").is_file()
    assert (folder / "encodings" / "vni.yaml").is_file()


def test_tcvn3_coverage() -> None:
    table = load_table("tcvn3")
    assert set(table.encode) == set(TCVN3_LETTERS)
    assert len(TCVN3_LETTERS) == 67 + 7
    assert all(len(src) == 1 and 0xA1 <= ord(src) <= 0xFE for src in table.decode)


def test_vni_coverage() -> None:
    table = load_table("vni")
    assert set(table.encode) == set(NON_ASCII_LETTERS)


@pytest.mark.parametrize("letter", TCVN3_LETTERS)
def test_tcvn3_round_trip(letter: str) -> None:
    encoded = from_unicode(letter, "tcvn3")
    assert encoded in load_table("tcvn3").decode  # ý is 0xFD, which Latin-1 also reads as ý
    assert to_unicode(encoded, "tcvn3") == letter


@pytest.mark.parametrize("letter", NON_ASCII_LETTERS)
def test_vni_round_trip(letter: str) -> None:
    encoded = from_unicode(letter, "vni")
    assert to_unicode(encoded, "vni") == letter
    # In context too: inside a word, after a consonant, before one.
    assert to_unicode(from_unicode(f"th{letter}ng", "vni"), "vni") == f"th{letter}ng"


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_every_table_entry_decodes(encoding: legacy.Encoding) -> None:
    table = load_table(encoding)
    for src, letter in table.decode.items():
        assert to_unicode(src, encoding) == letter, src


def test_tcvn3_toned_capitals_are_not_encodable() -> None:
    # No ABC codes for toned capitals (H-font issue): they stay as they are.
    assert from_unicode("Ộ", "tcvn3") == "Ộ"


def test_tcvn3_h_font_text_stays_lowercase() -> None:
    # ".VnTimeH" draws these lowercase codes as capitals; plain text cannot tell, so lowercase.
    assert to_unicode("céng hoµ", "tcvn3") == "cộng hoà"


def test_tcvn3_soft_hyphen_is_u_horn() -> None:
    assert to_unicode("tr\u00adêng", "tcvn3") == "trường"


def test_vni_y_hook_and_tilde_variants() -> None:
    assert to_unicode("UÛy ban, quyû, kyõ", "vni") == "Ủy ban, quỷ, kỹ"
    assert to_unicode("quyë, kyì, QUYË, KYÌ", "vni") == "quỷ, kỹ, QUỶ, KỸ"
    assert from_unicode("ỷ ỹ Ỷ Ỹ", "vni") == "yû yõ YÛ YÕ"
    assert to_unicode("ì", "vni") == "ì"  # a bare ì stays i-huyền


def test_vni_capitals() -> None:
    assert (
        to_unicode("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM", "vni") == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    )
    assert to_unicode("ÑAÛNG, TRÖÔØNG, ÔÛ", "vni") == "ĐẢNG, TRƯỜNG, Ở"


def test_vni_pair_that_is_no_key_keeps_its_letters() -> None:
    # "uâ" is not a VNI letter: u stays, â stays (a modifier with no base to modify).
    assert to_unicode("uâ ôì", "vni") == "uâ ơì"


@pytest.mark.parametrize(("unicode", "tcvn3", "vni"), PHRASES)
def test_phrases(unicode: str, tcvn3: str, vni: str) -> None:
    assert to_unicode(tcvn3, "tcvn3") == unicode
    assert to_unicode(vni, "vni") == unicode
    assert from_unicode(unicode, "tcvn3") == tcvn3
    assert from_unicode(unicode, "vni") == vni


_VN_ALPHABET = st.sampled_from([*NON_ASCII_LETTERS, *"bcdghklmnpqrstvx aeiouyAEIOUY,.0123"])


@settings(max_examples=200, deadline=None)
@given(st.text(_VN_ALPHABET, max_size=40))
def test_vni_round_trip_property(text: str) -> None:
    # "yì" would read as the ỹ alias (duydev HEAD variant); Vietnamese never writes y + ì.
    if "yì" in text or "YÌ" in text:
        return
    assert to_unicode(from_unicode(text, "vni"), "vni") == text


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from([*TCVN3_LETTERS, *"bcdghklmnpqrstvx aeiouyAEIOUY,.0123"]), max_size=40))
def test_tcvn3_round_trip_property(text: str) -> None:
    assert to_unicode(from_unicode(text, "tcvn3"), "tcvn3") == text


# ------------------------------------------------------------------------------- validation


def _table_from(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> legacy.LegacyTable:
    (tmp_path / "encodings").mkdir(exist_ok=True)
    (tmp_path / "encodings" / "tcvn3.yaml").write_text(body, encoding="utf-8")
    monkeypatch.setattr(legacy, "_patterns_dir", lambda: tmp_path)
    return load_table.__wrapped__("tcvn3")


def test_validation_rejects_duplicate_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="duplicate key"):
        _table_from(tmp_path, monkeypatch, "kind: byte\nmap:\n  0xB5: à\n  0xB5: á\n")


def test_validation_rejects_non_letter_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="not one Vietnamese letter"):
        _table_from(tmp_path, monkeypatch, "kind: byte\nmap:\n  0xB5: ab\n")
    with pytest.raises(ValueError, match="not one Vietnamese letter"):
        _table_from(tmp_path, monkeypatch, "kind: byte\nmap:\n  0xB6: a\u0300\n")  # decomposed


def test_validation_rejects_two_sources_for_a_letter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="two sources"):
        _table_from(tmp_path, monkeypatch, "kind: byte\nmap:\n  0xB5: à\n  0xB6: à\n")


def test_validation_accepts_small_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    table = _table_from(tmp_path, monkeypatch, "kind: byte\nmap:\n  0xB5: à\n")
    assert table.to_unicode("ngµy") == "ngày"


# -------------------------------------------------------------------------------- detection


@pytest.mark.parametrize(
    "word",
    [
        "Nghĩa",
        "nghĩa",
        "NGHĨA",
        "người",
        "quyết",
        "giữ",
        "gì",
        "thuở",
        "khuyến",
        "hoà",
        "hòa",
        "uỷ",
        "ủy",
        "xoong",
    ],
)
def test_valid_syllables(word: str) -> None:
    assert legacy.is_vietnamese_syllable(word)


@pytest.mark.parametrize(
    "word", ["Th«ng", "ViÖt", "céng hoµ", "kÕt", "taïi", "cheá", "nGhĩa", "hóà", "café", "naïve"]
)
def test_invalid_syllables(word: str) -> None:
    assert not legacy.is_vietnamese_syllable(word)


@pytest.mark.parametrize(("unicode", "tcvn3", "vni"), PHRASES)
def test_convert_legacy_phrases(unicode: str, tcvn3: str, vni: str) -> None:
    assert legacy.convert_legacy(tcvn3) == (unicode, "tcvn3")
    assert legacy.convert_legacy(vni) == (unicode, "vni")
    assert legacy.convert_legacy(unicode) == (unicode, None)


@pytest.mark.parametrize(
    "text",
    [
        "Plain ASCII text, nothing to do.",
        "The café served a naïve crème brûlée; see § 4 and © 2024, 3 × 4 = 12 ± 1.",
        "Größe, Straße, año, été, «citation»",
        "Thông tin về công tác cải cách hành chính",
        "Hà Nội, ngày 06 tháng 7 năm 2026",
        "",
    ],
)
def test_convert_legacy_leaves_non_legacy_text(text: str) -> None:
    assert legacy.convert_legacy(text) == (text, None)


def test_mixed_text_converts_only_legacy_lines() -> None:
    unicode_lines = [
        "Thông báo kết luận kiểm tra công tác cải cách hành chính",
        "Thông tin chung",  # only Latin-1 letters: must not be touched
        "Ủy ban nhân dân xã Nguyễn Lương Bằng",
        "Tình hình thực hiện nhiệm vụ năm 2026",
    ]
    text = "\n".join([*unicode_lines, "Tån t¹i, h¹n chÕ"])
    converted, encoding = legacy.convert_legacy(text)
    assert encoding == "tcvn3"
    assert converted == "\n".join([*unicode_lines, "Tồn tại, hạn chế"])


def test_mostly_legacy_text_with_a_unicode_line() -> None:
    legacy_body = "\n".join(p[1] for p in PHRASES)
    text = "Trích yếu: văn bản cũ\n" + legacy_body
    converted, encoding = legacy.convert_legacy(text)
    assert encoding == "tcvn3"
    assert converted == "Trích yếu: văn bản cũ\n" + "\n".join(p[0] for p in PHRASES)


def test_line_with_unicode_word_and_legacy_words() -> None:
    # A half-converted line: the Unicode word stays, the TCVN3 words are converted.
    text = "Th«ng b¸o kÕt luËn\nỦy ban nh©n d©n x· Hång Phong\nThông tin về công tác cải cách"
    converted, encoding = legacy.convert_legacy(text)
    assert encoding == "tcvn3"
    assert converted == "Thông báo kết luận\nỦy ban nhân dân xã Hồng Phong\nThông tin về công tác cải cách"


def test_decomposed_unicode_is_not_legacy() -> None:
    nfd = unicodedata.normalize("NFD", "Thông báo kết luận kiểm tra")
    assert legacy.choose_legacy(nfd) is None
    assert legacy.choose_legacy(unicodedata.normalize("NFC", nfd)) is None
