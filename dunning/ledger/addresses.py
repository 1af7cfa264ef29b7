"""The one rule for an email address the project writes to: a plain addr-spec (name@example.com), in ASCII,
one line, nothing around it. Contacts hold such addresses; the review, the documents' message and the mail
transports all check with address_problem(), each naming the record in its own words.

Standard library only (email.headerregistry parses); imports nothing of the project.
"""

from __future__ import annotations

import re
from email.errors import HeaderParseError, MessageDefect
from email.headerregistry import Address

_HOSTNAME = re.compile(
    r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
_HINT = "is not a plain email address; write it as name@example.com"


def address_problem(address: object) -> str | None:
    """None for a plain address, else what is wrong, worded to follow the address: 'contains a line break;
    write one address on one line' or 'is not a plain email address; write it as name@example.com ...'."""
    if not isinstance(address, str) or not address or address != address.strip():
        return _HINT + " (no spaces around it)"
    if "\r" in address or "\n" in address:
        return "contains a line break; write one address on one line"
    if not address.isascii():
        return _HINT + " in ASCII (an international domain in its xn-- form)"
    try:
        parsed = Address(addr_spec=address)
    except (ValueError, IndexError, HeaderParseError, MessageDefect) as exc:
        return f"{_HINT} ({exc})"
    if parsed.addr_spec != address or not parsed.username or not _HOSTNAME.match(parsed.domain):
        return _HINT
    return None
