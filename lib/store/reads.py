"""Reading the cache as Polars frames: wide per-work tables, provenance, coverage, summaries."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import polars as pl

from lib.store._sql import query
from lib.store.work_metrics import model_columns, refresh_dirty
from lib.vocabulary import METRIC_NAMES, SOURCES, WEB_SOURCES

WORK_FIELDS = (
    "key, doi, pmid, pmcid, arxiv, openalex, title, journal, year, pub_date, type, "
    "oa_status, field, topic, is_retracted, is_demo"
)

_WORK_SELECT = ", ".join("w." + f.strip() for f in WORK_FIELDS.split(",")[1:])
_MODEL_SELECT = ", ".join("m." + c for c in model_columns()[1:])
_MODEL_COLUMNS = ", ".join(model_columns())

_SOURCE_PRIORITY = {name: i for i, name in enumerate(SOURCES)}


def _with_keys(con: duckdb.DuckDBPyConnection, keys: Sequence[str], name: str = "_keys") -> None:
    con.register(
        name,
        pl.DataFrame(
            {"key": list(keys), "ord": range(len(keys))}, schema={"key": pl.String, "ord": pl.Int64}
        ),
    )


def works_frame(con: duckdb.DuckDBPyConnection, keys: Sequence[str]) -> pl.DataFrame:
    """Work metadata for the keys, in the order given; unknown keys come back with null metadata."""
    _with_keys(con, keys)
    try:
        return query(
            con,
            f"SELECT k.key, {', '.join('w.' + f.strip() for f in WORK_FIELDS.split(',')[1:])} "
            "FROM _keys k LEFT JOIN work w ON w.key = k.key ORDER BY k.ord",
        )
    finally:
        con.unregister("_keys")


def observations_long(con: duckdb.DuckDBPyConnection, keys: Sequence[str]) -> pl.DataFrame:
    """Latest observations for the keys: key, source, metric, value, as_of."""
    _with_keys(con, keys)
    try:
        return query(
            con,
            "SELECT o.key, o.source, o.metric, o.value, o.as_of FROM observation o "
            "JOIN _keys k ON k.key = o.key",
        )
    finally:
        con.unregister("_keys")


def fetch_log_long(con: duckdb.DuckDBPyConnection, keys: Sequence[str]) -> pl.DataFrame:
    """Latest fetch outcome per (work, source) for the keys."""
    _with_keys(con, keys)
    try:
        return query(
            con,
            "SELECT f.key, f.source, f.status, f.http_status, f.fetched_at, f.message "
            "FROM fetch_log f JOIN _keys k ON k.key = f.key",
        )
    finally:
        con.unregister("_keys")


def pivot_metrics(observations: pl.DataFrame) -> pl.DataFrame:
    """One row per work, one Float64 column per canonical metric (null = nobody supplied it).

    Where several sources supply the same metric, the most recent observation wins, then the
    source listed first in the registry.
    """
    chosen = (
        observations.lazy()
        .with_columns(
            priority=pl.col("source").replace_strict(
                _SOURCE_PRIORITY, default=99, return_dtype=pl.Int32
            )
        )
        .sort(["as_of", "priority"], descending=[True, False])
        .unique(["key", "metric"], keep="first", maintain_order=True)
        .collect()
    )
    wide = (
        chosen.pivot(on="metric", index="key", values="value")
        if chosen.height
        else pl.DataFrame({"key": []}, schema={"key": pl.String})
    )
    return wide.with_columns(
        [pl.lit(None, dtype=pl.Float64).alias(m) for m in METRIC_NAMES if m not in wide.columns]
    ).select("key", *[pl.col(m).cast(pl.Float64) for m in METRIC_NAMES])


def pivot_statuses(fetch_log: pl.DataFrame) -> pl.DataFrame:
    """One row per work, `<source>_status` per web source (null = never fetched)."""
    wide = (
        fetch_log.pivot(on="source", index="key", values="status")
        if fetch_log.height
        else pl.DataFrame({"key": []}, schema={"key": pl.String})
    )
    return wide.select(
        "key",
        *[
            (pl.col(s) if s in wide.columns else pl.lit(None, dtype=pl.String)).alias(f"{s}_status")
            for s in WEB_SOURCES
        ],
    )


# Up to this many keys, works_wide filters each table with `key IN (?, ?, ...)`: DuckDB pushes
# that filter into the scan and reads the wide columns only for matching rows (500 works from a
# million: ~70 ms against ~110 ms for a join, which reads every projected column of every row).
# Beyond it the OR-list itself dominates (50,000 keys: 2.2 s), and the join wins.
SMALL_LOOKUP = 2_000


def works_wide(con: duckdb.DuckDBPyConnection, keys: Sequence[str]) -> pl.DataFrame:
    """Metadata, every canonical metric and every web source's status for the keys, in order.

    Metrics come from the one-row-per-work model (lib/store/work_metrics.py); null = nobody
    supplied it.
    """
    _with_keys(con, keys)
    try:
        refresh_dirty(con, "_keys")
        frame = _small_lookup(con, keys) if len(keys) <= SMALL_LOOKUP else _joined_lookup(con)
    finally:
        con.unregister("_keys")
    return frame.with_columns(
        *[pl.col(m).cast(pl.Float64) for m in METRIC_NAMES],
        *[pl.col(f"{s}_status").cast(pl.String) for s in WEB_SOURCES],
        pl.col("rcr_provisional").cast(pl.Boolean).alias("icite_rcr_provisional"),
    ).drop("rcr_provisional")


def _joined_lookup(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return query(
        con,
        f"SELECT k.key, {_WORK_SELECT}, {_MODEL_SELECT} FROM _keys k "
        "LEFT JOIN work w ON w.key = k.key LEFT JOIN work_metrics m ON m.key = k.key "
        "ORDER BY k.ord",
    )


def _small_lookup(con: duckdb.DuckDBPyConnection, keys: Sequence[str]) -> pl.DataFrame:
    keys = list(keys)
    placeholders = ", ".join("?" * len(keys)) or "NULL"
    works = query(con, f"SELECT {WORK_FIELDS} FROM work WHERE key IN ({placeholders})", keys)
    model = query(
        con, f"SELECT {_MODEL_COLUMNS} FROM work_metrics WHERE key IN ({placeholders})", keys
    )
    ordered = pl.DataFrame({"key": keys}, schema={"key": pl.String})
    return ordered.join(works, on="key", how="left", maintain_order="left").join(
        model, on="key", how="left", maintain_order="left"
    )


def per_year_long(
    con: duckdb.DuckDBPyConnection, keys: Sequence[str], metric: str | None = None
) -> pl.DataFrame:
    """Yearly series (key, source, metric, year, value) for the keys."""
    _with_keys(con, keys)
    try:
        return query(
            con,
            "SELECT p.key, p.source, p.metric, p.year, p.value FROM per_year p "
            "JOIN _keys k ON k.key = p.key WHERE $metric IS NULL OR p.metric = $metric "
            "ORDER BY p.key, p.source, p.metric, p.year",
            {"metric": metric},
        )
    finally:
        con.unregister("_keys")


def observation_history(con: duckdb.DuckDBPyConnection, key: str) -> pl.DataFrame:
    return query(
        con,
        "SELECT source, metric, value, as_of FROM observation_history WHERE key = ? ORDER BY as_of",
        [key],
    )


def raw_responses(con: duckdb.DuckDBPyConnection, key: str) -> pl.DataFrame:
    """The stored response bodies a work's values were parsed from, newest first."""
    return query(
        con,
        "SELECT r.id, r.source, r.request, r.http_status, r.fetched_at, r.body "
        "FROM raw_work l JOIN raw r ON r.id = l.raw_id WHERE l.key = ? ORDER BY r.fetched_at DESC",
        [key],
    )


