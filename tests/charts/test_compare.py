from datetime import date

import pytest

from lib.views.compare import build_comparison
from lib.views.compare_figures import comparison_figures
from tests.views.compare_data import three_candidates


@pytest.fixture(scope="module")
def figures():
    works, candidates = three_candidates()
    return comparison_figures(build_comparison(works, candidates, today=date(2026, 11, 23)))


def traces_by_name(figure):
    return {trace.name: trace for trace in figure.data}


def test_distributions_do_not_plot_missing_values_and_say_how_many(figures):
    boxes = traces_by_name(figures["distribution_rcr"])
    no_data = next(t for name, t in boxes.items() if name.startswith("Cand C"))
    assert len(no_data.x) == 0
    assert "0 of 10 works (10 —)" in no_data.name
    assert all(v is not None for t in boxes.values() for v in t.x)


def test_candidates_appear_in_the_committee_order_top_to_bottom(figures):
    order = figures["distribution_citation_percentile"].layout.yaxis.categoryarray
    assert [label.split("<br>")[0] for label in order] == ["Cand C", "Dr B", "Dr A"]


def test_a_candidate_without_attention_data_is_labelled_not_drawn_as_zero(figures):
    composition = figures["composition"]
    labels = composition.layout.yaxis.categoryarray
    assert any("no attention data (—)" in label for label in labels)
    for trace in composition.data:
        assert all(
            share is None
            for share, y in zip(trace.x, trace.y, strict=True)
            if y.startswith("Cand C")
        )


def test_correlations_leave_out_candidates_with_too_few_works(figures):
    for trace in figures["correlations"].data:
        assert "Cand C" not in trace.y
        assert len(trace.error_x.array) == len(trace.x)


def test_every_chart_is_there(figures):
    assert list(figures) == [
        "distribution_citation_percentile",
        "distribution_rcr",
        "distribution_attention_percentile",
        "bins_citation_percentile",
        "bins_attention_percentile",
        "composition",
        "distribution_apt",
        "quadrants",
        "correlations",
    ]
