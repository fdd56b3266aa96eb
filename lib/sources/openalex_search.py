"""OpenAlex works search: a second opinion on a reference's candidates.

`search=` over title, abstract and full text; the title and the publication year narrow it when
the parser found them. The existing openalex.py fetches works by identifier; this module only
searches.
"""

from __future__ import annotations

import re
from typing import Any

from lib.settings import Settings
from lib.sources._common import bare_doi, decode_json, dig, request_to
from lib.sources.base import ApiRequest

NAME = "openalex"
PER_PAGE = 5
SELECT = "id,doi,ids,title,display_name,publication_year,authorships,primary_location,biblio,type"
_SEARCH_UNSAFE = re.compile(r"[,:|()\[\]\"]")  # filter/search syntax characters


def build_search(
    title: str,
    settings: Settings,
    *,
    year: int | None = None,
    per_page: int = PER_PAGE,
    tag: str = "",
) -> ApiRequest:
    params = [
        ("search", _SEARCH_UNSAFE.sub(" ", title)[:500]),
        ("per_page", str(per_page)),
        ("select", SELECT),
    ]
    if year:
        # A year either side: a reference's year is often the print year, OpenAlex's the online.
        params.append(("filter", f"publication_year:{year - 1}-{year + 1}"))
    if key := settings.key_for(NAME):
        params.append(("api_key", key))
    if settings.mailto:
        params.append(("mailto", settings.mailto))
    return request_to(settings, NAME, "/works", ((title[:80], tag),), params=params)


def parse_search(http_status: int, body: str) -> tuple[list[dict[str, Any]], str | None]:
    if http_status != 200:
        return [], f"OpenAlex search answered HTTP {http_status}"
    value, problem = decode_json(body)
    if problem:
        return [], f"OpenAlex search: {problem}"
    results = value.get("results") if isinstance(value, dict) else None
    if not isinstance(results, list):
        return [], "OpenAlex search: unexpected response shape (no `results`)"
    return [_candidate(work) for work in results if isinstance(work, dict)], None


def _surname(display_name: object) -> str | None:
    if not isinstance(display_name, str) or not display_name.strip():
        return None
    return display_name.split()[-1]


def _candidate(work: dict[str, Any]) -> dict[str, Any]:
    pmid = dig(work, "ids", "pmid")
    openalex_id = str(work.get("id") or "").rsplit("/", 1)[-1] or None
    authors = [_surname(dig(a, "author", "display_name")) for a in work.get("authorships") or []]
    return {
        "source": "openalex",
        "doi": bare_doi(work.get("doi")),
        "pmid": str(pmid).rstrip("/").rsplit("/", 1)[-1] if pmid else None,
        "openalex": openalex_id,
        "title": work.get("title") or work.get("display_name"),
        "authors": [a for a in authors if a],
        "year": work.get("publication_year"),
        "journal": dig(work, "primary_location", "source", "display_name"),
        "volume": dig(work, "biblio", "volume"),
        "first_page": dig(work, "biblio", "first_page"),
        "type": work.get("type"),
    }
