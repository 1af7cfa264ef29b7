"""Hostile text on the pages (issue 12, items 8 and 11): a customer name written as Markdown reads as the text
it is on the customer page's heading and the History page (no image for the browser to fetch, no link, no
bold), and a database the app cannot open is said on the page, never as a traceback."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from dunning.db import Database
from dunning.reminders.issued import issue
from dunning.reminders.proposal import ProposalOptions, propose
from dunning.ui.markdown import literal
from tests.conftest import AS_OF, ROOT

HOSTILE = "![x](http://host.example/img.png) **Acme** <img src=http://host.example/i.png> :red[Ltd]"


def markdown_sources(at: AppTest) -> list[str]:
    """Every text the last run handed to Streamlit's Markdown renderer."""
    found: list[str] = []
    for kind in (
        "markdown",
        "title",
        "header",
        "subheader",
        "caption",
        "error",
        "warning",
        "info",
        "success",
    ):
        found += [str(e.value) for e in getattr(at, kind)]
    return found


# the name's markup where it would take effect: not escaped by a backslash
MARKUP = [
    re.compile(p) for p in (r"(?<!\\)!(?<!\\)\[x", r"(?<!\\)\*(?<!\\)\*Acme", r"(?<!\\)<img", r"(?<!\\):red")
]


def renders_nothing_of(sources: list[str]) -> None:
    for source in sources:
        for markup in MARKUP:
            assert not markup.search(source), f"{markup.pattern!r} would render as Markdown in {source!r}"


def hostile_customer(db_path: Path) -> tuple[str, int]:
    """The sample's first customer with a reminder sent, renamed HOSTILE: its number and the reminder."""
    with Database(db_path) as db:
        propose(db, ProposalOptions(as_of=AS_OF))
        rid, no = db.one(
            "select reminder_id, customer_no from reminder_headers where status = 'draft' order by 1 limit 1"
        ) or (0, "")
        issue(db, [rid], AS_OF)
        db.execute("update customers set name = $n where customer_no = $c", {"n": HOSTILE, "c": no})
        return str(no), int(rid)


def ok(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    return at


def test_a_customer_name_in_markdown_stays_text_on_the_customer_page(app_db: Path) -> None:
    no, _ = hostile_customer(app_db)
    at = AppTest.from_file(str(ROOT / "pages" / "customer.py"), default_timeout=120)
    at.query_params["customer"] = no
    ok(at.run())
    assert literal(HOSTILE) in [h.value for h in at.subheader]
    renders_nothing_of(markdown_sources(at))


def test_a_customer_name_in_markdown_stays_text_on_the_history_page(app_db: Path) -> None:
    hostile_customer(app_db)
    at = AppTest.from_file(str(ROOT / "pages" / "history.py"), default_timeout=120)
    ok(at.run())
    table: Any = at.dataframe[0].value
    row = list(table["name"]).index(HOSTILE)  # the table shows it as it is
    at.session_state["hist_table"] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    ok(at.run())
    assert any(literal(HOSTILE) in h.value for h in at.subheader)
    renders_nothing_of(markdown_sources(at))


def test_a_database_the_app_cannot_open_is_said_not_raised(tmp_path: Path, monkeypatch: Any) -> None:
    not_db = tmp_path / "ledger.csv"
    not_db.write_text("document_no,amount\nINV1,10.00\n")
    monkeypatch.setenv("DUNNING_DB", str(not_db))
    at = ok(AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run())
    assert any("is not a DuckDB database" in e.value for e in at.error)
    assert not_db.read_text() == "document_no,amount\nINV1,10.00\n"
