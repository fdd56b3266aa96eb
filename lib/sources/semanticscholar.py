"""Semantic Scholar Graph: `citationCount` by DOI or PMID through the POST batch endpoint.

The batch answer is a list aligned with the ids sent, `null` for an id it does not know; so
results are matched by position, never by searching the answer. An answer for a different paper
has been reported (allenai/s2-folks #108), so each record's `externalIds` are checked against the
id asked: a record whose DOI (or PMID) is not the one asked is an error, and none of its
identifiers are kept (its PMID must not reach iCite as this work's). The key, when set, goes in the
`x-api-key` header; without one requests share the keyless pool.
"""

from __future__ import annotations

from lib.settings import Settings
from lib.sources._common import (
    bare_doi,
    batch_size,
    batches,
    compact,
    complete,
    date_of,
    decode_json,
    dig,
    digits_pmid,
    group_by_identifier,
    http_failure,
    identified,
    number,
    pmc_id,
    request_to,
    same_status,
    skipped,
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
    pairs, lacking = identified(works, _paper_id)
    key = settings.key_for(NAME)
    headers = (("x-api-key", key),) if key else ()
    size = min(batch_size(settings, NAME), MAX_IDS)
    requests = [
        request_to(
            settings,
            NAME,
            "/paper/batch",
            lookup,
            method="POST",
            params=(("fields", FIELDS),),
            headers=headers,
            json={"ids": paper_ids},
        )
        for paper_ids, lookup in batches(pairs, size)
    ]
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
    # its 404 body names the id it could not find ("Paper with id … not found"): keep that text
    failure = http_failure(request, http_status, body, not_found=None)
    if failure is not None:
        return failure
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
        mismatch = _other_paper(paper_id, paper)
        for key in wanted.get(paper_id, []):
            if mismatch:
                by_key.setdefault(key, WorkResult(key, "error", message=mismatch))
            else:
                by_key.setdefault(key, _result(key, paper))
    # matched by position, so a key left over is a fault of the request, not an unknown paper
    return complete(request, by_key, http_status, "id not in the batch sent", missing="error")


def _other_paper(paper_id: str, paper: object) -> str | None:
    """Why the record answering `paper_id` is another paper's, else None (also when it cannot
    be checked: no DOI / PMID in its externalIds)."""
    if not isinstance(paper, dict):
        return None
    scheme, _, asked = paper_id.partition(":")
    if scheme == "DOI":
        field, got = "DOI", bare_doi(dig(paper, "externalIds", "DOI"))
        asked = bare_doi(asked) or asked
    elif scheme == "PMID":
        field, got = "PubMed", digits_pmid(dig(paper, "externalIds", "PubMed"))
    else:
        return None
    if got is None or got == asked:
        return None
    return (
        f"Semantic Scholar answered {paper_id} with another paper ({field} {got}); "
        "its values and identifiers are not used"
    )


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
