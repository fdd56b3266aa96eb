"""Validation of read rows: valid, invalid (with reason and row), duplicate (of the first row).

Runs as Polars expressions over the whole frame (`parse_identifier_expr`), so 100,000 rows take a
fraction of a second. A row problem is a report entry, never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from lib.readers.limits import UploadRejected
from lib.readers.result import ReadResult
from lib.readers.tabular import hinted, parse_distinct

SCHEME_HOW: dict[str, str] = {
    "doi": "DOI",
    "pmid": "PMID (to be resolved to a DOI by the sources)",
    "pmcid": "PMCID (to be resolved to a DOI by the sources)",
    "arxiv": "arXiv id (to be resolved to a DOI by the sources)",
    "openalex": "OpenAlex work id (to be resolved to a DOI by the sources)",
}
WORK_ID_SCHEMES = tuple(SCHEME_HOW)
NO_IDENTIFIER = "no identifier in this row"
ORCID_REASON = "an ORCID iD identifies a person, not a work"

ITEM_COLUMNS = (
    "position",
    "row",
    "input",
    "key",
    "scheme",
    "status",
    "reason",
    "duplicate_of",
    "duplicate_of_row",
    *WORK_ID_SCHEMES,
)


@dataclass
class ValidationReport:
    """What the page shows before anything is saved, and what `import_rows` saves."""

    items: pl.DataFrame  # ITEM_COLUMNS, one row per item in input order
    format: str
    identifier_columns: list[str]
    warnings: list[str] = field(default_factory=list)
    examples: int = 20

    def count(self, status: str) -> int:
        return int((self.items["status"] == status).sum())

    @property
    def total(self) -> int:
        return self.items.height

    @property
    def valid(self) -> int:
        return self.count("valid")

    @property
    def invalid(self) -> int:
        return self.count("invalid")

    @property
    def duplicates(self) -> int:
        return self.count("duplicate")

    @property
    def by_scheme(self) -> dict[str, int]:
        """Valid items per identifier scheme (doi, pmid, ...)."""
        counts = self.items.filter(pl.col("status") == "valid")["scheme"].value_counts(sort=True)
        return dict(counts.iter_rows())

    @property
    def to_resolve(self) -> int:
        """Valid items without a DOI yet: the sources resolve them (PMID -> DOI) when fetching."""
        return int(((self.items["status"] == "valid") & self.items["doi"].is_null()).sum())

    def invalid_rows(self, limit: int | None = None) -> pl.DataFrame:
        """Row, input and reason of the invalid items (the first `limit`, default `examples`)."""
        rows = self.items.filter(pl.col("status") == "invalid").select("row", "input", "reason")
        return rows.head(limit or self.examples)

    def duplicate_rows(self, limit: int | None = None) -> pl.DataFrame:
        """Row, input, key and the row of the first occurrence, for the duplicates."""
        rows = self.items.filter(pl.col("status") == "duplicate")
        return rows.select("row", "input", "key", "duplicate_of_row").head(limit or self.examples)

    def summary(self) -> dict[str, object]:
        return {
            "rows": self.total,
            "valid": self.valid,
            "invalid": self.invalid,
            "duplicates": self.duplicates,
            "to_resolve": self.to_resolve,
            "by_scheme": self.by_scheme,
        }

    def summary_lines(self) -> list[str]:
        """Plain sentences for the CLI and the page."""
        schemes = ", ".join(f"{n:,} {s.upper()}" for s, n in self.by_scheme.items())
        lines = [
            f"{self.total:,} items: {self.valid:,} valid ({schemes or 'none'}), "
            f"{self.invalid:,} invalid, {self.duplicates:,} duplicates.",
        ]
        if self.to_resolve:
            lines.append(f"{self.to_resolve:,} have no DOI yet; the sources will resolve them.")
        for row, text, reason in self.invalid_rows(5).iter_rows():
            lines.append(f"row {row}: {text!r} is invalid: {reason}")
        return lines + self.warnings


def validate(result: ReadResult, *, examples: int = 20) -> ValidationReport:
    """Validate every row's identifier fields; raises UploadRejected only if none is valid."""
    columns = result.identifier_columns
    if not columns:
        raise UploadRejected("No identifier column was chosen.")
    texts = _texts(result)
    items = _classify(texts, len(columns), columns)
    report = ValidationReport(items, result.format, list(columns), list(result.warnings), examples)
    if report.valid == 0 and report.duplicates == 0:
        first = report.invalid_rows(3)
        if report.items["input"].is_null().all():  # no row holds anything that looks like an id
            raise NoIdentifiers(_what_was_found(result), found=result.rows)
        shown = "; ".join(
            f"row {r}: {'(empty)' if t is None else repr(t)} ({why})"
            for r, t, why in first.iter_rows()
        )
        raise UploadRejected(
            f"No valid identifiers in {report.total:,} rows of "
            f"{', '.join(repr(c) for c in columns)}. First problems: {shown}"
        )
    return report


