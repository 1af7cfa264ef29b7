"""The lock that keeps two scheduled runs from overlapping: an exclusive lock (flock) on the file
`<database>.run.lock` beside the database, held for the whole run.

The operating system releases it when the run's process ends, however it ends, so a run that was killed
never leaves a stale lock behind. The file holds who holds the lock (process, host, since when), for the
message the second run prints. An in-memory database has no file to share and needs no lock.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from dunning.errors import DunningError

EXIT_CODE = 3  # the command line's exit code when another run holds the lock


class RunInProgress(DunningError):
    """Another run holds the lock; this one did nothing."""

    exit_code = EXIT_CODE


def lock_path(db_path: str | Path) -> Path:
    return Path(f"{db_path}.run.lock")


def holder(db_path: str | Path) -> str | None:
    """Who holds the lock ('process 123 on host since ...'), or None when no run holds it."""
    path = lock_path(db_path)
    if str(db_path) == ":memory:" or not path.exists():
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _described(path)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def _described(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip() or "another process"
    except OSError:
        return "another process"


@contextmanager
def run_lock(
    db_path: str | Path, wait: float | None = None, on_wait: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the run lock of the database at DB_PATH for the block. Held by another run: without WAIT, raise
    RunInProgress at once; with WAIT seconds, tell ON_WAIT once and wait up to that long for it."""
    if str(db_path) == ":memory:":
        yield
        return
    path = lock_path(db_path)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + (wait or 0.0)
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                who = _described(path)
                if wait is None or time.monotonic() >= deadline:
                    waited = f" and stayed so for {wait:g} s" if wait else ""
                    raise RunInProgress(
                        f"another run is in progress ({who}){waited}; this run did nothing. Runs that overlap "
                        "would only repeat each other's work: let it finish, or pass --wait SECONDS to wait for it"
                    ) from None
                if not told and on_wait is not None:
                    on_wait(f"waiting for the run in progress ({who}) to finish, up to {wait:g} s ...")
                told = True
                time.sleep(min(0.1, max(deadline - time.monotonic(), 0.0)))
        since = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"process {os.getpid()} on {socket.gethostname()} since {since}".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock
