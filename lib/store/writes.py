"""Writing works, observations, fetch outcomes, raw bodies and per-year series.

Every writer takes a Polars frame and replaces what it supersedes in set-based SQL, so one call per
batch is one transaction's worth of work (wrap calls in `transaction(con)` to make a batch atomic).
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import polars as pl

from lib.scalars import to_int
from lib.store.work_metrics import mark_dirty

WORK_COLUMNS: dict[str, pl.DataType] = {
    "key": pl.String(),
    "doi": pl.String(),
    "pmid": pl.String(),
    "pmcid": pl.String(),
    "arxiv": pl.String(),
    "openalex": pl.String(),
    "title": pl.String(),
    "journal": pl.String(),
    "year": pl.Int32(),
    "pub_date": pl.Date(),
    "type": pl.String(),
    "oa_status": pl.String(),
    "field": pl.String(),
    "topic": pl.String(),
    "is_retracted": pl.Boolean(),
    "is_demo": pl.Boolean(),
}

OBSERVATION_SCHEMA = {
    "key": pl.String(),
    "source": pl.String(),
    "metric": pl.String(),
    "value": pl.Float64(),
    "as_of": pl.Datetime("us"),
}

FETCH_LOG_SCHEMA = {
    "key": pl.String(),
    "source": pl.String(),
    "status": pl.String(),
    "http_status": pl.Int32(),
    "fetched_at": pl.Datetime("us"),
    "message": pl.String(),
}

PER_YEAR_SCHEMA = {
    "key": pl.String(),
    "source": pl.String(),
    "metric": pl.String(),
    "year": pl.Int32(),
    "value": pl.Float64(),
}


def conform(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Select and cast to a schema, adding absent columns as nulls."""
    return frame.select(
        [
            (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
            for name, dtype in schema.items()
        ]
    )


def upsert_works(
    con: duckdb.DuckDBPyConnection, works: pl.DataFrame, *, fill_only: bool = False
) -> int:
    """Insert new works; for known ones fill in what the new row knows without erasing anything.

    `fill_only` (uploads): a known work keeps every value it has and only gains the ones it lacks.
    A work is shared by every collection holding it, so a file imported into one collection must
    not rewrite the title, year or journal another collection shows; metadata from the sources of
    record (Crossref, OpenAlex, PubMed) replaces it when fetched, and the upload's own values stay
    with its collection items (`extra`, exported as `original: ...` columns).
    """
    if works.is_empty():
        return 0
    present = [c for c in WORK_COLUMNS if c in works.columns]
    batch = conform(works.unique("key", keep="last"), {c: WORK_COLUMNS[c] for c in present})
    if "is_demo" not in present:
        batch = batch.with_columns(is_demo=pl.lit(False))
        present.append("is_demo")
    pair = "work.{c}, EXCLUDED.{c}" if fill_only else "EXCLUDED.{c}, work.{c}"
    updates = [
        f"{c} = coalesce({pair.format(c=c)})" for c in present if c not in ("key", "is_demo")
    ]
    updates.append("updated_at = now()::TIMESTAMP")
    columns = ", ".join(present)
    con.register("_works_batch", batch)
    try:
        con.execute(
            f"INSERT INTO work ({columns}) SELECT {columns} FROM _works_batch "
            f"ON CONFLICT (key) DO UPDATE SET {', '.join(updates)}"
        )
    finally:
        con.unregister("_works_batch")
    return batch.height


def replace_observations(
    con: duckdb.DuckDBPyConnection, observations: pl.DataFrame, *, history: bool = True
) -> int:
    """A source's latest values for a work replace all its earlier values for that work."""
    if observations.is_empty():
        return 0
    batch = conform(observations, OBSERVATION_SCHEMA)
    con.register("_obs_batch", batch)
    try:
        con.execute(
            "DELETE FROM observation o USING (SELECT DISTINCT key, source FROM _obs_batch) b "
            "WHERE o.key = b.key AND o.source = b.source"
        )
        con.execute(
            "INSERT INTO observation SELECT key, source, metric, value, as_of FROM _obs_batch"
        )
        mark_dirty(con, "_obs_batch")
        if history:
            con.execute(
                "INSERT INTO observation_history SELECT key, source, metric, value, as_of FROM _obs_batch"
            )
    finally:
        con.unregister("_obs_batch")
    return batch.height


def record_fetch_outcomes(con: duckdb.DuckDBPyConnection, outcomes: pl.DataFrame) -> int:
    """Latest outcome per (work, source): ok, not_found, error or skipped."""
    if outcomes.is_empty():
        return 0
    batch = conform(outcomes, FETCH_LOG_SCHEMA).unique(["key", "source"], keep="last")
    con.register("_log_batch", batch)
    try:
        con.execute(
            "DELETE FROM fetch_log f USING _log_batch b WHERE f.key = b.key AND f.source = b.source"
        )
        con.execute(
            "INSERT INTO fetch_log SELECT key, source, status, http_status, fetched_at, message "
            "FROM _log_batch"
        )
        mark_dirty(con, "_log_batch")
    finally:
        con.unregister("_log_batch")
    return batch.height


def replace_per_year(con: duckdb.DuckDBPyConnection, series: pl.DataFrame) -> int:
    """Replace a source's yearly series for the (work, metric) pairs in the frame."""
    if series.is_empty():
        return 0
    batch = conform(series, PER_YEAR_SCHEMA)
    con.register("_py_batch", batch)
    try:
        con.execute(
            "DELETE FROM per_year p USING (SELECT DISTINCT key, source, metric FROM _py_batch) b "
            "WHERE p.key = b.key AND p.source = b.source AND p.metric = b.metric"
        )
        con.execute("INSERT INTO per_year SELECT key, source, metric, year, value FROM _py_batch")
    finally:
        con.unregister("_py_batch")
    return batch.height


def store_raw(
    con: duckdb.DuckDBPyConnection,
    *,
    source: str,
    request: str,
    http_status: int | None,
    body: str | None,
    keys: list[str],
    fetched_at: datetime,
) -> int:
    """Keep a response body verbatim (keys already redacted by the caller) and link its works."""
    raw_id = to_int(
        con.execute(
            "INSERT INTO raw (source, request, http_status, fetched_at, body) "
            "VALUES (?, ?, ?, ?, ?) RETURNING id",
            [source, request, http_status, fetched_at, body],
        ).fetchall()[0][0]
    )
    if keys:
        links = pl.DataFrame({"raw_id": [raw_id] * len(keys), "key": keys, "source": source})
        con.register("_raw_links", links)
        try:
            con.execute(
                "DELETE FROM raw_work r USING _raw_links l WHERE r.key = l.key AND r.source = l.source"
            )
            con.execute("INSERT INTO raw_work SELECT raw_id, key, source FROM _raw_links")
        finally:
            con.unregister("_raw_links")
    return raw_id


def set_setting(con: duckdb.DuckDBPyConnection, name: str, value_json: str) -> None:
    con.execute(
        "INSERT INTO setting VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value",
        [name, value_json],
    )
