"""Deterministic, clearly fictional demo data for the "Demo School of Medicine" (and a scale option).

`build_demo` writes six faculty portfolios and a librarian's upload of about 2,000 works, with every
metric category from the sources that really supply it and realistic gaps (lib/demo/sources.py).
`build_scale` writes n generic fictional works and the benchmark's collections. Both are vectorised
(numpy Generator with a fixed seed, Polars), so the same seed gives the same frames.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import polars as pl

from lib.demo.model import FACTORS, simulate_counts
from lib.demo.sources import (
    altmetric_score,
    citation_variants,
    normalised_metrics,
    source_observations,
    source_outcomes,
    status_codes,
    yearly_series,
)
from lib.demo.works import (
    DEMO_YEAR,
    FIELDS,
    PROFILES,
    SCALE_PMID_BASE,
    author_positions,
    career_years,
    fictional_orcid,
    works_metadata,
)
from lib.store.bulk import append_rows, clear_key_prefix, queue_work_metrics
from lib.store.collections import save_collection
from lib.store.connection import transaction
from lib.store.reads import demo_work_counts
from lib.store.writes import (
    record_fetch_outcomes,
    replace_observations,
    replace_per_year,
    upsert_works,
)

DEMO_SEED = 20261123
UPLOAD_NAME = "Demo library upload (fictional)"
UPLOAD_NEW_WORKS = 1700
UPLOAD_FROM_PORTFOLIOS = 300
SCALE_PREFIX = "10.5555/scale."


@dataclass
class DemoCollection:
    name: str
    kind: str
    items: pl.DataFrame
    description: str
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class DemoData:
    works: pl.DataFrame
    observations: pl.DataFrame
    fetch_log: pl.DataFrame
    per_year: pl.DataFrame
    collections: list[DemoCollection]


def _profile_offsets(profile_index: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Latent shifts per work from its author's profile (index -1 = no profile)."""
    factor_table = np.array(
        [[p.offsets.get(f, 0.0) for f in FACTORS] for p in PROFILES] + [[0.0] * 5]
    )
    metric_names = {m for p in PROFILES for m in p.offsets if m not in FACTORS}
    metric_offsets = {
        m: np.array([p.offsets.get(m, 0.0) for p in PROFILES] + [0.0])[profile_index]
        for m in metric_names
    }
    return factor_table[profile_index], metric_offsets


