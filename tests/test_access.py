"""Who may do what: the roles, and the core refusing an action for someone whose role does not allow it,
whatever face called it (a page that forgot to hide a button, a script), and recording who did it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dunning.access import Action, Actor, Role, os_user, require, role_of, roles_from, system_actor
from dunning.aging import buckets
from dunning.db import Database
from dunning.dispatch.claims import resolve_unknown
from dunning.dispatch.send import send_reminders
from dunning.documents import company, texts
from dunning.errors import BadInput, NotAllowed
from dunning.ledger import contacts
from dunning.ledger.imports.parties import import_parties
from dunning.mail.outbox import OutboxTransport
from dunning.reminders import rates, review, terms
from dunning.reminders.issued import cancel, issue
from dunning.reminders.proposal import ProposalOptions, propose
from dunning.sample.company import write_company
from dunning.sample.remove import remove_sample
from tests.cli import dunning
from tests.ledger import add_entry, add_reachable_customer

AS_OF = dt.date(2026, 11, 28)
VIEWER = Actor("vera@example.com", Role.VIEWER)
CONTROLLER = Actor("carl@example.com", Role.CONTROLLER)
ADMIN = Actor("ada@example.com", Role.ADMIN)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.VIEWER, set()),
        (Role.CONTROLLER, set(Action) - {Action.SETTINGS}),
        (Role.ADMIN, set(Action)),
    ],
)
def test_each_role_may_do_what_its_rank_allows(role: Role, allowed: set[Action]) -> None:
    actor = Actor("someone", role)
    assert {a for a in Action if actor.may(a)} == allowed
    for action in set(Action) - allowed:
        with pytest.raises(NotAllowed, match="someone"):
            require(actor, action)


def test_a_refusal_names_the_person_the_action_and_the_role_needed() -> None:
    with pytest.raises(NotAllowed) as refused:
        require(VIEWER, Action.SEND)
    text = str(refused.value)
    assert "vera@example.com (viewer)" in text
    assert "send reminders" in text
    assert "credit controller role" in text


def test_without_login_the_operating_system_user_acts_as_admin() -> None:
    db = Database(":memory:", migrate=False)
    assert db.actor.role is Role.ADMIN
    assert db.actor == system_actor()
    assert system_actor("cli:").name.startswith("cli:")


def test_roles_come_from_a_table_of_role_to_addresses() -> None:
    roles = roles_from(
        {"admin": ["Ada@Example.com"], "controller": ["carl@example.com", "ada@example.com"],
         "viewer": ["@example.com"]}
    )  # fmt: skip
    assert role_of("ada@example.com", roles) is Role.ADMIN  # the highest of the roles it is listed under
    assert role_of("carl@example.com", roles) is Role.CONTROLLER
    assert role_of("VERA@example.com", roles) is Role.VIEWER  # by its domain
    assert role_of("mallory@example.com.evil.test", roles) is None
    assert role_of("mallory@evil.test", roles) is None
    assert role_of(None, roles) is None
    assert role_of("", roles) is None


@pytest.mark.parametrize(
    "config", [{"superuser": ["a@x.example"]}, {"admin": "a@x.example"}, {"viewer": 3}], ids=str
)
def test_a_wrong_roles_table_is_refused_with_its_reason(config: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"\[dunning.roles\]"):
        roles_from(config)


def test_as_actor_shares_the_database_and_changes_only_who_acts(db: Database) -> None:
    viewer = db.as_actor(VIEWER)
    assert viewer.actor is VIEWER and db.actor.role is Role.ADMIN
    db.execute("insert or replace into settings values ('k', 'v')")
    assert viewer.setting("k") == "v"


# -- the core refuses ------------------------------------------------------------------------------------
def _draft(db: Database) -> int:
    add_reachable_customer(db, "C1")
    add_entry(db, "C1", due=AS_OF - dt.timedelta(days=40), amount="300.00")
    propose(db, ProposalOptions(as_of=AS_OF))
    return int(db.scalar("select reminder_id from reminder_headers where status = 'draft'"))


def _sent(db: Database, rid: int) -> int:
    issue(db, [rid], AS_OF)
    return rid


Call = Callable[[Database, int, Path], object]
CONTROLLER_ACTIONS: dict[str, Call] = {
    "propose": lambda d, r, p: propose(d, ProposalOptions(as_of=AS_OF)),
    "include": lambda d, r, p: review.set_included(d, r, False),
    "recipients": lambda d, r, p: review.set_recipients(d, r, ["x@example.com"]),
    "waive fee": lambda d, r, p: review.waive_fee(d, r, True),
    "waive interest": lambda d, r, p: review.waive_interest(d, r, True),
    "level": lambda d, r, p: review.change_level(d, r, 2),
    "delete": lambda d, r, p: review.delete_draft(d, r, "other", "called"),
    "send": lambda d, r, p: send_reminders(d, [r], OutboxTransport(p), on=AS_OF, by=None),
    "issue": lambda d, r, p: issue(d, [r], AS_OF),
    "resolve": lambda d, r, p: resolve_unknown(d, r, True, None),
    "cancel": lambda d, r, p: cancel(d, r),
    "log contact": lambda d, r, p: contacts.log_contact(d, "C1", AS_OF, "phone", "called", today=AS_OF),
    "agreement": lambda d, r, p: contacts.add_agreement(d, "C1", AS_OF, AS_OF, "plan"),
    "customer terms": lambda d, r, p: terms.set_customer_terms(d, "C1", None),
    "import customers": lambda d, r, p: import_parties(d, _customers_file(p), "customers"),
}


def _customers_file(folder: Path) -> Path:
    path = folder / "customers.csv"
    path.write_text("customer_no,name\nC9,Newly Imported Ltd\n", encoding="utf-8")
    return path


ADMIN_ACTIONS: dict[str, Call] = {
    "company": lambda d, r, p: company.set_company(d, legal_name="Evil Ltd"),
    "bank account": lambda d, r, p: company.set_bank_account(d, "EUR", "DE89370400440532013000"),
    "bank accounts": lambda d, r, p: company.set_bank_accounts(d, []),
    "terms": lambda d, r, p: terms.save_terms(d, terms.load_terms(d, "DEFAULT")),
    "texts": lambda d, r, p: texts.save(d, "DEFAULT", 1, "en", texts.current(d, "DEFAULT", 1, "en").sources),
    "rates": lambda d, r, p: rates.save_rates(d, rates.load_rates(d)),
    "buckets": lambda d, r, p: buckets.save(d, buckets.load(d)),
    "remove sample": lambda d, r, p: remove_sample(d),
}


def _refused(db: Database, actor: Actor, call: Call, tmp_path: Path) -> None:
    rid = int(db.scalar("select max(reminder_id) from reminder_headers") or 0) or _draft(db)
    if call is CONTROLLER_ACTIONS["cancel"]:
        _sent(db, rid)
    before = db.data_version()
    with pytest.raises(NotAllowed, match=actor.name):
        call(db.as_actor(actor), rid, tmp_path)
    assert db.data_version() == before, "a refused action changed the database"
    assert not list(tmp_path.glob("*.eml")), "a refused send delivered a message"


@pytest.mark.parametrize("call", list(CONTROLLER_ACTIONS.values()), ids=list(CONTROLLER_ACTIONS))
def test_the_core_refuses_a_viewer_every_change(db: Database, tmp_path: Path, call: Call) -> None:
    _refused(db, VIEWER, call, tmp_path)


@pytest.mark.parametrize("call", list(ADMIN_ACTIONS.values()), ids=list(ADMIN_ACTIONS))
def test_the_core_refuses_settings_to_everyone_but_an_admin(db: Database, tmp_path: Path, call: Call) -> None:
    _refused(db, VIEWER, call, tmp_path)
    _refused(db, CONTROLLER, call, tmp_path)


@pytest.mark.parametrize("call", list(ADMIN_ACTIONS.values()), ids=list(ADMIN_ACTIONS))
def test_an_admin_may_change_the_settings(db: Database, tmp_path: Path, call: Call) -> None:
    rid = _draft(db)
    call(db.as_actor(ADMIN), rid, tmp_path)


def test_the_person_acting_is_recorded_on_what_they_do(db: Database, tmp_path: Path) -> None:
    write_company(db)
    _draft(db)
    carl = db.as_actor(CONTROLLER)
    run = propose(carl, ProposalOptions(as_of=AS_OF))
    rid = int(db.scalar("select reminder_id from reminder_headers where run_id = $r", {"r": run.run_id}))
    assert (
        db.scalar("select created_by from proposal_runs where run_id = $r", {"r": run.run_id})
        == CONTROLLER.name
    )
    contacts.log_contact(carl, "C1", AS_OF, "phone", "called about R1", today=AS_OF)
    assert db.scalar("select created_by from contact_log where note = 'called about R1'") == CONTROLLER.name
    (result,) = send_reminders(carl, [rid], OutboxTransport(tmp_path), on=AS_OF, by=None)
    assert result.status == "sent", result
    assert (
        db.scalar("select sent_by from reminder_headers where reminder_id = $r", {"r": rid})
        == CONTROLLER.name
    )
    cancel(carl, rid)
    assert (
        db.scalar("select cancelled_by from reminder_headers where reminder_id = $r", {"r": rid})
        == CONTROLLER.name
    )
    saved = texts.save(db.as_actor(ADMIN), "DEFAULT", 1, "en", texts.current(db, "DEFAULT", 1, "en").sources)
    assert saved.created_by == ADMIN.name


def test_the_command_line_records_the_operating_system_user(sample_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "db.duckdb"
    path.write_bytes(sample_file.read_bytes())
    customer = Database(path).scalar("select min(customer_no) from customers")
    done = dunning("contact", customer, "--note", "called from the shell", "--on", "2026-11-01", db=path)
    assert done.returncode == 0, done.stderr
    assert Database(path).rows("select created_by from contact_log where note = 'called from the shell'") == [
        (f"cli:{os_user()}",)
    ]


def test_changes_without_a_by_column_of_their_own_are_in_the_audit_log(db: Database) -> None:
    rid = _draft(db)
    review.waive_fee(db.as_actor(CONTROLLER), rid, True)
    company.set_company(db.as_actor(ADMIN), legal_name="Northwind B.V.")
    terms.set_customer_terms(db.as_actor(CONTROLLER), "C1", "DEFAULT")
    with pytest.raises(NotAllowed):
        review.set_included(db.as_actor(VIEWER), rid, False)
    with pytest.raises(BadInput):  # a change that fails writes no record either
        review.set_recipients(db.as_actor(CONTROLLER), rid, ["not an address"])
    assert db.rows("select actor, action, detail from audit_log order by audit_id") == [
        (CONTROLLER.name, Action.EDIT_DRAFTS.value, f"reminder {rid}: fee waived"),
        (ADMIN.name, Action.SETTINGS.value, "company: legal_name"),
        (CONTROLLER.name, Action.CUSTOMERS.value, "customer C1: reminder terms DEFAULT"),
    ]
