"""Import a company's own data from its ERP's exports: ledger entries (open items), customers and contacts.
Upload, say what the file holds (told from its columns), confirm the columns matched from their names,
preview, import; remove the sample data first; undo a ledger import from the recent imports below."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dunning.access import Action
from dunning.ledger.imports import importer
from dunning.ledger.imports.party_fields import KINDS, detect_kind
from dunning.ledger.imports.readers import RawTable
from dunning.sample import remove
from dunning.ui import import_batches, import_ledger, import_parties
from dunning.ui.auth import can
from dunning.ui.markdown import literal
from dunning.ui.session import database, shown_errors

EXAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "bc-customer-ledger-entries-example.csv"
KIND_LABELS = {"ledger": "Ledger entries (open items)", "customers": "Customers",
               "contacts": "Contacts or contact business relations"}  # fmt: skip

st.title("Import", anchor=False)
st.caption(
    "CSV or TXT (comma or semicolon, UTF-8, UTF-16 or Windows-1252), XLSX/XLSM or Parquet: ledger entries, "
    "customers or contacts. Columns are matched from their names (Business Central's exports and most others); "
    "check them below. Importing a file again adds nothing twice."
)
db = database()
if remove.holds_sample(db):
    untouched = remove.holds_untouched_sample(db)
    with st.expander("Sample data", expanded=untouched, icon=":material/science:"):
        st.write(
            "This database holds the invented sample customers and invoices. Remove them before importing your "
            "own, so the overview and the reminders show your data alone. Your imports, terms and company stay."
        )
        if can(Action.SETTINGS):
            sure = st.checkbox("Yes, delete the sample's customers, contacts, entries and reminders",
                               key="import_sample_sure")  # fmt: skip
            if st.button(
                "Remove the sample data", key="import_sample_remove", disabled=not sure, type="primary"
            ):
                with shown_errors():
                    st.session_state["import_sample_removed"] = remove.remove_sample(db).summary()
                    st.rerun()
        else:
            st.caption("Removing it needs the admin role.")
if done := st.session_state.pop("import_sample_removed", None):
    st.success(done[:1].upper() + done[1:] + ".", icon=":material/delete_sweep:")

upload = st.file_uploader("Export file", type=list(importer.FORMATS), key="import_upload")
if st.button("Load an example export (Business Central)", key="import_example", icon=":material/draft:"):
    st.session_state["import_source"] = (EXAMPLE.name, EXAMPLE.read_bytes())
source = (upload.name, upload.getvalue()) if upload is not None else st.session_state.get("import_source")
table: RawTable | None = None
if source is None:
    st.info("Choose a file to import, or load the example export to see how it works.")
else:
    with shown_errors():
        table = importer.read_upload(source[1], source[0])

if table is not None:
    detected = detect_kind(table.columns)
    kind = st.radio(
        "What the file holds", KINDS, index=KINDS.index(detected or "ledger"),
        key=f"import_kind_{table.sha256[:12]}", format_func=KIND_LABELS.__getitem__, horizontal=True,
        help="Told from the file's columns where they say it; change it when the guess is wrong.",
    )  # fmt: skip
    st.write(f"**{literal(table.file)}**: {len(table.frame):,} rows, {len(table.columns):,} columns")
    if detected is None:
        st.caption("Its columns do not say what it holds: ledger entries are assumed. Choose above if it holds "
                   "customers or contacts.")  # fmt: skip
    if kind == "ledger":
        import_ledger.draw(db, table)
    else:
        import_parties.draw(db, table, kind)

import_batches.draw(db)
