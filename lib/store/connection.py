"""Opening the DuckDB cache.

DuckDB lets one process hold a database file read-write, and a second process cannot open it at all
while it does (not even read-only). The dashboard and the `triangulate` CLI must both work on the
same file at the same time, so every caller holds the file only for the duration of one unit of
work: `with connect(path) as con: ...`. Opening costs ~25 ms on a large file, which Streamlit's
cache hides between reruns (lib/ui keys its cache on `data_version`). A caller that finds the
file locked by another process waits and retries with backoff up to `lock_timeout` seconds
(`TRIANGULATE_LOCK_TIMEOUT`, 60 by default).

Inside one process every caller gets its own cursor on one shared connection (DuckDB's "cursor per
thread" pattern), and the file is released when the last caller leaves.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from lib.settings import default_db_path, lock_timeout_seconds
from lib.store.migrations import MIGRATIONS


class DatabaseLocked(RuntimeError):
    """Another process kept the database file for longer than we were willing to wait."""


def _is_lock_error(error: Exception) -> bool:
    text = str(error)
    return "Could not set lock" in text or "Conflicting lock" in text


def _open(path: Path, lock_timeout: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + lock_timeout
    delay = 0.02
    while True:
        try:
            return duckdb.connect(str(path))
        except duckdb.IOException as error:
            if not _is_lock_error(error) or time.monotonic() >= deadline:
                if _is_lock_error(error):
                    raise DatabaseLocked(
                        f"{path} is in use by another process (waited {lock_timeout:.0f} s). "
                        "Try again when the other triangulate command has finished."
                    ) from error
                raise
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 0.5)


class _SharedDatabase:
    """One open DuckDB connection per file per process, shared by reference count."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.users = 0


_open_databases: dict[str, _SharedDatabase] = {}
_open_lock = threading.Lock()


@contextmanager
def connect(
    path: str | Path | None = None, *, lock_timeout: float | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the cache for one unit of work, creating and migrating it on first use.

    Concurrent callers in one process (Streamlit's session threads, an ingest thread) get their own
    cursor on one shared connection: opening the same file twice at the same moment races inside
    DuckDB ("Unique file handle conflict"). The file is closed when the last caller leaves.
    """
    db_path = Path(path) if path is not None else default_db_path()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    marker = str(db_path.resolve())
    with _open_lock:
        shared = _open_databases.get(marker)
        if shared is None:
            wait = lock_timeout_seconds() if lock_timeout is None else lock_timeout
            shared = _SharedDatabase(_open(db_path, wait))
            apply_migrations(shared.con)
            _open_databases[marker] = shared
        shared.users += 1
    cursor = shared.con.cursor()
    try:
        yield cursor
    finally:
        cursor.close()
        with _open_lock:
            shared.users -= 1
            if shared.users == 0:
                shared.con.close()
                del _open_databases[marker]


def apply_migrations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply pending migrations in order; returns the names applied now."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS migration "
        "(name VARCHAR PRIMARY KEY, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )
    done = {row[0] for row in con.execute("SELECT name FROM migration").fetchall()}
    applied = []
    for name, sql in MIGRATIONS:
        if name in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute("INSERT INTO migration (name) VALUES (?)", [name])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


def applied_migrations(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute("SELECT name FROM migration ORDER BY name").fetchall()]


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """One all-or-nothing unit: a crash inside leaves the cache as it was before."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def data_version(path: str | Path | None = None) -> tuple[float, float]:
    """A cheap fingerprint of the file (mtimes of the database and its WAL) for cache keys."""
    db_path = Path(path) if path is not None else default_db_path()

    def mtime(p: Path) -> float:
        try:
            return p.stat().st_mtime
        except FileNotFoundError:
            return 0.0

    return mtime(db_path), mtime(db_path.with_name(db_path.name + ".wal"))
