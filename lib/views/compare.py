"""The committee comparison: 2-12 candidates side by side, never ranked. Pure Polars.

Candidates stay in the order the committee picked them; nothing here sorts candidates by a value
or sums indicators into a composite, because a single rank across fields and career stages is
exactly what the Leiden Manifesto (principles 6-8) and the Metrics Toolkit warn against. Each
figure carries the number of works it rests on, and a missing value stays null (shown as "—").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import polars as pl

from lib.metrics import (
    ATTENTION_SCORE,
    CITATIONS,
    AttentionWeight,
    ReferenceDistribution,
    career_years,
    percentiles_in_reference,
    reference_distribution,
    weights_description,
    with_attention_score,
    with_citations,
)
from lib.metrics.committee_indicators import committee_registry
from lib.metrics.indicator_sets import career_note, portfolio_registry, scored_works, support_stats
from lib.metrics.indicators import INDICATOR_SCHEMA, evaluate
from lib.scalars import to_int
from lib.views.candidates import Candidate, Comparison
from lib.views.caveats import caveats, reference_sets, responsible_use_warnings
from lib.views.compare_panels import (
    ATTENTION_PERCENTILE,
    CITATIONS_PERCENTILE,
    COMPOSITION_CATEGORIES,
    attention_composition,
    correlations,
    distributions,
    percentile_bins,
    quadrant_counts,
    source_coverage,
)
from lib.vocabulary import MISSING, metrics_in

MAX_CANDIDATES = 12


def _as_year(value: object) -> int | None:
    """A career start as stated in a collection's meta (a number or its text)."""
    if value is None:
        return None
    return int(value) if isinstance(value, str) else to_int(value)


GROUPS: dict[str, str] = {
    "normalised": "Field- and year-normalised (read these first)",
    "career": "Career-age adjusted, beside the raw figure",
    "raw": "Raw counts (not comparable across fields or career stages)",
    "attention": "Attention (attention is not quality)",
    "clinical": "Clinical and policy impact",
    "other": "Other indicators",
}
GROUP_OF: dict[str, str] = {
    "rcr_median": "normalised",
    "rcr_weighted": "normalised",
    "nih_percentile_median": "normalised",
    "fwci_median": "normalised",
    "citation_percentile_median": "normalised",
    "top10_share": "normalised",
    "top1_share": "normalised",
    "career_years": "career",
    "h_index": "career",
    "m_quotient": "career",
    "citations_total": "career",
    "citations_per_career_year": "career",
    "works": "raw",
    "citations_median": "raw",
    "g_index": "raw",
    "i10_index": "raw",
    "attention_percentile_median": "attention",
    "attention_median": "attention",
    "attention_total": "attention",
    "usage_count": "attention",
    "captures_count": "attention",
    "mentions_count": "attention",
    "social_count": "attention",
    "apt_median": "clinical",
    "clinical_citations_total": "clinical",
    "clinical_cited_works": "clinical",
    "policy_mentions_total": "clinical",
    "policy_mentioned_works": "clinical",
    "oa_share": "other",
}
ORDER = {name: i for i, name in enumerate(GROUP_OF)}
PERCENT_NAMES = {"top10_share", "top1_share", "oa_share"}
COUNT_NAMES = {
    "works",
    "career_years",
    "h_index",
    "g_index",
    "i10_index",
    "citations_total",
    "clinical_citations_total",
    "clinical_cited_works",
    "policy_mentions_total",
    "policy_mentioned_works",
    *(f"{c}_count" for c in COMPOSITION_CATEGORIES),
}


def default_candidate(
    name: str, meta: Mapping[str, object] | None, works: pl.DataFrame
) -> Candidate:
    """Career start and field from the collection's meta, else from its works (first year, modal field)."""
    meta = meta or {}
    start, start_origin = meta.get("career_start"), "stated in the collection"
    if start is None and "year" in works.columns and works["year"].drop_nulls().len():
        start, start_origin = to_int(works["year"].min()), "first publication in the collection"
    chosen_field, field_origin = meta.get("field"), "stated in the collection"
    if not chosen_field and "field" in works.columns and works["field"].drop_nulls().len():
        chosen_field = works["field"].drop_nulls().mode().sort()[0]
        field_origin = "most common field of the works"
    return Candidate(
        name=name,
        career_start=_as_year(start),
        field=str(chosen_field) if chosen_field else None,
        person=str(meta["person"]) if meta.get("person") else None,
        career_start_origin=start_origin if start is not None else "not given",
        field_origin=field_origin if chosen_field else "not given",
    )


