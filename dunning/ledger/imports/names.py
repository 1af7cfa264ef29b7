"""Ledger fields recognised from a file's column names, in the languages of common ERP exports.

A name is compared without case, accents, spaces and punctuation ('Due Date', 'DueDate', 'due_date' and
'DUE-DATE' are one name; 'Échéance' is 'echeance'), so one entry covers every way an export writes it. Each
column feeds one field at most: the fields are matched in the order below, the first name listed that the
file has wins, and a column already taken is not offered to a later field (so 'Amount (LCY)' goes to
amount_lcy, not to amount).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# field -> names, in order of preference; written as an export writes them, compared as key() makes them
NAMES: dict[str, tuple[str, ...]] = {
    "amount_lcy": (
        "Original Amt. (LCY)", "Amount (LCY)", "Amount LCY", "Amount in local currency", "Betrag (MW)",
        "Betrag (LCY)", "Ursprungsbetrag (MW)", "Montant DS", "Montant (DS)", "Bedrag (LV)",
    ),
    "remaining_amount_lcy": (
        "Remaining Amt. (LCY)", "Remaining Amount (LCY)", "Restbetrag (MW)", "Montant ouvert DS",
        "Openstaand bedrag (LV)",
    ),
    "remaining_amount": (
        "Remaining Amount", "Remaining", "Open Amount", "Outstanding", "Outstanding Amount", "Balance Due",
        "Amount Due", "Restbetrag", "Offener Betrag", "Montant ouvert", "Solde", "Reste dû",
        "Openstaand bedrag", "Saldo",
    ),
    "amount": (
        "Original Amount", "Amount", "Invoice Amount", "Invoice Total", "Total", "Gross Amount",
        "Betrag", "Ursprungsbetrag", "Rechnungsbetrag", "Montant", "Montant initial", "Montant TTC",
        "Bedrag", "Factuurbedrag", "Oorspronkelijk bedrag", "Importe",
    ),
    "entry_no": ("Entry No.", "Entry Number", "Lfd. Nr.", "N° séquence", "Volgnummer", "Volgnr."),
    "document_type": ("Document Type", "Type", "Belegart", "Type document", "Documentsoort"),
    "document_no": (
        "Document No.", "Document Number", "Invoice No.", "Invoice Number", "Invoice", "InvoiceNo",
        "Invoice ID", "Belegnr.", "Belegnummer", "Rechnungsnummer", "Rechnungsnr.", "N° document",
        "N° facture", "Numéro de facture", "Documentnr.", "Factuurnummer", "Factuurnr.",
    ),
    "customer_no": (
        "Customer No.", "Customer Number", "Customer ID", "Customer", "Cust. No.", "Account", "Debtor",
        "Debitorennr.", "Debitor", "Kundennr.", "Kundennummer", "N° client", "Client", "Numéro client",
        "Klantnr.", "Klantnummer", "Debiteurnr.", "Debiteur",
    ),
    "customer_name": (
        "Customer Name", "Name", "Debitorenname", "Kundenname", "Nom du client", "Nom", "Klantnaam", "Naam",
    ),
    "customer_language": ("Language Code", "Customer Language Code", "Language", "Sprachcode", "Sprache",
                          "Code langue", "Langue", "Taalcode", "Taal"),  # fmt: skip
    "description": ("Description", "Beschreibung", "Libellé", "Omschrijving", "Text", "Memo"),
    "currency": ("Currency Code", "Currency", "Währungscode", "Währung", "Code devise", "Devise",
                 "Valutacode", "Valuta"),  # fmt: skip
    "posting_date": (
        "Posting Date", "Invoice Date", "Buchungsdatum", "Rechnungsdatum", "Date comptabilisation",
        "Date de facture", "Date facture", "Boekingsdatum", "Factuurdatum", "Date",
    ),
    "document_date": ("Document Date", "Belegdatum", "Date document", "Documentdatum"),
    "due_date": (
        "Due Date", "Due", "Payment Due", "Date Due", "Fälligkeitsdatum", "Fällig am", "Fälligkeit",
        "Échéance", "Date d'échéance", "Date échéance", "Vervaldatum",
    ),
    "closed_at": (
        "Closed at Date", "Closed Date", "Closed On", "Settled Date", "Paid Date", "Payment Date", "Date Paid",
        "Ausgeglichen am", "Date de lettrage", "Date de paiement", "Vereffend op", "Betaaldatum",
    ),
    "on_hold": ("On Hold", "Hold", "Gesperrt", "En attente", "Geblokkeerd"),
    "dispute_status": ("Dispute Status", "Disputed", "Dispute", "In Dispute", "Strittig", "Litige", "Betwist"),
    "promised_pay_date": ("Promised Pay Date", "Promised Date", "Zahlungszusage", "Date promise"),
    "external_document_no": (
        "External Document No.", "External Document Number", "Your Reference", "PO Number", "Externe Belegnr.",
        "N° doc. externe", "Extern documentnr.",
    ),
    "open": ("Open", "Offen?", "Is Open", "Ouvert", "Openstaand?"),
    "last_reminder_level": ("Last Issued Reminder Level", "Reminder Level", "Mahnstufe", "Niveau de relance",
                            "Aanmaningsniveau"),  # fmt: skip
    "last_reminder_date": ("Last Reminder Date", "Letzte Mahnung", "Date dernière relance"),
}  # fmt: skip
# the email address of a customer on the rows of a ledger export (not a ledger field: it makes a contact)
EMAIL_NAMES: tuple[str, ...] = (
    "Customer E-Mail",
    "Customer Email",
    "E-Mail",
    "Email",
    "Email Address",
    "E-Mail Address",
    "Mail",
    "Courriel",
    "Adresse e-mail",
    "E-mailadres",
)


def key(name: str) -> str:
    """'Fälligkeits-Datum ' -> 'falligkeitsdatum': no case, accents, spaces or punctuation."""
    plain = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^0-9a-z]", "", plain.casefold())


def match_columns(header: Sequence[str], fields: Sequence[str]) -> dict[str, str]:
    """field -> the file's column recognised for it (by NAMES, or the field's own name); each column once."""
    by_key: dict[str, str] = {}
    for column in header:
        by_key.setdefault(key(column), column)
    taken: set[str] = set()
    found: dict[str, str] = {}
    for name in [*NAMES, *(f for f in fields if f not in NAMES)]:
        if name not in fields:
            continue
        for candidate in (name, *NAMES.get(name, ())):
            hit = by_key.get(key(candidate))
            if hit is not None and hit not in taken:
                found[name] = hit
                taken.add(hit)
                break
    return {f: found[f] for f in fields if f in found}


def email_column(header: Sequence[str]) -> str | None:
    """The column holding the customer's email address, when the header has one."""
    keys = {key(c): c for c in reversed(header)}
    return next((keys[key(n)] for n in EMAIL_NAMES if key(n) in keys), None)
