"""The payment data of a letter: RF creditor references (ISO 11649), the EPC QR payload (EPC069-12, version
002) and the QR code, decoded back with Debian's zbarimg where it is installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
)
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
