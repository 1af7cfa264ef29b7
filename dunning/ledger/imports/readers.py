"""Read an import file (CSV, XLSX, Parquet) into a table of text, one row per data row.

Everything is read as text so that the importer parses each field itself and reports problems by row and
column (and so that document numbers keep their leading zeros). The table's index is the row number as a
spreadsheet shows it: the header is row 1, the first data row is row 2. Fully empty rows are dropped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import pandas as pd

from dunning.errors import Problem
from dunning.ledger.imports.limits import Unreadable as Unreadable  # raised by every reader
from dunning.ledger.imports.limits import (
    check_unpacked,
    check_workbook_size,
    max_rows,
    read_regular_file,
    too_many_rows,
)

FORMATS = ("csv", "txt", "xlsx", "xlsm", "parquet")
BOM = b"\xef\xbb\xbf"
UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}  # Excel's "Unicode Text" starts with FF FE


@dataclass(frozen=True)
class RawTable:
    """A file's header and its rows as text ('' for empty cells); index = spreadsheet row number."""

    file: str
    columns: tuple[str, ...]
    frame: pd.DataFrame
    delimiter: str | None = None  # CSV only
    encoding: str | None = None  # CSV only
    sha256: str = ""  # of the file's bytes


def read_path(path: str | Path) -> RawTable:
    """Read a regular file (a FIFO, device or folder is refused at once, limits.py)."""
    path = Path(path)
    return read_bytes(read_regular_file(path), path.name)


def read_bytes(data: bytes, file_name: str) -> RawTable:
    """Read uploaded bytes; the format comes from the file name's extension."""
    ext = Path(file_name).suffix.lower().lstrip(".")
    if ext not in FORMATS:
        raise Unreadable(Problem(file_name, None, None, (
            f"unknown file type {('.' + ext) if ext else '(no extension)'}; "
            "save the export as .csv, .xlsx or .parquet"
        )))  # fmt: skip
    reader = {"csv": _read_csv, "txt": _read_csv, "xlsx": _read_xlsx, "xlsm": _read_xlsx}.get(
        ext, _read_parquet
    )
    try:
        return replace(reader(data, file_name), sha256=hashlib.sha256(data).hexdigest())
    except Unreadable:
        raise
    except Exception as exc:  # any reader's complaint about a damaged file: report it, don't crash
        raise Unreadable(Problem(file_name, None, None, (
            f"cannot read the file as {ext.upper()}: {exc}; check that it is a valid {ext.upper()} export"
        ))) from exc  # fmt: skip


