"""Assign a canonical key (``patterns/kpi_keys.yaml``) to a KPI from its label and unit.

The taxonomy is data: each key names a unit class and label phrases. A KPI gets a key only when
exactly one key accepts it; an unknown or ambiguous label keeps ``key`` null rather than a guess.

>>> assign_key(None, "%") is None
True
"""

from __future__ import annotations

import functools
from typing import Literal

import regex
from pydantic import BaseModel, ConfigDict, field_validator

from .patterns import FLAGS, patterns_dir

__all__ = ["KeyRule", "KpiKeys", "assign_key", "load_keys", "unit_class"]

UnitClass = Literal["pct", "count", "rank", "money"]


def _compile(value: str) -> str:
    try:
        regex.compile(value, FLAGS)
    except regex.error as exc:
        raise ValueError(f"bad regex {value!r}: {exc}") from exc
    return value


class KeyRule(BaseModel):
    """One canonical indicator: its unit class and the label wording that names it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    unit_class: UnitClass
    description: str
    phrases: list[str]
    unless: list[str] = []
    require_unit: str | None = None
    unit_alone: list[str] = []

    @field_validator("phrases", "unless")
    @classmethod
    def _regexes(cls, v: list[str]) -> list[str]:
        return [_compile(x) for x in v]

    @field_validator("require_unit")
    @classmethod
    def _regex(cls, v: str | None) -> str | None:
        return None if v is None else _compile(v)


class KpiKeys(BaseModel):
    """The whole taxonomy file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    keys: dict[str, KeyRule]


class _Compiled:
    """A rule with its regexes compiled once."""

    __slots__ = ("alone", "cls", "key", "phrases", "require", "unless")

    def __init__(self, key: str, rule: KeyRule) -> None:
        self.key = key
        self.cls = rule.unit_class
        # One alternation per rule: a single scan of the label instead of one per phrase.
        self.phrases = regex.compile("|".join(f"(?:{p})" for p in rule.phrases), FLAGS) if rule.phrases else None
        self.unless = regex.compile("|".join(f"(?:{p})" for p in rule.unless), FLAGS) if rule.unless else None
        self.require = regex.compile(rule.require_unit, FLAGS) if rule.require_unit else None
        self.alone = {_fold(u) for u in rule.unit_alone}

    def accepts(self, label: str, unit: str, folded_unit: str) -> bool:
        if folded_unit in self.alone:
            return True
        if self.require is not None and not self.require.search(unit):
            return False
        return (self.phrases is not None and self.phrases.search(label) is not None
                and (self.unless is None or self.unless.search(label) is None))


_MONEY = regex.compile(r"đồng(?!\s*chí)|\bvn[dđ]\b")


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


@functools.cache
def load_keys() -> KpiKeys:
    """The validated taxonomy (cached: read once per process)."""
    import yaml

    with (patterns_dir() / "kpi_keys.yaml").open(encoding="utf-8") as fh:
        return KpiKeys.model_validate(yaml.safe_load(fh))


@functools.cache
def _rules() -> dict[str, tuple[_Compiled, ...]]:
    """Rules grouped by unit class: a KPI is only tried against the rules of its class."""
    compiled = [_Compiled(k, r) for k, r in load_keys().keys.items()]
    return {cls: tuple(r for r in compiled if r.cls == cls) for cls in {r.cls for r in compiled}}


def unit_class(unit: str | None) -> UnitClass:
    """``"%"`` -> pct, ``"rank"`` -> rank, a currency unit (``"triệu đồng"``) -> money, else count."""
    u = _fold(unit or "")
    if u == "%":
        return "pct"
    if u == "rank":
        return "rank"
    # "đồng chí" (comrade) counts people; any other unit naming the currency is money.
    if _MONEY.search(u):
        return "money"
    return "count"


@functools.lru_cache(maxsize=4096)
def assign_key(label: str | None, unit: str | None) -> str | None:
    """The canonical key of a KPI, or None when no key or more than one key fits."""
    if not label and not unit:
        return None
    cls = unit_class(unit)
    text = " ".join((label or "").split())
    folded = _fold(unit or "")
    hits = [r.key for r in _rules().get(cls, ()) if r.accepts(text, unit or "", folded)]
    return hits[0] if len(hits) == 1 else None
