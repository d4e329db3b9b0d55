"""Legacy Vietnamese 8-bit encodings (TCVN3/ABC and VNI-Windows) -> Unicode, table-driven.

The tables live in ``patterns/encodings/{tcvn3,vni}.yaml``. Text in these encodings reaches us
either as raw bytes (a ``.txt`` saved from a ``.VnTime``/``VNI-Times`` document) or as Unicode that
was already read through Latin-1/cp1252 (``"Th«ng b¸o"``, ``"Thoâng baùo"``). Both are handled on
the string level: bytes are first read as Latin-1 (``readers.txt.latin1_text``).

Detection (:func:`choose_legacy`) scores the text: every word with non-ASCII letters counts +1 if
it is a well-formed Vietnamese syllable and -1 if not. A candidate encoding wins when converting
with it raises the score clearly. Words holding letters that only Unicode has (ơ ư ă đ ĩ ũ and
U+1EA0-U+1EF9) are proper Unicode and are never converted (see :func:`convert_legacy`).

Known limit: TCVN3 toned capitals drawn with an H font (``.VnTimeH``) use the lowercase codes, and
plain text does not name the font, so they decode to lowercase.
"""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

import cchc_extract

Encoding = Literal["tcvn3", "vni"]
ENCODINGS: tuple[Encoding, ...] = ("tcvn3", "vni")

LABELS: dict[Encoding, str] = {"tcvn3": "TCVN3 (ABC)", "vni": "VNI"}
"""Names used in the ``encoding_legacy`` warning."""

# Tone marks in the TCVN3 row order: huyền, hỏi, ngã, sắc, nặng.
_TONE_MARKS = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
_BASE_VOWELS = "aăâeêioôơuưy"


def _build_letters() -> tuple[frozenset[str], dict[str, str], frozenset[str]]:
    letters: set[str] = set()
    detone: dict[str, str] = {}
    toned: set[str] = set()
    for base in _BASE_VOWELS + _BASE_VOWELS.upper():
        letters.add(base)
        for mark in _TONE_MARKS:
            ch = unicodedata.normalize("NFC", base + mark)
            letters.add(ch)
            detone[ch] = base
            toned.add(ch)
    letters.update("đĐ")
    return frozenset(letters), detone, frozenset(toned)


VIETNAMESE_LETTERS, _DETONE, _TONED = _build_letters()
"""All vowel letters with and without tone, plus đ/Đ, both cases (146; 134 are non-ASCII)."""

_DETONE_TABLE = str.maketrans(_DETONE)
_WORD_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") | VIETNAMESE_LETTERS

# Letters only Unicode has: ă đ ĩ ũ ơ ư (both cases) and the Latin Extended Additional block.
# Legacy text read as Latin-1/cp1252 can never contain them.
_UNICODE_ONLY = "ăĂđĐĩĨũŨơƠưƯ\u1ea0-\u1ef9"
_UNICODE_ONLY_RE = re.compile(f"[{_UNICODE_ONLY}]")
_PROTECTED_LINE_RE = re.compile(f"^.*[{_UNICODE_ONLY}].*$", re.MULTILINE)
# A "word" for scoring: ASCII letters plus everything in U+00A1-U+024F and U+1E00-U+1EFF, so that
# TCVN3 codes that are not letters in Latin-1 ("·", "¸", "«") stay inside their word.
_TOKEN_RE = re.compile("[A-Za-z\u00a1-\u024f\u1e00-\u1eff]+")
_LATIN1_HIGH_RE = re.compile("[\u00a1-\u00ff]")
_NON_LATIN1_SPLIT_RE = re.compile("([^\x00-\xff]+)")

_ONSET = "(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
_OPEN_RHYMES = (
    "a ai ao au ay âu ây e eo ê êu i ia iu iêu o oa oai oao oay oe oeo oi ô ôi ơ ơi "
    "u ua uây uê ui uôi uơ uy uya uyu ư ưa ưi ưu ươi ươu y yêu"
).split()
_CLOSED_NUCLEI = "a ă â e ê i o ô ơ u ư iê yê uô ươ oa oă oe uâ uê uy uyê oo ôô".split()


def _build_rhymes() -> list[str]:
    rhymes = set(_OPEN_RHYMES)
    for nucleus in _CLOSED_NUCLEI:
        if nucleus in ("oo", "ôô"):  # xoong, cốc: only before ng/c
            codas = ["ng", "c"]
        else:
            codas = ["m", "n", "p", "t"]
            if nucleus not in ("ê", "i", "uê", "uy"):
                codas += ["ng", "c"]
            if nucleus in ("a", "ê", "i", "oa", "uê", "uy"):
                codas += ["nh", "ch"]
        rhymes.update(nucleus + coda for coda in codas)
    return sorted(rhymes, key=len, reverse=True)


