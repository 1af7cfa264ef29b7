"""Characters in the cells of an import that are not what they look like.

- Digits of other scripts (Arabic-Indic ٥٠, fullwidth １０, Devanagari ५०: every Unicode decimal digit) pass
  regular expressions' \\d and then become NULL in pandas' number conversion. The number and date fields are
  converted to the ASCII digits they stand for, explicitly, before they are parsed; other characters that
  only look like digits (superscripts ², fractions ½) are not digits and stay a problem.
- Control characters (C0 such as NUL, form feed and escape, DEL, and C1) have no place in a name, a number
  or a description; imported, they break the XLSX export of any list that shows them and can steer a
  terminal. A text cell that holds one is refused, naming the row and column.
"""

from __future__ import annotations

import sys
import unicodedata
from functools import cache

import pandas as pd

CONTROL = r"[\x00-\x1f\x7f-\x9f]"


@cache
def _digit_table() -> dict[int, int]:
    """Every decimal digit outside ASCII -> its ASCII digit (about 700 characters, built once)."""
    table = {}
    for code in range(128, sys.maxunicode + 1):
        char = chr(code)
        if unicodedata.category(char) == "Nd":
            table[code] = ord("0") + unicodedata.decimal(char)
    return table


def ascii_digits(s: pd.Series) -> pd.Series:
    """The text with every decimal digit of another script written as the ASCII digit it is."""
    if s.empty or s.str.isascii().all():
        return s
    table = _digit_table()
    return s.map(lambda text: text.translate(table))


def has_control(s: pd.Series) -> pd.Series:
    """Mask of the cells that hold a control character."""
    return s.str.contains(CONTROL, regex=True)
