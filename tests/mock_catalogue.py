"""A searchable catalogue of works for the mock API's search endpoints (reference matching).

Loaded by a test or benchmark with real records (titles, authors, years, journals, DOIs) and their
near-misses; answered in the real services' shapes: Crossref `query.bibliographic` (work-list with
`score`), OpenAlex `search=` on works and authors, NCBI ECitMatch citation lines.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process, utils

_YEAR_FILTER = re.compile(r"publication_year:(\d{4})-(\d{4})")


@dataclass(frozen=True)
class CatalogueWork:
    doi: str
    title: str
    year: int | None = None
    authors: tuple[tuple[str, str], ...] = ()  # (given, family)
    journal: str | None = None
    volume: str | None = None
    first_page: str | None = None
    pmid: str | None = None
    type: str = "journal-article"
    author_ids: tuple[str, ...] = ()


@dataclass
class Catalogue:
    works: list[CatalogueWork] = field(default_factory=list)
    authors: list[dict[str, Any]] = field(default_factory=list)  # OpenAlex author records
    lock: threading.Lock = field(default_factory=threading.Lock)
    _bibliographic: list[str] = field(default_factory=list)
    _titles: list[str] = field(default_factory=list)

    def add(self, works: list[CatalogueWork]) -> None:
        with self.lock:
            self.works += works
            self._bibliographic += [utils.default_process(_bibliographic(w)) for w in works]
            self._titles += [utils.default_process(w.title) for w in works]

    def _search(self, text: str, choices: list[str], limit: int) -> list[CatalogueWork]:
        with self.lock:
            found = process.extract(
                utils.default_process(text), choices, scorer=fuzz.token_set_ratio, limit=limit
            )
            return [self.works[index] for _, _, index in found]

    def crossref(self, query: dict[str, list[str]]) -> dict[str, Any]:
        text = (query.get("query.bibliographic") or [""])[0]
        rows = int((query.get("rows") or ["20"])[0])
        items = [
            _crossref_item(w, rank)
            for rank, w in enumerate(self._search(text, self._bibliographic, rows))
        ]
        return {
            "status": "ok",
            "message-type": "work-list",
            "message-version": "1.0.0",
            "message": {"total-results": len(items), "items": items, "items-per-page": rows},
        }

    def openalex_works(self, query: dict[str, list[str]]) -> dict[str, Any]:
        text = (query.get("search") or [""])[0]
        per_page = int((query.get("per_page") or ["25"])[0])
        years = _YEAR_FILTER.search(",".join(query.get("filter", [])))
        found = self._search(text, self._titles, per_page * 4)
        if years:
            low, high = int(years[1]), int(years[2])
            found = [w for w in found if w.year is not None and low <= w.year <= high]
        results = [_openalex_work(w) for w in found[:per_page]]
        return {"meta": {"count": len(results), "per_page": per_page}, "results": results}

    def openalex_authors(self, query: dict[str, list[str]]) -> dict[str, Any]:
        text = utils.default_process((query.get("search") or [""])[0])
        found = [
            a
            for a in self.authors
            if fuzz.token_set_ratio(text, utils.default_process(a["display_name"])) >= 80
        ]
        return {"meta": {"count": len(found)}, "results": found}

    def openalex_author_works(self, query: dict[str, list[str]]) -> dict[str, Any] | None:
        wanted = next(
            (f for f in query.get("filter", []) if f.startswith("authorships.author.id:")), None
        )
        if wanted is None:
            return None
        ids = set(wanted.split(":", 1)[1].split("|"))
        with self.lock:
            works = [w for w in self.works if ids & set(w.author_ids)]
        return {
            "meta": {"count": len(works), "next_cursor": None},
            "results": [_openalex_work(w) for w in works],
        }

    def ecitmatch(self, query: dict[str, list[str]]) -> str:
        lines = []
        for line in "\r".join(query.get("bdata", [])).replace("\n", "\r").split("\r"):
            parts = line.split("|")
            if len(parts) < 6:
                continue
            journal, year, volume, page, author, _key = (p.strip() for p in parts[:6])
            pmid = self._citation(journal, year, volume, page, author)
            lines.append("|".join(parts[:6]) + "|" + (pmid or "NOT_FOUND"))
        return "\n".join(lines) + "\n"

    def _citation(self, journal: str, year: str, volume: str, page: str, author: str) -> str | None:
        surname = author.split()[0].lower() if author else ""
        with self.lock:
            hits = [
                w
                for w in self.works
                if w.pmid
                and str(w.year) == year
                and (w.volume or "") == volume
                and (w.first_page or "") == page
                and w.authors
                and w.authors[0][1].lower() == surname
                and w.type == "journal-article"
            ]
        return hits[0].pmid if len(hits) == 1 else None


def _bibliographic(w: CatalogueWork) -> str:
    names = " ".join(family for _, family in w.authors[:3])
    return (
        f"{w.title} {names} {w.journal or ''} {w.year or ''} {w.volume or ''} {w.first_page or ''}"
    )


def _crossref_item(w: CatalogueWork, rank: int) -> dict[str, Any]:
    item: dict[str, Any] = {
        "DOI": w.doi,
        "title": [w.title],
        "author": [
            {"given": g, "family": f, "sequence": "first" if i == 0 else "additional"}
            for i, (g, f) in enumerate(w.authors)
        ],
        "container-title": [w.journal] if w.journal else [],
        "issued": {"date-parts": [[w.year]]} if w.year else {"date-parts": [[None]]},
        "type": w.type,
        "score": round(80.0 - rank * 7.5, 3),
    }
    if w.volume:
        item["volume"] = w.volume
    if w.first_page:
        item["page"] = w.first_page
    return item


def _openalex_work(w: CatalogueWork) -> dict[str, Any]:
    ids: dict[str, str] = {"doi": f"https://doi.org/{w.doi}"}
    if w.pmid:
        ids["pmid"] = f"https://pubmed.ncbi.nlm.nih.gov/{w.pmid}"
    kind = {
        "journal-article": "article",
        "proceedings-article": "article",
        "erratum": "erratum",
    }.get(w.type, "article")
    return {
        "id": f"https://openalex.org/W{abs(hash(w.doi)) % 10**10}",
        "doi": f"https://doi.org/{w.doi}",
        "ids": ids,
        "title": w.title,
        "display_name": w.title,
        "publication_year": w.year,
        "type": kind,
        "authorships": [{"author": {"display_name": f"{g} {f}".strip()}} for g, f in w.authors],
        "primary_location": {"source": {"display_name": w.journal} if w.journal else None},
        "biblio": {
            "volume": w.volume,
            "issue": None,
            "first_page": w.first_page,
            "last_page": None,
        },
    }
