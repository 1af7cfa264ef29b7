"""Fuzzing the ledger import with malformed files (issue 12, "Hardening"), from a fixed seed.

Two properties, over mutations of the shipped Business Central export written as CSV, XLSX and Parquet:

- reading (readers.py): every file, however damaged (cut short, bytes flipped, another encoding, NULs and
  control characters, ragged rows, a broken zip), reads as text rows, the rows that were written, or is
  refused with one Problem; never another exception. About a thousand files, cheap to read.
- importing (importer.py, into one real DuckDB database, in memory so that a commit costs no fsync): wrong types, empty cells, huge numbers, words in date
  columns, missing or repeated columns, rows cut off, duplicated rows ... Each file is either rejected with
  ImportRejected, naming the row and column of every cell that must be refused (the file, for a missing
  column), with the ledger tables exactly as before; or imported correctly: each row stored with its
  document, customer, due date, amount and description, the entries it does not list untouched, one batch
  more. An import costs a tenth of a second or more, so the suite runs a hundred or so.
- the command line (dunning.cli.main, `dunning import FILE --mapping bc`): exit 2 with every problem's
  column on stderr, or exit 0; never a traceback.

`DUNNING_FUZZ_EXAMPLES=N` sets both budgets and `DUNNING_FUZZ_SEED=S` another seed than the fixed one
(benchmarks/fuzz_imports.py runs it with thousands: `--examples 20000 --seed 7`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, seed, settings
from hypothesis import strategies as st

from dunning.cli import main
from dunning.db import Database
from dunning.errors import ImportRejected
from dunning.ledger.imports.importer import import_file
from dunning.ledger.imports.mapping import Mapping
from dunning.ledger.imports.parsing import DOCUMENT_TYPES, MAX_INTEGER_DIGITS
from dunning.ledger.imports.readers import RawTable, Unreadable, read_bytes
from tests.ledger_files import (
    AMOUNT_COLUMNS,
    DATE_COLUMNS,
    csv_bytes,
    example,
    parquet_bytes,
    snapshot,
    xlsx_bytes,
)

BUDGET = int(os.environ.get("DUNNING_FUZZ_EXAMPLES", "0"))
SEED = int(os.environ.get("DUNNING_FUZZ_SEED", "0"))  # 0: the fixed seed hypothesis derives from each test
READ_EXAMPLES = BUDGET or 1000
IMPORT_EXAMPLES = BUDGET or 100
COMMAND_EXAMPLES = BUDGET // 10 or 30  # through dunning.cli.main, which opens the database file each time
BC = Mapping(preset="bc")
HEADER, ROWS = example()
REQUIRED = ("Document No.", "Customer No.", "Due Date", "Original Amount")
TEXT_COLUMNS = ("Customer Name", "Description", "External Document No.")
DIGITS = {  # other scripts' 0-9
    "arabic-indic": "٠١٢٣٤٥٦٧٨٩", "fullwidth": "０１２３４５６７８９", "devanagari": "०१२३४५६७८९",
}  # fmt: skip
CONTROL = "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85"
ILLEGAL_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _settings(examples: int) -> Callable[[Any], Any]:
    fixed = settings(
        derandomize=not SEED, max_examples=examples, deadline=None, database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )  # fmt: skip
    return (lambda test: fixed(seed(SEED)(test))) if SEED else fixed


def _write(ext: str, header: list[str], rows: list[list[str]], typed: bool) -> bytes:
    if ext == "xlsx":
        return xlsx_bytes(header, rows, typed=typed)
    if ext == "parquet":
        return parquet_bytes(header, rows, typed=typed)
    return csv_bytes(header, rows)


# -- reading ---------------------------------------------------------------------------------------
@st.composite
def damaged_files(draw: st.DrawFn) -> tuple[str, bytes, list[str] | None, list[list[str]] | None]:
    """(file name, bytes, and the header and rows the reader must return, or None where damage leaves that
    open)."""
    ext = draw(st.sampled_from(["csv", "csv", "txt", "xlsx", "parquet"]))
    cell = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=12)
    rows = [list(r) for r in ROWS[: draw(st.integers(0, len(ROWS)))]]
    for _ in range(draw(st.integers(0, 4))):  # cells with anything in them, control characters included
        if rows:
            r, c = draw(st.integers(0, len(rows) - 1)), draw(st.integers(0, len(HEADER) - 1))
            rows[r][c] = draw(st.one_of(cell, st.sampled_from(CONTROL).map(lambda ch: f"A{ch}B")))
            if ext == "xlsx":  # a workbook cannot hold control characters (openpyxl refuses to write them)
                rows[r][c] = ILLEGAL_IN_XLSX.sub("", rows[r][c])
    header = list(HEADER)
    if ext in ("csv", "txt"):
        encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "unicode-text", "utf-16-be"]))
        delimiter = "\t" if encoding == "unicode-text" else draw(st.sampled_from([";", ",", "\t", "|"]))
        try:
            data = csv_bytes(header, rows, encoding=encoding, delimiter=delimiter)
        except UnicodeEncodeError:  # cp1252 has no such character
            data = csv_bytes(header, rows, delimiter=delimiter)
        if encoding == "utf-16-be":
            data = b"\xfe\xff" + data
    else:
        data = _write(ext, header, rows, draw(st.booleans()))
    expected: tuple[list[str] | None, list[list[str]] | None] = (header, rows)
    damage = draw(st.sampled_from(["none", "none", "cut", "flip", "insert", "ragged", "garbage"]))
    if damage == "cut":
        data = data[: draw(st.integers(0, len(data)))]
    elif damage == "flip" and data:
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
    elif damage == "insert":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=40)) + data[at:]
    elif damage == "ragged" and ext in ("csv", "txt") and rows:
        data = data + b'\r\n1;2;3;4;5;6;7;8;9;10;11;12;13;14;15;16;17;18;19;20;21;"22\r\n'
    elif damage == "garbage":
        data = draw(st.binary(max_size=300))
    if damage != "none":
        expected = (None, None)
    return f"fuzz.{ext}", data, *expected


def _well_formed(table: RawTable, name: str) -> None:
    assert table.file == name
    assert len(set(table.columns)) == len(table.columns) and all(isinstance(c, str) for c in table.columns)
    assert list(table.frame.columns) == list(table.columns)
    assert all(isinstance(v, str) for v in table.frame.to_numpy().ravel())
    index = list(table.frame.index)
    assert index == sorted(set(index)) and all(isinstance(i, int) and i >= 2 for i in index)


@_settings(READ_EXAMPLES)
@given(damaged_files())
def test_every_file_reads_as_text_rows_or_is_refused_with_a_problem(
    case: tuple[str, bytes, list[str] | None, list[list[str]] | None],
) -> None:
    name, data, header, rows = case
    try:
        table = read_bytes(data, name)
    except Unreadable as exc:
        event(f"{name}: refused")
        assert exc.problem.file == name and exc.problem.message
        assert header is None, f"an undamaged file was refused: {exc.problem}"
        return
    event(f"{name}: read")
    _well_formed(table, name)
    if header is not None and rows is not None:
        assert table.columns == tuple(header)
        kept = [(i + 2, r) for i, r in enumerate(rows) if any(c.strip() for c in r)]
        assert list(table.frame.index) == [i for i, _ in kept]
        if name.endswith((".csv", ".txt")):  # text cells read back exactly (typed cells: test_readers.py)
            assert table.frame.to_numpy().tolist() == [r for _, r in kept]


# -- importing -------------------------------------------------------------------------------------
@dataclass
class Case:
    """A malformed export and what its import must do."""

    ext: str
    header: list[str]
    rows: list[list[str]]
    typed: bool
    refused_cells: set[tuple[int, str]] = field(default_factory=set)  # (row index, column) to be named
    refused_columns: set[str] = field(default_factory=set)  # missing required columns, to be named
    open_outcome: bool = False  # a mutation whose outcome either way is fine (rejected, or imported)
    touched: set[tuple[int, str]] = field(default_factory=set)  # cells not compared after an import
    cut: bool = False  # bytes cut off: only the invariants hold
    data: bytes = b""

    @property
    def must_reject(self) -> bool:
        return bool(self.refused_cells or self.refused_columns)


# pandas reads 'today' and 'now' as the day of the import (item 6)
DATE_WORDS = ["yesterday", "tomorrow", "soon", "n/a", "TBD", "31.02.2026", "32.01.2026", "15.13.2026",
              "15.10.20266", "15-10-2026x", "2026-10-15T", "--", "Mon 15 Oct",
              "today", "now", "Today", "NOW", " today "]  # fmt: skip


AMOUNT_WORDS = ["abc", "NaN", "inf", "-inf", "1e5", "½", "12..5", "1,2,3,4", "--5", "5 EUR", "1.2.3", "++1",
                "(5", "5)", "0x10", "1_000"]  # fmt: skip
TYPE_WORDS = {
    "Document Type": ["Invoyce", "Credit", "42", "Memo credit", "Invoice!"],
    "Open": ["maybe", "2", "oui non", "Yes!"],
    "Currency Code": ["EURO", "€", "E1R", "US"],
    "Last Issued Reminder Level": ["x", "100", "-1", "1.5", "²"],  # a superscript is no digit
}


def _digits(text: str, script: str) -> str:
    return text.translate(str.maketrans("0123456789", DIGITS[script]))


@st.composite
def mutate_cell(draw: st.DrawFn, case: Case) -> None:
    i = draw(st.integers(0, len(case.rows) - 1))
    row = case.rows[i]
    kinds = ["empty", "date_word", "amount_word", "huge", "type_word", "text", "plain"]
    kinds += ["digits"] + ([] if case.ext == "xlsx" else ["control"])  # a workbook cannot hold control chars
    kind = draw(st.sampled_from(kinds))
    column: str
    refuse, open_outcome = False, False
    if kind == "empty":
        column = draw(st.sampled_from(HEADER))
        value, refuse, open_outcome = "", column in REQUIRED, column not in REQUIRED
    elif kind == "date_word":
        column = draw(st.sampled_from(DATE_COLUMNS))
        value, refuse = draw(st.sampled_from(DATE_WORDS)), True
    elif kind == "amount_word":
        column = draw(st.sampled_from(AMOUNT_COLUMNS))
        value, refuse = draw(st.sampled_from(AMOUNT_WORDS)), True
    elif kind == "huge":
        column = draw(st.sampled_from(AMOUNT_COLUMNS))
        digits = draw(st.integers(12, 40))
        value = draw(st.sampled_from(["", "-"])) + "9" * digits + draw(st.sampled_from(["", ",00", ",99"]))
        # more whole digits than DECIMAL(18, 3) holds: not an amount; fewer: the ledger's totals may not hold them
        refuse, open_outcome = digits > MAX_INTEGER_DIGITS, digits <= MAX_INTEGER_DIGITS
    elif kind == "type_word":
        column = draw(st.sampled_from(sorted(TYPE_WORDS)))
        value, refuse = draw(st.sampled_from(TYPE_WORDS[column])), True
    elif kind == "digits":  # item 1: read as the ASCII digits they stand for (the amounts are compared)
        column = draw(st.sampled_from([*AMOUNT_COLUMNS, "Due Date", "Posting Date"]))
        value = _digits(row[HEADER.index(column)], draw(st.sampled_from(sorted(DIGITS))))
        open_outcome = case.typed  # a text amount among number cells: its decimal comma may not be the file's
    elif kind == "control":  # item 7: refused
        column = draw(st.sampled_from(TEXT_COLUMNS))
        old = row[HEADER.index(column)] or "x"
        at, char = draw(st.integers(0, len(old))), draw(st.sampled_from(CONTROL))
        value = old[:at] + char + old[at:]
        refuse = any(ch in CONTROL for ch in value.strip())  # form feed or NEL at an end: trimmed as space
    elif kind == "text":  # any letters, digits, punctuation and spaces: stored as written, trimmed
        column = "Description"
        alphabet = st.characters(categories=["L", "M", "N", "P", "S", "Zs"], exclude_characters="=+-@")
        value = "Note " + draw(st.text(alphabet=alphabet, max_size=30))
    else:  # plain: the value as the ERP could write it too
        column = draw(st.sampled_from(["Description", "External Document No.", "Original Amount"]))
        old = row[HEADER.index(column)]
        value = {"Original Amount": f" {old} ", "Description": old.upper()}.get(column, old + "-A")
    row[HEADER.index(column)] = value
    key = (i, column)
    case.refused_cells.discard(key)
    if refuse:
        case.refused_cells.add(key)
    case.open_outcome |= open_outcome
    case.touched.add(key)


def _drop_column(case: Case, name: str) -> None:
    j = case.header.index(name)
    del case.header[j]
    for r in case.rows:
        del r[j]
    case.refused_cells = {(i, c) for i, c in case.refused_cells if c != name}
    case.touched = {(i, c) for i, c in case.touched if c != name}
    if name in REQUIRED:
        case.refused_columns.add(name)
    else:
        case.open_outcome = True  # e.g. no Currency Code: the USD rows' amounts read in the local currency


@st.composite
def malformed_ledgers(draw: st.DrawFn) -> Case:
    ext = draw(st.sampled_from(["csv", "xlsx", "parquet"]))
    case = Case(ext, list(HEADER), [list(r) for r in ROWS], typed=ext != "csv" and draw(st.booleans()))
    for _ in range(draw(st.integers(0, 3))):
        draw(mutate_cell(case))
    shape = draw(st.sampled_from(["none", "none", "drop", "repeat_header", "extra", "shuffle", "fewer_rows",
                                  "duplicate_row", "blank_row", "cut"]))  # fmt: skip
    if shape == "drop":
        _drop_column(case, draw(st.sampled_from(HEADER)))
    elif shape == "repeat_header":  # two columns named alike: the first is read, the other renamed
        a, b = draw(st.lists(st.sampled_from(HEADER), min_size=2, max_size=2, unique=True))
        j = case.header.index(b)
        case.header[j] = a
        lost = b
        case.refused_cells = {(i, c) for i, c in case.refused_cells if c not in (a, b)}
        case.refused_columns |= {lost} & set(REQUIRED)
        case.open_outcome = True
    elif shape == "extra":
        case.header.append("Notes")
        for r in case.rows:
            r.append(draw(st.sampled_from(["", "call back", "€ 5", "=1+1"])))
    elif shape == "shuffle":
        order = draw(st.permutations(range(len(case.header))))
        case.header = [case.header[j] for j in order]
        case.rows = [[r[j] for j in order] for r in case.rows]
    elif shape == "fewer_rows":
        keep = draw(st.integers(0, len(case.rows) - 1))  # none: a header alone (item 2)
        case.rows = case.rows[:keep]
        case.refused_cells = {(i, c) for i, c in case.refused_cells if i < keep}
        case.touched = {(i, c) for i, c in case.touched if i < keep}
    elif shape == "duplicate_row":
        i = draw(st.integers(0, len(case.rows) - 1))
        if not any(t == i for t, _ in case.touched):
            case.rows.append(list(case.rows[i]))
            case.refused_cells.add((len(case.rows) - 1, "Document No."))
    elif shape == "blank_row":
        at = draw(st.integers(0, len(case.rows)))
        case.rows.insert(at, [""] * len(case.header))
        shift = {(i, c): (i + 1 if i >= at else i, c) for i, c in case.touched | case.refused_cells}
        case.refused_cells = {shift[k] for k in case.refused_cells}
        case.touched = {shift[k] for k in case.touched}
    case.data = _write(case.ext, case.header, case.rows, case.typed)
    if shape == "cut":
        case.data = case.data[: draw(st.integers(0, len(case.data)))]
        case.cut = True
    return case


@pytest.fixture(scope="module")
def ledger_db(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One real DuckDB database for every example, holding the example export imported once."""
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "example.csv").write_bytes(csv_bytes(HEADER, ROWS))
    with Database(":memory:") as db:
        import_file(db, folder / "example.csv", BC)
        yield db, folder


