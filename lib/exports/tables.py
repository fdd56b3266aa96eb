"""Exports of a collection: CSV (the DESIGN.md contract), XLSX and Parquet.

Columns: `input`, `key`, `doi`, `pmid`, `title`, `year`, `journal`, `status`, then every canonical
metric (vocabulary order) that has a value for at least one item, then `<source>_status` per web
source, then what the Portfolio page shows (author position as corrected, attention and citation
percentiles each with its reference set, the citations chosen and their source, quadrant), then
`reason` (why invalid, duplicate of which row, how identified), then the upload's
original columns prefixed `original: ` so a column called `title` or `doi` in the file never
clashes with ours. Missing is an empty cell, never 0.

Spreadsheet safety: text cells that start with `=`, `+`, `-`, `@`, tab or carriage return get a
leading `'` in CSV and XLSX, so Excel or LibreOffice shows them instead of running them. Numbers stay
numbers (a negative count is a numeric cell, not text); text that is just a number (`-12`) is left
as is since a spreadsheet reads it as that number, not a formula.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from lib.exports.xlsx import splice_rows
from lib.metrics.attention import ATTENTION_SCORE, weights_description
from lib.metrics.citations import CITATION_SOURCE, CITATIONS
from lib.store.collections import collection_items, get_collection
from lib.store.export_reads import data_dates
from lib.store.reads import coverage_by_source, works_wide
from lib.views.portfolio import QUADRANT, portfolio_table
from lib.views.references import cache_references, is_demo_set
from lib.vocabulary import METRIC_NAMES, METRICS, SOURCES, WEB_SOURCES

CONTRACT_COLUMNS = ("input", "key", "doi", "pmid", "title", "year", "journal", "status")
ORIGINAL_PREFIX = "original: "
FORMATS = ("csv", "xlsx", "parquet")
README_SHEET = "README"
CAVEAT = (
    "Attention is not quality. Mentions, posts and readers show that a work was noticed, not that "
    "it is good, true or important; citation counts differ between databases and depend on field, "
    "age and document type. Read the numbers side by side, with their sources and dates."
)
_FORMULA_START = r"^[=+\-@\t\r]"
_PLAIN_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"


def _originals(extra: pl.Series, order: list[str] | None = None) -> pl.DataFrame:
    """The upload's own columns from the items' JSON `extra`, prefixed, in the file's order."""
    if extra.is_null().all():
        return pl.DataFrame()
    decoded = extra.str.json_decode(infer_schema_length=None)
    if not isinstance(decoded.dtype, pl.Struct):
        return pl.DataFrame()
    frame = decoded.struct.unnest()
    known = [c for c in order or [] if c in frame.columns]
    frame = frame.select(*known, *[c for c in frame.columns if c not in known])
    return frame.select(
        (
            pl.col(c).cast(pl.String)
            if isinstance(frame.schema[c], pl.List | pl.Struct | pl.Null)
            else pl.col(c)
        ).alias(ORIGINAL_PREFIX + c)
        for c in frame.columns
    )


# Our placements, under names that say what they are placed among (not the engine's names).
PLACEMENT_COLUMNS = {
    ATTENTION_SCORE: ATTENTION_SCORE,
    f"{ATTENTION_SCORE}_percentile": "attention_percentile",
    f"{ATTENTION_SCORE}_cohort": "attention_percentile_reference_set",
    CITATIONS: CITATIONS,
    CITATION_SOURCE: CITATION_SOURCE,
    f"{CITATIONS}_percentile": "citations_percentile",
    f"{CITATIONS}_cohort": "citations_percentile_reference_set",
    QUADRANT: QUADRANT,
}
PERCENTILE_COLUMNS = ("attention_percentile", "citations_percentile")
REFERENCE_SET_COLUMNS = (
    "attention_percentile_reference_set",
    "citations_percentile_reference_set",
)


def collection_export_frame(
    con: duckdb.DuckDBPyConnection,
    collection: str,
    *,
    weights: Mapping[str, float] | None = None,
    reference: str | None = None,
    keys: Sequence[str] | None = None,
) -> pl.DataFrame:
    """One row per collection item in input order, in the export column contract.

    The one frame every download is made from (CLI, Upload, Portfolio): the person's corrections
    applied (a removed work is not exported, author positions as corrected), each work placed
    among works of its year in `reference` (None: the whole cache) as on the Portfolio page.
    `keys` narrows it to the works a filtered table shows.
    """
    items = collection_items(con, collection).filter(~pl.col("excluded").fill_null(False))
    if keys is not None:
        items = items.filter(pl.col("key").is_in(list(keys)))
    work_keys = items["key"].drop_nulls().unique(maintain_order=True).to_list()
    wide = works_wide(con, work_keys)
    demo = is_demo_set(wide)  # real works are never placed among the fictional demo works
    references = (
        cache_references(con, weights, collection=reference, demo=demo) if work_keys else {}
    )
    placed = portfolio_table(wide, items, weights=weights, references=references)
    joined = items.select("position", "input", "key", "status", "reason", "author_position").join(
        placed.drop("author_position"), on="key", how="left", maintain_order="left"
    )
    metrics = [m for m in METRIC_NAMES if m in joined.columns and joined[m].is_not_null().any()]
    statuses = [f"{s}_status" for s in WEB_SOURCES]
    # The contract's columns first (identity, metadata, metrics, statuses), then the page's.
    frame = joined.select(
        *CONTRACT_COLUMNS,
        *metrics,
        *[pl.col(c) if c in joined.columns else pl.lit(None, pl.String).alias(c) for c in statuses],
        "author_position",
        *[
            (pl.col(c) if c in joined.columns else pl.lit(None)).alias(name)
            for c, name in PLACEMENT_COLUMNS.items()
            if name not in METRIC_NAMES  # attention_score is a metric: with the metrics
        ],
        "reason",
    ).with_columns(pl.col(c).round(1) for c in PERCENTILE_COLUMNS)
    frame = _with_preprints(con, frame, work_keys, metrics)
    meta = (get_collection(con, collection) or {}).get("meta") or {}
    originals = _originals(items["extra"], meta.get("fields"))
    return pl.concat([frame, originals], how="horizontal") if originals.width else frame


