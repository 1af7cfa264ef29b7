"""The company every document speaks for: validation per field, round trip, what a document lacks, the
migration of the old settings, and the sample's complete company."""

from __future__ import annotations

import pytest

from dunning.db import Database
from dunning.documents.company import (
    BankAccount,
    Company,
    document_currencies,
    load_company,
    missing_fields,
    set_bank_account,
    set_bank_accounts,
    set_company,
    set_logo,
)
from dunning.documents.payment import iban_problem
from dunning.errors import BadInput
from dunning.sample.company import SAMPLE_ACCOUNTS
from tests.ledger import add_customer, add_entry

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
COMPLETE = {
    "legal_name": "Kade Trading B.V.",
    "address": "Kade 1\nUnit 4",
    "post_code": "3011 AA",
    "city": "Rotterdam",
    "country": "nl",
    "vat_no": "nl123456789b01",
    "registration": "KvK 12345678",
    "phone": "+31 (10) 123-4567",
    "reply_to": "credit@kade.example",
    "controller_name": "Anna Jansen",
    "signature": "Anna Jansen\nCredit Control",
    "logo": PNG,
    "logo_media_type": "image/png",
}


def mod97(iban: str) -> int:
    return int("".join(str(int(ch, 36)) for ch in iban[4:] + iban[:4])) % 97


def test_company_round_trips_every_field(db):
    set_company(db, **COMPLETE)
    set_bank_account(db, "eur", "nl91 abna 0417 1643 00", "abnanl2a", "ABN AMRO Bank N.V.")
    c = load_company(db)
    assert (c.legal_name, c.address_lines, c.country, c.vat_no) == (
        "Kade Trading B.V.",
        ("Kade 1", "Unit 4"),
        "NL",
        "NL123456789B01",
    )
    assert (c.phone, c.reply_to, c.signature) == (
        "+31 (10) 123-4567",
        "credit@kade.example",
        COMPLETE["signature"],
    )
    assert (c.logo, c.logo_media_type) == (PNG, "image/png")
    assert c.bank_accounts == (BankAccount("EUR", "NL91ABNA0417164300", "ABNANL2A", "ABN AMRO Bank N.V."),)
    assert (
        c.bank_account("eur") is not None and c.bank_account("eur").iban_grouped == "NL91 ABNA 0417 1643 00"
    )


def test_set_company_changes_only_the_named_fields_and_raises_the_data_version(db):
    set_company(db, **COMPLETE)
    before = db.data_version()
    set_company(db, city="Delft")
    c = load_company(db)
    assert (c.city, c.legal_name, c.logo) == ("Delft", "Kade Trading B.V.", PNG)
    assert db.data_version() > before


def test_clearing_the_logo_clears_its_type(db):
    set_company(db, **COMPLETE)
    set_company(db, logo=None)
    assert (load_company(db).logo, load_company(db).logo_media_type) == (None, None)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("colour", "red", "unknown company field 'colour'"),
        ("legal_name", "  ", "cannot be empty"),
        ("legal_name", "Kade\nTrading", "must be one line"),
        ("city", "Rotter\rdam", "must be one line"),
        ("post_code", "3011\x00AA", "control character"),
        ("legal_name", "x" * 141, "at most 140"),
        ("country", "Netherlands", "two letters of ISO 3166"),
        ("reply_to", "credit at kade", "not an email address"),
        ("phone", "call me", "not a phone number"),
        ("address", "1\n2\n3\n4\n5", "at most 4"),
        ("address", "x" * 71, "longer than 70"),
        ("signature", "\n".join("abcdefg"), "at most 6"),
        ("logo_media_type", "image/gif", "not a logo format"),
        ("logo", b"x" * 1_000_001, "at most 1,000,000 bytes"),
    ],
)
def test_a_bad_field_names_itself_and_writes_nothing(db, field, value, message):
    set_company(db, city="Rotterdam")
    before = (load_company(db), db.data_version())
    with pytest.raises(BadInput) as raised:
        set_company(db, **{"phone": "+31 10 1234567", field: value})
    assert message in str(raised.value) and repr(field) in str(raised.value)
    assert (load_company(db), db.data_version()) == before


@pytest.mark.parametrize(
    ("logo", "media_type", "message"),
    [
        (PNG, None, "'logo_media_type' is missing"),
        (b"GIF89a....", "image/png", "not a image/png image"),
        (b"<html></html>", "image/svg+xml", "not an SVG image"),
    ],
)
def test_a_logo_must_be_the_image_it_says(db, logo, media_type, message):
    with pytest.raises(BadInput, match=message):
        set_company(db, logo=logo, logo_media_type=media_type)
    assert load_company(db).logo is None


