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
    batched,
    compact,
    complete,
    date_of,
    decode_json,
    dig,
    digits_pmid,
    endpoint,
    error_text,
    group_by_identifier,
    lookup_pairs,
    number,
    pmc_id,
    same_status,
    skipped,
    unique_keys,
    year_of,
)
from lib.sources.base import ApiRequest, WorkIds, WorkResult

NAME = "europepmc"
MAX_PAGE_SIZE = 1000
NOT_FOUND = "Europe PMC has no record with this identifier"


def build_requests(
    works: list[WorkIds], settings: Settings
) -> tuple[list[ApiRequest], list[WorkResult]]:
    """OR-query batches by DOI, then by PMID; works with neither are skipped."""
    dois, pmids, lacking = [], [], []
    for work in works:
        doi, pmid = bare_doi(work.doi), digits_pmid(work.pmid)
        if doi and '"' not in doi:
            dois.append((doi, work.key))
        elif pmid:
            pmids.append((pmid, work.key))
        else:
            lacking.append(work)
    size = min(batch_size(settings, NAME), MAX_PAGE_SIZE // 2)
    requests = []
    for chunk in batched(list(group_by_identifier(dois).items()), size):
        query = " OR ".join(f'DOI:"{doi}"' for doi, _ in chunk)
        requests.append(_request(settings, query, len(chunk), lookup_pairs(dict(chunk))))
    for chunk in batched(list(group_by_identifier(pmids).items()), size):
        query = "(" + " OR ".join(f"EXT_ID:{pmid}" for pmid, _ in chunk) + ") AND SRC:MED"
        requests.append(_request(settings, query, len(chunk), lookup_pairs(dict(chunk))))
    return requests, skipped(lacking, "no DOI or PMID to search Europe PMC by")


def _request(settings: Settings, query: str, n_ids: int, lookup: tuple) -> ApiRequest:
    # room for a preprint record beside the MEDLINE record of the same DOI
    page_size = min(max(2 * n_ids, 25), MAX_PAGE_SIZE)
    return ApiRequest(
        source=NAME,
        method="GET",
        url=endpoint(settings, NAME, "/search"),
        params=(
            ("query", query),
            ("format", "json"),
            ("resultType", "lite"),
            ("pageSize", str(page_size)),
        ),
        keys=unique_keys(lookup),
        lookup=lookup,
    )


def _records(value: Any) -> list[dict] | None:
    records = dig(value, "resultList", "result")
    return [r for r in records if isinstance(r, dict)] if isinstance(records, list) else None


def parse_response(request: ApiRequest, http_status: int, body: str) -> list[WorkResult]:
    """One result per asked key, matched back by DOI or PMID; the rest are not_found."""
    if http_status == 404:
        return same_status(request, "not_found", NOT_FOUND, http_status)
    if http_status >= 400:
        return same_status(request, "error", error_text(http_status, body), http_status)
    value, problem = decode_json(body)
    records = _records(value) if problem is None else None
    if records is None:
        reason = problem or "unexpected Europe PMC response shape (no `resultList.result`)"
        return same_status(request, "error", reason, http_status)
    wanted = group_by_identifier(request.lookup)
    chosen: dict[str, dict] = {}
    # MEDLINE records first, so a preprint only answers when there is nothing better
    for record in sorted(records, key=lambda r: r.get("source") != "MED"):
        for ident in (bare_doi(record.get("doi")), _pmid(record)):
            for key in wanted.get(ident or "", []):
                chosen.setdefault(key, record)
    found = {key: _result(key, record) for key, record in chosen.items()}
    return complete(request, found, http_status, NOT_FOUND)


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
    return WorkResult(key, "ok", metrics=metrics, work=work)