def _with_preprints(
    con: duckdb.DuckDBPyConnection, frame: pl.DataFrame, keys: list[str], metrics: list[str]
) -> pl.DataFrame:
    """The preprint's key and values in their own columns (only when a work has a preprint)."""
    from lib.views.versions import load_versions, preprint_columns

    links, linked = load_versions(con, keys)
    columns = preprint_columns(keys, links, linked, metrics)
    if columns.is_empty():
        return frame
    return frame.join(columns, on="key", how="left", maintain_order="left")


def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Text cells a spreadsheet would execute get a leading `'`; numeric columns are untouched."""
    return frame.with_columns(
        _neutralised(c) for c, dtype in frame.schema.items() if dtype == pl.String
    )


def _neutralised(column: str) -> pl.Expr:
    text = pl.col(column)
    risky = text.str.contains(_FORMULA_START) & ~text.str.contains(_PLAIN_NUMBER)
    return pl.when(risky).then(pl.lit("'") + text).otherwise(text).alias(column)


def write_csv(frame: pl.DataFrame, path: str | Path) -> Path:
    """UTF-8 without BOM (the machine contract; Excel users get XLSX), formulas neutralised, missing empty."""
    path = Path(path)
    neutralise_formulas(frame).write_csv(path, null_value="")
    return path


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """The CSV download: the table from line 1 (no comment lines), formulas neutralised."""
    return neutralise_formulas(frame).write_csv(null_value="").encode("utf-8")


def xlsx_bytes(frame: pl.DataFrame, about: list[tuple[str, str]]) -> bytes:
    """The XLSX download: the same writer as `triangulate export`, README sheet included."""
    with tempfile.TemporaryDirectory() as folder:
        path = write_xlsx(frame, Path(folder) / "export.xlsx", about)
        return path.read_bytes()


def readme_text(about: list[tuple[str, str]]) -> str:
    """The README as a sidecar text file, for the CSV (which must open as a plain table)."""
    width = max((len(label) for label, _ in about), default=0)
    return "".join(f"{label.ljust(width)}  {text}\n" for label, text in about)


def readme_path(csv_path: Path) -> Path:
    """`portfolio.csv` -> `portfolio.README.txt`, the CSV's sidecar."""
    return csv_path.with_name(csv_path.stem + ".README.txt")


def write_parquet(frame: pl.DataFrame, path: str | Path) -> Path:
    """Typed columns as they are: Parquet is read by programs, not executed by spreadsheets."""
    path = Path(path)
    frame.write_parquet(path)
    return path


def about_rows(
    con: duckdb.DuckDBPyConnection,
    collection: str,
    frame: pl.DataFrame,
    weights: Mapping[str, float] | None = None,
) -> list[tuple[str, str]]:
    """(label, text) lines for the XLSX "About" sheet: what, when, from where, and the caveat."""
    info = get_collection(con, collection) or {}
    keys = frame["key"].drop_nulls().unique().to_list()
    rows: list[tuple[str, str]] = [
        ("Collection", collection),
        *(
            [
                (
                    "FICTIONAL DEMO DATA",
                    "Every person, work and number here is generated (DOIs 10.5555).",
                )
            ]
            if info.get("is_demo")
            else []
        ),
        ("Exported", datetime.now().replace(microsecond=0).isoformat(sep=" ")),
        ("Rows", f"{frame.height:,} items in the original order"),
        ("Input format", str((info.get("meta") or {}).get("format") or "")),
        ("Caveat", CAVEAT),
        ("Missing values", "An empty cell means no source supplied the value; it is not zero."),
        ("Statuses", "<source>_status: ok, not_found, error, skipped; empty = not fetched yet."),
        ("Original columns", f"The upload's own columns follow, prefixed '{ORIGINAL_PREFIX}'."),
        ("Formulas", "Text starting with = + - @ tab or CR is prefixed with ' so it is not run."),
    ]
    for column in REFERENCE_SET_COLUMNS:
        if column in frame.columns:
            for name in frame[column].drop_nulls().unique(maintain_order=True).to_list():
                rows.append((f"Reference set ({column.split('_')[0]})", f"Percentile among {name}"))
    if "attention_score" in frame.columns:
        rows.append(("Attention score weights", weights_description(weights)))
    for source, works, oldest, newest in data_dates(con, keys).iter_rows():
        label = SOURCES[source].label if source in SOURCES else source
        when = f"{oldest:%Y-%m-%d} to {newest:%Y-%m-%d}"
        rows.append((f"Data: {label}", f"{works:,} works; values as of {when}"))
    coverage = coverage_by_source(con, keys) if keys else pl.DataFrame()
    for row in coverage.iter_rows(named=True):
        rows.append(
            (
                f"Fetched: {SOURCES[row['source']].label if row['source'] in SOURCES else row['source']}",
                f"ok {row['ok']:,}, not found {row['not_found']:,}, errors {row['error']:,}, "
                f"skipped {row['skipped']:,}, not fetched {row['not_fetched']:,}",
            )
        )
    return rows


