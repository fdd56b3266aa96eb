"""OpenAlex authors search: find the person (name, and institution) rather than only an ORCID.

Split profiles are common, so every candidate is shown with what tells people apart (affiliations,
topics, work counts) and the person picks one or more. Their works are then listed with a filter
`authorships.author.id:A|B`, paged by cursor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lib.settings import Settings
from lib.sources._common import decode_json, dig, request_to
from lib.sources.base import ApiRequest

NAME = "openalex"
PER_PAGE = 10
WORKS_PER_PAGE = 200


@dataclass(frozen=True)
class AuthorCandidate:
    id: str  # A123...
    name: str
    orcid: str | None
    works_count: int | None
    cited_by_count: int | None
    institutions: tuple[str, ...]
    topics: tuple[str, ...]


def _auth(settings: Settings) -> list[tuple[str, str]]:
    params = []
    if key := settings.key_for(NAME):
        params.append(("api_key", key))
    if settings.mailto:
        params.append(("mailto", settings.mailto))
    return params


def build_author_search(
    name: str, settings: Settings, *, institution: str | None = None
) -> ApiRequest:
    params = [("search", name.strip()), ("per_page", str(PER_PAGE))]
    if institution and institution.strip():
        # Institution names are matched by OpenAlex's own search over affiliations.
        params.append(
            ("filter", f"affiliations.institution.display_name.search:{institution.strip()}")
        )
    return request_to(settings, NAME, "/authors", ((name, name),), params=params + _auth(settings))


def build_works_page(author_ids: list[str], settings: Settings, cursor: str = "*") -> ApiRequest:
    params = [
        ("filter", "authorships.author.id:" + "|".join(author_ids)),
        ("per_page", str(WORKS_PER_PAGE)),
        ("cursor", cursor),
        ("select", "id,doi,ids,title,publication_year,primary_location,type"),
    ]
    return request_to(settings, NAME, "/works", (), params=params + _auth(settings))


def parse_author_search(http_status: int, body: str) -> tuple[list[AuthorCandidate], str | None]:
    if http_status != 200:
        return [], f"OpenAlex author search answered HTTP {http_status}"
    value, problem = decode_json(body)
    if problem:
        return [], f"OpenAlex author search: {problem}"
    results = value.get("results") if isinstance(value, dict) else None
    if not isinstance(results, list):
        return [], "OpenAlex author search: unexpected response shape (no `results`)"
    return [_author(a) for a in results if isinstance(a, dict) and a.get("id")], None


def _author(record: dict[str, Any]) -> AuthorCandidate:
    institutions = [dig(i, "display_name") for i in record.get("last_known_institutions") or []]
    institutions += [
        dig(a, "institution", "display_name") for a in record.get("affiliations") or []
    ]
    topics = [t.get("display_name") for t in record.get("topics") or [] if isinstance(t, dict)]
    orcid = record.get("orcid")
    return AuthorCandidate(
        id=str(record["id"]).rsplit("/", 1)[-1],
        name=str(record.get("display_name") or ""),
        orcid=str(orcid).rsplit("/", 1)[-1] if orcid else None,
        works_count=record.get("works_count"),
        cited_by_count=record.get("cited_by_count"),
        institutions=tuple(dict.fromkeys(i for i in institutions if i)),
        topics=tuple(t for t in topics[:5] if t),
    )


def parse_works_page(
    http_status: int, body: str
) -> tuple[list[dict[str, Any]], str | None, str | None]:
    """(works with doi/pmid/title/year/journal/type, next cursor, problem)."""
    if http_status != 200:
        return [], None, f"OpenAlex works answered HTTP {http_status}"
    value, problem = decode_json(body)
    if problem or not isinstance(value, dict) or not isinstance(value.get("results"), list):
        return [], None, f"OpenAlex works: {problem or 'unexpected response shape'}"
    works = []
    for work in value["results"]:
        pmid = dig(work, "ids", "pmid")
        works.append(
            {
                "doi": work.get("doi"),
                "pmid": str(pmid).rstrip("/").rsplit("/", 1)[-1] if pmid else None,
                "openalex": str(work.get("id") or "").rsplit("/", 1)[-1] or None,
                "title": work.get("title"),
                "year": work.get("publication_year"),
                "journal": dig(work, "primary_location", "source", "display_name"),
                "type": work.get("type"),
            }
        )
    return works, dig(value, "meta", "next_cursor"), None
