"""The responsible-use panel of the committee comparison: reference sets, warnings, caveats. Pure.

Everything here is shown on the Compare page and written into every export, so the words live in
one place. Bases: DORA (no journal impact factor), Leiden Manifesto principles 1, 4, 6-8, and the
Metrics Toolkit's h-index page ("inappropriate ... to rank authors, particularly across
disciplines or those at different stages of their career").
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl

from lib.metrics import ReferenceDistribution
from lib.metrics.triangulation import QUADRANT_DEFINITION
from lib.scalars import to_int
from lib.views.candidates import Candidate

# Career stages by years since the career start; a committee should compare within a stage.
CAREER_STAGES = ((0, 10, "early career (under 10 years)"), (10, 20, "mid-career (10-19 years)"))
SENIOR_STAGE = "senior (20 years or more)"
CAREER_SPREAD_YEARS = 5
LOW_COVERAGE = 0.5

STATIC_REFERENCE_SETS: tuple[tuple[str, str], ...] = (
    (
        "Relative Citation Ratio (median, weighted)",
        "NIH iCite: the paper's citations per year over the rate expected for its co-citation "
        "field, benchmarked to NIH R01-funded papers of the same year (1.0 = NIH median). "
        "Provisional for the last two years.",
    ),
    ("NIH percentile", "NIH iCite: percentile of the RCR among NIH-funded papers."),
    (
        "FWCI (median)",
        "OpenAlex: citations over the world average for works of the same subfield, publication "
        "year and type (1.0 = average).",
    ),
    (
        "Citation percentile, top 10% and top 1% shares",
        "OpenAlex citation_normalized_percentile: works of the same subfield, publication year and "
        "type, 0-100. Shares are of works that have a percentile.",
    ),
    (
        "Approximate Potential to Translate, clinical citations",
        "NIH iCite: APT is a model's predicted chance of a later clinical citation; clinical "
        "citations count citing clinical articles (trials, guidelines).",
    ),
    (
        "m-quotient, citations per career year",
        "The candidate's own career: h-index or total citations over the years since the stated "
        "career start (inclusive). No external reference set.",
    ),
)


def career_stage(career_start: int | None, today: date) -> str | None:
    """The career stage of a candidate by years since the career start."""
    if career_start is None:
        return None
    years = today.year - career_start + 1
    return next((label for low, high, label in CAREER_STAGES if low <= years < high), SENIOR_STAGE)


def _place_and_span(reference: ReferenceDistribution | None) -> tuple[str, str, str]:
    if reference is not None and reference.counts.height:
        sizes = reference.counts.group_by(reference.by or None).agg(pl.col("n").sum())["n"]
        span = f"n = {to_int(sizes.min()):,} to {to_int(sizes.max()):,} per year"
        return reference.noun, reference.place, span
    return "works", "among the compared works only", "no cache-wide reference available"


def reference_sets(
    attention_reference: ReferenceDistribution | None,
    works: pl.DataFrame,
    citation_reference: ReferenceDistribution | None = None,
) -> pl.DataFrame:
    """indicator, reference set: what each normalised indicator is compared against."""
    noun, place, span = _place_and_span(attention_reference)
    attention = (
        f"Hazen percentile of the open attention score among {noun} of the same publication year "
        f"{place} ({span}). Works without any attention data are left out."
    )
    noun, place, span = _place_and_span(citation_reference)
    cited = (
        f"Hazen percentile of the citation count (first available source) among {noun} of the "
        f"same publication year {place} ({span})."
    )
    rows = [
        *STATIC_REFERENCE_SETS,
        ("Attention percentile", attention),
        ("Citation percentile (cache)", cited),
        ("Quadrants", QUADRANT_DEFINITION),
    ]
    return pl.DataFrame(
        rows, schema={"indicator": pl.String, "reference set": pl.String}, orient="row"
    )


def _value(indicators: pl.DataFrame, candidate: str, name: str) -> tuple[float | None, int, int]:
    row = indicators.filter((pl.col("candidate") == candidate) & (pl.col("name") == name))
    works = indicators.filter((pl.col("candidate") == candidate) & (pl.col("name") == "works"))
    total = int(works["value"][0] or 0) if works.height else 0
    return (row["value"][0], int(row["n"][0]), total) if row.height else (None, 0, total)


def responsible_use_warnings(
    candidates: Sequence[Candidate], indicators: pl.DataFrame, today: date
) -> list[str]:
    """Plain-language warnings specific to this set of candidates."""
    warnings: list[str] = []
    fields = {c.field for c in candidates if c.field}
    if len(fields) > 1:
        warnings.append(
            f"The candidates are in different fields ({', '.join(sorted(fields))}). Citation "
            "practices differ by field: do not compare or rank them by raw citations or h-index; "
            "read the field-normalised indicators and each portfolio on its own terms."
        )
    unknown_field = [c.label for c in candidates if not c.field]
    if unknown_field:
        warnings.append(f"No field is stated for {', '.join(unknown_field)}.")
    stages = {career_stage(c.career_start, today) for c in candidates if c.career_start}
    starts = [c.career_start for c in candidates if c.career_start]
    if len(stages) > 1 or (starts and max(starts) - min(starts) > CAREER_SPREAD_YEARS):
        warnings.append(
            f"The candidates are at different career stages (careers starting {min(starts)} to "
            f"{max(starts)}). The h-index and total citations grow with career length: never "
            "rank across career stages by h-index; the m-quotient and citations per career year "
            "are shown beside them, and they too only soften, not remove, the effect of age."
        )
    unknown_start = [c.label for c in candidates if not c.career_start]
    if unknown_start:
        warnings.append(
            f"No career start for {', '.join(unknown_start)}: career-age adjusted indicators are —."
        )
    for candidate in candidates:
        warnings.extend(_data_warnings(candidate, indicators))
    return warnings


def _data_warnings(candidate: Candidate, indicators: pl.DataFrame) -> list[str]:
    works, _, _ = _value(indicators, candidate.name, "works")
    if not works:
        return [f"{candidate.label}: the collection has no works; every indicator is —."]
    out = []
    _, with_citations, total = _value(indicators, candidate.name, "citations_total")
    if not with_citations:
        out.append(
            f"{candidate.label}: no work has citation data yet (not fetched or not found); "
            "every citation indicator is —, not 0."
        )
    for name, label in (("rcr_median", "an RCR"), ("fwci_median", "an FWCI")):
        _, n, total = _value(indicators, candidate.name, name)
        if with_citations and total and n / total < LOW_COVERAGE:
            out.append(
                f"{candidate.label}: only {n:,} of {total:,} works have {label}; the median "
                "speaks for those works only."
            )
    return out


def caveats(data_date: date | None) -> list[str]:
    """The caveats that accompany every comparison, on screen and in every export."""
    dated = f"{data_date:%Y-%m-%d}" if data_date else "unknown (nothing fetched yet)"
    return [
        "Quantitative indicators support, and never replace, a qualitative reading of each "
        "candidate's work (Leiden Manifesto 1 and 7).",
        "There is no overall rank and no composite score: indicators are shown side by side, "
        "candidates in the order the committee chose them.",
        "Never rank candidates across fields or career stages by h-index (Metrics Toolkit).",
        "Attention is not quality: mentions, posts and readers measure reach and discussion, "
        "which can be critical or negative.",
        "No journal impact factor or other journal-level metric is used or shown anywhere (DORA).",
        "Missing is not zero: a value no source supplied is shown as — and left out of medians, "
        "totals and charts; the n beside each figure says how many works it rests on.",
        "Normalised indicators are relative to a named reference set (see the table); recent "
        "works have provisional values.",
        f"Data date: values were fetched up to {dated}; each source's dates are in the coverage "
        "table.",
    ]
