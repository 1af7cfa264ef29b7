"""Create reminders: which customers get a reminder today, at which level, for which entries, with which fee
and interest, to whom, and why the others get none.

The heavy lifting is set-based SQL over all open entries at once, in sql/ beside this module. Python checks the
options, binds them together with the law's figures (interest.sql_params, from law.py) and every text the user
reads (reasons.sql_params), and runs the steps in one transaction, each script split into statements by DuckDB's
own parser (Session.script). The steps, in order: the table each creates <- what it reads.

1. scope.sql    p_cust <- customers (through customer_matches()), reminder_terms
   The customers in scope (the filter: numbers or a search), each with the code of the terms that apply.
2. entries.sql  p_entries <- p_cust, ledger_entries (open today, days overdue to the document date),
   reminder_levels, reminder_terms, issued_lines (the history: lines of reminders issued and not cancelled,
   migration 006; written by dunning.reminders.issued), reminder_lines and reminder_headers (reminders
   approved or being sent), agreements on single entries
   Every open entry of those customers: overdue, not due or credit; why it is excluded, if it is; its last
   level (the ERP's or the highest issued), its next level and when that is due (after the last reminder's
   payment deadline); the first day not yet charged with interest; whether the compensation was claimed;
   whether it triggers a reminder; whether it is a line.
3. groups.sql   p_groups <- p_entries, p_cust, reminder_terms, reminder_levels, reminder_level_fees, agreements
   on the whole customer, reminder_headers, ledger_entries, contact_log, contacts
   One row per customer and currency with overdue entries: a draft (level, fee, recipients, note) or the
   reason it gets none.
4. heads.sql    p_heads <- p_groups, reminder_id_seq
   The groups that get a draft, each with a new reminder id.
5. replace.sql  p_old <- reminder_headers, reminder_lines, p_cust, p_entries
   The open drafts this run replaces (those of the customers in scope, and any other holding one of their
   entries); deletes them from reminder_lines and reminder_headers.
   Python: the proposal_runs row, which gives the run id.
6. lines.sql    p_rate_days <- p_entries, reference_rates
   Per interest scheme (eu, de, uk), due date and first day not yet charged, and half-year: the days,
   (reference rate + statutory points) x days, and a note when the half-year has no rate row.
   Then inserts the drafts' lines into reminder_lines <- p_heads, p_entries, reminder_levels, p_rate_days,
   each priced under its own level's interest method, with the interest period charged and the fixed
   compensation (once per invoice).
7. save.sql     inserts the drafts' headers into reminder_headers under the run id <- p_heads, reminder_lines
   (the lines of p_heads' ids), p_entries, reminder_levels, p_rate_days; totals summed from the lines.
   Python: the skip reasons into proposal_skips <- p_groups; the run's counts, found by its run id; the
   temporary tables dropped.

A run replaces the open drafts of the customers in scope (and any other open draft that holds one of their
entries, e.g. after a re-import moved an entry to another customer, so that an entry is on one open draft at
most) and never touches approved or sent reminders. drafts.sql reads a run's drafts back for the page and the
command line.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

import pandas as pd

from dunning.access import Action, require
from dunning.db import Database, load_sql
from dunning.db.database import Session
from dunning.errors import BadInput
from dunning.money import fmt_plain
from dunning.reminders import interest, reasons

STEPS = ("scope", "entries", "groups", "heads")


@dataclass(frozen=True)
class ProposalOptions:
    """The options of Create reminders (as in Business Central)."""

    as_of: dt.date  # the reminders' document date
    posting_date: dt.date | None = None  # default: the document date
    grace_days: int | None = None  # overrides every level's grace period when set
    customer_nos: tuple[str, ...] = ()  # empty: every customer
    customer_search: str | None = None  # part of a customer number or name
    # every remindable overdue entry of a reminded customer is a line (credits are netted against all of
    # them); only those due for their next level trigger and set the level. Off: also list the entries not
    # yet due as information (as Business Central does).
    only_overdue: bool = True
    # list every excluded overdue entry (held, disputed, agreement, maximum reached) as information
    include_on_hold: bool = False
    include_not_due: bool = False  # list entries not yet due as information
    use_header_level: bool = False  # lines take the reminder's level, at most one above their last level
    # (customer_no, currency, level_no): a level a person chose in review; every remindable overdue entry of
    # that customer and currency is a line at that level, due now (entries.sql)
    forced_levels: tuple[tuple[str, str, int], ...] = ()

    def check(self) -> None:
        if self.grace_days is not None and self.grace_days < 0:
            raise BadInput(f"grace period override {self.grace_days} is negative; give 0 or more days")

    def params(self, lcy: str) -> dict[str, Any]:
        return {
            "as_of": self.as_of,
            "grace": self.grace_days,
            "customers": list(self.customer_nos) or None,
            "search": (self.customer_search or "").strip() or None,
            "only_overdue": self.only_overdue,
            "include_on_hold": self.include_on_hold,
            "include_not_due": self.include_not_due,
            "use_header_level": self.use_header_level,
            "forced_customers": [f[0] for f in self.forced_levels] or None,
            "forced_currencies": [f[1] for f in self.forced_levels] or None,
            "forced_levels": [int(f[2]) for f in self.forced_levels] or None,
            "lcy": lcy,
        }


@dataclass(frozen=True)
class ProposalRun:
    run_id: int
    as_of: dt.date
    drafts: int
    lines: int
    skipped: int
    total: Decimal  # sum of the drafts' totals (mixed currencies: a check figure, not a balance)
    customers: int = 0  # customers in scope; 0: the filter matched nobody
    replaced_elsewhere: tuple[str, ...] = ()  # out-of-scope customers whose draft held an entry of this run

    @property
    def scope_note(self) -> str | None:
        return None if self.customers else reasons.TEXTS["empty_scope"]()


def _one(tx: Any, sql: str, params: dict[str, Any] | None = None) -> tuple[Any, ...]:
    row = tx.one(sql, params)
    assert row is not None, sql
    return tuple(row)


def propose(db: Database, options: ProposalOptions, created_by: str | None = None) -> ProposalRun:
    """Run the proposal and save its drafts and skips; replaces the open drafts of the customers in scope."""
    require(db.actor, Action.PROPOSE)
    options.check()
    if options.customer_nos:
        known = {
            r[0]
            for r in db.rows(
                "select customer_no from customers where list_contains($c, customer_no)",
                {"c": list(options.customer_nos)},
            )
        }
        missing = sorted(set(options.customer_nos) - known)
        if missing:
            raise BadInput(f"customer(s) {', '.join(missing)} do not exist; check the customer numbers")
    params = {**options.params(db.lcy()), **interest.sql_params(), **reasons.sql_params()}
    posting = options.posting_date or options.as_of

    def run_sql(tx: Any, name: str, **extra: Any) -> None:
        tx.script(load_sql(__package__, name), {**params, **extra})

    with db.transaction() as tx:
        for step in STEPS:
            run_sql(tx, step)
        run_sql(tx, "replace", everyone=not (options.customer_nos or params["search"]))
        elsewhere = tuple(r[0] for r in tx.rows("select customer_no from p_old where not in_scope"))
        (customers,) = _one(tx, "select count(*) from p_cust")
        opts = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in asdict(options).items()}
        (run_id,) = _one(
            tx,
            "insert into proposal_runs (as_of, posting_date, options, created_by) values ($a, $p, $o, $u)"
            " returning run_id",
            {"a": options.as_of, "p": posting, "o": json.dumps(opts), "u": created_by or db.actor.name},
        )
        run_sql(tx, "lines")
        run_sql(tx, "save", run=run_id, posting=posting)
        tx.execute(
            "insert into proposal_skips select $run, customer_no, currency, skip_reason from p_groups"
            " where skip_reason is not null",
            {"run": run_id},
        )
        drafts, total, skipped = _one(
            tx,
            "select count(*), coalesce(sum(total), 0),"
            " (select count(*) from proposal_skips where run_id = $run) from reminder_headers where run_id = $run",
            {"run": run_id},
        )
        (lines,) = _one(
            tx,
            "select count(*) from reminder_lines l join reminder_headers h using (reminder_id) where h.run_id = $run",
            {"run": run_id},
        )
        _drop_steps(tx)
    return ProposalRun(
        run_id, options.as_of, int(drafts), int(lines), int(skipped), total, int(customers), elsewhere
    )


def _drop_steps(tx: Session) -> None:
    for t in ("p_heads", "p_groups", "p_entries", "p_cust", "p_rate_days", "p_old"):
        tx.execute(f"drop table if exists {t}")


def redraft_in(tx: Session, reminder_id: int, level_no: int) -> None:
    """Propose one open draft again at LEVEL_NO, inside the caller's transaction: its customer and currency
    only, with the options, document and posting date of its run, every remindable overdue entry a line at
    that level. The draft keeps its id, number and run; its lines, fee, interest, recipients and note are the
    proposal's. BadInput naming the draft when the proposal now gives it no reminder (and why)."""
    head = tx.one(
        "select h.customer_no, h.currency, h.run_id, h.document_date, h.posting_date, h.reminder_no, r.options"
        " from reminder_headers h left join proposal_runs r using (run_id) where h.reminder_id = $r",
        {"r": reminder_id},
    )
    if head is None:
        raise BadInput(f"reminder {reminder_id} does not exist; run Create reminders again")
    customer_no, currency, run_id, as_of, posting, number, saved = head
    kept = {k: v for k, v in json.loads(saved or "{}").items() if k in _KEPT_OPTIONS}
    options = ProposalOptions(
        as_of=as_of, customer_nos=(customer_no,), forced_levels=((customer_no, currency, level_no),), **kept
    )
    params = {**options.params(tx.scalar("select coalesce(max(value), 'EUR') from settings where key = 'lcy_code'")),
              **interest.sql_params(), **reasons.sql_params()}  # fmt: skip
    for step in STEPS[:-1]:
        tx.script(load_sql(__package__, step), params)
    tx.execute(
        "create or replace temp table p_heads as select $r::bigint as reminder_id, g.* from p_groups g"
        " where g.skip_reason is null and g.customer_no = $c and g.currency = $cur",
        {"r": reminder_id, "c": customer_no, "cur": currency},
    )
    if not tx.scalar("select count(*) from p_heads"):
        why = tx.scalar(
            "select skip_reason from p_groups where customer_no = $c and currency = $cur",
            {"c": customer_no, "cur": currency},
        )
        _drop_steps(tx)
        raise BadInput(
            f"reminder {number} (customer {customer_no}, {currency}) cannot be drafted at level {level_no}:"
            f" {why or 'no overdue entry is left to remind'}; delete the draft or run Create reminders again"
        )
    for table in ("reminder_lines", "reminder_archive", "reminder_headers"):
        tx.execute(f"delete from {table} where reminder_id = $r", {"r": reminder_id})  # noqa: S608
    tx.script(load_sql(__package__, "lines"), params)
    tx.script(load_sql(__package__, "save"), {**params, "run": run_id, "posting": posting})
    _drop_steps(tx)


