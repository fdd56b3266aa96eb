"""Benchmark: read, detect, validate and deduplicate uploads; export an enriched collection.

Targets (issue 7): 100,000-row CSV of mixed identifiers < 1 s; 100,000-record MEDLINE file < 5 s;
XLSX export of a 100,000-row enriched collection < 10 s. Each reading figure is printed beside a
plain-Python-loop baseline doing the same work with `lib.ids.parse_identifier` per row.

    uv run python bench/bench_readers.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import tempfile
import time
from datetime import datetime
from pathlib import Path

import polars as pl

from lib import store
from lib.exports import about_rows, collection_export_frame, export_collection, write_xlsx
from lib.ids import Identifier, parse_identifier
from lib.ingest.imports import import_rows
from lib.readers import read_upload, validate
from lib.vocabulary import SUPPLIED_BY, WEB_SOURCES


def mixed_identifier(i: int, rng: random.Random) -> str:
    n = rng.randrange(1, 90_000)  # repeats on purpose: duplicates to find
    return rng.choice(
        [
            f"10.{1000 + n % 9000}/journal.{n}",
            f"https://doi.org/10.1371/journal.pone.{n:07d}",
            f"doi:10.1016/S0140-6736({n % 30:02d})3{n % 1000:04d}-X",
            f"PMID: {30_000_000 + n}",
            f"PMC{7_000_000 + n}",
            f"https://pubmed.ncbi.nlm.nih.gov/{31_000_000 + n}/",
            "not an identifier" if i % 97 == 0 else f"10.1000/x{n}",
        ]
    )


def make_csv(rows: int) -> bytes:
    rng = random.Random(7)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Title", "Year", "Identifier", "Notes"])
    for i in range(rows):
        writer.writerow([f"Title {i}", 2000 + i % 25, mixed_identifier(i, rng), "x"])
    return out.getvalue().encode()


def make_medline(records: int) -> bytes:
    rng = random.Random(11)
    parts = []
    for i in range(records):
        pmid = 20_000_000 + i
        doi = f"10.{1000 + i % 9000}/med.{rng.randrange(1, 95_000)}"
        parts.append(
            f"PMID- {pmid}\nOWN - NLM\nTI  - A title for record {i} that is long enough to wrap\n"
            f"      onto a continuation line.\nDP  - {2000 + i % 25} Mar\nJT  - Journal {i % 300}\n"
            f"AU  - Author A\nAU  - Author B\nAU  - Author C\nLID - {doi} [doi]\n"
            f"AID - S0000-0000({i}) [pii]\nAB  - Short abstract.\n"
        )
    return "\n".join(parts).encode()


def baseline_csv(data: bytes) -> int:
    text = data.decode("utf-8")
    seen: dict[str, int] = {}
    duplicates = 0
    for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=1):
        parsed = parse_identifier(row["Identifier"])
        if isinstance(parsed, Identifier) and parsed.key:
            if parsed.key in seen:
                duplicates += 1
            else:
                seen[parsed.key] = number
    return duplicates


def baseline_medline(data: bytes) -> int:
    """The same work as the reader: identifiers, title (with continuations), year, journal, authors."""
    text = data.decode("utf-8")
    seen: dict[str, int] = {}
    duplicates = 0
    records = []
    for number, block in enumerate(text.split("\n\n"), start=1):
        fields: dict[str, list[str]] = {}
        tag = None
        for line in block.split("\n"):
            if line[4:6] == "- " and line[:4].strip():
                tag = line[:4].strip()
                fields.setdefault(tag, []).append(line[6:].strip())
            elif line.startswith("      ") and tag:
                fields[tag][-1] += " " + line.strip()
        dois = [
            v[:-5].strip() for t in ("LID", "AID") for v in fields.get(t, []) if v.endswith("[doi]")
        ]
        year = next(iter(fields.get("DP", [])), "")[:4]
        records.append(
            (
                fields.get("TI", [None])[0],
                year,
                fields.get("JT", [None])[0],
                "; ".join(fields.get("AU", [])),
            )
        )
        pmid = fields.get("PMID", [""])[0]
        parsed = parse_identifier(dois[0]) if dois else parse_identifier(f"PMID:{pmid}")
        if isinstance(parsed, Identifier) and parsed.key:
            if parsed.key in seen:
                duplicates += 1
            else:
                seen[parsed.key] = number
    return duplicates


def timed(fn, *args):
    started = time.perf_counter()
    value = fn(*args)
    return time.perf_counter() - started, value


def ours(data: bytes) -> int:
    report = validate(read_upload(data))
    return report.duplicates


def report_line(label: str, ours_s: float, base_s: float, target: float) -> None:
    verdict = "ok" if ours_s < target else "OVER TARGET"
    print(
        f"{label:<38} {ours_s:7.3f} s   baseline loop {base_s:7.3f} s   "
        f"x{base_s / ours_s:5.1f} faster   target < {target:g} s: {verdict}"
    )


def enriched_db(path: Path, rows: int) -> None:
    """A collection of `rows` works with every web source's metrics and statuses filled in."""
    rng = random.Random(3)
    csv_bytes = (
        "DOI,Title,Note\n"
        + "".join(f"10.5555/bench.{i},Title {i} with some words,=cmd{i}\n" for i in range(rows))
    ).encode()
    result = read_upload(csv_bytes)
    report = validate(result)
    keys = [f"10.5555/bench.{i}" for i in range(rows)]
    now = datetime(2026, 11, 1)
    observations = pl.concat(
        pl.DataFrame(
            {
                "key": keys,
                "source": source,
                "metric": metric,
                "value": [float(rng.randrange(0, 500)) for _ in keys],
                "as_of": now,
            }
        )
        for source, metrics in SUPPLIED_BY.items()
        if source in WEB_SOURCES
        for metric in metrics
    )
    outcomes = pl.concat(
        pl.DataFrame({"key": keys, "source": s, "status": "ok", "fetched_at": now})
        for s in WEB_SOURCES
    )
    with store.connect(path) as con:
        import_rows(con, result, report, "bench")
        store.replace_observations(con, observations, history=False)
        store.record_fetch_outcomes(con, outcomes)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    rows = parser.parse_args().rows

    csv_data = make_csv(rows)
    ours_s, dup_ours = timed(ours, csv_data)
    base_s, dup_base = timed(baseline_csv, csv_data)
    assert dup_ours == dup_base, (dup_ours, dup_base)
    print(f"CSV: {rows:,} rows, {len(csv_data) / 1e6:.1f} MB, {dup_ours:,} duplicates")
    report_line("read+detect+validate+dedupe CSV", ours_s, base_s, 1.0)

    medline = make_medline(rows)
    ours_s, dup_ours = timed(ours, medline)
    base_s, dup_base = timed(baseline_medline, medline)
    assert dup_ours == dup_base, (dup_ours, dup_base)
    print(f"MEDLINE: {rows:,} records, {len(medline) / 1e6:.1f} MB, {dup_ours:,} duplicates")
    report_line("read+detect+validate+dedupe MEDLINE", ours_s, base_s, 5.0)

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        setup_s, _ = timed(enriched_db, db, rows)
        with store.connect(db) as con:
            export_s, out = timed(export_collection, con, "bench", "xlsx", Path(tmp) / "bench.xlsx")
            csv_s, _ = timed(export_collection, con, "bench", "csv", Path(tmp) / "bench.csv")
            frame_s, frame = timed(collection_export_frame, con, "bench")
            about_s, about = timed(about_rows, con, "bench", frame)
        write_s, _ = timed(write_xlsx, frame, Path(tmp) / "again.xlsx", about)
        size = out.stat().st_size / 1e6
        print(f"Enriched collection: {rows:,} rows x {frame.width} columns (setup {setup_s:.1f} s)")
        verdict = "ok" if export_s < 10 else "OVER TARGET"
        print(f"{'export XLSX':<38} {export_s:7.3f} s   ({size:.1f} MB)   target < 10 s: {verdict}")
        print(
            f"{'  of which: export frame (works_wide)':<38} {frame_s:7.3f} s, About sheet "
            f"{about_s:.3f} s, writing {write_s:.3f} s"
        )
        print(f"{'export CSV':<38} {csv_s:7.3f} s")


if __name__ == "__main__":
    main()
