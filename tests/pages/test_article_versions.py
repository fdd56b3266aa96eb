"""Article page: a work's preprint shown beside it, with a labelled published + preprint figure."""

from datetime import datetime

import polars as pl

from lib import store
from lib.store.versions import replace_version_links
from lib.vocabulary import METRICS
from tests.pages.test_article import open_article

PUBLISHED, PREPRINT, GONE = (
    "10.1016/j.pub.2024.1",
    "10.1101/2024.01.01.000001",
    "10.21203/rs.3.rs-1/v1",
)
AT = datetime(2026, 11, 1)


def seed(path, *, retracted=False):
    with store.connect(path) as con, store.transaction(con):
        store.upsert_works(
            con,
            pl.DataFrame(
                {
                    "key": [PUBLISHED, PREPRINT],
                    "doi": [PUBLISHED, PREPRINT],
                    "title": ["The article", "The preprint"],
                    "journal": ["A Journal", "medRxiv"],
                    "year": [2024, 2023],
                    "is_retracted": [False, retracted],
                }
            ),
        )
        store.replace_observations(
            con,
            pl.DataFrame(
                {
                    "key": [PUBLISHED, PREPRINT, PUBLISHED],
                    "source": ["crossref", "crossref", "crossref"],
                    "metric": ["citations_crossref", "citations_crossref", "news_mentions"],
                    "value": [10.0, 4.0, 2.0],
                    "as_of": [AT] * 3,
                }
            ),
        )
        links = pl.DataFrame(
            {
                "published_key": [PUBLISHED, PUBLISHED],
                "preprint_key": [PREPRINT, GONE],
                "relation": ["has-preprint"] * 2,
                "source": ["crossref"] * 2,
                "asserted_key": [PUBLISHED] * 2,
                "evidence": ["Crossref relation has-preprint (asserted by object)"] * 2,
                "found_at": [AT] * 2,
            }
        )
        replace_version_links(con, pl.DataFrame({"key": [], "source": []}), links)


def test_the_preprint_and_the_combined_figure_sit_beside_the_published_one(empty_db):
    seed(empty_db)
    at = open_article(PUBLISHED)
    assert "Versions: preprint and published" in [s.value for s in at.subheader]
    tables = [d.value for d in at.dataframe if "published + preprint" in d.value.columns]
    first = tables[0].set_index("metric")
    assert first.loc["Citations (Crossref)"].tolist() == [10.0, 4.0, 14.0]
    news = METRICS["news_mentions"].label  # "News outlets": what Altmetric counts
    assert first.loc[news, "preprint"] != first.loc[news, "preprint"]  # NaN: missing
    assert first.loc[news, "published + preprint"] != first.loc[news, "published + preprint"]
    assert any("not in the cache yet" in w.value for w in at.warning)  # the second link


def test_a_retracted_preprint_is_shown_as_such(empty_db):
    seed(empty_db, retracted=True)
    at = open_article(PUBLISHED)
    assert any("retracted" in e.value for e in at.error)


def test_the_preprint_page_links_back_to_the_published_version(empty_db):
    seed(empty_db)
    at = open_article(PREPRINT)
    assert any("**Published version:**" in m.value and PUBLISHED in m.value for m in at.markdown)


def test_the_portfolio_lists_works_with_a_preprint_and_the_labelled_sum(empty_db):
    from streamlit.testing.v1 import AppTest

    from tests.pages.test_article import APP

    seed(empty_db)
    items = pl.DataFrame({"input": [PUBLISHED], "key": [PUBLISHED], "status": ["valid"]})
    with store.connect(empty_db) as con:
        store.save_collection(con, "mine", items, kind="portfolio")
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["collection"] = "mine"
    at.run()
    at.switch_page("app_pages/portfolio.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert "Preprints" in [s.value for s in at.subheader]
    table = next(d.value for d in at.dataframe if "published + preprint" in d.value.columns)
    assert table[
        ["preprint_key", "published", "preprint", "published + preprint"]
    ].values.tolist() == [[PREPRINT, 10.0, 4.0, 14.0]]
