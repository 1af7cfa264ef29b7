"""Business Central ledger exports as files: the shipped example as rows of text, written back as CSV (as Excel
saves it, or as Excel's 'Unicode Text'), XLSX (text cells, or date and number cells as "Open in Excel" writes
them) or Parquet (text columns, or timestamp and decimal columns as pandas writes them); and snapshots of the
ledger tables to tell whether an import wrote anything."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq

from dunning.db import Database

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "sample_data" / "bc-customer-ledger-entries-example.csv"
DATE_COLUMNS = ("Posting Date", "Document Date", "Due Date", "Promised Pay Date", "Closed at Date")
AMOUNT_COLUMNS = ("Original Amount", "Original Amt. (LCY)", "Remaining Amount", "Remaining Amt. (LCY)")
LEDGER_TABLES = ("ledger_entries", "customers", "contacts", "import_batches")


def example() -> tuple[list[str], list[list[str]]]:
    """The example export's header and rows, as text."""
    with EXAMPLE.open(encoding="utf-8-sig", newline="") as f:
        header, *rows = list(csv.reader(f, delimiter=";"))
    return header, rows


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence[str]], *, encoding: str = "utf-8-sig",
              delimiter: str = ";") -> bytes:  # fmt: skip
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows([header, *rows])
    if encoding == "unicode-text":  # Excel's "Unicode Text": UTF-16 LE with BOM, tab-separated
        return b"\xff\xfe" + buf.getvalue().encode("utf-16-le")
    return buf.getvalue().encode(encoding)


def _date(text: str) -> dt.datetime | str:
    try:
        return dt.datetime.strptime(text, "%d.%m.%Y")
    except ValueError:
        return text


def _amount(text: str) -> Decimal | None:
    """An amount as the export writes it (-1.250,00), as a number; None for anything else ('1e5' stays text)."""
    if not re.fullmatch(r"\s*-?\d{1,3}(?:\.\d{3})*,\d{2}\s*", text, flags=re.ASCII):
        return None
    return Decimal(text.strip().replace(".", "").replace(",", "."))


def xlsx_bytes(header: Sequence[str], rows: Sequence[Sequence[str]], *, typed: bool = False) -> bytes:
    """A workbook of text cells; typed: dates as date cells and amounts as number cells where they read."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        cells: list[object] = list(row)
        if typed:
            for i, name in enumerate(header[: len(cells)]):
                if name in DATE_COLUMNS:
                    cells[i] = _date(row[i])
                elif name in AMOUNT_COLUMNS and (value := _amount(row[i])) is not None:
                    cells[i] = value if abs(value) < 10**15 else row[i]  # a number cell, exact
        sheet.append(cells)
    buf = io.BytesIO()
    book.save(buf)
    return _pinned(buf.getvalue())


def _pinned(data: bytes) -> bytes:
    """The workbook with its clock times fixed (openpyxl stamps the time of saving), so that the same rows
    give the same bytes: hypothesis replays a file byte for byte."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2026-11-28T00:00:00Z", body)
            dst.writestr(zipfile.ZipInfo(info.filename, (2026, 11, 28, 0, 0, 0)), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def parquet_bytes(header: Sequence[str], rows: Sequence[Sequence[str]], *, typed: bool = False) -> bytes:
    """A Parquet file of text columns; typed: a date column that reads whole as timestamps (what pandas writes
    for dates), an amount column that reads whole as decimal(18, 2)."""
    columns = {}
    names = list(header)
    for i, name in enumerate(names):
        values = [r[i] if i < len(r) else "" for r in rows]
        array: pa.Array = pa.array(values, pa.string())
        if typed and name in DATE_COLUMNS:
            dates = [_date(v) if v else None for v in values]
            if all(d is None or isinstance(d, dt.datetime) for d in dates):
                array = pa.array(dates, pa.timestamp("ns"))
        elif typed and name in AMOUNT_COLUMNS:
            amounts = [_amount(v) if v else None for v in values]
            if all(v is not None or not t for v, t in zip(amounts, values, strict=True)) and all(
                a is None or (abs(a) < 10**16 and a == a.quantize(Decimal("0.01"))) for a in amounts
            ):
                array = pa.array(amounts, pa.decimal128(18, 2))
        columns[f"{i}"] = array
    table = pa.table(columns).rename_columns(names)  # names may repeat
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


def snapshot(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the tables an import writes, in a stable order."""
    return {t: sorted(db.rows(f"select * from {t}"), key=repr) for t in LEDGER_TABLES}  # noqa: S608
