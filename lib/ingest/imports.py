"""Saving a validated upload: the collection, minimal work rows, and the file's own metrics.

Re-importing the same collection replaces its items only. Fetched data belongs to works (not to
collections) and a person's corrections live in `collection_correction`, so both survive.
File-borne metrics (Scopus `Cited by`, WoS `TC`, Altmetric Explorer, Dimensions) become
observations of their source dated to the upload; a blank cell is missing, never 0.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from lib.readers.limits import UploadRejected
from lib.readers.metric_table import TableMapping, read_metric_table
from lib.readers.read import read_path
from lib.readers.result import ReadResult
from lib.readers.validate import ValidationReport, validate
from lib.store import (
    record_fetch_outcomes,
    replace_observations,
    save_collection,
    transaction,
    upsert_works,
)

METRIC_FORMATS = {"altmetric-explorer": "altmetric-explorer", "dimensions": "dimensions"}


def _items(result: ReadResult, report: ValidationReport) -> pl.DataFrame:
    extra = result.frame.select(extra=pl.col("extra").struct.json_encode(), row_=pl.col("row"))
    items = report.items.select(
        "position", "row", "input", "key", "status", "reason", "duplicate_of"
    )
    if extra.height == items.height:
        return items.with_columns(extra=extra["extra"]).drop("row")
    # Plain text may give several items per line: their extra comes from their own line.
    return items.join(extra.unique("row_", keep="first"), left_on="row", right_on="row_").drop(
        "row"
    )


def _first_rows(result: ReadResult, report: ValidationReport) -> pl.DataFrame:
    """Valid items beside the metadata and metrics of their row (first occurrences only)."""
    valid = report.items.filter(pl.col("status") == "valid")
    if result.frame.height == report.items.height:
        rows = result.frame.drop("extra", "row").with_columns(
            position=pl.int_range(1, pl.len() + 1, dtype=pl.Int64)
        )
        return valid.join(rows, on="position", how="left")
    rows = result.frame.drop("extra").unique("row", keep="first")
    return valid.join(rows, on="row", how="left")


def _works(rows: pl.DataFrame) -> pl.DataFrame:
    return rows.select(
        "key", "doi", "pmid", "pmcid", "arxiv", "openalex", "title", "journal", "year"
    )


def _observations(rows: pl.DataFrame, metrics: dict[str, str], as_of: datetime) -> pl.DataFrame:
    if not metrics:
        return pl.DataFrame()
    long = rows.select("key", *metrics).unpivot(
        index="key", variable_name="metric", value_name="value"
    )
    return long.drop_nulls("value").with_columns(
        source=pl.col("metric").replace_strict(metrics, return_dtype=pl.String),
        as_of=pl.lit(as_of),
    )


def import_rows(
    con: duckdb.DuckDBPyConnection,
    read_result: ReadResult,
    report: ValidationReport,
    collection: str,
    *,
    kind: str = "upload",
    filename: str | None = None,
) -> dict[str, int]:
    """Save the collection (replacing its items), upsert works, store the file's metrics."""
    if not collection or not collection.strip():
        raise UploadRejected("Give the collection a name.")
    if any(not c.isprintable() for c in collection):
        raise UploadRejected(
            "A collection name is one line of text: remove the line break, tab or control "
            f"character from {collection!r}."
        )
    items = _items(read_result, report)
    rows = _first_rows(read_result, report)
    loaded = datetime.now().replace(microsecond=0)
    observations = _observations(rows, read_result.metrics, loaded)
    origin = f"loaded from {filename or 'an upload'} ({read_result.format})"
    outcomes = (
        observations.select("key", "source")
        .unique()
        .with_columns(status=pl.lit("ok"), fetched_at=pl.lit(loaded), message=pl.lit(origin))
        if observations.height
        else pl.DataFrame()
    )
    meta = {
        "format": read_result.format,
        "file": filename,
        "identifier_columns": report.identifier_columns,
        "imported_at": loaded.isoformat(),
        "fields": read_result.fields,
        "sheet": read_result.sheet,
    }
    with transaction(con):
        works = upsert_works(con, _works(rows), fill_only=True)
        save_collection(con, collection.strip(), items, kind=kind, meta=meta)
        stored = replace_observations(con, observations) if observations.height else 0
        if outcomes.height:
            record_fetch_outcomes(con, outcomes)
    return {
        "items": report.total,
        "valid": report.valid,
        "invalid": report.invalid,
        "duplicates": report.duplicates,
        "works": works,
        "observations": stored,
    }


def import_file(
    con: duckdb.DuckDBPyConnection,
    path: str | Path,
    collection: str,
    *,
    format: str | None = None,
    id_columns: list[str] | None = None,
) -> dict[str, int]:
    """`triangulate import FILE --collection NAME`: read, validate and save in one go."""
    result = read_path(path, format=format, id_columns=id_columns)
    report = validate(result)
    return import_rows(con, result, report, collection, filename=Path(path).name)


def load_metrics_file(
    con: duckdb.DuckDBPyConnection, path: str | Path, format: str, collection: str | None = None
) -> dict[str, int]:
    """`triangulate load-metrics`: a metrics export's works, values and a collection."""
    path = Path(path)
    if format == "plos-alm":
        from lib.ingest.plos_alm import load_plos_alm

        return load_plos_alm(con, path, collection=collection)
    if format not in METRIC_FORMATS:
        known = ", ".join(["plos-alm", *METRIC_FORMATS])
        raise UploadRejected(f"Unknown metrics format '{format}'. Known: {known}.")
    result = read_path(path, format=METRIC_FORMATS[format])
    if not result.metrics:
        raise UploadRejected(
            f"No {format} metric columns found in {path.name}; "
            "check that this is the export itself (see lib/readers/metric_exports.py)."
        )
    report = validate(result)
    return import_rows(con, result, report, collection or path.stem, filename=path.name)


def load_metrics_table(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    filename: str,
    mapping: TableMapping,
    collection: str | None = None,
) -> tuple[dict[str, int], list[str]]:
    """`load-metrics --format table` and the Upload form: any table of per-work metrics.

    Returns the counts and the reader's per-row problem lines (cells left missing, and why).
    """
    table = read_metric_table(data, filename, mapping)
    report = validate(table.result)
    if report.valid == 0:
        raise UploadRejected(
            f"Column '{mapping.id_column}' holds no identifiers (DOI, PMID, PMCID, arXiv or "
            f"OpenAlex) in {filename}: no row could be matched to a work."
        )
    name = collection or Path(filename).stem
    summary = import_rows(con, table.result, report, name, filename=filename)
    counts = {
        **summary,
        "cells reported": table.problems.height,
        "rows made missing by rule": table.rows_made_missing,
    }
    return counts, list(table.result.warnings)
