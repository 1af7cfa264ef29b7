"""The command line as scripts and schedulers see it: real processes, exit codes, stdout and stderr."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from dunning.cli import main
from tests.cli import dunning


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


@pytest.fixture
def one_customer(tmp_path) -> str:
    from dunning.db import Database
    from tests.ledger import add_customer

    path = tmp_path / "c.duckdb"
    with Database(path) as d:
        add_customer(d, "C1")
    return str(path)


def test_contact_and_agreement_are_recorded(one_customer, capsys):
    import datetime as dt

    from dunning.db import Database
    from dunning.ledger.contacts import agreements, contact_history

    today = dt.date.today()
    assert main(["--db", one_customer, "contact", "C1", "--note", "called AP", "--channel", "visit"]) == 0
    assert "logged visit contact with C1 on " + str(today) in capsys.readouterr().out
    args = ["agreement", "C1", "--until", "2099-01-31", "--note", "two instalments", "--on", "2026-01-05"]
    assert main(["--db", one_customer, *args]) == 0
    assert "no reminder until 2099-01-31" in capsys.readouterr().out
    with Database(one_customer) as d:
        note = contact_history(d, "C1")[0]
        assert (note.contacted_on, note.channel, note.note) == (today, "visit", "called AP")
        a = agreements(d, "C1")[0]
        assert (a.agreed_on, a.valid_until, a.note) == (
            dt.date(2026, 1, 5),
            dt.date(2099, 1, 31),
            "two instalments",
        )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["contact", "NOPE", "--note", "x"], "customer 'NOPE' does not exist"),
        (["contact", "C1", "--note", "  "], "write a note"),
        (["contact", "C1", "--note", "x", "--on", "2999-01-01"], "2999-01-01 is in the future"),
        (["contact", "C1", "--note", "x", "--channel", "pigeon"], "invalid choice: 'pigeon'"),
        (["contact", "C1"], "--note"),
        (["agreement", "C1", "--until", "2026-01-01", "--on", "2026-02-01", "--note", "x"], "is before"),
        (["agreement", "C1", "--note", "x"], "--until"),
        (["agreement", "C9", "--until", "2099-01-01", "--note", "x"], "customer 'C9' does not exist"),
    ],
)
def test_contact_and_agreement_bad_input_exits_2(one_customer, capsys, args, message):
    from dunning.db import Database

    try:
        code = main(["--db", one_customer, *args])
    except SystemExit as exc:  # argparse: missing or invalid option
        code = exc.code
    assert code == 2
    assert message in capsys.readouterr().err
    with Database(one_customer) as d:
        assert d.scalar("select (select count(*) from contact_log) + (select count(*) from agreements)") == 0
