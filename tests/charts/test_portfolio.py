"""Portfolio chart builders: frames in, figures out; empty inputs give a message, not an error."""

import polars as pl

from lib import charts
from lib.metrics.triangulation import QUADRANTS
from lib.vocabulary import CATEGORY_COLOURS


def scored(n=4):
    return pl.DataFrame(
        {
            "key": [f"k{i}" for i in range(n)],
            "title": [f"Work {i}" for i in range(n)],
            "citations": [float(i) for i in range(n)],
            "attention_score": [float(i) * 2 for i in range(n)],
            "mendeley_readers": [None, 10.0, 100.0, 5.0][:n],
            "citations_percentile": [10.0, 60.0, 90.0, None][:n],
            "attention_score_percentile": [20.0, 30.0, 95.0, 50.0][:n],
            "quadrant": [
                QUADRANTS[(False, False)],
                QUADRANTS[(False, True)],
                QUADRANTS[(True, True)],
                "not placed",
            ][:n],
        }
    )


def test_triangulation_plots_placed_works_with_keys_for_selection():
    figure = charts.triangulation_figure(scored(), "2020 works in this cache (n = 9)", None)
    points = [p for trace in figure.data for p in trace.customdata]
    assert sorted(p[0] for p in points) == ["k0", "k1", "k2"]  # k3 lacks a citation percentile
    assert any(p[4] == "—" for p in points)  # readers missing shown as a dash
    assert "2020 works in this cache" in figure.layout.yaxis.title.text
    texts = {a.text for a in figure.layout.annotations}
    assert {QUADRANTS[(True, True)], QUADRANTS[(False, True)], QUADRANTS[(False, False)]} <= texts


def test_empty_inputs_give_a_message():
    empty = scored().clear()
    for figure in (
        charts.triangulation_figure(empty, None, None),
        charts.attention_composition_figure(pl.DataFrame(schema={"metric": pl.String})),
        charts.citations_per_year_figure(pl.DataFrame(schema={"year": pl.Int32}), "OpenAlex"),
        charts.attention_history_figure(
            pl.DataFrame(schema={"day": pl.Date, "metric": pl.String, "value": pl.Float64})
        ),
        charts.per_year_figure(pl.DataFrame(schema={"year": pl.Int32})),
        charts.citation_sources_figure(pl.DataFrame(schema={"label": pl.String})),
    ):
        assert figure.layout.annotations and not figure.data


def test_composition_uses_category_colours():
    composition = pl.DataFrame(
        {
            "metric": ["news_mentions", "x_posts"],
            "label": ["News", "X posts"],
            "category": ["mentions", "social"],
            "count": [3.0, 12.0],
            "works": [2, 1],
        }
    )
    figure = charts.attention_composition_figure(composition)
    colours = {t.name: t.marker.color for t in figure.data}
    assert colours["Mentions"] == CATEGORY_COLOURS["mentions"]
    assert colours["Social media"] == CATEGORY_COLOURS["social"]
    assert "not quality" in figure.layout.title.text


def test_percentile_bins_draw_one_icon_per_work():
    bins = pl.DataFrame(
        {"bin": ["Top 10%", "Not placed"], "works": [3, 1], "titles": [["a", "b", "c"], ["d"]]}
    )
    figure = charts.percentile_bins_figure(bins, "Citation percentile")
    assert sum(len(t.x) for t in figure.data) == 4


def test_citations_per_year_has_bars_and_cumulative():
    series = pl.DataFrame({"year": [2020, 2021], "citations": [0.0, 5.0], "cumulative": [0.0, 5.0]})
    figure = charts.citations_per_year_figure(series, "OpenAlex")
    assert [t.type for t in figure.data] == ["bar", "scatter"]
    assert list(figure.data[0].y) == [0.0, 5.0]


def test_the_triangulation_title_counts_the_works_it_cannot_place():
    import polars as pl

    from lib.charts.portfolio import ATTENTION_PCT, CITATIONS_PCT, triangulation_figure

    table = pl.DataFrame(
        {
            "key": ["a", "b", "c"],
            "title": ["A", "B", "C"],
            ATTENTION_PCT: [80.0, None, 20.0],
            CITATIONS_PCT: [70.0, 10.0, 30.0],
            "quadrant": [QUADRANTS[(True, True)], None, QUADRANTS[(False, False)]],
            "citations": [10.0, 1.0, 2.0],
            "attention_score": [5.0, None, 0.0],
            "mendeley_readers": [3.0, None, 1.0],
        }
    )
    title = triangulation_figure(table, "x", "y").layout.title.text
    assert "2 of 3 works plotted; 1 lack one of the percentiles" in title
