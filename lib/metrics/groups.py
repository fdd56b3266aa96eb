"""Group comparisons: 2-8 collections side by side, per metric, raw and stratified (pure Polars).

Input: one row per (group, work) with `group`, `key`, `year`, `field` and one Float64 column per
metric (null = no source supplied it). Output: frames a page, a report or a test can read.

The choices, and why:
- Counts of citations and attention are heavily skewed with many zeros, so means of raw counts are
  driven by a few works. We summarise each group by the median and by the mean of log(1 + x)
  (the log-mean of Thelwall's "geometric mean" indicators), with 95 % intervals: for the median the
  distribution-free order-statistic interval (binomial ranks), for the log-mean the normal interval
  (mean +/- 1.96 standard errors; n >= 10 makes this reasonable, smaller groups are flagged).
- Effect size: the ratio of geometric means of (1 + x), exp(mean log1p A - mean log1p B), with a
  Welch interval. It reads as "A's typical work has k times B's (1 + count)", keeps the scale of the
  metric and survives zeros. Beside it Cliff's delta (P(A > B) - P(A < B)), a rank effect size free
  of any transformation, computed from the same Mann-Whitney U.
- Test: Mann-Whitney U, two-sided, normal approximation with the tie correction (many tied zeros),
  no continuity correction; stratified: the van Elteren test (Mann-Whitney within strata, weights
  1 / (N_s + 1)), which compares works only with works of the same year (and field).
- Stratified estimate: per stratum the difference of log-means, weighted by n_a n_b / (n_a + n_b)
  over strata where both groups have >= 2 works with a value, so older works do not win by age.
- Missing is missing: a work no source gave a value is left out of that metric's n. The option
  `missing_as_zero` (as many published studies do) fills those with 0 and is stated in every output.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import polars as pl

Z95 = 1.959963984540054
MIN_RELIABLE_N = 10
MIN_GROUPS, MAX_GROUPS = 2, 8
STRATIFY_CHOICES = ("year", "field")
UNRELIABLE = "unreliable, n < 10"


@dataclass(frozen=True)
class GroupOptions:
    """How a comparison was made; every output prints these."""

    missing_as_zero: bool = False
    stratify_by: tuple[str, ...] = ("year", "field")

    def describe(self) -> str:
        missing = (
            "missing values treated as 0 (as many published studies do)"
            if self.missing_as_zero
            else "missing values left out (missing is not zero)"
        )
        strata = " and ".join(self.stratify_by) or "nothing"
        return f"{missing}; stratified by publication {strata}"


def long_values(frame: pl.DataFrame, metrics: Sequence[str], options: GroupOptions) -> pl.DataFrame:
    """(group, key, stratum, metric, value, log_value): one row per work and metric with a value."""
    strata = [pl.col(c).cast(pl.String).fill_null("unknown") for c in options.stratify_by]
    stratum = pl.concat_str(strata, separator=" · ") if strata else pl.lit("all")
    long = frame.select(
        "group", "key", stratum.alias("stratum"), *[pl.col(m).cast(pl.Float64) for m in metrics]
    ).unpivot(index=["group", "key", "stratum"], variable_name="metric", value_name="value")
    if options.missing_as_zero:
        long = long.with_columns(pl.col("value").fill_null(0.0))
    return long.drop_nulls("value").with_columns(log_value=pl.col("value").log1p())


def _median_rank(n: pl.Expr, sign: float) -> pl.Expr:
    """0-based rank of the order-statistic bound of a 95 % median interval."""
    rank = n / 2 + sign * Z95 * n.sqrt() / 2
    rank = rank.floor() - 1 if sign < 0 else rank.ceil()
    return rank.clip(0, n - 1).cast(pl.Int64)


def group_summaries(
    frame: pl.DataFrame,
    metrics: Sequence[str],
    options: GroupOptions,
    long: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Per group and metric: works, coverage, median and log-mean with 95 % intervals.

    `long` is `long_values(frame, metrics, options)` when the caller already has it.
    """
    sizes = frame.group_by("group").agg(n_works=pl.col("key").n_unique())
    covered = (
        frame.select("group", *[pl.col(m).is_not_null().alias(m) for m in metrics])
        .group_by("group")
        .agg(pl.col(m).sum() for m in metrics)
        .unpivot(index="group", variable_name="metric", value_name="n_with_value")
    )
    n = pl.len()
    stats = (
        (long if long is not None else long_values(frame, metrics, options))
        .group_by("group", "metric")
        .agg(
            n=n.cast(pl.Int64),
            median=pl.col("value").median(),
            median_low=pl.col("value").sort().get(_median_rank(n, -1.0)),
            median_high=pl.col("value").sort().get(_median_rank(n, 1.0)),
            mean_log=pl.col("log_value").mean(),
            se_log=pl.col("log_value").std() / n.sqrt(),
            mean=pl.col("value").mean(),
        )
    )
    return (
        covered.join(sizes, on="group")
        .join(stats, on=["group", "metric"], how="left")
        .with_columns(
            coverage=pl.col("n_with_value") / pl.col("n_works"),
            n=pl.col("n").fill_null(0),
            mean_log_low=pl.col("mean_log") - Z95 * pl.col("se_log"),
            mean_log_high=pl.col("mean_log") + Z95 * pl.col("se_log"),
        )
        .with_columns(
            geometric_mean=pl.col("mean_log").exp() - 1,
            unreliable=pl.col("n") < MIN_RELIABLE_N,
        )
    )


