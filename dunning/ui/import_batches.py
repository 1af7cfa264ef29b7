"""The Import page's list of recent imports, newest first, and undoing a ledger import as a whole.

An undo asks first: the import to undo is picked from the ones that can be (ledger imports not undone yet), a
box naming it must be ticked, then the button undoes it in one transaction. The core refuses, with nothing
changed, an undo that later imports or reminders depend on; that reason is shown as the project's errors are.
A person without the import right sees the list and no undo (the core refuses them too).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dunning.access import Action
from dunning.db import Database
from dunning.ledger.imports import undo
from dunning.ledger.imports.undo import Batch
from dunning.ui.auth import can
from dunning.ui.markdown import literal
from dunning.ui.session import shown_errors

SHOWN = 10  # imports listed
DONE = "import_undone"  # the summary of the undo just made, shown once after the page runs again
KINDS = {
    "ledger": "Ledger entries",
    "customers": "Customers",
    "contacts": "Contacts",
    "links": "Business relations",
}
cc = st.column_config


def frame(found: list[Batch]) -> pd.DataFrame:
    """The imports as the page lists them: no empty cell reads None, counts with thousands separators."""
    return pd.DataFrame(
        [{"import": b.batch_id, "file": b.file_name, "holds": KINDS.get(b.kind, b.kind),
          "imported": f"{b.imported_at:%Y-%m-%d %H:%M}", "by": b.imported_by or "", "rows": f"{b.rows_read:,}",
          "new": f"{b.inserted:,}", "changed": f"{b.updated:,}", "closed": f"{b.closed:,}" if b.closed else "",
          "undone": f"{b.undone_at:%Y-%m-%d %H:%M}" if b.undone_at else ""} for b in found],
        columns=["import", "file", "holds", "imported", "by", "rows", "new", "changed", "closed", "undone"],
    )  # fmt: skip


def draw(db: Database) -> None:
    st.subheader("Recent imports", anchor=False)
    found = undo.batches(db, SHOWN)
    if done := st.session_state.pop(DONE, None):
        st.success(literal(done[:1].upper() + done[1:]) + ".", icon=":material/undo:")
    if not found:
        st.caption("No file has been imported into this database yet.")
        return
    st.dataframe(
        frame(found), key="import_batches", hide_index=True, width="stretch",
        column_config={"import": cc.NumberColumn("Import", format="%d", width="small"), "file": "File",
                       "holds": "Holds", "imported": "Imported", "by": "By", "rows": "Rows", "new": "New",
                       "changed": "Changed", "closed": "Closed", "undone": "Undone"},
    )  # fmt: skip
    undoable = [b for b in found if b.undoable]
    if not can(Action.IMPORT):
        return
    if not undoable:
        why = ["those undone stay undone"] if any(b.undone_at for b in found) else []
        if any(b.kind != "ledger" for b in found):
            why.append("customers and contacts are changed on the customer page")
        st.caption(f"None of these imports can be undone: {'; '.join(why)}.")
        return
    st.caption(
        "Undo an import: the entries it added go; the entries it changed or closed return as they were; the "
        "customers and contacts it created go, and so do open drafts on its entries."
    )
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    picked = left.selectbox("Import to undo", undoable, key="import_undo_batch", format_func=Batch.describe)
    sure = right.checkbox(
        f"Yes, undo import {picked.batch_id} of {literal(picked.file_name)}",
        key=f"import_undo_sure_{picked.batch_id}",
    )
    if (
        st.button("Undo the import", key="import_undo_run", disabled=not sure, icon=":material/undo:")
        and sure
    ):
        with shown_errors():
            st.session_state[DONE] = undo.undo_import(db, picked.batch_id).summary()
            st.rerun()
