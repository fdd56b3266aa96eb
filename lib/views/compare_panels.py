"""Per-candidate views of a comparison: distributions, percentile bins, attention composition,
quadrants, correlations and source coverage. Pure Polars; candidates keep the committee's order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from lib.metrics import (
    ATTENTION_SCORE,
    CITATIONS,
    AttentionWeight,
    quadrants,
    resolve_weights,
    spearman_ci,
)
from lib.vocabulary import METRICS, WEB_SOURCES, Category

ATTENTION_PERCENTILE = "attention_percentile"
# Our own citation percentile in the cache's reference set (the quadrants' axis); distinct from
# OpenAlex's field-normalised `citation_percentile`.
CITATIONS_PERCENTILE = "citations_percentile"
DISTRIBUTION_MEASURES = ("citation_percentile", "rcr", ATTENTION_PERCENTILE, "apt")
COMPOSITION_CATEGORIES: tuple[Category, ...] = ("mentions", "social", "captures", "usage")
PERCENTILE_BINS = (
    (0, 25, "below 25"),
    (25, 50, "25-50"),
    (50, 75, "50-75"),
    (75, 90, "75-90"),
    (90, 99, "90-99 (top 10%)"),
    (99, 100.01, "99-100 (top 1%)"),
)
CORRELATION_PAIRS = (
    (CITATIONS, ATTENTION_SCORE, "Citations vs open attention score"),
    ("citation_percentile", ATTENTION_PERCENTILE, "Citation percentile vs attention percentile"),
)
STATUS_COLUMNS = ("ok", "not_found", "error", "skipped", "not_fetched")


def distributions(works: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(candidate, measure, value) with only present values; and per measure, works and missing."""
    present = [m for m in DISTRIBUTION_MEASURES if m in works.columns]
    long = works.select("candidate", *present).unpivot(
        index="candidate", on=present, variable_name="measure", value_name="value"
    )
    missing = long.group_by("candidate", "measure", maintain_order=True).agg(
        works=pl.len(),
        with_value=pl.col("value").is_not_null().sum(),
        missing=pl.col("value").is_null().sum(),
    )
    return long.drop_nulls("value"), missing


def percentile_bins(works: pl.DataFrame, measure: str) -> pl.DataFrame:
    """candidate, measure, bin, works, share (of works with a percentile), missing."""
    expr = pl.lit(None, dtype=pl.String)
    for low, high, label in reversed(PERCENTILE_BINS):
        expr = (
            pl.when((pl.col(measure) >= low) & (pl.col(measure) < high))
            .then(pl.lit(label))
            .otherwise(expr)
        )
    grid = (
        works.select("candidate")
        .unique(maintain_order=True)
        .join(pl.DataFrame({"bin": [b[2] for b in PERCENTILE_BINS]}), how="cross")
    )
    counted = works.group_by("candidate", expr.alias("bin")).agg(works=pl.len()).drop_nulls("bin")
    totals = works.group_by("candidate").agg(
        placed=pl.col(measure).is_not_null().sum(), missing=pl.col(measure).is_null().sum()
    )
    return (
        grid.join(counted, on=["candidate", "bin"], how="left", maintain_order="left")
        .join(totals, on="candidate", how="left", maintain_order="left")
        .with_columns(
            measure=pl.lit(measure),
            works=pl.col("works").fill_null(0),
        )
        .with_columns(
            share=pl.when(pl.col("placed") > 0).then(100 * pl.col("works") / pl.col("placed"))
        )
        .select("candidate", "measure", "bin", "works", "share", "placed", "missing")
    )


def attention_composition(
    works: pl.DataFrame, weights: Mapping[str, float | AttentionWeight] | None = None
) -> pl.DataFrame:
    """candidate, metric, category, contribution to the open attention score, works_with_data, share.

    Shares of the score rather than of raw counts: one news story and 300 views are not comparable
    counts, while the score's published weights say how much each source adds.
    """
    scored = [
        w for w in resolve_weights(weights).values() if w.weight and w.metric in works.columns
    ]
    contributions = [
        ((pl.col(w.metric) > 0).cast(pl.Float64) if w.counts_once else pl.col(w.metric)) * w.weight
        for w in scored
    ]
    schema = {"candidate": pl.String, "metric": pl.String, "contribution": pl.Float64}
    if not scored:
        return pl.DataFrame(schema=schema)
    long = works.select(
        "candidate", *[c.alias(w.metric) for c, w in zip(contributions, scored, strict=True)]
    ).unpivot(index="candidate", variable_name="metric", value_name="contribution")
    return (
        long.group_by("candidate", "metric", maintain_order=True)
        .agg(
            total=pl.when(pl.col("contribution").is_not_null().any()).then(
                pl.col("contribution").sum()
            ),
            works_with_data=pl.col("contribution").is_not_null().sum(),
        )
        .with_columns(
            category=pl.col("metric").replace_strict({m: METRICS[m].category for m in METRICS}),
            share=pl.when(pl.col("total").sum().over("candidate") > 0).then(
                100 * pl.col("total") / pl.col("total").sum().over("candidate")
            ),
        )
    )


def quadrant_counts(works: pl.DataFrame) -> pl.DataFrame:
    """candidate, quadrant (null = a percentile is missing), works."""
    grid = quadrants(works, ATTENTION_PERCENTILE, CITATIONS_PERCENTILE)
    return grid.group_by("candidate", "quadrant", maintain_order=True).agg(works=pl.len())


def correlations(works: pl.DataFrame, candidates: Sequence[str]) -> pl.DataFrame:
    """Per candidate and pair: Spearman rho with a bootstrap 95% interval and n (works with both)."""
    rows = []
    for candidate in candidates:
        own = works.filter(pl.col("candidate") == candidate)
        for x, y, label in CORRELATION_PAIRS:
            result = spearman_ci(own[x], own[y], n_boot=1000, seed=0)
            rows.append({"candidate": candidate, "pair": label, **result.__dict__})
    schema = {
        "candidate": pl.String,
        "pair": pl.String,
        "rho": pl.Float64,
        "lo": pl.Float64,
        "hi": pl.Float64,
        "n": pl.Int64,
    }
    return pl.DataFrame(rows, schema=schema)


def source_coverage(works: pl.DataFrame) -> pl.DataFrame:
    """candidate, source, and works per fetch status (never fetched counts as not_fetched)."""
    statuses = [f"{s}_status" for s in WEB_SOURCES if f"{s}_status" in works.columns]
    long = (
        works.select("candidate", *statuses)
        .unpivot(index="candidate", on=statuses, variable_name="source", value_name="status")
        .with_columns(
            source=pl.col("source").str.strip_suffix("_status"),
            status=pl.col("status").fill_null("not_fetched"),
        )
    )
    counts = long.group_by("candidate", "source", maintain_order=True).agg(
        *(pl.col("status").eq(s).sum().alias(s) for s in STATUS_COLUMNS)
    )
    # A source never asked about any of these works (e.g. ORCID) is left out, not listed as empty.
    asked = pl.sum_horizontal(STATUS_COLUMNS[:-1]).sum().over("source") > 0
    return counts.filter(asked)
