"""Benchmark: bulk enrichment against the mock API with real latency and the real rate limits.

    uv run python bench/bench_ingest.py [--works 10000] [--latency 0.15] [--skip-floor]

1. Enrich N DOIs from OpenAlex + iCite + Crossref + Europe PMC (PMIDs resolved by the mock's
   OpenAlex/Europe PMC answers) into a fresh DuckDB file, and print the wall time beside the floor
   that the documented limits impose (batch sizes and request rates from lib/settings.py, which
   follow apis.md: OpenAlex 100 ids per OR filter at 100 req/s, iCite 200 PMIDs, Crossref 50 DOIs
   at 10 req/s in the polite pool, Europe PMC 50 at 5 req/s) and the latency:
   per source r = ceil(works / batch) requests, t = max(r / rate, r * latency / concurrency);
   floor = max over the concurrent sources, where iCite cannot end before the PMID sources have
   ended plus one more request.
2. OpenAlex alone, N DOIs, whole processes on the same mock in the same run: `triangulate fetch`
   (batched, concurrent, stored in DuckDB) against pyalex's idiomatic batched loop (`filter_or`
   on 100 DOIs, `get(per_page=100)`, one request after another, nothing stored), each timed from
   process start to exit.
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from lib import ingest, store  # noqa: E402
from lib.settings import Settings  # noqa: E402
from lib.sources.transport import DEFAULT_SOURCE_CONCURRENCY, FALLBACK_SOURCE_CONCURRENCY  # noqa: E402
from tests.mockapi import SOURCES as MOCK_SOURCES  # noqa: E402
from tests.mockapi import pmid_for_doi  # noqa: E402

SOURCES = ("openalex", "europepmc", "crossref", "icite")
PMID_SOURCES = ("openalex", "europepmc")


def source_time(settings: Settings, source: str, works: int, latency: float) -> tuple[int, float]:
    requests = math.ceil(works / settings.batch_sizes[source])
    concurrency = min(
        DEFAULT_SOURCE_CONCURRENCY.get(source, FALLBACK_SOURCE_CONCURRENCY),
        settings.max_concurrency,
    )
    return requests, max(requests / settings.rates[source], requests * latency / concurrency)


def floor_seconds(settings: Settings, works: int, with_pmid: int, latency: float) -> dict:
    per = {s: source_time(settings, s, works, latency) for s in SOURCES if s != "icite"}
    per["icite"] = source_time(settings, "icite", with_pmid, latency)
    resolved = max(per[s][1] for s in PMID_SOURCES)
    icite_end = max(per["icite"][1], resolved + latency)
    return {
        "per_source": per,
        "floor": max(max(t for _, t in per.values()), icite_end),
    }


class MockProcess:
    """The mock API in its own process, so serving it does not compete with the client."""

    def __init__(self, latency: float) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.mockapi", "--latency", str(latency)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.base = self.process.stdout.readline().strip()

    def url(self, source: str) -> str:
        return f"{self.base}/{source}"

    def environ(self) -> dict[str, str]:
        return {f"TRIANGULATE_{s.upper()}_URL": self.url(s) for s in MOCK_SOURCES}

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def enrich(
    api: MockProcess, settings: Settings, keys: list[str], sources: tuple[str, ...]
) -> tuple[float, ingest.FetchSummary, Path]:
    db = Path(tempfile.mkdtemp(prefix="bench_ingest_")) / "bench.duckdb"
    with store.connect(db):
        pass  # create and migrate outside the timed region
    started = time.perf_counter()
    summary = ingest.fetch_works(db, keys, sources=list(sources), settings=settings)
    return time.perf_counter() - started, summary, db


# pyalex 0.21 documents `config.openalex_url` but builds list URLs with a hard-coded
# https://api.openalex.org (BaseOpenAlex.url); only the host is redirected to the mock, the
# library's own request loop is untouched.
PYALEX_LOOP = """
import sys, pyalex, pyalex.api
pyalex.config.openalex_url = sys.argv[1]
pyalex.api.urlunparse = lambda p: sys.argv[1] + "/" + p[2] + ("?" + p[4] if p[4] else "")
dois = [line.strip() for line in open(sys.argv[2]) if line.strip()]
found = 0
for start in range(0, len(dois), 100):
    found += len(pyalex.Works().filter_or(doi=dois[start : start + 100]).get(per_page=100))
