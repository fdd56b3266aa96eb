"""Portfolio indicators for a collection: one row per indicator, each saying what it is based on.

Missing is never zero: a work without a citation count is left out of h, g, i10, totals and
medians (and the note says how many were left out); an indicator with no works behind it is null.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import polars as pl

from lib.metrics.attention import (
    ATTENTION_SCORE,
    AttentionWeight,
    weights_description,
    with_attention_score,
)
from lib.metrics.citations import CITATION_SOURCE, CITATIONS, too_recent_expr, with_citations
from lib.vocabulary import CATEGORY_LABELS, METRICS, SOURCES, SUPPLIED_BY, metrics_in

INDICATOR_SCHEMA = {
    "name": pl.String,
    "label": pl.String,
    "value": pl.Float64,
    "n": pl.Int64,
    "coverage": pl.String,
    "note": pl.String,
}
COUNT_CATEGORIES = ("usage", "captures", "mentions", "social")
OPEN_ACCESS_CLOSED = "closed"


def h_index_expr(citations: pl.Expr | str) -> pl.Expr:
    """Largest h with h works cited at least h times each (nulls left out; null when none)."""
    ranked = _ranked(citations)
    return pl.when(ranked.len() > 0).then(
        (ranked >= pl.int_range(1, ranked.len() + 1)).sum().cast(pl.Int64)
    )


def g_index_expr(citations: pl.Expr | str) -> pl.Expr:
    """Largest g (at most the number of works) whose top g works have at least g² citations."""
    ranked = _ranked(citations)
    rank = pl.int_range(1, ranked.len() + 1)
    return pl.when(ranked.len() > 0).then((ranked.cum_sum() >= rank * rank).sum().cast(pl.Int64))


def i10_index_expr(citations: pl.Expr | str) -> pl.Expr:
    """Works cited at least 10 times (null when no work has a count)."""
    values = pl.col(citations) if isinstance(citations, str) else citations
    return pl.when(values.count() > 0).then((values >= 10).sum().cast(pl.Int64))


def _ranked(citations: pl.Expr | str) -> pl.Expr:
    values = pl.col(citations) if isinstance(citations, str) else citations
    return values.drop_nulls().sort(descending=True)


def _index(series: pl.Series, expr_of) -> int | None:
    return pl.select(expr_of(pl.lit(series.cast(pl.Float64)))).item()


def h_index(citations: pl.Series) -> int | None:
    """h-index of a series of citation counts."""
    return _index(citations, h_index_expr)


def g_index(citations: pl.Series) -> int | None:
    """g-index of a series of citation counts."""
    return _index(citations, g_index_expr)


def i10_index(citations: pl.Series) -> int | None:
    """i10-index of a series of citation counts."""
    return _index(citations, i10_index_expr)


def career_years(career_start: int, today: date) -> int:
    """Years since the career start, counting the start year (at least 1)."""
    return max(today.year - career_start + 1, 1)


def m_quotient(h: int | None, career_start: int | None, today: date) -> float | None:
    """Hirsch's m: h divided by career years."""
    if h is None or career_start is None:
        return None
    return h / career_years(career_start, today)


def _share(part: int, whole: int) -> str:
    return f"{part:,} of {whole:,} works ({100 * part / whole:.0f}%)" if whole else "no works"


def _left_out(missing: int) -> str:
    if not missing:
        return ""
    verb = "work without any count is" if missing == 1 else "works without any count are"
    return f"{missing:,} {verb} left out, not counted as 0."


def _row(name: str, label: str, value, n: int, total: int, note: str = "") -> dict[str, object]:
    return {
        "name": name,
        "label": label,
        "value": None if value is None else float(value),
        "n": n,
        "coverage": _share(n, total),
        "note": note,
    }


