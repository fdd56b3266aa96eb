"""The budget each source last reported (from its response headers), for the Sources page."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import duckdb
import polars as pl

_PREFIX = "budget:"


def save_budgets(
    con: duckdb.DuckDBPyConnection, budgets: Mapping[str, Mapping[str, Any]], seen_at: datetime
) -> None:
    """Keep each source's last reported budget (one row per source in `setting`)."""
    for source, budget in budgets.items():
        value = json.dumps({**budget, "seen_at": seen_at.isoformat(timespec="seconds")})
        con.execute(
            "INSERT INTO setting VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value",
            [_PREFIX + source, value],
        )


def last_budgets(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """source, remaining, limit, unit, reset_seconds, per_second, seen_at (one row per source)."""
    rows = con.execute(
        "SELECT name, value FROM setting WHERE starts_with(name, ?) ORDER BY name", [_PREFIX]
    ).fetchall()
    schema = {
        "source": pl.String,
        "remaining": pl.Float64,
        "limit": pl.Float64,
        "unit": pl.String,
        "reset_seconds": pl.Float64,
        "per_second": pl.Float64,
        "seen_at": pl.String,
    }
    records = []
    for name, value in rows:
        data = json.loads(value) if isinstance(value, str) else dict(value)
        records.append(
            {
                "source": name.removeprefix(_PREFIX),
                **{k: data.get(k) for k in schema if k != "source"},
            }
        )
    return pl.DataFrame(records, schema=schema)
