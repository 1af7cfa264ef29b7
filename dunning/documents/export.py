"""CSV and XLSX downloads of a DataFrame, safe to open in a spreadsheet. The only module that writes XLSX.

Spreadsheet formula injection: a text cell that starts with = + - @ (or a tab or carriage return, which
some programs skip before reading a formula) is run as a formula when the file is opened. Such text cells
get a leading apostrophe, so they show as text. Only text is touched: numbers (a genuine negative amount
included), dates and booleans stay what they are.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = "#,##0.00"


def neutralise(value: Any) -> Any:
    """A text cell that a spreadsheet would read as a formula gets a leading apostrophe; others pass."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    """A DataFrame value as a spreadsheet cell: None for missing, Python scalars, neutralised text."""
    if value is None or (not isinstance(value, str | list | tuple | dict) and bool(pd.isna(value))):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str | Decimal):  # numpy scalars
        value = value.item()
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    return neutralise(value)


def _rows(df: pd.DataFrame) -> list[list[Any]]:
    return [[_cell(v) for v in row] for row in df.itertuples(index=False, name=None)]


def _header(df: pd.DataFrame) -> list[Any]:
    return [neutralise(str(c)) for c in df.columns]


def to_csv(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark (so spreadsheets detect the encoding), a header and one line per row.

    Amounts are written exactly (Decimal's own text, '1234.50'), dates as YYYY-MM-DD, missing as empty.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(_header(df))
    for row in _rows(df):
        writer.writerow(["" if v is None else _csv_text(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def to_xlsx(df: pd.DataFrame, sheet: str = "Export") -> bytes:
    """An XLSX workbook with one sheet: bold header, frozen top row, amounts as numbers shown with 2 places."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    ws.append(_header(df))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in _rows(df):
        ws.append(row)
    for col_idx, name in enumerate(df.columns, start=1):
        letter = get_column_letter(col_idx)
        sample = [c for c in df[name].head(200) if c is not None]
        width = max([len(str(name))] + [len(str(c)) for c in sample]) + 2
        ws.column_dimensions[letter].width = min(width, 60)
        if sample and all(isinstance(c, Decimal) for c in sample):
            for (cell,) in ws.iter_rows(min_row=2, min_col=col_idx, max_col=col_idx):
                cell.number_format = MONEY_FORMAT
        elif sample and all(isinstance(c, dt.date) for c in sample):
            for (cell,) in ws.iter_rows(min_row=2, min_col=col_idx, max_col=col_idx):
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
