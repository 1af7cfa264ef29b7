"""The pages' tables: display-only frames and their column configs, side by side.

A frame here only shapes what the core returns for st.dataframe or st.data_editor (which columns, in which
order, blanks and labels); every value comes from dunning/ unchanged, and money stays Decimal. A column config
lists its table's columns in the order the frame has them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from dunning.aging.buckets import BucketDef
from dunning.ledger.contacts import Agreement, ContactNote
from dunning.ledger.customer import Contact, CurrencyBalance, OpenItem, SentReminder
from dunning.reminders.rates import Rate, rate_text

cc = st.column_config


# -- overview: the drill-down lists and their download ------------------------------------------------------
def list_columns(lcy: str) -> dict[str, Any]:
    """Columns of the overview's customer list and of a customer's invoices under it (one config for both).
    Widths in pixels: at 1440 px the list's columns up to the contacts fit the page without scrolling."""
    return {
        "customer_no": cc.TextColumn("Customer", width=72),
        "name": cc.TextColumn("Name", width=160),
        "contacts": cc.TextColumn("Contacts", width=250, help="Active contacts: name (role) phone email"),
        "country": cc.TextColumn("Ctry", width=45),
        "currencies": cc.TextColumn("Cur.", width=60),
        "invoices": cc.NumberColumn("Inv.", format="%d", width=44, help="Open invoices"),
        "amount_lcy": cc.NumberColumn(f"Amount ({lcy})", format="accounting", width=100),
        "oldest_days_overdue": cc.NumberColumn("Oldest", format="%d", width=56,
                                               help="Days the oldest invoice is past due"),
        "last_reminder_level": cc.NumberColumn("Level", format="%d", width=46, help="Level of the last reminder"),
        "last_reminder_date": cc.DateColumn("Reminded", format="YYYY-MM-DD", width=84,
                                            help="Date of the last reminder (sent here or marked in the ledger)"),
        "on_hold": cc.CheckboxColumn("Hold", width=44, help="An invoice is on hold"),
        "disputed": cc.CheckboxColumn("Disp.", width=44, help="An invoice is disputed"),
        "promised_pay_date": cc.DateColumn("Promised", format="YYYY-MM-DD", width=84),
        "open_amount": cc.NumberColumn("Open amount", format="accounting", width=100),
        "open_amount_lcy": cc.NumberColumn(f"Open ({lcy})", format="accounting", width=100),
        "days_overdue": cc.NumberColumn("Days late", format="%d", width=62, help="Days past the due date"),
        "document_no": cc.TextColumn("Document", width=84),
        "document_type": cc.TextColumn("Type", width=70),
        "external_document_no": cc.TextColumn("Their ref.", width=80),
        "currency": cc.TextColumn("Cur.", width=50),
        "due_date": cc.DateColumn("Due", format="YYYY-MM-DD", width=84),
        "posting_date": cc.DateColumn("Posted", format="YYYY-MM-DD", width=84),
        "dispute_status": cc.TextColumn("Dispute", width=76),
        "hold_code": cc.TextColumn("Hold", width=60, help="The hold code of the ledger"),
    }  # fmt: skip


LIST_ORDER = (
    "customer_no", "name", "invoices", "amount_lcy", "oldest_days_overdue", "last_reminder_level",
    "last_reminder_date", "on_hold", "disputed", "promised_pay_date", "contacts", "currencies", "country",
)  # fmt: skip
INVOICE_ORDER = (
    "document_no", "document_type", "external_document_no", "currency", "open_amount", "open_amount_lcy",
    "due_date", "days_overdue", "last_reminder_level", "last_reminder_date", "hold_code", "dispute_status",
    "promised_pay_date", "posting_date",
)  # fmt: skip
EXPORT_HEADERS = {
    "customer_no": "Customer no.", "name": "Customer name", "contacts": "Contacts", "country": "Country",
    "currencies": "Currencies", "invoices": "Invoices", "amount_lcy": "Amount {lcy}",
    "oldest_days_overdue": "Oldest days overdue", "last_reminder_level": "Last reminder level",
    "last_reminder_date": "Last reminder date", "on_hold": "On hold", "disputed": "Disputed",
    "promised_pay_date": "Promised pay date",
}  # fmt: skip


