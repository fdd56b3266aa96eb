"""Triangulation: rank correlations with bootstrap intervals, quadrants, and the age caveat.

Correlations use only works that have both values (missing is never 0). Spearman's rho is the
Pearson correlation of average ranks (ties at mid-rank, as scipy.stats.spearmanr). The interval is
a percentile bootstrap over works, vectorised with numpy and drawn in chunks to bound memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING, TypeAlias

import numpy as np
import polars as pl

from lib.scalars import to_float, to_int

# The quadrants' labels, split and definition are vocabulary: charts name them too.
from lib.vocabulary import (
    ATTENTION_PERCENTILE as ATTENTION_PERCENTILE,
)
from lib.vocabulary import (
    CITATIONS_PERCENTILE as CITATIONS_PERCENTILE,
)
from lib.vocabulary import (
    QUADRANT_DEFINITION as QUADRANT_DEFINITION,
)
from lib.vocabulary import QUADRANT_SPLIT as QUADRANT_SPLIT
from lib.vocabulary import QUADRANTS as QUADRANTS

if TYPE_CHECKING:  # the classes of a when/then chain; Polars exports only `When`
    from polars.expr.whenthen import ChainedThen, Then

# One measure's values per work: a column, an array or a plain list (None or NaN: missing).
Values: TypeAlias = pl.Series | np.ndarray | Sequence[float | None]

AGE_SPAN_YEARS = 5  # a wider span of publication years triggers the age caveat
_CHUNK_CELLS = 4_000_000  # bootstrap resamples x works held in memory at once


@dataclass(frozen=True)
class SpearmanResult:
    """Spearman's rho with a bootstrap interval, over the n works having both values."""

    rho: float | None
    lo: float | None
    hi: float | None
    n: int


@dataclass(frozen=True)
class StratifiedResult:
    """Raw and within-year Spearman correlation of two measures, with the per-year detail."""

    raw: SpearmanResult
    stratified_rho: float | None
    n: int
    years: int
    per_year: pl.DataFrame


def _pairs(x: Values, y: Values) -> tuple[np.ndarray, np.ndarray]:
    frame = pl.DataFrame({"x": pl.Series(x, dtype=pl.Float64), "y": pl.Series(y, dtype=pl.Float64)})
    both = frame.fill_nan(None).drop_nulls()
    return both["x"].to_numpy(), both["y"].to_numpy()


def _row_ranks(codes: np.ndarray, levels: int) -> np.ndarray:
    """Average ranks of each row of integer codes (0..levels-1, ordered like the values)."""
    rows = codes.shape[0]
    flat = codes + (np.arange(rows)[:, None] * levels)
    counts = np.bincount(flat.ravel(), minlength=rows * levels).reshape(rows, levels)
    below = np.cumsum(counts, axis=1) - counts
    mid = below + (counts + 1) / 2.0
    return np.take_along_axis(mid, codes, axis=1)


