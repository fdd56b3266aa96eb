"""Wikipedia mentions: English Wikipedia articles linking a DOI, from the MediaWiki API (keyless).

`action=query&list=exturlusage` lists the pages whose stored external link starts with `euquery`,
a literal, case-sensitive prefix of the link as MediaWiki stores it (apis.md §12.1). The citation
templates store `doi=` as `//doi.org/` + the DOI percent-encoded (the slash as `%2F`; MediaWiki's
link normalisation then unescapes what need not be escaped, e.g. parentheses), in the case the
editor typed it; hand-written links keep the raw slash, over http or https. So one DOI is asked in
every form that can hold it: encoded and raw slash, for the DOI in lower case, as given and in
upper case, with no `euprotocol` (an empty protocol searches http and https; `https` alone drops http
links). Each form's `continue` is followed to its end; the answer is read only when every form has
been read whole, never stored as a lower bound. Each returned link is checked against the DOI
exactly (a prefix query for `.../x.1` also returns `.../x.10`) and the distinct articles counted;
their titles and links are kept so the Article page can list them.

Not found by these queries: links through `dx.doi.org` or another resolver host, and DOIs typed in
a mixed case other than the one we hold (the cache keeps DOIs lower-cased).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import quote

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
from lib.sources.base import ApiRequest, Mention, Page, WorkIds, WorkResult

NAME = "wikipedia"
PAGE_LIMIT = 500  # the most an anonymous client may ask for in one call
HOST = "doi.org/"
# Characters MediaWiki keeps escaped in a link's path (Parser::normalizeLinkUrl), plus space.
_KEPT_ESCAPED = frozenset('"#%<>[\\]^`{|}/? ')
WIKI = "https://en.wikipedia.org"


def _as_given(text: str | None) -> str | None:
    """The bare DOI in the case it was given (bare_doi lower-cases it)."""
    doi = bare_doi(text)
    if not doi or not text:
        return None
    start = text.lower().find(doi)
    return text[start : start + len(doi)] if start >= 0 else doi


def _encoded(doi: str) -> str:
    """The DOI as a citation template's link stores it: percent-encoded, then normalised."""
    return "".join(f"%{ord(c):02X}" if c in _KEPT_ESCAPED else c for c in doi)


def _raw(doi: str) -> str:
    """The DOI as a hand-written link holds it: raw slash, only `%`, `#`, `?` and space escaped."""
    return "".join(f"%{ord(c):02X}" if c in "%#? " else c for c in doi)


def link_forms(doi: str) -> list[str]:
    """Every `euquery` that can hold this DOI (given case, lower, upper; encoded and raw slash)."""
    cases = dict.fromkeys((doi.lower(), doi, doi.upper()))
    forms = [HOST + spell(case) for case in cases for spell in (_encoded, _raw)]
    return list(dict.fromkeys(forms))


def _params(euquery: str, more: dict[str, str] | None = None) -> tuple[tuple[str, str], ...]:
    return (
        ("action", "query"),
        ("list", "exturlusage"),
        ("euquery", euquery),
        ("eunamespace", "0"),
        ("euprop", "ids|title|url"),
        ("eulimit", str(PAGE_LIMIT)),
        ("format", "json"),
        ("formatversion", "2"),
        *sorted((more or {}).items()),
    )


def build_requests(
    works: list[WorkIds], settings: Settings
) -> tuple[list[ApiRequest], list[WorkResult]]:
    """The first query of each DOI (its other forms follow, see `next_request`); works without a
    DOI are skipped."""
    pairs, lacking = identified(works, lambda work: _as_given(work.doi))
    requests = [
        request_to(settings, NAME, lookup=((doi, key),), params=_params(link_forms(doi)[0]))
        for doi, key in pairs
    ]
    return requests, skipped(lacking, "no DOI (Wikipedia links are searched by DOI)")


def _doi_asked(request: ApiRequest) -> str:
    return request.lookup[0][0]


def _euquery(request: ApiRequest) -> str:
    return dict(request.params).get("euquery", "")


