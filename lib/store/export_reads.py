"""Reads for exports: per-source data dates of a set of works, aggregated in SQL."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import polars as pl

from lib.store._sql import query


def data_dates(con: duckdb.DuckDBPyConnection, keys: Sequence[str]) -> pl.DataFrame:
    """Per source with values for the keys: works, oldest and newest `as_of`."""
    con.register("_export_keys", pl.DataFrame({"key": list(keys)}, schema={"key": pl.String}))
    try:
        return query(
            con,
            """
            SELECT o.source, count(DISTINCT o.key) AS works,
                   min(o.as_of) AS oldest, max(o.as_of) AS newest
            FROM observation o JOIN (SELECT DISTINCT key FROM _export_keys) k ON k.key = o.key
            GROUP BY o.source ORDER BY o.source
            """,
        )
    finally:
        con.unregister("_export_keys")
