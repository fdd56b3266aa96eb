"""Fit the matching model (lib/matching/model.json) on the labelled set, and choose the threshold.

    uv run python bench/fit_matching.py [--seed 12]

Candidates come from the real lookup code against the mock API serving the labelled catalogue. The
logistic regression is fitted on the even-numbered references (L2-penalised log loss, scipy); the
auto-accept threshold is the lowest at which automatic matches on those references were >= 99 %
correct. The odd-numbered half is left for bench/bench_matching.py to report on.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from scipy.optimize import minimize

from bench.matching_setup import serve
from lib.ingest.matching import lookup_references
from lib.matching import parse_reference
from lib.matching.score import (
    FEATURES,
    MODEL_PATH,
    MatchModel,
    automatic,
    features,
    merge,
    rank_candidates,
)

TARGET_PRECISION = 0.99
# A floor: even when the labelled set is easy, a candidate the model gives less than 9 in 10 is
# not taken without a person (the set cannot show 99 % with confidence below a few hundred matches).
MIN_THRESHOLD = 0.90
PENALTY = 0.05


def fit(x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ w[1:] + w[0]
        p = 1 / (1 + np.exp(-np.clip(z, -40, 40)))
        eps = 1e-12
        value = -np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)) + PENALTY * np.sum(
            w[1:] ** 2
        ) / len(y)
        grad_z = (p - y) / len(y)
        grad = np.concatenate([[grad_z.sum()], x.T @ grad_z + 2 * PENALTY * w[1:] / len(y)])
        return float(value), grad

    result = minimize(loss, np.zeros(x.shape[1] + 1), jac=True, method="L-BFGS-B")
    return float(result.x[0]), result.x[1:]


def choose_threshold(model: MatchModel, refs: list, candidates: list, truth: list) -> float:
    for threshold in np.round(np.arange(MIN_THRESHOLD, 0.9995, 0.005), 4):
        trial = MatchModel(model.intercept, model.weights, float(threshold))
        right = wrong = 0
        for ref, cands, doi in zip(refs, candidates, truth, strict=True):
            chosen = automatic(rank_candidates(ref, cands, trial), trial)
            if chosen is not None:
                right, wrong = (
                    (right + 1, wrong) if chosen.candidate.doi == doi else (right, wrong + 1)
                )
        if right + wrong and right / (right + wrong) >= TARGET_PRECISION:
            return float(threshold)
    return 0.9995


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    api, settings, labelled = serve(args.seed)
    try:
        train = labelled[0::2]
        refs = [parse_reference(r.text) for r in train]
        found = lookup_references(refs, settings)
    finally:
        api.close()
    candidates = [c for c, _ in found]
    rows, labels = [], []
    for ref, cands, item in zip(refs, candidates, train, strict=True):
        for cand in merge(cands):
            values = features(ref, cand)
            rows.append([values[name] for name in FEATURES])
            labels.append(1.0 if item.doi and cand.doi == item.doi else 0.0)
    x, y = np.array(rows), np.array(labels)
    intercept, weights = fit(x, y)
    model = MatchModel(intercept, dict(zip(FEATURES, weights.tolist(), strict=True)), 0.0)
    threshold = choose_threshold(model, refs, candidates, [r.doi for r in train])
    MODEL_PATH.write_text(
        json.dumps(
            {
                "intercept": round(intercept, 4),
                "weights": {k: round(v, 4) for k, v in model.weights.items()},
                "threshold": threshold,
                "note": (
                    f"fitted by bench/fit_matching.py (seed {args.seed}) on {len(train)} labelled "
                    f"references, {len(y)} candidates ({int(y.sum())} true); threshold: lowest with "
                    f">= {TARGET_PRECISION:.0%} of automatic matches correct on that half"
                ),
            },
            indent=2,
        )
        + "\n"
    )
    print(f"fitted on {len(train)} references, {len(y)} candidates ({int(y.sum())} true)")
    print(f"threshold {threshold}; weights written to {MODEL_PATH}")


if __name__ == "__main__":
    main()
