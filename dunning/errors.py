"""The project's one error hierarchy. Messages name the record and say what to do."""

from __future__ import annotations

from dataclasses import dataclass


class DunningError(Exception):
    """Base of every error the project raises on purpose; pages show these with st.error."""


class BadInput(DunningError):
    """The user's input (a file, an option, a setting) is wrong; the command line exits with 2."""


class DatabaseBusy(DunningError):
    """Another process holds the database file."""


class NotAllowed(DunningError):
    """The person acting has no role that allows the action (dunning.access); nothing was changed."""


@dataclass(frozen=True)
class Problem:
    """One problem in an input file: where it is, what is wrong, what to do."""

    file: str
    row: int | None  # 1-based data row as a spreadsheet shows it (header is row 1); None: whole file
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}"


class ImportRejected(BadInput):
    """An import found problems; nothing was written. Carries every problem at once."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"import rejected, nothing was written: {len(problems)} problem(s)\n{shown}{more}")
