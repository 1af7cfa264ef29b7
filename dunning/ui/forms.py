"""Saving a form or a table editor in its widget callback, and showing the outcome under it.

A callback runs before the page runs again, so a saved form can be cleared (and a table editor reset to the
saved rows) while a rejected one keeps what the user typed. The outcome waits in st.session_state under
"KEY_message" until show_outcome(KEY) draws it, once, where the page calls it. A table editor keyed
"KEY_editor" keeps its checked rows under "KEY_pending" for save_edits (None while a problem is listed).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from dunning.errors import DunningError
from dunning.ui.markdown import literal


def save(key: str, action: Callable[[], object], success: str) -> bool:
    """Run action (in a callback); keep its outcome under KEY_message: success, or the project's error."""
    try:
        action()
    except DunningError as exc:
        st.session_state[f"{key}_message"] = ("error", str(exc))
        return False
    st.session_state[f"{key}_message"] = ("success", success)
    return True


def show_outcome(key: str) -> None:
    """The outcome save kept under KEY_message, shown once."""
    kind, text = st.session_state.pop(f"{key}_message", (None, ""))
    if kind:
        (st.error if kind == "error" else st.success)(text)


def save_edits(key: str, write: Callable[[Any], object], success: str) -> None:
    """Save button callback of a table editor: writes the rows under KEY_pending, then resets KEY_editor.

    success may name the number of rows saved as {n}.
    """
    pending = st.session_state.get(f"{key}_pending")
    if pending is None:
        return
    if save(key, lambda: write(pending), success.format(n=len(pending))):
        st.session_state.pop(f"{key}_editor", None)


def show_problems(what: str, problems: Sequence[str]) -> None:
    """Every problem that keeps an edit from being saved, in one message."""
    if problems:
        st.error(f"These {what} cannot be saved yet:\n\n" + "\n".join(f"- {literal(p)}" for p in problems))
