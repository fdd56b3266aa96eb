"""A Plotly figure as an offline HTML fragment for the reports (committee, portfolio summary)."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

_REPORT_TEMPLATE = pio.templates["plotly"].to_plotly_json()


def figure_html(figure: go.Figure, *, width: int, include_plotlyjs: bool) -> str:
    """The chart at a fixed width, so it prints as it shows (a responsive chart re-lays out to the
    print width). plotly.js goes inline with the first chart only, so the file opens offline and
    loads it once; copying the layout dict skips plotly's slow revalidation."""
    spec = figure.to_plotly_json()
    # A figure built inside the dashboard carries Streamlit's plotly template (importing streamlit
    # makes it plotly's default), which lacks plotly's axis automargin: downloaded reports had
    # axis titles on their ticks and legends over the axes. Reports always use plotly's own.
    spec["layout"] = {**spec.get("layout", {}), "width": width, "template": _REPORT_TEMPLATE}
    chart = pio.to_html(
        spec,
        include_plotlyjs=include_plotlyjs,
        full_html=False,
        validate=False,
        config={"displayModeBar": False, "responsive": False},
    )
    return f"<div class='chart'>{chart}</div>"