def with_settings(
    candidate: Candidate, career_start: int | None, field_name: str | None
) -> Candidate:
    """The candidate with the committee's edits, remembering which values were edited."""
    field_name = (field_name or "").strip() or None
    start_origin = (
        candidate.career_start_origin
        if career_start == candidate.career_start
        else ("set by the committee" if career_start is not None else "not given")
    )
    field_origin = (
        candidate.field_origin
        if field_name == candidate.field
        else ("set by the committee" if field_name else "not given")
    )
    return Candidate(
        candidate.name,
        career_start,
        field_name,
        candidate.person,
        start_origin,
        field_origin,
    )


def _placed(
    scored: pl.DataFrame, measure: str, reference: ReferenceDistribution | None
) -> pl.DataFrame:
    """The works' percentiles of one measure in its reference set (the compared works if none)."""
    reference = reference or reference_distribution(
        scored, measure, by=("year",), place="among the compared works"
    )
    return percentiles_in_reference(scored, reference, measure, by=reference.by)


def prepare_works(
    works: pl.DataFrame,
    weights: Mapping[str, float | AttentionWeight] | None,
    attention_reference: ReferenceDistribution | None,
    citation_reference: ReferenceDistribution | None = None,
) -> pl.DataFrame:
    """Per work: citations, the open attention score, and both percentiles in the reference set.

    The attention and citation percentiles are those of the Portfolio page (same reference set,
    lib/views/references.py), so a work sits in the same quadrant on every page and report.
    """
    scored = with_citations(with_attention_score(works, weights))
    placed = _placed(scored, ATTENTION_SCORE, attention_reference)
    cited = _placed(scored, CITATIONS, citation_reference)
    return scored.with_columns(
        placed[f"{ATTENTION_SCORE}_percentile"].alias(ATTENTION_PERCENTILE),
        placed[f"{ATTENTION_SCORE}_cohort"].alias("attention_cohort"),
        cited[f"{CITATIONS}_percentile"].alias(CITATIONS_PERCENTILE),
        cited[f"{CITATIONS}_cohort"].alias("citations_cohort"),
        *(
            pl.when(pl.any_horizontal(pl.col(c).is_not_null() for c in cols))
            .then(pl.sum_horizontal(cols))
            .alias(f"{category}_count")
            for category in COMPOSITION_CATEGORIES
            if (cols := [m for m in metrics_in(category) if m in works.columns])
        ),
    )


def _career_columns(candidates: Sequence[Candidate], today: date) -> pl.DataFrame:
    """Per candidate: career years (only from a career start) and the notes that say so."""
    rows = []
    for c in candidates:
        years = career_years(c.career_start, today) if c.career_start else None
        m_note = (
            career_note(c.career_start, None, today)[1]
            if years
            else "No career start: not computed."
        )
        committee_note = (
            f"Career start {c.career_start} ({c.career_start_origin}) to {today.year}."
            if years
            else "No career start: career-age adjusted indicators are not computed."
        )
        rows.append((c.name, years, m_note, committee_note))
    return pl.DataFrame(
        rows,
        schema={
            "candidate": pl.String,
            "__career_years": pl.Float64,
            "__career_note": pl.String,
            "__committee_note": pl.String,
        },
        orient="row",
    )


