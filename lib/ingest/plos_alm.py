"""Loading the PLOS ALM reference file (read by `lib.readers.plos_alm`) into the cache: its works,
their 2011 values as observations of source `plos_alm`, and one reference collection per journal."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from lib.readers.plos_alm import (
    AS_OF,
    COLLECTION_PREFIX,
    METRIC_COLUMNS,
    SOURCE,
    plos_items,
    plos_observations,
    plos_works,
    read_plos_alm,
)
from lib.store import (
    record_fetch_outcomes,
    replace_observations,
    save_collection,
    transaction,
    upsert_works,
)


def load_plos_alm(
    con: duckdb.DuckDBPyConnection, path: str | Path, *, collection: str | None = None
) -> dict[str, int]:
    """Load the file into the cache in one transaction; returns counts for a summary line."""
    raw = read_plos_alm(path)
    works = plos_works(raw)
    observations = plos_observations(raw)
    items = plos_items(raw)
    loaded = datetime.now().replace(microsecond=0)
    outcomes = works.select(
        "key",
        source=pl.lit(SOURCE),
        status=pl.lit("ok"),
        # The study fetched these counts in 2011; dating the fetch to our load would make a
        # 2011 snapshot look current wherever data dates are shown.
        fetched_at=pl.lit(AS_OF),
        message=pl.lit(f"loaded {loaded:%Y-%m-%d} from {Path(path).name}; collected in 2011"),
    )
    meta = {"source": SOURCE, "file": Path(path).name, "as_of": str(AS_OF.date())}
    groups = (
        [(collection, items)]
        if collection
        else [
            (COLLECTION_PREFIX + name, part)
            for (name,), part in items.sort("journal", maintain_order=True).group_by(
                "journal", maintain_order=True
            )
        ]
    )
    with transaction(con):
        upsert_works(con, works)
        replace_observations(con, observations)
        record_fetch_outcomes(con, outcomes)
        for name, part in groups:
            save_collection(
                con,
                name,
                part.drop("journal"),
                kind="reference",
                description="PLOS article-level metrics, Priem, Piwowar & Hemminger 2012 (CC0)",
                meta=meta,
            )
    return {
        "works": works.height,
        "observations": observations.height,
        "collections": len(groups),
        "missing_values": raw.height * len(METRIC_COLUMNS) - observations.height,
    }
