"""The one way this package runs a read: SQL text in, a Polars frame out. Private to lib.store
(an import-linter contract keeps it so): everything outside asks a named store function."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import duckdb
import polars as pl


def query(
    con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any] | list[Any] | None = None
) -> pl.DataFrame:
    """Run a read query and return it as a Polars frame."""
    # `pl()` is typed Any because `lazy=True` would give a LazyFrame; eager, it is a DataFrame.
    frame: pl.DataFrame = con.sql(sql, params=params).pl()
    return frame