def candidate_indicators(
    works: pl.DataFrame,
    candidates: Sequence[Candidate],
    *,
    today: date,
    weights: Mapping[str, float | AttentionWeight] | None = None,
) -> pl.DataFrame:
    """Long frame: candidate, group, name, label, value, n, coverage, note: the portfolio registry
    and the committee's additions, evaluated for every candidate in one aggregation."""
    careers = _career_columns(candidates, today)
    scored = scored_works(works, weights).join(
        careers.select("candidate", "__career_years"), on="candidate", how="left"
    )
    columns = scored.columns
    registry = [
        i
        for i in portfolio_registry(columns, today, weights_description(weights))
        if i.group != "coverage"
    ]
    registry += committee_registry(columns)
    frame = evaluate(scored, registry, support_stats(columns, today), "candidate", careers)
    order = pl.col("name").replace_strict(ORDER, default=len(ORDER))
    position = pl.col("candidate").replace_strict(
        {c.name: i for i, c in enumerate(candidates)}, default=len(candidates)
    )
    return frame.sort(position, order, maintain_order=True).select(
        "candidate", "group", *INDICATOR_SCHEMA
    )


def candidate_labels(comparison: Comparison) -> list[tuple[str, str]]:
    """(collection, label) per candidate; falls back to collection names when labels collide."""
    labels = [c.label for c in comparison.candidates]
    unique = len(set(labels)) == len(labels)
    return [(c.name, c.label if unique else c.name) for c in comparison.candidates]


def format_value(name: str, value: float | None) -> str:
    """A value as a committee reads it: percent, integer count or two decimals; missing is "—"."""
    if value is None:
        return MISSING
    if name in PERCENT_NAMES:
        return f"{value:.0f}%"
    if name in COUNT_NAMES:
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def indicator_matrix(comparison: Comparison, group: str) -> pl.DataFrame:
    """Rows = indicators of one group, one text column per candidate: value · n (coverage %)."""
    frame = comparison.indicators.filter(pl.col("group") == group)
    if frame.is_empty():
        return pl.DataFrame({"Indicator": []}, schema={"Indicator": pl.String})
    cells = frame.with_columns(
        cell=pl.struct("name", "value", "n", "coverage").map_elements(
            lambda r: f"{format_value(r['name'], r['value'])} · n {r['n']:,}",
            return_dtype=pl.String,
        )
    )
    labels = dict(candidate_labels(comparison))
    wide = cells.pivot(on="candidate", index=["name", "label"], values="cell", maintain_order=True)
    return wide.select(
        pl.col("label").alias("Indicator"),
        *[
            pl.col(c.name).fill_null(MISSING).alias(labels[c.name])
            for c in comparison.candidates
            if c.name in wide.columns
        ],
    )


def build_comparison(
    works: pl.DataFrame,
    candidates: Sequence[Candidate],
    *,
    today: date,
    weights: Mapping[str, float | AttentionWeight] | None = None,
    attention_reference: ReferenceDistribution | None = None,
    citation_reference: ReferenceDistribution | None = None,
    data_date: date | None = None,
    source_dates: pl.DataFrame | None = None,
) -> Comparison:
    """The whole comparison from the candidates' works (a `candidate` column + works_wide columns)."""
    prepared = prepare_works(works, weights, attention_reference, citation_reference)
    indicators = candidate_indicators(prepared, candidates, today=today, weights=weights)
    dist, missing = distributions(prepared)
    coverage = source_coverage(prepared)
    if source_dates is not None and coverage.height:
        coverage = coverage.join(source_dates, on="source", how="left", maintain_order="left")
    return Comparison(
        candidates=tuple(candidates),
        today=today,
        works=prepared,
        indicators=indicators,
        distributions=dist,
        missing=missing,
        bins=pl.concat(
            [percentile_bins(prepared, m) for m in ("citation_percentile", ATTENTION_PERCENTILE)]
        ),
        composition=attention_composition(prepared, weights),
        quadrant_counts=quadrant_counts(prepared),
        correlations=correlations(prepared, [c.name for c in candidates]),
        coverage=coverage,
        reference_sets=reference_sets(attention_reference, prepared, citation_reference),
        warnings=tuple(responsible_use_warnings(candidates, indicators, today)),
        caveats=tuple(caveats(data_date)),
        weights_note=weights_description(weights),
        data_date=data_date,
    )
