"""Reminder terms as the settings page edits them: one record per level, money and rates as text, roles as
comma-separated names, and a fixed-fee column per currency. Parsing collects every problem at once."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from dunning.db import Database
from dunning.money import round_money
from dunning.reminders.terms import Level, Terms, validate

ROLE = re.compile(r"^[a-z][a-z0-9_]*$")
INT_FIELDS = ("level_no", "due_days", "grace_days", "payment_days")


def fee_currencies(db: Database, terms: Terms) -> list[str]:
    """Currencies that get a fixed-fee column: the local one, the customers' and those with fees already."""
    found = {db.lcy(), *(c for lv in terms.levels for c, _ in lv.fees)}
    found |= {r[0] for r in db.rows("select distinct currency from customers where currency is not null")}
    return sorted(found)


def _text(d: Decimal | None) -> str:
    return "" if d is None else f"{d.normalize():f}"


def level_records(terms: Terms, currencies: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "level_no": lv.level_no, "due_days": lv.due_days, "grace_days": lv.grace_days,
            "payment_days": lv.payment_days, "tone": lv.tone, "interest_method": lv.interest_method,
            "interest_rate": _text(lv.interest_rate), "fee_per_line": _text(lv.fee_per_line),
            "pct_fee": _text(lv.pct_fee), "pct_fee_min": _text(lv.pct_fee_min), "pct_fee_max": _text(lv.pct_fee_max),
            **{f"fee_{c}": _text(dict(lv.fees).get(c)) for c in currencies},
            "to_roles": ", ".join(lv.to_roles), "cc_roles": ", ".join(lv.cc_roles),
            "fallback_roles": ", ".join(lv.fallback_roles), "template_code": lv.template_code,
        }
        for lv in terms.levels
    ]  # fmt: skip


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, float) and v != v) or str(v).strip() == ""


def _number(v: Any, what: str, where: str, problems: list[str], money: bool = False) -> Decimal | None:
    if _blank(v):
        return None
    try:
        d = Decimal(str(v).strip().replace(",", "."))
    except InvalidOperation:
        problems.append(f"{where}: {what} {v!r} is not a number")
        return None
    return round_money(d) if money else d


def _int(v: Any, what: str, where: str, problems: list[str]) -> int | None:
    d = _number(v, what, where, problems)
    if d is None:
        problems.append(f"{where}: {what} is empty; give a whole number of days")
        return None
    if d != d.to_integral_value():
        problems.append(f"{where}: {what} must be a whole number")
    return int(d)


def _roles(v: Any, what: str, where: str, problems: list[str]) -> tuple[str, ...]:
    roles = tuple(r.strip() for r in ("" if _blank(v) else str(v)).split(",") if r.strip())
    bad = [r for r in roles if not ROLE.match(r)]
    if bad:
        problems.append(
            f"{where}: {what} {', '.join(bad)} are not role names (lowercase words like accounts_payable)"
        )
    return roles


def from_records(
    header: dict[str, Any],
    records: list[dict[str, Any]],
    currencies: list[str],
    taken: frozenset[str] = frozenset(),
) -> tuple[Terms | None, list[str]]:
    """Terms from the page's fields and level records, or None and every problem found.

    taken: codes of other terms that exist already; saving new terms under one of them would overwrite them.
    """
    problems: list[str] = []
    code = str(header.get("code") or "").strip()
    if code in taken:
        problems.append(
            f"terms {code} exist already; choose another code, or select {code} above to change them"
        )
    levels = []
    for i, r in enumerate(records, start=1):
        where = f"row {i}"
        ints = {f: _int(r.get(f), f.replace("_", " "), where, problems) for f in INT_FIELDS}
        fees = []
        for c in currencies:
            fee = _number(r.get(f"fee_{c}"), f"fixed fee {c}", where, problems, money=True)
            if fee is not None:
                fees.append((c, fee))
        if any(v is None for v in ints.values()):
            continue
        levels.append(Level(
            **ints,  # type: ignore[arg-type]
            fee_per_line=_number(r.get("fee_per_line"), "fee per line", where, problems, True) or Decimal("0.00"),
            pct_fee=_number(r.get("pct_fee"), "percentage fee", where, problems) or Decimal("0"),
            pct_fee_min=_number(r.get("pct_fee_min"), "percentage fee minimum", where, problems, True),
            pct_fee_max=_number(r.get("pct_fee_max"), "percentage fee maximum", where, problems, True),
            interest_method=str(r.get("interest_method") or "none"),
            interest_rate=_number(r.get("interest_rate"), "interest rate", where, problems),
            to_roles=_roles(r.get("to_roles"), "to roles", where, problems),
            cc_roles=_roles(r.get("cc_roles"), "cc roles", where, problems),
            fallback_roles=_roles(r.get("fallback_roles"), "fallback roles", where, problems),
            template_code=str(r.get("template_code") or "reminder").strip(),
            tone=str(r.get("tone") or "friendly"),
            fees=tuple(fees),
        ))  # fmt: skip
    min_amount = _number(header.get("min_amount_lcy"), "minimum amount", "terms", problems, money=True)
    terms = Terms(
        code=str(header["code"]).strip(), description=str(header.get("description") or ""),
        is_default=bool(header.get("is_default")), max_reminders=header.get("max_reminders") or None,
        after_last_level=str(header.get("after_last_level") or "repeat"),
        min_amount_lcy=min_amount or Decimal("0.00"), min_days_between=int(header.get("min_days_between") or 0),
        levels=tuple(sorted(levels, key=lambda lv: lv.level_no)),
    )  # fmt: skip
    problems += validate(terms)
    return (None, problems) if problems else (terms, [])
