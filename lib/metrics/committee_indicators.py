"""What the committee view adds to a portfolio's indicators: career-adjusted figures beside the
raw ones, the median percentiles, clinical and policy impact."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from lib.metrics.citations import CITATIONS
from lib.metrics.indicators import (
    ATTENTION_PERCENTILE,
    Indicator,
    Stats,
    column_or_null,
    count_present,
    when_any,
)


def committee_registry(columns: Sequence[str]) -> list[Indicator]:
    """What the committee view adds to the portfolio's indicators (career-adjusted, clinical).
    Needs per-work `__career_years` and `__committee_note` columns (one value per candidate)."""
    years = pl.col("__career_years").first()
    cites = pl.col(CITATIONS).cast(pl.Float64)
    no_start = "No career start: career-age adjusted indicators are not computed."

    def per_year_note(stats: Stats) -> str:
        years = stats["__career_years"]
        return f"Total citations divided by {years:.0f} career years." if years else no_start

    medians = (
        (
            "citation_percentile",
            "citation_percentile_median",
            "Median citation percentile",
            "normalised",
            "OpenAlex, 0-100, field, year and type.",
        ),
        (
            "nih_percentile",
            "nih_percentile_median",
            "Median NIH percentile",
            "normalised",
            "NIH iCite percentile of the RCR.",
        ),
        (
            ATTENTION_PERCENTILE,
            "attention_percentile_median",
            "Median attention percentile",
            "attention",
            "Open attention score, Hazen percentile within works of the same year.",
        ),
        (
            "apt",
            "apt_median",
            "Median Approximate Potential to Translate",
            "clinical",
            "NIH iCite APT: predicted chance of a later clinical citation.",
        ),
    )
    found = [
        Indicator(
            "career_years",
            "Career years",
            "career",
            years,
            pl.len(),
            lambda s: s["__committee_note"],
            "count",
        ),
        Indicator(
            "citations_per_career_year",
            "Citations per career year",
            "career",
            when_any(cites, cites.sum()) / years,
            count_present(cites),
            per_year_note,
        ),
    ]
    for column, name, label, group, note in medians:
        values = column_or_null(columns, column)
        found.append(Indicator(name, label, group, values.median(), count_present(values), note))
    for column, short, label_total, label_works in (
        (
            "clinical_citations",
            "clinical_cited_works",
            "Clinical citations (total)",
            "Works cited by clinical articles",
        ),
        (
            "policy_mentions",
            "policy_mentioned_works",
            "Policy document mentions (total)",
            "Works mentioned in policy documents",
        ),
    ):
        values = column_or_null(columns, column)
        found.append(
            Indicator(
                f"{column}_total",
                label_total,
                "clinical",
                when_any(values, values.sum()),
                count_present(values),
                "Works without a value are left out, not counted as 0.",
                "count",
            )
        )
        found.append(
            Indicator(
                short,
                label_works,
                "clinical",
                (values > 0).sum(),
                count_present(values),
                "Among works with a value.",
                "count",
            )
        )
    return found