def export_frame(customers: pd.DataFrame, lcy: str) -> pd.DataFrame:
    """The drill-down list with the headers a spreadsheet user reads (same rows, same values)."""
    names = {k: v.format(lcy=lcy) for k, v in EXPORT_HEADERS.items()}
    return customers.rename(columns=names)


# -- customer page --------------------------------------------------------------------------------------------
ITEM_COLUMNS = {  # widths in pixels: up to Reminded they fit the page at 1440 px; their reference after
    "document_no": cc.TextColumn("Document", width=84),
    "document_type": cc.TextColumn("Type", width=76),
    "document_date": cc.DateColumn("Date", format="YYYY-MM-DD", width=82),
    "due_date": cc.DateColumn("Due", format="YYYY-MM-DD", width=82),
    "days_overdue": cc.NumberColumn("Days late", format="%d", width=62, help="Days past the due date"),
    "currency": cc.TextColumn("Cur.", width=44),
    "amount": cc.NumberColumn("Original", format="accounting", width=92),
    "open_amount": cc.NumberColumn("Open", format="accounting", width=92),
    "on_hold": cc.TextColumn("Hold", width=52, help="The hold code of the ledger"),
    "dispute_status": cc.TextColumn("Dispute", width=76),
    "promised_pay_date": cc.DateColumn("Promised", format="YYYY-MM-DD", width=82),
    "last_reminder_level": cc.NumberColumn("Level", format="%d", width=48, help="Level of the last reminder"),
    "last_reminder_date": cc.DateColumn("Reminded", format="YYYY-MM-DD", width=82),
    "external_document_no": cc.TextColumn("Their ref.", width=80),
}


def items_frame(items: Sequence[OpenItem]) -> pd.DataFrame:
    """Open items as a table; amounts stay Decimal, days overdue blank for credits."""
    return pd.DataFrame(
        [
            {
                "document_date": i.document_date,
                "document_no": i.document_no,
                "document_type": i.document_type.replace("_", " "),
                "external_document_no": i.external_document_no,
                "due_date": i.due_date,
                "days_overdue": i.days_late,
                "currency": i.currency,
                "amount": i.amount,
                "open_amount": i.open_amount,
                "on_hold": i.on_hold,
                "dispute_status": i.dispute_status,
                "promised_pay_date": i.promised_pay_date,
                "last_reminder_level": i.last_reminder_level or None,
                "last_reminder_date": i.last_reminder_date,
            }
            for i in items
        ],
        columns=list(ITEM_COLUMNS),
    ).astype({"days_overdue": "Int64", "last_reminder_level": "Int64"})


BALANCE_COLUMNS = {
    k: cc.NumberColumn(k.replace("_", " ").capitalize(), format="accounting")
    for k in ("open_amount", "overdue_amount", "open_amount_lcy", "overdue_amount_lcy")
}


def balances_frame(rows: Sequence[CurrencyBalance]) -> pd.DataFrame:
    """Open and overdue amounts per currency (shown when a customer's open items mix currencies)."""
    return pd.DataFrame(
        [
            {
                "currency": b.currency,
                "items": b.items,
                "open_amount": b.open_amount,
                "overdue_amount": b.overdue_amount,
                "open_amount_lcy": b.open_amount_lcy,
                "overdue_amount_lcy": b.overdue_amount_lcy,
            }  # fmt: skip
            for b in rows
        ],
        columns=["currency", "items", *BALANCE_COLUMNS],
    )


CONTACT_COLUMNS = {k: cc.TextColumn(k.capitalize()) for k in ("role", "name", "email", "phone")} | {
    "active": cc.CheckboxColumn("Active", width="small")
}


def contacts_frame(people: Sequence[Contact]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "role": p.role.replace("_", " "),
                "name": p.name,
                "email": p.email,
                "phone": p.phone,
                "active": p.active,
            }  # fmt: skip
            for p in people
        ],
        columns=list(CONTACT_COLUMNS),
    )


