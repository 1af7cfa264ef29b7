"""The sample's company: complete, so every sample document has its sender and a bank account to pay to.

The bank accounts are the banks' own documentation examples or numbers made up with a correct checksum (ISO
13616 mod 97): ABN AMRO (EUR) and ING (USD) in the Netherlands, NatWest (GBP) in the UK, UBS (CHF) in
Switzerland. Nobody is paid on them.
"""

from __future__ import annotations

from dunning.db import Database
from dunning.documents.company import set_bank_account, set_company

SAMPLE_COMPANY = {
    "legal_name": "Northwind Logistics B.V.",
    "address": "Wilhelminakade 91",
    "post_code": "3072 AP",
    "city": "Rotterdam",
    "country": "NL",
    "vat_no": "NL859123456B01",
    "registration": "KvK 24301234, Rotterdam",
    "phone": "+31 10 555 0142",
    "reply_to": "credit@northwind.example",
    "controller_name": "Sanne de Vries",
    "signature": "Sanne de Vries\nCredit Controller\nNorthwind Logistics B.V.",
    "logo": (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="180" height="40" viewBox="0 0 180 40">'
        b'<path d="M4 34 L20 6 L36 34 Z" fill="#1f4e79"/>'
        b'<text x="44" y="28" font-family="Source Sans 3, sans-serif" font-weight="bold" font-size="20" fill="#1f4e79">Northwind</text></svg>'
    ),
    "logo_media_type": "image/svg+xml",
}
# (currency, IBAN, BIC, bank)
SAMPLE_ACCOUNTS = (
    ("EUR", "NL91ABNA0417164300", "ABNANL2A", "ABN AMRO Bank N.V."),
    ("GBP", "GB29NWBK60161331926819", "NWBKGB2L", "National Westminster Bank plc"),
    ("USD", "NL20INGB0001234567", "INGBNL2A", "ING Bank N.V."),
    ("CHF", "CH4700230000123456789", "UBSWCHZH80A", "UBS Switzerland AG"),
)


def write_company(db: Database) -> None:
    """Give the database the sample's company and its bank accounts (replacing what it had)."""
    set_company(db, **SAMPLE_COMPANY)
    for currency, iban, bic, bank in SAMPLE_ACCOUNTS:
        set_bank_account(db, currency, iban, bic, bank)
