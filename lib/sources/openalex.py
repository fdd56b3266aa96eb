"""OpenAlex works: citations, counts by year, FWCI, normalised percentile, OA, topic, authorships.

Works are looked up in OR-filter batches (`filter=doi:a|b|…`, `pmid:…`, `openalex:…`; up to 100
values, `per_page=100`, `cursor=*`); a DOI whose characters would break the filter syntax (`|`,
`,`) is asked for alone at `/works/doi:<doi>`. A filter of N DOIs can match more than N records
(OpenAlex holds duplicates of some works), so when `meta.count` says more matched than came back,
the cursor is followed to the end before the answer is read: a work must not fall off the page
and be recorded `not_found` (which is not rechecked for weeks).

Duplicates: when several records carry the identifier asked, the one with the most citations
(`cited_by_count`) answers, and among equals the lowest OpenAlex id (the older record). The
most-cited record is the one OpenAlex links citations to; the rule is order-independent, so the
same work gets the same record whatever order the API sends them in. Keyless calls are sent
(tests and mirrors need no key); the registry warns that openalex.org has required a key since
13 Feb 2026.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import quote

from lib.ids import bare_orcid, work_key_of
from lib.settings import Settings
from lib.sources._common import (
    ResponseError,
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
)
from lib.sources.base import ApiRequest, Page, WorkIds, WorkResult
from lib.sources.versions import openalex_versions

NAME = "openalex"
MAX_PER_PAGE = 100  # developers.openalex.org: up to 100 OR values and per_page <= 100
SELECT = (
    "id,doi,ids,title,display_name,publication_year,publication_date,type,cited_by_count,"
    "counts_by_year,fwci,citation_normalized_percentile,open_access,primary_location,"
    "primary_topic,authorships,is_retracted,locations"
)
NOT_FOUND = "OpenAlex has no work with this identifier"
BAD_SHAPE = "unexpected OpenAlex response shape (no `results` list or work `id`)"


def _common_params(settings: Settings) -> list[tuple[str, str]]:
    params = [("select", SELECT)]
    if settings.key_for(NAME):
        params.append(("api_key", settings.key_for(NAME) or ""))
    if settings.mailto:
        params.append(("mailto", settings.mailto))
    return params


def _openalex_id(value: object) -> str | None:
    text = str(value or "").strip().rstrip("/").rsplit("/", 1)[-1].upper()
    return text if text.startswith("W") and text[1:].isdigit() else None


def _unfilterable_doi(work: WorkIds) -> str | None:
    doi = bare_doi(work.doi)
    # `|` and `,` are the filter syntax's own separators: such a DOI is asked for alone
    return doi if doi and ("|" in doi or "," in doi) else None


def build_requests(
    works: list[WorkIds], settings: Settings
) -> tuple[list[ApiRequest], list[WorkResult]]:
    """OR-filter batches by DOI, then PMID, then OpenAlex id; works with none of these are skipped."""
    singles, rest = identified(works, _unfilterable_doi)
    by_scheme: dict[str, list[tuple[str, str]]] = {}
    by_scheme["doi"], rest = identified(rest, lambda work: bare_doi(work.doi))
    by_scheme["pmid"], rest = identified(rest, lambda work: digits_pmid(work.pmid))
    by_scheme["openalex"], lacking = identified(rest, lambda work: _openalex_id(work.openalex))
    size = min(batch_size(settings, NAME), MAX_PER_PAGE)
    requests: list[ApiRequest] = []
    for scheme, pairs in by_scheme.items():
        for chunk, lookup in batches(pairs, size):
            params = [
                ("filter", f"{scheme}:" + "|".join(chunk)),
                ("per_page", str(MAX_PER_PAGE)),  # room for duplicates beyond the batch
                ("cursor", "*"),
            ]
            requests.append(_request(settings, "/works", params, lookup))
    for (doi,), lookup in batches(singles, 1):
        requests.append(_request(settings, f"/works/doi:{quote(doi, safe='/')}", [], lookup))
    return requests, skipped(lacking, "no DOI, PMID or OpenAlex id to look up")


def _request(
    settings: Settings, path: str, params: list[Any], lookup: tuple[Any, ...]
) -> ApiRequest:
    params = [*params, *_common_params(settings)]
    return request_to(settings, NAME, path, lookup, params=params)


def _works_in(value: Any) -> list[dict[str, Any]] | None:
    """The work objects of a list response or a singleton response; None for another shape."""
    if isinstance(value, dict) and isinstance(value.get("results"), list):
        return [w for w in value["results"] if isinstance(w, dict)]
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return [value]
    return None


def _identifiers(work: dict[str, Any]) -> dict[str, str]:
    """The work's identifiers in the forms the requests used."""
    ids: dict[str, Any] = work["ids"] if isinstance(work.get("ids"), dict) else {}
    found = {
        "doi": bare_doi(work.get("doi") or ids.get("doi")),
        "pmid": digits_pmid(str(ids.get("pmid") or "").rstrip("/").rsplit("/", 1)[-1]),
        "pmcid": pmc_id(ids.get("pmcid")),
        "openalex": _openalex_id(work.get("id") or ids.get("openalex")),
    }
    return {k: v for k, v in found.items() if v}


