import time

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import wait_for_app

pytestmark = pytest.mark.e2e


def test_overview_renders_its_content_in_chromium(page, app_url):
    started = time.perf_counter()
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Triangulate")).to_be_visible(timeout=60_000)
    first_content = time.perf_counter() - started
    wait_for_app(page)
    expect(page.get_by_text("Works in the cache")).to_be_visible()
    expect(page.get_by_text("Fictional demo data").first).to_be_visible()
    expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    print(f"overview first content in Chromium: {first_content:.2f} s")


def test_a_deep_link_on_a_fresh_server_gets_the_router_and_sidebar(page, fresh_copy):
    from tests.e2e.conftest import start_streamlit

    proc, url = start_streamlit(fresh_copy)
    try:
        page.goto(f"{url}/sources")
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Sources", exact=True)).to_be_visible()
        expect(page.get_by_role("link", name="Overview")).to_be_visible()
        expect(page.get_by_role("link", name="app", exact=True)).to_have_count(0)
        expect(page.get_by_text("Coverage of")).to_be_visible()
    finally:
        proc.terminate()
        proc.wait(timeout=15)
