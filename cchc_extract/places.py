"""Resolve a document's place name (địa danh) to the current (post-1 July 2025) administrative unit.

Vietnam merged its 63 provinces into 34 and renamed most communes in 2025. The old -> new
mapping ships with the package (``data/admin_units_2025.json.gz``, 10,602 commune records: the
fields this module reads from underthesea's ``address/data/mapping.json``, built from
vietnamadminunits; ``scripts/build_admin_units.py`` refreshes it). Documents print bare names
("Đại Sơn"), so this module matches names itself, using the issuer and the text to pick among
homonyms ("thành phố Hải Phòng", "huyện Tứ Kỳ"). Without the mapping, only province names
resolve, from ``patterns/provinces.yaml``. Ambiguity returns None, never a guess.

>>> resolve_place(None) is None
True
"""

from __future__ import annotations

import functools
import gzip
import json
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import regex
from pydantic import BaseModel, ConfigDict

from .model import PlaceUnit
from .patterns import patterns_dir

__all__ = ["mapping_path", "resolve_place"]

Words = tuple[str, ...]

# Combining tone marks (grave, acute, tilde, hook above, dot below). Folding moves the mark to
# the end of its word, so "Hoà" and "Hòa" fold alike while "Đại" and "Đài" stay apart.
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_WORD = regex.compile(r"\w+")


@functools.lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.casefold())
    tones = "".join(c for c in decomposed if c in _TONES)
    return "".join(c for c in decomposed if c not in _TONES) + tones


def _words(text: str) -> Words:
    return tuple(_fold_word(w) for w in _WORD.findall(text))


