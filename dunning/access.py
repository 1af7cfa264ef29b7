"""Who may do what: roles, the person acting, and the one check every core action makes first.

Three roles, each allowed what the one below it may do and more:

- viewer: reads (the overview, customers, history, settings as they are);
- credit controller: imports entries, proposes reminders, edits drafts, sends, cancels and decides
  reminders, logs calls and agreements, edits customers (contacts, language, terms);
- admin: also the settings: company, reminder terms, texts (templates), reference rates, aging buckets.

The person acting travels with the database handle (`Database.actor`), so that each core action starts with
one line, `require(db.actor, Action.SEND)`, and refuses with NotAllowed whatever face called it: a page that
forgot to hide a button cannot send for a viewer. The command line and the app without login act as the
operating-system user with the admin role (whoever can run them can open the database file anyway).

Which person has which role comes from the app's settings: `roles_from(config)` reads a mapping of role to
the e-mail addresses (or `@domain` suffixes) that have it, e.g. `[dunning.roles]` in Streamlit's secrets.
A base module: it imports nothing of the project but the errors.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum

from dunning.errors import NotAllowed


class Role(Enum):
    VIEWER = "viewer"
    CONTROLLER = "controller"
    ADMIN = "admin"

    @property
    def title(self) -> str:
        return {"viewer": "viewer", "controller": "credit controller", "admin": "admin"}[self.value]

    @property
    def rank(self) -> int:
        return list(Role).index(self)


class Action(Enum):
    """What a core action does, as the refusal names it; each needs the role in NEEDS."""

    IMPORT = "import ledger entries"
    PROPOSE = "propose reminders"
    EDIT_DRAFTS = "edit draft reminders"
    SEND = "send reminders or decide their fate"
    CANCEL = "cancel issued reminders"
    LOG = "log calls and agreements"
    CUSTOMERS = "edit customers (contacts, language, country, reminder terms)"
    # an alias of CUSTOMERS (the same value): choosing a customer's terms is editing the customer
    CUSTOMER_TERMS = "edit customers (contacts, language, country, reminder terms)"
    SETTINGS = "change the settings (company, terms, templates, rates, aging buckets)"


NEEDS: dict[Action, Role] = {
    Action.IMPORT: Role.CONTROLLER,
    Action.PROPOSE: Role.CONTROLLER,
    Action.EDIT_DRAFTS: Role.CONTROLLER,
    Action.SEND: Role.CONTROLLER,
    Action.CANCEL: Role.CONTROLLER,
    Action.LOG: Role.CONTROLLER,
    Action.CUSTOMERS: Role.CONTROLLER,
    Action.SETTINGS: Role.ADMIN,
}


@dataclass(frozen=True)
class Actor:
    """A person (or the account a command runs as) and their role; NAME is what records say did it."""

    name: str
    role: Role

    def may(self, action: Action) -> bool:
        return self.role.rank >= NEEDS[action].rank


def require(actor: Actor, action: Action) -> None:
    """Refuse (NotAllowed) when ACTOR's role does not allow ACTION."""
    if not actor.may(action):
        raise NotAllowed(
            f"{actor.name} ({actor.role.title}) may not {action.value}; this needs the "
            f"{NEEDS[action].title} role, which an admin gives in the app's settings ([dunning.roles])"
        )


def os_user() -> str:
    """The operating-system account this process runs as ('unknown' where it has no name)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry and no $USER (e.g. some containers)
        return "unknown"


def system_actor(prefix: str = "") -> Actor:
    """The operating-system user as admin: the command line, and the app when no login is configured."""
    return Actor(f"{prefix}{os_user()}", Role.ADMIN)


_ROLE_NAMES = {
    "viewer": Role.VIEWER,
    "viewers": Role.VIEWER,
    "controller": Role.CONTROLLER,
    "controllers": Role.CONTROLLER,
    "credit_controller": Role.CONTROLLER,
    "credit_controllers": Role.CONTROLLER,
    "credit controller": Role.CONTROLLER,
    "admin": Role.ADMIN,
    "admins": Role.ADMIN,
}


def roles_from(config: Mapping[str, object]) -> dict[str, Role]:
    """{address or '@domain' (lower case): role} from a mapping of role name to a list of addresses.

    An address listed under several roles gets the highest. Raises ValueError naming an unknown role or a
    value that is not a list of addresses."""
    found: dict[str, Role] = {}
    for name, members in config.items():
        role = _ROLE_NAMES.get(str(name).strip().lower())
        if role is None:
            raise ValueError(f"unknown role {name!r} in [dunning.roles]; use viewer, controller or admin")
        if isinstance(members, str) or not isinstance(members, Iterable):
            raise ValueError(f'[dunning.roles] {name}: give a list of e-mail addresses, e.g. ["a@x.example"]')
        for member in members:
            key = str(member).strip().lower()
            if key and (key not in found or found[key].rank < role.rank):
                found[key] = role
    return found


def role_of(email: str | None, roles: Mapping[str, Role]) -> Role | None:
    """The role of the address: listed itself, else its domain ('@example.com'); None when neither is."""
    if not email:
        return None
    address = email.strip().lower()
    if address in roles:
        return roles[address]
    domain = "@" + address.rpartition("@")[2]
    return roles.get(domain) if "@" in address else None
