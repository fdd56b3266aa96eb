"""Tagged record formats (PubMed/MEDLINE, Web of Science plain text), parsed with Polars.

Both put a short tag at the start of a line, its value after a fixed offset, and continue long
values on lines indented to that offset. MEDLINE separates records by blank lines and opens each
with `PMID-`; WoS opens each with `PT` and closes it with `ER`.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from lib.readers.result import ReadResult, finish, number_expr, year_expr


@dataclass(frozen=True)
class TagLayout:
    tag_width: int  # characters of the tag field, including padding
    value_start: int  # column where values (and continuation lines) begin
    record_tag: str  # the tag that opens a record
    separator: str  # characters between the tag field and the value ("- " or " ")
    list_tags: tuple[str, ...] = ()  # tags whose continuation lines are further values (WoS AU)


MEDLINE = TagLayout(4, 6, "PMID", "- ")
MEDLINE_TAGS = ("PMID", "TI", "DP", "JT", "TA", "AU", "LID", "AID", "PMC")
WOS = TagLayout(2, 3, "PT", " ", ("AU", "AF", "CR", "C1", "BA", "BF", "ED"))
WOS_TAGS = ("UT", "DI", "PM", "TI", "PY", "SO", "AU", "TC")


def tagged_entries(text: str, layout: TagLayout, keep: tuple[str, ...]) -> pl.DataFrame:
    """One row per (record, tag occurrence) of the `keep` tags: record (1-based), tag, value with
    its continuation lines joined."""
    lines = pl.LazyFrame({"line": pl.Series(text.split("\n"), dtype=pl.String)})
    tag_field = pl.col("line").str.slice(0, layout.tag_width).str.strip_chars_end()
    starts_tag = (
        pl.col("line").str.slice(layout.tag_width, len(layout.separator)) == layout.separator
    ) & tag_field.str.contains(r"^[A-Z][A-Z0-9]*$")
    continuation = pl.col("line").str.starts_with(" " * layout.value_start) & ~starts_tag
    tagged = (
        lines.with_columns(tag=pl.when(starts_tag).then(tag_field), cont=continuation)
        .with_columns(
            record=(pl.col("tag") == layout.record_tag).fill_null(False).cum_sum(),
            governing=pl.col("tag").forward_fill(),
        )
        .filter(pl.col("tag").is_not_null() | pl.col("cont"))
        .with_columns(
            starter=pl.col("tag").is_not_null() | pl.col("governing").is_in(layout.list_tags)
        )
        .with_columns(entry=pl.col("starter").cum_sum())
        .filter((pl.col("record") > 0) & pl.col("governing").is_in(keep))
        .with_columns(value=pl.col("line").str.slice(layout.value_start).str.strip_chars(" \t\r"))
    )
    # Most entries are one line: only those with continuation lines go through a group-by.
    starts = tagged.filter(pl.col("starter")).select(
        "entry", "record", tag="governing", value="value"
    )
    more = (
        tagged.filter(~pl.col("starter")).group_by("entry").agg(more=pl.col("value").str.join(" "))
    )
    return (
        starts.join(more, on="entry", how="left", maintain_order="left")
        .with_columns(
            value=pl.when(pl.col("more").is_not_null())
            .then(pl.concat_str("value", pl.lit(" "), "more"))
            .otherwise("value")
        )
        .select("record", "tag", "value")
        .collect()
    )


def records_wide(entries: pl.DataFrame, single: tuple[str, ...], joined: str) -> pl.DataFrame:
    """One row per record: the first value of each `single` tag, all `joined` values with "; "."""
    records = entries.select(pl.col("record").unique(maintain_order=True))
    firsts = (
        entries.filter(pl.col("tag").is_in(single))
        .unique(["record", "tag"], keep="first", maintain_order=True)
        .pivot(on="tag", index="record", values="value", on_columns=list(single))
    )
    listed = (
        entries.filter(pl.col("tag") == joined)
        .group_by("record")
        .agg(pl.col("value").str.join("; ").alias(joined))
    )
    wide = records.join(firsts, on="record", how="left", maintain_order="left").join(
        listed, on="record", how="left", maintain_order="left"
    )
    return wide.with_columns(
        pl.lit(None, pl.String).alias(c) for c in (*single, joined) if c not in wide.columns
    )


def _marked_doi(entries: pl.DataFrame) -> pl.DataFrame:
    """MEDLINE LID/AID values end in `[doi]`, `[pii]`, `[pmc]`...; the first `[doi]` per record."""
    marked = pl.col("tag").is_in(["LID", "AID"]) & pl.col("value").str.ends_with("[doi]")
    return (
        entries.filter(marked)
        .unique("record", keep="first", maintain_order=True)
        .select("record", DOI=pl.col("value").str.replace(r"\s*\[doi\]$", ""))
    )


def read_medline(text: str) -> ReadResult:
    entries = tagged_entries(text, MEDLINE, MEDLINE_TAGS)
    records = (
        records_wide(entries, ("PMID", "PMC", "TI", "DP", "JT", "TA"), "AU")
        .join(_marked_doi(entries), on="record", how="left", maintain_order="left")
        .with_columns(JT=pl.coalesce("JT", "TA"))
    )
    frame = records.select(
        row=pl.col("record"),
        extra=pl.struct("PMID", "DOI", "PMC", "TI", "DP", "JT", "AU"),
        title=pl.col("TI"),
        year=year_expr("DP"),
        journal=pl.col("JT"),
        authors=pl.col("AU").replace("", None),
    )
    return finish(
        frame,
        "medline",
        ["DOI", "PMID", "PMC"],
        id_hints={"PMID": "pmid", "PMC": "pmcid"},
    )


def read_wos(text: str) -> ReadResult:
    """Web of Science plain text: DI (DOI), PM (PMID), UT (accession), TC (times cited)."""
    entries = tagged_entries(text, WOS, WOS_TAGS)
    records = records_wide(entries, ("UT", "DI", "PM", "TI", "PY", "SO", "TC"), "AU")
    frame = records.with_columns(citations_wos=number_expr("TC")).select(
        row=pl.col("record"),
        extra=pl.struct("UT", "DI", "PM", "TI", "PY", "SO", "AU", "TC"),
        title=pl.col("TI"),
        year=year_expr("PY"),
        journal=pl.col("SO"),
        authors=pl.col("AU").replace("", None),
        citations_wos=pl.col("citations_wos"),
    )
    return finish(
        frame,
        "wos",
        ["DI", "PM"],
        id_hints={"PM": "pmid"},
        metrics={"citations_wos": "wos"},
    )
