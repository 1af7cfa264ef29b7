"""Mail: delivering a finished email.message.EmailMessage through a transport, and nothing else.

- transport.py: the Transport protocol every sender speaks (open a connection for a batch, send one message
  to its recipients), the Delivery it returns, TemporaryFailure / PermanentFailure / DeliveryUnknown, and the
  envelope checks (no line break in a header, plain addresses) every transport makes before sending;
- outbox.py: the outbox folder of .eml files, the embedded default transport (one file per Message-ID, so
  a reminder is never written twice);
- smtp.py: SMTP (none, STARTTLS or SSL) over one connection per batch, reconnecting when the server drops
  it, retrying 4xx answers with backoff, refusing header injection before connecting (the only smtplib user);
- settings.py: which transport the environment (DUNNING_SMTP_*, DUNNING_FROM, DUNNING_OUTBOX) configures.

It builds no message (dunning.documents does, and the two are siblings: neither imports the other) and
records nothing (dunning.dispatch does). It may import dunning.ledger (the address rule), dunning.db, dunning.errors and dunning.money only.
"""

from dunning.mail.outbox import OutboxTransport
from dunning.mail.settings import describe, transport_from_env
from dunning.mail.smtp import SmtpSettings, SmtpTransport, send_test
from dunning.mail.transport import Delivery, DeliveryUnknown, PermanentFailure, TemporaryFailure, Transport

__all__ = [
    "Delivery",
    "DeliveryUnknown",
    "OutboxTransport",
    "PermanentFailure",
    "SmtpSettings",
    "SmtpTransport",
    "TemporaryFailure",
    "Transport",
    "describe",
    "send_test",
    "transport_from_env",
]