def next_request(pages: Sequence[Page]) -> ApiRequest | None:
    """The rest of this form's answer (`continue`), else the next form's first page, else None."""
    request = pages[-1].request
    _, problem = _page_problem(pages[-1])
    if problem:
        return None  # an unusable page ends the chain; parse_pages reports it
    value, _ = decode_json(pages[-1].body)
    proceed = value.get("continue")
    forms = link_forms(_doi_asked(request))
    current = _euquery(request)
    if isinstance(proceed, dict) and proceed:
        params = _params(current, {str(k): str(v) for k, v in proceed.items()})
    elif current in forms and forms.index(current) + 1 < len(forms):
        params = _params(forms[forms.index(current) + 1])
    else:
        return None
    return replace(request, params=params)


def _linked_doi(url: object) -> str | None:
    """The DOI a doi.org link points to, ignoring any #fragment or ?query."""
    if not isinstance(url, str):
        return None
    # split before decoding: an escaped "%23" or "%3F" belongs to the DOI
    target = url.split("#", 1)[0].split("?", 1)[0]
    _, sep, doi = target.partition(HOST)
    return bare_doi(doi) if sep else None


def _page_problem(page: Page) -> tuple[list[Any], str | None]:
    """(exturlusage entries, None) for a usable page, else ([], why not)."""
    if page.http_status >= 400:
        return [], error_text(page.http_status, page.body)
    value, problem = decode_json(page.body)
    if problem is None and isinstance(value, dict) and isinstance(value.get("error"), dict):
        error = value["error"]
        problem = f"MediaWiki error {error.get('code', '')}: {error.get('info', '')}".strip()
    entries = dig(value, "query", "exturlusage")
    if problem is None and not isinstance(entries, list):
        problem = "unexpected MediaWiki response shape (no `query.exturlusage` list)"
    return (entries if problem is None else []), problem


def _incomplete(pages: Sequence[Page]) -> str | None:
    """Why the pages are not the whole answer (a form not asked, a `continue` not followed)."""
    last = pages[-1]
    value, _ = decode_json(last.body)
    asked = {_euquery(p.request) for p in pages}
    missing = [f for f in link_forms(_doi_asked(last.request)) if f not in asked]
    if (isinstance(value, dict) and value.get("continue")) or missing:
        return "answer incomplete (not every page or link form was fetched); nothing stored"
    return None


def parse_pages(pages: Sequence[Page]) -> list[WorkResult]:
    """wikipedia_mentions = distinct articles linking exactly the DOI asked, over every form and
    page (0 is a real zero); the articles are kept as mentions."""
    request = pages[0].request
    status = pages[-1].http_status
    entries: list[Any] = []
    for page in pages:
        found, problem = _page_problem(page)
        if problem:
            return same_status(request, "error", problem, page.http_status)
        entries += found
    problem = _incomplete(pages)
    if problem:
        return same_status(request, "error", problem, status)
    doi, key = bare_doi(_doi_asked(request)), request.lookup[0][1]
    articles: dict[object, Mention] = {}
    for entry in entries:
        if (
            isinstance(entry, dict)
            and entry.get("ns", 0) == 0
            and _linked_doi(entry.get("url")) == doi
        ):
            title = str(entry.get("title") or "")
            articles.setdefault(entry.get("pageid") or title, _mention(title, entry))
    return [
        WorkResult(
            key,
            "ok",
            metrics={"wikipedia_mentions": float(len(articles))},
            http_status=status,
            mentions=sorted(articles.values(), key=lambda m: m.title),
        )
    ]


def _mention(title: str, entry: dict[str, Any]) -> Mention:
    page = f"{WIKI}/wiki/{quote(title.replace(' ', '_'), safe='')}" if title else WIKI
    return Mention(title=title, url=page, link=str(entry.get("url") or ""))


def parse_response(request: ApiRequest, http_status: int, body: str) -> list[WorkResult]:
    """One page read on its own: an answer that says it continues is refused, not stored."""
    return parse_pages([Page(request, http_status, body)])
