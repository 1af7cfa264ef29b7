"""Business Central exports as "Open in Excel" writes them: every column of the list page, in the page's order,
with the English captions (personalised columns where a user adds them), written as XLSX or as the CSV that
Excel saves from it (semicolon, day.month.year, decimal comma).

- Customers (page 22): the list's columns; the user added Address, City, VAT Registration No. and E-Mail
  after Name.
- Contacts (page 5052): the list's columns; companies and their people, sorted by company.
- Business Relation Contacts (page 5062, opened from Business Relations, relation CUST): the company contacts
  linked to customers.
- Customer Ledger Entries (page 25): the columns the ledger preset reads.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import openpyxl

CUSTOMER_COLUMNS = (
    "No.", "Name", "Address", "City", "VAT Registration No.", "E-Mail", "Responsibility Center", "Location Code",
    "Post Code", "Country/Region Code", "Phone No.", "IC Partner Code", "Contact", "Salesperson Code",
    "Customer Posting Group", "Gen. Bus. Posting Group", "VAT Bus. Posting Group", "Customer Price Group",
    "Customer Disc. Group", "Payment Terms Code", "Reminder Terms Code", "Fin. Charge Terms Code", "Currency Code",
    "Language Code", "Search Name", "Credit Limit (LCY)", "Blocked", "Privacy Blocked", "Last Date Modified",
    "Application Method", "Combine Shipments", "Reserve", "Ship-to Code", "Shipping Advice", "Shipping Agent Code",
    "Base Calendar Code", "Balance (LCY)", "Balance Due (LCY)", "Sales (LCY)", "Payments (LCY)",
)  # fmt: skip
CONTACT_COLUMNS = (
    "No.", "Name", "Company Name", "Business Relation", "Post Code", "Country/Region Code", "Phone No.",
    "Mobile Phone No.", "E-Mail", "Fax No.", "Salesperson Code", "Territory Code", "Currency Code", "Language Code",
    "Search Name", "Privacy Blocked", "Minor", "Parental Consent Received",
)  # fmt: skip
RELATION_COLUMNS = ("Contact No.", "Contact Name", "Link to Table", "No.")
LEDGER_COLUMNS = (
    "Posting Date", "Document Type", "Document No.", "Customer No.", "Customer Name", "Description", "Currency Code",
    "Original Amount", "Amount", "Remaining Amount", "Due Date", "Open", "Entry No.",
)  # fmt: skip

CUSTOMERS = (  # No., Name, Address, City, VAT, E-Mail, Post Code, Country, Contact, Terms, Currency, Language
    ("10000", "Adatum Corporation", "Station Road, 21", "Cambridge", "GB789456278", "", "CB1 2FB", "GB",
     "Robert Townes", "DOMESTIC", "", "ENU"),
    ("20000", "Trey Research", "Rue Royale 12", "Bruxelles", "BE0123456749", "ap@trey.example.com", "1000", "BE",
     "", "", "EUR", "FRB"),
    ("30000", "School of Fine Art", "Keizersgracht 10", "Amsterdam", "NL123456789B01", "", "1015 CJ", "NL",
     "Meagan Bond", "", "", "NLD"),
)  # fmt: skip
CONTACTS = (  # No., Name, Company Name, Business Relation, Phone, E-Mail, Language
    ("CT000010", "Adatum Corporation", "Adatum Corporation", "Customer", "+44 1223 555 010", "", "ENU"),
    ("CT000011", "Robert Townes", "Adatum Corporation", "Customer", "+44 1223 555 011",
     "robert.townes@adatum.example.com", "ENU"),
    ("CT000020", "Trey Research", "Trey Research", "Customer", "+32 2 555 02 00", "", "FRB"),
    ("CT000021", "Claire Dubois", "Trey Research", "Customer", "", "claire.dubois@trey.example.com", "FRB"),
    ("CT000030", "School of Fine Art", "School of Fine Art", "Customer", "", "", "NLD"),
    ("CT000031", "Meagan Bond", "School of Fine Art", "Customer", "+31 20 555 0131", "meagan.bond@fineart.example.com",
     ""),
    ("CT000090", "Fabrikam, Inc.", "Fabrikam, Inc.", "Vendor", "", "sales@fabrikam.example.com", ""),
    ("CT000091", "Anna Schmidt", "Fabrikam, Inc.", "Vendor", "", "anna@fabrikam.example.com", ""),
)  # fmt: skip
RELATIONS = (
    ("CT000010", "Adatum Corporation", "Customer", "10000"),
    ("CT000020", "Trey Research", "Customer", "20000"),
    ("CT000030", "School of Fine Art", "Customer", "30000"),
    ("CT000090", "Fabrikam, Inc.", "Vendor", "V10000"),
)


def customer_rows(customers: Sequence[tuple[str, ...]] = CUSTOMERS) -> list[dict[str, str]]:
    rows = []
    for (
        no,
        name,
        address,
        city,
        vat,
        email,
        post_code,
        country,
        contact,
        terms,
        currency,
        language,
    ) in customers:
        row = dict.fromkeys(CUSTOMER_COLUMNS, "")
        row.update({
            "No.": no, "Name": name, "Address": address, "City": city, "VAT Registration No.": vat, "E-Mail": email,
            "Post Code": post_code, "Country/Region Code": country, "Contact": contact, "Customer Posting Group":
            "DOMESTIC" if country == "GB" else "FOREIGN", "Gen. Bus. Posting Group": "EXPORT",
            "Payment Terms Code": "1M(8D)", "Reminder Terms Code": terms, "Fin. Charge Terms Code": "2.0 FOR.",
            "Currency Code": currency, "Language Code": language, "Search Name": name.upper(),
            "Credit Limit (LCY)": "0", "Blocked": "", "Privacy Blocked": "No", "Last Date Modified": "14.11.2026",
            "Application Method": "Manual", "Combine Shipments": "Yes", "Reserve": "Optional",
            "Shipping Advice": "Partial", "Balance (LCY)": "1.234,50", "Balance Due (LCY)": "1.234,50",
            "Sales (LCY)": "12.345,00", "Payments (LCY)": "11.110,50",
        })  # fmt: skip
        rows.append(row)
    return rows


def contact_rows(contacts: Sequence[tuple[str, ...]] = CONTACTS) -> list[dict[str, str]]:
    rows = []
    for no, name, company, relation, phone, email, language in contacts:
        row = dict.fromkeys(CONTACT_COLUMNS, "")
        row.update({
            "No.": no, "Name": name, "Company Name": company, "Business Relation": relation, "Phone No.": phone,
            "E-Mail": email, "Language Code": language, "Search Name": name.upper(), "Privacy Blocked": "No",
            "Minor": "No", "Parental Consent Received": "No", "Salesperson Code": "JO",
            "Mobile Phone No.": "+33 6 55 55 01 21" if no == "CT000021" else "",
        })  # fmt: skip
        rows.append(row)
    return rows


def relation_rows(relations: Sequence[tuple[str, ...]] = RELATIONS) -> list[dict[str, str]]:
    return [dict(zip(RELATION_COLUMNS, r, strict=True)) for r in relations]


def ledger_rows(entries: Sequence[tuple[str, str, str, str, str]]) -> list[dict[str, str]]:
    """(customer no., customer name, document no., due date dd.mm.yyyy, amount '1.234,56') -> open invoices."""
    rows = []
    for n, (customer, name, document, due, amount) in enumerate(entries, start=1):
        rows.append({
            "Posting Date": "01.09.2026", "Document Type": "Invoice", "Document No.": document, "Customer No.": customer,
            "Customer Name": name, "Description": f"Order {document}", "Currency Code": "", "Original Amount": amount,
            "Amount": amount, "Remaining Amount": amount, "Due Date": due, "Open": "Yes", "Entry No.": str(1000 + n),
        })  # fmt: skip
    return rows


def write_xlsx(path: Path, columns: Sequence[str], rows: Sequence[dict[str, str]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(columns))
    for row in rows:
        sheet.append([row.get(c, "") or None for c in columns])
    book.save(path)
    return path


def write_csv(path: Path, columns: Sequence[str], rows: Sequence[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        w = csv.DictWriter(f, fieldnames=list(columns), delimiter=";")
        w.writeheader()
        w.writerows(rows)
    return path
