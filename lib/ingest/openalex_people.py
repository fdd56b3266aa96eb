"""Find the person in OpenAlex (name, and institution) and build a portfolio from their works.

Split profiles are common: the person picks one or more author candidates and the works of all of
them are imported together (repeats counted once), then corrected as any portfolio is.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import polars as pl

from lib.ingest.portfolios import report_from_orcid_works, save_portfolio
from lib.settings import Settings
from lib.sources import openalex_authors
from lib.sources.openalex_authors import AuthorCandidate
from lib.sources.transport import Transport

MAX_PAGES = 50  # 10,000 works: beyond any one person's record


class LookupFailed(RuntimeError):
    """OpenAlex could not be asked or did not answer usably (the message says why)."""


def find_authors(
    name: str,
    settings: Settings,
    *,
    institution: str | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> list[AuthorCandidate]:
    request = openalex_authors.build_author_search(name, settings, institution=institution)

    async def run() -> tuple[int | None, str | None, str]:
        async with Transport(settings, transport=transport) as client:
            result = await client.send(request)
        return result.status, result.body, result.message

    status, body, message = asyncio.run(run())
    if status is None or body is None or message:
        raise LookupFailed(f"OpenAlex author search failed: {message or status}")
    found, problem = openalex_authors.parse_author_search(status, body)
    if problem:
        raise LookupFailed(problem)
    return found


def author_works(
    author_ids: list[str], settings: Settings, transport: httpx.AsyncBaseTransport | None = None
) -> pl.DataFrame:
    """Every work of the chosen profiles (doi, pmid, pmcid, title, year, journal, type)."""

    async def run() -> list[dict[str, object]]:
        works: list[dict[str, object]] = []
        cursor: str | None = "*"
        async with Transport(settings, transport=transport) as client:
            for _ in range(MAX_PAGES):
                if not cursor:
                    break
                result = await client.send(
                    openalex_authors.build_works_page(author_ids, settings, cursor)
                )
                if result.status is None or result.body is None or result.message:
                    raise LookupFailed(
                        f"OpenAlex works of {', '.join(author_ids)}: {result.message}"
                    )
                page, cursor, problem = openalex_authors.parse_works_page(
                    result.status, result.body
                )
                if problem:
                    raise LookupFailed(problem)
                works += page
                if not page:
                    break
        return works

    rows = asyncio.run(run())
    schema = {c: pl.String for c in ("doi", "pmid", "title", "journal", "type")} | {
        "year": pl.Int32
    }
    frame = pl.DataFrame(rows, schema=schema | {"openalex": pl.String}, strict=False)
    return frame.with_columns(
        doi=pl.col("doi").str.replace(r"^https?://(dx\.)?doi\.org/", "").str.to_lowercase(),
        pmcid=pl.lit(None, dtype=pl.String),
    ).select("doi", "pmid", "pmcid", "title", "year", "journal", "type")


def portfolio_from_openalex_authors(
    db_path: str | Path,
    name: str,
    authors: list[AuthorCandidate],
    settings: Settings,
    *,
    person: str | None = None,
    career_start: int | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> int:
    """Save the chosen profiles' works as a portfolio; returns the valid works."""
    works = author_works([a.id for a in authors], settings, transport)
    report, metadata = report_from_orcid_works(works)
    meta = {
        "person": person,
        "openalex_authors": [a.id for a in authors],
        "orcid": next((a.orcid for a in authors if a.orcid), None),
        "career_start": career_start,
        "source": "openalex",
    }
    return save_portfolio(db_path, name, report, meta=meta, works=metadata)
