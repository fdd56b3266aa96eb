"""Citation indicators per work: sources side by side, their agreement, rates, iCite and OpenAlex.

One citation count per work is needed for h-index, totals and percentiles. We take the first
available in registry order (OpenAlex, Crossref, iCite, Europe PMC, Semantic Scholar, Scopus, Web of
Science, PMC) rather than the maximum across sources: the maximum rewards works that happen to be
covered by more databases and mixes in each database's errors, while a fixed order keeps one
database for nearly every work and says which one was used where it could not.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import polars as pl

from lib.vocabulary import METRICS, SOURCES, metrics_in

if TYPE_CHECKING:  # the classes of a when/then chain; Polars exports only `When`
    from polars.expr.whenthen import ChainedThen, Then

CITATIONS = "citations"
CITATION_SOURCE = "citation_source"
CITATION_ORDER: tuple[str, ...] = tuple(metrics_in("citations"))
CITATION_SOURCE_LABELS: dict[str, str] = {
    m: METRICS[m].label.removeprefix("Citations (").removesuffix(")") for m in CITATION_ORDER
}
# iCite marks the RCR of papers from the last two calendar years provisional; OpenAlex percentiles
# and FWCI are equally unsettled then.
RECENT_YEARS = 2
NORMALISED = ("rcr", "nih_percentile", "apt", "clinical_citations", "fwci", "citation_percentile")


def _present(frame: pl.DataFrame, columns: tuple[str, ...]) -> list[str]:
    return [c for c in columns if c in frame.columns]


def citation_count_expr(order: tuple[str, ...] = CITATION_ORDER) -> pl.Expr:
    """First available citation count in the given source order (null when none)."""
    return pl.coalesce(*order).alias(CITATIONS)


def citation_source_expr(order: tuple[str, ...] = CITATION_ORDER) -> pl.Expr:
    """Which source the chosen citation count came from (its label)."""
    chain: Then | ChainedThen = pl.when(pl.col(order[0]).is_not_null()).then(
        pl.lit(CITATION_SOURCE_LABELS[order[0]])
    )
    for metric in order[1:]:
        chain = chain.when(pl.col(metric).is_not_null()).then(
            pl.lit(CITATION_SOURCE_LABELS[metric])
        )
    return chain.otherwise(None).alias(CITATION_SOURCE)


def with_citations(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with `citations` and `citation_source` from whichever sources it has columns for."""
    order = tuple(_present(frame, CITATION_ORDER))
    if not order:
        return frame.with_columns(
            pl.lit(None, dtype=pl.Float64).alias(CITATIONS),
            pl.lit(None, dtype=pl.String).alias(CITATION_SOURCE),
        )
    return frame.with_columns(citation_count_expr(order), citation_source_expr(order))


def too_recent_expr(today: date) -> pl.Expr:
    """Published in the current or previous calendar year (null when the year is unknown)."""
    return (pl.col("year") > today.year - RECENT_YEARS).alias("too_recent")


def citation_indicators(works: pl.DataFrame, *, today: date) -> pl.DataFrame:
    """Per work: key, year, each source's count, chosen count and source, agreement, rate, flags."""
    order = _present(works, CITATION_ORDER)
    values = pl.concat_list(pl.col(m).cast(pl.Float64) for m in order) if order else None
    labels = pl.lit([CITATION_SOURCE_LABELS[m] for m in order], dtype=pl.List(pl.String))
    years_since = (pl.lit(today.year) - pl.col("year") + 1).clip(lower_bound=1)
    agreement = (
        [
            values.list.drop_nulls().list.len().alias("citation_sources_n"),
            values.list.max().alias("citations_max"),
            values.list.min().alias("citations_min"),
            labels.list.get(values.list.arg_max(), null_on_oob=True).alias(
                "citations_highest_source"
            ),
        ]
        if values is not None
        else [
            pl.lit(0, dtype=pl.UInt32).alias("citation_sources_n"),
            pl.lit(None, dtype=pl.Float64).alias("citations_max"),
            pl.lit(None, dtype=pl.Float64).alias("citations_min"),
            pl.lit(None, dtype=pl.String).alias("citations_highest_source"),
        ]
    )
    normalised = [
        (pl.col(m) if m in works.columns else pl.lit(None, dtype=pl.Float64)).alias(m)
        for m in NORMALISED
    ]
    return (
        with_citations(works)
        .select(
            "key",
            "year",
            *order,
            CITATIONS,
            CITATION_SOURCE,
            *agreement,
            (pl.col(CITATIONS) / years_since).alias("citations_per_year"),
            pl.when(pl.col("year").is_not_null()).then(pl.lit(today.year)).alias("as_of_year"),
            *normalised,
            too_recent_expr(today),
            *[c for c in ("icite_rcr_provisional",) if c in works.columns],
        )
        .with_columns(
            # max/min is undefined with fewer than two sources or a zero minimum.
            pl.when((pl.col("citation_sources_n") >= 2) & (pl.col("citations_min") > 0))
            .then(pl.col("citations_max") / pl.col("citations_min"))
            .alias("citations_max_min_ratio"),
            # iCite's own flag when we have it; else the same rule from the publication year.
            pl.when(pl.col("rcr").is_not_null())
            .then(
                pl.coalesce(pl.col("icite_rcr_provisional"), pl.col("too_recent"))
                if "icite_rcr_provisional" in works.columns
                else pl.col("too_recent")
            )
            .alias("rcr_provisional"),
        )
    )


def source_label(metric: str) -> str:
    """'OpenAlex' for citations_openalex and so on."""
    if metric in CITATION_SOURCE_LABELS:
        return CITATION_SOURCE_LABELS[metric]
    return SOURCES[metric].label if metric in SOURCES else metric
