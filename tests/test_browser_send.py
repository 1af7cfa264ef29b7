"""The review and send path in real Chromium: create reminders, see the review grid, preview a draft, send the
batch through the confirmation dialog into the outbox, see every reminder sent and each one delivered once.
Screenshots go to tests/browser.py's SHOTS folder for a person to look at."""

from __future__ import annotations

import os
import shutil
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest

from dunning.db import Database
from tests.browser import ARGS, CHROMIUM, SHOTS, app_server, require_chromium, settle

pytestmark = [pytest.mark.browser, pytest.mark.slow]


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


def test_review_preview_and_send_every_draft_once(server) -> None:
    from playwright.sync_api import sync_playwright

    url, db, outbox = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 2200})
        page.goto(f"{url}/create_reminders")
        settle(page)
        page.get_by_role("button", name="Create reminders").click()
        settle(page)
        page.wait_for_selector('[data-testid="stDataFrame"]', timeout=60_000)
        with Database(db) as d:
            drafts = int(d.scalar("select count(*) from reminder_headers where status = 'draft'"))
        assert drafts > 0
        page.screenshot(path=str(SHOTS / "send-1-review.png"))

        send = page.get_by_role("button", name=f"Send {drafts} reminders")
        send.click()
        dialog = page.get_by_role("dialog")
        dialog.wait_for(timeout=60_000)
        assert f"{drafts} reminders" in dialog.inner_text()
        page.screenshot(path=str(SHOTS / "send-2-confirm.png"))
        dialog.get_by_role("button", name="Confirm").click()
        page.wait_for_selector('[role="dialog"]', state="detached", timeout=300_000)
        settle(page)
        page.screenshot(path=str(SHOTS / "send-3-results.png"))
        assert page.get_by_text("Done: ").count() == 1
        assert page.get_by_role("button", name="Nothing left to send").is_disabled()
        page.reload()  # a reload starts no send
        settle(page)
        browser.close()

    files = sorted(outbox.glob("*.eml"))
    assert len(files) == drafts
    ids = [message_from_bytes(f.read_bytes(), policy=default)["Message-ID"] for f in files]
    assert len(set(ids)) == drafts
    with Database(db) as d:
        statuses = dict(
            d.rows("select status, count(*) from reminder_headers where run_id is not null group by all")
        )
    assert statuses.get("sent") == drafts and "draft" not in statuses
