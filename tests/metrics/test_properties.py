"""Properties of the metrics engine: monotone h, bounded percentiles, missing never zero."""

from datetime import date

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.metrics import (
    ATTENTION_INPUTS,
    g_index,
    h_index,
    percentiles_in_reference,
    portfolio_indicators,
    with_attention_score,
)
from lib.vocabulary import METRIC_NAMES

counts = st.lists(st.integers(min_value=0, max_value=500), max_size=60)
maybe_counts = st.lists(
    st.one_of(st.none(), st.integers(min_value=0, max_value=50)), min_size=1, max_size=40
)


@given(counts)
def test_adding_an_uncited_work_never_raises_h(values):
    before = h_index(pl.Series(values, dtype=pl.Float64)) or 0
    assert (h_index(pl.Series([*values, 0], dtype=pl.Float64)) or 0) <= before


@given(counts, st.integers(min_value=0, max_value=500))
def test_h_never_exceeds_g_nor_the_number_of_works(values, extra):
    series = pl.Series([*values, extra], dtype=pl.Float64)
    h, g = h_index(series), g_index(series)
    assert h <= g <= series.len()


@given(
    st.lists(
        st.tuples(st.sampled_from([2019, 2020, None]), st.one_of(st.none(), st.floats(0, 1e6))),
        min_size=1,
        max_size=80,
    )
)
@settings(max_examples=60)
def test_percentiles_stay_within_0_and_100(rows):
    frame = pl.DataFrame(
        {
            "key": [str(i) for i in range(len(rows))],
            "year": [r[0] for r in rows],
            "m": [r[1] for r in rows],
        },
        schema={"key": pl.String, "year": pl.Int64, "m": pl.Float64},
    )
    got = percentiles_in_reference(frame, frame, "m")
    values = got["m_percentile"]
    assert ((values.drop_nulls() > 0) & (values.drop_nulls() < 100)).all()
    # missing value or cohort -> missing percentile, never 0
    missing = frame.select(pl.col("m").is_null() | pl.col("year").is_null())["m"]
    assert values.filter(missing).null_count() == missing.sum()


@given(maybe_counts)
@settings(max_examples=60)
def test_attention_score_is_null_exactly_when_no_attention_was_supplied(x_posts):
    frame = pl.DataFrame({"x_posts": x_posts}, schema={"x_posts": pl.Float64})
    scores = with_attention_score(frame)["attention_score"]
    assert scores.is_null().to_list() == [v is None for v in x_posts]
    assert (scores.drop_nulls() >= 0).all()


@given(st.lists(st.one_of(st.none(), st.integers(0, 40)), min_size=1, max_size=30))
@settings(max_examples=40, deadline=None)
def test_missing_never_becomes_zero_in_portfolio_indicators(citations):
    frame = pl.DataFrame({"key": [str(i) for i in range(len(citations))], "year": 2015})
    frame = frame.with_columns(
        pl.lit(None, dtype=pl.Float64).alias(m) for m in METRIC_NAMES
    ).with_columns(citations_openalex=pl.Series(citations, dtype=pl.Float64))
    got = portfolio_indicators(frame, career_start=2010, today=date(2026, 1, 1))
    rows = {r["name"]: r for r in got.iter_rows(named=True)}
    present = [c for c in citations if c is not None]
    assert rows["h_index"]["n"] == len(present)
    if not present:
        assert rows["h_index"]["value"] is None and rows["citations_total"]["value"] is None
    # nothing about attention, RCR or FWCI was supplied: those stay null, never 0
    for name in ("attention_total", "attention_median", "rcr_median", "fwci_median", "top10_share"):
        assert rows[name]["value"] is None and rows[name]["n"] == 0
    assert all(m in frame.columns for m in ATTENTION_INPUTS)
