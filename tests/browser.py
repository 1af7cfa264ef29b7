"""The running app for browser tests: `streamlit run app.py` on 127.0.0.1 and Debian's Chromium.

Chromium is driven by Playwright with its executable path; never `playwright install`. A test that needs it
is skipped where chromium is absent, unless DUNNING_REQUIRE_BROWSER=1 (CI), where its absence fails.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "artifacts" / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    message = f"{CHROMIUM} is not installed (apt-get install -y chromium); the browser test needs it"
    if os.environ.get("DUNNING_REQUIRE_BROWSER") == "1":
        pytest.fail(message + " and DUNNING_REQUIRE_BROWSER=1 requires the browser test to run")
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def app_server(
    db_path: Path | None, log_path: Path, script: Path = ROOT / "app.py", options: Sequence[str] = ()
) -> Iterator[str]:
    """`streamlit run SCRIPT [OPTIONS]` on a free port of 127.0.0.1 against db_path; yields its URL once
    healthy and stops the server after. benchmarks/bench_first_paint.py starts its servers here too."""
    port = free_port()
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    if db_path is not None:
        env["DUNNING_DB"] = str(db_path)
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", *options],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,  # a Ctrl-C reaches the caller, which stops the server itself
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"streamlit run {script.name} did not start: {log_path.read_text()[-2000:]}"
                    )
                time.sleep(0.3)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def click_until(page: Page, target: Locator, selector: str, attempts: int = 3) -> None:
    """Click TARGET until SELECTOR appears: the first click on a cold page can miss."""
    for attempt in range(attempts):
        target.click()
        try:
            page.wait_for_selector(selector, timeout=20_000)
            return
        except Exception:
            if attempt == attempts - 1:
                raise


def settle(page: Page) -> None:
    """Wait until the page's script run has finished (the running-man status widget is gone)."""
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)
    page.wait_for_timeout(400)
