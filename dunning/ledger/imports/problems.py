"""The problems of an import grouped for people: one line per kind of problem and column, with how many rows
have it, the first of those rows and the first value, instead of 2,466 lines that say the same thing.

Two problems are of one kind when their messages differ only in the values they quote or the numbers they
name ('11/25/2012' and '12/31/2012' in column DueDate are one kind).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from dunning.errors import Problem

FIRST_ROWS = 5  # rows named per group
_VALUES = re.compile(r"'[^']*'|\"[^\"]*\"|[-+]?\d[\d.,:/-]*")


@dataclass(frozen=True)
class ProblemGroup:
    column: str | None
    message: str  # the first row's message
    rows: tuple[int, ...]  # every row with it, in order (empty: a problem of the whole file)

    @property
    def count(self) -> int:
        return max(len(self.rows), 1)

    def first_rows(self) -> str:
        """'2, 3, 5, 8, 9 and 2,461 more'; 'whole file' for a problem of no row."""
        if not self.rows:
            return "whole file"
        shown = ", ".join(f"{r:,}" for r in self.rows[:FIRST_ROWS])
        more = len(self.rows) - FIRST_ROWS
        return f"{shown} and {more:,} more" if more > 0 else shown

    def text(self, file: str) -> str:
        """'ar.csv, 2,466 rows (2, 3, 4, 5, 6 and 2,461 more), column DueDate: the date 11/25/2012 ...'."""
        where = [file]
        if len(self.rows) == 1:
            where.append(f"row {self.rows[0]:,}")
        elif self.rows:
            where.append(f"{len(self.rows):,} rows ({self.first_rows()})")
        if self.column:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}"


def group(problems: Iterable[Problem]) -> tuple[ProblemGroup, ...]:
    """Problems of one kind and column together, in the order their first row comes."""
    found: dict[tuple[str | None, str], tuple[str, list[int]]] = {}
    for p in problems:
        kind = (p.column, _VALUES.sub("…", p.message))
        message, rows = found.setdefault(kind, (p.message, []))
        if p.row is not None:
            rows.append(p.row)
    groups = [ProblemGroup(column, message, tuple(rows)) for (column, _), (message, rows) in found.items()]
    return tuple(sorted(groups, key=lambda g: g.rows[0] if g.rows else 0))


def frame(groups: Iterable[ProblemGroup]) -> pd.DataFrame:
    """The groups as the page lists them: rows (count), first rows, column, problem; no empty cell reads None."""
    return pd.DataFrame(
        [{"rows": f"{g.count:,}", "first rows": g.first_rows(), "column": g.column or "", "problem": g.message}
         for g in groups],
        columns=["rows", "first rows", "column", "problem"],
    )  # fmt: skip


def summary(file: str, problems: Iterable[Problem]) -> str:
    """The command line's text of a rejected import: one line per group."""
    groups = group(problems)
    total = sum(g.count for g in groups)
    lines = "\n".join(f"  - {g.text(file)}" for g in groups)
    return f"import rejected, nothing was written: {total:,} problem(s)\n{lines}"