def _row_pearson(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a - a.mean(axis=1, keepdims=True)
    b = b - b.mean(axis=1, keepdims=True)
    denominator = np.sqrt((a * a).sum(axis=1) * (b * b).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        rho: np.ndarray = (a * b).sum(axis=1) / denominator
    return rho


def _rho(x: np.ndarray, y: np.ndarray) -> float | None:
    x_codes = np.unique(x, return_inverse=True)[1][None, :]
    y_codes = np.unique(y, return_inverse=True)[1][None, :]
    value = _row_pearson(
        _row_ranks(x_codes, int(x_codes.max()) + 1), _row_ranks(y_codes, int(y_codes.max()) + 1)
    )[0]
    return None if np.isnan(value) else float(value)


def spearman_ci(
    x: Values, y: Values, *, n_boot: int = 1000, seed: int = 0, confidence: float = 0.95
) -> SpearmanResult:
    """Spearman's rho, its percentile-bootstrap interval and n, on pairs where both are present."""
    xs, ys = _pairs(x, y)
    n = len(xs)
    rho = _rho(xs, ys) if n >= 3 else None
    if rho is None or n_boot <= 0:
        return SpearmanResult(rho, None, None, n)
    x_values, x_codes = np.unique(xs, return_inverse=True)
    y_values, y_codes = np.unique(ys, return_inverse=True)
    rng = np.random.default_rng(seed)
    chunk = max(1, _CHUNK_CELLS // max(n, len(x_values), len(y_values)))
    draws = []
    for start in range(0, n_boot, chunk):
        picks = rng.integers(0, n, size=(min(chunk, n_boot - start), n))
        draws.append(
            _row_pearson(
                _row_ranks(x_codes[picks], len(x_values)),
                _row_ranks(y_codes[picks], len(y_values)),
            )
        )
    boots = np.concatenate(draws)
    boots = boots[~np.isnan(boots)]
    tail = (1 - confidence) / 2 * 100
    lo, hi = np.percentile(boots, [tail, 100 - tail]) if len(boots) else (np.nan, np.nan)
    return SpearmanResult(rho, float(lo), float(hi), n)


def triangulation_matrix(
    works: pl.DataFrame, columns: Sequence[str], *, n_boot: int = 1000, seed: int = 0
) -> pl.DataFrame:
    """One row per pair of columns: x, y, rho, lo, hi, n (works with both values)."""
    rows = []
    for x, y in combinations(columns, 2):
        result = spearman_ci(works[x], works[y], n_boot=n_boot, seed=seed)
        rows.append({"x": x, "y": y, **result.__dict__})
    return pl.DataFrame(
        rows,
        schema={
            "x": pl.String,
            "y": pl.String,
            "rho": pl.Float64,
            "lo": pl.Float64,
            "hi": pl.Float64,
            "n": pl.Int64,
        },
    )


def quadrants(
    works: pl.DataFrame,
    attention_pct_col: str,
    citation_pct_col: str,
    *,
    attention_threshold: float = QUADRANT_SPLIT,
    citation_threshold: float = QUADRANT_SPLIT,
) -> pl.DataFrame:
    """The works with `quadrant`: high means a percentile at or above the threshold; null if either is missing."""
    discussed = pl.col(attention_pct_col) >= attention_threshold
    cited = pl.col(citation_pct_col) >= citation_threshold
    label: Then | ChainedThen = pl.when(discussed.is_null() | cited.is_null()).then(None)
    for (is_discussed, is_cited), text in QUADRANTS.items():
        label = label.when((discussed == is_discussed) & (cited == is_cited)).then(pl.lit(text))
    return works.with_columns(label.otherwise(None).alias("quadrant"))


def year_stratified_spearman(
    works: pl.DataFrame,
    x: str,
    y: str,
    *,
    year_col: str = "year",
    min_per_year: int = 10,
    n_boot: int = 1000,
    seed: int = 0,
) -> StratifiedResult:
    """Raw Spearman, and the within-year one: per-year rho averaged with weights n - 3.

    Weighting by n - 3 (the inverse variance of Fisher's z) lets big years count more; years with
    fewer than `min_per_year` works with both values are left out of the stratified figure.
    """
    both = works.select(year_col, x, y).fill_nan(None).drop_nulls()
    raw = spearman_ci(both[x], both[y], n_boot=n_boot, seed=seed)
    per_year = (
        both.group_by(year_col)
        .agg(n=pl.len(), rho=pl.corr(x, y, method="spearman"))
        .sort(year_col)
        .with_columns(pl.col("rho").fill_nan(None))
    )
    usable = per_year.filter((pl.col("n") >= max(min_per_year, 4)) & pl.col("rho").is_not_null())
    weights = usable["n"].cast(pl.Float64) - 3
    stratified = (
        to_float((usable["rho"] * weights).sum()) / to_float(weights.sum())
        if usable.height
        else None
    )
    return StratifiedResult(raw, stratified, int(usable["n"].sum()), usable.height, per_year)


def age_caveat(works: pl.DataFrame, *, year_col: str = "year") -> str | None:
    """A plain-language warning when publication years span widely, else None."""
    years = works[year_col].drop_nulls() if year_col in works.columns else pl.Series([])
    if years.len() == 0:
        return None
    first, last = to_int(years.min()), to_int(years.max())
    if last - first + 1 <= AGE_SPAN_YEARS:
        return None
    return (
        f"These works were published over {last - first + 1} years ({first}–{last}). Older works "
        "have had more time to be cited, and attention sources such as X were used differently "
        "in different years, so a correlation across all of them can reflect age rather than "
        "any link between attention and citations. Compare within a publication year: see the "
        "year-stratified correlation and the cohort percentiles."
    )
