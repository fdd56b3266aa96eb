"""Crossref REST: `is-referenced-by-count` and bibliographic metadata, by DOI.

Batches repeat the `doi:` filter (`filter=doi:a,doi:b`; the same filter repeated means OR) with
`rows` equal to the batch. A DOI containing a comma would split the filter, so it is asked for alone
at `/works/<doi>`. `mailto` puts requests in the polite pool.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

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
    endpoint,
    error_text,
    group_by_identifier,
    lookup_pairs,
    number,
    same_status,
    skipped,
    unique_keys,
)
from lib.sources.base import ApiRequest, WorkIds, WorkResult

NAME = "crossref"
SELECT = "DOI,is-referenced-by-count,title,container-title,issued,type"
NOT_FOUND = "Crossref has no record of this DOI"


def build_requests(
    works: list[WorkIds], settings: Settings
) -> tuple[list[ApiRequest], list[WorkResult]]:
    """Repeated-filter batches of DOIs; works without a DOI are skipped."""
    pairs, singles, lacking = [], [], []
    for work in works:
        doi = bare_doi(work.doi)
        if doi is None:
            lacking.append(work)
        else:
            (singles if "," in doi else pairs).append((doi, work.key))
    mailto = (("mailto", settings.mailto),) if settings.mailto else ()
    requests = []
    for chunk in batched(list(group_by_identifier(pairs).items()), batch_size(settings, NAME)):
        lookup = lookup_pairs(dict(chunk))
        params = (
            ("filter", ",".join(f"doi:{doi}" for doi, _ in chunk)),
            ("rows", str(len(chunk))),
            ("select", SELECT),
            *mailto,
        )
        requests.append(_request(settings, "/works", params, lookup))
    for doi, keys in group_by_identifier(singles).items():
        lookup = tuple((doi, key) for key in keys)
        requests.append(_request(settings, f"/works/{quote(doi, safe='/')}", mailto, lookup))
    return requests, skipped(lacking, "no DOI (Crossref looks works up by DOI only)")


def _request(settings: Settings, path: str, params: tuple, lookup: tuple) -> ApiRequest:
    return ApiRequest(
        source=NAME,
        method="GET",
        url=endpoint(settings, NAME, path),
        params=params,
        keys=unique_keys(lookup),
        lookup=lookup,
    )


def _items(value: Any) -> list[dict] | None:
    """Items of a work-list response, or the one record of a single-work response."""
    message = value.get("message") if isinstance(value, dict) else None
    if isinstance(message, dict) and isinstance(message.get("items"), list):
        return [item for item in message["items"] if isinstance(item, dict)]
    if isinstance(message, dict) and isinstance(message.get("DOI"), str):
        return [message]
    return None


def parse_response(request: ApiRequest, http_status: int, body: str) -> list[WorkResult]:
    """One result per asked key; DOIs absent from `items` (or a 404) are not_found."""
    if http_status == 404:
        return same_status(request, "not_found", NOT_FOUND, http_status)
    if http_status >= 400:
        return same_status(request, "error", error_text(http_status, body), http_status)
    value, problem = decode_json(body)
    items = _items(value) if problem is None else None
    if items is None:
        reason = problem or "unexpected Crossref response shape (no `message.items` or `DOI`)"
        return same_status(request, "error", reason, http_status)
    wanted = group_by_identifier(request.lookup)
    found: dict[str, WorkResult] = {}
    for item in items:
        for key in wanted.get(bare_doi(item.get("DOI")) or "", []):
            found.setdefault(key, _result(key, item))
    return complete(request, found, http_status, NOT_FOUND)


def _result(key: str, item: dict) -> WorkResult:
    parts = dig(item, "issued", "date-parts", 0)
    year = number(dig(parts, 0))
    work = compact(
        {
            "doi": bare_doi(item.get("DOI")),
            "title": dig(item, "title", 0),
            "journal": dig(item, "container-title", 0),
            "year": int(year) if year else None,
            "pub_date": date_of(parts),
            "type": item.get("type"),
        }
    )
    metrics = compact({"citations_crossref": number(item.get("is-referenced-by-count"))})
    return WorkResult(key, "ok", metrics=metrics, work=work)
