"""Run every benchmark in bench/ in turn; each prints its own figures and ratios.

uv run python bench/run_all.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def main() -> int:
    scripts = sorted(p for p in BENCH.glob("bench_*.py"))
    failed = []
    for script in scripts:
        print(f"\n=== {script.name}", flush=True)
        if subprocess.call([sys.executable, str(script)], cwd=BENCH.parent) != 0:
            failed.append(script.name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
