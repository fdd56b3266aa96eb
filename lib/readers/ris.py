"""RIS via rispy: DO (DOI), AN (accession number, often a PMID), UR (URLs)."""

from __future__ import annotations

from typing import Any

import polars as pl
import rispy

from lib.readers.result import ReadResult, finish, year_expr

RIS_FIELDS = ("TY", "TI", "PY", "JO", "AU", "DO", "AN", "UR")


def normalise_newlines(text: str) -> str:
    """Any line ending (CRLF, CR, the stray `\\r` some exporters add before `TY`) as LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _first(entry: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = entry.get(key)
        if isinstance(value, list):
            value = "; ".join(str(v) for v in value if v)
        if value:
            return str(value).strip()
    return None


def _record(entry: dict[str, Any]) -> dict[str, str | None]:
    return {
        "TY": _first(entry, "type_of_reference"),
        "TI": _first(entry, "title", "primary_title", "translated_title"),
        "PY": _first(entry, "year", "publication_year", "date"),
        "JO": _first(
            entry, "journal_name", "secondary_title", "alternate_title3", "alternate_title1"
        ),
        "AU": _first(entry, "authors", "first_authors"),
        "DO": _first(entry, "doi"),
        "AN": _first(entry, "accession_number"),
        "UR": _first(entry, "urls"),
    }


def read_ris(text: str) -> ReadResult:
    entries = rispy.loads(normalise_newlines(text), skip_unknown_tags=False)
    records = pl.DataFrame(
        [_record(e) for e in entries], schema={f: pl.String for f in RIS_FIELDS}, orient="row"
    )
    frame = records.select(
        row=pl.int_range(1, pl.len() + 1, dtype=pl.Int64),
        extra=pl.struct(*RIS_FIELDS),
        title=pl.col("TI"),
        year=year_expr("PY"),
        journal=pl.col("JO"),
        authors=pl.col("AU"),
    )
    return finish(frame, "ris", ["DO", "AN", "UR"])
