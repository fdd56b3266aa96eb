"""Group comparison statistics against scipy (a dev dependency) and by their properties."""

import math

import numpy as np
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from lib.metrics.groups import GroupOptions, group_summaries, pairwise_effects


def frame_of(a, b, years_a=None, years_b=None, field=None):
    n_a, n_b = len(a), len(b)
    return pl.DataFrame(
        {
            "group": ["A"] * n_a + ["B"] * n_b,
            "key": [f"k{i}" for i in range(n_a + n_b)],
            "year": list(years_a or [2010] * n_a) + list(years_b or [2010] * n_b),
            "field": [field] * (n_a + n_b),
            "m": list(a) + list(b),
        },
        schema_overrides={"m": pl.Float64, "field": pl.String},
    )


def effects(frame, options=None):
    return pairwise_effects(frame, ["m"], ["A", "B"], options or GroupOptions()).row(0, named=True)


def test_mann_whitney_and_cliffs_delta_match_scipy_with_ties():
    rng = np.random.default_rng(3)
    a = rng.negative_binomial(1, 0.2, 300).astype(float)
    b = rng.negative_binomial(1, 0.3, 200).astype(float)
    row = effects(frame_of(a, b))
    expected = stats.mannwhitneyu(a, b, method="asymptotic", use_continuity=False)
    assert row["p_mann_whitney"] == pytest.approx(expected.pvalue, rel=1e-9)
    assert row["cliffs_delta"] == pytest.approx(2 * expected.statistic / (300 * 200) - 1)
    assert row["ratio"] == pytest.approx(math.exp(np.log1p(a).mean() - np.log1p(b).mean()))


def test_van_elteren_equals_mann_whitney_with_one_stratum():
    rng = np.random.default_rng(4)
    a, b = rng.poisson(3, 50).astype(float), rng.poisson(2, 40).astype(float)
    row = effects(frame_of(a, b))
    assert row["p_van_elteren"] == pytest.approx(row["p_mann_whitney"], rel=1e-9)
    assert row["ratio_stratified"] == pytest.approx(row["ratio"], rel=1e-9)


def test_stratifying_by_year_removes_an_age_advantage():
    """A has older works; within each year the groups are alike, so the stratified ratio is ~1."""
    rng = np.random.default_rng(5)
    old = rng.poisson(20, 400).astype(float)
    new = rng.poisson(2, 400).astype(float)
    a = np.concatenate([old[:300], new[:100]])
    b = np.concatenate([old[300:], new[100:]])
    years_a = [2000] * 300 + [2020] * 100
    years_b = [2000] * 100 + [2020] * 300
    row = effects(frame_of(a, b, years_a, years_b), GroupOptions(stratify_by=("year",)))
    assert row["ratio"] > 2
    assert row["ratio_stratified_low"] < 1 < row["ratio_stratified_high"]
    assert row["p_van_elteren"] > 0.01
    assert row["strata"] == 2


def test_missing_is_left_out_unless_the_choice_says_zero():
    a = [1.0, 2.0, None, None] * 5
    b = [1.0, 2.0, 3.0, 4.0] * 5
    frame = frame_of(a, b)
    left_out = group_summaries(frame, ["m"], GroupOptions()).filter(pl.col("group") == "A")
    as_zero = group_summaries(frame, ["m"], GroupOptions(missing_as_zero=True)).filter(
        pl.col("group") == "A"
    )
    assert left_out["n"][0] == 10 and left_out["coverage"][0] == pytest.approx(0.5)
    assert as_zero["n"][0] == 20 and as_zero["coverage"][0] == pytest.approx(0.5)
    assert as_zero["median"][0] < left_out["median"][0]
    assert "treated as 0" in GroupOptions(missing_as_zero=True).describe()


def test_small_groups_are_flagged_unreliable():
    row = effects(frame_of([1.0, 2.0, 3.0], [4.0] * 12))
    assert row["unreliable"]
    summary = group_summaries(frame_of([1.0, 2.0, 3.0], [4.0] * 12), ["m"], GroupOptions())
    assert summary.filter(pl.col("group") == "A")["unreliable"][0]
    assert not summary.filter(pl.col("group") == "B")["unreliable"][0]


def test_median_interval_brackets_the_median():
    rng = np.random.default_rng(6)
    summary = group_summaries(
        frame_of(rng.poisson(5, 200), rng.poisson(5, 50)), ["m"], GroupOptions()
    )
    for r in summary.iter_rows(named=True):
        assert r["median_low"] <= r["median"] <= r["median_high"]
        assert r["mean_log_low"] < r["mean_log"] < r["mean_log_high"]


counts = st.lists(st.integers(0, 50).map(float), min_size=2, max_size=40)


@given(counts, counts)
def test_swapping_the_groups_inverts_the_effects(a, b):
    forward = effects(frame_of(a, b))
    backward = pairwise_effects(frame_of(a, b), ["m"], ["B", "A"], GroupOptions()).row(
        0, named=True
    )
    assert forward["ratio"] * backward["ratio"] == pytest.approx(1.0)
    assert forward["cliffs_delta"] == pytest.approx(-backward["cliffs_delta"], abs=1e-12)
    assert -1 <= forward["cliffs_delta"] <= 1
    p = forward["p_mann_whitney"]
    assert p is None or 0 <= p <= 1