print(found)
"""


def whole_process(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, done.stdout.strip()


def ours_vs_pyalex(api: MockProcess, keys: list[str]) -> tuple[float, float, str]:
    """Seconds for `triangulate fetch --sources openalex` and for pyalex's loop, whole processes."""
    folder = Path(tempfile.mkdtemp(prefix="bench_pyalex_"))
    db, listing = folder / "ours.duckdb", folder / "dois.txt"
    listing.write_text("\n".join(keys))
    items = pl.DataFrame({"input": keys, "key": keys, "status": ["valid"] * len(keys)})
    with store.connect(db) as con:
        store.save_collection(con, "bench", items)  # the import is not what is timed
    env = {**os.environ, **api.environ(), "PYTHONPATH": str(REPO)}
    env["TRIANGULATE_MAILTO"] = "bench@example.org"
    # Both processes start as they do for a user, from compiled bytecode: with
    # PYTHONDONTWRITEBYTECODE set (as some shells and CI set it) every start recompiles polars,
    # duckdb and httpx (about 1 s), which would time the compiler, not the fetch.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for warm in ("import lib.cli", "import pyalex"):
        subprocess.run([sys.executable, "-c", warm], cwd=REPO, env=env, check=True)
    cli = [sys.executable, "-m", "lib.cli", "fetch", "--collection", "bench", "--db", str(db)]
    ours, _ = whole_process([*cli, "--sources", "openalex"], env)
    theirs, found = whole_process(
        [sys.executable, "-c", PYALEX_LOOP, api.url("openalex"), str(listing)], env
    )
    return ours, theirs, found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=10_000)
    parser.add_argument("--latency", type=float, default=0.15)
    parser.add_argument("--skip-floor", action="store_true", help="only the pyalex comparison")
    args = parser.parse_args()

    api = MockProcess(args.latency)
    try:
        settings = Settings.from_mapping(
            api.environ() | {"TRIANGULATE_MAILTO": "bench@example.org"}
        )
        keys = [f"10.7777/bench.{i:06d}" for i in range(args.works)]
        with_pmid = sum(1 for k in keys if pmid_for_doi(k, 0.8))

        if args.skip_floor:
            ours, theirs, found = ours_vs_pyalex(api, keys)
            print(f"pyalex {theirs:.1f} s / ours {ours:.1f} s = {theirs / ours:.1f}x ({found})")
            return 0
        wall, summary, _ = enrich(api, settings, keys, SOURCES)
        model = floor_seconds(settings, args.works, with_pmid, args.latency)
        print(
            f"Enrich {args.works:,} DOIs (OpenAlex + Europe PMC + Crossref + iCite), latency {args.latency * 1000:.0f} ms, default rates"
        )
        print(
            f"{'source':<10}{'rate/s':>7}{'batch':>7}{'requests':>10}{'model':>7}{'floor s':>9}{'req/work':>10}{'ok':>8}{'skipped':>9}{'errors':>8}"
        )
        for s in summary.sources:
            planned, seconds = model["per_source"][s.source]
            print(
                f"{s.source:<10}{settings.rates[s.source]:>7.0f}{settings.batch_sizes[s.source]:>7}"
                f"{s.requests:>10}{planned:>7}{seconds:>9.1f}{s.requests / args.works:>10.4f}{s.ok:>8}{s.skipped:>9}{s.errors:>8}"
            )
        print(
            f"wall {wall:.1f} s  floor {model['floor']:.1f} s  ratio {wall / model['floor']:.2f}x (aim <= 1.2x)"
        )

        ours, theirs, found = ours_vs_pyalex(api, keys)
        print(
            f"\nOpenAlex alone, {len(keys):,} DOIs, latency {args.latency * 1000:.0f} ms, whole "
            f"processes: triangulate fetch {ours:.1f} s (stored) vs pyalex filter_or loop "
            f"{theirs:.1f} s ({found} records, not stored): {theirs / ours:.1f}x faster "
            "(aim >= 3x)"
        )
    finally:
        api.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
