"""What every transport speaks: open one connection for a batch, send a message to its recipients, say what
the server accepted and refused.

A transport either returns a Delivery (the message left: some or all recipients accepted) or raises:
TemporaryFailure when the message may be sent again later (4xx answers after the retries, a server that cannot
be reached), PermanentFailure when sending it again would fail the same way (5xx to the message, every
recipient refused, a message already in the outbox), DeliveryUnknown when the server may have accepted it
but never said so (the connection broke after the whole message was sent): never resent silently. Messages
carry the server's code and text, never a password.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from types import TracebackType
from typing import Protocol

from dunning.errors import BadInput, DunningError
from dunning.ledger.addresses import address_problem

# a line break that does not continue a folded header (CRLF or LF followed by a space or tab)
_INJECTED_BREAK = re.compile(r"\r(?!\n[ \t])|\n(?![ \t])")


@dataclass(frozen=True)
class Delivery:
    """What the transport's server accepted for one message."""

    accepted: tuple[str, ...]
    refused: dict[str, tuple[int, str]] = field(default_factory=dict)  # recipient -> (code, server text)
    server_reply: str = ""


class MailError(DunningError):
    """A message was not delivered; the text says why and, for a server's answer, its code and words."""

    def __init__(self, message: str, code: int | None = None, server_text: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.server_text = server_text


class TemporaryFailure(MailError):
    """Not delivered now (a 4xx answer after the retries, or no connection): the message may be retried."""


class PermanentFailure(MailError):
    """Not delivered and never will be as it stands: 5xx for the message, every recipient refused, or
    already delivered (same Message-ID in the outbox)."""


class DeliveryUnknown(MailError):
    """The connection was lost after the whole message was sent and before the server answered: it may or
    may not have been accepted. Never retried, so it is never delivered twice; a person decides."""


class Transport(Protocol):
    """Delivers finished messages. Use as a context manager around a batch: one connection serves it."""

    description: str  # for people: "SMTP mail.example.com:587 (STARTTLS)", "outbox /path"; never a password

    def __enter__(self) -> Transport: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def send(self, message: EmailMessage, recipients: Sequence[str]) -> Delivery:
        """Deliver `message` to `recipients` (the envelope: To, Cc and Bcc together)."""
        ...


def check_address(address: str, what: str = "recipient") -> str:
    """The plain addr-spec `address` (local@domain.tld), or BadInput naming it and saying what to write."""
    problem = address_problem(address)
    if problem:
        raise BadInput(f"{what} {address!r} {problem}")
    return address


def check_envelope(message: EmailMessage, recipients: Sequence[str]) -> None:
    """Refuse, before anything is sent, a header value with a line break of its own (header injection)
    in the message or any of its parts, an empty recipient list and any recipient that is not a plain
    address. Raises BadInput naming the header or the address."""
    if isinstance(recipients, str):
        raise BadInput(f"recipients must be a list of addresses, not the single string {recipients!r}")
    if not recipients:
        raise BadInput(f"message {message.get('Message-ID', '(no Message-ID)')!r} has no recipients")
    for address in recipients:
        check_address(address)
    for part in message.walk():
        for name, value in part.raw_items():
            text = str(value)
            if _INJECTED_BREAK.search(text) or _INJECTED_BREAK.search(name):
                raise BadInput(
                    f"header {name!r} of message {message.get('Message-ID', '(no Message-ID)')!r} contains "
                    "a line break (CR or LF); a header value must be one line, so the message was not sent"
                )
