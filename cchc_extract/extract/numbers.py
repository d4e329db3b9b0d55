"""Vietnamese number notation: ``.`` groups thousands, ``,`` marks decimals.

>>> parse_number("3.067"), parse_number("99,6"), parse_number("6476"), parse_number("1.000,5")
(3067.0, 99.6, 6476.0, 1000.5)
"""

from __future__ import annotations

import regex

# A number as printed: thousands groups with "." ("3.067", "270.819"), decimals with ","
# ("99,78"); a bare run of digits ("6476"). Bounded repetitions keep the scan linear.
NUMBER = r"(?<![\d.,/])(?:\d{1,3}(?:\.\d{3}){1,5}(?:,\d{1,4})?|\d{1,12}(?:,\d{1,4})?)(?![\d]|[.,]\d)"
NUMBER_RE = regex.compile(NUMBER)
_DOT_DECIMAL = regex.compile(r"^\d{1,3}\.\d{1,2}$")


def parse_number(text: str) -> float:
    """Convert a number printed in Vietnamese notation."""
    t = text.strip()
    if "," in t:
        whole, _, frac = t.partition(",")
        return float(whole.replace(".", "") + "." + frac)
    if _DOT_DECIMAL.match(t):
        # "99.6" with a decimal point (English notation slipped in): one or two decimals.
        return float(t)
    return float(t.replace(".", ""))
