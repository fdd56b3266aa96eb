"""Scopus CSV exports.

Real exports put every `Funding Text N` in its own field but name only `Funding Text 1` in the
header, so rows with a second funding text carry one field more than the header and every column
from `References` onward shifts by one (the litstudy fixture: 56 of 58 rows). We re-align those rows
by naming the surplus `Funding Text 2` right after `Funding Text 1`.
"""

from __future__ import annotations

import polars as pl

from lib.readers.delimited import read_delimited
from lib.readers.result import ReadResult
from lib.readers.tabular import table_result

SCOPUS_METADATA = {
    "title": "Title",
    "year": "Year",
    "journal": "Source title",
    "authors": "Authors",
}
SCOPUS_IDS = ["DOI", "PubMed ID"]
SCOPUS_METRICS = {"citations_scopus": ("Cited by", "scopus")}
_FUNDING = "Funding Text 1"


def is_scopus_header(columns: list[str]) -> bool:
    names = {c.strip() for c in columns}
    return {"EID", "Source title"} <= names or (
        "Link" in names and "Source" in names and "DOI" in names
    )


def realign(table: pl.DataFrame, extra_field: str) -> pl.DataFrame:
    """Shift the columns after `Funding Text 1` left in rows that carry the surplus field."""
    names = [c for c in table.columns if c != extra_field]
    start = names.index(_FUNDING) + 1
    shifted = pl.col(extra_field).is_not_null()
    tail = [*names[start:], extra_field]
    moved = [
        pl.when(shifted).then(pl.col(tail[i + 1])).otherwise(pl.col(name)).alias(name)
        for i, name in enumerate(names[start:])
    ]
    second = pl.when(shifted).then(pl.col(names[start])).otherwise(None).alias("Funding Text 2")
    return table.select(*names[:start], second, *moved)


def read_scopus(text: str, delimiter: str = ",") -> ReadResult:
    table, ragged, warnings = read_delimited(text, delimiter)
    surplus = [c for c in table.columns if c.startswith("extra field")]
    if len(surplus) == 1 and _FUNDING in table.columns:
        table = realign(table, surplus[0])
        warnings = [
            f"{ragged:,} rows have one more field than the header: Scopus wrote a second "
            "funding text without naming it; those rows were re-aligned ('Funding Text 2')."
        ]
    ids = [c for c in SCOPUS_IDS if c in table.columns]
    metadata = {k: v for k, v in SCOPUS_METADATA.items() if v in table.columns}
    metrics = {m: spec for m, spec in SCOPUS_METRICS.items() if spec[0] in table.columns}
    return table_result(
        table,
        "scopus",
        identifier_columns=ids,
        metadata=metadata,
        metric_columns=metrics,
        warnings=warnings,
    )
