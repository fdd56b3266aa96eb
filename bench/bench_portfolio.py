"""Portfolio page speed: server-side rerun (AppTest) and first content in Chromium.

    uv run python bench/bench_portfolio.py [--works N] [--db PATH] [--runs 5] [--no-browser]

A 200-work portfolio ("scale portfolio 200") in an N-work cache (default 1,000,000; built with
`lib.demo.build_scale` unless --db points at an existing cache). Targets: a rerun under 300 ms
once the page's caches are warm (the first run is printed too), and the page's first content in
Chromium under 3 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from lib import demo, store  # noqa: E402

PORTFOLIO = "scale portfolio 200"


def build_cache(path: Path, works: int) -> None:
    started = time.perf_counter()
    with store.connect(path) as con:
        counts = demo.build_scale(con, works)
    print(f"built {works:,}-work cache in {time.perf_counter() - started:.1f} s: {counts}")


def server_side(path: Path, runs: int) -> None:
    """AppTest: first run of the Portfolio page (cold caches) and the median of warm reruns."""
    os.environ["TRIANGULATE_DB"] = str(path)
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=300)
    at.session_state["collection"] = PORTFOLIO
    at.run()
    at.switch_page("app_pages/portfolio.py")
    started = time.perf_counter()
    at.run()
    first = time.perf_counter() - started
    if at.exception:
        raise SystemExit(f"the page raised: {at.exception[0].message}")
    table = next(d.value for d in at.dataframe if "missing_reason" in d.value.columns)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        at.run()
        timings.append(time.perf_counter() - started)
    rerun = statistics.median(timings)
    print(f"Portfolio page, {len(table)} works: first run {first * 1000:,.0f} ms (cold caches)")
    print(
        f"Portfolio page rerun: median {rerun * 1000:,.0f} ms of {runs} "
        f"(min {min(timings) * 1000:,.0f}, max {max(timings) * 1000:,.0f}); "
        f"target < 300 ms, ratio {rerun / 0.3:.2f}"
    )


def browser(path: Path) -> None:
    """Chromium: time from clicking 'Portfolio' in the navigation to its heading, and from a cold load."""
    from playwright.sync_api import expect, sync_playwright

    from tests.e2e.browser import wait_for_app
    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, start_streamlit

    if not CHROMIUM.exists():
        print(f"no Chromium at {CHROMIUM}; browser figure skipped")
        return
    proc, url = start_streamlit(path)
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = chromium.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(300_000)
            started = time.perf_counter()
            page.goto(url)
            expect(page.get_by_role("heading", name="Triangulate")).to_be_visible(timeout=300_000)
            print(f"Overview first content (cold server): {time.perf_counter() - started:.2f} s")
            wait_for_app(page)
            page.get_by_test_id("stSidebar").get_by_role("combobox").first.click()
            page.get_by_role("option", name=PORTFOLIO, exact=False).first.click()
            wait_for_app(page)
            for attempt in ("first visit", "second visit"):
                started = time.perf_counter()
                page.get_by_test_id("stSidebarNav").get_by_text("Portfolio", exact=True).click()
                expect(page.get_by_role("heading", name="Portfolio", exact=True)).to_be_visible()
                expect(page.locator(".st-key-pf_works")).to_be_visible(timeout=300_000)
                seconds = time.perf_counter() - started
                print(
                    f"Portfolio first content in Chromium ({attempt}, table shown): {seconds:.2f} s; "
                    f"target < 3 s, ratio {seconds / 3:.2f}"
                )
                wait_for_app(page)
                page.get_by_test_id("stSidebarNav").get_by_text("Overview", exact=True).click()
                wait_for_app(page)
            chromium.close()
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--works", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    path = args.db or Path(tempfile.mkdtemp()) / "bench_portfolio.duckdb"
    if not path.exists():
        build_cache(path, args.works)
    server_side(path, args.runs)
    if not args.no_browser:
        browser(path)


if __name__ == "__main__":
    main()
