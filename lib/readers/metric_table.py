"""Any table of per-work metrics (CSV, TSV, XLSX): the person says which column is which.

`triangulate load-metrics FILE --format table --id-column COL --map "SRC=metric,..."
[--source NAME] [--missing-when "COL=VALUE"]` and the Upload page's "any table of metrics" form
both end here. Pure: bytes and a mapping in, a ReadResult out.

Rules (nothing silently coerced):
- every mapped column must exist and every target must be a canonical metric name;
- a cell that is blank is missing; a cell that is text other than a number (thousands separators
  allowed) or a negative count is reported per row and left missing, never 0;
- a `missing_when` rule (e.g. `HAS_ALTMETRIC=FALSE`, compared case-insensitively) turns that row's
  mapped values into missing: the provider's zeros there mean "no data".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from lib.readers.limits import UploadRejected
from lib.readers.read import read_upload
from lib.readers.result import ReadResult, number_expr
from lib.vocabulary import METRIC_NAMES, METRICS

TABLE_FORMAT = "table"
MAX_LISTED_PROBLEMS = 20
_SOURCE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class TableMapping:
    """Which column holds the identifiers, which columns hold which metrics, of which source."""

    id_column: str
    columns: dict[str, str]  # file column -> canonical metric
    source: str
    missing_when: tuple[str, str] | None = None


def parse_map(text: str) -> dict[str, str]:
    """`"Views=views, Readers=mendeley_readers"` -> {column: metric}; clear errors otherwise."""
    mapping: dict[str, str] = {}
    for part in (p for p in text.split(",") if p.strip()):
        column, sep, metric = part.rpartition("=")
        column, metric = column.strip(), metric.strip()
        if not sep or not column or not metric:
            raise UploadRejected(f"Each --map entry is COLUMN=metric; '{part.strip()}' is not.")
        if column in mapping:
            raise UploadRejected(f"Column '{column}' is mapped twice in --map.")
        mapping[column] = metric
    if not mapping:
        raise UploadRejected("--map names no columns; give COLUMN=metric pairs.")
    unknown = [m for m in mapping.values() if m not in METRICS]
    if unknown:
        raise UploadRejected(
            f"Not a canonical metric name: {', '.join(repr(m) for m in unknown)}. "
            f"Known: {', '.join(METRIC_NAMES)}."
        )
    doubled = {m for m in mapping.values() if list(mapping.values()).count(m) > 1}
    if doubled:
        raise UploadRejected(
            f"Metric {', '.join(sorted(doubled))} is given by two columns; map each metric once."
        )
    return mapping


def parse_missing_when(text: str | None) -> tuple[str, str] | None:
    """`"HAS_ALTMETRIC=FALSE"` -> ("HAS_ALTMETRIC", "FALSE")."""
    if not text:
        return None
    column, sep, value = text.partition("=")
    if not sep or not column.strip():
        raise UploadRejected(
            f"--missing-when is COLUMN=VALUE, e.g. HAS_ALTMETRIC=FALSE; not '{text}'."
        )
    return column.strip(), value.strip()


def check_source_name(name: str) -> str:
    """A source name for the observations: lower-case letters, digits and underscores."""
    name = name.strip().lower()
    if not _SOURCE_NAME.match(name):
        raise UploadRejected(
            f"Source name '{name}' must start with a letter and hold only a-z, 0-9 and _ "
            "(at most 40 characters), e.g. repository_usage."
        )
    return name


def default_source_name(filename: str | None) -> str:
    stem = re.sub(r"[^a-z0-9]+", "_", (filename or "table").lower().rsplit(".", 1)[0]).strip("_")
    return check_source_name(f"table_{stem}"[:40].rstrip("_"))


def _field(column: str) -> pl.Expr:
    return pl.col("extra").struct.field(column).cast(pl.String).str.strip_chars()


def _problems(frame: pl.DataFrame, mapping: TableMapping) -> pl.DataFrame:
    """row, column, value, problem: cells that are neither blank nor a usable number."""
    parts = []
    for column in mapping.columns:
        text = _field(column)
        number = number_expr("_t")
        cells = frame.select("row", _t=text).with_columns(_n=number)
        bad = cells.filter(
            (pl.col("_t").is_not_null() & (pl.col("_t") != ""))
            & (pl.col("_n").is_null() | (pl.col("_n") < 0))
        )
        parts.append(
            bad.select(
                "row",
                column=pl.lit(column),
                value=pl.col("_t"),
                problem=pl.when(pl.col("_n").is_null())
                .then(pl.lit("not a number"))
                .otherwise(pl.lit("negative")),
            )
        )
    return pl.concat(parts).sort("row", "column") if parts else pl.DataFrame()


def _missing_rule(frame: pl.DataFrame, mapping: TableMapping) -> pl.Expr:
    if mapping.missing_when is None:
        return pl.lit(False)
    column, value = mapping.missing_when
    return _field(column).str.to_lowercase().eq_missing(value.lower())


@dataclass(frozen=True)
class TableRead:
    """The rows (with the mapped metrics), the cells reported, and rows the rule made missing."""

    result: ReadResult
    problems: pl.DataFrame  # row, column, value, problem
    rows_made_missing: int


def read_metric_table(data: bytes, filename: str | None, mapping: TableMapping) -> TableRead:
    """The file's rows, identifiers from `mapping.id_column`, the mapped metrics as Float64."""
    if mapping.id_column in mapping.columns:
        raise UploadRejected(
            f"'{mapping.id_column}' is the identifier column; it cannot also be a metric column."
        )
    base = read_upload(
        data,
        filename,
        format=None if _is_workbook(data) else "csv",
        id_columns=[mapping.id_column],
    )
    wanted = [*mapping.columns]
    if mapping.missing_when:
        wanted.append(mapping.missing_when[0])
    absent = [c for c in dict.fromkeys(wanted) if c not in base.fields]
    if absent:
        raise UploadRejected(
            f"No column named {', '.join(repr(c) for c in absent)} in {filename or 'the file'}; "
            f"its columns are {', '.join(repr(c) for c in base.fields)}.",
            fields=base.fields,
        )
    base.frame = base.frame.drop(list(base.metrics))  # only what the person mapped is loaded
    base.metrics = {}
    no_data = _missing_rule(base.frame, mapping)
    problems = _problems(base.frame, mapping)
    values = {
        metric: pl.when(no_data | (number_expr(f"_{metric}") < 0))
        .then(None)
        .otherwise(number_expr(f"_{metric}"))
        for metric in mapping.columns.values()
    }
    frame = (
        base.frame.with_columns(
            **{f"_{metric}": _field(column) for column, metric in mapping.columns.items()}
        )
        .with_columns(**values)
        .drop([f"_{m}" for m in mapping.columns.values()])
    )
    base.frame = frame
    base.metrics = {metric: mapping.source for metric in mapping.columns.values()}
    base.format = TABLE_FORMAT
    ruled = int(base.frame.select(no_data.sum()).item()) if mapping.missing_when else 0
    base.warnings = [*base.warnings, *_problem_lines(problems)]
    base.notes = [
        *base.notes,
        *(f"'{c}' -> {m} (source {mapping.source})" for c, m in mapping.columns.items()),
        *(
            [
                f"{ruled:,} rows where {mapping.missing_when[0]} = {mapping.missing_when[1]}: "
                "their values are missing, not 0"
            ]
            if mapping.missing_when
            else []
        ),
    ]
    return TableRead(base, problems, ruled)


