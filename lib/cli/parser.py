"""The `triangulate` command line: subcommands, their arguments and the function each runs."""

from __future__ import annotations

import argparse

from lib.cli.commands import (
    cmd_collections,
    cmd_compare,
    cmd_demo,
    cmd_doctor,
    cmd_export,
    cmd_fetch,
    cmd_import,
    cmd_load_metrics,
    cmd_match,
)


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

    doctor = sub.add_parser(
        "doctor",
        parents=[common],
        help="live check of every web source: keys, fields, budget, time (exit 1 if one is broken)",
    )
    doctor.add_argument("--sources", help="comma-separated (default: every web source)")
    doctor.set_defaults(run=cmd_doctor)

    load = sub.add_parser("load-metrics", parents=[common], help="load a metrics export")
    load.add_argument("file")
    load.add_argument(
        "--format", required=True, help="plos-alm, altmetric-explorer, dimensions or table"
    )
    load.add_argument("--collection", help="collection name (default: named after the file)")
    load.add_argument("--id-column", help="table: the column holding DOIs/PMIDs/...")
    load.add_argument("--map", help='table: "COLUMN=metric,..." with canonical metric names')
    load.add_argument("--source", help="table: source name of the values (default: table_<file>)")
    load.add_argument(
        "--missing-when",
        help='table: "COLUMN=VALUE" rows whose values mean no data (missing, not 0)',
    )
    load.set_defaults(run=cmd_load_metrics)

    match = sub.add_parser(
        "match",
        parents=[common],
        help="match references without identifiers (a CV, a reference list) to works",
    )
    match.add_argument("file", nargs="?", help="text file of references, one per line or numbered")
    match.add_argument("--collection", help="collection to write (every reference is a row)")
    match.add_argument("--review", help="write the top candidates per reference to this CSV")
    match.add_argument("--accept", help="apply a reviewed CSV (decision column: accept / reject)")
    match.set_defaults(run=cmd_match)
    compare = sub.add_parser(
        "compare", parents=[common], help="compare 2-8 collections as groups (HTML/XLSX report)"
    )
    compare.add_argument("--groups", required=True, help="comma-separated collection names")
    compare.add_argument("--out", required=True, help="report path ending in .html or .xlsx")
    compare.add_argument(
        "--stratify", default="year,field", help="year, field, year,field or none (default both)"
    )
    compare.add_argument(
        "--missing-as-zero",
        action="store_true",
        help="treat missing values as 0, as many published studies do (stated in the report)",
    )
    compare.set_defaults(run=cmd_compare)

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
