"""Measured quantities: percentages, fractions, ranks, money and counts of counted nouns.

Rules follow shared/gold/GUIDELINES.md "KPIs": one quantity printed as a fraction and a
percentage (``3.067/3.080 hồ sơ, đạt 99,6%``) is one KPI; a rank ``xếp hạng 40/114`` has value
40 and denominator 114; money ``99.385 triệu đồng`` is 99385 in ``triệu đồng``; a bare number
counts only where its clause names what is counted (``Hồ sơ từ chối giải quyết: 55``). Numbers
in citations, dates, years, periods, section labels and names are not KPIs. Vocabulary (counted
nouns, qualifiers, target cues) lives in ``patterns/kpis.yaml``.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass

import regex

from .. import patterns
from ..textutil import TIMEOUT, clause_start
from .dates import DATE_RE
from .numbers import parse_number

# A dot-decimal right before "%" ("99.6%": English notation slipped in) is a decimal, not "6%".
_NUM = r"\d{1,3}\.\d{1,2}(?=\s?%)|\d{1,3}(?:\.\d{3}){1,5}(?:,\d{1,4})?|\d{1,12}(?:,\d{1,4})?"
# Not part of a dot-decimal ("hệ số 2.0", "1.5"): such a figure is a coefficient, not a count.
NUM_TOKEN = regex.compile(r"(?<![\d\p{L}])(?<!\d[.,])(?:" + _NUM + r")(?!\d|\.\d)")
_CODE = regex.compile(r"^\d{8,}$")
_PCT_AFTER = regex.compile(r"\s?%")
_SLASH_NUM = regex.compile(r"\s*/\s*(?P<b>" + _NUM + r")(?![\d/])")
_RANGE = regex.compile(r"^\s*[-–]\s*\d")
_PAREN_FRACTION = regex.compile(
    r"\s*\(\s*(?P<a>" + _NUM + r")\s*/\s*(?P<b>" + _NUM + r")(?:\s+[\p{L} ]{1,30}?)?\s*\)")
_YEAR = regex.compile(r"^(?:19|20)\d{2}$")
_TIME_24 = regex.compile(r"24/24|\d{1,2}:\d{2}|\d{1,2}h\d{0,2}\b")
_STANDARD = regex.compile(r"\b(?:ISO|TCVN)\s*[\d.:\-]+", regex.IGNORECASE)
_WORD = regex.compile(r"[\p{L}\d/%]+")
_DIGIT = regex.compile(r"\d")
# The figure scan of one paragraph does per-figure work: a long paragraph gets more time.
_SCAN_TIMEOUT = 2.5 * TIMEOUT
_CLAUSE_SEP = regex.compile(r"[,;:]")
_LEADING_FIGURE = regex.compile(r"^[\d.,/%\s]+")
_BREAKS = regex.compile(r"[.:(]")
_RANGE_BEFORE = regex.compile(r"\d\s*[-–]\s*$")
_LABEL_COLON = regex.compile(r"\p{L}\s*:\s{0,3}$", regex.REVERSE)
_NOTE_END = regex.compile(r"\s*(?:$|[,;.)]|\s\p{Lu})")
# A number right after a capitalised word that follows another word is part of a name.
_NAME_BEFORE = regex.compile(r"\p{L}\s+\p{Lu}\p{Ll}+\s+$", regex.REVERSE)
_CLAUSE_MAX = 400
"""How far back a clause is looked for; keeps the scan linear on lines without punctuation."""


@dataclass
class FoundKpi:
    start: int
    end: int
    value: float
    unit: str | None
    numerator: float | None = None
    denominator: float | None = None
    qualifier: str | None = None
    is_target: bool = False
    label: str | None = None
    scope: str | None = None
    inner_from: int | None = None
    """Set when the span runs over other figures to a percentage further on ("42/42 cơ quan
    (gồm: 04 … và 38 …), đạt 100%"): the scan resumes here, and the percentage at
    ``claim`` is taken."""
    claim: int | None = None
    noun_end: int | None = None
    """Where the counted noun after the figure ends, and its unit (a fraction merged with its
    percentage keeps the noun it counted)."""
    noun_unit: str | None = None


@functools.cache
def _res() -> dict[str, regex.Pattern[str]]:
    k = patterns.load().kpis
    f = patterns.FLAGS
    nouns = "|".join(
        f"(?P<n{i}>{'(?-i:' + n.pattern + ')' if n.case else n.pattern})" for i, n in enumerate(k.counted_nouns)
    )
    money = "|".join(f"(?P<m{i}>{n.pattern})" for i, n in enumerate(k.money_units))
    quals = sorted(k.qualifiers, key=len, reverse=True)
    w = k.words
    return {
        "noun": regex.compile(r"\s{0,2}(?:" + w["noun_determiner"] + r"\s+)?(?:" + nouns + r")(?!\p{L})", f),
        "noun_any": regex.compile(r"(?<!\p{L})(?:" + nouns + r")(?!\p{L})", f),
        "money": regex.compile(r"\s{0,2}(?:" + money + r")(?!\p{L})", f),
        "rank": regex.compile(k.rank_cue, f),
        # End-anchored tests on the text before a figure are scanned from the end (REVERSE).
        "rank_near": regex.compile(k.rank_cue + r"\s*$", f | regex.REVERSE),
        "multiple": regex.compile(r"(?<!\p{L})" + w["comparative"] + r"(?:\s+\p{L}+){0,2}?\s+(?P<cue>" + w["multiple_cue"] + r")\s*$", f | regex.REVERSE),
        "per_unit": regex.compile(r"(?<!\p{L})" + w["per_unit_before"] + r"\s*$", f | regex.REVERSE),
        "per": regex.compile(r"\s*/\s*\p{L}", f),
        "list_lead": regex.compile(w["list_lead"] + r"\s*:\s*$", f | regex.REVERSE),
        "times": regex.compile(r"\s*" + w["times"] + r"(?!\p{L})", f),
        "qual": regex.compile(r"(?:^|\s)(?P<q>" + "|".join(regex.escape(q) for q in quals) + r")\s*$", f),
        "merge": regex.compile(k.merge_links + r"(?P<pct>" + _NUM + r")\s?%", f),
        "non_after": regex.compile(r"\s*" + k.non_count_after, f),
        "non_before": regex.compile(k.non_count_before, f),
        "bare_open": regex.compile(r"^\s*" + k.bare_count_openers, f),
        "bare_verb": regex.compile(r"(?:(?:^|\s)" + k.bare_count_verbs + r"|:)\s*$", f),
        "bare_end": regex.compile(r"\s*(?:[,;.)]|\(|$|\s+" + w["clause_and"] + r"\b)", f),
        # Scanned from the end (REVERSE): the fillers are a suffix, and a forward scan would try
        # every start position of the label.
        "trail": regex.compile(k.label_trailing_fillers, f | regex.REVERSE),
        "lead": regex.compile(k.label_leading_fillers, f),
        "tyle": regex.compile(r"^\s*" + w["rate_opener"] + r"\b", f),
        "short_gap": regex.compile(r"(?:\s+[\p{Ll}\p{Lu}]+){1,3}?(?=\s*\(|,|\s+" + w["pct_links"] + r"\b)", f),
        "indicator_end": regex.compile(w["indicator_end"] + r"\s*$", f),
        "tail_trailing": regex.compile(r"\s+" + w["tail_trailing"] + r"\s*$", f),
        "date_context": regex.compile(w["date_context"] + r"\s*$", f),
        "rank_cont": regex.compile(w["rank_continuation"] + r"\s*$", f),
        "year_before": regex.compile(w["year_before"] + r"\s*$", f),
        "head": regex.compile(r"(?<!\p{L})" + k.label_heads + r"(?!\p{L})", f),
        "band": regex.compile(
            r"(?<!\p{L})" + k.bands["from"] + r"\s+(?P<x>" + _NUM + r")\s?%\s*(?:" + k.bands["open_end"]
            + r"|" + k.bands["to_below"] + r"\s+(?P<y>" + _NUM + r")\s?%)", f),
        # "có từ 02 người trở lên", "đủ 15 biên chế công chức trở lên", "đạt 50% trở xuống"
        "count_band": regex.compile(
            r"(?<![\p{L}\d.,/])(?P<x>" + _NUM + r")(?:\s?%|(?:\s+[\p{L}/]+){1,5}?)\s+" + k.bands["open_end"], f),
        # "từ 500 triệu đồng đến dưới 01 tỷ đồng": both ends of a band of amounts or counts
        "range_band": regex.compile(
            r"(?<!\p{L})" + k.bands["from"] + r"\s+(?P<x>" + _NUM + r")(?:\s+\p{L}+){1,3}?\s*"
            + k.bands["to_below"] + r"\s+(?P<y>" + _NUM + r")", f),
        # "các Điều: 3, 4, 5, 7", "số thứ tự 2, 3, 4": the figure closes a list of item numbers.
        "item_list": regex.compile(r"(?<!\p{L})" + k.item_words + r"\s*:?\s*(?:\d{1,3}[a-zđ]?\s*(?:,|và)\s*){1,30}$",
                                   f | regex.REVERSE),
        "example": regex.compile(r"(?<!\p{L})" + k.example_cue + r"(?!\p{L})", f),
        "norm": regex.compile(r"(?<!\p{L})" + k.norm_cues + r"(?!\p{L})", f),
        "open_end": regex.compile(k.bands["open_end"], f),
        "to_below": regex.compile(k.bands["to_below"], f),
        "band_cue": regex.compile(k.bands["open_end"] + "|" + k.bands["to_below"] + "|" + k.bands["bound_qualifiers"], f),
        "band_qual": regex.compile(r"^(?:" + k.bands["bound_qualifiers"] + r")$", f),
        "band_paren": regex.compile(r"\(\s*" + k.bands["criteria"] + r"(?:\s+\p{L}+){0,3}?\s+(?:"
                                    + k.bands["bound_qualifiers"] + r")\s+(?:" + _NUM + r")\s?%\s*\)", f),
        "group_opener": regex.compile(r"\s*[-+*•]?\s*" + k.bands["group_openers"] + r"(?:\s+\p{L}+){0,2}?\s*(?:"
                                      + nouns + r")(?!\p{L})", f),
        "threshold": regex.compile(k.bands["threshold"] + r"\s*\(\s*$", f | regex.REVERSE),
        "pct_link": regex.compile(r"(?<!\p{L})" + k.fraction_pct_links + r"\s*(?P<pct>" + _NUM + r")\s?%", f),
    }


@functools.cache
def _target_res() -> tuple[regex.Pattern[str] | None, regex.Pattern[str] | None]:
    """Target cues as two alternations: cues for any KPI, and cues for percentages only."""
    groups: dict[bool, list[str]] = {False: [], True: []}
    for cue in patterns.load().kpis.target_cues:
        gap = r"(?:\s+\S+){0," + str(cue.gap) + r"}"
        groups[cue.before_pct_only].append(f"(?:{cue.pattern}){gap}")

    def build(parts: list[str]) -> regex.Pattern[str] | None:
        if not parts:
            return None
        return regex.compile(r"(?:^|[\s(])(?:" + "|".join(parts) + r")[\s(:]*$", patterns.FLAGS)

    return build(groups[False]), build(groups[True])


def _noun_unit(m: regex.Match[str], prefix: str) -> str:
    """The unit of the noun or money entry that matched (its group is the last one closed)."""
    name = m.lastgroup
    if name is None or not name.startswith(prefix):
        return ""
    k = patterns.load().kpis
    entries = k.counted_nouns if prefix == "n" else k.money_units
    return entries[int(name[1:])].unit


def _clause_start(text: str, pos: int) -> int:
    return clause_start(text, pos, stops=";\n", max_back=_CLAUSE_MAX)


def _label(text: str, cstart: int, start: int, end: int, values: list[tuple[int, int, str | None]],
           unit: str | None = None) -> str | None:
    """The indicator phrase as written nearest the value.

    It starts after any earlier value of the same clause ("1.467 hồ sơ, đã giải quyết 1.467"),
    before an unclosed bracket ("... có chiều hướng giảm (từ 40/114"), and at the last indicator
    head ("tỷ lệ", "tổng số" ...) that still leaves words; "01 hồ sơ giải quyết quá hạn" takes
    the words after the value.
    """
    res = _res()
    prefix = text[cstart:start]
    base = cstart
    earlier = [(b, lab) for a, b, lab in values if cstart <= a and b <= start]
    if earlier:
        k = earlier[-1][0] - cstart
        m = _CLAUSE_SEP.search(prefix[k:])
        if not m and len(_WORD.findall(prefix[k:])) <= 6:
            return earlier[-1][1]  # "từ 40/114 ... xuống 58/114": the same indicator again
        cut = k + m.end() if m else len(prefix)
        prefix, base = prefix[cut:], base + cut
    if prefix.count("(") > prefix.count(")"):
        k = prefix.rfind("(")
        if _WORD.findall(prefix[:k]):
            prefix = prefix[:k]
    k = prefix.rstrip(" :").rfind(":")
    if k >= 0 and len(_WORD.findall(prefix[k + 1:])) >= 2:
        prefix = prefix[k + 1:]
    heads = list(res["head"].finditer(prefix))
    for hm in reversed(heads):
        cand = _strip_label(prefix[hm.start():])
        if len(_WORD.findall(cand)) >= 3:
            prefix = prefix[hm.start():]
            break
    lab = _strip_label(prefix)
    # A prefix that names an indicator ("Tỷ lệ ...", "Hồ sơ rút: 19", "... là 250") is the label;
    # after a verb phrase ("Vẫn còn 01 cán bộ chưa có trình độ ...", "100% hồ sơ được số hóa") the
    # words after the value describe what was measured.
    indicator = bool(res["head"].match(lab)) or bool(res["indicator_end"].search(prefix)) or unit == "rank"
    tail = _tail(text, end)
    noun = "" if unit in ("%", "rank") or unit in _money_units() else _LEADING_FIGURE.sub("", text[start:end])
    described = (noun + " " + tail).strip() if noun and not tail.startswith(noun) else tail
    if (not indicator and len(_WORD.findall(tail)) >= 2) or not _WORD.findall(lab):
        lab = described or lab
    words = lab.split()
    if len(words) > 24:
        lab = " ".join(words[-24:])
    return lab or None


_TAIL_STOP = regex.compile(r"[;.(:!?]|\n|(?<!\p{L})\d")


def _tail(text: str, end: int) -> str:
    """The words after a value up to the clause end or the next figure."""
    chunk = text[end:end + 160]
    if chunk.lstrip()[:1] in (",", ";", ".", ")"):
        return ""  # the clause ends at the value: nothing after it describes it
    m = _TAIL_STOP.search(chunk)
    chunk = chunk[: m.start()] if m else chunk
    return _strip_label(_res()["tail_trailing"].sub("", chunk.rstrip(" ,")))


def _strip_label(prefix: str) -> str:
    res = _res()
    label = prefix.strip()
    m = res["trail"].search(label)
    if m is not None and m.end() == len(label):
        label = label[: m.start()]
    return res["lead"].sub("", label).strip(" ,:;(-")


@functools.cache
def _money_units() -> frozenset[str]:
    return frozenset(n.unit for n in patterns.load().kpis.money_units)


def excluded_spans(text: str) -> list[tuple[int, int]]:
    """Dates, clock times and standards in ``text``: figures there are never KPIs.

    Computed once per document and handed to :func:`find_kpis` with the citation spans.
    """
    return sorted(_excluded(text))


def _excluded(text: str) -> list[tuple[int, int]]:
    # Dates: full ones always; a day/month without a year ("15/01") only after "ngày", so that
    # fractions such as "03/5 cuộc" or "18/18 cán bộ" stay quantities.
    spans = [
        (m.start(), m.end()) for m in DATE_RE.finditer(text, timeout=TIMEOUT)
        if m.group("y") or m.group("ly") or m.group("lm") or _res()["date_context"].search(text[max(0, m.start() - 12):m.start()])
    ]
    spans += [(m.start(), m.end()) for m in _TIME_24.finditer(text, timeout=TIMEOUT)]
    spans += [(m.start(), m.end()) for m in _STANDARD.finditer(text, timeout=TIMEOUT)]
    return spans


def find_kpis(text: str, start: int, end: int, skip: list[tuple[int, int]],
              *, prescanned: bool = False, fallback_unit: str | None = None) -> list[FoundKpi]:
    """Every KPI in ``text[start:end]`` (one paragraph).

    ``skip`` holds spans (sorted) whose figures are not KPIs: citations, and, when
    ``prescanned``, the :func:`excluded_spans` of the whole text (else they are found here).
    ``fallback_unit`` (a table note's row unit) counts a figure after a label and colon
    ("Cấp tỉnh: 271 Cấp xã: 1.376") and fills a missing unit.
    """
    _res()
    seg = text[start:end]
    if not _DIGIT.search(seg):
        return []
    # ``skip`` is sorted by start: only the spans near this paragraph are looked at.
    lo = bisect.bisect_left(skip, (start - 400, 0))
    near = []
    for j in range(lo, len(skip)):  # an index walk: a slice would copy the rest of the list
        a, b = skip[j]
        if a >= end:
            break
        if b > start:
            near.append((a - start, b - start))
    blocked = sorted((near if prescanned else near + _excluded(seg)) + _band_bounds(seg))
    starts = [x for x, _ in blocked]
    out: list[FoundKpi] = []
    consumed = 0
    claimed: set[int] = set()
    for m in NUM_TOKEN.finditer(seg, timeout=_SCAN_TIMEOUT):
        a, b = m.start(), m.end()
        if a < consumed or a in claimed or _inside(blocked, starts, a, b):
            continue
        kpi = _read_one(seg, m)
        if kpi is None:
            kpi = _enumerated(seg, m, out)
        if kpi is None:
            kpi = _bracket_part(seg, m, out)
        if kpi is None and fallback_unit is not None and "," not in m.group() \
                and _LABEL_COLON.search(seg, max(0, a - 40), a) and _NOTE_END.match(seg, b):
            kpi = FoundKpi(a, b, parse_number(m.group()), fallback_unit)
        if kpi is None:
            continue
        if kpi.unit is None and fallback_unit is not None:
            kpi.unit = fallback_unit
        if kpi.inner_from is not None:
            consumed = kpi.inner_from
            if kpi.claim is not None:
                claimed.add(kpi.claim)
        else:
            consumed = kpi.end
        cs = _clause_start(seg, kpi.start)
        kpi.qualifier = kpi.qualifier or _qualifier(seg, cs, kpi.start)
        kpi.is_target = kpi.is_target or _is_target(seg, cs, kpi.start, kpi.unit == "%")
        kpi.label = _label(seg, cs, kpi.start, kpi.inner_from or kpi.end,
                           [(k.start, k.end, k.label) for k in out], kpi.unit)
        out.append(kpi)
    example = _res()["example"].search(seg)
    out = [k for k in _drop_group_bounds(seg, out)
           if not _norm(seg, k) and not (example and example.start() < k.start)]
    for kpi in out:
        kpi.start += start
        kpi.end += start
    return out


def _enumerated(seg: str, m: regex.Match[str], found: list[FoundKpi]) -> FoundKpi | None:
    """A bare number in a short clause of an enumeration of counts shares the unit of the count
    just before it: "1.467 hồ sơ, đã giải quyết 1.467, Trong đó ..." (seed 003)."""
    res = _res()
    if not found or "," in m.group() or _YEAR.match(m.group()):
        return None
    prev = found[-1]
    if prev.unit in (None, "%", "rank") or prev.unit in _money_units() or m.start() - prev.end > 60:
        return None
    if _NAME_BEFORE.search(seg, max(0, m.start() - 40), m.start()):
        return None
    if not res["bare_end"].match(seg, m.end()) or res["non_after"].match(seg, m.end()):
        return None
    between = seg[prev.end:m.start()]
    if "(" in between:
        return None  # "03 thủ tục (số thứ tự 04, 06, 07)": numbers in brackets name the items
    k = max(between.rfind(","), between.rfind(";"))
    if k < 0 or len(between[k + 1:].split()) > 5 or _BREAKS.search(between[k + 1:]):
        return None
    return FoundKpi(m.start(), m.end(), parse_number(m.group()), prev.unit)


_PART_LEAD = regex.compile(r"(?:\s+[\p{L}\d]+){0,4}?\s*\(")
_WORD_AFTER = regex.compile(r"\s+\p{L}")


def _bracket_part(seg: str, m: regex.Match[str], found: list[FoundKpi]) -> FoundKpi | None:
    """A count inside the bracket that splits the count before it has that count's unit:
    "248 điểm cầu cấp xã (124 đảng ủy cấp xã và 124 Ủy ban nhân dân cấp xã)", "42/42 cơ quan,
    đơn vị, địa phương (gồm: 04 cơ quan chuyên môn … và 38 đơn vị …)" (h001)."""
    if not found or "," in m.group() or _YEAR.match(m.group()):
        return None
    k = seg.rfind("(", max(0, m.start() - 160), m.start())
    if k < 0 or ")" in seg[k:m.start()] or _res()["non_after"].match(seg, m.end()):
        return None
    # The count the bracket follows (a few words may stand between: "248 điểm cầu cấp xã (").
    prev = next((f for f in reversed(found) if (f.noun_end if f.noun_end is not None else f.end) <= k), None)
    if prev is None:
        return None
    unit = prev.noun_unit or (prev.unit if prev.numerator is None or prev.unit != "%" else None)
    end = prev.noun_end if prev.noun_end is not None else prev.end
    if unit in (None, "%", "rank") or unit in _money_units():
        return None
    lead = _PART_LEAD.match(seg, end, k + 1)
    if lead is None or lead.end() != k + 1:
        return None
    if not _WORD_AFTER.match(seg, m.end()) or _NAME_BEFORE.search(seg, max(0, m.start() - 40), m.start()):
        return None
    return FoundKpi(m.start(), m.end(), parse_number(m.group()), unit)


def _inside(blocked: list[tuple[int, int]], starts: list[int], a: int, b: int) -> bool:
    """Does ``[a, b)`` overlap a blocked span (sorted by start)?"""
    i = bisect.bisect_right(starts, a) - 1
    for j in (i, i + 1):
        if 0 <= j < len(blocked):
            x, y = blocked[j]
            if x <= a < y or x < b <= y:
                return True
    return False


def _qualifier(seg: str, cs: int, pos: int) -> str | None:
    m = _res()["qual"].search(seg[cs:pos])
    return m.group("q").lower() if m else None


def _is_target(seg: str, cs: int, pos: int, is_pct: bool) -> bool:
    before = seg[max(cs, pos - 80):pos]
    any_rx, pct_rx = _target_res()
    if any_rx is not None and any_rx.search(before):
        return True
    return is_pct and pct_rx is not None and pct_rx.search(before) is not None


def _read_one(seg: str, m: regex.Match[str]) -> FoundKpi | None:
    """Interpret the number at ``m`` with what follows and precedes it."""
    res = _res()
    a, b = m.start(), m.end()
    raw = m.group()
    before = seg[max(0, a - 40):a]
    value = parse_number(raw)
    cs = _clause_start(seg, a)
    # Percentages.
    pm = _PCT_AFTER.match(seg, b)
    if pm:
        # "đạt 90,58% (419.218/462.814)": the fraction in brackets belongs to the percentage.
        fm = _PAREN_FRACTION.match(seg, pm.end())
        if fm:
            num, den = parse_number(fm.group("a")), parse_number(fm.group("b"))
            return FoundKpi(a, fm.end(), value, "%", num, den)
        return FoundKpi(a, pm.end(), value, "%")
    # Fractions a/b, "a noun/b" included ("1.056 phiếu/1026").
    nm = res["noun"].match(seg, b)
    sm = _SLASH_NUM.match(seg, nm.end() if nm else b)
    if sm:
        den = parse_number(sm.group("b"))
        if _YEAR.match(sm.group("b")) or seg[a - 1:a] == "/" or sm.group("b").count(","):
            return None  # "1/2026" (a period), "12/3/2026" (a date)
        if (raw, sm.group("b")) == ("24", "24"):
            return None
        fend = sm.end()
        if "," in raw:
            # "đạt 12,15/15 điểm, chỉ số đạt 80,998%" (h004): a score with its percentage only.
            far = _share_after(seg, fend, value, den)
            return FoundKpi(a, far[2], far[0], "%", value, den, inner_from=fend, claim=far[1]) if far else None
        nm2 = res["noun"].match(seg, fend)
        # A rank: the cue right before ("đứng thứ 04/34", "xếp hạng 40/114"), or in the clause when
        # no counted noun follows ("xếp hạng chung (14/15 đơn vị)" counts bodies).
        if res["rank_near"].search(seg, max(cs, a - 30), a) or (nm2 is None and (
                res["rank"].search(seg[cs:a])
                or (res["rank_cont"].search(before) and res["rank"].search(seg[max(0, cs - 200):a])))):
            return FoundKpi(a, fend, value, "rank", None, den)
        noun_end = nm2.end() if nm2 else fend
        unit = _noun_unit(nm2, "n") if nm2 else (_noun_unit(nm, "n") if nm else None)
        mm = res["merge"].match(seg, noun_end)
        if mm:
            pct = parse_number(mm.group("pct"))
            num, dd = value, den
            if dd and num and abs(dd / num * 100 - pct) < abs(num / dd * 100 - pct):
                num, dd = dd, num  # printed reversed: "1.056 phiếu/1026, kết quả 97,15%"
            return FoundKpi(a, mm.end(), pct, "%", num, dd)
        # "123/123 nhiệm vụ (đạt 100%)": a short noun phrase between fraction and percentage.
        gm = res["short_gap"].match(seg, fend) if not unit else None
        mm = res["merge"].match(seg, gm.end()) if gm else None
        if mm:
            pct = parse_number(mm.group("pct"))
            return FoundKpi(a, mm.end(), pct, "%", value, den)
        far = _share_after(seg, noun_end, value, den)
        if far is not None:
            return FoundKpi(a, far[2], far[0], "%", value, den, inner_from=noun_end, claim=far[1],
                            noun_end=noun_end if unit else None, noun_unit=unit)
        if unit:
            return FoundKpi(a, noun_end, value, unit, value, den, noun_end=noun_end, noun_unit=unit)
        return None
    # Money (after counted nouns: "41 đồng chí" is people, not money).
    mo = res["money"].match(seg, b) if nm is None else None
    if mo:
        return FoundKpi(a, mo.end(), value, _noun_unit(mo, "m"))
    # A multiple: "cao hơn gần gấp 3 lần so với cùng kỳ" (h025): 3 "lần", the qualifier before the cue.
    xm = res["multiple"].search(seg, max(cs, a - 50), a) if res["times"].match(seg, b) else None
    if xm:
        km = res["qual"].search(seg, cs, xm.start("cue"))
        return FoundKpi(a, res["times"].match(seg, b).end(), value, patterns.load().kpis.words["times_unit"],
                        qualifier=km.group("q").lower() if km else None)
    if res["non_before"].search(before) or _RANGE.match(seg, b) or _RANGE_BEFORE.search(before):
        return None
    if _YEAR.match(raw) and res["year_before"].search(before):
        return None
    if _CODE.match(raw):
        return None  # a long undotted digit run is a code or a telephone number
    if res["item_list"].search(seg, max(0, a - 120), a):
        return None  # "các Điều 4, 5, 6, 7 và 8": item numbers
    if seg[a - 1:a] == "/" or (value == 1 and res["per_unit"].search(before)):
        return None  # "… đồng/01 đơn vị tài sản", "mức hỗ trợ cho 01 hộ": a norm per unit
    if _NAME_BEFORE.search(before):
        return None  # "UBND xã Đạ Huoai 2", "Phường 2": a number in a name
    # Counts of a counted noun, merged with a percentage that follows ("6395 hồ sơ đạt 98,85%").
    if nm:
        unit = _noun_unit(nm, "n")
        if res["per"].match(seg, nm.end()):
            return None  # "02 đợt/tháng", "50 đại biểu/hội nghị": a frequency or a norm per unit
        mm = res["merge"].match(seg, nm.end())
        if mm:
            return FoundKpi(a, mm.end(), parse_number(mm.group("pct")), "%", value, None)
        return FoundKpi(a, nm.end(), value, unit, noun_end=nm.end(), noun_unit=unit)
    # Bare numbers that end a clause naming what is counted.
    if res["non_after"].match(seg, b) or not res["bare_end"].match(seg, b) or "," in raw:
        return None
    prefix = seg[cs:a]
    if res["list_lead"].search(prefix):
        return None  # "… cụ thể như sau: 1." is a list label
    opened = res["bare_open"].match(seg[cs:a].lstrip("-+*• "))
    by_verb = res["bare_verb"].search(prefix)
    noun = res["noun_any"].search(prefix)
    if not ((opened or by_verb) and (noun or opened)):
        return None
    if _YEAR.match(raw):
        return None
    mm = res["merge"].match(seg, b)
    if mm:
        # "Số hồ sơ giải quyết trước và đúng hạn là 467.565 (tỷ lệ 99,81%)" (h001): one KPI.
        return FoundKpi(a, mm.end(), parse_number(mm.group("pct")), "%", value, None)
    unit = None if res["tyle"].match(prefix.lstrip("-+*• ")) else (_noun_unit(noun, "n") if noun else None)
    return FoundKpi(a, b, value, unit)


_SHARE_WINDOW = 200
_CLAUSE_END = regex.compile(r"[;\n]|\.(?=\s|$)")


def _share_after(seg: str, pos: int, num: float, den: float) -> tuple[float, int, int] | None:
    """The percentage further on in the clause that states the same share as ``num/den``
    ("Có 11/15 đơn vị có kết quả đạt từ 80% trở lên, chiếm tỷ lệ 73,33%"; "45/45 nhiệm vụ
    đề ra (đạt 100% kế hoạch)"): (value, start, end) when the arithmetic agrees within a point."""
    if not den:
        return None
    stop = _CLAUSE_END.search(seg, pos, min(len(seg), pos + _SHARE_WINDOW))
    limit = stop.start() if stop else min(len(seg), pos + _SHARE_WINDOW)
    share = num / den * 100
    for pm in _res()["pct_link"].finditer(seg, pos, limit, timeout=TIMEOUT):
        pct = parse_number(pm.group("pct"))
        if abs(pct - share) <= 1.0:
            return pct, pm.start("pct"), pm.end()
    return None


_NORM_WINDOW = 100


def _norm(seg: str, k: FoundKpi) -> bool:
    """A level set by a rule, not a measured result: a fee, a support level, an interest rate,
    a cap ("Mức thu phí … là 1.000.000 đồng/phòng", "không quá 03 người", "tối đa là 75/100
    điểm"), or the unit a caption states ("Đơn vị tính: 1.000 đồng")."""
    cs = _clause_start(seg, k.start)
    return _res()["norm"].search(seg, max(cs, k.start - _NORM_WINDOW), k.start) is not None


def _is_group(k: FoundKpi) -> bool:
    """A count of bodies or items (a fraction, or a count of a counted noun)."""
    return k.numerator is not None or (k.unit not in (None, "%", "rank") and k.unit not in _money_units())


def _band_bounds(seg: str) -> list[tuple[int, int]]:
    """Bounds of a band, never KPIs: "từ 80% trở lên", "từ 65% đến dưới 80%", "từ 30% - dưới
    70%" (h001, h004), "(Chỉ số dưới 50%)" naming a group; the count in the band is the KPI."""
    res = _res()
    out: list[tuple[int, int]] = []
    pct = "%" in seg
    open_end = res["open_end"].search(seg) is not None
    if not (open_end or res["band_cue"].search(seg)):
        return out
    any_rx, pct_rx = _target_res()
    for m in res["band"].finditer(seg, timeout=TIMEOUT) if pct else ():
        if m.group("y") is None:
            # "phấn đấu … đạt từ 10% trở lên": an open band set as a goal is the target itself.
            before = seg[max(_clause_start(seg, m.start()), m.start() - 80):m.start()]
            if any(rx is not None and rx.search(before) for rx in (any_rx, pct_rx)):
                continue
        for g in ("x", "y"):
            if m.group(g) is not None:
                out.append((m.start(g), m.end(g)))
    for m in res["count_band"].finditer(seg, timeout=TIMEOUT) if open_end else ():
        if m.group().rstrip().endswith("%") or "%" in m.group():
            before = seg[max(_clause_start(seg, m.start()), m.start() - 80):m.start()]
            if any(rx is not None and rx.search(before) for rx in (any_rx, pct_rx)):
                continue  # "phấn đấu … 10% trở lên": a goal
        out.append((m.start("x"), m.end("x")))
    for m in res["range_band"].finditer(seg, timeout=TIMEOUT) if res["to_below"].search(seg) else ():
        out.append((m.start("x"), m.end("x")))
        out.append((m.start("y"), m.end("y")))
    for m in res["band_paren"].finditer(seg, timeout=TIMEOUT) if pct else ():
        out.append((m.start(), m.end()))
    return out


def _drop_group_bounds(seg: str, found: list[FoundKpi]) -> list[FoundKpi]:
    """A bounded figure ("dưới 50%", "trên 50%", "dưới 50 phiếu") in the clause of a count of
    bodies ("Có 5/15 đơn vị có chỉ số đạt dưới 50%, chiếm tỷ lệ 33,33%"; "số đơn vị … tự bảo
    đảm dưới 30% chi thường xuyên là 29 đơn vị") defines the group counted: not a KPI. So is a
    threshold in brackets after its word ("tỷ lệ khảo sát tối thiểu (10%)")."""
    res = _res()
    if len(found) < 1:
        return found
    clause_of = [_clause_start(seg, k.start) for k in found]
    keep: list[FoundKpi] = []
    for i, (c, k) in enumerate(zip(clause_of, found, strict=True)):
        if k.numerator is None and k.qualifier is not None and res["band_qual"].match(k.qualifier):
            # The group counted before it in the clause, or the clause opening "Số <bodies> ...".
            earlier = any(_is_group(found[j]) and not _CLAUSE_END.search(seg, found[j].end, k.start)
                          for j in range(i))
            if earlier or res["group_opener"].match(seg, c, k.start):
                continue
        if res["threshold"].search(seg, max(0, k.start - 40), k.start):
            continue
        keep.append(k)
    return keep