def _amount(text: str) -> Decimal | None:
    """The amount the example's format (1.250,00) writes, digits of any script; None: not such an amount."""
    try:
        return abs(Decimal(text.strip().replace(".", "").replace(",", ".")))
    except ArithmeticError:
        return None


def _date(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text.strip(), "%d.%m.%Y").date()
    except ValueError:
        return None


def _check_imported(db: Database, case: Case, before: dict[str, list[tuple[object, ...]]]) -> None:
    after = snapshot(db)
    assert len(after["import_batches"]) == len(before["import_batches"]) + 1
    if case.cut:
        return
    col: dict[str, int] = {}
    for j, name in enumerate(case.header):
        col.setdefault(name, j)  # a repeated name: the reader reads the first column of that name
    stored = {
        (kind, no, customer): (due, amount, description)
        for kind, no, customer, due, amount, description in db.rows(
            "select document_type, document_no, customer_no, due_date, abs(amount), description from ledger_entries"
        )
    }
    listed = set()
    for i, row in enumerate(case.rows):
        if not any(c.strip() for c in row):
            continue
        kind = row[col["Document Type"]].strip().casefold() if "Document Type" in col else ""
        key = (DOCUMENT_TYPES[kind], row[col["Document No."]].strip(), row[col["Customer No."]].strip())
        listed.add(key[1])
        assert key in stored, f"row {i + 2}: {key} was not stored"
        due, amount, description = stored[key]
        if (expected_due := _date(row[col["Due Date"]])) is not None:
            assert due == expected_due, f"row {i + 2}: due date"
        if (expected_amount := _amount(row[col["Original Amount"]])) is not None:
            assert amount == expected_amount, f"row {i + 2}: amount"
        if "Description" in col:
            text = row[col["Description"]].strip()
            clean = "".join(ch for ch in text if ch not in CONTROL).strip()
            assert description in ((text or None), (clean or None)), f"row {i + 2}: description"
    untouched = [r for r in before["ledger_entries"] if r[3] not in listed]  # column 4: document_no
    assert all(r in after["ledger_entries"] for r in untouched), "an entry the file does not list changed"