# -- CSV -------------------------------------------------------------------------------------------
def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without BOM, UTF-16 with BOM (Excel's 'Unicode Text') or without (told
    by its NUL bytes), else Windows-1252 (Excel's 'CSV' on Western Windows)."""
    if data.startswith(BOM):
        return data[len(BOM) :].decode("utf-8", errors="strict"), "utf-8-sig"
    encoding = _utf16(data)
    if encoding:
        start = 2 if data[:2] in UTF16_BOMS else 0
        return data[start:].decode(encoding, errors="strict"), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252"), "cp1252"


def _utf16(data: bytes) -> str | None:
    """The UTF-16 byte order of the data: from its BOM, or from NUL bytes in every other place (ASCII text
    written as UTF-16 without a BOM); None: not UTF-16."""
    if data[:2] in UTF16_BOMS:
        return UTF16_BOMS[data[:2]]
    head = data[:4096]
    if len(head) < 4 or head.count(0) < len(head) // 4:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > len(head) // 4 and even == 0:
        return "utf-16-le"
    if even > len(head) // 4 and odd == 0:
        return "utf-16-be"
    return None


def sniff_delimiter(text: str) -> str:
    """The delimiter used most in the header line: semicolon, comma, tab or pipe."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (";", ",", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(data: bytes, file_name: str) -> RawTable:
    try:
        text, encoding = decode(data)
    except UnicodeDecodeError as exc:
        kind = {
            "utf-16-le": "UTF-16 text, as its start says",
            "utf-16-be": "UTF-16 text, as its start says",
            "utf-8": "UTF-8 text, as its BOM says",
        }.get(exc.encoding, "UTF-8 or Windows-1252 text")
        raise Unreadable(Problem(file_name, None, None, (
            f"the file is not {kind} ({exc.reason} at byte {exc.start}); export it again as CSV UTF-8"
        ))) from exc  # fmt: skip
    if not text.strip():
        raise Unreadable(
            Problem(file_name, None, None, "the file is empty; export the entries with a header row")
        )
    delimiter = sniff_delimiter(text)
    try:
        # header=None: a row with more fields than the header is an error, not silently shifted into an index
        frame = pd.read_csv(
            io.StringIO(text), sep=delimiter, header=None, dtype=str, keep_default_na=False, na_filter=False,
            skip_blank_lines=False, engine="c",
        )  # fmt: skip
    except pd.errors.ParserError as exc:
        found = re.search(r"line (\d+)", str(exc))
        row = int(found.group(1)) if found else None
        raise Unreadable(Problem(file_name, row, None, (
            f"cannot split the row into columns ({exc}); check the quotes and the number of "
            f"{_delimiter_name(delimiter)}s on that row"
        ))) from exc  # fmt: skip
    frame.columns = [str(c) for c in frame.iloc[0]]
    frame.index = frame.index + 1  # record 0 is the header, row 1
    return _finish(file_name, frame.iloc[1:], keep_index=True, delimiter=delimiter, encoding=encoding)


def _delimiter_name(d: str) -> str:
    return {";": "semicolon", ",": "comma", "\t": "tab", "|": "pipe"}.get(d, repr(d))


# -- XLSX ------------------------------------------------------------------------------------------
def _cell_text(value: object) -> str:
    """A cell as text, exactly as it reads: dates ISO, numbers without float noise."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return float_text(value)
    return str(value)


def float_text(value: float) -> str:
    """A spreadsheet number as the decimal it displays: 121.00000000000001 -> '121', 0.1+0.2 -> '0.3'.

    Excel keeps 15 significant digits, so the value is rounded to 15 significant digits (which removes the
    binary noise of 0.1+0.2 without touching 1234567.89 or 987654321.12) and written without an exponent.
    """
    if value != value or value in (float("inf"), float("-inf")):
        return ""
    text = format(Decimal(format(value, ".15g")), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _read_xlsx(data: bytes, file_name: str) -> RawTable:
    import openpyxl  # imported when a workbook is read: CSV imports and other commands start without it

    check_workbook_size(data, file_name)  # before openpyxl unpacks anything (limits.py)
    limit = max_rows(file_name)
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = book.active or book.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):  # rows as long as their cells, not as a claimed A1:XFD1048576
            sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        header: list[str] | None = None
        body: list[list[str]] = []
        numbers: list[int] = []
        for number, values in enumerate(rows, start=1):
            if len(body) >= limit:
                raise too_many_rows(file_name, limit)
            cells = [_cell_text(v) for v in values]
            if header is None:
                if any(c.strip() for c in cells):
                    header = cells
                continue
            body.append(cells)
            numbers.append(number)
    finally:
        book.close()
    if header is None:
        raise Unreadable(
            Problem(file_name, None, None, "the first sheet is empty; export the entries with a header")
        )
    while header and not header[-1].strip():
        header.pop()
    width = len(header)
    frame = pd.DataFrame([(r + [""] * width)[:width] for r in body], columns=header, dtype=str)
    frame.index = pd.Index(numbers, dtype="int64")
    return _finish(file_name, frame, keep_index=True)


# -- Parquet ---------------------------------------------------------------------------------------
def _read_parquet(data: bytes, file_name: str) -> RawTable:
    # imported when a Parquet file is read: CSV imports and other commands start without it
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(io.BytesIO(data))
    meta = parquet.metadata  # the footer: rows and their uncompressed size, known before any row is read
    check_unpacked(
        sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups)), file_name, "the file"
    )
    if meta.num_rows > (limit := max_rows(file_name)):
        raise too_many_rows(file_name, limit, "the file")
    table = parquet.read()  # not pq.read_table: it refuses two columns of one name
    columns: list[list[str]] = []
    for name, col in zip(table.column_names, table.columns, strict=True):
        kind = col.type
        if pa.types.is_floating(kind):
            text = [float_text(v) if v is not None else "" for v in col.to_pylist()]
        elif pa.types.is_timestamp(kind):
            # as the wall clock of its time zone reads; a timestamp at midnight (what pandas writes for a date,
            # in any unit: '2026-10-15 00:00:00.000000') is that date, other times keep whole seconds
            stamp = pc.strftime(col, format="%Y-%m-%d %H:%M:%S")
            stamp = pc.replace_substring_regex(stamp, pattern=r"\.0+$", replacement="")
            stamp = pc.replace_substring_regex(stamp, pattern=r" 00:00:00$", replacement="")
            text = pc.fill_null(stamp, "").to_pylist()
        else:
            try:
                text = pc.fill_null(pc.cast(col, pa.string()), "").to_pylist()
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
                raise Unreadable(Problem(file_name, None, str(name), (
                    f"the column holds {kind} values, which are not text, numbers or dates; export it as text "
                    "or leave it out"
                ))) from exc  # fmt: skip
        columns.append(text)
    frame = pd.DataFrame(dict(enumerate(columns)), dtype=str)  # by position: names may repeat
    return _finish(file_name, frame.set_axis([str(n) for n in table.column_names], axis=1))


# -- common ----------------------------------------------------------------------------------------
def _finish(
    file_name: str, frame: pd.DataFrame, *, keep_index: bool = False,
    delimiter: str | None = None, encoding: str | None = None,
) -> RawTable:  # fmt: skip
    frame = frame.set_axis(unique_names(frame.columns), axis=1)
    if not keep_index:
        frame.index = pd.RangeIndex(2, 2 + len(frame))
    frame = frame.fillna("").astype(str)
    if len(frame.columns):
        empty = (frame.apply(lambda s: s.str.strip()) == "").all(axis=1)
        frame = frame[~empty]
    return RawTable(
        file=file_name, columns=tuple(frame.columns), frame=frame, delimiter=delimiter, encoding=encoding
    )


def unique_names(names: object) -> list[str]:
    """Header names stripped; an empty one becomes 'Column N', a repeated one 'Name (2)', so each is distinct."""
    seen: set[str] = set()
    out = []
    for i, raw in enumerate(list(names), start=1):  # type: ignore[call-overload]
        base = str(raw).strip() or f"Column {i}"
        name, n = base, 1
        while name in seen:
            n += 1
            name = f"{base} ({n})"
        seen.add(name)
        out.append(name)
    return out
