"""What each source would have said about the fictional works: outcomes, values, yearly series.

Missingness is modelled, not zero-filled: a work Altmetric has no record of gets no attention
values at all (status not_found), a work without a PMID is skipped by iCite (no RCR), Semantic
Scholar errors for a few (429/503), and iCite marks RCRs of the last two years as provisional in the
fetch_log message (the observation table has no flag column; see the report for a proposal).
Usage (views, downloads) comes from source "publisher": a publisher's COUNTER usage report loaded as
a file, present only for works on the publisher's own open platform. No web API in our registry
supplies usage, so the demo does not pretend one does.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import polars as pl

from lib.demo.works import DEMO_YEAR
from lib.scalars import to_int
from lib.vocabulary import SUPPLIED_BY

FETCHED_AT: dict[str, datetime] = {
    "openalex": datetime(2026, 11, 20, 9, 0),
    "crossref": datetime(2026, 11, 20, 9, 4),
    "icite": datetime(2026, 11, 20, 9, 7),
    "europepmc": datetime(2026, 11, 20, 9, 9),
    "semanticscholar": datetime(2026, 11, 20, 9, 12),
    "altmetric": datetime(2026, 11, 20, 9, 15),
    "publisher": datetime(2026, 10, 31, 0, 0),
    "scopus": datetime(2026, 11, 18, 14, 30),
}
SUPPLIES: dict[str, tuple[str, ...]] = {
    **{
        s: SUPPLIED_BY[s] for s in ("openalex", "icite", "crossref", "europepmc", "semanticscholar")
    },
    "altmetric": SUPPLIED_BY["altmetric"],
    "publisher": ("views", "downloads"),
    "scopus": ("citations_scopus",),
}
# Altmetric's published default weights (news 8, blogs 5, policy/patents/Wikipedia 3, ...).
ALTMETRIC_WEIGHTS = {
    "news_mentions": 8.0,
    "blog_mentions": 5.0,
    "policy_mentions": 3.0,
    "patent_mentions": 3.0,
    "wikipedia_mentions": 3.0,
    "peer_review_mentions": 1.0,
    "x_accounts": 0.25,
    "facebook_mentions": 0.25,
    "reddit_mentions": 0.25,
    "bluesky_mentions": 0.25,
    "video_mentions": 0.25,
}
APT_LEVELS = np.array([0.05, 0.25, 0.5, 0.75, 0.95])
PROVISIONAL = "provisional RCR: published within the last two years"


OK, NOT_FOUND, ERROR, SKIPPED, RATE_LIMITED = 0, 1, 2, 3, 4  # codes; 4 is an error with HTTP 429
HTTP_CODES = (200, 404, 503, None, 429)
STATUS_OF_CODE = {OK: "ok", NOT_FOUND: "not_found", ERROR: "error", SKIPPED: "skipped", 4: "error"}
MESSAGES: dict[str, dict[int, str]] = {
    "openalex": {NOT_FOUND: "no OpenAlex work for this DOI"},
    "icite": {SKIPPED: "no PMID: iCite covers PubMed only", OK: PROVISIONAL},
    "europepmc": {NOT_FOUND: "no Europe PMC record for this DOI"},
    "semanticscholar": {
        NOT_FOUND: "paper not found",
        ERROR: "HTTP 503 Service Unavailable",
        RATE_LIMITED: "HTTP 429 Too Many Requests: rate limit hit, retries exhausted",
    },
    "altmetric": {NOT_FOUND: "Altmetric has no record of this DOI (no attention tracked)"},
    "publisher": {NOT_FOUND: "not in the publisher's usage report"},
    "scopus": {OK: "from the uploaded Scopus export"},
}


def status_codes(rng: np.random.Generator, works: pl.DataFrame) -> dict[str, np.ndarray]:
    """Per source, an outcome code per work (rows of `works`; -1 = not asked)."""
    n = works.height
    has_pmid = works["pmid"].is_not_null().to_numpy()
    open_platform = works["oa_status"].is_in(["gold", "hybrid", "diamond", "bronze"]).to_numpy()
    u = {s: rng.random(n) for s in SUPPLIES}
    s2 = u["semanticscholar"]
    codes = {
        "openalex": np.where(u["openalex"] < 0.01, NOT_FOUND, OK),
        "crossref": np.full(n, OK),
        "icite": np.where(has_pmid, OK, SKIPPED),
        "europepmc": np.where(has_pmid | (u["europepmc"] < 0.4), OK, NOT_FOUND),
        "semanticscholar": np.select(
            [s2 < 0.03, s2 < 0.06, s2 < 0.08], [RATE_LIMITED, ERROR, NOT_FOUND], OK
        ),
        "altmetric": np.where(u["altmetric"] < works["altmetric_share"].to_numpy(), OK, NOT_FOUND),
        "publisher": np.where(open_platform & (u["publisher"] < 0.9), OK, NOT_FOUND),
    }
    if "in_upload" in works.columns:
        codes["scopus"] = np.where(works["in_upload"].to_numpy(), OK, -1)
    return {source: code.astype(np.int8) for source, code in codes.items()}


def source_outcomes(works: pl.DataFrame, codes: dict[str, np.ndarray]) -> pl.DataFrame:
    """One fetch_log row per (work, source asked): status, HTTP status, reason."""
    provisional = (works["year"] >= DEMO_YEAR - 1).to_numpy()
    frames = []
    for source, code in codes.items():
        message_code = code.copy()
        if source == "icite":  # the only message on an ok row: a provisional RCR
            message_code = np.where((code == OK) & ~provisional, -1, code)
        frames.append(
            pl.DataFrame({"key": works["key"], "code": code, "message_code": message_code})
            .filter(pl.col("code") >= 0)
            .select(
                "key",
                source=pl.lit(source),
                status=pl.col("code").replace_strict(STATUS_OF_CODE),
                http_status=pl.col("code").replace_strict(
                    dict(enumerate(HTTP_CODES)), return_dtype=pl.Int32
                ),
                fetched_at=pl.lit(FETCHED_AT[source]),
                message=pl.col("message_code").replace_strict(
                    MESSAGES.get(source, {}), default=None, return_dtype=pl.String
                ),
            )
        )
    return pl.concat(frames)


def citation_variants(rng: np.random.Generator, citations: np.ndarray) -> dict[str, np.ndarray]:
    """Each database's count of the same citations: coverage differs, the ranking mostly not."""
    whole = citations.astype(np.int64)
    return {
        "citations_openalex": citations,
        "citations_crossref": rng.binomial(whole, 0.88).astype(float),
        "citations_icite": rng.binomial(whole, 0.82).astype(float),
        "citations_europepmc": rng.binomial(whole, 0.78).astype(float),
        "citations_semanticscholar": (whole + rng.poisson(0.08 * whole)).astype(float),
        "citations_scopus": rng.binomial(whole, 0.9).astype(float),
    }


