"""Hostile and unusual import files (issue 12, "Hardening"): each numbered defect reproduced, through the core and
through the command line as a real process; a rejected file writes nothing."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from streamlit.testing.v1 import AppTest

from dunning.db import Database
from dunning.errors import ImportRejected
from dunning.ledger.imports.importer import import_file, read_upload
from dunning.ledger.imports.limits import MAX_MB_VARIABLE, MAX_ROWS_VARIABLE
from dunning.ledger.imports.mapping import Mapping
from dunning.ledger.imports.readers import Unreadable, read_bytes, read_path
from tests.cli import dunning
from tests.ledger_files import ROOT, csv_bytes, example, parquet_bytes, snapshot, xlsx_bytes

BC = Mapping(preset="bc")
WRITERS = {
    "csv": lambda h, r: csv_bytes(h, r),
    "xlsx": lambda h, r: xlsx_bytes(h, r, typed=True),
    "parquet": lambda h, r: parquet_bytes(h, r, typed=True),
}


def _stored(db: Database) -> dict[str, tuple[Decimal, dt.date, Decimal]]:
    """document no. -> (amount, due date, remaining amount) of every stored entry."""
    return {
        no: (amount, due, remaining)
        for no, amount, due, remaining in db.rows(
            "select document_no, amount, due_date, remaining_amount from ledger_entries"
        )
    }


# -- item 2: a header and no rows ------------------------------------------------------------------
@pytest.mark.parametrize("ext", sorted(WRITERS))
def test_header_without_rows_reads_as_an_empty_table(tmp_path: Path, ext: str) -> None:
    header, _ = example()
    table = read_bytes(WRITERS[ext](header, []), f"empty.{ext}")
    assert table.columns == tuple(header) and len(table.frame) == 0


@pytest.mark.parametrize("ext", sorted(WRITERS))
def test_header_without_rows_imports_nothing(tmp_path: Path, ext: str) -> None:
    header, rows = example()
    path = tmp_path / f"nothing-open.{ext}"
    path.write_bytes(WRITERS[ext](header, []))
    (tmp_path / "full.csv").write_bytes(csv_bytes(header, rows))
    with Database(tmp_path / "h.duckdb") as db:
        import_file(db, tmp_path / "full.csv", BC)
        before = snapshot(db)
        result = import_file(db, path, BC)
        assert (result.rows_read, result.inserted, result.updated) == (0, 0, 0)
        after = snapshot(db)
    assert after["ledger_entries"] == before["ledger_entries"]


@pytest.mark.parametrize("ext", sorted(WRITERS))
def test_header_without_rows_on_the_command_line(tmp_path: Path, ext: str) -> None:
    """The issue's reproduction: `head -1 example.csv > e.csv; dunning import e.csv --mapping bc --all-open`,
    on a ledger with open entries: the export lists nothing open, so every open entry is closed."""
    header, rows = example()
    db = tmp_path / "h.duckdb"
    (tmp_path / "full.csv").write_bytes(csv_bytes(header, rows))
    assert dunning("import", str(tmp_path / "full.csv"), "--mapping", "bc", db=db).returncode == 0
    path = tmp_path / f"e.{ext}"
    path.write_bytes(WRITERS[ext](header, []))
    done = dunning(
        "import", str(path), "--mapping", "bc", "--all-open", "--yes", "--closed-on", "2026-11-28", db=db
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "0 rows read" in done.stdout
    with Database(db) as d:
        assert d.scalar("select count(*) from ledger_entries where remaining_amount <> 0") == 0


# -- item 3: Parquet timestamps --------------------------------------------------------------------
@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
def test_parquet_timestamp_at_midnight_is_a_date(unit: str) -> None:
    values = [dt.datetime(2026, 10, 15), None, dt.datetime(2026, 10, 15, 13, 30, 5)]
    buf = io.BytesIO()
    pq.write_table(pa.table({"no": ["1", "2", "3"], "due": pa.array(values, pa.timestamp(unit))}), buf)
    assert read_bytes(buf.getvalue(), "x.parquet").frame["due"].tolist() == [
        "2026-10-15", "", "2026-10-15 13:30:05"
    ]  # fmt: skip


def test_parquet_timestamp_with_time_zone_reads_as_its_wall_clock() -> None:
    frame = pd.DataFrame({"due": pd.to_datetime(["2026-10-15", "2026-03-29"]).tz_localize("Europe/Brussels")})
    buf = io.BytesIO()
    frame.to_parquet(buf)
    assert read_bytes(buf.getvalue(), "x.parquet").frame["due"].tolist() == ["2026-10-15", "2026-03-29"]


def test_parquet_that_pandas_writes_imports_like_the_csv(tmp_path: Path) -> None:
    """The example read with pandas (dates parsed, amounts as exact decimals) and saved with to_parquet."""
    header, rows = example()
    frame = pd.DataFrame(rows, columns=header)
    for name in ("Posting Date", "Document Date", "Due Date", "Promised Pay Date", "Closed at Date"):
        frame[name] = pd.to_datetime(frame[name], format="%d.%m.%Y")
    for name in ("Original Amount", "Original Amt. (LCY)", "Remaining Amount", "Remaining Amt. (LCY)"):
        frame[name] = [Decimal(v.replace(".", "").replace(",", ".")) if v else None for v in frame[name]]
    frame.to_parquet(tmp_path / "cle.parquet")
    (tmp_path / "cle.csv").write_bytes(csv_bytes(header, rows))
    with Database(":memory:") as a, Database(":memory:") as b:
        import_file(a, tmp_path / "cle.parquet", BC)
        import_file(b, tmp_path / "cle.csv", BC)
        assert _stored(a) == _stored(b) and len(_stored(a)) == len(rows)


def test_parquet_column_of_lists_is_refused_by_name() -> None:
    buf = io.BytesIO()
    pq.write_table(pa.table({"Due Date": pa.array([[1, 2]], pa.list_(pa.int64()))}), buf)
    with pytest.raises(Unreadable) as caught:
        read_bytes(buf.getvalue(), "x.parquet")
    assert caught.value.problem.column == "Due Date" and "export it as text" in caught.value.problem.message


# -- item 10: XLSX unpacked size and rows ----------------------------------------------------------
def _workbook(rows: int, filler: str = "") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Document No.", "Description"])
    for i in range(rows):
        sheet.append([f"D{i}", filler])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_workbook_over_the_size_limit_is_refused_before_it_is_unpacked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = _workbook(400, "x" * 5000)  # 2 MB of shared strings, a few KB packed
    assert len(data) < 100_000
    monkeypatch.setenv(MAX_MB_VARIABLE, "1")

    def unpacked(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl was asked to read a workbook over the limit")

    monkeypatch.setattr(openpyxl, "load_workbook", unpacked)
    with pytest.raises(Unreadable) as caught:
        read_bytes(data, "big.xlsx")
    message = caught.value.problem.message
    assert "unpacks to 2 MB, more than the limit of 1 MB" in message and f"{MAX_MB_VARIABLE}=" in message


def test_workbook_under_a_raised_size_limit_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MAX_MB_VARIABLE, "3")
    assert len(read_bytes(_workbook(400, "x" * 5000), "big.xlsx").frame) == 400


def test_zip_part_that_understates_its_size_cannot_unpack_more(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bomb's directory says 1 KB for a sheet of megabytes: zipfile stops at the declared size, so the
    workbook is refused as damaged instead of being unpacked."""
    data = bytearray(_workbook(2000, "y" * 1000))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size > 1_000_000
    real = info.file_size.to_bytes(4, "little")
    # the central directory's uncompressed size (and the local header's) made to lie
    assert data.count(real) >= 1
    data = data.replace(real, (1000).to_bytes(4, "little"))
    with pytest.raises(Unreadable) as caught:
        read_bytes(bytes(data), "bomb.xlsx")
    assert "cannot read the file as XLSX" in caught.value.problem.message