_SYLLABLE_RE = re.compile(_ONSET + "(?:" + "|".join(_build_rhymes()) + ")")

_SAMPLE_LIMIT = 1_000_000
_SAMPLE_CHUNKS = 16


# --------------------------------------------------------------------------------------- tables


def _patterns_dir() -> Path:
    """The ``patterns`` folder: shipped as ``cchc_extract/patterns`` in a wheel, top-level in a checkout."""
    pkg = Path(cchc_extract.__file__).parent
    inside = pkg / "patterns"
    return inside if inside.is_dir() else pkg.parent / "patterns"


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate mapping keys (PyYAML silently keeps the last one)."""


def _construct_unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise ValueError(f"duplicate key {key!r} at line {key_node.start_mark.line + 1}")
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping)


@dataclass(frozen=True)
class LegacyTable:
    """One conversion table: ``decode`` maps source strings to letters, ``encode`` the reverse."""

    encoding: Encoding
    label: str
    decode: dict[str, str]
    encode: dict[str, str]
    pattern: re.Pattern[str]
    """Matches every decode key, a two-character key before its first character (VNI "ôù", "ô")."""
    charmap: str | None
    """256-character decoding table when every key is one Latin-1 character (TCVN3)."""
    font_prefixes: tuple[str, ...] = ()
    """Lower-case starts of the names of the fonts that draw this encoding."""
    capitals_suffix: str | None = None
    """Lower-case end of the name of a capitals font (TCVN3's .VnTimeH), if the encoding has them."""

    def _replace(self, match: re.Match[str]) -> str:
        found = match[0]
        letter = self.decode.get(found)
        if letter is not None:
            return letter
        # A base + modifier pair that is not a key ("uâ"): each character on its own.
        return "".join(self.decode.get(ch, ch) for ch in found)

    def to_unicode(self, text: str) -> str:
        """Convert legacy text (as Latin-1/cp1252 code points) to NFC Unicode."""
        if self.charmap is None:
            return self.pattern.sub(self._replace, text)
        # charmap_decode is a single C pass; str.translate with a dict is ~30x slower.
        charmap = self.charmap
        parts = _NON_LATIN1_SPLIT_RE.split(text)  # odd items: runs outside Latin-1 (“ ” – ...)
        for i in range(0, len(parts), 2):
            parts[i] = codecs.charmap_decode(parts[i].encode("latin-1"), "strict", charmap)[0]
        return "".join(parts)

    def from_unicode(self, text: str) -> str:
        """Encode NFC Unicode into the legacy form (letters without a code stay as they are)."""
        return "".join(self.encode.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


def _key_pattern(keys: list[str]) -> re.Pattern[str]:
    """A regex matching the keys, as character classes when the table is base + modifier pairs."""
    pairs = [k for k in keys if len(k) == 2]
    singles = [k for k in keys if len(k) == 1]
    firsts = {k[0] for k in pairs}
    seconds = {k[1] for k in pairs}
    if len(pairs) + len(singles) == len(keys) and not firsts & seconds:
        # Faster than a 150-way alternation; _replace splits a matched pair that is not a key,
        # which gives the same result because a modifier never starts a key.
        alts = []
        if pairs:
            alts.append(f"[{re.escape(''.join(sorted(firsts)))}][{re.escape(''.join(sorted(seconds)))}]")
        if singles:
            alts.append(f"[{re.escape(''.join(sorted(singles)))}]")
        return re.compile("|".join(alts))
    return re.compile("|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True)))


def _check_target(path: Path, key: str, target: object) -> str:
    if not isinstance(target, str) or target not in VIETNAMESE_LETTERS or len(target) != 1:
        raise ValueError(f"{path.name}: target of {key!r} is not one Vietnamese letter: {target!r}")
    if unicodedata.normalize("NFC", target) != target:
        raise ValueError(f"{path.name}: target of {key!r} is not NFC: {target!r}")
    return target


def _source_key(path: Path, kind: str, key: object) -> str:
    if kind == "byte":
        if not isinstance(key, int) or not 0xA0 <= key <= 0xFF:
            raise ValueError(f"{path.name}: byte key must be an int in 0xA0-0xFF, got {key!r}")
        return chr(key)  # the byte read as Latin-1
    if not isinstance(key, str) or not key or key.isascii():
        raise ValueError(f"{path.name}: sequence key must be a non-ASCII string, got {key!r}")
    return key


@functools.cache
def load_table(encoding: Encoding) -> LegacyTable:
    """Load and validate ``patterns/encodings/<encoding>.yaml`` (cached)."""
    path = _patterns_dir() / "encodings" / f"{encoding}.yaml"
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    if not isinstance(raw, dict) or not isinstance(raw.get("map"), dict):
        raise ValueError(f"{path.name}: expected a mapping with a 'map' section")
    kind = raw.get("kind")
    if kind not in ("byte", "sequence"):
        raise ValueError(f"{path.name}: kind must be 'byte' or 'sequence', got {kind!r}")
    decode: dict[str, str] = {}
    encode: dict[str, str] = {}
    for section in ("map", "aliases"):
        entries = raw.get(section) or {}
        if not isinstance(entries, dict):
            raise ValueError(f"{path.name}: '{section}' must be a mapping")
        for key, target in entries.items():
            src = _source_key(path, kind, key)
            letter = _check_target(path, src, target)
            if src in decode:  # the same source in 'map' and 'aliases'
                raise ValueError(f"{path.name}: duplicate source {src!r}")
            decode[src] = letter
            if section == "map":
                if letter in encode:
                    raise ValueError(f"{path.name}: two sources for {letter!r}")
                encode[letter] = src
    keys = list(decode)
    charmap = None
    if kind == "byte":
        charmap = "".join(decode.get(chr(b), chr(b)) for b in range(256))
    fonts = raw.get("fonts") or {}
    prefixes = fonts.get("prefixes") or []
    suffix = fonts.get("capitals_suffix")
    if not isinstance(prefixes, list) or not all(isinstance(x, str) and x for x in prefixes):
        raise ValueError(f"{path.name}: fonts.prefixes must be a list of strings")
    if suffix is not None and not (isinstance(suffix, str) and suffix):
        raise ValueError(f"{path.name}: fonts.capitals_suffix must be a string")
    return LegacyTable(
        encoding, LABELS[encoding], decode, encode, _key_pattern(keys), charmap,
        tuple(x.lower() for x in prefixes), suffix.lower() if suffix else None,
    )


@functools.lru_cache(maxsize=256)
def font_encoding(font: str | None) -> tuple[Encoding, bool] | None:
    """The legacy encoding a font draws, and whether it is a capitals font; None for Unicode fonts.

    >>> font_encoding(".VnTimeH"), font_encoding("VNI-Times"), font_encoding("Times New Roman")
    (('tcvn3', True), ('vni', False), None)
    """
    if not font:
        return None
    name = font.strip().lower()
    if "+" in name[:7]:
        name = name.split("+", 1)[1]  # a PDF subset tag: "ABCDEF+.VnTime"
    for encoding in ENCODINGS:
        table = load_table(encoding)
        if name.startswith(table.font_prefixes):
            suffix = table.capitals_suffix
            base = name.replace(",bold", "").replace("-bold", "").rstrip()
            return encoding, suffix is not None and base.endswith(suffix)
    return None


def convert_font_text(text: str, encoding: Encoding, capitals: bool) -> str:
    """Text drawn in a legacy font (as Latin-1/cp1252 code points) as Unicode; upper-cased for a
    capitals font.

    >>> convert_font_text("C\xabng v\xa8n", "tcvn3", False), convert_font_text("c\xe9ng hoµ", "tcvn3", True)
    ('Công văn', 'CỘNG HOÀ')
    """
    out = to_unicode(text, encoding)
    return out.upper() if capitals else out


def to_unicode(text: str, encoding: Encoding) -> str:
    """Convert ``text`` (legacy bytes read as Latin-1/cp1252) from ``encoding`` to Unicode."""
    return load_table(encoding).to_unicode(text)


def from_unicode(text: str, encoding: Encoding) -> str:
    """Encode Unicode Vietnamese into ``encoding`` (as Latin-1 code points); used by tests and tools."""
    return load_table(encoding).from_unicode(text)


# -------------------------------------------------------------------------------------- scoring


@functools.lru_cache(maxsize=1 << 16)
def is_vietnamese_syllable(word: str) -> bool:
    """True for a well-formed Vietnamese syllable in lower, Title or UPPER case (at most one tone).

    >>> is_vietnamese_syllable("Nghĩa"), is_vietnamese_syllable("Th«ng")
    (True, False)
    """
    if not word or any(ch not in _WORD_LETTERS for ch in word):
        return False
    if not (word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())):
        return False
    if sum(ch in _TONED for ch in word) > 1:
        return False
    return _SYLLABLE_RE.fullmatch(word.lower().translate(_DETONE_TABLE)) is not None


def _word_score(word: str) -> int:
    # ASCII words and one-character words ("×", "©", a lone TCVN3 "ë") are no evidence either way.
    if len(word) < 2 or word.isascii():
        return 0
    return 1 if is_vietnamese_syllable(word) else -1


def _sample(text: str) -> str:
    """The whole text, or evenly spread chunks of it when it is large (detection only)."""
    if len(text) <= _SAMPLE_LIMIT:
        return text
    size = _SAMPLE_LIMIT // _SAMPLE_CHUNKS
    step = len(text) // _SAMPLE_CHUNKS
    return "\n".join(text[i * step : i * step + size] for i in range(_SAMPLE_CHUNKS))


def text_score(text: str) -> int:
    """Vietnamese-likeness: well-formed non-ASCII syllables minus malformed non-ASCII words."""
    counts = Counter(_TOKEN_RE.findall(_sample(text)))
    return sum(n * _word_score(w) for w, n in counts.items() if not w.isascii())


@dataclass(frozen=True)
class LegacyDecision:
    encoding: Encoding
    gain: int
    """Score gained by converting the unprotected words."""
    protected: int
    """Well-formed words on lines with Unicode-only letters (evidence that the text is Unicode)."""

    @property
    def legacy_majority(self) -> bool:
        # A converted word moves the score by 2 (-1 -> +1).
        return self.gain // 2 > self.protected


def choose_legacy(text: str) -> LegacyDecision | None:
    """Decide whether ``text`` (NFC) holds TCVN3 or VNI read as Latin-1, and which one."""
    if _LATIN1_HIGH_RE.search(text) is None:
        return None
    sample = _sample(text)
    # Lines with Unicode-only letters are Unicode: they are never converted, so they only count
    # as evidence against converting (see convert_legacy).
    counts = Counter(_TOKEN_RE.findall(_PROTECTED_LINE_RE.sub("", sample)))
    gain: dict[Encoding, int] = dict.fromkeys(ENCODINGS, 0)
    good: dict[Encoding, int] = dict.fromkeys(ENCODINGS, 0)
    bad: dict[Encoding, int] = dict.fromkeys(ENCODINGS, 0)
    for word, n in counts.items():
        if word.isascii() or len(word) < 2:
            continue
        before = _word_score(word)
        for enc in ENCODINGS:
            after = _word_score(to_unicode(word, enc))
            gain[enc] += n * (after - before)
            good[enc] += n if after > 0 else 0
            bad[enc] += n if after < 0 else 0
    best = max(ENCODINGS, key=lambda e: (gain[e], good[e]))
    # Convert only on clear evidence: at least one word fixed, and most words well-formed afterwards.
    if gain[best] < 2 or good[best] <= bad[best]:
        return None
    # Counted only now: proper Unicode text (the common case) never gets here, and scoring all
    # of its words was most of the reading time.
    protected_lines = "\n".join(_PROTECTED_LINE_RE.findall(sample))
    protected = sum(1 for w in _TOKEN_RE.findall(protected_lines) if _word_score(w) > 0)
    return LegacyDecision(best, gain[best], protected)


def _line_gain(line: str, table: LegacyTable, cache: dict[str, int]) -> int:
    total = 0
    for word in _TOKEN_RE.findall(line):
        gain = cache.get(word)
        if gain is None:
            gain = 0
            if not word.isascii() and len(word) >= 2 and _UNICODE_ONLY_RE.search(word) is None:
                gain = _word_score(table.to_unicode(word)) - _word_score(word)
            cache[word] = gain
        total += gain
    return total


def _convert_words(line: str, table: LegacyTable) -> str:
    """Convert the words of ``line`` that hold no Unicode-only letter."""

    def convert(match: re.Match[str]) -> str:
        word = match[0]
        return word if _UNICODE_ONLY_RE.search(word) else table.to_unicode(word)

    return _TOKEN_RE.sub(convert, line)


def convert_legacy(text: str) -> tuple[str, Encoding | None]:
    """Detect TCVN3/VNI in ``text`` and convert it; return the text and the encoding converted from.

    When the text also holds proper Unicode (letters only Unicode has), the decision is made line
    by line. A line without such letters is converted when that makes it more Vietnamese-looking
    (in a mostly legacy text: when it does not make it worse). A line with them is Unicode; only
    when its other words clearly gain are those words converted, the Unicode words never.
    """
    decision = choose_legacy(text)
    if decision is None:
        return text, None
    table = load_table(decision.encoding)
    if decision.protected == 0:
        return table.to_unicode(text), decision.encoding
    threshold = 0 if decision.legacy_majority else 2
    lines = text.split("\n")
    cache: dict[str, int] = {}
    changed = False
    for i, line in enumerate(lines):
        if _LATIN1_HIGH_RE.search(line) is None:
            continue
        if _UNICODE_ONLY_RE.search(line):
            converted = _convert_words(line, table) if _line_gain(line, table, cache) >= 2 else line
        elif _line_gain(line, table, cache) >= threshold:
            converted = table.to_unicode(line)
        else:
            continue
        changed = changed or converted != line
        lines[i] = converted
    if not changed:
        return text, None
    return "\n".join(lines), decision.encoding
