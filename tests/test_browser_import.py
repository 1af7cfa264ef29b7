"""A company's own file through the Import page in real Chromium: remove the sample (with its confirmation),
upload the IBM accounts-receivable file, see its columns and the reading of its dates chosen, import it and
follow the link to the overview as of the date its entries were open. Screenshots go to tests/browser.py's
SHOTS folder for a person to look at."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dunning.db import Database
from tests.browser import ARGS, CHROMIUM, SHOTS, app_server, require_chromium, settle

pytestmark = [pytest.mark.browser, pytest.mark.slow]
IBM = Path(__file__).resolve().parent / "data" / "ibm-accounts-receivable.csv"


@pytest.fixture
def server(sample_file: Path, tmp_path: Path):
    require_chromium()
    db = tmp_path / "app.duckdb"
    shutil.copy(sample_file, db)
    with app_server(db, tmp_path / "server.log") as url:
        yield url, db


def test_ibm_file_imported_through_the_page_and_shown_on_the_overview(server) -> None:
    from playwright.sync_api import sync_playwright

    url, db = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1400})
        page.goto(f"{url}/import_data")
        page.wait_for_selector('[data-testid="stFileUploader"]', timeout=60_000)
        settle(page)
        page.screenshot(path=str(SHOTS / "import-1-sample-offered.png"))
        page.get_by_text("Yes, delete the sample").click()
        settle(page)
        page.get_by_role("button", name="Remove the sample data").click()
        settle(page)
        assert "Sample data removed: 60 customers" in page.inner_text("body")

        page.locator('[data-testid="stFileUploader"] input[type=file]').set_input_files(str(IBM))
        page.get_by_text("All 2,466 rows are ready to import.").wait_for(timeout=120_000)  # all drawn
        settle(page)
        body = page.inner_text("body")
        assert "1/2/2013 = 2 January 2013" in body and "1/2/2013 = 1 February 2013" in body
        assert "All 2,466 rows are ready to import." in body
        page.screenshot(path=str(SHOTS / "import-2-ibm-recognised.png"))

        page.get_by_role("button", name="Import 2,466 rows").click()
        page.get_by_text("the latest open entry is from 2014-01-08").wait_for(timeout=120_000)
        settle(page)
        page.screenshot(path=str(SHOTS / "import-3-imported.png"), full_page=True)
        page.get_by_text("Open the overview as of 2013-12-31").click()
        page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
        settle(page)
        assert "as_of=2013-12-31" in page.url
        assert "08 Jan 2014" not in page.inner_text("body") and "31 Dec 2013" in page.inner_text("body")
        page.screenshot(path=str(SHOTS / "import-4-overview-as-of.png"))
        browser.close()
    with Database(db) as d:
        assert d.scalar("select count(*) from ledger_entries") == 2466


def test_bc_exports_imported_through_the_page_give_drafts_to_the_imported_contacts(
    server, tmp_path: Path
) -> None:
    """Done when of issue 11 in the browser: Business Central's Customers, Contact Business Relations, Contacts
    and Customer Ledger Entries through Chromium's file chooser, then Create reminders; no SQL, no command line."""
    from playwright.sync_api import sync_playwright

    from tests.test_import_page_parties import exports

    url, db = server
    files = exports(tmp_path)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1400})
        page.goto(f"{url}/import_data")
        page.wait_for_selector('[data-testid="stFileUploader"]', timeout=60_000)
        settle(page)
        page.get_by_text("Yes, delete the sample").click()
        settle(page)
        page.get_by_role("button", name="Remove the sample data").click()
        settle(page)
        chooser = page.locator('[data-testid="stFileUploader"] input[type=file]')

        chooser.set_input_files(str(files["customers"]))
        page.get_by_role("button", name="Import 3 rows of customers").wait_for(timeout=60_000)
        settle(page)
        body = page.inner_text("body")
        assert "this order: Customers, then Contact Business Relations" in body  # the order, said
        page.get_by_text("Column mapping: the file's column for each field").click()  # Business Central's
        settle(page)
        page.get_by_label("terms_code", exact=True).click()  # terms: not set up here
        page.get_by_role("option", name="(not mapped)").click()
        settle(page)
        page.screenshot(path=str(SHOTS / "import-parties-1-customers.png"), full_page=True)
        page.get_by_role("button", name="Import 3 rows of customers").click()
        page.get_by_text("3 customers inserted").wait_for(timeout=60_000)
        settle(page)

        chooser.set_input_files(str(files["relations"]))
        page.get_by_role("button", name="Import 4 rows of links to customers").click()
        page.get_by_text("3 links to customers inserted").wait_for(timeout=60_000)
        settle(page)

        chooser.set_input_files(str(files["contacts"]))
        page.get_by_role("button", name="Import 8 rows of contacts").wait_for(timeout=60_000)
        settle(page)
        page.screenshot(path=str(SHOTS / "import-parties-2-contacts.png"), full_page=True)
        page.get_by_role("button", name="Import 8 rows of contacts").click()
        page.get_by_text("6 contacts inserted").wait_for(timeout=60_000)
        settle(page)

        chooser.set_input_files(str(files["ledger"]))
        page.get_by_role("button", name="Import 3 rows").click()
        page.get_by_text("3 inserted").wait_for(timeout=60_000)
        settle(page)
        page.screenshot(path=str(SHOTS / "import-parties-3-ledger.png"), full_page=True)

        page.goto(f"{url}/create_reminders")
        settle(page)
        page.get_by_role("button", name="Create reminders").click()
        page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
        settle(page)
        page.screenshot(path=str(SHOTS / "import-parties-4-drafts.png"))
        browser.close()
    with Database(db) as d:
        to = d.rows(
            "select customer_no, to_emails from reminder_headers where status = 'draft' order by customer_no"
        )
    assert to == [
        ("10000", ["robert.townes@adatum.example.com"]),
        ("20000", ["ap@trey.example.com", "claire.dubois@trey.example.com"]),
        ("30000", ["meagan.bond@fineart.example.com"]),
    ]


