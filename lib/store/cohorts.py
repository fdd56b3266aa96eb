"""Reference distributions for cohort percentiles, aggregated in DuckDB.

Shipping a million values to Python to place 500 works is the slow part, so DuckDB returns, per
cohort (year, optionally journal or field), each distinct value of a measure with its count. The
percentile of any number of works is then one as-of join in Polars (lib/metrics/context.py).

Measures: any canonical metric; `attention_score`, computed here from the attention counts with the
caller's weights (a frame: metric, weight, counts_once) and null when no attention count exists;
and `citations`, the first available citation count in the caller's source order. Where several
sources supply a metric the latest observation wins, then the source listed first in the registry,
the same rule as `works_wide`.

Computing the counts scans the observations: ~0.5 s for 7 million rows on 2 idle cores, several
seconds for 20 million on a busy machine. So they are kept in `cohort_distribution` per reference
spec and cache fingerprint; a later call on an unchanged cache reads a few thousand rows (~25-50
ms). Any write that adds works, observations or collection changes moves the fingerprint (counts
and newest timestamps), and the stale rows of that spec are replaced on the next call.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import duckdb
import polars as pl

from lib.store._sql import query
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
            # Same rule as the Polars score: unscored captures (Mendeley) do not make it non-null.
            scored = {m for m, r in given.items() if float(r["weight"])}
            for metric in sorted(set(_ATTENTION_INPUTS) | scored):
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


def _spec(
    measure: str,
    by: Sequence[str],
    collection: str | None,
    weights: pl.DataFrame | None,
    citation_order: Sequence[str],
    demo: bool | None = None,
) -> str:
    """A canonical text naming everything the counts depend on besides the data."""
    detail: object = None
    if measure == ATTENTION and weights is not None:
        detail = sorted(
            (r["metric"], float(r["weight"]), bool(r["counts_once"]))
            for r in weights.iter_rows(named=True)
        )
    elif measure == CITATIONS:
        detail = list(citation_order)
    spec: list[object] = [measure, list(by), collection, detail]
    # Older specs had no demo part; adding it only when set keeps their stored counts valid.
    return json.dumps(spec if demo is None else [*spec, {"demo": demo}])


def cache_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """Changes whenever works, observations, collections or corrections change."""
    row = con.sql(
        """
        SELECT (SELECT count(*) FROM work), (SELECT max(updated_at) FROM work),
               (SELECT count(*) FROM observation), (SELECT max(as_of) FROM observation),
               (SELECT count(*) FROM collection_item), (SELECT max(updated_at) FROM collection),
               (SELECT count(*) FROM collection_correction),
               (SELECT max(updated_at) FROM collection_correction)
        """
    ).fetchall()[0]
    return json.dumps([str(v) for v in row])


def _split_by(by: Sequence[str]) -> tuple[bool, str | None]:
    others = [c for c in by if c != "year"]
    if len(others) > 1 or any(c not in COHORT_COLUMNS for c in others):
        raise ValueError(f"cohorts are by year and at most one of {COHORT_COLUMNS[1:]}: {by}")
    return "year" in by, (others[0] if others else None)


def cohort_distributions(
    con: duckdb.DuckDBPyConnection,
    measures: Sequence[str],
    *,
    by: Sequence[str] = ("year",),
    collection: str | None = None,
    weights: pl.DataFrame | None = None,
    citation_order: Sequence[str] = (),
    use_cache: bool = True,
    demo: bool | None = None,
) -> dict[str, pl.DataFrame]:
    """Per measure, a frame (*by, value, n): how many reference works have each value per cohort.

    The reference set is the whole cache, or the valid, not excluded works of `collection`; with
    `demo` set, only the fictional (True) or only the real (False) works of it. Works with an
    unknown cohort are left out. Counts come from `cohort_distribution` when it holds them
    for this state of the cache, else they are computed (and stored when `use_cache`).
    """
    _split_by(by)
    measures = list(dict.fromkeys(measures))
    specs = {m: _spec(m, by, collection, weights, citation_order, demo) for m in measures}
    fingerprint = cache_fingerprint(con)
    found = _read_cached(con, specs, fingerprint, by) if use_cache else {}
    missing = [m for m in measures if m not in found]
    if missing:
        fresh = compute_cohort_distributions(
            con,
            missing,
            by=by,
            collection=collection,
            weights=weights,
            citation_order=citation_order,
            demo=demo,
        )
        for measure in missing:
            found[measure] = fresh.filter(pl.col("measure") == measure).drop("measure")
        if use_cache:
            _store(con, {m: specs[m] for m in missing}, fingerprint, by, found)
    return {m: found[m] for m in measures}


def _read_cached(
    con: duckdb.DuckDBPyConnection, specs: dict[str, str], fingerprint: str, by: Sequence[str]
) -> dict[str, pl.DataFrame]:
    has_year, other = _split_by(by)
    lookup = pl.DataFrame({"measure": list(specs), "spec": list(specs.values())})
    con.register("_cohort_specs", lookup)
    try:
        rows = query(
            con,
            "SELECT s.measure, d.year, d.cohort, d.value, d.n FROM cohort_distribution d "
            "JOIN _cohort_specs s ON s.spec = d.spec WHERE d.fingerprint = $fingerprint "
            "ORDER BY s.measure, d.year, d.cohort, d.value",
            {"fingerprint": fingerprint},
        )
        present = query(
            con,
            "SELECT DISTINCT s.measure FROM cohort_distribution d JOIN _cohort_specs s "
            "ON s.spec = d.spec WHERE d.fingerprint = $fingerprint",
            {"fingerprint": fingerprint},
        )["measure"].to_list()
    finally:
        con.unregister("_cohort_specs")
    columns: list[str | pl.Expr] = [
        *(["year"] if has_year else []),
        *([pl.col("cohort").alias(other)] if other else []),
    ]
    return {
        m: rows.filter((pl.col("measure") == m) & (pl.col("n") > 0)).select(*columns, "value", "n")
        for m in present
    }


def _store(
    con: duckdb.DuckDBPyConnection,
    specs: dict[str, str],
    fingerprint: str,
    by: Sequence[str],
    found: dict[str, pl.DataFrame],
) -> None:
    has_year, other = _split_by(by)
    batch = pl.concat(
        [
            found[m].select(
                pl.lit(spec).alias("spec"),
                (pl.col("year") if has_year else pl.lit(None)).cast(pl.Int32).alias("year"),
                (pl.col(other) if other else pl.lit(None)).cast(pl.String).alias("cohort"),
                pl.col("value").cast(pl.Float64),
                pl.col("n").cast(pl.Int64),
            )
            for m, spec in specs.items()
        ]
    )
    # An empty reference set is stored as one marker row so it is not recomputed every time.
    markers = pl.DataFrame({"spec": list(specs.values())}, schema={"spec": pl.String}).join(
        batch.select("spec").unique(), on="spec", how="anti"
    )
    con.register("_cohort_batch", batch)
    con.register("_cohort_markers", markers)
    try:
        con.execute("BEGIN TRANSACTION")
        con.execute(
            "DELETE FROM cohort_distribution d USING (SELECT DISTINCT spec FROM _cohort_batch "
            "UNION SELECT spec FROM _cohort_markers) s WHERE d.spec = s.spec"
        )
        con.execute(
            "INSERT INTO cohort_distribution (spec, fingerprint, year, cohort, value, n) "
            "SELECT spec, $fp, year, cohort, value, n FROM _cohort_batch "
            "UNION ALL SELECT spec, $fp, NULL, NULL, 'NaN'::DOUBLE, 0 FROM _cohort_markers",
            {"fp": fingerprint},
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        con.unregister("_cohort_batch")
        con.unregister("_cohort_markers")


def _in_list(metrics: Sequence[str]) -> str:
    # Names come from the vocabulary (validated in _inputs_frame), so quoting them inline is safe;
    # a literal IN list lets DuckDB skip row groups by metric.
    return ", ".join(f"'{m}'" for m in metrics) or "NULL"


def _latest_sql(con: duckdb.DuckDBPyConnection, metrics: Sequence[str]) -> str:
    """Latest value per (work, metric); the costly de-duplication only where several sources supply it."""
    multi = {
        row[0]
        for row in con.sql(
            f"SELECT metric FROM observation WHERE metric IN ({_in_list(metrics)}) "
            "GROUP BY metric HAVING count(DISTINCT source) > 1"
        ).fetchall()
    }
    single = [m for m in metrics if m not in multi]
    return (
        f"SELECT key, metric, value FROM observation WHERE metric IN ({_in_list(single)}) "
        "UNION ALL "
        "SELECT o.key, o.metric, "
        "arg_max(o.value, epoch_us(o.as_of) * 100 - coalesce(s.priority, 99)) AS value "
        "FROM observation o LEFT JOIN _cohort_sources s ON s.source = o.source "
        f"WHERE o.metric IN ({_in_list(sorted(multi))}) GROUP BY o.key, o.metric"
    )


def compute_cohort_distributions(
    con: duckdb.DuckDBPyConnection,
    measures: Sequence[str],
    *,
    by: Sequence[str] = ("year",),
    collection: str | None = None,
    weights: pl.DataFrame | None = None,
    citation_order: Sequence[str] = (),
    demo: bool | None = None,
) -> pl.DataFrame:
    """Long frame (measure, *by, value, n) straight from the observations (no stored counts)."""
    _split_by(by)
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
    if demo is not None:
        known += " AND w.is_demo = $demo"
    params: dict[str, object] = {}
    if collection is not None:
        params["collection"] = collection
    if demo is not None:
        params["demo"] = demo
    sql = f"""
        WITH latest AS ({_latest_sql(con, inputs["metric"].to_list())}),
        measured AS ({" UNION ALL ".join(_measure_sql(m) for m in dict.fromkeys(measures))})
        SELECT v.measure{", " + cohort if by else ""}, v.value, count(*) AS n
        FROM measured v JOIN work w ON w.key = v.key {members}
        WHERE {known}
        GROUP BY ALL
        ORDER BY ALL
    """
    con.register("_cohort_inputs", inputs)
    con.register("_cohort_sources", sources)
    try:
        return query(
            con,
            sql,
            params or None,
        )
    finally:
        con.unregister("_cohort_inputs")
        con.unregister("_cohort_sources")
