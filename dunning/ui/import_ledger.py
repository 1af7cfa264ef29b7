"""The Import page's form for a file of ledger entries: the columns matched from their names for confirmation,
how the dates read, the file's currency, rounding, "every open entry" with its confirmation, the preview with
every problem grouped, and the import with what it changed on the overview.

A file that lists every open entry closes the open entries it does not list: the form says how many and the
import waits until the user confirms that number (a box whose key holds the number, so that another count asks
again). The draw functions return early where the user must choose first; the page goes on below them.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from dunning.access import Action
from dunning.db import Database
from dunning.ledger.imports import importer
from dunning.ledger.imports.importer import Preview
from dunning.ledger.imports.mapping import FIELDS, PRESET_LABELS, REQUIRED, Mapping, mapping_from_columns
from dunning.ledger.imports.readers import RawTable
from dunning.ui import import_preview
from dunning.ui.auth import can
from dunning.ui.markdown import literal
from dunning.ui.session import shown_errors

UNMAPPED = "(not mapped)"


def draw(db: Database, table: RawTable) -> None:
    """The whole form for a ledger file, from its columns to the import."""
    tag = table.sha256[:12]  # widgets start from the defaults again for another file
    presets = list(PRESET_LABELS)
    detected = importer.form_defaults(table).preset
    preset = st.selectbox(
        "Columns", presets, index=presets.index(detected) if detected else None, key=f"import_preset_{tag}",
        format_func=PRESET_LABELS.__getitem__, placeholder="No column names recognised: map the columns below",
    )  # fmt: skip
    defaults = importer.form_defaults(
        table, Mapping(preset=preset) if preset else Mapping(only_explicit=True)
    )
    options = [UNMAPPED, *table.columns]
    chosen: dict[str, str | None] = {}
    with st.expander("Column mapping: the file's column for each field", expanded=detected is None,
                     key=f"import_map_open_{tag}", on_change="rerun", icon=":material/table_convert:"):  # fmt: skip
        grid = st.columns(3)
        for i, name in enumerate(FIELDS):
            column = defaults.columns.get(name)
            value = grid[i % 3].selectbox(
                name + (" *" if name in REQUIRED else ""), options,
                index=options.index(column) if column in options else 0, key=f"import_map_{tag}_{preset}_{name}",
            )  # fmt: skip
            chosen[name] = None if value == UNMAPPED else value

    read, date_format = _date_format(table, chosen, defaults.date_format, f"import_dates_{tag}_{preset}")
    if not read:
        return
    currency = None
    if not chosen.get("currency"):
        lcy = db.lcy()
        currency = st.text_input(
            f"The file's currency (it has no currency column; the local currency is {lcy})", value=lcy,
            key=f"import_currency_{tag}", max_chars=3,
        ).strip().upper() or lcy  # fmt: skip
    round_amounts = st.checkbox("Round amounts to the currency's minor unit", key="import_round",
                                help="Amounts with more decimals than their currency has (64982.589 USD) are "
                                "rounded half away from zero (64982.59); otherwise the file is refused.")  # fmt: skip
    all_open = st.checkbox(
        "This file lists every open entry (close what is missing)", key="import_all_open",
        help="Open entries in the database that are not in this file were paid: they are closed as of today. "
        "The form says how many first and asks you to confirm.",
    )  # fmt: skip
    with shown_errors():
        mapping = mapping_from_columns(chosen, date_format, currency=currency, round_amounts=round_amounts)
        preview = importer.preview(db, table, mapping, all_open=all_open)
        _preview(preview, table.file)
        confirmed = _closing_confirmed(preview.to_close, tag)
        _import(db, table, mapping, preview, all_open=all_open, confirmed=confirmed)


def _date_format(
    table: RawTable, chosen: dict[str, str | None], default: str | None, key: str
) -> tuple[bool, str | None]:
    """(chosen, format): the reading that reads every date, else the user's; (False, None) until one is chosen."""
    readings = importer.date_readings(table, mapping_from_columns(chosen, None))
    if not readings:
        return True, default
    clear = len(readings) == 1 or readings[0].unreadable < readings[1].unreadable  # else the user chooses
    picked = st.radio(
        "Dates", readings, index=0 if clear else None, key=key, format_func=lambda r: r.label, horizontal=True,
        help="How the file's dates read: each choice shows one of its dates as that choice reads it.",
    )  # fmt: skip
    if picked is None:
        st.warning("The dates read both ways: choose how the file means them." if readings[0].unreadable == 0
                   else "No reading reads every date: choose the one the file means; the dates it cannot read "
                   "are then listed as problems.", icon=":material/event:")  # fmt: skip
        return False, None
    return True, picked.format


def _preview(preview: Preview, file: str) -> None:
    import_preview.draw(preview.shown(), preview.rows_read, "import_preview")
    if preview.problems:
        st.error(
            f"{preview.problem_count():,} problem(s) in {literal(file)}: correct the file or the choices above; "
            "nothing can be imported until every row is right."
        )
        import_preview.problems(preview.problem_frame())
    elif not preview.rows_read:
        st.info(
            "The file holds no entries (a header alone): importing it adds none.", icon=":material/inbox:"
        )
    else:
        rounding = importer.rounding_note(preview.rounded).lstrip("; ")
        st.success(f"All {preview.rows_read:,} rows are ready to import." + (f" {rounding[:1].upper()}{rounding[1:]}."
                   if rounding else ""), icon=":material/check_circle:")  # fmt: skip


def _closing_confirmed(to_close: int | None, tag: str) -> bool:
    """Whether the entries an all-open import closes are confirmed (True when it closes none)."""
    if not to_close:
        if to_close == 0:
            st.info(
                "Every open entry is in this file: the import closes none.", icon=":material/event_available:"
            )
        return True
    st.warning(
        f"{to_close:,} open entries are not in this file: importing it closes them as of today (paid in the ERP).",
        icon=":material/event_busy:",
    )
    return st.checkbox(f"Close {to_close:,} entries", key=f"import_close_sure_{tag}_{to_close}",
                       help="Only when the file really lists every entry still open in the ERP.")  # fmt: skip


def _import(
    db: Database, table: RawTable, mapping: Mapping, preview: Preview, *, all_open: bool, confirmed: bool
) -> None:
    if not can(Action.IMPORT):
        st.caption("Importing needs the credit controller or admin role.")
        return
    ready = not preview.problems and confirmed
    label = f"Import {preview.rows_read:,} rows" + (f" and close {preview.to_close:,} entries"
                                                     if preview.to_close else "")  # fmt: skip
    if not (st.button(label, key="import_run", type="primary", disabled=not ready) and ready):
        return
    result = importer.import_table(db, table, mapping, all_open=all_open)
    st.success(literal(result.summary()), icon=":material/done_all:")
    note = importer.overview_note(db, result, dt.date.today())
    st.info(note.text, icon=":material/dashboard:")
    try:
        st.page_link("pages/overview.py", label=f"Open the overview as of {note.as_of or 'today'}",
                     query_params={"as_of": note.as_of.isoformat()} if note.as_of else None,
                     icon=":material/dashboard:")  # fmt: skip
    except StreamlitPageNotFoundError:  # the page run on its own (tests): no navigation to link to
        st.caption(f"Overview as of: {note.as_of or 'today'}")
