"""Reads for the Portfolio page that the shared readers do not cover: snapshot history of a set."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import polars as pl

from lib.store._sql import query


def attention_history(
    con: duckdb.DuckDBPyConnection, keys: Sequence[str], metrics: Sequence[str]
) -> pl.DataFrame:
    """Per snapshot day and metric: the summed values we stored for the keys (day, metric, value, works).

    Drawn from our own `observation_history`, so it exists only where we fetched more than once.
    """
    con.register("_history_keys", pl.DataFrame({"key": list(keys)}, schema={"key": pl.String}))
    con.register(
        "_history_metrics", pl.DataFrame({"metric": list(metrics)}, schema={"metric": pl.String})
    )
    try:
        return query(
            con,
            """
            SELECT h.as_of::DATE AS day, h.metric, sum(h.value) AS value,
                   count(DISTINCT h.key) AS works
            FROM observation_history h
            JOIN _history_keys k ON k.key = h.key
            JOIN _history_metrics m ON m.metric = h.metric
            GROUP BY ALL ORDER BY day, h.metric
            """,
        )
    finally:
        con.unregister("_history_keys")
        con.unregister("_history_metrics")
