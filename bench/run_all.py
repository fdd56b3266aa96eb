"""Run every benchmark in bench/ in turn; each prints its own figures and ratios.

uv run python bench/run_all.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent


# Benchmarks that time pages and queries against the same 1,000,000-work cache share it: the
# first one generates it, the others reuse it through --db.
SHARED_CACHE = ("bench_overview.py", "bench_metrics.py", "bench_portfolio.py", "bench_compare.py")


def main() -> int:
    cache = Path(tempfile.mkdtemp(prefix="triangulate-bench-")) / "million.duckdb"
    scripts = sorted(BENCH.glob("bench_*.py"), key=lambda p: (p.name not in SHARED_CACHE, p.name))
    failed = []
    for script in scripts:
        print(f"\n=== {script.name}", flush=True)
        extra = ["--db", str(cache)] if script.name in SHARED_CACHE else []
        if subprocess.call([sys.executable, str(script), *extra], cwd=BENCH.parent) != 0:
            failed.append(script.name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
