"""dunning.mail: the outbox folder, the envelope checks every transport makes before sending, and SMTP
against a real aiosmtpd server on 127.0.0.1 (tests/smtp_server.py) that records what it received."""

from __future__ import annotations

import os
import re
import ssl
import traceback
from collections.abc import Iterator
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import SMTP, compat32, default
from pathlib import Path

import pytest

from dunning.errors import BadInput, DunningError
from dunning.mail import (
    Delivery,
    DeliveryUnknown,
    OutboxTransport,
    PermanentFailure,
    SmtpSettings,
    SmtpTransport,
    TemporaryFailure,
    describe,
    send_test,
    transport_from_env,
)
from dunning.mail.outbox import file_name
from dunning.mail.transport import check_address, check_envelope
from tests.smtp_server import SmtpServer, free_port, self_signed_certificate, serve

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


# --- SMTP against a real server on 127.0.0.1 --------------------------------------------------------------


@pytest.fixture
def server() -> Iterator[SmtpServer]:
    with serve() as running:
        yield running


def transport_to(server: SmtpServer, sleeps: list[float] | None = None, **options: object) -> SmtpTransport:
    settings = SmtpSettings(host=server.host, port=server.port, security="none", timeout=10.0)
    recorded = sleeps if sleeps is not None else []
    return SmtpTransport(settings, sleep=recorded.append, **options)  # type: ignore[arg-type]


def test_a_batch_of_three_arrives_intact_over_one_connection(server: SmtpServer):
    with transport_to(server) as transport:
        deliveries = [
            transport.send(reminder(n), [f"ap{n}@customer.example", "boss@customer.example"])
            for n in (1, 2, 3)
        ]
    assert [d.accepted for d in deliveries] == [
        (f"ap{n}@customer.example", "boss@customer.example") for n in (1, 2, 3)
    ]
    assert all(d.refused == {} and d.server_reply.startswith("250") for d in deliveries)
    assert len(server.received) == 3
    assert len({r.peer for r in server.received}) == 1  # one connection served the batch
    for n, got in zip((1, 2, 3), server.received, strict=True):
        assert got.mail_from == "credit@seller.example"
        assert got.rcpt_tos == (f"ap{n}@customer.example", "boss@customer.example")
        msg, plain, html, pdf = parts(got.content)
        assert msg["Subject"] == f"Payment reminder R-{n:04d} – Zahlungserinnerung"
        assert msg["Message-ID"] == f"<R-{n:04d}.RF18539007547034@seller.example>"
        assert f"reminder {n}: please pay 1 234,50 €." in plain
        assert f"<b>{n}</b>" in html
        assert pdf == PDF


def test_bcc_goes_in_the_envelope_and_not_in_the_headers(server: SmtpServer):
    msg = reminder(4)
    msg["Bcc"] = "archive@seller.example"
    with transport_to(server) as transport:
        transport.send(msg, ["ap@customer.example", "archive@seller.example"])
    (got,) = server.received
    assert got.rcpt_tos == ("ap@customer.example", "archive@seller.example")
    assert b"archive@seller.example" not in got.content
    assert msg["Bcc"] == "archive@seller.example"  # the caller's message is left as it was


def test_a_line_starting_with_a_dot_survives(server: SmtpServer):
    msg = EmailMessage(policy=SMTP)
    msg["From"], msg["To"], msg["Message-ID"] = (
        "credit@seller.example",
        "ap@customer.example",
        "<dot@seller.example>",
    )
    msg.set_content("first\n.\n.. two dots\nlast\n", cte="7bit")
    with transport_to(server) as transport:
        transport.send(msg, ["ap@customer.example"])
    body = message_from_bytes(server.received[0].content, policy=default)
    assert isinstance(body, EmailMessage)
    assert body.get_content().replace("\r\n", "\n") == "first\n.\n.. two dots\nlast\n"


