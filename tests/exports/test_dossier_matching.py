"""The dossier says how the works of a reference list were matched."""

from __future__ import annotations

from datetime import datetime

import polars as pl

from lib.exports.dossier import ReportContext, matching_line, provenance_lines


def _context(matching: dict[str, int] | None) -> ReportContext:
    return ReportContext(
        collection="cv",
        person="Jane Smith",
        is_demo=False,
        data_dates=pl.DataFrame(),
        weights="weights: default",
        reference_sets=(),
        generated_at=datetime(2026, 12, 2, 12, 0),
        matching=matching,
    )


def test_the_dossier_counts_automatic_by_hand_and_unmatched() -> None:
    lines = provenance_lines(_context({"automatic": 27, "by_hand": 2, "unmatched": 1}))
    assert (
        "From a reference list: 27 works matched automatically, 2 by hand, 1 references left "
        "unmatched (not counted here)"
    ) in lines


def test_no_line_when_nothing_came_from_a_reference_list() -> None:
    assert matching_line({"automatic": 0, "by_hand": 0, "unmatched": 0}) is None
    assert not any("reference list" in line for line in provenance_lines(_context(None)))
