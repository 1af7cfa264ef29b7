"""What every transport speaks: open one connection for a batch, send a message to its recipients, say what
the server accepted and refused.

A transport either returns a Delivery (the message left: some or all recipients accepted) or raises:
TemporaryFailure when the message may be sent again later (4xx answers after the retries, a server that cannot
be reached), PermanentFailure when sending it again would fail the same way (5xx to the message, every
recipient refused, a message already in the outbox). Messages carry the server's code and text, never a
password.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from types import TracebackType
from typing import Protocol

from dunning.errors import DunningError


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
