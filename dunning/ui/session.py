"""Shared Streamlit helpers: the only module of dunning/ that imports streamlit, and the only st.cache_* user.

Pages call these to get the database handle and to show the project's errors; the core never sees streamlit.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from dunning.aging import buckets, overview
from dunning.aging.overview import Overview
from dunning.aging.report import AgingFilter, AgingReport, Bucket
from dunning.db import Database, resolve_path
from dunning.documents import export
from dunning.errors import DunningError
from dunning.ui import charts


@st.cache_resource(show_spinner="Opening the receivables database ...")
def _open(path: str) -> Database:
    db = Database(path)
    from dunning.sample.ledger import SampleSpec, generate, refresh_if_stale

    today = dt.date.today()
    if db.scalar("select count(*) from ledger_entries") == 0 and db.setting("sample_loaded") is None:
        generate(db, SampleSpec(as_of=today))
    else:
        refresh_if_stale(db, today)
    return db


def database() -> Database:
    """The app's database: $DUNNING_DB or dunning.duckdb; filled with sample data on first start.

    Every page opens the database first, so this is also where a page makes sure it runs inside app.py's
    navigation (see _ensure_app_navigation).
    """
    _ensure_app_navigation()
    return _open(resolve_path())


def _ensure_app_navigation() -> None:
    """Run a page inside app.py's st.navigation even when a fresh server's first request is a deep link.

    Streamlit still treats an app with a pages/ folder as an old-style multipage app until some run has
    called st.navigation: a first request for /customer?customer=X would run pages/customer.py on its own,
    with a file-name sidebar, and every later session too until someone opens /. Clearing that flag and
    rerunning makes Streamlit run app.py, whose navigation then routes to the page asked for. The flag is
    Streamlit's own (pinned version); tests/test_browser.py opens a deep link on a fresh server to keep this
    honest.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


@contextmanager
def shown_errors() -> Iterator[None]:
    """Show the project's own errors to the user; anything else is a bug and surfaces."""
    try:
        yield
    except DunningError as exc:
        st.error(str(exc))


# -- overview page ---------------------------------------------------------------------------------------
# Cached loaders take the database path, a data version (dunning.overview.data_version: changes with every
# import or edit) and the filter as arguments, and nothing else: their results depend on those alone.
# Nothing here writes.
_TILE_CSS = """<style>
div[class*="st-key-card_"] { border-left-width: 6px !important; border-radius: 0.5rem; }
.tile-head { display: flex; justify-content: space-between; align-items: baseline; gap: 0.3rem;
  font-weight: 600; font-size: 0.95rem; white-space: nowrap; }
.tile-head span:first-child { overflow: hidden; text-overflow: ellipsis; }
.tile-amount { font-size: 1.1rem; font-weight: 650; font-variant-numeric: tabular-nums; white-space: nowrap;
  margin-top: 0.15rem; }
.tile-code { font-size: 0.75rem; font-weight: 500; opacity: 0.7; margin-left: 0.2rem; }
div[class*="st-key-tile_"] button { padding: 0.2rem 0.4rem; min-height: 2rem; }
div[class*="st-key-tile_"] button p { white-space: nowrap; font-size: 0.85rem; }
div[data-testid="stMetricValue"] { font-size: 1.75rem; font-variant-numeric: tabular-nums; }
</style>"""
_TILE_COLOURS = {
    "green": ("#2E7D32", "#F1F8F2"),
    "amber": ("#B26A00", "#FFF7E6"),
    "red": ("#C0392B", "#FDF0EE"),
}


@st.cache_data(show_spinner=False, max_entries=32)
def _overview(path: str, version: str, as_of: dt.date, flt: AgingFilter) -> Overview:
    return overview.overview(_open(path), as_of, flt)


@st.cache_data(show_spinner=False, max_entries=64)
def _bucket_customers(
    path: str, version: str, as_of: dt.date, flt: AgingFilter, bucket: Bucket, customer_no: str | None
) -> pd.DataFrame:
    return overview.bucket_customers(_open(path), as_of, flt, bucket, customer_no)


@st.cache_data(show_spinner=False, max_entries=64)
def _bucket_invoices(
    path: str, version: str, as_of: dt.date, flt: AgingFilter, bucket: Bucket, customer_no: str | None
) -> pd.DataFrame:
    return overview.bucket_invoices(_open(path), as_of, flt, bucket, customer_no)