class _Levels(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    commune_levels: list[str]
    province_levels: list[str]
    district_levels: list[str]


class _ProvinceEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    name: str
    short: str
    merged_from: list[str] = []


class _Provinces(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    provinces: list[_ProvinceEntry]


def _yaml(name: str) -> object:
    import yaml

    with (patterns_dir() / name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@dataclass(frozen=True)
class _Province:
    name: str
    code: str | None


@dataclass(frozen=True)
class _Commune:
    """A current commune a name can denote; ``old_*`` are set when matched by its pre-2025 name."""

    level: Words
    province: str  # key into _Index.provinces
    name: str  # the current full name, "Xã Đại Sơn"
    matched: str
    old_district: Words = ()


@dataclass
class _Index:
    provinces: dict[str, _Province] = field(default_factory=dict)
    # folded short or full name -> (province key, name as matched); old names map to the new key
    province_names: dict[Words, list[tuple[str, str]]] = field(default_factory=dict)
    new_communes: dict[Words, list[_Commune]] = field(default_factory=dict)
    old_communes: dict[Words, list[_Commune]] = field(default_factory=dict)
    # folded old district name -> current province keys
    districts: dict[Words, set[str]] = field(default_factory=dict)
    province_keys: dict[Words, set[str]] = field(default_factory=dict)
    commune_levels: tuple[Words, ...] = ()
    province_levels: tuple[Words, ...] = ()
    district_levels: tuple[Words, ...] = ()


MAPPING = Path(__file__).resolve().parent / "data" / "admin_units_2025.json.gz"


def mapping_path() -> Path | None:
    """The bundled 2025 mapping file (gzip-compressed JSON), or None when it is missing."""
    return MAPPING if MAPPING.is_file() else None


def _split_level(words: Words, levels: Iterable[Words]) -> tuple[Words, Words]:
    """``("xã", "đại", "sơn")`` -> ``(("xã",), ("đại", "sơn"))``; the longest level word wins."""
    for level in sorted(levels, key=len, reverse=True):
        if len(words) > len(level) and words[: len(level)] == level:
            return level, words[len(level) :]
    return (), words


@functools.cache
def _index(use_mapping: bool = True) -> _Index:
    levels = _Levels.model_validate(_yaml("places.yaml"))
    idx = _Index(
        commune_levels=tuple(_words(x) for x in levels.commune_levels),
        province_levels=tuple(_words(x) for x in levels.province_levels),
        district_levels=tuple(_words(x) for x in levels.district_levels),
    )
    path = mapping_path() if use_mapping else None
    if path is None:
        for p in _Provinces.model_validate(_yaml("provinces.yaml")).provinces:
            idx.provinces[p.code] = _Province(p.name, p.code)
            for name in (p.name, p.short):
                idx.province_names.setdefault(_words(name), []).append((p.code, p.name))
            for old in p.merged_from:
                idx.province_names.setdefault(_words(old), []).append((p.code, old))
        idx.province_keys = {w: {k for k, _ in v} for w, v in idx.province_names.items()}
        return idx

    data = json.loads(gzip.decompress(path.read_bytes()))
    for key, info in data["province_names"].items():
        idx.provinces[key] = _Province(info["name"], info.get("code"))
        for name in (info["name"], info["short"]):
            idx.province_names.setdefault(_words(name), []).append((key, info["name"]))
    for old_key, info in data["old_province_names"].items():
        new_key = data["province_mapping"].get(old_key)
        if new_key and old_key != new_key:
            for name in (info["name"], info["short"]):
                idx.province_names.setdefault(_words(name), []).append((new_key, info["name"]))

    seen_new: set[tuple[str, str]] = set()
    for rec in data["ward_mapping"]:
        prov, new_name = rec["new_province_key"], rec["new_ward"]
        if not new_name or prov not in idx.provinces:  # a few records lack the new name
            continue
        level, bare = _split_level(_words(new_name), idx.commune_levels)
        if (prov, new_name) not in seen_new:
            seen_new.add((prov, new_name))
            idx.new_communes.setdefault(bare, []).append(_Commune(level, prov, new_name, new_name))
        old_district = _split_level(_words(rec["old_district"]), idx.district_levels)[1]
        if rec["old_district"]:
            idx.districts.setdefault(old_district, set()).add(prov)
        if rec["old_ward"]:
            old_level, old_bare = _split_level(_words(rec["old_ward"]), idx.commune_levels)
            matched = ", ".join(x for x in (rec["old_ward"], rec["old_district"], rec["old_province"]) if x)
            idx.old_communes.setdefault(old_bare, []).append(
                _Commune(old_level, prov, new_name, matched, old_district)
            )
    idx.province_keys = {w: {k for k, _ in v} for w, v in idx.province_names.items()}
    return idx


def _mentions(ctx: Words, levels: Sequence[Words], names: dict[Words, set[str]] | None) -> set[Words]:
    """Names (from ``names`` when given) that follow one of the level words in ``ctx``."""
    found: set[Words] = set()
    n = len(ctx)
    # Levels indexed by their first word: one dict lookup per context word instead of a slice
    # comparison per level.
    by_first: dict[str, list[Words]] = {}
    for level in levels:
        if level:
            by_first.setdefault(level[0], []).append(level)
    for i in range(n):
        for level in by_first.get(ctx[i], ()):
            j = i + len(level)
            if ctx[i:j] != level:
                continue
            for size in range(1, 6):  # unit names run to five words ("Bà Rịa - Vũng Tàu")
                cand = ctx[j : j + size]
                if len(cand) < size:
                    break
                if names is None or cand in names:
                    found.add(cand)
    return found


def _contains(seq: Words, part: Words) -> bool:
    n = len(part)
    return any(seq[i : i + n] == part for i in range(len(seq) - n + 1))


def _context_provinces(idx: _Index, ctx: Words) -> set[str]:
    """Current province keys named in the context ("tỉnh Hải Dương" -> Hải Phòng), via districts too."""
    keys = idx.province_keys
    found = {k for w in _mentions(ctx, idx.province_levels, keys) for k in keys[w]}
    for w in _mentions(ctx, idx.district_levels, idx.districts):
        found |= idx.districts[w]
    return found


def _unit(idx: _Index, prov: str, commune: str | None, matched: str | None) -> PlaceUnit:
    p = idx.provinces[prov]
    # The mapping gives codes for provinces only, so a commune result carries no code.
    return PlaceUnit(province=p.name, commune=commune, code=None if commune else p.code, matched=matched)


def resolve_place(
    place: str | None, *, issuer: str | None = None, text: str | None = None, year: int | None = None
) -> PlaceUnit | None:
    """The current unit ``place`` denotes, or None when unknown or ambiguous.

    ``issuer`` and ``text`` disambiguate homonyms (a province or old district named in them);
    ``year`` (the document's) prefers current names from 2026 on and pre-merger names before 2025.
    """
    if not place or not place.strip():
        return None
    idx = _index()
    words = _words(place)
    if not words:
        return None
    level, bare = _split_level(words, idx.commune_levels)
    ctx = _words(" ".join(x for x in (issuer, text) if x))

    if not level:  # a province named as the place: "Lâm Đồng", "Thành phố Hải Phòng"
        # A bare name the context calls a commune ("UBND PHƯỜNG HÒA BÌNH") is that commune, even
        # when a (former) province bears the same name.
        levels = {lv for lv in idx.commune_levels if _contains(ctx, lv + bare)} if idx.new_communes else set()
        if not levels:
            _, prov_bare = _split_level(words, idx.province_levels)
            provs = {k: m for k, m in idx.province_names.get(prov_bare, []) + idx.province_names.get(words, [])}
            if len(provs) == 1:
                key, matched = next(iter(provs.items()))
                return _unit(idx, key, None, matched)
        if not idx.new_communes:  # no commune mapping installed: provinces only
            return None
        if len(levels) == 1:
            level = next(iter(levels))

    new = [c for c in idx.new_communes.get(bare, []) if not level or c.level == level]
    old = [c for c in idx.old_communes.get(bare, []) if not level or c.level == level]
    if year is not None and year >= 2026 and new:
        old = []
    elif year is not None and year < 2025 and old:
        new = []
    cands = new + old

    ctx_provs = _context_provinces(idx, ctx) if ctx else set()
    if cands:
        in_ctx = [c for c in cands if c.province in ctx_provs]
        cands = in_ctx or cands
        districts = _mentions(ctx, idx.district_levels, None) if ctx else set()
        in_district = [c for c in cands if c.old_district and c.old_district in districts]
        cands = in_district or cands
        units = {(c.province, c.name) for c in cands}
        if len(units) != 1:
            return None
        best = min(cands, key=lambda c: bool(c.old_district))  # prefer the current name as "matched"
        return _unit(idx, best.province, best.name, best.matched)

    # The place is unknown to the mapping (renamed before its snapshot, or misspelt): the province
    # is still certain when the context names exactly one.
    if len(ctx_provs) == 1 and idx.new_communes:
        return _unit(idx, next(iter(ctx_provs)), None, None)
    return None
