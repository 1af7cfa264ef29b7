"""Login and roles in the app (AppTest with a mocked identity): with [auth] in the secrets nobody sees the
receivables before logging in, a viewer sees no import, send or edit control and the core refuses them
anyway, a credit controller's changes are recorded under their address, and without [auth] the app is
the admin's as before."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.errors import StreamlitSecretNotFoundError
from streamlit.runtime.secrets import Secrets
from streamlit.testing.v1 import AppTest

from dunning.db import Database
from dunning.reminders.issued import issue
from dunning.reminders.proposal import ProposalOptions, propose
from dunning.ui.markdown import literal
from tests.conftest import AS_OF, ROOT

APP = str(ROOT / "app.py")
VIEWER, CONTROLLER, ADMIN = "vera@example.com", "carl@example.com", "ada@example.com"
SECRETS: dict[str, Any] = {
    "auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "test-cookie-secret",
             "client_id": "dunning", "client_secret": "secret",
             "server_metadata_url": "https://login.example.com/.well-known/openid-configuration"},
    "dunning": {"roles": {"admin": [ADMIN], "controller": [CONTROLLER], "viewer": ["@example.com"]}},
}  # fmt: skip
RESTRICTED = [
    "pages/create_reminders.py",
    "pages/import_data.py",
    "pages/aging_settings.py",
    "pages/reminder_terms.py",
    "pages/company.py",
    "pages/templates.py",
]
EDIT_KEYS = {"contact_submit", "agreement_submit", "person_save", "person_pick", "hist_cancel"}


def app(email: str | None, *, secrets: bool = True) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if secrets:
        at.secrets.update(SECRETS)
    at.user = {"is_logged_in": email is not None, **({"email": email} if email else {})}
    return at


def ok(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    return at


def pages_of(at: AppTest) -> set[str]:
    """The page files the navigation of the last run listed."""
    return {Path(info["script_path"]).relative_to(ROOT).as_posix() for info in at._registered_pages.values()}


def keys(at: AppTest) -> set[str]:
    """Every widget key drawn by the last run (buttons, inputs, selects, forms' submit buttons)."""
    found = set()
    for kind in ("button", "text_input", "text_area", "selectbox", "date_input", "checkbox", "data_editor"):
        found |= {w.key for w in getattr(at, kind) if getattr(w, "key", None)}
    return found


def test_nobody_sees_the_receivables_before_logging_in(app_db: Path) -> None:
    at = ok(app(None).run())
    assert [b.key for b in at.button] == ["auth_login_default"]
    assert not at.metric and not at.dataframe
    at.switch_page("pages/customer.py")  # a deep link changes nothing
    ok(at.run())
    assert not at.metric and not at.dataframe


def test_someone_without_a_role_is_turned_away(app_db: Path) -> None:
    at = ok(app("mallory@evil.test").run())
    assert "has no role" in at.error[0].value
    assert literal("mallory@evil.test") in at.error[0].value  # their address, shown as text
    assert not at.metric and not at.dataframe
    assert [b.key for b in at.button] == ["auth_logout"]


def test_an_address_the_provider_has_not_verified_gets_no_role(app_db: Path) -> None:
    # with "@example.com" readers, a provider that lets anyone register an address must not let them in
    at = app(VIEWER)
    at.user = {"is_logged_in": True, "email": VIEWER, "email_verified": False}
    ok(at.run())
    assert not at.metric and not at.dataframe
    verified = app(VIEWER)
    verified.user = {"is_logged_in": True, "email": VIEWER, "email_verified": True}
    assert ok(verified.run()).metric  # the same address, verified, reads the overview


def test_a_viewer_reads_and_sees_no_import_send_or_edit_control(app_db: Path) -> None:
    with Database(app_db) as db:  # a sent reminder, so that History would offer to cancel it
        propose(db, ProposalOptions(as_of=AS_OF))
        rid = db.scalar("select min(reminder_id) from reminder_headers where status = 'draft'")
        issue(db, [rid], AS_OF)
    at = ok(app(VIEWER).run())
    assert at.metric, "the overview is for viewers too"
    assert literal(VIEWER) in " ".join(c.value for c in at.sidebar.caption)
    assert not set(RESTRICTED) & pages_of(at)
    assert {"pages/overview.py", "pages/customer.py", "pages/history.py"} <= pages_of(at)

    at.switch_page("pages/customer.py")
    ok(at.run())
    assert at.dataframe, "the customer page shows the customer"
    assert not EDIT_KEYS & keys(at)
    (terms,) = [s for s in at.selectbox if s.key.startswith("customer_terms_")]
    assert terms.disabled

    at.switch_page("pages/history.py")
    ok(at.run())
    at.session_state["hist_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    ok(at.run())
    assert any(h.value.startswith("R0") for h in at.subheader), "a reminder is selected"
    assert "hist_cancel" not in keys(at)


@pytest.mark.parametrize("page", RESTRICTED)
def test_a_viewer_cannot_open_a_page_for_other_roles(app_db: Path, page: str) -> None:
    at = ok(app(VIEWER).run())
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page)  # not registered for this session: a link to it opens the overview


def test_the_core_refuses_a_viewer_where_a_page_offers_the_control(app_db: Path) -> None:
    """The Create reminders page run directly (as if a page forgot to hide its button) still changes
    nothing for a viewer: the core refuses and the page shows why."""
    at = AppTest.from_file(str(ROOT / "pages" / "create_reminders.py"), default_timeout=120)
    at.secrets.update(SECRETS)
    at.user = {"is_logged_in": True, "email": VIEWER}
    ok(at.run())
    at.button(key="cr_run").click()
    ok(at.run())
    assert any(literal(f"{VIEWER} (viewer) may not propose reminders") in e.value for e in at.error)
    assert Database(app_db).scalar("select count(*) from proposal_runs") == 0


def test_a_credit_controller_works_and_is_recorded_but_changes_no_settings(app_db: Path) -> None:
    at = ok(app(CONTROLLER).run())
    assert "pages/create_reminders.py" in pages_of(at) and "pages/import_data.py" in pages_of(at)
    assert not {"pages/company.py", "pages/templates.py", "pages/reminder_terms.py"} & pages_of(at)
    at.switch_page("pages/customer.py")
    ok(at.run())
    at.text_area(key="contact_note").input("Promised to pay on Friday")
    at.button(key="contact_submit").click()
    ok(at.run())
    assert Database(app_db).rows(
        "select created_by from contact_log where note = 'Promised to pay on Friday'"
    ) == [(CONTROLLER,)]


def test_an_admin_sees_the_settings(app_db: Path) -> None:
    at = ok(app(ADMIN).run())
    assert set(RESTRICTED) <= pages_of(at)


def test_without_auth_the_app_is_the_admins_and_asks_no_login(app_db: Path) -> None:
    at = ok(app(None, secrets=False).run())
    assert at.metric
    assert not [b for b in at.button if b.key.startswith("auth_")]
    assert set(RESTRICTED) <= pages_of(at)


def test_a_secrets_file_that_cannot_be_read_lets_nobody_in(
    app_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A typo in secrets.toml must not drop the login and open the app to everyone."""

    def broken(self: Secrets) -> dict[str, Any]:
        raise StreamlitSecretNotFoundError(
            "Error parsing secrets file at {path}: {error}", path="/srv/dunning/.streamlit/secrets.toml",
            error="Expected '=' after a key (line 3)", error_id="failed-parsing-secrets-file",
        )  # fmt: skip

    monkeypatch.setattr(Secrets, "to_dict", broken)
    at = ok(app(ADMIN, secrets=False).run())
    assert "cannot be read, so nobody can log in" in at.error[0].value
    assert not at.metric and not at.dataframe
