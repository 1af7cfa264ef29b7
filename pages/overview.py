"""Overview: how much is overdue, how late, and which customers to call first."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dunning.aging import overview
from dunning.aging.report import AgingFilter
from dunning.ui import as_of as as_of_field
from dunning.ui import cached, drill_down, tiles
from dunning.ui.markdown import literal
from dunning.ui.session import database, shown_errors

# The filter row stands under the title but comes after the tiles in the page (CSS order places it): the
# browser loads each widget's code before it draws what follows, and the tiles are what a credit controller
# looks at first (benchmarks/bench_first_paint.py). Its values are read from the widgets' state meanwhile.
LAYOUT_CSS = """<style>
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] { display: flex; flex-direction: column; }
[data-testid="stLayoutWrapper"]:has(> .st-key-ov_head) { order: -2; }
[data-testid="stLayoutWrapper"]:has(> .st-key-ov_filters) { order: -1; }
</style>"""
st.container(key="ov_head").title("Receivables overview", anchor=False)
db = database()
with shown_errors():
    version = cached.data_version(db)  # once per run, so every element shows one state
    state, today = st.session_state, dt.date.today()
    dates = cached.as_of_range(db.path, version, today)
    as_of = as_of_field.chosen("ov_as_of", dates, today)
    flt = AgingFilter(tuple(state.get("ov_currencies") or ()) or None, tuple(state.get("ov_countries") or ()) or None,
                      (state.get("ov_search") or "").strip() or None, state.get("ov_include_held", True))  # fmt: skip
    data = cached.overview_data(db.path, version, as_of, flt)
    report, k, lcy = data.report, data.kpis, data.report.lcy

    # -- KPIs and tiles
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(f"Open receivables ({k.lcy})", f"{k.open_amount_lcy:,.2f}", border=True,
              help="Open invoices less open credit memos and unapplied payments")  # fmt: skip
    m2.metric(f"Overdue ({k.lcy})", f"{k.overdue_amount_lcy:,.2f}", border=True,
              help=f"{k.overdue_count:,} invoices past their due date")  # fmt: skip
    m3.metric("DSO (countback)", k.dso.text(), border=True,
              help="Open receivables walked back over calendar months of net sales (invoices less credit "
                   "memos); — without sales")  # fmt: skip
    share = "—" if k.share_over_90_pct is None else f"{k.share_over_90_pct:.1f} %"
    m4.metric("More than 90 days overdue", share, border=True,
              help=f"{overview.money_text(k.over_90_lcy, k.lcy)} of {overview.money_text(k.debits_lcy, k.lcy)}")  # fmt: skip
    tiles.aging_tiles(report)
    if note := overview.past_figures_note(as_of, today, k):
        st.caption(note)
    st.html(LAYOUT_CSS)
    with st.container(key="ov_filters"):
        currencies, countries = cached.filter_options(db.path, version)
        c1, c2, c3, c4, c5 = st.columns([1.25, 1.5, 1.5, 1.5, 1.3], vertical_alignment="bottom")
        as_of_field.field(c1, "ov_as_of", dates, as_of)
        c2.multiselect("Currency", currencies, key="ov_currencies", placeholder="All currencies")
        c3.multiselect("Country", countries, key="ov_countries", placeholder="All countries")
        c4.text_input("Customer", key="ov_search", placeholder="Search number or name")
        c5.toggle(
            "Held & disputed",
            value=True,
            key="ov_include_held",
            help="Include invoices on hold or in dispute",
        )
        as_of_field.note("ov_as_of", as_of)

    # -- what matched nothing, instead of an empty list and charts with meaningless axes
    if report.open_count == 0:
        st.info(literal(overview.no_invoices_text(flt, as_of)), icon=":material/search_off:")
    else:
        # the open tile's (or the focused customer's) invoices by customer; a selected row lists its invoices
        drill_down.draw(db.path, version, report, as_of, flt)
        figures = cached.figures(db.path, version, as_of, flt)
        left, right = st.columns([3, 2])
        with left.container(border=True):
            st.markdown("**Aging by currency**")
            if data.distribution.empty:
                st.caption(f"Only credits are open on {as_of.isoformat()}: no invoice to age.")
            else:
                st.plotly_chart(figures.distribution, key="ov_dist_chart")
        with right.container(border=True):
            st.markdown("**Top customers by overdue amount** · click a bar to list that customer")
            if data.top_customers.empty:
                st.caption(f"Nothing is overdue on {as_of.isoformat()}.")
            else:
                st.plotly_chart(figures.top_customers, key="ov_top_chart", on_select=drill_down.focus_from_chart,
                                selection_mode="points")  # fmt: skip
        with st.container(border=True):
            st.markdown("**Overdue amount at month end**")
            if not any(data.trend["overdue_lcy"]):
                st.caption("Nothing was overdue at any of these month ends.")
            else:
                st.plotly_chart(figures.trend, key="ov_trend_chart")
