"""The payment data of a letter: RF creditor references (ISO 11649), the EPC QR payload (EPC069-12, version
002) and the QR code, decoded back with Debian's zbarimg where it is installed."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from dunning.documents.payment import (
    EPC_MAX_BYTES,
    bic_problem,
    credit_transfer,
    creditor_reference,
    epc_payload,
    iban_for_print,
    iban_problem,
    qr_png,
    qr_svg,
    reference_for_print,
    reference_problem,
    swiss_qr_bill_svg,
)
from dunning.documents.pdf import html_to_pdf
from dunning.errors import BadInput

IBAN = "DE89370400440532013000"  # the usual German example IBAN, checksum valid
BIC = "COBADEFFXXX"
NAME = "Example Trading GmbH"

# Valid references as published: ISO 11649's own example (also on Wikipedia), the same padded with zeros,
# and python-stdnum's documented examples with letters.
PUBLISHED_REFERENCES = [
    "RF18 5390 0754 7034",
    "RF18539007547034",
    "RF18000000000539007547034",
    "RF18 5390 0754 70Y",
]


# --- creditor references --------------------------------------------------------------------------------


@pytest.mark.parametrize("reference", PUBLISHED_REFERENCES)
def test_published_references_validate(reference):
    assert reference_problem(reference) is None


@pytest.mark.parametrize(
    ("reminder_no", "expected"),
    [
        ("R0000123", "RF61R0000123"),  # the numbers reminders get when issued
        (123, "RF78123"),  # 1 2 3 R F 0 0 -> 123271500 mod 97 = 20, 98 - 20 = 78
        ("539007547034", "RF18539007547034"),  # ISO 11649's example body gives its check digits
        ("ir-2026/00042", "RF33IR202600042"),  # separators dropped, letters upper case
    ],
)
def test_reference_is_derived_from_the_reminder_number(reminder_no, expected):
    assert creditor_reference(reminder_no) == expected
    assert reference_problem(expected) is None


@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=21))
def test_every_reminder_number_up_to_21_characters_gives_a_valid_reference(body):
    reference = creditor_reference(body)
    assert reference_problem(reference) is None
    assert reference == "RF" + reference[2:4] + body
    assert creditor_reference(body) == reference  # deterministic


def test_a_changed_digit_fails_validation():
    reference = creditor_reference("R0000123")
    for i, char in enumerate(reference):
        if i < 2 or not char.isdigit():
            continue
        changed = reference[:i] + str((int(char) + 1) % 10) + reference[i + 1 :]
        assert "check digits" in (reference_problem(changed) or ""), changed


@pytest.mark.parametrize(
    "reference", ["", "RF", "XX18539007547034", "RF18" + "1" * 22, "RF18 5390 0754 7035"]
)
def test_wrong_references_are_named(reference):
    assert reference_problem(reference)


@pytest.mark.parametrize("reminder_no", ["", "--/", "R" + "0" * 21])
def test_reminder_numbers_that_cannot_make_a_reference_are_refused(reminder_no):
    with pytest.raises(BadInput, match="reminder number"):
        creditor_reference(reminder_no)


def test_reference_prints_in_groups_of_four():
    assert reference_for_print("RF18539007547034") == "RF18 5390 0754 7034"
    assert reference_for_print(creditor_reference("R0000123")) == "RF61 R000 0123"


# --- IBAN and BIC ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "iban", [IBAN, "DE89 3704 0044 0532 0130 00", "GB82WEST12345698765432", "FR1420041010050500013M02606"]
)
def test_valid_ibans_have_no_problem(iban):
    assert iban_problem(iban) is None


@pytest.mark.parametrize(
    ("iban", "says"),
    [
        ("DE89370400440532013001", "check digits"),
        ("DE98370400440532013000", "check digits"),  # two digits swapped
        ("XX89370400440532013000", "not a country"),
        ("DE8937040044053201300", "length"),
        ("", "empty"),
    ],
)
def test_wrong_ibans_say_what_is_wrong(iban, says):
    assert says in (iban_problem(iban) or "")


def test_iban_prints_in_groups_of_four():
    assert iban_for_print(IBAN) == "DE89 3704 0044 0532 0130 00"


def test_bic_of_8_or_11_characters():
    assert bic_problem("COBADEFF") is None and bic_problem(BIC) is None
    assert bic_problem("COBADEF")


# --- the EPC payload ------------------------------------------------------------------------------------


def test_payload_matches_the_format_written_out_by_hand():
    reference = creditor_reference("R0000123")
    payload = epc_payload(
        NAME, "DE89 3704 0044 0532 0130 00", BIC, Decimal("1234.5"), reference, "Reminder R0000123"
    )
    expected = [
        "BCD",  # service tag
        "002",  # version
        "1",  # character set UTF-8
        "SCT",  # SEPA credit transfer
        "COBADEFFXXX",  # BIC
        "Example Trading GmbH",  # beneficiary
        "DE89370400440532013000",  # IBAN, compact
        "EUR1234.50",  # amount, two decimals
        "",  # purpose
        "RF61R0000123",  # structured creditor reference
        "",  # unstructured remittance: empty beside a structured reference
        "Reminder R0000123",  # beneficiary to originator information
    ]
    assert payload.split("\n") == expected
    assert "\r" not in payload and not payload.endswith("\n")


def test_payload_without_bic_or_text_ends_with_the_reference():
    payload = epc_payload(NAME, IBAN, None, Decimal("0.01"), "RF18 5390 0754 7034")
    assert payload.split("\n") == [
        "BCD", "002", "1", "SCT", "", NAME, IBAN, "EUR0.01", "", "RF18539007547034",
    ]  # fmt: skip


def test_credit_transfer_is_frozen_and_holds_the_checked_fields():
    transfer = credit_transfer(
        NAME, "de89 3704 0044 0532 0130 00", "cobadeff", Decimal("10.00"), "rf18539007547034"
    )
    assert (transfer.iban, transfer.bic, transfer.amount, transfer.reference) == (
        IBAN, "COBADEFF", Decimal("10.00"), "RF18539007547034",
    )  # fmt: skip
    with pytest.raises(AttributeError):
        transfer.amount = Decimal("1.00")  # type: ignore[misc]


def _payload(**changes):
    fields = {
        "name": NAME,
        "iban": IBAN,
        "bic": BIC,
        "amount": Decimal("100.00"),
        "reference": "RF18539007547034",
    }
    return epc_payload(**{**fields, **changes})


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"currency": "CHF"}, "currency"),
        ({"currency": "usd"}, "currency"),
        ({"amount": Decimal("0.00")}, "amount"),
        ({"amount": Decimal("-5.00")}, "amount"),
        ({"amount": Decimal("1000000000.00")}, "amount"),
        ({"amount": Decimal("10.005")}, "amount"),
        ({"amount": Decimal("NaN")}, "amount"),
        ({"amount": 10}, "amount"),
        ({"iban": "DE89370400440532013001"}, "iban"),
        ({"iban": "XX89370400440532013000"}, "iban"),
        ({"bic": "COBADEF"}, "bic"),
        ({"name": "N" * 71}, "name"),
        ({"name": "Example\nTrading"}, "name"),
        ({"name": "Example\r\nTrading"}, "name"),
        ({"name": "   "}, "name"),
        ({"reference": "RF19539007547034"}, "reference"),
        ({"reference": "539007547034"}, "reference"),
        ({"text": "T" * 71}, "text"),
        ({"text": "line one\nline two"}, "text"),
    ],
)
def test_wrong_fields_are_refused_naming_the_field(changes, field):
    with pytest.raises(BadInput, match=f"^{field}: "):
        _payload(**changes)


@pytest.mark.parametrize("amount", ["0.01", "999999999.99", "12", "12.3"])
def test_amounts_within_the_range_print_with_two_decimals(amount):
    line = _payload(amount=Decimal(amount)).split("\n")[7]
    assert line == f"EUR{Decimal(amount):.2f}"


def test_name_of_70_characters_is_accepted():
    assert _payload(name="N" * 70).split("\n")[5] == "N" * 70


def test_payload_over_331_bytes_is_refused():
    # 70 characters each, as the fields allow, but three bytes each in UTF-8
    with pytest.raises(BadInput, match=f"^payload: .*at most {EPC_MAX_BYTES}"):
        _payload(name="€" * 70, text="€" * 70)


# --- the QR code ----------------------------------------------------------------------------------------


def require_zbarimg() -> str:
    found = shutil.which("zbarimg")
    if found:
        return found
    message = "zbarimg is not installed (apt-get install -y zbar-tools); decoding the QR code needs it"
    if os.environ.get("DUNNING_REQUIRE_BROWSER") == "1":
        pytest.fail(message + " and DUNNING_REQUIRE_BROWSER=1 requires the check to run")
    pytest.skip(message)


@pytest.mark.parametrize(
    ("name", "text"),
    [(NAME, "Reminder R0000123"), ("Bäckerei Müller & Söhne — Zürich", "Mahnung: bitte überweisen")],
)
def test_png_decodes_to_the_exact_payload(tmp_path: Path, name, text):
    zbarimg = require_zbarimg()
    payload = epc_payload(name, IBAN, BIC, Decimal("1234.56"), creditor_reference("R0000123"), text)
    png = tmp_path / "epc.png"
    png.write_bytes(qr_png(payload))
    done = subprocess.run([zbarimg, "--raw", "-q", str(png)], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert done.stdout.decode("utf-8").removesuffix("\n") == payload


def test_png_is_a_png():
    assert qr_png("BCD").startswith(b"\x89PNG\r\n\x1a\n")


def test_svg_is_a_standalone_svg_document():
    svg = qr_svg(_payload())
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert int(root.attrib["width"]) > 0


# --- the Swiss QR-bill ----------------------------------------------------------------------------------

CH_IBAN = "CH93 0076 2011 6238 5295 7"  # SIX's example of an ordinary IBAN (bank 00762), checksum valid
QR_IBAN = "CH44 3199 9123 0008 8901 2"  # SIX's example QR-IBAN (QR-IID 31999): QR references only
HOSTILE = '<script>alert("x")</script> & {{ 7*7 }}'


def _bill(**changes):
    fields = {
        "account_iban": CH_IBAN,
        "creditor_name": "Northwind Logistik AG",
        "creditor_street": "Bahnhofstrasse 12",
        "creditor_post_code": "8001",
        "creditor_city": "Zuerich",
        "creditor_country": "CH",
        "amount": Decimal("1234.50"),
        "currency": "CHF",
        "reference": creditor_reference("R0000123"),
        "debtor_name": "Bäckerei Müller AG",
        "debtor_street": "Rue du Lac 3",
        "debtor_post_code": "1003",
        "debtor_city": "Lausanne",
        "debtor_country": "CH",
        "message": "Reminder R0000123",
    }
    return swiss_qr_bill_svg(**{**fields, **changes})


def svg_text(svg: str) -> list[str]:
    """The text lines of an SVG, as a reader sees them (entities decoded)."""
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_qr_bill_prints_the_account_amount_and_reference():
    lines = svg_text(_bill())
    assert "CH93 0076 2011 6238 5295 7" in lines  # the IBAN in groups of four
    assert "1 234.50" in lines  # the amount as the guidelines print it
    assert "RF61 R000 0123" in lines  # the reference in groups of four
    assert "Northwind Logistik AG" in lines and "Bäckerei Müller AG" in lines


def test_qr_bill_keeps_a_hostile_name_literal():
    svg = _bill(debtor_name=HOSTILE)
    assert HOSTILE in svg_text(svg)
    assert "<script" not in svg and "&lt;script&gt;" in svg


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "Payment part"), ("de", "Zahlteil"), ("fr", "Section paiement"), ("it", "Sezione pagamento"),
     ("nl", "Payment part"), ("de-CH", "Zahlteil")],
)  # fmt: skip
def test_qr_bill_speaks_the_customers_language_or_english(language, title):
    assert title in svg_text(_bill(language=language))


def test_an_incomplete_debtor_address_leaves_payable_by_blank():
    lines = svg_text(_bill(debtor_post_code="", debtor_city=""))
    assert "Payable by (name/address)" in lines
    assert "Bäckerei Müller AG" not in lines


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"account_iban": IBAN}, "^account_iban: DE89 .*not a Swiss or Liechtenstein IBAN"),
        ({"account_iban": QR_IBAN}, "^account_iban: .*QR-IBAN.*ordinary IBAN"),
        ({"account_iban": "CH93 0076 2011 6238 5295 8"}, "^account_iban: .*check digits"),
        ({"creditor_city": ""}, "^creditor: .*complete the company's address"),
        ({"creditor_street": "  "}, "^creditor: "),
        ({"creditor_country": "Switzerland"}, "^creditor_country: .*two-letter"),
        ({"creditor_name": "N" * 71}, "^creditor_name: 71 characters"),
        ({"debtor_city": "C" * 36}, "^debtor_city: 36 characters"),
        ({"amount": Decimal("0.00")}, "^amount: CHF 0.00 is outside what a QR-bill allows"),
        ({"amount": Decimal("1000000000.00")}, "^amount: "),
        ({"amount": Decimal("1.005")}, "^amount: .*round it to the cent"),
        ({"amount": 12}, "^amount: .*Decimal"),
        ({"currency": "USD"}, "^currency: 'USD', a QR-bill is in CHF or EUR only"),
        ({"reference": "RF19539007547034"}, "^reference: "),
        ({"message": "M" * 141}, "^message: 141 characters"),
    ],
)
def test_wrong_qr_bill_data_is_refused_naming_the_field(changes, says):
    with pytest.raises(BadInput, match=says):
        _bill(**changes)


def test_qr_bill_in_eur_and_from_liechtenstein():
    lines = svg_text(_bill(currency="EUR", account_iban="LI21 0881 0000 2324 013A A"))
    assert "EUR" in lines and "LI21 0881 0000 2324 013A A" in lines


def slip_png(svg: str, tmp_path: Path) -> Path:
    """The slip as a letter prints it: WeasyPrint draws the SVG (as the letter's <img> does) on a page of
    its size, poppler rasterises it at 200 dpi."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("pdftoppm is not installed (apt-get install -y poppler-utils)")
    image = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    html = (
        "<style>@page { size: 210mm 105mm; margin: 0 } body { margin: 0 }</style>"
        f'<img style="display: block; width: 210mm; height: 105mm" src="data:image/svg+xml;base64,{image}">'
    )
    (tmp_path / "slip.pdf").write_bytes(html_to_pdf(html))
    subprocess.run(
        [pdftoppm, "-r", "200", "-png", "-singlefile", "slip.pdf", "slip"], cwd=tmp_path, check=True
    )
    return tmp_path / "slip.png"


def test_qr_bill_code_decodes_to_the_swiss_payment_code(tmp_path):
    zbarimg = require_zbarimg()
    png = slip_png(_bill(debtor_name=HOSTILE), tmp_path)
    # zbar's decoder gives up on the Swiss cross's white plus in the middle of the code (banking apps read
    # it): fill the plus black, inside the cross's 7 mm square, which the guidelines place at the code's
    # centre (the code: 46 mm square, 67 mm from the left and 17.2 mm from the top of the slip)
    image = Image.open(png).convert("L")
    dots = 200 / 25.4
    x, y, half = (67 + 23) * dots, (17.2 + 23) * dots, 2.9 * dots
    ImageDraw.Draw(image).rectangle([x - half, y - half, x + half, y + half], fill=0)
    image.save(png)
    done = subprocess.run([zbarimg, "--raw", "-q", "-Sbinary", str(png)], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    payload = done.stdout.decode("utf-8").replace("\r\n", "\n").removesuffix("\n")
    assert payload.startswith("SPC\n0200\n1\n")
    fields = payload.split("\n")
    assert fields[3] == "CH9300762011623852957"
    assert "1234.50" in fields and "CHF" in fields and "SCOR" in fields
    assert creditor_reference("R0000123") in fields
    assert HOSTILE in fields and "Reminder R0000123" in fields
