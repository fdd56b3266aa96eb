"""Tables (CSV, TSV, XLSX sheets): finding the identifier and metadata columns by name and content."""

from __future__ import annotations

import re
from typing import Unpack

import polars as pl

from lib.ids import parse_identifier_expr
from lib.readers.result import ReadResult, ResultExtras, finish, number_expr, year_expr

# Header names (lower-cased, punctuation collapsed) that say what a column holds.
ID_HEADERS: dict[str, str] = {
    "doi": "doi",
    "di": "doi",
    "doi link": "doi",
    "doi url": "doi",
    "digital object identifier": "doi",
    "pmid": "pmid",
    "pubmed id": "pmid",
    "pubmed": "pmid",
    "pm": "pmid",
    "pmcid": "pmcid",
    "pmc id": "pmcid",
    "pubmedcentral id": "pmcid",
    "pubmed central id": "pmcid",
    "arxiv id": "arxiv",
    "arxiv": "arxiv",
    "openalex id": "openalex",
    "openalex": "openalex",
    "identifier": "any",
    "identifiers": "any",
    "id": "any",
    "url": "any",
    "link": "any",
    "uri": "any",
}
_ROLE_ORDER = ("doi", "pmid", "pmcid", "arxiv", "openalex", "any")

META_HEADERS: dict[str, tuple[str, ...]] = {
    "title": ("title", "article title", "document title", "ti", "publication title"),
    "year": ("year", "publication year", "pubyear", "py", "publication date", "pub year", "date"),
    "journal": (
        "journal",
        "source title",
        "journal title",
        "journal/collection title",
        "so",
        "source",
        "publication name",
        "journal name",
    ),
    "authors": ("authors", "author", "au", "author names", "author full names"),
}

# Bare numbers under these headers are PMIDs / PMCIDs, not ambiguous digits.
_NUMERIC_ID_PREFIX = {"pmid": "PMID:", "pmcid": "PMC"}

CONTENT_SHARE = 0.5
_SAMPLE = 2000


def normalise_header(name: str) -> str:
    return re.sub(r"[\s_.:-]+", " ", name.strip().lower()).strip()


def header_role(name: str) -> str | None:
    return ID_HEADERS.get(normalise_header(name))


def hinted(column: str, role: str | None) -> pl.Expr:
    """A column's text, with bare numbers made explicit when the header says what they are."""
    expr = pl.col(column).cast(pl.String).str.strip_chars()
    prefix = _NUMERIC_ID_PREFIX.get(role or "")
    if prefix is None:
        return expr
    return pl.when(expr.str.contains(r"^\d+$")).then(pl.lit(prefix) + expr).otherwise(expr)


def parse_distinct(texts: pl.DataFrame, column: str = "t") -> pl.DataFrame:
    """The frame with scheme, value, key and reason of `column`, parsing each distinct text once."""
    distinct = texts.select(pl.col(column).unique()).drop_nulls()
    parsed = distinct.with_columns(p=parse_identifier_expr(pl.col(column))).unnest("p")
    return texts.join(parsed, on=column, how="left", nulls_equal=False)


def content_shares(table: pl.DataFrame, columns: list[str]) -> dict[str, float]:
    """Share of non-empty cells in a sample that parse as identifiers (bare numbers not counted)."""
    if not columns:
        return {}
    sample = table.head(_SAMPLE).select(
        pl.col(c).cast(pl.String).str.strip_chars().replace("", None) for c in columns
    )
    long = sample.unpivot(variable_name="column", value_name="t").drop_nulls("t")
    shares = (
        parse_distinct(long)
        .group_by("column")
        .agg(share=(pl.col("key").is_not_null() & ~pl.col("t").str.contains(r"^\d+$")).mean())
    )
    found = dict(shares.iter_rows())
    return {c: float(found.get(c) or 0.0) for c in columns}


def detect_identifier_columns(table: pl.DataFrame) -> tuple[list[str], dict[str, str], list[str]]:
    """(columns in priority order, role hints per column, notes on why each was chosen)."""
    roles = {c: r for c in table.columns if (r := header_role(c))}
    shares = content_shares(table, table.columns)
    chosen: dict[str, str] = {}
    notes = []
    for column, role in roles.items():
        numeric_ok = role in _NUMERIC_ID_PREFIX
        if shares[column] >= 0.05 or (numeric_ok and _has_numbers(table, column)):
            chosen[column] = role
            notes.append(f"'{column}': header names a {role.upper()} column")
    for column, share in shares.items():
        if column not in chosen and share >= CONTENT_SHARE:
            chosen[column] = roles.get(column, "any")
            notes.append(f"'{column}': {share:.0%} of its cells are identifiers")
    ordered = sorted(chosen, key=lambda c: (_ROLE_ORDER.index(chosen[c]), -shares[c]))
    hints = {c: chosen[c] for c in ordered if chosen[c] in _NUMERIC_ID_PREFIX}
    return ordered, hints, notes


def _has_numbers(table: pl.DataFrame, column: str) -> bool:
    sample = table.head(_SAMPLE).get_column(column).cast(pl.String).str.strip_chars()
    return bool(sample.str.contains(r"^\d{1,9}$").any())


def detect_metadata_columns(columns: list[str]) -> dict[str, str]:
    """Canonical metadata field -> the table's column, first matching header wins."""
    normalised = {normalise_header(c): c for c in reversed(columns)}
    found = {}
    for field_name, names in META_HEADERS.items():
        for name in names:
            if name in normalised:
                found[field_name] = normalised[name]
                break
    return found


def table_result(
    table: pl.DataFrame,
    fmt: str,
    *,
    metric_columns: dict[str, tuple[str, str]] | None = None,
    metadata: dict[str, str] | None = None,
    identifier_columns: list[str] | None = None,
    **kwargs: Unpack[ResultExtras],
) -> ReadResult:
    """A String table (original headers) -> ReadResult; metric_columns: metric -> (column, source)."""
    if identifier_columns is None:
        identifier_columns, hints, notes = detect_identifier_columns(table)
    else:
        hints = {c: r for c in identifier_columns if (r := header_role(c)) in _NUMERIC_ID_PREFIX}
        notes = []
    meta = metadata if metadata is not None else detect_metadata_columns(table.columns)
    metric_columns = metric_columns or {}
    # Row numbers count every record, so blank rows (layout) are dropped after numbering.
    table = table.with_columns(pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("__row")).filter(
        pl.any_horizontal(pl.all().exclude("__row").is_not_null())
    )
    frame = table.select(
        row=pl.col("__row"),
        extra=pl.struct(pl.all().exclude("__row")),
        **{name: pl.col(column) for name, column in meta.items() if name != "year"},
        **({"year": year_expr(meta["year"])} if "year" in meta else {}),
        **{metric: number_expr(column) for metric, (column, _) in metric_columns.items()},
    )
    notes = [*notes, *[f"{name} from '{column}'" for name, column in meta.items()]]
    return finish(
        frame,
        fmt,
        identifier_columns,
        metrics={m: source for m, (_, source) in metric_columns.items()},
        id_hints=hints,
        notes=[*notes, *kwargs.pop("notes", [])],  # type: ignore[misc]
        **kwargs,
    )
