"""Compare groups page (AppTest): two demo collections, the recorded missing choice, n < 10."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib import store
from tests.pages.test_compare import portfolios

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def open_groups(names: list[str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("app_pages/compare_groups.py")
    at.run()
    assert not at.exception, at.exception
    if names is not None:
        at.multiselect(key="groups_chosen").set_value(names).run()
        assert not at.exception, at.exception
    return at


def text_of(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_two_groups_show_summaries_effects_and_the_method(demo_db):
    names = portfolios(demo_db)[:2]
    at = open_groups(names)
    assert [s.value for s in at.subheader] == [
        "Per group",
        "Pairs: effect sizes and tests",
        "Report",
    ]
    summary, effects = (d.value for d in at.dataframe)
    assert {"Coverage (works with a value)", "Median (95% CI)"} <= set(summary.columns)
    assert {"Stratified ratio (95% CI)", "Mann-Whitney p", "van Elteren p"} <= set(effects.columns)
    assert "missing values left out (missing is not zero)" in text_of(at)
    assert "Nothing here shows that belonging to a group causes" in text_of(at)
    at.checkbox(key="groups_missing_as_zero").check().run()
    assert "treated as 0 (as many published studies do)" in text_of(at)


def test_a_group_under_10_works_is_flagged_unreliable(demo_db):
    names = portfolios(demo_db)[:1]
    with store.connect(demo_db) as con:
        keys = store.collection_keys(con, names[0])[:5]
        import polars as pl

        items = pl.DataFrame({"input": keys, "key": keys, "status": "valid"})
        store.save_collection(con, "five works", items, kind="upload")
    at = open_groups([names[0], "five works"])
    assert any("unreliable, n < 10" in w.value for w in at.warning)
    summary = at.dataframe[0].value
    assert (summary.loc[summary["Group"] == "five works", "Note"] == "unreliable, n < 10").all()


@pytest.mark.parametrize("count", [0, 1])
def test_fewer_than_two_groups_ask_for_more(demo_db, count):
    names = portfolios(demo_db)[:count]
    at = open_groups(names)
    assert any("Pick at least two groups" in i.value for i in at.info)
