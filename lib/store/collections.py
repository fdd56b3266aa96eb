"""Collections (a portfolio, a candidate, an upload) and their items and corrections."""

from __future__ import annotations

import json
from typing import Any

import duckdb
import polars as pl

from lib.store._sql import query
from lib.store.writes import conform

ITEM_SCHEMA = {
    "position": pl.Int32(),
    "input": pl.String(),
    "key": pl.String(),
    "status": pl.String(),
    "reason": pl.String(),
    "duplicate_of": pl.Int32(),
    "extra": pl.String(),
    "author_position": pl.String(),
}


def save_collection(
    con: duckdb.DuckDBPyConnection,
    name: str,
    items: pl.DataFrame,
    *,
    kind: str = "upload",
    description: str | None = None,
    is_demo: bool = False,
    meta: dict[str, Any] | None = None,
) -> int:
    """Create or replace a collection's items. Fetched data (per work) and corrections survive."""
    batch = conform(items, ITEM_SCHEMA)
    if "position" not in items.columns:
        batch = batch.with_columns(position=pl.int_range(1, batch.height + 1, dtype=pl.Int32))
    meta_json = json.dumps(meta or {})
    con.execute(
        "INSERT INTO collection (name, kind, description, is_demo, meta) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind, "
        "description = coalesce(EXCLUDED.description, collection.description), "
        "is_demo = EXCLUDED.is_demo, meta = EXCLUDED.meta, updated_at = now()::TIMESTAMP",
        [name, kind, description, is_demo, meta_json],
    )
    con.execute("DELETE FROM collection_item WHERE collection = ?", [name])
    con.register("_items_batch", batch)
    try:
        con.execute(
            "INSERT INTO collection_item SELECT ?, position, input, key, status, reason, "
            "duplicate_of, extra, author_position FROM _items_batch",
            [name],
        )
    finally:
        con.unregister("_items_batch")
    return batch.height


def update_collection_meta(con: duckdb.DuckDBPyConnection, name: str, meta: dict[str, Any]) -> None:
    con.execute(
        "UPDATE collection SET meta = ?, updated_at = now()::TIMESTAMP WHERE name = ?",
        [json.dumps(meta), name],
    )


def delete_collection(con: duckdb.DuckDBPyConnection, name: str) -> None:
    for table in ("collection_item", "collection_correction"):
        con.execute(f"DELETE FROM {table} WHERE collection = ?", [name])
    con.execute("DELETE FROM collection WHERE name = ?", [name])


def list_collections(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """One row per collection: name, kind, is_demo, works, items, updated_at.

    `works` counts the distinct valid works a reader kept: a work removed in "Verify and
    correct" no longer counts, so the sidebar and Compare agree with the Portfolio page.
    """
    return query(
        con,
        """
        SELECT c.name, c.kind, c.description, c.is_demo, c.meta, c.updated_at,
               count(i.position) AS items,
               count(DISTINCT i.key) FILTER (
                   WHERE i.status = 'valid' AND NOT coalesce(x.excluded, false)
               ) AS works
        FROM collection c LEFT JOIN collection_item i ON i.collection = c.name
        LEFT JOIN collection_correction x ON x.collection = i.collection AND x.key = i.key
        GROUP BY ALL
        ORDER BY c.is_demo, c.kind, c.name
        """,
    )


def get_collection(con: duckdb.DuckDBPyConnection, name: str) -> dict[str, Any] | None:
    frame = query(con, "SELECT * FROM collection WHERE name = ?", [name])
    if frame.is_empty():
        return None
    row = frame.row(0, named=True)
    row["meta"] = json.loads(row["meta"]) if row["meta"] else {}
    return row


def collection_items(con: duckdb.DuckDBPyConnection, name: str) -> pl.DataFrame:
    """Items in input order, with the person's corrections applied (excluded, author position)."""
    return query(
        con,
        """
        SELECT i.position, i.input, i.key, i.status, i.reason, i.duplicate_of, i.extra,
               coalesce(c.author_position, i.author_position) AS author_position,
               coalesce(c.excluded, false) AS excluded, c.note
        FROM collection_item i
        LEFT JOIN collection_correction c ON c.collection = i.collection AND c.key = i.key
        WHERE i.collection = ?
        ORDER BY i.position
        """,
        [name],
    )


def collection_keys(
    con: duckdb.DuckDBPyConnection, name: str, *, include_excluded: bool = False
) -> list[str]:
    """Distinct valid work keys of a collection, in first-occurrence order."""
    frame = query(
        con,
        """
        SELECT i.key, min(i.position) AS first
        FROM collection_item i
        LEFT JOIN collection_correction c ON c.collection = i.collection AND c.key = i.key
        WHERE i.collection = $name AND i.status = 'valid' AND i.key IS NOT NULL
          AND ($all OR NOT coalesce(c.excluded, false))
        GROUP BY i.key ORDER BY first
        """,
        {"name": name, "all": include_excluded},
    )
    return frame["key"].to_list()


def correct_item(
    con: duckdb.DuckDBPyConnection,
    collection: str,
    key: str,
    *,
    excluded: bool | None = None,
    author_position: str | None = None,
    note: str | None = None,
) -> None:
    """Record a person's correction to one work of their collection; None leaves a field as is."""
    con.execute(
        """
        INSERT INTO collection_correction (collection, key, excluded, author_position, note)
        VALUES ($c, $k, coalesce($ex, false), $ap, $note)
        ON CONFLICT (collection, key) DO UPDATE SET
            excluded = coalesce($ex, collection_correction.excluded),
            author_position = coalesce($ap, collection_correction.author_position),
            note = coalesce($note, collection_correction.note),
            updated_at = now()::TIMESTAMP
        """,
        {"c": collection, "k": key, "ex": excluded, "ap": author_position, "note": note},
    )


def add_items(con: duckdb.DuckDBPyConnection, collection: str, items: pl.DataFrame) -> int:
    """Append items after the last position (e.g. a work the person adds to their portfolio)."""
    start = con.execute(
        "SELECT coalesce(max(position), 0) FROM collection_item WHERE collection = ?", [collection]
    ).fetchall()[0][0]
    batch = conform(items, ITEM_SCHEMA).with_columns(
        position=pl.int_range(start + 1, start + 1 + items.height, dtype=pl.Int32)
    )
    con.register("_add_items", batch)
    try:
        con.execute(
            "INSERT INTO collection_item SELECT ?, position, input, key, status, reason, "
            "duplicate_of, extra, author_position FROM _add_items",
            [collection],
        )
    finally:
        con.unregister("_add_items")
    return batch.height


def sample_work_keys(
    con: duckdb.DuckDBPyConnection, count: int, *, prefix: str = "", seed: int = 0
) -> list[str]:
    """`count` work keys starting with `prefix`, a deterministic pseudo-random pick (benchmarks)."""
    frame = query(
        con,
        "SELECT key FROM work WHERE starts_with(key, $prefix) "
        "ORDER BY hash(key || $seed::VARCHAR), key LIMIT $count",
        {"prefix": prefix, "seed": seed, "count": count},
    )
    return frame["key"].to_list()
