"""Generate a 1,000,000-work cache, then time the Overview page's queries against it.

    uv run python bench/bench_overview.py [--works N] [--db PATH] [--keep]

Targets: generation well under 60 s; each Overview query well under 1 s on a cold open (the page's
Streamlit cache makes reruns free until the file changes).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from lib import demo, store


def timed(fn, repeat: int = 5) -> tuple[float, object]:
    runs, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--works", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    path = args.db or Path(tempfile.mkdtemp()) / "bench.duckdb"

    started = time.perf_counter()
    with store.connect(path) as con:
        counts = demo.build_scale(con, args.works)
    generation = time.perf_counter() - started
    size_mb = path.stat().st_size / 1e6
    print(
        f"generate {args.works:,} works: {generation:.1f} s (target < 60 s, ratio {generation / 60:.2f}); "
        f"file {size_mb:,.0f} MB; {counts}"
    )

    def open_close():
        with store.connect(path):
            pass

    def with_connection(fn):
        def run():
            with store.connect(path) as con:
                return fn(con)

        return run

    portfolio = None
    with store.connect(path) as con:
        names = store.list_collections(con)["name"].to_list()
        portfolio = next((n for n in names if "200" in n), names[0] if names else None)
        portfolio_keys = store.collection_keys(con, portfolio) if portfolio else []

    queries = {
        "open + close the file": open_close,
        "cache_summary": with_connection(store.cache_summary),
        "list_collections": with_connection(store.list_collections),
        "observed_sources": with_connection(store.observed_sources),
        "coverage_by_source (whole cache)": with_connection(store.coverage_by_source),
        f"coverage_by_source ({len(portfolio_keys)}-work collection)": with_connection(
            lambda con: store.coverage_by_source(con, portfolio_keys)
        ),
        f"works_wide ({len(portfolio_keys)}-work collection)": with_connection(
            lambda con: store.works_wide(con, portfolio_keys)
        ),
    }
    total = 0.0
    for label, fn in queries.items():
        seconds, _ = timed(fn)
        total += seconds if label != "open + close the file" else 0
        print(
            f"{label:<45} {seconds * 1000:8.1f} ms (median of 5; target < 1000 ms, ratio {seconds:.3f})"
        )
    print(f"{'Overview page, all queries, one cold open':<45} {total * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
