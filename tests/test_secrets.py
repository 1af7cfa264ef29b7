"""Secrets never appear (issue 12): the SMTP password and the login's client and cookie secrets are on no page
of the app, in no message of the command line, and in no error a wrong password gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from dunning.mail.settings import SMTP_VARIABLES, describe, smtp_settings_from_env, transport_from_env
from dunning.mail.smtp import PermanentFailure, send_test
from tests.cli import dunning
from tests.conftest import ROOT
from tests.smtp_server import serve
from tests.test_pages_smoke import PAGES

PASSWORD = "Sm7p-Pa55word-XYZ"
CLIENT_SECRET = "oidc-client-secret-QRS"
COOKIE_SECRET = "cookie-secret-TUV"
SECRETS = (PASSWORD, CLIENT_SECRET, COOKIE_SECRET)


def everything(at: AppTest) -> str:
    """Every element the last run drew, as Streamlit sends it to the browser (labels, values, tables)."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


@pytest.mark.parametrize("page", PAGES)
def test_no_page_shows_a_secret(app_db: Path, page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in SMTP_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.secrets.update(
        {"DUNNING_SMTP_HOST": "mail.example.com", "DUNNING_SMTP_USER": "credit", "DUNNING_SMTP_PASSWORD": PASSWORD,
         "auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": COOKIE_SECRET,
                  "client_id": "dunning", "client_secret": CLIENT_SECRET,
                  "server_metadata_url": "https://login.example.com/.well-known/openid-configuration"},
         "dunning": {"roles": {"admin": ["ada@example.com"]}}}
    )  # fmt: skip
    at.user = {"is_logged_in": True, "email": "ada@example.com"}
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    drawn = everything(at)
    assert "ada@example.com" in drawn or "ada\\\\@example" in drawn, "the page was drawn for the admin"
    for secret in SECRETS:
        assert secret not in drawn, f"{page} shows a secret"


def test_a_refused_login_and_every_description_keep_the_password_out() -> None:
    environ = {"DUNNING_SMTP_HOST": "127.0.0.1", "DUNNING_SMTP_SECURITY": "none", "DUNNING_SMTP_USER": "credit",
               "DUNNING_SMTP_PASSWORD": PASSWORD}  # fmt: skip
    settings = smtp_settings_from_env(environ)
    assert settings is not None
    assert PASSWORD not in repr(settings) and PASSWORD not in describe(environ, None)
    with serve(credentials=("credit", "the-right-one")) as server:
        environ["DUNNING_SMTP_PORT"] = str(server.port)
        with pytest.raises(PermanentFailure) as refused:
            send_test(transport_from_env(environ, None), "me@example.com", "ar@example.com")
    assert "credit" in str(refused.value)
    assert PASSWORD not in str(refused.value) and PASSWORD not in repr(refused.value)
    assert PASSWORD not in "".join(map(str, refused.value.args))


def test_the_command_line_keeps_the_password_out(sample_file: Path, tmp_path: Path, monkeypatch: Any) -> None:
    path = tmp_path / "db.duckdb"
    path.write_bytes(sample_file.read_bytes())
    assert dunning("propose", "--as-of", "2026-11-28", db=path).returncode == 0
    monkeypatch.setenv("DUNNING_SMTP_HOST", "mail.example.com")
    monkeypatch.setenv("DUNNING_SMTP_USER", "credit")
    monkeypatch.setenv("DUNNING_SMTP_PASSWORD", PASSWORD)
    shown = dunning("send", "--dry-run", db=path)
    assert shown.returncode == 0, shown.stderr
    assert "as credit" in shown.stdout
    assert PASSWORD not in shown.stdout + shown.stderr
    monkeypatch.delenv("DUNNING_SMTP_USER")  # a password without a user: the error names the variables only
    wrong = dunning("send", "--dry-run", db=path)
    assert wrong.returncode == 2 and "DUNNING_SMTP_PASSWORD" in wrong.stderr
    assert PASSWORD not in wrong.stdout + wrong.stderr


def test_the_send_section_names_the_server_and_login_but_not_the_password(
    app_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in SMTP_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    at = AppTest.from_file(str(ROOT / "pages" / "create_reminders.py"), default_timeout=120)
    at.secrets.update(
        {
            "DUNNING_SMTP_HOST": "mail.example.com",
            "DUNNING_SMTP_USER": "credit",
            "DUNNING_SMTP_PASSWORD": PASSWORD,
        }
    )
    at.run()
    at.button(key="cr_run").click()
    at.run()
    assert not at.exception, at.exception
    drawn = everything(at)
    assert "mail.example.com" in drawn and "as credit" in drawn, "the send section describes the server"
    assert PASSWORD not in drawn
