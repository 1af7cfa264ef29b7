"""Overview: how much is overdue, how late, and which customers to call first."""

from __future__ import annotations

import streamlit as st

from dunning.ui import session as ui

st.title("Receivables overview", anchor=False)
db = ui.database()
with ui.shown_errors():
    version = ui.data_version(db)  # once per run: it reads the whole ledger
    as_of, flt = ui.overview_filters(db, version)
    data = ui.overview_data(db, version, as_of, flt)
    ui.kpi_row(data)
    ui.aging_tiles(data.report)
    ui.drilldown(db, version, as_of, flt, data.report)
    ui.overview_charts(data)
