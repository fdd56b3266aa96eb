"""The `triangulate` command (DESIGN.md contracts). Each subcommand is a thin call into lib."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from lib import store
from lib.cli_errors import USER_ERROR, explain, malformed_base_urls, one_line
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


def cmd_load_metrics(args: argparse.Namespace) -> int:
    from lib.ingest import load_metrics_file

    with store.connect(_db(args)) as con:
        summary = load_metrics_file(con, Path(args.file), args.format, collection=args.collection)
    print(_format_counts(f"Loaded {args.file} ({args.format})", summary))
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


def _format_counts(head: str, summary: dict) -> str:
    parts = [f"{k.replace('_', ' ')} {v:,}" for k, v in summary.items() if isinstance(v, int)]
    return f"{head}: " + ", ".join(parts) if parts else head


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="triangulate",
        description="Attention beside field-normalised citations, from a local DuckDB cache.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", help="DuckDB file (default: $TRIANGULATE_DB, else data/triangulate.duckdb)"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser("demo", parents=[common], help="write the fictional demo data")
    demo.add_argument("--scale", type=int, help="generate N works for benchmarks instead")
    demo.set_defaults(run=cmd_demo)

    collections = sub.add_parser("collections", parents=[common], help="list collections and sizes")
    collections.set_defaults(run=cmd_collections)

    imp = sub.add_parser("import", parents=[common], help="import identifiers from a file")
    imp.add_argument("file")
    imp.add_argument("--collection", required=True)
    imp.add_argument("--format", help="force a format instead of detecting it")
    imp.set_defaults(run=cmd_import)

    fetch = sub.add_parser(
        "fetch", parents=[common], help="enrich a collection from the web sources"
    )
    fetch.add_argument("--collection", required=True)
    fetch.add_argument(
        "--sources", help="comma-separated, e.g. openalex,icite (default: all usable)"
    )
    fetch.set_defaults(run=cmd_fetch)

    load = sub.add_parser("load-metrics", parents=[common], help="load a metrics export")
    load.add_argument("file")
    load.add_argument("--format", required=True, help="plos-alm, altmetric-explorer or dimensions")
    load.add_argument("--collection", help="collection name (default: named after the file)")
    load.set_defaults(run=cmd_load_metrics)

    export = sub.add_parser("export", parents=[common], help="export a collection")
    export.add_argument("--collection", required=True)
    export.add_argument("--format", choices=["csv", "xlsx", "parquet"], required=True)
    export.add_argument("--out", required=True)
    export.add_argument(
        "--weights",
        help="attention score weights to override, e.g. news_mentions=8,x_posts=1 "
        "(default: the published ones; the weights used are printed and written to XLSX)",
    )
    export.set_defaults(run=cmd_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        bad_urls = malformed_base_urls(load_settings().base_urls)
        if bad_urls:
            print(
                f"Not a valid http(s) URL: {', '.join(bad_urls)}. Fix or unset the variable.",
                file=sys.stderr,
            )
            return USER_ERROR
        return int(args.run(args))
    except KeyboardInterrupt:
        print(
            "Interrupted; what was fetched is kept. Run the same command to resume.",
            file=sys.stderr,
        )
        return 130
    except Exception as error:  # one clear line for the user, never a traceback
        explained = explain(error)
        if explained is None:
            print(
                f"Unexpected error ({type(error).__name__}: {one_line(str(error))}). "
                "Please report it with the command you ran.",
                file=sys.stderr,
            )
            return 1
        message, code = explained
        print(one_line(message), file=sys.stderr)
        return code


if __name__ == "__main__":
    sys.exit(main())
