"""Reading an upload: limits, format detection, the reader for the format, identifier columns."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from lib.ids import Identifier, parse_identifier
from lib.readers.bibtex import read_bibtex
from lib.readers.delimited import read_delimited
from lib.readers.detect import FORMATS, DetectedFormat, detect_text_format, is_ole2, is_zip
from lib.readers.encoding import MIXED, decode, mixed_lines
from lib.readers.limits import (
    Limits,
    UploadRejected,
    check_rows,
    check_size,
    check_zip,
    looks_binary,
)
from lib.readers.metric_exports import (
    ALTMETRIC_EXPLORER_COLUMNS,
    DIMENSIONS_COLUMNS,
    is_altmetric_explorer,
    is_dimensions,
    metric_columns,
    read_metric_export,
)
from lib.readers.orcid import read_orcid
from lib.readers.result import ReadResult
from lib.readers.ris import normalise_newlines, read_ris
from lib.readers.scopus import read_scopus
from lib.readers.tabular import header_role, table_result
from lib.readers.tagged import read_medline, read_wos
from lib.readers.text import read_text
from lib.readers.xlsx import read_xlsx_table
from lib.settings import load_settings

# Web of Science tab-delimited export: its two-letter field tags.
WOS_TAB_IDS = ("DI", "PM")
WOS_TAB_METADATA = {"title": "TI", "year": "PY", "journal": "SO", "authors": "AU"}
WOS_TAB_METRICS = {"citations_wos": ("TC", "wos")}


def read_path(path: str | Path, **kwargs: object) -> ReadResult:
    """Read a file from disk (size checked before it is loaded)."""
    path = Path(path)
    limits = kwargs.get("limits") or Limits.from_settings(load_settings())
    check_size(path.stat().st_size, limits)  # type: ignore[arg-type]
    return read_upload(path.read_bytes(), path.name, **kwargs)  # type: ignore[arg-type]


def read_upload(
    data: bytes,
    filename: str | None = None,
    *,
    format: str | None = None,
    id_columns: list[str] | None = None,
    limits: Limits | None = None,
    for_matching: bool = False,
) -> ReadResult:
    """Bytes of an upload -> rows; whole-file problems raise UploadRejected.

    `for_matching`: a file without any identifier column is returned (its rows' titles, authors,
    years and journals go to reference matching, lib/ingest/matching.py) instead of rejected."""
    limits = limits or Limits.from_settings(load_settings())
    check_size(len(data), limits)
    if format is not None and format not in FORMATS:
        raise UploadRejected(f"Unknown format '{format}'. Known formats: {', '.join(FORMATS)}.")
    if is_zip(data) or is_ole2(data):
        if is_zip(data):
            check_zip(data, limits)
        result = _read_workbook(data)
    else:
        if looks_binary(data):
            raise UploadRejected(
                "The file is binary, not text or a spreadsheet. Upload a CSV, XLSX, RIS, BibTeX, "
                "MEDLINE, Web of Science or plain-text file."
            )
        text, encoding = decode(data)
        if not text.strip():
            raise UploadRejected("The file holds only blank lines: there is nothing to import.")
        text = normalise_newlines(text)
        detected = (
            DetectedFormat(format, 1.0, "Format chosen by the user.")
            if format
            else detect_text_format(text)
        )
        result = _read_text(text, detected)
        result.encoding = encoding
        if encoding == MIXED and (mixed := mixed_lines(data)) is not None:
            result.warnings.append(
                f"The file mixes encodings: {mixed[1]:,} lines are not UTF-8 and were read as "
                "Windows-1252 (cp1252), the others as UTF-8. Check the accents in those rows."
            )
    _check_records(result, limits, columns_chosen=bool(id_columns) or for_matching)
    if id_columns:
        return with_identifier_columns(result, id_columns)
    return result


def _read_text(text: str, detected: DetectedFormat) -> ReadResult:
    fmt, delimiter = detected.format, detected.delimiter
    if fmt in ("csv", "scopus", "wos-tab", "altmetric-explorer", "dimensions") and not delimiter:
        delimiter = detect_text_format(text).delimiter or ","
    if fmt == "medline":
        return read_medline(text)
    if fmt == "wos":
        return read_wos(text)
    if fmt == "ris":
        return read_ris(text)
    if fmt == "bibtex":
        return read_bibtex(text)
    if fmt == "orcid-json":
        return read_orcid(text)
    if fmt == "scopus":
        return read_scopus(text, delimiter or ",")
    if fmt in ("altmetric-explorer", "dimensions"):
        return read_metric_export(text, fmt.replace("-", "_"), delimiter or ",")
    if fmt == "wos-tab":
        table, _, warnings = read_delimited(text, delimiter)
        return _wos_tab(table, warnings)
    if fmt == "csv":
        return _read_csv(text, delimiter)
    return read_text(text)


def _read_csv(text: str, delimiter: str | None) -> ReadResult:
    table, _, warnings = read_delimited(text, delimiter)
    if _header_is_data(table.columns):
        table, _, warnings = read_delimited(text, delimiter, has_header=False)
        warnings = [
            *warnings,
            "The first row holds identifiers, so it was read as data, not a header.",
        ]
    return table_result(table, "csv", warnings=warnings)


def _header_is_data(columns: list[str]) -> bool:
    return any(
        isinstance(parse_identifier(name), Identifier) and not name.strip().isdigit()
        for name in columns
    )


def _wos_tab(table: pl.DataFrame, warnings: list[str]) -> ReadResult:
    present = set(table.columns)
    return table_result(
        table,
        "wos-tab",
        identifier_columns=[c for c in WOS_TAB_IDS if c in present],
        metadata={k: v for k, v in WOS_TAB_METADATA.items() if v in present},
        metric_columns={m: s for m, s in WOS_TAB_METRICS.items() if s[0] in present},
        warnings=warnings,
    )


def _read_workbook(data: bytes) -> ReadResult:
    table, sheet, notes = read_xlsx_table(data)
    if is_altmetric_explorer(table.columns) or is_dimensions(table.columns):
        source = "altmetric_explorer" if is_altmetric_explorer(table.columns) else "dimensions"
        mapping = (
            ALTMETRIC_EXPLORER_COLUMNS if source == "altmetric_explorer" else DIMENSIONS_COLUMNS
        )
        metrics = metric_columns(table.columns, mapping, source)
        return table_result(
            table, source.replace("_", "-"), metric_columns=metrics, sheet=sheet, notes=notes
        )
    return table_result(table, "xlsx", sheet=sheet, notes=notes)


def _check_records(result: ReadResult, limits: Limits, *, columns_chosen: bool = False) -> None:
    if result.rows == 0:
        if result.format in (
            "csv",
            "xlsx",
            "scopus",
            "wos-tab",
            "altmetric-explorer",
            "dimensions",
        ):
            raise UploadRejected(
                f"The file has a header row ({len(result.fields)} columns) but no data rows."
            )
        raise UploadRejected(f"No records were found in the file (read as {result.format}).")
    check_rows(result.rows, limits)
    if not result.identifier_columns and not columns_chosen:
        shown = ", ".join(f"'{c}'" for c in result.fields[:12])
        raise UploadRejected(
            f"No identifiers found: none of the columns ({shown}) holds DOIs, PMIDs, PMCIDs, "
            "arXiv or OpenAlex ids. Choose the identifier column by hand, or check the file.",
            fields=result.fields,
        )


def with_identifier_columns(result: ReadResult, columns: list[str]) -> ReadResult:
    """The same rows with the caller's choice of identifier columns (in priority order)."""
    unknown = [c for c in columns if c not in result.fields]
    if unknown:
        raise UploadRejected(
            f"No column named {', '.join(repr(c) for c in unknown)}; "
            f"the file has {', '.join(repr(c) for c in result.fields)}."
        )
    hints = {
        c: r
        for c in columns
        if (r := result.id_hints.get(c) or header_role(c)) in ("pmid", "pmcid")
    }
    result.identifier_columns = list(columns)
    result.id_hints = hints
    return result
