"""A work's preprint beside it: the pair, each one's values, and a labelled combined figure.

The preprint is its own work with its own values; nothing is merged silently. The combined figure
("published + preprint") is offered for counts only (summing ratios or percentiles means nothing)
and only where both have a value: a missing side makes it missing, not "published + 0". A citing
work that cites both versions counts twice in it, and the label says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import polars as pl

from lib import store
from lib.store.versions import version_links
from lib.vocabulary import METRIC_NAMES, METRICS

COMBINED_LABEL = "published + preprint"
COMBINED_NOTE = (
    "Published + preprint adds the two works' counts where both have a value; a work citing or "
    "mentioning both versions counts twice. Each version's own figure is shown beside it."
)
COUNT_METRICS = tuple(m for m in METRIC_NAMES if METRICS[m].kind == "count")


@dataclass(frozen=True)
class VersionPair:
    """One published-preprint link as the page and exports show it."""

    published_key: str
    preprint_key: str
    sources: str
    evidence: str
    title: str | None
    venue: str | None
    year: int | None
    status: str  # "fetched", "not in the cache", "retracted"


def _status(row: dict[str, object], preprint_values: bool) -> str:
    if row.get("preprint_retracted") or row.get("published_retracted"):
        return "retracted"
    if not row.get("preprint_cached"):
        return "not in the cache"
    return "fetched" if preprint_values else "fetched, no values (missing or not found)"


def load_versions(
    con: duckdb.DuckDBPyConnection, keys: Sequence[str]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(links touching the keys, works_wide of every linked work) from the cache."""
    links = version_links(con, keys)
    if links.is_empty():
        return links, pl.DataFrame()
    others = list(dict.fromkeys([*links["preprint_key"], *links["published_key"]]))
    return links, store.works_wide(con, others)


def pairs_for(key: str, links: pl.DataFrame, wide: pl.DataFrame) -> list[VersionPair]:
    """The preprints of `key` (or the published version, when `key` is the preprint)."""
    if links.is_empty():
        return []
    mine = links.filter((pl.col("published_key") == key) | (pl.col("preprint_key") == key))
    valued = (
        set(
            wide.filter(
                pl.any_horizontal(
                    pl.col(m).is_not_null() for m in COUNT_METRICS if m in wide.columns
                )
            )["key"].to_list()
        )
        if not wide.is_empty()
        else set()
    )
    return [
        VersionPair(
            published_key=r["published_key"],
            preprint_key=r["preprint_key"],
            sources=r["sources"],
            evidence=r["evidence"],
            title=r["preprint_title"],
            venue=r["preprint_venue"],
            year=r["preprint_year"],
            status=_status(r, r["preprint_key"] in valued),
        )
        for r in mine.iter_rows(named=True)
    ]


def side_by_side(pair: VersionPair, wide: pl.DataFrame) -> pl.DataFrame:
    """metric, published, preprint, published + preprint: counts with a value on either side."""
    rows = []
    by_key = {r["key"]: r for r in wide.iter_rows(named=True)} if not wide.is_empty() else {}
    published, preprint = by_key.get(pair.published_key, {}), by_key.get(pair.preprint_key, {})
    for metric in COUNT_METRICS:
        a, b = published.get(metric), preprint.get(metric)
        if a is None and b is None:
            continue
        rows.append(
            {
                "metric": METRICS[metric].label,
                "published": a,
                "preprint": b,
                COMBINED_LABEL: a + b if a is not None and b is not None else None,
            }
        )
    schema = {
        "metric": pl.String,
        "published": pl.Float64,
        "preprint": pl.Float64,
        COMBINED_LABEL: pl.Float64,
    }
    return pl.DataFrame(rows, schema=schema)


def preprint_columns(
    keys: Sequence[str], links: pl.DataFrame, wide: pl.DataFrame, metrics: Sequence[str]
) -> pl.DataFrame:
    """Per key: preprint_key (the first, by key, when several), preprint_<m>, and
    published_plus_preprint_<m> for count metrics; empty when no key has a preprint."""
    if links.is_empty():
        return pl.DataFrame()
    first = (
        links.filter(pl.col("published_key").is_in(list(keys)))
        .sort("published_key", "preprint_key")
        .group_by("published_key", maintain_order=True)
        .agg(pl.col("preprint_key").first(), preprints=pl.len())
        .rename({"published_key": "key"})
    )
    if first.is_empty():
        return pl.DataFrame()
    counts = [m for m in metrics if m in COUNT_METRICS and m in wide.columns]
    values = wide.select(
        pl.col("key").alias("preprint_key"), *[pl.col(m).alias(f"preprint_{m}") for m in counts]
    )
    own = wide.select("key", *[pl.col(m).alias(f"_own_{m}") for m in counts])
    frame = (
        pl.DataFrame({"key": list(keys)}, schema={"key": pl.String})
        .join(first, on="key", how="left", maintain_order="left")
        .join(values, on="preprint_key", how="left", maintain_order="left")
        .join(own, on="key", how="left", maintain_order="left")
    )
    return frame.select(
        "key",
        "preprint_key",
        pl.col("preprints").alias("preprint_count"),
        *[f"preprint_{m}" for m in counts],
        *[
            (pl.col(f"_own_{m}") + pl.col(f"preprint_{m}")).alias(f"published_plus_preprint_{m}")
            for m in counts
        ],
    )


def portfolio_versions(
    keys: Sequence[str], links: pl.DataFrame, wide: pl.DataFrame, titles: pl.DataFrame
) -> tuple[pl.DataFrame, str | None]:
    """Works of a portfolio with a preprint: one row each, a citation count of the published
    work, of its preprint, and the labelled published + preprint sum, from the one citation
    source that covers most pairs (named in the returned label); empty when none has one."""
    metrics = [m for m in COUNT_METRICS if m.startswith("citations_")]
    columns = preprint_columns(keys, links, wide, metrics)
    if columns.is_empty():
        return pl.DataFrame(), None
    linked = columns.filter(pl.col("preprint_key").is_not_null())
    covered = {
        m: linked[f"preprint_{m}"].is_not_null().sum()
        for m in metrics
        if f"preprint_{m}" in linked.columns
    }
    best = max(covered, key=lambda m: covered[m]) if covered else None
    base = linked.join(titles.select("key", "title"), on="key", how="left").join(
        wide.select("key", *([best] if best else [])), on="key", how="left"
    )
    if best is None:
        return base.select("key", "title", "preprint_key"), None
    return (
        base.select(
            "key",
            "title",
            "preprint_key",
            pl.col(best).alias("published"),
            pl.col(f"preprint_{best}").alias("preprint"),
            pl.col(f"published_plus_preprint_{best}").alias(COMBINED_LABEL),
        ),
        METRICS[best].label,
    )
