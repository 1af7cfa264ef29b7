"""The sample's reminder history: a year of weekly reminder runs under the default terms, and the cases a
credit controller must see skipped (a call, an agreement, a covering credit memo, a remainder below the minimum).

dunning.sample.entries generates the ledger; this module derives from it the reminders that were sent, so the
history, the ledger's last reminder levels and the next proposal agree with each other.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# The default terms the sample's history follows: weekly runs, level 1 at 10 days past due (7 + 3 grace),
# levels 2 and 3 each 14 days after the previous one, at most 3; fees by level and currency.
RUN_EVERY_DAYS = 7
FIRST_LEVEL_DAYS = 10
NEXT_LEVEL_DAYS = 14
MAX_LEVEL = 3
FEE_CENTS = {2: {"EUR": 1000, "GBP": 1000, "USD": 1200, "CHF": 1000},
             3: {"EUR": 2500, "GBP": 2500, "USD": 2500, "CHF": 2500}}  # fmt: skip
ROLES_BY_LEVEL = {  # (to roles, cc roles), as the default terms; the first role with a contact receives it
    1: (("accounts_payable", "finance_manager"), ()),
    2: (("accounts_payable", "finance_manager"), ("finance_manager",)),
    3: (("finance_manager", "accounts_payable"), ("accounts_payable", "sales_owner")),
}


def reminder_runs(
    e: pd.DataFrame, cust: pd.DataFrame, contacts: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Simulate a year of weekly reminder runs over the open invoices, the last one a week ago.

    Sets each invoice's last reminder level and date, and returns the sent reminders (headers, lines) that
    the runs produced, so the history, the ledger and the next proposal agree with each other.
    """
    inv = (e["prefix"] == "SI").to_numpy() & (e["closed_offset"] < 0).to_numpy()
    held = ((e["on_hold"] != "") | (e["dispute_status"] != "")).to_numpy()
    days = e["due_offset"].to_numpy()
    posted = e["posting_offset"].to_numpy()
    level = np.zeros(len(e), dtype=np.int64)
    last = np.zeros(len(e), dtype=np.int64)
    events = []
    for run in range(RUN_EVERY_DAYS * 60, 0, -RUN_EVERY_DAYS):
        at_run = days - run  # days past due on the run's date
        live = inv & ~held & (posted >= run)
        first = live & (level == 0) & (at_run >= FIRST_LEVEL_DAYS)
        step = live & (level >= 1) & (level < MAX_LEVEL) & (last - run >= NEXT_LEVEL_DAYS)
        hit = np.flatnonzero(first | step)
        if len(hit):
            level[hit] += 1
            last[hit] = run
            events.append(pd.DataFrame({"row": hit, "run_offset": run, "level_no": level[hit]}))
    e["reminder_level"] = level
    e["reminder_offset"] = last
    if not events:
        return _empty_headers(), pd.DataFrame({"reminder_no": [], "document_no": [], "level_no": []})
    ev = pd.concat(events, ignore_index=True)
    ev["customer_no"] = e["customer_no"].to_numpy()[ev["row"]]
    ev["currency"] = e["currency"].to_numpy()[ev["row"]]
    ev["cents"] = e["remaining_cents"].to_numpy()[ev["row"]]
    ev["document_no"] = e["prefix"].to_numpy()[ev["row"]] + pd.Series(e["seq"].to_numpy()[ev["row"]]).astype(
        str
    ).str.zfill(7)
    heads = (
        ev.groupby(["run_offset", "customer_no", "currency"], sort=True)
        .agg(level_no=("level_no", "max"), overdue_cents=("cents", "sum"))
        .reset_index()
        .sort_values(["run_offset", "customer_no"], ascending=[False, True], ignore_index=True)
    )
    heads["reminder_no"] = "REM" + pd.Series(np.arange(1, len(heads) + 1)).astype(str).str.zfill(7)
    heads["fee_cents"] = [
        FEE_CENTS.get(lv, {}).get(c, 0) for lv, c in zip(heads["level_no"], heads["currency"], strict=True)
    ]
    heads["language"] = heads["customer_no"].map(
        dict(zip(cust["customer_no"], cust["language"], strict=True))
    )
    emails = contacts.groupby(["customer_no", "role"])["email"].first().to_dict()
    to, cc = [], []
    for c, lv in zip(heads["customer_no"], heads["level_no"], strict=True):
        to_roles, cc_roles = ROLES_BY_LEVEL[min(int(lv), 3)]
        first_to = next((emails[(c, r)] for r in to_roles if (c, r) in emails), None)
        to.append([first_to] if first_to else [])
        cc.append([emails[(c, r)] for r in cc_roles if (c, r) in emails and emails[(c, r)] != first_to])
    heads["to_emails"], heads["cc_emails"] = to, cc
    lines = ev.merge(heads[["run_offset", "customer_no", "currency", "reminder_no"]])
    return heads, lines[["reminder_no", "document_no", "level_no"]]


def _empty_headers() -> pd.DataFrame:
    cols = ["run_offset", "customer_no", "currency", "level_no", "overdue_cents", "reminder_no", "fee_cents",
            "language", "to_emails", "cc_emails"]  # fmt: skip
    return pd.DataFrame({c: [] for c in cols})