def tie_counts(pair: pl.DataFrame, a: str) -> pl.DataFrame:
    """metric, stratum, value, c_a, c_b: how many works of each group have each value.

    Everything below (ranks, U, ties, log-moments) is computed from this compressed table: counts
    have few distinct values and many ties, so it is far smaller than one row per work.
    """
    is_a = pl.col("group") == a
    return pair.group_by("metric", "stratum", "value").agg(
        c_a=is_a.sum().cast(pl.Float64), c_b=(~is_a).sum().cast(pl.Float64)
    )


def _rank_sums(counts: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    """Per `by`: n_a, n_b, U of group a, the tie term sum(t^3 - t), and log-moments per group."""
    tied = counts
    if "stratum" not in by:
        tied = counts.group_by(*by, "value").agg(pl.col("c_a").sum(), pl.col("c_b").sum())
    log = pl.col("value").log1p()
    ca, cb = pl.col("c_a"), pl.col("c_b")
    sums = (
        tied.sort(*by, "value")
        .with_columns(t=ca + cb)
        .with_columns(rank=pl.col("t").cum_sum().over(by) - pl.col("t") + (pl.col("t") + 1) / 2)
        .group_by(by)
        .agg(
            n_a=ca.sum(),
            n_b=cb.sum(),
            rank_sum_a=(ca * pl.col("rank")).sum(),
            ties=(pl.col("t") ** 3 - pl.col("t")).sum(),
            s_a=(ca * log).sum(),
            s_b=(cb * log).sum(),
            q_a=(ca * log * log).sum(),
            q_b=(cb * log * log).sum(),
        )
    )
    total = pl.col("n_a") + pl.col("n_b")

    def mean(side: str) -> pl.Expr:
        n = pl.col(f"n_{side}")
        return pl.when(n > 0).then(pl.col(f"s_{side}") / n)

    def var(side: str) -> pl.Expr:
        n = pl.col(f"n_{side}")
        centred = pl.col(f"q_{side}") - pl.col(f"s_{side}") ** 2 / n
        return pl.when(n > 1).then((centred / (n - 1)).clip(lower_bound=0.0))

    return sums.with_columns(
        mean_a=mean("a"),
        mean_b=mean("b"),
        var_a=var("a"),
        var_b=var("b"),
        u_a=pl.col("rank_sum_a") - pl.col("n_a") * (pl.col("n_a") + 1) / 2,
        u_var=pl.col("n_a")
        * pl.col("n_b")
        / 12
        * ((total + 1) - pl.col("ties") / (total * (total - 1))),
    )


def _raw_effects(counts: pl.DataFrame) -> pl.DataFrame:
    sums = _rank_sums(counts, ["metric"])
    diff = pl.col("mean_a") - pl.col("mean_b")
    se = (pl.col("var_a") / pl.col("n_a") + pl.col("var_b") / pl.col("n_b")).sqrt()
    return sums.select(
        "metric",
        n_a=pl.col("n_a").cast(pl.Int64),
        n_b=pl.col("n_b").cast(pl.Int64),
        ratio=diff.exp(),
        ratio_low=(diff - Z95 * se).exp(),
        ratio_high=(diff + Z95 * se).exp(),
        cliffs_delta=2 * pl.col("u_a") / (pl.col("n_a") * pl.col("n_b")) - 1,
        z_mann_whitney=(pl.col("u_a") - pl.col("n_a") * pl.col("n_b") / 2) / pl.col("u_var").sqrt(),
    )


def _stratified_effects(counts: pl.DataFrame) -> pl.DataFrame:
    sums = _rank_sums(counts, ["metric", "stratum"]).filter(
        (pl.col("n_a") >= 1) & (pl.col("n_b") >= 1)
    )
    total = pl.col("n_a") + pl.col("n_b")
    # van Elteren: each stratum's U weighted by 1 / (N_s + 1).
    w_rank = 1 / (total + 1)
    estimable = (pl.col("n_a") >= 2) & (pl.col("n_b") >= 2)
    weight = pl.when(estimable).then(pl.col("n_a") * pl.col("n_b") / total).otherwise(0.0)
    diff = (pl.col("mean_a") - pl.col("mean_b")).fill_null(0.0)
    var = (pl.col("var_a") / pl.col("n_a") + pl.col("var_b") / pl.col("n_b")).fill_null(0.0)
    agg = sums.group_by("metric").agg(
        strata=estimable.sum().cast(pl.Int64),
        strata_works=pl.when(estimable).then(total).otherwise(0.0).sum().cast(pl.Int64),
        w=weight.sum(),
        wd=(weight * diff).sum(),
        wv=(weight**2 * var).sum(),
        ve_t=(w_rank * (pl.col("u_a") - pl.col("n_a") * pl.col("n_b") / 2)).sum(),
        ve_v=(w_rank**2 * pl.col("u_var")).sum(),
    )
    estimate = pl.col("wd") / pl.col("w")
    se = pl.col("wv").sqrt() / pl.col("w")
    has = pl.col("w") > 0
    return agg.select(
        "metric",
        "strata",
        "strata_works",
        ratio_stratified=pl.when(has).then(estimate.exp()),
        ratio_stratified_low=pl.when(has).then((estimate - Z95 * se).exp()),
        ratio_stratified_high=pl.when(has).then((estimate + Z95 * se).exp()),
        z_van_elteren=pl.when(pl.col("ve_v") > 0).then(pl.col("ve_t") / pl.col("ve_v").sqrt()),
    )


def two_sided_p(z: float | None) -> float | None:
    """Two-sided normal p-value of a z statistic."""
    if z is None or math.isnan(z):
        return None
    return math.erfc(abs(z) / math.sqrt(2))


def pairwise_effects(
    frame: pl.DataFrame,
    metrics: Sequence[str],
    groups: Sequence[str],
    options: GroupOptions,
    long: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """For each pair (A, B) in the groups' order and each metric: effect sizes and tests."""
    long = long if long is not None else long_values(frame, metrics, options)
    parts = []
    for a, b in combinations(groups, 2):
        pair = long.filter(pl.col("group").is_in([a, b]))
        both = pair.group_by("metric").agg(groups=pl.col("group").n_unique())
        pair = pair.join(both.filter(pl.col("groups") == 2).select("metric"), on="metric")
        if pair.is_empty():
            continue
        counts = tie_counts(pair, a)
        raw = _raw_effects(counts)
        stratified = _stratified_effects(counts)
        parts.append(
            raw.join(stratified, on="metric", how="left").with_columns(
                group_a=pl.lit(a), group_b=pl.lit(b)
            )
        )
    if not parts:
        return pl.DataFrame(schema=_EFFECT_SCHEMA)
    effects = pl.concat(parts, how="vertical_relaxed")
    return effects.with_columns(
        p_mann_whitney=pl.col("z_mann_whitney").map_elements(two_sided_p, return_dtype=pl.Float64),
        p_van_elteren=pl.col("z_van_elteren").map_elements(two_sided_p, return_dtype=pl.Float64),
        unreliable=(pl.col("n_a") < MIN_RELIABLE_N) | (pl.col("n_b") < MIN_RELIABLE_N),
    ).select(list(_EFFECT_SCHEMA))


_EFFECT_SCHEMA: dict[str, type[pl.DataType]] = {
    "group_a": pl.String,
    "group_b": pl.String,
    "metric": pl.String,
    "n_a": pl.Int64,
    "n_b": pl.Int64,
    "ratio": pl.Float64,
    "ratio_low": pl.Float64,
    "ratio_high": pl.Float64,
    "cliffs_delta": pl.Float64,
    "p_mann_whitney": pl.Float64,
    "ratio_stratified": pl.Float64,
    "ratio_stratified_low": pl.Float64,
    "ratio_stratified_high": pl.Float64,
    "p_van_elteren": pl.Float64,
    "strata": pl.Int64,
    "strata_works": pl.Int64,
    "unreliable": pl.Boolean,
}

TEST_NAMES = {
    "effect": "ratio of geometric means of (1 + x), 95 % Welch interval on log(1 + x)",
    "rank_effect": "Cliff's delta, P(A > B) - P(A < B)",
    "test": "Mann-Whitney U, two-sided, normal approximation with tie correction",
    "stratified_effect": "ratio of geometric means within strata, weighted n_a n_b / (n_a + n_b)",
    "stratified_test": "van Elteren (stratified Mann-Whitney), two-sided",
}
