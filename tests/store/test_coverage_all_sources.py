"""Coverage lists every work source, fetched or not: a never-fetched source is not left out."""

from __future__ import annotations

from datetime import datetime

import polars as pl

from lib import store
from lib.store.reads import COVERAGE_SOURCES


def test_sources_never_fetched_appear_with_every_work_not_fetched(tmp_path):
    keys = ["10.5555/c.1", "10.5555/c.2"]
    with store.connect(tmp_path / "c.duckdb") as con:
        store.upsert_works(con, pl.DataFrame({"key": keys}))
        store.record_fetch_outcomes(
            con,
            pl.DataFrame(
                {
                    "key": keys[:1],
                    "source": ["openalex"],
                    "status": ["ok"],
                    "fetched_at": [datetime(2026, 12, 1)],
                }
            ),
        )
        for coverage in (store.coverage_by_source(con, keys), store.coverage_by_source(con)):
            assert set(coverage["source"]) == set(COVERAGE_SOURCES)
            crossref = coverage.filter(pl.col("source") == "crossref").row(0, named=True)
            assert crossref["not_fetched"] == 2 and crossref["ok"] == 0
            openalex = coverage.filter(pl.col("source") == "openalex").row(0, named=True)
            assert (openalex["ok"], openalex["not_fetched"]) == (1, 1)
