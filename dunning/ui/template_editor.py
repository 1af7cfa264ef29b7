"""The Templates page's parts: the editor kept in step with the level and language picked, the drafts a
preview can use, saving and loading versions in widget callbacks, and the preview without a draft.

The three editors are keyed "tpl_subject", "tpl_opening" and "tpl_closing" and hold what the user typed.
They are filled from the text in force when the terms, level or language change (editor()), and from an
older version when the user loads one (load_version); nothing reaches the database but through texts.save.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from dunning.db import Database
from dunning.documents import texts
from dunning.documents.formatting import language_of
from dunning.documents.reminder import OPEN_STATUSES
from dunning.errors import DunningError
from dunning.ui.markdown import literal

LANGUAGE_NAMES = {"en": "English", "fr": "French", "nl": "Dutch", "de": "German"}
KEYS = {part: f"tpl_{part}" for part in texts.PARTS}
_LOADED = "tpl_loaded"  # the (terms, level, language) the editors were filled for


@dataclass(frozen=True)
class Draft:
    reminder_id: int
    reminder_no: str
    customer_no: str
    customer_name: str

    @property
    def label(self) -> str:
        return f"{self.reminder_no} · {self.customer_name} ({self.customer_no})"


def fill(sources: Mapping[str, str]) -> None:
    """Put texts into the editors (before they are drawn in this run, or in a callback)."""
    for part, key in KEYS.items():
        st.session_state[key] = sources[part]


def editor(db: Database, terms_code: str, level_no: int, language: str) -> texts.LevelText:
    """The text in force; the editors are filled with it when the terms, level or language changed."""
    current = texts.current(db, terms_code, level_no, language)
    where = (terms_code, level_no, language)
    if st.session_state.get(_LOADED) != where or any(k not in st.session_state for k in KEYS.values()):
        fill(current.sources)
        st.session_state[_LOADED] = where
    return current


def edited(current: texts.LevelText) -> texts.LevelText:
    """The text as the editors hold it now (not saved): what the preview renders."""
    typed = typed_sources()
    return replace(current, subject=typed["subject"], opening=typed["opening"], closing=typed["closing"])


def typed_sources() -> dict[str, str]:
    """What the three editors hold, by part."""
    return {part: str(st.session_state.get(key, "")) for part, key in KEYS.items()}


def save_edited(db: Database, terms_code: str, level_no: int, language: str) -> None:
    """Save button callback: the editors' texts become the next version, or the core says why not."""
    sources = typed_sources()
    current = texts.current(db, terms_code, level_no, language)
    if current.sources == sources:
        what = "the shipped text" if current.version == 0 else f"version {current.version}"
        st.session_state["tpl_message"] = (
            "info",
            f"Nothing to save: the editor holds {what}, the text in force.",
        )
        return
    try:
        saved = texts.save(db, terms_code, level_no, language, sources, by=None)
    except DunningError as exc:
        st.session_state["tpl_message"] = ("error", str(exc))
        return
    st.session_state["tpl_message"] = ("success", f"Saved as version {saved.version}.")


def load_version(db: Database, terms_code: str, level_no: int, language: str) -> None:
    """Load button callback: the chosen version into the editors; saving it restores it as a new version."""
    number = int(st.session_state.get("tpl_version_pick", 0))
    try:
        text = texts.version(db, terms_code, level_no, language, number)
    except DunningError as exc:
        st.session_state["tpl_message"] = ("error", str(exc))
        return
    fill(text.sources)
    what = "the shipped text" if number == 0 else f"version {number}"
    st.session_state["tpl_message"] = (
        "info",
        f"Loaded {what} into the editor; save it to make it the text in force.",
    )


def problem_text(problem: texts.TextProblem) -> str:
    """'Opening, line 6: 'custmer_name' is undefined' (the message kept literal in Markdown)."""
    where = problem.part.capitalize() + (f", line {problem.line}" if problem.line else "")
    return f"{where}: {literal(problem.message)}"


def show_outcome() -> None:
    """The outcome of the last save or load, shown once."""
    kind, text = st.session_state.pop("tpl_message", (None, ""))
    if kind:
        {"error": st.error, "success": st.success, "info": st.info}[kind](text)


def open_drafts(db: Database, terms_code: str, level_no: int, language: str) -> list[Draft]:
    """The open drafts of the level whose customer reads the language, by customer."""
    rows = db.rows(
        "select h.reminder_id, coalesce(h.reminder_no, 'R' || lpad(h.reminder_id::varchar, 7, '0')),"
        " h.customer_no, coalesce(c.name, h.customer_no), h.language from reminder_headers h"
        " left join customers c using (customer_no)"
        " where list_contains($statuses, h.status) and h.terms_code = $t and h.level_no = $l"
        " order by h.customer_no, h.reminder_id",
        {"statuses": list(OPEN_STATUSES), "t": terms_code, "l": level_no},
    )
    return [Draft(int(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in rows if language_of(r[4]) == language]


def example_preview(text: texts.LevelText) -> None:
    """The texts with example values, where no draft of the level reads the language."""
    rendered = texts.render(text, texts.example_variables(True))
    st.markdown(f"**Subject:** {literal(rendered.subject)}")
    with st.container(border=True, key="tpl_example_body"):
        for paragraph in rendered.opening:
            st.markdown(literal(paragraph))
        st.caption("*(the table of overdue invoices, fees, interest and the total)*")
        for paragraph in rendered.closing:
            st.markdown(literal(paragraph))


def versions_frame(saved: list[texts.LevelText]) -> pd.DataFrame:
    """The saved versions, newest first: version, saved at, by, subject."""
    return pd.DataFrame(
        [(v.version, v.created_at, v.created_by or "", v.subject) for v in saved],
        columns=["version", "saved_at", "by", "subject"],
    )


def variables_reference() -> str:
    """The variables a text may use, as Markdown."""
    lines = [f"- `{{{{ {name} }}}}` {about}" for name, about in texts.VARIABLES.items()]
    return (
        "A blank line starts a new paragraph. Conditions: `{% if fee_charged %}` … `{% endif %}`.\n\n"
        + "\n".join(lines)
    )
