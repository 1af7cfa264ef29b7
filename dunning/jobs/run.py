"""One scheduled run (`dunning run`): import, propose, and send what the terms allow without review.

1. Import (optional): each file given, or every CSV/XLSX/Parquet file of a folder in name order, through the
   ledger's importer (all or nothing per file); a file that is the one imported last under its name is
   skipped (importing it again would change nothing). With all_open, the one file lists every open entry
   and the entries it omits are closed today (paid), so that nobody is reminded of them. A rejected file
   stops the run before the proposal, so that nobody is reminded of what the file may have paid.
2. Propose as of the company's date (or the date given): the proposal replaces the open drafts a run made
   and nobody touched, so their figures follow the ledger; a customer with a draft a person proposed or
   changed in review (left out, level changed, fee or interest waived, recipients edited) is left out of the
   run's scope,
   and the review stays as the person left it.
3. Send (with send=True): the drafts of this proposal whose customer sends automatically (schedule.py), on
   a business day of the company's country that is no public holiday in the customer's, inside the sending
   window, through dunning.dispatch.send_reminders, each exactly once. The rest stay drafts for review, each
   with the reason, in the log.

Safe to repeat: a reminder sent holds its customer back for the terms' minimum days between reminders, each
entry's level, fee, interest days and compensation are charged once by the proposal engine (issued
history), and the dispatch claims each reminder once. A run is logged (log.py) from its start; the lock
(lock.py) is the face's to take around it, since a face holds the database from before the run starts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dunning.access import Action, require
from dunning.db import Database
from dunning.errors import BadInput
from dunning.jobs import business_days, log
from dunning.jobs.log import Handled
from dunning.jobs.schedule import auto_send_customers, load_schedule
from dunning.ledger.imports.importer import import_file
from dunning.ledger.imports.mapping import Mapping
from dunning.mail.transport import Transport
from dunning.reminders.proposal import ProposalOptions, propose

IMPORT_SUFFIXES = (".csv", ".xlsx", ".parquet")
RUN_BY = "scheduled run"  # proposal_runs.created_by of a run's proposals starts with it


@dataclass(frozen=True)
class RunOptions:
    as_of: dt.date | None = None  # the reminders' date; default the company's date; a sending run: today
    imports: Path | None = None  # a file, or a folder of files
    mapping: Mapping | None = None  # how the files' columns map (None: detect the preset from the header)
    all_open: bool = False  # the file lists every open entry: those it omits were paid (closed today)
    send: bool = False
    by: str | None = None  # who started it (cli:USER)


@dataclass(frozen=True)
class RunReport:
    run_id: int
    as_of: dt.date
    imported: tuple[str, ...] = ()
    proposal_run_id: int | None = None
    drafts: int = 0
    skipped: int = 0
    handled: tuple[Handled, ...] = ()
    note: str = ""  # why nothing was sent
    left_out: tuple[str, ...] = field(default=())  # customers whose drafts a person holds

    def count(self, status: str) -> int:
        return sum(h.status == status for h in self.handled)

    @property
    def problems(self) -> int:
        """Reminders that failed or whose fate is unknown."""
        return self.count("failed") + self.count("unknown")

    def summary(self) -> str:
        return (
            f"run {self.run_id} as of {self.as_of}: {len(self.imported)} file(s) imported, {self.drafts} "
            f"draft(s) proposed, {self.count('sent')} sent, {self.count('held')} left for review, "
            f"{self.problems} failed or unknown" + (f"; {self.note}" if self.note else "")
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id, "as_of": self.as_of.isoformat(), "imported": list(self.imported),
            "proposal_run_id": self.proposal_run_id, "drafts": self.drafts, "skipped": self.skipped,
            "sent": self.count("sent"), "held": self.count("held"), "failed": self.problems, "note": self.note,
            "left_out": list(self.left_out),
            "reminders": [{"reminder_no": h.reminder_no, "customer_no": h.customer_no, "status": h.status,
                           "detail": h.detail} for h in self.handled],
        }  # fmt: skip


def import_paths(path: Path) -> list[Path]:
    """PATH itself, or every CSV, XLSX and Parquet file of the folder PATH in name order."""
    if path.is_dir():
        return sorted(
            (p for p in path.iterdir() if p.is_file() and p.suffix.lower() in IMPORT_SUFFIXES
             and not p.name.startswith((".", "~$"))),
            key=lambda p: p.name,
        )  # fmt: skip
    if not path.exists():
        raise BadInput(f"{path} does not exist; give a file or a folder of CSV, XLSX or Parquet files")
    return [path]


def _import(db: Database, path: Path, mapping: Mapping, all_open: bool, today: dt.date) -> str:
    """Import one file, unless it is the very file imported last under its name and still in place (as a run
    every 15 minutes finds most files of a folder): importing it again would change nothing but add an import
    batch. A file of every open entry is always imported: entries closed since in the database, or an undone
    import, must meet it again."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    last = db.one(
        "select file_sha256, kind = 'ledger' and undone_at is null from import_batches where file_name = $n"
        " order by batch_id desc limit 1",
        {"n": path.name},
    )
    if not all_open and last is not None and last[0] == digest and last[1]:
        return f"{path.name}: unchanged since it was last imported, skipped"
    return import_file(db, path, mapping, all_open=all_open, closed_on=today).summary()


