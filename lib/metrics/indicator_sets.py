"""The portfolio's indicators (volume, coverage per source, citations, field-normalised, attention)
and the statistics their notes read; `portfolio_indicators` evaluates them for one collection."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import polars as pl

from lib.metrics.attention import (
    ATTENTION_SCORE,
    AttentionWeight,
    weights_description,
    with_attention_score,
)
from lib.metrics.citations import (
    CITATION_SOURCE,
    CITATION_SOURCE_LABELS,
    CITATIONS,
    too_recent_expr,
    with_citations,
)
from lib.metrics.indicators import (
    COUNT_CATEGORIES,
    OPEN_ACCESS_CLOSED,
    TOTAL,
    Indicator,
    Stats,
    column_or_null,
    count_present,
    evaluate,
    when_any,
)
from lib.metrics.indices import career_years, g_index_expr, h_index_expr, i10_index_expr
from lib.vocabulary import CATEGORY_LABELS, METRICS, SOURCES, SUPPLIED_BY, metrics_in


def _category_count(columns: Sequence[str], category: str) -> pl.Expr | None:
    metrics = [m for m in metrics_in(category) if m in columns]  # type: ignore[arg-type]
    if not metrics:
        return None
    return pl.when(pl.any_horizontal(pl.col(metrics).is_not_null())).then(
        pl.sum_horizontal(metrics)
    )


def _left_out(missing: int) -> str:
    if not missing:
        return ""
    verb = "work without any count is" if missing == 1 else "works without any count are"
    return f"{missing:,} {verb} left out, not counted as 0."


def _cited_left_out(stats: Stats) -> str:
    return _left_out(stats[TOTAL] - stats["h_index__n"])


def _citation_basis(stats: Stats) -> str:
    counts = sorted(
        ((stats[f"__from_{m}"], label) for m, label in CITATION_SOURCE_LABELS.items()),
        key=lambda pair: -pair[0],
    )
    sources = ", ".join(f"{n:,} from {label}" for n, label in counts if n)
    if not stats["h_index__n"]:
        return "No work has a citation count. " + _cited_left_out(stats)
    basis = (
        f"Per work, the first available count (OpenAlex, then Crossref, iCite, ...): {sources}. "
    )
    return basis + _cited_left_out(stats)


# ---------------------------------------------------------------- the registry


def _coverage(columns: Sequence[str]) -> list[Indicator]:
    found = []
    for source, metrics in SUPPLIED_BY.items():
        status = f"{source}_status"
        present = [m for m in metrics if m in columns]
        label = f"Works with data from {SOURCES[source].label}"
        if status in columns:
            ok = (pl.col(status) == "ok").sum()

            def note(stats: Stats, source: str = source) -> str:
                return ", ".join(
                    f"{label} {stats[f'__{source}_{s}']:,}"
                    for s, label in (
                        ("not_found", "not found"),
                        ("error", "error"),
                        ("skipped", "skipped"),
                        ("none", "not fetched"),
                    )
                    if stats[f"__{source}_{s}"]
                )

            found.append(
                Indicator(f"coverage_{source}", label, "coverage", ok, ok, note, "count", True)
            )
        elif present:
            with_data = pl.any_horizontal(pl.col(present).is_not_null()).sum()
            note_text = "works with a value from this export"
            found.append(
                Indicator(
                    f"coverage_{source}",
                    label,
                    "coverage",
                    with_data,
                    with_data,
                    note_text,
                    "count",
                    True,
                    omit_when_empty=True,
                )
            )
    return found


def _coverage_stats(columns: Sequence[str]) -> dict[str, pl.Expr]:
    stats = {}
    for source in SUPPLIED_BY:
        status = f"{source}_status"
        if status in columns:
            for s in ("not_found", "error", "skipped"):
                stats[f"__{source}_{s}"] = (pl.col(status) == s).sum()
            stats[f"__{source}_none"] = pl.col(status).is_null().sum()
    return stats


def _citations(columns: Sequence[str]) -> list[Indicator]:
    cites = pl.col(CITATIONS).cast(pl.Float64)
    n = count_present(cites)
    h = h_index_expr(CITATIONS)
    h_note = "Favours senior researchers and varies by field; use with other indicators, never to rank across fields or career stages. "
    g_note = (
        "Largest g whose top g works have at least g² citations (g at most the number of works). "
    )
    return [
        Indicator(
            "citations_total",
            "Total citations",
            "career",
            when_any(cites, cites.sum()),
            n,
            _citation_basis,
            "count",
        ),
        Indicator(
            "citations_median",
            "Median citations per work",
            "raw",
            cites.median(),
            n,
            _citation_basis,
        ),
        Indicator(
            "h_index", "h-index", "career", h, n, lambda s: h_note + _cited_left_out(s), "count"
        ),
        Indicator(
            "g_index",
            "g-index",
            "raw",
            g_index_expr(CITATIONS),
            n,
            lambda s: g_note + _cited_left_out(s),
            "count",
        ),
        Indicator(
            "i10_index",
            "i10-index",
            "raw",
            i10_index_expr(CITATIONS),
            n,
            lambda s: "Works with at least 10 citations. " + _cited_left_out(s),
            "count",
        ),
        Indicator(
            "m_quotient",
            "m-quotient (h per career year)",
            "career",
            h / pl.col("__career_years").first(),
            n,
            lambda s: s["__career_note"],
        ),
    ]


def _normalised(columns: Sequence[str], today: date) -> list[Indicator]:
    rcr, pct = column_or_null(columns, "rcr"), column_or_null(columns, "citation_percentile")
    fwci, oa = (
        column_or_null(columns, "fwci"),
        pl.col("oa_status") if "oa_status" in columns else pl.lit(None, dtype=pl.String),
    )
    top_note = (
        "OpenAlex citation percentile (field, year and type); share of works with a percentile."
    )

    def rcr_note(stats: Stats) -> str:
        provisional = stats["__rcr_provisional"]
        if provisional:
            return f"NIH iCite; {provisional:,} provisional (published in the last two years)."
        return "NIH iCite."

    return [
        Indicator(
            "rcr_median",
            "Median Relative Citation Ratio",
            "normalised",
            rcr.median(),
            count_present(rcr),
            rcr_note,
        ),
        Indicator(
            "rcr_weighted",
            "Weighted RCR (sum of RCRs)",
            "normalised",
            when_any(rcr, rcr.sum()),
            count_present(rcr),
            rcr_note,
        ),
        Indicator(
            "top10_share",
            "Share in the top 10% by citations (%)",
            "normalised",
            100 * (pct >= 90).sum() / count_present(pct),
            count_present(pct),
            top_note,
            "percent",
        ),
        Indicator(
            "top1_share",
            "Share in the top 1% by citations (%)",
            "normalised",
            100 * (pct >= 99).sum() / count_present(pct),
            count_present(pct),
            top_note,
            "percent",
        ),
        Indicator(
            "fwci_median",
            "Median FWCI",
            "normalised",
            fwci.median(),
            count_present(fwci),
            "OpenAlex; 1.0 is the world average for field, year and type.",
        ),
        Indicator(
            "oa_share",
            "Open access share (%)",
            "other",
            100 * (oa.drop_nulls() != OPEN_ACCESS_CLOSED).sum() / count_present(oa),
            count_present(oa),
            "Works with a known OA status; any status but closed counts as open.",
            "percent",
        ),
    ]


def _attention(columns: Sequence[str], weights_note: str) -> list[Indicator]:
    score = pl.col(ATTENTION_SCORE).cast(pl.Float64)
    note = f"{weights_note} Works whose attention sources were not fetched or found are left out."
    found = [
        Indicator(
            "attention_total",
            "Total open attention score",
            "attention",
            when_any(score, score.sum()),
            count_present(score),
            note,
        ),
        Indicator(
            "attention_median",
            "Median open attention score",
            "attention",
            score.median(),
            count_present(score),
            note,
        ),
    ]
    for category in COUNT_CATEGORIES:
        per_work = _category_count(columns, category)
        if per_work is None:
            continue
        labels = ", ".join(METRICS[m].label for m in metrics_in(category) if m in columns)  # type: ignore[arg-type]
        found.append(
            Indicator(
                f"{category}_count",
                f"{CATEGORY_LABELS[category]} (all counts)",  # type: ignore[index]
                "attention",
                when_any(per_work, per_work.sum()),
                count_present(per_work),
                f"Sum of {labels}, over works with any of them.",
                "count",
            )
        )
    return found


def portfolio_registry(columns: Sequence[str], today: date, weights_note: str) -> list[Indicator]:
    """The portfolio's indicators for a frame with these columns, in display order."""
    works = pl.len()
    return [
        Indicator(
            "works",
            "Works",
            "raw",
            works,
            works,
            "Valid works in the collection, excluded ones left out.",
            "count",
            True,
        ),
        *_coverage(columns),
        *_citations(columns),
        *_normalised(columns, today),
        *_attention(columns, weights_note),
    ]


