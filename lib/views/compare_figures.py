"""Every chart of a committee comparison, keyed by section, in display order (pure Plotly)."""

from __future__ import annotations

import plotly.graph_objects as go

from lib.charts.compare import (
    compare_bins_figure,
    compare_composition_figure,
    compare_correlation_figure,
    compare_distribution_figure,
    compare_quadrant_figure,
)
from lib.views.candidates import Comparison
from lib.views.compare import candidate_labels


def comparison_figures(comparison: Comparison) -> dict[str, go.Figure]:
    """Every chart of the comparison, keyed by section, in display order."""
    candidates = candidate_labels(comparison)
    figures = {
        f"distribution_{m}": compare_distribution_figure(
            comparison.distributions, comparison.missing, m, candidates
        )
        for m in ("citation_percentile", "rcr", "attention_percentile")
    }
    for measure in ("citation_percentile", "attention_percentile"):
        figures[f"bins_{measure}"] = compare_bins_figure(comparison.bins, measure, candidates)
    figures["composition"] = compare_composition_figure(comparison.composition, candidates)
    figures["distribution_apt"] = compare_distribution_figure(
        comparison.distributions, comparison.missing, "apt", candidates
    )
    figures["quadrants"] = compare_quadrant_figure(comparison.quadrant_counts, candidates)
    figures["correlations"] = compare_correlation_figure(comparison.correlations, candidates)
    return figures