def test_one_refused_recipient_does_not_stop_the_message_or_the_batch():
    with serve(refuse={"gone@customer.example"}) as server, transport_to(server) as transport:
        first = transport.send(reminder(1), ["ap@customer.example", "gone@customer.example"])
        second = transport.send(reminder(2), ["ap2@customer.example"])
    assert first.accepted == ("ap@customer.example",)
    assert set(first.refused) == {"gone@customer.example"}
    code, text = first.refused["gone@customer.example"]
    assert code == 550 and "User unknown" in text
    assert second.accepted == ("ap2@customer.example",)
    assert [r.rcpt_tos for r in server.received] == [("ap@customer.example",), ("ap2@customer.example",)]


def test_every_recipient_refused_is_a_permanent_failure_and_the_batch_goes_on():
    with serve(refuse={"gone@customer.example"}) as server, transport_to(server) as transport:
        with pytest.raises(
            PermanentFailure, match="every recipient was refused.*gone@customer.example: 550"
        ) as e:
            transport.send(reminder(1), ["gone@customer.example"])
        assert e.value.code == 550
        transport.send(reminder(2), ["ap@customer.example"])
    assert [r.rcpt_tos for r in server.received] == [("ap@customer.example",)]


def test_451_twice_then_accepted_is_delivered_once_after_the_backoff():
    sleeps: list[float] = []
    with serve(data_451=2) as server, transport_to(server, sleeps, backoff=(0.5, 2.0, 8.0)) as transport:
        delivery = transport.send(reminder(1), ["ap@customer.example"])
    assert delivery.accepted == ("ap@customer.example",)
    assert len(server.received) == 1
    assert server.handler.data_attempts == 3
    assert sleeps == [0.5, 2.0]


def test_451_every_time_is_a_temporary_failure_after_the_retries():
    sleeps: list[float] = []
    with (
        serve(data_451=100) as server,
        transport_to(server, sleeps, retries=3, backoff=(1.0, 4.0)) as transport,
    ):
        with pytest.raises(
            TemporaryFailure, match=r"451 4\.3\.0 Temporary local problem.*4 attempt"
        ) as caught:
            transport.send(reminder(1), ["ap@customer.example"])
    assert caught.value.code == 451
    assert server.received == []
    assert server.handler.data_attempts == 4
    assert sleeps == [1.0, 4.0, 4.0]


def test_a_recipient_deferred_with_450_is_retried():
    with (
        serve(defer_recipients={"busy@customer.example"}) as server,
        transport_to(server, retries=1) as transport,
    ):
        with pytest.raises(TemporaryFailure, match="450"):
            transport.send(reminder(1), ["busy@customer.example"])
        delivery = transport.send(reminder(2), ["ap@customer.example", "busy@customer.example"])
    assert delivery.accepted == ("ap@customer.example",)
    assert delivery.refused["busy@customer.example"][0] == 450  # the caller sees it was only deferred
    assert server.handler.commands.count("MAIL") == 3


def test_554_is_a_permanent_failure_with_the_servers_text():
    sleeps: list[float] = []
    with (
        serve(data_554="5.7.1 Message rejected as spam") as server,
        transport_to(server, sleeps) as transport,
    ):
        with pytest.raises(PermanentFailure, match="554 5.7.1 Message rejected as spam") as caught:
            transport.send(reminder(1), ["ap@customer.example"])
    assert caught.value.code == 554 and caught.value.server_text == "5.7.1 Message rejected as spam"
    assert "R-0001" in str(caught.value)  # names the message
    assert sleeps == [] and server.handler.data_attempts == 1


def test_a_dropped_connection_is_reopened_and_the_next_message_delivered_exactly_once():
    sleeps: list[float] = []
    with serve(drop_after=1) as server, transport_to(server, sleeps) as transport:
        deliveries = [transport.send(reminder(n), ["ap@customer.example"]) for n in (1, 2, 3)]
    assert server.handler.dropped == 1
    assert [d.accepted for d in deliveries] == [("ap@customer.example",)] * 3
    ids = [message_from_bytes(r.content)["Message-ID"] for r in server.received]
    assert ids == [f"<R-000{n}.RF18539007547034@seller.example>" for n in (1, 2, 3)]
    peers = [r.peer for r in server.received]
    assert peers[0] != peers[1] == peers[2]  # reconnected once, then kept
    assert sleeps == []  # a kept connection that was dropped is reopened at once


