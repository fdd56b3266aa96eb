"""The `triangulate` subcommands: each a thin call into lib that prints what it did."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from lib import store
from lib.cli.errors import one_line
from lib.settings import default_db_path, load_settings


def _db(args: argparse.Namespace) -> Path:
    return Path(args.db) if args.db else default_db_path()


def cmd_demo(args: argparse.Namespace) -> int:
    from lib import demo

    started = time.perf_counter()
    with store.connect(_db(args)) as con:
        counts = demo.build_scale(con, args.scale) if args.scale else demo.build_demo(con)
    elapsed = time.perf_counter() - started
    details = ", ".join(f"{k} {v:,}" for k, v in counts.items() if isinstance(v, int))
    print(f"Demo data (fictional) written to {_db(args)} in {elapsed:.1f} s: {details}")
    return 0


def cmd_collections(args: argparse.Namespace) -> int:
    with store.connect(_db(args)) as con:
        frame = store.list_collections(con)
    for row in frame.iter_rows(named=True):
        print(f"{one_line(row['name'])}\t{row['works']}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from lib.ingest import import_file

    with store.connect(_db(args)) as con:
        summary = import_file(con, Path(args.file), args.collection, format=args.format)
    print(_format_counts(f"Imported {args.file} into '{args.collection}'", summary))
    return 0


def cmd_fetch(args: argparse.Namespace) -> int:
    from lib import ingest

    settings = load_settings()
    sources = [s.strip() for s in args.sources.split(",")] if args.sources else None
    try:
        summary = ingest.fetch_collection(
            _db(args),
            args.collection,
            sources=sources,
            settings=settings,
            on_progress=lambda event: print(
                ingest.format_progress(event), file=sys.stderr, flush=True
            ),
        )
    except ingest.UnknownCollection:
        print(
            f"No collection named '{args.collection}'. Try `triangulate collections`.",
            file=sys.stderr,
        )
        return 2
    print(ingest.format_summary(summary))
    if summary.exit_code:
        # 0 of N is a failure, said once on stderr with its causes in words
        causes = "; ".join(ingest.failure_lines(summary)[:4])
        names = ", ".join(ingest.source_name(s) for s in summary.failed_sources)
        print(f"Fetch failed: no lookup succeeded for {names}: {causes}.", file=sys.stderr)
    return summary.exit_code


def cmd_doctor(args: argparse.Namespace) -> int:
    from lib.ingest.doctor import check_sources

    sources = [s.strip() for s in args.sources.split(",")] if args.sources else None
    try:
        checks = check_sources(load_settings(), sources)
    except ValueError as error:
        print(str(error), file=sys.stderr)
        return 2
    for check in checks:
        print(check.line())
    broken = [c.source for c in checks if c.broken]
    if broken:
        print(f"{len(broken)} configured source(s) broken: {', '.join(broken)}", file=sys.stderr)
    return 1 if broken else 0


def cmd_load_metrics(args: argparse.Namespace) -> int:
    from lib.ingest import load_metrics_file
    from lib.readers.limits import UploadRejected

    try:
        with store.connect(_db(args)) as con:
            if args.format == "table":
                return _load_metrics_table(con, args)
            summary = load_metrics_file(
                con, Path(args.file), args.format, collection=args.collection
            )
    except (UploadRejected, FileNotFoundError, IsADirectoryError) as error:
        print(str(error), file=sys.stderr)
        return 2
    print(_format_counts(f"Loaded {args.file} ({args.format})", summary))
    return 0


def _load_metrics_table(con: Any, args: argparse.Namespace) -> int:
    from lib.ingest import load_metrics_table
    from lib.readers.limits import UploadRejected
    from lib.readers.metric_table import (
        TableMapping,
        check_source_name,
        default_source_name,
        parse_map,
        parse_missing_when,
    )

    path = Path(args.file)
    if not args.id_column or not args.map:
        raise UploadRejected('--format table needs --id-column COL and --map "COL=metric,...".')
    mapping = TableMapping(
        id_column=args.id_column,
        columns=parse_map(args.map),
        source=check_source_name(args.source) if args.source else default_source_name(path.name),
        missing_when=parse_missing_when(args.missing_when),
    )
    summary, problems = load_metrics_table(
        con, path.read_bytes(), path.name, mapping, args.collection
    )
    for line in problems:
        print(line, file=sys.stderr)
    print(_format_counts(f"Loaded {args.file} (table, source {mapping.source})", summary))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from lib.exports.groups import write_groups_report
    from lib.metrics.groups import GroupOptions
    from lib.views.groups import GroupsRejected, build_groups, check_group_names, load_group_frame

    if not args.out.lower().endswith((".html", ".xlsx")):
        print(f"--out must end in .html or .xlsx, not '{args.out}'.", file=sys.stderr)
        return 2
    strata = tuple(s.strip() for s in args.stratify.split(",") if s.strip() and s != "none")
    if unknown := [s for s in strata if s not in ("year", "field")]:
        print(f"--stratify takes year, field or none, not {', '.join(unknown)}.", file=sys.stderr)
        return 2
    options = GroupOptions(missing_as_zero=args.missing_as_zero, stratify_by=strata)
    with store.connect(_db(args)) as con:
        known = store.list_collections(con)["name"].to_list()
        try:
            names = check_group_names(args.groups.split(","), known)
        except GroupsRejected as error:
            print(str(error), file=sys.stderr)
            return 2
        frame = load_group_frame(con, names)
    comparison = build_groups(frame, names, options)
    write_groups_report(comparison, args.out)
    for warning in comparison.warnings:
        print(f"Warning: {warning}", file=sys.stderr)
    print(f"Wrote {args.out}: {', '.join(f'{g} ({comparison.sizes[g]:,} works)' for g in names)}")
    print(options.describe())
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from lib.exports import export_collection
    from lib.metrics import weights_description

    try:
        weights = parse_weights(args.weights)
    except ValueError as error:
        print(str(error), file=sys.stderr)
        return 2
    with store.connect(_db(args)) as con:
        if store.get_collection(con, args.collection) is None:
            print(
                f"No collection named '{args.collection}'. Try `triangulate collections`.",
                file=sys.stderr,
            )
            return 2
        out = export_collection(con, args.collection, args.format, Path(args.out), weights=weights)
    print(f"Wrote {out}")
    if args.format == "csv":
        from lib.exports.tables import readme_path

        print(f"Wrote {readme_path(out)} (sources, data dates, reference sets, weights)")
    print(weights_description(weights))
    return 0


TEXT_SUFFIXES = frozenset({".txt", ".md", ".text", ""})


def cmd_match(args: argparse.Namespace) -> int:
    from lib.ingest import match_review
    from lib.ingest.matching import CollectionInUse, references_in_text, run_matching

    if args.accept:
        try:
            counts = match_review.apply_review(_db(args), Path(args.accept))
        except match_review.ReviewError as error:
            print(str(error), file=sys.stderr)
            return 2
        print(
            f"Applied {args.accept}: accepted {counts['accepted']}, rejected {counts['rejected']}"
        )
        return 0
    if not args.file or not args.collection:
        print("Give FILE and --collection NAME (or --accept PATH).", file=sys.stderr)
        return 2
    from lib.ingest.matching import references_in_file
    from lib.readers import UploadRejected

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as error:
        print(f"Cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return 2
    skipped: dict[str, int] = {}
    try:
        if path.suffix.lower() in TEXT_SUFFIXES:
            split, refs = references_in_text(data.decode("utf-8-sig", errors="replace"))
            skipped = dict(split.skipped)
        else:  # BibTeX, RIS, a table...: the rows without identifiers
            refs = references_in_file(data, path.name)
    except UploadRejected as error:
        print(f"{args.file}: {error}", file=sys.stderr)
        return 2
    if not refs:
        print(f"No references to match in {args.file}.", file=sys.stderr)
        return 2
    try:
        summary = run_matching(
            _db(args),
            args.collection,
            refs,
            load_settings(),
            skipped=skipped,
            meta={"source": "matching", "file": Path(args.file).name},
            on_progress=lambda p: print(
                f"matched {p.done}/{p.total}"
                + (f", about {p.eta_seconds:.0f} s left" if p.eta_seconds else ""),
                file=sys.stderr,
                flush=True,
            ),
        )
    except CollectionInUse as error:
        print(str(error), file=sys.stderr)
        return 2
    print(f"Matched {args.file} into '{args.collection}': {summary.line()}")
    if args.review:
        rows = match_review.write_review(_db(args), args.collection, Path(args.review))
        print(f"Wrote {rows} candidate rows for review to {args.review}")
    return 0


def parse_weights(text: str | None) -> dict[str, float] | None:
    """`news_mentions=8,x_posts=1` -> overrides of the published default weights."""
    from lib.metrics import DEFAULT_WEIGHTS

    if not text:
        return None
    weights = {}
    for part in text.split(","):
        name, _, value = part.partition("=")
        name = name.strip()
        if name not in DEFAULT_WEIGHTS:
            raise ValueError(f"Unknown weight '{name}'. Known: {', '.join(DEFAULT_WEIGHTS)}.")
        try:
            weights[name] = float(value)
        except ValueError:
            raise ValueError(f"Weight for '{name}' must be a number, not '{value}'.") from None
    return weights


def _format_counts(head: str, summary: dict[str, Any]) -> str:
    parts = [f"{k.replace('_', ' ')} {v:,}" for k, v in summary.items() if isinstance(v, int)]
    return f"{head}: " + ", ".join(parts) if parts else head
