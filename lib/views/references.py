"""The one reference set of every percentile and quadrant on every page and report.

Each work is placed among works of the same publication year, in the whole cache or in a chosen
collection, by its open attention score and by its citations (lib/metrics/context.py). Real and
fictional works never mix: real works are placed among real works only, and the generated demo
works only among demo works, so "percentile 77 among 2004 works in this cache" never rests on
invented numbers.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import polars as pl

from lib.metrics import (
    ATTENTION_SCORE,
    CITATION_ORDER,
    CITATIONS,
    AttentionWeight,
    ReferenceDistribution,
    weights_table,
)
from lib.store.cohorts import cohort_distributions

MEASURES = (ATTENTION_SCORE, CITATIONS)


def is_demo_set(works: pl.DataFrame) -> bool:
    """True when every work is fictional: only then is the demo data their reference set."""
    if "is_demo" not in works.columns or works.is_empty():
        return False
    return bool(works["is_demo"].fill_null(False).all())


def reference_place(collection: str | None = None, demo: bool = False) -> str:
    """How the set is named in labels: 'in this cache', 'in “<collection>”', or the demo data."""
    if collection is not None:
        return f"in “{collection}”"
    return "in the demo data" if demo else "in this cache"


def reference_noun(demo: bool = False) -> str:
    """What the set counts: real works, or (only for demo works) the fictional ones."""
    return "fictional works" if demo else "works"


def cache_references(
    con: duckdb.DuckDBPyConnection,
    weights: Mapping[str, float | AttentionWeight] | None,
    *,
    collection: str | None = None,
    demo: bool = False,
) -> dict[str, ReferenceDistribution]:
    """Attention-score and citation counts per year of the reference set, named for labels."""
    counts = cohort_distributions(
        con,
        list(MEASURES),
        by=("year",),
        collection=collection,
        weights=weights_table(weights),
        citation_order=CITATION_ORDER,
        demo=demo,
    )
    place, noun = reference_place(collection, demo), reference_noun(demo)
    return {
        m: ReferenceDistribution(m, ("year",), frame, place, noun) for m, frame in counts.items()
    }
