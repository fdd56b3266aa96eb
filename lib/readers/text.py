"""Plain or pasted text: one or many identifiers per line (DOIs, PMIDs, PMCIDs, URLs, mixed).

A line with one token is one item, valid or not, so a typo is reported rather than lost. A line with
several tokens yields the tokens that are identifiers (a pasted reference "Smith J. ... doi:10.1/x"
gives its DOI); if none is, the whole line is one invalid item. Labels such as `PMID:` or `doi`
standing alone are joined to the token that follows them.
"""

from __future__ import annotations

import polars as pl

from lib.ids import Identifier, parse_identifier
from lib.readers.result import ReadResult, finish
from lib.readers.tabular import parse_distinct

# Runs of non-space text; `,` and `;` split tokens only when followed by space or line end, so a
# SICI DOI such as 10.1002/(SICI)...3.0.CO;2-P stays whole.
_TOKEN = r"[^\s,;]+(?:[,;][^\s,;]+)*"
_LABEL = r"(?i)^(doi|pmid|pmcid|pmc|arxiv|openalex|url|id)\s*[:=]?$"
_HEADER = r"(?i)^[a-z][a-z /_()-]{0,40}$"


def read_text(text: str) -> ReadResult:
    lines = (
        pl.DataFrame({"line": pl.Series([text]).str.split("\n").explode()})
        .with_columns(row=pl.int_range(1, pl.len() + 1, dtype=pl.Int64))
        .with_columns(pl.col("line").str.strip_chars())
        .filter(pl.col("line") != "")
    )
    notes = []
    if lines.height > 1 and _is_header(lines):
        notes.append(
            f"The first line ('{lines['line'][0]}') looks like a heading: rows are counted after it."
        )
        lines = lines.slice(1).with_columns(pl.col("row") - 1)
    tokens = parse_distinct(
        lines.with_columns(token=pl.col("line").str.extract_all(_TOKEN))
        .explode("token")
        .drop_nulls("token")
        .with_columns(is_label=pl.col("token").str.contains(_LABEL))
        .with_columns(
            token=pl.when(pl.col("is_label").shift(1).over("row").fill_null(False))
            .then(
                pl.col("token").shift(1).over("row").str.strip_chars_end(":=")
                + ":"
                + pl.col("token")
            )
            .otherwise(pl.col("token"))
        )
        .filter(~pl.col("is_label")),
        "token",
    )
    # In running text a bare number is a year or a page, unless the line holds nothing else.
    bare = pl.col("token").str.contains(r"^\d+[.,;:]?$")
    tokens = tokens.with_columns(
        valid=pl.col("key").is_not_null() & (~bare | bare.all().over("row"))
    ).with_columns(
        tokens=pl.len().over("row"),
        valid_in_line=pl.col("valid").sum().over("row"),
    )
    tokens = tokens.select("row", "line", "token", "tokens", "valid", "valid_in_line")
    kept = tokens.filter((pl.col("tokens") == 1) | pl.col("valid"))
    whole_lines = (
        tokens.filter((pl.col("tokens") > 1) & (pl.col("valid_in_line") == 0))
        .unique("row", keep="first")
        .with_columns(token=pl.col("line"))
    )
    items = pl.concat([kept, whole_lines]).sort("row", maintain_order=True)
    frame = items.select(
        row=pl.col("row"),
        extra=pl.struct(identifier=pl.col("token"), line=pl.col("line")),
    )
    return finish(frame, "text", ["identifier"], notes=notes)


def _is_header(lines: pl.DataFrame) -> bool:
    first = lines["line"][0]
    if not pl.Series([first]).str.contains(_HEADER).item():
        return False
    return not isinstance(parse_identifier(first), Identifier)
