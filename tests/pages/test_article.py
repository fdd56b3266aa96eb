"""The Article page in AppTest: provenance per source, the shareable URL, and the empty states."""

from datetime import datetime
from pathlib import Path

import polars as pl
from streamlit.testing.v1 import AppTest

from lib import store, ui
from tests import portfolio_seed as seed

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def open_article(key: str | None, *, via_url: bool = True) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if key and via_url:
        at.query_params["key"] = key
    elif key:
        at.session_state["article_key"] = key
    at.run()
    at.switch_page("app_pages/article.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def seeded(path):
    with store.connect(path) as con:
        seed.seed(con)
        store.store_raw(
            con,
            source="openalex",
            request="GET https://api.openalex.org/works?filter=doi:10.1234/a.1&api_key=REDACTED",
            http_status=200,
            body='{"results": [{"cited_by_count": 40}]}',
            keys=["10.1234/a.1"],
            fetched_at=datetime(2026, 11, 1),
        )


def test_demo_article_shows_metrics_sources_and_context(demo_db):
    with store.connect(demo_db) as con:
        name = store.list_collections(con).filter(pl.col("kind") == "portfolio")["name"][0]
        key = store.collection_keys(con, name)[0]
        title = store.works_frame(con, [key])["title"][0]
    at = open_article(key, via_url=False)
    assert at.header[0].value == ui.plain(title)
    assert at.query_params["key"] in (key, [key])  # the URL becomes shareable
    assert any("Fictional demo data" in i.value for i in at.info)
    assert "Open attention score" in [m.label for m in at.metric]
    subheaders = {s.value for s in at.subheader}
    assert {
        "Identifiers",
        "Citations from each source",
        "Every metric from every source",
    } <= subheaders
    assert any("among" in c.value or "Compared with" in c.value for c in at.caption)
    observations = at.dataframe[0].value
    assert {"metric", "source_label", "value", "as_of", "status"} <= set(observations.columns)
    assert "impact factor" not in " ".join(m.value for m in at.markdown).lower()


def test_citation_sources_side_by_side_with_why_they_differ(empty_db):
    seeded(empty_db)
    at = open_article("10.1234/a.1")
    text = " ".join(m.value for m in at.markdown)
    assert "Why the counts differ" in text
    assert "OpenAlex:" in text and "Crossref:" in text
    assert any(c.value.startswith("Citation percentile") for c in at.caption)
    assert at.button(key="article_refresh").disabled is False
    # the raw response is shown as JSON, with the request's key redacted
    assert at.json and '"cited_by_count": 40' in at.json[0].value
    assert not any("api_key=" in c.value and "REDACTED" not in c.value for c in at.caption)


def test_a_work_where_every_source_failed_shows_the_errors(empty_db):
    seeded(empty_db)
    at = open_article("10.1234/f.1")
    statuses = at.dataframe[1].value
    assert set(statuses["status"]) == {"error"}
    assert "HTTP 503" in statuses["message"].iloc[0]
    assert any("No source has supplied a citation count" in i.value for i in at.info)


def test_a_work_never_fetched_says_nothing_was_asked(empty_db):
    seeded(empty_db)
    at = open_article("10.1234/u.1")
    assert any("No source has been asked" in i.value for i in at.info)
    assert at.metric[0].value == "—"


def test_unknown_key_and_no_key(empty_db):
    seeded(empty_db)
    at = open_article("10.9999/unknown")
    assert any("not in the cache" in w.value for w in at.warning)
    at = open_article(None)
    assert any("No work chosen" in i.value for i in at.info)


def test_without_a_key_a_work_of_the_collection_can_be_picked_by_title(demo_db):
    at = open_article(None)
    picker = at.selectbox(key="article_pick")
    assert len(picker.options) > 10
    key = store_keys_of_sidebar_collection(demo_db)[0]
    picker.set_value(key).run()
    assert not at.exception
    assert at.query_params["key"] == [key] or at.query_params["key"] == key
    assert at.header[0].value != ""


def store_keys_of_sidebar_collection(path):
    with store.connect(path) as con:
        first = store.list_collections(con)["name"][0]
        return store.collection_keys(con, first)


def test_the_wikipedia_articles_behind_the_count_are_listed(empty_db):
    from lib.store.fetch_writes import replace_mentions

    seeded(empty_db)
    pairs = pl.DataFrame({"key": ["10.1234/a.1"], "source": ["wikipedia"]})
    mentions = pl.DataFrame(
        {
            "key": ["10.1234/a.1"],
            "source": ["wikipedia"],
            "title": ["Sepsis"],
            "url": ["https://en.wikipedia.org/wiki/Sepsis"],
            "link": ["https://doi.org/10.1234%2Fa.1"],
            "fetched_at": [datetime(2026, 11, 2)],
        }
    )
    with store.connect(empty_db) as con:
        replace_mentions(con, pairs, mentions)
    at = open_article("10.1234/a.1")
    assert "Where it is mentioned" in {s.value for s in at.subheader}
    text = " ".join(m.value for m in at.markdown)
    assert "[Sepsis](https://en.wikipedia.org/wiki/Sepsis)" in text
    assert "https://doi.org/10.1234%2Fa.1" in text


PHISH = (
    "[Session expired: log in again](https://evil.example/phish) "
    "![x](https://evil.example/track.png) :red[alarm] <img src=x onerror=alert(1)>"
)


def _unescaped(text: str, mark: str) -> bool:
    """True when `mark` occurs without a backslash before it (Markdown would act on it)."""
    return any(text[i - 1 : i] != "\\" for i in range(len(text)) if text.startswith(mark, i))


def test_titles_and_names_from_files_are_shown_as_text_not_markdown(tmp_path, monkeypatch):
    import streamlit as st

    path = tmp_path / "p.duckdb"
    monkeypatch.setenv("TRIANGULATE_DB", str(path))
    monkeypatch.setenv("TRIANGULATE_DEMO", "off")
    st.cache_data.clear()
    with store.connect(path) as con:
        store.upsert_works(
            con,
            pl.DataFrame(
                {
                    "key": ["10.1234/phish"],
                    "doi": ["10.1234/phish"],
                    "title": [PHISH],
                    "journal": [PHISH],
                }
            ),
        )
    at = open_article("10.1234/phish")
    shown = [at.header[0].value, *(c.value for c in at.caption)]
    assert ui.plain(PHISH) == at.header[0].value
    for text in shown:
        for mark in ("[", "](", "![", ":red[", "<img"):
            assert not _unescaped(text, mark), (mark, text)
