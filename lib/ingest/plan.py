"""What each source still has to fetch for a set of works: new, stale, or due a recheck."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import polars as pl

from lib import store
from lib.ids import parse_work_key
from lib.settings import Settings
from lib.sources import SOURCE_MODULES, SourceModule
from lib.sources.base import WorkIds

# Per-work sources in the order they run; ORCID builds portfolios and is not fetched per work.
WORK_SOURCES = (
    "openalex",
    "europepmc",
    "crossref",
    "semanticscholar",
    "altmetric",
    "wikipedia",
    "icite",
)
NEEDS_PMID = frozenset({"icite"})
# Sources whose answers carry PMIDs; iCite's last batch waits for these only (not for Altmetric's
# one-DOI-per-second pace).
PMID_RESOLVERS = frozenset({"openalex", "europepmc", "semanticscholar"})


class UnknownCollection(LookupError):
    """No collection has that name."""


def source_module(name: str) -> SourceModule:
    """The source module registered under a name."""
    return SOURCE_MODULES[name]


def plan_fetch(
    con: Any, keys: Sequence[str], sources: Sequence[str], settings: Settings, now: datetime
) -> pl.DataFrame:
    """(key, source, reason, last_status, last_fetched_at) for every pair that needs fetching."""
    keys = list(dict.fromkeys(keys))
    grid = pl.DataFrame({"key": keys}, schema={"key": pl.String}).join(
        pl.DataFrame({"source": list(sources)}, schema={"source": pl.String}), how="cross"
    )
    log = store.fetch_log_long(con, keys).select("key", "source", "status", "fetched_at")
    age_days = (pl.lit(now) - pl.col("fetched_at")).dt.total_seconds() / 86400
    fresh_for = pl.col("source").replace_strict(
        dict(settings.freshness_days), default=7.0, return_dtype=pl.Float64
    )
    reason = (
        pl.when(pl.col("status").is_null())
        .then(pl.lit("new"))
        .when((pl.col("status") == "ok") & (age_days >= fresh_for))
        .then(pl.lit("stale"))
        .when((pl.col("status") == "not_found") & (age_days >= settings.not_found_retry_days))
        .then(pl.lit("not_found_recheck"))
        .when((pl.col("status") == "error") & (age_days >= settings.error_retry_days))
        .then(pl.lit("error_retry"))
        .when(pl.col("status") == "skipped")
        .then(pl.lit("skipped_recheck"))
    )
    return (
        grid.join(log, on=["key", "source"], how="left", maintain_order="left")
        .with_columns(reason=reason)
        .filter(pl.col("reason").is_not_null())
        .select(
            "key",
            "source",
            "reason",
            pl.col("status").alias("last_status"),
            pl.col("fetched_at").alias("last_fetched_at"),
        )
    )


def load_work_ids(con: Any, keys: Sequence[str]) -> dict[str, WorkIds]:
    """Identifiers of each work from the cache, falling back to what its key says (`lib.ids`)."""
    columns = ["key", "doi", "pmid", "pmcid", "arxiv", "openalex"]
    ids: dict[str, WorkIds] = {}
    for row in store.works_frame(con, list(keys)).select(columns).iter_rows(named=True):
        from_key = parse_work_key(row["key"])
        if from_key is not None and row.get(from_key.scheme) is None:
            row[from_key.scheme] = from_key.value
        ids[row["key"]] = WorkIds(**row)
    return ids