def _preference(work: dict[str, Any]) -> tuple[float, int]:
    """Sort key of the duplicate rule: most citations first, then the lowest OpenAlex id."""
    cited = number(work.get("cited_by_count")) or 0.0
    ident = _openalex_id(work.get("id")) or "W" + str(10**15)
    return (-cited, int(ident[1:]))


def _match(request: ApiRequest, works: list[dict[str, Any]], http_status: int) -> list[WorkResult]:
    return match_records(
        request,
        sorted(works, key=_preference),
        http_status,
        identifiers=lambda work: _identifiers(work).values(),
        result=work_result,
        not_found=NOT_FOUND,
    )


def parse_response(request: ApiRequest, http_status: int, body: str) -> list[WorkResult]:
    """One result per asked key: the matching work, not_found, or error for an unusable body."""
    return parse_matched(
        request,
        http_status,
        body,
        records=lambda value: (
            sorted(_works_in(value) or [], key=_preference)
            if _works_in(value) is not None
            else None
        ),
        identifiers=lambda work: _identifiers(work).values(),
        result=work_result,
        bad_shape=BAD_SHAPE,
        not_found=NOT_FOUND,
    )


def _list_page(page: Page) -> dict[str, Any] | None:
    """A usable list page's JSON (`meta` and `results`), else None."""
    if page.http_status != 200:
        return None
    value, problem = decode_json(page.body)
    if problem or not isinstance(value, dict) or not isinstance(value.get("results"), list):
        return None
    return value


def next_request(pages: Sequence[Page]) -> ApiRequest | None:
    """The next cursor page while `meta.count` says more records matched than came back."""
    first, last = _list_page(pages[0]), _list_page(pages[-1])
    if first is None or last is None or not last["results"]:
        return None
    cursor = dig(last, "meta", "next_cursor")
    count = number(dig(first, "meta", "count")) or 0
    seen = sum(len((_list_page(p) or {}).get("results") or []) for p in pages)
    if not isinstance(cursor, str) or not cursor or seen >= count:
        return None
    params = tuple((k, cursor if k == "cursor" else v) for k, v in pages[-1].request.params)
    return replace(pages[-1].request, params=params)


def parse_pages(pages: Sequence[Page]) -> list[WorkResult]:
    """Every page of one answer read together: records from all pages, the duplicate rule."""
    request = pages[0].request
    works: list[dict[str, Any]] = []
    for page in pages:
        listed = _list_page(page)
        if listed is None:  # a singleton, or an error: read it as such (its error, per key)
            return parse_response(request, page.http_status, page.body)
        works += _works_in(listed) or []
    if next_request(pages) is not None:
        message = "answer incomplete: not every cursor page was fetched; nothing stored"
        return same_status(request, "error", message, pages[-1].http_status)
    return _match(request, works, pages[-1].http_status)


