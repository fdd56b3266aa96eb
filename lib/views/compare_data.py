"""Reading the candidates of a comparison from the cache in one pass (no SQL here: lib.store has it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import duckdb
import polars as pl

from lib import store
from lib.metrics import ATTENTION_SCORE, CITATIONS, AttentionWeight
from lib.views.references import cache_references, is_demo_set


def load_candidates(
    con: duckdb.DuckDBPyConnection,
    names: Sequence[str],
    weights: Mapping[str, float | AttentionWeight] | None = None,
) -> dict[str, Any]:
    """works (with `candidate`), metas, source dates, the cache-wide attention reference, data date.

    One `works_wide` over the union of the candidates' keys: each call scans the observation
    table, so twelve separate calls cost twelve scans on a large cache.
    """
    members = pl.concat(
        [
            pl.DataFrame(
                {"candidate": name, "key": store.collection_keys(con, name)},
                schema={"candidate": pl.String, "key": pl.String},
            )
            for name in names
        ]
    )
    metas = {name: (store.get_collection(con, name) or {}).get("meta") or {} for name in names}
    keys = members["key"].unique(maintain_order=True).to_list()
    wide = store.works_wide(con, keys)
    works = members.join(wide, on="key", how="left", maintain_order="left")
    dates = (
        store.coverage_by_source(con, keys).select("source", "oldest", "newest") if keys else None
    )
    references = cache_references(con, weights, demo=is_demo_set(works))
    newest = dates["newest"].max() if dates is not None and dates.height else None
    return {
        "works": works,
        "metas": metas,
        "source_dates": dates,
        "reference": references[ATTENTION_SCORE],
        "citation_reference": references[CITATIONS],
        "data_date": newest.date() if isinstance(newest, datetime) else None,
    }
