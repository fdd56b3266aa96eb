"""The open attention score: a published, adjustable weighted count of mentions.

Defaults follow Altmetric's published per-source weights (landscape.md §6). What an open tool cannot
reproduce, and therefore does not try to: news outlet tiers (a national paper counts more than a
niche site), author modifiers for posts on X (reach, promiscuity, bias; 0.25 to "just over 1"),
one count per person per source, and counting policy documents once per policy *source* (we only
have a document count, so each document adds the policy weight).

No rounding. Altmetric rounds each source's contribution up to a whole number, so one Facebook
post adds 1 and four add 1 as well; that makes small counts jump and the sum impossible to check
by hand. Our score is the plain weighted sum, shown with one decimal, so anyone can recompute it
from the counts beside it (Leiden Manifesto principles 4 and 5). It is always labelled as our open
score and never mixed up with `altmetric_score`, which is shown as Altmetric supplied it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

import polars as pl

from lib.vocabulary import METRICS, metrics_in

ATTENTION_SCORE = "attention_score"
ATTENTION_SCORE_DECIMALS = 1

# Presence of any of these means an attention source answered for the work; all null = missing.
ATTENTION_INPUTS: tuple[str, ...] = (*metrics_in("mentions"), *metrics_in("social"))

_HELP_2017 = (
    "Altmetric help page 2017 (archived), 'How is the Altmetric Attention Score calculated?'"
)
_MODIFIERS = "Altmetric help, 'Altmetric Attention Score modifiers'"


@dataclass(frozen=True)
class AttentionWeight:
    """One input of the open attention score: its weight and where the default comes from."""

    metric: str
    weight: float
    counts_once: bool
    provenance: str


def _w(metric: str, weight: float, provenance: str, counts_once: bool = False) -> AttentionWeight:
    return AttentionWeight(metric, float(weight), counts_once, provenance)


DEFAULT_WEIGHTS: Mapping[str, AttentionWeight] = MappingProxyType(
    {
        w.metric: w
        for w in (
            _w(
                "news_mentions",
                8,
                f"{_HELP_2017}: news 8 per outlet (Altmetric's API counts outlets). "
                "Not reproducible: Altmetric tiers outlets by reach.",
            ),
            _w(
                "blog_mentions",
                5,
                f"{_HELP_2017}: blogs 5 per blog (Altmetric's API counts blogs on its curated "
                "list).",
            ),
            _w(
                "policy_mentions",
                3,
                f"{_MODIFIERS}: 3 per policy source. Not reproducible: we count documents, "
                "so several documents from one source each add 3.",
            ),
            _w("patent_mentions", 3, f"{_HELP_2017}: patents 3."),
            _w(
                "wikipedia_mentions",
                3,
                f"{_MODIFIERS}: Wikipedia adds 3 once, whether 1 or many articles cite it.",
                counts_once=True,
            ),
            _w(
                "peer_review_mentions", 1, f"{_HELP_2017}: peer review (F1000, Publons, PubPeer) 1."
            ),
            _w(
                "x_accounts",
                0.25,
                "Altmetric blog, Aug 2021: 0.25 per X account (Altmetric counts one mention per "
                "account, 1 in the 2012-2017 docs). Not reproducible: per-author modifiers up "
                "to just over 1.",
            ),
            _w(
                "x_posts",
                0.25,
                "Our choice: X posts (from exports: Explorer 'X mentions', PLOS ALM backtweets) "
                "weigh 0.25 each, like accounts; counts posts, so an account posting twice adds "
                "0.5. A work with both an account count and a post count gets both.",
            ),
            _w("facebook_mentions", 0.25, f"{_HELP_2017}: Facebook 0.25 (curated public pages)."),
            _w("reddit_mentions", 0.25, f"{_HELP_2017}: Reddit 0.25 (original posts)."),
            _w("video_mentions", 0.25, f"{_HELP_2017}: YouTube 0.25."),
            _w(
                "bluesky_mentions",
                0.25,
                "Our choice: Altmetric counts Bluesky (since late 2024) but publishes no weight; "
                "we give it the weight of other social posts.",
            ),
            _w(
                "comments",
                0,
                "Our choice: article-page comments are not an Altmetric source; shown, not scored.",
            ),
            _w(
                "mendeley_readers",
                0,
                "Metrics Toolkit and altmetric.com: Mendeley readers are shown, not scored.",
            ),
            _w("citeulike_readers", 0, "Metrics Toolkit: CiteULike is shown, not scored."),
        )
    }
)

CITATIONS_NOTE = "Citations from any source are never part of the attention score."


def resolve_weights(
    weights: Mapping[str, float | AttentionWeight] | None = None,
) -> dict[str, AttentionWeight]:
    """Defaults with the given overrides applied; a bare number keeps the default's counting rule."""
    resolved = dict(DEFAULT_WEIGHTS)
    for metric, given in (weights or {}).items():
        if metric not in METRICS:
            raise ValueError(f"unknown metric in attention weights: {metric!r}")
        if isinstance(given, AttentionWeight):
            resolved[metric] = given
            continue
        base = resolved.get(metric) or AttentionWeight(metric, 0.0, False, "")
        if float(given) != base.weight:
            resolved[metric] = replace(
                base, weight=float(given), provenance=f"Set by the user (default {base.weight:g})."
            )
    return resolved