_KEPT_OPTIONS = ("grace_days", "only_overdue", "include_on_hold", "include_not_due", "use_header_level")


def parse_customer_filter(db: Database, text: str) -> tuple[tuple[str, ...], str | None]:
    """'C001, C002' -> those numbers; one word that is no customer number -> a search text.

    Text that looks like a list of numbers (several words, each with a digit) must name existing customers:
    a typo is BadInput naming the unknown numbers, never a filter that silently matches nobody.
    """
    tokens = [t for t in re.split(r"[\s,;]+", text.strip()) if t]
    if not tokens:
        return (), None
    known = {
        r[0]
        for r in db.rows(
            "select customer_no from customers where list_contains($t, customer_no)", {"t": tokens}
        )
    }
    if known == set(tokens):
        return tuple(tokens), None
    if len(tokens) > 1 and all(any(ch.isdigit() for ch in t) for t in tokens):
        missing = [t for t in tokens if t not in known]
        raise BadInput(
            f"customer(s) {', '.join(missing)} do not exist; check the customer numbers"
            " (or search for one name or number part)"
        )
    return (), text.strip()


# -- reading a run back ---------------------------------------------------------------------------------
def drafts_frame(db: Database, run_id: int) -> pd.DataFrame:
    """One row per draft of a run: customer, level, currency, lines, overdue, fee, interest, total, to, cc."""
    return db.frame(load_sql(__package__, "drafts"), {"run": run_id})


