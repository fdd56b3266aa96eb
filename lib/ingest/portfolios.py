"""Building and correcting a portfolio: from pasted identifiers, a file, or an ORCID iD.

Reading and validation are the upload readers' (lib/readers); an ORCID record is fetched through
the fetch pipeline's transport (`run.send_one`) and read by the same parser as an uploaded ORCID
file.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx
import polars as pl

from lib import store
from lib.ids import work_key_expr
from lib.ingest.run import send_one
from lib.readers import ValidationReport, read_upload, validate
from lib.settings import Settings
from lib.sources import orcid as orcid_source

PORTFOLIO_KIND = "portfolio"


def read_identifiers(text: str) -> ValidationReport:
    """Pasted DOIs, PMIDs, PMCIDs (one per line, or any text holding them), validated."""
    return validate(read_upload(text.encode("utf-8"), "pasted.txt"))


def read_file(data: bytes, filename: str) -> ValidationReport:
    """An uploaded file in any format the readers know, validated."""
    return validate(read_upload(data, filename))


def _items(report: ValidationReport) -> pl.DataFrame:
    return report.items.select(
        "input",
        "key",
        "status",
        "reason",
        pl.col("duplicate_of").cast(pl.Int32),
    )


def _work_rows(report: ValidationReport) -> pl.DataFrame:
    columns = [
        c for c in ("key", "doi", "pmid", "pmcid", "arxiv", "openalex") if c in report.items.columns
    ]
    return report.items.filter(pl.col("status") == "valid").select(columns).unique("key")


def save_portfolio(
    db_path: str | Path,
    name: str,
    report: ValidationReport,
    *,
    meta: dict[str, Any] | None = None,
    works: pl.DataFrame | None = None,
) -> int:
    """Create (or replace the items of) a portfolio; returns the number of valid works."""
    with store.connect(db_path) as con, store.transaction(con):
        store.upsert_works(con, _work_rows(report))
        if works is not None and not works.is_empty():
            store.upsert_works(con, works)
        store.save_collection(con, name, _items(report), kind=PORTFOLIO_KIND, meta=meta or {})
    return report.valid


def add_to_portfolio(db_path: str | Path, name: str, report: ValidationReport) -> int:
    """Append the valid, new works of a report to an existing portfolio; returns how many."""
    with store.connect(db_path) as con, store.transaction(con):
        known = set(store.collection_keys(con, name, include_excluded=True))
        known_keys = pl.DataFrame({"key": sorted(known)}, schema={"key": pl.String})
        new = (
            report.items.filter(pl.col("status") == "valid")
            .join(known_keys, on="key", how="anti")
            .unique("key", keep="first", maintain_order=True)
        )
        if new.is_empty():
            return 0
        store.upsert_works(con, _work_rows(report).join(new.select("key"), on="key"))
        # A work the person once removed and now adds again is simply restored.
        store.add_items(con, name, new.select("input", "key", "status", "reason"))
    return new.height


def correct(
    db_path: str | Path,
    name: str,
    key: str,
    *,
    excluded: bool | None = None,
    author_position: str | None = None,
) -> None:
    """Record the person's correction (remove / restore a work, set their author position)."""
    with store.connect(db_path) as con:
        store.correct_item(con, name, key, excluded=excluded, author_position=author_position)


def apply_corrections(
    db_path: str | Path, name: str, before: pl.DataFrame, after: pl.DataFrame
) -> int:
    """Store every row whose `excluded` or `author_position` changed (frames keyed by `key`)."""
    changed = after.join(before, on="key", how="inner", suffix="_before").filter(
        (pl.col("excluded") != pl.col("excluded_before"))
        | pl.col("author_position").ne_missing(pl.col("author_position_before"))
    )
    with store.connect(db_path) as con, store.transaction(con):
        for row in changed.iter_rows(named=True):
            store.correct_item(
                con,
                name,
                row["key"],
                excluded=bool(row["excluded"]),
                author_position=row["author_position"],
            )
    return changed.height


def orcid_works(
    orcid: str,
    settings: Settings,
    transport: httpx.AsyncBaseTransport | None = None,
    http_options: Mapping[str, Any] | None = None,
) -> pl.DataFrame:
    """The person's works as ORCID lists them (doi, pmid, pmcid, title, year, journal, type)."""
    request = orcid_source.build_works_request(orcid, settings)
    result = send_one(request, settings, transport=transport, http_options=http_options)
    if result.status != 200 or result.body is None:
        raise RuntimeError(f"ORCID did not answer for {orcid}: {result.message or result.status}")
    return orcid_source.parse_works(result.body)


def report_from_orcid_works(works: pl.DataFrame) -> tuple[ValidationReport, pl.DataFrame]:
    """Validated items (DOI first, else PMID, else PMCID) and the metadata rows to cache."""
    lines = works.select(
        pl.coalesce(pl.col("doi"), pl.lit("PMID:") + pl.col("pmid"), pl.col("pmcid")).alias("id")
    )["id"].drop_nulls()
    report = read_identifiers("\n".join(lines.to_list()))
    metadata = works.with_columns(key=work_key_expr(("doi", "pmid", "pmcid"))).join(
        report.items.select("key").drop_nulls().unique(), on="key"
    )
    return report, metadata.drop("pmcid")


def portfolio_from_orcid(
    db_path: str | Path,
    name: str,
    orcid: str,
    settings: Settings,
    *,
    person: str | None = None,
    career_start: int | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    http_options: Mapping[str, Any] | None = None,
) -> int:
    """Fetch the ORCID record's works and save them as a portfolio; returns the valid works."""
    works = orcid_works(orcid, settings, transport, http_options)
    report, metadata = report_from_orcid_works(works)
    meta = {"person": person, "orcid": orcid, "career_start": career_start, "source": "orcid"}
    return save_portfolio(db_path, name, report, meta=meta, works=metadata)
