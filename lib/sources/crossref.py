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
    batches,
    compact,
    date_of,
    dig,
    identified,
    number,
    parse_matched,
    request_to,
    skipped,
)
from lib.sources.base import ApiRequest, WorkIds, WorkResult
from lib.sources.versions import crossref_versions

NAME = "crossref"
SELECT = "DOI,is-referenced-by-count,title,container-title,issued,type,relation"
NOT_FOUND = "Crossref has no record of this DOI"


def build_requests(
    works: list[WorkIds], settings: Settings
) -> tuple[list[ApiRequest], list[WorkResult]]:
    """Repeated-filter batches of DOIs; works without a DOI are skipped."""
    pairs, lacking = identified(works, lambda work: bare_doi(work.doi))
    singles = [pair for pair in pairs if "," in pair[0]]
    filterable = [pair for pair in pairs if "," not in pair[0]]
    mailto = (("mailto", settings.mailto),) if settings.mailto else ()
    requests = []
    for dois, lookup in batches(filterable, batch_size(settings, NAME)):
        params = (
            ("filter", ",".join(f"doi:{doi}" for doi in dois)),
            ("rows", str(len(dois))),
            ("select", SELECT),
            *mailto,
        )
        requests.append(request_to(settings, NAME, "/works", lookup, params=params))
    for (doi,), lookup in batches(singles, 1):
        path = f"/works/{quote(doi, safe='/')}"
        requests.append(request_to(settings, NAME, path, lookup, params=mailto))
    return requests, skipped(lacking, "no DOI (Crossref looks works up by DOI only)")


def _items(value: Any) -> list[dict[str, Any]] | None:
    """Items of a work-list response, or the one record of a single-work response."""
    message = value.get("message") if isinstance(value, dict) else None
    if isinstance(message, dict) and isinstance(message.get("items"), list):
        return [item for item in message["items"] if isinstance(item, dict)]
    if isinstance(message, dict) and isinstance(message.get("DOI"), str):
        return [message]
    return None


def parse_response(request: ApiRequest, http_status: int, body: str) -> list[WorkResult]:
    """One result per asked key; DOIs absent from `items` (or a 404) are not_found."""
    return parse_matched(
        request,
        http_status,
        body,
        records=_items,
        identifiers=lambda item: (bare_doi(item.get("DOI")),),
        result=_result,
        bad_shape="unexpected Crossref response shape (no `message.items` or `DOI`)",
        not_found=NOT_FOUND,
    )


def _result(key: str, item: dict[str, Any]) -> WorkResult:
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
    if versions := crossref_versions(key, item):
        work["versions"] = versions  # preprint links (lib/sources/versions.py)
    return WorkResult(key, "ok", metrics=metrics, work=work)
