"""The person's side of matching: decide one reference, or a reviewed CSV of top candidates.

The review CSV has one row per candidate (the top three per reference, or one empty row when there
is none). The person writes `accept` (or yes/x) in `decision` on the right candidate's row, or
`reject` on any row of a reference none of whose candidates is right; rows left blank change nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from lib import store
from lib.ingest.matching import write_collection

ACCEPT = frozenset({"accept", "accepted", "yes", "y", "x", "1", "true"})
REJECT = frozenset({"reject", "rejected", "no", "n", "none", "0", "false"})
REVIEW_COLUMNS = (
    "collection",
    "position",
    "reference",
    "status",
    "rank",
    "probability",
    "doi",
    "pmid",
    "title",
    "year",
    "authors",
    "journal",
    "volume",
    "first_page",
    "agrees",
    "differs",
    "decision",
)


class ReviewError(ValueError):
    """A reviewed file that cannot be applied (the message says why, for one stderr line)."""


def review_frame(db_path: str | Path, collection: str) -> pl.DataFrame:
    """References (every one, in order) beside their top candidates, for a person to decide."""
    with store.connect(db_path) as con:
        refs = store.match_references(con, collection)
        cands = store.match_candidates(con, collection, top=3)
    verdicts = cands.with_columns(
        agrees=_fields_with(pl.col("fields"), "agrees"),
        differs=_fields_with(pl.col("fields"), "differs"),
    )
    return (
        refs.join(verdicts, on="position", how="left")
        .with_columns(
            collection=pl.lit(collection),
            reference=pl.col("input"),
            decision=pl.lit(""),
        )
        .sort("position", "rank", nulls_last=True)
        .select(REVIEW_COLUMNS)
    )


def _fields_with(fields: pl.Expr, verdict: str) -> pl.Expr:
    return fields.map_elements(
        lambda text: ", ".join(f["field"] for f in json.loads(text) if f["verdict"] == verdict),
        return_dtype=pl.String,
    )


def write_review(db_path: str | Path, collection: str, path: Path) -> int:
    frame = review_frame(db_path, collection)
    frame.write_csv(path)
    return frame.height


def decide(db_path: str | Path, collection: str, position: int, key: str | None) -> None:
    """The person accepts a candidate (its key) or rejects them all (None)."""
    with store.connect(db_path) as con, store.transaction(con):
        cands = store.match_candidates(con, collection, top=3).filter(
            pl.col("position") == position
        )
        if key is not None and key not in cands["key"].to_list():
            raise ReviewError(f"reference {position} has no candidate {key}")
        probability = cands.filter(pl.col("key") == key)["probability"].first() if key else None
        store.record_match_decision(
            con,
            collection,
            position,
            status="accepted" if key else "rejected",
            chosen_key=key,
            probability=probability,  # type: ignore[arg-type]
            reason="matched by hand" if key else "rejected by a person: no candidate is this work",
            decided_by="person",
        )
        meta = (store.get_collection(con, collection) or {}).get("meta") or {}
        write_collection(con, collection, meta)


def apply_review(db_path: str | Path, path: Path) -> dict[str, int]:
    """Apply every decision written in a reviewed CSV; returns accepted / rejected counts."""
    try:
        frame = pl.read_csv(path, infer_schema=False)
    except (OSError, pl.exceptions.PolarsError) as error:
        raise ReviewError(f"cannot read {path}: {error}") from None
    missing = {"collection", "position", "decision", "doi", "pmid"} - set(frame.columns)
    if missing:
        raise ReviewError(f"{path} is not a review file (no column {', '.join(sorted(missing))})")
    marked = frame.with_columns(
        decision=pl.col("decision").fill_null("").str.strip_chars().str.to_lowercase()
    ).filter(pl.col("decision") != "")
    unknown = marked.filter(~pl.col("decision").is_in(sorted(ACCEPT | REJECT)))
    if not unknown.is_empty():
        row = unknown.row(0, named=True)
        raise ReviewError(
            f"reference {row['position']}: decision '{row['decision']}' is not accept or reject"
        )
    counts = {"accepted": 0, "rejected": 0}
    for (collection, position), group in marked.group_by(
        "collection", "position", maintain_order=True
    ):
        accepted = group.filter(pl.col("decision").is_in(sorted(ACCEPT)))
        if accepted.height > 1:
            raise ReviewError(f"reference {position}: more than one candidate accepted")
        if accepted.height == 1:
            row = accepted.row(0, named=True)
            key = (row["doi"] or "").lower() or (f"pmid:{row['pmid']}" if row["pmid"] else None)
            if key is None:
                raise ReviewError(f"reference {position}: the accepted row has no candidate")
            decide(db_path, str(collection), int(str(position)), key)
            counts["accepted"] += 1
        else:
            decide(db_path, str(collection), int(str(position)), None)
            counts["rejected"] += 1
    return counts