def _is_workbook(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _problem_lines(problems: pl.DataFrame) -> list[str]:
    if problems.is_empty():
        return []
    lines = [
        f"Row {r['row']}, column '{r['column']}': '{r['value']}' is {r['problem']}; left missing."
        for r in problems.head(MAX_LISTED_PROBLEMS).iter_rows(named=True)
    ]
    if problems.height > MAX_LISTED_PROBLEMS:
        lines.append(f"... and {problems.height - MAX_LISTED_PROBLEMS:,} more such cells.")
    return lines


@dataclass(frozen=True)
class TableColumns:
    """What the mapping form offers: the columns, the likely id column, guessed metric per column."""

    fields: tuple[str, ...]
    id_column: str | None
    guesses: dict[str, str]  # column -> canonical metric, where the header names one


def _guess_metric(column: str) -> str | None:
    name = re.sub(r"[^a-z0-9]+", "_", column.strip().lower()).strip("_")
    if name in METRICS:
        return name
    by_label = {m.label.lower(): m.name for m in METRICS.values()}
    return by_label.get(column.strip().lower())


def table_columns(data: bytes, filename: str | None) -> TableColumns:
    """The table's columns, the detected identifier column, and metric guesses from headers."""
    try:
        base = read_upload(data, filename, format=None if _is_workbook(data) else "csv")
        fields, ids = base.fields, base.identifier_columns
    except UploadRejected as rejected:
        if not rejected.fields:
            raise
        fields, ids = rejected.fields, []
    guesses = {c: m for c in fields if c not in ids[:1] and (m := _guess_metric(c))}
    return TableColumns(tuple(fields), ids[0] if ids else None, guesses)
