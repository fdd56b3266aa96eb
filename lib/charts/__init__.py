"""Plotly figure builders: a frame in, a figure out. Pure: no streamlit, no database.

One module per screen's charts; import builders from here.
"""

from lib.charts.coverage import STATUS_COLOURS, STATUS_LABELS, coverage_figure

__all__ = ["STATUS_COLOURS", "STATUS_LABELS", "coverage_figure"]
