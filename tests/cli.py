"""Run the `dunning` command line as scripts and schedulers do: a real process, its exit code and output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def dunning(*args: str, db: Path | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m dunning.cli ARGS` with DUNNING_DB set to db (unset when None)."""
    env = dict(os.environ)
    env.pop("DUNNING_DB", None)
    if db is not None:
        env["DUNNING_DB"] = str(db)
    return subprocess.run(
        [sys.executable, "-m", "dunning.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
    )