def test_all_open_import_asks_first_and_is_undone_from_the_page(server) -> None:
    """Issue 12 in the browser: "This file lists every open entry" says how many it closes and imports only once
    that is ticked; the import is then undone from the recent imports, after its own confirmation."""
    from playwright.sync_api import sync_playwright

    url, db = server
    example = (
        Path(__file__).resolve().parent.parent / "sample_data" / "bc-customer-ledger-entries-example.csv"
    )
    with Database(db) as d:
        before = d.records("select * from ledger_entries order by entry_no")
    still_open = sum(1 for e in before if e["closed_at"] is None and e["remaining_amount"] != 0)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.goto(f"{url}/import_data")
        page.wait_for_selector('[data-testid="stFileUploader"]', timeout=60_000)
        settle(page)
        page.locator('[data-testid="stFileUploader"] input[type=file]').set_input_files(str(example))
        page.get_by_role("button", name="Import 14 rows").wait_for(timeout=60_000)
        settle(page)
        page.get_by_text("This file lists every open entry").click()
        settle(page)
        run = page.get_by_role("button", name=f"Import 14 rows and close {still_open:,} entries")
        assert run.is_disabled()
        run.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "import-undo-1-close-asks.png"))
        page.get_by_text(f"Close {still_open:,} entries", exact=True).click()
        settle(page)
        run.click()
        page.get_by_text(f"{still_open} closed").wait_for(timeout=60_000)
        settle(page)
        page.get_by_text("Yes, undo import 1 of").click()
        settle(page)
        page.get_by_role("button", name="Undo the import").click()
        page.get_by_text("14 entries it added removed").wait_for(timeout=60_000)
        settle(page)
        page.get_by_text("Recent imports", exact=True).scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "import-undo-2-undone.png"))
        browser.close()
    with Database(db) as d:
        assert d.records("select * from ledger_entries order by entry_no") == before
