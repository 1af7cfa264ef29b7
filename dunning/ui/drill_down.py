"""The overview's list under the tiles: the open tile's (or a focused customer's) invoices grouped by
customer, downloadable, and a selected customer's invoices with a link to the customer page.

The tiles set st.session_state["ov_bucket"] (tiles.py), a bar of the top-customers chart sets "ov_focus"
(focus_from_chart); an empty list says what matched nothing instead of drawing an empty table.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from dunning.aging import overview
from dunning.aging.report import AgingFilter, AgingReport
from dunning.documents import export
from dunning.ui import cached, charts, frames
from dunning.ui.markdown import literal

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
        where.caption(f"Customer {literal(customer_no)}")


def draw(path: str, version: str, report: AgingReport, as_of: dt.date, flt: AgingFilter) -> None:
    """The list of the open tile or the focused customer; a hint when neither is chosen."""
    position, focus = st.session_state.get("ov_bucket"), st.session_state.get("ov_focus")
    bucket = next((b for b in report.buckets if b.position == position), None)
    if bucket is None and focus:
        bucket = overview.all_overdue(report)
    if bucket is None:
        st.caption("Click a tile to list its invoices by customer, or a bar of the top customers.")
        return
    lcy = report.lcy
    customers = cached.bucket_customers(path, version, as_of, flt, bucket, focus)
    total = sum(customers["amount_lcy"], overview.ZERO)
    head, clear = st.columns([5, 1], vertical_alignment="center")
    who = f" · customer {focus}" if focus else ""
    n_inv, n_cust = int(customers["invoices"].sum()), len(customers)
    head.subheader(f"{literal(bucket.label)}{literal(who)}: {n_inv:,} invoice{'s' * (n_inv != 1)} of {n_cust:,} "
                   f"customer{'s' * (n_cust != 1)}, {overview.money_text(total, lcy)}", anchor=False)  # fmt: skip
    if focus:
        clear.button("Show all customers", key="ov_clear_focus", on_click=clear_focus, width="stretch")
    if customers.empty:
        scope = f"in {bucket.label}" + (f" of customer {focus}" if focus else "")
        st.info(literal(overview.no_invoices_text(flt, as_of, scope)), icon=":material/search_off:")
        return
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
                       mime=XLSX, width="stretch")  # fmt: skip
    rows = event.selection.rows if event is not None else []
    if rows:
        customer_no = str(customers["customer_no"].iloc[rows[0]])
        invoices = cached.bucket_invoices(path, version, as_of, flt, bucket, customer_no)
        title, link = st.columns([4, 1], vertical_alignment="center")
        title.markdown(f"**{literal(customers['name'].iloc[rows[0]])}** ({literal(customer_no)}) · "
                       f"{len(invoices):,} invoices in {literal(bucket.label)}")  # fmt: skip
        customer_link(link, customer_no)
        if contacts := str(customers["contacts"].iloc[rows[0]] or ""):  # the whole list the column cuts short
            st.caption(literal(contacts.replace("; ", " · ")))
        st.dataframe(invoices, key="ov_invoices", hide_index=True, column_config=cols,
                     column_order=frames.INVOICE_ORDER, placeholder="")  # fmt: skip
