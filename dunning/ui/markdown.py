"""User text inside Streamlit's Markdown (headings, metric labels, captions) stays literal.

CommonMark lets any ASCII punctuation be escaped with a backslash, and Streamlit's own directives (:red[...],
:material/icon:, $math$) start with punctuation too, so escaping every ASCII punctuation character keeps a
customer name such as `![x](http://host/img.png)` or `**Acme**` as the text it is: no image, no link, no bold.
"""

from __future__ import annotations

import string

_ESCAPES = str.maketrans({c: "\\" + c for c in string.punctuation})


def literal(text: object) -> str:
    """Text that Markdown shows as written."""
    return str(text).translate(_ESCAPES)


def literal_lines(text: object) -> str:
    """Text of several lines (an error listing its problems) that Markdown shows as written, line by line."""
    return "  \n".join(literal(line) for line in str(text).splitlines())
