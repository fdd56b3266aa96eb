import polars as pl
from streamlit.testing.v1 import AppTest

from lib import store


def run_app(timeout=30):
    at = AppTest.from_file("app.py", default_timeout=timeout)
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
    at = run_app()
    names = at.sidebar.selectbox[0].options
    assert len(names) >= 7
    at.sidebar.selectbox[0].select_index(len(names) - 1).run()
    assert not at.exception
    assert any(s.value == "Coverage per source" for s in at.subheader)


def test_first_start_on_an_empty_cache_seeds_the_demo(empty_db):
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
