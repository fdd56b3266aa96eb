"""Europe PMC search: `citedByCount`, and PMID/PMCID/DOI resolution.

Batches OR their ids into one query (`DOI:"a" OR DOI:"b"`, `(EXT_ID:1 OR EXT_ID:2) AND SRC:MED`).
This is how a work known only by DOI gains the PMID iCite needs. One DOI can have several records
(a MEDLINE record and a preprint); the MEDLINE one wins.

Paged answers: every query asks `cursorMark=*`, and while `hitCount` says more records matched
than came back, `nextCursorMark` is followed. Then the works of a DOI query that no record
matched but that have a PMID are asked again by PMID (Europe PMC lacks the DOI on some MEDLINE
records), before anything is stored; a work found that way says so in its message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from lib.settings import Settings
from lib.sources._common import (
    bare_doi,
    batch_size,
    batches,
    compact,
    date_of,
    decode_json,
    dig,
    digits_pmid,
    identified,
    match_records,
    number,
    parse_matched,
    pmc_id,
    request_to,
    same_status,
    skipped,
    unique_keys,
    year_of,
)
from lib.sources.base import ApiRequest, Page, WorkIds, WorkResult
from lib.sources.versions import europepmc_versions

NAME = "europepmc"
MAX_PAGE_SIZE = 1000
NOT_FOUND = "Europe PMC has no record with this identifier"
RETRY = "pmid:"  # a lookup kept for the retry by PMID, never matched against a record as such


def _quotable_doi(work: WorkIds) -> str | None:
    doi = bare_doi(work.doi)
    # a DOI holding a double quote would end the quoted phrase: such a work goes by its PMID
    return doi if doi and '"' not in doi else None


def build_requests(
    works: list[WorkIds], settings: Settings
) -> tuple[list[ApiRequest], list[WorkResult]]:
    """OR-query batches by DOI, then by PMID; works with neither are skipped. A DOI batch also
    carries its works' PMIDs (as `pmid:<n>` lookups) for the retry of the unmatched ones."""
    dois, rest = identified(works, _quotable_doi)
    pmids, lacking = identified(rest, lambda work: digits_pmid(work.pmid))
    pmid_of = {work.key: digits_pmid(work.pmid) for work in works}
    size = min(batch_size(settings, NAME), MAX_PAGE_SIZE // 2)
    requests = []
    for chunk, lookup in batches(dois, size):
        query = " OR ".join(f'DOI:"{doi}"' for doi in chunk)
        retry = tuple((f"{RETRY}{pmid_of[key]}", key) for _, key in lookup if pmid_of.get(key))
        requests.append(_request(settings, query, len(chunk), lookup + retry))
    for chunk, lookup in batches(pmids, size):
        requests.append(_request(settings, _pmid_query(chunk), len(chunk), lookup))
    return requests, skipped(lacking, "no DOI or PMID to search Europe PMC by")


def _pmid_query(pmids: Sequence[str]) -> str:
    return "(" + " OR ".join(f"EXT_ID:{pmid}" for pmid in pmids) + ") AND SRC:MED"


def _request(settings: Settings, query: str, n_ids: int, lookup: tuple[Any, ...]) -> ApiRequest:
    # room for a preprint record beside the MEDLINE record of the same DOI
    page_size = min(max(2 * n_ids, 25), MAX_PAGE_SIZE)
    params = (
        ("query", query),
        ("format", "json"),
        ("resultType", "lite"),
        ("pageSize", str(page_size)),
        ("cursorMark", "*"),
    )
    return request_to(settings, NAME, "/search", lookup, params=params)


def _answer(page: Page) -> dict[str, Any] | None:
    value, problem = decode_json(page.body)
    if page.http_status != 200 or problem or _records(value) is None:
        return None
    return value  # type: ignore[no-any-return]


def _query(request: ApiRequest) -> str:
    return dict(request.params).get("query", "")


def _next_page(pages: Sequence[Page]) -> ApiRequest | None:
    """The next cursor page of the last query while its hitCount exceeds what came back."""
    last = pages[-1]
    same = [p for p in pages if _query(p.request) == _query(last.request)]
    answers = [_answer(p) for p in same]
    if any(a is None for a in answers):
        return None
    seen = sum(len(_records(a) or []) for a in answers)
    hits = number(answers[0].get("hitCount")) or 0  # type: ignore[union-attr]
    cursor = answers[-1].get("nextCursorMark")  # type: ignore[union-attr]
    sent = dict(last.request.params).get("cursorMark")
    if seen >= hits or not isinstance(cursor, str) or not cursor or cursor == sent:
        return None
    if not _records(answers[-1]):
        return None
    params = tuple((k, cursor if k == "cursorMark" else v) for k, v in last.request.params)
    return replace(last.request, params=params)


def _retry_by_pmid(pages: Sequence[Page]) -> ApiRequest | None:
    """After a DOI query's last page: the unmatched works that have a PMID, asked by PMID."""
    first = pages[0].request
    retry = [(ident, key) for ident, key in first.lookup if ident.startswith(RETRY)]
    if not retry or any(_query(p.request) != _query(first) for p in pages):
        return None  # not a DOI query, or the retry was already sent
    matched = {r.key for r in _match(first, pages) if r.status == "ok"}
    wanted = tuple((ident.removeprefix(RETRY), key) for ident, key in retry if key not in matched)
    if not wanted:
        return None
    query = _pmid_query(list(dict.fromkeys(ident for ident, _ in wanted)))
    params = tuple((k, query if k == "query" else "*" if k == "cursorMark" else v)
                   for k, v in first.params)  # fmt: skip
    return replace(first, params=params, lookup=wanted, keys=unique_keys(wanted))


def next_request(pages: Sequence[Page]) -> ApiRequest | None:
    """The next cursor page, else (once a DOI query is complete) the retry by PMID, else None."""
    if _answer(pages[-1]) is None:
        return None  # an unusable page ends the chain; parse_pages reports it
    return _next_page(pages) or _retry_by_pmid(pages)


def _match(request: ApiRequest, pages: Sequence[Page]) -> list[WorkResult]:
    records = [r for p in pages for r in _records(_answer(p)) or []]
    return match_records(
        request,
        sorted(records, key=lambda r: r.get("source") != "MED"),
        200,
        identifiers=lambda record: (bare_doi(record.get("doi")), _pmid(record)),
        result=_result,
        not_found=NOT_FOUND,
    )


def parse_pages(pages: Sequence[Page]) -> list[WorkResult]:
    """Every page of a query (and of its retry by PMID) read together; one result per key."""
    first = pages[0].request
    broken = next((p for p in pages if _answer(p) is None), None)
    if broken is not None:
        return parse_response(first, broken.http_status, broken.body)  # its error, per key
    if next_request(pages) is not None:
        message = "answer incomplete: not every page was fetched; nothing stored"
        return same_status(first, "error", message, pages[-1].http_status)
    by_doi = [p for p in pages if _query(p.request) == _query(first)]
    results = {r.key: r for r in _match(first, by_doi)}
    retried = [p for p in pages if _query(p.request) != _query(first)]
    if retried:
        for found in _match(retried[0].request, retried):
            if found.status == "ok":
                found.message = "matched by PMID: the DOI query found no record"
                results[found.key] = found
    status = pages[-1].http_status
    for result in results.values():
        result.http_status = status
    return [results[key] for key in first.keys]


def _records(value: Any) -> list[dict[str, Any]] | None:
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


def _pmid(record: dict[str, Any]) -> str | None:
    if record.get("pmid"):
        return digits_pmid(record["pmid"])
    return digits_pmid(record.get("id")) if record.get("source") == "MED" else None


def _result(key: str, record: dict[str, Any]) -> WorkResult:
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
