"""Which transport the environment configures: SMTP when DUNNING_SMTP_HOST is set, else the outbox folder.

    DUNNING_SMTP_HOST      the server, e.g. mail.example.com (unset: no SMTP, the outbox is used)
    DUNNING_SMTP_PORT      default 587 for starttls, 465 for ssl, 25 for none
    DUNNING_SMTP_SECURITY  none | starttls | ssl (default starttls)
    DUNNING_SMTP_USER      login name, when the server wants one; DUNNING_SMTP_PASSWORD its password
    DUNNING_FROM           the envelope sender (else each message's From)
    DUNNING_OUTBOX         the outbox folder (default outbox/ beside the database file; ./outbox for an
                           in-memory database)

The app passes its environment merged with Streamlit secrets, the command line os.environ. A wrong value is
a BadInput naming the variable and saying what to write; the password is never part of any text.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from dunning.errors import BadInput
from dunning.mail.outbox import OutboxTransport
from dunning.mail.smtp import SECURITY, SmtpSettings, SmtpTransport
from dunning.mail.transport import Transport, check_address

DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
SMTP_VARIABLES = (
    "DUNNING_SMTP_HOST",
    "DUNNING_SMTP_PORT",
    "DUNNING_SMTP_SECURITY",
    "DUNNING_SMTP_USER",
    "DUNNING_SMTP_PASSWORD",
)


def _value(environ: Mapping[str, str], name: str) -> str | None:
    """The variable's value without surrounding blanks; None when unset or empty."""
    raw = environ.get(name)
    if raw is None:
        return None
    value = str(raw).strip()
    return value or None


def smtp_settings_from_env(environ: Mapping[str, str]) -> SmtpSettings | None:
    """The SMTP settings the environment gives, or None when DUNNING_SMTP_HOST is not set."""
    host = _value(environ, "DUNNING_SMTP_HOST")
    if host is None:
        stray = [n for n in SMTP_VARIABLES[1:] if _value(environ, n) is not None]
        if stray:
            raise BadInput(
                f"{', '.join(stray)} {'is' if len(stray) == 1 else 'are'} set but DUNNING_SMTP_HOST is not; "
                "set DUNNING_SMTP_HOST to the SMTP server (e.g. mail.example.com), or unset them to use the outbox"
            )
        return None
    if any(c.isspace() or c in "/:@" for c in host):
        raise BadInput(
            f"DUNNING_SMTP_HOST={host!r} is not a host name; write the server's name alone, e.g. mail.example.com "
            "(the port goes in DUNNING_SMTP_PORT)"
        )
    security = (_value(environ, "DUNNING_SMTP_SECURITY") or "starttls").lower()
    if security not in SECURITY:
        raise BadInput(
            f"DUNNING_SMTP_SECURITY={security!r} is unknown; write starttls (usually port 587), ssl (usually 465) "
            "or none (port 25, trusted networks only)"
        )
    port_text = _value(environ, "DUNNING_SMTP_PORT")
    if port_text is None:
        port = DEFAULT_PORTS[security]
    else:
        try:
            port = int(port_text)
        except ValueError:
            port = 0
        if not 0 < port < 65536:
            raise BadInput(
                f"DUNNING_SMTP_PORT={port_text!r} is not a port; write a number such as "
                f"{DEFAULT_PORTS[security]} (1 to 65535)"
            )
    user = _value(environ, "DUNNING_SMTP_USER")
    password = environ.get("DUNNING_SMTP_PASSWORD") or None  # kept as written: blanks may belong to it
    if password is not None and user is None:
        raise BadInput(
            "DUNNING_SMTP_PASSWORD is set but DUNNING_SMTP_USER is not; set the login name as well"
        )
    if user is not None and password is None:
        raise BadInput(
            f"DUNNING_SMTP_USER={user!r} is set but DUNNING_SMTP_PASSWORD is not; set the password too"
        )
    from_address = _value(environ, "DUNNING_FROM")
    if from_address is not None:
        try:
            check_address(from_address, "DUNNING_FROM")
        except BadInput as exc:
            raise BadInput(f"{exc} (the address alone, without a name)") from None
    return SmtpSettings(
        host=host, port=port, security=security, user=user, password=password, from_address=from_address
    )


def outbox_folder(environ: Mapping[str, str], db_path: Path | None) -> Path:
    """DUNNING_OUTBOX, else outbox/ beside the database file, else ./outbox (in-memory database)."""
    configured = _value(environ, "DUNNING_OUTBOX")
    if configured is not None:
        folder = Path(configured).expanduser()
    elif db_path is None or str(db_path) == ":memory:":
        folder = Path("outbox")
    else:
        folder = Path(db_path).expanduser().absolute().parent / "outbox"
    if folder.exists() and not folder.is_dir():
        raise BadInput(f"the outbox {folder} is a file, not a folder; set DUNNING_OUTBOX to a folder")
    return folder.absolute()


def transport_from_env(environ: Mapping[str, str], db_path: Path | None) -> Transport:
    """The configured transport: SMTP when DUNNING_SMTP_HOST is set, else the outbox folder."""
    settings = smtp_settings_from_env(environ)
    if settings is not None:
        return SmtpTransport(settings)
    return OutboxTransport(outbox_folder(environ, db_path))


def describe(environ: Mapping[str, str], db_path: Path | None) -> str:
    """One sentence for the page and the send confirmation: where reminders go and how to change it."""
    settings = smtp_settings_from_env(environ)
    if settings is not None:
        sender = f", sent from {settings.from_address}" if settings.from_address else ""
        return f"{settings.description}{sender}: reminders are sent by email through this server."
    folder = outbox_folder(environ, db_path)
    return (
        f"Outbox folder {folder}: no SMTP server configured, so each reminder is written there as an .eml file "
        "and nobody receives it (set DUNNING_SMTP_HOST, and DUNNING_SMTP_USER and DUNNING_SMTP_PASSWORD if the "
        "server wants a login, to send by email)."
    )