RECORD_NOUNS = {
    "bibtex": "BibTeX entries",
    "ris": "RIS records",
    "medline": "MEDLINE records",
    "wos": "Web of Science records",
    "orcid-json": "ORCID works",
    "text": "lines",
}
MATCH_STEP = (
    "Next step: match them to DOIs with `triangulate match FILE --collection NAME` (candidates "
    "to review), then import the matched list."
)


class NoIdentifiers(UploadRejected):
    """Records were read, none carries a DOI, PMID or other identifier: matching is the way on."""

    def __init__(self, message: str, *, found: int) -> None:
        super().__init__(message)
        self.found = found


def _what_was_found(result: ReadResult) -> str:
    """ "494 BibTeX entries with titles and authors but no DOI or PMID. Next step: ..." """
    frame = result.frame
    noun = RECORD_NOUNS.get(result.format, "rows")
    has = [
        label
        for column, label in (("title", "titles"), ("authors", "authors"), ("year", "years"))
        if column in frame.columns and frame[column].is_not_null().any()
    ]
    titled = frame["title"].is_not_null().sum() if "title" in frame.columns else 0
    holding = (
        f" with {', '.join(has[:-1]) + ' and ' + has[-1] if len(has) > 1 else has[0]}"
        if has
        else ""
    )
    share = f" ({titled:,} with a title)" if 0 < titled < frame.height else ""
    return (
        f"{frame.height:,} {noun}{holding} but no DOI, PMID or other identifier{share}. "
        + MATCH_STEP
    )


def _texts(result: ReadResult) -> pl.DataFrame:
    """Long form: one row per (item, identifier column) with the hinted, stripped text."""
    columns = result.identifier_columns
    # Fields are taken by position so a file column called `row` or `position` cannot clash.
    fields = result.frame.select(
        "row", *[pl.col("extra").struct.field(c).alias(f"__id{i}") for i, c in enumerate(columns)]
    )
    wide = fields.select(
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("position"),
        "row",
        *[
            hinted(f"__id{i}", result.id_hints.get(column)).replace("", None).alias(str(i))
            for i, column in enumerate(columns)
        ],
    )
    return wide.unpivot(index=["position", "row"], variable_name="i", value_name="t").with_columns(
        pl.col("i").cast(pl.Int32)
    )


def _first(expr: pl.Expr, where: pl.Expr) -> pl.Expr:
    return expr.filter(where).first()


def _classify(texts: pl.DataFrame, n: int, columns: list[str]) -> pl.DataFrame:
    work = pl.col("key").is_not_null() & (pl.col("scheme") != "orcid")
    filled = pl.col("t").is_not_null()
    column_names = {i: c for i, c in enumerate(columns)}
    per_item = (
        parse_distinct(texts)
        .sort("position", "i")
        .group_by("position", maintain_order=True)
        .agg(
            pl.col("row").first(),
            chosen=_first(pl.col("i"), work),
            key=_first(pl.col("key"), work),
            scheme=_first(pl.col("scheme"), work),
            input=pl.coalesce(_first(pl.col("t"), work), _first(pl.col("t"), filled)),
            first_scheme=_first(pl.col("scheme"), filled),
            first_reason=_first(pl.col("reason"), filled),
            any_text=filled.any(),
            **{s: _first(pl.col("value"), pl.col("scheme") == s) for s in WORK_ID_SCHEMES},
        )
    )
    how_from = (
        pl.lit(" from '")
        + pl.col("chosen").replace_strict(column_names, return_dtype=pl.String)
        + pl.lit("'")
        if n > 1
        else pl.lit("")
    )
    return (
        per_item.lazy()
        .with_columns(
            invalid_reason=pl.when(~pl.col("any_text"))
            .then(pl.lit(NO_IDENTIFIER))
            .when(pl.col("first_scheme") == "orcid")
            .then(pl.lit(ORCID_REASON))
            .otherwise(pl.col("first_reason")),
            first=pl.col("position").min().over("key"),
            first_row=pl.col("row").min().over("key"),
        )
        .with_columns(
            status=pl.when(pl.col("key").is_null())
            .then(pl.lit("invalid"))
            .when(pl.col("position") == pl.col("first"))
            .then(pl.lit("valid"))
            .otherwise(pl.lit("duplicate")),
        )
        .with_columns(
            duplicate_of=pl.when(pl.col("status") == "duplicate").then(pl.col("first")),
            duplicate_of_row=pl.when(pl.col("status") == "duplicate").then(pl.col("first_row")),
            reason=pl.when(pl.col("status") == "invalid")
            .then(pl.col("invalid_reason"))
            .when(pl.col("status") == "duplicate")
            .then(pl.format("duplicate of row {}", pl.col("first_row")))
            .otherwise(
                pl.col("scheme").replace_strict(SCHEME_HOW, default=pl.col("scheme")) + how_from
            ),
        )
        .select(ITEM_COLUMNS)
        .collect()
    )
