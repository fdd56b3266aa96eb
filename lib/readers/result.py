"""What every reader returns: rows in input order, their identifier fields, metadata and metrics."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict, Unpack

import polars as pl

from lib.vocabulary import METRICS

METADATA_COLUMNS: dict[str, pl.DataType] = {
    "title": pl.String(),
    "year": pl.Int32(),
    "journal": pl.String(),
    "authors": pl.String(),
}


class ResultExtras(TypedDict, total=False):
    """The optional fields of a ReadResult, as readers pass them on to `finish`."""

    metrics: dict[str, str]
    warnings: list[str]
    notes: list[str]
    encoding: str | None
    sheet: str | None
    id_hints: dict[str, str]


@dataclass
class ReadResult:
    """A file read into rows; nothing validated or saved yet.

    `frame` has `row` (1-based record number: the first data row or record is 1; for plain text,
    the line number), `extra` (a struct of the record's original fields, all text, carried to
    exports), the metadata columns `title`, `year`, `journal`, `authors`, and one Float64 column per
    canonical metric the file carries (see `metrics`). `identifier_columns` names fields of
    `extra` in priority order: the first that holds a valid identifier wins, the next is the
    fallback (a DOI column, then a PMID column). The caller may override it after showing it.
    """

    frame: pl.DataFrame
    format: str
    identifier_columns: list[str]
    metrics: dict[str, str] = field(default_factory=dict)  # canonical metric -> source
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    encoding: str | None = None
    sheet: str | None = None
    # Fields whose bare numbers are PMIDs (or PMCIDs) by their header, e.g. "PubMed ID" -> "pmid".
    id_hints: dict[str, str] = field(default_factory=dict)

    @property
    def fields(self) -> list[str]:
        """Names of the original fields, in file order."""
        extra = self.frame.schema["extra"]
        return [f.name for f in extra.fields] if isinstance(extra, pl.Struct) else []

    @property
    def rows(self) -> int:
        return self.frame.height


def finish(
    frame: pl.DataFrame,
    fmt: str,
    identifier_columns: list[str],
    **kwargs: Unpack[ResultExtras],
) -> ReadResult:
    """Give a reader's frame the common shape: row, extra, metadata, then metric columns."""
    metrics = kwargs.get("metrics") or {}
    frame, negative = _without_negative_counts(frame, list(metrics))
    if negative:
        kwargs["warnings"] = [*kwargs.get("warnings", []), *negative]
    columns = [
        pl.col("row").cast(pl.Int64),
        pl.col("extra"),
        *[
            (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
            for name, dtype in METADATA_COLUMNS.items()
        ],
        *[pl.col(m).cast(pl.Float64, strict=False) for m in metrics],
    ]
    return ReadResult(
        frame=frame.select(columns), format=fmt, identifier_columns=identifier_columns, **kwargs
    )


def _without_negative_counts(
    frame: pl.DataFrame, metrics: list[str]
) -> tuple[pl.DataFrame, list[str]]:
    """No count a file carries can be below zero (a Scopus "Cited by" of -12 is not 12 and not
    -12 citations): such a value is left missing, and each is reported with its row."""
    warnings: list[str] = []
    present = [
        m for m in metrics if m in frame.columns and m in METRICS and METRICS[m].kind == "count"
    ]
    for metric in present:
        values = pl.col(metric).cast(pl.Float64, strict=False)
        bad = frame.filter(values < 0).select("row", metric)
        if bad.height:
            shown = ", ".join(f"row {r}: {v}" for r, v in bad.head(20).iter_rows())
            more = f" and {bad.height - 20:,} more" if bad.height > 20 else ""
            warnings.append(
                f"{bad.height:,} negative values of {metric} are not counts and were left "
                f"missing ({shown}{more})."
            )
    if warnings:
        frame = frame.with_columns(
            pl.when(pl.col(m).cast(pl.Float64, strict=False) < 0)
            .then(None)
            .otherwise(pl.col(m))
            .alias(m)
            for m in present
        )
    return frame, warnings


def year_expr(column: str | pl.Expr) -> pl.Expr:
    """The first plausible four-digit year in a date-ish text, as Int32."""
    expr = pl.col(column) if isinstance(column, str) else column
    return expr.cast(pl.String).str.extract(r"\b(1[5-9]\d\d|20\d\d)\b", 1).cast(pl.Int32)


def number_expr(column: str) -> pl.Expr:
    """A count cell as Float64: thousands separators dropped, blanks and text are null."""
    return (
        pl.col(column)
        .cast(pl.String)
        .str.strip_chars()
        .str.replace_all(r"[,\u00a0 ]", "")
        .cast(pl.Float64, strict=False)
    )