@_settings(IMPORT_EXAMPLES)
@given(malformed_ledgers())
def test_every_malformed_ledger_is_rejected_by_row_and_column_or_imported_correctly(
    ledger_db: tuple[Database, Path], case: Case
) -> None:
    db, folder = ledger_db
    path = folder / f"fuzz.{case.ext}"
    path.write_bytes(case.data)
    before = snapshot(db)
    try:
        import_file(db, path, BC)
    except ImportRejected as exc:
        event(f"{case.ext}: rejected")  # --hypothesis-show-statistics shows the mix
        assert snapshot(db) == before, "a rejected import wrote something"
        assert exc.problems and all(p.file == path.name and p.message for p in exc.problems)
        named = {(p.row, p.column) for p in exc.problems}
        for i, column in case.refused_cells:
            if not case.cut:
                assert (i + 2, column) in named, f"row {i + 2}, column {column!r} is not named: {exc}"
        for column in case.refused_columns:
            assert any(p.column == column and p.row is None for p in exc.problems), f"{column!r}: {exc}"
        assert case.must_reject or case.open_outcome or case.cut, f"a well-formed file was rejected: {exc}"
        return
    assert not case.must_reject or case.cut, (
        f"imported, but these had to be refused: {sorted(case.refused_cells)} {sorted(case.refused_columns)}"
    )
    event(f"{case.ext}: imported")
    _check_imported(db, case, before)