@st.cache_data(show_spinner=False, max_entries=4)
def _filter_options(path: str, version: str) -> tuple[list[str], list[str]]:
    return overview.filter_options(_open(path))


def data_version(db: Database) -> str:
    """The cache key of everything the overview reads; a page takes it once per run and passes it on."""
    return overview.data_version(db)


def overview_filters(db: Database, version: str) -> tuple[dt.date, AgingFilter]:
    """The filter row every element of the overview follows: as-of date, currencies, countries, search, held."""
    currencies, countries = _filter_options(db.path, version)
    c1, c2, c3, c4, c5 = st.columns([1.0, 1.5, 1.5, 1.6, 1.4], vertical_alignment="bottom")
    as_of = c1.date_input("As of", value=dt.date.today(), key="ov_as_of", format="YYYY-MM-DD")
    cur = c2.multiselect("Currency", currencies, key="ov_currencies", placeholder="All currencies")
    ctry = c3.multiselect("Country", countries, key="ov_countries", placeholder="All countries")
    search = c4.text_input("Customer", key="ov_search", placeholder="Search number or name")
    held = c5.toggle("Held & disputed", value=True, key="ov_include_held",
                     help="Include invoices on hold or in dispute")  # fmt: skip
    flt = AgingFilter(tuple(cur) or None, tuple(ctry) or None, search.strip() or None, held)
    return as_of, flt


def overview_data(db: Database, version: str, as_of: dt.date, flt: AgingFilter) -> Overview:
    return _overview(db.path, version, as_of, flt)


def kpi_row(o: Overview) -> None:
    k = o.kpis
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(f"Open receivables ({k.lcy})", f"{k.open_amount_lcy:,.2f}", border=True,
              help="Open invoices less open credit memos and unapplied payments")  # fmt: skip
    c2.metric(f"Overdue ({k.lcy})", f"{k.overdue_amount_lcy:,.2f}", border=True,
              help=f"{k.overdue_count:,} invoices past their due date")  # fmt: skip
    dso = f"{k.dso.days:,.1f} days" if k.dso.complete else f"> {k.dso.days:,.0f} days"
    c3.metric("DSO (countback)", dso, border=True,
              help="Open receivables walked back against each month's invoiced sales")  # fmt: skip
    share = "–" if k.share_over_90_pct is None else f"{k.share_over_90_pct:.1f} %"
    c4.metric(
        "More than 90 days overdue",
        share,
        border=True,
        help=f"{overview.money_text(k.over_90_lcy, k.lcy)} of {overview.money_text(k.debits_lcy, k.lcy)}",
    )


def _open_bucket(position: int) -> None:
    st.session_state["ov_bucket"] = position
    st.session_state["ov_focus"] = None


def aging_tiles(report: AgingReport) -> None:
    """One coloured card per bucket; its button opens the bucket's list below."""
    css = [_TILE_CSS, "<style>"]
    longest = max((len(f"{b.amount_lcy:,.2f}") for b in report.buckets), default=0)
    if longest > 12:  # billions do not fit seven tiles on a laptop at the normal size
        css.append(f".tile-amount {{ font-size: {'0.95rem' if longest <= 14 else '0.8rem'}; }}")
    selected = st.session_state.get("ov_bucket")
    for b in report.buckets:
        edge, fill = _TILE_COLOURS[overview.tile_colour(b)]
        ring = f"box-shadow: 0 0 0 2px {edge};" if selected == b.position else ""
        css.append(
            f".st-key-card_{b.position} {{ border-left-color: {edge} !important; background: {fill}; {ring} }}"
        )
    st.html("".join(css) + "</style>")
    st.caption(f"Open invoices by days past due · amounts in {report.lcy}")
    for col, b in zip(st.columns(len(report.buckets)), report.buckets, strict=True):
        with col.container(border=True, key=f"card_{b.position}", gap="small"):
            st.markdown(
                f"<div class='tile-head'><span title='{html.escape(b.label)}'>{html.escape(b.label)}</span></div>"
                f"<div class='tile-amount'>{b.amount_lcy:,.2f}</div>",
                unsafe_allow_html=True,
            )
            st.button(f"{b.count:,} invoice{'s' * (b.count != 1)}", key=f"tile_{b.position}", on_click=_open_bucket,
                      args=(b.position,), width="stretch", help=f"List the invoices {b.describe()}")  # fmt: skip


