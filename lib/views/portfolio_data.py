"""The reference sets a portfolio's works are placed in, read from the store.

One home for them, so the Portfolio page, its downloads and `triangulate export` place every work
among the same works and name the same set.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb

from lib.metrics import CITATION_ORDER, ReferenceDistribution, weights_table
from lib.store import cohorts
from lib.views import portfolio as logic

WHOLE_CACHE_PLACE = "in this cache"


def reference_place(reference: str | None) -> str:
    """How a reference set is named in labels: 'in this cache' or 'in “<collection>”'."""
    return WHOLE_CACHE_PLACE if reference is None else f"in “{reference}”"


def portfolio_references(
    con: duckdb.DuckDBPyConnection,
    weights: Mapping[str, float] | None,
    reference: str | None = None,
) -> dict[str, ReferenceDistribution]:
    """Attention and citation distributions per publication year in `reference` (None: cache)."""
    counts = cohorts.cohort_distributions(
        con,
        ["attention_score", "citations"],
        by=("year",),
        collection=reference,
        weights=weights_table(dict(weights) if weights else None),
        citation_order=CITATION_ORDER,
    )
    place = reference_place(reference)
    return {m: logic.reference_distribution_of(m, frame, place) for m, frame in counts.items()}