def test_workbook_over_the_row_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MAX_ROWS_VARIABLE, "50")
    assert len(read_bytes(_workbook(50), "ok.xlsx").frame) == 50
    with pytest.raises(Unreadable) as caught:
        read_bytes(_workbook(51), "long.xlsx")
    message = caught.value.problem.message
    assert "more than 50 rows" in message and f"{MAX_ROWS_VARIABLE}=100" in message


@pytest.mark.parametrize("value", ["lots", "-1", "0", "１０"])
def test_a_limit_that_is_not_a_number_is_named(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(MAX_MB_VARIABLE, value)
    with pytest.raises(Unreadable) as caught:
        read_bytes(_workbook(1), "x.xlsx")
    assert f"{MAX_MB_VARIABLE}={value!r} is not a whole number" in caught.value.problem.message


def test_file_named_xlsx_that_is_not_a_zip_is_refused() -> None:
    with pytest.raises(Unreadable) as caught:
        read_bytes(b"Document No.;Amount\r\n1;2\r\n", "renamed.xlsx")
    assert "not a valid zip archive" in caught.value.problem.message


def test_workbook_limits_on_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.xlsx"
    path.write_bytes(_workbook(400, "x" * 5000))
    monkeypatch.setenv(MAX_MB_VARIABLE, "1")  # the process inherits it
    done = dunning("import", str(path), "--mapping", "bc", db=tmp_path / "h.duckdb")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "more than the limit of 1 MB" in done.stderr and MAX_MB_VARIABLE in done.stderr


def test_workbook_limits_on_the_import_page(app_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MAX_ROWS_VARIABLE, "10")
    at = AppTest.from_file(str(ROOT / "pages" / "import_data.py"), default_timeout=60)
    at.session_state["import_source"] = ("long.xlsx", _workbook(11))
    at.run()
    assert not at.exception
    shown = at.error[0].value.replace("\\", "")  # as Markdown, escaped
    assert "more than 10 rows" in shown and MAX_ROWS_VARIABLE in shown


# -- item 12: UTF-16 text, and paths that are not files -------------------------------------------
def test_excel_unicode_text_imports_like_the_csv(tmp_path: Path) -> None:
    header, rows = example()
    (tmp_path / "cle.txt").write_bytes(csv_bytes(header, rows, encoding="unicode-text", delimiter="\t"))
    (tmp_path / "cle.csv").write_bytes(csv_bytes(header, rows))
    table = read_path(tmp_path / "cle.txt")
    assert (table.encoding, table.delimiter) == ("utf-16-le", "\t")
    with Database(":memory:") as a, Database(":memory:") as b:
        import_file(a, tmp_path / "cle.txt", BC)
        import_file(b, tmp_path / "cle.csv", BC)
        assert _stored(a) == _stored(b) and len(_stored(a)) == len(rows)
        assert a.scalar("select name from customers where customer_no = 'K50000'") == "Société Générale Paris"


@pytest.mark.parametrize(("encoding", "bom"), [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
                                               ("utf-16-le", b""), ("utf-16-be", b"")])  # fmt: skip
def test_utf16_with_or_without_bom(encoding: str, bom: bytes) -> None:
    table = read_bytes(bom + "Name,Amount\r\nÉmile Zoë,1\r\n".encode(encoding), "u.csv")
    assert table.encoding == encoding and table.frame.loc[2].tolist() == ["Émile Zoë", "1"]


def test_truncated_utf16_names_its_encoding() -> None:
    with pytest.raises(Unreadable) as caught:
        read_bytes(b"\xff\xfe" + "a,b\r\n1,2\r\n".encode("utf-16-le")[:-1], "u.csv")
    assert "not UTF-16 text" in caught.value.problem.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_fifo_named_csv_is_refused_at_once(tmp_path: Path) -> None:
    """Nothing writes to the pipe: reading it would block forever. The command line refuses it with exit 2."""
    fifo = tmp_path / "entries.csv"
    os.mkfifo(fifo)
    with pytest.raises(Unreadable) as caught:
        read_path(fifo)
    assert "named pipe (FIFO), not a regular file" in caught.value.problem.message
    done = dunning("import", str(fifo), "--mapping", "bc", db=tmp_path / "h.duckdb")
    assert done.returncode == 2 and "named pipe" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("path", ["folder.csv", "/dev/zero"])
def test_folder_or_device_is_refused(tmp_path: Path, path: str) -> None:
    target = Path(path) if path.startswith("/") else tmp_path / path
    if not target.is_absolute() or not target.exists():
        target.mkdir()
    with pytest.raises(Unreadable) as caught:
        read_path(target)
    assert "not a regular file" in caught.value.problem.message


def test_uploaded_bytes_take_the_same_reader() -> None:
    with pytest.raises(ImportRejected) as caught:
        read_upload(b"\xff\xfe" + "a,b\r\n1,2\r\n".encode("utf-16-le")[:-1], "u.csv")
    assert "not UTF-16 text" in str(caught.value)