def demo_work_counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """(works in the cache, of which fictional demo works)."""
    sql = "SELECT count(*) AS total, count(*) FILTER (WHERE is_demo) AS demo FROM work"
    total, demo = query(con, sql).row(0)
    return int(total), int(demo)


def cache_summary(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """Headline counts for the Overview page."""
    row = con.execute(
        """
        SELECT (SELECT count(*) FROM work),
               (SELECT count(*) FROM work WHERE is_demo),
               (SELECT count(*) FROM collection),
               (SELECT count(*) FROM observation),
               (SELECT count(DISTINCT source) FROM observation),
               (SELECT min(as_of) FROM observation),
               (SELECT max(as_of) FROM observation)
        """
    ).fetchall()[0]
    names = ("works", "demo_works", "collections", "observations", "sources", "oldest", "newest")
    return dict(zip(names, row, strict=True))


def coverage_by_source(
    con: duckdb.DuckDBPyConnection, keys: Sequence[str] | None = None
) -> pl.DataFrame:
    """Per source: works by fetch status, and the data dates (oldest and newest fetch).

    With keys, limited to those works and `not_fetched` counts the ones never tried.
    """
    if keys is None:
        total = query(con, "SELECT count(*) AS n FROM work")["n"][0]
        return _with_unfetched_sources(_coverage_all(con), int(total))
    _with_keys(con, keys)
    try:
        total = query(con, "SELECT count(DISTINCT key) AS n FROM _keys")["n"][0]
        return _with_unfetched_sources(_coverage_of_keys(con), int(total))
    finally:
        con.unregister("_keys")


def work_mentions(con: duckdb.DuckDBPyConnection, key: str) -> pl.DataFrame:
    """The pages that mention one work: source, title, url, link, fetched_at (by title)."""
    return query(
        con,
        "SELECT source, title, url, link, fetched_at FROM mention WHERE key = ? "
        "ORDER BY source, title",
        [key],
    )


# Sources that look works up one by one (ORCID lists a person's works; it covers no work).
COVERAGE_SOURCES = tuple(s for s in WEB_SOURCES if s != "orcid")


def _with_unfetched_sources(frame: pl.DataFrame, total: int) -> pl.DataFrame:
    """Every work source has a row: one never fetched shows all its works as not fetched, so a
    chart or table of coverage does not silently leave it out."""
    missing = [s for s in COVERAGE_SOURCES if s not in set(frame["source"].to_list())]
    if not missing:
        return frame
    never = pl.DataFrame(
        {
            "source": missing,
            "ok": [0] * len(missing),
            "not_found": [0] * len(missing),
            "error": [0] * len(missing),
            "skipped": [0] * len(missing),
            "not_fetched": [total] * len(missing),
        }
    ).with_columns(
        pl.lit(None, frame.schema["oldest"]).alias("oldest"),
        pl.lit(None, frame.schema["newest"]).alias("newest"),
    )
    never = never.select(pl.col(c).cast(frame.schema[c]) for c in frame.columns)
    return pl.concat([frame, never]).sort("source")


def _coverage_all(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return query(
        con,
        """
        SELECT source,
               count(*) FILTER (WHERE status = 'ok') AS ok,
               count(*) FILTER (WHERE status = 'not_found') AS not_found,
               count(*) FILTER (WHERE status = 'error') AS error,
               count(*) FILTER (WHERE status = 'skipped') AS skipped,
               (SELECT count(*) FROM work) - count(*) AS not_fetched,
               min(fetched_at) AS oldest, max(fetched_at) AS newest
        FROM fetch_log GROUP BY source ORDER BY source
        """,
    )


def _coverage_of_keys(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return query(
        con,
        """
        SELECT f.source,
               count(*) FILTER (WHERE f.status = 'ok') AS ok,
               count(*) FILTER (WHERE f.status = 'not_found') AS not_found,
               count(*) FILTER (WHERE f.status = 'error') AS error,
               count(*) FILTER (WHERE f.status = 'skipped') AS skipped,
               (SELECT count(DISTINCT key) FROM _keys) - count(*) AS not_fetched,
               min(f.fetched_at) AS oldest, max(f.fetched_at) AS newest
        FROM fetch_log f JOIN (SELECT DISTINCT key FROM _keys) k ON k.key = f.key
        GROUP BY f.source ORDER BY f.source
        """,
    )
