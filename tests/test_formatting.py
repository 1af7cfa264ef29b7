from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dunning.documents import formatting

NNBSP = "\u202f"  # narrow no-break space: French thousands separator
NBSP = "\xa0"  # no-break space between amount and symbol


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "€1,234.56"),
        ("fr", f"1{NNBSP}234,56{NBSP}€"),
        ("nl", f"€{NBSP}1.234,56"),
        ("de", f"1.234,56{NBSP}€"),
    ],
)
def test_money_per_locale(locale, expected):
    assert formatting.money(Decimal("1234.56"), "EUR", locale) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("0.005", "€0.01"), ("-0.005", "-€0.01"), ("2.675", "€2.68"), ("1000000", "€1,000,000.00")],
)
def test_money_rounds_half_up_to_the_cent(amount, expected):
    assert formatting.money(Decimal(amount), "EUR", "en") == expected


def test_money_refuses_float():
    with pytest.raises(TypeError, match="float"):
        formatting.money(1234.56, "EUR", "en")  # type: ignore[arg-type]


def test_money_in_other_currencies_and_negative():
    assert formatting.money(Decimal("-1234.5"), "GBP", "en") == "-£1,234.50"
    assert formatting.money(Decimal("1234.5"), "CHF", "de") == f"1.234,50{NBSP}CHF"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "Nov 8, 2026"),
        ("fr", "8 nov. 2026"),
        ("nl", "8 nov 2026"),
        ("de", "08.11.2026"),
        ("en_GB", "8 Nov 2026"),
    ],
)
def test_date_per_locale(locale, expected):
    assert formatting.date(dt.date(2026, 11, 8), locale) == expected


def test_date_of_none_is_blank_and_datetimes_print_their_day():
    assert formatting.date(None, "de") == ""
    assert formatting.date(dt.datetime(2026, 11, 8, 23, 59), "de", "long") == "8. November 2026"


def test_number_uses_the_locale_signs_without_symbol():
    assert formatting.number(Decimal("-1234.5"), "de") == "-1.234,50"
    assert formatting.number(Decimal("1234.5"), "fr") == f"1{NNBSP}234,50"
    assert formatting.number(Decimal("1234"), "en", places=0) == "1,234"


@pytest.mark.parametrize(
    ("language", "locale", "doc_language"),
    [("fr", "fr", "fr"), ("de-CH", "de_CH", "de"), ("", "en", "en"), (None, "en", "en"), ("xx", "en", "en"),
     ("es", "es", "en")],
)  # fmt: skip
def test_unknown_languages_fall_back_to_english(language, locale, doc_language):
    assert formatting.locale_for(language) == locale
    assert formatting.language_of(language) == doc_language


@pytest.mark.parametrize(
    ("language", "country", "expected"),
    [("en", "GB", "en_GB"), ("de", "CH", "de_CH"), ("nl", "be", "nl_BE"), ("de", "ZZ", "de"), ("fr", None, "fr"),
     ("es", "ES", "en_ES")],
)  # fmt: skip
def test_document_locale_pairs_language_and_country_when_babel_knows_it(language, country, expected):
    assert formatting.document_locale(language, country) == expected


def test_country_names_in_the_document_language():
    assert formatting.country_name("BE", "fr") == "Belgique"
    assert formatting.country_name("de", "nl") == "Duitsland"
    assert formatting.country_name("XX", "en") == "XX"
    assert formatting.country_name(None, "en") == ""


@pytest.mark.parametrize(
    ("language", "doc_language", "locale"),
    [
        # Business Central's "Language Code" (Windows' abbreviations): language and country
        ("FRA", "fr", "fr_FR"), ("FRB", "fr", "fr_BE"), ("FRC", "fr", "fr_CA"), ("FRS", "fr", "fr_CH"),
        ("DEU", "de", "de_DE"), ("DES", "de", "de_CH"), ("DEA", "de", "de_AT"),
        ("NLD", "nl", "nl_NL"), ("NLB", "nl", "nl_BE"),
        ("ENU", "en", "en_US"), ("ENG", "en", "en_GB"), ("frb", "fr", "fr_BE"), (" DEU ", "de", "de_DE"),
        # ISO 639-2, terminology and bibliographic
        ("fra", "fr", "fr_FR"), ("fre", "fr", "fr_FR"), ("deu", "de", "de_DE"), ("ger", "de", "de_DE"),
        ("nld", "nl", "nl_NL"), ("dut", "nl", "nl_NL"),
        # ISO 639-1 with a country, either separator, any case
        ("fr-BE", "fr", "fr_BE"), ("nl_be", "nl", "nl_BE"), ("FR", "fr", "fr"), ("fr_BE.UTF-8", "fr", "fr_BE"),
        # languages without documents of their own, and nonsense
        ("ESP", "en", "en"), ("spa", "en", "en"), ("XYZ", "en", "en"), ("French", "en", "en"),
    ],
)  # fmt: skip
def test_erp_language_codes(language, doc_language, locale):
    assert formatting.language_of(language) == doc_language
    assert formatting.document_locale(language) == locale


@pytest.mark.parametrize(
    ("language", "country", "expected"),
    [("FRB", None, "fr_BE"), ("FRB", "FR", "fr_FR"), ("DES", "ZZ", "de"), ("de-CH", None, "de_CH")],
)
def test_a_language_code_names_the_country_when_the_customer_has_none(language, country, expected):
    assert formatting.document_locale(language, country) == expected


@pytest.mark.parametrize(
    ("amount", "currency", "locale", "expected"),
    [
        ("1234.235", "KWD", "en", "KWD1,234.235"),  # three decimals kept, not rounded to the cent
        ("1234.2355", "BHD", "en", "BHD1,234.236"),  # half away from zero at the third
        ("1234.5", "JPY", "en", "¥1,235"),  # no decimals: half away from zero
        ("2.675", "EUR", "en", "€2.68"),  # the cent, half away from zero (not half to even)
    ],
)
def test_money_keeps_the_currency_s_minor_unit(amount, currency, locale, expected):
    assert formatting.money(Decimal(amount), currency, locale) == expected


def test_a_number_has_the_places_asked_for():
    assert (
        formatting.number(Decimal("1.2355"), "de", 3),
        formatting.number(Decimal("2.675"), "en"),
        formatting.number(Decimal("7"), "en", 0),
    ) == ("1,236", "2.68", "7")
