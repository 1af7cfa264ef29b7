"""A first visit: the overview in a new browser session against a warm server, next to a bare Streamlit page.

    .venv/bin/python benchmarks/bench_first_paint.py [--rounds 5] [--invoices N] [--profile] [--option K=V]

Target (issue 7): the overview's tiles and charts within 1.3x of the bare page's.

Builds the sample (`dunning sample --db PATH` in a temp folder) and starts two servers on 127.0.0.1: `streamlit
run app.py` against it, and a bare page the benchmark writes: seven st.button (keys tile_0..tile_6, like the
overview's tiles) and one st.plotly_chart (a stacked bar chart about the size of the overview's), nothing else.
Each is warmed by one full page load. Then, for each round, each page is opened in a new browser context (a new
Streamlit session, an empty HTTP cache), the two in turn (the order swaps every round). Headless Chromium
(/usr/bin/chromium, the flags of tests/browser.py).

All times are read in the page, with performance.now() (milliseconds from navigation start), the same way on
both pages: a MutationObserver notes when the tiles (every `div[class*="st-key-tile_"]` holding a button with a
size) and the plotly charts (every `.js-plotly-plot` with its `.main-svg`) are in the document; a wrapped
WebSocket notes when the browser asked for the script run and when each of the server's messages arrived
(decoded afterwards with Streamlit's ForwardMsg). That splits the time into the browser starting the app, the
server's script run (until the tiles' and the charts' messages arrive) and the browser drawing them.

With --profile, it also runs the overview under AppTest with cProfile in the script thread, twice: the first
session of a fresh process (opens the database, fills the caches) and a second session with the caches kept,
which is what a new browser session on a warm server costs; it prints the top cumulative entries of app.py,
pages/ and dunning/. --option KEY=VALUE passes a Streamlit option to both servers, to try a setting (e.g.
server.fileWatcherType=none). It reports and does not judge: the exit status is 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import json
import os
import pstats
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.browser import ARGS, CHROMIUM, app_server  # noqa: E402 - the server and browser the tests use

VIEWPORT = {"width": 1440, "height": 900}
TARGET = 1.3
TIMEOUT_MS = 90_000

BARE_PAGE = '''\
"""The bare page of benchmarks/bench_first_paint.py: seven buttons and one plotly chart, nothing else."""

import plotly.graph_objects as go
import streamlit as st

for i in range(7):
    st.button(f"{(i + 1) * 37:,} invoices", key=f"tile_{i}")

labels = ["not due", "1-7", "8-14", "15-30", "31-60", "61-90", "over 90"]
fig = go.Figure(
    [go.Bar(name=c, x=labels, y=[(j + 1) * (k + 3) * 1000.5 for j in range(7)]) for k, c in enumerate("EUR GBP USD".split())]
)
fig.update_layout(barmode="stack", height=340, margin={"l": 10, "r": 10, "t": 40, "b": 10})
st.plotly_chart(fig, key="bare_chart")
'''

# Runs in the page before Streamlit's own code: notes the marks and the WebSocket's traffic, page clock.
PROBE = """
(() => {
  const want = %s;
  const T = (window.__fp = { marks: {}, ws: [] });
  const now = () => performance.now();
  const Native = window.WebSocket;
  class Recorded extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("open", () => T.ws.push({ t: now(), kind: "open" }));
      this.addEventListener("message", (e) => T.ws.push({ t: now(), kind: "in", data: e.data }));
    }
    send(data) {
      T.ws.push({ t: now(), kind: "out", data: data });
      return super.send(data);
    }
  }
  window.WebSocket = Recorded;
  T.longtasks = [];
  new PerformanceObserver((list) => list.getEntries().forEach((e) => T.longtasks.push([e.startTime, e.duration])))
    .observe({ type: "longtask", buffered: true });
  const FIRST = ["stHeading", "stMarkdown", "stCaptionContainer", "stButton", "stMetric", "stPlotlyChart"]
    .map((id) => `[data-testid="stMain"] [data-testid="${id}"]`).join(", ");
  const sized = (el) => el.getBoundingClientRect().width > 0;
  const check = () => {
    const m = T.marks, t = now();
    if (m.app === undefined && document.querySelector('[data-testid="stAppViewContainer"]')) m.app = t;
    if (m.first === undefined && document.querySelector(FIRST)) m.first = t;
    if (m.tiles === undefined) {
      const boxes = [...document.querySelectorAll('div[class*="st-key-tile_"]')];
      if (boxes.length >= want.tiles && boxes.every((x) => [...x.querySelectorAll("button")].some(sized)))
        m.tiles = t;
    }
    if (m.charts === undefined) {
      const c = [...document.querySelectorAll(".js-plotly-plot")];
      if (c.length >= want.charts && c.every((x) => x.querySelector(".main-svg"))) m.charts = t;
    }
    if (m.tiles !== undefined && m.charts !== undefined) observer.disconnect();
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true });
})();
"""

# Hands the recorded traffic to Python: binary frames as base64.
COLLECT = """
() => {
  const b64 = (buf) => {
    const bytes = new Uint8Array(buf);
    let s = "";
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  };
  const bytes = (d) =>
    d instanceof ArrayBuffer ? d : ArrayBuffer.isView(d) ? d.buffer.slice(d.byteOffset, d.byteOffset + d.byteLength) : null;
  const chunks = performance.getEntriesByType("resource")
    .filter((e) => e.initiatorType === "script" || e.name.endsWith(".js"))
    .map((e) => [e.startTime, e.responseEnd, e.encodedBodySize]);
  return {
    marks: window.__fp.marks,
    longtasks: window.__fp.longtasks,
    chunks: chunks,
    ws: window.__fp.ws.map((e) => {
      const d = bytes(e.data);
      return { t: e.t, kind: e.kind, data: d ? b64(d) : null };
    }),
  };
}
"""

ERROR = "stException"
DRAWN_OR_FAILED = f"""() => (window.__fp && window.__fp.marks.tiles !== undefined
  && window.__fp.marks.charts !== undefined) || document.querySelector('[data-testid={ERROR}]') !== null"""

# What each measurement reports, in ms from navigation start, in the order they happen.
STEPS = [
    ("app", "app shell in the DOM (Streamlit's JS loaded)"),
    ("ws_open", "WebSocket open"),
    ("rerun_sent", "script run asked for (rerun BackMsg)"),
    ("first_delta", "first element's message received"),
    ("first", "first element drawn (title / button)"),
    ("tiles_msg", "last tile button's message received"),
    ("tiles", "tiles in the DOM"),
    ("charts_msg", "last chart's message received"),
    ("charts", "charts drawn (.main-svg)"),
    ("finished", "script_finished received"),
    ("lazy_done", "last lazily loaded JS chunk arrived"),
]


@dataclass
class Target:
    name: str
    url: str
    tiles: int
    charts: int
    runs: list[dict[str, float]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def make_sample(folder: Path, invoices: int | None) -> Path:
    """The sample database, made by the command line (`dunning sample --db PATH`), dated today."""
    path = folder / "sample.duckdb"
    cmd = [str(Path(sys.executable).parent / "dunning"), "sample", "--db", str(path)]
    if invoices:
        cmd += ["--invoices", str(invoices)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"`{' '.join(cmd)}` failed:\n{done.stdout}{done.stderr}")
    print(done.stdout.strip())
    return path


def bucket_count(path: Path) -> int:
    """How many tiles the overview shows (one per aging bucket); read before the server holds the file."""
    from dunning.db import Database

    with Database(path) as db:
        return int(db.scalar("select count(*) from aging_buckets"))


def decode_traffic(ws: list[dict[str, Any]]) -> dict[str, float]:
    """The WebSocket steps (ms from navigation start) from the recorded frames, decoded as Streamlit does."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    steps: dict[str, float] = {}
    for frame in ws:
        t = float(frame["t"])
        if frame["kind"] == "open":
            steps.setdefault("ws_open", t)
            continue
        if not frame["data"]:
            continue
        raw = base64.b64decode(frame["data"])
        if frame["kind"] == "out":
            back = BackMsg.FromString(raw)
            if back.WhichOneof("type") == "rerun_script":
                steps.setdefault("rerun_sent", t)
            continue
        msg = ForwardMsg.FromString(raw)
        kind = msg.WhichOneof("type")
        if kind == "ref_hash":
            steps["ref_hash_seen"] = t  # a cached message: the browser fetches it over HTTP, times are off
        elif kind == "script_finished":
            steps["finished"] = t
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            steps.setdefault("first_delta", t)
            element = msg.delta.new_element
            what = element.WhichOneof("type")
            if what == "button" and "tile_" in element.button.id:
                steps["tiles_msg"] = t
            elif what == "plotly_chart":
                steps["charts_msg"] = t
    return steps