def test_every_problem_is_reported_at_once(db):
    with pytest.raises(BadInput) as raised:
        set_company(db, country="Holland", reply_to="nobody", frobnicate="1")
    text = str(raised.value)
    assert "'country'" in text and "'reply_to'" in text and "'frobnicate'" in text


@pytest.mark.parametrize(
    ("currency", "iban", "bic", "message"),
    [
        ("EUR", "NL91ABNA0417164301", "", "check digits do not match"),
        ("EUR", "NL91ABNA041716430", "", "wrong length or characters for an IBAN of 'NL'"),
        ("EUR", "hello", "", "is not a country that issues IBANs"),
        ("EURO", "NL91ABNA0417164300", "", "not a currency code"),
        ("EUR", "NL91ABNA0417164300", "ABN", "expected 8 or 11 characters"),
    ],
)
def test_a_bad_bank_account_is_refused_and_nothing_written(db, currency, iban, bic, message):
    with pytest.raises(BadInput, match=message):
        set_bank_account(db, currency, iban, bic)
    assert load_company(db).bank_accounts == ()


def test_a_currency_has_one_account_the_last_one_set(db):
    set_bank_account(db, "GBP", "GB29NWBK60161331926819", "NWBKGB2L", "NatWest")
    set_bank_account(db, "GBP", "GB82 WEST 1234 5698 7654 32")
    assert [(a.currency, a.iban, a.bic) for a in load_company(db).bank_accounts] == [
        ("GBP", "GB82WEST12345698765432", "")
    ]


NATWEST = ("GBP", "GB29 NWBK 6016 1331 9268 19", "nwbkgb2l", "NatWest")


def test_set_bank_accounts_replaces_the_whole_table(db):
    set_bank_account(db, "EUR", "NL91ABNA0417164300")
    set_bank_account(db, "CHF", "CH9300762011623852957")
    saved = set_bank_accounts(db, [NATWEST, ("eur", "DE89370400440532013000", "", "")])
    assert saved == load_company(db).bank_accounts
    assert [(a.currency, a.iban, a.bic) for a in saved] == [
        ("EUR", "DE89370400440532013000", ""),
        ("GBP", "GB29NWBK60161331926819", "NWBKGB2L"),
    ]
    assert set_bank_accounts(db, []) == () and load_company(db).bank_accounts == ()


@pytest.mark.parametrize(
    ("rows", "messages"),
    [
        (
            [NATWEST, ("EUR", "NL91ABNA0417164301", "", "")],
            ["bank account for 'EUR': IBAN 'NL91ABNA0417164301': the check digits do not match"],
        ),
        (
            [("USD", "", "", ""), ("GBP", "GB29NWBK60161331926819", "NW", "")],
            ["bank account for 'USD': the IBAN is empty", "bank account for 'GBP': BIC 'NW'"],
        ),
        (
            [NATWEST, ("gbp", "GB82WEST12345698765432", "", "")],
            ["currency 'GBP' has 2 accounts; keep one account per currency"],
        ),
    ],
)
def test_set_bank_accounts_names_every_bad_row_and_writes_nothing(db, rows, messages):
    set_bank_account(db, "EUR", "NL91ABNA0417164300")
    before = (load_company(db), db.data_version())
    with pytest.raises(BadInput) as raised:
        set_bank_accounts(db, rows)
    text = str(raised.value)
    assert text.startswith("bank accounts not changed: ")
    assert all(m in text for m in messages), text
    assert (load_company(db), db.data_version()) == before


@pytest.mark.parametrize(
    ("name", "media_type"),
    [("logo.png", "image/png"), ("Logo.JPG", "image/jpeg"), ("a.b/logo.jpeg", "image/jpeg")],
)
def test_set_logo_takes_the_type_from_the_file_name(db, name, media_type):
    data = PNG if media_type == "image/png" else b"\xff\xd8\xff\xe0" + b"\x00" * 10
    set_logo(db, name, data)
    assert (load_company(db).logo, load_company(db).logo_media_type) == (data, media_type)


