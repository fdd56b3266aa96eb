"""Semantic Scholar Graph: `citationCount` by DOI or PMID through the POST batch endpoint.

The batch answer is a list aligned with the ids sent, `null` for an id it does not know; so
results are matched by position, never by searching the answer. The key, when set, goes in the
`x-api-key` header; without one requests share the keyless pool.
"""

from __future__ import annotations

from lib.settings import Settings
from lib.sources._common import (
    bare_doi,
    batch_size,
    batched,
    compact,
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
)
from lib.sources.base import ApiRequest, WorkIds, WorkResult

NAME = "semanticscholar"
MAX_IDS = 500  # the batch endpoint's documented limit
FIELDS = "externalIds,title,venue,journal,year,publicationDate,citationCount"
NOT_FOUND = "Semantic Scholar does not know this paper"


def _paper_id(work: WorkIds) -> str | None:
    doi, pmid, pmcid = bare_doi(work.doi), digits_pmid(work.pmid), pmc_id(work.pmcid)
    if doi:
        return f"DOI:{doi}"
    if pmid:
        return f"PMID:{pmid}"
    return f"PMCID:{pmcid.removeprefix('PMC')}" if pmcid else None


def build_requests(
    works: list[WorkIds], settings: Settings
) -> tuple[list[ApiRequest], list[WorkResult]]:
    """POST batches of up to 500 ids (DOI, else PMID, else PMCID); other works are skipped."""
    pairs, lacking = [], []
    for work in works:
        paper_id = _paper_id(work)
        if paper_id:
            pairs.append((paper_id, work.key))
        else:
            lacking.append(work)
    key = settings.key_for(NAME)
    headers = (("x-api-key", key),) if key else ()
    size = min(batch_size(settings, NAME), MAX_IDS)
    requests = []
    for chunk in batched(list(group_by_identifier(pairs).items()), size):
        lookup = lookup_pairs(dict(chunk))
        requests.append(
            ApiRequest(
                source=NAME,
                method="POST",
                url=endpoint(settings, NAME, "/paper/batch"),
                params=(("fields", FIELDS),),
                headers=headers,
                json={"ids": [paper_id for paper_id, _ in chunk]},
                keys=unique_keys(lookup),
                lookup=lookup,
            )
        )
    return requests, skipped(lacking, "no DOI, PMID or PMCID to look up")


def _ids_sent(request: ApiRequest) -> list[str]:
    ids = request.json.get("ids") if isinstance(request.json, dict) else None
    return (
        [str(i) for i in ids]
        if isinstance(ids, list)
        else list(group_by_identifier(request.lookup))
    )


def parse_response(request: ApiRequest, http_status: int, body: str) -> list[WorkResult]:
    """One result per asked key, by position; `null` entries are not_found."""
    if http_status == 404:
        return same_status(request, "not_found", error_text(http_status, body), http_status)
    if http_status >= 400:
        return same_status(request, "error", error_text(http_status, body), http_status)
    value, problem = decode_json(body)
    sent = _ids_sent(request)
    if problem is None and not isinstance(value, list):
        problem = "unexpected Semantic Scholar response shape (expected a list)"
    elif problem is None and len(value) != len(sent):
        problem = f"Semantic Scholar answered {len(value)} entries for {len(sent)} ids sent"
    if problem:
        return same_status(request, "error", problem, http_status)
    wanted = group_by_identifier(request.lookup)
    by_key: dict[str, WorkResult] = {}
    for paper_id, paper in zip(sent, value, strict=True):
        for key in wanted.get(paper_id, []):
            by_key.setdefault(key, _result(key, paper))
    results = []
    for key in request.keys:
        result = by_key.get(key) or WorkResult(key, "error", message="id not in the batch sent")
        result.http_status = http_status
        results.append(result)
    return results


def _result(key: str, paper: object) -> WorkResult:
    if paper is None:
        return WorkResult(key, "not_found", message=NOT_FOUND)
    if not isinstance(paper, dict):
        return WorkResult(key, "error", message="unexpected entry in the batch answer")
    year = number(paper.get("year"))
    work = compact(
        {
            "doi": bare_doi(dig(paper, "externalIds", "DOI")),
            "pmid": digits_pmid(dig(paper, "externalIds", "PubMed")),
            "pmcid": pmc_id(dig(paper, "externalIds", "PubMedCentral")),
            "title": paper.get("title"),
            "journal": dig(paper, "journal", "name") or paper.get("venue"),
            "year": int(year) if year else None,
            "pub_date": date_of(paper.get("publicationDate")),
        }
    )
    metrics = compact({"citations_semanticscholar": number(paper.get("citationCount"))})
    return WorkResult(key, "ok", metrics=metrics, work=work)
