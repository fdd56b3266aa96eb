"""Benchmark: all portfolio indicators and cohort percentiles for a collection in a 1M-work cache.

Targets (2-core machine): 500-work collection < 200 ms, 50,000-work collection < 2 s. Prints the
time per step, the share spent in DuckDB vs Polars, and both the cold figure (reference counts not
yet stored for this state of the cache: the first view after new data) and the warm one.

    uv run python bench/bench_metrics.py [--db PATH] [--works 1000000] [--repeat 5]

The cache is built once (lib.demo.build_scale when available, else bench/synthetic_cache.py) and
kept at --db for later runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lib.metrics import (
    CITATION_ORDER,
    ReferenceDistribution,
    percentiles_in_reference,
    portfolio_indicators,
    weights_table,
    with_attention_score,
    with_citations,
)
from lib.store import (
    collection_keys,
    connect,
    works_wide,
)
from lib.store.cohorts import cohort_distributions

TODAY = date(2026, 11, 20)
MEASURES = ("attention_score", "citations")


class Clock:
    """Accumulates wall time per step, and per engine (a step's name starts with its engine)."""

    def __init__(self) -> None:
        self.steps: dict[str, float] = {}

    def run(self, step: str, work: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        result = work()
        self.steps[step] = self.steps.get(step, 0.0) + time.perf_counter() - started
        return result

    def engine(self, name: str) -> float:
        return sum(v for k, v in self.steps.items() if k.startswith(name))

    def detail(self) -> str:
        return ", ".join(f"{k} {v * 1000:.0f}" for k, v in self.steps.items())


def build_cache(path: Path, n: int) -> str:
    with connect(path) as con:
        if con.sql("SELECT count(*) FROM work").fetchall()[0][0] >= n:
            return "existing cache"
        started = time.perf_counter()
        try:
            from lib.demo import build_scale

            build_scale(con, n)
            how = "lib.demo.build_scale"
        except ImportError:
            from synthetic_cache import build_synthetic

            build_synthetic(con, n)
            how = "bench/synthetic_cache.py (lib.demo.build_scale not available)"
        return f"built with {how} in {time.perf_counter() - started:.0f} s"


def indicators_and_percentiles(con, collection: str, clock: Clock):
    """The whole page computation: the collection's works, reference counts, percentiles, indicators."""
    keys = clock.run("duckdb: collection keys", lambda: collection_keys(con, collection))
    works = clock.run("duckdb: works_wide", lambda: works_wide(con, keys))
    weights = weights_table()
    counts = clock.run(
        "duckdb: reference counts",
        lambda: cohort_distributions(con, MEASURES, weights=weights, citation_order=CITATION_ORDER),
    )

    def metrics_part():
        scored = with_citations(with_attention_score(works))
        percentiles = [
            percentiles_in_reference(scored, ReferenceDistribution(m, ("year",), counts[m]))
            for m in MEASURES
        ]
        return scored, percentiles, portfolio_indicators(scored, career_start=2000, today=TODAY)

    return clock.run("polars: metrics", metrics_part)


def measure(path: Path, collection: str, repeat: int) -> None:
    with connect(path) as con:
        con.execute("DELETE FROM cohort_distribution")
        cold = Clock()
        started = time.perf_counter()
        works, percentiles, indicators = indicators_and_percentiles(con, collection, cold)
        cold_total = time.perf_counter() - started
        warm_runs = []
        for _ in range(repeat):
            clock = Clock()
            started = time.perf_counter()
            indicators_and_percentiles(con, collection, clock)
            warm_runs.append((time.perf_counter() - started, clock))
    total, clock = sorted(warm_runs, key=lambda r: r[0])[len(warm_runs) // 2]
    duck, polars = clock.engine("duckdb"), clock.engine("polars")
    ours = clock.steps["duckdb: reference counts"] + clock.steps["polars: metrics"]
    print(
        f"{collection}: {works.height:,} works; warm median {total * 1000:.0f} ms "
        f"(DuckDB {duck * 1000:.0f} ms = {100 * duck / total:.0f}%, "
        f"Polars {polars * 1000:.0f} ms = {100 * polars / total:.0f}%; "
        f"min {min(r[0] for r in warm_runs) * 1000:.0f}, max {max(r[0] for r in warm_runs) * 1000:.0f} ms "
        f"over {repeat})"
    )
    print(f"  steps (ms): {clock.detail()}")
    print(
        f"  metrics engine alone (reference counts + Polars metrics): {ours * 1000:.0f} ms; "
        f"reading the collection's works (works_wide steps): {(total - ours) * 1000:.0f} ms"
    )
    print(
        f"  cold (reference counts computed from the observations and stored): "
        f"{cold_total * 1000:.0f} ms, of which reference counts "
        f"{cold.steps['duckdb: reference counts'] * 1000:.0f} ms"
    )
    pct = percentiles[0]["attention_score_percentile"]
    print(
        f"  {indicators.height} indicators; attention percentiles for {pct.drop_nulls().len():,} "
        f"works; h-index {indicators.filter(indicators['name'] == 'h_index')['value'][0]}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/triangulate-bench-metrics.duckdb"))
    parser.add_argument("--works", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"cache {args.db}: {build_cache(args.db, args.works)}")
    with connect(args.db) as con:
        works, observations = con.sql(
            "SELECT (SELECT count(*) FROM work), (SELECT count(*) FROM observation)"
        ).fetchall()[0]
    print(f"{works:,} works, {observations:,} observations")
    started = time.perf_counter()
    with connect(args.db) as con:
        pass
    print(
        f"opening the cache (each dashboard rerun does): {(time.perf_counter() - started) * 1000:.0f} ms"
    )
    for collection, target in (("scale collection 500", 0.2), ("scale collection 50000", 2.0)):
        measure(args.db, collection, args.repeat)
        print(f"  target < {target * 1000:.0f} ms (warm)")


if __name__ == "__main__":
    main()