INSERT_HEADERS = """
insert into reminder_headers (reminder_no, customer_no, currency, level_no, terms_code, status, posting_date,
    document_date, payment_deadline, language, overdue_amount, fee, interest, total, to_emails, cc_emails,
    template_code, template_version, note, created_at, sent_at, sent_by, message_id)
select
    h.reminder_no, h.customer_no, h.currency, h.level_no::integer, 'DEFAULT', 'sent',
    $as_of::date - h.run_offset::integer, $as_of::date - h.run_offset::integer,
    $as_of::date - h.run_offset::integer + (case when h.level_no = 3 then 5 else 7 end),
    h.language,
    (h.overdue_cents * 0.01::decimal(3, 2))::decimal(18, 2),
    (h.fee_cents * 0.01::decimal(3, 2))::decimal(18, 2),
    0,
    ((h.overdue_cents + h.fee_cents) * 0.01::decimal(3, 2))::decimal(18, 2),
    h.to_emails, h.cc_emails, 'reminder', 1, 'sample history',
    ($as_of::date - h.run_offset::integer) + interval 8 hour,
    ($as_of::date - h.run_offset::integer) + interval 8 hour + interval 5 minute,
    'sample', '<' || h.reminder_no || '@northwind.example>'
from sample_headers h
order by h.run_offset desc, h.reminder_no
"""
INSERT_LINES = """
insert into reminder_lines (reminder_id, line_no, kind, entry_no, document_type, document_no, document_date,
    due_date, days_overdue, original_amount, remaining_amount, level_no)
select r.reminder_id, row_number() over (partition by r.reminder_id order by e.due_date, e.document_no)::integer,
       'overdue', e.entry_no, e.document_type, e.document_no, e.document_date, e.due_date,
       (r.document_date - e.due_date)::integer, e.amount, e.remaining_amount, l.level_no::integer
from sample_lines l
join reminder_headers r on r.reminder_no = l.reminder_no
join ledger_entries e on e.document_type = 'invoice' and e.document_no = l.document_no
"""
# a few calls and an agreement, made by "sample" so that a re-dated sample can tell them from a user's
INSERT_NOTES = (
    """
insert into contact_log (customer_no, contacted_on, channel, note, created_by)
select customer_no, $as_of::date - 2, 'phone', 'Called accounts payable; invoice copies sent again', 'sample'
from (select customer_no from reminder_headers group by 1 order by 1 limit 1 offset 1)
""",
    """
insert into agreements (customer_no, agreed_on, valid_until, note, created_by)
select customer_no, $as_of::date - 5, $as_of::date + 25, 'Payment plan: two instalments, 15th and month end',
       'sample'
from (select customer_no from reminder_headers group by 1 order by 1 limit 1 offset 3)
""",
)
# Two customers a credit controller must not remind: one whose open credit memo covers all that is overdue
# (every overdue invoice: all are netted), and one who paid all but a few euros (below the default terms'
# minimum of 10.00). Chosen among EUR customers
# with few overdue invoices and no call, agreement, hold, dispute or promise, so those are their only reasons.
_QUIET_CUSTOMERS = """
    select e.customer_no, sum(e.remaining_amount) as overdue, count(*) as n
    from ledger_entries e
    where e.currency = 'EUR' and e.closed_at is null and e.document_type = 'invoice'
      and e.due_date < $as_of::date
      and e.customer_no not in (select customer_no from ledger_entries
                                where closed_at is null and (remaining_amount < 0 or on_hold is not null
                                      or dispute_status is not null or promised_pay_date is not null))
      and e.customer_no not in (select customer_no from contact_log union select customer_no from agreements)
    group by 1
    having min(e.due_date) <= $as_of::date - 12
"""
EDGE_CASES = (  # constants composed, no user text
    f"""
insert into ledger_entries (entry_no, customer_no, document_type, document_no, description, currency,
    posting_date, document_date, due_date, amount, remaining_amount, amount_lcy, remaining_amount_lcy)
select (select max(entry_no) from ledger_entries) + 1, customer_no, 'credit_memo', 'SCM9000001',
       'Credit memo: returned pallets', 'EUR', $as_of::date - 3, $as_of::date - 3, $as_of::date - 3,
       -(overdue + 150.00), -(overdue + 150.00), -(overdue + 150.00), -(overdue + 150.00)
from ({_QUIET_CUSTOMERS}) q
where n between 2 and 4
order by customer_no desc
limit 1
""",  # noqa: S608
    f"""
update ledger_entries set remaining_amount = 6.00, remaining_amount_lcy = 6.00,
    description = 'Sales invoice (part paid)'
where entry_no = (
    select min(e.entry_no) from ledger_entries e
    join ({_QUIET_CUSTOMERS}) q using (customer_no)
    where q.n = 1 and e.closed_at is null and e.document_type = 'invoice' and e.due_date <= $as_of::date - 12
      and e.last_reminder_level = 0
)
""",  # noqa: S608
)