def measure(browser: Any, target: Target) -> dict[str, float]:
    """One page load in a new browser context: every step's time, ms from navigation start."""
    context = browser.new_context(viewport=VIEWPORT)
    page = None
    try:
        context.add_init_script(PROBE % json.dumps({"tiles": target.tiles, "charts": target.charts}))
        page = context.new_page()
        page.goto(target.url, wait_until="commit")
        page.wait_for_function(DRAWN_OR_FAILED, timeout=TIMEOUT_MS, polling=100)
        if page.locator(f"[data-testid={ERROR}]").count():
            raise RuntimeError("the page shows an exception")
        page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=TIMEOUT_MS)
        page.wait_for_timeout(300)  # let script_finished arrive
        seen = page.evaluate(COLLECT)
        steps = {k: float(v) for k, v in seen["marks"].items()}
        steps.update(decode_traffic(seen["ws"]))
        # the browser's own work: main thread blocked (long tasks) and the JS fetched once the app was up
        opened = steps.get("ws_open", 0.0)
        until = steps.get("tiles", 0.0)
        steps["busy_to_tiles"] = sum(
            max(0.0, min(start + length, until) - max(start, opened)) for start, length in seen["longtasks"]
        )
        lazy = [c for c in seen["chunks"] if c[0] >= opened]
        steps["lazy_chunks"] = float(len(lazy))
        steps["lazy_kb"] = sum(c[2] for c in lazy) / 1024
        steps["lazy_done"] = max((c[1] for c in lazy), default=float("nan"))
        return steps
    except Exception as exc:
        try:
            shown = page.locator(f"[data-testid={ERROR}]").all_inner_texts() if page else []
        except Exception:
            shown = []
        raise RuntimeError(f"{type(exc).__name__}: {str(exc).splitlines()[0]}; page shows {shown!r}") from exc
    finally:
        context.close()