def test_a_connection_lost_before_the_servers_answer_is_unknown_and_not_resent():
    with serve(drop_before_reply=1) as server, transport_to(server) as transport:
        with pytest.raises(DeliveryUnknown, match="R-0001.*may have been delivered"):
            transport.send(reminder(1), ["ap@customer.example"])
        transport.send(reminder(2), ["ap@customer.example"])  # the batch goes on over a new connection
    assert [message_from_bytes(r.content, policy=default)["Subject"] for r in server.received] == [
        "Payment reminder R-0001 – Zahlungserinnerung",
        "Payment reminder R-0002 – Zahlungserinnerung",
    ]


def test_no_server_is_a_temporary_failure_after_the_retries():
    sleeps: list[float] = []
    settings = SmtpSettings(host="127.0.0.1", port=free_port(), security="none", timeout=5.0)
    transport = SmtpTransport(settings, retries=2, backoff=(0.25,), sleep=sleeps.append)
    with pytest.raises(
        TemporaryFailure, match=f"cannot connect to the SMTP server 127.0.0.1:{settings.port}"
    ):
        transport.send(reminder(1), ["ap@customer.example"])
    assert sleeps == [0.25, 0.25]


def test_the_connection_opens_lazily_on_the_first_send(server: SmtpServer):
    transport = transport_to(server)
    transport.send(reminder(1), ["ap@customer.example"])
    transport.send(reminder(2), ["ap@customer.example"])
    transport.close()
    assert len({r.peer for r in server.received}) == 1


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("Subject", "Reminder\r\nBcc: victim@elsewhere.example"),
        ("To", "ap@customer.example\nBcc: v@x.example"),
    ],
)
def test_a_header_with_a_line_break_is_refused_before_anything_is_sent(
    server: SmtpServer, header: str, value: str
):
    transport = transport_to(server)
    with pytest.raises(BadInput, match="line break"):
        transport.send(injected(header, value), ["ap@customer.example"])
    with pytest.raises(BadInput, match="contains a line break; write one address on one line"):
        transport.send(reminder(1), ["ap@customer.example>\r\nRCPT TO:<victim@elsewhere.example"])
    transport.close()
    assert server.handler.commands == []


# --- secrets --------------------------------------------------------------------------------------------

SECRET = "s3cr3t-Pa55word"


def test_the_password_is_never_shown():
    settings = SmtpSettings(host="mail.example.com", port=587, user="credit", password=SECRET)
    transport = SmtpTransport(settings)
    for text in (repr(settings), str(settings), transport.description, repr(transport), settings.description):
        assert SECRET not in text
    assert transport.description == "SMTP mail.example.com:587 (STARTTLS, as credit)"


AUTH_WITHOUT_TLS = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")


@AUTH_WITHOUT_TLS
def test_login_with_the_right_password_sends():
    with serve(credentials=("credit", SECRET)) as server:
        settings = SmtpSettings(
            host=server.host, port=server.port, security="none", user="credit", password=SECRET
        )
        with SmtpTransport(settings, sleep=lambda s: None) as transport:
            transport.send(reminder(1), ["ap@customer.example"])
    assert len(server.received) == 1


@AUTH_WITHOUT_TLS
def test_a_refused_login_names_the_user_and_never_the_password():
    with serve(credentials=("credit", SECRET)) as server:
        wrong = "Wr0ng-" + SECRET
        settings = SmtpSettings(
            host=server.host, port=server.port, security="none", user="credit", password=wrong
        )
        with pytest.raises(PermanentFailure) as caught:
            SmtpTransport(settings, sleep=lambda s: None).send(reminder(1), ["ap@customer.example"])
    text = "".join(traceback.format_exception(caught.value))
    assert "'credit'" in str(caught.value) and "535" in str(caught.value) and "DUNNING_SMTP_PASSWORD" in text
    assert wrong not in text and SECRET not in text
    assert server.received == []


def test_starttls_that_the_server_does_not_offer_is_refused_plainly(server: SmtpServer):
    settings = SmtpSettings(
        host=server.host, port=server.port, security="starttls", user="u", password=SECRET
    )
    with pytest.raises(
        PermanentFailure, match="does not offer STARTTLS; set DUNNING_SMTP_SECURITY"
    ) as caught:
        SmtpTransport(settings).send(reminder(1), ["ap@customer.example"])
    assert SECRET not in str(caught.value)
    assert server.received == []