def assemble(
    rng: np.random.Generator,
    works: pl.DataFrame,
    offsets: np.ndarray | None = None,
    metric_offsets: dict[str, np.ndarray] | None = None,
    series_for: np.ndarray | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Observations, fetch outcomes and yearly series for works carrying the profile columns
    `altmetric_share` and `clinical_share` (and optionally `in_upload`); `series_for` limits the
    yearly series to a subset of the works (a boolean mask)."""
    years = works["year"].to_numpy()
    counts = simulate_counts(rng, years, DEMO_YEAR, offsets, metric_offsets)
    counts |= citation_variants(rng, counts["citations_openalex"])
    wide = works.with_columns(**{m: pl.Series(v) for m, v in counts.items()}).with_columns(
        # CiteULike closed in 2019: later works have no readers there.
        citeulike_readers=pl.when(pl.col("year") < 2019).then("citeulike_readers").otherwise(0.0)
    )
    wide = normalised_metrics(rng, wide)
    # Altmetric's API counts X accounts, not posts: a few accounts post more than once.
    wide = wide.with_columns(x_accounts=(pl.col("x_posts") * 0.8).ceil())
    wide = wide.with_columns(altmetric_score=altmetric_score(wide, rng))
    codes = status_codes(rng, wide)
    observations = source_observations(wide, codes)
    outcomes = source_outcomes(wide, codes)
    if series_for is not None:
        wide = wide.filter(pl.Series(series_for))
        codes = {source: code[series_for] for source, code in codes.items()}
    return observations, outcomes, yearly_series(rng, wide, codes)


def _portfolio_collection(
    profile_number: int, keys: pl.DataFrame, rng: np.random.Generator
) -> DemoCollection:
    profile = PROFILES[profile_number]
    ordered = keys.sort(["year", "key"], descending=[True, False])
    items = ordered.select(
        input=pl.col("doi"),
        key=pl.col("key"),
        status=pl.lit("valid"),
        author_position=pl.Series(author_positions(rng, profile.positions, ordered.height)),
    )
    meta = {
        "person": profile.person,
        "orcid": fictional_orcid(profile_number + 1),
        "career_start": profile.career_start,
        "field": profile.field,
        "story": profile.story,
        "fictional": True,
    }
    description = f"Fictional portfolio: {profile.story}."
    return DemoCollection(profile.person, "portfolio", items, description, meta)


def _upload_collection(works: pl.DataFrame, rng: np.random.Generator) -> DemoCollection:
    """A librarian's Scopus export: mixed identifier forms, a few bad and repeated rows."""
    n = works.height
    form = rng.choice(4, size=n, p=[0.6, 0.25, 0.1, 0.05])
    rows = works.select(
        "key",
        input=pl.when(pl.Series(form) == 1)
        .then(pl.format("https://doi.org/{}", "doi"))
        .when(pl.Series(form) == 2)
        .then(pl.format("doi:{}", pl.col("doi").str.to_uppercase()))
        .when((pl.Series(form) == 3) & pl.col("pmid").is_not_null())
        .then("pmid")
        .otherwise("doi"),
        reason=pl.when((pl.Series(form) == 3) & pl.col("pmid").is_not_null()).then(
            pl.lit("resolved from PMID")
        ),
        extra=pl.struct(
            pl.col("journal").alias("Source title"),
            pl.col("citations_scopus").cast(pl.Int64).alias("Cited by"),
            pl.col("type").str.to_titlecase().alias("Document Type"),
        ).struct.json_encode(),
    )
    repeats = rows.sample(25, seed=int(rng.integers(1 << 31))).with_columns(
        input=pl.col("input").str.to_uppercase()
    )
    junk = ["10.5555/", "see attached", "PMID: n/a", "10.5555 demo 2019", "doi.org/", "12ab45"]
    invalid = pl.DataFrame({"input": [junk[i % len(junk)] for i in range(15)]}).with_columns(
        key=pl.lit(None, pl.String),
        reason=pl.lit("not a DOI, PMID or PMCID"),
        extra=pl.lit('{"Source title":null,"Cited by":null,"Document Type":null}'),
    )
    order = rng.permutation(n + repeats.height + invalid.height)
    items = (
        pl.concat([rows, repeats, invalid.select(rows.columns)])
        .with_columns(position=pl.Series(order + 1, dtype=pl.Int32))
        .sort("position")
        .with_columns(first=pl.col("position").min().over("key"))
        .with_columns(
            status=pl.when(pl.col("key").is_null())
            .then(pl.lit("invalid"))
            .when(pl.col("position") > pl.col("first"))
            .then(pl.lit("duplicate"))
            .otherwise(pl.lit("valid")),
        )
        .with_columns(
            duplicate_of=pl.when(pl.col("status") == "duplicate").then("first"),
            reason=pl.when(pl.col("status") == "duplicate")
            .then(pl.format("same work as row {}", "first"))
            .otherwise("reason"),
        )
        .drop("first")
    )
    meta = {"format": "scopus-csv", "file": "demo-library-export.csv", "fictional": True}
    description = "Fictional librarian upload: a Scopus export of the school's recent output."
    return DemoCollection(UPLOAD_NAME, "upload", items, description, meta)


def demo_frames(seed: int = DEMO_SEED) -> DemoData:
    """Everything `build_demo` writes, as frames (deterministic for a seed)."""
    rng = np.random.default_rng(seed)
    sizes = [p.works for p in PROFILES] + [UPLOAD_NEW_WORKS]
    profile_index = np.repeat(np.arange(len(sizes)), sizes)
    profile_index[profile_index == len(PROFILES)] = -1
    years = np.concatenate(
        [career_years(rng, p.career_start, p.works) for p in PROFILES]
        + [career_years(rng, 2012, UPLOAD_NEW_WORKS)]
    )
    fields = np.concatenate(
        [np.full(p.works, FIELDS.index(p.field)) for p in PROFILES]
        + [rng.integers(0, len(FIELDS), UPLOAD_NEW_WORKS)]
    )
    share = {
        name: np.array([getattr(p, name) for p in PROFILES] + [default])[profile_index]
        for name, default in (
            ("pmid_share", 0.85),
            ("altmetric_share", 0.65),
            ("clinical_share", 0.1),
        )
    }
    works = works_metadata(rng, years, fields, share["pmid_share"])
    in_upload = profile_index == -1
    in_upload[rng.choice(np.flatnonzero(~in_upload), UPLOAD_FROM_PORTFOLIOS, replace=False)] = True
    population = works.with_columns(
        profile=pl.Series(profile_index),
        altmetric_share=pl.Series(share["altmetric_share"]),
        clinical_share=pl.Series(share["clinical_share"]),
        in_upload=pl.Series(in_upload),
    )
    offsets, metric_offsets = _profile_offsets(profile_index)
    observations, outcomes, per_year = assemble(rng, population, offsets, metric_offsets)
    scopus = observations.filter(pl.col("metric") == "citations_scopus").select(
        "key", citations_scopus="value"
    )
    collections = [
        _portfolio_collection(i, population.filter(pl.col("profile") == i), rng)
        for i in range(len(PROFILES))
    ]
    uploaded = population.filter("in_upload").join(scopus, on="key", how="left")
    collections.append(
        _upload_collection(uploaded.sample(fraction=1.0, shuffle=True, seed=seed), rng)
    )
    return DemoData(works, observations, outcomes, per_year, collections)


def _write(
    con: duckdb.DuckDBPyConnection,
    data: DemoData,
    *,
    history: bool = True,
) -> dict[str, int]:
    with transaction(con):
        counts = {
            "works": upsert_works(con, data.works),
            "observations": replace_observations(con, data.observations, history=history),
            "fetch_log": record_fetch_outcomes(con, data.fetch_log),
            "per_year": replace_per_year(con, data.per_year),
        }
        save_demo_collections(con, data.collections)
    counts["collections"] = len(data.collections)
    return counts


def save_demo_collections(
    con: duckdb.DuckDBPyConnection, collections: list[DemoCollection]
) -> None:
    """Write generated collections, all flagged as fictional demo data."""
    for c in collections:
        save_collection(
            con, c.name, c.items, kind=c.kind, description=c.description, is_demo=True, meta=c.meta
        )


def build_demo(con: duckdb.DuckDBPyConnection, *, seed: int = DEMO_SEED) -> dict[str, int]:
    """Write the demo school (portfolios, upload, values, gaps) in one transaction; counts."""
    return _write(con, demo_frames(seed))


SCALE_COLLECTIONS: tuple[tuple[str, str, int], ...] = (
    ("scale portfolio 200", "portfolio", 200),
    ("scale collection 500", "upload", 500),
    ("scale collection 50000", "upload", 50_000),
    *((f"scale candidate {i}", "candidate", 200) for i in range(1, 13)),
)


def scale_frames(n: int, seed: int = 1) -> DemoData:
    """n generic fictional works (10.5555/scale.*) and the benchmark's collections.

    Yearly series are generated for the works in the benchmark's collections only: they are read
    per collection, and for a million works they would triple the rows to write.
    """
    rng = np.random.default_rng(seed)
    years = career_years(rng, 1995, n)
    fields = rng.integers(0, len(FIELDS), n)
    works = works_metadata(
        rng, years, fields, np.full(n, 0.85), prefix="scale", pmid_base=SCALE_PMID_BASE
    )
    population = works.with_columns(
        altmetric_share=pl.lit(0.65), clinical_share=pl.Series(rng.uniform(0.01, 0.3, n))
    )
    collections, members, start = [], np.zeros(n, dtype=bool), 0
    for name, kind, size in SCALE_COLLECTIONS:
        rows = np.arange(start, start + size) % n
        members[rows] = True
        keys = works["key"].gather(rows).unique(maintain_order=True)
        items = pl.DataFrame({"input": keys, "key": keys, "status": "valid"})
        meta = {"fictional": True, "scale": n}
        description = f"Benchmark collection ({size} works)"
        collections.append(DemoCollection(name, kind, items, description, meta))
        start += size
    observations, outcomes, per_year = assemble(rng, population, series_for=members)
    return DemoData(works, observations, outcomes, per_year, collections)


def build_scale(
    con: duckdb.DuckDBPyConnection, n: int, *, seed: int = 1, history: bool = False
) -> dict[str, int]:
    """Write n fictional works with all values and the benchmark collections; counts and ms.

    Replaces any earlier scale data (keys under 10.5555/scale.) by clearing that prefix and
    appending in bulk; `history=True` also writes observation_history (slower, rarely needed).
    """
    started = time.perf_counter()
    data = scale_frames(n, seed)
    generated = time.perf_counter()
    with transaction(con):
        clear_key_prefix(con, SCALE_PREFIX)
        counts = {
            "works": append_rows(con, "work", data.works),
            "observations": append_rows(con, "observation", data.observations),
            "fetch_log": append_rows(con, "fetch_log", data.fetch_log),
            "per_year": append_rows(con, "per_year", data.per_year),
        }
        if history:
            append_rows(con, "observation_history", data.observations)
        queue_work_metrics(con, data.works)
        save_demo_collections(con, data.collections)
    finished = time.perf_counter()
    counts["collections"] = len(data.collections)
    counts["generate_ms"] = round((generated - started) * 1000)
    counts["write_ms"] = round((finished - generated) * 1000)
    return counts


def is_demo_database(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the cache holds works and every one of them is fictional demo data."""
    total, demo = demo_work_counts(con)
    return total > 0 and total == demo
