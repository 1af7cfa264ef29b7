"""The one address rule the review, the message and the transports share."""

from __future__ import annotations

import pytest

from dunning.ledger.addresses import address_problem


@pytest.mark.parametrize(
    "address", ["ap@c1.example", "first.last+tag@mail.northwind.example", "x@xn--bcher-kva.de"]
)
def test_plain_addresses_pass(address):
    assert address_problem(address) is None


@pytest.mark.parametrize(
    ("address", "says"),
    [
        ("x@c1.example\r\nBcc: evil@x.example", "line break"),
        (" ap@c1.example", "no spaces around it"),
        ("bücher@c1.example", "ASCII"),
        ("a@b", "not a plain email address"),
        ("Ann <ann@c1.example>", "not a plain email address"),
        ("x@example.com, y@example.com", "not a plain email address"),
        ("not an address", "not a plain email address"),
        ("", "not a plain email address"),
    ],
)
def test_anything_else_is_named_with_what_to_write(address, says):
    problem = address_problem(address)
    assert problem is not None and says in problem
