"""The one-page portfolio summary (self-contained HTML, works offline).

The table downloads are made by `lib.exports.tables`, the one writer every download shares.

Every export carries what a reader needs to judge it: the data date per source, the sources, the
attention weights and the reference set each percentile is computed in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import polars as pl


@dataclass(frozen=True)
class ReportContext:
    """What every export states besides the numbers."""

    collection: str
    person: str | None
    is_demo: bool
    data_dates: pl.DataFrame  # source, label, oldest, newest, ok, failed
    weights: str  # lib.metrics weights_description
    reference_sets: Sequence[str]
    generated_at: datetime
    # References matched to works (lib/ingest/matching.py): automatic, by_hand, unmatched.
    matching: Mapping[str, int] | None = None


def matching_line(counts: Mapping[str, int] | None) -> str | None:
    """How the works of a reference list were matched; None when none came from one."""
    if not counts or not sum(counts.get(k, 0) for k in ("automatic", "by_hand", "unmatched")):
        return None
    return (
        f"From a reference list: {counts.get('automatic', 0):,} works matched automatically, "
        f"{counts.get('by_hand', 0):,} by hand, {counts.get('unmatched', 0):,} references left "
        "unmatched (not counted here)"
    )


def provenance_lines(context: ReportContext) -> list[str]:
    """Plain lines: collection, data dates per source, reference sets, weights, responsible use."""
    lines = [f"Collection: {context.collection}"]
    if context.person:
        lines.append(f"Person: {context.person}")
    if context.is_demo:
        lines.append("FICTIONAL DEMO DATA: every person, work and number is generated.")
    lines.append(f"Generated: {context.generated_at:%Y-%m-%d %H:%M}")
    if matched := matching_line(context.matching):
        lines.append(matched)
    for row in context.data_dates.iter_rows(named=True):
        lines.append(
            f"Source {row['label']}: fetched {row['oldest']:%Y-%m-%d} to {row['newest']:%Y-%m-%d}, "
            f"{row['ok']:,} works with data, {row['failed']:,} failed"
        )
    if context.data_dates.is_empty():
        lines.append("Sources: nothing fetched yet; every metric is missing, not zero.")
    lines.extend(f"Percentiles among: {name}" for name in context.reference_sets if name)
    lines.append(context.weights)
    lines.append(
        "Attention is attention, not quality. Missing values are empty (not zero). "
        "No journal impact factor is used."
    )
    return lines
