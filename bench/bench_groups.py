"""Time a groups comparison of two 10,000-work collections in a 1,000,000-work cache.

    uv run python bench/bench_groups.py [--works N] [--db PATH]

Targets: <= 3 s cold (read both collections from the cache, compute every metric's statistics,
raw and stratified, and write the HTML and XLSX reports); <= 1 s after the cache is warm (the
collections already read: statistics and reports only, as the page reruns them).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl

from lib import demo, store
from lib.exports.groups import groups_html, groups_xlsx
from lib.views.groups import build_groups, load_group_frame

GROUPS = ("bench group A 10000", "bench group B 10000")
SIZE = 10_000


def median_seconds(fn: Callable[[], object], repeat: int = 5) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def ensure_cache(path: Path, works: int) -> None:
    """The scale cache, plus two 10,000-work collections drawn from its works (disjoint)."""
    with store.connect(path) as con:
        names = set(store.list_collections(con)["name"].to_list())
        if not any(n.startswith("scale candidate") for n in names):
            started = time.perf_counter()
            counts = demo.build_scale(con, works)
            print(f"generate {works:,} works: {time.perf_counter() - started:.1f} s; {counts}")
        if set(GROUPS) <= names:
            return
        keys = store.sample_work_keys(con, 2 * SIZE, prefix="10.5555/scale.", seed=14)
        for index, name in enumerate(GROUPS):
            part = keys[index * SIZE : (index + 1) * SIZE]
            items = pl.DataFrame({"input": part, "key": part, "status": "valid"})
            store.save_collection(con, name, items, kind="upload", meta={"fictional": True})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--works", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    path = args.db or Path(tempfile.mkdtemp()) / "bench.duckdb"
    ensure_cache(path, args.works)

    started = time.perf_counter()
    with store.connect(path) as con:
        frame = load_group_frame(con, list(GROUPS))
    loaded = time.perf_counter() - started
    comparison = build_groups(frame, list(GROUPS))
    groups_html(comparison)
    groups_xlsx(comparison)
    cold = time.perf_counter() - started

    build = median_seconds(lambda: build_groups(frame, list(GROUPS)))
    reports = median_seconds(lambda: (groups_html(comparison), groups_xlsx(comparison)))
    warm = build + reports
    print(f"cache: {path}")
    print(
        f"groups comparison, 2 x {SIZE:,} works, {len(comparison.metrics)} metrics, "
        f"stratified by year and field"
    )
    print(f"  read both collections from the cache (first, incl. connect): {loaded * 1000:8.0f} ms")
    print(
        f"  cold total (read + statistics + HTML + XLSX):               {cold * 1000:8.0f} ms "
        f"(target <= 3 s, ratio {cold / 3:.2f})"
    )
    print(f"  statistics, raw and stratified (median of 5):               {build * 1000:8.0f} ms")
    print(f"  HTML + XLSX reports (median of 5):                          {reports * 1000:8.0f} ms")
    print(
        f"  after cache (statistics + reports):                         {warm * 1000:8.0f} ms "
        f"(target <= 1 s, ratio {warm / 1:.2f})"
    )


if __name__ == "__main__":
    main()