def _coverage_rows(works: pl.DataFrame, total: int) -> list[dict[str, object]]:
    rows = []
    for source, metrics in SUPPLIED_BY.items():
        status = f"{source}_status"
        present = [m for m in metrics if m in works.columns]
        if status in works.columns:
            counts = works[status].value_counts().rows()
            by_status = {s: c for s, c in counts}
            with_data = by_status.get("ok", 0)
            note = ", ".join(
                f"{label} {by_status.get(s, 0):,}"
                for s, label in (
                    ("not_found", "not found"),
                    ("error", "error"),
                    ("skipped", "skipped"),
                    (None, "not fetched"),
                )
                if by_status.get(s, 0)
            )
        elif present:
            with_data = works.select(pl.any_horizontal(pl.col(present).is_not_null()).sum()).item()
            note = "works with a value from this export"
            if not with_data:
                continue
        else:
            continue
        rows.append(
            _row(
                f"coverage_{source}",
                f"Works with data from {SOURCES[source].label}",
                with_data,
                with_data,
                total,
                note,
            )
        )
    return rows


def _citation_rows(
    works: pl.DataFrame,
    total: int,
    h: int | None,
    career_start: int | None,
    career_note: str,
    today: date,
) -> list[dict[str, object]]:
    cited = works.filter(pl.col(CITATIONS).is_not_null())
    n = cited.height
    sources = ", ".join(
        f"{count:,} from {source}"
        for source, count in cited[CITATION_SOURCE].value_counts(sort=True).rows()
    )
    basis = (
        f"Per work, the first available count (OpenAlex, then Crossref, iCite, ...): {sources}. "
        if n
        else "No work has a citation count. "
    )
    left_out = _left_out(total - n) if total - n else ""
    stats = cited.select(
        total=pl.col(CITATIONS).sum(),
        median=pl.col(CITATIONS).median(),
        g=g_index_expr(CITATIONS),
        i10=i10_index_expr(CITATIONS),
    ).row(0, named=True)
    m = m_quotient(h, career_start, today)
    return [
        _row(
            "citations_total",
            "Total citations",
            stats["total"] if n else None,
            n,
            total,
            basis + left_out,
        ),
        _row(
            "citations_median",
            "Median citations per work",
            stats["median"],
            n,
            total,
            basis + left_out,
        ),
        _row(
            "h_index",
            "h-index",
            h,
            n,
            total,
            "Favours senior researchers and varies by field; use with other indicators, never to rank across fields or career stages. "
            + left_out,
        ),
        _row(
            "g_index",
            "g-index",
            stats["g"],
            n,
            total,
            "Largest g whose top g works have at least g² citations (g at most the number of works). "
            + left_out,
        ),
        _row(
            "i10_index",
            "i10-index",
            stats["i10"],
            n,
            total,
            "Works with at least 10 citations. " + left_out,
        ),
        _row("m_quotient", "m-quotient (h per career year)", m, n, total, career_note),
    ]


def _median_row(
    works: pl.DataFrame, metric: str, label: str, total: int, note: str
) -> dict[str, object]:
    values = (
        works[metric].drop_nulls() if metric in works.columns else pl.Series([], dtype=pl.Float64)
    )
    return _row(
        f"{metric}_median",
        label,
        values.median() if values.len() else None,
        values.len(),
        total,
        note,
    )


