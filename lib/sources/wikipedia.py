"""Wikipedia mentions: English Wikipedia articles linking a DOI, from the MediaWiki API (keyless).

`action=query&list=exturlusage&euquery=doi.org/<doi>&euprotocol=https&eunamespace=0` lists the
article-namespace pages whose external links start with `https://doi.org/<doi>` (the form the
citation templates' `doi=` parameter renders). The match is a prefix match, so each returned URL
is checked against the DOI exactly (case-insensitively) and the distinct pages are counted.
Limits: one DOI per call (the query takes one pattern); links written as `dx.doi.org` or `http:`
or with the DOI in another case are not counted; when the answer is continued (more than
`eulimit` links) the count is a lower bound, and the message says so.
"""

from __future__ import annotations

from lib.settings import Settings
from lib.sources._common import (
    bare_doi,
    decode_json,
    dig,
    error_text,
    identified,
    request_to,
    same_status,
    skipped,
)
from lib.sources.base import ApiRequest, WorkIds, WorkResult

NAME = "wikipedia"
PAGE_LIMIT = 500  # the most an anonymous client may ask for in one call


def build_requests(
    works: list[WorkIds], settings: Settings
) -> tuple[list[ApiRequest], list[WorkResult]]:
    """One exturlusage query per DOI; works without a DOI are skipped."""
    pairs, lacking = identified(works, lambda work: bare_doi(work.doi))
    requests = [
        request_to(
            settings,
            NAME,
            lookup=((doi, key),),
            params=(
                ("action", "query"),
                ("list", "exturlusage"),
                ("euquery", f"doi.org/{doi}"),
                ("euprotocol", "https"),
                ("eunamespace", "0"),
                ("euprop", "ids|title|url"),
                ("eulimit", str(PAGE_LIMIT)),
                ("format", "json"),
                ("formatversion", "2"),
            ),
        )
        for doi, key in pairs
    ]
    return requests, skipped(lacking, "no DOI (Wikipedia links are searched by DOI)")


def _linked_doi(url: object) -> str | None:
    """The DOI a doi.org link points to, ignoring any #fragment or ?query."""
    if not isinstance(url, str):
        return None
    # split before decoding: an escaped "%23" or "%3F" belongs to the DOI
    target = url.split("#", 1)[0].split("?", 1)[0]
    _, sep, doi = target.partition("doi.org/")
    return bare_doi(doi) if sep else None


def parse_response(request: ApiRequest, http_status: int, body: str) -> list[WorkResult]:
    """wikipedia_mentions = distinct articles linking exactly the DOI asked (0 is a real zero)."""
    if http_status >= 400:
        return same_status(request, "error", error_text(http_status, body), http_status)
    value, problem = decode_json(body)
    if problem is None and isinstance(value, dict) and isinstance(value.get("error"), dict):
        error = value["error"]
        problem = f"MediaWiki error {error.get('code', '')}: {error.get('info', '')}".strip()
    pages = dig(value, "query", "exturlusage")
    if problem is None and not isinstance(pages, list):
        problem = "unexpected MediaWiki response shape (no `query.exturlusage` list)"
    if problem:
        return same_status(request, "error", problem, http_status)
    results = []
    for doi, key in request.lookup:
        articles = {
            page.get("pageid") or page.get("title")
            for page in pages
            if isinstance(page, dict)
            and page.get("ns", 0) == 0
            and _linked_doi(page.get("url")) == doi
        }
        more = "continue" in value
        message = f"at least {len(articles)}; further results not fetched" if more else ""
        results.append(
            WorkResult(
                key,
                "ok",
                metrics={"wikipedia_mentions": float(len(articles))},
                message=message,
                http_status=http_status,
            )
        )
    return results
