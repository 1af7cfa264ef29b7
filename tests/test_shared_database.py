"""The dashboard and the command line on one database file at the same time, as credit controllers use them:
the app open all day in a browser, `dunning import` run by cron meanwhile. Real server, real Chromium, real
command-line process."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from dunning.aging.report import aging
from dunning.db import Database
from tests.browser import ARGS, CHROMIUM, SHOTS, app_server, require_chromium, settle
from tests.cli import dunning_process

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser
EXAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "bc-customer-ledger-entries-example.csv"


def tile_labels(db_path: Path, on: dt.date) -> list[str]:
    """What the overview's tile buttons say for the data in the file on a date."""
    report = aging(Database(db_path), on)
    return [f"{b.count:,} invoice{'s' * (b.count != 1)}" for b in report.buckets]


def shown_tiles(page: Page, count: int) -> list[str]:
    return [page.locator(f".st-key-tile_{i} button").first.inner_text() for i in range(count)]


@contextmanager
def overview_open(sample_file: Path, tmp_path: Path) -> Iterator[tuple[Page, Path]]:
    """The app on a copy of the sample, its overview open in Chromium with the tiles drawn; no page shows an
    exception and the server logs no traceback."""
    from playwright.sync_api import sync_playwright

    require_chromium()
    db_path = tmp_path / "shared.duckdb"
    shutil.copy(sample_file, db_path)
    with app_server(db_path, tmp_path / "streamlit.log") as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            page.goto(url)
            page.wait_for_selector(".st-key-tile_0 button", timeout=60_000)
            settle(page)
            yield page, db_path
            assert page.locator('[data-testid="stException"]').count() == 0
        finally:
            browser.close()
    assert "Traceback" not in (tmp_path / "streamlit.log").read_text()


def test_import_runs_while_the_app_is_open_and_the_app_then_shows_it(
    sample_file: Path, tmp_path: Path
) -> None:
    today = dt.date.today()  # the overview opens on today
    before = tile_labels(sample_file, today)
    with overview_open(sample_file, tmp_path) as (page, db_path):
        assert shown_tiles(page, len(before)) == before

        # the import starts while the page is open, and the user keeps clicking tiles meanwhile:
        # both go on, one after the other on the file, and neither fails
        importing = dunning_process("import", str(EXAMPLE), "--mapping", "bc", db=db_path)
        clicks = 0
        while importing.poll() is None and clicks < 40:
            page.locator(f".st-key-tile_{clicks % len(before)} button").first.click()
            settle(page)
            clicks += 1
        out, err = importing.communicate(timeout=120)
        assert importing.returncode == 0, err
        assert "14 rows read, 14 inserted" in out, out

        # the next run of the page shows what the command wrote
        after = tile_labels(db_path, today)
        assert after != before, "the example import should change the aging"
        page.locator(".st-key-tile_0 button").first.click()
        settle(page)
        page.wait_for_function(
            "(want) => document.querySelector('.st-key-tile_0 button')?.innerText === want",
            arg=after[0],
            timeout=30_000,
        )
        assert shown_tiles(page, len(after)) == after
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "overview-after-cli-import.png"))


def test_the_app_waits_for_a_command_that_holds_the_file(sample_file: Path, tmp_path: Path) -> None:
    """A page run that finds the file held waits (a spinner says so) and then shows the page."""
    with overview_open(sample_file, tmp_path) as (page, db_path):
        with Database(db_path).session():  # as a long command would
            page.locator(".st-key-tile_1 button").first.click()
            spinner = page.get_by_text("Waiting for the database")
            spinner.wait_for(timeout=30_000)
            assert "in use by process" in spinner.inner_text()
        page.get_by_role("heading", name="1-7:").wait_for(timeout=60_000)
        settle(page)
