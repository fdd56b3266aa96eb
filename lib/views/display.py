"""Display frames: every missing cell reads "—" (st.dataframe would print "None"), counts read as
whole numbers and ratios to 2 decimals. Pure Polars; the numeric frames stay for sorting/export."""

from __future__ import annotations

import polars as pl

from lib.vocabulary import METRICS, MISSING

# Decimal places by the registry's kind of value: a count of citations is never "9.00".
DECIMALS = {"count": 0, "ratio": 2, "percentile": 1, "score": 1}


def number_text(value: pl.Expr, decimals: int) -> pl.Expr:
    """A number with thousands separators and fixed decimals, or "—" when missing."""
    rounded = value.cast(pl.Float64).round(decimals)
    whole = rounded.abs().floor().cast(pl.Int64)
    grouped = (
        whole.cast(pl.String)
        .str.reverse()
        .str.replace_all(r"(\d{3})", "$1,")
        .str.reverse()
        .str.strip_chars_start(",")
    )
    sign = pl.when(rounded < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    if decimals == 0:
        text = pl.concat_str([sign, grouped])
    else:
        fraction = ((rounded.abs() - rounded.abs().floor()) * 10**decimals).round(0).cast(pl.Int64)
        text = pl.concat_str(
            [sign, grouped, pl.lit("."), fraction.cast(pl.String).str.zfill(decimals)]
        )
    return pl.when(value.is_null() | value.is_nan()).then(pl.lit(MISSING)).otherwise(text)


def metric_value_text(metric: str | pl.Expr, value: str | pl.Expr) -> pl.Expr:
    """A metric's value as text with the decimals of its kind (unknown metrics: 2 decimals)."""
    metric_expr = pl.col(metric) if isinstance(metric, str) else metric
    value_expr = pl.col(value) if isinstance(value, str) else value
    decimals = metric_expr.replace_strict(
        {m: DECIMALS[spec.kind] for m, spec in METRICS.items()}, default=2, return_dtype=pl.Int8
    )
    return (
        pl.when(decimals == 0)
        .then(number_text(value_expr, 0))
        .when(decimals == 1)
        .then(number_text(value_expr, 1))
        .otherwise(number_text(value_expr, 2))
    )


def text_or_missing(column: str) -> pl.Expr:
    """Any column as text, "—" when null; integers without a decimal point."""
    col = pl.col(column)
    return col.cast(pl.String).fill_null(MISSING).alias(column)
