"""Writes only the fetch pipeline needs (lib/ingest/)."""

from __future__ import annotations

import duckdb
import polars as pl

from lib.store.work_metrics import mark_dirty


def clear_observations(con: duckdb.DuckDBPyConnection, pairs: pl.DataFrame) -> int:
    """Drop the latest values of these (key, source) pairs before a fresh answer replaces them.

    A source that now reports a metric as null must not leave its earlier value standing, and
    `replace_observations` only sees the pairs that still have a value.
    """
    if pairs.is_empty():
        return 0
    batch = pairs.select(pl.col("key").cast(pl.String), pl.col("source").cast(pl.String)).unique()
    con.register("_clear_pairs", batch)
    try:
        con.execute(
            "DELETE FROM observation o USING _clear_pairs p "
            "WHERE o.key = p.key AND o.source = p.source"
        )
        mark_dirty(con, "_clear_pairs")
    finally:
        con.unregister("_clear_pairs")
    return batch.height


RAW_SCHEMA = {
    "source": pl.String(),
    "request": pl.String(),
    "http_status": pl.Int32(),
    "fetched_at": pl.Datetime("us"),
    "body": pl.String(),
    "keys": pl.List(pl.String()),
}


def store_raw_many(con: duckdb.DuckDBPyConnection, raws: pl.DataFrame) -> int:
    """Keep many response bodies verbatim (already redacted) and link each to its works."""
    if raws.is_empty():
        return 0
    ids = con.sql("SELECT nextval('raw_id_seq') AS id FROM range($n)", params={"n": raws.height})
    batch = raws.with_columns(id=ids.pl()["id"])
    links = batch.select("id", "keys", "source").explode("keys").drop_nulls("keys")
    con.register("_raw_batch", batch)
    con.register("_raw_links", links)
    try:
        con.execute(
            "INSERT INTO raw (id, source, request, http_status, fetched_at, body) "
            "SELECT id, source, request, http_status, fetched_at, body FROM _raw_batch"
        )
        con.execute(
            "DELETE FROM raw_work r USING (SELECT DISTINCT keys, source FROM _raw_links) l "
            "WHERE r.key = l.keys AND r.source = l.source"
        )
        con.execute("INSERT INTO raw_work SELECT id, keys, source FROM _raw_links")
    finally:
        con.unregister("_raw_batch")
        con.unregister("_raw_links")
    return batch.height


MENTION_SCHEMA = {
    "key": pl.String(),
    "source": pl.String(),
    "title": pl.String(),
    "url": pl.String(),
    "link": pl.String(),
    "fetched_at": pl.Datetime("us"),
}


def replace_mentions(
    con: duckdb.DuckDBPyConnection, answered: pl.DataFrame, mentions: pl.DataFrame
) -> int:
    """The mentions of each answered (key, source) replaced by this answer's (maybe none)."""
    if answered.is_empty():
        return 0
    pairs = answered.select(pl.col("key").cast(pl.String), pl.col("source").cast(pl.String))
    con.register("_mention_pairs", pairs.unique())
    con.register("_mention_rows", mentions)
    try:
        con.execute(
            "DELETE FROM mention m USING _mention_pairs p "
            "WHERE m.key = p.key AND m.source = p.source"
        )
        con.execute(
            "INSERT INTO mention (key, source, title, url, link, fetched_at) "
            "SELECT DISTINCT key, source, title, url, link, fetched_at FROM _mention_rows"
        )
    finally:
        con.unregister("_mention_pairs")
        con.unregister("_mention_rows")
    return mentions.height