def _normalised_rows(works: pl.DataFrame, total: int, today: date) -> list[dict[str, object]]:
    rcr = works["rcr"].drop_nulls() if "rcr" in works.columns else pl.Series([], dtype=pl.Float64)
    provisional = (
        works.filter(pl.col("rcr").is_not_null() & too_recent_expr(today)).height
        if "rcr" in works.columns
        else 0
    )
    rcr_note = (
        f"NIH iCite; {provisional:,} provisional (published in the last two years)."
        if provisional
        else "NIH iCite."
    )
    pct = (
        works["citation_percentile"].drop_nulls()
        if "citation_percentile" in works.columns
        else pl.Series([], dtype=pl.Float64)
    )
    top_note = (
        "OpenAlex citation percentile (field, year and type); share of works with a percentile."
    )
    rows = [
        _median_row(works, "rcr", "Median Relative Citation Ratio", total, rcr_note),
        _row(
            "rcr_weighted",
            "Weighted RCR (sum of RCRs)",
            rcr.sum() if rcr.len() else None,
            rcr.len(),
            total,
            rcr_note,
        ),
        _row(
            "top10_share",
            "Share in the top 10% by citations (%)",
            100 * (pct >= 90).sum() / pct.len() if pct.len() else None,
            pct.len(),
            total,
            top_note,
        ),
        _row(
            "top1_share",
            "Share in the top 1% by citations (%)",
            100 * (pct >= 99).sum() / pct.len() if pct.len() else None,
            pct.len(),
            total,
            top_note,
        ),
        _median_row(
            works,
            "fwci",
            "Median FWCI",
            total,
            "OpenAlex; 1.0 is the world average for field, year and type.",
        ),
    ]
    oa = (
        works["oa_status"].drop_nulls()
        if "oa_status" in works.columns
        else pl.Series([], dtype=pl.String)
    )
    rows.append(
        _row(
            "oa_share",
            "Open access share (%)",
            100 * (oa != OPEN_ACCESS_CLOSED).sum() / oa.len() if oa.len() else None,
            oa.len(),
            total,
            "Works with a known OA status; any status but closed counts as open.",
        )
    )
    return rows


def _attention_rows(works: pl.DataFrame, total: int, weights_note: str) -> list[dict[str, object]]:
    scores = works[ATTENTION_SCORE].drop_nulls()
    n = scores.len()
    note = f"{weights_note} Works whose attention sources were not fetched or found are left out."
    rows = [
        _row(
            "attention_total",
            "Total open attention score",
            scores.sum() if n else None,
            n,
            total,
            note,
        ),
        _row(
            "attention_median",
            "Median open attention score",
            scores.median() if n else None,
            n,
            total,
            note,
        ),
    ]
    for category in COUNT_CATEGORIES:
        metrics = [m for m in metrics_in(category) if m in works.columns]
        if not metrics:
            continue
        per_work = works.select(
            pl.when(pl.any_horizontal(pl.col(metrics).is_not_null()))
            .then(pl.sum_horizontal(metrics))
            .alias("count")
        )["count"].drop_nulls()
        labels = ", ".join(METRICS[m].label for m in metrics)
        rows.append(
            _row(
                f"{category}_count",
                f"{CATEGORY_LABELS[category]} (all counts)",
                per_work.sum() if per_work.len() else None,
                per_work.len(),
                total,
                f"Sum of {labels}, over works with any of them.",
            )
        )
    return rows


def portfolio_indicators(
    works: pl.DataFrame,
    *,
    career_start: int | None,
    today: date,
    weights: Mapping[str, float | AttentionWeight] | None = None,
) -> pl.DataFrame:
    """One row per indicator: name, label, value, n (works it is based on), coverage, note."""
    if "excluded" in works.columns:
        works = works.filter(~pl.col("excluded").fill_null(False))
    works = with_citations(with_attention_score(works, weights))
    total = works.height
    h = works.select(h_index_expr(CITATIONS)).item() if total else None
    first_year = works["year"].min() if "year" in works.columns else None
    start = career_start if career_start is not None else first_year
    if career_start is not None:
        career_note = f"h divided by {career_years(career_start, today)} career years (career start {career_start}, as stated, to {today.year})."
    elif first_year is not None:
        career_note = f"h divided by {career_years(first_year, today)} years since the first publication in this collection ({first_year}); no career start was given."
    else:
        career_note = "No career start given and no publication year known."
    rows = [
        _row(
            "works",
            "Works",
            total,
            total,
            total,
            "Valid works in the collection, excluded ones left out.",
        ),
        *_coverage_rows(works, total),
        *_citation_rows(works, total, h, start, career_note, today),
        *_normalised_rows(works, total, today),
        *_attention_rows(works, total, weights_description(weights)),
    ]
    return pl.DataFrame(rows, schema=INDICATOR_SCHEMA)
