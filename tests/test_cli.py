"""The command line as scripts and schedulers see it: real processes, exit codes, stdout and stderr."""

from __future__ import annotations

import datetime as dt
import json
import os
from decimal import Decimal
from pathlib import Path

import pytest

from dunning.cli import main
from dunning.db import Database
from tests.cli import dunning, dunning_process
from tests.test_pdf import pdf_text


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


def test_a_database_held_past_the_wait_exits_1_with_a_message(tmp_path):
    path = tmp_path / "busy.duckdb"
    db = Database(path)
    with db.session():  # another process (the app's page run, a command) holds the file
        done = dunning("aging", "--json", "--wait", "0.5", db=path)
    assert done.returncode == 1
    assert f"in use by process {os.getpid()}" in done.stderr and "--wait" in done.stderr
    assert "waiting for the database" in done.stderr.lower() and "Traceback" not in done.stderr
    assert done.stdout == ""


def test_a_command_waits_for_a_held_database_and_then_works(tmp_path):
    path = tmp_path / "held.duckdb"
    db = Database(path)
    with db.session():
        proc = dunning_process("aging", "--json", db=path)
        assert proc.stderr is not None
        told = proc.stderr.readline()  # returns once the command says that it waits
        assert proc.poll() is None  # and it is still waiting while the file is held
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert json.loads(out)["open_count"] == 0
    assert told.startswith("dunning aging: Waiting for the database") and str(path) in told


@pytest.mark.parametrize("bad", ["soon", "-2"])
def test_a_bad_wait_exits_2(tmp_path, bad):
    done = dunning("aging", "--wait", bad, db=tmp_path / "x.duckdb")
    assert done.returncode == 2 and "number of seconds" in done.stderr


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


# -- statement -------------------------------------------------------------------------------------------
STATEMENT_AS_OF = dt.date(2026, 11, 28)
EARLIER = dt.date(2026, 10, 15)


@pytest.fixture
def statement_db(tmp_path) -> Path:
    """One customer: an invoice open since September, one posted in November, one paid in October."""
    from dunning.db import Database
    from tests.ledger import add_customer, add_entry

    path = tmp_path / "st.duckdb"
    with Database(path) as d:
        add_customer(d, "C7", name="Acme & Söhne GmbH", language="en", country="DE")
        add_entry(d, "C7", due=dt.date(2026, 10, 1), posting=dt.date(2026, 9, 1), document_no="INV-SEPT")
        add_entry(d, "C7", due=dt.date(2026, 12, 20), posting=dt.date(2026, 11, 20), document_no="INV-NOV")
        add_entry(
            d,
            "C7",
            due=dt.date(2026, 9, 30),
            posting=dt.date(2026, 8, 31),
            document_no="INV-PAID",
            remaining="0.00",
            closed_at=dt.date(2026, 10, 10),
        )
    return path


def test_statement_writes_the_customers_pdf_in_the_working_folder(statement_db, tmp_path):
    from dunning.documents.statement import file_name

    done = dunning("statement", "C7", "--as-of", str(STATEMENT_AS_OF), db=statement_db, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    written = tmp_path / file_name("C7", STATEMENT_AS_OF)
    assert done.stdout.strip() == written.name
    assert written.read_bytes().startswith(b"%PDF")
    text = pdf_text(written.read_bytes(), tmp_path)
    assert "Acme & Söhne GmbH" in text
    assert "INV-SEPT" in text and "INV-NOV" in text and "INV-PAID" not in text


def test_statement_as_of_lists_what_was_open_on_that_date(statement_db, tmp_path):
    from dunning.documents.statement import file_name

    done = dunning("statement", "C7", "--as-of", str(EARLIER), db=statement_db, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    written = tmp_path / file_name("C7", EARLIER)
    assert done.stdout.strip() == written.name == "statement-C7-2026-10-15.pdf"
    text = pdf_text(written.read_bytes(), tmp_path)
    assert "INV-SEPT" in text  # open then
    assert "INV-NOV" not in text  # posted later
    assert "INV-PAID" not in text  # paid by then


def test_statement_output_option_writes_where_asked(statement_db, tmp_path):
    out = tmp_path / "letters" / "acme.pdf"
    out.parent.mkdir()
    done = dunning("statement", "C7", "-o", str(out), "--as-of", "2026-11-28", db=statement_db, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(out)
    assert "Acme & Söhne GmbH" in pdf_text(out.read_bytes(), tmp_path)
    assert not list(tmp_path.glob("statement-*.pdf"))  # nothing in the working folder


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["statement", "NOPE"], "customer 'NOPE' does not exist; check the customer number"),
        (["statement", "C7", "-o", "missing-folder/x.pdf"], "cannot write missing-folder/x.pdf"),
        (["statement", "C7", "--as-of", "28.11.2026"], "YYYY-MM-DD"),
    ],
)
def test_statement_bad_input_exits_2_and_writes_nothing(statement_db, tmp_path, args, message):
    done = dunning(*args, db=statement_db, cwd=tmp_path)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""
    assert not list(tmp_path.rglob("*.pdf"))


