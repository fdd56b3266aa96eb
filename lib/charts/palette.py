"""Colours every chart shares: the Okabe-Ito palette, distinguishable with the common kinds of
colour blindness and in greyscale print, and the one colour of each quadrant."""

from __future__ import annotations

from lib.vocabulary import QUADRANTS

# Okabe & Ito (2008), "Color Universal Design"; black last, as it reads as text.
OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)
NEUTRAL = "#999999"
QUADRANT_COLOURS: dict[str, str] = {
    QUADRANTS[(True, True)]: "#0072B2",
    QUADRANTS[(True, False)]: "#D55E00",
    QUADRANTS[(False, True)]: "#009E73",
    QUADRANTS[(False, False)]: NEUTRAL,
}


def series_colour(index: int) -> str:
    """The index-th series colour; wraps after eight."""
    return OKABE_ITO[index % len(OKABE_ITO)]


# Legends sit under the plot, so a long legend can never run into the title above it; with the
# container reference plotly grows the bottom margin to fit the legend.
LEGEND_BELOW: dict[str, object] = {
    "orientation": "h",
    "x": 0,
    "xanchor": "left",
    "yref": "container",
    "y": 0,
    "yanchor": "bottom",
    "traceorder": "normal",
}
# Counts are whole numbers: no "9.2" tick on an axis of citations.
COUNT_AXIS: dict[str, object] = {"tickformat": ",d", "rangemode": "tozero", "automargin": True}

_PATTERNS = ("", "/", ".", "x")


def series_pattern(index: int) -> str:
    """A bar fill pattern that tells apart series past the eighth, which reuse the colours."""
    return _PATTERNS[(index // len(OKABE_ITO)) % len(_PATTERNS)]
