"""Scores in context: a work's percentile among a named reference set of the same year (and field).

Percentile definition (Hazen, ties at mid-rank): in a set of n values, a value whose mid-rank among
ties is r has P = 100 * (r - 0.5) / n. Counting the set's values strictly below (b) and equal (e),
r = b + (e + 1) / 2, so P = 100 * (b + e / 2) / n, which always lies strictly inside (0, 100) for a
member of the set. A work outside the reference set is placed with the same formula on the set's
counts. The same formula is used whether the reference values come from an in-memory frame or are
pre-aggregated in DuckDB (lib/store/cohorts.py), so the two agree exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

# The one minimum cohort size of every page, export and sentence: with fewer works of a year in
# the reference set a percentile is not given at all (null, shown as "—" with this reason), so the
# narrative, the Article page and the tables never disagree about the same work.
MIN_COHORT = 30
DEFAULT_MIN_COHORT = MIN_COHORT

_COHORT_NOUNS = {"journal": "in", "field": "in", "topic": "in", "type": "of type"}


@dataclass(frozen=True)
class ReferenceDistribution:
    """Counts of each distinct value of one measure per cohort: columns (*by, value, n)."""

    measure: str
    by: tuple[str, ...]
    counts: pl.DataFrame
    place: str = "in this cache"
    noun: str = "works"


def hazen_percentile(expr: pl.Expr | str) -> pl.Expr:
    """Hazen percentile of each value within its column (use `.over(...)` for groups); nulls stay null."""
    values = pl.col(expr) if isinstance(expr, str) else expr
    n = values.count()
    return pl.when(values.is_not_null()).then((values.rank("average") - 0.5) * 100.0 / n)


def reference_distribution(
    frame: pl.DataFrame,
    measure: str,
    *,
    by: Sequence[str] = ("year",),
    place: str = "in this cache",
    noun: str = "works",
) -> ReferenceDistribution:
    """Aggregate an in-memory reference set (one row per work) into value counts per cohort."""
    counts = (
        frame.lazy()
        .select(*by, pl.col(measure).cast(pl.Float64).alias("value"))
        .drop_nulls()
        .group_by(*by, "value")
        .agg(n=pl.len().cast(pl.Int64))
        .collect()
    )
    return ReferenceDistribution(measure, tuple(by), counts, place, noun)


def _cumulative(reference: ReferenceDistribution) -> pl.DataFrame:
    by = list(reference.by)
    return (
        reference.counts.lazy()
        .sort([*by, "value"])
        .with_columns(
            ref_value=pl.col("value"),
            through=pl.col("n").cum_sum().over(by, order_by="value")
            if by
            else pl.col("n").cum_sum(),
            cohort_n=pl.col("n").sum().over(by) if by else pl.col("n").sum(),
        )
        .sort("value")
        .collect()
    )


def cohort_label_expr(
    reference: ReferenceDistribution, cohort_n: pl.Expr, sizes: Sequence[int] = ()
) -> pl.Expr:
    """'2019 works in this cache (n = 6,036)', naming journal or field when the cohort uses them."""
    parts: list[pl.Expr] = []
    for column in reference.by:
        if column == "year":
            parts.insert(0, pl.col("year").cast(pl.String))
        else:
            parts.append(pl.lit(f" {_COHORT_NOUNS.get(column, 'with ' + column)} "))
            parts.append(pl.col(column).cast(pl.String))
    head = (
        [parts[0], pl.lit(f" {reference.noun}"), *parts[1:]] if parts else [pl.lit(reference.noun)]
    )
    if "year" not in reference.by:
        head = [pl.lit(reference.noun.capitalize()), *parts]
    # Thousands separators via a lookup of the few distinct sizes, not a Python call per row.
    count = cohort_n.fill_null(0).replace_strict(
        {n: f"{n:,}" for n in {0, *sizes}}, default=cohort_n.cast(pl.String), return_dtype=pl.String
    )
    return pl.concat_str([*head, pl.lit(f" {reference.place} (n = "), count, pl.lit(")")])


def too_small_reason(cohort_n: int | None, min_cohort: int = MIN_COHORT) -> str:
    """Why no percentile is given for a work whose cohort is too small."""
    size = "an unknown number of" if cohort_n is None else f"{cohort_n:,}"
    return f"not given: {size} works in its cohort, fewer than {min_cohort}"


def percentiles_in_reference(
    works: pl.DataFrame,
    reference: ReferenceDistribution | pl.DataFrame,
    measure: str | None = None,
    *,
    by: Sequence[str] = ("year",),
    min_cohort: int = DEFAULT_MIN_COHORT,
    place: str = "in this cache",
    noun: str = "works",
) -> pl.DataFrame:
    """Per work (input order): key, <m>_percentile, <m>_cohort_n, <m>_cohort, <m>_unreliable.

    `reference` is a ReferenceDistribution or a frame with one row per reference work. The
    percentile is null when the work's value or cohort is unknown, its cohort has no values, or
    fewer than `min_cohort` (then `unreliable` is true and the cohort still says its size).
    """
    if not isinstance(reference, ReferenceDistribution):
        if measure is None:
            raise ValueError("name the measure when the reference is a frame of works")
        reference = reference_distribution(reference, measure, by=by, place=place, noun=noun)
    measure = measure or reference.measure
    keys = list(reference.by)
    cumulative = _cumulative(reference)
    placed = (
        works.lazy()
        .select("key", *keys, pl.col(measure).cast(pl.Float64).alias("value"))
        .with_row_index("_order")
        .sort("value", nulls_last=True)
        .join_asof(
            cumulative.lazy().select(*keys, "value", "ref_value", "n", "through"),
            on="value",
            by=keys or None,
            strategy="backward",
            check_sortedness=False,
        )
        .join(
            cumulative.lazy().select(*keys, "cohort_n").unique(keys),
            on=keys,
            how="left",
            nulls_equal=False,
        )
        .with_columns(cohort_n=pl.col("cohort_n").fill_null(0))
        .with_columns(
            equal=pl.when(pl.col("ref_value") == pl.col("value")).then(pl.col("n")).otherwise(0),
            through=pl.col("through").fill_null(0),
        )
        .with_columns(
            percentile=pl.when(
                pl.col("value").is_not_null()
                & (pl.col("cohort_n") > 0)
                & (pl.col("cohort_n") >= min_cohort)
            ).then(100.0 * (pl.col("through") - pl.col("equal") / 2) / pl.col("cohort_n"))
        )
        .sort("_order")
    )
    sizes = cumulative["cohort_n"].unique().to_list()
    known_cohort = (
        pl.all_horizontal(pl.col(k).is_not_null() for k in keys) if keys else pl.lit(True)
    )
    return placed.select(
        "key",
        pl.col("percentile").alias(f"{measure}_percentile"),
        pl.when(known_cohort).then(pl.col("cohort_n")).alias(f"{measure}_cohort_n"),
        pl.when(known_cohort)
        .then(cohort_label_expr(reference, pl.col("cohort_n"), sizes))
        .alias(f"{measure}_cohort"),
        pl.when(known_cohort).then(pl.col("cohort_n") < min_cohort).alias(f"{measure}_unreliable"),
    ).collect()