def _list_columns(lcy: str) -> dict[str, Any]:
    cc = st.column_config
    return {
        "customer_no": cc.TextColumn("Customer", width="small"),
        "name": cc.TextColumn("Name", width="medium"),
        "contacts": cc.TextColumn("Contacts", width="large"),
        "country": cc.TextColumn("Ctry", width="small"),
        "currencies": cc.TextColumn("Cur.", width="small"),
        "invoices": cc.NumberColumn("Invoices", format="%d", width="small"),
        "amount_lcy": cc.NumberColumn(f"Amount ({lcy})", format="accounting"),
        "oldest_days_overdue": cc.NumberColumn("Oldest days", format="%d"),
        "last_reminder_level": cc.NumberColumn("Last level", format="%d", width="small"),
        "last_reminder_date": cc.DateColumn("Last reminder", format="YYYY-MM-DD"),
        "on_hold": cc.CheckboxColumn("On hold", width="small"),
        "disputed": cc.CheckboxColumn("Dispute", width="small"),
        "promised_pay_date": cc.DateColumn("Promised", format="YYYY-MM-DD"),
        "open_amount": cc.NumberColumn("Open amount", format="accounting"),
        "open_amount_lcy": cc.NumberColumn(f"Open ({lcy})", format="accounting"),
        "days_overdue": cc.NumberColumn("Days overdue", format="%d", width="small"),
        "document_no": cc.TextColumn("Document"),
        "document_type": cc.TextColumn("Type", width="small"),
        "external_document_no": cc.TextColumn("Their ref."),
        "due_date": cc.DateColumn("Due", format="YYYY-MM-DD"),
        "posting_date": cc.DateColumn("Posted", format="YYYY-MM-DD"),
        "dispute_status": cc.TextColumn("Dispute"),
    }


LIST_ORDER = (
    "customer_no", "name", "invoices", "amount_lcy", "oldest_days_overdue", "last_reminder_level",
    "last_reminder_date", "on_hold", "disputed", "promised_pay_date", "currencies", "country", "contacts",
)  # fmt: skip
INVOICE_ORDER = (
    "document_no", "document_type", "external_document_no", "currency", "open_amount", "open_amount_lcy",
    "posting_date", "due_date", "days_overdue", "last_reminder_level", "last_reminder_date", "on_hold",
    "dispute_status", "promised_pay_date",
)  # fmt: skip


def _clear_focus() -> None:
    st.session_state["ov_focus"] = None


def _focus_from_chart() -> None:
    st.session_state["ov_focus"] = overview.point_customer(st.session_state.get("ov_top_chart"))


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


def drilldown(db: Database, version: str, as_of: dt.date, flt: AgingFilter, report: AgingReport) -> None:
    """The open bucket's invoices grouped by customer; a selected row shows its invoices and a link."""
    position, focus = st.session_state.get("ov_bucket"), st.session_state.get("ov_focus")
    bucket = next((b for b in report.buckets if b.position == position), None)
    if bucket is None and focus:
        bucket = overview.all_overdue(report)
    if bucket is None:
        st.caption("Click a tile to list its invoices by customer, or a bar of the top customers.")
        return
    customers = _bucket_customers(db.path, version, as_of, flt, bucket, focus)
    total = sum(customers["amount_lcy"], overview.ZERO)
    head, clear = st.columns([5, 1], vertical_alignment="center")
    who = f" · customer {focus}" if focus else ""
    n_inv, n_cust = int(customers["invoices"].sum()), len(customers)
    head.subheader(f"{bucket.label}{who}: {n_inv:,} invoice{'s' * (n_inv != 1)} of {n_cust:,} "
                   f"customer{'s' * (n_cust != 1)}, {overview.money_text(total, report.lcy)}", anchor=False)  # fmt: skip
    if focus:
        clear.button("Show all customers", key="ov_clear_focus", on_click=_clear_focus, width="stretch")
    cols = _list_columns(report.lcy)
    event = st.dataframe(customers, key="ov_list", on_select="rerun", selection_mode="single-row",
                         hide_index=True, column_config=cols, height=320, column_order=LIST_ORDER,
                         placeholder="")  # fmt: skip
    stem = f"overdue-{overview.slug(bucket.label)}-{as_of.isoformat()}"
    d1, d2, _ = st.columns([1, 1, 4])
    d1.download_button("Download CSV", lambda: export.to_csv(overview.export_frame(customers, report.lcy)),
                       file_name=f"{stem}.csv", mime="text/csv", key="ov_csv", on_click="ignore",
                       icon=":material/download:", width="stretch")  # fmt: skip
    d2.download_button("Download XLSX", lambda: export.to_xlsx(overview.export_frame(customers, report.lcy)),
                       file_name=f"{stem}.xlsx", key="ov_xlsx", on_click="ignore", icon=":material/download:",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       width="stretch")  # fmt: skip
    rows = event.selection.rows if event is not None else []
    if not rows:
        return
    customer_no = str(customers["customer_no"].iloc[rows[0]])
    invoices = _bucket_invoices(db.path, version, as_of, flt, bucket, customer_no)
    title, link = st.columns([4, 1], vertical_alignment="center")
    title.markdown(f"**{html.escape(str(customers['name'].iloc[rows[0]]))}** ({customer_no}) · "
                   f"{len(invoices):,} invoices in {html.escape(bucket.label)}")  # fmt: skip
    customer_link(link, customer_no)
    st.dataframe(invoices, key="ov_invoices", hide_index=True, column_config=cols,
                 column_order=INVOICE_ORDER, placeholder="")  # fmt: skip


