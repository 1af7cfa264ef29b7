"""Overview: how much is overdue, how late, and which customers to call first."""

from __future__ import annotations

import streamlit as st

from dunning import ui

st.title("Receivables overview", anchor=False)
db = ui.database()
with ui.shown_errors():
    as_of, flt = ui.overview_filters(db)
    data = ui.overview_data(db, as_of, flt)
    ui.kpi_row(data)
    ui.aging_tiles(data.report)
    ui.drilldown(db, as_of, flt, data.report)
    ui.overview_charts(data)