def run_rounds(targets: list[Target], rounds: int) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for t in targets:  # warm each server: one full page load in a throwaway context
                measure(browser, t)
            for r in range(rounds):
                for t in targets if r % 2 == 0 else targets[::-1]:
                    try:
                        t.runs.append(measure(browser, t))
                    except Exception as exc:  # a timeout is a figure too: count it, carry on
                        t.failures.append(f"round {r + 1}: {exc}")
                print(f"  round {r + 1}/{rounds} done", file=sys.stderr)
        finally:
            browser.close()


def _s(values: list[float]) -> str:
    if not values:
        return f"{'–':>20}"
    return f"{statistics.median(values) / 1000:6.2f} {min(values) / 1000:6.2f} {max(values) / 1000:6.2f}"


def _values(t: Target, key: str) -> list[float]:
    return [run[key] for run in t.runs if key in run]


def _spans(t: Target, start: str, end: str) -> list[float]:
    return [run[end] - run[start] for run in t.runs if start in run and end in run]


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _table(title: str, rows: list[tuple[str, list[float], list[float]]]) -> None:
    print(f"\n{title}")
    print(f"  {'':<46} {'overview':>9} {'bare':>9} {'diff':>8}")
    for label, a, b in rows:
        ma, mb = _median(a), _median(b)
        print(f"  {label:<46} {ma:9.0f} {mb:9.0f} {ma - mb:+8.0f}")