def _normal_cdf(x: pl.Expr) -> pl.Expr:
    """Phi(x) by the tanh approximation (error < 2e-4, plenty for a percentile)."""
    return 0.5 * (1 + (0.7978845608 * (x + 0.044715 * x**3)).tanh())


def normalised_metrics(rng: np.random.Generator, wide: pl.DataFrame) -> pl.DataFrame:
    """FWCI, citation percentile, RCR, NIH percentile, APT and clinical citations."""
    n = wide.height
    cites, icite = pl.col("citations_openalex"), pl.col("citations_icite")
    year_mean = cites.mean().over("year")
    age = pl.max_horizontal(DEMO_YEAR - pl.col("year"), 1)
    noise = {k: pl.Series(np.exp(s * rng.standard_normal(n))) for k, s in (("f", 0.2), ("r", 0.25))}
    rcr = (icite / age / 2.5 * noise["r"]).round(2)
    # APT: iCite's five levels; clinical reach drives it, citations nudge it.
    apt_signal = 0.05 + 2.2 * wide["clinical_share"].to_numpy() + 0.12 * rng.standard_normal(n)
    apt = APT_LEVELS[np.abs(apt_signal[:, None] - APT_LEVELS[None, :]).argmin(axis=1)]
    clinical = rng.binomial(
        wide["citations_icite"].to_numpy().astype(np.int64), wide["clinical_share"].to_numpy()
    )
    return wide.with_columns(
        fwci=pl.when(year_mean > 0).then((cites / year_mean * noise["f"]).round(2)),
        citation_percentile=(cites.rank("max").over("year") / pl.len().over("year") * 100).round(1),
        rcr=pl.when((icite > 0) & (pl.col("year") < DEMO_YEAR)).then(rcr),
        apt=pl.Series(apt),
        clinical_citations=pl.Series(clinical.astype(float)),
    ).with_columns(nih_percentile=(100 * _normal_cdf(pl.col("rcr").log() / 1.1)).round(1))