def overview_charts(o: Overview) -> None:
    lcy = o.report.lcy
    left, right = st.columns([3, 2])
    with left.container(border=True):
        st.markdown("**Aging by currency**")
        labels = [b.label for b in o.report.buckets]
        st.plotly_chart(charts.distribution_figure(o.distribution, labels, lcy), key="ov_dist_chart")
    with right.container(border=True):
        st.markdown("**Top customers by overdue amount** · click a bar to list that customer")
        st.plotly_chart(charts.top_customers_figure(o.top_customers, lcy), key="ov_top_chart",
                        on_select=_focus_from_chart, selection_mode="points")  # fmt: skip
    with st.container(border=True):
        st.markdown("**Overdue amount at month end**")
        st.plotly_chart(charts.trend_figure(o.trend, lcy), key="ov_trend_chart")


# -- aging bucket settings -------------------------------------------------------------------------------
def _save_buckets(path: str) -> None:
    """Save button callback: writes the validated edit, then resets the editor to the saved rows."""
    pending = st.session_state.get("bucket_pending")
    if not pending:
        return
    try:
        buckets.save(_open(path), pending)
    except DunningError as exc:
        st.session_state["bucket_message"] = ("error", str(exc))
        return
    st.session_state.pop("bucket_editor", None)
    st.session_state["bucket_message"] = ("success", f"Saved {len(pending)} aging buckets.")


def bucket_editor(db: Database) -> None:
    """Edit the aging buckets in a table; every problem is listed; saving is possible only without one."""
    current = buckets.load(db)
    frame = pd.DataFrame(
        {
            "label": [b.label for b in current],
            "min_days": pd.array([b.min_days for b in current], dtype="Int64"),
            "max_days": pd.array([b.max_days for b in current], dtype="Int64"),
            "severity": [b.severity for b in current],
            "alert_amount_lcy": [
                "" if b.alert_amount_lcy is None else f"{b.alert_amount_lcy:.2f}" for b in current
            ],
        }
    )
    lcy = db.lcy()
    cc = st.column_config
    edited = st.data_editor(
        frame, key="bucket_editor", num_rows="dynamic", hide_index=True, width="stretch",
        column_config={
            "label": cc.TextColumn("Label", required=True, max_chars=30),
            "min_days": cc.NumberColumn("From (days)", step=1, format="%d", help="Empty: open below (first bucket)"),
            "max_days": cc.NumberColumn("To (days)", step=1, format="%d", help="Empty: open above (last bucket)"),
            "severity": cc.SelectboxColumn("Severity", options=list(buckets.SEVERITIES), required=True,
                                           help="ok: green; info, warn: amber; alert, critical: red"),
            "alert_amount_lcy": cc.TextColumn(f"Alert above ({lcy})",
                                              help="The tile turns red above this amount; empty: never"),
        },
    )  # fmt: skip
    defs, problems = buckets.from_records(edited.to_dict("records"))
    message = st.session_state.pop("bucket_message", None)
    if message:
        (st.success if message[0] == "success" else st.error)(message[1])
    if problems:
        st.error("These buckets cannot be saved yet:\n\n" + "\n".join(f"- {p}" for p in problems))
    st.session_state["bucket_pending"] = None if problems else defs
    st.button("Save buckets", key="bucket_save", type="primary", disabled=bool(problems),
              on_click=_save_buckets, args=(db.path,), icon=":material/save:")  # fmt: skip


