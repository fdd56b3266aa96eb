"""The statistical model behind the demo data: a Gaussian copula over five category factors.

Five latent factors (citations, usage, captures, mentions, social) are drawn as correlated normals,
shifted by the work's age and by its author's profile, and each metric's latent score (a loading on
one or more factors plus noise) is rank-mapped onto a zero-inflated, rounded lognormal marginal.
Rank mapping keeps each marginal exactly while the factors carry the rank correlations. The
parameters are calibrated on the PLOS ALM data of 2011 (bench/calibrate_demo.py, docs/calibration.md);
where 2011 is obviously old (X posts, Mendeley) the marginal is scaled up and says so in `origin`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

FACTORS = ("citations", "usage", "captures", "mentions", "social")

# Latent correlation of the factors, fitted by `bench/calibrate_demo.py --fit` so that the
# Spearman correlations of the category totals match the PLOS ALM targets (ties at zero and the
# loadings below attenuate them, so these are larger than the targets).
LATENT_CORRELATION = np.array(
    [
        [1.000, 0.591, 0.476, 0.414, 0.157],
        [0.591, 1.000, 0.589, 0.727, 0.055],
        [0.476, 0.589, 1.000, 0.484, 0.122],
        [0.414, 0.727, 0.484, 1.000, 0.266],
        [0.157, 0.055, 0.122, 0.266, 1.000],
    ]
)

# How strongly (standardised) log age drives each factor: citations and usage accumulate.
AGE_LOADING = {"citations": 0.55, "usage": 0.35, "captures": 0.25, "mentions": 0.1, "social": -0.1}


@dataclass(frozen=True)
class Marginal:
    """A zero-inflated, rounded-up lognormal given by its zero share and non-zero quantiles."""

    zero_share: float
    positive_quantiles: tuple[float, float, float, float]  # q25, q50, q90, q99 of values > 0
    origin: str

    @property
    def lognormal(self) -> tuple[float, float]:
        """(mu, sigma) fitted to the non-zero quantiles (least squares on the log scale)."""
        return _fit_lognormal(self.positive_quantiles)


@cache
def _fit_lognormal(quantiles: tuple[float, float, float, float]) -> tuple[float, float]:
    normal_scores = np.array([-0.6745, 0.0, 1.2816, 2.3263])
    # ceil(X) = q for X in (q - 1, q]: the midpoint q - 0.5 is the matching lognormal quantile.
    logs = np.log(np.asarray(quantiles) - 0.5)
    sigma, mu = np.polyfit(normal_scores, logs, 1)
    return float(mu), float(max(sigma, 0.05))


_PLOS = "PLOS ALM 2011"
MARGINALS: dict[str, Marginal] = {
    "citations_openalex": Marginal(0.132, (3, 7, 36, 124), f"{_PLOS} wosCountThru2011"),
    "views": Marginal(0.007, (670, 1154, 4211, 15803), f"{_PLOS} htmlDownloadsCount"),
    "downloads": Marginal(0.007, (170, 301, 1062, 3076), f"{_PLOS} pdf+xml downloads"),
    "mendeley_readers": Marginal(
        0.06, (6, 12, 48, 140), f"{_PLOS} mendeleyReadersCount x4: Mendeley was young in 2011"
    ),
    "citeulike_readers": Marginal(0.694, (1, 2, 6, 23), f"{_PLOS} almCiteULikeCount"),
    "blog_mentions": Marginal(0.914, (1, 1, 3, 10), f"{_PLOS} almBlogsCount"),
    "wikipedia_mentions": Marginal(0.949, (1, 1, 3, 10), f"{_PLOS} wikipediaCites"),
    "peer_review_mentions": Marginal(0.935, (1, 1, 2, 3), f"{_PLOS} share with f1000Factor > 0"),
    "x_posts": Marginal(
        0.35, (2, 5, 40, 400), f"{_PLOS} backtweetsCount scaled: Twitter use grew ~10x after 2011"
    ),
    "facebook_mentions": Marginal(0.872, (1, 1, 6, 62), f"{_PLOS} facebookShareCount"),
    "news_mentions": Marginal(0.88, (1, 2, 12, 80), "assumed (no 2011 counterpart)"),
    "policy_mentions": Marginal(0.95, (1, 1, 3, 10), "assumed (no 2011 counterpart)"),
    "patent_mentions": Marginal(0.97, (1, 1, 3, 8), "assumed (no 2011 counterpart)"),
    "reddit_mentions": Marginal(0.93, (1, 1, 3, 10), "assumed (no 2011 counterpart)"),
    "bluesky_mentions": Marginal(0.75, (1, 3, 15, 90), "assumed (Bluesky from 2023)"),
    "video_mentions": Marginal(0.98, (1, 1, 2, 5), "assumed (no 2011 counterpart)"),
}

# Metric -> weights on the factors; the rest of its unit variance is the metric's own noise.
LOADINGS: dict[str, dict[str, float]] = {
    "citations_openalex": {"citations": 1.0},
    "views": {"usage": 0.97},
    "downloads": {"usage": 0.95},
    "mendeley_readers": {"captures": 0.97},
    "citeulike_readers": {"captures": 0.7},
    "blog_mentions": {"mentions": 0.85},
    "wikipedia_mentions": {"mentions": 0.75},
    "peer_review_mentions": {"citations": 0.3, "mentions": 0.3},
    "x_posts": {"social": 0.9},
    "facebook_mentions": {"social": 0.8},
    "news_mentions": {"mentions": 0.6, "social": 0.3},
    "policy_mentions": {"citations": 0.4, "mentions": 0.3},
    "patent_mentions": {"citations": 0.4},
    "reddit_mentions": {"social": 0.6},
    "bluesky_mentions": {"social": 0.7},
    "video_mentions": {"social": 0.4, "mentions": 0.2},
}

# Category totals whose Spearman correlations are calibrated (and their PLOS counterparts).
CATEGORY_TOTALS: dict[str, tuple[str, ...]] = {
    "citations": ("citations_openalex",),
    "usage": ("views", "downloads"),
    "captures": ("mendeley_readers",),
    "mentions": ("blog_mentions", "wikipedia_mentions"),
    "social": ("x_posts", "facebook_mentions"),
}


def age_score(years: np.ndarray, current_year: int) -> np.ndarray:
    """Standardised log age in years (fixed centre and scale so subsets stay comparable)."""
    age: np.ndarray = np.log1p(np.clip(current_year - years, 0, None) + 0.5)
    return (age - 1.9) / 0.75


def latent_factors(
    rng: np.random.Generator, age: np.ndarray, offsets: np.ndarray | None = None
) -> np.ndarray:
    """(n, 5) factor scores: correlated normals, tilted by age, shifted by profile offsets."""
    chol = np.linalg.cholesky(LATENT_CORRELATION)
    factors: np.ndarray = rng.standard_normal((age.size, len(FACTORS))) @ chol.T
    tilt = np.array([AGE_LOADING[f] for f in FACTORS])
    factors = factors * np.sqrt(1 - tilt**2) + age[:, None] * tilt
    return factors if offsets is None else factors + offsets


def metric_scores(
    rng: np.random.Generator, factors: np.ndarray, metric_offsets: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Each metric's latent score: factor loadings plus its own noise, plus per-work shifts."""
    scores = {}
    for metric, weights in LOADINGS.items():
        w = np.array([weights.get(f, 0.0) for f in FACTORS])
        shared = factors @ w
        own = np.sqrt(max(1e-6, 1 - float(w @ LATENT_CORRELATION @ w)))
        scores[metric] = shared + own * rng.standard_normal(factors.shape[0])
        if metric in metric_offsets:
            scores[metric] = scores[metric] + metric_offsets[metric]
    return scores


def sample_marginal(rng: np.random.Generator, marginal: Marginal, n: int) -> np.ndarray:
    """n draws from the marginal: exact zeros with the zero share, else ceil(lognormal)."""
    mu, sigma = marginal.lognormal
    positive = np.ceil(np.exp(mu + sigma * rng.standard_normal(n)))
    return np.where(rng.random(n) < marginal.zero_share, 0.0, np.maximum(positive, 1.0))


def rank_map(scores: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Give the k-th smallest score the k-th smallest value (the copula's marginal step)."""
    mapped = np.empty_like(values)
    mapped[np.argsort(scores)] = np.sort(values)
    return mapped


def simulate_counts(
    rng: np.random.Generator,
    years: np.ndarray,
    current_year: int,
    offsets: np.ndarray | None = None,
    metric_offsets: dict[str, np.ndarray] | None = None,
) -> dict[str, np.ndarray]:
    """Every modelled count metric for n works (float arrays, no missing values yet)."""
    factors = latent_factors(rng, age_score(years, current_year), offsets)
    scores = metric_scores(rng, factors, metric_offsets or {})
    return {
        metric: rank_map(scores[metric], sample_marginal(rng, MARGINALS[metric], years.size))
        for metric in LOADINGS
    }
