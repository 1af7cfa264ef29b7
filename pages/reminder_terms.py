"""Settings: reminder terms and their levels (when each level applies, fees, interest, recipients)."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pandas as pd
import streamlit as st

from dunning.db import Database
from dunning.reminders import rates
from dunning.reminders.terms import (
    AFTER_LAST,
    load_terms,
    save_terms,
    terms_codes,
    warnings,
)
from dunning.ui import forms, frames, terms_form
from dunning.ui.session import database, shown_errors


def save_pending_terms(db: Database) -> None:
    """Save button callback: the checked terms, with the outcome shown under the button."""
    terms = st.session_state.get("terms_pending")
    if terms is not None:
        forms.save(
            "terms",
            lambda: save_terms(db, terms),
            f"Saved terms {terms.code} with {len(terms.levels)} levels.",
        )


st.title("Reminder terms", anchor=False)
st.caption(
    "Level 1 applies the given days after the due date, each next level the given days after the previous "
    "reminder; grace days are added to both. Roles name the customer's contacts who receive the reminder. Fees "
    "are per currency: a currency without a fee row is charged no fee at that level."
)
db = database()
cc = st.column_config
with shown_errors():
    code = st.selectbox("Terms", terms_codes(db), key="terms_code")
    new_code = st.text_input(
        "Save as new terms with code", key="terms_new_code", help="Empty: change these terms"
    )
    t = load_terms(db, code)
    currencies = terms_form.fee_currencies(db, t)
    c1, c2, c3 = st.columns(3)
    header = {
        "code": (new_code or code).strip(),
        "description": c1.text_input("Description", t.description, key=f"terms_description_{code}"),
        "is_default": c1.checkbox("Default terms", t.is_default, key=f"terms_default_{code}",
                                  help="New terms are never the default at first") and not new_code,
        "max_reminders": c2.number_input("Max. reminders per entry", 0, 99, t.max_reminders or 0, help="0: unlimited",
                                         key=f"terms_max_{code}"),
        "after_last_level": c2.selectbox("After the last level", AFTER_LAST, AFTER_LAST.index(t.after_last_level),
                                         key=f"terms_after_{code}", format_func=terms_form.AFTER_LAST_LABELS.get),
        "min_amount_lcy": c3.text_input(f"Minimum net overdue amount ({db.lcy()})", f"{t.min_amount_lcy:.2f}",
                                        key=f"terms_min_amount_{code}"),
        "min_days_between": c3.number_input("Minimum days between reminders", 0, 365, t.min_days_between,
                                            key=f"terms_min_days_{code}"),
    }  # fmt: skip
    edited = st.data_editor(
        pd.DataFrame(terms_form.level_records(t)), key=f"terms_levels_{code}", num_rows="dynamic", hide_index=True,
        width="stretch", column_config=terms_form.level_columns(), placeholder="",
    )  # fmt: skip
    st.caption("Fees per level and currency, in that currency; the fee per line is charged once per document "
               "and level.")  # fmt: skip
    fees = st.data_editor(
        pd.DataFrame(terms_form.fee_records(t), columns=["level_no", "currency", *terms_form.FEE_FIELDS]),
        key=f"terms_fees_{code}", num_rows="dynamic", hide_index=True, width="stretch",
        column_config=terms_form.fee_columns(), placeholder="",
    )  # fmt: skip
    taken = frozenset(terms_codes(db)) if new_code.strip() else frozenset()
    terms, problems = terms_form.from_records(
        header, edited.to_dict("records"), fees.to_dict("records"), taken
    )
    forms.show_problems("terms", problems)
    for warning in warnings(terms, currencies) if terms is not None else ():
        st.warning(warning, icon=":material/schedule:")
    st.session_state["terms_pending"] = terms  # None while a problem is listed
    st.button("Save terms", key="terms_save", type="primary", disabled=terms is None, icon=":material/save:",
              on_click=save_pending_terms, args=(db,))  # fmt: skip
    forms.show_outcome("terms")

st.subheader("Reference rates", anchor=False)
st.caption(
    "EU statutory interest: each half-year's rate (in force on 1 January or 1 July) plus 8 points. German: each "
    "half-year's base rate plus 9 points. UK: the rate of the half-year the debt fell overdue in, plus 8 points. "
    "Add each new half-year's rate here."
)
with shown_errors():
    # Edit the rates in a table; every problem is listed; saving replaces the whole table.
    current = rates.load_rates(db)
    for warning in rates.missing_rates(current, dt.date.today()):
        st.warning(warning, icon=":material/warning:")
    left, right = st.columns([3, 2])
    right.caption("eu: the ECB main refinancing rate (Directive 2011/7/EU); de: the Bundesbank's base rate "
                  "(Basiszinssatz, § 247 BGB); uk: the Bank of England base rate. "
                  "One row per scheme and half-year, valid from 1 January or 1 July, rate in percent between "
                  f"{rates.MIN_RATE} and {rates.MAX_RATE}. Saving replaces the whole table.")  # fmt: skip
    edited = left.data_editor(
        frames.rates_frame(current), key="rates_editor", num_rows="dynamic", hide_index=True, width="stretch",
        column_config={
            "scheme": cc.SelectboxColumn("Scheme", options=list(rates.SCHEMES), required=True,
                                         format_func=frames.SCHEME_LABELS.__getitem__),
            "valid_from": cc.DateColumn("Valid from", format="YYYY-MM-DD", required=True,
                                        help="1 January or 1 July"),
            "rate": cc.TextColumn("Rate %", required=True, help="Annual percent, before the 8 points added by law"),
        },
    )  # fmt: skip
    parsed, problems = rates.from_records(edited.to_dict("records"))
    forms.show_outcome("rates")
    forms.show_problems("rates", problems)
    st.session_state["rates_pending"] = None if problems else parsed
    left.button("Save reference rates", key="rates_save", type="primary", disabled=bool(problems),
                icon=":material/save:", on_click=forms.save_edits,
                args=("rates", partial(rates.save_rates, db), "Saved {n} reference rates."))  # fmt: skip
