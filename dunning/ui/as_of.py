"""The overview's as-of field: any date from the ledger's first posting date to a year ahead, a link's
`?as_of=YYYY-MM-DD`, and a note beside the field when a date cannot be used.

The page reads the date before it draws the field (the filter row comes after the tiles in the page), so
`chosen()` settles the date at the top of the run and `field()` draws the widget and the note later. A link's
date is taken once, when the link is new; picking a date writes it into the address, so the address always
says which date the figures are for. A date outside the range is never silently replaced: the note says what
was asked and which date the figures show.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from dunning.aging.as_of import AsOfRange
from dunning.ui.markdown import literal

PARAM = "as_of"  # the query parameter other pages link with


def _note_key(key: str) -> str:
    return f"{key}_note"


def _link_key(key: str) -> str:
    return f"{key}_link"


def chosen(key: str, rng: AsOfRange, today: dt.date) -> dt.date:
    """The as-of date of this run: a new link's date, else the field's, else today. A date outside RNG (a
    link's, or one picked before the ledger changed) is refused with a note, and the figures stay on a date
    inside it that the note names."""
    state = st.session_state
    raw = st.query_params.get(PARAM)
    if raw is not None and raw != state.get(_link_key(key)):
        state[_link_key(key)] = raw
        day, problem = rng.parse(raw)
        if day is not None:
            state[key] = day
            state.pop(_note_key(key), None)
        else:
            state[_note_key(key)] = problem
    current = state.get(key) or today
    if problem := rng.problem(current):
        state[key] = min(max(current, rng.first), rng.last)
        state[_note_key(key)] = problem
    return state.get(key) or today


def _picked(key: str) -> None:
    """The field changed: the address carries the new date, and an old note goes."""
    day = st.session_state.get(key)
    if isinstance(day, dt.date):
        st.query_params[PARAM] = day.isoformat()
        st.session_state[_link_key(key)] = day.isoformat()
    st.session_state.pop(_note_key(key), None)


# The browser refuses a date typed outside the range and keeps the message for screen readers only (an error
# icon shows it on hover): shown under the field instead, so nobody takes the figures for the typed date.
ERROR_CSS = """<style>
.st-key-{key} {{ position: relative; }}
.st-key-{key} [role="alert"] {{ position: absolute !important; top: calc(100% + 4px); left: 0; z-index: 5;
  width: 26rem !important; height: auto !important; clip: auto !important; clip-path: none !important;
  margin: 0 !important; overflow: visible !important; white-space: normal !important; padding: 0.3rem 0.6rem;
  border-radius: 0.4rem; background: #FDECEA; color: #8A1C12; font-size: 0.85rem;
  box-shadow: 0 1px 4px rgba(0, 0, 0, 0.15); }}
.st-key-{key} [role="alert"]::after {{ content: " The figures stay as of {as_of}."; font-weight: 600; }}
</style>"""


def field(where: Any, key: str, rng: AsOfRange, as_of: dt.date) -> None:
    """The date field, limited to RNG: the browser refuses a date outside it, and says so under the field with
    the date the figures are for (AS_OF)."""
    where.html(ERROR_CSS.format(key=key, as_of=as_of.isoformat()))
    where.date_input(
        "As of", key=key, min_value=rng.first, max_value=rng.last, format="YYYY-MM-DD", on_change=_picked,
        args=(key,), help=f"Any date from {rng.first.isoformat()} (the ledger's first posting) to "
        f"{rng.last.isoformat()}",
    )  # fmt: skip


def note(key: str, as_of: dt.date) -> None:
    """Why the date asked for is not the one shown, if it is not."""
    problem = st.session_state.get(_note_key(key))
    if problem:
        st.warning(
            f"{literal(problem)}. The figures are as of {as_of.isoformat()}.", icon=":material/event_busy:"
        )
