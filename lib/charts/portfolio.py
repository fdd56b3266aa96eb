"""Portfolio and Article charts: composition, citations per year, triangulation, percentile bins."""

from __future__ import annotations

import math

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from lib.charts.palette import COUNT_AXIS, LEGEND_BELOW, QUADRANT_COLOURS, series_colour
from lib.scalars import to_float
from lib.vocabulary import (
    CATEGORY_COLOURS,
    CATEGORY_LABELS,
    METRICS,
    QUADRANT_SPLIT,
    QUADRANTS,
    SOURCES,
)

ATTENTION_PCT = "attention_score_percentile"
CITATIONS_PCT = "citations_percentile"
BIN_COLOURS = ("#08306B", "#2171B5", "#4292C6", "#6BAED6", "#9ECAE1", "#C6DBEF", "#DADCE0")
_MARGIN = {"l": 10, "r": 10, "t": 60, "b": 10}


def _empty(message: str, height: int = 200) -> go.Figure:
    figure = go.Figure()
    figure.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    figure.update_layout(height=height, xaxis_visible=False, yaxis_visible=False, margin=_MARGIN)
    return figure


def attention_composition_figure(composition: pl.DataFrame) -> go.Figure:
    """Bars per attention metric, coloured by PlumX category; counts are shown side by side, not summed."""
    if composition.is_empty():
        return _empty("No attention counts for these works (missing, not zero).")
    frame = composition.sort(["category", "count"], descending=[False, False])
    figure = go.Figure()
    for category in frame["category"].unique(maintain_order=True).to_list():
        part = frame.filter(pl.col("category") == category)
        figure.add_bar(
            y=part["label"].to_list(),
            x=part["count"].to_list(),
            orientation="h",
            name=CATEGORY_LABELS[category],
            marker_color=CATEGORY_COLOURS[category],
            customdata=part["works"].to_list(),
            hovertemplate="%{y}: %{x:,.0f} (from %{customdata} works)<extra></extra>",
        )
    spread = to_float(frame["count"].max()) / max(to_float(frame["count"].min()), 1)
    figure.update_layout(
        title="Attention by source and category (attention, not quality)",
        height=140 + 26 * frame.height,
        margin=_MARGIN,
        legend=LEGEND_BELOW,
        xaxis={"type": "log" if spread > 100 else "linear", "title": "count", "automargin": True},
        yaxis={"automargin": True},
    )
    return figure


def citations_per_year_figure(series: pl.DataFrame, source_label: str) -> go.Figure:
    """Bars of citations per year and a cumulative line; zero years only where the source gave them."""
    if series.is_empty():
        return _empty("No per-year citation series for these works.")
    figure = make_subplots(specs=[[{"secondary_y": True}]])
    figure.add_bar(
        x=series["year"].to_list(),
        y=series["citations"].to_list(),
        name="citations in the year",
        marker_color=CATEGORY_COLOURS["citations"],
        hovertemplate="%{x}: %{y:,.0f} citations<extra></extra>",
    )
    figure.add_scatter(
        x=series["year"].to_list(),
        y=series["cumulative"].to_list(),
        name="cumulative",
        mode="lines+markers",
        line_color=CATEGORY_COLOURS["normalised"],
        hovertemplate="up to %{x}: %{y:,.0f}<extra></extra>",
        secondary_y=True,
    )
    figure.update_layout(
        title=f"Citations per year ({source_label})",
        height=360,
        margin=_MARGIN,
        legend=LEGEND_BELOW,
    )
    figure.update_xaxes(tickformat="d", dtick=1 if series.height <= 12 else None)
    figure.update_yaxes(title_text="per year", secondary_y=False, **COUNT_AXIS)
    # Ticks of its own (not synced to the bars' axis): synced ticks land on -9.2, 43.6, ...
    figure.update_yaxes(
        title_text="cumulative", secondary_y=True, tickmode="auto", showgrid=False, **COUNT_AXIS
    )
    return figure


