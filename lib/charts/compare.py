"""Committee comparison charts: one row per candidate, in the committee's order, never sorted.

Missing values are not plotted (never drawn as 0); each candidate's axis label states how many
works the chart rests on and how many lack the value.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
import polars as pl

from lib.charts.palette import LEGEND_BELOW, QUADRANT_COLOURS, series_colour, series_pattern
from lib.vocabulary import METRICS, MISSING

MEASURE_LABELS = {
    "citation_percentile": "Citation percentile (OpenAlex, field, year and type; 0-100)",
    "rcr": "Relative Citation Ratio (NIH iCite; 1.0 = NIH median)",
    "attention_percentile": "Attention percentile (open score, same-year works in the cache)",
    "apt": "Approximate Potential to Translate (NIH iCite)",
}
BIN_COLOURS = ("#d9d9d9", "#bdbdbd", "#9ecae1", "#6baed6", "#2171b5", "#08306b")
_MARGIN = {"l": 10, "r": 10, "t": 60, "b": 40}
# Candidate labels are long ("Ada Example (clinical)<br>38 of 40 works"): the axis makes room.
_Y_AUTOMARGIN = {"automargin": True}


def _candidates_top_down(
    axis: dict[str, str], candidates: Sequence[tuple[str, str]]
) -> dict[str, str | bool | list[str]]:
    """A y axis listing candidates in the committee's order, first at the top."""
    return {
        "categoryorder": "array",
        "categoryarray": [axis[n] for n, _ in reversed(candidates)],
        **_Y_AUTOMARGIN,
    }


def _height(candidates: int) -> int:
    return 230 + 46 * max(candidates, 1)


def _axis_labels(missing: pl.DataFrame, measure: str, labels: dict[str, str]) -> dict[str, str]:
    """'Dr A · 38 of 40 (2 —)' per candidate for one measure."""
    rows = missing.filter(pl.col("measure") == measure).iter_rows(named=True)
    return {
        r["candidate"]: f"{labels[r['candidate']]}<br>{r['with_value']:,} of {r['works']:,} works"
        + (f" ({r['missing']:,} {MISSING})" if r["missing"] else "")
        for r in rows
    }


def compare_distribution_figure(
    distributions: pl.DataFrame,
    missing: pl.DataFrame,
    measure: str,
    candidates: Sequence[tuple[str, str]],
) -> go.Figure:
    """Box plus every work as a point, per candidate (name, label); missing values left out and counted."""
    labels = dict(candidates)
    axis = _axis_labels(missing, measure, labels)
    figure = go.Figure()
    for name, _ in reversed(candidates):
        values = distributions.filter(
            (pl.col("candidate") == name) & (pl.col("measure") == measure)
        )["value"]
        figure.add_box(
            x=values.to_list(),
            y=[axis.get(name, labels[name])] * values.len(),
            name=axis.get(name, labels[name]),
            orientation="h",
            boxpoints="all",
            jitter=0.4,
            pointpos=0,
            marker={"size": 4, "opacity": 0.55, "color": "#2F7FD1"},
            line={"color": "#08306b"},
            fillcolor="rgba(47,127,209,0.12)",
            showlegend=False,
            hovertemplate="%{x:.2f}<extra></extra>",
        )
    xaxis: dict[str, str | list[int]] = {"title": MEASURE_LABELS.get(measure, measure)}
    if measure.endswith("percentile"):
        xaxis["range"] = [0, 100]
    figure.update_layout(
        title=MEASURE_LABELS.get(measure, measure),
        height=_height(len(candidates)),
        margin=_MARGIN,
        xaxis=xaxis,
        yaxis={
            "categoryorder": "array",
            "categoryarray": [axis.get(n, labels[n]) for n, _ in reversed(candidates)],
            **_Y_AUTOMARGIN,
        },
    )
    return figure


def compare_bins_figure(
    bins: pl.DataFrame, measure: str, candidates: Sequence[tuple[str, str]]
) -> go.Figure:
    """100% stacked bars: share of each candidate's works (with a percentile) in each bin."""
    labels = dict(candidates)
    frame = bins.filter(pl.col("measure") == measure)
    totals = (
        frame.unique("candidate").select("candidate", "placed", "missing").iter_rows(named=True)
    )
    axis = {
        r["candidate"]: f"{labels.get(r['candidate'], r['candidate'])}<br>{r['placed']:,} placed"
        + (f" ({r['missing']:,} {MISSING})" if r["missing"] else "")
        for r in totals
    }
    order = [axis.get(n, labels[n]) for n, _ in reversed(candidates)]
    figure = go.Figure()
    for colour, label in zip(BIN_COLOURS, frame["bin"].unique(maintain_order=True), strict=False):
        part = frame.filter(pl.col("bin") == label)
        figure.add_bar(
            x=part["share"].to_list(),
            y=[axis.get(c, c) for c in part["candidate"]],
            customdata=part["works"].to_list(),
            name=label,
            orientation="h",
            marker_color=colour,
            hovertemplate="%{y}: %{x:.0f}% (%{customdata} works) in " + label + "<extra></extra>",
        )
    figure.update_layout(
        barmode="stack",
        title=f"Percentile bins: {MEASURE_LABELS.get(measure, measure)}",
        height=_height(len(candidates)),
        margin=_MARGIN,
        legend=LEGEND_BELOW,
        xaxis={"title": "share of works with a percentile (%)", "range": [0, 100]},
        yaxis={"categoryorder": "array", "categoryarray": order, **_Y_AUTOMARGIN},
    )
    return figure


