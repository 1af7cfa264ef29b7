"""Import open items from an ERP export: upload, check the column mapping, preview, import."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dunning.ledger.imports import importer
from dunning.ledger.imports.mapping import FIELDS, PRESET_LABELS, REQUIRED, Mapping, mapping_from_columns
from dunning.ui.session import database, shown_errors

EXAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "bc-customer-ledger-entries-example.csv"
UNMAPPED = "(not mapped)"

st.title("Import open items", anchor=False)
st.caption(
    "CSV or TXT (comma or semicolon, UTF-8 or Windows-1252), XLSX/XLSM or Parquet. A Business Central "
    "'Customer Ledger Entries' export is recognised by its column names. Entries are matched by document "
    "type and number: importing a file again updates them and adds nothing twice."
)
db = database()
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
    "Column preset", presets, index=presets.index(detected) if detected else None, key=f"import_preset_{tag}",
    format_func=PRESET_LABELS.__getitem__, placeholder="No preset matches: map the columns below",
)  # fmt: skip
defaults = importer.form_defaults(table, Mapping(preset=preset) if preset else Mapping(only_explicit=True))
st.write(f"**{source[0]}**: {len(table.frame):,} rows, {len(table.columns)} columns")

options = [UNMAPPED, *table.columns]
chosen: dict[str, str | None] = {}
date_note = st.empty()  # the day/month order of the dates, when only the user can tell
expanded = detected is None or defaults.date_warning is not None
with st.expander("Column mapping", expanded=expanded, icon=":material/table_convert:"):
    date_format = st.text_input(
        "Date format (strptime, empty: YYYY-MM-DD)", value=defaults.date_format or "",
        key=f"import_date_format_{tag}_{preset}", placeholder="%d.%m.%Y",
    )  # fmt: skip
    if defaults.date_warning and not date_format.strip():
        date_note.warning(defaults.date_warning, icon=":material/event:")
    grid = st.columns(3)
    for i, name in enumerate(FIELDS):
        column = defaults.columns.get(name)
        value = grid[i % 3].selectbox(
            name + (" *" if name in REQUIRED else ""), options,
            index=options.index(column) if column in options else 0, key=f"import_map_{tag}_{preset}_{name}",
        )  # fmt: skip
        chosen[name] = None if value == UNMAPPED else value

all_open = st.checkbox(
    "This file lists all open items (close what is missing)", key="import_all_open",
    help="Open entries in the database that are not in this file were paid: they are closed as of today.",
)  # fmt: skip
with shown_errors():
    mapping = mapping_from_columns(chosen, date_format)
    preview = importer.preview(db, table, mapping, all_open=all_open)
    st.subheader("Preview", anchor=False)
    st.caption(f"The first {len(preview.rows)} of {preview.rows_read:,} rows as they will be stored.")
    st.dataframe(preview.rows, width="stretch", key="import_preview")
    if preview.problems:
        st.error(
            f"{len(preview.problems):,} problem(s) in {source[0]}: correct the file or the mapping; "
            "nothing can be imported until every row is right."
        )
        st.dataframe(preview.problem_frame(), width="stretch", hide_index=True, key="import_problems")
    else:
        st.success(f"All {preview.rows_read:,} rows are ready to import.", icon=":material/check_circle:")
    if preview.to_close is not None:
        (st.warning if preview.to_close else st.info)(
            f"{preview.to_close:,} open entries not in this file will be closed.",
            icon=":material/event_busy:",
        )
    if st.button(
        f"Import {preview.rows_read:,} rows",
        key="import_run",
        type="primary",
        disabled=bool(preview.problems),
    ):
        result = importer.import_table(db, table, mapping, all_open=all_open)
        st.success(result.summary(), icon=":material/done_all:")
