"""The one-row-per-work read model (`work_metrics`) and its upkeep.

Writers call `mark_dirty` inside their batch's transaction; `refresh_dirty` rebuilds exactly those
rows from `observation` and `fetch_log` (same rules as `reads.pivot_metrics`: newest observation
wins, then the source listed first in the registry). Readers refresh before they read, so a crash
between a batch and its refresh can leave the model stale only until the next read.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import duckdb

from lib.scalars import to_int
from lib.vocabulary import METRIC_NAMES, SOURCES, WEB_SOURCES

_refresh_lock = threading.Lock()

# Identifiers below come from the registry, never from input, so composing them is safe.
_PRIORITY_CASE = (
    "CASE source "
    + " ".join(f"WHEN '{name}' THEN {i}" for i, name in enumerate(SOURCES))
    + " ELSE 99 END"
)
_METRIC_COLUMNS = ",\n".join(
    f"max(value) FILTER (WHERE metric = '{m}') AS {m}" for m in METRIC_NAMES
)
_STATUS_COLUMNS = ",\n".join(
    f"max(status) FILTER (WHERE source = '{s}') AS {s}_status" for s in WEB_SOURCES
)
# iCite writes "provisional RCR..." as the fetch message of every provisional RCR it returns.
_FLAG_COLUMNS = (
    "max(CASE WHEN source = 'icite' AND status = 'ok' "
    "THEN coalesce(message, '') ILIKE 'provisional%' END) AS rcr_provisional"
)
_ALL_COLUMNS = ", ".join(
    ["key", *METRIC_NAMES, *(f"{s}_status" for s in WEB_SOURCES), "rcr_provisional"]
)


def _build_sql(scope: str) -> str:
    """SELECT producing work_metrics rows for the works in `scope` (a table or subquery of keys)."""
    return f"""
        WITH scope AS ({scope}),
        chosen AS (
            SELECT o.key, o.metric, o.value,
                   row_number() OVER (
                       PARTITION BY o.key, o.metric ORDER BY o.as_of DESC, {_PRIORITY_CASE}
                   ) AS rank
            FROM observation o SEMI JOIN scope s ON s.key = o.key
        ),
        metrics AS (SELECT key, {_METRIC_COLUMNS} FROM chosen WHERE rank = 1 GROUP BY key),
        statuses AS (
            SELECT f.key, {_STATUS_COLUMNS}, {_FLAG_COLUMNS}
            FROM fetch_log f SEMI JOIN scope s ON s.key = f.key GROUP BY f.key
        )
        SELECT {_ALL_COLUMNS}
        FROM scope LEFT JOIN metrics USING (key) LEFT JOIN statuses USING (key)
    """


def mark_dirty(con: duckdb.DuckDBPyConnection, batch_view: str) -> None:
    """Queue the works of a registered batch (a view with a `key` column) for a rebuild."""
    con.execute(f"INSERT INTO work_metrics_dirty SELECT DISTINCT key FROM {batch_view}")


def refresh_dirty(con: duckdb.DuckDBPyConnection, keys_view: str | None = None) -> int:
    """Rebuild queued works' rows (only those in `keys_view` when given); returns how many.

    Scoping to what a reader is about to read means a bulk load of a million works costs its
    readers only the rows they look at. Cheap when nothing relevant is queued.

    Runs in its own transaction on its own cursor, so it must be called outside the caller's
    transaction (it would not see that transaction's uncommitted rows). The lock keeps two threads
    of one process from rebuilding the same rows at once; other processes cannot hold the file.
    """
    dirty = "SELECT DISTINCT key FROM work_metrics_dirty"
    if keys_view is not None:
        dirty += f" WHERE key IN (SELECT key FROM {keys_view})"
    scope = con.sql(dirty).pl()  # views registered on `con` are invisible to another cursor
    if scope.is_empty():
        return 0
    with _refresh_lock, con.cursor() as cur:
        cur.register("_wm_dirty", scope)
        cur.execute("BEGIN TRANSACTION")
        try:
            cur.execute("CREATE OR REPLACE TEMP TABLE _wm_scope AS SELECT key FROM _wm_dirty")
            cur.execute("DELETE FROM work_metrics WHERE key IN (SELECT key FROM _wm_scope)")
            cur.execute(
                f"INSERT INTO work_metrics ({_ALL_COLUMNS}) "
                + _build_sql("SELECT key FROM _wm_scope")
            )
            cur.execute("DELETE FROM work_metrics_dirty WHERE key IN (SELECT key FROM _wm_scope)")
            count = to_int(cur.sql("SELECT count(*) FROM _wm_scope").fetchall()[0][0])
            cur.execute("DROP TABLE _wm_scope")
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
    return count


def model_columns() -> Sequence[str]:
    return _ALL_COLUMNS.split(", ")
