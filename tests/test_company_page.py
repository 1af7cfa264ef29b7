"""The Company page: details, logo and bank accounts saved through the core, refused with its message, and
what documents still lack named at the top."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from dunning.db import Database
from dunning.documents.company import Company, load_company, set_bank_accounts, set_company
from tests.conftest import ROOT

PAGE = str(ROOT / "pages" / "company.py")
EDITOR = "company_banks_editor"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


def start() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def stored(path: Path) -> Company:
    with Database(path) as db:
        return load_company(db)


def ok(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    return at


def edit_banks(at: AppTest, edited: dict, added: list | None = None, deleted: list | None = None) -> None:
    at.session_state[EDITOR] = {
        "edited_rows": edited,
        "added_rows": added or [],
        "deleted_rows": deleted or [],
    }
    ok(at.run())
    ok(at.button(key="company_banks_save").click().run())


def test_saved_details_are_stored_cleaned_and_shown_again(app_db: Path) -> None:
    at = start()
    assert at.text_input(key="company_city").value == stored(app_db).city
    at.text_input(key="company_city").set_value("Delft")
    at.text_input(key="company_country").set_value("nl")
    at.text_area(key="company_address").set_value("  Kade 1 \n\nUnit 4")
    ok(at.button(key="company_save").click().run())
    assert "Saved the company's address, city and country." in at.success[-1].value
    c = stored(app_db)
    assert (c.city, c.country, c.address_lines) == ("Delft", "NL", ("Kade 1", "Unit 4"))
    ok(at.run())  # a later run shows the stored values, cleaned by the core
    assert at.text_input(key="company_country").value == "NL"
    assert at.text_area(key="company_address").value == "Kade 1\nUnit 4"
    assert not at.error


def test_a_bad_field_shows_the_core_message_and_keeps_what_was_typed(app_db: Path) -> None:
    before = stored(app_db)
    at = start()
    at.text_input(key="company_reply_to").set_value("credit at northwind")
    at.text_input(key="company_city").set_value("Delft")
    ok(at.button(key="company_save").click().run())
    (error,) = at.error
    assert "'reply_to'" in error.value and "not an email address" in error.value
    assert stored(app_db) == before
    assert at.text_input(key="company_reply_to").value == "credit at northwind"
    assert at.text_input(key="company_city").value == "Delft"


def test_a_change_made_elsewhere_shows_on_the_next_run(app_db: Path) -> None:
    at = start()
    with Database(app_db) as db:
        set_company(db, controller_name="Piet de Vries")
    ok(at.run())
    assert at.text_input(key="company_controller_name").value == "Piet de Vries"


def test_bank_accounts_are_added_changed_and_removed(app_db: Path) -> None:
    at = start()
    shown = at.dataframe(key=EDITOR).value
    assert list(shown["currency"]) == ["CHF", "EUR", "GBP", "USD"]
    assert at.button(key="company_banks_save").disabled  # nothing changed yet
    edit_banks(
        at,
        {1: {"bic": "ABNANL2A", "iban": "nl91 abna 0417 1643 00"}},
        added=[{"currency": "sek", "iban": "SE45 5000 0000 0583 9825 7466", "bank_name": "SEB"}],
        deleted=[3],
    )
    assert "Saved 4 bank accounts." in at.success[-1].value
    accounts = {a.currency: a for a in stored(app_db).bank_accounts}
    assert sorted(accounts) == ["CHF", "EUR", "GBP", "SEK"]
    assert (accounts["EUR"].iban, accounts["EUR"].bic) == ("NL91ABNA0417164300", "ABNANL2A")
    assert (accounts["SEK"].iban, accounts["SEK"].bank_name) == ("SE4550000000058398257466", "SEB")
    assert list(at.dataframe(key=EDITOR).value["iban"])[1] == "NL91 ABNA 0417 1643 00"


def test_a_bad_iban_is_refused_with_its_currency_and_nothing_saved(app_db: Path) -> None:
    before = stored(app_db).bank_accounts
    at = start()
    edit_banks(at, {0: {"bank_name": "Renamed"}, 1: {"iban": "NL91ABNA0417164301"}})
    (error,) = at.error
    assert error.value.startswith(
        "bank accounts not changed: bank account for 'EUR': IBAN 'NL91ABNA0417164301'"
    )
    assert "check digits do not match" in error.value
    assert stored(app_db).bank_accounts == before
    assert at.session_state[EDITOR]["edited_rows"][1] == {"iban": "NL91ABNA0417164301"}  # to correct


def test_a_logo_is_uploaded_shown_and_removed(app_db: Path) -> None:
    at = start()
    assert at.image  # the sample company's SVG logo
    at.file_uploader[0].set_value(("logo.png", PNG, "image/png"))
    ok(at.run())
    assert "Saved logo.png as the logo." in at.success[-1].value
    c = stored(app_db)
    assert (c.logo, c.logo_media_type) == (PNG, "image/png")
    assert at.image[0].value[0].startswith("data:image/png;base64,")
    assert at.file_uploader[0].value is None  # an empty uploader for the next logo
    ok(at.button(key="company_logo_remove").click().run())
    assert "Removed the logo." in at.success[-1].value
    assert stored(app_db).logo is None and not at.image
    assert at.button(key="company_logo_remove").disabled


def test_a_file_that_is_not_the_image_it_says_is_refused(app_db: Path) -> None:
    before = stored(app_db).logo
    at = start()
    at.file_uploader[0].set_value(("logo.png", b"GIF89a not a png", "image/png"))
    ok(at.run())
    (error,) = at.error
    assert "'logo' is not a image/png image" in error.value
    assert stored(app_db).logo == before


def test_missing_fields_are_named_until_completed(app_db: Path) -> None:
    with Database(app_db) as db:
        set_company(db, city="", reply_to="")
        set_bank_accounts(db, [(a.currency, a.iban, a.bic, a.bank_name) for a in load_company(db).bank_accounts
                               if a.currency not in ("GBP", "USD")])  # fmt: skip
    at = start()
    (warning,) = at.warning
    assert "Documents still lack the company's city, reply-to email and a bank account in GBP and USD." in (
        warning.value
    )
    at.text_input(key="company_city").set_value("Rotterdam")
    at.text_input(key="company_reply_to").set_value("credit@northwind.example")
    ok(at.button(key="company_save").click().run())
    assert "a bank account in GBP and USD." in at.warning[0].value and "city" not in at.warning[0].value
    edit_banks(
        at,
        {},
        added=[
            {"currency": "GBP", "iban": "GB29NWBK60161331926819"},
            {"currency": "USD", "iban": "DE89370400440532013000"},
        ],
    )
    assert not at.warning
    assert "Documents in CHF, EUR, GBP, USD have everything they need." in at.success[0].value


def test_invoice_pdf_folder_is_saved_checked_and_shown(app_db: Path, tmp_path: Path) -> None:
    from dunning.documents.message import invoice_files

    at = start()
    at.text_input(key="company_invoice_folder").set_value(str(tmp_path / "missing"))
    at.radio(key="company_invoice_attach").set_value("overdue")
    ok(at.button(key="company_invoices_save").click().run())
    assert "does not exist" in at.error[-1].value
    with Database(app_db) as db:
        assert invoice_files(db).attach == "none"  # nothing saved
    at.text_input(key="company_invoice_folder").set_value(str(tmp_path))
    ok(at.button(key="company_invoices_save").click().run())
    assert "invoice PDFs of overdue lines" in at.success[-1].value
    with Database(app_db) as db:
        assert (invoice_files(db).folder, invoice_files(db).attach) == (tmp_path, "overdue")