REMINDER_COLUMNS = {  # date, level and total first: they fit the customer page's narrow column at 1440 px
    "sent_on": cc.DateColumn("Sent on", format="YYYY-MM-DD", width=84),
    "level_no": cc.NumberColumn("Level", format="%d", width=48),
    "total": cc.NumberColumn("Total", format="accounting", width=90),
    "currency": cc.TextColumn("Cur.", width=44),
    "reminder_no": cc.TextColumn("Reminder", width=96),
    "source": cc.TextColumn(
        "Source", help="dunning: sent from this app; ledger: marked on the imported entries"
    ),
    "documents": cc.TextColumn("Documents", width="large"),
}


def reminders_frame(reminders: Sequence[SentReminder]) -> pd.DataFrame:
    """Reminders sent; without one sent from this app (ledger marks only) no number or total column."""
    frame = pd.DataFrame(
        [
            {
                "sent_on": r.sent_on,
                "level_no": r.level_no,
                "source": "dunning" if r.source == "app" else "ledger (ERP)",
                "reminder_no": r.reminder_no,
                "currency": r.currency,
                "total": r.total,
                "documents": ", ".join(r.documents),
            }
            for r in reminders
        ],
        columns=list(REMINDER_COLUMNS),
    )
    if not any(r.source == "app" for r in reminders):  # ledger marks only: no numbers, no totals
        frame = frame.drop(columns=["reminder_no", "total"])
    return frame


CONTACT_LOG_COLUMNS = {
    "contacted_on": cc.DateColumn("Date", format="YYYY-MM-DD", width="small"),
    "channel": cc.TextColumn("Channel", width="small"),
    "note": cc.TextColumn("Note", width="large"),
}


def contact_log_frame(notes: Sequence[ContactNote]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"contacted_on": n.contacted_on, "channel": n.channel, "note": n.note} for n in notes],
        columns=list(CONTACT_LOG_COLUMNS),
    )


AGREEMENT_COLUMNS = {
    "active": cc.CheckboxColumn("Active", width="small"),
    "agreed_on": cc.DateColumn("Agreed on", format="YYYY-MM-DD", width="small"),
    "valid_until": cc.DateColumn("Valid until", format="YYYY-MM-DD", width="small"),
    "note": cc.TextColumn("Note", width="medium"),
    "covers": cc.TextColumn("Covers"),
}


def agreements_frame(items: Sequence[Agreement], as_of: dt.date) -> pd.DataFrame:
    """Agreements with whether each holds reminders back on as_of and what it covers."""
    return pd.DataFrame(
        [
            {
                "active": a.active(as_of),
                "agreed_on": a.agreed_on,
                "valid_until": a.valid_until,
                "note": a.note,
                "covers": a.documents or "all items",
            }
            for a in items
        ],
        columns=list(AGREEMENT_COLUMNS),
    )


# -- settings pages: what the table editors start from -------------------------------------------------------
SEVERITY_LABELS = {  # buckets.SEVERITIES as the settings page shows them
    "ok": "OK (green)", "info": "Info (amber)", "warn": "Warning (amber)", "alert": "Alert (red)",
    "critical": "Critical (red)",
}  # fmt: skip
SCHEME_LABELS = {  # rates.SCHEMES as the reference-rates table shows them
    "eu": "EU: ECB main refinancing rate", "de": "Germany: Basiszinssatz", "uk": "UK: Bank of England base rate",
}  # fmt: skip


def buckets_frame(buckets: Sequence[BucketDef]) -> pd.DataFrame:
    """For the bucket editor: days as nullable integers (empty: open), the alert amount as text."""
    return pd.DataFrame(
        {
            "label": [b.label for b in buckets],
            "min_days": pd.array([b.min_days for b in buckets], dtype="Int64"),
            "max_days": pd.array([b.max_days for b in buckets], dtype="Int64"),
            "severity": [b.severity for b in buckets],
            "alert_amount_lcy": [
                "" if b.alert_amount_lcy is None else f"{b.alert_amount_lcy:.2f}" for b in buckets
            ],
        }
    )


def rates_frame(rates: Sequence[Rate]) -> pd.DataFrame:
    """For the reference-rates editor: the rate as text, so that it never passes through float."""
    return pd.DataFrame(
        [{"scheme": r.scheme, "valid_from": r.valid_from, "rate": rate_text(r.rate)} for r in rates],
        columns=["scheme", "valid_from", "rate"],
    )