_HELD_BY_A_PERSON = """
select distinct h.customer_no
from reminder_headers h left join proposal_runs r using (run_id)
where h.status in ('draft', 'failed')
  and (coalesce(r.created_by, '') not like $mark || '%' or not h.included or h.fee_waived or h.recipients_edited
       or h.created_at > r.created_at  -- proposed again at a level a person chose (review.change_level)
       or exists (select 1 from reminder_lines l where l.reminder_id = h.reminder_id and l.interest_waived))
order by 1
"""


def _scope(db: Database) -> tuple[tuple[str, ...] | None, tuple[str, ...]]:
    """(the customers to propose for: () all, None nobody; the customers whose drafts a person holds)."""
    held = tuple(r[0] for r in db.rows(_HELD_BY_A_PERSON, {"mark": RUN_BY}))
    if not held:
        return (), held
    rest = tuple(r[0] for r in db.rows(
        "select customer_no from customers where not list_contains($held, customer_no) order by 1",
        {"held": list(held)}))  # fmt: skip
    return (rest or None), held


def execute(
    db: Database, options: RunOptions, *, now: dt.datetime, transport: Transport | None = None
) -> RunReport:
    """One run at NOW (aware): import, propose, and with options.send send through TRANSPORT. Logged from its
    start; a failure is logged with its reason and raised."""
    require(db.actor, Action.PROPOSE)
    if options.send:
        require(db.actor, Action.SEND)
    schedule = load_schedule(db)
    today = schedule.today(now)
    as_of = options.as_of or today
    if options.send and as_of != today:
        raise BadInput(
            f"a run that sends dates its reminders today ({today} in {schedule.time_zone}), not {as_of};"
            " leave out --as-of, or leave out --send to only propose"
        )
    files = import_paths(options.imports) if options.imports is not None else []
    if options.all_open and len(files) > 1:
        raise BadInput(
            f"--all-open needs one file, and {options.imports} holds {len(files)}: each would close the entries"
            " the others list; give the one export that lists every open entry"
        )
    run_id = log.start(db, now, as_of, options.send, options.by)
    started = time.monotonic()

    def ended() -> dt.datetime:  # NOW plus the time the run took: a log of when it finished
        return now + dt.timedelta(seconds=round(time.monotonic() - started, 3))

    imported: list[str] = []
    try:
        for path in files:
            imported.append(_import(db, path, options.mapping or Mapping(), options.all_open, today))
        scope, held = _scope(db)
        if scope is None:
            log.finish(db, run_id, ended(), status="ok", imported=imported,
                       note="every customer's draft is in a person's review; nothing was proposed")  # fmt: skip
            return RunReport(run_id, as_of, tuple(imported), note="nothing proposed", left_out=held)
        proposal = propose(
            db, ProposalOptions(as_of=as_of, customer_nos=scope), created_by=f"{RUN_BY} {run_id}"
        )
        handled, note = _dispatch(db, proposal.run_id, options, schedule.why_not(now) if options.send else None,
                                  today, transport)  # fmt: skip
    except BaseException as exc:
        log.finish(
            db, run_id, ended(), status="failed", imported=imported, note=str(exc) or type(exc).__name__
        )
        raise
    report = RunReport(run_id, as_of, tuple(imported), proposal.run_id, proposal.drafts, proposal.skipped,
                       tuple(handled), note, held)  # fmt: skip
    if held:  # the log says why those customers got nothing new, as the command's output does
        note = "; ".join(
            filter(None, [note, f"{len(held):,} customers left out: a person reviews their drafts"])
        )
    log.finish(db, run_id, ended(), status="ok", imported=imported, proposal_run_id=proposal.run_id,
               drafts=proposal.drafts, skipped=proposal.skipped, handled=handled, note=note)  # fmt: skip
    return report


def _dispatch(
    db: Database,
    proposal_run_id: int,
    options: RunOptions,
    closed: str | None,
    today: dt.date,
    transport: Transport | None,
) -> tuple[list[Handled], str]:
    """Send the proposal's drafts that may go without review; the others are held, each with the reason."""
    drafts = db.rows(
        "select h.reminder_id, coalesce(h.reminder_no, 'R' || lpad(h.reminder_id::varchar, 7, '0')),"
        " h.customer_no, c.country from reminder_headers h left join customers c using (customer_no)"
        " where h.run_id = $run and h.status = 'draft' and h.included order by h.customer_no, h.currency",
        {"run": proposal_run_id},
    )
    if not options.send:
        review = "left for review: the run was not asked to send (--send)"
        return [Handled(int(r[0]), r[1], r[2], "held", review) for r in drafts], ""
    auto = auto_send_customers(db, sorted({r[2] for r in drafts}))
    handled: list[Handled] = []
    to_send: list[int] = []
    for reminder_id, number, customer_no, country in drafts:
        why: str | None = None
        if customer_no not in auto:
            why = "left for review: its terms (or the customer) do not send automatically"
        elif closed is not None:
            why = f"left for review: {closed}"
        elif (name := business_days.holiday(country, today)) is not None:
            why = f"left for review: {today} is {name}, a public holiday in the customer's country {country}"
        if why is None:
            to_send.append(int(reminder_id))
        else:
            handled.append(Handled(int(reminder_id), number, customer_no, "held", why))
    note = closed or ""
    if to_send:
        if transport is None:
            raise ValueError("a run that sends needs a transport")
        from dunning.dispatch.send import send_reminders  # loads the documents (and WeasyPrint)

        results = send_reminders(db, to_send, transport, on=today, by=options.by or RUN_BY)
        handled += [Handled(r.reminder_id, r.reminder_no, r.customer_no, r.status, r.detail) for r in results]
    return handled, note
