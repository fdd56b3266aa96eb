"""Indicators as data: name, label, Compare group, a Polars aggregation, what it rests on, a note.

The sets are in `indicator_sets` (portfolio) and `committee_indicators` (what Compare adds). A
portfolio is evaluated with one `select` over its works; Compare evaluates the same registry with
one `group_by("candidate").agg(...)`. `n` is the number of works behind a value, and a value with
no works behind it is null (shown as "—"), never 0. Notes are built from the same aggregation
(`Stats`), so they cannot disagree with it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import polars as pl

INDICATOR_SCHEMA = {
    "name": pl.String,
    "label": pl.String,
    "value": pl.Float64,
    "n": pl.Int64,
    "coverage": pl.String,
    "note": pl.String,
}
COUNT_CATEGORIES = ("usage", "captures", "mentions", "social")
OPEN_ACCESS_CLOSED = "closed"
ATTENTION_PERCENTILE = "attention_percentile"
TOTAL = "__total"

Stats = Mapping[str, Any]
Kind = Literal["count", "percent", "ratio"]


@dataclass(frozen=True)
class Indicator:
    """One indicator: `value` and `n` aggregate a group's works; `note` may read the stats."""

    name: str
    label: str
    group: str
    value: pl.Expr
    n: pl.Expr
    note: str | Callable[[Stats], str] = ""
    kind: Kind = "ratio"
    # A count of works is known even when it is 0; an export's coverage row with none is omitted.
    count_of_works: bool = False
    omit_when_empty: bool = False

    def note_for(self, stats: Stats) -> str:
        return self.note(stats) if callable(self.note) else self.note


# ---------------------------------------------------------------- expression helpers


def column_or_null(columns: Sequence[str], name: str) -> pl.Expr:
    """The column as Float64, or a null column when the frame has none (missing, not 0)."""
    if name in columns:
        return pl.col(name).cast(pl.Float64)
    return pl.lit(None, dtype=pl.Float64)


def count_present(values: pl.Expr) -> pl.Expr:
    return values.is_not_null().sum()


def when_any(values: pl.Expr, aggregate: pl.Expr) -> pl.Expr:
    """The aggregate, or null when no work has a value (a sum of nothing is unknown, not 0)."""
    return pl.when(count_present(values) > 0).then(aggregate)


# ---------------------------------------------------------------- evaluation


def _share(part: int, whole: int) -> str:
    return f"{part:,} of {whole:,} works ({100 * part / whole:.0f}%)" if whole else "no works"


def evaluate(
    works: pl.DataFrame,
    registry: Sequence[Indicator],
    stats: Mapping[str, pl.Expr],
    by: str | None = None,
    groups: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Long frame: [by,] name, label, group, value, n, coverage, note (one aggregation pass).

    `groups` (a `by` column and per-group facts the notes read) keeps every group, in its order,
    even one without works: its counts are 0 and its values null."""
    exprs = [
        *(e.alias(k) for k, e in stats.items()),
        *(i.value.cast(pl.Float64).alias(i.name) for i in registry),
        *(i.n.cast(pl.Int64).alias(f"{i.name}__n") for i in registry),
    ]
    wide = works.group_by(by, maintain_order=True).agg(exprs) if by else works.select(exprs)
    if by and groups is not None:
        wide = groups.join(wide, on=by, how="left", maintain_order="left")
        counts = [c for c, t in wide.schema.items() if t.is_integer() and c != by]
        wide = wide.with_columns(pl.col(counts).fill_null(0))
    rows = []
    for group in wide.iter_rows(named=True):  # one row per candidate, a dozen at most
        for indicator in registry:
            n = group[f"{indicator.name}__n"] or 0
            if indicator.omit_when_empty and not n:
                continue
            value = group[indicator.name]
            if indicator.count_of_works:  # a group without works has 0 of them, not "unknown"
                value = value or 0.0
            rows.append(
                {
                    **({by: group[by]} if by else {}),
                    "name": indicator.name,
                    "label": indicator.label,
                    "group": indicator.group,
                    "value": value if n or indicator.count_of_works else None,
                    "n": n,
                    "coverage": _share(n, group[TOTAL]),
                    "note": indicator.note_for(group),
                }
            )
    schema: dict[str, pl.DataType | type[pl.DataType]] = {
        **({by: works.schema[by]} if by else {}),
        **INDICATOR_SCHEMA,
        "group": pl.String,
    }
    return pl.DataFrame(rows, schema=schema)
