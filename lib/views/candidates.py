"""The committee's comparison as values: who is compared (`Candidate`) and everything shown about
them (`Comparison`), shared by the page, the charts and the committee report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl


@dataclass(frozen=True)
class Candidate:
    """One candidate: a collection, with the career start and field the committee confirmed."""

    name: str
    career_start: int | None = None
    field: str | None = None
    person: str | None = None
    career_start_origin: str = "not given"
    field_origin: str = "not given"

    @property
    def label(self) -> str:
        return self.person or self.name


@dataclass(frozen=True)
class Comparison:
    """Everything the Compare page and the committee report show, computed once."""

    candidates: tuple[Candidate, ...]
    today: date
    works: pl.DataFrame
    indicators: pl.DataFrame
    distributions: pl.DataFrame
    missing: pl.DataFrame
    bins: pl.DataFrame
    composition: pl.DataFrame
    quadrant_counts: pl.DataFrame
    correlations: pl.DataFrame
    coverage: pl.DataFrame
    reference_sets: pl.DataFrame
    warnings: tuple[str, ...]
    caveats: tuple[str, ...]
    weights_note: str
    data_date: date | None = None
