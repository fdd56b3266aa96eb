"""Generate a 1,000,000-work cache, then time the Overview page's queries against it.

    uv run python bench/bench_overview.py [--works N] [--db PATH]

Targets: generation well under 60 s; each Overview query well under 1 s on a cold open (the page's
Streamlit cache makes reruns free until the file changes). An existing --db with enough works is
reused instead of generated.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from lib import demo, store


def median_seconds(fn: Callable[[], object], repeat: int = 5) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def generate(path: Path, works: int) -> None:
    started = time.perf_counter()
    with store.connect(path) as con:
        counts = demo.build_scale(con, works)
    seconds = time.perf_counter() - started
    print(
        f"generate {works:,} works: {seconds:.1f} s (target < 60 s, ratio {seconds / 60:.2f}); "
        f"file {path.stat().st_size / 1e6:,.0f} MB; {counts}"
    )


def time_overview(path: Path) -> None:
    def on_open(fn: Callable) -> Callable[[], object]:
        def run() -> object:
            with store.connect(path) as con:
                return fn(con)

        return run

    with store.connect(path) as con:
        names = store.list_collections(con)["name"].to_list()
        portfolio = next((n for n in names if "200" in n), names[0])
        keys = store.collection_keys(con, portfolio)

    queries = {
        "open + close the file": on_open(lambda con: None),
        "cache_summary": on_open(store.cache_summary),
        "list_collections": on_open(store.list_collections),
        "coverage_by_source (whole cache)": on_open(store.coverage_by_source),
        f"coverage_by_source ({len(keys)}-work collection)": on_open(
            lambda con: store.coverage_by_source(con, keys)
        ),
        f"works_wide ({len(keys)}-work collection)": on_open(
            lambda con: store.works_wide(con, keys)
        ),
    }
    page_total = 0.0
    for label, fn in queries.items():
        seconds = median_seconds(fn)
        if label.startswith(("cache_summary", "list_collections", "observed", "coverage")):
            page_total += seconds
        print(
            f"{label:<45} {seconds * 1000:8.1f} ms (median of 5; target < 1000 ms, ratio {seconds:.3f})"
        )
    print(f"{'Overview page queries, cold (no Streamlit cache)':<45} {page_total * 1000:8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    path = args.db or Path(tempfile.mkdtemp()) / "bench.duckdb"
    with store.connect(path) as con:
        existing = store.cache_summary(con)["works"]
    if existing >= args.works:
        print(f"reusing {path} ({existing:,} works)")
    else:
        generate(path, args.works)
    time_overview(path)


if __name__ == "__main__":
    main()
