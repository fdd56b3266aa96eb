"""Building and correcting a portfolio: pasted ids, corrections that persist, ORCID over loopback."""

import polars as pl
import pytest

from lib import store
from lib.ids import bare_orcid
from lib.ingest import portfolios as build
from lib.settings import Settings
from tests import portfolio_seed as seed
from tests.fake_time import fast_http
from tests.mockapi import MockApi


@pytest.fixture
def cache(tmp_path):
    path = tmp_path / "pf.duckdb"
    with store.connect(path) as con:
        seed.seed(con)
    return path


def test_pasted_identifiers_become_a_portfolio_with_reasons(cache):
    report = build.read_identifiers("10.1234/new.1\nPMID: 999\nnot an id\n10.1234/NEW.1")
    assert (report.valid, report.invalid, report.duplicates) == (2, 1, 1)
    assert build.save_portfolio(cache, "New", report, meta={"person": "P"}) == 2
    with store.connect(cache) as con:
        items = store.collection_items(con, "New")
        assert store.get_collection(con, "New")["meta"]["person"] == "P"
        assert store.works_frame(con, ["pmid:999"])["pmid"][0] == "999"
    assert items["status"].to_list() == ["valid", "valid", "invalid", "duplicate"]
    assert items["reason"][2]


def test_corrections_persist_and_survive_a_reimport(cache):
    build.correct(cache, seed.FETCHED, "10.1234/b.2", excluded=True)
    before = pl.DataFrame(
        {"key": ["pmid:123456"], "excluded": [False], "author_position": [None]},
        schema_overrides={"author_position": pl.String},
    )
    after = before.with_columns(author_position=pl.lit("corresponding"))
    assert build.apply_corrections(cache, seed.FETCHED, before, after) == 1
    assert build.apply_corrections(cache, seed.FETCHED, after, after) == 0
    # the same list imported again (e.g. a refreshed export) keeps the person's corrections
    again = build.read_identifiers("10.1234/a.1\n10.1234/b.2\nPMID:123456")
    build.save_portfolio(cache, seed.FETCHED, again)
    with store.connect(cache) as con:
        assert "10.1234/b.2" not in store.collection_keys(con, seed.FETCHED)
        items = store.collection_items(con, seed.FETCHED)
    assert items.filter(pl.col("key") == "pmid:123456")["author_position"][0] == "corresponding"
    build.correct(cache, seed.FETCHED, "10.1234/b.2", excluded=False)
    with store.connect(cache) as con:
        assert "10.1234/b.2" in store.collection_keys(con, seed.FETCHED)


def test_adding_works_appends_only_new_valid_ones(cache):
    added = build.add_to_portfolio(
        cache, seed.SINGLE, build.read_identifiers("10.1234/a.1\n10.1234/z.9\nrubbish")
    )
    assert added == 1
    with store.connect(cache) as con:
        assert store.collection_keys(con, seed.SINGLE) == ["10.1234/a.1", "10.1234/z.9"]


def test_orcid_ids_are_checked():
    assert bare_orcid("https://orcid.org/0000-0002-1825-0097") == "0000-0002-1825-0097"
    assert bare_orcid("0000-0002-1825-0098") is None


def test_portfolio_from_orcid_over_loopback(cache):
    api = MockApi()
    try:
        settings = Settings.from_mapping(api.environ())
        count = build.portfolio_from_orcid(
            cache, "From ORCID", "0000-0002-1825-0097", settings, person="Josiah Carberry"
        )
    finally:
        api.close()
    assert count >= 3
    with store.connect(cache) as con:
        keys = store.collection_keys(con, "From ORCID")
        meta = store.get_collection(con, "From ORCID")["meta"]
        works = store.works_frame(con, keys)
    assert len(keys) == count
    assert meta["orcid"] == "0000-0002-1825-0097" and meta["person"] == "Josiah Carberry"
    assert works["title"].str.starts_with("Mock ORCID work").all()


def test_orcid_that_does_not_answer_raises_a_clear_error(cache):
    api = MockApi()
    api.behave("orcid", down=True)
    try:
        settings = Settings.from_mapping({**api.environ(), "TRIANGULATE_ORCID_RATE": "100"})
        with pytest.raises(RuntimeError, match="ORCID did not answer"):
            build.orcid_works("0000-0002-1825-0097", settings, http_options=fast_http())
    finally:
        api.close()
