"""The customer page says when the statement lacks a company field, and links to the Company page.

The page runs inside app.py's navigation (as in the app), where st.page_link can reach the Company page.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from dunning.db import Database
from dunning.documents.company import load_company, set_bank_accounts, set_company
from dunning.documents.statement import statement_missing
from tests.conftest import AS_OF, ROOT

APP = str(ROOT / "app.py")


def customer_page(customer_no: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["customer"] = customer_no
    at.run()
    at.switch_page("pages/customer.py").run()
    at.date_input(key="customer_as_of").set_value(AS_OF).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="customer_select").value == customer_no
    return at


def a_customer_in(path: Path, currency: str) -> str:
    with Database(path) as db:
        return db.scalar(
            "select customer_no from ledger_entries where currency = $c and closed_at is null"
            " group by customer_no having count(distinct currency) = 1 order by customer_no limit 1",
            {"c": currency},
        )


def page_links(at: AppTest) -> list[str]:
    return [link.value for link in at.get("page_link")]


def test_no_warning_while_the_company_is_complete(app_db: Path) -> None:
    at = customer_page(a_customer_in(app_db, "GBP"))
    assert not at.warning
    assert "Complete the company" not in page_links(at)


def test_a_missing_field_and_account_are_named_with_a_link_to_the_company_page(app_db: Path) -> None:
    customer_no = a_customer_in(app_db, "GBP")
    with Database(app_db) as db:
        set_company(db, city="")
        set_bank_accounts(db, [(a.currency, a.iban, a.bic, a.bank_name) for a in load_company(db).bank_accounts
                               if a.currency != "GBP"])  # fmt: skip
        assert statement_missing(db, customer_no, AS_OF) == ("city", "bank account GBP")
    at = customer_page(customer_no)
    (warning,) = at.warning
    assert warning.value == (
        "The statement lacks the company's city and a bank account in GBP: complete them on the Company page."
    )
    assert "Complete the company" in page_links(at)
    with Database(app_db) as db:
        set_company(db, city="Rotterdam")
    at.run()
    assert "a bank account in GBP:" in at.warning[0].value and "city" not in at.warning[0].value


def test_a_customer_in_another_currency_is_not_warned_about_the_missing_account(app_db: Path) -> None:
    with Database(app_db) as db:
        set_bank_accounts(db, [(a.currency, a.iban, a.bic, a.bank_name) for a in load_company(db).bank_accounts
                               if a.currency != "GBP"])  # fmt: skip
    at = customer_page(a_customer_in(app_db, "EUR"))
    assert not at.warning
