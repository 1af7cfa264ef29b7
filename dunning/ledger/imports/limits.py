"""Limits on what an import file may cost to read, checked before the reader spends time or memory on it.

An XLSX workbook is a zip archive of XML: 575 KB can unpack to gigabytes (a sheet of millions of empty
styled cells, or a zip bomb), and openpyxl would then take minutes and all the memory there is. So the zip's
directory is read first (without unpacking anything) and a workbook whose parts add up to more than
DUNNING_IMPORT_MAX_MB megabytes (default 100) is refused; while the sheet is read, a sheet with more than
DUNNING_IMPORT_MAX_ROWS rows (default 250,000) is refused. Python's zipfile never unpacks more of a part
than the size its directory declares, so a part that lies about its size cannot get past. A Parquet file is
compressed too (a column of one repeated value packs to almost nothing): its footer says how many rows it
has and how large they are uncompressed, and the same limits apply before any row is read. Both limits are
environment variables, so the page and the command line read the same ones; the message says the limit and
how to raise it.

An import path must name a regular file: a FIFO named `.csv` would block the reader forever, a device could
be read without end.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

from dunning.errors import Problem

MAX_MB_VARIABLE = "DUNNING_IMPORT_MAX_MB"
MAX_ROWS_VARIABLE = "DUNNING_IMPORT_MAX_ROWS"
DEFAULT_MAX_MB = 100
DEFAULT_MAX_ROWS = 250_000
MB = 1_000_000


class Unreadable(Exception):
    """The file cannot be read at all; carries the one problem to report."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _limit(variable: str, default: int, file_name: str) -> int:
    raw = os.environ.get(variable, "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        raise Unreadable(Problem(file_name, None, None, (
            f"the environment variable {variable}={raw!r} is not a whole number above 0; set it to one "
            f"(default {default:,}) or unset it"
        )))  # fmt: skip
    return int(raw)


def max_rows(file_name: str) -> int:
    return _limit(MAX_ROWS_VARIABLE, DEFAULT_MAX_ROWS, file_name)


def check_unpacked(unpacked: int, file_name: str, what: str) -> None:
    """Refuse a file (`what`: 'the workbook') whose content takes more than the limit once unpacked."""
    limit = _limit(MAX_MB_VARIABLE, DEFAULT_MAX_MB, file_name)
    if unpacked > limit * MB:
        raise Unreadable(Problem(file_name, None, None, (
            f"{what} unpacks to {unpacked / MB:,.0f} MB, more than the limit of {limit:,} MB; export "
            f"fewer rows or columns, save it as CSV, or raise the limit with the environment variable "
            f"{MAX_MB_VARIABLE} (e.g. {MAX_MB_VARIABLE}={max(limit * 2, -(-unpacked // MB))})"
        )))  # fmt: skip


def check_workbook_size(data: bytes, file_name: str) -> None:
    """Refuse a workbook whose unpacked parts exceed the limit, before any of them is unpacked."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise Unreadable(Problem(file_name, None, None, (
            f"the file is not an XLSX workbook (not a valid zip archive: {exc}); save it again from Excel as "
            "'Excel Workbook (*.xlsx)' or as CSV"
        ))) from exc  # fmt: skip
    check_unpacked(unpacked, file_name, "the workbook")


def too_many_rows(file_name: str, limit: int, what: str = "the sheet") -> Unreadable:
    return Unreadable(Problem(file_name, None, None, (
        f"{what} has more than {limit:,} rows, the limit for a workbook or Parquet file; export fewer rows, save "
        f"it as CSV, or raise the limit with the environment variable {MAX_ROWS_VARIABLE} (e.g. "
        f"{MAX_ROWS_VARIABLE}={limit * 2})"
    )))  # fmt: skip


def read_regular_file(path: Path) -> bytes:
    """The bytes of a regular file; anything else (FIFO, device, directory, socket) is refused at once,
    without blocking: the file is opened non-blocking and checked through its descriptor, not its name."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise Unreadable(
            Problem(str(path), None, None, f"cannot read the file: {exc.strerror or exc}")
        ) from exc
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise Unreadable(Problem(str(path), None, None, (
                f"this is {_kind(mode)}, not a regular file; save the export as a file and import that file"
            )))  # fmt: skip
        with os.fdopen(fd, "rb", closefd=False) as file:
            return file.read()
    except OSError as exc:
        raise Unreadable(
            Problem(str(path), None, None, f"cannot read the file: {exc.strerror or exc}")
        ) from exc
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file"