def number_format(name: str, dtype: pl.DataType) -> str | None:
    """A spreadsheet number format that says what a column holds.

    Years plain (2012, not 2,012), counts as whole numbers with thousands separators, ratios and
    scores to 2 decimals, percentiles to 1; columns that are not numbers keep the default.
    """
    if not dtype.is_numeric() or name.startswith(ORIGINAL_PREFIX):
        return None
    if name == "year" or name.endswith("_year") or name == "career_start":
        return "0"
    metric = METRICS.get(name)
    kind = metric.kind if metric is not None else None
    if kind == "percentile" or name.endswith("_percentile") or name in PERCENTILE_COLUMNS:
        return "0.0"
    if kind == "count" or name in (CITATIONS, "n", "works", "position"):
        return "#,##0"
    if dtype.is_integer():
        return "0"
    return "0.00"


def spreadsheet_values(frame: pl.DataFrame) -> pl.DataFrame:
    """Stored values as the formats show them: 6.300000000000001 is 6.3, a count of 24.0 is 24."""
    columns = []
    for name, dtype in frame.schema.items():
        shown = number_format(name, dtype)
        if not dtype.is_float() or shown is None:
            continue
        if shown == "0.0":
            columns.append(pl.col(name).round(1))
        elif shown == "0.00":
            columns.append(pl.col(name).round(2))
        elif (frame[name].drop_nulls() % 1 == 0).all():
            columns.append(pl.col(name).cast(pl.Int64))
        else:
            columns.append(pl.col(name).round(2))
    return frame.with_columns(columns)


def write_xlsx(
    frame: pl.DataFrame, path: str | Path, about: list[tuple[str, str]] | None = None
) -> Path:
    """One sheet of data (frozen bold header, number formats, widths) and a README sheet."""
    import xlsxwriter

    path = Path(path)
    safe = spreadsheet_values(neutralise_formulas(frame))
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with xlsxwriter.Workbook(str(path), options) as book:
        sheet = book.add_worksheet("Data")
        header = book.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"})
        text = book.add_format({})
        formats = {name: number_format(name, dtype) for name, dtype in safe.schema.items()}
        cell_formats = {n: book.add_format({"num_format": f}) for n, f in formats.items() if f}
        for col, name in enumerate(safe.columns):
            width = (
                48 if name == "title" else 22 if name in ("input", "key", "doi", "journal") else 14
            )
            sheet.set_column(col, col, width, cell_formats.get(name, text))
            sheet.write_string(0, col, name, header)
        sheet.freeze_panes(1, 0)
        if safe.width:
            sheet.autofilter(0, 0, max(safe.height, 1), safe.width - 1)
        info = book.add_worksheet(README_SHEET)
        info.set_column(0, 0, 28)
        info.set_column(1, 1, 110)
        for row, (label, value) in enumerate(about or []):
            info.write_string(row, 0, label, header)
            info.write_string(row, 1, value)
    splice_rows(path, _spreadsheet_types(safe))
    return path


def _spreadsheet_types(frame: pl.DataFrame) -> pl.DataFrame:
    """Numbers stay numbers; everything else (dates, booleans, lists) becomes text."""
    return frame.with_columns(
        pl.col(c).cast(pl.String)
        for c, dtype in frame.schema.items()
        if not (dtype.is_numeric() or dtype == pl.String)
    )


def export_collection(
    con: duckdb.DuckDBPyConnection,
    collection: str,
    fmt: str,
    out_path: str | Path,
    *,
    weights: Mapping[str, float] | None = None,
) -> Path:
    """`triangulate export --collection NAME --format csv|xlsx|parquet --out PATH`."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format '{fmt}'; choose one of {', '.join(FORMATS)}.")
    frame = collection_export_frame(con, collection, weights=weights)
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        # the CSV opens as a table; what the XLSX's README sheet says goes in a file beside it
        written = write_csv(frame, out)
        readme_path(written).write_text(
            readme_text(about_rows(con, collection, frame, weights)), encoding="utf-8"
        )
        return written
    if fmt == "parquet":
        return write_parquet(frame, out)
    return write_xlsx(frame, out, about_rows(con, collection, frame, weights))
