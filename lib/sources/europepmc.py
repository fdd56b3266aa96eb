"""Europe PMC search: `citedByCount`, and PMID/PMCID/DOI resolution.

Batches OR their ids into one query (`DOI:"a" OR DOI:"b"`, `(EXT_ID:1 OR EXT_ID:2) AND SRC:MED`).
This is how a work known only by DOI gains the PMID iCite needs. One DOI can have several records
(a MEDLINE record and a preprint); the MEDLINE one wins.
"""

from __future__ import annotations

from typing import Any

from lib.settings import Settings
from lib.sources._common import (
    bare_doi,
    batch_size,
    batches,
    compact,
    date_of,
    dig,
    digits_pmid,
    identified,
    number,
    parse_matched,
    pmc_id,
    request_to,
    skipped,
    year_of,
)
from lib.sources.base import ApiRequest, WorkIds, WorkResult
from lib.sources.versions import europepmc_versions

NAME = "europepmc"
MAX_PAGE_SIZE = 1000
NOT_FOUND = "Europe PMC has no record with this identifier"


def _quotable_doi(work: WorkIds) -> str | None:
    doi = bare_doi(work.doi)
    # a DOI holding a double quote would end the quoted phrase: such a work goes by its PMID
    return doi if doi and '"' not in doi else None


def build_requests(
    works: list[WorkIds], settings: Settings
) -> tuple[list[ApiRequest], list[WorkResult]]:
    """OR-query batches by DOI, then by PMID; works with neither are skipped."""
    dois, rest = identified(works, _quotable_doi)
    pmids, lacking = identified(rest, lambda work: digits_pmid(work.pmid))
    size = min(batch_size(settings, NAME), MAX_PAGE_SIZE // 2)
    requests = []
    for chunk, lookup in batches(dois, size):
        query = " OR ".join(f'DOI:"{doi}"' for doi in chunk)
        requests.append(_request(settings, query, len(chunk), lookup))
    for chunk, lookup in batches(pmids, size):
        query = "(" + " OR ".join(f"EXT_ID:{pmid}" for pmid in chunk) + ") AND SRC:MED"
        requests.append(_request(settings, query, len(chunk), lookup))
    return requests, skipped(lacking, "no DOI or PMID to search Europe PMC by")


def _request(settings: Settings, query: str, n_ids: int, lookup: tuple) -> ApiRequest:
    # room for a preprint record beside the MEDLINE record of the same DOI
    page_size = min(max(2 * n_ids, 25), MAX_PAGE_SIZE)
    params = (
        ("query", query),
        ("format", "json"),
        ("resultType", "lite"),
        ("pageSize", str(page_size)),
    )
    return request_to(settings, NAME, "/search", lookup, params=params)


def _records(value: Any) -> list[dict] | None:
    """The records, MEDLINE first, so a preprint only answers when there is nothing better."""
    records = dig(value, "resultList", "result")
    if not isinstance(records, list):
        return None
    return sorted(
        (r for r in records if isinstance(r, dict)), key=lambda r: r.get("source") != "MED"
    )


def parse_response(request: ApiRequest, http_status: int, body: str) -> list[WorkResult]:
    """One result per asked key, matched back by DOI or PMID; the rest are not_found."""
    return parse_matched(
        request,
        http_status,
        body,
        records=_records,
        identifiers=lambda record: (bare_doi(record.get("doi")), _pmid(record)),
        result=_result,
        bad_shape="unexpected Europe PMC response shape (no `resultList.result`)",
        not_found=NOT_FOUND,
    )


def _pmid(record: dict) -> str | None:
    if record.get("pmid"):
        return digits_pmid(record["pmid"])
    return digits_pmid(record.get("id")) if record.get("source") == "MED" else None


def _result(key: str, record: dict) -> WorkResult:
    journal = record.get("journalTitle") or dig(record, "journalInfo", "journal", "title")
    work = compact(
        {
            "doi": bare_doi(record.get("doi")),
            "pmid": _pmid(record),
            "pmcid": pmc_id(record.get("pmcid")),
            "title": record.get("title"),
            "journal": journal,
            "year": year_of(record.get("pubYear")),
            "pub_date": date_of(record.get("firstPublicationDate")),
        }
    )
    metrics = compact({"citations_europepmc": number(record.get("citedByCount"))})
    if versions := europepmc_versions(key, record):
        work["versions"] = versions  # preprint links (lib/sources/versions.py)
    return WorkResult(key, "ok", metrics=metrics, work=work)