def altmetric_score(wide: pl.DataFrame, rng: np.random.Generator) -> pl.Series:
    """Altmetric-like score: weighted mentions, with some noise for its unpublished tweaks."""
    weighted = sum(pl.col(m) * w for m, w in ALTMETRIC_WEIGHTS.items())
    noise = np.exp(0.1 * rng.standard_normal(wide.height))
    return wide.select((weighted * pl.lit(noise)).round(2))[:, 0]


def source_observations(wide: pl.DataFrame, codes: dict[str, np.ndarray]) -> pl.DataFrame:
    """Long observations for every (work, source) whose outcome is ok; null values left out."""
    frames = []
    for source, metrics in SUPPLIES.items():
        if source not in codes:
            continue
        frames.append(
            wide.filter(pl.Series(codes[source] == OK))
            .select("key", *[pl.col(m).cast(pl.Float64) for m in metrics])
            .unpivot(index="key", variable_name="metric", value_name="value")
            .drop_nulls("value")
            .with_columns(source=pl.lit(source), as_of=pl.lit(FETCHED_AT[source]))
        )
    return pl.concat(frames).select("key", "source", "metric", "value", "as_of")


def spread_over_years(
    rng: np.random.Generator, totals: np.ndarray, since: np.ndarray, *, rise: float, decay: float
) -> np.ndarray:
    """Split each total over calendar years (columns; `since` = years since publication, <0
    before it) along a jittered rise-and-decay curve; integer counts that sum to the total."""
    after = np.maximum(since, 0)
    weights = np.where(since >= 0, (after + rise) * np.exp(-after / decay), 0.0)
    weights *= 0.5 + rng.random(since.shape)
    weights /= np.maximum(weights.sum(axis=1, keepdims=True), 1e-12)
    # Round the running total, not each year: the counts then sum exactly to the total.
    running = np.rint(np.cumsum(weights * totals[:, None], axis=1))
    return np.diff(running, axis=1, prepend=0.0)


def yearly_series(
    rng: np.random.Generator, wide: pl.DataFrame, codes: dict[str, np.ndarray]
) -> pl.DataFrame:
    """Citations per year (OpenAlex: last 10 years, zero years omitted; iCite: explicit zeros
    from the publication year, as its list of citing PMIDs by year implies) and Altmetric
    attention (mentions) per year, years with posts only."""
    first_year = to_int(wide["year"].min())
    calendar = np.arange(first_year, DEMO_YEAR + 1)
    mentions = sum(pl.col(m) for m in ALTMETRIC_WEIGHTS)
    frames = []
    for source, metric, total, rise, decay in (
        ("openalex", "citations", pl.col("citations_openalex"), 0.6, 3.5),
        ("icite", "citations", pl.col("citations_icite"), 0.6, 3.5),
        ("altmetric", "attention", mentions, 1.0, 0.6),
    ):
        part = wide.filter(pl.Series(codes[source] == OK)).select("key", "year", total=total)
        for start in range(0, part.height, 100_000):
            chunk = part.slice(start, 100_000)
            years = chunk["year"].to_numpy()
            since = calendar[None, :] - years[:, None]
            counts = spread_over_years(
                rng, chunk["total"].to_numpy(), since, rise=rise, decay=decay
            )
            if source == "icite":
                keep = since >= 0
            elif source == "openalex":
                keep = (counts > 0) & (calendar[None, :] > DEMO_YEAR - 10)
            else:
                keep = counts > 0
            rows, cols = np.nonzero(keep)
            frames.append(
                pl.DataFrame(
                    {
                        "key": chunk["key"].gather(rows),
                        "source": source,
                        "metric": metric,
                        "year": calendar[cols].astype(np.int32),
                        "value": counts[rows, cols],
                    }
                )
            )
    return pl.concat(frames)
