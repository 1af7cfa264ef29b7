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
        page.wait_for_selector('[data-testid="stRadio"]', timeout=60_000)
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
