"""Run the `dunning` command line as scripts and schedulers do: a real process, its exit code and output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _env(db: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DUNNING_DB", None)
    env.pop("DUNNING_DB_WAIT", None)
    if db is not None:
        env["DUNNING_DB"] = str(db)
    return env


def dunning(*args: str, db: Path | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m dunning.cli ARGS` with DUNNING_DB set to db (unset when None)."""
    return subprocess.run(
        [sys.executable, "-m", "dunning.cli", *args],
        capture_output=True,
        text=True,
        env=_env(db),
        cwd=cwd,
        timeout=300,
    )


def dunning_process(*args: str, db: Path | None = None) -> subprocess.Popen[str]:
    """The same, started and left running (for commands that race or wait)."""
    return subprocess.Popen(
        [sys.executable, "-m", "dunning.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(db),
    )