def test_set_logo_refuses_another_kind_of_file_by_its_name(db):
    with pytest.raises(BadInput, match=r"logo 'logo.gif' not changed: give an image file ending in \.png"):
        set_logo(db, "logo.gif", b"GIF89a")
    with pytest.raises(BadInput, match="not a image/png image"):
        set_logo(db, "logo.png", b"GIF89a")
    assert load_company(db).logo is None


def test_document_currencies_are_the_local_the_customers_and_the_open_entries(db, as_of):
    assert document_currencies(db) == ["EUR"]
    add_customer(db, "C1", currency="GBP")
    add_customer(db, "C2")  # the local currency
    assert document_currencies(db) == ["EUR", "GBP"]
    add_entry(db, "C2", due=as_of, currency="USD")
    add_entry(db, "C2", due=as_of, currency="CHF", closed_at=as_of)  # paid: no more documents
    assert document_currencies(db) == ["EUR", "GBP", "USD"]


def test_the_sample_uses_four_currencies(sample_db):
    assert document_currencies(sample_db) == ["CHF", "EUR", "GBP", "USD"]


@pytest.mark.parametrize(
    "iban",
    ["NL91ABNA0417164300", "GB29NWBK60161331926819", "DE89370400440532013000", "CH9300762011623852957"],
)
def test_published_example_ibans_pass_the_check(iban):
    assert iban_problem(iban) is None


def test_missing_fields_names_what_a_document_needs():
    assert missing_fields(Company(), "EUR") == (
        "legal_name",
        "address",
        "city",
        "country",
        "reply_to",
        "bank account EUR",
    )
    eur = BankAccount("EUR", "NL91ABNA0417164300", "", "")
    whole = Company(
        legal_name="K",
        address="Kade 1",
        city="Rotterdam",
        country="NL",
        reply_to="a@k.example",
        bank_accounts=(eur,),
    )
    assert missing_fields(whole, "eur") == ()
    assert missing_fields(whole, "CHF") == ("bank account CHF",)


def test_a_new_database_has_the_default_company_name(db):
    c = load_company(db)
    assert c.legal_name == "Northwind Logistics B.V." and c.bank_accounts == ()


OLD_COMPANY_SETTINGS = [  # the settings a database before migration 009 held the company in
    ("company_name", "Old Name GmbH"),
    ("company_address", "Hafenstraße 1\n20457 Hamburg"),
    ("company_email", "ar@old.example"),
    ("company_phone", "+49 40 123456"),
    ("company_vat_no", "DE123456789"),
    ("company_iban", "DE89 3704 0044 0532 0130 00"),
    ("company_bic", "COBADEFFXXX"),
    ("company_bank", "Commerzbank"),
]


def test_upgrade_moves_the_company_settings_into_the_company(tmp_path):
    path = tmp_path / "old.duckdb"
    with Database(path, migrate=False) as old:
        old.migrate(target=8)
        old.execute("insert into customers (customer_no, name) values ('C1', 'Kept Ltd')")
        for key, value in OLD_COMPANY_SETTINGS:
            old.execute("insert or replace into settings values ($k, $v)", {"k": key, "v": value})
    with Database(path) as new:
        c = load_company(new)
        assert (c.legal_name, c.address_lines, c.reply_to, c.phone, c.vat_no) == (
            "Old Name GmbH",
            ("Hafenstraße 1", "20457 Hamburg"),
            "ar@old.example",
            "+49 40 123456",
            "DE123456789",
        )
        assert c.bank_accounts == (
            BankAccount("EUR", "DE89370400440532013000", "COBADEFFXXX", "Commerzbank"),
        )
        assert new.rows("select name from customers") == [("Kept Ltd",)]
        moved = [key for key, _ in OLD_COMPANY_SETTINGS]
        assert new.scalar("select count(*) from settings where list_contains($k, key)", {"k": moved}) == 0
        assert new.setting("lcy_code") == "EUR"


def test_the_sample_company_is_complete_with_valid_ibans(sample_db):
    c = load_company(sample_db)
    for currency in ("EUR", "GBP", "USD", "CHF"):
        assert missing_fields(c, currency) == ()
        account = c.bank_account(currency)
        assert account is not None and iban_problem(account.iban) is None and mod97(account.iban) == 1
        assert account.bic and account.bank_name
    assert c.bank_account("CHF").iban.startswith("CH")
    assert c.vat_no and c.registration and c.phone and c.controller_name and c.signature
    assert c.logo is not None and c.logo_media_type == "image/svg+xml"
    assert len(SAMPLE_ACCOUNTS) == 4
