"""Place name -> current (post-2025) administrative unit."""

from __future__ import annotations

from pathlib import Path

import pytest

from cchc_extract import places
from cchc_extract.places import mapping_path, resolve_place


def test_the_mapping_ships_with_the_package() -> None:
    path = mapping_path()
    assert path is not None and path.is_relative_to(Path(places.__file__).parent)

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


HAI_PHONG = "Thành phố Hải Phòng"


@pytest.mark.parametrize(
    ("place", "issuer", "text", "province", "commune"),
    [
        # seed 000/002: named after a person, unique in the country
        ("Xã Nguyễn Lương Bằng", None, None, HAI_PHONG, "Xã Nguyễn Lương Bằng"),
        # seed 001: two current "Xã Đại Sơn" (Hải Phòng, Bắc Ninh); the text names the city
        ("Đại Sơn", None, "Trung tâm ... xã Đại Sơn, thành phố Hải Phòng)", HAI_PHONG, "Xã Đại Sơn"),
        # a pre-merger province in the context still points at the current one (Bắc Giang -> Bắc Ninh)
        ("Đại Sơn", "UBND XÃ ĐẠI SƠN", "huyện Sơn Động, tỉnh Bắc Giang", "Tỉnh Bắc Ninh", "Xã Đại Sơn"),
        # seed 004's ward, with and without its level word
        ("Phường Nam Gia Nghĩa", None, None, "Tỉnh Lâm Đồng", "Phường Nam Gia Nghĩa"),
        ("Nam Gia Nghĩa", None, None, "Tỉnh Lâm Đồng", "Phường Nam Gia Nghĩa"),
        # provinces: current, former (merged), old tone placement, abbreviation
        ("Lâm Đồng", None, None, "Tỉnh Lâm Đồng", None),
        ("tỉnh Lâm Đồng", None, None, "Tỉnh Lâm Đồng", None),
        ("Hải Dương", None, None, HAI_PHONG, None),
        ("Thanh Hoá", None, None, "Tỉnh Thanh Hóa", None),
        ("TP. Hồ Chí Minh", None, None, "Thành phố Hồ Chí Minh", None),
        ("Côn Đảo", None, None, "Thành phố Hồ Chí Minh", "Đặc khu Côn Đảo"),
        # seed 003 (2023): the commune predates the mapping's snapshot; "huyện Tứ Kỳ" fixes the province
        ("Quảng Nghiệp", None, "UBND xã Quảng Nghiệp, huyện Tứ Kỳ", HAI_PHONG, None),
    ],
)
def test_resolves(place: str, issuer: str | None, text: str | None, province: str, commune: str | None) -> None:
    unit = resolve_place(place, issuer=issuer, text=text)
    assert unit is not None
    assert (unit.province, unit.commune) == (province, commune)
    assert unit.code is None if commune else unit.code  # codes exist for provinces only


def test_province_codes_and_matched_names() -> None:
    unit = resolve_place("Hải Dương")
    assert unit is not None and unit.code == "31" and unit.matched == "Tỉnh Hải Dương"


@pytest.mark.parametrize(
    ("place", "text"),
    [
        (None, None),
        ("", None),
        ("   ", None),
        ("Đại Sơn", None),  # eight communes have been called Đại Sơn: no context, no answer
        ("Đại Sơn", "thành phố Hải Phòng và tỉnh Bắc Ninh"),  # the context names both
        ("Quảng Nghiệp", None),  # unknown to the mapping and no context
        ("Xyz Không Có", None),
    ],
)
def test_unsure_is_none(place: str | None, text: str | None) -> None:
    assert resolve_place(place, text=text) is None


def test_year_prefers_current_or_old_names() -> None:
    # "Xã Đại Sơn" of old Tứ Kỳ (Hải Dương) merged into today's Xã Đại Sơn (Hải Phòng) and the old
    # Cao Bằng one into Xã Phục Hòa: with the context naming only Cao Bằng, a 2023 document means
    # the old commune while a 2026 one can only mean a current commune.
    old = resolve_place("Đại Sơn", text="tỉnh Cao Bằng", year=2023)
    assert old is not None and old.commune == "Xã Phục Hòa" and old.matched and "Quảng Hòa" in old.matched


def test_corpus_documents() -> None:
    from cchc_extract import parse_notice

    got = {}
    for path in sorted(CORPUS.glob("*.txt")):
        rec = parse_notice(path)
        unit = resolve_place(rec.place, issuer=rec.issuer.name if rec.issuer else None, text=rec.text)
        got[path.name[:3]] = (unit.province, unit.commune) if unit else None
    assert got["000"] == (HAI_PHONG, "Xã Nguyễn Lương Bằng")
    assert got["001"] == (HAI_PHONG, "Xã Đại Sơn")
    assert got["002"] == (HAI_PHONG, "Xã Nguyễn Lương Bằng")
    assert got["003"] == (HAI_PHONG, None)


def test_without_the_mapping_only_provinces(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fallback (patterns/provinces.yaml, Resolution 202/2025/QH15): exact province names only."""
    monkeypatch.setattr(places, "mapping_path", lambda: None)
    places._index.cache_clear()
    try:
        unit = resolve_place("Lâm Đồng")
        assert unit is not None and (unit.province, unit.code) == ("Tỉnh Lâm Đồng", "68")
        hd = resolve_place("Hải Dương")
        assert hd is not None and hd.province == HAI_PHONG
        assert resolve_place("Xã Nguyễn Lương Bằng") is None
        assert resolve_place("Quảng Nghiệp", text="huyện Tứ Kỳ, tỉnh Hải Dương") is None
        assert len(places._index().provinces) == 34
    finally:
        places._index.cache_clear()
