from pathlib import Path

import polars as pl
from streamlit.testing.v1 import AppTest

from lib import store, ui

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def run_app(timeout=30):
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.run()
    assert not at.exception, at.exception
    return at


def test_overview_shows_what_is_in_the_cache(demo_db):
    at = run_app()
    assert at.title[0].value == "Triangulate"
    labels = [m.label for m in at.metric]
    assert labels[:3] == ["Works in the cache", "Collections", "Sources with data"]
    with store.connect(demo_db) as con:
        works = store.cache_summary(con)["works"]
    assert at.metric[0].value == f"{works:,}"
    assert any("Fictional demo data" in i.value for i in at.info)


def test_overview_coverage_follows_the_sidebar_collection(demo_db):
    with store.connect(demo_db) as con:
        names = store.list_collections(con)["name"].to_list()
    assert len(names) >= 7
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["sidebar_collection"] = names[-1]
    at.run()
    assert not at.exception
    assert at.session_state["collection"] == names[-1]
    assert any(ui.plain(names[-1]) in c.value for c in at.caption)


def test_first_start_on_an_empty_cache_seeds_the_demo(empty_db, monkeypatch):
    monkeypatch.setenv("TRIANGULATE_DEMO", "auto")
    at = run_app(timeout=120)
    with store.connect(empty_db) as con:
        assert store.cache_summary(con)["demo_works"] > 0
    assert at.metric[0].value != "—"


def test_a_cache_with_only_unfetched_works_says_so(empty_db):
    with store.connect(empty_db) as con:
        store.upsert_works(con, pl.DataFrame({"key": ["10.1234/real.1"]}))
        store.save_collection(
            con,
            "Unfetched",
            pl.DataFrame(
                {"input": ["10.1234/real.1"], "key": ["10.1234/real.1"], "status": ["valid"]}
            ),
        )
    at = run_app()
    assert any("Nothing fetched yet" in i.value for i in at.info)
    assert not any("Fictional demo data" in i.value for i in at.info)


def test_a_write_by_another_process_shows_on_the_next_run(demo_db):
    at = run_app()
    before = at.metric[1].value
    with store.connect(demo_db) as con:
        store.save_collection(
            con, "Written elsewhere", pl.DataFrame({"input": ["x"], "status": ["invalid"]})
        )
    at.run()
    assert at.metric[1].value == f"{int(before) + 1:,}"


def _add_real_collection(path, name="Real import"):
    with store.connect(path) as con:
        store.upsert_works(
            con,
            pl.DataFrame({"key": ["10.1234/real.1"], "title": ["A real paper"], "year": [2004]}),
        )
        store.save_collection(
            con,
            name,
            pl.DataFrame(
                {"input": ["10.1234/real.1"], "key": ["10.1234/real.1"], "status": ["valid"]}
            ),
        )


def test_demo_labels_stay_on_demo_collections_once_real_works_are_imported(demo_db):
    """Issue 15.6: after a real import the Overview said every number is generated and the
    sidebar warning stayed on every collection."""
    _add_real_collection(demo_db)
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["sidebar_collection"] = "Real import"
    at.run()
    assert not at.exception
    infos = " ".join(i.value for i in at.info)
    assert "every person, work and number here is generated" not in infos
    assert "fictional demo works" in infos
    assert not [w for w in at.sidebar.warning if "fictional" in w.value]
    at.session_state["sidebar_collection"] = "Dr. Ada Example (fictional)"
    at.run()
    assert [w for w in at.sidebar.warning if "fictional" in w.value]


def test_a_link_with_a_collection_opens_it(demo_db):
    """Shareable URLs: ?collection=NAME selects that collection in a fresh session."""
    with store.connect(demo_db) as con:
        names = store.list_collections(con)["name"].to_list()
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["collection"] = names[2]
    at.run()
    assert not at.exception
    assert at.session_state["collection"] == names[2]
    assert at.query_params["collection"] == [names[2]] or at.query_params["collection"] == names[2]


def test_a_collection_just_built_wins_over_the_address(demo_db):
    """After "Show the portfolio", the new collection shows, not the one the URL still names."""
    with store.connect(demo_db) as con:
        names = store.list_collections(con)["name"].to_list()
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["collection"] = names[2]
    # What lib.ui.portfolio.after_write leaves for a collection a page has just built: the
    # choice set, the sidebar widget's own key dropped.
    at.session_state["collection"] = names[0]
    at.run()
    assert not at.exception
    assert at.session_state["collection"] == names[0]
    assert at.sidebar.selectbox(key="sidebar_collection").value == names[0]