def lines_frame(db: Database, reminder_id: int) -> pd.DataFrame:
    """The lines of one draft: kind, document, due date, days overdue, remaining, level, interest (and fixed
    compensation), whether it is waived, and the entry."""
    return db.frame(
        "select kind, document_type, document_no, due_date, days_overdue, remaining_amount as remaining,"
        " level_no as level, interest + compensation as interest, interest_waived, entry_no from reminder_lines"
        " where reminder_id = $r order by line_no",
        {"r": reminder_id},
    )


def skipped_frame(db: Database, run_id: int) -> pd.DataFrame:
    return db.frame(
        "select s.customer_no, c.name, s.currency, s.reason from proposal_skips s"
        " left join customers c using (customer_no) where s.run_id = $run order by s.customer_no, s.currency",
        {"run": run_id},
    )


def run_json(db: Database, run_id: int) -> dict[str, Any]:
    """The command line's contract: {"reminders": [...], "skipped": [...]}, money as two-decimal strings."""
    heads = db.records(load_sql(__package__, "drafts"), {"run": run_id})
    lines: dict[int, list[dict[str, Any]]] = {}
    info: dict[int, list[dict[str, Any]]] = {}
    for r in db.records(
        "select l.reminder_id, l.kind, l.document_no, l.days_overdue, l.remaining_amount, l.level_no"
        " from reminder_lines l join reminder_headers h using (reminder_id) where h.run_id = $run"
        " order by l.reminder_id, l.line_no",
        {"run": run_id},
    ):
        line = {
            "document_no": r["document_no"],
            "days_overdue": r["days_overdue"],
            "remaining_amount": fmt_plain(r["remaining_amount"]),
            "kind": r["kind"],
            "level": r["level_no"],
        }
        # only lines that make up the total are "lines"; information lines are listed apart
        (lines if r["kind"] in ("overdue", "credit") else info).setdefault(r["reminder_id"], []).append(line)
    reminders = [
        {
            "reminder_id": h["reminder_id"],
            "customer_no": h["customer_no"],
            "name": h["name"],
            "level": h["level"],
            "currency": h["currency"],
            "lines": lines.get(h["reminder_id"], []),
            "info_lines": info.get(h["reminder_id"], []),
            "fee": fmt_plain(h["fee"]),
            "interest": fmt_plain(h["interest"]),
            "total": fmt_plain(h["total"]),
            "to": list(h["to"]),
            "cc": list(h["cc"]),
            "broken_promise": h["broken_promise"],
            "payment_deadline": h["payment_deadline"].isoformat(),
            "note": h["note"],
        }
        for h in heads
    ]
    skipped = [
        {"customer_no": s["customer_no"], "currency": s["currency"], "reason": s["reason"]}
        for s in db.records(
            "select customer_no, currency, reason from proposal_skips where run_id = $run order by 1, 2",
            {"run": run_id},
        )
    ]
    return {"run_id": run_id, "reminders": reminders, "skipped": skipped}