PHASES = [
    ("server: rerun asked -> first element's msg", "rerun_sent", "first_delta"),
    ("server: rerun asked -> tiles' messages", "rerun_sent", "tiles_msg"),
    ("server: rerun asked -> charts' messages", "rerun_sent", "charts_msg"),
    ("server: rerun asked -> script_finished", "rerun_sent", "finished"),
    ("browser: tiles' messages -> tiles in DOM", "tiles_msg", "tiles"),
    ("browser: charts' messages -> charts drawn", "charts_msg", "charts"),
]
BROWSER_WORK = [
    ("busy_to_tiles", "main thread in long tasks, ws open -> tiles, ms"),
    ("lazy_chunks", "JS chunks fetched after the ws opened"),
    ("lazy_kb", "their size, kB"),
]


def report(overview: Target, bare: Target) -> None:
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nfirst paint in a new browser session, {len(overview.runs)} + {len(bare.runs)} page loads"
          f" ({os.cpu_count()} CPUs, load average {load})")  # fmt: skip
    print("seconds from navigation start; median min max\n")
    print(f"{'':<8} {'overview':>20}   {'bare page':>20}   {'ratio':>6}  target <= {TARGET}x")
    for key in ("tiles", "charts"):
        a, b = _values(overview, key), _values(bare, key)
        ratio = _median(a) / _median(b)
        print(
            f"{key:<8} {_s(a):>20}   {_s(b):>20}   {ratio:5.2f}x  {'within' if ratio <= TARGET else 'over'}"
        )
    _table(
        "where the time goes (median ms from navigation start)",
        [(label, _values(overview, key), _values(bare, key)) for key, label in STEPS],
    )
    _table(
        "phases (median ms)",
        [(label, _spans(overview, start, end), _spans(bare, start, end)) for label, start, end in PHASES],
    )
    _table(
        "the browser's own work (median)",
        [(label, _values(overview, key), _values(bare, key)) for key, label in BROWSER_WORK],
    )
    for t in (overview, bare):
        if any("ref_hash_seen" in run for run in t.runs):
            print(f"  note: {t.name} got cached messages (ref_hash): their times are the refs' arrival")
        for failure in t.failures:
            print(f"  {t.name} failed: {failure}")


# -- --profile: the overview's script run under AppTest ---------------------------------------------------
def _profiled_runs(db_path: Path) -> list[tuple[str, float, pstats.Stats]]:
    """Two AppTest runs of app.py (default page: the overview), each profiled in the script thread."""
    from streamlit.testing.v1 import AppTest
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    os.environ["DUNNING_DB"] = str(db_path)
    from streamlit.logger import set_log_level

    set_log_level("error")  # not AppTest's "missing ScriptRunContext" warnings
    original = LocalScriptRunner._run_script_thread
    holder: dict[str, cProfile.Profile] = {}

    def profiled(self: LocalScriptRunner) -> None:  # the script runs in its own thread: profile that one
        prof = holder["prof"]
        prof.enable()
        try:
            original(self)
        finally:
            prof.disable()

    results = []
    LocalScriptRunner._run_script_thread = profiled  # type: ignore[method-assign]
    try:
        for label in ("first session of a fresh process", "new session, caches warm (= a warm server)"):
            holder["prof"] = cProfile.Profile()
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            started = time.perf_counter()
            at.run()
            elapsed = time.perf_counter() - started
            if at.exception:
                raise SystemExit(f"the overview failed under AppTest: {at.exception}")
            if len(at.button) < 7:
                raise SystemExit(f"the overview under AppTest shows {len(at.button)} buttons, not its tiles")
            results.append((label, elapsed, pstats.Stats(holder["prof"])))
    finally:
        LocalScriptRunner._run_script_thread = original  # type: ignore[method-assign]
    return results


