"""Citation indices as Polars aggregations (h, g, i10) and Hirsch's m. A work without a count is
left out, never counted as 0; an index with no counted work is null."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import polars as pl

from lib.scalars import to_optional_int


def h_index_expr(citations: pl.Expr | str) -> pl.Expr:
    """Largest h with h works cited at least h times each (nulls left out; null when none)."""
    ranked = _ranked(citations)
    return pl.when(ranked.len() > 0).then(
        (ranked >= pl.int_range(1, ranked.len() + 1)).sum().cast(pl.Int64)
    )


def g_index_expr(citations: pl.Expr | str) -> pl.Expr:
    """Largest g (at most the number of works) whose top g works have at least g² citations."""
    ranked = _ranked(citations)
    rank = pl.int_range(1, ranked.len() + 1)
    return pl.when(ranked.len() > 0).then((ranked.cum_sum() >= rank * rank).sum().cast(pl.Int64))


def i10_index_expr(citations: pl.Expr | str) -> pl.Expr:
    """Works cited at least 10 times (null when no work has a count)."""
    values = pl.col(citations) if isinstance(citations, str) else citations
    return pl.when(values.count() > 0).then((values >= 10).sum().cast(pl.Int64))


def _ranked(citations: pl.Expr | str) -> pl.Expr:
    values = pl.col(citations) if isinstance(citations, str) else citations
    return values.drop_nulls().sort(descending=True)


def _index(series: pl.Series, expr_of: Callable[[pl.Expr], pl.Expr]) -> int | None:
    # The index expressions cast to Int64, so the one value is an int or null.
    return to_optional_int(pl.select(expr_of(pl.lit(series.cast(pl.Float64)))).item())


def h_index(citations: pl.Series) -> int | None:
    """h-index of a series of citation counts."""
    return _index(citations, h_index_expr)


def g_index(citations: pl.Series) -> int | None:
    """g-index of a series of citation counts."""
    return _index(citations, g_index_expr)


def i10_index(citations: pl.Series) -> int | None:
    """i10-index of a series of citation counts."""
    return _index(citations, i10_index_expr)


def career_years(career_start: int, today: date) -> int:
    """Years since the career start, counting the start year (at least 1)."""
    return max(today.year - career_start + 1, 1)


def m_quotient(h: int | None, career_start: int | None, today: date) -> float | None:
    """Hirsch's m: h divided by career years."""
    if h is None or career_start is None:
        return None
    return h / career_years(career_start, today)
