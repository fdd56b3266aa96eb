"""A synthetic 1,000,000-work cache for the metrics benchmark, written with the store writers.

Used only when lib.demo.build_scale is not available. Values are random but shaped like real ones:
skewed citation counts that grow with age, several citation sources that roughly agree, iCite for
PubMed-indexed works only, and attention for a minority of works (only non-zero counts stored, as
Altmetric reports them).
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import polars as pl

from lib.store import (
    record_fetch_outcomes,
    replace_observations,
    save_collection,
    transaction,
    upsert_works,
)

AS_OF = datetime(2026, 11, 20)


def _long(keys: np.ndarray, source: str, columns: dict[str, np.ndarray]) -> pl.DataFrame:
    wide = pl.DataFrame({"key": keys, **columns})
    return (
        wide.unpivot(index="key", variable_name="metric", value_name="value")
        .drop_nulls("value")
        .with_columns(source=pl.lit(source), as_of=pl.lit(AS_OF))
    )


def build_synthetic(con, n: int = 1_000_000, seed: int = 7) -> None:
    """Works, observations and fetch outcomes for n works, and two scale collections."""
    rng = np.random.default_rng(seed)
    keys = np.array([f"10.9999/scale.{i:07d}" for i in range(n)])
    years = rng.integers(1995, 2026, n)
    works = pl.DataFrame(
        {
            "key": keys,
            "doi": keys,
            "title": [f"Synthetic work {i}" for i in range(n)],
            "journal": pl.Series(rng.integers(0, 300, n)).cast(pl.String).str.pad_start(3, "0"),
            "year": years,
            "type": "article",
            "oa_status": rng.choice(["gold", "green", "closed", "bronze"], n),
            "field": pl.Series(rng.integers(0, 26, n)).cast(pl.String),
            "is_demo": True,
        }
    ).with_columns(journal="Journal " + pl.col("journal"), field="Field " + pl.col("field"))
    age = 2027 - years
    cites = rng.negative_binomial(1, 1 / (1 + 1.5 * age), n).astype(float)
    has_oa = rng.random(n) < 0.95
    has_cr = rng.random(n) < 0.9
    has_ic = rng.random(n) < 0.6
    has_alt = rng.random(n) < 0.3

    def sparse(mask: np.ndarray, lam: float) -> np.ndarray:
        values = rng.poisson(lam, n).astype(float)
        return np.where(mask & (values > 0), values, np.nan)

    parts = [
        _long(
            keys[has_oa],
            "openalex",
            {
                "citations_openalex": cites[has_oa],
                "fwci": (cites / (1 + 1.5 * age))[has_oa],
                "citation_percentile": rng.uniform(0, 100, n)[has_oa],
            },
        ),
        _long(keys[has_cr], "crossref", {"citations_crossref": np.floor(cites * 0.9)[has_cr]}),
        _long(
            keys[has_ic],
            "icite",
            {
                "citations_icite": np.floor(cites * 0.8)[has_ic],
                "rcr": rng.lognormal(0, 1, n)[has_ic],
                "nih_percentile": rng.uniform(0, 100, n)[has_ic],
                "apt": rng.choice([0.05, 0.25, 0.5, 0.75, 0.95], n)[has_ic],
            },
        ),
        _long(
            keys[has_alt],
            "altmetric",
            {
                m: sparse(has_alt, lam)[has_alt]
                for m, lam in (
                    ("x_posts", 4.0),
                    ("news_mentions", 0.3),
                    ("blog_mentions", 0.2),
                    ("policy_mentions", 0.05),
                    ("wikipedia_mentions", 0.05),
                    ("mendeley_readers", 20.0),
                )
            },
        ),
    ]
    observations = pl.concat([p.with_columns(pl.col("value").fill_nan(None)) for p in parts])
    observations = observations.drop_nulls("value")
    log = pl.concat(
        pl.DataFrame({"key": keys, "source": source, "status": np.where(mask, "ok", "not_found")})
        for source, mask in (
            ("openalex", has_oa),
            ("crossref", has_cr),
            ("icite", has_ic),
            ("altmetric", has_alt),
        )
    ).with_columns(fetched_at=pl.lit(AS_OF), http_status=pl.lit(200))
    picks = rng.permutation(n)
    with transaction(con):
        upsert_works(con, works)
        replace_observations(con, observations, history=False)
        record_fetch_outcomes(con, log)
        for size in (500, 50_000):
            chosen = keys[np.sort(picks[:size])]
            save_collection(
                con,
                f"scale collection {size}",
                pl.DataFrame({"input": chosen, "key": chosen, "status": "valid"}),
                kind="portfolio",
                is_demo=True,
                meta={"career_start": 2000},
            )
