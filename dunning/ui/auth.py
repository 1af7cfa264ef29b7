"""Login and roles in the app: who is acting, and what the pages show them.

Without an `[auth]` section in `.streamlit/secrets.toml` the app has no login: it acts as the account it runs
as, with the admin role, and listens on 127.0.0.1 only (`.streamlit/config.toml`). With one, `gate()` (called
by app.py before anything else) asks everyone to log in through `st.login` (OpenID Connect; Authlib does the
protocol) and lets in only the people the roles table names:

    [dunning.roles]
    admin = ["ada@example.com"]
    controller = ["carl@example.com", "cleo@example.com"]
    viewer = ["@example.com"]          # everyone whose address ends so

The person's role decides what app.py lists (`pages_for`) and what a page draws (`can(action)`); the core
checks it again on every change (dunning.access), with the Database handle that `acting(db)` gives each
page run, so a control a page forgot to hide still refuses a viewer. That handle also records the person
(their e-mail address) on what they do.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from dunning.access import Action, Actor, Role, role_of, roles_from, system_actor
from dunning.db import Database
from dunning.ui.markdown import literal

UNREADABLE = "__unreadable__"  # the key under which _secrets() says why the secrets file cannot be read


def _secrets() -> Mapping[str, Any]:
    """Streamlit's secrets; nothing when there is no secrets file; {UNREADABLE: why} when there is one that
    cannot be read, so that a broken file closes the app instead of dropping its login."""
    try:
        return st.secrets.to_dict()
    except FileNotFoundError as exc:  # StreamlitSecretNotFoundError: none found, or one that does not parse
        if getattr(exc, "error_id", None) == "no-secrets-found":
            return {}
        return {UNREADABLE: str(exc)}


def configured() -> bool:
    """Whether login is required: secrets.toml has an [auth] section (or cannot be read: then nobody enters)."""
    found = _secrets()
    return UNREADABLE in found or isinstance(found.get("auth"), Mapping)


def _logged_in() -> bool:
    return st.user.get("is_logged_in") is True


def current_actor() -> Actor | None:
    """Who acts in this session: the app's account (admin) without login; with login the person and the
    role the roles table gives them, or None while nobody is logged in or they have no role."""
    if not configured():
        return system_actor("app:")
    email = st.user.get("email")
    if UNREADABLE in _secrets() or not _logged_in() or not isinstance(email, str):
        return None
    if st.user.get("email_verified") is False:  # a provider that lets anyone claim an address says so
        return None
    table = _secrets().get("dunning", {}).get("roles", {})
    try:
        role = role_of(email, roles_from(table))
    except ValueError:  # a wrong table lets nobody in rather than the wrong people; gate() says why
        return None
    return None if role is None else Actor(email, role)


def can(action: Action) -> bool:
    """Whether the person of this session may do ACTION: pages draw a control only when it is True."""
    actor = current_actor()
    return actor is not None and actor.may(action)


def acting(db: Database) -> Database:
    """The app's database with this session's person acting (a viewer when nobody is: refuses every change)."""
    return db.as_actor(current_actor() or Actor("nobody", Role.VIEWER))


def _providers() -> list[str | None]:
    """The login providers of the [auth] section: its named sub-sections, else the unnamed one."""
    section = _secrets().get("auth", {})
    named = [str(k) for k, v in section.items() if isinstance(v, Mapping)]
    return [*named] or [None]


def gate() -> Actor:
    """The person acting; without login the app's account. With login, shows the login (or why someone
    logged in may not enter) and stops the run until a person with a role is logged in."""
    actor = current_actor()
    if actor is not None:
        if configured():
            with st.sidebar:
                st.caption(f"{literal(actor.name)} ({actor.role.title})")
                st.button("Log out", key="auth_logout", on_click=st.logout, icon=":material/logout:")
        return actor
    st.title("dunning", anchor=False)
    if unreadable := _secrets().get(UNREADABLE):
        st.error(f"The app's secrets cannot be read, so nobody can log in: {literal(unreadable)}",
                 icon=":material/block:")  # fmt: skip
    elif not _logged_in():
        st.write("Log in to see the receivables.")
        for provider in _providers():
            label = f"Log in with {provider.title()}" if provider else "Log in"
            st.button(label, key=f"auth_login_{provider or 'default'}", type="primary", icon=":material/login:",
                      on_click=st.login, args=(provider,) if provider else ())  # fmt: skip
    else:
        try:
            roles_from(_secrets().get("dunning", {}).get("roles", {}))
            why = "has no role in this app; ask an admin to add the address to [dunning.roles]"
        except ValueError as exc:
            why = f"cannot be let in: the roles table is wrong ({exc})"
        st.error(
            f"{literal(st.user.get('email') or 'This account')} {literal(why)}.", icon=":material/block:"
        )
        st.button("Log out", key="auth_logout", on_click=st.logout, icon=":material/logout:")
    st.stop()


def pages_for(pages: Mapping[str, list[Any]], needs: Mapping[str, Action]) -> dict[str, list[Any]]:
    """The navigation's sections, less the pages (by title) whose action the person may not do."""
    shown = {
        section: [p for p in entries if p.title not in needs or can(needs[p.title])]
        for section, entries in pages.items()
    }
    return {section: entries for section, entries in shown.items() if entries}


def navigation(pages: Mapping[str, list[Any]], needs: Mapping[str, Action]) -> StreamlitPage:
    """app.py's st.navigation: the pages the person may use (NEEDS: page title -> the action it is for),
    hidden until someone with a role is logged in; the run stops at the login until then."""
    shown = pages_for(pages, needs)
    page = st.navigation(shown, position="sidebar" if current_actor() else "hidden")
    gate()
    return page
