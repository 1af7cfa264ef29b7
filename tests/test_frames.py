"""The pages' tables (dunning/ui/frames.py): columns in the config's order, values unchanged, Decimal kept."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from dunning.aging.buckets import BucketDef
from dunning.ledger import customer
from dunning.ledger.contacts import Agreement, ContactNote
from dunning.ledger.customer import Contact
from dunning.reminders.rates import Rate
from dunning.ui import frames
from tests.conftest import AS_OF
from tests.ledger import add_customer, add_entry
from tests.test_customer import add_reminder, days_ago

DAY = dt.timedelta(days=1)


def test_open_items_keep_decimals_and_blank_the_days_of_a_credit(db):
    add_customer(db)
    add_entry(db, due=days_ago(3), amount="10.10", document_type="finance_charge")
    add_entry(db, due=days_ago(9), amount="-4.00", document_type="credit_memo")
    frame = frames.items_frame(customer.open_items(db, "C1", AS_OF))
    assert list(frame.columns) == list(frames.ITEM_COLUMNS)
    charge = frame[frame["document_type"] == "finance charge"].iloc[0]
    assert charge["open_amount"] == Decimal("10.10") and charge["days_overdue"] == 3
    credit = frame[frame["document_type"] == "credit memo"].iloc[0]
    assert credit["open_amount"] == Decimal("-4.00") and pd.isna(credit["days_overdue"])


def test_balances_per_currency_keep_decimals(db):
    add_customer(db)
    add_entry(db, due=days_ago(10), amount="100.00")
    add_entry(db, due=days_ago(-10), amount="50.00", currency="GBP", lcy_rate=Decimal("1.2"))
    frame = frames.balances_frame(customer.balances(customer.open_items(db, "C1", AS_OF)))
    assert list(frame.columns) == ["currency", "items", *frames.BALANCE_COLUMNS]
    gbp = frame.set_index("currency").loc["GBP"]
    assert (gbp["open_amount"], gbp["overdue_amount"], gbp["open_amount_lcy"]) == (
        Decimal("50.00"), Decimal("0.00"), Decimal("60.00"),
    )  # fmt: skip


def test_contacts_read_their_role():
    frame = frames.contacts_frame([Contact("Ann", "ann@x.example", "accounts_payable", "+31 1", True)])
    assert list(frame.columns) == list(frames.CONTACT_COLUMNS)
    assert frame.iloc[0]["role"] == "accounts payable" and bool(frame.iloc[0]["active"])


def test_reminder_table_hides_numbers_and_totals_when_only_ledger_marks(db):
    add_customer(db)
    a = add_entry(
        db, due=days_ago(40), document_no="SI-A", last_reminder_level=1, last_reminder_date=days_ago(9)
    )
    ledger_only = frames.reminders_frame(customer.reminders_sent(db, "C1", AS_OF))
    assert list(ledger_only.columns) == ["sent_on", "level_no", "currency", "source", "documents"]
    add_reminder(db, status="sent", level=2, sent=days_ago(2), lines=[(a, "SI-A")], no="R-9")
    both = frames.reminders_frame(customer.reminders_sent(db, "C1", AS_OF))
    assert list(both.columns) == list(frames.REMINDER_COLUMNS)
    assert list(both["reminder_no"]) == ["R-9", ""] and list(both["source"]) == ["dunning", "ledger (ERP)"]


def test_contact_log_lists_date_channel_and_note():
    notes = [ContactNote(2, AS_OF, "meeting", "agreed to pay Friday", "me"),
             ContactNote(1, AS_OF - 10 * DAY, "letter", "sent copies", "")]  # fmt: skip
    frame = frames.contact_log_frame(notes)
    assert list(frame.columns) == list(frames.CONTACT_LOG_COLUMNS) == ["contacted_on", "channel", "note"]
    assert list(frame["note"]) == ["agreed to pay Friday", "sent copies"]


def test_agreements_say_whether_active_and_what_they_cover():
    items = [
        Agreement(3, AS_OF + 5 * DAY, AS_OF + 9 * DAY, "from next week", "", "app"),
        Agreement(2, AS_OF - 2 * DAY, AS_OF + 30 * DAY, "pay INV-7 in parts", "INV-7", "app"),
        Agreement(1, AS_OF - 40 * DAY, AS_OF - DAY, "old plan", "", "app"),
    ]
    frame = frames.agreements_frame(items, AS_OF)
    assert list(frame.columns) == list(frames.AGREEMENT_COLUMNS)
    assert list(frame["active"]) == [False, True, False]
    assert list(frame["covers"]) == ["all items", "INV-7", "all items"]


def test_export_names_the_columns_for_a_spreadsheet_reader():
    listed = pd.DataFrame({"customer_no": ["C1"], "name": ["Alpha"], "amount_lcy": [Decimal("12.30")]})
    out = frames.export_frame(listed, "EUR")
    assert list(out.columns) == ["Customer no.", "Customer name", "Amount EUR"]
    assert out.iloc[0]["Amount EUR"] == Decimal("12.30")


def test_the_list_orders_name_configured_columns():
    cols = frames.list_columns("EUR")
    assert set(frames.LIST_ORDER) <= set(cols) and cols["amount_lcy"]["label"] == "Amount (EUR)"
    assert set(frames.INVOICE_ORDER) <= set(cols)
    # an invoice's hold and dispute are the ledger's codes (text); tick boxes only where the value is a boolean
    assert not [k for k in frames.INVOICE_ORDER if cols[k]["type_config"]["type"] == "checkbox"]


# The main area at 1440 px with the sidebar open: 980 px, less the row selector's column.
MAIN_WIDTH_1440 = 940


def test_the_list_shows_contacts_without_scrolling_at_1440_px():
    cols = frames.list_columns("EUR")
    shown = frames.LIST_ORDER[: frames.LIST_ORDER.index("contacts")]
    widths = [cols[k]["width"] for k in shown]
    assert all(isinstance(w, int) for w in widths)
    assert sum(widths) + 200 <= MAIN_WIDTH_1440  # 200 px of contacts: a name, its role and phone
    assert (
        cols["on_hold"]["type_config"]["type"] == "checkbox"
        and cols["disputed"]["type_config"]["type"] == "checkbox"
    )


def test_bucket_editor_shows_open_ends_empty_and_the_alert_amount_as_text():
    defs = [
        BucketDef(0, "Within terms", None, 0, "ok"),
        BucketDef(1, "Overdue", 1, None, "alert", Decimal("1000")),
    ]
    frame = frames.buckets_frame(defs)
    assert list(frame.columns) == ["label", "min_days", "max_days", "severity", "alert_amount_lcy"]
    assert str(frame["min_days"].dtype) == str(frame["max_days"].dtype) == "Int64"
    assert pd.isna(frame["min_days"].iloc[0]) and pd.isna(frame["max_days"].iloc[1])
    assert list(frame["alert_amount_lcy"]) == ["", "1000.00"]


def test_rates_are_shown_as_text():
    frame = frames.rates_frame([Rate("uk", dt.date(2025, 1, 1), Decimal("4.7500"))])
    assert list(frame.columns) == ["scheme", "valid_from", "rate"]
    assert frame.iloc[0]["rate"] == "4.75"


def test_open_items_fit_the_customer_page_at_1440_px_up_to_the_reminder(db):
    widths = [c["width"] for k, c in frames.ITEM_COLUMNS.items() if k != "external_document_no"]
    assert all(isinstance(w, int) for w in widths) and sum(widths) <= MAIN_WIDTH_1440 + 40  # no row selector
    assert list(frames.items_frame([]).columns) == list(
        frames.ITEM_COLUMNS
    )  # the frame has the config's order


def test_a_customers_invoices_fit_up_to_the_promise_at_1440_px():
    cols = frames.list_columns("EUR")
    shown = frames.INVOICE_ORDER[: frames.INVOICE_ORDER.index("promised_pay_date") + 1]
    assert sum(cols[k]["width"] for k in shown) <= MAIN_WIDTH_1440 + 40  # no row selector in this table