def is_default(weights: Mapping[str, float | AttentionWeight] | None) -> bool:
    """True when the weights are exactly the published defaults."""
    resolved = resolve_weights(weights)
    return all(resolved[m] == DEFAULT_WEIGHTS.get(m) for m in resolved)


def attention_score_expr(
    weights: Mapping[str, float | AttentionWeight] | None = None,
) -> pl.Expr:
    """Weighted sum of the attention counts; null when no attention count was supplied at all."""
    resolved = resolve_weights(weights)
    contributions = [
        (
            (pl.col(w.metric) > 0).cast(pl.Float64) * w.weight
            if w.counts_once
            else pl.col(w.metric).cast(pl.Float64) * w.weight
        )
        for w in resolved.values()
    ]
    inputs = sorted(set(ATTENTION_INPUTS) | {m for m, w in resolved.items() if w.weight})
    supplied = pl.any_horizontal(pl.col(m).is_not_null() for m in inputs)
    return (
        pl.when(supplied)
        .then(pl.sum_horizontal(contributions, ignore_nulls=True))
        .otherwise(None)
        .alias(ATTENTION_SCORE)
    )


def with_attention_score(
    frame: pl.DataFrame, weights: Mapping[str, float | AttentionWeight] | None = None
) -> pl.DataFrame:
    """The frame with `attention_score` (re)computed from its attention counts."""
    absent = [m for m in resolve_weights(weights) if m not in frame.columns]
    absent += [m for m in ATTENTION_INPUTS if m not in frame.columns and m not in absent]
    return (
        frame.with_columns(pl.lit(None, dtype=pl.Float64).alias(m) for m in absent)
        .with_columns(attention_score_expr(weights))
        .drop(absent)
    )


def weights_table(weights: Mapping[str, float | AttentionWeight] | None = None) -> pl.DataFrame:
    """One row per input: metric, label, weight, counts_once, provenance (for pages and exports)."""
    resolved = list(resolve_weights(weights).values())
    return pl.DataFrame(
        {
            "metric": [w.metric for w in resolved],
            "label": [METRICS[w.metric].label for w in resolved],
            "weight": [float(w.weight) for w in resolved],
            "counts_once": [w.counts_once for w in resolved],
            "provenance": [w.provenance for w in resolved],
        }
    )


def weights_description(weights: Mapping[str, float | AttentionWeight] | None = None) -> str:
    """One line naming every weight, for CLI output and export headers."""
    resolved = resolve_weights(weights)
    scored = [
        f"{METRICS[w.metric].label} {w.weight:g}{' (once)' if w.counts_once else ''}"
        for w in resolved.values()
        if w.weight
    ]
    unscored = [METRICS[w.metric].label for w in resolved.values() if not w.weight]
    origin = (
        "default weights after Altmetric's published ones"
        if is_default(weights)
        else "custom weights"
    )
    return (
        f"Open attention score (Triangulate, {origin}; not the Altmetric Attention Score): "
        f"{', '.join(scored)}; not scored: {', '.join(unscored)}. {CITATIONS_NOTE} "
        f"Plain weighted sum, not rounded. Attention, not quality."
    )
