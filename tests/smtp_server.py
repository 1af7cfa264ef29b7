"""A real SMTP server on 127.0.0.1 for mail tests: aiosmtpd's Controller on a free port, with a handler that
records every message it accepts and can be told to misbehave the ways real servers do.

    with serve(refuse={"bad@customer.example"}) as server:
        ... send to ("127.0.0.1", server.port) ...
        server.received  # [Received(mail_from, rcpt_tos, content, peer), ...]

The handler can refuse some recipients with 550, answer 451 to the first N DATA commands, answer 554 to every
message, close the connection at the first command after N messages on it (a server's idle drop), close it
after accepting a message and before saying so (delivery unknown), and require AUTH with one user and password.
aiosmtpd is imported here and in the tests only.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Received:
    """One message as the server accepted it."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    content: bytes
    peer: tuple[str, int]  # the client's address and port: one per connection


@dataclass
class RecordingHandler:
    """Accepts messages into `received`; the fields below make it refuse or fail on purpose."""

    refuse: set[str] = field(default_factory=set)  # recipients answered 550
    defer_recipients: set[str] = field(default_factory=set)  # recipients answered 450
    data_451: int = 0  # answer 451 to this many DATA commands, then accept
    data_554: str | None = None  # answer "554 <text>" to every message
    drop_after: int | None = None  # close a connection at the first MAIL after this many messages on it
    drop_before_reply: int | None = None  # accept message number n (1-based), then close without answering
    received: list[Received] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)  # "MAIL", "RCPT", "DATA" in order, for all connections
    data_attempts: int = 0
    dropped: int = 0
    _per_peer: dict[tuple[str, int], int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        with self._lock:
            self.commands.append("MAIL")
            served = self._per_peer.get(session.peer, 0)
            if self.drop_after is not None and served >= self.drop_after:
                self.drop_after = None  # once
                self.dropped += 1
                server.transport.close()
                return "421 4.4.2 closing the connection"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        with self._lock:
            self.commands.append("RCPT")
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        if address in self.defer_recipients:
            return f"450 4.2.1 <{address}>: mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            self.commands.append("DATA")
            self.data_attempts += 1
            if self.data_451 > 0:
                self.data_451 -= 1
                return "451 4.3.0 Temporary local problem, try again"
            if self.data_554 is not None:
                return f"554 {self.data_554}"
            self.received.append(
                Received(envelope.mail_from, tuple(envelope.rcpt_tos), bytes(envelope.content), session.peer)
            )
            self._per_peer[session.peer] = self._per_peer.get(session.peer, 0) + 1
            if self.drop_before_reply is not None and len(self.received) == self.drop_before_reply:
                self.dropped += 1
                server.transport.close()
        return "250 2.0.0 Ok: queued as TEST"


class Credentials:
    """aiosmtpd authenticator accepting one user and password (LOGIN and PLAIN)."""

    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user.encode(), password.encode()
        self.attempts = 0

    def __call__(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        self.attempts += 1
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            self.user,
            self.password,
        )
        return AuthResult(success=ok, handled=False)


@dataclass
class SmtpServer:
    """A running server: where it listens and what its handler saw."""

    handler: RecordingHandler
    controller: Controller
    port: int
    host: str = HOST

    @property
    def received(self) -> list[Received]:
        return self.handler.received


def free_port() -> int:
    """A port nobody listens on now: bind a socket to port 0 and ask which port it got."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def self_signed_certificate(folder: Path) -> Path | None:
    """A certificate and key for 127.0.0.1 in one PEM file, made with the openssl command; None without it."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    pem, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(pem)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return pem


def server_tls_context(certificate: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, certificate.with_name("key.pem"))
    return context


@contextmanager
def serve(
    credentials: tuple[str, str] | None = None,
    starttls: Path | None = None,
    implicit_tls: Path | None = None,
    **handler_options: Any,
) -> Iterator[SmtpServer]:
    """Run a recording SMTP server on 127.0.0.1 for the length of the block, then stop it. `starttls` or
    `implicit_tls` is a certificate (self_signed_certificate) to offer STARTTLS with or to speak TLS from the
    first byte; with `credentials`, AUTH is required (after STARTTLS when it is offered)."""
    handler = RecordingHandler(**handler_options)
    auth: dict[str, Any] = {}
    if credentials:
        auth = {
            "authenticator": Credentials(*credentials),
            "auth_required": True,
            "auth_require_tls": starttls is not None,  # without STARTTLS, the test server allows plain AUTH
        }
    if starttls is not None:
        auth["tls_context"] = server_tls_context(starttls)
    if implicit_tls is not None:
        auth["ssl_context"] = server_tls_context(implicit_tls)
    for attempt in range(5):  # another process may take the free port between the probe and the bind
        port = free_port()
        controller = Controller(handler, hostname=HOST, port=port, server_hostname="smtp.test", **auth)
        try:
            controller.start()
            break
        except OSError:
            if attempt == 4:
                raise
    try:
        yield SmtpServer(handler, controller, port)
    finally:
        controller.stop()