@pytest.fixture(scope="module")
def command_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a database file holding the example export, for `dunning import` run in this process."""
    folder = tmp_path_factory.mktemp("fuzz-cli")
    (folder / "example.csv").write_bytes(csv_bytes(HEADER, ROWS))
    assert (
        main(["--db", str(folder / "fuzz.duckdb"), "import", str(folder / "example.csv"), "--mapping", "bc"])
        == 0
    )
    return folder


@_settings(COMMAND_EXAMPLES)
@given(malformed_ledgers())
def test_the_command_line_exits_2_naming_the_columns_or_0_having_imported(
    command_folder: Path, case: Case
) -> None:
    """`dunning import FILE --mapping bc` (dunning.cli.main): exit 2 with the problems on stderr, naming the
    column of every cell that must be refused, or exit 0; never a traceback, whatever the file."""
    path = command_folder / f"fuzz.{case.ext}"
    path.write_bytes(case.data)
    out, err = io.StringIO(), io.StringIO()
    argv = [
        "--db",
        str(command_folder / "fuzz.duckdb"),
        "import",
        str(path),
        "--mapping",
        "bc",
        "--kind",
        "ledger",
    ]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    if code == 2:
        assert err.getvalue().startswith("dunning import: ") and path.name in err.getvalue()
        for column in {c for _, c in case.refused_cells} | case.refused_columns:
            assert column in err.getvalue() or case.cut, f"{column!r} is not named: {err.getvalue()}"
        event(f"command line, {case.ext}: exit 2")
    else:
        assert code == 0, err.getvalue()
        assert not case.must_reject or case.cut, f"exit 0, but {sorted(case.refused_cells)} had to be refused"
        assert "rows read" in out.getvalue()
        event(f"command line, {case.ext}: exit 0")
