"""Reminder terms and their levels: load, validate, save.

Terms belong to customers (customers.reminder_terms_code), else the terms marked default. Each level says when
it applies (level 1: days past the due date; next levels: days since the previous reminder; plus grace days),
the fees, the interest method and who receives it. Migration 003 seeds the terms "DEFAULT".

Fees are per currency (reminder_level_fees, migration 007): a level's Fee in a currency holds the fixed fee,
the fee per line and the percentage fee's minimum and maximum in that currency; the percentage itself is the
level's. A currency without a Fee row is charged no fee at that level (the draft's note says so).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from dunning.access import Action, require
from dunning.db import Database
from dunning.errors import BadInput

INTEREST_METHODS = ("none", "contractual", "eu_statutory", "uk_statutory", "de_statutory")
AFTER_LAST = ("repeat", "stop")
TONES = ("friendly", "firm", "final")
CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class Fee:
    """A level's fees in one currency, all amounts in that currency."""

    currency: str
    fixed_fee: Decimal = Decimal("0.00")
    fee_per_line: Decimal = Decimal("0.00")  # once per document and level
    pct_fee_min: Decimal | None = None  # bounds of the level's percentage fee
    pct_fee_max: Decimal | None = None


@dataclass(frozen=True)
class Level:
    level_no: int
    due_days: int
    grace_days: int = 0
    payment_days: int = 7
    pct_fee: Decimal = Decimal("0")  # percent of the net overdue amount, bounded per currency (Fee)
    interest_method: str = "none"
    interest_rate: Decimal | None = None
    to_roles: tuple[str, ...] = ("accounts_payable",)
    cc_roles: tuple[str, ...] = ()
    fallback_roles: tuple[str, ...] = ("finance_manager",)
    template_code: str = "reminder"
    tone: str = "friendly"
    fees: tuple[Fee, ...] = ()  # one per currency the level charges fees in

    def fee(self, currency: str) -> Fee | None:
        return next((f for f in self.fees if f.currency == currency), None)

    def fixed_fee(self, currency: str) -> Decimal:
        found = self.fee(currency)
        return Decimal("0.00") if found is None else found.fixed_fee

    @property
    def charges_fees(self) -> bool:
        return bool(self.fees) or self.pct_fee > 0


@dataclass(frozen=True)
class Terms:
    code: str
    description: str
    is_default: bool = False
    max_reminders: int | None = None
    after_last_level: str = "repeat"
    min_amount_lcy: Decimal = Decimal("0.00")
    min_days_between: int = 7
    levels: tuple[Level, ...] = field(default_factory=tuple)


_LEVEL_COLS = (
    "level_no, due_days, grace_days, payment_days, pct_fee, "
    "interest_method, interest_rate, to_roles, cc_roles, fallback_roles, template_code, tone"
)
_FEE_COLS = "currency, fixed_fee, fee_per_line, pct_fee_min, pct_fee_max"


def terms_codes(db: Database) -> list[str]:
    return [r[0] for r in db.rows("select code from reminder_terms order by not is_default, code")]


def default_code(db: Database) -> str | None:
    return db.scalar("select code from reminder_terms where is_default order by code limit 1")


def load_terms(db: Database, code: str) -> Terms:
    row = db.one(
        "select code, description, is_default, max_reminders, after_last_level, min_amount_lcy, "
        "min_days_between from reminder_terms where code = $c",
        {"c": code},
    )
    if row is None:
        raise BadInput(f"reminder terms {code!r} do not exist; create them on the Reminder terms page")
    fees: dict[int, list[Fee]] = {}
    for lvl, *fee in db.rows(
        f"select level_no, {_FEE_COLS} from reminder_level_fees where terms_code = $c"  # noqa: S608
        " order by level_no, currency",
        {"c": code},
    ):
        fees.setdefault(lvl, []).append(Fee(*fee))
    names = [n.strip() for n in _LEVEL_COLS.split(",")]
    levels = []
    for r in db.rows(
        f"select {_LEVEL_COLS} from reminder_levels where terms_code = $c order by level_no",  # noqa: S608
        {"c": code},
    ):
        v = dict(zip(names, r, strict=True))
        for roles in ("to_roles", "cc_roles", "fallback_roles"):
            v[roles] = tuple(v[roles])
        levels.append(Level(**v, fees=tuple(fees.get(v["level_no"], ()))))
    keys = (
        "code",
        "description",
        "is_default",
        "max_reminders",
        "after_last_level",
        "min_amount_lcy",
        "min_days_between",
    )
    return Terms(**dict(zip(keys, row, strict=True)), levels=tuple(levels))


