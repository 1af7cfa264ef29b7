"""The Import page's form for a file of customers or contacts (Business Central's Contact Business Relations
included): the columns matched by the preset the header fits, each shown for confirmation, the rows as they
will be stored with every problem grouped, the import and its summary, and what to import next.

Business Central's Contacts list names each person's company, not the customer: its Contact Business Relations
say which customer a company contact is, so they are imported after the customers and before the contacts.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from dunning.access import Action
from dunning.db import Database
from dunning.ledger.imports.parties import check_parties, import_parties
from dunning.ledger.imports.party_fields import (
    FIELDS,
    Preset,
    detect_preset,
    form_columns,
    mapping_from_columns,
    presets,
)
from dunning.ledger.imports.problems import frame, group
from dunning.ledger.imports.readers import RawTable
from dunning.ui import import_preview
from dunning.ui.auth import can
from dunning.ui.markdown import literal
from dunning.ui.session import shown_errors

UNMAPPED = "(not mapped)"
ORDER = (
    "Business Central's exports go in this order: **Customers**, then **Contact Business Relations** (which "
    "customer each company contact is), then **Contacts** (they name each person's company, not the customer). "
    "The Customer Ledger Entries may come before or after."
)
WHAT = {"customers": "customers", "contacts": "contacts", "links": "links to customers"}
NEXT = {
    "customers": "Next: Business Central's Contact Business Relations, then its Contacts.",
    "links": "Next: Business Central's Contacts; their companies now find their customers.",
    "contacts": "Next: the customer ledger entries, if they are not imported yet; then Create reminders.",
}


def draw(db: Database, table: RawTable, kind: str) -> None:
    """The whole form for a file of customers or contacts (kind), from its columns to the import."""
    st.info(ORDER, icon=":material/format_list_numbered:")
    tag = table.sha256[:12]
    known = presets(kind)
    detected = detect_preset(kind, table.columns)
    names = list(known)
    name = st.selectbox(
        "Columns", names, index=names.index(detected.name if detected else "native"),
        key=f"import_party_preset_{tag}_{kind}", format_func=lambda n: known[n].label,
    )  # fmt: skip
    chosen = _columns(
        table, kind, known[name], expanded=detected is None, key=f"import_party_map_{tag}_{kind}_{name}"
    )
    with shown_errors():
        check = check_parties(db, table, kind, mapping_from_columns(kind, chosen, name))
        import_preview.draw(check.rows, check.rows_read, "import_party_preview")
        if check.problems:
            st.error(
                f"{len(check.problems):,} problem(s) in {literal(table.file)}: correct the file or the choices "
                "above; nothing can be imported until every row is right."
            )
            import_preview.problems(frame(group(check.problems)))
        else:
            st.success(f"All {check.rows_read:,} rows are ready to import.", icon=":material/check_circle:")
        if not can(Action.IMPORT):
            st.caption("Importing needs the credit controller or admin role.")
            return
        label = f"Import {check.rows_read:,} rows of {WHAT[check.kind]}"
        if st.button(label, key="import_party_run", type="primary", disabled=bool(check.problems)):
            result = import_parties(db, table, kind, mapping_from_columns(kind, chosen, name))
            st.success(literal(replace(result, unknown_terms=()).summary()), icon=":material/done_all:")
            if result.unknown_terms:
                st.warning(
                    f"The reminder terms {literal(', '.join(result.unknown_terms))} that the file gives customers are "
                    "not set up here, so those customers are not reminded: create the terms on the Reminder terms "
                    "page, or give the customers other terms on the customer page.", icon=":material/rule:",
                )  # fmt: skip
            st.caption(NEXT[result.kind])


def _fields(kind: str, preset: Preset) -> tuple[str, ...]:
    """The fields the form asks for: a file of links has its own four; other files every field but the link's."""
    if preset.links:
        return tuple(preset.columns)
    return tuple(f for f in FIELDS[kind] if f != "link_to_table")


def _columns(
    table: RawTable, kind: str, preset: Preset, *, expanded: bool, key: str
) -> dict[str, str | None]:
    """The column form: each field with the column the preset finds, changed where the user changes it."""
    defaults = form_columns(kind, table.columns, preset.name)
    options = [UNMAPPED, *table.columns]
    chosen: dict[str, str | None] = {}
    with st.expander("Column mapping: the file's column for each field", expanded=expanded,
                     key=f"{key}_open", on_change="rerun", icon=":material/table_convert:"):  # fmt: skip
        grid = st.columns(3)
        for i, name in enumerate(_fields(kind, preset)):
            column = defaults.get(name)
            value = grid[i % 3].selectbox(
                name + (" *" if name in preset.required else ""), options,
                index=options.index(column) if column in options else 0, key=f"{key}_{name}",
            )  # fmt: skip
            chosen[name] = None if value == UNMAPPED else value
    return chosen
