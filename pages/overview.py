"""Overview: how much is overdue, how late, and which customers to call first."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from dunning.aging import overview
from dunning.aging.report import AgingFilter
from dunning.documents import export
from dunning.ui import as_of as as_of_field
from dunning.ui import cached, charts, frames, tiles
from dunning.ui.markdown import literal
from dunning.ui.session import database, shown_errors


def clear_focus() -> None:
    st.session_state["ov_focus"] = None


def focus_from_chart() -> None:
    st.session_state["ov_focus"] = charts.point_customer(st.session_state.get("ov_top_chart"))


def customer_link(where: Any, customer_no: str) -> None:
    """A link to the customer page (it reads st.query_params["customer"]).

    The page is only known when the app runs through app.py's navigation; a page run on its own (tests,
    `streamlit run pages/overview.py`) shows the customer number instead.
    """
    try:
        where.page_link("pages/customer.py", label="Customer page", icon=":material/person:",
                        query_params={"customer": customer_no}, width="stretch")  # fmt: skip
    except StreamlitPageNotFoundError:
        where.caption(f"Customer {customer_no}")


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
        c1, c2, c3, c4, c5 = st.columns([1.0, 1.5, 1.5, 1.6, 1.4], vertical_alignment="bottom")
        as_of_field.field(c1, "ov_as_of", dates)
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

    # -- the open tile's (or the focused customer's) invoices by customer; a selected row lists its invoices
    position, focus = st.session_state.get("ov_bucket"), st.session_state.get("ov_focus")
    bucket = next((b for b in report.buckets if b.position == position), None)
    if bucket is None and focus:
        bucket = overview.all_overdue(report)
    if bucket is None:
        st.caption("Click a tile to list its invoices by customer, or a bar of the top customers.")
    else:
        customers = cached.bucket_customers(db.path, version, as_of, flt, bucket, focus)
        total = sum(customers["amount_lcy"], overview.ZERO)
        head, clear = st.columns([5, 1], vertical_alignment="center")
        who = f" · customer {focus}" if focus else ""
        n_inv, n_cust = int(customers["invoices"].sum()), len(customers)
        head.subheader(f"{bucket.label}{who}: {n_inv:,} invoice{'s' * (n_inv != 1)} of {n_cust:,} "
                       f"customer{'s' * (n_cust != 1)}, {overview.money_text(total, lcy)}", anchor=False)  # fmt: skip
        if focus:
            clear.button("Show all customers", key="ov_clear_focus", on_click=clear_focus, width="stretch")
        cols = frames.list_columns(lcy)
        event = st.dataframe(customers, key="ov_list", on_select="rerun", selection_mode="single-row",
                             hide_index=True, column_config=cols, height=320, column_order=frames.LIST_ORDER,
                             placeholder="")  # fmt: skip
        stem = f"overdue-{overview.slug(bucket.label)}-{as_of.isoformat()}"
        d1, d2, _ = st.columns([1, 1, 4])
        d1.download_button("Download CSV", lambda: export.to_csv(frames.export_frame(customers, lcy)),
                           file_name=f"{stem}.csv", mime="text/csv", key="ov_csv", on_click="ignore",
                           icon=":material/download:", width="stretch")  # fmt: skip
        d2.download_button("Download XLSX", lambda: export.to_xlsx(frames.export_frame(customers, lcy)),
                           file_name=f"{stem}.xlsx", key="ov_xlsx", on_click="ignore", icon=":material/download:",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           width="stretch")  # fmt: skip
        rows = event.selection.rows if event is not None else []
        if rows:
            customer_no = str(customers["customer_no"].iloc[rows[0]])
            invoices = cached.bucket_invoices(db.path, version, as_of, flt, bucket, customer_no)
            title, link = st.columns([4, 1], vertical_alignment="center")
            title.markdown(f"**{literal(customers['name'].iloc[rows[0]])}** ({literal(customer_no)}) · "
                           f"{len(invoices):,} invoices in {literal(bucket.label)}")  # fmt: skip
            customer_link(link, customer_no)
            st.dataframe(invoices, key="ov_invoices", hide_index=True, column_config=cols,
                         column_order=frames.INVOICE_ORDER, placeholder="")  # fmt: skip

    # -- charts
    figures = cached.figures(db.path, version, as_of, flt)
    left, right = st.columns([3, 2])
    with left.container(border=True):
        st.markdown("**Aging by currency**")
        st.plotly_chart(figures.distribution, key="ov_dist_chart")
    with right.container(border=True):
        st.markdown("**Top customers by overdue amount** · click a bar to list that customer")
        st.plotly_chart(
            figures.top_customers, key="ov_top_chart", on_select=focus_from_chart, selection_mode="points"
        )
    with st.container(border=True):
        st.markdown("**Overdue amount at month end**")
        st.plotly_chart(figures.trend, key="ov_trend_chart")