def _ours(filename: str) -> bool:
    return filename.startswith(str(ROOT / "dunning")) or filename in (
        str(ROOT / "app.py"),
        *(str(p) for p in (ROOT / "pages").glob("*.py")),
    )


def profile(db_path: Path, top: int) -> None:
    print("\nprofile: app.py (the overview) under AppTest, cProfile in the script thread")
    for label, elapsed, stats in _profiled_runs(db_path):
        rows = []
        for (filename, line, name), (_cc, ncalls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
            if _ours(filename):
                rows.append((cumtime, tottime, ncalls, f"{Path(filename).relative_to(ROOT)}:{line}({name})"))
        rows.sort(reverse=True)
        print(
            f"\n  {label}: run {elapsed * 1000:.0f} ms wall (AppTest), top {top} of app.py, pages/, dunning/"
        )
        print(f"  {'cum ms':>8} {'own ms':>8} {'calls':>6}  function")
        for cum, own, calls, where in rows[:top]:
            print(f"  {cum * 1000:8.1f} {own * 1000:8.1f} {calls:>6}  {where}")
        # the libraries our code calls directly (streamlit, plotly, duckdb, pandas), by their time
        outside = []
        for (filename, line, name), (_cc, ncalls, _tot, cumtime, callers) in stats.stats.items():  # type: ignore[attr-defined]
            if "site-packages" in filename and any(_ours(c[0]) for c in callers):
                short = filename.split("site-packages/")[-1]
                outside.append((cumtime, ncalls, f"{short}:{line}({name})"))
        outside.sort(reverse=True)
        print(f"  {'cum ms':>8} {'':>8} {'calls':>6}  called from our code (library entry points)")
        for cum, calls, where in outside[:top]:
            print(f"  {cum * 1000:8.1f} {'':>8} {calls:>6}  {where}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="page loads of each page (default 5)")
    parser.add_argument(
        "--invoices", type=int, default=None, help="open invoices in the sample (default ~700)"
    )
    parser.add_argument("--profile", action="store_true", help="also profile the overview's script run")
    parser.add_argument("--top", type=int, default=25, help="profile entries to print (default 25)")
    parser.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                        help="a Streamlit option for both servers, e.g. server.fileWatcherType=none; repeatable")  # fmt: skip
    args = parser.parse_args()
    options = [part for o in args.option for part in (f"--{o.partition('=')[0]}", o.partition("=")[2])]
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a kill stops the servers too (finally blocks)

    folder = Path(tempfile.mkdtemp(prefix="bench-first-paint-"))
    try:
        db_path = make_sample(folder, args.invoices)
        profile_db = folder / "profile.duckdb"
        shutil.copy(db_path, profile_db)  # AppTest gets its own copy, apart from the server's
        tiles = bucket_count(db_path)
        bare_script = folder / "bare.py"
        bare_script.write_text(BARE_PAGE, encoding="utf-8")
        with (
            app_server(db_path, folder / "overview.log", ROOT / "app.py", options) as ov_url,
            app_server(None, folder / "bare.log", bare_script, options) as bare_url,
        ):
            overview = Target("overview", ov_url, tiles=tiles, charts=3)
            bare = Target("bare page", bare_url, tiles=7, charts=1)
            print(f"overview {ov_url} ({tiles} tiles, 3 charts), bare page {bare_url} (7 buttons, 1 chart)"
                  f"{', options ' + ' '.join(options) if options else ''}")  # fmt: skip
            run_rounds([overview, bare], args.rounds)
        report(overview, bare)
        if args.profile:
            profile(profile_db, args.top)
    except KeyboardInterrupt:
        print("\ninterrupted; servers stopped", file=sys.stderr)
        sys.exit(130)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
