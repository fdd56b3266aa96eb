"""Preprint <-> published links (`work_version`): writes per fetched batch, reads per work set.

A Europe PMC link names the journal version by PMID (`pmid:N`); reads resolve such a key to the
cached work holding that PMID, so a DOI-keyed article still finds its preprint.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import polars as pl

from lib.store._sql import query
from lib.store.writes import conform

VERSION_SCHEMA: dict[str, pl.DataType] = {
    "published_key": pl.String(),
    "preprint_key": pl.String(),
    "relation": pl.String(),
    "source": pl.String(),
    "asserted_key": pl.String(),
    "evidence": pl.String(),
    "found_at": pl.Datetime("us"),
}


def replace_version_links(
    con: duckdb.DuckDBPyConnection, cleared: pl.DataFrame, links: pl.DataFrame
) -> int:
    """Drop the links earlier answers of (asserted_key, source) gave, then store the new ones.

    `cleared` has key, source (every ok result of the batch: an answer without links removes
    old ones); `links` has VERSION_SCHEMA's columns. Runs inside the caller's transaction.
    """
    if not cleared.is_empty():
        con.register("_version_cleared", cleared.select("key", "source"))
        try:
            con.execute(
                "DELETE FROM work_version v USING _version_cleared c "
                "WHERE v.asserted_key = c.key AND v.source = c.source"
            )
        finally:
            con.unregister("_version_cleared")
    if links.is_empty():
        return 0
    batch = conform(links, VERSION_SCHEMA).unique()
    con.register("_version_links", batch)
    try:
        con.execute(
            f"INSERT INTO work_version SELECT {', '.join(VERSION_SCHEMA)} FROM _version_links"
        )
    finally:
        con.unregister("_version_links")
    return batch.height


_RESOLVED = """
    WITH links AS (
        SELECT coalesce(p.key, v.published_key) AS published_key,
               coalesce(q.key, v.preprint_key) AS preprint_key,
               v.relation, v.source, v.evidence, v.found_at
        FROM work_version v
        LEFT JOIN work p ON v.published_key LIKE 'pmid:%'
             AND p.pmid = substr(v.published_key, 6) AND p.key <> v.published_key
        LEFT JOIN work q ON v.preprint_key LIKE 'pmid:%'
             AND q.pmid = substr(v.preprint_key, 6) AND q.key <> v.preprint_key
    )
"""


def version_links(con: duckdb.DuckDBPyConnection, keys: Sequence[str]) -> pl.DataFrame:
    """Links touching the keys (either side): published_key, preprint_key, sources, evidence,
    the preprint's metadata and whether each side is a cached / retracted work."""
    if not keys:
        return pl.DataFrame(schema={"published_key": pl.String, "preprint_key": pl.String})
    con.register("_version_keys", pl.DataFrame({"key": list(keys)}, schema={"key": pl.String}))
    try:
        return query(
            con,
            _RESOLVED
            + """
            SELECT l.published_key, l.preprint_key,
                   string_agg(DISTINCT l.source, ', ' ORDER BY l.source) AS sources,
                   string_agg(DISTINCT l.evidence, '; ' ORDER BY l.evidence) AS evidence,
                   max(l.found_at) AS found_at,
                   any_value(w.title) AS preprint_title, any_value(w.journal) AS preprint_venue,
                   any_value(w.year) AS preprint_year,
                   bool_or(w.key IS NOT NULL) AS preprint_cached,
                   bool_or(coalesce(w.is_retracted, false)) AS preprint_retracted,
                   bool_or(coalesce(pw.is_retracted, false)) AS published_retracted
            FROM links l
            LEFT JOIN work w ON w.key = l.preprint_key
            LEFT JOIN work pw ON pw.key = l.published_key
            WHERE l.published_key IN (SELECT key FROM _version_keys)
               OR l.preprint_key IN (SELECT key FROM _version_keys)
            GROUP BY l.published_key, l.preprint_key
            ORDER BY l.published_key, l.preprint_key
            """,
        )
    finally:
        con.unregister("_version_keys")
