"""Money: Decimal end to end, two places, half-up rounding (the commercial rule on invoices and reminders)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_money(value: object) -> Decimal:
    """Exact conversion to a two-place Decimal; floats are refused (they are not exact)."""
    if isinstance(value, float):
        raise TypeError("money must not pass through float; pass a str, int or Decimal")
    try:
        d = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {value!r}") from exc
    return round_money(d)


def round_money(d: Decimal) -> Decimal:
    """Round to the cent, half away from zero."""
    return d.quantize(CENT, rounding=ROUND_HALF_UP)


def fmt_plain(d: Decimal) -> str:
    """'1234.56': the machine format of the command line's JSON."""
    return str(round_money(d))