def attention_history_figure(history: pl.DataFrame) -> go.Figure:
    """Our own snapshots of attention counts over time, one line per metric."""
    if history["day"].n_unique() < 2 if not history.is_empty() else True:
        return _empty("Attention history needs at least two snapshots; we have fewer so far.")
    figure = go.Figure()
    for index, metric in enumerate(history["metric"].unique(maintain_order=True).to_list()):
        part = history.filter(pl.col("metric") == metric).sort("day")
        spec = METRICS.get(metric)
        figure.add_scatter(
            x=part["day"].to_list(),
            y=part["value"].to_list(),
            mode="lines+markers",
            name=spec.label if spec else metric,
            line_color=series_colour(index),
        )
    figure.update_layout(
        title="Attention history (our snapshots)",
        height=360,
        yaxis=COUNT_AXIS,
        margin=_MARGIN,
        legend=LEGEND_BELOW,
    )
    return figure


def _marker_sizes(readers: pl.Series) -> list[float]:
    """Area proportional to readers; works without a reader count get the smallest size."""
    return [7.0 if r is None else 7.0 + 3.0 * math.sqrt(max(r, 0.0)) ** 0.8 for r in readers]


def triangulation_figure(
    table: pl.DataFrame, attention_set: str | None, citation_set: str | None
) -> go.Figure:
    """Attention percentile against citation percentile, quadrants labelled, sized by readers."""
    placed = table.filter(pl.col(ATTENTION_PCT).is_not_null() & pl.col(CITATIONS_PCT).is_not_null())
    if placed.is_empty():
        return _empty("No work has both an attention and a citation percentile yet.", 320)
    readers = (
        placed["mendeley_readers"]
        if "mendeley_readers" in placed.columns
        else pl.Series([None] * placed.height, dtype=pl.Float64)
    )
    figure = go.Figure()
    for quadrant, colour in QUADRANT_COLOURS.items():
        mask = placed["quadrant"] == quadrant
        part = placed.filter(mask)
        if part.is_empty():
            continue
        part_readers = readers.filter(mask)
        figure.add_scatter(
            x=part[CITATIONS_PCT].to_list(),
            y=part[ATTENTION_PCT].to_list(),
            mode="markers",
            name=quadrant,
            marker={
                "size": _marker_sizes(part_readers),
                "color": colour,
                "opacity": 0.75,
                "line": {"width": 0.5, "color": "white"},
            },
            customdata=list(
                zip(
                    part["key"].to_list(),
                    part["title"].fill_null(part["key"]).to_list(),
                    part["citations"].to_list(),
                    part["attention_score"].to_list(),
                    [("—" if r is None else f"{r:,.0f}") for r in part_readers],
                    strict=True,
                )
            ),
            hovertemplate=(
                "<b>%{customdata[1]}</b><br>citation percentile %{x:.0f} "
                "(%{customdata[2]:,.0f} citations)<br>attention percentile %{y:.0f} "
                "(open score %{customdata[3]:.1f})<br>Mendeley readers %{customdata[4]}"
                "<extra></extra>"
            ),
        )
    figure.add_hline(y=QUADRANT_SPLIT, line_dash="dot", line_color="#9AA0A6")
    figure.add_vline(x=QUADRANT_SPLIT, line_dash="dot", line_color="#9AA0A6")
    for x, y, text in (
        (98, 98, QUADRANTS[(True, True)]),
        (98, 2, QUADRANTS[(False, True)]),
        (2, 98, QUADRANTS[(True, False)]),
        (2, 2, QUADRANTS[(False, False)]),
    ):
        figure.add_annotation(
            x=x,
            y=y,
            text=text,
            showarrow=False,
            xanchor="right" if x > 50 else "left",
            yanchor="top" if y > 50 else "bottom",
            font={"color": "#5F6368", "size": 11},
        )
    figure.update_layout(
        title=(
            "Triangulation: attention vs citations, each among works of the same year"
            + (
                f"<br><sup>{placed.height:,} of {table.height:,} works plotted; "
                f"{table.height - placed.height:,} lack one of the percentiles (missing, not 0)</sup>"
                if placed.height < table.height
                else ""
            )
        ),
        height=480,
        margin=_MARGIN,
        xaxis={
            "range": [0, 100],
            "title": f"citation percentile ({citation_set or 'reference set'})",
            # With a 10 px bottom margin the title had no room and sat on the tick labels.
            "automargin": True,
        },
        yaxis={
            "range": [0, 100],
            "title": f"attention percentile ({attention_set or 'reference set'})",
            "automargin": True,
        },
        legend=LEGEND_BELOW,
        dragmode="select",
        clickmode="event+select",
    )
    return figure