# -- company ---------------------------------------------------------------------------------------------
def test_company_set_bank_and_show_round_trip(tmp_path):
    db = tmp_path / "co.duckdb"
    made = dunning("company", "set", "city=Rotterdam", "country=nl", "address=Kade 1\nUnit 4", db=db)
    assert made.returncode == 0, made.stderr
    assert made.stdout.splitlines() == [
        "set city: Rotterdam",
        "set country: NL",
        "set address: Kade 1 / Unit 4",
    ]
    bank = dunning("company", "bank", "eur", "--iban", "NL91 ABNA 0417 1643 00", "--bic", "ABNANL2A", db=db)
    assert bank.returncode == 0, bank.stderr
    assert bank.stdout.strip() == "set bank account EUR: NL91 ABNA 0417 1643 00, BIC ABNANL2A"
    shown = dunning("company", "show", "--json", db=db)
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert (data["legal_name"], data["city"], data["address"]) == (
        "Northwind Logistics B.V.",
        "Rotterdam",
        "Kade 1\nUnit 4",
    )
    assert data["bank_accounts"] == [
        {"currency": "EUR", "iban": "NL91ABNA0417164300", "bic": "ABNANL2A", "bank_name": ""}
    ]
    assert data["missing"] == {"EUR": ["reply_to"]}
    plain = dunning("company", "show", db=db)
    assert plain.returncode == 0 and "missing for documents in EUR: reply_to" in plain.stdout
    assert "NL91ABNA0417164300" in plain.stdout


def test_company_logo_from_a_file(tmp_path):
    db, logo = tmp_path / "co.duckdb", tmp_path / "logo.svg"
    logo.write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg"/>')
    made = dunning("company", "set", f"logo=@{logo}", db=db)
    assert made.returncode == 0, made.stderr
    assert json.loads(dunning("company", "show", "--json", db=db).stdout)["logo"] == {
        "media_type": "image/svg+xml",
        "bytes": logo.stat().st_size,
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["company", "set", "colour=red"], "unknown company field 'colour'"),
        (["company", "set", "city=Rotter\ndam"], "company field 'city' must be one line"),
        (["company", "set", "legal_name=Kade\r\nB.V."], "company field 'legal_name' must be one line"),
        (["company", "set", "reply_to=nobody"], "company field 'reply_to'"),
        (["company", "set", "city"], "is not FIELD=VALUE"),
        (["company", "set", "logo=@/nonexistent/logo.png"], "company field 'logo': cannot read"),
        (
            ["company", "bank", "EUR", "--iban", "NL91ABNA0417164301"],
            "IBAN 'NL91ABNA0417164301': the check digits do not match",
        ),
        (
            ["company", "bank", "EUR", "--iban", "NL91ABNA0417164300", "--bic", "X"],
            "BIC 'X': expected 8 or 11 characters",
        ),
        (["company", "bank", "EUR"], "--iban"),
        (["company"], "ACTION"),
    ],
)
def test_company_bad_input_exits_2_naming_the_field_and_changes_nothing(tmp_path, args, message):
    db = tmp_path / "co.duckdb"
    Database(db).close()
    result = dunning(*args, db=db)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and result.stdout == ""
    with Database(db) as d:
        assert d.scalar("select count(*) from bank_accounts") == 0
        assert d.one("select legal_name, city, reply_to, logo from company") == (
            "Northwind Logistics B.V.", "", "", None
        )  # fmt: skip


def test_statement_names_what_the_company_lacks_on_stderr(statement_db, tmp_path):
    out = tmp_path / "st.pdf"
    result = dunning("statement", "C7", "--as-of", "2026-11-28", "-o", str(out), db=statement_db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out)
    assert "the company lacks address, city, country, reply_to, bank account EUR" in result.stderr
    assert "dunning company set" in result.stderr


def test_statement_of_a_complete_company_warns_of_nothing(tmp_path):
    db = tmp_path / "s.duckdb"
    assert dunning("sample", "--as-of", "2026-11-28", db=db).returncode == 0
    with Database(db) as d:
        no = d.scalar("select customer_no from customers where currency = 'CHF' order by 1 limit 1")
    out = tmp_path / "chf.pdf"
    result = dunning("statement", no, "--as-of", "2026-11-28", "-o", str(out), db=db)
    assert result.returncode == 0 and result.stderr == ""
    text = pdf_text(out.read_bytes(), tmp_path)
    assert "CH47 0023 0000 1234 5678 9" in text and "Northwind Logistics B.V." in text
