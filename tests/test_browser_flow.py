"""The whole morning in real Chromium (issue 12): the overview and a tile's drill-down, Create reminders, an
edit in the review grid, the preview of a draft, the batch sent through the confirmation dialog into the
outbox, and the History page listing what went out. Each reminder is delivered once, the one left out in the
grid stays a draft. Screenshots go to tests/browser.py's SHOTS folder for a person to look at."""

from __future__ import annotations

import os
import shutil
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest

from dunning.db import Database
from tests.browser import ARGS, CHROMIUM, SHOTS, app_server, click_until, require_chromium, settle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# the review grid is a canvas: the Send tick box of its first row, from the grid's top left corner (the row
# marker column is 33 px wide, Send 62 px; the header and each row 35 px high)
SEND_TICK = (33 + 31, 35 + 17)


@pytest.fixture
def server(sample_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    require_chromium()
    db = tmp_path / "app.duckdb"
    shutil.copy(sample_file, db)
    outbox = tmp_path / "outbox"
    monkeypatch.setenv("DUNNING_OUTBOX", str(outbox))
    for name in [k for k in os.environ if k.startswith("DUNNING_SMTP_")]:
        monkeypatch.delenv(name)
    with app_server(db, tmp_path / "server.log") as url:
        yield url, db, outbox


def _drafts(db: Path) -> dict[str, bool]:
    with Database(db) as d:
        rows = d.rows("select customer_no, included from reminder_headers where status = 'draft'")
    return {str(no): bool(included) for no, included in rows}


def test_overview_drill_down_create_edit_preview_send_and_history(server) -> None:
    from playwright.sync_api import sync_playwright

    url, db, outbox = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 2200})

        # 1. the overview: a tile's click lists its invoices grouped by customer
        page.goto(url)
        page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
        settle(page)
        click_until(page, page.locator(".st-key-tile_1 button").first, '[data-testid="stDataFrame"]')
        settle(page)
        assert page.locator(".st-key-ov_csv").count() == 1  # the drill-down's list, downloadable
        page.screenshot(path=str(SHOTS / "flow-1-drilldown.png"))

        # 2. Create reminders, reached through the navigation
        page.get_by_role("link", name="Create reminders").click()
        settle(page)
        page.get_by_role("button", name="Create reminders").click()
        settle(page)
        grid = page.locator('.st-key-cr_review [data-testid="stDataFrame"]')
        grid.wait_for(timeout=60_000)
        drafts = _drafts(db)
        assert drafts and all(drafts.values())

        # 3. an edit in the grid: the first draft is left out (its Send box unticked), saved at once
        box = grid.bounding_box()
        assert box is not None
        for _attempt in range(3):
            page.mouse.click(box["x"] + SEND_TICK[0], box["y"] + SEND_TICK[1])
            settle(page)
            if not all(_drafts(db).values()):
                break
        left_out = [no for no, included in _drafts(db).items() if not included]
        assert len(left_out) == 1, left_out
        page.screenshot(path=str(SHOTS / "flow-2-review.png"))

        # 4. the preview of a draft: its lines and the email as the customer sees it
        page.get_by_label("Lines of").click()
        page.get_by_role("option").nth(1).click()
        settle(page)
        page.get_by_role("heading", name="What the customer receives").wait_for(timeout=60_000)
        assert page.get_by_text("Subject:").count() >= 1
        page.screenshot(path=str(SHOTS / "flow-3-preview.png"))

        # 5. send the batch: the one left out is not counted
        send = page.get_by_role("button", name=f"Send {len(drafts) - 1} reminders")
        send.click()
        dialog = page.get_by_role("dialog")
        dialog.wait_for(timeout=60_000)
        assert f"{len(drafts) - 1} reminders" in dialog.inner_text()
        dialog.get_by_role("button", name="Confirm").click()
        page.wait_for_selector('[role="dialog"]', state="detached", timeout=300_000)
        settle(page)
        page.screenshot(path=str(SHOTS / "flow-4-sent.png"))
        assert page.get_by_text("Done: ").count() == 1
        page.reload()  # a reload starts no send
        settle(page)

        # 6. History, through the navigation: what went out
        page.get_by_role("link", name="History").click()
        settle(page)
        page.wait_for_selector('.st-key-hist_table [data-testid="stDataFrame"]', timeout=60_000)
        page.screenshot(path=str(SHOTS / "flow-5-history.png"))
        browser.close()

    sent = len(drafts) - 1
    files = sorted(outbox.glob("*.eml"))
    assert len(files) == sent
    ids = [message_from_bytes(f.read_bytes(), policy=default)["Message-ID"] for f in files]
    assert len(set(ids)) == sent
    with Database(db) as d:
        statuses = dict(
            d.rows("select status, count(*) from reminder_headers where run_id is not null group by all")
        )
        kept = d.rows("select customer_no from reminder_headers where status = 'draft'")
    assert statuses.get("sent") == sent and statuses.get("draft") == 1
    assert [str(r[0]) for r in kept] == left_out