def percentile_bins_figure(bins: pl.DataFrame, title: str, per_row: int = 20) -> go.Figure:
    """A box of icons: one square per work in its percentile bin, so no single total dominates.

    A bin with more works than `per_row` wraps onto further lines, like the iCite and Weill Cornell
    displays, instead of squeezing its icons into a bar.
    """
    if bins.is_empty() or bins["works"].sum() == 0:
        return _empty("No works to place.")
    figure = go.Figure()
    ticks, labels, line = [], [], 0
    for index, row in enumerate(bins.iter_rows(named=True)):
        count = row["works"]
        lines = max(math.ceil(count / per_row), 1)
        ticks.append(-(line + (lines - 1) / 2))
        labels.append(f"{row['bin']} ({count})")
        if count:
            figure.add_scatter(
                x=[p % per_row for p in range(count)],
                y=[-(line + p // per_row) for p in range(count)],
                mode="markers",
                marker={
                    "symbol": "square",
                    "size": 12,
                    "color": BIN_COLOURS[index % len(BIN_COLOURS)],
                },
                name=row["bin"],
                customdata=row["titles"],
                hovertemplate="%{customdata}<extra>" + row["bin"] + "</extra>",
                showlegend=False,
            )
        line += lines + 0.6
    figure.update_layout(
        title=title,
        height=80 + 22 * line,
        margin=_MARGIN,
        xaxis={"visible": False, "range": [-1, per_row]},
        yaxis={
            "tickvals": ticks,
            "ticktext": labels,
            "range": [-line + 0.1, 0.6],  # empty bins keep their row and label
            "showgrid": False,
            "zeroline": False,
            "automargin": True,
        },
    )
    return figure


def citation_sources_figure(counts: pl.DataFrame) -> go.Figure:
    """One work's citation count per source, side by side (source label, value)."""
    if counts.is_empty():
        return _empty("No citation counts from any source for this work.")
    figure = go.Figure(
        go.Bar(
            y=counts["label"].to_list(),
            x=counts["value"].to_list(),
            orientation="h",
            marker_color=CATEGORY_COLOURS["citations"],
            hovertemplate="%{y}: %{x:,.0f}<extra></extra>",
        )
    )
    figure.update_layout(
        title="Citations by source",
        height=100 + 32 * counts.height,
        margin=_MARGIN,
        xaxis=COUNT_AXIS,
        yaxis={"automargin": True},
    )
    return figure


def per_year_figure(series: pl.DataFrame) -> go.Figure:
    """One work's yearly series (source, metric, year, value), one line per source and metric."""
    if series.is_empty():
        return _empty("No per-year series for this work.")
    figure = go.Figure()
    for (source, metric), part in series.sort("year").group_by(
        ["source", "metric"], maintain_order=True
    ):
        label = SOURCES[source].label if source in SOURCES else source
        figure.add_scatter(
            x=part["year"].to_list(),
            y=part["value"].to_list(),
            mode="lines+markers",
            name=f"{metric} ({label})",
        )
    figure.update_layout(
        title="Per year",
        height=360,
        margin=_MARGIN,
        legend=LEGEND_BELOW,
        xaxis={"tickformat": "d"},
        yaxis=COUNT_AXIS,
    )
    return figure