def work_result(key: str, work: dict[str, Any]) -> WorkResult:
    """Canonical metrics, per-year citations and work-table fields from one OpenAlex work."""
    percentile = number(dig(work, "citation_normalized_percentile", "value"))
    metrics = compact(
        {
            "citations_openalex": number(work.get("cited_by_count")),
            "fwci": number(work.get("fwci")),
            "citation_percentile": None if percentile is None else round(percentile * 100, 6),
        }
    )
    per_year = {
        int(row["year"]): float(row["cited_by_count"])
        for row in work.get("counts_by_year") or []
        if isinstance(row, dict)
        and number(row.get("year"))
        and number(row.get("cited_by_count")) is not None
    }
    return WorkResult(
        key,
        "ok",
        metrics=metrics,
        per_year={"citations": per_year} if per_year else {},
        work=_work_fields(work) | _versions(key, work),
    )


def _versions(key: str, work: dict[str, Any]) -> dict[str, Any]:
    """Preprint links from the work's locations (lib/sources/versions.py)."""
    versions = openalex_versions(key, work)
    return {"versions": versions} if versions else {}


def _work_fields(work: dict[str, Any]) -> dict[str, Any]:
    year = number(work.get("publication_year"))
    fields = {
        **_identifiers(work),
        "title": work.get("title") or work.get("display_name"),
        "journal": dig(work, "primary_location", "source", "display_name"),
        "year": int(year) if year else None,
        "pub_date": date_of(work.get("publication_date")),
        "type": work.get("type"),
        "oa_status": dig(work, "open_access", "oa_status"),
        "field": dig(work, "primary_topic", "field", "display_name"),
        "topic": dig(work, "primary_topic", "display_name"),
        "is_retracted": work.get("is_retracted")
        if isinstance(work.get("is_retracted"), bool)
        else None,
        "authorships": _authorships(work.get("authorships")),
    }
    return compact(fields)


def _authorships(value: object) -> list[dict[str, Any]] | None:
    if not isinstance(value, list):
        return None
    return [
        {
            "orcid": bare_orcid(dig(entry, "author", "orcid")),
            "name": dig(entry, "author", "display_name") or entry.get("raw_author_name"),
            "position": entry.get("author_position"),
            "is_corresponding": bool(entry.get("is_corresponding")),
        }
        for entry in value
        if isinstance(entry, dict)
    ]


def build_author_works_request(orcid: str, settings: Settings, cursor: str = "*") -> ApiRequest:
    """One page (100 works) of a person's works by ORCID, with cursor paging."""
    bare = bare_orcid(orcid)
    if bare is None:
        raise ValueError(f"not an ORCID iD: {orcid!r}")
    params = [
        ("filter", f"author.orcid:{bare}"),
        ("per_page", str(MAX_PER_PAGE)),
        ("cursor", cursor),
    ]
    return _request(settings, "/works", params, ())


def work_key(work: dict[str, Any]) -> str | None:
    """The canonical cache key of an OpenAlex work (the `lib.ids` rule over its identifiers)."""
    return work_key_of(_identifiers(work))


def parse_author_works(body: str) -> tuple[list[WorkResult], str | None]:
    """The works of one page keyed canonically, and the cursor of the next page (None at the end)."""
    value, problem = decode_json(body)
    works = _works_in(value) if problem is None else None
    if works is None or not isinstance(value, dict) or "results" not in value:
        raise ResponseError(problem or "unexpected OpenAlex list response (no `results` list)")
    results = []
    for work in works:
        key = work_key(work)
        if key is not None:
            results.append(work_result(key, work))
    next_cursor = dig(value, "meta", "next_cursor")
    more = isinstance(next_cursor, str) and next_cursor and works
    return results, next_cursor if more else None


def parse_authors(body: str) -> list[dict[str, Any]]:
    """Author records of an `/authors` list: OpenAlex id, ORCID, name, works and h-index."""
    value, problem = decode_json(body)
    if problem or not isinstance(value, dict) or not isinstance(value.get("results"), list):
        raise ResponseError(problem or "unexpected OpenAlex authors response (no `results` list)")
    return [
        {
            "openalex": str(author.get("id") or "").rsplit("/", 1)[-1] or None,
            "orcid": bare_orcid(author.get("orcid")),
            "name": author.get("display_name"),
            "works_count": author.get("works_count"),
            "cited_by_count": author.get("cited_by_count"),
            "h_index": dig(author, "summary_stats", "h_index"),
            "i10_index": dig(author, "summary_stats", "i10_index"),
        }
        for author in value["results"]
        if isinstance(author, dict)
    ]
