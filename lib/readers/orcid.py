"""ORCID works JSON uploaded as a file: the same parser as the ORCID fetch (`lib.ids.orcid_works`)."""

from __future__ import annotations

import json
from typing import Any

import polars as pl

from lib.ids.orcid_works import work_groups, works_frame
from lib.readers.limits import UploadRejected
from lib.readers.result import ReadResult, finish

ORCID_FIELDS = (
    "put_code",
    "title",
    "year",
    "journal",
    "type",
    "doi",
    "pmid",
    "pmcid",
    "arxiv",
    "other_id",
)


def orcid_groups(text: str) -> list[dict[str, Any]] | None:
    """The work groups if the text is an ORCID works document, else None."""
    try:
        document = json.loads(text)
    except ValueError:
        return None
    return work_groups(document)


def read_orcid(text: str) -> ReadResult:
    groups = orcid_groups(text)
    if groups is None:
        raise UploadRejected(
            "The JSON file is not an ORCID works list (expected a 'group' array of work summaries)."
        )
    works = works_frame(groups)
    frame = works.select(
        row=pl.int_range(1, pl.len() + 1, dtype=pl.Int64),
        extra=pl.struct(pl.col(*ORCID_FIELDS).cast(pl.String)),
        title=pl.col("title"),
        year=pl.col("year"),
        journal=pl.col("journal"),
    )
    return finish(
        frame,
        "orcid-json",
        ["doi", "pmid", "pmcid", "arxiv"],
        id_hints={"pmid": "pmid", "pmcid": "pmcid"},
    )
