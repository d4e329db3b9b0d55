"""Load the rule data in ``patterns/*.yaml`` once, validate it, and compile its regexes.

The YAML files hold the Vietnamese vocabulary (document types, heading words, counted nouns,
signing prefixes ...); this module holds only the mechanism. A malformed file fails loudly at
load time (pydantic validation, regex compilation), never in the middle of a parse.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import regex
import yaml
from pydantic import BaseModel, ConfigDict, field_validator

FLAGS = regex.IGNORECASE | regex.VERSION1
"""Pattern data is matched case-insensitively unless an entry says ``case: true``."""


def patterns_dir() -> Path:
    """The installed ``cchc_extract/patterns`` folder, or ``patterns/`` in a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "patterns", here.parent / "patterns"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("cchc_extract: the patterns/ data folder is missing")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_regex(value: str) -> str:
    try:
        regex.compile(value, FLAGS)
    except regex.error as exc:  # pragma: no cover - data error
        raise ValueError(f"bad regex {value!r}: {exc}") from exc
    return value


class DocTypeEntry(_Strict):
    code: str
    name: str
    aliases: list[str] = []
    cited_only: bool = False
    """Only read in citations; never a document's own type line."""
    legal: bool = False
    """A legal normative type outside Decree 30 Annex III (Nghị định, Thông tư ...)."""


class DocTypes(_Strict):
    types: list[DocTypeEntry]
    untyped_names: list[str]
    letter_name: str
    generic_names: list[str]


class Layout(_Strict):
    motto: list[str]
    number_label: str
    number_alone: str
    blank_fill: str
    blank_field_before: str
    blank_field_after: str
    place_date: str
    subject_line: str
    enacting_authority: str
    title_connectors: str
    preamble_openers: list[str]
    closing_openers: list[str]
    end_mark: str
    recipients_label: str
    authority_prefixes: list[str]
    name_prefixes: str
    signature_marks: str
    bullets: str
    sub_bullets: str

    @field_validator("motto", "preamble_openers", "closing_openers", "authority_prefixes")
    @classmethod
    def _regex_list(cls, v: list[str]) -> list[str]:
        return [_check_regex(x) for x in v]


class KindEntry(_Strict):
    kind: str
    phrase: str
    in_notice: str | None = None


class Headings(_Strict):
    strip_prefixes: list[str]
    kinds: list[KindEntry]
    notice_types: list[str]
    acknowledgement: str
    direction: str
    directions_leadin: str
    no_directions: str
    appendix_label: str
    appendix_part: str
    division_label: str
    no_inherit: list[str]
    unit_lead: str
    addressee_lead: str
    addressee_tail: str
    unit_stop: str
    unit_count: str
    requirement_leadin: str
    finding_kinds: dict[str, str]
    target_kinds: list[str]

    @field_validator("acknowledgement", "direction", "directions_leadin", "no_directions", "appendix_label",
                     "appendix_part", "division_label", "unit_lead", "addressee_lead", "addressee_tail", "unit_stop", "unit_count",
                     "requirement_leadin")
    @classmethod
    def _regex(cls, v: str) -> str:
        return _check_regex(v)


class Units(_Strict):
    unit_heads: list[str]
    issuer_heads: list[str]
    team_head: str
    team_verbs: str
    team_report_verbs: str
    inspected_intro: str
    inspected_list_intro: str
    inspection_event: str
    generic_units: str
    territorial: str
    addressee_heads: str
    subject_intro: str
    inspection_title: str
    inspected_stop: str
    session_lead: str
    session_verbs: str
    day_list: str
    bare_bodies: str


class NounEntry(_Strict):
    pattern: str
    unit: str
    case: bool = False


class TargetCue(_Strict):
    pattern: str
    gap: int
    before_pct_only: bool = False