def validate(terms: Terms) -> list[str]:
    """Every problem with these terms, as messages that say what to change; empty when they are fine."""
    p: list[str] = []
    if not terms.code.strip():
        p.append("the terms need a code")
    if not terms.description.strip():
        p.append(f"terms {terms.code}: give them a description")
    if terms.max_reminders is not None and terms.max_reminders < 1:
        p.append(f"terms {terms.code}: maximum reminders must be at least 1, or empty for unlimited")
    if terms.after_last_level not in AFTER_LAST:
        p.append(f"terms {terms.code}: after the last level must be one of {', '.join(AFTER_LAST)}")
    if terms.min_amount_lcy < 0:
        p.append(f"terms {terms.code}: the minimum amount cannot be negative")
    if terms.min_days_between < 0:
        p.append(f"terms {terms.code}: the minimum days between reminders cannot be negative")
    if not terms.levels:
        p.append(f"terms {terms.code}: add at least level 1")
    numbers = [lv.level_no for lv in terms.levels]
    if numbers != list(range(1, len(numbers) + 1)):
        p.append(
            f"terms {terms.code}: levels must be numbered 1, 2, 3 ... without gaps or repeats (got {numbers})"
        )
    for lv in terms.levels:
        p.extend(f"terms {terms.code}, level {lv.level_no}: {m}" for m in _level_problems(lv))
    return p


def warnings(terms: Terms, currencies: Sequence[str] = ()) -> list[str]:
    """What these terms allow but probably do not mean, as messages naming the levels and the days; saving is
    still allowed (Business Central allows it too).

    A level gives the customer payment_days to pay; the next level applies its days + grace after that
    reminder. When that interval is no longer than the payment period, the next reminder (and its fee) comes
    on or before the deadline the previous one gave. After the last level, terms that repeat it are checked
    against the last level itself.

    currencies: those the customers are billed in; a level that charges fees but has no Fee row in one of them
    charges those customers nothing at that level.
    """
    levels = sorted(terms.levels, key=lambda lv: lv.level_no)
    pairs = list(zip(levels, levels[1:], strict=False))
    if levels and terms.after_last_level == "repeat":
        pairs.append((levels[-1], levels[-1]))
    found = []
    for lv, nxt in pairs:
        interval = nxt.due_days + nxt.grace_days
        if interval <= lv.payment_days:
            which = f"level {nxt.level_no} comes" if nxt is not lv else f"level {lv.level_no} is repeated"
            found.append(
                f"terms {terms.code}: {which} {interval} days ({nxt.due_days} + {nxt.grace_days} grace) after "
                f"level {lv.level_no}, which gives {lv.payment_days} days to pay: the next reminder would be "
                f"sent on or before that deadline; give level {nxt.level_no} at least {lv.payment_days + 1} days "
                f"(days + grace), or level {lv.level_no} fewer days to pay"
            )
    for lv in levels:
        missing = [c for c in currencies if lv.charges_fees and lv.fee(c) is None]
        if missing:
            found.append(
                f"terms {terms.code}: level {lv.level_no} charges no fee in {', '.join(missing)}: add a fee row "
                "for each currency it should charge in (a percentage fee alone needs a row too)"
            )
    return found


