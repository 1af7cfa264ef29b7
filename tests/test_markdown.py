from __future__ import annotations

import string

import pytest

from dunning.ui.markdown import literal


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("![x](http://host/img.png)", r"\!\[x\]\(http\:\/\/host\/img\.png\)"),
        ("**Acme** & Co_", r"\*\*Acme\*\* \& Co\_"),
        (":red[alarm] $x$", r"\:red\[alarm\] \$x\$"),
        ("Müller Söhne 1-7", r"Müller Söhne 1\-7"),
    ],
)
def test_markdown_specials_are_escaped(text: str, shown: str) -> None:
    assert literal(text) == shown


def test_every_ascii_punctuation_mark_is_escaped_and_nothing_else() -> None:
    for c in string.printable:
        assert literal(c) == ("\\" + c if c in string.punctuation else c)
