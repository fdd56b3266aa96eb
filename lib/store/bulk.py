"""Bulk loading of generated data (the scale benchmark's million works) by plain appends.

The replace-style writers in lib/store/writes.py first delete what a batch supersedes, which for
tens of millions of rows costs more than the insert. Generated works live under their own key
prefix, so the loader clears that prefix once and appends everything in a single pass instead.
"""

from __future__ import annotations

import duckdb
import polars as pl

from lib.store.work_metrics import mark_dirty
from lib.store.writes import (
    FETCH_LOG_SCHEMA,
    OBSERVATION_SCHEMA,
    PER_YEAR_SCHEMA,
    WORK_COLUMNS,
    conform,
)

TABLE_SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "work": WORK_COLUMNS,
    "observation": OBSERVATION_SCHEMA,
    "observation_history": OBSERVATION_SCHEMA,
    "fetch_log": FETCH_LOG_SCHEMA,
    "per_year": PER_YEAR_SCHEMA,
}


def clear_key_prefix(con: duckdb.DuckDBPyConnection, prefix: str) -> None:
    """Delete every work under a key prefix with its values, outcomes, series and raw links."""
    for table in (
        "observation",
        "observation_history",
        "fetch_log",
        "per_year",
        "raw_work",
        "work_metrics",
        "work_metrics_dirty",
        "work",
    ):
        con.execute(f"DELETE FROM {table} WHERE starts_with(key, ?)", [prefix])


def append_rows(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> int:
    """Append a frame to one of the data tables without replacing anything (keys must be new)."""
    schema = TABLE_SCHEMAS[table]
    batch = conform(frame, schema)
    columns = ", ".join(schema)
    con.register("_bulk_batch", batch)
    try:
        con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM _bulk_batch")
    finally:
        con.unregister("_bulk_batch")
    return batch.height


def queue_work_metrics(con: duckdb.DuckDBPyConnection, works: pl.DataFrame) -> int:
    """Queue bulk-appended works for the one-row-per-work model (appends bypass the writers).

    Readers rebuild only the queued rows they read, so a million-work load costs nothing here.
    """
    con.register("_bulk_keys", works.select("key"))
    try:
        mark_dirty(con, "_bulk_keys")
    finally:
        con.unregister("_bulk_keys")
    return works.height
