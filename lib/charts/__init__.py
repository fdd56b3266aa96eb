"""Plotly figure builders: a frame in, a figure out. Pure: no streamlit, no database.

One module per screen's charts; import builders from here.
"""

from lib.charts.compare import (
    compare_bins_figure,
    compare_composition_figure,
    compare_correlation_figure,
    compare_distribution_figure,
    compare_quadrant_figure,
)
from lib.charts.coverage import STATUS_COLOURS, STATUS_LABELS, coverage_figure
from lib.charts.portfolio import (
    attention_composition_figure,
    attention_history_figure,
    citation_sources_figure,
    citations_per_year_figure,
    per_year_figure,
    percentile_bins_figure,
    triangulation_figure,
)

__all__ = [
    "STATUS_COLOURS",
    "STATUS_LABELS",
    "attention_composition_figure",
    "attention_history_figure",
    "citation_sources_figure",
    "citations_per_year_figure",
    "compare_bins_figure",
    "compare_composition_figure",
    "compare_correlation_figure",
    "compare_distribution_figure",
    "compare_quadrant_figure",
    "coverage_figure",
    "per_year_figure",
    "percentile_bins_figure",
    "triangulation_figure",
]
