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

# (column, indicator, label, group, note): medians the committee reads beside the portfolio's.
MEDIANS = (
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
# (column, works indicator, total label, works label): clinical and policy impact.
IMPACT = (
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
)
NO_CAREER_START = "No career start: career-age adjusted indicators are not computed."


def _per_year_note(stats: Stats) -> str:
    years = stats["__career_years"]
    return f"Total citations divided by {years:.0f} career years." if years else NO_CAREER_START


def _career() -> list[Indicator]:
    years = pl.col("__career_years").first()
    cites = pl.col(CITATIONS).cast(pl.Float64)
    per_year = when_any(cites, cites.sum()) / years
    return [
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
            per_year,
            count_present(cites),
            _per_year_note,
        ),
    ]


def _impact(columns: Sequence[str]) -> list[Indicator]:
    found = []
    for column, works_name, total_label, works_label in IMPACT:
        values = column_or_null(columns, column)
        n = count_present(values)
        left_out = "Works without a value are left out, not counted as 0."
        found.append(
            Indicator(
                f"{column}_total",
                total_label,
                "clinical",
                when_any(values, values.sum()),
                n,
                left_out,
                "count",
            )
        )
        found.append(
            Indicator(
                works_name,
                works_label,
                "clinical",
                (values > 0).sum(),
                n,
                "Among works with a value.",
                "count",
            )
        )
    return found


def committee_registry(columns: Sequence[str]) -> list[Indicator]:
    """What the committee view adds to the portfolio's indicators (career-adjusted, clinical).
    Needs per-work `__career_years` and per-candidate `__committee_note` (see `evaluate`)."""
    medians = [
        Indicator(
            name,
            label,
            group,
            (v := column_or_null(columns, column)).median(),
            count_present(v),
            note,
        )
        for column, name, label, group, note in MEDIANS
    ]
    return [*_career(), *medians, *_impact(columns)]
