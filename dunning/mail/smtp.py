"""Delivery over SMTP (the only smtplib user): one connection per batch, plain, STARTTLS or SSL.

`SmtpTransport.send` checks the envelope before it connects (no header with a line break of its own, plain
recipient addresses), then runs one mail transaction step by step so that it knows how far it got:

- a 4xx answer to MAIL, to every RCPT or to DATA, or a server that cannot be reached, is retried after the
  injected backoff delays, then raises TemporaryFailure: the message may be sent later;
- a 5xx answer to MAIL or DATA raises PermanentFailure with the server's code and text; a recipient refused
  with 5xx is named in Delivery.refused while the others get the message; all refused: PermanentFailure;
- a connection the server dropped (a batch outliving its idle timeout) is reopened once and the message sent
  again, as long as the message's final dot had not been sent: nothing can have been accepted yet;
- a connection lost after the final dot and before the server's answer raises DeliveryUnknown: the server
  may have accepted the message, and sending it again could deliver it twice, so a person decides.

The password goes to the server's AUTH command and nowhere else: not in repr, description or any message.
"""

from __future__ import annotations

import copy
import re
import smtplib
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, getaddresses, localtime, make_msgid
from types import TracebackType

from dunning.errors import BadInput
from dunning.mail.transport import (
    Delivery,
    DeliveryUnknown,
    MailError,
    PermanentFailure,
    TemporaryFailure,
    Transport,
    check_address,
    check_envelope,
)

SECURITY = ("none", "starttls", "ssl")
_LABEL = {"none": "no encryption", "starttls": "STARTTLS", "ssl": "SSL"}
_LEADING_DOTS = re.compile(rb"(?m)^\.")


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to reach the SMTP server. The password is kept out of repr."""

    host: str
    port: int = 587
    security: str = "starttls"  # none | starttls | ssl
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    from_address: str | None = None  # the envelope sender; else the message's From
    timeout: float = 30.0

    def __post_init__(self) -> None:
        if not self.host or any(c in self.host for c in " \r\n/"):
            raise BadInput(f"SMTP host {self.host!r} is not a host name; write it as mail.example.com")
        if self.security not in SECURITY:
            raise BadInput(f"SMTP security {self.security!r} is unknown; write one of {', '.join(SECURITY)}")
        if not 0 < self.port < 65536:
            raise BadInput(f"SMTP port {self.port} is out of range; write a number from 1 to 65535")
        if self.timeout <= 0:
            raise BadInput(f"SMTP timeout {self.timeout} must be more than 0 seconds")
        if self.from_address is not None:
            check_address(self.from_address, "sender")

    @property
    def description(self) -> str:
        who = f", as {self.user}" if self.user else ""
        return f"SMTP {self.host}:{self.port} ({_LABEL[self.security]}{who})"


class _Retry(Exception):
    """A 4xx answer: the same message may succeed after a pause."""

    def __init__(self, code: int, text: str, step: str) -> None:
        super().__init__(code, text, step)
        self.code, self.text, self.step = code, text, step


class _Dropped(Exception):
    """The connection broke before the message's final dot: nothing was accepted, safe to send again."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return " ".join(text.split())