def compare_composition_figure(
    composition: pl.DataFrame, candidates: Sequence[tuple[str, str]]
) -> go.Figure:
    """100% stacked bars: where each candidate's open attention score comes from, per source.

    Candidates without any attention data get no bar and say so (—), rather than an empty 0.
    """
    labels = dict(candidates)
    has_data = set(composition.filter(pl.col("total") > 0)["candidate"].unique().to_list())
    axis = {
        n: labels[n] + ("" if n in has_data else f"<br>no attention data ({MISSING})")
        for n, _ in candidates
    }
    figure = go.Figure()
    metrics = composition.filter(pl.col("total") > 0)["metric"].unique(maintain_order=True)
    for index, metric in enumerate(metrics):
        part = composition.filter(pl.col("metric") == metric)
        figure.add_bar(
            x=part["share"].to_list(),
            y=[axis[c] for c in part["candidate"]],
            customdata=part.select("total", "works_with_data").rows(),
            name=METRICS[metric].label,
            orientation="h",
            marker={
                "color": series_colour(index),
                "pattern": {"shape": series_pattern(index), "fgcolor": "white", "solidity": 0.3},
                "line": {"color": "white", "width": 1},
            },
            hovertemplate="%{y}: %{x:.0f}% of the score (%{customdata[0]:,.1f} points, "
            "%{customdata[1]} works)<extra>" + METRICS[metric].label + "</extra>",
        )
    figure.update_layout(
        barmode="stack",
        title="Where the open attention score comes from (share per source; attention is not quality)",
        height=_height(len(candidates)) + 30,
        margin=_MARGIN,
        legend=LEGEND_BELOW,
        xaxis={"title": "share of the candidate's open attention score (%)", "range": [0, 100]},
        yaxis=_candidates_top_down(axis, candidates),
    )
    return figure


def compare_quadrant_figure(
    quadrant_counts: pl.DataFrame, candidates: Sequence[tuple[str, str]]
) -> go.Figure:
    """Stacked bars of works per quadrant; works missing either percentile are counted in the label."""
    labels = dict(candidates)
    unplaced = dict(
        quadrant_counts.filter(pl.col("quadrant").is_null())
        .select("candidate", "works")
        .iter_rows()
    )
    axis = {
        n: labels[n] + (f"<br>{unplaced[n]:,} {MISSING}" if unplaced.get(n) else "")
        for n, _ in candidates
    }
    figure = go.Figure()
    for quadrant, colour in QUADRANT_COLOURS.items():
        part = quadrant_counts.filter(pl.col("quadrant") == quadrant)
        figure.add_bar(
            x=part["works"].to_list(),
            y=[axis[c] for c in part["candidate"]],
            name=quadrant,
            orientation="h",
            marker_color=colour,
            hovertemplate="%{y}: %{x} works " + quadrant + "<extra></extra>",
        )
    figure.update_layout(
        barmode="stack",
        title="Quadrants: attention and citation percentile, each split at the reference median",
        height=_height(len(candidates)),
        margin=_MARGIN,
        legend=LEGEND_BELOW,
        xaxis={"title": "works with both percentiles"},
        yaxis=_candidates_top_down(axis, candidates),
    )
    return figure


def compare_correlation_figure(
    correlations: pl.DataFrame, candidates: Sequence[tuple[str, str]]
) -> go.Figure:
    """Spearman rho with its 95% bootstrap interval per candidate and pair; no point where n < 3."""
    labels = dict(candidates)
    figure = go.Figure()
    symbols = ("circle", "diamond", "square", "triangle-up")
    for index, pair in enumerate(correlations["pair"].unique(maintain_order=True)):
        part = correlations.filter((pl.col("pair") == pair) & pl.col("rho").is_not_null())
        colour = series_colour(index)
        figure.add_scatter(
            x=part["rho"].to_list(),
            y=[f"{labels[c]}" for c in part["candidate"]],
            error_x={
                "type": "data",
                "symmetric": False,
                "array": (part["hi"] - part["rho"]).to_list(),
                "arrayminus": (part["rho"] - part["lo"]).to_list(),
                "color": colour,
            },
            marker={"color": colour, "size": 9, "symbol": symbols[index % len(symbols)]},
            customdata=part["n"].to_list(),
            mode="markers",
            name=pair,
            hovertemplate="%{y}: rho %{x:.2f} (n %{customdata})<extra></extra>",
        )
    figure.update_layout(
        title="Spearman correlation with 95% bootstrap interval (works with both values)",
        height=_height(len(candidates)),
        margin=_MARGIN,
        legend=LEGEND_BELOW,
        xaxis={"title": "Spearman's rho", "range": [-1, 1], "zeroline": True},
        yaxis={
            "categoryorder": "array",
            "categoryarray": [labels[n] for n, _ in reversed(candidates)],
            **_Y_AUTOMARGIN,
        },
    )
    return figure
