"""`dunning render`: each open draft written as the email it would send (.eml with the PDF attached) and the PDF
beside it, one result per draft; exit 2 naming the company field a document lacks. Real processes, real
PDFs read back with pypdf, the EPC QR code decoded from the rendered page with zbarimg."""

from __future__ import annotations

import json
import shutil
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest

from dunning.db import Database
from dunning.documents import formatting, payment
from dunning.documents.reminder import load_reminder
from dunning.documents.render import render_reminders
from dunning.reminders.proposal import ProposalOptions, propose
from tests.cli import dunning
from tests.conftest import AS_OF
from tests.pdfs import QR_BILL_CROSS_MM, decode_qr, text_of


def _spaced(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


@pytest.fixture(scope="module")
def drafts_file(sample_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("render") / "drafts.duckdb"
    shutil.copy(sample_file, path)
    with Database(path) as db:
        propose(db, ProposalOptions(as_of=AS_OF))
    return path


@pytest.fixture(scope="module")
def rendered(drafts_file: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict], Path]:
    """One real `dunning render --json` over every draft of the sample, on a private copy."""
    work = tmp_path_factory.mktemp("out")
    db = work / "db.duckdb"
    shutil.copy(drafts_file, db)
    done = dunning("render", "--out", str(work / "reminders"), "--json", db=db, cwd=work)
    assert done.returncode == 0, done.stderr
    return work / "reminders", json.loads(done.stdout), db


def test_every_open_draft_gets_an_eml_and_a_pdf(rendered):
    out, results, db = rendered
    with Database(db) as d:
        drafts = d.scalar("select count(*) from reminder_headers where status = 'draft'")
    assert len(results) == drafts >= 10
    for r in results:
        assert r["status"] == "written", r
        assert Path(r["eml"]) == out / f"{r['reminder_no']}.eml" and Path(r["eml"]).is_file()
        assert Path(r["pdf"]).is_file()
        assert r["missing"] == [] and r["to"]


def test_the_eml_is_the_complete_message_with_the_same_pdf(rendered):
    out, results, _ = rendered
    r = results[0]
    msg = message_from_bytes(Path(r["eml"]).read_bytes(), policy=default)
    assert msg["Subject"] == r["subject"]
    assert [a.addr_spec for a in msg["To"].addresses] == r["to"]
    (letter,) = [p for p in msg.iter_attachments() if p.get_filename() == f"{r['reminder_no']}.pdf"]
    assert letter.get_content() == Path(r["pdf"]).read_bytes()
    assert msg.get_body(("plain",)) is not None and msg.get_body(("html",)) is not None


def test_each_pdf_lists_every_document_and_amount_of_its_draft(rendered):
    out, results, db = rendered
    with Database(db) as d:
        for r in results:
            reminder = load_reminder(d, r["reminder_id"])
            locale = formatting.document_locale(reminder.language, reminder.customer.country)
            text = text_of(Path(r["pdf"]).read_bytes())
            assert reminder.reminder_no in text
            for line in reminder.lines:
                if line.kind in ("overdue", "credit"):
                    amount = _spaced(formatting.number(line.remaining_amount, locale))
                    assert line.document_no in text and amount in text, (
                        r["reminder_no"],
                        line.document_no,
                        amount,
                    )
            assert _spaced(formatting.money(reminder.total, reminder.currency, locale)) in text


def test_the_qr_code_on_a_eur_letter_pays_the_total_to_the_company_with_the_reference(rendered, tmp_path):
    out, results, db = rendered
    r = next(x for x in results if x["currency"] == "EUR")
    payload = decode_qr(Path(r["pdf"]).read_bytes(), tmp_path)
    lines = payload.split("\n")
    assert lines[:4] == ["BCD", "002", "1", "SCT"]
    assert lines[7] == f"EUR{r['total']}"
    assert lines[9] == r["reference"] and payment.reference_problem(lines[9]) is None
    with Database(db) as d:
        iban = d.scalar("select iban from bank_accounts where currency = 'EUR'")
        stored = d.scalar("select payment_reference from reminder_headers where reminder_id = $i",
                          {"i": r["reminder_id"]})  # fmt: skip
    assert lines[6] == iban and stored == r["reference"]


def test_a_chf_letter_carries_a_swiss_qr_bill(rendered, tmp_path):
    out, results, _ = rendered
    r = next(x for x in results if x["currency"] == "CHF")
    payload = decode_qr(Path(r["pdf"]).read_bytes(), tmp_path, page=-1, cover_mm=QR_BILL_CROSS_MM)
    fields = payload.replace("\r\n", "\n").split("\n")
    assert fields[:3] == ["SPC", "0200", "1"]
    assert r["total"] in fields and "CHF" in fields and "SCOR" in fields and r["reference"] in fields


def test_rendering_records_the_text_version_on_the_draft(rendered):
    _, results, db = rendered
    with Database(db) as d:
        versions = {
            row[0] for row in d.rows("select template_version from reminder_headers where status = 'draft'")
        }
    assert versions == {0}  # the shipped texts
    assert {r["template_version"] for r in results} == {0}


def test_customer_filter_renders_only_their_drafts(drafts_file, tmp_path):
    db = tmp_path / "db.duckdb"
    shutil.copy(drafts_file, db)
    with Database(db) as d:
        customer = d.scalar("select min(customer_no) from reminder_headers where status = 'draft'")
    done = dunning("render", "--customer", customer, "--out", "x", "--json", db=db, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert {r["customer_no"] for r in json.loads(done.stdout)} == {customer}


def test_a_company_without_reply_to_exits_2_naming_it_and_writes_nothing(drafts_file, tmp_path):
    db = tmp_path / "db.duckdb"
    shutil.copy(drafts_file, db)
    with Database(db) as d:
        d.execute("update company set reply_to = ''")
        d.execute("delete from bank_accounts where currency = 'USD'")
    done = dunning("render", "--out", "x", db=db, cwd=tmp_path)
    assert done.returncode == 2
    assert "reply_to" in done.stderr and "bank account USD" in done.stderr
    assert "dunning company set" in done.stderr
    assert not list((tmp_path / "x").glob("*.eml"))


def test_nothing_to_render_says_so(tmp_path):
    db = tmp_path / "empty.duckdb"
    with Database(db):
        pass
    done = dunning("render", "--out", "x", db=db, cwd=tmp_path)
    assert done.returncode == 0 and "no open draft reminders" in done.stdout


def test_a_failing_draft_is_named_and_the_others_are_written(drafts_file, tmp_path):
    db_path = tmp_path / "db.duckdb"
    shutil.copy(drafts_file, db_path)
    with Database(db_path) as d:
        ids = [
            r[0] for r in d.rows("select reminder_id from reminder_headers where status = 'draft' order by 1")
        ]
        d.execute(
            "update reminder_headers set to_emails = ['not-an-address'] where reminder_id = $i", {"i": ids[0]}
        )
        results = render_reminders(d, ids[:3], tmp_path / "out", workers=1)
    assert [r.status for r in results] == ["failed", "written", "written"]
    assert "not-an-address" in results[0].problems[0]
    assert not (tmp_path / "out" / f"{results[0].reminder_no}.eml").exists()


def test_invoice_pdfs_are_attached_and_missing_ones_noted(drafts_file, tmp_path):
    db = tmp_path / "db.duckdb"
    shutil.copy(drafts_file, db)
    with Database(db) as d:
        reminder = load_reminder(
            d, d.scalar("select min(reminder_id) from reminder_headers where status = 'draft'")
        )
    invoices = tmp_path / "invoices"
    invoices.mkdir()
    first = reminder.overdue_lines[0].document_no
    (invoices / f"{first}.pdf").write_bytes(b"%PDF-1.4 the invoice")
    done = dunning(
        "company", "invoices", "--folder", str(invoices), "--attach", "overdue", db=db, cwd=tmp_path
    )
    assert done.returncode == 0 and "attach overdue" in done.stdout, done.stderr
    done = dunning(
        "render", "--customer", reminder.customer.customer_no, "--out", "x", "--json", db=db, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    (result,) = [r for r in json.loads(done.stdout) if r["reminder_no"] == reminder.reminder_no]
    assert result["attachments"] == [f"{first}.pdf"]
    others = [line.document_no for line in reminder.overdue_lines[1:]]
    assert all(any(no in p for p in result["problems"]) for no in others)
    msg = message_from_bytes((tmp_path / result["eml"]).read_bytes(), policy=default)
    attached = {p.get_filename(): p.get_content() for p in msg.iter_attachments()}
    assert attached[f"{first}.pdf"] == b"%PDF-1.4 the invoice"
    bad = dunning(
        "company", "invoices", "--folder", str(tmp_path / "nope"), "--attach", "all", db=db, cwd=tmp_path
    )
    assert bad.returncode == 2 and "does not exist" in bad.stderr
