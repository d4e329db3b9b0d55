"""A scan's identity: which pages to read, seal ink out of the way, lost diacritics, stamp lines.

What an archivist needs first from a scanned decision is its header (type, number, place, date,
title, issuer) and its signer. They stand on page 1 and on the page that holds the signature
block; this module supplies the scan-specific steps around the OCR layer (:mod:`.ocr`):

* :func:`survey` / :func:`signature_page`: a cheap look at every page at low resolution (red
  seal ink, dark ink) picks the signature page without OCR: the first page whose red seal is
  as large as the document's largest, never a blank back page that only shows the seal through;
* :func:`seal_grey`: the grey image OCR reads, seal ink out of the way;
* :func:`restore_diacritics`: header vocabulary whose marks OCR lost (``QUYÉT ĐỊNH``,
  ``CHU TỊCH``, ``TINH QUANG NGAI``) gets them back, only by adding marks and only when exactly
  one phrase of ``patterns/scan.yaml``, the document types or the place table fits;
* :func:`is_stamp_line`: the e-signature appearance and the publishing centre's stamp
  (``Ký bởi:``, ``Cơ quan:``, ``Thời gian ký:``, e-mail, timestamp) are never header values.
"""

from __future__ import annotations

import functools
import gzip
import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import regex

from ..patterns import load as load_patterns

if TYPE_CHECKING:
    from PIL.Image import Image

SURVEY_DPI = 36
"""Resolution of the page survey (a seal is a few hundred pixels even at this size)."""
RED_MARGIN = 60
"""A pixel is seal ink when its red exceeds both other channels by this much (0-255)."""
MIN_SEAL_SHARE = 0.002
"""Share of a page's pixels that must be seal ink for the page to carry a seal."""
SEAL_SHARE_OF_MAX = 0.5
"""A page's seal counts when at least this share of the document's largest seal."""
MIN_INK_SHARE = 0.0005
"""Share of dark pixels below which a page is blank (a back page showing the seal through: 0.0000
on the real scans; a signature page with a few lines of text: 0.0017 at 36 dpi)."""


@dataclass(frozen=True)
class PageInk:
    """What a low-resolution look at one page shows."""

    red: float
    """Share of the page's pixels that are red seal ink in its signature seal (see ``red_rows``)."""
    ink: float
    """Share of dark (print or pen) pixels."""
    red_rows: tuple[float, float] | None
    """Top and bottom of the signature seal as shares of the page height, or None."""
    colour: float = 0.0
    """Share of the page in coloured ink of any kind (seals, pen)."""

    @property
    def blank(self) -> bool:
        return self.ink < MIN_INK_SHARE


HANGING_SEAL_ZONE = 0.2
"""A seal whose middle is in this top share of a page hangs over the issuer (dấu treo, stamped on
the first page of an attachment) and is not the signature's."""


