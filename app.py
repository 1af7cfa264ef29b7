"""dunning: the credit controller's dashboard. Run with `streamlit run app.py`."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dunning.access import Action
from dunning.ui import auth
from dunning.ui.session import run_page

HERE = Path(__file__).parent
st.set_page_config(page_title="dunning", page_icon=":material/request_quote:", layout="wide")

pages = {
    "Receivables": [
        st.Page(HERE / "pages" / "overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page(HERE / "pages" / "customer.py", title="Customer", icon=":material/person:"),
    ],
    "Reminders": [
        st.Page(
            HERE / "pages" / "create_reminders.py", title="Create reminders", icon=":material/playlist_add:"
        ),
        st.Page(HERE / "pages" / "history.py", title="History", icon=":material/history:"),
        st.Page(HERE / "pages" / "runs.py", title="Runs", icon=":material/schedule:"),
    ],
    "Data": [
        st.Page(HERE / "pages" / "import_data.py", title="Import", icon=":material/upload_file:"),
    ],
    "Settings": [
        st.Page(HERE / "pages" / "aging_settings.py", title="Aging buckets", icon=":material/tune:"),
        st.Page(HERE / "pages" / "reminder_terms.py", title="Reminder terms", icon=":material/rule:"),
        st.Page(HERE / "pages" / "company.py", title="Company", icon=":material/business:"),
        st.Page(HERE / "pages" / "templates.py", title="Templates", icon=":material/edit_note:"),
    ],
}
# the pages for what a role may do (all of them without login: see dunning/ui/auth.py)
NEEDS = {"Create reminders": Action.PROPOSE, "Import": Action.IMPORT, "Aging buckets": Action.SETTINGS,
         "Reminder terms": Action.SETTINGS, "Company": Action.SETTINGS, "Templates": Action.SETTINGS}  # fmt: skip
# each run holds the database file only while it runs; commands use it in between
run_page(auth.navigation(pages, NEEDS))
