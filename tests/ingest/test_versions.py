"""Preprint links: stored from the sources' metadata, and the preprint fetched as its own work."""

from __future__ import annotations

from lib import ingest, store
from lib.store.versions import version_links
from tests.ingest.test_fetch import fast_http, save, settings_for

PUBLISHED = "10.5555/published.1"
PREPRINT = "10.1101/2024.01.01.000001"


def test_a_crossref_has_preprint_link_is_stored_and_the_preprint_fetched(tmp_path, mock_api):
    db = tmp_path / "v.duckdb"
    save(db, "papers", [PUBLISHED, "10.5555/plain.2"])
    mock_api.behave("crossref", preprints=((PUBLISHED, PREPRINT),))
    settings = settings_for(mock_api)
    ingest.fetch_collection(
        db, "papers", sources=["crossref"], settings=settings, http_options=fast_http()
    )
    with store.connect(db) as con:
        links = version_links(con, [PUBLISHED])
        wide = store.works_wide(con, [PUBLISHED, PREPRINT])
        keys = store.collection_keys(con, "papers")
    assert links.select("published_key", "preprint_key", "sources").rows() == [
        (PUBLISHED, PREPRINT, "crossref")
    ]
    assert "has-preprint" in links["evidence"][0] and "is-preprint-of" in links["evidence"][0]
    assert links["preprint_cached"][0] and not links["preprint_retracted"][0]
    # its own work with its own values, not merged into the published one, not in the collection
    assert wide["citations_crossref"].null_count() == 0
    assert PREPRINT not in keys


def test_a_refetch_without_the_link_removes_it(tmp_path, mock_api):
    db = tmp_path / "v.duckdb"
    save(db, "papers", [PUBLISHED])
    mock_api.behave("crossref", preprints=((PUBLISHED, PREPRINT),))
    settings = settings_for(mock_api)
    options = {"sources": ["crossref"], "settings": settings, "http_options": fast_http()}
    ingest.fetch_collection(db, "papers", **options)
    mock_api.behave("crossref", preprints=())
    ingest.fetch_works(db, [PUBLISHED, PREPRINT], now=_later(), **options)
    with store.connect(db) as con:
        assert version_links(con, [PUBLISHED]).is_empty()


def _later():
    from datetime import timedelta

    from lib.ingest.batches import utc_now

    return utc_now() + timedelta(days=400)


def test_exports_carry_the_preprint_key_and_values_in_their_own_columns(tmp_path, mock_api):
    from lib.exports.tables import collection_export_frame

    db = tmp_path / "v.duckdb"
    save(db, "papers", [PUBLISHED, "10.5555/plain.2"])
    mock_api.behave("crossref", preprints=((PUBLISHED, PREPRINT),))
    ingest.fetch_collection(
        db,
        "papers",
        sources=["crossref"],
        settings=settings_for(mock_api),
        http_options=fast_http(),
    )
    with store.connect(db) as con:
        frame = collection_export_frame(con, "papers")
        preprint = store.works_wide(con, [PREPRINT])["citations_crossref"][0]
    published, plain = frame.row(0, named=True), frame.row(1, named=True)
    assert published["preprint_key"] == PREPRINT and published["preprint_count"] == 1
    assert published["preprint_citations_crossref"] == preprint
    assert published["published_plus_preprint_citations_crossref"] == (
        published["citations_crossref"] + preprint
    )
    assert (
        plain["preprint_key"] is None
        and plain["published_plus_preprint_citations_crossref"] is None
    )
    assert frame.columns.index("preprint_key") > frame.columns.index("reason")


def test_no_preprint_means_no_extra_columns(tmp_path, mock_api):
    from lib.exports.tables import collection_export_frame

    db = tmp_path / "v.duckdb"
    save(db, "papers", ["10.5555/plain.2"])
    ingest.fetch_collection(
        db,
        "papers",
        sources=["crossref"],
        settings=settings_for(mock_api),
        http_options=fast_http(),
    )
    with store.connect(db) as con:
        assert "preprint_key" not in collection_export_frame(con, "papers").columns
