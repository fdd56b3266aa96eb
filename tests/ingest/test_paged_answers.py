"""Paged answers end to end: the fetcher follows every page before it stores anything."""

from __future__ import annotations

import polars as pl

from lib import ingest, store
from tests.ingest.test_fetch import dois, fast_http, settings_for, statuses, table
from tests.mock_records import wikipedia_articles


def test_wikipedia_counts_every_link_form_and_page_and_keeps_the_articles(mock_api, tmp_path):
    db, keys = tmp_path / "w.duckdb", dois(12, "10.7777/wiki.")
    mock_api.behave("wikipedia", wiki_page_limit=1)  # every answer continues, link by link
    summary = ingest.fetch_works(
        db, keys, sources=["wikipedia"], settings=settings_for(mock_api), http_options=fast_http()
    )
    assert summary.sources[0].errors == 0
    assert set(statuses(db, "wikipedia").values()) == {"ok"}
    counts = table(db, "SELECT key, value FROM observation WHERE metric = 'wikipedia_mentions'")
    expected = {k: float(wikipedia_articles(k)) for k in keys}
    assert dict(counts.iter_rows()) == expected
    assert sum(expected.values()) > 0 and 0.0 in expected.values()
    with store.connect(db) as con:
        key = max(keys, key=wikipedia_articles)
        mentions = store.work_mentions(con, key)
    assert mentions.height == wikipedia_articles(key)
    assert mentions["title"].str.starts_with("Article ").all()
    assert mentions["url"].str.starts_with("https://en.wikipedia.org/wiki/").all()
    queries = [r.query for r in mock_api.requests("wikipedia")]
    assert not any("euprotocol" in q for q in queries)
    assert any("%252F" in q for q in queries) and any("eucontinue" in q for q in queries)
    pages = table(db, "SELECT count(*) AS n FROM raw WHERE source = 'wikipedia'")["n"][0]
    assert pages == len(queries)  # every page's body kept


def test_a_failed_page_stores_nothing_for_that_work(mock_api, tmp_path):
    db, keys = tmp_path / "w.duckdb", dois(3, "10.7777/wiki.")
    mock_api.behave("wikipedia", wiki_page_limit=1, error_first=3, error_status=500)
    settings = settings_for(mock_api)
    ingest.fetch_works(
        db,
        keys,
        sources=["wikipedia"],
        settings=settings,
        http_options={**fast_http(), "retry": ingest_retry_once()},
    )
    values = table(db, "SELECT key FROM observation WHERE source = 'wikipedia'")
    failed = [k for k, s in statuses(db, "wikipedia").items() if s == "error"]
    assert failed and not set(failed) & set(values["key"])
    assert pl.Series(failed).is_in(keys).all()


def ingest_retry_once():
    from lib.sources.transport import RetryPolicy

    return RetryPolicy(attempts=1)


def test_openalex_duplicates_beyond_the_page_follow_the_cursor(mock_api, tmp_path):
    from tests.mockapi import cites

    db, keys = tmp_path / "oa.duckdb", dois(100, "10.7777/oa.")
    mock_api.behave("openalex", oa_duplicates=0.3)  # ~130 records for 100 DOIs
    ingest.fetch_works(
        db, keys, sources=["openalex"], settings=settings_for(mock_api), http_options=fast_http()
    )
    assert set(statuses(db, "openalex").values()) == {"ok"}  # none fell off the page
    values = table(db, "SELECT key, value FROM observation WHERE metric = 'citations_openalex'")
    assert dict(values.iter_rows()) == {k: float(cites(k, "openalex")) for k in keys}
    queries = [r.query for r in mock_api.requests("openalex")]
    assert len(queries) == 2 and "cursor=%2A" in queries[0] and "cursor=100" in queries[1]


def test_europepmc_follows_the_cursor_and_retries_unmatched_dois_by_pmid(mock_api, tmp_path):
    from tests.mockapi import cites, pmid_for_doi, stable

    db, keys = tmp_path / "e.duckdb", dois(40, "10.7777/epmc.")
    with_pmid = [k for k in keys if pmid_for_doi(k, 0.8)]
    with store.connect(db) as con:  # the works' PMIDs are known (from an import)
        store.upsert_works(
            con, pl.DataFrame({"key": with_pmid, "pmid": [pmid_for_doi(k, 0.8) for k in with_pmid]})
        )
    mock_api.behave("europepmc", epmc_page_limit=7, epmc_no_doi=0.3)
    ingest.fetch_works(
        db, keys, sources=["europepmc"], settings=settings_for(mock_api), http_options=fast_http()
    )
    found = statuses(db, "europepmc")
    hidden = {k for k in keys if stable(k, "nodoi") % 1000 < 300}  # records without their DOI
    assert hidden & set(with_pmid) and hidden - set(with_pmid)
    retried = hidden & set(with_pmid)
    assert {k for k, s in found.items() if s == "ok"} == (set(keys) - hidden) | retried
    assert {k for k, s in found.items() if s == "not_found"} == hidden - set(with_pmid)
    values = table(db, "SELECT key, value FROM observation WHERE metric = 'citations_europepmc'")
    assert dict(values.iter_rows()) == {
        k: float(cites(k, "europepmc")) for k, s in found.items() if s == "ok"
    }
    messages = table(db, "SELECT key, message FROM fetch_log WHERE source = 'europepmc'")
    by_pmid = {k for k, m in messages.iter_rows() if m and "matched by PMID" in m}
    assert by_pmid == hidden & set(with_pmid)
    queries = [r.query for r in mock_api.requests("europepmc")]
    assert any("cursorMark=7" in q for q in queries) and any("EXT_ID" in q for q in queries)


def test_a_semantic_scholar_answer_for_another_paper_never_feeds_icite(mock_api, tmp_path):
    db, keys = tmp_path / "s2.duckdb", dois(6, "10.7777/s2.")
    mock_api.behave("semanticscholar", s2_wrong_paper=frozenset(keys[:2]), pmid_fraction=1.0)
    ingest.fetch_works(
        db,
        keys,
        sources=["semanticscholar", "icite"],
        settings=settings_for(mock_api),
        http_options=fast_http(),
    )
    s2 = statuses(db, "semanticscholar")
    assert [s2[k] for k in keys[:2]] == ["error", "error"]
    assert {s2[k] for k in keys[2:]} == {"ok"}
    asked = {i for r in mock_api.requests("icite") for i in r.ids}
    assert "99999999" not in asked  # the other paper's PMID
    assert [statuses(db, "icite")[k] for k in keys[:2]] == ["skipped", "skipped"]
