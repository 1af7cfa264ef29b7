"""Locale-aware formatting of money, numbers and dates for documents: the only module that imports Babel.

Customers read their statements and reminders in their own language (en, fr, nl, de); an unknown or empty
language falls back to English rather than failing a document run. A customer's language may be written as
an ERP exports it: ISO 639-1 ('fr'), with a country ('fr-BE', 'fr_BE'), ISO 639-2 ('fra', 'fre', 'deu') or
Business Central's (Windows') three-letter language codes ('FRA', 'FRB', 'DEU', 'DES', 'NLB', 'ENU').
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale, UnknownLocaleError, localedata
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

from dunning.money import minor_units

SUPPORTED_LANGUAGES = ("en", "fr", "nl", "de")
DEFAULT_LANGUAGE = "en"

# Business Central's "Language Code" (Windows' abbreviated language names) of the supported languages: the
# language and its country. Read before ISO 639-2, so ENG is British English as in Business Central.
WINDOWS_LANGUAGES = {
    "ENU": "en_US", "ENG": "en_GB", "ENA": "en_AU", "ENC": "en_CA", "ENZ": "en_NZ", "ENI": "en_IE",
    "FRA": "fr_FR", "FRB": "fr_BE", "FRC": "fr_CA", "FRS": "fr_CH", "FRL": "fr_LU",
    "DEU": "de_DE", "DES": "de_CH", "DEA": "de_AT", "DEL": "de_LU", "DEC": "de_LI",
    "NLD": "nl_NL", "NLB": "nl_BE",
}  # fmt: skip


def locale_for(language: str | None) -> str:
    """A Babel locale identifier for a customer's language ('fr', 'de_CH', 'fr_BE' for Business Central's
    FRB, 'de_DE' for ISO 639-2 deu ...); English when unknown."""
    text = (language or "").strip()
    if not text:
        return DEFAULT_LANGUAGE
    if text.upper() in WINDOWS_LANGUAGES:
        return WINDOWS_LANGUAGES[text.upper()]
    try:
        return str(Locale.parse(text.replace("-", "_")))
    except (UnknownLocaleError, ValueError, TypeError):
        return DEFAULT_LANGUAGE


def language_of(language: str | None) -> str:
    """The supported document language ('en', 'fr', 'nl', 'de') for a customer's language, else English."""
    base = locale_for(language).split("_")[0].lower()
    return base if base in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE


def _exact(amount: object, places: int = 2) -> Decimal:
    """AMOUNT as a Decimal rounded half away from zero to PLACES decimals (a currency's minor unit)."""
    if isinstance(amount, float):
        raise TypeError("money must not pass through float; pass a Decimal")
    if not isinstance(amount, Decimal):
        amount = Decimal(str(amount))
    return amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def money(amount: Decimal | int, currency: str, locale: str | None = DEFAULT_LANGUAGE) -> str:
    """'€1,234.56' (en), '1 234,56 €' (fr, narrow no-break space), '€ 1.234,56' (nl), '1.234,56 €' (de)."""
    return format_currency(_exact(amount, minor_units(currency)), currency, locale=locale_for(locale))


def number(amount: Decimal | int, locale: str | None = DEFAULT_LANGUAGE, places: int = 2) -> str:
    """A plain number with the locale's grouping and decimal signs: '1.234,56' (de)."""
    pattern = "#,##0" + ("." + "0" * places if places > 0 else "")
    return format_decimal(_exact(amount, places), format=pattern, locale=locale_for(locale))


def date(
    value: dt.date | dt.datetime | None, locale: str | None = DEFAULT_LANGUAGE, fmt: str = "medium"
) -> str:
    """'Nov 28, 2026' (en), '28 nov. 2026' (fr), '28 nov 2026' (nl), '28.11.2026' (de); '' for no date.

    fmt is a Babel format name (short, medium, long, full) or a CLDR pattern such as 'dd.MM.yyyy'.
    """
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    return format_date(value, format=fmt, locale=locale_for(locale))


def document_locale(language: str | None, country: str | None = None) -> str:
    """The locale of a customer's documents: language and country ('en_GB', 'de_CH') when Babel knows the
    pair, so that dates and amounts read as the customer expects; without a country, the one the language
    code names ('fr_BE' for FRB or fr-BE); else the supported language alone."""
    lang = language_of(language)
    if country:
        pair = f"{lang}_{country.strip().upper()}"
        if localedata.exists(pair):
            return pair
    own = locale_for(language)
    if not country and own.split("_")[0] == lang and localedata.exists(own):
        return own
    return lang


def country_name(code: str | None, locale: str | None = DEFAULT_LANGUAGE) -> str:
    """'Belgique' for BE in French; the code itself when Babel does not know it; '' for none."""
    if not code:
        return ""
    return str(Locale.parse(locale_for(locale)).territories.get(code.strip().upper(), code))


def percent(rate: Decimal, locale: str | None = DEFAULT_LANGUAGE) -> str:
    """An annual rate given in percent, as the locale writes it: '10.15%' (en), '10,15 %' (de, fr)."""
    if isinstance(rate, float):
        raise TypeError("rates must not pass through float; pass a Decimal")
    return format_percent(Decimal(rate) / 100, locale=locale_for(locale), decimal_quantization=False)
