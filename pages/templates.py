"""Settings: the texts of each reminder level per language, edited beside a live preview of a real draft."""

from __future__ import annotations

import streamlit as st

from dunning.documents import texts
from dunning.documents.formatting import SUPPORTED_LANGUAGES
from dunning.documents.letter import compose
from dunning.reminders.terms import load_terms, terms_codes
from dunning.ui import preview
from dunning.ui import template_editor as te
from dunning.ui.session import database, shown_errors

st.title("Templates", anchor=False)
st.caption(
    "The subject, opening and closing paragraph of each reminder level, in each language your customers read. "
    "The invoice table, totals and bank details are added around them. Every save is kept as a new version; "
    "a reminder records the version it was sent with."
)
db = database()
cc = st.column_config
with shown_errors():
    c1, c2, c3 = st.columns(3)
    code = c1.selectbox("Terms", terms_codes(db), key="tpl_terms")
    tones = {lv.level_no: lv.tone for lv in load_terms(db, code).levels}
    level = c2.selectbox(
        "Level", list(tones), format_func=lambda n: f"Level {n} · {tones[n]}", key="tpl_level"
    )
    language = c3.selectbox("Language", SUPPORTED_LANGUAGES, format_func=lambda g: te.LANGUAGE_NAMES.get(g, g),
                            key="tpl_language")  # fmt: skip
    current = te.editor(db, code, level, language)

    edit_col, preview_col = st.columns(2, gap="large")
    with edit_col:
        st.subheader("Text", anchor=False)
        st.caption(
            "In force: " + ("the shipped text" if current.version == 0 else f"version {current.version}")
        )
        st.text_input("Subject", key=te.KEYS["subject"], max_chars=texts.SUBJECT_MAX)
        st.text_area("Opening paragraph", key=te.KEYS["opening"], height=200)
        st.text_area("Closing paragraph", key=te.KEYS["closing"], height=200)
        text = te.edited(current)
        problems = texts.check(text.sources)
        for problem in problems:
            st.error(te.problem_text(problem), icon=":material/error:")
        st.button("Save", key="tpl_save", type="primary", icon=":material/save:", disabled=bool(problems),
                  on_click=te.save_edited, args=(db, code, level, language),
                  help="Correct the problems above first" if problems else "Keep the text as a new version")  # fmt: skip
        te.show_outcome()
        with st.expander("Variables", key="tpl_variables", icon=":material/data_object:"):
            st.markdown(te.variables_reference())

    with preview_col:
        st.subheader("Preview", anchor=False)
        drafts = {d.reminder_id: d for d in te.open_drafts(db, code, level, language)}
        if problems:
            st.info("The preview returns when the text has no problems.", icon=":material/visibility_off:")
        elif not drafts:
            st.caption(f"No open draft at level {level} is in {te.LANGUAGE_NAMES.get(language, language)}: the "
                       "preview uses example values.")  # fmt: skip
            te.example_preview(text)
        else:
            pick, get = st.columns([2, 1], vertical_alignment="bottom")
            chosen = pick.selectbox(
                "Draft", list(drafts), format_func=lambda i: drafts[i].label, key="tpl_draft"
            )
            docs = compose(db, chosen, text=text)
            with get:
                preview.letter_download(docs, "tpl_letter_pdf")
            preview.show(docs, "tpl_preview")

    st.subheader("Versions", anchor=False)
    saved = texts.versions(db, code, level, language)
    if saved:
        st.dataframe(
            te.versions_frame(saved), key="tpl_versions", hide_index=True, width="stretch",
            column_config={
                "version": cc.NumberColumn("Version", format="%d", width="small"),
                "saved_at": cc.DatetimeColumn("Saved at", format="YYYY-MM-DD HH:mm"),
                "by": cc.TextColumn("By", width="small"),
                "subject": cc.TextColumn("Subject", width="large"),
            },
        )  # fmt: skip
    else:
        st.caption(f"No saved version yet: level {level} uses the shipped {tones[level]} text.")
    pick, load = st.columns([3, 1], vertical_alignment="bottom")
    pick.selectbox(
        "Version to load into the editor", [v.version for v in saved] + [0], key="tpl_version_pick",
        format_func=lambda n: f"Version {n}" if n else f"Shipped text ({tones[level]})",
    )  # fmt: skip
    load.button("Load into editor", key="tpl_load", icon=":material/history:", width="stretch",
                on_click=te.load_version, args=(db, code, level, language))  # fmt: skip