def _level_problems(lv: Level) -> list[str]:
    p = []
    if lv.due_days < 0 or lv.grace_days < 0 or lv.payment_days < 0:
        p.append("days cannot be negative")
    elif lv.level_no > 1 and lv.due_days + lv.grace_days < 1:
        p.append(
            "days after the previous level (plus grace) must be at least 1, so that levels follow each other"
        )
    amounts = [a for f in lv.fees for a in (f.fixed_fee, f.fee_per_line, f.pct_fee_min, f.pct_fee_max)]
    if lv.pct_fee < 0 or any(a is not None and a < 0 for a in amounts):
        p.append("fees cannot be negative")
    if lv.pct_fee > 100:
        p.append("the percentage fee is a percent: at most 100")
    for f in lv.fees:
        if not CURRENCY.match(f.currency):
            p.append(f"fee currency {f.currency!r} is not a currency code (three capital letters, e.g. EUR)")
        if f.pct_fee_min is not None and f.pct_fee_max is not None and f.pct_fee_min > f.pct_fee_max:
            p.append(f"the percentage fee minimum in {f.currency} is above its maximum")
    if lv.interest_method not in INTEREST_METHODS:
        p.append(f"interest method must be one of {', '.join(INTEREST_METHODS)}")
    if lv.interest_method == "contractual" and (lv.interest_rate is None or lv.interest_rate <= 0):
        p.append("contractual interest needs an annual rate above 0")
    if not lv.to_roles:
        p.append("name at least one 'to' role (e.g. accounts_payable)")
    if lv.tone not in TONES:
        p.append(f"tone must be one of {', '.join(TONES)}")
    if len({f.currency for f in lv.fees}) != len(lv.fees):
        p.append("one fee row per currency")
    return p


def save_terms(db: Database, terms: Terms) -> None:
    """Validate, then replace the terms with their levels and fees in one transaction."""
    require(db.actor, Action.SETTINGS)
    problems = validate(terms)
    if problems:
        raise BadInput("the reminder terms were not saved:\n" + "\n".join(f"  - {m}" for m in problems))
    with db.transaction(audit=(Action.SETTINGS, f"reminder terms {terms.code}")) as tx:
        if terms.is_default:
            tx.execute("update reminder_terms set is_default = false where code <> $c", {"c": terms.code})
        for table in ("reminder_level_fees", "reminder_levels"):
            tx.execute(f"delete from {table} where terms_code = $c", {"c": terms.code})  # noqa: S608
        tx.execute("delete from reminder_terms where code = $c", {"c": terms.code})
        tx.execute(
            "insert into reminder_terms values ($code, $d, $dflt, $mx, $after, $mina, $minb)",
            {
                "code": terms.code,
                "d": terms.description,
                "dflt": terms.is_default,
                "mx": terms.max_reminders,
                "after": terms.after_last_level,
                "mina": terms.min_amount_lcy,
                "minb": terms.min_days_between,
            },
        )
        for lv in terms.levels:
            tx.execute(
                f"insert into reminder_levels (terms_code, {_LEVEL_COLS}) values "  # noqa: S608
                "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                [
                    terms.code,
                    lv.level_no,
                    lv.due_days,
                    lv.grace_days,
                    lv.payment_days,
                    lv.pct_fee,
                    lv.interest_method,
                    lv.interest_rate,
                    list(lv.to_roles),
                    list(lv.cc_roles),
                    list(lv.fallback_roles),
                    lv.template_code,
                    lv.tone,
                ],
            )
            for f in lv.fees:
                tx.execute(
                    f"insert into reminder_level_fees (terms_code, level_no, {_FEE_COLS})"  # noqa: S608
                    " values ($1, $2, $3, $4, $5, $6, $7)",
                    [
                        terms.code,
                        lv.level_no,
                        f.currency,
                        f.fixed_fee,
                        f.fee_per_line,
                        f.pct_fee_min,
                        f.pct_fee_max,
                    ],
                )


def set_customer_terms(db: Database, customer_no: str, code: str | None) -> None:
    """Give the customer its own reminder terms, or the default terms again with None."""
    require(db.actor, Action.CUSTOMERS)
    if code is not None and not db.scalar("select count(*) from reminder_terms where code = $c", {"c": code}):
        raise BadInput(f"reminder terms {code!r} do not exist; pick terms listed on the Reminder terms page")
    with db.transaction(
        audit=(Action.CUSTOMERS, f"customer {customer_no}: reminder terms {code or 'default'}")
    ) as tx:
        found = tx.rows(
            "update customers set reminder_terms_code = $t where customer_no = $c returning customer_no",
            {"t": code, "c": customer_no},
        )
        if not found:
            raise BadInput(f"customer {customer_no!r} does not exist; check the customer number")
