"""The Import page's preview of the rows as they will be stored, narrowed to fit a 1440 px screen: the columns
that matter first, and the columns empty on every row shown left out (the caption says how many)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dunning.ui.markdown import literal

FIRST = (  # what a person checks first in a preview, in this order, where the file has it
    "document_type", "document_no", "customer_no", "customer_name", "name", "due_date", "amount",
    "remaining_amount", "currency", "email", "role", "phone",
)  # fmt: skip


def narrowed(rows: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The preview's columns that matter first, without the ones empty on every row; and how many those were."""
    empty = [c for c in rows.columns if rows[c].map(lambda v: v is None or str(v) == "").all()]
    first = [c for c in FIRST if c in rows.columns and c not in empty]
    rest = [c for c in rows.columns if c not in first and c not in empty]
    return rows[first + rest], len(empty) if len(rows) else 0


def draw(rows: pd.DataFrame, rows_read: int, key: str) -> None:
    """The subheading, a caption saying what is shown, and the rows."""
    shown, left_out = narrowed(rows)
    st.subheader("Preview", anchor=False)
    empty = (
        f"; {left_out:,} column{'s' if left_out != 1 else ''} empty on every row shown left out"
        if left_out
        else ""
    )
    st.caption(f"The first {len(rows):,} of {rows_read:,} rows as they will be stored{empty}.")
    st.dataframe(shown if len(rows) else rows, width="stretch", key=key)


def problems(grouped: pd.DataFrame) -> None:
    """The problems grouped (rows, first rows, column, problem) as a table whose problem text wraps whole: one
    line per kind of problem, so it stays short; past a screenful it scrolls."""
    # st.table renders Markdown in its cells, and a problem quotes the file's values and column names
    shown = (
        grouped.astype(str)
        .map(literal)
        .rename(
            columns={"rows": "Rows", "first rows": "First rows", "column": "Column", "problem": "Problem"}
        )
    )
    st.table(shown, hide_index=True, height="content" if len(shown) <= 12 else 480)
