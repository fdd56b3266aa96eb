"""What the mock API answers, per source and in each service's real shape: the payload for a
request whose faults (latency, throttling, errors) the server in tests/mockapi.py has already
applied."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tests.mock_records import (
    _identity,
    altmetric_record,
    crossref_item,
    europepmc_result,
    icite_record,
    openalex_duplicates,
    openalex_work,
    orcid_works,
    s2_paper,
    stable,
    wikipedia_links,
)
from tests.mock_requests import ids_s2

if TYPE_CHECKING:  # the server module imports this one
    from tests.mockapi import Behaviour, MockState


class Payloads:
    """Builds answers from the mock's state (catalogue, switches); `ids` reads a request's ids."""

    def __init__(self, state: MockState, ids: Callable[..., list[tuple[str, str]]]) -> None:
        self.state = state
        self.ids = ids

    def known(self, kind: str, value: str, b: Behaviour) -> bool:
        if value in b.missing:
            return False
        return not (
            b.missing_fraction and stable(value, "missing") % 1000 < b.missing_fraction * 1000
        )

    def records(self, ids: list[tuple[str, str]], b: Behaviour, build) -> list[dict]:
        records = []
        for kind, value in ids:
            if not self.known(kind, value, b):
                continue
            with self.state.lock:
                ident = _identity(kind, value, self.state, b)
            records.append(build(ident, b))
        if b.shuffle:
            records.reverse()
        if b.duplicate:
            records = [r for r in records for _ in (0, 1)]
        return records

    def payload(self, source, rest, query, payload, b: Behaviour) -> tuple[int, Any]:
        searched = self.search(source, rest, query)
        if searched is not None:
            return 200, searched
        ids = self.ids(source, rest, query, payload)
        if source == "openalex" and rest.startswith("works/"):
            found = self.records(ids, b, openalex_work)
            return (200, found[0]) if found else (404, {"error": "NOT FOUND"})
        if source == "openalex":
            if not ids and any("author" in f for f in query.get("filter", [])):
                return 200, {
                    "meta": {"count": 0, "per_page": 25, "next_cursor": None},
                    "results": [],
                    "group_by": [],
                }
            results = openalex_duplicates(self.records(ids, b, openalex_work), b)
            select = ",".join(query.get("select", []))
            if select:
                keep = set(select.split(","))
                results = [{k: v for k, v in r.items() if k in keep} for r in results]
            per_page = int((query.get("per_page") or query.get("per-page") or ["25"])[0])
            cursor = (query.get("cursor") or [None])[0]
            offset = int(cursor) if cursor and cursor != "*" else 0
            page = results[offset : offset + per_page]
            more = cursor is not None and offset + per_page < len(results)
            return 200, {
                "meta": {
                    "count": len(results),
                    "db_response_time_ms": 4,
                    "page": None if cursor else 1,
                    "per_page": per_page,
                    "next_cursor": str(offset + per_page) if more else None,
                },
                "results": page if cursor is not None else results[:per_page],
                "group_by": [],
            }
        if source == "icite":
            data = self.records(ids, b, icite_record)
            return 200, {"meta": {"pmids": ",".join(i for _, i in ids)}, "links": {}, "data": data}
        if source == "crossref":
            items = self.records(ids, b, crossref_item)
            rows = int((query.get("rows") or ["20"])[0])
            return 200, {
                "status": "ok",
                "message-type": "work-list",
                "message-version": "1.0.0",
                "message": {
                    "facets": {},
                    "total-results": len(items),
                    "items": items,
                    "items-per-page": rows,
                    "query": {"start-index": 0, "search-terms": None},
                },
            }
        if source == "europepmc":
            return 200, self.europepmc(ids, query, b)
        if source == "semanticscholar":
            try:
                wanted = ids_s2(json.loads(payload or b"{}"))
            except ValueError:
                return 400, {"error": "Unacceptable JSON"}
            out = []
            for item in wanted:
                records = (
                    self.records(
                        [item],
                        dataclasses.replace(b, shuffle=False, duplicate=False),
                        s2_paper,
                    )
                    if item
                    else []
                )
                if records and item and item[1] in b.s2_wrong_paper:  # allenai/s2-folks #108
                    with self.state.lock:
                        other = _identity("doi", "10.9999/other." + item[1], self.state, b)
                    records = [s2_paper({**other, "pmid": "99999999"}, b)]
                out.append(records[0] if records else None)
            return 200, out
        if source == "altmetric":
            records = self.records(ids, b, altmetric_record)
            return (200, records[0]) if records else (404, "Not Found")
        if source == "wikipedia":
            return 200, self.exturlusage(ids, query, b)
        if source == "orcid":
            orcid = rest.split("/", 1)[0]
            return 200, orcid_works(orcid)
        return 404, {"error": "unknown path"}

    def europepmc(self, ids: list[tuple[str, str]], query: dict, b: Behaviour) -> dict:
        """Europe PMC search: `pageSize` records a page (at most `b.epmc_page_limit`), cursor
        paging by `cursorMark`/`nextCursorMark`; with `b.epmc_no_doi`, some MEDLINE records lack
        their DOI, so a DOI query misses them and only a PMID query finds them."""
        hidden = [
            (kind, value)
            for kind, value in ids
            if kind == "doi" and stable(value, "nodoi") % 1000 < b.epmc_no_doi * 1000
        ]
        for kind, value in hidden:  # the work still exists: its PMID maps back to its DOI
            with self.state.lock:
                _identity(kind, value, self.state, b)
        results = self.records([i for i in ids if i not in hidden], b, europepmc_result)
        for record in results:
            if stable(str(record.get("doi")), "nodoi") % 1000 < b.epmc_no_doi * 1000:
                record.pop("doi", None)
        size = min(int((query.get("pageSize") or ["25"])[0]), b.epmc_page_limit)
        cursor = (query.get("cursorMark") or ["*"])[0]
        offset = 0 if cursor == "*" else int(cursor)
        answer: dict[str, Any] = {
            "version": "6.9",
            "hitCount": len(results),
            "request": {"resultType": "lite", "pageSize": size, "cursorMark": cursor},
            "resultList": {"result": results[offset : offset + size]},
        }
        if offset + size < len(results):
            answer["nextCursorMark"] = str(offset + size)
        return answer

    def exturlusage(self, ids: list[tuple[str, str]], query: dict, b: Behaviour) -> dict:
        """`list=exturlusage` as MediaWiki answers it: a literal, case-sensitive prefix match of
        `euquery` on the stored link (http and https unless `euprotocol` says one), `eulimit`
        links a page (at most `b.wiki_page_limit`), `continue` with an offset until the end."""
        euquery = (query.get("euquery") or [""])[0]
        protocols = [p for p in query.get("euprotocol", []) if p] or ["http", "https"]
        links = [
            link
            for _, doi in ids
            if self.known("doi", doi, b)
            for link in wikipedia_links(doi)
            if any(link["url"].startswith(f"{p}://{euquery}") for p in protocols)
        ]
        limit = min(int((query.get("eulimit") or ["10"])[0]), b.wiki_page_limit)
        offset = int((query.get("eucontinue") or ["0"])[0])
        answer: dict[str, Any] = {"batchcomplete": True}
        answer["query"] = {"exturlusage": links[offset : offset + limit]}
        if offset + limit < len(links):
            answer["continue"] = {"eucontinue": str(offset + limit), "continue": "-||"}
        return answer

    def search(self, source: str, rest: str, query: dict) -> Any:
        """Answers of the search endpoints (reference matching), else None."""
        catalogue = self.state.catalogue
        if source == "crossref" and "query.bibliographic" in query:
            return catalogue.crossref(query)
        if source == "openalex" and rest == "works" and "search" in query:
            return catalogue.openalex_works(query)
        if source == "openalex" and rest == "authors":
            return catalogue.openalex_authors(query)
        if source == "openalex" and rest == "works":
            return catalogue.openalex_author_works(query)
        if source == "ecitmatch":
            return catalogue.ecitmatch(query)
        return None
