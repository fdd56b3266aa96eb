"""The attention-score weights control, shared by every page that shows the open score.

The choice lives in the session under WEIGHTS_KEY (None = the published defaults), so Portfolio,
Article and Compare score with the same weights, and every export names them.
"""

from __future__ import annotations

import streamlit as st

from lib.metrics import DEFAULT_WEIGHTS, is_default, weights_description
from lib.vocabulary import METRICS

WEIGHTS_KEY = "attention_weights"


def current_weights() -> dict[str, float] | None:
    """The session's weights, or None for the published defaults."""
    return st.session_state.get(WEIGHTS_KEY)


def weights_editor(key_prefix: str) -> None:
    """Number inputs per scored source, with where each default comes from, and a reset."""
    chosen = current_weights() or {}
    st.caption(
        "Our open score is a plain weighted count of mentions. Defaults follow Altmetric's "
        "published weights; it is not the Altmetric Attention Score, and attention is not quality."
    )
    edited: dict[str, float] = {}
    columns = st.columns(3)
    for i, (metric, default) in enumerate(DEFAULT_WEIGHTS.items()):
        edited[metric] = columns[i % 3].number_input(
            METRICS[metric].label + (" (counts once)" if default.counts_once else ""),
            min_value=0.0,
            max_value=100.0,
            step=0.25,
            value=float(chosen.get(metric, default.weight)),
            help=default.provenance,
            key=f"{key_prefix}_weight_{metric}",
        )
    reset = st.button("Reset to the published defaults", key=f"{key_prefix}_weights_reset")
    if reset:
        st.session_state.pop(WEIGHTS_KEY, None)
        for metric in DEFAULT_WEIGHTS:
            st.session_state.pop(f"{key_prefix}_weight_{metric}", None)
        st.rerun()
    st.session_state[WEIGHTS_KEY] = None if is_default(edited) else edited
    st.caption(weights_description(current_weights()))