def support_stats(columns: Sequence[str], today: date) -> dict[str, pl.Expr]:
    """Aggregations the notes read: where each citation count came from, provisional RCRs, ..."""
    rcr = column_or_null(columns, "rcr")
    stats = {
        TOTAL: pl.len(),
        "__rcr_provisional": (rcr.is_not_null() & too_recent_expr(today)).sum(),
        **{
            f"__from_{m}": (pl.col(CITATION_SOURCE) == label).sum()
            for m, label in CITATION_SOURCE_LABELS.items()
        },
        **_coverage_stats(columns),
    }
    return stats


def career_note(
    career_start: int | None, first_year: int | None, today: date
) -> tuple[int | None, str]:
    """Career years for Hirsch's m (from the stated start, else the first publication) and a note."""
    if career_start is not None:
        years = career_years(career_start, today)
        return (
            years,
            f"h divided by {years} career years (career start {career_start}, as stated, to {today.year}).",
        )
    if first_year is not None:
        years = career_years(first_year, today)
        return (
            years,
            f"h divided by {years} years since the first publication in this collection ({first_year}); no career start was given.",
        )
    return None, "No career start given and no publication year known."


def scored_works(
    works: pl.DataFrame, weights: Mapping[str, float | AttentionWeight] | None
) -> pl.DataFrame:
    """Works kept (not excluded) with their chosen citation count and open attention score."""
    if "excluded" in works.columns:
        works = works.filter(~pl.col("excluded").fill_null(False))
    return with_citations(with_attention_score(works, weights))


def portfolio_indicators(
    works: pl.DataFrame,
    *,
    career_start: int | None,
    today: date,
    weights: Mapping[str, float | AttentionWeight] | None = None,
) -> pl.DataFrame:
    """One row per indicator: name, label, value, n (works it is based on), coverage, note."""
    works = scored_works(works, weights)
    first_year = works["year"].min() if "year" in works.columns else None
    years, note = career_note(career_start, first_year, today)  # type: ignore[arg-type]
    frame = works.with_columns(__career_years=pl.lit(years, dtype=pl.Float64))
    registry = portfolio_registry(frame.columns, today, weights_description(weights))
    stats = {**support_stats(frame.columns, today), "__career_note": pl.lit(note).first()}
    return evaluate(frame, registry, stats).drop("group")
