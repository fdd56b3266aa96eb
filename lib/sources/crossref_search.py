"""Crossref `query.bibliographic`: candidate works for a reference string (no identifier needed).

Crossref ranks by its own relevance `score`, which is not a probability; our scoring
(lib/matching) decides. `mailto` puts the request in the polite pool. The existing crossref.py
looks works up by DOI; this module only searches.
"""

from __future__ import annotations

from typing import Any

from lib.settings import Settings
from lib.sources._common import bare_doi, decode_json, dig, number, request_to
from lib.sources.base import ApiRequest

NAME = "crossref"
SELECT = "DOI,title,author,container-title,short-container-title,issued,volume,page,type,score"
ROWS = 5


def build_search(
    reference: str, settings: Settings, *, rows: int = ROWS, tag: str = ""
) -> ApiRequest:
    """A bibliographic search for one reference; `tag` (the reference's id) rides in `lookup`."""
    params = [
        ("query.bibliographic", reference[:1000]),
        ("rows", str(rows)),
        ("select", SELECT),
    ]
    if settings.mailto:
        params.append(("mailto", settings.mailto))
    return request_to(settings, NAME, "/works", ((reference[:80], tag),), params=params)


def parse_search(http_status: int, body: str) -> tuple[list[dict[str, Any]], str | None]:
    """(candidates, None) or ([], why the answer could not be used)."""
    if http_status != 200:
        return [], f"Crossref search answered HTTP {http_status}"
    value, problem = decode_json(body)
    if problem:
        return [], f"Crossref search: {problem}"
    items = dig(value, "message", "items")
    if not isinstance(items, list):
        return [], "Crossref search: unexpected response shape (no `message.items`)"
    return [_candidate(item) for item in items if isinstance(item, dict) and item.get("DOI")], None


def _candidate(item: dict[str, Any]) -> dict[str, Any]:
    year = number(dig(item, "issued", "date-parts", 0, 0))
    authors = [
        a.get("family") or a.get("name") for a in item.get("author") or [] if isinstance(a, dict)
    ]
    page = item.get("page")
    return {
        "source": "crossref",
        "doi": bare_doi(item.get("DOI")),
        "title": dig(item, "title", 0),
        "authors": [a for a in authors if a],
        "year": int(year) if year else None,
        "journal": dig(item, "container-title", 0) or dig(item, "short-container-title", 0),
        "volume": item.get("volume"),
        "first_page": str(page).split("-")[0] if page else None,
        "type": item.get("type"),
    }
