import time

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import wait_for_app

pytestmark = pytest.mark.e2e


def test_committee_report_of_three_demo_faculty_opens_offline_with_its_charts(
    page, app_url, tmp_path
):
    started = time.perf_counter()
    page.goto(app_url)
    wait_for_app(page)
    # Through the router (app.py's st.navigation), as a user would, so the shared sidebar runs too.
    page.get_by_role("link", name="Compare", exact=True).click()
    expect(page.get_by_role("heading", name="Compare candidates")).to_be_visible(timeout=60_000)
    wait_for_app(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_text("Data as of")).to_be_visible()
    picker = page.get_by_test_id("stMultiSelect")
    for name in ("Dr. Ada Example", "Dr. Clara Sample", "Dr. Dev Mock"):
        expect(picker.get_by_text(name).first).to_be_visible()
    expect(page.get_by_text("Responsible use")).to_be_visible()
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(9)
    shown = time.perf_counter() - started

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Committee report (HTML").click()
    report = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(report)
    assert report.suffix == ".html" and report.stat().st_size > 1_000_000

    requests: list[str] = []
    page.context.set_offline(True)
    page.on("request", lambda request: requests.append(request.url))
    page.goto(report.as_uri())
    expect(page.locator(".plotly-graph-div")).to_have_count(9)
    # Rendered, not just present: plotly drew its SVG layers into every chart.
    expect(page.locator(".plotly-graph-div .main-svg").first).to_be_visible()
    assert page.locator(".plotly-graph-div .main-svg").count() >= 9
    expect(page.get_by_text("Responsible use")).to_be_visible()
    expect(page.get_by_text("Dr. Dev Mock (fictional)").first).to_be_visible()
    assert [u for u in requests if not u.startswith(("file:", "data:", "blob:"))] == []
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", landscape=True) if hasattr(page, "pdf") else b""
    assert pdf.startswith(b"%PDF")
    print(
        f"compare page with 3 candidates in Chromium: {shown:.2f} s; report {report.stat().st_size / 1e6:.1f} MB"
    )