# -- customer page: reminder terms, contact log and agreements -------------------------------------------
# The forms save in their submit callbacks (before the page runs again), so that a saved note can be cleared
# and a rejected one stays in the form; the outcome is shown under the form.
def _outcome(key: str, action: Any, success: str) -> None:
    try:
        action()
    except DunningError as exc:
        st.session_state[f"{key}_message"] = ("error", str(exc))
        return
    st.session_state[f"{key}_message"] = ("success", success)


def _show_outcome(key: str) -> None:
    kind, text = st.session_state.pop(f"{key}_message", (None, ""))
    if kind:
        (st.error if kind == "error" else st.success)(text)


def _set_terms(db: Database, customer_no: str, key: str) -> None:
    from dunning.reminders.terms import set_customer_terms

    code = st.session_state[key] or None  # "": the default terms
    _outcome("customer_terms", lambda: set_customer_terms(db, customer_no, code),
             f"{customer_no} now follows {'the default reminder terms' if code is None else f'terms {code}'}.")  # fmt: skip


def _log_contact(db: Database, customer_no: str) -> None:
    from dunning.ledger.contacts import log_contact

    s = st.session_state
    on, channel, note = s["contact_on"], s["contact_channel"], s["contact_note"]
    _outcome("contact", lambda: log_contact(db, customer_no, on, channel, note, created_by="app"),
             f"Logged the {channel} contact of {on:%d %b %Y}.")  # fmt: skip
    if s["contact_message"][0] == "success":
        s["contact_note"] = ""


def _add_agreement(db: Database, customer_no: str) -> None:
    from dunning.ledger.contacts import add_agreement

    s = st.session_state
    on, until, note = s["agreement_on"], s["agreement_until"], s["agreement_note"]
    _outcome("agreement", lambda: add_agreement(db, customer_no, on, until, note, created_by="app"),
             f"Recorded the agreement: no reminder for {customer_no} until {until}.")  # fmt: skip
    if s["agreement_message"][0] == "success":
        s["agreement_note"], s["agreement_until"] = "", None


def customer_terms(db: Database, customer_no: str, current: str | None) -> None:
    """Reminder terms of the customer: its own, or the default terms ("Default (CODE)", first)."""
    from dunning.reminders.terms import default_code, terms_codes

    codes = ["", *terms_codes(db)]  # "": the default terms
    key = f"customer_terms_{customer_no}"
    label = f"Default ({default_code(db) or 'none marked'})"
    index = codes.index(current) if current in codes else 0
    left, right = st.columns([1, 2], vertical_alignment="bottom")
    right.caption("A contact logged within the terms' minimum days between reminders, or an agreement valid on "
                  "the reminders' date, holds automatic reminders back for this customer.")  # fmt: skip
    left.selectbox("Reminder terms", codes, index=index, key=key,
                 format_func=lambda c: c or label, on_change=_set_terms,
                 args=(db, customer_no, key), width="stretch",
                 help="Terms deciding when and how this customer is reminded")  # fmt: skip
    _show_outcome("customer_terms")


