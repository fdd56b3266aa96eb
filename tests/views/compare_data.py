"""Small synthetic candidate works (works_wide columns) for the comparison tests."""

from __future__ import annotations

import numpy as np
import polars as pl

from lib.views.compare import Candidate


def candidate_works(
    name: str, n: int, *, seed: int, first_year: int = 2010, fetched: bool = True
) -> pl.DataFrame:
    """n works for one candidate; with fetched=False every metric is missing (never fetched)."""
    rng = np.random.default_rng(seed)
    years = rng.integers(first_year, 2025, n)

    def maybe(values, share_missing=0.1):
        values = np.asarray(values, dtype=float)
        if not fetched:
            return pl.Series([None] * n, dtype=pl.Float64)
        mask = rng.random(n) < share_missing
        return pl.Series(
            [None if m else float(v) for v, m in zip(values, mask, strict=True)], dtype=pl.Float64
        )

    status = "ok" if fetched else None
    return pl.DataFrame(
        {
            "candidate": [name] * n,
            "key": [f"10.5555/{name.lower().replace(' ', '-')}.{i}" for i in range(n)],
            "title": [f"Work {i} of {name}" for i in range(n)],
            "journal": ["Journal of Tests"] * n,
            "year": pl.Series(years, dtype=pl.Int32),
            "type": ["article"] * n,
            "oa_status": rng.choice(["gold", "closed", "green"], n).tolist(),
            "field": ["Cardiology"] * n,
            "citations_openalex": maybe(rng.poisson(20, n)),
            "rcr": maybe(rng.lognormal(0, 0.7, n), 0.3),
            "fwci": maybe(rng.lognormal(0, 0.8, n)),
            "citation_percentile": maybe(rng.uniform(0, 100, n)),
            "apt": maybe(rng.choice([0.05, 0.25, 0.5, 0.75, 0.95], n), 0.3),
            "clinical_citations": maybe(rng.poisson(1, n), 0.3),
            "policy_mentions": maybe(rng.poisson(0.3, n), 0.5),
            "news_mentions": maybe(rng.poisson(0.5, n), 0.5),
            "x_posts": maybe(rng.poisson(5, n), 0.5),
            "mendeley_readers": maybe(rng.poisson(30, n), 0.5),
            "views": maybe(rng.poisson(500, n), 0.5),
            "openalex_status": [status] * n,
            "icite_status": [status] * n,
            "altmetric_status": [
                ("ok" if i % 2 else "not_found") if fetched else None for i in range(n)
            ],
        },
        schema_overrides={"oa_status": pl.String},
    )


def three_candidates() -> tuple[pl.DataFrame, list[Candidate]]:
    works = pl.concat(
        [
            candidate_works("Cand A", 40, seed=1, first_year=2005),
            candidate_works("Cand B", 25, seed=2, first_year=2015),
            candidate_works("Cand C", 10, seed=3, fetched=False),
        ]
    )
    candidates = [
        Candidate(
            "Cand A",
            2005,
            "Cardiology",
            "Dr A",
            "stated in the collection",
            "stated in the collection",
        ),
        Candidate(
            "Cand B",
            2015,
            "Oncology",
            "Dr B",
            "stated in the collection",
            "stated in the collection",
        ),
        Candidate("Cand C", None, None, None),
    ]
    return works, candidates
