"""Limits on reading an import file (limits.py): a Parquet file's footer is checked before its rows are read;
the limits come from the environment, so the page and the command line share them (XLSX, FIFOs and the
command line: test_import_hardening.py)."""

from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dunning.ledger.imports.limits import MAX_MB_VARIABLE, MAX_ROWS_VARIABLE
from dunning.ledger.imports.readers import Unreadable, read_bytes


def _parquet(rows: int, width: int = 8) -> bytes:
    buf = io.BytesIO()
    values = [f"{i:0{width}d}" for i in range(rows)]  # distinct: no dictionary makes them small
    pq.write_table(pa.table({"Document No.": values}), buf, compression="zstd")
    return buf.getvalue()


def _not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    def read(*args: object, **kwargs: object) -> None:
        raise AssertionError("the rows of a Parquet file over the limit were read")

    monkeypatch.setattr(pq.ParquetFile, "read", read)


def test_parquet_with_more_rows_than_the_limit_is_refused_from_its_footer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(MAX_ROWS_VARIABLE, "200")
    assert len(read_bytes(_parquet(200), "ok.parquet").frame) == 200
    _not_read(monkeypatch)
    with pytest.raises(Unreadable) as caught:
        read_bytes(_parquet(201), "long.parquet")
    message = caught.value.problem.message
    assert "the file has more than 200 rows" in message and f"{MAX_ROWS_VARIABLE}=400" in message


def test_parquet_larger_than_the_limit_unpacked_is_refused_from_its_footer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = _parquet(40_000, width=60)  # 2.4 MB of text, far less packed
    monkeypatch.setenv(MAX_MB_VARIABLE, "1")
    _not_read(monkeypatch)
    with pytest.raises(Unreadable) as caught:
        read_bytes(data, "big.parquet")
    message = caught.value.problem.message
    assert "the file unpacks to" in message and "more than the limit of 1 MB" in message
    assert f"{MAX_MB_VARIABLE}=" in message


def test_limits_are_read_each_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """A limit raised while the app runs applies to the next file, without a restart."""
    data = _parquet(300)
    monkeypatch.setenv(MAX_ROWS_VARIABLE, "100")
    with pytest.raises(Unreadable):
        read_bytes(data, "x.parquet")
    monkeypatch.setenv(MAX_ROWS_VARIABLE, "1000")
    assert len(read_bytes(data, "x.parquet").frame) == 300
