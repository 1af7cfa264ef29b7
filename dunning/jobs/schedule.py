"""When a scheduled run may send, and what it may send without review.

The company's time zone and sending window are settings (migration 015: company_time_zone,
send_window_start, send_window_end; its country is company.country). `Schedule.why_not(now)` says why a run
at NOW may not send (a weekend or public holiday of the company's country, or outside the window), or None.

"Send automatically" is off by default, switched on per reminder terms (terms_auto_send) and overridden per
customer (customer_auto_send): `auto_send_customers()` gives the customers whose reminders a run sends.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from dunning.access import Action, require
from dunning.db import Database
from dunning.errors import BadInput
from dunning.jobs import business_days

_TIME = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])|24:00")
SETTINGS = {"time_zone": "company_time_zone", "window_start": "send_window_start",
            "window_end": "send_window_end"}  # fmt: skip


@dataclass(frozen=True)
class Schedule:
    time_zone: str  # IANA name, e.g. Europe/Amsterdam
    window_start: dt.time
    window_end: dt.time  # exclusive; 24:00 is kept as time.max
    country: str  # the company's, ISO 3166 alpha-2; '' when not set

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def local(self, now: dt.datetime) -> dt.datetime:
        """NOW (aware) in the company's time zone."""
        if now.tzinfo is None:
            raise ValueError("now must carry its time zone (e.g. datetime.now(UTC))")
        return now.astimezone(self.zone)

    def today(self, now: dt.datetime) -> dt.date:
        """The company's date at NOW: the date a run's reminders carry."""
        return self.local(now).date()

    @property
    def window_end_text(self) -> str:
        return "24:00" if self.window_end == dt.time.max else self.window_end.strftime("%H:%M")

    @property
    def window_text(self) -> str:
        return f"{self.window_start:%H:%M}-{self.window_end_text} {self.time_zone}"

    def why_not(self, now: dt.datetime) -> str | None:
        """Why a run at NOW may send nothing (no business day, outside the window), or None when it may."""
        local = self.local(now)
        closed = business_days.not_business_day(self.country, local.date())
        if closed is not None:
            return f"{local.date()} is no business day ({closed}); reminders are sent on the next one"
        if not self.window_start <= local.time() < self.window_end:
            return f"{local:%H:%M} is outside the sending window {self.window_text}; reminders are sent inside it"
        return None


def _time(name: str, text: str) -> dt.time:
    value = text.strip()
    if not _TIME.fullmatch(value):
        raise BadInput(f"{name}={text!r} is not a time of day; write HH:MM, e.g. 08:00 (24:00 for midnight)")
    if value == "24:00":
        return dt.time.max
    hours, minutes = value.split(":")
    return dt.time(int(hours), int(minutes))


def _zone(text: str) -> str:
    name = text.strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadInput(
            f"time_zone={text!r} is not a time zone; give an IANA name such as Europe/Amsterdam or UTC"
        ) from None
    if name not in available_timezones() and name != "UTC":
        raise BadInput(f"time_zone={text!r} is not a time zone; give an IANA name such as Europe/Amsterdam")
    return name


def load_schedule(db: Database) -> Schedule:
    with db.session() as s:
        values = dict(s.rows("select key, value from settings where list_contains($k, key)",
                             {"k": list(SETTINGS.values())}))  # fmt: skip
        country = s.scalar("select country from company where id = 1") or ""
    return Schedule(
        time_zone=values.get("company_time_zone", "UTC"),
        window_start=_time("window_start", values.get("send_window_start", "08:00")),
        window_end=_time("window_end", values.get("send_window_end", "18:00")),
        country=str(country).strip().upper(),
    )


def set_schedule(db: Database, **changes: str) -> Schedule:
    """Change time_zone, window_start and window_end (each checked first; nothing written on a problem)."""
    require(db.actor, Action.SETTINGS)
    unknown = sorted(set(changes) - set(SETTINGS))
    if unknown:
        raise BadInput(f"unknown setting(s) {', '.join(unknown)}; the settings are {', '.join(SETTINGS)}")
    checked = {k: (_zone(v) if k == "time_zone" else v.strip()) for k, v in changes.items()}
    current = load_schedule(db)
    start = (
        _time("window_start", checked["window_start"]) if "window_start" in checked else current.window_start
    )
    end = _time("window_end", checked["window_end"]) if "window_end" in checked else current.window_end
    if not start < end:
        raise BadInput(f"the sending window {start:%H:%M}-{end:%H:%M} is empty; give a start before the end")
    with db.transaction() as tx:
        for name, value in checked.items():
            tx.execute("insert or replace into settings (key, value) values ($k, $v)",
                       {"k": SETTINGS[name], "v": value})  # fmt: skip
    return load_schedule(db)


# -- send automatically ---------------------------------------------------------------------------------
def set_terms_auto_send(db: Database, terms_code: str, on: bool) -> None:
    require(db.actor, Action.SETTINGS)
    if not db.scalar("select count(*) from reminder_terms where code = $c", {"c": terms_code}):
        raise BadInput(f"reminder terms {terms_code!r} do not exist; `dunning schedule` lists the terms")
    db.execute("insert or replace into terms_auto_send values ($c, $on)", {"c": terms_code, "on": on})


def set_customer_auto_send(db: Database, customer_no: str, on: bool | None) -> None:
    """The customer's own choice; None: as its terms say."""
    require(db.actor, Action.CUSTOMER_TERMS)
    if not db.scalar("select count(*) from customers where customer_no = $c", {"c": customer_no}):
        raise BadInput(f"customer {customer_no!r} does not exist; check the customer number")
    with db.transaction() as tx:
        tx.execute("delete from customer_auto_send where customer_no = $c", {"c": customer_no})
        if on is not None:
            tx.execute("insert into customer_auto_send values ($c, $on)", {"c": customer_no, "on": on})


_AUTO = """
select c.customer_no
from customers c
left join customer_auto_send ca using (customer_no)
left join terms_auto_send ta
       on ta.terms_code = coalesce(c.reminder_terms_code,
                                   (select code from reminder_terms where is_default order by code limit 1))
where coalesce(ca.auto_send, ta.auto_send, false) and list_contains($customers, c.customer_no)
"""


def auto_send_customers(db: Database, customer_nos: Sequence[str]) -> set[str]:
    """Those of CUSTOMER_NOS whose reminders a run sends without review (customer's switch, else terms')."""
    if not customer_nos:
        return set()
    return {r[0] for r in db.rows(_AUTO, {"customers": list(customer_nos)})}


def auto_send_overview(db: Database) -> dict[str, list[tuple[str, bool]]]:
    """{'terms': [(code, on)], 'customers': [(customer_no, on)]}: every terms' switch, customers' own."""
    with db.session() as s:
        terms = s.rows("select t.code, coalesce(a.auto_send, false) from reminder_terms t"
                       " left join terms_auto_send a on a.terms_code = t.code order by t.code")  # fmt: skip
        customers = s.rows("select customer_no, auto_send from customer_auto_send order by customer_no")
    return {"terms": [(str(c), bool(on)) for c, on in terms],
            "customers": [(str(c), bool(on)) for c, on in customers]}  # fmt: skip