def test_send_test_delivers_a_short_message(server: SmtpServer):
    delivery = send_test(transport_to(server), "me@seller.example", "credit@seller.example")
    assert delivery.accepted == ("me@seller.example",)
    (got,) = server.received
    msg = message_from_bytes(got.content, policy=default)
    assert msg["Subject"] == "dunning: test email" and msg["Auto-Submitted"] == "auto-generated"
    assert f"127.0.0.1:{server.port}" in msg.get_content()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"security": "tls"}, "security 'tls' is unknown; write one of none, starttls, ssl"),
        ({"port": 0}, "port 0 is out of range"),
        ({"host": "mail example"}, "not a host name"),
        ({"from_address": "Credit <c@seller.example>"}, "sender 'Credit <c@seller.example>'"),
    ],
)
def test_bad_settings_are_named(options: dict[str, object], problem: str):
    values: dict[str, object] = {"host": "mail.example.com", **options}
    with pytest.raises(BadInput, match=re.escape(problem)):
        SmtpSettings(**values)  # type: ignore[arg-type]


# --- settings from the environment ------------------------------------------------------------------------


def test_without_smtp_the_outbox_beside_the_database_is_used(tmp_path: Path):
    transport = transport_from_env({}, tmp_path / "data" / "dunning.duckdb")
    assert isinstance(transport, OutboxTransport)
    assert transport.folder == tmp_path / "data" / "outbox"
    text = describe({}, tmp_path / "dunning.duckdb")
    assert text.startswith(f"Outbox folder {tmp_path / 'outbox'}: no SMTP server configured")
    assert "set DUNNING_SMTP_HOST" in text


def test_an_in_memory_database_uses_outbox_in_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)
    for db_path in (None, Path(":memory:")):
        transport = transport_from_env({}, db_path)
        assert isinstance(transport, OutboxTransport) and transport.folder == tmp_path / "outbox"


def test_dunning_outbox_names_the_folder(tmp_path: Path):
    transport = transport_from_env({"DUNNING_OUTBOX": str(tmp_path / "sent")}, tmp_path / "x.duckdb")
    assert isinstance(transport, OutboxTransport) and transport.folder == tmp_path / "sent"
    (tmp_path / "file").write_text("x")
    with pytest.raises(BadInput, match="is a file, not a folder; set DUNNING_OUTBOX"):
        transport_from_env({"DUNNING_OUTBOX": str(tmp_path / "file")}, None)


@pytest.mark.parametrize(
    ("security", "port"),
    [(None, 587), ("starttls", 587), ("SSL", 465), ("none", 25)],
)
def test_smtp_ports_default_by_security(security: str | None, port: int):
    env = {"DUNNING_SMTP_HOST": "mail.example.com"}
    if security:
        env["DUNNING_SMTP_SECURITY"] = security
    transport = transport_from_env(env, None)
    assert isinstance(transport, SmtpTransport)
    assert transport.settings.port == port
    assert transport.settings.security == (security or "starttls").lower()
    assert transport.settings.user is None and transport.settings.from_address is None


