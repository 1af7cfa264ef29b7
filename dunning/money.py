"""Money: Decimal end to end, two places, half-up rounding (the commercial rule on invoices and reminders)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def round_money(d: Decimal) -> Decimal:
    """Round to the cent, half away from zero."""
    return d.quantize(CENT, rounding=ROUND_HALF_UP)


def fmt_plain(d: Decimal) -> str:
    """'1234.56': the machine format of the command line's JSON."""
    return str(round_money(d))
