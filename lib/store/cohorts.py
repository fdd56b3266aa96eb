"""Reference distributions for cohort percentiles, aggregated in DuckDB.

Shipping a million values to Python to place 500 works is the slow part, so DuckDB returns, per
cohort (year, optionally journal or field), each distinct value of a measure with its count. The
percentile of any number of works is then one as-of join in Polars (lib/metrics/context.py).

Measures: any canonical metric; `attention_score`, computed here from the attention counts with the
caller's weights (a frame: metric, weight, counts_once) and null when no attention count exists;
and `citations`, the first available citation count in the caller's source order. Where several
sources supply a metric the latest observation wins, then the source listed first in the registry,
the same rule as `works_wide`.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import polars as pl

from lib.store.connection import query
from lib.vocabulary import METRIC_NAMES, SOURCES, metrics_in

ATTENTION = "attention_score"
CITATIONS = "citations"
COHORT_COLUMNS = ("year", "journal", "field", "topic", "type")
_ATTENTION_INPUTS = (*metrics_in("mentions"), *metrics_in("social"))


def _inputs_frame(
    measures: Sequence[str], weights: pl.DataFrame | None, citation_order: Sequence[str]
) -> pl.DataFrame:
    """metric, weight, counts_once, citation_rank: which observations the measures need."""
    rows: dict[str, dict[str, object]] = {}
    for measure in measures:
        if measure == ATTENTION:
            if weights is None:
                raise ValueError("the attention score needs its weights")
            given = {r["metric"]: r for r in weights.iter_rows(named=True)}
            for metric in sorted(set(_ATTENTION_INPUTS) | set(given)):
                rule = given.get(metric, {"weight": 0.0, "counts_once": False})
                rows.setdefault(metric, {}).update(
                    weight=float(rule["weight"]), counts_once=bool(rule["counts_once"])
                )
        elif measure == CITATIONS:
            for rank, metric in enumerate(citation_order):
                rows.setdefault(metric, {})["citation_rank"] = rank
        elif measure in METRIC_NAMES:
            rows.setdefault(measure, {})
        else:
            raise ValueError(f"unknown measure {measure!r}")
    return pl.DataFrame(
        [
            {
                "metric": m,
                "weight": r.get("weight"),
                "counts_once": r.get("counts_once"),
                "citation_rank": r.get("citation_rank"),
            }
            for m, r in rows.items()
        ],
        schema={
            "metric": pl.String,
            "weight": pl.Float64,
            "counts_once": pl.Boolean,
            "citation_rank": pl.Int32,
        },
    )


def _measure_sql(measure: str) -> str:
    if measure == ATTENTION:
        return (
            f"SELECT '{ATTENTION}' AS measure, l.key, sum(CASE WHEN i.counts_once "
            "THEN i.weight * (l.value > 0)::INTEGER ELSE i.weight * l.value END) AS value "
            "FROM latest l JOIN _cohort_inputs i USING (metric) "
            "WHERE i.weight IS NOT NULL AND l.value IS NOT NULL GROUP BY l.key"
        )
    if measure == CITATIONS:
        return (
            f"SELECT '{CITATIONS}' AS measure, l.key, arg_min(l.value, i.citation_rank) AS value "
            "FROM latest l JOIN _cohort_inputs i USING (metric) "
            "WHERE i.citation_rank IS NOT NULL AND l.value IS NOT NULL GROUP BY l.key"
        )
    return (
        f"SELECT '{measure}' AS measure, key, value FROM latest "
        f"WHERE metric = '{measure}' AND value IS NOT NULL"
    )


def cohort_distributions(
    con: duckdb.DuckDBPyConnection,
    measures: Sequence[str],
    *,
    by: Sequence[str] = ("year",),
    collection: str | None = None,
    weights: pl.DataFrame | None = None,
    citation_order: Sequence[str] = (),
    years: Sequence[int] | None = None,
) -> pl.DataFrame:
    """Long frame (measure, *by, value, n): how many reference works have each value per cohort.

    The reference set is the whole cache, or the valid, not excluded works of `collection`;
    `years` limits it to the cohorts the caller needs. Works with an unknown cohort are left out.
    """
    unknown = [c for c in by if c not in COHORT_COLUMNS]
    if unknown:
        raise ValueError(f"cannot group cohorts by {unknown}")
    inputs = _inputs_frame(measures, weights, citation_order)
    sources = pl.DataFrame(
        {"source": list(SOURCES), "priority": range(len(SOURCES))},
        schema={"source": pl.String, "priority": pl.Int32},
    )
    cohort = ", ".join(f"w.{c}" for c in by)
    members = (
        "JOIN (SELECT DISTINCT i.key FROM collection_item i LEFT JOIN collection_correction c "
        "ON c.collection = i.collection AND c.key = i.key WHERE i.collection = $collection "
        "AND i.status = 'valid' AND NOT coalesce(c.excluded, false)) m ON m.key = w.key"
        if collection is not None
        else ""
    )
    known = " AND ".join(f"w.{c} IS NOT NULL" for c in by) or "true"
    sql = f"""
        WITH latest AS (
            SELECT o.key, o.metric,
                   arg_max(o.value, epoch_us(o.as_of) * 100 - coalesce(s.priority, 99)) AS value
            FROM observation o
            JOIN _cohort_inputs i ON i.metric = o.metric
            LEFT JOIN _cohort_sources s ON s.source = o.source
            GROUP BY o.key, o.metric
        ),
        measured AS ({" UNION ALL ".join(_measure_sql(m) for m in dict.fromkeys(measures))})
        SELECT v.measure{", " + cohort if by else ""}, v.value, count(*) AS n
        FROM measured v JOIN work w ON w.key = v.key {members}
        WHERE {known} AND ($years IS NULL OR list_contains($years, w.year))
        GROUP BY ALL
        ORDER BY ALL
    """
    con.register("_cohort_inputs", inputs)
    con.register("_cohort_sources", sources)
    try:
        return query(
            con,
            sql,
            {
                **({"collection": collection} if collection is not None else {}),
                "years": list(years) if years is not None else None,
            },
        )
    finally:
        con.unregister("_cohort_inputs")
        con.unregister("_cohort_sources")
