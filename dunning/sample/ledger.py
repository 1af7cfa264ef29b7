"""Deterministic sample data dated relative to an as-of date, so the dashboard always looks current.

With default settings the aging as of the as-of date shows the example of the product this is modelled on:
519 open invoices within payment terms, 25 overdue 1-7 days, 41 overdue 8-14 days, and the later buckets
filled realistically. `open_invoices=N` scales every count (customers, contacts, credits, history) to N open
invoices, for benchmarks on 1,000,000 and more.

Generation is vectorised (numpy arrays of integer cents and day offsets) and the conversion to dates and
DECIMAL(18,2) happens in DuckDB, so no amount ever passes through float and 10M rows take seconds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dunning.db import Database
from dunning.errors import BadInput
from dunning.sample.history import EDGE_CASES, INSERT_HEADERS, INSERT_LINES, INSERT_NOTES, reminder_runs

# The seed's open invoices per bucket: within terms, 1-7, 8-14, 15-30, 31-60, 61-90, over 90 days past due.
DEFAULT_BUCKET_COUNTS = (519, 25, 41, 33, 22, 12, 8)
BUCKET_DAYS = ((None, 0), (1, 7), (8, 14), (15, 30), (31, 60), (61, 90), (91, 400))
DEFAULT_CUSTOMERS = 60

# Exchange rates to EUR (the local currency), in units of 1/10000, fixed so that LCY amounts are reproducible.
RATES = {"EUR": 10000, "GBP": 11500, "USD": 9200, "CHF": 10500}

# (language, country, currency, weight): where the customers are.
REGIONS = (
    ("en", "GB", "GBP", 10),
    ("en", "IE", "EUR", 4),
    ("en", "US", "USD", 6),
    ("fr", "FR", "EUR", 10),
    ("fr", "BE", "EUR", 4),
    ("nl", "NL", "EUR", 10),
    ("nl", "BE", "EUR", 4),
    ("de", "DE", "EUR", 7),
    ("de", "AT", "EUR", 3),
    ("de", "CH", "CHF", 2),
)
STEMS = {
    "en": (
        "Harbour Freight",
        "Northgate Supplies",
        "Kingsway Retail",
        "Blackwood Engineering",
        "Riverside Foods",
        "Summit Outdoor",
        "Bridgewater Pharma",
        "Oakfield Builders",
        "Crescent Textiles",
        "Redhill Motors",
        "Ashford Paper",
        "Lakeside Marine",
        "Pennine Aggregates",
        "Westbrook Dairy",
        "Granite Row Hotels",
        "Copperfield Tools",
        "Meadowlane Garden",
        "Thameside Print",
        "Ironbridge Steel",
        "Fairway Medical",
    ),
    "fr": (
        "Transports Lefèvre",
        "Maison Dubois",
        "Comptoir Garnier",
        "Ateliers Moreau",
        "Boulangeries Roux",
        "Société Girard",
        "Chais Fontaine",
        "Métallerie Lambert",
        "Pharmacie Bonnet",
        "Éditions Chevalier",
        "Fromageries Perrin",
        "Verrerie Mercier",
        "Cartonnages Blanc",
        "Menuiserie Faure",
        "Optique Rousseau",
    ),
    "nl": (
        "Van Dijk Logistiek",
        "De Vries Bouw",
        "Bakkerij Jansen",
        "Visser Techniek",
        "Smit Transport",
        "Meijer Groothandel",
        "Bos Installaties",
        "Mulder Kantoor",
        "Dekker Food",
        "Hendriks Metaal",
        "Kuipers Bloemen",
        "Vermeulen Drukwerk",
        "Postma Zuivel",
        "Willems Tegels",
        "Koster Scheepvaart",
    ),
    "de": (
        "Müller Spedition",
        "Schmidt Maschinenbau",
        "Weber Handel",
        "Fischer Elektro",
        "Becker Logistik",
        "Hoffmann Bau",
        "Schäfer Feinkost",
        "Koch Verpackung",
        "Wagner Metall",
        "Zimmermann Holz",
        "Richter Optik",
        "Neumann Textil",
        "Schwarz Brauerei",
        "Krause Kunststoff",
        "Lange Druck",
    ),
}
SUFFIX = {
    "GB": "Ltd",
    "IE": "Ltd",
    "US": "Inc.",
    "FR": "SARL",
    "BE": "SA",
    "NL": "B.V.",
    "DE": "GmbH",
    "AT": "GmbH",
    "CH": "AG",
}
BELGIAN_NL_SUFFIX = "BV"
PAYMENT_TERMS = (14, 30, 30, 30, 45, 60)
ROLES = ("accounts_payable", "finance_manager", "sales_owner")
FIRST = {
    "en": ("Emma", "James", "Olivia", "Harry", "Sophie", "Jack"),
    "fr": ("Camille", "Louis", "Chloé", "Hugo", "Léa", "Jules"),
    "nl": ("Sanne", "Daan", "Lotte", "Bram", "Femke", "Joris"),
    "de": ("Anna", "Lukas", "Marie", "Felix", "Lena", "Jonas"),
}
LAST = {
    "en": ("Taylor", "Brown", "Wilson", "Evans", "Walker", "Hughes"),
    "fr": ("Martin", "Bernard", "Petit", "Durand", "Leroy", "Morel"),
    "nl": ("de Jong", "Bakker", "Peters", "van Leeuwen", "Kok", "Brouwer"),
    "de": ("Schneider", "Meyer", "Wolf", "Braun", "Krüger", "Hartmann"),
}
STREETS = {"en": "Harbour Road", "fr": "rue de la Gare", "nl": "Stationsstraat", "de": "Bahnhofstraße"}
CITIES = {
    "GB": "Leeds",
    "IE": "Cork",
    "US": "Columbus",
    "FR": "Lyon",
    "BE": "Gent",
    "NL": "Utrecht",
    "DE": "Köln",
    "AT": "Linz",
    "CH": "Basel",
}
CALLING_CODES = {"GB": 44, "IE": 353, "US": 1, "FR": 33, "BE": 32, "NL": 31, "DE": 49, "AT": 43, "CH": 41}
DISPUTES = ("Price difference", "Goods damaged", "Quantity short", "Not ordered")


@dataclass(frozen=True)
class SampleSpec:
    as_of: dt.date
    open_invoices: int | None = None  # None: the seed's example (DEFAULT_BUCKET_COUNTS)
    history: bool = True  # a year of paid invoices and their payments, for DSO and payment behaviour
    seed: int = 20261128


@dataclass(frozen=True)
class SampleStats:
    as_of: dt.date
    customers: int
    contacts: int
    entries: int
    open_invoices: int


def bucket_counts(open_invoices: int | None) -> tuple[int, ...]:
    """Open invoices per bucket: the seed's counts, or scaled to a total with the same shape."""
    if open_invoices is None:
        return DEFAULT_BUCKET_COUNTS
    if open_invoices < len(DEFAULT_BUCKET_COUNTS):
        raise BadInput(f"--invoices {open_invoices} is too small; give at least {len(DEFAULT_BUCKET_COUNTS)}")
    total = sum(DEFAULT_BUCKET_COUNTS)
    counts = [max(1, open_invoices * c // total) for c in DEFAULT_BUCKET_COUNTS]
    counts[0] += open_invoices - sum(counts)
    return tuple(counts)


def generate(db: Database, spec: SampleSpec) -> SampleStats:
    """Replace the database's customers, contacts and ledger with sample data (one transaction).

    Refuses a database that holds anything not made by this generator (imported entries, reminders, contact
    notes, agreements), so a user's data is never lost.
    """
    if db.setting("sample_loaded") is None and db.scalar("select count(*) from ledger_entries"):
        raise BadInput(
            f"database {db.path} already holds imported ledger entries; "
            "sample data would replace them: use another file with --db or DUNNING_DB"
        )
    work = user_work(db)
    if work:
        raise BadInput(
            f"database {db.path} holds your own work ({work} imports, reminders, contact notes or agreements); "
            "sample data would replace it: use another file with --db or DUNNING_DB"
        )
    rng = np.random.default_rng(spec.seed)
    counts = bucket_counts(spec.open_invoices)
    n_open = sum(counts)
    n_cust = DEFAULT_CUSTOMERS if spec.open_invoices is None else max(DEFAULT_CUSTOMERS, n_open // 10)
    customers = _customers(rng, n_cust)
    contacts = _contacts(rng, customers)
    entries = _entries(rng, customers, counts, spec.history)
    headers, lines = reminder_runs(entries, customers, contacts)
    with db.transaction() as cur:
        for table in (
            "reminder_lines",
            "reminder_headers",
            "contact_log",
            "agreements",
            "ledger_entries",
            "contacts",
            "customers",
        ):
            cur.execute(f"delete from {table}")  # noqa: S608 - fixed table names, no user text
        cur.register("sample_customers", customers)
        cur.register("sample_contacts", contacts)
        cur.register("sample_entries", entries)
        cur.register("sample_headers", headers)
        cur.register("sample_lines", lines)
        cur.execute(_INSERT_CUSTOMERS)
        cur.execute(_INSERT_CONTACTS)
        cur.execute(_INSERT_ENTRIES, {"as_of": spec.as_of})
        cur.execute(INSERT_HEADERS, {"as_of": spec.as_of})
        cur.execute(INSERT_LINES)
        for statement in (*INSERT_NOTES, *EDGE_CASES):
            cur.execute(statement, {"as_of": spec.as_of})
        for name in (
            "sample_customers",
            "sample_contacts",
            "sample_entries",
            "sample_headers",
            "sample_lines",
        ):
            cur.unregister(name)
        cur.execute(
            "insert or replace into settings values ('sample_loaded', $d), ('company_name', $c)",
            {"d": spec.as_of.isoformat(), "c": "Northwind Logistics B.V."},
        )
    return SampleStats(spec.as_of, len(customers), len(contacts), len(entries), n_open)


_INSERT_CUSTOMERS = """
insert into customers (customer_no, name, language, currency, country, reminder_terms_code, payment_terms,
                       address, post_code, city)
select customer_no, name, language, nullif(currency, 'EUR'), country, null, terms_days || ' days',
       (street_no + 1) || ' ' || street, lpad((10000 + idx * 37 % 89999)::varchar, 5, '0'), city
from sample_customers
"""
_INSERT_CONTACTS = """
insert into contacts (customer_no, name, email, role, phone)
select customer_no, name, email, role, phone from sample_contacts
"""
_INSERT_ENTRIES = """
insert into ledger_entries
select
    row_number() over (order by posting_offset desc, kind, seq)::bigint as entry_no,
    e.customer_no,
    e.document_type,
    e.prefix || lpad(e.seq::varchar, 7, '0') as document_no,
    e.description,
    e.currency,
    $as_of::date - e.posting_offset::integer as posting_date,
    $as_of::date - e.posting_offset::integer as document_date,
    $as_of::date - e.due_offset::integer as due_date,
    (e.amount_cents * 0.01::decimal(3, 2))::decimal(18, 2) as amount,
    (e.remaining_cents * 0.01::decimal(3, 2))::decimal(18, 2) as remaining_amount,
    (e.amount_lcy_cents * 0.01::decimal(3, 2))::decimal(18, 2) as amount_lcy,
    (e.remaining_lcy_cents * 0.01::decimal(3, 2))::decimal(18, 2) as remaining_amount_lcy,
    case when e.closed_offset >= 0 then $as_of::date - e.closed_offset::integer end as closed_at,
    nullif(e.on_hold, '') as on_hold,
    nullif(e.dispute_status, '') as dispute_status,
    case when e.promise_offset > -9999 then $as_of::date + e.promise_offset::integer end as promised_pay_date,
    nullif(e.external_document_no, '') as external_document_no,
    e.reminder_level::integer as last_reminder_level,
    case when e.reminder_level > 0 then $as_of::date - e.reminder_offset::integer end as last_reminder_date,
    null as import_batch_id
from sample_entries e
"""


def _customers(rng: np.random.Generator, n: int) -> pd.DataFrame:
    weights = np.array([r[3] for r in REGIONS], dtype=float)
    # the first customers walk through the regions in proportion, so even 60 customers cover all of them
    region = np.resize(np.repeat(np.arange(len(REGIONS)), weights.astype(int)), n)
    rng.shuffle(region)
    idx = np.arange(n)
    lang = np.array([REGIONS[r][0] for r in region])
    country = np.array([REGIONS[r][1] for r in region])
    currency = np.array([REGIONS[r][2] for r in region])
    # the k-th customer of a language takes the k-th name stem of that language; a numeral once they run out
    k = pd.Series(lang).groupby(lang).cumcount().to_numpy()
    names = []
    for i in range(n):
        suffix = BELGIAN_NL_SUFFIX if (country[i] == "BE" and lang[i] == "nl") else SUFFIX[country[i]]
        stems = STEMS[lang[i]]
        numeral = f" {k[i] // len(stems) + 1}" if k[i] >= len(stems) else ""
        names.append(f"{stems[k[i] % len(stems)]}{numeral} {suffix}")
    # payment behaviour: mean days paid late; a few customers pay very late
    lateness = rng.gamma(shape=1.2, scale=6.0, size=n)
    lateness[rng.random(n) < 0.12] += 35
    return pd.DataFrame(
        {
            "idx": idx,
            "customer_no": [f"C{i + 10001:06d}" for i in idx],
            "name": names,
            "language": lang,
            "country": country,
            "currency": currency,
            "terms_days": rng.choice(PAYMENT_TERMS, size=n),
            "lateness": lateness,
            "size": rng.lognormal(mean=0.0, sigma=0.8, size=n),
            "street_no": rng.integers(1, 180, size=n),
            "street": pd.Series(lang).map(STREETS).to_numpy(),
            "city": pd.Series(country).map(CITIES).to_numpy(),
        }
    )


def _contacts(rng: np.random.Generator, customers: pd.DataFrame) -> pd.DataFrame:
    rows = []
    n = len(customers)
    has_fm = rng.random(n) < 0.85
    has_ap = np.ones(n, dtype=bool)
    has_ap[7::29] = False  # a few customers without an accounts-payable contact: the fallback role applies
    for i, c in enumerate(customers.itertuples(index=False)):
        domain = _slug(c.name) + ".example"
        lang = c.language
        for r, role in enumerate(ROLES):
            if (role == "accounts_payable" and not has_ap[i]) or (
                role == "finance_manager" and not has_fm[i]
            ):
                continue
            first = FIRST[lang][(i + r * 2) % 6]
            last = LAST[lang][(i * 3 + r) % 6]
            local = {
                "accounts_payable": "ap",
                "finance_manager": _slug(first) + "." + _slug(last),
                "sales_owner": _slug(first),
            }[role]
            email = f"{local}@{domain}" if role != "sales_owner" else f"{local}.sales@northwind.example"
            phone = f"+{CALLING_CODES[c.country]} {(i * 7919 + r * 104729) % 90000000 + 10000000}"
            rows.append((c.customer_no, f"{first} {last}", email, role, phone))
    return pd.DataFrame(rows, columns=["customer_no", "name", "email", "role", "phone"])


def _slug(text: str) -> str:
    table = str.maketrans("àâäçéèêëîïôöùûüÉß", "aaaceeeeiioouuuEs")
    return "".join(ch for ch in text.lower().translate(table) if ch.isalnum())


def _entries(
    rng: np.random.Generator, cust: pd.DataFrame, counts: tuple[int, ...], history: bool
) -> pd.DataFrame:
    n_cust = len(cust)
    terms = cust["terms_days"].to_numpy()
    lateness = cust["lateness"].to_numpy()
    size = cust["size"].to_numpy()
    parts = [_open_invoices(rng, counts, terms, lateness, size)]
    parts.append(_open_credits(rng, n_cust, sum(counts)))
    if history:
        parts.extend(_history(rng, terms, lateness, size, round(sum(counts) * 1.5)))
    e = pd.concat(parts, ignore_index=True)
    cur = cust["currency"].to_numpy()[e["cust"].to_numpy()]
    rate = np.array([RATES[c] for c in cur], dtype=np.int64)
    e["customer_no"] = cust["customer_no"].to_numpy()[e["cust"].to_numpy()]
    e["currency"] = cur
    e["amount_lcy_cents"] = _convert(e["amount_cents"].to_numpy(), rate)
    e["remaining_lcy_cents"] = _convert(e["remaining_cents"].to_numpy(), rate)
    e = e.sort_values("posting_offset", ascending=False, kind="stable", ignore_index=True)
    e["seq"] = e.groupby("prefix").cumcount() + 1
    e["kind"] = e["prefix"]
    return e


def _convert(cents: np.ndarray, rate: np.ndarray) -> np.ndarray:
    """Cents in entry currency to cents in LCY, rounded half away from zero, in exact integer arithmetic."""
    sign = np.sign(cents)
    return sign * ((np.abs(cents) * rate + 5000) // 10000)


def _amounts(rng: np.random.Generator, size_factor: np.ndarray) -> np.ndarray:
    """Invoice amounts in cents: mostly hundreds to a few thousand, some large."""
    raw = rng.lognormal(mean=6.6, sigma=1.0, size=len(size_factor)) * size_factor
    return np.clip(np.round(raw * 100), 2500, 4_500_000).astype(np.int64)


def _frame(cust, prefix, doc_type, posting, due, amount, remaining, closed=None, **extra) -> pd.DataFrame:
    n = len(cust)
    df = pd.DataFrame(
        {
            "cust": cust,
            "prefix": prefix,
            "document_type": doc_type,
            "posting_offset": posting,
            "due_offset": due,
            "amount_cents": amount,
            "remaining_cents": remaining,
            "closed_offset": closed if closed is not None else np.full(n, -1),
            "on_hold": "",
            "dispute_status": "",
            "promise_offset": -9999,
            "external_document_no": "",
            "reminder_level": 0,
            "reminder_offset": 0,
            "description": "",
        }
    )
    for k, v in extra.items():
        df[k] = v
    return df


def _open_invoices(rng, counts, terms, lateness, size) -> pd.DataFrame:
    n = sum(counts)
    n_cust = len(terms)
    # days past due per bucket, uniformly inside the bucket
    days = np.concatenate(
        [
            rng.integers(lo if lo is not None else 0, hi + 1, size=c)
            for (lo, hi), c in zip(BUCKET_DAYS, counts, strict=True)
        ]
    )
    # customers: late payers carry more of the overdue invoices
    w_all = size / size.sum()
    w_late = size * (1 + lateness) / (size * (1 + lateness)).sum()
    cust = np.where(days > 0, rng.choice(n_cust, size=n, p=w_late), rng.choice(n_cust, size=n, p=w_all))
    t = terms[cust]
    # within terms: due in 0 .. terms-1 days (posting date not after the as-of date)
    not_due = days <= 0
    days = np.where(not_due, -rng.integers(0, t), days)
    due_offset = days  # as_of - due_date
    posting_offset = due_offset + t
    amount = _amounts(rng, size[cust])
    remaining = amount.copy()
    partial = rng.random(n) < 0.08
    remaining[partial] = (amount[partial] * rng.uniform(0.2, 0.8, partial.sum())).astype(np.int64)
    df = _frame(
        cust,
        "SI",
        "invoice",
        posting_offset,
        due_offset,
        amount,
        remaining,
        description=np.where(partial, "Sales invoice (part paid)", "Sales invoice"),
    )
    overdue = days > 0
    r = rng.random(n)
    df.loc[overdue & (r < 0.03), "on_hold"] = "HLD"
    dispute = overdue & (r >= 0.03) & (r < 0.07)
    df.loc[dispute, "dispute_status"] = rng.choice(DISPUTES, size=dispute.sum())
    # promised pay dates: some still ahead, some passed without payment (broken promises)
    promise = overdue & (r >= 0.07) & (r < 0.11)
    df.loc[promise, "promise_offset"] = rng.choice([-9, -3, 4, 9, 16], size=promise.sum())
    po = pd.Series(rng.integers(100000, 999999, n)).astype(str)
    df["external_document_no"] = ("PO-" + po).where(rng.random(n) < 0.6, "")
    return df


def _open_credits(rng, n_cust: int, n_open: int) -> pd.DataFrame:
    """Open credit memos and unapplied payments (negative), a few per hundred customers."""
    n_cm = max(4, n_open // 120)
    n_pay = max(3, n_open // 160)
    cm_cust = rng.choice(n_cust, size=n_cm, replace=n_cm > n_cust)
    pay_cust = rng.choice(n_cust, size=n_pay, replace=n_pay > n_cust)
    cm_amt = -np.clip(np.round(rng.lognormal(5.2, 0.9, n_cm) * 100), 1000, 800_000).astype(np.int64)
    pay_amt = -np.clip(np.round(rng.lognormal(6.0, 0.9, n_pay) * 100), 1000, 1_500_000).astype(np.int64)
    cm_post = rng.integers(1, 60, n_cm)
    pay_post = rng.integers(1, 30, n_pay)
    return pd.concat(
        [
            _frame(
                cm_cust, "SCM", "credit_memo", cm_post, cm_post, cm_amt, cm_amt, description="Credit memo"
            ),
            _frame(
                pay_cust,
                "PAY",
                "payment",
                pay_post,
                pay_post,
                pay_amt,
                pay_amt,
                description="Payment on account",
            ),
        ]
    )


def _history(rng, terms, lateness, size, n: int) -> list[pd.DataFrame]:
    """A year of invoices paid in full, each with the payment that closed it."""
    n_cust = len(terms)
    cust = rng.choice(n_cust, size=n, p=size / size.sum())
    t = terms[cust]
    late = np.round(rng.normal(lateness[cust], 4.0)).astype(np.int64)
    posting = rng.integers(20, 380, size=n)
    due = posting - t
    closed = np.clip(due - late, 0, posting - 1)  # paid on or before the as-of date, after posting
    amount = _amounts(rng, size[cust])
    zero = np.zeros(n, dtype=np.int64)
    inv = _frame(cust, "SI", "invoice", posting, due, amount, zero, closed, description="Sales invoice")
    pay = _frame(cust, "PAY", "payment", closed, closed, -amount, zero, closed, description="Payment")
    return [inv, pay]


def refresh_if_stale(db: Database, today: dt.date) -> bool:
    """Re-date an untouched sample database to today, so the demo always looks current.

    Only a database that holds sample data alone (no import, no reminder, no contact note, no agreement) and
    was dated before today is regenerated; anything a user did keeps the data as it is. The setting
    sample_redate = 'off' keeps a sample at its date (the tests' fixed-date sample uses it).
    """
    loaded = db.setting("sample_loaded")
    if loaded is None or dt.date.fromisoformat(loaded) >= today or db.setting("sample_redate") == "off":
        return False
    if user_work(db):
        return False
    generate(db, SampleSpec(as_of=today))
    return True


def user_work(db: Database) -> int:
    """How many things in the database a user made: imports, reminders, contact notes, agreements."""
    return int(
        db.scalar(
            "select (select count(*) from import_batches)"
            " + (select count(*) from reminder_headers where coalesce(sent_by, '') <> 'sample')"
            " + (select count(*) from contact_log where coalesce(created_by, '') <> 'sample')"
            " + (select count(*) from agreements where coalesce(created_by, '') <> 'sample')"
        )
    )
