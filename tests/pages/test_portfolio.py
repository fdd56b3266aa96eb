"""The Portfolio page in AppTest: demo data, corrections that persist, and the empty states."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib import store, ui
from lib.vocabulary import MISSING
from tests import portfolio_seed as seed

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def open_portfolio(collection: str | None = None, timeout: int = 60) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=timeout)
    if collection is not None:
        at.session_state["collection"] = collection
    at.run()
    at.switch_page("app_pages/portfolio.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def first_demo_portfolio(path) -> str:
    with store.connect(path) as con:
        frame = store.list_collections(con)
    return frame.filter(frame["kind"] == "portfolio")["name"][0]


@pytest.fixture
def seeded(empty_db):
    with store.connect(empty_db) as con:
        seed.seed(con)
    return empty_db


def table_frame(at):
    return next(df.value for df in at.dataframe if "missing_reason" in df.value.columns)


def test_demo_portfolio_shows_headline_table_charts_and_narrative(demo_db):
    name = first_demo_portfolio(demo_db)
    at = open_portfolio(name)
    assert at.title[0].value == "Portfolio"
    assert any("Fictional demo data" in i.value for i in at.info)
    labels = [m.label for m in at.metric]
    assert "h-index" in labels and "Works" in labels
    assert any(c.value.startswith("n = ") for c in at.caption)
    assert any("data as of" in c.value for c in at.caption)
    table = table_frame(at)
    with store.connect(demo_db) as con:
        assert len(table) == len(store.collection_keys(con, name))
    assert table["doi_url"].iloc[0].startswith("https://doi.org/10.5555/")
    assert {"Headline", "Works", "Charts", "In words", "Export"} <= {s.value for s in at.subheader}
    # The narrative reads as prose (markdown), not a monospace block (issue 15).
    assert not at.code
    prose = " ".join(m.value for m in at.markdown)
    assert "works in this collection" in prose
    assert "among" in prose  # sentences name their reference set
    assert "fictional works in the demo data" in prose  # demo works among demo works only

    at.text_input(key="pf_search").input("zzzz-no-such-title").run()
    assert not at.exception
    assert len(table_frame(at)) == 0
    at.text_input(key="pf_search").input("").run()
    at.multiselect(key="pf_types").select("review").run()
    assert set(table_frame(at)["type"]) <= {"review"}
    # A rerun with nothing changed is served from the cache.
    at.run()
    assert not at.exception


def test_open_button_goes_to_the_article(demo_db):
    at = open_portfolio(first_demo_portfolio(demo_db))
    at.button(key="pf_open_button").click().run()
    assert not at.exception
    assert at.title[0].value == "Article"
    key = at.session_state["article_key"]
    assert at.query_params["key"] in (key, [key])
    with store.connect(demo_db) as con:
        title = store.works_frame(con, [key])["title"][0]
    assert at.header[0].value == ui.plain(title)


def test_missing_values_show_as_dash_and_reasons(seeded):
    at = open_portfolio(seed.FETCHED)
    table = table_frame(at).set_index("key")
    assert table.loc["pmid:123456", "attention_score"] == MISSING
    assert table.loc["pmid:123456", "citations"] == "0"
    assert "Dr. Test Person" in [h.value for h in at.header]


def test_corrections_persist_across_a_new_session(seeded):
    at = open_portfolio(seed.FETCHED)
    editor = at.get("arrow_data_frame")  # the data editor is the first frame-like widget
    assert editor is not None
    with store.connect(seeded) as con:
        store.correct_item(con, seed.FETCHED, "10.1234/b.2", excluded=True)
        store.correct_item(con, seed.FETCHED, "pmid:123456", author_position="last")
    again = open_portfolio(seed.FETCHED)
    keys = list(table_frame(again)["key"])
    assert "10.1234/b.2" not in keys
    assert table_frame(again).set_index("key").loc["pmid:123456", "author_position"] == "last"


def test_adding_missing_works_from_the_page(seeded):
    at = open_portfolio(seed.FETCHED)
    at.text_area(key="pf_add_text").input("10.1234/u.1\nnot an id").run()
    at.button(key="pf_add_go").click().run()
    assert not at.exception
    with store.connect(seeded) as con:
        assert "10.1234/u.1" in store.collection_keys(con, seed.FETCHED)


def test_pasted_identifiers_create_a_portfolio(seeded):
    at = open_portfolio(seed.FETCHED)
    at.text_input(key="pf_paste_name").input("Pasted").run()
    at.text_area(key="pf_paste_text").input("10.1234/a.1\nPMID: 123456\nrubbish").run()
    assert any("1 invalid" in c.value for c in at.caption)
    at.button(key="pf_paste_go").click().run()
    assert not at.exception
    with store.connect(seeded) as con:
        collection = store.get_collection(con, "Pasted")
        assert collection["kind"] == "portfolio"
        assert store.collection_keys(con, "Pasted") == ["10.1234/a.1", "pmid:123456"]


def test_a_collection_with_nothing_fetched_says_so(seeded):
    at = open_portfolio(seed.UNFETCHED)
    assert any("Nothing fetched yet" in i.value for i in at.info)
    assert table_frame(at)["citations"].tolist() == [MISSING]


def test_a_collection_where_every_source_failed_says_so(seeded):
    at = open_portfolio(seed.FAILED)
    assert any("Every source failed" in w.value for w in at.warning)
    assert "error" in table_frame(at)["missing_reason"].iloc[0]


def test_a_single_work_collection_renders(seeded):
    at = open_portfolio(seed.SINGLE)
    assert len(table_frame(at)) == 1
    assert not at.exception


def test_a_cache_without_collections_offers_to_build_one(empty_db):
    with store.connect(empty_db) as con:
        store.upsert_works(con, seed.WORKS.head(1))  # not empty, so the demo is not seeded
    at = open_portfolio()
    assert any("No collection yet" in i.value for i in at.info)


def test_changing_an_attention_weight_rescores_and_is_stated(demo_db):
    at = open_portfolio(first_demo_portfolio(demo_db))
    assert any("default weights" in c.value for c in at.caption)
    at.number_input(key="pf_weight_x_posts").set_value(2.0).run()
    assert not at.exception
    assert at.session_state["attention_weights"]["x_posts"] == 2.0
    assert any("custom weights" in c.value and "X posts 2" in c.value for c in at.caption)
    at.button(key="pf_weights_reset").click().run()
    assert at.session_state["attention_weights"] is None


def test_the_reference_set_can_be_another_collection_and_is_named(demo_db):
    at = open_portfolio(first_demo_portfolio(demo_db))
    upload = "Demo library upload (fictional)"
    at.selectbox(key="pf_reference").set_value(upload).run()
    assert not at.exception
    assert any(f"in “{upload}”" in c.value for c in at.caption)
