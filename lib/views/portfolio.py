"""The Portfolio page's logic: the per-work table, its filters and the percentile-bin view. Pure.

The table keeps every value numeric (null = missing) so it can be sorted and exported; the page
turns it into a display frame where a missing value reads "—", because `st.dataframe` shows a null
as an empty cell, which a reader cannot tell from zero at a glance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from lib.metrics.attention import ATTENTION_SCORE, AttentionWeight, with_attention_score
from lib.metrics.citations import CITATIONS, with_citations
from lib.metrics.context import MIN_COHORT, ReferenceDistribution, percentiles_in_reference
from lib.metrics.triangulation import QUADRANT_SPLIT, QUADRANTS, quadrants
from lib.vocabulary import (
    METRICS,
    MISSING_REASONS,
    SOURCES,
    WEB_SOURCES,
    Category,
    metrics_in,
)

AUTHOR_POSITIONS = ("first", "last", "corresponding", "middle")
ATTENTION_PERCENTILE = f"{ATTENTION_SCORE}_percentile"
CITATIONS_PERCENTILE = f"{CITATIONS}_percentile"
QUADRANT = "quadrant"
# The metrics engine's plain labels, so every page names a quadrant the same way.
QUADRANT_ORDER = tuple(QUADRANTS.values())
NOT_PLACED = "not placed (a percentile is missing)"
# iCite / Weill Cornell style bins: each work is one icon in the bin its percentile falls into.
PERCENTILE_BINS: tuple[tuple[float, float, str], ...] = (
    (99, 100.01, "Top 1%"),
    (90, 99, "Top 10%"),
    (75, 90, "Top 25%"),
    (50, 75, "Above median"),
    (25, 50, "Below median"),
    (0, 25, "Bottom 25%"),
)
SOURCE_STATUSES = tuple(s for s in WEB_SOURCES if s not in ("orcid", "wikipedia"))
WORK_COLUMNS = ("key", "title", "year", "type", "journal", "author_position", "doi", "pmid")


def link_exprs() -> list[pl.Expr]:
    """doi.org and PubMed links (null when the identifier is unknown)."""
    return [
        pl.when(pl.col("doi").is_not_null())
        .then(pl.lit("https://doi.org/") + pl.col("doi"))
        .alias("doi_url"),
        pl.when(pl.col("pmid").is_not_null())
        .then(pl.lit("https://pubmed.ncbi.nlm.nih.gov/") + pl.col("pmid") + pl.lit("/"))
        .alias("pubmed_url"),
    ]


def missing_reason_expr(sources: Sequence[str] = SOURCE_STATUSES) -> pl.Expr:
    """Per work, which sources gave no data and why ("Altmetric: not fetched yet; ...")."""
    parts = []
    for source in sources:
        status = pl.col(f"{source}_status")
        label = SOURCES[source].label
        parts.append(
            pl.when(status.is_null())
            .then(pl.lit(f"{label}: {MISSING_REASONS['not_fetched']}"))
            .when(status != "ok")
            .then(
                pl.lit(f"{label}: ")
                + status.replace_strict(MISSING_REASONS, default=status, return_dtype=pl.String)
            )
        )
    return pl.concat_str(parts, separator="; ", ignore_nulls=True).alias("missing_reason")


def reference_distribution_of(
    measure: str, counts: pl.DataFrame, place: str = "in this cache"
) -> ReferenceDistribution:
    """Wrap per-year value counts (year, value, n) from the store as a named reference set."""
    return ReferenceDistribution(measure, ("year",), counts, place=place)


def percentile_columns(measure: str) -> list[str]:
    """The columns placing one measure in its reference set (engine naming)."""
    return [f"{measure}_{suffix}" for suffix in ("percentile", "cohort_n", "cohort", "unreliable")]


def with_percentiles(
    table: pl.DataFrame,
    references: Mapping[str, ReferenceDistribution],
    min_cohort: int = MIN_COHORT,
) -> pl.DataFrame:
    """Add attention and citation percentiles among works of the same year, naming the set."""
    for measure in (ATTENTION_SCORE, CITATIONS):
        reference = references.get(measure)
        if reference is None or table.is_empty():
            dtypes = (pl.Float64, pl.Int64, pl.String, pl.Boolean)
            table = table.with_columns(
                pl.lit(None, dtype=dtype).alias(name)
                for name, dtype in zip(percentile_columns(measure), dtypes, strict=True)
            )
            continue
        placed = percentiles_in_reference(
            table.select("key", "year", measure), reference, min_cohort=min_cohort
        )
        table = table.join(placed.unique("key"), on="key", how="left", maintain_order="left")
    return table


def with_quadrant(table: pl.DataFrame, split: float = QUADRANT_SPLIT) -> pl.DataFrame:
    """Plain-language quadrant of attention vs citation percentile; unplaced works say so."""
    return quadrants(
        table,
        ATTENTION_PERCENTILE,
        CITATIONS_PERCENTILE,
        attention_threshold=split,
        citation_threshold=split,
    ).with_columns(pl.col(QUADRANT).fill_null(NOT_PLACED))


def portfolio_table(
    works: pl.DataFrame,
    items: pl.DataFrame,
    *,
    weights: Mapping[str, float | AttentionWeight] | None = None,
    references: Mapping[str, ReferenceDistribution] | None = None,
    min_cohort: int = MIN_COHORT,
) -> pl.DataFrame:
    """One row per valid, not excluded work: metadata, links, metrics, percentiles, quadrant, reasons.

    `works` is `store.works_wide` for the collection's keys; `items` is `store.collection_items`
    (corrections applied) and supplies the author position.
    """
    positions = (
        items.filter(pl.col("status") == "valid")
        .unique("key", keep="first", maintain_order=True)
        .select("key", "author_position", pl.col("excluded").fill_null(False))
    )
    for source in SOURCE_STATUSES:
        if f"{source}_status" not in works.columns:
            works = works.with_columns(pl.lit(None, dtype=pl.String).alias(f"{source}_status"))
    table = (
        works.join(positions, on="key", how="inner", maintain_order="left")
        .filter(~pl.col("excluded"))
        .drop("excluded")
    )
    table = with_citations(with_attention_score(table, weights))
    table = table.with_columns(*link_exprs(), missing_reason_expr())
    table = with_percentiles(table, references or {}, min_cohort)
    return with_quadrant(table)


def percentile_bins(table: pl.DataFrame, column: str) -> pl.DataFrame:
    """Works per iCite-style bin (label, lo, hi, works, titles) plus a row for works not placed."""
    values = table.select("key", "title", pl.col(column).alias("p"))
    rows = []
    for lo, hi, label in PERCENTILE_BINS:
        inside = values.filter(pl.col("p").is_not_null() & (pl.col("p") >= lo) & (pl.col("p") < hi))
        rows.append(
            {
                "bin": label,
                "lo": float(lo),
                "hi": float(min(hi, 100)),
                "works": inside.height,
                "titles": inside["title"].fill_null(inside["key"]).to_list(),
                "keys": inside["key"].to_list(),
            }
        )
    missing = values.filter(pl.col("p").is_null())
    rows.append(
        {
            "bin": "Not placed",
            "lo": None,
            "hi": None,
            "works": missing.height,
            "titles": missing["title"].fill_null(missing["key"]).to_list(),
            "keys": missing["key"].to_list(),
        }
    )
    return pl.DataFrame(
        rows,
        schema={
            "bin": pl.String,
            "lo": pl.Float64,
            "hi": pl.Float64,
            "works": pl.Int64,
            "titles": pl.List(pl.String),
            "keys": pl.List(pl.String),
        },
    )


def attention_composition(table: pl.DataFrame) -> pl.DataFrame:
    """Attention counts summed over the portfolio per metric: metric, label, category, count, works."""
    categories: tuple[Category, ...] = ("mentions", "social", "captures", "usage")
    metrics = [m for category in categories for m in metrics_in(category) if m in table.columns]
    if not metrics or table.is_empty():
        return pl.DataFrame(
            schema={
                "metric": pl.String,
                "label": pl.String,
                "category": pl.String,
                "count": pl.Float64,
                "works": pl.Int64,
            }
        )
    sums = table.select(
        *[pl.col(m).sum().alias(m) for m in metrics],
        *[pl.col(m).count().alias(f"{m}__n") for m in metrics],
    ).row(0, named=True)
    return pl.DataFrame(
        {
            "metric": metrics,
            "label": [METRICS[m].label for m in metrics],
            "category": [METRICS[m].category for m in metrics],
            "count": [float(sums[m] or 0) for m in metrics],
            "works": [int(sums[f"{m}__n"]) for m in metrics],
        }
    ).filter((pl.col("works") > 0) & (pl.col("count") > 0))


def data_dates(fetch_log: pl.DataFrame) -> pl.DataFrame:
    """Per source: oldest and newest fetch, and works per status (for headers and exports)."""
    if fetch_log.is_empty():
        return pl.DataFrame(
            schema={
                "source": pl.String,
                "label": pl.String,
                "oldest": pl.Datetime,
                "newest": pl.Datetime,
                "ok": pl.UInt32,
                "failed": pl.UInt32,
            }
        )
    return (
        fetch_log.group_by("source")
        .agg(
            oldest=pl.col("fetched_at").min(),
            newest=pl.col("fetched_at").max(),
            ok=(pl.col("status") == "ok").sum(),
            failed=(pl.col("status") == "error").sum(),
        )
        .with_columns(
            label=pl.col("source").replace_strict(
                {k: v.label for k, v in SOURCES.items()}, default=pl.col("source")
            )
        )
        .select("source", "label", "oldest", "newest", "ok", "failed")
        .sort("source")
    )


def citations_by_year(per_year: pl.DataFrame) -> tuple[str | None, pl.DataFrame]:
    """Citations per year summed over the works, from the source with series for most works.

    One source, not a mix: databases count different citing documents, so summing one work's
    OpenAlex years with another's iCite years would draw a curve no database reports.
    """
    cites = per_year.filter(pl.col("metric") == "citations")
    if cites.is_empty():
        empty = {
            "year": pl.Int32,
            "citations": pl.Float64,
            "works": pl.UInt32,
            "cumulative": pl.Float64,
        }
        return None, pl.DataFrame(schema=empty)
    best = (
        cites.group_by("source")
        .agg(works=pl.col("key").n_unique())
        .sort(["works", "source"], descending=[True, False])["source"][0]
    )
    series = (
        cites.filter(pl.col("source") == best)
        .group_by("year")
        .agg(citations=pl.col("value").sum(), works=pl.col("key").n_unique())
        .sort("year")
        .with_columns(cumulative=pl.col("citations").cum_sum())
    )
    return best, series