def survey(image: Image) -> PageInk:
    """Red seal ink and dark ink of one page image (any resolution; SURVEY_DPI is enough).

    Seal ink is grouped into bands of rows; the signature seal is the band with the most ink
    whose middle is below :data:`HANGING_SEAL_ZONE`.
    """
    import numpy as np

    a = np.asarray(image.convert("RGB")).astype(np.int16)
    red = (a[..., 0] - np.maximum(a[..., 1], a[..., 2])) > RED_MARGIN
    dark = a.max(axis=2) < 100
    colour = float((((a.max(axis=2) - a.min(axis=2)) > RED_MARGIN) & (a.min(axis=2) < 235)).mean())
    h = max(a.shape[0], 1)
    per_row = red.sum(axis=1)
    rows = np.flatnonzero(per_row > max(2, red.shape[1] // 200))
    bands: list[tuple[int, int]] = []
    gap = max(2, h // 60)
    for r in rows.tolist():
        if bands and r - bands[-1][1] <= gap:
            bands[-1] = (bands[-1][0], r)
        else:
            bands.append((r, r))
    best: tuple[float, float, float] | None = None
    for top, bottom in bands:
        if (top + bottom + 1) / 2 / h < HANGING_SEAL_ZONE:
            continue
        share = float(per_row[top : bottom + 1].sum()) / red.size
        if best is None or share > best[2]:
            best = (top / h, (bottom + 1) / h, share)
    if best is None:
        return PageInk(0.0, float(dark.mean()), None, colour)
    return PageInk(best[2], float(dark.mean()), (best[0], best[1]), colour)


def signature_page(pages: Sequence[PageInk]) -> int | None:
    """0-based index of the page holding the signature block, or None when no page has a seal.

    The decision's own block comes before any attached form or draft: the first page whose
    seal is at least half the size of the largest one, among pages that are not blank.
    """
    sealed = [(i, p.red) for i, p in enumerate(pages) if not p.blank and p.red >= MIN_SEAL_SHARE]
    if not sealed:
        return None
    largest = max(r for _, r in sealed)
    return next(i for i, r in sealed if r >= SEAL_SHARE_OF_MAX * largest)


def last_written_page(pages: Sequence[PageInk]) -> int | None:
    """0-based index of the last page that is not blank (the fallback signature page)."""
    return next((i for i in range(len(pages) - 1, -1, -1) if not pages[i].blank), None)


def seal_grey(image: Image) -> Image:
    """The grey image OCR reads from a colour scan.

    The red channel: red seal ink turns light and the print under it stays dark, even at the
    edges of its strokes (a darkish red pixel is print seen through the seal, not seal ink);
    bright red pixels (seal ink over paper) become white. Blue pen stays dark: Tesseract reads
    print around it, and the signature column drops what it makes of it. Measured on the six
    real scans (``benchmarks/scan_ocr.py``), the usual grey loses 14 of the 17 signature-block
    lines under the seal, the red channel 3; on a seal stamped over the issuer's name it keeps
    the letters whole where whitening every coloured pixel breaks them (``NIIÂN``).
    """
    import numpy as np
    from PIL import Image as PILImage

    if image.mode == "L":
        return image
    red, green, blue = (np.asarray(c) for c in image.convert("RGB").split())
    others = np.maximum(green, blue)
    grey = red.copy()
    grey[(red > 150) & (red > np.minimum(others, 255 - RED_MARGIN) + RED_MARGIN)] = 255
    return PILImage.fromarray(grey)


# --- stamps -------------------------------------------------------------------------------------------


@functools.cache
def _stamp_re() -> regex.Pattern[str]:
    parts = load_patterns().scan.stamp_lines
    return regex.compile("^(?:" + "|".join(f"(?:{p})" for p in parts) + ")", regex.I | regex.V1)


def is_stamp_line(text: str) -> bool:
    """A line of a signing stamp or the publishing centre's stamp, never a header value."""
    return _stamp_re().search(text.strip(), timeout=1.0) is not None


@functools.cache
def _recipients_res() -> tuple[regex.Pattern[str], regex.Pattern[str]]:
    scan = load_patterns().scan
    return regex.compile(scan.recipients_misread, regex.V1), regex.compile(scan.recipients_word, regex.V1)


def recipients_words(words: Sequence[str]) -> int:
    """How many leading words of a recipients-column line are the ``Nơi nhận:`` label as OCR
    misread it (``Mới nhận:``, ``ơi nhận:``, ``nhận:`` alone): 2, 1, or 0 when none is, or
    when the label was read right."""
    first, label = _recipients_res()
    if not words or " ".join(words[:2]) == RECIPIENTS_LABEL:
        return 0
    if label.fullmatch(words[0], timeout=1.0):
        return 1
    if len(words) >= 2 and first.fullmatch(words[0], timeout=1.0) and label.fullmatch(words[1], timeout=1.0):
        return 2
    return 0


RECIPIENTS_LABEL = "Nơi nhận:"


@functools.cache
def _bullet_re() -> regex.Pattern[str]:
    return regex.compile(load_patterns().scan.bullet_misread, regex.V1)


def is_bullet_misread(token: str) -> bool:
    """A word that is a list bullet as OCR misreads it (``~``, ``_``, ``~-``)."""
    return _bullet_re().fullmatch(token, timeout=1.0) is not None


def ends_item(line: Any, middle: float) -> bool:
    """The left-column part of a line ends a list item (``;``, ``.``) or is the label (``:``)."""
    left = [w.text for w in line.words if w.x1 < middle]
    return bool(left) and left[-1][-1:] in (";", ".", ":")


@functools.cache
def _authority_re() -> regex.Pattern[str]:
    from ..patterns import alternation

    return regex.compile(alternation(load_patterns().layout.authority_prefixes), regex.V1)


def authority_prefix(token: str) -> str | None:
    """``"KT."`` for a signing prefix OCR read with another stop (``KT,`` ``TM:``), else None."""
    if len(token) < 2 or token[-1] not in ",;:" or token[:-1] != token[:-1].upper():
        return None
    fixed = token[:-1] + "."
    return fixed if _authority_re().fullmatch(fixed, timeout=1.0) else None


def split_prefix(token: str) -> tuple[str, str] | None:
    """``("TM.", "ỦY")`` for a signing prefix OCR glued to the next word (``TM.ỦY``), else None."""
    head, dot, rest = token.partition(".")
    if not dot or not rest or not rest[:1].isupper() or head != head.upper():
        return None
    return (head + ".", rest) if _authority_re().fullmatch(head + ".", timeout=1.0) else None


_LOOKALIKE = str.maketrans({"Ð": "Đ", "đ": "đ"})
"""Letters OCR returns for Vietnamese ones: the Icelandic eth Ð for Đ."""


@functools.cache
def _type_codes() -> frozenset[str]:
    return frozenset(t.code for t in load_patterns().doc_types.types)


def number_suffix(text: str) -> str:
    """The ``/TYPE-ISSUER`` part of a number with OCR look-alikes mended: ``/QĐÐ-UBND`` ->
    ``/QĐ-UBND`` (Ð read for Đ, and the letter doubled), ``/QĐ:UBND`` -> ``/QĐ-UBND`` (the hyphen
    read as a colon). Only when the type code is not a known code and the mended one is, or the
    code is known and the stop after it is no hyphen."""
    m = _SUFFIX.match(text)
    if m is None:
        return text
    code, stop, rest = m.group("code"), m.group("stop"), m.group("rest")
    if code not in _type_codes():
        mended = code.translate(_LOOKALIKE)
        if mended not in _type_codes():
            mended = regex.sub(r"(.)\1", r"\1", mended)
        if mended not in _type_codes():
            return text
        code = mended
    if stop and rest:
        stop = "-"
    return f"/{code}{stop}{rest}"


_SUFFIX = regex.compile(r"^/(?P<code>\p{L}+)(?P<stop>[-:;.~_]?)(?P<rest>.*)$", regex.S)


# --- diacritics ---------------------------------------------------------------------------------------

_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
"""Tone marks: grave, acute, tilde, hook above, dot below."""
_QUALITY = frozenset("\u0302\u0306\u031b")
"""Vowel marks: circumflex (â ê ô), breve (ă), horn (ơ ư)."""
_STROKE = "\u0335"
"""Stands for the bar of đ in a decomposed letter."""


@functools.lru_cache(maxsize=4096)
def _letter(ch: str) -> tuple[str, frozenset[str]]:
    if ch == "đ":
        return "d", frozenset(_STROKE)
    nfd = unicodedata.normalize("NFD", ch)
    return nfd[0], frozenset(c for c in nfd[1:] if c in _TONES or c in _QUALITY)


def _letters(word: str) -> list[tuple[str, frozenset[str]]]:
    """(base letter, marks) per letter of ``word``, case folded; đ is d with a stroke."""
    return [_letter(ch) for ch in word.casefold()]


@functools.lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """``word`` without any mark, lower case: ``"QUYẾT"`` -> ``"quyet"``, ``"Đồng"`` -> ``"dong"``."""
    return "".join(_letter(ch)[0] for ch in word.casefold())


def _fits(read: str, phrase_word: str, tones: bool = True) -> bool:
    """The marks OCR read all stand in ``phrase_word`` at the same letters (marks only added).
    With ``tones=False`` a tone mark read may differ (tilde read for hook above: ``TĨNH``), while
    vowel marks still may only be added."""
    a, b = _letters(read), _letters(phrase_word)
    if len(a) != len(b):
        return False
    for (x, mx), (y, my) in zip(a, b, strict=True):
        if x != y:
            return False
        if tones and not mx <= my:
            return False
        if not tones and not (mx - _TONES) <= my:
            return False
    return True


def _case(word: str) -> int:
    """2 for capitals, 1 for a capitalised word, 0 for lower case."""
    return 2 if word.isupper() else 1 if word[:1].isupper() else 0


_WORD = regex.compile(r"[\p{L}\p{M}]+")


@dataclass(frozen=True)
class _Vocabulary:
    by_fold: dict[tuple[str, ...], list[tuple[str, ...]]]
    """Folded words -> the phrases (as word tuples) that fold to them."""
    sizes: tuple[int, ...]
    """Phrase lengths in words, longest first."""


def _index(phrases: set[str]) -> _Vocabulary:
    by_fold: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for phrase in phrases:
        words = tuple(_WORD.findall(phrase))
        if words:
            by_fold.setdefault(tuple(fold(w) for w in words), []).append(words)
    return _Vocabulary(by_fold, tuple(sorted({len(k) for k in by_fold}, reverse=True)))


@functools.cache
def vocabulary() -> _Vocabulary:
    """Header phrases of patterns/scan.yaml, the document-type names in capitals, and a level
    word with a unit name from the place table (``TỈNH QUẢNG NGÃI``, ``HUYỆN TƯ NGHĨA``)."""
    p = load_patterns()
    phrases: set[str] = set(p.scan.phrases)
    for entry in p.doc_types.types:
        if not entry.cited_only:
            phrases.add(entry.name.upper())
    phrases.update(_places()[0])
    return _index(phrases)


@functools.cache
def place_vocabulary() -> _Vocabulary:
    """Bare unit names of the place table (``Quảng Ngãi``, ``Đại Sơn``): the place of a date line."""
    return _index(_places()[1])


@functools.cache
def _places() -> tuple[set[str], set[str]]:
    """(level word + name in capitals, bare names) of the provinces, districts and communes of the
    place table (patterns/provinces.yaml, and the 2025 mapping :func:`places.mapping_path` finds,
    plain or gzip-compressed JSON)."""
    from .. import places

    levels = [tuple(w.casefold() for w in _WORD.findall(x)) for x in load_patterns().scan.unit_levels]
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for level in sorted(levels, key=len, reverse=True):
        by_first.setdefault(level[0], []).append(level)
    named: set[str] = set()
    bare: set[str] = set()
    seen: set[str] = set()

    def add(name: str) -> None:
        if name in seen:
            return
        seen.add(name)
        words = _WORD.findall(name)
        if not words:
            return
        for level in by_first.get(words[0].casefold(), ()):
            n = len(level)
            if len(words) > n and tuple(w.casefold() for w in words[:n]) == level:
                named.add(" ".join(words).upper())
                bare.add(" ".join(words[n:]))
                return
        if len(words) >= 2:
            bare.add(" ".join(words))

    for prov in _yaml("provinces.yaml").get("provinces", []):
        add(prov["name"])
        for old in [prov["short"], *prov.get("merged_from", [])]:
            add(f"{levels[0][0]} {old}")
    path = places.mapping_path()
    if path is not None:
        raw = path.read_bytes()
        data = json.loads(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw)
        for info in [*data["province_names"].values(), *data["old_province_names"].values()]:
            add(info["name"])
            add(f"{levels[0][0]} {info['short']}")
        for rec in data["ward_mapping"]:
            for key in ("old_district", "old_ward", "new_ward"):
                if rec.get(key):
                    add(rec[key])
    return named, bare


def _yaml(name: str) -> dict[str, Any]:
    import yaml

    from ..patterns import patterns_dir

    with (patterns_dir() / name).open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return data if isinstance(data, dict) else {}


def restore_diacritics(
    words: Sequence[str], vocab: _Vocabulary | None = None
) -> tuple[list[str], list[tuple[str, str]]]:
    """Words of one OCR line with the marks of header vocabulary restored.

    Returns the new words and the (read, restored) pairs of the changed runs. A run of words
    changes only when its folded form equals a vocabulary phrase, every mark OCR read stands in
    that phrase at the same letter, each word is in the phrase's case (capitals for capitals: body
    text in sentence case is never touched), and exactly one distinct phrase fits; the longest
    fitting phrase is tried first. In a run of two or more words, one word whose tone mark was
    misread may take the phrase's when another word of the run was read exactly and no other
    phrase fits. Punctuation glued to a word (``NGÃI,``) is kept.
    """
    vocab = vocab or vocabulary()
    out = list(words)
    changes: list[tuple[str, str]] = []
    cores = [_core(w) for w in words]
    folded = [fold(c[1]) for c in cores]
    i = 0
    while i < len(words):
        step = 1
        for size in vocab.sizes:
            if i + size > len(words) or not _joinable(cores, i, size):
                continue
            group = vocab.by_fold.get(tuple(folded[i : i + size]))
            if not group:
                continue
            run = [cores[k][1] for k in range(i, i + size)]
            fitting = [p for p in group if all(_fits(r, w) and _case(r) == _case(w) for r, w in zip(run, p, strict=True))]
            if not fitting and size >= 2:
                fitting = [p for p in group if _fits_one_tone(run, p)]
            distinct = {tuple(w.casefold() for w in p) for p in fitting}
            if len(distinct) != 1:
                if len(distinct) > 1:
                    step = size  # ambiguous ("UY BAN" fits ỦY and UỶ): this run stays as read
                    break
                continue
            new = list(fitting[0])
            if new != run:
                for k, w in enumerate(new):
                    lead, _, trail = cores[i + k]
                    out[i + k] = lead + w + trail
                changes.append((" ".join(words[i : i + size]), " ".join(out[i : i + size])))
            step = size
            break
        i += step
    return out, changes


def _fits_one_tone(run: Sequence[str], phrase: Sequence[str]) -> bool:
    """A run of two or more words fits ``phrase`` with one word's tone misread (``TĨNH QUẢNG
    NGÃI``, ``Quảng Ngài``), every other word fitting as in :func:`_fits` and one of them printed
    exactly as in the phrase."""
    if any(_case(r) != _case(w) or not _fits(r, w, tones=False) for r, w in zip(run, phrase, strict=True)):
        return False
    loose = sum(1 for r, w in zip(run, phrase, strict=True) if not _fits(r, w))
    exact = sum(1 for r, w in zip(run, phrase, strict=True) if r == w)
    return loose <= 1 and exact >= 1


def _joinable(cores: list[tuple[str, str, str]], i: int, size: int) -> bool:
    """Words ``i .. i+size`` are all letters, with punctuation only before the first and after the
    last (``(ỦY BAN NHÂN DÂN,``)."""
    for k in range(i, i + size):
        lead, core, trail = cores[k]
        if not core or (lead and k > i) or (trail and k < i + size - 1):
            return False
    return True


_CORE = regex.compile(r"^(\W*)([\p{L}\p{M}]+)(\W*)$")


def _core(word: str) -> tuple[str, str, str]:
    """(leading punctuation, letters, trailing punctuation); no letters core when mixed."""
    m = _CORE.match(word)
    if m is None:
        return "", "", ""
    return m.group(1), m.group(2), m.group(3)


def restore_place(words: Sequence[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """The date line's place (the words before ``, ngày``) with its lost marks restored from the
    place table, on the same terms as :func:`restore_diacritics`."""
    day = regex.compile(load_patterns().scan.day_label, regex.I)
    for k in range(1, len(words)):
        if day.match(words[k]) and words[k - 1].endswith(","):
            start = max(0, k - 5)
            head, changes = restore_diacritics(words[start:k], place_vocabulary())
            return [*words[:start], *head, *words[k:]], changes
    return list(words), []
