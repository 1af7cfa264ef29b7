"""The sample's ledger entries: open invoices per aging bucket, open credits, and a year of paid invoices.

Vectorised over numpy arrays of integer cents and day offsets; dunning.sample.ledger turns them into dates and
DECIMAL(18,2) in DuckDB, so no amount passes through float.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dunning.errors import BadInput

# The seed's open invoices per bucket: within terms, 1-7, 8-14, 15-30, 31-60, 61-90, over 90 days past due.
DEFAULT_BUCKET_COUNTS = (519, 25, 41, 33, 22, 12, 8)
BUCKET_DAYS = ((None, 0), (1, 7), (8, 14), (15, 30), (31, 60), (61, 90), (91, 400))

# Exchange rates to EUR (the local currency), in units of 1/10000, fixed so that LCY amounts are reproducible.
RATES = {"EUR": 10000, "GBP": 11500, "USD": 9200, "CHF": 10500}
DISPUTES = ("Price difference", "Goods damaged", "Quantity short", "Not ordered")


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


def make_entries(
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
