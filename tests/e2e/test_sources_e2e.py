import polars as pl
import pytest
from playwright.sync_api import expect

from lib import store
from tests.e2e.browser import wait_for_app
from tests.e2e.conftest import start_streamlit

pytestmark = pytest.mark.e2e

DOIS = [f"10.1234/e2e.{i}" for i in range(1, 31)]


@pytest.fixture
def fresh_list_db(tmp_path):
    path = tmp_path / "fresh.duckdb"
    with store.connect(path) as con:
        store.upsert_works(con, pl.DataFrame({"key": DOIS, "doi": DOIS}))
        store.save_collection(
            con, "E2E list", pl.DataFrame({"input": DOIS, "key": DOIS, "status": "valid"})
        )
    return path


def test_fetching_from_the_sources_page_fills_the_cache(page, fresh_list_db, mock_api):
    proc, url = start_streamlit(fresh_list_db, mock_api.environ())
    try:
        page.goto(url)
        wait_for_app(page)
        page.get_by_role("link", name="Sources").click()
        wait_for_app(page)
        expect(page.get_by_text("Coverage of “E2E list”")).to_be_visible()
        expect(page.get_by_text("Nothing fetched yet")).to_be_visible()
        page.get_by_role("button", name="Fetch now").click()
        expect(
            page.get_by_test_id("stAlertContentSuccess").get_by_text("Fetch finished.")
        ).to_be_visible(timeout=90_000)
        expect(page.get_by_test_id("stException")).to_have_count(0)
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    with store.connect(fresh_list_db) as con:
        wide = store.works_wide(con, DOIS)
    assert wide["openalex_status"].drop_nulls().len() == len(DOIS)
    assert wide["citations_openalex"].drop_nulls().len() > 0
