"""SQL for tests that check what a write left in the cache. Only tests read the tables directly;
the project's own code asks named functions of lib.store."""

from typing import Any

import duckdb
import polars as pl


def query(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> pl.DataFrame:
    return con.sql(sql, params=params).pl()
