from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dunning.documents import statement
from dunning.documents.company import set_bank_account, set_company
from dunning.documents.words import STRINGS
from dunning.ledger import customer
from tests.ledger import add_customer, add_entry

AS_OF = dt.date(2026, 11, 28)


def days_ago(n: int) -> dt.date:
    return AS_OF - dt.timedelta(days=n)


def test_every_language_has_every_string():
    keys = set(STRINGS["en"])
    assert set(STRINGS) == {"en", "fr", "nl", "de"}
    for lang, text in STRINGS.items():
        assert set(text) == keys, f"{lang}: missing {keys - set(text)}, extra {set(text) - keys}"
        assert all(v.strip() for v in text.values()), lang


def test_aging_columns_reconcile_to_the_section_total(db):
    add_customer(db)
    add_entry(db, due=days_ago(-3), amount="10.00")  # not yet due
    add_entry(db, due=days_ago(0), amount="20.00")  # due today: not yet overdue
    add_entry(db, due=days_ago(1), amount="40.00")
    add_entry(db, due=days_ago(30), amount="80.00")
    add_entry(db, due=days_ago(31), amount="160.00")
    add_entry(db, due=days_ago(90), amount="320.00")
    add_entry(db, due=days_ago(91), amount="640.00", remaining="600.00")
    add_entry(db, due=days_ago(50), amount="-5.00", document_type="credit_memo")
    view = customer.customer_view(db, "C1", AS_OF)
    (s,) = statement.statement_context(db, view)["sections"]
    cells = {c.key: c.amount for c in s.aging}
    assert cells == {
        "not_due": Decimal("30.00"), "d1_30": Decimal("120.00"), "d31_60": Decimal("160.00"),
        "d61_90": Decimal("320.00"), "d90": Decimal("600.00"), "credits": Decimal("-5.00"),
    }  # fmt: skip
    assert sum(cells.values()) == s.total == Decimal("1225.00")
    assert s.overdue == Decimal("1200.00")


def test_no_credits_column_without_credits(db):
    add_customer(db)
    add_entry(db, due=days_ago(5), amount="10.00")
    (s,) = statement.statement_context(db, customer.customer_view(db, "C1", AS_OF))["sections"]
    assert [c.key for c in s.aging] == ["not_due", "d1_30", "d31_60", "d61_90", "d90"]


def test_one_section_per_currency(db):
    add_customer(db)
    add_entry(db, due=days_ago(5), amount="10.00", currency="USD")
    add_entry(db, due=days_ago(5), amount="20.00")
    ctx = statement.statement_context(db, customer.customer_view(db, "C1", AS_OF))
    assert [(s.currency, s.total) for s in ctx["sections"]] == [
        ("EUR", Decimal("20.00")),
        ("USD", Decimal("10.00")),
    ]
    html = statement.statement_html(db, "C1", AS_OF)
    assert "Currency: EUR" in html and "Currency: USD" in html


@pytest.mark.parametrize(
    ("language", "country", "title", "amount", "day"),
    [
        ("en", "GB", "Statement of account", "£1,234.56", "28 Nov 2026"),
        ("fr", "FR", "Relevé de compte", "1\u202f234,56\xa0£", "28 nov. 2026"),
        ("nl", "NL", "Rekeningoverzicht", "£\xa01.234,56", "28 nov 2026"),
        ("de", "DE", "Kontoauszug", "1.234,56\xa0£", "28.11.2026"),
    ],
)
def test_statement_speaks_the_customer_language(db, language, country, title, amount, day):
    add_customer(db, name="Kunde & <Söhne>", language=language, country=country, currency="GBP")
    add_entry(db, due=days_ago(12), amount="1234.56", currency="GBP", document_no="SI-777")
    html = statement.statement_html(db, "C1", AS_OF)
    assert title in html and "SI-777" in html and amount in html and day in html
    assert STRINGS[language]["col_days_overdue"] in html and STRINGS[language]["payment_title"] in html
    assert "Kunde &amp; &lt;Söhne&gt;" in html and "<Söhne>" not in html  # autoescaped


def test_company_details_from_the_company(db):
    add_customer(db)
    add_entry(db, due=days_ago(5), amount="10.00")
    set_company(
        db, address="Kade 1", post_code="3011 AA", city="Rotterdam", reply_to="credit@northwind.example"
    )
    set_bank_account(db, "EUR", "NL91ABNA0417164300", "ABNANL2A", "ABN AMRO Bank N.V.")
    html = statement.statement_html(db, "C1", AS_OF)
    assert "Northwind Logistics B.V." in html and "3011 AA Rotterdam" in html
    assert "NL91 ABNA 0417 1643 00" in html and "credit@northwind.example" in html and "ABNANL2A" in html
    assert STRINGS["en"]["no_bank"] not in html


def test_statement_without_open_items(db):
    add_customer(db)
    html = statement.statement_html(db, "C1", AS_OF)
    assert STRINGS["en"]["no_items"] in html


def test_file_name():
    assert statement.file_name("C010003", AS_OF) == "statement-C010003-2026-11-28.pdf"


def test_a_statement_reads_the_database_in_one_unit_of_work(sample_db, monkeypatch):
    """A download prepares the statement outside the page's run: its reads must share one connection (one
    state of the data, one wait at most), and the file must be free while the PDF is rendered."""
    customer_no = sample_db.scalar("select min(customer_no) from customers")
    opened = []
    connect = type(sample_db)._connect

    def counting(self):
        opened.append(self.path)
        return connect(self)

    monkeypatch.setattr(type(sample_db), "_connect", counting)
    html = statement.statement_html(sample_db, customer_no, dt.date(2026, 11, 28))
    assert customer_no in html
    assert opened == [sample_db.path]
