"""Money: Decimal end to end, half-up rounding (the commercial rule on invoices and reminders), and each
currency's ISO 4217 minor unit: 0 decimals for JPY, 3 for KWD, BHD, OMR, JOD, TND (and IQD, LYD), 2 otherwise."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
MILL = Decimal("0.001")
ZERO = Decimal("0.00")
# ISO 4217 currencies whose minor unit is not 2 decimals (tests/test_money.py checks them against Babel's CLDR)
MINOR_UNITS: dict[str, int] = {
    **dict.fromkeys(
        (
            "BIF",
            "CLP",
            "DJF",
            "GNF",
            "ISK",
            "JPY",
            "KMF",
            "KRW",
            "PYG",
            "RWF",
            "UGX",
            "UYI",
            "VND",
            "VUV",
            "XAF",
            "XOF",
            "XPF",
        ),
        0,
    ),  # fmt: skip
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
}
MAX_MINOR_UNITS = 3  # the ledger stores amounts as DECIMAL(18, 3) (migration 014)


def minor_units(currency: str) -> int:
    """How many decimals an amount in the currency has: 0 for JPY, 3 for KWD, 2 for EUR and the unknown."""
    return MINOR_UNITS.get(currency.strip().upper(), 2)


def round_money(d: Decimal) -> Decimal:
    """Round to the cent, half away from zero."""
    return d.quantize(CENT, rounding=ROUND_HALF_UP)


def round_to_minor_unit(d: Decimal, currency: str) -> Decimal:
    """Round to the currency's minor unit, half away from zero: 64982.589 USD -> 64982.59, 1.5 JPY -> 2."""
    return d.quantize(Decimal(1).scaleb(-minor_units(currency)), rounding=ROUND_HALF_UP)


def fmt_plain(d: Decimal) -> str:
    """'1234.56': the machine format of the command line's JSON; '1.235' for an amount stored with a third
    decimal (a three-decimal currency), which rounding to the cent would lose."""
    cents = round_money(d)
    exponent = d.as_tuple().exponent
    if cents != d and isinstance(exponent, int) and exponent >= -MAX_MINOR_UNITS:
        return str(d.quantize(MILL))
    return str(cents)