class SmtpTransport:
    """Sends messages through one SMTP server. `with SmtpTransport(settings) as t: t.send(...)` keeps one
    connection for the batch; `sleep` and `backoff` are injectable so that tests do not wait."""

    def __init__(
        self,
        settings: SmtpSettings,
        retries: int = 3,
        backoff: Sequence[float] = (1.0, 4.0, 15.0),
        sleep: Callable[[float], object] = time.sleep,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        if retries < 0:
            raise BadInput(f"retries must be 0 or more, not {retries}")
        self.settings = settings
        self.retries = retries
        self.backoff = tuple(backoff) or (0.0,)
        self.sleep = sleep
        self._ssl_context = ssl_context
        self._conn: smtplib.SMTP | None = None
        self._served = 0  # messages sent over the open connection
        self.description = settings.description

    def __repr__(self) -> str:
        return f"SmtpTransport({self.settings!r})"

    def __enter__(self) -> SmtpTransport:
        self._connection()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Say QUIT and close the connection, if one is open."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            conn.quit()
        except (smtplib.SMTPException, OSError):
            conn.close()

    # --- connection ---------------------------------------------------------------------------------------

    def _context(self) -> ssl.SSLContext:
        return self._ssl_context or ssl.create_default_context()

    def _connection(self) -> smtplib.SMTP:
        """The open connection, opening and logging in if there is none (errors as Temporary/Permanent)."""
        if self._conn is not None:
            return self._conn
        s = self.settings
        where = f"the SMTP server {s.host}:{s.port}"
        conn: smtplib.SMTP | None = None
        try:
            if s.security == "ssl":
                conn = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=self._context())
            else:
                conn = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            conn.ehlo()
            if s.security == "starttls":
                if not conn.has_extn("starttls"):
                    raise PermanentFailure(
                        f"{where} does not offer STARTTLS; set DUNNING_SMTP_SECURITY=ssl (usually port 465) "
                        "or, on a trusted network only, none"
                    )
                conn.starttls(context=self._context())
                conn.ehlo()
            if s.user:
                conn.login(s.user, s.password or "")
        except MailError:
            _discard(conn)
            raise
        except smtplib.SMTPAuthenticationError as exc:
            _discard(conn)
            failure = TemporaryFailure if 400 <= exc.smtp_code < 500 else PermanentFailure
            raise failure(
                f"{where} refused the login of {s.user!r} ({exc.smtp_code} {_text(exc.smtp_error)}); "
                "check DUNNING_SMTP_USER and DUNNING_SMTP_PASSWORD",
                exc.smtp_code,
                _text(exc.smtp_error),
            ) from None
        except smtplib.SMTPNotSupportedError:
            _discard(conn)
            raise PermanentFailure(
                f"{where} offers no login (AUTH); leave DUNNING_SMTP_USER unset or use its submission port"
            ) from None
        except ssl.SSLError as exc:
            _discard(conn)
            raise PermanentFailure(
                f"no secure connection to {where} ({exc.reason or exc.__class__.__name__}); check "
                "DUNNING_SMTP_SECURITY and DUNNING_SMTP_PORT (ssl: usually 465, starttls: usually 587)"
            ) from None
        except smtplib.SMTPResponseException as exc:
            _discard(conn)
            failure = TemporaryFailure if 400 <= exc.smtp_code < 500 else PermanentFailure
            raise failure(
                f"{where} answered {exc.smtp_code} {_text(exc.smtp_error)} when connecting",
                exc.smtp_code,
                _text(exc.smtp_error),
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            _discard(conn)
            raise _Dropped(f"cannot connect to {where} ({_reason(exc)})") from None
        self._conn, self._served = conn, 0
        return conn

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        _discard(conn)

    # --- sending ------------------------------------------------------------------------------------------

    def send(self, message: EmailMessage, recipients: Sequence[str]) -> Delivery:
        check_envelope(message, recipients)
        sender = self.settings.from_address or _header_sender(message)
        data = _wire_bytes(message)
        label = str(message.get("Message-ID") or message.get("Subject") or "the message")
        failures = 0
        reopened = False
        while True:
            try:
                fresh = self._conn is None
                conn = self._connection()
                delivery = self._transaction(conn, sender, list(recipients), data, label)
                self._served += 1
                return delivery
            except _Dropped as exc:
                self._drop()
                if not fresh and not reopened:
                    reopened = True  # a kept connection the server closed: reopen at once, once
                    continue
                problem, code, text = exc.reason, None, ""
            except PermanentFailure:
                self._reset()  # the connection stays usable for the rest of the batch
                raise
            except _Retry as exc:
                self._reset()
                problem, code, text = f"{exc.code} {exc.text} (to {exc.step})", exc.code, exc.text
            if failures >= self.retries:
                raise TemporaryFailure(
                    f"{label} was not sent: {problem}, {failures + 1} attempt(s); it may be sent again later",
                    code,
                    text,
                )
            self.sleep(self.backoff[min(failures, len(self.backoff) - 1)])
            failures += 1

    def _reset(self) -> None:
        if self._conn is None:
            return
        try:
            self._conn.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()

    def _transaction(
        self, conn: smtplib.SMTP, sender: str, recipients: list[str], data: bytes, label: str
    ) -> Delivery:
        """MAIL, RCPT for each recipient, DATA: one message, answers mapped to the Delivery or errors."""
        try:
            options = ["BODY=8BITMIME"] if conn.has_extn("8bitmime") and not data.isascii() else []
            code, reply = conn.mail(sender, options)
            _check(code, reply, "MAIL FROM", label)
            accepted: list[str] = []
            refused: dict[str, tuple[int, str]] = {}
            for rcpt in recipients:
                code, reply = conn.rcpt(rcpt)
                if code in (250, 251):
                    accepted.append(rcpt)
                else:
                    refused[rcpt] = (code, _text(reply))
            if not accepted:
                if any(400 <= c < 500 for c, _ in refused.values()):
                    code, text = next((c, t) for c, t in refused.values() if 400 <= c < 500)
                    raise _Retry(code, text, "RCPT TO")
                raise PermanentFailure(
                    f"{label} was not sent: every recipient was refused: "
                    + "; ".join(f"{r}: {c} {t}" for r, (c, t) in refused.items()),
                    next(iter(refused.values()))[0],
                    next(iter(refused.values()))[1],
                )
            code, reply = conn.docmd("DATA")
            if code != 354:
                _check(code, reply, "DATA", label)
                raise PermanentFailure(f"{label} was not sent: DATA answered {code} {_text(reply)}", code)
            payload = _LEADING_DOTS.sub(b"..", data)
            if not payload.endswith(b"\r\n"):
                payload += b"\r\n"
            conn.send(payload + b".\r\n")
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            raise _Dropped(f"the connection broke ({_reason(exc)})") from None
        try:
            code, reply = conn.getreply()
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self._drop()
            raise DeliveryUnknown(
                f"{label}: the connection broke after the message was sent and before the server answered "
                f"({_reason(exc)}); it may have been delivered, so it is not sent again: check the recipient's "
                "mailbox or the server's log"
            ) from None
        _check(code, reply, "the message (end of DATA)", label)
        return Delivery(accepted=tuple(accepted), refused=refused, server_reply=f"{code} {_text(reply)}")


def _check(code: int, reply: bytes, step: str, label: str) -> None:
    """Nothing for a 2xx/3xx answer; _Retry for 4xx; PermanentFailure with the server's words for 5xx."""
    if code < 400:
        return
    if code < 500:
        raise _Retry(code, _text(reply), step)
    raise PermanentFailure(
        f"{label} was not sent: the server answered {code} {_text(reply)} to {step}", code, _text(reply)
    )


def _reason(exc: BaseException) -> str:
    return str(exc) or exc.__class__.__name__


def _discard(conn: smtplib.SMTP | None) -> None:
    if conn is not None:
        try:
            conn.close()
        except OSError:
            pass


def _header_sender(message: EmailMessage) -> str:
    for name in ("Sender", "From"):
        values = message.get_all(name) or []
        addresses = [a for _, a in getaddresses([str(v) for v in values]) if a]
        if addresses:
            return check_address(addresses[0], f"{name} address")
    raise BadInput("the message has no From address and no sender is configured; set DUNNING_FROM")


def _wire_bytes(message: EmailMessage) -> bytes:
    """The message as it goes over the wire: CRLF line ends, Bcc headers removed (recipients see no Bcc)."""
    if message.get("Bcc") is not None or message.get("Resent-Bcc") is not None:
        message = copy.deepcopy(message)
        del message["Bcc"]
        del message["Resent-Bcc"]
    return message.as_bytes(policy=SMTP)


def send_test(transport: Transport, to: str, from_address: str) -> Delivery:
    """Send a short test message to `to` through `transport` (any Transport): the "send a test email"
    button. Returns the Delivery, or raises the transport's errors, which say what to fix."""
    check_address(to)
    check_address(from_address, "sender")
    msg = EmailMessage(policy=SMTP)
    msg["From"] = from_address
    msg["To"] = to
    msg["Subject"] = "dunning: test email"
    msg["Date"] = format_datetime(localtime())
    msg["Message-ID"] = make_msgid("dunning-test", domain=from_address.rpartition("@")[2])
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(
        f"This is a test email from dunning, sent through {transport.description}.\n"
        "If you can read it, reminders can be sent this way.\n"
    )
    with transport as opened:
        return opened.send(msg, [to])
