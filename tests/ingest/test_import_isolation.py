"""An import into one collection never rewrites the works other collections hold."""

from __future__ import annotations

import polars as pl

from lib import store
from lib.ingest.imports import import_file


def test_a_hostile_file_does_not_rewrite_a_colleagues_portfolio(tmp_path):
    db = tmp_path / "c.duckdb"
    mine = tmp_path / "mine.csv"
    mine.write_text("DOI,Title,Year,Journal\n10.1000/shared,Real title,2015,Real Journal\n")
    evil = tmp_path / "evil.csv"
    evil.write_text(
        "DOI,Title,Year,Journal\n10.1000/shared,Retracted: EVIL TITLE,1901,Evil\n"
        "10.1000/new,A new work,2020,New J\n"
    )
    with store.connect(db) as con:
        import_file(con, mine, "Colleague")
        import_file(con, evil, "Hostile")
        works = store.works_wide(con, ["10.1000/shared", "10.1000/new"])
        hostile = store.collection_items(con, "Hostile")
    shared = works.filter(pl.col("key") == "10.1000/shared").row(0, named=True)
    assert (shared["title"], shared["year"], shared["journal"]) == (
        "Real title",
        2015,
        "Real Journal",
    )
    new = works.filter(pl.col("key") == "10.1000/new").row(0, named=True)
    assert new["title"] == "A new work"  # a work only the upload knows takes the upload's values
    # the upload's own values stay with its items (exported as `original: Title`)
    assert "Retracted: EVIL TITLE" in hostile["extra"][0]


def test_sources_of_record_still_replace_upload_metadata(tmp_path):
    db = tmp_path / "c.duckdb"
    upload = tmp_path / "u.csv"
    upload.write_text("DOI,Title\n10.1000/x,typo titel\n")
    with store.connect(db) as con:
        import_file(con, upload, "U")
        store.upsert_works(con, pl.DataFrame({"key": ["10.1000/x"], "title": ["Typo title"]}))
        assert store.works_wide(con, ["10.1000/x"])["title"][0] == "Typo title"
