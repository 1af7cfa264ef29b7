"""Shared fixtures: a fresh in-memory database, the sample database, and AppTest helpers."""

from __future__ import annotations

import datetime as dt
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import settings
from streamlit.testing.v1 import AppTest

from dunning.db import Database
from dunning.sample import SampleSpec, generate

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
AS_OF = dt.date(2026, 11, 28)  # fixed as-of date of every core test

# Timings belong in benchmarks/: no property fails because an example was slow on a busy machine.
settings.register_profile("dunning", deadline=None)
settings.load_profile("dunning")


@pytest.fixture
def as_of() -> dt.date:
    return AS_OF


@pytest.fixture
def db() -> Iterator[Database]:
    """An empty, migrated in-memory database."""
    with Database(":memory:") as d:
        yield d


@pytest.fixture(scope="session")
def sample_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default sample as of AS_OF, generated once per test session into a file."""
    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    with Database(path) as d:
        generate(d, SampleSpec(as_of=AS_OF))
        # the app re-dates an untouched sample to today; page and browser tests need it to stay at AS_OF
        d.execute("insert or replace into settings values ('sample_redate', 'off')")
    return path


@pytest.fixture
def sample_db(sample_file: Path, tmp_path: Path) -> Iterator[Database]:
    """A private copy of the sample database, free to change."""
    path = tmp_path / "sample.duckdb"
    shutil.copy(sample_file, path)
    with Database(path) as d:
        yield d


@pytest.fixture
def app_db(sample_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the app at a private copy of the sample database (for AppTest page tests)."""
    path = tmp_path / "app.duckdb"
    shutil.copy(sample_file, path)
    monkeypatch.setenv("DUNNING_DB", str(path))
    return path


@pytest.fixture(autouse=True)
def _clear_streamlit_caches() -> Iterator[None]:
    """Caches leak across AppTest instances otherwise (and hold database files open)."""
    yield
    try:
        import streamlit as st
    except ImportError:  # pragma: no cover
        return
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def customer_page(app_db: Path) -> AppTest:
    """The customer page on the sample (its first customer), as of AS_OF."""
    at = AppTest.from_file(str(ROOT / "pages" / "customer.py"), default_timeout=60)
    at.run()
    at.date_input(key="customer_as_of").set_value(AS_OF).run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A templates folder with one stylesheet, next to a stylesheet outside it."""
    tpl = tmp_path / "templates"
    (tpl / "assets").mkdir(parents=True)
    (tpl / "assets" / "ok.css").write_text('body::before { content: "ALLOWED-INSIDE" }', encoding="utf-8")
    (tmp_path / "evil.css").write_text('body::after { content: "LEAKED-OUTSIDE" }', encoding="utf-8")
    return tpl


@pytest.fixture
def http_server() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on 127.0.0.1 that records every request it gets."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            body = b'body::after { content: "FETCHED-OVER-HTTP" }'
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
