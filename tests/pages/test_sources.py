from pathlib import Path

import polars as pl
from streamlit.testing.v1 import AppTest

from lib import store, ui


def frame_with(at, column):
    """The first dataframe on the page that has a column (AppTest finds dataframes by index)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


APP = str(Path(__file__).resolve().parents[2] / "app.py")


def run_sources(collection: str | None = None, env: dict | None = None):
    at = AppTest.from_file(APP, default_timeout=60)
    if collection:
        at.session_state["collection"] = collection
    at.switch_page("app_pages/sources.py")  # AppTest then runs the page script alone, not app.py
    at.run()
    assert not at.exception, at.exception
    return at


def test_sources_page_says_which_sources_are_usable_and_why(demo_db, monkeypatch):
    monkeypatch.delenv("ALTMETRIC_API_KEY", raising=False)
    at = run_sources()
    readiness = frame_with(at, "Usable")
    altmetric = readiness[readiness["Source"] == "Altmetric"]
    assert altmetric["Usable"].iloc[0] == "no"
    assert "key" in altmetric["Why"].iloc[0].lower()


def test_sources_page_shows_coverage_and_what_a_fetch_would_do(demo_db):
    with store.connect(demo_db) as con:
        name = store.list_collections(con).filter(pl.col("kind") == "portfolio")["name"][0]
    at = run_sources(name)
    assert any(ui.plain(name) in s.value for s in at.subheader)
    coverage = frame_with(at, "not_fetched")
    assert {"OpenAlex", "NIH iCite", "Altmetric"} <= set(coverage["source"])  # names, not ids
    assert any("fictional demo collection" in w.value for w in at.warning)
    assert at.button(key="sources_fetch_start") is not None


def test_sources_page_on_a_collection_never_fetched(empty_db):
    with store.connect(empty_db) as con:
        store.upsert_works(con, pl.DataFrame({"key": ["10.1234/real.1"]}))
        store.save_collection(
            con,
            "Fresh list",
            pl.DataFrame(
                {"input": ["10.1234/real.1"], "key": ["10.1234/real.1"], "status": ["valid"]}
            ),
        )
    at = run_sources("Fresh list")
    assert any("Nothing fetched yet" in i.value for i in at.info)
    plan = frame_with(at, "reason")
    assert plan["works"].sum() >= 5


def test_sources_page_shows_the_budget_each_source_last_reported(empty_db):
    from datetime import datetime

    with store.connect(empty_db) as con:
        store.save_budgets(
            con,
            {
                "openalex": {
                    "source": "openalex",
                    "remaining": 0.0972,
                    "limit": 0.1,
                    "unit": "USD per day",
                    "reset_seconds": 64136.0,
                    "per_second": None,
                }
            },
            datetime(2026, 12, 2, 18, 0),
        )
    at = run_sources()
    readiness = frame_with(at, "Budget left")
    openalex = readiness[readiness["Source"] == "OpenAlex"]["Budget left"].iloc[0]
    assert openalex.startswith("0.0972 of 0.1 USD per day left") and "2026-12-02T18:00" in openalex
    crossref = readiness[readiness["Source"] == "Crossref"]["Budget left"].iloc[0]
    assert crossref == "not reported yet"


def test_the_live_check_panel_names_a_changed_format(empty_db, mock_api, monkeypatch):
    for name, value in mock_api.environ().items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("ALTMETRIC_API_KEY", raising=False)
    mock_api.behave("crossref", drop_field="is-referenced-by-count")
    at = run_sources()
    at.button(key="sources_doctor").click().run()
    assert not at.exception
    table = frame_with(at, "Outcome")
    outcome = dict(zip(table["Source"], table["Outcome"], strict=True))
    assert outcome["Crossref"] == "format changed" and outcome["OpenAlex"] == "works"
    assert outcome["Altmetric"] == "no key"
    assert any("Broken: Crossref" in e.value for e in at.error)


def test_source_names_are_not_repeated_in_the_unusable_reasons(demo_db, monkeypatch):
    monkeypatch.delenv("ALTMETRIC_API_KEY", raising=False)
    with store.connect(demo_db) as con:
        name = store.list_collections(con)["name"][0]
    at = run_sources(name)
    captions = [c.value for c in at.caption]
    assert any(c.startswith(":material/block: Altmetric: no") for c in captions), captions
    assert not any("Altmetric: Altmetric:" in c for c in captions)
