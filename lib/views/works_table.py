"""The Portfolio page's works table: what a reader can filter, sort, show and hide. Pure.

The table keeps every value numeric (null = missing) so it can be sorted and exported;
`display_frame` turns it into what the page shows, where a missing value reads "—".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypedDict

import polars as pl

from lib.metrics.attention import ATTENTION_SCORE
from lib.metrics.citations import CITATION_SOURCE, CITATIONS
from lib.scalars import to_int
from lib.views.portfolio import (
    ATTENTION_PERCENTILE,
    AUTHOR_POSITIONS,
    CITATIONS_PERCENTILE,
    NOT_PLACED,
    QUADRANT,
    QUADRANT_ORDER,
)
from lib.vocabulary import CATEGORIES, CATEGORY_LABELS, METRICS, MISSING, metrics_in


@dataclass(frozen=True)
class TableFilter:
    """What the reader narrowed the table to; empty selections mean everything."""

    years: tuple[int, int] | None = None
    types: Sequence[str] = field(default_factory=tuple)
    positions: Sequence[str] = field(default_factory=tuple)
    quadrants: Sequence[str] = field(default_factory=tuple)
    search: str = ""
    oa_statuses: Sequence[str] = field(default_factory=tuple)
    journals: Sequence[str] = field(default_factory=tuple)
    fields: Sequence[str] = field(default_factory=tuple)


class FilterOptions(TypedDict):
    years: list[int]  # [first, last], or empty when no work has a year
    types: list[str]
    positions: list[str | None]
    quadrants: list[str]
    oa_statuses: list[str]
    journals: list[str]
    fields: list[str]


def _distinct(table: pl.DataFrame, column: str) -> list[str]:
    return sorted(table[column].drop_nulls().unique().to_list()) if column in table.columns else []


def filter_options(table: pl.DataFrame) -> FilterOptions:
    """The values each filter can take in this portfolio."""
    years = table["year"].drop_nulls()
    return {
        "years": [to_int(years.min()), to_int(years.max())] if years.len() else [],
        "types": sorted(table["type"].drop_nulls().unique().to_list()),
        "positions": [
            p for p in (*AUTHOR_POSITIONS, None) if p in table["author_position"].to_list()
        ],
        "quadrants": [q for q in (*QUADRANT_ORDER, NOT_PLACED) if q in table[QUADRANT].to_list()],
        "oa_statuses": _distinct(table, "oa_status"),
        "journals": _distinct(table, "journal"),
        "fields": _distinct(table, "field"),
    }


def filter_table(table: pl.DataFrame, chosen: TableFilter) -> pl.DataFrame:
    """The rows matching every chosen filter; title search is case-insensitive and literal."""
    conditions: list[pl.Expr] = []
    if chosen.years is not None:
        lo, hi = chosen.years
        conditions.append(pl.col("year").is_between(lo, hi))
    if chosen.types:
        conditions.append(pl.col("type").is_in(list(chosen.types)))
    if chosen.positions:
        wanted = [p for p in chosen.positions if p != "unknown"]
        position = pl.col("author_position").is_in(wanted)
        if "unknown" in chosen.positions:
            position = position | pl.col("author_position").is_null()
        conditions.append(position.fill_null(False))
    if chosen.quadrants:
        conditions.append(pl.col(QUADRANT).is_in(list(chosen.quadrants)))
    for values, column in (
        (chosen.oa_statuses, "oa_status"),
        (chosen.journals, "journal"),
        (chosen.fields, "field"),
    ):
        if values and column in table.columns:
            conditions.append(pl.col(column).is_in(list(values)).fill_null(False))
    if chosen.search.strip():
        needle = chosen.search.strip().lower()
        # Title, DOI, PMID or journal: a pasted DOI finds its work as a title fragment does.
        searched = [c for c in ("title", "doi", "pmid", "journal") if c in table.columns]
        conditions.append(
            pl.any_horizontal(
                pl.col(c).cast(pl.String).str.to_lowercase().str.contains(needle, literal=True)
                for c in searched
            ).fill_null(False)
        )
    return table.filter(*conditions) if conditions else table


def sort_table(table: pl.DataFrame, column: str, descending: bool = True) -> pl.DataFrame:
    """Sort by one column with missing values last, whatever the direction."""
    return table.sort(column, descending=descending, nulls_last=True, maintain_order=True)


def metric_columns(table: pl.DataFrame) -> list[str]:
    """Canonical metrics with any value in the table, grouped by category in registry order."""
    present = [
        m
        for category in CATEGORIES
        for m in metrics_in(category)
        if m in table.columns and table[m].null_count() < table.height
    ]
    return [m for m in present if m != ATTENTION_SCORE]


def column_label(metric: str) -> str:
    """'Mentions · News' style header: the category first, so the table reads grouped."""
    spec = METRICS[metric]
    return f"{CATEGORY_LABELS[spec.category]} · {spec.label}"


def _formatted(column: str, decimals: int) -> pl.Expr:
    values = pl.col(column).cast(pl.Float64)
    text = (
        values.round(decimals).cast(pl.String)
        if decimals
        else values.round(0).cast(pl.Int64).cast(pl.String)
    )
    return pl.when(values.is_null()).then(pl.lit(MISSING)).otherwise(text).alias(column)


def display_frame(table: pl.DataFrame) -> pl.DataFrame:
    """The table as shown: numbers as text with "—" for missing, percentiles kept numeric for bars."""
    metrics = metric_columns(table)
    decimals = {m: (2 if METRICS[m].kind in ("ratio",) else 0) for m in metrics}
    decimals.update({"nih_percentile": 1, "citation_percentile": 1})
    return table.select(
        "key",
        pl.col("title").fill_null(MISSING),
        pl.col("year").cast(pl.String).fill_null(MISSING),
        pl.col("type").fill_null(MISSING),
        pl.col("author_position").fill_null(MISSING),
        # st.dataframe prints a null as "None"; a link column shows "—" instead (not a link).
        pl.col("doi_url").fill_null(MISSING),
        pl.col("pubmed_url").fill_null(MISSING),
        _formatted(ATTENTION_SCORE, 1),
        ATTENTION_PERCENTILE,
        _formatted(CITATIONS, 0),
        pl.col(CITATION_SOURCE).fill_null(MISSING),
        CITATIONS_PERCENTILE,
        *[_formatted(m, decimals[m]) for m in metrics],
        QUADRANT,
        pl.col("missing_reason").fill_null(""),
    )


def work_choice_labels(table: pl.DataFrame) -> dict[str, str]:
    """key -> 'Title · 2019 · Journal', so two works with the same title can be told apart."""
    label = pl.concat_str(
        [
            pl.col("title").fill_null(pl.col("key")),
            pl.col("year").cast(pl.String).fill_null(MISSING),
            pl.col("journal").fill_null(MISSING),
        ],
        separator=" · ",
    )
    return dict(table.select("key", label.alias("label")).iter_rows())


# The works table's columns a reader can hide; the title is pinned and always shown.
COLUMN_NAMES = {
    "year": "Year",
    "type": "Type",
    "author_position": "Author position",
    "doi_url": "DOI",
    "pubmed_url": "PubMed",
    ATTENTION_SCORE: "Attention · Open score",
    ATTENTION_PERCENTILE: "Attention percentile",
    CITATIONS: "Citations",
    CITATION_SOURCE: "Citations from",
    CITATIONS_PERCENTILE: "Citation percentile",
    QUADRANT: "Quadrant",
    "missing_reason": "Why values are missing",
}


def optional_columns(table: pl.DataFrame) -> list[str]:
    """Every column the works table can show besides the title: fixed ones, then metrics."""
    return [*COLUMN_NAMES, *metric_columns(table)]


def shown_columns(chosen: Sequence[str], sort_by: str) -> list[str]:
    """The title, the chosen columns, and the sorted-by column even if the reader hid it."""
    columns = ["title", *[c for c in chosen if c != "title"]]
    if sort_by not in columns:
        columns.insert(1, sort_by)
    return columns