def test_smtp_settings_are_read_whole_and_the_password_is_not_described():
    env = {
        "DUNNING_SMTP_HOST": " mail.example.com ",
        "DUNNING_SMTP_PORT": "2525",
        "DUNNING_SMTP_SECURITY": "starttls",
        "DUNNING_SMTP_USER": "credit",
        "DUNNING_SMTP_PASSWORD": SECRET,
        "DUNNING_FROM": "credit@seller.example",
    }
    transport = transport_from_env(env, None)
    assert isinstance(transport, SmtpTransport)
    assert transport.settings == SmtpSettings(
        host="mail.example.com",
        port=2525,
        security="starttls",
        user="credit",
        password=SECRET,
        from_address="credit@seller.example",
    )
    text = describe(env, None)
    assert text == (
        "SMTP mail.example.com:2525 (STARTTLS, as credit), sent from credit@seller.example: "
        "reminders are sent by email through this server."
    )
    assert SECRET not in text + transport.description + repr(transport)


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({"DUNNING_SMTP_PORT": "587"}, "DUNNING_SMTP_PORT is set but DUNNING_SMTP_HOST is not"),
        (
            {"DUNNING_SMTP_HOST": "mail.example.com:587"},
            "DUNNING_SMTP_HOST='mail.example.com:587' is not a host",
        ),
        (
            {"DUNNING_SMTP_HOST": "m.example", "DUNNING_SMTP_PORT": "smtp"},
            "DUNNING_SMTP_PORT='smtp' is not a port",
        ),
        ({"DUNNING_SMTP_HOST": "m.example", "DUNNING_SMTP_PORT": "70000"}, "write a number such as 587"),
        (
            {"DUNNING_SMTP_HOST": "m.example", "DUNNING_SMTP_SECURITY": "tls"},
            "DUNNING_SMTP_SECURITY='tls' is unknown",
        ),
        ({"DUNNING_SMTP_HOST": "m.example", "DUNNING_SMTP_USER": "credit"}, "DUNNING_SMTP_PASSWORD is not"),
        ({"DUNNING_SMTP_HOST": "m.example", "DUNNING_SMTP_PASSWORD": SECRET}, "DUNNING_SMTP_USER is not"),
        (
            {"DUNNING_SMTP_HOST": "m.example", "DUNNING_FROM": "Credit <c@x.example>"},
            "DUNNING_FROM 'Credit <c@",
        ),
    ],
)
def test_bad_mail_settings_name_the_variable(env: dict[str, str], problem: str):
    with pytest.raises(BadInput, match=re.escape(problem)) as caught:
        transport_from_env(env, None)
    assert SECRET not in str(caught.value)
    with pytest.raises(BadInput, match=re.escape(problem)):
        describe(env, None)


def test_the_configured_transport_delivers_to_the_server(server: SmtpServer):
    env = {
        "DUNNING_SMTP_HOST": server.host,
        "DUNNING_SMTP_PORT": str(server.port),
        "DUNNING_SMTP_SECURITY": "none",
        "DUNNING_FROM": "bounces@seller.example",
    }
    with transport_from_env(env, None) as transport:
        transport.send(reminder(1), ["ap@customer.example"])
    (got,) = server.received
    assert got.mail_from == "bounces@seller.example"  # DUNNING_FROM is the envelope sender


# --- TLS: STARTTLS and SSL against a self-signed certificate ----------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pem = self_signed_certificate(tmp_path_factory.mktemp("tls"))
    if pem is None:
        pytest.skip("the openssl command is needed to make a test certificate (apt-get install openssl)")
    return pem


def test_starttls_then_login_then_send(certificate: Path):
    with serve(credentials=("credit", SECRET), starttls=certificate) as server:
        settings = SmtpSettings(
            host=server.host, port=server.port, security="starttls", user="credit", password=SECRET
        )
        trust = ssl.create_default_context(cafile=str(certificate))
        with SmtpTransport(settings, ssl_context=trust) as transport:
            transport.send(reminder(1), ["ap@customer.example"])
    (got,) = server.received
    assert parts(got.content)[3] == PDF


def test_ssl_from_the_first_byte(certificate: Path):
    with serve(implicit_tls=certificate) as server:
        settings = SmtpSettings(host=server.host, port=server.port, security="ssl")
        trust = ssl.create_default_context(cafile=str(certificate))
        with SmtpTransport(settings, ssl_context=trust) as transport:
            transport.send(reminder(1), ["ap@customer.example"])
    assert len(server.received) == 1


def test_an_untrusted_certificate_is_refused_before_the_password_is_sent(certificate: Path):
    with serve(credentials=("credit", SECRET), starttls=certificate) as server:
        settings = SmtpSettings(
            host=server.host, port=server.port, security="starttls", user="credit", password=SECRET
        )
        with pytest.raises(
            PermanentFailure, match="no secure connection to the SMTP server.*DUNNING_SMTP_SECURITY"
        ) as e:
            SmtpTransport(settings).send(reminder(1), ["ap@customer.example"])
        credentials = server.controller.SMTP_kwargs["authenticator"]
    assert credentials.attempts == 0
    assert SECRET not in "".join(traceback.format_exception(e.value))
    assert server.received == []
