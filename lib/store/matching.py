"""References being matched to works, their candidates and the decisions (model or person)."""

from __future__ import annotations

import duckdb
import polars as pl

from lib.store._sql import query
from lib.store.writes import conform

REFERENCE_SCHEMA: dict[str, pl.DataType] = {
    "position": pl.Int32(),
    "input": pl.String(),
    "parsed": pl.String(),
    "status": pl.String(),
    "reason": pl.String(),
    "chosen_key": pl.String(),
    "probability": pl.Float64(),
    "looked_up_at": pl.Datetime("us"),
    "decided_by": pl.String(),
    "decided_at": pl.Datetime("us"),
}
CANDIDATE_SCHEMA: dict[str, pl.DataType] = {
    "position": pl.Int32(),
    "rank": pl.Int32(),
    "key": pl.String(),
    "source": pl.String(),
    "doi": pl.String(),
    "pmid": pl.String(),
    "openalex": pl.String(),
    "title": pl.String(),
    "authors": pl.String(),
    "year": pl.Int32(),
    "journal": pl.String(),
    "volume": pl.String(),
    "first_page": pl.String(),
    "type": pl.String(),
    "probability": pl.Float64(),
    "fields": pl.String(),
}


def replace_match_references(
    con: duckdb.DuckDBPyConnection, collection: str, references: pl.DataFrame
) -> int:
    """The collection's references (all of them, in order); candidates of dropped positions go."""
    batch = conform(references, REFERENCE_SCHEMA)
    con.execute("DELETE FROM match_reference WHERE collection = ?", [collection])
    con.register("_match_refs", batch)
    try:
        con.execute(
            "INSERT INTO match_reference SELECT ?, position, input, parsed, status, reason, "
            "chosen_key, probability, looked_up_at, decided_by, decided_at FROM _match_refs",
            [collection],
        )
        con.execute(
            "DELETE FROM match_candidate c WHERE collection = ? AND NOT EXISTS (SELECT 1 FROM "
            "_match_refs r WHERE r.position = c.position)",
            [collection],
        )
    finally:
        con.unregister("_match_refs")
    return batch.height


def match_references(con: duckdb.DuckDBPyConnection, collection: str) -> pl.DataFrame:
    """Every reference of a collection in input order, with its status and decision."""
    return query(
        con,
        "SELECT position, input, parsed, status, reason, chosen_key, probability, looked_up_at, "
        "decided_by, decided_at FROM match_reference WHERE collection = ? ORDER BY position",
        [collection],
    )


def replace_match_candidates(
    con: duckdb.DuckDBPyConnection, collection: str, position: int, candidates: pl.DataFrame
) -> None:
    con.execute(
        "DELETE FROM match_candidate WHERE collection = ? AND position = ?", [collection, position]
    )
    if candidates.is_empty():
        return
    batch = conform(candidates.with_columns(position=pl.lit(position)), CANDIDATE_SCHEMA)
    con.register("_match_cands", batch)
    try:
        con.execute(
            "INSERT INTO match_candidate SELECT ?, position, rank, key, source, doi, pmid, "
            "openalex, title, authors, year, journal, volume, first_page, type, probability, "
            "fields FROM _match_cands",
            [collection],
        )
    finally:
        con.unregister("_match_cands")


def match_candidates(
    con: duckdb.DuckDBPyConnection, collection: str, *, top: int = 3
) -> pl.DataFrame:
    """The top candidates of every reference, by position then rank."""
    return query(
        con,
        "SELECT position, rank, key, source, doi, pmid, openalex, title, authors, year, journal, "
        "volume, first_page, type, probability, fields FROM match_candidate "
        "WHERE collection = ? AND rank <= ? ORDER BY position, rank",
        [collection, top],
    )


def record_match_decision(
    con: duckdb.DuckDBPyConnection,
    collection: str,
    position: int,
    *,
    status: str,
    chosen_key: str | None,
    probability: float | None,
    reason: str | None,
    decided_by: str,
) -> None:
    con.execute(
        "UPDATE match_reference SET status = ?, chosen_key = ?, probability = ?, reason = ?, "
        "decided_by = ?, decided_at = now()::TIMESTAMP, looked_up_at = CASE WHEN ? = 'model' "
        "THEN now()::TIMESTAMP ELSE looked_up_at END WHERE collection = ? AND position = ?",
        [status, chosen_key, probability, reason, decided_by, decided_by, collection, position],
    )


def match_counts(con: duckdb.DuckDBPyConnection, collection: str) -> dict[str, int]:
    """How many references were matched automatically, by hand, or are left unmatched."""
    frame = query(
        con,
        """
        SELECT count(*) FILTER (WHERE status = 'auto') AS automatic,
               count(*) FILTER (WHERE status = 'accepted') AS by_hand,
               count(*) FILTER (WHERE status NOT IN ('auto', 'accepted')) AS unmatched,
               count(*) FILTER (WHERE status = 'review') AS waiting_for_review
        FROM match_reference WHERE collection = ?
        """,
        [collection],
    )
    return {name: int(value or 0) for name, value in frame.row(0, named=True).items()}
