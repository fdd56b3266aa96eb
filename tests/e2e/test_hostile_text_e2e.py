"""Hostile text from files renders inert in Chromium, and the dashboard asks nothing of the internet.

Markup in titles, journals and author names is escaped in the HTML reports; Markdown in a title
is not a link or an image on the Article page; every request a page load makes goes to our own
server (the favicon included).
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from urllib.parse import urlsplit

import polars as pl
import pytest

from lib import charts, store
from lib.exports.committee import committee_html
from lib.exports.dossier import ReportContext
from lib.exports.summary import portfolio_html
from lib.metrics import portfolio_indicators, weights_description
from lib.views import portfolio as logic
from lib.views.compare import build_comparison
from lib.views.compare_figures import comparison_figures
from tests import portfolio_seed as seed
from tests.e2e.browser import wait_for_app
from tests.views.compare_data import three_candidates

pytestmark = pytest.mark.e2e

SCRIPT = "<script>window.__pwned = 'script'</script>"
IMG = "<img src=x onerror=\"window.__pwned='img'\">"
PHISH = (
    "[Session expired: log in again](https://evil.example/phish) "
    "![x](https://evil.example/track.png)"
)


def _inert(page, path) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)
    assert page.evaluate("window.__pwned === undefined"), page.evaluate("window.__pwned")
    assert dialogs == []
    assert page.locator("img[onerror]").count() == 0
    assert SCRIPT.split(">")[0] + ">" not in page.locator("script").all_inner_texts()
    assert page.get_by_text("window.__pwned = 'script'").count() >= 1  # shown as text


def test_portfolio_report_renders_markup_in_metadata_inert(page, tmp_path):
    db = tmp_path / "r.duckdb"
    with store.connect(db) as con:
        seed.seed(con)
        keys = store.collection_keys(con, seed.FETCHED)
        items = store.collection_items(con, seed.FETCHED)
        works = store.works_wide(con, keys)
    works = works.with_columns(
        title=pl.lit(SCRIPT),
        journal=pl.lit(IMG),
        authors=pl.lit(IMG),
    )
    table = logic.portfolio_table(works, items)
    context = ReportContext(
        collection=f"{SCRIPT} collection",
        person=IMG,
        is_demo=False,
        data_dates=logic.data_dates(pl.DataFrame()),
        weights=weights_description(),
        reference_sets=[IMG],
        generated_at=datetime(2026, 12, 2, 10, 0),
    )
    indicators = portfolio_indicators(works, career_start=2015, today=date(2026, 12, 2))
    html = portfolio_html(
        context, indicators, table, [charts.triangulation_figure(table, None, None)], [SCRIPT, IMG]
    )
    path = tmp_path / "portfolio.html"
    path.write_text(html)
    _inert(page, path)


def test_committee_report_renders_markup_in_metadata_inert(page, tmp_path):
    works, candidates = three_candidates()
    works = works.with_columns(title=pl.lit(SCRIPT), journal=pl.lit(IMG))
    candidates = [dataclasses.replace(c, person=f"{SCRIPT} {c.name}") for c in candidates]
    comparison = build_comparison(works, candidates, today=date(2026, 11, 23))
    html = committee_html(comparison, comparison_figures(comparison))
    path = tmp_path / "committee.html"
    path.write_text(html)
    _inert(page, path)


def test_article_page_shows_a_markdown_title_as_text_and_requests_only_our_server(page, fresh_copy):
    from tests.e2e.conftest import start_streamlit

    with store.connect(fresh_copy) as con:
        store.upsert_works(
            con,
            pl.DataFrame(
                {"key": ["10.5555/phish.1"], "doi": ["10.5555/phish.1"], "title": [PHISH]}
            ),
        )
    proc, url = start_streamlit(fresh_copy)
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(urlsplit(r.url).hostname or urlsplit(r.url).scheme))
    try:
        page.goto(f"{url}/article?key=10.5555/phish.1")
        wait_for_app(page)
        page.wait_for_timeout(1500)
        heading = page.get_by_role("heading", level=2).first
        assert "Session expired" in heading.inner_text()
        links = page.locator("a[href*='evil.example']")
        assert links.count() == 0, [
            links.nth(i).evaluate("e => e.parentElement.outerHTML") for i in range(links.count())
        ]
        assert page.locator("img[src*='evil.example']").count() == 0
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    assert hosts <= {"127.0.0.1", "data", "blob"}, hosts
