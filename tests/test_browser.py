"""The running app in headless Chromium: the overview shows its tiles, a tile click opens the bucket's list.

Debian's chromium (/usr/bin/chromium) driven by Playwright with its executable path; never `playwright install`.
Skipped where chromium is absent, unless DUNNING_REQUIRE_BROWSER=1 (CI), where its absence fails.
Screenshots go to artifacts/screenshots/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from dunning.aging.overview import bucket_customers, top_customers
from dunning.aging.report import AgingFilter, aging
from dunning.db import Database
from tests.browser import ARGS, CHROMIUM, SHOTS, app_server, click_until, require_chromium, settle

pytestmark = pytest.mark.browser


@pytest.fixture
def app_url(sample_file: Path, tmp_path: Path) -> Iterator[str]:
    """`streamlit run app.py` on a free port of 127.0.0.1 against a private copy of the sample database."""
    require_chromium()
    db_path = tmp_path / "browser.duckdb"
    shutil.copy(sample_file, db_path)
    with app_server(db_path, tmp_path / "streamlit.log") as url:
        yield url


def test_tile_click_opens_bucket_list(app_url: str, sample_file: Path, as_of: dt.date) -> None:
    from playwright.sync_api import sync_playwright

    with Database(sample_file) as db:
        report = aging(db, as_of)
        bucket = next(b for b in report.buckets if b.label == "8-14")
        expected = bucket_customers(db, as_of, AgingFilter(), bucket)
        biggest = str(top_customers(db, as_of, AgingFilter(), limit=1)["customer_no"].iloc[0])
    top_names = list(expected["name"].head(3))
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900}, accept_downloads=True)
            page.goto(app_url)
            page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
            # the page opens on today's date; set the sample's as-of date
            date_box = page.locator(".st-key-ov_as_of input")
            date_box.fill(as_of.isoformat())
            date_box.press("Enter")
            date_box.press("Escape")
            page.locator("h1").first.click()  # close the date picker
            settle(page)
            page.wait_for_function(
                "() => document.querySelector('.st-key-tile_0 button')?.innerText.includes('519')",
                timeout=30_000,
            )
            page.set_viewport_size({"width": 1440, "height": 1900})  # the whole page, at laptop width
            settle(page)
            page.screenshot(path=str(SHOTS / "overview.png"))

            card = page.locator(".st-key-card_2")
            assert "8-14" in card.inner_text()
            click_until(page, card.get_by_role("button", name="41 invoices"), '[data-testid="stDataFrame"]')
            settle(page)
            heading = page.get_by_role("heading", name="8-14:")
            assert "41 invoices" in heading.inner_text()
            page.mouse.move(5, 5)  # no tooltip over the tiles
            page.wait_for_timeout(300)
            page.screenshot(path=str(SHOTS / "overview-drilldown.png"))
            # the grid is a canvas; read the list the page offers for download instead
            with page.expect_download() as download:
                page.locator(".st-key-ov_csv").get_by_role("button").first.click()
            listed = Path(download.value.path()).read_text(encoding="utf-8-sig")
            assert len(listed.strip().splitlines()) == len(expected) + 1
            for name in top_names:
                assert name in listed, f"{name} missing from the 8-14 list"

            # a click on the largest bar of the top customers narrows the list to that customer
            page.locator(".st-key-ov_top_chart g.point path").first.click(force=True)
            page.wait_for_function(
                "() => [...document.querySelectorAll('h3')].some(h => h.innerText.includes('· customer '))",
                timeout=30_000,
            )
            settle(page)
            assert f"· customer {biggest}:" in page.locator("h3").filter(has_text="· customer").inner_text()
        finally:
            browser.close()


def test_deep_link_on_a_fresh_server_opens_the_page_inside_the_app(app_url: str, sample_file: Path) -> None:
    """A bookmark or a link from an email is often a fresh server's first request: it must get the app's
    navigation and layout, not Streamlit's old file-name sidebar, and land on the customer it names."""
    from playwright.sync_api import sync_playwright

    with Database(sample_file) as db:
        customer_no, name = db.rows(
            "select customer_no, name from customers order by customer_no desc limit 1"
        )[0]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            page.goto(f"{app_url}/customer?customer={customer_no}")  # the server's first request
            page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
            settle(page)
            nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
            assert "Receivables" in nav and "Create reminders" in nav, nav
            assert "import data" not in nav.lower(), nav
            assert page.get_by_role("heading", name=name).count() >= 1, f"{name} is not the page's customer"
            page.wait_for_timeout(800)  # let the grids draw
            page.screenshot(path=str(SHOTS / "customer-deep-link.png"), full_page=True)
        finally:
            browser.close()


def test_a_date_outside_the_ledger_is_refused_next_to_the_field(app_url: str, sample_file: Path) -> None:
    """A typed date before the first posting never reaches the server: the field says why, under it, and that
    the figures stay on their date; an ?as_of= link opens the overview on its date."""
    from playwright.sync_api import sync_playwright

    with Database(sample_file) as db:
        first = db.scalar("select min(posting_date) from ledger_entries")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            page.goto(f"{app_url}/?as_of={first.isoformat()}")
            page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
            settle(page)
            caption = f"Open invoices as of {first:%d %b %Y}"
            assert page.get_by_text(caption).count() == 1, "the link's date is not the figures' date"
            date_box = page.locator(".st-key-ov_as_of input")
            date_box.fill((first - dt.timedelta(days=1)).isoformat())
            date_box.press("Enter")
            date_box.press("Escape")
            page.locator("h1").first.click()
            settle(page)
            alert = page.locator('.st-key-ov_as_of [role="alert"]')
            assert (
                alert.is_visible() and alert.bounding_box()["width"] > 200
            )  # shown, not for screen readers only
            assert f"between {first.isoformat()} and" in alert.inner_text()
            shown = page.evaluate("e => getComputedStyle(e, '::after').content", alert.element_handle())
            assert f"The figures stay as of {first.isoformat()}" in shown
            assert page.get_by_text(caption).count() == 1
            page.screenshot(path=str(SHOTS / "overview-date-outside.png"))
        finally:
            browser.close()
