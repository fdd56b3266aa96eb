"""A demo faculty portfolio in Chromium: filter the table, open a work from it, see its metrics."""

import re
import time

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.e2e.browser import wait_for_app

pytestmark = pytest.mark.e2e


def test_portfolio_filter_then_open_an_article(page, app_url):
    page.goto(app_url)
    wait_for_app(page)
    started = time.perf_counter()
    page.get_by_test_id("stSidebarNav").get_by_text("Portfolio", exact=True).click()
    expect(page.get_by_role("heading", name="Portfolio", exact=True)).to_be_visible(timeout=60_000)
    first_content = time.perf_counter() - started
    wait_for_app(page)
    print(f"portfolio first content in Chromium (from the navigation): {first_content:.2f} s")
    expect(page.get_by_text("Fictional demo data").first).to_be_visible()
    expect(page.get_by_text("h-index").first).to_be_visible()
    table = page.locator(".st-key-pf_works [data-testid='stDataFrame']")
    expect(table).to_be_visible()

    # change a filter: search the titles, then clear the search again
    search = page.get_by_label("Search title, DOI, PMID or journal")
    search.fill("zzzz-no-such-title")
    search.press("Enter")
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"^0 of \d+ works"))).to_be_visible()
    search.fill("")
    search.press("Enter")
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"^(\d+) of \1 works"))).to_be_visible()

    # open the first row of the works table (row selection opens the Article page)
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    page.mouse.click(box["x"] + 16, box["y"] + 52)  # the first row's selection box
    try:
        page.wait_for_url(re.compile(r"/article\?key="), timeout=15_000)
    except PlaywrightTimeout:  # the grid laid out differently: use the explicit Open button
        page.locator(".st-key-pf_open_button button").click()
        page.wait_for_url(re.compile(r"/article\?key="), timeout=30_000)
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Article", exact=True)).to_be_visible(timeout=60_000)
    assert "key=" in page.url
    expect(page.get_by_text("Open attention score")).to_be_visible()
    expect(page.get_by_text("Every metric from every source")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
