"""Coverage charts."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from lib.vocabulary import SOURCES

STATUS_COLOURS = {
    "ok": "#3BA55C",
    "not_found": "#9AA0A6",
    "skipped": "#E6B800",
    "error": "#D9352B",
    "not_fetched": "#DADCE0",
}
STATUS_LABELS = {
    "ok": "has data",
    "not_found": "not found",
    "skipped": "skipped",
    "error": "error",
    "not_fetched": "not fetched",
}


def coverage_figure(coverage: pl.DataFrame) -> go.Figure:
    """Stacked bars: per source, how many works have data, were not found, skipped, failed or not fetched."""
    frame = coverage.with_columns(
        label=pl.col("source").replace_strict(
            {k: v.label for k, v in SOURCES.items()}, default=pl.col("source")
        )
    )
    figure = go.Figure()
    for status, colour in STATUS_COLOURS.items():
        if status not in frame.columns:
            continue
        figure.add_bar(
            y=frame["label"].to_list(),
            x=frame[status].to_list(),
            name=STATUS_LABELS[status],
            orientation="h",
            marker_color=colour,
            hovertemplate="%{y}: %{x:,} works " + STATUS_LABELS[status] + "<extra></extra>",
        )
    figure.update_layout(
        barmode="stack",
        height=60 + 36 * max(frame.height, 1),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "y": 1.15},
        xaxis_title="works",
    )
    return figure
