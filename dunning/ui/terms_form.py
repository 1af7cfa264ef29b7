"""Reminder terms as the settings page edits them: one record per level (rates as text, roles as comma-separated
labels such as "Accounts payable") and one fee record per level and currency (fixed fee, fee per line,
percentage fee minimum and maximum, money as text), and the two tables' columns. Parsing collects every problem
at once; a role may be written as its label or its code."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import streamlit as st

from dunning.db import Database
from dunning.ledger.people import role_code, role_label
from dunning.money import round_money
from dunning.reminders.terms import INTEREST_METHODS, TONES, Fee, Level, Terms, validate

INTEREST_LABELS = {  # terms.INTEREST_METHODS as the page shows them
    "none": "No interest",
    "contractual": "Contractual rate",
    "eu_statutory": "EU statutory interest (2011/7/EU)",
    "uk_statutory": "UK statutory interest (Late Payment Act 1998)",
    "de_statutory": "German statutory interest (§ 288 BGB)",
}
AFTER_LAST_LABELS = {"repeat": "Repeat the last level", "stop": "Stop: no more reminders"}
INT_FIELDS = ("level_no", "due_days", "grace_days", "payment_days")
FEE_FIELDS = {  # record field: what the problems call it
    "fixed_fee": "fixed fee",
    "fee_per_line": "fee per line",
    "pct_fee_min": "percentage fee minimum",
    "pct_fee_max": "percentage fee maximum",
}


def fee_currencies(db: Database, terms: Terms) -> list[str]:
    """Currencies a level that charges fees should have a fee row in: the local one, the customers' and those
    the terms charge fees in already (terms.warnings names the missing ones)."""
    found = {db.lcy(), *(f.currency for lv in terms.levels for f in lv.fees)}
    found |= {r[0] for r in db.rows("select distinct currency from customers where currency is not null")}
    return sorted(found)


def _text(d: Decimal | None) -> str:
    return "" if d is None else f"{d.normalize():f}"


def _labels(roles: tuple[str, ...]) -> str:
    return ", ".join(map(role_label, roles))


def level_columns() -> dict[str, Any]:
    """The levels table: when, how much and to whom first, in widths that fit 1440 px; tone and template after."""
    cc = st.column_config
    return {
        "level_no": cc.NumberColumn("Level", step=1, format="%d", required=True, width=62),
        "due_days": cc.NumberColumn("Days", step=1, format="%d", required=True, width=62,
                                    help="Level 1: days past the due date; next levels: days since the previous"),
        "grace_days": cc.NumberColumn("Grace", step=1, format="%d", width=66),
        "payment_days": cc.NumberColumn("Pay within", step=1, format="%d", width=92, help="New deadline, days"),
        "interest_method": cc.SelectboxColumn("Interest", options=list(INTEREST_METHODS), required=True, width=200,
                                              format_func=lambda m: INTEREST_LABELS[str(m)]),
        "interest_rate": cc.TextColumn("Rate %", width=72, help="Annual rate for contractual interest"),
        "pct_fee": cc.TextColumn("Fee %", width=66, help="Percent of the net overdue amount; bounded per currency below"),
        "to_roles": cc.TextColumn("To", width=110, help="Roles, comma-separated, e.g. Accounts payable"),
        "cc_roles": cc.TextColumn("Cc", width=110, help="Roles, comma-separated"),
        "fallback_roles": cc.TextColumn("Fallback", width=100, help="Roles used when no contact has a 'To' role"),
        "tone": cc.SelectboxColumn("Tone", options=list(TONES), required=True, format_func=lambda t: str(t).capitalize()),
        "template_code": cc.TextColumn("Template"),
    }  # fmt: skip


def fee_columns() -> dict[str, Any]:
    cc = st.column_config
    return {
        "level_no": cc.NumberColumn("Level", step=1, format="%d", required=True),
        "currency": cc.TextColumn("Currency", required=True, help="e.g. EUR; one row per level and currency"),
        "fixed_fee": cc.TextColumn("Fixed fee"),
        "fee_per_line": cc.TextColumn("Fee per line"),
        "pct_fee_min": cc.TextColumn("Fee % min"),
        "pct_fee_max": cc.TextColumn("Fee % max"),
    }


def level_records(terms: Terms) -> list[dict[str, Any]]:
    """One record per level, its fields in the order of level_columns (the table shows them so)."""
    return [
        {
            "level_no": lv.level_no, "due_days": lv.due_days, "grace_days": lv.grace_days,
            "payment_days": lv.payment_days, "interest_method": lv.interest_method,
            "interest_rate": _text(lv.interest_rate), "pct_fee": _text(lv.pct_fee),
            "to_roles": _labels(lv.to_roles), "cc_roles": _labels(lv.cc_roles),
            "fallback_roles": _labels(lv.fallback_roles), "tone": lv.tone, "template_code": lv.template_code,
        }
        for lv in terms.levels
    ]  # fmt: skip


def fee_records(terms: Terms) -> list[dict[str, Any]]:
    """One record per level and currency the level charges fees in, by level then currency."""
    return [
        {"level_no": lv.level_no, "currency": f.currency, **{k: _text(getattr(f, k)) for k in FEE_FIELDS}}
        for lv in terms.levels
        for f in sorted(lv.fees, key=lambda f: f.currency)
    ]


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
    """Roles written as labels ("Accounts payable") or codes (accounts_payable), comma-separated."""
    given = [r.strip() for r in ("" if _blank(v) else str(v)).split(",") if r.strip()]
    bad = [r for r in given if role_code(r) is None]
    if bad:
        problems.append(
            f"{where}: {what} {', '.join(bad)} are not role names (words like Accounts payable, Finance manager)"
        )
    return tuple(code for r in given if (code := role_code(r)) is not None)


def _fees(records: list[dict[str, Any]], problems: list[str]) -> dict[int, list[Fee]]:
    """Fee records by level number; a blank fixed fee or fee per line is 0, a blank minimum or maximum none."""
    fees: dict[int, list[Fee]] = {}
    for i, r in enumerate(records, start=1):
        where = f"fee row {i}"
        level = _int(r.get("level_no"), "level", where, problems)
        currency = "" if _blank(r.get("currency")) else str(r["currency"]).strip().upper()
        if not currency:
            problems.append(f"{where}: give the currency the fees are charged in (e.g. EUR)")
        amounts = {k: _number(r.get(k), what, where, problems, money=True) for k, what in FEE_FIELDS.items()}
        if level is None or not currency:
            continue
        zero = Decimal("0.00")
        fees.setdefault(level, []).append(
            Fee(
                currency,
                fixed_fee=amounts["fixed_fee"] or zero,
                fee_per_line=amounts["fee_per_line"] or zero,
                pct_fee_min=amounts["pct_fee_min"],
                pct_fee_max=amounts["pct_fee_max"],
            )
        )
    return fees


def from_records(
    header: dict[str, Any],
    records: list[dict[str, Any]],
    fee_rows: list[dict[str, Any]],
    taken: frozenset[str] = frozenset(),
) -> tuple[Terms | None, list[str]]:
    """Terms from the page's fields, level records and fee records, or None and every problem found.

    taken: codes of other terms that exist already; saving new terms under one of them would overwrite them.
    """
    problems: list[str] = []
    code = str(header.get("code") or "").strip()
    if code in taken:
        problems.append(
            f"terms {code} exist already; choose another code, or select {code} above to change them"
        )
    fees = _fees(fee_rows, problems)
    levels = []
    for i, r in enumerate(records, start=1):
        where = f"row {i}"
        ints = {f: _int(r.get(f), f.replace("_", " "), where, problems) for f in INT_FIELDS}
        if any(v is None for v in ints.values()):
            continue
        levels.append(Level(
            **ints,  # type: ignore[arg-type]
            pct_fee=_number(r.get("pct_fee"), "percentage fee", where, problems) or Decimal("0"),
            interest_method=str(r.get("interest_method") or "none"),
            interest_rate=_number(r.get("interest_rate"), "interest rate", where, problems),
            to_roles=_roles(r.get("to_roles"), "to roles", where, problems),
            cc_roles=_roles(r.get("cc_roles"), "cc roles", where, problems),
            fallback_roles=_roles(r.get("fallback_roles"), "fallback roles", where, problems),
            template_code=str(r.get("template_code") or "reminder").strip(),
            tone=str(r.get("tone") or "friendly"),
            fees=tuple(sorted(fees.get(ints["level_no"], ()), key=lambda f: f.currency)),  # type: ignore[arg-type]
        ))  # fmt: skip
    numbers = {lv.level_no for lv in levels}
    problems += [f"fees of level {n}: there is no level {n}; add it or delete its fee rows"
                 for n in sorted(set(fees) - numbers)]  # fmt: skip
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
