"""Import open items from an ERP export: upload, confirm the columns matched from their names and how the dates
read, preview, import; remove the sample data first."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from dunning.ledger.imports import importer
from dunning.ledger.imports.mapping import FIELDS, PRESET_LABELS, REQUIRED, Mapping, mapping_from_columns
from dunning.sample import remove
from dunning.ui.markdown import literal
from dunning.ui.session import database, shown_errors

EXAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "bc-customer-ledger-entries-example.csv"
UNMAPPED = "(not mapped)"

st.title("Import open items", anchor=False)
st.caption(
    "CSV or TXT (comma or semicolon, UTF-8 or Windows-1252), XLSX/XLSM or Parquet. Columns are matched from "
    "their names (Business Central's 'Customer Ledger Entries' export and most others); check them below. "
    "Entries are matched by document type and number: importing a file again adds nothing twice."
)
db = database()
if remove.holds_sample(db):
    untouched = remove.holds_untouched_sample(db)
    with st.expander("Sample data", expanded=untouched, icon=":material/science:"):
        st.write(
            "This database holds the invented sample customers and invoices. Remove them before importing your "
            "own, so the overview and the reminders show your data alone. Your imports, terms and company stay."
        )
        sure = st.checkbox("Yes, delete the sample's customers, contacts, entries and reminders",
                           key="import_sample_sure")  # fmt: skip
        if st.button("Remove the sample data", key="import_sample_remove", disabled=not sure, type="primary"):
            with shown_errors():
                st.session_state["import_sample_removed"] = remove.remove_sample(db).summary()
                st.rerun()
if done := st.session_state.pop("import_sample_removed", None):
    st.success(done[:1].upper() + done[1:] + ".", icon=":material/delete_sweep:")

upload = st.file_uploader("Export file", type=list(importer.FORMATS), key="import_upload")
if st.button("Load an example export (Business Central)", key="import_example", icon=":material/draft:"):
    st.session_state["import_source"] = (EXAMPLE.name, EXAMPLE.read_bytes())
source = (upload.name, upload.getvalue()) if upload is not None else st.session_state.get("import_source")
if source is None:
    st.info("Choose a file to import, or load the example export to see how it works.")
    st.stop()

table = None
with shown_errors():
    table = importer.read_upload(source[1], source[0])
if table is None:
    st.stop()

presets = list(PRESET_LABELS)
detected = importer.form_defaults(table).preset
tag = table.sha256[:12]  # widgets start from the defaults again for another file
preset = st.selectbox(
    "Columns", presets, index=presets.index(detected) if detected else None, key=f"import_preset_{tag}",
    format_func=PRESET_LABELS.__getitem__, placeholder="No column names recognised: map the columns below",
)  # fmt: skip
base = Mapping(preset=preset) if preset else Mapping(only_explicit=True)
defaults = importer.form_defaults(table, base)
st.write(f"**{literal(source[0])}**: {len(table.frame):,} rows, {len(table.columns):,} columns")

options = [UNMAPPED, *table.columns]
chosen: dict[str, str | None] = {}
with st.expander("Column mapping: the file's column for each field", expanded=detected is None,
                 icon=":material/table_convert:"):  # fmt: skip
    grid = st.columns(3)
    for i, name in enumerate(FIELDS):
        column = defaults.columns.get(name)
        value = grid[i % 3].selectbox(
            name + (" *" if name in REQUIRED else ""), options,
            index=options.index(column) if column in options else 0, key=f"import_map_{tag}_{preset}_{name}",
        )  # fmt: skip
        chosen[name] = None if value == UNMAPPED else value

readings = importer.date_readings(table, mapping_from_columns(chosen, None))
date_format = defaults.date_format
if readings:
    clear = len(readings) == 1 or readings[0].unreadable < readings[1].unreadable  # else the user chooses
    picked = st.radio(
        "Dates", readings, index=0 if clear else None, key=f"import_dates_{tag}_{preset}",
        format_func=lambda r: r.label, horizontal=True,
        help="How the file's dates read: each choice shows one of its dates as that choice reads it.",
    )  # fmt: skip
    if picked is None:
        st.warning("The dates read both ways: choose how the file means them." if readings[0].unreadable == 0
                   else "No reading reads every date: choose the one the file means; the dates it cannot read "
                   "are then listed as problems.", icon=":material/event:")  # fmt: skip
        st.stop()
    date_format = picked.format

currency = None
lcy = db.lcy()
if not chosen.get("currency"):
    currency = st.text_input(
        f"The file's currency (it has no currency column; the local currency is {lcy})", value=lcy,
        key=f"import_currency_{tag}", max_chars=3,
    ).strip().upper() or lcy  # fmt: skip
round_amounts = st.checkbox("Round amounts to the currency's minor unit", key="import_round",
                            help="Amounts with more decimals than their currency has (64982.589 USD) are rounded "
                            "half away from zero (64982.59); otherwise the file is refused.")  # fmt: skip
all_open = st.checkbox(
    "This file lists all open items (close what is missing)", key="import_all_open",
    help="Open entries in the database that are not in this file were paid: they are closed as of today.",
)  # fmt: skip
with shown_errors():
    mapping = mapping_from_columns(chosen, date_format, currency=currency, round_amounts=round_amounts)
    preview = importer.preview(db, table, mapping, all_open=all_open)
    st.subheader("Preview", anchor=False)
    st.caption(f"The first {len(preview.rows):,} of {preview.rows_read:,} rows as they will be stored.")
    st.dataframe(preview.shown(), width="stretch", key="import_preview")
    if preview.problems:
        st.error(
            f"{preview.problem_count():,} problem(s) in {literal(source[0])}: correct the file or the choices above; "
            "nothing can be imported until every row is right."
        )
        st.dataframe(preview.problem_frame(), width="stretch", hide_index=True, key="import_problems")
    else:
        rounding = importer.rounding_note(preview.rounded).lstrip("; ")
        st.success(f"All {preview.rows_read:,} rows are ready to import." + (f" {rounding[:1].upper()}{rounding[1:]}."
                   if rounding else ""), icon=":material/check_circle:")  # fmt: skip
    if preview.to_close is not None:
        (st.warning if preview.to_close else st.info)(
            f"{preview.to_close:,} open entries not in this file will be closed.",
            icon=":material/event_busy:",
        )
    if st.button(f"Import {preview.rows_read:,} rows", key="import_run", type="primary",
                 disabled=bool(preview.problems)):  # fmt: skip
        result = importer.import_table(db, table, mapping, all_open=all_open)
        st.success(result.summary(), icon=":material/done_all:")
        note = importer.overview_note(db, result, dt.date.today())
        st.info(note.text, icon=":material/dashboard:")
        try:
            st.page_link("pages/overview.py", label=f"Open the overview as of {note.as_of or 'today'}",
                         query_params={"as_of": note.as_of.isoformat()} if note.as_of else None,
                         icon=":material/dashboard:")  # fmt: skip
        except StreamlitPageNotFoundError:  # the page run on its own (tests): no navigation to link to
            st.caption(f"Overview as of: {note.as_of or 'today'}")
