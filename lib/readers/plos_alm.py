"""The PLOS article-level metrics of Priem, Piwowar & Hemminger (2012) as a reference collection.

The file (`counts-raw.txt.gz`, TSV, `NA` = missing) holds 24,331 PLOS articles with usage, captures,
mentions, social and citation counts collected in 2011. Every value becomes an observation of source
`plos_alm`; a missing value stays missing (no observation), never 0.

Choices (also in docs/calibration.md):
- as_of = 2011-12-31: the ALM counts were taken in 2011 (`daysSincePublished` counts to 2010-12-23)
  and `wosCountThru2011` runs to the end of 2011, the latest date any value refers to.
- views = htmlDownloadsCount; downloads = pdfDownloadsCount + xmlDownloadsCount.
- facebook_mentions = facebookShareCount (shares are the closest to Altmetric's "public Facebook
  posts"); likes, comments and clicks are reactions to those posts and are kept in the item's `extra`.
- peer_review_mentions = 1 when f1000Factor > 0, else 0: the F1000 factor is a rating built from
  one or more evaluations, not a count; ">0" means at least one F1000 evaluation (a lower bound).
  The factor itself is kept in `extra`.
- comments = plosCommentCount (top-level reader comments; responses to them are kept in `extra`).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import polars as pl

SOURCE = "plos_alm"
AS_OF = datetime(2011, 12, 31)
COLLECTION_PREFIX = "PLOS ALM 2011: "

JOURNALS: dict[str, str] = {
    "pbio": "PLoS Biology",
    "pcbi": "PLoS Computational Biology",
    "pgen": "PLoS Genetics",
    "pmed": "PLoS Medicine",
    "pntd": "PLoS Neglected Tropical Diseases",
    "pone": "PLoS ONE",
    "ppat": "PLoS Pathogens",
}

# Canonical metric -> expression over the file's columns.
METRIC_COLUMNS: dict[str, pl.Expr] = {
    "views": pl.col("htmlDownloadsCount"),
    "downloads": pl.col("pdfDownloadsCount") + pl.col("xmlDownloadsCount"),
    "mendeley_readers": pl.col("mendeleyReadersCount"),
    "citeulike_readers": pl.col("almCiteULikeCount"),
    "bookmarks": pl.col("deliciousCount"),
    "blog_mentions": pl.col("almBlogsCount"),
    "wikipedia_mentions": pl.col("wikipediaCites"),
    "comments": pl.col("plosCommentCount"),
    "peer_review_mentions": (pl.col("f1000Factor") > 0).cast(pl.Int64),
    "x_posts": pl.col("backtweetsCount"),
    "facebook_mentions": pl.col("facebookShareCount"),
    "citations_wos": pl.col("wosCountThru2011"),
    "citations_scopus": pl.col("almScopusCount"),
    "citations_pmc": pl.col("almPubMedCentralCount"),
    "citations_crossref": pl.col("almCrossRefCount"),
}

# Original columns with no canonical metric, carried to exports through collection_item.extra.
EXTRA_COLUMNS = (
    "authorsCount",
    "f1000Factor",
    "facebookLikeCount",
    "facebookCommentCount",
    "facebookClickCount",
    "plosCommentResponsesCount",
    "wosCountThru2010",
    "daysSincePublished",
)


def read_plos_alm(path: str | Path) -> pl.DataFrame:
    """The file as a frame; `NA` is null and PMIDs stay text."""
    return pl.read_csv(
        path,
        separator="\t",
        null_values="NA",
        infer_schema_length=None,
        schema_overrides={"pmid": pl.String, "doi": pl.String},
    )


def plos_works(raw: pl.DataFrame) -> pl.DataFrame:
    """One work per article, keyed by lower-case DOI."""
    return raw.select(
        key=pl.col("doi").str.strip_chars().str.to_lowercase(),
        doi=pl.col("doi").str.strip_chars().str.to_lowercase(),
        pmid=pl.col("pmid"),
        title=pl.col("title"),
        journal=pl.col("journal").replace_strict(JOURNALS, default=pl.col("journal")),
        year=pl.col("year").cast(pl.Int32),
        pub_date=pl.col("pubDate").str.to_date("%Y-%m-%d", strict=False),
        type=pl.col("articleType"),
        field=pl.col("plosSubjectTags").str.split("|").list.first(),
        topic=pl.col("plosSubjectTags"),
        is_demo=pl.lit(False),
    )


def plos_observations(raw: pl.DataFrame) -> pl.DataFrame:
    """Long observations (key, source, metric, value, as_of); missing values are left out."""
    wide = raw.select(
        key=pl.col("doi").str.strip_chars().str.to_lowercase(),
        **{name: expr.cast(pl.Float64) for name, expr in METRIC_COLUMNS.items()},
    )
    return (
        wide.unpivot(index="key", variable_name="metric", value_name="value")
        .drop_nulls("value")
        .with_columns(source=pl.lit(SOURCE), as_of=pl.lit(AS_OF))
    )


def plos_items(raw: pl.DataFrame) -> pl.DataFrame:
    """Collection items in file order, with the unmapped columns as JSON `extra`."""
    return raw.select(
        journal=pl.col("journal").replace_strict(JOURNALS, default=pl.col("journal")),
        input=pl.col("doi"),
        key=pl.col("doi").str.strip_chars().str.to_lowercase(),
        status=pl.lit("valid"),
        extra=pl.struct(*EXTRA_COLUMNS).struct.json_encode(),
    )
