"""What the Portfolio and Article pages show, as values: built once per rerun by the cached loaders
in `lib.ui`, read by the pages and the reports. Frozen, so a page cannot change what it was given."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import polars as pl


@dataclass(frozen=True)
class PortfolioView:
    """One collection as the Portfolio page shows it, placed among `reference`."""

    info: Mapping[str, Any] | None
    meta: Mapping[str, Any]
    table: pl.DataFrame  # one row per kept work, with percentiles, quadrant and missing reasons
    indicators: pl.DataFrame
    corrections: pl.DataFrame
    items: int
    per_year_source: str | None
    per_year: pl.DataFrame
    history: pl.DataFrame
    data_dates: pl.DataFrame
    composition: pl.DataFrame
    newest: datetime | None
    reference: str | None
    matching: Mapping[str, int] | None
    versions: pl.DataFrame
    versions_metric: str | None
    demo_reference: bool = False  # every work fictional: placed among the demo works only

    def showing(self, table: pl.DataFrame) -> PortfolioView:
        """The same view over the works a filtered table shows (for the exports of that table)."""
        return replace(self, table=table)


@dataclass(frozen=True)
class ArticleView:
    """One work as the Article page shows it: every metric from every source, dated."""

    work: Mapping[str, Any]
    composition: pl.DataFrame
    known: bool  # the cache has its metadata, a value or a fetch outcome
    observations: pl.DataFrame
    statuses: pl.DataFrame
    citations: pl.DataFrame
    per_year: pl.DataFrame
    history: pl.DataFrame
    raw: tuple[Mapping[str, Any], ...]
    mentions: pl.DataFrame
    versions: tuple[tuple[Any, pl.DataFrame], ...]  # (VersionPair, values side by side)
