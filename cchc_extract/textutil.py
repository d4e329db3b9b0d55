"""Small text helpers shared by the layers: line shapes that Decree 30 documents use.

Numbering grammar (``I.``, ``1.``, ``2.1.``, ``a)``) and bullets are mechanisms, so they live
here; vocabulary (motto, preamble openers, signing prefixes) comes from ``patterns/``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from . import patterns

TIMEOUT = 2.0
"""Seconds any single regex scan of untrusted text may take (``regex`` module timeout)."""

# Section labels. Each requires the title to start with a non-digit so that figures at a line
# start ("1.467 hồ sơ", "3.099") are never taken for labels.
ROMAN = regex.compile(r"^(?P<label>[IVXL]{1,6})\s*(?:[.)]|/(?=\s)|\s-\s|-(?=\s))\s*(?P<rest>\S.*)?$")
DECIMAL = regex.compile(r"^(?P<label>\d{1,2}(?:\.\d{1,2}){1,3})\.?(?:\s+|(?=[^\d\s.,%/]))(?P<rest>[^\d\s.,%/].*)$")
ARABIC = regex.compile(r"^(?P<label>\d{1,2})\s*(?:[.)]|/(?=\s))(?:\s*)(?P<rest>[^\d\s.,%/)].*)$")
LETTER = regex.compile(r"^(?P<label>[a-zđ])\s*\)\s*(?P<rest>\S.*)$")
LETTER_DOT = regex.compile(r"^(?P<label>[a-zđ])\.\s+(?P<rest>\p{Lu}.*)$")
# "A. KẾT QUẢ ĐẠT ĐƯỢC" / "B. ..." (parts above Roman sections in some reports); Roman wins on I, V, X.
UPPER = regex.compile(r"^(?P<label>[A-HJ-UW-Z])\.\s+(?P<rest>\p{Lu}.*)$")
PAREN = regex.compile(r"^\((?P<label>\d{1,2})\)\s*(?P<rest>\S.*)$")
# "(i) Tập đoàn ... báo cáo ...", "(ii) Chủ đầu tư ..." (Government Office notices, corpus-real).
PAREN_ROMAN = regex.compile(r"^\((?P<label>i{1,3}|iv|vi{0,3}|ix|x)\)\s*(?P<rest>\S.*)$")

# A personal name: 2-6 capitalised words, no digits ("Đoàn Văn Cát", "NGUYỄN VĂN A").
PERSON_NAME = regex.compile(r"^(?:\p{Lu}\p{Ll}*|\p{Lu}+)(?:\s+(?:\p{Lu}\p{Ll}*|\p{Lu}+)){1,5}$")
TERMINAL = regex.compile(r"[.;:!?…]\s*(?:\)|\"|”)?\s*$")
LOWER_START = regex.compile(r"^[\p{Ll}\d(\[“\"']")
WS = regex.compile(r"\s+")
_LETTER = regex.compile(r"\p{L}")
_UPPER = regex.compile(r"\p{Lu}")


@dataclass(frozen=True)
class Label:
    style: str
    """``roman``, ``arabic``, ``letter`` or ``decimalN`` (N = number of components)."""
    label: str
    rest: str


def match_label(text: str) -> Label | None:
    """The section label at the start of a line, if any.

    >>> match_label("2.1. Đối với Trung tâm").label
    '2.1'
    >>> match_label("1.467 hồ sơ") is None
    True
    """
    m = ROMAN.match(text)
    if m and m.group("rest") is not None:
        return Label("roman", m.group("label"), m.group("rest"))
    m = DECIMAL.match(text)
    if m:
        lab = m.group("label")
        return Label(f"decimal{lab.count('.') + 1}", lab, m.group("rest"))
    m = ARABIC.match(text)
    if m:
        return Label("arabic", m.group("label"), m.group("rest"))
    m = LETTER.match(text) or LETTER_DOT.match(text)
    if m:
        return Label("letter", m.group("label"), m.group("rest"))
    m = UPPER.match(text)
    if m:
        return Label("upper", m.group("label"), m.group("rest"))
    m = PAREN.match(text)
    if m:
        return Label("paren", m.group("label"), m.group("rest"))
    m = PAREN_ROMAN.match(text)
    if m:
        return Label("paren_roman", m.group("label"), m.group("rest"))
    return None


def collapse(text: str) -> str:
    """Whitespace collapsed to single spaces, stripped."""
    return WS.sub(" ", text).strip()


@functools.lru_cache(maxsize=8192)
def is_caps(text: str) -> bool:
    """An ALL-CAPS line (type names, Roman headings, signature titles); abbreviations don't count.

    >>> is_caps("ĐÁNH GIÁ CHUNG"), is_caps("Công tác CCHC")
    (True, False)
    """
    if " " not in text.strip():
        return False
    letters = len(_LETTER.findall(text))
    if letters < 4:
        return False
    return len(_UPPER.findall(text)) / letters >= 0.85


@functools.cache
def _layout_res() -> dict[str, regex.Pattern[str]]:
    lay = patterns.load().layout
    f = patterns.FLAGS
    return {
        "motto": regex.compile(r"^\s*" + patterns.alternation(lay.motto), f),
        "number": regex.compile(r"^\s*" + lay.number_label, f),
        "number_alone": regex.compile(r"^\s*" + lay.number_alone, f),
        "subject_line": regex.compile(r"^\s*" + lay.subject_line, f),
        "place_date": regex.compile(r"^\s*" + lay.place_date, f),
        "preamble": regex.compile(r"^\s*" + patterns.alternation(lay.preamble_openers) + r"\b", f),
        "closing": regex.compile(r"^\s*" + patterns.alternation(lay.closing_openers) + r"\b", f),
        "recipients": regex.compile(r"^\s*" + lay.recipients_label, f),
        "authority": regex.compile(r"^\s*" + patterns.alternation(lay.authority_prefixes) + r"\s*\S", f),
        "bullet": regex.compile(r"^\s*(?P<mark>" + lay.bullets + r")(?=\s|\p{L}|\d)\s*(?P<rest>.*)$", regex.VERSION1),
        "sub_bullet": regex.compile(r"^\s*" + lay.sub_bullets, regex.VERSION1),
        "end_mark": regex.compile(lay.end_mark, f),
        "signature_mark": regex.compile(r"^\s*(?:" + lay.signature_marks + r")\s*$", f),
    }


@functools.cache
def _rank_re() -> regex.Pattern[str]:
    return regex.compile(r"^(?:" + patterns.load().layout.name_prefixes + r")\s+", patterns.FLAGS)


def is_name(text: str) -> bool:
    """A personal name line: 2-6 capitalised words, no digits (``Đoàn Văn Cát``), after a military
    rank if one is printed (``Thượng tướng Võ Văn A``)."""
    if len(text) > 60:
        return False
    rank = _rank_re().match(text)
    return bool(PERSON_NAME.match(text[rank.end():] if rank else text))


def layout(name: str) -> regex.Pattern[str]:
    """A compiled layout pattern by name (``motto``, ``number``, ``bullet`` ...)."""
    return _layout_res()[name]


_SENTENCE_END = regex.compile(r"(?<!\d)[.!?](?= )")


def clause_start(text: str, pos: int, floor: int = 0, *, stops: str = "\n", max_back: int = 600) -> int:
    """Start of the sentence holding ``pos``: just after the last ". " (not a decimal point,
    "3.067") or ``stops`` character before it; ``stops=";\n"`` gives the clause.

    Looks back at most ``max_back`` characters, so a line without punctuation stays linear.

    >>> t = "Tổng số 3.067 hồ sơ. Trong đó trả trước 1.464 hồ sơ; đúng hạn 03 hồ sơ"
    >>> t[clause_start(t, t.index("1.464")):].lstrip()[:8], t[clause_start(t, len(t), stops=";"):].strip()[:8]
    ('Trong đó', 'đúng hạn')
    """
    lo = max(floor, pos - max_back)
    window = text[lo:pos]
    best = max(window.rfind(c) for c in stops) + 1 if stops else 0
    ends = [m.end() for m in _SENTENCE_END.finditer(window, best)]
    if ends:
        best = max(best, ends[-1])
    return lo + best


def strip_marker(text: str) -> str:
    """A paragraph without its bullet or list label ("- Các đơn vị ..." -> "Các đơn vị ...").

    >>> strip_marker("6. Giao Văn phòng theo dõi"), strip_marker("+ Đủ 07 cán bộ")
    ('Giao Văn phòng theo dõi', 'Đủ 07 cán bộ')
    """
    m = layout("bullet").match(text)
    if m:
        return m.group("rest")
    lab = match_label(text.lstrip())
    return lab.rest if lab is not None else text


@functools.lru_cache(maxsize=8192)
def starts_block(text: str) -> bool:
    """Does this line begin a new paragraph whatever precedes it (label, bullet, heading ...)?"""
    if match_label(text) or is_caps(text):
        return True
    res = _layout_res()
    # Openers are written with a capital: a wrapped line "thực hiện Chương trình ..." goes on.
    keys = ("bullet", "preamble", "closing", "recipients", "authority", "motto", "number", "place_date")
    return any(res[k].match(text) for k in keys if k not in ("preamble", "closing") or text[:1].isupper())


@functools.lru_cache(maxsize=8192)
def ends_block(text: str) -> bool:
    """Does this line end its paragraph (terminal punctuation, heading, header line)?"""
    if TERMINAL.search(text) or is_caps(text):
        return True
    res = _layout_res()
    return any(res[k].match(text) for k in ("motto", "number", "place_date", "authority", "recipients"))
