"""Money helpers: ISO 4217 minor units (checked against Babel's CLDR data), rounding half away from zero."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import get_currency_precision

from dunning.money import MINOR_UNITS, fmt_plain, minor_units, round_to_minor_unit


@pytest.mark.parametrize(
    "currency",
    sorted({*MINOR_UNITS, "EUR", "USD", "GBP", "CHF", "SEK", "KWD", "BHD", "OMR", "JOD", "TND", "JPY"}),
)
def test_minor_units_agree_with_babel(currency: str) -> None:
    if currency == "IQD":  # ISO 4217 gives the Iraqi dinar 3 decimals, CLDR the 0 it is used with in cash
        assert minor_units(currency) == 3
        return
    assert minor_units(currency) == get_currency_precision(currency)


@pytest.mark.parametrize(
    ("currency", "expected"), [("JPY", 0), ("KWD", 3), ("BHD", 3), ("OMR", 3), ("JOD", 3), ("TND", 3), ("EUR", 2),
                               ("usd", 2), ("XXZ", 2)],
)  # fmt: skip
def test_minor_units_of_the_issue(currency: str, expected: int) -> None:
    assert minor_units(currency) == expected


@pytest.mark.parametrize(
    ("value", "currency", "expected"),
    [("64982.589", "USD", "64982.59"), ("0.005", "EUR", "0.01"), ("-0.005", "EUR", "-0.01"),
     ("2.5", "JPY", "3"), ("-2.5", "JPY", "-3"), ("1.2345", "KWD", "1.235"), ("1.234", "KWD", "1.234")],
)  # fmt: skip
def test_rounding_is_half_away_from_zero(value: str, currency: str, expected: str) -> None:
    assert str(round_to_minor_unit(Decimal(value), currency)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1100.000", "1100.00"), ("1.235", "1.235"), ("-0.500", "-0.50"), ("12.3456", "12.35"), ("7", "7.00")],
)
def test_plain_format_keeps_a_third_decimal_it_has(value: str, expected: str) -> None:
    assert fmt_plain(Decimal(value)) == expected
