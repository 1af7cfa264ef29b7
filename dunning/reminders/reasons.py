"""Every text the proposal writes for the user, in one place, so that it can be translated: why a customer gets no
reminder (skip reasons), why an overdue entry is not reminded (exclusions), and the notes on a draft.

Each text is a template with named fields. The SQL receives the templates as bound parameters ($text_<code>, see
sql_params) and fills them with DuckDB's format(), passing the fields in the order the Text names them, always
as text (dates as YYYY-MM-DD, amounts as DuckDB writes decimals). A translation changes the template and may
reorder or repeat its fields; the SQL stays as it is. A template is never built from user data: notes, codes
and names are fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SEPARATOR = "; "  # between the parts of a reason or a note, and between listed entries
ROLE_SEPARATOR = ", "  # between contact roles


@dataclass(frozen=True)
class Text:
    template: str  # with {field} for each of fields
    fields: tuple[str, ...] = ()  # the order in which the SQL passes the fields to format()

    def positional(self) -> str:
        """The template for DuckDB's format(): each {field} as {its position in fields}."""
        return self.template.format(**{name: f"{{{n}}}" for n, name in enumerate(self.fields)})

    def __call__(self, **values: Any) -> str:
        return self.template.format(**values)


TEXTS: dict[str, Text] = {
    # -- an overdue entry that is not reminded now (entries.sql), listed as "<document> <reason>" -----------
    "disputed": Text("disputed ({status})", ("status",)),
    "on_hold": Text("on hold ({code})", ("code",)),
    "entry_agreement": Text("covered by an agreement until {until}", ("until",)),
    "entry_pending": Text("on reminder {reminder} awaiting sending", ("reminder",)),
    "maximum": Text("reached the maximum of {maximum} reminders", ("maximum",)),
    "stopped": Text("all {levels} levels issued; the terms stop after the last level", ("levels",)),
    "excluded_entry": Text("{document} {reason}", ("document", "reason")),
    "and_more": Text("; and {n} more", ("n",)),  # after the first three listed entries
    # -- a customer and currency without a reminder (groups.sql), in the order they are checked ------------
    "blocked": Text("the customer is blocked for all transactions (Blocked: All); unblock it to remind it"),
    "terms_missing": Text(
        "reminder terms {terms} do not exist; create them or change the customer's terms", ("terms",)
    ),
    "no_levels": Text("reminder terms {terms} have no levels; add level 1", ("terms",)),
    "promised": Text("promised to pay by {date}; no reminder before then", ("date",)),
    "agreement": Text(
        "agreement of {agreed_on} valid until {valid_until}: {note}", ("agreed_on", "valid_until", "note")
    ),
    "awaiting": Text(
        "reminder {reminder} ({status}, dated {date}) awaits sending; no new reminder before it is sent or"
        " cancelled",
        ("reminder", "status", "date"),
    ),
    "reminded_recently": Text("last reminded on {date}, less than {days} days ago", ("date", "days")),
    "contacted_recently": Text(
        "contacted by hand: {contact}, less than {days} days ago", ("contact", "days")
    ),
    "contact": Text("{channel} on {date}", ("channel", "date")),
    "contact_with_note": Text("{channel} on {date} ({note})", ("channel", "date", "note")),
    "nothing_remindable": Text("nothing can be reminded: {entries}{more}", ("entries", "more")),
    "not_due_yet": Text("no entry is due for a reminder yet; the next is due on {date}", ("date",)),
    "credits_cover": Text(
        "open credits {credits} {currency} cover the overdue amount {overdue} of all remindable entries;"
        " nothing to remind",
        ("credits", "currency", "overdue"),
    ),
    "below_minimum": Text(
        "net overdue amount {net} {lcy} after credits is below the minimum of {minimum} {lcy}",
        ("net", "lcy", "minimum"),
    ),
    "no_recipient": Text("no contact with an email for roles {roles}; add a contact", ("roles",)),
    # -- notes on a draft (groups.sql, lines.sql) ----------------------------------------------------------
    "excluded_one": Text("{n} overdue entry not reminded: {entries}{more}", ("n", "entries", "more")),
    "excluded_many": Text("{n} overdue entries not reminded: {entries}{more}", ("n", "entries", "more")),
    "rate_missing": Text(
        "reference rate for {scheme} {start} missing; interest for those days not claimed - add it in Reminder"
        " terms",
        ("scheme", "start"),
    ),
    "rate_assumed": Text(
        "reference rate for {scheme} {start} missing; the rate of {valid_from} ({rate}%) was used - add it in"
        " Reminder terms",
        ("scheme", "start", "valid_from", "rate"),
    ),
    # -- the run (Python only) -------------------------------------------------------------------------------
    "empty_scope": Text("no customer matches the filter; nothing was proposed"),
    # -- netting and fees per currency (groups.sql) ----------------------------------------------------------
    "unapplied_payment": Text(  # a skip reason, checked after credits_cover
        "unapplied payment of {amount} {currency} to be applied; apply it to the invoices it pays, then create"
        " the reminder again",
        ("amount", "currency"),
    ),
    "credit_other_currency": Text(  # a note, one per other currency with open credits
        "open credit of {amount} {currency} not netted: other currency", ("amount", "currency")
    ),
    "no_fees": Text(  # a note: the level charges fees in other currencies (or a percentage) but not this one
        "no fees defined for level {level} in {currency}; none charged (add a fee row in {currency} on the"
        " Reminder terms page)",
        ("level", "currency"),
    ),
}


def sql_params() -> dict[str, str]:
    """$text_<code> for every text, and the separators, as the proposal's SQL reads them."""
    params = {f"text_{code}": text.positional() for code, text in TEXTS.items()}
    return {**params, "text_separator": SEPARATOR, "text_role_separator": ROLE_SEPARATOR}
