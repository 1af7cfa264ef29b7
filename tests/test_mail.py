"""dunning.mail: the outbox folder and the envelope checks every transport makes before sending."""

from __future__ import annotations

import os
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import SMTP, compat32, default
from pathlib import Path

import pytest

from dunning.errors import BadInput, DunningError
from dunning.mail import Delivery, PermanentFailure
from dunning.mail.outbox import OutboxTransport, file_name
from dunning.mail.transport import check_address, check_envelope

PDF = b"%PDF-1.4\n% a letter\n" + bytes(range(256)) * 4


def reminder(
    n: int = 1, to: str = "ap@customer.example", cc: str | None = "boss@customer.example"
) -> EmailMessage:
    """A message shaped like a reminder: text and HTML bodies and a PDF letter attached."""
    msg = EmailMessage(policy=SMTP)
    msg["From"] = "Credit Control <credit@seller.example>"
    msg["To"] = to
    if cc:
        msg["Cc"] = cc
    msg["Subject"] = f"Payment reminder R-{n:04d} – Zahlungserinnerung"
    msg["Message-ID"] = f"<R-{n:04d}.RF18539007547034@seller.example>"
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(f"Dear customer,\nreminder {n}: please pay 1 234,50 €.\n")
    msg.add_alternative(
        f"<p>Dear customer,</p><p>reminder <b>{n}</b>: please pay 1 234,50 €.</p>", subtype="html"
    )
    msg.add_attachment(PDF, maintype="application", subtype="pdf", filename=f"R-{n:04d}.pdf")
    return msg


def parts(raw: bytes) -> tuple[EmailMessage, str, str, bytes]:
    """The received message, its plain and HTML bodies and the attached PDF."""
    msg = message_from_bytes(raw, policy=default)
    assert isinstance(msg, EmailMessage)
    plain = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert plain is not None and html is not None
    (attachment,) = list(msg.iter_attachments())
    return msg, plain.get_content(), html.get_content(), attachment.get_content()


# --- outbox -----------------------------------------------------------------------------------------------


def test_outbox_writes_the_message_named_by_its_message_id(tmp_path: Path):
    outbox = tmp_path / "outbox"
    with OutboxTransport(outbox) as transport:
        delivery = transport.send(reminder(7), ["ap@customer.example", "boss@customer.example"])
    path = outbox / "R-0007.RF18539007547034_seller.example.eml"
    assert delivery == Delivery(
        accepted=("ap@customer.example", "boss@customer.example"),
        refused={},
        server_reply=f"written to {path}",
    )
    assert sorted(p.name for p in outbox.iterdir()) == [path.name]
    msg, plain, html, pdf = parts(path.read_bytes())
    assert msg["Subject"] == "Payment reminder R-0007 – Zahlungserinnerung"
    assert "reminder 7: please pay 1 234,50 €." in plain
    assert "<b>7</b>" in html
    assert pdf == PDF
    assert transport.description == f"outbox {outbox}"


def test_outbox_refuses_a_message_id_it_already_holds_and_keeps_the_first(tmp_path: Path):
    transport = OutboxTransport(tmp_path)
    transport.send(reminder(1), ["ap@customer.example"])
    (written,) = tmp_path.iterdir()
    first = written.read_bytes()
    again = reminder(1, to="other@customer.example")
    with pytest.raises(PermanentFailure, match="already in the outbox.*delivered before") as caught:
        transport.send(again, ["other@customer.example"])
    assert written.name in str(caught.value)
    assert written.read_bytes() == first
    assert [p.name for p in tmp_path.iterdir()] == [written.name]


def test_outbox_leaves_no_partial_file_when_writing_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    transport = OutboxTransport(tmp_path)
    with pytest.raises(DunningError, match="No space left on device.*not delivered"):
        transport.send(reminder(2), ["ap@customer.example"])
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    transport.send(reminder(2), ["ap@customer.example"])  # nothing half-written blocks the retry
    assert [p.suffix for p in tmp_path.iterdir()] == [".eml"]


def test_outbox_refuses_a_message_without_message_id(tmp_path: Path):
    msg = reminder(3)
    del msg["Message-ID"]
    with pytest.raises(BadInput, match="no Message-ID"):
        OutboxTransport(tmp_path).send(msg, ["ap@customer.example"])
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("message_id", "name"),
    [
        ("<R-1.RF18@seller.example>", "R-1.RF18_seller.example.eml"),
        ("<../../etc/passwd@x>", ".._.._etc_passwd_x.eml"),
        (" <a b/c\\d@e> ", "a_b_c_d_e.eml"),
    ],
)
def test_outbox_file_names_stay_inside_the_folder(message_id: str, name: str):
    assert file_name(message_id) == name
    assert "/" not in name and "\\" not in name


# --- envelope checks --------------------------------------------------------------------------------------


def injected(header: str, value: str) -> EmailMessage:
    """A message whose header carries a line break of its own. The modern policy refuses to store one, so
    the message is built under compat32, as old code might build it."""
    msg = EmailMessage(policy=compat32)
    msg["From"] = "credit@seller.example"
    msg["To"] = "ap@customer.example"
    msg["Message-ID"] = "<R-9@seller.example>"
    msg[header] = value
    msg.set_payload("body")
    return msg


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("Subject", "Reminder\r\nBcc: victim@elsewhere.example"),
        ("Subject", "Reminder\nBcc: victim@elsewhere.example"),
        ("Reply-To", "a@seller.example\rX-Evil: 1"),
    ],
)
def test_a_header_with_a_line_break_is_refused(header: str, value: str, tmp_path: Path):
    with pytest.raises(BadInput, match=f"header '{header}'.*line break"):
        check_envelope(injected(header, value), ["ap@customer.example"])
    with pytest.raises(BadInput):
        OutboxTransport(tmp_path).send(injected(header, value), ["ap@customer.example"])
    assert list(tmp_path.iterdir()) == []


def test_a_folded_header_of_a_parsed_message_is_not_an_injection():
    raw = (
        reminder(1).as_bytes(policy=SMTP).replace(b"Subject: Payment", b"Subject: A very\r\n long Payment", 1)
    )
    parsed = message_from_bytes(raw, policy=default)
    assert isinstance(parsed, EmailMessage)
    check_envelope(parsed, ["ap@customer.example"])


@pytest.mark.parametrize(
    "address",
    ["ap@customer.example", "first.last+tag@sub.customer-1.example", "x_y@a.b.co"],
)
def test_plain_addresses_pass(address: str):
    assert check_address(address) == address


@pytest.mark.parametrize(
    "address",
    [
        "",
        "ap",
        "ap@customer",
        "Name <ap@customer.example>",
        "ap@customer.example, b@customer.example",
        "ap@customer.example\r\nRCPT TO:<x@y.example>",
        " ap@customer.example",
        "a p@customer.example",
        "ap@@customer.example",
        "ap@-customer.example",
        "jörg@customer.example",
    ],
)
def test_anything_but_a_plain_address_is_refused_and_named(address: str):
    with pytest.raises(BadInput) as caught:
        check_address(address)
    assert repr(address) in str(caught.value)


def test_recipients_must_be_a_list():
    with pytest.raises(BadInput, match="list of addresses"):
        check_envelope(reminder(), "ap@customer.example")  # type: ignore[arg-type]
    with pytest.raises(BadInput, match="no recipients"):
        check_envelope(reminder(), [])
