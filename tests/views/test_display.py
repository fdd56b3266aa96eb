"""Issue 15.5: counts were shown as decimals ("9.00 citations") and missing cells as "None"."""

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from lib.views.display import metric_value_text, number_text
from lib.vocabulary import METRICS, MISSING

COUNTS = [m for m, spec in METRICS.items() if spec.kind == "count"]


def test_values_read_by_their_kind_and_missing_is_a_dash():
    frame = pl.DataFrame(
        {
            "metric": ["citations_openalex", "mendeley_readers", "rcr", "nih_percentile", "rcr"],
            "value": [9.0, 27.0, 6.300000000000001, 85.25, None],
        }
    )
    got = frame.select(metric_value_text("metric", "value")).to_series().to_list()
    assert got == ["9", "27", "6.30", "85.2", MISSING]


@given(
    metric=st.sampled_from(COUNTS),
    value=st.floats(min_value=0, max_value=1e9, allow_nan=False),
)
def test_a_count_never_shows_a_decimal_point(metric, value):
    frame = pl.DataFrame({"metric": [metric], "value": [value]})
    text = frame.select(metric_value_text("metric", "value")).item()
    assert "." not in text
    assert int(text.replace(",", "")) == round(value)


@given(st.floats(min_value=-1e7, max_value=1e7, allow_nan=False))
def test_number_text_matches_python_formatting(value):
    text = pl.DataFrame({"v": [value]}).select(number_text(pl.col("v"), 2)).item()
    expected = {f"{round(value, 2):,.2f}", f"{value:,.2f}"}
    assert text in expected | {e.removeprefix("-") for e in expected if e.strip("-0.,") == ""}
