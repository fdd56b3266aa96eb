"""Precision and recall of automatic reference matches, and the share needing a person, per style.

    uv run python bench/bench_matching.py [--seed 12] [--all]

Runs the real pipeline (lib/ingest/matching.py: lookups over loopback HTTP to the mock API serving
the labelled catalogue, scoring, a real DuckDB file) on the labelled set built from ../shared
(bench/labelled_references.py). By default only the odd-numbered half, which bench/fit_matching.py
did not fit on. An automatic match is correct when its DOI is the reference's true DOI; recall is
over references whose true work is in the catalogue. Target: precision >= 99 %.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.matching_setup import serve
from lib import store
from lib.ingest.matching import run_matching
from lib.matching import parse_reference
from lib.matching.score import load_model


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument(
        "--all", action="store_true", help="the whole set, not only the held-out half"
    )
    args = parser.parse_args()
    api, settings, labelled = serve(args.seed)
    chosen = labelled if args.all else labelled[1::2]
    db = Path(tempfile.mkdtemp()) / "bench_matching.duckdb"
    try:
        started = time.perf_counter()
        run_matching(db, "bench", [parse_reference(r.text) for r in chosen], settings)
        elapsed = time.perf_counter() - started
    finally:
        api.close()
    with store.connect(db) as con:
        decided = store.match_references(con, "bench")
    tally: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for ref, row in zip(chosen, decided.iter_rows(named=True), strict=True):
        for group in (ref.style, "all"):
            t = tally[group]
            t["n"] += 1
            t["present"] += ref.doi is not None
            if row["status"] == "auto":
                t["auto"] += 1
                t["right"] += row["chosen_key"] == ref.doi
            elif row["status"] in ("review", "pending", "unparsed"):
                t["person"] += 1
    model = load_model()
    print(
        f"threshold {model.threshold}; {len(chosen)} references ({'all' if args.all else 'held-out half'}), {elapsed:.1f} s"
    )
    print(
        f"{'style':<10} {'refs':>5} {'auto':>5} {'precision':>10} {'recall':>7} {'need a person':>14}"
    )
    for style in sorted(tally, key=lambda s: (s == "all", s)):
        t = tally[style]
        precision = t["right"] / t["auto"] if t["auto"] else float("nan")
        recall = t["right"] / t["present"] if t["present"] else float("nan")
        print(
            f"{style:<10} {t['n']:>5} {t['auto']:>5} {precision:>10.1%} {recall:>7.1%} "
            f"{t['person'] / t['n']:>14.1%}"
        )


if __name__ == "__main__":
    main()
