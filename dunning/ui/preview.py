"""What a reminder will look like when it goes out, shown in a page: subject, recipients, the HTML email as
the customer sees it, the plain text, and the PDF letter drawn only when downloaded. The Templates page and
the review of drafts on Create reminders show it the same way.

Streamlit-only helper of the faces: imports streamlit and dunning.documents (letter, pdf).
"""

from __future__ import annotations

import streamlit as st

from dunning.documents import pdf
from dunning.documents.letter import Documents
from dunning.ui.company_form import missing_text
from dunning.ui.markdown import literal


def letter_download(docs: Documents, key: str, label: str = "Letter (PDF)") -> None:
    """A download button for the letter; WeasyPrint draws it only when clicked."""
    letter_html = docs.letter_html
    st.download_button(
        label, data=lambda: pdf.html_to_pdf(letter_html), file_name=f"{docs.reminder.reminder_no}.pdf",
        mime="application/pdf", key=key, on_click="ignore", icon=":material/picture_as_pdf:", width="stretch",
        help="The letter exactly as it is attached, drawn when you click",
    )  # fmt: skip


def show(docs: Documents, key: str, *, recipients: bool = False, height: int = 560) -> None:
    """Subject (and recipients), a warning for what the company lacks, the email and its plain text."""
    if docs.missing:
        st.warning(f"The company lacks {missing_text(docs.missing)}: complete it on the Company page.",
                   icon=":material/warning:")  # fmt: skip
    for problem in docs.problems:
        st.warning(literal(problem), icon=":material/qr_code:")
    r = docs.reminder
    lines = [f"**Subject:** {literal(docs.subject)}"]
    if recipients:
        lines.append(f"**To:** {literal(', '.join(r.to_emails) or '(nobody)')}")
        if r.cc_emails:
            lines.append(f"**Cc:** {literal(', '.join(r.cc_emails))}")
    st.markdown("  \n".join(lines))
    email, plain = st.tabs(["Email", "Plain text"], key=f"{key}_tabs")
    with email, st.container(border=True, height=height, key=f"{key}_box"):
        st.html(docs.html)  # sanitised by Streamlit; our templates escape every value
    with plain:
        st.code(docs.text, language=None, wrap_lines=True, height=height)
