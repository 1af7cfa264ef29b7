"""The payment data a reminder letter carries: the ISO 11649 creditor reference derived from the reminder
number, the EPC QR payload of a SEPA credit transfer ("GiroCode", EPC069-12 version 002) and the QR code
itself as SVG or PNG, and the Swiss QR-bill's payment part for CHF.

Pure functions, no database. The only user of python-stdnum (RF references, IBAN and BIC checks), of
segno (the QR code) and of qrbill (the Swiss slip): other modules that need an IBAN checked call
iban_problem() here.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import qrbill
import segno
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum import iso11649
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength, ValidationError
from stdnum.iso7064 import mod_97_10

from dunning.errors import BadInput
from dunning.money import CENT

# EPC069-12: the limits of the fields this module fills
EPC_MAX_BYTES = 331
NAME_MAX = 70
TEXT_MAX = 70  # beneficiary to originator information
REFERENCE_BODY_MAX = 21  # ISO 11649: "RF" + 2 check digits + up to 21 alphanumerics
AMOUNT_MIN = Decimal("0.01")
AMOUNT_MAX = Decimal("999999999.99")  # the QR-bill's limits too
# Swiss QR-bill (SIX Implementation Guidelines 2.3): accounts, currencies, languages, field lengths
QR_BILL_COUNTRIES = ("CH", "LI")
QR_BILL_CURRENCIES = ("CHF", "EUR")
QR_BILL_LANGUAGES = ("en", "de", "fr", "it")  # the slip's languages; others get English
QR_IID = range(30000, 32000)  # a QR-IBAN's bank identifier: it takes QR references (QRR) only
QR_BILL_FONTS = "Liberation Sans, Arial, Helvetica"  # the sans fonts the guidelines allow
QR_BILL_LIMITS = {"name": 70, "street": 70, "post_code": 16, "city": 35, "message": 140}

_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]")
_LINE_BREAK = re.compile(r"[\r\n\u0085\u2028\u2029\v\f]")


# --- identifiers ----------------------------------------------------------------------------------------


def creditor_reference(reminder_no: str | int) -> str:
    """The ISO 11649 structured creditor reference of a reminder, compact ('RF' + check digits + the
    reminder number's letters and digits, upper case): 'R0000123' -> 'RF61R0000123'.

    Separators in the number (spaces, dashes, slashes) are dropped, so keep one number series per company
    as ERPs do. Raises BadInput when the number has no letters or digits or more than 21 of them."""
    body = _NOT_ALNUM.sub("", str(reminder_no)).upper()
    if not body:
        raise BadInput(
            f"reminder number {reminder_no!r}: has no letters or digits to build a creditor reference from"
        )
    if len(body) > REFERENCE_BODY_MAX:
        raise BadInput(
            f"reminder number {reminder_no!r}: {len(body)} letters and digits, a creditor reference (ISO 11649)"
            f" holds at most {REFERENCE_BODY_MAX}; use a shorter number series"
        )
    check = mod_97_10.calc_check_digits(body + "RF")
    return iso11649.validate("RF" + check + body)


def reference_problem(reference: str) -> str | None:
    """None when `reference` is a valid ISO 11649 creditor reference (spaces allowed), else what is wrong."""
    try:
        iso11649.validate(reference)
    except InvalidChecksum:
        return f"{reference!r} is not a valid creditor reference: its check digits do not match (a character is wrong)"
    except ValidationError:
        return f"{reference!r} is not a creditor reference: expected 'RF', 2 check digits and 1 to 21 letters or digits"
    return None


def reference_for_print(reference: str) -> str:
    """'RF18539007547034' -> 'RF18 5390 0754 7034': groups of four, as printed on a letter."""
    return str(iso11649.format(reference))


def iban_problem(iban: str) -> str | None:
    """None when `iban` is a valid IBAN (spaces allowed), else a message saying what is wrong with it."""
    if not iban or not iban.strip():
        return "the IBAN is empty"
    shown = iban.strip()
    try:
        stdnum_iban.validate(iban)
    except InvalidChecksum:
        # a wrong length or country shows first as a checksum mismatch: report those before the digits
        number = stdnum_iban.compact(iban)
        return _iban_shape_problem(
            shown, number[:2] + stdnum_iban.calc_check_digits(number) + number[4:]
        ) or (f"IBAN {shown!r}: the check digits do not match (a digit is wrong or two are swapped)")
    except ValidationError:
        return _iban_shape_problem(shown, iban)
    return None


def _iban_shape_problem(shown: str, iban: str) -> str | None:
    try:
        stdnum_iban.validate(iban)
    except InvalidChecksum:
        return None
    except InvalidComponent:
        return f"IBAN {shown!r}: {shown[:2].upper()!r} is not a country that issues IBANs"
    except InvalidLength:
        return f"IBAN {shown!r}: wrong length for an IBAN of {shown[:2].upper()!r}"
    except ValidationError:
        return f"IBAN {shown!r}: wrong length or characters for an IBAN of {shown[:2].upper()!r}"
    return None


def iban_for_print(iban: str) -> str:
    """'DE89370400440532013000' -> 'DE89 3704 0044 0532 0130 00'."""
    return str(stdnum_iban.format(iban))


def bic_problem(bic: str) -> str | None:
    """None when `bic` is a valid BIC (8 or 11 characters), else what is wrong with it."""
    try:
        stdnum_bic.validate(bic)
    except ValidationError:
        return f"BIC {bic.strip()!r}: expected 8 or 11 characters (bank, country, location, optional branch)"
    return None


# --- the EPC QR payload ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreditTransfer:
    """A checked SEPA credit transfer, the content of an EPC QR code. Build it with credit_transfer()."""

    name: str
    iban: str  # compact, upper case
    bic: str  # compact, or "" (optional in version 002)
    amount: Decimal  # EUR, two places
    reference: str  # compact RF creditor reference
    text: str  # beneficiary to originator information, or ""

    @property
    def payload(self) -> str:
        """The EPC069-12 version 002 payload: one element per line (LF), no trailing empty elements."""
        lines = [
            "BCD",  # service tag
            "002",  # version
            "1",  # character set: UTF-8
            "SCT",  # identification: SEPA credit transfer
            self.bic,
            self.name,
            self.iban,
            f"EUR{self.amount:.2f}",
            "",  # purpose
            self.reference,  # structured remittance information
            "",  # unstructured remittance information: empty, the reference is structured
            self.text,
        ]
        while lines[-1] == "":
            lines.pop()
        return "\n".join(lines)


def credit_transfer(
    name: str,
    iban: str,
    bic: str | None,
    amount: Decimal,
    reference: str,
    text: str | None = None,
    *,
    currency: str = "EUR",
) -> CreditTransfer:
    """Check every field against EPC069-12 and return the transfer; BadInput names the first wrong field."""
    if currency.strip().upper() != "EUR":
        raise BadInput(f"currency: {currency!r}, the EPC QR code (SEPA credit transfer) is for EUR only")
    _check_line("name", name, NAME_MAX)
    if not name.strip():
        raise BadInput("name: the beneficiary's name is empty; set the company's legal name")
    problem = iban_problem(iban)
    if problem:
        raise BadInput(f"iban: {problem}")
    bic_text = (bic or "").strip()
    if bic_text:
        problem = bic_problem(bic_text)
        if problem:
            raise BadInput(f"bic: {problem}")
    problem = reference_problem(reference)
    if problem:
        raise BadInput(f"reference: {problem}")
    text = text or ""
    _check_line("text", text, TEXT_MAX)
    transfer = CreditTransfer(
        name=name.strip(),
        iban=stdnum_iban.compact(iban),
        bic=stdnum_bic.compact(bic_text) if bic_text else "",
        amount=_checked_amount(amount),
        reference=iso11649.compact(reference),
        text=text.strip(),
    )
    size = len(transfer.payload.encode("utf-8"))
    if size > EPC_MAX_BYTES:
        raise BadInput(
            f"payload: {size} bytes, an EPC QR code holds at most {EPC_MAX_BYTES}; shorten the name or the text"
        )
    return transfer


def epc_payload(
    name: str,
    iban: str,
    bic: str | None,
    amount: Decimal,
    reference: str,
    text: str | None = None,
    *,
    currency: str = "EUR",
) -> str:
    """The EPC QR payload of a SEPA credit transfer of `amount` EUR to `name`'s `iban` with the structured
    creditor `reference`; `text` is shown to the payer. Raises BadInput naming the wrong field."""
    return credit_transfer(name, iban, bic, amount, reference, text, currency=currency).payload


def _check_line(field: str, value: str, limit: int) -> None:
    if _LINE_BREAK.search(value):
        raise BadInput(f"{field}: {value!r} contains a line break; an EPC QR code field is a single line")
    if len(value.strip()) > limit:
        raise BadInput(f"{field}: {len(value.strip())} characters, an EPC QR code allows at most {limit}")


def _checked_amount(amount: Decimal, currency: str = "EUR", code: str = "an EPC QR code") -> Decimal:
    if not isinstance(amount, Decimal):
        raise BadInput(f"amount: {amount!r} must be a Decimal (money is never a float)")
    if not amount.is_finite():
        raise BadInput(f"amount: {amount} is not a number")
    try:
        exact = amount.quantize(CENT)
    except InvalidOperation:
        raise BadInput(f"amount: {amount} is out of range") from None
    if exact != amount:
        raise BadInput(f"amount: {amount} has more than 2 decimals; round it to the cent first")
    if not AMOUNT_MIN <= exact <= AMOUNT_MAX:
        raise BadInput(
            f"amount: {currency} {amount} is outside what {code} allows ({AMOUNT_MIN} to {AMOUNT_MAX})"
        )
    return exact


# --- the QR code ----------------------------------------------------------------------------------------


def _qr(payload: str) -> segno.QRCode:
    # EPC069-12: error correction level M; the payload is UTF-8 (character set 1), in byte mode
    return segno.make_qr(payload, error="m", boost_error=False, encoding="utf-8")


def qr_svg(payload: str, *, scale: int = 4) -> str:
    """The QR code of `payload` as a standalone SVG document (with its quiet zone), for HTML and PDF."""
    out = io.BytesIO()
    _qr(payload).save(out, kind="svg", scale=scale, xmldecl=False)
    return out.getvalue().decode("utf-8")


def qr_png(payload: str, *, scale: int = 8) -> bytes:
    """The QR code of `payload` as a PNG image (with its quiet zone)."""
    out = io.BytesIO()
    _qr(payload).save(out, kind="png", scale=scale)
    return out.getvalue()


# --- the Swiss QR-bill ----------------------------------------------------------------------------------


def swiss_qr_bill_svg(
    *,
    account_iban: str,
    creditor_name: str,
    creditor_street: str,
    creditor_post_code: str,
    creditor_city: str,
    creditor_country: str,
    amount: Decimal,
    currency: str,
    reference: str,
    debtor_name: str,
    debtor_street: str,
    debtor_post_code: str,
    debtor_city: str,
    debtor_country: str,
    message: str | None = None,
    language: str = "en",
) -> str:
    """The payment part and receipt of a Swiss QR-bill (210 x 105 mm) as SVG text, paying `amount` to the
    company's CH or LI IBAN with the RF creditor `reference` (SCOR). The debtor's address is printed when
    it is complete (name, post code, city, country); otherwise the slip leaves "Payable by" blank for the
    payer to fill in, as the guidelines allow. Raises BadInput naming the wrong field and what to do."""
    iban = stdnum_iban.compact(account_iban or "")
    problem = iban_problem(account_iban)
    if problem:
        raise BadInput(f"account_iban: {problem}")
    if iban[:2] not in QR_BILL_COUNTRIES:
        raise BadInput(
            f"account_iban: {iban_for_print(iban)} is not a Swiss or Liechtenstein IBAN; a QR-bill pays into"
            " a CH or LI account only, so add one for CHF or print the bank details instead"
        )
    if int(iban[4:9]) in QR_IID:
        raise BadInput(
            f"account_iban: {iban_for_print(iban)} is a QR-IBAN, which takes only a QR reference (QRR, 27"
            " digits); reminders carry an RF creditor reference, so give the account's ordinary IBAN"
        )
    currency = (currency or "").strip().upper()
    if currency not in QR_BILL_CURRENCIES:
        raise BadInput(f"currency: {currency!r}, a QR-bill is in CHF or EUR only")
    exact = _checked_amount(amount, currency, "a QR-bill")
    problem = reference_problem(reference)
    if problem:
        raise BadInput(f"reference: {problem}")
    creditor = _qr_address(
        "creditor", creditor_name, creditor_street, creditor_post_code, creditor_city, creditor_country
    )
    if creditor is None:
        raise BadInput(
            "creditor: the company's address is incomplete (name, street, post code, city and country are"
            " printed on a QR-bill); complete the company's address"
        )
    debtor = _qr_address("debtor", debtor_name, debtor_street, debtor_post_code, debtor_city, debtor_country)
    text = " ".join((message or "").split())
    _check_length("message", text, QR_BILL_LIMITS["message"])
    try:
        bill = qrbill.QRBill(
            account=iban,
            creditor=creditor,
            debtor=debtor,
            amount=f"{exact:.2f}",
            currency=currency,
            reference_number=iso11649.compact(reference),
            additional_information=text,
            language=_qr_language(language),
        )
        bill.font_family = QR_BILL_FONTS
        out = io.StringIO()
        bill.as_svg(out)
    except ValueError as exc:
        raise BadInput(f"qr-bill: {exc}; correct the company's or the customer's data") from exc
    return out.getvalue()


def _qr_language(language: str) -> str:
    code = (language or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in QR_BILL_LANGUAGES else "en"


def _check_length(field: str, value: str, limit: int) -> None:
    if len(value) > limit:
        raise BadInput(f"{field}: {len(value)} characters, a QR-bill allows at most {limit}; shorten it")


def _qr_address(
    party: str, name: str, street: str, post_code: str, city: str, country: str
) -> dict[str, str] | None:
    """A structured address for qrbill, checked field by field; None when a required part is missing."""
    fields = {"name": name, "street": street, "post_code": post_code, "city": city, "country": country}
    values = {key: " ".join((value or "").split()) for key, value in fields.items()}
    if any(not value for key, value in values.items() if key != "street" or party == "creditor"):
        return None
    for key in ("name", "street", "post_code", "city"):
        _check_length(f"{party}_{key}", values[key], QR_BILL_LIMITS[key])
    country_code = values["country"].upper()
    if len(country_code) != 2 or not country_code.isalpha():
        raise BadInput(
            f"{party}_country: {values['country']!r}, give the ISO 3166 two-letter code (CH, DE ...)"
        )
    return {
        "name": values["name"],
        "street": values["street"],
        "pcode": values["post_code"],
        "city": values["city"],
        "country": country_code,
    }
