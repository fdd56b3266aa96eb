"""What matching reads: pasted text (a CV, a reference list) or a file's rows without identifiers."""

from __future__ import annotations

import polars as pl

from lib.matching import ParsedReference, parse_reference, split_references
from lib.matching.lines import SplitResult
from lib.readers import UploadRejected, read_upload, validate
from lib.readers.validate import NO_IDENTIFIER


def references_in_text(text: str) -> tuple[SplitResult, list[ParsedReference]]:
    split = split_references(text)
    return split, [parse_reference(line.text) for line in split.references]


def references_in_file(data: bytes, filename: str) -> list[ParsedReference]:
    """Rows of a file (BibTeX, RIS, ORCID, a table) that carry no identifier, as references with
    the fields the file gave; rows that do carry one are imported as usual, not matched."""
    result = read_upload(data, filename, for_matching=True)
    frame = result.frame.with_row_index("_at")
    if result.identifier_columns:
        try:
            report = validate(result)
        except UploadRejected:  # no row has a valid identifier: every row is for matching
            report = None
        if report is not None:
            lacking = report.items.with_row_index("_at").filter(pl.col("reason") == NO_IDENTIFIER)
            frame = frame.join(lacking.select("_at"), on="_at", how="semi")
    refs = []
    for row in frame.iter_rows(named=True):
        extra = row.get("extra") or {}
        text = _reference_text(row)
        refs.append(
            ParsedReference.from_fields(
                text,
                title=row.get("title"),
                authors=row.get("authors"),
                year=row.get("year"),
                journal=row.get("journal"),
                volume=_first_of(extra, "volume", "VL", "VI", "Volume"),
                first_page=_first_of(extra, "pages", "SP", "PG", "Page start"),
            )
        )
    return refs


def _first_of(extra: dict[str, object], *names: str) -> str | None:
    return next((str(extra[n]) for n in names if extra.get(n)), None)


def _reference_text(row: dict[str, object]) -> str:
    """What the collection row shows as `input`: authors (year). title. journal."""
    parts = [str(row.get("authors") or "").strip(), f"({row['year']})" if row.get("year") else ""]
    head = " ".join(p for p in parts if p)
    tail = ". ".join(str(row[c]).strip(" .") for c in ("title", "journal") if row.get(c))
    return f"{head}. {tail}." if head else f"{tail}."