def contact_forms(db: Database, customer_no: str, as_of: dt.date) -> None:
    """Log a contact and record an agreement (both hold reminders back), each with the customer's list."""
    from dunning.ledger import contacts

    cc = st.column_config
    today = dt.date.today()
    left, right = st.columns(2)
    with left:
        with st.form("contact_form"):
            st.markdown("**Log a contact**")
            c1, c2 = st.columns(2)
            c1.date_input("Date", value=today, max_value=today, key="contact_on", format="YYYY-MM-DD")
            c2.selectbox("Channel", contacts.CHANNELS, key="contact_channel", format_func=str.capitalize)
            st.text_area("Note", key="contact_note", required=True, height=80,
                         placeholder="What was said or promised")  # fmt: skip
            st.form_submit_button("Log contact", key="contact_submit", type="primary", width="stretch",
                                  icon=":material/call:", on_click=_log_contact, args=(db, customer_no))  # fmt: skip
        _show_outcome("contact")
        log = contacts.contact_history(db, customer_no)
        st.markdown(f"**Contact log** · {len(log)}")
        st.dataframe(contacts.contact_log_frame(log), key="customer_contact_log", hide_index=True,
                     width="stretch", placeholder="", column_config={
                         "contacted_on": cc.DateColumn("Date", format="YYYY-MM-DD", width="small"),
                         "channel": cc.TextColumn("Channel", width="small"),
                         "note": cc.TextColumn("Note", width="large")})  # fmt: skip
    with right:
        with st.form("agreement_form"):
            st.markdown("**Record an agreement**")
            c1, c2 = st.columns(2)
            c1.date_input("Agreed on", value=today, key="agreement_on", format="YYYY-MM-DD")
            c2.date_input("Valid until", value=None, key="agreement_until", format="YYYY-MM-DD", required=True,
                          help="No reminder for this customer until this date")  # fmt: skip
            st.text_area("Note", key="agreement_note", required=True, height=80,
                         placeholder="e.g. payment plan: two instalments")  # fmt: skip
            st.form_submit_button("Record agreement", key="agreement_submit", type="primary", width="stretch",
                                  icon=":material/handshake:", on_click=_add_agreement, args=(db, customer_no))  # fmt: skip
        _show_outcome("agreement")
        items = contacts.agreements(db, customer_no)
        st.markdown(f"**Agreements** · {sum(a.active(as_of) for a in items)} active on {as_of:%d %b %Y}")
        st.dataframe(contacts.agreements_frame(items, as_of), key="customer_agreements", hide_index=True,
                     width="stretch", placeholder="", column_config={
                         "active": cc.CheckboxColumn("Active", width="small"),
                         "agreed_on": cc.DateColumn("Agreed on", format="YYYY-MM-DD", width="small"),
                         "valid_until": cc.DateColumn("Valid until", format="YYYY-MM-DD", width="small"),
                         "note": cc.TextColumn("Note", width="medium"),
                         "covers": cc.TextColumn("Covers")})  # fmt: skip


# -- reminder terms page: the statutory reference rates ---------------------------------------------------
def _save_rates(db: Database) -> None:
    """Save button callback: writes the checked table, then resets the editor to the saved rows."""
    from dunning.reminders.rates import save_rates

    pending = st.session_state.get("rates_pending")
    if pending is None:
        return
    _outcome("rates", lambda: save_rates(db, pending), f"Saved {len(pending)} reference rates.")
    if st.session_state["rates_message"][0] == "success":
        st.session_state.pop("rates_editor", None)


def rates_editor(db: Database) -> None:
    """Edit the reference rates in a table; every problem is listed; saving replaces the whole table."""
    from dunning.reminders import rates

    current = rates.load_rates(db)
    for warning in rates.missing_rates(current, dt.date.today()):
        st.warning(warning, icon=":material/warning:")
    cc = st.column_config
    left, right = st.columns([3, 2])
    right.caption("eu: the ECB main refinancing rate (Directive 2011/7/EU); uk: the Bank of England base rate. "
                  "One row per scheme and half-year, valid from 1 January or 1 July, rate in percent between "
                  f"{rates.MIN_RATE} and {rates.MAX_RATE}. Saving replaces the whole table.")  # fmt: skip
    edited = left.data_editor(
        rates.rates_frame(current), key="rates_editor", num_rows="dynamic", hide_index=True, width="stretch",
        column_config={
            "scheme": cc.SelectboxColumn("Scheme", options=list(rates.SCHEMES), required=True,
                                         help="eu: ECB rate (Directive 2011/7/EU); uk: Bank of England base rate"),
            "valid_from": cc.DateColumn("Valid from", format="YYYY-MM-DD", required=True,
                                        help="1 January or 1 July"),
            "rate": cc.TextColumn("Rate %", required=True, help="Annual percent, before the 8 points added by law"),
        },
    )  # fmt: skip
    parsed, problems = rates.from_records(edited.to_dict("records"))
    _show_outcome("rates")
    if problems:
        st.error("These rates cannot be saved yet:\n\n" + "\n".join(f"- {p}" for p in problems))
    st.session_state["rates_pending"] = None if problems else parsed
    left.button("Save reference rates", key="rates_save", type="primary", disabled=bool(problems),
              on_click=_save_rates, args=(db,), icon=":material/save:")  # fmt: skip
