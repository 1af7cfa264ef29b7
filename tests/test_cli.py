"""The command line as scripts and schedulers see it: real processes, exit codes, stdout and stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from dunning.cli import main


def dunning(*args: str, db: Path | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
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


def test_sample_then_aging_json_matches_the_contract(tmp_path):
    db = tmp_path / "s.duckdb"
    made = dunning("sample", "--as-of", "2026-11-28", db=db)
    assert made.returncode == 0, made.stderr
    assert "660 open invoices" in made.stdout
    out = dunning("aging", "--as-of", "2026-11-28", "--json", db=db)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["as_of"] == "2026-11-28"
    counts = [(b["label"], b["min_days"], b["max_days"], b["count"]) for b in report["buckets"][:3]]
    assert counts == [("Within terms", None, 0, 519), ("1-7", 1, 7, 25), ("8-14", 8, 14, 41)]
    buckets_total = sum(Decimal(b["amount_lcy"]) for b in report["buckets"])
    assert Decimal(report["open_amount_lcy"]) == buckets_total + Decimal(report["credits"]["amount_lcy"])
    assert all(len(b["amount_lcy"].split(".")[1]) == 2 for b in report["buckets"])


def test_db_flag_wins_over_environment_and_default_is_in_working_folder(tmp_path):
    env_db, flag_db = tmp_path / "env.duckdb", tmp_path / "flag.duckdb"
    assert dunning("--db", str(flag_db), "sample", "--as-of", "2026-11-28", db=env_db).returncode == 0
    assert flag_db.exists() and not env_db.exists()
    assert dunning("sample", "--as-of", "2026-11-28", "--db", str(flag_db)).returncode == 0
    assert dunning("sample", "--as-of", "2026-11-28", cwd=tmp_path).returncode == 0
    assert (tmp_path / "dunning.duckdb").exists()


def test_plain_aging_prints_a_readable_table(tmp_path, capsys):
    db = str(tmp_path / "t.duckdb")
    assert main(["--db", db, "sample", "--as-of", "2026-11-28"]) == 0
    assert main(["--db", db, "aging", "--as-of", "2026-11-28"]) == 0
    text = capsys.readouterr().out
    assert "Aging as of 2026-11-28 (EUR)" in text
    assert any(line.split()[:2] == ["8-14", "41"] for line in text.splitlines())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["aging", "--as-of", "28/11/2026"], "YYYY-MM-DD"),
        (["sample", "--invoices", "3"], "too small"),
        (["frobnicate"], "invalid choice"),
        (["import", "/nonexistent/file.csv", "--map", "document_no=x"], "file.csv"),
    ],
)
def test_bad_input_exits_2_with_a_message_on_stderr(tmp_path, args, message):
    done = dunning(*args, db=tmp_path / "x.duckdb")
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_database_in_use_exits_1_with_a_message(tmp_path):
    from dunning.db import Database

    path = tmp_path / "busy.duckdb"
    with Database(path):
        done = dunning("aging", "--json", db=path)
    assert done.returncode == 1
    assert "in use by another process" in done.stderr and "Traceback" not in done.stderr