class Kpis(_Strict):
    counted_nouns: list[NounEntry]
    bare_count_openers: str
    bare_count_verbs: str
    non_count_after: str
    non_count_before: str
    money_units: list[NounEntry]
    rank_cue: str
    qualifiers: list[str]
    target_cues: list[TargetCue]
    merge_links: str
    label_trailing_fillers: str
    label_leading_fillers: str
    label_heads: str
    words: dict[str, str]
    fraction_pct_links: str
    norm_cues: str
    example_cue: str
    item_words: str
    bands: dict[str, str]
    tables: dict[str, str]


class References(_Strict):
    number_intro: str
    issued_by: str
    issued_by_end: str
    issuing_verbs: str
    issuer_stops: list[str]
    issuer_keep_paren: str
    date_not_after: str
    sentence_date_opener: str
    date_word: str
    number_word: str
    issuer_of: str


class Deadlines(_Strict):
    triggers: list[str]
    raw_keeps_prefix: list[str]
    assign_openers: str
    addressee_intro: str
    responsible_stops: str
    raw_drop_prefix: str
    topic_lead: str
    responsible_max_words: int
    recurring: str
    relative_year: str
    span_end: str
    past_years: int


class Periods(_Strict):
    quarter: str
    half: str
    first_half_word: str
    months: str
    year: str
    date_before_year: str


class Scan(_Strict):
    number_label: str
    number_end: str
    day_label: str
    month_label: str
    year_label: str
    rec_number_label: str
    rec_day_label: str
    rec_month_label: str
    recipients_misread: str
    recipients_word: str
    bullet_misread: str
    stamp_lines: list[str]
    unit_levels: list[str]
    phrases: list[str]

    @field_validator(
        "number_label", "number_end", "day_label", "month_label", "year_label",
        "rec_number_label", "rec_day_label", "rec_month_label", "recipients_misread", "recipients_word", "bullet_misread",
    )
    @classmethod
    def _regex(cls, v: str) -> str:
        return _check_regex(v)

    @field_validator("stamp_lines")
    @classmethod
    def _regex_list(cls, v: list[str]) -> list[str]:
        return [_check_regex(x) for x in v]


class Patterns(_Strict):
    doc_types: DocTypes
    layout: Layout
    headings: Headings
    units: Units
    kpis: Kpis
    references: References
    deadlines: Deadlines
    periods: Periods
    scan: Scan


def _load_yaml(name: str) -> Any:
    with (patterns_dir() / name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@functools.cache
def load() -> Patterns:
    """All pattern files, validated (cached: loaded once per process)."""
    return Patterns(
        doc_types=DocTypes.model_validate(_load_yaml("doc_types.yaml")),
        layout=Layout.model_validate(_load_yaml("layout.yaml")),
        headings=Headings.model_validate(_load_yaml("headings.yaml")),
        units=Units.model_validate(_load_yaml("units.yaml")),
        kpis=Kpis.model_validate(_load_yaml("kpis.yaml")),
        references=References.model_validate(_load_yaml("references.yaml")),
        deadlines=Deadlines.model_validate(_load_yaml("deadlines.yaml")),
        periods=Periods.model_validate(_load_yaml("periods.yaml")),
        scan=Scan.model_validate(_load_yaml("scan.yaml")),
    )


def alternation(items: list[str]) -> str:
    """``(?:a|b|c)`` of regex fragments."""
    return "(?:" + "|".join(f"(?:{x})" for x in items) + ")"


class SignatureWords(_Strict):
    """``signatures.yaml``: signing stamps and the certificate names of bodies and publishers."""

    stamp_openers: list[str]
    stamp_lines: list[str]
    publishers: list[str]
    organization_heads: list[str]
    abbreviations: dict[str, str]

    @field_validator("stamp_openers", "stamp_lines", "publishers", "organization_heads")
    @classmethod
    def _regex_list(cls, v: list[str]) -> list[str]:
        return [_check_regex(x) for x in v]


@functools.cache
def load_signatures() -> SignatureWords:
    """The signature vocabulary (cached; loaded only when a signed or stamped file is parsed)."""
    return SignatureWords.model_validate(_load_yaml("signatures.yaml"))
