"""The totals the ledger can hold: an import whose amounts would add up to more is refused.

Amounts are stored as DECIMAL(18, 3), at most 15 whole digits, and aging, the overview and the reminders add
them up into totals of the same kind; a ledger whose amounts add up to more than that fails in every total
with an overflow (issue 12, item 4: a bucket above what decimal(18, 2) holds). So the sum of the absolute
amounts of the whole ledger after the import, in the entries' currencies and in the local one, must stay
below 10^15: then every total fits. The problem names the file's row with the largest amount, most likely
a typo.
"""

from __future__ import annotations

from decimal import Decimal

from dunning.db import Database, load_sql
from dunning.errors import Problem
from dunning.ledger.imports.rows import Prepared

LIMIT = Decimal(10) ** 15  # DECIMAL(18, 3) holds up to 999,999,999,999,999.999


def total_problems(db: Database, prepared: Prepared) -> tuple[Problem, ...]:
    """A problem per amount field whose ledger total would reach LIMIT with the file imported."""
    frame = prepared.frame.rename_axis("row").reset_index()
    frame = frame[["row", "document_type", "document_no", "amount", "amount_lcy"]]
    with db.registered("import_totals", frame) as s:
        found = s.one(load_sql(__package__, "totals"))
    if found is None:
        return ()
    amount, amount_lcy, amount_row, amount_lcy_row = found
    problems = []
    for name, total, row in (("amount", amount, amount_row), ("amount_lcy", amount_lcy, amount_lcy_row)):
        if total is None or row is None or Decimal(total) < LIMIT:
            continue
        column = prepared.resolved.columns.get(name) or prepared.resolved.columns.get("amount", name)
        problems.append(Problem(prepared.file, int(row), column, (
            f"with this file the ledger's amounts{' in local currency' if name == 'amount_lcy' else ''} would "
            f"add up to {Decimal(total):,.2f}, more than the {LIMIT:,} its totals can hold; this row has the "
            "largest amount of the file: correct it if it is a typo"
        )))  # fmt: skip
        break  # the local currency's total follows the amounts': one problem is enough
    return tuple(problems)
